// blnk eval: a model's accuracy, per-class precision/recall and confusion matrix.
#include <cxxopts.hpp>

#include <cstdio>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/data_files.h"
#include "base/error.h"
#include "engine/model_file.h"
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
  const std::string model_path = args.count("model") ? path_option(args, "model") : default_model_path();
  const DataFiles files = resolve_data_files(args, false);
  const Network net = network_from(read_model_file(model_path), model_path);
  const data::Dataset test = *load_test_set(files, net.num_classes());
  const train::LabelledImages set = train::view_of(test);
  train::check_fits(set, net, files.test_source());
  const train::Evaluation ev = train::evaluate(net, set, threads);
  if (args.count("json"))
    std::printf("%s\n", ev.to_json().c_str());
  else
    std::printf("model %s on %s\n%s", model_path.c_str(), files.test_source().c_str(), ev.to_text().c_str());
  return 0;
}

}  // namespace blnk::cli
