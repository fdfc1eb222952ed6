// blnk import-keras: a Keras model saved as HDF5 -> a blnk model file.
#include <cxxopts.hpp>

#include <cstdio>

#include "cli/cli.h"
#include "cli/options.h"
#include "engine/model_file.h"
#include "keras/keras_import.h"

namespace blnk::cli {

int cmd_import_keras(int argc, char** argv) {
  cxxopts::Options options(
      argv[0],
      "Convert a Keras model saved as HDF5 (model.save(\"model.h5\"), Keras 2 layout) into a blnk model file.\n"
      "Layers: InputLayer, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, BatchNormalization,\n"
      "Dropout, Flatten, Dense, Activation/ReLU (relu, linear, a final softmax), Rescaling (blnk's model takes\n"
      "pixels in [0, 1]), channels_last; a Sequential model, or a Functional one whose only branches are\n"
      "residual blocks (conv, bn, relu, conv, bn + the input or a 1x1 conv + bn, Add, ReLU: blnk's res);\n"
      "anything else is refused naming the layer. Keras 3 .keras archives are not supported: save the\n"
      "model as .h5 instead.\n"
      "For files you trust: HDF5 is a complex format. See docs/keras.md.");
  options.add_options()("model", "the Keras .h5 file", text())("out", "the blnk model file to write", text())(
      "h,help", "this help");
  options.parse_positional({"model"});
  options.positional_help("MODEL.h5 --out MODEL.blnk");
  const auto parsed = parse_command(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  if (!args.count("model")) throw UsageError("which Keras file? (blnk import-keras MODEL.h5 --out MODEL.blnk)");
  if (!args.count("out")) throw UsageError("--out MODEL.blnk is required");
  const std::string in = path_option(args, "model"), out = args["out"].as<std::string>();
  check_output_file("out", out);
  const ModelFile file = keras::import_keras_h5(in);
  write_model_file(out, file);
  const Network net = network_from(file, out);
  const std::string* version = file.find_metadata(keras::kImportedKerasVersion);
  std::printf("%s (Keras %s) -> %s: %zu layers, %zu parameters\nspec: %s\n", in.c_str(),
              version ? version->c_str() : "unknown", out.c_str(), net.layers().size(), net.param_count(),
              net.spec().c_str());
  return 0;
}

}  // namespace blnk::cli
