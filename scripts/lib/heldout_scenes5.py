"""Painting the scenes of scripts/make-heldout-set5.py's families: a mark (a coverage
map, 1 = ink) written in ballpoint, pencil or felt pen on squared notebook paper
photographed at an angle; printed in a faded thermal receipt's lines; stitched in
thread on fabric in an embroidery hoop; traced with a finger in sand, snow or the dust
on a car; written in marker on a cardboard parcel or on a jar's label. Every function
draws from the numpy Generator it is given, so a scene depends only on that
generator's seed. Light, perspective and the camera come from heldout_render.py,
small pieces from heldout_scenes3.py and heldout_scenes4.py.
"""

import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from heldout_render import (H, PHONE_SIZES, blend, camera, drop_shadow, fbm, frame_size, inside_after, light_up,
                            lit, marker_alpha, perspective, smooth_noise, surface)
from heldout_scenes3 import along_skeleton, ballpoint, canvas_of, choice, colour, fit
from heldout_scenes4 import LUMA, lay, soft_dark_edge, upsampled

WORK = 1100  # the largest side at which a scene's relief or fabric is painted
PAINT = 2000  # the largest side at which a whole scene is painted


def out_size(rng, phone, small, medium):
    """An output (height, width): a phone's frame (1-12 MP) with probability `phone`,
    else a crop of `small` rows or a picture of `medium` rows, half and half."""
    if rng.random() < phone:
        return frame_size(rng, PHONE_SIZES)
    h = int(rng.integers(*(small if rng.random() < 0.5 else medium)))
    return h, int(h * rng.uniform(0.75, 1.4))


def painted(shown):
    """The size at which a scene shown at `shown` is painted: at most PAINT px on its
    longer side (a phone's frame is painted smaller and enlarged; its camera's blur
    and noise are added at full size)."""
    f = min(1.0, PAINT / max(shown))
    return max(8, int(shown[0] * f)), max(8, int(shown[1] * f))


