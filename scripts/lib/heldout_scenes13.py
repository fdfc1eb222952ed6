"""Scenes of the thirteenth held-out set (scripts/make-heldout-set13.py), painted afresh: a
number in a red ring or on a route shield, a sign on a pole by a road; a page number at the
foot of a printed book page under lines of text; a child's worksheet of dotted guide digits
in boxes, traced over in pencil or crayon; a numbered lottery or pool ball; a lift's call
button with its raised number and braille; and the non-digit marks drawn in those
settings. Pictures are float32 RGB in [0, 1] until a scene returns uint8; a coverage map is
float32 (h, w), 1 = ink. Every function draws only from the numpy Generator it is given.
A flat picture photographed is the tenth set's (scripts/lib/heldout_scenes10.py), laid over
its own kind round its edges the eleventh set's, lit in relief the twelfth set's.
"""

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from heldout_render import fbm, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import desk, paper, pick
from heldout_scenes7 import crayon_alpha
from heldout_scenes8 import shifted, soft
from heldout_scenes9 import feathered
from heldout_scenes10 import photographed
from heldout_scenes11 import laid, surround
from heldout_scenes12 import lit_relief


def centred(img, cov, colour, box):
    """cov laid in colour, centred in box (top, left, bottom, right) of img (a picture, or
    a coverage that takes the greater)."""
    t, l, b, r = box
    top, left = t + (b - t - cov.shape[0]) // 2, l + (r - l - cov.shape[1]) // 2
    if img.ndim == 2:
        region = img[top:top + cov.shape[0], left:left + cov.shape[1]]
        np.maximum(region, cov * colour, out=region)
    else:
        laid(img, cov, colour, top, left)
    return top, left


# --- speed-sign ------------------------------------------------------------------------------

SHIELDS = {"blue": ([0.1, 0.25, 0.6], [0.97, 0.97, 0.95]), "green": ([0.05, 0.38, 0.22], [0.98, 0.85, 0.15]),
           "brown": ([0.4, 0.22, 0.1], [0.97, 0.97, 0.95])}


def roadside(shape, rng):
    """A road's side in daylight: sky, a line of trees or hedge, a verge of grass, the
    road's grey tarmac with its white edge line at the bottom."""
    h, w = shape
    sky = np.float32(pick(rng, ([0.55, 0.7, 0.9], [0.75, 0.8, 0.86], [0.85, 0.85, 0.88])))
    img = sky * (0.9 + 0.15 * fbm((h, w), h / 4, rng))[..., None] * np.ones((h, w, 3), np.float32)
    trees = h * rng.uniform(0.45, 0.6)
    line = trees - h * (0.1 * smooth_noise((2, w), 1, rng, w / 8)[0] + 0.04 * smooth_noise((2, w), 1, rng, w / 60)[0])
    rows = np.arange(h, dtype=np.float32)[:, None]
    green = np.float32(pick(rng, ([0.16, 0.26, 0.12], [0.25, 0.32, 0.16], [0.3, 0.3, 0.2])))
    img = np.where((rows >= line[None, :])[..., None], green * (0.6 + 0.6 * fbm((h, w), h / 40, rng))[..., None], img)
    verge, road = int(h * rng.uniform(0.7, 0.76)), int(h * rng.uniform(0.82, 0.88))
    img[verge:] = np.float32([0.35, 0.5, 0.2]) * (0.8 + 0.3 * fbm((h - verge, w), h / 30, rng))[..., None]
    img[road:] = np.float32([0.33, 0.33, 0.34]) * (0.85 + 0.2 * fbm((h - road, w), h / 60, rng))[..., None]
    img[road + int(h * 0.03):road + int(h * 0.04)] = 0.9
    return img


