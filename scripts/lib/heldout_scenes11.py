"""Scenes of the eleventh held-out set (scripts/make-heldout-set11.py), painted afresh: a
shop's price tag on a string, a calendar page's day, a digit modelled in clay, a number
on a shop window seen from the street, a small board held up or propped, and the
non-digit marks drawn in those settings. Pictures are float32 RGB in [0, 1] until a
scene returns uint8; a coverage map is float32 (h, w), 1 = ink. Every function draws
only from the numpy Generator it is given. The camera's frames, the tilted plane and the
sensor are the sixth set's (scripts/lib/heldout_scenes6.py), a surface laid over its own
kind the ninth set's, a flat picture photographed the tenth set's.
"""

import math

import cv2
import numpy as np

from heldout_render import chalk_alpha, fbm, marker_alpha, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import desk, paper, pick
from heldout_scenes7 import wall
from heldout_scenes8 import SKINS, shifted, soft
from heldout_scenes9 import feathered, matched, rgb
from heldout_scenes10 import photographed


def surround(bare, rng):
    """What a scene's picture is laid over past its edges: bare's colours, mottled."""
    mean = np.float32(bare.reshape(-1, 3).mean(axis=0))
    return lambda work: matched(mean * (0.85 + 0.25 * fbm(work, work[0] / 3, rng))[..., None], bare)


def laid(img, alpha, colour, top, left):
    """colour (an RGB triple or a picture of alpha's size) laid with coverage alpha on img at (top, left)."""
    h, w = alpha.shape
    region = img[top:top + h, left:left + w]
    region[...] = region * (1 - alpha[..., None]) + np.asarray(colour, np.float32) * alpha[..., None]


