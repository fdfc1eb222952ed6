#!/usr/bin/python3
"""Make the training sets of the bundled models, as IDX folders blnk trains on.

    /usr/bin/python3 scripts/make-training-set.py OUT_DIR [--mnist DIR] [--blnk build/blnk] [--seed 1] [--strip-digits]

  OUT_DIR/digits/  the digit reader's set: the 60,000 MNIST training digits,
                   then digits of the training font families
                   (make-stress-set.py's TRAINING_FONT_FAMILIES: printed 1s
                   with flags and feet, 7s with bars, open 4s) and 20,000
                   MNIST training digits, photographed at margins from 0 to
                   30%, and digits of other kinds (scripts/lib/training_styles.py):
                   seven-segment digits, digits in relief (stamped, raised,
                   engraved, painted: from the training fonts and MNIST) and
                   MNIST digits with strokes broken as chalk leaves them;
                   t10k = the MNIST test files.
  OUT_DIR/gate/    the digit gate's set (label 0: one digit, 1: not a digit):
                   MNIST training digits, the font digits and the other
                   kinds against
                   letters that are not written like a digit, symbols,
                   scribbles, open or spiky shapes drawn on the pad (hearts,
                   stars, arrows, houses, suns, crossed boxes, square
                   spirals, moons, bolts, ticks, triangles: training_shape)
                   and numbers of two or three digits, from the training
                   fonts and MNIST training digits, and non-digits in the
                   other kinds' styles (seven-segment letters and bars,
                   marks in relief, marks with broken strokes); with
                   --strip-digits also digits laid out of strips (tape,
                   sticks, matches) against letters, shapes and numbers of
                   strips (tried, not in the bundled gate); t10k = a
                   held-out tenth of it.

Every rendered image goes through `blnk predict --find off --save-preprocessed`,
so the networks learn from exactly what blnk's preprocessing makes of such a
picture read whole, as the gate judges it (what trains is what is served).
MNIST digits are already in that form.
The stress suite (make-stress-set.py) uses other fonts and other seeds:
train here, test there. Needs numpy, PIL and the fonts make-stress-set.py
names.
"""

import argparse
import gzip
import importlib.util
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
import training_styles  # noqa: E402
FONT_VARIANTS = 40            # photos of each digit in each training font
MNIST_PHOTOS = 20000          # MNIST training digits also photographed, cropped at margins 0-30%
SEGMENT_DIGITS = 500          # of each digit
RELIEF_DIGITS = 600           # of each digit, half from the fonts, half from MNIST
BROKEN_STROKE_DIGITS = 5000   # MNIST training digits
STRIP_DIGITS = 400            # of each digit, laid out of strips (the gate's set only)
GATE_DIGITS_FROM_MNIST = 30000
LETTERS = "ACEFHKLMNPRTUVWXYacdefhkmnprtuvwxy"
# Not ( ) [ ] | / \\ and the like: written, they are a 1.
SYMBOLS = ("+=%&@#$?!*<>~^\u20ac\u00a3\u00a7\u00b6\u03c0\u03a9\u00d7\u00f7\u2211\u221a\u03b1\u03b2\u03bb"
           "\u00a9\u00ae\u2020\u2190\u2192\u2191\u2193\u2194\u221e\u2248\u2260\u2264\u2265\u00b1\u00bf\u00a1\u2022\u2605\u2665\u266a")
NEGATIVES_PER_KIND = 7200     # letters, symbols, scribbles, shapes, numbers: each
STYLED_NEGATIVES = 4000       # non-digits in each of the other kinds' styles: segments, relief, broken strokes, strips
# More marks for those (the gate's set only): pictographs and filled or pointed shapes (no
# outlined square or diamond: drawn by hand, people mean a 0).
DINGBATS = ("\u2600\u2601\u2602\u2603\u260e\u263a\u263b\u2660\u2663\u2666\u266b\u2702\u2708\u2709\u2713"
            "\u2717\u271a\u2726\u273f\u2740\u2764\u25a0\u25b2\u25b3\u25cf\u25c6\u2302\u2318")


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


