"""Scenes of the eighth held-out set (scripts/make-heldout-set8.py), painted afresh: ink
on a hand, a page under a desk lamp with a phone's or a hand's shadow across it, a page
copied again and again, number candles on a cake or a table, a mechanical meter's
counter, and the non-digit marks drawn in those settings. Pictures are float32 RGB in
[0, 1] until a scene returns uint8; a coverage map is float32 (h, w), 1 = ink. Every
function draws only from the numpy Generator it is given. The camera's frames, the
tilted plane and the sensor are the sixth set's (scripts/lib/heldout_scenes6.py).
"""

import math

import cv2
import numpy as np

from heldout_render import H, blend, fbm, marker_alpha, perspective, smooth_noise, to_height
from heldout_scenes3 import ballpoint, fit
from heldout_scenes5 import PEN_INKS, pen_alpha
from heldout_scenes6 import PHOTO_SIZES, desk, lamp_light, paper, photo_frame, pick, place_plane, work_frame
from heldout_scenes7 import finish, wall


def soft(mask, sigma):
    return cv2.GaussianBlur(mask, (0, 0), max(0.5, sigma))


def shifted(mask, dy, dx):
    """The map moved down dy and right dx, zeros coming in (nothing wraps round)."""
    return cv2.warpAffine(mask, np.float32([[1, 0, dx], [0, 1, dy]]), (mask.shape[1], mask.shape[0]))


def frame_at_least(rng, side):
    """A photo's (height, width) as photo_frame's, its long side at least `side`."""
    h, w = pick(rng, [s for s in PHOTO_SIZES if max(s) >= side])
    return (w, h) if rng.random() < 0.33 else (h, w)


# --- palm-ink -----------------------------------------------------------------------

SKINS = ([0.94, 0.8, 0.7], [0.88, 0.7, 0.58], [0.78, 0.58, 0.44], [0.64, 0.45, 0.32], [0.48, 0.33, 0.23],
         [0.36, 0.24, 0.17])
SKIN_INKS = {"ballpoint": ([0.1, 0.15, 0.55], [0.08, 0.08, 0.12], [0.12, 0.22, 0.65]),
             "marker": ([0.06, 0.06, 0.08], [0.1, 0.2, 0.6], [0.65, 0.06, 0.1], [0.08, 0.38, 0.18],
                        [0.35, 0.1, 0.45])}


def finger(m, p, q, width):
    """A finger from p to q, `width` px wide, its tip round."""
    cv2.line(m, (int(p[0]), int(p[1])), (int(q[0]), int(q[1])), 1.0, int(width), cv2.LINE_AA)
    cv2.circle(m, (int(q[0]), int(q[1])), int(width / 2), 1.0, -1, cv2.LINE_AA)


def hand_mask(shape, rng):
    """A hand seen flat, fingers up (palm or back alike): its coverage in a (h, w)
    canvas and the box (top, left, bottom, right) in the middle of the palm where one
    writes."""
    h, w = shape
    m = np.zeros((h, w), np.float32)
    cx, cy, rx, ry = w * 0.5, h * 0.64, w * 0.25, h * 0.2
    cv2.ellipse(m, (int(cx), int(cy)), (int(rx), int(ry)), 0, 0, 360, 1.0, -1, cv2.LINE_AA)
    cv2.rectangle(m, (int(cx - rx * 0.8), int(cy)), (int(cx + rx * 0.8), h), 1.0, -1)  # the wrist
    fw = int(w * rng.uniform(0.1, 0.12))
    spread = rng.uniform(0.0, 0.12)
    for i, length in enumerate((0.3, 0.34, 0.32, 0.25)):  # index to little finger
        x0 = cx - rx * 0.72 + i * rx * 0.48
        a = (i - 1.5) * spread
        x1, y1 = x0 + math.sin(a) * h * length, cy - ry * 0.75 - math.cos(a) * h * length
        finger(m, (x0, cy - ry * 0.6), (x1, y1), fw if i < 3 else fw * 0.85)
    a = math.radians(rng.uniform(35, 55))
    tx, ty = cx - rx * 0.85, cy + ry * 0.2
    finger(m, (tx, ty), (tx - math.sin(a) * h * 0.2, ty - math.cos(a) * h * 0.2), fw * 1.1)
    box = (int(cy - ry * 0.62), int(cx - rx * 0.62), int(cy + ry * 0.62), int(cx + rx * 0.62))
    return soft(m, 1.5), box


