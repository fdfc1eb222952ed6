// Training networks with batch normalization, average pooling and residual blocks:
// the loss falls, the running statistics move and are kept, a seeded run is
// bit-reproducible, and a resumed run ends exactly where an uninterrupted one does,
// state included.
#include <doctest/doctest.h>

#include <atomic>
#include <cstring>
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

// Every new kind: conv+bn, residual blocks with and without a shortcut conv, average
// pooling, a bn after pooling, global average pooling, dense+bn.
constexpr const char* kBnSpec = "conv8:k=3:s=2,bn,res8,res12:s=2,avgpool,bn,gap,dense16,bn,drop0.1,dense10";

using testing::RandomSet;

struct Trained {
  std::vector<float> params, state;
  std::vector<EpochStats> history;
};

bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TrainConfig bn_config(int threads) {
  TrainConfig cfg;
  cfg.epochs = 3;
  cfg.batch_size = 24;
  cfg.threads = threads;
  cfg.seed = 5;
  cfg.val_split = 0.1;
  return cfg;
}

Trained train_run(const RandomSet& set, const TrainConfig& cfg) {
  Network net(kBnSpec);
  net.init(cfg.seed);
  Trainer trainer(net, cfg, set.view(), nullptr);
  trainer.run({});
  return {{net.params().begin(), net.params().end()}, {net.state().begin(), net.state().end()}, trainer.history()};
}

}  // namespace

TEST_CASE("a network with bn, residual blocks and pooling trains: the loss falls and the running statistics move") {
  RandomSet set(96, 1);
  TrainConfig cfg = bn_config(1);
  cfg.epochs = 150;  // 900 steps: the running statistics (momentum 0.99) have caught up with the weights
  cfg.batch_size = 16;
  cfg.val_split = 0;
  Network net(kBnSpec);
  net.init(1);
  const std::vector<float> initial_state(net.state().begin(), net.state().end());
  Trainer trainer(net, cfg, set.view(), nullptr);
  CHECK(trainer.run({}) == TrainOutcome::finished);
  CHECK(trainer.history().back().train_loss < 0.5 * trainer.history().front().train_loss);
  // Inference (folded bn, running statistics) has learned the set too.
  CHECK(evaluate(net, set.view(), 1).accuracy() > 0.9);
  CHECK_FALSE(bitwise_equal(initial_state, {net.state().begin(), net.state().end()}));
}

TEST_CASE("a seeded run with bn is bit-reproducible for a given thread count, state included") {
  RandomSet set(150, 2);
  for (int threads : {1, 3}) {
    CAPTURE(threads);
    const Trained a = train_run(set, bn_config(threads)), b = train_run(set, bn_config(threads));
    CHECK(bitwise_equal(a.params, b.params));
    CHECK(bitwise_equal(a.state, b.state));
    CHECK(a.history.back().val_loss == b.history.back().val_loss);
  }
}

TEST_CASE("a run with bn resumed from its checkpoint ends with exactly the same parameters and running statistics") {
  RandomSet set(150, 3);
  const std::string ckpt = (std::filesystem::temp_directory_path() / "blnk_test_resume_bn.blnk").string();
  TrainConfig cfg = bn_config(2);
  SUBCASE("without a moving average") {}
  SUBCASE("with a moving average of the parameters") { cfg.ema_momentum = 0.9f; }
  const Trained straight = train_run(set, cfg);

  Network first(kBnSpec);
  first.init(cfg.seed);
  CHECK(testing::train_until(first, cfg, set.view(), ckpt, 2, 3) == TrainOutcome::interrupted);

  const Checkpoint saved = read_checkpoint(ckpt);
  // The checkpoint holds the running statistics where they stood.
  CHECK(saved.file.find_tensor("batch_normalization/moving_variance") != nullptr);
  CHECK(saved.file.find_tensor("residual_block_1/shortcut_bn/moving_mean") != nullptr);
  Network resumed = network_from(saved.file, ckpt);
  CHECK(bitwise_equal({resumed.state().begin(), resumed.state().end()}, {first.state().begin(), first.state().end()}));
  TrainConfig restored = saved.config;
  restored.checkpoint_path = ckpt;
  Trainer rest(resumed, restored, set.view(), nullptr);
  rest.resume_from(saved);
  CHECK(rest.run({}) == TrainOutcome::finished);
  CHECK(bitwise_equal({resumed.params().begin(), resumed.params().end()}, straight.params));
  CHECK(bitwise_equal({resumed.state().begin(), resumed.state().end()}, straight.state));
  CHECK(rest.history().back().val_loss == straight.history.back().val_loss);
  std::filesystem::remove(ckpt);
}

TEST_CASE("a model file keeps the running statistics bit for bit, and refuses a file without them") {
  Network net(kBnSpec);
  net.init(4);
  for (std::size_t i = 0; i < net.state_count(); ++i) net.mutable_state()[i] = 0.25f + float(i) * 0.001f;
  const ModelFile file = model_file_of(net);
  const ModelFile again = decode_model_file(encode_model_file(file), "mem");
  const Network loaded = network_from(again, "mem");
  CHECK(bitwise_equal({loaded.state().begin(), loaded.state().end()}, {net.state().begin(), net.state().end()}));
  ModelFile missing = file;
  std::erase_if(missing.tensors, [](const StoredTensor& t) { return t.name == "batch_normalization_1/moving_mean"; });
  CHECK_THROWS_WITH_AS(network_from(missing, "old.blnk"),
                       doctest::Contains("old.blnk: tensor 'batch_normalization_1/moving_mean' is missing"), Error);
  // A variance below zero would make inference NaN: the file is refused, naming it.
  ModelFile negative = file;
  for (StoredTensor& t : negative.tensors)
    if (t.name == "residual_block/bn2/moving_variance") t.data[3] = -0.5f;
  CHECK_THROWS_WITH_AS(network_from(negative, "bad.blnk"),
                       doctest::Contains("bad.blnk: layer residual_block: bn2/moving_variance[3] is -0.5"), Error);
}
