"""Scenes of the twentieth held-out set (scripts/make-heldout-set20.py), painted afresh: a
number drawn with a finger or a stick in beach sand; a number wiped with a finger into the
condensation on a window, the street or the garden behind showing through; a number of
glowing neon tubes on a dark wall; die-cut vinyl digits stuck on a car's window, a mailbox
or a glass door; a number traced in snow; and the non-digit marks made in those settings.
Pictures are float32 RGB in [0, 1] until a scene returns uint8; a coverage map is float32
(h, w), 1 = ink. Every function draws only from the numpy Generator it is given. A flat
picture is photographed through the tenth set's camera (scripts/lib/heldout_scenes10.py's
photographed, made of the sixth and seventh sets' photo helpers), here with the lamp's
warmth chosen by the scene; the digits' height in it is the eighteenth's (filling).
"""

import math

import cv2
import numpy as np

from heldout_render import fbm, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import lamp_light, photo_frame, pick, place_plane, work_frame
from heldout_scenes7 import finish
from heldout_scenes9 import feathered, over
from heldout_scenes18 import filling

SPIN = 20  # degrees a photo is turned, at most
TILT = (0, 22)  # degrees the surface leans away from the camera


def photographed(flat, ground_of, target, rng, tilt, yaw, height, spin, warm=None):
    """The tenth set's camera (a flat picture with its coverage on its ground, tilted, lit by a
    lamp, through the camera: uint8), the lamp's warmth chosen by the scene where given
    (snow is lit white)."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    placed, _, _ = place_plane(flat, work, rng, rng.uniform(*tilt), rng.uniform(-yaw, yaw), rng.uniform(1.4, 2.4),
                               target, rng.uniform(*height), spin=spin)
    out = over(placed, ground_of(work))
    out = lamp_light(out, rng, warm=(rng.random() < 0.5) if warm is None else warm, fall=(0.6, 0.92))
    return finish(out, frame, rng, blur=(0.4, 1.0))


def blur(m, sigma):
    return cv2.GaussianBlur(m, (0, 0), max(0.5, float(sigma)))


def laid(work, c, top, left):
    """c on an empty map of shape `work` with its corner at (top, left)."""
    m = np.zeros(work, np.float32)
    m[top:top + c.shape[0], left:left + c.shape[1]] = c
    return m


def centred(work, cov, part, wide, rng, jitter=0.04):
    """cov fitted to `part` of the work's height (at most `wide` of its width), near the
    middle: (its map, the box (top, left, bottom, right))."""
    h, w = work
    c = fit(cov, h * part, w * wide)
    ch, cw = c.shape
    top = int((h - ch) / 2 + h * rng.uniform(-jitter, jitter))
    left = int((w - cw) / 2 + w * rng.uniform(-jitter, jitter))
    top, left = min(max(0, top), h - ch), min(max(0, left), w - cw)
    return laid(work, c, top, left), (top, left, top + ch, left + cw)


def sun(rng, low=0.35):
    """A light's direction (x, y) in the picture's plane, and how low it is (0 overhead)."""
    a = rng.uniform(0, 2 * math.pi)
    return (math.cos(a), math.sin(a)), rng.uniform(low, 0.85)


def relief(height, light, slope):
    """Lambert shading of a height field lit from `light` ((x, y), lowness): 1 on the flat."""
    (lx, ly), low = light
    gx = cv2.Sobel(height, cv2.CV_32F, 1, 0, ksize=3) * slope
    gy = cv2.Sobel(height, cv2.CV_32F, 0, 1, ksize=3) * slope
    lz = math.sqrt(max(0.05, 1 - low * low))
    L = np.float32([lx * low, ly * low, lz])
    # normal (-gx, -gy, 1) normalised
    n = np.sqrt(gx * gx + gy * gy + 1)
    dot = (-gx * L[0] - gy * L[1] + L[2]) / n
    return dot / L[2]


def groove(m, width):
    """A groove pushed into a soft surface along m's strokes (width px across): its floor
    below the surface, the surface pushed up in low banks either side. A height field."""
    core = blur(m, width * 0.22)
    bank = blur(cv2.dilate(m, np.ones((3, 3), np.uint8), iterations=max(1, int(width * 0.25))), width * 0.45)
    return 0.55 * bank - core


def ellipse_mask(work, cx, cy, a, b, angle, soft_px=1.5):
    m = np.zeros(work, np.float32)
    cv2.ellipse(m, (int(cx), int(cy)), (max(1, int(a)), max(1, int(b))), angle, 0, 360, 1.0, -1, cv2.LINE_AA)
    return blur(m, soft_px)


def away_from(rng, work, box, margin, tries=40):
    """A point of the work frame outside the box (top, left, bottom, right) grown by margin."""
    h, w = work
    t, l, b, r = box
    for _ in range(tries):
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        if not (t - margin < y < b + margin and l - margin < x < r + margin):
            return x, y
    return None


# --- sand-writing -------------------------------------------------------------------------

SANDS = ([0.86, 0.76, 0.58], [0.8, 0.7, 0.52], [0.9, 0.82, 0.66], [0.74, 0.64, 0.5], [0.82, 0.74, 0.62])
SHELLS = ([0.96, 0.9, 0.85], [0.95, 0.8, 0.75], [0.85, 0.8, 0.72], [0.6, 0.55, 0.6])


def sand(work, colour, rng, grain):
    """Dry beach sand: a colour mottled, grains of lighter and darker quartz, wind ripples."""
    h, w = work
    img = np.float32(colour) * (0.92 + 0.12 * fbm(work, max(8.0, h / 6), rng))[..., None] * np.ones(work + (3,),
                                                                                                       np.float32)
    g = rng.random(work, np.float32)
    g = blur(g, max(0.5, grain * 0.5))
    g = (g - g.mean()) / (g.std() + 1e-6)
    img *= (1 + 0.07 * g)[..., None]
    dots = rng.random(work, np.float32)
    img[dots > 0.997] *= 0.55  # dark grains
    img[dots < 0.003] = np.minimum(1, img[dots < 0.003] * 1.25)  # glints
    return img


def sand_height(work, rng, unit):
    """The beach's own relief: wind ripples, faint."""
    h, w = work
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0, math.pi)
    wob = (smooth_noise(work, max(4.0, unit), rng) - 0.5) * unit * 0.6
    return unit * 0.0012 * np.sin((xx * math.cos(a) + yy * math.sin(a) + wob) / max(2.0, unit * 0.18))


