#!/usr/bin/python3
"""The table of bench/compare.sh, from its JSON lines (one per measurement, tagged
with "label" and "pair"): medians and spreads (min-max) for blnk and PyTorch, the
ratio, the floor of issue 6 and whether it is met, and each blnk figure as a
fraction of the SGEMM ceiling measured in the same run.

  /usr/bin/python3 bench/compare_table.py /tmp/blnk-compare.XXXXXX.jsonl
"""
import json
import statistics
import sys


def load(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def values(rows, label, engine, key):
    return [r[key] for r in rows if r["label"] == label and r["engine"] == engine and key in r]


def spread(v, digits=0):
    if not v:
        return "-"
    fmt = f"{{:,.{digits}f}}"
    med = fmt.format(statistics.median(v))
    return med if len(v) == 1 else f"{med} ({fmt.format(min(v))}-{fmt.format(max(v))})"


def ceiling(rows, threads):
    best = {}
    for r in rows:
        if r["label"] == "sgemm" and r.get("threads") == threads and "gflops" in r:
            best[r["impl"]] = r["gflops"]
    return best.get("openblas") or best.get("eigen")


def main():
    rows = load(sys.argv[1])
    cfg = next((r for r in rows if r["label"] == "config"), None)
    out = []
    if cfg:
        out.append(f"PyTorch {cfg['torch']}, libraries: {', '.join(l.rsplit('/', 1)[-1] for l in cfg['libraries'])}, "
                   f"OPENBLAS_CORETYPE={cfg['openblas_coretype'] or '(unset)'}")
    out.append("")
    out.append("SGEMM 2048^3 ceiling, GFLOP/s (best of the repetitions):")
    for t in (1, 2):
        impls = {r["impl"]: r.get("gflops") for r in rows if r["label"] == "sgemm" and r.get("threads") == t}
        out.append(f"  {t} thread{'s' if t > 1 else ''}: " + ", ".join(f"{k} {v}" for k, v in impls.items()))
    out.append("")

    header = ("| figure | blnk median (min-max) | PyTorch median (min-max) | blnk advantage | floor | met "
              "| blnk GFLOP/s | of ceiling |")
    out += [header, "|" + "---|" * 8]

    def row(name, label, key, higher_better, floor, threads, digits=0, torch_label=None, extra_check=None):
        b = values(rows, label, "blnk", key)
        t = values(rows, torch_label or label, "torch", key)
        if not b or not t:
            return
        mb, mt = statistics.median(b), statistics.median(t)
        adv = mb / mt if higher_better else mt / mb
        met = "-"
        if floor is not None:
            met = "yes" if adv >= floor and (extra_check is None or extra_check(mb)) else "no"
        g = values(rows, label, "blnk", "gflops")
        c = ceiling(rows, threads)
        gf = f"{statistics.median(g):.0f}" if g and key != "peak_rss_mb" else "-"
        frac = f"{statistics.median(g) / c:.0%}" if g and c and key != "peak_rss_mb" else "-"
        floor_text = "-" if floor is None else f">= {floor}x"
        out.append(f"| {name} | {spread(b, digits)} | {spread(t, digits)} | {adv:.2f}x | {floor_text} | {met} "
                   f"| {gf} | {frac} |")
        return adv

    row("training, 2 threads, images/s", "train2", "images_per_s", True, 1.5, 2)
    row("training, 1 thread, images/s", "train1", "images_per_s", True, 1.5, 1)
    row("latency median, us (vs frozen TorchScript)", "latency", "median_us", False, 2.0, 1, 1,
        extra_check=lambda v: v < 200)
    row("latency p99, us (vs frozen TorchScript)", "latency", "p99_us", False, None, 1, 1)
    row("latency median, us (vs eager, the issue's)", "latency", "median_us", False, 2.0, 1, 1,
        torch_label="latency_eager", extra_check=lambda v: v < 200)
    row("latency p99, us (vs eager)", "latency", "p99_us", False, None, 1, 1, torch_label="latency_eager")
    row("batch-256 inference, images/s (vs TorchScript)", "batch", "images_per_s", True, 1.5, 2)
    row("batch-256 inference, images/s (vs eager)", "batch", "images_per_s", True, 1.5, 2, torch_label="batch_eager")
    row("peak RSS, training 2 threads, MB", "train2", "peak_rss_mb", False, 1.0, 2)
    row("peak RSS, training 1 thread, MB", "train1", "peak_rss_mb", False, 1.0, 1)
    row("peak RSS, latency, MB", "latency", "peak_rss_mb", False, None, 1)
    row("peak RSS, batch-256, MB", "batch", "peak_rss_mb", False, None, 2)

    # Scaling, per pair: training images/s at 2 threads over 1 thread.
    out.append("")
    for engine in ("blnk", "torch"):
        two = {r["pair"]: r["images_per_s"] for r in rows if r["label"] == "train2" and r["engine"] == engine}
        one = {r["pair"]: r["images_per_s"] for r in rows if r["label"] == "train1" and r["engine"] == engine}
        s = [two[p] / one[p] for p in two if p in one]
        if s:
            note = " (floor for blnk: >= 1.7x)" if engine == "blnk" else ""
            out.append(f"2-thread training scaling, {engine}: {spread(s, 2)}x{note}")
    loads = [r["load_before"] for r in rows if "load_before" in r and r["label"] not in ("config", "sgemm")]
    if loads:
        out.append(f"1-minute load average before each measurement (2 CPUs; above ~1 means other work "
                   f"shared the machine): {spread(loads, 2)}")
    print("\n".join(out))


if __name__ == "__main__":
    main()
