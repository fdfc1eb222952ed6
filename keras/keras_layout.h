// From a Keras model to a blnk spec: the model_config JSON a Keras .h5 file
// carries (Sequential, or Functional: a chain of layers and residual blocks, read by
// keras_graph.h) mapped layer by layer to spec tokens (layers/registry.h), and the
// weights found in the file checked against the shapes blnk's layers need. Pure
// functions over text, shapes and values, no file access, so they are fuzzed
// directly (tests/fuzz/targets/fuzz_keras.cpp).
//
// Mapped: InputLayer; Conv2D (filters, kernel, strides, valid/same padding,
// relu/linear, use_bias); MaxPooling2D; AveragePooling2D (valid); GlobalAveragePooling2D;
// BatchNormalization (over channels; a ReLU right after it becomes its act=relu);
// Dropout; Flatten; Dense (relu/linear, softmax on the last layer); Activation and
// ReLU layers that are a plain ReLU, a linear identity, or a final softmax; Rescaling
// (blnk's model takes pixels in [0, 1]: a first Rescaling reads Keras's [0, 255]
// pixels, so 1/255 vanishes, another becomes a fixed bn); and the residual block
// conv, bn, relu, conv, bn + (the input or a 1x1 conv + bn), Add, ReLU as `res<F>`.
// Keras kernels are (kh, kw, in, out) and Dense kernels (in, out), channels last, as
// blnk stores them: the values are copied as they are.
// blnk's last layer gives logits (softmax comes with prediction), so a final
// softmax maps to a linear last layer; a last layer with another activation
// keeps it, and blnk's probabilities are then the softmax of Keras's outputs.
// Everything else (another layer kind or activation, channels_first, dilation,
// groups, a graph of another shape) is refused naming the layer and why.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/shape.h"

namespace blnk::keras {

inline constexpr std::size_t kMaxConfigBytes = std::size_t(1) << 20;  // the seed's is 5 KB
inline constexpr int kMaxConfigDepth = 64;   // JSON nesting (the seed's: 7)
inline constexpr std::size_t kMaxLayers = 512;

// One tensor of a blnk layer (a parameter, or state such as a moving variance) and
// the Keras weight that supplies it.
struct WeightSlot {
  std::string keras_weight;  // its short name in the file: "kernel", "gamma", "moving_mean", ...
  std::vector<int> shape;    // blnk's, which is Keras's
  bool state = false;        // in the network's state array, else in its parameters
  std::size_t offset = 0;    // floats from the start of the blnk layer's parameter or state block
  bool in_file = true;       // false: the config says Keras has no such weight (use_bias, center or
  float fill = 0.0f;         // scale false; a Rescaling): every value is `fill`
  std::size_t size() const {
    std::size_t s = 1;
    for (int d : shape) s *= std::size_t(d);
    return s;
  }
};

// A Keras layer whose weights go into a blnk layer (a Conv2D, Dense or
// BatchNormalization of its own, or a part of a residual block).
struct WeightedLayer {
  std::string keras_name;        // e.g. "conv2d_1": its group under model_weights/
  std::string keras_class;       // "Conv2D", "Dense", "BatchNormalization", "Rescaling"
  std::size_t blnk_layer = 0;    // index of the layer in the spec
  std::vector<WeightSlot> slots;
  // A BatchNormalization inside a residual block keeps blnk's epsilon (the res token has
  // no option for it): its gamma is rescaled so that inference divides by
  // sqrt(variance + keras_epsilon), as Keras does. Equal when nothing is to be done.
  float keras_epsilon = 0.0f, blnk_epsilon = 0.0f;
  bool reads_file() const {
    for (const WeightSlot& s : slots)
      if (s.in_file) return true;
    return false;
  }
};

struct KerasPlan {
  std::string model_class;  // "Sequential" or "Functional"
  std::string spec;         // blnk spec tokens, one or none per Keras layer
  Shape input;
  std::vector<WeightedLayer> weighted;  // in the model's order
  std::size_t param_count = 0;
};

// Maps a model_config to a blnk spec. Throws Error starting with `source`, naming
// the Keras layer and what blnk does not support.
KerasPlan plan_keras_model(std::string_view model_config, const std::string& source);

// A weight as the file holds it: "conv2d/kernel:0" and its dimensions.
struct FoundWeight {
  std::string stored_name;
  std::vector<std::uint64_t> dims;
};

// "conv2d/kernel:0" -> "kernel" (Keras 2); "conv2d/kernel" -> "kernel" (Keras 3).
std::string weight_short_name(std::string_view stored_name);

// For each of layer.slots: the index into `found` of the weight that supplies it, or
// -1 for a slot filled from the config (use_bias false: zeros). Throws Error naming
// `source`, the layer and the weight when one is missing, is not one the layer takes,
// appears twice, or has a shape other than blnk's.
std::vector<int> match_weights(const WeightedLayer& layer, const std::vector<FoundWeight>& found,
                               const std::string& source);

// Rescales the gamma of a BatchNormalization whose blnk epsilon differs from Keras's
// (WeightedLayer::keras_epsilon), once its slots are loaded: `params` and `state` are
// the blnk layer's blocks. Nothing when the epsilons are equal.
void match_epsilon(const WeightedLayer& layer, float* params, const float* state);

}  // namespace blnk::keras
