-- wrk: alternate GET /healthz and POST /predict of the PNG in $SOAK_PNG, one precomputed request
-- each (loaded with dofile by the soak scripts' own wrk scripts, which add their response()).
local f = assert(io.open(os.getenv("SOAK_PNG"), "rb"))
local png = f:read("*a")
f:close()
local requests, sent = {}, 0

function init(args)
  requests[1] = wrk.format("GET", "/healthz")
  requests[2] = wrk.format("POST", "/predict", { ["Content-Type"] = "image/png" }, png)
end

function request()
  sent = sent + 1
  return requests[sent % 2 + 1]
end
