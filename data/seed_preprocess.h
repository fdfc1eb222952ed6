// The seed's preprocessing, reproduced step for step so that its own model
// (imported with `blnk import-keras`) gives its own answers. The seed's Django
// view makepredictions() (BasemRizk/blnk-OCR, classify_app/views.py) did:
//   1. Pillow: Image.open(path).resize((28, 28)): the default filter, bicubic, a
//      separable convolution (a = -0.5) whose support widens by the downscale
//      factor, in 8-bit fixed point, horizontal pass first; images with alpha
//      are resized premultiplied, then unpremultiplied;
//   2. OpenCV: cvtColor(array, COLOR_BGRA2GRAY) on Pillow's RGBA array as it is,
//      so channel 0 (red) gets blue's weight and channel 2 (blue) red's:
//      gray = (3735 c0 + 19235 c1 + 9798 c2 + 16384) >> 15, 8 bits (OpenCV 4);
//   3. scikit-image: rescale_intensity to [0, 1] (gray / 255), then between the
//      10th and 90th percentiles (numpy's linear interpolation) with clipping;
//   4. 1 where the stretched value is >= 0.45, else 0. No polarity handling: a
//      light background is 1, dark ink 0. No cropping or centring.
// Where the seed crashed, because its conversion needs four channels: RGB images
// (every JPEG) take the same weights on their three channels, gray images are
// their own gray, gray + alpha images are resized premultiplied as Pillow does
// and then taken as gray. Palette images are read as their colours (the seed
// resized palette indices and then crashed) and 16-bit images as 8-bit.
//
// Pure functions, re-entrant. docs/keras.md shows how the seed's answers compare.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "data/image_color.h"
#include "data/preprocess.h"

namespace blnk::data {

inline constexpr double kSeedThreshold = 0.45;  // the view's threshold_value (a Python float)

// Pillow's Image.resize(size) for 8-bit images (the default bicubic filter), with
// alpha premultiplied during the resize when the image has alpha.
ColorImage resize_like_pillow(const ColorImage& image, int width, int height);
// Step 2 on a kDigitSide x kDigitSide image: the swapped BGRA-to-gray weights.
std::array<std::uint8_t, kDigitPixels> seed_gray(const ColorImage& resized);
// Steps 3 and 4: 0 or 1 per pixel.
std::array<float, kDigitPixels> seed_stretch_and_binarize(const std::array<std::uint8_t, kDigitPixels>& gray);
// All four steps: the 28x28 input the seed's model saw.
std::array<float, kDigitPixels> seed_preprocess(const ColorImage& image);
// From encoded bytes (decode_image_color, then seed_preprocess), in the form
// preprocess_digit returns, so a caller can take either pipeline: found is always
// true (the seed had no notion of "no digit"), the box is the whole image.
// Throws ImageError naming `name`, as decode_image_gray does.
Preprocessed seed_preprocess_image(std::span<const std::uint8_t> bytes, const std::string& name,
                                   const ImageLimits& limits = {});

}  // namespace blnk::data
