#!/usr/bin/python3
"""Makes an eleventh set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to tenth
held-out generators, made to measure the reader once, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set11.py OUT [--per-family 60] [--seed 111]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  price-tag        a price of 1-4 digits (no currency sign, no point) written with a
                   marker or printed on a card shop tag (white, manila, kraft or bright),
                   its corners cut at the end with the punched hole, a ring round the hole
                   and a string through it; lying on a shelf or hanging in front of goods
                   on their shelves, photographed (label: the digit, or n<number>_)
  calendar-day     a big printed day number (1-31) on a wire-bound wall calendar's page or
                   a tear-off pad's (its glued strip, the torn stubs and the pad's edges),
                   a month word above and a weekday under it (letters only), red one time
                   in four; on a wall or a desk, photographed (label: the digit, or n<day>_)
  clay-digit       one digit modelled in children's clay: a thick rounded coil, its edge
                   wavy, finger marks pressed in, a dull sheen and a soft shadow, on a
                   table or a plastic modelling board, photographed from above
  shop-window      one digit (or a 2-3 digit number, half the family) stuck as vinyl or
                   painted, light, on a shop window: the shop's inside behind the glass
                   (dark or lit, shelves of goods, lamps), the street's reflection and a
                   band of glare across it, the window's frame round it, a small word of
                   the shop's name above it one time in three; photographed from outside
  tally-board      one digit written with a marker on a small whiteboard, or in chalk on a
                   green board or a slate, held up in a hand (fingers or thumbs over its
                   edge) or propped on a table against a wall, the room out of focus
  marks-wild11     non-digits in those five settings: a tag reading SALE, NEW or %; a
                   calendar page with a weekday word or a picture where the day goes; a
                   clay heart, snake or ball; a shop's word or logo on its window; a tick,
                   a cross, a smiley or a word on a board (label: x_<kind>-<setting>NNN)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as a marker's strokes or a clay coil and kept only as the fourth
to tenth sets keep them (15 nearest MNIST *training* digits share the label, ink in one
piece, loops kept, an 8 with both loops), or glyphs of Debian fonts that no other script
reads: `scripts/fetch-heldout-fonts.sh --set 11` unpacks Carlito, Andika and GFS
Neohellenic into build/heldout11-fonts without installing them, so that the stress
suite's and test photos' font search never finds them. None of their 0s is slashed or
dotted (seen on a sheet of their digits).

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them. The families are added to
OUT/heldout.txt: no training or tuning script may read them, and whoever tunes the
reader reads only the table. The same seed, MNIST files and fonts give the same set,
and a family's images do not depend on which other families are made. The scenes are
painted by scripts/lib/heldout_scenes11.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import H, load_script  # noqa: E402
from heldout_scenes6 import paths_cov, pick, shaky, text_cov  # noqa: E402
from heldout_scenes7 import doodle_paths, logo_paths, row_of  # noqa: E402
from heldout_scenes8 import face_paths  # noqa: E402
from heldout_scenes10 import check_paths, yarn_shape_paths  # noqa: E402
from heldout_scenes11 import (ball_cov, calendar_photo, clay_photo, cross_paths, price_tag_photo,  # noqa: E402
                              shop_window_photo, snake_paths, tally_photo)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("price-tag", "calendar-day", "clay-digit", "shop-window", "tally-board", "marks-wild11")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 11` unpacks, by path
# below the unpacked tree (grep scripts/: no other script names them).
PRINT_FONTS = ["truetype/crosextra/Carlito-Bold.ttf", "truetype/andika/Andika-Bold.ttf",
               "opentype/neohellenic/GFSNeohellenicBold.otf", "truetype/crosextra/Carlito-Regular.ttf"]
WORD_FONTS = ["truetype/crosextra/Carlito-Regular.ttf", "truetype/andika/Andika-Regular.ttf",
              "opentype/neohellenic/GFSNeohellenic.otf", "truetype/crosextra/Carlito-Bold.ttf"]
ALL_FONTS = sorted(set(PRINT_FONTS + WORD_FONTS))

SET3 = load_script("heldout_set3", "make-heldout-set3.py")
SET4 = load_script("heldout_set4", "make-heldout-set4.py")
SET8 = load_script("heldout_set8", "make-heldout-set8.py")
SET9 = load_script("heldout_set9", "make-heldout-set9.py")
SET10 = load_script("heldout_set10", "make-heldout-set10.py")
number, save, digits_name, handwritten = SET8.number, SET8.save, SET9.digits_name, SET10.handwritten

# Words of letters nobody reads as a digit (no B, D, G, I, O, Q, S, Z; lower-case d is
# kept): a calendar's months and weekdays, a shop's name, a board's word.
MONTHS = ("MARCH", "MAY", "Mar", "Apr", "May", "March", "Maart", "Mart")
WEEKDAYS = ("Tue", "Wed", "Thu", "TUE", "THU", "Thur", "Wed")
SHOPS = ("CAFE", "MARKET", "PHARMACY", "TEA", "CRAFT", "FRAMER", "HAT", "Market", "Wear", "Cafe")
BOARD_WORDS = ("HEY", "YAY", "NEXT", "LATER", "Me", "Name", "Hey", "Wet")
assert all(set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS) for w in MONTHS + WEEKDAYS + SHOPS + BOARD_WORDS)
TAG_MARKS = ("SALE", "NEW", "%")  # on a tag as shops write them (an S in a word, among letters)
SETTINGS = ("tag", "calendar", "clay", "window", "board")
MARKS = {"tag": ("sale", "new", "percent"), "calendar": ("weekday", "picture"), "clay": ("heart", "snake", "ball"),
         "window": ("word", "logo"), "board": ("tick", "cross", "smiley", "word")}
MARKER = (0.08, 0.12)  # a marker's stroke, of the digit's height
CLAY = (0.12, 0.16)  # a clay coil


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops."""
    families, order_key = FAMILIES, 11
    loops = dict(SET4.LOOPS, **{"8": (2, 2)})
    # Seen on the contact sheets and passed over: 2s written with a loop at the bottom (an
    # upside-down 6, an "a"), 5s as a flat S, a 7 with a hooked foot, a 7 bent like a "?",
    # a 7 with a speck beside it (a decimal point in a price), a 4 with its top closed, a
    # 4 lying flat as a "u", a 9 with a slanted loop (read as a 9 and a 4), a 1 slanted
    # as a slash between two digits, a 6 open like "lo", a 0 looped at its top like an 8.
    passed_over = frozenset({318, 4506, 6431, 5105, 8025, 8870, 9877, 3806, 3997, 7390, 8321, 475, 916, 3755,
                             4602, 3269, 4448})


