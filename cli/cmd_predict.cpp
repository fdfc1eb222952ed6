// blnk predict: read digits from image files, directories or standard input.
#include <cxxopts.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <set>

#include "cli/cli.h"
#include "cli/options.h"
#include "data/image.h"
#include "base/error.h"
#include "base/file_io.h"
#include "base/text_encode.h"
#include "data/folder_listing.h"
#include "engine/model_file.h"
#include "reader/answer.h"
#include "reader/class_answer.h"
#include "reader/class_model.h"
#include "reader/model_classifier.h"

namespace blnk::cli {
namespace {

constexpr std::uint64_t kMaxStdinBytes = data::kDefaultMaxImageFileBytes;

// What to read: each argument, folders expanded the way every folder reader of blnk
// lists them (data/folder_listing.h: dot files left out, sorted, images told by their
// extension). What a folder holds besides images (a README, .DS_Store, subfolders) is
// named in a note, not a failure; a folder with no image at all is a failure naming
// it: reading nothing must not look like success.
struct Inputs {
  std::vector<std::string> files;
  std::vector<std::string> failures;  // messages
  std::vector<std::string> notes;
};
// "a, b, c and 4 more"
std::string some_names(const std::vector<std::filesystem::path>& paths) {
  constexpr std::size_t kShown = 3;
  std::string text;
  for (std::size_t i = 0; i < paths.size() && i < kShown; ++i) text += (i ? ", " : "") + paths[i].filename().string();
  if (paths.size() > kShown) text += " and " + std::to_string(paths.size() - kShown) + " more";
  return text;
}
Inputs expand_inputs(const std::vector<std::string>& args) {
  Inputs inputs;
  for (const std::string& a : args) {
    std::error_code ec;
    if (a == "-" || !std::filesystem::is_directory(a, ec)) {
      inputs.files.push_back(a);
      continue;
    }
    data::FolderEntries entries;
    try {
      entries = data::list_folder(a);
    } catch (const Error& e) {
      inputs.failures.push_back(e.what());
      continue;
    }
    std::vector<std::filesystem::path> others;
    std::size_t images = 0;
    for (const std::filesystem::path& file : entries.files) {
      if (!data::is_image_file_name(file)) {
        others.push_back(file);
        continue;
      }
      inputs.files.push_back(file.string());
      ++images;
    }
    if (!others.empty())
      inputs.notes.push_back(a + ": passed over " + count_of(others.size(), "file") + " not named as an image (" +
                             some_names(others) + "; images end in .png, .jpg, .jpeg, .gif, .webp, .bmp, .pgm, .ppm or .pnm)");
    if (!entries.folders.empty())
      inputs.notes.push_back(a + ": passed over " + count_of(entries.folders.size(), "folder") + " (" +
                             some_names(entries.folders) + "; folders are not read inside folders: name each one)");
    if (images == 0) inputs.failures.push_back(a + ": a folder with no images to read");
  }
  return inputs;
}

std::vector<std::uint8_t> read_input(const std::string& path) {
  if (path != "-") return read_file_bytes(path, kMaxStdinBytes);
  std::vector<std::uint8_t> bytes;
  char buf[65536];
  while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
    bytes.insert(bytes.end(), buf, buf + std::cin.gcount());
    if (bytes.size() > kMaxStdinBytes)
      throw Error("standard input: more than " + std::to_string(kMaxStdinBytes) + " bytes");
  }
  return bytes;
}

// The name an input's saved images start with: its file name, or, when an earlier
// input of the run had that name (0.jpg in every class folder), its folder's name
// before it ("blue square-0.jpg"), then a number ("0.jpg-2").
std::string saved_base(const std::string& path, std::set<std::string>& used) {
  const std::filesystem::path p(path);
  const std::string name = path == "-" ? "stdin" : p.filename().string();
  std::string base = name;
  if (used.count(base) && path != "-" && !p.parent_path().filename().empty())
    base = p.parent_path().filename().string() + "-" + name;
  for (int n = 2; used.count(base); ++n) base = name + "-" + std::to_string(n);
  used.insert(base);
  return base;
}

// Writes the image the network saw into save_dir as BASE.<suffix>.png.
void save_seen(const std::string& save_dir, const std::string& base, const std::string& suffix,
               const std::vector<std::uint8_t>& png) {
  // Plain writes (no fsync per file): these are for looking at, and there may be thousands.
  const std::string target = (std::filesystem::path(save_dir) / (base + "." + suffix + ".png")).string();
  std::ofstream out(target, std::ios::binary);
  out.write(reinterpret_cast<const char*>(png.data()), std::streamsize(png.size()));
  if (!out) throw Error(target + ": cannot write the preprocessed image");
}

// Reads each input with `classifier` and hands each reading to `answer`, which prints it;
// a failure is printed here (as JSON too with `json`). Returns the exit status.
int predict_each(const reader::Classifier& classifier, const std::vector<std::string>& args, int top_k, bool json,
                 const std::string& save_dir, const std::string& seen_suffix, bool find,
                 const std::function<void(const std::string& name, const reader::Classification&)>& answer) {
  const Inputs inputs = expand_inputs(args);
  int failures = 0;
  for (const std::string& note : inputs.notes) std::fprintf(stderr, "blnk predict: note: %s\n", note.c_str());
  for (const std::string& message : inputs.failures) {
    ++failures;
    std::fprintf(stderr, "blnk predict: %s\n", message.c_str());
  }
  std::set<std::string> saved_bases;
  for (const std::string& path : inputs.files) {
    const std::string name = path == "-" ? "standard input" : path;
    reader::Classification result;
    reader::ClassifyFailure failure;
    bool ok = false;
    try {
      ok = classifier.classify(read_input(path), reader::ClassifyOptions{!save_dir.empty(), name, !save_dir.empty(), find}, result,
                               failure);
    } catch (const Error& e) {
      failure.message = e.what();
    }
    if (!ok) {
      ++failures;
      if (json) {
        std::string line;
        reader::append_failure_json(line, failure, {top_k, "file", name, {}});
        std::fputs(line.c_str(), stdout);
      }
      std::fprintf(stderr, "blnk predict: %s\n", failure.message.c_str());
      continue;
    }
    answer(name, result);
    if (!save_dir.empty()) {
      const std::string base = saved_base(path, saved_bases);
      save_seen(save_dir, base, seen_suffix, result.seen_png);
      if (!result.found_png.empty()) save_seen(save_dir, base, "found", result.found_png);  // the picture with each digit's box
    }
  }
  std::fflush(stdout);
  return failures ? 1 : 0;
}

// The line of a digit reading: the digit or the number, or why not, and the runners-up.
void print_digit_reading(const std::string& name, const reader::Classification& result, int top_k) {
  const std::vector<int> order = reader::top_digits(result.probabilities, top_k);
  const int k = int(order.size());
  const bool several = result.digits.size() > 1;
  std::string digits_spaced;  // "2 0 2 4"
  for (const char c : result.number) digits_spaced += std::string(digits_spaced.empty() ? "" : " ") + c;
  switch (result.verdict) {
    case reader::Verdict::digit: std::printf("%s: %d (%.1f%%)", name.c_str(), result.digit, 100 * result.probability); break;
    case reader::Verdict::number:
      std::printf("%s: %s  (%s; lowest %.1f%%)", name.c_str(), result.number.c_str(), digits_spaced.c_str(),
                  100 * result.probability);
      break;
    case reader::Verdict::uncertain:
      if (several)
        std::printf("%s: %s? (lowest %.1f%%, uncertain: %s)", name.c_str(), result.number.c_str(), 100 * result.probability,
                    result.reason.c_str());
      else
        std::printf("%s: %d? (%.1f%%, uncertain: %s)", name.c_str(), result.digit, 100 * result.probability, result.reason.c_str());
      break;
    case reader::Verdict::unjudged:
      std::printf("%s: %d (%.1f%%; %s)", name.c_str(), result.digit, 100 * result.probability, result.reason.c_str());
      break;
    case reader::Verdict::not_a_digit: {
      // (A refused picture has no number: its guess is each mark's digit, or the one.)
      std::string guess = several ? "" : std::to_string(result.digit);
      if (several)
        for (const reader::DigitReading& d : result.digits) guess += std::to_string(d.digit);
      std::printf("%s: not a digit: %s; best guess %s", name.c_str(), result.reason.c_str(), guess.c_str());
      break;
    }
  }
  // The runners-up of a guess that means nothing would mean even less; a number has none.
  if (result.verdict != reader::Verdict::not_a_digit && !several) {
    for (int i = 1; i < k; ++i)
      std::printf("%s %d %.1f%%", i == 1 ? "  then" : ",", order[i], 100 * result.probabilities[order[i]]);
  }
  std::printf("\n");
}

}  // namespace

