// The int8 product and quantization (int8_gemm.h). The VNNI kernel keeps an
// R x (16 * NB) block of int32 sums in registers: per group of four bytes it loads NB
// vectors of packed weights (16 outputs x 4 bytes each) and broadcasts four input
// bytes of each of the R rows. Its code is compiled for AVX-512 VNNI whatever the
// build's target (a pragma below) and only called where cpuid reports VNNI.
#include "layers/int8_gemm.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#define BLNK_INT8_X86 1
#include <immintrin.h>
#endif

namespace blnk {
namespace {

// One output of the epilogue: the same operations as the vector path, in the same order.
inline float epilogue(std::int32_t acc, std::int32_t correction, float scale, float bias, bool relu) {
  const float v = std::fma(float(acc - correction), scale, bias);
  return relu ? (v > 0.0f ? v : 0.0f) : v;  // as vmaxps(v, 0): a NaN or -0 gives +0
}

// Clamped in float first, so the conversion to int is defined for any input (as the
// vector path's vmaxps/vminps: a NaN becomes the lower bound).
inline int quantize_one(float x, float inverse_scale, int zero_point) {
  float v = x * inverse_scale;
  v = v > -512.0f ? v : -512.0f;
  v = v < 512.0f ? v : 512.0f;
  const int q = int(std::nearbyint(v)) + zero_point;
  return q < 0 ? 0 : (q > 255 ? 255 : q);
}

}  // namespace

void int8_pack_weights(const float* kernel, int segments, int run, int segment_length, int outputs, int zero_point,
                       std::int8_t* packed, std::int32_t* correction) {
  const int padded = int8_round_up(outputs, kInt8Block);
  const int depth = segments * segment_length;
  const int groups = depth / kInt8Group;
  for (int o = 0; o < padded; ++o) {
    std::int32_t sum = 0;
    const int block = o / kInt8Block, lane = o % kInt8Block;
    for (int k = 0; k < depth; ++k) {
      const int s = k / segment_length, j = k % segment_length;
      const float v = j < run && o < outputs ? kernel[(std::size_t(s) * run + j) * outputs + o] : 0.0f;
      const auto w = std::int8_t(std::clamp(v, -127.0f, 127.0f));
      const std::size_t at = ((std::size_t(block) * groups + k / kInt8Group) * kInt8Block + lane) * kInt8Group +
                             k % kInt8Group;
      packed[at] = w;
      sum += w;
    }
    correction[o] = zero_point * sum;
  }
}

// Per row and block of 16 outputs, the sums run over the packed weights in memory
// order (16 lanes x 4 bytes a group), so the lane loop vectorises where the CPU has no
// VNNI: integer sums, so the order changes no bit.
void int8_product_plain(const Int8Rows& a, const Int8Weights& w, float* y, std::ptrdiff_t y_stride) {
  const int groups = w.depth / kInt8Group;
  const int run_groups = a.segment_length / kInt8Group;
  const int blocks = int8_round_up(w.outputs, kInt8Block) / kInt8Block;
  for (int r = 0; r < a.rows; ++r) {
    const std::uint8_t* row = a.base + a.offsets[r];
    for (int b = 0; b < blocks; ++b) {
      std::int32_t acc[kInt8Block] = {};
      const std::int8_t* wb = w.packed + std::size_t(b) * groups * kInt8Block * kInt8Group;
      for (int s = 0; s < a.segments; ++s) {
        const std::uint8_t* run = row + s * a.segment_stride;
        const std::int8_t* ws = wb + std::size_t(s) * run_groups * kInt8Block * kInt8Group;
        for (int g = 0; g < run_groups; ++g) {
          const std::uint8_t* x = run + g * kInt8Group;
          const std::int8_t* wg = ws + std::size_t(g) * kInt8Block * kInt8Group;
          const std::int32_t x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3];
          for (int lane = 0; lane < kInt8Block; ++lane) {
            const std::int8_t* wl = wg + lane * kInt8Group;
            acc[lane] += x0 * wl[0] + x1 * wl[1] + x2 * wl[2] + x3 * wl[3];
          }
        }
      }
      const int first = b * kInt8Block, count = std::min(kInt8Block, w.outputs - first);
      for (int lane = 0; lane < count; ++lane) {
        const int o = first + lane;
        y[r * y_stride + o] = epilogue(acc[lane], w.correction[o], w.scale[o], w.bias[o], w.relu);
      }
    }
  }
}

