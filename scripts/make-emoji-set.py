#!/usr/bin/python3
"""Makes a colour folder of image classes from Debian's Noto Color Emoji font
(fonts-noto-color-emoji), the proof set of issue 22 beside Fashion-MNIST: small colour
pictures of six kinds of things, where colour carries part of the answer.

    /usr/bin/python3 scripts/make-emoji-set.py OUT [--size 32] [--train-renders 24]
        [--test-renders 8] [--seed 22]
    blnk train --images OUT/train --images-test OUT/test --image-size 32x32 --channels 3 \\
        --augment=crop-flip ...

Classes (one subfolder each in OUT/train and OUT/test), by Unicode block:
  animals   mammals, birds, reptiles, sea and small creatures (U+1F400-1F43C, U+1F980-1F9AE)
  faces     smileys and emotion faces (U+1F600-1F637, U+1F641-1F644, U+1F910-1F917, ...)
  flags     country flags (pairs of regional indicator letters)
  food      fruit, vegetables, dishes, sweets and drinks (U+1F32D-1F32F, U+1F345-1F37F, ...)
  plants    seedlings, trees, flowers, herbs, leaves (U+1F331-1F344 but the mushroom, ...)
  vehicles  cars, trains, boats, aircraft (U+1F680-1F6C5, U+1F6E9-1F6FC)

The split is by emoji, not by picture: a quarter of each class's emoji (chosen by
the seed) is drawn only into the test folder, so no training choice ever saw a test
emoji in any rendering. Each emoji is drawn several times: scaled to 55-95% of the
frame, moved, turned by up to 25 degrees, on a plain, two-colour gradient or noisy
background, sometimes slightly blurred, as SIZExSIZE RGB PNGs (no fitting needed:
every engine reads the same pixels). The same seed and font give the same set.
"""
import argparse
import os
import random
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"
GLYPH_SIZE = 109  # the one size of the font's colour bitmaps

RANGES = {
    "animals": [(0x1F400, 0x1F43C), (0x1F980, 0x1F9AE)],
    "faces": [(0x1F600, 0x1F637), (0x1F641, 0x1F644), (0x1F910, 0x1F917), (0x1F920, 0x1F92F), (0x1F970, 0x1F976),
              (0x1F978, 0x1F97A), (0x1F9D0, 0x1F9D0), (0x1FAE0, 0x1FAE8)],
    "food": [(0x1F32D, 0x1F32F), (0x1F345, 0x1F37F), (0x1F950, 0x1F96F), (0x1F9C0, 0x1F9CB),
             (0x1FAD0, 0x1FADB)],
    "plants": [(0x1F331, 0x1F343), (0x1F490, 0x1F490), (0x1F4AE, 0x1F4AE), (0x1F940, 0x1F940),
               (0x1FAB4, 0x1FAB7), (0x1FABB, 0x1FABB)],
    "vehicles": [(0x1F680, 0x1F6C5), (0x1F6E9, 0x1F6FC), (0x1F3CE, 0x1F3CE)],
}
# Vehicles' block also holds signs, lights and people: keep the things that move.
NOT_VEHICLES = set(range(0x1F6A5, 0x1F6B2)) | set(range(0x1F6B3, 0x1F6C0)) | {0x1F6C1, 0x1F6C2, 0x1F6C3, 0x1F6C4}
COUNTRIES = ("AD AE AF AG AI AL AM AO AR AS AT AU AW AZ BA BB BD BE BF BG BH BI BJ BM BN BO BR BS BT BW BY BZ "
             "CA CD CF CG CH CI CK CL CM CN CO CR CU CV CW CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM "
             "FO FR GA GB GD GE GH GI GL GM GN GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT JM JO "
             "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM "
             "MN MO MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PR PS PT PW PY QA "
             "RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT "
             "TV TW TZ UA UG US UY UZ VA VC VE VN VU WS YE ZA ZM ZW").split()


def flag(code):
    return "".join(chr(0x1F1E6 + ord(c) - ord("A")) for c in code)


