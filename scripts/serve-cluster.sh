#!/usr/bin/env bash
# N replicas of `blnk serve` behind nginx on loopback, under wrk load, with one replica
# SIGKILLed midway and restarted: checks that no good request failed (wrk's non-2xx
# responses and socket errors, nginx's access log), that the restarted replica serves
# again, and prints the throughput through the proxy. Exits 0 only when every check
# holds, 1 when one fails, 2 on a usage error, 77 (skip) without nginx, wrk or the digits.
# nginx runs from its own config, pid, logs and temp paths in a temporary directory (the
# one docs/deploy.md explains), never the system's service; everything is cleaned up
# on every exit path.
#
#   scripts/serve-cluster.sh [--replicas N] [--duration S] [--connections C] [--threads T]
#     --replicas     blnk serve processes (default 2, at least 2: one is killed)
#     --duration     seconds of load (default 60); the kill comes at a third, the restart 2 s later
#     --connections  wrk connections to nginx (default 32)
#     --threads      worker threads of each replica (default 1)
# Environment: BLNK (default build/blnk), NGINX (default: nginx on the PATH, else /usr/sbin/nginx),
# BLNK_MNIST (default ../shared/data/mnist: the test digit posted comes from there).
set -uo pipefail
cd "$(dirname "$0")/.."
script=serve-cluster.sh

replicas=2 duration=60 connections=32 threads=1
readonly MAX_BODY=10M  # blnk serve --max-body and nginx client_max_body_size: one limit
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) sed -n 2,18p "$0"; exit 0 ;;
    --replicas|--duration|--connections|--threads)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || { echo "$script: $1 needs a whole number" >&2; exit 2; }
      printf -v "${1#--}" '%s' "$2"; shift 2 ;;
    *) echo "$script: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$replicas" -ge 2 ] || { echo "$script: --replicas $replicas: expected 2 or more (one is killed)" >&2; exit 2; }
[ "$duration" -ge 3 ] || { echo "$script: --duration $duration: expected 3 seconds or more" >&2; exit 2; }

blnk=${BLNK:-build/blnk}
nginx=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
mnist=${BLNK_MNIST:-../shared/data/mnist}
[ -x "$nginx" ] || { echo "SKIP: no nginx (apt-get install nginx; scripts/setup.sh --test)"; exit 77; }
command -v wrk >/dev/null || { echo "SKIP: no wrk (apt-get install wrk; scripts/setup.sh --test)"; exit 77; }
[ -f "$mnist/t10k-images-idx3-ubyte.gz" ] || { echo "SKIP: no MNIST test images in $mnist"; exit 77; }
[ -x "$blnk" ] || { echo "$script: no $blnk (build first, or set BLNK)" >&2; exit 2; }

work=$(mktemp -d)
chmod 711 "$work"  # nginx's workers (user nobody) create their temp files under it
pids=()            # replica pids by index
nginx_pid="" wrk_pid=""
cleanup() {
  [ -n "$wrk_pid" ] && kill "$wrk_pid" 2>/dev/null
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  [ -n "$nginx_pid" ] && kill -QUIT "$nginx_pid" 2>/dev/null  # graceful: workers finish, then exit
  for _ in $(seq 50); do
    alive=0
    for pid in "${pids[@]}" $nginx_pid; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}" $nginx_pid; do kill -KILL "$pid" 2>/dev/null; done
  wait 2>/dev/null
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# A free loopback port: the kernel picks one (a small race with other programs, fine here).
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- the digit posted: MNIST test digit 0 (a 7) as a PNG ---------------------------------
/usr/bin/python3 - "$mnist/t10k-images-idx3-ubyte.gz" "$work/digit.png" <<'EOF' || exit 1
import gzip, sys
from PIL import Image
with gzip.open(sys.argv[1]) as f:
    f.read(16)
    Image.frombytes("L", (28, 28), f.read(28 * 28)).save(sys.argv[2])
