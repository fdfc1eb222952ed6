#!/usr/bin/python3
"""Makes a twenty-third set of held-out evaluation families: digits made of pieces that
do not touch (the segments of a reflective LCD, the dots of a dot matrix, the bridged
strokes of a paint stencil), photographed, to measure how the reader copes with
characters whose ink is broken on purpose, on pictures nobody tuned on. Every drawing
here is this script's own (segments, dot fonts and stencil cuts); only the generic
photo chain (light, perspective, blur and noise) is scripts/lib/heldout_render.py's.

    /usr/bin/python3 scripts/make-heldout-set23.py OUT [--per-family 200] [--seed 231]
        [--families a,b]
    /usr/bin/python3 scripts/stress-eval.py OUT --blnk build/blnk   # the table only

Families (OUT/<family>/all/):
  lcd-display    seven-segment digits on a reflective LCD (dark grey segments on a
                 grey-green or grey face, their shadow on the reflector, unlit
                 segments faint ghosts in half of them), the segments' thickness, the
                 gap between them, a slant of 0-12 degrees and their ends (pointed,
                 square or mitred) varied; in a thermometer, kitchen scale, alarm
                 clock, multimeter or fuel pump (body, bezel, buttons, a label in
                 letters); half single digits, half numbers of 2-5 digits (blank
                 places on the left now and then)
  led-dots       digits as a 5x7 dot matrix: round LEDs lit red, green or amber on a
                 black panel (the unlit ones faint, glow), or ink dots of an impact or
                 thermal printer on paper (ribbon banding, doubled dots, torn strips);
                 singles and numbers of 2-5 digits
  stencil-paint  bold digits cut into 2-4 pieces by a stencil's bridges (the bridges
                 found so that no counter is an island), spray-painted on a wooden
                 crate, concrete or painted metal: overspray, speckle, drips, wear;
                 singles and numbers of 2-4 digits
  marks-pieces   non-digits in the same three styles (label x_): seven-segment
                 letters and signs (A C E F H L P d r n u, dashes, Err, OFF, HI, LO,
                 HELP, FULL, CAL, End), dot-matrix letters and symbols (A K M W X # %
                 & ? * and arrows) and stencil letters (A K M R W X #, and words of them)

Sizes: 300x300 up to 1600x1200, a tenth 4000x3000 phone JPEGs; the characters 8-60% of
the picture's height. File names: the label first (a digit, n<number> for a number, x
for a non-digit), then the family (the style for a mark). OUT/heldout.txt marks the
families held out: no training or tuning script may read them. One seed makes the same
bytes, whichever families are asked for.
"""

import itertools
import math
import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import heldout_render as R  # noqa: E402
from heldout_render import load_script  # noqa: E402

SET21 = load_script("heldout_set21", "make-heldout-set21.py")
cv2.setNumThreads(1)
FAMILIES = ("lcd-display", "led-dots", "stencil-paint", "marks-pieces")
FONTS = "/usr/share/fonts"
LABEL_FONTS = ["truetype/dejavu/DejaVuSans-Bold.ttf", "truetype/liberation/LiberationSans-Bold.ttf",
               "truetype/dejavu/DejaVuSansCondensed.ttf", "truetype/freefont/FreeSans.ttf"]
STENCIL_FONTS = ["truetype/dejavu/DejaVuSans-Bold.ttf", "truetype/dejavu/DejaVuSansCondensed-Bold.ttf",
                 "truetype/liberation/LiberationSans-Bold.ttf", "truetype/liberation/LiberationSansNarrow-Bold.ttf",
                 "truetype/freefont/FreeSansBold.ttf", "opentype/urw-base35/NimbusSansNarrow-Bold.otf",
                 "opentype/urw-base35/URWGothic-Demi.otf", "truetype/dejavu/DejaVuSansMono-Bold.ttf"]
MARK_NAMES = {"#": "hash", "&": "amp", "%": "pct", "?": "qm", "*": "star", "-": "dash",
              "^": "arrowup", "v": "arrowdown", "<": "arrowleft", ">": "arrowright"}
SEG_MARKS = list("ACEFHLPdrnu-") + ["Err", "OFF", "HI", "LO", "--", "---", "----", "HELP", "FULL", "CAL", "End"]
DOT_MARKS = list("AKMWX#%&?*^v<>")
STENCIL_MARKS = list("AKMRWX#")
STENCIL_WORDS = ["MAX", "ARK", "WAR", "RAW", "ARM", "MARK", "#A", "#K"]


def f32(c):
    return np.asarray(c, np.float32)


# --- Frames, backgrounds and the photograph -------------------------------------------

def frame(rng):
    """(height, width, phone?): 300x300 to 1600x1200, a tenth phone-sized."""
    if rng.random() < 0.1:
        return (3000, 4000, True) if rng.random() < 0.75 else (4000, 3000, True)
    while True:
        w, h = int(rng.integers(300, 1601)), int(rng.integers(300, 1201))
        if 0.6 <= w / h <= 1.9:
            return h, w, False


def text_height(rng, h, w, aspect, lo=0.08, hi=0.6, fill=0.78):
    """Characters' height in pixels: 8-60% of the frame (kept so that the row, `aspect`
    times as wide as it is tall, fits in `fill` of the width). Shrunk a little for the
    camera's zoom."""
    frac = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    dh = frac * h / 1.1
    return max(14.0, min(dh, fill * w / aspect))


def tile(h, w, rng, colour, cell, amount):
    """A flat colour with a mottle of about `cell` pixels."""
    img = np.empty((h, w, 3), np.float32)
    img[...] = f32(colour)
    img *= (1 - amount / 2 + amount * R.fbm((h, w), cell, rng))[..., None]
    return img


def wood_grain(h, w, rng, across=False):
    """Wood's shading in about [0.6, 1.1]: broad bands, fine streaks and a few dark lines of
    grain, along the picture's width (or its height: across)."""
    if across:
        return wood_grain(w, h, rng).T.copy()
    broad = R.smooth_noise((h, w), max(2.0, h / 40), rng, cell_x=w / 1.5)
    fine = R.smooth_noise((h, w), max(1.5, h / 250), rng, cell_x=w / 5)
    lines = np.clip((R.smooth_noise((h, w), max(1.5, h / 160), rng, cell_x=w / 3) - 0.62) * 5, 0, 1)
    return 0.72 + 0.22 * broad + 0.12 * fine - 0.3 * lines + 0.1 * R.fbm((h, w), h / 2, rng)


