"""Kinds of digit the bundled models also train on, beyond handwriting and print on
paper (scripts/make-training-set.py): digits of segments (displays, meters), digits
in relief (stamped into, raised from or engraved in a surface, sometimes painted)
and digits whose strokes are broken by their medium (chalk, a dry marker), with
the faint ghosts of erased writing around them.

Written for training only and independently of the held-out sets' painters
(scripts/lib/heldout_render.py): nothing here is shared with them, so that those
families stay a test of whether these kinds generalize.
Every function draws from the numpy Generator it is given.
"""

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# Which of the seven segments each digit lights: a top, b top right, c bottom
# right, d bottom, e bottom left, f top left, g middle. Some digits have two
# common forms (a 7 with a hook, a 6 and a 9 with or without their tail bar).
SEGMENTS = {0: ("abcdef",), 1: ("bc",), 2: ("abged",), 3: ("abgcd",), 4: ("fgbc",),
            5: ("afgcd",), 6: ("afgedc", "fgedc"), 7: ("abc", "fabc"), 8: ("abcdefg",),
            9: ("abcdfg", "abcfg")}


def _segment_polygon(name, width, height, thick, gap):
    """One segment as a hexagon (a bar with pointed ends) in a cell width x height."""
    h2 = thick / 2
    left, right, top, mid, bottom = h2, width - h2, h2, height / 2, height - h2
    ends = {"a": ((left, top), (right, top)), "g": ((left, mid), (right, mid)), "d": ((left, bottom), (right, bottom)),
            "f": ((left, top), (left, mid)), "b": ((right, top), (right, mid)),
            "e": ((left, mid), (left, bottom)), "c": ((right, mid), (right, bottom))}
    (x0, y0), (x1, y1) = ends[name]
    if y0 == y1:
        x0, x1 = x0 + gap, x1 - gap
        return [(x0, y0), (x0 + h2, y0 - h2), (x1 - h2, y0 - h2), (x1, y0), (x1 - h2, y0 + h2), (x0 + h2, y0 + h2)]
    y0, y1 = y0 + gap, y1 - gap
    return [(x0, y0), (x0 + h2, y0 + h2), (x0 + h2, y1 - h2), (x0, y1), (x0 - h2, y1 - h2), (x0 - h2, y0 + h2)]


# What displays show besides digits (F, L, P, C, d, r, n, u, J, a dash, three
# bars), and any other set of lit segments, each at least two segments away from
# every form of a digit (E, H, U, A, o, t are one segment from a 6, 4, 0, 8, 6, 6:
# a digit with one segment dark must not be learnt as refused): the gate's
# non-digits in the digits' own style, so that it learns what is lit, not how.
SEGMENT_NON_DIGITS = ("aefg", "def", "abefg", "adef", "bcdeg", "eg", "ceg", "cde", "bcde", "g", "adg")


def _far_from_digits(lit):
    forms = [set(f) for forms in SEGMENTS.values() for f in forms]
    return all(len(set(lit) ^ f) >= 2 for f in forms)


def segment_non_digit(rng):
    """A seven-segment figure that is no digit: a display's letter or dash, or 2-6
    random segments at least two segments from any digit's form."""
    if rng.random() < 0.6:
        return segment_figure((SEGMENT_NON_DIGITS[int(rng.integers(0, len(SEGMENT_NON_DIGITS)))],), rng)
    while True:
        lit = "".join(c for c in "abcdefg" if rng.random() < 0.5)
        if 2 <= len(lit) <= 6 and _far_from_digits(lit) and lit not in ("bc", "ef", "be", "cf"):
            return segment_figure((lit,), rng)


def segment_digit(digit, rng):
    """A coverage map (float, 1 = lit) of a seven-segment digit: bars with pointed
    or square ends, a slant of up to 12 degrees, gaps between segments, and often
    the unlit segments faintly visible as on an LCD."""
    return segment_figure(SEGMENTS[digit], rng)


