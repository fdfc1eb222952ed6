#!/usr/bin/python3
"""Reads the stress suite (scripts/make-stress-set.py) with `blnk predict --json`
and prints a table: kind x margin (or orientation) -> accuracy and verdicts.

    /usr/bin/python3 scripts/stress-eval.py SUITE_DIR [--blnk build/blnk] [--model M]
        [--floor 97] [--misses N] [--json OUT]

A file name starts with its label: a digit, `x` for a non-digit, or
`n<number>_` for a number written in a row (right when the reading's `number`
is that number, whole, and the verdict is not `not_a_digit`; the column
"digit" counts the verdicts `digit` and `number`). A kind named in
SUITE_DIR/heldout.txt (scripts/make-heldout-set.py writes one) is marked
"held out" in the table: nothing was trained or tuned on it.

For digits, "right" means the best guess is the label and the verdict is not
`not_a_digit`; `uncertain` answers count as right when the guess is right (the
page shows them as a hesitant guess). For non-digits (file names starting with
"x"), "right" means the verdict `not_a_digit`. An image blnk cannot read (an
error line) is wrong for a digit and right for a non-digit only when blnk says
there is no digit in it. Expected calibration error (ECE, 15 equal-width bins
of the best guess's probability) over every digit image is printed at the end.

Exit status: 0, or 1 when a cell of single digits is under --floor percent,
more than 1% of single digits are answered not_a_digit, or under 90% of
non-digits are (only when --floor is given); numbers are reported, not held to
--floor; 2 usage.
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ECE_BINS = 15


def read_cell(blnk, model, folder):
    cmd = [blnk, "predict", "--json", "--top-k", "2"]
    if model:
        cmd += ["--model", model]
    proc = subprocess.run(cmd + [folder], capture_output=True, text=True)
    if proc.returncode > 1 or not proc.stdout:
        sys.exit(f"stress-eval: {' '.join(cmd)} {folder} failed (exit {proc.returncode}): {proc.stderr[:400]}")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


def verdict_of(r):
    if "error" in r:
        return "unread"
    return r.get("verdict", "digit")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("suite")
    parser.add_argument("--blnk", default=os.path.join(HERE, "..", "build", "blnk"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--floor", type=float, default=None, help="fail below this percent in any digit cell")
    parser.add_argument("--misses", type=int, default=0, help="list up to N wrong answers per cell")
    parser.add_argument("--json", default=None, help="also write every answer to this file")
    args = parser.parse_args()
    if not os.path.isdir(args.suite):
        print(f"stress-eval: no directory {args.suite} (skipped)", file=sys.stderr)
        return 77

    heldout = set()
    heldout_list = os.path.join(args.suite, "heldout.txt")
    if os.path.exists(heldout_list):
        with open(heldout_list) as f:
            heldout = {line.strip() for line in f if line.strip() and not line.startswith("#")}

    rows, everything = [], []
    digits_total = digits_nad = nondigit_total = nondigit_right = numbers_total = numbers_nad = 0
    confidences = []  # (probability of the guess, right?) for every digit read
    failed = False
    for kind in sorted(os.listdir(args.suite)):
        kdir = os.path.join(args.suite, kind)
        if not os.path.isdir(kdir):
            continue
        cells = sorted(os.listdir(kdir), key=lambda c: (len(c), c))
        for cell in cells:
            folder = os.path.join(kdir, cell)
            results = read_cell(args.blnk, args.model, folder)
            counts = {"digit": 0, "uncertain": 0, "not_a_digit": 0, "unread": 0}
            right, misses = 0, []
            for r in results:
                name = os.path.basename(r["file"])
                label = name[0]
                v = verdict_of(r)
                counts["digit" if v == "number" else v] = counts.get("digit" if v == "number" else v, 0) + 1
                r["kind"], r["cell"] = kind, cell
                everything.append(r)
                if label == "n":
                    number = name[1:name.index("_")]
                    ok = v in ("digit", "number", "uncertain") and str(r.get("number")) == number
                    numbers_total += 1
                    numbers_nad += v == "not_a_digit"
                elif label == "x":
                    ok = v == "not_a_digit" or (v == "unread" and "no digit" in r.get("error", ""))
                    nondigit_total += 1
                    nondigit_right += ok
                else:
                    ok = v in ("digit", "uncertain") and str(r.get("digit")) == label
                    digits_total += 1
                    digits_nad += v == "not_a_digit"
                    if v != "unread" and "probability" in r:
                        confidences.append((r["probability"], str(r.get("digit")) == label))
                right += ok
                if not ok and len(misses) < args.misses:
                    guess = r.get("error") or f"{r.get('number') or r.get('digit')} ({100 * r.get('probability', 0):.1f}%, {v}; {r.get('reason', '')})"
                    misses.append(f"    {name}: {guess}")
            n = len(results)
            pct = 100.0 * right / n if n else 0.0
            # --floor holds for single digits; numbers are reported (their floor: issue 21).
            is_digit_cell = all(os.path.basename(r["file"])[0].isdigit() for r in results)
            if args.floor is not None and is_digit_cell and pct < args.floor:
                failed = True
            times = sorted(r["elapsed_ms"] for r in results if "elapsed_ms" in r)
            median_ms = times[len(times) // 2] if times else float("nan")
            rows.append((kind, cell, n, right, pct, counts, misses, median_ms))

    print(f"{'kind':12s} {'cell':10s} {'images':>6s} {'right':>7s}  digit uncertain not_a_digit unread  median ms")
    for kind, cell, n, right, pct, c, misses, median_ms in rows:
        mark = "  held out" if kind in heldout else ""
        print(f"{kind:12s} {cell:10s} {n:6d} {pct:6.1f}%  {c['digit']:5d} {c['uncertain']:9d} "
              f"{c['not_a_digit']:11d} {c['unread']:6d} {median_ms:10.2f}{mark}")
        for line in misses:
            print(line)
    if digits_total:
        print(f"digits answered not_a_digit: {digits_nad} of {digits_total} ({100.0 * digits_nad / digits_total:.2f}%)")
    if numbers_total:
        print(f"numbers answered not_a_digit: {numbers_nad} of {numbers_total} ({100.0 * numbers_nad / numbers_total:.2f}%)")
    if nondigit_total:
        print(f"non-digits answered not_a_digit: {nondigit_right} of {nondigit_total} "
              f"({100.0 * nondigit_right / nondigit_total:.1f}%)")
    if confidences:
        ece = 0.0
        for b in range(ECE_BINS):
            lo, hi = b / ECE_BINS, (b + 1) / ECE_BINS
            inside = [(p, ok) for p, ok in confidences if lo < p <= hi or (b == 0 and p == 0)]
            if inside:
                conf = sum(p for p, _ in inside) / len(inside)
                acc = sum(ok for _, ok in inside) / len(inside)
                ece += len(inside) / len(confidences) * abs(conf - acc)
        print(f"expected calibration error over {len(confidences)} digit answers: {100 * ece:.2f}%")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(everything, f)
    if args.floor is not None:
        if digits_total and digits_nad > 0.01 * digits_total:
            failed = True
        if nondigit_total and nondigit_right < 0.9 * nondigit_total:
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
