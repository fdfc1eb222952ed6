"""Scenes of the eighteenth held-out set (scripts/make-heldout-set18.py), painted afresh: a
device's seven-segment display (an LCD's dark segments over faint unlit ones, or LEDs
glowing behind black glass); a glossy whiteboard with a marker's digits, a window's glare,
erased ghosts and magnets; digits of tape strips stuck on a box, a wall or a floor; digits
laid out of matchsticks, toothpicks or twigs on a table or a cloth; big chalk digits on
paving; and the non-digit marks made in those settings. Pictures are float32 RGB in [0, 1]
until a scene returns uint8; a coverage map is float32 (h, w), 1 = ink. Every function
draws only from the numpy Generator it is given. A flat picture photographed is the tenth
set's (scripts/lib/heldout_scenes10.py), chalk on the ground the sixth's, a mottled
surface the seventeenth's.
"""

import math

import cv2
import numpy as np

from heldout_render import H, fbm, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import chalk_on, pick, shaky
from heldout_scenes8 import soft
from heldout_scenes9 import feathered
from heldout_scenes10 import photographed
from heldout_scenes11 import laid
from heldout_scenes15 import ground, with_mask
from heldout_scenes16 import digit_height, plain_wall
from heldout_scenes17 import textured

SPIN = 20  # degrees a photo is turned, at most
TILT = (0, 22)  # degrees the surface leans away from the camera


def lum(c):
    return 0.3 * c[0] + 0.59 * c[1] + 0.11 * c[2]


def filling(rng, least=0.06):
    """How tall the digits are in the photo (digit_height's range, drawn) and in a flat
    surface painted for it: small enough there that the surface fills the photo past its
    edges, whatever the size in the photo."""
    th = rng.uniform(*digit_height(rng, least))
    return th, min(0.55, th / 1.6)


def free_spot(rng, shape, keep_out, size, tries=30):
    """A point (x, y) of an (h, w) picture at least `size` px off the box keep_out (top,
    left, bottom, right) and the picture's edges; None when none is found."""
    h, w = shape
    t, l, b, r = keep_out
    for _ in range(tries):
        x, y = rng.uniform(size, w - size), rng.uniform(size, h - size)
        if x < l - size or x > r + size or y < t - size or y > b + size:
            return int(x), int(y)
    return None


# --- Segment layouts ---------------------------------------------------------------------
# A seven-segment cell: a top, b top right, c bottom right, d bottom, e bottom left, f top
# left, g middle; x in [0, 1], y in [0, 2].

SEGS = {"a": ((0, 0), (1, 0)), "b": ((1, 0), (1, 1)), "c": ((1, 1), (1, 2)), "d": ((0, 2), (1, 2)),
        "e": ((0, 1), (0, 2)), "f": ((0, 0), (0, 1)), "g": ((0, 1), (1, 1))}
LIT = {"0": "abcdef", "1": "bc", "2": "abdeg", "3": "abcdg", "4": "bcfg", "5": "acdfg", "6": "acdefg", "7": "abc",
       "8": "abcdefg", "9": "abcdfg",
       # Letters nobody reads as a digit.
       "E": "adefg", "H": "bcefg", "P": "abefg", "L": "def", "A": "abcefg"}


def display_cov(chars, h, slant, thick):
    """chars on seven-segment cells `h` px tall, segments `thick` px wide with pointed ends,
    leant `slant` degrees: (the lit segments, all segments)."""
    cw, gap = 0.52 * h, 0.32 * h
    m = int(thick + h * math.tan(math.radians(abs(slant))) + 4)
    W, Hh = int(len(chars) * cw + (len(chars) - 1) * gap + 2 * m), int(h + 2 * m)
    lit, every = np.zeros((Hh, W), np.float32), np.zeros((Hh, W), np.float32)
    sl = math.tan(math.radians(slant))
    g, t2 = thick * 0.28, thick / 2
    for k, ch in enumerate(chars):
        x0 = m + k * (cw + gap)
        for s, ((ax, ay), (bx, by)) in SEGS.items():
            p0, p1 = np.float32([x0 + ax * cw, m + ay * h / 2]), np.float32([x0 + bx * cw, m + by * h / 2])
            u = (p1 - p0) / np.linalg.norm(p1 - p0)
            n = np.float32([-u[1], u[0]])
            pts = [p0 + u * g, p0 + u * (g + t2) + n * t2, p1 - u * (g + t2) + n * t2, p1 - u * g,
                   p1 - u * (g + t2) - n * t2, p0 + u * (g + t2) - n * t2]
            pts = np.float32([(x + (m + h - y) * sl, y) for x, y in pts])
            poly = [np.int32(np.round(pts * 16))]
            cv2.fillPoly(every, poly, 1.0, cv2.LINE_AA, shift=4)
            if s in LIT[ch]:
                cv2.fillPoly(lit, poly, 1.0, cv2.LINE_AA, shift=4)
    return lit, every


# --- seven-segment -----------------------------------------------------------------------

LEDS = {"red": [1.0, 0.16, 0.08], "green": [0.25, 1.0, 0.35], "blue": [0.3, 0.6, 1.0]}
BODIES = {"calculator": ([0.16, 0.16, 0.17], [0.85, 0.83, 0.78], [0.3, 0.32, 0.36]),
          "thermostat": ([0.93, 0.93, 0.91], [0.88, 0.87, 0.84]),
          "microwave": ([0.08, 0.08, 0.09], [0.55, 0.56, 0.58]), "clock": ([0.07, 0.07, 0.08], [0.2, 0.14, 0.1])}


