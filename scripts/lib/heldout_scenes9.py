"""Scenes of the ninth held-out set (scripts/make-heldout-set9.py), painted afresh:
plastic magnets on a fridge door, a number painted on asphalt seen from standing height,
a game's screen in a blocky pixel font, a digit burned into light wood, a pen's digit on
a paper napkin, and the non-digit marks drawn in those settings. Pictures are float32
RGB in [0, 1] until a scene returns uint8; a coverage map is float32 (h, w), 1 = ink.
Every function draws only from the numpy Generator it is given. The camera's frames,
the tilted plane and the sensor are the sixth set's (scripts/lib/heldout_scenes6.py),
the glossy cast plastic the eighth set's candle wax (scripts/lib/heldout_scenes8.py).
"""

import cv2
import numpy as np

from heldout_render import blend, drop_shadow, fbm, place_away, smooth_noise, to_height
from heldout_scenes3 import device_photo, fit, photo_size
from heldout_scenes5 import PEN_INKS, pen_alpha
from heldout_scenes6 import asphalt, desk, lamp_light, photo_frame, pick, place_plane, work_frame
from heldout_scenes7 import finish
from heldout_scenes8 import shifted, soft, wax


def rgb(colour):
    return tuple(float(v) for v in colour)


def feathered(img, margin):
    """The picture with a fourth channel, its coverage, fading to 0 over `margin` of its
    size at every edge: laid on a background of the same surface, no seam shows."""
    h, w = img.shape[:2]
    ramp_y = np.clip(np.minimum(np.arange(h), np.arange(h)[::-1]) / (h * margin), 0, 1)
    ramp_x = np.clip(np.minimum(np.arange(w), np.arange(w)[::-1]) / (w * margin), 0, 1)
    return np.concatenate([img, np.float32(np.outer(ramp_y, ramp_x))[..., None]], axis=2)


def over(placed, background):
    """A placed picture with its coverage channel (feathered's) laid over the background."""
    a = placed[..., 3:4]
    return background * (1 - a) + placed[..., :3] * a


def matched(img, like):
    """img's colours scaled so that its mean is like's (a surface painted twice alike)."""
    return img * (like.reshape(-1, 3).mean(axis=0) / np.maximum(1e-3, img.reshape(-1, 3).mean(axis=0)))


# --- fridge-magnet -----------------------------------------------------------------------

DOORS = {"white": [0.93, 0.93, 0.92], "steel": [0.7, 0.71, 0.72], "cream": [0.93, 0.89, 0.78]}
PLASTICS = ([0.85, 0.12, 0.12], [0.12, 0.35, 0.85], [0.98, 0.8, 0.1], [0.15, 0.65, 0.25], [0.95, 0.45, 0.1],
            [0.6, 0.2, 0.7], [0.95, 0.4, 0.65], [0.1, 0.6, 0.7])


def fridge_door(shape, rng, kind):
    """A fridge door: white or cream enamel (a faint sheen), or brushed steel (fine
    streaks along its length)."""
    h, w = shape
    base = np.float32(DOORS[kind])
    if kind == "steel":
        streaks = smooth_noise((h, w), max(1.0, h / 500), rng, max(20.0, w / 2))
        tone = 0.92 + 0.1 * streaks + 0.05 * fbm((h, w), h / 3, rng)
    else:
        tone = 0.96 + 0.04 * fbm((h, w), h / 4, rng)
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    return base * (tone * (1.03 - 0.08 * y))[..., None]


