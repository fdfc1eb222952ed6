#!/usr/bin/python3
"""Makes a fifteenth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to fourteenth
held-out generators, made to measure the reader once, on input nobody tuned on. Three of
its families are things photographed whole, their edges against what they lie or stand on.

    /usr/bin/python3 scripts/make-heldout-set15.py OUT [--per-family 60] [--seed 151]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  index-card       one digit (or a 2-3 digit number, a third of the family) written large by
                   hand in biro or marker across a ruled index card (a red line near its
                   top, blue lines under it); the card lies askew, turned up to 25 degrees,
                   on a gingham tablecloth or a wooden floor, all of it in the frame
                   (label: the digit, or n<number>_)
  cheque-amount    one digit or a 2-3 digit number written by hand in blue or black biro in
                   the amount box at the right of a cheque: a pale tint of fine wavy lines,
                   the bank's name, a payee's name written on the pay line, empty lines, a
                   signature line; photographed on a desk, a corner of it in the frame or not
  paper-cup        one digit or a 2-3 digit number written in marker on the side of a white
                   or kraft takeaway cup, bent round it; a lid on the cup, a corrugated sleeve
                   round its foot one time in two; standing on a counter before a café's
                   wall, all of it in the frame
  key-fob          one digit or a 2-3 digit number printed on the paper insert of a plastic
                   key fob (red, blue, green or yellow) under its clear window, a steel ring
                   through the hole at its end; lying on a table or a tablecloth, turned up to
                   30 degrees, all of it in the frame
  spine-label      one digit or a 2-3 digit number: a library book's call number, under a
                   line of three letters on the white or yellow label near the foot of its
                   spine, in a row of spines on a shelf whose labels hold letters only
  marks-wild15     non-digits in those five settings: a letter or a star written on the
                   card; initials or nothing in the cheque's box; initials or a heart on the
                   cup; a letter or nothing on the fob's insert; letters only, or a blank
                   label, on the middle spine (label: x_<kind>-<setting>NNN)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as a biro's or a marker's strokes and kept only as the fourth to
fourteenth sets keep them (15 nearest MNIST *training* digits share the label, ink in one
piece, loops kept, an 8 with both loops, a 2 with none), or glyphs of Debian fonts that no
other script reads: `scripts/fetch-heldout-fonts.sh --set 15` unpacks Quattrocento and
Doulos SIL into build/heldout15-fonts without installing them, so that the stress suite's
and test photos' font search never finds them. Neither's 0 is slashed or dotted, nor are
its figures old-style (Allerta, whose 0 is slashed, and Junction, whose figures are
old-style, were left out after a sheet of their digits).

File names (the label first: a digit, `n<number>_` for a number, `x` for a non-digit),
PNGs for small photos, OUT/heldout.txt (no training or tuning script may read these
families; whoever tunes the reader reads only the table) and one seed making the same
bytes, whichever families are asked for: as in scripts/make-heldout-set13.py, whose
helpers this script calls. The scenes are painted by scripts/lib/heldout_scenes15.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from heldout_render import H, load_script  # noqa: E402
from heldout_scenes6 import paths_cov, pen_redraw, pick, text_cov  # noqa: E402
from heldout_scenes7 import doodle_paths  # noqa: E402
from heldout_scenes15 import card_photo, cheque_photo, cup_photo, fob_photo, spine_photo  # noqa: E402

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("index-card", "cheque-amount", "paper-cup", "key-fob", "spine-label", "marks-wild15")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 15` unpacks, by path
# below the unpacked tree's usr/share/fonts (grep scripts/: no other script names them).
PRINT_FONTS = ["opentype/quattrocento/Quattrocento-Regular.otf", "truetype/doulos/DoulosSIL-Regular.ttf"]
ALL_FONTS = sorted(PRINT_FONTS)

SET13 = load_script("heldout_set13", "make-heldout-set13.py")
written = load_script("heldout_set14", "make-heldout-set14.py").written  # a biro's or a marker's MNIST digits
SET3, SET4 = SET13.SET3, SET13.SET4
make_image = SET13.make_image  # the file's label, the non-digits' settings in turn

# Words of letters nobody reads as a digit (lower case: no b, g, i, l, o, q, s, z either).
PAYEES = ("Anna Hart", "Mark Newman", "Kate Warner", "Emma Carter", "Ruth Fenner", "Peter Nyman", "Vet", "Anwen")
BANKS = ("NATWEN", "MERCANTRA", "HAVEN MUTUAL", "CENTRAL", "KEYMARK")
SHELF = "ACEFHKMNPRTUVWXY"
LETTERS = "ACEFHKMNPRTUVWXY"
for w in PAYEES + BANKS:
    assert set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS + ",.: "), w
assert set(LETTERS + SHELF) <= set(H.NOT_DIGIT_LIKE_LETTERS)
SETTINGS = ("card", "cheque", "cup", "fob", "spine")
MARKS = {"card": ("letter", "star"), "cheque": ("initials", "blank"), "cup": ("initials", "heart"),
         "fob": ("letter", "blank"), "spine": ("letters", "blank")}


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops, a 2 none (looped at its bottom it reads as an "a")."""
    families, order_key = FAMILIES, 15
    loops = dict(SET4.LOOPS, **{"8": (2, 2), "2": (0, 0)})
    # A 0 whose stroke crosses itself at its top (an 8?), a 5 whose bar is a hook (a J?), a 1
    # with a flag and a foot (an f?).
    passed_over = frozenset({3266, 1618, 9599})


