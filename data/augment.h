// Seeded augmentation of training images, of two kinds (Augment).
//
// Digits (augment_digit): a training digit gets a random small affine warp (shift,
// rotation, scale, shear) about the image centre, applied by inverse mapping
// with bilinear sampling, then a change of pen: strokes thickened or thinned
// (a partial grey dilation or erosion by a 3x3 square), blurred, and lighter.
// These are what a preprocessed user digit differs from MNIST by: pads are
// drawn with thin and thick pens, photos are soft. Deterministic for a given 64-bit key (counter-based:
// splitmix64 of the key, no global RNG state), allocation-free, re-entrant.
#pragma once

#include <cstdint>
#include <string>

namespace blnk::data {

// What a training image goes through before the network sees it:
//   digits     the warp and pen changes below (single-channel digits only);
//   crop       the picture moved by a random offset of up to crop_pad(side) pixels per
//              axis, the border filled with black (zero padding, then a random window
//              of the original size: the usual crop of image classifiers);
//   crop_flip  crop, then mirrored left to right half of the time (for classes whose
//              mirror image is of the same class: clothes, leaves, parts; not letters).
enum class Augment { none, digits, crop, crop_flip };
Augment parse_augment(const std::string& name);  // none, digits, crop, crop-flip; else Error
const char* augment_name(Augment kind);
// The padding of a side: 1/8 of it, rounded, at least 1 (4 pixels at 28 and 32).
inline int crop_pad(int side) { return side < 12 ? 1 : (side + 4) / 8; }

// The crop (and with flip, the mirror) of one (rows, cols, channels) uint8 picture into
// dst as floats in [0, 1]; deterministic for a key, allocation-free, re-entrant.
void augment_crop(const std::uint8_t* src, int rows, int cols, int channels, float* dst, std::uint64_t key,
                  bool flip);

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
