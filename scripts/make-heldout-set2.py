#!/usr/bin/python3
"""Makes a second set of held-out evaluation families (issue 21, item 5): kinds of
input unlike anything blnk's training, stress or first held-out generators make.

    /usr/bin/python3 scripts/make-heldout-set2.py OUT [--per-family 60] [--seed 21]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT      # the table, held-out families marked

Families (OUT/<family>/all/):
  embossed       small photos (40-160 px tall, PNG, RGBA PNG or JPEG) of a digit
                 pressed into, raised from, engraved in or painted on brushed metal,
                 plastic or wood: the shape shows by shading from a light direction
                 (or by paint), the surface's colour and texture, noise, blur
  whiteboard     1-12 MP JPEGs of a whiteboard: one marker digit 5-40% of the frame
                 height, uneven (drying) ink, ghosts of erased writing, the board's
                 frame and tray, magnets, an eraser or a pen, glare from lamps and
                 windows, perspective
  chalkboard     1-12 MP JPEGs of a green or black chalkboard: one chalk digit with
                 grainy, broken strokes, erased chalk smeared across the board, a
                 wooden frame, chalk sticks, perspective
  seven-seg      photos (200-1200 px) of one digit on a seven-segment display: a
                 grey-green or backlit LCD with faint unlit segments, or glowing LEDs
                 on black, in a device's housing, glass glare, perspective
  numbers-wild   2-5 digit numbers in the world, 0.5-12 MP: a shelf price tag, a
                 thermal queue ticket (dot-matrix or monospace print), a handwritten
                 number on an envelope with a stamp, metal numbers on a door; some
                 slanted, unevenly spaced (label: n<number>_)
  symbols-wild   non-digits in the same settings: letters and short words (printed and
                 handwritten), Adwaita icons, arrows, math and other symbols (label x_)

Digits are MNIST *test* digits 0-4999 (re-drawn as marker, chalk or pen strokes along
their skeleton; scripts/make-heldout-set.py draws from 5000-9999) or glyphs of fonts
that no other script in blnk reads: scripts/setup.sh --heldout-fonts unpacks them
into build/heldout-fonts without installing them, so that the stress suite's font
search never finds them. Icons come from Debian's adwaita-icon-theme.

File names: the label first (a digit; `n<number>_` for numbers; `x` for a non-digit),
as scripts/stress-eval.py reads them. The families are added to OUT/heldout.txt: no
training or tuning script may read them. The same seed, MNIST files and fonts give
the same set, and a family's images do not depend on which other families are made.
The painting (light, perspective, camera; boards, stamped marks, displays) is in
scripts/lib/heldout_render.py; the number and non-digit scenes are here.
"""

import glob
import math
import os
import sys

import cv2
import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import (H, blend, board_photo, camera, drop_shadow, fbm, frame_size, glyphs,  # noqa: E402
                            hand_warp, has_glyph, light_up, lit, load_script, marker_alpha, relief,
                            save, save_small, segment_display, snap, skeleton_strokes, smooth_noise, stamped_photo,
                            surface, to_height, PHONE_SIZES)
FAMILIES = ("embossed", "whiteboard", "chalkboard", "seven-seg", "numbers-wild", "symbols-wild")
ICON_DIR = "/usr/share/icons/Adwaita/96x96"

# Fonts of the Debian packages listed in scripts/setup.sh (--heldout-fonts), by path
# below the unpacked tree. Handwriting and marker fonts for writing; plain printed
# ones for stamped, painted and printed digits.
HAND_FONTS = ["opentype/bwht/BecauseWe%s-Regular.otf" % k
              for k in ("Build", "Connect", "Create", "Learn", "Mentor", "Organize")] + [
    "truetype/breip/Breip.ttf", "truetype/sjfonts/SteveHand.ttf",
    "truetype/yusei-magic/YuseiMagic-Regular.ttf"]
PRINT_FONTS = ["opentype/b612/B612-Bold.otf", "opentype/b612/B612Mono-Bold.otf", "opentype/b612/B612-Regular.otf",
               "opentype/cabin/Cabin-Bold.otf", "opentype/cabin/Cabin-SemiBold.otf",
               "opentype/dosis/Dosis-Bold.otf", "opentype/dosis/Dosis-ExtraBold.otf",
               "opentype/jura/Jura-Bold.otf", "opentype/league-spartan/LeagueSpartan-Bold.otf",
               "opentype/league-spartan/LeagueSpartan-Black.otf", "opentype/ocr-b/OCRB.otf",
               "truetype/beteckna/BetecknaGS-Bold.ttf", "truetype/beteckna/BetecknaGSCondensed-Bold.ttf"]
