#!/usr/bin/python3
"""Makes a sixth set of held-out evaluation families (issue 21), blind: kinds of input
unlike the training (scripts/make-training-set.py, scripts/lib/training_styles.py),
stress, form-field (scripts/make-form-fields.py), test-photo and first to fifth
held-out generators, made to measure the reader once, on input nobody tuned on.

    /usr/bin/python3 scripts/make-heldout-set6.py OUT [--per-family 60] [--seed 61]
        [--mnist DIR] [--fonts DIR] [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  perspective-notebook  one digit in pencil or gel pen on a dotted or blank notebook
                 page lying on a desk, photographed with the page tilted 25-50 degrees
                 away (a trapezoid), a warm lamp's light falling off across it; 320 px
                 crops to 12 MP
  blurred-photo  one marker digit on a sheet of paper photographed badly: the camera
                 moved (a streak 1-4% of the digit's height) or missed focus, high-ISO
                 colour noise, saved at JPEG quality 50-80; 320 px to 12 MP
  curved-label   one digit printed (a font) or painted (a brush's strokes) round a
                 mug, a bottle's label or a tin, squeezed towards the sides as a
                 cylinder is, a specular stripe down it, on a kitchen counter; 320 px
                 to 12 MP
  chat-screenshot  a 2-5 digit number typed in a messaging app's bubble (alone or
                 after a word), other bubbles holding words only, a contact's name, a
                 sender's name and time stamps in words (no clock in the status bar): a
                 phone's screenshot, now and then shared smaller (label: n<number>_)
  hopscotch      one digit in coloured chalk on asphalt (stones, cracks, stains) inside
                 a chalk box whose lines (and its empty neighbours') may run off the
                 picture, seen from standing height; 320 px to 12 MP
  marks-wild6    non-digits in those five settings: handwritten words, letters no one
                 writes like a digit (A K M W X R e k), arrows, stars, smileys, ticks,
                 crosses and hashes on a tilted notebook page or photographed badly; a
                 chat with words only or an emoji-like face; a sun, a flower, a house,
                 an arrow, a star or a heart chalked on asphalt; a word or a logo on a
                 mug (label: x_)

Digits are MNIST *test* digits (all 10,000, in an order of this set's own, not the
earlier sets') redrawn as pencil, pen, marker, brush or chalk strokes and kept only as
the fourth and fifth sets keep them (15 nearest MNIST *training* digits share the
label, ink in one piece, loops kept, an 8 with both loops), or glyphs of Debian fonts
that no other script reads: `scripts/fetch-heldout-fonts.sh --set 6` unpacks Lato and
Karla (the chat app), Play and Lobster (printed on mugs, bottles and tins) and Ecolier
(handwritten words) into build/heldout6-fonts without installing them, so that the
stress suite's and test photos' font search never finds them. None of them draws a
slashed or dotted 0.

File names: the label first (a digit; `n<number>_` for numbers; `x` for a
non-digit), as scripts/stress-eval.py reads them. The families are added to
OUT/heldout.txt: no training or tuning script may read them, and whoever tunes the
reader reads only the table. The same seed, MNIST files and fonts give the same set,
and a family's images do not depend on which other families are made. The scenes are
painted by scripts/lib/heldout_scenes6.py and scripts/lib/heldout_chat6.py.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one core: the machine is shared
import cv2  # noqa: E402
from PIL import Image  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "lib"))
from heldout_render import H, load_script, save_small, to_height  # noqa: E402
from heldout_chat6 import chat_screenshot  # noqa: E402
from heldout_scenes6 import (blurred_photo, cylinder_photo, hopscotch_photo, mark_cov, notebook_photo,  # noqa: E402
                             pen_redraw, pick, text_cov)

cv2.setNumThreads(1)  # one core: the machine is shared
FAMILIES = ("perspective-notebook", "blurred-photo", "curved-label", "chat-screenshot", "hopscotch", "marks-wild6")

# Fonts of the Debian packages `scripts/fetch-heldout-fonts.sh --set 6` unpacks, by path
# below the unpacked tree (grep scripts/: no other script names them).
CHAT_FONTS = [("truetype/lato/Lato-Regular.ttf", "truetype/lato/Lato-Bold.ttf"),
              ("truetype/karla/Karla-Regular.otf", "truetype/karla/Karla-Bold.otf")]
PRINT_FONTS = ["opentype/play/Play-Bold.otf", "opentype/lobster/lobster.otf", "truetype/lato/Lato-Black.ttf",
               "truetype/karla/Karla-ExtraBold.otf"]
HAND_FONT = "truetype/ecolier-court/Ecolier-court.ttf"
ALL_FONTS = sorted(set([f for pair in CHAT_FONTS for f in pair] + PRINT_FONTS + [HAND_FONT]))

SET3 = load_script("heldout_set3", "make-heldout-set3.py")
SET4 = load_script("heldout_set4", "make-heldout-set4.py")

# Words of the chats, written only with letters no one reads as a digit (no o, i, l, s,
# b, g, q, z), so that the number is the only thing in the picture a digit reader may
# take; time stamps are days or hours in words.
CHAT_WORDS = ("hey", "yeah", "nah", "cute", "yum", "thx", "we are here", "the park", "at the cafe", "run",
              "a fun day", "new hat", "ready", "r u near", "what a nap", "text me", "my treat",
              "check the map", "we need a new key", "meet me at the park", "take care", "wear a hat",
              "damn", "hurry up", "what the heck", "where r u", "a tad wet", "nearer",
              "dry and warm", "any update", "yup", "thank u", "phew", "nerd", "cream",
              "we made rent", "fancy a tea", "fun dance", "teach me", "what a day")
NUMBER_WORDS = ("key", "apt", "ref", "pay", "card", "new pw", "my pw", "the key")
STAMPS = ("Wed", "Thu", "Tue", "read", "at ten", "ten pm", "three am", "at three", "at ten am")
NAMES = tuple(n for n in SET3.NAMES if set(n) <= set(H.NOT_DIGIT_LIKE_LETTERS))
# The school hand's words: lower case (its capitals are flourishes), no p or f (their
# long stems, begun with a lead-in stroke, read as a 1).
HAND_WORDS = tuple(w for w in SET4.WORDS + ("hey", "merry", "yum", "cheer", "hurray", "dear", "mummy", "new")
                   if set(w) <= set(H.NOT_DIGIT_LIKE_LETTERS) and w.islower() and not set(w) & set("pf"))
MUG_WORDS = ("TEA", "CAFE", "MAMA", "NEW YEAR", "Hank", "Kate", "yum", "HEY", "MERRY", "PAPA", "Ruth", "hurray")
assert set("".join(CHAT_WORDS + NUMBER_WORDS + STAMPS + MUG_WORDS)) <= set(H.NOT_DIGIT_LIKE_LETTERS + " ")
LETTERS = ("A", "K", "M", "W", "X", "R", "e", "k")
SETTINGS = ("notebook", "blurred", "chat", "chalk", "mug")
MARKS = {"notebook": ("word", "letter", "arrow", "star", "smiley", "tick", "cross", "hash"),
         "blurred": ("word", "letter", "arrow", "star", "tick", "cross", "hash"),
         "chat": ("word", "face"),
         "chalk": ("sun", "flower", "house", "arrow", "star", "heart"),
         "mug": ("word", "logo")}


class Sources(SET4.Sources):
    """MNIST test digits in this set's own order, each family its own run of them; an 8
    shows both its loops; digits a person stopped at on this set's contact sheets (a 4
    like an H or lying on its side, a 7 like a question mark, a 0 like a D, an 8 lying
    down...) are passed over."""
    families, order_key = FAMILIES, 6
    loops = dict(SET4.LOOPS, **{"8": (2, 2)})
    passed_over = frozenset((438, 483, 2882, 3541, 3583, 3780, 4457, 4861, 5177, 6227, 7550, 8742, 8820, 8886, 9550,
                             9557, 9563, 9974))


def handwritten(src, family, label, rng, pen_fraction):
    """An MNIST test digit's strokes, 300 px tall with a pen pen_fraction of that wide
    (checked with a pen at least 0.08 wide, as wide as the MNIST digits it is compared with)."""
    return src.strokes(family, label, rng, 300, max(0.08, pen_fraction), pen_fraction if pen_fraction < 0.08 else None)


def hand_word(src, rng, width):
    """A handwritten word in the school hand, its strokes drawn again `width` px wide on 160."""
    word = pick(rng, HAND_WORDS)
    return pen_redraw(to_height(text_cov(word, src.font(HAND_FONT), 200), 160), width)


def chat(src, rng, number):
    """A chat's screenshot: words only, with one bubble holding the number (or, number
    "FACE", an emoji-like face) when given."""
    n = int(rng.integers(4, 10))
    messages = [(bool(rng.random() < 0.5), pick(rng, CHAT_WORDS)) for _ in range(n)]
    if number is not None:
        text = number if number == "FACE" or rng.random() < 0.5 else f"{pick(rng, NUMBER_WORDS)} {number}"
        messages[int(rng.integers(max(0, n - 3), n))] = (bool(rng.random() < 0.5), text)
    fonts = [(src.font(a), src.font(b)) for a, b in CHAT_FONTS]
    return chat_screenshot(rng, fonts, messages, NAMES, STAMPS)


def mark_scene(setting, kind, rng, src):
    """A non-digit in one of the digit families' settings: uint8 RGB."""
    if setting == "chat":
        return chat(src, rng, "FACE" if kind == "face" else None)
    if setting == "mug":
        if kind == "word":
            cov = text_cov(pick(rng, MUG_WORDS), src.font(pick(rng, PRINT_FONTS)), 200)
        else:
            cov = mark_cov(pick(rng, ("heart", "star", "sun", "smiley")), rng, 22)
        return cylinder_photo(cov, rng, pick(rng, ("mug", "mug", "tin", "bottle")), kind != "word")
    if setting == "chalk":
        return hopscotch_photo(mark_cov(kind, rng, 16, 320), rng, with_box=rng.random() < 0.4)
    if kind == "word":
        cov = hand_word(src, rng, 10 if setting == "notebook" else 16)
    elif kind == "letter":
        cov = mark_cov(pick(rng, LETTERS), rng, 16 if setting == "notebook" else 24)
    else:
        cov = mark_cov(kind, rng, 14 if setting == "notebook" else 22)
    if setting == "notebook":
        return notebook_photo(cov, rng, pick(rng, ("pencil", "gel")))
    return blurred_photo(cov, rng, pick(rng, ("motion", "defocus")))


