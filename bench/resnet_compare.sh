#!/usr/bin/env bash
# Issue 22's speed figure: training throughput of the small residual network
# `conv32,bn,res32,res64:s=2,res128:s=2,gap,dense10` on 28x28x1, blnk against tuned
# PyTorch (bench/tuned_torch.sh --model resnet: the same layers, init, Adam, batch 64),
# each a whole process timed from start to exit (reading the data, building the
# model, one epoch over the first --limit training images), in alternating pairs
# (blnk, torch, blnk, torch, ...), then the medians and their ratio.
#
#   bench/resnet_compare.sh                       # 3 pairs, 6,400 images, 2 threads
#   bench/resnet_compare.sh --pairs 5 --limit 12800 --threads 2 --build build --data DIR
#
# The data only has to be 28x28 IDX files with labels (speed does not depend on the
# pictures): MNIST from ../shared/data/mnist by default, Fashion-MNIST with
# --data /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).
# Not part of the test suite: it measures, it does not check.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
pairs=3 limit=6400 threads=2 build="$root/build" data="$root/../shared/data/mnist"
spec="conv32,bn,res32,res64:s=2,res128:s=2,gap,dense10"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pairs) pairs="$2"; shift ;;
    --limit) limit="$2"; shift ;;
    --threads) threads="$2"; shift ;;
    --build) build="$2"; shift ;;
    --data) data="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "resnet_compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in "$pairs" "$limit" "$threads"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "resnet_compare.sh: '$n' is not a positive number" >&2; exit 2; }
done
blnk="$build/blnk"
[[ -x "$blnk" ]] || { echo "resnet_compare.sh: $blnk not built (cmake --build build --target blnk -j2)" >&2; exit 1; }
find_idx() {  # the plain or gzipped file
  for f in "$data/$1" "$data/$1.gz"; do [[ -f "$f" ]] && { echo "$f"; return 0; }; done
  echo "resnet_compare.sh: no $1[.gz] in $data (--data DIR)" >&2; exit 1
}
images=$(find_idx train-images-idx3-ubyte) labels=$(find_idx train-labels-idx1-ubyte)
out=$(mktemp -d /tmp/blnk-resnet.XXXXXX)
trap 'rm -rf "$out"' EXIT

seconds() {  # COMMAND...: the wall time of the whole process, in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >"$out/last.log" 2>&1 || { cat "$out/last.log" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $pairs pairs, $limit images, $threads threads, $spec"
blnk_times=() torch_times=()
for ((p = 1; p <= pairs; ++p)); do
  b=$(seconds "$blnk" train --train-images "$images" --train-labels "$labels" --limit "$limit" --epochs 1 \
        --batch-size 64 --threads "$threads" --seed 1 --arch "$spec" --quiet --out "$out/resnet.blnk")
  t=$(seconds "$here/tuned_torch.sh" --mode train --model resnet --data "$data" --limit "$limit" --threads "$threads")
  torch_inner=$(grep -o '"images_per_s": [0-9.]*' "$out/last.log" | cut -d' ' -f2)
  printf 'pair %d: blnk %.2f s (%.0f images/s), torch %.2f s (%.0f images/s; %s inside its epoch)\n' \
    "$p" "$b" "$(echo "$limit / $b" | bc -l)" "$t" "$(echo "$limit / $t" | bc -l)" "$torch_inner"
  blnk_times+=("$b") torch_times+=("$t")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
mb=$(median "${blnk_times[@]}") mt=$(median "${torch_times[@]}")
printf 'median: blnk %.2f s = %.0f images/s, torch %.2f s = %.0f images/s, blnk / torch = %.2fx\n' \
  "$mb" "$(echo "$limit / $mb" | bc -l)" "$mt" "$(echo "$limit / $mt" | bc -l)" "$(echo "$mt / $mb" | bc -l)"
