// Resolution of --data, --images and the explicit IDX file options; loading them.
#include "cli/data_files.h"

#include <charconv>
#include <cstdio>
#include <filesystem>

#include "cli/cli.h"
#include "cli/options.h"
#include "data/image_folder.h"
#include "base/error.h"
#include "base/text_encode.h"

namespace blnk::cli {

void add_data_options(cxxopts::Options& options, bool training) {
  auto add = options.add_options("data");
  add("data", "directory holding the four MNIST files (train-images-idx3-ubyte[.gz], ...)",
      cxxopts::value<std::string>());
  if (training) {
    add("train-images", "training images (IDX3, plain or gzip)", cxxopts::value<std::string>());
    add("train-labels", "training labels (IDX1, plain or gzip)", cxxopts::value<std::string>());
    add("images", "train on a folder of labelled images: one subfolder per class, named as the class (any names, "
                  "2 to 1000 classes; needs --image-size); or digits: subfolders 0/ .. 9/, or files "
                  "<label>_<anything>.png, each preprocessed as blnk predict does (28x28 grey)",
        cxxopts::value<std::string>());
    add("images-test", "test on a folder of labelled images (as --images, with its classes)",
        cxxopts::value<std::string>());
    add("image-size", "HxW (e.g. 32x32, each side 1 to 1024): the size a folder of classes' images are fitted to "
                      "(required for one; a digit folder given it is read as classes)", cxxopts::value<std::string>());
    add("channels", "1 (grey) or 3 (RGB) for a folder of classes (default: the images' own)",
        cxxopts::value<std::string>());
    add("fit", "how an image of another shape is fitted: pad (scaled to fit whole, centred on black) or crop "
               "(scaled to cover, centre-cropped)", cxxopts::value<std::string>()->default_value("pad"));
  } else {
    add("images", "evaluate on a folder of labelled images: subfolders 0/ .. 9/, or files <label>_<anything>.png "
                  "(PNG, JPEG, BMP, PGM/PPM), each preprocessed as blnk predict does",
        cxxopts::value<std::string>());
  }
  add("test-images", "test images (IDX3, plain or gzip)", cxxopts::value<std::string>());
  add("test-labels", "test labels (IDX1, plain or gzip)", cxxopts::value<std::string>());
  add("strict-images", "stop at the first image of a folder that cannot be read (default: report and skip it)");
}

DataFiles resolve_data_files(const cxxopts::ParseResult& args, bool need_train) {
  DataFiles f;
  auto take = [&](const char* option, std::string& into) {
    if (args.count(option)) into = path_option(args, option);
  };
  take("images", need_train ? f.train_folder : f.test_folder);
  if (need_train) take("images-test", f.test_folder);
  f.strict_images = args.count("strict-images") > 0;
  if (need_train) {
    data::LabelledFolderOptions& in = f.class_input;
    if (args.count("image-size")) {
      const std::string size = args["image-size"].as<std::string>();
      const std::size_t x = size.find('x');
      auto side = [&](const std::string& text) {
        int value = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
        return r.ec == std::errc{} && r.ptr == text.data() + text.size() && value >= 1 &&
                       value <= data::kMaxClassImageSide ? value : 0;
      };
      in.height = x == std::string::npos ? 0 : side(size.substr(0, x));
      in.width = x == std::string::npos ? 0 : side(size.substr(x + 1));
      if (!in.height || !in.width)
        bad_value("image-size", shown_value(size), "not a size", "HxW, each side an integer from 1 to " +
                                                                     std::to_string(data::kMaxClassImageSide) + ", e.g. 32x32");
    }
    if (args.count("channels")) {
      const std::string value = args["channels"].as<std::string>();
      if (value != "1" && value != "3") bad_value("channels", value, "not a channel count blnk trains", "1 (grey) or 3 (RGB)");
      in.channels = value[0] - '0';
    }
    const std::string fit = choice_option(args, "fit", {"pad", "crop"});
    if (args.count("fit")) in.fit = data::parse_fit(fit);
    for (const char* option : {"image-size", "channels", "fit"})
      if (args.count(option) && f.train_folder.empty())
        throw UsageError(std::string("--") + option + " is for a folder of classes (--images DIR): IDX files hold "
                         "their own size and channels");
  }
  const bool train_from_idx = need_train && f.train_folder.empty();
  if (args.count("data")) {
    // With folders, --data supplies only the IDX sets not given as folders.
    const bool want_test_idx = f.test_folder.empty();
    const std::string dir = path_option(args, "data");
    const data::MnistFiles found = data::find_mnist_files(dir, train_from_idx, !need_train && want_test_idx);
    // Half a test pair is a file missing from the folder, not a choice of options.
    if (want_test_idx && found.test_images.empty() != found.test_labels.empty())
      throw Error("--data " + dir + ": has " + std::filesystem::path(found.test_images + found.test_labels).filename().string() +
                  " but no " + (found.test_images.empty() ? "t10k-images-idx3-ubyte" : "t10k-labels-idx1-ubyte") +
                  "[.gz]: add it for a test set, or move the other away to train without one");
    if (train_from_idx) f.train_images = found.train_images, f.train_labels = found.train_labels;
    if (want_test_idx) f.test_images = found.test_images, f.test_labels = found.test_labels;
  }
  if (need_train) {
    take("train-images", f.train_images);
    take("train-labels", f.train_labels);
    if (!f.train_folder.empty() && (args.count("train-images") || args.count("train-labels")))
      throw UsageError("give --images DIR or IDX training files, not both");
    if (train_from_idx && (f.train_images.empty() || f.train_labels.empty()))
      throw UsageError("give --data DIR, --images DIR, or both --train-images and --train-labels");
  }
  take("test-images", f.test_images);
  take("test-labels", f.test_labels);
  if (!f.test_folder.empty() && (args.count("test-images") || args.count("test-labels")))
    throw UsageError(std::string("give ") + (need_train ? "--images-test" : "--images") +
                     " DIR or IDX test files, not both");
  if (f.test_images.empty() != f.test_labels.empty())
    throw UsageError("give both --test-images and --test-labels, or neither");
  if (!need_train && f.test_images.empty() && f.test_folder.empty())
    throw UsageError("give --data DIR, --images DIR, or --test-images and --test-labels");
  return f;
}

namespace {

data::LabelledFolder load_folder(const std::string& dir, bool strict, data::LabelledFolderOptions options) {
  options.stop_on_unreadable = strict;
  data::LabelledFolder folder = data::load_labelled_folder(dir, options);
  for (const data::SkippedImage& s : folder.skipped)
    std::fprintf(stderr, "skipped %s: %s\n", s.path.c_str(), s.reason.c_str());
  // What was passed over: the first few by name, then how many more.
  constexpr std::size_t kNamesShown = 5;
  std::string passed;
  if (!folder.passed_over.empty()) {
    passed = ", " + std::to_string(folder.passed_over.size()) + " passed over (not images, or folders not read): ";
    for (std::size_t i = 0; i < folder.passed_over.size() && i < kNamesShown; ++i)
      passed += (i ? ", " : "") + folder.passed_over[i];
    if (folder.passed_over.size() > kNamesShown)
      passed += " and " + std::to_string(folder.passed_over.size() - kNamesShown) + " more";
  }
  std::fprintf(stderr, "%s: %s (%s), %zu skipped%s\n", dir.c_str(), count_of(folder.dataset.size(), "image").c_str(),
               folder.layout.c_str(), folder.skipped.size(), passed.c_str());
  return folder;
}

}  // namespace

data::LabelledFolderOptions folder_options_for(const std::vector<std::string>& classes, Shape input,
                                               data::ImageFit fit) {
  data::LabelledFolderOptions options;
  if (classes.empty()) return options;
  options.height = input.h, options.width = input.w, options.channels = input.c;
  options.fit = fit;
  options.classes = classes;
  return options;
}

// Fewer training images than this in a class: a note (see load_train_set).
constexpr int kFewImagesPerClass = 5;

LoadedSet load_train_set(const DataFiles& files, int limit) {
  if (files.train_folder.empty())
    return {data::load_dataset(files.train_images, files.train_labels, data::kMnistClasses, limit), {}};
  const data::LabelledFolderOptions& in = files.class_input;
  if (!in.height && (in.class_input_asked() || !data::is_digit_folder(files.train_folder)))
    throw UsageError("--images " + files.train_folder + ": a folder of classes" +
                     (in.class_input_asked() ? "" : " (its subfolders are not 0 to 9)") +
                     " needs --image-size HxW, the size its images are fitted to (e.g. --image-size 32x32)");
  data::LabelledFolder folder = load_folder(files.train_folder, files.strict_images, in);
  if (folder.classes.empty()) data::check_trainable_labels(folder.dataset, files.train_folder, folder.passed_over);
  // A class of a handful of images trains, but the model learns little of it: said, not refused.
  std::vector<int> per_class(folder.classes.size(), 0);
  for (const data::Label label : folder.dataset.labels.labels)
    if (label < per_class.size()) ++per_class[label];
  for (std::size_t k = 0; k < per_class.size(); ++k)
    if (per_class[k] < kFewImagesPerClass)
      std::fprintf(stderr, "note: class '%s' has %s; a model learns little of a class from so few\n",
                   folder.classes[k].c_str(), count_of(per_class[k], "image").c_str());
  return {std::move(folder.dataset), std::move(folder.classes), folder.fit};
}

std::optional<data::Dataset> load_test_set(const DataFiles& files, int num_classes,
                                           const data::LabelledFolderOptions& as) {
  if (!files.test_folder.empty()) {
    data::Dataset set = load_folder(files.test_folder, files.strict_images, as).dataset;
    for (const data::Label label : set.labels.labels)
      if (label >= num_classes)
        throw Error(files.test_folder + ": holds images labelled " + std::to_string(label) + "; the model has " +
                    std::to_string(num_classes) + " classes");
    return set;
  }
  if (files.test_images.empty()) return std::nullopt;
  return data::load_dataset(files.test_images, files.test_labels, num_classes);
}

}  // namespace blnk::cli
