// Conv2D forward and backward by im2col + GEMM (Eigen), with bias and ReLU fused
// into one pass over the GEMM's output.
#include "layers/conv2d.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "base/error.h"
#include "layers/eigen_maps.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace blnk {

PaddedDim padded_dim(int in, int kernel, int stride, Padding padding) {
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

Conv2D::Conv2D(Shape input, const Conv2DConfig& config) : Layer(input), cfg_(config) {
  if (cfg_.filters < 1 || cfg_.kernel_h < 1 || cfg_.kernel_w < 1 || cfg_.stride_h < 1 ||
      cfg_.stride_w < 1)
    throw Error("Conv2D: filters, kernel size and stride must be positive");
  rows_ = padded_dim(in_.h, cfg_.kernel_h, cfg_.stride_h, cfg_.padding);
  cols_ = padded_dim(in_.w, cfg_.kernel_w, cfg_.stride_w, cfg_.padding);
  if (rows_.out < 1 || cols_.out < 1)
    throw Error("Conv2D: a " + std::to_string(cfg_.kernel_h) + "x" +
                std::to_string(cfg_.kernel_w) + " kernel with valid padding does not fit input " +
                in_.str());
  out_ = Shape{rows_.out, cols_.out, cfg_.filters};
  winograd_ = !direct() && cfg_.kernel_h == 3 && cfg_.kernel_w == 3 && cfg_.stride_h == 1 &&
              cfg_.stride_w == 1;
  if (winograd_) wino_ = Winograd3x3(in_, out_, rows_.pad_before, cols_.pad_before);
}

std::string Conv2D::spec() const {
  std::string s = "conv" + std::to_string(cfg_.filters);
  if (cfg_.kernel_h != 3 || cfg_.kernel_w != 3)
    s += ":k=" + (cfg_.kernel_h == cfg_.kernel_w
                      ? std::to_string(cfg_.kernel_h)
                      : std::to_string(cfg_.kernel_h) + "x" + std::to_string(cfg_.kernel_w));
  if (cfg_.stride_h != 1 || cfg_.stride_w != 1)
    s += ":s=" + (cfg_.stride_h == cfg_.stride_w
                      ? std::to_string(cfg_.stride_h)
                      : std::to_string(cfg_.stride_h) + "x" + std::to_string(cfg_.stride_w));
  if (cfg_.padding == Padding::valid) s += ":pad=valid";
  if (!cfg_.relu) s += ":act=linear";
  return s;
}

std::vector<ParamInfo> Conv2D::param_info() const {
  const std::size_t kernel = std::size_t(patch_size()) * cfg_.filters;
  return {{"kernel", {cfg_.kernel_h, cfg_.kernel_w, in_.c, cfg_.filters}, 0},
          {"bias", {cfg_.filters}, kernel}};
}

void Conv2D::init_params(float* params, Rng& rng) const {
  const int fan_in = patch_size();
  const int fan_out = cfg_.kernel_h * cfg_.kernel_w * cfg_.filters;
  const float limit = std::sqrt(6.0f / float(fan_in + fan_out));
  const std::size_t kernel = std::size_t(fan_in) * cfg_.filters;
  for (std::size_t i = 0; i < kernel; ++i) params[i] = rng.uniform(-limit, limit);
  std::fill(params + kernel, params + kernel + cfg_.filters, 0.0f);
}

// The im2col matrix, (n*oh*ow, kh*kw*c): kept from forward for the weight
// gradient, then reused as the buffer of the column gradient.
std::size_t Conv2D::cache_bytes(int n) const {
  if (direct()) return 0;
  if (winograd()) return wino_.cache_floats(n) * sizeof(float);
  return std::size_t(n) * out_.h * out_.w * patch_size() * sizeof(float);
}

std::size_t Conv2D::prepared_bytes() const {
  return winograd() ? wino_.prepared_floats() * sizeof(float) : 0;
}

void Conv2D::prepare(const float* params, std::byte* prepared) const {
  if (winograd()) wino_.prepare(params, reinterpret_cast<float*>(prepared));
}

double Conv2D::forward_flops() const {
  return 2.0 * double(out_.h) * out_.w * cfg_.filters * patch_size();
}

void Conv2D::im2col(const float* x, float* col, int n) const {
  const int C = in_.c, K = patch_size();
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * in_.size();
    for (int oy = 0; oy < out_.h; ++oy) {
      for (int ox = 0; ox < out_.w; ++ox) {
        float* row = col + ((std::size_t(s) * out_.h + oy) * out_.w + ox) * K;
        for (int ky = 0; ky < cfg_.kernel_h; ++ky) {
          const int iy = oy * cfg_.stride_h - rows_.pad_before + ky;
          float* dst = row + std::size_t(ky) * cfg_.kernel_w * C;
          if (iy < 0 || iy >= in_.h) {
            std::memset(dst, 0, sizeof(float) * cfg_.kernel_w * C);
            continue;
          }
          for (int kx = 0; kx < cfg_.kernel_w; ++kx) {
            const int ix = ox * cfg_.stride_w - cols_.pad_before + kx;
            if (ix < 0 || ix >= in_.w)
              std::memset(dst + kx * C, 0, sizeof(float) * C);
            else
              std::memcpy(dst + kx * C, xs + (std::size_t(iy) * in_.w + ix) * C,
                          sizeof(float) * C);
          }
        }
      }
    }
  }
}

