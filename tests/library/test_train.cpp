// blnk::train_model through the public header: a small run on IDX files written
// here, its progress and cancellation, the same model for the same seed, and the
// messages for bad settings.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "blnk/blnk.h"

namespace {

constexpr int kImages = 96;
constexpr const char* kSmallArch = "conv4,pool,flatten,dense10";

void put_be32(std::ofstream& out, std::uint32_t v) {
  const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  out.write(b, 4);
}

// A folder with an IDX pair: image s is a bar at a place given by its label.
struct IdxPair {
  std::filesystem::path dir;
  std::string images, labels;
  IdxPair() {
    dir = std::filesystem::temp_directory_path() / ("blnk-library-train-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    images = (dir / "images.idx").string();
    labels = (dir / "labels.idx").string();
    std::ofstream img(images, std::ios::binary), lab(labels, std::ios::binary);
    put_be32(img, 0x803);
    put_be32(img, kImages);
    put_be32(img, 28);
    put_be32(img, 28);
    put_be32(lab, 0x801);
    put_be32(lab, kImages);
    for (int s = 0; s < kImages; ++s) {
      const int label = s % 10;
      for (int i = 0; i < 784; ++i) img.put(char((i % 28) / 2 == label + 2 ? 230 : 0));
      lab.put(char(label));
    }
  }
  ~IdxPair() { std::filesystem::remove_all(dir); }
  blnk::TrainConfig config(const std::string& out) const {
    blnk::TrainConfig c;
    c.train_images = images;
    c.train_labels = labels;
    c.test_images = images;
    c.test_labels = labels;
    c.arch = kSmallArch;
    c.epochs = 2;
    c.batch_size = 16;
    c.threads = 2;
    c.out = (dir / out).string();
    return c;
  }
};

std::string message_of(const blnk::TrainConfig& c) {
  try {
    blnk::train_model(c);
  } catch (const blnk::Exception& e) {
    return e.what();
  }
  return "(no exception)";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

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
  const int batches = (kImages + 15) / 16;
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
  c.limit = kImages + 1;
  CHECK(contains(message_of(c), "TrainConfig::limit"));
  c = data.config("x.blnk");
  c.arch = "conv4,nonsense";
  CHECK(contains(message_of(c), "nonsense"));
}
