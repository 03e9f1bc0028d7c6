-- wrk script for the throughput scenario: POST the chat body from WRK_BODY (default loadtests/bodies/chat.json) as JSON, plus
-- one optional extra header from WRK_HEADER ("name: value"). done() prints one machine-readable line, WRK_RESULT {...}, with
-- p99.9, which wrk's --latency table does not show.
local path = os.getenv("WRK_BODY") or "loadtests/bodies/chat.json"
local file = assert(io.open(path, "rb"))
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

local extra = os.getenv("WRK_HEADER")
if extra and extra ~= "" then
  local name, value = extra:match("^%s*([^:]+)%s*:%s*(.-)%s*$")
  if name then
    wrk.headers[name] = value
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,"errors":%d,"non2xx":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"p999_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, summary.bytes, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max))
end
