#!/usr/bin/python3
"""Makes a twenty-second set of held-out evaluation families (issue 21): thick strokes
cropped close, dark on light or light on dark, and faxed low-resolution digits, to
measure the reader's whole-picture readings whose polarity is not sure on pictures
nobody tuned on (the twenty-first set's thumbnails were looked at when the rule that
the other way round may not take the paper for ink was made).

    /usr/bin/python3 scripts/make-heldout-set22.py OUT [--per-family 200] [--seed 221]
        [--mnist DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  marker-crop   a digit in a broad marker (its strokes a sixth to a quarter of its
                height), on card or a board: dark on light, or white or yellow on a
                black or green board two times in five; photographed small (the digit
                24-48 px tall, light blur, noise, JPEG) and cropped close by hand (each
                side from 4% inside the ink to 12% beyond it), enlarged 2-5x (bicubic)
  fax-digit     a digit written in pen and sent by fax: 1 bit at 10-16 px for the digit,
                a few pixels flipped, a streak along the feed now and then, enlarged
                4-9x (nearest or bilinear), cropped to 0-20% of paper round the ink
  marks-crop    non-digits through both chains: letters that look like no digit (A E F
                H K M N P R W X Y), #, &, @, %, ?, *, a heart, a tick and a cross, in
                OpenCV's Hershey faces, wobbled (label x_)

Digits are MNIST *test* digits in an order of this set's own. File names: the label
first (a digit, or `x` for a non-digit), then the chain. OUT/heldout.txt marks the
families held out: no training or tuning script may read them. One seed makes the same
bytes, whichever families are asked for. The wobbled marks and the digits' enlarged
coverage are the twenty-first set's (scripts/make-heldout-set21.py).
"""

import io
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from heldout_render import load_script  # noqa: E402

SET21 = load_script("heldout_set21", "make-heldout-set21.py")
cv2.setNumThreads(1)
FAMILIES = ("marker-crop", "fax-digit", "marks-crop")
MARKS = SET21.MARKS + ["tick", "cross"]
CARDS = [(0.93, 0.92, 0.88), (0.96, 0.96, 0.96), (0.85, 0.88, 0.93), (0.95, 0.90, 0.70)]
BOARDS = [(0.08, 0.09, 0.09), (0.10, 0.22, 0.16), (0.15, 0.15, 0.18)]
BOARD_INKS = [(0.95, 0.95, 0.93), (0.95, 0.88, 0.35)]
CARD_INKS = [(0.05, 0.05, 0.08), (0.10, 0.15, 0.50), (0.55, 0.08, 0.08), (0.08, 0.35, 0.12)]


