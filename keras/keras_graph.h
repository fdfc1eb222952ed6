// The graph of a Keras model as steps blnk can run one after the other: single
// layers, and residual blocks (a fork whose two branches an Add joins, then a ReLU)
// that become one `res` layer. Sequential models are a chain by construction; a
// Functional model's inbound_nodes say which layer reads which. Topology only: which
// layer plays which part; keras_layout.cpp checks each part's settings.
// Internal to blnk_keras_layout.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "keras/keras_config.h"

namespace blnk::keras {

struct GraphLayer {
  std::string name, cls;
  const json* config = nullptr;     // the layer's "config" object
  std::vector<std::string> inputs;  // the layers it reads, in order
  std::vector<std::size_t> readers;  // the layers that read it
  std::string label() const { return layer_label(name, cls); }
};

// The layers of a residual block, as indices into KerasGraph::layers. The main branch
// is conv1, bn1, relu1, conv2, bn2; the shortcut is the input itself or shortcut_conv
// and shortcut_bn; `add` joins them and `relu` follows.
struct ResidualLayers {
  std::size_t input = 0;  // the layer whose output the block reads
  std::size_t conv1 = 0, bn1 = 0, relu1 = 0, conv2 = 0, bn2 = 0, add = 0, relu = 0;
  std::optional<std::size_t> shortcut_conv, shortcut_bn;
};

// One step: a layer, or a residual block (`layer` is then its final ReLU).
struct GraphStep {
  std::size_t layer = 0;
  std::optional<ResidualLayers> block;
};

struct KerasGraph {
  std::vector<GraphLayer> layers;  // in the model_config's order
  std::vector<GraphStep> steps;    // from the input (the first step) to the output
};

// Reads the layers of a model_config (`functional`: with inbound_nodes, input_layers
// and output_layers in `model`) and orders them into steps. Throws Error naming the
// layer when the graph is anything but a chain of layers and residual blocks.
KerasGraph read_graph(const Where& at, const json& model, const json& layers, bool functional);

}  // namespace blnk::keras
