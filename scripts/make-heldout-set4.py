#!/usr/bin/python3
"""Makes a fourth set of held-out evaluation families (issue 21, item 5), blind: kinds
of input unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py) and first to third held-out generators,
made to measure the reader once, at the end, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set4.py OUT [--per-family 60] [--seed 41]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  sticky-note    one digit in marker on a coloured sticky note (its free end curling
                 up) stuck over a monitor's screen edge, on a fridge door among magnets
                 or on a cork board among blank notes and push pins; 320 px to 12 MP
  fogged-glass   one digit wiped with a fingertip in the fog on a window or a
                 bathroom mirror: the strokes show the street (at night, its lights)
                 or the room behind, sharper than through the fog; droplets at the
                 strokes' edges, sometimes drips running down; 320 px to 12 MP
  race-bib       a 2-5 digit number printed large on a runner's bib pinned to the
                 shirt with four safety pins, the event's name in a band above and a
                 sponsor's word below, creased and curved over the chest, a street or
                 park behind, sometimes motion blur (label: n<number>_); 400 px to 12 MP
  neon-sign      one digit lit at night on a brick, board or concrete wall: a neon
                 tube bent along a font's or a hand's strokes, a face-lit sign letter,
                 or a dark letter lit from behind (its halo on the wall); bloom,
                 halation, night noise; 240 px to 12 MP
  tile-number    one digit painted on a glazed ceramic house-number tile (painted
                 border lines, corner flowers, a band of dots or leaves, sometimes a
                 painted shadow; bevelled edges, the shine of a window on the glaze)
                 set in mortar in a rendered wall, leaves of a climbing plant, sun and
                 shade; 320 px to 12 MP
  marks-wild4    non-digits in those five settings: words, doodles (hearts, stars,
                 arrows, flowers, clouds), faces and scribbles on sticky notes and in
                 fog, a bib with a name instead of a number, neon words and symbols,
                 tiles with a flower or a letter only (label: x_)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own) redrawn as
marker, fingertip or neon strokes, kept only when their 15 nearest MNIST *training*
digits share the label (scripts/make-heldout-set3.py's ReadableCheck; that set asks 5),
their ink is in one piece (two for a 4, 5 or 7) and they keep every loop of the MNIST
digit and show as many as the digit has (one for a 0, 6 or 9, one or two for an 8,
none for a 1, 3, 5 or 7), or glyphs (not Bajaderka's 6) of
Debian fonts that no other script reads: `scripts/fetch-heldout-fonts.sh --set 4`
unpacks Leckerli One (marker), Bebas Neue, National Park and Roadgeek (bibs),
Comfortaa, Quicksand and Bajaderka (neon), Linux Libertine and Biolinum and Averia
Serif (tiles) into build/heldout4-fonts without installing them, so that the stress
suite's and test photos' font search never finds them.

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them. The families are added to
OUT/heldout.txt: no training or tuning script may read them, and whoever tunes the
reader reads only the table. The same seed, MNIST files and fonts give the same set,
and a family's images do not depend on which other families are made. The scenes are
painted by scripts/lib/heldout_scenes4.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import H, glyphs, hand_warp, load_script, save, save_small, skeleton_strokes, to_height  # noqa
from heldout_scenes3 import choice, stroke_cov, wobble  # noqa: E402
from heldout_scenes4 import (bib_photo, flower, fog_photo, neon_photo, sticky_photo,  # noqa: E402
                             tile_photo)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("sticky-note", "fogged-glass", "race-bib", "neon-sign", "tile-number", "marks-wild4")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 4` unpacks, by path
# below the unpacked tree (grep scripts/: no other script names them).
MARKER_FONTS = ["truetype/leckerli-one/LeckerliOne-Regular.ttf"]
BIB_FONTS = ["opentype/bebas-neue/BebasNeue-Bold.otf", "opentype/bebas-neue/BebasNeue-Regular.otf",
             "opentype/national-park/NationalPark-Heavy.otf", "truetype/roadgeek/RG2014D.ttf",
             "truetype/roadgeek/RG2014EEM.ttf", "truetype/roadgeek/RG2014C.ttf"]
# Thin, even strokes: a neon tube's.
NEON_FONTS = ["truetype/comfortaa/Comfortaa-Light.ttf", "truetype/comfortaa/Comfortaa-Regular.ttf",
              "truetype/quicksand/Quicksand-Light.ttf", "truetype/quicksand/Quicksand-Regular.ttf",
              "opentype/bajaderka/Bajaderka-Regular.otf"]
LIT_FONTS = ["truetype/comfortaa/Comfortaa-Bold.ttf", "truetype/quicksand/Quicksand-Bold.ttf",
             "opentype/national-park/NationalPark-Heavy.otf", "opentype/linux-libertine/LinBiolinum_RB.otf"]
TILE_FONTS = ["opentype/linux-libertine/LinLibertine_RB.otf", "opentype/linux-libertine/LinLibertine_R.otf",
              "opentype/linux-libertine/LinBiolinum_RB.otf", "truetype/averia-gwf/AveriaSerifGWF-Bold.ttf",
              "truetype/averia-gwf/AveriaSerifGWF-Regular.ttf", "opentype/bajaderka/Bajaderka-Regular.otf"]
# Bajaderka's 6, whose loop fills it like a slanted 0, is not drawn.
NOT_FOR = {"6": "opentype/bajaderka/Bajaderka-Regular.otf"}
ALL_FONTS = sorted(set(MARKER_FONTS + BIB_FONTS + NEON_FONTS + LIT_FONTS + TILE_FONTS))

# ReadableCheck, the words and names of letters no one writes like a digit, the faces and
# doodles come from the third set; the --families check, MNIST files and heldout.txt
# from the first.
SET1 = load_script("heldout_set", "make-heldout-set.py")
SET3 = load_script("heldout_set3", "make-heldout-set3.py")
CAPITALS = set(c for c in H.NOT_DIGIT_LIKE_LETTERS if c.isupper()) | {" "}
BIB_NAMES = tuple(n.upper() for n in SET3.NAMES if set(n.upper()) <= CAPITALS)
EVENTS = ("RUN", "FUN RUN", "RACE", "HALF", "PARK RUN", "NEW YEAR RUN", "TEAM RED", "ELK RUN", "FALL RACE",
          "WAVE A", "TRACK", "CAPE RUN")
SPONSORS = ("PEAK", "ACME", "KRAFT", "HYPER", "MAX", "NEXA", "VERA", "AMPLE", "TREK", "YAK")
WORDS = tuple(w for w in SET3.WORDS if set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS))  # not FYI: its I
NEON_WORDS = tuple(w for w in WORDS if len(w) <= 5)
SETTINGS = ("sticky", "fog", "bib", "neon", "tile")
MARKS = {"sticky": ("word", "doodle", "face", "scribble"), "fog": ("doodle", "word", "face", "scribble"),
         "bib": ("name",), "neon": ("word", "doodle"), "tile": ("flower", "letter", "doodle")}
DOODLES = {"sticky": ("heart", "star", "flower", "cloud", "house", "sun"), "fog": ("heart", "arrow", "star", "sun"),
           "neon": ("heart", "star", "arrow", "cloud", "crown"), "tile": ("heart", "crown", "tree")}


def digit_fonts(fonts, label):
    """The fonts whose glyph of the label a person reads at once."""
    return [f for f in fonts if NOT_FOR.get(label) != f]


# --- Non-digit marks --------------------------------------------------------------

def doodle_cov(name, rng, pen):
    """A doodle's strokes (the first set's shapes, the third set's doodles) drawn with
    a pen `pen` px wide on 240 px."""
    if name in SET1.SHAPES:
        lines = SET1.shape_strokes(name, rng)
    else:
        lines = SET3.doodle_lines(name, rng)
    return stroke_cov(wobble(lines, rng, 0.006), 240, pen)


def scribble_cov(rng, pen):
    """Hatching back and forth, as one crosses something out (fewer strokes for a
    wider pen, so that they stay apart)."""
    n = int(rng.integers(3, 6) if pen > 22 else rng.integers(5, 10))
    pts = []
    for i in range(n):
        x = i / n
        pts += [(x, rng.uniform(0.05, 0.2)), (x + 0.5 / n, rng.uniform(0.8, 0.95))]
    return stroke_cov(wobble([pts], rng, 0.01), 240, pen)


def flower_cov(rng):
    """A painted flower (a rosette of petals) on its own."""
    img = np.zeros((240, 240), np.float32)
    flower(img, (120, 120), 100, np.float32([1.0]), np.float32([1.0]), rng)
    return H.crop_to_ink(img, 0.05)


def mark_cov(setting, kind, rng, src):
    """A non-digit's ink for the setting: a coverage map, 1 = ink."""
    pen = int(rng.integers(24, 38) if setting == "fog" else rng.integers(12, 24))  # a fingertip in fog
    if kind == "word":
        word = choice(rng, NEON_WORDS if setting == "neon" else WORDS)
        if setting == "neon":
            return glyphs(word, src.font(choice(rng, NEON_FONTS)), 200)
        return to_height(hand_warp(glyphs(word, src.font(choice(rng, MARKER_FONTS)), 200), rng, 0.5), 200)
    if kind == "doodle":
        return doodle_cov(choice(rng, DOODLES[setting]), rng, pen)
    if kind == "face":
        if setting == "fog":  # drawn with a fingertip: a wider line than the face's outline
            return cv2.dilate(SET3.face_cov(rng, outline=True), np.ones((9, 9), np.uint8))
        return SET3.face_cov(rng, outline=rng.random() < 0.5)
    if kind == "scribble":
        return scribble_cov(rng, pen)
    if kind == "flower":
        return flower_cov(rng)
    if kind == "letter":
        return glyphs(choice(rng, sorted(CAPITALS - {" "})), src.font(choice(rng, TILE_FONTS[:5])), 240)
    raise ValueError(kind)