def rounded(mask, t, l, b, r, radius, value=1.0):
    radius = int(max(1, min(radius, (b - t) // 2, (r - l) // 2)))
    cv2.rectangle(mask, (l + radius, t), (r - radius, b), value, -1)
    cv2.rectangle(mask, (l, t + radius), (r, b - radius), value, -1)
    for cx, cy in ((l + radius, t + radius), (r - radius, t + radius), (l + radius, b - radius),
                   (r - radius, b - radius)):
        cv2.circle(mask, (cx, cy), radius, value, -1, cv2.LINE_AA)
    return mask


def buttons(img, area, rows, cols, colour, rng):
    """Blank buttons in a grid over area (top, left, bottom, right), each with its shade."""
    t, l, b, r = area
    bh, bw = (b - t) / rows, (r - l) / cols
    for i in range(rows):
        for j in range(cols):
            m = np.zeros(img.shape[:2], np.float32)
            y0, x0 = int(t + i * bh + bh * 0.14), int(l + j * bw + bw * 0.12)
            y1, x1 = int(t + (i + 1) * bh - bh * 0.14), int(l + (j + 1) * bw - bw * 0.12)
            rounded(m, y0, x0, y1, x1, min(y1 - y0, x1 - x0) * 0.25)
            c = np.float32(colour) * rng.uniform(0.9, 1.1)
            sh = np.roll(np.roll(soft(m, 3), 4, 0), 3, 1)
            img *= (1 - 0.35 * sh)[..., None]
            img[...] = img * (1 - m[..., None]) + c * m[..., None]
            img[y0:y0 + max(2, (y1 - y0) // 8), x0 + 4:x1 - 4] = np.clip(c * 1.25 + 0.05, 0, 1)


def segment_photo(chars, rng, kind):
    """chars on a device's seven-segment display (kind): "lcd", a calculator's or a
    thermostat's grey-green LCD, dark segments casting a faint shadow, the unlit ones
    faintly seen; or "led", a microwave's or an alarm clock's red, green or blue segments
    glowing behind black glass with a lamp's reflection on it. Leant a little one time in
    two; the device photographed on a desk, a cloth or a wall."""
    h = 300
    slant = rng.uniform(5, 12) if rng.random() < 0.5 else 0.0
    thick = h * rng.uniform(0.11, 0.16)
    lit, every = display_cov(chars, h, slant, thick)
    device = pick(rng, ("calculator", "thermostat") if kind == "lcd" else ("microwave", "clock"))
    ph, pw = int(lit.shape[0] + h * rng.uniform(0.25, 0.45)), int(lit.shape[1] + h * rng.uniform(0.3, 0.8))
    body_colour = np.float32(pick(rng, BODIES[device]))
    if device == "calculator":
        bw = int(max(pw * 1.2, h * 2.6))
        bh = int(bw * rng.uniform(1.4, 1.7))
    elif device == "thermostat":
        bw = int(max(pw * 1.5, h * 2.2))
        bh = int(bw * rng.uniform(0.8, 1.05))
    elif device == "microwave":
        bw = int(max(pw * 1.25, h * 2.4))
        bh = int(ph * rng.uniform(3.2, 4.0))
    else:
        bw = int(pw * rng.uniform(1.3, 1.6))
        bh = int(ph * rng.uniform(1.5, 1.9))
    M = 120
    H_, W_ = bh + 2 * M, bw + 2 * M
    img = np.zeros((H_, W_, 3), np.float32)
    body = rounded(np.zeros((H_, W_), np.float32), M, M, M + bh, M + bw, bw * (0.12 if device != "microwave" else 0.03))
    shade = 0.9 + 0.15 * smooth_noise((H_, W_), H_ / 3, rng)
    img[...] = body_colour * shade[..., None]
    wt = M + int(bh * (0.1 if device in ("calculator", "microwave") else (bh - ph) / bh / 2))
    wt = M + int((bh - ph) * 0.5) if device in ("thermostat", "clock") else wt
    wl = M + (bw - pw) // 2
    # The bezel, then the window.
    bez = rounded(np.zeros((H_, W_), np.float32), wt - 14, wl - 14, wt + ph + 14, wl + pw + 14, 20)
    img = img * (1 - bez[..., None]) + np.float32(body_colour * 0.6 + 0.02) * bez[..., None]
    win = np.zeros((H_, W_), np.float32)
    win[wt:wt + ph, wl:wl + pw] = 1.0
    lt, ll = wt + (ph - lit.shape[0]) // 2, wl + (pw - lit.shape[1]) // 2
    L, A = np.zeros((H_, W_), np.float32), np.zeros((H_, W_), np.float32)
    L[lt:lt + lit.shape[0], ll:ll + lit.shape[1]] = lit
    A[lt:lt + lit.shape[0], ll:ll + lit.shape[1]] = every
    if kind == "lcd":
        glass = np.float32(pick(rng, ([0.62, 0.68, 0.55], [0.66, 0.7, 0.62], [0.58, 0.64, 0.58])))
        face = glass * (0.92 + 0.12 * np.linspace(1, 0, H_, dtype=np.float32)[:, None, None])
        face = face * np.ones((H_, W_, 3), np.float32)
        ghost = rng.uniform(0.03, 0.06)  # (at 0.05-0.11 an A's missing segment showed: it read as an 8)
        face *= (1 - ghost * soft(A, 1.0))[..., None]
        shadow = np.roll(np.roll(soft(L, 3), int(h * 0.025), 0), int(h * 0.02), 1)
        face *= (1 - 0.22 * shadow)[..., None]
        ink = np.float32([0.1, 0.12, 0.1]) * rng.uniform(0.8, 1.5)
        face = face * (1 - 0.9 * soft(L, 0.8)[..., None]) + ink * 0.9 * soft(L, 0.8)[..., None]
    else:
        colour = np.float32(LEDS[pick(rng, tuple(LEDS))])
        face = np.float32([0.03, 0.03, 0.035]) * np.ones((H_, W_, 3), np.float32)
        face += colour * rng.uniform(0.008, 0.02) * soft(A, 1.0)[..., None]  # the unlit segments, barely
        core = soft(L, 1.0)
        face += (colour * 0.85 + 0.15) * core[..., None] * rng.uniform(0.85, 1.0)
        face += colour * (0.55 * soft(L, h * 0.05))[..., None]  # the glow
        # A lamp's or a window's reflection on the glass: a soft slanted band.
        band = np.zeros((H_, W_), np.float32)
        a = rng.uniform(-35, 35)
        cx, cy = wl + pw * rng.uniform(0.1, 0.9), wt + ph / 2
        rect = cv2.boxPoints(((cx, cy), (pw * rng.uniform(0.08, 0.25), ph * 3), a))
        cv2.fillPoly(band, [np.int32(rect)], 1.0)
        face += np.float32([1, 1, 1]) * (rng.uniform(0.1, 0.22) * soft(band, h * 0.06))[..., None]
    img = img * (1 - win[..., None]) + face * win[..., None]
    img[wt:wt + 6, wl:wl + pw] *= 0.6  # the window's inner edge in shadow
    below = (wt + ph + int(h * 0.3), M + int(bw * 0.1), M + bh - int(bh * 0.06), M + bw - int(bw * 0.1))
    key = np.float32(pick(rng, ([0.22, 0.22, 0.24], [0.9, 0.9, 0.88], [0.45, 0.46, 0.5], [0.7, 0.3, 0.2])))
    if device == "calculator" and below[2] - below[0] > h:
        buttons(img, below, 5, 4, key, rng)
    elif device == "microwave" and below[2] - below[0] > h:
        buttons(img, below, int((below[2] - below[0]) // (h * 0.6)), 3, key * 0.5 + body_colour * 0.5, rng)
    elif device == "thermostat":
        for dx in (-1, 1):
            m = np.zeros((H_, W_), np.float32)
            cv2.circle(m, (M + bw // 2 + dx * int(bw * 0.18), M + bh - int((M + bh - wt - ph) * 0.45)),
                       int(h * 0.12), 1.0, -1, cv2.LINE_AA)
            img = img * (1 - 0.15 * soft(m, 3)[..., None])
    img = np.clip(img * body[..., None], 0, 1)
    drop = np.roll(np.roll(soft(body, 20), 25, 0), 18, 1)
    mask = np.maximum(body, drop * 0.45)
    target = (lt, ll, lt + lit.shape[0], ll + lit.shape[1])
    where = plain_wall(pick(rng, ([0.85, 0.83, 0.78], [0.7, 0.74, 0.78], [0.9, 0.88, 0.84])), rng) \
        if device == "thermostat" else ground(pick(rng, ("desk", "cloth")), rng)
    return photographed(with_mask(img, mask), where, target, rng, TILT, 18, digit_height(rng), SPIN)


# --- whiteboard --------------------------------------------------------------------------

MARKER_INKS = {"black": [0.07, 0.07, 0.09], "blue": [0.08, 0.18, 0.62], "red": [0.78, 0.1, 0.12],
               "green": [0.04, 0.45, 0.2]}

# Capital letters nobody reads as a digit, as strokes (x in [0, 0.6], y in [0, 1]).
LETTER_STROKES = {
    "A": [[(0, 1), (0.3, 0), (0.6, 1)], [(0.12, 0.62), (0.48, 0.62)]],
    "E": [[(0.55, 0), (0, 0), (0, 1), (0.55, 1)], [(0, 0.5), (0.45, 0.5)]],
    "F": [[(0.55, 0), (0, 0), (0, 1)], [(0, 0.5), (0.42, 0.5)]],
    "H": [[(0, 0), (0, 1)], [(0.6, 0), (0.6, 1)], [(0, 0.5), (0.6, 0.5)]],
    "K": [[(0, 0), (0, 1)], [(0.55, 0), (0, 0.6)], [(0.2, 0.42), (0.6, 1)]],
    "L": [[(0, 0), (0, 1), (0.5, 1)]],
    "M": [[(0, 1), (0.05, 0), (0.35, 0.62), (0.65, 0), (0.7, 1)]],
    "N": [[(0, 1), (0, 0), (0.6, 1), (0.6, 0)]],
    "P": [[(0, 1), (0, 0), (0.4, 0), (0.56, 0.1), (0.56, 0.38), (0.4, 0.5), (0, 0.5)]],
    "R": [[(0, 1), (0, 0), (0.4, 0), (0.56, 0.1), (0.56, 0.38), (0.4, 0.5), (0, 0.5)], [(0.25, 0.5), (0.6, 1)]],
    "T": [[(0, 0), (0.64, 0)], [(0.32, 0), (0.32, 1)]],
    "U": [[(0, 0), (0, 0.75), (0.1, 0.94), (0.3, 1), (0.5, 0.94), (0.6, 0.75), (0.6, 0)]],
    "V": [[(0, 0), (0.3, 1), (0.6, 0)]],
    "W": [[(0, 0), (0.2, 1), (0.4, 0.35), (0.6, 1), (0.8, 0)]],
    "X": [[(0, 0), (0.6, 1)], [(0.6, 0), (0, 1)]],
    "Y": [[(0, 0), (0.3, 0.5), (0.6, 0)], [(0.3, 0.5), (0.3, 1)]],
}
assert set(LETTER_STROKES) <= set(H.NOT_DIGIT_LIKE_LETTERS)


def word_paths(word, rng):
    """A word in capitals as a hand writes them: polylines in units of the letters' height."""
    paths, x = [], 0.0
    for ch in word:
        if ch == " ":
            x += 0.5
            continue
        strokes = LETTER_STROKES[ch]
        dy = rng.uniform(-0.05, 0.05)
        paths += [[(x + px, py + dy) for px, py in s] for s in strokes]
        x += max(px for s in strokes for px, _ in s) + rng.uniform(0.22, 0.32)
    return paths


def strokes_cov(paths, height, width):
    """Polylines in units of `height` px drawn `width` px wide, cropped to the ink."""
    pts = [np.float32(p) * height for p in paths]
    allp = np.concatenate(pts)
    m = int(width) + 4
    lo = allp.min(axis=0)
    size = allp.max(axis=0) - lo
    canvas = np.zeros((int(size[1]) + 2 * m, int(size[0]) + 2 * m), np.uint8)
    for p in pts:
        cv2.polylines(canvas, [np.int32(np.round((p - lo + m) * 16))], False, 255, max(1, int(round(width))),
                      cv2.LINE_AA, shift=4)
    return H.crop_to_ink(canvas.astype(np.float32) / 255.0)


def word_cov(word, rng, width=0.1, height=200):
    return strokes_cov(shaky(word_paths(word, rng), rng, 0.01), height, height * width)


def whiteboard_photo(cov, rng, ink, ghost_words):
    """cov in dry-erase marker (ink) on a glossy whiteboard in its aluminium frame: the
    marker a little uneven, ghosts of erased writing (ghost_words' coverages, and
    scribbles) and smudges, a window's glare band across it, a magnet or two; on a wall."""
    bh, bw = 1500, 2100
    F = int(bh * rng.uniform(0.025, 0.04))
    Hh, Ww = bh + 2 * F + 160, bw + 2 * F + 160
    img = np.zeros((Hh, Ww, 3), np.float32)
    t0, l0 = 80 + F, 80 + F
    board = np.float32([0.86, 0.87, 0.89]) * (0.96 + 0.06 * fbm((bh, bw), bh / 3, rng))[..., None] * \
        np.ones((bh, bw, 3), np.float32)
    # Ghosts of erased writing and smudges, faint.
    for g in ghost_words:
        c = fit(g, bh * rng.uniform(0.06, 0.12), bw * 0.5)
        y, x = int(rng.uniform(0, bh - c.shape[0])), int(rng.uniform(0, bw - c.shape[1]))
        laid(board, soft(c, 2.0) * rng.uniform(0.05, 0.1), [0.45, 0.5, 0.6], y, x)
    for _ in range(int(rng.integers(2, 6))):
        sm = np.zeros((bh, bw), np.float32)
        cv2.ellipse(sm, (int(rng.uniform(0, bw)), int(rng.uniform(0, bh))),
                    (int(bw * rng.uniform(0.04, 0.15)), int(bh * rng.uniform(0.02, 0.06))), rng.uniform(0, 180), 0,
                    360, 1.0, -1)
        board *= (1 - rng.uniform(0.03, 0.08) * soft(sm, bh / 40))[..., None]
    c = fit(cov, bh * rng.uniform(0.3, 0.5), bw * 0.62)
    top = int((bh - c.shape[0]) * rng.uniform(0.3, 0.7))
    left = int((bw - c.shape[1]) * rng.uniform(0.25, 0.75))
    alpha = np.clip(soft(c, 1.0) * (0.9 + 0.1 * smooth_noise(c.shape, max(3.0, c.shape[0] / 6), rng)), 0, 1)
    laid(board, alpha, MARKER_INKS[ink], top, left)
    inked = np.zeros((bh, bw), np.float32)
    inked[top:top + c.shape[0], left:left + c.shape[1]] = alpha
    keep = (top, left, top + c.shape[0], left + c.shape[1])
    for _ in range(int(rng.integers(0, 3))):  # magnets
        r = int(c.shape[0] * rng.uniform(0.07, 0.1))
        spot = free_spot(rng, (bh, bw), keep, r + c.shape[0] * 0.4)  # not a dot beside the digits
        if spot is None:
            continue
        m = np.zeros((bh, bw), np.float32)
        cv2.circle(m, spot, r, 1.0, -1, cv2.LINE_AA)
        board *= (1 - 0.35 * np.roll(np.roll(soft(m, r * 0.4), r // 3, 0), r // 4, 1))[..., None]
        colour = np.float32(pick(rng, ([0.85, 0.15, 0.15], [0.15, 0.35, 0.85], [0.95, 0.8, 0.1], [0.15, 0.6, 0.3])))
        hl = np.zeros((bh, bw), np.float32)
        cv2.circle(hl, (spot[0] - r // 3, spot[1] - r // 3), max(2, r // 3), 1.0, -1, cv2.LINE_AA)
        board = board * (1 - m[..., None]) + colour * m[..., None]
        board += (0.35 * soft(hl, r * 0.2) * m)[..., None]
    # A window's glare: a soft band across the board, one time in five two bands.
    glare = np.zeros((bh, bw), np.float32)
    for _ in range(1 if rng.random() < 0.8 else 2):
        rect = cv2.boxPoints(((bw * rng.uniform(0.1, 0.9), bh / 2), (bw * rng.uniform(0.08, 0.2), bh * 2.5),
                              rng.uniform(-30, 30)))
        cv2.fillPoly(glare, [np.int32(rect)], 1.0)
    glare = soft(glare, bw * 0.012) * rng.uniform(0.45, 0.7)
    # Blown out where it is brightest; the ink, glossy too, washed a little less.
    board = board + (1.1 - board) * (glare * (1 - 0.5 * inked))[..., None]
    img[t0:t0 + bh, l0:l0 + bw] = board
    # The aluminium frame: a bright face, darker lips.
    frame = np.zeros((Hh, Ww), np.float32)
    cv2.rectangle(frame, (80, 80), (Ww - 80, Hh - 80), 1.0, -1)
    frame[t0:t0 + bh, l0:l0 + bw] = 0
    grad = (0.68 + 0.2 * smooth_noise((Hh, Ww), 40, rng, Ww / 2))
    metal = np.float32([0.78, 0.79, 0.8]) * grad[..., None]
    img = img * (1 - frame[..., None]) + metal * frame[..., None]
    cv2.rectangle(img, (l0 - 2, t0 - 2), (l0 + bw + 2, t0 + bh + 2), (0.5, 0.5, 0.52), 3)
    cv2.rectangle(img, (80, 80), (Ww - 80, Hh - 80), (0.45, 0.45, 0.47), 3)
    mask = np.zeros((Hh, Ww), np.float32)
    mask[80:Hh - 80, 80:Ww - 80] = 1.0
    mask = np.maximum(mask, np.roll(soft(mask, 15), 12, 0) * 0.4)
    img *= np.float32(mask >= 0.99)[..., None]  # past the board, black: its shadow
    target = (t0 + top, l0 + left, t0 + top + c.shape[0], l0 + left + c.shape[1])
    wall = pick(rng, ([0.88, 0.86, 0.8], [0.75, 0.78, 0.8], [0.85, 0.8, 0.7], [0.6, 0.65, 0.6]))
    return photographed(with_mask(np.clip(img, 0, 1), mask), plain_wall(wall, rng), target, rng, TILT, 25,
                        digit_height(rng), SPIN)


# --- tape-digit --------------------------------------------------------------------------

W7 = 0.55
_A, _B, _C, _D = ((0, 0), (W7, 0)), ((W7, 0), (W7, 0.5)), ((W7, 0.5), (W7, 1)), ((0, 1), (W7, 1))
_E, _F, _G = ((0, 0.5), (0, 1)), ((0, 0), (0, 0.5)), ((0, 0.5), (W7, 0.5))
_LEFT, _RIGHT = ((0, 0), (0, 1)), ((W7, 0), (W7, 1))
TAPE_DIGITS = {
    "0": [[_A, _D, _LEFT, _RIGHT]],
    "1": [[((0.3, 0), (0.3, 1)), ((0.3, 0.02), (0.08, 0.22))],
          [((0.3, 0), (0.3, 1)), ((0.3, 0.02), (0.08, 0.22)), ((0.05, 1), (0.55, 1))]],
    "2": [[_A, _B, _G, _E, _D]],  # (a slanted stroke from the right to the foot reads as a Z)
    "3": [[_A, _RIGHT, ((0.12, 0.5), (W7, 0.5)), _D]],
    "4": [[_F, _G, _RIGHT], [((0.42, 0), (0, 0.66)), ((0, 0.66), (0.58, 0.66)), ((0.42, 0), (0.42, 1))]],
    "5": [[_A, _F, _G, _C, _D]],
    "6": [[_A, _LEFT, _D, _C, _G]],
    "7": [[_A, _RIGHT], [_A, ((W7, 0), (0.15, 1))]],
    "8": [[_LEFT, _RIGHT, _A, _G, _D]],
    "9": [[_A, _F, _G, _RIGHT, _D]],
}
TAPE_MARKS = {
    "cross": [[((0, 0), (0.8, 0.8)), ((0.8, 0), (0, 0.8))], [((0.4, 0), (0.4, 0.8)), ((0, 0.4), (0.8, 0.4))]],
    "square": [[((0, 0), (0.8, 0)), ((0.8, 0), (0.8, 0.8)), ((0.8, 0.8), (0, 0.8)), ((0, 0.8), (0, 0))]],
    "H": [[_LEFT, _RIGHT, _G]], "E": [[_LEFT, _A, _G, _D]],
    "A": [[((0, 1), (0.33, 0)), ((0.33, 0), (0.66, 1)), ((0.14, 0.6), (0.52, 0.6))]],
    "K": [[_LEFT, ((0.55, 0), (0, 0.58)), ((0.2, 0.4), (0.6, 1))]],
}
SEVEN_STICKS = {d: [SEGS[s] for s in LIT[d]] for d in "0123456789"}


def laid_out(chars, rng, table, gap=0.3):
    """Segments (pairs of points, in units of the height) of chars side by side, each a
    layout of table[ch] (a list of variants)."""
    out, x = [], 0.0
    for ch in chars:
        layout = pick(rng, table[ch])
        out += [((p0[0] + x, p0[1]), (p1[0] + x, p1[1])) for p0, p1 in layout]
        x += max(max(p0[0], p1[0]) for p0, p1 in layout) + gap
    return out


def seven_sticks(chars):
    """Seven-segment cells as segments in units of the height (half a height a segment)."""
    out = []
    for k, ch in enumerate(chars):
        x0 = k * 0.85
        out += [((x0 + a[0] * 0.5, a[1] * 0.5), (x0 + b[0] * 0.5, b[1] * 0.5)) for a, b in SEVEN_STICKS[ch]]
    return out


TAPES = {"masking": ([0.88, 0.8, 0.6], [0.85, 0.76, 0.55]),
         "electrical": ([0.06, 0.06, 0.07], [0.8, 0.1, 0.1], [0.95, 0.8, 0.1], [0.15, 0.3, 0.75], [0.93, 0.93, 0.9]),
         "duct": ([0.7, 0.72, 0.74], [0.62, 0.64, 0.66], [0.1, 0.1, 0.11])}


SURFACES = {"cardboard": ([0.66, 0.5, 0.33], [0.72, 0.57, 0.4], [0.6, 0.45, 0.3]),
            "wall": ([0.93, 0.92, 0.88], [0.55, 0.65, 0.75], [0.32, 0.42, 0.38], [0.8, 0.55, 0.45],
                     [0.4, 0.42, 0.48]),
            "floor": ([0.55, 0.55, 0.53], [0.45, 0.3, 0.18], [0.7, 0.56, 0.4])}


def tape_surface(work, kind, colour, rng):
    """A cardboard box's side (kraft, its corrugation faint), a painted wall or a floor
    (grey concrete, or wooden boards) of that colour."""
    h, w = work
    if kind == "cardboard":
        img = textured(work, colour, h / 5, rng, 0.08)
        img *= (0.97 + 0.03 * np.sin(np.arange(w, dtype=np.float32) * 2 * math.pi / max(4, h / 90)))[None, :, None]
        return np.clip(img, 0, 1)
    if kind == "wall":
        return np.clip(textured(work, colour, h / 3, rng, 0.05), 0, 1)
    if colour[0] - colour[2] > 0.1:  # wooden boards
        return wood(work, colour, rng)
    return np.clip(textured(work, colour, h / 6, rng, 0.12) * (0.92 + 0.16 * rng.random(work, np.float32))[
        ..., None], 0, 1)


def wood(work, colour, rng):
    """Boards of wood of a colour, the grain long, their seams dark."""
    h, w = work
    grain = smooth_noise(work, max(2.0, h / 120), rng, max(8.0, w / 2))
    img = np.float32(colour) * (0.82 + 0.3 * grain)[..., None] * np.ones(work + (3,), np.float32)
    for y in range(int(rng.uniform(0, h / 3)), h, max(8, int(h * rng.uniform(0.3, 0.45)))):
        img[y:y + max(2, h // 300)] *= 0.55
    return np.clip(img, 0, 1)


def torn_strip(p0, p1, width, rng):
    """A strip's outline from p0 to p1 (px), `width` wide, overlapping a little past both
    ends, its ends torn in a zigzag."""
    p0, p1 = np.float32(p0), np.float32(p1)
    u = (p1 - p0) / max(1e-3, np.linalg.norm(p1 - p0))
    n = np.float32([-u[1], u[0]])
    p0, p1 = p0 - u * width * rng.uniform(0.35, 0.6), p1 + u * width * rng.uniform(0.35, 0.6)
    pts = []
    for end, sign in ((p1, 1), (p0, -1)):
        k = int(rng.integers(4, 8))
        for i in range(k + 1):
            s = (i / k - 0.5) * sign
            pts.append(end + n * s * width + u * rng.uniform(-0.14, 0.14) * width)
    return np.float32(pts)


def tape_photo(segments, rng, kind, surface):
    """Strips of tape (kind: masking, electrical or duct) along segments (in units of the
    digits' height) stuck on a surface: torn ends, overlapping where they meet, a slight
    shine along each, a thin shadow at their edges."""
    sh, sw = 1500, 2000
    work = (sh, sw)
    colour = np.float32(pick(rng, TAPES[kind]))
    looks = [c for c in SURFACES[surface] if abs(lum(c) - lum(colour)) > 0.25] or \
        [max(SURFACES[surface], key=lambda c: abs(lum(c) - lum(colour)))]
    look = np.float32(pick(rng, looks))  # a surface the tape shows on
    img = tape_surface(work, surface, look, rng)
    th, part = filling(rng)
    pts = np.float32([p for s in segments for p in s])
    span = pts.max(axis=0) - pts.min(axis=0)
    dh = min(sh * part, sw * 0.75 / max(0.3, span[0]))
    width = dh * rng.uniform(0.09, 0.13)
    ox, oy = (sw - span[0] * dh) / 2 - pts[:, 0].min() * dh, (sh - dh) / 2
    covered = np.zeros(work, np.float32)
    for p0, p1 in segments:
        j = lambda p: (p[0] * dh + ox + rng.normal(0, dh * 0.012), p[1] * dh + oy + rng.normal(0, dh * 0.012))
        poly = torn_strip(j(p0), j(p1), width, rng)
        m = np.zeros(work, np.float32)
        cv2.fillPoly(m, [np.int32(np.round(poly * 16))], 1.0, cv2.LINE_AA, shift=4)
        x0, y0 = np.maximum(0, poly.min(axis=0).astype(int) - 20)
        x1, y1 = poly.max(axis=0).astype(int) + 20
        sl = (slice(y0, y1), slice(x0, x1))
        ms = m[sl]
        img[sl] *= (1 - 0.3 * np.roll(np.roll(soft(ms, 2.5), 3, 0), 2, 1))[..., None]  # its edge's shadow
        yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        a, b = np.float32(j(p0)), np.float32(j(p1))
        d = b - a
        nrm = np.float32([-d[1], d[0]]) / max(1e-3, float(np.linalg.norm(d)))
        across = ((xx - a[0]) * nrm[0] + (yy - a[1]) * nrm[1]) / width  # -0.5 .. 0.5
        along = ((xx - a[0]) * d[0] + (yy - a[1]) * d[1]) / max(1.0, float(np.dot(d, d))) * np.linalg.norm(d)
        tone = np.ones_like(across)
        if kind == "masking":  # crepe paper: fine creases across the strip
            tone = 0.94 + 0.06 * np.sin(along * 2 * math.pi / max(2.0, width * 0.07) + rng.uniform(0, 6))
            alpha = 0.9
        elif kind == "duct":  # a woven mesh under the film
            tone = 0.93 + 0.035 * (np.sin(along * 2 * math.pi / max(2.0, width * 0.09))
                                   + np.sin(across * width * 2 * math.pi / max(2.0, width * 0.09)))
            alpha = 1.0
        else:
            alpha = 1.0
        shine = np.exp(-((across - rng.uniform(-0.25, 0.25)) / 0.16) ** 2) * rng.uniform(0.08, 0.2)
        shine *= 0.7 + 0.3 * np.cos(along / max(1.0, width * 3))
        c = colour * tone[..., None] + (1 - colour) * shine[..., None] * (0.5 if kind == "masking" else 1.0)
        c *= (1 - 0.1 * np.clip(covered[sl], 0, 1))[..., None]  # a strip over a strip: a touch darker
        img[sl] = img[sl] * (1 - alpha * ms[..., None]) + c * alpha * ms[..., None]
        covered[sl] += ms
    box = np.int32([oy, pts[:, 0].min() * dh + ox, oy + dh, pts[:, 0].max() * dh + ox])
    target = (int(box[0]), int(box[1]), int(box[2]), int(box[3]))
    return photographed(feathered(np.clip(img, 0, 1), 0.1), lambda w: tape_surface(w, surface, look, rng), target,
                        rng, TILT, 18, (th, th), SPIN)


# --- matchstick --------------------------------------------------------------------------

TABLES = {True: ([0.78, 0.66, 0.5], [0.85, 0.75, 0.58]), False: ([0.3, 0.18, 0.1], [0.22, 0.14, 0.09],
                                                                 [0.38, 0.25, 0.15])}
CLOTHS = {True: ([0.88, 0.85, 0.78], [0.85, 0.87, 0.9], [0.92, 0.9, 0.86]),
          False: ([0.14, 0.2, 0.35], [0.1, 0.3, 0.18], [0.35, 0.1, 0.12], [0.15, 0.15, 0.16])}


def table_look(light, rng):
    """A wooden table's or a plain cloth's colour, pale where `light`: (kind, colour)."""
    kind = pick(rng, ("wood", "cloth"))
    return kind, pick(rng, (TABLES if kind == "wood" else CLOTHS)[light])


def table_top(work, look, rng):
    """A wooden table (long grain) or a plain woven cloth, soft folds: look = (kind, colour)."""
    h, w = work
    kind, base = look
    if kind == "wood":
        return wood(work, base, rng)
    weave = 0.96 + 0.04 * rng.random(work, np.float32)
    folds = 0.9 + 0.14 * fbm(work, h / 3, rng)
    return np.clip(np.float32(base) * (weave * folds)[..., None] * np.ones(work + (3,), np.float32), 0, 1)


def stick(img, cover, p0, p1, length_px, rng, kind, thick):
    """One matchstick, toothpick or twig from about p0 to p1 (px) drawn on img, its
    coverage added to cover."""
    p0, p1 = np.float32(p0), np.float32(p1)
    mid, d = (p0 + p1) / 2, p1 - p0
    a = math.atan2(d[1], d[0]) + rng.normal(0, 0.035)
    L = length_px * rng.uniform(0.84, 0.95)
    u = np.float32([math.cos(a), math.sin(a)])
    mid = mid + rng.normal(0, length_px * 0.02, 2).astype(np.float32)
    a_, b_ = mid - u * L / 2, mid + u * L / 2
    m = np.zeros(img.shape[:2], np.float32)
    if kind == "twig":
        k = 5
        pts = [a_ + (b_ - a_) * i / (k - 1) + np.float32([-u[1], u[0]]) * rng.normal(0, thick * 0.35) for i in range(k)]
        for i in range(k - 1):
            w = max(2, int(thick * rng.uniform(0.75, 1.15) * (1.1 - 0.25 * i / k)))
            cv2.line(m, tuple(np.int32(pts[i])), tuple(np.int32(pts[i + 1])), 1.0, w, cv2.LINE_AA)
        if rng.random() < 0.5:  # a short side shoot
            s = pts[int(rng.integers(1, k - 1))]
            e = s + (u * 0.5 + np.float32([-u[1], u[0]]) * rng.choice([-1, 1])) * thick * rng.uniform(1.5, 2.5)
            cv2.line(m, tuple(np.int32(s)), tuple(np.int32(e)), 1.0, max(2, int(thick * 0.5)), cv2.LINE_AA)
        colour = np.float32(pick(rng, ([0.38, 0.26, 0.16], [0.3, 0.22, 0.15], [0.45, 0.33, 0.22])))
        tone = 0.75 + 0.5 * rng.random(img.shape[:2], np.float32) * 0.5
    elif kind == "toothpick":
        n = np.float32([-u[1], u[0]]) * thick / 2
        tip = u * thick * 2.5
        poly = np.float32([a_, a_ + tip + n, b_ - tip + n, b_, b_ - tip - n, a_ + tip - n])
        cv2.fillPoly(m, [np.int32(np.round(poly * 16))], 1.0, cv2.LINE_AA, shift=4)
        colour, tone = np.float32([0.93, 0.84, 0.64]), 1.0
    else:
        cv2.line(m, tuple(np.int32(a_)), tuple(np.int32(b_)), 1.0, max(2, int(thick)), cv2.LINE_AA)
        colour, tone = np.float32(pick(rng, ([0.92, 0.8, 0.58], [0.88, 0.74, 0.5]))), 1.0
    cover += m
    img[...] = img * (1 - m[..., None]) + np.clip(colour * (tone if np.isscalar(tone) else tone[..., None]), 0, 1) * \
        m[..., None]
    if kind == "match":  # the head at one end
        end = a_ if rng.random() < 0.5 else b_
        hm = np.zeros(img.shape[:2], np.float32)
        cv2.ellipse(hm, tuple(np.int32(end - u * thick * (0.3 if end is b_ else -0.3))),
                    (int(thick * 1.3), int(thick * 0.75)), math.degrees(a), 0, 360, 1.0, -1, cv2.LINE_AA)
        head = np.float32(pick(rng, ([0.7, 0.1, 0.08], [0.35, 0.15, 0.08], [0.15, 0.25, 0.55], [0.1, 0.1, 0.1])))
        img[...] = img * (1 - hm[..., None]) + head * hm[..., None]
        cover += hm


def stick_photo(segments, rng, kind, stick_len=0.5):
    """Matchsticks, toothpicks or twigs (kind) laid along segments (in units of the digits'
    height, each `stick_len` long) on a wooden table or a cloth, casting shadows; pale
    sticks on dark ground, twigs on pale."""
    sh, sw = 1400, 1900
    work = (sh, sw)
    look = table_look(kind == "twig", rng)
    img = table_top(work, look, rng)
    th, part = filling(rng)
    pts = np.float32([p for s in segments for p in s])
    span = pts.max(axis=0) - pts.min(axis=0)
    dh = min(sh * part, sw * 0.78 / max(0.3, span[0]))
    ox, oy = (sw - span[0] * dh) / 2 - pts[:, 0].min() * dh, (sh - dh) / 2
    thick = dh * (0.05 if kind == "match" else 0.032 if kind == "toothpick" else 0.055) * rng.uniform(0.9, 1.15)
    cover = np.zeros(work, np.float32)
    sticks = img.copy()
    for p0, p1 in segments:
        q0, q1 = (p0[0] * dh + ox, p0[1] * dh + oy), (p1[0] * dh + ox, p1[1] * dh + oy)
        L = math.hypot(q1[0] - q0[0], q1[1] - q0[1])
        stick(sticks, cover, q0, q1, L, rng, kind, thick)
    cover = np.clip(cover, 0, 1)
    a = rng.uniform(0, 2 * math.pi)
    off = thick * rng.uniform(0.5, 1.2)
    shadow = np.roll(np.roll(soft(cover, thick * 0.5), int(off * math.sin(a)), 0), int(off * math.cos(a)), 1)
    img *= (1 - rng.uniform(0.35, 0.55) * shadow)[..., None]
    img = img * (1 - cover[..., None]) + sticks * cover[..., None]
    target = (int(oy + pts[:, 1].min() * dh), int(pts[:, 0].min() * dh + ox), int(oy + pts[:, 1].max() * dh),
              int(pts[:, 0].max() * dh + ox))
    return photographed(feathered(np.clip(img, 0, 1), 0.1), lambda w: table_top(w, look, rng), target, rng, TILT, 18,
                        (th, th), SPIN)


# --- chalk-sidewalk ------------------------------------------------------------------------

# Sidewalk chalks that show on the paving (no orange: faint on both; no pink or violet on red).
SIDEWALK_CHALKS = {"grey": ([0.97, 0.97, 0.94], [0.98, 0.62, 0.78], [0.98, 0.93, 0.45], [0.55, 0.8, 0.98],
                            [0.62, 0.95, 0.62], [0.8, 0.65, 0.95]),
                   "red": ([0.97, 0.97, 0.94], [0.98, 0.93, 0.45], [0.55, 0.8, 0.98], [0.62, 0.95, 0.62])}
LEAVES = ([0.75, 0.45, 0.1], [0.6, 0.25, 0.08], [0.85, 0.65, 0.15], [0.35, 0.45, 0.15], [0.5, 0.2, 0.1])


def paving(work, kind, rng, unit):
    """Grey concrete slabs or red brick pavers (kind), their joints, rough, their sizes of
    `unit` px (the digit's height): (picture, the surface's relief, in which chalk skips
    the hollows)."""
    h, w = work
    rough = rng.random(work, np.float32)
    rough = cv2.GaussianBlur(rough, (0, 0), max(0.8, h / 900))
    rough = (rough - rough.mean()) / (rough.std() + 1e-6)
    relief = 0.5 + 0.12 * rough + 0.1 * (fbm(work, max(4.0, h / 12), rng) - 0.5)
    joints = np.zeros(work, np.float32)
    jw = max(1, int(unit * 0.018))
    if kind == "grey":
        img = np.float32(pick(rng, ([0.5, 0.5, 0.49], [0.44, 0.44, 0.43], [0.55, 0.54, 0.51])))
        img = img * np.ones(work + (3,), np.float32)
        step = max(8, int(unit * rng.uniform(1.5, 2.4)))
        x0, y0 = int(rng.uniform(0, step)), int(rng.uniform(0, step))
        for y in range(y0 - step, h, step):
            for x in range(x0 - step, w, step):
                img[max(0, y):y + step, max(0, x):x + step] *= rng.uniform(0.92, 1.06)
            cv2.line(joints, (0, y), (w, y), 1.0, jw)
        for x in range(x0 - step, w, step):
            cv2.line(joints, (x, 0), (x, h), 1.0, jw)
    else:
        img = np.zeros(work + (3,), np.float32)
        bh_ = max(4, int(unit * rng.uniform(0.25, 0.35)))
        bw_ = bh_ * 2
        for r, y in enumerate(range(-int(rng.uniform(0, bh_)), h, bh_)):
            for x in range(-(bw_ // 2) * (r % 2) - int(rng.uniform(0, 4)), w, bw_):
                c = np.float32([0.6, 0.25, 0.18]) * rng.uniform(0.8, 1.12) + rng.uniform(-0.03, 0.03)
                img[max(0, y):y + bh_, max(0, x):x + bw_] = c
                cv2.line(joints, (max(0, x), y), (max(0, x), y + bh_), 1.0, jw)
            cv2.line(joints, (0, y), (w, y), 1.0, jw)
    img *= (0.85 + 0.3 * relief)[..., None] * (0.9 + 0.2 * fbm(work, h / 4, rng))[..., None]
    joints = soft(joints, 1.0)
    img = img * (1 - 0.55 * joints[..., None]) + np.float32([0.25, 0.24, 0.22]) * 0.55 * joints[..., None] * 0.5
    relief = relief - 0.5 * joints
    return np.clip(img, 0, 1), relief


def leaf(img, rng, at, size):
    """A fallen leaf: a pointed oval, its midrib, its stalk."""
    x, y = at
    a = rng.uniform(0, 2 * math.pi)
    u, n = np.float32([math.cos(a), math.sin(a)]), np.float32([-math.sin(a), math.cos(a)])
    c = np.float32([x, y])
    pts = [c + u * size * (t - 0.5) + n * size * 0.28 * math.sin(math.pi * t) * s
           for s in (1, -1) for t in (np.linspace(0, 1, 12) if s == 1 else np.linspace(1, 0, 12))]
    m = np.zeros(img.shape[:2], np.float32)
    cv2.fillPoly(m, [np.int32(np.round(np.float32(pts) * 16))], 1.0, cv2.LINE_AA, shift=4)
    colour = np.float32(pick(rng, LEAVES)) * rng.uniform(0.8, 1.1)
    img *= (1 - 0.3 * np.roll(np.roll(soft(m, size * 0.05), int(size * 0.05), 0), int(size * 0.04), 1))[..., None]
    img[...] = img * (1 - m[..., None]) + colour * m[..., None]
    e = c + u * size * 0.5
    cv2.line(img, tuple(np.int32(c - u * size * 0.45)), tuple(np.int32(e + u * size * 0.15)),
             np.clip(colour * 0.7, 0, 1).tolist(), max(1, int(size * 0.025)), cv2.LINE_AA)


def shoe_tip(img, rng):
    """The toe of a shoe at the photo's bottom edge (uint8 in, uint8 out)."""
    h, w = img.shape[:2]
    out = img.astype(np.float32) / 255
    m = np.zeros((h, w), np.float32)
    cx = int(w * pick(rng, (rng.uniform(0.05, 0.2), rng.uniform(0.8, 0.95))))
    ax, ay = int(w * rng.uniform(0.1, 0.16)), int(h * rng.uniform(0.08, 0.14))
    cv2.ellipse(m, (cx, h + ay // 3), (ax, ay), rng.uniform(-20, 20), 0, 360, 1.0, -1, cv2.LINE_AA)
    m = soft(m, max(1.0, h / 400))
    colour = np.float32(pick(rng, ([0.1, 0.1, 0.12], [0.9, 0.9, 0.9], [0.15, 0.2, 0.4], [0.45, 0.3, 0.2])))
    sole = np.zeros((h, w), np.float32)
    cv2.ellipse(sole, (cx, h + ay // 3), (ax, ay), 0, 0, 360, 1.0, max(2, h // 80), cv2.LINE_AA)
    out *= (1 - 0.35 * np.roll(soft(m, h / 60), -int(h / 80), 0))[..., None]
    out = out * (1 - m[..., None]) + colour * (0.85 + 0.2 * smooth_noise((h, w), h / 20, rng))[..., None] * m[..., None]
    out = out * (1 - (sole * m)[..., None]) + np.float32([0.85, 0.84, 0.8]) * (sole * m)[..., None]
    return np.uint8(np.clip(out, 0, 1) * 255 + 0.5)


def chalk_photo(cov, rng, kind):
    """cov chalked big on grey or red paving (kind), grainy and broken on the stones'
    texture and in the joints, fallen leaves about, now and then a shoe's toe at the
    photo's bottom edge; seen from standing height."""
    sh, sw = 1500, 1900
    th, part = filling(rng, 0.12)  # a big digit on the ground, seen standing over it
    c = fit(cov, sh * part, sw * 0.8)
    img, relief = paving((sh, sw), kind, rng, c.shape[0])
    chalks = SIDEWALK_CHALKS[kind]
    top, left = (sh - c.shape[0]) // 2 + int(sh * rng.uniform(-0.05, 0.05)), (sw - c.shape[1]) // 2
    colour = np.float32(pick(rng, chalks))
    for _ in range(2):  # pressed hard: two passes of the chalk
        chalk_on(img, relief, c, colour, top, left, rng)
    keep = (top, left, top + c.shape[0], left + c.shape[1])
    for _ in range(int(rng.integers(1, 6))):
        size = c.shape[0] * rng.uniform(0.35, 0.6)  # a leaf, not a dot beside the digit
        spot = free_spot(rng, (sh, sw), keep, size * 0.6 + c.shape[0] * 0.3)
        if spot is not None:
            leaf(img, rng, spot, size)
    unit = c.shape[0] / sh
    out = photographed(feathered(np.clip(img, 0, 1), 0.1), lambda w: paving(w, kind, rng, unit * w[0])[0], keep, rng,
                       (8, 30), 15, (th, th), SPIN)
    return shoe_tip(out, rng) if rng.random() < 0.25 else out
