#!/usr/bin/env bash
# Fault injection: saving a model where it cannot be saved. `blnk train` must fail
# with a clear error (exit 1) and leave the previous model file byte-identical,
# with no temporary file left behind, when the output is on
#   1. a full file system (a 64 KiB tmpfs, filled up), failing at the first
#      checkpoint, or (checkpoints elsewhere) at the final model,
#   2. a read-only file system (a tmpfs remounted read-only),
#   3. a directory that does not exist, and a path under a non-directory (/dev/full/x).
# 1 and 2 mount a tmpfs, so they need root; without it they are skipped.
#   scripts/fault-full-disk.sh [MNIST_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
blnk=${BLNK:-build/blnk}
data=${1:-../shared/data/mnist}
work=$(mktemp -d)
mounted=()
cleanup() {
  for m in "${mounted[@]}"; do umount "$m" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# A tiny model (3,390 parameters, 14 KB) trained in a second.
train=("$blnk" train --data "$data" --arch conv2,pool,flatten,dense10 --limit 500 --epochs 1 --threads 1 --quiet)
"${train[@]}" --seed 1 --out "$work/previous.blnk"
failures=0

# expect_refused NAME DIR: training into DIR/model.blnk (holding the previous model,
# if any) must exit 1 with a one-line error and change nothing in DIR.
expect_refused() {
  local name=$1 dir=$2 before after rc=0
  shift 2
  before=$(ls -A "$dir" 2>/dev/null | sort | tr '\n' ' ' || true)
  "${train[@]}" --seed 2 --out "$dir/model.blnk" "$@" 2>"$work/err" || rc=$?
  after=$(ls -A "$dir" 2>/dev/null | sort | tr '\n' ' ' || true)
  local msg
  msg=$(head -c 300 "$work/err" | tr '\n' ' ')
  if [ "$rc" -ne 1 ]; then
    echo "FAIL $name: exit $rc (expected 1): $msg"; failures=$((failures + 1)); return
  fi
  if [ -f "$dir/model.blnk" ] && ! cmp -s "$dir/model.blnk" "$work/previous.blnk"; then
    echo "FAIL $name: the previous model file changed"; failures=$((failures + 1)); return
  fi
  if [ "$before" != "$after" ]; then
    echo "FAIL $name: files changed: [$before] -> [$after]"; failures=$((failures + 1)); return
  fi
  echo "ok   $name: exit 1, previous file intact, nothing left behind: $msg"
}

if [ "$(id -u)" -eq 0 ] && mkdir -p "$work/full" && mount -t tmpfs -o size=64k tmpfs "$work/full" 2>/dev/null; then
  mounted+=("$work/full")
  cp "$work/previous.blnk" "$work/full/model.blnk"
  # Fill what is left, so the new file (and its checkpoint) cannot be written.
  dd if=/dev/zero of="$work/full/filler" bs=1k 2>/dev/null || true
  expect_refused "full disk (64 KiB tmpfs), at the checkpoint" "$work/full"
  # The checkpoint elsewhere: the final model write is what fails.
  mkdir -p "$work/ckpt"
  expect_refused "full disk (64 KiB tmpfs), at the final model" "$work/full" --checkpoint-dir "$work/ckpt"

  mkdir -p "$work/ro"
  mount -t tmpfs -o size=1m tmpfs "$work/ro"
  mounted+=("$work/ro")
  cp "$work/previous.blnk" "$work/ro/model.blnk"
  mount -o remount,ro "$work/ro"
  expect_refused "read-only file system" "$work/ro"
else
  echo "skip full disk and read-only file system: mounting a tmpfs needs root"
fi

expect_refused "missing directory" "$work/does-not-exist"
rc=0
"${train[@]}" --seed 2 --out /dev/full/model.blnk 2>"$work/err" || rc=$?
if [ "$rc" -eq 1 ]; then
  echo "ok   path under a non-directory (/dev/full/model.blnk): exit 1: $(head -c 300 "$work/err" | tr '\n' ' ')"
else
  echo "FAIL path under a non-directory: exit $rc"; failures=$((failures + 1))
fi

[ "$failures" -eq 0 ] && echo "all save faults refused cleanly" || { echo "$failures save-fault checks failed"; exit 1; }
