#!/usr/bin/python3
"""Makes a third set of held-out evaluation families (issue 21, item 5): kinds of
input unlike the training, stress, first and second held-out generators, and unlike
what the reader's next training adds (seven-segment digits, embossed or engraved
relief, chalk strokes).

    /usr/bin/python3 scripts/make-heldout-set3.py OUT [--per-family 60] [--seed 31]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT      # the table, held-out families marked

Families (OUT/<family>/all/):
  screen-photo   a digit shown on a phone, tablet or monitor, photographed: the
                 screen's RGB subpixels and the moire they make with the camera's
                 pixels, a light or dark app around the digit (typed in a font or
                 drawn with a finger), the device's bezel on a desk or a wall,
                 reflections and glare, perspective; 240 px crops to 12 MP
  stencil-spray  a digit spray-painted through a stencil (its counters held by
                 bridges) or sprayed freehand on a wooden crate, concrete, asphalt,
                 cardboard or a corrugated container: soft edges, a cloud of
                 overspray and droplets, drips, perspective; 300 px to 12 MP
  led-matrix     one digit lit on a matrix of round or square LEDs (a bus sign, a
                 clock, a lift's floor display) in amber, red, green, white or blue,
                 unlit LEDs around it, glow, glass reflections; 40 px crops to 12 MP
  bead-mosaic    a digit laid out in beads, buttons or pebbles (a dotted path or a
                 filled shape) on felt, wood or sand, or cross-stitched on aida
                 cloth; 300 px to 12 MP
  form-boxes     a 2-5 digit number handwritten in ballpoint, one digit a box, in
                 the comb or separate boxes of a printed form (dropout colours or
                 black; sometimes spare empty boxes; digits touching the walls),
                 scanned or photographed (label: n<number>_)
  marks-wild     non-digits in those same settings: signatures, tick marks, logos,
                 doodles, emoji-like faces and short words (label: x_)

Digits are MNIST *test* digits 0-4999 redrawn as finger, spray or ballpoint strokes
(scripts/make-heldout-set.py draws from 5000-9999) or glyphs of Debian fonts that no
other script reads: `scripts/fetch-heldout-fonts.sh --set 3` unpacks them into
build/heldout3-fonts without installing them, so that the stress suite's and test
photos' font search never finds them. The LED digits are a 5x7 matrix drawn here and
DotGothic16's pixels.

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them. The families are added to
OUT/heldout.txt: no training or tuning script may read them, and whoever tunes the
reader reads only the table. The same seed, MNIST files and fonts give the same set,
and a family's images do not depend on which other families are made. The light,
perspective and camera come from scripts/lib/heldout_render.py, the scenes from
scripts/lib/heldout_scenes3.py.
"""

