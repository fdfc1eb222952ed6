// blnk quantize: a trained float model -> an int8 model (engine/quantize.h), calibrated
// on training images, and checked against the float model on the test set when one is given.
#include <cxxopts.hpp>

#include <cstdio>
#include <optional>
#include <vector>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/data_files.h"
#include "cli/options.h"
#include "data/class_folder.h"
#include "data/image_fit.h"
#include "data/pixels.h"
#include "engine/model_file.h"
#include "engine/model_metadata.h"
#include "engine/quantize.h"
#include "reader/class_model.h"
#include "train/evaluate.h"

namespace blnk::cli {
namespace {

constexpr int kDefaultCalibrationImages = 3000;
constexpr int kMaxCalibrationImages = 1 << 20;
constexpr const char* kScheme =
    "int8: per-channel symmetric int8 weights, one input scale per layer from calibration, int32 sums, "
    "float32 bias and ReLU fused with the rescaling";

// `count` images spread evenly over the set, as the network's float inputs.
std::vector<float> calibration_images(const train::LabelledImages& set, int count) {
  std::vector<float> images(std::size_t(count) * set.image_size());
  for (int i = 0; i < count; ++i) {
    const std::size_t from = std::size_t(i) * std::size_t(set.count) / std::size_t(count);
    data::bytes_to_units(set.pixels + from * set.image_size(), set.image_size(), images.data() + i * set.image_size());
  }
  return images;
}

}  // namespace

int cmd_quantize(int argc, char** argv) {
  cxxopts::Options options(argv[0], std::string("Quantize a trained model to int8 for faster inference (") + kScheme +
                                        "). Calibrates on training images; with a test set, prints both accuracies.");
  add_data_options(options, true);
  options.add_options()("model", "the float model file (default: the bundled model)", text())(
      "out", "the quantized model file to write", text())(
      "calibration", "training images to calibrate on, spread over the set (default: 3000)", text())(
      "threads", "worker threads for the test set, 1 to 256 (default: all cores)", text())("h,help", "this help");
  options.parse_positional({"model"});
  options.positional_help("[MODEL.blnk] --data DIR --out MODEL-int8.blnk");
  const auto parsed = parse_command(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  if (!args.count("out")) throw UsageError("--out is required");
  const std::string out = path_option(args, "out");
  const int wanted = args.count("calibration") ? int(integer_option(args, "calibration", 1, kMaxCalibrationImages))
                                               : kDefaultCalibrationImages;
  const int threads = args.count("threads") ? int(integer_option(args, "threads", 1, 256)) : default_threads();
  const std::string model_path = args.count("model") ? input_file_option(args, "model") : default_model_path();
  DataFiles files = resolve_data_files(args, true);
  check_output_file("out", out);

  const ModelFile file = read_model_file(model_path);
  const Network trained = network_from(file, model_path);
  if (is_quantized(trained))
    throw Error(model_path + ": quantized already (int8); quantize the float model it was made from" +
                (file.find_metadata(metadata::kQuantizedFrom) ? " (" + *file.find_metadata(metadata::kQuantizedFrom) + ")"
                                                             : std::string()));
  // A class model reads its folders as it was trained: its classes (another folder's
  // would make the accuracy below meaningless), size, channels and fit, which the
  // options need not repeat and may not change.
  if (const std::optional<reader::ClassModelInfo> class_model = reader::class_model_of(file, model_path)) {
    const Shape input = trained.input_shape();
    const data::LabelledFolderOptions& asked = files.class_input;
    const std::string trained_on = std::to_string(input.h) + "x" + std::to_string(input.w) + ", " +
                                   std::to_string(input.c) + " channel" + (input.c == 1 ? "" : "s") + ", fit " +
                                   data::fit_name(class_model->input.fit);
    if ((asked.height && (asked.height != input.h || asked.width != input.w)) ||
        (asked.channels && asked.channels != input.c) || (asked.fit && *asked.fit != class_model->input.fit))
      throw UsageError(model_path + " was trained on images of " + trained_on +
                       ": leave out --image-size, --channels and --fit (quantize reads the folder as the model was trained)");
    files.class_input = folder_options_for(class_model->classes, input, class_model->input.fit);
  } else if (!files.train_folder.empty() && !data::is_digit_folder(files.train_folder) &&
             !files.class_input.class_input_asked()) {
    throw Error(files.train_folder + ": a folder of classes (not the digit layout of subfolders 0 to 9 or files " +
                "<label>_*), and " + model_path + " is a digit reader: give the class model trained on such a folder");
  }
  const LoadedSet loaded = load_train_set(files);
  const data::Dataset& train_set = loaded.set;
  const train::LabelledImages calibration_set = train::view_of(train_set);
  train::check_fits(calibration_set, trained, "the training set");
  const int count = std::min(wanted, calibration_set.count);
  const std::vector<float> images = calibration_images(calibration_set, count);
  const Network quantized = quantize_network(trained, images.data(), count);

  ModelFile result = model_file_of(quantized);
  for (const auto& [k, v] : file.metadata)
    if (k.rfind("trained.", 0) == 0 || k == metadata::kBlnkVersion || k == metadata::kClasses || k == metadata::kInputFit)
      result.set_metadata(k, v);
  result.set_metadata(metadata::kQuantization, kScheme);
  result.set_metadata(metadata::kQuantizedFrom, model_path);
  result.set_metadata(metadata::kQuantizedCalibration,
                      std::to_string(count) + " images of " + files.train_source());
  if (const auto test = load_test_set(files, trained.num_classes(),
                                      folder_options_for(loaded.classes, trained.input_shape(), loaded.fit))) {
    const train::LabelledImages set = train::view_of(*test);
    train::check_fits(set, trained, files.test_source());
    const double before = train::evaluate(trained, set, threads).accuracy();
    const double after = train::evaluate(quantized, set, threads).accuracy();
    char line[64];
    std::snprintf(line, sizeof line, "%.4f", after);
    result.set_metadata(metadata::kTestAccuracy, line);
    std::snprintf(line, sizeof line, "%.4f", before);
    result.set_metadata(metadata::kQuantizedFloatAccuracy, line);
    result.set_metadata(metadata::kTestImages, files.test_source());
    std::printf("test accuracy on %s (%d images): float %.2f%%, int8 %.2f%% (%+.2f points)\n",
                files.test_source().c_str(), set.count, 100 * before, 100 * after, 100 * (after - before));
  }
  write_model_file(out, result);
  std::fprintf(stderr, "wrote %s (int8, calibrated on %d images of %s)\n", out.c_str(), count,
               files.train_source().c_str());
  return 0;
}

}  // namespace blnk::cli
