// From a Keras model to a blnk spec: the model_config JSON a Keras .h5 file
// carries (Sequential, or a Functional model whose layers form a chain) mapped
// layer by layer to spec tokens (layers/registry.h), and the weights found in the
// file checked against the shapes blnk's layers need. Pure functions over text
// and shapes, no file access, so they are fuzzed directly (tests/fuzz/targets/fuzz_keras.cpp).
//
// Mapped: InputLayer; Conv2D (filters, kernel, strides, valid/same padding,
// relu/linear, use_bias); MaxPooling2D (pool size, strides, padding); Dropout;
// Flatten; Dense (relu/linear, softmax on the last layer); Activation and ReLU
// layers that are a plain ReLU, a linear identity, or a final softmax. Keras
// kernels are (kh, kw, in, out) and Dense kernels (in, out), channels last, as
// blnk stores them: the values are copied as they are.
// blnk's last layer gives logits (softmax comes with prediction), so a final
// softmax maps to a linear last layer; a last layer with another activation
// keeps it, and blnk's probabilities are then the softmax of Keras's outputs.
// Everything else (another layer kind or activation, channels_first, dilation,
// groups, a graph that is not a chain) is refused naming the layer and why.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/shape.h"
#include "layers/layer.h"

namespace blnk::keras {

inline constexpr std::size_t kMaxConfigBytes = std::size_t(1) << 20;  // the seed's is 5 KB
inline constexpr int kMaxConfigDepth = 64;   // JSON nesting (the seed's: 7)
inline constexpr std::size_t kMaxLayers = 512;

// A Keras layer that carries weights, and what blnk needs for it.
struct WeightedLayer {
  std::string keras_name;        // e.g. "conv2d_1": its group under model_weights/
  std::string keras_class;       // "Conv2D" or "Dense"
  bool use_bias = true;          // false: blnk's bias is imported as zeros
  std::size_t blnk_layer = 0;    // index of the layer in the spec
  std::vector<ParamInfo> params;  // blnk's kernel and bias, with their shapes
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

// For each of layer.params (kernel, bias): the index into `found` of the weight
// that supplies it, or -1 for a bias imported as zeros (use_bias false). Throws
// Error naming `source`, the layer and the weight when one is missing, is not a
// kernel or a bias, appears twice, or has a shape other than blnk's.
std::vector<int> match_weights(const WeightedLayer& layer, const std::vector<FoundWeight>& found,
                               const std::string& source);

}  // namespace blnk::keras
