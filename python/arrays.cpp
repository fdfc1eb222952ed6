// Array checks for the bindings: shape and dtype against what blnk takes.
#include "python/arrays.h"

namespace blnk::python {

py::array contiguous_array(const py::handle& obj, const std::string& what) {
  if (!py::isinstance<py::array>(obj))
    throw py::value_error(what + " must be a numpy array, got " + std::string(py::str(py::type::of(obj))));
  const py::array a = py::reinterpret_borrow<py::array>(obj);
  if (a.flags() & py::array::c_style) return a;
  return py::module_::import("numpy").attr("ascontiguousarray")(a);
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

void check_images(const py::array& images, int rows, int cols, const std::string& what) {
  if (images.ndim() != 3 || images.shape(1) != rows || images.shape(2) != cols)
    throw py::value_error(what + " must have shape (N, " + std::to_string(rows) + ", " + std::to_string(cols) +
                          "), got " + shape_text(images));
  if (!images.dtype().is(py::dtype::of<float>()) && !images.dtype().is(py::dtype::of<std::uint8_t>()))
    throw py::value_error(what + " must be float32 in [0, 1] or uint8, got " +
                          std::string(py::str(images.dtype())) + " (convert with .astype(numpy.float32))");
}

}  // namespace blnk::python
