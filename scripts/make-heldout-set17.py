#!/usr/bin/python3
"""Makes a seventeenth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to sixteenth
held-out generators, made to measure the reader once, on input nobody tuned on. Its
digits are where people look things up: a parking bay, a shelf, a baking tray, a medicine
box, a plant pot.

    /usr/bin/python3 scripts/make-heldout-set17.py OUT [--per-family 60] [--seed 171]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  parking-bay      one digit or a 2-4 digit number painted large in a parking bay, between
                   its two side lines and under its end line, in white or yellow road paint
                   worn thin, on asphalt (gritty, oil stains) or concrete (slab joints);
                   seen standing at the bay, the ground leaning away 15 to 45 degrees
                   (label: the digit, or n<number>_; asphalt, concrete)
  shelf-label      one digit or a 2-4 digit number on a bookcase shelf's small label, a
                   section's word over it, between a row of books above and below: a paper
                   card in a metal holder, or an engraved brass plate (card, brass)
  flour-tray       one digit or a 2-3 digit number drawn with a finger through flour or
                   sugar dusted on a dark baking tray, the tray showing in the strokes and
                   the powder piled at their edges; on a worktop or a cloth (flour, sugar)
  dosage-label     one digit or a 2-3 digit number as the dose on a pharmacy's label stuck
                   on a white medicine box with a coloured band, lines of words beside it:
                   printed black on the label, or white in a round badge (plain, badge)
  plant-marker     one digit or a 2-3 digit number written in marker or pencil on a white
                   or yellow plastic plant label pushed into a pot's soil, leaves about it:
                   a tall stake or a T-shaped label (stake, tee)
  marks-wild17     non-digits in those five settings: a letter, an arrow or a word painted
                   in the bay; a shelf label with a word or a letter; a heart, a smiley or a
                   star drawn in the flour; a letter or a pill on the dosage label; a
                   plant's name or a picture on the plant label (label: x_<kind>-<setting>NNN)

The digit (or number) is 6% (a shelf label's 8%) to 55% of the photo's height one time in
two, 20% to 45% the other; photos are turned up to 20 degrees and leant up to 22 degrees
away (a parking bay 15 to 45).

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as a finger's, a marker's or a pencil's strokes and kept only as
the fourth to sixteenth sets keep them (15 nearest MNIST *training* digits share the
label, ink in one piece, loops kept, an 8 with both loops, a 2 with none), or glyphs of
Debian fonts that no other script reads: `scripts/fetch-heldout-fonts.sh --set 17` unpacks
Allerta Stencil, Averia Sans GWF and Karmilla into build/heldout17-fonts
without installing them, so that the stress suite's and test photos' font search never
finds them. None of their 0s is slashed or dotted, none has old-style figures (a sheet of
their digits was looked at: Allerta Medium, whose 0 is slashed, is
not read, and Junction, whose figures are old-style, is not fetched).

File names (the label first: a digit, `n<number>_` for a number, `x` for a non-digit),
PNGs for small photos, OUT/heldout.txt (no training or tuning script may read these
families; whoever tunes the reader reads only the table) and one seed making the same
bytes, whichever families are asked for: as in scripts/make-heldout-set13.py, whose
helpers this script calls. The scenes are painted by scripts/lib/heldout_scenes17.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from heldout_render import H, load_script  # noqa: E402
from heldout_scenes6 import mark_paths, paths_cov, pen_redraw, pick, text_cov  # noqa: E402
from heldout_scenes7 import doodle_paths, row_of  # noqa: E402
from heldout_scenes17 import dosage_photo, flour_photo, parking_photo, plant_photo, shelf_photo  # noqa: E402

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("parking-bay", "shelf-label", "flour-tray", "dosage-label", "plant-marker", "marks-wild17")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 17` unpacks, by path
# below the unpacked tree's usr/share/fonts (grep scripts/: no other script names them).
STENCIL = "opentype/allerta/allerta_stencil.otf"  # (Allerta Medium's 0 is slashed: not read)
AVERIA, AVERIA_BOLD = "truetype/averia-gwf/AveriaSansGWF-Regular.ttf", "truetype/averia-gwf/AveriaSansGWF-Bold.ttf"
KARMILLA, KARMILLA_BOLD = "truetype/karmilla/Karmilla-Regular.ttf", "truetype/karmilla/Karmilla-Bold.ttf"
ROAD_FONTS = [STENCIL, KARMILLA_BOLD, AVERIA_BOLD]
SHELF_FONTS = [AVERIA, AVERIA_BOLD, KARMILLA]
BOX_FONTS = [KARMILLA_BOLD, AVERIA_BOLD]
HAND_FONTS = [KARMILLA, AVERIA]  # letters traced by hand
ALL_FONTS = sorted(set(ROAD_FONTS + SHELF_FONTS + BOX_FONTS + HAND_FONTS))

SET13 = load_script("heldout_set13", "make-heldout-set13.py")
SET3, SET4 = SET13.SET3, SET13.SET4
handwritten, make_image = SET13.handwritten, SET13.make_image

# Words of letters nobody reads as a digit.
SECTIONS = ("ART", "NATURE", "TRAVEL", "CRAFT", "THEATRE", "MARKET", "WAR", "PAPER", "WREN")
PHARMACY = ("PHARMACY", "THE PHARMACY", "MAY PHARMACY", "HEATH PHARMACY")
PATIENTS = ("Mr P. Hart", "Anna Wren", "Kate Warner", "Emma Carter", "Ruth Fenner", "Peter Nyman")
DIRECTIONS = ("TAKE AFTER A MEAL", "EACH MEAL", "TAKE WARM", "AFTER TEA", "KEEP WARM")
PLANTS = ("KALE", "FERN", "THYME", "LEEK", "PEAR", "Fern", "Thyme")
ROAD_WORDS = ("KEEP CLEAR", "VAN", "CAR", "EV")
LETTERS = "ACEFHKMNPRTUVWXY"
for w in SECTIONS + PHARMACY + PATIENTS + DIRECTIONS + PLANTS + ROAD_WORDS:
    assert set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS + ",.: "), w
assert set(LETTERS) <= set(H.NOT_DIGIT_LIKE_LETTERS)
SETTINGS = ("bay", "shelf", "tray", "box", "pot")
MARKS = {"bay": ("letter", "arrow", "word"), "shelf": ("word", "letter"), "tray": ("heart", "smiley", "star"),
         "box": ("letter", "pill"), "pot": ("word", "picture")}
FINGER = (0.12, 0.16)  # a finger's stroke, of the digit's height
PEN_W = {"pencil": (0.05, 0.07), "marker": (0.08, 0.11)}


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops, a 2 none (looped at its bottom it reads as an "a")."""
    families, order_key = FAMILIES, 17
    loops = dict(SET4.LOOPS, **{"8": (2, 2), "2": (0, 0)})
    # Passed over by eye on the sheets: a 1 leaning so far between two others that an 211
    # read "2/1" (9005), a 1 drawn as a wave (4032), a 7 with a curled foot that reads as a
    # Z (8391).
    passed_over = frozenset({9005, 4032, 8391})


