// A labelled set of random 28x28 images: training tests that need data, not digits.
#pragma once

#include <cstdint>
#include <vector>

#include "base/rng.h"
#include "train/evaluate.h"

namespace blnk::testing {

struct RandomSet {
  std::vector<std::uint8_t> pixels;
  std::vector<data::Label> labels;
  RandomSet(int count, std::uint64_t seed) : pixels(std::size_t(count) * 784), labels(count) {
    Rng rng(seed);
    for (auto& p : pixels) p = std::uint8_t(rng.below(256));
    for (auto& l : labels) l = data::Label(rng.below(10));
  }
  train::LabelledImages view() const { return {pixels.data(), labels.data(), int(labels.size())}; }
};

}  // namespace blnk::testing
