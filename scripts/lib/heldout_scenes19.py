"""Scenes of the nineteenth held-out set (scripts/make-heldout-set19.py), painted afresh: a
number painted on a small boat's hull above the water and its broken reflection; digits
bent from thin wire lying on a table or a cloth; felt digits sewn onto a patchwork quilt
or cushion; a digit painted on a pebble among pebbles; a digit of milk foam or cocoa on a
coffee seen from above; and the non-digit marks made in those settings. Pictures are
float32 RGB in [0, 1] until a scene returns uint8; a coverage map is float32 (h, w),
1 = ink. Every function draws only from the numpy Generator it is given. A flat picture
photographed is the tenth set's (scripts/lib/heldout_scenes10.py); a table, a cloth and a
surface filling the photo past its edges are the eighteenth's.
"""

import math

import cv2
import numpy as np

from heldout_render import fbm, smooth_noise
from heldout_scenes3 import fit
from heldout_scenes6 import pick
from heldout_scenes8 import soft
from heldout_scenes9 import feathered
from heldout_scenes10 import photographed
from heldout_scenes15 import ground, with_mask
from heldout_scenes16 import digit_height
from heldout_scenes17 import textured
from heldout_scenes18 import CLOTHS, TABLES, filling, lum, table_top

SPIN = 20  # degrees a photo is turned, at most
TILT = (0, 22)  # degrees the surface leans away from the camera


def shifted(mask, dy, dx):
    return np.roll(np.roll(mask, int(round(dy)), 0), int(round(dx)), 1)


def moved(mask, dy, dx):
    """mask moved by (dy, dx), nothing wrapping round its edges."""
    M = np.float32([[1, 0, dx], [0, 1, dy]])
    return cv2.warpAffine(mask, M, (mask.shape[1], mask.shape[0]), flags=cv2.INTER_LINEAR, borderValue=0)


def placed(work, c, top, left):
    """c (a coverage) on an empty (h, w) map at (top, left)."""
    m = np.zeros(work, np.float32)
    m[top:top + c.shape[0], left:left + c.shape[1]] = c
    return m


