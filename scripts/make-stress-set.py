#!/usr/bin/python3
"""Make the stress suite: digits as people actually give them to blnk.

    /usr/bin/python3 scripts/make-stress-set.py OUT_DIR [--seed 7] [--per-cell 200] [--mnist DIR]

Everything is generated, never taken from training images:
  mnist-photo/m{0,3,10,30}/  MNIST *test* digits photographed: cropped to the
                             ink plus that margin (percent of the digit's
                             longer side, on every side; 0 = ink touching the
                             border), enlarged to 40-220 pixels, dark ink on
                             tinted paper or light on dark, uneven light,
                             scanner streaks, dust, blur, noise, JPEG or PNG;
  font-photo/m*/             digits of the installed fonts, the same way
                             (never the families the bundled models train
                             on: TRAINING_FONT_FAMILIES);
  pad/m*/                    drawings on blnk's 280x280 pad: pen strokes
                             replayed with thin, medium and thick round pens,
                             black on white or white on black, the drawing's
                             box that far from the pad's edges (0: touching,
                             even running off it);
  exif/o{1..8}/              phone JPEGs: the pixels stored as a camera held
                             that way stores them, with the EXIF Orientation
                             tag that tells viewers how to turn them;
  nondigit/{letters,symbols,scribbles}/
                             letters (not those that are written like a
                             digit: O o Q D I l i j J S s Z z B b G g q),
                             symbols and scribbles, as photos and pad drawings;
  numbers/mixed/             numbers of two or three digits, as photos and pad
                             drawings (until issue 21 these were non-digits).
A digit's file name starts with its label (7_...); a number's with n<number>_;
a non-digit's with "x".
scripts/stress-eval.py reads the folder with `blnk predict --json` and prints
accuracy and verdicts per kind and margin.

Needs numpy and PIL (Debian: python3-numpy python3-pil) and fonts (the more of
fonts-dejavu fonts-liberation fonts-freefont-ttf fonts-urw-base35
fonts-noto-mono fonts-comic-neue fonts-dkg-handwriting fonts-humor-sans, the
more varied). The same seed, fonts and MNIST files give the same set.
"""

import argparse
import gzip
import importlib.util
import io
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
MARGINS = (0, 3, 10, 30)
PAD_SIDE = 280                      # blnk's drawing pad (serve/page.html)
PEN_WIDTHS = ((4, 8), (14, 24), (30, 44))  # thin, medium (the page's 22), thick
NOT_DIGIT_LIKE_LETTERS = "ACEFHKLMNPRTUVWXYacdefhkmnprtuvwxy"
SYMBOLS = "+=%&@#$?!*<>~^\u20ac\u00a3\u00a7\u00b6\u03c0\u03a9\u00d7\u00f7\u2211\u221a\u263a\u2605"


