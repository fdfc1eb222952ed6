// A BatchNorm's input gradient as a per-element map of the gradient at its output,
// for the layer before it to apply where it reads the values: the convolution
// before a bn in a residual block takes the bn's output gradient and this map
// rather than a tensor that a pass of the bn wrote and the convolution reads back
// (two passes over the tensor less; layers/batchnorm.h, BatchNorm::input_gradient).
#pragma once

#include <cmath>
#include <cstddef>

namespace blnk {

struct BatchNormGradient {
  const float* x;  // the bn's input (the convolution's output)
  // Forward's map, for the ReLU's mask: the output was positive where
  // (x - center) * scale + offset > 0.
  const float* center;
  const float* scale;
  const float* offset;
  // dx = a * (dz - dz_mean) + b * (x - mean), per channel; dz = dy under the mask.
  const float* a;
  const float* b;
  const float* dz_mean;
  const float* mean;
  bool relu;

  // The input gradient at element i (channel c) of x, from the output gradient dy
  // (the same element). The bn's own backward computes it by this function too.
  template <bool Relu>
  float at(const float* dy, std::size_t i, int c) const {
    return of<Relu>(dy[i], x[i], c);
  }
  // The same from the two values: the output gradient g and the input xi, channel c.
  // Fused multiply-adds written out: the same bits wherever the compiler inlines it
  // (it contracts a * b + c as it sees fit otherwise).
  template <bool Relu>
  float of(float g, float xi, int c) const {
    float dz = g;
    if constexpr (Relu) dz = std::fma(xi - center[c], scale[c], offset[c]) > 0.0f ? dz : 0.0f;
    return std::fma(a[c], dz - dz_mean[c], b[c] * (xi - mean[c]));
  }
};

}  // namespace blnk