def shell(img, cx, cy, size, angle, rng, light):
    """A small scallop shell lying on the sand: a fan with ribs, shaded, its shadow."""
    work = img.shape[:2]
    m = np.zeros(work, np.float32)
    a0 = math.radians(angle)
    pts = [(cx, cy)]
    for t in np.linspace(-1.1, 1.1, 24):
        r = size * (0.95 + 0.05 * math.cos(t * 9))
        pts.append((cx + r * math.cos(a0 + t), cy + r * math.sin(a0 + t)))
    cv2.fillPoly(m, [np.int32(pts)], 1.0, cv2.LINE_AA)
    m = blur(m, 1.0)
    (lx, ly), _ = light
    sh = np.roll(np.roll(blur(m, size * 0.12), int(-ly * size * 0.2), 0), int(-lx * size * 0.2), 1)
    img *= (1 - 0.35 * sh)[..., None]
    yy, xx = np.mgrid[0:work[0], 0:work[1]].astype(np.float32)
    ang = np.arctan2(yy - cy, xx - cx) - a0
    ribs = 0.85 + 0.15 * np.cos(ang * 14)
    col = np.float32(pick(rng, SHELLS)) * ribs[..., None]
    img[...] = img * (1 - m[..., None]) + np.clip(col, 0, 1) * m[..., None]


