#!/usr/bin/python3
"""Crop labelled digit photos close to their ink, as people crop phone photos.

    /usr/bin/python3 scripts/crop-photos.py SRC_DIR OUT_DIR [--margins 0 3 10 30]

Writes OUT_DIR/photo-crop/m<margin>/<same file name>.png for every image of
SRC_DIR (e.g. ../shared/data/photo-digits): the image cropped to the box of
its ink plus that margin (percent of the box's longer side, on every side; 0 =
ink touching the border), so scripts/stress-eval.py reads it as one more kind.

The ink is found here independently of blnk: the paper is the median colour
of the image's border, ink is what differs from it by over 40% of the largest
difference, and specks (ink pixels with fewer than 5 ink neighbours of 8) are
ignored. Needs numpy and PIL.
"""

import argparse
import os
import sys

import numpy as np
from PIL import Image

INK_SHARE = 0.4
MIN_NEIGHBOURS = 5


def ink_box(rgb):
    g = rgb.astype(np.float32).mean(axis=2)
    border = np.concatenate([g[0], g[-1], g[:, 0], g[:, -1]])
    diff = np.abs(g - np.median(border))
    ink = diff > INK_SHARE * diff.max()
    padded = np.pad(ink, 1)
    neighbours = sum(padded[1 + dy:padded.shape[0] - 1 + dy, 1 + dx:padded.shape[1] - 1 + dx]
                     for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy, dx) != (0, 0))
    ys, xs = np.nonzero(ink & (neighbours >= MIN_NEIGHBOURS))
    if len(ys) == 0:
        return None
    return xs.min(), ys.min(), xs.max() + 1, ys.max() + 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("src")
    parser.add_argument("out")
    parser.add_argument("--margins", type=float, nargs="+", default=[0, 3, 10, 30])
    args = parser.parse_args()
    names = sorted(n for n in os.listdir(args.src) if n[0].isdigit())
    if not names:
        sys.exit(f"crop-photos: no labelled images in {args.src}")
    for margin in args.margins:
        out = os.path.join(args.out, "photo-crop", f"m{margin:g}")
        os.makedirs(out, exist_ok=True)
        for name in names:
            img = Image.open(os.path.join(args.src, name))
            rgb = np.asarray(img.convert("RGB"))
            box = ink_box(rgb)
            if box is None:
                continue
            x0, y0, x1, y1 = box
            m = int(round(margin / 100 * max(x1 - x0, y1 - y0)))
            crop = img.crop((max(0, x0 - m), max(0, y0 - m), min(img.width, x1 + m), min(img.height, y1 + m)))
            crop.save(os.path.join(out, os.path.splitext(name)[0] + ".png"))
    print(f"cropped {len(names)} images at margins {args.margins} into {args.out}/photo-crop")


if __name__ == "__main__":
    main()