def bump_shade(cov, width, light, gloss=0.0, power=24):
    """A raised thing's shading from its coverage (a tube or a pad about `width` px wide):
    (diffuse factor, specular highlight), light = (x, y) towards the lamp."""
    hmap = cv2.GaussianBlur(cov, (0, 0), max(0.6, width * 0.35))
    gx = cv2.Sobel(hmap, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(hmap, cv2.CV_32F, 0, 1, ksize=3)
    k = max(1.0, width) * 1.2
    nx, ny, nz = -gx * k, -gy * k, np.ones_like(gx)
    n = np.sqrt(nx * nx + ny * ny + nz * nz)
    lx, ly, lz = light[0], light[1], 0.9
    ln = math.sqrt(lx * lx + ly * ly + lz * lz)
    diff = (nx * lx + ny * ly + nz * lz) / (n * ln)
    hx, hy, hz = lx / ln, ly / ln, lz / ln + 1
    hn = math.sqrt(hx * hx + hy * hy + hz * hz)
    spec = np.clip((nx * hx + ny * hy + nz * hz) / (n * hn), 0, 1) ** power * gloss
    return diff, spec


def lamp(rng):
    a = rng.uniform(0, 2 * math.pi)
    return math.cos(a), math.sin(a)


# --- boat-hull ---------------------------------------------------------------------------

HULLS = {"white": [0.92, 0.92, 0.9], "blue": [0.1, 0.24, 0.52], "red": [0.66, 0.1, 0.09]}
HULL_PAINTS = {"white": ([0.06, 0.06, 0.08], [0.08, 0.16, 0.45], [0.7, 0.08, 0.08]),
               "blue": ([0.96, 0.96, 0.94], [0.98, 0.85, 0.2]), "red": ([0.96, 0.96, 0.94], [0.06, 0.06, 0.08])}
WATERS = ([0.16, 0.3, 0.33], [0.2, 0.32, 0.4], [0.26, 0.33, 0.3], [0.14, 0.24, 0.3])


def water(work, colour, rng, horizon=0):
    """Water seen from its side: ripples stretched across, lighter towards the far shore."""
    h, w = work
    img = np.float32(colour) * np.ones(work + (3,), np.float32)
    ys = np.arange(h, dtype=np.float32)[:, None]
    rip = smooth_noise(work, max(2.0, h / 160), rng, max(8.0, w / 12)) - 0.5
    fine = smooth_noise(work, max(1.5, h / 400), rng, max(4.0, w / 40)) - 0.5
    img *= (1 + 0.35 * rip + 0.25 * fine)[..., None]
    sky = np.clip(1 - (ys - horizon) / max(1.0, h * 0.6), 0, 1)
    img += np.float32([0.6, 0.68, 0.72]) * (0.25 * sky)[..., None]
    glint = np.clip(rip + fine - 0.45, 0, 1) * 2.5
    img += (0.5 * glint)[..., None]
    return np.clip(img, 0, 1)


def boat_photo(cov, rng, hull):
    """cov painted on a small boat's hull (hull: white, blue or red) above the waterline,
    the paint a little worn, a rubbing strake above and a boot stripe below it; the far
    shore and the sky behind; the water below with ripples and the hull's and the digits'
    reflection broken by them. Seen from the quay, a little from above."""
    sh, sw = 1700, 2300
    work = (sh, sw)
    th, _ = filling(rng)
    dh = sh * min(0.55, th / 2.2)  # small on the scene: the sky and the water go past the photo's edges
    c = fit(cov, dh, sw * 0.45)
    ch, cw = c.shape
    cy, cx = int(sh * 0.48), int(sw * rng.uniform(0.45, 0.55))
    top, left = cy - ch // 2, cx - cw // 2
    y_g = int(top - dh * rng.uniform(0.35, 0.6))  # the gunwale
    y_w = int(top + ch + dh * rng.uniform(0.45, 0.7))  # the waterline
    y_h = int(y_g - dh * rng.uniform(0.4, 1.6))  # the far shore's foot
    bow_right = rng.random() < 0.5
    x_bow = (left + cw + dh * rng.uniform(1.2, 2.5)) if bow_right else (left - dh * rng.uniform(1.2, 2.5))
    x_stern = (left - dh * rng.uniform(3, 7)) if bow_right else (left + cw + dh * rng.uniform(3, 7))
    s = 1 if bow_right else -1
    # Behind: the sky, the far shore, the water.
    img = np.zeros(work + (3,), np.float32)
    sky = np.float32(pick(rng, ([0.75, 0.82, 0.9], [0.82, 0.84, 0.86], [0.62, 0.74, 0.88])))
    img[:] = sky
    shore_top = int(y_h - dh * rng.uniform(0.5, 1.2))
    ridge = shore_top + (smooth_noise((1, sw), 1, rng, sw / 8)[0] - 0.5) * dh * 0.8
    ys = np.arange(sh, dtype=np.float32)[:, None]
    land = (ys >= ridge[None, :]).astype(np.float32)
    shore = textured(work, pick(rng, ([0.2, 0.3, 0.16], [0.28, 0.3, 0.22], [0.35, 0.3, 0.25])), max(4.0, dh / 4),
                     rng, 0.3)
    img = img * (1 - land[..., None]) + shore * land[..., None]
    wcol = np.float32(pick(rng, WATERS))
    wat = water(work, wcol, rng, y_h)
    img[y_h:] = wat[y_h:]
    # The hull: a long shape from the stern to a raked bow, its sheer rising to the bow.
    xs = np.arange(sw, dtype=np.float32)
    length = abs(x_bow - x_stern)
    u = np.clip((xs - min(x_bow, x_stern)) / length, 0, 1)
    u = u if bow_right else 1 - u  # 0 at the stern, 1 at the bow
    rise = dh * 0.25 * u ** 2
    top_y = y_g - rise
    rake = (y_w - top_y) * 0.55  # the bow's stem, slanting back towards the waterline
    down = np.clip((ys - top_y[None, :]) / np.maximum(1, y_w - top_y[None, :]), 0, 1)
    bow_x = np.float32(x_bow) - s * rake * down ** 1.6
    inside = (ys >= top_y[None, :]) & (ys < y_w) & (s * (xs[None, :] - bow_x) <= 0) & \
        (s * (xs[None, :] - x_stern) >= 0)
    hm = soft(inside.astype(np.float32), 1.0)
    hcol = np.float32(HULLS[hull])
    depth = np.clip((ys - top_y[None, :]) / np.maximum(1, y_w - top_y[None, :]), 0, 1)
    body = hcol * (1.05 - 0.22 * depth)[..., None] * (0.93 + 0.1 * fbm(work, max(4.0, dh), rng))[..., None]
    body += 0.05 * (np.sin(ys / max(2.0, dh * 0.23) * math.pi) > 0.96)[..., None]  # planks' edges, faint
    # Grime and rust streaks running down.
    streaks = smooth_noise(work, max(8.0, dh * 1.5), rng, max(2.0, dh * 0.05))
    body *= (1 - 0.12 * np.clip(streaks - 0.6, 0, 1) * 2.5)[..., None]
    img = img * (1 - hm[..., None]) + body * hm[..., None]
    strake = (ys >= top_y[None, :]) & (ys < top_y[None, :] + dh * 0.13) & inside
    sc = np.float32(pick(rng, ([0.45, 0.3, 0.18], [0.12, 0.12, 0.13], [0.85, 0.85, 0.82])))
    img[strake] = sc * rng.uniform(0.85, 1.1)
    boot = (ys >= y_w - dh * 0.14) & (ys < y_w - dh * 0.06) & inside
    img[boot] = np.float32(pick(rng, ([0.1, 0.1, 0.12], [0.7, 0.15, 0.1], [0.15, 0.3, 0.6], [0.95, 0.95, 0.95])))
    below = (ys >= y_w - dh * 0.06) & inside
    img[below] = np.float32([0.35, 0.1, 0.08]) * 0.7  # antifouling just at the waterline
    # The number, painted, a little worn.
    ink = np.float32(pick(rng, HULL_PAINTS[hull]))
    a = placed(work, c, top, left)
    chips = smooth_noise(work, max(2.0, dh * 0.04), rng) * 0.75 + smooth_noise(work, max(1.5, dh * 0.012), rng) * 0.25
    a *= np.where(chips > rng.uniform(0.7, 0.78), 0.3, 0.97)  # chipped here and there
    a *= hm
    img = img * (1 - a[..., None]) + ink * (1.05 - 0.2 * depth)[..., None] * a[..., None]
    # The reflection below the waterline: the scene above flipped, pushed about by the ripples,
    # broken into bands, darkened and tinted by the water.
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float32)
    d = np.clip(yy - y_w, 0, None)
    wave = smooth_noise(work, max(2.0, dh * 0.08), rng, max(6.0, dh * 0.8)) - 0.5
    mx = xx + wave * dh * (0.25 + 0.9 * d / max(1.0, dh * 3))
    my = np.clip(2 * y_w - yy + wave * dh * 0.15, 0, sh - 1)
    refl = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    bands = smooth_noise(work, max(1.5, dh * 0.05), rng, max(6.0, dh * 1.2))
    broken = np.clip((bands - 0.35) * 4, 0, 1)
    mix = (0.6 * broken * np.exp(-d / max(1.0, dh * 4)))[..., None]
    under = (yy >= y_w)[..., None]
    seen = wat * (1 - mix) + (refl * 0.7 + wcol * 0.3) * mix
    img = np.where(under, seen, img)
    img[y_w:y_w + max(1, int(dh * 0.03))] *= 0.55  # the hull's shadow at the waterline
    target = (top, left, top + ch, left + cw)
    return photographed(feathered(np.clip(img, 0, 1), 0.1), lambda w: water(w, wcol, rng), target, rng, (0, 14), 18,
                        (th, th), 12)


