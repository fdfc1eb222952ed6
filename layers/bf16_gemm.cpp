// The bfloat16 product (bf16_gemm.h). The hardware kernel keeps an R x (16 * NV) block
// of C in registers while q runs over the pairs; each step loads NV vectors of B's
// pairs (16 columns x 2 bfloat16 each) and broadcasts R pairs of A, one vdpbf16ps per
// vector. Its code is compiled for AVX512_BF16 whatever the build's target (a pragma
// below) and only called where cpuid reports it.
#include "layers/bf16_gemm.h"

#include <atomic>
#include <bit>
#include <cmath>
#include <limits>

#include "base/error.h"
#include "layers/register_blocking.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define BLNK_BF16_X86 1
#include <immintrin.h>
#endif

namespace blnk {

const char* precision_name(Precision precision) { return precision == Precision::bf16 ? "bf16" : "fp32"; }

Precision parse_precision(const std::string& text, const std::string& option) {
  if (text == "fp32") return Precision::fp32;
  if (text == "bf16") return Precision::bf16;
  throw Error(option + ": '" + text + "' is not a precision (fp32 or bf16)");
}

namespace {

constexpr std::uint32_t kExponent = 0x7F800000u, kSign = 0x80000000u, kMantissa = 0x007FFFFFu;

// A denormal to a zero of its sign (DAZ on an input, FTZ on a result); anything else as
// it is. Comparisons and a select, which the compiler vectorises (NaN compares false).
inline float flush_denormal(float x) {
  return std::fabs(x) < std::numeric_limits<float>::min() ? std::copysign(0.0f, x) : x;
}

inline std::uint32_t pair_of(std::uint16_t even, std::uint16_t odd) { return std::uint32_t(even) | std::uint32_t(odd) << 16; }
inline float low_of(std::uint32_t pair) { return float_from_bf16(std::uint16_t(pair)); }
inline float high_of(std::uint32_t pair) { return float_from_bf16(std::uint16_t(pair >> 16)); }

// One multiply-add of vdpbf16ps: fused, denormals in as zero and out as zero (x is
// flushed by the caller, once per row).
inline float dot_step(float acc, float x, float y) {
  return flush_denormal(std::fma(x, flush_denormal(y), flush_denormal(acc)));
}

std::atomic<bool> g_hardware_allowed{true};

}  // namespace

std::uint16_t bf16_from_float(float x) {
  const std::uint32_t b = std::bit_cast<std::uint32_t>(x);
  if ((b & kExponent) == 0) return std::uint16_t((b & kSign) >> 16);  // zero or denormal: a signed zero
  if ((b & kExponent) == kExponent)                                    // infinity as it is, NaN made quiet
    return std::uint16_t(b >> 16) | ((b & kMantissa) ? 0x0040 : 0);
  const std::uint32_t lsb = (b >> 16) & 1u;  // ties to even; may carry into the exponent (to infinity)
  return std::uint16_t((b + 0x7FFFu + lsb) >> 16);
}

float float_from_bf16(std::uint16_t h) { return std::bit_cast<float>(std::uint32_t(h) << 16); }

void bf16_pack_emulated(int outer, int k, const float* src, std::ptrdiff_t src_outer, std::ptrdiff_t src_k,
                        std::uint32_t* dst, std::ptrdiff_t dst_outer, std::ptrdiff_t dst_pair) {
  const int pairs = bf16_pairs(k);
  for (int o = 0; o < outer; ++o) {
    const float* row = src + o * src_outer;
    for (int q = 0; q < pairs; ++q) {
      const std::uint16_t even = bf16_from_float(row[2 * q * src_k]);
      const std::uint16_t odd = 2 * q + 1 < k ? bf16_from_float(row[(2 * q + 1) * src_k]) : 0;
      dst[o * dst_outer + q * dst_pair] = pair_of(even, odd);
    }
  }
}

void bf16_gemm_emulated(int m, int n, int pairs, Bf16Operand a, const std::uint32_t* b, std::ptrdiff_t b_row,
                        float* c, std::ptrdiff_t c_row, bool accumulate) {
  for (int i = 0; i < m; ++i) {
    float* ci = c + i * c_row;
    if (!accumulate)
      for (int j = 0; j < n; ++j) ci[j] = 0.0f;
    for (int q = 0; q < pairs; ++q) {
      const std::uint32_t aq = a.data[i * a.row + q * a.pair];
      const float a_odd = flush_denormal(high_of(aq)), a_even = flush_denormal(low_of(aq));
      const std::uint32_t* bq = b + q * b_row;
      for (int j = 0; j < n; ++j) {  // a loop the compiler vectorises
        const float b_odd = std::bit_cast<float>(bq[j] & 0xFFFF0000u), b_even = std::bit_cast<float>(bq[j] << 16);
        ci[j] = dot_step(dot_step(ci[j], a_odd, b_odd), a_even, b_even);
      }
    }
  }
}

#if defined(BLNK_BF16_X86)
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512bf16")
namespace {

template <int R, int NV>
inline void dot_block(int pairs, const std::uint32_t* a, std::ptrdiff_t a_row, std::ptrdiff_t a_pair,
                      const std::uint32_t* b, std::ptrdiff_t b_row, float* c, std::ptrdiff_t c_row, bool accumulate,
                      __mmask16 last) {
  auto mask = [last](int j) -> __mmask16 { return j == NV - 1 ? last : 0xFFFF; };
  __m512 acc[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j)
      acc[r][j] = accumulate ? _mm512_maskz_loadu_ps(mask(j), c + r * c_row + 16 * j) : _mm512_setzero_ps();
  for (int q = 0; q < pairs; ++q) {
    __m512bh bv[NV];
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j) bv[j] = (__m512bh)_mm512_maskz_loadu_epi32(mask(j), b + q * b_row + 16 * j);
    const std::uint32_t* aq = a + q * a_pair;
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const __m512bh av = (__m512bh)_mm512_set1_epi32(int(aq[r * a_row]));
#pragma GCC unroll 8
      for (int j = 0; j < NV; ++j) acc[r][j] = _mm512_dpbf16_ps(acc[r][j], av, bv[j]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j) _mm512_mask_storeu_ps(c + r * c_row + 16 * j, mask(j), acc[r][j]);
}

template <int NV>
void dot_panel(int m, int pairs, Bf16Operand a, const std::uint32_t* b, std::ptrdiff_t b_row, float* c,
               std::ptrdiff_t c_row, bool accumulate, __mmask16 last) {
  for_each_row_block<NV>(m, [&](auto rows, int i) {
    dot_block<decltype(rows)::value, NV>(pairs, a.data + i * a.row, a.row, a.pair, b, b_row, c + i * c_row, c_row,
                                         accumulate, last);
  });
}

inline __mmask16 first_lanes(int count) { return count >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << count) - 1); }

}  // namespace

