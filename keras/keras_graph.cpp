// A Keras model's graph as a chain of layers and residual blocks (keras_graph.h).
#include "keras/keras_graph.h"

#include <map>

namespace blnk::keras {
namespace {

constexpr const char* kBlockShape =
    "blnk imports two branches only as a residual block: Conv2D, BatchNormalization, ReLU, Conv2D, "
    "BatchNormalization, plus the block's input itself or a 1x1 Conv2D and BatchNormalization, joined by an "
    "Add that a ReLU follows (blnk's res layer)";

bool is_relu_layer(const GraphLayer& l) { return l.cls == "ReLU" || l.cls == "Activation"; }

// The single name in a Functional model's input_layers / output_layers.
std::string endpoint_of(const Where& at, const json& model, const char* key) {
  const json* v = member(model, key);
  if (!v) at.fail(std::string("the Functional model has no '") + key + "'");
  std::vector<std::string> names;
  collect_inbound(json::array({*v}), names);
  if (names.size() != 1)
    at.fail(std::string("the model has ") + std::to_string(names.size()) + " " + key +
            ": blnk imports models with one input and one output");
  return names[0];
}

std::string names_text(const std::vector<std::string>& names) {
  std::string s;
  for (const std::string& n : names) s += (s.empty() ? "'" : ", '") + n + "'";
  return s;
}

class GraphReader {
 public:
  GraphReader(const Where& at, KerasGraph& graph) : at_(at), g_(graph), seen_(graph.layers.size(), false) {}

  void walk(std::size_t input, std::size_t output) {
    if (!g_.layers[input].inputs.empty()) fail(input, "the model's input layer reads other layers");
    std::size_t here = input;
    visit(here);
    g_.steps.push_back({here, std::nullopt});
    while (here != output) {
      const std::vector<std::size_t>& readers = g_.layers[here].readers;
      if (readers.empty())
        fail(here, "nothing reads its output, and it is not the model's output ('" + g_.layers[output].name + "')");
      if (readers.size() == 1) {
        const GraphLayer& next = g_.layers[readers[0]];
        if (next.inputs.size() != 1)
          fail(readers[0], "reads " + std::to_string(next.inputs.size()) + " inputs (" + names_text(next.inputs) +
                               "): " + kBlockShape);
        here = readers[0];
        visit(here);
        g_.steps.push_back({here, std::nullopt});
      } else if (readers.size() == 2) {
        const ResidualLayers block = residual_from(here);
        here = block.relu;
        g_.steps.push_back({here, block});
      } else {
        fail(here, "its output feeds " + std::to_string(readers.size()) + " layers: " + kBlockShape);
      }
    }
    for (std::size_t i = 0; i < g_.layers.size(); ++i)
      if (!seen_[i]) fail(i, "is not on the path from the model's input to its output: blnk imports one path");
  }

 private:
  [[noreturn]] void fail(std::size_t layer, const std::string& why) const {
    Where{at_.source, g_.layers[layer].label()}.fail(why);
  }

  void visit(std::size_t layer) {
    if (seen_[layer]) fail(layer, "is reached twice: the graph has a cycle");
    seen_[layer] = true;
  }

  // The layers of one branch from `start` up to the layer with two inputs that ends it.
  std::size_t follow(std::size_t fork, std::size_t start, std::vector<std::size_t>& chain) const {
    constexpr std::size_t kLongestBranch = 5;  // conv, bn, relu, conv, bn
    std::size_t here = start;
    while (g_.layers[here].inputs.size() < 2) {
      chain.push_back(here);
      if (chain.size() > kLongestBranch)
        fail(fork, "a branch from it is longer than a residual block's (" + g_.layers[start].name + " ...): " +
                       kBlockShape);
      if (g_.layers[here].readers.size() != 1)
        fail(here, "inside a branch from '" + g_.layers[fork].name + "', its output feeds " +
                       std::to_string(g_.layers[here].readers.size()) + " layers: " + kBlockShape);
      here = g_.layers[here].readers[0];
    }
    return here;
  }

  bool classes_are(const std::vector<std::size_t>& chain, const std::vector<const char*>& classes) const {
    if (chain.size() != classes.size()) return false;
    for (std::size_t i = 0; i < chain.size(); ++i) {
      const GraphLayer& l = g_.layers[chain[i]];
      if (std::string(classes[i]) == "ReLU" ? !is_relu_layer(l) : l.cls != classes[i]) return false;
    }
    return true;
  }

