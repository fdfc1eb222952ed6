#!/usr/bin/env bash
# Fault injection: kill -9 `blnk train` at random moments, TRIALS times. After
# every kill the last checkpoint must load, and `--resume` must complete with a
# model byte-identical to that of an uninterrupted run (same seed and threads).
#   scripts/fault-kill-training.sh [MNIST_DIR] [TRIALS]
set -euo pipefail
cd "$(dirname "$0")/.."
blnk=${BLNK:-build/blnk}
data=${1:-../shared/data/mnist}
trials=${2:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
train=("$blnk" train --data "$data" --limit 3000 --epochs 3 --threads 2 --seed 7 --quiet)

start=$(date +%s.%N)
"${train[@]}" --out "$work/reference.blnk"
# Kill anywhere in a whole run (not only in its first epoch): up to its length.
span=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
killed_before_checkpoint=0
for trial in $(seq 1 "$trials"); do
  rm -f "$work"/run.blnk*
  "${train[@]}" --out "$work/run.blnk" &
  pid=$!
  delay=$(awk -v s="$RANDOM" -v span="$span" 'BEGIN { srand(s); printf "%.2f", 0.3 + rand() * span }')
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -f "$work/run.blnk.ckpt" ]; then
    how=resumed
    "$blnk" summary "$work/run.blnk.ckpt" >/dev/null || { echo "trial $trial: checkpoint does not load" >&2; exit 1; }
    "${train[@]}" --out "$work/run.blnk" --resume
  else
    how=restarted
    killed_before_checkpoint=$((killed_before_checkpoint + 1))
    "${train[@]}" --out "$work/run.blnk"
  fi
  cmp -s "$work/run.blnk" "$work/reference.blnk" || { echo "trial $trial (killed after ${delay}s): $how model differs" >&2; exit 1; }
  echo "trial $trial: killed after ${delay}s, $how, model identical"
done
echo "$trials trials passed ($killed_before_checkpoint killed before the first checkpoint)"
