// Keras model_config -> blnk spec, and the weight shape checks (keras_layout.h).
#include "keras/keras_layout.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "layers/registry.h"

namespace blnk::keras {
namespace {

using nlohmann::json;

// Keras sizes beyond this are refused before they reach the registry (which has
// its own, larger bounds): they keep every number an int.
constexpr std::int64_t kMaxSize = 1 << 16;

// Where a message points: the source file and, once known, the Keras layer.
struct Where {
  const std::string& source;
  std::string layer;  // "layer 'conv2d' (Conv2D)"
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(source + ": " + (layer.empty() ? "" : layer + ": ") + why);
  }
};

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string string_of(const Where& at, const json& object, const char* key, const char* fallback = nullptr) {
  const json* v = member(object, key);
  if (!v) {
    if (fallback) return fallback;
    at.fail(std::string("'") + key + "' is missing");
  }
  if (!v->is_string()) at.fail(std::string("'") + key + "' is not a string");
  return v->get<std::string>();
}

int size_of(const Where& at, const json& v, const char* key) {
  if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > kMaxSize)
    at.fail(std::string("'") + key + "' must be a whole number from 1 to " + std::to_string(kMaxSize) +
            ", got " + v.dump());
  return int(v.get<std::int64_t>());
}

int int_of(const Where& at, const json& object, const char* key) {
  const json* v = member(object, key);
  if (!v) at.fail(std::string("'") + key + "' is missing");
  return size_of(at, *v, key);
}

// Keras writes sizes as [h, w] and accepts a single number for both.
std::pair<int, int> pair_of(const Where& at, const json& v, const char* key) {
  if (v.is_number()) return {size_of(at, v, key), size_of(at, v, key)};
  if (!v.is_array() || v.size() != 2) at.fail(std::string("'") + key + "' must be [h, w], got " + v.dump());
  return {size_of(at, v[0], key), size_of(at, v[1], key)};
}

std::string pair_token(std::pair<int, int> p) {
  return p.first == p.second ? std::to_string(p.first)
                             : std::to_string(p.first) + "x" + std::to_string(p.second);
}

void expect_channels_last(const Where& at, const json& cfg) {
  const std::string format = string_of(at, cfg, "data_format", "channels_last");
  if (format != "channels_last")
    at.fail("data_format '" + format + "' is not supported (blnk is channels_last only)");
}

std::string padding_of(const Where& at, const json& cfg) {
  const std::string padding = string_of(at, cfg, "padding", "valid");
  if (padding != "valid" && padding != "same")
    at.fail("padding '" + padding + "' is not supported (only valid and same)");
  return padding;
}

// An activation as blnk's option value: "relu", "linear" or, on the last layer,
// "softmax" (blnk's prediction applies it).
std::string activation_of(const Where& at, const json& cfg, bool last) {
  const json* v = member(cfg, "activation");
  if (!v) return "linear";
  if (!v->is_string()) at.fail("an activation given as an object is not supported (" + v->dump() + ")");
  const std::string act = v->get<std::string>();
  if (act == "relu" || act == "linear") return act;
  if (act == "softmax" && last) return "softmax";
  if (act == "softmax")
    at.fail("activation 'softmax' is supported on the last layer only (blnk applies it to the outputs)");
  at.fail("activation '" + act + "' is not supported (relu, linear, and softmax on the last layer)");
}

// The Keras shape of a batch, [null, h, w, c] (or [null, h, w] or [null, n]), as blnk's input.
Shape input_of(const Where& at, const json& shape) {
  if (!shape.is_array() || shape.size() < 2 || shape.size() > 4)
    at.fail("input shape " + shape.dump() + " is not supported (blnk takes [h, w, c], [h, w] or [n])");
  std::vector<int> dims;
  for (std::size_t i = 1; i < shape.size(); ++i) {
    if (shape[i].is_null()) at.fail("input shape " + shape.dump() + " has a variable size: blnk needs fixed sizes");
    dims.push_back(size_of(at, shape[i], "input shape"));
  }
  if (dims.size() == 1) return Shape{1, 1, dims[0]};
  if (dims.size() == 2) return Shape{dims[0], dims[1], 1};
  return Shape{dims[0], dims[1], dims[2]};
}

const json* batch_shape_of(const json& cfg) {
  if (const json* s = member(cfg, "batch_input_shape")) return s;  // Keras 2
  return member(cfg, "batch_shape");                               // Keras 3
}