def hand_letters(src, rng, text, width):
    """Letters written by hand: a font's letters redrawn with a pen of `width` px at 300 px."""
    cov = text_cov(text, src.font(pick(rng, PRINT_FONTS)), 300)
    return H.crop_to_ink(pen_redraw(np.pad(cov, 20), width))


def initials(rng):
    return pick(rng, LETTERS) + pick(rng, LETTERS)


def cheque_scene(src, rng, cov, ink):
    payee = hand_letters(src, rng, pick(rng, PAYEES), 14)
    return cheque_photo(cov, payee, text_cov(pick(rng, BANKS), src.font(pick(rng, PRINT_FONTS)), 120), rng, ink)


def spine_scene(src, rng, number_cov, kind):
    font = src.font(pick(rng, PRINT_FONTS))
    letters = lambda r: text_cov("".join(pick(r, SHELF) for _ in range(3)), font, 200)  # noqa: E731
    lines = [letters(rng)] + ([number_cov] if number_cov is not None else [])
    return spine_photo(lines, lambda r: [letters(r), letters(r)] if r.random() < 0.5 else [letters(r)], rng, kind)


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    blank = np.zeros((8, 8), np.float32)
    if setting == "card":
        tool = pick(rng, ("biro", "marker"))
        width = 16 if tool == "biro" else 28
        cov = H.crop_to_ink(paths_cov(doodle_paths("star", rng), 300, width)) if kind == "star" else \
            hand_letters(src, rng, pick(rng, LETTERS), width)
        return card_photo(cov, rng, tool, pick(rng, ("cloth", "floor")))
    if setting == "cheque":
        cov = hand_letters(src, rng, initials(rng), 16) if kind == "initials" else blank
        return cheque_scene(src, rng, cov, pick(rng, ("blue", "black")))
    if setting == "cup":
        cov = H.crop_to_ink(paths_cov(doodle_paths("heart", rng), 300, 28)) if kind == "heart" else \
            hand_letters(src, rng, initials(rng), 28)
        return cup_photo(cov, rng, pick(rng, ("white", "kraft")))
    if setting == "fob":
        cov = text_cov(pick(rng, LETTERS), src.font(pick(rng, PRINT_FONTS)), 300) if kind == "letter" else blank
        return fob_photo(cov, rng, pick(rng, ("red", "blue", "green", "yellow")))
    return spine_scene(src, rng, None if kind == "letters" else blank, pick(rng, ("white", "yellow")))


def digit_photo(family, digits, rng, src):
    """A digit family's picture of `digits`, and its tag (make_image names the file)."""
    if family == "index-card":
        tag, tool = pick(rng, ("cloth", "floor")), pick(rng, ("biro", "marker"))
        return card_photo(written(src, family, digits, rng, tool), rng, tool, tag), tag
    if family == "cheque-amount":
        tag = pick(rng, ("blue", "black"))
        return cheque_scene(src, rng, written(src, family, digits, rng, "biro"), tag), tag
    if family == "paper-cup":
        tag = pick(rng, ("white", "kraft"))
        return cup_photo(written(src, family, digits, rng, "marker"), rng, tag), tag
    if family == "key-fob":
        tag = pick(rng, ("red", "blue", "green", "yellow"))
        return fob_photo(text_cov(digits, src.font(pick(rng, PRINT_FONTS)), 300), rng, tag), tag
    tag = pick(rng, ("white", "yellow"))  # spine-label
    return spine_scene(src, rng, text_cov(digits, src.font(pick(rng, PRINT_FONTS)), 300), tag), tag


def make_one(family, k, rng, src, folder):
    return make_image(family, k, rng, src, folder, ("marks-wild15", SETTINGS, MARKS, mark_scene), digit_photo)


def main():
    return SET3.make_set("make-heldout-set15", __doc__, 151, FAMILIES, ALL_FONTS, 15, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
