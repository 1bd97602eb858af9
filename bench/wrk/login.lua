-- A flood of logins with the right password (argon2id verifies every one), as on the
-- morning a reception day is announced: many students, each from an address of their
-- own (the benchmark's portal trusts X-Forwarded-For). One account hammered from one
-- address is throttled once ten of its tries are in flight: that is the login limit
-- at work, not a hashing load.
-- Needs BENCH_CSRF_COOKIE (the anonymous CSRF cookie), BENCH_CSRF (its token),
-- BENCH_LOGINS (a file of student numbers, one a line) and BENCH_PASSWORD.
dofile("bench/wrk/report.lua")

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local logins = {}
for line in io.lines(os.getenv("BENCH_LOGINS")) do
  logins[#logins + 1] = line
end
local form = "csrf_token=" .. encode(os.getenv("BENCH_CSRF")) .. "&password=" .. encode(os.getenv("BENCH_PASSWORD"))
  .. "&next=%2F&student_no="
local sent = 0

wrk.method = "POST"
wrk.headers["Cookie"] = os.getenv("BENCH_CSRF_COOKIE")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

function request()
  local i = sent % #logins
  sent = sent + 1
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.floor(i / 65536) % 256, math.floor(i / 256) % 256, i % 256)
  return wrk.format(nil, nil, nil, form .. encode(logins[i + 1]))
end
