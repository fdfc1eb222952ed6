"""Painting photos for scripts/make-heldout-set2.py (and -set3.py): noise, glyphs and coverage maps,
compositing, light, perspective and a camera's blur and noise; and the scenes of its
single-digit families: whiteboards and chalkboards, small photos of stamped, engraved
and painted marks, seven-segment displays. Every function draws from the numpy
Generator it is given, so a scene depends only on that generator's seed.
"""

import importlib.util
import math
import os

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

SCRIPTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_script(name, filename):
    """A script of scripts/ (whose file names have hyphens) as a module."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(SCRIPTS, filename))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# read_idx, crop_to_ink and the letters not written like a digit, from the stress suite.
H = load_script("stress_set", "make-stress-set.py")


# --- Noise, coverage maps and compositing ---------------------------------------
# Images are float32 RGB in [0, 1]; a coverage map is float32 (h, w), 1 = ink.

def smooth_noise(shape, cell_y, rng, cell_x=None):
    """Noise in [0, 1] that varies over about cell_y rows and cell_x columns."""
    h, w = shape
    cell_x = cell_y if cell_x is None else cell_x
    grid = rng.random((max(2, int(h / cell_y) + 2), max(2, int(w / cell_x) + 2))).astype(np.float32)
    return np.clip(cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC), 0, 1)


def fbm(shape, cell, rng, octaves=3):
    total, norm, amp = np.zeros(shape, np.float32), 0.0, 1.0
    for o in range(octaves):
        total += amp * smooth_noise(shape, max(1.0, cell / 2 ** o), rng)
        norm += amp
        amp *= 0.5
    return total / norm


def to_height(cov, height):
    """A coverage map scaled to `height` rows, aspect kept."""
    h, w = cov.shape
    width = max(1, int(round(w * height / h)))
    interp = cv2.INTER_AREA if height < h else cv2.INTER_CUBIC
    return np.clip(cv2.resize(cov, (width, height), interpolation=interp), 0, 1)


def pad(cov, margin):
    return np.pad(cov, margin)


def glyphs(text, font_path, px):
    """Text rendered in a font at px pixels, cropped to the ink."""
    font = ImageFont.truetype(font_path, px)
    left, top, right, bottom = font.getbbox(text)
    m = px // 4
    img = Image.new("L", (right - left + 2 * m, bottom - top + 2 * m), 0)
    ImageDraw.Draw(img).text((m - left, m - top), text, font=font, fill=255)
    return H.crop_to_ink(np.asarray(img, np.float32) / 255.0)


def has_glyph(font_path, ch):
    """False when the font draws ch as its missing-glyph box (or not at all)."""
    try:
        a = glyphs(ch, font_path, 48)
    except RuntimeError:
        return False
    b = glyphs("\ue000", font_path, 48) if _draws("\ue000", font_path) else None
    return b is None or a.shape != b.shape or not np.allclose(a, b)


def _draws(ch, font_path):
    try:
        glyphs(ch, font_path, 48)
        return True
    except RuntimeError:
        return False


def hand_warp(cov, rng, amount=1.0):
    """A hand's variation of a glyph: rotation, shear, width and a gentle elastic wobble."""
    h, w = cov.shape
    m = int(0.3 * max(h, w)) + 2
    cov = pad(cov, m)
    hh, ww = cov.shape
    a = math.radians(rng.uniform(-7, 7) * amount)
    shear = rng.uniform(-0.25, 0.25) * amount
    sx = rng.uniform(0.85, 1.15)
    A = np.float32([[sx * math.cos(a), -math.sin(a) + shear, 0], [math.sin(a), math.cos(a), 0]])
    A[:, 2] = np.float32([ww / 2, hh / 2]) - A[:, :2] @ np.float32([ww / 2, hh / 2])
    cov = cv2.warpAffine(cov, A, (ww, hh), flags=cv2.INTER_LINEAR)
    amp = 0.02 * h * amount
    dx = (smooth_noise((hh, ww), h / 2, rng) - 0.5) * 2 * amp
    dy = (smooth_noise((hh, ww), h / 2, rng) - 0.5) * 2 * amp
    gy, gx = np.mgrid[0:hh, 0:ww].astype(np.float32)
    cov = cv2.remap(cov, gx + dx, gy + dy, cv2.INTER_LINEAR)
    return H.crop_to_ink(cov, level=0.05)