void int8_quantize_plain(const float* x, std::size_t n, float inverse_scale, int zero_point, std::uint8_t* q) {
  for (std::size_t i = 0; i < n; ++i) q[i] = std::uint8_t(quantize_one(x[i], inverse_scale, zero_point));
}

#if defined(BLNK_INT8_X86)
#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512vl,avx512vnni")
// GCC 12 reports its own _mm512_undefined_ps() inside _mm512_cvtepi32_ps as uninitialized.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
namespace {

template <int R, int NB>
inline void vnni_block(const Int8Rows& a, int first_row, const Int8Weights& w, int first_block, float* y,
                       std::ptrdiff_t y_stride) {
  const int groups = w.depth / kInt8Group;
  const std::size_t block_bytes = std::size_t(groups) * kInt8Block * kInt8Group;
  const std::int8_t* wb = w.packed + std::size_t(first_block) * block_bytes;
  const std::uint8_t* rows[R];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) rows[r] = a.base + a.offsets[first_row + r];
  __m512i acc[R][NB];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int j = 0; j < NB; ++j) acc[r][j] = _mm512_setzero_si512();
  const int run_groups = a.segment_length / kInt8Group;
  for (int s = 0; s < a.segments; ++s) {
    const std::ptrdiff_t run = s * a.segment_stride;
    const std::int8_t* ws = wb + std::size_t(s) * run_groups * kInt8Block * kInt8Group;
    for (int g = 0; g < run_groups; ++g) {
      if constexpr (R == 1) {
        // One row (a dense layer reading one photo): four zero bytes add nothing to
        // the exact integer sums, and after ReLU and pooling most groups are zero
        // (the digit gate's first dense layer): their weights are not read.
        std::int32_t four;
        std::memcpy(&four, rows[0] + run + g * kInt8Group, 4);
        if (four == 0) continue;
      }
      __m512i wv[NB];
#pragma GCC unroll 4
      for (int j = 0; j < NB; ++j) wv[j] = _mm512_loadu_si512(ws + j * block_bytes + std::size_t(g) * 64);
#pragma GCC unroll 8
      for (int r = 0; r < R; ++r) {
        std::int32_t four;
        std::memcpy(&four, rows[r] + run + g * kInt8Group, 4);
        const __m512i av = _mm512_set1_epi32(four);
#pragma GCC unroll 4
        for (int j = 0; j < NB; ++j) acc[r][j] = _mm512_dpbusd_epi32(acc[r][j], av, wv[j]);
      }
    }
  }
  const __m512 zero = _mm512_setzero_ps();
#pragma GCC unroll 4
  for (int j = 0; j < NB; ++j) {
    const int o = (first_block + j) * kInt8Block;
    const __m512i corr = _mm512_loadu_si512(w.correction + o);
    const __m512 scale = _mm512_loadu_ps(w.scale + o), bias = _mm512_loadu_ps(w.bias + o);
    const int left = w.outputs - o;
    const __mmask16 mask = left >= kInt8Block ? __mmask16(0xFFFF) : __mmask16((1u << left) - 1);
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      __m512 v = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][j], corr)), scale, bias);
      if (w.relu) v = _mm512_max_ps(v, zero);
      _mm512_mask_storeu_ps(y + (first_row + r) * y_stride + o, mask, v);
    }
  }
}

