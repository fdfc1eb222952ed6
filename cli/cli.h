// What the subcommands share: the command signature, usage errors, defaults.
#pragma once

#include <stdexcept>
#include <string>

namespace blnk::cli {

// A mistake in the command line: main prints it with the command's help and exits 2.
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& m) : std::runtime_error(m) {}
};

using Command = int (*)(int argc, char** argv);

int cmd_train(int argc, char** argv);
int cmd_eval(int argc, char** argv);
int cmd_summary(int argc, char** argv);
int cmd_predict(int argc, char** argv);
int cmd_serve(int argc, char** argv);
int cmd_plot(int argc, char** argv);
int cmd_import_keras(int argc, char** argv);
int cmd_export_onnx(int argc, char** argv);
int cmd_quantize(int argc, char** argv);

// The bundled model: $BLNK_MODEL, else mnist.blnk in ../share/blnk from an installed
// binary, else models/mnist.blnk in the source tree, else ./models/mnist.blnk.
std::string default_model_path();
// The digit gate for --gate: "none" gives "" (no gate); no value gives
// $BLNK_GATE, else the bundled gate found as the model is (reader::bundled_gate_file:
// digit-gate-int8.blnk where the CPU has AVX-512 VNNI, else digit-gate.blnk), else "".
std::string gate_path_from(const std::string& option_value, bool given);
// --preprocess: true for "seed", false for "blnk"; anything else is a usage error.
bool seed_preprocessing(const std::string& option_value);
// Worker threads when --threads is not given: the machine's cores.
int default_threads();

}  // namespace blnk::cli
