#!/usr/bin/python3
"""Where the time goes: a markdown table from blnk_bench_layers' JSON output.

  ./build/bench/blnk_bench_layers --benchmark_out=layers.json --benchmark_out_format=json
  /usr/bin/python3 bench/layers_table.py layers.json

Per layer of the default model: training forward and backward at batch 64 (ms per
batch, share of the sum, GFLOP/s or GB/s), and inference forward at batch 1 (us,
share). Times are real time per iteration (one thread).
"""
import json
import re
import sys

UNIT = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def main():
    with open(sys.argv[1]) as f:
        report = json.load(f)
    t = {}    # name -> seconds per iteration
    rate = {}  # name -> "123 GF/s" or "12 GB/s"
    for b in report["benchmarks"]:
        if b.get("run_type", "iteration") != "iteration":
            continue
        name = b["name"]
        t[name] = b["real_time"] * UNIT[b["time_unit"]]
        if "FLOPS" in b:
            rate[name] = f"{b['FLOPS'] * 1e-9:.0f} GF/s"
        elif "bytes_per_second" in b:
            rate[name] = f"{b['bytes_per_second'] * 1e-9:.1f} GB/s"
    layers = sorted({m.group(1) for n in t for m in [re.match(r"layer/\w+/b64/(.+)", n)] if m})
    train = {l: t.get(f"layer/fwd/b64/{l}", 0) + t.get(f"layer/bwd/b64/{l}", 0) for l in layers}
    infer = {l: t.get(f"layer/fwd_infer/b1/{l}", 0) for l in layers}
    total_train, total_infer = sum(train.values()), sum(infer.values())
    print("| layer | fwd b64 ms | bwd b64 ms | fwd+bwd share | fwd rate | bwd rate | infer b1 us | b1 share |")
    print("|---|---|---|---|---|---|---|---|")
    for l in layers:
        f, b = t.get(f"layer/fwd/b64/{l}", 0), t.get(f"layer/bwd/b64/{l}", 0)
        print(f"| {l} | {f * 1e3:.3f} | {b * 1e3:.3f} | {train[l] / total_train:.1%} "
              f"| {rate.get(f'layer/fwd/b64/{l}', '')} | {rate.get(f'layer/bwd/b64/{l}', '')} "
              f"| {infer[l] * 1e6:.1f} | {infer[l] / total_infer:.1%} |")
    print(f"| **sum** | {sum(t.get(f'layer/fwd/b64/{l}', 0) for l in layers) * 1e3:.2f} "
          f"| {sum(t.get(f'layer/bwd/b64/{l}', 0) for l in layers) * 1e3:.2f} | 100% | | "
          f"| {total_infer * 1e6:.1f} | 100% |")
    print()
    print("| whole network | time per batch | images/s | GFLOP/s |")
    print("|---|---|---|---|")
    for b in report["benchmarks"]:
        if b["name"].startswith("net/"):
            s = b["real_time"] * UNIT[b["time_unit"]]
            print(f"| {b['name']} | {s * 1e3:.3f} ms | {b['images/s']:,.0f} | {b['FLOPS'] * 1e-9:.0f} |")


if __name__ == "__main__":
    main()
