"""Scenes of the sixth held-out set (scripts/make-heldout-set6.py), painted afresh: a
notebook page seen tilted away under a lamp, a marker digit photographed badly, a
print or brush digit on a mug, bottle or tin, chalk on asphalt, and the non-digit marks
drawn in those settings (the chat screenshots are scripts/lib/heldout_chat6.py's). Pictures are float32 RGB in
[0, 1] until a scene returns uint8; a coverage map is float32 (h, w), 1 = ink. Every
function draws only from the numpy Generator it is given.
"""

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from heldout_render import H, blend, chalk_alpha, fbm, smooth_noise, to_height

# Frames a camera gives, (height, width): from a 320 px crop to 12 MP.
PHOTO_SIZES = ((320, 320), (320, 427), (480, 640), (600, 800), (960, 1280), (1512, 2016), (2268, 3024),
               (3000, 4000))
WORK_SIDE = 1600  # scenes are painted with at most this long a side, then scaled to the frame


def pick(rng, seq):
    return seq[int(rng.integers(0, len(seq)))]


def photo_frame(rng):
    """A photo's (height, width): landscape, or portrait one time in three."""
    h, w = pick(rng, PHOTO_SIZES)
    return (w, h) if rng.random() < 0.33 else (h, w)


def work_frame(frame):
    """The frame scaled down to at most WORK_SIDE on its long side."""
    s = min(1.0, WORK_SIDE / max(frame))
    return int(round(frame[0] * s)), int(round(frame[1] * s))


def to_frame(img, frame):
    """The painted picture scaled to the photo's frame."""
    h, w = frame
    interp = cv2.INTER_AREA if h < img.shape[0] else cv2.INTER_CUBIC
    return cv2.resize(img, (w, h), interpolation=interp)


