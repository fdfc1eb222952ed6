// The one-input-channel convolution (see conv2d_direct.h).
#include "layers/conv2d_direct.h"

#include <algorithm>
#include <cstring>
#include <limits>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace blnk {

namespace {

// row[f] += v * w[f] for f < F; F known at compile time for the common filter
// counts, so the accumulation stays in vector registers.
template <int F>
inline void axpy_fixed(float v, const float* w, float* row) {
  for (int f = 0; f < F; ++f) row[f] += v * w[f];
}
inline void axpy(float v, const float* w, float* row, int F) {
  switch (F) {
    case 16: return axpy_fixed<16>(v, w, row);
    case 32: return axpy_fixed<32>(v, w, row);
    case 64: return axpy_fixed<64>(v, w, row);
    default:
      for (int f = 0; f < F; ++f) row[f] += v * w[f];
  }
}

}  // namespace

// Direct convolution for one input channel: each output row starts from the bias,
// gathers kh*kw scaled kernel rows and takes its ReLU. With the filter count known
// at compile time (FIXED > 0) the row lives in vector registers throughout.
template <int FIXED>
void DirectConv::forward_rows(const float* x, float* y, int n, const float* kernel, const float* bias) const {
  // Local copies of the geometry, which the compiler then keeps in registers (as members
  // it reloaded them inside the pixel loop: 25% slower).
  const Window win = win_;
  const Shape out = out_;
  const int F = FIXED > 0 ? FIXED : out.c;
  float acc_fixed[FIXED > 0 ? FIXED : 1];
  // 3x3, stride 1, all taps inside the image: nine broadcasts and one fused pass over
  // the filters, no bounds checks (most pixels of the seed's first layer).
  const bool k3s1 = FIXED > 0 && win.kernel_h == 3 && win.kernel_w == 3 && win.stride_h == 1 && win.stride_w == 1;
  const std::size_t W = std::size_t(win.in.w);
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * win.in.size();
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        float* row = y + ((std::size_t(s) * out.h + oy) * out.w + ox) * F;
        const int iy0 = oy - win.rows.pad_before, ix0 = ox - win.cols.pad_before;
        if (k3s1 && iy0 >= 0 && iy0 + 2 < win.in.h && ix0 >= 0 && ix0 + 2 < win.in.w) {
          const float* p = xs + std::size_t(iy0) * W + std::size_t(ix0);
          const float v0 = p[0], v1 = p[1], v2 = p[2], v3 = p[W], v4 = p[W + 1], v5 = p[W + 2],
                      v6 = p[2 * W], v7 = p[2 * W + 1], v8 = p[2 * W + 2];
          for (int f = 0; f < F; ++f) {
            float a = bias[f] + v0 * kernel[f] + v1 * kernel[F + f] + v2 * kernel[2 * F + f] +
                      v3 * kernel[3 * F + f] + v4 * kernel[4 * F + f] + v5 * kernel[5 * F + f] +
                      v6 * kernel[6 * F + f] + v7 * kernel[7 * F + f] + v8 * kernel[8 * F + f];
            row[f] = relu_ ? std::max(a, 0.0f) : a;
          }
          continue;
        }
        float* acc = FIXED > 0 ? acc_fixed : row;
        for (int f = 0; f < F; ++f) acc[f] = bias[f];
        win.for_each_tap(oy, ox, [=](int tap, std::size_t pixel) {
          const float v = xs[pixel];
          const float* w = kernel + std::size_t(tap) * F;
          for (int f = 0; f < F; ++f) acc[f] += v * w[f];
        });
        if (relu_)
          for (int f = 0; f < F; ++f) row[f] = std::max(acc[f], 0.0f);
        else if (FIXED > 0)
          for (int f = 0; f < F; ++f) row[f] = acc[f];
      }
  }
}

