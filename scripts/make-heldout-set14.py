#!/usr/bin/python3
"""Makes a fourteenth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to thirteenth
held-out generators, made to measure the reader once, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set14.py OUT [--per-family 60] [--seed 141]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  margin-answer    one digit (or a 2-3 digit number, a third of the family) written by
                   hand, in pencil or blue biro, in the answer box at the right margin of a
                   printed exercise sheet: a title, tasks lettered a), b), ... in lines of
                   words (letters that read as no digit), the other boxes empty;
                   photographed on a desk (label: the digit, or n<number>_)
  raffle-ticket    one digit or a 2-3 digit number written by hand in biro or marker in
                   the printed box on the stub of a raffle ticket of coloured card: a tear
                   line of holes, the printed words (RAFFLE, TEA PARTY, ...) on the ticket's
                   other part, the ticket book under it one time in two; photographed on a
                   table
  station-sign     one digit or a 2-3 digit number: a platform's number in a square of the
                   sign's contrary colours at the left of a navy, green or white platform
                   sign, the words (Next departure, a town's name) at its right; hung from rods
                   under a canopy before a tiled wall; photographed from the platform
  postage-stamp    one digit or a 2-3 digit number: a postage stamp's value, large in the
                   upper-left corner of its picture (hills, a sun, the sky), the country's
                   name at its foot, a white perforated margin; stuck at an envelope's
                   corner above a typed address of words, cancelled by a postmark's wavy
                   lines at its right one time in two; photographed on a desk
  room-sign        one digit or a 2-3 digit number: a room's number, large on a door sign
                   (white, grey or blue, a coloured band at its top) above a rule and a name
                   or two in small type; screwed to a painted wall beside a door's frame;
                   photographed in a corridor
  marks-wild14     non-digits in those five settings: a letter or a star written in the
                   sheet's answer box; initials or a heart in the ticket's box; a platform
                   letter or an arrow on the station sign; a stamp valued by a letter, or
                   with no value; a room letter, a word or an arrow on the door sign (label:
                   x_<kind>-<setting>NNN)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as a pencil's, a biro's or a marker's strokes and kept only as the
fourth to thirteenth sets keep them (15 nearest MNIST *training* digits share the label,
ink in one piece, loops kept, an 8 with both loops, a 2 with none), or glyphs of Debian
fonts that no other script reads: `scripts/fetch-heldout-fonts.sh --set 14` unpacks
Croscore (Arimo, Tinos) and Gentium Plus into build/heldout14-fonts without installing
them, so that the stress suite's and test photos' font search never finds them. None of
their 0s is slashed or dotted, and none has old-style figures (Vollkorn, which has, was
left out after a sheet of its digits).

File names (the label first: a digit, `n<number>_` for a number, `x` for a non-digit),
PNGs for small photos, OUT/heldout.txt (no training or tuning script may read these
families; whoever tunes the reader reads only the table) and one seed making the same
bytes, whichever families are asked for: as in scripts/make-heldout-set13.py, whose
helpers this script calls. The scenes are painted by scripts/lib/heldout_scenes14.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from heldout_render import H, load_script  # noqa: E402
from heldout_scenes6 import paths_cov, pen_redraw, pick, text_cov  # noqa: E402
from heldout_scenes7 import doodle_paths, row_of  # noqa: E402
from heldout_scenes9 import arrow_cov  # noqa: E402
from heldout_scenes14 import exercise_photo, raffle_photo, room_photo, stamp_photo, station_photo  # noqa: E402

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("margin-answer", "raffle-ticket", "station-sign", "postage-stamp", "room-sign", "marks-wild14")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 14` unpacks, by path
# below the unpacked tree's usr/share/fonts (grep scripts/: no other script names them).
CROS, GENT = "truetype/croscore/", "truetype/gentiumplus/"
SHEET_FONTS = [CROS + "Tinos-Regular.ttf", GENT + "GentiumPlus-Regular.ttf", GENT + "GentiumBookPlus-Regular.ttf",
               CROS + "Arimo-Regular.ttf"]
TICKET_FONTS = [CROS + "Arimo-Bold.ttf", GENT + "GentiumBookPlus-Bold.ttf", CROS + "Tinos-Bold.ttf"]
SIGN_FONTS = [CROS + "Arimo-Bold.ttf", CROS + "Arimo-Regular.ttf"]
STAMP_FONTS = [GENT + "GentiumBookPlus-Bold.ttf", GENT + "GentiumPlus-Bold.ttf", CROS + "Tinos-Bold.ttf",
               CROS + "Arimo-Bold.ttf"]
ROOM_FONTS = [CROS + "Arimo-Regular.ttf", CROS + "Arimo-Bold.ttf", CROS + "Tinos-Bold.ttf",
              GENT + "GentiumBookPlus-Bold.ttf"]
ALL_FONTS = sorted(set(SHEET_FONTS + TICKET_FONTS + SIGN_FONTS + STAMP_FONTS + ROOM_FONTS))

SET13 = load_script("heldout_set13", "make-heldout-set13.py")
SET3, SET4 = SET13.SET3, SET13.SET4
handwritten, make_image = SET13.handwritten, SET13.make_image
TASK_WORDS = SET13.BOOK_WORDS  # a book's words, of letters nobody reads as a digit

# Words of letters nobody reads as a digit (lower case: no b, g, i, l, o, q, s, z either).
TITLES = ("Part A", "Warm up", "Part C", "Year Ten", "Revenue", "Part E: whenever")
TICKET_HEADS = ("RAFFLE", "TEA PARTY", "MAY FAYRE", "CHURCH FETE", "PTA RAFFLE")
TICKET_LINES = ("Tea Party", "May Fayre", "Church Fete", "Entry", "Happy New Year", "Enter here")
TOWNS = ("Newmarket", "Peterhead", "Wrexham", "Crewe", "Hythe", "Frankfurt", "Kew", "Paddenham", "Varnhem",
         "Market Harwen", "Hexham", "Anwen Park")
SIGN_HEADS = ("Next departure", "Track", "Return", "Next departure, Track", "Far end")
COUNTRIES = ("KENYA", "PERU", "MALTA", "NEPAL", "FRANCE", "NAURU", "TUVALU", "PANAMA", "YEMEN")
ADDRESS = ("Mr Tam Hearn", "Anna Pearce", "Fern Avenue", "Market Way", "Kew", "Newmarket", "Peter Wyatt",
           "The Arcade", "Hexham")
NAMES = ("Anna Hart", "Mark Newman", "Kate Warner", "Emma Carter", "Ruth Fenner", "Peter Nyman", "Head Teacher",
         "Lecture Theatre", "Caretaker", "Matthew Carter")
LETTERS = "ACEFHKMNPRTUVWXY"
for w in TITLES + TICKET_HEADS + TICKET_LINES + TOWNS + SIGN_HEADS + COUNTRIES + ADDRESS + NAMES:
    assert set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS + ",.: "), w
assert set(LETTERS) <= set(H.NOT_DIGIT_LIKE_LETTERS)
SETTINGS = ("sheet", "ticket", "sign", "stamp", "room")
MARKS = {"sheet": ("letter", "star"), "ticket": ("initials", "heart"), "sign": ("letter", "arrow"),
         "stamp": ("letter", "blank"), "room": ("letter", "word", "arrow")}
PEN_W = {"pencil": (0.035, 0.055), "biro": (0.035, 0.055), "marker": (0.08, 0.11)}  # of the digit's height


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops, a 2 none (looped at its bottom it reads as an "a")."""
    families, order_key = FAMILIES, 14
    loops = dict(SET4.LOOPS, **{"8": (2, 2), "2": (0, 0)})
    passed_over = frozenset()


