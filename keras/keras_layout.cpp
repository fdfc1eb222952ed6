// Keras model_config -> blnk spec, and the weight shape checks (keras_layout.h).
#include "keras/keras_layout.h"

#include <cmath>
#include <cstdio>

#include "base/error.h"
#include "keras/keras_config.h"
#include "keras/keras_graph.h"
#include "layers/batchnorm.h"
#include "layers/registry.h"

namespace blnk::keras {
namespace {

constexpr const char* kSupported =
    "blnk imports InputLayer, Conv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, "
    "BatchNormalization, Dropout, Flatten, Dense, Activation, ReLU, Rescaling, and Add at the end of a "
    "residual block";

std::string pair_token(std::pair<int, int> p) {
  return p.first == p.second ? std::to_string(p.first)
                             : std::to_string(p.first) + "x" + std::to_string(p.second);
}

std::string number_text(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.9g", v);
  return text;
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

// A pooling layer's window as spec options, ":k=..:s=..": Keras's pool size 2 by
// default, `strides: null` the pool size.
std::string pool_window(const Where& at, const json& cfg) {
  expect_channels_last(at, cfg);
  const json* pool = member(cfg, "pool_size");
  const auto size = pool ? pair_of(at, *pool, "pool_size") : std::pair(2, 2);
  const json* s = member(cfg, "strides");
  return ":k=" + pair_token(size) + ":s=" + pair_token(s ? pair_of(at, *s, "strides") : size);
}

// A Conv2D's settings, with what blnk cannot do refused.
struct ConvSettings {
  int filters = 0;
  std::pair<int, int> kernel, strides{1, 1};
  std::string padding, activation;
  bool use_bias = true;
};

bool use_bias_of(const Where& at, const json& cfg) {
  const json* bias = member(cfg, "use_bias");
  if (bias && !bias->is_boolean()) at.fail("'use_bias' is not true or false");
  return !bias || bias->get<bool>();
}

ConvSettings conv_settings(const Where& at, const json& cfg, bool last) {
  expect_channels_last(at, cfg);
  if (const json* d = member(cfg, "dilation_rate"); d && pair_of(at, *d, "dilation_rate") != std::pair(1, 1))
    at.fail("dilation_rate " + d->dump() + " is not supported (only 1)");
  if (const json* g = member(cfg, "groups"); g && !(g->is_number_integer() && g->get<std::int64_t>() == 1))
    at.fail("groups " + g->dump() + " is not supported (only 1)");
  const json* kernel = member(cfg, "kernel_size");
  if (!kernel) at.fail("'kernel_size' is missing");
  ConvSettings c;
  c.activation = activation_of(at, cfg, last);
  if (c.activation == "softmax") at.fail("a softmax over a Conv2D's outputs is not supported");
  c.filters = int_of(at, cfg, "filters");
  c.kernel = pair_of(at, *kernel, "kernel_size");
  if (const json* s = member(cfg, "strides")) c.strides = pair_of(at, *s, "strides");
  c.padding = padding_of(at, cfg);
  c.use_bias = use_bias_of(at, cfg);
  return c;
}

// A BatchNormalization's settings: over the channels (the last axis of a tensor of
// `rank` dimensions, batch included), epsilon, momentum, and the weights the file
// lacks (center false: beta 0; scale false: gamma 1).
struct BnSettings {
  double epsilon = 1e-3, momentum = 0.99;
  std::vector<std::pair<std::string, float>> absent;
};

BnSettings bn_settings(const Where& at, const json& cfg, int rank) {
  BnSettings b;
  if (const json* axis = member(cfg, "axis")) {
    const json& a = axis->is_array() && axis->size() == 1 ? (*axis)[0] : *axis;
    if (!a.is_number_integer() || (a.get<std::int64_t>() != -1 && a.get<std::int64_t>() != rank - 1))
      at.fail("axis " + axis->dump() + " is not supported (blnk normalizes over the channels: -1)");
  }
  for (const char* key : {"renorm", "synchronized"})
    if (const json* v = member(cfg, key); v && !(v->is_boolean() && !v->get<bool>()))
      at.fail(std::string("'") + key + "' " + v->dump() + " is not supported");
  for (const char* key : {"virtual_batch_size", "adjustment"})
    if (member(cfg, key)) at.fail(std::string("'") + key + "' is not supported");
  for (const auto& [key, weight, fill] : {std::tuple{"center", "beta", 0.0f}, std::tuple{"scale", "gamma", 1.0f}}) {
    const json* v = member(cfg, key);
    if (v && !v->is_boolean()) at.fail(std::string("'") + key + "' is not true or false");
    if (v && !v->get<bool>()) b.absent.emplace_back(weight, fill);
  }
  b.epsilon = number_of(at, cfg, "epsilon", b.epsilon);
  b.momentum = number_of(at, cfg, "momentum", b.momentum);
  if (!(b.epsilon > 0.0 && b.epsilon < 1.0)) at.fail("epsilon " + number_text(b.epsilon) + " is not in (0, 1)");
  return b;
}

// What one Keras layer becomes: a spec token (or none), and where its weights go.
struct Mapped {
  std::string token;
  bool weighted = false;
  std::vector<std::pair<std::string, float>> absent;  // weights the file lacks, and their value
};

// The running state of the mapping: the tokens so far, the shape they give, and the
// rank of Keras's tensor there (4: (N, H, W, C); 2: (N, features)).
class Planner {
 public:
  Planner(const std::string& source, KerasPlan& plan) : source_(source), plan_(plan) {}

  void start(Shape input, int rank) {
    shape_ = input;
    rank_ = rank;
  }

  void add_layer(const GraphLayer& layer, bool last) {
    const Where here{source_, layer.label()};
    const Mapped m = map_layer(here, layer.cls, *layer.config, last);
    if (m.token.empty()) return;
    if (m.token == "relu" && !tokens_.empty() && tokens_.back().rfind(kLinearBn, 0) == 0) {
      tokens_.back().replace(0, std::string(kLinearBn).size(), "bn:act=relu");  // the ReLU joins the bn
      return;
    }
    const auto built = build(here, m.token);
    if (m.weighted) add_weights(layer, *built, "", m.absent, 0.0f, 0.0f);
    finish(m.token, *built);
    // Keras's tensor loses its height and width in a Flatten and a gap without keepdims
    // (a Dense keeps the rank it reads).
    const json* keepdims = member(*layer.config, "keepdims");
    const bool keeps = keepdims && keepdims->is_boolean() && keepdims->get<bool>();
    if (m.token == "flatten" || (m.token == "gap" && !keeps)) rank_ = 2;
  }

  void add_residual(const KerasGraph& g, const ResidualLayers& r) {
    auto where = [&](std::size_t i) { return Where{source_, g.layers[i].label()}; };
    const ConvSettings c1 = conv_settings(where(r.conv1), *g.layers[r.conv1].config, false);
    const ConvSettings c2 = conv_settings(where(r.conv2), *g.layers[r.conv2].config, false);
    const int stride = c1.strides.first;
    const char* shape_text = ": blnk's res block is 3x3 convolutions with same padding, stride 1 or 2 in the first, "
                             "linear, each followed by a BatchNormalization";
    if (c1.kernel != std::pair(3, 3) || c1.padding != "same" || c1.activation != "linear" ||
        c1.strides.first != c1.strides.second || (stride != 1 && stride != 2))
      where(r.conv1).fail("kernel " + pair_token(c1.kernel) + ", strides " + pair_token(c1.strides) + ", padding " +
                          c1.padding + ", activation " + c1.activation + shape_text);
    if (c2.kernel != std::pair(3, 3) || c2.padding != "same" || c2.activation != "linear" ||
        c2.strides != std::pair(1, 1) || c2.filters != c1.filters)
      where(r.conv2).fail(std::to_string(c2.filters) + " filters (the block's first has " + std::to_string(c1.filters) +
                          "), kernel " + pair_token(c2.kernel) + ", strides " + pair_token(c2.strides) + ", padding " +
                          c2.padding + ", activation " + c2.activation + shape_text);
    for (std::size_t relu : {r.relu1, r.relu}) {
      const GraphLayer& l = g.layers[relu];
      if (map_layer(where(relu), l.cls, *l.config, false).token != "relu")
        where(relu).fail("is not a plain ReLU" + std::string(shape_text));
    }
    const bool blnk_shortcut = stride != 1 || shape_.c != c1.filters;
    if (r.shortcut_conv) {
      const ConvSettings cs = conv_settings(where(*r.shortcut_conv), *g.layers[*r.shortcut_conv].config, false);
      if (cs.kernel != std::pair(1, 1) || cs.strides != std::pair(stride, stride) || cs.activation != "linear" ||
          cs.filters != c1.filters)
        where(*r.shortcut_conv).fail("a shortcut of kernel " + pair_token(cs.kernel) + ", strides " +
                                     pair_token(cs.strides) + ", " + std::to_string(cs.filters) + " filters, activation " +
                                     cs.activation + ": blnk's res block takes a linear 1x1 convolution with the "
                                     "block's stride and filters");
      if (!blnk_shortcut)
        where(*r.shortcut_conv).fail("a shortcut convolution where the block keeps its shape (" + shape_.str() +
                                     "): blnk's res block adds its input itself there");
    } else if (blnk_shortcut) {
      where(r.add).fail("adds the block's input '" + g.layers[r.input].name + "' (" + shape_.str() + ") to '" +
                        g.layers[r.bn2].name + "' (" + std::to_string(c1.filters) + " channels, stride " +
                        std::to_string(stride) + "): the shapes differ");
    }
    const std::string token = "res" + std::to_string(c1.filters) + (stride == 2 ? ":s=2" : "");
    const auto built = build(where(r.conv1), token);
    const float blnk_eps = BatchNormConfig{}.epsilon;
    auto add_conv = [&](std::size_t i, const ConvSettings& c, const char* prefix) {
      std::vector<std::pair<std::string, float>> absent;
      if (!c.use_bias) absent.emplace_back("bias", 0.0f);
      add_weights(g.layers[i], *built, prefix, absent, 0.0f, 0.0f);
    };
    auto add_bn = [&](std::size_t i, const char* prefix) {
      const BnSettings b = bn_settings(where(i), *g.layers[i].config, rank_);
      const float keras_eps = float(b.epsilon);
      add_weights(g.layers[i], *built, prefix, b.absent, keras_eps == blnk_eps ? 0.0f : keras_eps,
                  keras_eps == blnk_eps ? 0.0f : blnk_eps);
    };
    add_conv(r.conv1, c1, "conv1/");
    add_bn(r.bn1, "bn1/");
    add_conv(r.conv2, c2, "conv2/");
    add_bn(r.bn2, "bn2/");
    if (r.shortcut_conv) {
      add_conv(*r.shortcut_conv,
               conv_settings(where(*r.shortcut_conv), *g.layers[*r.shortcut_conv].config, false), "shortcut/");
      add_bn(*r.shortcut_bn, "shortcut_bn/");
    }
    finish(token, *built);
  }

  std::string spec() const {
    std::string spec;
    for (const std::string& t : tokens_) spec += (spec.empty() ? "" : ",") + t;
    return spec;
  }
  bool empty() const { return tokens_.empty(); }

 private:
  static constexpr const char* kLinearBn = "bn:act=linear";

  Mapped map_layer(const Where& at, const std::string& cls, const json& cfg, bool last) const {
    Mapped m;
    if (cls == "Conv2D" || cls == "Convolution2D") {
      const ConvSettings c = conv_settings(at, cfg, last);
      m.token = "conv" + std::to_string(c.filters) + ":k=" + pair_token(c.kernel);
      if (member(cfg, "strides")) m.token += ":s=" + pair_token(c.strides);
      m.token += ":pad=" + c.padding + ":act=" + c.activation;
      m.weighted = true;
      if (!c.use_bias) m.absent.emplace_back("bias", 0.0f);
    } else if (cls == "Dense") {
      const std::string act = activation_of(at, cfg, last);
      m.token = "dense" + std::to_string(int_of(at, cfg, "units")) + ":act=" + (act == "softmax" ? "linear" : act);
      m.weighted = true;
      if (!use_bias_of(at, cfg)) m.absent.emplace_back("bias", 0.0f);
    } else if (cls == "MaxPooling2D" || cls == "MaxPool2D") {
      m.token = "pool" + pool_window(at, cfg) + ":pad=" + padding_of(at, cfg);
    } else if (cls == "AveragePooling2D" || cls == "AvgPool2D") {
      if (padding_of(at, cfg) != "valid")
        at.fail("padding 'same' is not supported here (blnk's avgpool is valid: every window inside the input)");
      m.token = "avgpool" + pool_window(at, cfg);
    } else if (cls == "GlobalAveragePooling2D" || cls == "GlobalAvgPool2D") {
      expect_channels_last(at, cfg);
      m.token = "gap";
    } else if (cls == "BatchNormalization") {
      const BnSettings b = bn_settings(at, cfg, rank_);
      m.token = kLinearBn;
      if (float(b.epsilon) != BatchNormConfig{}.epsilon) m.token += ":eps=" + number_text(float(b.epsilon));
      if (float(b.momentum) != BatchNormConfig{}.momentum) m.token += ":m=" + number_text(float(b.momentum));
      m.weighted = true;
      m.absent = b.absent;
    } else if (cls == "Rescaling") {
      // blnk's model takes pixels in [0, 1]; a Rescaling before any other layer reads
      // Keras's pixels in [0, 255]. The map in blnk's terms: x * scale + offset.
      const json* scale_value = member(cfg, "scale");
      if (scale_value && !scale_value->is_number()) at.fail("a scale per channel is not supported (" + scale_value->dump() + ")");
      const double scale = number_of(at, cfg, "scale", 1.0) * (tokens_.empty() ? 255.0 : 1.0);
      const double offset = number_of(at, cfg, "offset", 0.0);
      if (!std::isfinite(scale) || !std::isfinite(offset) || std::fabs(scale) > 1e6 || std::fabs(offset) > 1e6)
        at.fail("scale and offset must be finite numbers of at most 1e6 in size");
      if (std::fabs(scale - 1.0) <= 1e-6 && offset == 0.0) return m;  // 1/255 of [0, 255]: blnk's [0, 1] already
      // Otherwise a bn whose statistics make it the map: mean 0, variance 1 - epsilon.
      m.token = kLinearBn;
      m.weighted = true;
      m.absent = {{"gamma", float(scale)}, {"beta", float(offset)}, {"moving_mean", 0.0f},
                  {"moving_variance", 1.0f - BatchNormConfig{}.epsilon}};
    } else if (cls == "Dropout") {
      const json* rate = member(cfg, "rate");
      if (!rate || !rate->is_number() || !(rate->get<double>() >= 0.0 && rate->get<double>() < 1.0))
        at.fail("the dropout rate must be a number in [0, 1)");
      m.token = "drop" + number_text(rate->get<double>());
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
      at.fail("layer kind '" + cls + "' is not supported here (" + kSupported + ")");
    }
    return m;
  }

  // The layer of `token` built alone on the running shape, so that a misfit names the Keras layer.
  std::unique_ptr<Layer> build(const Where& here, const std::string& token) const {
    try {
      auto built = build_layers(token, shape_);
      return std::move(built[0]);
    } catch (const Error& e) {
      here.fail(std::string("blnk cannot build it for a ") + shape_.str() + " input: " + e.what());
    }
  }

  // The slots of the Keras layer's weights in the blnk layer's tensors named `prefix`<weight>.
  void add_weights(const GraphLayer& layer, const Layer& built, const std::string& prefix,
                   const std::vector<std::pair<std::string, float>>& absent, float keras_eps, float blnk_eps) {
    WeightedLayer w;
    w.keras_name = layer.name;
    w.keras_class = layer.cls;
    w.blnk_layer = tokens_.size();
    w.keras_epsilon = keras_eps;
    w.blnk_epsilon = blnk_eps;
    for (const bool state : {false, true})
      for (const ParamInfo& p : state ? built.state_info() : built.param_info())
        if (p.name.rfind(prefix, 0) == 0) w.slots.push_back({p.name.substr(prefix.size()), p.shape, state, p.offset});
    for (const auto& [name, fill] : absent)
      for (WeightSlot& slot : w.slots)
        if (slot.keras_weight == name) slot.in_file = false, slot.fill = fill;
    plan_.weighted.push_back(std::move(w));
  }

  void finish(const std::string& token, const Layer& built) {
    plan_.param_count += built.param_count();
    shape_ = built.output_shape();
    tokens_.push_back(token);
  }

  const std::string& source_;
  KerasPlan& plan_;
  std::vector<std::string> tokens_;
  Shape shape_;
  int rank_ = 4;
};

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
  const bool functional = plan.model_class == "Functional" || plan.model_class == "Model";
  if (!functional && plan.model_class != "Sequential")
    at.fail("model class '" + plan.model_class +
            "' is not supported (Sequential, or Functional: a chain of layers and residual blocks)");
  const KerasGraph graph = read_graph(at, *cfg, *layers, functional);

  // The input shape: an InputLayer, or the first layer's batch_input_shape.
  const GraphLayer& first = graph.layers[graph.steps.front().layer];
  const json* batch_shape = batch_shape_of(*first.config);
  if (!batch_shape)
    Where{source, first.label()}.fail("no input shape before this layer (blnk needs the model's input shape)");
  plan.input = input_of(Where{source, first.label()}, *batch_shape);
  Planner planner(source, plan);
  planner.start(plan.input, int(batch_shape->size()));
  const std::size_t last = graph.steps.back().layer;
  if (graph.layers[last].cls == "InputLayer") at.fail("the model has no layers besides its input");
  for (std::size_t i = 0; i < graph.steps.size(); ++i) {
    const GraphStep& step = graph.steps[i];
    const GraphLayer& layer = graph.layers[step.layer];
    if (step.block) {
      planner.add_residual(graph, *step.block);
    } else if (layer.cls == "InputLayer") {
      if (i != 0) Where{source, layer.label()}.fail("an InputLayer after the first layer is not supported");
    } else {
      planner.add_layer(layer, step.layer == last);
    }
  }
  if (planner.empty()) at.fail("the model has no layer blnk can run (only inputs and identities)");
  plan.spec = planner.spec();
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
  const Where at{source, layer_label(layer.keras_name, layer.keras_class)};
  std::string takes;
  for (const WeightSlot& slot : layer.slots)
    if (slot.in_file) takes += (takes.empty() ? "" : ", ") + slot.keras_weight;
  std::vector<int> supplier(layer.slots.size(), -1);
  for (std::size_t f = 0; f < found.size(); ++f) {
    const std::string name = weight_short_name(found[f].stored_name);
    std::size_t p = 0;
    while (p < layer.slots.size() && layer.slots[p].keras_weight != name) ++p;
    if (p == layer.slots.size())
      at.fail("weight '" + found[f].stored_name + "' is not one blnk takes from it (" + takes + "): not supported");
    const WeightSlot& slot = layer.slots[p];
    if (supplier[p] >= 0) at.fail("weight '" + name + "' appears twice");
    if (!slot.in_file) at.fail("has a weight '" + name + "' although its config says it has none");
    bool same = found[f].dims.size() == slot.shape.size();
    for (std::size_t d = 0; same && d < slot.shape.size(); ++d) same = found[f].dims[d] == std::uint64_t(slot.shape[d]);
    if (!same) {
      auto text = [](const auto& dims) {
        std::string s = "(";
        for (std::size_t d = 0; d < dims.size(); ++d) s += (d ? ", " : "") + std::to_string(dims[d]);
        return s + (dims.size() == 1 ? ",)" : ")");
      };
      at.fail("weight '" + found[f].stored_name + "' has shape " + text(found[f].dims) +
              ", but the config makes it " + text(slot.shape));
    }
    supplier[p] = int(f);
  }
  for (std::size_t p = 0; p < layer.slots.size(); ++p)
    if (supplier[p] < 0 && layer.slots[p].in_file)
      at.fail("weight '" + layer.slots[p].keras_weight + "' is missing from the file");
  return supplier;
}

void match_epsilon(const WeightedLayer& layer, float* params, const float* state) {
  if (layer.keras_epsilon == layer.blnk_epsilon) return;
  const WeightSlot* gamma = nullptr;
  const WeightSlot* variance = nullptr;
  for (const WeightSlot& slot : layer.slots) {
    if (slot.keras_weight == "gamma") gamma = &slot;
    if (slot.keras_weight == "moving_variance") variance = &slot;
  }
  if (!gamma || !variance) throw Error("match_epsilon: layer '" + layer.keras_name + "' is not a BatchNormalization");
  // Inference: gamma' / sqrt(var + blnk_eps) == gamma / sqrt(var + keras_eps).
  for (std::size_t c = 0; c < gamma->size(); ++c) {
    const double var = state[variance->offset + c];
    params[gamma->offset + c] =
        float(double(params[gamma->offset + c]) * std::sqrt((var + layer.blnk_epsilon) / (var + layer.keras_epsilon)));
  }
}

}  // namespace blnk::keras