void Conv2D::col2im(const float* col, float* dx, int n) const {
  const int C = in_.c, K = patch_size();
  std::memset(dx, 0, sizeof(float) * std::size_t(n) * in_.size());
  for (int s = 0; s < n; ++s) {
    float* dxs = dx + std::size_t(s) * in_.size();
    for (int oy = 0; oy < out_.h; ++oy) {
      for (int ox = 0; ox < out_.w; ++ox) {
        const float* row = col + ((std::size_t(s) * out_.h + oy) * out_.w + ox) * K;
        for (int ky = 0; ky < cfg_.kernel_h; ++ky) {
          const int iy = oy * cfg_.stride_h - rows_.pad_before + ky;
          if (iy < 0 || iy >= in_.h) continue;
          for (int kx = 0; kx < cfg_.kernel_w; ++kx) {
            const int ix = ox * cfg_.stride_w - cols_.pad_before + kx;
            if (ix < 0 || ix >= in_.w) continue;
            const float* src = row + (std::size_t(ky) * cfg_.kernel_w + kx) * C;
            float* dst = dxs + (std::size_t(iy) * in_.w + ix) * C;
            for (int c = 0; c < C; ++c) dst[c] += src[c];
          }
        }
      }
    }
  }
}

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
void Conv2D::forward_direct_rows(const float* x, float* y, int n, const float* kernel, const float* bias) const {
  const int F = FIXED > 0 ? FIXED : cfg_.filters;
  float acc_fixed[FIXED > 0 ? FIXED : 1];
  // 3x3, stride 1, all taps inside the image: nine broadcasts and one fused pass over
  // the filters, no bounds checks (most pixels of the seed's first layer).
  const bool k3s1 = FIXED > 0 && cfg_.kernel_h == 3 && cfg_.kernel_w == 3 && cfg_.stride_h == 1 && cfg_.stride_w == 1;
  const std::size_t W = std::size_t(in_.w);
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * in_.size();
    for (int oy = 0; oy < out_.h; ++oy)
      for (int ox = 0; ox < out_.w; ++ox) {
        float* row = y + ((std::size_t(s) * out_.h + oy) * out_.w + ox) * F;
        const int iy0 = oy - rows_.pad_before, ix0 = ox - cols_.pad_before;
        if (k3s1 && iy0 >= 0 && iy0 + 2 < in_.h && ix0 >= 0 && ix0 + 2 < in_.w) {
          const float* p = xs + std::size_t(iy0) * W + std::size_t(ix0);
          const float v0 = p[0], v1 = p[1], v2 = p[2], v3 = p[W], v4 = p[W + 1], v5 = p[W + 2],
                      v6 = p[2 * W], v7 = p[2 * W + 1], v8 = p[2 * W + 2];
          for (int f = 0; f < F; ++f) {
            float a = bias[f] + v0 * kernel[f] + v1 * kernel[F + f] + v2 * kernel[2 * F + f] +
                      v3 * kernel[3 * F + f] + v4 * kernel[4 * F + f] + v5 * kernel[5 * F + f] +
                      v6 * kernel[6 * F + f] + v7 * kernel[7 * F + f] + v8 * kernel[8 * F + f];
            row[f] = cfg_.relu ? std::max(a, 0.0f) : a;
          }
          continue;
        }
        float* acc = FIXED > 0 ? acc_fixed : row;
        for (int f = 0; f < F; ++f) acc[f] = bias[f];
        for (int ky = 0; ky < cfg_.kernel_h; ++ky) {
          const int iy = oy * cfg_.stride_h - rows_.pad_before + ky;
          if (iy < 0 || iy >= in_.h) continue;
          for (int kx = 0; kx < cfg_.kernel_w; ++kx) {
            const int ix = ox * cfg_.stride_w - cols_.pad_before + kx;
            if (ix < 0 || ix >= in_.w) continue;
            const float v = xs[std::size_t(iy) * in_.w + ix];
            const float* w = kernel + (std::size_t(ky) * cfg_.kernel_w + kx) * F;
            for (int f = 0; f < F; ++f) acc[f] += v * w[f];
          }
        }
        if (cfg_.relu)
          for (int f = 0; f < F; ++f) row[f] = std::max(acc[f], 0.0f);
        else if (FIXED > 0)
          for (int f = 0; f < F; ++f) row[f] = acc[f];
      }
  }
}