def sand_photo(cov, rng, tool):
    """cov drawn in dry beach sand with a finger or a stick (tool): a groove with a
    shadowed side and a lit side, its floor a little darker and damper, low banks of sand
    pushed up beside it; grains, wind ripples and small shells near it (no footprint: a
    foot's print beside a digit, shaded as the groove is, read as a stroke of it)."""
    sh, sw = 1400, 1900
    work = (sh, sw)
    th, part = filling(rng)
    m, box = centred(work, cov, part, 0.8, rng)
    ch = box[2] - box[0]
    width = ch * (0.12 if tool == "finger" else 0.06)
    colour = np.float32(pick(rng, SANDS))
    light = sun(rng, 0.45)
    grain = max(1.0, ch / 200)

    def beach(w_):
        s = sand(w_, colour, rng, grain)
        return s * np.clip(relief(sand_height(w_, rng, ch * sh / w_[0] * 0.5), light, 2.0), 0.6, 1.4)[..., None]
    img = sand(work, colour, rng, grain)
    hgt = sand_height(work, rng, ch * 0.5) + groove(m, width) * width * 0.9
    shade = relief(hgt, light, 1.6 / max(1.0, width ** 0.15))
    img *= np.clip(shade, 0.35, 1.5)[..., None]
    floor = np.clip(blur(m, width * 0.2) * 1.4, 0, 1)
    img *= (1 - 0.16 * floor)[..., None]  # the floor of the groove, damper
    for _ in range(int(rng.integers(2, 6))):
        p = away_from(rng, work, box, ch * 0.15)
        if p is not None:
            shell(img, p[0], p[1], ch * rng.uniform(0.1, 0.18), rng.uniform(0, 360), rng, light)
    return photographed(feathered(np.clip(img, 0, 1), 0.1), beach, box, rng, TILT, 18, (th, th), SPIN)


# --- fogged-window ------------------------------------------------------------------------

def behind(work, rng, kind):
    """What a window looks onto, sharp: a street (houses' walls and windows, a road, a
    car, the sky) or a garden (a lawn, a hedge, trees and the sky)."""
    h, w = work
    img = np.zeros(work + (3,), np.float32)
    ys = np.arange(h, dtype=np.float32)[:, None] / h
    sky_top, sky_low = np.float32(pick(rng, ([0.45, 0.55, 0.7], [0.55, 0.58, 0.62], [0.2, 0.25, 0.4]))), \
        np.float32([0.75, 0.78, 0.8])
    img[:] = sky_top + (sky_low - sky_top) * ys[..., None]
    horizon = int(h * rng.uniform(0.3, 0.5))
    if kind == "street":
        x = -int(rng.uniform(0, w * 0.2))
        while x < w:
            bw = int(w * rng.uniform(0.15, 0.35))
            top = int(horizon - h * rng.uniform(0.05, 0.3))
            col = np.float32(pick(rng, ([0.55, 0.3, 0.25], [0.7, 0.65, 0.55], [0.4, 0.4, 0.42], [0.8, 0.78, 0.7],
                                        [0.35, 0.25, 0.2])))
            img[max(0, top):int(h * 0.75), max(0, x):x + bw] = col * rng.uniform(0.7, 1.0)
            for wy in range(top + int(h * 0.04), int(h * 0.68), int(h * 0.11)):
                for wx in range(x + int(bw * 0.12), x + bw - int(bw * 0.2), int(bw * 0.3)):
                    lit = rng.random() < 0.3
                    cv2.rectangle(img, (wx, wy), (wx + int(bw * 0.15), wy + int(h * 0.06)),
                                  (0.7, 0.58, 0.32) if lit else (0.15, 0.17, 0.2), -1)
            x += bw
        img[int(h * 0.75):] = np.float32([0.3, 0.3, 0.32]) * (0.9 + 0.2 * ys[int(h * 0.75):, :, None])
        for _ in range(int(rng.integers(0, 3))):
            cx = rng.uniform(0, w)
            cv2.rectangle(img, (int(cx), int(h * 0.72)), (int(cx + w * 0.22), int(h * 0.84)),
                          tuple(float(v) for v in pick(rng, ([0.7, 0.1, 0.1], [0.1, 0.2, 0.5], [0.85, 0.85, 0.85],
                                                               [0.1, 0.1, 0.1]))), -1)
    else:
        img[horizon:] = np.float32(pick(rng, ([0.25, 0.45, 0.2], [0.35, 0.5, 0.25]))) * \
            (0.8 + 0.3 * fbm((h - horizon, w), h / 8, rng))[..., None]
        for _ in range(int(rng.integers(3, 7))):
            tx, tr = rng.uniform(0, w), h * rng.uniform(0.1, 0.25)
            ty = horizon - tr * rng.uniform(0.2, 1.0)
            cv2.rectangle(img, (int(tx - tr * 0.08), int(ty)), (int(tx + tr * 0.08), horizon + int(h * 0.05)),
                          (0.25, 0.18, 0.12), -1)
            g = float(rng.uniform(0.12, 0.3))
            cv2.circle(img, (int(tx), int(ty)), int(tr), (g * 0.6, g * 1.4, g * 0.5), -1)
        img[horizon - int(h * 0.05):horizon + int(h * 0.02)] = np.float32([0.12, 0.3, 0.12])
    return img


