#!/usr/bin/env bash
# Soak and throughput check of `blnk serve` with wrk, against the floors of issue 5:
#   - GET /healthz >= 30,000 requests/s (64 connections)
#   - POST /predict of a small PNG >= 3,000 requests/s with p99 < 50 ms (64 connections)
#   - server RSS < 50 MB at idle and under load
#   - no fd or memory leak after SOAK_REQUESTS (100,000) mixed requests: open fds are back
#     to the idle count, and RSS does not grow between the two halves of the soak
# Prints every figure, the load average, and PASS/FAIL per floor; exits 1 if one fails.
# The machine's other work counts: run it on a quiet machine for figures that mean something.
#
#   scripts/serve-soak.sh [--threads N] [--requests N] [--duration S] [--png FILE] [--model FILE]
#     --threads   blnk serve's worker threads (default 2)
#     --requests  requests in the soak, half GET /healthz, half POST /predict (default 100000)
#     --duration  seconds of each throughput run (default 5)
#     --png       the image to POST (default: MNIST test digit 0, written from ../shared/data/mnist)
# Environment: BLNK (default build/blnk), WRK_THREADS (default 2), WRK_CONNECTIONS (default 64).
set -euo pipefail
cd "$(dirname "$0")/.."
script=serve-soak.sh
source scripts/lib/serve-harness.sh

blnk=${BLNK:-build/blnk}
wrk_threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-64}
threads=2 requests=100000 duration=5 png="" model=""
readonly MIN_HEALTHZ_RPS=30000 MIN_PREDICT_RPS=3000 MAX_P99_MS=50 MAX_RSS_MB=50
readonly MAX_SOAK_SECONDS=300          # wrk's -d: the soak stops there even if short of its count
readonly MAX_RSS_GROWTH_KB=2048        # between the two halves of the soak: more is a leak

parse_options "threads requests duration png model" 2,17 "$@"
require_tools

work=$(mktemp -d)
sampler=""
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  stop_server
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the image ----------------------------------------------------------------------
if [ -z "$png" ]; then
  png=$work/digit.png
  python3 - "$png" ../shared/data/mnist/t10k-images-idx3-ubyte.gz <<'EOF'
import gzip, struct, sys, zlib
out, images = sys.argv[1], sys.argv[2]
with gzip.open(images) as f:
    f.read(16)
    pixels = f.read(784)                      # test digit 0 (a 7)
def chunk(kind, data):
    return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))
