-- The borrowing path: an officer at a staffed station lends an umbrella, typing its code
-- and the student's 学号 (POST /d/rights/lending/lend). Each request lends another
-- umbrella to another student, so every one is a loan, not a refusal.
-- Needs BENCH_COOKIE (an officer's session cookie), BENCH_CSRF (its token) and
-- BENCH_PAIRS (a file of "code student_no" lines, at least as many as requests).
dofile("bench/wrk/report.lua")

local pairs_file = os.getenv("BENCH_PAIRS")
local csrf = os.getenv("BENCH_CSRF"):gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end)
local next_id = 0

-- wrk -t2: thread `id` takes lines id+1, id+3, …, so no pair is sent twice.
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local lines, step, sent = {}, 2, 0
function init(args)
  for line in io.lines(pairs_file) do
    lines[#lines + 1] = line
  end
  sent = id
end

wrk.method = "POST"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

function request()
  local line = lines[sent % #lines + 1]
  sent = sent + step
  local code, student_no = line:match("^(%S+) (%S+)$")
  return wrk.format(nil, nil, nil, "csrf_token=" .. csrf .. "&lend_code=" .. code .. "&lend_student_no=" .. student_no)
end