def backdrop(h, w, rng):
    """A table or a wall behind a device or a strip of paper."""
    kind = rng.choice(["wood", "plain", "cloth", "dark"])
    if kind == "wood":
        base = f32(rng.choice([[0.55, 0.38, 0.22], [0.70, 0.55, 0.38], [0.35, 0.22, 0.14]])) * rng.uniform(0.85, 1.15)
        img = np.empty((h, w, 3), np.float32)
        img[...] = base
        img *= wood_grain(h, w, rng, across=rng.random() < 0.5)[..., None]
        return img
    if kind == "plain":
        return tile(h, w, rng, rng.choice([[0.85, 0.85, 0.83], [0.9, 0.88, 0.82], [0.6, 0.62, 0.65], [0.75, 0.8, 0.85]]),
                    h / 2, 0.15)
    if kind == "cloth":
        img = tile(h, w, rng, rng.choice([[0.3, 0.35, 0.5], [0.5, 0.25, 0.2], [0.35, 0.45, 0.3], [0.55, 0.5, 0.45]]),
                   h / 3, 0.2)
        weave = rng.random((h, w)).astype(np.float32)
        return img * (0.9 + 0.2 * cv2.GaussianBlur(weave, (0, 0), 0.8))[..., None]
    return tile(h, w, rng, rng.choice([[0.1, 0.1, 0.11], [0.16, 0.14, 0.12]]), h / 2, 0.3)


def rounded_rect(h, w, box, radius):
    """Coverage of a rounded rectangle (top, left, bottom, right) on an (h, w) frame."""
    t, l, b, r = (int(round(v)) for v in box)
    radius = int(max(0, min(radius, (b - t) / 2 - 1, (r - l) / 2 - 1)))
    m = np.zeros((h, w), np.uint8)
    cv2.rectangle(m, (l + radius, t), (r - radius, b), 255, -1)
    cv2.rectangle(m, (l, t + radius), (r, b - radius), 255, -1)
    for cx, cy in ((l + radius, t + radius), (r - radius, t + radius), (l + radius, b - radius), (r - radius, b - radius)):
        cv2.circle(m, (cx, cy), radius, 255, -1, cv2.LINE_AA)
    return m.astype(np.float32) / 255


def over(img, alpha, colour):
    """Lays colour (a colour or an image) over the whole frame with coverage alpha."""
    a = alpha[..., None]
    img *= 1 - a
    img += a * (f32(colour) if np.ndim(colour) < 3 else colour)


def text_cov(text, font_rel, px):
    """Letters in a font, px tall, as a coverage map cropped to the ink."""
    font = ImageFont.truetype(os.path.join(FONTS, font_rel), max(6, int(px)))
    l, t, r, b = font.getbbox(text)
    im = Image.new("L", (r - l + 4, b - t + 4), 0)
    ImageDraw.Draw(im).text((2 - l, 2 - t), text, font=font, fill=255)
    return np.asarray(im, np.float32) / 255


def photograph(img, rng, phone, glare=(0, 2), glare_strength=(0.1, 0.3), tilt=(0.01, 0.06), blur=(0.4, 1.8)):
    """The scene under uneven light with glare, seen at an angle and zoomed a little,
    then a camera's blur (now and then a shake), noise and JPEG (a quarter PNG when small)."""
    img = R.light_up(img, rng, gradient=rng.uniform(0.05, 0.35), vignette=rng.uniform(0.0, 0.3),
                     glare=int(rng.integers(glare[0], glare[1] + 1)), glare_strength=rng.uniform(*glare_strength))
    # Seen at an angle: the corners moved by up to t of the frame, zoomed a little about
    # the centre; what comes in from outside the scene is the scene mirrored.
    hh, ww = img.shape[:2]
    t = rng.uniform(*tilt)
    src = np.float32([[0, 0], [ww, 0], [ww, hh], [0, hh]])
    c = np.float32([ww / 2, hh / 2])
    dst = (src - c) * rng.uniform(1.0, 1.08) + c + rng.uniform(-t, t, (4, 2)).astype(np.float32) * np.float32([ww, hh])
    img = cv2.warpPerspective(img, cv2.getPerspectiveTransform(src, dst.astype(np.float32)), (ww, hh),
                              flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101)
    if rng.random() < 0.2:  # the hand shakes
        k = max(3, int(max(img.shape[:2]) * rng.uniform(0.002, 0.008)) | 1)
        kernel = np.zeros((k, k), np.float32)
        a = rng.uniform(0, math.pi)
        c = k // 2
        cv2.line(kernel, (int(c - c * math.cos(a)), int(c - c * math.sin(a))),
                 (int(c + c * math.cos(a)), int(c + c * math.sin(a))), 1.0, 1)
        img = cv2.filter2D(img, -1, kernel / kernel.sum())
    img8 = R.camera(img, rng, blur=blur, noise=(0.005, 0.03) if not phone else (0.004, 0.015))
    if phone:
        return SET21.encode(img8, "JPEG", rng.integers(78, 95)), "jpg"
    if rng.random() < 0.25:
        return SET21.encode(img8, "PNG"), "png"
    return SET21.encode(img8, "JPEG", rng.integers(55, 93)), "jpg"


def place(rng, h, w, bh, bw, margin=0.1):
    """Top-left of a bh x bw block somewhere inside the frame, `margin` from its edges."""
    mt, ml = margin * h, margin * w
    top = rng.uniform(mt, max(mt, h - mt - bh)) if h - 2 * mt > bh else (h - bh) / 2
    left = rng.uniform(ml, max(ml, w - ml - bw)) if w - 2 * ml > bw else (w - bw) / 2
    return top, left


# --- Seven segments -------------------------------------------------------------------

SEGMENTS = {"0": "abcdef", "1": "bc", "2": "abdeg", "3": "abcdg", "4": "bcfg", "5": "acdfg", "6": "acdefg",
            "7": "abc", "8": "abcdefg", "9": "abcdfg", "A": "abcefg", "C": "adef", "E": "adefg", "F": "aefg",
            "H": "bcefg", "L": "def", "P": "abefg", "U": "bcdef", "O": "abcdef", "I": "bc", "d": "bcdeg",
            "r": "eg", "n": "ceg", "u": "cde", "-": "g", " ": ""}


def bar(p0, p1, t, end0, end1, outer):
    """A segment's outline along its centre line p0 -> p1, t thick; each end 'point', 'square'
    or 'mitre' (the side towards `outer` reaches further, as at a display's corners)."""
    p0, p1 = np.float64(p0), np.float64(p1)
    u = (p1 - p0) / np.linalg.norm(p1 - p0)
    n = np.float64(outer) if outer is not None else np.float64([-u[1], u[0]])
    h = t / 2

    def P(p, along, side):
        return p + u * along + n * side
    if end0 == "point":
        first = [P(p0, h, -h), P(p0, 0, 0), P(p0, h, h)]
    elif end0 == "square":
        first = [P(p0, h, -h), P(p0, h, h)]
    else:
        first = [P(p0, h, -h), P(p0, -h, h)]
    if end1 == "point":
        last = [P(p1, -h, h), P(p1, 0, 0), P(p1, -h, -h)]
    elif end1 == "square":
        last = [P(p1, -h, h), P(p1, -h, -h)]
    else:
        last = [P(p1, h, h), P(p1, -h, -h)]
    return np.array(first + last)