def _ring(cx, cy, rx, ry, n=40, t0=0.0, t1=360.0):
    """An ellipse's outline (or part of it) as one stroke, in degrees."""
    return [(cx + rx * math.cos(math.radians(t)), cy + ry * math.sin(math.radians(t))) for t in np.linspace(t0, t1, n)]


def _turned(points, angle, cx=0.5, cy=0.5):
    c, s = math.cos(angle), math.sin(angle)
    return [(cx + c * (x - cx) - s * (y - cy), cy + s * (x - cx) + c * (y - cy)) for x, y in points]


def _arrow(rng):
    length = rng.uniform(0.6, 1.0)
    tail, tip = (0.5 - length / 2, 0.5), (0.5 + length / 2, 0.5)
    head, spread = rng.uniform(0.15, 0.3), rng.uniform(0.5, 0.9)
    style = int(rng.integers(0, 4))
    strokes = []
    if rng.random() < 0.25:   # a curved shaft
        bend = rng.uniform(-0.25, 0.25)
        strokes.append([(tail[0] + length * t, 0.5 + bend * math.sin(math.pi * t)) for t in np.linspace(0, 1, 16)])
    else:
        strokes.append([tail, tip])
    a, b = (tip[0] - head, 0.5 - head * spread), (tip[0] - head, 0.5 + head * spread)
    if style == 0:
        strokes.append([a, tip, b])                      # open head
    elif style == 1:
        strokes.append([a, tip, b, a])                   # closed triangle
    elif style == 2:
        strokes.append([a, tip, b, (tip[0] - head * 0.6, 0.5), a])  # barbed
    else:
        strokes.append([a, tip, b])                      # double-headed
        strokes.append([(tail[0] + head, a[1]), tail, (tail[0] + head, b[1])])
    if rng.random() < 0.3:    # feathers
        strokes.append([(tail[0] + 0.08, 0.5), (tail[0], 0.5 - 0.1)])
        strokes.append([(tail[0] + 0.08, 0.5), (tail[0], 0.5 + 0.1)])
    angle = int(rng.integers(0, 8)) * math.pi / 4 + rng.uniform(-0.2, 0.2)
    return [_turned(s, angle) for s in strokes]


def _polygon(n, inner, rng, skip=1):
    turn = rng.uniform(0, 2 * math.pi)
    if inner is None:  # a regular polygon or a star drawn in one line, every skip-th corner
        pts = [(0.5 + 0.5 * math.cos(turn + 2 * math.pi * k * skip / n), 0.5 + 0.5 * math.sin(turn + 2 * math.pi * k * skip / n))
               for k in range(n + 1)]
    else:
        pts = [(0.5 + (0.5 if k % 2 == 0 else 0.5 * inner) * math.cos(turn + math.pi * k / n),
                0.5 + (0.5 if k % 2 == 0 else 0.5 * inner) * math.sin(turn + math.pi * k / n)) for k in range(2 * n + 1)]
    return [pts]


