# Shared by scripts/serve-soak.sh and scripts/serve-hostile-soak.sh (sourced, not run, from the
# repository root): options, preflight, starting and stopping `blnk serve` on an ephemeral port,
# its RSS and open fds, PASS/FAIL verdicts. The caller sets `script` (its name, for messages)
# and `blnk`; the server's pid is in `server`, its URL in `url`.

server="" url=""
failures=0
export SOAK_LIB=$PWD/scripts/lib  # the wrk scripts load alternate-requests.lua from here

# parse_options NAMES HELP_LINES ARGS...: each `--name VALUE` in ARGS, `name` one of the
# space-separated NAMES, sets the shell variable `name`; -h/--help prints the caller's
# lines HELP_LINES (a sed range, e.g. 2,27) and exits 0; anything else exits 2.
parse_options() {
  local names=" $1 " help=$2 name
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      -h|--help) sed -n "${help}p" "$0"; exit 0 ;;
      --*) name=${1#--} ;;
      *) name="" ;;
    esac
    [[ -n "$name" && "$names" == *" $name "* ]] || { echo "$script: unknown option $1" >&2; exit 2; }
    [ $# -ge 2 ] || { echo "$script: option $1 needs a value" >&2; exit 2; }
    printf -v "$name" '%s' "$2"
    shift 2
  done
}

# require_tools: wrk on the PATH and an executable $blnk, or exit 2 with what to do.
require_tools() {
  command -v wrk >/dev/null || { echo "$script: wrk not found (apt-get install wrk)" >&2; exit 2; }
  [ -x "$blnk" ] || { echo "$script: no $blnk (build first)" >&2; exit 2; }
}

# start_server LOG ARGS...: `blnk serve --port 0 --quiet ARGS...` in the background, its
# stderr in LOG; waits up to 60 s (a poll) for the URL it prints, or exits 1 showing the log.
start_server() {
  local log=$1
  shift
  : >"$log"
  "$blnk" serve --port 0 --quiet "$@" 2>"$log" &
  server=$!
  url=""
  for _ in $(seq 600); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$url" ] || { echo "$script: blnk serve did not start:" >&2; cat "$log" >&2; exit 1; }
}

# stop_server: SIGTERM, up to 5 s to exit, then SIGKILL (for cleanup traps).
stop_server() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server" 2>/dev/null || true
  fi
}

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$server/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$server/status"; }
fds() { ls "/proc/$server/fd" | wc -l; }
mb() { awk -v k="$1" 'BEGIN {printf "%.1f MB", k / 1024}'; }

verdict() {  # verdict OK|FAIL what
  if [ "$1" = OK ]; then echo "PASS  $2"; else echo "FAIL  $2"; failures=$((failures + 1)); fi
}