def written_number(src, family, digits, rng):
    """A number written with a marker, its digits side by side a little apart."""
    pen = rng.uniform(*MARKER)
    return row_of([src.strokes(family, d, rng, 300, pen) for d in digits], rng.uniform(0.15, 0.3))


def word_cov(src, rng, pool):
    return text_cov(pick(rng, pool), src.font(pick(rng, WORD_FONTS)), 160)


def drawn(paths, rng, width, size=300):
    """Paths in the unit square drawn by hand, `width` (of size) wide."""
    return paths_cov(shaky(paths, rng, 0.006), size, width * size)


def calendar_scene(main_cov, src, rng, kind, weekday=True):
    words = [word_cov(src, rng, MONTHS)] + ([word_cov(src, rng, WEEKDAYS)] if weekday else [])
    return calendar_photo(main_cov, words, rng, kind, rng.random() < 0.25)


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    if setting == "tag":
        text = TAG_MARKS[("sale", "new", "percent").index(kind)]
        tool = pick(rng, ("marker", "print"))
        cov = text_cov(text, src.font(pick(rng, PRINT_FONTS)), 300)
        return price_tag_photo(cov, rng, tool, pick(rng, ("shelf", "hang")))
    if setting == "calendar":
        kind_of_page = pick(rng, ("tear", "wall"))
        if kind == "weekday":
            return calendar_scene(word_cov(src, rng, WEEKDAYS), src, rng, kind_of_page, weekday=False)
        picture = drawn(doodle_paths(pick(rng, ("sun", "flower", "tree", "house", "fish")), rng), rng, 0.03)
        return calendar_scene(picture, src, rng, kind_of_page)
    if setting == "clay":
        ground = pick(rng, ("table", "board"))
        if kind == "ball":
            return clay_photo(ball_cov(), 0.9, rng, ground)
        paths = yarn_shape_paths("heart", rng) if kind == "heart" else snake_paths(rng)
        width = rng.uniform(*CLAY)
        return clay_photo(drawn(paths, rng, width), width, rng, ground)
    if setting == "window":
        cov = word_cov(src, rng, SHOPS) if kind == "word" else drawn(logo_paths(rng), rng, rng.uniform(0.06, 0.1))
        return shop_window_photo(cov, rng, pick(rng, ("vinyl", "paint")))
    board = pick(rng, ("white", "green", "slate"))
    if kind == "word":
        cov = word_cov(src, rng, BOARD_WORDS)
    else:
        paths = {"tick": check_paths, "cross": cross_paths, "smiley": face_paths}[kind](rng)
        cov = drawn(paths, rng, rng.uniform(*MARKER))
    return tally_photo(cov, rng, board)


