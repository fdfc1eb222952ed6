#!/usr/bin/python3
"""Makes an eighth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to seventh
held-out generators, made to measure the reader once, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set8.py OUT [--per-family 60] [--seed 81]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  palm-ink         one digit written in ballpoint or marker on the palm or the back of a
                   hand (skin tones, pores, the palm's creases or the back's wrinkles and
                   veins, the hand's outline over a desk, jeans or a garden out of focus,
                   soft daylight), the ink a little spread by the skin; 320 px to 12 MP
  hand-shadow      one digit in ballpoint, pencil or felt pen on plain or lightly tinted
                   paper on a desk under a warm desk lamp whose light falls off strongly,
                   a phone's or a hand's soft shadow across part of the page (over the
                   digit two times in five); 640 px (its long side) to 12 MP
  photocopy        one handwritten or printed digit on a page copied 2-5 times: a grey
                   cast, toner specks, streaks along the feed, the copier lid's black
                   along one or two edges where the page lies skewed, the contrast
                   crushed; greyscale JPEG or PNG, 600-2500 px
  birthday-candle  one or two number candles (wax cast as a font's digits: rounded,
                   glossy, sometimes glittered, a wick, lit in a dimmed room one time in
                   two) standing on a cake (frosting, a piped rim, sprinkles) or a table
                   (label: the digit, or n<number>_ for two)
  utility-meter    a 4-6 digit reading in a mechanical counter's windows (white digits on
                   black drums or black on white, the last drum red now and then, each
                   drum shaded by its curve and a little off its rest), a frame round the
                   row, a unit beside it, glare and haze on the glass, the meter on a wall
                   seen at an angle (label: n<number>_, leading zeros included)
  marks-wild8      non-digits in those five settings: tally marks, check marks, musical
                   notes, Chinese characters (WenQuanYi Micro Hei), emoji faces, the signs
                   euro, pound and yen, & and @ (label: x_)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as ballpoint, felt-pen, pencil or marker strokes and kept only as
the fourth to seventh sets keep them (15 nearest MNIST *training* digits share the
label, ink in one piece, loops kept, an 8 with both loops; five digits whose redrawing
a person would stop at were passed over by eye), or glyphs of Debian fonts that no other script reads:
`scripts/fetch-heldout-fonts.sh --set 8` unpacks Cantarell, Yanone Kaffeesatz, Go,
Caladea, Tuffy, Oxygen and WenQuanYi Micro Hei into build/heldout8-fonts
without installing them, so that the stress suite's and test photos' font search never
finds them. No 0 of the digits' fonts is slashed or dotted (Go's and Oxygen Mono's are:
Go draws only the notes and traced signs). The Chinese characters are drawn only when WenQuanYi Micro Hei is there
(its marks are then & instead).

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them. The families are added to
OUT/heldout.txt: no training or tuning script may read them, and whoever tunes the
reader reads only the table. The same seed, MNIST files and fonts give the same set,
and a family's images do not depend on which other families are made. The scenes are
painted by scripts/lib/heldout_scenes8.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import H, hand_warp, load_script  # noqa: E402
from heldout_scenes6 import paths_cov, pen_redraw, pick, shaky, text_cov  # noqa: E402
from heldout_scenes8 import (candle_photo, face_cov, face_paths, meter_photo, palm_photo, photocopy,  # noqa: E402
                             shadow_photo, tally_paths)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("palm-ink", "hand-shadow", "photocopy", "birthday-candle", "utility-meter", "marks-wild8")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 8` unpacks, by path
# below the unpacked tree (grep scripts/: no other script names them).
CANDLE_FONTS = ["opentype/cantarell/Cantarell-ExtraBold.otf", "truetype/tuffy/Tuffy_Bold.ttf",
                "truetype/oxygen/Oxygen-Sans-Bold.ttf"]
# Go's and Oxygen Mono's 0 is slashed: they draw no digit.
METER_FONTS = ["opentype/yanone-kaffeesatz/YanoneKaffeesatz-Bold.otf",
               "opentype/yanone-kaffeesatz/YanoneKaffeesatz-SemiBold.otf", "opentype/cantarell/Cantarell-Bold.otf",
               "truetype/tuffy/Tuffy_Bold.ttf", "truetype/oxygen/Oxygen-Sans-Bold.ttf"]
PRINT_FONTS = ["truetype/crosextra/Caladea-Regular.ttf", "truetype/crosextra/Caladea-Bold.ttf",
               "truetype/tuffy/Tuffy.ttf", "opentype/cantarell/Cantarell-Regular.otf",
               "truetype/oxygen/Oxygen-Sans-Bold.ttf"]
HAND_FONTS = ["opentype/cantarell/Cantarell-Light.otf", "fonts-go/Go-Regular.ttf"]  # a centre line without spurs
NOTE_FONT = "fonts-go/Go-Regular.ttf"  # draws the eighth notes
CJK_FONT = "truetype/wqy/wqy-microhei.ttc"
ALL_FONTS = sorted(set(CANDLE_FONTS + METER_FONTS + PRINT_FONTS + HAND_FONTS))

SET3 = load_script("heldout_set3", "make-heldout-set3.py")
SET4 = load_script("heldout_set4", "make-heldout-set4.py")

# Chinese characters none of which is a numeral or shaped like a digit or a sign
# (no 一 二 三 十 七 八 九 口 日).
CJK = "水木山火花我好风雨"
SIGNS = {"euro": "\u20ac", "pound": "\u00a3", "yen": "\u00a5", "amp": "&", "at": "@"}
NOTES = "\u266a\u266b"
UNITS = ("kWh", "m", "MWh", "kvarh")
assert set("".join(UNITS)) <= set(H.NOT_DIGIT_LIKE_LETTERS)
SETTINGS = ("palm", "shadow", "copy", "candle", "meter")
MARKS = {"palm": ("tally", "check", "face", "note", "sign", "cjk"),
         "shadow": ("tally", "check", "note", "cjk", "sign", "face"),
         "copy": ("cjk", "note", "sign", "tally", "check", "face"),
         "candle": ("face", "sign", "note"),
         "meter": ("sign",)}
PENS = {"ballpoint": (0.04, 0.055), "pencil": (0.045, 0.065), "felt": (0.08, 0.11), "marker": (0.09, 0.12)}


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops."""
    families, order_key = FAMILIES, 8
    loops = dict(SET4.LOOPS, **{"8": (2, 2)})
    # Seen on the contact sheets and passed over: a 5 without its upright (a J), a 7 read
    # as a >, two 2s and a 0 whose redrawn strokes fork.
    passed_over = frozenset({1618, 2736, 1210, 7497, 5051})


