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
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <thread>
#include <utility>

#include "data/idx.h"
#include "data/image_folder.h"
#include "base/error.h"
#include "engine/model_file.h"
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
  const std::uint8_t* label_bytes = nullptr;
  int count = 0, rows = 0, cols = 0;
  train::LabelledImages view() const { return {pixels, label_bytes, count, Shape{rows, cols, 1}}; }
};

bool is_path(const py::object& obj) { return py::isinstance<py::str>(obj) || py::hasattr(obj, "__fspath__"); }

std::string path_of(const py::object& obj) { return py::str(py::module_::import("os").attr("fspath")(obj)); }

// Owned: an IDX pair, or a folder of labelled images as blnk train --images reads it
// (data/image_folder.h; unreadable images are skipped, as the CLI does).
Examples examples_from(const py::object& images, const py::object& labels, const std::string& what) {
  Examples e;
  if (is_path(images)) {
    const std::string dir_or_file = path_of(images);
    if (labels.is_none() && std::filesystem::is_directory(dir_or_file)) {
      e.owned = data::load_image_folder(dir_or_file).dataset;
    } else {
      if (!is_path(labels))
        throw py::value_error(what + "_labels must be an IDX path like " + what + "_images (or None with a folder "
                              "of labelled images)");
      e.owned = data::load_dataset(dir_or_file, path_of(labels));
    }
    e.pixels = e.owned.images.pixels.data();
    e.label_bytes = e.owned.labels.labels.data();
    e.count = e.owned.size();
    e.rows = e.owned.images.rows;
    e.cols = e.owned.images.cols;
    return e;
  }
  e.images = contiguous_array(images, what + "_images");
  if (e.images.ndim() != 3 || !e.images.dtype().is(py::dtype::of<std::uint8_t>()))
    throw py::value_error(what + "_images must be uint8 of shape (N, rows, cols) (0 = background, as MNIST), got " +
                          std::string(py::str(e.images.dtype())) + " " + shape_text(e.images));
  // Labels: any integer array (N,), each in [0, 10); kept as bytes.
  py::array l = contiguous_array(labels, what + "_labels");
  const bool integers = l.dtype().kind() == 'i' || l.dtype().kind() == 'u';
  if (l.ndim() != 1 || l.shape(0) != e.images.shape(0) || !integers)
    throw py::value_error(what + "_labels must be integers of shape (" + std::to_string(e.images.shape(0)) +
                          ",), got " + std::string(py::str(l.dtype())) + " " + shape_text(l));
  const py::array u8 = l.attr("astype")("uint8");
  if (l.size() && (l.attr("min")().cast<long long>() < 0 || l.attr("max")().cast<long long>() >= data::kMnistClasses))
    throw py::value_error(what + "_labels must be from 0 to " + std::to_string(data::kMnistClasses - 1));
  e.labels = u8;
  e.pixels = static_cast<const std::uint8_t*>(e.images.data());
  e.label_bytes = static_cast<const std::uint8_t*>(e.labels.data());
  e.count = int(e.images.shape(0));
  e.rows = int(e.images.shape(1));
  e.cols = int(e.images.shape(2));
  return e;
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

std::unique_ptr<Model> train(const py::object& train_images, const py::object& train_labels, const py::object& test_images,
            const py::object& test_labels, int epochs, int batch_size, float lr, const std::string& lr_schedule,
            float ema, const std::string& optimizer, float momentum, std::uint64_t seed,
            std::optional<int> threads, const std::optional<std::string>& arch, const py::object& init,
            double val_split, bool augment, std::optional<int> limit, std::optional<std::string> out, bool quiet) {
  // init: fine-tuning from a trained model, whose spec is the run's (arch must match it).
  std::optional<Network> init_from;
  std::string spec = arch.value_or(init.is_none() ? kDefaultSpec : "");
  if (!init.is_none()) init_from.emplace(train::read_init_model(path_of(init), spec, "arch"));
  Examples train_set = examples_from(train_images, train_labels, "train");
  std::optional<Examples> test_set;
  if (!test_images.is_none()) test_set = examples_from(test_images, test_labels, "test");
  if (limit) train_set.count = checked(*limit, 1, train_set.count, "limit");
  if (train_set.count < 1) throw py::value_error("no training images");

  train::TrainConfig cfg;
  cfg.epochs = checked(epochs, 1, 1 << 20, "epochs");
  cfg.batch_size = checked(batch_size, 1, 1 << 20, "batch_size");
  cfg.optimizer.name = optimizer;
  cfg.optimizer.learning_rate = lr;
  cfg.optimizer.momentum = momentum;
  cfg.lr_schedule = train::parse_lr_schedule(lr_schedule);
  cfg.ema_momentum = ema;
  cfg.seed = seed;
  cfg.val_split = val_split;
  cfg.augment = augment;
  const unsigned cores = std::thread::hardware_concurrency();
  cfg.threads = checked(threads.value_or(cores ? int(std::min(cores, 64u)) : 1), 1, kMaxThreads, "threads");

  Network net(spec, Shape{train_set.rows, train_set.cols, 1});
  // What comes back is a blnk.Model, a digit reader: refused before training, not after.
  if (net.num_classes() != reader::kDigitClasses)
    throw py::value_error("arch " + spec + " ends in " + std::to_string(net.num_classes()) +
                          " outputs; blnk.train returns a digit reader (blnk.Model), which has " +
                          std::to_string(reader::kDigitClasses) + ", one per digit (train a gate with blnk train)");
  net.init(cfg.seed);
  if (init_from) train::start_from(net, *init_from, path_of(init));
  const train::LabelledImages train_view = train_set.view();
  const train::LabelledImages test_view = test_set ? test_set->view() : train::LabelledImages{};
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
    py::print("epoch", e.epoch, "of", cfg.epochs, "loss", e.train_loss, "accuracy", e.train_accuracy,
              e.test_accuracy >= 0 ? py::object(py::str("test accuracy {:.4f}").format(e.test_accuracy)) : py::str(""),
              py::arg("flush") = true);
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
        py::arg("seed") = 1, py::arg("threads") = py::none(), py::arg("arch") = py::none(),
        py::arg("init") = py::none(), py::arg("val_split") = 0.0, py::arg("augment") = false, py::arg("limit") = py::none(),
        py::arg("out") = py::none(), py::arg("quiet") = true,
        "Trains a model as `blnk train` does and returns it as a blnk.Model.\n\n"
        "train_images/train_labels (and test_images/test_labels): IDX file paths; numpy arrays (uint8\n"
        "(N, 28, 28), 0 = background; integer labels (N,)); or a folder of labelled images with labels\n"
        "None (as --images). The keywords are blnk train's options (batch_size for --batch-size, arch\n"
        "(default: the seed's model), init for fine-tuning, ...); out: also write the model file there.\n"
        "The same data, seed and threads give the bit-identical model the CLI gives. The GIL is\n"
        "released while it trains.");
}

}  // namespace blnk::python
