"""Scenes of the tenth held-out set (scripts/make-heldout-set10.py), painted afresh: a
rubber stamp's impression on an envelope, a form or kraft paper, a faxed page at 1 bit,
a digit laid out in yarn, string or rope on a table, a carpet or a bedsheet, a finger's
trace in frost or condensation on a car's or a house's window, a number under a barcode
on a product's or a shelf's label, and the non-digit marks drawn in those settings.
Pictures are float32 RGB in [0, 1] until a scene returns uint8; a coverage map is
float32 (h, w), 1 = ink. Every function draws only from the numpy Generator it is given.
The camera's frames, the tilted plane and the sensor are the sixth set's
(scripts/lib/heldout_scenes6.py), a surface laid over its own kind the ninth set's.
"""

import math

import cv2
import numpy as np

from heldout_render import H, fbm, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import desk, lamp_light, paper, photo_frame, pick, place_plane, work_frame
from heldout_scenes7 import finish
from heldout_scenes8 import shifted, soft
from heldout_scenes9 import feathered, matched, over


def rotated(cov, degrees):
    """A coverage map turned by `degrees` (counter-clockwise), grown to keep it whole."""
    h, w = cov.shape
    m = int(0.5 * math.hypot(h, w) - min(h, w) / 2) + 2
    big = np.pad(cov, m)
    bh, bw = big.shape
    M = cv2.getRotationMatrix2D((bw / 2, bh / 2), degrees, 1.0)
    return H.crop_to_ink(cv2.warpAffine(big, M, (bw, bh), flags=cv2.INTER_LINEAR))