// Rows per block: 6 rows x 4 blocks of outputs is 24 accumulators, 4 weight vectors and
// a broadcast, within the 32 registers.
constexpr int kRowsPerBlock = 6;

template <int NB>
void vnni_rows(const Int8Rows& a, const Int8Weights& w, int first_block, float* y, std::ptrdiff_t y_stride) {
  int r = 0;
  for (; r + kRowsPerBlock <= a.rows; r += kRowsPerBlock) vnni_block<kRowsPerBlock, NB>(a, r, w, first_block, y, y_stride);
  switch (a.rows - r) {
    case 5: vnni_block<5, NB>(a, r, w, first_block, y, y_stride); break;
    case 4: vnni_block<4, NB>(a, r, w, first_block, y, y_stride); break;
    case 3: vnni_block<3, NB>(a, r, w, first_block, y, y_stride); break;
    case 2: vnni_block<2, NB>(a, r, w, first_block, y, y_stride); break;
    case 1: vnni_block<1, NB>(a, r, w, first_block, y, y_stride); break;
    default: break;
  }
}

}  // namespace

void int8_product_vnni(const Int8Rows& a, const Int8Weights& w, float* y, std::ptrdiff_t y_stride) {
  constexpr int kBlocksPerPass = 4;
  const int blocks = int8_round_up(w.outputs, kInt8Block) / kInt8Block;
  int b = 0;
  for (; b + kBlocksPerPass <= blocks; b += kBlocksPerPass) vnni_rows<kBlocksPerPass>(a, w, b, y, y_stride);
  switch (blocks - b) {
    case 3: vnni_rows<3>(a, w, b, y, y_stride); break;
    case 2: vnni_rows<2>(a, w, b, y, y_stride); break;
    case 1: vnni_rows<1>(a, w, b, y, y_stride); break;
    default: break;
  }
}

void int8_quantize_avx512(const float* x, std::size_t n, float inverse_scale, int zero_point, std::uint8_t* q) {
  const __m512 inv = _mm512_set1_ps(inverse_scale), low = _mm512_set1_ps(-512.0f), high = _mm512_set1_ps(512.0f);
  const __m512i zp = _mm512_set1_epi32(zero_point);
  for (std::size_t i = 0; i < n; i += 16) {
    const __mmask16 mask = n - i >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << (n - i)) - 1);
    __m512 v = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, x + i), inv);
    v = _mm512_min_ps(_mm512_max_ps(v, low), high);  // max(NaN, low) = low, as quantize_one
    const __m512i k = _mm512_add_epi32(_mm512_cvtps_epi32(v), zp);
    _mm_mask_storeu_epi8(q + i, mask, _mm512_cvtusepi32_epi8(_mm512_max_epi32(k, _mm512_setzero_si512())));
  }
}

bool int8_vnni_available() {
  static const bool available = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                                __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
  return available;
}

#pragma GCC diagnostic pop
#pragma GCC pop_options
#else
void int8_product_vnni(const Int8Rows& a, const Int8Weights& w, float* y, std::ptrdiff_t y_stride) {
  int8_product_plain(a, w, y, y_stride);
}
void int8_quantize_avx512(const float* x, std::size_t n, float inverse_scale, int zero_point, std::uint8_t* q) {
  int8_quantize_plain(x, n, inverse_scale, zero_point, q);
}
bool int8_vnni_available() { return false; }
#endif

void int8_product(const Int8Rows& a, const Int8Weights& w, float* y, std::ptrdiff_t y_stride) {
  if (int8_vnni_available()) int8_product_vnni(a, w, y, y_stride);
  else int8_product_plain(a, w, y, y_stride);
}

void int8_quantize(const float* x, std::size_t n, float inverse_scale, int zero_point, std::uint8_t* q) {
  if (int8_vnni_available()) int8_quantize_avx512(x, n, inverse_scale, zero_point, q);
  else int8_quantize_plain(x, n, inverse_scale, zero_point, q);
}

}  // namespace blnk
