#!/usr/bin/env bash
# The side-by-side of issue 6: blnk against tuned PyTorch on the seed's model,
# run alternately (blnk, torch, blnk, torch, ... for every figure, --pairs times),
# then a table of medians, spreads (min-max), ratios, the floors of issue 6 and
# each blnk figure as a fraction of the SGEMM ceiling measured in the same run.
#
#   bench/compare.sh                 # full: 3 pairs, full MNIST epochs (about 12 minutes)
#   bench/compare.sh --quick         # smoke run: 1 pair, 3,200 training images, fewer runs
#   bench/compare.sh --pairs 5 --build build-bench --out /tmp/side-by-side.jsonl
#
# Figures: training images/s (one epoch, batch 64, Adam) at 2 threads and 1 thread,
# single-image latency (median and p99 of 2,000 runs, 1 thread), batch-256 inference
# images/s (2 threads), peak resident memory of each process. PyTorch runs through
# bench/tuned_torch.sh; its inference is a frozen TorchScript module (its fastest
# path here, channels_last); the eager contiguous model (the issue's configuration)
# is measured too.
# Not part of the test suite: it takes minutes and measures, it does not check.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
pairs=3
quick=0
build=""
out=""
data=/work/shared/data/mnist
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1 ;;
    --pairs) pairs="$2"; shift ;;
    --build) build="$2"; shift ;;
    --out) out="$2"; shift ;;
    --data) data="$2"; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$pairs" =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: --pairs needs a positive number" >&2; exit 2; }

# The build directory: --build, else the first of build/ and build-bench/ holding the benchmark.
if [[ -z "$build" ]]; then
  for d in build build-bench; do
    [[ -x "$root/$d/bench/blnk_bench_e2e" ]] && { build="$root/$d"; break; }
  done
fi
e2e="${build:-$root/build}/bench/blnk_bench_e2e"
[[ -x "$e2e" ]] || { echo "compare.sh: $e2e not built (cmake --build build --target blnk_bench_e2e -j2)" >&2; exit 1; }
torch=("$here/tuned_torch.sh")

limit=0; runs=2000; passes=3; reps=10
if [[ $quick == 1 ]]; then
  limit=3200; runs=300; passes=1; reps=3
  [[ $pairs == 3 ]] && pairs=1
fi
out="${out:-$(mktemp /tmp/blnk-compare.XXXXXX.jsonl)}"
: >"$out"

# run LABEL PAIR COMMAND...: one measurement; each JSON line it prints is tagged and appended to $out.
run() {
  local label="$1" pair="$2"; shift 2
  local output line load found=0
  load="$(cut -d' ' -f1 /proc/loadavg)"  # other work on the machine shows here
  output="$("$@")"
  while IFS= read -r line; do
    [[ "$line" == \{* ]] || continue
    found=1
    line="{\"label\":\"$label\",\"pair\":$pair,\"load_before\":$load,${line#\{}"
    echo "$line" >>"$out"
    echo "  $line" >&2
  done <<<"$output"
  [[ $found == 1 ]] || { echo "compare.sh: '$*' printed no JSON line" >&2; exit 1; }
}

echo "blnk vs PyTorch: $(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs" >&2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); pairs: $pairs; results: $out" >&2
run config 0 "${torch[@]}" --mode config

for t in 1 2; do run sgemm 0 "$e2e" --mode sgemm --threads "$t" --reps "$reps"; done

for ((p = 1; p <= pairs; ++p)); do
  echo "pair $p of $pairs" >&2
  for t in 2 1; do
    run "train$t" "$p" "$e2e" --mode train --threads "$t" --limit "$limit" --data "$data"
    run "train$t" "$p" "${torch[@]}" --mode train --threads "$t" --limit "$limit" --data "$data"
  done
  run latency "$p" "$e2e" --mode latency --runs "$runs" --data "$data"
  run latency "$p" "${torch[@]}" --mode latency --runs "$runs" --data "$data"
  run latency_eager "$p" "${torch[@]}" --mode latency --runs "$runs" --data "$data" --no-jit --layout contiguous
  run batch "$p" "$e2e" --mode batch --threads 2 --passes "$passes" --data "$data"
  run batch "$p" "${torch[@]}" --mode batch --threads 2 --passes "$passes" --data "$data"
  run batch_eager "$p" "${torch[@]}" --mode batch --threads 2 --passes "$passes" --data "$data" --no-jit --layout contiguous
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "results: $out" >&2

/usr/bin/python3 "$here/compare_table.py" "$out"
