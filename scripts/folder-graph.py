#!/usr/bin/env python3
"""The include graph between blnk's top-level folders, checked against the layering
that docs/architecture.md draws: a folder may include only itself and the folders
listed for it. Exits 1 naming each include that breaks the rule (and any cycle).

    scripts/folder-graph.py [--root DIR] [--dot]
"""
import argparse
import os
import re
import sys

# What each folder may use (besides itself). Keep in step with docs/architecture.md.
ALLOWED = {
    "base": set(),
    "layers": {"base"},
    "engine": {"base", "layers"},
    "data": {"base"},
    "train": {"base", "layers", "engine", "data"},
    "dist": {"base", "layers", "engine", "data", "train"},
    "reader": {"base", "layers", "engine", "data"},
    "api": {"base", "layers", "engine", "data", "train", "reader"},
    "include": set(),  # the public headers (blnk/*.h): nothing of the inside
    "examples": set(),  # programs of users: the public headers only
    "serve": {"base", "reader"},
    "keras": {"base", "layers", "engine", "data"},
    "onnx": {"base", "layers", "engine"},
    "cli": {"base", "layers", "engine", "data", "train", "dist", "reader", "serve", "keras", "onnx"},
    "python": {"base", "layers", "engine", "data", "train", "reader"},
    "bench": {"base", "layers", "engine", "data", "train", "reader"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)


def edges(root):
    found = {}
    for folder in ALLOWED:
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            for name in files:
                if not name.endswith((".h", ".cpp")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for target in INCLUDE.findall(f.read()):
                        if target != folder and target in ALLOWED:
                            found.setdefault((folder, target), []).append(os.path.relpath(path, root))
    return found


def find_cycle(graph):
    state = {}

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path + [node, nxt]
            if nxt not in state:
                cycle = visit(nxt, path + [node])
                if cycle:
                    return cycle
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return cycle
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    parser.add_argument("--dot", action="store_true", help="print the graph in Graphviz dot form")
    args = parser.parse_args()
    found = edges(args.root)
    graph = {}
    for (a, b) in found:
        graph.setdefault(a, set()).add(b)
    if args.dot:
        print("digraph blnk {")
        for (a, b) in sorted(found):
            print(f"  {a} -> {b};")
        print("}")
    bad = [(a, b) for (a, b) in sorted(found) if b not in ALLOWED[a]]
    for a, b in bad:
        print(f"{a}/ may not include {b}/: {', '.join(sorted(set(found[(a, b)]))[:5])}", file=sys.stderr)
    cycle = find_cycle(graph)
    if cycle:
        print("include cycle between folders: " + " -> ".join(cycle), file=sys.stderr)
    if bad or cycle:
        return 1
    print(f"folder graph: {len(found)} edges between {len(graph)} folders, no cycle, all allowed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
