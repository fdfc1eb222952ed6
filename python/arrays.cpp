// Array checks for the bindings: shape and dtype against what blnk takes.
#include "python/arrays.h"

#include <cmath>
#include <sstream>

namespace blnk::python {

py::array contiguous_array(const py::handle& obj, const std::string& what) {
  if (!py::isinstance<py::array>(obj))
    throw py::value_error(what + " must be a numpy array, got " + std::string(py::str(py::type::of(obj))));
  const py::array a = py::reinterpret_borrow<py::array>(obj);
  if (a.flags() & py::array::c_style) return a;
  return py::module_::import("numpy").attr("ascontiguousarray")(a);
}

namespace {

// 255, 0.5, nan, -inf: a pixel value as people write it.
std::string number_text(float v) {
  if (std::isnan(v)) return "nan";
  std::ostringstream out;
  out << v;
  return out.str();
}

}  // namespace

void check_float_pixels(const float* pixels, std::size_t count, Shape shape, float scale, const std::string& what) {
  for (std::size_t i = 0; i < count; ++i) {
    const float v = pixels[i];
    if (std::isfinite(v) && v >= 0 && v <= scale) continue;
    const std::size_t per_image = shape.size(), per_row = std::size_t(shape.w) * shape.c;
    std::string where = what + "[" + std::to_string(i / per_image) + ", " + std::to_string(i % per_image / per_row) +
                        ", " + std::to_string(i % per_row / shape.c);
    if (shape.c > 1) where += ", " + std::to_string(i % shape.c);
    where += "] is " + number_text(v);
    if (!std::isfinite(v)) throw py::value_error(where + ": pixels must be finite numbers");
    const std::string scale_text = number_text(scale);
    if (scale == 1)
      throw py::value_error(where + ": float pixels are from 0 (background) to 1 (ink); for another range say its "
                            "top with scale= (scale=255 for 0..255)");
    throw py::value_error(where + ": with scale=" + scale_text + " pixels are from 0 (background) to " + scale_text +
                          " (ink)");
  }
}

std::string shape_text(const py::array& a) {
  std::string s = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) {
    if (i) s += ", ";
    s += std::to_string(a.shape(i));
  }
  s += a.ndim() == 1 ? ",)" : ")";
  return s;
}

void check_images(const py::array& images, Shape shape, const std::string& what) {
  const bool grey = images.ndim() == 3 && shape.c == 1;
  if ((!grey && images.ndim() != 4) || images.shape(1) != shape.h || images.shape(2) != shape.w ||
      (images.ndim() == 4 && images.shape(3) != shape.c)) {
    const std::string hw = std::to_string(shape.h) + ", " + std::to_string(shape.w);
    throw py::value_error(what + " must have shape " +
                          (shape.c == 1 ? "(N, " + hw + ") or (N, " + hw + ", 1)" : "(N, " + hw + ", " + std::to_string(shape.c) + ")") +
                          ", got " + shape_text(images));
  }
  if (!images.dtype().is(py::dtype::of<float>()) && !images.dtype().is(py::dtype::of<std::uint8_t>()))
    throw py::value_error(what + " must be float32 in [0, 1] or uint8, got " +
                          std::string(py::str(images.dtype())) + " (convert with .astype(numpy.float32))");
}

}  // namespace blnk::python
