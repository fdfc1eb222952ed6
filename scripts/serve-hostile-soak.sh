#!/usr/bin/env bash
# Hostile soak of `blnk serve` (issue 7, "Faults"): good traffic from wrk (GET /healthz and
# POST /predict of a small PNG, alternating) for --duration seconds while scripts/hostile_client.py
# sends random garbage, mutated and truncated requests, truncated uploads, truncated and
# corrupt images, oversize URIs/headers/bodies, bad framing, resets, slowloris heads, idle
# connections, stalled uploads and a client that never reads. Then the hostile client holds
# its slow connections open without sending anything, so only the server's timeouts close them.
# RSS and open fds of the server are sampled every --interval seconds into a CSV.
#
# Criteria (PASS/FAIL each; exit 1 if one fails):
#   - good traffic: every answer 200 (healthz "ok", predict the digit it gave at idle), no wrk
#     socket error (connect, read, write, timeout), at least one request of each kind
#   - RSS: mean of the soak's last quarter - mean of its second quarter <= MAX_RSS_GROWTH_KB (the
#     first quarter is the warm-up: connection pools, classifier slots and the allocator's
#     per-thread heaps fill; a leak keeps growing after it). The growth from the first
#     quarter is printed too.
#   - fds: back to the idle count after the hostile traffic stops, within REAP_SECONDS (the
#     longest server timeout that can hold one of its connections: body 60 s, + linger 2 s + margin)
#   - hostile client: nothing unexpected (no hang, no refused connection, no 500/502/504, no slow
#     connection still open at the end of the hold)
#   - SIGTERM: the server exits 0 within 15 s (drain timeout 10 s)
#
#   scripts/serve-hostile-soak.sh [--duration S] [--interval S] [--threads N] [--png FILE] [--out DIR]
#     --duration  seconds of good and hostile traffic (default 600)
#     --interval  seconds between RSS/fd samples (default 10)
#     --threads   blnk serve's worker threads (default 2)
#     --png       the image to POST (default: MNIST test digit 0, written from ../shared/data/mnist)
#     --out       keep the CSV, wrk's output, the hostile summary and the server log there
# Environment: BLNK (default build/blnk), MODEL (default models/mnist.blnk),
#   WRK_THREADS (default 1), WRK_CONNECTIONS (default 8), PYTHON (default /usr/bin/python3).
set -euo pipefail
cd "$(dirname "$0")/.."
script=serve-hostile-soak.sh
source scripts/lib/serve-harness.sh

blnk=${BLNK:-build/blnk}
model=${MODEL:-models/mnist.blnk}
python=${PYTHON:-/usr/bin/python3}
wrk_threads=${WRK_THREADS:-1}
connections=${WRK_CONNECTIONS:-8}
duration=600 interval=10 threads=2 png="" out=""
readonly MAX_RSS_GROWTH_KB=2048   # last quarter vs second quarter of the soak: more is a leak
readonly REAP_SECONDS=75          # body timeout 60 s + linger 2 s + sweep tick and margin
readonly HOLD_SECONDS=90          # the hostile client keeps its slow connections this long at most
readonly TERM_SECONDS=15          # drain timeout 10 s + margin

parse_options "duration interval threads png out" 2,27 "$@"
require_tools
[ -f "$model" ] || { echo "serve-hostile-soak.sh: no model $model" >&2; exit 2; }