def segment_outlines(cw, ch, t, g, ends):
    """The seven segments of a cell cw x ch (x right, y down), t thick, g apart: bars with
    pointed or mitred ends, or plain rectangles."""
    if ends == "square":  # rectangles: the upright ones reach the corners, the level ones fit between
        def rect(x0, y0, x1, y1):
            return np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], np.float64)
        ym = ch / 2
        return {"a": rect(t + g, 0, cw - t - g, t), "g": rect(t + g, ym - t / 2, cw - t - g, ym + t / 2),
                "d": rect(t + g, ch - t, cw - t - g, ch), "f": rect(0, 0, t, ym - g / 2),
                "e": rect(0, ym + g / 2, t, ch), "b": rect(cw - t, 0, cw, ym - g / 2), "c": rect(cw - t, ym + g / 2, cw, ch)}
    xl, xr, yt, ym, yb = t / 2, cw - t / 2, t / 2, ch / 2, ch - t / 2
    corner = ends
    mid = "square" if ends == "square" else "point"
    return {
        "a": bar((xl + g, yt), (xr - g, yt), t, corner, corner, (0, -1)),
        "g": bar((xl + g, ym), (xr - g, ym), t, mid, mid, (0, -1)),
        "d": bar((xl + g, yb), (xr - g, yb), t, corner, corner, (0, 1)),
        "f": bar((xl, yt + g), (xl, ym - g), t, corner, mid, (-1, 0)),
        "e": bar((xl, ym + g), (xl, yb - g), t, mid, corner, (-1, 0)),
        "b": bar((xr, yt + g), (xr, ym - g), t, corner, mid, (1, 0)),
        "c": bar((xr, ym + g), (xr, yb - g), t, mid, corner, (1, 0)),
    }


class SegmentStyle:
    """A display's segments: proportions drawn once, then laid out `ch` pixels tall."""

    def __init__(self, rng):
        self.cw_r = rng.uniform(0.45, 0.62)
        self.t_r = min(rng.uniform(0.08, 0.16), self.cw_r / 4.2)  # the segments stay bars, not blocks
        self.g_r = self.t_r * rng.uniform(0.08, 0.35)
        self.slant = math.tan(math.radians(rng.uniform(0, 12) if rng.random() < 0.7 else 0.0))
        self.ends = str(rng.choice(["point", "square", "mitre"]))
        self.pitch_r = self.cw_r + rng.uniform(0.12, 0.3)
        self.seven_tail = rng.random() < 0.3  # a 7 with its top-left segment
        self.nine_tail = rng.random() < 0.85  # a 9 with its bottom segment
        self.set_height(1.0)

    def set_height(self, ch):
        self.ch, self.cw, self.t, self.g, self.pitch = ch, self.cw_r * ch, self.t_r * ch, self.g_r * ch, self.pitch_r * ch
        self.outlines = segment_outlines(self.cw, ch, self.t, self.g, self.ends)

    def width(self, n):
        return (n - 1) * self.pitch + self.cw + self.slant * self.ch

    def segs(self, c):
        s = SEGMENTS[c]
        if c == "7" and self.seven_tail:
            s += "f"
        if c == "9" and not self.nine_tail:
            s = s.replace("d", "")
        return s

    def draw(self, text, shape, top, left, ghost=False):
        """Coverage of the text's lit segments (or of every segment: ghost) on a canvas."""
        m = np.zeros(shape, np.uint8)
        for k, c in enumerate(text):
            names = "abcdefg" if ghost else self.segs(c)
            for s in names:
                pts = self.outlines[s].copy()
                pts[:, 0] += (self.ch - pts[:, 1]) * self.slant + left + k * self.pitch
                pts[:, 1] += top
                cv2.fillPoly(m, [np.int32(np.round(pts * 16))], 255, cv2.LINE_AA, shift=4)
        return m.astype(np.float32) / 255


DEVICES = {  # body colours, label words (letters only), buttons' words
    "thermometer": ([[0.92, 0.92, 0.9], [0.75, 0.85, 0.95], [0.85, 0.85, 0.85]], ["THERMO", "TEMP", "MEDICAL"],
                    ["ON", "MEM", "SCAN"]),
    "scale": ([[0.93, 0.93, 0.92], [0.75, 0.76, 0.78], [0.12, 0.12, 0.13]], ["KITCHEN SCALE", "DIGITAL", "SCALE"],
              ["TARE", "ON", "UNIT", "MODE"]),
    "clock": ([[0.1, 0.1, 0.1], [0.9, 0.9, 0.88], [0.45, 0.3, 0.18]], ["ALARM", "SNOOZE", "CLOCK"],
              ["SET", "ALARM", "MODE"]),
    "multimeter": ([[0.95, 0.75, 0.1], [0.95, 0.5, 0.1], [0.3, 0.32, 0.35]], ["MULTIMETER", "DIGITAL", "AUTO"],
                   ["HOLD", "RANGE", "SELECT"]),
    "pump": ([[0.75, 0.12, 0.1], [0.15, 0.3, 0.6], [0.9, 0.9, 0.88], [0.15, 0.45, 0.2]], ["LITRES", "TOTAL", "PRICE",
             "AMOUNT", "VOLUME"], []),
}


