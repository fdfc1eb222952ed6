#!/usr/bin/python3
"""Makes a tenth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to ninth
held-out generators, made to measure the reader once, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set10.py OUT [--per-family 60] [--seed 101]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  ink-stamp        one digit (or a 2-4 digit number, a third of the family) pressed with
                   a rubber stamp in red, blue, violet or black ink on an envelope, a
                   printed form or kraft paper: patchy ink (faint where the stamp did not
                   press, a darker rim), turned up to 15 degrees (a 1 at most 4 clockwise:
                   its flag would lie flat as a 7's bar), a thin stamped rectangle or circle
                   round it two times in five; scanned (the scanner's lid round the sheet)
                   or photographed on a desk (label: the digit, or n<number>_)
  fax-scan         one handwritten digit (a felt pen's) on a faxed page: sent at 100-200
                   dpi, skewed up to 2.5 degrees, thresholded or ordered-dithered to 1 bit
                   (a grey page, dithered), streaks along the scan (dirt on the glass,
                   lost rows), a header line of small text at the top (letters only), a
                   rule under it and a page border now and then; the whole page or its top
                   half, scaled (crisp PNG, or smoothed JPEG)
  yarn-digit       one digit laid out with yarn, string or rope (a thick round stroke, its
                   plies twisting, fibres at its edge, a soft shadow, the cut ends frayed
                   and sticking out a little past the stroke's ends) on a table, a carpet
                   or a bedsheet, photographed from above at a slight angle
  frost-finger     one digit traced with a finger in frost or condensation on a car's
                   window (its body and seal at one edge) or a house's (its frame): the
                   trace clear, its edge ragged and piled up, the street behind the glass
                   showing through blurred, by day or by night; water running down from
                   the trace in condensation now and then
  barcode-label    a 2-8 digit number (one digit a fifth of the time) printed right under
                   or beside a barcode on a product's or a shelf's label, a line or two of
                   small text above (letters only), photographed at an angle (label: the
                   digit, or n<number>_)
  marks-wild10     non-digits in those five settings: a stamped star, PAID or check mark;
                   a faxed logo or signature; yarn in a loop, a knot, a heart or a spiral; a
                   smiley, a heart or an arrow in frost; a barcode without digits or with
                   letters only (label: x_)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as a felt pen's, a yarn's or a fingertip's strokes and kept only as
the fourth to ninth sets keep them (15 nearest MNIST *training* digits share the label,
ink in one piece, loops kept, an 8 with both loops), or glyphs of Debian fonts that no
other script reads: `scripts/fetch-heldout-fonts.sh --set 10` unpacks GNU Typewriter,
ParaType (PT Sans, PT Serif, PT Mono), Clear Sans and Roboto into build/heldout10-fonts
without installing them, so that the stress suite's and test photos' font search never
finds them. No 0 of them that draws a digit is slashed or dotted (seen on a sheet of
their digits; PT Mono's is, and it writes only the fax headers, which have no digits).

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them. The families are added to
OUT/heldout.txt: no training or tuning script may read them, and whoever tunes the
reader reads only the table. The same seed, MNIST files and fonts give the same set,
and a family's images do not depend on which other families are made. The scenes are
painted by scripts/lib/heldout_scenes10.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import H, load_script  # noqa: E402
from heldout_scenes6 import paths_cov, pick, shaky, text_cov  # noqa: E402
from heldout_scenes7 import arrow_paths, doodle_paths, logo_paths  # noqa: E402
from heldout_scenes8 import face_paths  # noqa: E402
from heldout_scenes10 import (STAMP_INKS, barcode_photo, check_paths, fax_photo, frost_photo,  # noqa: E402
                              signature_paths, stamp_border, stamp_photo, star_cov, yarn_photo, yarn_shape_paths)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("ink-stamp", "fax-scan", "yarn-digit", "frost-finger", "barcode-label", "marks-wild10")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 10` unpacks, by path
# below the unpacked tree (grep scripts/: no other script names them).
STAMP_FONTS = ["truetype/gnutypewriter/GNUTypewriter.ttf", "truetype/paratype/PTF75F.ttf",
               "truetype/paratype/PTS75F.ttf", "truetype/paratype/PTC75F.ttf", "truetype/clear-sans/ClearSans-Bold.ttf",
               "truetype/roboto/unhinted/RobotoTTF/Roboto-Black.ttf"]
LABEL_FONTS = ["truetype/roboto/unhinted/RobotoCondensed-Regular.ttf",
               "truetype/roboto/unhinted/RobotoCondensed-Medium.ttf", "truetype/clear-sans/ClearSans-Regular.ttf",
               "truetype/paratype/PTN57F.ttf", "truetype/paratype/PTS55F.ttf",
               "truetype/roboto/unhinted/RobotoTTF/Roboto-Regular.ttf"]
HEADER_FONTS = ["truetype/paratype/PTM55F.ttf", "truetype/paratype/PTN57F.ttf",
                "truetype/clear-sans/ClearSans-Regular.ttf"]
ALL_FONTS = sorted(set(STAMP_FONTS + LABEL_FONTS + HEADER_FONTS))

SET3 = load_script("heldout_set3", "make-heldout-set3.py")
SET4 = load_script("heldout_set4", "make-heldout-set4.py")
SET8 = load_script("heldout_set8", "make-heldout-set8.py")
SET9 = load_script("heldout_set9", "make-heldout-set9.py")
number, save, digits_name = SET8.number, SET8.save, SET9.digits_name

# Words of letters nobody reads as a digit (no B, D, G, I, O, Q, S, Z): fax headers, labels.
HEADER_WORDS = ("FAX", "FRANK", "HUNTER", "KATE", "MARY", "REPLY", "ACME", "TEAM", "PAYMENT", "LETTER", "AFTER",
                "LUNCH", "MERCY", "TRAVEL", "HEALTH", "CLERK", "PLANT", "PAPER", "NEXT", "CENTRAL", "NUMMER", "URKA")
PRODUCTS = ("PECAN", "CREAM", "TEA", "PLUM", "PEAR", "KALE", "NECTAR", "TUNA", "RYE", "CRACKER", "FRUKT",
            "MANUKA", "HAM", "FLAN", "LEMMA", "YAM", "CARAMEL", "MELT", "PUREE", "TRAY", "FLUFFY", "MUFFEN")
LETTERS = "ACEFHKLMNPRTUVWXY"
assert all(set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS) for w in HEADER_WORDS + PRODUCTS + (LETTERS,))
SETTINGS = ("stamp", "fax", "yarn", "frost", "barcode")
MARKS = {"stamp": ("star", "paid", "check"), "fax": ("logo", "signature"), "yarn": ("loop", "knot", "heart", "spiral"),
         "frost": ("smiley", "heart", "arrow"), "barcode": ("bars", "letters")}
YARN_WIDTHS = {"string": (0.04, 0.055), "yarn": (0.065, 0.085), "rope": (0.09, 0.12)}
FINGER = (0.1, 0.15)  # a fingertip's trace, of the digit's height
FELT = (0.07, 0.11)  # a felt pen faxed


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops."""
    families, order_key = FAMILIES, 10
    loops = dict(SET4.LOOPS, **{"8": (2, 2)})
    # Seen on the contact sheets and passed over: a 1 with a long hook (read as a 7), a
    # 2 whose top is a small hook over a long base (read as a 1 on a stand).
    passed_over = frozenset({7556, 8031})


