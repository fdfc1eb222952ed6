#!/usr/bin/python3
"""Photographed-looking digits of ONE font, split into a training half and a
held-out half: the "few hundred photos of one kind of handwriting" the
fine-tuning measurement of docs/keras.md uses.

    /usr/bin/python3 scripts/make-one-font-set.py OUT_DIR FONT_FILE [--count 600] [--seed 15] [--harsh]

Writes OUT_DIR/train/ and OUT_DIR/test/ (alternate images, so each half has
every digit equally often), named <label>_<n>.png/.jpg as blnk train --images
reads them. The rendering and the degradations are scripts/make-test-photos.py's
own (imported from it), with the font fixed. Needs numpy and PIL."""

import argparse
import importlib.util
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("make_test_photos", os.path.join(here, "make-test-photos.py"))
photos = importlib.util.module_from_spec(spec)
spec.loader.exec_module(photos)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("font_file")
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--harsh", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    for half in ("train", "test"):
        os.makedirs(os.path.join(args.out_dir, half), exist_ok=True)
    for i in range(args.count):
        digit = i % 10
        coverage = photos.render_digit(digit, args.font_file, rng)
        img, cov = photos.compose(coverage, rng, args.harsh)
        half = "train" if (i // 10) % 2 == 0 else "test"
        photos.save(img, cov, os.path.join(args.out_dir, half, f"{digit}_{i:04d}"), rng)
    print(f"wrote {args.count} images of {args.font_file} to {args.out_dir}/train and /test (seed {args.seed})")


if __name__ == "__main__":
    main()
