-- POST /api/articles/{slug}/favorite, taking the next slug of a list on each request, so that favorites land
-- on many articles rather than one hot row. args[1] is a file with one slug per line; each thread starts
-- at its own place in the list (`tid` is set per thread by setup()).
local slugs = {}
local at = 0
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  for line in io.lines(args[1]) do
    if string.len(line) > 0 then
      slugs[#slugs + 1] = line
    end
  end
  assert(#slugs > 0, "no slugs in " .. args[1])
  at = ((tid or 1) * 7919) % #slugs
end

function request()
  at = at % #slugs + 1
  return wrk.format("POST", "/api/articles/" .. slugs[at] .. "/favorite", nil, "")
end
