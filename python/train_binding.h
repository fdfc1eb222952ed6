// blnk.train(...): the options of `blnk train` as keyword arguments.
#pragma once

#include <pybind11/pybind11.h>

namespace blnk::python {

void bind_train(pybind11::module_& m);

}  // namespace blnk::python