def written(src, family, digits, rng, tool):
    """digits written by hand: MNIST digits side by side, a little apart."""
    return row_of([handwritten(src, family, d, rng, PEN_W[tool])[0] for d in digits], rng.uniform(0.05, 0.2))


def hand_letters(src, rng, text, width):
    """Letters written by hand: a font's letters redrawn with a pen of `width` px at 300 px."""
    cov = text_cov(text, src.font(pick(rng, SIGN_FONTS)), 300)
    return H.crop_to_ink(pen_redraw(np.pad(cov, 20), width))


def sheet_scene(src, rng, cov, tool):
    font = src.font(pick(rng, SHEET_FONTS))
    return exercise_photo(cov, text_cov(pick(rng, TITLES), font, 120), font, TASK_WORDS, rng, tool)


def ticket_scene(src, rng, cov, tool):
    font = src.font(pick(rng, TICKET_FONTS))
    lines = rng.permutation(len(TICKET_LINES))[:int(rng.integers(1, 3))]
    words = [text_cov(pick(rng, TICKET_HEADS), font, 160)] + [text_cov(TICKET_LINES[k], font, 160) for k in lines]
    return raffle_photo(cov, words, rng, tool)


def sign_scene(src, rng, cov, kind):
    font = src.font(pick(rng, SIGN_FONTS))
    towns = rng.permutation(len(TOWNS))[:int(rng.integers(1, 3))]
    words = [text_cov(pick(rng, SIGN_HEADS), font, 160)] + [text_cov(TOWNS[k], font, 160) for k in towns]
    return station_photo(cov, words, rng, kind)


