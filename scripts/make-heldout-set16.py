#!/usr/bin/python3
"""Makes a sixteenth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to fifteenth
held-out generators, made to measure the reader once, on input nobody tuned on. Its
digits sit inside something: a ring drawn round them, a door, a bag, a block, a balloon.

    /usr/bin/python3 scripts/make-heldout-set16.py OUT [--per-family 60] [--seed 161]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  quiz-circle      one digit (or a 2-3 digit number, a third of the family) written by
                   hand in pencil, biro or marker as the answer to one question of a
                   printed quiz sheet, and ringed or boxed by hand (ring, box) in the same
                   pen, clear of the digit; the other questions' printed choices (true, fake)
                   with one of them ringed; photographed on a desk or a tablecloth
                   (label: the digit, or n<number>_)
  locker-door      one digit or a 2-3 digit number on the middle door of a row of steel
                   lockers (vents at top and foot, a handle, a lock, a name card on each
                   door): on a riveted plate, painted on, or stuck on as vinyl digits one by
                   one, each a little askew (plate, painted, vinyl)
  tote-bag         one digit or a 2-3 digit number printed large on a canvas tote bag
                   (natural, black, navy or red), a word of letters under or over it; the
                   weave and the folds bend and shade the print; hung by its handles from a
                   hook on a wall
  toy-block        one digit on the front face of a wooden toy block (a 2-3 digit number:
                   blocks side by side), a letter or a picture on the top face (a picture
                   only on a row of blocks), a picture or nothing on the side face;
                   plain wood with painted digits or painted blocks with white digits (wood,
                   painted); on a wooden floor or a rug
  foil-balloon     one digit or a 2-3 digit number as foil balloons (gold, silver, rose or
                   blue), puffed, shiny, seamed and creased, before a party wall with
                   bunting, ribbons hanging
  marks-wild16     non-digits in those five settings: a letter ringed or a tick boxed on
                   the quiz sheet; a letter plate or no number on the locker; a word or a
                   star printed on the bag; blocks with letters or pictures; a heart, a
                   star or a letter as a balloon (label: x_<kind>-<setting>NNN)

The digit (or number) is 6% (a locker's 10%, a bag's 12%, a balloon's 15%: its room
painted no wider) to 55% of the photo's height one time in two, 20% to 45% the other;
photos are turned up to 20 degrees and leant up to 22 degrees away.

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as a pencil's, a biro's or a marker's strokes and kept only as the
fourth to fifteenth sets keep them (15 nearest MNIST *training* digits share the label,
ink in one piece, loops kept, an 8 with both loops, a 2 with none), or glyphs of Debian
fonts that no other script reads: `scripts/fetch-heldout-fonts.sh --set 16` unpacks ADF
Verana, RocknRoll One and Computer Modern Unicode into build/heldout16-fonts without
installing them, so that the stress suite's and test photos' font search never finds
them. None of their 0s is slashed or dotted, none has old-style figures (a sheet of their
digits was looked at).

File names (the label first: a digit, `n<number>_` for a number, `x` for a non-digit),
PNGs for small photos, OUT/heldout.txt (no training or tuning script may read these
families; whoever tunes the reader reads only the table) and one seed making the same
bytes, whichever families are asked for: as in scripts/make-heldout-set13.py, whose
helpers this script calls. The scenes are painted by scripts/lib/heldout_scenes16.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from heldout_render import H, load_script  # noqa: E402
from heldout_scenes6 import mark_paths, paths_cov, pen_redraw, pick, text_cov  # noqa: E402
from heldout_scenes7 import doodle_paths  # noqa: E402
from heldout_scenes16 import balloon_photo, blocks_photo, locker_photo, quiz_photo, tote_photo  # noqa: E402

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("quiz-circle", "locker-door", "tote-bag", "toy-block", "foil-balloon", "marks-wild16")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 16` unpacks, by path
# below the unpacked tree's usr/share/fonts (grep scripts/: no other script names them).
ADF, CMU, ROCK = "truetype/adf/", "truetype/cmu/", "truetype/rocknroll/RocknRollOne-Regular.ttf"
SHEET_FONTS = [CMU + "cmunrm.ttf", CMU + "cmunss.ttf", ADF + "VeranaSans-Regular.otf"]
LOCKER_FONTS = [ADF + "VeranaSans-Bold.otf", CMU + "cmunsx.ttf", ADF + "Verana-Bold.otf"]
BAG_FONTS = [ADF + "VeranaSans-Bold.otf", ADF + "Verana-Bold.otf", CMU + "cmunbx.ttf", ROCK]
BLOCK_FONTS = [ROCK, ADF + "VeranaSans-Bold.otf", CMU + "cmunbx.ttf"]
BALLOON_FONTS = [ROCK, ADF + "VeranaSans-Bold.otf"]
ALL_FONTS = sorted(set(SHEET_FONTS + LOCKER_FONTS + BAG_FONTS + BLOCK_FONTS + BALLOON_FONTS))

SET13 = load_script("heldout_set13", "make-heldout-set13.py")
written = load_script("heldout_set14", "make-heldout-set14.py").written  # a pencil's, biro's or marker's MNIST digits
SET3, SET4 = SET13.SET3, SET13.SET4
make_image = SET13.make_image  # the file's label, the non-digits' settings in turn

# Words of letters nobody reads as a digit (lower case: no b, g, i, l, o, q, s, z either).
QUESTIONS = ("What came after the war", "Name a warm market", "Where were they", "Peter can run each way",
             "Hunter math: what", "The matter at hand", "Whatever came next", "Tree, fern, wheat", "Meet her where")
NAMES = ("ANNA", "MARK", "KATE", "RUTH", "PETER", "EMMA", "MAY", "NAT", "HANK", "FERN", "TRENT", "WREN")
BAG_WORDS = ("MARKET", "NEW YEAR", "TEAM", "HEART", "FARMER MARKET", "CAFE", "PARK RUN", "ART WEEK", "TEA")
CHOICES = ("true", "fake")  # the other questions' choices, one of them ringed
LETTERS = "ACEFHKMNPRTUVWXY"
for w in CHOICES + QUESTIONS + NAMES + BAG_WORDS:
    assert set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS + ",.: "), w
assert set(LETTERS) <= set(H.NOT_DIGIT_LIKE_LETTERS)
PICTURES = ("star", "heart", "sun", "flower", "fish", "tree", "house")
SETTINGS = ("quiz", "locker", "bag", "block", "balloon")
MARKS = {"quiz": ("letter", "tick"), "locker": ("letter", "blank"), "bag": ("word", "star"),
         "block": ("letters", "pictures"), "balloon": ("heart", "letter", "star")}


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops, a 2 none (looped at its bottom it reads as an "a")."""
    families, order_key = FAMILIES, 16
    loops = dict(SET4.LOOPS, **{"8": (2, 2), "2": (0, 0)})
    # Passed over by eye on the quiz sheets: a 0 whose stroke ends in a hook inside it (a
    # 6?), a 4 lying on its side, 1s leaning apart (a "/\"), 1s leaning so far that
    # in a ring they read as a slashed 0.
    passed_over = frozenset({9714, 8947, 5461, 994, 2010, 7422, 1129})


