"""The messaging app's screenshots of the sixth held-out set (scripts/make-heldout-set6.py):
a status bar without a clock, a header with the contact's name, bubbles of words, one of
them perhaps a number or an emoji-like face, names and time stamps in words, an input
bar. Drawn with PIL at the phone's size; draws only from the numpy Generator it is given.
"""

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from heldout_scenes6 import pick

SCREENS = ((2340, 1080), (2532, 1170), (1334, 750), (2400, 1080), (1600, 720), (1920, 1080))
THEMES = {  # background, incoming bubble, its text, outgoing bubbles (bubble, text), faint text
    "light": ([1.0, 1.0, 1.0], [0.91, 0.91, 0.93], [0.08, 0.08, 0.1],
              (([0.0, 0.48, 1.0], [1, 1, 1]), ([0.2, 0.78, 0.35], [1, 1, 1])), [0.55, 0.55, 0.58]),
    "paper": ([0.92, 0.89, 0.84], [1.0, 1.0, 1.0], [0.1, 0.1, 0.1],
              (([0.86, 0.97, 0.78], [0.1, 0.1, 0.1]), ([0.85, 0.92, 1.0], [0.1, 0.1, 0.1])), [0.5, 0.5, 0.5]),
    "dark": ([0.05, 0.05, 0.06], [0.2, 0.2, 0.22], [0.93, 0.93, 0.95],
             (([0.35, 0.3, 0.85], [1, 1, 1]), ([0.0, 0.36, 0.3], [0.93, 0.95, 0.93])), [0.55, 0.55, 0.6]),
}


def rgb8(c):
    return tuple(int(round(255 * v)) for v in c)


