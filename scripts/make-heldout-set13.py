#!/usr/bin/python3
"""Makes a thirteenth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to twelfth
held-out generators, made to measure the reader once, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set13.py OUT [--per-family 60] [--seed 131]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  speed-sign       one digit (or a 2-3 digit number, a third of the family) on a road
                   sign: black in a white disc inside a red ring, or in the letters'
                   colour on a blue, green or brown route shield with its border line;
                   the sign on a grey pole at a road's side, trees, a verge and the sky
                   behind; photographed from the road at an angle (label: the digit, or
                   n<number>_)
  book-page        one digit or a 2-3 digit number: the page number at the foot of a
                   printed book page, centred or at the outer corner, typeset at the
                   size of the lines of text above it (words of letters that read as no
                   digit), the spine's shadow on its inner side; photographed open on a
                   desk, the number small in the frame
  trace-worksheet  one digit or a 2-3 digit number on a child's worksheet: grey dotted
                   guide digits in boxes with a dashed middle line, traced over in pencil
                   or crayon (an MNIST digit of the same label, partly off the dots),
                   empty boxes after them, a title; photographed on a desk
  number-ball      one digit or a 2-3 digit number printed on the white disc of a glossy
                   ball seen turned a little: a pool ball of its own colour (9 striped, 6
                   and 9 underlined) on the table's felt among plain balls turned away,
                   or a lottery ball on a desk; its shadow; photographed from above
  lift-button      one digit or a 2-3 digit number on a lift's round call button of a
                   brushed steel panel: engraved and filled black on a steel face, or
                   raised in white on black, a lit ring round it one time in two, braille
                   at its right, a bell and door-arrow buttons above and below it;
                   photographed close
  marks-wild13     non-digits in those five settings: an arrow or letters on a sign; an
                   ornament or a word at a page's foot; a traced shape or letter on a
                   worksheet; a star or a plain cue ball; a bell, door arrows or a star on
                   a lift's button (label: x_<kind>-<setting>NNN)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as a pencil's or a crayon's strokes and kept only as the fourth to
twelfth sets keep them (15 nearest MNIST *training* digits share the label, ink in one
piece, loops kept, an 8 with both loops), or glyphs of Debian fonts that no other script
reads: `scripts/fetch-heldout-fonts.sh --set 13` unpacks Charis SIL, TeX Gyre, League
Mono and M+ into build/heldout13-fonts without installing them, so that the stress
suite's and test photos' font search never finds them. None of their 0s is slashed or
dotted, and none has old-style figures (seen on a sheet of their digits).

File names (the label first: a digit, `n<number>_` for a number, `x` for a non-digit),
PNGs for small photos, OUT/heldout.txt (no training or tuning script may read these
families; whoever tunes the reader reads only the table) and one seed making the same
bytes, whichever families are asked for: as in scripts/make-heldout-set12.py, whose
helpers this script calls. The scenes are painted by scripts/lib/heldout_scenes13.py.
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
from heldout_scenes9 import arrow_cov  # noqa: E402
from heldout_scenes10 import star_cov  # noqa: E402
from heldout_scenes13 import (POOL, LOTTO, ball_decal, ball_photo, bell_cov, book_photo, door_arrows_cov,  # noqa: E402
                              lift_photo, sign_photo, typeset, worksheet_photo)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("speed-sign", "book-page", "trace-worksheet", "number-ball", "lift-button", "marks-wild13")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 13` unpacks, by path
# below the unpacked tree's usr/share/fonts (TeX Gyre's sit in usr/share/texmf; grep
# scripts/: no other script names them).
GYRE = "../texmf/fonts/opentype/public/tex-gyre/"
SIGN_FONTS = [GYRE + "texgyreheros-bold.otf", GYRE + "texgyreheroscn-bold.otf",
              "opentype/league-mono/LeagueMono-CondensedBold.otf", "opentype/mplus/Mplus1-Black.otf"]
BOOK_FONTS = ["truetype/charis/CharisSIL-Regular.ttf", GYRE + "texgyrepagella-regular.otf",
              GYRE + "texgyretermes-regular.otf", GYRE + "texgyrebonum-regular.otf", GYRE + "texgyreschola-regular.otf"]
GUIDE_FONTS = [GYRE + "texgyreadventor-regular.otf", "opentype/mplus/Mplus2-Regular.otf",
               "opentype/mplus/Mplus1-Regular.otf", GYRE + "texgyreschola-regular.otf"]
BALL_FONTS = [GYRE + "texgyreheros-bold.otf", GYRE + "texgyreadventor-bold.otf", "opentype/mplus/Mplus2-Bold.otf",
              "truetype/charis/CharisSIL-Bold.ttf", GYRE + "texgyreschola-bold.otf"]
BUTTON_FONTS = ["opentype/league-mono/LeagueMono-Bold.otf", GYRE + "texgyreheros-bold.otf",
                "opentype/mplus/Mplus1-Bold.otf", GYRE + "texgyreheroscn-bold.otf"]
ALL_FONTS = sorted(set(SIGN_FONTS + BOOK_FONTS + GUIDE_FONTS + BALL_FONTS + BUTTON_FONTS))

SET12 = load_script("heldout_set12", "make-heldout-set12.py")
SET3, SET4 = SET12.SET3, SET12.SET4
number, save, digits_name, handwritten, drawn, extension = SET12.number, SET12.save, SET12.digits_name, \
    SET12.handwritten, SET12.drawn, SET12.extension  # a photo of at most 1280 px is a PNG two times in five

# A book's words and a worksheet's titles, of letters nobody reads as a digit (lower case:
# no b, g, i, l, o, q, s, z either).
BOOK_WORDS = ("the", "near", "water", "after", "yet", "may", "warm", "every", "return", "face", "market", "hunter",
              "very", "weather", "never", "part", "each", "carry", "that", "what", "under", "happy", "can",
              "few", "tree", "new", "were", "park", "catch", "ever", "anyway", "heart", "they", "a", "he", "her",
              "when", "them", "there", "then", "came", "Anna", "Mark", "We", "He", "They", "The", "When", "tea,",
              "way.", "hat.", "rather", "each,", "a", "the", "the", "at", "pram", "fence")
TITLES = ("Trace", "TRACE", "Name", "Trace them", "Name:", "Trace and match")
LETTERS = "ACEFHKLMNPRTUVWXY"
assert all(set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS + ",.: ") for w in BOOK_WORDS + TITLES)
assert set(LETTERS) <= set(H.NOT_DIGIT_LIKE_LETTERS)
SETTINGS = ("sign", "page", "sheet", "ball", "lift")
MARKS = {"sign": ("arrow", "letters"), "page": ("ornament", "word"), "sheet": ("shape", "letter"),
         "ball": ("star", "cue"), "lift": ("bell", "arrows", "star")}
PENCIL_W = (0.035, 0.055)  # a pencil's line, of the digit's height
CRAYON_W = (0.06, 0.09)  # a crayon's


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops, a 2 none (looped at its bottom it reads as an "a")."""
    families, order_key = FAMILIES, 13
    loops = dict(SET4.LOOPS, **{"8": (2, 2), "2": (0, 0)})
    # Seen on the contact sheets and passed over: 1s slanted like a slash between two digits.
    passed_over = frozenset({7468, 9222})


