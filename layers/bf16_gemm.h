// The bfloat16 product behind `blnk train --precision bf16`: float32 operands rounded
// to bfloat16 (8-bit mantissa, float32's exponent), multiplied exactly and summed in
// float32, as AVX512_BF16's vdpbf16ps does. Operands are first packed into pairs of
// bfloat16 along the reduction (one 32-bit word: the element of even index in the low
// half), the layout vdpbf16ps reads; the product then runs over whole pairs.
//
// Two kernels over that one layout, chosen at run time from cpuid: vdpbf16ps, and plain
// C++ that emulates it exactly, so both give the same bits:
//   - rounding to bfloat16 is vcvtne2ps2bf16's: to nearest, ties to even, a denormal
//     to a zero of its sign, a NaN kept quiet (bf16_from_float);
//   - each pair adds two fused multiply-adds to the float32 sum, the odd element's
//     first, each rounded to nearest even, with denormal inputs taken as zero and
//     denormal results flushed to zero (the instruction's DAZ/FTZ, whatever MXCSR says).
// A product of two bfloat16 is exact in float32, so only the order of the adds and
// their rounding decide the bits: the tests hold the two kernels to each other and to a
// scalar oracle that works from the unpacked float32 matrices.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace blnk {

// The arithmetic of training's matrix products (LayerContext::precision).
enum class Precision { fp32, bf16 };
const char* precision_name(Precision precision);  // "fp32", "bf16"
// Throws Error naming `option` and the value unless it is "fp32" or "bf16".
Precision parse_precision(const std::string& text, const std::string& option);

std::uint16_t bf16_from_float(float x);
float float_from_bf16(std::uint16_t h);

// Pairs along the reduction index p of a float32 matrix X, for `outer` rows of k
// elements: element (o, p) at src[o * src_outer + p * src_k]. Writes, for every o and
// q < bf16_pairs(k), the pair (X(o, 2q), X(o, 2q + 1)) to dst[o * dst_outer + q * dst_pair]
// (an odd k's missing last element is +0).
inline int bf16_pairs(int k) { return (k + 1) / 2; }
void bf16_pack(int outer, int k, const float* src, std::ptrdiff_t src_outer, std::ptrdiff_t src_k,
               std::uint32_t* dst, std::ptrdiff_t dst_outer, std::ptrdiff_t dst_pair);

// A packed left operand: pair q of row i at data[i * row + q * pair].
struct Bf16Operand {
  const std::uint32_t* data;
  std::ptrdiff_t row, pair;
};

// C (m x n) = A (m x 2*pairs) * B (2*pairs x n), or C += A * B when accumulate is true.
// B is packed by rows of pairs: pair (q, j) at b[q * b_row + j]. Row i of C is the n
// floats at c + i * c_row. Each element of C is one chain over q = 0 .. pairs-1, in that
// order, so results do not depend on how the work is split.
void bf16_gemm(int m, int n, int pairs, Bf16Operand a, const std::uint32_t* b, std::ptrdiff_t b_row, float* c,
               std::ptrdiff_t c_row, bool accumulate);
// The two kernels behind bf16_gemm (and bf16_pack's conversions): the instructions run
// only where bf16_hardware_available(); the emulation anywhere.
void bf16_gemm_emulated(int m, int n, int pairs, Bf16Operand a, const std::uint32_t* b, std::ptrdiff_t b_row,
                        float* c, std::ptrdiff_t c_row, bool accumulate);
void bf16_gemm_hardware(int m, int n, int pairs, Bf16Operand a, const std::uint32_t* b, std::ptrdiff_t b_row,
                        float* c, std::ptrdiff_t c_row, bool accumulate);
void bf16_pack_emulated(int outer, int k, const float* src, std::ptrdiff_t src_outer, std::ptrdiff_t src_k,
                        std::uint32_t* dst, std::ptrdiff_t dst_outer, std::ptrdiff_t dst_pair);
void bf16_pack_hardware(int outer, int k, const float* src, std::ptrdiff_t src_outer, std::ptrdiff_t src_k,
                        std::uint32_t* dst, std::ptrdiff_t dst_outer, std::ptrdiff_t dst_pair);
// cpuid reports AVX512_BF16 (and the build can emit it).
bool bf16_hardware_available();
// Whether bf16_gemm and bf16_pack use the instructions: where available, unless the
// tests or benchmarks turned them off to run the emulation (a process-wide switch).
bool bf16_uses_hardware();
void bf16_set_hardware_allowed(bool allowed);

}  // namespace blnk
