"""Scenes of the fifteenth held-out set (scripts/make-heldout-set15.py), painted afresh: a
handwritten index card lying askew on a tablecloth or a wooden floor; a cheque's amount
box written in by hand; a takeaway cup with a number in marker on its side, standing on a
counter; a plastic key fob with a printed number, lying on a table; a library book's
spine label on a shelf of spines; and the non-digit marks drawn in those settings.
Pictures are float32 RGB in [0, 1] until a scene returns uint8; a coverage map is float32
(h, w), 1 = ink. Every function draws only from the numpy Generator it is given. A flat
picture photographed is the tenth set's (scripts/lib/heldout_scenes10.py), laid over its
own kind round its edges the eleventh set's, a pen's strokes on paper the fourteenth's.
"""

import math

import cv2
import numpy as np

from heldout_render import fbm, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import desk, paper, pick
from heldout_scenes8 import soft
from heldout_scenes9 import feathered
from heldout_scenes10 import photographed
from heldout_scenes11 import laid, surround
from heldout_scenes13 import centred
from heldout_scenes14 import INK, PENS, around, hand_ink


def with_mask(img, mask):
    """A picture and its coverage as one flat picture of four channels."""
    return np.concatenate([img, mask[..., None]], axis=2)


# --- grounds: what an object lies on, past its edges ------------------------------------

CLOTHS = ([0.75, 0.12, 0.14], [0.15, 0.3, 0.65], [0.2, 0.5, 0.3], [0.85, 0.6, 0.15])