def sign_scene(cov, rng, kind):
    return sign_photo(H.crop_to_ink(cov), rng, kind)


def page_scene(src, rng, text_fn, where):
    """A book page whose foot shows text_fn(font, px)'s coverage."""
    font = src.font(pick(rng, BOOK_FONTS))
    return book_photo(lambda px: text_fn(font, px), font, BOOK_WORDS, rng, where)


def sheet_scene(src, rng, guides, traces, pencil):
    title = text_cov(pick(rng, TITLES), src.font(pick(rng, GUIDE_FONTS)), 120)
    return worksheet_photo(guides, traces, title, rng, pencil, int(rng.integers(1, 4)))


def worksheet_digits(src, family, digits, rng, pencil):
    font = src.font(pick(rng, GUIDE_FONTS))
    guides = [text_cov(d, font, 300) for d in digits]
    pen = PENCIL_W if pencil else CRAYON_W
    traces = [handwritten(src, family, d, rng, pen)[0] for d in digits]
    return sheet_scene(src, rng, guides, traces, pencil)


def ball_scene(src, rng, digits, cov=None):
    """digits (or cov) on a ball: a pool ball for 1 to 9 three times in five, else a lottery
    ball; a plain cue ball where cov is blank."""
    pool = digits in POOL and rng.random() < 0.6
    if cov is None:
        cov = text_cov(digits, src.font(pick(rng, BALL_FONTS)), 300)
    underline = digits in ("6", "9") and (pool or rng.random() < 0.5)
    decal = ball_decal(cov, rng, underline)
    if not cov.any():  # a cue ball: white all over
        return ball_photo(decal, rng, "pool", [0.96, 0.96, 0.93]), "pool"
    if pool:
        return ball_photo(decal, rng, "pool", POOL[digits], stripe=digits == "9"), "pool"
    return ball_photo(decal, rng, "lotto", pick(rng, LOTTO)), "lotto"


def lift_scene(src, rng, cov, kind):
    sides = [door_arrows_cov(closing=rng.random() < 0.5), bell_cov()]
    if rng.random() < 0.5:
        sides.reverse()
    return lift_photo(cov, sides, rng, kind)