def make_one(family, k, rng, src, folder):
    stem = os.path.join(folder, "")
    quality = int(rng.integers(72, 95))
    if family == "marks-wild11":  # each setting's kinds in turn
        setting = SETTINGS[k % len(SETTINGS)]
        kind = MARKS[setting][(k // len(SETTINGS)) % len(MARKS[setting])]
        save(mark_scene(setting, kind, rng, src), f"{stem}x_{kind}-{setting}{k:03d}.jpg", quality)
        return
    if family == "price-tag":
        digits = str((k // 3) % 10) if k % 3 == 0 else number(rng, 2, 4)
        tool = pick(rng, ("marker", "print"))
        if tool == "marker":
            cov = written_number(src, family, digits, rng)
        else:
            cov = text_cov(digits, src.font(pick(rng, PRINT_FONTS)), 300)
        img = price_tag_photo(cov, rng, tool, pick(rng, ("shelf", "hang")))
        save(img, f"{stem}{digits_name(digits)}_{tool}{k:03d}.jpg", quality)
        return
    if family == "calendar-day":
        day = str((k // 3) % 9 + 1) if k % 3 == 0 else str(int(rng.integers(10, 32)))
        kind = pick(rng, ("tear", "wall"))
        img = calendar_scene(text_cov(day, src.font(pick(rng, PRINT_FONTS)), 300), src, rng, kind)
        save(img, f"{stem}{digits_name(day)}_{kind}{k:03d}.jpg", quality)
        return
    if family == "shop-window":
        digits = str((k // 2) % 10) if k % 2 == 0 else number(rng, 2, 3)
        kind = pick(rng, ("vinyl", "paint"))
        words = [word_cov(src, rng, SHOPS)] if rng.random() < 0.33 else []
        img = shop_window_photo(text_cov(digits, src.font(pick(rng, PRINT_FONTS)), 300), rng, kind, words)
        save(img, f"{stem}{digits_name(digits)}_{kind}{k:03d}.jpg", quality)
        return
    label = str(k % 10)
    if family == "clay-digit":
        ground = pick(rng, ("table", "board"))
        cov, width = handwritten(src, family, label, rng, CLAY)
        img, tag = clay_photo(cov, width, rng, ground), ground
    else:  # tally-board
        tag = pick(rng, ("white", "green", "slate"))
        cov, _ = handwritten(src, family, label, rng, MARKER)
        img = tally_photo(cov, rng, tag)
    save(img, f"{stem}{label}_{tag}{k:03d}.jpg", quality)


def main():
    return SET3.make_set("make-heldout-set11", __doc__, 111, FAMILIES, ALL_FONTS, 11, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
