#!/usr/bin/python3
"""Makes a twenty-first set of held-out evaluation families (issue 21): soft,
low-resolution handwriting made otherwise than the first set's `soft-scan` (an MNIST
digit box-shrunk to 8-16 cells, smoothed up, cropped to the ink), to measure whether
what was changed for that family holds on low-resolution digits nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set21.py OUT [--per-family 200] [--seed 211]
        [--mnist DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  zoomed-photo     a digit written in ballpoint, felt pen or pencil on tinted paper,
                   photographed so small that it is 9 to 18 pixels tall, through a
                   phone's chain (lens blur, sensor noise, sharpening with its halos,
                   JPEG at quality 35-75), then cropped loosely by hand (each side
                   from 5% inside the ink to 30% of paper beyond it) and zoomed 4-12x
                   with a gallery's bilinear or bicubic filter (a screenshot: PNG or JPEG)
  pixel-thumbnail  a digit cropped close to its ink (0-8% of paper), shrunk to a
                   10-20 pixel thumbnail, its levels cut to 4-16 over its own range (grey
                   under 8, some of those dithered),
                   then enlarged 5-12x with nearest-neighbour pixels: blocky, hard-edged
  marks-lowres     non-digits through the same two chains: letters that look like no
                   digit (A E F H K M N P R W X Y), and #, &, @, %, ?, * and a heart,
                   in Hershey's script and plain faces (OpenCV's), shaky (label x_)

Digits are MNIST *test* digits (the reader's model never trained on them) in an order
of this set's own. File names: the label first (a digit, or `x` for a non-digit), then
the chain. OUT/heldout.txt marks the families held out: no training or tuning script
may read them. One seed makes the same bytes.
"""

import argparse
import gzip
import io
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

cv2.setNumThreads(1)
FAMILIES = ("zoomed-photo", "pixel-thumbnail", "marks-lowres")
MARKS = list("AEFHKMNPRWXY") + ["#", "&", "@", "%", "?", "*", "heart"]
PAPERS = [(0.95, 0.94, 0.90), (0.92, 0.93, 0.95), (0.96, 0.92, 0.80), (0.86, 0.86, 0.86), (0.90, 0.95, 0.92)]
INKS = [(0.10, 0.12, 0.45), (0.08, 0.08, 0.10), (0.35, 0.35, 0.38), (0.15, 0.30, 0.15), (0.45, 0.10, 0.10)]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    n, h, w = (int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(3))
    return np.frombuffer(data, np.uint8, offset=16).reshape(n, h, w)


def read_labels(path):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=8)


def big_cov(cov28, side):
    """An MNIST digit's coverage enlarged smoothly to side x side, in [0, 1]."""
    big = cv2.resize(cov28.astype(np.float32), (side, side), interpolation=cv2.INTER_CUBIC)
    return np.clip((big - 0.15) / 0.55, 0, 1)


