#!/usr/bin/env bash
# The browser test under ctest: skips (77) without Chromium or Python 3, bounds the
# run with timeout(1) and leaves nothing running (test_page.py stops the server and
# the browser itself, even on SIGTERM; the trap kills what is left of its group).
#   tests/browser/run.sh BLNK MODEL DATA_DIR [SCREENSHOT_DIR]
set -uo pipefail
blnk=$1 model=$2 data=$3 shots=${4:-}
chromium=${CHROMIUM:-/usr/bin/chromium}
if ! command -v "$chromium" >/dev/null; then
  echo "SKIP: no Chromium ($chromium); scripts/setup.sh --test installs it"; exit 77
fi
# Debian's python3 (numpy and PIL for the pad's strokes load only there), else any.
python=/usr/bin/python3
[ -x "$python" ] || python=$(command -v python3 || true)
if [ -z "$python" ]; then
  echo "SKIP: no python3"; exit 77
fi
here=$(cd "$(dirname "$0")" && pwd)
args=(--blnk "$blnk" --model "$model" --mnist "$data/mnist" --photos "$data/photo-digits" --chromium "$chromium")
[ -n "$shots" ] && args+=(--screenshots "$shots")
timeout -k 5 100 "$python" "$here/test_page.py" "${args[@]}" &
child=$!
trap 'kill -TERM $child 2>/dev/null; wait $child; exit 1' TERM INT HUP
wait $child
