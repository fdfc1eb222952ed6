// blnk eval: a model's accuracy, per-class precision/recall and confusion matrix.
#include <cxxopts.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/data_files.h"
#include "base/error.h"
#include "data/class_folder.h"
#include "engine/model_file.h"
#include "reader/class_model.h"
#include "train/evaluate.h"

namespace blnk::cli {

int cmd_eval(int argc, char** argv) {
  cxxopts::Options options(argv[0], "Evaluate a model on labelled IDX files or a folder of labelled images.");
  add_data_options(options, false);
  options.add_options()("model", "model file (default: the bundled model)", text())(
      "threads", "worker threads, 1 to 256 (default: all cores)", text())(
      "json", "print one JSON object")("h,help", "this help");
  const auto parsed = parse_command(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  const int threads = args.count("threads") ? int(integer_option(args, "threads", 1, 256)) : default_threads();
  const std::string model_path = args.count("model") ? input_file_option(args, "model") : default_model_path();
  const DataFiles files = resolve_data_files(args, false);
  const ModelFile file = read_model_file(model_path);
  const Network net = network_from(file, model_path);
  // A class model reads a folder as it was trained (its classes, size, channels and fit)
  // and labels its table with the class names.
  const std::optional<reader::ClassModelInfo> class_model = reader::class_model_of(file, model_path);
  std::vector<std::string> names;
  data::LabelledFolderOptions as;
  if (class_model) {
    names = class_model->classes;
    as = folder_options_for(names, net.input_shape(), class_model->input.fit);
  } else if (!files.test_folder.empty() && !data::is_digit_folder(files.test_folder)) {
    // The folder loader would ask for --image-size, which eval has no use for: the
    // size, channels and fit are the class model's, and a digit reader has no classes.
    throw Error(files.test_folder + ": a folder of classes (not the digit layout of subfolders 0 to 9 or files " +
                "<label>_*), and " + model_path + " is a digit reader: give --model the class model trained on " +
                "such a folder");
  }
  // Any labels are read, then checked against the model here: a model of another
  // kind (the digit gate's 2 outputs for MNIST's 10 digits) is named with what it has.
  const data::Dataset test =
      *load_test_set(files, class_model && !files.test_folder.empty() ? int(names.size()) : data::kMaxIdxClasses, as);
  // The images' shape first: MNIST's files against a colour class model are data of
  // another kind, whatever their labels.
  const Shape images{test.images.rows, test.images.cols, test.images.channels};
  if (images != net.input_shape())
    throw Error(files.test_source() + ": its images are " + images.str() + ", and " + model_path + " takes " +
                net.input_shape().str() +
                (class_model ? " (a class model of " + std::to_string(names.size()) + " classes)" : " (a digit reader)") +
                ": evaluate it on images of the kind it was trained on");
  const auto top_label = std::max_element(test.labels.labels.begin(), test.labels.labels.end());
  if (top_label != test.labels.labels.end() && *top_label >= net.num_classes())
    throw Error(model_path + ": the model has " + std::to_string(net.num_classes()) + " outputs" +
                (net.num_classes() == 2 ? " (a digit gate?)" : "") + ", one per class, but " + files.test_source() +
                " has labels up to " + std::to_string(*top_label) + ": evaluate it on data of its own classes");
  const train::LabelledImages set = train::view_of(test);
  train::check_fits(set, net, files.test_source());
  const train::Evaluation ev = train::evaluate(net, set, threads);
  if (args.count("json"))
    std::printf("%s\n", ev.to_json(names).c_str());
  else
    std::printf("model %s on %s\n%s", model_path.c_str(), files.test_source().c_str(), ev.to_text(names).c_str());
  return 0;
}

}  // namespace blnk::cli
