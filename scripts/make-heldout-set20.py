#!/usr/bin/python3
"""Makes a twentieth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to nineteenth
held-out generators, made to measure the reader once, on input nobody tuned on. Its
digits are traced, wiped, lit or stuck: in sand, in a window's condensation, in neon
tubes, in cut vinyl and in snow.

    /usr/bin/python3 scripts/make-heldout-set20.py OUT [--per-family 60] [--seed 201]
        [--mnist DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  sand-writing     one digit or a 2-3 digit number drawn with a finger or a stick in dry
                   beach sand: a groove with a shadowed side and a lit side, its floor a
                   little damper, low banks pushed up beside it; grains, wind ripples and
                   small shells near it (label: the digit, or n<number>_; finger, stick)
  fogged-window    one digit or a 2-3 digit number wiped with a finger into the
                   condensation on a window: a street or a garden behind, blurred and
                   whitened by the fog, showing nearly sharp and dark through the strokes;
                   drops gathered at the strokes' lower edges running down in clear trails,
                   fine drops on the fog, sometimes the window's frame (street, garden)
  neon-sign        one digit or a 2-3 digit number of bent glass tubes lit with neon (red,
                   pink, blue, green, amber or white) on a dark brick or painted wall: a
                   hot core, a bloom on the wall, grey clips across the tube, sometimes a
                   second tube, unlit, under or round it (brick, panel)
  vinyl-sticker    one digit or a 2-3 digit number cut from self-adhesive vinyl and stuck on
                   a car's tinted window (its seal and paint above), a mailbox's painted
                   steel or a door's glass (an aluminium frame beside): crisp die-cut edges
                   with a thin dark line, a few trapped air bubbles, glossy reflections
                   across it all (car, mailbox, door)
  snow-trace       one digit or a 2-3 digit number traced with a finger in fresh snow,
                   under the sun (blue shadows on one side of the trace, the other side
                   lit) or overcast (the trace's floor a soft blue shade): soft banks,
                   undulations, a sparkle (sun, overcast)
  marks-wild20     non-digits in those five settings: a letter (A, H, K, M, W or X), a
                   heart, a star, a smiley, an arrow or a spiral, drawn, wiped, lit, cut or
                   traced as the digits are (label: x_<kind>-<setting>NNN)

The digit (or number) is 6% to 55% of the photo's height one time in two, 20% to 45% the
other; photos are turned up to 20 degrees and leant up to 22 degrees away (a window 12, a
neon sign 14, a sticker 18).

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as a finger's, a stick's, a tube's or cut vinyl's strokes and kept
only as the fourth to nineteenth sets keep them (15 nearest MNIST *training* digits share
the label, ink in one piece, loops kept, an 8 with both loops, a 2 with none). Letters and
marks are drawn strokes. No font is read, so `scripts/fetch-heldout-fonts.sh` has nothing
to fetch for this set, and --fonts is not used.

File names (the label first: a digit, `n<number>_` for a number, `x` for a non-digit),
PNGs for small photos, OUT/heldout.txt (no training or tuning script may read these
families; whoever tunes the reader reads only the table) and one seed making the same
bytes, whichever families are asked for: as in scripts/make-heldout-set13.py, whose
helpers this script calls. The scenes are painted by scripts/lib/heldout_scenes20.py.
"""

import math
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from heldout_render import H, load_script  # noqa: E402
from heldout_scenes6 import mark_paths, paths_cov, pick, shaky  # noqa: E402
from heldout_scenes7 import doodle_paths, row_of  # noqa: E402
from heldout_scenes18 import word_cov  # noqa: E402
from heldout_scenes20 import fogged_photo, neon_photo, sand_photo, snow_photo, spiral, vinyl_photo  # noqa: E402

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("sand-writing", "fogged-window", "neon-sign", "vinyl-sticker", "snow-trace", "marks-wild20")
ALL_FONTS = []  # none: the digits are MNIST strokes, the marks drawn strokes

SET13 = load_script("heldout_set13", "make-heldout-set13.py")
SET3, SET4 = SET13.SET3, SET13.SET4
handwritten, make_image = SET13.handwritten, SET13.make_image

# Letters nobody reads as a digit.
LETTERS = ("A", "H", "K", "M", "W", "X")
for w in LETTERS:
    assert set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS), w
