// Finding the labelled data a command was pointed at: IDX files (--data DIR, the
// four standard MNIST names with or without .gz, or explicit --train-images/...
// options), or folders of labelled images (--images DIR, --images-test DIR:
// data/image_folder.h, or of any classes: data/class_folder.h), and loading either
// as a Dataset.
#pragma once

#include <cxxopts.hpp>

#include <optional>
#include <string>

#include "data/class_folder.h"
#include "data/idx.h"
#include "base/shape.h"

namespace blnk::cli {

void add_data_options(cxxopts::Options& options, bool training);

struct DataFiles {
  std::string train_images, train_labels, test_images, test_labels;
  std::string train_folder, test_folder;  // folders of labelled images, instead of the IDX pair
  bool strict_images = false;             // an unreadable image in a folder stops the command
  data::LabelledFolderOptions class_input;  // --image-size, --channels, --fit (training folders)

  // What a set came from, for messages and metadata: the folder, else the IDX images file.
  const std::string& train_source() const { return train_folder.empty() ? train_images : train_folder; }
  const std::string& test_source() const { return test_folder.empty() ? test_images : test_folder; }
};
// Throws UsageError when neither --data, --images nor the needed explicit files
// are given, or when a set is given twice. For eval (need_train false) --images is
// the evaluated set.
DataFiles resolve_data_files(const cxxopts::ParseResult& args, bool need_train);

// A set, and when it came from a folder of classes their names and the fit of its images.
struct LoadedSet {
  data::Dataset set;
  std::vector<std::string> classes;  // empty: digits, or IDX files
  data::ImageFit fit = data::ImageFit::pad;
};

// The training set, and the test set if one was given: a test folder is read `as`
// the training set was (folder_options_for its classes, or a model's when
// evaluating). A folder's skipped images are reported on stderr, one line each,
// then a summary line.
// limit > 0: IDX files are read no further than the first `limit` images (data/idx.h).
LoadedSet load_train_set(const DataFiles& files, int limit = 0);
std::optional<data::Dataset> load_test_set(const DataFiles& files, int num_classes,
                                           const data::LabelledFolderOptions& as);

// How a set of `classes` (a model's, or a training folder's) is read from a folder:
// their size, channels and fit; none for digits.
data::LabelledFolderOptions folder_options_for(const std::vector<std::string>& classes, Shape input,
                                               data::ImageFit fit);

}  // namespace blnk::cli