def sign_face(cov, rng, kind):
    """The sign's picture and its coverage: a white disc in a red ring with cov in black,
    or a rounded shield panel with cov in its letter colour inside a border line."""
    s = 700
    if kind == "ring":
        img, mask = np.ones((s, s, 3), np.float32), np.zeros((s, s), np.float32)
        cv2.circle(mask, (s // 2, s // 2), s // 2 - 4, 1.0, -1, cv2.LINE_AA)
        img[...] = np.float32([0.96, 0.96, 0.94])
        cv2.circle(img, (s // 2, s // 2), int(s * 0.43), (0.8, 0.08, 0.1), int(s * 0.11), cv2.LINE_AA)
        cv2.circle(img, (s // 2, s // 2), s // 2 - 6, (0.6, 0.6, 0.62), 6, cv2.LINE_AA)
        c = fit(cov, s * rng.uniform(0.36, 0.42), s * 0.56)
        centred(img, soft(c, 0.7), [0.05, 0.05, 0.06], (0, 0, s, s))
    else:
        back, ink = (np.float32(c) for c in SHIELDS[pick(rng, tuple(SHIELDS))])
        c = fit(cov, s * rng.uniform(0.5, 0.6), s * 1.3)
        w = max(int(s * 0.9), c.shape[1] + int(s * 0.35))
        img, mask = np.ones((s, w, 3), np.float32) * back, np.zeros((s, w), np.float32)
        r = int(s * 0.12)
        cv2.rectangle(mask, (r, 0), (w - r, s), 1.0, -1)
        cv2.rectangle(mask, (0, r), (w, s - r), 1.0, -1)
        for x, y in ((r, r), (w - r, r), (r, s - r), (w - r, s - r)):
            cv2.circle(mask, (x, y), r, 1.0, -1, cv2.LINE_AA)
        inner = np.zeros((s, w), np.float32)
        cv2.rectangle(inner, (int(s * 0.05), int(s * 0.05)), (w - int(s * 0.05), s - int(s * 0.05)), 1.0,
                      max(4, s // 60), cv2.LINE_AA)
        laid(img, inner, ink, 0, 0)
        centred(img, soft(c, 0.7), ink, (0, 0, s, w))
    dirt = 0.9 + 0.12 * fbm(mask.shape, s / 5, rng)
    return img * dirt[..., None], mask


def sign_photo(cov, rng, kind):
    """cov on a sign (a red ring or a shield) on a grey pole at a road's side, trees and
    the sky behind; photographed from the road, at an angle."""
    sh = 1800
    sw = int(sh * rng.uniform(1.6, 1.9))
    img = roadside((sh, sw), rng)
    bare = img.copy()
    face, mask = sign_face(cov, rng, kind)
    size = sh * rng.uniform(0.13, 0.18) / mask.shape[0]
    fh, fw = int(mask.shape[0] * size), int(mask.shape[1] * size)
    face = cv2.resize(face, (fw, fh), interpolation=cv2.INTER_AREA)
    mask = cv2.resize(mask, (fw, fh), interpolation=cv2.INTER_AREA)
    top, left = int(sh * rng.uniform(0.36, 0.46)), int((sw - fw) * rng.uniform(0.35, 0.65))
    pole_w = max(8, int(fw * 0.07))
    px = left + fw // 2 - pole_w // 2
    ground = int(sh * rng.uniform(0.74, 0.8))
    shade = np.linspace(0.55, 0.85, pole_w, dtype=np.float32)[None, :, None]
    img[top + fh // 2:ground, px:px + pole_w] = np.float32([0.62, 0.63, 0.65]) * shade
    laid(img, mask, face, top, left)
    if rng.random() < 0.5:  # a second, blank post or a marker post further off
        x = int(sw * pick(rng, (0.1, 0.85)))
        img[int(sh * 0.5):int(sh * 0.76), x:x + pole_w // 2] = np.float32([0.85, 0.85, 0.83])
    target = (top, left, top + fh, left + fw)
    return photographed(feathered(img, 0.02), surround(bare, rng), target, rng, (0, 10), 40, (0.22, 0.5), 6)


# --- book-page -------------------------------------------------------------------------------

def typeset(text, font_path, px):
    """A line of text at px pixels: coverage (about 1.3 px tall, the baseline at px) cropped
    at its ink's left and right."""
    font = ImageFont.truetype(font_path, px)
    width = int(font.getlength(text)) + px
    img = Image.new("L", (width, int(px * 1.35)), 0)
    ImageDraw.Draw(img).text((px // 4, int(px * 1.05)), text, font=font, fill=255, anchor="ls")
    cov = np.asarray(img, np.float32) / 255.0
    cols = np.nonzero(cov.max(axis=0) > 0.1)[0]
    return cov[:, cols[0]:cols[-1] + 1] if len(cols) else cov


def fill_line(words, font_path, px, width, rng, short=False):
    """Words (a list to draw from) typeset to about `width` px, shorter at a paragraph's end."""
    font = ImageFont.truetype(font_path, px)
    goal = width * (rng.uniform(0.25, 0.8) if short else 1.0)
    text = pick(rng, words)
    while True:
        more = text + " " + pick(rng, words)
        if font.getlength(more) > goal:
            return text
        text = more


def book_page(number_cov_fn, font_path, words, rng, where):
    """A printed book page: a block of text lines, a line's gap, and at its foot the page
    number (number_cov_fn(px), typeset at the text's size) centred or at the outer corner;
    the spine's shadow on the inner side. The page, the number's box and the bare page."""
    ph = 1600
    pw = int(ph * rng.uniform(0.62, 0.7))
    img = paper((ph, pw), rng, pick(rng, ([0.97, 0.95, 0.9], [0.95, 0.93, 0.85], [0.98, 0.98, 0.96])))
    bare = img.copy()
    px = int(rng.uniform(30, 40))
    lead = px * rng.uniform(1.3, 1.5)
    margin_l, margin_r = int(pw * 0.12), int(pw * 0.12)
    width = pw - margin_l - margin_r
    foot = int(ph * rng.uniform(0.9, 0.94))
    y = int(ph * rng.uniform(0.06, 0.3))
    ink = np.float32([0.08, 0.08, 0.09])
    lines = 0
    while y + lead * 2.2 < foot:
        short = rng.random() < 0.12
        line = typeset(fill_line(words, font_path, px, width, rng, short), font_path, px)
        x = margin_l + (int(px * 1.5) if lines and rng.random() < 0.12 else 0)
        line = line[:, :max(1, min(line.shape[1], pw - margin_r - x))]
        laid(img, line, ink, int(y), x)
        y += lead
        lines += 1
    num = number_cov_fn(px)
    top = foot - int(px * 1.05)
    spine = pick(rng, (-1, 1))  # -1: the spine at the left (a right-hand page)
    if where == "foot":
        left = (pw - num.shape[1]) // 2
    else:
        left = pw - margin_r - num.shape[1] if spine < 0 else margin_l
    laid(img, num, ink, top, left)
    box = (top + int(px * 0.35), left, top + int(px * 1.05), left + num.shape[1])  # cap height to baseline
    x = np.linspace(0, 1, pw, dtype=np.float32)[::-spine if spine > 0 else 1]
    gutter = 1 - 0.45 * np.exp(-x / rng.uniform(0.04, 0.09))
    img *= gutter[None, :, None]
    return img, box, bare


def book_photo(number_cov_fn, font_path, words, rng, where):
    """A book page with its number at the foot, photographed open on a desk."""
    img, box, bare = book_page(number_cov_fn, font_path, words, rng, where)
    t, l, b, r = box
    h = b - t
    target = (t - int(h * 0.3), l - int(h * 0.3), b + int(h * 0.3), r + int(h * 0.3))
    return photographed(feathered(img, 0.02), lambda work: desk(work, rng), target, rng, (0, 25), 20,
                        (0.06, 0.13), 8)


# --- trace-worksheet -------------------------------------------------------------------------

GUIDE_GREY = np.float32([0.62, 0.62, 0.64])
PENCIL = np.float32([0.3, 0.3, 0.33])
CRAYONS = ([0.8, 0.12, 0.12], [0.12, 0.25, 0.75], [0.1, 0.5, 0.2], [0.45, 0.15, 0.55], [0.9, 0.42, 0.05],
           [0.15, 0.12, 0.1])


def dotted(cov, step, radius):
    """cov's centre line as a row of dots `step` px apart, each `radius` px: a worksheet's
    guide to trace."""
    skel = cv2.ximgproc.thinning(np.uint8(cov > 0.5) * 255, thinningType=cv2.ximgproc.THINNING_GUOHALL)
    ys, xs = np.nonzero(skel)
    out = np.zeros(cov.shape, np.float32)
    taken = np.zeros(cov.shape, np.uint8)
    for y, x in zip(ys, xs):
        if taken[y, x]:
            continue
        cv2.circle(taken, (int(x), int(y)), int(step), 1, -1)
        cv2.circle(out, (int(x), int(y)), max(1, int(radius)), 1.0, -1, cv2.LINE_AA)
    return out


def worksheet_photo(guides, traces, title_cov, rng, pencil, empties):
    """A worksheet: a title, a row of boxes with a dashed middle line, in the first boxes
    grey dotted guides (coverages) and a child's traces over them (coverages, drawn a
    little off the dots), `empties` boxes left to do; photographed on a desk."""
    bs = 340
    n = len(guides) + empties
    pw = max(int(bs * (n + 0.6) + bs * 0.15 * (n - 1)), int(bs * 3.6))
    ph = int(pw * rng.uniform(1.2, 1.4))
    img = paper((ph, pw), rng, [0.98, 0.98, 0.97])
    bare = img.copy()
    tooth = smooth_noise((ph, pw), 1.2, rng)
    tc = fit(title_cov, bs * 0.22, pw * 0.6)
    laid(img, soft(tc, 0.6), [0.15, 0.15, 0.18], int(ph * 0.06), int(pw * 0.08))
    row_y = int(ph * rng.uniform(0.25, 0.55))
    x0 = (pw - int(bs * n + bs * 0.15 * (n - 1))) // 2
    colour = PENCIL if pencil else np.float32(pick(rng, CRAYONS))
    target = None
    for k in range(n):
        x = x0 + int(k * bs * 1.15)
        cv2.rectangle(img, (x, row_y), (x + bs, row_y + bs), (0.45, 0.55, 0.75), 3, cv2.LINE_AA)
        for dx in range(x + 8, x + bs - 8, 24):  # the dashed middle line
            cv2.line(img, (dx, row_y + bs // 2), (dx + 12, row_y + bs // 2), (0.7, 0.75, 0.88), 2)
        if k >= len(guides):
            continue
        g = fit(guides[k], bs * 0.78, bs * 0.8)
        gd = dotted(g, max(6, bs // 26), max(3, bs // 80))
        gt, gl = centred(img, soft(gd, 0.6), GUIDE_GREY, (row_y, x, row_y + bs, x + bs))
        t = fit(traces[k], g.shape[0] * rng.uniform(0.9, 1.05), bs * 0.9)
        ty = gt + (g.shape[0] - t.shape[0]) // 2 + int(bs * rng.uniform(-0.05, 0.05))
        tx = gl + (g.shape[1] - t.shape[1]) // 2 + int(bs * rng.uniform(-0.06, 0.06))
        ty, tx = min(max(ty, row_y + 4), row_y + bs - t.shape[0] - 4), min(max(tx, x + 4), x + bs - t.shape[1] - 4)
        alpha = crayon_alpha(t, tooth[ty:ty + t.shape[0], tx:tx + t.shape[1]], rng, pencil)
        laid(img, alpha, colour, ty, tx)
        box = (row_y, x, row_y + bs, x + bs)
        target = box if target is None else (target[0], target[1], box[2], box[3])
    return photographed(feathered(img, 0.03), surround(bare, rng) if rng.random() < 0.3 else
                        (lambda work: desk(work, rng)), target, rng, (0, 25), 20, (0.25, 0.55), 10)


# --- number-ball ---------------------------------------------------------------------------

POOL = {"1": [0.95, 0.75, 0.05], "2": [0.08, 0.2, 0.7], "3": [0.85, 0.1, 0.1], "4": [0.35, 0.12, 0.5],
        "5": [0.95, 0.45, 0.05], "6": [0.05, 0.45, 0.2], "7": [0.45, 0.08, 0.1], "8": [0.05, 0.05, 0.05],
        "9": [0.95, 0.75, 0.05]}
LOTTO = ([0.95, 0.85, 0.1], [0.2, 0.45, 0.9], [0.9, 0.2, 0.2], [0.2, 0.7, 0.3], [0.95, 0.5, 0.75],
         [0.96, 0.96, 0.95], [0.6, 0.3, 0.8], [0.98, 0.55, 0.1])


def ball(decal, colour, radius, rng, disc_angle, stripe=False):
    """A glossy ball `radius` px seen from the front, turned a little: its colour, a white
    disc `disc_angle` (radians) round on it with decal (a square coverage) printed on
    the disc, a white band left and right of a stripe; the picture and its coverage."""
    r = int(radius)
    yy, xx = np.mgrid[-r:r + 1, -r:r + 1].astype(np.float32) / radius
    inside = np.clip((1 - np.sqrt(xx ** 2 + yy ** 2)) * radius, 0, 1)
    nz = np.sqrt(np.clip(1 - xx ** 2 - yy ** 2, 0, 1))
    yaw, pitch = rng.uniform(-0.55, 0.55), rng.uniform(-0.45, 0.45)
    cy, sy, cp, sp = math.cos(yaw), math.sin(yaw), math.cos(pitch), math.sin(pitch)
    x1, z1 = xx * cy + nz * sy, -xx * sy + nz * cy  # turned about the vertical axis
    y2, z2 = yy * cp + z1 * sp, -yy * sp + z1 * cp  # and tipped
    u, v = np.arctan2(x1, z2), np.arcsin(np.clip(y2, -1, 1))
    on_disc = np.hypot(u, v) < disc_angle - 1e-3
    s = decal.shape[0]
    disc_angle = max(disc_angle, 1e-3)  # a plain ball: no disc
    mx = np.float32((u / disc_angle * 0.5 + 0.5) * s)
    my = np.float32((v / disc_angle * 0.5 + 0.5) * s)
    ink = cv2.remap(decal, mx, my, cv2.INTER_LINEAR, borderValue=0) * on_disc
    base = np.float32(colour) * np.ones(xx.shape + (3,), np.float32)
    white = np.float32([0.96, 0.96, 0.93])
    if stripe:
        base[np.abs(y2) > 0.5] = white
    disc = soft(np.float32(on_disc & (z2 > 0)), 1.0)
    img = base * (1 - disc[..., None]) + white * disc[..., None]
    img = img * (1 - ink[..., None]) + np.float32([0.04, 0.04, 0.05]) * ink[..., None]
    light = np.float32([-0.45, -0.55, 0.7])
    light /= np.linalg.norm(light)
    lambert = np.clip(xx * light[0] + yy * light[1] + nz * light[2], 0, 1)
    spec = np.clip(xx * light[0] + yy * light[1] + nz * light[2], 0, 1) ** 60
    img = img * (0.3 + 0.8 * lambert)[..., None] + (spec * 0.9)[..., None]
    return img, inside


def ball_decal(cov, rng, underline):
    """The square print of a ball's number: cov centred, a bar under it (6 and 9) where underline."""
    s = 400
    out = np.zeros((s, s), np.float32)
    c = fit(cov, s * rng.uniform(0.5, 0.58), s * 0.78)
    top, left = centred(out, c, 1.0, (0, 0, s, s))
    if underline:
        y = top + c.shape[0] + int(s * 0.04)
        cv2.rectangle(out, (left + c.shape[1] // 6, y), (left + c.shape[1] * 5 // 6, y + int(s * 0.04)), 1.0, -1)
    return out


def ball_photo(decal, rng, kind, colour, stripe=False):
    """A numbered ball (a pool ball on its table's felt among plain balls turned away, or a
    lottery ball on a tray or a desk) with its shadow; photographed from above at an angle."""
    sh = 1400
    sw = int(sh * rng.uniform(1.2, 1.5))
    if kind == "pool":
        felt = np.float32(pick(rng, ([0.05, 0.4, 0.2], [0.1, 0.3, 0.55], [0.45, 0.08, 0.12])))
        img = felt * (0.85 + 0.15 * fbm((sh, sw), sh / 30, rng))[..., None] * np.ones((sh, sw, 3), np.float32)
        if rng.random() < 0.5:  # the cushion
            img[:int(sh * 0.12)] *= 0.6
    else:
        img = desk((sh, sw), np.random.default_rng(int(rng.integers(1 << 30))))
    bare = img.copy()
    radius = sh * rng.uniform(0.09, 0.11)
    placed = []
    cx, cy = int(sw * rng.uniform(0.4, 0.6)), int(sh * rng.uniform(0.45, 0.6))
    others = int(rng.integers(0, 4))
    for k in range(others + 1):  # the numbered ball last, on top
        if k < others:
            a = rng.uniform(0, 2 * math.pi)
            d = radius * rng.uniform(2.3, 3.5)
            bx, by = int(cx + d * math.cos(a)), int(cy + d * math.sin(a))
            col = pick(rng, list(POOL.values()) if kind == "pool" else LOTTO)
            img_b, mask = ball(np.zeros((8, 8), np.float32), col, radius, rng, 0.0)
        else:
            bx, by = cx, cy
            img_b, mask = ball(decal, colour, radius, rng, 0.42 if kind == "pool" else 0.62,
                               stripe)
        r = mask.shape[0] // 2
        if not (r <= by < sh - r and r <= bx < sw - r):
            continue
        shadow = np.zeros((sh, sw), np.float32)
        cv2.ellipse(shadow, (bx + int(r * 0.35), by + int(r * 0.45)), (r, int(r * 0.8)), 20, 0, 360, 1.0, -1)
        img *= (1 - 0.55 * soft(shadow, r * 0.25))[..., None]
        laid(img, mask, img_b, by - r, bx - r)
        placed.append((by - r, bx - r, by + r, bx + r))
    target = placed[-1]
    return photographed(feathered(img, 0.03), surround(bare, rng), target, rng, (0, 20), 20, (0.32, 0.55), 30)


# --- lift-button -----------------------------------------------------------------------------

def brushed(shape, rng, tone):
    """Brushed steel: grey with fine streaks along its rows."""
    h, w = shape
    streak = smooth_noise((h, w), 1.2, rng, w / 4) * 0.6 + 0.4 * smooth_noise((h, w), 3, rng, w / 10)
    return np.float32([tone, tone, tone * 1.02]) * (0.88 + 0.2 * streak)[..., None]


def braille(h, cells, rng):
    """Braille beside a button: `cells` cells of raised dots, a coverage `h` px tall."""
    d = h / 3
    out = np.zeros((h, int(d * 2.6 * cells)), np.float32)
    for c in range(cells):
        bits = rng.integers(0, 2, 6) if c else np.int64([0, 1, 0, 1, 1, 1])  # the number sign first
        if not bits.any():  # no cell is blank
            bits[0] = 1
        for i in range(6):
            if bits[i]:
                cv2.circle(out, (int(d * (2.6 * c + 0.5 + i // 3)), int(d * (0.5 + i % 3))), max(2, int(d * 0.28)),
                           1.0, -1, cv2.LINE_AA)
    return out


def button(cov, rng, face_kind, size, lit):
    """A round call button `size` px: a steel bezel, a face of steel (cov engraved and
    filled black) or black plastic (cov raised in white), a lit ring round the face when
    lit; the picture and its coverage."""
    grain = brushed((size, size), rng, rng.uniform(0.72, 0.82))
    mask = np.zeros((size, size), np.float32)
    c0 = size // 2
    cv2.circle(mask, (c0, c0), c0 - 2, 1.0, -1, cv2.LINE_AA)
    img = lit_relief(soft(mask, size * 0.05) * size * 0.04, [0.8, 0.8, 0.82], rng, 0.6) * (0.9 + 0.1 * grain)
    face_r = int(c0 * 0.8)
    face = np.zeros((size, size), np.float32)
    cv2.circle(face, (c0, c0), face_r, 1.0, -1, cv2.LINE_AA)
    if lit is not None:
        ring = np.zeros((size, size), np.float32)
        cv2.circle(ring, (c0, c0), int(face_r * 1.06), 1.0, max(3, size // 40), cv2.LINE_AA)
        img += soft(ring, size / 60)[..., None] * np.float32(lit) * 1.2
    c = fit(cov, face_r * rng.uniform(0.85, 1.05), face_r * 1.4)
    digit = np.zeros((size, size), np.float32)
    centred(digit, c, 1.0, (0, 0, size, size))
    if face_kind == "steel":
        surface = brushed((size, size), rng, rng.uniform(0.7, 0.8)) * (1 - 0.8 * soft(digit, 1.0)[..., None])
    else:
        surface = lit_relief(soft(digit, size / 150) * size * 0.02, [0.06, 0.06, 0.07], rng, 0.4) * \
            (1 - digit[..., None]) + lit_relief(soft(digit, size / 150) * size * 0.02, [0.92, 0.92, 0.9], rng, 0.3) * \
            digit[..., None]
    laid(img, face, surface, 0, 0)
    return img, mask


def lift_photo(cov, side_covs, rng, face_kind):
    """A lift's call panel of brushed steel: the button with cov, braille at its right, the
    other buttons (side_covs: a bell, door arrows) above and below; photographed close."""
    sh = 1600
    sw = int(sh * rng.uniform(1.3, 1.6))  # wider than a landscape frame round the button
    img = brushed((sh, sw), rng, rng.uniform(0.62, 0.78))
    bare = img.copy()
    size = int(sh * rng.uniform(0.2, 0.26))
    x = int(sw * rng.uniform(0.35, 0.5))
    y = (sh - size) // 2
    lit = pick(rng, ([1.0, 0.55, 0.1], [0.3, 0.6, 1.0], [1.0, 1.0, 0.95], [1.0, 0.15, 0.1])) \
        if rng.random() < 0.5 else None
    for k, sc in [(0, cov)] + [(d, c) for d, c in zip((-1, 1), side_covs)]:
        by = y + int(k * size * 1.45)
        if by < -size or by > sh:
            continue
        b_img, b_mask = button(sc, rng, face_kind, size, lit if k == 0 else None)
        ry0, ry1 = max(0, by), min(sh, by + size)
        sub = img[ry0:ry1, x:x + size]
        m = b_mask[ry0 - by:ry1 - by]
        around = soft(m, size * 0.04)
        sub *= (1 - 0.3 * shifted(around, size // 30, size // 30))[..., None]
        sub[...] = sub * (1 - m[..., None]) + b_img[ry0 - by:ry1 - by] * m[..., None]
        dots = braille(int(size * 0.16), int(rng.integers(2, 4)) if k == 0 else 1, rng)
        bx, byy = x + int(size * 1.15), by + (size - dots.shape[0]) // 2
        if 0 <= byy and byy + dots.shape[0] <= sh and bx + dots.shape[1] <= sw:
            region = img[byy:byy + dots.shape[0], bx:bx + dots.shape[1]]
            region *= (1 - 0.35 * shifted(soft(dots, 1.5), 2, 2))[..., None]
            region += (soft(dots, 1.0) * 0.18)[..., None]
    target = (y, x, y + size, x + size)
    return photographed(feathered(img, 0.04), surround(bare, rng), target, rng, (0, 20), 30, (0.28, 0.5), 8)


# --- Non-digit marks ---------------------------------------------------------------------

def bell_cov(size=300):
    """An alarm bell: a dome, its rim, the clapper under it."""
    out = np.zeros((size, size), np.float32)
    pts = [(0.5, 0.12), (0.68, 0.2), (0.74, 0.45), (0.8, 0.68), (0.9, 0.76), (0.1, 0.76), (0.2, 0.68), (0.26, 0.45),
           (0.32, 0.2)]
    cv2.fillPoly(out, [np.int32(np.float32(pts) * size)], 1.0, cv2.LINE_AA)
    cv2.circle(out, (size // 2, int(size * 0.85)), int(size * 0.07), 1.0, -1, cv2.LINE_AA)
    return out


def door_arrows_cov(size=300, closing=False):
    """A lift's door-open (triangles pointing out from a bar) or door-close sign."""
    out = np.zeros((size // 2, size), np.float32)
    h = size // 2
    for side in (-1, 1):
        tip, base = (0.5 + side * 0.45, 0.5 + side * 0.1) if not closing else (0.5 + side * 0.1, 0.5 + side * 0.45)
        tri = [(tip * size, h * 0.5), (base * size, h * 0.1), (base * size, h * 0.9)]
        cv2.fillPoly(out, [np.int32(tri)], 1.0, cv2.LINE_AA)
    cv2.rectangle(out, (int(size * 0.48), int(h * 0.05)), (int(size * 0.52), int(h * 0.95)), 1.0, -1)
    return out