def bib_words(rng, src):
    """The event's name and a sponsor's word, as printed on a bib."""
    font = src.font(choice(rng, ("opentype/national-park/NationalPark-Heavy.otf",
                                 "opentype/linux-libertine/LinBiolinum_RB.otf")))
    return glyphs(choice(rng, EVENTS), font, 120), glyphs(choice(rng, SPONSORS), font, 120)


# --- The set ------------------------------------------------------------------

def in_one_piece(cov, label):
    """Whether the redrawn digit's ink is one piece (up to two for a 4, 5 or 7, often
    written in two strokes): a stroke the redrawing broke would leave a person in doubt."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(np.uint8(cov > 0.3), connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    return int((areas > 0.03 * areas.sum()).sum()) <= (2 if label in "457" else 1)


def loops(ink):
    """The loops of a mark (a boolean map cropped to its ink) large enough to see:
    holes in the ink of at least 1.5% of its box."""
    holes = np.pad(~ink, 1, constant_values=True).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(holes, connectivity=4)
    outside = labels[0, 0]
    return sum(1 for i in range(1, n) if i != outside and stats[i, cv2.CC_STAT_AREA] >= 0.015 * ink.size)


# The loops a digit shows when read at once (fewest, most): a 0, 6 or 9 open at its loop
# reads as a U, an L or a G, an 8 with neither loop closed as an S; a 0 with a second
# loop where its stroke began, or a 1, 3, 5 or 7 with a loop, makes a person stop.
LOOPS = {"0": (1, 1), "1": (0, 0), "2": (0, 1), "3": (0, 0), "4": (0, 1), "5": (0, 0), "6": (1, 1), "7": (0, 0),
         "8": (1, 2), "9": (1, 1)}


def keeps_loops(image28, cov, label, counts=LOOPS):
    """Whether the redrawing shows every loop the MNIST digit has (a wide pen fills a
    small one), and as many as its label's digit shows (counts: fewest, most)."""
    up = cv2.resize(image28.astype(np.float32) / 255.0, (112, 112), interpolation=cv2.INTER_CUBIC) > 0.4
    ys, xs = np.nonzero(up)
    source = loops(up[ys.min():ys.max() + 1, xs.min():xs.max() + 1])
    fewest, most = counts[label]
    return max(source, fewest) <= loops(cov > 0.5) <= most


