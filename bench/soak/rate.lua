-- wrk script: POST the body in BODY_FILE at a fixed pace. Each connection waits DELAY_MS between requests,
-- so connections x 1000 / DELAY_MS is the offered rate; wrk's latency excludes the wait.
local f = assert(io.open(os.getenv("BODY_FILE"), "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local pause = tonumber(os.getenv("DELAY_MS") or "0")

function delay()
  return pause
end
