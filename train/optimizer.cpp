// Adam and SGD updates.
#include "train/optimizer.h"

#include <cmath>

#include "base/error.h"

namespace blnk::train {

Adam::Adam(const OptimizerConfig& config, std::size_t param_count)
    : Optimizer(config.learning_rate), cfg_(config), m_(param_count, 0.0f), v_(param_count, 0.0f) {}

void Adam::step(std::span<float> params, std::span<const float> grads, int threads) {
  ++steps_;
  const double t = double(steps_);
  const float alpha = float(double(learning_rate_) * std::sqrt(1.0 - std::pow(double(cfg_.beta2), t)) /
                            (1.0 - std::pow(double(cfg_.beta1), t)));
  const float one_minus_b1 = 1.0f - cfg_.beta1, one_minus_b2 = 1.0f - cfg_.beta2;
  const float eps = cfg_.epsilon;
  float* p = params.data();
  const float* g = grads.data();
  float* m = m_.data();
  float* v = v_.data();
  const std::ptrdiff_t n = std::ptrdiff_t(params.size());
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    m[i] += (g[i] - m[i]) * one_minus_b1;
    v[i] += (g[i] * g[i] - v[i]) * one_minus_b2;
    p[i] -= alpha * m[i] / (std::sqrt(v[i]) + eps);
  }
}

Sgd::Sgd(const OptimizerConfig& config, std::size_t param_count)
    : Optimizer(config.learning_rate), cfg_(config), velocity_(param_count, 0.0f) {}

void Sgd::step(std::span<float> params, std::span<const float> grads, int threads) {
  ++steps_;
  const float lr = learning_rate_, mu = cfg_.momentum;
  float* p = params.data();
  const float* g = grads.data();
  float* vel = velocity_.data();
  const std::ptrdiff_t n = std::ptrdiff_t(params.size());
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    vel[i] = mu * vel[i] - lr * g[i];
    p[i] += vel[i];
  }
}

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config, std::size_t param_count) {
  if (!(config.learning_rate > 0.0f) || !std::isfinite(config.learning_rate))
    throw Error("optimizer: the learning rate must be a positive number");
  if (config.name == "adam") return std::make_unique<Adam>(config, param_count);
  if (config.name == "sgd") return std::make_unique<Sgd>(config, param_count);
  throw Error("optimizer: unknown optimizer '" + config.name + "' (use adam or sgd)");
}

}  // namespace blnk::train
