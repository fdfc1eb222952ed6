// Pixel values between bytes and the network's unit range: a byte v is v/255
// (0 = background, 1 = full ink), as the trainer, evaluation, the reader and
// the Python module feed images; a unit value goes back to the nearest byte.
// One place, so that training and reading can never scale differently.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace blnk::data {

inline constexpr float kUnitPerByte = 1.0f / 255.0f;

inline float unit_of_byte(float byte_value) { return byte_value * kUnitPerByte; }

// dst[i] = src[i] / 255 for n pixels.
inline void bytes_to_units(const std::uint8_t* src, std::size_t n, float* dst) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = float(src[i]) * kUnitPerByte;
}

// The nearest byte of a unit value, clamped to [0, 1] first.
inline std::uint8_t byte_of_unit(float v) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f));
}

}  // namespace blnk::data
