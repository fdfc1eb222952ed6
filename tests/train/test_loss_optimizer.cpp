// Softmax cross-entropy and one optimizer step against values computed by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "train/loss.h"
#include "train/optimizer.h"

using namespace blnk::train;

TEST_CASE("softmax cross-entropy against values computed by hand") {
  // logits (1, 2, 3), label 2: p = e^z / sum; loss = -log p2 = log(e^1+e^2+e^3) - 3.
  const float logits[] = {1, 2, 3};
  const std::uint8_t label[] = {2};
  float d[3];
  const auto r = softmax_cross_entropy(logits, label, 1, 3, 2, d);
  const double sum = std::exp(1.0) + std::exp(2.0) + std::exp(3.0);
  CHECK(r.loss_sum == doctest::Approx(std::log(sum) - 3.0));
  CHECK(r.correct == 1);
  // d = (p - onehot) / batch_total with batch_total 2.
  CHECK(d[0] == doctest::Approx(std::exp(1.0) / sum / 2));
  CHECK(d[2] == doctest::Approx((std::exp(3.0) / sum - 1) / 2));
}

TEST_CASE("softmax cross-entropy stays finite for logits of +-1000") {
  const float logits[] = {1000, -1000, 0, 999};
  const std::uint8_t labels[] = {3};
  float d[4];
  const auto r = softmax_cross_entropy(logits, labels, 1, 4, 1, d);
  CHECK(std::isfinite(r.loss_sum));
  CHECK(r.loss_sum == doctest::Approx(1 + std::log(1 + std::exp(-1.0))));  // log(e^1000 + e^999 + ...) - 999
  for (float v : d) CHECK(std::isfinite(v));
  const std::uint8_t wrong[] = {1};
  const auto far = softmax_cross_entropy(logits, wrong, 1, 4, 1, d);
  CHECK(far.loss_sum == doctest::Approx(2000.0 + std::log(1 + std::exp(-1.0))));
}

TEST_CASE("one Adam step against values computed by hand (Keras formula)") {
  OptimizerConfig cfg;  // lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-7
  Adam adam(cfg, 2);
  std::vector<float> p = {1.0f, -2.0f};
  const std::vector<float> g = {0.5f, -0.1f};
  adam.step(p, g, 1);
  // t = 1: m = 0.1 g, v = 0.001 g^2, alpha = lr * sqrt(0.001) / 0.1
  // p -= alpha * m / (sqrt(v) + eps) = lr * g / (|g| + eps / sqrt(0.001)) ~ lr * sign(g)
  for (int i = 0; i < 2; ++i) {
    const double m = 0.1 * g[i], v = 0.001 * g[i] * g[i];
    const double alpha = 1e-3 * std::sqrt(1 - 0.999) / (1 - 0.9);
    const double expected = (i == 0 ? 1.0 : -2.0) - alpha * m / (std::sqrt(v) + 1e-7);
    CHECK(p[i] == doctest::Approx(expected).epsilon(1e-6));
  }
  CHECK(p[0] == doctest::Approx(1.0 - 1e-3).epsilon(1e-5));
  // Second step: t = 2 with the same gradient.
  adam.step(p, g, 1);
  const double m2 = 0.19 * 0.5, v2 = (0.001 * 0.999 + 0.001) * 0.25;
  const double alpha2 = 1e-3 * std::sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
  CHECK(p[0] == doctest::Approx(1.0 - 1e-3 - alpha2 * m2 / (std::sqrt(v2) + 1e-7)).epsilon(1e-6));
}

TEST_CASE("SGD with momentum against values computed by hand") {
  OptimizerConfig cfg;
  cfg.name = "sgd";
  cfg.learning_rate = 0.1f;
  cfg.momentum = 0.9f;
  auto sgd = make_optimizer(cfg, 1);
  std::vector<float> p = {1.0f};
  const std::vector<float> g = {2.0f};
  sgd->step(p, g, 1);  // v = -0.2, p = 0.8
  CHECK(p[0] == doctest::Approx(0.8));
  sgd->step(p, g, 1);  // v = 0.9 * -0.2 - 0.2 = -0.38, p = 0.42
  CHECK(p[0] == doctest::Approx(0.42));
}