def main_ink(cov):
    """The mark without its specks (pieces under 2% of the ink), cropped to its ink."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(np.uint8(cov > 0.5), connectivity=8)
    areas = stats[:, cv2.CC_STAT_AREA]
    keep = np.zeros(n, bool)
    keep[1:] = areas[1:] >= 0.02 * areas[1:].sum()
    return H.crop_to_ink(cov * keep[labels], 0.05)


def restroke(cov, pen):
    """A glyph re-drawn along its skeleton with a round pen `pen` px wide (a fingertip's
    or a thread's line instead of the font's own strokes), without its specks."""
    skel = cv2.ximgproc.thinning(np.uint8(main_ink(cov) > 0.5) * 255)
    k = max(1, int(pen)) | 1
    thick = cv2.dilate(skel, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    m = k
    return cv2.GaussianBlur(np.pad(thick.astype(np.float32) / 255.0, m), (0, 0), max(0.5, pen / 10))


def finish(img, rng, tilt, border, shown=None, keep=None, blur=(0.4, 1.4), noise=(0.008, 0.025)):
    """The scene photographed at an angle of up to `tilt` (one that keeps the mark's box
    `keep`, (top, left, bottom, right), inside the frame, where one of 20 does),
    enlarged to the frame `shown` (height, width) where it was painted smaller, through
    the camera."""
    seed = int(rng.integers(1 << 30))
    for _ in range(20 if keep else 0):
        _, M = perspective(np.zeros(img.shape[:2], np.uint8), np.random.default_rng(seed), tilt, (1.0, 1.08))
        if inside_after(M, keep, img.shape[:2]):
            break
        seed = int(rng.integers(1 << 30))
    img, _ = perspective(img, np.random.default_rng(seed), tilt, (1.0, 1.08), border=tuple(float(v) for v in border))
    if shown is not None and tuple(shown) != img.shape[:2]:
        img = cv2.resize(img, (shown[1], shown[0]), interpolation=cv2.INTER_LINEAR)
    return camera(img, rng, blur, noise)


def place(size, c, rng, spread=0.25):
    """A (top, left) for the mark c near the middle of a frame of `size`."""
    h, w = size
    top = int((h - c.shape[0]) * (0.5 + rng.uniform(-spread, spread)))
    left = int((w - c.shape[1]) * (0.5 + rng.uniform(-spread, spread)))
    return max(0, top), max(0, left)


def table(size, rng):
    """A table top or floor (wood, or a plain painted or laminated surface)."""
    h, w = size
    lo = (max(8, h // 8), max(8, w // 8))
    if rng.random() < 0.5:
        top, _ = surface("wood", *lo, rng)
    else:
        top = canvas_of(lo, colour(rng, [[0.85, 0.85, 0.83], [0.3, 0.32, 0.35], [0.62, 0.64, 0.58],
                                         [0.9, 0.88, 0.82], [0.45, 0.35, 0.3]]))
        top *= (0.93 + 0.1 * fbm(lo, lo[0] / 4, rng))[..., None]
    return upsampled(np.float32(top), size)


# --- Squared notebook paper -------------------------------------------------------

PEN_INKS = {"ballpoint": ([0.1, 0.14, 0.5], [0.07, 0.07, 0.1], [0.12, 0.2, 0.6]),
            "pencil": ([0.22, 0.22, 0.24], [0.3, 0.3, 0.32]),
            "felt": ([0.05, 0.05, 0.08], [0.62, 0.08, 0.1], [0.08, 0.32, 0.15], [0.15, 0.1, 0.45])}
PEN_WIDTHS = {"ballpoint": (0.035, 0.055), "pencil": (0.04, 0.065), "felt": (0.07, 0.11)}


def pen_alpha(kind, c, rng):
    """The pen's ink on paper: ballpoint's pressure, pencil's graphite skipping the
    paper's tooth, a felt pen's streaks."""
    if kind == "ballpoint":
        return ballpoint(c, rng)
    if kind == "felt":
        return marker_alpha(c, rng)
    tooth = cv2.GaussianBlur(np.random.default_rng(int(rng.integers(1 << 30))).random(c.shape, np.float32),
                             (0, 0), 0.8)
    tooth = (tooth - tooth.mean()) / (tooth.std() + 1e-6)
    return np.clip(c * (rng.uniform(0.7, 0.85) + 0.12 * tooth), 0, 1)


def grid_page(size, rng, pitch):
    """A page of squared paper at size (the squares `pitch` px), filling the frame but
    for the desk along one or two edges; a margin line and a spiral's holes sometimes.
    Returns the image and the desk's colour."""
    h, w = size
    img = table(size, rng)
    desk = img[h // 2, 1].copy()
    t, l = int(rng.uniform(-0.1, 0.06) * h), int(rng.uniform(-0.1, 0.08) * w)
    b, r = h - int(rng.uniform(-0.1, 0.06) * h), w - int(rng.uniform(-0.1, 0.08) * w)
    t, l, b, r = max(0, t), max(0, l), min(h, b), min(w, r)
    lo = (max(8, (b - t) // 8), max(8, (r - l) // 8))
    tint = colour(rng, [[0.97, 0.97, 0.95], [0.95, 0.95, 0.9], [0.98, 0.98, 0.98], [0.96, 0.96, 0.99]])
    page = upsampled(canvas_of(lo, tint) * (0.97 + 0.05 * fbm(lo, lo[0] / 3, rng))[..., None], (b - t, r - l))
    lines = np.zeros((b - t, r - l), np.float32)
    lw = max(1, int(round(pitch * rng.uniform(0.03, 0.06))))
    heavy = rng.random() < 0.3  # every fifth line heavier, as on engineering pads
    y0, x0 = rng.uniform(0, pitch, 2)
    for i, y in enumerate(np.arange(y0, b - t, pitch)):
        cv2.line(lines, (0, int(y)), (r - l, int(y)), 1.0, lw * (2 if heavy and i % 5 == 0 else 1), cv2.LINE_AA)
    for i, x in enumerate(np.arange(x0, r - l, pitch)):
        cv2.line(lines, (int(x), 0), (int(x), b - t), 1.0, lw * (2 if heavy and i % 5 == 0 else 1), cv2.LINE_AA)
    line = colour(rng, [[0.4, 0.55, 0.85], [0.55, 0.55, 0.6], [0.45, 0.72, 0.58], [0.6, 0.7, 0.88]])
    blend(page, lines * rng.uniform(0.35, 0.65), line, 0, 0)
    if rng.random() < 0.4:  # the margin's red line
        x = int((r - l) * rng.uniform(0.06, 0.14))
        page[:, x:x + 2 * lw] = page[:, x:x + 2 * lw] * 0.4 + np.float32([0.85, 0.25, 0.25]) * 0.6
    img[t:b, l:r] = page
    if rng.random() < 0.4:  # a spiral binding's holes down the left edge, the desk through them
        rad = max(2, int(pitch * 0.3))
        for y in np.arange(t + pitch, b - pitch, pitch * 1.5):
            cv2.circle(img, (l + 2 * rad + 2, int(y)), rad, tuple(float(v) for v in desk * 0.8), -1, cv2.LINE_AA)
    return img, desk


def grid_photo(cov, rng, pen):
    """A mark written with `pen` (ballpoint, pencil or felt) on squared paper,
    photographed at an angle under uneven light; 320 px crops to 12 MP."""
    shown = out_size(rng, 0.5, (320, 700), (700, 1600))
    size = painted(shown)
    h, w = size
    dh = min(h, w) * rng.uniform(0.16, 0.38)
    pitch = dh / rng.uniform(2.5, 5.5)
    img, desk = grid_page(size, rng, pitch)
    c = fit(cov, dh, 0.7 * w)
    top, left = place(size, c, rng, 0.3)
    blend(img, pen_alpha(pen, c, rng), colour(rng, PEN_INKS[pen]), top, left)
    box = (top, left, top + c.shape[0], left + c.shape[1])
    img = light_up(img, rng, gradient=0.45, vignette=rng.uniform(0.1, 0.35), glare=int(rng.integers(0, 2)),
                   glare_strength=rng.uniform(0.05, 0.2), streaks=False)
    if rng.random() < 0.6:  # the phone's or the hand's shadow
        soft_dark_edge(img, rng, (0.2, 0.45))
    return finish(img, rng, 0.12, desk * 0.8, shown, box)


# --- Thermal receipts ---------------------------------------------------------------

def receipt_print(lines, fonts, px, width_chars, rng):
    """The print of a receipt (coverage, 1 = ink): lines of (text, align, scale, bold),
    in a monospace font `px` px tall, `width_chars` characters wide. Returns the
    coverage and the box (top, left, bottom, right) of the lines of scale 2 or more."""
    regular = ImageFont.truetype(fonts[0], px)
    advance = regular.getlength("M")
    margin = int(advance * rng.uniform(1.0, 2.0))
    width = int(width_chars * advance) + 2 * margin
    y = int(px * rng.uniform(0.8, 2.0))
    heights = [int(px * s * 1.35) for _, _, s, _ in lines]
    img = Image.new("L", (width, y + sum(heights) + int(px * rng.uniform(1.0, 3.0))), 0)
    draw = ImageDraw.Draw(img)
    big = None
    for (text, align, scale, heavy), step in zip(lines, heights):
        font = ImageFont.truetype(fonts[1] if heavy else fonts[0], int(px * scale)) if scale != 1 or heavy else regular
        span = font.getlength(text)
        x = margin if align == "left" else (width - margin - span if align == "right" else (width - span) / 2)
        draw.text((x, y), text, font=font, fill=255)
        if scale >= 2:
            box = (y, int(x), y + step, int(x + span))
            big = box if big is None else (min(big[0], box[0]), min(big[1], box[1]), max(big[2], box[2]),
                                           max(big[3], box[3]))
        y += step
    return np.asarray(img, np.float32) / 255.0, big


def thermal_alpha(cov, rng, faded):
    """Thermal print: grey rather than black, fading in patches and along the paper,
    the print head's dot rows faintly showing."""
    h, w = cov.shape
    patches = smooth_noise((h, w), max(4.0, h / 6), rng)
    along = np.linspace(rng.uniform(0.75, 1.0), rng.uniform(0.75, 1.0), h, dtype=np.float32)[:, None]
    strength = (rng.uniform(0.45, 0.7) if faded else rng.uniform(0.8, 0.95)) * (0.8 + 0.2 * patches) * along
    rows = 0.9 + 0.1 * (np.arange(h) % 3 != 0).astype(np.float32)[:, None]
    return np.clip(cov * strength * rows, 0, 1)


def receipt_piece(cov, rng, faded):
    """The receipt's paper (rgb, alpha) with its print: white, curling across its width,
    creased where it was folded in a pocket."""
    h, w = cov.shape
    paper = canvas_of((h, w), colour(rng, [[0.97, 0.97, 0.96], [0.95, 0.95, 0.93], [0.98, 0.97, 0.94]]))
    curl = 1 - rng.uniform(0.03, 0.12) * np.abs(np.linspace(-1, 1, w, dtype=np.float32)) ** 2
    paper *= curl[None, :, None]
    for _ in range(int(rng.integers(0, 4))):  # creases: a dark and a light line side by side
        y = int(rng.uniform(0.1, 0.9) * h)
        crease = np.zeros((h, w), np.float32)
        cv2.line(crease, (0, y), (w, y + int(rng.uniform(-0.05, 0.05) * w)), 1.0, max(1, h // 300), cv2.LINE_AA)
        crease = cv2.GaussianBlur(crease, (0, 0), max(1.0, h / 200))
        paper *= (1 - 0.5 * crease / (crease.max() + 1e-6) * rng.uniform(0.05, 0.12))[..., None]
    ink = colour(rng, [[0.15, 0.15, 0.17], [0.22, 0.2, 0.28], [0.3, 0.3, 0.32]])
    blend(paper, thermal_alpha(cov, rng, faded), ink, 0, 0)
    return paper, np.ones((h, w), np.float32)


def receipt_photo(cov, big, rng, faded=True):
    """A receipt (its print cov, the box of its large line `big` or None) scanned as a
    crop around that line or photographed on a table; 300 px crops to 12 MP. Returns
    the picture and whether it is a scan."""
    paper, alpha = receipt_piece(cov, rng, faded)
    h, w = paper.shape[:2]
    if rng.random() < 0.35:  # a scan or a crop of a photo: a band of lines around the large one
        band = int(h * rng.uniform(0.35, 0.7))
        if big:  # the whole large line inside the band, a line's height to spare
            spare = (big[2] - big[0]) // 2
            lo, hi = max(0, big[2] + spare - band), min(big[0] - spare, h - band)
            t = int(rng.uniform(lo, max(lo, hi)))
        else:
            t = int(rng.uniform(0, h - band))
        # The scanner's lid (white or black) beside the paper, so that no print touches the edge.
        lid = colour(rng, [[0.93, 0.93, 0.93], [0.08, 0.08, 0.09]])
        side = int(w * rng.uniform(0.03, 0.08))
        piece = np.concatenate([canvas_of((band, side), lid), paper[t:t + band], canvas_of((band, side), lid)], 1)
        out_h = int(rng.integers(300, 900))
        scale = out_h / piece.shape[0]
        img = cv2.resize(piece, (max(8, int(piece.shape[1] * scale)), out_h), interpolation=cv2.INTER_AREA)
        img = light_up(img, rng, gradient=0.15, vignette=0.05)
        return finish(img, rng, 0.02, lid, blur=(0.3, 0.8), noise=(0.005, 0.02)), True
    shown = out_size(rng, 0.6, (500, 800), (800, 1600))
    size = painted(shown)
    H, W = size
    img = table(size, rng)
    rh = H * rng.uniform(0.7, 0.95)
    if w * rh / h > 0.85 * W:
        rh = 0.85 * W * h / w
    piece = cv2.resize(paper, (max(8, int(w * rh / h)), max(8, int(rh))), interpolation=cv2.INTER_AREA)
    a = np.ones(piece.shape[:2], np.float32)
    ph, pw = piece.shape[:2]
    centre = (H * rng.uniform(0.47, 0.53), W / 2 + rng.uniform(-0.5, 0.5) * max(0, 0.9 * W - pw) / 2)
    lay(img, piece, a, centre, rng.uniform(-6, 6), ((int(rh * 0.004) + 1, int(rh * 0.004) + 1), rh * 0.005, 0.3))
    box = None
    if big:  # the amount's line across the receipt, turned by up to 6 degrees
        scale, tilted = rh / h, 0.06 * pw
        top = centre[0] - ph / 2
        box = (top + big[0] * scale - tilted, centre[1] - pw / 2, top + big[2] * scale + tilted, centre[1] + pw / 2)
    img = light_up(img, rng, 0.3, rng.uniform(0.1, 0.3), glare=int(rng.integers(0, 2)), glare_strength=0.12,
                   streaks=False)
    if rng.random() < 0.4:
        soft_dark_edge(img, rng, (0.15, 0.35))
    return finish(img, rng, 0.06, img[H // 2, 1], shown, box), False


# --- Embroidery -----------------------------------------------------------------------

THREADS = ([0.75, 0.1, 0.12], [0.1, 0.2, 0.55], [0.1, 0.4, 0.2], [0.08, 0.08, 0.1], [0.45, 0.15, 0.5],
           [0.85, 0.45, 0.05], [0.05, 0.45, 0.5])
FABRICS = ([0.93, 0.9, 0.82], [0.96, 0.96, 0.94], [0.8, 0.86, 0.9], [0.93, 0.82, 0.82], [0.78, 0.72, 0.6],
           [0.85, 0.88, 0.8])


def fabric(size, rng, tint, pitch):
    """Plain-woven fabric: the warp's and weft's threads `pitch` px apart, uneven."""
    h, w = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    wobble = smooth_noise(size, max(4.0, pitch * 6), rng) * pitch
    weave = 0.5 + 0.25 * (np.sin(2 * math.pi * (x + wobble) / pitch) * np.sin(2 * math.pi * (y - wobble) / pitch))
    weave += 0.1 * (smooth_noise(size, max(2.0, pitch * 3), rng, max(2.0, pitch * 20)) - 0.5)
    folds = 0.92 + 0.12 * fbm((max(8, h // 8), max(8, w // 8)), max(2, h // 40), rng)
    return tint * ((0.85 + 0.2 * weave) * upsampled(np.float32(folds), size))[..., None]


def stitches(cov, rng, width):
    """Backstitch along the mark's strokes: a thread `width` px thick along its
    skeleton, pinched into stitches where the needle went through, every 3-4.5 widths.
    Returns the thread's coverage and its highlight (the lit side of the round,
    twisted thread)."""
    skel = cv2.ximgproc.thinning(np.uint8(cov > 0.5) * 255)
    k = max(1, int(width)) | 1
    thread = cv2.dilate(skel, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))).astype(np.float32) / 255.0
    holes = np.zeros(cov.shape, np.float32)
    for y, x in along_skeleton(cov, width * rng.uniform(3.0, 4.5), rng):
        cv2.circle(holes, (x, y), max(1, int(width * 0.4)), 1.0, -1, cv2.LINE_AA)
    thread = cv2.GaussianBlur(thread * (1 - 0.85 * holes), (0, 0), 0.7)
    depth = cv2.distanceTransform(np.uint8(thread > 0.5), cv2.DIST_L2, 3) / max(1.0, width / 2)
    h, w = cov.shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    twist = 0.5 + 0.5 * np.sin(2 * math.pi * (x - y) / max(2.0, width * 0.8))
    return thread, np.clip(depth, 0, 1) ** 0.5 * (0.6 + 0.4 * twist) * thread


def satin(cov, rng, width):
    """Satin stitch filling the mark: threads side by side across it at one slant."""
    h, w = cov.shape
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0.6, 1.2) * choice(rng, (1, -1))
    across = (x * math.cos(a) + y * math.sin(a)) / max(1.0, width * 0.5)
    ridge = np.abs(np.sin(math.pi * across))
    edge = np.clip((cv2.GaussianBlur(cov, (0, 0), 1.0) - 0.3) * 3, 0, 1)
    return edge, edge * ridge ** 2


def embroidery_photo(cov, rng, style):
    """A mark stitched on fabric in an embroidery hoop lying on a table ("back":
    backstitch along its strokes; "satin": filled with satin stitch); 320 px to 12 MP."""
    s = WORK
    tint = colour(rng, FABRICS)
    piece = fabric((s, s), rng, tint, rng.uniform(3.0, 5.0))
    dh = s * rng.uniform(0.35, 0.55)
    width = dh * rng.uniform(0.03, 0.045)
    m = int(width) + 2
    c = np.pad(fit(cov, dh, 0.6 * s), m)
    top, left = (s - c.shape[0]) // 2 + int(rng.uniform(-0.05, 0.05) * s), (s - c.shape[1]) // 2
    thread, shine = stitches(c, rng, width) if style == "back" else satin(c, rng, width)
    drop_shadow(piece, thread, top, left, (int(width * 0.25) + 1, int(width * 0.25) + 1), width * 0.3, 0.35)
    # A thread that stands out from the fabric (by a quarter of the scale in brightness).
    hue = colour(rng, [t for t in THREADS if abs(np.dot(t, LUMA) - np.dot(tint, LUMA)) > 0.25])
    body = hue * (0.75 + 0.25 * smooth_noise(c.shape, width * 0.7, rng))[..., None]
    blend(piece, thread, np.clip(body * (0.6 + 0.5 * shine[..., None]) + 0.1 * shine[..., None] ** 4, 0, 1), top,
          left)
    # The hoop: a wooden ring round the fabric, lit from the top left, its clasp at the top.
    y, x = np.mgrid[0:s, 0:s].astype(np.float32)
    r = np.hypot(y - s / 2, x - s / 2) / (s / 2)
    ring_w = rng.uniform(0.04, 0.06)
    ring = np.clip((1 - r) * s / 4, 0, 1) * np.clip((r - (1 - ring_w)) * s / 4, 0, 1)
    wood = colour(rng, [[0.8, 0.62, 0.4], [0.7, 0.5, 0.3], [0.88, 0.75, 0.55]])
    light = 1 + 0.25 * ((s / 2 - x) + (s / 2 - y)) / s
    blend(piece, ring, wood * light[..., None], 0, 0)
    cw = int(s * 0.06)
    cv2.rectangle(piece, (s // 2 - cw, 0), (s // 2 + cw, int(s * ring_w * 1.3)), tuple(float(v) for v in wood * 0.8),
                  -1)
    alpha = np.clip((1 + ring_w * 0.1 - r) * s / 4, 0, 1)  # the fabric trimmed round the hoop
    shown = out_size(rng, 0.4, (320, 700), (700, 1600))
    size = painted(shown)
    h, w = size
    f = min(1.0, 1.5 * WORK / max(h, w))  # laid out at up to 1.5 times the piece's size, then enlarged
    scene = (max(8, int(h * f)), max(8, int(w * f)))
    img = table(scene, rng)
    side = int(min(scene) * rng.uniform(0.8, 1.5))
    rgb = cv2.resize(piece, (side, side), interpolation=cv2.INTER_AREA if side < s else cv2.INTER_LINEAR)
    a = cv2.resize(alpha, (side, side), interpolation=cv2.INTER_LINEAR)
    centre = (scene[0] * rng.uniform(0.42, 0.58), scene[1] * rng.uniform(0.42, 0.58))
    lay(img, rgb, a, centre, rng.uniform(-20, 20), ((side // 80 + 1, side // 80 + 1), side / 60, 0.35))
    # The mark's box, whichever way the hoop was turned: a square round the hoop's middle.
    half = (max(c.shape) / 2 + 0.05 * s) * side / s / f
    mid = (centre[0] / f, centre[1] / f)
    box = (mid[0] - half, mid[1] - half, mid[0] + half, mid[1] + half)
    img = light_up(upsampled(img, size), rng, 0.3, rng.uniform(0.1, 0.3), glare=0)
    if rng.random() < 0.3:
        soft_dark_edge(img, rng, (0.15, 0.35))
    return finish(img, rng, 0.06, img[h // 2, 1], shown, box)


# --- Sand, snow and dust ------------------------------------------------------------

def ground_albedo(kind, size, rng):
    """Sand (its ripples and a few shells and pebbles), snow or a car's dusty paint,
    at size: (colour, height map) with height in [0, 1]."""
    h, w = size
    if kind == "sand":
        base = colour(rng, [[0.85, 0.74, 0.56], [0.78, 0.68, 0.52], [0.9, 0.83, 0.68], [0.7, 0.6, 0.48]])
        y, x = np.mgrid[0:h, 0:w].astype(np.float32)
        a = rng.uniform(0, math.pi)
        period = h * rng.uniform(0.04, 0.09)
        warp = fbm(size, h / 3, rng) * period * 3
        height = 0.5 + 0.5 * np.sin(2 * math.pi * ((x * math.cos(a) + y * math.sin(a)) + warp) / period)
        height = height * rng.uniform(0.05, 0.2) + 0.2 * fbm(size, h / 8, rng)
        img = base * (0.9 + 0.15 * fbm(size, h / 5, rng))[..., None]
        for _ in range(int(rng.integers(0, 6))):  # shells and pebbles
            r = max(2, int(h * rng.uniform(0.008, 0.025)))
            c = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
            cv2.ellipse(img, c, (r, int(r * rng.uniform(0.6, 1.0))), rng.uniform(0, 180), 0, 360,
                        tuple(float(v) for v in colour(rng, [[0.95, 0.93, 0.88], [0.5, 0.45, 0.42], [0.9, 0.8, 0.75]])),
                        -1, cv2.LINE_AA)
        return img, height
    base = colour(rng, [[0.93, 0.95, 0.98], [0.9, 0.92, 0.96], [0.96, 0.96, 0.97]])
    height = 0.4 * fbm(size, h / 4, rng)
    return base * (0.95 + 0.06 * fbm(size, h / 6, rng))[..., None], height


def traced_photo(cov, rng, kind, finger):
    """A mark traced with a fingertip (`finger` px on the mark's scale) in sand or snow
    (a groove with its pushed-up rims, lit from low on one side) or in the dust on a
    car's paint (the wiped paint shows darker); 320 px to 12 MP."""
    shown = out_size(rng, 0.5, (320, 700), (700, 1600))
    size = painted(shown)
    h, w = size
    f = min(1.0, WORK / max(h, w))
    lo = (max(16, int(h * f)), max(16, int(w * f)))
    c = fit(cov, min(lo) * rng.uniform(0.35, 0.65), 0.8 * lo[1])
    pen = max(2.0, finger * c.shape[0] / max(1, cov.shape[0]))
    mask = np.zeros(lo, np.float32)
    top, left = place(lo, c, rng, 0.2)
    mask[top:top + c.shape[0], left:left + c.shape[1]] = c[:lo[0] - top, :lo[1] - left]
    a = rng.uniform(0, 2 * math.pi)
    light = (math.cos(a), math.sin(a))
    sy, sx = h / lo[0], w / lo[1]
    box = (top * sy, left * sx, (top + c.shape[0]) * sy, (left + c.shape[1]) * sx)
    if kind == "dust":
        paint = colour(rng, [[0.08, 0.08, 0.1], [0.1, 0.15, 0.35], [0.45, 0.06, 0.06], [0.35, 0.37, 0.4],
                             [0.12, 0.25, 0.15]])
        img = canvas_of(lo, paint) * (0.85 + 0.3 * fbm(lo, lo[0] / 2, rng))[..., None]
        dust = np.clip(rng.uniform(0.55, 0.85) * (0.75 + 0.5 * fbm(lo, lo[0] / 6, rng)), 0, 0.95)
        wiped = np.clip(cv2.GaussianBlur(mask, (0, 0), pen * 0.12) * 1.3, 0, 1)
        dust *= 1 - wiped * rng.uniform(0.75, 0.95)
        blend(img, dust, colour(rng, [[0.72, 0.66, 0.56], [0.7, 0.7, 0.68], [0.78, 0.7, 0.55]]), 0, 0)
        img = upsampled(img, size)
        img = light_up(img, rng, 0.3, 0.2, glare=int(rng.integers(1, 3)), glare_strength=rng.uniform(0.1, 0.3))
        return finish(img, rng, 0.06, img[h // 2, 1], shown, box)
    img, height = ground_albedo(kind, lo, rng)
    groove = cv2.GaussianBlur(mask, (0, 0), pen * 0.25)
    rim = np.clip(cv2.GaussianBlur(cv2.dilate(mask, np.ones((3, 3), np.uint8), iterations=max(1, int(pen * 0.3))),
                                   (0, 0), pen * 0.4) - groove, 0, 1)
    # The finger smoothed the ripples where it passed; the groove's floor lies in its own
    # shade (damper sand, blue shadow in snow) whichever way the light comes.
    surface_height = height * (1 - np.clip(groove * 2, 0, 1)) - groove * rng.uniform(1.2, 1.6) + rim * 0.4
    gy, gx = np.gradient(surface_height * pen)
    slope = -(gx * light[0] + gy * light[1])
    slope /= np.percentile(np.abs(slope), 99.9) + 1e-6
    shade = rng.uniform(0.25, 0.35) if kind == "sand" else rng.uniform(0.15, 0.25)
    img *= (1 - shade * np.clip(groove * 1.5, 0, 1))[..., None]
    lit(img, np.clip(slope, -1.5, 1.5), rng.uniform(0.3, 0.45), 0.05 if kind == "snow" else 0.0)
    if kind == "snow":
        img[..., 2] += 0.06 * groove
    img = upsampled(img, size)
    grain = np.random.default_rng(int(rng.integers(1 << 30))).standard_normal(size, np.float32)
    img *= (1 + (0.08 if kind == "sand" else 0.03) * cv2.GaussianBlur(grain, (0, 0), 0.8))[..., None]
    img = light_up(img, rng, 0.25, rng.uniform(0.05, 0.3), glare=0)
    if rng.random() < 0.5:  # the photographer's shadow
        soft_dark_edge(img, rng, (0.25, 0.45))
    return finish(img, rng, 0.08, img[h // 2, 1], shown, box)


# --- Parcels and jars -------------------------------------------------------------

def cardboard(size, rng):
    """Kraft cardboard: its fibres, the flutes showing faintly through, a box's edge."""
    h, w = size
    lo = (max(8, h // 6), max(8, w // 6))
    base = colour(rng, [[0.72, 0.55, 0.36], [0.66, 0.5, 0.33], [0.78, 0.63, 0.45]])
    img = canvas_of(lo, base) * (0.92 + 0.14 * fbm(lo, lo[0] / 5, rng))[..., None]
    flutes = 1 + 0.025 * np.sin(2 * math.pi * np.arange(lo[1], dtype=np.float32) / max(2.0, lo[1] / 40))
    img *= flutes[None, :, None]
    return upsampled(img, size)


def box_photo(cov, rng):
    """A mark in thick marker across a cardboard box's side, packing tape across it, the
    box's top and the floor in the frame; 400 px to 12 MP."""
    shown = out_size(rng, 0.5, (400, 800), (800, 1600))
    size = painted(shown)
    h, w = size
    img = cardboard(size, rng)
    edge = int(h * rng.uniform(0.0, 0.2))  # the box's top, lit from above, above its edge
    img[:edge] = np.minimum(img[:edge] * 1.18, 1.0)
    c = fit(cov, (h - edge) * rng.uniform(0.2, 0.4), 0.6 * w)
    top = edge + int((h - edge - c.shape[0]) * rng.uniform(0.3, 0.7))
    left = int((w - c.shape[1]) * rng.uniform(0.35, 0.65))  # clear of the edges after perspective
    # Packing tape along the top edge or down the middle, clear of the mark.
    band = int(h * rng.uniform(0.06, 0.1))
    tape = np.zeros(size, np.float32)
    if rng.random() < 0.5 and top - edge > band:
        t0 = max(0, edge - band // 2)
        tape[t0:t0 + band] = 1
    else:
        t0 = min(h - band, top + c.shape[0] + band // 2)
        tape[t0:t0 + band] = 1
    blend(img, tape * rng.uniform(0.2, 0.35), colour(rng, [[0.9, 0.8, 0.6], [0.95, 0.95, 0.95]]), 0, 0)
    blend(img, marker_alpha(c, rng), colour(rng, [[0.05, 0.05, 0.07], [0.1, 0.12, 0.4], [0.45, 0.05, 0.08]]),
          top, left)
    img = light_up(img, rng, 0.35, rng.uniform(0.1, 0.3), glare=int(rng.integers(0, 2)), glare_strength=0.15,
                   streaks=True)
    if rng.random() < 0.3:
        soft_dark_edge(img, rng, (0.15, 0.4))
    return finish(img, rng, 0.08, (0.35, 0.33, 0.3), shown, (top, left, top + c.shape[0], left + c.shape[1]))


def jar_photo(cov, rng):
    """A mark written in pen or marker on a paper label on a glass jar (jam, honey,
    pickles), its lid on top, on a kitchen counter; 400 px to 12 MP."""
    shown = out_size(rng, 0.5, (400, 800), (800, 1600))
    size = painted(shown)
    h, w = size
    img = table(size, rng)
    wall = int(h * rng.uniform(0.3, 0.5))
    img[:wall] = colour(rng, [[0.9, 0.88, 0.82], [0.75, 0.8, 0.78], [0.85, 0.85, 0.88]]) * (
        0.9 + 0.1 * upsampled(fbm((max(8, wall // 8), max(8, w // 8)), 4, rng), (wall, w)))[..., None]
    jh = int(h * rng.uniform(0.65, 0.85))
    jw = int(min(w * 0.8, jh * rng.uniform(0.6, 0.85)))
    jt, jl = int((h - jh) * rng.uniform(0.4, 0.8)), (w - jw) // 2 + int(rng.uniform(-0.1, 0.1) * w)
    jl = int(np.clip(jl, 0, w - jw))
    x = np.linspace(-1, 1, jw, dtype=np.float32)
    roundness = np.sqrt(np.clip(1 - x ** 2, 0, 1))
    body = colour(rng, [[0.55, 0.08, 0.12], [0.85, 0.55, 0.12], [0.35, 0.45, 0.15], [0.3, 0.1, 0.3]])
    lid_h = int(jh * 0.12)
    jar = canvas_of((jh - lid_h, jw), body) * (0.55 + 0.45 * roundness)[None, :, None]
    hl = int(jw * rng.uniform(0.15, 0.3))  # the glass's highlight down one side
    jar[:, hl:hl + max(2, jw // 25)] = np.minimum(jar[:, hl:hl + max(2, jw // 25)] + 0.35, 1.0)
    img[jt + lid_h:jt + jh, jl:jl + jw] = jar
    lid = colour(rng, [[0.75, 0.72, 0.65], [0.8, 0.65, 0.2], [0.85, 0.15, 0.15], [0.2, 0.3, 0.6]])
    x0, x1 = jl - jw // 30, jl + jw + jw // 30  # the lid a little wider than the jar, cut by the frame
    shade = 0.6 + 0.5 * np.sqrt(np.clip(1 - np.linspace(-1, 1, x1 - x0, dtype=np.float32) ** 2, 0, 1))
    img[jt:jt + lid_h, max(0, x0):min(w, x1)] = (lid * shade[:, None])[max(0, x0) - x0:min(w, x1) - x0]
    # The label: paper wrapped round the jar, its sides narrowed where they turn away.
    lh, lw = int((jh - lid_h) * rng.uniform(0.4, 0.6)), int(jw * rng.uniform(0.75, 0.92))
    flat_w = int(jw * math.asin(lw / jw))
    paper = colour(rng, [[0.97, 0.96, 0.92], [0.82, 0.7, 0.52], [0.98, 0.98, 0.98]])
    label = canvas_of((lh, flat_w), paper)
    if rng.random() < 0.5:  # a printed border
        b = max(2, lh // 14)
        cv2.rectangle(label, (b, b), (flat_w - b, lh - b),
                      tuple(float(v) for v in colour(rng, [[0.7, 0.2, 0.2], [0.2, 0.4, 0.3]])), max(1, b // 3))
    c = fit(cov, lh * rng.uniform(0.4, 0.6), lw * 0.8)
    felt = rng.random() < 0.6
    blend(label, marker_alpha(c, rng) if felt else ballpoint(c, rng),
          colour(rng, [[0.05, 0.05, 0.08], [0.1, 0.15, 0.5]]), (lh - c.shape[0]) // 2, (flat_w - c.shape[1]) // 2)
    u = (np.arange(lw, dtype=np.float32) - lw / 2) / (jw / 2)
    src_x = np.arcsin(np.clip(u, -1, 1)) * jw / 2 + flat_w / 2
    wrapped = cv2.remap(label, np.repeat(src_x[None, :], lh, 0).astype(np.float32),
                        np.repeat(np.arange(lh, dtype=np.float32)[:, None], lw, 1), cv2.INTER_LINEAR)
    shade = (0.7 + 0.3 * np.sqrt(np.clip(1 - u ** 2, 0, 1)))[None, :, None]
    lt = jt + lid_h + int((jh - lid_h - lh) * rng.uniform(0.3, 0.6))
    ll = jl + (jw - lw) // 2
    img[lt:lt + lh, ll:ll + lw] = wrapped * shade
    img = light_up(img, rng, 0.3, rng.uniform(0.1, 0.3), glare=int(rng.integers(0, 2)), glare_strength=0.15)
    return finish(img, rng, 0.05, img[h // 2, 1], shown, (lt, ll, lt + lh, ll + lw))
