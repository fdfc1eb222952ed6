// blnk::train_model through the public header: a small run on IDX files written
// here, its progress and cancellation, the same model for the same seed, and the
// messages for bad settings.
#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "blnk/blnk.h"
#include "train_test_util.h"

using blnk_library_test::contains;
using blnk_library_test::IdxPair;
using blnk_library_test::message_of;

TEST_CASE("train_model trains, reports every batch and epoch, writes a model that loads, and repeats itself") {
  const IdxPair data;
  std::vector<blnk::TrainProgress> seen;
  blnk::TrainCallbacks callbacks;
  callbacks.on_progress = [&](const blnk::TrainProgress& p) { seen.push_back(p); };
  const blnk::TrainResult result = blnk::train_model(data.config("a.blnk"), callbacks);
  CHECK(!result.cancelled);
  REQUIRE(result.epochs.size() == 2);
  CHECK(result.epochs[1].epoch == 2);
  CHECK(result.epochs[1].test_accuracy >= 0);
  const int batches = (data.count + 15) / 16;
  REQUIRE(seen.size() == std::size_t(2 * (batches + 1)));
  CHECK(seen[0].batch == 1);
  CHECK(seen[0].batches == batches);
  CHECK(seen[std::size_t(batches)].epoch_done);
  CHECK(seen[std::size_t(batches)].test_accuracy == result.epochs[0].test_accuracy);
  CHECK(seen.back().epoch == 2);

  const blnk::Model model = blnk::Model::load(result.model_path);
  CHECK(model.spec().rfind("conv4", 0) == 0);
  CHECK(model.metadata("trained.by") == "blnk::train_model (C++)");
  blnk::train_model(data.config("b.blnk"));
  const blnk::Model again = blnk::Model::load(data.config("b.blnk").out);
  std::vector<float> x(784 * 4, 0.25f);
  CHECK(model.predict_proba(x.data(), {4, 28, 28, 1}) == again.predict_proba(x.data(), {4, 28, 28, 1}));
}

TEST_CASE("train_model stops when asked, after the batch in progress, and writes no model") {
  const IdxPair data;
  std::atomic<bool> cancel{false};
  int batches = 0;
  blnk::TrainCallbacks callbacks;
  callbacks.cancel = &cancel;
  callbacks.on_progress = [&](const blnk::TrainProgress&) {
    ++batches;
    cancel = true;
  };
  const blnk::TrainConfig config = data.config("cancelled.blnk");
  const blnk::TrainResult result = blnk::train_model(config, callbacks);
  CHECK(result.cancelled);
  CHECK(batches == 1);
  CHECK(result.epochs.empty());
  CHECK(result.model_path.empty());
  CHECK(!std::filesystem::exists(config.out));
}

TEST_CASE("train_model names the setting or file at fault") {
  const IdxPair data;
  blnk::TrainConfig c = data.config("x.blnk");
  c.epochs = 0;
  CHECK(contains(message_of(c), "TrainConfig::epochs must be from 1 to 1048576, got 0"));
  c = data.config("x.blnk");
  c.optimizer = "rmsprop";
  CHECK(contains(message_of(c), "TrainConfig::optimizer must be adam or sgd, got 'rmsprop'"));
  c = data.config("x.blnk");
  c.ema = 1;
  CHECK(contains(message_of(c), "TrainConfig::ema"));
  c = data.config("x.blnk");
  c.train_labels = (data.dir / "missing.idx").string();
  CHECK(contains(message_of(c), c.train_labels));
  c = data.config("x.blnk");
  c.out = "/nonexistent/folder/x.blnk";
  CHECK(contains(message_of(c), "/nonexistent/folder"));
  c = data.config("x.blnk");
  c.out = data.dir.string();  // a directory: refused before training, not at the write after it
  CHECK(contains(message_of(c), "TrainConfig::out " + c.out + ": a directory; expected a file path"));
  c = data.config("x.blnk");
  c.limit = data.count + 1;
  CHECK(contains(message_of(c), "TrainConfig::limit"));
  c = data.config("x.blnk");
  c.arch = "conv4,nonsense";
  CHECK(contains(message_of(c), "nonsense"));
}
