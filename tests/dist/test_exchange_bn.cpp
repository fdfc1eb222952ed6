// Batch normalization over ranks: bn normalizes each slice by its own statistics and
// the running statistics move by the slices' sums, exchanged with the gradients, so
// N ranks of T threads (as threads of this process, in_process_ranks.h) give the
// parameters and the state of one process with N*T threads, bit for bit.
#include <doctest/doctest.h>

#include <cstring>
#include <thread>
#include <vector>

#include "in_process_ranks.h"
#include "random_set.h"
#include "engine/network.h"
#include "train/trainer.h"

using namespace blnk;
using namespace blnk::train;

namespace {

constexpr const char* kBnSpec = "conv6:s=2,bn,res6,res8:s=2,avgpool,bn,gap,dense12,bn,drop0.25,dense10";

struct Result {
  std::vector<float> params, state;
  std::vector<EpochStats> history;
};

TrainConfig bn_config(int threads) {
  TrainConfig cfg;
  cfg.epochs = 2;
  cfg.batch_size = 50;  // 8 slices of 7 samples: the last slice is short, and so is the last batch
  cfg.threads = threads;
  cfg.seed = 12;
  cfg.val_split = 0.1;
  cfg.ema_momentum = 0.9f;
  return cfg;
}

Result result_of(const Network& net, const Trainer& trainer) {
  return {{net.params().begin(), net.params().end()}, {net.state().begin(), net.state().end()}, trainer.history()};
}

Result train_alone(const testing::RandomSet& set, int threads) {
  Network net(kBnSpec);
  net.init(3);
  Trainer trainer(net, bn_config(threads), set.view(), nullptr);
  trainer.run({});
  return result_of(net, trainer);
}

std::vector<Result> train_ranks(const testing::RandomSet& set, int ranks, int threads) {
  testing::InProcessRanks shared(ranks);
  std::vector<Result> results(ranks);
  std::vector<std::thread> workers;
  for (int r = 0; r < ranks; ++r)
    workers.emplace_back([&, r] {
      testing::InProcessExchange exchange(shared, r);
      Network net(kBnSpec);
      net.init(3);
      Trainer trainer(net, bn_config(threads * ranks), set.view(), nullptr, &exchange);
      trainer.run({});
      results[r] = result_of(net, trainer);
    });
  for (std::thread& w : workers) w.join();
  return results;
}

bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("ranks of threads train a network with bn to the parameters and running statistics of one process") {
  const testing::RandomSet set(330, 10);
  for (const auto& run : {std::pair{2, 1}, {2, 2}, {4, 2}}) {
    const int ranks = run.first, threads = run.second;  // not a structured binding: CAPTURE's lambda and clang 14
    CAPTURE(ranks);
    CAPTURE(threads);
    const Result alone = train_alone(set, ranks * threads);
    for (const Result& r : train_ranks(set, ranks, threads)) {
      CHECK(bitwise_equal(alone.params, r.params));
      CHECK(bitwise_equal(alone.state, r.state));
      REQUIRE(alone.history.size() == r.history.size());
      CHECK(alone.history.back().train_loss == r.history.back().train_loss);
      CHECK(alone.history.back().val_loss == r.history.back().val_loss);
    }
  }
  // bn's statistics are per slice: another thread count is another model (so the
  // agreement above is that of the slicing, not of a model blind to it).
  const Result one_thread = train_alone(set, 1);
  CHECK_FALSE(bitwise_equal(one_thread.state, train_alone(set, 2).state));
}
