// What the bindings check of the numpy arrays they are given, with the ValueError
// messages a user sees. One home for the rules of predict_proba and train.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "base/shape.h"

namespace blnk::python {

namespace py = pybind11;

// obj as a C-contiguous array (a copy only when it is not already one: a slice, a
// transposed view); ValueError when it is not a numpy array at all.
py::array contiguous_array(const py::handle& obj, const std::string& what);

// Images of dtype float32 or uint8 of one shape: (N, h, w, c), or (N, h, w) when c is 1;
// ValueError naming what is wrong.
void check_images(const py::array& images, Shape shape, const std::string& what);

// Float pixels as the network takes them: finite, from 0 (background) to `scale`
// (full ink; the caller's own scale, e.g. 255). ValueError naming the first bad
// element ("images[2, 5, 7] is nan"), so a wrong scale is never rescaled quietly.
void check_float_pixels(const float* pixels, std::size_t count, Shape shape, float scale, const std::string& what);

// "(3, 28)" for messages.
std::string shape_text(const py::array& a);

}  // namespace blnk::python
