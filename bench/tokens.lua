-- wrk script: GET the token paths of bench/target/run/paths.txt round-robin with the client key, and print one
-- parseable RESULT line. BENCH_PREFIX (optional) is put in front of every path.
local key = os.getenv("BENCH_KEY") or ""
local prefix = os.getenv("BENCH_PREFIX") or ""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if #line > 0 then paths[#paths + 1] = prefix .. line end
end
local requests = {}
local next_index = 0

function init(args)
  for i, path in ipairs(paths) do
    requests[i] = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. key })
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
