// Dense forward and backward as matrix products with bias and ReLU fused into one pass
// (layers/activation.h).
#include "layers/dense.h"

#include "base/error.h"
#include "layers/activation.h"
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
  glorot_uniform_init(params, in * units_, std::size_t(units_), int(in), units_, rng);
}

// small_gemm computes each sample's row by the same chain of operations whatever n
// is, so a sample's logits do not depend on the batch it came in (Eigen picks a
// matrix-vector path for one row and a blocked one for several, rounding differently).
// One sample (a photo read) skips the weight rows of its zero inputs, with the same
// bits: most of a 1.6 MB kernel is then never read.
void Dense::forward(const float* x, float* y, int n, const LayerContext& ctx) const {
  const int in = int(in_.size()), U = units_;
  if (ctx.precision == Precision::bf16)
    forward_bf16(x, y, n, ctx);
  else if (n == 1)
    small_gemv_skipping_zeros(U, in, x, ctx.params, U, y);
  else
    small_gemm(n, U, in, {x, in, 1}, ctx.params, U, y, U, false);
  add_bias_relu(y, n, U, ctx.params + std::size_t(in) * U, relu_);
}

void Dense::backward(const float* x, const float* y, float* dy, float* dx, int n,
                     const LayerContext& ctx) const {
  const int in = int(in_.size()), U = units_;
  if (relu_) relu_mask(dy, y, std::size_t(n) * U);
  if (ctx.precision == Precision::bf16) return backward_bf16(x, dy, dx, n, ctx);
  ConstMatrixMap dz(dy, n, U);
  MatrixMap(ctx.grads, in, U).noalias() += ConstMatrixMap(x, n, in).transpose() * dz;
  add_column_sums(dy, n, U, ctx.grads + std::size_t(in) * U);
  if (!dx) return;
  // dx = dz W^T, computed as dx^T = W dz^T by small_gemm, whose operands need no
  // packing: Eigen's GEMM took its packing buffers from the heap at every step here
  // (the seed's 3136 x 128 kernel is past its stack limit).
  float* dz_t = reinterpret_cast<float*>(ctx.cache);  // (U, n)
  float* dx_t = dz_t + std::size_t(U) * n;            // (in, n)
  MatrixMap(dz_t, U, n).noalias() = dz.transpose();
  small_gemm(in, n, U, {ctx.params, U, 1}, dz_t, n, dx_t, n, false);
  MatrixMap(dx, n, in).noalias() = ConstMatrixMap(dx_t, in, n).transpose();
}

}  // namespace blnk
