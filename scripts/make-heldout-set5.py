#!/usr/bin/python3
"""Makes a fifth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to fourth
held-out generators, made to measure the reader once, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set5.py OUT [--per-family 60] [--seed 51]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  graph-paper    one digit written in ballpoint, pencil or felt pen on squared
                 notebook paper (sometimes a margin line, a spiral's holes, the desk
                 at an edge), photographed at a steep angle under uneven light, often
                 the phone's shadow across it; 320 px crops to 12 MP
  receipt        a faded thermal receipt: a shop's name, an address, items with their
                 tax letters, rules, a footer, and the amount (2-5 digits, the only
                 number on it) printed double size; scanned as a band of lines or
                 photographed on a table, creased and curling (label: n<amount>_)
  embroidery     one digit stitched in thread on woven fabric in a wooden hoop
                 lying on a table: backstitch along its strokes, or filled with satin
                 stitch; 320 px to 12 MP
  sand-trace     one digit traced with a fingertip in sand (ripples, shells) or snow,
                 a groove with pushed-up rims lit from low on one side, or wiped in the
                 dust on a car's paint; 320 px to 12 MP
  parcel-label   a 2-5 digit number handwritten in thick marker on a cardboard box
                 (packing tape, the box's top) or in pen or marker on a paper label
                 wrapped round a jar of jam, honey or pickles, no 1 leaning more than
                 12 degrees (label: n<number>_); 400 px to 12 MP
  marks-wild5    non-digits in those five settings: words, initials, signatures,
                 doodles and faces on squared paper; a receipt with a QR code and no
                 number; stitched initials, doodles and words; doodles, faces, words
                 and initials traced in sand, snow or dust; a name, a parcel's
                 handling icon or a QR code on a box or a jar (label: x_)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
fourth set's) redrawn as pen, fingertip or thread strokes and kept only as the fourth
set keeps them (15 nearest MNIST *training* digits share the label, ink in one piece,
loops kept; an 8 shows both loops), but for those a person stopped at on this set's
contact sheets (Sources.passed_over), or glyphs of Debian fonts that no other script reads:
`scripts/fetch-heldout-fonts.sh --set 5` unpacks Aoyagi Soseki (handwriting), Courier
Prime, mononoki, Inconsolata and IBM 3270 (receipts), Roboto Slab and Eurofurence
(embroidery) into build/heldout5-fonts without installing them, so that the stress
suite's and test photos' font search never finds them. No font whose 0 is slashed or
dotted draws a 0, and Aoyagi Soseki no 7.

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them. The families are added to
OUT/heldout.txt: no training or tuning script may read them, and whoever tunes the
reader reads only the table. The same seed, MNIST files and fonts give the same set,
and a family's images do not depend on which other families are made. The scenes are
painted by scripts/lib/heldout_scenes5.py.
"""