def chat_screenshot(rng, fonts, messages, names, stamps):
    """A phone's screenshot of a chat: a status bar (no clock), a header with the
    contact's name, bubbles (messages: (outgoing, text or "FACE")) with a sender's name
    above some incoming ones and a time stamp in words beside some, an input bar. uint8."""
    H_, W_ = pick(rng, SCREENS)
    theme = THEMES[pick(rng, tuple(THEMES))]
    bg, in_bub, in_txt, outs, faint = theme
    out_bub, out_txt = pick(rng, outs)
    regular, bold = pick(rng, fonts)
    u = W_ / 1080  # one unit: a pixel on a 1080-wide screen
    body_px = int(round(rng.uniform(40, 50) * u))
    small = ImageFont.truetype(regular, int(body_px * 0.66))
    text_font = ImageFont.truetype(regular, body_px)
    img = Image.new("RGB", (W_, H_), rgb8(bg))
    d = ImageDraw.Draw(img)
    fg = rgb8(in_txt)
    # Status bar: signal bars, Wi-Fi arcs, a battery, no clock.
    sb = int(70 * u)
    x = W_ - int(60 * u)
    bw, bh = int(60 * u), int(28 * u)
    d.rounded_rectangle((x - bw, sb // 2 - bh // 2, x, sb // 2 + bh // 2), radius=int(6 * u), outline=fg,
                        width=max(1, int(3 * u)))
    d.rectangle((x - bw + int(5 * u), sb // 2 - bh // 2 + int(5 * u), x - bw + int(bw * rng.uniform(0.3, 0.9)),
                 sb // 2 + bh // 2 - int(5 * u)), fill=fg)
    for i in range(4):
        bx = x - bw - int((130 - 14 * i) * u)
        d.rectangle((bx, sb // 2 + bh // 2 - int((8 + 6 * i) * u), bx + int(9 * u), sb // 2 + bh // 2), fill=fg)
    for i in range(3):
        rr = int((10 + 9 * i) * u)
        cxw, cyw = x - bw - int(40 * u), sb // 2 + int(12 * u)
        d.arc((cxw - rr, cyw - rr, cxw + rr, cyw + rr), 225, 315, fill=fg, width=max(1, int(4 * u)))
    # Header: a back chevron, an avatar with an initial, the name and a line in words.
    hh = int(150 * u)
    d.line((int(50 * u), sb + hh // 2 - int(22 * u), int(28 * u), sb + hh // 2, int(50 * u),
            sb + hh // 2 + int(22 * u)), fill=rgb8(out_bub), width=max(2, int(6 * u)), joint="curve")
    name = pick(rng, names)
    av = int(50 * u)
    ax, ay = int(130 * u), sb + hh // 2
    d.ellipse((ax - av, ay - av, ax + av, ay + av), fill=rgb8(pick(rng, ([0.9, 0.5, 0.3], [0.4, 0.6, 0.9],
                                                                      [0.5, 0.8, 0.5], [0.8, 0.5, 0.8]))))
    d.text((ax, ay), name[0], font=ImageFont.truetype(bold, int(48 * u)), fill=(255, 255, 255), anchor="mm")
    d.text((ax + av + int(24 * u), ay - int(4 * u)), name, font=ImageFont.truetype(bold, int(44 * u)), fill=fg,
           anchor="ld")
    d.text((ax + av + int(24 * u), ay + int(8 * u)), pick(rng, ("here", "away", "ready")),
           font=small, fill=rgb8(faint), anchor="la")
    d.line((0, sb + hh, W_, sb + hh), fill=rgb8(faint), width=1)
    # Input bar at the bottom.
    ib = int(130 * u)
    d.rounded_rectangle((int(30 * u), H_ - ib, W_ - int(140 * u), H_ - int(30 * u)), radius=int(45 * u),
                        outline=rgb8(faint), width=max(1, int(2 * u)))
    d.text((int(70 * u), H_ - ib // 2 - int(15 * u)), "Type...", font=text_font, fill=rgb8(faint), anchor="lm")
    d.ellipse((W_ - int(115 * u), H_ - ib, W_ - int(30 * u), H_ - int(45 * u)), fill=rgb8(out_bub))
    # Bubbles, stacked from the bottom up as a chat scrolls.
    y = H_ - ib - int(40 * u)
    pad_x, pad_y, line_gap = int(34 * u), int(22 * u), int(body_px * 1.25)
    for outgoing, text in reversed(messages):
        face = text == "FACE"
        if face:
            fw_, fh_ = int(body_px * 3.4), int(body_px * 3.4)
            lines = []
        else:
            lines = wrap(text, text_font, W_ * 0.62)
            fw_ = max(text_font.getlength(t) for t in lines)
            fh_ = line_gap * len(lines)
        bw_, bh_ = int(fw_ + 2 * pad_x), int(fh_ + 2 * pad_y)
        stamp = pick(rng, stamps) if rng.random() < 0.4 else None
        if stamp:
            y -= int(small.size * 1.3)
        top = y - bh_
        if top < sb + hh + int(20 * u):
            break
        left = W_ - int(30 * u) - bw_ if outgoing else int(30 * u)
        fill = out_bub if outgoing else in_bub
        d.rounded_rectangle((left, top, left + bw_, y), radius=int(min(44 * u, bh_ / 2)), fill=rgb8(fill))
        colour = rgb8(out_txt if outgoing else in_txt)
        if face:
            draw_face(d, left + bw_ / 2, top + bh_ / 2, fw_ / 2, rng)
        for i, t in enumerate(lines):
            d.text((left + pad_x, top + pad_y + line_gap * i + line_gap / 2), t, font=text_font, fill=colour,
                   anchor="lm")
        if stamp:
            sx = left + bw_ if outgoing else left
            d.text((sx, y + int(small.size * 0.2)), stamp, font=small, fill=rgb8(faint),
                   anchor="ra" if outgoing else "la")
        y = top - int(rng.uniform(12, 30) * u)
        if not outgoing and rng.random() < 0.3:  # a group chat's sender name above
            d.text((left + pad_x, y), pick(rng, names), font=small, fill=rgb8(out_bub), anchor="ld")
            y -= int(small.size * 1.4)
    img = np.asarray(img, np.uint8)
    if W_ >= 1080 and rng.random() < 0.35:  # shared on, made smaller
        s = rng.uniform(0.55, 0.8)
        img = cv2.resize(img, (int(W_ * s), int(H_ * s)), interpolation=cv2.INTER_AREA)
    return img


def wrap(text, font, width):
    """Text broken into lines no wider than width."""
    lines, line = [], ""
    for word in text.split():
        t = (line + " " + word).strip()
        if line and font.getlength(t) > width:
            lines.append(line)
            t = word
        line = t
    return lines + [line]


def draw_face(d, cx, cy, r, rng):
    """An emoji-like face: a yellow disc, two eyes and a smile (or an open mouth)."""
    d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 204, 51), outline=(230, 160, 20), width=max(1, int(r / 20)))
    e = r * 0.13
    for sx in (-0.35, 0.35):
        d.ellipse((cx + sx * r - e, cy - 0.3 * r - e * 1.4, cx + sx * r + e, cy - 0.3 * r + e * 1.4), fill=(90, 50, 20))
    if rng.random() < 0.6:
        d.arc((cx - 0.55 * r, cy - 0.4 * r, cx + 0.55 * r, cy + 0.55 * r), 20, 160, fill=(90, 50, 20),
              width=max(2, int(r / 9)))
    else:
        d.ellipse((cx - 0.2 * r, cy + 0.2 * r, cx + 0.2 * r, cy + 0.55 * r), fill=(120, 40, 30))
