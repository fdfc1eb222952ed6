#!/bin/sh
# Inference through the public API (blnk_bench_api) beside the engine measured
# directly (bench/'s blnk_bench_e2e): latency and batch-256, ROUNDS alternating
# rounds in one run, the median and range of each (docs/benchmarks.md).
#   api/tools/compare_e2e.sh [BUILD_DIR] [ROUNDS] [THREADS]
#   (after cmake --build BUILD_DIR --target blnk_bench_api blnk_bench_e2e)
set -eu
build=${1:-build} rounds=${2:-7} threads=${3:-2}
here=$(cd "$(dirname "$0")/../.." && pwd)
model=$here/models/mnist.blnk
images=${BLNK_DATA_DIR:-$here/../shared/data/mnist}/t10k-images-idx3-ubyte.gz
out=$(mktemp)
trap 'rm -f "$out"' EXIT
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
i=0
while [ $i -lt "$rounds" ]; do
  echo "e2e latency $("$build/bench/blnk_bench_e2e" --mode latency | field median_us)" >>"$out"
  echo "api latency $("$build/api/blnk_bench_api" latency "$model" "$images" | field median_us)" >>"$out"
  echo "e2e batch $("$build/bench/blnk_bench_e2e" --mode batch --threads "$threads" | field images_per_s)" >>"$out"
  echo "api batch $("$build/api/blnk_bench_api" batch "$model" "$images" "$threads" | field images_per_s)" >>"$out"
  i=$((i + 1))
done
summary() {  # engine mode -> "median (min-max)"
  grep "^$1 $2 " "$out" | cut -d' ' -f3 | sort -n | awk '{v[NR]=$1} END {printf "%s (%s-%s)", v[int((NR+1)/2)], v[1], v[NR]}'
}
echo "rounds: $rounds, batch threads: $threads, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "latency median, us:       e2e $(summary e2e latency)   api $(summary api latency)"
echo "batch-256, images/s:      e2e $(summary e2e batch)   api $(summary api batch)"
