"""Painting the scenes of scripts/make-heldout-set3.py's families: a mark (a coverage
map, 1 = ink) shown on a phone's or monitor's screen and photographed, spray-painted
through a stencil or freehand, lit on an LED matrix, laid out in beads, buttons or
pebbles or cross-stitched, or written in a printed form's boxes. Every function draws
from the numpy Generator it is given, so a scene depends only on that generator's
seed. Light, perspective and the camera come from heldout_render.py.
"""

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from heldout_render import (H, blend, camera, drop_shadow, fbm, frame_size, light_up, perspective,
                            shaded_disc, smooth_noise, surface, to_height, PHONE_SIZES)

# A 5x7 LED matrix's digits, one row a string.
MATRIX_5X7 = {
    "0": ("01110", "10001", "10001", "10001", "10001", "10001", "01110"),
    "1": ("00100", "01100", "00100", "00100", "00100", "00100", "01110"),
    "2": ("01110", "10001", "00001", "00010", "00100", "01000", "11111"),
    "3": ("11111", "00010", "00100", "00010", "00001", "10001", "01110"),
    "4": ("00010", "00110", "01010", "10010", "11111", "00010", "00010"),
    "5": ("11111", "10000", "11110", "00001", "00001", "10001", "01110"),
    "6": ("00110", "01000", "10000", "11110", "10001", "10001", "01110"),
    "7": ("11111", "00001", "00010", "00100", "01000", "01000", "01000"),
    "8": ("01110", "10001", "10001", "01110", "10001", "10001", "01110"),
    "9": ("01110", "10001", "10001", "01111", "00001", "00010", "01100"),
}


# --- Small pieces -------------------------------------------------------------

def choice(rng, seq):
    return seq[int(rng.integers(0, len(seq)))]


def colour(rng, options):
    return np.float32(choice(rng, options))


def fit(cov, height, max_width):
    """cov scaled to height rows, or narrower when it would be wider than max_width."""
    c = to_height(cov, max(2, int(height)))
    if c.shape[1] > max_width:
        c = to_height(cov, max(2, int(height * max_width / c.shape[1])))
    return c


def canvas_of(size, rgb):
    img = np.empty(size + (3,), np.float32)
    img[...] = rgb
    return img


def stroke_cov(polylines, side, pen, closed=False):
    """Polylines in a unit square drawn with a round pen on a side x side canvas."""
    img = np.zeros((side, side), np.uint8)
    for line in polylines:
        pts = np.int32(np.float32(line) * (side - 2 * pen) + pen)
        cv2.polylines(img, [pts], closed, 255, pen, cv2.LINE_AA)
    return H.crop_to_ink(img.astype(np.float32) / 255.0, 0.05)


def wobble(polylines, rng, amount=0.012):
    """A hand's unsteadiness: each point moved a little (unit-square coordinates)."""
    return [[(x + rng.normal(0, amount), y + rng.normal(0, amount)) for x, y in line] for line in polylines]


def arc(cx, cy, rx, ry, a0, a1, n=32):
    return [(cx + rx * math.cos(a), cy + ry * math.sin(a)) for a in np.linspace(a0, a1, n)]


def photo_size(rng, small, medium):
    """An output (height, width): a crop of `small` rows, a picture of `medium` rows,
    or a phone's frame (1-12 MP), drawn 35/40/25%."""
    r = rng.random()
    if r < 0.35:
        h = int(rng.integers(*small))
        return h, int(h * rng.uniform(0.8, 1.5))
    if r < 0.75:
        h = int(rng.integers(*medium))
        return h, int(h * rng.uniform(0.75, 1.5))
    return frame_size(rng, PHONE_SIZES)

# --- Screens ------------------------------------------------------------------

