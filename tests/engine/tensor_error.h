// How far a float tensor is from the expected one, as one number: the engine tests'
// tolerances (Winograd against the direct convolution, bfloat16 against float32).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace blnk::testing {

// Largest |got - expected| over the largest |expected|: a relative error of the whole tensor.
template <typename T>
double relative_error(const std::vector<float>& got, const std::vector<T>& expected) {
  double worst = 0, scale = 1e-30;
  for (std::size_t i = 0; i < got.size(); ++i) {
    worst = std::max(worst, std::abs(double(got[i]) - double(expected[i])));
    scale = std::max(scale, std::abs(double(expected[i])));
  }
  return worst / scale;
}

// sqrt(sum (got - expected)^2 / sum expected^2): the error of a typical element.
template <typename T>
double rms_error(const std::vector<float>& got, const std::vector<T>& expected) {
  double err = 0, norm = 1e-300;
  for (std::size_t i = 0; i < got.size(); ++i) {
    err += (double(got[i]) - double(expected[i])) * (double(got[i]) - double(expected[i]));
    norm += double(expected[i]) * double(expected[i]);
  }
  return std::sqrt(err / norm);
}

}  // namespace blnk::testing
