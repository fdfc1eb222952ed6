"""Kinds of digit the bundled models also train on, beyond handwriting and print on
paper (scripts/make-training-set.py): digits of segments (displays, meters), digits
in relief (stamped into, raised from or engraved in a surface, sometimes painted),
digits whose strokes are broken by their medium (chalk, a dry marker), with
the faint ghosts of erased writing around them, and digits laid out of straight
strips (tape, sticks, matches: for the gate, with make-training-set.py
--strip-digits).

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


def _through_lens(img, rng):
    """An RGB picture (float) as a camera gives it: a little out of focus, with sensor noise (uint8)."""
    ch, cw = img.shape[:2]
    pil = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8))
    blur = rng.uniform(0, 1.2) * max(ch, cw) / 120
    if blur > 0.2:
        pil = pil.filter(ImageFilter.GaussianBlur(blur))
    img = np.asarray(pil, np.float32) + rng.normal(0, rng.uniform(1, 6), (ch, cw, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


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
    return _through_lens(img, rng)


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


# Digits laid out of straight strips, as with tape, sticks, matches, planks or bent wire:
# a few strokes between the corners and middles of the digit's box (x 0..1 across,
# y 0..1 down), several common forms for some digits. Square-cornered, so a 0 is a
# tall rectangle: the gate must learn that a plain upright frame of strips is a 0.
_TL, _TR, _ML, _MR, _BL, _BR = (0, 0), (1, 0), (0, .5), (1, .5), (0, 1), (1, 1)
STRIP_FORMS = {
    0: ([[_TL, _TR, _BR, _BL, _TL]],),
    1: ([[(.5, 0), (.5, 1)]], [[(.1, .3), (.5, 0), (.5, 1)]], [[(.1, .3), (.5, 0), (.5, 1)], [(.15, 1), (.85, 1)]]),
    2: ([[_TL, _TR, _MR, _ML, _BL, _BR]], [[_TL, _TR, _MR, _BL, _BR]]),
    3: ([[_TL, _TR, _BR, _BL], [(.25, .5), _MR]], [[_TL, _TR, _MR, _BR, _BL], [(.3, .5), _MR]]),
    4: ([[_TL, _ML, _MR], [_TR, _BR]], [[(.7, 0), (0, .65), (1, .65)], [(.7, 0), (.7, 1)]]),
    5: ([[_TR, _TL, _ML, _MR, _BR, _BL]],),
    6: ([[_TR, _TL, _BL, _BR, _MR, _ML]], [[_TL, _BL, _BR, _MR, _ML]]),
    7: ([[_TL, _TR, _BR]], [[_TL, _TR, (.3, 1)]], [[_TL, _TR, (.3, 1)], [(.25, .5), (.85, .5)]]),
    8: ([[_TL, _TR, _BR, _BL, _TL], [_ML, _MR]],),
    9: ([[_MR, _ML, _TL, _TR, _BR, _BL]], [[_MR, _ML, _TL, _TR, _BR]]),
}
# Letters and shapes of strips, none a strip or two from a digit's form (no S, Z, U, b,
# d, square): the gate's non-digits in the digits' own style. Each with its box's
# width over height.
STRIP_NON_DIGITS = (
    ([[_TR, _TL, _BL, _BR], [_ML, (.75, .5)]], .6),                      # E
    ([[_TR, _TL, _BL], [_ML, (.75, .5)]], .6),                           # F
    ([[_TL, _BL], [_TR, _BR], [_ML, _MR]], .65),                         # H
    ([[_TL, _BL, _BR]], .55),                                            # L
    ([[_BL, _TL, _TR, _MR, _ML]], .6),                                   # P
    ([[_BL, (.5, 0), _BR], [(.25, .55), (.75, .55)]], .75),              # A
    ([[_TL, _TR], [(.5, 0), (.5, 1)]], .75),                             # T
    ([[_TL, _BL], [_TR, _ML, _BR]], .65),                                # K
    ([[_TL, _BR], [_TR, _BL]], .75),                                     # X
    ([[_TL, (.5, .5), _TR], [(.5, .5), (.5, 1)]], .75),                  # Y
    ([[_TL, (.5, 1), _TR]], .75),                                        # V
    ([[_BL, _TL, _BR, _TR]], .7),                                        # N
    ([[_BL, _TL, (.5, .5), _TR, _BR]], .85),                             # M
    ([[_TL, (.25, 1), (.5, .4), (.75, 1), _TR]], 1.0),                   # W
    ([[_TR, _TL, _BL, _BR]], .6),                                        # C
    ([[(.5, .05), (.5, .95)], [(0, .5), (1, .5)]], 1.0),                 # plus
    ([[(.33, 0), (.33, 1)], [(.67, 0), (.67, 1)], [(0, .33), (1, .33)], [(0, .67), (1, .67)]], 1.0),  # hash
    ([[_BL, (.5, 0), _BR, _BL]], 1.1),                                   # triangle
    ([[(0, .5), (1, .5)], [(.6, .15), (1, .5), (.6, .85)]], 1.4),        # arrow
    ([[_BL, _ML, (.5, 0), _MR, _BR, _BL]], .9),                          # house
    ([[_TL, _TR, _BR, _BL, _TL], [_TL, _BR], [_TR, _BL]], 1.0),          # crossed box
    ([[(.5, 0), (.5, 1)], [_TL, _BR], [_TR, _BL]], 1.0),                 # asterisk
)


def _strip_cover(polylines, width, height, rng):
    """Coverage map of polylines (box units) laid as strips: each piece a straight bar of
    its own shade, its ends overlapping the next piece (tape) or short of it (sticks)."""
    thick = height * rng.uniform(0.07, 0.16)
    slant = math.tan(math.radians(rng.uniform(-6, 12)))
    turn = math.radians(rng.uniform(-8, 8))
    pad = int(thick + abs(slant) * height + 0.2 * height) + 4
    img = Image.new("L", (int(width) + 2 * pad, height + 2 * pad), 0)
    draw = ImageDraw.Draw(img)
    overlap = rng.uniform(-0.3, 0.8)          # of half the thickness, at each end
    cx, cy = width / 2, height / 2

    def place(p):
        x, y = p[0] * width + rng.normal(0, 0.02 * height), p[1] * height + rng.normal(0, 0.02 * height)
        x += slant * (height - y)
        dx, dy = x - cx, y - cy
        return (pad + cx + dx * math.cos(turn) - dy * math.sin(turn), pad + cy + dx * math.sin(turn) + dy * math.cos(turn))

    heads = rng.random() < 0.25               # matches: a darker blob at one end of each stick
    for line in polylines:
        points = [place(p) for p in line]
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            length = math.hypot(x1 - x0, y1 - y0)
            if length < 1:
                continue
            ux, uy = (x1 - x0) / length, (y1 - y0) / length
            e0, e1 = (overlap + rng.normal(0, 0.15)) * thick / 2, (overlap + rng.normal(0, 0.15)) * thick / 2
            nx, ny = -uy * thick / 2, ux * thick / 2
            a, b = (x0 - ux * e0, y0 - uy * e0), (x1 + ux * e1, y1 + uy * e1)
            shade = int(255 * rng.uniform(0.8, 1.0))
            draw.polygon([(a[0] + nx, a[1] + ny), (b[0] + nx, b[1] + ny), (b[0] - nx, b[1] - ny), (a[0] - nx, a[1] - ny)],
                         fill=shade)
            if heads:
                r = thick * 0.7
                draw.ellipse([b[0] - r, b[1] - r, b[0] + r, b[1] + r], fill=255)
    cov = np.asarray(img, np.float32) / 255.0
    ys, xs = np.nonzero(cov > 0.02)
    return cov[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def strip_digit(digit, rng):
    """A coverage map of a digit laid out of straight strips (one of its STRIP_FORMS)."""
    forms = STRIP_FORMS[digit]
    height = 200
    width = height * (rng.uniform(0.1, 0.4) if digit == 1 else rng.uniform(0.42, 0.68))
    return _strip_cover(forms[int(rng.integers(0, len(forms)))], width, height, rng)


def strip_non_digit(rng):
    """A letter or shape of strips, or a number of two or three strip digits side by side."""
    if rng.random() < 0.3:
        parts = [strip_digit(int(d), rng) for d in rng.integers(0, 10, 2 + int(rng.random() < 0.3))]
        h = max(p.shape[0] for p in parts)
        row = []
        for p in parts:
            row += [np.pad(p, ((0, h - p.shape[0]), (0, 0))), np.zeros((h, int(rng.uniform(0.05, 0.3) * h)), np.float32)]
        return np.concatenate(row[:-1], 1)
    lines, aspect = STRIP_NON_DIGITS[int(rng.integers(0, len(STRIP_NON_DIGITS)))]
    return _strip_cover(lines, 200 * aspect * rng.uniform(0.85, 1.15), 200, rng)


def strip_photo(cov, rng):
    """An RGB photo (uint8) of strips laid on a surface: the strips' own colour and grain,
    a shadow beside them, uneven light."""
    h, w = cov.shape
    side = rng.uniform(40, 220)
    scale = side / max(h, w)
    ch, cw = max(12, int(round(h * scale))), max(12, int(round(w * scale)))
    cov = np.asarray(Image.fromarray((np.clip(cov, 0, 1) * 255).astype(np.uint8)).resize((cw, ch), Image.BICUBIC),
                     np.float32) / 255.0
    surface = _surface(ch, cw, rng)
    while True:                               # a material that differs from the surface
        material = rng.uniform(0, 255, 3)
        if abs(material.mean() - surface.mean()) > 45:
            break
    grain = material[None, None, :] * (1 + rng.uniform(0.02, 0.12) * rng.normal(0, 1, (ch, cw))[..., None])
    shift = (int(rng.integers(-3, 4) * side / 100), int(rng.integers(-3, 4) * side / 100))
    shadow = cv2.GaussianBlur(np.roll(cov, shift, (0, 1)), (0, 0), max(0.5, side / 80)) * rng.uniform(0.2, 0.55)
    img = surface * (1 - shadow)[..., None]
    img = img * (1 - cov[..., None]) + grain * cov[..., None]
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xx / cw - 0.5) * math.cos(angle) + (yy / ch - 0.5) * math.sin(angle)
    img *= (1 + rng.uniform(0, 0.4) * ramp)[..., None]
    return _through_lens(img, rng)
