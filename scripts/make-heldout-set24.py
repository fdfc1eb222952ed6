#!/usr/bin/python3
"""Makes a twenty-fourth set of held-out evaluation families: digits and numbers on
surfaces with a strong linear texture (the grain and joints of wooden planks, the
lines of brushed metal, the ribs of corrugated iron and ribbed plastic, the stripes
and twill of fabric), photographed, to measure how the reader keeps the strokes apart
from lines that are not ink, on pictures nobody tuned on. Every texture and every
digit's drawing here is this script's own (fonts under /usr/share/fonts, MNIST test
digits re-drawn with a pen); only the generic photo chain (light, blur and noise), the
pen's strokes, marker and chalk coverage and relief shading are
scripts/lib/heldout_render.py's.

    /usr/bin/python3 scripts/make-heldout-set24.py OUT [--per-family 200] [--seed 241]
        [--mnist DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  wood-door        a house or room number on wooden planks, a door or a fence (growth
                   rings wandering along the planks, pores, knots the grain bends
                   round, plank joints and butt joints, a fence's gaps; the grain
                   along the width, the height or at 10-35 degrees; light pine, oak,
                   grey weathered wood, dark walnut or mahogany, or a painted door the
                   grain shows through; a wall and a door's casing beside it now and
                   then): painted in a font (the grain through the paint, worn),
                   written in marker or paint marker (MNIST strokes or a handwriting
                   font) or screwed-on metal digits (brass, steel, black, bronze:
                   bevel, shadow, screws), dark on light wood or light on dark wood
  brushed-metal    digits on brushed steel or aluminium (fine streaks along the brush,
                   scratches, the long reflections across the brush lines, the lines
                   along the width, the height or slanted; bare, tinted or black
                   anodised): a machine plate with screws on a painted body, a
                   locker's door (its gap, vents) or a bare panel; engraved and
                   filled, laser-etched, printed or stamped (relief and grime)
  corrugated-sign  digits on corrugated iron (sine or box profile) or ribbed plastic,
                   the ribs upright or level, lit from the side (periodic shading
                   stripes, highlights, dark valleys): galvanised, painted, rusty or
                   translucent; a lap joint with a row of screws now and then; digits
                   painted with a brush, sprayed freehand, in chalk (the valleys
                   skipped) or in marker, the paint following the ribs' relief
  striped-fabric   a digit or number on striped cloth (even, pin, broad or many-coloured
                   stripes of varied width and contrast, level, upright or on the bias;
                   twill, plain weave or terry; folds and wrinkles): a shirt, a towel
                   (a woven border) or a bag (a seam); embroidered in satin stitch
                   (threads, relief, an outline now and then), printed (the weave
                   through the ink), iron-on vinyl (a second colour's outline now and
                   then) or written in laundry marker
  marks-texture    non-digits on the same four surfaces in the same styles (label x_):
                   letters that look like no digit (A K M R W X E F H P) and a few
                   words of them, #, %, &, ?, @, *, and a star, a heart and an arrow

About half single digits and half numbers of 2-4 digits (no leading zero) in the digit
families. Printed and cut characters are in DejaVu, Liberation, FreeFont, URW base35 and
Noto faces; handwriting is MNIST *test* digits (only those whose ten nearest training
digits, in the training digits' first 40 principal components, all share their label:
legible ones) re-drawn along their skeleton with a round pen, or Humor Sans, Comic Neue
or DKG's hand (not for a 0 or a symbol), wobbled and thickened to the pen's width.

Sizes: 320x320 up to 1600x1200, a tenth 4000x3000 phone JPEGs (drawn at half size and
enlarged before the camera's blur and noise); the characters 9-43% of the picture's
height as drawn, up to about 50% after the camera's zoom. File names: the label first (a
digit, n<number> for a number, x for a non-digit), then the family (the surface for a
mark). OUT/heldout.txt marks the families held out: no training or tuning script may
read them. One seed makes the same bytes, whichever families are asked for.
"""

import math
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import heldout_render as R  # noqa: E402
from heldout_render import load_script  # noqa: E402

SET21 = load_script("heldout_set21", "make-heldout-set21.py")
SET23 = load_script("heldout_set23", "make-heldout-set23.py")
cv2.setNumThreads(1)
FAMILIES = ("wood-door", "brushed-metal", "corrugated-sign", "striped-fabric", "marks-texture")
FONTS = "/usr/share/fonts"
HOUSE_FONTS = ["truetype/dejavu/DejaVuSans-Bold.ttf", "truetype/dejavu/DejaVuSerif-Bold.ttf",
               "truetype/liberation/LiberationSans-Bold.ttf", "truetype/liberation/LiberationSerif-Bold.ttf",
               "truetype/freefont/FreeSansBold.ttf", "truetype/freefont/FreeSerifBold.ttf",
               "opentype/urw-base35/NimbusSans-Bold.otf", "opentype/urw-base35/NimbusRoman-Bold.otf",
               "opentype/urw-base35/C059-Bold.otf", "opentype/urw-base35/P052-Bold.otf",
               "opentype/urw-base35/URWBookman-Demi.otf", "opentype/urw-base35/URWGothic-Demi.otf",
               "opentype/urw-base35/NimbusSansNarrow-Bold.otf", "truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
               "truetype/liberation/LiberationSansNarrow-Bold.ttf", "truetype/dejavu/DejaVuSerifCondensed-Bold.ttf"]
PLATE_FONTS = ["truetype/dejavu/DejaVuSans.ttf", "truetype/liberation/LiberationSans-Regular.ttf",
               "opentype/urw-base35/NimbusSans-Regular.otf", "truetype/dejavu/DejaVuSansMono.ttf",
               "truetype/noto/NotoMono-Regular.ttf", "truetype/noto/NotoSansMono-Bold.ttf",
               "truetype/liberation/LiberationMono-Regular.ttf", "opentype/urw-base35/NimbusMonoPS-Bold.otf",
               "opentype/urw-base35/URWGothic-Book.otf", "truetype/dejavu/DejaVuSansCondensed.ttf",
               "truetype/dejavu/DejaVuSans-Bold.ttf", "truetype/liberation/LiberationSans-Bold.ttf",
               "opentype/urw-base35/NimbusSansNarrow-Regular.otf", "truetype/freefont/FreeSans.ttf"]
HAND_FONTS = ["truetype/humor-sans/Humor-Sans.ttf", "opentype/comic-neue/ComicNeue-Bold.otf",
              "opentype/comic-neue/ComicNeue-Regular.otf", "opentype/comic-neue/ComicNeue-Italic.otf"]
# DKG's hand: its 0 is a small o and its % a 7 with a dot, so it writes only letters and
# the other digits.
DKG_FONTS = ["truetype/fifthhorseman/dkg.ttf", "truetype/fifthhorseman/dkgBd.ttf"]
LETTERS = list("AKMRWXEFHP")
WORDS = ["MARK", "PARK", "HAWK", "FRAME", "WAX", "FAX", "REF", "KM", "AM", "PM", "HR", "WH"]
SYMBOLS = list("#%&?@*")
SHAPES = ["star", "heart", "arrow"]
MARK_NAMES = {"#": "hash", "%": "pct", "&": "amp", "?": "qm", "@": "at", "*": "asterisk"}
MNIST = {}  # label -> legible MNIST test images of it (the set's own order), filled by main()


def f32(c):
    return np.asarray(c, np.float32)


def lum(c):
    c = np.asarray(c, np.float32)
    return float(0.299 * c[..., 0] + 0.587 * c[..., 1] + 0.114 * c[..., 2])


def pick(rng, items):
    return items[int(rng.integers(len(items)))]


# --- Frames, the photograph and bits of compositing ------------------------------------

def frame(rng):
    """(height, width, phone?): 320x320 to 1600x1200, a tenth 4000x3000 phone photos."""
    if rng.random() < 0.1:
        return (3000, 4000, True) if rng.random() < 0.7 else (4000, 3000, True)
    while True:
        w, h = int(rng.integers(320, 1601)), int(rng.integers(320, 1201))
        if 0.6 <= w / h <= 1.9:
            return h, w, False