def tablecloth(shape, rng):
    """A gingham tablecloth: bands of a colour across and down, darker where they cross,
    soft folds."""
    h, w = shape
    colour = np.float32(pick(rng, CLOTHS))
    step = max(6, int(min(h, w) * rng.uniform(0.04, 0.08)))
    ys, xs = np.arange(h)[:, None], np.arange(w)[None, :]
    across = ((ys // step) % 2).astype(np.float32) * np.ones((1, w), np.float32)
    down = ((xs // step) % 2).astype(np.float32) * np.ones((h, 1), np.float32)
    amount = 0.45 * (across + down)  # 0, 0.45 or 0.9 of the colour
    white = np.float32([0.95, 0.94, 0.9])
    img = white * (1 - amount[..., None]) + colour * amount[..., None]
    img = cv2.GaussianBlur(img, (0, 0), 1.0)
    return img * (0.82 + 0.22 * fbm((h, w), h / 3, rng))[..., None]


def planks(shape, rng):
    """A wooden floor: boards of a little different tones, their seams dark, the grain long."""
    h, w = shape
    base = np.float32(pick(rng, ([0.55, 0.38, 0.22], [0.7, 0.55, 0.38], [0.4, 0.27, 0.17], [0.78, 0.68, 0.52])))
    grain = smooth_noise((h, w), max(2.0, h / 80), rng, max(8.0, w / 3))
    img = base * (0.82 + 0.25 * grain)[..., None] * np.ones((h, w, 3), np.float32)
    board = max(10, int(h * rng.uniform(0.12, 0.2)))
    for y in range(int(-rng.uniform(0, board)), h, board):
        img[max(0, y):y + board] *= rng.uniform(0.85, 1.1)
        img[max(0, y):max(0, y) + 3] *= 0.45
    return np.clip(img, 0, 1)


def ground(kind, rng):
    return {"cloth": lambda work: tablecloth(work, rng), "floor": lambda work: planks(work, rng),
            "desk": lambda work: desk(work, rng)}[kind]


# --- index-card --------------------------------------------------------------------------

def card_photo(cov, rng, tool, kind):
    """A ruled index card (a red line near its top, blue lines under it) with cov written
    large across it in biro or marker; lying askew on a tablecloth or a floor (kind), turned
    up to 25 degrees, all of it in the frame with the ground round it."""
    ch = 600
    cw = int(ch * rng.uniform(1.55, 1.7))
    img = paper((ch, cw), rng, pick(rng, ([0.98, 0.98, 0.96], [0.97, 0.95, 0.88], [0.96, 0.97, 0.99])))
    red = int(ch * 0.17)
    cv2.line(img, (0, red), (cw, red), (0.85, 0.35, 0.4), 2, cv2.LINE_AA)
    for y in range(red + int(ch * 0.11), ch - 10, int(ch * 0.11)):
        cv2.line(img, (0, y), (cw, y), (0.6, 0.72, 0.88), 1, cv2.LINE_AA)
    a = fit(cov, ch * rng.uniform(0.5, 0.64), cw * 0.8)
    top = red + (ch - red - a.shape[0]) // 2 + int(ch * rng.uniform(-0.04, 0.02))
    left = (cw - a.shape[1]) // 2 + int(cw * rng.uniform(-0.08, 0.08))
    top, left = max(top, red - 20), min(max(left, 20), cw - a.shape[1] - 20)
    hand_ink(img, a, PENS[tool], top, left, rng, tool)
    edge = np.ones((ch, cw), np.float32)
    edge[:2], edge[-2:], edge[:, :2], edge[:, -2:] = 0.5, 0.5, 0.5, 0.5
    box = around((0, 0, ch, cw), rng, (0.05, 0.2))
    return photographed(with_mask(img, edge), ground(kind, rng), box, rng, (0, 30), 25, (0.45, 0.7), 25)


# --- cheque-amount -----------------------------------------------------------------------

CHEQUES = ([0.88, 0.94, 0.9], [0.88, 0.91, 0.97], [0.97, 0.9, 0.9], [0.96, 0.94, 0.86])


def cheque_photo(amount_cov, payee_cov, bank_cov, rng, ink):
    """A cheque: a pale tint with fine wavy lines, the bank's name, a payee line written
    on by hand, an amount box at its right holding amount_cov in blue or black biro, a
    signature line; on a desk, a corner of it or two in the frame."""
    ch, cw = 700, 1650
    tint = np.float32(pick(rng, CHEQUES))
    img = paper((ch, cw), rng, tint)
    waves = np.zeros((ch, cw), np.float32)
    xs = np.arange(cw)
    f, p = rng.uniform(0.01, 0.02), rng.uniform(0, 6)
    for y0 in range(0, ch, 18):
        ys = y0 + 8 * np.sin(xs * f + p + y0 * 0.05)
        cv2.polylines(waves, [np.int32(np.stack([xs, ys], 1))], False, 1.0, 1, cv2.LINE_AA)
    laid(img, waves * 0.25, tint * 0.8, 0, 0)
    b = fit(bank_cov, ch * 0.08, cw * 0.45)
    laid(img, soft(b, 0.6), INK, int(ch * 0.07), int(cw * 0.05))
    line = (0.35, 0.35, 0.4)
    py = int(ch * 0.38)
    cv2.line(img, (int(cw * 0.1), py), (int(cw * 0.92), py), line, 2, cv2.LINE_AA)
    pc = fit(payee_cov, ch * 0.09, cw * 0.5)
    hand_ink(img, pc, PENS["biro"] if ink == "blue" else PENS["marker"], py - pc.shape[0] - 6, int(cw * 0.14), rng,
             "biro")
    for y in (int(ch * 0.52), int(ch * 0.64)):
        cv2.line(img, (int(cw * 0.05), y), (int(cw * 0.6), y), line, 2, cv2.LINE_AA)
    box = (int(ch * 0.46), int(cw * 0.68), int(ch * 0.66), int(cw * 0.94))
    img[box[0]:box[2], box[1]:box[3]] = np.float32([0.99, 0.99, 0.98])
    cv2.rectangle(img, (box[1], box[0]), (box[3], box[2]), line, 2, cv2.LINE_AA)
    cv2.line(img, (int(cw * 0.62), int(ch * 0.88)), (int(cw * 0.94), int(ch * 0.88)), line, 2, cv2.LINE_AA)
    cv2.line(img, (0, int(ch * 0.94)), (cw, int(ch * 0.94)), (tint * 0.7).tolist(), 1, cv2.LINE_AA)
    colour = [0.1, 0.16, 0.55] if ink == "blue" else [0.07, 0.07, 0.09]
    a = fit(amount_cov, (box[2] - box[0]) * rng.uniform(0.6, 0.78), (box[3] - box[1]) * 0.85)
    top = box[0] + (box[2] - box[0] - a.shape[0]) // 2
    left = box[1] + (box[3] - box[1] - a.shape[1]) // 2 + int(a.shape[0] * rng.uniform(-0.15, 0.15))
    left = min(max(left, box[1] + 4), box[3] - a.shape[1] - 4)
    hand_ink(img, a, colour, top, left, rng, "biro")
    edge = np.ones((ch, cw), np.float32)
    edge[:2], edge[-2:], edge[:, :2], edge[:, -2:] = 0.5, 0.5, 0.5, 0.5
    return photographed(with_mask(img, edge), lambda work: desk(work, rng), around(box, rng, (0.4, 0.9)), rng,
                        (0, 25), 20, (0.35, 0.55), 12)


# --- paper-cup ---------------------------------------------------------------------------

CUPS = {"white": [0.95, 0.95, 0.93], "kraft": [0.72, 0.56, 0.38]}


def curved(cov, radius):
    """cov as seen on a cylinder of `radius` px, its middle facing the camera: squeezed
    towards its left and right ends."""
    h, w = cov.shape
    half = min(w / 2, radius * 0.95)
    span = radius * math.sin(half / radius)
    out_w = max(2, int(2 * span))
    xo = np.arange(out_w, dtype=np.float32) - out_w / 2
    xi = radius * np.arcsin(np.clip(xo / radius, -1, 1)) + w / 2
    map_x = np.repeat(xi[None, :], h, axis=0).astype(np.float32)
    map_y = np.repeat(np.arange(h, dtype=np.float32)[:, None], out_w, axis=1)
    return cv2.remap(cov, map_x, map_y, cv2.INTER_LINEAR, borderValue=0)


def cup_photo(cov, rng, kind, sleeve_cov=None):
    """A takeaway cup (white or kraft) standing on a counter before a café's wall, a lid on
    it, a sleeve round its foot one time in two, cov written on its side in marker and bent
    round it; photographed at the counter."""
    sh, sw = 1900, 2900
    img = np.zeros((sh, sw, 3), np.float32)
    counter = int(sh * rng.uniform(0.62, 0.7))
    wall = np.float32(pick(rng, ([0.35, 0.3, 0.28], [0.8, 0.78, 0.72], [0.25, 0.35, 0.38], [0.6, 0.45, 0.35])))
    img[:counter] = wall * (0.8 + 0.3 * fbm((counter, sw), sh / 6, rng))[..., None]
    img[counter:] = desk((sh - counter, sw), rng)
    body = np.float32(CUPS[kind])
    th, tw, bw = 820, 560, int(560 * rng.uniform(0.7, 0.78))
    cx = sw // 2 + int(sw * rng.uniform(-0.05, 0.05))
    bottom = counter + int((sh - counter) * rng.uniform(0.35, 0.55))
    top = bottom - th
    shadow = np.zeros((sh, sw), np.float32)
    cv2.ellipse(shadow, (cx + 40, bottom), (int(bw * 0.75), 40), 0, 0, 360, 0.45, -1)
    img *= (1 - soft(shadow, 18))[..., None]
    ys = np.arange(top, bottom)
    halves = (tw / 2 + (bw - tw) / 2 * (ys - top) / th)
    cup = np.zeros((sh, sw), np.float32)
    pts = np.int32([[cx - tw // 2, top], [cx + tw // 2, top], [cx + bw // 2, bottom], [cx - bw // 2, bottom]])
    cv2.fillPoly(cup, [pts], 1.0, cv2.LINE_AA)
    xs = np.arange(sw, dtype=np.float32)
    u = np.zeros((sh, sw), np.float32)
    u[top:bottom] = np.clip((xs[None, :] - cx) / halves[:, None], -1, 1)
    shade = 0.62 + 0.38 * np.cos(u * 1.35) + 0.08 * np.exp(-((u + 0.35) / 0.12) ** 2)
    surface = body * (0.97 + 0.03 * fbm((sh, sw), 40, rng))[..., None] * np.ones((sh, sw, 3), np.float32)
    if sleeve_cov is not None or rng.random() < 0.5:  # a corrugated sleeve round the lower part
        s0, s1 = top + int(th * 0.55), top + int(th * 0.85)
        surface[s0:s1] = np.float32([0.55, 0.4, 0.25]) * (0.9 + 0.1 * np.sin(xs / 5.0))[None, :, None]
    a = fit(cov, th * rng.uniform(0.25, 0.3), tw * 0.7)
    a = curved(a, tw / 2)
    at = top + int(th * rng.uniform(0.18, 0.26))
    al = cx - a.shape[1] // 2
    laid(surface, soft(a, 0.8) * rng.uniform(0.85, 1.0), [0.06, 0.06, 0.1] if kind == "white" else [0.05, 0.04, 0.04],
         at, al)
    surface *= shade[..., None]
    img = img * (1 - cup[..., None]) + surface * cup[..., None]
    lid_h = int(th * 0.09)
    lid = np.float32(pick(rng, ([0.95, 0.95, 0.95], [0.12, 0.12, 0.13])))
    cv2.ellipse(img, (cx, top), (tw // 2 + 14, lid_h), 0, 180, 360, (lid * 0.9).tolist(), -1, cv2.LINE_AA)
    cv2.rectangle(img, (cx - tw // 2 - 14, top - 4), (cx + tw // 2 + 14, top + 22), lid.tolist(), -1, cv2.LINE_AA)
    target = (top - lid_h, cx - tw // 2, bottom, cx + tw // 2)
    return photographed(feathered(img, 0.03), surround(img, rng), around(target, rng, (0.05, 0.15)), rng, (0, 8), 15,
                        (0.65, 0.85), 6)


# --- key-fob -----------------------------------------------------------------------------

FOBS = {"red": [0.78, 0.12, 0.12], "blue": [0.12, 0.3, 0.72], "green": [0.1, 0.55, 0.3],
        "yellow": [0.95, 0.78, 0.12]}


def fob_photo(cov, rng, kind):
    """A plastic key fob (red, blue, green or yellow) with a paper insert under a clear
    window printed with cov, a hole at its end with a steel ring through it; lying on a
    table or a tablecloth, all of it in the frame."""
    fh, fw = 300, int(300 * rng.uniform(2.3, 2.7))
    ring = 150
    h, w = fh + 60, fw + ring + 40
    img, mask = np.zeros((h, w, 3), np.float32), np.zeros((h, w), np.float32)
    ox, oy = ring, 30
    colour = np.float32(FOBS[kind])
    body = np.zeros((h, w), np.float32)
    r = fh // 4
    cv2.rectangle(body, (ox + r, oy), (ox + fw - r, oy + fh), 1.0, -1)
    cv2.rectangle(body, (ox, oy + r), (ox + fw, oy + fh - r), 1.0, -1)
    for cx, cy in ((ox + r, oy + r), (ox + fw - r, oy + r), (ox + r, oy + fh - r), (ox + fw - r, oy + fh - r)):
        cv2.circle(body, (cx, cy), r, 1.0, -1, cv2.LINE_AA)
    hole = (ox + int(fh * 0.28), oy + fh // 2)
    cv2.circle(body, hole, int(fh * 0.1), 0.0, -1, cv2.LINE_AA)
    tone = (0.85 + 0.15 * fbm((h, w), 60, rng))[..., None]
    img[...] = colour * tone
    mask[...] = body
    ins = (oy + int(fh * 0.14), ox + int(fh * 0.55), oy + fh - int(fh * 0.14), ox + fw - int(fh * 0.14))
    img[ins[0]:ins[2], ins[1]:ins[3]] = paper((ins[2] - ins[0], ins[3] - ins[1]), rng, [0.97, 0.97, 0.95])
    n = fit(cov, (ins[2] - ins[0]) * rng.uniform(0.62, 0.75), (ins[3] - ins[1]) * 0.85)
    centred(img, soft(n, 0.6), INK, ins)
    sheen = np.zeros((h, w), np.float32)
    cv2.line(sheen, (ins[1] + 20, ins[0] + 12), (ins[3] - 20, ins[0] + 12), 1.0, 6, cv2.LINE_AA)
    laid(img, soft(sheen, 4) * 0.35, [1, 1, 1], 0, 0)
    steel = np.zeros((h, w), np.float32)
    rc = (hole[0] - ring // 2 + 10, hole[1] + int(rng.uniform(-20, 20)))
    cv2.circle(steel, rc, ring // 2, 1.0, 9, cv2.LINE_AA)
    laid(img, steel, [0.62, 0.63, 0.65], 0, 0)
    mask = np.maximum(mask, steel)
    return photographed(with_mask(img, mask), ground(pick(rng, ("desk", "cloth")), rng),
                        around((oy, ox, oy + fh, ox + fw), rng, (0.05, 0.2)), rng, (0, 30), 20, (0.35, 0.55), 30)


# --- spine-label -------------------------------------------------------------------------

SPINES = ([0.5, 0.1, 0.12], [0.1, 0.2, 0.4], [0.15, 0.35, 0.2], [0.2, 0.2, 0.22], [0.75, 0.6, 0.3],
          [0.85, 0.83, 0.78], [0.35, 0.25, 0.45], [0.6, 0.3, 0.15], [0.3, 0.5, 0.6])
LABELS = {"white": [0.97, 0.97, 0.95], "yellow": [0.98, 0.9, 0.45]}


def spine_photo(lines, other_lines, rng, kind):
    """Books on a library shelf, their spines side by side; each has a call-number label
    (white or yellow) near its foot; the middle book's label holds `lines` (coverages: the
    letters, then the number), the others' letters only (other_lines(rng) gives them);
    photographed before the shelf."""
    sh, sw = 2000, 2800
    img = np.float32([0.12, 0.1, 0.09]) * np.ones((sh, sw, 3), np.float32)
    shelf = int(sh * 0.88)
    img[shelf:] = np.float32(pick(rng, ([0.6, 0.45, 0.3], [0.8, 0.78, 0.74]))) * \
        (0.9 + 0.1 * fbm((sh - shelf, sw), 60, rng))[..., None]
    widths = []
    while sum(widths) < sw + 300:
        widths.append(int(rng.uniform(150, 280)))
    middle = len(widths) // 2
    offset = (sw - sum(widths)) // 2
    x = offset
    label_colour = np.float32(LABELS[kind])
    target = None
    for k, w in enumerate(widths):
        top = int(sh * rng.uniform(0.05, 0.22))
        colour = np.float32(pick(rng, SPINES))
        x0, x1 = max(0, x), min(sw, x + w - 3)
        if x1 > x0:
            shade = 0.75 + 0.3 * np.cos(np.linspace(-1.2, 1.2, x1 - x0, dtype=np.float32))
            img[top:shelf, x0:x1] = colour * shade[None, :, None] * (0.92 + 0.08 * fbm((shelf - top, x1 - x0), 50,
                                                                                         rng))[..., None]
        lh, lw = int(w * rng.uniform(1.0, 1.2)), w - 40
        lt, ll = shelf - lh - int(sh * rng.uniform(0.05, 0.08)), x + 20
        if ll >= 0 and ll + lw <= sw:
            img[lt:lt + lh, ll:ll + lw] = label_colour * (0.95 + 0.05 * fbm((lh, lw), 30, rng))[..., None]
            covs = lines if k == middle else other_lines(rng)
            y = lt + int(lh * 0.1)
            for c in covs:
                c = fit(c, lh * (0.45 if c is covs[-1] and k == middle and len(covs) > 1 else 0.25), lw * 0.82)
                laid(img, soft(c, 0.6), INK, y, ll + (lw - c.shape[1]) // 2)
                y += c.shape[0] + int(lh * 0.12)
            if k == middle:
                target = (lt, ll, lt + lh, ll + lw)
        x += w
    return photographed(feathered(img, 0.03), surround(img, rng), around(target, rng, (0.15, 0.35)), rng, (0, 20), 25,
                        (0.4, 0.6), 8)
