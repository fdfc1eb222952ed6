"""Painting the scenes of scripts/make-heldout-set4.py's families: a mark (a coverage
map, 1 = ink) in marker on a sticky note stuck to a monitor, a fridge or a cork board;
wiped with a fingertip in the fog on a window or a mirror; printed on a runner's bib;
bent in a neon tube, lit from the front or from behind on a wall at night; painted on a
glazed house-number tile. Every function draws from the numpy Generator it is given,
so a scene depends only on that generator's seed. Light, perspective and the camera
come from heldout_render.py, small pieces from heldout_scenes3.py.
"""

import math

import cv2
import numpy as np

from heldout_render import (blend, camera, drop_shadow, fbm, light_up, marker_alpha, perspective, shaded_disc,
                            smooth_noise, surface)
from heldout_scenes3 import canvas_of, choice, colour, fit, photo_size

LUMA = np.float32([0.3, 0.59, 0.11])


# --- Small pieces -------------------------------------------------------------

def upsampled(lo, size, interpolation=cv2.INTER_LINEAR):
    """A low-resolution image (h, w[, 3]) resized to size (height, width)."""
    return cv2.resize(lo, (size[1], size[0]), interpolation=interpolation)


def rotated_piece(rgb, alpha, angle):
    """A piece (rgb, alpha) turned by angle degrees about its centre, on a canvas
    large enough to hold it."""
    h, w = alpha.shape
    side = int(math.hypot(h, w)) + 2
    R = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    R[:, 2] += ((side - w) / 2, (side - h) / 2)
    turn = lambda a: cv2.warpAffine(a, R, (side, side), flags=cv2.INTER_LINEAR)  # noqa: E731
    return turn(rgb), turn(alpha)


def lay(img, rgb, alpha, centre, angle, shadow=None):
    """A piece laid on img centred at centre (y, x), turned by angle, over its drop
    shadow shadow = (offset (dy, dx), softness, strength) where given."""
    rgb, alpha = rotated_piece(rgb, alpha, angle)
    top, left = int(centre[0] - alpha.shape[0] / 2), int(centre[1] - alpha.shape[1] / 2)
    if shadow:
        drop_shadow(img, alpha, top, left, *shadow)
    blend(img, alpha, rgb, top, left)


def paint_mark(piece, cov, rng, ink, height_fraction, width_fraction, alpha_of=None, offset=(0.0, 0.0)):
    """cov painted in ink on the piece's middle (h, w, 3), height_fraction of its height
    (narrower when wider than width_fraction of its width), moved by offset (fractions
    of the piece). Returns the mark's box (top, left, bottom, right)."""
    h, w = piece.shape[:2]
    c = fit(cov, h * height_fraction, w * width_fraction)
    top = (h - c.shape[0]) // 2 + int(offset[0] * h)
    left = (w - c.shape[1]) // 2 + int(offset[1] * w)
    blend(piece, alpha_of(c, rng) if alpha_of else c, ink, top, left)
    return top, left, top + c.shape[0], left + c.shape[1]