def lcd_scene(text, rng, ghost_ok=True):
    """A device with a reflective LCD showing text in seven segments, photographed."""
    h, w, phone = frame(rng)
    kind = str(rng.choice(list(DEVICES)))
    colours, words, buttons = DEVICES[kind]
    places = len(text) + (int(rng.integers(1, 3)) if len(text) < 5 and rng.random() < 0.35 else 0)
    st = SegmentStyle(rng)
    ch = text_height(rng, h, w, st.width(places) * 1.2, fill=0.8)
    st.set_height(ch)
    tw = st.width(places)
    padx, pady = ch * rng.uniform(0.2, 0.55), ch * rng.uniform(0.18, 0.4)
    win_w, win_h = tw + 2 * padx, ch + 2 * pady
    top, left = place(rng, h, w, ch, tw, 0.11)  # the digits' block
    wt, wl = top - pady, left - padx
    # The body round the window.
    if kind == "thermometer":
        mx, mt, mb = win_w * rng.uniform(0.08, 0.2), win_h * rng.uniform(0.3, 0.8), win_h * rng.uniform(1.0, 2.5)
    elif kind == "scale":
        mx, mt, mb = win_w * rng.uniform(0.3, 0.8), win_h * rng.uniform(0.4, 1.0), win_h * rng.uniform(0.8, 1.6)
    elif kind == "clock":
        mx, mt, mb = win_w * rng.uniform(0.08, 0.25), win_h * rng.uniform(0.25, 0.6), win_h * rng.uniform(0.25, 0.6)
    elif kind == "multimeter":
        mx, mt, mb = win_w * rng.uniform(0.08, 0.2), win_h * rng.uniform(0.3, 0.6), win_h * rng.uniform(2.5, 4.0)
    else:
        mx, mt, mb = win_w * rng.uniform(0.5, 1.5), win_h * rng.uniform(0.6, 1.5), win_h * rng.uniform(0.8, 2.0)
    body = (wt - mt, wl - mx, wt + win_h + mb, wl + win_w + mx)
    body_col = f32(colours[int(rng.integers(len(colours)))]) * rng.uniform(0.9, 1.05)
    img = backdrop(h, w, rng)
    radius = min(body[2] - body[0], body[3] - body[1]) * rng.uniform(0.03, 0.2)
    bm = rounded_rect(h, w, body, radius)
    shadow = cv2.GaussianBlur(np.roll(bm, (int(ch * 0.08), int(ch * 0.06)), (0, 1)), (0, 0), max(1.0, ch * 0.15))
    img *= (1 - 0.45 * shadow)[..., None]
    shade = 0.88 + 0.2 * R.fbm((h, w), max(8.0, ch * 2), rng)
    yy = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    body_img = body_col * (shade * (1.08 - 0.16 * yy))[..., None]
    over(img, bm, body_img)
    rim = np.clip(bm - cv2.erode(bm, np.ones((3, 3), np.uint8), iterations=max(1, int(ch * 0.03))), 0, 1)
    over(img, rim * 0.35, body_col * 1.25 + 0.1 if body_col.mean() < 0.5 else body_col * 0.7)
    # Bezel and face.
    bz = ch * rng.uniform(0.04, 0.15)
    over(img, rounded_rect(h, w, (wt - bz, wl - bz, wt + win_h + bz, wl + win_w + bz), bz * 1.5),
         f32(rng.choice([[0.12, 0.12, 0.13], [0.25, 0.25, 0.27], [0.5, 0.5, 0.52]])))
    face_col = f32(rng.choice([[0.62, 0.66, 0.56], [0.68, 0.71, 0.62], [0.66, 0.67, 0.66], [0.58, 0.62, 0.6],
                               [0.72, 0.73, 0.64]])) * rng.uniform(0.9, 1.08)
    wm = rounded_rect(h, w, (wt, wl, wt + win_h, wl + win_w), bz * 0.5)
    inner = 1 - 0.35 * np.clip(cv2.GaussianBlur(1 - wm, (0, 0), max(1.0, ch * 0.06)), 0, 1)
    face = face_col * (inner * (0.93 + 0.12 * R.fbm((h, w), max(8.0, ch), rng)))[..., None]
    over(img, wm, face)
    # The segments: ghosts, the lit segments' shadow on the reflector, the lit segments.
    shown = text.rjust(places)
    seg_col = f32(rng.choice([[0.1, 0.11, 0.1], [0.16, 0.17, 0.17], [0.22, 0.22, 0.24], [0.08, 0.09, 0.12]]))
    if ghost_ok and rng.random() < 0.5:
        over(img, st.draw(shown, (h, w), top, left, ghost=True) * rng.uniform(0.04, 0.11) * wm, seg_col)
    lit = st.draw(shown, (h, w), top, left)
    off = max(1, int(round(ch * rng.uniform(0.02, 0.05))))
    over(img, cv2.GaussianBlur(np.roll(lit, (off, off), (0, 1)), (0, 0), max(0.8, off * 0.7)) * rng.uniform(0.12, 0.3) * wm,
         (0.05, 0.06, 0.05))
    over(img, lit * rng.uniform(0.8, 0.95), seg_col)
    # Labels and buttons.
    ink = f32([0.1, 0.1, 0.1]) if body_col.mean() > 0.5 else f32([0.92, 0.92, 0.9])
    below = 0.0  # how far the buttons go down for a label under the window
    if rng.random() < 0.65:
        word = str(rng.choice(words))
        lab = text_cov(word, LABEL_FONTS[int(rng.integers(len(LABEL_FONTS)))], ch * rng.uniform(0.12, 0.25))
        if lab.shape[1] < win_w * 1.2:
            if rng.random() < 0.6:
                y = int(wt - bz - lab.shape[0] * 1.6)
            else:
                y = int(wt + win_h + bz + lab.shape[0] * 0.6)
                below = lab.shape[0] * 1.8
            R.blend(img, lab * 0.9, ink, y, int(wl + (win_w - lab.shape[1]) * rng.uniform(0, 1)))
    if buttons and rng.random() < 0.8:
        nb = int(rng.integers(1, min(3, len(buttons)) + 1))
        r = min(ch * rng.uniform(0.12, 0.25), win_w / (nb + 1) * 0.4)
        by = wt + win_h + bz + below + r * 2.2
        bcol = f32(rng.choice([[0.2, 0.2, 0.22], [0.8, 0.8, 0.8], [0.7, 0.15, 0.1], [0.2, 0.4, 0.7]]))
        for j in range(nb):
            bx = wl + win_w * (j + 1) / (nb + 1)
            disc = np.zeros((h, w), np.uint8)
            cv2.circle(disc, (int(bx), int(by)), int(r), 255, -1, cv2.LINE_AA)
            disc = disc.astype(np.float32) / 255
            over(img, cv2.GaussianBlur(np.roll(disc, int(r * 0.25), 0), (0, 0), max(1.0, r * 0.2)) * 0.4, (0, 0, 0))
            over(img, disc, bcol)
            lab = text_cov(buttons[j], LABEL_FONTS[0], max(7, r * 0.7))
            if rng.random() < 0.6 and lab.shape[1] < 0.9 * win_w / (nb + 1):
                R.blend(img, lab * 0.85, ink, int(by + r * 1.3), int(bx - lab.shape[1] / 2))
    if kind == "multimeter":  # the rotary switch
        rr = min(win_w * 0.3, mb * 0.35)
        cy, cx = wt + win_h + bz + mb * 0.55, wl + win_w / 2
        disc = np.zeros((h, w), np.uint8)
        cv2.circle(disc, (int(cx), int(cy)), int(rr), 255, -1, cv2.LINE_AA)
        over(img, disc.astype(np.float32) / 255, (0.15, 0.15, 0.16))
        knob = np.zeros((h, w), np.uint8)
        a = rng.uniform(0, 2 * math.pi)
        cv2.line(knob, (int(cx - rr * 0.8 * math.cos(a)), int(cy - rr * 0.8 * math.sin(a))),
                 (int(cx + rr * 0.8 * math.cos(a)), int(cy + rr * 0.8 * math.sin(a))), 255, max(2, int(rr * 0.25)),
                 cv2.LINE_AA)
        over(img, knob.astype(np.float32) / 255, (0.35, 0.35, 0.37))
    return photograph(np.clip(img, 0, 1), rng, phone, glare=(0, 2), glare_strength=(0.1, 0.3))


