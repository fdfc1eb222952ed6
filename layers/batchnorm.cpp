// BatchNorm forward and backward (see batchnorm.h). Channels are innermost (NHWC),
// so every loop runs over pixels outside and channels inside. Training's forward
// takes two passes over x (the statistics, then the output) and backward two over
// (x, dy) (the sums, then dx); the per-channel sums run in a fixed order, in
// float over blocks of pixels and in double over the blocks.
#include "layers/batchnorm.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <type_traits>
#include <utility>

#include "base/error.h"
#include "base/moving_average.h"

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

// Cache: the per-channel sums (C doubles) and second sums (C doubles), then eight
// float arrays of C (each padded to 16): the mean and 1/std forward keeps for
// backward, forward's map (center, scale, offset), and three of per-channel factors
// for backward's output pass. Backward normalizes x again rather than keeping x
// normalized from forward (one tensor less written and read back), and with a ReLU
// it takes the mask from x and forward's map rather than reading y (one tensor less
// read in each of its two passes).
constexpr int kCacheFloatArrays = 8;
std::size_t BatchNorm::cache_bytes(int) const {
  const std::size_t C = std::size_t(in_.c);
  return 2 * C * sizeof(double) + kCacheFloatArrays * ((C + 15) / 16 * 16) * sizeof(float);
}