def sensor(img, rng, luma=(0.006, 0.02), chroma=(0.0, 0.008)):
    """Sensor noise on the final frame, grey and coloured (a phone's high ISO blotches);
    uint8 out."""
    h, w = img.shape[:2]
    img = img + rng.standard_normal((h, w, 1), dtype=np.float32) * np.float32(rng.uniform(*luma))
    c = rng.uniform(*chroma)
    if c > 0:
        lo = rng.standard_normal((max(2, h // 2), max(2, w // 2), 3), dtype=np.float32)
        img += cv2.resize(lo, (w, h), interpolation=cv2.INTER_LINEAR) * np.float32(c)
    return np.uint8(np.clip(img, 0, 1) * 255 + 0.5)


# --- Strokes ---------------------------------------------------------------------

def pen_redraw(cov, width, thinning=cv2.ximgproc.THINNING_ZHANGSUEN):
    """The ink's centre line drawn again with a round pen `width` px wide (Guo-Hall
    thinning keeps a thin 45-degree stroke that Zhang-Suen, the sixth set's, can erase)."""
    skel = cv2.ximgproc.thinning(np.uint8(cov > 0.5) * 255, thinningType=thinning)
    m = int(width) + 2
    dist = cv2.distanceTransform(255 - np.pad(skel, m), cv2.DIST_L2, 5)
    return np.clip(width / 2 - dist + 0.5, 0, 1).astype(np.float32)


def arc_pts(cx, cy, rx, ry, a0, a1, n=28):
    return [(cx + rx * math.cos(a0 + (a1 - a0) * t / n), cy + ry * math.sin(a0 + (a1 - a0) * t / n))
            for t in range(n + 1)]


def shaky(paths, rng, amount):
    """Paths as a hand draws them: each point nudged, the nudges smooth along a path."""
    out = []
    for p in paths:
        p = np.float32(p)
        walk = np.cumsum(rng.normal(0, amount, p.shape), axis=0).astype(np.float32)
        walk -= np.linspace(0, 1, len(p), dtype=np.float32)[:, None] * walk[-1]
        out.append(p + walk * 0.5 + rng.normal(0, amount * 0.3, p.shape).astype(np.float32))
    return out


def paths_cov(paths, size, width):
    """Polylines in the unit square drawn `width` px wide on a size-px square, cropped to the ink."""
    m = int(width) + 4
    canvas = np.zeros((size + 2 * m, size + 2 * m), np.uint8)
    for p in paths:
        pts = np.int32(np.round((np.float32(p) * size + m) * 16))
        cv2.polylines(canvas, [pts], False, 255, max(1, int(round(width))), cv2.LINE_AA, shift=4)
    return H.crop_to_ink(canvas.astype(np.float32) / 255.0)


def text_cov(text, font_path, px):
    """Text in a font at px pixels, cropped to the ink."""
    font = ImageFont.truetype(font_path, px)
    l, t, r, b = font.getbbox(text)
    img = Image.new("L", (r - l + px, b - t + px), 0)
    ImageDraw.Draw(img).text((px // 2 - l, px // 2 - t), text, font=font, fill=255)
    return H.crop_to_ink(np.asarray(img, np.float32) / 255.0)


# --- A tilted plane in front of the camera ------------------------------------------

def plane_points(pts, size, tilt, yaw, distance):
    """Where points (x, y) of a flat picture of size (h, w) fall when the picture is
    tilted `tilt` degrees away about its middle row (its top further off), turned `yaw`
    degrees about its middle column, and seen from `distance` picture heights: image
    coordinates up to a scale, centred on the picture's middle."""
    h, w = size
    p = np.float32(pts)
    x, y = p[:, 0] - w / 2, (h / 2 - p[:, 1])
    t, a = math.radians(tilt), math.radians(yaw)
    z = distance * h + y * math.sin(t) + x * math.sin(a)
    f = distance * h
    return np.stack([f * x * math.cos(a) / z, -f * y * math.cos(t) / z], axis=1)


def place_plane(flat, frame, rng, tilt, yaw, distance, target, target_height, spin=8.0, background=None,
                border=cv2.BORDER_CONSTANT):
    """The flat picture seen tilted (plane_points), turned in the frame by up to `spin`
    degrees, scaled so the box `target` (top, left, bottom, right) on it is
    target_height of the frame tall (at most 0.85 of its width wide) and centred near
    the middle. Returns the picture (on background, or black; past its edges as
    `border` says), the picture's coverage and the target's corners in the frame."""
    h, w = flat.shape[:2]
    fh, fw = frame
    corners = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    t, l, b, r = target
    box = np.float32([[l, t], [r, t], [r, b], [l, b]])
    pc, pb = plane_points(corners, (h, w), tilt, yaw, distance), plane_points(box, (h, w), tilt, yaw, distance)
    a = math.radians(rng.uniform(-spin, spin))
    rot = np.float32([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    pc, pb = pc @ rot.T, pb @ rot.T
    s = min(target_height * fh / (pb[:, 1].max() - pb[:, 1].min()), 0.85 * fw / (pb[:, 0].max() - pb[:, 0].min()))
    pc, pb = pc * s, pb * s
    span = pb.max(axis=0) - pb.min(axis=0)
    room = np.maximum(0, np.float32([fw, fh]) * 0.9 - span) / 2
    centre = np.float32([fw / 2, fh / 2]) + rng.uniform(-1, 1, 2).astype(np.float32) * room * 0.6
    shift = centre - (pb.max(axis=0) + pb.min(axis=0)) / 2
    pc, pb = pc + shift, pb + shift
    M = cv2.getPerspectiveTransform(corners, np.float32(pc))
    out = cv2.warpPerspective(flat, M, (fw, fh), flags=cv2.INTER_LINEAR, borderMode=border)
    mask = cv2.warpPerspective(np.ones((h, w), np.float32), M, (fw, fh), flags=cv2.INTER_LINEAR)
    if background is not None:
        out = background * (1 - mask[..., None]) + out * mask[..., None]
    return out, mask, pb


# --- Surfaces --------------------------------------------------------------------

def desk(shape, rng):
    """A desk or table top: wood with its grain, or a plain laminate."""
    h, w = shape
    if rng.random() < 0.6:
        base = np.float32(pick(rng, ([0.45, 0.3, 0.18], [0.6, 0.45, 0.3], [0.3, 0.2, 0.13], [0.7, 0.58, 0.42])))
        grain = smooth_noise((h, w), max(2.0, h / 60), rng, max(8.0, w / 3))
        streak = smooth_noise((h, w), max(1.5, h / 200), rng, max(6.0, w / 6))
        tone = 0.8 + 0.25 * grain + 0.12 * streak
    else:
        base = np.float32(pick(rng, ([0.85, 0.85, 0.83], [0.25, 0.26, 0.28], [0.55, 0.6, 0.62])))
        tone = 0.93 + 0.07 * fbm((h, w), max(4.0, h / 8), rng)
    return base * tone[..., None]


def paper(shape, rng, tint=None):
    """A sheet of paper: its tint and a faint fibre."""
    h, w = shape
    tint = np.float32(tint if tint is not None else pick(rng, ([0.97, 0.96, 0.93], [0.95, 0.95, 0.95],
                                                               [0.96, 0.94, 0.88])))
    fibre = 0.985 + 0.03 * fbm((h, w), max(2.0, h / 80), rng)
    return tint * fibre[..., None]


def lamp_light(img, rng, warm=True, fall=(0.35, 0.6)):
    """A lamp off to one side: bright near it, falling to `fall` of that across the
    picture, warm (yellow-orange) where warm."""
    h, w = img.shape[:2]
    a = rng.uniform(0, 2 * math.pi)
    lx, ly = w / 2 + math.cos(a) * w * rng.uniform(0.45, 0.9), h / 2 + math.sin(a) * h * rng.uniform(0.45, 0.9)
    y, x = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    d = np.hypot(x - lx, y - ly) / max(h, w)
    far = rng.uniform(*fall)
    light = far + (1 - far) * np.exp(-(d / rng.uniform(0.5, 0.9)) ** 2 * 2.5)
    light = cv2.resize(light / light.max(), (w, h), interpolation=cv2.INTER_LINEAR)
    colour = np.float32([1.0, rng.uniform(0.8, 0.9), rng.uniform(0.55, 0.72)]) if warm else np.float32([1, 1, 1])
    return img * (light[..., None] * colour) * np.float32(rng.uniform(1.0, 1.15))


# --- perspective-notebook -------------------------------------------------------------

PENCIL = np.float32([0.28, 0.28, 0.31])
GEL_INKS = ([0.06, 0.1, 0.45], [0.07, 0.07, 0.09], [0.32, 0.08, 0.42], [0.05, 0.3, 0.2], [0.55, 0.05, 0.12])


def notebook_page(cov, rng, tool):
    """A notebook page (dotted or blank) with the mark on it: the page and the mark's box."""
    ph = 1300
    pw = int(ph * rng.uniform(0.68, 0.78))
    page = paper((ph, pw), rng, pick(rng, ([0.97, 0.96, 0.92], [0.95, 0.95, 0.94], [0.98, 0.95, 0.86])))
    if rng.random() < 0.65:  # a dot grid, 5 mm apart
        step = pw / rng.uniform(24, 30)
        dot = np.float32(pick(rng, ([0.62, 0.62, 0.66], [0.55, 0.6, 0.72], [0.7, 0.66, 0.6])))
        r = max(1, int(step * 0.07))
        for y in np.arange(step, ph - step / 2, step):
            for x in np.arange(step * 0.8, pw - step / 2, step):
                cv2.circle(page, (int(x), int(y)), r, dot.tolist(), -1, cv2.LINE_AA)
    mh = int(ph * rng.uniform(0.26, 0.4))
    mark = to_height(cov, mh)
    if mark.shape[1] > pw * 0.8:
        mark = to_height(cov, int(mh * pw * 0.8 / mark.shape[1]))
    top = int(ph / 2 - mark.shape[0] / 2 + rng.uniform(-0.12, 0.12) * ph)
    left = int(pw / 2 - mark.shape[1] / 2 + rng.uniform(-0.1, 0.1) * pw)
    if tool == "pencil":  # graphite on the paper's tooth
        tooth = 0.55 + 0.45 * np.clip(rng.standard_normal(mark.shape).astype(np.float32) * 0.5 + 0.6, 0, 1)
        blend(page, np.clip(mark * tooth * rng.uniform(0.7, 0.9), 0, 1), PENCIL, top, left)
    else:
        blend(page, np.clip(mark * rng.uniform(0.88, 0.98), 0, 1), np.float32(pick(rng, GEL_INKS)), top, left)
    return page, (top, left, top + mark.shape[0], left + mark.shape[1])


def notebook_photo(cov, rng, tool):
    """A notebook page tilted 25-50 degrees away (a trapezoid) on a desk under a lamp."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    page, box = notebook_page(cov, rng, tool)
    # The page's edge and its shadow on the desk.
    bg = desk(work, rng)
    flat, mask, _ = place_plane(page, work, rng, rng.uniform(25, 50), rng.uniform(-12, 12),
                                rng.uniform(0.8, 1.4), box, rng.uniform(0.22, 0.42))
    shadow = cv2.GaussianBlur(mask, (0, 0), max(2.0, work[0] / 80))
    shadow = np.roll(shadow, (int(work[0] * 0.01), int(work[1] * 0.008)), axis=(0, 1))
    img = bg * (1 - 0.35 * shadow * (1 - mask))[..., None]
    img = img * (1 - mask[..., None]) + flat * mask[..., None]
    img = lamp_light(img, rng)
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 1.0) * max(1.0, work[0] / 1000))
    return sensor(to_frame(img, frame), rng)


# --- blurred-photo -------------------------------------------------------------------

MARKER_INKS = ([0.05, 0.05, 0.07], [0.05, 0.15, 0.6], [0.7, 0.07, 0.08], [0.05, 0.4, 0.15], [0.25, 0.1, 0.45])


def streak_kernel(length, angle):
    """A motion blur kernel: a line `length` px long at `angle` radians."""
    n = int(math.ceil(length)) | 1
    k = np.zeros((n + 2, n + 2), np.float32)
    c = (n + 1) / 2
    dx, dy = math.cos(angle) * length / 2, math.sin(angle) * length / 2
    cv2.line(k, (int(round((c - dx) * 8)), int(round((c - dy) * 8))), (int(round((c + dx) * 8)),
             int(round((c + dy) * 8))), 1.0, 1, cv2.LINE_AA, shift=3)
    return k / k.sum()


def disc_kernel(radius):
    """A defocus kernel: a disc `radius` px round."""
    r = int(math.ceil(radius))
    y, x = np.mgrid[-r:r + 1, -r:r + 1].astype(np.float32)
    k = np.clip(radius + 0.5 - np.hypot(x, y), 0, 1)
    return k / k.sum()


def blurred_photo(cov, rng, how):
    """A marker mark on paper photographed badly: the camera moved (how "motion", a
    streak 1-4% of the mark's height) or out of focus (how "defocus"), high-ISO colour
    noise; uint8 (saved as JPEG at quality 50-80 by the caller)."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    sheet = paper((1100, int(1100 * rng.uniform(0.7, 1.3))), rng)
    ph, pw = sheet.shape[:2]
    mark = to_height(cov, int(ph * rng.uniform(0.4, 0.6)))
    if mark.shape[1] > pw * 0.8:
        mark = to_height(mark, int(mark.shape[0] * pw * 0.8 / mark.shape[1]))
    top, left = (ph - mark.shape[0]) // 2, (pw - mark.shape[1]) // 2
    top += int(rng.uniform(-0.1, 0.1) * ph)
    left += int(rng.uniform(-0.08, 0.08) * pw)
    dry = 1 - 0.35 * rng.uniform(0, 1) ** 2 * smooth_noise(mark.shape, max(2.0, mark.shape[0] / 25), rng)
    blend(sheet, np.clip(mark * dry, 0, 1), np.float32(pick(rng, MARKER_INKS)), top, left)
    box = (top, left, top + mark.shape[0], left + mark.shape[1])
    height = rng.uniform(0.25, 0.5)
    img, _, corners = place_plane(sheet, work, rng, rng.uniform(0, 18), rng.uniform(-10, 10),
                                  rng.uniform(1.2, 2.5), box, height, spin=10, background=desk(work, rng))
    img = lamp_light(img, rng, warm=rng.random() < 0.4, fall=(0.55, 0.85))
    digit_px = corners[:, 1].max() - corners[:, 1].min()
    if how == "motion":
        img = cv2.filter2D(img, -1, streak_kernel(max(2.0, digit_px * rng.uniform(0.01, 0.04)),
                                                  rng.uniform(0, math.pi)))
    else:
        img = cv2.filter2D(img, -1, disc_kernel(max(1.5, digit_px * rng.uniform(0.02, 0.04))))
    img = to_frame(img, frame)
    scale = max(frame) / 1000
    return sensor(img, rng, luma=(0.02, 0.045), chroma=(0.02, 0.05 / max(1.0, scale ** 0.5)))


# --- curved-label ----------------------------------------------------------------

KITCHEN_WALLS = ([0.92, 0.92, 0.9], [0.85, 0.9, 0.88], [0.9, 0.86, 0.78], [0.78, 0.82, 0.86])


def kitchen(shape, rng):
    """A kitchen: a tiled or painted wall above a counter (wood, marble or speckled
    stone); the counter's back edge row."""
    h, w = shape
    img = np.empty((h, w, 3), np.float32)
    edge = int(h * rng.uniform(0.3, 0.55))
    wall = np.float32(pick(rng, KITCHEN_WALLS))
    img[:edge] = wall * (0.95 + 0.05 * fbm((edge, w), max(4.0, h / 6), rng))[..., None]
    if rng.random() < 0.6:  # tiles with grout lines
        tile = int(h * rng.uniform(0.06, 0.12))
        grout = wall * 0.8
        for y in range(edge - 1, 0, -tile):
            img[max(0, y - 1):y + 1] = grout
            shift = (tile if (edge - y) // tile % 2 else 0)
            for x in range(-shift, w, 2 * tile):
                img[max(0, y - tile):y, max(0, x):max(0, x) + 2] = grout
    counter = np.float32(pick(rng, ([0.55, 0.38, 0.22], [0.9, 0.9, 0.88], [0.35, 0.35, 0.36], [0.75, 0.7, 0.62])))
    ch = h - edge
    kind = rng.random()
    if kind < 0.35:  # wood, grain running along
        tone = 0.8 + 0.3 * smooth_noise((ch, w), max(2.0, ch / 30), rng, max(8.0, w / 2))
    elif kind < 0.7:  # marble: clouds and a few soft veins running one way
        v = smooth_noise((ch, w), max(3.0, ch / 4), rng, max(6.0, w / 2))
        tone = 0.95 + 0.06 * fbm((ch, w), max(4.0, ch / 5), rng) - 0.12 * np.exp(-((v - 0.5) / 0.04) ** 2)
        tone = cv2.GaussianBlur(tone.astype(np.float32), (0, 0), max(1.0, ch / 150))
    else:  # speckled stone
        tone = 0.9 + 0.2 * (rng.random((ch, w)).astype(np.float32) > 0.9) * rng.uniform(-1, 1)
        tone = cv2.GaussianBlur(tone.astype(np.float32), (0, 0), 0.8)
    img[edge:] = counter * tone[..., None] * np.linspace(0.85, 1.05, ch, dtype=np.float32)[:, None, None]
    img[edge:edge + max(2, h // 150)] *= 0.6
    return img, edge


def solid_profile(kind, hgt, radius, rng):
    """The radius of a solid of revolution row by row (a mug, a bottle or a tin) and
    the rows of its painted band (top, bottom)."""
    r = np.full(hgt, float(radius), np.float32)
    if kind == "bottle":
        shoulder, neck = int(hgt * 0.32), int(hgt * 0.16)
        t = np.linspace(0, 1, shoulder - neck, dtype=np.float32)
        r[:neck] = radius * 0.32
        r[neck:shoulder] = radius * (0.32 + 0.68 * (0.5 - 0.5 * np.cos(np.pi * t)))
        return r, (int(hgt * 0.4), int(hgt * 0.9))
    if kind == "tin":
        rim = max(2, hgt // 30)
        r[:rim] = r[-rim:] = radius * 1.02
        return r, (int(hgt * 0.1), int(hgt * 0.9))
    return r, (int(hgt * 0.08), int(hgt * 0.94))


def cylinder_photo(cov, rng, kind, painted):
    """The mark on a mug, a bottle or a tin on a kitchen counter: the band round the
    solid unrolled with the mark near its front, wrapped on (squeezed towards the
    sides, its rows bending as a circle seen from a little above), lit from one side
    with a specular stripe."""
    frame = photo_frame(rng)
    fh, fw = work_frame(frame)
    img, edge = kitchen((fh, fw), rng)
    hgt = int(fh * (rng.uniform(0.7, 0.88) if kind == "bottle" else rng.uniform(0.5, 0.8)))
    aspect = {"mug": (0.75, 1.0), "bottle": (0.4, 0.48), "tin": (0.6, 0.8)}[kind]
    radius = min(hgt * rng.uniform(*aspect) / 2, fw * 0.4)
    prof, (b0, b1) = solid_profile(kind, hgt, radius, rng)
    circumference = int(2 * math.pi * radius)
    body = np.float32(pick(rng, {"mug": ([0.95, 0.95, 0.93], [0.75, 0.12, 0.12], [0.15, 0.3, 0.6],
                                         [0.95, 0.8, 0.2], [0.12, 0.12, 0.13], [0.5, 0.7, 0.55]),
                                 "bottle": ([0.15, 0.35, 0.15], [0.4, 0.22, 0.08], [0.75, 0.8, 0.8]),
                                 "tin": ([0.72, 0.73, 0.75],)}[kind]))
    band = np.float32(pick(rng, ([0.96, 0.95, 0.9], [0.9, 0.2, 0.15], [0.98, 0.85, 0.3], [0.2, 0.45, 0.75],
                                 [0.95, 0.95, 0.95]))) if kind != "mug" else body
    ink = np.float32([0.08, 0.08, 0.1]) if band.mean() > 0.55 else np.float32([0.97, 0.96, 0.92])
    if kind == "mug" and rng.random() < 0.4:
        ink = np.float32(pick(rng, ([0.8, 0.1, 0.1], [0.1, 0.25, 0.6]))) if band.mean() > 0.55 else ink
    # The unrolled band, the mark at its front (u = circumference / 2, give or take 20 degrees).
    bh = b1 - b0
    sheet = np.empty((bh, circumference, 3), np.float32)
    sheet[...] = band
    if kind != "mug" and rng.random() < 0.6:  # a stripe along the band's edge
        stripe = max(2, bh // 14)
        sheet[:stripe] = sheet[-stripe:] = np.float32(pick(rng, ([0.1, 0.1, 0.1], [0.7, 0.1, 0.1], [0.9, 0.7, 0.1])))
    mh = int(bh * rng.uniform(0.45, 0.7))
    mark = to_height(cov, mh)
    widest = radius * (1.3 if kind == "bottle" else 1.1)  # about 35 degrees either side of the front
    if mark.shape[1] > widest:
        mark = to_height(cov, int(mh * widest / mark.shape[1]))
    alpha = mark if not painted else np.clip(mark * (1 - 0.3 * smooth_noise(mark.shape, 6, rng, 40)), 0, 1)
    centre = circumference / 2 + radius * math.radians(rng.uniform(-20, 20))
    blend(sheet, alpha, ink, (bh - mark.shape[0]) // 2 + int(rng.uniform(-0.08, 0.08) * bh),
          int(centre - mark.shape[1] / 2))
    # Where the solid stands, and its shadow on the counter.
    cx = fw / 2 + rng.uniform(-1, 1) * max(0.0, fw / 2 - radius * 1.5)
    bottom = min(fh - 2, max(edge + int(0.12 * fh), int(fh * rng.uniform(0.82, 0.95))))
    top = bottom - hgt
    ell = radius * rng.uniform(0.08, 0.18)  # a circle's half height seen from a little above
    light = rng.uniform(-0.9, 0.9)
    shadow = np.zeros((fh, fw), np.float32)
    cv2.ellipse(shadow, (int(cx + radius * 0.3 * -np.sign(light)), int(bottom)), (int(radius * 1.3), int(ell * 1.4)),
                0, 0, 360, 1.0, -1)
    shadow = cv2.GaussianBlur(shadow, (0, 0), max(2.0, radius / 6))
    img *= (1 - 0.45 * shadow)[..., None]
    if kind == "mug":  # the handle, beside the body
        side = pick(rng, (-1, 1))
        hx = int(cx + side * radius * 0.98)
        cv2.ellipse(img, (hx, int(top + hgt * 0.48)), (int(radius * 0.42), int(hgt * 0.28)), 0, -90, 90
                    if side > 0 else 270, (body * 0.8).tolist(), max(3, int(radius * 0.14)), cv2.LINE_AA)
    ys, xs = np.mgrid[0:fh, 0:fw].astype(np.float32)
    row = np.clip(ys - top, 0, hgt - 1).astype(np.int32)
    r = prof[row]
    xr = (xs - cx) / r
    inside = (np.abs(xr) < 1) & (ys >= top) & (ys < bottom + ell * np.sqrt(np.clip(1 - xr * xr, 0, 1)))
    phi = np.arcsin(np.clip(xr, -1, 1))
    v = ys - top - ell * np.cos(phi)  # rows bend down at the front
    colour = np.empty((fh, fw, 3), np.float32)
    colour[...] = body
    in_band = inside & (v >= b0) & (v < b1)
    mapx = (circumference / 2 + phi * radius).astype(np.float32)
    mapy = (v - b0).astype(np.float32)
    wrapped = cv2.remap(sheet, mapx, mapy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    colour[in_band] = wrapped[in_band]
    shade = 0.45 + 0.6 * np.clip(np.cos(phi - light), 0, 1)
    spot = light * 0.6 + rng.uniform(-0.15, 0.15)
    width = rng.uniform(0.05, 0.12)
    shine = rng.uniform(0.35, 0.8) * np.exp(-((phi - spot) / width) ** 2)
    lit = colour * shade[..., None] + shine[..., None] * (1.2 if kind == "tin" else 1.0)
    edge_soft = np.clip((1 - np.abs(xr)) * r / 1.5, 0, 1) * inside
    img = img * (1 - edge_soft[..., None]) + lit * edge_soft[..., None]
    # The opening or lid: an ellipse on top.
    lid = np.float32(body * 0.55) if kind == "mug" else np.float32([0.6, 0.6, 0.62])
    cv2.ellipse(img, (int(cx), int(top + ell * (prof[0] / radius))), (int(prof[0]), int(ell * prof[0] / radius)),
                0, 0, 360, lid.tolist(), -1, cv2.LINE_AA)
    if kind == "bottle":  # a cap
        cap_w = int(prof[0] * 1.05)
        cv2.rectangle(img, (int(cx - cap_w), int(top - hgt * 0.05)), (int(cx + cap_w), int(top + ell)),
                      pick(rng, ([0.8, 0.1, 0.1], [0.85, 0.75, 0.2], [0.2, 0.2, 0.2])), -1)
    img = lamp_light(img, rng, warm=rng.random() < 0.5, fall=(0.6, 0.9))
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 1.0) * max(1.0, fh / 1000))
    return sensor(to_frame(img, frame), rng)


# --- hopscotch -----------------------------------------------------------------------

CHALKS = ([0.96, 0.96, 0.93], [0.98, 0.6, 0.75], [0.98, 0.92, 0.45], [0.55, 0.78, 0.98], [0.6, 0.95, 0.6],
          [0.98, 0.7, 0.45])


def asphalt(shape, rng):
    """Asphalt: grey binder, pale and dark stones, a few cracks and a stain."""
    h, w = shape
    base = rng.uniform(0.26, 0.42)
    tone = base * (0.85 + 0.3 * fbm((h, w), max(4.0, h / 10), rng))
    grit = rng.random((h, w)).astype(np.float32)
    tone = tone + 0.18 * (grit > 0.93) * rng.uniform(0.5, 1.0) - 0.1 * (grit < 0.05)
    stones = np.zeros((h, w), np.float32)
    for _ in range(int(h * w / 4000)):
        r = rng.uniform(1.0, max(1.5, h / 300))
        cv2.circle(stones, (int(rng.uniform(0, w)), int(rng.uniform(0, h))), int(r), float(rng.uniform(-0.12, 0.2)),
                   -1, cv2.LINE_AA)
    tone = cv2.GaussianBlur(tone + stones, (0, 0), 0.7)
    img = np.float32([1.0, 0.99, 0.97]) * tone[..., None]
    cracks = np.zeros((h, w), np.float32)
    for _ in range(int(rng.integers(0, 4))):
        p = np.float32([rng.uniform(0, w), rng.uniform(0, h)])
        a = rng.uniform(0, 2 * math.pi)
        pts = []
        for _ in range(int(rng.integers(10, 40))):
            a += rng.normal(0, 0.4)
            p = p + np.float32([math.cos(a), math.sin(a)]) * h * 0.02
            pts.append(p.copy())
        cv2.polylines(cracks, [np.int32(pts)], False, 1.0, max(1, h // 400), cv2.LINE_AA)
    # None in the middle, where the chalk goes: a crack through a stroke would be one more stroke.
    y, x = np.ogrid[0:h, 0:w]
    middle = np.maximum(np.abs(y / h - 0.5), np.abs(x / w - 0.5))
    img *= (1 - 0.75 * cracks * np.clip((middle - 0.3) / 0.05, 0, 1))[..., None]
    if rng.random() < 0.4:  # a dark stain
        stain = np.zeros((h, w), np.float32)
        cv2.ellipse(stain, (int(rng.uniform(0, w)), int(rng.uniform(0, h))), (int(h * 0.15), int(h * 0.09)),
                    rng.uniform(0, 180), 0, 360, 1.0, -1)
        stain = cv2.GaussianBlur(stain, (0, 0), h / 40)
        img *= (1 - 0.3 * stain)[..., None]
    return img, tone


def chalk_on(img, tone, cov, colour, top, left, rng):
    """Chalk laid on the ground: grainy, skipping the ground's hollows."""
    alpha = chalk_alpha(cov, rng)
    h, w = cov.shape
    t0, l0 = max(0, top), max(0, left)
    t1, l1 = min(img.shape[0], top + h), min(img.shape[1], left + w)
    if t1 <= t0 or l1 <= l0:
        return
    rough = tone[t0:t1, l0:l1]
    a = alpha[t0 - top:t1 - top, l0 - left:l1 - left] * np.clip(0.55 + 1.5 * (rough - rough.mean()) + 0.3, 0, 1)
    blend(img, a, colour, t0, l0)


def hopscotch_photo(cov, rng, with_box=True):
    """The mark chalked on asphalt inside a chalk box (and the edges of the court's
    next boxes, empty), seen from standing height: the ground tilted 10-25 degrees."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    gh, gw = 1400, 1400
    ground, tone = asphalt((gh, gw), rng)
    bs = int(gh * rng.uniform(0.32, 0.42))  # the box's side
    mh = int(bs * rng.uniform(0.55, 0.72))
    mark = to_height(cov, mh)
    if mark.shape[1] > bs * 0.8:
        mark = to_height(cov, int(mh * bs * 0.8 / mark.shape[1]))
    top, left = (gh - mark.shape[0]) // 2, (gw - mark.shape[1]) // 2
    box = (top, left, top + mark.shape[0], left + mark.shape[1])
    if with_box:  # the court's lines: this box and its neighbours, empty
        lines = np.zeros((gh, gw), np.float32)
        bt, bl = gh // 2 - bs // 2 + int(rng.uniform(-0.06, 0.06) * bs), gw // 2 - bs // 2
        lw = max(3, int(bs * rng.uniform(0.025, 0.04)))
        for dy, dx in ((0, 0), (-1, 0), (1, 0), (-1, -0.5), (-1, 0.5)):
            if (dy, dx) != (0, 0) and rng.random() < 0.5:
                continue
            x0, y0 = int(bl + dx * bs), int(bt + dy * bs)
            cv2.rectangle(lines, (x0, y0), (x0 + bs, y0 + bs), 1.0, lw, cv2.LINE_AA)
        wob = (smooth_noise((gh, gw), gh / 8, rng) - 0.5) * lw * 1.5
        gy, gx = np.mgrid[0:gh, 0:gw].astype(np.float32)
        lines = cv2.remap(lines, gx + wob, gy - wob, cv2.INTER_LINEAR)
        chalk_on(ground, tone, lines, np.float32(pick(rng, CHALKS)), 0, 0, rng)
    # The court goes on past the painted patch: the ground mirrored round it (its empty
    # boxes with it), before the mark is chalked in the middle.
    m = gh // 2
    ground, tone = np.pad(ground, ((m, m), (m, m), (0, 0)), mode="reflect"), np.pad(tone, m, mode="reflect")
    top, left = top + m, left + m
    box = (top, left, top + mark.shape[0], left + mark.shape[1])
    chalk_on(ground, tone, mark, np.float32(pick(rng, CHALKS)), top, left, rng)
    scale = rng.uniform(1.0, 1.6) if with_box else rng.uniform(0.8, 1.1)
    img, _, _ = place_plane(ground, work, rng, rng.uniform(10, 25), rng.uniform(-10, 10), rng.uniform(1.4, 2.2),
                            box, min(0.6, rng.uniform(0.25, 0.42) * scale), spin=20, border=cv2.BORDER_REFLECT)
    # Daylight: brighter on one side, now and then a soft shadow of the one taking the picture.
    img = lamp_light(img, rng, warm=False, fall=(0.7, 0.95))
    if rng.random() < 0.35:
        sh = np.zeros(work, np.float32)
        cv2.ellipse(sh, (int(work[1] * rng.uniform(0.3, 0.7)), work[0]), (int(work[1] * 0.15), int(work[0] * 0.35)),
                    0, 0, 360, 1.0, -1)
        img *= (1 - 0.4 * cv2.GaussianBlur(sh, (0, 0), work[0] / 30))[..., None]
    img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 1.0) * max(1.0, work[0] / 1000))
    return sensor(to_frame(img, frame), rng)


# --- Non-digit marks ------------------------------------------------------------------

def mark_paths(kind, rng):
    """A non-digit drawn by hand, as polylines in the unit square."""
    if kind == "arrow":
        a = [(0.05, 0.5), (0.95, 0.5)]
        return [a, [(0.7, 0.3), (0.95, 0.5), (0.7, 0.7)]]
    if kind == "star":
        pts = [(0.5 + 0.48 * math.sin(k * 4 * math.pi / 5), 0.52 - 0.48 * math.cos(k * 4 * math.pi / 5))
               for k in range(6)]
        return [pts]
    if kind == "smiley":
        return [arc_pts(0.5, 0.5, 0.46, 0.46, 0, 2 * math.pi, 40), arc_pts(0.35, 0.38, 0.04, 0.05, 0, 2 * math.pi, 8),
                arc_pts(0.65, 0.38, 0.04, 0.05, 0, 2 * math.pi, 8), arc_pts(0.5, 0.55, 0.24, 0.18, 0.3, math.pi - 0.3)]
    if kind == "tick":
        return [[(0.05, 0.55), (0.35, 0.9), (0.95, 0.1)]]
    if kind == "cross":
        return [[(0.1, 0.1), (0.9, 0.9)], [(0.9, 0.1), (0.1, 0.9)]]
    if kind == "hash":
        return [[(0.35, 0.05), (0.25, 0.95)], [(0.72, 0.05), (0.62, 0.95)], [(0.05, 0.35), (0.95, 0.35)],
                [(0.02, 0.68), (0.92, 0.68)]]
    if kind == "sun":
        rays = [[(0.5 + 0.3 * math.cos(k * math.pi / 4), 0.5 + 0.3 * math.sin(k * math.pi / 4)),
                 (0.5 + 0.48 * math.cos(k * math.pi / 4), 0.5 + 0.48 * math.sin(k * math.pi / 4))] for k in range(8)]
        return [arc_pts(0.5, 0.5, 0.22, 0.22, 0, 2 * math.pi, 30)] + rays
    if kind == "flower":
        petals = [arc_pts(0.5 + 0.2 * math.cos(k * 2 * math.pi / 6), 0.3 + 0.2 * math.sin(k * 2 * math.pi / 6),
                          0.1, 0.1, 0, 2 * math.pi, 14) for k in range(6)]
        return petals + [[(0.5, 0.52), (0.5, 0.98)], [(0.5, 0.82), (0.62, 0.72), (0.8, 0.7), (0.68, 0.8), (0.5, 0.82)]]
    if kind == "house":
        return [[(0.15, 0.45), (0.15, 0.95), (0.85, 0.95), (0.85, 0.45)], [(0.05, 0.5), (0.5, 0.08), (0.95, 0.5)],
                [(0.42, 0.95), (0.42, 0.7), (0.58, 0.7), (0.58, 0.95)]]
    if kind == "heart":  # the heart curve, x = 16 sin^3 t, y = 13 cos t - 5 cos 2t - 2 cos 3t - cos 4t, scaled
        ts = np.linspace(0, 2 * math.pi, 48)
        return [[(0.5 + 0.45 * math.sin(t) ** 3,
                  0.45 - 0.03 * (13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)))
                 for t in ts]]
    return letter_paths(kind)


def letter_paths(letter):
    """A letter no one writes like a digit, as strokes in the unit square."""
    table = {
        "A": [[(0.1, 0.95), (0.5, 0.05), (0.9, 0.95)], [(0.27, 0.6), (0.73, 0.6)]],
        "K": [[(0.2, 0.05), (0.2, 0.95)], [(0.85, 0.05), (0.2, 0.55)], [(0.4, 0.4), (0.9, 0.95)]],
        "M": [[(0.08, 0.95), (0.15, 0.05), (0.5, 0.7), (0.85, 0.05), (0.92, 0.95)]],
        "W": [[(0.03, 0.05), (0.25, 0.95), (0.5, 0.3), (0.75, 0.95), (0.97, 0.05)]],
        "X": [[(0.1, 0.05), (0.9, 0.95)], [(0.9, 0.05), (0.1, 0.95)]],
        "R": [[(0.2, 0.95), (0.2, 0.05)] + arc_pts(0.45, 0.28, 0.3, 0.23, -math.pi / 2, math.pi / 2, 16)[1:]
              + [(0.2, 0.51)], [(0.45, 0.51), (0.85, 0.95)]],
        "e": [[(0.12, 0.62), (0.88, 0.62)] + arc_pts(0.5, 0.62, 0.38, 0.33, 0, -1.75 * math.pi, 30)[1:]],
        "k": [[(0.22, 0.02), (0.22, 0.95)], [(0.78, 0.4), (0.22, 0.72)], [(0.38, 0.63), (0.82, 0.95)]],
    }
    return table[letter]


def mark_cov(kind, rng, width=14, size=260):
    """A hand-drawn non-digit's ink: shaky strokes `width` px wide on about `size` px."""
    return paths_cov(shaky(mark_paths(kind, rng), rng, 0.006), size, width)
