"""Scenes of the seventh held-out set (scripts/make-heldout-set7.py), painted afresh: a
child's crayon drawing on construction paper among doodles, a house number on a door
or a mailbox photographed at night with the flash, a number printed on the back of a
sports jersey, numbers cut out of magazines (a ransom note), a brush or marker digit
on a wall, and the non-digit marks drawn in those settings. Pictures are float32 RGB
in [0, 1] until a scene returns uint8; a coverage map is float32 (h, w), 1 = ink.
Every function draws only from the numpy Generator it is given. The camera's frames,
the tilted plane and the sensor are the sixth set's (scripts/lib/heldout_scenes6.py).
"""

import math

import cv2
import numpy as np

from heldout_render import H, blend, fbm, place_away, smooth_noise, to_height
from heldout_scenes3 import fit
from heldout_scenes6 import (arc_pts, desk, lamp_light, paths_cov, photo_frame, pick, place_plane, sensor, shaky,
                             to_frame, work_frame)


def row_of(covs, gap):
    """Coverage maps side by side, `gap` of their height apart, bottoms aligned."""
    h = max(c.shape[0] for c in covs)
    g = int(h * gap)
    out = np.zeros((h, sum(c.shape[1] for c in covs) + g * (len(covs) - 1)), np.float32)
    x = 0
    for c in covs:
        out[h - c.shape[0]:, x:x + c.shape[1]] = c
        x += c.shape[1] + g
    return out


def finish(img, frame, rng, blur=(0.4, 1.0), **noise):
    """The painted work picture blurred a little, scaled to the camera's frame, noised."""
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(*blur) * max(1.0, img.shape[0] / 1000))
    return sensor(to_frame(img, frame), rng, **noise)


# --- crayon-doodle ---------------------------------------------------------------

CONSTRUCTION = ([0.95, 0.85, 0.42], [0.62, 0.8, 0.92], [0.96, 0.72, 0.76], [0.72, 0.87, 0.6], [0.97, 0.95, 0.88],
                [0.98, 0.76, 0.5], [0.84, 0.8, 0.93], [0.98, 0.98, 0.97])
CRAYONS = ([0.8, 0.1, 0.1], [0.12, 0.22, 0.7], [0.1, 0.45, 0.18], [0.4, 0.12, 0.5], [0.12, 0.1, 0.1],
           [0.45, 0.25, 0.1], [0.9, 0.4, 0.05], [0.85, 0.2, 0.5])
DOODLES = ("sun", "flower", "house", "person", "cloud", "tree", "fish", "star", "heart")


def doodle_paths(kind, rng):
    """A child's doodle as polylines in the unit square: nothing in it is drawn like a digit."""
    if kind == "sun":  # a filled-looking disc of rays, no ring alone
        rays = [[(0.5 + 0.22 * math.cos(a), 0.5 + 0.22 * math.sin(a)), (0.5 + 0.48 * math.cos(a),
                 0.5 + 0.48 * math.sin(a))] for a in np.linspace(0, 2 * math.pi, 11)[:-1]]
        return [arc_pts(0.5, 0.5, 0.2, 0.2, 0, 2 * math.pi, 30), [(0.42, 0.45), (0.44, 0.47)],
                [(0.56, 0.45), (0.58, 0.47)]] + rays
    if kind == "flower":
        petals = [arc_pts(0.5 + 0.16 * math.cos(a), 0.3 + 0.16 * math.sin(a), 0.09, 0.09, 0, 2 * math.pi, 12)
                  for a in np.linspace(0, 2 * math.pi, 8)[:-1]]
        return petals + [[(0.5, 0.46), (0.48, 0.98)], [(0.49, 0.75), (0.3, 0.62), (0.49, 0.7)]]
    if kind == "house":
        return [[(0.12, 0.45), (0.12, 0.95), (0.88, 0.95), (0.88, 0.45)], [(0.04, 0.5), (0.5, 0.08), (0.96, 0.5)],
                [(0.42, 0.95), (0.42, 0.68), (0.58, 0.68), (0.58, 0.95)],
                [(0.2, 0.56), (0.34, 0.56), (0.34, 0.68), (0.2, 0.68), (0.2, 0.56)], [(0.27, 0.56), (0.27, 0.68)]]
    if kind == "person":
        return [arc_pts(0.5, 0.15, 0.12, 0.12, 0, 2 * math.pi, 20), [(0.5, 0.27), (0.5, 0.65)],
                [(0.2, 0.4), (0.5, 0.45), (0.8, 0.4)], [(0.3, 0.98), (0.5, 0.65), (0.7, 0.98)]]
    if kind == "cloud":
        return [arc_pts(0.3, 0.6, 0.18, 0.16, math.pi / 2, 1.6 * math.pi, 14)
                + arc_pts(0.52, 0.45, 0.2, 0.2, 1.1 * math.pi, 1.95 * math.pi, 14)
                + arc_pts(0.74, 0.6, 0.18, 0.16, 1.4 * math.pi, 2.5 * math.pi, 14) + [(0.3, 0.76)]]
    if kind == "tree":
        crown = [(0.5 + 0.36 * math.cos(a) * (1 + 0.12 * math.sin(5 * a)),
                  0.35 + 0.3 * math.sin(a) * (1 + 0.12 * math.sin(5 * a))) for a in np.linspace(0, 2 * math.pi, 40)]
        return [crown, [(0.44, 0.63), (0.44, 0.98), (0.56, 0.98), (0.56, 0.63)]]
    if kind == "fish":
        return [arc_pts(0.42, 0.5, 0.32, 0.2, 0, 2 * math.pi, 30), [(0.74, 0.5), (0.97, 0.3), (0.97, 0.7), (0.74, 0.5)],
                [(0.25, 0.45), (0.27, 0.46)]]
    if kind == "heart":
        ts = np.linspace(0, 2 * math.pi, 48)
        return [[(0.5 + 0.45 * math.sin(t) ** 3,
                  0.45 - 0.03 * (13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)))
                 for t in ts]]
    pts = [(0.5 + 0.48 * math.sin(k * 4 * math.pi / 5), 0.52 - 0.48 * math.cos(k * 4 * math.pi / 5)) for k in range(6)]
    return [pts]  # a star


