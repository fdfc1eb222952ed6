#!/usr/bin/python3
"""Make the training sets of the bundled models, as IDX folders blnk trains on.

    /usr/bin/python3 scripts/make-training-set.py OUT_DIR [--mnist DIR] [--blnk build/blnk] [--seed 1]

  OUT_DIR/digits/  the digit reader's set: the 60,000 MNIST training digits,
                   then digits of the training font families
                   (make-stress-set.py's TRAINING_FONT_FAMILIES: printed 1s
                   with flags and feet, 7s with bars, open 4s) and 20,000
                   MNIST training digits, photographed at margins from 0 to
                   30%; t10k = the MNIST test files.
  OUT_DIR/gate/    the digit gate's set (label 0: one digit, 1: not a digit):
                   MNIST training digits and the font digits against
                   letters that are not written like a digit, symbols,
                   scribbles and numbers of two or three digits, from the
                   training fonts and MNIST training digits; t10k = a
                   held-out tenth of it.

Every rendered image goes through `blnk predict --save-preprocessed`, so the
networks learn from exactly what blnk's preprocessing makes of such a picture
(what trains is what is served). MNIST digits are already in that form.
The stress suite (make-stress-set.py) uses other fonts and other seeds:
train here, test there. Needs numpy, PIL and the fonts make-stress-set.py
names.
"""

import argparse
import gzip
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
FONT_VARIANTS = 40            # photos of each digit in each training font
MNIST_PHOTOS = 20000          # MNIST training digits also photographed, cropped at margins 0-30%
GATE_DIGITS_FROM_MNIST = 30000
LETTERS = "ACEFHKLMNPRTUVWXYacdefhkmnprtuvwxy"
# Not ( ) [ ] | / \\ and the like: written, they are a 1.
SYMBOLS = ("+=%&@#$?!*<>~^\u20ac\u00a3\u00a7\u00b6\u03c0\u03a9\u00d7\u00f7\u2211\u221a\u03b1\u03b2\u03bb"
           "\u00a9\u00ae\u2020\u2190\u2192\u2191\u2193\u2194\u221e\u2248\u2260\u2264\u2265\u00b1\u00bf\u00a1\u2022\u2605\u2665\u266a")
NEGATIVES_PER_KIND = 5600     # letters, symbols, scribbles, numbers: each


def load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, file))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def training_scribble(stress, rng):
    """Scribbles of several kinds: a tangle, a zigzag, a spiral, hatching."""
    kind = int(rng.integers(0, 4))
    if kind == 0:
        return stress.scribble(rng)
    if kind == 1:
        n = int(rng.integers(4, 9))
        return [[(k / (n - 1), float(rng.uniform(0, 0.25) if k % 2 else rng.uniform(0.75, 1))) for k in range(n)]]
    if kind == 2:
        turns = rng.uniform(1.5, 3.5)
        t = np.linspace(0, turns * 2 * np.pi, 120)
        r = 0.05 + 0.45 * t / t[-1]
        return [list(zip(0.5 + r * np.cos(t), 0.5 + r * np.sin(t)))]
    strokes = []
    for k in range(int(rng.integers(3, 7))):
        y = rng.uniform(0, 1)
        strokes.append([(0.0, y), (1.0, y + rng.uniform(-0.3, 0.3))])
    return strokes


def write_idx(path, array):
    """IDX3 (n, 28, 28) uint8 or IDX1 (n,) uint8, gzipped."""
    with gzip.open(path, "wb", compresslevel=6) as f:
        if array.ndim == 3:
            f.write((0x803).to_bytes(4, "big"))
            for d in array.shape:
                f.write(int(d).to_bytes(4, "big"))
        else:
            f.write((0x801).to_bytes(4, "big") + int(array.shape[0]).to_bytes(4, "big"))
        f.write(np.ascontiguousarray(array, np.uint8).tobytes())


