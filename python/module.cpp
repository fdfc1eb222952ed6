// The Python module `blnk` (pybind11): blnk.Model for inference and the reader,
// blnk.train (train_binding.cpp), blnk.Error for every error blnk reports.
//
//   m = blnk.Model("models/mnist.blnk")
//   p = m.predict_proba(x)        # x: (N, 28, 28) float32 in [0, 1] or uint8 -> (N, 10) float32
//   p = m.predict_proba(x, scale=255)  # float32 in [0, 255]
//   d = m.predict(x)              # (N,) int64 digits
//   r = m.read("photo.jpg")       # or bytes: decode, preprocess, classify -> dict
//   print(m.summary())
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <thread>

#include "data/image.h"
#include "base/error.h"
#include "base/file_io.h"
#include "python/arrays.h"
#include "python/model.h"
#include "python/train_binding.h"
#include "reader/model_classifier.h"

namespace py = pybind11;

namespace blnk::python {
namespace {

// The bundled digit gate this CPU runs faster (reader/model_classifier.h), as blnk predict picks it.
std::string bundled_gate() {
  const std::string models = BLNK_SOURCE_DIR "/models/";
  const std::string fast = models + reader::bundled_gate_file();
  return std::filesystem::exists(fast) ? fast : models + reader::kGateFile;
}

int default_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : int(std::min(n, 64u));
}

// scale: what full ink is in the caller's float pixels (None: 1; uint8 pixels are 0..255).
py::array_t<float> predict_proba(const Model& model, const py::handle& x, std::optional<float> scale) {
  const Shape in = model.network().input_shape();
  py::array images = contiguous_array(x, "images");
  check_images(images, in, "images");
  const int n = int(images.shape(0));
  const bool u8 = images.dtype().is(py::dtype::of<std::uint8_t>());
  if (scale && !(std::isfinite(*scale) && *scale > 0))
    throw py::value_error("scale must be a positive number (the value of full ink), got " +
                          std::string(py::str(py::float_(*scale))));
  if (u8 && scale && *scale != 255)
    throw py::value_error("uint8 pixels are 0..255: scale=" + std::string(py::str(py::float_(*scale))) +
                          " does not apply (give float32 pixels with their scale)");
  if (!u8) {
    const float top = scale.value_or(1.0f);
    check_float_pixels(static_cast<const float*>(images.data()), std::size_t(images.size()), in, top, "images");
    if (top != 1.0f) images = py::array_t<float>(images.attr("__truediv__")(py::float_(top)).attr("astype")("float32"));
  }
  py::array_t<float> probs({py::ssize_t(n), py::ssize_t(model.network().num_classes())});
  float* out = probs.mutable_data();
  const void* data = images.data();
  {
    py::gil_scoped_release release;
    if (u8)
      model.predict_proba(static_cast<const std::uint8_t*>(data), n, out);
    else
      model.predict_proba(static_cast<const float*>(data), n, out);
  }
  return probs;
}

py::array_t<std::int64_t> predict(const Model& model, const py::handle& x, std::optional<float> scale) {
  const py::array_t<float> probs = predict_proba(model, x, scale);
  const py::ssize_t n = probs.shape(0), classes = probs.shape(1);
  py::array_t<std::int64_t> digits(n);
  const float* p = probs.data();
  std::int64_t* d = digits.mutable_data();
  for (py::ssize_t s = 0; s < n; ++s)
    d[s] = std::max_element(p + s * classes, p + (s + 1) * classes) - (p + s * classes);
  return digits;
}

// Every field of reader::Classification, named as blnk predict --json names them.
py::dict classification_dict(const reader::Classification& r) {
  py::dict d;
  d["digit"] = r.digit >= 0 ? py::object(py::int_(r.digit)) : py::object(py::none());  // None for a number
  d["number"] = r.number.empty() ? py::object(py::none()) : py::object(py::str(r.number));  // None: not_a_digit
  py::list digits;
  for (const reader::DigitReading& one : r.digits) {
    py::dict e;
    e["digit"] = one.digit;
    e["probability"] = one.probability;
    e["probabilities"] = py::array_t<float>(py::ssize_t(one.probabilities.size()), one.probabilities.data());
    e["verdict"] = reader::verdict_name(one.verdict);
    e["box"] = py::make_tuple(one.box_x, one.box_y, one.box_w, one.box_h);  // x, y, width, height in the image's pixels
    digits.append(e);
  }
  d["digits"] = digits;
  d["probability"] = r.probability;
  d["probabilities"] = py::array_t<float>(py::ssize_t(r.probabilities.size()), r.probabilities.data());
  d["verdict"] = reader::verdict_name(r.verdict);
  d["reason"] = r.reason;
  d["single_digit"] = r.single_digit;  // -1: no digit gate
  d["seen_png"] = py::bytes(reinterpret_cast<const char*>(r.seen_png.data()), r.seen_png.size());
  d["elapsed_ms"] = r.elapsed_ms;
  return d;
}

// A class model's reading, named as blnk predict --json names it.
py::dict class_reading_dict(const reader::Classification& r, const std::vector<std::string>& classes) {
  py::dict d;
  d["class"] = classes[std::size_t(r.digit)];
  d["index"] = r.digit;
  d["probability"] = r.probability;
  d["probabilities"] = py::array_t<float>(py::ssize_t(r.probabilities.size()), r.probabilities.data());
  d["elapsed_ms"] = r.elapsed_ms;
  return d;
}

py::dict read(const Model& model, const py::object& source) {
  std::vector<std::uint8_t> bytes;
  std::string name;
  if (py::isinstance<py::bytes>(source) || py::isinstance<py::bytearray>(source) ||
      py::isinstance<py::memoryview>(source)) {
    // bytes() of any buffer (py::bytes alone takes only bytes: a bytearray got pybind's type message).
    const py::bytes encoded = py::reinterpret_steal<py::bytes>(PyBytes_FromObject(source.ptr()));
    if (!encoded) throw py::error_already_set();
    const std::string_view view = encoded;
    bytes.assign(view.begin(), view.end());
    name = "bytes";
  } else if (py::isinstance<py::str>(source) || py::hasattr(source, "__fspath__")) {
    name = py::str(py::module_::import("os").attr("fspath")(source));
    bytes = read_file_bytes(name, data::kDefaultMaxImageFileBytes);
  } else {
    throw py::type_error("read() takes a path (str or os.PathLike) or the bytes of an image file, got " +
                         std::string(py::str(py::type::of(source))));
  }
  reader::Classification result;
  {
    py::gil_scoped_release release;
    result = model.read(bytes, name);
  }
  return model.classes().empty() ? classification_dict(result) : class_reading_dict(result, model.classes());
}

// gate: None for the bundled digit gate when it exists (as blnk predict), False or
// "none" for no gate, else a path.
std::string gate_path(const py::object& gate) {
  if (gate.is_none()) {
    const std::string bundled = bundled_gate();
    return std::filesystem::exists(bundled) ? bundled : "";
  }
  if (py::isinstance<py::bool_>(gate)) {
    if (gate.cast<bool>()) throw py::value_error("gate=True: give a path, None (the bundled gate) or False");
    return "";
  }
  const std::string path = py::str(py::module_::import("os").attr("fspath")(gate));
  return path == "none" ? "" : path;
}

py::dict metadata(const Model& model) {
  py::dict d;
  for (const auto& [k, v] : model.file().metadata) d[py::str(k)] = v;
  return d;
}

}  // namespace
}  // namespace blnk::python

