#!/usr/bin/env bash
# The extra digit kinds the bundled models train on (scripts/lib/training_styles.py):
# a seven-segment digit lights as many segments as its digit has (a segment non-digit
# is two segments from every digit), one seed makes the
# same picture, a relief photo is a textured RGB picture of a bounded size, and broken
# strokes keep part of the ink and add nothing brighter than a faint ghost; strip digits
# and their non-digits (make-training-set.py --strip-digits) are told apart by form.
# Skips (77) without Debian's python3 with numpy, PIL and OpenCV.
#   tests/stress/training_styles.sh
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
python=/usr/bin/python3
if ! "$python" -c "import numpy, PIL, cv2" 2>/dev/null; then
  echo "SKIP: needs /usr/bin/python3 with numpy, PIL and OpenCV (scripts/setup.sh --test)"; exit 77
fi
"$python" - "$here/scripts/lib" <<'PY'
import sys
import numpy as np
sys.path.insert(0, sys.argv[1])
import training_styles as T

def lit_pixels(digit, seed=3):
    rng = np.random.default_rng(seed)
    return int((T.segment_digit(digit, rng) > 0.5).sum())

lit = {d: lit_pixels(d) for d in range(10)}
segments = {d: len(T.SEGMENTS[d][0]) for d in range(10)}
assert max(lit, key=lit.get) == 8 and min(lit, key=lit.get) == 1 and lit[1] > 0, f"lit pixels per digit: {lit}"
per_segment = [lit[d] / segments[d] for d in (0, 1, 8)]
assert max(per_segment) < 1.6 * min(per_segment), f"lit pixels per segment: {per_segment}"
a, b = (T.segment_digit(5, np.random.default_rng(9)) for _ in range(2))
assert a.shape == b.shape and np.array_equal(a, b), "one seed, two pictures"
# The gate's segment non-digits: every display letter is two segments or more from any
# digit's form (a digit with one segment dark is still that digit), and one seed makes
# one picture.
assert all(T._far_from_digits(lit) for lit in T.SEGMENT_NON_DIGITS), "a non-digit one segment from a digit"
assert not T._far_from_digits("abcdfg") and not T._far_from_digits("abcdefg"), "a 9 and an 8 are digits"
a, b = (T.segment_non_digit(np.random.default_rng(4)) for _ in range(2))
assert a.shape == b.shape and np.array_equal(a, b), "one seed, two non-digits"

cov = np.zeros((60, 40), np.float32)
cov[10:50, 18:24] = 1  # a bar: a 1
for seed in range(20):
    img = T.relief_photo(cov, np.random.default_rng(seed))
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3, img.shape
    assert 12 <= max(img.shape[:2]) <= 200, img.shape
    assert img.std() > 2, f"seed {seed}: a flat picture"
    broken = T.broken_strokes(cov, np.random.default_rng(seed))
    kept = broken[cov > 0.5].sum() / (cov > 0.5).sum()
    assert 0.3 < kept <= 1.0, f"seed {seed}: {kept:.2f} of the ink kept"
    assert broken[cov == 0].max() <= 0.2 + 1e-6, f"seed {seed}: a ghost as bright as ink"
# Digits of strips: every form of every digit draws ink, one seed makes one picture,
# no letter or shape of strips is drawn as a digit's form, and a strip photo is a
# textured RGB picture of a bounded size.
digit_forms = [f for forms in T.STRIP_FORMS.values() for f in forms]
assert all(lines not in digit_forms for lines, _ in T.STRIP_NON_DIGITS), "a strip non-digit drawn as a digit"
for d in range(10):
    a, b = (T.strip_digit(d, np.random.default_rng(d)) for _ in range(2))
    assert a.shape == b.shape and np.array_equal(a, b), f"{d}: one seed, two pictures"
    assert (a > 0.5).sum() > 0.05 * a.size, f"{d}: too little ink"
for seed in range(10):
    img = T.strip_photo(np.pad(T.strip_non_digit(np.random.default_rng(seed)), 10), np.random.default_rng(seed))
    assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3 and 12 <= max(img.shape[:2]) <= 220, img.shape
    assert img.std() > 2, f"seed {seed}: a flat picture"
print("training styles: ok", lit)
PY
