#!/usr/bin/python3
"""Makes an eighteenth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to seventeenth
held-out generators, made to measure the reader once, on input nobody tuned on. Its
digits are made of pieces or light: a device's display, strips of tape, matchsticks, and
a marker's and a chalk's strokes on a board and on paving.

    /usr/bin/python3 scripts/make-heldout-set18.py OUT [--per-family 60] [--seed 181]
        [--mnist DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  seven-segment    one digit or a 2-3 digit number on a device's seven-segment display:
                   a calculator's or a thermostat's grey-green LCD, the segments dark with
                   a faint shadow, the unlit ones faintly seen; or a microwave's or an alarm
                   clock's red, green or blue LEDs glowing behind black glass with a lamp's
                   reflection across it; the segments leant 5-12 degrees one time in two;
                   the device on a desk, a cloth or a wall (label: the digit, or
                   n<number>_; lcd, led)
  whiteboard18     one digit or a 2-3 digit number written in dry-erase marker (black,
                   blue, red, green) on a glossy whiteboard in its aluminium frame: the ink
                   a little uneven, a window's glare band across the board, ghosts of
                   erased words and smudges, magnets (the second set's `whiteboard` had
                   one black digit: this family's name says it is another)
  tape-digit       one digit or a 2-3 digit number made of strips of masking, electrical
                   or duct tape stuck on a cardboard box, a wall or a floor: straight strips
                   with torn ends, overlapping at the corners, a slight shine along each
                   (masking, electrical, duct)
  matchstick       one digit or a 2-3 digit number laid out seven-segment-like from
                   matchsticks, toothpicks or twigs on a wooden table or a cloth, each piece
                   a segment, casting a shadow (match, toothpick, twig)
  chalk-sidewalk   one digit or a 2-3 digit number chalked big in coloured sidewalk chalk on
                   grey concrete slabs or red brick pavers, grainy and broken on the stones
                   and in their joints, fallen leaves about, now and then a shoe's toe at
                   the bottom edge (grey, red)
  marks-wild18     non-digits in those five settings: a letter (E, H, P or L) or a word of
                   them on a seven-segment display; a word or an arrow on the whiteboard; a
                   tape cross, a tape square or a letter in tape; a matchstick house,
                   triangle or star; a chalk sun, flower, heart or smiley on paving
                   (label: x_<kind>-<setting>NNN)

The digit (or number) is 6% to 55% of the photo's height one time in two, 20% to 45% the
other; photos are turned up to 20 degrees and leant up to 22 degrees away (paving 8 to
30).

Handwritten digits (whiteboard18, chalk-sidewalk) are MNIST *test* digits (all 10,000,
in an order of this set's own, not the earlier sets') redrawn as a marker's or a chalk's
strokes and kept only as the fourth to seventeenth sets keep them (15 nearest MNIST
*training* digits share the label, ink in one piece, loops kept, an 8 with both loops, a 2
with none). The other families' digits are built of segments or strips (seven-segment
cells; tape strips with a 1's flag, an open or a closed 4, a straight or a slanted 7): no
font is read, so `scripts/fetch-heldout-fonts.sh` has nothing to fetch for this set, and
--fonts is not used.

File names (the label first: a digit, `n<number>_` for a number, `x` for a non-digit),
PNGs for small photos, OUT/heldout.txt (no training or tuning script may read these
families; whoever tunes the reader reads only the table) and one seed making the same
bytes, whichever families are asked for: as in scripts/make-heldout-set13.py, whose
helpers this script calls. The scenes are painted by scripts/lib/heldout_scenes18.py.
"""

import math
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from heldout_render import H, load_script  # noqa: E402
from heldout_scenes6 import mark_paths, paths_cov, pick, shaky  # noqa: E402
from heldout_scenes7 import doodle_paths, row_of  # noqa: E402
from heldout_scenes18 import (TAPE_DIGITS, TAPE_MARKS, chalk_photo, laid_out, segment_photo,  # noqa: E402
                              seven_sticks, stick_photo, tape_photo, whiteboard_photo, word_cov)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("seven-segment", "whiteboard18", "tape-digit", "matchstick", "chalk-sidewalk", "marks-wild18")
ALL_FONTS = []  # none: the digits are segments, strips, sticks or MNIST strokes

SET13 = load_script("heldout_set13", "make-heldout-set13.py")
SET3, SET4 = SET13.SET3, SET13.SET4
handwritten, make_image = SET13.handwritten, SET13.make_image

# Words of letters nobody reads as a digit: on a display (its segments can show these),
# and on a whiteboard, written or erased.
DISPLAY_WORDS = ("HELP", "PEEL", "HEEL", "HELL")
BOARD_WORDS = ("TEAM", "MEET", "NEW", "WANT", "TAKE", "NEXT", "THEN", "WHEN", "KEY", "MAY", "HEAT", "PLAN", "TEXT",
               "HELP", "WEEK", "FREE", "MARK", "NAME", "TUE", "EXAM", "AFTER")
DISPLAY_LETTERS = "EHPL"  # (an A, one segment short of an 8, read as an 8 on an LCD)
TAPE_LETTERS = ("H", "E", "A", "K")
for w in DISPLAY_WORDS + BOARD_WORDS:
    assert set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS), w
