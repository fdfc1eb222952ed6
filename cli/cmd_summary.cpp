// blnk summary (and blnk model): a model's layers like Keras's model.summary(), or a spec's.
#include <cxxopts.hpp>

#include <cstdio>

#include "base/error.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "engine/model_file.h"
#include "engine/model_metadata.h"
#include "reader/class_model.h"
#include "layers/registry.h"
#include "train/checkpoint.h"

namespace blnk::cli {

int cmd_summary(int argc, char** argv) {
  cxxopts::Options options(argv[0], "Print a model's layers like Keras's model.summary().");
  options.add_options()("model", "model file (default: the bundled model)", text())(
      "arch", "a model spec instead of a file", text())("h,help", "this help");
  options.parse_positional({"model"});
  std::string tokens = "Layer tokens of a spec:\n";
  for (const LayerKind& k : layer_kinds()) {
    char line[256];
    std::snprintf(line, sizeof line, "  %-58s %s\n", k.syntax, k.doc);
    tokens += line;
  }
  const auto parsed = parse_command(options, argc, argv, tokens + "\nDefault spec: " + kDefaultSpec + "\n");
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  if (args.count("arch") && args.count("model")) throw UsageError("give a model file or --arch, not both");
  if (args.count("arch")) {
    const std::string spec = args["arch"].as<std::string>();
    try {
      std::printf("%s", Network(spec).summary().c_str());
    } catch (const Error& e) {
      bad_value("arch", shown_value(spec), e.what(), "a model spec (blnk summary --help lists the layer tokens)");
    }
    return 0;
  }
  const std::string path = args.count("model") ? input_file_option(args, "model") : default_model_path();
  const ModelFile file = read_model_file(path);
  const Network net = network_from(file, path);
  std::printf("%s%s\nspec: %s\n", path.c_str(), "", net.spec().c_str());
  std::printf("%s", net.summary().c_str());
  const std::optional<reader::ClassModelInfo> class_model = reader::class_model_of(file, path);
  for (const auto& [k, v] : file.metadata) {
    if (k.rfind("train.", 0) == 0 || k.rfind("optimizer.", 0) == 0 || k == metadata::kInputFit) continue;
    if (k == metadata::kClasses && class_model) {  // one line: the names, and how images are made to fit
      std::string names;
      for (const std::string& name : class_model->classes) names += (names.empty() ? "" : ", ") + name;
      std::printf("classes: %s (images fitted to %s by %s)\n", names.c_str(), net.input_shape().str().c_str(),
                  data::fit_name(class_model->input.fit));
      continue;
    }
    std::printf("%s: %s\n", k.c_str(), v.c_str());
  }
  if (train::is_checkpoint(file))
    std::printf("checkpoint: %s\n", train::describe_position(train::parse_checkpoint(file, path)).c_str());
  return 0;
}

}  // namespace blnk::cli
