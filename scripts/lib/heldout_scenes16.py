"""Scenes of the sixteenth held-out set (scripts/make-heldout-set16.py), painted afresh: a
quiz sheet whose answer the writer ringed or boxed by hand; a steel locker door with its
number on a plate, painted or stuck on digit by digit; a canvas tote bag's print, bent by
the cloth's folds; toy wooden blocks on a floor, a digit on each front face; foil number
balloons against a party wall; and the non-digit marks drawn in those settings.
Pictures are float32 RGB in [0, 1] until a scene returns uint8; a coverage map is float32
(h, w), 1 = ink. Every function draws only from the numpy Generator it is given. A flat
picture photographed is the tenth set's (scripts/lib/heldout_scenes10.py), a pen's strokes
on paper the fourteenth's, a tablecloth and a wooden floor the fifteenth's.
"""

import math

import cv2
import numpy as np

from heldout_render import fbm, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import paper, pick
from heldout_scenes7 import fold_field, row_of
from heldout_scenes8 import soft
from heldout_scenes9 import feathered
from heldout_scenes10 import photographed
from heldout_scenes11 import laid, surround
from heldout_scenes13 import centred
from heldout_scenes14 import INK, PENS, hand_ink
from heldout_scenes15 import ground, with_mask

SPIN = 20  # degrees a photo is turned, at most
TILT = (0, 22)  # degrees the surface leans away from the camera


def digit_height(rng, least=0.06):
    """How tall the digit (or number) is, a part of the photo's height: from `least` (a
    scene painted no larger than the frame would show its edge below it) to 55%."""
    return (least, 0.55) if rng.random() < 0.5 else (max(least, 0.2), 0.45)


def snapped(img, target, rng, least, ground_of=None):
    """A scene of a room (a wall, a row of lockers) photographed, faded at its edges into
    ground_of(work shape) (its own colours, mottled, if not given): target (top, left,
    bottom, right) its digit's box, at least `least` of the photo's height."""
    return photographed(feathered(img, 0.12), ground_of or surround(img, rng), target, rng, TILT, 18,
                        digit_height(rng, least), SPIN)


def plain_wall(colour, rng):
    """A painted wall past a scene's edges: its colour, mottled."""
    return lambda work: np.float32(colour) * (0.9 + 0.12 * fbm(work, work[0] / 3, rng))[..., None] * \
        np.ones(work + (3,), np.float32)


# --- quiz-circle -------------------------------------------------------------------------

def hand_container(h, w, rng, width, kind):
    """A ring or a box drawn by hand round the middle of an (h, w) coverage: a ring that
    overshoots where it started and drifts a little, or four strokes that cross at their
    corners."""
    cov = np.zeros((h, w), np.float32)
    cx, cy, rx, ry = w / 2, h / 2, w / 2 - width, h / 2 - width
    if kind == "ring":
        a0 = rng.uniform(0, 2 * math.pi)
        t = np.linspace(0, 2 * math.pi + rng.uniform(0.25, 0.7), 120)
        drift = 1 + rng.uniform(-0.06, 0.0) * t / (2 * math.pi)
        wob = 1 + 0.025 * np.sin(3 * t + rng.uniform(0, 6))
        pts = np.stack([cx + rx * drift * wob * np.cos(a0 + t), cy + ry * drift * wob * np.sin(a0 + t)], 1)
        cv2.polylines(cov, [np.int32(pts * 16)], False, 1.0, int(width), cv2.LINE_AA, shift=4)
        return cov
    jit = lambda: rng.uniform(-0.03, 0.03) * min(h, w)  # noqa: E731
    corners = [(width * 2 + jit(), width * 2 + jit()), (w - width * 2 + jit(), width * 2 + jit()),
               (w - width * 2 + jit(), h - width * 2 + jit()), (width * 2 + jit(), h - width * 2 + jit())]
    for k in range(4):
        (x0, y0), (x1, y1) = corners[k], corners[(k + 1) % 4]
        dx, dy = x1 - x0, y1 - y0
        over0, over1 = rng.uniform(0.0, 0.06), rng.uniform(0.0, 0.08)
        a, b = (x0 - dx * over0, y0 - dy * over0), (x1 + dx * over1, y1 + dy * over1)
        bow = rng.uniform(-0.015, 0.015) * min(h, w)
        mid = ((a[0] + b[0]) / 2 - dy / max(1, math.hypot(dx, dy)) * bow,
               (a[1] + b[1]) / 2 + dx / max(1, math.hypot(dx, dy)) * bow)
        pts = np.float32([a, mid, b])
        cv2.polylines(cov, [np.int32(np.clip(pts, 0, [w - 1, h - 1]) * 16)], False, 1.0, int(width), cv2.LINE_AA,
                      shift=4)
    return cov


