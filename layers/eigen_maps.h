// Eigen views over blnk's own buffers. Everything is row-major, as our NHWC
// activations are: a batch of n samples of m features is an (n x m) matrix.
#pragma once

#include <Eigen/Core>

#include <cstddef>

namespace blnk {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixMap = Eigen::Map<RowMatrix>;
using ConstMatrixMap = Eigen::Map<const RowMatrix>;
using VectorMap = Eigen::Map<Eigen::VectorXf>;
using ConstVectorMap = Eigen::Map<const Eigen::VectorXf>;
using RowVectorMap = Eigen::Map<Eigen::RowVectorXf>;
using ConstRowVectorMap = Eigen::Map<const Eigen::RowVectorXf>;

// out[c] += sum over rows of m[r][c], for a row-major (rows x cols) matrix: the
// bias gradient. A plain loop, not Eigen's colwise().sum(), which builds a heap
// temporary whose alignment varies from run to run, and with it the rounding.
inline void add_column_sums(const float* m, std::ptrdiff_t rows, int cols, float* out) {
  for (std::ptrdiff_t r = 0; r < rows; ++r) {
    const float* row = m + r * cols;
    for (int c = 0; c < cols; ++c) out[c] += row[c];
  }
}

}  // namespace blnk