def skeleton_strokes(image28, height, pen, rng):
    """An MNIST digit re-drawn along its skeleton with a round pen `pen` pixels wide,
    `height` pixels tall: a marker, chalk or ballpoint line instead of a blurred blob."""
    up = cv2.resize(image28.astype(np.float32) / 255.0, (112, 112), interpolation=cv2.INTER_CUBIC)
    skel = cv2.ximgproc.thinning(np.uint8(up > 0.4) * 255)
    ys, xs = np.nonzero(skel)
    if len(ys) == 0:
        raise RuntimeError("empty MNIST digit")
    y0, x0 = ys.min(), xs.min()
    span = max(1, ys.max() - y0)
    scale = (height - pen) / span
    margin = pen
    w = int((xs.max() - x0) * scale) + 2 * margin + 1
    canvas = np.zeros((height + 2 * margin, w), np.uint8)
    r = max(1, int(round(pen / 2)))
    for y, x in zip(ys, xs):
        cy, cx = int(round((y - y0) * scale + margin)), int(round((x - x0) * scale + margin))
        cv2.circle(canvas, (cx, cy), r, 255, -1, cv2.LINE_AA)
    # Join neighbouring skeleton pixels so that a large digit has no beads.
    pts = set(zip(ys.tolist(), xs.tolist()))
    for y, x in pts:
        for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):
            if (y + dy, x + dx) in pts:
                p = (int((x - x0) * scale + margin), int((y - y0) * scale + margin))
                q = (int((x + dx - x0) * scale + margin), int((y + dy - y0) * scale + margin))
                cv2.line(canvas, p, q, 255, 2 * r, cv2.LINE_AA)
    cov = H.crop_to_ink(canvas.astype(np.float32) / 255.0)
    return to_height(hand_warp(cov, rng, 0.5), height)


def blend(img, alpha, colour, top, left):
    """Lays colour with coverage alpha (h, w) on img at (top, left), clipped to img."""
    h, w = alpha.shape
    t0, l0 = max(0, top), max(0, left)
    t1, l1 = min(img.shape[0], top + h), min(img.shape[1], left + w)
    if t1 <= t0 or l1 <= l0:
        return
    a = alpha[t0 - top:t1 - top, l0 - left:l1 - left, None]
    region = img[t0:t1, l0:l1]
    colour = np.asarray(colour, np.float32)
    if colour.ndim == 3:
        colour = colour[t0 - top:t1 - top, l0 - left:l1 - left]
    region[...] = region * (1 - a) + colour * a


def marker_alpha(cov, rng):
    """Marker ink: nearly opaque, paler where the felt runs dry, streaky along the stroke."""
    h, w = cov.shape
    dry = rng.uniform(0, 1) ** 2
    mottle = smooth_noise((h, w), max(2.0, h / 30), rng, max(2.0, h / 8))
    alpha = cov * (rng.uniform(0.85, 1.0) - dry * 0.55 * mottle)
    return np.clip(alpha, 0, 1)


def chalk_alpha(cov, rng):
    """Chalk: grains of the board's texture skipped, thin and broken where pressed lightly."""
    h, w = cov.shape
    grain = rng.standard_normal((h, w)).astype(np.float32)
    grain = cv2.GaussianBlur(grain, (0, 0), max(0.7, h / 500))
    grain /= grain.std() + 1e-6
    light = smooth_noise((h, w), max(3.0, h / 5), rng)
    threshold = -1.2 + 2.4 * light ** 2 * rng.uniform(0.4, 1.0)
    alpha = cov * (1.0 / (1.0 + np.exp(-2.5 * (grain - threshold))))
    return np.clip(alpha * rng.uniform(0.75, 0.97), 0, 1)