def stamp_scene(src, rng, cov, kind):
    font = src.font(pick(rng, STAMP_FONTS))
    address = [text_cov(pick(rng, ADDRESS), src.font(SHEET_FONTS[0]), 120) for _ in range(3)]
    return stamp_photo(cov, text_cov(pick(rng, COUNTRIES), font, 160), rng, kind, address)


def room_scene(src, rng, cov, kind):
    font = src.font(pick(rng, ROOM_FONTS))
    names = [text_cov(NAMES[k], font, 120) for k in rng.permutation(len(NAMES))[:int(rng.integers(1, 3))]]
    return room_photo(cov, names, rng, kind)


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    if setting in ("sheet", "ticket"):
        tool = pick(rng, ("pencil", "biro") if setting == "sheet" else ("biro", "marker"))
        width = 16 if tool != "marker" else 28
        if kind in ("star", "heart"):
            cov = H.crop_to_ink(paths_cov(doodle_paths(kind, rng), 300, width))
        else:
            text = pick(rng, LETTERS) if kind == "letter" else pick(rng, LETTERS) + pick(rng, LETTERS)
            cov = hand_letters(src, rng, text, width)
        return (sheet_scene if setting == "sheet" else ticket_scene)(src, rng, cov, tool)
    if kind == "arrow":
        cov = H.crop_to_ink(np.rot90(arrow_cov(rng), int(rng.integers(0, 4))).copy())
    elif kind == "letter":
        cov = text_cov(pick(rng, LETTERS), src.font(pick(rng, SIGN_FONTS)), 300)
    elif kind == "word":
        cov = text_cov(pick(rng, ("Tea", "Key", "Meet", "Art", "Men")), src.font(pick(rng, ROOM_FONTS)), 300)
    else:  # a stamp with no value
        cov = np.zeros((8, 8), np.float32)
    if setting == "sign":
        return sign_scene(src, rng, cov, pick(rng, ("navy", "green", "white")))
    if setting == "stamp":
        return stamp_scene(src, rng, cov, pick(rng, ("mint", "used")))
    return room_scene(src, rng, cov, pick(rng, ("white", "grey", "blue")))


def digit_photo(family, digits, rng, src):
    """A digit family's picture of `digits`, and its tag (make_image names the file)."""
    if family == "margin-answer":
        tag = pick(rng, ("pencil", "biro"))
        return sheet_scene(src, rng, written(src, family, digits, rng, tag), tag), tag
    if family == "raffle-ticket":
        tag = pick(rng, ("biro", "marker"))
        return ticket_scene(src, rng, written(src, family, digits, rng, tag), tag), tag
    if family == "station-sign":
        tag = pick(rng, ("navy", "green", "white"))
        return sign_scene(src, rng, text_cov(digits, src.font(pick(rng, SIGN_FONTS)), 300), tag), tag
    if family == "postage-stamp":
        tag = pick(rng, ("mint", "used"))
        return stamp_scene(src, rng, text_cov(digits, src.font(pick(rng, STAMP_FONTS)), 300), tag), tag
    tag = pick(rng, ("white", "grey", "blue"))  # room-sign
    return room_scene(src, rng, text_cov(digits, src.font(pick(rng, ROOM_FONTS)), 300), tag), tag


def make_one(family, k, rng, src, folder):
    return make_image(family, k, rng, src, folder, ("marks-wild14", SETTINGS, MARKS, mark_scene), digit_photo)


def main():
    return SET3.make_set("make-heldout-set14", __doc__, 141, FAMILIES, ALL_FONTS, 14, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
