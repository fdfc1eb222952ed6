#!/usr/bin/python3
"""Make a held-out set of photographed-looking digits for `blnk predict`.

    /usr/bin/python3 scripts/make-test-photos.py OUT_DIR [--count 300] [--seed 2026]

Renders the digits 0-9 in installed fonts OTHER than DejaVu (which made
../shared/data/photo-digits), including handwriting-like ones, and degrades
them the way a phone camera or scanner does: tinted paper or light-on-dark
boards, ink of any dark colour, off-centre placement, tilt up to 12 degrees,
squashed or stretched aspect, an uneven lighting gradient and vignette, blur,
sensor noise, coloured specks, scanner streaks, JPEG artefacts, canvases of
40-220 pixels, saved as RGB PNG, RGBA PNG (a few with a transparent
background) or JPEG. The label is the first character of each file name, as
scripts/eval-photos.sh expects. The same seed and fonts give the same files.

Needs numpy and PIL (Debian: python3-numpy python3-pil) and fonts; the more
of these Debian packages are installed, the more varied the set:
fonts-liberation fonts-freefont-ttf fonts-urw-base35 fonts-noto-mono
fonts-comic-neue fonts-dkg-handwriting fonts-humor-sans.
It prints the fonts it used. Never train on its output: it is a test set.
"""

import argparse
import glob
import io
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIRS = ["/usr/share/fonts/truetype", "/usr/share/fonts/opentype"]
# Fonts whose digits are not digits (symbols, dingbats), hollow outlines
# (femkeklaver: nobody writes or prints a digit as an outline), or that made
# the other set.
EXCLUDED = ("dejavu", "d050000l", "standardsymbols", "droidsansfallback", "mathtexgyre", "femkeklaver")
MIN_SIDE, MAX_SIDE = 40, 220
MAX_TILT_DEGREES = 12.0


def find_fonts():
    """Installed TrueType/OpenType fonts that draw ten distinct digit glyphs."""
    paths = []
    for d in FONT_DIRS:
        for ext in ("ttf", "otf"):
            paths += glob.glob(os.path.join(d, "**", "*." + ext), recursive=True)
    fonts = []
    for path in sorted(set(paths)):
        if any(x in path.lower() for x in EXCLUDED):
            continue
        try:
            font = ImageFont.truetype(path, 48)
        except OSError:
            continue
        glyphs = set()
        for digit in "0123456789":
            img = Image.new("L", (80, 80), 0)
            ImageDraw.Draw(img).text((10, 5), digit, font=font, fill=255)
            glyphs.add(img.tobytes())
        if len(glyphs) == 10:
            fonts.append(path)
    return fonts