# --- wire-digit --------------------------------------------------------------------------

METALS = {"copper": [0.82, 0.48, 0.26], "steel": [0.76, 0.77, 0.8]}


def contrasting(looks, colour, least=0.3):
    ok = [k for k in looks if abs(lum(k[1]) - lum(colour)) > least]
    return ok or [max(looks, key=lambda k: abs(lum(k[1]) - lum(colour)))]


ALL_TABLES = [("wood", c) for light in (True, False) for c in TABLES[light]] + \
    [("cloth", c) for light in (True, False) for c in CLOTHS[light]]


def wire_photo(cov, rng, metal):
    """cov (thin strokes, of one piece) as a wire of copper or steel (metal) bent to its
    shape, lying on a wooden table or a cloth of a colour it shows on: round, a highlight
    along it, a soft shadow offset from it."""
    sh, sw = 1400, 1900
    work = (sh, sw)
    colour = np.float32(METALS[metal])
    look = pick(rng, contrasting([k for k in ALL_TABLES if lum(k[1]) > 0.17], colour))  # (on black, lost in the dark)
    img = table_top(work, look, rng)
    th, part = filling(rng)
    c = fit(cov, sh * part, sw * 0.78)
    top, left = (sh - c.shape[0]) // 2, (sw - c.shape[1]) // 2
    m = placed(work, c, top, left)
    width = max(1.5, float(c.shape[0]) * 0.05)
    light = lamp(rng)
    off = width * rng.uniform(1.5, 3.5)
    shadow = shifted(soft(m, width * 0.9), -light[1] * off, -light[0] * off)
    img *= (1 - rng.uniform(0.4, 0.6) * np.clip(shadow * 1.6, 0, 1))[..., None]
    diff, spec = bump_shade(m, width, light, 1.3, 14)
    metal_img = colour * (0.5 + 0.65 * np.clip(diff, 0, 1))[..., None] + spec[..., None] * np.float32([1, 0.95, 0.9])
    if metal == "copper":
        metal_img *= (0.9 + 0.15 * smooth_noise(work, max(3.0, width * 6), rng))[..., None]  # tarnish
    img = img * (1 - m[..., None]) + np.clip(metal_img, 0, 1) * m[..., None]
    target = (top, left, top + c.shape[0], left + c.shape[1])
    return photographed(feathered(np.clip(img, 0, 1), 0.1), lambda w: table_top(w, look, rng), target, rng, TILT, 18,
                        (th, th), SPIN)


# --- felt-applique -----------------------------------------------------------------------

FABRICS = ([0.8, 0.25, 0.25], [0.95, 0.85, 0.6], [0.35, 0.5, 0.75], [0.55, 0.7, 0.45], [0.9, 0.6, 0.3],
           [0.75, 0.6, 0.8], [0.92, 0.9, 0.85], [0.3, 0.3, 0.45], [0.6, 0.4, 0.3], [0.85, 0.75, 0.75])
