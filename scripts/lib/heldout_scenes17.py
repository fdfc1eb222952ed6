"""Scenes of the seventeenth held-out set (scripts/make-heldout-set17.py), painted afresh: a
parking bay's number painted on asphalt or concrete, seen at a slant; a library shelf's
label in its frame on a shelf's edge under a row of books; a digit drawn with a finger in
flour or sugar on a dark baking tray; a pharmacy box's dosage label with a large digit; a
plant marker in a pot's soil, its number written in marker; and the non-digit marks drawn
in those settings. Pictures are float32 RGB in [0, 1] until a scene returns uint8; a
coverage map is float32 (h, w), 1 = ink. Every function draws only from the numpy
Generator it is given. A flat picture photographed is the tenth set's
(scripts/lib/heldout_scenes10.py), a pen's strokes the fourteenth's, a desk and a table
cloth the fifteenth's.
"""

import cv2
import numpy as np

from heldout_render import fbm, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import paper, pick
from heldout_scenes8 import soft
from heldout_scenes9 import feathered
from heldout_scenes10 import photographed
from heldout_scenes11 import laid
from heldout_scenes13 import centred
from heldout_scenes14 import hand_ink
from heldout_scenes15 import ground, with_mask
from heldout_scenes16 import digit_height, plain_wall

SPIN = 20  # degrees a photo is turned, at most
TILT = (0, 22)  # degrees the surface leans away from the camera
INK = [0.08, 0.08, 0.1]


def textured(work, colour, cell, rng, spread=0.12):
    """A colour mottled over about `cell` pixels."""
    return np.float32(colour) * (1 - spread + 2 * spread * fbm(work, cell, rng))[..., None] * \
        np.ones(work + (3,), np.float32)


# --- parking-bay -------------------------------------------------------------------------

SURFACES = {"asphalt": [0.27, 0.27, 0.28], "concrete": [0.5, 0.5, 0.48]}
ROAD_PAINTS = {"white": [0.95, 0.95, 0.93], "yellow": [0.97, 0.75, 0.05]}


