// blnk: the subcommand table. Usage errors exit 2, runtime errors exit 1.
#include <cxxopts.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include "cli/cli.h"
#include "cli/options.h"
#include "base/error.h"
#include "reader/model_classifier.h"

namespace blnk::cli {

namespace {

// A bundled model file: beside an installed binary (BLNK_MODELS_FROM_BINARY, from the
// binary's folder: ../share/blnk), else in the source tree this binary was built from;
// "" when neither holds it.
std::string bundled_model(const std::string& file) {
  std::error_code ec;
  const std::filesystem::path binary = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path installed = binary.parent_path() / BLNK_MODELS_FROM_BINARY / file;
    if (std::filesystem::exists(installed, ec)) return installed.lexically_normal().string();
  }
  const std::string source = std::string(BLNK_SOURCE_DIR) + "/models/" + file;
  return std::filesystem::exists(source, ec) ? source : "";
}

}  // namespace

std::string default_model_path() {
  if (const char* env = std::getenv("BLNK_MODEL"); env && *env) return env;
  const std::string bundled = bundled_model("mnist.blnk");
  return bundled.empty() ? "models/mnist.blnk" : bundled;
}

std::string gate_path_from(const std::string& option_value, bool given) {
  if (given) {
    if (option_value == "none") return "";
    check_input_file("gate", option_value);  // (a typo of none names the option)
    return option_value;
  }
  if (const char* env = std::getenv("BLNK_GATE"); env && *env) return std::string(env) == "none" ? "" : env;
  // The int8 copy where the CPU runs it fast; the float gate if only that one is there.
  const std::string gate = bundled_model(reader::bundled_gate_file());
  return gate.empty() ? bundled_model(reader::kGateFile) : gate;
}

bool seed_preprocessing(const std::string& option_value) {
  if (option_value == "seed") return true;
  if (option_value == "blnk") return false;
  bad_value("preprocess", shown_value(option_value), "unknown", "blnk or seed");
}

int default_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : int(std::min(n, 64u));
}

}  // namespace blnk::cli

namespace {

struct Entry {
  const char* name;
  blnk::cli::Command run;
  const char* help;
};

const Entry kCommands[] = {
    {"serve", blnk::cli::cmd_serve, "serve the upload page and the JSON API (default: bundled model on 127.0.0.1:8000)"},
    {"predict", blnk::cli::cmd_predict, "read digits or numbers from image files (PNG, JPEG, GIF, WebP, BMP, PGM/PPM), each with a verdict"},
    {"train", blnk::cli::cmd_train, "train a model on MNIST-style IDX files or a folder of labelled images"},
    {"eval", blnk::cli::cmd_eval, "accuracy, per-class precision/recall and confusion matrix on IDX files or an image folder"},
    {"summary", blnk::cli::cmd_summary, "print a model's layers, output shapes and parameter counts"},
    {"model", blnk::cli::cmd_summary, "same as summary"},
    {"plot", blnk::cli::cmd_plot, "draw a training log's loss and accuracy curves as SVG"},
    {"import-keras", blnk::cli::cmd_import_keras, "convert a Keras .h5 model into a blnk model file"},
    {"export-onnx", blnk::cli::cmd_export_onnx, "write a model as ONNX, for ONNX Runtime, OpenCV or a browser"},
    {"quantize", blnk::cli::cmd_quantize, "make an int8 model for faster inference, calibrated on training images"},
};

void print_help(std::FILE* out) {
  std::fprintf(out,
               "blnk %s: a CNN engine that reads handwritten and photographed digits\n\n"
               "usage: blnk <command> [options]   (blnk <command> --help for its options)\n\ncommands:\n",
               BLNK_VERSION);
  for (const Entry& e : kCommands) std::fprintf(out, "  %-13s %s\n", e.name, e.help);
}

// An error about the model that BLNK_MODEL chose (no --model given) names the
// variable too: the user may not remember setting it.
std::string model_origin_note(const std::string& message, int argc, char** argv) {
  const char* env = std::getenv("BLNK_MODEL");
  if (!env || !*env || message.rfind(std::string(env) + ":", 0) != 0) return "";
  for (int i = 1; i < argc; ++i)
    if (!std::strcmp(argv[i], "--model") || !std::strncmp(argv[i], "--model=", 8)) return "";
  return " (the model BLNK_MODEL names)";
}

}  // namespace

int main(int argc, char** argv) {
  // `blnk help predict` is `blnk predict --help`.
  std::string help_flag = "--help";
  if (argc == 3 && !std::strcmp(argv[1], "help"))
    for (const Entry& e : kCommands)
      if (!std::strcmp(argv[2], e.name)) {
        argv[1] = argv[2];
        argv[2] = help_flag.data();
        break;
      }
  if (argc < 2 || !std::strcmp(argv[1], "help") || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
    print_help(stdout);
    return argc < 2 ? 2 : 0;
  }
  if (!std::strcmp(argv[1], "--version")) {
    std::printf("blnk %s\n", BLNK_VERSION);
    return 0;
  }
  for (const Entry& e : kCommands) {
    if (std::strcmp(argv[1], e.name) != 0) continue;
    std::string program = std::string("blnk ") + e.name;
    argv[1] = program.data();
    try {
      return e.run(argc - 1, argv + 1);
    } catch (const blnk::cli::UsageError& err) {
      std::fprintf(stderr, "blnk %s: %s (see blnk %s --help)\n", e.name, err.what(), e.name);
      return 2;
    } catch (const cxxopts::exceptions::exception& err) {
      std::fprintf(stderr, "blnk %s: %s (see blnk %s --help)\n", e.name, blnk::cli::usage_message_of(err, argc - 1, argv + 1).c_str(),
                   e.name);
      return 2;
    } catch (const blnk::Error& err) {
      std::fprintf(stderr, "blnk %s: error: %s%s\n", e.name, err.what(), model_origin_note(err.what(), argc, argv).c_str());
      return 1;
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "blnk %s: error: out of memory\n", e.name);
      return 1;
    }
  }
  std::fprintf(stderr, "blnk: unknown command '%s'\n\n", argv[1]);
  print_help(stderr);
  return 2;
}
