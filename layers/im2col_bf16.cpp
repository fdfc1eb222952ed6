// The im2col convolution's three products in bfloat16 (layers/bf16_gemm.h), for
// `blnk train --precision bf16`, a block of kBf16Rows rows of the im2col matrix at a
// time, so the scratch stays small whatever the batch. Scratch, in 32-bit pairs, each
// region 64-byte aligned:
//   forward:          kernel16 (K/2, F); col16 (rows, K/2)
//   kernel gradient:  colT16 (rows/2, K); dzT16 (rows/2, F): pairs of rows
//   column gradient:  kernelT16 (F/2, K); dz16 (rows, F/2)
// Each element's sum runs over its pairs in order across the blocks (a float stored
// and loaded back is the same float), and the blocks hold an even number of rows, so
// the bits do not depend on the blocking.
#include <algorithm>
#include <cstdint>

#include "layers/bf16_gemm.h"
#include "layers/conv2d_im2col.h"

namespace blnk {
namespace {

constexpr std::ptrdiff_t kBf16Rows = 256;  // even: pairs of rows never straddle two blocks
constexpr std::size_t kAlignPairs = 16;    // 64 bytes

std::size_t aligned_pairs(std::size_t pairs) { return (pairs + kAlignPairs - 1) / kAlignPairs * kAlignPairs; }

std::uint32_t* pairs_at(std::byte* scratch) { return reinterpret_cast<std::uint32_t*>(scratch); }

// C (M, n) = A (M, k) * B, B packed (pairs along k), a block of A's rows at a time
// rounded into a16 (kBf16Rows, k/2).
void rows_times_packed(std::ptrdiff_t M, int k, int n, const float* a, const std::uint32_t* b16, float* c,
                       std::uint32_t* a16) {
  const int pairs = bf16_pairs(k);
  for (std::ptrdiff_t r = 0; r < M; r += kBf16Rows) {
    const int rows = int(std::min(kBf16Rows, M - r));
    bf16_pack(rows, k, a + r * k, k, 1, a16, pairs, 1);
    bf16_gemm(rows, n, pairs, {a16, pairs, 1}, b16, n, c + r * n, n, false);
  }
}

}  // namespace

std::size_t Im2colConv::bf16_scratch_bytes() const {
  const std::size_t K = patch_size(), F = out_.c, R = kBf16Rows;
  const std::size_t Kp = bf16_pairs(int(K)), Fp = bf16_pairs(int(F));
  const std::size_t forward = aligned_pairs(Kp * F) + aligned_pairs(R * Kp);
  const std::size_t kernel_gradient = aligned_pairs(R / 2 * K) + aligned_pairs(R / 2 * F);
  const std::size_t column_gradient = aligned_pairs(Fp * K) + aligned_pairs(R * Fp);
  return sizeof(std::uint32_t) * std::max({forward, kernel_gradient, column_gradient});
}

void Im2colConv::bf16_forward_product(std::ptrdiff_t M, const float* col, const float* kernel, float* y,
                                      std::byte* scratch) const {
  const int K = patch_size(), F = out_.c;
  std::uint32_t* kernel16 = pairs_at(scratch);
  bf16_pack(F, K, kernel, 1, F, kernel16, 1, F);
  rows_times_packed(M, K, F, col, kernel16, y, kernel16 + aligned_pairs(std::size_t(bf16_pairs(K)) * F));
}

void Im2colConv::bf16_kernel_gradient(std::ptrdiff_t M, const float* col, const float* dz, float* dkernel,
                                      std::byte* scratch) const {
  const int K = patch_size(), F = out_.c;
  std::uint32_t* colt16 = pairs_at(scratch);
  std::uint32_t* dzt16 = colt16 + aligned_pairs(std::size_t(kBf16Rows) / 2 * K);
  for (std::ptrdiff_t r = 0; r < M; r += kBf16Rows) {
    const int rows = int(std::min(kBf16Rows, M - r)), pairs = bf16_pairs(rows);
    bf16_pack(K, rows, col + r * K, 1, K, colt16, 1, K);
    bf16_pack(F, rows, dz + r * F, 1, F, dzt16, 1, F);
    bf16_gemm(K, F, pairs, {colt16, 1, K}, dzt16, F, dkernel, F, true);
  }
}

void Im2colConv::bf16_column_gradient(std::ptrdiff_t M, const float* dz, const float* kernel_t, float* col,
                                      std::byte* scratch) const {
  const int K = patch_size(), F = out_.c;
  std::uint32_t* kernel_t16 = pairs_at(scratch);
  bf16_pack(K, F, kernel_t, 1, K, kernel_t16, 1, K);
  rows_times_packed(M, F, K, dz, kernel_t16, col, kernel_t16 + aligned_pairs(std::size_t(bf16_pairs(F)) * K));
}

}  // namespace blnk
