-- wrk script for bench/run.sh: every connection acts as alice or bob, half each.
--
-- wrk builds a static request once per thread, so the user is chosen per thread: thread 1 alice,
-- thread 2 bob, thread 3 alice, ... With an even thread count (run.sh uses 2) the connections are
-- split exactly in half. Tokens come from the environment (BENCH_TOKENS="alice-token bob-token");
-- BENCH_PATHS, when set, gives each user's request path in the same order (the stat and ls
-- scenarios reach each user's own fixture), else every thread requests the URL's path.
-- done() prints one machine-readable line, in integer microseconds, that run.sh reads.

local function words(name)
  local list = {}
  for w in string.gmatch(os.getenv(name) or "", "%S+") do
    table.insert(list, w)
  end
  return list
end

local tokens = words("BENCH_TOKENS")
local paths = words("BENCH_PATHS")
if #tokens == 0 then
  io.stderr:write("users.lua: BENCH_TOKENS is empty\n")
  os.exit(2)
end
if #paths > 0 and #paths ~= #tokens then
  io.stderr:write("users.lua: BENCH_PATHS needs one path per token\n")
  os.exit(2)
end

local threads = 0
function setup(thread)
  threads = threads + 1
  local user = (threads - 1) % #tokens + 1
  thread:set("token", tokens[user])
  thread:set("path", paths[user] or "")
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. token
  if path ~= "" then
    wrk.path = path
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
