-- Authenticated creates: POST /api/v1/case-studies with real-sized documents read from a
-- file (one JSON document a line), cycled. Counts answers by status. Prints JSON.
-- Usage: wrk ... -s bench/wrk/create.lua URL -- BODIES_FILE BEARER_TOKEN

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_number", counter)
  table.insert(threads, thread)
end

function init(args)
  bodies = {}
  for line in io.lines(args[1]) do
    if #line > 0 then bodies[#bodies + 1] = line end
  end
  headers = {["Authorization"] = "Bearer " .. args[2], ["Content-Type"] = "application/json"}
  position = ((thread_number or 1) - 1) * math.floor(#bodies / 7)
  statuses = {}
end

function request()
  position = position % #bodies + 1
  return wrk.format("POST", "/api/v1/case-studies", headers, bodies[position])
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local e = summary.errors
  local parts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    if s then
      for code, n in pairs(s) do parts[#parts + 1] = string.format('"%d":%d', code, n) end
    end
  end
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f},' ..
    '"statuses":[{%s}]}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean, table.concat(parts, "},{")))
end
