"""Scenes of the twelfth held-out set (scripts/make-heldout-set12.py), painted afresh: a
mark written in the air with a sparkler or a torch and photographed at night in a long
exposure, number plates hung on the hooks of a club's scoreboard, a mark cut from plywood,
painted board or corrugated card standing on a shelf with its shadow on the wall, a mark
traced with a finger in a spilled drink on a table, a mark piped in icing on a cake, and
the non-digit marks drawn in those settings. Pictures are float32 RGB in [0, 1] until a
scene returns uint8; a coverage map is float32 (h, w), 1 = ink. Every function draws only
from the numpy Generator it is given. The camera's frames and the sensor are the sixth
set's (scripts/lib/heldout_scenes6.py), a flat picture photographed the tenth set's, a
picture laid over its own kind round its edges the eleventh set's.
"""

import math

import cv2
import numpy as np

from heldout_render import fbm, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import desk, photo_frame, pick, work_frame
from heldout_scenes7 import finish, wall
from heldout_scenes8 import shifted, soft
from heldout_scenes9 import feathered, rgb
from heldout_scenes10 import photographed, rotated
from heldout_scenes11 import laid, surround


def shading(height, rng):
    """How much light a surface of `height` (px) takes from a lamp at the upper left:
    1 where it faces the lamp, about 0.7 where it is flat."""
    hy, hx = np.gradient(soft(height, 1.0))
    a = rng.uniform(0.6, 1.4) * math.pi
    light = np.float32([math.cos(a) * 0.6, -abs(math.sin(a)) * 0.6, 0.55])
    light /= np.linalg.norm(light)
    return (-hx * light[0] - hy * light[1] + light[2]) / np.sqrt(hx ** 2 + hy ** 2 + 1)


def glint(shade, strength):
    """The sharp highlight of a wet or glossy surface where it faces the lamp."""
    return (np.clip(shade - 0.9, 0, 0.1) * 10) ** 2 * strength


def lit_relief(height, colour, rng, gloss, ambient=0.4):
    """A surface of `height` (px) in `colour`, shaded and with a highlight of strength
    gloss. float32 RGB."""
    shade = shading(height, rng)
    img = np.float32(colour) * np.clip(ambient + (1.1 - ambient) * shade, 0.15, 1.15)[..., None]
    return img + glint(shade, gloss)[..., None]


def clear_spot(rng, shape, size, avoid, tries=30):
    """A (top, left) for a size (h, w) thing inside shape that keeps off the avoid box."""
    t, l, b, r = avoid
    for _ in range(tries):
        y, x = int(rng.uniform(0, shape[0] - size[0])), int(rng.uniform(0, shape[1] - size[1]))
        if y + size[0] < t or y > b or x + size[1] < l or x > r:
            return y, x
    return None


# --- sparkler-trail ---------------------------------------------------------------------------

SPARKLER = ([1.0, 0.72, 0.3], [1.0, 0.82, 0.5], [1.0, 0.62, 0.2])
TORCHES = ([0.2, 0.85, 1.0], [1.0, 0.25, 0.8], [0.3, 1.0, 0.35], [1.0, 0.2, 0.15], [0.35, 0.45, 1.0],
           [1.0, 0.95, 0.8])


def night(shape, rng):
    """Out of doors at night: a dark sky fading to a paler band at the horizon, the black
    outline of trees or roofs, dark ground, a few far lamps and windows out of focus."""
    h, w = shape
    horizon = int(h * rng.uniform(0.55, 0.8))
    top = np.float32(pick(rng, ([0.01, 0.015, 0.04], [0.02, 0.02, 0.03], [0.03, 0.02, 0.05])))
    low = top + np.float32(pick(rng, ([0.07, 0.05, 0.08], [0.12, 0.07, 0.03], [0.03, 0.05, 0.09])))
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None] * (h / horizon)
    img = np.clip(top * (1 - t) + low * t, 0, 1) * np.ones((h, w, 3), np.float32)
    if rng.random() < 0.5:  # trees
        line = horizon - h * (0.05 + 0.2 * smooth_noise((2, w), 1, rng, w / rng.uniform(10, 30))[0])
    else:  # roofs
        line, x = np.full(w, float(horizon)), 0
        while x < w:
            bw = int(w * rng.uniform(0.06, 0.2))
            line[x:x + bw] = horizon - h * rng.uniform(0.03, 0.2)
            x += bw
    rows = np.arange(h, dtype=np.float32)[:, None]
    img[rows[:, 0] >= horizon] = np.float32(pick(rng, ([0.02, 0.03, 0.02], [0.04, 0.035, 0.03])))
    img = np.where((rows >= line[None, :])[..., None] & (rows < horizon)[..., None], np.float32(0.012), img)
    lights = np.zeros((h, w), np.float32)
    tints = np.zeros((h, w, 3), np.float32)
    for _ in range(int(rng.integers(2, 9))):
        x, y = int(rng.uniform(0, w)), int(horizon + rng.uniform(-0.15, 0.05) * h)
        r = int(h * rng.uniform(0.008, 0.03))
        col = np.float32(pick(rng, ([1.0, 0.75, 0.4], [1.0, 0.9, 0.7], [0.7, 0.85, 1.0], [1.0, 0.5, 0.3])))
        spot = np.zeros((h, w), np.float32)
        cv2.circle(spot, (x, y), r, rng.uniform(0.25, 0.9), -1, cv2.LINE_AA)
        lights += spot
        tints += spot[..., None] * col
    img += cv2.GaussianBlur(tints, (0, 0), h / 250) + 0.15 * cv2.GaussianBlur(tints, (0, 0), h / 40)
    return img * (0.9 + 0.2 * fbm((h, w), h / 4, rng))[..., None]


