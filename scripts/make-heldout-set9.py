#!/usr/bin/python3
"""Makes a ninth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to eighth
held-out generators, made to measure the reader once, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set9.py OUT [--per-family 60] [--seed 91]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  fridge-magnet    one coloured plastic digit magnet (cast in a font's digit: rounded,
                   glossy, a soft shadow) on a fridge door (white, brushed steel,
                   cream), 2-5 plastic letter magnets placed apart round it (letters
                   nobody reads as a digit: A C E F H K M N P R T U V W X Y), a photo or
                   a note held by a round magnet at the door's edge two times in five
  road-marking     a 1-3 digit number painted white or yellow on asphalt (a parking
                   bay's lines beside it, or a lane's edge), stretched along the road as
                   road paint is, worn, tar seams and cracks, seen from standing height
                   (the ground tilted 45-68 degrees) (label: the digit, or n<number>_)
  pixel-game       a score (top right) or a level number (in the middle) in a blocky
                   arcade font drawn for this set (7x7 or 7x9 pixels, strokes two wide,
                   scaled up by an integer) on a game's screen: sky, tiled ground, clouds, sprites, a row
                   of hearts; a crisp PNG screenshot (or a crop of one) or a photo of
                   the monitor (label: the digit, or n<number>_ for 2-6 digits)
  pyrography       one digit burned into light wood (dark brown strokes, a scorched
                   halo, the grain running through), on a board or a slice of log with
                   its rings and bark, lying on a table or grass
  napkin-pen       one digit in ballpoint or felt pen on a paper napkin (an embossed
                   quilted or dotted pattern, its folds, the ink bleeding into the
                   fibres) on a café table, a cup and saucer at the edge now and then
  marks-wild9      non-digits in those five settings: letter magnets alone, a painted
                   arrow or a road word (BUS, STOP, SLOW, BIKE), pixel hearts, gems and
                   sprites, a burned star, heart or initials, a doodled heart, star or smiley
                   on a napkin (label: x_)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as ballpoint or felt-pen strokes (a burning tip as wide as a felt
pen) and kept only as the fourth to eighth sets keep them (15 nearest MNIST *training*
digits share the label, ink in one piece, loops kept, an 8 with both loops), the pixel
font's digits, or glyphs of Debian fonts that no other script reads:
`scripts/fetch-heldout-fonts.sh --set 9` unpacks Gillius ADF, Switzera ADF, Universalis
ADF and Inter into build/heldout9-fonts without installing them, so that the stress
suite's and test photos' font search never finds them. No 0 of them is slashed or dotted
(seen on a sheet of their digits).

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them. The families are added to
OUT/heldout.txt: no training or tuning script may read them, and whoever tunes the
reader reads only the table. The same seed, MNIST files and fonts give the same set,
and a family's images do not depend on which other families are made. The scenes are
painted by scripts/lib/heldout_scenes9.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import load_script  # noqa: E402
from heldout_scenes6 import paths_cov, pick, shaky, text_cov  # noqa: E402
from heldout_scenes7 import doodle_cov  # noqa: E402
from heldout_scenes8 import face_paths  # noqa: E402
from heldout_scenes9 import (SPRITES, arrow_cov, bitmap, fridge_photo, napkin_photo, pixel_photo,  # noqa: E402
                             pixel_text, pyro_photo, road_photo)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("fridge-magnet", "road-marking", "pixel-game", "pyrography", "napkin-pen", "marks-wild9")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 9` unpacks, by path
# below the unpacked tree (grep scripts/: no other script names them).
MAGNET_FONTS = ["truetype/adf/GilliusADF-Bold.otf", "truetype/adf/GilliusADFNo2-Bold.otf",
                "opentype/inter/Inter-Black.otf", "opentype/inter/Inter-ExtraBold.otf",
                "truetype/adf/SwitzeraADF-ExtraBold.otf"]
ROAD_FONTS = ["truetype/adf/SwitzeraADF-BoldCond.otf", "truetype/adf/UniversalisADFStd-BoldCond.otf",
              "truetype/adf/GilliusADF-BoldCond.otf", "truetype/adf/UniversalisADFStd-Bold.otf"]
BURN_FONTS = ["truetype/adf/GilliusADF-Regular.otf", "truetype/adf/UniversalisADFStd-Regular.otf",
              "opentype/inter/Inter-Medium.otf"]
ALL_FONTS = sorted(set(MAGNET_FONTS + ROAD_FONTS + BURN_FONTS))

SET3 = load_script("heldout_set3", "make-heldout-set3.py")
SET4 = load_script("heldout_set4", "make-heldout-set4.py")
SET8 = load_script("heldout_set8", "make-heldout-set8.py")
glyph, handwritten, number, save = SET8.glyph, SET8.handwritten, SET8.number, SET8.save

LETTERS = "ACEFHKMNPRTUVWXY"  # capitals nobody reads as a digit
ROAD_WORDS = ("BUS", "STOP", "SLOW", "BIKE")
SETTINGS = ("fridge", "road", "pixel", "pyro", "napkin")
MARKS = {"fridge": ("letters",), "road": ("arrow", "word"), "pixel": ("heart", "gem", "hero", "slime", "star", "tree"),
         "pyro": ("star", "heart", "initials"), "napkin": ("heart", "face", "star")}


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops."""
    families, order_key = FAMILIES, 9
    loops = dict(SET4.LOOPS, **{"8": (2, 2)})


