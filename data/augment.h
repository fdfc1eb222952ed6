// Seeded augmentation of a training digit: a random small affine warp (shift,
// rotation, scale, shear) about the image centre, applied by inverse mapping
// with bilinear sampling, then a change of pen: strokes thickened or thinned
// (a partial grey dilation or erosion by a 3x3 square), blurred, and lighter.
// These are what a preprocessed user digit differs from MNIST by: pads are
// drawn with thin and thick pens, photos are soft. Deterministic for a given 64-bit key (counter-based:
// splitmix64 of the key, no global RNG state), allocation-free, re-entrant.
#pragma once

#include <cstdint>

namespace blnk::data {

struct AugmentOptions {
  float max_shift = 2.0f;         // pixels, uniform in [-max_shift, max_shift] per axis
  float max_rotation_deg = 10.0f; // uniform in [-max, max]
  float min_scale = 0.9f;         // uniform in [min_scale, max_scale]
  float max_scale = 1.1f;
  float max_shear = 0.2f;         // x += shear * y, shear uniform in [-max, max] (slanted handwriting)
  // The pen: stroke change t uniform in [-max_thin, max_thicken] (t > 0: that
  // fraction of a 3x3 dilation, t < 0: of an erosion), then that fraction of
  // a 3x3 blur in [0, max_blur], then ink scaled by [min_ink, 1].
  float max_thicken = 0.8f;
  float max_thin = 0.5f;
  float max_blur = 0.5f;
  float min_ink = 0.8f;
};

// The warp chosen for a key, exposed for tests and for reproducing a sample.
struct AugmentParams {
  float shift_x = 0, shift_y = 0, rotation_deg = 0, scale = 1, shear = 0;
  float stroke = 0, blur = 0, ink = 1;
};
AugmentParams augment_params(std::uint64_t key, const AugmentOptions& opt);

// src: (rows, cols) uint8, 0 = background. dst: (rows, cols) float in [0,1]
// (src/255 warped). Pixels sampled from outside the source are background.
// The pen steps need rows * cols <= kMaxPenPixels (they work on the stack);
// larger images get the warp only.
inline constexpr int kMaxPenPixels = 64 * 64;
void augment_digit(const std::uint8_t* src, int rows, int cols, float* dst, std::uint64_t key,
                   const AugmentOptions& opt);

}  // namespace blnk::data
