// The training loop: fitting, bit-reproducibility, exact resume, learning-rate schedules, divergence.
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <span>
#include <utility>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "interrupted_run.h"
#include "random_set.h"
#include "base/error.h"
#include "engine/model_file.h"
#include "engine/network.h"
#include "train/checkpoint.h"
#include "train/trainer.h"

using namespace blnk;
using namespace blnk::train;

namespace {

constexpr const char* kSmallSpec = "conv8,pool,drop0.1,flatten,dense32,dense10";

using testing::RandomSet;

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("blnk_test_" + name)).string();
}

}  // namespace

TEST_CASE("a small network fits 64 random samples to 100% training accuracy") {
  RandomSet set(64, 1);
  Network net(kSmallSpec);
  net.init(1);
  TrainConfig cfg;
  cfg.epochs = 60;
  cfg.batch_size = 16;
  cfg.threads = 2;
  Trainer trainer(net, cfg, set.view(), nullptr);
  CHECK(trainer.run({}) == TrainOutcome::finished);
  const Evaluation ev = evaluate(net, set.view(), 1);
  CHECK(ev.accuracy() == 1.0);
  CHECK(trainer.history().back().train_loss < trainer.history().front().train_loss);
}

TEST_CASE("a seeded run is bit-reproducible for a given thread count") {
  RandomSet set(200, 2);
  for (const data::Augment augment : {data::Augment::digits, data::Augment::crop_flip}) {
    CAPTURE(data::augment_name(augment));
    auto train_once = [&](int threads) {
      Network net(kSmallSpec);
      net.init(9);
      TrainConfig cfg;
      cfg.epochs = 2;
      cfg.batch_size = 32;
      cfg.threads = threads;
      cfg.seed = 9;
      cfg.augment = augment;
      Trainer trainer(net, cfg, set.view(), nullptr);
      trainer.run({});
      return std::vector<float>(net.params().begin(), net.params().end());
    };
    const auto a = train_once(2), b = train_once(2);
    CHECK(a == b);
    const auto c = train_once(1), d = train_once(1);
    CHECK(c == d);
  }
}

TEST_CASE("an interrupted run resumed from its checkpoint ends with exactly the same model") {
  RandomSet set(300, 3);
  const std::string ckpt = temp_path("resume.blnk");
  TrainConfig cfg;
  cfg.epochs = 3;
  cfg.batch_size = 32;
  cfg.threads = 2;
  cfg.seed = 4;
  cfg.val_split = 0.1;
  SUBCASE("constant learning rate") { cfg.lr_schedule = LrSchedule::constant; }
  SUBCASE("cosine learning rate") { cfg.lr_schedule = LrSchedule::cosine; }
  SUBCASE("moving average of the parameters") { cfg.ema_momentum = 0.9f; }

  Network straight(kSmallSpec);
  straight.init(cfg.seed);
  Trainer full(straight, cfg, set.view(), nullptr);
  full.run({});

  // Interrupt in the middle of epoch 2 (after 4 of its batches).
  Network first(kSmallSpec);
  first.init(cfg.seed);
  CHECK(testing::train_until(first, cfg, set.view(), ckpt, 2, 4) == TrainOutcome::interrupted);

  const Checkpoint saved = read_checkpoint(ckpt);
  Network resumed = network_from(saved.file, ckpt);
  TrainConfig restored = saved.config;
  CHECK(restored.seed == cfg.seed);
  CHECK(restored.lr_schedule == cfg.lr_schedule);
  CHECK(restored.ema_momentum == cfg.ema_momentum);
  restored.checkpoint_path = ckpt;
  Trainer rest(resumed, restored, set.view(), nullptr);
  rest.resume_from(saved);
  CHECK(rest.run({}) == TrainOutcome::finished);
  CHECK(std::equal(resumed.params().begin(), resumed.params().end(), straight.params().begin()));
  CHECK(rest.history().size() == 3);
  CHECK(rest.history().back().train_loss == full.history().back().train_loss);
  std::filesystem::remove(ckpt);
}