def light_up(img, rng, gradient=0.15, vignette=0.2, glare=0, glare_strength=0.3, streaks=True):
    """The picture under uneven light (a slope across the frame, a vignette) with glare
    added (soft spots and, where streaks, the long reflection of a lamp)."""
    h, w = img.shape[:2]
    sh, sw = max(8, h // 8), max(8, w // 8)
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
    u, v = x / sw - 0.5, y / sh - 0.5
    gx, gy = rng.uniform(-1, 1, 2) * gradient
    mul = (1 + gx * u + gy * v) * (1 - vignette * (u * u + v * v) / 0.5)
    add = np.zeros((sh, sw), np.float32)
    for _ in range(glare):
        cx, cy = rng.uniform(-0.3, 0.3, 2)
        if rng.random() < 0.5 or not streaks:  # a round spot
            r = rng.uniform(0.05, 0.2)
            add += rng.uniform(0.4, 1.0) * glare_strength * np.exp(-((u - cx) ** 2 + (v - cy) ** 2) / (2 * r * r))
        else:  # a lamp's or window's long reflection
            a = rng.uniform(-0.4, 0.4)
            along = (u - cx) * math.cos(a) + (v - cy) * math.sin(a)
            across = -(u - cx) * math.sin(a) + (v - cy) * math.cos(a)
            length, width = rng.uniform(0.15, 0.45), rng.uniform(0.01, 0.04)
            add += rng.uniform(0.5, 1.0) * glare_strength * np.exp(-(across / width) ** 2 / 2) / (
                1 + np.exp((np.abs(along) - length) / 0.02))
    mul = cv2.resize(mul.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)
    add = cv2.resize(add, (w, h), interpolation=cv2.INTER_LINEAR)
    return img * mul[..., None] + add[..., None]


def snap(img, rng, tilt, zoom, border, **camera_options):
    """The scene photographed: seen at an angle (perspective), then the camera's blur and noise."""
    img, _ = perspective(img, rng, tilt, zoom, border=border)
    return camera(img, rng, **camera_options)


def camera(img, rng, blur=(0.4, 1.4), noise=(0.008, 0.025)):
    """Focus blur and sensor noise, scaled to the image's size; uint8 out."""
    scale = max(img.shape[:2]) / 1000.0
    sigma = rng.uniform(*blur) * max(0.5, scale ** 0.5)
    img = cv2.GaussianBlur(img, (0, 0), sigma)
    n = rng.uniform(*noise)
    img += rng.standard_normal(img.shape, dtype=np.float32) * np.float32(n)
    return np.uint8(np.clip(img, 0, 1) * 255 + 0.5)


def perspective(img, rng, tilt, zoom=(1.0, 1.0), border=(0.5, 0.5, 0.5)):
    """The picture as seen at an angle: the corners moved by up to `tilt` of the frame,
    zoomed about the centre. Returns the image and the 3x3 matrix."""
    h, w = img.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    z = rng.uniform(*zoom)
    c = np.float32([w / 2, h / 2])
    dst = (src - c) * z + c + (rng.uniform(-tilt, tilt, (4, 2)) * np.float32([w, h])).astype(np.float32)
    M = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    out = cv2.warpPerspective(img, M, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                              borderValue=tuple(float(b) for b in border))
    return out, M


def inside_after(M, box, shape, margin=0.02):
    """True when the box (top, left, bottom, right) stays inside the frame after M."""
    t, l, b, r = box
    pts = cv2.perspectiveTransform(np.float32([[[l, t], [r, t], [r, b], [l, b]]]), M)[0]
    h, w = shape
    return bool((pts[:, 0] > margin * w).all() and (pts[:, 0] < (1 - margin) * w).all()
                and (pts[:, 1] > margin * h).all() and (pts[:, 1] < (1 - margin) * h).all())


def frame_size(rng, sizes):
    """A camera's frame (height, width), landscape or portrait."""
    h, w = sizes[int(rng.integers(0, len(sizes)))]
    return (w, h) if rng.random() < 0.25 else (h, w)


PHONE_SIZES = ((3000, 4000), (3024, 4032), (2448, 3264), (2250, 4000), (1536, 2048), (960, 1280))


def save(img8, path, rng, quality=(72, 95)):
    Image.fromarray(img8).save(path, quality=int(rng.integers(*quality)))


# --- Whiteboards and chalkboards ----------------------------------------------------

def random_curve(rng, h, w, n, step):
    """A wandering pen path: n points, each about step pixels from the last."""
    p = np.float32([rng.uniform(0.05, 0.95) * w, rng.uniform(0.05, 0.95) * h])
    a = rng.uniform(0, 2 * math.pi)
    pts = []
    for _ in range(n):
        a += rng.normal(0, 0.5)
        p = p + step * np.float32([math.cos(a), math.sin(a)])
        pts.append(p.copy())
    return np.int32(pts)


def board_surface(kind, h, w, rng):
    """The board filling the frame: surface, ghosts of erased writing, frame and tray.
    Returns the image and the inner area (top, left, bottom, right) one may write on."""
    lo_h, lo_w = max(8, h // 4), max(8, w // 4)
    if kind == "white":
        base = np.float32([0.95, 0.955, 0.96]) * rng.uniform(0.93, 1.0) + rng.uniform(-0.02, 0.02, 3).astype(np.float32)
        tex = 1 + 0.03 * (fbm((lo_h, lo_w), lo_h / 3, rng) - 0.5)
        ghost_colour = rng.choice([[0.55, 0.58, 0.65], [0.6, 0.6, 0.6], [0.65, 0.55, 0.55]])
        ghost_alpha = (0.03, 0.10)
        frame_colour = np.float32([0.74, 0.75, 0.77])
    else:
        base = np.float32(rng.choice([[0.16, 0.26, 0.21], [0.20, 0.30, 0.24], [0.12, 0.13, 0.13], [0.13, 0.17, 0.2]]))
        base = base * rng.uniform(0.85, 1.15)
        tex = 1 + 0.12 * (fbm((lo_h, lo_w), lo_h / 4, rng, octaves=4) - 0.5)
        ghost_colour = np.float32([0.85, 0.86, 0.84])
        ghost_alpha = (0.03, 0.10)
        frame_colour = np.float32(rng.choice([[0.45, 0.30, 0.17], [0.55, 0.40, 0.25], [0.60, 0.61, 0.63]]))
    img = np.empty((lo_h, lo_w, 3), np.float32)
    img[...] = base
    img *= tex[..., None]
    # Erased writing: wandering strokes rubbed to a haze, and the eraser's broad wipes.
    ghost = np.zeros((lo_h, lo_w), np.float32)
    for _ in range(int(rng.integers(3, 10))):
        pts = random_curve(rng, lo_h, lo_w, int(rng.integers(8, 30)), lo_h * rng.uniform(0.01, 0.04))
        cv2.polylines(ghost, [pts], False, float(rng.uniform(*ghost_alpha)), max(1, int(lo_h * 0.008)), cv2.LINE_AA)
    ghost = cv2.GaussianBlur(ghost, (0, 0), max(1.0, lo_h / 250))
    for _ in range(int(rng.integers(2, 7))):
        band = np.zeros((lo_h, lo_w), np.float32)
        pts = random_curve(rng, lo_h, lo_w, int(rng.integers(2, 6)), lo_h * rng.uniform(0.08, 0.2))
        cv2.polylines(band, [pts], False, 1.0, max(2, int(lo_h * rng.uniform(0.05, 0.14))), cv2.LINE_AA)
        streaks = 0.5 + 0.5 * smooth_noise((lo_h, lo_w), max(1.5, lo_h / 150), rng, max(4.0, lo_w / 10))
        ghost += band * streaks * rng.uniform(*ghost_alpha) * (0.6 if kind == "white" else 1.0)
    ghost = np.clip(ghost, 0, 0.5)[..., None]
    img = img * (1 - ghost) + np.float32(ghost_colour) * ghost
    img = cv2.resize(img, (w, h), interpolation=cv2.INTER_LINEAR)
    # Frame round the edge (in the frame when the photo is zoomed out) and a tray below.
    f = int(h * rng.uniform(0.012, 0.025))
    shade = np.linspace(1.1, 0.8, f, dtype=np.float32)[:, None]
    img[:f] = frame_colour * shade[:, :, None]
    img[-f:] = frame_colour * shade[::-1, :, None]
    img[:, :f] = frame_colour * shade.T[:, :, None]
    img[:, -f:] = frame_colour * shade.T[:, ::-1, None]
    tray = int(f * rng.uniform(1.2, 2.0))
    img[h - f - tray:h - f] = frame_colour * 0.7
    img[h - f - tray:h - f - tray + max(1, tray // 6)] = frame_colour * 1.15
    noise = cv2.resize(rng.standard_normal((lo_h, lo_w)).astype(np.float32), (w, h), interpolation=cv2.INTER_NEAREST)
    img += (0.006 if kind == "white" else 0.02) * noise[..., None]
    return img, (2 * f, 2 * f, h - 2 * f - tray, w - 2 * f), h - f - tray


def shaded_disc(r, colour, rng):
    """A round magnet seen from the front: colour, light from the top left, a highlight."""
    side = 2 * r + 1
    y, x = np.mgrid[-r:r + 1, -r:r + 1].astype(np.float32) / max(1, r)
    d = np.sqrt(x * x + y * y)
    alpha = np.clip((1 - d) * r, 0, 1)
    shade = 1 + 0.25 * (-x - y) / 1.4 * d
    spec = 0.5 * np.exp(-((x + 0.35) ** 2 + (y + 0.35) ** 2) / 0.03)
    rgb = np.float32(colour) * shade[..., None] + spec[..., None]
    return alpha.reshape(side, side), np.clip(rgb, 0, 1)


def place_away(rng, area, size, avoid, tries=40):
    """A (top, left) for a size (h, w) box inside area that keeps clear of the avoid box."""
    t0, l0, b0, r0 = area
    h, w = size
    at, al, ab, ar = avoid
    for _ in range(tries):
        top = int(rng.uniform(t0, max(t0 + 1, b0 - h)))
        left = int(rng.uniform(l0, max(l0 + 1, r0 - w)))
        if top + h < at or top > ab or left + w < al or left > ar:
            return top, left
    return None


def drop_shadow(img, alpha, top, left, offset, soft, strength):
    m = int(3 * soft) + 1
    sh = cv2.GaussianBlur(np.pad(alpha, m), (0, 0), max(0.5, soft))
    blend(img, sh * strength, (0.0, 0.0, 0.0), top + offset[0] - m, left + offset[1] - m)


def board_objects(img, kind, area, tray_y, avoid, rng):
    """Magnets, an eraser and pens (whiteboard) or chalk sticks and a felt eraser (chalkboard)."""
    h = img.shape[0]
    t, l, b, r = avoid
    m = int(0.04 * h)
    avoid = (t - m, l - m, b + m, r + m)
    if kind == "white":
        for _ in range(int(rng.integers(0, 4))):
            rad = int(h * rng.uniform(0.01, 0.025))
            a, rgb = shaded_disc(rad, rng.choice([[0.9, 0.2, 0.2], [0.2, 0.4, 0.9], [0.95, 0.8, 0.1],
                                                  [0.2, 0.7, 0.3], [0.15, 0.15, 0.15]]), rng)
            spot = place_away(rng, area, a.shape, avoid)
            if spot:
                drop_shadow(img, a, *spot, (rad // 5, rad // 5), rad / 4, 0.35)
                blend(img, a, rgb, *spot)
    # An eraser: on the board or on the tray.
    if rng.random() < 0.7:
        ew = int(h * rng.uniform(0.10, 0.16))
        eh = int(ew * rng.uniform(0.35, 0.45))
        body = np.float32(rng.choice([[0.15, 0.15, 0.17], [0.2, 0.3, 0.6], [0.5, 0.35, 0.2], [0.7, 0.7, 0.72]]))
        felt = np.float32([0.35, 0.35, 0.36]) if kind == "white" else np.float32([0.8, 0.8, 0.78])
        rgb = np.empty((eh, ew, 3), np.float32)
        rgb[...] = body * np.linspace(1.2, 0.8, eh, dtype=np.float32)[:, None, None]
        rgb[int(0.75 * eh):] = felt
        alpha = np.ones((eh, ew), np.float32)
        if rng.random() < 0.5:
            spot = (tray_y - eh + max(1, eh // 5), int(rng.uniform(area[1], area[3] - ew)))
            if spot[1] + ew > avoid[1] and spot[1] < avoid[3] and spot[0] + eh > avoid[0]:
                spot = None
        else:
            spot = place_away(rng, area, (eh, ew), avoid)
        if spot:
            drop_shadow(img, alpha, *spot, (eh // 8, eh // 10), eh / 8, 0.4)
            blend(img, alpha, rgb, *spot)
    # Pens or chalk sticks lying on the tray.
    for _ in range(int(rng.integers(0, 3))):
        if kind == "white":
            pl, pw = int(h * rng.uniform(0.10, 0.14)), int(h * rng.uniform(0.012, 0.018))
            colour = np.float32(rng.choice([[0.1, 0.1, 0.1], [0.8, 0.1, 0.1], [0.1, 0.2, 0.7], [0.1, 0.5, 0.2]]))
            rgb = np.empty((pw, pl, 3), np.float32)
            rgb[...] = 0.92
            rgb[:, :int(0.3 * pl)] = colour
        else:
            pl, pw = int(h * rng.uniform(0.04, 0.08)), int(h * rng.uniform(0.008, 0.012))
            rgb = np.empty((pw, pl, 3), np.float32)
            rgb[...] = rng.choice([[0.95, 0.95, 0.92], [0.95, 0.9, 0.5], [0.9, 0.7, 0.75]])
        rgb *= (1.15 - 0.35 * np.abs(np.linspace(-1, 1, pw, dtype=np.float32)))[:, None, None]
        alpha = np.ones((pw, pl), np.float32)
        left = int(rng.uniform(area[1], area[3] - pl))
        top = tray_y - pw - 1
        if top > avoid[2] or left + pl < avoid[1] or left > avoid[3]:
            blend(img, alpha, rgb, top, left)


def board_photo(cov, kind, rng, size, rel_height):
    """A photo of a whiteboard ("white") or chalkboard ("chalk") with cov written on it."""
    h, w = size
    img, area, tray_y = board_surface(kind, h, w, rng)
    dh = int(rel_height * h)
    c = to_height(cov, dh)
    if c.shape[1] > 0.8 * (area[3] - area[1]):
        c = to_height(cov, int(dh * 0.8 * (area[3] - area[1]) / c.shape[1]))
    ch, cw = c.shape
    if kind == "white":
        alpha = marker_alpha(c, rng)
        colour = rng.choice([[0.08, 0.08, 0.1], [0.1, 0.2, 0.6], [0.75, 0.1, 0.12], [0.1, 0.45, 0.2],
                             [0.1, 0.08, 0.3]])
    else:
        alpha = chalk_alpha(c, rng)
        colour = rng.choice([[0.93, 0.93, 0.9], [0.93, 0.93, 0.9], [0.95, 0.9, 0.55], [0.9, 0.7, 0.75],
                             [0.7, 0.85, 0.95]])
    for _ in range(10):
        top = int(rng.uniform(area[0] + 0.05 * h, max(area[0] + 0.05 * h + 1, area[2] - ch - 0.05 * h)))
        left = int(rng.uniform(area[1] + 0.05 * h, max(area[1] + 0.05 * h + 1, area[3] - cw - 0.05 * h)))
        box = (top, left, top + ch, left + cw)
        zoom = (0.85, 1.15) if kind == "white" else (0.9, 1.2)
        seed = int(rng.integers(1 << 30))
        _, M = perspective(np.zeros((h, w), np.uint8), np.random.default_rng(seed), 0.08, zoom)
        if inside_after(M, box, (h, w)):
            break
    blend(img, alpha, colour, top, left)
    board_objects(img, kind, area, tray_y, box, rng)
    wall = rng.choice([[0.85, 0.83, 0.78], [0.75, 0.78, 0.8], [0.9, 0.9, 0.88]])
    img, _ = perspective(img, np.random.default_rng(seed), 0.08, zoom, border=wall)
    img = light_up(img, rng, gradient=0.2, vignette=rng.uniform(0.05, 0.3),
                   glare=int(rng.integers(1, 4)) if kind == "white" else int(rng.integers(0, 2)),
                   glare_strength=rng.uniform(0.15, 0.4) if kind == "white" else rng.uniform(0.04, 0.1))
    return camera(img, rng)


# --- Small photos of stamped, engraved and painted marks --------------------------

def surface(kind, h, w, rng):
    """Brushed metal, plastic or wood: an (h, w, 3) image and whether it is metal."""
    if kind == "metal":
        base = np.float32(rng.choice([[0.20, 0.35, 0.62], [0.58, 0.60, 0.63], [0.70, 0.55, 0.30],
                                      [0.55, 0.15, 0.15], [0.16, 0.16, 0.18], [0.25, 0.5, 0.35]]))
        brushed = smooth_noise((h, w), max(1.0, h / 150), rng, max(4.0, w / 4))
        tex = 0.85 + 0.25 * brushed + 0.08 * (smooth_noise((h, w), max(1.0, h / 60), rng) - 0.5)
    elif kind == "plastic":
        base = np.float32(rng.choice([[0.85, 0.85, 0.82], [0.1, 0.1, 0.12], [0.9, 0.75, 0.1], [0.15, 0.3, 0.7],
                                      [0.8, 0.2, 0.15], [0.3, 0.6, 0.3]]))
        tex = 0.95 + 0.1 * fbm((h, w), max(2.0, h / 6), rng) + 0.04 * (rng.random((h, w)).astype(np.float32) - 0.5)
    else:
        base = np.float32(rng.choice([[0.62, 0.45, 0.28], [0.45, 0.30, 0.18], [0.75, 0.62, 0.45]]))
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        warp = 6 * fbm((h, w), h / 3, rng)
        grain = 0.5 + 0.5 * np.sin((x / max(1.0, w / 25)) + warp + 2 * np.sin(y / max(1.0, h / 2)))
        tex = 0.8 + 0.25 * grain + 0.05 * (smooth_noise((h, w), 2, rng) - 0.5)
    return base * tex[..., None], kind == "metal"


def relief(mask, depth, light, stroke):
    """Shading of a mark pressed into (depth < 0) or raised from (depth > 0) a surface:
    the slope of the smoothed mark lit from the direction `light`."""
    height = cv2.GaussianBlur(mask, (0, 0), max(0.8, stroke * 0.35)) * depth
    gy, gx = np.gradient(height)
    slope = -(gx * light[0] + gy * light[1])
    return slope / (np.abs(slope).max() + 1e-6)


def lit(img, slope, shade=0.6, shine=0.0):
    """Light on a relief: darker on slopes that face away, brighter (and a highlight
    of strength shine) on those that face the light."""
    img *= (1 + shade * slope)[..., None]
    if shine:
        img += (shine * np.clip(slope, 0, 1) ** 2)[..., None]


def stamped_photo(cov, rng, style):
    """A small photo (40-160 px tall) of a mark on a surface; style one of
    pressed, raised, engraved, painted. RGB uint8."""
    out_h = int(rng.integers(40, 161))
    out_w = int(out_h * rng.uniform(0.7, 1.35))
    s = max(2, int(math.ceil(320 / out_h)))
    h, w = out_h * s, out_w * s
    kind = rng.choice(["metal", "metal", "plastic", "wood"]) if style != "painted" else rng.choice(
        ["metal", "plastic", "wood"])
    img, metal = surface(kind, h, w, rng)
    gh = int(h * rng.uniform(0.5, 0.8))
    c = to_height(cov, gh)
    if c.shape[1] > 0.85 * w:
        c = to_height(cov, int(gh * 0.85 * w / c.shape[1]))
    mask = np.zeros((h, w), np.float32)
    top = (h - c.shape[0]) // 2 + int(rng.uniform(-0.08, 0.08) * h)
    left = (w - c.shape[1]) // 2 + int(rng.uniform(-0.08, 0.08) * w)
    top, left = max(0, min(h - c.shape[0], top)), max(0, min(w - c.shape[1], left))
    mask[top:top + c.shape[0], left:left + c.shape[1]] = c
    a = rng.uniform(0, 2 * math.pi)
    light = (math.cos(a), math.sin(a))
    stroke = max(2.0, 0.06 * gh)
    if style in ("pressed", "raised", "engraved"):
        depth = -1.0 if style != "raised" else 1.0
        if style == "engraved":  # a cut shows the darker material below
            img *= (1 - rng.uniform(0.35, 0.65) * mask)[..., None]
        elif rng.random() < 0.5:  # dirt in a stamped mark, or a worn top on a raised one
            img *= (1 + rng.uniform(-0.2, 0.15) * mask)[..., None]
        lit(img, relief(mask, depth, light, stroke), rng.uniform(0.4, 0.7),
            rng.uniform(0.1, 0.35) if kind != "wood" else 0.0)
    else:
        wear = smooth_noise((h, w), max(2.0, h / 25), rng)
        alpha = mask * np.clip((wear - rng.uniform(0.0, 0.15)) * 6, 0, 1) * rng.uniform(0.85, 1.0)
        colour = rng.choice([[0.95, 0.95, 0.92], [0.95, 0.85, 0.1], [0.08, 0.08, 0.08], [0.85, 0.1, 0.1]])
        colour = np.float32(colour) * (0.9 + 0.2 * smooth_noise((h, w), max(2.0, h / 10), rng))[..., None]
        blend(img, alpha, colour, 0, 0)
        lit(img, relief(mask, 1.0, light, stroke * 0.3), 0.1)
    # Light across the piece; a sheen on metal.
    img = light_up(img, rng, gradient=0.4, vignette=rng.uniform(0, 0.3),
                   glare=1 if metal else 0, glare_strength=rng.uniform(0.1, 0.35), streaks=False)
    img, _ = perspective(img, rng, 0.04, (1.0, 1.1), border=tuple(float(v) for v in img[h // 2, 2]))
    img = cv2.resize(img, (out_w, out_h), interpolation=cv2.INTER_AREA)
    return camera(img, rng, blur=(0.2, 0.8), noise=(0.01, 0.035))


def save_small(img8, path_stem, rng):
    """PNG, RGBA PNG (as phones' screenshots and web uploads come) or JPEG."""
    r = rng.random()
    if r < 0.4:
        Image.fromarray(img8).save(path_stem + ".png")
    elif r < 0.6:
        Image.fromarray(img8).convert("RGBA").save(path_stem + ".png")
    else:
        Image.fromarray(img8).save(path_stem + ".jpg", quality=int(rng.integers(60, 93)))


# --- Seven-segment displays ---------------------------------------------------------

def segment_display(label, font_path, rng):
    """A photo of a device's display showing one digit on seven segments."""
    font = ImageFont.truetype(font_path, 200)
    cell = font.getbbox("8")  # every digit sits in the 8's cell, so unlit segments line up
    m = 40
    size = (cell[2] - cell[0] + 2 * m, cell[3] - cell[1] + 2 * m)
    lit_img, ghost_img = Image.new("L", size, 0), Image.new("L", size, 0)
    ImageDraw.Draw(lit_img).text((m - cell[0], m - cell[1]), label, font=font, fill=255)
    ImageDraw.Draw(ghost_img).text((m - cell[0], m - cell[1]), "8", font=font, fill=255)
    lit_cov, ghost_cov = (np.asarray(i, np.float32) / 255.0 for i in (lit_img, ghost_img))
    out_h = int(rng.integers(200, 1201))
    out_w = int(out_h * rng.uniform(0.9, 1.6))
    img = np.empty((out_h, out_w, 3), np.float32)
    img[...] = rng.choice([[0.15, 0.15, 0.16], [0.8, 0.78, 0.72], [0.9, 0.9, 0.9], [0.3, 0.32, 0.35]])
    img *= (0.92 + 0.1 * fbm((out_h, out_w), out_h / 4, rng))[..., None]
    wh = int(out_h * rng.uniform(0.45, 0.75))
    ww = min(int(wh * rng.uniform(0.8, 1.4)), int(0.9 * out_w))
    kind = rng.choice(["lcd", "lcd", "backlit", "led"])
    if kind == "lcd":
        back, seg = np.float32(rng.choice([[0.62, 0.66, 0.56], [0.7, 0.72, 0.68]])), np.float32([0.08, 0.1, 0.08])
    elif kind == "backlit":
        back, seg = np.float32(rng.choice([[0.2, 0.45, 0.95], [0.45, 0.85, 0.3], [0.95, 0.55, 0.15]])), np.float32(
            [0.05, 0.05, 0.1])
    else:
        back, seg = np.float32([0.04, 0.03, 0.03]), np.float32(rng.choice([[1.0, 0.15, 0.1], [0.2, 1.0, 0.3],
                                                                       [1.0, 0.6, 0.1], [0.4, 0.7, 1.0]]))
    window = np.empty((wh, ww, 3), np.float32)
    window[...] = back * (0.9 + 0.15 * smooth_noise((wh, ww), wh / 2, rng))[..., None]
    gh = int(wh * rng.uniform(0.6, 0.85))
    scale = gh / lit_cov.shape[0]
    gw = max(2, int(lit_cov.shape[1] * scale))
    if gw > 0.9 * ww:
        gh, gw = int(gh * 0.9 * ww / gw), int(0.9 * ww)
    lit_c = cv2.resize(lit_cov, (gw, gh), interpolation=cv2.INTER_AREA)
    ghost_c = cv2.resize(ghost_cov, (gw, gh), interpolation=cv2.INTER_AREA)
    t, l = (wh - gh) // 2, (ww - gw) // 2 + int(rng.uniform(-0.05, 0.05) * ww)
    if kind != "led":  # unlit segments show faintly; lit ones cast a shadow on the reflector
        blend(window, ghost_c * rng.uniform(0.04, 0.12), seg, t, l)
        off = max(1, gh // 60)
        blend(window, cv2.GaussianBlur(lit_c, (0, 0), off) * 0.25, (0, 0, 0), t + off, l + off)
        blend(window, lit_c * rng.uniform(0.8, 0.95), seg, t, l)
    else:
        blend(window, ghost_c * rng.uniform(0.03, 0.08), seg, t, l)
        glow = np.zeros((wh, ww), np.float32)
        glow[t:t + gh, l:l + gw] = lit_c[:wh - t, :ww - l]
        window += (cv2.GaussianBlur(glow, (0, 0), max(1.0, gh / 30)) * rng.uniform(0.3, 0.7))[..., None] * seg
        blend(window, lit_c, np.minimum(seg * 1.1 + 0.25, 1.0), t, l)
    top, left = (out_h - wh) // 2 + int(rng.uniform(-0.1, 0.1) * out_h), (out_w - ww) // 2
    top = max(0, min(out_h - wh, top))
    bezel = max(2, wh // 30)
    img[top - bezel:top + wh + bezel, left - bezel:left + ww + bezel] *= 0.6
    img[top:top + wh, left:left + ww] = window
    img = light_up(img, rng, 0.3, 0.25, glare=int(rng.integers(0, 2)), glare_strength=0.25, streaks=False)
    return snap(img, rng, 0.06, (1.0, 1.1), tuple(float(v) for v in img[2, 2]), blur=(0.3, 1.2))
