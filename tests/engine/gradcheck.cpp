// Numerical gradient checks by central differences (see gradcheck.h).
#include "gradcheck.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <sstream>
#include <vector>

#include "base/buffer.h"
#include "base/rng.h"
#include "layers/registry.h"

namespace blnk::testing {
namespace {

constexpr double kAbsTolerance = 2e-3;
constexpr double kRelTolerance = 1e-2;
constexpr float kGradOffset = 0.5f;  // parameter gradients start here: backward must add

struct Probe {
  const Layer& layer;
  int n;
  std::vector<float>& x;
  std::vector<float>& params;
  std::vector<float> y;
  std::vector<float> r;
  AlignedBuffer cache;
  AlignedBuffer prepared;

  // Prepares again each time: the checks below change the parameters between calls.
  double loss() {
    layer.prepare(params.data(), prepared.data());
    LayerContext ctx;
    ctx.mode = Mode::training;
    ctx.params = params.data();
    ctx.cache = cache.data();
    ctx.prepared = prepared.data();
    ctx.rng_key = 1234;
    layer.forward(x.data(), y.data(), n, ctx);
    double l = 0;
    for (std::size_t i = 0; i < y.size(); ++i) l += double(r[i]) * y[i];
    return l;
  }
};

// Compares analytic[i] with the central difference of the probe loss in values[i],
// for an evenly spread subset of at most max_elements of the count values.
void check_values(Probe& probe, float* values, std::size_t count, const float* analytic,
                  const std::string& what, int max_elements, float step, bool curves, GradCheckResult& result) {
  const std::size_t stride = std::max<std::size_t>(1, count / std::size_t(max_elements));
  for (std::size_t i = 0; i < count; i += stride) {
    const float saved = values[i];
    values[i] = saved + step;
    const double plus = probe.loss();
    values[i] = saved - step;
    const double minus = probe.loss();
    values[i] = saved;
    const double mid = probe.loss();
    double numeric = (plus - minus) / (2.0 * step);
    if (std::abs(plus - 2 * mid + minus) / step > kAbsTolerance) {
      if (!curves) {  // piecewise linear: a kink was crossed
        ++result.skipped;
        continue;
      }
      // A kink was crossed, or the layer curves (BatchNorm is smooth, not piecewise
      // linear). Half the step tells them apart: on a smooth curve the second
      // difference falls to a quarter and the central differences agree to O(step^2);
      // across a kink neither holds (both only where the kink is tiny).
      values[i] = saved + step / 2;
      const double half_plus = probe.loss();
      values[i] = saved - step / 2;
      const double half_minus = probe.loss();
      values[i] = saved;
      const double half = (half_plus - half_minus) / double(step);
      // On a smooth curve the second difference over h is four times the one over h/2.
      const double curvature_ratio = (plus - 2 * mid + minus) / (half_plus - 2 * mid + half_minus);
      if (!(curvature_ratio > 3.0 && curvature_ratio < 5.0) ||
          std::abs(half - numeric) > kAbsTolerance + kRelTolerance * std::max(std::abs(half), std::abs(numeric))) {
        ++result.skipped;
        continue;
      }
      numeric = half;
    }
    ++result.checked;
    const double a = analytic[i];
    const double tolerance = kAbsTolerance + kRelTolerance * std::max(std::abs(numeric), std::abs(a));
    if (!(std::abs(numeric - a) <= tolerance) && result.failed++ == 0) {
      std::ostringstream s;
      s << what << "[" << i << "]: numeric " << numeric << ", analytic " << a;
      result.first_failure = s.str();
    }
  }
}

}  // namespace

GradCheckResult check_layer_gradients(const std::string& token, Shape in, int n, int max_elements,
                                      bool input_gradient, float step) {
  auto layers = build_layers(token, in);
  const Layer& layer = *layers.at(0);
  Rng rng(42);
  std::vector<float> x(std::size_t(n) * in.size());
  for (float& v : x) v = rng.uniform(-1.0f, 1.0f);
  std::vector<float> params(layer.param_count());
  layer.init_params(params.data(), rng);
  for (float& v : params) v += rng.uniform(-0.1f, 0.1f);  // non-zero biases too

  Probe probe{layer, n, x, params, std::vector<float>(std::size_t(n) * layer.output_shape().size()),
              std::vector<float>(std::size_t(n) * layer.output_shape().size()),
              AlignedBuffer(layer.cache_bytes(n)), AlignedBuffer(layer.prepared_bytes())};
  for (float& v : probe.r) v = rng.uniform(-1.0f, 1.0f);
  probe.loss();

  // Analytic gradients: dy = r.
  std::vector<float> dy = probe.r;
  std::vector<float> dx(x.size(), std::numeric_limits<float>::quiet_NaN());
  std::vector<float> grads(params.size(), kGradOffset);
  LayerContext ctx;
  ctx.mode = Mode::training;
  ctx.params = params.data();
  ctx.grads = grads.data();
  ctx.cache = probe.cache.data();
  ctx.prepared = probe.prepared.data();
  ctx.rng_key = 1234;
  layer.backward(x.data(), probe.y.data(), dy.data(), input_gradient ? dx.data() : nullptr, n, ctx);
  for (float& g : grads) g -= kGradOffset;

  // The layers that normalize curve; they are the ones that keep state (BatchNorm's
  // running statistics, alone or in a residual block).
  const bool curves = layer.state_count() > 0;
  GradCheckResult result;
  if (input_gradient) {
    for (std::size_t i = 0; i < dx.size(); ++i)
      if (std::isnan(dx[i])) {
        ++result.failed;
        result.first_failure = "dx[" + std::to_string(i) + "] was not written";
        return result;
      }
    check_values(probe, x.data(), x.size(), dx.data(), "dx", max_elements, step, curves, result);
  }
  for (const ParamInfo& p : layer.param_info())
    check_values(probe, params.data() + p.offset, p.size(), grads.data() + p.offset, p.name,
                 max_elements, step, curves, result);
  return result;
}

}  // namespace blnk::testing