  std::string chain_text(const std::vector<std::size_t>& chain) const {
    if (chain.empty()) return "the input itself";
    std::string s;
    for (std::size_t i : chain) s += (s.empty() ? "" : ", ") + g_.layers[i].name + " (" + g_.layers[i].cls + ")";
    return s;
  }

  ResidualLayers residual_from(std::size_t fork) {
    const std::vector<std::size_t>& readers = g_.layers[fork].readers;
    std::vector<std::size_t> a, b;
    const std::size_t join_a = follow(fork, readers[0], a);
    const std::size_t join_b = follow(fork, readers[1], b);
    if (join_a != join_b)
      fail(fork, "its two branches end in different layers ('" + g_.layers[join_a].name + "' and '" +
                     g_.layers[join_b].name + "'): " + kBlockShape);
    const GraphLayer& join = g_.layers[join_a];
    if (join.cls != "Add" || join.inputs.size() != 2)
      fail(join_a, std::string("joins the branches from '") + g_.layers[fork].name + "': " + kBlockShape);
    const std::vector<std::size_t>& main = a.size() >= b.size() ? a : b;
    const std::vector<std::size_t>& shortcut = a.size() >= b.size() ? b : a;
    const bool main_ok = classes_are(main, {"Conv2D", "BatchNormalization", "ReLU", "Conv2D", "BatchNormalization"});
    const bool shortcut_ok = shortcut.empty() || classes_are(shortcut, {"Conv2D", "BatchNormalization"});
    if (!main_ok || !shortcut_ok)
      fail(join_a, "adds " + chain_text(main) + " and " + chain_text(shortcut) + ": " + kBlockShape);
    if (join.readers.size() != 1 || !is_relu_layer(g_.layers[join.readers[0]]) ||
        g_.layers[join.readers[0]].inputs.size() != 1)
      fail(join_a, std::string("is not followed by one ReLU: ") + kBlockShape);
    ResidualLayers r;
    r.input = fork;
    r.conv1 = main[0], r.bn1 = main[1], r.relu1 = main[2], r.conv2 = main[3], r.bn2 = main[4];
    if (!shortcut.empty()) r.shortcut_conv = shortcut[0], r.shortcut_bn = shortcut[1];
    r.add = join_a;
    r.relu = join.readers[0];
    for (std::size_t i : main) visit(i);
    for (std::size_t i : shortcut) visit(i);
    visit(r.add);
    visit(r.relu);
    return r;
  }

  const Where& at_;
  KerasGraph& g_;
  std::vector<bool> seen_;
};

}  // namespace

KerasGraph read_graph(const Where& at, const json& model, const json& layers, bool functional) {
  KerasGraph g;
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    GraphLayer l;
    l.cls = string_of(at, layers[i], "class_name");
    const json* cfg = member(layers[i], "config");
    if (!cfg || !cfg->is_object()) at.fail("layer " + std::to_string(i) + " (" + l.cls + ") has no config");
    l.config = cfg;
    // Keras names a layer in its config; Functional models repeat it beside.
    l.name = member(*cfg, "name") ? string_of(at, *cfg, "name") : string_of(at, layers[i], "name", "?");
    if (functional) {
      const Where here{at.source, l.label()};
      const json* nodes = member(layers[i], "inbound_nodes");
      if (nodes && nodes->is_array() && nodes->size() > 1)
        here.fail("is called " + std::to_string(nodes->size()) + " times (a shared layer): not supported");
      if (nodes) collect_inbound(*nodes, l.inputs);
    } else if (i > 0) {
      l.inputs = {g.layers[i - 1].name};
    }
    if (!index.emplace(l.name, i).second) at.fail("two layers are named '" + l.name + "'");
    g.layers.push_back(std::move(l));
  }
  for (std::size_t i = 0; i < g.layers.size(); ++i)
    for (const std::string& input : g.layers[i].inputs) {
      const auto it = index.find(input);
      if (it == index.end())
        Where{at.source, g.layers[i].label()}.fail("reads '" + input + "', which is not a layer of the model");
      g.layers[it->second].readers.push_back(i);
    }
  std::size_t input = 0, output = g.layers.size() - 1;
  if (functional) {
    auto find = [&](const char* key) {
      const std::string name = endpoint_of(at, model, key);
      const auto it = index.find(name);
      if (it == index.end()) at.fail(std::string(key) + " names '" + name + "', which is not a layer of the model");
      return it->second;
    };
    input = find("input_layers");
    output = find("output_layers");
  }
  GraphReader(at, g).walk(input, output);
  return g;
}

}  // namespace blnk::keras
