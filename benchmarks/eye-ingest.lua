-- wrk script: POST /events with BATCH events per request, each with a unique client id.
-- Env: EYE_KEY (API key), BATCH (events per request, default 1).
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  batch = tonumber(os.getenv("BATCH") or "1")
  run = os.getenv("RUN_ID") or tostring(os.time())
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("EYE_KEY")
end

local function event(id)
  return '{"id":"' .. id .. '","session_id":"' .. id .. '","category":"page interaction",'
    .. '"name":"pageview","data":{"host":"www.consumeraffairs.com","path":"/"},'
    .. '"timestamp":"2021-01-01 09:15:27.243860"}'
end

function request()
  local parts = {}
  for i = 1, batch do
    counter = counter + 1
    parts[i] = event(run .. "-" .. tid .. "-" .. counter)
  end
  local body
  if batch == 1 then body = parts[1] else body = "[" .. table.concat(parts, ",") .. "]" end
  return wrk.format(nil, "/events", nil, body)
end