def segment_figure(forms, rng):
    """One of `forms` (strings of lit segments) drawn as segment_digit draws a digit."""
    height = 200
    width = int(height * rng.uniform(0.45, 0.62))
    thick = height * rng.uniform(0.07, 0.14)
    gap = thick * rng.uniform(0.05, 0.6)
    lit = forms[int(rng.integers(0, len(forms)))]
    slant = math.tan(math.radians(rng.uniform(0, 12)))
    pad = int(thick + slant * height) + 4
    img = Image.new("L", (width + 2 * pad, height + 2 * pad), 0)
    draw = ImageDraw.Draw(img)
    ghost = int(rng.uniform(15, 60)) if rng.random() < 0.4 else 0
    square = rng.random() < 0.35
    for name in "abcdefg":
        level = 255 if name in lit else ghost
        if level == 0:
            continue
        poly = _segment_polygon(name, width, height, thick, gap)
        if square:  # a plain bar, as LED displays draw them
            xs, ys = [p[0] for p in poly], [p[1] for p in poly]
            poly = [(min(xs), min(ys)), (max(xs), min(ys)), (max(xs), max(ys)), (min(xs), max(ys))]
        draw.polygon([(pad + x + slant * (height - y), pad + y) for x, y in poly], fill=level)
    cov = np.asarray(img, np.float32) / 255.0
    ys, xs = np.nonzero(cov > 0.02)
    return cov[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def _surface(h, w, rng):
    """A plain surface's colour and texture: brushed metal, wood, plastic or painted sheet."""
    kind = int(rng.integers(0, 4))
    base = rng.uniform(60, 220) * rng.uniform(0.6, 1.0, 3)
    noise = rng.normal(0, 1, (h, w)).astype(np.float32)
    if kind == 0:     # brushed: noise smeared along one axis
        k = max(3, w // 6)
        noise = cv2.blur(noise, (3, 3))
        noise = np.cumsum(noise, 1)
        noise = (noise[:, k:] - noise[:, :-k]) / math.sqrt(k) if w > k else noise
        noise = np.pad(noise, ((0, 0), (0, w - noise.shape[1])), mode="edge")
        texture = 6 * noise
    elif kind == 1:   # wood: wavy grain
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        freq = rng.uniform(0.15, 0.5) * 28 / max(h, w)
        texture = 18 * np.sin(2 * math.pi * freq * (yy + 4 * np.sin(xx * freq))) + 4 * noise
        base = np.array([rng.uniform(120, 200), rng.uniform(80, 140), rng.uniform(40, 90)])
    else:             # plastic or painted sheet: little texture
        texture = rng.uniform(1, 4) * noise
    return base[None, None, :] + texture[..., None]


def relief_photo(cov, rng):
    """An RGB photo (uint8) of a digit in relief on a surface: its coverage map made a
    height map, lit from one side, so the digit shows as light and dark edges rather
    than as ink; raised or sunken; sometimes painted in another colour."""
    h, w = cov.shape
    side = rng.uniform(40, 200)
    scale = side / max(h, w)
    ch, cw = max(12, int(round(h * scale))), max(12, int(round(w * scale)))
    cov = np.asarray(Image.fromarray((np.clip(cov, 0, 1) * 255).astype(np.uint8)).resize((cw, ch), Image.BICUBIC),
                     np.float32) / 255.0
    soft = rng.uniform(0.01, 0.04) * max(ch, cw)
    height = cv2.GaussianBlur(cov, (0, 0), soft)
    height *= 1 if rng.random() < 0.5 else -1          # raised or stamped in
    gy, gx = np.gradient(height)
    angle = rng.uniform(0, 2 * math.pi)
    slope = -(gx * math.cos(angle) + gy * math.sin(angle)) * max(ch, cw) / 10
    img = _surface(ch, cw, rng) * (1 + rng.uniform(0.5, 1.5) * slope)[..., None]
    if rng.random() < 0.35:   # painted: the digit's face in another colour
        paint = rng.uniform(0, 255, 3)
        face = np.clip(cov, 0, 1)[..., None] * rng.uniform(0.5, 1.0)
        img = img * (1 - face) + paint[None, None, :] * face * (1 + 0.5 * slope[..., None])
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    sheen = rng.uniform(0, 0.3) * np.exp(-(((xx / cw - rng.uniform(0, 1)) ** 2 + (yy / ch - rng.uniform(0, 1)) ** 2)
                                           / rng.uniform(0.05, 0.3)))
    img = img * (1 + sheen[..., None])
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    blur = rng.uniform(0, 1.2) * max(ch, cw) / 120
    if blur > 0.2:
        pil = pil.filter(ImageFilter.GaussianBlur(blur))
    img = np.asarray(pil, np.float32) + rng.normal(0, rng.uniform(1, 6), (ch, cw, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def broken_strokes(cov, rng):
    """The coverage map as chalk or a drying marker leaves it: strokes thinned and
    broken by the grain of the surface, with faint ghosts of erased writing around."""
    h, w = cov.shape
    cell = max(1.0, rng.uniform(0.02, 0.06) * max(h, w))
    grain = rng.random((max(2, int(h / cell) + 2), max(2, int(w / cell) + 2))).astype(np.float32)
    grain = cv2.resize(grain, (w, h), interpolation=cv2.INTER_CUBIC)
    keep = np.clip((grain - rng.uniform(0.0, 0.2)) * 6, 0, 1)
    speckle = rng.random((h, w)) > rng.uniform(0.0, 0.15)
    out = cov * keep * speckle
    if rng.random() < 0.6:   # ghosts: faint, blurred smears of erased strokes
        shifted = np.roll(cov, (int(rng.integers(-h // 3, h // 3 + 1)), int(rng.integers(-w // 3, w // 3 + 1))), (0, 1))
        smear = cv2.GaussianBlur(np.ascontiguousarray(shifted, np.float32), (0, 0), max(1.0, 0.04 * max(h, w)))
        out = np.maximum(out, smear * rng.uniform(0.05, 0.2))
    return out
