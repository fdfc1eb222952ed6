// Conv2D by im2col + GEMM (see conv2d_im2col.h).
#include "layers/conv2d_im2col.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "layers/activation.h"
#include "layers/eigen_maps.h"
#include "layers/small_gemm.h"

namespace blnk {

void Im2colConv::im2col(const float* x, float* col, int n) const {
  const int C = win_.in.c, K = patch_size();
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * win_.in.size();
    for (int oy = 0; oy < out_.h; ++oy) {
      for (int ox = 0; ox < out_.w; ++ox) {
        float* row = col + ((std::size_t(s) * out_.h + oy) * out_.w + ox) * K;
        for (int ky = 0; ky < win_.kernel_h; ++ky) {
          const int iy = oy * win_.stride_h - win_.rows.pad_before + ky;
          float* dst = row + std::size_t(ky) * win_.kernel_w * C;
          if (iy < 0 || iy >= win_.in.h) {
            std::memset(dst, 0, sizeof(float) * win_.kernel_w * C);
            continue;
          }
          // The taps inside the image are adjacent pixels, adjacent in x too: one copy,
          // zeros on either side for the padding.
          const int ix0 = ox * win_.stride_w - win_.cols.pad_before;
          const int first = std::max(0, -ix0), last = std::min(win_.kernel_w, win_.in.w - ix0);
          if (first >= last) {
            std::memset(dst, 0, sizeof(float) * win_.kernel_w * C);
            continue;
          }
          if (first > 0) std::memset(dst, 0, sizeof(float) * first * C);
          std::memcpy(dst + first * C, xs + (std::size_t(iy) * win_.in.w + ix0 + first) * C,
                      sizeof(float) * (last - first) * C);
          if (last < win_.kernel_w) std::memset(dst + last * C, 0, sizeof(float) * (win_.kernel_w - last) * C);
        }
      }
    }
  }
}

// Gathered per input pixel: each element of dx is written once (no zero-fill first),
// its taps' column gradients summed in the order of their output pixels (row by row),
// as a scatter over the output pixels would add them. With `add`, they are added to
// dx one by one, and a pixel no window covers keeps its value.
void Im2colConv::col2im(const float* col, float* dx, int n, bool add) const {
  const int C = win_.in.c, K = patch_size();
  // The output index (along one dimension) whose window puts tap k on input i, or -1.
  auto output_of = [](int i, int pad, int k, int stride, int out) {
    const int t = i + pad - k;
    if (t < 0 || t % stride != 0 || t / stride >= out) return -1;
    return t / stride;
  };
  for (int s = 0; s < n; ++s) {
    float* dxs = dx + std::size_t(s) * win_.in.size();
    const float* cols = col + std::size_t(s) * out_.h * out_.w * K;
    for (int iy = 0; iy < win_.in.h; ++iy)
      for (int ix = 0; ix < win_.in.w; ++ix) {
        float* dst = dxs + (std::size_t(iy) * win_.in.w + ix) * C;
        bool first = !add;
        for (int ky = win_.kernel_h - 1; ky >= 0; --ky) {  // output rows in ascending order
          const int oy = output_of(iy, win_.rows.pad_before, ky, win_.stride_h, out_.h);
          if (oy < 0) continue;
          for (int kx = win_.kernel_w - 1; kx >= 0; --kx) {
            const int ox = output_of(ix, win_.cols.pad_before, kx, win_.stride_w, out_.w);
            if (ox < 0) continue;
            const float* src = cols + (std::size_t(oy) * out_.w + ox) * K + std::size_t(ky * win_.kernel_w + kx) * C;
            if (first)
              std::memcpy(dst, src, sizeof(float) * C);
            else
              for (int c = 0; c < C; ++c) dst[c] += src[c];
            first = false;
          }
        }
        if (first) std::memset(dst, 0, sizeof(float) * C);  // no window covers this pixel (assigning)
      }
  }
}

namespace {

// Rows of the im2col matrix per small_gemm call (its sizes are int).
constexpr std::ptrdiff_t kRowsPerCall = std::ptrdiff_t(1) << 24;
// Rows per call of the kernel gradient, whose product runs over the rows: B's panel
// (128 rows x 64 filters = 32 KB) then stays in L1 and A's rows in L2, where one call
// over all rows read both from memory once per block of 6 kernel rows. On a 32-sample
// slice of the residual network's stride-2 convolution (K = 288, F = 64, 6,272 rows),
// cold caches: 2.13 -> 1.56 ms. Chained through dkernel, the same sums as one call.
constexpr std::ptrdiff_t kKernelGradientRows = 128;
// The im2col matrix of a chunk: within L2 beside the GEMM's other operands (one
// sample of res64's stride-2 convolution is 196 x 288 floats, 221 KB).
constexpr std::size_t kChunkBytes = 256 * 1024;

}  // namespace

Im2colConv::Im2colConv(const Window& window, Shape out) : win_(window), out_(out) {
  const std::size_t sample_bytes = sizeof(float) * std::size_t(out_.h) * out_.w * patch_size();
  chunk_ = int(std::clamp<std::size_t>(kChunkBytes / std::max<std::size_t>(sample_bytes, 1), 1, 1 << 20));
}

void Im2colConv::prepare(const float* kernel, float* kernel_t) const {
  const int K = patch_size(), F = out_.c;
  for (int k = 0; k < K; ++k)
    for (int f = 0; f < F; ++f) kernel_t[std::size_t(f) * K + k] = kernel[std::size_t(k) * F + f];
}

