#!/usr/bin/env bash
# bfloat16 against float32 training, side by side (issue 26): one epoch of MNIST (batch
# 64, Adam) on the seed's model through the trainer (blnk_bench_e2e --mode train), in
# float32 and with --precision bf16, alternately, --pairs times, on 1 and 2 threads;
# then a table of medians (min-max) and the ratio bf16 / float32 against the issue's
# floor (1.35x). --emulated adds the bf16 run without the AVX512_BF16 instructions.
#
#   bench/bf16.sh                          # 3 pairs of full epochs (a few minutes)
#   bench/bf16.sh --pairs 5 --limit 20000 --build build --out /tmp/bf16.jsonl
#
# Not part of the test suite: it measures, it does not check.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
pairs=3
limit=0
build="$root/build"
out=""
data=/work/shared/data/mnist
kinds=(fp32 bf16)
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pairs) pairs="$2"; shift ;;
    --limit) limit="$2"; shift ;;
    --build) build="$2"; shift ;;
    --out) out="$2"; shift ;;
    --data) data="$2"; shift ;;
    --emulated) kinds+=(bf16-emulated) ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bf16.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ "$pairs" =~ ^[1-9][0-9]*$ ]] || { echo "bf16.sh: --pairs needs a positive number" >&2; exit 2; }
[[ "$limit" =~ ^[0-9]+$ ]] || { echo "bf16.sh: --limit needs a number of images (0: all)" >&2; exit 2; }
e2e="$build/bench/blnk_bench_e2e"
[[ -x "$e2e" ]] || { echo "bf16.sh: $e2e not built (cmake --build build --target blnk_bench_e2e -j2)" >&2; exit 1; }
out="${out:-$(mktemp /tmp/blnk-bf16.XXXXXX.jsonl)}"
: >"$out"

echo "bf16 vs float32 training: $(date -u '+%Y-%m-%d %H:%M UTC'), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs" >&2
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); pairs: $pairs; results: $out" >&2
for ((p = 1; p <= pairs; ++p)); do
  echo "pair $p of $pairs" >&2
  for t in 1 2; do
    for kind in "${kinds[@]}"; do
      load="$(cut -d' ' -f1 /proc/loadavg)"
      line="$("$e2e" --mode train --threads "$t" --limit "$limit" --data "$data" --precision "$kind")"
      line="{\"label\":\"$kind-$t\",\"load_before\":$load,${line#\{}"
      echo "$line" >>"$out"
      echo "  $line" >&2
    done
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

/usr/bin/python3 - "$out" "${kinds[@]}" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
kinds = sys.argv[2:]
def cell(label):
    v = [r["images_per_s"] for r in rows if r["label"] == label]
    return statistics.median(v), min(v), max(v)
def ratios(label, base):  # pair by pair
    a = [r["images_per_s"] for r in rows if r["label"] == label]
    b = [r["images_per_s"] for r in rows if r["label"] == base]
    return [x / y for x, y in zip(a, b)]
print("| threads | " + " | ".join(f"{k} images/s" for k in kinds) + " | bf16 / fp32 (pairs) | floor |")
print("|---|" + "---|" * len(kinds) + "---|---|")
for t in (1, 2):
    cells = [cell(f"{k}-{t}") for k in kinds]
    r = ratios(f"bf16-{t}", f"fp32-{t}")
    print(f"| {t} | " + " | ".join(f"{c[0]:,.0f} ({c[1]:,.0f}-{c[2]:,.0f})" for c in cells) +
          f" | {cells[1][0] / cells[0][0]:.2f}x ({min(r):.2f}-{max(r):.2f}) | 1.35x |")
PY