// The names of the layers a Functional layer's inbound nodes read from: Keras 2
// writes [[["name", 0, 0, {}]]], Keras 3 {"args": [{"config": {"keras_history": ["name", 0, 0]}}]}.
void collect_inbound(const json& node, std::vector<std::string>& names, int depth = 0) {
  if (depth > kMaxConfigDepth) return;
  if (node.is_array() && !node.empty() && node[0].is_string() && depth > 0 &&
      (node.size() == 3 || node.size() == 4) && node[1].is_number()) {
    names.push_back(node[0].get<std::string>());
    return;
  }
  if (node.is_object()) {
    if (const json* history = member(node, "keras_history"); history && history->is_array() &&
                                                            !history->empty() && (*history)[0].is_string()) {
      names.push_back((*history)[0].get<std::string>());
      return;
    }
    for (const auto& [key, value] : node.items())
      if (key != "kwargs") collect_inbound(value, names, depth + 1);
  } else if (node.is_array()) {
    for (const json& item : node) collect_inbound(item, names, depth + 1);
  }
}

// The single name in a Functional model's input_layers / output_layers.
std::string endpoint_of(const Where& at, const json& cfg, const char* key) {
  const json* v = member(cfg, key);
  if (!v) at.fail(std::string("the Functional model has no '") + key + "'");
  std::vector<std::string> names;
  collect_inbound(json::array({*v}), names);
  if (names.size() != 1)
    at.fail(std::string("the model has ") + std::to_string(names.size()) + " " + key +
            ": blnk imports models with one input and one output");
  return names[0];
}

// Checks that a Functional model's layers form a chain in list order.
void expect_chain(const Where& at, const json& cfg, const json& layers) {
  std::string previous;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string name = string_of(at, layers[i], "name");
    std::vector<std::string> inbound;
    if (const json* nodes = member(layers[i], "inbound_nodes")) collect_inbound(*nodes, inbound);
    const Where here{at.source, "layer '" + name + "'"};
    if (i == 0) {
      if (!inbound.empty()) here.fail("the first layer takes an input: the graph is not a chain");
    } else if (inbound.size() != 1 || inbound[0] != previous) {
      here.fail("takes its input from " +
                (inbound.empty() ? std::string("nothing")
                                 : "'" + inbound[0] + "'" + (inbound.size() > 1 ? " and others" : "")) +
                ", not from the layer before it ('" + previous +
                "'): blnk imports only models whose layers form a chain");
    }
    previous = name;
  }
  if (endpoint_of(at, cfg, "input_layers") != string_of(at, layers[0], "name"))
    at.fail("the model's input is not its first layer: the graph is not a chain");
  if (endpoint_of(at, cfg, "output_layers") != previous)
    at.fail("the model's output is not its last layer: the graph is not a chain");
}

json parse_config(std::string_view text, const Where& at) {
  if (text.size() > kMaxConfigBytes)
    at.fail("model_config is " + std::to_string(text.size()) + " bytes, more than the " +
            std::to_string(kMaxConfigBytes) + " blnk reads");
  // The depth limit keeps a hostile nesting from exhausting the stack.
  const json::parser_callback_t limit_depth = [&](int depth, json::parse_event_t, json&) {
    if (depth > kMaxConfigDepth)
      at.fail("model_config is nested more than " + std::to_string(kMaxConfigDepth) + " levels deep");
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), limit_depth);
  } catch (const json::exception& e) {
    at.fail(std::string("model_config is not valid JSON: ") + e.what());
  }
}

// What one Keras layer becomes: a spec token (or none), and whether it has weights.
struct Mapped {
  std::string token;
  bool weighted = false;
  bool use_bias = true;
};