def skin(mask, rng, palm):
    """Skin over the hand's mask: its tone (a palm paler and pinker), mottling, pores,
    the palm's creases or the back's fine wrinkles and veins, darker toward the edges
    where the hand curves away."""
    h, w = mask.shape
    tone = np.float32(pick(rng, SKINS)) * np.float32(rng.uniform(0.95, 1.05, 3))
    if palm:  # a palm is paler and pinker than the back of its hand, the more so on dark skin
        tone = tone + (np.float32([0.98, 0.8, 0.74]) - tone) * 0.3
    img = tone * (0.93 + 0.1 * fbm((h, w), h / 12, rng))[..., None]
    pores = cv2.GaussianBlur(rng.standard_normal((h, w)).astype(np.float32), (0, 0), 1.2)
    img *= (1 + 0.05 * pores / (pores.std() + 1e-6))[..., None]
    lines = np.zeros((h, w), np.float32)
    if palm:  # the heart, head and life lines, then fine creases
        for a0, a1, cy, r in ((200, 330, 0.5, 0.3), (190, 320, 0.6, 0.32), (250, 360, 0.78, 0.3)):
            c = (int(w * rng.uniform(0.5, 0.6)), int(h * cy))
            cv2.ellipse(lines, c, (int(w * r), int(h * r * 0.5)), rng.uniform(-10, 10), a0, a1,
                        rng.uniform(0.15, 0.3), max(2, h // 300), cv2.LINE_AA)
        count = 60
    else:
        count = 140
    for _ in range(count):  # short creases (on the back, a criss-cross of wrinkles)
        x, y = rng.uniform(0, w), rng.uniform(0, h)
        a = rng.uniform(0, math.pi) if palm else pick(rng, (0.5, 2.6)) + rng.normal(0, 0.2)
        n = rng.uniform(0.01, 0.04) * h
        cv2.line(lines, (int(x), int(y)), (int(x + math.cos(a) * n), int(y + math.sin(a) * n)),
                 rng.uniform(0.05, 0.12), 1, cv2.LINE_AA)
    img *= (1 - soft(lines, 1.0))[..., None]
    if not palm and rng.random() < 0.7:  # veins from the wrist
        veins = np.zeros((h, w), np.float32)
        for _ in range(3):
            x = w * rng.uniform(0.35, 0.65)
            pts = np.int32([[x + rng.normal(0, w * 0.04) * k, h - k * h * 0.09] for k in range(6)])
            cv2.polylines(veins, [pts], False, 1.0, max(3, h // 120), cv2.LINE_AA)
        img = img * (1 - 0.1 * soft(veins, h / 150)[..., None]) + 0.04 * soft(veins, h / 150)[..., None] * np.float32(
            [0.0, 0.1, 0.5])
    dist = cv2.distanceTransform(np.uint8(mask > 0.5), cv2.DIST_L2, 5)
    round_ = np.sqrt(np.clip(dist / (w * 0.05), 0, 1))
    return img * (0.72 + 0.28 * round_)[..., None]


def skin_ink(cov, rng, tool, shape):
    """The mark's ink on skin: ballpoint skipping over the skin's texture, or a marker's,
    spread a little into the skin."""
    alpha = ballpoint(cov, rng) if tool == "ballpoint" else marker_alpha(cov, rng)
    if tool == "ballpoint":
        skip = smooth_noise(cov.shape, 2.0, rng)
        alpha = alpha * np.clip(0.55 + 0.7 * skip, 0, 1)
    blur = rng.uniform(0.6, 1.6) * max(1.0, shape[0] / 700)
    alpha = np.maximum(soft(alpha, blur), 0.3 * soft(alpha, blur * 4))
    return np.clip(alpha * rng.uniform(0.8, 0.95), 0, 1)


def background(work, rng):
    """What is behind a hand: a desk, jeans, or a garden out of focus."""
    kind = pick(rng, ("desk", "denim", "garden"))
    if kind == "desk":
        return desk(work, rng)
    if kind == "denim":
        return np.float32([0.2, 0.28, 0.45]) * (0.8 + 0.3 * fbm(work, work[0] / 20, rng))[..., None]
    blobs = np.stack([fbm(work, work[0] / 4, rng) for _ in range(3)], axis=2)
    return soft(np.float32([0.25, 0.45, 0.2]) + 0.35 * (blobs - 0.5), work[0] / 100)


def palm_photo(cov, rng, tool, palm=None):
    """The mark written on a palm or the back of a hand held over a background in soft
    daylight."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    palm = rng.random() < 0.6 if palm is None else palm
    mask, box = hand_mask((1400, 1200), rng)
    if rng.random() < 0.5:  # the other hand
        mask = mask[:, ::-1].copy()
        box = (box[0], 1200 - box[3], box[2], 1200 - box[1])
    img = skin(mask, rng, palm)
    t, l, b, r = box
    mark = fit(cov, (b - t) * rng.uniform(0.7, 0.95), (r - l) * 0.95)
    top, left = t + ((b - t) - mark.shape[0]) // 2, l + ((r - l) - mark.shape[1]) // 2
    inks = [c for c in SKIN_INKS[tool] if img[top:top + mark.shape[0], left:left + mark.shape[1]].mean()
            - np.mean(c) > 0.3]  # on dark skin, only the darkest inks show
    ink = np.float32(pick(rng, inks) if inks else min(SKIN_INKS[tool], key=np.mean))
    blend(img, skin_ink(mark, rng, tool, mark.shape), ink, top, left)
    flat = np.concatenate([img, mask[..., None]], axis=2)
    target = (top, left, top + mark.shape[0], left + mark.shape[1])
    placed, _, _ = place_plane(flat, work, rng, rng.uniform(-15, 20), rng.uniform(-15, 15), rng.uniform(1.5, 2.5),
                               target, rng.uniform(0.2, 0.45), spin=25)
    a = placed[..., 3:4]
    bg = soft(background(work, rng), work[0] / 300)
    shadow = shifted(soft(a[..., 0], work[0] / 30), work[0] // 40, work[1] // 60)
    img = bg * (1 - 0.35 * shadow)[..., None] * (1 - a) + placed[..., :3] * a
    img = lamp_light(img, rng, warm=False, fall=(0.75, 0.95)) * np.float32([0.97, 1.0, 1.04])
    return finish(img, frame, rng, blur=(0.5, 1.2))


# --- hand-shadow ----------------------------------------------------------------------

PAPER_TINTS = ([0.97, 0.96, 0.93], [0.95, 0.95, 0.95], [0.93, 0.95, 0.98], [0.98, 0.96, 0.85], [0.98, 0.93, 0.93])


def caster(rng, work, dy, dx):
    """A phone's or a hand's outline (coverage of the work frame), turned, moved dy down
    and dx right."""
    fh, fw = work
    m = np.zeros(work, np.float32)
    if rng.random() < 0.5:  # a phone held over the page
        ph, pw = int(fh * rng.uniform(0.5, 0.8)), int(fh * rng.uniform(0.25, 0.4))
        r = pw // 8
        cv2.rectangle(m, (r, 0), (pw - r, ph), 1.0, -1)
        cv2.rectangle(m, (0, r), (pw, ph - r), 1.0, -1)
        for x, y in ((r, r), (pw - r, r), (r, ph - r), (pw - r, ph - r)):
            cv2.circle(m, (x, y), r, 1.0, -1, cv2.LINE_AA)
    else:
        hand, _ = hand_mask((int(fh * 0.9), int(fh * 0.7)), rng)
        m[:hand.shape[0], :min(fw, hand.shape[1])] = hand[:, :min(fw, hand.shape[1])]
    a = rng.uniform(0, 360)
    M = cv2.getRotationMatrix2D((fw / 4, fh / 3), a, 1.0)
    M[:, 2] += (dx, dy)
    return cv2.warpAffine(m, M, (fw, fh))


def shadow_photo(cov, rng, tool):
    """The mark handwritten on a sheet on a desk under a warm desk lamp (its light
    falling off strongly across the picture), a phone's or a hand's soft shadow across
    part of the page, over the mark now and then; 640 px to 12 MP."""
    frame = frame_at_least(rng, 640)
    work = work_frame(frame)
    ph = 1300
    pw = int(ph * pick(rng, (0.71, 0.77, 1.41)))
    sheet = paper((ph, pw), rng, pick(rng, PAPER_TINTS))
    mark = fit(cov, ph * rng.uniform(0.25, 0.45), pw * 0.6)
    top = int(rng.uniform(0.2, 0.8) * (ph - mark.shape[0]))
    left = int(rng.uniform(0.2, 0.8) * (pw - mark.shape[1]))
    blend(sheet, pen_alpha(tool, mark, rng), np.float32(pick(rng, PEN_INKS[tool])), top, left)
    target = (top, left, top + mark.shape[0], left + mark.shape[1])
    img, _, corners = place_plane(sheet, work, rng, rng.uniform(0, 25), rng.uniform(-10, 10), rng.uniform(1.2, 2.0),
                                  target, rng.uniform(0.2, 0.4), spin=15, background=desk(work, rng))
    img = lamp_light(img, rng, warm=True, fall=(0.15, 0.4))
    over = rng.random() < 0.4
    for _ in range(40):  # a shadow that reaches the mark (where over) or keeps off it
        fh, fw = work
        shape = caster(rng, work, rng.uniform(-0.2, 0.6) * fh, rng.uniform(-0.2, 0.8) * fw)
        x0, y0 = corners.min(axis=0)
        x1, y1 = corners.max(axis=0)
        on = shape[int(max(0, y0)):int(y1), int(max(0, x0)):int(x1)].mean() if y1 > y0 and x1 > x0 else 0
        if 0.05 < shape.mean() < 0.45 and ((over and 0.2 < on < 0.9) or (not over and on < 0.02)):
            break
    penumbra = soft(shape, work[0] * rng.uniform(0.01, 0.04))
    strength = rng.uniform(0.35, 0.6)
    img = img * (1 - strength * penumbra[..., None] * np.float32([1.0, 0.95, 0.85]))
    return finish(img, frame, rng, blur=(0.4, 1.0), luma=(0.01, 0.03))


# --- photocopy --------------------------------------------------------------------------

def copy_once(g, rng):
    """One more generation of a grey page through a copier: blurred a little, the levels
    crushed (the paper greys, the ink blackens), turned a fraction of a degree, toner
    specks and sometimes a streak along the feed."""
    h, w = g.shape
    g = cv2.GaussianBlur(g, (0, 0), rng.uniform(0.5, 0.9))
    M = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-0.6, 0.6), 1.0)
    g = cv2.warpAffine(g, M, (w, h), borderMode=cv2.BORDER_REPLICATE)
    lo, hi = rng.uniform(0.08, 0.25), rng.uniform(0.8, 0.97)
    g = np.clip((g - lo) / (hi - lo), 0, 1)
    g = rng.uniform(0.0, 0.06) + g * rng.uniform(0.8, 0.93)  # toner's black is not black, the paper greys
    g *= 1 - 0.08 * (fbm((h, w), h / 6, rng) - 0.5)
    specks = np.zeros((h, w), np.float32)
    for _ in range(int(h * w * rng.uniform(2e-5, 1.2e-4))):
        cv2.circle(specks, (int(rng.uniform(0, w)), int(rng.uniform(0, h))), int(rng.integers(0, 3)),
                   float(rng.uniform(0.3, 0.9)), -1, cv2.LINE_AA)
    g *= 1 - specks
    if rng.random() < 0.4:  # a streak down the page from a dirty drum or glass
        x = int(rng.uniform(0, w))
        width = int(rng.integers(1, max(2, w // 200) + 2))
        along = 0.15 + 0.5 * smooth_noise((h, 1), h / 5, rng)
        g[:, x:x + width] *= 1 - along
    return np.clip(g, 0, 1)


def photocopy(cov, rng, printed, hand_tool="ballpoint"):
    """The mark on a page copied 2-5 times, a crop of it 600-2500 px tall: a grey cast,
    toner specks and streaks, the copier lid's black along one or two edges where the
    page sits skewed on the glass, contrast crushed. Greyscale uint8 (h, w), saved as such."""
    out_h = int(rng.integers(600, 2501))
    out_w = int(np.clip(out_h * rng.uniform(0.7, 1.41), 600, 2500))
    h, w = (out_h, out_w) if max(out_h, out_w) <= 1400 else (int(out_h * 1400 / max(out_h, out_w)),
                                                              int(out_w * 1400 / max(out_h, out_w)))
    g = np.full((h, w), np.float32(rng.uniform(0.93, 0.98)))
    if rng.random() < 0.4:  # a ruled page
        pitch = int(h * rng.uniform(0.06, 0.1))
        for y in range(int(rng.integers(0, pitch)), h, pitch):
            g[y:y + max(1, h // 500)] *= 0.8
    mark = fit(cov, h * rng.uniform(0.25, 0.5), w * 0.7)
    top, left = int(rng.uniform(0.2, 0.8) * (h - mark.shape[0])), int(rng.uniform(0.2, 0.8) * (w - mark.shape[1]))
    alpha = mark if printed else np.clip(pen_alpha(hand_tool, mark, rng) * 1.4, 0, 1)  # toner saturates
    g[top:top + mark.shape[0], left:left + mark.shape[1]] *= 1 - alpha * rng.uniform(0.85, 1.0)
    for _ in range(int(rng.integers(2, 6))):
        g = copy_once(g, rng)
    # The page skewed on the glass, one or two of its edges in from the frame's: there
    # the lid's black shows.
    a = rng.uniform(-2.5, 2.5)
    edges = rng.choice(4, size=int(rng.integers(1, 3)), replace=False)
    shift = np.zeros(2, np.float32)
    for e in edges:
        d = rng.uniform(0.02, 0.08)
        shift += {0: (0, d * h), 1: (-d * w, 0), 2: (0, -d * h), 3: (d * w, 0)}[int(e)]
    M = cv2.getRotationMatrix2D((w / 2, h / 2), a, 1.0)
    M[:, 2] += shift
    lid = float(rng.uniform(0.03, 0.12))
    page = cv2.warpAffine(np.ones((h, w), np.float32), M, (w, h))
    g = cv2.warpAffine(g, M, (w, h), borderValue=lid)
    g = g * page + (lid + 0.04 * smooth_noise((h, w), 3, rng)) * (1 - page)
    g = cv2.resize(g, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
    g += rng.standard_normal(g.shape).astype(np.float32) * np.float32(rng.uniform(0.005, 0.02))
    return np.uint8(np.clip(g, 0, 1) * 255 + 0.5)


# --- birthday-candle --------------------------------------------------------------------

WAXES = ([0.95, 0.45, 0.65], [0.35, 0.6, 0.95], [0.95, 0.78, 0.25], [0.85, 0.15, 0.2], [0.35, 0.75, 0.4],
         [0.96, 0.95, 0.92], [0.6, 0.35, 0.8], [0.95, 0.55, 0.2])
FROSTINGS = ([0.97, 0.96, 0.93], [0.98, 0.8, 0.85], [0.38, 0.22, 0.14], [0.98, 0.93, 0.72], [0.8, 0.9, 0.98])


def wax(cov, colour, rng):
    """A candle cast in the mark's shape, seen from the front: rounded (its height grows
    to the middle of each stroke), lit from the upper left, glossy highlights. Returns
    its colour (h, w, 3) and its coverage."""
    h, w = cov.shape
    inside = np.uint8(cov > 0.5)
    dist = cv2.distanceTransform(inside, cv2.DIST_L2, 5)
    depth = np.sqrt(np.clip(dist / max(1.0, dist.max() * 0.8), 0, 1)) * dist.max()
    depth = soft(depth, max(1.0, h / 150))
    gy, gx = np.gradient(depth)
    n = np.stack([-gx, -gy, np.ones_like(gx)], axis=2)
    n /= np.linalg.norm(n, axis=2, keepdims=True)
    light = np.float32([-0.5, -0.6, 0.65])
    light /= np.linalg.norm(light)
    diffuse = np.clip(n @ light, 0, 1)
    half = light + np.float32([0, 0, 1])
    half /= np.linalg.norm(half)
    spec = np.clip(n @ half, 0, 1) ** rng.uniform(30, 80) * rng.uniform(0.4, 0.8)
    colour = np.float32(colour)
    img = colour * (0.35 + 0.7 * diffuse)[..., None] + 0.1 * colour + spec[..., None]
    if rng.random() < 0.3:  # glitter
        sparkle = np.float32(rng.random((h, w)) < 0.004) * rng.uniform(0.3, 0.7)
        img += soft(sparkle, 0.8)[..., None]
    return np.clip(img, 0, 1.3), cov


def flame(img, glow, x, y, size, rng):
    """A candle's flame, its tip up, above (x, y), and its glow added to `glow`."""
    fh, fw = int(size), int(size * 0.38)
    f = np.zeros((fh * 2, fw * 2 + 2), np.float32)
    pts = [(fw + fw * math.sin(math.pi * t) ** 1.5 * (1 if s else -1), fh * 2 - 2 - t * fh * 1.9)
           for s in (1, 0) for t in (np.linspace(0, 1, 20) if s else np.linspace(1, 0, 20))]
    cv2.fillPoly(f, [np.int32(pts)], 1.0, cv2.LINE_AA)
    f = soft(f, fh / 25)
    core = soft(np.float32(f > 0.6) * np.float32(np.arange(fh * 2)[:, None] > fh * 1.1), fh / 15)
    blend(img, f, np.float32([1.0, 0.72, 0.25]), int(y - fh * 2), int(x - fw - 1))
    blend(img, core * 0.9, np.float32([1.0, 0.97, 0.85]), int(y - fh * 2), int(x - fw - 1))
    yy, xx = np.ogrid[:glow.shape[0], :glow.shape[1]]
    glow += np.exp(-((xx - x) ** 2 + (yy - y - 2 * fh) ** 2) / (2 * (size * 4) ** 2)).astype(np.float32)


def candle_scene(covs, rng, work, lit):
    """Candles of covs standing on a cake (its frosting, piped rim and sprinkles) or a
    table, a room out of focus behind; lit ones with flames. Returns the picture and
    the candles' box."""
    fh, fw = work
    room = np.float32(pick(rng, ([0.55, 0.5, 0.45], [0.35, 0.35, 0.4], [0.75, 0.72, 0.65], [0.3, 0.25, 0.22])))
    img = room * (0.7 + 0.5 * fbm(work, fh / 5, rng))[..., None]
    for _ in range(int(rng.integers(0, 8))):  # lights far off, out of focus
        cv2.circle(img, (int(rng.uniform(0, fw)), int(rng.uniform(0, fh * 0.5))), int(fh * rng.uniform(0.02, 0.05)),
                   tuple(float(v) for v in rng.uniform(0.7, 1.0, 3)), -1, cv2.LINE_AA)
    img = soft(img, fh / 80)
    surface_y = int(fh * rng.uniform(0.68, 0.78))
    cake = rng.random() < 0.7
    if cake:
        frost = np.float32(pick(rng, FROSTINGS))
        cx, rx, ry = fw // 2, int(fw * rng.uniform(0.4, 0.6)), int(fh * rng.uniform(0.08, 0.13))
        body = np.zeros(work, np.float32)
        cv2.rectangle(body, (cx - rx, surface_y), (cx + rx, fh), 1.0, -1)
        cv2.ellipse(body, (cx, surface_y), (rx, ry), 0, 0, 360, 1.0, -1, cv2.LINE_AA)
        side = np.clip(1 - np.abs(np.arange(fw) - cx) / rx, 0, 1) ** 0.4
        shade = (0.6 + 0.35 * side)[None, :] * np.ones((fh, 1), np.float32)
        top = np.zeros(work, np.float32)
        cv2.ellipse(top, (cx, surface_y), (rx, ry), 0, 0, 360, 1.0, -1, cv2.LINE_AA)
        shade = np.where(top > 0.5, 1.0, shade)
        blend(img, soft(body, 1.5), frost * shade[..., None] * (0.95 + 0.08 * fbm(work, fh / 30, rng))[..., None],
              0, 0)
        dot = max(3, fh // 70)
        for t in np.linspace(0, 2 * math.pi, int(rng.integers(30, 50)), endpoint=False):  # a piped rim
            x, y = cx + rx * math.cos(t), surface_y + ry * math.sin(t)
            cv2.circle(img, (int(x), int(y)), dot, tuple(float(v) for v in frost * 0.85), -1, cv2.LINE_AA)
            cv2.circle(img, (int(x - dot / 3), int(y - dot / 3)), max(1, dot // 3),
                       tuple(float(v) for v in np.minimum(frost * 1.1 + 0.1, 1)), -1, cv2.LINE_AA)
        for _ in range(int(rng.integers(0, 40))):  # sprinkles
            t, r = rng.uniform(0, 2 * math.pi), math.sqrt(rng.uniform(0, 0.8))
            x, y, a = cx + rx * r * math.cos(t), surface_y + ry * r * math.sin(t), rng.uniform(0, math.pi)
            cv2.line(img, (int(x), int(y)), (int(x + dot * 1.5 * math.cos(a)), int(y + dot * 0.6 * math.sin(a))),
                     tuple(float(v) for v in pick(rng, WAXES)), max(2, dot // 2), cv2.LINE_AA)
    else:
        table_top = desk((fh - surface_y + fh // 10, fw), rng)
        img[surface_y - fh // 10:] = table_top
    height = fh * rng.uniform(0.3, 0.42)
    shown = []
    for c in covs:
        c = to_height(c, int(height))
        shown.append(c)
    gap = int(height * rng.uniform(0.08, 0.2))
    total = sum(c.shape[1] for c in shown) + gap * (len(shown) - 1)
    if total > fw * 0.8:
        shown = [to_height(c, int(c.shape[0] * fw * 0.8 / total)) for c in shown]
        gap = int(gap * fw * 0.8 / total)
        total = sum(c.shape[1] for c in shown) + gap * (len(shown) - 1)
    x = (fw - total) // 2 + int(rng.uniform(-0.05, 0.05) * fw)
    behind = img[max(0, surface_y - int(height)):surface_y].mean() * (rng.uniform(0.45, 0.7) if lit else 1.0)
    waxes = [c for c in WAXES if abs(np.mean(c) * (0.8 if lit else 1.0) - behind) > 0.2] or [
        max(WAXES, key=lambda c: abs(np.mean(c) - behind))]  # a candle that stands out from the room
    colour = pick(rng, waxes)
    glow = np.zeros(work, np.float32)
    box = [fh, fw, 0, 0]
    for c in shown:
        if rng.random() < 0.3:
            colour = pick(rng, waxes)
        rgb, a = wax(c, colour, rng)
        top = surface_y - c.shape[0] + int(c.shape[0] * 0.04)
        contact = np.zeros((max(4, c.shape[0] // 8), c.shape[1] + c.shape[0] // 4), np.float32)
        cv2.ellipse(contact, (contact.shape[1] // 2, contact.shape[0] // 2),
                    (contact.shape[1] // 2, contact.shape[0] // 3), 0, 0, 360, 1.0, -1)
        blend(img, soft(contact, contact.shape[0] / 4) * 0.45, (0.0, 0.0, 0.0), surface_y - contact.shape[0] // 2,
              x - c.shape[0] // 8)
        blend(img, a, rgb, top, x)
        ys, xs = np.nonzero(a > 0.5)
        wx = int(np.median(xs[ys <= ys.min() + max(2, c.shape[0] // 40)])) + x
        wick_top = top - int(c.shape[0] * 0.09)
        cv2.line(img, (wx, top + c.shape[0] // 40), (wx + int(rng.integers(-3, 4)), wick_top), (0.08, 0.07, 0.06),
                 max(2, c.shape[0] // 70), cv2.LINE_AA)
        if lit:
            flame(img, glow, wx, wick_top, c.shape[0] * rng.uniform(0.15, 0.22), rng)
        box = [min(box[0], top), min(box[1], x), max(box[2], top + c.shape[0]), max(box[3], x + c.shape[1])]
        x += c.shape[1] + gap
    if lit:  # the room dimmed, the candles lit by their flames
        near = glow / max(1.0, glow.max())
        dim = rng.uniform(0.45, 0.7)
        img = img * (dim + (1 - dim) * near)[..., None] + near[..., None] * np.float32([0.4, 0.25, 0.1])
    return img, box


def candle_photo(covs, rng):
    """Number candles of covs on a cake or a table, photographed, their flames lit in
    a dimmed room one time in two."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    lit = rng.random() < 0.5
    img, _ = candle_scene(covs, rng, work, lit)
    img, _ = perspective(img, rng, 0.03, (1.04, 1.1), border=(0.3, 0.3, 0.3))
    img = lamp_light(img, rng, warm=True, fall=(0.7, 0.95))
    return finish(img, frame, rng, blur=(0.4, 1.0), luma=(0.01, 0.03) if lit else (0.006, 0.02))


# --- utility-meter ---------------------------------------------------------------------

FACES = ([0.1, 0.1, 0.11], [0.9, 0.89, 0.84], [0.75, 0.76, 0.78], [0.2, 0.25, 0.32])


def drum_window(cov, rng, size, dark, red):
    """One counter window: the drum behind it (black with a white digit, or the other
    way round; a red one with white digit for the last place now and then), curved
    (darker toward its top and bottom), the digit a little off its rest between two
    places, the window's upper edge shading it. Colour (h, w, 3)."""
    h, w = size
    drum = np.float32([0.75, 0.08, 0.08]) if red else np.float32([0.06, 0.06, 0.07] if dark else [0.92, 0.91, 0.88])
    digit = np.float32([0.95, 0.95, 0.92] if dark or red else [0.05, 0.05, 0.06])
    img = np.empty((h, w, 3), np.float32)
    img[...] = drum
    c = fit(cov, h * 0.72, w * 0.85)
    top = (h - c.shape[0]) // 2 + int(rng.uniform(-0.05, 0.05) * h)
    blend(img, c, digit, top, (w - c.shape[1]) // 2)
    y = np.linspace(-1, 1, h, dtype=np.float32)
    img *= (0.5 + 0.5 * np.cos(y * 1.2))[:, None, None]
    img[:max(2, h // 10)] *= np.linspace(0.4, 1.0, max(2, h // 10), dtype=np.float32)[:, None, None]
    return img


def meter_face(covs, rng, unit_cov=None, red_last=False):
    """A meter's face: a row of counter windows (one a cov) in a raised frame on a
    plate, a unit printed beside it; the face's picture and the row's box."""
    wh = 200
    ww = int(wh * rng.uniform(0.7, 0.85))
    gap = int(ww * rng.uniform(0.1, 0.3))
    dark = rng.random() < 0.6
    n = len(covs)
    row_w = n * ww + (n - 1) * gap
    m = int(wh * rng.uniform(0.9, 1.5))
    fh, fw = wh + 2 * m + wh, row_w + 2 * m
    face_colour = np.float32(pick(rng, FACES))
    img = face_colour * (0.95 + 0.06 * fbm((fh, fw), fh / 8, rng))[..., None]
    top, left = m, m
    f = max(6, wh // 10)
    frame_colour = face_colour * 0.6 + 0.15
    img[top - f:top + wh + f, left - f:left + row_w + f] = frame_colour
    img[top - f:top - f + max(2, f // 3), left - f:left + row_w + f] *= 1.3
    img[top + wh + f - max(2, f // 3):top + wh + f, left - f:left + row_w + f] *= 0.6
    for i, c in enumerate(covs):
        x = left + i * (ww + gap)
        img[top:top + wh, x:x + ww] = drum_window(c, rng, (wh, ww), dark, red_last and i == n - 1)
    if unit_cov is not None:
        u = fit(unit_cov, wh * 0.3, fw * 0.4)
        blend(img, u, np.float32([0.95, 0.95, 0.92]) if face_colour.mean() < 0.5 else np.float32([0.08, 0.08, 0.1]),
              top + wh + f + wh // 4, left + row_w - u.shape[1])
    return img, (top - f, left - f, top + wh + f, left + row_w + f)


def meter_photo(covs, rng, unit_cov=None, red_last=False):
    """The meter's face under its glass (glare, haze, dust) in a housing on a wall,
    photographed at an angle."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    face, box = meter_face(covs, rng, unit_cov, red_last)
    h, w = face.shape[:2]
    haze = rng.uniform(0.0, 0.12)
    face = face * (1 - haze) + haze * 0.85
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    a = rng.uniform(0.3, 1.2)
    band = np.exp(-((xx * math.cos(a) + yy * math.sin(a)) / w - rng.uniform(0.2, 0.8)) ** 2 / rng.uniform(0.003, 0.02))
    face = face + (band * rng.uniform(0.15, 0.45))[..., None]
    face *= (1 - 0.15 * np.float32(smooth_noise((h, w), 2, rng) > 0.8))[..., None]  # dust on the glass
    housing = np.float32(pick(rng, ([0.5, 0.5, 0.52], [0.2, 0.2, 0.22], [0.75, 0.74, 0.7])))
    hh, hw = int(h * 1.3), int(w * 1.2)
    flat = np.empty((hh, hw, 3), np.float32)
    flat[...] = housing * (0.9 + 0.15 * fbm((hh, hw), hh / 5, rng))[..., None]
    t, l = (hh - h) // 2, (hw - w) // 2
    flat[t:t + h, l:l + w] = face
    mask = np.ones((hh, hw), np.float32)
    target = (box[0] + t, box[1] + l, box[2] + t, box[3] + l)
    bg, _ = wall(work, rng)
    placed, cover, _ = place_plane(np.concatenate([flat, mask[..., None]], axis=2), work, rng, rng.uniform(-20, 20),
                                   rng.uniform(-25, 25), rng.uniform(1.5, 3.0), target, rng.uniform(0.1, 0.22), spin=6)
    a = placed[..., 3:4]
    img = bg * (1 - a) + placed[..., :3] * a
    img = lamp_light(img, rng, warm=rng.random() < 0.4, fall=(0.55, 0.9))
    return finish(img, frame, rng, blur=(0.4, 1.0))


# --- Non-digit marks --------------------------------------------------------------------

def tally_paths(rng):
    """One or two gates of five tally strokes (four upright, one across), side by side."""
    gates = int(rng.integers(1, 3))
    paths = []
    for g in range(gates):
        x0 = g * 0.75
        for i in range(4):
            x = x0 + 0.05 + i * 0.15
            paths.append([(x, 0.1), (x + rng.uniform(-0.02, 0.02), 0.9)])
        paths.append([(x0 - 0.03, 0.75), (x0 + 0.58, 0.25)])
    return [[(x / (0.75 * gates), y) for x, y in p] for p in paths]


def face_paths(rng):
    """An emoji's face: a ring, eyes (dots, arcs or a wink) and a mouth (a smile, an open
    grin or a flat line)."""
    ring = [(0.5 + 0.46 * math.cos(t), 0.5 + 0.46 * math.sin(t)) for t in np.linspace(0, 2 * math.pi, 48)]
    eyes = pick(rng, ("dots", "arcs", "wink"))
    paths = [ring]
    for i, ex in enumerate((0.35, 0.65)):
        if eyes == "arcs" or (eyes == "wink" and i == 1):
            paths.append([(ex - 0.07 + 0.14 * t, 0.4 - 0.06 * math.sin(math.pi * t)) for t in np.linspace(0, 1, 8)])
        else:
            paths.append([(ex, 0.34), (ex, 0.44)])
    mouth = pick(rng, ("smile", "grin", "flat"))
    if mouth == "flat":
        paths.append([(0.35, 0.68), (0.65, 0.68)])
    else:
        smile = [(0.28 + 0.44 * t, 0.6 + 0.14 * math.sin(math.pi * t)) for t in np.linspace(0, 1, 14)]
        paths.append(smile + ([(0.28, 0.6)] if mouth == "grin" else []))
    return paths


def face_cov(rng, size=260):
    """An emoji's face filled (as a candle or a sticker is): a disc with its eyes and
    mouth cut out."""
    disc = np.zeros((size, size), np.float32)
    cv2.circle(disc, (size // 2, size // 2), int(size * 0.46), 1.0, -1, cv2.LINE_AA)
    features = np.zeros_like(disc)
    for p in face_paths(rng)[1:]:
        cv2.polylines(features, [np.int32(np.float32(p) * size)], False, 1.0, max(3, size // 18), cv2.LINE_AA)
    return H.crop_to_ink(np.clip(disc - features, 0, 1))
