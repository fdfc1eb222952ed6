// Workspaces: nothing is allocated per batch once planned (counted at malloc:
// tests/alloc_counter.h), an inference workspace computes what a training one
// does, and a workspace is usable from many threads at once.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <thread>
#include <vector>

#include "alloc_counter.h"
#include "test_data.h"
#include "base/error.h"
#include "engine/network.h"
#include "layers/registry.h"

using namespace blnk;

TEST_CASE("a training step allocates nothing once the workspace is planned") {
  if (!testing::counting_allocations()) return testing::skip_test("heap allocations are not counted under the sanitizers");
  Network net(kDefaultSpec);
  net.init(1);
  const int n = 16;
  Workspace ws(net, n);
  std::vector<float> x(n * 784, 0.5f), grads(net.param_count(), 0.0f);
  std::vector<float> probs(n * 10);
  // Step 0 is a warm-up: Eigen sizes its GEMM blocking once per process.
  long before = 0;
  for (int step = 0; step < 4; ++step) {
    if (step == 1) before = testing::heap_allocations();
    const float* logits = ws.forward(x.data(), n, Mode::training, std::uint64_t(step), 0);
    float* d = ws.logits_grad();
    for (int i = 0; i < n * 10; ++i) d[i] = logits[i] * 0.01f;
    ws.backward(grads.data());
    ws.predict(x.data(), n, probs.data());
  }
  CHECK(testing::heap_allocations() == before);
}

TEST_CASE("an inference workspace gives the training workspace's inference results") {
  Network net(kDefaultSpec);
  net.init(2);
  const int n = 5;
  std::vector<float> x(n * 784);
  Rng rng(3);
  for (float& v : x) v = rng.uniform();
  Workspace train_ws(net, n), infer_ws(net, n, Mode::inference);
  std::vector<float> a(n * 10), b(n * 10);
  train_ws.predict(x.data(), n, a.data());
  infer_ws.predict(x.data(), n, b.data());
  CHECK(a == b);
  CHECK(infer_ws.bytes() < train_ws.bytes());
  CHECK_THROWS_AS(infer_ws.forward(x.data(), n, Mode::training), Error);
  std::vector<float> grads(net.param_count());
  CHECK_THROWS_AS(infer_ws.backward(grads.data()), Error);
  CHECK_THROWS_AS(infer_ws.forward(x.data(), n + 1, Mode::inference), Error);
}

TEST_CASE("one network predicts from many threads at once, each with its own workspace") {
  Network net(kDefaultSpec);
  net.init(4);
  std::vector<float> x(784);
  Rng rng(5);
  for (float& v : x) v = rng.uniform();
  std::vector<float> expected(10);
  Workspace(net, 1, Mode::inference).predict(x.data(), 1, expected.data());
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      Workspace ws(net, 1, Mode::inference);
      std::vector<float> p(10);
      for (int i = 0; i < 200; ++i) {
        ws.predict(x.data(), 1, p.data());
        if (p != expected) ++mismatches;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(mismatches == 0);
}