namespace {

// The cache's parts (see cache_bytes).
struct BatchNormCache {
  double* sum;       // (C)
  double* sum2;      // (C)
  float* mean;       // (C) the batch's, kept for backward
  float* inv_std;    // (C) the batch's, kept for backward
  float* map[3];     // (C) each: forward's center, scale and offset (BatchNorm::ChannelMap)
  float* factor[3];  // (C) each: per-channel factors of backward's output pass
  BatchNormCache(std::byte* cache, int C) {
    sum = reinterpret_cast<double*>(cache);
    sum2 = sum + C;
    const int padded = (C + 15) / 16 * 16;
    mean = reinterpret_cast<float*>(sum2 + C);
    inv_std = mean + padded;
    for (int k = 0; k < 3; ++k) map[k] = inv_std + (k + 1) * padded;
    for (int k = 0; k < 3; ++k) factor[k] = inv_std + (k + 4) * padded;
  }
};

// Sums over the pixels are taken kPixelBlock pixels at a time in float registers,
// kLanes channels at a time, and each block's sums added to double totals: the
// block's pixels stay in L1 while the groups of channels pass over them, and the
// totals keep double precision over a whole batch. The group is a vector of the
// compiler (GCC's and Clang's vector extension), which keeps the running sums in
// registers (as an array they went through memory at every pixel: 3x slower).
constexpr std::size_t kPixelBlock = 64;
constexpr int kLanes = 16;
constexpr int kChains = 4;
using Lanes = float __attribute__((vector_size(kLanes * sizeof(float))));
using LaneMask = std::int32_t __attribute__((vector_size(kLanes * sizeof(float))));

// One float, or kLanes consecutive ones, from p.
template <typename V>
V load(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// g where out > 0, else 0 (the ReLU's gradient mask).
inline float where_positive(float out, float g) { return out > 0.0f ? g : 0.0f; }
inline Lanes where_positive(Lanes out, Lanes g) {
  const Lanes zero = {};
  return Lanes(LaneMask(g) & (out > zero));
}

// For every channel c: a[c] = the sum over the pixels of terms(V{}, i, c).first,
// b[c] = of .second, where i = p * C + c is the element of pixel p and V is float
// or Lanes (then the terms of channels c .. c + kLanes - 1 at once).
template <typename Terms>
void channel_sums(std::size_t pixels, int C, double* a, double* b, Terms terms) {
  for (int c = 0; c < C; ++c) a[c] = 0, b[c] = 0;
  for (std::size_t p0 = 0; p0 < pixels; p0 += kPixelBlock) {
    const std::size_t p1 = std::min(pixels, p0 + kPixelBlock);
    int c0 = 0;
    for (; c0 + kLanes <= C; c0 += kLanes) {
      // kChains sums of every kChains-th pixel, so that the additions need not wait
      // on each other (one chain was bound by the latency of the addition).
      Lanes sa[kChains] = {}, sb[kChains] = {};
      std::size_t p = p0;
      for (; p + kChains <= p1; p += kChains)
        for (int k = 0; k < kChains; ++k) {
          const auto t = terms(Lanes{}, (p + k) * C + c0, c0);
          sa[k] += t.first, sb[k] += t.second;
        }
      for (; p < p1; ++p) {
        const auto t = terms(Lanes{}, p * C + c0, c0);
        sa[0] += t.first, sb[0] += t.second;
      }
      const Lanes sum_a = (sa[0] + sa[1]) + (sa[2] + sa[3]), sum_b = (sb[0] + sb[1]) + (sb[2] + sb[3]);
      for (int j = 0; j < kLanes; ++j) a[c0 + j] += sum_a[j], b[c0 + j] += sum_b[j];
    }
    for (; c0 < C; ++c0) {  // channels past the last whole group
      float sa = 0, sb = 0;
      for (std::size_t p = p0; p < p1; ++p) {
        const auto t = terms(0.0f, p * C + c0, c0);
        sa += t.first, sb += t.second;
      }
      a[c0] += sa, b[c0] += sb;
    }
  }
}

}  // namespace

BatchNorm::ChannelMap BatchNorm::channel_map(const float* x, int n, const LayerContext& ctx) const {
  const int C = in_.c;
  const std::size_t pixels = std::size_t(n) * in_.h * in_.w;  // per channel
  const BatchNormCache cache(ctx.cache, C);
  // y = (x - center) * scale + offset: the batch's mean, gamma / std and beta in
  // training; 0 and inference's affine map from the running statistics otherwise.
  float* center = cache.map[0];
  float* scale = cache.map[1];
  float* offset = cache.map[2];
  if (ctx.mode == Mode::inference) {
    for (int c = 0; c < C; ++c) {
      center[c] = 0.0f;
      channel_affine(ctx.params, ctx.state, c, scale[c], offset[c]);
    }
  } else {
    // One pass for the mean and the variance: the sums of d = x - x0 and of d^2, with
    // x0 the channel's value at the first pixel, a sample of it (so the sums are of
    // the order of the spread, not of the mean, and the variance loses no digits to
    // cancellation where the mean is far from 0).
    const float* x0 = x;
    channel_sums(pixels, C, cache.sum, cache.sum2, [&](auto lanes, std::size_t i, int c) {
      using V = decltype(lanes);
      const V d = load<V>(x + i) - load<V>(x0 + c);
      return std::pair<V, V>(d, d * d);
    });
    const float* gamma = ctx.params;
    const float* beta = ctx.params + C;
    for (int c = 0; c < C; ++c) {
      const double shifted_mean = cache.sum[c] / double(pixels);
      const double mean = double(x0[c]) + shifted_mean;
      const double variance = std::max(cache.sum2[c] / double(pixels) - shifted_mean * shifted_mean, 0.0);
      const double inv_std = 1.0 / std::sqrt(variance + double(cfg_.epsilon));
      cache.mean[c] = center[c] = float(mean);
      cache.inv_std[c] = float(inv_std);
      scale[c] = float(gamma[c] * inv_std);
      offset[c] = beta[c];
      if (ctx.stats) {
        ctx.stats[c] += float(n * mean);
        ctx.stats[C + c] += float(n * variance);
      }
    }
  }
  return {center, scale, offset};
}

void BatchNorm::forward(const float* x, float* y, int n, const LayerContext& ctx) const {
  const int C = in_.c;
  const std::size_t pixels = std::size_t(n) * in_.h * in_.w;  // per channel
  const ChannelMap map = channel_map(x, n, ctx);
  const float* center = map.center;
  const float* scale = map.scale;
  const float* offset = map.offset;
  const float floor = cfg_.relu ? 0.0f : -INFINITY;
  for (std::size_t p = 0; p < pixels; ++p)
    for (int c = 0; c < C; ++c) y[p * C + c] = std::max((x[p * C + c] - center[c]) * scale[c] + offset[c], floor);
}

// Reads x and dy (not y), and writes dy no more than x (the residual block counts on it).
void BatchNorm::backward(const float* x, const float*, float* dy, float* dx, int n, const LayerContext& ctx) const {
  const BatchNormGradient g = input_gradient(x, dy, n, ctx);
  if (!dx) return;
  const int C = in_.c;
  const std::size_t pixels = std::size_t(n) * in_.h * in_.w;
  auto output_pass = [&](auto relu) {
    for (std::size_t p = 0; p < pixels; ++p)
      for (int c = 0; c < C; ++c) dx[p * C + c] = g.at<decltype(relu)::value>(dy, p * C + c, c);
  };
  if (cfg_.relu)
    output_pass(std::true_type{});
  else
    output_pass(std::false_type{});
}

BatchNormGradient BatchNorm::input_gradient(const float* x, const float* dy, int n, const LayerContext& ctx) const {
  return cfg_.relu ? gradient_sums<true>(x, dy, n, ctx) : gradient_sums<false>(x, dy, n, ctx);
}

// Backward's first pass, for a ReLU after the normalization (Relu) or none, and the
// factors of dx; y is not read.
template <bool Relu>
BatchNormGradient BatchNorm::gradient_sums(const float* x, const float* dy, int n, const LayerContext& ctx) const {
  const int C = in_.c;
  const std::size_t pixels = std::size_t(n) * in_.h * in_.w;
  const BatchNormCache cache(ctx.cache, C);
  const float* mean = cache.mean;
  const float* inv_std = cache.inv_std;
  const float* gamma = ctx.params;
  const float* center = cache.map[0];
  const float* scale = cache.map[1];
  const float* offset = cache.map[2];
  // The gradient before the ReLU, dz: dy where the output was positive, that is where
  // forward's map of x, the same expression as forward's, was.
  auto dz = [=](auto lanes, std::size_t i, int c) {
    using V = decltype(lanes);
    if constexpr (Relu)
      return where_positive((load<V>(x + i) - load<V>(center + c)) * load<V>(scale + c) + load<V>(offset + c),
                            load<V>(dy + i));
    else
      return load<V>(dy + i);
  };
  double* dz_sum = cache.sum;
  double* dz_x_sum = cache.sum2;  // of dz * (x - mean): the sum of dz * xhat, times std
  channel_sums(pixels, C, dz_sum, dz_x_sum, [&](auto lanes, std::size_t i, int c) {
    using V = decltype(lanes);
    const V g = dz(lanes, i, c);
    return std::pair<V, V>(g, g * (load<V>(x + i) - load<V>(mean + c)));
  });
  for (int c = 0; c < C; ++c) {
    ctx.grads[c] += float(dz_x_sum[c] * inv_std[c]);  // d gamma = the sum of dz * xhat
    ctx.grads[C + c] += float(dz_sum[c]);             // d beta
  }
  // dx = gamma / std * (dz - mean(dz) - xhat * mean(dz * xhat))
  //    = a * (dz - mean(dz)) + b * (x - mean), a = gamma / std, b = -a / std * mean(dz * xhat)
  float* a = cache.factor[0];
  float* b = cache.factor[1];
  float* dz_mean = cache.factor[2];
  for (int c = 0; c < C; ++c) {
    const double a_c = double(gamma[c]) * inv_std[c];
    const double dz_xhat_mean = dz_x_sum[c] * inv_std[c] / double(pixels);
    a[c] = float(a_c);
    b[c] = float(-a_c * inv_std[c] * dz_xhat_mean);
    dz_mean[c] = float(dz_sum[c] / double(pixels));
  }
  return {x, center, scale, offset, a, b, dz_mean, mean, Relu};
}

}  // namespace blnk
