// BatchNorm forward and backward (see batchnorm.h). Channels are innermost (NHWC),
// so every loop runs over pixels outside and channels inside; the per-channel sums
// are kept in double, in a fixed order, in the cache.
#include "layers/batchnorm.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "base/moving_average.h"
#include "layers/activation.h"

namespace blnk {
namespace {

std::string number_text(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", double(v));
  return buf;
}

}  // namespace

BatchNorm::BatchNorm(Shape input, const BatchNormConfig& config) : Layer(input), cfg_(config) {
  if (!(cfg_.epsilon > 0.0f && cfg_.epsilon <= 1.0f)) throw Error("BatchNorm: epsilon must be in (0, 1]");
  if (!(cfg_.momentum >= 0.0f && cfg_.momentum < 1.0f)) throw Error("BatchNorm: momentum must be in [0, 1)");
}

std::string BatchNorm::spec() const {
  std::string s = cfg_.relu ? "bn:act=relu" : "bn:act=linear";
  if (cfg_.epsilon != BatchNormConfig{}.epsilon) s += ":eps=" + number_text(cfg_.epsilon);
  if (cfg_.momentum != BatchNormConfig{}.momentum) s += ":m=" + number_text(cfg_.momentum);
  return s;
}

std::vector<ParamInfo> BatchNorm::param_info() const {
  const int C = in_.c;
  return {{"gamma", {C}, 0}, {"beta", {C}, std::size_t(C)}};
}

void BatchNorm::init_params(float* params, Rng&) const {
  const int C = in_.c;
  for (int c = 0; c < C; ++c) params[c] = 1.0f, params[C + c] = 0.0f;
}

std::vector<ParamInfo> BatchNorm::state_info() const {
  const int C = in_.c;
  return {{"moving_mean", {C}, 0}, {"moving_variance", {C}, std::size_t(C)}};
}

void BatchNorm::init_state(float* state) const {
  const int C = in_.c;
  for (int c = 0; c < C; ++c) state[c] = 0.0f, state[C + c] = 1.0f;
}

std::string BatchNorm::invalid_state(const float* state) const {
  const int C = in_.c;
  for (int c = 0; c < 2 * C; ++c)
    if (!std::isfinite(state[c]) || (c >= C && state[c] < 0.0f))
      return std::string(c < C ? "moving_mean" : "moving_variance") + "[" + std::to_string(c % C) + "] is " +
             number_text(state[c]) + (c < C ? " (not a number)" : " (a variance must be a finite number >= 0)");
  return "";
}

void BatchNorm::update_state(float* state, const float* stats, int batch, std::int64_t updates) const {
  const int C = in_.c;
  const float m = warmed_up_momentum(cfg_.momentum, updates), one_minus_m = 1.0f - m;
  for (int i = 0; i < 2 * C; ++i) state[i] = m * state[i] + one_minus_m * (stats[i] / float(batch));
}

// Cache: sums (C doubles), second sums (C doubles), 1/std (C floats, padded to 16),
// then x normalized (n, h, w, c) floats.
std::size_t BatchNorm::cache_bytes(int n) const {
  const std::size_t C = std::size_t(in_.c);
  return 2 * C * sizeof(double) + (C + 15) / 16 * 16 * sizeof(float) + sizeof(float) * std::size_t(n) * in_.size();
}

void BatchNorm::forward(const float* x, float* y, int n, const LayerContext& ctx) const {
  const int C = in_.c;
  const std::size_t pixels = std::size_t(n) * in_.h * in_.w;  // per channel
  double* sum = reinterpret_cast<double*>(ctx.cache);
  double* sum2 = sum + C;
  float* inv_std = reinterpret_cast<float*>(sum2 + C);
  float* xhat = inv_std + (C + 15) / 16 * 16;  // (n, h, w, C)
  const float* gamma = ctx.params;
  const float* beta = ctx.params + C;
  if (ctx.mode == Mode::inference) {
    float* scale = inv_std;
    float* shift = xhat;
    for (int c = 0; c < C; ++c) channel_affine(ctx.params, ctx.state, c, scale[c], shift[c]);
    const float floor = cfg_.relu ? 0.0f : -INFINITY;
    for (std::size_t p = 0; p < pixels; ++p)
      for (int c = 0; c < C; ++c) y[p * C + c] = std::max(x[p * C + c] * scale[c] + shift[c], floor);
    return;
  }
  for (int c = 0; c < C; ++c) sum[c] = 0, sum2[c] = 0;
  for (std::size_t p = 0; p < pixels; ++p)
    for (int c = 0; c < C; ++c) sum[c] += x[p * C + c];
  for (int c = 0; c < C; ++c) sum[c] /= double(pixels);  // the mean
  for (std::size_t p = 0; p < pixels; ++p)
    for (int c = 0; c < C; ++c) {
      const double d = x[p * C + c] - sum[c];
      sum2[c] += d * d;
    }
  for (int c = 0; c < C; ++c) {
    sum2[c] /= double(pixels);  // the (biased) variance
    inv_std[c] = float(1.0 / std::sqrt(sum2[c] + double(cfg_.epsilon)));
  }
  const float floor = cfg_.relu ? 0.0f : -INFINITY;
  for (std::size_t p = 0; p < pixels; ++p)
    for (int c = 0; c < C; ++c) {
      const float h = (x[p * C + c] - float(sum[c])) * inv_std[c];
      xhat[p * C + c] = h;
      y[p * C + c] = std::max(gamma[c] * h + beta[c], floor);
    }
  if (ctx.stats)
    for (int c = 0; c < C; ++c) {
      ctx.stats[c] += float(n * sum[c]);
      ctx.stats[C + c] += float(n * sum2[c]);
    }
}

void BatchNorm::backward(const float*, const float* y, float* dy, float* dx, int n, const LayerContext& ctx) const {
  const int C = in_.c;
  const std::size_t pixels = std::size_t(n) * in_.h * in_.w;
  double* dy_sum = reinterpret_cast<double*>(ctx.cache);
  double* dy_xhat_sum = dy_sum + C;
  const float* inv_std = reinterpret_cast<const float*>(dy_xhat_sum + C);
  const float* xhat = inv_std + (C + 15) / 16 * 16;
  const float* gamma = ctx.params;
  if (cfg_.relu) relu_mask(dy, y, pixels * C);
  for (int c = 0; c < C; ++c) dy_sum[c] = 0, dy_xhat_sum[c] = 0;
  for (std::size_t p = 0; p < pixels; ++p)
    for (int c = 0; c < C; ++c) {
      dy_sum[c] += dy[p * C + c];
      dy_xhat_sum[c] += double(dy[p * C + c]) * xhat[p * C + c];
    }
  for (int c = 0; c < C; ++c) {
    ctx.grads[c] += float(dy_xhat_sum[c]);  // d gamma
    ctx.grads[C + c] += float(dy_sum[c]);   // d beta
  }
  if (!dx) return;
  // dx = gamma / std * (dy - mean(dy) - xhat * mean(dy * xhat))
  for (int c = 0; c < C; ++c) dy_sum[c] /= double(pixels), dy_xhat_sum[c] /= double(pixels);
  for (std::size_t p = 0; p < pixels; ++p)
    for (int c = 0; c < C; ++c) {
      const std::size_t i = p * C + c;
      dx[i] = gamma[c] * inv_std[c] *
              (dy[i] - float(dy_sum[c]) - xhat[i] * float(dy_xhat_sum[c]));
    }
}

}  // namespace blnk