work=$(mktemp -d)
[ -n "$out" ] && mkdir -p "$out"
sampler="" hostile="" wrk_pid=""
cleanup() {
  for p in $sampler $hostile $wrk_pid; do kill "$p" 2>/dev/null || true; done
  stop_server
  if [ -n "$out" ]; then cp "$work"/samples.csv "$work"/*.txt "$work"/*.json "$work"/server.log "$out"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the image ----------------------------------------------------------------------
if [ -z "$png" ]; then
  png=$work/digit.png
  "$python" scripts/hostile_client.py --make-png "$png" --mnist ../shared/data/mnist/t10k-images-idx3-ubyte.gz
fi
export SOAK_PNG=$png

cat >"$work/good.lua" <<'EOF'
-- Good traffic: alternate GET /healthz and POST /predict of $SOAK_PNG. Every answer is sorted:
-- 200 "ok\n", 200 with the digit $SOAK_DIGIT, 200 with another digit, or anything else.
dofile(os.getenv("SOAK_LIB") .. "/alternate-requests.lua")
local digit_field = '"digit":' .. os.getenv("SOAK_DIGIT") .. ','
local threads = {}
healthz_ok, predict_ok, wrong_digit, other, other_statuses = 0, 0, 0, 0, ""

function setup(thread) table.insert(threads, thread) end

function response(status, headers, body)
  if status == 200 and body == "ok\n" then
    healthz_ok = healthz_ok + 1
  elseif status == 200 and body:find(digit_field, 1, true) then
    predict_ok = predict_ok + 1
  elseif status == 200 and body:find('"digit":', 1, true) then
    wrong_digit = wrong_digit + 1
  else
    other = other + 1
    if #other_statuses < 200 then other_statuses = other_statuses .. status .. " " end
  end
end

function done(summary, latency, reqs)
  local h, p, w, o, s = 0, 0, 0, 0, ""
  for _, t in ipairs(threads) do
    h = h + t:get("healthz_ok")
    p = p + t:get("predict_ok")
    w = w + t:get("wrong_digit")
    o = o + t:get("other")
    s = s .. t:get("other_statuses")
  end
  io.write(string.format("good answers: healthz_ok %d predict_ok %d wrong_digit %d other %d %s\n", h, p, w, o, s))
  for _, q in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("latency p%s %.3f ms\n", tostring(q), latency:percentile(q) / 1000))
  end
  io.write(string.format("latency max %.3f ms\n", latency.max / 1000))
end
EOF

# --- the server -----------------------------------------------------------------------
start_server "$work/server.log" --threads "$threads" --model "$model"
port=${url##*:}
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN {printf "%.1f", b - a}'; }
metric() {  # metric NAME-REGEX: sum of the matching lines of /metrics
  curl -fsS --max-time 5 "$url/metrics" | awk -v re="$1" '$0 !~ /^#/ && $1 ~ re {n += $NF} END {print n + 0}'
}

answer=$(curl -fsS -X POST --data-binary @"$png" -H 'Content-Type: image/png' "$url/predict") ||
  { echo "serve-hostile-soak.sh: POST /predict of $png failed" >&2; exit 1; }
digit=$(printf '%s' "$answer" | sed -n 's/^[^0-9]*"digit":\([0-9]\).*/\1/p')
[ -n "$digit" ] || { echo "serve-hostile-soak.sh: no digit in the answer to $png: $answer" >&2; exit 1; }
export SOAK_DIGIT=$digit
curl -fsS -o /dev/null "$url/healthz"
sleep 1
idle_rss=$(rss_kb) idle_fds=$(fds)
echo "blnk serve: $url (--threads $threads, pid $server, $blnk, model $model); png $(stat -c %s "$png") bytes -> digit $digit"
echo "$(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "idle: RSS $(mb "$idle_rss"), $idle_fds open fds"

# --- sampler: t, phase, RSS, fds every $interval s ---------------------------------------------
echo idle >"$work/phase"
t0=$(now)
echo "t_s,phase,rss_kb,fds" >"$work/samples.csv"
( while kill -0 "$server" 2>/dev/null; do
    r=$(awk '/^VmRSS:/ {print $2}' "/proc/$server/status" 2>/dev/null) || break
    n=$(ls "/proc/$server/fd" 2>/dev/null | wc -l)
    echo "$(since "$t0"),$(cat "$work/phase"),$r,$n" >>"$work/samples.csv"
    sleep "$interval"
  done ) &
sampler=$!
until [ "$(wc -l <"$work/samples.csv")" -ge 2 ]; do sleep 0.05; done  # the idle sample, before the traffic

# --- the soak ----------------------------------------------------------------------------------
soak_start=$(since "$t0")
"$python" scripts/hostile_client.py --port "$port" --duration "$duration" --hold "$HOLD_SECONDS" \
  --png "$png" --corpus tests/fuzz/corpus/image --summary "$work/hostile.json" >"$work/hostile.txt" 2>&1 &
hostile=$!
wrk -t"$wrk_threads" -c"$connections" -d"${duration}s" --latency -s "$work/good.lua" "$url/" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
echo soak >"$work/phase"  # the sampler's first line (t = 0) is the idle server
echo "soak: wrk -t$wrk_threads -c$connections -d${duration}s --latency -s good.lua $url/ and hostile_client.py --duration $duration ..."
wait "$wrk_pid" || echo "wrk exited with status $?"
wrk_pid=""
echo reap >"$work/phase"
soak_end=$(since "$t0")
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
echo "soak over after $(awk -v a="$soak_start" -v b="$soak_end" 'BEGIN {printf "%.0f", b - a}') s; load average $load_end"

# --- reaping: the hostile client holds its slow connections; the server's timeouts must close them
reap_start=$(now)
reaped=""
while true; do
  if [ "$(fds)" -eq "$idle_fds" ]; then
    seen=$(since "$reap_start")
    sleep 1
    [ "$(fds)" -eq "$idle_fds" ] && { reaped=$seen; break; }  # and still there a second later
  fi
  awk -v s="$(since "$reap_start")" -v m="$REAP_SECONDS" 'BEGIN {exit !(s > m)}' && break
  sleep 0.5
done
fds_after_reap=$(fds)
wait "$hostile" || echo "hostile_client.py exited with status $?"
hostile=""
sleep 1
final_fds=$(fds) final_rss=$(rss_kb)
echo after >"$work/phase"
metrics_lines=$(curl -fsS --max-time 5 "$url/metrics" | grep -E '^blnk_(timeouts_total|busy_rejections_total|rejected_connections_total|open_connections|http_requests_in_flight|body_memory_bytes)' || true)

# --- SIGTERM -------------------------------------------------------------------------------------
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
sampler=""
term_start=$(now)
kill -TERM "$server"
term_status=timeout
for _ in $(seq $((TERM_SECONDS * 10))); do
  kill -0 "$server" 2>/dev/null || break
  sleep 0.1
done
if ! kill -0 "$server" 2>/dev/null; then
  set +e; wait "$server"; term_status=$?; set -e
fi
term_seconds=$(since "$term_start")
server=""

# --- figures -------------------------------------------------------------------------------------
echo
echo "== good traffic (wrk) =="
grep -E 'Latency|Req/Sec|requests in|Requests/sec|Transfer/sec|Socket errors|Non-2xx|good answers|latency p|latency max' "$work/wrk.txt" | sed 's/^ */  /'
echo "== hostile client =="
sed 's/^/  /' "$work/hostile.txt"
echo "== server =="
echo "$metrics_lines" | sed 's/^/  /'
awk -F, -v s="$soak_start" -v e="$soak_end" '
  NR > 1 && $2 == "soak" { n++; t[n] = $1; r[n] = $3; f[n] = $4; if ($3 > maxr) maxr = $3; if ($4 > maxf) maxf = $4 }
  END {
    q = (e - s) / 4
    for (i = 1; i <= n; i++) {
      if (t[i] < s + q) { a += r[i]; na++ }
      else if (t[i] < s + 2 * q) { c += r[i]; nc++ }
      if (t[i] >= e - q) { b += r[i]; nb++ }
    }
    printf "  soak samples: %d; RSS first %d kB, last %d kB, max %d kB; fds first %d, last %d, max %d\n", n, r[1], r[n], maxr, f[1], f[n], maxf
    printf "  RSS mean first quarter %d kB (%d samples), second %d kB (%d), last %d kB (%d)\n", a / na, na, c / nc, nc, b / nb, nb
    print int(a / na), int(c / nc), int(b / nb), maxr, maxf > "/dev/stderr"
  }' "$work/samples.csv" 2>"$work/quarters"
read -r q1_rss q2_rss q4_rss max_rss max_fds <"$work/quarters"
echo "  idle RSS $(mb "$idle_rss"), $idle_fds fds; after the soak and the hold: RSS $(mb "$final_rss"), $final_fds fds"
echo "  fds back to $idle_fds: ${reaped:-never} s after the traffic stopped (the last mixer attempts can wait for the 60 s body timeout); $fds_after_reap fds then"
echo "  SIGTERM: exit status $term_status after $term_seconds s"
[ -s "$work/server.log" ] && { echo "  server stderr:"; sed 's/^/    /' "$work/server.log" | tail -20; }
echo "load average at the end of the soak: $load_end; now: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

good_line=$(grep '^good answers:' "$work/wrk.txt" || echo "good answers: healthz_ok 0 predict_ok 0 wrong_digit 0 other 0")
read -r healthz_ok predict_ok wrong_digit other_answers <<<"$(echo "$good_line" | awk '{print $4, $6, $8, $10}')"
total=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
socket_errors=$(grep -o 'Socket errors:.*' "$work/wrk.txt" || echo "Socket errors: none")
socket_error_count=$(echo "$socket_errors" | awk '{for (i = 3; i <= NF; i++) n += $i} END {print n + 0}')  # "connect 0, read 0, ..." 
[ "${other_answers:-1}" -eq 0 ] && [ "${wrong_digit:-1}" -eq 0 ] && [ -z "$non2xx" ] && ok=OK || ok=FAIL
verdict $ok "good requests all answered 200: ${total:-?} requests, healthz ok $healthz_ok, predict digit $digit $predict_ok, other digit $wrong_digit, other answers $other_answers, non-2xx/3xx ${non2xx:-0}"
[ "$socket_error_count" -eq 0 ] && ok=OK || ok=FAIL
verdict $ok "no socket errors on good connections ($socket_errors)"
[ "${healthz_ok:-0}" -gt 0 ] && [ "${predict_ok:-0}" -gt 0 ] && [ "$((healthz_ok + predict_ok))" -eq "${total:-0}" ] && ok=OK || ok=FAIL
verdict $ok "every good request counted as answered ($((healthz_ok + predict_ok)) of ${total:-0})"
growth=$((q4_rss - q2_rss))
[ "$growth" -le "$MAX_RSS_GROWTH_KB" ] && ok=OK || ok=FAIL
verdict $ok "RSS flat after the warm-up: mean of the last quarter - second quarter = $growth kB <= $MAX_RSS_GROWTH_KB kB ($(mb "$q2_rss") -> $(mb "$q4_rss"); warm-up from the first quarter's $(mb "$q1_rss"), +$((q4_rss - q1_rss)) kB in all; max $(mb "$max_rss"))"
[ -n "$reaped" ] && [ "$final_fds" -eq "$idle_fds" ] && ok=OK || ok=FAIL
verdict $ok "fds back to the idle $idle_fds within ${REAP_SECONDS}s of the traffic stopping (${reaped:-not} s; max $max_fds during the soak; $final_fds at the end)"
unexpected=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["unexpected"])' "$work/hostile.json" 2>/dev/null || echo missing)
[ "$unexpected" = 0 ] && ok=OK || ok=FAIL
verdict $ok "hostile client: no unexpected outcome ($unexpected: hangs, refusals, 500/502/504, slow connections never closed)"
[ "$term_status" = 0 ] && ok=OK || ok=FAIL
verdict $ok "SIGTERM: exit status $term_status within ${TERM_SECONDS}s ($term_seconds s)"
exit $((failures > 0))