class Sources:
    """Where digits come from: MNIST test digits (each family its own run of each
    label, so that every label is drawn as often as asked for) and this set's fonts.
    A later set subclasses it with its own families and its own order of the digits."""

    families, order_key, loops = FAMILIES, 4, LOOPS
    passed_over = frozenset()  # MNIST test indices a person stopped at

    def __init__(self, images, labels, check, seed, fonts_root):
        self.images, self.check, self.root = images, check, fonts_root
        order = np.random.default_rng([seed, self.order_key, 9999]).permutation(len(labels))
        self.of_label = {str(d): order[labels[order] == d] for d in range(10)}
        self.next = {}

    def font(self, relative):
        return os.path.join(self.root, relative)

    def strokes(self, family, label, rng, height, pen_fraction, drawn_fraction=None):
        """The family's next MNIST test `label` that still reads as one when re-stroked
        with a pen pen_fraction of its height wide, `height` px tall (about 1,000 of each
        label, the families 150 apart); drawn again, the same way, with a pen
        drawn_fraction wide where that is given (a thin pen checked at a wider one)."""
        for _ in range(100):
            k = self.next.get((family, label), 0)
            self.next[(family, label)] = k + 1
            pool = self.of_label[label]
            index = int(pool[(self.families.index(family) * 150 + k) % len(pool)])
            if index in self.passed_over:
                continue
            image = self.images[index]
            before = rng.bit_generator.state
            cov = skeleton_strokes(image, height, max(2, int(height * pen_fraction)), rng)
            if (self.check.agrees(cov, label, k=15) and in_one_piece(cov, label)
                    and keeps_loops(image, cov, label, self.loops)):
                if drawn_fraction is None:
                    return cov
                rng.bit_generator.state = before  # the same hand's warp, a thinner pen
                return skeleton_strokes(image, height, max(2, int(height * drawn_fraction)), rng)
        raise RuntimeError(f"{family}: 100 MNIST test {label}s in a row are unlike a {label}")