SEGMENT_FONTS = ["truetype/dseg/DSEG7Classic-Bold.ttf", "truetype/dseg/DSEG7Classic-Regular.ttf",
                 "truetype/dseg/DSEG7Classic-BoldItalic.ttf", "truetype/dseg/DSEG7Modern-Bold.ttf",
                 "truetype/dseg/DSEG7Modern-Regular.ttf", "truetype/dseg/DSEG7Modern-Italic.ttf"]
MONO_FONTS = ["opentype/b612/B612Mono-Bold.otf", "opentype/b612/B612Mono-Regular.otf", "opentype/ocr-b/OCRB.otf",
              "opentype/jura/Jura-Medium.otf"]

# Words with at least two letters no one writes like a digit; letters likewise
# (scripts/make-stress-set.py's list of letters not written like a digit).
WORDS = ("EXIT", "OPEN", "PUSH", "PULL", "STOP", "hello", "cat", "WC", "Hi", "yes", "Tea", "SALE", "Mar", "Fri",
         "km", "kg", "cm", "ml", "Ave", "way", "Danke", "merci", "ab", "xy", "Nord", "WiFi", "max", "new", "Rue",
         "Apt", "Kew", "pH", "UK", "FAQ", "Mr", "Dr", "AM", "PM", "hey", "wow", "yay", "vert", "rot")
SYMBOLS = "+=%#<>&@?!*\u00d7\u00f7\u2260\u00b1\u221a\u03c0\u221e\u2192\u2190\u2191\u2193\u20ac$\u00a3\u00a7\u2713"
ICON_BLOCK = ("text", "font", "calendar", "calculator", "dialpad", "character-map", "dictionary", "keyboard",
              "ordered", "subtitles", "locale", "information", "help", "question", "format-", "zoom-original",
              "spreadsheet", "rss", "rtl", "document", "address-book", "contact", "about", "user-info", "x-office",
              "media-optical", "view-dual", "applications-science", "preferences-desktop-font", "sort", "time",
              "alarm", "appointment", "content-loading", "mark-important", "dialog-warning", "list-remove",
              "system-shutdown", "system-reboot", "media-playback-pause", "value-decrease", "view-paged",
              "view-continuous", "tab-new", "edit-select", "object-flip",
              # outlines and marks a person could take for a 0, a 1 or a letter like a digit
              "phone", "tablet", "ipad", "pda", "multimedia-player", "media-zip", "media-flash", "media-removable",
              "drive-removable", "video-single-display", "preferences-system-details", "cellular-edge",
              "cellular-gprs", "cellular-hspa", "cellular-umts", "checkbox-symbolic", "radio-symbolic",
              "media-record", "window-maximize", "window-restore", "window-minimize")


# The --families check, the MNIST files and heldout.txt come from the first held-out set.
SET1 = load_script("heldout_set", "make-heldout-set.py")


# --- Numbers in the world ---------------------------------------------------------

def number_row(covs, rng, gap, uneven=0.0, drift=0.0, slant=0.0):
    """Glyph coverages (one height) side by side: gaps gap*(1 +- uneven) of the height,
    the baseline drifting by drift of the height, sheared by slant."""
    hgt = max(c.shape[0] for c in covs)
    gaps = [max(1, int(hgt * gap * (1 + rng.uniform(-uneven, uneven)))) for _ in covs[1:]] + [0]
    offs = [int(hgt * rng.uniform(-drift, drift)) for _ in covs]
    lift = max(0, -min(offs))
    height = hgt + lift + max(0, max(offs))
    width = sum(c.shape[1] for c in covs) + sum(gaps)
    row = np.zeros((height, width), np.float32)
    x = 0
    for c, g, o in zip(covs, gaps, offs):
        t = lift + o + (hgt - c.shape[0])
        row[t:t + c.shape[0], x:x + c.shape[1]] = np.maximum(row[t:t + c.shape[0], x:x + c.shape[1]], c)
        x += c.shape[1] + g
    if slant:
        m = int(abs(slant) * height) + 2
        row = np.pad(row, ((0, 0), (m, m)))
        A = np.float32([[1, -slant, slant * height / 2], [0, 1, 0]])
        row = cv2.warpAffine(row, A, (row.shape[1], height), flags=cv2.INTER_LINEAR)
        row = H.crop_to_ink(row, 0.05)
    return row


def dot_matrix(cov, rows, rng):
    """A glyph printed by a dot-matrix head: rows of round dots where the glyph is."""
    h, w = cov.shape
    cols = max(3, int(round(w / h * rows)))
    cells = cv2.resize(cov, (cols, rows), interpolation=cv2.INTER_AREA)
    cell = 12
    out = np.zeros((rows * cell, cols * cell), np.uint8)
    for y, x in zip(*np.nonzero(cells > 0.4)):
        cv2.circle(out, (int(x * cell + cell / 2), int(y * cell + cell / 2)), int(cell * rng.uniform(0.42, 0.55)),
                   255, -1, cv2.LINE_AA)
    return out.astype(np.float32) / 255.0


