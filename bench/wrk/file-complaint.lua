-- The write path: a logged-in student files a complaint (multipart, as the browser sends it).
-- Needs BENCH_COOKIE (session cookie), BENCH_CSRF (its token) and BENCH_CATEGORY (a slug).
dofile("bench/wrk/report.lua")

local boundary = "----unionportalbench7MA4YWxkTrZu0gW"
local function field(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end

wrk.method = "POST"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = field("csrf_token", os.getenv("BENCH_CSRF"))
  .. field("category", os.getenv("BENCH_CATEGORY"))
  .. field("title", "西区宿舍热水供应时间太短")
  .. field("location", "西区12栋")
  .. field("description", "晚上十点以后热水就停了，上完晚自习回来洗不了澡，希望延长热水供应时间。")
  .. field("visibility", "public")
  .. "--" .. boundary .. "--\r\n"
