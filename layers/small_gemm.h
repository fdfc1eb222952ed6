// A register-blocked matrix product for small operands that stay in cache: the
// batched multiplications of the Winograd convolution (layers/winograd.h), where
// one operand is a few KB and the other a few hundred rows. No packing and no
// allocation; every operand is addressed through strides, so the same code
// multiplies by a transposed A or reads rows interleaved with other matrices.
#pragma once

#include <cstddef>

namespace blnk {

// C (m x n) = A (m x k) * B (k x n), or C += A * B when accumulate is true.
//   element (i, p) of A is a[i * a_row + p * a_col] (a_row = 1 reads a transposed A),
//   row p of B is the n floats at b + p * b_row,
//   row i of C is the n floats at c + i * c_row.
// Each element of C is one chain of multiply-adds over p = 0 .. k-1, in that order,
// so results do not depend on how the work is split.
struct GemmOperand {
  const float* data;
  std::ptrdiff_t row, col;  // strides in floats
};
void small_gemm(int m, int n, int k, GemmOperand a, const float* b, std::ptrdiff_t b_row, float* c,
                std::ptrdiff_t c_row, bool accumulate);
// True where small_gemm runs in AVX-512 registers; without AVX-512 it is the plain
// loops below, far slower than Eigen's product on large operands.
#if defined(__AVX512F__)
inline constexpr bool kSmallGemmVectorized = true;
#else
inline constexpr bool kSmallGemmVectorized = false;
#endif

// One row, C (1 x n) = x (1 x k) * B, reading only the rows of B where x is not zero:
// a Dense layer's input after ReLU and pooling is mostly zeros (79% in the digit
// gate's 3136 inputs), and its weights are more than the cache holds. The same
// chains as small_gemm's (a zero term changes no sum that starts at +0), so the same
// bits, for finite B (0 * inf is not added). No allocation.
void small_gemv_skipping_zeros(int n, int k, const float* x, const float* b, std::ptrdiff_t b_row, float* c);

// The same products by plain loops: the tests' oracle, and the functions themselves
// on CPUs without AVX-512.
void small_gemm_plain(int m, int n, int k, GemmOperand a, const float* b, std::ptrdiff_t b_row,
                      float* c, std::ptrdiff_t c_row, bool accumulate);
void small_gemv_skipping_zeros_plain(int n, int k, const float* x, const float* b, std::ptrdiff_t b_row, float* c);

}  // namespace blnk