void Im2colConv::forward(const float* x, float* y, int n, const float* kernel, const float* bias, bool relu,
                         float* col, std::byte* bf16) const {
  const int K = patch_size(), F = out_.c;
  const std::ptrdiff_t pixels = std::ptrdiff_t(out_.h) * out_.w;  // rows per sample
  for (int s0 = 0; s0 < n; s0 += chunk_) {
    const int samples = std::min(chunk_, n - s0);
    const std::ptrdiff_t M = samples * pixels;
    float* ys = y + s0 * pixels * F;
    im2col(x + std::size_t(s0) * win_.in.size(), col, samples);
    if (bf16) {
      bf16_forward_product(M, col, kernel, ys, bf16);
    } else if constexpr (kSmallGemmVectorized) {
      for (std::ptrdiff_t r = 0; r < M; r += kRowsPerCall)  // y (M, F) = col (M, K) * kernel (K, F)
        small_gemm(int(std::min(kRowsPerCall, M - r)), F, K, GemmOperand{col + r * K, K, 1}, kernel, F, ys + r * F,
                   F, false);
    } else {
      MatrixMap(ys, M, F).noalias() = ConstMatrixMap(col, M, K) * ConstMatrixMap(kernel, K, F);
    }
    add_bias_relu(ys, M, F, bias, relu);
  }
}

void Im2colConv::backward(const float* x, const float* dz, float* dx, int n, const float* kernel,
                          const float* kernel_t, float* dkernel, float* col, bool add_dx, std::byte* bf16) const {
  const std::ptrdiff_t pixels = std::ptrdiff_t(out_.h) * out_.w;
  for (int s0 = 0; s0 < n; s0 += chunk_) {
    const int samples = std::min(chunk_, n - s0);
    im2col(x + std::size_t(s0) * win_.in.size(), col, samples);  // again: see cache_floats
    float* dxs = dx ? dx + std::size_t(s0) * win_.in.size() : nullptr;
    chunk_backward(samples * pixels, samples, dz + s0 * pixels * out_.c, dxs, kernel, kernel_t, dkernel, col, add_dx,
                   bf16);
  }
}

void Im2colConv::backward_through_bn(const float* x, const BatchNormGradient& bn, const float* dy, float* dx, int n,
                                     const float* kernel, const float* kernel_t, float* dkernel, float* dbias,
                                     float* col, float* dz, bool add_dx, std::byte* bf16) const {
  const int F = out_.c;
  const std::ptrdiff_t pixels = std::ptrdiff_t(out_.h) * out_.w;
  for (int s0 = 0; s0 < n; s0 += chunk_) {
    const int samples = std::min(chunk_, n - s0);
    const std::ptrdiff_t M = samples * pixels;
    const std::size_t first = std::size_t(s0) * pixels * F;
    auto map = [&](auto relu) {
      for (std::ptrdiff_t r = 0; r < M; ++r)
        for (int f = 0; f < F; ++f)
          dz[r * F + f] = bn.at<decltype(relu)::value>(dy, first + std::size_t(r) * F + f, f);
    };
    if (bn.relu)
      map(std::true_type{});
    else
      map(std::false_type{});
    add_column_sums(dz, M, F, dbias);  // row after row, as over the whole batch at once
    im2col(x + std::size_t(s0) * win_.in.size(), col, samples);
    chunk_backward(M, samples, dz, dx ? dx + std::size_t(s0) * win_.in.size() : nullptr, kernel, kernel_t, dkernel,
                   col, add_dx, bf16);
  }
}

void Im2colConv::chunk_backward(std::ptrdiff_t M, int samples, const float* dzs, float* dxs, const float* kernel,
                                const float* kernel_t, float* dkernel, float* col, bool add_dx,
                                std::byte* bf16) const {
  const int K = patch_size(), F = out_.c;
  if (bf16) {
    bf16_kernel_gradient(M, col, dzs, dkernel, bf16);
  } else if constexpr (kSmallGemmVectorized) {
    // dkernel (K, F) += col^T (K, M) * dz (M, F): A read transposed; a chain per
    // element over all rows of the batch in order, chunk after chunk (a float
    // stored between calls is the same float).
    for (std::ptrdiff_t r = 0; r < M; r += kKernelGradientRows)
      small_gemm(K, F, int(std::min(kKernelGradientRows, M - r)), GemmOperand{col + r * K, 1, K}, dzs + r * F, F,
                 dkernel, F, true);
  } else {
    MatrixMap(dkernel, K, F).noalias() += ConstMatrixMap(col, M, K).transpose() * ConstMatrixMap(dzs, M, F);
  }
  if (!dxs) return;
  // The column gradient, (M, K) = dz (M, F) * kernel^T (F, K), overwrites the im2col
  // matrix, which is no longer needed.
  if (bf16) {
    bf16_column_gradient(M, dzs, kernel_t, col, bf16);
  } else if constexpr (kSmallGemmVectorized) {
    for (std::ptrdiff_t r = 0; r < M; r += kRowsPerCall)
      small_gemm(int(std::min(kRowsPerCall, M - r)), K, F, GemmOperand{dzs + r * F, F, 1}, kernel_t, K,
                 col + r * K, K, false);
  } else {
    MatrixMap(col, M, K).noalias() = ConstMatrixMap(dzs, M, F) * ConstMatrixMap(kernel, K, F).transpose();
  }
  col2im(col, dxs, samples, add_dx);
}

}  // namespace blnk
