-- wrk script: sends the requests of the file BENCH_PATHS round-robin and prints one parseable RESULT line. A line is a
-- token API path (GET with the client key BENCH_KEY as bearer, BENCH_PREFIX, optional, put in front of it) or
-- METHOD<TAB>path[<TAB>JSON body] (sent as it is: the WeChat-compatible calls carry the key themselves).
local key = os.getenv("BENCH_KEY") or ""
local prefix = os.getenv("BENCH_PREFIX") or ""
local lines = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if #line > 0 then lines[#lines + 1] = line end
end
local requests = {}
local next_index = 0

function init(args)
  for i, line in ipairs(lines) do
    local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
    if method == nil then
      requests[i] = wrk.format("GET", prefix .. line, { ["Authorization"] = "Bearer " .. key })
    elseif #body > 0 then
      requests[i] = wrk.format(method, path, { ["Content-Type"] = "application/json" }, body)
    else
      requests[i] = wrk.format(method, path)
    end
  end
  next_index = math.random(#requests) - 1
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d " ..
    "p50_us=%d p90_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