def letter_covs(rng, src, font, count):
    """count letter magnets' shapes, different letters, in the digit magnet's font."""
    return [text_cov(c, font, 300) for c in rng.choice(list(LETTERS), size=count, replace=False)]


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB, and whether it is
    a screenshot (saved as PNG)."""
    if setting == "fridge":
        return fridge_photo(None, letter_covs(rng, src, src.font(pick(rng, MAGNET_FONTS)), int(rng.integers(2, 6))),
                            rng), False
    if setting == "road":
        cov = arrow_cov(rng) if kind == "arrow" else glyph(src, rng, pick(rng, ROAD_WORDS), ROAD_FONTS)
        return road_photo(cov, rng), False
    if setting == "pixel":
        return pixel_photo(bitmap(SPRITES[kind]), rng)
    width = 16 if setting == "pyro" else pick(rng, (11, 20))
    if kind == "initials":
        cov = glyph(src, rng, "".join(rng.choice(list(LETTERS), size=2)), BURN_FONTS)
    elif kind == "face":
        cov = paths_cov(shaky(face_paths(rng), rng, 0.004), 260, width)
    else:
        cov = doodle_cov(kind, rng, width)
    if setting == "pyro":
        return pyro_photo(cov, rng), False
    return napkin_photo(cov, rng, "felt" if width > 15 else "ballpoint"), False


def mark_kind(k):
    """The k-th mark's setting and kind (of MARKS), each setting's kinds in turn."""
    setting = SETTINGS[k % len(SETTINGS)]
    kinds = MARKS[setting]
    return setting, kinds[(k // len(SETTINGS)) % len(kinds)]


def digits_name(digits):
    return digits if len(digits) == 1 else f"n{digits}"


def make_one(family, k, rng, src, folder):
    stem = os.path.join(folder, "")
    quality = int(rng.integers(72, 95))
    if family == "marks-wild9":
        setting, kind = mark_kind(k)
        img, shot = mark_scene(setting, kind, rng, src)
        save(img, f"{stem}x_{kind}-{setting}{k:03d}." + ("png" if shot else "jpg"), quality)
        return
    if family == "road-marking":
        digits = str((k // 2) % 10) if k % 2 == 0 else number(rng, 2, 3)
        img = road_photo(glyph(src, rng, digits, ROAD_FONTS), rng)
        save(img, f"{stem}{digits_name(digits)}_road{k:03d}.jpg", quality)
        return
    if family == "pixel-game":
        digits = str((k // 2) % 10) if k % 2 == 0 else number(rng, 2, 6)
        tall = rng.random() < 0.4
        img, shot = pixel_photo(pixel_text(digits, tall), rng)
        tag = ("tall" if tall else "block") + ("-shot" if shot else "-photo")
        save(img, f"{stem}{digits_name(digits)}_{tag}{k:03d}." + ("png" if shot else "jpg"), quality)
        return
    label = str(k % 10)
    if family == "fridge-magnet":
        font = src.font(pick(rng, MAGNET_FONTS))
        img = fridge_photo(text_cov(label, font, 300), letter_covs(rng, src, font, int(rng.integers(2, 6))), rng)
        tag = "magnet"
    elif family == "pyrography":
        tag = "print" if rng.random() < 0.25 else "burn"
        # A hot tip draws as wide as a felt pen.
        cov = glyph(src, rng, label, BURN_FONTS) if tag == "print" else handwritten(src, family, label, rng, "felt")
        img = pyro_photo(cov, rng)
    else:  # napkin-pen
        tag = pick(rng, ("ballpoint", "felt"))
        img = napkin_photo(handwritten(src, family, label, rng, tag), rng, tag)
    save(img, f"{stem}{label}_{tag}{k:03d}.jpg", quality)


def main():
    return SET3.make_set("make-heldout-set9", __doc__, 91, FAMILIES, ALL_FONTS, 9, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