# --- Dot matrices ---------------------------------------------------------------------

DOTS = {
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "0o": ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
    "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    "1o": ["00100", "01100", "10100", "00100", "00100", "00100", "00100"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "3": ["11111", "00010", "00100", "00010", "00001", "10001", "01110"],
    "3o": ["01110", "10001", "00001", "00110", "00001", "10001", "01110"],
    "4": ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
    "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
    "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
    "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    "8": ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
    "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "K": ["10001", "10010", "10100", "11000", "10100", "10010", "10001"],
    "M": ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
    "W": ["10001", "10001", "10001", "10101", "10101", "10101", "01010"],
    "X": ["10001", "10001", "01010", "00100", "01010", "10001", "10001"],
    "#": ["01010", "01010", "11111", "01010", "11111", "01010", "01010"],
    "%": ["11000", "11001", "00010", "00100", "01000", "10011", "00011"],
    "&": ["01100", "10010", "10100", "01000", "10101", "10010", "01101"],
    "?": ["01110", "10001", "00001", "00010", "00100", "00000", "00100"],
    "*": ["00000", "00100", "10101", "01110", "10101", "00100", "00000"],
    "^": ["00100", "01110", "10101", "00100", "00100", "00100", "00100"],
    "v": ["00100", "00100", "00100", "00100", "10101", "01110", "00100"],
    "<": ["00000", "00100", "01000", "11111", "01000", "00100", "00000"],
    ">": ["00000", "00100", "00010", "11111", "00010", "00100", "00000"],
}


def dot_grid(text, rng):
    """The text's dots as a (7, columns) 0/1 array, one blank column between characters."""
    variants = {c: (c + "o" if c + "o" in DOTS and rng.random() < 0.4 else c) for c in "0123456789"}
    cols = []
    for k, c in enumerate(text):
        if k:
            cols.append(np.zeros((7, 1), np.uint8))
        cols.append(np.array([[int(v) for v in row] for row in DOTS[variants.get(c, c)]], np.uint8))
    return np.concatenate(cols, 1)


def led_scene(text, rng):
    """A panel of round LEDs (every place shown, the lit ones glowing), photographed."""
    h, w, phone = frame(rng)
    grid = dot_grid(text, rng)
    border = int(rng.integers(0, 3))
    rows, cols = 7 + 2 * border, grid.shape[1] + 2 * border
    full = np.zeros((rows, cols), np.uint8)
    full[border:border + 7, border:border + grid.shape[1]] = grid
    dh = text_height(rng, h, w, cols / 7 * 1.05 + 0.3)
    p = dh / 6.8
    r = p * rng.uniform(0.28, 0.46)
    pw, ph = cols * p, rows * p
    top, left = place(rng, h, w, ph, pw, 0.1)
    img = backdrop(h, w, rng)
    hm = p * rng.uniform(0.6, 2.5)
    housing = rounded_rect(h, w, (top - hm, left - hm, top + ph + hm, left + pw + hm), hm * 0.3)
    over(img, cv2.GaussianBlur(np.roll(housing, int(p * 0.3), 0), (0, 0), max(1.0, p * 0.5)) * 0.5, (0, 0, 0))
    over(img, housing, f32(rng.choice([[0.2, 0.2, 0.22], [0.6, 0.6, 0.62], [0.08, 0.08, 0.09], [0.85, 0.85, 0.83]])))
    panel = rounded_rect(h, w, (top - p * 0.3, left - p * 0.3, top + ph + p * 0.3, left + pw + p * 0.3), p * 0.2)
    over(img, panel, f32([0.03, 0.03, 0.035]) * rng.uniform(0.7, 2.0))
    colour = f32(rng.choice([[1.0, 0.12, 0.06], [0.25, 1.0, 0.3], [1.0, 0.62, 0.1], [1.0, 0.35, 0.05]]))
    lit = np.zeros((h, w), np.uint8)
    dark = np.zeros((h, w), np.uint8)
    for y in range(rows):
        for x in range(cols):
            c = (int(round((left + (x + 0.5) * p) * 16)), int(round((top + (y + 0.5) * p) * 16)))
            cv2.circle(lit if full[y, x] else dark, c, int(round(r * 16)), 255, -1, cv2.LINE_AA, shift=4)
    lit, dark = lit.astype(np.float32) / 255, dark.astype(np.float32) / 255
    over(img, dark, colour * rng.uniform(0.06, 0.16) + rng.uniform(0.03, 0.1))
    glow = cv2.GaussianBlur(lit, (0, 0), max(1.0, p * rng.uniform(0.3, 0.8)))
    img += glow[..., None] * colour * rng.uniform(0.3, 0.8)
    over(img, lit * rng.uniform(0.9, 1.0), np.minimum(colour * 1.05 + rng.uniform(0.1, 0.45), 1.0))
    return photograph(np.clip(img, 0, 1.2), rng, phone, glare=(0, 2), glare_strength=(0.08, 0.25))


