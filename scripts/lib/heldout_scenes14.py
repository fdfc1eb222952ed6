"""Scenes of the fourteenth held-out set (scripts/make-heldout-set14.py), painted afresh: a
printed exercise sheet with a handwritten answer in its margin's box; a hand-numbered
raffle ticket; a station's platform sign with its words; a postage stamp's value on an
envelope; a room's number on a door sign with a name under it; and the non-digit marks
drawn in those settings. Pictures are float32 RGB in [0, 1] until a scene returns uint8;
a coverage map is float32 (h, w), 1 = ink. Every function draws only from the numpy
Generator it is given. A flat picture photographed is the tenth set's
(scripts/lib/heldout_scenes10.py), laid over its own kind round its edges the eleventh
set's, a line of type the thirteenth set's.
"""

import cv2
import numpy as np

from heldout_render import fbm, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import desk, paper, pick
from heldout_scenes7 import crayon_alpha
from heldout_scenes8 import soft
from heldout_scenes9 import feathered
from heldout_scenes10 import photographed
from heldout_scenes11 import laid, surround
from heldout_scenes13 import centred, fill_line, typeset

INK = np.float32([0.08, 0.08, 0.1])
PENS = {"pencil": [0.22, 0.22, 0.25], "biro": [0.1, 0.16, 0.55], "marker": [0.06, 0.06, 0.08]}


def around(box, rng, more=(0.25, 0.6)):
    """box (top, left, bottom, right) grown by a part of its height on every side: what the
    camera frames."""
    t, l, b, r = box
    m = int((b - t) * rng.uniform(*more))
    return t - m, l - m, b + m, r + m


def hand_ink(img, cov, colour, top, left, rng, tool):
    """A pen's or pencil's strokes (cov) laid on paper at (top, left): a pencil skips on
    the paper's tooth, a pen and a marker lie solid."""
    if tool == "pencil":
        tooth = smooth_noise(cov.shape, 1.2, rng)
        alpha = crayon_alpha(cov, tooth, rng, True)
    else:
        alpha = soft(cov, 0.7) * rng.uniform(0.85, 1.0)
    laid(img, alpha, colour, top, left)


# --- margin-answer -------------------------------------------------------------------------

def exercise_photo(answer_cov, title_cov, font_path, words, rng, tool):
    """A printed exercise sheet: a title, numbered-by-letter tasks of words, each with an
    answer box in the right margin; one box holds answer_cov in pencil or biro, the others
    are empty; photographed on a desk."""
    ph = 1700
    pw = int(ph * rng.uniform(0.7, 0.75))
    img = paper((ph, pw), rng, pick(rng, ([0.98, 0.98, 0.97], [0.97, 0.96, 0.92])))
    laid(img, soft(fit(title_cov, 70, pw * 0.6), 0.6), INK, 90, int(pw * 0.1))
    px = int(rng.uniform(30, 38))
    box_w = int(px * rng.uniform(4.2, 5.2))
    box_x = pw - int(pw * 0.06) - box_w
    text_w = box_x - int(pw * 0.1) - px * 2
    y = 230
    tasks = int(rng.integers(4, 7))
    chosen = int(rng.integers(0, tasks))
    target = None
    for k in range(tasks):
        letter = typeset("abcdefh"[k] + ")", font_path, px)
        laid(img, letter, INK, y, int(pw * 0.06))
        lines = int(rng.integers(1, 4))
        for n in range(lines):
            line = typeset(fill_line(words, font_path, px, text_w, rng, n == lines - 1), font_path, px)
            laid(img, line[:, :text_w], INK, int(y + n * px * 1.45), int(pw * 0.1))
        bh = int(px * 2.6)
        by = int(y + max(0, lines * px * 1.45 - bh) / 2)
        cv2.rectangle(img, (box_x, by), (box_x + box_w, by + bh), (0.2, 0.2, 0.22), 2, cv2.LINE_AA)
        if k == chosen:
            a = fit(answer_cov, bh * rng.uniform(0.6, 0.8), box_w * 0.85)
            top = by + (bh - a.shape[0]) // 2 + int(bh * rng.uniform(-0.08, 0.08))
            left = box_x + (box_w - a.shape[1]) // 2 + int(box_w * rng.uniform(-0.06, 0.06))
            top, left = max(top, by + 3), min(max(left, box_x + 3), box_x + box_w - a.shape[1] - 3)
            hand_ink(img, a, PENS[tool], top, left, rng, tool)
            target = (by, box_x, by + bh, box_x + box_w)
        y = int(y + max(lines * px * 1.45, bh) + px * rng.uniform(1.2, 2.0))
        if y > ph - 200:
            break
    if target is None:  # the chosen task fell below the page: the last box takes the answer
        return exercise_photo(answer_cov, title_cov, font_path, words, rng, tool)
    return photographed(feathered(img, 0.02), lambda work: desk(work, rng), around(target, rng), rng, (0, 25), 20,
                        (0.2, 0.42), 8)


