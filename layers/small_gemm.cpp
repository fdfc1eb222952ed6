// small_gemm: an R x (16 * NV) block of C lives in AVX-512 registers while p runs
// over k; each step loads NV vectors of one B row and broadcasts R elements of A.
// B's column panel (k x 64 floats at most) stays in L1 across the row blocks. A
// last partial vector of columns is read and written under a mask.
#include "layers/small_gemm.h"

#include <algorithm>

#include "layers/register_blocking.h"

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace blnk {

void small_gemm_plain(int m, int n, int k, GemmOperand a, const float* b, std::ptrdiff_t b_row,
                      float* c, std::ptrdiff_t c_row, bool accumulate) {
  for (int i = 0; i < m; ++i) {
    float* ci = c + i * c_row;
    if (!accumulate)
      for (int j = 0; j < n; ++j) ci[j] = 0.0f;
    for (int p = 0; p < k; ++p) {
      const float aip = a.data[i * a.row + p * a.col];
      const float* bp = b + p * b_row;
      for (int j = 0; j < n; ++j) ci[j] += aip * bp[j];
    }
  }
}

void small_gemv_skipping_zeros_plain(int n, int k, const float* x, const float* b, std::ptrdiff_t b_row,
                                     float* c) {
  for (int j = 0; j < n; ++j) c[j] = 0.0f;
  for (int p = 0; p < k; ++p) {
    if (x[p] == 0.0f) continue;
    const float xp = x[p];
    const float* bp = b + p * b_row;
    for (int j = 0; j < n; ++j) c[j] += xp * bp[j];
  }
}

#if defined(__AVX512F__)
namespace {

// The last of the NV vectors is read and written under `last` (columns past n masked off).
template <int R, int NV>
inline void block(int k, const float* a, std::ptrdiff_t a_row, std::ptrdiff_t a_col, const float* b,
                  std::ptrdiff_t b_row, float* c, std::ptrdiff_t c_row, bool accumulate,
                  __mmask16 last = 0xFFFF) {
  auto mask = [last](int j) -> __mmask16 { return j == NV - 1 ? last : 0xFFFF; };
  __m512 acc[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j)
      acc[r][j] = accumulate ? _mm512_maskz_loadu_ps(mask(j), c + r * c_row + 16 * j) : _mm512_setzero_ps();
  for (int p = 0; p < k; ++p) {
    __m512 bv[NV];
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j) bv[j] = _mm512_maskz_loadu_ps(mask(j), b + p * b_row + 16 * j);
    const float* ap = a + p * a_col;
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const __m512 av = _mm512_set1_ps(ap[r * a_row]);
#pragma GCC unroll 8
      for (int j = 0; j < NV; ++j) acc[r][j] = _mm512_fmadd_ps(av, bv[j], acc[r][j]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j) _mm512_mask_storeu_ps(c + r * c_row + 16 * j, mask(j), acc[r][j]);
}

template <int NV>
void column_panel(int m, int k, GemmOperand a, const float* b, std::ptrdiff_t b_row, float* c,
                  std::ptrdiff_t c_row, bool accumulate, __mmask16 last = 0xFFFF) {
  for_each_row_block<NV>(m, [&](auto rows, int i) {
    block<decltype(rows)::value, NV>(k, a.data + i * a.row, a.row, a.col, b, b_row, c + i * c_row, c_row, accumulate,
                                     last);
  });
}

// The rows of x that are not zero are listed a stretch at a time, so the list
// lives on the stack whatever k is; C's accumulators go to memory between stretches
// (exactly: a float stored and loaded back is the same float).
constexpr int kStretch = 256;

// NV vectors of C (the last under `last`) over the listed rows of B.
template <int NV>
inline void listed_rows(const int* rows, int count, const float* x, const float* b, std::ptrdiff_t b_row, float* c,
                        bool first, __mmask16 last = 0xFFFF) {
  auto mask = [last](int j) -> __mmask16 { return j == NV - 1 ? last : 0xFFFF; };
  __m512 acc[NV];
#pragma GCC unroll 8
  for (int j = 0; j < NV; ++j) acc[j] = first ? _mm512_setzero_ps() : _mm512_maskz_loadu_ps(mask(j), c + 16 * j);
  for (int i = 0; i < count; ++i) {
    const int p = rows[i];
    const __m512 xv = _mm512_set1_ps(x[p]);
    const float* bp = b + p * b_row;
#pragma GCC unroll 8
    for (int j = 0; j < NV; ++j) acc[j] = _mm512_fmadd_ps(xv, _mm512_maskz_loadu_ps(mask(j), bp + 16 * j), acc[j]);
  }
#pragma GCC unroll 8
  for (int j = 0; j < NV; ++j) _mm512_mask_storeu_ps(c + 16 * j, mask(j), acc[j]);
}

}  // namespace

void small_gemv_skipping_zeros(int n, int k, const float* x, const float* b, std::ptrdiff_t b_row, float* c) {
  // A stretch's row numbers; 16 more, since each compressed vector is stored whole.
  alignas(64) int rows[kStretch + 16];
  const __m512i lanes = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  int p0 = 0;
  do {  // at least once: with k = 0, C = 0
    const int len = std::min(kStretch, k - p0);
    int count = 0;
    for (int p = 0; p < len; p += 16) {
      const __mmask16 in = p + 16 <= len ? __mmask16(0xFFFF) : __mmask16((1u << (len - p)) - 1);
      const __m512 v = _mm512_maskz_loadu_ps(in, x + p0 + p);
      // Not equal, or unordered: a NaN is added, as small_gemm adds it.
      const __mmask16 nonzero = _mm512_mask_cmp_ps_mask(in, v, _mm512_setzero_ps(), _CMP_NEQ_UQ);
      const __m512i index = _mm512_add_epi32(lanes, _mm512_set1_epi32(p0 + p));
      // Compressed in a register, then stored whole (a compressing store is slow on some CPUs).
      _mm512_storeu_si512(rows + count, _mm512_maskz_compress_epi32(nonzero, index));
      count += __builtin_popcount(nonzero);
    }
    const bool first = p0 == 0;
    int j = 0;
    for (; j + 128 <= n; j += 128) listed_rows<8>(rows, count, x, b + j, b_row, c + j, first);
    for (; j + 16 <= n; j += 16) listed_rows<1>(rows, count, x, b + j, b_row, c + j, first);
    if (j < n) listed_rows<1>(rows, count, x, b + j, b_row, c + j, first, __mmask16((1u << (n - j)) - 1));
    p0 += kStretch;
  } while (p0 < k);
}

void small_gemm(int m, int n, int k, GemmOperand a, const float* b, std::ptrdiff_t b_row, float* c,
                std::ptrdiff_t c_row, bool accumulate) {
  int j = 0;
  // One row (a matrix-vector product): eight vectors of C at once, so eight independent
  // chains of multiply-adds hide the FMA latency. Same chain per element as any block.
  if (m == 1)
    for (; j + 128 <= n; j += 128) block<1, 8>(k, a.data, a.row, a.col, b + j, b_row, c + j, c_row, accumulate);
  for_each_column_panel(n - j, [&](auto vectors, int first, __mmask16 last) {
    column_panel<decltype(vectors)::value>(m, k, a, b + j + first, b_row, c + j + first, c_row, accumulate, last);
  });
}

#else

void small_gemm(int m, int n, int k, GemmOperand a, const float* b, std::ptrdiff_t b_row, float* c,
                std::ptrdiff_t c_row, bool accumulate) {
  small_gemm_plain(m, n, k, a, b, b_row, c, c_row, accumulate);
}

void small_gemv_skipping_zeros(int n, int k, const float* x, const float* b, std::ptrdiff_t b_row, float* c) {
  small_gemv_skipping_zeros_plain(n, k, x, b, b_row, c);
}

#endif

}  // namespace blnk
