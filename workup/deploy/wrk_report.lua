-- wrk script for `manage.py bench_production`: stop after a fixed number of requests per
-- thread and print the figures the bench parses. Non-200 answers are counted as errors.
local limit = tonumber(os.getenv("WRK_REQUESTS_PER_THREAD") or "300")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  done = 0
  bad = 0
end

function response(status, headers, body)
  done = done + 1
  if status ~= 200 then bad = bad + 1 end
  if done >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + (t:get("bad") or 0) end
  io.write(string.format("RESULT requests=%d p50_ms=%.1f p95_ms=%.1f errors=%d\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    bad_total + summary.errors.status + summary.errors.connect + summary.errors.timeout))
end
