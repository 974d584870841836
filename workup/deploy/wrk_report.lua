-- wrk script for `manage.py bench_production`. Run wrk with as many threads as connections
-- (-t N -c N): each thread is then one client, and thread i sends line i of the file named by
-- WRK_COOKIE_FILE as its Cookie header, so that each client is a different logged-in user.
-- All clients send requests one after another for the whole run (-d): a client that stopped
-- early would leave wrk's next connection open and idle, holding a gunicorn sync worker.
-- With WRK_BODY set, each request POSTs it (a form, urlencoded) as htmx sends it, with the
-- client's own CSRF token (the value of its cookie named by WRK_CSRF_COOKIE) in X-CSRFToken.
-- At the end, one RESULT line that the bench parses: latency percentiles, the answers that
-- were not 2xx (a 403, a redirect to the login page) by status, and socket errors by kind.
local cookie_file = os.getenv("WRK_COOKIE_FILE")
local body = os.getenv("WRK_BODY")
local csrf_cookie = os.getenv("WRK_CSRF_COOKIE") or "csrftoken"
local cookies = {}
local threads = {}

if cookie_file then
  for line in io.lines(cookie_file) do
    if line ~= "" then table.insert(cookies, line) end
  end
end

function setup(thread)
  table.insert(threads, thread)
  if cookie_file then
    local mine = cookies[#threads]
    if not mine then error("more wrk threads than cookies in " .. cookie_file) end
    thread:set("cookie", mine)
  end
end

function init(args)
  non_2xx = 0
  statuses = {}
  if cookie then wrk.headers["Cookie"] = cookie end
  if body then
    wrk.method = "POST"
    wrk.body = body
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
    wrk.headers["HX-Request"] = "true"
    local token = cookie and string.match("; " .. cookie, "; " .. csrf_cookie .. "=([^;]+)")
    wrk.headers["X-CSRFToken"] = token or ""
  end
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad, by_status, parts = 0, {}, {}
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non_2xx") or 0)
    for status, n in pairs(t:get("statuses") or {}) do
      by_status[status] = (by_status[status] or 0) + n
    end
  end
  for status, n in pairs(by_status) do table.insert(parts, status .. ":" .. n) end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d p50_ms=%.1f p95_ms=%.1f non_2xx=%d errors=%d statuses=%s "
      .. "socket=connect:%d,read:%d,write:%d,timeout:%d\n",
    summary.requests, latency:percentile(50) / 1000, latency:percentile(95) / 1000, bad,
    e.connect + e.read + e.write + e.timeout, table.concat(parts, ","),
    e.connect, e.read, e.write, e.timeout))
end
