// Fitting a decoded image of any size into a class model's input (H, W, C) bytes,
// the one way a class folder's images are made for training and a class model's
// images for predict, eval and the server (data/class_folder.h).
//
//   alpha  composited over white (a transparent background reads as paper);
//   colour to grey: Rec.601 luma, Y = 0.299 R + 0.587 G + 0.114 B; grey to colour: R = G = B;
//   size   pad:  scaled, keeping the aspect ratio, until the whole image fits, then
//                centred on black (the default: nothing of the image is lost);
//          crop: scaled, keeping the aspect ratio, until it covers the input, then
//                centre-cropped (nothing is added; the sides of a long image go).
// Resampling averages n x n bilinear samples per output pixel (n = the reduction,
// rounded up, at most kMaxFitSamples), so a large photo is averaged, not aliased.
// Pixels keep their natural values (0 = black), unlike the digit layout's ink.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "data/image_color.h"

namespace blnk::data {

enum class ImageFit { pad, crop };
const char* fit_name(ImageFit fit);                          // "pad", "crop"
std::optional<ImageFit> parse_fit(const std::string& name);  // nullopt: neither

inline constexpr int kMaxFitSamples = 16;     // per axis and output pixel: 256 samples at most
inline constexpr int kMaxClassImageSide = 1024;  // of a class model's input

// What a class model takes: (height, width, channels) bytes, made by `fit`.
struct ClassInput {
  int height = 0, width = 0;
  int channels = 0;  // 1 grey or 3 RGB
  ImageFit fit = ImageFit::pad;
  std::size_t size() const { return std::size_t(height) * std::size_t(width) * std::size_t(channels); }
};

// Writes input.size() bytes to `out` (height, width, channels), 0 = black. Reads the
// image's samples where they lie: nothing is allocated, whatever the image's size.
void fit_image(const ColorImage& image, const ClassInput& input, std::uint8_t* out);

}  // namespace blnk::data
