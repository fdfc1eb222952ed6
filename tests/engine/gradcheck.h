// Numerical gradient checks by central differences, shared by the layer tests.
//
// Most blnk layers are piecewise linear in their input and parameters (convolution,
// dense, ReLU, pooling, dropout with a fixed mask, flatten). So for a probe
// loss L = sum(r * y) with fixed random r, a central difference with a fairly
// large step h is exact up to float rounding, except where the step crosses a
// kink (a ReLU or a pooling window changing its winner). Such crossings show as a
// non-zero second difference L(+h) - 2 L(0) + L(-h); so does the smooth curvature
// of BatchNorm (and of the residual block, which holds it). For those layers (the
// ones with state), where the second difference is not zero, half the step decides: when the second difference falls
// to a quarter and the central difference over h/2 agrees with the one over h (a
// smooth curve), that over h/2 is checked; else the element is skipped (a kink;
// counted: at most a tenth may be). Tolerance: |numeric - analytic| <=
// 2e-3 + 1e-2 * max(|numeric|, |analytic|); a wrong index or a missing term is
// off by O(|gradient|) and fails it.
#pragma once

#include <string>

#include "base/shape.h"

namespace blnk::testing {

struct GradCheckResult {
  int checked = 0;
  int skipped = 0;  // at kinks
  int failed = 0;
  std::string first_failure;
};

// Builds the one-layer spec `token` for input shape `in`, runs forward (training
// mode) and backward on a batch of n random samples, and checks the input gradient
// and every parameter gradient (all elements, or an evenly spread subset of at
// most max_elements per tensor). Also checks that backward writes every element of
// dx (dx is filled with NaN first) and adds to, not overwrites, the parameter
// gradients (they start at a known offset).
// With input_gradient false, backward gets no dx, as the network's first layer does
// (some layers take another path then) and only the parameter gradients are checked.
// step: the central difference's h. The float forward's rounding noise enters the
// numeric gradient as noise / h, so a layer with more rounding (Winograd F(4x4,3x3))
// needs a larger h; for a linear layer any h is exact.
constexpr float kDefaultStep = 1e-3f;
GradCheckResult check_layer_gradients(const std::string& token, Shape in, int n,
                                      int max_elements = 400, bool input_gradient = true,
                                      float step = kDefaultStep);

}  // namespace blnk::testing
