// A small training run for the tests under mpirun (tests/dist/CMakeLists.txt):
// the seed's kind of network (convolutions, pooling, dropout, dense) on seeded
// random images, trained with Trainer over the MPI session when mpirun started
// several ranks. Rank 0 writes the final parameters (raw float32) and the epoch
// figures (hexadecimal floats: exact) to OUT and OUT.history.
//
//   dist_train_driver --threads T --out FILE [--reverse-order]   T: threads per rank
//   dist_train_driver --time-exchange [--floats N] [--steps S]    the gradient combination's time
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/rng.h"
#include "dist/session.h"
#include "engine/network.h"
#include "train/trainer.h"

using namespace blnk;

namespace {

constexpr const char* kSpec = "conv8,pool,drop0.25,conv16,pool,drop0.25,flatten,dense32,drop0.25,dense10";
constexpr int kImages = 640;
constexpr int kSide = 28;

struct Args {
  int threads = 1;
  std::string out;
  bool reverse_order = false;
  bool time_exchange = false;
  long floats = 130890;
  int steps = 200;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw Error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--threads") a.threads = std::atoi(value().c_str());
    else if (arg == "--out") a.out = value();
    else if (arg == "--reverse-order") a.reverse_order = true;
    else if (arg == "--time-exchange") a.time_exchange = true;
    else if (arg == "--floats") a.floats = std::atol(value().c_str());
    else if (arg == "--steps") a.steps = std::atoi(value().c_str());
    else throw Error("unknown argument " + arg);
  }
  return a;
}

int run_training(const Args& a, dist::Session& session) {
  std::vector<std::uint8_t> pixels(std::size_t(kImages) * kSide * kSide);
  std::vector<data::Label> labels(kImages);
  Rng rng(17);
  for (auto& p : pixels) p = std::uint8_t(rng.below(256));
  for (auto& l : labels) l = data::Label(rng.below(10));
  const train::LabelledImages set{pixels.data(), labels.data(), kImages};
  const train::LabelledImages test{pixels.data(), labels.data(), 200};

  Network net(kSpec, Shape{kSide, kSide, 1});
  net.init(5);
  train::TrainConfig cfg;
  cfg.epochs = 2;
  cfg.batch_size = 64;
  cfg.threads = a.threads * session.ranks();
  cfg.val_split = 0.1;
  cfg.ema_momentum = 0.99f;
  cfg.seed = 3;
  train::Trainer trainer(net, cfg, set, &test, session.exchange());
  trainer.run({});
  if (!session.is_root()) return 0;
  const std::span<const float> p = net.params();
  std::FILE* f = std::fopen(a.out.c_str(), "wb");
  if (!f || std::fwrite(p.data(), sizeof(float), p.size(), f) != p.size()) throw Error(a.out + ": cannot write");
  std::fclose(f);
  std::FILE* h = std::fopen((a.out + ".history").c_str(), "w");
  if (!h) throw Error(a.out + ".history: cannot write");
  for (const train::EpochStats& e : trainer.history())
    std::fprintf(h, "%d %a %a %a %a %a %a\n", e.epoch, e.train_loss, e.train_accuracy, e.val_loss, e.val_accuracy,
                 e.test_loss, e.test_accuracy);
  std::fclose(h);
  return 0;
}

// The gradient combination as the trainer does it per step: the all-gather of every
// rank's block of `floats`, then the element-wise sum of the blocks in rank order.
int time_exchange(const Args& a, dist::Session& session) {
  train::GradientExchange* exchange = session.exchange();
  if (!exchange) throw Error("--time-exchange needs mpirun with 2 ranks or more");
  const int ranks = exchange->ranks();
  const std::size_t n = std::size_t(a.floats);
  std::vector<float> all(n * std::size_t(ranks), 1.0f);
  using Clock = std::chrono::steady_clock;
  std::vector<double> sync(std::size_t(ranks), 0.0);
  double gather = 0, sum = 0;
  for (int s = 0; s < a.steps + 10; ++s) {
    exchange->all_gather(std::span<double>(sync));  // start together
    const auto t0 = Clock::now();
    exchange->all_gather(std::span<float>(all));
    const auto t1 = Clock::now();
    for (std::size_t i = 0; i < n; ++i) {
      float g = all[i];
      for (int r = 1; r < ranks; ++r) g += all[std::size_t(r) * n + i];
      all[i] = g * 1e-3f;
    }
    const auto t2 = Clock::now();
    if (s >= 10) {  // after a warm-up
      gather += std::chrono::duration<double>(t1 - t0).count();
      sum += std::chrono::duration<double>(t2 - t1).count();
    }
  }
  if (session.is_root())
    std::printf("%d ranks, %zu floats per rank: all-gather %.3f ms, sum %.3f ms, per step (mean of %d)\n", ranks, n,
                1e3 * gather / a.steps, 1e3 * sum / a.steps, a.steps);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<dist::Session> session;
  try {
    const Args a = parse(argc, argv);
    dist::SessionOptions options;
    options.reverse_ranks_for_test = a.reverse_order;
    session = std::make_unique<dist::Session>(options);
    return a.time_exchange ? time_exchange(a, *session) : run_training(a, *session);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dist_train_driver: %s\n", e.what());
    if (session) session->abort(1);
    return 1;
  }
}