void Conv2D::forward_direct(const float* x, float* y, int n, const float* kernel, const float* bias) const {
  switch (cfg_.filters) {
    case 16: return forward_direct_rows<16>(x, y, n, kernel, bias);
    case 32: return forward_direct_rows<32>(x, y, n, kernel, bias);
    case 64: return forward_direct_rows<64>(x, y, n, kernel, bias);
    default: return forward_direct_rows<0>(x, y, n, kernel, bias);
  }
}

void Conv2D::backward_direct(const float* x, const float* dz, float* dx, int n, const float* kernel,
                             float* dkernel) const {
  const int F = cfg_.filters;
  if (dx) std::memset(dx, 0, sizeof(float) * std::size_t(n) * in_.size());
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * in_.size();
    float* dxs = dx ? dx + std::size_t(s) * in_.size() : nullptr;
    for (int oy = 0; oy < out_.h; ++oy)
      for (int ox = 0; ox < out_.w; ++ox) {
        const float* d = dz + ((std::size_t(s) * out_.h + oy) * out_.w + ox) * F;
        for (int ky = 0; ky < cfg_.kernel_h; ++ky) {
          const int iy = oy * cfg_.stride_h - rows_.pad_before + ky;
          if (iy < 0 || iy >= in_.h) continue;
          for (int kx = 0; kx < cfg_.kernel_w; ++kx) {
            const int ix = ox * cfg_.stride_w - cols_.pad_before + kx;
            if (ix < 0 || ix >= in_.w) continue;
            const std::size_t k = std::size_t(ky) * cfg_.kernel_w + kx;
            const std::size_t i = std::size_t(iy) * in_.w + ix;
            axpy(xs[i], d, dkernel + k * F, F);  // dW[k] += x * dz
            if (dxs) {
              float acc = 0;
              for (int f = 0; f < F; ++f) acc += d[f] * kernel[k * F + f];
              dxs[i] += acc;
            }
          }
        }
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

bool Conv2D::first_layer_in_registers() const {
  return direct() && cfg_.kernel_h == 3 && cfg_.kernel_w == 3 && cfg_.stride_h == 1 &&
         cfg_.stride_w == 1 && cfg_.filters % 16 == 0;
}

bool Conv2D::forward_first_layer(const float* x, float* y, int n, const float* kernel,
                                 const float* bias) const {
  if (!first_layer_in_registers()) return false;
  const int F = cfg_.filters;
  for (int f0 = 0; f0 < F; f0 += 32) {
    if (F - f0 >= 32)
      first_layer_outputs<2>(x, y, n, in_, out_, rows_.pad_before, cols_.pad_before, cfg_.relu, f0,
                             kernel, bias);
    else
      first_layer_outputs<1>(x, y, n, in_, out_, rows_.pad_before, cols_.pad_before, cfg_.relu, f0,
                             kernel, bias);
  }
  return true;
}

bool Conv2D::backward_first_layer(const float* x, const float* y, const float* dy, int n,
                                  float* dkernel, float* dbias) const {
  if (!first_layer_in_registers()) return false;
  const int F = cfg_.filters;
  // Two vectors of filters at a time: 18 accumulators, 2 of dz, 2 of the bias gradient.
  for (int f0 = 0; f0 < F; f0 += 32) {
    if (F - f0 >= 32)
      first_layer_grads<2>(x, y, dy, n, in_, out_, rows_.pad_before, cols_.pad_before, cfg_.relu, f0,
                           dkernel, dbias);
    else
      first_layer_grads<1>(x, y, dy, n, in_, out_, rows_.pad_before, cols_.pad_before, cfg_.relu, f0,
                           dkernel, dbias);
  }
  return true;
}
#else
bool Conv2D::first_layer_in_registers() const { return false; }
bool Conv2D::forward_first_layer(const float*, float*, int, const float*, const float*) const {
  return false;
}
bool Conv2D::backward_first_layer(const float*, const float*, const float*, int, float*,
                                  float*) const {
  return false;
}
#endif

void Conv2D::forward(const float* x, float* y, int n, const LayerContext& ctx) const {
  const int K = patch_size(), F = cfg_.filters;
  const Eigen::Index M = Eigen::Index(n) * out_.h * out_.w;
  const float* bias = ctx.params + std::size_t(K) * F;
  if (direct()) {
    if (!forward_first_layer(x, y, n, ctx.params, bias)) forward_direct(x, y, n, ctx.params, bias);
    return;
  }
  if (winograd()) {
    wino_.forward(x, y, n, reinterpret_cast<const float*>(ctx.prepared), bias, cfg_.relu,
                  reinterpret_cast<float*>(ctx.cache));
    return;
  }
  float* col = reinterpret_cast<float*>(ctx.cache);
  im2col(x, col, n);
  MatrixMap(y, M, F).noalias() = ConstMatrixMap(col, M, K) * ConstMatrixMap(ctx.params, K, F);
  // Epilogue: bias and ReLU in one pass over the output.
  for (Eigen::Index r = 0; r < M; ++r) {
    float* row = y + r * F;
    if (cfg_.relu)
      for (int f = 0; f < F; ++f) row[f] = std::max(row[f] + bias[f], 0.0f);
    else
      for (int f = 0; f < F; ++f) row[f] += bias[f];
  }
}

void Conv2D::backward(const float* x, const float* y, float* dy, float* dx, int n,
                      const LayerContext& ctx) const {
  const int K = patch_size(), F = cfg_.filters;
  const Eigen::Index M = Eigen::Index(n) * out_.h * out_.w;
  float* dbias = ctx.grads + std::size_t(K) * F;
  if (winograd()) {  // applies the ReLU's mask and sums the bias gradient itself
    wino_.backward(y, dy, dx, n, reinterpret_cast<const float*>(ctx.prepared), cfg_.relu, ctx.grads,
                   dbias, reinterpret_cast<float*>(ctx.cache));
    return;
  }
  if (!dx && backward_first_layer(x, y, dy, n, ctx.grads, dbias)) return;
  // dy becomes the gradient before the ReLU, dz (M, F), in place.
  if (cfg_.relu)
    for (Eigen::Index i = 0; i < M * F; ++i) dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
  add_column_sums(dy, M, F, dbias);
  if (direct()) {
    backward_direct(x, dy, dx, n, ctx.params, ctx.grads);
    return;
  }
  ConstMatrixMap dz(dy, M, F);
  float* col = reinterpret_cast<float*>(ctx.cache);
  MatrixMap(ctx.grads, K, F).noalias() += ConstMatrixMap(col, M, K).transpose() * dz;
  if (!dx) return;
  // The column gradient overwrites the im2col matrix, which is no longer needed.
  MatrixMap(col, M, K).noalias() = dz * ConstMatrixMap(ctx.params, K, F).transpose();
  col2im(col, dx, n);
}

void conv2d_forward_reference(const Shape& in, const Conv2DConfig& cfg, const float* kernel,
                              const float* bias, const float* x, float* y, int n) {
  const PaddedDim rows = padded_dim(in.h, cfg.kernel_h, cfg.stride_h, cfg.padding);
  const PaddedDim cols = padded_dim(in.w, cfg.kernel_w, cfg.stride_w, cfg.padding);
  const int F = cfg.filters;
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < rows.out; ++oy)
      for (int ox = 0; ox < cols.out; ++ox)
        for (int f = 0; f < F; ++f) {
          double acc = bias[f];
          for (int ky = 0; ky < cfg.kernel_h; ++ky)
            for (int kx = 0; kx < cfg.kernel_w; ++kx) {
              const int iy = oy * cfg.stride_h - rows.pad_before + ky;
              const int ix = ox * cfg.stride_w - cols.pad_before + kx;
              if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
              for (int c = 0; c < in.c; ++c)
                acc += double(x[((std::size_t(s) * in.h + iy) * in.w + ix) * in.c + c]) *
                       kernel[((std::size_t(ky) * cfg.kernel_w + kx) * in.c + c) * F + f];
            }
          if (cfg.relu) acc = std::max(acc, 0.0);
          y[((std::size_t(s) * rows.out + oy) * cols.out + ox) * F + f] = float(acc);
        }
}

}  // namespace blnk
