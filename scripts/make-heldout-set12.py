#!/usr/bin/python3
"""Makes a twelfth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to eleventh
held-out generators, made to measure the reader once, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set12.py OUT [--per-family 60] [--seed 121]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  sparkler-trail   one digit (or a 2-3 digit number, a third of the family) written in
                   the air with a sparkler (a white-hot trail, an orange glow, sparks
                   flying off) or a coloured torch, photographed at night with a long
                   exposure: a dark sky, trees' or roofs' outline, far lamps out of focus,
                   much sensor noise (label: the digit, or n<number>_)
  scoreboard       one digit or a 2-3 digit number on tin plates, a digit a plate, hung
                   on the hooks of a club's scoreboard of painted planks (green, black or
                   white, the plates light or dark), painted words and empty hooks in its
                   other rows, on posts, a small roof over it one time in two, trees and
                   the sky behind; photographed from the field
  cutout-shelf     one digit or a 2-3 digit number cut out of plywood, painted board or
                   corrugated card, standing on a shelf in front of a wall: its edge
                   showing, its shadow on the wall and the shelf, books or a plant beside it
  spilled-drink    one digit or a 2-3 digit number traced with a finger in spilled coffee,
                   tea, wine, cola or milk on a table or a cloth: a wavy edge, pools where
                   the finger stopped, a darker rim, drops, a wet shine; a spoon and a
                   sugar sachet near it; photographed from above
  cake-icing       one digit or a 2-3 digit number piped in icing (a beaded rope, glossy)
                   on a round or square frosted cake, a piped border round its edge, sugar
                   strands scattered round the writing; on its board or plate on a table,
                   photographed from above at an angle
  marks-wild12     non-digits in those five settings: a heart, star, spiral or smiley
                   written with light; letters or blank plates on the scoreboard; a heart,
                   a star or a letter cut out on the shelf; a heart, a smiley, a wave or a
                   cross in a spilled drink; a heart, a star, a flower or a word piped on a
                   cake (label: x_<kind>-<setting>NNN)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as a light trail's, a fingertip's or an icing bag's strokes and
kept only as the fourth to eleventh sets keep them (15 nearest MNIST *training* digits
share the label, ink in one piece, loops kept, an 8 with both loops), or glyphs of Debian
fonts that no other script reads: `scripts/fetch-heldout-fonts.sh --set 12` unpacks
Tiresias, Routed Gothic and Lobster Two into build/heldout12-fonts without installing
them, so that the stress suite's and test photos' font search never finds them. None of
their 0s is slashed or dotted (seen on a sheet of their digits).

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them; a photo of at most 1280 px is a PNG
two times in five. The families are added to OUT/heldout.txt: no training or tuning
script may read them, and whoever tunes the reader reads only the table. The same seed,
MNIST files and fonts give the same set, and a family's images do not depend on which
other families are made. The scenes are painted by scripts/lib/heldout_scenes12.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import H, load_script  # noqa: E402
from heldout_scenes6 import pick, text_cov  # noqa: E402
from heldout_scenes7 import doodle_paths, row_of  # noqa: E402
from heldout_scenes8 import face_paths  # noqa: E402
from heldout_scenes10 import star_cov, yarn_shape_paths  # noqa: E402
from heldout_scenes11 import cross_paths, snake_paths  # noqa: E402
from heldout_scenes12 import (cake_photo, cutout_photo, filled, scoreboard_photo, sparkler_photo,  # noqa: E402
                              spill_photo)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("sparkler-trail", "scoreboard", "cutout-shelf", "spilled-drink", "cake-icing", "marks-wild12")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 12` unpacks, by path
# below the unpacked tree (grep scripts/: no other script names them).
PLATE_FONTS = ["truetype/tiresias/tiresias_signfont_bold.ttf", "truetype/tiresias/tiresias_infofont_bold.ttf",
               "truetype/routed-gothic/routed-gothic.ttf", "truetype/tiresias/tiresias_lpfont_bold.ttf"]
CUTOUT_FONTS = ["truetype/tiresias/tiresias_signfont_bold.ttf", "truetype/tiresias/tiresias_lpfont_bold.ttf",
                "opentype/lobstertwo/LobsterTwo-Bold.otf", "truetype/tiresias/tiresias_infofont_bold.ttf"]
PIPING_FONTS = ["truetype/routed-gothic/routed-gothic.ttf", "truetype/routed-gothic/routed-gothic-narrow.ttf",
                "opentype/lobstertwo/LobsterTwo-Regular.otf"]
WORD_FONTS = ["truetype/tiresias/tiresias_infofont.ttf", "truetype/routed-gothic/routed-gothic-wide.ttf"]
ALL_FONTS = sorted(set(PLATE_FONTS + CUTOUT_FONTS + PIPING_FONTS + WORD_FONTS))

SET3 = load_script("heldout_set3", "make-heldout-set3.py")
SET4 = load_script("heldout_set4", "make-heldout-set4.py")
SET8 = load_script("heldout_set8", "make-heldout-set8.py")
SET9 = load_script("heldout_set9", "make-heldout-set9.py")
SET10 = load_script("heldout_set10", "make-heldout-set10.py")
SET11 = load_script("heldout_set11", "make-heldout-set11.py")
number, save, digits_name, handwritten, drawn = SET8.number, SET8.save, SET9.digits_name, SET10.handwritten, \
    SET11.drawn

# Words of letters nobody reads as a digit (no B, D, G, I, O, Q, S, Z): a scoreboard's rows,
# a cake's greeting; the letters of plates that show no digits.
BOARD_WORDS = ("AWAY", "TEAM", "HALF", "EXTRA", "LAP", "RUN", "WKT", "MEN", "TEA", "FRAME", "NEXT", "PAR")
CAKE_WORDS = ("YAY", "MUM", "Mum", "ANNA", "Yay", "Hey")
LETTERS = "ACEFHKLMNPRTUVWXY"
assert all(set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS) for w in BOARD_WORDS + CAKE_WORDS + (LETTERS,))
SETTINGS = ("sparkler", "scoreboard", "cutout", "spill", "cake")
MARKS = {"sparkler": ("heart", "star", "spiral", "smiley"), "scoreboard": ("letters", "blank"),
         "cutout": ("heart", "star", "letter"), "spill": ("heart", "smiley", "wave", "cross"),
         "cake": ("heart", "star", "flower", "word")}
TRAIL = (0.035, 0.06)  # a sparkler's or a torch's trail, of the digit's height
FINGER = (0.1, 0.14)  # a fingertip's trace in a drink
PIPING = (0.07, 0.1)  # an icing bag's rope
SMALL = 1280  # a photo this long or shorter is a PNG two times in five


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops, a 2 none (looped at its bottom it reads as an "a")."""
    families, order_key = FAMILIES, 12
    loops = dict(SET4.LOOPS, **{"8": (2, 2), "2": (0, 0)})
    # Seen on the contact sheets and passed over: 1s with a long branch at their middle,
    # slanted like a slash between two digits or lying at 45 degrees; 2s with a small loop
    # at their bottom, drawn as a Z or forked; 5s flat as an S, closed at their bottom, or
    # whose top runs on into the next digit; 6s open like "lo" or a U; 0s drawn as a D or
    # pointed, or with a hook inside or at their top; a 7 whose bar is so short that it
    # reads as ")".
    passed_over = frozenset({1988, 6789, 6438, 2752, 5763, 9013, 7540, 2641, 6225, 1526, 8966, 6068, 6635,
                             7815, 8847, 5018, 2981, 9618, 66, 8243, 4491, 4788, 9584, 285, 9359, 4448, 9954,
                             6462, 1135, 9513, 4559, 7539, 6036, 9442, 5739, 6594, 6352, 3223, 4939})


