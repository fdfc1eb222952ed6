#!/usr/bin/python3
"""Makes a seventh set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to sixth
held-out generators, made to measure the reader once, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set7.py OUT [--per-family 60] [--seed 71]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  crayon-doodle  one digit in wax crayon or coloured pencil on construction paper
                 (yellow, blue, pink, green, orange...) with its tooth showing
                 through, among 2-4 children's doodles in other colours (a sun, a
                 flower, a house, a stick figure, a cloud, a tree, a fish, a star, a
                 heart), the sheet on a table; 320 px crops to 12 MP
  house-number   a 2-4 digit house number, one cut-out metal or plastic digit each
                 (brass, steel, black, white) with a screw, on a door (boards, paint or
                 varnished wood) or a mailbox's front, photographed at night with the
                 flash: a hot spot, light falling to black at the corners, each digit's
                 hard shadow a little below it (label: n<number>_)
  jersey         one digit printed on the back of a sports jersey, often outlined in a
                 third colour, stretched and cracked, the cloth's mesh and its folds
                 bending and shading it, now and then a player's name above it; the
                 shirt's outline on a wall, grass or a bench
  ransom-note    a 2-5 digit number of digits cut out of magazines, each its own font,
                 size, colour and paper (plain, newsprint, glossy colour, a photograph),
                 turned and lifted, glued in a row on a sheet, half the time under a
                 word of cut-out letters (label: n<number>_)
  wall-brush     one digit painted with a brush (its pressure changing along the
                 stroke, ragged, with drips) or a broad marker on plaster, concrete or
                 brick that skips the paint, seen at an angle
  marks-wild7    non-digits in those five settings: letters drawn or printed like a
                 digit (O l S B Z g q), signs (+ = % #), arrows, made-up logos and a
                 barcode without its number (label: x_)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as crayon, pencil, brush or marker strokes and kept only as the
fourth to sixth sets keep them (15 nearest MNIST *training* digits share the label, ink
in one piece, loops kept, an 8 with both loops; no digit was passed over by eye for this
set), or glyphs of Debian fonts that no other script reads:
`scripts/fetch-heldout-fonts.sh --set 7` unpacks Old Standard, Cherry Bomb, Reggae One,
Stay Puft, Sora, Manrope and Lemonada into build/heldout7-fonts without installing
them, so that the stress suite's and test photos' font search never finds them. None
of them draws a slashed or dotted 0; Old Standard's and Lemonada's digits are lining.

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them. The families are added to
OUT/heldout.txt: no training or tuning script may read them, and whoever tunes the
reader reads only the table. The same seed, MNIST files and fonts give the same set,
and a family's images do not depend on which other families are made. The scenes are
painted by scripts/lib/heldout_scenes7.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import H, load_script  # noqa: E402
from heldout_scenes6 import pen_redraw, pick, text_cov  # noqa: E402
from heldout_scenes7 import (arrow_paths, barcode_cov, brush_cov, crayon_photo, drawn_cov,  # noqa: E402
                             house_number_photo, jersey_photo, logo_paths, magazine_scrap, ransom_photo, wall_photo)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("crayon-doodle", "house-number", "jersey", "ransom-note", "wall-brush", "marks-wild7")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 7` unpacks, by path
# below the unpacked tree (grep scripts/: no other script names them).
HOUSE_FONTS = ["opentype/sora/Sora-Bold.otf", "truetype/manrope/Manrope-ExtraBold.ttf",
               "truetype/fonts-oldstandard/OldStandard-Bold.ttf", "opentype/lemonada/Lemonada-SemiBold.otf"]
# Block letters, as team shirts are printed (Reggae One's brush digits are left to the magazines).
JERSEY_FONTS = ["opentype/sora/Sora-ExtraBold.otf", "truetype/manrope/Manrope-ExtraBold.ttf",
                "opentype/cherrybomb/CherryBomb-Regular.otf", "truetype/staypuft/StayPuft.ttf"]
HAND_FONTS = ["opentype/sora/Sora-Light.otf", "truetype/manrope/Manrope-Light.ttf"]  # thin: a centre line without spurs
MAGAZINE_FONTS = sorted(set(HOUSE_FONTS + JERSEY_FONTS + [
    "truetype/fonts-oldstandard/OldStandard-Regular.ttf", "truetype/fonts-oldstandard/OldStandard-Italic.ttf",
    "truetype/reggae/ReggaeOne-Regular.ttf", "opentype/sora/Sora-Light.otf", "truetype/manrope/Manrope-Light.ttf",
    "opentype/lemonada/Lemonada-Bold.otf"]))
ALL_FONTS = MAGAZINE_FONTS

SET3 = load_script("heldout_set3", "make-heldout-set3.py")
SET4 = load_script("heldout_set4", "make-heldout-set4.py")

# Words, written only with capitals no one reads as a digit (no O, I, S, B, Z, G, Q).
NAMES = ("HUNTER", "WALKER", "PARKER", "TURNER", "CARTER", "KRAMER", "FLETCHER", "WALTER", "CRANE", "MEYER", "LUKE")
RANSOM_WORDS = ("PAY", "CALL", "WANT", "HELP", "NEW", "NEAR", "PAY UP", "THE", "CAR")
assert set("".join(NAMES + RANSOM_WORDS)) <= set(H.NOT_DIGIT_LIKE_LETTERS + " ")
LOOKALIKES = ("O", "l", "S", "B", "Z", "g", "q")  # letters shaped like 0 1 5 8 2 9 9
SIGNS = {"plus": "+", "equals": "=", "percent": "%", "hash": "#"}
SETTINGS = ("crayon", "door", "jersey", "ransom", "wall")
MARKS = {"crayon": ("letter", "sign", "arrow"),
         "door": ("letter", "logo", "arrow"),
         "jersey": ("letter", "logo"),
         "ransom": ("letter", "sign", "barcode"),
         "wall": ("letter", "sign", "arrow", "logo")}


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops."""
    families, order_key = FAMILIES, 7
    loops = dict(SET4.LOOPS, **{"8": (2, 2)})