void DirectConv::forward(const float* x, float* y, int n, const float* kernel, const float* bias) const {
  if (forward_in_registers(x, y, n, kernel, bias)) return;
  switch (out_.c) {
    case 16: return forward_rows<16>(x, y, n, kernel, bias);
    case 32: return forward_rows<32>(x, y, n, kernel, bias);
    case 64: return forward_rows<64>(x, y, n, kernel, bias);
    default: return forward_rows<0>(x, y, n, kernel, bias);
  }
}

void DirectConv::backward(const float* x, const float* dz, float* dx, int n, const float* kernel,
                          float* dkernel, bool add_dx) const {
  const Window win = win_;  // local copies, kept in registers (see forward_rows)
  const Shape out = out_;
  const int F = out.c;
  if (dx && !add_dx) std::memset(dx, 0, sizeof(float) * std::size_t(n) * win.in.size());
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * win.in.size();
    float* dxs = dx ? dx + std::size_t(s) * win.in.size() : nullptr;
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        const float* d = dz + ((std::size_t(s) * out.h + oy) * out.w + ox) * F;
        win.for_each_tap(oy, ox, [=](int tap, std::size_t i) {
          const std::size_t k = std::size_t(tap);
          axpy(xs[i], d, dkernel + k * F, F);  // dW[k] += x * dz
          if (dxs) {
            float acc = 0;
            for (int f = 0; f < F; ++f) acc += d[f] * kernel[k * F + f];
            dxs[i] += acc;
          }
        });
      }
  }
}

#if defined(__AVX512F__)
namespace {

// y[f0 .. f0 + 16 NV) of every output pixel: the nine taps' kernel vectors and the bias
// stay in registers for the whole slice; each pixel is nine broadcasts and multiply-adds.
template <int NV>
void first_layer_outputs(const float* x, float* y, int n, Shape in, Shape out, int pad_top,
                         int pad_left, bool relu, int f0, const float* kernel, const float* bias) {
  const int F = out.c;
  const __m512 floor = _mm512_set1_ps(relu ? 0.0f : -std::numeric_limits<float>::infinity());
  __m512 w[9][NV], b[NV];
  for (int j = 0; j < NV; ++j) {
    b[j] = _mm512_loadu_ps(bias + f0 + 16 * j);
    for (int k = 0; k < 9; ++k) w[k][j] = _mm512_loadu_ps(kernel + std::size_t(k) * F + f0 + 16 * j);
  }
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * in.size();
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        const int iy0 = oy - pad_top, ix0 = ox - pad_left;
        const bool inside = iy0 >= 0 && iy0 + 2 < in.h && ix0 >= 0 && ix0 + 2 < in.w;
        __m512 acc[NV];
        for (int j = 0; j < NV; ++j) acc[j] = b[j];
#pragma GCC unroll 9
        for (int k = 0; k < 9; ++k) {
          const int iy = iy0 + k / 3, ix = ix0 + k % 3;
          if (!inside && (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w)) continue;
          const __m512 v = _mm512_set1_ps(xs[std::size_t(iy) * in.w + ix]);
          for (int j = 0; j < NV; ++j) acc[j] = _mm512_fmadd_ps(v, w[k][j], acc[j]);
        }
        float* row = y + ((std::size_t(s) * out.h + oy) * out.w + ox) * F + f0;
        for (int j = 0; j < NV; ++j) _mm512_storeu_ps(row + 16 * j, _mm512_max_ps(acc[j], floor));
      }
  }
}