TEST_CASE("the learning-rate schedule is applied, and a checkpoint of another schedule or a bad one is refused") {
  RandomSet set(128, 6);
  const std::string ckpt = temp_path("schedule.blnk");
  auto train_once = [&](LrSchedule schedule, const std::string& checkpoint) {
    Network net(kSmallSpec);
    net.init(3);
    TrainConfig cfg;
    cfg.epochs = 2;
    cfg.batch_size = 32;
    cfg.seed = 3;
    cfg.lr_schedule = schedule;
    cfg.checkpoint_path = checkpoint;
    Trainer trainer(net, cfg, set.view(), nullptr);
    trainer.run({});
    return std::vector<float>(net.params().begin(), net.params().end());
  };
  const auto constant = train_once(LrSchedule::constant, ""), cosine = train_once(LrSchedule::cosine, ckpt);
  CHECK(constant != cosine);

  const ModelFile saved = read_model_file(ckpt);
  Network net(kSmallSpec);
  net.init(3);
  TrainConfig other = parse_checkpoint(saved, ckpt).config;
  other.lr_schedule = LrSchedule::constant;
  Trainer trainer(net, other, set.view(), nullptr);
  CHECK_THROWS_WITH_AS(trainer.resume_from(parse_checkpoint(saved, ckpt)), doctest::Contains("other training settings"), Error);

  ModelFile bad = saved;
  bad.set_metadata("optimizer.lr_schedule", "linear");
  CHECK_THROWS_WITH_AS(parse_checkpoint(bad, ckpt), doctest::Contains("'optimizer.lr_schedule' is 'linear'"),
                       Error);
  ModelFile bad_average = saved;
  bad_average.set_metadata("train.ema_momentum", "1.5");
  CHECK_THROWS_WITH_AS(parse_checkpoint(bad_average, ckpt),
                       doctest::Contains("'train.ema_momentum' is outside [0, 1)"), Error);
  std::filesystem::remove(ckpt);
}

TEST_CASE("--ema: the run ends with the moving average of the parameters, and training is unchanged") {
  RandomSet set(96, 7);
  const std::string ckpt = temp_path("average.blnk");
  TrainConfig cfg;
  cfg.epochs = 2;
  cfg.batch_size = 16;
  cfg.seed = 5;
  cfg.threads = 2;
  const float m = 0.8f;
  const LabelledImages test = set.view();

  // Without the average, following the parameters after every step.
  Network plain(kSmallSpec);
  plain.init(cfg.seed);
  std::vector<double> expected(plain.params().begin(), plain.params().end());
  Trainer plain_trainer(plain, cfg, set.view(), &test);
  TrainCallbacks follow;
  int steps = 0;
  follow.on_batch = [&](const BatchProgress&) {
    ++steps;  // the warm-up: min(m, (1 + n) / (10 + n)) after n steps
    const double momentum = std::min(double(m), (1.0 + steps) / (10.0 + steps));
    const std::span<const float> p = std::as_const(plain).params();
    for (std::size_t i = 0; i < expected.size(); ++i)
      expected[i] = momentum * expected[i] + (1 - momentum) * double(p[i]);
  };
  plain_trainer.run(follow);

  Network averaged(kSmallSpec);
  averaged.init(cfg.seed);
  TrainConfig with_average = cfg;
  with_average.ema_momentum = m;
  with_average.checkpoint_path = ckpt;
  Trainer averaged_trainer(averaged, with_average, set.view(), &test);
  averaged_trainer.run({});
  const std::span<const float> result = std::as_const(averaged).params();
  double worst = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) worst = std::max(worst, std::abs(double(result[i]) - expected[i]));
  CHECK(worst < 1e-5);
  CHECK(!std::equal(result.begin(), result.end(), std::as_const(plain).params().begin()));
  // The evaluations (which swap the average in and out) left training untouched: the
  // checkpoint's raw parameters are exactly those of the run without the average.
  const ModelFile saved = read_model_file(ckpt);
  const Network raw = network_from(saved, ckpt);
  CHECK(std::equal(raw.params().begin(), raw.params().end(), std::as_const(plain).params().begin()));
  CHECK(saved.find_tensor("train/average") != nullptr);
  // And its test accuracy is the average's.
  CHECK(averaged_trainer.history().back().test_accuracy == evaluate(averaged, set.view(), 1).accuracy());
  std::filesystem::remove(ckpt);
}

TEST_CASE("a diverging run stops with a clear error") {
  RandomSet set(64, 5);
  Network net(kSmallSpec);
  net.init(1);
  TrainConfig cfg;
  cfg.epochs = 50;
  cfg.batch_size = 16;
  cfg.optimizer.name = "sgd";
  cfg.optimizer.learning_rate = 1e30f;
  Trainer trainer(net, cfg, set.view(), nullptr);
  CHECK_THROWS_WITH_AS(trainer.run({}), doctest::Contains("diverged"), Error);
}