PYBIND11_MODULE(blnk, m) {
  using blnk::python::Model;
  m.doc() = "blnk: a from-scratch CNN engine that reads handwritten digits (C++, Eigen).";
  m.attr("__version__") = BLNK_VERSION;
  m.attr("bundled_model") = BLNK_SOURCE_DIR "/models/mnist.blnk";
  m.attr("bundled_gate") = blnk::python::bundled_gate();
  static py::exception<blnk::Error> error(m, "Error", PyExc_RuntimeError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const blnk::Error& e) {
      error(e.what());
    }
  });

  py::class_<Model>(m, "Model", "A blnk model file, loaded for inference and for reading images.")
      .def(py::init([](const py::object& path, std::optional<int> threads, const py::object& gate) {
             const std::string p = py::str(py::module_::import("os").attr("fspath")(path));
             const int t = threads.value_or(blnk::python::default_threads());
             if (t < 1 || t > 256) throw py::value_error("threads must be from 1 to 256");
             return std::make_unique<Model>(p, t, blnk::python::gate_path(gate));
           }),
           py::arg("path"), py::arg("threads") = py::none(), py::arg("gate") = py::none(),
           "Loads a .blnk model file. threads: for predict_proba (default: every core). gate: the digit\n"
           "gate read() uses for its verdict: None for the bundled one when it exists (as blnk predict),\n"
           "False for none, or a model file.")
      .def("predict_proba", &blnk::python::predict_proba, py::arg("images"), py::kw_only(), py::arg("scale") = py::none(),
           "(N, 28, 28) float32 in [0, 1] (0 = background, 1 = ink) or uint8 (scaled by 1/255) -> (N, 10) float32;\n"
           "a class model's images (N, H, W, C), or (N, H, W) when grey (input_shape) -> (N, classes).\n"
           "Float pixels in another range need their scale said: scale=255 for 0..255. NaN, infinities and\n"
           "pixels outside [0, scale] raise ValueError naming the first one.")
      .def("predict", &blnk::python::predict, py::arg("images"), py::kw_only(), py::arg("scale") = py::none(),
           "The digits, (N,) int64: argmax of predict_proba (same images and scale).")
      .def("read", &blnk::python::read, py::arg("image"),
           "Reads the digit in an image file (a path, or its bytes): decode, preprocessing and the network, "
           "as blnk predict. Returns a dict of every field of the result; raises blnk.Error when it cannot.\n"
           "A class model's reading: decode, fit, the network -> {class, index, probability, probabilities, elapsed_ms}.")
      .def("summary", [](const Model& model) { return model.network().summary(); },
           "The layers, output shapes and parameter counts, like Keras's summary() (a str).")
      .def("params", [](const Model& model) {
             const auto p = model.network().params();
             return py::array_t<float>(py::ssize_t(p.size()), p.data());
           },
           "Every parameter in one flat float32 array (a copy), in the model file's order.")
      .def_property_readonly("spec", [](const Model& model) { return model.network().spec(); })
      .def_property_readonly("classes", [](const Model& model) -> py::object {
             if (model.classes().empty()) return py::none();
             return py::cast(model.classes());
           }, "A class model's class names, in the order of predict_proba's columns; None for a digit reader.")
      .def_property_readonly("input_shape", [](const Model& model) {
             const blnk::Shape in = model.network().input_shape();
             return py::make_tuple(in.h, in.w, in.c);
           }, "(height, width, channels) of one image, as predict_proba takes them.")
      .def_property_readonly("path", [](const Model& model) -> py::object {
             if (model.path().empty()) return py::none();
             return py::str(model.path());
           }, "The model file, or None for a model blnk.train made without out=.")
      .def_property_readonly("threads", &Model::threads)
      .def_property_readonly("metadata", &blnk::python::metadata)
      .def("__repr__", [](const Model& model) {
        if (model.path().empty()) return std::string("<blnk.Model trained by blnk.train, not saved (out= saves it)>");
        return "blnk.Model(" + std::string(py::repr(py::str(model.path()))) + ")";
      });

  blnk::python::bind_train(m);
}