def trail_light(cov, rng, kind):
    """The light a moving sparkler or torch leaves along cov in one exposure: a white-hot
    core, brighter where the hand slowed, a coloured glow and, for a sparkler, short
    sparks flying off. float32 RGB to add."""
    h, w = cov.shape
    core = soft(cov, max(1.0, h / 250)) * (0.55 + 0.6 * smooth_noise((h, w), max(4.0, h / 6), rng))
    colour = np.float32(pick(rng, SPARKLER if kind == "sparkler" else TORCHES))
    light = core[..., None] * (0.9 + 0.6 * colour)
    r = max(2.0, h / 60)
    light += soft(core, r)[..., None] * colour * 1.2 + soft(core, r * 4)[..., None] * colour * 0.5
    if kind == "sparkler":
        sparks = np.zeros((h, w), np.float32)
        ys, xs = np.nonzero(cov > 0.5)
        for i in rng.choice(len(ys), size=min(len(ys), int(rng.integers(60, 200))), replace=False):
            a, n = rng.uniform(0, 2 * math.pi), h * rng.uniform(0.02, 0.08)
            end = (int(xs[i] + n * math.cos(a)), int(ys[i] + n * math.sin(a)))
            cv2.line(sparks, (int(xs[i]), int(ys[i])), end, rng.uniform(0.5, 1.2), max(1, int(h / 400)), cv2.LINE_AA)
        light += soft(sparks, 0.7)[..., None] * (colour * 0.6 + 0.4)
    return light


