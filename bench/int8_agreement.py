#!/usr/bin/python3
"""How often an int8 model answers as its float model does, per family and cell of an
evaluation set (issue 26's floor: the answer differs on at most 0.1% of any family).

    /usr/bin/python3 scripts/stress-eval.py SUITE --model FLOAT.blnk --json float.json
    /usr/bin/python3 scripts/stress-eval.py SUITE --model INT8.blnk --json int8.json
    /usr/bin/python3 bench/int8_agreement.py float.json int8.json [--floor 0.1]

Compares, file by file, the answer (the best guess, or the number read for a row of
digits) and the verdict. Exit status 1 when --floor is given and some family's
answers differ on more than that percentage of its files; 2 on bad input.
"""

import argparse
import json
import sys
from collections import defaultdict


def answer_of(r):
    if "error" in r:
        return ("error", r.get("error"))
    return (r.get("number", r.get("digit")), r.get("verdict"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("float_json")
    parser.add_argument("int8_json")
    parser.add_argument("--floor", type=float, default=None, help="percent of a family's answers that may differ")
    args = parser.parse_args()
    try:
        with open(args.float_json) as f:
            before = {r["file"]: r for r in json.load(f)}
        with open(args.int8_json) as f:
            after = {r["file"]: r for r in json.load(f)}
    except (OSError, ValueError, KeyError) as e:
        print(f"int8_agreement.py: {e}", file=sys.stderr)
        return 2
    if before.keys() != after.keys():
        print("int8_agreement.py: the two files answer different images", file=sys.stderr)
        return 2
    if not before:
        print("int8_agreement.py: no answers in the files", file=sys.stderr)
        return 2
    families = defaultdict(lambda: [0, 0, 0])  # files, answer differs, verdict differs
    for name, r in before.items():
        s = after[name]
        for key in (r["kind"], f'{r["kind"]}/{r["cell"]}'):
            row = families[key]
            row[0] += 1
            row[1] += answer_of(r)[0] != answer_of(s)[0]
            row[2] += answer_of(r)[1] != answer_of(s)[1]
    print(f'{"family / cell":32} {"images":>7} {"answer differs":>15} {"verdict differs":>16}')
    worst = 0.0
    for key in sorted(families):
        n, answer, verdict = families[key]
        if "/" not in key:
            worst = max(worst, 100.0 * answer / n)
        print(f"{key:32} {n:7} {answer:7} ({100.0 * answer / n:4.1f}%) {verdict:7} ({100.0 * verdict / n:4.1f}%)")
    total = [sum(families[k][i] for k in families if "/" not in k) for i in range(3)]
    print(f'{"all":32} {total[0]:7} {total[1]:7} ({100.0 * total[1] / total[0]:4.2f}%) '
          f"{total[2]:7} ({100.0 * total[2] / total[0]:4.2f}%)")
    if args.floor is not None and worst > args.floor:
        print(f"a family's answers differ on {worst:.2f}% of its images, above --floor {args.floor}%")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