def price_tag(digits, fonts, rng):
    h, w = frame_size(rng, ((1200, 1600), (900, 1200), (1500, 2000), (768, 1024), (3000, 4000)))
    # Out-of-focus goods on a shelf behind, the shelf's rail across the frame.
    lo = np.empty((h // 8, w // 8, 3), np.float32)
    lo[...] = rng.uniform(0.2, 0.5)
    for _ in range(int(rng.integers(10, 30))):
        x0, y0 = int(rng.uniform(0, w // 8)), int(rng.uniform(0, h // 8))
        cv2.rectangle(lo, (x0, y0), (x0 + int(rng.uniform(5, w // 30)), y0 + int(rng.uniform(10, h // 12))),
                      tuple(float(v) for v in rng.uniform(0.1, 0.95, 3)), -1)
    img = cv2.resize(cv2.GaussianBlur(lo, (0, 0), 5), (w, h), interpolation=cv2.INTER_LINEAR)
    th = int(h * rng.uniform(0.14, 0.32))
    tw = min(int(th * rng.uniform(1.3, 2.0)), int(0.9 * w))
    rail_top = int(h * rng.uniform(0.3, 0.6))
    img[rail_top:rail_top + int(th * 1.1)] = np.float32(rng.choice([[0.6, 0.6, 0.62], [0.25, 0.25, 0.27]]))
    scheme = rng.integers(0, 4)
    paper, ink = [([0.98, 0.86, 0.15], [0.8, 0.08, 0.08]), ([0.97, 0.97, 0.95], [0.05, 0.05, 0.05]),
                  ([0.85, 0.1, 0.1], [0.98, 0.98, 0.96]), ([0.97, 0.97, 0.95], [0.8, 0.05, 0.05])][scheme]
    tag = np.empty((th, tw, 3), np.float32)
    tag[...] = paper
    if rng.random() < 0.5:
        tag[:int(th * 0.12)] = rng.choice([[0.8, 0.1, 0.1], [0.1, 0.3, 0.7], [0.2, 0.6, 0.2]])
    font = fonts[int(rng.integers(0, len(fonts)))]
    covs = [glyphs(d, font, 200) for d in digits]
    hgt = max(c.shape[0] for c in covs)
    covs = [to_height(c, max(2, int(c.shape[0] / hgt * 200))) for c in covs]
    row = number_row(covs, rng, rng.uniform(0.03, 0.12), uneven=rng.uniform(0, 0.5),
                     slant=rng.uniform(-0.2, 0.2) if rng.random() < 0.3 else 0.0)
    rh = int(th * rng.uniform(0.42, 0.6))
    row = to_height(row, rh)
    if row.shape[1] > 0.9 * tw:
        row = to_height(row, int(rh * 0.9 * tw / row.shape[1]))
    t = int(th * 0.2) + (int(th * 0.7) - row.shape[0]) // 2
    l = int(rng.uniform(0.05, max(0.06, 0.95 - row.shape[1] / tw)) * tw)
    blend(tag, row, ink, t, l)
    tl = int(rng.uniform(0.02, 0.98) * (w - tw))
    img[rail_top + int(th * 0.05):rail_top + int(th * 0.05) + th, tl:tl + tw] = tag
    img = light_up(img, rng, 0.25, 0.2, glare=int(rng.integers(0, 2)), glare_strength=0.2)
    return snap(img, rng, 0.05, (1.0, 1.15), (0.3, 0.3, 0.3))


def ticket(digits, fonts, rng):
    """A thermal queue ticket or receipt stub with a big number, lying on a table."""
    h, w = frame_size(rng, ((900, 1200), (1200, 1600), (600, 800), (1500, 2000)))
    img = np.empty((h, w, 3), np.float32)
    img[...] = rng.choice([[0.25, 0.18, 0.12], [0.35, 0.35, 0.37], [0.15, 0.15, 0.16], [0.55, 0.45, 0.35]])
    img *= (0.9 + 0.2 * fbm((h, w), h / 4, rng))[..., None]
    ph = int(h * rng.uniform(0.5, 0.8))
    pw = int(ph * rng.uniform(0.5, 0.8))
    paper = np.empty((ph, pw, 3), np.float32)
    paper[...] = rng.choice([[0.96, 0.96, 0.94], [0.95, 0.94, 0.9]])
    curl = 1 - 0.12 * np.linspace(-1, 1, pw, dtype=np.float32) ** 2 * rng.uniform(0, 1)
    paper *= curl[None, :, None]
    font = fonts[int(rng.integers(0, len(fonts)))]
    if rng.random() < 0.5:
        rows = int(rng.integers(9, 17))
        covs = [dot_matrix(glyphs(d, font, 120), rows, rng) for d in digits]
    else:
        covs = [glyphs(d, font, 120) for d in digits]
    hgt = max(c.shape[0] for c in covs)
    covs = [to_height(c, max(2, int(c.shape[0] * 120 / hgt))) for c in covs]
    row = number_row(covs, rng, rng.uniform(0.1, 0.3), uneven=rng.uniform(0, 0.3))
    rw = int(pw * rng.uniform(0.5, 0.85))
    row = cv2.resize(row, (rw, max(2, int(row.shape[0] * rw / row.shape[1]))), interpolation=cv2.INTER_AREA)
    if row.shape[0] > 0.5 * ph:
        row = to_height(row, int(0.5 * ph))
    fade = 1 - 0.6 * (smooth_noise((1, row.shape[1]), 1, rng, max(2.0, row.shape[1] / 40)) > 0.8)
    alpha = row * fade * rng.uniform(0.6, 0.95)
    t = int(rng.uniform(0.2, 0.6) * (ph - row.shape[0]))
    blend(paper, alpha, rng.choice([[0.1, 0.1, 0.15], [0.25, 0.2, 0.3]]), t, (pw - row.shape[1]) // 2)
    # Torn edge at the bottom: a ragged line.
    edge = (ph - 1 - (rng.random(pw) * 0.015 * ph)).astype(int)
    pmask = np.ones((ph, pw), np.float32)
    for x in range(pw):
        pmask[edge[x]:, x] = 0
    angle = rng.uniform(-30, 30)
    big = int(math.hypot(ph, pw)) + 2
    canvas = np.zeros((big, big, 3), np.float32)
    cm = np.zeros((big, big), np.float32)
    oy, ox = (big - ph) // 2, (big - pw) // 2
    canvas[oy:oy + ph, ox:ox + pw] = paper
    cm[oy:oy + ph, ox:ox + pw] = pmask
    R = cv2.getRotationMatrix2D((big / 2, big / 2), angle, 1.0)
    canvas = cv2.warpAffine(canvas, R, (big, big))
    cm = cv2.warpAffine(cm, R, (big, big))
    top = (h - big) // 2 + int(rng.uniform(-0.05, 0.05) * h)
    left = (w - big) // 2 + int(rng.uniform(-0.15, 0.15) * w)
    drop_shadow(img, cm, top, left, (int(0.01 * h), int(0.01 * h)), 0.01 * h, 0.5)
    blend(img, cm, canvas, top, left)
    img = light_up(img, rng, 0.3, 0.25, glare=int(rng.integers(0, 2)), glare_strength=0.15)
    return camera(img, rng)


def envelope(digit_covs, rng):
    """A handwritten number on an envelope with a stamp and a postmark."""
    h, w = frame_size(rng, ((3000, 4000), (1500, 2000), (960, 1280), (2448, 3264)))
    img = np.empty((h, w, 3), np.float32)
    img[...] = rng.choice([[0.3, 0.3, 0.32], [0.5, 0.38, 0.25], [0.7, 0.7, 0.68]])
    eh = int(h * rng.uniform(0.6, 0.85))
    ew = min(int(eh * rng.uniform(1.45, 1.9)), int(0.95 * w))
    env = np.empty((eh, ew, 3), np.float32)
    env[...] = rng.choice([[0.80, 0.64, 0.44], [0.95, 0.94, 0.9], [0.86, 0.89, 0.93], [0.96, 0.93, 0.85]])
    env *= (0.96 + 0.06 * fbm((eh, ew), eh / 3, rng))[..., None]
    # The stamp (a perforated picture) in the top right, a postmark's waves across it.
    sh = int(eh * rng.uniform(0.16, 0.24))
    sw = int(sh * rng.uniform(0.75, 0.9))
    st = int(eh * 0.06)
    sl = ew - sw - int(eh * 0.06)
    env[st:st + sh, sl:sl + sw] = 0.97
    perf = max(2, sh // 25)
    for x in range(sl, sl + sw, 3 * perf):
        cv2.circle(env, (x, st), perf, tuple(float(v) for v in env[st + sh // 2, sl - 5]), -1)
        cv2.circle(env, (x, st + sh), perf, tuple(float(v) for v in env[st + sh // 2, sl - 5]), -1)
    inner = env[st + sh // 10:st + sh - sh // 10, sl + sw // 10:sl + sw - sw // 10]
    ih, iw = inner.shape[:2]
    c1, c2 = rng.uniform(0.1, 0.9, 3), rng.uniform(0.1, 0.9, 3)
    inner[...] = (c1 + (c2 - c1) * np.linspace(0, 1, ih)[:, None, None]).astype(np.float32)
    cv2.circle(inner, (int(iw * rng.uniform(0.3, 0.7)), int(ih * rng.uniform(0.3, 0.7))), int(ih * 0.25),
               tuple(float(v) for v in rng.uniform(0, 1, 3)), -1, cv2.LINE_AA)
    wave_ink = tuple(float(v) for v in rng.choice([[0.2, 0.2, 0.25], [0.3, 0.3, 0.5]]))
    for k in range(int(rng.integers(3, 6))):
        xs = np.arange(sl - int(sw * rng.uniform(0.8, 1.6)), sl + sw // 2, 4)
        ys = st + sh * (0.3 + 0.12 * k) + sh * 0.05 * np.sin(xs / (sh * 0.12))
        cv2.polylines(env, [np.int32(np.stack([xs, ys], 1))], False, wave_ink, max(1, sh // 60), cv2.LINE_AA)
    # The number: a line of handwriting in the lower middle.
    nh = int(eh * rng.uniform(0.08, 0.25))
    row = number_row(digit_covs, rng, rng.uniform(0.05, 0.35), uneven=rng.uniform(0.2, 0.8),
                     drift=rng.uniform(0, 0.08), slant=rng.uniform(-0.3, 0.3) if rng.random() < 0.5 else 0.0)
    row = to_height(row, nh)
    if row.shape[1] > 0.8 * ew:
        row = to_height(row, int(nh * 0.8 * ew / row.shape[1]))
    t = int(eh * rng.uniform(0.42, 0.85 - row.shape[0] / eh)) if row.shape[0] < 0.4 * eh else int(eh * 0.4)
    l = int(rng.uniform(0.1, max(0.11, 0.9 - row.shape[1] / ew)) * ew)
    blend(env, row * rng.uniform(0.8, 1.0), rng.choice([[0.08, 0.1, 0.35], [0.08, 0.08, 0.1]]), t, l)
    top, left = (h - eh) // 2 + int(rng.uniform(-0.05, 0.05) * h), (w - ew) // 2
    drop_shadow(img, np.ones((eh, ew), np.float32), top, left, (int(0.008 * h),) * 2, 0.01 * h, 0.4)
    blend(img, np.ones((eh, ew), np.float32), env, top, left)
    img = light_up(img, rng, 0.3, 0.25, glare=int(rng.integers(0, 2)), glare_strength=0.12)
    return snap(img, rng, 0.05, (1.0, 1.1), (0.3, 0.3, 0.3))


def door(digits, fonts, rng):
    """Metal numbers screwed to a painted or wooden door."""
    h, w = frame_size(rng, ((3000, 4000), (4032, 3024), (2000, 1500), (1600, 1200)))
    kind = rng.random()
    if kind < 0.35:
        img, _ = surface("wood", h // 4, w // 4, rng)
        img = cv2.resize(img, (w, h), interpolation=cv2.INTER_LINEAR)
    else:
        img = np.empty((h, w, 3), np.float32)
        img[...] = rng.choice([[0.92, 0.92, 0.9], [0.15, 0.3, 0.2], [0.12, 0.15, 0.3], [0.6, 0.1, 0.1],
                               [0.5, 0.55, 0.6]])
        paint = cv2.resize(fbm((h // 4, w // 4), h / 16, rng), (w, h), interpolation=cv2.INTER_LINEAR)
        img *= (0.97 + 0.04 * paint)[..., None]
    # Panel mouldings: light top-left edges, dark bottom-right ones.
    for (t, l, b, r) in ((0.55, 0.1, 0.95, 0.9), (0.05, 0.1, 0.2, 0.9)):
        t, l, b, r = int(t * h), int(l * w), int(b * h), int(r * w)
        e = max(2, h // 150)
        img[t:t + e, l:r] *= 1.25
        img[t:b, l:l + e] *= 1.2
        img[b - e:b, l:r] *= 0.7
        img[t:b, r - e:r] *= 0.75
    metal = np.float32(rng.choice([[0.78, 0.62, 0.3], [0.75, 0.76, 0.78], [0.1, 0.1, 0.1]]))
    font = fonts[int(rng.integers(0, len(fonts)))]
    nh = int(h * rng.uniform(0.04, 0.15))
    covs = [to_height(glyphs(d, font, 240), nh) for d in digits]
    row = number_row(covs, rng, rng.uniform(0.1, 0.4), uneven=rng.uniform(0, 0.5), drift=rng.uniform(0, 0.05),
                     slant=0.0)
    if row.shape[1] > 0.7 * w:
        row = to_height(row, int(row.shape[0] * 0.7 * w / row.shape[1]))
    t = int(h * rng.uniform(0.25, 0.42) - row.shape[0] / 2)
    l = (w - row.shape[1]) // 2 + int(rng.uniform(-0.1, 0.1) * w)
    a = rng.uniform(0, 2 * math.pi)
    off = int(max(2, 0.06 * row.shape[0]))
    drop_shadow(img, row, t, l, (int(off * math.sin(a)) + off, int(off * math.cos(a))), off, 0.55)
    face = np.empty(row.shape + (3,), np.float32)
    face[...] = metal * (0.9 + 0.2 * smooth_noise(row.shape, max(2.0, row.shape[0] / 4), rng))[..., None]
    lit(face, relief(row, 1.0, (math.cos(a), math.sin(a)), max(2.0, 0.05 * row.shape[0])), 0.6, 0.3)
    blend(img, row, face, t, l)
    # A handle far below the number.
    hy, hx = int(h * rng.uniform(0.7, 0.85)), int(w * rng.choice([0.15, 0.85]))
    cv2.ellipse(img, (hx, hy), (int(h * 0.03), int(h * 0.03)), 0, 0, 360, tuple(float(v) for v in metal * 0.9), -1,
                cv2.LINE_AA)
    cv2.rectangle(img, (hx - int(h * 0.01), hy - int(h * 0.01)),
                  (hx + (int(h * 0.12) if hx < w / 2 else -int(h * 0.12)), hy + int(h * 0.01)),
                  tuple(float(v) for v in metal), -1)
    img = light_up(img, rng, 0.35, 0.3, glare=int(rng.integers(0, 2)), glare_strength=0.15)
    return snap(img, rng, 0.06, (1.0, 1.1), (0.4, 0.4, 0.4))


# --- Non-digits ---------------------------------------------------------------

def icon_files():
    files = sorted(glob.glob(os.path.join(ICON_DIR, "*", "*.png")))
    return [f for f in files if not any(b in os.path.basename(f) for b in ICON_BLOCK)
            and not any(ch.isdigit() for ch in os.path.basename(f))]


def icon_cov(path):
    rgba = np.asarray(Image.open(path).convert("RGBA"), np.float32) / 255.0
    return H.crop_to_ink(rgba[..., 3], 0.1)


def arrow_cov(rng):
    """A sign's arrow: a block arrow, a bent one, a double-headed one, or a hand-drawn one."""
    s = 256
    img = np.zeros((s, s), np.uint8)
    kind = int(rng.integers(0, 4))
    if kind == 0:
        pts = np.float32([[0, 0.38], [0.55, 0.38], [0.55, 0.2], [1, 0.5], [0.55, 0.8], [0.55, 0.62], [0, 0.62]])
        cv2.fillPoly(img, [np.int32(pts * (s - 40) + 20)], 255, cv2.LINE_AA)
    elif kind == 1:
        pts = np.float32([[0.2, 1], [0.2, 0.45], [0.6, 0.45], [0.6, 0.25], [0.95, 0.55], [0.6, 0.85], [0.6, 0.65],
                          [0.4, 0.65], [0.4, 1]])
        cv2.fillPoly(img, [np.int32(pts * (s - 40) + 20)], 255, cv2.LINE_AA)
    elif kind == 2:
        pts = np.float32([[0, 0.5], [0.25, 0.2], [0.25, 0.4], [0.75, 0.4], [0.75, 0.2], [1, 0.5], [0.75, 0.8],
                          [0.75, 0.6], [0.25, 0.6], [0.25, 0.8]])
        cv2.fillPoly(img, [np.int32(pts * (s - 40) + 20)], 255, cv2.LINE_AA)
    else:
        pen = int(rng.integers(8, 22))
        a, b = np.float32([30, 128 + rng.uniform(-40, 40)]), np.float32([226, 128 + rng.uniform(-40, 40)])
        mid = (a + b) / 2 + np.float32([0, rng.uniform(-50, 50)])
        t = np.linspace(0, 1, 30)[:, None]
        curve = (1 - t) ** 2 * a + 2 * (1 - t) * t * mid + t ** 2 * b
        cv2.polylines(img, [np.int32(curve)], False, 255, pen, cv2.LINE_AA)
        d = (b - curve[-4]) / (np.linalg.norm(b - curve[-4]) + 1e-6)
        n = np.float32([-d[1], d[0]])
        for side in (1, -1):
            tip = b - 50 * d + side * 35 * n
            cv2.line(img, tuple(int(v) for v in b), tuple(int(v) for v in tip), 255, pen, cv2.LINE_AA)
    img = Image.fromarray(img).rotate(float(rng.choice([0, 90, 180, 270])) + rng.uniform(-20, 20), Image.BICUBIC,
                                      expand=True)
    return H.crop_to_ink(np.asarray(img, np.float32) / 255.0, 0.05)


def nondigit_cov(kind, rng, hand, printed, icons):
    if kind == "letter":
        ch = H.NOT_DIGIT_LIKE_LETTERS[int(rng.integers(0, len(H.NOT_DIGIT_LIKE_LETTERS)))]
        use_hand = rng.random() < 0.5
        font = (hand if use_hand else printed)[int(rng.integers(0, len(hand if use_hand else printed)))]
        cov = glyphs(ch, font, 200)
        return hand_warp(cov, rng) if use_hand else cov
    if kind == "word":
        word = WORDS[int(rng.integers(0, len(WORDS)))]
        use_hand = rng.random() < 0.5
        font = (hand if use_hand else printed)[int(rng.integers(0, len(hand if use_hand else printed)))]
        return glyphs(word, font, 160)
    if kind == "icon":
        return icon_cov(icons[int(rng.integers(0, len(icons)))])
    if kind == "arrow":
        return arrow_cov(rng)
    for _ in range(50):
        ch = SYMBOLS[int(rng.integers(0, len(SYMBOLS)))]
        use_hand = rng.random() < 0.5
        pool = hand if use_hand else printed
        font = pool[int(rng.integers(0, len(pool)))]
        if has_glyph(font, ch):
            cov = glyphs(ch, font, 200)
            return hand_warp(cov, rng, 0.7) if use_hand else cov
    raise RuntimeError("no font draws the symbols")


def sticky_note(cov, rng):
    """A sticky note on a wall or desk with the mark in felt pen, 300-1600 px."""
    side = int(rng.integers(300, 1600))
    h, w = side, int(side * rng.uniform(1.0, 1.4))
    img = np.empty((h, w, 3), np.float32)
    img[...] = rng.choice([[0.85, 0.84, 0.8], [0.55, 0.45, 0.35], [0.7, 0.72, 0.75]])
    n = int(h * rng.uniform(0.5, 0.75))
    note = np.empty((n, n, 3), np.float32)
    note[...] = rng.choice([[0.98, 0.92, 0.45], [0.95, 0.6, 0.7], [0.6, 0.85, 0.95], [0.7, 0.95, 0.6]])
    note *= np.linspace(0.92, 1.05, n, dtype=np.float32)[:, None, None]
    c = to_height(cov, int(n * rng.uniform(0.35, 0.7)))
    if c.shape[1] > 0.85 * n:
        c = cv2.resize(c, (int(0.85 * n), max(2, int(c.shape[0] * 0.85 * n / c.shape[1]))),
                       interpolation=cv2.INTER_AREA)
    blend(note, marker_alpha(c, rng), rng.choice([[0.05, 0.05, 0.08], [0.1, 0.15, 0.5], [0.7, 0.1, 0.1]]),
          (n - c.shape[0]) // 2, (n - c.shape[1]) // 2)
    top, left = (h - n) // 2, (w - n) // 2 + int(rng.uniform(-0.1, 0.1) * w)
    drop_shadow(img, np.ones((n, n), np.float32), top, left, (n // 40, n // 50), n / 60, 0.35)
    blend(img, np.ones((n, n), np.float32), note, top, left)
    img = light_up(img, rng, 0.3, 0.2)
    return snap(img, rng, 0.06, (1.0, 1.1), tuple(float(v) for v in img[2, 2]))


# --- The set ------------------------------------------------------------------

class Sources:
    """Where digits come from: MNIST test digits 0-4999, each family its own run of
    them, and the held-out fonts."""

    def __init__(self, images, labels, seed, fonts_dir):
        self.images, self.labels = images, labels
        self.order = np.random.default_rng([seed, 4999]).permutation(5000) if images is not None else None
        self.next = {}
        self.hand = [os.path.join(fonts_dir, f) for f in HAND_FONTS]
        self.printed = [os.path.join(fonts_dir, f) for f in PRINT_FONTS]
        self.segments = [os.path.join(fonts_dir, f) for f in SEGMENT_FONTS]
        self.mono = [os.path.join(fonts_dir, f) for f in MONO_FONTS]

    def mnist(self, family):
        """The family's next MNIST test image and label."""
        k = self.next.get(family, 0)
        self.next[family] = k + 1
        i = int(self.order[(FAMILIES.index(family) * 1000 + k) % 5000])
        return self.images[i], str(int(self.labels[i]))

    def handwritten(self, family, label, rng, height, pen):
        """A handwritten digit `height` px tall: an MNIST digit re-stroked with the pen,
        or the label in a handwriting font, varied. Returns (cov, label)."""
        if rng.random() < 0.5:
            image, label = self.mnist(family)
            return skeleton_strokes(image, height, pen, rng), label
        font = self.hand[int(rng.integers(0, len(self.hand)))]
        return to_height(hand_warp(glyphs(label, font, 240), rng), height), label


def make_one(family, k, rng, src, folder, icons):
    stem = os.path.join(folder, "")
    if family == "embossed":
        label = str(k % 10)
        style = ("pressed", "raised", "engraved", "painted")[int(rng.integers(0, 4))]
        if style == "painted" and rng.random() < 0.35:  # painted by hand with a brush
            image, label = src.mnist(family)
            cov = skeleton_strokes(image, 240, int(rng.integers(18, 36)), rng)
        else:
            cov = glyphs(label, src.printed[int(rng.integers(0, len(src.printed)))], 240)
        save_small(stamped_photo(cov, rng, style), f"{stem}{label}_{style}{k:03d}", rng)
    elif family in ("whiteboard", "chalkboard"):
        size = frame_size(rng, PHONE_SIZES[:4] if rng.random() < 0.7 else PHONE_SIZES)
        rel = rng.uniform(0.05, 0.40)
        height = max(24, int(rel * size[0]))
        pen = max(3, int(height * rng.uniform(0.06, 0.12)))
        cov, label = src.handwritten(family, str(k % 10), rng, height, pen)
        kind = "white" if family == "whiteboard" else "chalk"
        save(board_photo(cov, kind, rng, size, rel), f"{stem}{label}_{kind}{k:03d}.jpg", rng)
    elif family == "seven-seg":
        label = str(k % 10)
        img = segment_display(label, src.segments[int(rng.integers(0, len(src.segments)))], rng)
        save(img, f"{stem}{label}_segments{k:03d}.jpg", rng)
    elif family == "numbers-wild":
        n = int(rng.integers(2, 6))
        digits = [str(int(rng.integers(1 if i == 0 else 0, 10))) for i in range(n)]
        scene = ("price", "ticket", "envelope", "door")[k % 4]
        if scene == "price":
            img = price_tag(digits, src.printed, rng)
        elif scene == "ticket":
            img = ticket(digits, src.mono, rng)
        elif scene == "door":
            img = door(digits, src.printed, rng)
        else:
            pen_h = 200
            covs, labels = [], []
            for d in digits:
                cov, lab = src.handwritten(family, d, rng, pen_h, int(pen_h * rng.uniform(0.05, 0.09)))
                covs.append(cov)
                labels.append(lab)
            digits = labels
            img = envelope(covs, rng)
        save(img, f"{stem}n{''.join(digits)}_{scene}{k:03d}.jpg", rng)
    elif family == "symbols-wild":
        kind = ("letter", "word", "icon", "arrow", "symbol")[k % 5]
        cov = nondigit_cov(kind, rng, src.hand, src.printed, icons)
        setting = int(rng.integers(0, 4))
        if setting == 0:
            img = sticky_note(cov, rng)
        elif setting in (1, 2):
            size = frame_size(rng, PHONE_SIZES[3:])
            img = board_photo(cov, "white" if setting == 1 else "chalk", rng, size, rng.uniform(0.08, 0.35))
        else:
            img = stamped_photo(cov, rng, ("pressed", "raised", "engraved", "painted")[int(rng.integers(0, 4))])
        save(img, f"{stem}x_{kind}{k:03d}.jpg", rng)


def main():
    args, wanted, fonts_root = SET1.parse_with_fonts(__doc__, 21, FAMILIES, "heldout-fonts",
                                                     "scripts/setup.sh --heldout-fonts")
    if SET1.fonts_missing("make-heldout-set2", fonts_root, HAND_FONTS + PRINT_FONTS + MONO_FONTS + SEGMENT_FONTS,
                          "scripts/setup.sh --heldout-fonts"):
        return 77
    icons = icon_files()
    if "symbols-wild" in wanted and len(icons) < 50:
        print(f"make-heldout-set2: too few icons in {ICON_DIR} (install adwaita-icon-theme)", file=sys.stderr)
        return 77

    images_path, labels_path = SET1.find_mnist_test(args.mnist)
    if not (images_path and labels_path):
        print(f"make-heldout-set2: no MNIST test files in {args.mnist}", file=sys.stderr)
        return 77
    src = Sources(H.read_idx(images_path), H.read_idx(labels_path), args.seed, fonts_root)

    SET1.make_families("make-heldout-set2", args, FAMILIES, wanted,
                       lambda family, k, rng, folder: make_one(family, k, rng, src, folder, icons))
    return 0


if __name__ == "__main__":
    sys.exit(main())
