// small_gemm: an R x (16 * NV) block of C lives in AVX-512 registers while p runs
// over k; each step loads NV vectors of one B row and broadcasts R elements of A.
// B's column panel (k x 64 floats at most) stays in L1 across the row blocks. A
// last partial vector of columns is read and written under a mask.
#include "layers/small_gemm.h"

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

// Rows per block for NV vectors of C per row: as many accumulators as the 32
// registers allow, leaving room for B's row and one broadcast.
template <int NV>
constexpr int rows_per_block() {
  return NV == 4 ? 6 : NV == 3 ? 8 : 12;
}

template <int NV>
void column_panel(int m, int k, GemmOperand a, const float* b, std::ptrdiff_t b_row, float* c,
                  std::ptrdiff_t c_row, bool accumulate, __mmask16 last = 0xFFFF) {
  constexpr int R = rows_per_block<NV>();
  int i = 0;
  for (; i + R <= m; i += R)
    block<R, NV>(k, a.data + i * a.row, a.row, a.col, b, b_row, c + i * c_row, c_row, accumulate, last);
  // The last rows, fewer than R, one block of the exact height.
  const float* ai = a.data + i * a.row;
  float* ci = c + i * c_row;
  switch (m - i) {
    case 0: break;
#define BLNK_TAIL(h)                                                                            \
  case h:                                                                                       \
    if constexpr (h < R) block<h, NV>(k, ai, a.row, a.col, b, b_row, ci, c_row, accumulate, last); \
    break;
    BLNK_TAIL(1) BLNK_TAIL(2) BLNK_TAIL(3) BLNK_TAIL(4) BLNK_TAIL(5) BLNK_TAIL(6)
    BLNK_TAIL(7) BLNK_TAIL(8) BLNK_TAIL(9) BLNK_TAIL(10) BLNK_TAIL(11)
#undef BLNK_TAIL
  }
}

}  // namespace

void small_gemm(int m, int n, int k, GemmOperand a, const float* b, std::ptrdiff_t b_row, float* c,
                std::ptrdiff_t c_row, bool accumulate) {
  int j = 0;
  // One row (a matrix-vector product): eight vectors of C at once, so eight independent
  // chains of multiply-adds hide the FMA latency. Same chain per element as any block.
  if (m == 1)
    for (; j + 128 <= n; j += 128) block<1, 8>(k, a.data, a.row, a.col, b + j, b_row, c + j, c_row, accumulate);
  while (j + 16 <= n) {
    const int vectors = (n - j) / 16;
    switch (vectors >= 4 ? 4 : vectors) {
      case 4: column_panel<4>(m, k, a, b + j, b_row, c + j, c_row, accumulate); j += 64; break;
      case 3: column_panel<3>(m, k, a, b + j, b_row, c + j, c_row, accumulate); j += 48; break;
      case 2: column_panel<2>(m, k, a, b + j, b_row, c + j, c_row, accumulate); j += 32; break;
      default: column_panel<1>(m, k, a, b + j, b_row, c + j, c_row, accumulate); j += 16; break;
    }
  }
  if (j < n)  // fewer than 16 columns left: one masked vector
    column_panel<1>(m, k, a, b + j, b_row, c + j, c_row, accumulate, __mmask16((1u << (n - j)) - 1));
}

#else

void small_gemm(int m, int n, int k, GemmOperand a, const float* b, std::ptrdiff_t b_row, float* c,
                std::ptrdiff_t c_row, bool accumulate) {
  small_gemm_plain(m, n, k, a, b, b_row, c, c_row, accumulate);
}

#endif

}  // namespace blnk
