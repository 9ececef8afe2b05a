-- wrk script: POST the body in the file named by BODY_FILE (read as bytes), with CONTENT_TYPE (application/json when
-- unset) and, for an Open Inference binary tensor body, INFERENCE_HEADER_LENGTH as its Inference-Header-Content-Length.
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE") or "application/json"
local header = os.getenv("INFERENCE_HEADER_LENGTH")
if header and header ~= "" then
  wrk.headers["Inference-Header-Content-Length"] = header
end
