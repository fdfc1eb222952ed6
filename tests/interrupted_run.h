// A training run stopped as Ctrl-C stops it, at a chosen batch: for the tests
// that resume from the checkpoint it leaves and compare with an uninterrupted run.
#pragma once

#include <atomic>
#include <string>

#include "engine/network.h"
#include "train/trainer.h"

namespace blnk::testing {

// Trains `net` with `cfg`, writing checkpoints to `checkpoint`, and asks the
// trainer to stop once batch `batch` (1-based) of epoch `epoch` is done. Returns
// the run's outcome (interrupted, unless the run ended first).
inline train::TrainOutcome train_until(Network& net, train::TrainConfig cfg, const train::LabelledImages& set,
                                       const std::string& checkpoint, int epoch, int batch) {
  cfg.checkpoint_path = checkpoint;
  train::Trainer trainer(net, cfg, set, nullptr);
  std::atomic<bool> stop{false};
  train::TrainCallbacks callbacks;
  callbacks.stop_requested = &stop;
  callbacks.on_batch = [&](const train::BatchProgress& p) {
    if (p.epoch == epoch && p.batch == batch) stop = true;
  };
  return trainer.run(callbacks);
}

}  // namespace blnk::testing