def training_shape(rng):
    """A shape drawn on the pad that is no digit, open or spiky: hearts, stars,
    arrows, houses, suns with rays from the disc, crossed boxes, square spirals,
    moons, bolts, ticks, triangles. Never a plain ring or a single line (people
    draw those as 0 and 1), nor a closed round shape whose inner marks blnk's
    preprocessing drops as specks, leaving a 0 (faces, suns with loose rays,
    clouds, squares, pentagons, round spirals that fill in)."""
    kind = int(rng.integers(0, 11))
    if kind == 0:   # heart: the classic curve, or two lobes and a point
        if rng.random() < 0.5:
            t = np.linspace(0, 2 * math.pi, 60)
            x, y = 16 * np.sin(t) ** 3, -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
            return [list(zip(x, y))]
        depth = rng.uniform(0.8, 1.2)
        return [_ring(0.27, 0.3, 0.23, 0.22, 20, 180, 360) + _ring(0.73, 0.3, 0.23, 0.22, 20, 180, 360)
                + [(0.5, 0.3 + 0.7 * depth), (0.04, 0.32)]]
    if kind == 1:   # star of 4-8 points, outlined or in one line
        n = int(rng.integers(4, 9))
        if n in (5, 7) and rng.random() < 0.4:
            return _polygon(n, None, rng, skip=2 if n == 5 else 3)
        return _polygon(n, rng.uniform(0.3, 0.6), rng)
    if kind == 2:
        return _arrow(rng)
    if kind == 3:   # house: walls, roof, maybe a door, a window, a chimney
        roof = rng.uniform(0.25, 0.45)
        walls = [(0.1, roof), (0.1, 1), (0.9, 1), (0.9, roof)]
        strokes = [walls + [(0.1, roof)] if rng.random() < 0.5 else walls, [(0.0, roof + 0.05), (0.5, 0.0), (1.0, roof + 0.05)]]
        if rng.random() < 0.7:
            dx = rng.uniform(0.35, 0.55)
            strokes.append([(dx, 1), (dx, 0.7), (dx + 0.15, 0.7), (dx + 0.15, 1)])
        if rng.random() < 0.6:
            wx = rng.choice([0.18, 0.65])
            strokes.append([(wx, 0.5), (wx + 0.15, 0.5), (wx + 0.15, 0.65), (wx, 0.65), (wx, 0.5)])
        if rng.random() < 0.3:
            strokes.append([(0.7, 0.2), (0.7, 0.05), (0.8, 0.05), (0.8, 0.28)])
        return strokes
    if kind == 4:   # sun: a disc's outline and 6-14 rays drawn out from it (loose rays are specks)
        r, n = rng.uniform(0.2, 0.3), int(rng.integers(6, 15))
        strokes = [_ring(0.5, 0.5, r, r, 32)]
        turn = rng.uniform(0, math.pi)
        for k in range(n):
            a = turn + 2 * math.pi * k / n
            r1 = r + rng.uniform(0.14, 0.22)
            strokes.append([(0.5 + r * math.cos(a), 0.5 + r * math.sin(a)), (0.5 + r1 * math.cos(a), 0.5 + r1 * math.sin(a))])
        return strokes
    if kind == 5:   # a cross or a plus in a box (or in a ring), touching it
        box = [(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]
        if rng.random() < 0.25:
            box = _ring(0.5, 0.5, 0.5, 0.5, 40)
        if rng.random() < 0.6:
            i = 0.0 if len(box) == 5 else 0.5 - 0.5 / math.sqrt(2)
            return [box, [(i, i), (1 - i, 1 - i)], [(1 - i, i), (i, 1 - i)]]
        return [box, [(0.5, 0), (0.5, 1)], [(0, 0.5), (1, 0.5)]]
    if kind == 6:   # square spiral of 1.5-2.5 turns (more fill in to a blob at 28x28)
        turns = rng.uniform(1.5, 2.5)
        pts, step, x, y = [(0.5, 0.5)], 0.06, 0.5, 0.5
        for k in range(int(turns * 4)):
            dx, dy = ((1, 0), (0, 1), (-1, 0), (0, -1))[k % 4]
            x, y = x + dx * step * (k + 1), y + dy * step * (k + 1)
            pts.append((x, y))
        return [pts]
    if kind == 7:   # crescent moon
        outer = _ring(0.5, 0.5, 0.5, 0.5, 30, 60, 300)
        inner = _ring(0.5 + rng.uniform(0.2, 0.35), 0.5, 0.4, 0.4, 24, 240, 120)
        return [_turned(outer + inner + [outer[0]], rng.uniform(0, 2 * math.pi))]
    if kind == 8:   # lightning bolt: a zigzag, outlined or as a line
        if rng.random() < 0.5:
            return [[(0.6, 0), (0.25, 0.55), (0.55, 0.5), (0.3, 1), (0.8, 0.4), (0.5, 0.45), (0.75, 0), (0.6, 0)]]
        return [[(0.7, 0), (0.3, 0.5), (0.65, 0.5), (0.25, 1)]]
    if kind == 9:   # tick: short down stroke, long up stroke
        k = rng.uniform(0.25, 0.45)
        return [[(0, 0.55), (k, 1), (1, rng.uniform(0, 0.15))]]
    # a triangle, sometimes with a line from a corner to the middle of the far side
    strokes = _polygon(3, None, rng)
    if rng.random() < 0.3:
        (x1, y1), (x2, y2) = strokes[0][1], strokes[0][2]
        strokes.append([strokes[0][0], ((x1 + x2) / 2, (y1 + y2) / 2)])
    return strokes


def write_idx(path, array):
    """IDX3 (n, 28, 28) uint8 or IDX1 (n,) uint8, gzipped."""
    with gzip.GzipFile(path, "wb", compresslevel=6, mtime=0) as f:  # the same bytes for the same set
        if array.ndim == 3:
            f.write((0x803).to_bytes(4, "big"))
            for d in array.shape:
                f.write(int(d).to_bytes(4, "big"))
        else:
            f.write((0x801).to_bytes(4, "big") + int(array.shape[0]).to_bytes(4, "big"))
        f.write(np.ascontiguousarray(array, np.uint8).tobytes())


def preprocess(blnk, folder, seen):
    """The 28x28 blnk makes of each image in folder: {file name: (28, 28) uint8}.
    Each picture is read whole as one digit (`--find off`, no search for digits
    in it): the view the gate judges, so a number teaches it "not one digit"."""
    subprocess.run([blnk, "predict", "--find", "off", "--save-preprocessed", seen, folder], capture_output=True)
    out = {}
    for name in os.listdir(folder):
        path = os.path.join(seen, name + ".28x28.png")
        if os.path.exists(path):
            out[name] = np.asarray(Image.open(path).convert("L"), np.uint8)
    print(f"{folder}: {len(out)} of {len(os.listdir(folder))} images preprocessed")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--mnist", default=os.path.join(HERE, "..", "..", "shared", "data", "mnist"))
    parser.add_argument("--blnk", default=os.path.join(HERE, "..", "build", "blnk"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--strip-digits", action="store_true",
                        help="also digits and non-digits laid out of strips (tape, sticks) in the gate's set: "
                             "tried, not in the bundled gate (docs/predict.md)")
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
        # Digits of other kinds: segments, relief, broken strokes.
        d = folder("styled-digits")
        for digit in range(10):
            for v in range(SEGMENT_DIGITS):
                cov = stress.with_margin(training_styles.segment_digit(digit, rng), rng.uniform(0, 30), rng)
                stress.save_photo(stress.photograph(cov, rng, helpers), os.path.join(d, f"{digit}_s{v:04d}"), rng)
        by_digit = [np.flatnonzero(train_labels == digit) for digit in range(10)]
        for digit in range(10):
            for v in range(RELIEF_DIGITS):
                if v % 2:
                    cov = stress.render_text(str(digit), fonts[int(rng.integers(0, len(fonts)))], rng)
                else:
                    cov = stress.mnist_coverage(train_images[int(rng.choice(by_digit[digit]))])
                cov = stress.with_margin(cov, rng.uniform(5, 30), rng)
                stress.save_photo(training_styles.relief_photo(cov, rng), os.path.join(d, f"{digit}_r{v:04d}"), rng)
        for k in rng.permutation(len(train_images))[:BROKEN_STROKE_DIGITS]:
            cov = training_styles.broken_strokes(stress.mnist_coverage(train_images[k]), rng)
            cov = stress.with_margin(cov, rng.uniform(0, 30), rng)
            stress.save_photo(stress.photograph(cov, rng, helpers), os.path.join(d, f"{train_labels[k]}_b{k:05d}"), rng)
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
            stress.draw_pad(training_shape(rng), rng.uniform(0, 30), rng).save(os.path.join(d, f"h{i:05d}.png"))
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

        # Non-digits in the styles of the other kinds of digit (their own generator, so
        # that the kinds above stay as they were): the gate must learn what is drawn,
        # not that a relief or a display is a digit.
        styled_rng = np.random.default_rng([args.seed, 2])
        marks = LETTERS + SYMBOLS + DINGBATS

        def mark_coverage():
            """A letter, symbol or pictograph from a training font, a pad shape or a scribble."""
            r = styled_rng
            if r.random() < 0.5:
                while True:
                    try:
                        return stress.render_text(marks[int(r.integers(0, len(marks)))], fonts[int(r.integers(0, len(fonts)))], r)
                    except RuntimeError:
                        continue
            strokes = training_shape(r) if r.random() < 0.7 else training_scribble(stress, r)
            pad = stress.draw_pad(strokes, 0, r, white_on_black=True)
            return stress.crop_to_ink(np.asarray(pad, np.float32) / 255.0)

        for i in range(STYLED_NEGATIVES):
            r = styled_rng
            cov = stress.with_margin(training_styles.segment_non_digit(r), r.uniform(0, 30), r)
            stress.save_photo(stress.photograph(cov, r, helpers), os.path.join(d, f"g{i:05d}"), r)
            cov = stress.with_margin(mark_coverage(), r.uniform(5, 30), r)
            stress.save_photo(training_styles.relief_photo(cov, r), os.path.join(d, f"e{i:05d}"), r)
            cov = stress.with_margin(training_styles.broken_strokes(mark_coverage(), r), r.uniform(0, 30), r)
            stress.save_photo(stress.photograph(cov, r, helpers), os.path.join(d, f"k{i:05d}"), r)

        # With --strip-digits, digits and non-digits laid out of strips (tape, sticks,
        # matches), for the gate only: their own random stream, so the rest of the set
        # stays as it was, and the digit reader's set is unchanged.
        if args.strip_digits:
            strip_rng = np.random.default_rng([args.seed, 3])
            d = folder("strip-digits")

            def strip_picture(cov, r):
                return training_styles.strip_photo(cov, r) if r.random() < 0.6 else stress.photograph(cov, r, helpers)

            for digit in range(10):
                for v in range(STRIP_DIGITS):
                    cov = stress.with_margin(training_styles.strip_digit(digit, strip_rng), strip_rng.uniform(0, 30), strip_rng)
                    stress.save_photo(strip_picture(cov, strip_rng), os.path.join(d, f"{digit}_t{v:04d}"), strip_rng)
            d = folder("not-digits")
            for i in range(STYLED_NEGATIVES):
                cov = stress.with_margin(training_styles.strip_non_digit(strip_rng), strip_rng.uniform(0, 30), strip_rng)
                stress.save_photo(strip_picture(cov, strip_rng), os.path.join(d, f"j{i:05d}"), strip_rng)

        fonts_seen = preprocess(args.blnk, os.path.join(work, "font-digits"), folder("seen-digits"))
        fonts_seen.update(preprocess(args.blnk, os.path.join(work, "mnist-photos"), folder("seen-mnist")))
        fonts_seen.update(preprocess(args.blnk, os.path.join(work, "styled-digits"), folder("seen-styled")))
        others_seen = preprocess(args.blnk, os.path.join(work, "not-digits"), folder("seen-others"))
        names = sorted(fonts_seen)
        font_images = np.stack([fonts_seen[n] for n in names])
        font_labels = np.array([int(n[0]) for n in names], np.uint8)
        other_images = np.stack([others_seen[n] for n in sorted(others_seen)])
        strip_images = np.zeros((0, 28, 28), np.uint8)
        if args.strip_digits:
            strips_seen = preprocess(args.blnk, os.path.join(work, "strip-digits"), folder("seen-strips"))
            strip_images = np.stack([strips_seen[n] for n in sorted(strips_seen)])

        # The digit reader: MNIST, then the font digits (the trainer shuffles).
        out = os.path.join(args.out_dir, "digits")
        os.makedirs(out, exist_ok=True)
        write_idx(os.path.join(out, "train-images-idx3-ubyte.gz"), np.concatenate([train_images, font_images]))
        write_idx(os.path.join(out, "train-labels-idx1-ubyte.gz"), np.concatenate([train_labels, font_labels]))
        for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
            shutil.copyfile(os.path.join(args.mnist, name), os.path.join(out, name))

        # The gate: digits (0) against the rest (1), a tenth held out as its test set.
        mnist_part = train_images[rng.permutation(len(train_images))[:GATE_DIGITS_FROM_MNIST]]
        images = np.concatenate([mnist_part, font_images, strip_images, other_images])
        labels = np.concatenate([np.zeros(len(mnist_part) + len(font_images) + len(strip_images), np.uint8),
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
              f" MNIST training digits, segment, relief and broken-stroke digits) in {args.out_dir}/digits")
        print(f"gate: {int((labels == 0).sum())} digits, {int((labels == 1).sum())} non-digits "
              f"({len(images) - test} train, {test} test) in {args.out_dir}/gate")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