def contained(cov, rng, width, kind):
    """cov with a hand-drawn ring or box round it, clear of it on every side."""
    h, w = cov.shape
    grow = 1.75 if kind == "ring" else 1.3
    H = int(h * grow + 4 * width)
    # No narrower than round (a ring) or 4:5 (a box): a 1 in a tight ring reads as a slashed 0.
    W = max(int(w * grow + h * 0.25 + 4 * width), int(H * (0.95 if kind == "ring" else 0.8)))
    out = hand_container(H, W, rng, width, kind)
    top, left = (H - h) // 2, (W - w) // 2
    out[top:top + h, left:left + w] = np.maximum(out[top:top + h, left:left + w], cov)
    return out, (top, left, top + h, left + w)


def quiz_photo(answer_cov, questions, choice_letters, rng, tool, kind):
    """A printed quiz sheet: questions of words at the left, each answered at the right;
    the asked one's answer (answer_cov) written by hand and ringed or boxed (kind) in the
    same pen, the others' printed choices with one of them ringed; photographed on
    a desk or a tablecloth, a part of the sheet in the frame."""
    ch, cw = 1500, 1150
    img = paper((ch, cw), rng)
    colour = PENS[tool]
    width = 7 if tool == "pencil" else (8 if tool == "biro" else 13)
    row = int(ch * 0.8 / len(questions))
    asked = int(rng.integers(0, len(questions)))
    target = None
    for k, q in enumerate(questions):
        y = int(ch * 0.12) + k * row
        qc = fit(q, row * 0.16, cw * 0.5)
        laid(img, soft(qc, 0.6), INK, y + int(row * 0.3), int(cw * 0.06))
        if k == asked:
            a = fit(answer_cov, row * rng.uniform(0.42, 0.55), cw * 0.22)
            ringed, (t, l, b, r) = contained(a, rng, width, kind)
            top = max(0, y + int(row * 0.35) - ringed.shape[0] // 2)
            left = min(int(cw * 0.8) - ringed.shape[1] // 2, cw - ringed.shape[1] - 4)
            hand_ink(img, ringed, colour, top, left, rng, tool)
            target = (top + t, left + l, top + b, left + r)
            continue
        chosen = int(rng.integers(0, len(choice_letters)))
        for j, letter in enumerate(choice_letters):
            lc = fit(letter, row * 0.16, cw)
            x = int(cw * (0.62 + 0.16 * j))
            laid(img, soft(lc, 0.6), INK, y + int(row * 0.3), x)
            if j == chosen:
                ring = hand_container(int(lc.shape[0] * 2.2), int(lc.shape[1] * 2.2 + lc.shape[0] * 0.4), rng,
                                      width * 0.8, "ring")
                hand_ink(img, ring, colour, y + int(row * 0.3) + lc.shape[0] // 2 - ring.shape[0] // 2,
                         x + lc.shape[1] // 2 - ring.shape[1] // 2, rng, tool)
    edge = np.ones((ch, cw), np.float32)
    edge[:2], edge[-2:], edge[:, :2], edge[:, -2:] = 0.5, 0.5, 0.5, 0.5
    return photographed(with_mask(img, edge), ground(pick(rng, ("desk", "cloth")), rng), target, rng, TILT, 18,
                        digit_height(rng), SPIN)


# --- locker-door -------------------------------------------------------------------------

LOCKERS = ([0.55, 0.57, 0.6], [0.2, 0.35, 0.6], [0.25, 0.45, 0.3], [0.85, 0.45, 0.12], [0.7, 0.15, 0.15],
           [0.88, 0.87, 0.82])


def locker_door(h, w, colour, rng):
    """A steel door: its paint's sheen, vents near its top and its foot, a handle and a
    lock at its right, a card holder; (picture, the card holder's box)."""
    door = np.float32(colour) * (0.9 + 0.1 * smooth_noise((h, w), h / 2, rng, w / 30))[..., None] * \
        np.ones((h, w, 3), np.float32)
    door *= (0.92 + 0.1 * np.linspace(0, 1, w, dtype=np.float32))[None, :, None]
    door[:, :4] *= 1.25
    door[:, -4:] *= 0.6
    for y0 in (int(h * 0.05), int(h * 0.86)):
        for k in range(6):
            y = y0 + k * int(h * 0.018)
            cv2.rectangle(door, (int(w * 0.2), y), (int(w * 0.8), y + int(h * 0.006)), (0.05, 0.05, 0.05), -1)
            cv2.line(door, (int(w * 0.2), y + int(h * 0.007)), (int(w * 0.8), y + int(h * 0.007)),
                     np.clip(np.float32(colour) * 1.35, 0, 1).tolist(), 2)
    hx, hy = int(w * 0.84), int(h * 0.5)
    cv2.rectangle(door, (hx - 14, hy - 70), (hx + 14, hy + 70), (0.12, 0.12, 0.13), -1, cv2.LINE_AA)
    cv2.rectangle(door, (hx - 8, hy - 60), (hx + 8, hy + 60), (0.7, 0.71, 0.73), -1, cv2.LINE_AA)
    cv2.circle(door, (hx, hy - 110), 16, (0.75, 0.76, 0.78), -1, cv2.LINE_AA)
    cv2.line(door, (hx, hy - 118), (hx, hy - 102), (0.1, 0.1, 0.1), 3)
    card = (int(h * 0.3), int(w * 0.3), int(h * 0.3) + int(w * 0.16), int(w * 0.7))
    cv2.rectangle(door, (card[1] - 6, card[0] - 6), (card[3] + 6, card[2] + 6), (0.6, 0.61, 0.63), -1)
    door[card[0]:card[2], card[1]:card[3]] = paper((card[2] - card[0], card[3] - card[1]), rng)
    return door, card


def locker_photo(digit_covs, card_covs, rng, kind):
    """A row of steel lockers, their doors side by side; the middle door's number above its
    card holder: digit_covs on a riveted plate, painted on the door or stuck on as vinyl
    digits one by one (kind); card_covs(rng) gives a card's name (letters) for each door;
    photographed in a corridor."""
    sh, sw = 2400, 3600
    dw, dh = 840, int(sh * 1.1)
    colour = pick(rng, LOCKERS)
    img = np.float32([0.1, 0.1, 0.1]) * np.ones((sh, sw, 3), np.float32)
    middle = (sw - dw) // 2
    target = None
    for k in range(-3, 4):
        x = middle + k * (dw + 8)
        door, card = locker_door(dh, dw, colour, rng)
        laid(door, soft(fit(card_covs(rng), (card[2] - card[0]) * 0.5, (card[3] - card[1]) * 0.85), 0.6),
             INK, card[0] + int((card[2] - card[0]) * 0.25), card[1] + int((card[3] - card[1]) * 0.07))
        if k == 0:
            nh = int(dh * rng.uniform(0.07, 0.1))
            top = card[0] - nh - int(dh * 0.05)
            if kind == "plate":
                plate = np.float32(pick(rng, ([0.78, 0.78, 0.8], [0.8, 0.62, 0.3], [0.1, 0.1, 0.1])))
                n = fit(row_of(digit_covs, 0.1), nh, dw * 0.5)
                pt, pl = top - int(nh * 0.3), (dw - n.shape[1]) // 2 - int(nh * 0.6)
                pb, pr = top + nh + int(nh * 0.3), (dw + n.shape[1]) // 2 + int(nh * 0.6)
                cv2.rectangle(door, (pl + 5, pt + 5), (pr + 5, pb + 5), (0.05, 0.05, 0.05), -1)
                cv2.rectangle(door, (pl, pt), (pr, pb), plate.tolist(), -1, cv2.LINE_AA)
                for rx in (pl + int(nh * 0.25), pr - int(nh * 0.25)):
                    cv2.circle(door, (rx, (pt + pb) // 2), max(3, nh // 14), (plate * 0.6).tolist(), -1, cv2.LINE_AA)
                ink = [0.96, 0.96, 0.94] if plate.mean() < 0.3 else [0.06, 0.06, 0.07]
                laid(door, soft(n, 0.7), ink, top, (dw - n.shape[1]) // 2)
                box = (top, (dw - n.shape[1]) // 2, top + nh, (dw + n.shape[1]) // 2)
            elif kind == "painted":
                n = fit(row_of(digit_covs, 0.1), nh, dw * 0.6)
                paint = [0.95, 0.95, 0.92] if np.mean(colour) < 0.6 else [0.08, 0.08, 0.1]
                texture = 0.85 + 0.15 * smooth_noise(n.shape, 3, rng)
                laid(door, soft(n, 0.8) * texture, paint, top, (dw - n.shape[1]) // 2)
                box = (top, (dw - n.shape[1]) // 2, top + nh, (dw + n.shape[1]) // 2)
            else:  # vinyl digits stuck on one by one, each a little askew
                vinyl = pick(rng, ([0.97, 0.97, 0.95], [0.05, 0.05, 0.06], [0.98, 0.8, 0.1]))
                if abs(np.mean(vinyl) - np.mean(colour)) < 0.3:
                    vinyl = [0.05, 0.05, 0.06] if np.mean(colour) > 0.5 else [0.97, 0.97, 0.95]
                covs = [fit(c, nh, dw) for c in digit_covs]
                gap = int(nh * rng.uniform(0.08, 0.2))
                total = sum(c.shape[1] for c in covs) + gap * (len(covs) - 1)
                x0 = (dw - total) // 2
                left0 = x0
                for c in covs:
                    a = rng.uniform(-5, 5)
                    pad = nh // 4
                    cp = np.pad(c, pad)
                    M = cv2.getRotationMatrix2D((cp.shape[1] / 2, cp.shape[0] / 2), a, 1.0)
                    cr = cv2.warpAffine(cp, M, (cp.shape[1], cp.shape[0]))
                    dy = int(rng.uniform(-0.05, 0.05) * nh)
                    laid(door, soft(cr, 2.5) * 0.35, [0, 0, 0], top - pad + dy + 3, x0 - pad + 3)
                    laid(door, soft(cr, 0.6), vinyl, top - pad + dy, x0 - pad)
                    x0 += c.shape[1] + gap
                box = (top, left0, top + nh, x0 - gap)
            target = (box[0], box[1] + x, box[2], box[3] + x)
        l0, l1 = max(0, x), min(sw, x + dw)
        if l1 > l0:
            img[:, l0:l1] = door[:sh, l0 - x:l1 - x]
    return snapped(img, target, rng, 0.1)


# --- tote-bag ----------------------------------------------------------------------------

BAGS = {"natural": [0.86, 0.8, 0.67], "black": [0.1, 0.1, 0.11], "navy": [0.12, 0.16, 0.32],
        "red": [0.7, 0.14, 0.14]}
BAG_PRINTS = ([0.96, 0.95, 0.9], [0.08, 0.08, 0.1], [0.85, 0.2, 0.15], [0.15, 0.3, 0.65], [0.95, 0.75, 0.1])


def tote_photo(print_cov, word_cov, rng, kind):
    """A canvas tote bag (kind: its colour) hanging on a hook on a wall or a door, its two
    handles up to the hook: print_cov printed large on its side, word_cov (letters) under
    or over it, the canvas's weave and folds bending and shading print and cloth alike."""
    bh, bw = 1500, 1300
    cloth = np.float32(BAGS[kind])
    ink = pick(rng, [np.float32(c) for c in BAG_PRINTS if abs(np.mean(c) - cloth.mean()) > 0.35])
    ys, xs = np.mgrid[0:bh, 0:bw].astype(np.float32)
    weave = 0.94 + 0.06 * np.sin(xs * 1.6) * np.sin(ys * 1.6)
    bag = cloth * (weave * (0.93 + 0.1 * fbm((bh, bw), 200, rng)))[..., None]
    p = fit(print_cov, bh * rng.uniform(0.28, 0.42), bw * 0.7)
    top, left = int(bh * rng.uniform(0.3, 0.4)), (bw - p.shape[1]) // 2 + int(bw * rng.uniform(-0.05, 0.05))
    grain = 0.8 + 0.2 * weave[:p.shape[0], :p.shape[1]]
    laid(bag, soft(p, 0.8) * grain, ink, top, left)
    box = (top, left, top + p.shape[0], left + p.shape[1])
    if word_cov is not None:
        wc = fit(word_cov, p.shape[0] * 0.18, bw * 0.7)
        wy = top + p.shape[0] + int(p.shape[0] * 0.15) if rng.random() < 0.6 else top - int(wc.shape[0] * 1.8)
        laid(bag, soft(wc, 0.8) * grain[:wc.shape[0], :wc.shape[1]] if wc.shape[1] <= grain.shape[1] else soft(wc, 0.8),
             ink, wy, (bw - wc.shape[1]) // 2)
    z = fold_field((bh, bw), rng)
    gy, gx = np.gradient(cv2.GaussianBlur(z, (0, 0), bh / 25))  # long soft folds, not the jersey's creases
    amp = rng.uniform(0.008, 0.02) * bh
    bag = cv2.remap(bag, xs + z * amp * 0.3, ys + z * amp, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    a = rng.uniform(0, 2 * math.pi)
    bag *= (1 + np.clip((gx * math.cos(a) + gy * math.sin(a)) * bh * rng.uniform(0.02, 0.04), -0.25, 0.15))[..., None]
    sh, sw = 2300, 2000
    wall = np.float32(pick(rng, ([0.88, 0.87, 0.84], [0.7, 0.75, 0.8], [0.55, 0.42, 0.3], [0.92, 0.9, 0.8])))
    img = wall * (0.92 + 0.1 * fbm((sh, sw), sh / 4, rng))[..., None] * np.ones((sh, sw, 3), np.float32)
    bt, bl = int(sh * 0.32), (sw - bw) // 2
    hook = (sw // 2, int(sh * 0.08))
    handles = np.zeros((sh, sw), np.float32)
    for side in (-1, 1):
        for x in (bl + int(bw * (0.5 + side * 0.32)), bl + int(bw * (0.5 + side * 0.18))):
            cv2.line(handles, (x, bt + 5), (hook[0] + side * 12, hook[1] + 20), 1.0, 40, cv2.LINE_AA)
    shadow = soft(handles, 20)
    shadow[bt + 20:bt + bh + 20, bl + 25:bl + bw + 25] = 1.0
    img *= (1 - 0.3 * soft(shadow, 25))[..., None]
    laid(img, handles, cloth * 0.85, 0, 0)
    img[bt:bt + bh, bl:bl + bw] = bag
    cv2.circle(img, hook, 22, (0.3, 0.3, 0.32), -1, cv2.LINE_AA)
    target = (box[0] + bt, box[1] + bl, box[2] + bt, box[3] + bl)
    return snapped(img, target, rng, 0.12, plain_wall(wall, rng))


# --- toy-block ---------------------------------------------------------------------------

BLOCK_PAINTS = ([0.8, 0.15, 0.12], [0.15, 0.35, 0.75], [0.95, 0.78, 0.15], [0.2, 0.6, 0.3], [0.95, 0.5, 0.15])


def wood(shape, rng):
    h, w = shape
    base = np.float32(pick(rng, ([0.85, 0.7, 0.5], [0.9, 0.78, 0.58], [0.78, 0.6, 0.4])))
    return base * (0.88 + 0.16 * smooth_noise((h, w), max(2.0, h / 40), rng, max(4.0, w / 2)))[..., None]


def block_face(cov, s, rng, kind, colour, framed):
    """A block's face (s x s): wood or a paint; cov on it in a contrary colour, a frame
    of the same colour round the face's edge one time in two."""
    face = wood((s, s), rng) if kind == "wood" else np.float32(colour) * (0.95 + 0.05 * fbm((s, s), 40, rng))[
        ..., None] * np.ones((s, s, 3), np.float32)
    if kind == "wood":  # red, blue or green: a yellow or an orange is too like the wood
        ink = np.float32(pick(rng, BLOCK_PAINTS[:2] + BLOCK_PAINTS[3:4]))
    else:  # white, or blue on a yellow block
        ink = np.float32([0.97, 0.96, 0.92] if colour is not BLOCK_PAINTS[2] else BLOCK_PAINTS[1])
    if framed:
        cv2.rectangle(face, (int(s * 0.07), int(s * 0.07)), (int(s * 0.93), int(s * 0.93)), ink.tolist(),
                      max(3, s // 30), cv2.LINE_AA)
    box = None
    if cov is not None and cov.max() > 0:
        c = fit(cov, s * 0.62, s * 0.7)
        centred(face, soft(c, 0.7), ink, (0, 0, s, s))
        t, l = (s - c.shape[0]) // 2, (s - c.shape[1]) // 2
        box = (t, l, t + c.shape[0], l + c.shape[1])
    face[:3], face[-3:], face[:, :3], face[:, -3:] = face[:3] * 0.8, face[-3:] * 0.8, face[:, :3] * 0.8, \
        face[:, -3:] * 0.8
    return face, box


def blocks_photo(fronts, tops, sides, rng, kind):
    """Toy blocks side by side on a floor or a rug, seen from the front and a little from
    above: fronts (coverages or None) on their front faces, tops and sides (letters or
    pictures) on their top and right faces, shaded; wood or painted (kind)."""
    s = 420
    d = int(s * rng.uniform(0.25, 0.35))
    n = len(fronts)
    gap = int(s * rng.uniform(0.03, 0.08))  # the next block hides most of a side face
    h, w = s + d + 200, n * (s + gap) + d + 200
    img, mask = np.zeros((h, w, 3), np.float32), np.zeros((h, w), np.float32)
    y0 = 100 + d
    boxes = []
    shadow = np.zeros((h, w), np.float32)
    for k in range(n):
        x0 = 100 + k * (s + gap)
        cv2.rectangle(shadow, (x0 + 30, y0 + 30), (x0 + s + d + 20, y0 + s + 10), 1.0, -1)
    shadow = soft(shadow, 25) * 0.45
    img[...] = 0
    mask[...] = shadow
    for k in range(n - 1, -1, -1):
        x0 = 100 + k * (s + gap)
        colour = pick(rng, BLOCK_PAINTS)
        framed = rng.random() < 0.5
        front, box = block_face(fronts[k], s, rng, kind, colour, framed)
        top, _ = block_face(tops[k], s, rng, kind, colour, framed)
        side, _ = block_face(sides[k], s, rng, kind, colour, framed)
        src = np.float32([[0, 0], [s, 0], [s, s], [0, s]])
        for face, quad, light in ((top, [[x0 + d, y0 - d], [x0 + s + d, y0 - d], [x0 + s, y0], [x0, y0]], 1.08),
                                  (side, [[x0 + s, y0], [x0 + s + d, y0 - d], [x0 + s + d, y0 + s - d],
                                          [x0 + s, y0 + s]], 0.62)):
            M = cv2.getPerspectiveTransform(src, np.float32(quad))
            warped = cv2.warpPerspective(face * light, M, (w, h))
            m = cv2.warpPerspective(np.ones((s, s), np.float32), M, (w, h))
            img = img * (1 - m[..., None]) + warped * m[..., None]
            mask = np.maximum(mask * (1 - m), m)
        img[y0:y0 + s, x0:x0 + s] = front
        mask[y0:y0 + s, x0:x0 + s] = 1.0
        if box is not None:
            boxes.append((box[0] + y0, box[1] + x0, box[2] + y0, box[3] + x0))
    target = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)) \
        if boxes else (y0, 100, y0 + s, 100 + s)
    return photographed(with_mask(img, mask), ground(pick(rng, ("floor", "cloth")), rng), target, rng, TILT, 18,
                        digit_height(rng), SPIN)


# --- foil-balloon ------------------------------------------------------------------------

FOILS = {"gold": [0.88, 0.68, 0.28], "silver": [0.8, 0.81, 0.84], "rose": [0.88, 0.58, 0.56],
         "blue": [0.25, 0.45, 0.88]}


def balloon(cov, rng, colour):
    """A foil balloon in cov's shape: puffed out, shaded as a pillow by a light from the
    upper left, with a sheen, its seam round the edge and creases near it; (picture, mask)."""
    c = np.pad(fit(cov, 700, 900), 60)
    r = 24
    m = soft(cv2.dilate(c, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2)), 4)
    m = np.clip((m - 0.5) * 4 + 0.5, 0, 1).astype(np.float32)
    dist = cv2.distanceTransform(np.uint8(m > 0.5), cv2.DIST_L2, 5)
    z = np.sqrt(dist / max(1.0, dist.max()))
    z = cv2.GaussianBlur(z, (0, 0), 6)
    gy, gx = np.gradient(z * 120)
    n = np.stack([-gx, -gy, np.ones_like(z)], -1)
    n /= np.linalg.norm(n, axis=-1, keepdims=True)
    light = np.float32([-0.5, -0.6, 0.62])
    light /= np.linalg.norm(light)
    diffuse = np.clip(n @ light, 0, 1)
    spec = np.clip(n @ np.float32([0.1, -0.2, 0.97]), 0, 1) ** 40
    env = 0.8 + 0.4 * smooth_noise(z.shape, 40, rng)
    img = np.float32(colour) * (0.25 + 0.85 * diffuse * env)[..., None] + 0.85 * (spec + 0.4 * diffuse ** 12)[..., None]
    seam = np.float32(np.abs(dist - 5) < 1.5)
    creases = np.zeros(z.shape, np.float32)
    ys, xs = np.nonzero((dist > 8) & (dist < 40))
    for k in rng.integers(0, len(ys), 40):
        a = rng.uniform(0, math.pi)
        L = rng.uniform(8, 25)
        cv2.line(creases, (int(xs[k] - L * math.cos(a)), int(ys[k] - L * math.sin(a))),
                 (int(xs[k] + L * math.cos(a)), int(ys[k] + L * math.sin(a))), 1.0, 2, cv2.LINE_AA)
    img *= (1 - 0.35 * seam - 0.25 * soft(creases, 1.2))[..., None]
    return np.clip(img, 0, 1), m


def party_wall(shape, rng, wall):
    """A painted wall, bunting of coloured flags on a string across its top."""
    h, w = shape
    img = np.float32(wall) * (0.9 + 0.12 * fbm((h, w), h / 3, rng))[..., None] * np.ones((h, w, 3), np.float32)
    y0 = int(h * rng.uniform(0.03, 0.12))
    sag = h * rng.uniform(0.03, 0.08)
    step = int(w * rng.uniform(0.06, 0.09))
    for x in range(0, w, step):
        y = int(y0 + sag * math.sin(math.pi * x / w))
        flag = np.int32([[x + 6, y], [x + step - 6, y], [x + step // 2, y + int(step * 1.1)]])
        cv2.fillPoly(img, [flag], pick(rng, BLOCK_PAINTS + ([0.95, 0.6, 0.75],)), cv2.LINE_AA)
    return cv2.GaussianBlur(img, (0, 0), 3)


def balloon_photo(covs, rng, kind):
    """Foil balloons (gold, silver, rose or blue) shaped as covs, side by side before a party
    wall, each a little turned, their ribbons hanging below."""
    shaped = []
    for c in covs:
        b, m = balloon(c, rng, FOILS[kind])
        M = cv2.getRotationMatrix2D((b.shape[1] / 2, b.shape[0] / 2), rng.uniform(-8, 8), 1.0)
        shaped.append((cv2.warpAffine(b, M, (b.shape[1], b.shape[0])), cv2.warpAffine(m, M, (m.shape[1], m.shape[0]))))
    sh, sw = 2000, sum(b.shape[1] for b, _ in shaped) + 1100
    wall = pick(rng, ([0.92, 0.9, 0.86], [0.75, 0.85, 0.9], [0.95, 0.85, 0.85], [0.5, 0.5, 0.55]))
    img = party_wall((sh, sw), rng, wall)
    x = 550
    boxes = []
    for b, m in shaped:
        xs = np.nonzero(m.max(axis=0) > 0.5)[0]
        x -= xs.min()  # each balloon a little apart from the last
        top = int(sh * rng.uniform(0.18, 0.26))
        laid(img, soft(m, 18) * 0.3, [0, 0, 0], top + 25, x + 35)
        foot = (x + b.shape[1] // 2, top + b.shape[0] - 60)
        pts = np.int32([[foot[0] + 30 * math.sin(t * 3) * t, foot[1] + t * (sh - foot[1])] for t in
                        np.linspace(0, 1, 20)])
        cv2.polylines(img, [pts], False, pick(rng, ([0.9, 0.2, 0.3], [0.95, 0.95, 0.95], [0.9, 0.75, 0.2])), 4,
                      cv2.LINE_AA)
        laid(img, m, b, top, x)
        ys, xs = np.nonzero(m > 0.5)
        boxes.append((top + ys.min(), x + xs.min(), top + ys.max(), x + xs.max()))
        x += int(xs.max() + 30)
    target = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    return snapped(img, target, rng, 0.15, plain_wall(wall, rng))