def render_digit(digit, font_path, rng):
    """Ink coverage (float, 0..1) of one digit, tilted and reshaped, tightly cropped."""
    size = 96
    font = ImageFont.truetype(font_path, size)
    stroke = int(rng.integers(0, 3)) if rng.random() < 0.35 else 0  # heavier pens
    img = Image.new("L", (size * 2, size * 2), 0)
    ImageDraw.Draw(img).text((size // 2, size // 3), str(digit), font=font, fill=255,
                             stroke_width=stroke, stroke_fill=255)
    # Aspect: photographed at an angle, or a narrow / wide typeface.
    sx = rng.uniform(0.75, 1.3)
    img = img.resize((max(1, int(img.width * sx)), img.height), Image.BICUBIC)
    img = img.rotate(rng.uniform(-MAX_TILT_DEGREES, MAX_TILT_DEGREES), resample=Image.BICUBIC, expand=True)
    box = img.getbbox()
    if box is None:
        raise RuntimeError(f"{font_path}: digit {digit} rendered empty")
    return np.asarray(img.crop(box), dtype=np.float32) / 255.0


def colours(rng):
    """(paper RGB, ink RGB) in 0..255: mostly dark ink on tinted paper, some light on dark."""
    if rng.random() < 0.25:  # chalk or white ink on a board, a screen, dark paper
        paper = rng.uniform(10, 80, 3) * rng.uniform(0.6, 1.0, 3)
        ink = rng.uniform(170, 250) * rng.uniform(0.85, 1.0, 3)
    else:
        base = rng.uniform(170, 250)
        paper = base * rng.uniform(0.82, 1.0, 3)  # tinted: yellowish, bluish, grey, pink
        ink = rng.uniform(0, 90) * rng.uniform(0.3, 1.0, 3)
        if rng.random() < 0.3:  # a coloured pen
            ink[int(rng.integers(0, 3))] += rng.uniform(40, 110)
    return paper, ink


def compose(coverage, rng, harsh):
    """A degraded photo (H, W, 3) float 0..255 holding the coverage map somewhere."""
    h0, w0 = coverage.shape
    # Canvas: longer side 40..220 pixels, the digit filling 35%..85% of its height.
    side = int(rng.integers(MIN_SIDE, MAX_SIDE + 1))
    aspect = rng.uniform(0.65, 1.5)  # canvas width / height
    if aspect >= 1:
        cw, ch = side, max(MIN_SIDE // 2, int(side / aspect))
    else:
        ch, cw = side, max(MIN_SIDE // 2, int(side * aspect))
    fill = rng.uniform(0.35, 0.85)
    scale = min(fill * ch / h0, 0.9 * cw / w0)
    dh, dw = max(4, int(round(h0 * scale))), max(3, int(round(w0 * scale)))
    digit = np.asarray(Image.fromarray((coverage * 255).astype(np.uint8)).resize((dw, dh), Image.LANCZOS),
                       dtype=np.float32) / 255.0
    # Off-centre: anywhere the digit fits, touching the edges at times.
    x = int(rng.integers(0, max(1, cw - dw + 1)))
    y = int(rng.integers(0, max(1, ch - dh + 1)))
    cov = np.zeros((ch, cw), np.float32)
    cov[y:y + dh, x:x + dw] = digit[: ch - y, : cw - x]

    paper, ink = colours(rng)
    img = paper[None, None, :] + (ink - paper)[None, None, :] * cov[..., None]
    # Uneven lighting: a linear gradient in a random direction and a vignette
    # (half the images evenly lit; --harsh: every image, and stronger).
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = ((xx / cw - 0.5) * math.cos(angle) + (yy / ch - 0.5) * math.sin(angle))
    r2 = ((xx / cw - 0.5) ** 2 + (yy / ch - 0.5) ** 2) * 2
    uneven = harsh or rng.random() < 0.5
    gradient = rng.uniform(0.1, 0.7 if harsh else 0.4) if uneven else 0.0
    vignette = rng.uniform(0.0, 0.35 if harsh else 0.15) if uneven else 0.0
    light = (1.0 + gradient * ramp) * (1.0 - vignette * r2)
    img *= light[..., None]
    # Scanner streaks: a few rows or columns brighter or darker.
    if rng.random() < 0.3:
        axis = int(rng.integers(0, 2))
        n = cw if axis else ch
        offsets = np.zeros(n, np.float32)
        for _ in range(int(rng.integers(3, 12))):
            offsets[int(rng.integers(0, n))] = rng.uniform(-35, 35)
        img += (offsets[None, :] if axis else offsets[:, None])[..., None]
    # Blur (out of focus), stronger on larger canvases.
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    blur = rng.uniform(0, 1.6) * side / 120
    if blur > 0.2:
        pil = pil.filter(ImageFilter.GaussianBlur(blur))
    img = np.asarray(pil, dtype=np.float32)
    # Sensor noise, and specks of dust of 1 or 3 pixels in any colour, anywhere.
    img += rng.normal(0, rng.uniform(1, 9), img.shape)
    for _ in range(int(rng.integers(0, 14))):
        sy, sx = int(rng.integers(0, ch)), int(rng.integers(0, cw))
        r = int(rng.integers(0, 2))
        colour = rng.uniform(0, 255, 3)
        img[max(0, sy - r):sy + r + 1, max(0, sx - r):sx + r + 1] = colour
    return np.clip(img, 0, 255).astype(np.uint8), cov


def save(img, cov, path_stem, rng):
    """Saves as JPEG, RGB PNG or RGBA PNG; returns the file name."""
    kind = rng.choice(["jpg", "png", "rgba"], p=[0.35, 0.4, 0.25])
    if kind == "jpg":
        path = path_stem + ".jpg"
        Image.fromarray(img).save(path, quality=int(rng.integers(35, 92)))
        return path
    path = path_stem + ".png"
    if kind == "png":
        Image.fromarray(img).save(path)
        return path
    alpha = np.full(img.shape[:2], 255, np.uint8)
    if rng.random() < 0.2:  # a drawing exported with a transparent background: ink only in alpha
        alpha = (np.clip(cov, 0, 1) * 255).astype(np.uint8)
        ink = img.reshape(-1, 3)[int(np.argmax(cov))]  # the stroke's colour everywhere, as canvases export
        img = np.broadcast_to(ink, img.shape).copy()
    Image.fromarray(np.dstack([img, alpha]), "RGBA").save(path)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--harsh", action="store_true",
                        help="uneven lighting on every image and twice as strong (phone flash, vignetting)")
    args = parser.parse_args()
    fonts = find_fonts()
    if len(fonts) < 3:
        sys.exit("make-test-photos: fewer than 3 usable non-DejaVu fonts; install e.g. fonts-liberation fonts-freefont-ttf")
    os.makedirs(args.out_dir, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    for i in range(args.count):
        digit = i % 10
        f = int(rng.integers(0, len(fonts)))
        coverage = render_digit(digit, fonts[f], rng)
        img, cov = compose(coverage, rng, args.harsh)
        save(img, cov, os.path.join(args.out_dir, f"{digit}_h{f:02d}_{i:04d}"), rng)
    print(f"wrote {args.count} images to {args.out_dir} (seed {args.seed}) from {len(fonts)} fonts:")
    for k, path in enumerate(fonts):
        print(f"  h{k:02d} {path}")


if __name__ == "__main__":
    main()
