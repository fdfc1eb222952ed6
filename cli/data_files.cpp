// Resolution of --data and the explicit IDX file options.
#include "cli/data_files.h"

#include "cli/cli.h"

namespace blnk::cli {

void add_data_options(cxxopts::Options& options, bool training) {
  auto add = options.add_options("data");
  add("data", "directory holding the four MNIST files (train-images-idx3-ubyte[.gz], ...)",
      cxxopts::value<std::string>());
  if (training) {
    add("train-images", "training images (IDX3, plain or gzip)", cxxopts::value<std::string>());
    add("train-labels", "training labels (IDX1, plain or gzip)", cxxopts::value<std::string>());
  }
  add("test-images", "test images (IDX3, plain or gzip)", cxxopts::value<std::string>());
  add("test-labels", "test labels (IDX1, plain or gzip)", cxxopts::value<std::string>());
}

DataFiles resolve_data_files(const cxxopts::ParseResult& args, bool need_train) {
  DataFiles f;
  if (args.count("data")) {
    const data::MnistFiles found = data::find_mnist_files(args["data"].as<std::string>(), need_train, !need_train);
    f = {found.train_images, found.train_labels, found.test_images, found.test_labels};
  }
  auto take = [&](const char* option, std::string& into) {
    if (args.count(option)) into = args[option].as<std::string>();
  };
  if (need_train) {
    take("train-images", f.train_images);
    take("train-labels", f.train_labels);
    if (f.train_images.empty() || f.train_labels.empty())
      throw UsageError("give --data DIR, or both --train-images and --train-labels");
  }
  take("test-images", f.test_images);
  take("test-labels", f.test_labels);
  if (f.test_images.empty() != f.test_labels.empty())
    throw UsageError("give both --test-images and --test-labels, or neither");
  if (!need_train && f.test_images.empty()) throw UsageError("give --data DIR, or --test-images and --test-labels");
  return f;
}

}  // namespace blnk::cli