def sparkler_photo(cov, rng, kind):
    """cov written in the air with a sparkler or a torch in front of a night scene,
    photographed on a tripod with a long exposure: much sensor noise."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    img = night(work, rng)
    c = rotated(cov, rng.uniform(-6, 6))
    c = np.pad(c, int(c.shape[0] * 0.15))  # room for the glow and the sparks
    c = fit(c, work[0] * rng.uniform(0.25, 0.8), work[1] * 0.95)
    top = int((work[0] - c.shape[0]) * rng.uniform(0.25, 0.7))
    left = int((work[1] - c.shape[1]) * rng.uniform(0.2, 0.8))
    img[top:top + c.shape[0], left:left + c.shape[1]] += trail_light(c, rng, kind)
    return finish(img, frame, rng, blur=(0.3, 0.8), luma=(0.01, 0.03), chroma=(0.004, 0.015))


# --- scoreboard ---------------------------------------------------------------------------------

BOARD_PAINTS = {"green": [0.1, 0.27, 0.17], "black": [0.07, 0.07, 0.08], "white": [0.9, 0.9, 0.86]}
PLATE_COLOURS = {"green": ([0.95, 0.95, 0.92], [0.05, 0.05, 0.06]), "black": ([0.95, 0.95, 0.92], [0.05, 0.05, 0.06]),
                 "white": ([0.08, 0.08, 0.1], [0.96, 0.96, 0.94])}


def planks(shape, rng, colour):
    """A board of painted planks, the paint weathered and flaking a little."""
    h, w = shape
    img = np.float32(colour) * (0.85 + 0.25 * fbm((h, w), h / 6, rng))[..., None]
    flakes = smooth_noise((h, w), h / 60, rng, h / 20) > rng.uniform(0.88, 0.95)
    img[flakes] = img[flakes] * 0.8 + np.float32([0.55, 0.45, 0.35]) * 0.2
    step = int(h / rng.uniform(6, 10))
    for y in range(step, h, step):
        img[y:y + max(2, h // 300)] *= 0.5
    return img


def plate(cov, ph, pw, rng, paints):
    """A tin plate (ph, pw) with cov painted on it, two holes at its top for the hooks,
    its edge a little darker; the plate's picture."""
    back, ink = (np.float32(c) for c in paints)
    img = back * (0.92 + 0.1 * fbm((ph, pw), ph / 4, rng))[..., None]
    img[:max(2, ph // 40)], img[-max(2, ph // 40):] = back * 0.75, back * 0.75
    c = fit(cov, ph * rng.uniform(0.62, 0.74), pw * 0.82)
    top, left = int(ph * 0.2) + (int(ph * 0.76) - c.shape[0]) // 2, (pw - c.shape[1]) // 2
    laid(img, soft(c, 0.6) * 0.97, ink, top, left)
    for x in (int(pw * 0.2), int(pw * 0.8)):
        cv2.circle(img, (x, int(ph * 0.08)), max(2, ph // 40), (0.05, 0.05, 0.05), -1, cv2.LINE_AA)
    return img


def hooks(img, x, y, pw, ph):
    for hx in (x + int(pw * 0.2), x + int(pw * 0.8)):
        cv2.circle(img, (hx, y + int(ph * 0.08)), max(1, ph // 60), (0.6, 0.6, 0.58), -1, cv2.LINE_AA)


def scoreboard_photo(covs, word_covs, rng, kind):
    """Plates, one a cov, hung side by side on a club's scoreboard of painted planks,
    painted words and empty hooks in the other rows, on posts under a small roof or not,
    in front of trees and the sky; photographed from the field. covs of None hang blank."""
    bh = 900
    bw = int(bh * rng.uniform(1.3, 1.7))
    board = planks((bh, bw), rng, BOARD_PAINTS[kind])
    rows = int(rng.integers(2, 4))
    row_h = int(bh * 0.8 / rows)
    main = int(rng.integers(0, rows))
    ph = int(row_h * rng.uniform(0.7, 0.82))
    pw = int(ph * rng.uniform(0.66, 0.78))
    lettering = np.float32(PLATE_COLOURS[kind][0])
    slots = max(len(covs), int(rng.integers(2, 4)))
    x0 = bw - int(bw * 0.06) - slots * pw - (slots - 1) * int(pw * 0.1)
    target = None
    for r in range(rows):
        y = int(bh * 0.1) + r * row_h + (row_h - ph) // 2
        if r < len(word_covs):
            wc = fit(word_covs[r], ph * rng.uniform(0.3, 0.45), max(40, x0 - bw * 0.1))
            laid(board, soft(wc, 0.7) * 0.9, lettering, y + (ph - wc.shape[0]) // 2, int(bw * 0.05))
        for s in range(slots):
            x = x0 + s * int(pw * 1.1)
            if r != main or s < slots - len(covs):
                hooks(board, x, y, pw, ph)
                continue
            cov = covs[s - (slots - len(covs))]
            p = plate(cov if cov is not None else np.zeros((4, 4), np.float32), ph, pw, rng, PLATE_COLOURS[kind])
            mask = np.zeros((bh, bw), np.float32)
            mask[y:y + ph, x:x + pw] = 1
            board *= (1 - 0.45 * shifted(soft(mask, ph * 0.03), int(ph * 0.04), int(ph * 0.03)))[..., None]
            board[y:y + ph, x:x + pw] = p
            hooks(board, x, y, pw, ph)
            box = (y, x, y + ph, x + pw)
            target = box if target is None else (target[0], target[1], box[2], box[3])
    sh, sw = int(bh * rng.uniform(2.2, 2.8)), int(bw * rng.uniform(1.8, 2.4))
    scene = np.ones((sh, sw, 3), np.float32) * np.float32(pick(rng, ([0.55, 0.7, 0.9], [0.75, 0.8, 0.85],
                                                                     [0.85, 0.75, 0.6])))
    scene *= (0.85 + 0.25 * fbm((sh, sw), sh / 5, rng))[..., None]
    trees = int(sh * rng.uniform(0.45, 0.6))
    line = trees - sh * 0.12 * smooth_noise((2, sw), 1, rng, sw / 25)[0]
    rows_y = np.arange(sh, dtype=np.float32)[:, None]
    green = np.float32(pick(rng, ([0.15, 0.25, 0.12], [0.22, 0.3, 0.15])))
    scene = np.where((rows_y >= line[None, :])[..., None], green * (0.7 + 0.5 * fbm((sh, sw), sh / 30, rng))[..., None],
                     scene)
    grass = int(sh * rng.uniform(0.7, 0.8))
    scene[grass:] = np.float32([0.3, 0.5, 0.2]) * (0.8 + 0.3 * fbm((sh - grass, sw), sh / 20, rng))[..., None]
    bare = scene.copy()
    ty, tx = grass - bh - int(bh * rng.uniform(0.25, 0.5)), (sw - bw) // 2
    post = np.float32(pick(rng, ([0.9, 0.9, 0.88], [0.35, 0.25, 0.15])))
    for px in (tx + int(bw * 0.1), tx + int(bw * 0.85)):
        scene[ty:grass + int(bh * 0.03), px:px + int(bw * 0.05)] = post
    if rng.random() < 0.5:  # a small roof over it
        roof = np.int32([(tx - bw * 0.05, ty), (tx + bw * 1.05, ty), (tx + bw * 0.95, ty - bh * 0.15),
                         (tx + bw * 0.05, ty - bh * 0.15)])
        cv2.fillPoly(scene, [roof], rgb(np.float32(pick(rng, ([0.3, 0.12, 0.1], [0.25, 0.25, 0.27])))), cv2.LINE_AA)
    scene[ty:ty + bh, tx:tx + bw] = board
    target = (ty + target[0], tx + target[1], ty + target[2], tx + target[3])
    return photographed(feathered(scene, 0.05), surround(bare, rng), target, rng, (0, 15), 35, (0.12, 0.45), 5)


# --- cutout-shelf -------------------------------------------------------------------------------

PAINTS = ([0.85, 0.15, 0.15], [0.15, 0.35, 0.8], [0.98, 0.8, 0.15], [0.2, 0.6, 0.3], [0.95, 0.95, 0.93],
          [0.1, 0.1, 0.12], [0.95, 0.55, 0.7], [0.2, 0.65, 0.7])


def cutout_faces(shape, rng, kind):
    """The front of the cut-out (plywood's pale grain, painted board, or kraft card) and
    its edge's two alternating colours (plywood's layers, card's flutes)."""
    h, w = shape
    if kind == "plywood":
        base = np.float32(pick(rng, ([0.85, 0.7, 0.5], [0.8, 0.62, 0.42], [0.9, 0.78, 0.6])))
        grain = smooth_noise((h, w), max(2.0, h / 80), rng, max(8.0, w / 2))
        return base * (0.85 + 0.2 * grain)[..., None], base * 0.8, base * 0.55
    if kind == "card":
        base = np.float32(pick(rng, ([0.7, 0.55, 0.38], [0.75, 0.6, 0.42])))
        return base * (0.92 + 0.1 * fbm((h, w), h / 10, rng))[..., None], base * 0.85, base * 0.6
    base = np.float32(pick(rng, PAINTS))
    return base * (0.95 + 0.06 * fbm((h, w), h / 8, rng))[..., None], base * 0.7, base * 0.6


def shelf_clutter(img, rng, shelf_y, avoid):
    """A plant in a pot or a stack of books lying flat on the shelf beside the cut-out,
    clear of the columns avoid (left, right)."""
    h, w = img.shape[:2]
    for _ in range(int(rng.integers(1, 3))):
        bw = int(w * rng.uniform(0.12, 0.2))
        bh = int(bw * rng.uniform(0.5, 0.9))
        x, base = int(rng.uniform(0, w - bw)), shelf_y + int(h * 0.03)
        if avoid[0] < x + bw and x < avoid[1]:
            continue
        if rng.random() < 0.5:  # books
            y = base
            for _ in range(int(rng.integers(2, 5))):
                t = int(bh * rng.uniform(0.12, 0.22))
                col = rgb(np.float32([rng.uniform(0.1, 0.9) for _ in range(3)]))
                cv2.rectangle(img, (x + int(rng.uniform(-0.05, 0.05) * bw), y - t), (x + bw, y), col, -1)
                y -= t
        else:  # a pot and leaves
            pot = np.int32([(x, base - bh // 2), (x + bw, base - bh // 2), (x + int(bw * 0.85), base),
                            (x + int(bw * 0.15), base)])
            cv2.fillPoly(img, [pot], rgb(np.float32(pick(rng, ([0.7, 0.35, 0.2], [0.9, 0.9, 0.88])))), cv2.LINE_AA)
            for _ in range(9):
                cx, cy = x + int(bw * rng.uniform(0.1, 0.9)), base - bh // 2 - int(bh * rng.uniform(0.1, 0.6))
                cv2.ellipse(img, (cx, cy), (int(bw * 0.2), int(bw * 0.08)), rng.uniform(0, 180), 0, 360,
                            rgb(np.float32([0.15, 0.45, 0.15]) * rng.uniform(0.7, 1.2)), -1, cv2.LINE_AA)


def cutout_photo(cov, rng, kind):
    """cov cut out of plywood, painted board or corrugated card, standing on a shelf a
    little in front of the wall: its edge showing on one side, its shadow on the wall and
    a short one on the shelf; photographed."""
    sh = 1600
    sw = int(sh * rng.uniform(1.6, 2.0))  # wide enough to fill the frame
    img = wall((sh, sw), rng)[0]
    shelf_y = int(sh * rng.uniform(0.62, 0.72))
    depth = int(sh * rng.uniform(0.1, 0.16))
    img[shelf_y:shelf_y + depth] = desk((depth, sw), np.random.default_rng(int(rng.integers(1 << 30))))
    img[shelf_y + depth:shelf_y + depth + int(sh * 0.04)] = img[shelf_y:shelf_y + 1] * 0.7  # its front edge
    img[shelf_y + depth + int(sh * 0.04):] *= 0.6  # the wall under it, in its shadow
    bare = img.copy()
    c = fit(cov, sh * rng.uniform(0.2, 0.3), sw * 0.4)
    ch, cw = c.shape
    base = shelf_y + int(depth * rng.uniform(0.35, 0.65))
    top, left = base - ch, (sw - cw) // 2 + int(sw * rng.uniform(-0.12, 0.12))
    mask = np.zeros((sh, sw), np.float32)
    mask[top:base, left:left + cw] = soft(c, 0.6)
    side = pick(rng, (-1, 1))  # where the light comes from
    wall_shadow = shifted(soft(mask, ch * 0.02), -int(ch * 0.04), -side * int(ch * rng.uniform(0.08, 0.18)))
    on_wall = (np.arange(sh) < shelf_y)[:, None]
    on_shelf = shifted(soft(mask, ch * 0.015), int(ch * 0.02), -side * int(ch * 0.05)) * ~on_wall
    img *= (1 - rng.uniform(0.35, 0.55) * wall_shadow * on_wall - 0.45 * on_shelf)[..., None]
    shelf_clutter(img, rng, shelf_y, (left - 40, left + cw + 40))
    front, edge_a, edge_b = cutout_faces((sh, sw), rng, kind)
    n = max(3, int(ch * rng.uniform(0.035, 0.06)))
    dx, dy = -side * 0.8, -0.5  # the edge seen on the side away from the light, a little above
    for k in range(n, 0, -1):
        layer = shifted(mask, int(round(k * dy)), int(round(k * dx)))
        colour = edge_a if (k * 5 // n) % 2 == 0 else edge_b
        img[...] = img * (1 - layer[..., None]) + colour * layer[..., None]
    lightness = np.linspace(1.05, 0.85, sw, dtype=np.float32)[None, ::side, None]
    img[...] = img * (1 - mask[..., None]) + front * lightness * mask[..., None]
    target = (top, left, base, left + cw)
    return photographed(feathered(img, 0.04), surround(bare, rng), target, rng, (0, 12), 25, (0.3, 0.55), 6)


# --- spilled-drink -------------------------------------------------------------------------------

DRINKS = {"coffee": [0.35, 0.2, 0.1], "tea": [0.62, 0.38, 0.15], "wine": [0.45, 0.04, 0.14],
          "cola": [0.22, 0.09, 0.05], "milk": [0.97, 0.96, 0.93]}
CLOTHS = ([0.93, 0.93, 0.9], [0.85, 0.2, 0.2], [0.2, 0.3, 0.55], [0.88, 0.85, 0.7])


def table_top(shape, rng):
    """A table: wood or laminate, or a plain cloth with its weave."""
    if rng.random() < 0.7:
        return desk(shape, np.random.default_rng(int(rng.integers(1 << 30))))
    h, w = shape
    weave = 0.97 + 0.03 * np.sin(np.arange(w, dtype=np.float32) * 1.9)[None, :] * np.sin(
        np.arange(h, dtype=np.float32) * 1.9)[:, None]
    return np.float32(pick(rng, CLOTHS)) * (weave * (0.95 + 0.05 * fbm((h, w), h / 6, rng)))[..., None]


def spoon_and_sachet(img, rng, avoid):
    """A teaspoon and a sugar sachet lying on the table, clear of the drink."""
    h, w = img.shape[:2]
    s = int(h * 0.12)
    spot = clear_spot(rng, (h, w), (s, int(s * 2.4)), avoid)
    if spot is not None:
        y, x = spot
        spoon = np.zeros((h, w), np.float32)
        cv2.ellipse(spoon, (x + s // 3, y + s // 2), (s // 3, s // 5), 0, 0, 360, 1.0, -1, cv2.LINE_AA)
        cv2.line(spoon, (x + s // 2, y + s // 2), (x + int(s * 2.4), y + int(s * 0.6)), 1.0, max(3, s // 12),
                 cv2.LINE_AA)
        img *= (1 - 0.35 * shifted(soft(spoon, s / 20), s // 15, s // 15))[..., None]
        steel = 0.6 + 0.35 * smooth_noise((h, w), s / 4, rng)
        img[...] = img * (1 - spoon[..., None]) + (steel * spoon)[..., None] * np.float32([0.95, 0.96, 1.0])
    spot = clear_spot(rng, (h, w), (int(s * 0.7), int(s * 1.6)), avoid)
    if spot is not None and rng.random() < 0.6:
        y, x = spot
        cv2.rectangle(img, (x, y), (x + int(s * 1.6), y + int(s * 0.7)), (0.95, 0.94, 0.9), -1)
        cv2.rectangle(img, (x, y), (x + int(s * 0.25), y + int(s * 0.7)), rgb(np.float32(pick(rng, PAINTS))), -1)


def spill_paint(cov, width, rng):
    """A finger's trace in spilled drink along cov, `width` px wide: its edge wavy, pools
    where the finger stopped, darker at the rim where it dries, a wet shine; the
    coverage, its absorption (how much of the table's light it takes) and the shine."""
    h, w = cov.shape
    r = max(2.0, width / 2)
    wobble = smooth_noise((h, w), r * 1.2, rng) - 0.5
    pools = np.zeros((h, w), np.float32)
    ys, xs = np.nonzero(cov > 0.5)
    for i in rng.choice(len(ys), size=min(len(ys), int(rng.integers(2, 6))), replace=False):
        cv2.circle(pools, (int(xs[i]), int(ys[i])), int(r * rng.uniform(1.1, 1.5)), 1.0, -1, cv2.LINE_AA)
    inside = np.uint8(np.maximum(soft(cov, r * 0.25), pools) + 0.3 * wobble > 0.5)
    for _ in range(int(rng.integers(3, 10))):  # drops shaken off the finger
        y, x = int(rng.uniform(0, h)), int(rng.uniform(0, w))
        cv2.circle(inside, (x, y), max(1, int(r * rng.uniform(0.15, 0.35))), 1, -1)
    d = cv2.distanceTransform(inside, cv2.DIST_L2, 5)
    alpha = soft(np.float32(inside), 0.8)
    rim = np.exp(-(d / (r * 0.3)) ** 2) * alpha
    depth = np.minimum(d, r) / r
    absorb = alpha * rng.uniform(0.55, 0.85) + 0.25 * rim
    shine = glint(shading(depth * r * 0.6, rng), 0.8)
    return alpha, np.clip(absorb, 0, 1), shine * alpha


def drink_for(table, rng):
    """A drink that shows on the table: its colour differs from the table's by a quarter."""
    under = table.reshape(-1, 3).mean(axis=0)

    def seen(name):
        colour = np.float32(DRINKS[name])
        wet = under * 0.15 + colour * 0.85 if name == "milk" else under * (1 - 0.7 * (1 - colour))
        return float(np.abs(wet - under).mean())

    names = [d for d in DRINKS if seen(d) > 0.25]
    return pick(rng, names) if names else max(DRINKS, key=seen)


def spill_photo(cov, width_fraction, rng):
    """cov traced with a finger in a spilled drink (`width_fraction` of cov's height wide)
    on a table or a cloth, a spoon and a sugar sachet near it; photographed from above.
    The photo and the drink."""
    side = 1500
    shape = (side, int(side * rng.uniform(1.1, 1.4)))
    img = table_top(shape, rng)
    bare = img.copy()
    drink = drink_for(img, rng)
    c = fit(cov, side * rng.uniform(0.25, 0.38), shape[1] * 0.5)
    width = max(4.0, width_fraction * c.shape[0])
    m = int(width * 2) + 10
    c = np.pad(c, m)
    top, left = (shape[0] - c.shape[0]) // 2 + int(rng.uniform(-0.06, 0.06) * side), (shape[1] - c.shape[1]) // 2
    spoon_and_sachet(img, rng, (top, left, top + c.shape[0], left + c.shape[1]))
    alpha, absorb, shine = spill_paint(c, width, rng)
    region = img[top:top + c.shape[0], left:left + c.shape[1]]
    colour = np.float32(DRINKS[drink])
    if drink == "milk":
        region[...] = region * (1 - 0.85 * alpha[..., None]) + colour * 0.85 * alpha[..., None]
    else:
        region *= 1 - absorb[..., None] * (1 - colour)
    region += shine[..., None] * 0.8
    target = (top + m, left + m, top + c.shape[0] - m, left + c.shape[1] - m)
    return photographed(feathered(img, 0.08), surround(bare, rng), target, rng, (0, 30), 20, (0.2, 0.5), 15), drink


# --- cake-icing ----------------------------------------------------------------------------------

FROSTINGS = ([0.97, 0.96, 0.92], [0.98, 0.85, 0.88], [0.45, 0.28, 0.18], [0.98, 0.93, 0.7], [0.8, 0.93, 0.85],
             [0.8, 0.88, 0.98])
ICINGS = ([0.3, 0.16, 0.08], [0.95, 0.3, 0.55], [0.2, 0.4, 0.85], [0.98, 0.98, 0.96], [0.15, 0.6, 0.3],
          [0.85, 0.15, 0.15])
SPRINKLES = ([0.95, 0.2, 0.3], [0.2, 0.5, 0.95], [0.98, 0.85, 0.1], [0.3, 0.8, 0.3], [0.98, 0.98, 0.98],
             [0.95, 0.5, 0.1])


def piped_height(cov, width, rng):
    """The height (px) of icing piped along cov's centre line `width` px thick: a round
    rope with beads where the bag was squeezed."""
    r = max(2.0, width / 2)
    skel = cv2.ximgproc.thinning(np.uint8(cov > 0.5) * 255, thinningType=cv2.ximgproc.THINNING_GUOHALL)
    dist = cv2.distanceTransform(255 - skel, cv2.DIST_L2, 5)
    height = np.sqrt(np.clip(1 - (dist / (r * 0.85)) ** 2, 0, 1)) * r * 0.8
    ys, xs = np.nonzero(skel)
    taken = np.zeros(cov.shape, np.uint8)
    rb = int(r * 1.05)
    yy, xx = np.mgrid[-rb:rb + 1, -rb:rb + 1].astype(np.float32)
    dome = np.sqrt(np.clip(1 - (xx ** 2 + yy ** 2) / (rb * rb), 0, 1)) * r
    for i in rng.permutation(len(ys)):
        y, x = int(ys[i]), int(xs[i])
        if taken[y, x] or y < rb or x < rb or y + rb >= cov.shape[0] or x + rb >= cov.shape[1]:
            continue
        cv2.circle(taken, (x, y), int(r * 0.8), 1, -1)
        patch = height[y - rb:y + rb + 1, x - rb:x + rb + 1]
        np.maximum(patch, dome * rng.uniform(0.85, 1.05), out=patch)
    return height


def cake_top(shape, rng, round_cake):
    """A frosted cake seen from above on its board or plate, on a table: the frosting's
    spatula swirls, a border of piped beads round its edge. The picture, the frosting's
    colour, the top's mask and the bare table."""
    h, w = shape
    img = desk(shape, np.random.default_rng(int(rng.integers(1 << 30))))
    table = img.copy()
    cx, cy, rad = w // 2, h // 2, int(min(h, w) * 0.42)
    plate_mask, top = np.zeros((h, w), np.float32), np.zeros((h, w), np.float32)
    plate_col = np.float32(pick(rng, ([0.96, 0.96, 0.95], [0.85, 0.72, 0.35], [0.8, 0.8, 0.82])))
    if round_cake:
        cv2.circle(plate_mask, (cx, cy), int(rad * 1.12), 1.0, -1, cv2.LINE_AA)
        cv2.circle(top, (cx, cy), rad, 1.0, -1, cv2.LINE_AA)
    else:
        cv2.rectangle(plate_mask, (cx - int(rad * 1.45), cy - int(rad * 1.1)),
                      (cx + int(rad * 1.45), cy + int(rad * 1.1)), 1.0, -1)
        cv2.rectangle(top, (cx - int(rad * 1.3), cy - rad), (cx + int(rad * 1.3), cy + rad), 1.0, -1)
    img *= (1 - 0.4 * shifted(soft(plate_mask, h / 60), h // 80, h // 80))[..., None]
    img[...] = img * (1 - plate_mask[..., None]) + plate_col * plate_mask[..., None]
    frosting = np.float32(pick(rng, FROSTINGS))
    swirl = smooth_noise((h, w), h / 12, rng, h / 4) * 0.6 + 0.4 * fbm((h, w), h / 20, rng)
    img *= (1 - 0.4 * shifted(soft(top, h / 80), h // 100, h // 100) * (1 - top))[..., None]
    img[...] = img * (1 - top[..., None]) + frosting * (0.9 + 0.15 * swirl)[..., None] * top[..., None]
    edge = np.zeros((h, w), np.float32)
    if round_cake:
        cv2.circle(edge, (cx, cy), int(rad * 0.95), 1.0, 3)
    else:
        cv2.rectangle(edge, (cx - int(rad * 1.25), cy - int(rad * 0.95)), (cx + int(rad * 1.25), cy + int(rad * 0.95)),
                      1.0, 3)
    border = pick(rng, ICINGS) if rng.random() < 0.5 else frosting
    height = piped_height(edge, h * 0.035, rng)
    alpha = soft(np.float32(height > 0.5), 0.8)
    img[...] = img * (1 - alpha[..., None]) + lit_relief(height, border, rng, 0.5) * alpha[..., None]
    return img, frosting, top, table


def sprinkle(img, rng, top, avoid):
    """Sugar strands scattered over the cake's top, none on the writing."""
    h, w = img.shape[:2]
    t, l, b, r = avoid
    s = max(3, h // 120)
    for _ in range(int(rng.integers(0, 250))):
        x, y = int(rng.uniform(0, w)), int(rng.uniform(0, h))
        if top[y, x] < 0.5 or t <= y <= b and l <= x <= r:
            continue
        a = rng.uniform(0, math.pi)
        end = (int(x + s * 2 * math.cos(a)), int(y + s * 2 * math.sin(a)))
        cv2.line(img, (x, y), end, rgb(np.float32(pick(rng, SPRINKLES))), s, cv2.LINE_AA)


def cake_photo(cov, width_fraction, rng, round_cake):
    """cov piped in icing (`width_fraction` of its height thick) on a frosted cake, round
    or square, sugar strands round it; photographed from above at an angle."""
    side = 1600
    shape = (side, int(side * rng.uniform(1.1, 1.35)))
    img, frosting, top, table = cake_top(shape, rng, round_cake)
    c = fit(cov, side * rng.uniform(0.28, 0.4), shape[1] * 0.55)
    width = max(5.0, width_fraction * c.shape[0])
    m = int(width) + 10
    c = np.pad(c, m)
    ty, tx = (shape[0] - c.shape[0]) // 2, (shape[1] - c.shape[1]) // 2
    for _ in range(20):  # an icing that stands out from the frosting
        icing = np.float32(pick(rng, ICINGS))
        if np.abs(icing - frosting).sum() > 0.6:
            break
    height = piped_height(c, width, rng)
    alpha = soft(np.float32(height > 0.3), 0.8)
    region = img[ty:ty + c.shape[0], tx:tx + c.shape[1]]
    region *= (1 - 0.3 * shifted(soft(alpha, width * 0.3), int(width * 0.25), int(width * 0.2)))[..., None]
    region[...] = region * (1 - alpha[..., None]) + lit_relief(height, icing, rng, 0.45) * alpha[..., None]
    target = (ty + m, tx + m, ty + c.shape[0] - m, tx + c.shape[1] - m)
    sprinkle(img, rng, top, (target[0] - m, target[1] - m, target[2] + m, target[3] + m))
    return photographed(feathered(img, 0.08), surround(table, rng), target, rng, (0, 35), 25, (0.2, 0.5), 20)


# --- Non-digit marks ------------------------------------------------------------------------

def filled(paths, size=300):
    """A closed outline in the unit square filled, as a jigsaw cuts a shape out."""
    out = np.zeros((size, size), np.float32)
    cv2.fillPoly(out, [np.int32(np.float32(p) * size) for p in paths], 1.0, cv2.LINE_AA)
    return out