def handwritten(src, family, label, rng, width):
    """An MNIST test digit's strokes, 300 px tall, `width` (a range, of the height) wide
    (checked with a pen at least 0.08 wide, as wide as the MNIST digits it is compared with)."""
    pen = rng.uniform(*width)
    return src.strokes(family, label, rng, 300, max(0.08, pen), pen if pen < 0.08 else None), pen


def words(rng, pool, count):
    return " ".join(pick(rng, pool) for _ in range(count))


def header_cov(src, rng):
    """A fax header's small text: who from, to whom, letters only."""
    text = "   ".join(words(rng, HEADER_WORDS, int(rng.integers(1, 3))) for _ in range(int(rng.integers(2, 4))))
    return text_cov(text, src.font(pick(rng, HEADER_FONTS)), 120)


def label_words(src, rng):
    font = src.font(pick(rng, LABEL_FONTS))
    return [text_cov(words(rng, PRODUCTS, int(rng.integers(1, 3))), font, 120) for _ in range(int(rng.integers(1, 3)))]


def stamped(src, rng, cov):
    """cov with the stamp's thin border round it two times in five."""
    return stamp_border(cov, rng) if rng.random() < 0.4 else cov


def stamp_scene(cov, rng, turn=(-15, 15)):
    scanned = rng.random() < 0.4
    img = stamp_photo(cov, rng, pick(rng, ("envelope", "form", "kraft")), pick(rng, tuple(STAMP_INKS)), scanned,
                      turn)
    return img, "scan" if scanned else "photo"


def frost_scene(cov, width, rng):
    kind = pick(rng, ("frost", "mist"))
    return frost_photo(cov, width, rng, kind, pick(rng, ("car", "window"))), kind


