-- A search for a different word on every request: the path is BENCH_SEARCH_PATH (e.g.
-- "/complaints?q=") followed by a word drawn at random from BENCH_WORDS, a file of
-- URL-encoded words, one a line. Each thread draws from its own random sequence.
-- Reports like report.lua (its done() is repeated here: wrk runs one script).
local words = {}
local prefix = os.getenv("BENCH_SEARCH_PATH")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_no", counter)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_WORDS")) do
    if line ~= "" then words[#words + 1] = line end
  end
  math.randomseed(os.time() * 100 + (thread_no or 0))
end

function request()
  return wrk.format(nil, prefix .. words[math.random(#words)])
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f errors=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.status + e.timeout))
end
