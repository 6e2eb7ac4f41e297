-- One wrk script for every Hearth scenario. bench/run passes, after `--`:
--   method  path  tokens-file  values-file  body  idempotent
-- Each request uses the next bearer token of tokens-file (or none when it is
-- "-"), replaces {value} in path and body by a random line of values-file,
-- and, when idempotent is "yes", sends a fresh Idempotency-Key as a careful
-- client does. done() prints one line, RESULT {json}, that bench/run reads.

local function lines(path)
  local list = {}
  if path == "-" then return list end
  for line in io.lines(path) do
    if line ~= "" then list[#list + 1] = line end
  end
  return list
end

local method, path, tokens, values, body, idempotent
local counter = 0
thread_id = 0 -- global: setup() numbers the threads through thread:set

function setup(thread)
  thread_id = thread_id + 1
  thread:set("thread_id", thread_id)
end

function init(args)
  method, path = args[1], args[2]
  tokens, values = lines(args[3]), lines(args[4])
  body = args[5] ~= "-" and args[5] or nil
  idempotent = args[6] == "yes"
  math.randomseed(os.time() + thread_id * 7919)
  counter = math.random(1, #tokens > 0 and #tokens or 1)
end

function request()
  counter = counter + 1
  local value = #values > 0 and values[math.random(#values)] or ""
  local headers = { ["Content-Type"] = "application/json" }
  if #tokens > 0 then
    headers["Authorization"] = "Bearer " .. tokens[counter % #tokens + 1]
  end
  if idempotent then
    headers["Idempotency-Key"] = string.format("bench-%d-%d-%d", os.time(), thread_id, counter)
  end
  local filled_body = body and body:gsub("{value}", value) or nil
  return wrk.format(method, (path:gsub("{value}", value)), headers, filled_body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