def stroke_cov(mark, side, rng):
    """A tick or a cross, drawn, else the twenty-first set's letters and symbols."""
    if mark in ("tick", "cross"):
        canvas = np.zeros((side, side), np.uint8)
        thick = max(2, side // 12)
        if mark == "tick":
            pts = np.array([[0.2, 0.55], [0.42, 0.78], [0.82, 0.2]]) * side
            cv2.polylines(canvas, [pts.astype(np.int32)], False, 255, thick, cv2.LINE_AA)
        else:
            cv2.line(canvas, (int(0.2 * side), int(0.2 * side)), (int(0.8 * side), int(0.8 * side)), 255, thick, cv2.LINE_AA)
            cv2.line(canvas, (int(0.8 * side), int(0.2 * side)), (int(0.2 * side), int(0.8 * side)), 255, thick, cv2.LINE_AA)
        return canvas.astype(np.float32) / 255
    return SET21.mark_cov(mark, side, rng)


def thickened(cov, rng):
    """A broad marker's strokes: the coverage dilated to a sixth to a quarter of the ink's height."""
    ys, _ = np.nonzero(cov > 0.3)
    height = (ys.max() - ys.min() + 1) if len(ys) else cov.shape[0]
    target = rng.uniform(1 / 6, 1 / 4) * height
    # The strokes are about a tenth of the height already; grow them to the target width.
    grow = max(1, int(round((target - 0.1 * height) / 2)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1))
    return np.clip(cv2.dilate(cov, kernel), 0, 1)


def encode(img_u8, fmt, quality=90):
    return SET21.encode(img_u8, fmt, quality)


def marker_crop(cov, rng):
    cov = thickened(cov, rng)
    side = cov.shape[0]
    pad = side
    if rng.random() < 0.4:
        paper, ink = np.float32(BOARDS[rng.integers(len(BOARDS))]), np.float32(BOARD_INKS[rng.integers(len(BOARD_INKS))])
    else:
        paper, ink = np.float32(CARDS[rng.integers(len(CARDS))]), np.float32(CARD_INKS[rng.integers(len(CARD_INKS))])
    full = np.pad(cov, pad)
    H, W = full.shape
    gx, gy = np.meshgrid(np.linspace(-1, 1, W), np.linspace(-1, 1, H))
    light = (1 + rng.uniform(-0.1, 0.1) * gx + rng.uniform(-0.1, 0.1) * gy)[..., None].astype(np.float32)
    a = (full * rng.uniform(0.8, 1.0))[..., None]
    img = np.clip((paper * (1 - a) + ink * a) * light, 0, 1)
    cut = SET21.crop(img, full, rng.uniform(-0.04, 0.12, 4), pad)
    y0, y1, _, _ = SET21.ink_box(full)
    scale = rng.uniform(24, 48) / (y1 - y0)
    small = cv2.resize(cut, (max(4, round(cut.shape[1] * scale)), max(4, round(cut.shape[0] * scale))),
                       interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), rng.uniform(0.3, 0.8))
    small = small + rng.normal(0, rng.uniform(0.005, 0.02), small.shape).astype(np.float32)
    jpeg = encode(SET21.to_u8(small), "JPEG", rng.integers(60, 90))
    small = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), np.float32) / 255
    zoom = rng.uniform(2, 5)
    big = cv2.resize(small, (round(small.shape[1] * zoom), round(small.shape[0] * zoom)), interpolation=cv2.INTER_CUBIC)
    if rng.random() < 0.5:
        return encode(SET21.to_u8(big), "PNG"), "png"
    return encode(SET21.to_u8(big), "JPEG", 90), "jpg"


def fax_digit(cov, rng):
    side = cov.shape[0]
    pad = side // 2
    full = np.pad(cov, pad)
    cut = SET21.crop(full, full, rng.uniform(0.0, 0.2, 4), pad)
    y0, y1, _, _ = SET21.ink_box(full)
    scale = rng.uniform(10, 16) / (y1 - y0)
    small = cv2.resize(cut, (max(3, round(cut.shape[1] * scale)), max(3, round(cut.shape[0] * scale))),
                       interpolation=cv2.INTER_AREA)
    bits = small > rng.uniform(0.3, 0.45)
    flips = rng.random(bits.shape) < rng.uniform(0.0, 0.03)
    bits = bits ^ flips
    if rng.random() < 0.3:  # a streak along the feed
        bits[:, int(rng.integers(bits.shape[1]))] = True
    page = np.where(bits, 0.05, 0.97).astype(np.float32)
    zoom = int(rng.integers(4, 10))
    big = cv2.resize(page, (page.shape[1] * zoom, page.shape[0] * zoom),
                     interpolation=cv2.INTER_NEAREST if rng.random() < 0.5 else cv2.INTER_LINEAR)
    return encode(SET21.to_u8(big), "PNG"), "png"


def main():
    args, families, images, labels, order = SET21.start("make-heldout-set22.py", __doc__, FAMILIES, 221)

    def make_one(family, k, i, side, rng):
        if family == "marks-crop":
            mark = MARKS[int(rng.integers(len(MARKS)))]
            cov = stroke_cov(mark, side, rng)
            chain = marker_crop if rng.random() < 0.5 else fax_digit
            data, ext = chain(cov, rng)
            return f"x_{SET21.MARK_NAMES.get(mark, mark)}-{chain.__name__.split('_')[0]}{i:03d}.{ext}", data
        j = int(order[(k * 3331 + i) % len(order)])
        cov = SET21.big_cov(images[j] / 255.0, side)
        chain = marker_crop if family == "marker-crop" else fax_digit
        data, ext = chain(cov, rng)
        return f"{int(labels[j])}_{chain.__name__.split('_')[0]}{i:03d}.{ext}", data

    SET21.write_families(args, families, FAMILIES, make_one)


if __name__ == "__main__":
    main()