def preprocess(blnk, folder, seen):
    """The 28x28 blnk makes of each image in folder: {file name: (28, 28) uint8}."""
    subprocess.run([blnk, "predict", "--save-preprocessed", seen, folder], capture_output=True)
    out = {}
    for name in os.listdir(folder):
        path = os.path.join(seen, name + ".28x28.png")
        if os.path.exists(path):
            out[name] = np.asarray(Image.open(path).convert("L"), np.uint8)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--mnist", default=os.path.join(HERE, "..", "..", "shared", "data", "mnist"))
    parser.add_argument("--blnk", default=os.path.join(HERE, "..", "build", "blnk"))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    stress = load("stress", "make-stress-set.py")
    helpers = stress.load_helpers()
    fonts = stress.all_fonts(helpers, training=True)
    if len(fonts) < 3:
        sys.exit("make-training-set: fewer than 3 training fonts; install fonts-freefont-ttf fonts-liberation")
    train_images = stress.read_idx(os.path.join(args.mnist, "train-images-idx3-ubyte.gz"))
    train_labels = stress.read_idx(os.path.join(args.mnist, "train-labels-idx1-ubyte.gz"))
    rng = np.random.default_rng(args.seed)
    work = tempfile.mkdtemp(prefix="blnk-training-set-")
    try:
        def folder(name):
            path = os.path.join(work, name)
            os.makedirs(path, exist_ok=True)
            return path

        # Font digits, photographed at margins 0-30%.
        d = folder("font-digits")
        for f, font in enumerate(fonts):
            for digit in range(10):
                for v in range(FONT_VARIANTS):
                    cov = stress.with_margin(stress.render_text(str(digit), font, rng), rng.uniform(0, 30), rng)
                    stress.save_photo(stress.photograph(cov, rng, helpers), os.path.join(d, f"{digit}_{f:02d}_{v:02d}"), rng)
        # MNIST training digits photographed (thick, soft, cropped close).
        d = folder("mnist-photos")
        for k in rng.permutation(len(train_images))[:MNIST_PHOTOS]:
            cov = stress.with_margin(stress.mnist_coverage(train_images[k]), rng.uniform(0, 30), rng)
            stress.save_photo(stress.photograph(cov, rng, helpers), os.path.join(d, f"{train_labels[k]}_m{k:05d}"), rng)
        # Non-digits.
        n_each = NEGATIVES_PER_KIND
        d = folder("not-digits")
        for i in range(n_each):
            for kind, chars in (("l", LETTERS), ("s", SYMBOLS)):
                try:
                    cov = stress.render_text(chars[int(rng.integers(0, len(chars)))], fonts[int(rng.integers(0, len(fonts)))], rng)
                except RuntimeError:
                    continue
                cov = stress.with_margin(cov, rng.uniform(0, 30), rng)
                stress.save_photo(stress.photograph(cov, rng, helpers), os.path.join(d, f"{kind}{i:05d}"), rng)
            stress.draw_pad(training_scribble(stress, rng), rng.uniform(0, 30), rng).save(os.path.join(d, f"c{i:05d}.png"))
            # Two or three MNIST training digits side by side, or a font's number.
            count = 2 + (rng.random() < 0.3)
            if i % 2:
                parts = [stress.mnist_coverage(train_images[k]) for k in rng.integers(0, len(train_images), count)]
                h = max(p.shape[0] for p in parts)
                row = []
                for p in parts:
                    row += [np.pad(p, ((0, h - p.shape[0]), (0, 0))), np.zeros((h, int(rng.integers(0, 5))), np.float32)]
                cov = np.concatenate(row[:-1], 1)
            else:
                text = "".join(str(int(x)) for x in rng.integers(0, 10, count))
                cov = stress.render_text(text, fonts[int(rng.integers(0, len(fonts)))], rng)
            cov = stress.with_margin(cov, rng.uniform(0, 30), rng)
            stress.save_photo(stress.photograph(cov, rng, helpers), os.path.join(d, f"n{i:05d}"), rng)

        fonts_seen = preprocess(args.blnk, os.path.join(work, "font-digits"), folder("seen-digits"))
        fonts_seen.update(preprocess(args.blnk, os.path.join(work, "mnist-photos"), folder("seen-mnist")))
        others_seen = preprocess(args.blnk, os.path.join(work, "not-digits"), folder("seen-others"))
        names = sorted(fonts_seen)
        font_images = np.stack([fonts_seen[n] for n in names])
        font_labels = np.array([int(n[0]) for n in names], np.uint8)
        other_images = np.stack([others_seen[n] for n in sorted(others_seen)])

        # The digit reader: MNIST, then the font digits (the trainer shuffles).
        out = os.path.join(args.out_dir, "digits")
        os.makedirs(out, exist_ok=True)
        write_idx(os.path.join(out, "train-images-idx3-ubyte.gz"), np.concatenate([train_images, font_images]))
        write_idx(os.path.join(out, "train-labels-idx1-ubyte.gz"), np.concatenate([train_labels, font_labels]))
        for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
            shutil.copyfile(os.path.join(args.mnist, name), os.path.join(out, name))

        # The gate: digits (0) against the rest (1), a tenth held out as its test set.
        mnist_part = train_images[rng.permutation(len(train_images))[:GATE_DIGITS_FROM_MNIST]]
        images = np.concatenate([mnist_part, font_images, other_images])
        labels = np.concatenate([np.zeros(len(mnist_part) + len(font_images), np.uint8),
                                 np.ones(len(other_images), np.uint8)])
        order = rng.permutation(len(images))
        images, labels = images[order], labels[order]
        test = len(images) // 10
        out = os.path.join(args.out_dir, "gate")
        os.makedirs(out, exist_ok=True)
        write_idx(os.path.join(out, "train-images-idx3-ubyte.gz"), images[test:])
        write_idx(os.path.join(out, "train-labels-idx1-ubyte.gz"), labels[test:])
        write_idx(os.path.join(out, "t10k-images-idx3-ubyte.gz"), images[:test])
        write_idx(os.path.join(out, "t10k-labels-idx1-ubyte.gz"), labels[:test])
        print(f"digits: {len(train_images)} MNIST + {len(font_images)} photographed (font digits from {len(fonts)} fonts,"
              f" MNIST training digits) in {args.out_dir}/digits")
        print(f"gate: {int((labels == 0).sum())} digits, {int((labels == 1).sum())} non-digits "
              f"({len(images) - test} train, {test} test) in {args.out_dir}/gate")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