def written(src, family, digits, rng, width):
    """digits written by hand (MNIST digits, strokes `width` of their height), a little apart."""
    return row_of([handwritten(src, family, d, rng, width)[0] for d in digits], rng.uniform(0.08, 0.2))


def hand_letters(src, rng, text, width):
    """Letters written by hand: a font's letters redrawn with a pen `width` px wide at 300 px."""
    cov = text_cov(text, src.font(pick(rng, HAND_FONTS)), 300)
    return H.crop_to_ink(pen_redraw(np.pad(cov, 20), width))


def drawn(kind, rng, width):
    paths = doodle_paths(kind, rng) if kind in ("heart", "flower", "sun") else mark_paths(kind, rng)
    return H.crop_to_ink(paths_cov(paths, 300, width))


def pill(rng):
    """A capsule: two halves, one filled."""
    cov = np.zeros((200, 420), np.float32)
    cv2.ellipse(cov, (110, 100), (90, 80), 0, 90, 270, 1.0, -1)
    cv2.rectangle(cov, (110, 20), (210, 180), 1.0, -1)
    cv2.ellipse(cov, (310, 100), (90, 80), 0, -90, 90, 1.0, 14)
    cv2.line(cov, (210, 20), (310, 20), 1.0, 14)
    cv2.line(cov, (210, 180), (310, 180), 1.0, 14)
    return H.crop_to_ink(cov)