def yarn_scene(cov_of, rng):
    """cov_of(width range) -> (coverage, width of its height)."""
    kind = pick(rng, tuple(YARN_WIDTHS))
    cov, width = cov_of(YARN_WIDTHS[kind])
    return yarn_photo(cov, width, rng, kind, pick(rng, ("table", "carpet", "bedsheet"))), kind


def drawn(paths, rng, width, size=300):
    """Paths in the unit square drawn by hand, `width` (of size) wide: a coverage map and
    its stroke's width as a fraction of its height."""
    cov = paths_cov(shaky(paths, rng, 0.006), size, width * size)
    return cov, width * size / cov.shape[0]


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB (grey for a fax),
    and whether it is saved as a PNG."""
    if setting == "stamp":
        if kind == "star":
            cov = star_cov()
        elif kind == "paid":
            cov = text_cov("PAID", src.font(pick(rng, STAMP_FONTS)), 300)
        else:
            cov, _ = drawn(check_paths(rng), rng, 0.1)
        return stamp_scene(stamped(src, rng, cov), rng)[0], False
    if setting == "fax":
        paths = logo_paths(rng) if kind == "logo" else signature_paths(rng)
        cov, _ = drawn(paths, rng, rng.uniform(0.03, 0.05) if kind == "signature" else rng.uniform(*FELT))
        return fax_photo(cov, header_cov(src, rng), rng, rng.random() < 0.4)
    if setting == "yarn":
        return yarn_scene(lambda width: drawn(yarn_shape_paths(kind, rng), rng, rng.uniform(*width)), rng)[0], False
    if setting == "frost":
        paths = {"smiley": face_paths, "heart": lambda r: doodle_paths("heart", r), "arrow": arrow_paths}[kind](rng)
        cov, width = drawn(paths, rng, rng.uniform(*FINGER))
        return frost_scene(cov, width * cov.shape[0], rng)[0], False
    letters = None
    if kind == "letters":
        text = "".join(rng.choice(list(LETTERS), size=int(rng.integers(3, 7))))
        letters = text_cov(text, src.font(pick(rng, LABEL_FONTS)), 300)
    return barcode_photo(letters, label_words(src, rng), rng, pick(rng, ("product", "shelf"))), False


def make_one(family, k, rng, src, folder):
    stem = os.path.join(folder, "")
    quality = int(rng.integers(72, 95))
    if family == "marks-wild10":  # each setting's kinds in turn
        setting = SETTINGS[k % len(SETTINGS)]
        kind = MARKS[setting][(k // len(SETTINGS)) % len(MARKS[setting])]
        img, png = mark_scene(setting, kind, rng, src)
        save(img, f"{stem}x_{kind}-{setting}{k:03d}." + ("png" if png else "jpg"), quality)
        return
    if family == "ink-stamp":
        single = k % 3 != 2  # a third of the family are numbers
        digits = str(((k // 3) * 2 + k % 3) % 10) if single else number(rng, 2, 4)
        # A 1 turned clockwise lays its flag flat, as a 7's bar.
        turn = (-4, 15) if "1" in digits else (-15, 15)
        img, tag = stamp_scene(stamped(src, rng, text_cov(digits, src.font(pick(rng, STAMP_FONTS)), 300)), rng, turn)
        save(img, f"{stem}{digits_name(digits)}_{tag}{k:03d}.jpg", quality)
        return
    if family == "barcode-label":
        digits = str((k // 5) % 10) if k % 5 == 0 else number(rng, 2, 8)
        where = pick(rng, ("product", "shelf"))
        img = barcode_photo(text_cov(digits, src.font(pick(rng, LABEL_FONTS)), 300), label_words(src, rng), rng,
                            where)
        save(img, f"{stem}{digits_name(digits)}_{where}{k:03d}.jpg", quality)
        return
    label = str(k % 10)
    if family == "fax-scan":
        dither = rng.random() < 0.4
        cov, _ = handwritten(src, family, label, rng, FELT)
        img, png = fax_photo(cov, header_cov(src, rng), rng, dither)
        save(img, f"{stem}{label}_{'dither' if dither else 'fax'}{k:03d}." + ("png" if png else "jpg"), quality)
        return
    if family == "yarn-digit":
        img, tag = yarn_scene(lambda width: handwritten(src, family, label, rng, width), rng)
    else:  # frost-finger
        cov, width = handwritten(src, family, label, rng, FINGER)
        img, tag = frost_scene(cov, width * cov.shape[0], rng)
    save(img, f"{stem}{label}_{tag}{k:03d}.jpg", quality)


def main():
    return SET3.make_set("make-heldout-set10", __doc__, 101, FAMILIES, ALL_FONTS, 10, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