def handwritten(src, family, label, rng, pen_fraction):
    """An MNIST test digit's strokes, 300 px tall with a pen pen_fraction of that wide
    (checked with a pen at least 0.08 wide, as wide as the MNIST digits it is compared with)."""
    return src.strokes(family, label, rng, 300, max(0.08, pen_fraction), pen_fraction if pen_fraction < 0.08 else None)


def glyph(src, rng, text, fonts):
    """Text in one of the fonts at 300 px, cropped to its ink but never less tall than
    the font's capital H (a sign such as = or + keeps its size beside a letter)."""
    font = src.font(pick(rng, fonts))
    cov = text_cov(text, font, 300)
    short = text_cov("H", font, 300).shape[0] - cov.shape[0]
    return np.pad(cov, ((short // 2, short - short // 2), (0, 0))) if short > 0 else cov


def scraps(src, rng, text):
    """One magazine cut-out per character of text (spaces skipped), each its own font."""
    return [magazine_scrap(glyph(src, rng, c, MAGAZINE_FONTS), rng) for c in text if c != " "]


def house_number(src, rng, digits, kind):
    font = src.font(pick(rng, HOUSE_FONTS))
    return house_number_photo(lambda d: text_cov(d, font, 300), digits, rng, kind)


def number(rng, lo, hi):
    n = int(rng.integers(lo, hi + 1))
    return "".join(str(int(rng.integers(1 if i == 0 else 0, 10))) for i in range(n))


def mark_cov(kind, rng, src, hand):
    """A non-digit's coverage: a lookalike letter or a sign (a font's glyph, its centre
    line drawn again by hand where hand), an arrow, a logo or a barcode."""
    if kind.startswith("letter") or kind in SIGNS:
        text = kind[len("letter"):] if kind.startswith("letter") else SIGNS[kind]
        if hand:  # its centre line: padded (a stroke at the edge thins to a fork) and rounded first
            cov = cv2.GaussianBlur(np.pad(glyph(src, rng, text, HAND_FONTS), 16), (0, 0), 2)
            return H.crop_to_ink(pen_redraw(np.float32(cov > 0.5), hand, cv2.ximgproc.THINNING_GUOHALL))
        return glyph(src, rng, text, MAGAZINE_FONTS)
    if kind == "arrow":
        return drawn_cov(arrow_paths(rng), rng, hand or 16)
    if kind == "logo":
        return drawn_cov(logo_paths(rng), rng, hand or 18)
    return barcode_cov(rng)


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    if setting == "crayon":
        return crayon_photo(mark_cov(kind, rng, src, int(rng.integers(22, 34))), rng, rng.random() < 0.3)
    if setting == "door":
        cov = mark_cov(kind, rng, src, None)
        return house_number_photo(lambda _: cov, "x", rng, pick(rng, ("door", "mailbox")))
    if setting == "jersey":
        name = text_cov(pick(rng, NAMES), src.font(pick(rng, JERSEY_FONTS)), 120) if rng.random() < 0.4 else None
        return jersey_photo(mark_cov(kind, rng, src, None), rng, name)
    if setting == "ransom":
        if kind == "barcode":
            return ransom_photo([magazine_scrap(barcode_cov(rng), rng)], rng)
        return ransom_photo(scraps(src, rng, kind[len("letter"):] if kind.startswith("letter") else SIGNS[kind]), rng,
                            scraps(src, rng, pick(rng, RANSOM_WORDS)) if rng.random() < 0.5 else None)
    cov = mark_cov(kind, rng, src, 12)
    tool = pick(rng, ("brush", "marker"))
    return wall_photo(brush_cov(cov, rng, int(rng.uniform(24, 40))) if tool == "brush"
                      else pen_redraw(cov, 30, cv2.ximgproc.THINNING_GUOHALL), rng, tool)


def mark_kind(k):
    """The k-th mark's setting and kind (of MARKS); the letters and the signs are taken in
    turn, so that each is drawn about as often as the others."""
    def base(j):
        kinds = MARKS[SETTINGS[j % len(SETTINGS)]]
        return kinds[(j // len(SETTINGS)) % len(kinds)]
    kind = base(k)
    turn = sum(base(j) == kind for j in range(k))
    if kind == "letter":
        kind = "letter" + LOOKALIKES[turn % len(LOOKALIKES)]
    elif kind == "sign":
        kind = tuple(SIGNS)[turn % len(SIGNS)]
    return SETTINGS[k % len(SETTINGS)], kind


def make_one(family, k, rng, src, folder):
    stem = os.path.join(folder, "")
    quality = int(rng.integers(72, 95))
    if family == "marks-wild7":
        setting, kind = mark_kind(k)
        Image.fromarray(mark_scene(setting, kind, rng, src)).save(f"{stem}x_{kind}-{setting}{k:03d}.jpg",
                                                                  quality=quality)
        return
    if family == "house-number":
        digits, tag = number(rng, 2, 4), pick(rng, ("door", "door", "mailbox"))
        Image.fromarray(house_number(src, rng, digits, tag)).save(f"{stem}n{digits}_{tag}{k:03d}.jpg", quality=quality)
        return
    if family == "ransom-note":
        digits = number(rng, 2, 5)
        words = scraps(src, rng, pick(rng, RANSOM_WORDS)) if rng.random() < 0.5 else None
        img = ransom_photo(scraps(src, rng, digits), rng, words)
        Image.fromarray(img).save(f"{stem}n{digits}_ransom{k:03d}.jpg", quality=quality)
        return
    label = str(k % 10)
    if family == "crayon-doodle":
        tag = pick(rng, ("crayon", "crayon", "pencil"))
        pen = rng.uniform(0.09, 0.13) if tag == "crayon" else rng.uniform(0.05, 0.07)
        img = crayon_photo(handwritten(src, family, label, rng, pen), rng, tag == "pencil")
    elif family == "jersey":
        tag = "jersey"
        name = text_cov(pick(rng, NAMES), src.font(pick(rng, JERSEY_FONTS)), 120) if rng.random() < 0.4 else None
        img = jersey_photo(glyph(src, rng, label, JERSEY_FONTS), rng, name)
    else:  # wall-brush
        tag = pick(rng, ("brush", "marker"))
        if tag == "brush":
            cov = brush_cov(handwritten(src, family, label, rng, 0.04), rng, int(300 * rng.uniform(0.08, 0.13)))
        else:
            cov = handwritten(src, family, label, rng, rng.uniform(0.08, 0.11))
        img = wall_photo(cov, rng, tag)
    Image.fromarray(img).save(f"{stem}{label}_{tag}{k:03d}.jpg", quality=quality)


def main():
    return SET3.make_set("make-heldout-set7", __doc__, 71, FAMILIES, ALL_FONTS, 7, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