import math
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import H, glyphs, hand_warp, load_script, save, save_small, to_height  # noqa: E402
from heldout_scenes3 import arc, choice, stroke_cov, wobble  # noqa: E402
from heldout_scenes5 import (PEN_WIDTHS, box_photo, embroidery_photo, grid_photo, jar_photo, receipt_photo,  # noqa: E402
                             main_ink, receipt_print, restroke, traced_photo)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("graph-paper", "receipt", "embroidery", "sand-trace", "parcel-label", "marks-wild5")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 5` unpacks, by path
# below the unpacked tree (grep scripts/: no other script names them).
HAND_FONT = "truetype/aoyagi-soseki/aoyagi-soseki.ttf"
RECEIPT_FONTS = [("opentype/courier-prime/Courier Prime.otf", "opentype/courier-prime/Courier Prime Bold.otf"),
                 ("opentype/courier-prime/Courier Prime Sans.otf",
                  "opentype/courier-prime/Courier Prime Sans Bold.otf"),
                 ("truetype/mononoki/mononoki-Regular.ttf", "truetype/mononoki/mononoki-Bold.ttf"),
                 ("truetype/inconsolata/Inconsolata.otf", "truetype/inconsolata/Inconsolata.otf"),
                 ("truetype/3270/3270-Regular.ttf", "truetype/3270/3270SemiCondensed-Regular.ttf")]
STITCH_FONTS = ["truetype/eurofurence/eurof35.ttf", "truetype/eurofurence/eurof55.ttf",
                "opentype/roboto/slab/RobotoSlab-Light.otf", "opentype/roboto/slab/RobotoSlab-Regular.otf",
                HAND_FONT]
SATIN_FONTS = ["opentype/roboto/slab/RobotoSlab-Bold.otf", "truetype/eurofurence/eurof75.ttf"]
# Fonts whose digit a person may stop at, never asked for it: a slashed or dotted 0,
# Aoyagi Soseki's 7 (re-stroked, its short bar reads as a T).
NOT_FOR = {"0": ("mononoki", "inconsolata", "3270", "eurofurence"), "7": ("aoyagi",)}
ALL_FONTS = sorted(set([HAND_FONT] + [f for pair in RECEIPT_FONTS for f in pair] + STITCH_FONTS + SATIN_FONTS))

SET1 = load_script("heldout_set", "make-heldout-set.py")
SET3 = load_script("heldout_set3", "make-heldout-set3.py")
SET4 = load_script("heldout_set4", "make-heldout-set4.py")

# Receipt words, capitals no one prints like a digit (no O, I, S, B, G, D, Z, Q).
SHOPS = ("MARKET", "NEW MART", "CAFE MANTRA", "HAPPY CART", "TEA HUT", "FRUTERA", "MEAT MARKET", "YUMMY CAFE",
         "THE PANTRY", "FARM CART")
STREETS = ("ELM AVE", "PARK WAY", "CHERRY LANE", "MARKET PLACE", "HAY MARKET", "MAPLE AVE")
ITEMS = ("CREAM", "PEAR", "HAM", "TEA", "LEEK", "TUNA", "YAM", "CAKE", "PRAWN", "NECTAR", "CRACKER", "TART",
         "FETA", "KALE", "PAPAYA", "LETTUCE", "APPLE", "PEANUT", "WHEAT", "CARAMEL", "TURKEY", "CHERRY")
FOOTERS = ("TA VERY MUCH", "HAPPY NEW YEAR", "TAKE CARE", "WE ACCEPT CARTE", "HAVE A NAP")
AMOUNT_WORDS = ("AMT", "NET", "TTL", "PAY", "TAKE")
CURRENCIES = ("", "", "KR ", "YEN ", "HUF ")
assert set("".join(SHOPS + STREETS + ITEMS + FOOTERS + AMOUNT_WORDS + CURRENCIES)) <= set(H.NOT_DIGIT_LIKE_LETTERS + " ")
CAPITALS = sorted(set(c for c in H.NOT_DIGIT_LIKE_LETTERS if c.isupper()))
WORDS = SET4.WORDS
NAMES = tuple(n for n in SET3.NAMES if set(n) <= set(H.NOT_DIGIT_LIKE_LETTERS))
SETTINGS = ("grid", "receipt", "stitch", "sand", "parcel")
MARKS = {"grid": ("word", "initials", "signature", "doodle", "face"), "receipt": ("qr",),
         "stitch": ("initials", "doodle", "word"), "sand": ("doodle", "face", "word", "initials"),
         "parcel": ("word", "icon", "qr")}
DOODLES = ("heart", "star", "arrow", "house", "sun", "box-cross", "cloud", "flower", "crown", "tree")  # no fish: an 8


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops (an 8 open at the top read as a 6 or a g once stitched or
    traced); digits a person stopped at on this set's contact sheets are passed over."""
    families, order_key = FAMILIES, 5
    loops = dict(SET4.LOOPS, **{"8": (2, 2)})
    passed_over = frozenset((1061, 2102, 2309, 2990, 4641, 4794, 5227, 5493, 8039, 8159, 8204, 8586, 8976, 9023,
                             9470, 9644, 9688, 9777, 9817))


class OneFont:
    """Stands in for a set's sources where a mark asks for a font by name: every
    name gives this set's handwriting font."""

    def __init__(self, src):
        self.path = src.font(HAND_FONT)

    def font(self, _relative):
        return self.path


def fonts_for(fonts, label):
    return [f for f in fonts if not any(k in f.lower() for k in NOT_FOR.get(label, ()))]


def handwritten(src, family, label, rng, pen_fraction, mnist=0.7):
    """A digit written by hand, 300 px tall with a pen pen_fraction of that wide: an
    MNIST test digit's strokes (checked at a pen at least 0.08 wide, as wide as the
    MNIST digits they are compared with, then drawn with the thinner pen), or the
    handwriting font's glyph varied and re-stroked."""
    if rng.random() < mnist or not fonts_for([HAND_FONT], label):
        return src.strokes(family, label, rng, 300, max(0.08, pen_fraction),
                           pen_fraction if pen_fraction < 0.08 else None)
    glyph = to_height(hand_warp(glyphs(label, src.font(HAND_FONT), 300), rng, 0.7), 300)
    return to_height(restroke(glyph, 300 * pen_fraction), 300)


def slant(cov):
    """How far (degrees) the mark's long axis leans from upright."""
    ys, xs = np.nonzero(cov > 0.5)
    ys, xs = ys - ys.mean(), xs - xs.mean()
    return abs(math.degrees(0.5 * math.atan2(2 * (xs * ys).mean(), (ys * ys).mean() - (xs * xs).mean())))


def number_digit(src, family, label, rng, pen_fraction):
    """A digit of a handwritten number: a 1 leaning more than 12 degrees reads as a
    slash between digits, so the next is taken (up to 20)."""
    for _ in range(20):
        cov = handwritten(src, family, label, rng, pen_fraction)
        if label != "1" or slant(cov) <= 12:
            break
    return cov


def number_cov(covs, rng):
    """Digits written in a row: each its own height and baseline, gaps between them."""
    covs = [main_ink(c) for c in covs]
    h = max(c.shape[0] for c in covs)
    covs = [to_height(c, int(h * rng.uniform(0.88, 1.04))) for c in covs]
    gap = int(h * rng.uniform(0.12, 0.3))
    out = np.zeros((int(h * 1.12), sum(c.shape[1] for c in covs) + gap * (len(covs) - 1)), np.float32)
    x = 0
    for c in covs:
        top = int(rng.uniform(0, out.shape[0] - c.shape[0]))
        out[top:top + c.shape[0], x:x + c.shape[1]] = np.maximum(out[top:top + c.shape[0], x:x + c.shape[1]], c)
        x += c.shape[1] + gap
    return out


# --- Receipts -----------------------------------------------------------------------

def receipt(rng, src, amount):
    """A receipt's print (coverage) and the box of its large amount line; amount None:
    no amount line, a QR code below the footer instead."""
    fonts = [p for p in RECEIPT_FONTS if all(fonts_for(p, d) == list(p) for d in set(amount or ""))]
    regular, bold = choice(rng, fonts)
    n = int(rng.integers(24, 33))
    rule = choice(rng, ("-", "=", "*"))
    lines = [(choice(rng, SHOPS), "center", 1.4, True)]
    if rng.random() < 0.7:
        lines.append((choice(rng, STREETS), "center", 1.0, False))
    lines.append((rule * n, "left", 1.0, False))
    for item in rng.choice(ITEMS, int(rng.integers(3, 8)), replace=False):
        tax = choice(rng, ("A", "T", "E", ""))
        lines.append((f"{item}{' ' * (n - len(item) - len(tax))}{tax}", "left", 1.0, False))
    lines.append((rule * n, "left", 1.0, False))
    if amount is not None:
        word, money = choice(rng, AMOUNT_WORDS), choice(rng, CURRENCIES) + amount
        half = n // 2
        lines.append((f"{word}{' ' * max(1, half - len(word) - len(money))}{money}", "left", 2.0, True))
        lines.append((rule * n, "left", 1.0, False))
    lines.append((choice(rng, FOOTERS), "center", 1.0, False))
    cov, big = receipt_print(lines, (src.font(regular), src.font(bold)), int(rng.integers(36, 52)), n, rng)
    if amount is None:
        qr = to_height(qr_cov(rng), int(cov.shape[1] * rng.uniform(0.35, 0.55)))
        pad = np.zeros((qr.shape[0] + cov.shape[1] // 6, cov.shape[1]), np.float32)
        left = (cov.shape[1] - qr.shape[1]) // 2
        pad[:qr.shape[0], left:left + qr.shape[1]] = qr
        cov = np.vstack([cov, pad])
    return cov, big


# --- Non-digit marks --------------------------------------------------------------

def qr_cov(rng, modules=25, cell=8):
    """A QR-like code: random modules, its three finder squares, a quiet zone."""
    m = rng.random((modules, modules)) < 0.5
    finder = np.zeros((7, 7), bool)
    finder[[0, 6], :] = finder[:, [0, 6]] = True
    finder[2:5, 2:5] = True
    for y, x in ((0, 0), (0, modules - 7), (modules - 7, 0)):
        m[max(0, y - 1):y + 8, max(0, x - 1):x + 8] = False
        m[y:y + 7, x:x + 7] = finder
    return np.kron(np.pad(m, 2).astype(np.float32), np.ones((cell, cell), np.float32))


def icon_lines(kind):
    """A parcel's handling icon in the unit square: keep dry (an umbrella in the rain)
    or fragile (a wine glass with a crack)."""
    if kind == "umbrella":
        canopy = arc(0.5, 0.5, 0.42, 0.32, math.pi, 2 * math.pi)
        scallops = [p for k in range(4) for p in arc(0.19 + 0.21 * k, 0.5, 0.105, 0.06, math.pi, 0, 8)]
        return [canopy + scallops[::-1], [(0.5, 0.5), (0.5, 0.85)] + arc(0.44, 0.85, 0.06, 0.06, 0, math.pi, 8),
                [(0.15, 0.0), (0.12, 0.1)], [(0.5, 0.0), (0.47, 0.1)], [(0.85, 0.0), (0.82, 0.1)]]
    bowl = arc(0.5, 0.2, 0.25, 0.3, 0, math.pi)
    return [[(0.25, 0.2), (0.75, 0.2)], bowl, [(0.5, 0.5), (0.5, 0.88)], [(0.3, 0.9), (0.7, 0.9)],
            [(0.42, 0.22), (0.5, 0.3), (0.44, 0.36), (0.52, 0.44)]]


def mark_cov(kind, rng, src, pen):
    """A non-digit's ink, a coverage map (1 = ink), drawn with a pen `pen` px on 240."""
    if kind == "word":
        text = choice(rng, WORDS + NAMES)
        return to_height(hand_warp(glyphs(text, src.font(HAND_FONT), 160), rng, 0.5), 160)
    if kind == "initials":
        text = choice(rng, CAPITALS) + choice(rng, (".", "", " ")) + choice(rng, CAPITALS)
        return to_height(hand_warp(glyphs(text, src.font(HAND_FONT), 200), rng, 0.6), 200)
    if kind == "signature":
        return SET3.mark_cov("signature", rng, OneFont(src))[0]
    if kind == "doodle":
        return SET4.doodle_cov(choice(rng, DOODLES), rng, pen)
    if kind == "face":
        return SET3.face_cov(rng, outline=True)
    if kind == "icon":
        return stroke_cov(wobble(icon_lines(choice(rng, ("umbrella", "glass"))), rng, 0.004), 240, pen)
    return qr_cov(rng)


def mark_scene(setting, kind, rng, src):
    """A non-digit mark in one of the digit families' settings: uint8 RGB."""
    if setting == "receipt":
        cov, _ = receipt(rng, src, None)
        return receipt_photo(cov, None, rng)[0]
    if setting == "grid":
        pen = choice(rng, ("ballpoint", "pencil", "felt"))
        return grid_photo(restroke(mark_cov(kind, rng, src, 10), 6 if pen != "felt" else 12), rng, pen)
    if setting == "stitch":
        if kind == "initials" and rng.random() < 0.5:
            text = choice(rng, CAPITALS) + choice(rng, CAPITALS)
            return embroidery_photo(glyphs(text, src.font(choice(rng, SATIN_FONTS)), 300), rng, "satin")
        return embroidery_photo(restroke(mark_cov(kind, rng, src, 12), 14), rng, "back")
    if setting == "sand":
        finger = float(rng.integers(18, 30))
        return traced_photo(restroke(mark_cov(kind, rng, src, int(finger)), finger), rng,
                            choice(rng, ("sand", "sand", "snow", "dust")), finger)
    cov = mark_cov(kind, rng, src, 12)
    if kind in ("icon", "qr") or rng.random() < 0.5:
        return box_photo(cov, rng)
    return jar_photo(cov, rng)


# --- The set ------------------------------------------------------------------

def save_any(img, stem, rng):
    """Small pictures as PNG, RGBA PNG or JPEG (as screenshots and uploads come), the
    rest as JPEG."""
    if img.shape[0] < 500:
        save_small(img, stem, rng)
    else:
        save(img, stem + ".jpg", rng)


def make_one(family, k, rng, src, folder):
    stem = os.path.join(folder, "")
    if family in ("receipt", "parcel-label"):
        n = int(rng.integers(2, 6))
        digits = "".join(str(int(rng.integers(1 if i == 0 else 0, 10))) for i in range(n))
        if family == "receipt":
            cov, big = receipt(rng, src, digits)
            img, scanned = receipt_photo(cov, big, rng)
            save_any(img, f"{stem}n{digits}_{'scan' if scanned else 'photo'}{k:03d}", rng)
            return
        on_box = rng.random() < 0.5
        pen = rng.uniform(0.09, 0.13) if on_box else rng.uniform(0.06, 0.1)
        cov = number_cov([number_digit(src, family, d, rng, pen) for d in digits], rng)
        img = box_photo(cov, rng) if on_box else jar_photo(cov, rng)
        save(img, f"{stem}n{digits}_{'box' if on_box else 'jar'}{k:03d}.jpg", rng)
        return
    if family == "marks-wild5":
        setting = SETTINGS[k % len(SETTINGS)]
        kinds = MARKS[setting]
        kind = kinds[(k // len(SETTINGS)) % len(kinds)]
        save_any(mark_scene(setting, kind, rng, src), f"{stem}x_{kind}-{setting}{k:03d}", rng)
        return
    label = str(k % 10)
    if family == "graph-paper":
        tag = choice(rng, ("ballpoint", "ballpoint", "pencil", "felt"))
        img = grid_photo(handwritten(src, family, label, rng, rng.uniform(*PEN_WIDTHS[tag]), 0.65), rng, tag)
        save_any(img, f"{stem}{label}_{'pen' if tag == 'ballpoint' else tag}{k:03d}", rng)
        return
    if family == "embroidery":
        r = rng.random()
        if r < 0.45:
            img, tag = embroidery_photo(src.strokes(family, label, rng, 300, rng.uniform(0.08, 0.1)), rng,
                                        "back"), "backstitch"
        elif r < 0.7:
            glyph = glyphs(label, src.font(choice(rng, fonts_for(STITCH_FONTS, label))), 300)
            img, tag = embroidery_photo(restroke(glyph, 18), rng, "back"), "backstitch"
        else:
            glyph = glyphs(label, src.font(choice(rng, fonts_for(SATIN_FONTS, label))), 300)
            img, tag = embroidery_photo(glyph, rng, "satin"), "satin"
    else:  # sand-trace
        tag = choice(rng, ("sand", "sand", "snow", "dust"))
        pen = rng.uniform(0.09, 0.13)
        img = traced_photo(handwritten(src, family, label, rng, pen, 0.8), rng, tag, pen * 300)
    save(img, f"{stem}{label}_{tag}{k:03d}.jpg", rng)


def main():
    return SET3.make_set("make-heldout-set5", __doc__, 51, FAMILIES, ALL_FONTS, 5, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