def pinned_sheet(img, rng, edge, size):
    """A photo or a note held by a round magnet at one edge of the door, mostly outside
    the middle: a rectangle of colour blobs (a photo) or of pale paper with scribbled
    lines (a note, no letters or digits on it)."""
    h, w = img.shape[:2]
    sh, sw = int(size * rng.uniform(0.8, 1.1)), int(size * rng.uniform(0.6, 0.8))
    if rng.random() < 0.5:
        sheet = np.stack([fbm((sh, sw), sh / 3, rng) for _ in range(3)], axis=2) * 0.7 + 0.15
        m = max(3, sw // 20)
        sheet[:m], sheet[-m:], sheet[:, :m], sheet[:, -m:] = 0.96, 0.96, 0.96, 0.96
    else:
        sheet = np.empty((sh, sw, 3), np.float32)
        sheet[...] = pick(rng, ([0.98, 0.96, 0.9], [0.99, 0.93, 0.5], [0.95, 0.95, 0.95]))
        for y in range(int(sh * 0.15), int(sh * 0.85), max(4, sh // 9)):  # scribbled lines, no characters
            xs = np.linspace(sw * 0.1, sw * rng.uniform(0.5, 0.9), 12)
            pts = np.int32([[x, y + rng.normal(0, sh * 0.006)] for x in xs])
            cv2.polylines(sheet, [pts], False, (0.2, 0.2, 0.45), max(1, sh // 120), cv2.LINE_AA)
    across = edge in ("top", "bottom")  # the sheet slides along the edge it hangs over
    top = (-sh // 3 if edge == "top" else h - sh * 2 // 3) if across else int(rng.uniform(0, h - sh))
    left = int(rng.uniform(0, w - sw)) if across else (-sw // 3 if edge == "left" else w - sw * 2 // 3)
    t0, l0 = max(0, top), max(0, left)
    t1, l1 = min(h, top + sh), min(w, left + sw)
    alpha = np.zeros((sh, sw), np.float32)
    alpha[...] = 1
    drop_shadow(img, alpha[t0 - top:t1 - top, l0 - left:l1 - left], t0, l0, (sh // 60, sw // 60), sh / 50, 0.3)
    img[t0:t1, l0:l1] = sheet[t0 - top:t1 - top, l0 - left:l1 - left]
    r = max(6, sw // 10)  # the round magnet holding it
    cx, cy = min(w - r, max(r, left + sw // 2)), min(h - r, max(r, top + sh // 2 if edge in ("left", "right") else
                                                                  (top + sh - r * 2 if edge == "top" else top + r * 2)))
    disc = np.zeros((2 * r + 2, 2 * r + 2), np.float32)
    cv2.circle(disc, (r + 1, r + 1), r, 1.0, -1, cv2.LINE_AA)
    paint, a = wax(disc, pick(rng, PLASTICS), rng)
    drop_shadow(img, a, cy - r - 1, cx - r - 1, (r // 4, r // 4), r / 3, 0.4)
    blend(img, a, paint, cy - r - 1, cx - r - 1)
    return (t0, l0, t1, l1)


def magnet(img, cov, colour, top, left, rng):
    """A cast plastic magnet of cov's shape stuck on the door at (top, left): glossy,
    rounded, a soft shadow below and to the side."""
    paint, a = wax(cov, colour, rng)
    s = cov.shape[0]
    drop_shadow(img, a, top, left, (int(s * rng.uniform(0.02, 0.05)), int(s * rng.uniform(-0.03, 0.04))),
                s * rng.uniform(0.02, 0.05), rng.uniform(0.3, 0.5))
    blend(img, a, np.minimum(paint, 1.0), top, left)


def fridge_photo(main_cov, letter_covs, rng):
    """The magnet of main_cov (None: letters only) near the middle of a fridge door,
    2-5 letter magnets placed apart round it, now and then a photo or a note held at the
    door's edge; photographed a little askew under kitchen light."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    fh, fw = 1300, int(1300 * rng.uniform(0.8, 1.3))
    kind = pick(rng, tuple(DOORS))
    img = fridge_door((fh, fw), rng, kind)
    bare = img.copy()
    taken = []
    if rng.random() < 0.4:
        taken.append(pinned_sheet(img, rng, pick(rng, ("top", "left", "right", "bottom")), fh * 0.35))
    height = fh * rng.uniform(0.17, 0.25)
    colours = list(PLASTICS)
    rng.shuffle(colours)
    covs = ([main_cov] if main_cov is not None else []) + list(letter_covs)
    target = None
    for i, c in enumerate(covs):
        c = to_height(c, int(height * rng.uniform(0.9, 1.1)))
        if i == 0:  # the first in the middle third
            top = int(fh * rng.uniform(0.3, 0.55) - c.shape[0] / 2)
            left = int(fw * rng.uniform(0.35, 0.65) - c.shape[1] / 2)
        else:
            spot = None
            for _ in range(60):
                spot = place_away(rng, (int(fh * 0.05), int(fw * 0.05), int(fh * 0.95), int(fw * 0.95)), c.shape,
                                  taken[-1] if taken else (0, 0, 0, 0))
                gap = height * 0.25
                if spot and all(spot[0] + c.shape[0] + gap < t or spot[0] > b + gap or spot[1] + c.shape[1] + gap < l
                                or spot[1] > r + gap for t, l, b, r in taken):
                    break
                spot = None
            if spot is None:
                continue
            top, left = spot
        magnet(img, c, colours[i % len(colours)], top, left, rng)
        taken.append((top, left, top + c.shape[0], left + c.shape[1]))
        if i == 0:
            target = taken[-1]
    if target is None:
        target = (int(fh * 0.3), int(fw * 0.3), int(fh * 0.55), int(fw * 0.6))
    door = matched(fridge_door(work, rng, kind), bare)  # the door round the part painted (no magnet there)
    placed, _, _ = place_plane(feathered(img, 0.08), work, rng, rng.uniform(-12, 12), rng.uniform(-15, 15),
                               rng.uniform(1.5, 2.5), target, rng.uniform(0.15, 0.35), spin=8)
    placed = over(placed, door)
    placed = lamp_light(placed, rng, warm=rng.random() < 0.5, fall=(0.6, 0.9))
    return finish(placed, frame, rng, blur=(0.4, 1.0))


# --- road-marking -------------------------------------------------------------------------

ROAD_PAINTS = {"white": [0.9, 0.9, 0.87], "yellow": [0.93, 0.75, 0.15]}


def worn(alpha, rng, wear):
    """Paint worn by tyres: patches gone, grit showing through, its edges ragged."""
    h, w = alpha.shape
    patches = smooth_noise((h, w), h / 12, rng)
    grit = cv2.GaussianBlur(rng.random((h, w)).astype(np.float32), (0, 0), 1.0)
    keep = np.clip((patches - wear) * 4 + 0.6, 0, 1) * np.clip(0.6 + 2.5 * (grit - 0.5), 0, 1)
    return np.clip(alpha * (0.35 + 0.65 * keep), 0, 1) * rng.uniform(0.8, 0.95)


def tar_seams(img, rng, avoid):
    """Black, glossy tar poured into the joints of the asphalt: one or two long wandering
    lines, kept off the number's box but at its very edge now and then."""
    h, w = img.shape[:2]
    t, l, b, r = avoid
    for _ in range(int(rng.integers(1, 3))):
        if rng.random() < 0.5:  # across, above or below the number
            y = pick(rng, (rng.uniform(0.02, max(0.03, t / h - 0.04)), rng.uniform(min(0.97, b / h + 0.04), 0.98))) * h
            pts = [(x, y + rng.normal(0, h * 0.01)) for x in np.linspace(0, w, 14)]
        else:  # along, beside it
            x = pick(rng, (rng.uniform(0.02, max(0.03, l / w - 0.04)), rng.uniform(min(0.97, r / w + 0.04), 0.98))) * w
            pts = [(x + rng.normal(0, w * 0.01), y) for y in np.linspace(0, h, 14)]
        seam = np.zeros((h, w), np.float32)
        cv2.polylines(seam, [np.int32(pts)], False, 1.0, int(h * rng.uniform(0.006, 0.015)), cv2.LINE_AA)
        seam = soft(seam, 1.5)
        img[...] = img * (1 - 0.8 * seam[..., None]) + 0.06 * seam[..., None]


def road_photo(cov, rng, bay=None):
    """The number (or mark) of cov painted on asphalt, stretched along the road as road
    paint is, worn, with cracks and tar seams; the lines of a parking bay on either side
    or a lane's edge; seen from standing height (the ground tilted 45-68 degrees)."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    gh, gw = 1500, 1200
    ground, _ = asphalt((gh, gw), rng)
    colour = np.float32(ROAD_PAINTS[pick(rng, ("white", "white", "yellow"))])
    stretch = rng.uniform(1.4, 2.2)
    c = cv2.resize(cov, (cov.shape[1], int(cov.shape[0] * stretch)), interpolation=cv2.INTER_LINEAR)
    c = fit(c, gh * rng.uniform(0.35, 0.5), gw * 0.62)
    top, left = (gh - c.shape[0]) // 2, (gw - c.shape[1]) // 2
    wear = rng.uniform(0.0, 0.45)
    bay = rng.random() < 0.6 if bay is None else bay
    lines = np.zeros((gh, gw), np.float32)
    lw = int(gw * rng.uniform(0.025, 0.04))
    if bay:  # the bay's side lines and its end line
        for x in (left - int(gw * 0.12), left + c.shape[1] + int(gw * 0.12)):
            cv2.rectangle(lines, (x - lw // 2, 0), (x + lw // 2, gh), 1.0, -1)
        if rng.random() < 0.5:
            y = top + c.shape[0] + int(gh * 0.1)
            cv2.rectangle(lines, (0, y), (gw, y + lw), 1.0, -1)
    elif rng.random() < 0.6:  # a lane's edge line
        x = pick(rng, (int(gw * 0.06), int(gw * 0.94)))
        cv2.rectangle(lines, (x - lw // 2, 0), (x + lw // 2, gh), 1.0, -1)
    blend(ground, worn(lines, rng, wear), colour, 0, 0)
    blend(ground, worn(soft(c, 1.0), rng, wear), colour, top, left)
    target = (top, left, top + c.shape[0], left + c.shape[1])
    tar_seams(ground, rng, target)
    far, _ = asphalt(work, rng)  # the road beyond the part painted, nothing on it
    placed, _, _ = place_plane(feathered(ground, 0.12), work, rng, rng.uniform(45, 68), rng.uniform(-15, 15),
                               rng.uniform(1.2, 1.8), target, rng.uniform(0.18, 0.4), spin=10)
    placed = over(placed, matched(far, ground))
    sun = rng.random() < 0.6
    placed = lamp_light(placed, rng, warm=sun, fall=(0.75, 0.95)) * np.float32(rng.uniform(0.9, 1.25) if sun else 0.8)
    return finish(placed, frame, rng, blur=(0.4, 1.0))


# --- pixel-game ----------------------------------------------------------------------------

# A blocky arcade font of the digits, 7x7 with strokes two pixels wide, drawn for this
# set (the third set's LED matrix has the thin 5x7 one); its 0 plain: no slash, no dot.
PIXEL_DIGITS = {
    "0": (".11111.", "11...11", "11...11", "11...11", "11...11", "11...11", ".11111."),
    "1": ("...11..", "..111..", ".1111..", "...11..", "...11..", "...11..", ".111111"),
    "2": (".11111.", "11...11", ".....11", "..1111.", ".11....", "11.....", "1111111"),
    "3": ("1111111", "....11.", "...11..", "..1111.", ".....11", "11...11", ".11111."),
    "4": ("...111.", "..1111.", ".11.11.", "11..11.", "1111111", "....11.", "....11."),
    "5": ("1111111", "11.....", "111111.", ".....11", ".....11", "11...11", ".11111."),
    "6": ("..1111.", ".11....", "11.....", "111111.", "11...11", "11...11", ".11111."),
    "7": ("1111111", "11...11", "....11.", "...11..", "..11...", "..11...", "..11..."),
    "8": (".11111.", "11...11", "11...11", ".11111.", "11...11", "11...11", ".11111."),
    "9": (".11111.", "11...11", "11...11", ".111111", ".....11", "....11.", ".1111.."),
}
TALL_ROWS = (0, 1, 1, 2, 3, 4, 5, 5, 6)  # the tall variant: rows 1 and 5 twice, 7x9
# Sprites (8x8 or so): none shaped like a digit (no coin: a ring reads as a 0).
SPRITES = {
    "heart": ("01100110", "11111111", "11111111", "11111111", "01111110", "00111100", "00011000"),
    "gem": ("0011100", "0111110", "1111111", "0111110", "0011100", "0001000"),
    "hero": ("00111100", "00111100", "00011000", "01111110", "10111101", "00111100", "00100100", "01100110"),
    "slime": ("00011000", "00111100", "01111110", "11011011", "11111111", "11111111", "01111110"),
    "star": ("0001000", "0001000", "1111111", "0111110", "0011100", "0110110", "1100011"),
    "tree": ("0011100", "0111110", "1111111", "1111111", "0111110", "0001000", "0001000"),
}
SPRITE_COLOURS = {"heart": [0.9, 0.1, 0.15], "gem": [0.3, 0.9, 0.95], "hero": [0.2, 0.4, 0.95],
                  "slime": [0.3, 0.85, 0.3], "star": [1.0, 0.95, 0.3], "tree": [0.1, 0.55, 0.2]}
SKIES = ([0.36, 0.58, 0.98], [0.05, 0.05, 0.12], [0.0, 0.0, 0.0], [0.55, 0.8, 0.95], [0.2, 0.1, 0.3])


def bitmap(rows):
    """A bitmap's pixels (h, w) float32, 1 = lit."""
    return np.float32([[c == "1" for c in r] for r in rows])


def pixel_text(digits, tall):
    """A number in the pixel font (its tall variant where tall), one pixel between digits."""
    glyphs = [bitmap(PIXEL_DIGITS[d])[list(TALL_ROWS) if tall else slice(None)] for d in digits]
    out = np.zeros((glyphs[0].shape[0], sum(g.shape[1] for g in glyphs) + len(glyphs) - 1), np.float32)
    x = 0
    for g in glyphs:
        out[:, x:x + g.shape[1]] = g
        x += g.shape[1] + 1
    return out


def stamp(img, bits, colour, top, left, scale, shadow=None):
    """A bitmap scaled up by an integer, in colour, onto the low-resolution screen."""
    big = np.kron(bits, np.ones((scale, scale), np.float32))
    h, w = img.shape[:2]
    if top < 0 or left < 0 or top + big.shape[0] > h or left + big.shape[1] > w:
        return
    if shadow is not None:
        sh = np.kron(bits, np.ones((scale, scale), np.float32))
        s = max(1, scale // 3)
        if top + s + big.shape[0] <= h and left + s + big.shape[1] <= w:
            blend(img, sh, shadow, top + s, left + s)
    blend(img, big, np.float32(colour), top, left)


def game_screen(rng, size, main_bits, with_hud=True):
    """A game's screen at its own pixels (h, w): a sky, a tiled ground of bricks or grass
    blocks, clouds, sprites, a row of hearts for lives, and main_bits (the number, or a
    sprite) 11-16% of the screen tall at the top right (a score) or 20-34% in the middle (a
    level). Returns the screen and main_bits' box (top, left, bottom, right)."""
    h, w = size
    sky = np.float32(pick(rng, SKIES))
    img = np.empty((h, w, 3), np.float32)
    img[...] = sky
    tile = int(rng.integers(8, 13))
    ground_y = h - tile * int(rng.integers(2, 4))
    grass = rng.random() < 0.5
    for y in range(ground_y, h, tile):  # the tiled ground
        for x in range(0, w, tile):
            base = np.float32([0.55, 0.3, 0.12]) if not grass or y > ground_y else np.float32([0.2, 0.7, 0.2])
            img[y:y + tile, x:x + tile] = base
            img[y:y + 1, x:x + tile] = base * 1.3
            img[y:y + tile, x:x + 1] = base * 0.6
    for _ in range(int(rng.integers(0, 4))):  # clouds or far blocks
        cx, cy = int(rng.uniform(0, w)), int(rng.uniform(h * 0.15, h * 0.5))
        cv2.rectangle(img, (cx, cy), (cx + tile * 3, cy + tile), rgb(sky * 0.5 + 0.5), -1)
        cv2.rectangle(img, (cx + tile, cy - tile // 2), (cx + tile * 2, cy), rgb(sky * 0.5 + 0.5), -1)
    score = rng.random() < 0.6
    tall = rng.uniform(0.11, 0.16) if score else rng.uniform(0.2, 0.34)  # of the screen's height
    scale = max(1, int(round(h * tall / main_bits.shape[0])))
    while main_bits.shape[1] * scale > w * (0.45 if score else 0.8) and scale > 1:
        scale -= 1
    mh, mw = main_bits.shape[0] * scale, main_bits.shape[1] * scale
    if score:
        top, left = int(h * 0.05), w - mw - int(w * 0.05)
    else:
        top, left = (ground_y - mh) // 2, (w - mw) // 2
    box = (top, left, top + mh, left + mw)
    ink = pick(rng, ([1.0, 1.0, 1.0], [1.0, 0.85, 0.2], [0.95, 0.3, 0.2]))
    if abs(np.mean(ink) - sky.mean()) < 0.25:
        ink = [1.0, 1.0, 1.0] if sky.mean() < 0.6 else [0.05, 0.05, 0.1]
    for name in rng.choice(list(SPRITES), size=int(rng.integers(2, 5))):  # sprites on the ground or in the air
        bits = bitmap(SPRITES[name])
        s = max(1, scale)
        sy = ground_y - bits.shape[0] * s if rng.random() < 0.7 else int(rng.uniform(h * 0.2, ground_y - 10 * s))
        sx = int(rng.uniform(0, w - bits.shape[1] * s))
        if sy + bits.shape[0] * s < box[0] or sy > box[2] or sx + bits.shape[1] * s < box[1] or sx > box[3]:
            stamp(img, bits, SPRITE_COLOURS[name], sy, sx, s)
    if with_hud:
        for i in range(int(rng.integers(1, 4))):  # lives
            stamp(img, bitmap(SPRITES["heart"]), SPRITE_COLOURS["heart"], int(h * 0.05), int(w * 0.04) + i * 10,
                  1)
    stamp(img, main_bits, ink, top, left, scale, shadow=np.float32([0.0, 0.0, 0.0]) if rng.random() < 0.5 else None)
    return img, box


def pixel_photo(main_bits, rng):
    """A game's screen with main_bits: a screenshot (the screen's pixels scaled by an
    integer, PNG-crisp; uint8, and True) or a photo of the monitor showing it (uint8,
    and False)."""
    h, w = pick(rng, ((120, 160), (144, 256), (192, 256), (180, 320), (224, 256)))
    screen, (t, l, b, r) = game_screen(rng, (h, w), main_bits)
    if rng.random() < 0.45:
        up = int(rng.integers(2, 7))
        shot = np.kron(screen, np.ones((up, up, 1), np.float32))
        if rng.random() < 0.5:  # a crop of it that keeps the number whole
            sh, sw = shot.shape[:2]
            ch = int(np.clip(sh * rng.uniform(0.6, 1.0), min(sh, max(320, (b - t + 4) * up)), sh))
            cw = int(np.clip(sw * rng.uniform(0.6, 1.0), min(sw, max(320, (r - l + 4) * up)), sw))
            y0 = int(np.clip(rng.uniform((b + 2) * up - ch, (t - 2) * up), 0, sh - ch))
            x0 = int(np.clip(rng.uniform((r + 2) * up - cw, (l - 2) * up), 0, sw - cw))
            shot = shot[y0:y0 + ch, x0:x0 + cw]
        return np.uint8(np.clip(shot, 0, 1) * 255 + 0.5), True
    up = int(rng.integers(2, 4))
    content = np.kron(screen, np.ones((up, up, 1), np.float32))
    # 420 px at the least: a small screen in a smaller crop would leave a score a few pixels tall
    return device_photo(content, rng, photo_size(rng, (420, 700), (700, 1600))), False


# --- pyrography ------------------------------------------------------------------------------

WOODS = ([0.88, 0.74, 0.55], [0.92, 0.8, 0.62], [0.85, 0.68, 0.48], [0.93, 0.85, 0.7])


def wood(shape, rng, log):
    """Light wood: a board's grain running along it, or a slice of log (its growth rings
    round a heart off the middle, cracks from it, bark round the edge). Returns the
    picture, its grain (h, w) in [0, 1] and its coverage (the slice's disc, or all)."""
    h, w = shape
    base = np.float32(pick(rng, WOODS))
    if log:
        cx, cy = w * rng.uniform(0.45, 0.55), h * rng.uniform(0.45, 0.55)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        r = np.hypot((xx - cx) * rng.uniform(0.9, 1.1), yy - cy)
        wob = 25 * smooth_noise((h, w), h / 6, rng)
        grain = 0.5 + 0.5 * np.sin((r + wob) / rng.uniform(8, 14))
        radius = min(h, w) * 0.47
        cover = np.clip(radius - r + 0.5, 0, 1).astype(np.float32)
        bark = np.clip((r - radius * rng.uniform(0.9, 0.94)) / 3, 0, 1) * cover
    else:
        wob = smooth_noise((h, w), h / 3, rng, w / 2) * h * 0.05
        yy = np.mgrid[0:h, 0:w][0].astype(np.float32)
        grain = 0.5 + 0.5 * np.sin((yy + wob) / rng.uniform(6, 12) + 3 * smooth_noise((h, w), h / 8, rng, w))
        cover, bark = np.ones((h, w), np.float32), np.zeros((h, w), np.float32)
    grain = np.float32(grain) ** 3
    img = base * (0.9 + 0.08 * fbm((h, w), h / 6, rng) - 0.1 * grain)[..., None]
    rough = 0.6 + 0.6 * fbm((h, w), max(2.0, h / 80), rng)
    img = img * (1 - bark[..., None]) + np.float32([0.3, 0.2, 0.13]) * rough[..., None] * bark[..., None]
    return img, grain, cover


def burn(img, grain, cov, top, left, rng):
    """The mark burned in with a hot tip: dark brown strokes, darker where the tip
    lingered and along the grain's late wood, a scorched golden-brown halo round them."""
    h, w = cov.shape
    g = grain[top:top + h, left:left + w]
    halo = soft(cov, h * rng.uniform(0.012, 0.03))
    blend(img, np.clip(halo * rng.uniform(0.5, 0.8), 0, 1), np.float32([0.6, 0.35, 0.15]), top, left)
    depth = np.clip(rng.uniform(0.75, 0.95) + 0.15 * g + 0.1 * smooth_noise(cov.shape, h / 10, rng) - 0.05, 0, 1)
    blend(img, soft(cov, 0.8) * depth, np.float32([0.18, 0.09, 0.04]), top, left)


def pyro_photo(cov, rng):
    """The mark burned into a board or a slice of log lying on a table or grass."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    log = rng.random() < 0.45
    side = 1300
    shape = (side, side) if log else (int(side * rng.uniform(0.6, 0.9)), side)
    img, grain, cover = wood(shape, rng, log)
    c = fit(cov, shape[0] * rng.uniform(0.35, 0.55), shape[1] * 0.6)
    top, left = (shape[0] - c.shape[0]) // 2 + int(rng.uniform(-0.05, 0.05) * shape[0]), (shape[1] - c.shape[1]) // 2
    burn(img, grain, c, top, left, rng)
    bg = desk(work, rng) if rng.random() < 0.6 else np.float32([0.25, 0.45, 0.18]) * (
        0.7 + 0.5 * fbm(work, work[0] / 30, rng))[..., None]
    flat = np.concatenate([img, cover[..., None]], axis=2)
    placed, _, _ = place_plane(flat, work, rng, rng.uniform(0, 35), rng.uniform(-15, 15), rng.uniform(1.5, 2.5),
                               (top, left, top + c.shape[0], left + c.shape[1]), rng.uniform(0.2, 0.4), spin=20)
    a = placed[..., 3:4]
    shadow = shifted(soft(a[..., 0], work[0] / 60), work[0] // 80, work[1] // 100)
    out = bg * (1 - 0.4 * shadow)[..., None] * (1 - a) + placed[..., :3] * a
    out = lamp_light(out, rng, warm=True, fall=(0.6, 0.9))
    return finish(out, frame, rng, blur=(0.4, 1.0))


# --- napkin-pen -------------------------------------------------------------------------------

NAPKINS = ([0.97, 0.97, 0.96], [0.97, 0.95, 0.9], [0.95, 0.92, 0.85], [0.85, 0.9, 0.97], [0.98, 0.88, 0.88])
TABLES = ([0.88, 0.88, 0.86], [0.3, 0.22, 0.15], [0.15, 0.15, 0.16], [0.55, 0.4, 0.25])


def napkin(shape, rng):
    """A paper napkin: soft fibre, an embossed quilted pattern (diamonds or dots raised
    in relief, lit from one side), the folds that quarter it, an embossed border.
    Returns the picture and the fibre (h, w)."""
    h, w = shape
    tint = np.float32(pick(rng, NAPKINS))
    fibre = fbm((h, w), max(2.0, h / 150), rng)
    relief = np.zeros((h, w), np.float32)
    pitch = int(h * rng.uniform(0.04, 0.07))
    if rng.random() < 0.5:  # quilted diamonds
        for k in range(-h // pitch - 2, (w + h) // pitch + 2):
            cv2.line(relief, (k * pitch, 0), (k * pitch - h, h), 1.0, max(2, pitch // 10), cv2.LINE_AA)
            cv2.line(relief, (k * pitch - h, 0), (k * pitch, h), 1.0, max(2, pitch // 10), cv2.LINE_AA)
    else:  # embossed dots
        for y in range(pitch // 2, h, pitch):
            for x in range(pitch // 2 + (pitch // 2) * ((y // pitch) % 2), w, pitch):
                cv2.circle(relief, (x, y), max(2, pitch // 6), 1.0, -1, cv2.LINE_AA)
    m = int(h * 0.06)
    cv2.rectangle(relief, (m, m), (w - m, h - m), 1.0, max(2, pitch // 5), cv2.LINE_AA)
    relief = soft(relief, pitch / 12)
    gy, gx = np.gradient(relief)
    shade = np.clip(1 + 4 * (gx + gy) * pitch / 10, 0.85, 1.1)
    d = np.abs(np.arange(w, dtype=np.float32) - w / 2 + rng.normal(0, w * 0.01))  # the fold down the middle
    across = 1 - 0.07 * np.exp(-(d / (w * 0.02)) ** 2) + 0.04 * np.exp(-((d - w * 0.03) / (w * 0.03)) ** 2)
    d = np.abs(np.arange(h, dtype=np.float32) - h / 2 + rng.normal(0, h * 0.01))  # and across it
    fold = np.outer(1 - 0.06 * np.exp(-(d / (h * 0.02)) ** 2), across).astype(np.float32)
    return tint * ((0.97 + 0.05 * fibre) * shade * fold)[..., None], fibre


def bleed(alpha, fibre, rng, felt):
    """Ink soaking into the napkin's loose fibres: the stroke spread and feathered,
    further along the fibres, the more for a felt pen."""
    h = alpha.shape[0]
    spread = h * (rng.uniform(0.008, 0.018) if felt else rng.uniform(0.003, 0.008))
    halo = soft(alpha, spread)
    feather = np.clip(halo * (0.6 + 0.9 * (fibre - 0.5) * 2), 0, 1)
    return np.clip(np.maximum(alpha, feather * 0.75), 0, 1)


def napkin_photo(cov, rng, tool):
    """The mark written on a paper napkin lying on a café table (a cup's saucer at the
    edge now and then), seen from the chair."""
    frame = photo_frame(rng)
    work = work_frame(frame)
    side = 1300
    img, fibre = napkin((side, side), rng)
    c = fit(cov, side * rng.uniform(0.3, 0.5), side * 0.6)
    top = int(rng.uniform(0.25, 0.75) * (side - c.shape[0]))
    left = int(rng.uniform(0.25, 0.75) * (side - c.shape[1]))
    a = pen_alpha(tool, c, rng)
    a = bleed(a, fibre[top:top + c.shape[0], left:left + c.shape[1]], rng, tool == "felt")
    blend(img, a, np.float32(pick(rng, PEN_INKS[tool])), top, left)
    table = np.float32(pick(rng, TABLES)) * (0.9 + 0.15 * fbm(work, work[0] / 6, rng))[..., None]
    if rng.random() < 0.5:  # a saucer and cup at the edge
        cx, cy, r = int(work[1] * pick(rng, (0.05, 0.95))), int(work[0] * rng.uniform(0.1, 0.9)), int(work[0] * 0.22)
        cv2.circle(table, (cx, cy), r, (0.95, 0.95, 0.94), -1, cv2.LINE_AA)
        cv2.circle(table, (cx, cy), int(r * 0.55), (0.85, 0.85, 0.84), -1, cv2.LINE_AA)
        cv2.circle(table, (cx, cy), int(r * 0.45), (0.3, 0.18, 0.1), -1, cv2.LINE_AA)
    flat = np.concatenate([img, np.ones((side, side, 1), np.float32)], axis=2)
    placed, _, _ = place_plane(flat, work, rng, rng.uniform(10, 40), rng.uniform(-12, 12), rng.uniform(1.4, 2.2),
                               (top, left, top + c.shape[0], left + c.shape[1]), rng.uniform(0.2, 0.4), spin=25)
    al = placed[..., 3:4]
    shadow = shifted(soft(al[..., 0], work[0] / 80), work[0] // 150, work[1] // 200)
    out = table * (1 - 0.3 * shadow)[..., None] * (1 - al) + placed[..., :3] * al
    out = lamp_light(out, rng, warm=rng.random() < 0.6, fall=(0.5, 0.85))
    return finish(out, frame, rng, blur=(0.4, 1.0))


# --- Non-digit marks -----------------------------------------------------------------------

def arrow_cov(rng, size=300):
    """A road arrow: a long shaft and a head (straight on, or turning off)."""
    m = np.zeros((size, size // 2), np.float32)
    w = size // 2
    shaft = w // 5
    cv2.rectangle(m, (w // 2 - shaft // 2, int(size * 0.35)), (w // 2 + shaft // 2, size - 1), 1.0, -1)
    cv2.fillPoly(m, [np.int32([[w // 2, 0], [w - 2, int(size * 0.38)], [2, int(size * 0.38)]])], 1.0, cv2.LINE_AA)
    return m if rng.random() < 0.7 else np.ascontiguousarray(np.rot90(m, int(rng.integers(1, 4))))
