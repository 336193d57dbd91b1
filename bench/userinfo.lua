-- wrk script for bench/run.sh: every connection carries the token of alice or bob, half each.
--
-- wrk builds a static request once per thread, so the token is chosen per thread: thread 1 alice,
-- thread 2 bob, thread 3 alice, ... With an even thread count (run.sh uses 2) the connections are
-- split exactly in half. Tokens come from the environment (BENCH_TOKENS="alice-token bob-token").
-- done() prints one machine-readable line, in integer microseconds, that run.sh reads.

local tokens = {}
for t in string.gmatch(os.getenv("BENCH_TOKENS") or "", "%S+") do
  table.insert(tokens, t)
end
if #tokens == 0 then
  io.stderr:write("userinfo.lua: BENCH_TOKENS is empty\n")
  os.exit(2)
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("token", tokens[(threads - 1) % #tokens + 1])
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. token
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