def canvas_of(h, w, phone):
    """The size the scene is drawn at: a phone's frame at half size (enlarged by the camera)."""
    return (h // 2, w // 2) if phone else (h, w)


def text_height(rng, h, w, aspect, fill=0.74, lo=0.09, hi=0.43):
    """The characters' height: lo-hi of the frame's (log-uniform), kept so that a row
    `aspect` times as wide as tall fits in `fill` of the width."""
    frac = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    return max(16.0, min(frac * h, fill * w / aspect))


def place(rng, region, bh, bw):
    """Top-left of a bh x bw block inside region (top, left, bottom, right)."""
    t, l, b, r = region
    top = rng.uniform(t, b - bh) if b - t > bh else (t + b - bh) / 2
    left = rng.uniform(l, r - bw) if r - l > bw else (l + r - bw) / 2
    return int(top), int(left)


def inner(h, w, margin=0.12):
    return (margin * h, margin * w, (1 - margin) * h, (1 - margin) * w)


def sub(a, top, left, hh, ww):
    """a[top:top+hh, left:left+ww], the edges repeated where it leaves a."""
    H, W = a.shape[:2]
    t0, l0, t1, l1 = max(0, top), max(0, left), min(H, top + hh), min(W, left + ww)
    out = a[t0:t1, l0:l1]
    pads = ((t0 - top, top + hh - t1), (l0 - left, left + ww - l1)) + ((0, 0),) * (a.ndim - 2)
    if any(p for pp in pads for p in pp):
        return np.pad(out, pads, mode="edge")
    return out.copy()


def put(img, local, top, left):
    """Writes local back into img at (top, left), clipped."""
    R.blend(img, np.ones(local.shape[:2], np.float32), local, top, left)


def shadow(img, cov, top, left, off, soft, strength):
    m = int(3 * soft) + 2
    sh = cv2.GaussianBlur(np.pad(cov, m), (0, 0), max(0.5, soft))
    R.blend(img, sh * strength, (0.0, 0.0, 0.0), top + int(round(off[0])) - m, left + int(round(off[1])) - m)


def oriented(h, w, angle, make):
    """The layers make(H, W) gives (a list of (H, W) arrays whose rows run across the
    texture's lines and columns along them), turned so that the lines run `angle`
    degrees from the width (0 level, 90 upright), on an h x w frame."""
    if angle == 0:
        return make(h, w)
    if angle == 90:
        return [np.ascontiguousarray(a.T) for a in make(w, h)]
    D = int(math.ceil(math.hypot(h, w))) + 4
    M = cv2.getRotationMatrix2D((D / 2, D / 2), angle, 1.0)
    M[0, 2] += w / 2 - D / 2
    M[1, 2] += h / 2 - D / 2
    return [cv2.warpAffine(a, M, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101) for a in make(D, D)]


def grain_angle(rng, level=0.4, upright=0.35):
    r = rng.random()
    if r < level:
        return 0
    if r < level + upright:
        return 90
    a = rng.uniform(10, 35) * (1 if rng.random() < 0.5 else -1)
    return a + (90 if rng.random() < 0.4 else 0)


def photograph(img, rng, phone, keep, out_hw, glare=(0, 2), glare_strength=(0.08, 0.3), blur=(0.4, 1.5)):
    """The scene under uneven light and glare, seen at an angle (turned a little, zoomed
    in enough that the frame sees only the scene, the characters' box `keep` kept inside), a phone's frame enlarged to its size, a
    shake now and then, the camera's blur and noise, a phone's sharpening, JPEG (a
    quarter PNG when small)."""
    img = R.light_up(img, rng, gradient=rng.uniform(0.05, 0.35), vignette=rng.uniform(0.0, 0.3),
                     glare=int(rng.integers(glare[0], glare[1] + 1)), glare_strength=rng.uniform(*glare_strength))
    hh, ww = img.shape[:2]
    src = np.float32([[0, 0], [ww, 0], [ww, hh], [0, hh]])
    c = np.float32([ww / 2, hh / 2])
    M = np.eye(3)
    for _ in range(40):
        t, z, a = rng.uniform(0.01, 0.045), rng.uniform(1.03, 1.15), math.radians(rng.uniform(-2.5, 2.5))
        rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        dst = ((src - c) @ rot.T) * z + c + rng.uniform(-t, t, (4, 2)).astype(np.float32) * np.float32([ww, hh])
        m = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
        # The whole frame sees the scene (nothing from beyond its edge), the characters inside.
        back = cv2.perspectiveTransform(src[None], np.linalg.inv(m))[0]
        if (back >= -0.5).all() and (back[:, 0] <= ww + 0.5).all() and (back[:, 1] <= hh + 0.5).all() and \
                R.inside_after(m, keep, (hh, ww), 0.03):
            M = m
            break
    img = cv2.warpPerspective(img, M, (ww, hh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)
    if phone:
        img = cv2.resize(img, (out_hw[1], out_hw[0]), interpolation=cv2.INTER_CUBIC)
    if rng.random() < 0.15:  # the hand shakes
        k = max(3, int(max(img.shape[:2]) * rng.uniform(0.002, 0.007)) | 1)
        kernel = np.zeros((k, k), np.float32)
        a, c0 = rng.uniform(0, math.pi), k // 2
        cv2.line(kernel, (int(c0 - c0 * math.cos(a)), int(c0 - c0 * math.sin(a))),
                 (int(c0 + c0 * math.cos(a)), int(c0 + c0 * math.sin(a))), 1.0, 1)
        img = cv2.filter2D(img, -1, kernel / kernel.sum())
    img8 = R.camera(np.ascontiguousarray(img, np.float32), rng, blur=blur if not phone else (0.3, 1.0),
                    noise=(0.005, 0.03) if not phone else (0.004, 0.015))
    if rng.random() < 0.4:  # the phone's sharpening
        k = rng.uniform(0.3, 1.0)
        soft = cv2.GaussianBlur(img8, (0, 0), 1.0 if not phone else 2.0)
        img8 = cv2.addWeighted(img8, 1 + k, soft, -k, 0)
    if phone:
        return SET21.encode(img8, "JPEG", rng.integers(78, 95)), "jpg"
    if rng.random() < 0.25:
        return SET21.encode(img8, "PNG"), "png"
    return SET21.encode(img8, "JPEG", rng.integers(55, 93)), "jpg"


# --- The characters -------------------------------------------------------------------
# A spec holds every choice of a drawing, so that it can be drawn at a trial height (to
# learn its width) and again at the height it is laid at, the same.

_FONTS = {}


def font_of(rel, size):
    key = (rel, size)
    if key not in _FONTS:
        _FONTS[key] = ImageFont.truetype(os.path.join(FONTS, rel), size)
    return _FONTS[key]


def font_size_for(rel, px):
    """The font size whose digits' ink is about px tall."""
    l, t, r, b = font_of(rel, 100).getbbox("8")
    return max(8, int(round(px * 100 / max(1, b - t))))


def char_strip(c, rel, size):
    """One character's ink as a column strip of the font's full line height (so that
    characters side by side keep their baseline), cropped left and right."""
    font = font_of(rel, size)
    asc, desc = font.getmetrics()
    l, t, r, b = font.getbbox(c)
    m = max(2, size // 10)
    H = max(b, asc + desc) + 2 * m
    im = Image.new("L", (r - l + 2 * m, H), 0)
    ImageDraw.Draw(im).text((m - l, m), c, font=font, fill=255)
    a = np.asarray(im, np.float32) / 255
    xs = np.nonzero(a.max(0) > 0.05)[0]
    if len(xs) == 0:
        return np.zeros((H, 1), np.float32)
    return a[:, xs.min():xs.max() + 1]


def crop_ink(cov, level=0.05):
    ys, xs = np.nonzero(cov > level)
    if len(ys) == 0:
        return cov
    return cov[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def row_of(parts, gap, offsets=None):
    """Strips side by side `gap` apart, each lowered by its offset, cropped to the ink."""
    offsets = offsets or [0] * len(parts)
    lo = min(offsets)
    hi = max(o + p.shape[0] for o, p in zip(offsets, parts))
    cols = []
    for k, (p, o) in enumerate(zip(parts, offsets)):
        if k:
            cols.append(np.zeros((hi - lo, max(1, int(gap))), np.float32))
        col = np.zeros((hi - lo, p.shape[1]), np.float32)
        col[o - lo:o - lo + p.shape[0]] = p
        cols.append(col)
    return crop_ink(np.concatenate(cols, 1))


def shape_cov(name, px, r, outline=False):
    """A star, a heart or an arrow, filled (or drawn as an outline), px tall."""
    s = float(max(24, px))
    if name == "star":
        k = int(r.choice([5, 5, 5, 6]))
        inner_r = r.uniform(0.38, 0.5)
        a0 = -math.pi / 2 + r.uniform(-0.15, 0.15)
        pts = [((1 if j % 2 == 0 else inner_r) * math.cos(a0 + j * math.pi / k),
                (1 if j % 2 == 0 else inner_r) * math.sin(a0 + j * math.pi / k)) for j in range(2 * k)]
        pts = np.array(pts)
    elif name == "heart":
        t = np.linspace(0, 2 * math.pi, 120)
        pts = np.stack([16 * np.sin(t) ** 3, -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))], 1)
    else:
        hw, sw, hl = r.uniform(0.35, 0.5), r.uniform(0.12, 0.2), r.uniform(0.35, 0.55)
        pts = np.array([[-1, -sw], [1 - hl, -sw], [1 - hl, -hw], [1, 0], [1 - hl, hw], [1 - hl, sw], [-1, sw]])
        a = math.radians(float(r.choice([0, 90, 180, 270, 45, 135, -45, -135])) + r.uniform(-5, 5))
        pts = pts @ np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
    pts = pts - pts.min(0)
    pts = pts / pts[:, 1].max() * s * 0.9 + s * 0.15
    W = int(pts[:, 0].max() + s * 0.2)
    canvas = np.zeros((int(s * 1.25), max(8, W)), np.uint8)
    poly = [np.int32(np.round(pts * 16))]
    if outline:
        cv2.polylines(canvas, poly, True, 255, max(2, int(s * r.uniform(0.07, 0.11))), cv2.LINE_AA, shift=4)
    else:
        cv2.fillPoly(canvas, poly, 255, cv2.LINE_AA, shift=4)
    return crop_ink(canvas.astype(np.float32) / 255)


def make_spec(text, rng, faces, hand=False, jitter=0.0, gap=(0.12, 0.32)):
    """The choices of a drawing of text: a shape, MNIST digits re-drawn with a pen, a
    handwriting font, or one of `faces`."""
    spec = {"text": text, "seed": int(rng.integers(1 << 31)), "jitter": jitter, "gap": rng.uniform(*gap)}
    if text in SHAPES:
        spec["mode"] = "shape"
        spec["outline"] = hand and rng.random() < 0.6
    elif hand and text.isdigit() and rng.random() < 0.6:
        spec["mode"] = "mnist"
        spec["images"] = [int(rng.integers(len(MNIST[int(d)]))) for d in text]
        spec["pen"] = rng.uniform(0.09, 0.15)
    elif hand:
        spec["mode"] = "handfont"
        ok_dkg = all(c.isalpha() or c in "123456789" for c in text)
        spec["font"] = pick(rng, HAND_FONTS + (DKG_FONTS if ok_dkg else []))
        spec["pen"] = rng.uniform(0.08, 0.13)
    else:
        spec["mode"] = "font"
        spec["font"] = pick(rng, faces)
    return spec


def render(spec, px):
    """The spec's characters as a coverage map about px tall, cropped to the ink."""
    r = np.random.default_rng(spec["seed"])
    px = int(max(12, px))
    text = spec["text"]
    if spec["mode"] == "shape":
        cov = shape_cov(text, px, r, spec["outline"])
        if spec["outline"]:
            cov = R.hand_warp(cov, r, 0.6)
    elif spec["mode"] == "mnist":
        parts, offs = [], []
        for d, j in zip(text, spec["images"]):
            s = r.uniform(0.9, 1.08)
            parts.append(R.skeleton_strokes(MNIST[int(d)][j], max(12, int(px * s)), max(3, int(px * spec["pen"])), r))
            offs.append(int(px * (1 - s)) + int(r.uniform(-0.06, 0.06) * px))
        cov = row_of(parts, spec["gap"] * 0.7 * px, offs)
    else:
        size = font_size_for(spec["font"], px)
        parts = [char_strip(c, spec["font"], size) for c in text]
        offs = [0] * len(parts)
        if spec["mode"] == "handfont":
            parts = [R.hand_warp(np.pad(p, 4), r, 0.7) for p in parts]
            offs = [int(r.uniform(-0.07, 0.07) * px) for _ in parts]
        elif spec["jitter"]:
            out = []
            for p in parts:
                p = np.pad(p, ((0, 0), (p.shape[0] // 8, p.shape[0] // 8)))
                M = cv2.getRotationMatrix2D((p.shape[1] / 2, p.shape[0] / 2), r.uniform(-1, 1) * spec["jitter"], 1.0)
                out.append(cv2.warpAffine(p, M, (p.shape[1], p.shape[0])))
                xs = np.nonzero(out[-1].max(0) > 0.05)[0]
                out[-1] = out[-1][:, xs.min():xs.max() + 1]
            parts = out
            offs = [int(r.uniform(-0.5, 0.5) * spec["jitter"] * 0.012 * px) for _ in parts]
        cov = row_of(parts, spec["gap"] * px, offs)
    cov = crop_ink(cov)
    scale = px / cov.shape[0]
    W = max(2, int(round(cov.shape[1] * scale)))
    cov = np.clip(cv2.resize(cov, (W, px), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC), 0, 1)
    if spec["mode"] == "handfont":  # a marker's or chalk's width, whatever the font's
        grow = int(round((spec["pen"] * px - stroke_of(cov)) / 2))
        if grow >= 1:
            cov = np.pad(cov, grow)
            cov = cv2.dilate(cov, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1)))
    return cov


def laid(spec, rng, h, w, fill=0.74):
    """The spec drawn at a height fitting an h x w frame: (coverage, height)."""
    trial = render(spec, 120)
    ch = text_height(rng, h, w, trial.shape[1] / trial.shape[0], fill)
    return render(spec, ch), ch


def stroke_of(cov):
    """The strokes' width: twice the median distance to the paper along their middles."""
    m = (cov > 0.5).astype(np.uint8)
    if m.sum() < 10:
        return 2.0
    dt = cv2.distanceTransform(m, cv2.DIST_L2, 3)
    ridge = (dt >= cv2.dilate(dt, np.ones((3, 3), np.uint8))) & (dt > 0.5)
    return max(2.0, 2 * float(np.median(dt[ridge]))) if ridge.any() else 2.0


def light_dir(rng):
    a = rng.uniform(0, 2 * math.pi)
    return (math.cos(a), math.sin(a))


def metal_letters(img, cov, top, left, colour, rng, brushed=True):
    """Cut metal characters screwed to a surface: a soft shadow, the face shaded along
    its brushing with a bevelled edge lit from one side, two screws in each piece."""
    hh, ww = cov.shape
    ch = hh
    lx, ly = light_dir(rng)
    off = ch * rng.uniform(0.02, 0.06)
    shadow(img, cov, top, left, (-ly * off + off * 0.5, -lx * off + off * 0.3), ch * rng.uniform(0.015, 0.05),
           rng.uniform(0.35, 0.6))
    stroke = stroke_of(cov)
    col = f32(colour)
    g = np.linspace(-1, 1, hh, dtype=np.float32)[:, None]
    face = 0.92 + rng.uniform(0.05, 0.2) * g * rng.choice([-1, 1])
    if brushed:
        face = face + 0.08 * (R.smooth_noise((hh, ww), max(1.0, hh / 150), rng, cell_x=max(4.0, ww / 3)) - 0.5)
    fill = col * np.broadcast_to(face, (hh, ww))[..., None]
    slope = R.relief(cov, 1.0, (lx, ly), stroke)
    R.lit(fill, slope, rng.uniform(0.35, 0.6), rng.uniform(0.1, 0.3) if lum(col) > 0.3 else 0.08)
    # Screws: the widest points of each piece's top and bottom third.
    m = (cov > 0.5).astype(np.uint8)
    n, lab, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    dt = cv2.distanceTransform(m, cv2.DIST_L2, 3)
    for k in range(1, n):
        x, y, bw, bh, area = stats[k]
        if area < 0.02 * hh * hh or rng.random() < 0.1:
            continue
        for y0, y1 in ((y, y + bh * 0.4), (y + bh * 0.6, y + bh)):
            band = (lab[int(y0):int(y1)] == k) * dt[int(y0):int(y1)]
            if band.max() < 1.5:
                continue
            yy, xx = np.unravel_index(int(np.argmax(band)), band.shape)
            rad = max(1.0, min(band.max() * 0.55, ch * 0.035))
            cy, cx = int(y0) + yy, xx
            screw = tuple(float(v) for v in np.clip(col * rng.uniform(0.7, 1.2) + 0.05, 0, 1))
            cv2.circle(fill, (int(cx * 16), int(cy * 16)), int(rad * 16), screw, -1, cv2.LINE_AA, shift=4)
            a = rng.uniform(0, math.pi)
            dx, dy = rad * 0.8 * math.cos(a), rad * 0.8 * math.sin(a)
            cv2.line(fill, (int((cx - dx) * 16), int((cy - dy) * 16)), (int((cx + dx) * 16), int((cy + dy) * 16)),
                     (0.08, 0.08, 0.08), max(1, int(rad * 0.3)), cv2.LINE_AA, shift=4)
    R.blend(img, cov, np.clip(fill, 0, 1.2), top, left)


# --- Wood -----------------------------------------------------------------------------

WOOD_LIGHT = [[0.86, 0.70, 0.48], [0.78, 0.60, 0.40], [0.90, 0.79, 0.62], [0.72, 0.54, 0.35], [0.64, 0.62, 0.58],
              [0.82, 0.66, 0.50]]
WOOD_DARK = [[0.42, 0.26, 0.15], [0.48, 0.24, 0.14], [0.32, 0.2, 0.12], [0.38, 0.3, 0.22], [0.3, 0.19, 0.13]]
DOOR_PAINT = [[0.92, 0.91, 0.87], [0.80, 0.86, 0.88], [0.88, 0.84, 0.70], [0.20, 0.32, 0.25], [0.15, 0.20, 0.35],
              [0.50, 0.12, 0.10], [0.30, 0.30, 0.32]]


def wood_layers(rng, plank, ring, fence):
    """make(H, W) for oriented: the wood's shading (rings, pores, knots, planks' tones),
    its joints (1 in a gap) and its knots' cores."""
    def make(H, W):
        v = np.arange(H, dtype=np.float32)[:, None]
        u = np.arange(W, dtype=np.float32)[None, :]
        off = rng.uniform(0, plank)
        idx = np.floor((v + off) / plank).astype(np.int64)
        pos = (v + off) - idx * plank
        n = int(idx.max()) + 1
        tone = rng.uniform(0.86, 1.12, n).astype(np.float32)[idx]
        phase = rng.uniform(0, 40, n).astype(np.float32)[idx]
        amp = (rng.uniform(0.1, 1.0, n) * ring).astype(np.float32)[idx]
        wl = (W * rng.uniform(0.5, 2.0, n)).astype(np.float32)[idx]
        wph = rng.uniform(0, 2 * math.pi, n).astype(np.float32)[idx]
        warp = (R.smooth_noise((H, W), max(2.0, plank * rng.uniform(1, 3)), rng, cell_x=W / rng.uniform(1.5, 4)) - 0.5) * (
            ring * rng.uniform(0.5, 2.5))
        warp += amp * np.sin(2 * np.float32(math.pi) * u / wl + wph)
        # Cathedral figure on some planks: the rings cut at a shallow angle, long arches.
        cath = (rng.random(n) < 0.5)[idx]
        pith = (rng.uniform(0.15, 0.85, n) * plank).astype(np.float32)[idx]
        tilt = (ring * rng.uniform(1, 4, n) / W * rng.choice([-1, 1], n)).astype(np.float32)[idx]
        u0 = (rng.uniform(-0.3, 1.3, n) * W).astype(np.float32)[idx]
        knot = np.zeros((H, W), np.float32)
        for _ in range(int(rng.choice([0, 0, 1, 1, 2, 3]))):
            kv, ku = rng.uniform(0, H), rng.uniform(0, W)
            b = plank * rng.uniform(0.08, 0.25)
            a = b * rng.uniform(1.2, 2.5)
            y0, y1, x0, x1 = int(max(0, kv - 4 * b)), int(min(H, kv + 4 * b)), int(max(0, ku - 4 * a)), int(min(W, ku + 4 * a))
            if y1 <= y0 or x1 <= x0:
                continue
            dv, du = v[y0:y1] - kv, u[:, x0:x1] - ku
            d2 = (du / a) ** 2 + (dv / b) ** 2
            warp[y0:y1, x0:x1] += np.sign(dv + 1e-3) * b * 1.3 * np.exp(-d2)
            core = np.clip(1.6 - np.sqrt((du / (0.45 * a)) ** 2 + (dv / (0.5 * b)) ** 2), 0, 1)
            core *= 0.75 + 0.25 * np.cos(np.sqrt(du ** 2 + dv ** 2) / max(1.0, b * 0.12))
            knot[y0:y1, x0:x1] = np.maximum(knot[y0:y1, x0:x1], core)
        straight = (pos + warp) / ring
        arches = np.sqrt((pos - pith + warp) ** 2 + (tilt * (u - u0)) ** 2) / ring
        phi = np.where(cath, arches, straight) + phase
        phi += rng.uniform(0.5, 2.0) * R.smooth_noise((H, 1), max(2.0, ring * rng.uniform(1.5, 4)), rng)  # uneven rings
        f = phi - np.floor(phi)
        lw = rng.uniform(0.12, 0.3)
        late = np.clip(1 - f / lw, 0, 1) ** 1.5
        shade = 1 - rng.uniform(0.18, 0.38) * late - rng.uniform(0.03, 0.1) * f
        pores = R.smooth_noise((H, W), max(1.0, ring * 0.12), rng, cell_x=max(8.0, W / 12))
        shade *= 0.9 + 0.18 * pores
        shade *= tone
        g = max(1.5, plank * (rng.uniform(0.05, 0.12) if fence else rng.uniform(0.008, 0.025)))
        dist = np.minimum(pos, plank - pos)
        gap = np.clip(1 - (dist - g * 0.5) / max(1.0, g * 0.5), 0, 1) * np.ones((1, W), np.float32)
        if not fence and rng.random() < 0.5:  # butt joints: a plank's end against the next
            for k in range(n):
                if rng.random() < 0.35:
                    uj = rng.uniform(0.1, 0.9) * W
                    rows = (idx[:, 0] == k)
                    x0, x1 = int(max(0, uj - 2 * g)), int(min(W, uj + 2 * g))
                    gap[rows, x0:x1] = np.maximum(gap[rows, x0:x1], np.clip(1 - np.abs(u[:, x0:x1] - uj) / g, 0, 1))
        # A bevel: one side of each joint catches the light.
        shade *= 1 + 0.08 * np.exp(-np.maximum(0, pos - g) / (2 * g)) - 0.08 * np.exp(-np.maximum(0, plank - pos - g) / (2 * g))
        return [shade.astype(np.float32), gap.astype(np.float32), knot]
    return make


def wood_scene(text, rng):
    """A number on wooden planks, a door or a fence, photographed."""
    h, w, phone = frame(rng)
    H, W = canvas_of(h, w, phone)
    kind = str(rng.choice(["light", "light", "dark", "dark", "painted"], p=[0.3, 0.15, 0.2, 0.15, 0.2]))
    fence = rng.random() < 0.25
    angle = grain_angle(rng)
    plank = min(H, W) * (rng.uniform(0.1, 0.25) if fence else rng.uniform(0.14, 0.55))
    ring = plank * rng.uniform(0.04, 0.14)
    shade, gap, knot = oriented(H, W, angle, wood_layers(rng, plank, ring, fence))
    if kind == "light":
        base = f32(pick(rng, WOOD_LIGHT)) * rng.uniform(0.9, 1.08)
    elif kind == "dark":
        base = f32(pick(rng, WOOD_DARK)) * rng.uniform(0.85, 1.1)
        shade = 1 + (shade - 1) * rng.uniform(1.2, 1.7)  # the grain stands out on dark wood
    else:
        base = f32(pick(rng, DOOR_PAINT)) * rng.uniform(0.92, 1.05)
        shade = 1 + (shade - 1) * rng.uniform(0.25, 0.45)  # the grain's relief through the paint
        knot *= 0.2
    gamma = f32([1.0, 1.15, 1.4]) if kind != "painted" else f32([1, 1, 1])
    img = base * np.power(np.clip(shade, 0.05, 2)[..., None], gamma)
    img *= (1 - 0.45 * knot)[..., None]
    gap_col = f32([0.05, 0.05, 0.05]) if fence else base * 0.3
    R.blend(img, gap * (0.9 if fence else 0.75), gap_col, 0, 0)
    dark_wood = lum(base) < 0.4
    region = inner(H, W)
    if rng.random() < 0.3:  # a wall and the door's casing beside the planks
        side = str(rng.choice(["left", "right", "top"]))
        frac = rng.uniform(0.08, 0.22)
        wall = f32(pick(rng, [[0.9, 0.89, 0.85], [0.8, 0.78, 0.72], [0.7, 0.72, 0.75], [0.85, 0.8, 0.7]]))
        cas = f32(pick(rng, [[0.95, 0.95, 0.93], [0.5, 0.35, 0.22], [0.3, 0.3, 0.32]]))
        mask, casing = np.zeros((H, W), np.float32), np.zeros((H, W), np.float32)
        n = int(frac * (W if side != "top" else H))
        cw = max(3, int(n * rng.uniform(0.25, 0.5)))
        if side == "left":
            mask[:, :n], casing[:, n - cw:n] = 1, 1
            region = (region[0], max(region[1], n + 0.04 * W), region[2], region[3])
        elif side == "right":
            mask[:, W - n:], casing[:, W - n:W - n + cw] = 1, 1
            region = (region[0], region[1], region[2], min(region[3], W - n - 0.04 * W))
        else:
            mask[:n], casing[n - cw:n] = 1, 1
            region = (max(region[0], n + 0.04 * H), region[1], region[2], region[3])
        wall_img = wall * (0.95 + 0.1 * R.fbm((H, W), H / 4, rng))[..., None]
        R.blend(img, mask, wall_img, 0, 0)
        R.blend(img, casing, cas * (0.95 + 0.05 * R.smooth_noise((H, W), H / 3, rng))[..., None], 0, 0)
        edge = cv2.GaussianBlur(casing, (0, 0), max(1.0, cw * 0.15)) - casing
        img *= (1 - 0.5 * np.clip(edge, 0, 1))[..., None]
    style = str(rng.choice(["paint", "marker", "metal"], p=[0.4, 0.3, 0.3]))
    if style == "paint":
        spec = make_spec(text, rng, HOUSE_FONTS)
    elif style == "marker":
        spec = make_spec(text, rng, HOUSE_FONTS, hand=True, gap=(0.1, 0.3))
    else:
        spec = make_spec(text, rng, HOUSE_FONTS, jitter=rng.uniform(0, 4), gap=(0.15, 0.4))
    rt, rl, rb, rr = region
    cov, ch = laid(spec, rng, rb - rt + 0.24 * H, rr - rl + 0.24 * W, fill=0.72)
    top, left = place(rng, region, *cov.shape)
    hh, ww = cov.shape
    local_shade = sub(shade, top, left, hh, ww)
    if style == "metal":
        colour = pick(rng, [[0.8, 0.65, 0.32], [0.78, 0.79, 0.8], [0.62, 0.63, 0.65], [0.85, 0.75, 0.45]]) if (
            dark_wood) else pick(rng, [[0.1, 0.1, 0.1], [0.16, 0.15, 0.14], [0.35, 0.24, 0.15], [0.22, 0.23, 0.25]])
        metal_letters(img, cov, top, left, colour, rng)
    elif style == "paint":
        colour = f32(pick(rng, [[0.95, 0.94, 0.9], [0.93, 0.88, 0.7], [0.95, 0.8, 0.2], [0.9, 0.9, 0.92]]) if dark_wood
                     else pick(rng, [[0.06, 0.06, 0.06], [0.2, 0.12, 0.08], [0.08, 0.15, 0.1], [0.08, 0.1, 0.25],
                                     [0.5, 0.08, 0.06]]))
        alpha = np.clip(cv2.GaussianBlur(cov, (0, 0), max(0.5, ch * 0.004)), 0, 1)
        streak = R.smooth_noise((hh, ww), max(2.0, ch / 30), rng, cell_x=max(4.0, ch / 4))
        alpha *= rng.uniform(0.85, 0.98) * (0.88 + 0.12 * streak)
        late = np.clip(1 - local_shade, 0, 1)  # the paint thinner on the grain's dark lines
        alpha *= 1 - rng.uniform(0.0, 0.4) * np.clip(late * 3 - 0.3, 0, 1)
        if rng.random() < 0.3:  # worn in patches: flakes gone along the grain's lines
            patch = np.clip((R.smooth_noise((hh, ww), max(3.0, ch / 3), rng) - 0.5) * 4, 0, 1)
            alpha *= 1 - 0.85 * patch * np.clip(late * 5 - 0.3, 0, 1)
        paint = colour * (0.85 + 0.15 * local_shade)[..., None]
        R.blend(img, np.clip(alpha, 0, 1), paint, top, left)
    else:
        if dark_wood:  # a paint marker
            colour = f32(pick(rng, [[0.95, 0.95, 0.93], [0.85, 0.85, 0.88], [0.9, 0.78, 0.35]]))
            alpha = R.marker_alpha(cov, rng) * rng.uniform(0.85, 1.0)
            R.blend(img, np.clip(alpha, 0, 1), colour, top, left)
        else:  # a felt marker: ink soaking into the wood, darker on its dark lines
            ink = f32(pick(rng, [[0.06, 0.06, 0.08], [0.08, 0.1, 0.35], [0.45, 0.06, 0.06], [0.1, 0.1, 0.1]]))
            alpha = R.marker_alpha(cov, rng)
            alpha = np.clip(cv2.GaussianBlur(alpha, (0, 0), max(0.5, ch * 0.004)), 0, 1)
            local = sub(img, top, left, hh, ww)
            local *= (1 - alpha[..., None] * (1 - ink))
            put(img, local, top, left)
    keep = (top, left, top + hh, left + ww)
    return photograph(np.clip(img, 0, 1), rng, phone, keep, (h, w), glare=(0, 1), glare_strength=(0.05, 0.2))


# --- Brushed metal --------------------------------------------------------------------

def brushed_layers(rng):
    """make(H, W): brushed metal's shading (streaks along the brush, scratches, the long
    reflections across it)."""
    def make(H, W):
        c = max(1.0, min(H, W) / rng.uniform(250, 700))  # a brush line's width
        rows = max(2, int(H / c))
        noise = rng.standard_normal((rows, W)).astype(np.float32)
        L = max(3, int(W * rng.uniform(0.03, 0.2)))
        fine = cv2.blur(noise, (L, 1)) * math.sqrt(L)
        fine = cv2.resize(fine, (W, H), interpolation=cv2.INTER_LINEAR)
        medium = R.smooth_noise((H, W), max(2.0, H / rng.uniform(40, 150)), rng, cell_x=W / rng.uniform(0.7, 2.5)) - 0.5
        shade = 1 + rng.uniform(0.025, 0.07) * fine + rng.uniform(0.08, 0.22) * medium
        scratch = np.zeros((H, W), np.float32)
        for _ in range(int(rng.integers(0, 14))):
            y, x = rng.uniform(0, H), rng.uniform(0, W)
            length, a = W * rng.uniform(0.05, 0.5), math.radians(rng.uniform(-2, 2) if rng.random() < 0.8 else rng.uniform(-90, 90))
            cv2.line(scratch, (int(x), int(y)), (int(x + length * math.cos(a)), int(y + length * math.sin(a))),
                     float(rng.uniform(-0.15, 0.2)), 1, cv2.LINE_AA)
        shade += scratch
        u = np.arange(W, dtype=np.float32)[None, :]
        for k in range(int(rng.integers(1, 4))):  # reflections stretched across the brush lines
            u0, s = rng.uniform(0, W), W * rng.uniform(0.02, 0.15)
            shade = shade + (rng.uniform(0.12, 0.45) if k < 2 else -rng.uniform(0.1, 0.3)) * np.exp(-((u - u0) / s) ** 2)
        shade = shade + rng.uniform(-0.15, 0.15) * (u / W - 0.5)
        return [shade.astype(np.float32)]
    return make


METALS = [[0.62, 0.63, 0.65], [0.74, 0.75, 0.77], [0.55, 0.56, 0.58], [0.68, 0.66, 0.62], [0.72, 0.62, 0.42],
          [0.45, 0.55, 0.68]]


def metal_scene(text, rng):
    """Digits on brushed metal: a machine plate, a locker's door or a panel, photographed."""
    h, w, phone = frame(rng)
    H, W = canvas_of(h, w, phone)
    anodised = rng.random() < 0.2
    base = f32([0.13, 0.13, 0.15]) * rng.uniform(0.8, 1.4) if anodised else f32(pick(rng, METALS)) * rng.uniform(0.9, 1.08)
    angle = grain_angle(rng, 0.45, 0.35)
    (shade,) = oriented(H, W, angle, brushed_layers(rng))
    if anodised:
        shade = 1 + (shade - 1) * 1.6
    tex = base * shade[..., None]
    kind = str(rng.choice(["plate", "locker", "panel"], p=[0.45, 0.3, 0.25]))
    style = str(rng.choice(["engraved", "etched", "printed", "stamped"], p=[0.35, 0.2, 0.3, 0.15]))
    if anodised:
        style = "engraved"
    spec = make_spec(text, rng, PLATE_FONTS if rng.random() < 0.7 else HOUSE_FONTS, gap=(0.08, 0.3))
    region = inner(H, W)
    if kind == "plate":
        # Digits first, the plate round them.
        cov, ch = laid(spec, rng, H, W * 0.85, fill=0.8)
        hh, ww = cov.shape
        mx, my = ch * rng.uniform(0.3, 1.2), ch * rng.uniform(0.3, 0.9)
        extra = ch * rng.uniform(0.3, 0.6) if rng.random() < 0.4 else 0.0  # room for a word
        pw, ph = ww + 2 * mx, hh + 2 * my + extra
        if pw > 0.95 * W or ph > 0.95 * H:
            mx, my, extra = ch * 0.25, ch * 0.2, 0.0
            pw, ph = ww + 2 * mx, hh + 2 * my
        pt, pl = place(rng, (0.03 * H, 0.03 * W, 0.97 * H, 0.97 * W), ph, pw)
        top, left = int(pt + my + (extra if rng.random() < 0.5 else 0)), int(pl + mx)
        word_top = pt + my * 0.6 if top > pt + my + 1 else top + hh + my * 0.4
        body = f32(pick(rng, [[0.2, 0.35, 0.25], [0.35, 0.36, 0.38], [0.2, 0.3, 0.45], [0.85, 0.83, 0.75],
                               [0.6, 0.6, 0.58], [0.12, 0.12, 0.13]]))
        img = body * (0.95 + 0.1 * R.fbm((H, W), H / 4, rng))[..., None]
        speckle = cv2.GaussianBlur(rng.random((H, W)).astype(np.float32), (0, 0), max(1.0, H / 250))  # hammer paint
        img *= (1 + 0.25 * (speckle - speckle.mean()) / (speckle.std() + 1e-6) * 0.12)[..., None]
        radius = min(pw, ph) * rng.uniform(0.02, 0.12)
        pm = rounded_rect(H, W, (pt, pl, pt + ph, pl + pw), radius)
        shadow(img, pm, 0, 0, (ch * 0.04, ch * 0.03), ch * 0.05, 0.5)
        R.blend(img, pm, tex, 0, 0)
        rim = np.clip(pm - cv2.erode(pm, np.ones((3, 3), np.uint8), iterations=max(1, int(ch * 0.02))), 0, 1)
        R.blend(img, rim * 0.5, base * 1.3 + 0.1, 0, 0)
        sr = max(2, int(min(pw, ph) * rng.uniform(0.025, 0.045)))
        for cy, cx in ((pt + sr * 2.2, pl + sr * 2.2), (pt + sr * 2.2, pl + pw - sr * 2.2),
                       (pt + ph - sr * 2.2, pl + sr * 2.2), (pt + ph - sr * 2.2, pl + pw - sr * 2.2)):
            if rng.random() < 0.85:
                cv2.circle(img, (int(cx), int(cy)), sr, tuple(float(v) for v in base * 0.8), -1, cv2.LINE_AA)
                cv2.circle(img, (int(cx - sr * 0.25), int(cy - sr * 0.25)), max(1, sr // 3),
                           tuple(float(v) for v in np.clip(base * 1.3 + 0.15, 0, 1)), -1, cv2.LINE_AA)
                a = rng.uniform(0, math.pi)
                cv2.line(img, (int(cx - sr * math.cos(a)), int(cy - sr * math.sin(a))),
                         (int(cx + sr * math.cos(a)), int(cy + sr * math.sin(a))), (0.1, 0.1, 0.1), max(1, sr // 4), cv2.LINE_AA)
        if extra and rng.random() < 0.8:
            word = str(rng.choice(["TYPE", "MODEL", "SERIAL", "UNIT", "MOTOR", "PUMP", "BAY", "ROOM"]))
            lab = render({"text": word, "seed": 1, "jitter": 0, "gap": 0.08, "mode": "font", "font": pick(rng, PLATE_FONTS)},
                         ch * rng.uniform(0.15, 0.24))
            if lab.shape[1] < pw * 0.8:
                R.blend(img, lab * 0.9, (0.08, 0.08, 0.08) if not anodised else (0.8, 0.8, 0.8), int(word_top),
                        int(pl + (pw - lab.shape[1]) * rng.uniform(0.1, 0.9)))
    else:
        img = tex.copy()
        cov, ch = laid(spec, rng, H, W, fill=0.68)
        hh, ww = cov.shape
        if kind == "locker":
            # The door's gap beside it, vents well above or below the digits.
            top, left = place(rng, (0.2 * H, 0.16 * W, 0.8 * H, 0.84 * W), hh, ww)
            gx = int(rng.uniform(0.02, 0.08) * W) if rng.random() < 0.5 else int(rng.uniform(0.92, 0.98) * W)
            cv2.line(img, (gx, 0), (gx, H), (0.05, 0.05, 0.05), max(2, int(W * 0.006)), cv2.LINE_AA)
            above = top > H - (top + hh)
            vh = max(2, int(min(H, W) * rng.uniform(0.01, 0.02)))
            n_v = int(rng.integers(3, 7))
            block = n_v * vh * 2.6
            gap = max(ch * 0.9, H * 0.08)
            y0 = int(top - gap - block) if above else int(top + hh + gap)
            vw = W * rng.uniform(0.3, 0.55)
            xl = int(W * rng.uniform(0.45, 0.55) - vw / 2)
            for j in range(n_v if (y0 > 0 and y0 + block < H) else 0):
                y = y0 + j * vh * 2.6
                if 0 < y < H:
                    cv2.rectangle(img, (xl, int(y)), (int(xl + vw), int(y + vh)), (0.06, 0.06, 0.07), -1, cv2.LINE_AA)
                    cv2.line(img, (xl, int(y + vh + 1)), (int(xl + vw), int(y + vh + 1)),
                             tuple(float(v) for v in np.clip(base * 1.4, 0, 1)), 1, cv2.LINE_AA)
        else:
            top, left = place(rng, region, hh, ww)
    local = sub(img, top, left, hh, ww)
    stroke = stroke_of(cov)
    lxy = light_dir(rng)
    if style == "engraved":
        fillc = f32(pick(rng, [[0.05, 0.05, 0.06], [0.05, 0.05, 0.06], [0.55, 0.08, 0.06], [0.08, 0.12, 0.35]]))
        if anodised:
            fillc = f32([0.82, 0.83, 0.85]) * rng.uniform(0.85, 1.05)
            fillc = fillc * (0.92 + 0.08 * R.smooth_noise((hh, ww), 3, rng))[..., None]
        R.lit(local, R.relief(cov, -1.0, lxy, stroke * 0.6), rng.uniform(0.3, 0.5), 0.15)
        over_l(local, np.clip(cov * 1.15 - 0.1, 0, 1) * rng.uniform(0.85, 0.97), fillc)
    elif style == "etched":
        tone = f32([0.16, 0.15, 0.14]) * rng.uniform(0.7, 1.5)
        a = cov * rng.uniform(0.75, 0.92) * (0.9 + 0.1 * R.smooth_noise((hh, ww), max(2.0, ch / 40), rng))
        over_l(local, a, tone)
    elif style == "printed":
        ink = f32(pick(rng, [[0.04, 0.04, 0.05], [0.06, 0.1, 0.35], [0.6, 0.06, 0.05], [0.05, 0.25, 0.1]]))
        a = np.clip(cov * 1.1 - 0.05, 0, 1) * rng.uniform(0.88, 0.98)
        if rng.random() < 0.3:  # rubbed thin
            a *= np.clip(R.smooth_noise((hh, ww), max(2.0, ch / 12), rng) * 2.5, 0.35, 1)
        over_l(local, a, ink)
    else:  # stamped into the metal, grime in the marks
        R.lit(local, R.relief(cov, -1.0, lxy, stroke * 0.4), rng.uniform(0.5, 0.75), 0.2)
        grime = np.clip(cv2.GaussianBlur(cov, (0, 0), max(0.6, stroke * 0.08)), 0, 1)
        local *= (1 - rng.uniform(0.5, 0.7) * grime)[..., None]
    put(img, local, top, left)
    keep = (top, left, top + hh, left + ww)
    if kind == "plate":  # the whole plate in the picture
        keep = (min(top, pt), min(left, pl), max(top + hh, pt + ph), max(left + ww, pl + pw))
    return photograph(np.clip(img, 0, 1.3), rng, phone, keep, (h, w), glare=(1, 2), glare_strength=(0.1, 0.3))


# A rounded rectangle's coverage, and colour laid over a frame: set 23's.
rounded_rect = SET23.rounded_rect
over_l = SET23.over


# --- Corrugated iron and ribbed plastic -----------------------------------------------

def profile(n, rng, kind):
    """The ribs across n pixels: (height in [0, 1], slope in [-1, 1]) per pixel, and the period."""
    if kind == "rib":
        T = n * rng.uniform(0.018, 0.05)
    elif kind == "box":
        T = n * rng.uniform(0.07, 0.16)
    else:
        T = n * rng.uniform(0.035, 0.1)
    T = max(T, 8.0)
    t = ((np.arange(n, dtype=np.float64) + rng.uniform(0, T)) / T) % 1.0
    if kind == "sine":
        hgt = 0.5 + 0.5 * np.sin(2 * np.pi * t)
    elif kind == "box":
        top, ramp = rng.uniform(0.15, 0.35), rng.uniform(0.08, 0.15)
        knots = [0, top, top + ramp, 1 - ramp, 1.0]
        hgt = np.interp(t, knots, [1, 1, 0, 0, 1])
    else:
        hgt = np.exp(-((t - 0.5) / rng.uniform(0.12, 0.22)) ** 2)
    slope = np.gradient(hgt)
    slope = slope / (np.abs(slope).max() + 1e-9)
    return hgt.astype(np.float32), slope.astype(np.float32), T


def corrugated_scene(text, rng):
    """Digits painted, sprayed, chalked or written on corrugated iron or ribbed plastic."""
    h, w, phone = frame(rng)
    H, W = canvas_of(h, w, phone)
    upright = rng.random() < 0.6  # the ribs run up and down
    material = str(rng.choice(["galvanised", "painted", "rusty", "plastic"], p=[0.3, 0.3, 0.15, 0.25]))
    kind = "rib" if material == "plastic" and rng.random() < 0.6 else str(rng.choice(["sine", "sine", "box"]))
    n = W if upright else H
    hgt, slope, T = profile(n, rng, kind)
    if material == "galvanised":
        base = f32([0.62, 0.64, 0.66]) * rng.uniform(0.85, 1.1)
        img = base * (0.92 + 0.16 * R.fbm((H, W), max(4.0, H / 40), rng))[..., None]
    elif material == "painted":
        base = f32(pick(rng, [[0.6, 0.12, 0.1], [0.15, 0.35, 0.2], [0.18, 0.3, 0.5], [0.88, 0.85, 0.75],
                               [0.92, 0.92, 0.9], [0.15, 0.15, 0.16], [0.85, 0.7, 0.2]])) * rng.uniform(0.9, 1.05)
        img = base * (0.94 + 0.1 * R.fbm((H, W), H / 4, rng))[..., None]
    elif material == "rusty":
        base = f32(pick(rng, [[0.6, 0.62, 0.64], [0.2, 0.32, 0.22], [0.55, 0.15, 0.1]]))
        img = base * (0.93 + 0.1 * R.fbm((H, W), H / 5, rng))[..., None]
        runs = R.smooth_noise((H, W), H / 4, rng, cell_x=max(3.0, W / 50))  # rust running down
        rust = np.clip((0.6 * R.fbm((H, W), H / 6, rng) + 0.4 * runs) * 2.6 - 1.25, 0, 1)
        rust_col = f32([0.48, 0.25, 0.12]) * (0.8 + 0.4 * R.fbm((H, W), max(3.0, H / 60), rng))[..., None]
        R.blend(img, rust * 0.9, rust_col, 0, 0)
        base = f32(img.reshape(-1, 3).mean(0))
    else:
        base = f32(pick(rng, [[0.86, 0.9, 0.86], [0.78, 0.86, 0.9], [0.92, 0.9, 0.84], [0.55, 0.75, 0.6]]))
        img = base * (0.95 + 0.08 * R.fbm((H, W), H / 3, rng))[..., None]
    # Streaks running down (rain, dirt).
    streaks = R.smooth_noise((H, W), H / 3, rng, cell_x=max(3.0, W / 60))
    img *= (1 - rng.uniform(0.0, 0.15) * streaks)[..., None]
    # A lap joint across the ribs with a row of screws on the crests, now and then.
    seam = None
    if rng.random() < 0.35:
        seam = rng.uniform(0.08, 0.25) if rng.random() < 0.5 else rng.uniform(0.75, 0.92)
    style = str(rng.choice(["brush", "spray", "chalk", "marker"], p=[0.4, 0.2, 0.2, 0.2]))
    if style == "marker" and material not in ("plastic", "galvanised", "painted"):
        style = "brush"
    if style == "brush":
        spec = make_spec(text, rng, HOUSE_FONTS, gap=(0.12, 0.35))
    else:
        spec = make_spec(text, rng, HOUSE_FONTS, hand=True, gap=(0.12, 0.35))
    region = inner(H, W)
    if seam is not None:
        p = seam * (H if upright else W)
        if upright:
            region = (p + 0.06 * H, region[1], region[2], region[3]) if seam < 0.5 else (region[0], region[1], p - 0.06 * H, region[3])
        else:
            region = (region[0], p + 0.06 * W, region[2], region[3]) if seam < 0.5 else (region[0], region[1], region[2], p - 0.06 * W)
    rt, rl, rb, rr = region
    cov, ch = laid(spec, rng, rb - rt + 0.24 * H, rr - rl + 0.24 * W, fill=0.72)
    top, left = place(rng, region, *cov.shape)
    hh, ww = cov.shape
    # The paint seen over the ribs' relief: shifted along the ribs with their height.
    m = int(ch * 0.1) + 2
    pc = np.pad(cov, m)
    ph, pw = pc.shape
    shift = min(ch * rng.uniform(0.0, 0.025), 0.35 * stroke_of(cov)) * rng.choice([-1, 1])
    yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
    if upright:
        hl = hgt[np.clip(np.arange(pw) + left - m, 0, n - 1)][None, :]
        pc = cv2.remap(pc, xx, yy - shift * hl, cv2.INTER_LINEAR)
    else:
        hl = hgt[np.clip(np.arange(ph) + top - m, 0, n - 1)][:, None]
        pc = cv2.remap(pc, xx - shift * hl, yy, cv2.INTER_LINEAR)
    crest = np.broadcast_to(hl, pc.shape)
    dark_surface = lum(base) < 0.45
    if style == "brush":
        colour = f32(pick(rng, [[0.95, 0.95, 0.93], [0.95, 0.85, 0.2], [0.95, 0.93, 0.85]]) if dark_surface else
                     pick(rng, [[0.05, 0.05, 0.06], [0.55, 0.06, 0.05], [0.06, 0.1, 0.3], [0.1, 0.25, 0.1]]))
        if abs(lum(colour) - lum(base)) < 0.4:
            colour = f32([0.05, 0.05, 0.06]) if lum(base) > 0.5 else f32([0.95, 0.95, 0.93])
        streak = R.smooth_noise((ph, pw), max(2.0, ch / 30), rng, cell_x=max(4.0, ch / 5))
        alpha = np.clip(cv2.GaussianBlur(pc, (0, 0), max(0.5, ch * 0.004)), 0, 1) * rng.uniform(0.85, 0.98) * (0.85 + 0.15 * streak)
        if rng.random() < 0.3:
            wear = R.fbm((ph, pw), max(3.0, ch / 10), rng)
            alpha *= np.clip((wear - rng.uniform(0.15, 0.3)) * 6, 0, 1)
    elif style == "spray":
        colour = f32(pick(rng, [[0.95, 0.95, 0.93], [0.95, 0.85, 0.2], [0.2, 0.8, 0.3], [0.9, 0.4, 0.7]]) if dark_surface else
                     pick(rng, [[0.05, 0.05, 0.06], [0.7, 0.08, 0.06], [0.08, 0.15, 0.6]]))
        if abs(lum(colour) - lum(base)) < 0.4:
            colour = f32([0.05, 0.05, 0.06]) if lum(base) > 0.5 else f32([0.95, 0.95, 0.93])
        thick = cv2.dilate(pc, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (max(3, int(ch * 0.04)) | 1,) * 2))
        core = np.clip(cv2.GaussianBlur(thick, (0, 0), max(0.8, ch * 0.01)) * 1.2, 0, 1)
        halo = cv2.GaussianBlur(thick, (0, 0), max(1.5, ch * 0.04)) * rng.uniform(0.15, 0.35)
        alpha = np.maximum(core * rng.uniform(0.85, 0.97), halo)
    elif style == "chalk":
        colour = f32(pick(rng, [[0.95, 0.95, 0.92], [0.95, 0.92, 0.6], [0.95, 0.8, 0.85]]) if dark_surface else
                     pick(rng, [[0.12, 0.12, 0.14], [0.2, 0.3, 0.6], [0.7, 0.15, 0.15]]))
        if abs(lum(colour) - lum(base)) < 0.4:
            colour = f32([0.08, 0.08, 0.1]) if lum(base) > 0.5 else f32([0.95, 0.95, 0.92])
        alpha = R.chalk_alpha(pc, rng)
        alpha = np.maximum(alpha, pc * 0.7)
        alpha *= 0.55 + 0.45 * np.clip(crest * 1.4, 0, 1)  # the valleys skipped
    else:
        colour = f32(pick(rng, [[0.05, 0.05, 0.07], [0.1, 0.1, 0.4], [0.5, 0.05, 0.05]]) if not dark_surface else
                     [[0.95, 0.95, 0.93]][0])
        alpha = R.marker_alpha(pc, rng)
    R.blend(img, np.clip(alpha, 0, 1), colour, top - m, left - m)
    # Light on the ribs: shading stripes, a highlight where the slope faces the light,
    # the valleys darker.
    k = rng.uniform(0.22, 0.45) * rng.choice([-1, 1])
    s0 = rng.uniform(-0.8, 0.8)
    spec_amt = rng.uniform(0.05, 0.25) if material in ("galvanised", "plastic") else rng.uniform(0.02, 0.12)
    sh1 = 1 + k * slope - rng.uniform(0.05, 0.2) * (1 - hgt)
    sp1 = spec_amt * np.exp(-((slope - s0) / 0.2) ** 2)
    if material == "plastic":  # light through the sheet: the ribs' walls darker, softer
        sh1 = 1 - rng.uniform(0.15, 0.35) * np.abs(slope) + 0.5 * k * slope
    if upright:
        img = img * sh1[None, :, None] + sp1[None, :, None]
    else:
        img = img * sh1[:, None, None] + sp1[:, None, None]
    if seam is not None:
        p = int(seam * (H if upright else W))
        sw = max(2, int(min(H, W) * 0.006))
        if upright:
            img[max(0, p - sw):p] *= 0.45
            img[p:p + sw] *= 1.15
            crests = np.nonzero((hgt[1:-1] >= hgt[:-2]) & (hgt[1:-1] > hgt[2:]) & (hgt[1:-1] > 0.9))[0]
            for x in crests[::int(rng.integers(1, 3))]:
                cv2.circle(img, (int(x), int(p + sw * 3)), max(2, int(T * 0.08)), (0.55, 0.56, 0.58), -1, cv2.LINE_AA)
                cv2.circle(img, (int(x), int(p + sw * 3)), max(1, int(T * 0.04)), (0.3, 0.3, 0.32), -1, cv2.LINE_AA)
        else:
            img[:, max(0, p - sw):p] *= 0.45
            img[:, p:p + sw] *= 1.15
            crests = np.nonzero((hgt[1:-1] >= hgt[:-2]) & (hgt[1:-1] > hgt[2:]) & (hgt[1:-1] > 0.9))[0]
            for y in crests[::int(rng.integers(1, 3))]:
                cv2.circle(img, (int(p + sw * 3), int(y)), max(2, int(T * 0.08)), (0.55, 0.56, 0.58), -1, cv2.LINE_AA)
                cv2.circle(img, (int(p + sw * 3), int(y)), max(1, int(T * 0.04)), (0.3, 0.3, 0.32), -1, cv2.LINE_AA)
    keep = (top, left, top + hh, left + ww)
    return photograph(np.clip(img, 0, 1.2), rng, phone, keep, (h, w), glare=(0, 1), glare_strength=(0.05, 0.2))


# --- Striped fabric -------------------------------------------------------------------

CLOTH = [[0.95, 0.95, 0.93], [0.1, 0.14, 0.3], [0.75, 0.1, 0.12], [0.2, 0.45, 0.75], [0.15, 0.15, 0.16],
         [0.95, 0.85, 0.3], [0.2, 0.5, 0.3], [0.85, 0.55, 0.6], [0.55, 0.55, 0.57], [0.9, 0.88, 0.78],
         [0.45, 0.25, 0.15], [0.95, 0.5, 0.15], [0.55, 0.75, 0.85]]
THREADS = [[0.97, 0.97, 0.95], [0.06, 0.06, 0.08], [0.08, 0.12, 0.4], [0.8, 0.08, 0.08], [0.98, 0.82, 0.15],
           [0.1, 0.45, 0.2], [0.85, 0.7, 0.3], [0.65, 0.65, 0.68]]


def stripes_1d(n, rng, unit, colours):
    """The stripes' colour along n pixels (4 samples a pixel, averaged): (n, 3)."""
    bg, others = colours[0], colours[1:]
    kind = str(rng.choice(["even", "pin", "broad", "multi"]))
    if kind == "even":
        w1 = unit * rng.uniform(0.6, 1.6)
        seq = [(w1, bg), (w1 * rng.uniform(0.5, 1.5), others[0])]
    elif kind == "pin":
        seq = [(unit * rng.uniform(1.0, 3.0), bg), (max(1.5, unit * rng.uniform(0.08, 0.25)), others[0])]
    elif kind == "broad":
        seq = [(unit * rng.uniform(2, 4), bg), (unit * rng.uniform(1.5, 4), others[0])]
    else:
        seq = []
        for k in range(int(rng.integers(3, 8))):
            c = bg if k % 2 == 0 else others[int(rng.integers(len(others)))]
            seq.append((unit * rng.uniform(0.12, 1.6), c))
    widths = np.array([max(1.0, s[0]) for s in seq])
    cols = np.array([s[1] for s in seq], np.float32)
    cum = np.cumsum(widths)
    pos = (np.arange(n * 4) / 4.0 + rng.uniform(0, cum[-1])) % cum[-1]
    idx = np.searchsorted(cum, pos, side="right")
    return cols[np.minimum(idx, len(seq) - 1)].reshape(n, 4, 3).mean(1), [s[1] for s in seq]


def fabric_layers(rng, unit, colours, weave, thread):
    def make(H, W):
        rgb, used = stripes_1d(H, rng, unit, colours)
        make.used = used
        v = np.arange(H, dtype=np.float32)[:, None]
        u = np.arange(W, dtype=np.float32)[None, :]
        if weave == "twill":
            p = thread * 2.5
            wv = 0.5 + 0.5 * np.sin(2 * np.pi * (u + v) / p)
            amt = rng.uniform(0.08, 0.18)
        elif weave == "plain":
            wv = 0.5 + 0.5 * np.sin(np.pi * u / thread) * np.sin(np.pi * v / thread)
            amt = rng.uniform(0.06, 0.14)
        else:  # terry: loops
            loops = rng.random((max(2, int(H / thread)), max(2, int(W / thread)))).astype(np.float32)
            wv = cv2.resize(loops, (W, H), interpolation=cv2.INTER_CUBIC)
            amt = rng.uniform(0.2, 0.35)
        slub = R.smooth_noise((H, W), max(1.0, thread), rng, cell_x=max(4.0, W / 8))
        weavef = 1 - amt * wv - 0.06 * slub + 0.03
        return [rgb[:, 0:1] * weavef, rgb[:, 1:2] * weavef, rgb[:, 2:3] * weavef, weavef.astype(np.float32)]
    return make


def fabric_scene(text, rng):
    """A number embroidered, printed, ironed or written on striped cloth, photographed."""
    h, w, phone = frame(rng)
    H, W = canvas_of(h, w, phone)
    thing = str(rng.choice(["shirt", "towel", "bag"], p=[0.55, 0.25, 0.2]))
    weave = "terry" if thing == "towel" and rng.random() < 0.7 else str(rng.choice(["twill", "plain"]))
    thread = max(1.2, min(H, W) / rng.uniform(150, 450))
    nc = int(rng.integers(2, 5))
    for _ in range(50):  # the stripes' colours unlike the ground's
        cidx = rng.choice(len(CLOTH), nc, replace=False)
        colours = [f32(CLOTH[int(j)]) for j in cidx]
        if all(np.abs(c - colours[0]).sum() > 0.45 for c in colours[1:]):
            break
    contrast = rng.uniform(0.35, 1.0)
    colours = [colours[0]] + [colours[0] * (1 - contrast) + c * contrast for c in colours[1:]]
    unit = min(H, W) * rng.uniform(0.012, 0.07)
    angle = grain_angle(rng, 0.45, 0.35)
    if angle not in (0, 90):
        angle = angle * rng.uniform(0.5, 1.3)
    maker = fabric_layers(rng, unit, colours, weave, thread)
    r_, g_, b_, weavef = oriented(H, W, angle, maker)
    img = np.stack([r_, g_, b_], -1)
    used = [f32(c) for c in maker.used]
    region = inner(H, W, 0.13)
    if thing == "towel" and rng.random() < 0.8:  # a woven border band
        bw = int(H * rng.uniform(0.08, 0.16))
        at_top = rng.random() < 0.5
        y0 = int(H * rng.uniform(0.02, 0.08)) if at_top else int(H * rng.uniform(0.92, 0.98)) - bw
        band_col = f32(pick(rng, CLOTH))
        band = band_col * (0.9 + 0.1 * np.sin(np.arange(W, dtype=np.float32) * 2 * np.pi / (thread * 6)))[None, :, None]
        img[y0:y0 + bw] = band * weavef[y0:y0 + bw, :, None]
        used.append(band_col)
        region = (max(region[0], y0 + bw + 0.05 * H), region[1], region[2], region[3]) if at_top else (
            region[0], region[1], min(region[2], y0 - 0.05 * H), region[3])
    elif thing == "bag":  # a seam: a fold and a row of stitches
        vertical = rng.random() < 0.5
        p = int((W if vertical else H) * (rng.uniform(0.05, 0.12) if rng.random() < 0.5 else rng.uniform(0.88, 0.95)))
        st = max(2, int(thread * 1.2))
        thread_col = tuple(float(v) for v in pick(rng, THREADS))
        step = max(6, int(thread * rng.uniform(6, 10)))
        for q in range(0, H if vertical else W, step):
            a, b = (p, q), (p, q + int(step * 0.6))
            if not vertical:
                a, b = (q, p), (q + int(step * 0.6), p)
            cv2.line(img, a, b, thread_col, st, cv2.LINE_AA)
        seam = np.zeros((H, W), np.float32)
        if vertical:
            seam[:, max(0, p - int(st * 4)):p - int(st * 2)] = 1
        else:
            seam[max(0, p - int(st * 4)):p - int(st * 2)] = 1
        img *= (1 - 0.35 * cv2.GaussianBlur(seam, (0, 0), st))[..., None]
        m = 0.06
        if vertical:
            region = (region[0], max(region[1], p + m * W), region[2], region[3]) if p < W / 2 else (
                region[0], region[1], region[2], min(region[3], p - m * W))
        else:
            region = (max(region[0], p + m * H), region[1], region[2], region[3]) if p < H / 2 else (
                region[0], region[1], min(region[2], p - m * H), region[3])
    style = str(rng.choice(["embroidered", "printed", "vinyl", "marker"], p=[0.3, 0.3, 0.28, 0.12]))
    faces = HOUSE_FONTS if style != "embroidered" else HOUSE_FONTS + ["opentype/urw-base35/URWBookman-DemiItalic.otf",
                                                                         "opentype/urw-base35/C059-BdIta.otf"]
    spec = make_spec(text, rng, faces, hand=style == "marker", gap=(0.08, 0.28))
    rt, rl, rb, rr = region
    cov, ch = laid(spec, rng, rb - rt + 0.26 * H, rr - rl + 0.26 * W, fill=0.7)
    # The ink: the thread's or the print's colour that stands out from every stripe; an
    # outline of the other kind when none does.
    lums = [lum(c) for c in used]
    cands = THREADS if style != "marker" else [[0.05, 0.05, 0.07], [0.08, 0.1, 0.4], [0.97, 0.97, 0.95]]
    scored = sorted(((min(abs(lum(c) - l) for l in lums), j) for j, c in enumerate(cands)), reverse=True)
    best = [j for s, j in scored if s >= scored[0][0] - 0.08][:3]
    ink = f32(cands[pick(rng, best)])
    need_outline = min(abs(lum(ink) - l) for l in lums) < 0.28
    m = int(ch * 0.12) + 4
    pc = np.pad(cov, m)
    ph, pw = pc.shape
    hh, ww = cov.shape
    top, left = place(rng, region, hh, ww)
    T, L = top - m, left - m
    local = sub(img, T, L, ph, pw)
    wl = sub(weavef, T, L, ph, pw)
    stroke = stroke_of(cov)
    lxy = light_dir(rng)
    if need_outline or (style == "vinyl" and rng.random() < 0.4):
        o = max(2, int(stroke * rng.uniform(0.25, 0.45)))
        ring = cv2.dilate(pc, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * o + 1, 2 * o + 1)))
        ocol = f32([0.05, 0.05, 0.06]) if lum(ink) > 0.5 else f32([0.97, 0.97, 0.95])
        over_l(local, ring, ocol * (wl[..., None] if style != "vinyl" else 1.0))
    if style == "embroidered":
        a = math.radians(rng.uniform(30, 150))
        yy, xx = np.mgrid[0:ph, 0:pw].astype(np.float32)
        p = max(1.6, ch * rng.uniform(0.012, 0.025))
        sline = 0.5 + 0.5 * np.cos(2 * np.pi * (xx * math.cos(a) + yy * math.sin(a)) / p)
        jag = R.smooth_noise((ph, pw), p, rng)
        mask = np.clip((pc - 0.5 + 0.35 * (jag - 0.5)) * 3 + 0.5, 0, 1)
        shadow_c = cv2.GaussianBlur(mask, (0, 0), max(1.0, stroke * 0.15))
        over_l(local, np.roll(shadow_c, (int(stroke * 0.1) + 1, int(stroke * 0.1) + 1), (0, 1)) * 0.35, (0, 0, 0))
        thread_img = ink * (0.78 + 0.3 * sline)[..., None]
        R.lit(thread_img, R.relief(mask, 1.0, lxy, stroke * 0.6), 0.35, 0.12 + 0.1 * (lum(ink) > 0.4))
        thread_img += (0.08 * sline ** 8)[..., None]
        over_l(local, mask, np.clip(thread_img, 0, 1))
        if rng.random() < 0.35:  # a running stitch round it
            edge = np.clip(cv2.dilate(mask, np.ones((3, 3), np.uint8), iterations=max(1, int(stroke * 0.08))) - mask, 0, 1)
            over_l(local, edge * 0.8, ink * 0.6)
    elif style == "printed":
        a = np.clip(pc * 1.1 - 0.05, 0, 1) * rng.uniform(0.85, 0.97)
        if rng.random() < 0.35:  # washed: cracks and fading
            crack = R.smooth_noise((ph, pw), max(2.0, ch / 30), rng)
            a *= np.clip(1.0 - np.exp(-((crack - 0.5) / 0.04) ** 2) * 0.8, 0, 1) * rng.uniform(0.8, 1.0)
        over_l(local, a, ink * (0.6 + 0.45 * wl)[..., None])
    elif style == "vinyl":
        over_l(local, np.roll(cv2.GaussianBlur(pc, (0, 0), max(0.8, stroke * 0.08)), (1, 1), (0, 1)) * 0.3, (0, 0, 0))
        gl = np.linspace(-1, 1, ph, dtype=np.float32)[:, None] * rng.uniform(0.03, 0.1)
        sheen = ink * (1 + gl)[..., None] + (0.06 * R.smooth_noise((ph, pw), max(2.0, ch / 2), rng))[..., None]
        over_l(local, np.clip(pc * 1.05, 0, 1), np.clip(sheen * (0.92 + 0.1 * wl)[..., None], 0, 1))
    else:  # laundry marker, bleeding along the threads
        a = R.marker_alpha(pc, rng)
        a = np.clip(cv2.GaussianBlur(a, (0, 0), max(0.6, stroke * 0.12)) * 1.1, 0, 1)
        if lum(ink) < 0.5:
            local *= (1 - a[..., None] * (1 - ink))
        else:
            over_l(local, a, ink)
    put(img, local, T, L)
    # Folds: the cloth's height, its slope moving and shading the picture.
    hf = R.fbm((H, W), min(H, W) / rng.uniform(1.5, 4), rng) * min(H, W) * rng.uniform(0.02, 0.08)
    if rng.random() < 0.6:  # a crease or two
        yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
        for _ in range(int(rng.integers(1, 3))):
            a = rng.uniform(0, math.pi)
            d = (xx - rng.uniform(0, W)) * math.cos(a) + (yy - rng.uniform(0, H)) * math.sin(a)
            hf += min(H, W) * rng.uniform(0.005, 0.02) * np.exp(-(d / (min(H, W) * rng.uniform(0.02, 0.06))) ** 2)
    gy, gx = np.gradient(hf)
    k = min(H, W) * rng.uniform(0.004, 0.015) / (max(np.abs(gx).max(), np.abs(gy).max()) + 1e-6)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    img = cv2.remap(img, xx + k * gx, yy + k * gy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)
    lx, ly = lxy
    fs = gx * lx + gy * ly
    img *= (1 + rng.uniform(0.15, 0.35) * fs / (np.abs(fs).max() + 1e-6))[..., None]
    keep = (top - 2, left - 2, top + hh + 2, left + ww + 2)
    return photograph(np.clip(img, 0, 1), rng, phone, keep, (h, w), glare=(0, 1), glare_strength=(0.03, 0.12))


# --- The set --------------------------------------------------------------------------

SCENES = {"wood": wood_scene, "metal": metal_scene, "corrugated": corrugated_scene, "fabric": fabric_scene}


def number_text(rng, longest=4):
    """A single digit half the time, else a number of 2..longest digits (no leading zero)."""
    if rng.random() < 0.5:
        return str(int(rng.integers(10)))
    n = int(rng.integers(2, longest + 1))
    return str(int(rng.integers(1, 10))) + "".join(str(int(d)) for d in rng.integers(0, 10, n - 1))


def mark_text(rng):
    r = rng.random()
    if r < 0.45:
        return pick(rng, LETTERS)
    if r < 0.7:
        return pick(rng, SYMBOLS)
    if r < 0.87:
        return pick(rng, SHAPES)
    return pick(rng, WORDS)


def mark_name(text):
    return text if text in SHAPES else "".join(MARK_NAMES.get(c, c) for c in text)


def legible(images, labels, mnist_dir):
    """The MNIST test digits a reader of hands agrees on: all ten nearest training digits
    (in the first 40 principal components of the training digits) have the same label.
    The pictures must be legible to a person; an ugly 8 that looks like a 6 is left out."""
    train = SET21.read_idx(os.path.join(mnist_dir, "train-images-idx3-ubyte.gz")).reshape(60000, -1).astype(np.float32) / 255
    train_labels = SET21.read_labels(os.path.join(mnist_dir, "train-labels-idx1-ubyte.gz"))
    test = images.reshape(len(images), -1).astype(np.float32) / 255
    mean = train[::6].mean(0)
    _, _, vt = np.linalg.svd(train[::6] - mean, full_matrices=False)
    basis = vt[:40].T
    a, b = (train - mean) @ basis, (test - mean) @ basis
    norms = (a * a).sum(1)
    agree = np.zeros(len(test), np.int64)
    for s in range(0, len(test), 1000):
        dist = norms[None, :] - 2 * b[s:s + 1000] @ a.T
        nearest = np.argpartition(dist, 10, axis=1)[:, :10]
        agree[s:s + 1000] = (train_labels[nearest] == labels[s:s + 1000, None]).sum(1)
    return agree == 10


def main():
    args, families, images, labels, order = SET21.start("make-heldout-set24.py", __doc__, FAMILIES, 241, mnist=True)
    good = legible(images, labels, args.mnist)
    for d in range(10):
        MNIST[d] = images[order[(labels[order] == d) & good[order]]]

    def make_one(family, k, i, side, rng):
        if family == "marks-texture":
            surface = ("wood", "metal", "corrugated", "fabric")[i % 4]
            text = mark_text(rng)
            data, ext = SCENES[surface](text, rng)
            return f"x_{mark_name(text)}-{surface}{i:03d}.{ext}", data
        text = number_text(rng)
        scene = {"wood-door": wood_scene, "brushed-metal": metal_scene, "corrugated-sign": corrugated_scene,
                 "striped-fabric": fabric_scene}[family]
        data, ext = scene(text, rng)
        label = text if len(text) == 1 else f"n{text}"
        return f"{label}_{family}{i:03d}.{ext}", data

    SET21.write_families(args, families, FAMILIES, make_one)


if __name__ == "__main__":
    main()