def goods(shape, rng):
    """A shop's shelves of goods out of focus: rows of boxes, jars and packets in many colours."""
    h, w = shape
    img = np.float32(pick(rng, ([0.85, 0.83, 0.8], [0.35, 0.3, 0.26], [0.7, 0.72, 0.75]))) * np.ones((h, w, 3),
                                                                                                   np.float32)
    row = int(h * rng.uniform(0.18, 0.28))
    for y in range(-int(rng.uniform(0, row)), h, row):
        img[max(0, y + row - row // 10):y + row] = 0.25  # the shelf's board
        x = -int(rng.uniform(0, 60))
        while x < w:
            bw, bh = int(row * rng.uniform(0.25, 0.6)), int(row * rng.uniform(0.45, 0.85))
            col = rgb(np.float32([rng.uniform(0.1, 0.95) for _ in range(3)]))
            cv2.rectangle(img, (x, y + row - row // 10 - bh), (x + bw, y + row - row // 10), col, -1)
            x += bw + int(row * rng.uniform(0.02, 0.1))
    return cv2.GaussianBlur(img * (0.9 + 0.15 * fbm((h, w), h / 4, rng))[..., None], (0, 0), h / 200)


# --- price-tag ---------------------------------------------------------------------------

TAG_CARDS = ([0.97, 0.96, 0.93], [0.93, 0.86, 0.68], [0.74, 0.58, 0.4], [0.98, 0.9, 0.35], [0.98, 0.62, 0.35],
             [0.98, 0.7, 0.8], [0.75, 0.95, 0.5])
TAG_INKS = {"marker": ([0.05, 0.05, 0.07], [0.72, 0.07, 0.08], [0.08, 0.15, 0.55]),
            "print": ([0.05, 0.05, 0.07], [0.75, 0.08, 0.1])}
STRINGS = ([0.95, 0.94, 0.9], [0.8, 0.1, 0.12], [0.72, 0.58, 0.38], [0.15, 0.15, 0.15])


def tag_shape(h, w, hanging):
    """A shop tag's outline (h, w): its corners cut at the hole's end (the top when it
    hangs, the left when it lies); the coverage and the hole's centre and radius."""
    m = np.zeros((h, w), np.float32)
    c = int(min(h, w) * 0.22)
    if hanging:
        pts = [(c, 0), (w - c, 0), (w, c), (w, h), (0, h), (0, c)]
        hole = (w // 2, int(c * 0.9))
    else:
        pts = [(c, 0), (w, 0), (w, h), (c, h), (0, h - c), (0, c)]
        hole = (int(c * 0.9), h // 2)
    cv2.fillPoly(m, [np.int32(pts)], 1.0, cv2.LINE_AA)
    return m, hole, max(6, int(min(h, w) * 0.055))


def string_path(start, end, rng, sag):
    """A string's curve from start to end, sagging `sag` px sideways."""
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2 + rng.uniform(-sag, sag), (y0 + y1) / 2 + rng.uniform(-sag, sag) * 0.5
    ts = np.linspace(0, 1, 40)
    return np.int32([((1 - t) ** 2 * x0 + 2 * t * (1 - t) * mx + t * t * x1,
                      (1 - t) ** 2 * y0 + 2 * t * (1 - t) * my + t * t * y1) for t in ts])


def price_tag_photo(cov, rng, tool, where):
    """A card tag with cov written on it (a marker's strokes or print), a punched hole
    with its ring and a string through it, lying on a shelf or hanging in front of goods
    on their shelves; photographed."""
    hanging = where == "hang"
    s = 360
    h, w = (int(s * rng.uniform(1.35, 1.7)), s) if hanging else (s, int(s * rng.uniform(1.5, 2.0)))
    mask, (hx, hy), r = tag_shape(h, w, hanging)
    card = np.float32(pick(rng, TAG_CARDS))
    tag = paper((h, w), rng, card)
    ink = np.float32(pick(rng, TAG_INKS[tool]))
    if tool == "print" and rng.random() < 0.5:  # a printed frame
        cv2.rectangle(tag, (int(w * 0.06), int(h * 0.06)), (int(w * 0.94), int(h * 0.94)), rgb(ink * 0.8 + 0.2), 2)
    body = (int(h * 0.3), int(w * 0.12), int(h * 0.9), int(w * 0.88)) if hanging else \
        (int(h * 0.15), int(w * 0.28), int(h * 0.85), int(w * 0.94))
    c = fit(cov, (body[2] - body[0]) * rng.uniform(0.55, 0.8), (body[3] - body[1]) * 0.92)
    top = (body[0] + body[2] - c.shape[0]) // 2 + int(rng.uniform(-0.05, 0.05) * h)
    left = (body[1] + body[3] - c.shape[1]) // 2
    alpha = marker_alpha(c, rng) if tool == "marker" else soft(c, 0.6) * 0.95
    laid(tag, alpha, ink, top, left)
    ring = np.zeros((h, w), np.float32)
    cv2.circle(ring, (hx, hy), int(r * 1.9), 1.0, -1, cv2.LINE_AA)
    tag *= (1 - 0.12 * ring)[..., None]  # the hole's reinforcing ring
    cv2.circle(mask, (hx, hy), r, 0.0, -1, cv2.LINE_AA)
    sh, sw = int(h * rng.uniform(3.2, 4.0)), int(w * rng.uniform(3.2, 4.2))  # wide enough to fill the frame
    scene = goods((sh, sw), rng) if hanging else desk((sh, sw), np.random.default_rng(int(rng.integers(1 << 30))))
    bare = scene.copy()
    ty, tx = (sh - h) // 2 + int(sh * rng.uniform(-0.05, 0.08)), (sw - w) // 2 + int(sw * rng.uniform(-0.08, 0.08))
    off = int(s * (0.08 if hanging else 0.025))
    shade = np.zeros((sh, sw), np.float32)
    shade[ty + off:ty + off + h, tx + off:tx + off + w] = mask
    scene *= (1 - 0.4 * soft(shade, s * (0.05 if hanging else 0.015)))[..., None]
    laid(scene, mask, tag, ty, tx)
    hole = (tx + hx, ty + hy)
    end = (hole[0] + int(rng.uniform(-0.3, 0.3) * sw), -10) if hanging else \
        (-10, hole[1] + int(rng.uniform(-0.3, 0.3) * sh))
    line = np.zeros((sh, sw), np.float32)
    thick = max(3, int(s * rng.uniform(0.012, 0.022)))
    cv2.polylines(line, [string_path(hole, end, rng, s * 0.3)], False, 1.0, thick, cv2.LINE_AA)
    cv2.circle(line, hole, int(r * 0.7), 1.0, thick, cv2.LINE_AA)  # its loop through the hole
    colour = np.float32(pick(rng, STRINGS))
    scene *= (1 - 0.35 * shifted(soft(line, thick), thick, thick))[..., None]
    laid(scene, line, colour * (0.85 + 0.2 * smooth_noise((sh, sw), thick, rng))[..., None], 0, 0)
    target = (ty + top, tx + left, ty + top + c.shape[0], tx + left + c.shape[1])
    return photographed(feathered(scene, 0.08), surround(bare, rng), target, rng, (0, 35), 25, (0.15, 0.4), 15)


# --- calendar-day -------------------------------------------------------------------------

def rings(page, rng):
    """A wall calendar's wire binding along the page's top: punched holes and the loops
    of wire through them."""
    h, w = page.shape[:2]
    n = int(rng.integers(12, 24))
    gap = w / (n + 1)
    metal = np.float32(pick(rng, ([0.75, 0.76, 0.78], [0.15, 0.15, 0.17], [0.85, 0.75, 0.45])))
    for i in range(n):
        x = int(gap * (i + 1))
        cv2.circle(page, (x, int(h * 0.035)), max(3, int(gap * 0.12)), (0.12, 0.12, 0.12), -1, cv2.LINE_AA)
        cv2.ellipse(page, (x, int(h * 0.02)), (max(3, int(gap * 0.14)), int(h * 0.025)), 0, 180, 360, rgb(metal),
                    max(2, int(gap * 0.08)), cv2.LINE_AA)


def calendar_page(main_cov, words, rng, kind, ink):
    """A calendar page (800 px tall): its binding (wire rings, or a tear-off pad's glued
    strip with the torn stubs of earlier pages under it), a month word above the big
    number (or mark) and a weekday under it; the page and the main mark's box."""
    ph = 800
    pw = int(ph * rng.uniform(0.75, 1.0))
    page = paper((ph, pw), rng)
    top_band = int(ph * (0.08 if kind == "wall" else 0.1))
    if kind == "wall":
        rings(page, rng)
    else:
        page[:top_band] = np.float32(pick(rng, ([0.7, 0.1, 0.12], [0.15, 0.2, 0.45], [0.2, 0.2, 0.22])))
        y = top_band
        for x in range(0, pw, 12):  # the torn stubs of the pages before
            d = int(rng.uniform(2, 14))
            page[y:y + d, x:x + 12] *= np.float32(0.9)
        cv2.line(page, (0, y + 16), (pw, y + 16), (0.8, 0.8, 0.78), 1)
    c = fit(main_cov, ph * rng.uniform(0.38, 0.5), pw * 0.85)
    top = int(ph * rng.uniform(0.3, 0.36))
    left = (pw - c.shape[1]) // 2
    laid(page, soft(c, 0.7) * 0.95, ink, top, left)
    box = (top, left, top + c.shape[0], left + c.shape[1])
    for i, wcov in enumerate(words):  # month above, weekday under
        wc = fit(wcov, ph * rng.uniform(0.045, 0.07), pw * 0.7)
        y = (top_band + top - wc.shape[0]) // 2 + int(ph * 0.02) if i == 0 else \
            min(ph - wc.shape[0] - 20, box[2] + int(ph * rng.uniform(0.06, 0.1)))
        laid(page, soft(wc, 0.6) * 0.9, ink * 0.8 + 0.1, y, (pw - wc.shape[1]) // 2)
    return page, box


def calendar_photo(main_cov, words, rng, kind, red):
    """The page hanging on a wall (wire-bound or a tear-off pad on its board) or, a
    tear-off pad, standing on a desk: the pad's stacked edges under and beside it, its
    shadow; photographed."""
    ink = np.float32([0.78, 0.1, 0.12]) if red else np.float32([0.07, 0.07, 0.09])
    page, box = calendar_page(main_cov, words, rng, kind, ink)
    ph, pw = page.shape[:2]
    sh, sw = int(ph * rng.uniform(2.8, 3.3)), int(pw * rng.uniform(3.0, 3.8))  # wide enough to fill the frame
    on_desk = kind == "tear" and rng.random() < 0.4
    scene = desk((sh, sw), np.random.default_rng(int(rng.integers(1 << 30)))) if on_desk else wall((sh, sw), rng)[0]
    bare = scene.copy()
    ty, tx = (sh - ph) // 2, (sw - pw) // 2
    shade = np.zeros((sh, sw), np.float32)
    shade[ty + 12:ty + ph + 30, tx + 14:tx + pw + 24] = 1
    scene *= (1 - 0.35 * soft(shade, 14))[..., None]
    if kind == "tear":  # the pad's edges
        depth = int(rng.uniform(10, 26))
        for k in range(depth, 0, -2):
            scene[ty + k:ty + ph + k, tx + k // 2:tx + pw + k // 2] = np.float32([0.9, 0.89, 0.86]) * (
                0.8 + 0.2 * (k % 4 == 0))
    scene[ty:ty + ph, tx:tx + pw] = page
    target = (ty + box[0], tx + box[1], ty + box[2], tx + box[3])
    return photographed(feathered(scene, 0.08), surround(bare, rng), target, rng, (0, 30), 25, (0.2, 0.45), 10)


# --- clay-digit ------------------------------------------------------------------------------

CLAYS = ([0.85, 0.12, 0.12], [0.15, 0.35, 0.8], [0.98, 0.8, 0.15], [0.2, 0.65, 0.25], [0.95, 0.45, 0.1],
         [0.55, 0.25, 0.7], [0.97, 0.5, 0.65], [0.1, 0.65, 0.75], [0.95, 0.95, 0.92])
BOARDS = ([0.85, 0.9, 0.95], [0.92, 0.92, 0.9], [0.75, 0.88, 0.78], [0.98, 0.88, 0.7], [0.3, 0.3, 0.33])


def clay_ground(shape, rng, kind):
    """A table top, or a child's plastic modelling board (scratched, a few crumbs of clay)."""
    if kind == "table":
        return desk(shape, np.random.default_rng(int(rng.integers(1 << 30))))
    h, w = shape
    img = np.float32(pick(rng, BOARDS)) * (0.95 + 0.06 * fbm((h, w), h / 5, rng))[..., None]
    marks = np.zeros((h, w), np.float32)
    for _ in range(int(rng.integers(20, 60))):
        x, y, a, n = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0, math.pi), rng.uniform(10, 80)
        cv2.line(marks, (int(x), int(y)), (int(x + n * math.cos(a)), int(y + n * math.sin(a))), 1.0, 1)
    return img * (1 - 0.08 * marks)[..., None]


def clay_paint(cov, width, colour, rng):
    """A coil of modelling clay along cov's strokes, `width` px thick: its edge wavy, a
    rounded top lit from the upper left with a dull sheen, finger marks pressed into it.
    Returns the colour picture and the coverage."""
    h, w = cov.shape
    r = max(2.0, width / 2)
    wobble = smooth_noise((h, w), r * 1.5, rng) - 0.5
    inside = np.uint8(soft(cov, r * 0.2) + 0.35 * wobble > 0.5)
    d = cv2.distanceTransform(inside, cv2.DIST_L2, 5)
    height = np.sqrt(np.clip(1 - (1 - np.minimum(d, r) / r) ** 2, 0, 1)) * r
    ys, xs = np.nonzero(inside)
    for i in rng.choice(len(ys), size=min(len(ys), int(rng.integers(4, 10))), replace=False):  # fingerprints
        dent = np.zeros((h, w), np.float32)
        cv2.ellipse(dent, (int(xs[i]), int(ys[i])), (int(r * 0.7), int(r * 0.45)), rng.uniform(0, 180), 0, 360, 1.0,
                    -1)
        height -= soft(dent, r * 0.25) * r * 0.35
    height += smooth_noise((h, w), r * 0.4, rng) * r * 0.08
    hy, hx = np.gradient(soft(height, 1.0))
    light = np.float32([-0.5, -0.6, 0.62])
    light /= np.linalg.norm(light)
    n = np.sqrt(hx ** 2 + hy ** 2 + 1)
    shade = (-hx * light[0] - hy * light[1] + light[2]) / n
    sheen = np.clip(shade - 0.85, 0, 1) * 2.5
    img = np.float32(colour) * np.clip(0.35 + 0.75 * shade, 0.2, 1.1)[..., None] + sheen[..., None] * 0.35
    return img, soft(np.float32(inside), 0.8)


def clay_photo(cov, width_fraction, rng, ground):
    """The mark modelled in clay (`width_fraction` of cov's height thick) on a table or a
    modelling board, its soft shadow; photographed from above."""
    side = 1600
    shape = (side, int(side * rng.uniform(1.1, 1.35)))
    img = clay_ground(shape, rng, ground)
    bare = img.copy()
    c = fit(cov, side * rng.uniform(0.2, 0.26), shape[1] * 0.4)
    width = max(4.0, width_fraction * c.shape[0])
    m = int(min(width, 0.2 * c.shape[0]) * 1.5) + 20  # room for the coil's wobble and its shadow
    c = np.pad(c, m)
    under = img.reshape(-1, 3).mean(axis=0)
    for _ in range(20):  # a clay that stands out from what it lies on
        colour = pick(rng, CLAYS)
        if np.abs(np.float32(colour) - under).sum() > 0.5:
            break
    paint, alpha = clay_paint(c, width, colour, rng)
    top, left = (shape[0] - c.shape[0]) // 2 + int(rng.uniform(-0.05, 0.05) * side), (shape[1] - c.shape[1]) // 2
    lift = min(width, 0.2 * (c.shape[0] - 2 * m))  # a ball's shadow no longer than a coil's
    shadow = shifted(soft(alpha, lift * 0.5), int(lift * 0.3), int(lift * 0.35)) * 0.5
    region = img[top:top + c.shape[0], left:left + c.shape[1]]
    region *= (1 - shadow)[..., None]
    region[...] = region * (1 - alpha[..., None]) + paint * alpha[..., None]
    target = (top + m, left + m, top + c.shape[0] - m, left + c.shape[1] - m)
    return photographed(feathered(img, 0.1), surround(bare, rng), target, rng, (0, 15), 10, (0.3, 0.5), 12)


# --- shop-window ------------------------------------------------------------------------------

VINYLS = ([0.97, 0.97, 0.95], [0.95, 0.82, 0.45], [0.98, 0.92, 0.75], [0.75, 0.88, 0.98], [0.98, 0.85, 0.88])


def street_reflection(shape, rng):
    """The street behind the photographer as the glass gives it back: a sky over house
    fronts and a pale band of glare slanting across, soft; added to what is seen."""
    h, w = shape
    img = np.zeros((h, w, 3), np.float32)
    horizon = int(h * rng.uniform(0.15, 0.45))
    img[:horizon] = np.float32([0.75, 0.82, 0.95])
    x = -int(rng.uniform(0, 100))
    while x < w:  # house fronts, cars
        bw = int(w * rng.uniform(0.08, 0.25))
        tone = rgb(np.float32([rng.uniform(0.2, 0.8)] * 3) * np.float32([1, 0.95, 0.9]))
        cv2.rectangle(img, (x, int(horizon * rng.uniform(0.3, 1.0))), (x + bw, h), tone, -1)
        x += bw
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0.3, 1.2)
    band = np.exp(-((xx * math.cos(a) + yy * math.sin(a) - rng.uniform(0.2, 0.8) * (w + h) * 0.7) /
                    (w * rng.uniform(0.06, 0.18))) ** 2)
    img += 0.6 * band[..., None]
    return cv2.GaussianBlur(img, (0, 0), h / rng.uniform(60, 150))


def shop_window_photo(cov, rng, kind, words=()):
    """cov stuck on a shop window as vinyl (crisp, opaque) or painted (brushed, a little
    uneven), light on the glass, the shop's lit or dark inside behind it, the street's
    reflection crossing everything, the window's frame at an edge; photographed from
    outside."""
    gh, gw = 1300, int(1300 * rng.uniform(1.1, 1.5))
    dark = rng.random() < 0.5
    inside = goods((gh, gw), rng) * np.float32(rng.uniform(0.2, 0.4) if dark else rng.uniform(0.55, 0.8))
    for _ in range(int(rng.integers(1, 5))):  # lamps inside
        cv2.circle(inside, (int(rng.uniform(0, gw)), int(rng.uniform(0, gh * 0.3))), int(gh * 0.03),
                   (1.3, 1.15, 0.85), -1)
    inside = cv2.GaussianBlur(inside, (0, 0), gh / 150)
    colour = np.float32(pick(rng, VINYLS))
    c = fit(cov, gh * rng.uniform(0.3, 0.45), gw * 0.7)
    top, left = int(gh * rng.uniform(0.3, 0.45)), (gw - c.shape[1]) // 2 + int(gw * rng.uniform(-0.08, 0.08))
    a = np.zeros((gh, gw), np.float32)
    ca = soft(c, 0.8)
    if kind == "paint":
        ca = ca * np.clip(0.75 + 0.3 * smooth_noise(c.shape, c.shape[0] / 20, rng, c.shape[0] / 4), 0, 1)
    a[top:top + c.shape[0], left:left + c.shape[1]] = ca * 0.95
    for i, wcov in enumerate(words):  # the shop's name above, small
        wc = fit(wcov, gh * rng.uniform(0.07, 0.1), gw * 0.7)
        y = max(10, top - wc.shape[0] - int(gh * 0.08))
        x = (gw - wc.shape[1]) // 2
        a[y:y + wc.shape[0], x:x + wc.shape[1]] = np.maximum(a[y:y + wc.shape[0], x:x + wc.shape[1]], soft(wc, 0.8))
    glass = inside * (1 - a[..., None]) + colour * a[..., None]
    strength = rng.uniform(0.2, 0.4)
    glass = glass + strength * street_reflection((gh, gw), rng) * (1 - 0.6 * glass)
    bar = int(gw * rng.uniform(0.04, 0.07))
    frame = np.float32(pick(rng, ([0.12, 0.12, 0.13], [0.75, 0.76, 0.78], [0.25, 0.35, 0.3], [0.9, 0.9, 0.88])))
    fh, fw = gh + 2 * bar, gw + 2 * bar
    sh, sw = int(fh * rng.uniform(1.3, 1.6)), int(fw * rng.uniform(1.3, 1.6))
    scene = wall((sh, sw), rng)[0]  # the shop's front round its window
    bare = scene.copy()
    ty, tx = int((sh - fh) * rng.uniform(0.3, 0.5)), (sw - fw) // 2
    scene[ty:ty + fh, tx:tx + fw] = frame * (0.85 + 0.2 * fbm((fh, fw), fh / 6, rng))[..., None]
    scene[ty + fh:ty + fh + bar] = frame * 0.7  # the sill
    scene[ty + bar:ty + bar + gh, tx + bar:tx + bar + gw] = glass
    target = (ty + bar + top, tx + bar + left, ty + bar + top + c.shape[0], tx + bar + left + c.shape[1])
    return photographed(feathered(scene, 0.05), surround(bare, rng), target, rng, (0, 20), 30, (0.2, 0.45), 8)


# --- tally-board -----------------------------------------------------------------------------

BOARD_KINDS = {"white": [0.95, 0.95, 0.94], "green": [0.16, 0.34, 0.25], "slate": [0.2, 0.21, 0.23]}
BOARD_INKS = {"white": ([0.05, 0.05, 0.08], [0.08, 0.18, 0.65], [0.75, 0.08, 0.1], [0.05, 0.45, 0.2]),
              "green": ([0.96, 0.96, 0.92], [0.98, 0.92, 0.5]), "slate": ([0.96, 0.96, 0.94], [0.98, 0.85, 0.9])}


def small_board(cov, rng, kind):
    """A small board (white with an aluminium frame, green or slate with a wooden one)
    with cov written on it (a marker on white, chalk on the others) and the ghosts of
    earlier writing wiped off; the board and the mark's box."""
    bh = 700
    bw = int(bh * rng.uniform(1.2, 1.5)) if rng.random() < 0.65 else int(bh * rng.uniform(0.7, 0.85))
    base = np.float32(BOARD_KINDS[kind])
    img = base * (0.95 + 0.08 * fbm((bh, bw), bh / 5, rng))[..., None]
    ghost = smooth_noise((bh, bw), bh / 20, rng, bh / 4)
    img = img * (1 - 0.05 * ghost[..., None]) if kind == "white" else img + 0.06 * ghost[..., None]
    f = int(bh * rng.uniform(0.04, 0.06))
    wood = np.float32(pick(rng, ([0.65, 0.48, 0.3], [0.45, 0.3, 0.18])))
    rim = np.float32([0.78, 0.79, 0.8]) if kind == "white" else wood
    img[:f], img[-f:], img[:, :f], img[:, -f:] = rim, rim * 0.85, rim * 0.95, rim * 0.9
    c = fit(cov, bh * rng.uniform(0.5, 0.65), bw * 0.6)
    top, left = (bh - c.shape[0]) // 2 + int(bh * rng.uniform(-0.04, 0.04)), (bw - c.shape[1]) // 2
    alpha = marker_alpha(c, rng) if kind == "white" else chalk_alpha(c, rng)
    laid(img, alpha, pick(rng, BOARD_INKS[kind]), top, left)
    return img, (top, left, top + c.shape[0], left + c.shape[1])


def fingers_over(scene, board_box, rng):
    """A hand holding the board by its lower left or right corner or its bottom: the
    palm behind it below, three or four fingers' tips (or a thumb) over its edge."""
    t, l, b, r = board_box
    bh = b - t
    colour = np.float32(pick(rng, SKINS))
    m = np.zeros(scene.shape[:2], np.float32)
    side = pick(rng, ("left", "right", "bottom"))
    fw = int(bh * rng.uniform(0.07, 0.09))
    reach = int(bh * rng.uniform(0.06, 0.1))
    if side == "bottom":
        x0 = int(rng.uniform(l + (r - l) * 0.2, r - (r - l) * 0.35))
        cv2.ellipse(m, (x0 + fw, b + int(bh * 0.2)), (int(fw * 2.5), int(bh * 0.22)), 0, 0, 360, 1.0, -1)
        cv2.line(m, (x0 + fw, b + int(bh * 0.2)), (x0 + fw + int(bh * rng.uniform(-0.3, 0.3)), b + bh), 1.0,
                 int(fw * 3.6))  # the forearm
        a = math.radians(rng.uniform(15, 40)) * pick(rng, (-1, 1))  # a thumb over the front, slanting
        tip = (int(x0 + fw + math.sin(a) * reach * 2.5), b - reach)
        cv2.line(m, (x0 + fw, b + fw), tip, 1.0, int(fw * 1.15), cv2.LINE_AA)
        cv2.circle(m, tip, int(fw * 0.57), 1.0, -1, cv2.LINE_AA)
    else:
        x = l if side == "left" else r
        sgn = 1 if side == "left" else -1
        y0 = int(rng.uniform(t + bh * 0.45, b - bh * 0.25))
        cv2.ellipse(m, (x - sgn * int(bh * 0.12), y0), (int(bh * 0.16), int(bh * 0.25)), 0, 0, 360, 1.0, -1)
        cv2.line(m, (x - sgn * int(bh * 0.12), y0), (x - sgn * int(bh * 0.6), y0 + int(bh * 0.9)), 1.0,
                 int(bh * 0.24))  # the forearm
        for k in range(int(rng.integers(3, 5))):  # fingers round the edge
            y = y0 - int(fw * 1.6) + k * int(fw * 1.05)
            cv2.line(m, (x - sgn * fw, y), (x + sgn * reach, y), 1.0, fw, cv2.LINE_AA)
            cv2.circle(m, (x + sgn * reach, y), fw // 2, 1.0, -1, cv2.LINE_AA)
    m = soft(m, 1.5)
    d = cv2.distanceTransform(np.uint8(m > 0.5), cv2.DIST_L2, 5)
    shade = np.clip(0.65 + 0.35 * d / (fw * 0.5), 0.6, 1.05)
    skin = colour * shade[..., None] * (0.95 + 0.08 * fbm(m.shape, fw, rng))[..., None]
    scene *= (1 - 0.35 * shifted(soft(m, fw * 0.4), fw // 3, fw // 3))[..., None]
    scene[...] = scene * (1 - m[..., None]) + skin * m[..., None]


def room(shape, rng):
    """A room out of focus: a wall, a shelf's or a window's bright block, a door's edge."""
    h, w = shape
    img = wall(shape, rng)[0]
    for _ in range(int(rng.integers(1, 4))):
        x, y = int(rng.uniform(0, w)), int(rng.uniform(0, h))
        col = rgb(np.float32([rng.uniform(0.2, 1.0) for _ in range(3)]))
        cv2.rectangle(img, (x, y), (x + int(w * rng.uniform(0.1, 0.3)), y + int(h * rng.uniform(0.1, 0.4))), col, -1)
    return cv2.GaussianBlur(img, (0, 0), h / 80)


def tally_photo(cov, rng, kind):
    """The board held up in a hand in front of a room out of focus, or propped against
    a wall on a table; photographed indoors."""
    board, box = small_board(cov, rng, kind)
    bh, bw = board.shape[:2]
    sh, sw = int(bh * rng.uniform(2.5, 3.0)), int(bw * rng.uniform(2.4, 3.0))  # wide enough to fill the frame
    held = rng.random() < 0.65
    scene = room((sh, sw), rng)
    ty, tx = (sh - bh) // 2, (sw - bw) // 2
    if not held:  # the table it stands on, the wall behind
        table = ty + bh - int(bh * 0.02)
        scene[table:] = desk((sh - table, sw), np.random.default_rng(int(rng.integers(1 << 30))))
    bare = scene.copy()
    shade = np.zeros((sh, sw), np.float32)
    shade[ty + 20:ty + bh + 20, tx + 25:tx + bw + 25] = 1
    scene *= (1 - 0.35 * soft(shade, 25 if held else 12))[..., None]
    scene[ty:ty + bh, tx:tx + bw] = board
    if held:
        fingers_over(scene, (ty, tx, ty + bh, tx + bw), rng)
    target = (ty + box[0], tx + box[1], ty + box[2], tx + box[3])
    return photographed(feathered(scene, 0.06), surround(bare, rng), target, rng, (0, 22), 25, (0.25, 0.5), 12)


# --- Non-digit marks ------------------------------------------------------------------------

def cross_paths(rng):
    a = rng.uniform(-0.08, 0.08)
    return [[(0.1, 0.1 + a), (0.9, 0.9)], [(0.9, 0.1), (0.1, 0.9 - a)]]


def snake_paths(rng):
    """A clay snake: a wave lying flat, much wider than tall, a head at one end."""
    n, amp = rng.uniform(1.5, 2.5), rng.uniform(0.08, 0.14)
    pts = [(x, 0.5 + amp * math.sin(x * n * 2 * math.pi)) for x in np.linspace(0.05, 0.95, 60)]
    return [pts]


def ball_cov(size=300):
    out = np.zeros((size, size), np.float32)
    cv2.circle(out, (size // 2, size // 2), int(size * 0.45), 1.0, -1, cv2.LINE_AA)
    return out