import math
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import H, glyphs, hand_warp, load_script, save, save_small, skeleton_strokes, to_height  # noqa
from heldout_scenes3 import (arc, bead_photo, choice, form_field, led_photo, matrix_cells, screen_photo,  # noqa
                             spray_photo, stencil_bridges, stroke_cov, wobble)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("screen-photo", "stencil-spray", "led-matrix", "bead-mosaic", "form-boxes", "marks-wild")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 3` unpacks, by path
# below the unpacked tree (grep scripts/: no other script names them).
HAND_FONTS = ["truetype/klee/KleeOne-Regular.ttf", "truetype/klee/KleeOne-SemiBold.ttf",
              "truetype/kiloji/kiloji.ttf", "truetype/kiloji/kiloji_b.ttf", "truetype/kiloji/kiloji_p.ttf",
              "truetype/seto/setofont.ttf", "opentype/kaushanscript/KaushanScript-Regular.otf",
              "truetype/rufscript/Rufscript010.ttf", "truetype/tomsontalks/TomsonTalks.ttf"]
PRINT_FONTS = ["truetype/opendin/OSP-DIN.ttf", "truetype/open-sans/OpenSans-Bold.ttf",
               "truetype/open-sans/OpenSans-CondBold.ttf", "truetype/open-sans/OpenSans-ExtraBold.ttf",
               "truetype/open-sans/OpenSans-Semibold.ttf", "truetype/open-sans/OpenSans-Regular.ttf",
               "truetype/jetbrains-mono/JetBrainsMono-Bold.ttf", "truetype/jetbrains-mono/JetBrainsMono-ExtraBold.ttf",
               "truetype/jetbrains-mono/JetBrainsMono-Regular.ttf"]
# Cursive scripts whose 2, 7 and 9 a person may stop at: for signatures only.
SIGNATURE_FONTS = ["truetype/kristi/Kristi.ttf", "opentype/dancingscript/DancingScript-Regular.otf",
                   "opentype/kaushanscript/KaushanScript-Regular.otf"]
PIXEL_FONT = "truetype/dotgothic16/DotGothic16-Regular.ttf"

# Words and names made only of letters no one writes like a digit
# (make-stress-set.py's NOT_DIGIT_LIKE_LETTERS).
WORDS = ("hey", "wet", "dry", "cat", "hat", "red", "tea", "pen", "nut", "yak", "yum", "meh", "date", "menu",
         "deck", "math", "park", "wave", "farm", "cave", "exam", "thx", "UK", "NYC", "FYI", "TV", "PC", "AM",
         "PM", "MENU", "NEW", "FREE", "HELP", "CAFE", "MARKET", "EXAM", "Hank", "TAKE", "dance", "fern")
NAMES = ("Mary", "Kate", "Hank", "Ruth", "Fran", "Frank", "Nancy", "Andrew", "Cathy", "Ray", "Mark", "Kurt",
         "Wendy", "Peter", "Tracy", "Henry", "Wayne", "Manny", "Ted", "Kent", "Yvette")
SURNAMES = ("Hunter", "Carter", "Turner", "Hardy", "Chen", "Park", "Kay", "Meyer", "Mercer", "Frey", "Dunn",
            "Hart", "Ward", "Marek", "Nakamura")
MARKS = ("signature", "tick", "logo", "doodle", "face", "word")

# The --families check, the MNIST files and heldout.txt come from the first held-out set.
SET1 = load_script("heldout_set", "make-heldout-set.py")


# --- Non-digit marks ------------------------------------------------------------

def doodle_lines(kind, rng):
    """Polylines of a logo or doodle in the unit square."""
    if kind == "mountain":
        return [[(0.0, 0.9), (0.3, 0.3), (0.45, 0.55), (0.62, 0.15), (1.0, 0.9), (0.0, 0.9)]]
    if kind == "bolt":
        return [[(0.55, 0.0), (0.2, 0.55), (0.48, 0.55), (0.35, 1.0), (0.8, 0.4), (0.52, 0.4), (0.7, 0.0)]]
    if kind == "tree":  # a fir on its trunk
        return [[(0.5, 0.0), (0.15, 0.45), (0.35, 0.45), (0.05, 0.8), (0.95, 0.8), (0.65, 0.45), (0.85, 0.45),
                 (0.5, 0.0)], [(0.5, 0.8), (0.5, 1.0)]]
    if kind == "crown":
        return [[(0.05, 0.85), (0.0, 0.25), (0.3, 0.55), (0.5, 0.1), (0.7, 0.55), (1.0, 0.25), (0.95, 0.85),
                 (0.05, 0.85)]]
    if kind == "cloud":
        return [arc(0.25, 0.6, 0.2, 0.2, math.pi * 0.5, math.pi * 1.5) + arc(0.45, 0.35, 0.22, 0.22, math.pi,
                                                                              math.pi * 2)
                + arc(0.75, 0.55, 0.22, 0.22, -math.pi * 0.5, math.pi * 0.5) + [(0.25, 0.8)]]
    if kind == "fish":
        return [arc(0.45, 0.5, 0.38, 0.28, -math.pi * 0.8, math.pi * 0.8) + [(1.0, 0.2), (1.0, 0.8),
                                                                               (0.15, 0.33)],
                arc(0.25, 0.42, 0.03, 0.03, 0, 2 * math.pi, 10)]
    if kind == "flower":
        lines = [arc(0.5, 0.5, 0.1, 0.1, 0, 2 * math.pi, 16)]
        for k in range(6):
            a = k * math.pi / 3
            cx, cy = 0.5 + 0.28 * math.cos(a), 0.5 + 0.28 * math.sin(a)
            lines.append(arc(cx, cy, 0.16, 0.16, 0, 2 * math.pi, 20))
        return lines
    if kind == "rings":  # three interlocked rings, two below one
        return [arc(0.3, 0.65, 0.22, 0.22, 0, 2 * math.pi), arc(0.7, 0.65, 0.22, 0.22, 0, 2 * math.pi),
                arc(0.5, 0.32, 0.22, 0.22, 0, 2 * math.pi)]
    if kind == "key":
        return [arc(0.2, 0.5, 0.15, 0.15, 0, 2 * math.pi), [(0.35, 0.5), (0.95, 0.5), (0.95, 0.65)],
                [(0.8, 0.5), (0.8, 0.62)]]
    if kind == "eye":
        return [arc(0.5, 0.75, 0.5, 0.45, -math.pi * 0.95, -math.pi * 0.05)
                + arc(0.5, 0.25, 0.5, 0.45, math.pi * 0.05, math.pi * 0.95), arc(0.5, 0.5, 0.12, 0.12, 0, 2 * math.pi)]
    raise ValueError(kind)


DOODLES = ("mountain", "bolt", "tree", "crown", "cloud", "fish", "flower", "rings", "key", "eye")


def face_cov(rng, outline):
    """An emoji-like face (smiling, winking, frowning or surprised): a filled disc with
    the eyes and mouth left out, or (outline) a circle with them drawn in."""
    s = 240
    img = np.zeros((s, s), np.uint8)
    cv2.circle(img, (s // 2, s // 2), int(s * 0.43), 255, int(s * 0.05) if outline else -1, cv2.LINE_AA)
    paint = 255 if outline else 0
    e = int(s * rng.uniform(0.05, 0.08))
    mood = int(rng.integers(0, 4))
    for side in (-1, 1):
        c = (int(s * (0.5 + side * 0.16)), int(s * 0.38))
        if mood == 1 and side == 1:
            cv2.line(img, (c[0] - e, c[1]), (c[0] + e, c[1]), paint, max(3, e // 2), cv2.LINE_AA)
        else:
            cv2.ellipse(img, c, (e, int(e * 1.4)), 0, 0, 360, paint, -1, cv2.LINE_AA)
    w = max(4, int(s * 0.05))
    if mood == 2:
        cv2.ellipse(img, (s // 2, int(s * 0.78)), (int(s * 0.2), int(s * 0.12)), 0, 200, 340, paint, w, cv2.LINE_AA)
    elif mood == 3:
        cv2.ellipse(img, (s // 2, int(s * 0.68)), (int(s * 0.07), int(s * 0.1)), 0, 0, 360, paint, -1, cv2.LINE_AA)
    else:
        cv2.ellipse(img, (s // 2, int(s * 0.55)), (int(s * 0.24), int(s * 0.2)), 0, 20, 160, paint, w, cv2.LINE_AA)
    return H.crop_to_ink(img.astype(np.float32) / 255.0, 0.05)


def mark_cov(kind, rng, src, outline=False):
    """A non-digit's ink: a coverage map, 1 = ink (a face drawn as an outline where
    `outline`: for beads and LEDs, which show strokes rather than filled shapes), and
    whether it is a filled shape (beads fill it rather than follow its strokes)."""
    if kind == "signature":
        name = choice(rng, NAMES) + " " + choice(rng, SURNAMES) if rng.random() < 0.6 else (
            choice(rng, NAMES)[0] + ". " + choice(rng, SURNAMES))
        cov = hand_warp(glyphs(name, src.font(choice(rng, SIGNATURE_FONTS)), 160), rng, 0.6)
        h, w = cov.shape
        flourish = np.zeros((h + h // 2, w), np.float32)
        flourish[:h] = cov
        t = np.linspace(0, 1, 40)
        ys = h + h * 0.2 * np.sin(t * math.pi * rng.uniform(0.8, 2.0)) + rng.uniform(-0.1, 0.1) * h
        pts = np.int32(np.stack([w * (0.05 + 0.9 * t), np.clip(ys, 0, h + h // 2 - 3)], 1))
        cv2.polylines(flourish, [pts], False, 1.0, max(2, h // 18), cv2.LINE_AA)
        return H.crop_to_ink(flourish, 0.05), False
    if kind == "tick":
        a, b = rng.uniform(0.25, 0.45), rng.uniform(0.0, 0.15)
        lines = [[(0.0, 0.55), (a, 0.95), (1.0, b)]]
        if rng.random() < 0.3:  # a cross instead
            lines = [[(0.0, 0.0), (1.0, 1.0)], [(1.0, 0.05), (0.05, 0.95)]]
        return stroke_cov(wobble(lines, rng), 240, int(rng.integers(10, 26))), False
    if kind in ("logo", "doodle"):
        name = choice(rng, DOODLES[:4] + ("rings", "key") if kind == "logo" else DOODLES[4:])
        lines = doodle_lines(name, rng)
        if kind == "logo" and name in ("mountain", "bolt", "crown", "tree") and rng.random() < 0.6:
            img = np.zeros((240, 240), np.uint8)
            cv2.fillPoly(img, [np.int32(np.float32(lines[0]) * 200 + 20)], 255, cv2.LINE_AA)
            return H.crop_to_ink(img.astype(np.float32) / 255.0, 0.05), True
        return stroke_cov(wobble(lines, rng, 0.006), 240, int(rng.integers(8, 20))), False
    if kind == "face":
        return face_cov(rng, outline), not outline
    word = choice(rng, WORDS)
    if rng.random() < 0.5:
        return to_height(hand_warp(glyphs(word, src.font(choice(rng, HAND_FONTS)), 160), rng, 0.5), 160), False
    return glyphs(word, src.font(choice(rng, PRINT_FONTS)), 160), False


# --- The set ------------------------------------------------------------------

def mnist_layout(cov):
    """The mark as MNIST lays a digit out: its ink box scaled into 20x20, its centre
    of mass at the centre of 28x28."""
    c = H.crop_to_ink(cov, 0.05)
    scale = 20.0 / max(c.shape)
    w, h = max(1, int(round(c.shape[1] * scale))), max(1, int(round(c.shape[0] * scale)))
    small = cv2.resize(c, (w, h), interpolation=cv2.INTER_AREA)
    out = np.zeros((28, 28), np.float32)
    out[(28 - h) // 2:(28 - h) // 2 + h, (28 - w) // 2:(28 - w) // 2 + w] = small
    ys, xs = np.mgrid[0:28, 0:28]
    mass = out.sum() + 1e-6
    dy, dx = 13.5 - (ys * out).sum() / mass, 13.5 - (xs * out).sum() / mass
    return cv2.warpAffine(out, np.float32([[1, 0, dx], [0, 1, dy]]), (28, 28))


class ReadableCheck:
    """Whether a redrawn MNIST digit still looks like its label to a plain reader
    independent of blnk: its 5 nearest MNIST training digits (14x14 pixels) all have
    that label. Keeps out test digits that are hard to read, and redrawings that lost
    a loop, so that every digit of the set is one a person reads at once."""

    def __init__(self, images, labels):
        small = images.reshape(-1, 14, 2, 14, 2).mean((2, 4), dtype=np.float32) / 255.0
        self.train = small.reshape(len(images), -1)
        self.norms = (self.train ** 2).sum(1)
        self.labels = labels

    def agrees(self, cov, label, k=5):
        """Whether the k nearest training digits all have the label (5 for this set)."""
        x = mnist_layout(cov).reshape(14, 2, 14, 2).mean((1, 3)).reshape(-1)
        nearest = np.argpartition(self.norms - 2 * (self.train @ x), k)[:k]
        return bool((self.labels[nearest] == int(label)).all())


def mnist_and_check(program, folder):
    """The MNIST test images and labels in folder, and a ReadableCheck on its training
    digits; None, after saying so, when some of those files are missing."""
    images_path, labels_path = SET1.find_mnist_test(folder)
    train = [os.path.join(folder, f) for f in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")]
    train = [f if os.path.exists(f) else f[:-3] for f in train]
    if not (images_path and labels_path and all(os.path.exists(f) for f in train)):
        print(f"{program}: no MNIST test and training files in {folder}", file=sys.stderr)
        return None
    return H.read_idx(images_path), H.read_idx(labels_path), ReadableCheck(H.read_idx(train[0]),
                                                                           H.read_idx(train[1]))


class Sources:
    """Where digits come from: MNIST test digits 0-4999 (of each label, each family its
    own run of them, so that every label is drawn as often as asked for), and the
    held-out fonts of set 3."""

    def __init__(self, images, labels, check, seed, fonts_root):
        self.images, self.check = images, check
        order = np.random.default_rng([seed, 3, 4999]).permutation(5000)
        self.of_label = {str(d): order[labels[order] == d] for d in range(10)}
        self.next = {}
        self.root = fonts_root

    def font(self, relative):
        return os.path.join(self.root, relative)

    def mnist(self, family, label):
        """The family's next MNIST test image of the label (about 450 of each label in
        0-4999, the families 70 apart)."""
        k = self.next.get((family, label), 0)
        self.next[(family, label)] = k + 1
        pool = self.of_label[label]
        return self.images[int(pool[(FAMILIES.index(family) * 70 + k) % len(pool)])]

    def handwritten(self, family, label, rng, height, pen_fraction):
        """The digit label handwritten `height` px tall: an MNIST digit re-stroked with a
        pen pen_fraction of its height wide, or a handwriting font's, varied."""
        if rng.random() < 0.5:
            for _ in range(100):
                cov = skeleton_strokes(self.mnist(family, label), height, max(2, int(height * pen_fraction)), rng)
                if self.check.agrees(cov, label):
                    return cov
            raise RuntimeError(f"{family}: 100 MNIST test {label}s in a row are unlike a {label}")
        font = self.font(choice(rng, HAND_FONTS))
        return to_height(hand_warp(glyphs(label, font, 240), rng), height)

    def printed(self, label, rng):
        return glyphs(label, self.font(choice(rng, PRINT_FONTS)), 240)


def scene(setting, cov, solid, rng, src):
    """A non-digit mark in one of the digit families' settings: uint8 RGB."""
    if setting == "screen-photo":
        return screen_photo(cov, rng, typed=True)
    if setting == "stencil-spray":
        return spray_photo(cov, rng, stencil=rng.random() < 0.65)
    if setting == "led-matrix":
        return led_photo(matrix_cells(None, cov, rng, src.font(PIXEL_FONT)), rng)
    if setting == "bead-mosaic":
        return bead_photo(cov, rng, filled=solid)
    return form_field([cov], rng, 1, photo=rng.random() < 0.3)


def make_one(family, k, rng, src, folder):
    stem = os.path.join(folder, "")
    if family == "form-boxes":
        n = int(rng.integers(2, 6))
        digits = [str(int(rng.integers(1 if i == 0 else 0, 10))) for i in range(n)]
        covs = [src.handwritten(family, d, rng, 200, rng.uniform(0.05, 0.08)) for d in digits]
        boxes = n + (int(rng.integers(1, 3)) if rng.random() < 0.3 else 0)
        photo = rng.random() < 0.3
        img = form_field(covs, rng, boxes, photo)
        name = f"{stem}n{''.join(digits)}_{'photo' if photo else 'scan'}{k:03d}"
        if photo:
            save(img, name + ".jpg", rng)
        else:
            save_small(img, name, rng)
        return
    if family == "marks-wild":
        kind = MARKS[k % len(MARKS)]
        setting = FAMILIES[int(rng.integers(0, 5))]
        if setting == "form-boxes" and kind == "word":  # a word written a letter a box
            word = choice(rng, [wd for wd in WORDS if wd.isupper()])
            font = src.font(choice(rng, HAND_FONTS))
            covs = [hand_warp(glyphs(ch, font, 200), rng, 0.6) for ch in word]
            img = form_field(covs, rng, len(covs), photo=False)
        else:
            cov, solid = mark_cov(kind, rng, src, outline=setting in ("bead-mosaic", "led-matrix"))
            if setting == "stencil-spray" and rng.random() < 0.65:
                cov = stencil_bridges(cov, rng)
            img = scene(setting, cov, solid, rng, src)
        save(img, f"{stem}x_{kind}-{setting.split('-')[0]}{k:03d}.jpg", rng)
        return
    label = str(k % 10)
    if family == "led-matrix":
        img = led_photo(matrix_cells(label, None, rng, src.font(PIXEL_FONT)), rng)
        if img.shape[0] < 200:
            save_small(img, f"{stem}{label}_led{k:03d}", rng)
        else:
            save(img, f"{stem}{label}_led{k:03d}.jpg", rng)
        return
    if family == "screen-photo":
        typed = rng.random() < 0.5
        if typed:
            cov = src.printed(label, rng)
        else:
            cov = src.handwritten(family, label, rng, 240, rng.uniform(0.06, 0.12))
        img = screen_photo(cov, rng, typed)
        tag = "typed" if typed else "drawn"
    elif family == "stencil-spray":
        stencil = rng.random() < 0.65
        if stencil:
            cov = stencil_bridges(src.printed(label, rng), rng)
        else:
            cov = src.handwritten(family, label, rng, 300, rng.uniform(0.08, 0.13))
        img = spray_photo(cov, rng, stencil)
        tag = "stencil" if stencil else "spray"
    else:  # bead-mosaic
        filled = rng.random() < 0.4
        if filled:
            cov = glyphs(label, src.font(choice(rng, PRINT_FONTS[:5])), 400)
        else:
            cov = src.handwritten(family, label, rng, 400, rng.uniform(0.06, 0.1))
        img = bead_photo(cov, rng, filled)
        tag = "filled" if filled else "path"
    save(img, f"{stem}{label}_{tag}{k:03d}.jpg", rng)


def make_set(program, doc, seed, families, fonts, set_number, sources, make_one):
    """A held-out set's run (sets 3 and 4): its options, its fonts and MNIST checked (77
    when missing), then args.per_family images of each family asked for by
    make_one(family, k, rng, src, folder), src = sources(images, labels, check, seed, fonts_root)."""
    fetch = f"scripts/fetch-heldout-fonts.sh --set {set_number}"
    args, wanted, fonts_root = SET1.parse_with_fonts(doc, seed, families, f"heldout{set_number}-fonts", fetch)
    if SET1.fonts_missing(program, fonts_root, fonts, fetch):
        return 77
    mnist = mnist_and_check(program, args.mnist)
    if mnist is None:
        return 77
    src = sources(*mnist, args.seed, fonts_root)
    SET1.make_families(program, args, families, wanted,
                       lambda family, k, rng, folder: make_one(family, k, rng, src, folder), key=100 * set_number)
    return 0


def main():
    fonts = HAND_FONTS + PRINT_FONTS + SIGNATURE_FONTS + [PIXEL_FONT]
    return make_set("make-heldout-set3", __doc__, 31, FAMILIES, fonts, 3, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