def soft_dark_edge(img, rng, strength=(0.2, 0.5)):
    """The shade of something outside the frame (a roof, a phone, a hand) across one
    side of the picture, with a soft edge."""
    h, w = img.shape[:2]
    y, x = np.mgrid[0:max(8, h // 8), 0:max(8, w // 8)].astype(np.float32)
    y, x = y / y.shape[0] - 0.5, x / x.shape[1] - 0.5
    a = rng.uniform(0, 2 * math.pi)
    d = x * math.cos(a) + y * math.sin(a) - rng.uniform(0.25, 0.45)
    shade = 1 - rng.uniform(*strength) / (1 + np.exp(np.clip(-d / rng.uniform(0.01, 0.05), -50, 50)))
    img *= upsampled(shade.astype(np.float32), img.shape[:2])[..., None]


# --- Sticky notes ---------------------------------------------------------------

NOTE_COLOURS = ([0.99, 0.93, 0.42], [0.98, 0.62, 0.72], [0.58, 0.84, 0.97], [0.68, 0.93, 0.55],
                [1.0, 0.72, 0.35], [0.86, 0.72, 0.95])
MARKERS = ([0.05, 0.05, 0.08], [0.08, 0.15, 0.55], [0.72, 0.08, 0.1], [0.08, 0.4, 0.18], [0.3, 0.1, 0.45])


def note_piece(n, rng, tint):
    """A square sticky note n px: its colour, the glue strip at the top a touch
    darker, the free end curling up out of the light. Returns (rgb, alpha, curl)."""
    note = canvas_of((n, n), tint * rng.uniform(0.93, 1.02))
    note *= (0.97 + 0.05 * fbm((n, n), n / 3, rng))[..., None]
    note[:int(n * rng.uniform(0.12, 0.22))] *= 0.97
    curl = rng.uniform(0.0, 0.3)
    ramp = np.clip((np.arange(n, dtype=np.float32) / n - 0.5) / 0.5, 0, 1) ** 2
    note *= (1 - curl * ramp)[:, None, None]
    return note, np.ones((n, n), np.float32), curl


def pin(img, centre, r, rng):
    """A push pin's round head with its shadow."""
    a, rgb = shaded_disc(r, colour(rng, [[0.85, 0.1, 0.1], [0.1, 0.3, 0.85], [0.95, 0.85, 0.1], [0.1, 0.6, 0.25],
                                         [0.95, 0.95, 0.95]]), rng)
    pos = (centre[0] - r, centre[1] - r)
    drop_shadow(img, a, *pos, (r // 2 + 1, r // 3 + 1), r / 3, 0.45)
    blend(img, a, rgb, *pos)


def sticky_background(kind, size, rng):
    """A monitor (screen and bezel), a fridge door (handle, magnets) or a cork board,
    at size (height, width); returns the image and where the note goes (y, x)."""
    h, w = size
    lo = (max(8, h // 8), max(8, w // 8))
    if kind == "monitor":
        # The screen fills the top of the frame; the note is stuck over its lower edge.
        dark = rng.random() < 0.4
        screen = canvas_of(lo, colour(rng, [[0.12, 0.13, 0.16], [0.2, 0.2, 0.22]] if dark else
                                      [[0.9, 0.92, 0.95], [0.82, 0.86, 0.92]]))
        for _ in range(int(rng.integers(2, 6))):  # windows of an out-of-focus desktop
            y0, x0 = int(rng.uniform(0, lo[0])), int(rng.uniform(0, lo[1]))
            cv2.rectangle(screen, (x0, y0), (x0 + int(rng.uniform(0.1, 0.5) * lo[1]),
                                             y0 + int(rng.uniform(0.1, 0.4) * lo[0])),
                          tuple(float(v) for v in rng.uniform(0.2, 0.95, 3)), -1)
        screen = cv2.GaussianBlur(screen, (0, 0), max(1.0, lo[0] / 40))
        edge = int(lo[0] * rng.uniform(0.55, 0.75))
        bezel = np.float32(choice(rng, ([0.04, 0.04, 0.05], [0.12, 0.12, 0.13], [0.7, 0.7, 0.72])))
        screen[edge:] = bezel * (0.95 + 0.1 * fbm((lo[0] - edge, lo[1]), lo[0] / 5, rng))[..., None]
        stand_top = edge + int(lo[0] * rng.uniform(0.1, 0.16))
        screen[stand_top:] = colour(rng, [[0.55, 0.42, 0.3], [0.85, 0.85, 0.83], [0.3, 0.3, 0.32]])  # the desk
        img = upsampled(screen, size)
        return img, (edge * h / lo[0] + rng.uniform(-0.12, 0.02) * h, rng.uniform(0.3, 0.7) * w)
    if kind == "fridge":
        img = canvas_of(lo, colour(rng, [[0.95, 0.95, 0.94], [0.93, 0.92, 0.88], [0.78, 0.79, 0.8]]))
        img *= (0.9 + 0.12 * np.linspace(0, 1, lo[1], dtype=np.float32))[None, :, None]
        handle = int(rng.uniform(0.05, 0.15) * lo[1]) if rng.random() < 0.5 else int(rng.uniform(0.85, 0.95) * lo[1])
        hw = max(2, lo[1] // 30)
        img[:, handle:handle + hw] *= np.linspace(1.1, 0.6, hw, dtype=np.float32)[None, :, None]
        img = upsampled(img, size)
        return img, (rng.uniform(0.35, 0.65) * h, rng.uniform(0.3, 0.7) * w)
    # A cork board in a wooden frame.
    img = canvas_of(lo, colour(rng, [[0.72, 0.53, 0.33], [0.65, 0.47, 0.3], [0.78, 0.62, 0.42]]))
    img *= (0.9 + 0.2 * fbm(lo, lo[0] / 6, rng))[..., None]
    img = upsampled(img, size)
    grain = (rng.random((h // 2, w // 2), dtype=np.float32) - 0.5) * 0.25
    img *= (1 + upsampled(grain, size, cv2.INTER_NEAREST))[..., None]
    if rng.random() < 0.5:
        f = int(h * rng.uniform(0.02, 0.05))
        wood = np.float32([0.45, 0.3, 0.18])
        for sl in (np.s_[:f], np.s_[h - f:]):
            img[sl] = wood
        for sl in (np.s_[:, :f], np.s_[:, w - f:]):
            img[sl] = wood
    return img, (rng.uniform(0.35, 0.65) * h, rng.uniform(0.3, 0.7) * w)


def sticky_photo(cov, rng, hand):
    """A mark in marker on a sticky note on a monitor, fridge or cork board, with other
    (blank) notes, magnets or pins around, photographed; 300 px to 12 MP. hand: the
    mark is handwriting (the pen's stroke as the marker's), else a drawing."""
    size = photo_size(rng, (320, 700), (700, 1800))
    h, w = size
    kind = choice(rng, ("monitor", "fridge", "cork"))
    img, centre = sticky_background(kind, size, rng)
    n = int(min(h, w) * rng.uniform(0.3, 0.7))
    tints = list(NOTE_COLOURS)
    main_tint = np.float32(tints.pop(int(rng.integers(0, len(tints)))))
    if kind != "monitor":  # other notes, blank, about the board or the door
        for _ in range(int(rng.integers(0, 4))):
            other, a, _ = note_piece(int(n * rng.uniform(0.8, 1.1)), rng, np.float32(choice(rng, tints)))
            spot = (rng.uniform(0, h), rng.uniform(0, w))
            if abs(spot[0] - centre[0]) < n and abs(spot[1] - centre[1]) < n:
                continue  # would sit under or over the note with the mark
            lay(img, other, a, spot, rng.uniform(-15, 15), ((n // 60, n // 80), n / 50, 0.3))
            if kind == "cork":
                pin(img, (int(spot[0] - n * 0.35), int(spot[1])), max(2, n // 22), rng)
    if kind == "fridge":
        for _ in range(int(rng.integers(0, 4))):
            r = max(3, int(n * rng.uniform(0.06, 0.12)))
            spot = (int(rng.uniform(0, h - 2 * r)), int(rng.uniform(0, w - 2 * r)))
            if abs(spot[0] - centre[0]) < n * 0.8 and abs(spot[1] - centre[1]) < n * 0.8:
                continue
            a, rgb = shaded_disc(r, colour(rng, [[0.9, 0.2, 0.2], [0.2, 0.4, 0.9], [0.95, 0.8, 0.1],
                                               [0.2, 0.7, 0.3]]), rng)
            drop_shadow(img, a, *spot, (r // 4, r // 5), r / 4, 0.35)
            blend(img, a, rgb, *spot)
    note, a, curl = note_piece(n, rng, main_tint)
    ink = np.float32(choice(rng, MARKERS))
    # The mark below the glue strip, where the push pin goes.
    paint_mark(note, cov, rng, ink, rng.uniform(0.45, 0.65), 0.8, marker_alpha if hand else None,
               offset=(rng.uniform(0.04, 0.1), rng.uniform(-0.06, 0.06)))
    angle = rng.uniform(-12, 12)
    shadow = ((int(n * (0.01 + 0.04 * curl)), int(n * 0.01)), n * (0.01 + 0.03 * curl), 0.35)
    lay(img, note, a, centre, angle, shadow)
    if kind == "cork":
        pin(img, (int(centre[0] - n * 0.43), int(centre[1] + rng.uniform(-0.1, 0.1) * n)), max(2, n // 24), rng)
    img = light_up(img, rng, 0.25, rng.uniform(0.05, 0.3), glare=int(rng.integers(0, 2)),
                   glare_strength=rng.uniform(0.05, 0.2), streaks=False)
    if rng.random() < 0.3:
        soft_dark_edge(img, rng)
    img, _ = perspective(img, rng, 0.06, (1.0, 1.1), border=tuple(float(v) for v in img[h // 2, 1]))
    return camera(img, rng)


# --- Fogged glass -----------------------------------------------------------------

def view_behind(size, rng, kind):
    """What is behind a fogged window ("night": a street's dark and its lights; "day":
    walls, windows and trees across the street) or in front of a fogged bathroom
    mirror ("mirror": tiles, a towel, a lamp), out of focus."""
    h, w = size
    lo = (max(24, h // 6), max(24, w // 6))
    if kind == "night":
        img = canvas_of(lo, colour(rng, [[0.03, 0.04, 0.08], [0.06, 0.05, 0.05], [0.02, 0.03, 0.04]]))
        img *= (0.6 + 0.8 * fbm(lo, lo[0] / 6, rng, 4))[..., None]
        for _ in range(int(rng.integers(2, 8))):  # lit windows across the street
            x0, y0 = int(rng.uniform(0, lo[1])), int(rng.uniform(0, lo[0]))
            cv2.rectangle(img, (x0, y0), (x0 + int(rng.uniform(0.03, 0.12) * lo[1]), y0 + int(rng.uniform(0.04, 0.15) *
                                                                                             lo[0])),
                          tuple(float(v) for v in colour(rng, [[0.5, 0.35, 0.15], [0.3, 0.3, 0.28]])), -1)
        for _ in range(int(rng.integers(6, 30))):  # street lights, cars' lights
            r = max(1, int(lo[0] * rng.uniform(0.008, 0.04)))
            c = (int(rng.uniform(0, lo[1])), int(rng.uniform(0.2, 1.0) * lo[0]))
            tone = colour(rng, [[1.0, 0.75, 0.35], [0.95, 0.95, 0.9], [1.0, 0.35, 0.2], [0.4, 0.7, 1.0]])
            cv2.circle(img, c, r, tuple(float(v) for v in tone * rng.uniform(0.4, 0.9)), -1, cv2.LINE_AA)
    elif kind == "day":
        img = canvas_of(lo, colour(rng, [[0.25, 0.32, 0.2], [0.3, 0.28, 0.26], [0.2, 0.26, 0.3], [0.35, 0.3, 0.22]]))
        img *= (0.5 + 1.0 * fbm(lo, lo[0] / 10, rng, 4))[..., None]
        for _ in range(int(rng.integers(2, 8))):  # walls and posts, with their windows
            x0, y0 = int(rng.uniform(0, lo[1])), int(rng.uniform(0, lo[0]))
            x1 = x0 + int(rng.uniform(0.05, 0.4) * lo[1])
            cv2.rectangle(img, (x0, y0), (x1, lo[0]), tuple(float(v) for v in rng.uniform(0.1, 0.5, 3)), -1)
            step = max(3, int(lo[0] * rng.uniform(0.06, 0.12)))
            for y in range(y0 + step // 2, lo[0], step):
                cv2.rectangle(img, (x0 + step // 3, y), (min(x1, x0 + step), y + step // 2),
                              tuple(float(v) for v in rng.uniform(0.05, 0.3, 3)), -1)
        for _ in range(int(rng.integers(0, 12))):  # leaves of a tree
            r = max(2, int(lo[0] * rng.uniform(0.03, 0.1)))
            cv2.circle(img, (int(rng.uniform(0, lo[1])), int(rng.uniform(0, 0.6) * lo[0])), r,
                       tuple(float(v) for v in colour(rng, [[0.1, 0.2, 0.08], [0.2, 0.3, 0.1]])), -1, cv2.LINE_AA)
    else:  # a bathroom seen in the mirror: tiles, a towel, the lamp
        img = canvas_of(lo, colour(rng, [[0.35, 0.5, 0.55], [0.45, 0.45, 0.47], [0.3, 0.35, 0.5], [0.55, 0.5, 0.42]]))
        step = max(4, int(lo[0] * rng.uniform(0.08, 0.16)))
        img[::step] *= 0.8
        img[:, ::step] *= 0.8
        x0 = int(rng.uniform(0, 0.7) * lo[1])
        cv2.rectangle(img, (x0, int(rng.uniform(0.3, 0.6) * lo[0])), (x0 + int(0.25 * lo[1]), lo[0]),
                      tuple(float(v) for v in colour(rng, [[0.7, 0.2, 0.2], [0.2, 0.3, 0.6], [0.85, 0.85, 0.8]])), -1)
        cv2.circle(img, (int(rng.uniform(0, lo[1])), int(rng.uniform(0, 0.25) * lo[0])), max(2, lo[0] // 12),
                   (1.0, 0.95, 0.85), -1, cv2.LINE_AA)
        img *= (0.8 + 0.4 * fbm(lo, lo[0] / 4, rng))[..., None]
    img = cv2.GaussianBlur(img, (0, 0), max(0.8, lo[0] / 150))
    return upsampled(img, size, cv2.INTER_CUBIC)


def droplets(size, rng, density, scale):
    """Fine water droplets: a map in [-1, 1] of specks (light rims, dark centres)."""
    h, w = size
    cell = max(1, int(round(scale)))
    small = (max(4, h // cell), max(4, w // cell))
    seeds = (rng.random(small, dtype=np.float32) < density).astype(np.float32)
    dots = cv2.GaussianBlur(seeds, (0, 0), 0.7)
    dots = upsampled(dots / (dots.max() + 1e-6), size)
    return dots * 2 - cv2.GaussianBlur(dots, (0, 0), max(0.6, scale * 0.8))


def wiped_mask(c, size, top, left, finger, rng):
    """Where a fingertip wiped the fog: the mark's strokes with ragged edges, and where
    drips, a drop or two running down from its lowest ink, wavering, a bead at the end."""
    h, w = size
    wiped = np.zeros(size, np.float32)
    wiped[top:top + c.shape[0], left:left + c.shape[1]] = c
    if rng.random() < 0.35:
        for _ in range(int(rng.integers(1, 3))):
            x = int(choice(rng, np.nonzero(c.max(0) > 0.5)[0]))
            y = int(np.nonzero(c[:, x] > 0.5)[0].max())
            width = max(1, int(finger * rng.uniform(0.1, 0.18)))
            length = int(c.shape[0] * rng.uniform(0.1, 0.35))
            ys = np.linspace(top + y, min(h - 1, top + y + length), 12)
            xs = left + x + np.cumsum(rng.normal(0, finger * 0.04, 12))
            cv2.polylines(wiped, [np.int32(np.stack([xs, ys], 1))], False, 0.9, width, cv2.LINE_AA)
            cv2.circle(wiped, (int(xs[-1]), int(ys[-1])), int(width * 1.2), 0.9, -1, cv2.LINE_AA)
    soft = cv2.GaussianBlur(wiped, (0, 0), max(0.5, finger * 0.1))
    ragged = upsampled(smooth_noise((max(4, h // 8), max(4, w // 8)), max(1.0, finger / 16), rng), size)
    return np.clip((soft + 0.45 * (ragged - 0.5) - 0.3) / 0.35, 0, 1)


def fog_photo(cov, rng, pen):
    """A mark wiped with a fingertip (pen: the stroke's width in the mark's pixels) in
    the fog on a window or a bathroom mirror: the wiped strokes show what is behind,
    sharper; the fog around it scatters the light; droplets gather at the strokes'
    edges and some run down as drips; 320 px to 12 MP."""
    size = photo_size(rng, (320, 700), (700, 1800))
    h, w = size
    kind = choice(rng, ("night", "day", "mirror"))
    behind = view_behind(size, rng, kind)
    lo = (max(8, h // 8), max(8, w // 8))
    hazy = upsampled(cv2.GaussianBlur(cv2.resize(behind, (lo[1], lo[0]), interpolation=cv2.INTER_AREA), (0, 0),
                                      max(1.0, lo[0] / 30)), size)
    haze = colour(rng, [[0.86, 0.88, 0.9], [0.8, 0.82, 0.85], [0.9, 0.87, 0.8]])
    if kind == "night":  # lit by the room
        haze = haze * rng.uniform(0.6, 0.85)
    thickness = rng.uniform(0.65, 0.88) * (0.8 + 0.4 * upsampled(fbm(lo, lo[0] / 3, rng), size))
    thickness = np.clip(thickness, 0.45, 0.95)
    c = fit(cov, h * rng.uniform(0.18, 0.6), 0.8 * w)
    finger = max(2.0, pen * c.shape[0] / max(1, cov.shape[0]))
    top = int(rng.uniform(0.2, 0.6) * (h - c.shape[0]))
    left = int(rng.uniform(0.2, 0.8) * (w - c.shape[1]))
    # What shows through the strokes is darker than the fog, by a margin a person sees.
    under = (behind[top:top + c.shape[0], left:left + c.shape[1]] @ LUMA)[c > 0.5]
    brightest = float(np.percentile(under, 95))
    ceiling = float(haze @ LUMA) * float(thickness.min()) - rng.uniform(0.25, 0.4)
    if brightest > ceiling:
        scale = max(0.05, ceiling) / brightest
        behind, hazy = behind * scale, hazy * scale
    wiped = wiped_mask(c, size, top, left, finger, rng)
    left_over = rng.uniform(0.03, 0.15) * (0.5 + upsampled(fbm(lo, lo[0] / 6, rng), size))
    fog = thickness * (1 - wiped * (1 - left_over))
    seen = behind * wiped[..., None] + hazy * (1 - wiped[..., None])
    img = seen * (1 - fog[..., None]) + haze * fog[..., None]
    # Droplets everywhere in the fog, bigger ones along the wiped strokes' edges.
    speck_scale = max(1.0, h / 700)
    drops = droplets(size, rng, 0.05, speck_scale) * fog * 0.1
    rim = np.clip(cv2.GaussianBlur(wiped, (0, 0), finger * 0.3) - wiped, 0, 1)
    drops += droplets(size, rng, 0.25, speck_scale * 2.5) * rim * 0.35
    img += drops[..., None]
    if rng.random() < 0.4:  # the window's frame or the mirror's edge along one side
        f = int(rng.uniform(0.03, 0.08) * min(h, w))
        frame = colour(rng, [[0.92, 0.92, 0.9], [0.35, 0.25, 0.18], [0.6, 0.6, 0.62]]) * (
            0.6 if kind == "night" else 1.0)
        sl = (np.s_[:f], np.s_[h - f:], np.s_[:, :f], np.s_[:, w - f:])[int(rng.integers(0, 4))]
        img[sl] = frame
    img = light_up(img, rng, 0.2, rng.uniform(0.05, 0.3), glare=int(rng.integers(0, 2)), glare_strength=0.1,
                   streaks=False)
    img, _ = perspective(img, rng, 0.05, (1.0, 1.08), border=tuple(float(v) for v in img[h // 2, 1]))
    return camera(img, rng, blur=(0.3, 1.1), noise=(0.01, 0.035) if kind == "night" else (0.006, 0.02))


# --- Runners' bibs ------------------------------------------------------------------

def safety_pin(length, rng):
    """A closed safety pin length px long, seen from above: (rgb, alpha)."""
    t = max(1, length // 14)
    h, w = max(3, length // 4), length
    a = np.zeros((h, w), np.float32)
    mid = h // 2
    cv2.line(a, (t, mid - t), (w - 3 * t, mid - t), 1.0, t, cv2.LINE_AA)
    cv2.line(a, (t, mid + t), (w - 3 * t, mid + t), 1.0, t, cv2.LINE_AA)
    cv2.circle(a, (t + 1, mid), t + 1, 1.0, max(1, t // 2 + 1), cv2.LINE_AA)
    cv2.rectangle(a, (w - 4 * t, mid - 2 * t), (w - 1, mid + 2 * t), 1.0, -1)
    rgb = canvas_of((h, w), colour(rng, [[0.78, 0.78, 0.8], [0.65, 0.66, 0.7], [0.8, 0.72, 0.45]]))
    return rgb, a


def bib_piece(number_cov, rng, bh, words):
    """A runner's bib bh px tall: a printed number large in the middle, the event's
    name in a coloured band above, a sponsor's word below, creased. Returns (rgb, alpha)."""
    bw = int(bh * rng.uniform(1.25, 1.55))
    paper = colour(rng, [[0.97, 0.97, 0.96], [0.97, 0.97, 0.96], [0.98, 0.93, 0.55], [0.85, 0.93, 0.98]])
    bib = canvas_of((bh, bw), paper)
    band = colour(rng, [[0.85, 0.1, 0.12], [0.1, 0.25, 0.65], [0.1, 0.5, 0.3], [0.95, 0.5, 0.05], [0.1, 0.1, 0.12]])
    top_band = int(bh * rng.uniform(0.16, 0.24))
    bib[:top_band] = band
    event, sponsor = words
    paint_mark(bib[:top_band], event, rng, np.float32([0.98, 0.98, 0.98]), 0.55, 0.85)
    ink = colour(rng, [[0.05, 0.05, 0.05], [0.05, 0.05, 0.05], [0.1, 0.15, 0.5], [0.6, 0.05, 0.05]])
    body = bib[top_band:int(bh * 0.86)]
    paint_mark(body, number_cov, rng, ink, rng.uniform(0.62, 0.8), 0.9)
    foot = bib[int(bh * 0.86):]
    if rng.random() < 0.5:
        foot[:] = band
        paint_mark(foot, sponsor, rng, np.float32([0.98, 0.98, 0.98]), 0.55, 0.5)
    else:
        paint_mark(foot, sponsor, rng, band, 0.5, 0.45, offset=(0.0, rng.uniform(-0.25, 0.25)))
    # Creases: the paper bent across and down, shading and a small warp.
    lo = (max(4, bh // 8), max(4, bw // 8))
    folds = smooth_noise(lo, max(2.0, lo[0] / 3), rng, max(2.0, lo[1] / 1.5))
    shade = upsampled(folds, (bh, bw))
    bib *= (0.85 + 0.25 * shade)[..., None]
    across = np.abs(np.linspace(-1, 1, bw, dtype=np.float32))
    bib *= (1 - rng.uniform(0.0, 0.2) * across ** 2)[None, :, None]  # round the chest
    amp = bh * rng.uniform(0.005, 0.02)
    dx = (upsampled(smooth_noise(lo, lo[0] / 2, rng), (bh, bw)) - 0.5) * 2 * amp
    dy = (upsampled(smooth_noise(lo, lo[0] / 2, rng), (bh, bw)) - 0.5) * 2 * amp
    gy, gx = np.mgrid[0:bh, 0:bw].astype(np.float32)
    alpha = np.ones((bh, bw), np.float32)
    bib = cv2.remap(bib, gx + dx, gy + dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    alpha = cv2.remap(alpha, gx + dx, gy + dy, cv2.INTER_LINEAR)
    # A safety pin in each corner.
    for cy, cx in ((0.06, 0.08), (0.06, 0.92), (0.94, 0.08), (0.94, 0.92)):
        rgb, a = safety_pin(max(8, int(bh * 0.14)), rng)
        turned_rgb, turned = rotated_piece(rgb, a, rng.uniform(-40, 40))
        t, l = int(cy * bh - turned.shape[0] / 2), int(cx * bw - turned.shape[1] / 2)
        drop_shadow(bib, turned, t, l, (max(1, bh // 150), max(1, bh // 150)), bh / 300, 0.4)
        blend(bib, turned, turned_rgb, t, l)
    return bib, alpha


def bib_photo(number_cov, words, rng):
    """A runner's chest with a bib pinned to the shirt, a street or a park behind,
    photographed in daylight, sometimes blurred by the runner's motion; 400 px to 12 MP."""
    size = photo_size(rng, (400, 800), (800, 2000))
    h, w = size
    lo = (max(8, h // 10), max(8, w // 10))
    img = canvas_of(lo, colour(rng, [[0.45, 0.55, 0.4], [0.55, 0.55, 0.58], [0.6, 0.7, 0.85], [0.5, 0.45, 0.4]]))
    img *= (0.6 + 0.8 * fbm(lo, lo[0] / 3, rng))[..., None]
    img = upsampled(cv2.GaussianBlur(img, (0, 0), max(1.0, lo[0] / 30)), size)
    # The shirt: the runner's torso across the middle of the frame, folds in the fabric.
    shirt = colour(rng, [[0.1, 0.1, 0.12], [0.85, 0.15, 0.15], [0.15, 0.3, 0.7], [0.9, 0.9, 0.9], [0.95, 0.55, 0.1],
                         [0.2, 0.6, 0.35], [0.55, 0.2, 0.55]])
    torso = np.zeros(lo, np.float32)
    cx = lo[1] * rng.uniform(0.4, 0.6)
    half_top, half_bottom = lo[1] * rng.uniform(0.3, 0.45), lo[1] * rng.uniform(0.25, 0.4)
    cv2.fillPoly(torso, [np.int32([[cx - half_top, 0], [cx + half_top, 0], [cx + half_bottom, lo[0]],
                                   [cx - half_bottom, lo[0]]])], 1.0, cv2.LINE_AA)
    torso = upsampled(cv2.GaussianBlur(torso, (0, 0), 1.0), size)
    folds = upsampled(smooth_noise(lo, lo[0] / 3, rng, lo[1] / 20), size)  # hanging down the chest
    fabric = shirt * (0.8 + 0.3 * folds)[..., None]
    img = img * (1 - torso[..., None]) + fabric * torso[..., None]
    bh = int(min(h * rng.uniform(0.35, 0.6), w * rng.uniform(0.45, 0.6) / 1.4))
    bib, alpha = bib_piece(number_cov, rng, bh, words)
    centre = (h * rng.uniform(0.4, 0.6), cx * w / lo[1] + rng.uniform(-0.05, 0.05) * w)
    lay(img, bib, alpha, centre, rng.uniform(-8, 8), ((bh // 80, bh // 100), bh / 60, 0.35))
    img = light_up(img, rng, 0.35, rng.uniform(0.05, 0.25), glare=int(rng.integers(0, 2)), glare_strength=0.1,
                   streaks=False)
    if rng.random() < 0.35:
        soft_dark_edge(img, rng, (0.25, 0.45))
    if rng.random() < 0.3:  # the runner moves during the exposure
        length = max(3, int(h * rng.uniform(0.002, 0.006)))
        kernel = np.zeros((length, length), np.float32)
        kernel[length // 2] = 1.0 / length
        R = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kernel = cv2.warpAffine(kernel, R, (length, length))
        img = cv2.filter2D(img, -1, kernel / kernel.sum())
    img, _ = perspective(img, rng, 0.05, (1.0, 1.08), border=tuple(float(v) for v in img[h // 2, 1]))
    return camera(img, rng)


# --- Neon and lit signs at night ----------------------------------------------------

NEON = ([1.0, 0.2, 0.55], [1.0, 0.15, 0.1], [0.2, 0.55, 1.0], [0.2, 0.95, 1.0], [1.0, 0.8, 0.5], [0.4, 1.0, 0.35],
        [0.7, 0.3, 1.0], [1.0, 0.55, 0.1])


def night_wall(size, rng):
    """A wall at night, nearly black: bricks, boards or painted concrete."""
    h, w = size
    lo = (max(16, h // 4), max(16, w // 4))
    kind = int(rng.integers(0, 3))
    if kind == 0:  # bricks: darker mortar lines in a running bond
        img = canvas_of(lo, colour(rng, [[0.5, 0.25, 0.18], [0.4, 0.3, 0.25]]))
        bh = max(3, int(lo[0] * rng.uniform(0.04, 0.08)))
        for r, y in enumerate(range(0, lo[0], bh)):
            img[y:y + max(1, bh // 6)] *= 0.55
            off = (bh * 3 // 2) * (r % 2)
            for x in range(off, lo[1], bh * 3):
                img[y:y + bh, x:x + max(1, bh // 6)] *= 0.55
    elif kind == 1:  # vertical boards
        img, _ = surface("wood", *lo, rng)
        step = max(3, int(lo[1] * rng.uniform(0.05, 0.12)))
        img[:, ::step] *= 0.4
    else:
        img = canvas_of(lo, colour(rng, [[0.5, 0.5, 0.52], [0.25, 0.3, 0.35], [0.45, 0.4, 0.35]]))
    img *= (0.8 + 0.4 * fbm(lo, lo[0] / 5, rng))[..., None]
    return upsampled(img, size) * rng.uniform(0.06, 0.16)


def glow(shape_cov, size, spreads):
    """The light a lit shape spreads over the wall: blurs of spreads (fractions of
    the frame's height, weights) summed, computed small and enlarged."""
    h, w = size
    f = max(1, int(min(h, w) / 400))
    small = cv2.resize(shape_cov, (max(4, w // f), max(4, h // f)), interpolation=cv2.INTER_AREA)
    total = np.zeros_like(small)
    for spread, weight in spreads:
        total += weight * cv2.GaussianBlur(small, (0, 0), max(0.5, spread * h / f))
    return upsampled(total, size)


def neon_photo(cov, rng, style):
    """A sign lit at night on a wall: a neon tube bent along the mark's strokes (style
    "tube": the mark drawn with a thin pen or in a thin font), a face-lit sign letter glowing all over ("lit") or a dark
    letter lit from behind, its halo on the wall ("halo"); bloom and halation; 240 px to 12 MP."""
    size = photo_size(rng, (240, 600), (600, 1800))
    h, w = size
    img = night_wall(size, rng)
    tint = colour(rng, NEON)
    c = fit(cov, h * rng.uniform(0.25, 0.6), 0.75 * w)
    ch, cw = c.shape
    top, left = int(rng.uniform(0.25, 0.75) * (h - ch)), int(rng.uniform(0.25, 0.75) * (w - cw))
    mark = np.zeros(size, np.float32)
    if style == "tube":  # the mark's strokes are the tube: a pen's, or a thin font's
        mark[top:top + ch, left:left + cw] = c
        if rng.random() < 0.35:  # the clear acrylic board the tube is mounted on
            m = int(0.1 * ch)
            cv2.rectangle(img, (left - m, top - m), (left + cw + m, top + ch + m),
                          tuple(float(v) for v in tint * 0.08 + 0.05), max(1, ch // 150), cv2.LINE_AA)
        light = glow(mark, size, ((0.004, 0.8), (0.02, 0.6), (0.08, 0.35)))
        img *= (1 + 3 * light)[..., None]
        img += (light * rng.uniform(0.5, 0.9))[..., None] * tint
        blend(img, mark, np.clip(tint * 0.8 + 0.3, 0, 1), 0, 0)
        inner = np.clip((cv2.GaussianBlur(mark, (0, 0), max(0.6, ch / 150)) - 0.55) * 3, 0, 1)
        blend(img, inner * 0.8, np.clip(tint * 0.3 + 0.75, 0, 1), 0, 0)  # white-hot along the tube's middle
    elif style == "lit":
        mark[top:top + ch, left:left + cw] = c
        light = glow(mark, size, ((0.006, 0.7), (0.03, 0.4), (0.1, 0.25)))
        img *= (1 + 2 * light)[..., None]
        img += (light * rng.uniform(0.4, 0.8))[..., None] * tint
        face = np.clip(tint * 0.6 + 0.45, 0, 1)
        edge = np.clip(mark - cv2.erode(mark, np.ones((3, 3), np.uint8), iterations=max(1, ch // 80)), 0, 1)
        blend(img, mark, face, 0, 0)
        blend(img, edge * 0.5, tint, 0, 0)  # the coloured rim of the sign's face
    else:  # halo: the letter stands off the wall, LEDs behind it light the wall round it
        mark[top:top + ch, left:left + cw] = c
        grown = cv2.dilate(mark, np.ones((3, 3), np.uint8), iterations=max(1, int(ch * rng.uniform(0.02, 0.04))))
        light = glow(grown, size, ((0.01, 1.0), (0.04, 0.6), (0.12, 0.2)))
        img = img * (1 + 4 * light)[..., None] + (light * rng.uniform(0.6, 1.0))[..., None] * tint
        metal = colour(rng, [[0.06, 0.06, 0.07], [0.12, 0.1, 0.08], [0.2, 0.2, 0.22]])
        sheen = metal * (0.8 + 0.5 * upsampled(smooth_noise((8, 8), 3, rng), size))[..., None]
        blend(img, mark, sheen, 0, 0)
    img = light_up(img, rng, 0.2, rng.uniform(0.1, 0.4))
    img, _ = perspective(img, rng, 0.06, (1.0, 1.1), border=tuple(float(v) for v in img[1, 1]))
    return camera(img, rng, blur=(0.4, 1.3), noise=(0.015, 0.045))


# --- Ceramic house-number tiles ---------------------------------------------------

GLAZES = ([0.96, 0.95, 0.9], [0.97, 0.93, 0.82], [0.88, 0.93, 0.97], [0.97, 0.95, 0.78], [0.94, 0.94, 0.94])
PAINTS = ([0.1, 0.2, 0.6], [0.05, 0.05, 0.08], [0.5, 0.15, 0.08], [0.08, 0.35, 0.2], [0.15, 0.3, 0.7])


def flower(rgb, centre, r, petal, heart, rng):
    """A painted flower: five or six petals round a heart."""
    k = int(rng.integers(5, 7))
    turn = rng.uniform(0, math.pi)
    for i in range(k):
        a = turn + i * 2 * math.pi / k
        c = (int(centre[1] + 0.55 * r * math.cos(a)), int(centre[0] + 0.55 * r * math.sin(a)))
        cv2.ellipse(rgb, c, (max(1, int(0.45 * r)), max(1, int(0.25 * r))), math.degrees(a), 0, 360,
                    tuple(float(v) for v in petal), -1, cv2.LINE_AA)
    cv2.circle(rgb, (int(centre[1]), int(centre[0])), max(1, int(0.22 * r)), tuple(float(v) for v in heart), -1,
               cv2.LINE_AA)


def tile_piece(cov, rng, side):
    """A glazed square tile side px: painted border lines, flowers in its corners or a
    band of dots and leaves, the mark painted in the middle; bevelled edges. (rgb, alpha)."""
    glaze = colour(rng, GLAZES)
    tile = canvas_of((side, side), glaze)
    tile *= (0.96 + 0.06 * fbm((side, side), side / 3, rng))[..., None]
    paint = colour(rng, PAINTS)
    accent = colour(rng, [[0.9, 0.6, 0.1], [0.85, 0.25, 0.15], [0.2, 0.55, 0.3], [0.15, 0.35, 0.8]])
    inset = int(side * rng.uniform(0.07, 0.11))
    lw = max(1, int(side * rng.uniform(0.012, 0.025)))
    t = tuple(float(v) for v in paint)
    cv2.rectangle(tile, (inset, inset), (side - inset, side - inset), t, lw, cv2.LINE_AA)
    if rng.random() < 0.5:
        i2 = inset + 3 * lw
        cv2.rectangle(tile, (i2, i2), (side - i2, side - i2), tuple(float(v) for v in accent), max(1, lw // 2),
                      cv2.LINE_AA)
    style = int(rng.integers(0, 3))
    if style == 0:  # a flower in each corner, on the border
        for cy, cx in ((inset, inset), (inset, side - inset), (side - inset, inset), (side - inset, side - inset)):
            flower(tile, (cy, cx), side * rng.uniform(0.06, 0.08), accent, paint, rng)
    elif style == 1:  # a band of dots between the edge and the border line
        step = max(4, int(side * 0.05))
        for p in range(step // 2, side, step):
            for y, x in ((inset // 2, p), (side - inset // 2, p), (p, inset // 2), (p, side - inset // 2)):
                cv2.circle(tile, (x, y), max(1, int(inset * 0.22)), tuple(float(v) for v in accent), -1, cv2.LINE_AA)
    else:  # leaves along the border line, two to a side
        for k in range(8):
            side_k, pos = k // 2, (0.3, 0.7)[k % 2]
            y, x = [(inset, pos * side), (side - inset, pos * side), (pos * side, inset), (pos * side, side - inset)][
                side_k]
            cv2.ellipse(tile, (int(x), int(y)), (max(1, int(side * 0.05)), max(1, int(side * 0.018))),
                        0 if side_k < 2 else 90, 0, 360, tuple(float(v) for v in accent * 0.8), -1, cv2.LINE_AA)
    # The mark painted with a brush: its density a little uneven; a painted shadow sometimes.
    brush = lambda c, r: c * (0.82 + 0.18 * smooth_noise(c.shape, max(2.0, c.shape[0] / 6), r))  # noqa: E731
    height = rng.uniform(0.5, 0.62)
    if rng.random() < 0.3:
        shift = rng.uniform(0.012, 0.025)
        paint_mark(tile, cov, rng, accent, height, 0.62, brush, offset=(shift, shift))
    paint_mark(tile, cov, rng, paint, height, 0.62, brush)
    # Glaze: bevelled edges, a crackle of fine lines, the shine of the sky or a window.
    ramp = np.minimum(np.arange(side, dtype=np.float32), np.arange(side, dtype=np.float32)[::-1]) / (0.03 * side)
    bevel = 0.8 + 0.2 * np.clip(ramp, 0, 1)
    tile *= np.minimum(bevel[:, None], bevel[None, :])[..., None]
    return tile, np.ones((side, side), np.float32)


def tile_photo(cov, rng):
    """A ceramic house-number tile set in a rendered wall (a mortar surround), a
    climbing plant's leaves at the side, sun and shade, the glaze's reflections;
    300 px to 12 MP."""
    size = photo_size(rng, (320, 700), (700, 1800))
    h, w = size
    lo = (max(8, h // 6), max(8, w // 6))
    wall = canvas_of(lo, colour(rng, [[0.92, 0.88, 0.8], [0.85, 0.7, 0.5], [0.78, 0.5, 0.38], [0.7, 0.75, 0.8],
                                      [0.95, 0.95, 0.93]]))
    wall *= (0.85 + 0.25 * fbm(lo, lo[0] / 8, rng, 4))[..., None]
    img = upsampled(wall, size)
    img *= (1 + 0.08 * upsampled((rng.random((h // 3, w // 3), dtype=np.float32) - 0.5), size,
                                 cv2.INTER_NEAREST))[..., None]  # the render's grit
    side = int(min(h, w) * rng.uniform(0.35, 0.75))
    tile, alpha = tile_piece(cov, rng, side)
    m = int(side * rng.uniform(0.03, 0.06))
    mortar = canvas_of((side + 2 * m, side + 2 * m), colour(rng, [[0.7, 0.7, 0.68], [0.8, 0.78, 0.72]]))
    centre = (h * rng.uniform(0.4, 0.6), w * rng.uniform(0.4, 0.6))
    angle = rng.uniform(-4, 4)
    lay(img, mortar, np.ones(mortar.shape[:2], np.float32), centre, angle)
    # The glaze's shine: a soft window or the sky, sometimes across the painting.
    shine = np.zeros((side, side), np.float32)
    sy, sx = int(rng.uniform(0.1, 0.7) * side), int(rng.uniform(0.1, 0.7) * side)
    cv2.rectangle(shine, (sx, sy), (sx + int(side * rng.uniform(0.1, 0.3)), sy + int(side * rng.uniform(0.1, 0.3))),
                  1.0, -1)
    shine = cv2.GaussianBlur(shine, (0, 0), side * 0.03) * rng.uniform(0.15, 0.45)
    tile = tile * (1 - shine[..., None]) + shine[..., None]
    lay(img, tile, alpha, centre, angle, ((side // 100 + 1, side // 100 + 1), side / 80, 0.4))
    if rng.random() < 0.5:  # a climbing plant's leaves at one side, clear of the tile
        edge = choice(rng, (0.0, 1.0))
        for _ in range(int(rng.integers(6, 20))):
            r = max(3, int(min(h, w) * rng.uniform(0.02, 0.05)))
            x = int(w * (edge + (1 - 2 * edge) * rng.uniform(0, 0.12)))
            y = int(rng.uniform(0, h))
            leaf = colour(rng, [[0.2, 0.45, 0.15], [0.15, 0.35, 0.12], [0.3, 0.55, 0.2]])
            cv2.ellipse(img, (x, y), (r, max(2, r // 2)), rng.uniform(0, 180), 0, 360,
                        tuple(float(v) for v in leaf), -1, cv2.LINE_AA)
    img = light_up(img, rng, 0.3, rng.uniform(0.05, 0.25), glare=int(rng.integers(0, 2)), glare_strength=0.15,
                   streaks=False)
    if rng.random() < 0.4:
        soft_dark_edge(img, rng)
    img, _ = perspective(img, rng, 0.06, (1.0, 1.1), border=tuple(float(v) for v in img[h // 2, 1]))
    return camera(img, rng)