Mapped map_layer(const Where& at, const std::string& cls, const json& cfg, bool last) {
  Mapped m;
  if (cls == "Conv2D" || cls == "Convolution2D") {
    expect_channels_last(at, cfg);
    if (const json* d = member(cfg, "dilation_rate"); d && pair_of(at, *d, "dilation_rate") != std::pair(1, 1))
      at.fail("dilation_rate " + d->dump() + " is not supported (only 1)");
    if (const json* g = member(cfg, "groups"); g && !(g->is_number_integer() && g->get<std::int64_t>() == 1))
      at.fail("groups " + g->dump() + " is not supported (only 1)");
    const json* kernel = member(cfg, "kernel_size");
    if (!kernel) at.fail("'kernel_size' is missing");
    const std::string act = activation_of(at, cfg, last);
    if (act == "softmax") at.fail("a softmax over a Conv2D's outputs is not supported");
    m.token = "conv" + std::to_string(int_of(at, cfg, "filters")) + ":k=" + pair_token(pair_of(at, *kernel, "kernel_size"));
    if (const json* s = member(cfg, "strides")) m.token += ":s=" + pair_token(pair_of(at, *s, "strides"));
    m.token += ":pad=" + padding_of(at, cfg) + ":act=" + act;
    m.weighted = true;
  } else if (cls == "Dense") {
    const std::string act = activation_of(at, cfg, last);
    m.token = "dense" + std::to_string(int_of(at, cfg, "units")) + ":act=" + (act == "softmax" ? "linear" : act);
    m.weighted = true;
  } else if (cls == "MaxPooling2D" || cls == "MaxPool2D") {
    expect_channels_last(at, cfg);
    const json* pool = member(cfg, "pool_size");
    const auto size = pool ? pair_of(at, *pool, "pool_size") : std::pair(2, 2);
    const json* s = member(cfg, "strides");
    m.token = "pool:k=" + pair_token(size) + ":s=" + pair_token(s ? pair_of(at, *s, "strides") : size) +
              ":pad=" + padding_of(at, cfg);
  } else if (cls == "Dropout") {
    const json* rate = member(cfg, "rate");
    if (!rate || !rate->is_number() || !(rate->get<double>() >= 0.0 && rate->get<double>() < 1.0))
      at.fail("the dropout rate must be a number in [0, 1)");
    char text[32];
    std::snprintf(text, sizeof text, "drop%.9g", rate->get<double>());
    m.token = text;
  } else if (cls == "Flatten") {
    expect_channels_last(at, cfg);
    m.token = "flatten";
  } else if (cls == "Activation") {
    const std::string act = activation_of(at, cfg, last);
    if (act == "relu") m.token = "relu";  // linear, and a final softmax, add nothing
  } else if (cls == "ReLU") {
    for (const char* key : {"max_value", "negative_slope", "threshold"})
      if (const json* v = member(cfg, key); v && !(v->is_number() && v->get<double>() == 0.0))
        at.fail(std::string("ReLU with ") + key + " " + v->dump() + " is not supported (a plain ReLU only)");
    m.token = "relu";
  } else if (cls == "Softmax" && last) {
  } else {
    at.fail("layer kind '" + cls +
            "' is not supported (blnk imports InputLayer, Conv2D, MaxPooling2D, Dropout, Flatten, Dense, "
            "Activation, ReLU)");
  }
  if (m.weighted) {
    const json* bias = member(cfg, "use_bias");
    if (bias && !bias->is_boolean()) at.fail("'use_bias' is not true or false");
    m.use_bias = !bias || bias->get<bool>();
  }
  return m;
}

}  // namespace

