-- A search for a different word on every request: the path is BENCH_SEARCH_PATH (e.g.
-- "/complaints?q=") followed by a word drawn at random from BENCH_WORDS, a file of
-- URL-encoded words, one a line. Each thread draws from its own random sequence.
-- Reports like report.lua, whose done() it loads.
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

-- The same RESULT line as every other page (run from the repository's root, like scripts/bench).
dofile("bench/wrk/report.lua")
