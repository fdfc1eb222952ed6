// BatchNorm: batch normalization over the channels of NHWC batches (Keras's
// BatchNormalization, axis -1), with an optional fused ReLU after it.
//
// Training mode normalizes with the statistics of the samples it is given (one
// thread's slice of the batch: docs/architecture.md, "Batch normalization") and adds
// them to ctx.stats; inference mode uses the running mean and variance (the layer's
// state), which update_state moves towards each batch's statistics:
//   running = m * running + (1 - m) * batch statistic   (Keras's rule)
// with m = momentum warmed up as the weights' average is (base/moving_average.h):
// without it a run of a few hundred steps would end with a variance still near its
// starting 1 where the true one is 0.01, and an inference at chance.
// An inference workspace folds a BatchNorm into the convolution or dense layer before
// it (engine/fold.h); the layer's own inference forward serves everywhere else.
#pragma once

#include <cmath>

#include "layers/batchnorm_gradient.h"
#include "layers/layer.h"

namespace blnk {

struct BatchNormConfig {
  bool relu = false;
  float epsilon = 1e-3f;   // Keras's default
  float momentum = 0.99f;  // Keras's default
};

class BatchNorm : public Layer {
 public:
  BatchNorm(Shape input, const BatchNormConfig& config);

  std::string kind() const override { return "BatchNormalization"; }
  std::string spec() const override;
  std::vector<ParamInfo> param_info() const override;  // gamma (C), beta (C)
  void init_params(float* params, Rng& rng) const override;
  std::vector<ParamInfo> state_info() const override;  // moving_mean (C), moving_variance (C)
  void init_state(float* state) const override;
  std::string invalid_state(const float* state) const override;  // a variance below 0 or not finite
  void update_state(float* state, const float* stats, int batch, std::int64_t updates) const override;
  std::size_t cache_bytes(int n) const override;
  double forward_flops() const override { return 2.0 * double(in_.size()); }

  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  // What forward applies to channel c: y = (x - center[c]) * scale[c] + offset[c], then
  // the ReLU if the layer has one.
  struct ChannelMap {
    const float* center;
    const float* scale;
    const float* offset;
  };
  // Forward without its output pass: the map for x (training: from x's statistics,
  // added to ctx.stats; inference: from the running ones), kept in ctx.cache as
  // forward keeps it, for a caller that applies it in a pass of its own (the residual
  // block adds the two branches and applies the ReLU in the same pass). Backward then
  // works as after forward (with a ReLU, it takes the mask from x and the map).
  ChannelMap channel_map(const float* x, int n, const LayerContext& ctx) const;
  // Unlike the contract allows, leaves dy as it was (the residual block counts on it).
  // Does not read y.
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;
  // Backward without its output pass: the sums over (x, dy), the gamma and beta
  // gradients added to ctx.grads, and the map from dy to dx (kept in ctx.cache), for
  // the layer before to apply as it reads dx (Conv2D::backward_through_bn). dy is
  // left as it was.
  BatchNormGradient input_gradient(const float* x, const float* dy, int n, const LayerContext& ctx) const;

  const BatchNormConfig& config() const { return cfg_; }
  // The affine map inference applies to channel c: y = x * scale + shift (the fold too).
  void channel_affine(const float* params, const float* state, int c, float& scale, float& shift) const {
    const int C = in_.c;
    scale = params[c] / std::sqrt(state[C + c] + cfg_.epsilon);
    shift = params[C + c] - state[c] * scale;
  }

 private:
  template <bool Relu>
  BatchNormGradient gradient_sums(const float* x, const float* dy, int n, const LayerContext& ctx) const;

  BatchNormConfig cfg_;
};

}  // namespace blnk