BLOCKS = ([0.95, 0.92, 0.84], [0.86, 0.9, 0.95], [0.9, 0.94, 0.86], [0.3, 0.36, 0.5], [0.96, 0.9, 0.9])
FELTS = ([0.8, 0.1, 0.12], [0.1, 0.2, 0.55], [0.12, 0.45, 0.2], [0.95, 0.75, 0.1], [0.9, 0.45, 0.1],
         [0.45, 0.15, 0.5], [0.95, 0.5, 0.65], [0.35, 0.2, 0.1], [0.95, 0.95, 0.92])
THREADS = ([0.95, 0.95, 0.92], [0.1, 0.1, 0.1], [0.85, 0.7, 0.2])


def fabric(work, colour, rng, scale):
    """A printed cotton: plain, dotted, striped or checked, woven."""
    h, w = work
    img = np.float32(colour) * np.ones(work + (3,), np.float32)
    kind = pick(rng, ("plain", "dots", "stripes", "check"))
    step = max(4, int(scale * rng.uniform(0.08, 0.16)))
    ys, xs = np.mgrid[0:h, 0:w]
    other = np.float32(pick(rng, FABRICS))
    if kind == "dots":
        pat = (((ys % step) - step / 2) ** 2 + ((xs % step) - step / 2) ** 2 < (step * 0.22) ** 2)
    elif kind == "stripes":
        pat = (ys % step) < step * 0.35
    elif kind == "check":
        pat = ((ys // step) + (xs // step)) % 2 == 0
    else:
        pat = np.zeros(work, bool)
    pat = pat.astype(np.float32) * rng.uniform(0.25, 0.5)
    img = img * (1 - pat[..., None]) + other * pat[..., None]
    return img * (0.94 + 0.06 * rng.random(work, np.float32))[..., None]


def dashes(img, contour, length, gap, colour, width):
    """A running stitch along a closed contour (points, px)."""
    pts = contour.reshape(-1, 2).astype(np.float32)
    if len(pts) < 4:
        return
    seg = np.r_[np.linalg.norm(np.diff(np.vstack([pts, pts[:1]]), axis=0), axis=1)]
    run, on, start = 0.0, True, pts[0]
    for i in range(len(pts)):
        p = pts[(i + 1) % len(pts)]
        run += seg[i]
        if on and run >= length:
            cv2.line(img, tuple(np.int32(start)), tuple(np.int32(p)), colour, width, cv2.LINE_AA)
            on, run = False, 0.0
        elif not on and run >= gap:
            on, run, start = True, 0.0, p


def felt_piece(img, m, colour, rng, thread, light):
    """A felt shape (coverage m) sewn on img: fuzzy fibres, its thickness's shadow, a
    running stitch just inside its edge."""
    h, w = m.shape
    size = max(2.0, float(np.sqrt(m.sum() / 40)))
    img *= (1 - 0.35 * shifted(soft(m, size * 0.15), -light[1] * size * 0.12, -light[0] * size * 0.12))[..., None]
    fib = cv2.GaussianBlur(rng.random(m.shape, np.float32), (0, 0), 0.8)
    fib = 0.88 + 0.25 * (fib - fib.mean()) / (fib.std() + 1e-6) * 0.35
    diff, _ = bump_shade(m, size * 0.3, light)
    felt = np.float32(colour) * (fib * (0.8 + 0.25 * diff))[..., None]
    img[...] = img * (1 - m[..., None]) + np.clip(felt, 0, 1) * m[..., None]
    inner = cv2.distanceTransform((m > 0.5).astype(np.uint8), cv2.DIST_L2, 5)
    d0 = max(2.0, size * 0.09)
    contours, _ = cv2.findContours((inner > d0).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    for ct in contours:
        if len(ct) > 8:
            dashes(img, ct, size * 0.12, size * 0.07, thread, max(1, int(size * 0.035)))


def patchwork(work, rng, patch, seam_colour):
    """A patchwork of squares `patch` px wide, each a cotton of its own, seamed, quilted
    with a running stitch beside each seam."""
    h, w = work
    img = np.zeros(work + (3,), np.float32)
    x0, y0 = -int(rng.uniform(0, patch)), -int(rng.uniform(0, patch))
    for y in range(y0, h, patch):
        for x in range(x0, w, patch):
            t, l = max(0, y), max(0, x)
            b, r = min(h, y + patch), min(w, x + patch)
            img[t:b, l:r] = fabric((b - t, r - l), pick(rng, FABRICS), rng, patch)
    seams = np.zeros(work, np.float32)
    sw_ = max(1, int(patch * 0.02))
    for y in range(y0, h + patch, patch):
        cv2.line(seams, (0, y), (w, y), 1.0, sw_)
    for x in range(x0, w + patch, patch):
        cv2.line(seams, (x, 0), (x, h), 1.0, sw_)
    puff = soft(seams, patch * 0.12)
    img *= (1 - 0.55 * seams - 0.25 * np.clip(puff * 3, 0, 1))[..., None]
    for y in range(y0, h + patch, patch):
        dashes_line(img, (0, y + patch * 0.06), (w, y + patch * 0.06), patch * 0.05, patch * 0.04, seam_colour,
                    max(1, int(patch * 0.012)))
    return img


def dashes_line(img, p0, p1, length, gap, colour, width):
    L = math.hypot(p1[0] - p0[0], p1[1] - p0[1])
    ux, uy = (p1[0] - p0[0]) / L, (p1[1] - p0[1]) / L
    t = 0.0
    while t < L:
        e = min(L, t + length)
        cv2.line(img, (int(p0[0] + ux * t), int(p0[1] + uy * t)), (int(p0[0] + ux * e), int(p0[1] + uy * e)), colour,
                 width, cv2.LINE_AA)
        t = e + gap


def felt_photo(cov, rng, kind):
    """cov (thick strokes, or a filled shape) cut from coloured felt and sewn onto a plain
    block of a patchwork quilt (kind "quilt", the quilt filling the photo) or of a
    patchwork cushion with a piped edge lying on a sofa ("cushion")."""
    sh, sw = 1400, 1900
    work = (sh, sw)
    if kind == "quilt":
        th, part = filling(rng)
    else:
        th = rng.uniform(*digit_height(rng))
        part = 0.3
    c = fit(cov, sh * part, sw * 0.55)
    ch, cw = c.shape
    patch = int(max(24, ch * rng.uniform(0.7, 1.0)))
    thread = pick(rng, THREADS)
    img = patchwork(work, rng, patch, thread)
    top, left = (sh - ch) // 2, (sw - cw) // 2
    mt, ml = int(ch * rng.uniform(0.3, 0.45)), int(ch * rng.uniform(0.3, 0.5))
    bt, bl, bb, br = top - mt, left - ml, top + ch + mt, left + cw + ml
    block = np.float32(pick(rng, BLOCKS))
    img[bt:bb, bl:br] = block * (0.94 + 0.06 * rng.random((bb - bt, br - bl), np.float32))[..., None]
    edge = np.zeros(work, np.float32)
    cv2.rectangle(edge, (bl, bt), (br, bb), 1.0, max(1, int(patch * 0.02)))
    img *= (1 - 0.5 * edge - 0.2 * np.clip(soft(edge, patch * 0.1) * 3, 0, 1))[..., None]
    for (p0, p1) in (((bl, bt + patch * 0.05), (br, bt + patch * 0.05)),
                     ((bl, bb - patch * 0.05), (br, bb - patch * 0.05))):
        dashes_line(img, p0, p1, patch * 0.05, patch * 0.04, thread, max(1, int(patch * 0.012)))
    felts = [f for f in FELTS if abs(lum(f) - lum(block)) > 0.25] or list(FELTS)
    colour = pick(rng, felts)
    sew = pick(rng, [t for t in THREADS if abs(lum(t) - lum(colour)) > 0.2] or list(THREADS))
    light = lamp(rng)
    m = placed(work, c, top, left)
    felt_piece(img, m, colour, rng, tuple(float(v) for v in sew), light)
    target = (top, left, top + ch, left + cw)
    if kind == "quilt":
        return photographed(feathered(np.clip(img, 0, 1), 0.1), lambda w: patchwork(w, rng, patch, thread), target,
                            rng, TILT, 18, (th, th), SPIN)
    # A cushion: the patchwork within its square, a piped edge, puffed up to the middle.
    S = max(bb - bt, br - bl) + 2 * patch
    ct, cl = max(0, (top + ch // 2) - S // 2), max(0, (left + cw // 2) - S // 2)
    cm = np.zeros(work, np.float32)
    cv2.rectangle(cm, (cl, ct), (min(sw - 1, cl + S), min(sh - 1, ct + S)), 1.0, -1)
    cm = soft(cm, patch * 0.08)
    dist = cv2.distanceTransform((cm > 0.5).astype(np.uint8), cv2.DIST_L2, 5)
    puff = np.clip(dist / (S * 0.25), 0, 1) ** 0.5
    img *= (0.72 + 0.3 * puff)[..., None]
    pipe = ((dist > 0) & (dist < max(2, patch * 0.08))).astype(np.float32)
    img = img * (1 - pipe[..., None]) + np.float32(pick(rng, FABRICS)) * 0.8 * pipe[..., None]
    sofa = np.float32(pick(rng, ([0.45, 0.42, 0.4], [0.25, 0.3, 0.4], [0.55, 0.45, 0.35], [0.3, 0.35, 0.3])))
    mask = np.maximum(cm, shifted(soft(cm, patch * 0.3), patch * 0.12, patch * 0.08) * 0.5)
    img = img * cm[..., None]
    return photographed(with_mask(np.clip(img, 0, 1), mask), lambda w: textured(w, sofa, max(4.0, w[0] / 6), rng, 0.1),
                        target, rng, TILT, 18, (th, th), SPIN)


# --- painted-rock ------------------------------------------------------------------------

STONES = {"dark": ([0.25, 0.25, 0.27], [0.3, 0.27, 0.24], [0.2, 0.22, 0.24], [0.35, 0.33, 0.32]),
          "light": ([0.72, 0.7, 0.66], [0.78, 0.72, 0.62], [0.68, 0.68, 0.7], [0.8, 0.78, 0.74])}
PEBBLES = ([0.55, 0.53, 0.5], [0.45, 0.42, 0.38], [0.65, 0.6, 0.52], [0.35, 0.35, 0.37], [0.7, 0.68, 0.64],
           [0.5, 0.4, 0.32], [0.6, 0.58, 0.58], [0.28, 0.28, 0.3])
ROCK_PAINTS = {"white": [0.96, 0.96, 0.93], "black": [0.06, 0.06, 0.07]}


def stone(img, cx, cy, a, b, angle, colour, rng, light, shadow=True):
    """A rounded pebble, an ellipse of semi-axes a, b turned `angle`, shaded as a dome:
    its coverage in img's frame (a box's worth), drawn on img. Returns (top, left, mask,
    the dome's height)."""
    h, w = img.shape[:2]
    R = int(max(a, b) * 1.15) + 4
    t, l, bt, r = max(0, int(cy) - R), max(0, int(cx) - R), min(h, int(cy) + R), min(w, int(cx) + R)
    if bt <= t or r <= l:
        return None
    yy, xx = np.mgrid[t:bt, l:r].astype(np.float32)
    ca, sa = math.cos(angle), math.sin(angle)
    u, v = ((xx - cx) * ca + (yy - cy) * sa) / a, (-(xx - cx) * sa + (yy - cy) * ca) / b
    th_ = np.arctan2(v, u)
    wob = 1 + 0.06 * np.sin(2 * th_ + rng.uniform(0, 6)) + 0.04 * np.sin(3 * th_ + rng.uniform(0, 6))
    r2 = (u * u + v * v) / (wob * wob)
    m = np.clip((1 - r2) * min(a, b) * 0.5, 0, 1)
    z = np.sqrt(np.clip(1 - r2, 0, 1)) ** 0.7
    nx, ny = (u * ca - v * sa) * 0.8, (u * sa + v * ca) * 0.8
    lx, ly = light
    dot = (nx * lx + ny * ly + z * 0.9) / np.sqrt(nx * nx + ny * ny + z * z + 1e-6) / \
        math.sqrt(lx * lx + ly * ly + 0.81)
    shade = 0.45 + 0.65 * np.clip(dot, 0, 1)
    reg = img[t:bt, l:r]
    if shadow:
        sm = moved(soft(m, min(a, b) * 0.15), -ly * min(a, b) * 0.18, -lx * min(a, b) * 0.18)  # (rolled, a stone cut
        # off by the picture's edge cast a thin line of shadow at the other side)
        reg *= (1 - 0.5 * sm)[..., None]
    speck = 0.92 + 0.16 * cv2.GaussianBlur(rng.random(m.shape, np.float32), (0, 0), 0.7)
    col = np.float32(colour) * (shade * speck)[..., None]
    reg[...] = reg * (1 - m[..., None]) + np.clip(col, 0, 1) * m[..., None]
    return t, l, m, shade


def pebbles(work, rng, unit, light):
    """A beach of pebbles about `unit` px across, packed, each shaded, in sand's gaps."""
    h, w = work
    img = textured(work, pick(rng, ([0.5, 0.45, 0.38], [0.35, 0.33, 0.3])), max(3.0, unit / 3), rng, 0.2)
    n = int(min(900, 2.2 * h * w / (unit * unit)))
    for _ in range(n):
        a = unit * rng.uniform(0.3, 0.65)
        stone(img, rng.uniform(0, w), rng.uniform(0, h), a, a * rng.uniform(0.6, 0.95), rng.uniform(0, math.pi),
              np.float32(pick(rng, PEBBLES)) * rng.uniform(0.85, 1.1), rng, light)
    return img


def curved(c, k):
    """c as painted on a dome: squeezed towards its edges (k: how round, 0..1)."""
    h, w = c.shape
    q = k * math.pi / 2
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ex, ey = (xx - w / 2) / (w / 2), (yy - h / 2) / (h / 2)
    sx = np.arcsin(np.clip(ex * math.sin(q), -1, 1)) / q
    sy = np.arcsin(np.clip(ey * math.sin(q * 0.7), -1, 1)) / (q * 0.7)
    return cv2.remap(c, sx * w / 2 + w / 2, sy * h / 2 + h / 2, cv2.INTER_LINEAR)


def rock_photo(cov, rng, paint):
    """cov painted in white or black (paint) on a smooth pebble of a colour it shows on,
    the paint following the stone's curve and its shading, the pebble lying among others
    on a beach, seen from above."""
    sh, sw = 1400, 1900
    work = (sh, sw)
    th, part = filling(rng)
    c = fit(cov, sh * part, sw * 0.6)
    ch, cw = c.shape
    light = lamp(rng)
    light = (light[0] * 0.6, -abs(light[1]) * 0.6 - 0.3)  # from above, more or less
    img = pebbles(work, rng, ch * rng.uniform(0.7, 1.1), light)
    top, left = (sh - ch) // 2, (sw - cw) // 2
    a, b = cw / 2 + ch * rng.uniform(0.45, 0.6), ch / 2 + ch * rng.uniform(0.35, 0.5)
    if a < b:
        a = b * rng.uniform(1.0, 1.15)
    colour = np.float32(pick(rng, STONES["dark" if paint == "white" else "light"]))
    angle = rng.uniform(-0.12, 0.12)
    t, l, m, shade = stone(img, sw / 2, sh / 2, a, b, angle, colour, rng, light)
    cc = curved(c, rng.uniform(0.45, 0.7))
    p = placed(work, cc, top, left)[t:t + m.shape[0], l:l + m.shape[1]] * m
    p *= (0.9 + 0.1 * rng.random(p.shape, np.float32))
    ink = np.float32(ROCK_PAINTS[paint]) * (0.55 + 0.5 * shade)[..., None]
    reg = img[t:t + m.shape[0], l:l + m.shape[1]]
    reg[...] = reg * (1 - p[..., None]) + np.clip(ink, 0, 1) * p[..., None]
    target = (top, left, top + ch, left + cw)
    unit = ch
    return photographed(feathered(np.clip(img, 0, 1), 0.1), lambda w: pebbles(w, rng, unit * w[0] / sh, light),
                        target, rng, TILT, 18, (th, th), SPIN)


# --- latte-foam --------------------------------------------------------------------------

CUPS = ([0.95, 0.95, 0.93], [0.95, 0.95, 0.93], [0.55, 0.7, 0.8], [0.15, 0.15, 0.16], [0.75, 0.4, 0.3])
CREMA = [0.55, 0.34, 0.17]
FOAM = [0.96, 0.93, 0.86]
COCOA = [0.3, 0.17, 0.09]


def disc(work, cx, cy, r, blur=1.0):
    m = np.zeros(work, np.float32)
    cv2.circle(m, (int(cx), int(cy)), int(r), 1.0, -1, cv2.LINE_AA)
    return soft(m, blur) if blur > 0 else m


def latte_photo(cov, rng, kind):
    """cov drawn on a coffee in a round cup seen from above: in milk foam poured on the
    brown crema (kind "foam"), or in cocoa on a cappuccino's milk foam ("cocoa"); foam
    bubbles, the cup's rim, its handle and the saucer round it, on a table."""
    S = 1500
    work = (S, S)
    R = S * 0.22
    cx, cy = S / 2, S / 2
    c = fit(cov, R * 0.95, R * 1.45)
    ch, cw = c.shape
    top, left = int(cy - ch / 2 + R * rng.uniform(-0.05, 0.05)), int(cx - cw / 2)
    light = lamp(rng)
    cup = np.float32(pick(rng, CUPS))
    img = np.zeros(work + (3,), np.float32)
    yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)
    rr = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2)
    # The saucer, its well, the cup's shadow on it, the handle.
    saucer = disc(work, cx, cy, R * 1.85, 1.5)
    sc = cup if rng.random() < 0.7 else np.float32(pick(rng, CUPS))
    sshade = 0.85 + 0.15 * np.clip(np.cos((rr - R * 1.45) / (R * 0.4) * math.pi / 2), 0, 1)
    img[:] = sc * sshade[..., None]
    cast = shifted(disc(work, cx, cy, R * 1.2, R * 0.08), -light[1] * R * 0.1, -light[0] * R * 0.1)
    img *= (1 - 0.3 * cast)[..., None]
    ha = rng.uniform(0, 2 * math.pi)
    handle = np.zeros(work, np.float32)
    hx, hy = cx + math.cos(ha) * R * 1.35, cy + math.sin(ha) * R * 1.35
    cv2.ellipse(handle, (int(hx), int(hy)), (int(R * 0.32), int(R * 0.14)), math.degrees(ha), 0, 360, 1.0, -1,
                cv2.LINE_AA)
    img *= (1 - 0.3 * shifted(soft(handle, R * 0.05), -light[1] * R * 0.08, -light[0] * R * 0.08))[..., None]
    img = img * (1 - handle[..., None]) + cup * 0.92 * handle[..., None]
    # The cup's rim: a ring, a highlight where the lamp is.
    rim = disc(work, cx, cy, R * 1.16, 1.0)
    ang = np.arctan2(yy - cy, xx - cx)
    hl = np.clip(np.cos(ang - math.atan2(light[1], light[0])), 0, 1) ** 6
    ring = cup * (0.9 + 0.1 * hl)[..., None] + (0.25 * hl * np.exp(-((rr - R * 1.08) / (R * 0.03)) ** 2))[..., None]
    img = img * (1 - rim[..., None]) + np.clip(ring, 0, 1) * rim[..., None]
    # The drink.
    drink = disc(work, cx, cy, R, 1.0)
    swirl = fbm(work, R * 0.5, rng)
    if kind == "foam":
        surf = np.float32(CREMA) * (0.8 + 0.35 * swirl)[..., None]
        surf *= (1 - 0.35 * np.clip((rr - R * 0.85) / (R * 0.15), 0, 1))[..., None]  # darker at the edge
        colour = np.float32(FOAM)
        a = soft(placed(work, c, top, left), max(1.0, ch * 0.012))
        a = np.clip(a * 1.15, 0, 1)
        halo = soft(a, ch * 0.03) * (1 - a)
        surf = surf * (1 - 0.25 * halo[..., None]) + np.float32([0.75, 0.55, 0.35]) * 0.25 * halo[..., None]
        foam = colour * (0.92 + 0.08 * swirl)[..., None]
    else:
        surf = np.float32(FOAM) * (0.93 + 0.09 * swirl)[..., None]
        edge = np.clip((rr - R * 0.82) / (R * 0.18), 0, 1)
        surf = surf * (1 - edge[..., None]) + np.float32(CREMA) * (0.9 + 0.2 * swirl)[..., None] * edge[..., None]
        grains = rng.random(work, np.float32)
        a = placed(work, c, top, left)
        a = soft(a, max(1.0, ch * 0.01)) * (0.55 + 0.45 * (grains > 0.3))
        a = np.clip(a, 0, 1) * rng.uniform(0.8, 0.95)
        foam = np.float32(COCOA) * (0.85 + 0.3 * grains)[..., None]
    surf = surf * (1 - a[..., None]) + foam * a[..., None]
    # Bubbles: small rings, more near the edge.
    for _ in range(int(rng.integers(30, 90))):
        rb = R * (rng.uniform(0.78, 0.97) if rng.random() < 0.75 else rng.uniform(0.2, 0.97))
        t_ = rng.uniform(0, 2 * math.pi)
        bx, by = cx + rb * math.cos(t_), cy + rb * math.sin(t_)
        br = max(2, int(R * rng.uniform(0.008, 0.022)))
        cv2.circle(surf, (int(bx), int(by)), br, (0.98, 0.96, 0.9), -1, cv2.LINE_AA)
        cv2.circle(surf, (int(bx), int(by)), br, (0.5, 0.35, 0.22), 1, cv2.LINE_AA)
    inner = np.clip((rr - R * 0.94) / (R * 0.06), 0, 1)  # the cup's inner wall's shadow
    surf *= (1 - 0.3 * inner)[..., None]
    img = img * (1 - drink[..., None]) + surf * drink[..., None]
    # A window's reflection, faint.
    wx, wy = cx + light[0] * R * 0.5, cy + light[1] * R * 0.5
    img += (0.06 * disc(work, wx, wy, R * 0.25, R * 0.12) * drink)[..., None]
    mask = np.maximum(saucer, shifted(soft(saucer, R * 0.12), -light[1] * R * 0.12, -light[0] * R * 0.12) * 0.45)
    target = (top, left, top + ch, left + cw)
    where = ground(pick(rng, ("desk", "cloth", "floor")), rng)
    return photographed(with_mask(np.clip(img * saucer[..., None], 0, 1), mask), where, target, rng, TILT, 18,
                        digit_height(rng), SPIN)


# --- marks -------------------------------------------------------------------------------

def spiral_paths(rng):
    turns = rng.uniform(2.2, 3.2)
    t = np.linspace(0, turns * 2 * math.pi, 120)
    r = 0.05 + 0.45 * t / t[-1]
    a0 = rng.uniform(0, 2 * math.pi)
    return [[(0.5 + r_ * math.cos(a0 + t_), 0.5 + r_ * math.sin(a0 + t_)) for t_, r_ in zip(t, r)]]


def leaf_paths(rng):
    """A latte's rosetta: stacked chevrons, narrower to the top, a line pulled through."""
    paths = []
    n = int(rng.integers(5, 8))
    for i in range(n):
        y = 0.15 + 0.7 * i / (n - 1)
        wdt = 0.12 + 0.3 * i / (n - 1)
        paths.append([(0.5 - wdt, y - 0.08), (0.5, y + 0.04), (0.5 + wdt, y - 0.08)])
    paths.append([(0.5, 0.05), (0.5, 1.0)])
    return paths


def filled_cov(paths, size=300):
    """The inside of a closed path (the first), filled: a felt heart, a house."""
    m = np.zeros((size + 20, size + 20), np.uint8)
    pts = np.int32(np.round((np.float32(paths[0]) * size + 10) * 16))
    cv2.fillPoly(m, [pts], 255, cv2.LINE_AA, shift=4)
    return m.astype(np.float32) / 255.0
