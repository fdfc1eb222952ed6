#!/usr/bin/python3
"""Makes the held-out evaluation families: kinds of input that nothing in blnk
was trained or tuned on, unlike the stress suite's generators (issue 21).

    /usr/bin/python3 scripts/make-heldout-set.py OUT [--per-family 60] [--seed 11] [--mnist DIR]
    /usr/bin/python3 scripts/stress-eval.py OUT      # the table, held-out families marked

Families (OUT/<family>/all/), digits from the MNIST *test* set or from fonts no
training script uses (URW Nimbus, URW Gothic, DejaVu Bold):
  desk-photo   12-megapixel JPEGs (4000x3000) of a sheet of paper lying askew on a
               wooden desk, one handwritten digit 5-40% of the frame height, light
               falling off across the frame, a soft shadow of the phone
  plaque       house-number plaques: a light digit on a coloured plate with a frame,
               screwed to a brick wall, photographed at 300-1200 px
  soft-scan    a form field scanned at low resolution: the digit at 8-16 px, smoothed
               up to 60-100 px and cropped to the ink (ink touches the border)
  ruled-paper  a digit written on ruled or squared school paper, 400-900 px
  numbers      2 to 5 handwritten digits in a row on paper (label: the number)
  shapes       non-digits drawn on the pad: smiley, heart, star, arrow, spiral, a
               cross in a box, a house, a sun

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them. OUT/heldout.txt lists the
families (scripts/make-heldout-set2.py adds its own to the same list): no
training or tuning script may read them (say so when you add one).
The same seed and MNIST files give the same set.
"""