def photographed(flat, ground_of, target, rng, tilt, yaw, height, spin):
    """A flat surface (its picture with a coverage channel) on the same kind of surface
    painted for the frame (ground_of(work shape)), seen tilted, lit by a lamp, through
    the camera: uint8."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    placed, _, _ = place_plane(flat, work, rng, rng.uniform(*tilt), rng.uniform(-yaw, yaw), rng.uniform(1.4, 2.4),
                               target, rng.uniform(*height), spin=spin)
    out = over(placed, ground_of(work))
    out = lamp_light(out, rng, warm=rng.random() < 0.5, fall=(0.6, 0.92))
    return finish(out, frame, rng, blur=(0.4, 1.0))


# --- ink-stamp -------------------------------------------------------------------------

STAMP_INKS = {"red": [0.78, 0.12, 0.16], "blue": [0.14, 0.24, 0.66], "violet": [0.42, 0.2, 0.58],
              "black": [0.1, 0.1, 0.12]}
ENVELOPES = ([0.97, 0.96, 0.93], [0.95, 0.92, 0.84], [0.9, 0.8, 0.58], [0.93, 0.93, 0.95])
KRAFTS = ([0.66, 0.5, 0.33], [0.72, 0.57, 0.4], [0.6, 0.45, 0.3])


def stamp_ground(shape, rng, kind):
    """What is stamped: an envelope (its flap's seams above the middle), a printed form
    (ruled lines and blocks of greyed text at its left, nothing that reads) or kraft
    paper (long dark fibres, a strip of tape at an edge)."""
    h, w = shape
    if kind == "kraft":
        img = np.float32(pick(rng, KRAFTS)) * (0.9 + 0.14 * fbm((h, w), h / 5, rng))[..., None]
        fibres = np.zeros((h, w), np.float32)
        for _ in range(int(h * w / 2500)):
            x, y, a = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(0, math.pi)
            n = rng.uniform(4, 18)
            cv2.line(fibres, (int(x), int(y)), (int(x + n * math.cos(a)), int(y + n * math.sin(a))), 1.0, 1)
        img *= (1 - 0.25 * soft(fibres, 0.6))[..., None]
        if rng.random() < 0.6:  # packing tape across the top or the bottom
            y = int(pick(rng, (rng.uniform(0.0, 0.08), rng.uniform(0.82, 0.9))) * h)
            img[y:y + int(h * 0.1)] = img[y:y + int(h * 0.1)] * 0.85 + np.float32([0.75, 0.6, 0.35]) * 0.2
        return img
    if kind == "envelope":
        img = paper((h, w), rng, pick(rng, ENVELOPES))
        seam = np.zeros((h, w), np.float32)
        tip = int(h * rng.uniform(0.22, 0.32))
        cv2.polylines(seam, [np.int32([[0, 0], [w // 2, tip], [w, 0]])], False, 1.0, 2, cv2.LINE_AA)
        img *= (1 - 0.12 * soft(seam, 1.5))[..., None]
        return img
    img = paper((h, w), rng)
    rule = np.float32(pick(rng, ([0.55, 0.6, 0.75], [0.5, 0.5, 0.5], [0.75, 0.5, 0.5])))
    greyed = np.zeros((h, w), np.float32)
    step = int(h * rng.uniform(0.07, 0.1))
    for y in range(int(h * 0.1), h - step // 2, step):
        cv2.line(greyed, (int(w * 0.05), y), (int(w * 0.3), y), 0.6, 1)  # the field's rule
        cv2.rectangle(greyed, (int(w * 0.05), y - step // 3), (int(w * rng.uniform(0.1, 0.22)), y - step // 5), 0.5,
                      -1)  # its caption, greyed
    cv2.rectangle(greyed, (int(w * 0.02), int(h * 0.03)), (int(w * 0.98), int(h * 0.97)), 0.7, 2)
    return img * (1 - greyed[..., None]) + rule * greyed[..., None]


def stamp_border(cov, rng):
    """The stamp's thin rectangle (rounded or not) or circle round cov, a margin apart."""
    h, w = cov.shape
    line = max(3, int(h * rng.uniform(0.035, 0.06)))
    if w < 1.3 * h and rng.random() < 0.5:
        r = int(0.5 * math.hypot(h, w) * 1.08) + line
        out = np.zeros((2 * r + 2 * line, 2 * r + 2 * line), np.float32)
        c = out.shape[0] // 2
        cv2.circle(out, (c, c), r, 1.0, line, cv2.LINE_AA)
        out[c - h // 2:c - h // 2 + h, c - w // 2:c - w // 2 + w] = np.maximum(
            out[c - h // 2:c - h // 2 + h, c - w // 2:c - w // 2 + w], cov)
        return out
    m = int(h * rng.uniform(0.2, 0.35))
    out = np.pad(cov, m + line)
    oh, ow = out.shape
    cv2.rectangle(out, (line // 2, line // 2), (ow - 1 - line // 2, oh - 1 - line // 2), 1.0, line, cv2.LINE_AA)
    return out


def stamp_alpha(cov, rng):
    """A rubber stamp's ink: patchy where the stamp did not press evenly (faint, never
    gone), the paper's tooth showing through, a darker rim where the ink pooled at the
    rubber's edges, the edge a little blotted."""
    h, w = cov.shape
    press = 0.6 * smooth_noise((h, w), h / 5, rng) + 0.4 * smooth_noise((h, w), h / 18, rng)
    gaps = 0.28 + 0.72 * np.clip((press - rng.uniform(0.2, 0.4)) * 4, 0, 1)
    tooth = cv2.GaussianBlur(rng.random((h, w), dtype=np.float32), (0, 0), 0.8)
    tooth = np.clip(0.7 + 1.6 * (tooth - 0.5), 0.3, 1)
    c = soft(cov, max(0.6, h / 500))
    k = max(2, int(h * 0.02))
    rim = np.clip(c - cv2.erode(c, np.ones((k, k), np.uint8)), 0, 1)
    a = c * rng.uniform(0.6, 0.85) * gaps * tooth + rim * rng.uniform(0.2, 0.45) * np.sqrt(gaps)
    return np.clip(a, 0, 0.95)


def stamp_sheet(cov, rng, kind, ink, turn):
    """The sheet (kind) with the stamp of cov on it, turned by `turn` (a range of
    degrees, counter-clockwise): the sheet and the stamp's box."""
    shape = {"envelope": (1000, int(1000 * rng.uniform(1.4, 1.7))), "form": (1300, 1000),
             "kraft": (1100, int(1100 * rng.uniform(1.0, 1.4)))}[kind]
    img = stamp_ground(shape, rng, kind)
    c = rotated(cov, rng.uniform(*turn))
    c = fit(c, shape[0] * rng.uniform(0.24, 0.38), shape[1] * 0.6)
    centre_y = rng.uniform(0.55, 0.7) if kind == "envelope" else rng.uniform(0.4, 0.6)
    top, left = int(shape[0] * centre_y - c.shape[0] / 2), int(shape[1] * rng.uniform(0.4, 0.6) - c.shape[1] / 2)
    region = img[top:top + c.shape[0], left:left + c.shape[1]]  # inside the sheet: the ink soaks in
    region *= 1 - stamp_alpha(c, rng)[..., None] * (1 - np.float32(STAMP_INKS[ink]))
    return img, (top, left, top + c.shape[0], left + c.shape[1])


def stamp_photo(cov, rng, kind, ink, scanned, turn=(-15, 15)):
    """The stamped sheet scanned (flat, a degree or two askew, the scanner's lid round it
    where the frame reaches past the sheet) or photographed lying on a desk."""
    img, target = stamp_sheet(cov, rng, kind, ink, turn)
    if scanned:
        frame = photo_frame(rng)
        work = work_frame(frame)
        lid = np.full(work + (3,), rng.uniform(0.9, 0.98), np.float32)
        out, _, _ = place_plane(img, work, rng, 0, 0, 50, target, rng.uniform(0.25, 0.45), spin=2, background=lid)
        out = out * np.float32(rng.uniform(1.0, 1.06))
        return finish(out, frame, rng, blur=(0.3, 0.7), luma=(0.003, 0.01), chroma=(0.0, 0.002))
    flat = np.concatenate([img, np.ones(img.shape[:2] + (1,), np.float32)], axis=2)
    frame = photo_frame(rng)
    work = work_frame(frame)
    placed, _, _ = place_plane(flat, work, rng, rng.uniform(0, 35), rng.uniform(-15, 15), rng.uniform(1.4, 2.4),
                               target, rng.uniform(0.18, 0.4), spin=12)
    a = placed[..., 3:4]
    shadow = shifted(soft(a[..., 0], work[0] / 90), work[0] // 150, work[1] // 200)
    out = desk(work, rng) * (1 - 0.35 * shadow)[..., None] * (1 - a) + placed[..., :3] * a
    out = lamp_light(out, rng, warm=rng.random() < 0.5, fall=(0.6, 0.9))
    return finish(out, frame, rng, blur=(0.4, 1.0))


# --- fax-scan ----------------------------------------------------------------------------

BAYER = np.float32([[0, 32, 8, 40, 2, 34, 10, 42], [48, 16, 56, 24, 50, 18, 58, 26],
                    [12, 44, 4, 36, 14, 46, 6, 38], [60, 28, 52, 20, 62, 30, 54, 22],
                    [3, 35, 11, 43, 1, 33, 9, 41], [51, 19, 59, 27, 49, 17, 57, 25],
                    [15, 47, 7, 39, 13, 45, 5, 37], [63, 31, 55, 23, 61, 29, 53, 21]]) / 64 + 1 / 128


def one_bit(grey, rng, dither):
    """A grey page (h, w) in [0, 1] at 1 bit: thresholded at a level that wanders a
    little, or ordered-dithered (an 8x8 Bayer matrix)."""
    h, w = grey.shape
    if dither:
        level = np.tile(BAYER, (h // 8 + 1, w // 8 + 1))[:h, :w]
    else:
        level = 0.5 + 0.08 * (smooth_noise((h, w), h / 4, rng) - 0.5)
    return np.float32(grey > level)


def streaks(page, rng, keep):
    """Streaks along the scan: dirt on the scanner's glass drawing a thin line down the
    page, a few rows the transmission lost (white) or smeared (black), and specks; no
    line and no smear through the mark's box keep (top, left, bottom, right)."""
    h, w = page.shape
    t, l, b, r = keep
    for _ in range(int(rng.integers(1, 4))):
        x = int(rng.uniform(0.03, 0.97) * w)
        if l - 3 <= x <= r + 3:
            continue
        page[:, x:x + int(rng.integers(1, 3))] = 0.0 if rng.random() < 0.7 else 1.0
    for _ in range(int(rng.integers(0, 4))):
        y = int(rng.uniform(0.1, 0.98) * h)
        n = int(rng.integers(1, 3))
        if rng.random() < 0.6:
            page[y:y + n] = 1.0
        elif not t - 3 <= y <= b + 3:
            x0 = int(rng.uniform(0, 0.6) * w)
            page[y:y + n, x0:x0 + int(w * rng.uniform(0.1, 0.4))] = 0.0
    specks = rng.random((h, w), dtype=np.float32) < rng.uniform(0.0003, 0.002)
    page[specks] = 1.0 - page[specks]


def fax_photo(cov, header_cov, rng, dither, ink_tone=0.08):
    """One page faxed: the mark of cov (hand-written with a felt pen or printed) in the
    middle, a header line of small text at the top (and a rule under it now and then, a
    page border one time in three), sent at 100-200 dpi and skewed a little, 1 bit,
    streaked; the whole page or its top half, scaled to the frame. Grey uint8 (h, w)."""
    dpi = int(rng.integers(100, 201))
    ph, pw = int(11 * dpi), int(8.5 * dpi)
    up = 2  # painted at twice the fax's resolution
    H2, W2 = ph * up, pw * up
    tone = rng.uniform(0.82, 0.92) if dither else 0.97  # a dithered page is grey (thermal paper, a tinted sheet)
    page = np.full((H2, W2), tone, np.float32) - 0.03 * fbm((H2, W2), H2 / 10, rng)
    half = rng.random() < 0.55
    region = H2 * (0.5 if half else 1.0)
    hc = fit(header_cov, H2 * rng.uniform(0.009, 0.013), W2 * 0.9)
    y, x = int(H2 * rng.uniform(0.015, 0.03)), int(W2 * rng.uniform(0.04, 0.08))
    page[y:y + hc.shape[0], x:x + hc.shape[1]] -= hc * (tone - 0.1)
    if rng.random() < 0.5:
        yr = y + hc.shape[0] + int(H2 * 0.006)
        page[yr:yr + max(2, up), int(W2 * 0.04):int(W2 * 0.96)] = 0.1
    c = fit(cov, region * rng.uniform(0.22, 0.4), W2 * 0.6)
    top = int(region * rng.uniform(0.5, 0.6) - c.shape[0] / 2)
    left = int(W2 * rng.uniform(0.3, 0.7) - c.shape[1] / 2)
    ink = tone - ink_tone - rng.uniform(0.0, 0.15 if dither else 0)
    page[top:top + c.shape[0], left:left + c.shape[1]] -= c * ink
    if rng.random() < 0.33:  # the page's border: the scanner's black edge round a smaller sheet
        b = int(H2 * rng.uniform(0.006, 0.015))
        page[:b], page[-b:], page[:, :b], page[:, -b:] = 0.05, 0.05, 0.05, 0.05
    M = cv2.getRotationMatrix2D((W2 / 2, H2 / 2), rng.uniform(-2.5, 2.5), 1.0)
    page = cv2.warpAffine(page, M, (W2, H2), flags=cv2.INTER_LINEAR, borderValue=float(tone))
    small = cv2.resize(page, (pw, ph), interpolation=cv2.INTER_AREA)
    small += rng.normal(0, 0.04, small.shape).astype(np.float32)
    bits = one_bit(small, rng, dither)
    m = int(W2 * 0.02)  # the skew's reach
    streaks(bits, rng, ((top - m) // up, (left - m) // up, (top + c.shape[0] + m) // up, (left + c.shape[1] + m) // up))
    if half:
        bits = bits[:ph // 2]
    scale = max(rng.uniform(0.5, 1.6), 320 / bits.shape[0])
    size = (int(round(bits.shape[1] * scale)), max(320, int(round(bits.shape[0] * scale))))
    crisp = scale >= 1 and rng.random() < 0.6  # a page shrunk is averaged (grey), never subsampled (moire)
    out = cv2.resize(bits, size, interpolation=cv2.INTER_NEAREST if crisp else
                     cv2.INTER_LINEAR if scale >= 1 else cv2.INTER_AREA)
    return np.uint8(np.clip(out, 0, 1) * 255 + 0.5), crisp


# --- yarn-digit -----------------------------------------------------------------------------

YARNS = {"yarn": ([0.8, 0.12, 0.15], [0.15, 0.3, 0.7], [0.2, 0.55, 0.25], [0.95, 0.75, 0.15], [0.55, 0.2, 0.6],
                  [0.95, 0.5, 0.6], [0.1, 0.1, 0.12]),
         "string": ([0.88, 0.82, 0.66], [0.95, 0.94, 0.9], [0.75, 0.2, 0.15]),
         "rope": ([0.62, 0.47, 0.28], [0.2, 0.3, 0.55], [0.85, 0.8, 0.7], [0.7, 0.15, 0.12])}
CARPETS = ([0.55, 0.52, 0.48], [0.3, 0.32, 0.4], [0.6, 0.2, 0.18], [0.75, 0.68, 0.55], [0.25, 0.35, 0.28])
SHEETS = ([0.95, 0.95, 0.96], [0.8, 0.87, 0.95], [0.96, 0.88, 0.9], [0.95, 0.93, 0.8], [0.85, 0.92, 0.85])


def yarn_ground(shape, rng, kind):
    """A table top, a carpet (a fine pile, mottled) or a bedsheet (a fine weave, soft
    folds, a woven stripe now and then)."""
    h, w = shape
    if kind == "table":
        return desk(shape, np.random.default_rng(int(rng.integers(1 << 30))))
    if kind == "carpet":
        pile = cv2.GaussianBlur(rng.random((h // 3, w // 3), dtype=np.float32), (0, 0), 0.8)
        pile = cv2.resize((pile - pile.mean()) / (pile.std() + 1e-6), (w, h), interpolation=cv2.INTER_LINEAR)
        tone = 0.85 + 0.12 * pile + 0.2 * fbm((h, w), h / 6, rng)
        return np.float32(pick(rng, CARPETS)) * tone[..., None]
    weave = cv2.GaussianBlur(rng.random((h, w), dtype=np.float32), (0, 0), 0.7)
    folds = smooth_noise((h, w), h / 3, rng, w / 5)
    tone = 0.86 + 0.08 * (weave - 0.5) + 0.16 * folds
    img = np.float32(pick(rng, SHEETS)) * tone[..., None]
    if rng.random() < 0.35:
        period = h * rng.uniform(0.08, 0.15)
        stripe = (np.sin(np.arange(h, dtype=np.float32) * 2 * math.pi / period) > 0.7).astype(np.float32)[:, None]
        img = img * (1 - 0.25 * stripe[..., None]) + 0.25 * stripe[..., None] * np.float32([0.5, 0.6, 0.8]) * tone[
            ..., None]
    return img


def skeleton_ends(cov, min_run):
    """The ends of cov's centre line and the way each points (y, x, dy, dx); an end whose
    branch meets another within min_run pixels (a spur of the thinning) is left out."""
    skel = cv2.ximgproc.thinning(np.uint8(cov > 0.5) * 255, thinningType=cv2.ximgproc.THINNING_GUOHALL) > 0
    ys, xs = np.nonzero(skel)
    on = set(zip(ys.tolist(), xs.tolist()))

    def around(p):
        return [(p[0] + dy, p[1] + dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if (dy or dx) and
                (p[0] + dy, p[1] + dx) in on]
    ends = []
    for p in on:
        if len(around(p)) != 1:
            continue
        path, prev, cur = [p], None, p
        while len(path) < 3 * min_run:
            nxt = [q for q in around(cur) if q != prev and q not in path[-3:]]
            if len(nxt) != 1:
                break
            prev, cur = cur, nxt[0]
            path.append(cur)
        if len(path) < min_run:
            continue
        back = np.float32(path[min(len(path) - 1, min_run)])
        d = np.float32(p) - back
        d /= max(1e-3, float(np.hypot(*d)))
        ends.append((p[0], p[1], float(d[0]), float(d[1])))
    return sorted(ends)


def loose_ends(cov, width, rng):
    """cov with the yarn's cut ends sticking out a little past the stroke's ends, frayed
    into a few fibres."""
    out = np.pad(cov, int(width * 3))
    m = int(width * 3)
    for y, x, dy, dx in skeleton_ends(cov, max(4, int(width * 1.5))):
        n = width * rng.uniform(0.6, 1.4)
        y, x = y + m, x + m
        tip = (int(x + dx * n), int(y + dy * n))
        cv2.line(out, (x, y), tip, 1.0, max(2, int(width * 0.8)), cv2.LINE_AA)
        a0 = math.atan2(dy, dx)
        for _ in range(int(rng.integers(2, 5))):
            a = a0 + rng.uniform(-0.5, 0.5)
            f = width * rng.uniform(0.4, 1.0)
            cv2.line(out, tip, (int(tip[0] + f * math.cos(a)), int(tip[1] + f * math.sin(a))), 1.0,
                     max(1, int(width * 0.12)), cv2.LINE_AA)
    return out


def yarn_paint(cov, width, colour, rng, kind):
    """A tube of yarn, string or rope along cov's strokes `width` px thick: rounded by a
    light from the upper left, its plies twisting across it, a fuzz of fibres at its edges.
    Returns the colour picture and the coverage."""
    h, w = cov.shape
    inside = np.uint8(cov > 0.5)
    r = max(1.5, width / 2)
    d = cv2.distanceTransform(inside, cv2.DIST_L2, 5)
    height = np.sqrt(np.clip(1 - (1 - np.minimum(d, r) / r) ** 2, 0, 1)) * r
    hy, hx = np.gradient(soft(height, 0.8))
    light = np.float32([-0.5, -0.6, 0.62])
    light /= np.linalg.norm(light)
    shade = (-hx * light[0] - hy * light[1] + light[2]) / np.sqrt(hx ** 2 + hy ** 2 + 1)
    g = soft(cov, r)
    gy, gx = np.gradient(g)
    jxx, jyy, jxy = soft(gx * gx, r), soft(gy * gy, r), soft(gx * gy, r)
    normal = 0.5 * np.arctan2(2 * jxy, jxx - jyy)  # the way across the stroke
    phi = normal + rng.choice((-1, 1)) * rng.uniform(0.6, 0.9)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    period = width * (rng.uniform(0.5, 0.8) if kind != "string" else rng.uniform(0.35, 0.5))
    twist = 0.5 + 0.5 * np.sin((xx * np.cos(phi) + yy * np.sin(phi)) * 2 * math.pi / period)
    fibre = cv2.GaussianBlur(rng.random((h, w), dtype=np.float32), (0, 0), 0.6)
    tone = np.clip(0.3 + 0.75 * shade, 0.15, 1.1) * (0.68 + 0.32 * twist ** 0.7) * (0.9 + 0.2 * fibre)
    img = np.float32(colour) * tone[..., None]
    edge = soft(cov, max(0.8, width * 0.06))
    fuzz = np.clip(soft(cov, width * 0.18) * 1.6 - 0.2, 0, 1) * (fibre > 0.55)
    alpha = np.clip(np.maximum(edge, fuzz * (0.5 if kind == "yarn" else 0.25)), 0, 1)
    return img, alpha


def yarn_photo(cov, width_fraction, rng, kind, ground):
    """The mark laid out in yarn, string or rope (`width_fraction` of cov's height thick)
    on a table, a carpet or a bedsheet, a soft shadow beside it, photographed from above
    at a slight angle."""
    side = 1900  # the digit a third of it or less: the ground, reflected past its edges, fills the frame
    shape = (side, int(side * rng.uniform(1.1, 1.35)))
    img = yarn_ground(shape, rng, ground)
    bare = img.copy()
    c = fit(cov, side * rng.uniform(0.25, 0.33), shape[1] * 0.45)
    width = max(3.0, width_fraction * c.shape[0])
    c = loose_ends(c, width, rng)
    under = img[img.shape[0] // 3:-img.shape[0] // 3, img.shape[1] // 3:-img.shape[1] // 3].reshape(-1, 3).mean(axis=0)
    for _ in range(20):  # a yarn that stands out from what it lies on
        colour = pick(rng, YARNS[kind])
        if abs(np.mean(colour) - under.mean()) > 0.2 or np.abs(np.float32(colour) - under).sum() > 0.6:
            break
    paint, alpha = yarn_paint(c, width, colour, rng, kind)
    top, left = (shape[0] - c.shape[0]) // 2 + int(rng.uniform(-0.06, 0.06) * side), (shape[1] - c.shape[1]) // 2
    hh, ww = c.shape
    shadow = shifted(soft(alpha, width * 0.5), int(width * 0.35), int(width * 0.3)) * 0.45
    region = img[top:top + hh, left:left + ww]
    region *= (1 - shadow)[..., None]
    region[...] = region * (1 - alpha[..., None]) + paint * alpha[..., None]
    m = int(width * 3)
    target = (top + m, left + m, top + hh - m, left + ww - m)
    frame = photo_frame(rng)
    work = work_frame(frame)
    view = (rng.uniform(0, 22), rng.uniform(-10, 10), rng.uniform(1.4, 2.4), target, rng.uniform(0.3, 0.5))
    state = rng.bit_generator.state  # the bare ground and the yarn on it seen alike
    ground_seen, _, _ = place_plane(bare, work, rng, *view, spin=10, border=cv2.BORDER_REFLECT)
    rng.bit_generator.state = state
    placed, _, _ = place_plane(feathered(img, 0.1), work, rng, *view, spin=10)
    out = over(placed, ground_seen)
    out = lamp_light(out, rng, warm=rng.random() < 0.5, fall=(0.6, 0.92))
    return finish(out, frame, rng, blur=(0.4, 1.0))


# --- frost-finger -----------------------------------------------------------------------------

def behind_glass(shape, rng, night):
    """What is behind the glass, far off and out of focus: a sky, a street of houses,
    trees and parked cars by day; dark with lit windows and street lamps by night."""
    h, w = shape
    img = np.empty((h, w, 3), np.float32)
    horizon = int(h * rng.uniform(0.3, 0.55))
    sky = np.float32([0.05, 0.06, 0.1]) if night else np.float32(pick(rng, ([0.62, 0.75, 0.92], [0.78, 0.8, 0.83])))
    img[:horizon] = sky
    ground = np.float32(pick(rng, ([0.35, 0.35, 0.37], [0.88, 0.9, 0.93], [0.3, 0.42, 0.22])))
    img[horizon:] = ground * (0.15 if night else 1.0)
    for _ in range(int(rng.integers(3, 8))):  # houses and cars
        bw, bh = int(w * rng.uniform(0.1, 0.3)), int(h * rng.uniform(0.1, 0.35))
        x, y = int(rng.uniform(-0.1, 1.0) * w), horizon + int(h * rng.uniform(-0.05, 0.1)) - bh
        col = np.float32(pick(rng, ([0.7, 0.6, 0.5], [0.5, 0.2, 0.15], [0.85, 0.85, 0.8], [0.3, 0.3, 0.35],
                                    [0.2, 0.3, 0.5]))) * (0.2 if night else 1.0)
        cv2.rectangle(img, (x, y), (x + bw, y + bh), tuple(float(v) for v in col), -1)
        if night and rng.random() < 0.7:
            cv2.rectangle(img, (x + bw // 4, y + bh // 4), (x + bw // 2, y + bh // 2), (1.0, 0.8, 0.45), -1)
    for _ in range(int(rng.integers(1, 5))):  # trees
        r = int(h * rng.uniform(0.06, 0.15))
        cv2.circle(img, (int(rng.uniform(0, w)), horizon - int(r * rng.uniform(0.5, 1.5))), r,
                   tuple(float(v) for v in np.float32([0.15, 0.3, 0.12]) * (0.2 if night else 1.0)), -1)
    if night:
        for _ in range(int(rng.integers(2, 7))):  # street lamps, car lights
            cv2.circle(img, (int(rng.uniform(0, w)), int(h * rng.uniform(0.2, 0.7))), int(h * 0.012),
                       (1.6, 1.3, 0.8), -1)
    img *= (0.9 + 0.2 * fbm((h, w), h / 4, rng))[..., None]
    return cv2.GaussianBlur(img, (0, 0), h / 45)


def frost_layer(shape, rng, kind):
    """The frost's or the condensation's cover in [0, 1]: ice crystals growing in
    feathery streaks at a few angles, with glinting specks; or a mist of droplets."""
    h, w = shape
    if kind == "frost":
        cover = np.zeros((h, w), np.float32)
        for _ in range(4):
            a = rng.uniform(0, 180)
            streak = smooth_noise((h, w), h / 25, rng, h / 250)
            M = cv2.getRotationMatrix2D((w / 2, h / 2), a, 1.4)
            cover = np.maximum(cover, cv2.warpAffine(streak, M, (w, h), borderMode=cv2.BORDER_REFLECT))
        specks = np.float32(rng.random((h, w), dtype=np.float32) > 0.985)
        return np.clip(0.72 + 0.35 * (cover - 0.5) + 0.15 * fbm((h, w), h / 6, rng) + 0.3 * soft(specks, 0.7),
                       0.45, 0.98)
    drops = np.zeros((h, w), np.float32)
    for _ in range(int(h * w / 300)):
        cv2.circle(drops, (int(rng.uniform(0, w)), int(rng.uniform(0, h))), int(rng.integers(1, 4)), 1.0, -1)
    return np.clip(rng.uniform(0.65, 0.85) + 0.12 * fbm((h, w), h / 5, rng) - 0.25 * soft(drops, 0.8) +
                   0.15 * (drops - soft(drops, 1.5)), 0.3, 0.9)


def frost_photo(cov, width, rng, kind, setting):
    """The mark traced with a finger (`width` px wide on cov) in frost or condensation
    on a car's window (its body and rubber seal at one edge, a wiper blade) or a house's
    (a painted frame): the frost wiped away along the trace, its edge piled up and
    ragged, droplets in and round it, water running down from it in condensation; the
    scene behind the glass showing through blurred. Photographed close to the glass."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    night = rng.random() < 0.3
    behind = behind_glass(work, rng, night)
    side = 1300
    shape = (side, int(side * rng.uniform(1.0, 1.4)))
    cover = frost_layer(shape, rng, kind)
    c = fit(cov, side * rng.uniform(0.35, 0.5), shape[1] * 0.6)
    s = c.shape[0] / cov.shape[0]
    r = width * s / 2
    top, left = (shape[0] - c.shape[0]) // 2, (shape[1] - c.shape[1]) // 2
    rag = smooth_noise(c.shape, max(2.0, r * 0.6), rng) - 0.5
    trace = np.clip((soft(c, r * 0.25) - 0.5 + 0.5 * rag) * 5 + 0.5, 0, 1)
    rim = np.clip(soft(trace, r * 0.35) - trace, 0, 1) * 2.5
    clear = np.zeros(shape, np.float32)
    clear[top:top + c.shape[0], left:left + c.shape[1]] = trace
    pile = np.zeros(shape, np.float32)
    pile[top:top + c.shape[0], left:left + c.shape[1]] = rim
    if kind == "mist" and rng.random() < 0.35:  # drips from the trace's lowest points
        ys, xs = np.nonzero(trace > 0.5)
        for x in rng.choice(np.unique(xs), size=min(int(rng.integers(1, 3)), len(np.unique(xs))), replace=False):
            y = ys[xs == x].max()
            length = int(side * rng.uniform(0.03, 0.12))
            cv2.line(clear, (left + int(x), top + int(y)), (left + int(x + rng.normal(0, 3)), top + int(y) + length),
                     1.0, max(2, int(r * 0.25)), cv2.LINE_AA)
    residue = rng.uniform(0.03, 0.12) * (0.6 + 0.8 * smooth_noise(shape, r, rng))
    alpha = np.clip(cover * (1 - clear) + residue * clear + 0.35 * pile * cover, 0, 1)
    ramp = feathered(np.zeros(shape + (1,), np.float32), 0.1)[..., 1:]  # the glass fading into frost painted round it
    flat = np.concatenate([np.stack([alpha, clear], axis=2), ramp], axis=2)
    placed, _, box = place_plane(flat, work, rng, rng.uniform(0, 20), rng.uniform(-15, 15), rng.uniform(1.4, 2.2),
                                 (top, left, top + c.shape[0], left + c.shape[1]), rng.uniform(0.3, 0.55), spin=10)
    ramp = placed[..., 2:3]
    a = placed[..., 0:1] * ramp + frost_layer(work, rng, kind)[..., None] * (1 - ramp)
    wiped = placed[..., 1]
    frost_tone = np.float32([0.86, 0.9, 0.95]) * (0.55 if night else 1.0)
    darkest = frost_tone.mean() - (0.25 if night else 0.4)
    lum = behind.mean(axis=2, keepdims=True)  # what shows through the trace stands out from the frost
    behind = behind * np.minimum(1, darkest / np.maximum(lum, 1e-3))
    glow = lamp_light(np.ones(work + (3,), np.float32), rng, warm=night, fall=(0.7, 0.95))
    out = behind * (1 - a) + frost_tone * glow * a
    edge = (box[:, 0].max() < work[1] * 0.75, box[:, 0].min() > work[1] * 0.25)
    out = window_edge(out, rng, setting, edge)
    return finish(out, frame, rng, blur=(0.4, 1.0))


def window_edge(img, rng, setting, room):
    """A car's body and the glass's black rubber seal along one edge (and a wiper blade
    one time in two), or a house window's painted frame, kept to a side the mark leaves
    free (room: (right free, left free))."""
    h, w = img.shape[:2]
    right = room[0] if room[0] != room[1] else rng.random() < 0.5
    if not (room[0] or room[1]):
        return img
    band = int(w * rng.uniform(0.06, 0.12))
    x0, x1 = (w - band, w) if right else (0, band)
    if setting == "car":
        body = np.float32(pick(rng, ([0.6, 0.05, 0.08], [0.1, 0.15, 0.35], [0.85, 0.85, 0.86], [0.15, 0.15, 0.16])))
        img[:, x0:x1] = body * (0.7 + 0.5 * np.linspace(0, 1, h, dtype=np.float32))[:, None, None]
        seal = int(band * 0.2)
        sx = x0 - seal if right else x1
        img[:, max(0, sx):sx + seal] = 0.04
    else:
        paint = np.float32(pick(rng, ([0.93, 0.93, 0.9], [0.35, 0.22, 0.12], [0.2, 0.35, 0.3])))
        img[:, x0:x1] = paint * (0.85 + 0.1 * fbm((h, band), h / 8, rng))[..., None]
    return img


# --- barcode-label -----------------------------------------------------------------------------

LABEL_PAPERS = ([0.97, 0.97, 0.96], [0.98, 0.95, 0.55], [0.96, 0.96, 0.9])
PACKAGES = ([0.75, 0.15, 0.12], [0.15, 0.35, 0.7], [0.95, 0.8, 0.3], [0.2, 0.55, 0.3], [0.9, 0.9, 0.88],
            [0.3, 0.2, 0.35])


def barcode_bits(rng, count):
    """A barcode's modules (1 = a bar): guards at both ends and in the middle, bars and
    spaces of 1-4 modules between them."""
    def run():
        out = []
        for _ in range(count):
            out += [1] * int(rng.integers(1, 5)) + [0] * int(rng.integers(1, 4))
        return out
    return [1, 0, 1] + run() + [0, 1, 0, 1, 0] + run() + [1, 0, 1]


def barcode_label(number_cov, words, rng, beside):
    """A printed label: a line or two of small text at the top, the barcode, and
    number_cov (the number, letters, or None) right under the bars or beside them.
    Returns the label and the box of the number (or of the bars where there is none)."""
    bits = barcode_bits(rng, int(rng.integers(10, 16)))
    unit = int(rng.integers(3, 6))
    bar_h = int(unit * len(bits) * rng.uniform(0.3, 0.5))
    num_h = int(bar_h * rng.uniform(0.22, 0.32))
    num = None if number_cov is None else fit(number_cov, num_h, unit * len(bits) * (0.7 if beside else 1.0))
    text_h = int(num_h * rng.uniform(0.5, 0.75))
    covs = [fit(wd, text_h, unit * len(bits) * 1.2) for wd in words]
    margin = int(unit * 8)
    bars_w = unit * len(bits)
    width = margin * 2 + bars_w + (num.shape[1] + margin if beside and num is not None else 0)
    width = max(width, max(c.shape[1] for c in covs) + 2 * margin)
    height = margin + sum(c.shape[0] + text_h // 2 for c in covs) + bar_h + (
        0 if beside or num is None else num.shape[0] + unit * 2) + margin
    label = np.empty((height, width, 3), np.float32)
    label[...] = np.float32(pick(rng, LABEL_PAPERS))
    ink = np.zeros((height, width), np.float32)
    y = margin
    for c in covs:
        ink[y:y + c.shape[0], margin:margin + c.shape[1]] = c
        y += c.shape[0] + text_h // 2
    for i, b in enumerate(bits):
        if b:
            guard = i < 3 or i >= len(bits) - 3
            ink[y:y + bar_h + (unit * 3 if guard and not beside else 0), margin + i * unit:margin + (i + 1) * unit] = 1
    box = (y, margin, y + bar_h, margin + bars_w)
    if num is not None:
        if beside:
            ny, nx = y + bar_h - num.shape[0], margin * 2 + bars_w
        else:
            ny, nx = y + bar_h + unit * 2, margin + (bars_w - num.shape[1]) // 2
        ink[ny:ny + num.shape[0], nx:nx + num.shape[1]] = np.maximum(ink[ny:ny + num.shape[0], nx:nx + num.shape[1]],
                                                                    num)
        box = (ny, nx, ny + num.shape[0], nx + num.shape[1])
    label *= (1 - 0.92 * soft(ink, 0.6))[..., None]
    return label, box


def barcode_photo(number_cov, words, rng, where):
    """The label stuck on a product's printed package or clipped to a shelf's edge,
    photographed at an angle, the whole label 35-70% of the frame tall."""
    label, box = barcode_label(number_cov, words, rng, beside=rng.random() < 0.3)
    lh, lw = label.shape[:2]
    sh, sw = int(lh * rng.uniform(2.2, 3.2)), int(lw * rng.uniform(1.8, 2.6))
    if where == "shelf":
        ground = np.float32(pick(rng, ([0.85, 0.85, 0.84], [0.25, 0.25, 0.27], [0.9, 0.3, 0.2])))
        img = ground * (0.9 + 0.1 * fbm((sh, sw), sh / 3, rng))[..., None]
        img[: sh // 6] *= 0.5  # the shelf's lip above
    else:
        base = np.float32(pick(rng, PACKAGES))
        img = base * (0.75 + 0.4 * fbm((sh, sw), sh / 3, rng))[..., None]
    bare = img.copy()
    top, left = (sh - lh) // 2, (sw - lw) // 2
    img[top:top + lh, left:left + lw] = label
    target = (top, left, top + lh, left + lw)
    return photographed(feathered(img, 0.08), lambda work: matched(
        np.float32(bare.mean(axis=(0, 1))) * (0.8 + 0.3 * fbm(work, work[0] / 3, rng))[..., None], bare),
        target, rng, (10, 35), 25, (0.35, 0.7), 12)


# --- Non-digit marks ------------------------------------------------------------------------------

def star_pts(cx, cy, r, points=5, inner=0.45):
    return [(cx + (r if k % 2 == 0 else r * inner) * math.sin(k * math.pi / points),
             cy - (r if k % 2 == 0 else r * inner) * math.cos(k * math.pi / points)) for k in range(2 * points + 1)]


def star_cov(size=300):
    """A filled five-pointed star, as a stamp's rubber cuts it."""
    out = np.zeros((size, size), np.float32)
    cv2.fillPoly(out, [np.int32(np.float32(star_pts(0.5, 0.53, 0.48)) * size)], 1.0, cv2.LINE_AA)
    return H.crop_to_ink(out)


def check_paths(rng):
    a = rng.uniform(0.45, 0.65)
    return [[(0.05, a), (0.35, 0.92), (0.95, 0.08)]]


def signature_paths(rng):
    """A signature's scrawl, much wider than tall: a tall first hump, a run of small
    arches of its own count, height and slant, a flourish up at its end and a stroke
    under it now and then; nothing written like a digit."""
    n = int(rng.integers(4, 9))
    amp, slant, x0 = rng.uniform(0.06, 0.14), rng.uniform(0.0, 0.35), rng.uniform(0.18, 0.3)
    first = [(0.04 + (x0 - 0.04) * t, 0.62 - rng.uniform(0.3, 0.45) * math.sin(math.pi * t)) for t in
             np.linspace(0, 1, 16)]
    xs = np.linspace(x0, 0.9, n * 8)
    run = [(x, 0.62 - amp * abs(math.sin((x - x0) * n * math.pi / (0.9 - x0))) + rng.normal(0, 0.006)) for x in xs]
    end = [(0.9 + 0.08 * t, 0.62 - 0.3 * t * t) for t in np.linspace(0, 1, 6)] if rng.random() < 0.5 else []
    paths = [first + run + end]
    if rng.random() < 0.6:
        paths.append([(0.02, 0.8), (0.5, 0.76 + rng.normal(0, 0.02)), (0.98, 0.72)])
    return [[(x + slant * (0.62 - y), y * 0.5 + 0.25) for x, y in p] for p in paths]


def yarn_shape_paths(kind, rng):
    """A piece of yarn laid in a loop (a flat loop on a line, its ends running off to
    either side: nothing like a 0, whose ring stands taller than wide, slashed or not), a
    knot (a pretzel of loops), a heart or a spiral."""
    if kind == "loop":
        ts = np.linspace(0.5 * math.pi + 0.35, -1.5 * math.pi - 0.35, 56)
        pts = [(0.5 + 0.3 * math.cos(t), 0.52 + 0.16 * math.sin(t)) for t in ts]
        return [[(0.0, 0.7)] + pts + [(1.0, 0.66)]]
    if kind == "knot":
        ts = np.linspace(0, 2 * math.pi, 80)
        return [[(0.5 + 0.4 * math.sin(t), 0.5 + 0.28 * math.sin(2 * t)) for t in ts] + [(0.55, 0.98)]]
    if kind == "heart":
        ts = np.linspace(0, 2 * math.pi, 48)
        return [[(0.5 + 0.45 * math.sin(t) ** 3,
                  0.45 - 0.03 * (13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)))
                 for t in ts]]
    ts = np.linspace(0, 5.2 * math.pi, 120)  # a spiral of two and a half turns
    return [[(0.5 + 0.46 * t / ts[-1] * math.cos(t), 0.5 + 0.46 * t / ts[-1] * math.sin(t)) for t in ts]]
