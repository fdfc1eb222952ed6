// Finding the IDX files a command was pointed at: --data DIR (the four standard
// MNIST names, with or without .gz) or explicit --train-images/... options.
#pragma once

#include <cxxopts.hpp>

#include <optional>
#include <string>

#include "data/idx.h"

namespace blnk::cli {

void add_data_options(cxxopts::Options& options, bool training);

struct DataFiles {
  std::string train_images, train_labels, test_images, test_labels;
};
// Throws UsageError when neither --data nor the needed explicit files are given.
DataFiles resolve_data_files(const cxxopts::ParseResult& args, bool need_train);

}  // namespace blnk::cli
