// The sliding window of convolution and pooling, with Keras's padding: the output
// size and leading padding of each spatial dimension, and one walk over the taps
// of an output's window that fall inside the input (padding contributes nothing).
#pragma once

#include <algorithm>
#include <cstddef>

#include "base/shape.h"

namespace blnk {

enum class Padding { same, valid };

// Output size and leading padding of one spatial dimension, as Keras computes them.
struct PaddedDim {
  int out = 0;
  int pad_before = 0;
};

inline PaddedDim padded_dim(int in, int kernel, int stride, Padding padding) {
  PaddedDim d;
  if (padding == Padding::same) {
    d.out = (in + stride - 1) / stride;
    const int total = std::max((d.out - 1) * stride + kernel - in, 0);
    d.pad_before = total / 2;  // Keras/TensorFlow put the odd extra pixel after
  } else {
    if (in < kernel) return d;  // out = 0: the caller reports it
    d.out = (in - kernel) / stride + 1;
  }
  return d;
}

struct Window {
  Shape in;  // (h, w, c) of one sample
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  PaddedDim rows, cols;

  Window() = default;
  Window(Shape input, int kh, int kw, int sh, int sw, Padding padding)
      : in(input), kernel_h(kh), kernel_w(kw), stride_h(sh), stride_w(sw),
        rows(padded_dim(input.h, kh, sh, padding)), cols(padded_dim(input.w, kw, sw, padding)) {}

  int taps() const { return kernel_h * kernel_w; }

  // Calls visit(tap, pixel) for each tap of output (oy, ox) inside the input, in
  // window order: tap = ky * kernel_w + kx, pixel = iy * in.w + ix (multiply by the
  // channel count for an NHWC offset).
  // Always inlined: in the kernels' inner loops the visitor must see their
  // compile-time filter counts (measured: 25% slower direct convolution otherwise).
  template <typename Visit>
  [[gnu::always_inline]] inline void for_each_tap(int oy, int ox, Visit&& visit) const {
    for (int ky = 0; ky < kernel_h; ++ky) {
      const int iy = oy * stride_h - rows.pad_before + ky;
      if (iy < 0 || iy >= in.h) continue;
      for (int kx = 0; kx < kernel_w; ++kx) {
        const int ix = ox * stride_w - cols.pad_before + kx;
        if (ix < 0 || ix >= in.w) continue;
        visit(ky * kernel_w + kx, std::size_t(iy) * in.w + ix);
      }
    }
  }
};

}  // namespace blnk
