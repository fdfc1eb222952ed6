// What the bindings check of the numpy arrays they are given, with the ValueError
// messages a user sees. One home for the rules of predict_proba and train.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

namespace blnk::python {

namespace py = pybind11;

// obj as a C-contiguous array (a copy only when it is not already one: a slice, a
// transposed view); ValueError when it is not a numpy array at all.
py::array contiguous_array(const py::handle& obj, const std::string& what);

// Images (N, rows, cols) of dtype float32 or uint8; ValueError naming what is wrong.
void check_images(const py::array& images, int rows, int cols, const std::string& what);

// "(3, 28)" for messages.
std::string shape_text(const py::array& a);

}  // namespace blnk::python