def make_one(family, k, rng, src, folder):
    stem = os.path.join(folder, "")
    if family == "chat-screenshot":
        n = int(rng.integers(2, 6))
        digits = "".join(str(int(rng.integers(1 if i == 0 else 0, 10))) for i in range(n))
        save_small(chat(src, rng, digits), f"{stem}n{digits}_chat{k:03d}", rng)
        return
    if family == "marks-wild6":
        setting = SETTINGS[k % len(SETTINGS)]
        kinds = MARKS[setting]
        kind = kinds[(k // len(SETTINGS)) % len(kinds)]
        img = mark_scene(setting, kind, rng, src)
        if setting == "chat":
            save_small(img, f"{stem}x_{kind}-{setting}{k:03d}", rng)
        else:
            quality = (50, 81) if setting == "blurred" else (72, 95)
            Image.fromarray(img).save(f"{stem}x_{kind}-{setting}{k:03d}.jpg", quality=int(rng.integers(*quality)))
        return
    label = str(k % 10)
    quality = (72, 95)
    if family == "perspective-notebook":
        tag = pick(rng, ("pencil", "gel"))
        pen = rng.uniform(0.035, 0.055) if tag == "pencil" else rng.uniform(0.04, 0.065)
        img = notebook_photo(handwritten(src, family, label, rng, pen), rng, tag)
    elif family == "blurred-photo":
        tag = pick(rng, ("motion", "defocus"))
        img = blurred_photo(handwritten(src, family, label, rng, rng.uniform(0.09, 0.13)), rng, tag)
        quality = (50, 81)
    elif family == "curved-label":
        painted = rng.random() < 0.4
        if painted:
            cov = handwritten(src, family, label, rng, rng.uniform(0.1, 0.14))
        else:
            cov = text_cov(label, src.font(pick(rng, PRINT_FONTS)), 300)
        tag = pick(rng, ("mug", "mug", "bottle", "tin"))
        img = cylinder_photo(cov, rng, tag, painted)
    else:  # hopscotch
        tag = "chalk"
        img = hopscotch_photo(handwritten(src, family, label, rng, rng.uniform(0.09, 0.13)), rng)
    Image.fromarray(img).save(f"{stem}{label}_{tag}{k:03d}.jpg", quality=int(rng.integers(*quality)))


def main():
    return SET3.make_set("make-heldout-set6", __doc__, 61, FAMILIES, ALL_FONTS, 6, Sources, make_one)


if __name__ == "__main__":
    sys.exit(main())