def make_one(family, k, rng, src, folder):
    stem = os.path.join(folder, "")
    if family == "race-bib":
        n = int(rng.integers(2, 6))
        digits = "".join(str(int(rng.integers(1 if i == 0 else 0, 10))) for i in range(n))
        img = bib_photo(glyphs(digits, src.font(choice(rng, BIB_FONTS)), 240), bib_words(rng, src), rng)
        save(img, f"{stem}n{digits}_bib{k:03d}.jpg", rng)
        return
    if family == "marks-wild4":
        setting = SETTINGS[k % len(SETTINGS)]
        kinds = MARKS[setting]
        kind = kinds[(k // len(SETTINGS)) % len(kinds)]
        if setting == "bib":
            img = bib_photo(glyphs(choice(rng, BIB_NAMES), src.font(choice(rng, BIB_FONTS)), 240),
                            bib_words(rng, src), rng)
        else:
            cov = mark_cov(setting, kind, rng, src)
            if setting == "sticky":
                img = sticky_photo(cov, rng, hand=kind == "word")
            elif setting == "fog":
                img = fog_photo(cov, rng, 0.08 * cov.shape[0])
            elif setting == "neon":
                img = neon_photo(cov, rng, "tube" if kind == "doodle" or rng.random() < 0.5 else "lit")
            else:
                img = tile_photo(cov, rng)
        save(img, f"{stem}x_{kind}-{setting}{k:03d}.jpg", rng)
        return
    label = str(k % 10)
    if family == "sticky-note":
        if rng.random() < 0.7:
            cov = src.strokes(family, label, rng, 300, rng.uniform(0.08, 0.14))
        else:
            cov = to_height(hand_warp(glyphs(label, src.font(MARKER_FONTS[0]), 300), rng), 300)
        img, tag = sticky_photo(cov, rng, hand=True), "note"
    elif family == "fogged-glass":
        pen = rng.uniform(0.08, 0.13)
        img, tag = fog_photo(src.strokes(family, label, rng, 300, pen), rng, pen * 300), "fog"
    elif family == "neon-sign":
        tag = choice(rng, ("tube", "tube", "lit", "halo"))
        if tag == "tube" and rng.random() < 0.35:  # a hand's strokes, bent smooth
            cov = cv2.GaussianBlur(src.strokes(family, label, rng, 300, rng.uniform(0.045, 0.07)), (0, 0), 4)
            cov = np.clip((cov - 0.45) * 4 + 0.5, 0, 1)
        else:
            fonts = digit_fonts(NEON_FONTS if tag == "tube" else LIT_FONTS, label)
            cov = glyphs(label, src.font(choice(rng, fonts)), 300)
        img = neon_photo(cov, rng, tag)
    else:  # tile-number
        img, tag = tile_photo(glyphs(label, src.font(choice(rng, digit_fonts(TILE_FONTS, label))), 300), rng), "tile"
    if img.shape[0] < 300:
        save_small(img, f"{stem}{label}_{tag}{k:03d}", rng)
    else:
        save(img, f"{stem}{label}_{tag}{k:03d}.jpg", rng)


def main():
    return SET3.make_set("make-heldout-set4", __doc__, 41, FAMILIES, ALL_FONTS, 4, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