SETTINGS = ("segment", "board", "tape", "stick", "chalk")
MARKS = {"segment": ("letter", "word"), "board": ("word", "arrow"), "tape": ("cross", "square", "letter"),
         "stick": ("house", "triangle", "star"), "chalk": ("sun", "flower", "heart", "smiley")}
MARKER = (0.06, 0.09)  # a dry-erase marker's stroke, of the digit's height
CHALK = (0.09, 0.12)  # a stick of sidewalk chalk's
STICK_MARKS = {
    "house": [((0, 0.45), (0.5, 0.45)), ((0.5, 0.45), (0.5, 0.95)), ((0.5, 0.95), (0, 0.95)), ((0, 0.95), (0, 0.45)),
              ((0, 0.45), (0.25, 0.02)), ((0.25, 0.02), (0.5, 0.45))],
    "triangle": [((0, 0.87), (0.5, 0)), ((0.5, 0), (1, 0.87)), ((1, 0.87), (0, 0.87))],
}


def star_sticks():
    """A five-pointed star of five sticks (a pentagram)."""
    p = [(0.5 + 0.5 * math.sin(k * 4 * math.pi / 5), 0.5 - 0.5 * math.cos(k * 4 * math.pi / 5)) for k in range(6)]
    return [(p[k], p[k + 1]) for k in range(5)]


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops, a 2 none (looped at its bottom it reads as an "a")."""
    families, order_key = FAMILIES, 18
    loops = dict(SET4.LOOPS, **{"8": (2, 2), "2": (0, 0)})
    # Passed over by eye on the sheets: a 1 leaning so far between two 8s that an 818 read
    # "8/8" (7563), two 4s with open, curved tops that read as a y (9412, 7456), 1s leaning
    # so far that, the photo turned, they lay as a dash or a slash (9222, 745; 9802, a 381
    # read "38/"), a 5 whose flag ran on as a bar to the next digit (9013, "15-3").
    passed_over = frozenset({7563, 9412, 7456, 9222, 745, 9802, 9013})


def written(src, family, digits, rng, width):
    """digits written by hand (MNIST digits, strokes `width` of their height), a little apart."""
    return row_of([handwritten(src, family, d, rng, width)[0] for d in digits], rng.uniform(0.1, 0.22))


def board_scene(cov, rng, ink):
    ghosts = [word_cov(pick(rng, BOARD_WORDS), rng) for _ in range(int(rng.integers(1, 4)))]
    return whiteboard_photo(cov, rng, ink, ghosts)


def drawn(paths, rng, width):
    return H.crop_to_ink(paths_cov(shaky(paths, rng, 0.006), 300, width))


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    if setting == "segment":
        text = pick(rng, DISPLAY_LETTERS) if kind == "letter" else pick(rng, DISPLAY_WORDS)
        return segment_photo(text, rng, pick(rng, ("lcd", "led")))
    if setting == "board":
        ink = pick(rng, ("black", "blue", "red", "green"))
        if kind == "word":
            return board_scene(word_cov(pick(rng, BOARD_WORDS), rng, rng.uniform(0.07, 0.1), 300), rng, ink)
        return board_scene(drawn(mark_paths("arrow", rng), rng, 22), rng, ink)
    if setting == "tape":
        segments = laid_out(pick(rng, TAPE_LETTERS), rng, TAPE_MARKS) if kind == "letter" else \
            laid_out("x", rng, {"x": TAPE_MARKS[kind]})
        return tape_photo(segments, rng, pick(rng, ("masking", "electrical", "duct")),
                          pick(rng, ("cardboard", "wall", "floor")))
    if setting == "stick":
        segments = star_sticks() if kind == "star" else STICK_MARKS[kind]
        return stick_photo(segments, rng, pick(rng, ("match", "toothpick", "twig")))
    paths = mark_paths("smiley", rng) if kind == "smiley" else doodle_paths(kind, rng)
    return chalk_photo(drawn(paths, rng, 30), rng, pick(rng, ("grey", "red")))


def digit_photo(family, digits, rng, src):
    """A digit family's picture of `digits`, and its tag (make_image names the file)."""
    if family == "seven-segment":
        tag = pick(rng, ("lcd", "led"))
        return segment_photo(digits, rng, tag), tag
    if family == "whiteboard18":
        tag = pick(rng, ("black", "blue", "red", "green"))
        return board_scene(written(src, family, digits, rng, MARKER), rng, tag), tag
    if family == "tape-digit":
        tag = pick(rng, ("masking", "electrical", "duct"))
        return tape_photo(laid_out(digits, rng, TAPE_DIGITS), rng, tag, pick(rng, ("cardboard", "wall", "floor"))), tag
    if family == "matchstick":
        tag = pick(rng, ("match", "toothpick", "twig"))
        return stick_photo(seven_sticks(digits), rng, tag), tag
    tag = pick(rng, ("grey", "red"))  # chalk-sidewalk
    return chalk_photo(written(src, family, digits, rng, CHALK), rng, tag), tag


def make_one(family, k, rng, src, folder):
    return make_image(family, k, rng, src, folder, ("marks-wild18", SETTINGS, MARKS, mark_scene), digit_photo)


def main():
    return SET3.make_set("make-heldout-set18", __doc__, 181, FAMILIES, ALL_FONTS, 18, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
