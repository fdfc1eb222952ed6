// End to end on real MNIST: 1 epoch on the first 20,000 training images must give
// at least 95% on the 10,000 test images. (With 6,000 images one epoch gives about
// 92-94%, ours and PyTorch's alike on the same model, so 95% needs more steps.) Skips, saying so, when the data set is
// absent (set BLNK_DATA_DIR to a directory holding the four MNIST files).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>

#include "test_data.h"
#include "data/idx.h"
#include "engine/network.h"
#include "layers/registry.h"
#include "train/trainer.h"

using namespace blnk;

TEST_CASE("real MNIST: one epoch on 20,000 images reaches 95% test accuracy") {
  const std::string dir = testing::mnist_dir();
  if (!std::filesystem::exists(dir + "/t10k-images-idx3-ubyte") &&
      !testing::have_data(dir + "/t10k-images-idx3-ubyte.gz", "set BLNK_DATA_DIR"))
    return;
  const data::MnistFiles files = data::find_mnist_files(dir);
  data::Dataset train = data::load_dataset(files.train_images, files.train_labels);
  const data::Dataset test = data::load_dataset(files.test_images, files.test_labels);
  REQUIRE(train.size() == 60000);
  REQUIRE(test.size() == 10000);
  Network net(kDefaultSpec);
  net.init(1);
  train::TrainConfig cfg;
  cfg.epochs = 1;
  cfg.threads = 2;
  const train::LabelledImages train_view{train.images.pixels.data(), train.labels.labels.data(), 20000};
  const train::LabelledImages test_view{test.images.pixels.data(), test.labels.labels.data(), test.size()};
  train::Trainer trainer(net, cfg, train_view, nullptr);
  trainer.run({});
  const train::Evaluation ev = train::evaluate(net, test_view, 2);
  MESSAGE("test accuracy after 1 epoch on 20,000 images: " << ev.accuracy());
  CHECK(ev.accuracy() >= 0.95);
}