void bf16_gemm_hardware(int m, int n, int pairs, Bf16Operand a, const std::uint32_t* b, std::ptrdiff_t b_row,
                        float* c, std::ptrdiff_t c_row, bool accumulate) {
  for_each_column_panel(n, [&](auto vectors, int first, __mmask16 last) {
    dot_panel<decltype(vectors)::value>(m, pairs, a, b + first, b_row, c + first, c_row, accumulate, last);
  });
}

void bf16_pack_hardware(int outer, int k, const float* src, std::ptrdiff_t src_outer, std::ptrdiff_t src_k,
                        std::uint32_t* dst, std::ptrdiff_t dst_outer, std::ptrdiff_t dst_pair) {
  const int pairs = bf16_pairs(k);
  if (src_k == 1 && dst_pair == 1) {
    // Rows contiguous along p: 32 floats make 16 pairs in their order.
    for (int o = 0; o < outer; ++o) {
      const float* row = src + o * src_outer;
      std::uint32_t* out = dst + o * dst_outer;
      for (int p = 0; p < k; p += 32) {
        const __m512 lo = _mm512_maskz_loadu_ps(first_lanes(k - p), row + p);
        const __m512 hi = k - p > 16 ? _mm512_maskz_loadu_ps(first_lanes(k - p - 16), row + p + 16) : _mm512_setzero_ps();
        const __m512i h = (__m512i)_mm512_cvtne2ps_pbh(hi, lo);
        _mm512_mask_storeu_epi32(out + p / 2, first_lanes(pairs - p / 2), h);
      }
    }
    return;
  }
  if (src_outer == 1 && dst_outer == 1) {
    // Two rows of p make one row of pairs: convert both, then interleave their halves.
    const __m512i interleave = _mm512_set_epi16(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8, 23, 7,
                                                22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
    for (int q = 0; q < pairs; ++q) {
      const float* even = src + 2 * q * src_k;
      const float* odd = 2 * q + 1 < k ? even + src_k : nullptr;
      std::uint32_t* out = dst + q * dst_pair;
      for (int o = 0; o < outer; o += 16) {
        const __mmask16 lanes = first_lanes(outer - o);
        const __m512 e = _mm512_maskz_loadu_ps(lanes, even + o);
        const __m512 d = odd ? _mm512_maskz_loadu_ps(lanes, odd + o) : _mm512_setzero_ps();
        const __m512i h = _mm512_permutexvar_epi16(interleave, (__m512i)_mm512_cvtne2ps_pbh(d, e));
        _mm512_mask_storeu_epi32(out + o, lanes, h);
      }
    }
    return;
  }
  bf16_pack_emulated(outer, k, src, src_outer, src_k, dst, dst_outer, dst_pair);
}

bool bf16_hardware_available() {
  static const bool available = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                                __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bf16");
  return available;
}

#pragma GCC pop_options
#else
void bf16_gemm_hardware(int m, int n, int pairs, Bf16Operand a, const std::uint32_t* b, std::ptrdiff_t b_row,
                        float* c, std::ptrdiff_t c_row, bool accumulate) {
  bf16_gemm_emulated(m, n, pairs, a, b, b_row, c, c_row, accumulate);
}
void bf16_pack_hardware(int outer, int k, const float* src, std::ptrdiff_t src_outer, std::ptrdiff_t src_k,
                        std::uint32_t* dst, std::ptrdiff_t dst_outer, std::ptrdiff_t dst_pair) {
  bf16_pack_emulated(outer, k, src, src_outer, src_k, dst, dst_outer, dst_pair);
}
bool bf16_hardware_available() { return false; }
#endif

bool bf16_uses_hardware() { return bf16_hardware_available() && g_hardware_allowed.load(std::memory_order_relaxed); }
void bf16_set_hardware_allowed(bool allowed) { g_hardware_allowed.store(allowed, std::memory_order_relaxed); }

void bf16_gemm(int m, int n, int pairs, Bf16Operand a, const std::uint32_t* b, std::ptrdiff_t b_row, float* c,
               std::ptrdiff_t c_row, bool accumulate) {
  if (bf16_uses_hardware()) bf16_gemm_hardware(m, n, pairs, a, b, b_row, c, c_row, accumulate);
  else bf16_gemm_emulated(m, n, pairs, a, b, b_row, c, c_row, accumulate);
}

void bf16_pack(int outer, int k, const float* src, std::ptrdiff_t src_outer, std::ptrdiff_t src_k, std::uint32_t* dst,
               std::ptrdiff_t dst_outer, std::ptrdiff_t dst_pair) {
  if (bf16_uses_hardware()) bf16_pack_hardware(outer, k, src, src_outer, src_k, dst, dst_outer, dst_pair);
  else bf16_pack_emulated(outer, k, src, src_outer, src_k, dst, dst_outer, dst_pair);
}

}  // namespace blnk