def paper_scene(text, rng):
    """A strip of paper with the text printed in ink dots (impact or thermal), photographed."""
    h, w, phone = frame(rng)
    grid = dot_grid(text, rng)
    cols = grid.shape[1]
    dh = text_height(rng, h, w, cols / 7 * 1.05 + 0.2)
    p = dh / 6.8
    impact = rng.random() < 0.6
    r = p * (rng.uniform(0.38, 0.6) if impact else rng.uniform(0.42, 0.55))
    tw, th = cols * p, 7 * p
    top, left = place(rng, h, w, th, tw, 0.12)
    img = backdrop(h, w, rng)
    # The paper: a strip round the text, or a sheet filling the frame.
    if rng.random() < 0.6:
        mx, my = p * rng.uniform(2, 8), p * rng.uniform(3, 12)
        box = (top - my, left - mx, top + th + my, left + tw + mx)
    else:
        box = (-10, -10, h + 10, w + 10)
    pm = rounded_rect(h, w, box, 2)
    if rng.random() < 0.4:  # a torn edge at the bottom
        rough = (R.smooth_noise((1, w), 6, rng)[0] - 0.5) * p * 1.5
        ys = np.arange(h, dtype=np.float32)[:, None]
        pm *= (ys < box[2] + rough[None, :]).astype(np.float32)
    over(img, cv2.GaussianBlur(np.roll(pm, (int(p * 0.3), int(p * 0.2)), (0, 1)), (0, 0), max(1.0, p)) * 0.35, (0, 0, 0))
    paper_col = f32(rng.choice([[0.95, 0.95, 0.93], [0.93, 0.91, 0.84], [0.9, 0.9, 0.92], [0.97, 0.9, 0.88]]))
    paper = tile(h, w, rng, paper_col, max(8.0, p * 6), 0.08)
    if rng.random() < 0.3:  # continuous forms' pale green bars
        band = (np.floor(np.arange(h) / (p * 9)) % 2 == 0).astype(np.float32)[:, None, None]
        paper = paper * (1 - 0.12 * band * f32([1, 0.2, 1]))
    over(img, pm, paper)
    ink = f32(rng.choice([[0.1, 0.1, 0.12], [0.2, 0.18, 0.3], [0.25, 0.25, 0.27], [0.12, 0.12, 0.35]]))
    dots = np.zeros((h, w), np.float32)
    double = impact and rng.random() < 0.35
    row_density = rng.uniform(0.65, 1.0, 7) if impact else np.full(7, rng.uniform(0.8, 1.0))
    col_fade = 1 - rng.uniform(0, 0.35) * R.smooth_noise((1, cols), 4, rng)[0]
    for y in range(7):
        for x in range(cols):
            if not grid[y, x]:
                continue
            for dx in ((0.0, 0.5) if double else (0.0,)):
                cx = left + (x + 0.5 + dx) * p + rng.normal(0, 0.05 * p)
                cy = top + (y + 0.5) * p + rng.normal(0, 0.05 * p)
                rad = r * rng.uniform(0.85, 1.1)
                d = float(row_density[y] * col_fade[x] * rng.uniform(0.8, 1.0))
                y0, y1 = int(max(0, cy - rad - 2)), int(min(h, cy + rad + 3))
                x0, x1 = int(max(0, cx - rad - 2)), int(min(w, cx + rad + 3))
                if y1 <= y0 or x1 <= x0:
                    continue
                yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
                disc = np.clip(rad + 0.5 - np.sqrt((yy - cy) ** 2 + (xx - cx) ** 2), 0, 1) * d
                dots[y0:y1, x0:x1] = np.maximum(dots[y0:y1, x0:x1], disc)
    if impact:  # the ribbon's ink spreads into the paper
        dots = np.clip(cv2.GaussianBlur(dots, (0, 0), max(0.5, r * 0.25)) * 1.15, 0, 1)
        dots *= 0.8 + 0.2 * R.smooth_noise((h, w), max(2.0, p / 2), rng)
    over(img, dots * rng.uniform(0.75, 0.95), ink)
    if rng.random() < 0.4:  # a dotted rule well above or below (a receipt's separator)
        ry = top - p * rng.uniform(4, 7) if rng.random() < 0.5 else top + th + p * rng.uniform(3.5, 6)
        rule = np.zeros((h, w), np.uint8)
        for x in np.arange(left - p * 2, left + tw + p * 2, p * 2):
            cv2.circle(rule, (int(x * 16), int(ry * 16)), int(r * 16), 255, -1, cv2.LINE_AA, shift=4)
        over(img, rule.astype(np.float32) / 255 * 0.8 * pm, ink)
    return photograph(np.clip(img, 0, 1), rng, phone, glare=(0, 1), glare_strength=(0.05, 0.2))


def dots_scene(text, rng):
    return led_scene(text, rng) if rng.random() < 0.55 else paper_scene(text, rng)


# --- Stencils -------------------------------------------------------------------------

_CUTS = {}