def sheet_mark(src, rng, kind):
    """A worksheet's traced shape (dotted, traced by hand) or letter."""
    pencil = rng.random() < 0.5
    if kind == "shape":
        paths = doodle_paths(pick(rng, ("heart", "star", "flower", "house")), rng)
        guide = paths_cov(paths, 300, 10)
        trace = drawn(paths, rng, 0.05 if pencil else 0.08)
    else:
        guide = text_cov(pick(rng, LETTERS), src.font(pick(rng, GUIDE_FONTS)), 300)
        trace = H.crop_to_ink(pen_redraw(np.pad(guide, 20), 16 if pencil else 26))
    return sheet_scene(src, rng, [guide], [trace], pencil)


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    if setting == "sign":
        if kind == "arrow":
            cov = arrow_cov(rng)
        else:
            cov = text_cov("".join(pick(rng, LETTERS) for _ in range(int(rng.integers(1, 3)))),
                           src.font(pick(rng, SIGN_FONTS)), 300)
        return sign_scene(cov, rng, pick(rng, ("ring", "shield")))
    if setting == "page":
        if kind == "ornament":
            text = pick(rng, ("*", "* * *", "~"))
            return page_scene(src, rng, lambda font, px: typeset(text, font, px), pick(rng, ("foot", "corner")))
        word = pick(rng, ("The Water", "Market", "Anna", "Part", "The Hunter"))
        return page_scene(src, rng, lambda font, px: typeset(word, font, px), pick(rng, ("foot", "corner")))
    if setting == "sheet":
        return sheet_mark(src, rng, kind)
    if setting == "ball":
        cov = star_cov() if kind == "star" else np.zeros((8, 8), np.float32)
        return ball_scene(src, rng, "x", cov)[0]
    cov = {"bell": bell_cov, "arrows": door_arrows_cov, "star": star_cov}[kind]()
    return lift_scene(src, rng, H.crop_to_ink(cov), pick(rng, ("steel", "black")))


def make_image(family, k, rng, src, folder, non_digits, digit_photo, longest=3):
    """The k-th image of `family`, saved in `folder` under its label (a digit, `n<number>_`,
    `x` for a non-digit). non_digits = (that family, its settings, the kinds by setting,
    mark_scene): its images are each setting's kinds in turn. Any other family's are a
    digit two times in three, else a number of 2 to `longest` digits, painted by
    digit_photo(family, digits, rng, src) -> (image, tag). (The sets from this one on call
    it: the random draws in the order each of them made them.)"""
    stem = os.path.join(folder, "")
    quality = int(rng.integers(72, 95))
    mark_family, settings, marks, mark_scene = non_digits
    if family == mark_family:  # each setting's kinds in turn
        setting = settings[k % len(settings)]
        kind = marks[setting][(k // len(settings)) % len(marks[setting])]
        img = mark_scene(setting, kind, rng, src)
        save(img, f"{stem}x_{kind}-{setting}{k:03d}.{extension(img, rng)}", quality)
        return
    single = k % 3 != 2  # a third of each family are numbers
    digits = str(((k // 3) * 2 + k % 3) % 10) if single else number(rng, 2, longest)
    img, tag = digit_photo(family, digits, rng, src)
    save(img, f"{stem}{digits_name(digits)}_{tag}{k:03d}.{extension(img, rng)}", quality)


def digit_photo(family, digits, rng, src):
    """A digit family's picture of `digits`, and its tag (make_image names the file)."""
    if family == "speed-sign":
        tag = pick(rng, ("ring", "shield"))
        return sign_scene(text_cov(digits, src.font(pick(rng, SIGN_FONTS)), 300), rng, tag), tag
    if family == "book-page":
        tag = pick(rng, ("foot", "corner"))
        return page_scene(src, rng, lambda font, px: typeset(digits, font, px), tag), tag
    if family == "trace-worksheet":
        tag = pick(rng, ("pencil", "crayon"))
        return worksheet_digits(src, family, digits, rng, tag == "pencil"), tag
    if family == "number-ball":
        return ball_scene(src, rng, digits)
    tag = pick(rng, ("steel", "black"))  # lift-button
    return lift_scene(src, rng, text_cov(digits, src.font(pick(rng, BUTTON_FONTS)), 300), tag), tag


def make_one(family, k, rng, src, folder):
    return make_image(family, k, rng, src, folder, ("marks-wild13", SETTINGS, MARKS, mark_scene), digit_photo)


def main():
    return SET3.make_set("make-heldout-set13", __doc__, 131, FAMILIES, ALL_FONTS, 13, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