rows = b"".join(b"\0" + pixels[y * 28:(y + 1) * 28] for y in range(28))
with open(out, "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack("!IIBBBBB", 28, 28, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))
EOF
fi
export SOAK_PNG=$png

cat >"$work/predict.lua" <<'EOF'
-- POST the PNG in $SOAK_PNG to /predict (one precomputed request).
local f = assert(io.open(os.getenv("SOAK_PNG"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "image/png"
EOF
cat >"$work/mix.lua" <<'EOF'
-- Alternate GET /healthz and POST /predict; each wrk thread stops after $SOAK_PER_THREAD responses
-- (wrk itself runs until -d or SIGINT: the script sends SIGINT once the server has answered them all).
dofile(os.getenv("SOAK_LIB") .. "/alternate-requests.lua")
local limit = tonumber(os.getenv("SOAK_PER_THREAD"))
local done = 0
function response(status, headers, body)
  done = done + 1
  if done >= limit then wrk.thread:stop() end
end
EOF

# --- the server -----------------------------------------------------------------------
model_args=()
[ -n "$model" ] && model_args=(--model "$model")
start_server "$work/server.log" --threads "$threads" "${model_args[@]}"
settle() { sleep 1; }  # let the server see wrk's connections close

echo "blnk serve: $url (--threads $threads, pid $server); png $(stat -c %s "$png") bytes; $(nproc) cores"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
curl -fsS -o /dev/null -X POST --data-binary @"$png" -H 'Content-Type: image/png' "$url/predict" 2>/dev/null ||
  { echo "serve-soak.sh: POST /predict of $png failed" >&2; exit 1; }
settle
idle_rss=$(rss_kb) idle_fds=$(fds)
echo "idle:          RSS $(mb "$idle_rss"), $idle_fds open fds"

# --- the soak: two halves of requests/2, RSS and fds after each ----------------------------------
( peak=0; while kill -0 "$server" 2>/dev/null; do
    r=$(awk '/^VmRSS:/ {print $2}' "/proc/$server/status" 2>/dev/null || echo 0)
    [ "${r:-0}" -gt "$peak" ] && peak=$r && echo "$peak" >"$work/peak_rss"
    sleep 0.2
  done ) &
sampler=$!
half=$((requests / 2))
export SOAK_PER_THREAD=$(( (half + wrk_threads - 1) / wrk_threads ))
answered() {  # GET /healthz and POST /predict answers so far, from /metrics
  curl -fsS "$url/metrics" | awk '/^blnk_http_requests_total\{route="\/(healthz|predict)"/ {n += $NF} END {print n + 0}'
}
for round in 1 2; do
  target=$(( $(answered) + wrk_threads * SOAK_PER_THREAD ))
  wrk -t"$wrk_threads" -c"$connections" -d"${MAX_SOAK_SECONDS}s" -s "$work/mix.lua" "$url/" >"$work/soak$round.txt" &
  wrk_pid=$!
  while kill -0 "$wrk_pid" 2>/dev/null && [ "$(answered)" -lt "$target" ]; do sleep 0.2; done
  kill -INT "$wrk_pid" 2>/dev/null || true  # wrk prints its summary and exits
  wait "$wrk_pid"
  settle
  eval "after${round}_rss=$(rss_kb) after${round}_fds=$(fds)"
  echo "soak half $round: $(grep -E 'requests in' "$work/soak$round.txt" | sed 's/^ *//')" \
       "$(grep -E 'Non-2xx' "$work/soak$round.txt" | sed 's/^ */; /')"
done
soak_total=$(cat "$work"/soak[12].txt | awk '/requests in/ {n += $1} END {print n}')
echo "after soak:    RSS $(mb "$after1_rss") after half 1, $(mb "$after2_rss") after half 2;" \
     "$after1_fds / $after2_fds open fds ($soak_total requests)"

# --- throughput ------------------------------------------------------------------------
wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" "$url/healthz" >"$work/healthz.txt"
wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --latency -s "$work/predict.lua" "$url/predict" >"$work/predict.txt"
settle
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
sampler=""
peak_rss=$(cat "$work/peak_rss" 2>/dev/null || echo 0)
hwm=$(hwm_kb)
final_fds=$(fds)

rps() { awk '/^Requests\/sec:/ {print int($2)}' "$1"; }
p99_ms() {  # wrk prints "99%  12.34ms" (or us / s)
  awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
        if (u == "us") v /= 1000; else if (u == "s") v *= 1000; printf "%.2f", v }' "$1"
}
non2xx() { awk '/Non-2xx/ {print $NF}' "$1"; }
healthz_rps=$(rps "$work/healthz.txt") predict_rps=$(rps "$work/predict.txt") p99=$(p99_ms "$work/predict.txt")
echo "GET /healthz:  $healthz_rps requests/s   (wrk -t$wrk_threads -c$connections -d${duration}s $url/healthz)"
echo "POST /predict: $predict_rps requests/s, p99 $p99 ms, latency $(awk '/^    Latency/ {print "avg " $2 ", max " $4}' "$work/predict.txt")" \
     "  (wrk -t$wrk_threads -c$connections -d${duration}s --latency -s predict.lua $url/predict)"
[ -n "$(non2xx "$work/predict.txt")" ] && echo "               non-2xx responses: $(non2xx "$work/predict.txt")"
echo "under load:    peak RSS sampled $(mb "$peak_rss"), VmHWM $(mb "$hwm"); $final_fds open fds after"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

[ "$healthz_rps" -ge "$MIN_HEALTHZ_RPS" ] && ok=OK || ok=FAIL
verdict $ok "GET /healthz $healthz_rps >= $MIN_HEALTHZ_RPS requests/s"
[ "$predict_rps" -ge "$MIN_PREDICT_RPS" ] && ok=OK || ok=FAIL
verdict $ok "POST /predict $predict_rps >= $MIN_PREDICT_RPS requests/s"
awk -v p="$p99" -v m="$MAX_P99_MS" 'BEGIN {exit !(p != "" && p < m)}' && ok=OK || ok=FAIL
verdict $ok "POST /predict p99 $p99 ms < $MAX_P99_MS ms"
[ "$idle_rss" -lt $((MAX_RSS_MB * 1024)) ] && ok=OK || ok=FAIL
verdict $ok "idle RSS $(mb "$idle_rss") < $MAX_RSS_MB MB"
[ "$hwm" -lt $((MAX_RSS_MB * 1024)) ] && ok=OK || ok=FAIL
verdict $ok "peak RSS under load (VmHWM) $(mb "$hwm") < $MAX_RSS_MB MB"
[ "$after2_fds" -eq "$idle_fds" ] && [ "$final_fds" -eq "$idle_fds" ] && ok=OK || ok=FAIL
verdict $ok "open fds back to idle after the soak: $idle_fds idle, $after2_fds after, $final_fds at the end"
[ $((after2_rss - after1_rss)) -le "$MAX_RSS_GROWTH_KB" ] && ok=OK || ok=FAIL
verdict $ok "no RSS growth between the soak's halves: $(mb "$after1_rss") -> $(mb "$after2_rss") (limit +$((MAX_RSS_GROWTH_KB / 1024)) MB)"
[ "$soak_total" -ge "$requests" ] && ok=OK || ok=FAIL
verdict $ok "the soak sent $soak_total of $requests requests within ${MAX_SOAK_SECONDS}s per half"
exit $((failures > 0))