def screen_content(cov, rng, rows, cols, typed):
    """What the screen shows, at its own pixels: an app in light or dark mode, the
    mark large in the middle (typed in a font, or drawn with a finger in a colour)."""
    dark = rng.random() < 0.4
    bg = colour(rng, [[0.08, 0.08, 0.09], [0.13, 0.13, 0.15], [0.0, 0.0, 0.0]] if dark else
                [[1.0, 1.0, 1.0], [0.97, 0.97, 0.95], [0.99, 0.97, 0.9]])
    ink = colour(rng, [[0.95, 0.95, 0.95], [1.0, 0.85, 0.3], [0.4, 0.8, 1.0]] if dark else
                 [[0.05, 0.05, 0.05], [0.1, 0.2, 0.7], [0.75, 0.1, 0.1], [0.1, 0.45, 0.2]])
    img = canvas_of((rows, cols), bg)
    # An app's chrome: a status bar, a title bar with a few icons, a toolbar below.
    bar = max(2, rows // 16)
    tone = bg * 0.85 + 0.1 if not dark else bg + 0.08
    img[:bar] = tone
    img[bar:2 * bar] = colour(rng, [[0.2, 0.4, 0.8], [0.95, 0.6, 0.1], [0.3, 0.3, 0.32]]) if rng.random() < 0.5 \
        else tone * 0.95
    for k in range(int(rng.integers(2, 5))):
        x = cols - (k + 1) * int(1.6 * bar)
        cv2.circle(img, (x, bar + bar // 2), max(1, bar // 3), tuple(float(v) for v in bg * 0.5 + 0.25), -1)
    if rng.random() < 0.6:
        img[rows - int(1.5 * bar):] = tone
    area_h = rows - 4 * bar
    c = fit(cov, area_h * rng.uniform(0.35, 0.8), 0.85 * cols)
    top = 2 * bar + int(rng.uniform(0.1, 0.9) * (area_h - c.shape[0])) + bar // 2
    left = int(rng.uniform(0.1, 0.9) * (cols - c.shape[1]))
    blend(img, c if typed else np.clip(c * 1.2, 0, 1), ink, top, left)
    return img


def subpixels(content, rng):
    """Each screen pixel as 3x3 camera-scale pixels: red, green and blue stripes with a
    dark line between rows (the grid that makes moire when photographed)."""
    rows, cols = content.shape[:2]
    big = np.repeat(np.repeat(content, 3, 0), 3, 1)
    other = rng.uniform(0.3, 0.6)  # light leaking into the neighbouring subpixels
    mask = np.full((3, 3, 3), other, np.float32)
    for c in range(3):
        mask[:, c, c] = 3 - 2 * other
    mask[2] *= rng.uniform(0.6, 0.85)
    return big * np.tile(mask, (rows, cols, 1))


def device_photo(content, rng, size):
    """The screen (with subpixels) in a black bezel, photographed in a frame of `size`
    (height, width) at an angle, with reflections and glare. Returns uint8 RGB."""
    h, w = size
    screen = np.clip(subpixels(content, rng), 0, 3)
    sh, sw = screen.shape[:2]
    bez = int(0.05 * max(sh, sw))
    dev = canvas_of((sh + 2 * bez, sw + 2 * bez), colour(rng, [[0.03, 0.03, 0.03], [0.1, 0.1, 0.11],
                                                                [0.75, 0.75, 0.76]]))
    dev[bez:bez + sh, bez:bez + sw] = screen
    dh, dw = dev.shape[:2]
    # The room: a desk or a wall, out of focus.
    lo = (max(8, h // 8), max(8, w // 8))
    if rng.random() < 0.5:
        room, _ = surface("wood", *lo, rng)
    else:
        room = canvas_of(lo, colour(rng, [[0.8, 0.78, 0.72], [0.55, 0.57, 0.6], [0.3, 0.28, 0.27]]))
        room *= (0.9 + 0.2 * fbm(lo, lo[0] / 3, rng))[..., None]
    img = cv2.resize(room, (w, h), interpolation=cv2.INTER_LINEAR)
    # The device fills 40-95% of the frame, seen at an angle (a homography).
    fill = rng.uniform(0.4, 0.95)
    scale = fill * min(h / dh, w / dw)
    cw, ch = dw * scale, dh * scale
    # Inside the frame even after its corners move by up to 7% (below).
    cx = w / 2 + rng.uniform(-0.5, 0.5) * max(0, w - 1.16 * cw)
    cy = h / 2 + rng.uniform(-0.5, 0.5) * max(0, h - 1.16 * ch)
    src = np.float32([[0, 0], [dw, 0], [dw, dh], [0, dh]])
    dst = np.float32([[cx - cw / 2, cy - ch / 2], [cx + cw / 2, cy - ch / 2], [cx + cw / 2, cy + ch / 2],
                      [cx - cw / 2, cy + ch / 2]])
    dst += (rng.uniform(-0.07, 0.07, (4, 2)) * np.float32([cw, ch])).astype(np.float32)
    M = cv2.getPerspectiveTransform(src, dst)
    # The lens's blur, then linear sampling (no averaging) of the subpixel grid: the
    # camera's aliasing, moire.
    dev = cv2.GaussianBlur(dev, (0, 0), rng.uniform(0.1, 0.45) / scale)
    warped = cv2.warpPerspective(dev, M, (w, h), flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(np.ones((dh, dw), np.float32), M, (w, h), flags=cv2.INTER_LINEAR)
    drop_shadow(img, alpha, 0, 0, (int(0.01 * h), int(0.01 * h)), 0.01 * h, 0.45)
    img = img * (1 - alpha[..., None]) + warped * alpha[..., None]
    # The room reflected in the glass: large soft shapes, faint.
    refl = cv2.resize(fbm((16, 16), 4, rng), (w, h), interpolation=cv2.INTER_CUBIC)
    img += (alpha * (refl - 0.4) * rng.uniform(0.0, 0.12))[..., None]
    img = light_up(img, rng, 0.2, 0.2, glare=int(rng.integers(0, 3)), glare_strength=rng.uniform(0.1, 0.35))
    return camera(img, rng, blur=(0.2, 0.9))


def screen_photo(cov, rng, typed):
    size = photo_size(rng, (240, 600), (600, 1600))
    portrait = rng.random() < 0.5
    # Screen pixels across the frame: 1.2-3 camera pixels each, so that moire shows.
    pitch = rng.uniform(1.2, 3.0)
    rows = int(size[0] * rng.uniform(0.45, 0.9) / pitch)
    rows = int(np.clip(rows, 60, 1100))
    cols = int(rows * (rng.uniform(0.45, 0.6) if portrait else rng.uniform(1.3, 1.8)))
    return device_photo(screen_content(cov, rng, rows, cols, typed), rng, size)


# --- Spray paint ----------------------------------------------------------------

def stencil_bridges(cov, rng):
    """Cuts a stencil's bridges: each counter (a hole in the ink) is tied to the
    outside across the ink above and below it, where that ink borders the outside."""
    ink = np.uint8(cov > 0.5)
    h, w = ink.shape
    padded = np.pad(1 - ink, 1, constant_values=1)
    n, labels, stats, centroids = cv2.connectedComponentsWithStats(padded, connectivity=4)
    outside = labels[0, 0]
    out = cov.copy()
    half = max(1, int(h * rng.uniform(0.025, 0.045)))
    for i in range(1, n):
        if i == outside or stats[i, cv2.CC_STAT_AREA] < 0.002 * h * w:
            continue
        cx = int(centroids[i][0]) - 1
        top = stats[i, cv2.CC_STAT_TOP] - 1
        bottom = top + stats[i, cv2.CC_STAT_HEIGHT] - 1
        for step, start in ((-1, top), (1, bottom)):
            y = start + step
            while 0 <= y < h and ink[y, cx]:
                y += step
            if 0 <= y < h and labels[y + 1, cx + 1] != outside:
                continue
            a, b = sorted((start + step, y - step))
            out[max(0, a - 1):b + 2, max(0, cx - half):cx + half + 1] = 0
    return out


def spray_alpha(cov, rng, stencil):
    """Spray paint's coverage: soft edges (a freehand can, or paint under a lifted
    stencil), speckled density, a cloud of overspray (held in by the stencil sheet's
    edge) and droplets."""
    h, w = cov.shape
    core = cv2.GaussianBlur(cov, (0, 0), max(0.6, h * (0.004 if stencil else 0.015)))
    speckle = rng.random((h, w)).astype(np.float32)
    density = 0.75 + 0.25 * smooth_noise((h, w), max(2.0, h / 6), rng)
    alpha = np.clip(core * 1.15, 0, 1) * (density * (0.85 + 0.15 * speckle))
    halo = cv2.GaussianBlur(cov, (0, 0), h * rng.uniform(0.03, 0.08))
    cloud = halo * rng.uniform(0.1, 0.35)
    if stencil:  # the sheet's rectangle stops the overspray
        m = int(h * rng.uniform(0.05, 0.12))
        sheet = np.zeros((h, w), np.float32)
        sheet[m // 2:h - m // 2, m // 2:w - m // 2] = 1
        cloud = cloud * sheet + rng.uniform(0.04, 0.12) * sheet * (1 - np.clip(core * 3, 0, 1))
    drops = (speckle > 1 - 0.04 * np.clip(halo * 4, 0, 1)).astype(np.float32)
    return np.clip(np.maximum(alpha, cloud + 0.8 * drops * (1 - alpha)), 0, 1)


def drips(alpha, rng):
    """Paint running down from the lower edges of thick strokes."""
    h, w = alpha.shape
    out = alpha.copy()
    for _ in range(int(rng.integers(1, 6))):
        x = int(rng.integers(0, w))
        ys = np.nonzero(alpha[:, x] > 0.8)[0]
        if len(ys) == 0:
            continue
        y0 = int(ys.max())
        length = int(h * rng.uniform(0.05, 0.25))
        width = max(1, int(h * rng.uniform(0.006, 0.012)))
        cv2.line(out, (x, y0), (x, min(h - 1, y0 + length)), 0.85, width, cv2.LINE_AA)
        cv2.circle(out, (x, min(h - 1, y0 + length)), width, 0.9, -1, cv2.LINE_AA)
    return out


def sprayed_surface(kind, h, w, rng):
    """A crate, concrete, asphalt, cardboard or a container's corrugated wall."""
    lo = (max(8, h // 4), max(8, w // 4))
    if kind == "crate":
        img, _ = surface("wood", *lo, rng)
        plank = max(4, int(lo[0] / rng.uniform(3, 6)))
        for y in range(0, lo[0], plank):  # planks of their own shade, dark gaps between
            img[y:y + plank] *= rng.uniform(0.8, 1.15)
            img[y:y + max(1, plank // 12)] *= 0.25
    elif kind == "concrete":
        img = canvas_of(lo, colour(rng, [[0.62, 0.62, 0.6], [0.7, 0.68, 0.64], [0.5, 0.5, 0.5]]))
        img *= (0.85 + 0.3 * fbm(lo, lo[0] / 4, rng, 4))[..., None]
        pores = rng.random(lo) > 0.995
        img[pores] *= 0.6
    elif kind == "asphalt":
        img = canvas_of(lo, colour(rng, [[0.22, 0.22, 0.23], [0.3, 0.3, 0.3], [0.17, 0.17, 0.18]]))
        img *= (0.8 + 0.4 * rng.random(lo).astype(np.float32) * fbm(lo, lo[0] / 5, rng))[..., None]
        grit = rng.random(lo) > 0.97
        img[grit] = 0.5
    elif kind == "cardboard":
        img = canvas_of(lo, colour(rng, [[0.68, 0.52, 0.34], [0.75, 0.6, 0.42]]))
        img *= (0.93 + 0.1 * fbm(lo, lo[0] / 3, rng))[..., None]
        img *= (1 + 0.03 * np.sin(np.arange(lo[1], dtype=np.float32) / rng.uniform(1.0, 2.0)))[None, :, None]
    else:  # a shipping container's corrugated wall
        img = canvas_of(lo, colour(rng, [[0.6, 0.15, 0.1], [0.15, 0.3, 0.55], [0.2, 0.45, 0.3], [0.75, 0.6, 0.2]]))
        period = lo[1] / rng.uniform(6, 14)
        img *= (0.85 + 0.2 * np.sin(np.arange(lo[1], dtype=np.float32) * 2 * math.pi / period))[None, :, None]
        img *= (0.85 + 0.25 * fbm(lo, lo[0] / 6, rng))[..., None]
    return cv2.resize(img, (w, h), interpolation=cv2.INTER_LINEAR)


def spray_photo(cov, rng, stencil):
    size = photo_size(rng, (300, 700), (700, 1800))
    h, w = size
    kind = choice(rng, ("crate", "concrete", "asphalt", "cardboard", "container"))
    img = sprayed_surface(kind, h, w, rng)
    # A paint that stands out from the surface in colour and in lightness (as a sprayer
    # would pick).
    ground = img.reshape(-1, 3).mean(0)
    luma = np.float32([0.3, 0.59, 0.11])
    paints = [p for p in ([0.05, 0.05, 0.05], [0.95, 0.95, 0.93], [0.98, 0.8, 0.05], [0.8, 0.1, 0.08],
                          [0.1, 0.25, 0.7]) if np.abs(np.float32(p) - ground).sum() > 0.9
              and abs(float((np.float32(p) - ground) @ luma)) > 0.4] or [
        [0.05, 0.05, 0.05] if float(ground @ luma) > 0.5 else [0.95, 0.95, 0.93]]
    paint = colour(rng, paints)
    c = fit(cov, h * rng.uniform(0.12, 0.55), 0.8 * w)
    margin = int(0.15 * c.shape[0])
    c = np.pad(c, margin)
    alpha = spray_alpha(c, rng, stencil)
    if kind in ("concrete", "container", "crate") and rng.random() < 0.4:
        alpha = drips(alpha, rng)
    top = int(rng.uniform(0.25, 0.75) * max(1, h - c.shape[0]))  # clear of the edges the perspective crops
    left = int(rng.uniform(0.25, 0.75) * max(1, w - c.shape[1]))
    blend(img, alpha * rng.uniform(0.8, 0.97), paint, top, left)
    img = light_up(img, rng, 0.35, 0.25, glare=int(rng.integers(0, 2)), glare_strength=0.15, streaks=False)
    tilt = 0.1 if kind == "asphalt" else 0.05
    img, _ = perspective(img, rng, tilt, (1.0, 1.15), border=tuple(float(v) for v in img[h // 2, w // 2]))
    return camera(img, rng)


# --- LED matrices -------------------------------------------------------------

def matrix_cells(label, cov, rng, pixel_font):
    """The lit cells (rows, cols) of a digit (a 5x7 matrix, doubled as bus signs do,
    or DotGothic16's pixels), or of any mark sampled onto 9-16 rows."""
    if label is not None:
        style = int(rng.integers(0, 3))
        if style < 2:
            cells = np.float32([[int(ch) for ch in row] for row in MATRIX_5X7[label]])
            return np.kron(cells, np.ones((2, 2), np.float32)) if style == 1 else cells
        font = ImageFont.truetype(pixel_font, 16)
        img = Image.new("L", (24, 24), 0)
        ImageDraw.Draw(img).text((4, 2), label, font=font, fill=255)
        return H.crop_to_ink(np.float32(np.asarray(img) > 127), 0.5)
    rows = int(rng.integers(9, 17))
    small = cv2.resize(cov, (max(3, int(cov.shape[1] * rows / cov.shape[0])), rows), interpolation=cv2.INTER_AREA)
    return np.float32(small > 0.35)


def led_panel(cells, rng, pitch):
    """A panel of LEDs pitch px apart, the cells lit among unlit ones, glowing."""
    rows, cols = cells.shape
    pad_r, pad_c = int(rng.integers(1, 4)), int(rng.integers(1, 12))
    grid = np.zeros((rows + 2 * pad_r, cols + 2 * pad_c), np.float32)
    off = int(rng.integers(0, pad_c + 1)) if rng.random() < 0.5 else pad_c
    grid[pad_r:pad_r + rows, off:off + cols] = cells
    y, x = np.mgrid[0:pitch, 0:pitch].astype(np.float32) - (pitch - 1) / 2
    r = pitch * rng.uniform(0.3, 0.45)
    if rng.random() < 0.7:
        sprite = np.clip(r - np.sqrt(x * x + y * y) + 0.5, 0, 1)
    else:
        sprite = np.clip(r - np.maximum(np.abs(x), np.abs(y)) + 0.5, 0, 1)
    lit = np.kron(grid, sprite)
    unlit = np.kron(1 - grid, sprite)
    glow = cv2.GaussianBlur(lit, (0, 0), max(0.8, pitch * rng.uniform(0.3, 0.8)))
    return lit, unlit, glow


def led_photo(cells, rng):
    size = photo_size(rng, (40, 200), (200, 1400))
    h, w = size
    led = colour(rng, [[1.0, 0.62, 0.1], [1.0, 0.15, 0.08], [0.3, 1.0, 0.35], [0.95, 0.95, 1.0], [0.35, 0.6, 1.0]])
    rows = cells.shape[0] + 4
    pitch = int(np.clip(h * rng.uniform(0.4, 0.85) / rows, 3, 200))
    lit, unlit, glow = led_panel(cells, rng, pitch)
    ph, pw = lit.shape
    if pw > 0.95 * w:  # too wide: fewer pixels per LED
        pitch = max(3, int(pitch * 0.95 * w / pw))
        lit, unlit, glow = led_panel(cells, rng, pitch)
        ph, pw = lit.shape
    h, w = max(h, ph + 4), max(w, pw + 4)  # a panel of 3-pixel LEDs sets the smallest frame
    housing = colour(rng, [[0.02, 0.02, 0.02], [0.06, 0.06, 0.07], [0.1, 0.09, 0.08]])
    img = canvas_of((h, w), housing)
    img *= (0.8 + 0.4 * fbm((h, w), h / 3, rng))[..., None]
    if rng.random() < 0.5:  # the vehicle's or wall's body round the sign's window
        b = int(rng.uniform(0.03, 0.12) * h)
        body = colour(rng, [[0.85, 0.85, 0.82], [0.7, 0.1, 0.1], [0.2, 0.3, 0.6], [0.5, 0.5, 0.52]])
        img[:b], img[h - b:], img[:, :b], img[:, w - b:] = body, body, body, body
    top, left = (h - ph) // 2 + int(rng.uniform(-0.05, 0.05) * h), (w - pw) // 2 + int(rng.uniform(-0.1, 0.1) * w)
    top, left = max(0, min(h - ph, top)), max(0, min(w - pw, left))
    panel = np.zeros((h, w), np.float32)
    blend(img, unlit * rng.uniform(0.08, 0.25), np.float32([0.5, 0.5, 0.48]) * 0.6 + led * 0.2, top, left)
    panel[top:top + ph, left:left + pw] = glow
    img += (panel * rng.uniform(0.3, 0.8))[..., None] * led
    core = np.minimum(1.0, led * 0.9 + rng.uniform(0.0, 0.5))  # bright LEDs burn to white in the middle
    blend(img, lit, core, top, left)
    img = light_up(img, rng, 0.2, 0.2, glare=int(rng.integers(0, 3)), glare_strength=rng.uniform(0.05, 0.25))
    img, _ = perspective(img, rng, 0.05, (1.0, 1.1), border=tuple(float(v) for v in img[1, 1]))
    return camera(img, rng, blur=(0.3, 1.2))


# --- Beads, pebbles and cross-stitch -------------------------------------------

def along_skeleton(cov, spacing, rng):
    """Points along the mark's strokes about `spacing` px apart, the strokes' ends first."""
    skel = cv2.ximgproc.thinning(np.uint8(cov > 0.5) * 255) > 0
    ys, xs = np.nonzero(skel)
    neighbours = cv2.filter2D(skel.astype(np.float32), -1, np.ones((3, 3), np.float32))[ys, xs] - 1
    order = np.lexsort((rng.random(len(ys)), neighbours != 1))
    taken = np.zeros(cov.shape, np.uint8)
    points = []
    r = max(1, int(spacing * 0.9))
    for i in order:
        y, x = int(ys[i]), int(xs[i])
        if not taken[y, x]:
            points.append((y, x))
            cv2.circle(taken, (x, y), r, 1, -1)
    return points


def filling(cov, spacing):
    """Points of a hexagonal grid `spacing` px apart inside the mark."""
    h, w = cov.shape
    points = []
    for row, y in enumerate(np.arange(spacing / 2, h, spacing * 0.87)):
        for x in np.arange(spacing / 2 + (spacing / 2 if row % 2 else 0), w, spacing):
            if cov[int(y), int(x)] > 0.5:
                points.append((int(y), int(x)))
    return points


def pebble(r, rng, light_ground):
    """A pebble seen from above: an irregular ellipse, lit from the top left, mottled;
    dark on light sand, light on dark."""
    a, b = r * rng.uniform(0.8, 1.15), r * rng.uniform(0.6, 0.9)
    side = int(2 * r + 3)
    y, x = np.mgrid[0:side, 0:side].astype(np.float32) - side / 2
    t = rng.uniform(0, math.pi)
    u, v = x * math.cos(t) + y * math.sin(t), -x * math.sin(t) + y * math.cos(t)
    d = np.sqrt((u / a) ** 2 + (v / b) ** 2)
    alpha = np.clip((1 - d) * r * 0.8, 0, 1)
    tone = colour(rng, [[0.4, 0.4, 0.42], [0.32, 0.27, 0.22], [0.25, 0.25, 0.27], [0.5, 0.45, 0.4]] if light_ground
                  else [[0.85, 0.84, 0.8], [0.92, 0.9, 0.86], [0.75, 0.7, 0.62]]) * rng.uniform(0.85, 1.1)
    shade = 1 + 0.3 * (-x - y) / (side * 0.7) - 0.25 * d ** 2
    mottle = 0.9 + 0.2 * smooth_noise((side, side), max(2.0, side / 5), rng)
    return alpha, np.clip(tone * (shade * mottle)[..., None], 0, 1)


def bead_scene(kind, h, w, rng):
    lo = (max(8, h // 6), max(8, w // 6))
    if kind == "pebbles":  # on sand
        img = canvas_of(lo, colour(rng, [[0.82, 0.72, 0.55], [0.7, 0.62, 0.5], [0.35, 0.3, 0.27]]))
        img *= (0.9 + 0.15 * fbm(lo, lo[0] / 4, rng))[..., None]
        img = cv2.resize(img, (w, h), interpolation=cv2.INTER_LINEAR)
        img *= (0.92 + 0.16 * rng.random((h, w), np.float32))[..., None]  # grains
        return img
    if rng.random() < 0.5:
        img, _ = surface("wood", *lo, rng)
    else:  # felt
        img = canvas_of(lo, colour(rng, [[0.1, 0.1, 0.12], [0.15, 0.3, 0.2], [0.6, 0.6, 0.62], [0.9, 0.9, 0.88],
                                         [0.25, 0.2, 0.45]]))
        img *= (0.92 + 0.12 * fbm(lo, lo[0] / 6, rng))[..., None]
    return cv2.resize(img, (w, h), interpolation=cv2.INTER_LINEAR)


def cross_stitch(cov, rng, size):
    """A mark cross-stitched on aida cloth (a grid of holes between woven blocks)."""
    h, w = size
    cells_tall = int(rng.integers(16, 26))
    c = fit(cov, h * rng.uniform(0.35, 0.7), 0.85 * w)
    cell = max(3, c.shape[0] // cells_tall)
    grid = cv2.resize(c, (max(1, c.shape[1] // cell), max(1, c.shape[0] // cell)), interpolation=cv2.INTER_AREA) > 0.4
    cloth = colour(rng, [[0.95, 0.94, 0.9], [0.9, 0.93, 0.95], [0.95, 0.9, 0.8], [0.2, 0.2, 0.22]])
    img = canvas_of((h, w), cloth)
    weave = np.ones((h, w), np.float32)
    weave[::cell] *= 0.85
    weave[:, ::cell] *= 0.85
    img *= weave[..., None]
    img *= (0.95 + 0.08 * fbm((h, w), h / 5, rng))[..., None]
    thread = colour(rng, [[0.75, 0.1, 0.12], [0.1, 0.2, 0.6], [0.1, 0.4, 0.2], [0.05, 0.05, 0.05], [0.5, 0.2, 0.5]])
    if cloth.mean() < 0.5:
        thread = np.float32([0.95, 0.9, 0.6])
    top = int(rng.uniform(0.25, 0.75) * (h - grid.shape[0] * cell)) // cell * cell
    left = int(rng.uniform(0.25, 0.75) * (w - grid.shape[1] * cell)) // cell * cell
    t = max(1, int(cell * rng.uniform(0.2, 0.3)))
    for gy, gx in zip(*np.nonzero(grid)):
        y0, x0 = top + gy * cell, left + gx * cell
        tone = tuple(float(v) for v in thread * rng.uniform(0.85, 1.1))
        cv2.line(img, (x0 + 1, y0 + cell - 1), (x0 + cell - 1, y0 + 1), tone, t, cv2.LINE_AA)
        cv2.line(img, (x0 + 1, y0 + 1), (x0 + cell - 1, y0 + cell - 1), tone, t, cv2.LINE_AA)
    return img


def bead_photo(cov, rng, filled):
    size = photo_size(rng, (300, 600), (600, 1800))
    h, w = size
    kind = choice(rng, ("beads", "buttons", "pebbles", "stitch"))
    if kind == "stitch":
        img = cross_stitch(cov, rng, size)
    else:
        img = bead_scene(kind, h, w, rng)
        c = fit(cov, h * rng.uniform(0.4, 0.8), 0.85 * w)
        spacing = c.shape[0] / (rng.uniform(11, 15) if kind == "pebbles" else rng.uniform(9, 16))
        points = filling(c, spacing) if filled and kind != "pebbles" else along_skeleton(c, spacing, rng)
        top = int(rng.uniform(0.25, 0.75) * (h - c.shape[0]))  # clear of the edges the perspective crops
        left = int(rng.uniform(0.25, 0.75) * (w - c.shape[1]))
        r = max(2, int(spacing * (rng.uniform(0.5, 0.6) if kind == "pebbles" else rng.uniform(0.42, 0.5))))
        light_ground = img.mean() > 0.5
        single = colour(rng, [[0.9, 0.15, 0.15], [0.1, 0.3, 0.8], [0.95, 0.8, 0.1], [0.95, 0.95, 0.95],
                              [0.1, 0.1, 0.1], [0.2, 0.6, 0.3]])
        many = rng.random() < 0.4
        for (y, x) in points:
            y, x = y + top + int(rng.normal(0, r * 0.12)), x + left + int(rng.normal(0, r * 0.12))
            if kind == "pebbles":
                alpha, rgb = pebble(r, rng, light_ground)
            else:
                tone = colour(rng, [[0.9, 0.15, 0.15], [0.1, 0.3, 0.8], [0.95, 0.8, 0.1], [0.2, 0.6, 0.3],
                                    [0.6, 0.2, 0.7], [0.95, 0.5, 0.1]]) if many else single
                alpha, rgb = shaded_disc(r, tone, rng)
                if kind == "buttons":  # two or four holes
                    for hy, hx in ((-1, -1), (1, 1), (-1, 1), (1, -1))[:2 * int(rng.integers(1, 3))]:
                        cv2.circle(rgb, (r + hx * r // 4, r + hy * r // 4), max(1, r // 7), (0.1, 0.1, 0.1), -1)
                else:  # a bead's hole
                    cv2.circle(rgb, (r, r), max(1, r // 4), tuple(float(v) for v in np.float32(tone) * 0.3), -1)
            pos = (y - alpha.shape[0] // 2, x - alpha.shape[1] // 2)
            drop_shadow(img, alpha, *pos, (r // 4 + 1, r // 5 + 1), r / 4, 0.4)
            blend(img, alpha, rgb, *pos)
    img = light_up(img, rng, 0.3, 0.25, glare=int(rng.integers(0, 2)), glare_strength=0.12, streaks=False)
    img, _ = perspective(img, rng, 0.06, (1.0, 1.12), border=tuple(float(v) for v in img[h // 2, 1]))
    return camera(img, rng)


# --- Forms ----------------------------------------------------------------------

def ballpoint(cov, rng):
    """Ballpoint ink: thin, its density following the pressure along the stroke."""
    h, w = cov.shape
    pressure = 0.7 + 0.3 * smooth_noise((h, w), max(2.0, h / 4), rng)
    return np.clip(cov * pressure * rng.uniform(0.85, 1.0), 0, 1)


def form_field(covs, rng, boxes, photo):
    """A form's field of `boxes` boxes with one mark in each of the first len(covs):
    a comb (shared walls, or only ticks) or separate boxes, in black or a dropout
    colour, on a page, scanned or photographed."""
    bh = int(rng.integers(60, 140))
    bw = int(bh * rng.uniform(0.75, 1.05))
    style = choice(rng, ("comb", "ticks", "separate"))
    gap = int(bw * rng.uniform(0.15, 0.4)) if style == "separate" else 0
    margin = int(bh * rng.uniform(0.4, 1.2))
    width = boxes * bw + (boxes - 1) * gap + 2 * margin
    height = bh + 2 * margin
    paper = colour(rng, [[0.98, 0.98, 0.97], [0.96, 0.95, 0.9], [0.97, 0.97, 1.0]])
    img = canvas_of((height, width), paper)
    line = colour(rng, [[0.1, 0.1, 0.1], [0.9, 0.45, 0.45], [0.45, 0.6, 0.9], [0.5, 0.75, 0.55]])
    fill = rng.random() < 0.4 and line.min() > 0.3
    lw = max(1, int(bh * rng.uniform(0.02, 0.045)))
    colour_t = tuple(float(v) for v in line)
    for k in range(boxes):
        x0 = margin + k * (bw + gap)
        if fill:
            img[margin:margin + bh, x0:x0 + bw] = paper * 0.55 + line * 0.45 * 0.4 + 0.6 * 0.45 * 0.55
        if style == "ticks":
            cv2.line(img, (x0, margin + bh), (x0 + bw, margin + bh), colour_t, lw)
            cv2.line(img, (x0, margin + int(bh * 0.65)), (x0, margin + bh), colour_t, lw)
            if k == boxes - 1:
                cv2.line(img, (x0 + bw, margin + int(bh * 0.65)), (x0 + bw, margin + bh), colour_t, lw)
        else:
            cv2.rectangle(img, (x0, margin), (x0 + bw, margin + bh), colour_t, lw)
    if rng.random() < 0.5:  # the form's rules above and below the field
        for y in (margin // 4, height - margin // 4):
            cv2.line(img, (0, y), (width, y), colour_t, max(1, lw // 2))
    ink = colour(rng, [[0.08, 0.12, 0.45], [0.05, 0.05, 0.08], [0.1, 0.1, 0.3]])
    for k, cov in enumerate(covs):
        x0 = margin + k * (bw + gap)
        c = fit(cov, bh * rng.uniform(0.55, 0.95), bw * 0.95)
        t = margin + int((bh - c.shape[0]) * rng.uniform(0.1, 0.9)) + int(rng.normal(0, bh * 0.05))
        l = x0 + int((bw - c.shape[1]) * rng.uniform(0.15, 0.85)) + int(rng.normal(0, bw * 0.04))
        blend(img, ballpoint(c, rng), ink, t, l)
    if not photo:  # a scan: a little rotation, the scanner's noise and softness, sometimes grey
        angle = rng.uniform(-2.5, 2.5)
        M = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
        img = cv2.warpAffine(img, M, (width, height), borderMode=cv2.BORDER_CONSTANT,
                             borderValue=tuple(float(v) for v in paper))
        scale = rng.uniform(0.5, 1.2)
        img = cv2.resize(img, (max(8, int(width * scale)), max(8, int(height * scale))), interpolation=cv2.INTER_AREA)
        out = camera(img, rng, blur=(0.3, 0.9), noise=(0.005, 0.02))
        return np.repeat(cv2.cvtColor(out, cv2.COLOR_RGB2GRAY)[..., None], 3, -1) if rng.random() < 0.4 else out
    size = frame_size(rng, PHONE_SIZES)
    h, w = size
    desk, _ = surface("wood", max(8, h // 8), max(8, w // 8), rng)
    scene = cv2.resize(desk, (w, h), interpolation=cv2.INTER_LINEAR)
    # The page fills most of the frame; the field is a band across it, its boxes
    # 10-25% of the frame's height (narrower when the field would not fit).
    fh = int(h * rng.uniform(0.1, 0.25) * height / bh)
    if width * fh / height > 0.8 * w:
        fh = int(0.8 * w * height / width)
    field = np.dstack([cv2.resize(img[..., c], (int(img.shape[1] * fh / img.shape[0]), fh),
                                  interpolation=cv2.INTER_AREA) for c in range(3)])
    pt, pl = int(h * 0.05), int(w * rng.uniform(0.03, 0.1))
    page = canvas_of((h - 2 * pt, w - 2 * pl), paper)
    ft = int(rng.uniform(0.2, 0.8) * (page.shape[0] - fh))
    fl = int(rng.uniform(0.1, 0.9) * (page.shape[1] - field.shape[1]))
    page[ft:ft + fh, fl:fl + field.shape[1]] = field
    for y in range(int(rng.uniform(0.05, 0.12) * h), page.shape[0], int(h * rng.uniform(0.1, 0.18))):
        if not (ft - 0.05 * h < y < ft + fh + 0.05 * h):  # other fields' lines, empty
            cv2.line(page, (int(0.1 * w), y), (int(0.85 * w), y), colour_t, max(1, h // 600))
    blend(scene, np.ones(page.shape[:2], np.float32), page, pt, pl)
    scene = light_up(scene, rng, 0.3, 0.25, glare=int(rng.integers(0, 2)), glare_strength=0.1)
    scene, _ = perspective(scene, rng, 0.05, (1.0, 1.08), border=(0.3, 0.25, 0.2))
    return camera(scene, rng)