def doodle_cov(kind, rng, width=9, size=260):
    return paths_cov(shaky(doodle_paths(kind, rng), rng, 0.008), size, width)


def crayon_alpha(cov, tooth, rng, pencil):
    """Wax (or a coloured pencil's lead) on paper: laid on the tooth's peaks, streaked
    along the hand's strokes, skipping the hollows."""
    h, w = cov.shape
    a = math.radians(rng.uniform(0, 180))
    streak = smooth_noise((h, w), 1.5, rng, max(4.0, w / 25))
    M = cv2.getRotationMatrix2D((w / 2, h / 2), math.degrees(a), 1.0)
    streak = cv2.warpAffine(streak, M, (w, h), borderMode=cv2.BORDER_REFLECT)
    press = rng.uniform(0.55, 0.8) if pencil else rng.uniform(0.75, 0.95)
    alpha = cov * np.clip(press + 0.9 * (tooth - 0.5) + 0.35 * (streak - 0.5), 0, 1)
    return np.clip(alpha, 0, 1)


def construction_paper(shape, rng):
    """Coloured construction paper: its tint, a mottled fibre and a fine tooth (h, w) in [0, 1]."""
    h, w = shape
    tint = np.float32(pick(rng, CONSTRUCTION))
    tooth = rng.random((h, w)).astype(np.float32)
    tooth = cv2.GaussianBlur(tooth, (0, 0), 1.2)
    tooth = np.clip((tooth - tooth.mean()) / (tooth.std() + 1e-6) * 0.25 + 0.5, 0, 1)
    fibre = 0.96 + 0.06 * fbm((h, w), h / 30, rng) + 0.03 * (tooth - 0.5)
    return tint * fibre[..., None], tooth, tint


def crayon_sheet(cov, rng, pencil, doodles=True):
    """The mark large on construction paper, 2-4 doodles round it in other colours: the
    sheet and the mark's box."""
    ph = 1200
    pw = int(ph * pick(rng, (0.75, 1.33, 1.41, 0.71)))
    sheet, tooth, tint = construction_paper((ph, pw), rng)
    inks = [np.float32(c) for c in CRAYONS if abs(np.float32(c).mean() - tint.mean()) > 0.3]
    order = rng.permutation(len(inks))
    mark = fit(cov, ph * rng.uniform(0.3, 0.5), pw * 0.5)
    top = int(rng.uniform(0.1, 0.9) * (ph - mark.shape[0]))
    left = int(rng.uniform(0.1, 0.9) * (pw - mark.shape[1]))
    box = (top, left, top + mark.shape[0], left + mark.shape[1])
    lead = inks[int(order[0])]
    blend(sheet, crayon_alpha(mark, tooth[top:box[2], left:box[3]], rng, pencil), lead, top, left)
    if doodles:
        m = int(ph * 0.05)
        taken = [(box[0] - m, box[1] - m, box[2] + m, box[3] + m)]
        for n in range(int(rng.integers(2, 5))):
            kind = pick(rng, DOODLES)
            d = doodle_cov(kind, rng, 12 if pencil else 16)
            d = fit(d, ph * rng.uniform(0.14, 0.28), pw * 0.3)
            spot = None
            for _ in range(30):  # clear of the mark and the doodles before it
                spot = place_away(rng, (0, 0, ph, pw), d.shape, taken[0])
                if spot and all(spot[0] + d.shape[0] < t or spot[0] > b or spot[1] + d.shape[1] < l or spot[1] > r
                                for t, l, b, r in taken[1:]):
                    break
                spot = None
            if spot is None:
                continue
            t, l = spot
            taken.append((t, l, t + d.shape[0], l + d.shape[1]))
            blend(sheet, crayon_alpha(d, tooth[t:t + d.shape[0], l:l + d.shape[1]], rng, pencil),
                  inks[int(order[(n + 1) % len(inks)])], t, l)
    return sheet, box