def load_helpers():
    """find_fonts and colours from make-test-photos.py (one definition of each)."""
    spec = importlib.util.spec_from_file_location("test_photos", os.path.join(HERE, "make-test-photos.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# Font families the bundled models may train on (scripts/make-training-set.py);
# the stress suite never uses them.
TRAINING_FONT_FAMILIES = ("freefont", "liberation")


def all_fonts(helpers, training=False):
    """Test fonts: every usable font but the training families, plus DejaVu
    (which made photo-digits, a test set too). training=True: the training families."""
    found = helpers.find_fonts()
    if training:
        return [f for f in found if any(k in f.lower() for k in TRAINING_FONT_FAMILIES)]
    fonts = [f for f in found if not any(k in f.lower() for k in TRAINING_FONT_FAMILIES)]
    for name in ("DejaVuSans.ttf", "DejaVuSerif.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansMono.ttf"):
        path = os.path.join("/usr/share/fonts/truetype/dejavu", name)
        if os.path.exists(path):
            fonts.append(path)
    return fonts


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic == 0x803:
        n, rows, cols = (int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(3))
        return np.frombuffer(data, np.uint8, n * rows * cols, 16).reshape(n, rows, cols)
    n = int.from_bytes(data[4:8], "big")
    return np.frombuffer(data, np.uint8, n, 8)


# --- Coverage maps: float (h, w) in [0, 1], 1 = ink, cropped to the ink ------

def crop_to_ink(cov, level=0.02):
    ys, xs = np.nonzero(cov > level)
    if len(ys) == 0:
        raise RuntimeError("nothing rendered")
    return cov[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def render_text(text, font_path, rng, size=96):
    font = ImageFont.truetype(font_path, size)
    img = Image.new("L", (size * (2 + len(text)), size * 2), 0)
    stroke = int(rng.integers(0, 3)) if rng.random() < 0.3 else 0
    ImageDraw.Draw(img).text((size // 2, size // 3), text, font=font, fill=255, stroke_width=stroke, stroke_fill=255)
    img = img.rotate(rng.uniform(-8, 8), resample=Image.BICUBIC, expand=True)
    return crop_to_ink(np.asarray(img, np.float32) / 255.0)


def mnist_coverage(image):
    return crop_to_ink(image.astype(np.float32) / 255.0, level=0.0)


def with_margin(cov, margin_percent, rng):
    """Pads the ink box by margin% of its longer side on every side (0: none),
    at a random offset of up to a third of the margin."""
    h, w = cov.shape
    m = margin_percent / 100.0 * max(h, w)
    if m <= 0:
        return cov
    dx, dy = rng.uniform(-m / 3, m / 3, 2)
    left, top = int(round(m + dx)), int(round(m + dy))
    right, bottom = int(round(2 * m)) - left, int(round(2 * m)) - top
    return np.pad(cov, ((top, bottom), (left, right)))


# --- Photos -------------------------------------------------------------------

def photograph(cov, rng, helpers):
    """An RGB photo (uint8) of a coverage map that fills the whole frame."""
    h, w = cov.shape
    side = rng.uniform(40, 220)
    scale = side / max(h, w)
    ch, cw = max(8, int(round(h * scale))), max(8, int(round(w * scale)))
    cov = np.asarray(Image.fromarray((np.clip(cov, 0, 1) * 255).astype(np.uint8)).resize((cw, ch), Image.BICUBIC),
                     np.float32) / 255.0
    paper, ink = helpers.colours(rng)
    img = paper[None, None, :] + (ink - paper)[None, None, :] * cov[..., None]
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    if rng.random() < 0.5:  # uneven light: a gradient and a vignette
        angle = rng.uniform(0, 2 * math.pi)
        ramp = (xx / cw - 0.5) * math.cos(angle) + (yy / ch - 0.5) * math.sin(angle)
        r2 = ((xx / cw - 0.5) ** 2 + (yy / ch - 0.5) ** 2) * 2
        img *= ((1 + rng.uniform(0.1, 0.4) * ramp) * (1 - rng.uniform(0, 0.15) * r2))[..., None]
    if rng.random() < 0.25:  # scanner streaks: a few rows or columns brighter or darker
        axis = int(rng.integers(0, 2))
        offsets = np.zeros(cw if axis else ch, np.float32)
        for _ in range(int(rng.integers(2, 8))):
            offsets[int(rng.integers(0, len(offsets)))] = rng.uniform(-30, 30)
        img += (offsets[None, :] if axis else offsets[:, None])[..., None]
    for _ in range(int(rng.integers(0, 6)) if rng.random() < 0.4 else 0):  # dust: specks of 1 or 3 pixels
        sy, sx, r = int(rng.integers(0, ch)), int(rng.integers(0, cw)), int(rng.integers(0, 2))
        img[max(0, sy - r):sy + r + 1, max(0, sx - r):sx + r + 1] = rng.uniform(0, 255, 3)
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    blur = rng.uniform(0, 1.5) * max(ch, cw) / 120
    if blur > 0.2:
        pil = pil.filter(ImageFilter.GaussianBlur(blur))
    img = np.asarray(pil, np.float32) + rng.normal(0, rng.uniform(1, 7), (ch, cw, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def save_photo(img, path_stem, rng):
    if rng.random() < 0.45:
        path = path_stem + ".jpg"
        Image.fromarray(img).save(path, quality=int(rng.integers(40, 92)))
    else:
        path = path_stem + ".png"
        Image.fromarray(img).save(path)
    return path


# --- Pad drawings -------------------------------------------------------------

def arc(cx, cy, rx, ry, t0, t1, n=24):
    ts = np.radians(np.linspace(t0, t1, n))
    return [(cx + rx * math.cos(t), cy + ry * math.sin(t)) for t in ts]


# Pen strokes of each digit in a unit box (x right, y down), a few ways people write them.
DIGIT_STROKES = {
    0: [[arc(.5, .5, .42, .5, -90, 275)], [arc(.5, .5, .35, .5, -100, 265)]],
    1: [[[(.5, 0), (.5, 1)]], [[(.25, .25), (.55, 0), (.55, 1)]], [[(.3, .2), (.55, 0), (.55, 1)], [(.25, 1), (.85, 1)]]],
    2: [[arc(.5, .3, .38, .3, 195, 395) + [(.05, 1), (1, 1)]], [arc(.5, .28, .4, .28, 190, 370) + [(.1, .95), (.25, .88), (.95, .95)]]],
    3: [[arc(.5, .26, .36, .26, 200, 450) + arc(.5, .74, .42, .26, 270, 520)],
        [[(.1, 0), (.9, 0), (.45, .42)] + arc(.5, .7, .42, .3, 280, 520)]],
    4: [[[(.65, 0), (0, .68), (1, .68)], [(.72, .3), (.72, 1)]], [[(.12, 0), (.08, .6), (.95, .6)], [(.75, 0), (.75, 1)]]],
    5: [[[(.9, 0), (.22, 0), (.15, .45)] + arc(.5, .68, .38, .32, 215, 505)],
        [[(.2, 0), (.15, .45)] + arc(.5, .68, .38, .32, 215, 505), [(.2, 0), (.92, 0)]]],
    6: [[[(.78, 0), (.45, .2), (.2, .5)] + arc(.5, .72, .3, .28, 190, 540)],
        [arc(.8, .55, .7, .55, 235, 180 - 5) + arc(.5, .72, .35, .28, 175, 520)]],
    7: [[[(0, 0), (1, 0), (.35, 1)]], [[(0, .05), (1, 0), (.4, 1)], [(.3, .52), (.8, .5)]]],
    8: [[arc(.5, .24, .3, .24, 0, 360), arc(.5, .72, .38, .28, -90, 270)],
        [arc(.5, .25, .32, .25, 90, -270, 32) + arc(.5, .73, .38, .27, -90, 270, 32)]],
    9: [[arc(.45, .28, .38, .28, 0, 365), [(.83, .28), (.78, 1)]], [arc(.45, .3, .38, .3, 10, 370) + [(.8, .75), (.55, 1)]]],
}


def jitter(strokes, rng):
    """A person's hand: slant, aspect, tilt and wobble, then normalised to the unit box."""
    slant = rng.uniform(-0.25, 0.2)
    aspect = rng.uniform(0.65, 1.1)
    tilt = math.radians(rng.uniform(-8, 8))
    c, s = math.cos(tilt), math.sin(tilt)
    out = []
    for stroke in strokes:
        pts = np.array(stroke, np.float64)
        pts += rng.normal(0, 0.012, pts.shape)
        x = (pts[:, 0] - 0.5) * aspect + slant * (0.5 - pts[:, 1])
        y = pts[:, 1] - 0.5
        out.append(np.stack([c * x - s * y, s * x + c * y], 1))
    allp = np.concatenate(out)
    lo, hi = allp.min(0), allp.max(0)
    return [(p - lo) / max(hi - lo) for p in out], (hi - lo) / max(hi - lo)


def draw_pad(strokes, margin_percent, rng, pen=None, white_on_black=None):
    """A 280x280 pad drawing as the page's canvas makes it (anti-aliased, round pen)."""
    lo, hi = pen if pen else PEN_WIDTHS[int(rng.integers(0, 3))]
    width = rng.uniform(lo, hi)
    strokes, extent = jitter(strokes, rng)
    ss = 2  # supersampled, then area-averaged: the canvas's anti-aliasing
    side = PAD_SIDE * ss
    # The ink's box (centre lines plus the pen's radius) that far from the edges;
    # at margin 0 the centre line reaches the edge at times (the stroke runs off).
    radius = width / 2
    m = margin_percent / 100.0 * PAD_SIDE
    inner = m + radius * (rng.uniform(-0.5, 1.0) if margin_percent == 0 else 1.0)
    span = PAD_SIDE - 2 * inner
    if width > 0.2 * span:  # nobody writes a small digit with a marker: it would be a blot
        width = 0.2 * span
        radius = width / 2
        inner = m + radius * (rng.uniform(-0.5, 1.0) if margin_percent == 0 else 1.0)
        span = PAD_SIDE - 2 * inner
    scale = span / max(extent)
    offset = inner + (span - extent * scale) / 2 + rng.uniform(-1, 1, 2) * (span - extent * scale) / 4
    img = Image.new("L", (side, side), 0)
    d = ImageDraw.Draw(img)
    r = radius * ss
    for pts in strokes:
        p = [((x * scale + offset[0]) * ss, (y * scale + offset[1]) * ss) for x, y in pts]
        if len(p) > 1:
            d.line(p, fill=255, width=max(1, int(round(width * ss))), joint="curve")
        for x, y in (p[0], p[-1]) if len(p) > 1 else p:
            d.ellipse((x - r, y - r, x + r, y + r), fill=255)
    cov = np.asarray(img.resize((PAD_SIDE, PAD_SIDE), Image.BOX), np.float32) / 255.0
    if white_on_black is None:
        white_on_black = rng.random() < 0.3
    gray = cov if white_on_black else 1 - cov
    return Image.fromarray((gray * 255).round().astype(np.uint8))


def scribble(rng):
    """Strokes that are no digit: a tangle of 5-9 random points, one to three strokes."""
    strokes = []
    for _ in range(int(rng.integers(1, 4))):
        pts = rng.uniform(0, 1, (int(rng.integers(5, 10)), 2))
        t = np.linspace(0, 1, 12 * len(pts))
        xs = np.interp(t, np.linspace(0, 1, len(pts)), pts[:, 0])
        ys = np.interp(t, np.linspace(0, 1, len(pts)), pts[:, 1])
        strokes.append(list(zip(xs, ys)))
    return strokes


# --- EXIF -------------------------------------------------------------------

# How a camera stores an upright picture for each Orientation value (the
# inverse of what viewers do to display it).
STORE = {
    1: lambda im: im,
    2: lambda im: im.transpose(Image.FLIP_LEFT_RIGHT),
    3: lambda im: im.transpose(Image.ROTATE_180),
    4: lambda im: im.transpose(Image.FLIP_TOP_BOTTOM),
    5: lambda im: im.transpose(Image.TRANSPOSE),
    6: lambda im: im.transpose(Image.ROTATE_90),    # viewers turn it 90 degrees clockwise
    7: lambda im: im.transpose(Image.TRANSVERSE),
    8: lambda im: im.transpose(Image.ROTATE_270),   # viewers turn it 90 degrees counter-clockwise
}


def save_exif(img, orientation, path):
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "blnk stress suite"  # Make: a second tag, so the parser walks the directory
    STORE[orientation](Image.fromarray(img)).save(path, quality=88, exif=exif.tobytes())


# --- The suite ----------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--per-cell", type=int, default=200, help="images per kind and margin")
    parser.add_argument("--mnist", default=os.path.join(HERE, "..", "..", "shared", "data", "mnist"),
                        help="folder with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]")
    args = parser.parse_args()
    helpers = load_helpers()
    fonts = all_fonts(helpers)
    if len(fonts) < 3:
        sys.exit("make-stress-set: fewer than 3 usable test fonts; install e.g. fonts-dejavu fonts-urw-base35")
    rng = np.random.default_rng(args.seed)

    def find(name):
        for candidate in (name + ".gz", name):
            path = os.path.join(args.mnist, candidate)
            if os.path.exists(path):
                return path
        return None

    images_path, labels_path = find("t10k-images-idx3-ubyte"), find("t10k-labels-idx1-ubyte")
    mnist = (read_idx(images_path), read_idx(labels_path)) if images_path and labels_path else None
    if mnist is None:
        print(f"make-stress-set: no MNIST test files in {args.mnist}: mnist-photo and numbers from MNIST skipped")

    def out(*parts):
        path = os.path.join(args.out_dir, *parts)
        os.makedirs(path, exist_ok=True)
        return path

    n = args.per_cell
    counts = {}
    mnist_order = rng.permutation(10000)
    for margin in MARGINS:
        if mnist:
            d = out("mnist-photo", f"m{margin}")
            for i in range(n):
                k = int(mnist_order[(margin * 997 + i) % 10000])
                label = int(mnist[1][k])
                cov = with_margin(mnist_coverage(mnist[0][k]), margin, rng)
                save_photo(photograph(cov, rng, helpers), os.path.join(d, f"{label}_t{k:05d}"), rng)
            counts[f"mnist-photo/m{margin}"] = n
        d = out("font-photo", f"m{margin}")
        for i in range(n):
            digit, f = i % 10, int(rng.integers(0, len(fonts)))
            cov = with_margin(render_text(str(digit), fonts[f], rng), margin, rng)
            save_photo(photograph(cov, rng, helpers), os.path.join(d, f"{digit}_f{f:02d}_{i:04d}"), rng)
        counts[f"font-photo/m{margin}"] = n
        d = out("pad", f"m{margin}")
        for i in range(n):
            digit = i % 10
            variants = DIGIT_STROKES[digit]
            strokes = variants[int(rng.integers(0, len(variants)))]
            pen = PEN_WIDTHS[i // 10 % 3]
            draw_pad(strokes, margin, rng, pen).save(os.path.join(d, f"{digit}_p{pen[0]:02d}_{i:04d}.png"))
        counts[f"pad/m{margin}"] = n

    per_orientation = max(10, n // 5)
    for orientation in range(1, 9):
        d = out("exif", f"o{orientation}")
        for i in range(per_orientation):
            digit, f = i % 10, int(rng.integers(0, len(fonts)))
            cov = with_margin(render_text(str(digit), fonts[f], rng), 10, rng)
            save_exif(photograph(cov, rng, helpers), orientation, os.path.join(d, f"{digit}_o{orientation}_{i:04d}.jpg"))
        counts[f"exif/o{orientation}"] = per_orientation

    m = max(20, n // 2)
    for sub, chars in (("letters", NOT_DIGIT_LIKE_LETTERS), ("symbols", SYMBOLS)):
        d = out("nondigit", sub)
        for i in range(m):
            ch, f = chars[i % len(chars)], int(rng.integers(0, len(fonts)))
            try:
                cov = render_text(ch, fonts[f], rng)
            except RuntimeError:
                continue  # the font has no such glyph
            cov = with_margin(cov, MARGINS[i % 4], rng)
            save_photo(photograph(cov, rng, helpers), os.path.join(d, f"x_{ord(ch):04x}_f{f:02d}_{i:04d}"), rng)
    d = out("nondigit", "scribbles")
    for i in range(m):
        draw_pad(scribble(rng), MARGINS[i % 4], rng).save(os.path.join(d, f"x_scribble_{i:04d}.png"))
    d = out("numbers", "mixed")  # label n<number>_: read whole, or wrong
    for i in range(m):
        digits = "".join(str(int(x)) for x in rng.integers(0, 10, 2 + (i % 3 == 0)))
        if mnist and i % 2:
            ks = rng.integers(0, 10000, len(digits))
            parts = [mnist_coverage(mnist[0][k]) for k in ks]
            digits = "".join(str(int(mnist[1][k])) for k in ks)
            h = max(p.shape[0] for p in parts)
            gap = np.zeros((h, int(rng.integers(1, 5))), np.float32)
            row = []
            for p in parts:
                row += [np.pad(p, ((0, h - p.shape[0]), (0, 0))), gap]
            cov = np.concatenate(row[:-1], 1)
        elif i % 4 == 2:
            strokes = []
            for k, ch in enumerate(digits):
                variants = DIGIT_STROKES[int(ch)]
                part, extent = jitter(variants[int(rng.integers(0, len(variants)))], rng)
                strokes += [[(x * extent[0] / max(extent) * 0.8 + k * 0.95, y) for x, y in p] for p in part]
            draw_pad(strokes, MARGINS[i % 4], rng).save(os.path.join(d, f"n{digits}_pad_{i:04d}.png"))
            continue
        else:
            cov = render_text(digits, fonts[int(rng.integers(0, len(fonts)))], rng)
        cov = with_margin(cov, MARGINS[i % 4], rng)
        save_photo(photograph(cov, rng, helpers), os.path.join(d, f"n{digits}_{i:04d}"), rng)
    for sub in ("letters", "symbols", "scribbles"):
        counts[f"nondigit/{sub}"] = len(os.listdir(os.path.join(args.out_dir, "nondigit", sub)))
    counts["numbers/mixed"] = len(os.listdir(os.path.join(args.out_dir, "numbers", "mixed")))
    print(f"wrote the stress suite to {args.out_dir} (seed {args.seed}, {len(fonts)} fonts):")
    for k, v in counts.items():
        print(f"  {k:22s} {v}")


if __name__ == "__main__":
    main()
