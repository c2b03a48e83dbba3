-- POST /api/articles with a new title on every request, so that each one really writes an article.
-- args[1] is a file holding the JSON body with the marker @TITLE@ where the title goes.
-- `tid` is set per thread by setup(), so that the titles of two threads never coincide.
local prefix, suffix
local counter = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local template = file:read("*a")
  file:close()
  local at = assert(string.find(template, "@TITLE@", 1, true), "no @TITLE@ in the body template")
  prefix = string.sub(template, 1, at - 1)
  suffix = string.sub(template, at + string.len("@TITLE@"))
  wrk.headers["Content-Type"] = "application/json"
  math.randomseed(os.time() * 100 + (tid or 0))
end

function request()
  counter = counter + 1
  local title = string.format("Notes on load %d %d %d", tid or 0, counter, math.random(1, 1000000000))
  return wrk.format("POST", nil, nil, prefix .. title .. suffix)
end