def crayon_photo(cov, rng, pencil, doodles=True):
    """A child's drawing on construction paper lying on a table, photographed from above
    (tilted up to 20 degrees) in room light."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    sheet, box = crayon_sheet(cov, rng, pencil, doodles)
    img, _, _ = place_plane(sheet, work, rng, rng.uniform(0, 20), rng.uniform(-10, 10), rng.uniform(1.2, 2.0),
                            box, rng.uniform(0.2, 0.45), spin=25, background=desk(work, rng))
    img = lamp_light(img, rng, warm=rng.random() < 0.6, fall=(0.6, 0.9))
    return finish(img, frame, rng)


# --- house-number -------------------------------------------------------------------

PLATES = {"brass": [0.8, 0.6, 0.28], "steel": [0.72, 0.73, 0.75], "black": [0.08, 0.08, 0.09],
          "white": [0.93, 0.93, 0.9]}
DOOR_PAINTS = ([0.55, 0.08, 0.08], [0.1, 0.2, 0.4], [0.15, 0.3, 0.2], [0.85, 0.83, 0.78], [0.2, 0.2, 0.22],
               [0.5, 0.36, 0.22], [0.3, 0.5, 0.55])


def door_surface(shape, rng, kind):
    """A door (vertical boards or panels, paint or varnished wood) or a mailbox's front
    (painted sheet metal with a flap's edge)."""
    h, w = shape
    if kind == "mailbox":
        colour = np.float32(pick(rng, ([0.1, 0.1, 0.1], [0.15, 0.3, 0.18], [0.6, 0.1, 0.08], [0.6, 0.62, 0.64],
                                       [0.12, 0.2, 0.45])))
        img = colour * (0.96 + 0.05 * fbm((h, w), h / 6, rng))[..., None]
        flap = int(h * rng.uniform(0.12, 0.2))
        img[flap:flap + max(2, h // 150)] *= 0.45
        img[flap + max(2, h // 150):flap + max(4, h // 60)] *= 1.2
        return img, (flap + h // 30, 0, h, w)
    if rng.random() < 0.5:  # varnished wood boards
        base = np.float32(pick(rng, ([0.45, 0.28, 0.14], [0.62, 0.44, 0.26], [0.32, 0.2, 0.12])))
        grain = smooth_noise((h, w), max(8.0, h / 3), rng, max(1.5, w / 200))
        img = base * (0.8 + 0.35 * grain)[..., None]
    else:
        base = np.float32(pick(rng, DOOR_PAINTS))
        img = base * (0.97 + 0.04 * fbm((h, w), h / 10, rng))[..., None]
    board = int(w / rng.integers(4, 8))
    for x in range(board, w, board):
        img[:, x:x + max(2, w // 300)] *= 0.55
    return img, (0, 0, h, w)


def screwed_plate(cov, rng, finish_name):
    """A cut-out number (metal or plastic) with bevelled edges and a screw head in each
    digit: colour (h, w, 3) and its coverage."""
    colour = np.float32(PLATES[finish_name])
    h, w = cov.shape
    soft = cv2.GaussianBlur(cov, (0, 0), max(1.0, h / 60))
    gy, gx = np.gradient(soft)
    slope = (gx + gy) * h / 10  # light from the top left (and the flash from the front)
    img = colour * (1.0 + np.clip(slope, -0.5, 0.5))[..., None]
    if finish_name in ("brass", "steel"):  # brushed metal
        img *= (0.92 + 0.12 * smooth_noise((h, w), 1.5, rng, max(4.0, w / 6)))[..., None]
    n, labels = cv2.connectedComponents(np.uint8(cov > 0.6))
    for k in range(1, n):  # a screw near the top of each piece, where it is widest
        ys, xs = np.nonzero(labels == k)
        if len(ys) < 50:
            continue
        y = int(np.percentile(ys, 15))
        row = xs[ys == y]
        x = int(np.median(row))
        r = max(2, h // 30)
        cv2.circle(img, (x, y), r, (colour * 0.75).tolist(), -1, cv2.LINE_AA)
        cv2.line(img, (x - r + 1, y), (x + r - 1, y), (colour * 0.35).tolist(), max(1, r // 3), cv2.LINE_AA)
    return img, cov


def surround(surface, box, rng):
    """The door or mailbox set in a house's wall (plaster, concrete or brick, in the
    dark) inside a pale casing: the larger picture and the box moved with it."""
    sh, sw = surface.shape[:2]
    big_h, big_w = int(sh * 1.7), int(sw * 2.2)
    out, _ = wall((big_h, big_w), rng)
    out *= np.float32(rng.uniform(0.5, 0.9))
    top, left = int((big_h - sh) * rng.uniform(0.3, 0.7)), int((big_w - sw) * rng.uniform(0.3, 0.7))
    c = max(4, sw // 25)
    out[top - c:top + sh + c, left - c:left + sw + c] = np.float32(pick(rng, ([0.9, 0.9, 0.88], [0.5, 0.4, 0.3],
                                                                               [0.3, 0.3, 0.32])))
    out[top:top + sh, left:left + sw] = surface
    t, l, b, r = box
    return out, (t + top, l + left, b + top, r + left)


def flash_photo(surface, plate, alpha, box, rng, stand_off):
    """The surface with the plate on it, seen near head-on at night: the flash lights the
    middle and falls off to dark at the corners, casts a hard shadow of the plate a
    little down and to the side, and makes a hot spot on a glossy surface."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    t, l, b, r = box
    dy, dx = int(stand_off * (b - t) * rng.uniform(0.6, 1.0)), int(stand_off * (b - t) * rng.uniform(-0.6, 0.6))
    shadow = cv2.GaussianBlur(np.pad(alpha, 4), (0, 0), max(1.0, (b - t) / 120))
    blend(surface, shadow * rng.uniform(0.55, 0.8), (0.0, 0.0, 0.0), t + dy - 4, l + dx - 4)
    blend(surface, alpha, plate, t, l)
    surface, (t, l, b, r) = surround(surface, box, rng)
    box = (t, l, b, r)
    dark = np.float32([0.02, 0.02, 0.025])
    img, mask, corners = place_plane(surface, work, rng, rng.uniform(-12, 12), rng.uniform(-25, 25),
                                     rng.uniform(1.5, 3.0), box, rng.uniform(0.12, 0.3), spin=6,
                                     background=np.full(work + (3,), dark, np.float32))
    fh, fw = work
    y, x = np.mgrid[0:fh, 0:fw].astype(np.float32)
    cx, cy = fw * rng.uniform(0.4, 0.6), fh * rng.uniform(0.4, 0.6)
    d2 = ((x - cx) ** 2 + (y - cy) ** 2) / (0.5 * max(fh, fw)) ** 2
    light = rng.uniform(1.1, 1.5) / (1 + d2 * rng.uniform(1.5, 4.0))
    img = img * light[..., None]
    hot = rng.uniform(0.1, 0.45) * np.exp(-d2 / rng.uniform(0.004, 0.02)) * mask
    img = img + hot[..., None]
    if rng.random() < 0.5:  # a porch light's warm cast
        img *= np.float32([1.0, 0.88, 0.7])
    return finish(img, frame, rng, blur=(0.3, 0.8), luma=(0.015, 0.04), chroma=(0.01, 0.03))


def house_number_photo(text_cov_fn, digits, rng, kind):
    """A house number (its digits from text_cov_fn, one cut-out each) screwed on a door
    or a mailbox, photographed at night with the flash."""
    covs = [text_cov_fn(d) for d in digits]
    number = row_of([to_height(c, 300) for c in covs], rng.uniform(0.1, 0.3))
    sh, sw = (1000, 1400) if kind == "mailbox" else (1500, 1100)
    surface, area = door_surface((sh, sw), rng, kind)
    at, al, ab, ar = area
    cov = fit(number, (ab - at) * rng.uniform(0.25, 0.45), (ar - al) * 0.8)
    top = at + int(rng.uniform(0.15, 0.6) * (ab - at - cov.shape[0]))
    left = al + int(rng.uniform(0.2, 0.8) * (ar - al - cov.shape[1]))
    finish_name = pick(rng, tuple(PLATES))
    behind = surface[top:top + cov.shape[0], left:left + cov.shape[1]].mean()
    if abs(np.float32(PLATES[finish_name]).mean() - behind) < 0.2:  # a plate that would vanish on its door
        finish_name = "white" if surface.mean() < 0.5 else "black"
    plate, alpha = screwed_plate(cov, rng, finish_name)
    return flash_photo(surface, plate, alpha, (top, left, top + cov.shape[0], left + cov.shape[1]), rng,
                       rng.uniform(0.03, 0.08))


# --- jersey --------------------------------------------------------------------------

JERSEYS = ([0.75, 0.08, 0.1], [0.08, 0.16, 0.45], [0.95, 0.95, 0.95], [0.1, 0.45, 0.2], [0.95, 0.75, 0.1],
           [0.1, 0.1, 0.12], [0.45, 0.15, 0.5], [0.3, 0.6, 0.85])
PRINTS = ([0.97, 0.97, 0.95], [0.08, 0.08, 0.1], [0.95, 0.78, 0.15], [0.8, 0.1, 0.12], [0.1, 0.2, 0.5])


def fold_field(shape, rng):
    """The cloth's height: a few long folds across it and a softer wrinkle; (h, w)."""
    h, w = shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    z = np.zeros((h, w), np.float32)
    for _ in range(int(rng.integers(2, 5))):
        a = rng.uniform(-0.6, 0.6) + pick(rng, (0.0, math.pi / 2))
        u = (x * math.cos(a) + y * math.sin(a)) / max(h, w)
        z += rng.uniform(0.3, 1.0) * np.sin(2 * math.pi * u * rng.uniform(1.0, 3.0) + rng.uniform(0, 6.3)) ** 3
    return z + 0.3 * (smooth_noise((h, w), h / 3, rng) - 0.5)


def jersey_photo(cov, rng, words_cov=None):
    """The back of a sports jersey (on a hanger, a player or a bench): the mark printed in
    one colour with an outline in another, stretched a little and cracked, the cloth's
    mesh and its folds bending and shading print and cloth alike."""
    frame = photo_frame(rng)
    fh, fw = work_frame(frame)
    cloth = np.float32(pick(rng, JERSEYS))
    prints = [np.float32(c) for c in PRINTS if abs(np.float32(c).mean() - cloth.mean()) > 0.35]
    fill = pick(rng, prints)
    # The shirt's back as a flat picture, larger than the frame.
    sh, sw = int(fh * 1.3), int(fw * 1.3)
    shirt = np.empty((sh, sw, 3), np.float32)
    shirt[...] = cloth
    step = max(3, sh // 300)
    mesh = np.ones((sh, sw), np.float32)
    mesh[::step, ::step] = 0.75
    shirt *= cv2.GaussianBlur(mesh, (0, 0), 0.6)[..., None]
    mark = fit(cov, sh * rng.uniform(0.3, 0.5), sw * 0.6)
    mark = cv2.resize(mark, (int(mark.shape[1] * rng.uniform(1.0, 1.25)), mark.shape[0]))  # stretched print
    top = int(sh * rng.uniform(0.3, 0.45))
    left = (sw - mark.shape[1]) // 2 + int(rng.uniform(-0.08, 0.08) * sw)
    cracks = np.ones(mark.shape, np.float32)
    if rng.random() < 0.5:  # a worn print's crackle: thin lines where a fine noise crosses its middle
        crackle = smooth_noise(mark.shape, max(4.0, mark.shape[0] / 14), rng)
        cracks -= 0.7 * (np.abs(crackle - 0.5) < 0.012)
    if rng.random() < 0.6:  # an outline in a third colour
        line = max(3, int(mark.shape[0] * rng.uniform(0.03, 0.06)))
        outline = cv2.dilate(np.pad(mark, line), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * line + 1,) * 2))
        others = [c for c in prints + [cloth * 0.5] if np.abs(c - fill).sum() > 0.5]
        blend(shirt, outline, pick(rng, others), top - line, left - line)
    blend(shirt, mark * cracks, fill, top, left)
    box = (top, left, top + mark.shape[0], left + mark.shape[1])
    if words_cov is not None:  # the player's name above the number
        name = fit(words_cov, mark.shape[0] * 0.22, sw * 0.6)
        blend(shirt, name, fill, top - int(name.shape[0] * 1.6) - int(mark.shape[0] * 0.06), (sw - name.shape[1]) // 2)
    # Folds: the picture pushed along the cloth's slope and shaded by it.
    z = fold_field((sh, sw), rng)
    gy, gx = np.gradient(cv2.GaussianBlur(z, (0, 0), sh / 60))
    amp = rng.uniform(0.01, 0.025) * sh
    gyx, gxx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    shirt = cv2.remap(shirt, gxx + z * amp * 0.3, gyx + z * amp, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    a = rng.uniform(0, 2 * math.pi)
    shade = 1 + np.clip((gx * math.cos(a) + gy * math.sin(a)) * sh * rng.uniform(0.04, 0.08), -0.35, 0.25)
    shirt *= shade[..., None]
    # The shirt's outline (shoulders, sleeves) over a background: a wall, grass or a bench.
    bg_kind = pick(rng, ("wall", "grass", "wood"))
    if bg_kind == "grass":
        bg = np.float32([0.2, 0.45, 0.15]) * (0.7 + 0.5 * fbm((fh, fw), fh / 40, rng))[..., None]
    elif bg_kind == "wood":
        bg = desk((fh, fw), rng)
    else:
        bg = np.float32(pick(rng, ([0.85, 0.85, 0.82], [0.6, 0.65, 0.7]))) * (0.95 + 0.05 * fbm((fh, fw), 40, rng))[
            ..., None]
    outline = np.zeros((sh, sw), np.float32)
    neck = sw * rng.uniform(0.12, 0.18)
    pts = np.float32([[sw / 2 - neck, sh * 0.02], [sw * 0.18, sh * 0.08], [-sw * 0.1, sh * 0.35], [sw * 0.1, sh * 0.5],
                      [sw * 0.18, sh * 0.35], [sw * 0.2, sh * 1.2], [sw * 0.8, sh * 1.2], [sw * 0.82, sh * 0.35],
                      [sw * 0.9, sh * 0.5], [sw * 1.1, sh * 0.35], [sw * 0.82, sh * 0.08], [sw / 2 + neck, sh * 0.02]])
    cv2.fillPoly(outline, [np.int32(pts)], 1.0, cv2.LINE_AA)
    cv2.ellipse(outline, (sw // 2, int(sh * 0.02)), (int(neck), int(sh * 0.04)), 0, 0, 180, 0.0, -1, cv2.LINE_AA)
    shirt = np.concatenate([shirt, outline[..., None]], axis=2)
    placed, _, _ = place_plane(shirt, (fh, fw), rng, rng.uniform(-10, 10), rng.uniform(-15, 15), rng.uniform(1.5, 3.0),
                               box, rng.uniform(0.22, 0.45), spin=8)
    m = placed[..., 3:4]
    shadow = cv2.GaussianBlur(m[..., 0], (0, 0), fh / 60)
    img = bg * (1 - 0.3 * np.roll(shadow, (fh // 60, fw // 80), axis=(0, 1)))[..., None] * (1 - m) + placed[..., :3] * m
    img = lamp_light(img, rng, warm=rng.random() < 0.3, fall=(0.65, 0.95))
    return finish(img, frame, rng)


# --- ransom-note ------------------------------------------------------------------

SCRAP_PAPERS = ([0.97, 0.97, 0.95], [0.88, 0.87, 0.82], [0.95, 0.92, 0.8], [0.9, 0.15, 0.2], [0.1, 0.1, 0.12],
                [0.2, 0.4, 0.8], [0.98, 0.85, 0.2], [0.3, 0.7, 0.4], [0.95, 0.6, 0.75])
SCRAP_INKS = ([0.05, 0.05, 0.07], [0.97, 0.97, 0.95], [0.8, 0.1, 0.1], [0.1, 0.2, 0.6], [0.95, 0.8, 0.1],
              [0.4, 0.1, 0.45])


def magazine_scrap(cov, rng):
    """A glyph cut out of a magazine: a ragged piece of a page (plain, newsprint with
    lines of grey text, a glossy colour or a photograph's blotches) round it. Returns the
    scrap's colour (h, w, 3) and its coverage (h, w)."""
    h, w = cov.shape
    m = int(h * rng.uniform(0.08, 0.25))
    g = np.pad(cov, m)
    hh, ww = g.shape
    style = pick(rng, ("plain", "plain", "news", "photo"))
    page = np.float32(pick(rng, SCRAP_PAPERS))
    img = np.empty((hh, ww, 3), np.float32)
    img[...] = page
    if style == "news":  # faint lines of small print peeking round the glyph
        img[...] = np.float32([0.9, 0.89, 0.85])
        rows = (np.arange(hh) // max(3, hh // 25)) % 2 == 0
        text = (smooth_noise((hh, ww), 2, rng, 4) > 0.55) & rows[:, None]
        img *= (1 - 0.35 * text)[..., None]
    elif style == "photo":
        blotch = np.stack([fbm((hh, ww), hh / 3, rng) for _ in range(3)], axis=2)
        light = rng.random() < 0.5  # a light photograph under black print, or a dark one under white
        img = (0.55 + 0.45 * blotch) if light else 0.45 * blotch
        img = np.clip(img * rng.uniform(0.8, 1.1, 3).astype(np.float32), 0, 1)
    inks = [np.float32(c) for c in SCRAP_INKS if abs(np.float32(c).mean() - img.mean()) > 0.35]
    if style == "photo" or not inks:
        inks = [np.float32([0.05, 0.05, 0.07]) if img.mean() > 0.5 else np.float32([0.97, 0.97, 0.95])]
    blend(img, g, pick(rng, inks), 0, 0)
    # Cut with scissors: four slanted cuts and a snip at each corner, every cut inside the
    # pad (each point at most 0.6 of it in from its side, a snip at most 0.35 of it long),
    # so no cut crosses the glyph.
    def inset():
        return m * rng.uniform(0.1, 0.6)

    def snip():
        return m * rng.uniform(0.0, 0.35)

    x0, x1, y0, y1 = 0, ww - 1, 0, hh - 1
    pts = []
    for cx, cy, sx, sy in ((x0, y0, 1, 1), (x1, y0, -1, 1), (x1, y1, -1, -1), (x0, y1, 1, -1)):
        a, b, d = inset(), inset(), snip()
        first, second = (cx + sx * a, cy + sy * (b + d)), (cx + sx * (a + d), cy + sy * b)
        pts += [first, second] if sx == sy else [second, first]
    shape = np.zeros((hh, ww), np.float32)
    cv2.fillPoly(shape, [np.int32(np.round(pts))], 1.0, cv2.LINE_AA)
    return img, np.maximum(shape, g)


def ransom_photo(scraps, rng, words=None):
    """Cut-outs glued in a row (each turned and lifted a little, with a thin shadow) on a
    sheet of paper, a word of cut-out letters above where given, the sheet on a desk."""
    ph, pw = 1100, 1500
    sheet = np.float32(pick(rng, ([0.97, 0.97, 0.95], [0.95, 0.94, 0.9], [0.85, 0.75, 0.6]))) * np.ones(
        (ph, pw, 1), np.float32)
    rows = [scraps] if words is None else [words, scraps]
    target = None
    y = int(ph * rng.uniform(0.2, 0.35)) if words is not None else int(ph * rng.uniform(0.3, 0.45))
    for r_i, row in enumerate(rows):
        height = ph * (rng.uniform(0.22, 0.32) if r_i == len(rows) - 1 else rng.uniform(0.14, 0.2))
        placed = []
        for img, alpha in row:
            s = height / img.shape[0] * rng.uniform(0.8, 1.2)
            size = (max(2, int(img.shape[1] * s)), max(2, int(img.shape[0] * s)))
            img, alpha = cv2.resize(img, size), cv2.resize(alpha, size)
            a = rng.uniform(-12, 12)
            hh, ww = alpha.shape
            diag = int(math.hypot(hh, ww)) + 2
            M = cv2.getRotationMatrix2D((ww / 2, hh / 2), a, 1.0)
            M[:, 2] += [(diag - ww) / 2, (diag - hh) / 2]
            img = cv2.warpAffine(img, M, (diag, diag))
            alpha = cv2.warpAffine(alpha, M, (diag, diag))
            ys, xs = np.nonzero(alpha > 0.05)
            img, alpha = img[ys.min():ys.max() + 1, xs.min():xs.max() + 1], alpha[ys.min():ys.max() + 1,
                                                                                  xs.min():xs.max() + 1]
            placed.append((img, alpha))
        gap = int(height * rng.uniform(0.1, 0.22))  # apart: a dark scrap beside a dark glyph would merge with it
        total = sum(a.shape[1] for _, a in placed) + gap * (len(placed) - 1)
        if total > pw * 0.9:  # shrink the row to the sheet
            k = pw * 0.9 / total
            placed = [(cv2.resize(i, (max(2, int(i.shape[1] * k)), max(2, int(i.shape[0] * k)))),
                       cv2.resize(a, (max(2, int(a.shape[1] * k)), max(2, int(a.shape[0] * k))))) for i, a in placed]
            gap = int(gap * k)
            total = sum(a.shape[1] for _, a in placed) + gap * (len(placed) - 1)
        x = (pw - total) // 2 + int(rng.uniform(-0.05, 0.05) * pw)
        row_h = max(a.shape[0] for _, a in placed)
        top_row, left_row = y, x
        for img, alpha in placed:
            yy = y + (row_h - alpha.shape[0]) // 2 + int(rng.uniform(-0.06, 0.06) * row_h)
            off = max(1, alpha.shape[0] // 60)
            blend(sheet, cv2.GaussianBlur(alpha, (0, 0), off) * 0.35, (0.0, 0.0, 0.0), yy + off, x + off)
            blend(sheet, alpha, img, yy, x)
            x += alpha.shape[1] + gap
        if r_i == len(rows) - 1:
            target = (top_row, left_row, top_row + row_h, x - gap)
        y += int(row_h * rng.uniform(1.15, 1.4))
    frame = photo_frame(rng)
    work = work_frame(frame)
    img, _, _ = place_plane(sheet, work, rng, rng.uniform(0, 25), rng.uniform(-12, 12), rng.uniform(1.2, 2.2), target,
                            rng.uniform(0.15, 0.35), spin=10, background=desk(work, rng))
    img = lamp_light(img, rng, warm=rng.random() < 0.5, fall=(0.6, 0.9))
    return finish(img, frame, rng)


# --- wall-brush -------------------------------------------------------------------------

WALL_PAINTS = ([0.93, 0.92, 0.88], [0.85, 0.8, 0.7], [0.7, 0.78, 0.82], [0.9, 0.85, 0.6], [0.62, 0.62, 0.6])
WALL_INKS = ([0.06, 0.06, 0.08], [0.7, 0.08, 0.1], [0.1, 0.2, 0.55], [0.1, 0.4, 0.2], [0.9, 0.45, 0.05],
             [0.96, 0.96, 0.94])


def wall(shape, rng):
    """A wall: painted plaster, bare concrete or brick. Returns the picture and its
    relief (h, w), 1 where the surface stands out (where a brush leaves paint)."""
    h, w = shape
    kind = pick(rng, ("plaster", "concrete", "brick"))
    if kind == "brick":
        bh = int(h / rng.uniform(12, 20))
        bw = int(bh * rng.uniform(2.6, 3.2))
        base = np.float32(pick(rng, ([0.55, 0.25, 0.18], [0.65, 0.35, 0.25], [0.85, 0.82, 0.78])))
        img = base * (0.85 + 0.3 * fbm((h, w), bh / 2, rng))[..., None]
        relief = np.ones((h, w), np.float32)
        mortar = max(2, bh // 8)
        for r, y in enumerate(range(0, h, bh)):
            relief[y:y + mortar] = 0
            for x in range(-(bw // 2) * (r % 2), w, bw):
                if x >= 0:
                    relief[y:y + bh, x:x + mortar] = 0
            for x in range(-(bw // 2) * (r % 2), w, bw):  # each brick its own shade
                img[y + mortar:y + bh, max(0, x + mortar):max(0, x + bw)] *= np.float32(rng.uniform(0.85, 1.12))
        img = img * relief[..., None] + np.float32([0.7, 0.68, 0.64]) * (1 - relief[..., None])
        return img, cv2.GaussianBlur(relief, (0, 0), 1.0)
    tone = fbm((h, w), h / 8, rng)
    pores = rng.random((h, w)).astype(np.float32)
    relief = np.clip(0.8 + 0.4 * (cv2.GaussianBlur(pores, (0, 0), 1.5) - 0.5) * 4, 0, 1)
    if kind == "concrete":
        img = np.float32([0.62, 0.62, 0.6]) * (0.85 + 0.3 * tone)[..., None]
        relief = np.where(pores < 0.01, 0.0, relief).astype(np.float32)
        img *= (0.7 + 0.3 * (pores >= 0.01))[..., None]
    else:
        img = np.float32(pick(rng, WALL_PAINTS)) * (0.95 + 0.08 * tone)[..., None]
    return img, relief


def brush_cov(cov, rng, width):
    """The ink's centre line painted again with a brush: as wide as `width` where pressed,
    thinner where it lifts (the pressure varies along the stroke), ragged at its edges."""
    m = int(width) + 4
    skel = cv2.ximgproc.thinning(np.uint8(np.pad(cov, m) > 0.5) * 255,  # padded: no fork at an edge
                                 thinningType=cv2.ximgproc.THINNING_GUOHALL)  # keeps thin diagonals
    dist = cv2.distanceTransform(255 - skel, cv2.DIST_L2, 5)
    h, w = skel.shape
    press = 0.45 + 0.75 * smooth_noise((h, w), max(6.0, h / 6), rng)
    edge = (smooth_noise((h, w), 1.5, rng) - 0.5) * width * 0.25
    return np.clip(width * press / 2 - dist + edge + 0.5, 0, 1).astype(np.float32)


def wall_photo(cov, rng, tool):
    """The mark painted with a brush (or a broad marker) on a wall, drips under heavy
    paint, the wall's relief skipping the paint; seen at an angle in daylight."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    wh, ww = 1000, 1300
    m = wh // 2  # the wall goes on this far round the painted patch, past the frame's edges
    surface, relief = wall((wh + 2 * m, ww + 2 * m), rng)
    mark = fit(cov, wh * rng.uniform(0.35, 0.55), ww * 0.6)
    top = m + (wh - mark.shape[0]) // 2 + int(rng.uniform(-0.1, 0.1) * wh)
    left = m + (ww - mark.shape[1]) // 2
    ink = np.float32(pick(rng, [c for c in WALL_INKS if abs(np.float32(c).mean() - surface.mean()) > 0.3]))
    patch = relief[top:top + mark.shape[0], left:left + mark.shape[1]]
    load = 1 - 0.5 * rng.uniform(0, 1) * smooth_noise(mark.shape, 2, rng, max(4.0, mark.shape[1] / 8))
    alpha = mark * np.clip(load * (0.45 + 0.6 * patch), 0, 1)
    if tool == "brush" and rng.random() < 0.6:  # drips running down from where the paint was heavy
        drip = np.zeros_like(alpha)
        ys, xs = np.nonzero(mark > 0.9)
        for i in rng.choice(len(ys), size=min(len(ys), int(rng.integers(2, 6))), replace=False):
            y, x = int(ys[i]), int(xs[i])
            length = int(mark.shape[0] * rng.uniform(0.04, 0.15))
            wd = max(2, int(mark.shape[0] * 0.012))
            end = min(mark.shape[0] - 1, y + length)
            cv2.line(drip, (x, y), (x, end), 1.0, wd, cv2.LINE_AA)
            cv2.circle(drip, (x, end), int(wd * 0.8), 1.0, -1, cv2.LINE_AA)
        alpha = np.maximum(alpha, drip * 0.9)
    bare = surface.copy()
    blend(surface, alpha, ink, top, left)
    box = (top, left, top + mark.shape[0], left + mark.shape[1])
    # Seen past its edges the wall goes on mirrored, but bare: the mark is not mirrored with it.
    pose = (rng.uniform(-10, 15), rng.uniform(-30, 30), rng.uniform(1.3, 2.5), box, rng.uniform(0.2, 0.45))
    state = rng.bit_generator.state
    img, mask, _ = place_plane(surface, work, rng, *pose, spin=6)
    rng.bit_generator.state = state  # the same spin and place again
    beyond, _, _ = place_plane(bare, work, rng, *pose, spin=6, border=cv2.BORDER_REFLECT)
    img = img + beyond * (1 - mask[..., None])
    img = lamp_light(img, rng, warm=rng.random() < 0.3, fall=(0.7, 0.95))
    return finish(img, frame, rng)


# --- Non-digit marks ------------------------------------------------------------------

def barcode_cov(rng, height=300):
    """A product's barcode without its printed number: bars of 1-4 modules, guard bars longer."""
    modules = [1, 0, 1]
    for _ in range(int(rng.integers(22, 34))):
        modules += [1] * int(rng.integers(1, 5)) + [0] * int(rng.integers(1, 5))
    modules += [1, 0, 1]
    unit = max(2, height // 60)
    out = np.zeros((height + 2 * unit, len(modules) * unit + 4 * unit), np.float32)
    for i, b in enumerate(modules):
        if b:
            long_bar = i < 3 or i >= len(modules) - 3
            out[unit:unit + (height if long_bar else int(height * 0.9)), (2 + i) * unit:(3 + i) * unit] = 1
    return H.crop_to_ink(out)


def arrow_paths(rng):
    """A straight, bent or curved arrow in the unit square."""
    kind = pick(rng, ("straight", "bent", "curved"))
    if kind == "straight":
        return [[(0.05, 0.5), (0.95, 0.5)], [(0.72, 0.28), (0.95, 0.5), (0.72, 0.72)]]
    if kind == "bent":
        return [[(0.1, 0.95), (0.1, 0.3), (0.9, 0.3)], [(0.72, 0.12), (0.9, 0.3), (0.72, 0.48)]]
    return [arc_pts(0.5, 0.6, 0.42, 0.36, math.pi, 1.9 * math.pi, 24), [(0.78, 0.2), (0.84, 0.42), (0.62, 0.42)]]


def logo_paths(rng):
    """A made-up logo: a chevron pair, a diamond in a diamond or a lightning flash in a
    triangle; nothing round enough to read as a 0."""
    kind = pick(rng, ("chevrons", "diamonds", "flash"))
    if kind == "chevrons":
        return [[(0.05, 0.2), (0.5, 0.55), (0.95, 0.2)], [(0.05, 0.55), (0.5, 0.9), (0.95, 0.55)]]
    if kind == "diamonds":
        return [[(0.5, 0.02), (0.98, 0.5), (0.5, 0.98), (0.02, 0.5), (0.5, 0.02)],
                [(0.5, 0.28), (0.72, 0.5), (0.5, 0.72), (0.28, 0.5), (0.5, 0.28)]]
    return [[(0.5, 0.02), (0.98, 0.95), (0.02, 0.95), (0.5, 0.02)],
            [(0.56, 0.3), (0.4, 0.62), (0.6, 0.62), (0.44, 0.9)]]


def drawn_cov(paths, rng, width=14, size=260):
    return paths_cov(shaky(paths, rng, 0.006), size, width)