def handwritten(src, family, label, rng, tool):
    """An MNIST test digit's strokes, 300 px tall with the tool's pen (checked with a pen
    at least 0.08 wide, as wide as the MNIST digits it is compared with)."""
    pen = rng.uniform(*PENS[tool])
    return src.strokes(family, label, rng, 300, max(0.08, pen), pen if pen < 0.08 else None)


def glyph(src, rng, text, fonts):
    """Text in one of the fonts at 300 px, cropped to its ink."""
    return text_cov(text, src.font(pick(rng, fonts)), 300)


def number(rng, lo, hi, leading_zeros=False):
    n = int(rng.integers(lo, hi + 1))
    return "".join(str(int(rng.integers(0 if leading_zeros or i else 1, 10))) for i in range(n))


def mark_text(kind, rng, src):
    """A glyph mark's text and its font (for a hand, the font it is traced from)."""
    if kind == "cjk":
        return pick(rng, CJK), src.font(CJK_FONT)
    if kind == "note":
        return pick(rng, NOTES), src.font(NOTE_FONT)
    return SIGNS[kind], None


def mark_cov(kind, rng, src, hand):
    """A non-digit's coverage: tally or check marks or a face drawn with a pen `hand`
    px wide on 260 px (or printed), a note, a Chinese character or a sign traced by
    hand along a font's centre line where hand, else the font's glyph."""
    width = hand or 16
    if kind == "tally":
        return paths_cov(shaky(tally_paths(rng), rng, 0.006), 400, width)  # wider: five strokes side by side
    if kind == "check":
        a = rng.uniform(0.45, 0.65)
        return paths_cov(shaky([[(0.05, a), (0.35, 0.92), (0.95, 0.08)]], rng, 0.006), 260, width)
    if kind == "face":
        return paths_cov(shaky(face_paths(rng), rng, 0.004), 260, width)
    text, font = mark_text(kind, rng, src)
    if font is None:
        font = src.font(pick(rng, HAND_FONTS if hand else PRINT_FONTS))
    cov = text_cov(text, font, 300)
    if not hand:
        return cov
    if kind == "note":  # a note's head is filled by hand too
        return hand_warp(cov, rng, 0.5)
    cov = cv2.GaussianBlur(np.pad(cov, 16), (0, 0), 2)  # padded (a stroke at the edge thins to a fork), rounded
    return H.crop_to_ink(pen_redraw(np.float32(cov > 0.5), hand, cv2.ximgproc.THINNING_GUOHALL))


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB (grey for a copy)."""
    if setting == "palm":
        tool = pick(rng, ("ballpoint", "marker"))
        return palm_photo(mark_cov(kind, rng, src, 13 if tool == "ballpoint" else 20), rng, tool)
    if setting == "shadow":
        tool = pick(rng, ("ballpoint", "pencil", "felt"))
        return shadow_photo(mark_cov(kind, rng, src, 13 if tool != "felt" else 24), rng, tool)
    if setting == "copy":
        printed = kind in ("note", "cjk", "sign") and rng.random() < 0.5
        return photocopy(mark_cov(kind, rng, src, None if printed else 14), rng, printed)
    if setting == "candle":
        cov = face_cov(rng) if kind == "face" else mark_cov(kind, rng, src, None)
        return candle_photo([cov], rng)
    covs = [mark_cov(kind, rng, src, None)] * int(rng.integers(3, 6))
    return meter_photo(covs, rng, unit_text(rng, src))


def unit_text(rng, src):
    return text_cov(pick(rng, UNITS), src.font(pick(rng, PRINT_FONTS)), 80) if rng.random() < 0.7 else None


def mark_kind(k, cjk):
    """The k-th mark's setting and kind (of MARKS); the signs are taken in turn, so that
    each is drawn about as often as the others; & where a Chinese character would be and
    its font is missing."""
    def base(j):
        kinds = MARKS[SETTINGS[j % len(SETTINGS)]]
        return kinds[(j // len(SETTINGS)) % len(kinds)]
    kind = base(k)
    if kind == "sign":
        kind = tuple(SIGNS)[sum(base(j) == "sign" for j in range(k)) % len(SIGNS)]
    if kind == "cjk" and not cjk:
        kind = "amp"
    return SETTINGS[k % len(SETTINGS)], kind


def save(img, path, quality):
    """A JPEG at that quality, or a PNG."""
    if path.endswith(".png"):
        Image.fromarray(img).save(path)
    else:
        Image.fromarray(img).save(path, quality=quality)


def make_one(family, k, rng, src, folder):
    stem = os.path.join(folder, "")
    quality = int(rng.integers(72, 95))
    if family == "marks-wild8":
        setting, kind = mark_kind(k, os.path.exists(src.font(CJK_FONT)))
        img = mark_scene(setting, kind, rng, src)
        Image.fromarray(img).save(f"{stem}x_{kind}-{setting}{k:03d}.jpg", quality=quality)
        return
    if family == "utility-meter":
        digits = number(rng, 4, 6, leading_zeros=True)
        if rng.random() < 0.4:  # a young meter: zeros in front
            zeros = int(rng.integers(1, 3))
            digits = "0" * zeros + digits[zeros:]
        font = pick(rng, METER_FONTS)
        covs = [text_cov(d, src.font(font), 300) for d in digits]
        img = meter_photo(covs, rng, unit_text(rng, src), red_last=rng.random() < 0.25)
        Image.fromarray(img).save(f"{stem}n{digits}_meter{k:03d}.jpg", quality=quality)
        return
    if family == "birthday-candle":
        digits = str((k // 2) % 10) if k % 2 == 0 else number(rng, 2, 2)
        font = pick(rng, CANDLE_FONTS)
        img = candle_photo([text_cov(d, src.font(font), 300) for d in digits], rng)
        name = digits if len(digits) == 1 else f"n{digits}"
        Image.fromarray(img).save(f"{stem}{name}_candle{k:03d}.jpg", quality=quality)
        return
    label = str(k % 10)
    if family == "palm-ink":
        tag = pick(rng, ("ballpoint", "marker"))
        img = palm_photo(handwritten(src, family, label, rng, tag), rng, tag)
    elif family == "hand-shadow":
        tag = pick(rng, ("ballpoint", "pencil", "felt"))
        img = shadow_photo(handwritten(src, family, label, rng, tag), rng, tag)
    else:  # photocopy
        tag = pick(rng, ("ballpoint", "felt", "print"))
        cov = glyph(src, rng, label, PRINT_FONTS) if tag == "print" else handwritten(src, family, label, rng, tag)
        img = photocopy(cov, rng, tag == "print", tag)
        save(img, f"{stem}{label}_{tag}{k:03d}." + ("png" if rng.random() < 0.3 else "jpg"), quality)
        return
    Image.fromarray(img).save(f"{stem}{label}_{tag}{k:03d}.jpg", quality=quality)


def main():
    return SET3.make_set("make-heldout-set8", __doc__, 81, FAMILIES, ALL_FONTS, 8, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
