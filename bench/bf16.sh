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
def values(label, key):
    return [r[key] for r in rows if r["label"] == label]
def cell(label, key):
    v = values(label, key)
    return f"{statistics.median(v):,.0f} ({min(v):,.0f}-{max(v):,.0f})"
def ratio(t, key):  # bf16 / fp32, pair by pair: each pair's two runs saw about the same competition
    r = [b / a for a, b in zip(values(f"fp32-{t}", key), values(f"bf16-{t}", key))]
    return f"{statistics.median(r):.2f}x ({min(r):.2f}-{max(r):.2f})"
# Images per CPU second (user + system over the epoch): what the competition of a shared
# machine moves least for one thread; with two, waiting at the slices' barrier counts too.
for key, name in (("images_per_s", "images/s"), ("images_per_cpu_s", "images per CPU second")):
    print(f"\n| threads | " + " | ".join(f"{k}, {name}" for k in kinds) + " | bf16 / fp32, median of the pairs (min-max) | floor |")
    print("|---|" + "---|" * len(kinds) + "---|---|")
    for t in (1, 2):
        print(f"| {t} | " + " | ".join(cell(f"{k}-{t}", key) for k in kinds) + f" | {ratio(t, key)} | 1.35x |")
PY