SETTINGS = ("sand", "fog", "neon", "vinyl", "snow")
MARKS = {"sand": ("heart", "letter", "smiley"), "fog": ("smiley", "heart", "letter"),
         "neon": ("star", "arrow", "letter", "heart"), "vinyl": ("star", "arrow", "letter"),
         "snow": ("spiral", "heart", "letter", "arrow")}
FINGER = (0.1, 0.14)  # a fingertip's groove, of the digit's height
STICK = (0.05, 0.07)  # a stick's
WIPE = (0.12, 0.17)  # a finger wiped across glass
TUBE = (0.05, 0.065)  # a neon tube's
VINYL = (0.14, 0.19)  # cut vinyl's limbs
SNOW = (0.1, 0.15)  # a finger or a glove in snow
WIDTHS = {"sand": FINGER, "fog": WIPE, "neon": TUBE, "vinyl": VINYL, "snow": SNOW}


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops, a 2 none (looped at its bottom it reads as an "a"); a 1 leaning
    more than 12 degrees is passed over (the photo turned up to 20 more, it lay as a slash:
    a 51 read `5/` on the first sheets)."""
    families, order_key = FAMILIES, 20
    loops = dict(SET4.LOOPS, **{"8": (2, 2), "2": (0, 0)})
    passed_over = frozenset()

    def strokes(self, family, label, rng, height, pen_fraction, drawn_fraction=None):
        for _ in range(50):
            cov = super().strokes(family, label, rng, height, pen_fraction, drawn_fraction)
            if label != "1" or lean(cov) <= 12:
                return cov
        raise RuntimeError(f"{family}: 50 MNIST test 1s in a row lean too far")


def lean(cov):
    """How far (degrees) a mark's long axis leans from upright."""
    m = cv2.moments(np.float32(cov))
    if m["m00"] <= 0:
        return 0.0
    axis = 0.5 * math.degrees(math.atan2(2 * m["mu11"], m["mu20"] - m["mu02"]))  # from the x axis
    return abs(abs(axis) - 90)


def written(src, family, digits, rng, width):
    """digits written by hand (MNIST digits, strokes `width` of their height), a little apart."""
    return row_of([handwritten(src, family, d, rng, width)[0] for d in digits], rng.uniform(0.14, 0.24))


def mark_cov(kind, rng, width):
    """A non-digit's strokes, `width` (a range) of their height wide."""
    w = rng.uniform(*width)
    if kind == "letter":
        return word_cov(pick(rng, LETTERS), rng, w, 300)
    if kind == "heart":
        paths = doodle_paths("heart", rng)
    elif kind == "spiral":
        paths = spiral(rng)
    else:  # star, smiley, arrow
        paths = mark_paths(kind, rng)
    return H.crop_to_ink(paths_cov(shaky(paths, rng, 0.006), 300, 300 * w))


def scene(setting, cov, rng):
    """cov in one of the five settings, and its tag."""
    if setting == "sand":
        tag = pick(rng, ("finger", "stick"))
        return sand_photo(cov, rng, tag), tag
    if setting == "fog":
        tag = pick(rng, ("street", "garden"))
        return fogged_photo(cov, rng, tag), tag
    if setting == "neon":
        tag = pick(rng, ("brick", "panel"))
        return neon_photo(cov, rng, tag), tag
    if setting == "vinyl":
        tag = pick(rng, ("car", "mailbox", "door"))
        return vinyl_photo(cov, rng, tag), tag
    tag = pick(rng, ("sun", "overcast"))
    return snow_photo(cov, rng, tag), tag


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    return scene(setting, mark_cov(kind, rng, WIDTHS[setting]), rng)[0]


SETTING_OF = {"sand-writing": "sand", "fogged-window": "fog", "neon-sign": "neon", "vinyl-sticker": "vinyl",
              "snow-trace": "snow"}


def digit_photo(family, digits, rng, src):
    """A digit family's picture of `digits`, and its tag (make_image names the file)."""
    setting = SETTING_OF[family]
    if setting == "sand":
        tag = pick(rng, ("finger", "stick"))
        return sand_photo(written(src, family, digits, rng, FINGER if tag == "finger" else STICK), rng, tag), tag
    return scene(setting, written(src, family, digits, rng, WIDTHS[setting]), rng)


def make_one(family, k, rng, src, folder):
    return make_image(family, k, rng, src, folder, ("marks-wild20", SETTINGS, MARKS, mark_scene), digit_photo)


def main():
    return SET3.make_set("make-heldout-set20", __doc__, 201, FAMILIES, ALL_FONTS, 20, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