EOF
cat >"$work/predict.lua" <<'EOF'
-- POST the digit in $CLUSTER_PNG to /predict, asking for JSON (one precomputed request).
local f = assert(io.open(os.getenv("CLUSTER_PNG"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "image/png"
wrk.headers["Accept"] = "application/json"
EOF

# --- the replicas ------------------------------------------------------------------------
ports=()
for i in $(seq 0 $((replicas - 1))); do ports[i]=$(free_port); done
# start_replica I: blnk serve on its port; its log in $work/replica-I.log (appended across restarts).
start_replica() {
  "$blnk" serve --port "${ports[$1]}" --threads "$threads" --max-body "$MAX_BODY" \
    --trusted-proxy 127.0.0.1 --quiet 2>>"$work/replica-$1.log" &
  pids[$1]=$!
}
# wait_healthy URL WHAT: GET /healthz answers 200 within 60 s (a poll: a loaded machine is slow), or fail.
wait_healthy() {
  for _ in $(seq 600); do
    curl -fsS -o /dev/null --max-time 1 "$1/healthz" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$script: $2 did not answer $1/healthz" >&2
  cat "$work"/replica-*.log "$work/nginx-error.log" 2>/dev/null >&2
  exit 1
}
for i in $(seq 0 $((replicas - 1))); do start_replica "$i"; done
for i in $(seq 0 $((replicas - 1))); do wait_healthy "http://127.0.0.1:${ports[i]}" "replica $i"; done

# --- nginx ---------------------------------------------------------------------------------
proxy_port=$(free_port)
upstreams=""
for p in "${ports[@]}"; do upstreams+="    server 127.0.0.1:$p max_fails=3 fail_timeout=2s;"$'\n'; done
mkdir -p "$work/nginx-temp"
cat >"$work/nginx.conf" <<EOF
# Generated by scripts/serve-cluster.sh (docs/deploy.md explains each line).
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  log_format cluster '\$msec \$status \$request_method \$uri \$request_time "\$upstream_addr" "\$upstream_status"';
  access_log $work/nginx-access.log cluster;
  client_body_temp_path $work/nginx-temp/body;
  proxy_temp_path $work/nginx-temp/proxy;
  fastcgi_temp_path $work/nginx-temp/fastcgi;
  uwsgi_temp_path $work/nginx-temp/uwsgi;
  scgi_temp_path $work/nginx-temp/scgi;

  upstream blnk {
$upstreams    keepalive 32;          # idle connections to the replicas, reused
    keepalive_timeout 4s;  # under blnk's 5 s idle timeout: nginx closes first, never races it
  }
  server {
    listen 127.0.0.1:$proxy_port;
    client_max_body_size $MAX_BODY;  # = blnk serve --max-body: 413 from nginx for the same uploads
    location / {
      proxy_pass http://blnk;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      # Another replica gets the request when one is down (refused, reset), hangs, or
      # answers 502/503 (503: busy, with Retry-After). non_idempotent: POST /predict has
      # no side effect, so sending it twice is harmless (docs/deploy.md).
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries $replicas;
      proxy_next_upstream_timeout 10s;
      proxy_connect_timeout 1s;
      proxy_read_timeout 30s;
    }
  }
}
EOF
"$nginx" -t -q -c "$work/nginx.conf" -e "$work/nginx-error.log" 2>"$work/nginx-test.log" ||
  { echo "$script: nginx refused the config:" >&2; cat "$work/nginx-test.log" >&2; exit 1; }
"$nginx" -c "$work/nginx.conf" -e "$work/nginx-error.log" 2>>"$work/nginx-error.log" &
nginx_pid=$!
proxy="http://127.0.0.1:$proxy_port"
wait_healthy "$proxy" "nginx"
curl -fsS -X POST --data-binary @"$work/digit.png" -H 'Content-Type: image/png' "$proxy/predict" |
  grep -q '"digit":7' || { echo "$script: POST /predict through nginx did not read the 7" >&2; exit 1; }
: >"$work/nginx-access.log"  # count the load only

# --- the load, the kill and the restart --------------------------------------------------
echo "$replicas replicas (ports ${ports[*]}, --threads $threads) behind nginx $proxy; wrk -c$connections for ${duration}s; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
load_end=$(( $(date +%s) + duration ))  # wrk closes its connections then: 499s after it are its own
CLUSTER_PNG=$work/digit.png wrk -t2 -c"$connections" -d"${duration}s" --timeout 5s --latency \
  -s "$work/predict.lua" "$proxy/predict" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
kill_at=$((duration / 3))
sleep "$kill_at"
victim=0
kill -KILL "${pids[victim]}"
wait "${pids[victim]}" 2>/dev/null
echo "t=${kill_at}s: SIGKILL replica $victim (pid ${pids[victim]})"
sleep 2
start_replica "$victim"
wait_healthy "http://127.0.0.1:${ports[victim]}" "restarted replica $victim"
echo "t=$((kill_at + 2))s: replica $victim restarted (pid ${pids[victim]})"
wait "$wrk_pid"
wrk_status=$?
wrk_pid=""
sleep 0.5  # nginx writes the last access log lines

# --- the checks ----------------------------------------------------------------------------
failures=0
check() {  # check OK|FAIL what
  if [ "$1" = OK ]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi
}
sed 's/^/  wrk: /' "$work/wrk.txt" | grep -E 'requests in|Requests/sec|Latency  |99%|Non-2xx|Socket errors'
requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
rps=$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/wrk.txt")
socket_errors=$(awk '/Socket errors/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$work/wrk.txt")
logged=$(grep -c 'POST /predict' "$work/nginx-access.log")
# Not 200 is a failure, except 499 (client closed) once wrk is stopping: abandoned, not failed.
logged_bad=$(awk -v end="$load_end" '$4 == "/predict" && $2 != 200 && !($2 == 499 && $1 >= end - 1)' \
  "$work/nginx-access.log" | wc -l)
abandoned=$(awk -v end="$load_end" '$4 == "/predict" && $2 == 499 && $1 >= end - 1' "$work/nginx-access.log" | wc -l)
retried=$(grep -c '"[^"]*,[^"]*"$' "$work/nginx-access.log")
# Back in rotation: the restarted replica has served through nginx, during the load or,
# when a loaded machine restarted it late in a short run, after it (requests through the
# proxy until it has, up to 30 s; nginx tries a replica it marked failed again after 2 s).
served_by_victim() {
  curl -fsS "http://127.0.0.1:${ports[victim]}/metrics" |
    awk '/^blnk_http_requests_total\{route="\/predict",status="200"\}/ {n += $NF} END {print n + 0}'
}
served_after=$(served_by_victim)
served_late=0
for _ in $(seq 300); do
  [ "$served_after" -gt 0 ] && break
  curl -fsS -o /dev/null -X POST --data-binary @"$work/digit.png" -H 'Content-Type: image/png' "$proxy/predict" || true
  served_late=1
  served_after=$(served_by_victim)
  sleep 0.1
done
check "$([ "$wrk_status" = 0 ] && [ "${requests:-0}" -gt 0 ] && echo OK || echo FAIL)" \
  "wrk ran: ${requests:-0} requests, exit status $wrk_status"
check "$([ "${non2xx:-0}" = 0 ] && echo OK || echo FAIL)" "no non-2xx response at wrk (${non2xx:-0})"
check "$([ "${socket_errors:-0}" = 0 ] && echo OK || echo FAIL)" "no socket error at wrk (${socket_errors:-0})"
check "$([ "$logged_bad" = 0 ] && [ "$logged" -gt 0 ] && echo OK || echo FAIL)" \
  "every POST /predict in nginx's access log is 200 ($logged logged, $logged_bad failed, $retried retried on another replica, $abandoned cut off by wrk's end)"
check "$([ "$served_after" -gt 0 ] && echo OK || echo FAIL)" \
  "the restarted replica served again ($served_after predictions since its restart$([ "$served_late" = 1 ] && echo ', after the load'))"
echo "throughput through nginx: ${rps:-0} requests/s (POST /predict, $replicas replicas, one killed and restarted)"
if [ "$failures" -gt 0 ]; then
  echo "$script: $failures check(s) failed; nginx errors:"
  grep -v ' \[notice\] ' "$work/nginx-error.log" | tail -5
  exit 1
fi
exit 0