int cmd_predict(int argc, char** argv) {
  cxxopts::Options options(argv[0], "Read the digit or number in each image (PNG, JPEG, GIF, WebP, BMP, PGM/PPM; a folder reads its images; - for standard input); with a class model, its class by name.\n"
                                    "Exit status: 0 when every image was predicted, 1 when any could not be, 2 on usage errors.");
  options.add_options()("model", "model file (default: the bundled model)", text())(
      "json", "one JSON object per image")(
      "gate", "digit gate model that tells digits from letters, symbols and scribbles (default: the bundled one; none: no gate)",
      text())(
      "preprocess", "blnk (default), or seed: the seed's own pipeline, for a model from blnk import-keras",
      text("blnk"))("top-k", "how many of the likeliest to show, 1 to 10", text("3"))(
      "save-preprocessed", "write the image the network saw (28x28 for digits) into this directory (made if missing)", text())(
      "find", "on (default): search the picture for digits; off: read the whole picture as one digit (the digit gate's view)",
      text("on"))(
      "images", "image files or directories", cxxopts::value<std::vector<std::string>>())("h,help", "this help");
  options.parse_positional({"images"});
  options.positional_help("IMAGE...");
  const auto parsed = parse_command(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  if (!args.count("images")) throw UsageError("give at least one image file, directory or -");
  const int top_k = int(integer_option(args, "top-k", 1, 10));
  const bool seed = seed_preprocessing(args["preprocess"].as<std::string>());
  const bool find = choice_option(args, "find", {"on", "off"}) == "on";
  const std::string model_path = args.count("model") ? input_file_option(args, "model") : default_model_path();
  const std::string gate = args.count("gate") ? path_option(args, "gate") : "";
  std::string save_dir;
  if (args.count("save-preprocessed")) {
    save_dir = args["save-preprocessed"].as<std::string>();
    check_output_folder("save-preprocessed", save_dir, true);  // before the model is read
  }
  const bool json = args.count("json") > 0;
  const std::vector<std::string> images = args["images"].as<std::vector<std::string>>();
  // A model of image classes answers with their names; the digit options do not apply to it.
  if (const std::optional<reader::ClassModelInfo> info = reader::class_model_of(read_model_file(model_path), model_path)) {
    for (const char* option : {"gate", "preprocess", "find"})
      if (args.count(option))
        throw UsageError(std::string("--") + option + " is for digit readers; " +
                         reader::not_a_digit_model_message(model_path, *info));
    const reader::ClassModelClassifier classifier(model_path);
    const std::vector<std::string> classes = classifier.class_names();
    const std::string seen = std::to_string(info->input.height) + "x" + std::to_string(info->input.width);
    return predict_each(classifier, images, top_k, json, save_dir, seen, true,
                        [&](const std::string& name, const reader::Classification& result) {
                          std::string line = name + ": " + reader::class_answer_text(result, classes, top_k) + "\n";
                          if (json) {
                            line.clear();
                            reader::append_class_answer_json(line, result, classes,
                                                             {top_k, "file", name, classifier.model_name()});
                          }
                          std::fputs(line.c_str(), stdout);
                        });
  }
  const reader::ModelClassifier classifier(model_path, {}, gate_path_from(gate, args.count("gate") > 0), seed);
  return predict_each(classifier, images, top_k, json, save_dir, "28x28", find,
                      [&](const std::string& name, const reader::Classification& result) {
                        if (!json) return print_digit_reading(name, result, top_k);
                        std::string line;
                        reader::append_answer_json(line, result, {top_k, "file", name, classifier.model_name()});
                        std::fputs(line.c_str(), stdout);
                      });
}

}  // namespace blnk::cli