// dkernel[k][f0 .. f0 + 16 NV) += sum over output pixels of x(pixel + tap k) * dz[f],
// dbias likewise, where dz = dy through the ReLU's mask. Nine taps x NV vectors of
// accumulators stay in registers for the whole slice.
template <int NV>
void first_layer_grads(const float* x, const float* y, const float* dy, int n, Shape in, Shape out,
                       int pad_top, int pad_left, bool relu, int f0, float* dkernel, float* dbias) {
  const int F = out.c;
  const __m512 zero = _mm512_setzero_ps();
  __m512 acc[9][NV], bias_acc[NV];
  for (int j = 0; j < NV; ++j) {
    bias_acc[j] = zero;
    for (int k = 0; k < 9; ++k) acc[k][j] = zero;
  }
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * in.size();
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox) {
        const std::size_t at = ((std::size_t(s) * out.h + oy) * out.w + ox) * F + f0;
        __m512 z[NV];
        for (int j = 0; j < NV; ++j) {
          z[j] = _mm512_loadu_ps(dy + at + 16 * j);
          if (relu)
            z[j] = _mm512_maskz_mov_ps(
                _mm512_cmp_ps_mask(_mm512_loadu_ps(y + at + 16 * j), zero, _CMP_GT_OQ), z[j]);
          bias_acc[j] = _mm512_add_ps(bias_acc[j], z[j]);
        }
        const int iy0 = oy - pad_top, ix0 = ox - pad_left;
        const bool inside = iy0 >= 0 && iy0 + 2 < in.h && ix0 >= 0 && ix0 + 2 < in.w;
#pragma GCC unroll 9
        for (int k = 0; k < 9; ++k) {
          const int iy = iy0 + k / 3, ix = ix0 + k % 3;
          if (!inside && (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w)) continue;
          const __m512 v = _mm512_set1_ps(xs[std::size_t(iy) * in.w + ix]);
          for (int j = 0; j < NV; ++j) acc[k][j] = _mm512_fmadd_ps(v, z[j], acc[k][j]);
        }
      }
  }
  for (int j = 0; j < NV; ++j) {
    float* b = dbias + f0 + 16 * j;
    _mm512_storeu_ps(b, _mm512_add_ps(_mm512_loadu_ps(b), bias_acc[j]));
    for (int k = 0; k < 9; ++k) {
      float* g = dkernel + std::size_t(k) * F + f0 + 16 * j;
      _mm512_storeu_ps(g, _mm512_add_ps(_mm512_loadu_ps(g), acc[k][j]));
    }
  }
}

}  // namespace

bool DirectConv::in_registers() const {
  return win_.kernel_h == 3 && win_.kernel_w == 3 && win_.stride_h == 1 && win_.stride_w == 1 && out_.c % 16 == 0;
}

bool DirectConv::forward_in_registers(const float* x, float* y, int n, const float* kernel,
                                      const float* bias) const {
  if (!in_registers()) return false;
  const int F = out_.c;
  for (int f0 = 0; f0 < F; f0 += 32) {
    if (F - f0 >= 32)
      first_layer_outputs<2>(x, y, n, win_.in, out_, win_.rows.pad_before, win_.cols.pad_before, relu_, f0,
                             kernel, bias);
    else
      first_layer_outputs<1>(x, y, n, win_.in, out_, win_.rows.pad_before, win_.cols.pad_before, relu_, f0,
                             kernel, bias);
  }
  return true;
}

bool DirectConv::backward_in_registers(const float* x, const float* y, const float* dy, int n,
                                       float* dkernel, float* dbias) const {
  if (!in_registers()) return false;
  const int F = out_.c;
  // Two vectors of filters at a time: 18 accumulators, 2 of dz, 2 of the bias gradient.
  for (int f0 = 0; f0 < F; f0 += 32) {
    if (F - f0 >= 32)
      first_layer_grads<2>(x, y, dy, n, win_.in, out_, win_.rows.pad_before, win_.cols.pad_before, relu_, f0,
                           dkernel, dbias);
    else
      first_layer_grads<1>(x, y, dy, n, win_.in, out_, win_.rows.pad_before, win_.cols.pad_before, relu_, f0,
                           dkernel, dbias);
  }
  return true;
}
#else
bool DirectConv::in_registers() const { return false; }
bool DirectConv::forward_in_registers(const float*, float*, int, const float*, const float*) const {
  return false;
}
bool DirectConv::backward_in_registers(const float*, const float*, const float*, int, float*,
                                       float*) const {
  return false;
}
#endif

}  // namespace blnk
