// Shapes of one sample. Tensors in blnk are batch first and channels last:
// a batch of n samples of Shape{h, w, c} is n*h*w*c floats in NHWC order
// (see docs/architecture.md for why NHWC).
#pragma once

#include <cstddef>
#include <string>

namespace blnk {

struct Shape {
  int h = 1, w = 1, c = 1;

  std::size_t size() const { return std::size_t(h) * std::size_t(w) * std::size_t(c); }
  bool operator==(const Shape&) const = default;
  std::string str() const {
    return std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(c);
  }
};

}  // namespace blnk
