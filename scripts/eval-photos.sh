#!/usr/bin/env bash
# Accuracy of `blnk predict` on a folder of digit images whose file names start
# with their label (7_f03_1.png is a 7), e.g. ../shared/data/photo-digits:
#
#   scripts/eval-photos.sh DIR [MODEL]
#
# Prints one line per misread or unreadable file, then
#   accuracy: CORRECT of COUNT (PERCENT%)
# Files whose name does not start with a digit are ignored (and counted).
#
# Environment: BLNK = the blnk binary (default: build/blnk beside this script's
# tree); BLNK_MIN_PERCENT = fail (exit 1) below this accuracy.
# Exit status: 0 done (and at or above BLNK_MIN_PERCENT), 1 below it or blnk
# failed to run, 2 usage, 77 DIR does not exist (a skip for ctest).
set -euo pipefail

usage() {
  echo "usage: $0 DIR [MODEL]" >&2
  exit 2
}
[[ $# -ge 1 && $# -le 2 ]] || usage
dir=$1
model=${2:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
blnk=${BLNK:-$here/build/blnk}

if [[ ! -d $dir ]]; then
  echo "$0: no directory $dir (skipped)" >&2
  exit 77
fi
if [[ ! -x $blnk ]]; then
  echo "$0: no blnk binary at $blnk (build it, or set BLNK)" >&2
  exit 1
fi

args=(predict --json)
[[ -n $model ]] && args+=(--model "$model")
status=0
json=$("$blnk" "${args[@]}" "$dir" 2>/dev/null) || status=$?
if [[ $status -gt 1 || -z $json ]]; then
  echo "$0: $blnk ${args[*]} $dir failed (exit $status)" >&2
  "$blnk" "${args[@]}" "$dir" >/dev/null || true
  exit 1
fi

# One JSON object per line: {"file":"...","digit":D,...} or {"file":"...","error":"..."}.
printf '%s\n' "$json" | awk -v min="${BLNK_MIN_PERCENT:-0}" '
  {
    file = $0
    sub(/^\{"file":"/, "", file)
    sub(/","(digit|error)".*$/, "", file)
    n = split(file, parts, "/")
    label = substr(parts[n], 1, 1)
    if (label !~ /^[0-9]$/) { ignored++; next }
    count++
    if (match($0, /"digit":[0-9]/)) {
      digit = substr($0, RSTART + 8, 1)
      if (digit == label) { correct++; next }
      printf "misread: %s read as %s\n", file, digit
    } else {
      err = $0
      sub(/^.*"error":"/, "", err)
      sub(/"\}$/, "", err)
      printf "unread:  %s (%s)\n", file, err
    }
  }
  END {
    if (ignored) printf "ignored %d files whose name does not start with a digit\n", ignored
    if (!count) { print "accuracy: no labelled images"; exit 1 }
    percent = 100 * correct / count
    printf "accuracy: %d of %d (%.1f%%)\n", correct, count, percent
    if (percent < min) { printf "below the floor of %s%%\n", min; exit 1 }
  }'
