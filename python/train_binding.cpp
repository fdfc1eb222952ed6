// blnk.train: `blnk train`'s options as keyword arguments, data as numpy arrays or
// IDX paths, the trained model back as a blnk.Model. The training itself runs with
// the GIL released (taken back for a moment after each batch, to notice Ctrl-C);
// the same data, seed and threads give the bit-identical model the CLI gives.
#include "python/train_binding.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>
#include <utility>

#include "data/idx.h"
#include "data/class_folder.h"
#include "data/image_folder.h"
#include "data/preprocess.h"
#include "base/error.h"
#include "base/file_io.h"
#include "base/text_encode.h"
#include "engine/model_file.h"
#include "layers/bf16_gemm.h"
#include "layers/registry.h"
#include "python/arrays.h"
#include "python/model.h"
#include "train/checkpoint.h"
#include "train/trainer.h"

namespace py = pybind11;

namespace blnk::python {
namespace {

constexpr int kMaxThreads = 256;  // as the CLI's --threads

// Images and labels as the trainer reads them: owned (read from IDX files) or
// borrowed from numpy arrays the caller keeps alive for the whole call.
struct Examples {
  data::Dataset owned;
  py::array images, labels;  // borrowed
  const std::uint8_t* pixels = nullptr;
  const data::Label* labels_in = nullptr;
  int count = 0, rows = 0, cols = 0, channels = 1;
  std::vector<std::string> classes;  // a folder of classes' names; empty: digits, IDX files or arrays
  data::ImageFit fit = data::ImageFit::pad;
  train::LabelledImages view() const { return {pixels, labels_in, count, Shape{rows, cols, channels}}; }
};

bool is_path(const py::object& obj) { return py::isinstance<py::str>(obj) || py::hasattr(obj, "__fspath__"); }

std::string path_of(const py::object& obj) { return py::str(py::module_::import("os").attr("fspath")(obj)); }

// Owned: an IDX pair, or a folder of labelled images as blnk train --images reads it
// (data/class_folder.h: digits, or classes read `as` says; unreadable images are
// skipped, as the CLI does).
Examples examples_from(const py::object& images, const py::object& labels, const std::string& what,
                       const data::LabelledFolderOptions& as) {
  Examples e;
  if (is_path(images)) {
    const std::string dir_or_file = path_of(images);
    if (labels.is_none() && !std::filesystem::exists(dir_or_file))
      throw py::value_error(what + "_images " + dir_or_file + ": no such folder or file");
    if (labels.is_none() && std::filesystem::is_directory(dir_or_file)) {
      data::LabelledFolder folder = data::load_labelled_folder(dir_or_file, as);
      e.owned = std::move(folder.dataset);
      e.classes = std::move(folder.classes);
      e.fit = folder.fit;
      if (what == "train" && e.classes.empty()) data::check_trainable_labels(e.owned, dir_or_file, folder.passed_over);
    } else {
      if (!is_path(labels))
        throw py::value_error(what + "_labels must be an IDX path like " + what + "_images (or None with a folder "
                              "of labelled images)");
      e.owned = data::load_dataset(dir_or_file, path_of(labels));
      // Images of another shape than the digits' are a class model's, as blnk train makes one.
      const data::IdxImages& im = e.owned.images;
      if (as.classes.empty() && (im.rows != data::kDigitSide || im.cols != data::kDigitSide || im.channels != 1))
        e.classes = data::label_class_names(e.owned);
    }
    e.pixels = e.owned.images.pixels.data();
    e.labels_in = e.owned.labels.labels.data();
    e.count = e.owned.size();
    e.rows = e.owned.images.rows;
    e.cols = e.owned.images.cols;
    e.channels = e.owned.images.channels;
    return e;
  }
  e.images = contiguous_array(images, what + "_images");
  const bool colour = e.images.ndim() == 4 && (e.images.shape(3) == 1 || e.images.shape(3) == 3);
  if ((e.images.ndim() != 3 && !colour) || !e.images.dtype().is(py::dtype::of<std::uint8_t>()))
    throw py::value_error(what + "_images must be uint8 of shape (N, rows, cols) (0 = background, as MNIST) or "
                          "(N, rows, cols, 1 or 3), got " + std::string(py::str(e.images.dtype())) + " " +
                          shape_text(e.images));
  // Labels: any integer array (N,), each in [0, 10); kept as bytes.
  py::array l = contiguous_array(labels, what + "_labels");
  const bool integers = l.dtype().kind() == 'i' || l.dtype().kind() == 'u';
  if (l.ndim() != 1 || l.shape(0) != e.images.shape(0) || !integers)
    throw py::value_error(what + "_labels must be integers of shape (" + std::to_string(e.images.shape(0)) +
                          ",), got " + std::string(py::str(l.dtype())) + " " + shape_text(l));
  const py::array wide = l.attr("astype")("uint16");  // data::Label
  const int classes = as.classes.empty() ? data::kMnistClasses : int(as.classes.size());
  if (l.size() && (l.attr("min")().cast<long long>() < 0 || l.attr("max")().cast<long long>() >= classes))
    throw py::value_error(what + "_labels must be from 0 to " + std::to_string(classes - 1) +
                          (as.classes.empty() ? "" : " (one per class name)"));
  e.labels = wide;
  e.pixels = static_cast<const std::uint8_t*>(e.images.data());
  e.labels_in = static_cast<const data::Label*>(e.labels.data());
  e.count = int(e.images.shape(0));
  e.rows = int(e.images.shape(1));
  e.cols = int(e.images.shape(2));
  e.channels = colour ? int(e.images.shape(3)) : 1;
  e.classes = as.classes;
  e.fit = as.fit.value_or(data::ImageFit::pad);
  return e;
}

// image_size, channels, fit, classes as blnk train's --image-size, --channels, --fit read them.
data::LabelledFolderOptions class_input(const std::optional<std::pair<int, int>>& image_size, std::optional<int> channels,
                                        const std::optional<std::string>& fit,
                                        const std::optional<std::vector<std::string>>& classes) {
  data::LabelledFolderOptions as;
  if (image_size) {
    auto [h, w] = *image_size;
    if (h < 1 || w < 1 || h > data::kMaxClassImageSide || w > data::kMaxClassImageSide)
      throw py::value_error("image_size must be (height, width), each from 1 to " +
                            std::to_string(data::kMaxClassImageSide) + ", got (" + std::to_string(h) + ", " +
                            std::to_string(w) + ")");
    as.height = h, as.width = w;
  }
  if (channels && *channels != 1 && *channels != 3)
    throw py::value_error("channels must be 1 (grey) or 3 (RGB), got " + std::to_string(*channels));
  as.channels = channels.value_or(0);
  if (fit && !data::parse_fit(*fit)) throw py::value_error("fit must be 'pad' or 'crop', got '" + *fit + "'");
  if (fit) as.fit = data::parse_fit(*fit);
  if (classes) {
    data::check_class_names(*classes, "classes");
    as.classes = *classes;
  }
  return as;
}

// A file name for the trained model when the caller gave none: the model is read back
// from it (so the returned Model is exactly what the file holds) and it is removed.
std::string temporary_model_path() {
  std::string path = (std::filesystem::temp_directory_path() / "blnk-train-XXXXXX").string();
  const int fd = mkstemp(path.data());
  if (fd < 0) throw Error(path + ": cannot create a temporary file");
  close(fd);
  return path;
}

int checked(int value, int lo, int hi, const char* name) {
  if (value < lo || value > hi)
    throw py::value_error(std::string(name) + " must be from " + std::to_string(lo) + " to " + std::to_string(hi) +
                          ", got " + std::to_string(value));
  return value;
}

// augment=: False/None (none), True ("digits", as before the kinds), or a kind's name.
data::Augment augment_of(const py::object& augment) {
  if (augment.is_none()) return data::Augment::none;
  if (py::isinstance<py::bool_>(augment)) return augment.cast<bool>() ? data::Augment::digits : data::Augment::none;
  if (!py::isinstance<py::str>(augment))
    throw py::type_error("augment: True, False, or one of 'none', 'digits', 'crop', 'crop-flip'");
  try {
    return data::parse_augment(augment.cast<std::string>());
  } catch (const Error& e) {
    throw py::value_error(std::string("augment: ") + e.what());
  }
}

// precision=: "fp32" or "bf16", as blnk train --precision.
Precision precision_of(const std::string& precision) {
  try {
    return parse_precision(precision, "precision");
  } catch (const Error& e) {
    throw py::value_error(e.what());
  }
}

std::unique_ptr<Model> train(const py::object& train_images, const py::object& train_labels, const py::object& test_images,
            const py::object& test_labels, int epochs, int batch_size, float lr, const std::string& lr_schedule,
            float ema, const std::string& optimizer, float momentum, std::uint64_t seed, const std::string& precision,
            std::optional<int> threads, const std::optional<std::string>& arch, const py::object& init,
            double val_split, const py::object& augment, std::optional<int> limit, std::optional<std::string> out, bool quiet,
            const std::optional<std::pair<int, int>>& image_size, std::optional<int> channels,
            const std::optional<std::string>& fit, const std::optional<std::vector<std::string>>& classes) {
  // out= is checked before any work, as the CLI's --out is: a path that cannot take the
  // model must not cost a whole training run.
  if (out) {
    if (out->empty()) throw py::value_error("out is empty; expected a model file path, or None");
    if (const std::optional<OutputFileProblem> p = output_file_problem(*out)) {
      if (p->wrong_kind) throw py::value_error("out " + *out + ": " + p->problem + "; expected " + p->expected);
      throw Error("out " + *out + ": " + p->problem);
    }
  }
  // init: fine-tuning from a trained model, whose spec is the run's (arch must match it).
  std::optional<Network> init_from;
  std::string spec = arch.value_or(init.is_none() ? kDefaultSpec : "");
  if (!init.is_none()) init_from.emplace(train::read_init_model(path_of(init), spec, "arch"));
  const data::LabelledFolderOptions as = class_input(image_size, channels, fit, classes);
  if (is_path(train_images) && train_labels.is_none() && !as.height &&
      (as.class_input_asked() || !data::is_digit_folder(path_of(train_images))))
    throw py::value_error(path_of(train_images) + ": a folder of classes needs image_size=(height, width), the size "
                          "its images are fitted to");
  Examples train_set = examples_from(train_images, train_labels, "train", as);
  // The test set is read as the training set was: its classes, size, channels and fit.
  data::LabelledFolderOptions test_as;
  if (!train_set.classes.empty()) {
    test_as.height = train_set.rows, test_as.width = train_set.cols, test_as.channels = train_set.channels;
    test_as.fit = train_set.fit;
    test_as.classes = train_set.classes;
  }
  std::optional<Examples> test_set;
  if (!test_images.is_none()) test_set = examples_from(test_images, test_labels, "test", test_as);
  if (limit) train_set.count = checked(*limit, 1, train_set.count, "limit");
  if (train_set.count < 1) throw py::value_error("no training images");

  train::TrainConfig cfg;
  cfg.epochs = checked(epochs, 1, 1 << 20, "epochs");
  cfg.batch_size = checked(batch_size, 1, 1 << 20, "batch_size");
  cfg.optimizer.name = optimizer;
  // As epochs= and batch_size= are: a bad number is the caller's ValueError, not a blnk.Error from inside.
  if (!(std::isfinite(lr) && lr > 0)) throw py::value_error("lr must be a positive number, got " + number_text(lr));
  if (!(momentum >= 0 && momentum < 1)) throw py::value_error("momentum must be in [0, 1), got " + number_text(momentum));
  if (!(ema >= 0 && ema < 1)) throw py::value_error("ema must be in [0, 1), got " + number_text(ema));
  cfg.optimizer.learning_rate = lr;
  cfg.optimizer.momentum = momentum;
  cfg.lr_schedule = train::parse_lr_schedule(lr_schedule);
  cfg.ema_momentum = ema;
  cfg.seed = seed;
  cfg.precision = precision_of(precision);
  cfg.val_split = val_split;
  cfg.augment = augment_of(augment);
  const unsigned cores = std::thread::hardware_concurrency();
  cfg.threads = checked(threads.value_or(cores ? int(std::min(cores, 64u)) : 1), 1, kMaxThreads, "threads");

  const int classes_count = int(train_set.classes.size());
  if (classes_count && cfg.augment == data::Augment::digits)
    throw py::value_error("augment='digits' moves and reshapes the ink of digits: not for a class model "
                          "(augment='crop' or 'crop-flip', or leave it out)");
  if (classes_count && !arch && init.is_none()) spec = train::default_spec_for_classes(classes_count);
  Network net(spec, Shape{train_set.rows, train_set.cols, train_set.channels});
  // What comes back is a blnk.Model, a class model or a digit reader: refused before training, not after.
  if (classes_count && net.num_classes() != classes_count)
    throw py::value_error("arch " + spec + " ends in " + std::to_string(net.num_classes()) + " outputs, but there are " +
                          std::to_string(classes_count) + " classes: end it in dense" + std::to_string(classes_count));
  if (!classes_count && net.input_shape() != kMnistShape)
    throw py::value_error("images of " + net.input_shape().str() + " train a class model: name the classes (classes=[...], "
                          "one per label) or train on a folder of classes");
  if (!classes_count && net.num_classes() != reader::kDigitClasses)
    throw py::value_error("arch " + spec + " ends in " + std::to_string(net.num_classes()) +
                          " outputs; blnk.train returns a digit reader (blnk.Model), which has " +
                          std::to_string(reader::kDigitClasses) + ", one per digit (train a gate with blnk train)");
  net.init(cfg.seed);
  if (init_from) train::start_from(net, *init_from, path_of(init));
  const train::LabelledImages train_view = train_set.view();
  const train::LabelledImages test_view = test_set ? test_set->view() : train::LabelledImages{};
  if (classes_count) {  // a class model: its names and fit, in the model file
    ModelFile named;
    reader::set_class_model(named, train_set.classes, train_set.fit);
    cfg.model_metadata = named.metadata;
  }
  train::Trainer trainer(net, cfg, train_view, test_set ? &test_view : nullptr);

  std::atomic<bool> stop{false};
  train::TrainCallbacks callbacks;
  callbacks.stop_requested = &stop;
  callbacks.on_batch = [&](const train::BatchProgress&) {
    py::gil_scoped_acquire acquire;
    if (PyErr_CheckSignals() != 0) stop = true;  // Ctrl-C: the exception stays set
  };
  callbacks.on_epoch = [&](const train::EpochStats& e) {
    if (quiet) return;
    py::gil_scoped_acquire acquire;
    // The CLI's epoch line (cli/progress.cpp), not Python's 17 digits of the loss.
    char line[256];
    int n = std::snprintf(line, sizeof line, "epoch %d of %d: train loss %.4f acc %.2f%%", e.epoch, cfg.epochs,
                          e.train_loss, 100 * e.train_accuracy);
    if (e.val_accuracy >= 0)
      n += std::snprintf(line + n, sizeof line - std::size_t(n), " | val loss %.4f acc %.2f%%", e.val_loss,
                         100 * e.val_accuracy);
    if (e.test_accuracy >= 0)
      std::snprintf(line + n, sizeof line - std::size_t(n), " | test loss %.4f acc %.2f%%", e.test_loss,
                    100 * e.test_accuracy);
    py::print(line, py::arg("flush") = true);
  };
  train::TrainOutcome outcome;
  {
    py::gil_scoped_release release;
    outcome = trainer.run(callbacks);
  }
  if (outcome == train::TrainOutcome::interrupted) throw py::error_already_set();

  train::Provenance provenance;
  provenance.version = BLNK_VERSION;
  provenance.by = "blnk.train (Python)";
  if (init_from) provenance.init = path_of(init);
  const ModelFile model = train::trained_model_file(net, cfg, provenance, trainer.history());
  const std::string path = out ? *out : temporary_model_path();
  write_model_file(path, model);
  if (out) return std::make_unique<Model>(path, cfg.threads);
  try {
    auto trained = std::make_unique<Model>(path, cfg.threads);
    std::filesystem::remove(path);
    trained->forget_path();  // its repr and .path must not name a file that is gone
    return trained;
  } catch (...) {
    std::filesystem::remove(path);
    throw;
  }
}

}  // namespace

void bind_train(py::module_& m) {
  m.def("train", &train, py::arg("train_images"), py::arg("train_labels") = py::none(), py::kw_only(),
        py::arg("test_images") = py::none(), py::arg("test_labels") = py::none(), py::arg("epochs") = 3,
        py::arg("batch_size") = 64, py::arg("lr") = 0.001f, py::arg("lr_schedule") = "constant",
        py::arg("ema") = 0.0f, py::arg("optimizer") = "adam", py::arg("momentum") = 0.9f,
        py::arg("seed") = 1, py::arg("precision") = "fp32", py::arg("threads") = py::none(), py::arg("arch") = py::none(),
        py::arg("init") = py::none(), py::arg("val_split") = 0.0, py::arg("augment") = false, py::arg("limit") = py::none(),
        py::arg("out") = py::none(), py::arg("quiet") = true, py::arg("image_size") = py::none(),
        py::arg("channels") = py::none(), py::arg("fit") = py::none(), py::arg("classes") = py::none(),
        "Trains a model as `blnk train` does and returns it as a blnk.Model.\n\n"
        "train_images/train_labels (and test_images/test_labels): IDX file paths; numpy arrays (uint8\n"
        "(N, 28, 28), 0 = background, or (N, H, W, C) with classes=; integer labels (N,)); or a folder of\n"
        "labelled images with labels None (as --images: digits, or one subfolder per class with\n"
        "image_size=(H, W), channels=1 or 3, fit='pad' or 'crop'). classes: the names of the labels of\n"
        "arrays (the model is then a class model). The keywords are blnk train's options (batch_size\n"
        "for --batch-size, arch (default: the seed's model, ending in one output per class), init for\n"
        "fine-tuning, precision 'fp32' or 'bf16', ...); out: also write the model file there.\n"
        "The same data, seed and threads give the bit-identical model the CLI gives. The GIL is\n"
        "released while it trains.");
  // A misspelt keyword: pybind's own message is some 70 lines (every overload's
  // signature and the arrays given, printed whole) and never names the keyword. The
  // keywords are read off the signature pybind wrote, so they are listed once.
  py::object impl = m.attr("train");
  const std::string signature = py::str(impl.attr("__doc__")).cast<std::string>();
  std::vector<std::string> keywords;
  const std::string head = signature.substr(0, signature.find('\n'));
  for (std::size_t at = head.find('('); at != std::string::npos && at < head.size();) {
    const std::size_t start = head.find_first_not_of(" ,*(", at);
    if (start == std::string::npos) break;
    const std::size_t colon = head.find(':', start);
    if (colon == std::string::npos) break;
    keywords.push_back(head.substr(start, colon - start));
    // On to the next parameter: past this one's type and default, at depth 0.
    int depth = 0;
    std::size_t i = colon;
    for (; i < head.size(); ++i) {
      const char c = head[i];
      if (c == '(' || c == '[') ++depth;
      else if (c == ')' || c == ']') { if (depth-- == 0) break; }
      else if (c == ',' && depth == 0) break;
    }
    at = i < head.size() && head[i] == ',' ? i + 1 : std::string::npos;
  }
  py::options options;
  options.disable_function_signatures();  // the doc is impl's, its signature first
  py::cpp_function checked(
      [impl, keywords](py::args args, py::kwargs kwargs) -> py::object {
        for (const auto& item : kwargs) {
          const std::string key = py::str(item.first);
          if (std::find(keywords.begin(), keywords.end(), key) != keywords.end()) continue;
          const py::list close = py::module_::import("difflib").attr("get_close_matches")(key, keywords, 1);
          std::string text = "train() got an unexpected keyword argument '" + key + "'";
          if (!close.empty()) text += "; did you mean '" + py::str(close[0]).cast<std::string>() + "'?";
          throw py::type_error(text + " (help(blnk.train) lists the keywords)");
        }
        return impl(*args, **kwargs);
      },
      py::name("train"), py::scope(m), py::sibling(py::none()), py::doc(signature.c_str()));
  m.attr("train") = checked;
}

}  // namespace blnk::python
