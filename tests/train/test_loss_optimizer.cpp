// Softmax cross-entropy, optimizer steps and learning-rate schedules against values computed by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "base/error.h"
#include "train/loss.h"
#include "train/optimizer.h"
#include "train/schedule.h"

using namespace blnk::train;

TEST_CASE("softmax cross-entropy against values computed by hand") {
  // logits (1, 2, 3), label 2: p = e^z / sum; loss = -log p2 = log(e^1+e^2+e^3) - 3.
  const float logits[] = {1, 2, 3};
  const blnk::data::Label label[] = {2};
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
  const blnk::data::Label labels[] = {3};
  float d[4];
  const auto r = softmax_cross_entropy(logits, labels, 1, 4, 1, d);
  CHECK(std::isfinite(r.loss_sum));
  CHECK(r.loss_sum == doctest::Approx(1 + std::log(1 + std::exp(-1.0))));  // log(e^1000 + e^999 + ...) - 999
  for (float v : d) CHECK(std::isfinite(v));
  const blnk::data::Label wrong[] = {1};
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

TEST_CASE("an optimizer steps with the learning rate set last (a schedule's)") {
  for (const char* name : {"adam", "sgd"}) {
    CAPTURE(name);
    OptimizerConfig base, scaled;
    base.name = scaled.name = name;
    scaled.learning_rate = 2.5e-4f;
    auto set_later = make_optimizer(base, 2), configured = make_optimizer(scaled, 2);
    set_later->set_learning_rate(2.5e-4f);
    std::vector<float> p = {1.0f, -2.0f}, q = p;
    const std::vector<float> g = {0.5f, -0.1f};
    set_later->step(p, g, 1);
    configured->step(q, g, 1);
    CHECK(p == q);
    CHECK(p[0] != 1.0f);
  }
}

TEST_CASE("learning-rate schedules: constant, and cosine from the base rate to zero") {
  CHECK(scheduled_learning_rate(LrSchedule::constant, 1e-3f, 0, 100) == 1e-3f);
  CHECK(scheduled_learning_rate(LrSchedule::constant, 1e-3f, 99, 100) == 1e-3f);
  CHECK(scheduled_learning_rate(LrSchedule::cosine, 1e-3f, 0, 100) == 1e-3f);
  CHECK(scheduled_learning_rate(LrSchedule::cosine, 1e-3f, 50, 100) == doctest::Approx(5e-4).epsilon(1e-6));
  CHECK(scheduled_learning_rate(LrSchedule::cosine, 1e-3f, 25, 100) ==
        doctest::Approx(1e-3 * 0.5 * (1 + std::sqrt(0.5))).epsilon(1e-6));
  CHECK(scheduled_learning_rate(LrSchedule::cosine, 1e-3f, 100, 100) == doctest::Approx(0.0).epsilon(1e-9));
  float previous = 1.0f;
  for (int step = 0; step < 100; ++step) {
    const float rate = scheduled_learning_rate(LrSchedule::cosine, 1e-3f, step, 100);
    CHECK(rate > 0.0f);
    CHECK(rate < previous);
    previous = rate;
  }
  CHECK(parse_lr_schedule("cosine") == LrSchedule::cosine);
  CHECK(std::string(lr_schedule_name(parse_lr_schedule("constant"))) == "constant");
  CHECK_THROWS_WITH_AS(parse_lr_schedule("linear"), doctest::Contains("unknown learning-rate schedule 'linear'"),
                       blnk::Error);
}