def hand_row(src, family, digits, rng, width):
    """digits written by one hand with one pen (`width`, a range, of their height), side
    by side a little apart: the coverage and the pen's width of its height."""
    pen = rng.uniform(*width)
    covs = [handwritten(src, family, d, rng, (pen, pen))[0] for d in digits]
    return (row_of(covs, rng.uniform(0.15, 0.3)) if len(covs) > 1 else covs[0]), pen


def paths_of(kind, rng):
    """A non-digit mark's polylines in the unit square."""
    if kind in ("heart", "star", "flower"):
        return doodle_paths(kind, rng)
    return {"spiral": lambda r: yarn_shape_paths("spiral", r), "smiley": face_paths, "wave": snake_paths,
            "cross": cross_paths}[kind](rng)


def drawn_with(kind, rng, width):
    """A mark drawn with a pen `width` (a range) of 300 px: its coverage and the pen's
    width of its height."""
    pen = rng.uniform(*width)
    cov = drawn(paths_of(kind, rng), rng, pen)
    return cov, pen * 300 / cov.shape[0]


def extension(img, rng):
    return "png" if max(img.shape[:2]) <= SMALL and rng.random() < 0.4 else "jpg"


def board_words(src, rng):
    font = src.font(pick(rng, WORD_FONTS))
    return [text_cov(pick(rng, BOARD_WORDS), font, 160) for _ in range(3)]


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    if setting == "sparkler":
        return sparkler_photo(drawn_with(kind, rng, TRAIL)[0], rng, pick(rng, ("sparkler", "torch")))
    if setting == "scoreboard":
        font = src.font(pick(rng, PLATE_FONTS))
        count = int(rng.integers(2, 4))
        covs = [text_cov(pick(rng, LETTERS), font, 300) if kind == "letters" else None for _ in range(count)]
        return scoreboard_photo(covs, board_words(src, rng), rng, pick(rng, ("green", "black", "white")))
    if setting == "cutout":
        if kind == "letter":
            cov = text_cov(pick(rng, LETTERS), src.font(pick(rng, CUTOUT_FONTS)), 300)
        else:
            cov = star_cov() if kind == "star" else filled(doodle_paths("heart", rng))
        return cutout_photo(H.crop_to_ink(cov), rng, pick(rng, ("plywood", "painted", "card")))
    if setting == "spill":
        return spill_photo(*drawn_with(kind, rng, FINGER), rng)[0]
    if kind == "word":
        cov, width = text_cov(pick(rng, CAKE_WORDS), src.font(pick(rng, PIPING_FONTS)), 300), rng.uniform(*PIPING)
    else:
        cov, width = drawn_with(kind, rng, PIPING)
    return cake_photo(cov, width, rng, rng.random() < 0.6)