def fog(work, rng, scene, thick):
    """The scene through fogged glass: blurred away, whitened, tiny droplets' grain."""
    h, w = work
    far = blur(cv2.resize(scene, (w // 8, h // 8), interpolation=cv2.INTER_AREA), 3.0)
    far = cv2.resize(far, (w, h), interpolation=cv2.INTER_LINEAR)
    haze = np.float32([0.9, 0.92, 0.93])
    dots = blur(rng.random(work, np.float32), 0.7)
    dots = (dots - dots.mean()) / (dots.std() + 1e-6)
    mist = thick * (0.92 + 0.08 * fbm(work, h / 5, rng))
    out = far * (1 - mist[..., None]) + haze * mist[..., None]
    return out * (1 + 0.03 * dots)[..., None]


def fogged_photo(cov, rng, kind):
    """cov wiped with a finger into the condensation on a window (what is behind it: a
    street or a garden, kind): through the strokes the scene shows nearly sharp and dark,
    the fog round them whitened and blurred; the wiped edges a little clearer, drops
    gathered at the strokes' lower edges running down in clear trails."""
    sh, sw = 1400, 1900
    work = (sh, sw)
    th, part = filling(rng)
    m, box = centred(work, cov, part, 0.8, rng)
    ch = box[2] - box[0]
    scene = behind(work, rng, kind)
    sharp = np.minimum(blur(scene, max(1.0, ch * 0.012)) * 0.7, 0.55)  # (a lit window through a stroke is
    # still darker than the fog round it)  # glass and a little water still on it
    thick = rng.uniform(0.7, 0.85)
    fogged = fog(work, rng, scene, thick)
    wipe = np.clip(blur(m, ch * 0.01) * 1.3, 0, 1)
    # Droplets running down from the strokes' lower edges: clear trails, a drop at the end.
    trails = np.zeros(work, np.float32)
    ys, xs = np.nonzero(m[:-2] > 0.5)
    edge = (m[ys, xs] > 0.5) & (m[np.minimum(ys + int(max(2, ch * 0.03)), sh - 1), xs] < 0.1)
    ys, xs = ys[edge], xs[edge]
    if len(ys):
        for i in rng.choice(len(ys), size=min(len(ys), int(rng.integers(1, 5))), replace=False):
            y0, x0 = int(ys[i]), int(xs[i])
            length = ch * rng.uniform(0.08, 0.35)
            r = max(1.5, ch * rng.uniform(0.008, 0.014))
            pts, x = [], float(x0)
            for y in np.arange(y0, min(sh - 1, y0 + length), 3):
                x += rng.normal(0, 0.6)
                pts.append((x, y))
            cv2.polylines(trails, [np.int32(pts)], False, 1.0, max(1, int(r * 0.9)), cv2.LINE_AA)
            cv2.circle(trails, (int(pts[-1][0]), int(pts[-1][1])), int(r * 1.4), 1.0, -1, cv2.LINE_AA)
    clear = np.maximum(wipe, 0.85 * blur(trails, 0.8))
    img = fogged * (1 - clear[..., None]) + sharp * clear[..., None]
    rim = np.clip(blur(m, ch * 0.02) - wipe, 0, 1)  # water pushed aside at the wipe's edge
    img = img * (1 - 0.25 * rim[..., None]) + np.float32([0.95, 0.96, 0.97]) * 0.25 * rim[..., None]
    # Fine drops scattered on the fog.
    for _ in range(int(rng.integers(60, 160))):
        x, y, r = rng.uniform(0, sw), rng.uniform(0, sh), max(1.0, ch * rng.uniform(0.004, 0.012))
        cv2.circle(img, (int(x), int(y)), int(r), (0.93, 0.94, 0.95), -1, cv2.LINE_AA)
    # A window's frame at one edge, sometimes.
    if rng.random() < 0.6:
        fw = int(sw * rng.uniform(0.03, 0.06))
        col = np.float32(pick(rng, ([0.95, 0.95, 0.93], [0.35, 0.25, 0.18], [0.2, 0.2, 0.22])))
        side = pick(rng, ("left", "right", "bottom"))
        if side == "left":
            img[:, :fw] = col
        elif side == "right":
            img[:, -fw:] = col
        else:
            img[-fw:] = col
    return photographed(feathered(np.clip(img, 0, 1), 0.1), lambda w: fog(w, rng, behind(w, rng, kind), thick), box,
                        rng, (0, 12), 18, (th, th), SPIN)


# --- neon-sign ----------------------------------------------------------------------------

NEONS = {"red": [1.0, 0.18, 0.12], "pink": [1.0, 0.25, 0.7], "blue": [0.2, 0.5, 1.0], "green": [0.3, 1.0, 0.35],
         "amber": [1.0, 0.6, 0.12], "white": [0.85, 0.9, 1.0]}


def dark_wall(work, rng, kind):
    """A wall at night: brick (courses of bricks, mortar) or a painted panel."""
    h, w = work
    if kind == "brick":
        img = np.float32(pick(rng, ([0.2, 0.09, 0.07], [0.16, 0.1, 0.08], [0.12, 0.1, 0.1]))) * \
            (0.8 + 0.4 * fbm(work, max(6.0, h / 20), rng))[..., None] * np.ones(work + (3,), np.float32)
        bh = max(6, int(h / rng.uniform(14, 22)))
        mortar = np.zeros(work, np.float32)
        for i, y in enumerate(range(0, h, bh)):
            cv2.line(mortar, (0, y), (w, y), 1.0, max(1, bh // 7))
            off = (bh * 1.1) * (i % 2)
            for x in np.arange(-off, w, bh * 2.2):
                cv2.line(mortar, (int(x), y), (int(x), y + bh), 1.0, max(1, bh // 7))
        img = img * (1 - 0.5 * mortar[..., None]) + np.float32([0.2, 0.19, 0.18]) * 0.5 * mortar[..., None]
        return img
    col = np.float32(pick(rng, ([0.07, 0.07, 0.08], [0.05, 0.08, 0.12], [0.1, 0.07, 0.06])))
    return col * (0.85 + 0.3 * fbm(work, h / 4, rng))[..., None] * np.ones(work + (3,), np.float32)


def tube_points(m, step, rng):
    """Points along a tube's coverage about `step` px apart (where clips hold it)."""
    ys, xs = np.nonzero(m > 0.6)
    if len(ys) == 0:
        return []
    order = rng.permutation(len(ys))
    chosen = []
    for i in order[:4000]:
        p = (xs[i], ys[i])
        if all((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2 > step * step for q in chosen):
            chosen.append(p)
    return chosen


def neon_photo(cov, rng, wall):
    """cov as bent glass tubes lit with neon on a dark brick or painted wall (wall): a hot,
    nearly white core, the tube's colour round it, a bloom on the wall; grey clips holding
    the tube, and sometimes a second tube, unlit, underlining or framing it."""
    sh, sw = 1400, 1900
    work = (sh, sw)
    th, part = filling(rng)
    m, box = centred(work, cov, part, 0.75, rng)
    ch = box[2] - box[0]
    width = ch * 0.06
    img = dark_wall(work, rng, wall)
    colour = np.float32(NEONS[pick(rng, tuple(NEONS))])
    # A second tube, unlit: a line under the number or a frame round it.
    spare = np.zeros(work, np.float32)
    if rng.random() < 0.55:
        t, l, b, r = box
        pad = int(ch * rng.uniform(0.15, 0.3))
        if rng.random() < 0.5:
            cv2.line(spare, (l, b + pad), (r, b + pad), 1.0, max(2, int(width)), cv2.LINE_AA)
        else:
            cv2.rectangle(spare, (l - pad, t - pad), (r + pad, b + pad), 1.0, max(2, int(width)), cv2.LINE_AA)
        spare = blur(spare, 1.0)
        lit_side = 0.7 + 0.6 * np.clip(blur(spare, width * 0.2) * 1.2 - 0.4, 0, 1)
        glass = np.float32([0.35, 0.35, 0.38]) * lit_side[..., None]
        img = img * (1 - 0.6 * spare[..., None]) + glass * 0.6 * spare[..., None]
    # The lit tube's glow on the wall, then the tube.
    glow = 0.7 * blur(m, width * 1.5) + 0.5 * blur(m, width * 5) + 0.25 * blur(m, width * 14)
    img = img + colour * glow[..., None] * rng.uniform(0.9, 1.3)
    core = blur(m, width * 0.12)
    hot = np.clip(blur(cv2.erode(m, np.ones((3, 3), np.uint8), iterations=max(1, int(width * 0.3))), 1.0) * 1.4, 0, 1)
    tube = colour * 0.95 + (1 - colour) * 0.7 * hot[..., None]
    img = img * (1 - core[..., None]) + tube * core[..., None]
    # Clips: small grey brackets across the tube, into the wall.
    for (x, y) in tube_points(m, ch * rng.uniform(0.35, 0.6), rng):
        a = rng.uniform(0, math.pi)
        dx, dy = math.cos(a) * width * 1.1, math.sin(a) * width * 1.1
        cv2.line(img, (int(x - dx), int(y - dy)), (int(x + dx), int(y + dy)), (0.42, 0.42, 0.45),
                 max(1, int(width * 0.25)), cv2.LINE_AA)
    img = np.clip(img, 0, 1)
    return photographed(feathered(img, 0.1), lambda w: dark_wall(w, rng, wall), box, rng, (0, 14), 18, (th, th), SPIN)


# --- vinyl-sticker ------------------------------------------------------------------------

VINYLS = ([0.97, 0.97, 0.96], [0.06, 0.06, 0.07], [0.85, 0.7, 0.25], [0.75, 0.76, 0.78], [0.9, 0.12, 0.1],
          [0.98, 0.82, 0.1])


def lum(c):
    return 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2]


def streaks(work, rng, strength):
    """A glossy surface's reflections: broad soft diagonal bands of light."""
    h, w = work
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = math.radians(rng.uniform(20, 70))
    u = (xx * math.cos(a) + yy * math.sin(a)) / max(h, w)
    out = np.zeros(work, np.float32)
    for _ in range(int(rng.integers(1, 4))):
        c, wd = rng.uniform(0, 1.4), rng.uniform(0.03, 0.15)
        out += np.exp(-((u - c) / wd) ** 2) * rng.uniform(0.4, 1.0)
    return np.clip(out, 0, 1) * strength


def surface(work, rng, where, colour):
    """The surface a sticker is on, without it: tinted car glass (a street's blur behind),
    a mailbox's painted steel (rounded across) or a door's glass (a hall behind)."""
    h, w = work
    if where == "car":
        img = np.float32(colour) * (0.75 + 0.5 * fbm(work, h / 3, rng))[..., None] * np.ones(work + (3,), np.float32)
    elif where == "mailbox":
        xs = np.arange(w, dtype=np.float32) / w
        round_ = 0.75 + 0.35 * np.sin(xs * math.pi) ** 0.6
        img = np.float32(colour) * round_[None, :, None] * np.ones(work + (3,), np.float32)
        img *= (0.96 + 0.04 * fbm(work, h / 10, rng))[..., None]
    else:
        img = np.float32(colour) * (0.8 + 0.4 * fbm(work, h / 2, rng))[..., None] * np.ones(work + (3,), np.float32)
        for _ in range(int(rng.integers(1, 4))):  # a hall's shapes behind, blurred
            x, y = rng.uniform(0, w), rng.uniform(0, h)
            cv2.rectangle(img, (int(x), int(y)), (int(x + w * 0.2), int(y + h * 0.5)),
                          tuple(float(v) * rng.uniform(0.6, 1.2) for v in colour), -1)
        img = blur(img, h * 0.02)
    return img


def vinyl_photo(cov, rng, where):
    """cov cut from self-adhesive vinyl (die-cut, its edges crisp, a thin dark line where
    it stands off the surface, a few trapped air bubbles) stuck on a car's tinted window,
    a mailbox or a door's glass (where); the gloss's reflections over it all."""
    sh, sw = 1400, 1900
    work = (sh, sw)
    th, part = filling(rng)
    m, box = centred(work, cov, part, 0.78, rng)
    ch = box[2] - box[0]
    if where == "car":
        base = pick(rng, ([0.12, 0.14, 0.16], [0.18, 0.2, 0.22], [0.1, 0.12, 0.1]))
    elif where == "mailbox":
        base = pick(rng, ([0.1, 0.1, 0.1], [0.12, 0.3, 0.15], [0.6, 0.1, 0.08], [0.85, 0.85, 0.82], [0.15, 0.2, 0.45]))
    else:
        base = pick(rng, ([0.45, 0.42, 0.38], [0.3, 0.3, 0.32], [0.55, 0.5, 0.45]))
    vinyls = [v for v in VINYLS if abs(lum(v) - lum(base)) > 0.35] or [max(VINYLS, key=lambda v: abs(lum(v) -
                                                                                                    lum(base)))]
    vcol = np.float32(pick(rng, vinyls))
    img = surface(work, rng, where, base)
    if where == "car":  # the rubber seal along the window's top, the door's paint above it
        y = int(box[0] - ch * rng.uniform(0.5, 1.0))
        if y > 0:
            img[:y] = np.float32(pick(rng, ([0.7, 0.7, 0.72], [0.5, 0.1, 0.1], [0.1, 0.15, 0.35], [0.9, 0.9, 0.88])))
            img[max(0, y - int(ch * 0.06)):y] = 0.05
    elif where == "door":  # an aluminium frame at one side
        x = int(box[1] - ch * rng.uniform(0.4, 0.9)) if rng.random() < 0.5 else int(box[3] + ch * rng.uniform(0.4, 0.9))
        fw = int(ch * 0.25)
        img[:, max(0, x - fw // 2):max(0, x + fw // 2)] = np.float32([0.72, 0.73, 0.75])
    a = np.clip(blur(m, 0.8) * 1.6 - 0.3, 0, 1)  # die-cut: a crisp edge
    edge = np.clip(blur(a, max(1.0, ch * 0.006)) - a, 0, 1) * 2
    img *= (1 - 0.5 * np.clip(edge, 0, 1))[..., None]
    v = vcol * (0.95 + 0.05 * fbm(work, ch * 0.3, rng))[..., None]
    img = img * (1 - a[..., None]) + v * a[..., None]
    # Bubbles trapped under the vinyl: small rounded bumps with a lit rim.
    ys, xs = np.nonzero(m > 0.9)
    if len(ys):
        for i in rng.choice(len(ys), size=min(len(ys), int(rng.integers(0, 6))), replace=False):
            r = max(2, int(ch * rng.uniform(0.01, 0.025)))
            cv2.circle(img, (int(xs[i]), int(ys[i])), r, tuple(float(c) * 0.85 for c in vcol), -1, cv2.LINE_AA)
            cv2.ellipse(img, (int(xs[i]), int(ys[i])), (r, r), 0, 200, 290, (1.0, 1.0, 1.0), max(1, r // 3),
                        cv2.LINE_AA)
    gloss = streaks(work, rng, 0.28 if where != "mailbox" else 0.18)
    img = img + (1 - img) * gloss[..., None]
    return photographed(feathered(np.clip(img, 0, 1), 0.1), lambda w: surface(w, rng, where, base), box, rng,
                        (0, 18), 18, (th, th), SPIN)


# --- snow-trace ---------------------------------------------------------------------------

SNOW = [0.93, 0.95, 0.99]
SKY_SHADOW = np.float32([0.55, 0.65, 0.9])  # a shadow in snow is lit by the blue sky


def snow(work, rng, unit, light, sunny):
    """Fresh snow: soft undulations, a faint sparkle, lit by the sun or overcast."""
    h, w = work
    hgt = (fbm(work, max(8.0, unit * 2.5), rng, 2) - 0.5) * unit * 0.12
    shade = relief(hgt, light, 0.25) if sunny else np.ones(work, np.float32)
    img = np.float32(SNOW) * np.ones(work + (3,), np.float32)
    dark = np.clip(1 - shade, 0, 0.35)
    img = img * (1 - dark[..., None]) + SKY_SHADOW * 0.85 * dark[..., None]
    img *= np.clip(shade, 0.9, 1.05)[..., None]
    sp = rng.random(work, np.float32) > 0.9985
    img[sp] = 1.0
    return np.clip(img, 0, 1)


def snow_photo(cov, rng, light_kind):
    """cov traced with a finger or a glove in fresh snow, under the sun (blue shadows on one
    side of the trace, the other side bright) or overcast (the trace's floor a soft blue
    shade): soft banks of pushed snow, broad undulations, a sparkle (no twig: a twig by a
    digit read as a stroke of it)."""
    sh, sw = 1400, 1900
    work = (sh, sw)
    th, part = filling(rng)
    m, box = centred(work, cov, part, 0.8, rng)
    ch = box[2] - box[0]
    width = ch * rng.uniform(0.1, 0.14)
    sunny = light_kind == "sun"
    light = sun(rng, 0.5 if sunny else 0.1)
    unit = max(ch, sh * 0.3)  # the snow's undulations, broad whatever the digits' size
    img = snow(work, rng, unit, light, sunny)
    hgt = groove(m, width) * width * 0.8
    floor = np.clip(blur(m, width * 0.3) * 1.3, 0, 1)
    if sunny:
        shade = relief(blur(hgt, width * 0.1), light, 1.4 / max(1.0, width ** 0.15))
        dark = np.clip(1 - shade, 0, 1) * 1.3 + 0.25 * floor
    else:
        floor = np.clip(blur(m, width * 0.15) * 1.5, 0, 1)
        dark = 0.62 * floor + 0.2 * np.clip(-blur(hgt, width * 0.3) / max(1.0, width * 0.5), 0, 1)
    dark = np.clip(dark, 0, 0.85)
    img = img * (1 - dark[..., None]) + SKY_SHADOW * 0.75 * dark[..., None]
    if sunny:
        lit = np.clip(relief(blur(hgt, width * 0.1), light, 1.4 / max(1.0, width ** 0.15)) - 1, 0, 1)
        img = img + (np.float32([1.0, 0.98, 0.92]) - img) * lit[..., None]
    return photographed(feathered(np.clip(img, 0, 1), 0.1), lambda w: snow(w, rng, unit * w[0] / sh, light, sunny),
                        box, rng, TILT, 18, (th, th), SPIN, warm=False)


# --- marks --------------------------------------------------------------------------------

def spiral(rng):
    """A spiral from the middle out, 2 to 3 turns, as one polyline in the unit square."""
    turns = rng.uniform(2.0, 3.0)
    a0, sense = rng.uniform(0, 2 * math.pi), pick(rng, (1, -1))
    pts = []
    for t in np.linspace(0, 1, 140):
        r, a = 0.04 + 0.44 * t, a0 + sense * t * turns * 2 * math.pi
        pts.append((0.5 + r * math.cos(a), 0.5 + r * math.sin(a)))
    return [pts]

