-- A flood of logins with the right password (argon2id verifies every one).
-- Needs BENCH_CSRF_COOKIE (the anonymous CSRF cookie), BENCH_CSRF (its token),
-- BENCH_LOGIN and BENCH_PASSWORD.
dofile("scripts/lib/bench/report.lua")

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

wrk.method = "POST"
wrk.headers["Cookie"] = os.getenv("BENCH_CSRF_COOKIE")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "csrf_token=" .. encode(os.getenv("BENCH_CSRF")) .. "&student_no=" .. encode(os.getenv("BENCH_LOGIN"))
  .. "&password=" .. encode(os.getenv("BENCH_PASSWORD")) .. "&next=%2F"