def make_one(family, k, rng, src, folder):
    stem = os.path.join(folder, "")
    quality = int(rng.integers(72, 95))
    if family == "marks-wild12":  # each setting's kinds in turn
        setting = SETTINGS[k % len(SETTINGS)]
        kind = MARKS[setting][(k // len(SETTINGS)) % len(MARKS[setting])]
        img = mark_scene(setting, kind, rng, src)
        save(img, f"{stem}x_{kind}-{setting}{k:03d}.{extension(img, rng)}", quality)
        return
    single = k % 3 != 2  # a third of each family are numbers
    digits = str(((k // 3) * 2 + k % 3) % 10) if single else number(rng, 2, 3)
    if family == "sparkler-trail":
        tag = pick(rng, ("sparkler", "torch"))
        img = sparkler_photo(hand_row(src, family, digits, rng, TRAIL)[0], rng, tag)
    elif family == "scoreboard":
        tag = pick(rng, ("green", "black", "white"))
        font = src.font(pick(rng, PLATE_FONTS))
        img = scoreboard_photo([text_cov(d, font, 300) for d in digits], board_words(src, rng), rng, tag)
    elif family == "cutout-shelf":
        tag = pick(rng, ("plywood", "painted", "card"))
        img = cutout_photo(text_cov(digits, src.font(pick(rng, CUTOUT_FONTS)), 300), rng, tag)
    elif family == "spilled-drink":
        img, tag = spill_photo(*hand_row(src, family, digits, rng, FINGER), rng)
    else:  # cake-icing
        tag = pick(rng, ("round", "square"))
        if rng.random() < 0.5:
            cov, width = hand_row(src, family, digits, rng, PIPING)
        else:
            cov, width = text_cov(digits, src.font(pick(rng, PIPING_FONTS)), 300), rng.uniform(*PIPING)
        img = cake_photo(cov, width, rng, tag == "round")
    save(img, f"{stem}{digits_name(digits)}_{tag}{k:03d}.{extension(img, rng)}", quality)


def main():
    return SET3.make_set("make-heldout-set12", __doc__, 121, FAMILIES, ALL_FONTS, 12, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