def mark_cov(mark, side, rng):
    """A letter or symbol drawn with one of OpenCV's Hershey faces, shaky, in [0, 1]."""
    canvas = np.zeros((side, side), np.uint8)
    if mark == "heart":
        t = np.linspace(0, 2 * np.pi, 80)
        x = 16 * np.sin(t) ** 3
        y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
        pts = np.stack([x, y], 1) / 36 * side * 0.9 + side / 2
        pts += rng.normal(0, side * 0.008, pts.shape)
        cv2.polylines(canvas, [pts.astype(np.int32)], True, 255, max(2, side // 14), cv2.LINE_AA)
    else:
        face = int(rng.choice([cv2.FONT_HERSHEY_SCRIPT_SIMPLEX, cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX,
                               cv2.FONT_HERSHEY_SCRIPT_COMPLEX, cv2.FONT_HERSHEY_COMPLEX_SMALL]))
        thick = max(2, side // int(rng.integers(10, 18)))
        scale = 1.0
        (tw, th), base = cv2.getTextSize(mark, face, scale, thick)
        scale = 0.7 * side / max(tw, th + base)
        (tw, th), base = cv2.getTextSize(mark, face, scale, thick)
        cv2.putText(canvas, mark, ((side - tw) // 2, (side + th) // 2), face, scale, 255, thick, cv2.LINE_AA)
    cov = canvas.astype(np.float32) / 255
    # A hand's wobble: a smooth displacement field.
    dx = cv2.GaussianBlur(rng.normal(0, 1, (side, side)).astype(np.float32), (0, 0), side / 8) * side * 0.25
    dy = cv2.GaussianBlur(rng.normal(0, 1, (side, side)).astype(np.float32), (0, 0), side / 8) * side * 0.25
    gx, gy = np.meshgrid(np.arange(side, dtype=np.float32), np.arange(side, dtype=np.float32))
    return cv2.remap(cov, gx + dx, gy + dy, cv2.INTER_LINEAR, borderValue=0)


def paper_with_ink(cov, pad, rng):
    """The coverage laid on tinted paper with a light gradient and pen texture: (H, W, 3) in [0, 1]."""
    h, w = cov.shape
    H, W = h + 2 * pad, w + 2 * pad
    paper = np.float32(PAPERS[rng.integers(len(PAPERS))]) * rng.uniform(0.85, 1.05)
    ink = np.float32(INKS[rng.integers(len(INKS))])
    full = np.zeros((H, W), np.float32)
    full[pad:pad + h, pad:pad + w] = cov
    strength = rng.uniform(0.6, 0.95)
    if rng.random() < 0.3:  # pencil: grain in the stroke
        grain = cv2.GaussianBlur(rng.random((H, W)).astype(np.float32), (0, 0), 1.0)
        full *= np.clip(0.5 + grain, 0, 1)
    gx, gy = np.meshgrid(np.linspace(-1, 1, W), np.linspace(-1, 1, H))
    light = 1 + rng.uniform(-0.12, 0.12) * gx + rng.uniform(-0.12, 0.12) * gy
    a = (full * strength)[..., None]
    img = (paper * (1 - a) + ink * a) * light[..., None].astype(np.float32)
    return np.clip(img, 0, 1)


def ink_box(cov):
    ys, xs = np.nonzero(cov > 0.2)
    return ys.min(), ys.max() + 1, xs.min(), xs.max() + 1


def crop(img, cov_pad, sides, pad):
    """Crops around the ink box with each side's share of its height (negative: into the ink)."""
    y0, y1, x0, x1 = ink_box(cov_pad)
    hh = y1 - y0
    t, b, l, r = (int(round(s * hh)) for s in sides)
    Y0, Y1 = max(0, y0 - t), min(img.shape[0], y1 + b)
    X0, X1 = max(0, x0 - l), min(img.shape[1], x1 + r)
    return img[Y0:Y1, X0:X1]


def to_u8(img):
    return np.uint8(np.clip(img, 0, 1) * 255 + 0.5)


def encode(img_u8, fmt, quality=90):
    buf = io.BytesIO()
    Image.fromarray(img_u8).save(buf, format=fmt, **({"quality": int(quality)} if fmt == "JPEG" else {}))
    return buf.getvalue()


def zoomed_photo(cov, rng):
    side = cov.shape[0]
    pad = side
    img = paper_with_ink(cov, pad, rng)
    cov_pad = np.pad(cov, pad)
    # Each side of the hand's crop: from 5% inside the ink to 30% of paper beyond it.
    cut = crop(img, cov_pad, rng.uniform(-0.05, 0.30, 4), pad)
    # The photo's resolution: the digit 9-18 pixels tall.
    y0, y1, _, _ = ink_box(cov_pad)
    scale = rng.uniform(9, 18) / (y1 - y0)
    small = cv2.resize(cut, (max(4, round(cut.shape[1] * scale)), max(4, round(cut.shape[0] * scale))),
                       interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), rng.uniform(0.35, 0.9))
    small = small + rng.normal(0, rng.uniform(0.008, 0.03), small.shape).astype(np.float32)
    soft = cv2.GaussianBlur(small, (0, 0), 1.0)
    small = small + rng.uniform(0.4, 1.5) * (small - soft)  # the phone's sharpening: halos
    jpeg = encode(to_u8(small), "JPEG", rng.integers(35, 76))
    small = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), np.float32) / 255
    zoom = rng.uniform(4, 12)
    size = (round(small.shape[1] * zoom), round(small.shape[0] * zoom))
    big = cv2.resize(small, size, interpolation=cv2.INTER_LINEAR if rng.random() < 0.6 else cv2.INTER_CUBIC)
    if rng.random() < 0.5:
        return encode(to_u8(big), "PNG"), "png"
    return encode(to_u8(big), "JPEG", 88), "jpg"


def pixel_thumbnail(cov, rng):
    side = cov.shape[0]
    pad = side // 2
    img = paper_with_ink(cov, pad, rng).mean(axis=2) if rng.random() < 0.5 else paper_with_ink(cov, pad, rng)
    cut = crop(img, np.pad(cov, pad), rng.uniform(0.0, 0.08, 4), pad)
    longer = max(cut.shape[:2])
    thumb = rng.integers(10, 21)
    s = thumb / longer
    small = cv2.resize(cut, (max(3, round(cut.shape[1] * s)), max(3, round(cut.shape[0] * s))), interpolation=cv2.INTER_AREA)
    levels = int(rng.choice([4, 6, 8, 16]))
    lo, hi = float(small.min()), float(small.max())  # the levels span the thumbnail's own range, as a palette would
    small = (small - lo) / max(hi - lo, 1e-3)
    if levels < 8 and small.ndim == 3:  # few levels: a grey thumbnail (a colour one keeps 8 or more)
        small = small.mean(axis=2)
    if rng.random() < 0.35 and small.ndim == 2:  # ordered dither before the levels are cut
        bayer = np.array([[0, 8, 2, 10], [12, 4, 14, 6], [3, 11, 1, 9], [15, 7, 13, 5]], np.float32) / 16 - 0.47
        tile = np.tile(bayer, (small.shape[0] // 4 + 1, small.shape[1] // 4 + 1))[:small.shape[0], :small.shape[1]]
        small = small + tile / (levels - 1)
    small = lo + (hi - lo) * np.round(np.clip(small, 0, 1) * (levels - 1)) / (levels - 1)
    zoom = int(rng.integers(5, 13))
    big = cv2.resize(small.astype(np.float32), (small.shape[1] * zoom, small.shape[0] * zoom), interpolation=cv2.INTER_NEAREST)
    return encode(to_u8(big), "PNG"), "png"


def start(script, doc, families_all, default_seed, default_per_family=200, mnist=True):
    """A set's command line, MNIST's test digits in the set's own order, and OUT/heldout.txt:
    (args, the families asked for, images, labels, order). Without `mnist` (a set that
    draws no MNIST digit) --mnist is taken and not read, and images, labels and order are None."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--per-family", type=int, default=default_per_family)
    ap.add_argument("--seed", type=int, default=default_seed)
    ap.add_argument("--mnist", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data", "mnist"))
    ap.add_argument("--families", default=",".join(families_all))
    args = ap.parse_args()
    families = args.families.split(",")
    for f in families:
        if f not in families_all:
            sys.exit(f"{script}: unknown family '{f}' (families: {', '.join(families_all)})")
    if args.per_family < 1:
        sys.exit(f"{script}: --per-family must be at least 1")
    images = labels = order = None
    if mnist:
        images = read_idx(os.path.join(args.mnist, "t10k-images-idx3-ubyte.gz"))
        labels = read_labels(os.path.join(args.mnist, "t10k-labels-idx1-ubyte.gz"))
        order = np.random.default_rng(args.seed).permutation(len(images))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "heldout.txt"), "w") as f:
        f.write("\n".join(families_all) + "\n")
    return args, families, images, labels, order


def write_families(args, families, families_all, make_one):
    """Each family asked for into OUT/<family>/all/: make_one(family, k, i, side, rng) gives
    (name, bytes) for image i of family k, from the family's own stream (the same bytes
    whichever families are asked for)."""
    for k, family in enumerate(families_all):
        rng = np.random.default_rng([args.seed, k])
        if family not in families:
            continue
        folder = os.path.join(args.out, family, "all")
        os.makedirs(folder, exist_ok=True)
        for i in range(args.per_family):
            side = int(rng.integers(96, 161))
            name, data = make_one(family, k, i, side, rng)
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)


MARK_NAMES = {"#": "hash", "&": "amp", "@": "at", "%": "pct", "?": "qm", "*": "star"}


def main():
    args, families, images, labels, order = start("make-heldout-set21.py", __doc__, FAMILIES, 211)

    def make_one(family, k, i, side, rng):
        if family == "marks-lowres":
            mark = MARKS[int(rng.integers(len(MARKS)))]
            cov = mark_cov(mark, side, rng)
            chain = zoomed_photo if rng.random() < 0.5 else pixel_thumbnail
            data, ext = chain(cov, rng)
            return f"x_{MARK_NAMES.get(mark, mark)}-{chain.__name__.split('_')[0]}{i:03d}.{ext}", data
        j = int(order[(k * 3331 + i) % len(order)])
        cov = big_cov(images[j] / 255.0, side)
        chain = zoomed_photo if family == "zoomed-photo" else pixel_thumbnail
        data, ext = chain(cov, rng)
        return f"{int(labels[j])}_{'zoom' if family == 'zoomed-photo' else 'thumb'}{i:03d}.{ext}", data

    write_families(args, families, FAMILIES, make_one)


if __name__ == "__main__":
    main()
