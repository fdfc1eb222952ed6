// The trainer's slicing over ranks without MPI: N ranks as N threads of this process,
// exchanging through shared memory (InProcessRanks), against one trainer with all the
// threads. Runs in every build, with or without MPI.
#include <doctest/doctest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "in_process_ranks.h"
#include "random_set.h"
#include "base/error.h"
#include "base/rng.h"
#include "engine/network.h"
#include "train/exchange.h"
#include "train/trainer.h"

using namespace blnk;
using namespace blnk::train;

namespace {

constexpr const char* kSpec = "conv4,pool,drop0.25,flatten,dense16,drop0.25,dense10";

using testing::InProcessExchange;
using testing::InProcessRanks;
using testing::RandomSet;

TrainConfig config(int threads) {
  TrainConfig cfg;
  cfg.epochs = 2;
  cfg.batch_size = 50;  // 8 slices of 7 samples: the last slice is short, and so is the last batch
  cfg.threads = threads;
  cfg.seed = 11;
  cfg.val_split = 0.1;
  cfg.ema_momentum = 0.9f;
  return cfg;
}

struct Result {
  std::vector<float> params;
  std::vector<EpochStats> history;
};

Result train_alone(const RandomSet& set, int threads) {
  Network net(kSpec);
  net.init(3);
  Trainer trainer(net, config(threads), set.view(), nullptr);
  trainer.run({});
  return {{net.params().begin(), net.params().end()}, trainer.history()};
}

// Every rank's result, `threads` threads each.
std::vector<Result> train_ranks(const RandomSet& set, int ranks, int threads) {
  InProcessRanks shared(ranks);
  std::vector<Result> results(ranks);
  std::vector<std::thread> workers;
  for (int r = 0; r < ranks; ++r)
    workers.emplace_back([&, r] {
      InProcessExchange exchange(shared, r);
      Network net(kSpec);
      net.init(3);
      Trainer trainer(net, config(threads * ranks), set.view(), nullptr, &exchange);
      trainer.run({});
      results[r] = {{net.params().begin(), net.params().end()}, trainer.history()};
    });
  for (std::thread& w : workers) w.join();
  return results;
}

void check_same(const Result& a, const Result& b) {
  REQUIRE(a.params.size() == b.params.size());
  CHECK(std::memcmp(a.params.data(), b.params.data(), a.params.size() * sizeof(float)) == 0);
  REQUIRE(a.history.size() == b.history.size());
  for (std::size_t e = 0; e < a.history.size(); ++e) {
    CHECK(a.history[e].train_loss == b.history[e].train_loss);
    CHECK(a.history[e].train_accuracy == b.history[e].train_accuracy);
    CHECK(a.history[e].val_loss == b.history[e].val_loss);
  }
}

}  // namespace

TEST_CASE("ranks of threads train the model of one process with as many threads, on every rank") {
  const RandomSet set(330, 9);
  for (const auto& run : {std::pair{2, 1}, {2, 2}, {4, 2}}) {
    const int ranks = run.first, threads = run.second;  // not a structured binding: CAPTURE's lambda and clang 14
    CAPTURE(ranks);
    CAPTURE(threads);
    const Result alone = train_alone(set, ranks * threads);
    const std::vector<Result> all = train_ranks(set, ranks, threads);
    for (const Result& r : all) check_same(alone, r);
  }
}

TEST_CASE("a thread count the ranks do not divide, or above the batch size, is refused") {
  const RandomSet set(60, 2);
  InProcessRanks shared(2);
  InProcessExchange exchange(shared, 0);
  Network net(kSpec);
  CHECK_THROWS_AS(Trainer(net, config(3), set.view(), nullptr, &exchange), Error);
  CHECK_THROWS_AS(Trainer(net, config(52), set.view(), nullptr, &exchange), Error);
}

TEST_CASE("ranks that would start from other data are stopped before the first step, naming the rank") {
  const RandomSet set(120, 4);
  RandomSet other = set;
  other.labels[7] = std::uint8_t((other.labels[7] + 1) % 10);  // rank 1's copy differs in one label
  InProcessRanks shared(2);
  std::string errors[2];
  std::vector<std::thread> workers;
  for (int r = 0; r < 2; ++r)
    workers.emplace_back([&, r] {
      InProcessExchange exchange(shared, r);
      Network net(kSpec);
      net.init(3);
      try {
        Trainer trainer(net, config(2), (r == 0 ? set : other).view(), nullptr, &exchange);
        trainer.run({});
      } catch (const Error& e) {
        errors[r] = e.what();
      }
    });
  for (std::thread& w : workers) w.join();
  for (const std::string& e : errors) CHECK(e.find("rank 1 would start from other training data") != std::string::npos);
}