import argparse
import importlib.util
import math
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
FAMILIES = ("desk-photo", "plaque", "soft-scan", "ruled-paper", "numbers", "shapes")
# Bold, plain fonts as house numbers use; none is a training family (make-stress-set.py).
PLAQUE_FONTS = ("/usr/share/fonts/opentype/urw-base35/NimbusSans-Bold.otf",
                "/usr/share/fonts/opentype/urw-base35/URWGothic-Demi.otf",
                "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                "/usr/share/fonts/opentype/urw-base35/NimbusSansNarrow-Bold.otf")


def stress_helpers():
    """read_idx, crop_to_ink and mnist_coverage from make-stress-set.py (one definition each)."""
    spec = importlib.util.spec_from_file_location("stress_set", os.path.join(HERE, "make-stress-set.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def resized(cov, height):
    """A coverage map (float, 1 = ink) scaled to `height` rows, aspect kept."""
    h, w = cov.shape
    width = max(1, int(round(w * height / h)))
    img = Image.fromarray(np.uint8(np.clip(cov, 0, 1) * 255)).resize((width, height), Image.BICUBIC)
    return np.asarray(img, np.float32) / 255.0


def paste_ink(canvas, cov, top, left, ink_rgb, strength=1.0):
    """Lays ink of colour ink_rgb with coverage cov on an (h, w, 3) float canvas."""
    h, w = cov.shape
    region = canvas[top:top + h, left:left + w]
    a = np.clip(cov[:region.shape[0], :region.shape[1]] * strength, 0, 1)[..., None]
    region[...] = region * (1 - a) + np.asarray(ink_rgb, np.float32) * a


def save_jpeg(rgb, path, rng, quality=(80, 95)):
    img = Image.fromarray(np.uint8(np.clip(rgb, 0, 1) * 255))
    img.save(path, quality=int(rng.integers(*quality)))


# --- Families -------------------------------------------------------------------

def desk_photo(digit_cov, rng):
    """A 4000x3000 photo: wood desk, paper askew, one digit 5-40% of the height."""
    H, W = 3000, 4000
    y, x = np.mgrid[0:H, 0:W].astype(np.float32)
    # Wood: warm brown with grain along a random direction, knots of darker bands.
    angle = rng.uniform(-0.3, 0.3)
    u = x * math.cos(angle) + y * math.sin(angle)
    v = -x * math.sin(angle) + y * math.cos(angle)
    grain = 0.5 + 0.25 * np.sin(v / rng.uniform(9, 25) + 3 * np.sin(u / rng.uniform(300, 900)))
    base = np.asarray(rng.choice([[0.45, 0.30, 0.18], [0.60, 0.45, 0.30], [0.30, 0.22, 0.15], [0.55, 0.55, 0.52]]),
                      np.float32)
    canvas = base * (0.75 + 0.35 * grain)[..., None]
    # Paper: a rotated rectangle, 45-85% of the height, possibly cut by the frame.
    ph = rng.uniform(0.45, 0.85) * H
    pw = ph * rng.uniform(0.70, 0.80)
    cx, cy = W / 2 + rng.uniform(-0.2, 0.2) * W, H / 2 + rng.uniform(-0.15, 0.15) * H
    t = rng.uniform(-0.15, 0.15)
    pu = (x - cx) * math.cos(t) + (y - cy) * math.sin(t)
    pv = -(x - cx) * math.sin(t) + (y - cy) * math.cos(t)
    inside = (np.abs(pu) < pw / 2) & (np.abs(pv) < ph / 2)
    paper = np.asarray(rng.choice([[0.93, 0.93, 0.90], [0.97, 0.96, 0.92], [0.90, 0.92, 0.95]]), np.float32)
    canvas[inside] = paper
    # The digit on the paper, upright with the paper's tilt ignored (a few degrees).
    height = int(rng.uniform(0.05, 0.40) * H)
    height = int(min(height, 0.8 * ph))
    cov = resized(digit_cov, height)
    cov = np.asarray(Image.fromarray(np.uint8(cov * 255)).rotate(math.degrees(-t), Image.BICUBIC, expand=True),
                     np.float32) / 255.0
    top = int(cy - cov.shape[0] / 2 + rng.uniform(-0.1, 0.1) * ph)
    left = int(cx - cov.shape[1] / 2 + rng.uniform(-0.1, 0.1) * pw)
    top, left = max(0, min(H - cov.shape[0], top)), max(0, min(W - cov.shape[1], left))
    ink = rng.choice([[0.08, 0.08, 0.10], [0.10, 0.15, 0.45], [0.15, 0.15, 0.18]])
    paste_ink(canvas, cov, top, left, ink, strength=rng.uniform(0.75, 1.0))
    # Light: a broad fall-off from one side, a vignette, a soft shadow of the phone.
    lx, ly = rng.uniform(-1, 1, 2)
    light = 1.0 + 0.18 * ((x / W - 0.5) * lx + (y / H - 0.5) * ly)
    light *= 1.0 - 0.25 * (((x / W - 0.5) ** 2 + (y / H - 0.5) ** 2) / 0.5)
    sx, sy, sr = rng.uniform(0.2, 0.8) * W, rng.uniform(0.6, 1.2) * H, rng.uniform(0.3, 0.6) * H
    shadow = 1.0 - 0.25 / (1.0 + np.exp(((x - sx) ** 2 + (y - sy) ** 2) ** 0.5 / (0.08 * H) - sr / (0.08 * H)))
    canvas *= (light * shadow)[..., None]
    canvas += rng.normal(0, 0.015, canvas.shape).astype(np.float32)
    return canvas


def brick_wall(h, w, rng):
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    bh = rng.uniform(0.06, 0.1) * h
    bw = bh * rng.uniform(2.5, 3.2)
    row = np.floor(y / bh)
    offset = (row % 2) * bw / 2
    col = np.floor((x + offset) / bw)
    mortar = ((y % bh) < 0.12 * bh) | (((x + offset) % bw) < 0.08 * bw)
    tone = np.sin(row * 12.9898 + col * 78.233) * 43758.5453
    tone = tone - np.floor(tone)
    brick = np.stack([0.55 + 0.2 * tone, 0.25 + 0.1 * tone, 0.18 + 0.06 * tone], -1)
    canvas = np.where(mortar[..., None], np.float32([0.70, 0.68, 0.63]), brick).astype(np.float32)
    return canvas + rng.normal(0, 0.03, canvas.shape).astype(np.float32)


def plaque(label, rng):
    """A light digit on a framed coloured plate on bricks."""
    side = int(rng.integers(300, 1200))
    h, w = side, int(side * rng.uniform(1.0, 1.4))
    canvas = brick_wall(h, w, rng)
    plate_h = int(rng.uniform(0.45, 0.8) * h)
    plate_w = int(plate_h * rng.uniform(0.75, 1.0))
    top, left = (h - plate_h) // 2 + int(rng.integers(-h // 10, h // 10 + 1)), (w - plate_w) // 2
    top = max(0, min(h - plate_h, top))
    colour = rng.choice([[0.10, 0.25, 0.60], [0.05, 0.35, 0.20], [0.10, 0.10, 0.10], [0.60, 0.10, 0.10]])
    light = np.float32([0.95, 0.95, 0.92])
    plate = Image.new("RGB", (plate_w, plate_h), (0, 0, 0))
    d = ImageDraw.Draw(plate)
    radius = int(plate_h * rng.uniform(0.05, 0.15))
    d.rounded_rectangle([0, 0, plate_w - 1, plate_h - 1], radius, fill=tuple(int(255 * c) for c in colour))
    frame = max(2, int(plate_h * rng.uniform(0.03, 0.06)))
    inset = int(plate_h * rng.uniform(0.04, 0.08))
    d.rounded_rectangle([inset, inset, plate_w - 1 - inset, plate_h - 1 - inset], max(1, radius - inset),
                        outline=tuple(int(255 * c) for c in light), width=frame)
    font = ImageFont.truetype(str(rng.choice(PLAQUE_FONTS)), int(plate_h * 0.62))
    bbox = d.textbbox((0, 0), label, font=font)
    tx = (plate_w - (bbox[2] - bbox[0])) // 2 - bbox[0]
    ty = (plate_h - (bbox[3] - bbox[1])) // 2 - bbox[1]
    d.text((tx, ty), label, font=font, fill=tuple(int(255 * c) for c in light))
    # Screws in the corners of the frame's inside.
    for sx, sy in ((0.15, 0.12), (0.85, 0.12), (0.15, 0.88), (0.85, 0.88)):
        r = max(2, plate_h // 40)
        cx, cy = int(sx * plate_w), int(sy * plate_h)
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(150, 150, 150))
    mask = Image.new("L", (plate_w, plate_h), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, plate_w - 1, plate_h - 1], radius, fill=255)
    p = np.asarray(plate, np.float32) / 255.0
    m = np.asarray(mask, np.float32)[..., None] / 255.0
    region = canvas[top:top + plate_h, left:left + plate_w]
    region[...] = region * (1 - m) + p * m
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    canvas *= (1.0 + 0.2 * (x / w - 0.5) * rng.uniform(-1, 1))[..., None]
    img = Image.fromarray(np.uint8(np.clip(canvas, 0, 1) * 255))
    img = img.rotate(rng.uniform(-5, 5), Image.BICUBIC, expand=False, fillcolor=(120, 60, 45))
    return np.asarray(img.filter(ImageFilter.GaussianBlur(rng.uniform(0, 1.2))), np.float32) / 255.0


def soft_scan(digit_cov, crop_to_ink, rng):
    """Low resolution, smoothed up, cropped to the ink: dark on light grey."""
    cells = int(rng.integers(8, 17))
    small = np.asarray(Image.fromarray(np.uint8(digit_cov * 255)).resize((cells, cells), Image.BOX), np.float32)
    side = int(rng.integers(60, 101))
    big = np.asarray(Image.fromarray(np.uint8(small)).resize((side, side), Image.BICUBIC), np.float32) / 255.0
    big = np.asarray(Image.fromarray(np.uint8(np.clip(big, 0, 1) * 255)).filter(
        ImageFilter.GaussianBlur(rng.uniform(0.5, 2.0))), np.float32) / 255.0
    big = crop_to_ink(big, level=0.15)
    paper, ink = rng.uniform(0.8, 0.95), rng.uniform(0.05, 0.3)
    gray = paper - (paper - ink) * np.clip(big, 0, 1)
    gray += rng.normal(0, 0.01, gray.shape)
    return np.repeat(gray[..., None], 3, -1).astype(np.float32)


def ruled_paper(digit_cov, rng):
    side = int(rng.integers(400, 900))
    h, w = side, int(side * rng.uniform(0.8, 1.3))
    canvas = np.ones((h, w, 3), np.float32) * np.float32([0.96, 0.96, 0.93])
    spacing = rng.uniform(0.06, 0.12) * h
    line_colour = np.float32(rng.choice([[0.55, 0.70, 0.90], [0.70, 0.75, 0.85], [0.85, 0.60, 0.60]]))
    width = max(1, int(round(side / 400)))
    y0 = rng.uniform(0, spacing)
    squared = rng.random() < 0.5
    for k in range(int(h / spacing) + 1):
        yy = int(y0 + k * spacing)
        canvas[yy:yy + width] = line_colour
    if squared:
        for k in range(int(w / spacing) + 1):
            xx = int(y0 + k * spacing)
            canvas[:, xx:xx + width] = line_colour
    else:  # a margin line
        xx = int(0.12 * w)
        canvas[:, xx:xx + 2 * width] = np.float32([0.85, 0.35, 0.35])
    height = int(rng.uniform(1.5, 3.5) * spacing)
    cov = resized(digit_cov, min(height, int(0.8 * h)))
    top = int(rng.uniform(0.1, 0.9) * (h - cov.shape[0]))
    left = int(rng.uniform(0.2, 0.9) * (w - cov.shape[1]))
    paste_ink(canvas, cov, top, left, rng.choice([[0.1, 0.1, 0.12], [0.1, 0.15, 0.5]]), rng.uniform(0.8, 1.0))
    canvas += rng.normal(0, 0.012, canvas.shape).astype(np.float32)
    return canvas


def number_on_paper(covs, rng):
    """Digits side by side (as written: similar heights, small gaps, a slight baseline drift)."""
    height = int(rng.integers(50, 160))
    parts = [resized(c, int(height * rng.uniform(0.9, 1.05))) for c in covs]
    gap = int(height * rng.uniform(0.05, 0.3))
    width = sum(p.shape[1] for p in parts) + gap * (len(parts) - 1)
    margin = int(height * rng.uniform(0.3, 1.0))
    h, w = height * 2 + 2 * margin, width + 2 * margin
    canvas = np.ones((h, w, 3), np.float32) * np.float32(rng.choice([[0.97, 0.97, 0.97], [0.95, 0.94, 0.90]]))
    x = margin
    ink = rng.choice([[0.05, 0.05, 0.05], [0.1, 0.15, 0.5]])
    for p in parts:
        top = margin + height // 2 + int(rng.integers(-height // 10, height // 10 + 1))
        paste_ink(canvas, p, top, x, ink)
        x += p.shape[1] + gap
    canvas += rng.normal(0, 0.01, canvas.shape).astype(np.float32)
    return canvas


def shape_strokes(kind, rng):
    """Polylines of a shape in a unit square."""
    def arc(cx, cy, r, a0, a1, n=40):
        return [(cx + r * math.cos(a), cy + r * math.sin(a)) for a in np.linspace(a0, a1, n)]
    if kind == "smiley":
        return [arc(0.5, 0.5, 0.4, 0, 2 * math.pi), arc(0.36, 0.38, 0.04, 0, 2 * math.pi, 12),
                arc(0.64, 0.38, 0.04, 0, 2 * math.pi, 12), arc(0.5, 0.5, 0.24, 0.2 * math.pi, 0.8 * math.pi)]
    if kind == "heart":
        t = np.linspace(0, 2 * math.pi, 80)
        xs = 16 * np.sin(t) ** 3
        ys = 13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t)
        return [list(zip(0.5 + xs / 40, 0.45 - ys / 40))]
    if kind == "star":
        pts = [(0.5 + (0.42 if k % 2 == 0 else 0.17) * math.sin(k * math.pi / 5),
                0.52 - (0.42 if k % 2 == 0 else 0.17) * math.cos(k * math.pi / 5)) for k in range(11)]
        return [pts]
    if kind == "arrow":
        return [[(0.1, 0.5), (0.85, 0.5)], [(0.6, 0.28), (0.88, 0.5), (0.6, 0.72)]]
    if kind == "spiral":
        t = np.linspace(0, 5 * math.pi, 120)
        return [list(zip(0.5 + 0.42 * t / t[-1] * np.cos(t), 0.5 + 0.42 * t / t[-1] * np.sin(t)))]
    if kind == "box-cross":
        return [[(0.15, 0.15), (0.85, 0.15), (0.85, 0.85), (0.15, 0.85), (0.15, 0.15)],
                [(0.25, 0.25), (0.75, 0.75)], [(0.75, 0.25), (0.25, 0.75)]]
    if kind == "house":
        return [[(0.2, 0.9), (0.2, 0.45), (0.5, 0.12), (0.8, 0.45), (0.8, 0.9), (0.2, 0.9)],
                [(0.42, 0.9), (0.42, 0.68), (0.58, 0.68), (0.58, 0.9)]]
    if kind == "sun":
        strokes = [arc(0.5, 0.5, 0.18, 0, 2 * math.pi)]
        for k in range(8):
            a = k * math.pi / 4
            strokes.append([(0.5 + 0.26 * math.cos(a), 0.5 + 0.26 * math.sin(a)),
                            (0.5 + 0.42 * math.cos(a), 0.5 + 0.42 * math.sin(a))])
        return strokes
    raise ValueError(kind)


SHAPES = ("smiley", "heart", "star", "arrow", "spiral", "box-cross", "house", "sun")


def draw_shape(kind, rng):
    """A shape drawn on the 280x280 pad, black on white, pen 8-22 px, a hand's wobble."""
    side = 280
    img = Image.new("L", (side, side), 255)
    d = ImageDraw.Draw(img)
    pen = int(rng.integers(8, 23))
    scale = rng.uniform(0.6, 0.95) * side
    ox, oy = rng.uniform(0, side - scale, 2)
    rot = rng.uniform(-0.2, 0.2)
    for stroke in shape_strokes(kind, rng):
        pts = []
        for (u, v) in stroke:
            u, v = u - 0.5, v - 0.5
            u, v = u * math.cos(rot) - v * math.sin(rot), u * math.sin(rot) + v * math.cos(rot)
            pts.append((ox + (u + 0.5) * scale + rng.normal(0, 1.2), oy + (v + 0.5) * scale + rng.normal(0, 1.2)))
        d.line(pts, fill=0, width=pen, joint="curve")
        for p in (pts[0], pts[-1]):
            d.ellipse([p[0] - pen / 2, p[1] - pen / 2, p[0] + pen / 2, p[1] + pen / 2], fill=0)
    return img


def checked_families(parser, args, families):
    """The --families subset, after checking it and --per-family (usage errors exit 2)."""
    if args.per_family < 1:
        parser.error("--per-family must be at least 1")
    wanted = [f for f in args.families.split(",") if f]
    for f in wanted:
        if f not in families:
            parser.error(f"--families: unknown family {f!r}; expected some of {', '.join(families)}")
    return wanted


def find_mnist_test(folder):
    """Paths of the MNIST test images and labels in folder (gzipped or not); None where missing."""
    def find(name):
        for candidate in (name, name + ".gz"):
            path = os.path.join(folder, candidate)
            if os.path.exists(path):
                return path
        return None
    return find("t10k-images-idx3-ubyte"), find("t10k-labels-idx1-ubyte")


def list_heldout(out, families):
    """Adds families to OUT/heldout.txt, keeping those another generator listed there."""
    path = os.path.join(out, "heldout.txt")
    known = []
    if os.path.exists(path):
        with open(path) as f:
            known = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    with open(path, "a") as f:
        if not os.path.getsize(path):
            f.write("# families no training or tuning may read (scripts/make-heldout-set*.py)\n")
        f.writelines(family + "\n" for family in families if family not in known)


def parse_with_fonts(doc, seed, families, fonts_dir, fetch):
    """heldout_parser's options and --fonts (default build/<fonts_dir>, unpacked by the
    command fetch), parsed: (args, the wanted families, the fonts' root below --fonts)."""
    parser = heldout_parser(doc, seed, families)
    parser.add_argument("--fonts", default=os.path.join(HERE, "..", "build", fonts_dir),
                        help=f"the unpacked held-out fonts ({fetch})")
    args = parser.parse_args()
    return args, checked_families(parser, args, families), os.path.join(args.fonts, "usr", "share", "fonts")


def fonts_missing(program, fonts_root, fonts, fetch):
    """True (after saying which and how to fetch them) when some fonts are not under fonts_root."""
    missing = [f for f in fonts if not os.path.exists(os.path.join(fonts_root, f))]
    if missing:
        print(f"{program}: {len(missing)} fonts missing under {fonts_root} (first: {missing[0]}); run {fetch}",
              file=sys.stderr)
    return bool(missing)


def make_families(program, args, families, wanted, make_one, key=0):
    """OUT/heldout.txt, then args.per_family images of each wanted family in
    OUT/<family>/all/ by make_one(family, k, rng, folder); image k's generator is seeded
    by (seed, key + the family's index, k), so that a family's images do not depend on
    which other families are made."""
    os.makedirs(args.out, exist_ok=True)
    list_heldout(args.out, families)
    for family in wanted:
        folder = os.path.join(args.out, family, "all")
        os.makedirs(folder, exist_ok=True)
        for k in range(args.per_family):
            make_one(family, k, np.random.default_rng([args.seed, key + families.index(family), k]), folder)
        print(f"{program}: {family}: {args.per_family} images in {folder}", flush=True)


def heldout_parser(doc, seed, families):
    """The options of a held-out set's generator: OUT, --per-family, --seed, --mnist, --families."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--per-family", type=int, default=60)
    parser.add_argument("--seed", type=int, default=seed)
    parser.add_argument("--mnist", default=os.path.join(HERE, "..", "..", "shared", "data", "mnist"))
    parser.add_argument("--families", default=",".join(families), help="a comma-separated subset")
    return parser


def main():
    parser = heldout_parser(__doc__, 11, FAMILIES)
    args = parser.parse_args()
    wanted = checked_families(parser, args, FAMILIES)
    helpers = stress_helpers()
    images_path, labels_path = find_mnist_test(args.mnist)
    needs_mnist = set(wanted) - {"plaque", "shapes"}
    if needs_mnist and not (images_path and labels_path):
        print(f"make-heldout-set: no MNIST test files in {args.mnist}", file=sys.stderr)
        return 77
    images = helpers.read_idx(images_path) if images_path else None
    labels = helpers.read_idx(labels_path) if labels_path else None
    rng = np.random.default_rng(args.seed)
    # MNIST test digits from the second half (5000-9999), drawn without repeats:
    # the stress suite's mnist-photo cells draw from the whole set with other seeds.
    order = rng.permutation(np.arange(5000, 10000))
    next_digit = iter(order)

    def mnist_digit():
        i = int(next(next_digit))
        return helpers.mnist_coverage(images[i]), str(int(labels[i]))

    os.makedirs(args.out, exist_ok=True)
    list_heldout(args.out, FAMILIES)
    for family in wanted:
        folder = os.path.join(args.out, family, "all")
        os.makedirs(folder, exist_ok=True)
        for k in range(args.per_family):
            stem = os.path.join(folder, "")
            if family == "desk-photo":
                cov, label = mnist_digit()
                save_jpeg(desk_photo(cov, rng), f"{stem}{label}_desk{k:03d}.jpg", rng)
            elif family == "plaque":
                label = str(k % 10)
                save_jpeg(plaque(label, rng), f"{stem}{label}_plaque{k:03d}.jpg", rng)
            elif family == "soft-scan":
                cov, label = mnist_digit()
                gray = soft_scan(cov, helpers.crop_to_ink, rng)
                Image.fromarray(np.uint8(np.clip(gray[..., 0], 0, 1) * 255)).save(f"{stem}{label}_soft{k:03d}.png")
            elif family == "ruled-paper":
                cov, label = mnist_digit()
                save_jpeg(ruled_paper(cov, rng), f"{stem}{label}_ruled{k:03d}.jpg", rng)
            elif family == "numbers":
                n = int(rng.integers(2, 6))
                parts = [mnist_digit() for _ in range(n)]
                number = "".join(label for _, label in parts)
                rgb = number_on_paper([c for c, _ in parts], rng)
                Image.fromarray(np.uint8(np.clip(rgb, 0, 1) * 255)).save(f"{stem}n{number}_num{k:03d}.png")
            elif family == "shapes":
                kind = SHAPES[k % len(SHAPES)]
                draw_shape(kind, rng).save(f"{stem}x_{kind}{k:03d}.png")
        print(f"make-heldout-set: {family}: {args.per_family} images in {folder}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