KerasPlan plan_keras_model(std::string_view model_config, const std::string& source) {
  const Where at{source, ""};
  const json root = parse_config(model_config, at);
  KerasPlan plan;
  plan.model_class = string_of(at, root, "class_name");
  const json* cfg = member(root, "config");
  if (!cfg) at.fail("model_config has no 'config'");
  const json* layers = cfg->is_array() ? cfg : member(*cfg, "layers");  // Keras 2.0-2.2 wrote the list alone
  if (!layers || !layers->is_array() || layers->empty()) at.fail("model_config lists no layers");
  if (layers->size() > kMaxLayers)
    at.fail("the model has " + std::to_string(layers->size()) + " layers, more than " + std::to_string(kMaxLayers));
  if (plan.model_class == "Functional" || plan.model_class == "Model") {
    expect_chain(at, *cfg, *layers);
  } else if (plan.model_class != "Sequential") {
    at.fail("model class '" + plan.model_class + "' is not supported (Sequential, or a Functional chain)");
  }

  // The input shape: an InputLayer, or the first layer's batch_input_shape.
  bool have_input = false;
  std::size_t last_layer = layers->size();  // the last layer that is not an InputLayer
  for (std::size_t i = 0; i < layers->size(); ++i)
    if (string_of(at, (*layers)[i], "class_name") != "InputLayer") last_layer = i;
  if (last_layer == layers->size()) at.fail("the model has no layers besides its input");

  std::vector<std::string> tokens;
  Shape shape;
  for (std::size_t i = 0; i < layers->size(); ++i) {
    const json& layer = (*layers)[i];
    const std::string cls = string_of(at, layer, "class_name");
    const json* lcfg = member(layer, "config");
    if (!lcfg || !lcfg->is_object()) at.fail("layer " + std::to_string(i) + " (" + cls + ") has no config");
    // Keras names a layer in its config; Functional models repeat it beside.
    const std::string name = member(*lcfg, "name") ? string_of(at, *lcfg, "name") : string_of(at, layer, "name", "?");
    const Where here{source, "layer '" + name + "' (" + cls + ")"};
    if (!have_input) {
      const json* batch_shape = batch_shape_of(*lcfg);
      if (!batch_shape) here.fail("no input shape before this layer (blnk needs the model's input shape)");
      plan.input = input_of(here, *batch_shape);
      shape = plan.input;
      have_input = true;
    }
    if (cls == "InputLayer") {
      if (i != 0) here.fail("an InputLayer after the first layer is not supported");
      continue;
    }
    const Mapped m = map_layer(here, cls, *lcfg, i == last_layer);
    if (m.token.empty()) continue;
    // Built alone on the running shape, so a misfit names this layer.
    std::vector<std::unique_ptr<Layer>> built;
    try {
      built = build_layers(m.token, shape);
    } catch (const Error& e) {
      here.fail(std::string("blnk cannot build it for a ") + shape.str() + " input: " + e.what());
    }
    if (m.weighted) {
      WeightedLayer w;
      w.keras_name = name;
      w.keras_class = cls;
      w.use_bias = m.use_bias;
      w.blnk_layer = tokens.size();
      w.params = built[0]->param_info();
      plan.weighted.push_back(std::move(w));
    }
    plan.param_count += built[0]->param_count();
    shape = built[0]->output_shape();
    tokens.push_back(m.token);
  }
  if (tokens.empty()) at.fail("the model has no layer blnk can run (only inputs and identities)");
  for (const std::string& t : tokens) plan.spec += (plan.spec.empty() ? "" : ",") + t;
  return plan;
}

std::string weight_short_name(std::string_view stored_name) {
  const std::size_t slash = stored_name.rfind('/');
  std::string_view name = slash == std::string_view::npos ? stored_name : stored_name.substr(slash + 1);
  const std::size_t colon = name.rfind(':');
  if (colon != std::string_view::npos) name = name.substr(0, colon);
  return std::string(name);
}

std::vector<int> match_weights(const WeightedLayer& layer, const std::vector<FoundWeight>& found,
                               const std::string& source) {
  const Where at{source, "layer '" + layer.keras_name + "' (" + layer.keras_class + ")"};
  std::vector<int> supplier(layer.params.size(), -1);
  for (std::size_t f = 0; f < found.size(); ++f) {
    const std::string name = weight_short_name(found[f].stored_name);
    std::size_t p = 0;
    while (p < layer.params.size() && layer.params[p].name != name) ++p;
    if (p == layer.params.size())
      at.fail("weight '" + found[f].stored_name + "' is not a kernel or a bias: not supported");
    if (supplier[p] >= 0) at.fail("weight '" + name + "' appears twice");
    if (name == "bias" && !layer.use_bias) at.fail("has a bias although its config says use_bias false");
    const std::vector<int>& want = layer.params[p].shape;
    bool same = found[f].dims.size() == want.size();
    for (std::size_t d = 0; same && d < want.size(); ++d) same = found[f].dims[d] == std::uint64_t(want[d]);
    if (!same) {
      auto text = [](const auto& dims) {
        std::string s = "(";
        for (std::size_t d = 0; d < dims.size(); ++d) s += (d ? ", " : "") + std::to_string(dims[d]);
        return s + (dims.size() == 1 ? ",)" : ")");
      };
      at.fail("weight '" + found[f].stored_name + "' has shape " + text(found[f].dims) +
              ", but the config makes it " + text(want));
    }
    supplier[p] = int(f);
  }
  for (std::size_t p = 0; p < layer.params.size(); ++p) {
    const bool zero_bias = layer.params[p].name == "bias" && !layer.use_bias;
    if (supplier[p] < 0 && !zero_bias) at.fail("weight '" + layer.params[p].name + "' is missing from the file");
  }
  return supplier;
}

}  // namespace blnk::keras
