// Grey-level closing and opening by a square, in O(1) per pixel whatever its
// size: what the top-hats measure (ink is thin: below its closing when dark,
// above its opening when light). Used by the polarity decision
// (data/polarity.h) and by the search for digits in a picture (data/find_digits.h).
#pragma once

#include <vector>

namespace blnk::data {

// Planes reused across calls; not shared between threads.
struct MorphologyScratch {
  std::vector<float> a, b, line;
};

// out (H, W) = the closing of image (H, W) by a (2r+1)x(2r+1) square: a max
// filter then a min filter, which fills in dark structures narrower than the square.
void grey_closing(const float* image, int W, int H, int r, float* out, MorphologyScratch& scratch);
// out (H, W) = the opening: min then max, which removes light structures narrower than the square.
void grey_opening(const float* image, int W, int H, int r, float* out, MorphologyScratch& scratch);

}  // namespace blnk::data
