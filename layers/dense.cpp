// Dense forward and backward as matrix products with bias and ReLU fused into one pass.
#include "layers/dense.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "layers/eigen_maps.h"
#include "layers/small_gemm.h"

namespace blnk {

Dense::Dense(Shape input, int units, bool relu) : Layer(input), units_(units), relu_(relu) {
  if (units < 1) throw Error("Dense: the number of units must be positive");
  out_ = Shape{1, 1, units};
}

std::string Dense::spec() const {
  return "dense" + std::to_string(units_) + (relu_ ? ":act=relu" : ":act=linear");
}

std::vector<ParamInfo> Dense::param_info() const {
  const int in = int(in_.size());
  return {{"kernel", {in, units_}, 0}, {"bias", {units_}, std::size_t(in) * units_}};
}

void Dense::init_params(float* params, Rng& rng) const {
  const std::size_t in = in_.size();
  const float limit = std::sqrt(6.0f / float(in + units_));
  for (std::size_t i = 0; i < in * units_; ++i) params[i] = rng.uniform(-limit, limit);
  std::fill(params + in * units_, params + in * units_ + units_, 0.0f);
}

// small_gemm computes each sample's row by the same chain of operations whatever n
// is, so a sample's logits do not depend on the batch it came in (Eigen picks a
// matrix-vector path for one row and a blocked one for several, rounding differently).
void Dense::forward(const float* x, float* y, int n, const LayerContext& ctx) const {
  const int in = int(in_.size()), U = units_;
  small_gemm(n, U, in, {x, in, 1}, ctx.params, U, y, U, false);
  const float* bias = ctx.params + std::size_t(in) * U;
  for (int r = 0; r < n; ++r) {
    float* row = y + std::size_t(r) * U;
    if (relu_)
      for (int u = 0; u < U; ++u) row[u] = std::max(row[u] + bias[u], 0.0f);
    else
      for (int u = 0; u < U; ++u) row[u] += bias[u];
  }
}

void Dense::backward(const float* x, const float* y, float* dy, float* dx, int n,
                     const LayerContext& ctx) const {
  const int in = int(in_.size()), U = units_;
  if (relu_)
    for (std::size_t i = 0; i < std::size_t(n) * U; ++i) dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
  ConstMatrixMap dz(dy, n, U);
  MatrixMap(ctx.grads, in, U).noalias() += ConstMatrixMap(x, n, in).transpose() * dz;
  add_column_sums(dy, n, U, ctx.grads + std::size_t(in) * U);
  if (dx) MatrixMap(dx, n, in).noalias() = dz * ConstMatrixMap(ctx.params, in, U).transpose();
}

}  // namespace blnk
