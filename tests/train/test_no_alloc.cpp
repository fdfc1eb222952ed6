// The training loop allocates nothing per batch once it runs: every buffer of the
// step (workspaces, gradients, the batch, the optimizer's and the average's state)
// is planned before the first batch. Counted at malloc (tests/alloc_counter.h), so
// Eigen's temporaries, OpenMP's and the containers' are all seen.
#include <doctest/doctest.h>

#include <vector>

#include "alloc_counter.h"
#include "random_set.h"
#include "engine/network.h"
#include "layers/registry.h"
#include "test_data.h"
#include "train/trainer.h"

using namespace blnk;

TEST_CASE("a training step of the seed's model allocates nothing once the first batches ran, in float32 and bf16") {
  if (!testing::counting_allocations()) return testing::skip_test("heap allocations are not counted under the sanitizers");
  constexpr int kBatch = 64;
  const testing::RandomSet set(640, 3);
  struct Case {
    data::Augment augment;
    Precision precision;
  };
  for (const Case c : {Case{data::Augment::none, Precision::fp32}, Case{data::Augment::digits, Precision::fp32},
                       Case{data::Augment::crop_flip, Precision::fp32}, Case{data::Augment::none, Precision::bf16}}) {
    const data::Augment augment = c.augment;
    CAPTURE(data::augment_name(augment));
    CAPTURE(precision_name(c.precision));
    Network net(kDefaultSpec);
    net.init(1);
    train::TrainConfig cfg;
    cfg.epochs = 1;
    cfg.batch_size = kBatch;
    cfg.threads = 2;
    cfg.augment = augment;
    cfg.precision = c.precision;
    cfg.ema_momentum = 0.99f;
    train::Trainer trainer(net, cfg, set.view(), nullptr);
    long at_batch_3 = 0, at_last = 0;
    train::TrainCallbacks callbacks;
    callbacks.on_batch = [&](const train::BatchProgress& p) {
      if (p.batch == 3) at_batch_3 = testing::heap_allocations();  // after warm-up (thread pool, GEMM blocking)
      if (p.batch == p.batches) at_last = testing::heap_allocations();
    };
    REQUIRE(trainer.run(callbacks) == train::TrainOutcome::finished);
    CHECK(at_last - at_batch_3 == 0);  // 7 steps
  }
}
