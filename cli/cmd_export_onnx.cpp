// blnk export-onnx: a model file -> an ONNX model (onnx/onnx_export.h).
#include <cxxopts.hpp>

#include <cstdio>

#include "cli/cli.h"
#include "cli/options.h"
#include "base/file_io.h"
#include "engine/model_file.h"
#include "onnx/onnx_export.h"

namespace blnk::cli {

int cmd_export_onnx(int argc, char** argv) {
  cxxopts::Options options(argv[0],
                           "Write a model as ONNX (opset " + std::to_string(onnx::kOpsetVersion) +
                               "): input 'image' float32 (N, 1, 28, 28) in [0, 1], output 'probabilities' (N, 10).");
  options.add_options()("model", "model file (default: the bundled model)", text())(
      "out", "the ONNX file to write", text())("h,help", "this help");
  options.parse_positional({"model"});
  options.positional_help("[MODEL.blnk] --out MODEL.onnx");
  const auto parsed = parse_command(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  if (!args.count("out")) throw UsageError("--out is required");
  const std::string model_path = args.count("model") ? input_file_option(args, "model") : default_model_path();
  const std::string out = args["out"].as<std::string>();
  check_output_file("out", out);
  const std::vector<std::uint8_t> bytes =
      onnx::export_onnx(read_model_file(model_path), model_path, {.blnk_version = BLNK_VERSION});
  write_file_atomically(out, bytes);
  std::fprintf(stderr, "wrote %s (%zu bytes)\n", out.c_str(), bytes.size());
  return 0;
}

}  // namespace blnk::cli
