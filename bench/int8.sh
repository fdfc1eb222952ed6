#!/usr/bin/env bash
# int8 against float32 inference, side by side (issue 26): the bundled model and its
# int8 copy (blnk quantize, calibrated on 3,000 training images), alternately, --pairs
# times: batch-256 inference over the 10k MNIST test images on 1 and 2 threads, and
# single-image latency (1 thread, median of 2,000 runs); ONNX Runtime (onnxruntime-node,
# bench/ort_bench.js) on the float model's ONNX export beside them when its node_modules
# is found (--ort-modules DIR; default: the one the ONNX tests install in the build tree);
# then a table of medians and ratios with the floors of issue 26 (1.4x float32 on each
# thread count, latency <= 25 us).
#
#   bench/int8.sh                       # 5 pairs (a few minutes)
#   bench/int8.sh --pairs 3 --build build --out /tmp/int8.jsonl --ort-modules DIR/node_modules
#
# Not part of the test suite: it measures, it does not check.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
pairs=5
build="$root/build"
out=""
data=/work/shared/data/mnist
ort_modules=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pairs) pairs="$2"; shift ;;
    --build) build="$2"; shift ;;
    --out) out="$2"; shift ;;
    --data) data="$2"; shift ;;
    --ort-modules) ort_modules="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "int8.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$pairs" =~ ^[1-9][0-9]*$ ]] || { echo "int8.sh: --pairs needs a positive number" >&2; exit 2; }
e2e="$build/bench/blnk_bench_e2e"
blnk="$build/blnk"
for f in "$e2e" "$blnk"; do
  [[ -x "$f" ]] || { echo "int8.sh: $f not built (cmake --build build --target blnk blnk_bench_e2e -j2)" >&2; exit 1; }
done
out="${out:-$(mktemp /tmp/blnk-int8.XXXXXX.jsonl)}"
: >"$out"
float_model="$root/models/mnist.blnk"
int8_model="$(dirname "$out")/$(basename "$out" .jsonl)-int8.blnk"
"$blnk" quantize "$float_model" --data "$data" --out "$int8_model" --threads 2
ort_modules="${ort_modules:-$build/tests/onnx/node/node_modules}"
ort=()
if [[ -d "$ort_modules/onnxruntime-node" ]] && command -v node >/dev/null; then
  onnx_model="$(dirname "$out")/$(basename "$out" .jsonl)-float.onnx"
  "$blnk" export-onnx "$float_model" --out "$onnx_model"
  ort=(env NODE_PATH="$ort_modules" node "$here/ort_bench.js" "$onnx_model" "$data")
else
  echo "int8.sh: no onnxruntime-node in $ort_modules: ONNX Runtime left out (--ort-modules DIR)" >&2
fi

run() {  # run LABEL COMMAND...: each JSON line the command prints, tagged, appended to $out
  local label="$1"; shift
  local load line
  load="$(cut -d' ' -f1 /proc/loadavg)"
  while IFS= read -r line; do
    [[ "$line" == \{* ]] || continue
    line="{\"label\":\"$label\",\"load_before\":$load,${line#\{}"
    echo "$line" >>"$out"
    echo "  $line" >&2
  done < <("$@")
}

echo "int8 vs float32: $(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs" >&2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); pairs: $pairs; results: $out" >&2
for ((p = 1; p <= pairs; ++p)); do
  echo "pair $p of $pairs" >&2
  for t in 1 2; do
    for kind in float int8; do
      model="$float_model"; [[ $kind == int8 ]] && model="$int8_model"
      run "batch$t-$kind" "$e2e" --mode batch --threads "$t" --passes 3 --data "$data" --model "$model"
    done
    [[ ${#ort[@]} -gt 0 ]] && run "batch$t-ort" "${ort[@]}" --mode batch --threads "$t" --passes 3
  done
  for kind in float int8; do
    model="$float_model"; [[ $kind == int8 ]] && model="$int8_model"
    run "latency-$kind" "$e2e" --mode latency --runs 2000 --data "$data" --model "$model"
  done
  [[ ${#ort[@]} -gt 0 ]] && run "latency-ort" "${ort[@]}" --mode latency --threads 1 --runs 2000
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

/usr/bin/python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def values(label, key):
    return [r[key] for r in rows if r["label"] == label]
def cell(label, key):
    v = values(label, key)
    return statistics.median(v), min(v), max(v)
def shown(c, fmt):
    return "-" if c is None else f"{c[0]:{fmt}} ({c[1]:{fmt}}-{c[2]:{fmt}})"
def maybe(label, key):
    return cell(label, key) if values(label, key) else None
print("| figure | ONNX Runtime float32 | blnk float32 | blnk int8 | int8 / float32 | int8 / ONNX Runtime | floor |")
print("|---|---|---|---|---|---|---|")
for t in (1, 2):
    o = maybe(f"batch{t}-ort", "images_per_s")
    f, i = cell(f"batch{t}-float", "images_per_s"), cell(f"batch{t}-int8", "images_per_s")
    print(f"| batch-256 images/s, {t} thread{'s' if t > 1 else ''} | {shown(o, ',.0f')} | {shown(f, ',.0f')} | "
          f"{shown(i, ',.0f')} | {i[0] / f[0]:.2f}x | {'-' if o is None else f'{i[0] / o[0]:.2f}x'} | 1.4x float32 |")
for key, name in (("median_us", "median"), ("min_us", "min")):
    o = maybe("latency-ort", key)
    f, i = cell("latency-float", key), cell("latency-int8", key)
    print(f"| single-image latency, {name} us (1 thread) | {shown(o, '.1f')} | {shown(f, '.1f')} | {shown(i, '.1f')} | "
          f"{f[0] / i[0]:.2f}x faster | {'-' if o is None else f'{o[0] / i[0]:.2f}x faster'} | int8 <= 25 us |")
PY
