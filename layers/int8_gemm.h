// The int8 product behind the quantized convolution and dense layers
// (layers/int8_conv.h): unsigned 8-bit activations times signed 8-bit weights,
// summed exactly in int32, then one fused epilogue per output:
//   y = fma(float(acc - zero_point * sum(w)), input_scale * weight_scale[o], bias[o]), ReLU optional.
// Two kernels over one packed weight layout: AVX-512 VNNI (vpdpbusd: four u8 x s8
// products summed into each int32 lane) and plain C++ loops, chosen at run time from
// cpuid. Integer sums are exact and the epilogue is the same operations in the same
// order, so both give the same bits; the tests hold both to a scalar oracle.
#pragma once

#include <cstddef>
#include <cstdint>

namespace blnk {

// Output channels are packed in blocks of this many (one 512-bit vector of int32),
// the reduction in groups of four bytes (one vpdpbusd lane).
inline constexpr int kInt8Block = 16;
inline constexpr int kInt8Group = 4;

inline int int8_round_up(int v, int m) { return (v + m - 1) / m * m; }

// The left operand: `rows` rows (output pixels), row r starting at base + offsets[r].
// A row is `segments` runs of `segment_length` bytes (a multiple of kInt8Group), run s
// at segment_stride * s from the row's start: a convolution's window over a padded
// NHWC image is kernel_h runs of kernel_w * channels bytes, each read rounded up to
// whole groups of 4 (the bytes past the run meet zero weights: int8_pack_weights).
struct Int8Rows {
  const std::uint8_t* base = nullptr;
  const std::int32_t* offsets = nullptr;  // (rows)
  int rows = 0;
  int segments = 1;
  std::ptrdiff_t segment_stride = 0;
  int segment_length = 0;
  int depth() const { return segments * segment_length; }  // bytes per row, as the weights are packed
};

// The right operand and the epilogue, made by int8_pack_weights once per parameter change.
struct Int8Weights {
  const std::int8_t* packed = nullptr;  // (outputs_padded / 16, depth / 4, 16, 4)
  const std::int32_t* correction = nullptr;  // (outputs_padded): zero_point * sum over depth of w
  const float* scale = nullptr;              // (outputs_padded): input_scale * weight_scale[o]
  const float* bias = nullptr;               // (outputs_padded)
  int depth = 0;    // a multiple of kInt8Group
  int outputs = 0;  // written per row of y
  bool relu = false;
};

inline std::size_t int8_packed_bytes(int depth, int outputs) {
  return std::size_t(depth) * std::size_t(int8_round_up(outputs, kInt8Block));
}

// Packs kernel (segments * run, outputs) row-major (whole numbers in [-127, 127], as
// float) into `packed` (int8_packed_bytes(segments * segment_length, outputs)): each
// run of `run` kernel rows padded with zero rows to segment_length (a multiple of 4), so
// that the bytes a row's segment reads past its run meet zero weights. Writes
// correction (zero_point * column sums) too.
void int8_pack_weights(const float* kernel, int segments, int run, int segment_length, int outputs, int zero_point,
                       std::int8_t* packed, std::int32_t* correction);

// y (rows, y_stride floats apart) = the product and epilogue. The dispatching entry
// point uses VNNI where cpuid reports it (and the build can emit it), else the plain loops.
void int8_product(const Int8Rows& a, const Int8Weights& w, float* y, std::ptrdiff_t y_stride);
void int8_product_plain(const Int8Rows& a, const Int8Weights& w, float* y, std::ptrdiff_t y_stride);
void int8_product_vnni(const Int8Rows& a, const Int8Weights& w, float* y, std::ptrdiff_t y_stride);
bool int8_vnni_available();

// q[i] = clamp(round_to_nearest_even(x[i] * inverse_scale) + zero_point, 0, 255) for
// n values (NaN quantizes as the most negative value). AVX-512 where available; both
// paths give the same bytes.
void int8_quantize(const float* x, std::size_t n, float inverse_scale, int zero_point, std::uint8_t* q);
void int8_quantize_plain(const float* x, std::size_t n, float inverse_scale, int zero_point, std::uint8_t* q);
void int8_quantize_avx512(const float* x, std::size_t n, float inverse_scale, int zero_point, std::uint8_t* q);

}  // namespace blnk
