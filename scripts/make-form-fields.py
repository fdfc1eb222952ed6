#!/usr/bin/python3
"""A development family of numbers written into the fields of a printed form.

    /usr/bin/python3 scripts/make-form-fields.py OUT_DIR [--per-style 40] [--seed 5] [--mnist DIR]

Writes OUT_DIR/form-fields/all/n<number>_<style><i>.{png,jpg}: numbers of 2 to 6
MNIST *test* digits written into four kinds of field: `comb` (a row of boxes
sharing their walls, one digit each), `ticks` (a baseline with short ticks
between the digits), `box` (one box round the whole number) and `line` (a
printed label, then an underline the number sits on). Digits are as big as
their cell or a little bigger, so they often touch or cross the printed lines;
the page is scanned in colour or photographed.

This family is for developing the reader (reading its misses is allowed); the
held-out sets (make-heldout-set*.py) are separate generators that share no code
with it. The same seed makes the same files.
"""

import argparse
import importlib.util
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
STYLES = ("comb", "ticks", "box", "line")
LABELS = ("No.", "Qty", "Total", "Amount", "Room", "Code", "Ref", "Year")


def load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(HERE, file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def digit_patch(stress, image, cell_h, rng):
    """An MNIST digit's coverage scaled so its ink is about the cell's height."""
    cov = stress.mnist_coverage(image)
    h = max(6, int(round(cell_h * rng.uniform(0.6, 1.05))))
    w = max(2, int(round(cov.shape[1] * h / cov.shape[0])))
    return np.asarray(Image.fromarray((cov * 255).astype(np.uint8)).resize((w, h), Image.BICUBIC), np.float32) / 255


def form_field(stress, digits, images, style, fonts, rng):
    """Coverage maps (printed lines, handwriting) of one field holding `digits`."""
    n = len(digits)
    cell = int(rng.uniform(40, 70))                 # a cell's side in pixels
    line = max(1, int(round(cell * rng.uniform(0.02, 0.06))))
    label_w = int(cell * 2.6) if style == "line" else 0
    margin = cell // 2
    width, height = label_w + n * cell + 2 * margin, cell + 2 * margin
    printed = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(printed)
    x0, y0, x1, y1 = margin + label_w, margin, margin + label_w + n * cell, margin + cell
    if style in ("comb", "box"):
        draw.rectangle((x0, y0, x1, y1), outline=255, width=line)
        if style == "comb":
            for k in range(1, n):
                draw.line((x0 + k * cell, y0, x0 + k * cell, y1), fill=255, width=line)
    elif style == "ticks":
        draw.line((x0, y1, x1, y1), fill=255, width=line)
        tick = int(cell * rng.uniform(0.2, 0.45))
        for k in range(n + 1):
            draw.line((x0 + k * cell, y1 - tick, x0 + k * cell, y1), fill=255, width=line)
    else:
        draw.line((x0, y1, x1, y1), fill=255, width=line)
        font = ImageFont.truetype(fonts[int(rng.integers(0, len(fonts)))], int(cell * 0.45))
        draw.text((margin // 2, y1 - int(cell * 0.55)), LABELS[int(rng.integers(0, len(LABELS)))] + ":", font=font, fill=255)
    printed = np.asarray(printed, np.float32) / 255
    ink = np.zeros_like(printed)
    for k, image in enumerate(images):
        patch = digit_patch(stress, image, cell * (0.85 if style == "box" else 1.0), rng)
        ph, pw = patch.shape
        cx = x0 + k * cell + cell / 2 + rng.uniform(-0.12, 0.12) * cell
        cy = y0 + cell / 2 + rng.uniform(-0.1, 0.15) * cell
        top, left = int(round(cy - ph / 2)), int(round(cx - pw / 2))
        top, left = max(0, min(height - ph, top)), max(0, min(width - pw, left))
        ink[top:top + ph, left:left + pw] = np.maximum(ink[top:top + ph, left:left + pw], patch)
    return printed, ink


def photograph(cov, rng, helpers):
    """A phone's picture of a coverage map: a cell 24-70 pixels tall, one ink colour,
    light falling across the page, blur and sensor noise."""
    scale = rng.uniform(0.5, 1.2)
    h, w = cov.shape
    cov = np.asarray(Image.fromarray((np.clip(cov, 0, 1) * 255).astype(np.uint8))
                     .resize((max(8, int(w * scale)), max(8, int(h * scale))), Image.BICUBIC), np.float32) / 255
    paper, pen = helpers.colours(rng)
    img = paper[None, None, :] + (pen - paper)[None, None, :] * cov[..., None]
    yy, xx = np.mgrid[0:cov.shape[0], 0:cov.shape[1]].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (xx / cov.shape[1] - 0.5) * np.cos(angle) + (yy / cov.shape[0] - 0.5) * np.sin(angle)
    img *= (1 + rng.uniform(0, 0.35) * ramp)[..., None]
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.2)))
    img = np.asarray(pil, np.float32) + rng.normal(0, rng.uniform(1, 6), img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def render(printed, ink, rng, helpers, stress):
    """An RGB picture of the field: photographed (the stress suite's camera: one ink
    colour, the printing fainter than the pen), or scanned in colour (paper, the
    form's printing in its colour, the handwriting in pen)."""
    strength = rng.uniform(0.35, 0.9)
    if rng.random() < 0.5:
        return photograph(np.maximum(printed * strength, ink), rng, helpers)
    paper, pen = helpers.colours(rng)
    print_colour = np.array([rng.uniform(0, 90), rng.uniform(0, 90), rng.uniform(60, 200)]) if rng.random() < 0.4 \
        else np.full(3, rng.uniform(0, 140))
    img = paper[None, None, :] + (print_colour - paper)[None, None, :] * (printed * strength)[..., None]
    img = img * (1 - ink[..., None]) + pen[None, None, :] * ink[..., None]
    img += rng.normal(0, rng.uniform(1, 5), img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--per-style", type=int, default=40)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--mnist", default=os.path.join(HERE, "..", "..", "shared", "data", "mnist"))
    args = parser.parse_args()
    if args.per_style < 1:
        parser.error("--per-style must be at least 1")
    stress = load("stress", "make-stress-set.py")
    helpers = stress.load_helpers()
    fonts = stress.all_fonts(helpers, training=True)
    images = stress.read_idx(os.path.join(args.mnist, "t10k-images-idx3-ubyte.gz"))
    labels = stress.read_idx(os.path.join(args.mnist, "t10k-labels-idx1-ubyte.gz"))
    rng = np.random.default_rng(args.seed)
    out = os.path.join(args.out_dir, "form-fields", "all")
    os.makedirs(out, exist_ok=True)
    for style in STYLES:
        for i in range(args.per_style):
            picks = rng.integers(0, len(images), int(rng.integers(2, 7)))
            number = "".join(str(int(labels[k])) for k in picks)
            printed, ink = form_field(stress, number, images[picks], style, fonts, rng)
            stress.save_photo(render(printed, ink, rng, helpers, stress), os.path.join(out, f"n{number}_{style}{i:03d}"), rng)
    print(f"form-fields: {len(STYLES) * args.per_style} numbers in {out}")


if __name__ == "__main__":
    sys.exit(main())
