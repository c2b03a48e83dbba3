-- POST the same JSON body on every request (the login case): args[1] is the file holding the body.
-- The request is built once per thread; wrk's -H headers (if any) come along through wrk.headers.
local req

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
  req = wrk.format("POST", nil, nil, body)
end

function request()
  return req
end