def glyph(font, text):
    """The emoji's colour bitmap cut to its box (RGBA), or None where the font lacks it
    (nothing drawn, or two glyphs side by side where a flag or a joined emoji is missing)."""
    im = Image.new("RGBA", (GLYPH_SIZE * 3, GLYPH_SIZE * 2), (0, 0, 0, 0))
    ImageDraw.Draw(im).text((4, 4), text, font=font, embedded_color=True)
    box = im.getbbox()
    if box is None or box[2] - box[0] > GLYPH_SIZE * 1.5:
        return None
    return im.crop(box)


def catalogue(font):
    classes = {}
    for name, ranges in RANGES.items():
        texts = [chr(c) for lo, hi in ranges for c in range(lo, hi + 1)
                 if not (name == "vehicles" and c in NOT_VEHICLES)]
        classes[name] = [(t, g) for t in texts if (g := glyph(font, t)) is not None]
    classes["flags"] = [(t, g) for t in map(flag, COUNTRIES) if (g := glyph(font, t)) is not None]
    return dict(sorted(classes.items()))


def background(rng, size):
    a = np.array([rng.randrange(256) for _ in range(3)], np.float32)
    kind = rng.choice(["plain", "gradient", "noise"])
    if kind == "plain":
        img = np.broadcast_to(a, (size, size, 3)).copy()
    elif kind == "gradient":
        b = np.array([rng.randrange(256) for _ in range(3)], np.float32)
        t = np.linspace(0, 1, size, dtype=np.float32)
        ramp = t[:, None] if rng.random() < 0.5 else t[None, :]
        img = a + (b - a) * np.broadcast_to(ramp, (size, size))[..., None]
    else:
        noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(10, 40), (size, size, 3))
        img = a + noise
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def render(rng, g, size):
    canvas = background(rng, size * 4)  # drawn at 4x, then shrunk: smooth edges
    scale = rng.uniform(0.55, 0.95) * size * 4 / max(g.size)
    sprite = g.resize((max(1, round(g.size[0] * scale)), max(1, round(g.size[1] * scale))), Image.LANCZOS)
    sprite = sprite.rotate(rng.uniform(-25, 25), resample=Image.BICUBIC, expand=True)
    room_x, room_y = size * 4 - sprite.size[0], size * 4 - sprite.size[1]
    x = rng.randint(min(0, room_x), max(0, room_x))
    y = rng.randint(min(0, room_y), max(0, room_y))
    canvas.paste(sprite, (x, y), sprite)
    out = canvas.resize((size, size), Image.BOX)
    if rng.random() < 0.3:
        out = out.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 0.8)))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("out")
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--train-renders", type=int, default=24, help="pictures of each training emoji")
    p.add_argument("--test-renders", type=int, default=8, help="pictures of each test emoji")
    p.add_argument("--seed", type=int, default=22)
    args = p.parse_args()
    if not os.path.exists(FONT):
        sys.exit(f"make-emoji-set.py: {FONT} is missing (apt-get install fonts-noto-color-emoji)")
    if not 8 <= args.size <= 256 or args.train_renders < 1 or args.test_renders < 1:
        sys.exit("make-emoji-set.py: --size from 8 to 256, renders at least 1")
    font = ImageFont.truetype(FONT, GLYPH_SIZE)
    for name, items in catalogue(font).items():
        order = list(range(len(items)))
        random.Random(f"{args.seed}/{name}/split").shuffle(order)
        test = set(order[: len(items) // 4])
        counts = {"train": 0, "test": 0}
        for i, (text, g) in enumerate(items):
            split = "test" if i in test else "train"
            folder = os.path.join(args.out, split, name)
            os.makedirs(folder, exist_ok=True)
            renders = args.test_renders if split == "test" else args.train_renders
            for k in range(renders):
                rng = random.Random(f"{args.seed}/{name}/{ord(text[0]):X}{len(text)}/{k}")
                render(rng, g, args.size).save(os.path.join(folder, f"{'-'.join(f'{ord(c):X}' for c in text)}_{k}.png"))
                counts[split] += 1
        print(f"{name}: {len(items) - len(test)} emoji x {args.train_renders} for training ({counts['train']}), "
              f"{len(test)} x {args.test_renders} for testing ({counts['test']})")


if __name__ == "__main__":
    main()