def dosage_scene(src, rng, cov, kind):
    font = src.font(pick(rng, BOX_FONTS))
    words = [text_cov(pick(rng, PHARMACY), font, 140), text_cov(pick(rng, PATIENTS), font, 120),
             text_cov(pick(rng, DIRECTIONS), font, 120)]
    return dosage_photo(cov, words[:int(rng.integers(2, 4))], rng, kind)


def shelf_scene(src, rng, cov, kind, word=True):
    font = src.font(pick(rng, SHELF_FONTS))
    return shelf_photo(cov, text_cov(pick(rng, SECTIONS), font, 160) if word else None, rng, kind)


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    if setting == "bay":
        font = src.font(pick(rng, ROAD_FONTS))
        cov = text_cov(pick(rng, LETTERS), font, 300) if kind == "letter" else \
            text_cov(pick(rng, ROAD_WORDS), font, 300) if kind == "word" else drawn("arrow", rng, 40)
        return parking_photo(cov, rng, pick(rng, ("asphalt", "concrete")), pick(rng, ("white", "yellow")))
    if setting == "shelf":
        font = src.font(pick(rng, SHELF_FONTS))
        if kind == "word":
            return shelf_scene(src, rng, text_cov(pick(rng, SECTIONS), font, 300), pick(rng, ("card", "brass")), False)
        return shelf_scene(src, rng, text_cov(pick(rng, LETTERS), font, 300), pick(rng, ("card", "brass")))
    if setting == "tray":
        return flour_photo(drawn(kind, rng, 40), rng, pick(rng, ("flour", "sugar")))
    if setting == "box":
        cov = text_cov(pick(rng, LETTERS), src.font(pick(rng, BOX_FONTS)), 300) if kind == "letter" else pill(rng)
        return dosage_scene(src, rng, cov, pick(rng, ("plain", "badge")))
    tool = pick(rng, ("marker", "marker", "pencil"))
    width = 28 if tool == "marker" else 14
    cov = hand_letters(src, rng, pick(rng, PLANTS), width) if kind == "word" else \
        drawn(pick(rng, ("flower", "sun", "heart")), rng, width)
    return plant_photo(cov, rng, pick(rng, ("stake", "tee")), tool, pick(rng, ("white", "yellow")))


def digit_photo(family, digits, rng, src):
    """A digit family's picture of `digits`, and its tag (make_image names the file)."""
    if family == "parking-bay":
        tag = pick(rng, ("asphalt", "concrete"))
        return parking_photo(text_cov(digits, src.font(pick(rng, ROAD_FONTS)), 300), rng, tag,
                             pick(rng, ("white", "yellow"))), tag
    if family == "shelf-label":
        tag = pick(rng, ("card", "brass"))
        return shelf_scene(src, rng, text_cov(digits, src.font(pick(rng, SHELF_FONTS)), 300), tag,
                           rng.random() < 0.8), tag
    if family == "flour-tray":
        tag = pick(rng, ("flour", "sugar"))
        return flour_photo(written(src, family, digits, rng, FINGER), rng, tag), tag
    if family == "dosage-label":
        tag = pick(rng, ("plain", "badge"))
        return dosage_scene(src, rng, text_cov(digits, src.font(pick(rng, BOX_FONTS)), 300), tag), tag
    tag = pick(rng, ("stake", "tee"))  # plant-marker
    tool = pick(rng, ("marker", "marker", "pencil"))
    return plant_photo(written(src, family, digits, rng, PEN_W[tool]), rng, tag, tool,
                       pick(rng, ("white", "yellow"))), tag


def make_one(family, k, rng, src, folder):
    longest = 4 if family in ("parking-bay", "shelf-label") else 3  # numbers of up to 4 digits there
    return make_image(family, k, rng, src, folder, ("marks-wild17", SETTINGS, MARKS, mark_scene), digit_photo, longest)


def main():
    return SET3.make_set("make-heldout-set17", __doc__, 171, FAMILIES, ALL_FONTS, 17, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