def pavement(work, kind, rng):
    """Asphalt (dark, gritty) or concrete (pale, its slabs' joints): mottled, with stains."""
    h, w = work
    img = textured(work, SURFACES[kind], max(4.0, h / 4), rng, 0.1)
    grit = rng.random(work).astype(np.float32)
    img *= (0.86 + 0.28 * grit)[..., None] if kind == "asphalt" else (0.95 + 0.1 * grit)[..., None]
    for _ in range(int(rng.integers(1, 4))):  # oil stains
        stain = np.zeros(work, np.float32)
        cv2.ellipse(stain, (int(rng.uniform(0, w)), int(rng.uniform(0, h))),
                    (int(w * rng.uniform(0.03, 0.1)), int(h * rng.uniform(0.02, 0.06))), rng.uniform(0, 180), 0, 360,
                    1.0, -1)
        img *= (1 - 0.3 * soft(stain, max(2.0, w / 60)))[..., None]
    if kind == "concrete":
        step = int(w * rng.uniform(0.3, 0.5))
        for x in range(int(rng.uniform(0, step)), w, step):
            cv2.line(img, (x, 0), (x, h), (0.35, 0.35, 0.34), max(1, w // 400))
    return np.clip(img, 0, 1)


def parking_photo(cov, rng, kind, paint):
    """A parking bay: its two side lines and its end line painted on asphalt or concrete
    (kind), cov painted large in the bay near its end in white or yellow (paint), the paint
    worn; seen standing at the bay, the ground leaning away 15 to 45 degrees."""
    sh, sw = 2200, 2600
    img = pavement((sh, sw), kind, rng)
    colour = np.float32(ROAD_PAINTS[paint])
    bay = (int(sw * 0.18), int(sw * 0.82))
    lw = int(sw * 0.025)
    lines = np.zeros((sh, sw), np.float32)
    for x in bay:
        cv2.line(lines, (x, 0), (x, sh), 1.0, lw)
    cv2.line(lines, (bay[0], int(sh * 0.12)), (bay[1], int(sh * 0.12)), 1.0, lw)
    n = fit(cov, sh * rng.uniform(0.3, 0.45), (bay[1] - bay[0]) * 0.75)
    top, left = int(sh * 0.22), (sw - n.shape[1]) // 2
    lines[top:top + n.shape[0], left:left + n.shape[1]] = np.maximum(lines[top:top + n.shape[0],
                                                                            left:left + n.shape[1]], n)
    wear = np.clip(0.7 + 0.6 * fbm((sh, sw), sh / 10, rng) - 0.3 * (rng.random((sh, sw)) < 0.15), 0.45, 1)
    laid(img, soft(lines, 1.2) * wear.astype(np.float32) * rng.uniform(0.8, 0.95), colour, 0, 0)
    target = (top, left, top + n.shape[0], left + n.shape[1])
    return photographed(feathered(img, 0.12), lambda work: pavement(work, kind, rng), target, rng, (15, 45), 18,
                        digit_height(rng), SPIN)


# --- shelf-label -------------------------------------------------------------------------

SPINES = ([0.6, 0.12, 0.12], [0.12, 0.25, 0.5], [0.15, 0.4, 0.25], [0.85, 0.75, 0.55], [0.3, 0.2, 0.15],
          [0.9, 0.9, 0.85], [0.1, 0.1, 0.1], [0.55, 0.45, 0.6])


def books(shape, rng):
    """A row of books standing on a shelf, their spines in many colours and heights."""
    h, w = shape
    img = np.float32([0.12, 0.1, 0.08]) * np.ones((h, w, 3), np.float32)
    x = 0
    while x < w:
        bw = int(h * rng.uniform(0.08, 0.2))
        top = int(h * rng.uniform(0.0, 0.25))
        c = np.float32(pick(rng, SPINES)) * rng.uniform(0.8, 1.1)
        img[top:, x:x + bw - 2] = c
        for y in (top + int((h - top) * rng.uniform(0.1, 0.2)), top + int((h - top) * rng.uniform(0.75, 0.9))):
            img[y:y + max(2, h // 80), x:x + bw - 2] = np.clip(c * 0.6 + 0.3, 0, 1)  # a band across the spine
        img[:, x:x + 3] *= 0.7
        x += bw
    return np.clip(img * (0.85 + 0.2 * fbm((h, w), h / 3, rng))[..., None], 0, 1)


def shelf_photo(cov, word_cov, rng, kind):
    """A bookcase's shelf: books above and below, the shelf's wooden edge between, and on it
    a small label in a frame: a paper card in a metal holder, the word over the number, or
    an engraved brass plate (kind)."""
    sh, sw = 2200, 2800
    img = np.zeros((sh, sw, 3), np.float32)
    edge_top, edge_h = int(sh * 0.46), int(sh * 0.16)
    img[:edge_top] = books((edge_top, sw), rng)
    img[edge_top + edge_h:] = books((sh - edge_top - edge_h, sw), rng)
    wood = np.float32(pick(rng, ([0.72, 0.55, 0.36], [0.5, 0.33, 0.2], [0.85, 0.78, 0.65], [0.92, 0.92, 0.9])))
    img[edge_top:edge_top + edge_h] = wood * (0.88 + 0.18 * smooth_noise((edge_h, sw), 6, rng, sw / 4))[..., None]
    img[edge_top:edge_top + 4] *= 1.2
    img[edge_top + edge_h - 6:edge_top + edge_h] *= 0.5
    lh = int(edge_h * 0.86)
    lw = int(lh * rng.uniform(1.5, 2.0))
    lt, ll = edge_top + (edge_h - lh) // 2, (sw - lw) // 2 + int(sw * rng.uniform(-0.2, 0.2))
    if kind == "card":
        frame = np.float32(pick(rng, ([0.75, 0.76, 0.78], [0.2, 0.2, 0.22])))
        cv2.rectangle(img, (ll - 14, lt - 10), (ll + lw + 14, lt + lh + 10), (frame * 0.5).tolist(), -1)
        cv2.rectangle(img, (ll - 10, lt - 6), (ll + lw + 10, lt + lh + 6), frame.tolist(), -1)
        img[lt:lt + lh, ll:ll + lw] = paper((lh, lw), rng)
        ink = INK
    else:
        brass = np.float32([0.78, 0.62, 0.3])
        img[lt:lt + lh, ll:ll + lw] = brass * (0.85 + 0.25 * smooth_noise((lh, lw), 4, rng, lw / 3))[..., None]
        cv2.rectangle(img, (ll, lt), (ll + lw, lt + lh), (brass * 0.55).tolist(), 4)
        for x in (ll + lh // 8, ll + lw - lh // 8):
            cv2.circle(img, (x, lt + lh // 2), max(3, lh // 22), (brass * 0.5).tolist(), -1, cv2.LINE_AA)
        ink = [0.12, 0.09, 0.05]
    inner = (lt + int(lh * 0.08), ll + int(lw * 0.15), lt + int(lh * 0.92), ll + int(lw * 0.85))
    if word_cov is not None:
        wc = fit(word_cov, lh * 0.14, (inner[3] - inner[1]))
        laid(img, soft(wc, 0.6), ink, inner[0], (2 * ll + lw - wc.shape[1]) // 2)
        inner = (inner[0] + int(wc.shape[0] * 1.6), inner[1], inner[2], inner[3])
    n = fit(cov, (inner[2] - inner[0]) * 0.92, inner[3] - inner[1])
    t, l = centred(img, soft(n, 0.6), ink, inner)
    target = (t, l, t + n.shape[0], l + n.shape[1])
    return photographed(feathered(img, 0.12), plain_wall([0.3, 0.24, 0.18], rng), target, rng, TILT, 25,
                        digit_height(rng, 0.08), SPIN)


# --- flour-tray --------------------------------------------------------------------------

TRAYS = ([0.1, 0.1, 0.11], [0.22, 0.14, 0.1], [0.15, 0.17, 0.2])


def flour_photo(cov, rng, kind):
    """A dark baking tray dusted with flour or sugar (kind), cov drawn through it with a
    finger: the tray shows in the strokes, the powder piled at their edges; photographed
    from above on a worktop or a cloth, the tray's rim round it."""
    th, tw = 1400, 1800
    tray = np.float32(pick(rng, TRAYS))
    img = tray * (0.85 + 0.3 * smooth_noise((th, tw), th / 3, rng))[..., None] * np.ones((th, tw, 3), np.float32)
    c = fit(cov, th * rng.uniform(0.45, 0.65), tw * 0.75)
    top, left = (th - c.shape[0]) // 2 + int(th * rng.uniform(-0.08, 0.08)), (tw - c.shape[1]) // 2
    stroke = np.zeros((th, tw), np.float32)
    stroke[top:top + c.shape[0], left:left + c.shape[1]] = c
    stroke = soft(stroke, 2.5)
    depth = rng.uniform(0.7, 0.95)
    fine = rng.random((th, tw)).astype(np.float32)
    cover = np.clip(depth * (0.7 + 0.45 * fbm((th, tw), th / 12, rng)) * (0.85 + 0.15 * fine), 0, 1)
    if kind == "sugar":  # coarser: grains that catch the light
        cover = cover * (0.75 + 0.25 * np.float32(fine < 0.5)) + 0.3 * np.float32(fine > 0.995)
        powder = np.float32([0.97, 0.96, 0.93])
    else:
        powder = np.float32([0.95, 0.93, 0.88])
    rim = np.clip(soft(stroke, 10) - stroke, 0, 1) * 1.5  # powder pushed out of the stroke
    cover = np.clip(cover * (1 - np.clip(stroke * 1.2, 0, 1)) + rim * 0.4, 0, 1)
    left_in = stroke * (0.1 + 0.2 * smooth_noise((th, tw), 12, rng))  # a little left in the stroke
    cover = np.maximum(cover, left_in * depth)
    b = int(th * rng.uniform(0.05, 0.08))  # the tray's raised rim, bare metal, a little dust
    inside = np.zeros((th, tw), np.float32)
    inside[b:-b, b:-b] = 1.0
    inside = soft(inside, 4)
    cover = cover * inside + 0.12 * (1 - inside) * fine
    img = img * (1 - cover[..., None]) + powder * cover[..., None]
    img[:b // 2] *= 1.8
    img[-b // 2:] *= 0.6
    img[:, :b // 2] *= 1.4
    img[:, -b // 2:] *= 0.7
    img = np.clip(img, 0, 1)
    target = (top, left, top + c.shape[0], left + c.shape[1])
    return photographed(with_mask(img, np.ones((th, tw), np.float32)), ground(pick(rng, ("desk", "cloth")), rng),
                        target, rng, TILT, 18, digit_height(rng), SPIN)


# --- dosage-label ------------------------------------------------------------------------

BANDS = ([0.1, 0.45, 0.3], [0.15, 0.3, 0.65], [0.75, 0.15, 0.2], [0.45, 0.2, 0.55])


def dosage_photo(cov, words, rng, kind):
    """A medicine box (white, a coloured band at one end) with a pharmacy's printed label
    stuck across its front: lines of words, and the dose large, printed black on the label
    or white in a round badge of the band's colour (kind); the box's top seen above its
    front, standing on a table or a cloth."""
    bh, bw = 900, 1500
    band = np.float32(pick(rng, BANDS))
    front = paper((bh, bw), rng, [0.96, 0.96, 0.95])
    front[:, -int(bw * 0.18):] = band
    lt, ll, lb, lr = int(bh * 0.12), int(bw * 0.06), int(bh * 0.88), int(bw * 0.76)
    cv2.rectangle(front, (ll + 6, lt + 6), (lr + 6, lb + 6), (0.75, 0.75, 0.73), -1)
    front[lt:lb, ll:lr] = paper((lb - lt, lr - ll), rng, [0.99, 0.98, 0.93])
    y = lt + int((lb - lt) * 0.08)
    for k, w in enumerate(words):
        wc = fit(w, (lb - lt) * (0.09 if k == 0 else 0.065), (lr - ll) * 0.55)
        laid(front, soft(wc, 0.6), INK, y, ll + int((lr - ll) * 0.05))
        y += int(wc.shape[0] * 1.9)
    box = (lt + int((lb - lt) * 0.1), ll + int((lr - ll) * 0.64), lb - int((lb - lt) * 0.1), lr - int((lr - ll) * 0.04))
    if kind == "badge":
        cy, cx = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
        r = min(box[2] - box[0], box[3] - box[1]) // 2
        cv2.circle(front, (cx, cy), r, band.tolist(), -1, cv2.LINE_AA)
        n = fit(cov, r * 1.15, r * 1.35)
        t, l = centred(front, soft(n, 0.6), [0.98, 0.98, 0.97], box)
    else:
        n = fit(cov, (box[2] - box[0]) * 0.85, box[3] - box[1])
        t, l = centred(front, soft(n, 0.6), INK, box)
    target = (t, l, t + n.shape[0], l + n.shape[1])
    d = int(bh * rng.uniform(0.2, 0.3))
    h, w = bh + d + 160, bw + 160
    img, mask = np.zeros((h, w, 3), np.float32), np.zeros((h, w), np.float32)
    top_face = paper((d, bw), rng, [0.96, 0.96, 0.95]) * 1.04
    top_face[:, -int(bw * 0.18):] = band * 1.05
    M = cv2.getPerspectiveTransform(np.float32([[0, 0], [bw, 0], [bw, d], [0, d]]),
                                    np.float32([[80 + d * 0.3, 80], [80 + bw - d * 0.3, 80], [80 + bw, 80 + d],
                                                [80, 80 + d]]))
    img = cv2.warpPerspective(np.clip(top_face, 0, 1), M, (w, h))
    mask = cv2.warpPerspective(np.ones((d, bw), np.float32), M, (w, h))
    img[80 + d:80 + d + bh, 80:80 + bw] = front
    mask[80 + d:80 + d + bh, 80:80 + bw] = 1.0
    shadow = np.zeros((h, w), np.float32)
    shadow[100 + d:h - 40, 110:w - 20] = 1.0
    mask = np.maximum(mask, soft(shadow, 20) * 0.4)
    target = (target[0] + 80 + d, target[1] + 80, target[2] + 80 + d, target[3] + 80)
    return photographed(with_mask(img, mask), ground(pick(rng, ("desk", "cloth")), rng), target, rng, TILT, 18,
                        digit_height(rng), SPIN)


# --- plant-marker ------------------------------------------------------------------------

MARKERS = {"white": [0.96, 0.96, 0.94], "yellow": [0.97, 0.85, 0.25]}


def soil(work, rng):
    """A pot's soil: dark brown, crumbly, a few light grains of grit."""
    img = textured(work, [0.24, 0.17, 0.12], max(2.0, work[0] / 30), rng, 0.25)
    grit = np.float32(rng.random(work) < 0.01)
    img = img * (1 - grit[..., None]) + np.float32([0.7, 0.65, 0.58]) * grit[..., None]
    return np.clip(img * (0.75 + 0.35 * fbm(work, work[0] / 4, rng))[..., None], 0, 1)


def leaves(img, rng, count):
    """Green leaves of the plant over the soil, away from the middle third."""
    h, w = img.shape[:2]
    for _ in range(count):
        x = int(rng.uniform(0, w))
        if w * 0.33 < x < w * 0.67:
            x = int(x + (w * 0.34 if rng.random() < 0.5 else -w * 0.34))
        y = int(rng.uniform(0, h))
        green = np.float32([0.15, 0.45, 0.15]) * rng.uniform(0.6, 1.3)
        axes = (int(h * rng.uniform(0.06, 0.14)), int(h * rng.uniform(0.025, 0.05)))
        a = rng.uniform(0, 180)
        cv2.ellipse(img, (x, y), axes, a, 0, 360, np.clip(green, 0, 1).tolist(), -1, cv2.LINE_AA)
        cv2.ellipse(img, (x, y), (axes[0], 1), a, 0, 360, np.clip(green * 1.4, 0, 1).tolist(), 2, cv2.LINE_AA)


def plant_photo(cov, rng, kind, tool, colour):
    """A plant label pushed into a pot's soil, leaves about it: a tall stake or a T-shaped
    label with a wide head (kind), white or yellow plastic (colour), cov written on it in
    marker or pencil (tool); seen from a little above."""
    sh, sw = 2000, 2000
    img = soil((sh, sw), rng)
    leaves(img, rng, int(rng.integers(4, 10)))
    plastic = np.float32(MARKERS[colour])
    c = fit(cov, sh * 0.2, sw * 0.4)
    if kind == "tee":
        hw, hh = int(max(c.shape[1] * 1.35 + sh * 0.05, c.shape[0] * 1.3)), int(c.shape[0] * 1.5)
    else:
        hw, hh = int(max(c.shape[1] * 1.25, c.shape[0] * 0.6)), int(c.shape[0] * 3.2)
    top, left = int(sh * 0.12), (sw - hw) // 2
    label = np.zeros((sh, sw), np.float32)
    cv2.rectangle(label, (left, top), (left + hw, top + hh), 1.0, -1)
    neck = int(hw * (0.35 if kind == "tee" else 1.0)) // 2
    pts = np.int32([[sw // 2 - neck, top + hh], [sw // 2 + neck, top + hh], [sw // 2 + neck // 3, sh],
                    [sw // 2 - neck // 3, sh]])
    cv2.fillPoly(label, [pts], 1.0)
    dirt = np.clip(np.linspace(0, 1, sh, dtype=np.float32) * 1.6 - 0.9, 0, 1)[:, None] * np.ones((1, sw))
    face = plastic * (0.92 + 0.08 * smooth_noise((sh, sw), 80, rng))[..., None] * (1 - 0.5 * dirt[..., None])
    shadow = np.zeros((sh, sw), np.float32)
    shadow[top + 20:, left + 30:left + hw + 30] = label[top:sh - 20, left:left + hw]
    img *= (1 - 0.4 * soft(shadow, 15))[..., None]
    img = img * (1 - label[..., None]) + face.astype(np.float32) * label[..., None]
    ct = top + (hh - c.shape[0]) // 2 if kind == "tee" else top + int(c.shape[0] * 0.4)
    hand_ink(img, c, [0.06, 0.06, 0.08] if tool == "marker" else [0.16, 0.16, 0.18], ct, (sw - c.shape[1]) // 2, rng,
             tool)
    target = (ct, (sw - c.shape[1]) // 2, ct + c.shape[0], (sw + c.shape[1]) // 2)
    return photographed(feathered(np.clip(img, 0, 1), 0.1), lambda work: soil(work, rng), target, rng, TILT, 18,
                        digit_height(rng), SPIN)
