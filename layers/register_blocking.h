// How small_gemm and bf16_gemm cut C for their AVX-512 register blocks: columns into
// panels of 4, 3, 2 or 1 vectors of 16 (a last partial vector under a mask), each
// panel's rows into blocks as tall as the 32 registers allow and a last block of the
// exact height. A kernel passes its register block as a callable taking the height
// (and the panel its vector count) as a std::integral_constant.
#pragma once

#include <cstdint>
#include <type_traits>

namespace blnk {

// Rows per block for NV vectors of C per row: as many accumulators as the 32
// registers allow, leaving room for B's row and one broadcast.
template <int NV>
constexpr int rows_per_block() {
  return NV == 4 ? 6 : NV == 3 ? 8 : 12;
}

// block(std::integral_constant<int, H>{}, first_row) for the last h < H rows.
template <int H, class Block>
inline void last_row_block(int h, int first_row, Block& block) {
  if constexpr (H > 0) {
    if (h == H) block(std::integral_constant<int, H>{}, first_row);
    else last_row_block<H - 1>(h, first_row, block);
  }
}

// block(std::integral_constant<int, height>{}, first_row) over m rows, for a panel of NV vectors.
template <int NV, class Block>
inline void for_each_row_block(int m, Block&& block) {
  constexpr int R = rows_per_block<NV>();
  int i = 0;
  for (; i + R <= m; i += R) block(std::integral_constant<int, R>{}, i);
  last_row_block<R - 1>(m - i, i, block);
}

// panel(std::integral_constant<int, NV>{}, first_column, mask of the last vector's columns) over n columns.
template <class Panel>
inline void for_each_column_panel(int n, Panel&& panel) {
  constexpr std::uint16_t kAll = 0xFFFF;
  int j = 0;
  while (j + 16 <= n) {
    const int vectors = (n - j) / 16;
    switch (vectors >= 4 ? 4 : vectors) {
      case 4: panel(std::integral_constant<int, 4>{}, j, kAll); j += 64; break;
      case 3: panel(std::integral_constant<int, 3>{}, j, kAll); j += 48; break;
      case 2: panel(std::integral_constant<int, 2>{}, j, kAll); j += 32; break;
      default: panel(std::integral_constant<int, 1>{}, j, kAll); j += 16; break;
    }
  }
  if (j < n)  // fewer than 16 columns left: one masked vector
    panel(std::integral_constant<int, 1>{}, j, std::uint16_t((1u << (n - j)) - 1));
}

}  // namespace blnk