def _pieces_ok(mask, min_share):
    """(pieces, the smallest piece's share of the ink, True when the ink has no island of
    paper and no crumb under min_share)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    areas = stats[1:, cv2.CC_STAT_AREA]
    if len(areas) == 0:
        return 0, 0.0, False
    share = float(areas.min() / areas.sum())
    if share < min_share:
        return len(areas), share, False
    holes = cv2.connectedComponents(np.pad(1 - mask, 1, constant_values=1), connectivity=4)[0] - 1
    return len(areas), share, holes == 1


def _cut(mask, line, s, b):
    """Cuts a bridge b wide across every stroke the line crosses square-on (a run of ink
    along it at most 1.8 strokes long). Returns the cut mask and how many strokes it cut."""
    out = mask.copy()
    axis, frac = line
    h, w = mask.shape
    e = int(round(0.3 * s))
    hb = max(1, int(round(b / 2)))
    n = 0
    if axis == "v":
        x = int(round(frac * (w - 1)))
        run = np.diff(np.concatenate([[0], mask[:, x], [0]]).astype(np.int8))
        for y0, y1 in zip(np.nonzero(run == 1)[0], np.nonzero(run == -1)[0]):
            if y1 - y0 <= 1.8 * s:
                out[max(0, y0 - e):y1 + e, max(0, x - hb):x + hb] = 0
                n += 1
    else:
        y = int(round(frac * (h - 1)))
        run = np.diff(np.concatenate([[0], mask[y, :], [0]]).astype(np.int8))
        for x0, x1 in zip(np.nonzero(run == 1)[0], np.nonzero(run == -1)[0]):
            if x1 - x0 <= 1.8 * s:
                out[max(0, y - hb):y + hb, max(0, x0 - e):x1 + e] = 0
                n += 1
    return out, n


def stencil_glyph(ch, font_rel, bridge):
    """A character of a bold font as a stencil would paint it: cut by 1-3 bridges
    into 2-4 pieces with no island of paper and no crumb; a list of the possible cuttings
    (bridges, the smallest piece's share, a binary mask 240 px tall), fewest bridges
    first. Empty when no cutting works."""
    key = (ch, font_rel, bridge)
    if key in _CUTS:
        return _CUTS[key]
    font = ImageFont.truetype(os.path.join(FONTS, font_rel), 240)
    ref = font.getbbox("0" if ch.isdigit() else "H")
    bb = font.getbbox(ch)
    t, b = min(ref[1], bb[1]), max(ref[3], bb[3])
    m = 20
    im = Image.new("L", (bb[2] - bb[0] + 2 * m, b - t + 2 * m), 0)
    ImageDraw.Draw(im).text((m - bb[0], m - t), ch, font=font, fill=255)
    mask = (np.asarray(im) > 127).astype(np.uint8)
    dt = cv2.distanceTransform(mask, cv2.DIST_L2, 5)
    ridge = (dt >= cv2.dilate(dt, np.ones((3, 3), np.uint8))) & (dt > 1)
    s = 2 * float(np.median(dt[ridge]))
    bw = bridge * s
    lines = [("v", f) for f in (0.5, 0.42, 0.58, 0.34, 0.66)] + [("h", f) for f in (0.5, 0.42, 0.58, 0.33, 0.67, 0.25, 0.75)]
    # The fractions run over the glyph's own ink box.
    ys, xs = np.nonzero(mask)
    y0, y1, x0, x1 = ys.min(), ys.max(), xs.min(), xs.max()
    found = []
    for k in (1, 2, 3):
        for combo in itertools.combinations(lines, k):
            cut = mask.copy()
            ok = True
            for axis, frac in combo:
                if axis == "v":
                    pos = (x0 + frac * (x1 - x0)) / (mask.shape[1] - 1)
                else:
                    pos = (y0 + frac * (y1 - y0)) / (mask.shape[0] - 1)
                cut, n = _cut(cut, (axis, pos), s, bw)
                if n == 0:
                    ok = False
                    break
            if not ok:
                continue
            pieces, _, fine = _pieces_ok(cut, 0.07)
            if fine and 2 <= pieces <= 4:
                # Round the corners (a cut stencil's knife), keep it only if still in pieces.
                soft = cv2.GaussianBlur(cut.astype(np.float32), (0, 0), 0.08 * s)
                cut2 = (soft > 0.5).astype(np.uint8)
                p2, share, fine2 = _pieces_ok(cut2, 0.07)
                if fine2 and 2 <= p2 <= 4:
                    found.append((k, share, cut2))
        if len(found) >= 3:
            break
    _CUTS[key] = found
    return found


def stencil_word(text, rng):
    """The text as stencil glyphs side by side: one coverage map 240 px tall (float)."""
    for _ in range(20):
        font = STENCIL_FONTS[int(rng.integers(len(STENCIL_FONTS)))]
        bridge = float(rng.choice([0.3, 0.42, 0.55]))
        parts = []
        for c in text:
            options = stencil_glyph(c, font, bridge)
            if not options:
                break
            # The fewest bridges (now and then one more), the pieces as even as may be.
            ks = sorted({k for k, _, _ in options})
            k = ks[1] if len(ks) > 1 and rng.random() < 0.2 else ks[0]
            pool = sorted((o for o in options if o[0] == k), key=lambda o: -o[1])[:2]
            parts.append(pool[int(rng.integers(len(pool)))][2])
        if len(parts) == len(text):
            break
    else:
        raise RuntimeError(f"no stencil cutting for {text!r}")
    hmax = max(p.shape[0] for p in parts)
    gap = int(240 * rng.uniform(0.1, 0.25))
    out = []
    for k, p in enumerate(parts):
        ys, xs = np.nonzero(p)
        g = p[:, xs.min():xs.max() + 1].astype(np.float32)
        g = np.pad(g, ((0, hmax - g.shape[0]), (0, 0)))
        if rng.random() < 0.5:  # each character laid a little askew
            g = np.pad(g, ((0, 0), (8, 8)))
            M = cv2.getRotationMatrix2D((g.shape[1] / 2, g.shape[0] / 2), rng.uniform(-2.5, 2.5), 1.0)
            M[1, 2] += rng.uniform(-0.02, 0.02) * hmax
            g = cv2.warpAffine(g, M, (g.shape[1], g.shape[0]))
        if k:
            out.append(np.zeros((hmax, gap), np.float32))
        out.append(g)
    word = np.concatenate(out, 1)
    ys, xs = np.nonzero(word > 0.5)
    return np.pad(word[ys.min():ys.max() + 1, xs.min():xs.max() + 1], 12)


def surface_scene(h, w, rng):
    """A wooden crate, concrete or painted metal filling the frame: (image, kind)."""
    kind = str(rng.choice(["wood", "concrete", "metal"]))
    yy = np.arange(h, dtype=np.float32)[:, None]
    if kind == "wood":
        base = f32(rng.choice([[0.78, 0.62, 0.42], [0.7, 0.55, 0.36], [0.6, 0.5, 0.38], [0.5, 0.45, 0.38]]))
        img = np.empty((h, w, 3), np.float32)
        img[...] = base * rng.uniform(0.85, 1.1)
        img *= wood_grain(h, w, rng)[..., None]
        plank = h * rng.uniform(0.22, 0.55)
        phase = rng.uniform(0, plank)
        pos = (yy + phase) % plank
        gap = max(2.0, h * rng.uniform(0.004, 0.012))
        seam = np.clip(1 - np.minimum(pos, plank - pos) / gap, 0, 1)
        img *= (1 - 0.75 * seam)[..., None]
        img *= (1 + 0.06 * (np.floor((yy + phase) / plank) % 2))[..., None]  # planks a little unlike
        if rng.random() < 0.6:  # nails near the planks' ends
            for yc in np.arange(-phase + plank / 2, h, plank):
                for xc in (w * rng.uniform(0.03, 0.08), w * rng.uniform(0.92, 0.97)):
                    cv2.circle(img, (int(xc), int(yc)), max(2, int(h * 0.008)), (0.25, 0.24, 0.23), -1, cv2.LINE_AA)
    elif kind == "concrete":
        img = tile(h, w, rng, np.float32([0.62, 0.61, 0.58]) * rng.uniform(0.8, 1.15), h / 4, 0.12)
        img *= (0.9 + 0.2 * R.smooth_noise((h, w), max(2.0, h / 400), rng))[..., None]
        pores = (rng.random((h, w)) < 0.004).astype(np.float32)
        pores = cv2.dilate(pores, np.ones((2, 2), np.uint8))
        img *= (1 - 0.5 * pores)[..., None]
        stain = np.clip(R.fbm((h, w), h / 3, rng) * 2 - 1.0, 0, 1)
        img *= (1 - 0.15 * stain)[..., None]
    else:
        base = f32(rng.choice([[0.33, 0.37, 0.25], [0.55, 0.57, 0.58], [0.2, 0.3, 0.45], [0.12, 0.3, 0.2],
                               [0.65, 0.3, 0.15]]))
        img = tile(h, w, rng, base * rng.uniform(0.85, 1.15), h / 3, 0.15)
        if rng.random() < 0.5:  # corrugated, as a container's side
            xx = np.arange(w, dtype=np.float32)[None, :]
            period = w * rng.uniform(0.05, 0.12)
            img *= (1 + 0.12 * np.sin(2 * np.pi * xx / period))[..., None]
        rust = np.clip(R.fbm((h, w), h / 6, rng) * 2.2 - 1.3, 0, 1)
        over(img, rust * 0.8, (0.45, 0.22, 0.1))
        if rng.random() < 0.5:  # a row of rivets
            yc = h * rng.uniform(0.04, 0.1) if rng.random() < 0.5 else h * rng.uniform(0.9, 0.96)
            for xc in np.arange(w * 0.05, w, w * rng.uniform(0.08, 0.15)):
                cv2.circle(img, (int(xc), int(yc)), max(2, int(h * 0.01)), tuple(float(v) for v in base * 1.3), -1,
                           cv2.LINE_AA)
    return np.clip(img, 0, 1), kind


def stencil_scene(text, rng):
    """The text sprayed through a stencil on a crate, a wall or metal, photographed."""
    h, w, phone = frame(rng)
    word = stencil_word(text, rng)
    ch = text_height(rng, h, w, word.shape[1] / word.shape[0] * 1.05, fill=0.8)
    scale = ch / word.shape[0]
    ww = max(4, int(round(word.shape[1] * scale)))
    hh = max(4, int(round(ch)))
    cov = np.clip(cv2.resize(word, (ww, hh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR), 0, 1)
    img, kind = surface_scene(h, w, rng)
    top, left = place(rng, h, w, hh, ww, 0.1)
    top, left = int(top), int(left)
    m = int(ch * 0.25) + 4
    local = np.pad(cov, m)
    lh, lw = local.shape
    # The spray: a patchy coat through the stencil, paint creeping under its edge, the
    # overspray's halo of droplets round it, drips below, wear.
    coat = rng.uniform(0.75, 0.97) * (1 - rng.uniform(0.0, 0.35) * R.fbm((lh, lw), max(4.0, ch / 3), rng))
    creep = np.clip(cv2.GaussianBlur(local, (0, 0), max(0.5, ch * rng.uniform(0.002, 0.008))) * 1.3, 0, 1)
    core = creep * coat
    halo = cv2.GaussianBlur(local, (0, 0), max(1.0, ch * rng.uniform(0.01, 0.05))) * rng.uniform(0.12, 0.4)
    droplets = (rng.random((lh, lw)) < rng.uniform(0.03, 0.15)).astype(np.float32)
    halo *= 0.35 + 0.65 * cv2.GaussianBlur(droplets, (0, 0), 0.6) * 1.5
    alpha = np.maximum(core, np.clip(halo, 0, 1))
    if rng.random() < 0.3:  # drips
        bottoms = np.nonzero((local[:-1] > 0.5) & (local[1:] < 0.5))
        for j in rng.choice(len(bottoms[0]), size=min(len(bottoms[0]), int(rng.integers(1, 4))), replace=False):
            y, x = int(bottoms[0][j]), int(bottoms[1][j])
            length = int(ch * rng.uniform(0.04, 0.25))
            width = max(2, int(ch * rng.uniform(0.01, 0.025)))
            cv2.line(alpha, (x, y), (x, min(lh - 1, y + length)), float(coat.mean()), width, cv2.LINE_AA)
            cv2.circle(alpha, (x, min(lh - 1, y + length)), width, float(coat.mean()), -1, cv2.LINE_AA)
    if rng.random() < 0.25:  # worn: flakes gone
        wear = R.fbm((lh, lw), max(3.0, ch / 14), rng)
        alpha *= np.clip((wear - rng.uniform(0.12, 0.2)) * 8, 0, 1)
    luma = float(img.mean())
    paints = [[0.06, 0.06, 0.07], [0.92, 0.92, 0.9], [0.92, 0.75, 0.08], [0.7, 0.1, 0.08], [0.1, 0.15, 0.4]]
    paints = [c for c in paints if abs(np.mean(c) * (1.2 if c[0] > 0.8 and c[2] < 0.2 else 1) - luma) > 0.3] or [
        [0.06, 0.06, 0.07] if luma > 0.5 else [0.92, 0.92, 0.9]]
    paint = f32(paints[int(rng.integers(len(paints)))])
    if kind == "wood":  # the grain shows through
        alpha *= 0.85 + 0.15 * R.smooth_noise((lh, lw), max(2.0, h / 90), rng, cell_x=w / 1.5)
    R.blend(img, np.clip(alpha, 0, 1), paint, top - m, left - m)
    return photograph(img, rng, phone, glare=(0, 1), glare_strength=(0.05, 0.2))


# --- The set --------------------------------------------------------------------------

def number_text(rng, longest):
    """A single digit half the time, else a number of 2..longest digits (no leading zero)."""
    if rng.random() < 0.5:
        return str(int(rng.integers(10)))
    n = int(rng.integers(2, longest + 1))
    return str(int(rng.integers(1, 10))) + "".join(str(int(d)) for d in rng.integers(0, 10, n - 1))


def mark_name(text):
    return "".join(MARK_NAMES.get(c, c) for c in text)


def main():
    args, families, *_ = SET21.start("make-heldout-set23.py", __doc__, FAMILIES, 231, mnist=False)

    def make_one(family, k, i, side, rng):
        if family == "marks-pieces":
            style = ("lcd", "dots", "stencil")[i % 3]
            if style == "lcd":
                text = SEG_MARKS[int(rng.integers(len(SEG_MARKS)))]
                data, ext = lcd_scene(text, rng)
            elif style == "dots":
                if rng.random() < 0.7:
                    text = DOT_MARKS[int(rng.integers(len(DOT_MARKS)))]
                else:
                    text = "".join(DOT_MARKS[int(j)] for j in rng.integers(0, len(DOT_MARKS), int(rng.integers(2, 5))))
                data, ext = dots_scene(text, rng)
            else:
                if rng.random() < 0.7:
                    text = STENCIL_MARKS[int(rng.integers(len(STENCIL_MARKS)))]
                else:
                    text = STENCIL_WORDS[int(rng.integers(len(STENCIL_WORDS)))]
                data, ext = stencil_scene(text, rng)
            return f"x_{mark_name(text)}-{style}{i:03d}.{ext}", data
        if family == "lcd-display":
            text = number_text(rng, 5)
            data, ext = lcd_scene(text, rng)
        elif family == "led-dots":
            text = number_text(rng, 5)
            data, ext = dots_scene(text, rng)
        else:
            text = number_text(rng, 4)
            data, ext = stencil_scene(text, rng)
        label = text if len(text) == 1 else f"n{text}"
        return f"{label}_{family}{i:03d}.{ext}", data

    SET21.write_families(args, families, FAMILIES, make_one)


if __name__ == "__main__":
    main()