def filled(kind, rng):
    """A doodle's shape filled in (a heart or a star balloon's outline)."""
    cov = paths_cov(doodle_paths(kind, rng), 600, 12)
    contours, _ = cv2.findContours(np.uint8(cov > 0.5) * 255, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    out = np.zeros(cov.shape, np.uint8)
    cv2.drawContours(out, contours, -1, 255, -1)
    return out.astype(np.float32) / 255.0


def picture(rng):
    return H.crop_to_ink(paths_cov(doodle_paths(pick(rng, PICTURES), rng), 300, 22))


def quiz_scene(src, rng, cov, tool, kind):
    font = src.font(pick(rng, SHEET_FONTS))
    picked = rng.permutation(len(QUESTIONS))[:int(rng.integers(4, 7))]
    questions = [text_cov(QUESTIONS[q], font, 120) for q in picked]
    choices = [text_cov(c, font, 120) for c in CHOICES]
    return quiz_photo(cov, questions, choices, rng, tool, kind)


def locker_scene(src, rng, covs, kind):
    font = src.font(pick(rng, SHEET_FONTS))
    return locker_photo(covs, lambda r: text_cov(pick(r, NAMES), font, 120), rng, kind)


def glyphs(text, font, px=300):
    return [text_cov(ch, font, px) for ch in text]


def block_scene(src, rng, fronts, kind):
    """Blocks with a letter or a picture on top (a picture only beside another block) and
    a picture or nothing at the side: a letter on a side face, between two digits, would
    be read with them."""
    font = src.font(pick(rng, BLOCK_FONTS))
    tops = [text_cov(pick(rng, LETTERS), font, 300) if len(fronts) == 1 and rng.random() < 0.5 else picture(rng)
            for _ in fronts]
    sides = [picture(rng) if rng.random() < 0.5 else None for _ in fronts]
    return blocks_photo(fronts, tops, sides, rng, kind)


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    if setting == "quiz":
        tool = pick(rng, ("pencil", "biro", "marker"))
        width = {"pencil": 14, "biro": 16, "marker": 28}[tool]
        if kind == "tick":
            cov = H.crop_to_ink(paths_cov(mark_paths("tick", rng), 300, width))
            return quiz_scene(src, rng, cov, tool, "box")
        cov = H.crop_to_ink(pen_redraw(np.pad(text_cov(pick(rng, LETTERS), src.font(pick(rng, SHEET_FONTS)), 300),
                                              20), width))
        return quiz_scene(src, rng, cov, tool, "ring")
    if setting == "locker":
        covs = glyphs(pick(rng, LETTERS), src.font(pick(rng, LOCKER_FONTS))) if kind == "letter" else \
            [np.zeros((8, 8), np.float32)]
        return locker_scene(src, rng, covs, pick(rng, ("plate", "painted", "vinyl")))
    if setting == "bag":
        font = src.font(pick(rng, BAG_FONTS))
        cov = text_cov(pick(rng, BAG_WORDS), font, 300) if kind == "word" else filled("star", rng)
        return tote_photo(cov, text_cov(pick(rng, BAG_WORDS), font, 200) if rng.random() < 0.5 else None, rng,
                          pick(rng, ("natural", "black", "navy", "red")))
    if setting == "block":
        font = src.font(pick(rng, BLOCK_FONTS))
        n = int(rng.integers(1, 4))
        fronts = [text_cov(pick(rng, LETTERS), font, 300) if kind == "letters" else picture(rng) for _ in range(n)]
        return block_scene(src, rng, fronts, pick(rng, ("wood", "painted")))
    cov = filled(kind, rng) if kind != "letter" else text_cov(pick(rng, LETTERS), src.font(pick(rng, BALLOON_FONTS)),
                                                                300)
    return balloon_photo([cov], rng, pick(rng, ("gold", "silver", "rose", "blue")))


def digit_photo(family, digits, rng, src):
    """A digit family's picture of `digits`, and its tag (make_image names the file)."""
    if family == "quiz-circle":
        tag, tool = pick(rng, ("ring", "box")), pick(rng, ("pencil", "biro", "marker"))
        return quiz_scene(src, rng, written(src, family, digits, rng, tool), tool, tag), tag
    if family == "locker-door":
        tag = pick(rng, ("plate", "painted", "vinyl"))
        return locker_scene(src, rng, glyphs(digits, src.font(pick(rng, LOCKER_FONTS))), tag), tag
    if family == "tote-bag":
        tag = pick(rng, ("natural", "black", "navy", "red"))
        font = src.font(pick(rng, BAG_FONTS))
        word = text_cov(pick(rng, BAG_WORDS), font, 200) if rng.random() < 0.7 else None
        return tote_photo(text_cov(digits, font, 300), word, rng, tag), tag
    if family == "toy-block":
        tag = pick(rng, ("wood", "painted"))
        return block_scene(src, rng, glyphs(digits, src.font(pick(rng, BLOCK_FONTS))), tag), tag
    tag = pick(rng, ("gold", "silver", "rose", "blue"))  # foil-balloon
    return balloon_photo(glyphs(digits, src.font(pick(rng, BALLOON_FONTS))), rng, tag), tag


def make_one(family, k, rng, src, folder):
    return make_image(family, k, rng, src, folder, ("marks-wild16", SETTINGS, MARKS, mark_scene), digit_photo)


def main():
    return SET3.make_set("make-heldout-set16", __doc__, 161, FAMILIES, ALL_FONTS, 16, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