# --- raffle-ticket -------------------------------------------------------------------------

TICKETS = ([0.97, 0.72, 0.8], [0.98, 0.93, 0.55], [0.7, 0.85, 0.97], [0.72, 0.93, 0.7], [0.99, 0.8, 0.55],
           [0.96, 0.96, 0.94])


def raffle_photo(number_cov, word_covs, rng, tool):
    """A raffle ticket of coloured card: a stub with a printed box holding the number
    written by hand, a dashed tear line, the ticket's printed words; other tickets of the
    book fanned under it one time in two; photographed on a table."""
    th, tw = 420, int(420 * rng.uniform(2.1, 2.5))
    colour = np.float32(pick(rng, TICKETS))
    card = paper((th, tw), rng, colour)
    stub = int(tw * rng.uniform(0.3, 0.36))
    for y in range(12, th - 12, 22):  # the tear line's holes
        cv2.circle(card, (stub, y), 4, (colour * 0.55).tolist(), -1, cv2.LINE_AA)
    cv2.rectangle(card, (10, 10), (tw - 10, th - 10), (colour * 0.5).tolist(), 3, cv2.LINE_AA)
    box = (int(th * 0.3), int(stub * 0.14), int(th * 0.78), int(stub * 0.88))
    cv2.rectangle(card, (box[1], box[0]), (box[3], box[2]), (0.15, 0.15, 0.18), 3, cv2.LINE_AA)
    n = fit(number_cov, (box[2] - box[0]) * rng.uniform(0.6, 0.78), (box[3] - box[1]) * 0.85)
    top = box[0] + (box[2] - box[0] - n.shape[0]) // 2
    left = box[1] + (box[3] - box[1] - n.shape[1]) // 2 + int(n.shape[0] * rng.uniform(-0.1, 0.1))
    left = min(max(left, box[1] + 3), box[3] - n.shape[1] - 3)
    hand_ink(card, n, PENS[tool], top, left, rng, "biro")
    y = int(th * 0.14)
    for k, w in enumerate(word_covs):
        c = fit(w, th * (0.2 if k == 0 else 0.11), (tw - stub) * 0.8)
        laid(card, soft(c, 0.6), INK, y, stub + (tw - stub - c.shape[1]) // 2)
        y += int(c.shape[0] + th * 0.08)
    yy = int(th * 0.88)  # the stub's line for a name
    cv2.line(card, (int(stub * 0.12), yy), (int(stub * 0.9), yy), (0.3, 0.3, 0.3), 2, cv2.LINE_AA)
    sh, sw = th + 60, tw + 60
    img, mask = np.zeros((sh, sw, 3), np.float32), np.zeros((sh, sw), np.float32)
    oy, ox = 20, 20
    if rng.random() < 0.5:  # the ticket book under it, a little turned
        pts = cv2.boxPoints(((sw / 2 + 12, sh / 2 + 8), (tw, th), rng.uniform(-3, 3)))
        cv2.fillPoly(mask, [np.int32(pts)], 1.0, cv2.LINE_AA)
        img[...] = colour * 0.88
    img[oy:oy + th, ox:ox + tw] = card
    mask[oy:oy + th, ox:ox + tw] = 1.0
    target = (oy + box[0], ox + box[1], oy + box[2], ox + box[3])
    return photographed(np.concatenate([img, mask[..., None]], axis=2), lambda work: desk(work, rng),
                        around(target, rng), rng, (0, 25), 20, (0.3, 0.55), 12)


# --- station-sign --------------------------------------------------------------------------

PANELS = {"navy": ([0.08, 0.14, 0.38], [0.97, 0.97, 0.95]), "green": ([0.04, 0.3, 0.2], [0.97, 0.97, 0.95]),
          "white": ([0.95, 0.95, 0.93], [0.06, 0.08, 0.15])}


def station_wall(shape, rng):
    """A station's platform wall: cream or white tiles and their joints, a dark canopy
    above, grime."""
    h, w = shape
    tile = np.float32(pick(rng, ([0.9, 0.88, 0.8], [0.86, 0.88, 0.88], [0.75, 0.8, 0.7])))
    img = tile * (0.85 + 0.2 * fbm((h, w), h / 5, rng))[..., None] * np.ones((h, w, 3), np.float32)
    step = max(8, int(h * rng.uniform(0.05, 0.08)))
    img[::step] *= 0.72
    for y0 in range(0, h, step):
        off = (y0 // step % 2) * step // 2
        img[y0:y0 + step, off::step * 2] *= 0.72
    canopy = int(h * rng.uniform(0.2, 0.3))
    img[:canopy] = np.float32([0.18, 0.18, 0.2]) * (0.8 + 0.3 * fbm((canopy, w), h / 20, rng))[..., None]
    return img


def station_photo(number_cov, word_covs, rng, kind, beside=None):
    """A platform sign: a panel (navy, green or white) with the number in a square of the
    panel's contrary colours at its left (beside, a picture's coverage, replaces it for a
    non-digit), the words in lines at its right; hung under a canopy from two rods on a
    tiled wall; photographed from the platform, looking up."""
    back, fore = (np.float32(c) for c in PANELS[kind])
    ph = 300
    sq = int(ph * 0.78)
    pad = (ph - sq) // 2
    covs = [fit(w, ph * (0.22 if k == 0 else 0.15), ph * 3.2) for k, w in enumerate(word_covs[:3])]
    pw = pad * 3 + sq + max(c.shape[1] for c in covs) + pad
    panel = np.ones((ph, pw, 3), np.float32) * back
    cv2.rectangle(panel, (pad, pad), (pad + sq, pad + sq), fore.tolist(), -1, cv2.LINE_AA)
    n = fit(number_cov if beside is None else beside, sq * rng.uniform(0.62, 0.72), sq * 0.86)
    centred(panel, soft(n, 0.7), back, (pad, pad, pad + sq, pad + sq))
    y = pad + int(ph * 0.04)
    for c in covs:
        laid(panel, soft(c, 0.6), fore, y, pad * 2 + sq)
        y += c.shape[0] + int(ph * 0.06)
    panel *= (0.92 + 0.1 * fbm((ph, pw), ph / 3, rng))[..., None]
    sh = ph * 6
    sw = max(int(pw * 2.2), int(sh * 1.8))
    img = station_wall((sh, sw), rng)
    top, left = int(sh * rng.uniform(0.4, 0.5)), (sw - pw) // 2
    for x in (left + pw // 6, left + pw * 5 // 6):  # the rods from the canopy
        img[:top, x - 5:x + 5] = np.float32([0.3, 0.3, 0.32])
    shadow = np.zeros((sh, sw), np.float32)
    shadow[top + 14:top + ph + 14, left + 10:left + pw + 10] = 0.3
    img *= (1 - soft(shadow, 10))[..., None]
    img[top:top + ph, left:left + pw] = panel
    target = (top + pad, left + pad, top + pad + sq, left + pad + sq)
    return photographed(feathered(img, 0.03), surround(img, rng), around(target, rng, (0.2, 0.6)), rng, (0, 20), 30,
                        (0.34, 0.55), 8)


# --- postage-stamp -------------------------------------------------------------------------

STAMP_FIELDS = ([0.75, 0.2, 0.2], [0.2, 0.4, 0.7], [0.2, 0.55, 0.35], [0.85, 0.6, 0.15], [0.45, 0.25, 0.55],
                [0.55, 0.75, 0.85])


def stamp_motif(h, w, rng):
    """A stamp's picture: sky, hills or the sea, a sun, a bird's wing or two; nothing shaped
    like a digit."""
    sky = np.float32(pick(rng, STAMP_FIELDS))
    img = np.ones((h, w, 3), np.float32) * sky
    img *= np.linspace(1.15, 0.85, h, dtype=np.float32)[:, None, None]
    land = np.zeros((h, w), np.float32)
    xs = np.arange(w)
    ridge = h * (0.62 + 0.1 * np.sin(xs / w * rng.uniform(4, 9) + rng.uniform(0, 6)))
    land[np.arange(h)[:, None] > ridge[None, :]] = 1
    laid(img, land, sky * 0.45, 0, 0)
    sun = np.zeros((h, w), np.float32)
    cv2.circle(sun, (int(w * rng.uniform(0.55, 0.8)), int(h * rng.uniform(0.35, 0.5))), int(h * 0.08), 1.0, -1,
               cv2.LINE_AA)
    laid(img, sun, [0.98, 0.9, 0.6], 0, 0)
    return np.clip(img, 0, 1)


def stamp_photo(value_cov, country_cov, rng, kind, env_words):
    """A postage stamp: a perforated white margin, a picture, the country's name at its
    foot and the value (value_cov) large in its upper-left corner; stuck at an envelope's
    corner beside a typed address of words; cancelled by a postmark's wavy lines at its
    right when `kind` is "used"; photographed on a desk."""
    sh, sw = 620, 500
    env = np.float32(pick(rng, ([0.97, 0.96, 0.93], [0.93, 0.88, 0.76], [0.95, 0.95, 0.97])))
    eh, ew = 1500, 2400
    img = paper((eh, ew), rng, env)
    stamp = np.ones((sh, sw, 3), np.float32) * np.float32([0.97, 0.97, 0.95])
    m = 34
    stamp[m:sh - m, m:sw - m] = stamp_motif(sh - 2 * m, sw - 2 * m, rng)
    field = stamp[m:sh - m, m:sw - m]
    dark = field[:field.shape[0] // 3].mean() < 0.5
    ink = np.float32([0.98, 0.98, 0.96] if dark else [0.05, 0.05, 0.08])  # the value stands out of the sky
    v = fit(value_cov, sh * rng.uniform(0.2, 0.26), sw * 0.6)
    laid(field, soft(v, 0.6), ink, 24, 24)
    c = fit(country_cov, sh * 0.07, sw * 0.8)
    laid(field, soft(c, 0.6), ink, field.shape[0] - c.shape[0] - 20, (field.shape[1] - c.shape[1]) // 2)
    mask = np.ones((sh, sw), np.float32)
    for x in range(0, sw, 26):  # the perforations' half holes
        cv2.circle(mask, (x + 13, 0), 8, 0.0, -1, cv2.LINE_AA)
        cv2.circle(mask, (x + 13, sh), 8, 0.0, -1, cv2.LINE_AA)
    for y in range(0, sh, 26):
        cv2.circle(mask, (0, y + 13), 8, 0.0, -1, cv2.LINE_AA)
        cv2.circle(mask, (sw, y + 13), 8, 0.0, -1, cv2.LINE_AA)
    top, left = 70, ew - sw - 80
    region = img[top:top + sh, left:left + sw]
    region[...] = region * (1 - mask[..., None]) + stamp * mask[..., None]
    if kind == "used":  # a postmark's wavy lines over the stamp's right quarter
        wave = np.zeros((eh, ew), np.float32)
        xs = np.arange(left + int(sw * 0.76), min(ew, left + sw + 500))  # clear of a 3-digit value
        for k in range(5):
            ys = top + sh * 0.25 + k * 40 + 14 * np.sin(xs / 40.0 + rng.uniform(0, 6))
            cv2.polylines(wave, [np.int32(np.stack([xs, ys], 1))], False, 1.0, 6, cv2.LINE_AA)
        laid(img, soft(wave, 1) * rng.uniform(0.5, 0.85), [0.12, 0.12, 0.16], 0, 0)
    y = int(eh * 0.55)
    for w in env_words:
        c = fit(w, 50, ew * 0.5)
        laid(img, soft(c, 0.6), INK, y, int(ew * 0.35))
        y += 80
    target = (top + m + 24, left + m + 24, top + m + 24 + v.shape[0], left + m + 24 + v.shape[1])
    target = around(target, rng, (0.5, 1.0))
    edge = np.ones((eh, ew, 1), np.float32)
    edge[:2], edge[-2:], edge[:, :2], edge[:, -2:] = 0.5, 0.5, 0.5, 0.5
    return photographed(np.concatenate([img, edge], axis=2), lambda work: desk(work, rng), target, rng, (0, 25), 20,
                        (0.22, 0.4), 10)


# --- room-sign -----------------------------------------------------------------------------

PLATES = {"white": ([0.95, 0.95, 0.94], [0.1, 0.1, 0.12]), "grey": ([0.3, 0.31, 0.33], [0.96, 0.96, 0.95]),
          "blue": ([0.12, 0.25, 0.5], [0.97, 0.97, 0.96])}


def room_photo(number_cov, name_covs, rng, kind):
    """A room's sign beside a door: a plate (white, grey or blue) with a coloured band at its
    top, the room number large, a name or two under it in small type; screwed to a painted
    wall, the door's frame at one side; photographed in a corridor's light."""
    back, fore = (np.float32(c) for c in PLATES[kind])
    ph = 400
    pw = int(ph * rng.uniform(0.8, 1.1))
    plate = np.ones((ph, pw, 3), np.float32) * back
    band = np.float32(pick(rng, ([0.8, 0.3, 0.1], [0.1, 0.5, 0.45], [0.55, 0.1, 0.2], [0.2, 0.2, 0.22])))
    plate[:int(ph * 0.1)] = band
    n = fit(number_cov, ph * rng.uniform(0.3, 0.38), pw * 0.8)
    nt = int(ph * 0.17)
    laid(plate, soft(n, 0.6), fore, nt, (pw - n.shape[1]) // 2)
    y = nt + n.shape[0] + int(ph * 0.1)
    cv2.line(plate, (int(pw * 0.1), y - int(ph * 0.05)), (int(pw * 0.9), y - int(ph * 0.05)), fore.tolist(), 2)
    for c in name_covs:
        c = fit(c, ph * 0.07, pw * 0.84)
        laid(plate, soft(c, 0.5), fore, y, (pw - c.shape[1]) // 2)
        y += c.shape[0] + int(ph * 0.04)
    for x, yy in ((20, ph - 22), (pw - 20, ph - 22)):  # the screws
        cv2.circle(plate, (x, yy), 6, (0.6, 0.6, 0.62), -1, cv2.LINE_AA)
    wh, ww = ph * 5, int(ph * 6.5)
    wall = np.float32(pick(rng, ([0.9, 0.88, 0.82], [0.82, 0.86, 0.88], [0.92, 0.92, 0.9], [0.85, 0.78, 0.66])))
    img = wall * (0.9 + 0.12 * fbm((wh, ww), wh / 8, rng))[..., None] * np.ones((wh, ww, 3), np.float32)
    side = pick(rng, (-1, 1))
    frame_x = int(ww * rng.uniform(0.25, 0.3)) if side < 0 else int(ww * rng.uniform(0.7, 0.75))
    door = np.float32(pick(rng, ([0.55, 0.38, 0.22], [0.85, 0.85, 0.84], [0.3, 0.4, 0.5])))
    if side < 0:
        img[:, :frame_x] = door * (0.9 + 0.1 * fbm((wh, frame_x), wh / 10, rng))[..., None]
        img[:, frame_x:frame_x + 24] = np.float32([0.95, 0.95, 0.94])
    else:
        img[:, frame_x:] = door * (0.9 + 0.1 * fbm((wh, ww - frame_x), wh / 10, rng))[..., None]
        img[:, frame_x - 24:frame_x] = np.float32([0.95, 0.95, 0.94])
    top, left = int((wh - ph) * rng.uniform(0.4, 0.55)), (ww - pw) // 2
    shadow = np.zeros((wh, ww), np.float32)
    shadow[top + 6:top + ph + 10, left + 6:left + pw + 8] = 0.3
    img *= (1 - soft(shadow, 6))[..., None]
    img[top:top + ph, left:left + pw] = plate
    target = (top + nt, left + (pw - n.shape[1]) // 2, top + nt + n.shape[0], left + (pw + n.shape[1]) // 2)
    return photographed(feathered(img, 0.03), surround(img, rng), around(target, rng, (0.4, 0.8)), rng, (0, 20), 35,
                        (0.3, 0.5), 8)
