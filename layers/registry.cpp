// Parsing of spec tokens into layers.
#include "layers/registry.h"

#include <charconv>
#include <cmath>

#include "base/error.h"
#include "layers/avgpool2d.h"
#include "layers/batchnorm.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/dropout.h"
#include "layers/flatten.h"
#include "layers/int8_conv.h"
#include "layers/maxpool2d.h"
#include "layers/relu.h"
#include "layers/residual.h"

namespace blnk {
namespace {

// Bounds that keep every size product within 64 bits (the network then caps the
// total parameter count): filters and units, kernel and pool sizes and strides.
constexpr int kMaxUnits = 1 << 16;
constexpr int kMaxWindow = 1 << 10;

struct Token {
  std::string text;  // the whole token, for messages
  std::string name;  // leading letters
  std::string number;
  std::vector<std::pair<std::string, std::string>> options;
};

[[noreturn]] void fail(const Token& t, const std::string& why) {
  throw Error("model spec: layer '" + t.text + "': " + why);
}

Token split_token(const std::string& text) {
  Token t;
  t.text = text;
  std::size_t i = 0;
  while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) t.name += text[i++];
  while (i < text.size() && text[i] != ':') t.number += text[i++];
  while (i < text.size()) {
    ++i;  // ':'
    std::size_t end = text.find(':', i);
    if (end == std::string::npos) end = text.size();
    const std::string option = text.substr(i, end - i);
    const std::size_t eq = option.find('=');
    if (eq == std::string::npos || eq == 0) fail(t, "option '" + option + "' is not key=value");
    t.options.emplace_back(option.substr(0, eq), option.substr(eq + 1));
    i = end;
  }
  return t;
}

int parse_int(const Token& t, const std::string& s, const char* what, int max = kMaxUnits) {
  int v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 1 || v > max)
    fail(t, std::string(what) + " must be a whole number from 1 to " + std::to_string(max) +
                ", got '" + s + "'");
  return v;
}

// "3" -> (3, 3); "3x5" -> (3, 5).
std::pair<int, int> parse_pair(const Token& t, const std::string& s, const char* what) {
  const std::size_t x = s.find('x');
  if (x == std::string::npos) {
    const int v = parse_int(t, s, what, kMaxWindow);
    return {v, v};
  }
  return {parse_int(t, s.substr(0, x), what, kMaxWindow),
          parse_int(t, s.substr(x + 1), what, kMaxWindow)};
}

Padding parse_padding(const Token& t, const std::string& s) {
  if (s == "same") return Padding::same;
  if (s == "valid") return Padding::valid;
  fail(t, "pad must be 'same' or 'valid', got '" + s + "'");
}

bool parse_activation(const Token& t, const std::string& s) {
  if (s == "relu") return true;
  if (s == "linear" || s == "none") return false;
  fail(t, "act must be 'relu' or 'linear', got '" + s + "'");
}

// q=int8: the quantized layer (layers/int8_conv.h), which `blnk quantize` writes.
bool parse_quantization(const Token& t, const std::string& s) {
  if (s == "int8") return true;
  fail(t, "q must be 'int8' (a quantized layer, made by blnk quantize), got '" + s + "'");
}

void expect_no_number(const Token& t) {
  if (!t.number.empty()) fail(t, "takes no number");
}

// Where a token stands: a conv or dense directly followed by bn is linear unless
// told (the ReLU comes after the bn), and that bn takes the ReLU.
struct Place {
  bool last = false;
  std::string before, after;  // the neighbours' kind names ("" at the ends)
};

std::unique_ptr<Layer> make_conv(const Token& t, Shape in, const Place& place) {
  Conv2DConfig cfg;
  cfg.filters = parse_int(t, t.number, "the filter count");
  cfg.relu = place.after != "bn";
  bool int8 = false;
  for (const auto& [k, v] : t.options) {
    if (k == "k") std::tie(cfg.kernel_h, cfg.kernel_w) = parse_pair(t, v, "the kernel size");
    else if (k == "s") std::tie(cfg.stride_h, cfg.stride_w) = parse_pair(t, v, "the stride");
    else if (k == "pad") cfg.padding = parse_padding(t, v);
    else if (k == "act") cfg.relu = parse_activation(t, v);
    else if (k == "q") int8 = parse_quantization(t, v);
    else fail(t, "unknown option '" + k + "' (conv takes k, s, pad, act, q)");
  }
  if (int8) return std::make_unique<Int8Conv>(in, cfg, false);
  return std::make_unique<Conv2D>(in, cfg);
}

std::unique_ptr<Layer> make_pool(const Token& t, Shape in, const Place&) {
  MaxPool2DConfig cfg;
  bool stride_given = false;
  if (!t.number.empty()) std::tie(cfg.pool_h, cfg.pool_w) = parse_pair(t, t.number, "the pool size");
  for (const auto& [k, v] : t.options) {
    if (k == "k") std::tie(cfg.pool_h, cfg.pool_w) = parse_pair(t, v, "the pool size");
    else if (k == "s") {
      std::tie(cfg.stride_h, cfg.stride_w) = parse_pair(t, v, "the stride");
      stride_given = true;
    } else if (k == "pad") cfg.padding = parse_padding(t, v);
    else fail(t, "unknown option '" + k + "' (pool takes k, s, pad)");
  }
  if (!stride_given) cfg.stride_h = cfg.pool_h, cfg.stride_w = cfg.pool_w;  // as Keras
  return std::make_unique<MaxPool2D>(in, cfg);
}

std::unique_ptr<Layer> make_dropout(const Token& t, Shape in, const Place&) {
  if (!t.options.empty()) fail(t, "takes no options");
  float rate = 0;
  const auto [end, ec] = std::from_chars(t.number.data(), t.number.data() + t.number.size(), rate);
  if (t.number.empty() || ec != std::errc() || end != t.number.data() + t.number.size() ||
      !(rate >= 0.0f && rate < 1.0f))
    fail(t, "the dropout rate must be a number in [0, 1), e.g. drop0.25");
  return std::make_unique<Dropout>(in, rate);
}

std::unique_ptr<Layer> make_flatten(const Token& t, Shape in, const Place&) {
  expect_no_number(t);
  if (!t.options.empty()) fail(t, "takes no options");
  return std::make_unique<Flatten>(in);
}

std::unique_ptr<Layer> make_relu(const Token& t, Shape in, const Place&) {
  expect_no_number(t);
  if (!t.options.empty()) fail(t, "takes no options");
  return std::make_unique<ReLU>(in);
}

std::unique_ptr<Layer> make_dense(const Token& t, Shape in, const Place& place) {
  const int units = parse_int(t, t.number, "the unit count");
  bool relu = !place.last && place.after != "bn";
  bool int8 = false;
  for (const auto& [k, v] : t.options) {
    if (k == "act") relu = parse_activation(t, v);
    else if (k == "q") int8 = parse_quantization(t, v);
    else fail(t, "unknown option '" + k + "' (dense takes act, q)");
  }
  if (in.h != 1 || in.w != 1)
    fail(t, "needs a flat input, got " + in.str() + " (put 'flatten' before it)");
  if (int8) {
    Conv2DConfig cfg;
    cfg.filters = units;
    cfg.kernel_h = cfg.kernel_w = 1;
    cfg.padding = Padding::valid;
    cfg.relu = relu;
    return std::make_unique<Int8Conv>(in, cfg, true);
  }
  return std::make_unique<Dense>(in, units, relu);
}

float parse_float(const Token& t, const std::string& s, const char* what, float low, float high) {
  float v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !(v > low && v < high))
    fail(t, std::string(what) + " must be a number in (" + std::to_string(low) + ", " + std::to_string(high) +
                "), got '" + s + "'");
  return v;
}

std::unique_ptr<Layer> make_batchnorm(const Token& t, Shape in, const Place& place) {
  expect_no_number(t);
  BatchNormConfig cfg;
  cfg.relu = place.before == "conv" || place.before == "dense";
  for (const auto& [k, v] : t.options) {
    if (k == "act") cfg.relu = parse_activation(t, v);
    else if (k == "eps") cfg.epsilon = parse_float(t, v, "eps", 0.0f, 1.0f);
    else if (k == "m") cfg.momentum = parse_float(t, v, "m (the momentum)", 0.0f, 1.0f);
    else fail(t, "unknown option '" + k + "' (bn takes act, eps, m)");
  }
  return std::make_unique<BatchNorm>(in, cfg);
}

std::unique_ptr<Layer> make_avgpool(const Token& t, Shape in, const Place&) {
  expect_no_number(t);
  std::pair<int, int> pool{2, 2}, stride{0, 0};
  for (const auto& [k, v] : t.options) {
    if (k == "k") pool = parse_pair(t, v, "the pool size");
    else if (k == "s") stride = parse_pair(t, v, "the stride");
    else fail(t, "unknown option '" + k + "' (avgpool takes k, s)");
  }
  if (stride.first == 0) stride = pool;  // as Keras
  return std::make_unique<AvgPool2D>(in, pool.first, pool.second, stride.first, stride.second);
}

std::unique_ptr<Layer> make_gap(const Token& t, Shape in, const Place&) {
  expect_no_number(t);
  if (!t.options.empty()) fail(t, "takes no options");
  return std::make_unique<GlobalAvgPool>(in);
}

std::unique_ptr<Layer> make_residual(const Token& t, Shape in, const Place&) {
  const int filters = parse_int(t, t.number, "the filter count");
  int stride = 1;
  bool batch_norm = true;
  for (const auto& [k, v] : t.options) {
    if (k == "s") {
      if (v != "1" && v != "2") fail(t, "s must be 1 or 2, got '" + v + "'");
      stride = v[0] - '0';
    } else if (k == "norm") {
      if (v != "bn" && v != "none") fail(t, "norm must be 'bn' or 'none', got '" + v + "'");
      batch_norm = v == "bn";
    } else {
      fail(t, "unknown option '" + k + "' (res takes s, norm)");
    }
  }
  return std::make_unique<ResidualBlock>(in, filters, stride, batch_norm);
}

using Factory = std::unique_ptr<Layer> (*)(const Token&, Shape, const Place&);
struct Entry {
  LayerKind kind;
  Factory make;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> table = {
      {{"conv", "conv<F>[:k=3][:s=1][:pad=same|valid][:act=relu|linear][:q=int8]",
        "Conv2D with F filters, ReLU by default; q=int8: quantized (blnk quantize)"},
       make_conv},
      {{"pool", "pool[:k=2][:s=k][:pad=valid|same]", "MaxPooling2D"}, make_pool},
      {{"drop", "drop<rate>", "Dropout (inverted, training only)"}, make_dropout},
      {{"flatten", "flatten", "Flatten in height, width, channel order"}, make_flatten},
      {{"dense", "dense<U>[:act=relu|linear][:q=int8]",
        "Dense, ReLU by default, linear as last layer; q=int8: quantized"},
       make_dense},
      {{"relu", "relu", "ReLU"}, make_relu},
      {{"bn", "bn[:act=relu|linear][:eps=0.001][:m=0.99]",
        "BatchNormalization; ReLU after a conv or dense (which are then linear)"},
       make_batchnorm},
      {{"avgpool", "avgpool[:k=2][:s=k]", "AveragePooling2D (valid)"}, make_avgpool},
      {{"gap", "gap", "GlobalAveragePooling2D: (h, w, c) -> c"}, make_gap},
      {{"res", "res<F>[:s=1|2][:norm=bn|none]",
        "residual basic block: 3x3 conv, bn, ReLU, 3x3 conv, bn, + shortcut, ReLU"},
       make_residual},
  };
  return table;
}

}  // namespace

const std::vector<LayerKind>& layer_kinds() {
  static const std::vector<LayerKind> kinds = [] {
    std::vector<LayerKind> k;
    for (const auto& e : entries()) k.push_back(e.kind);
    return k;
  }();
  return kinds;
}

std::vector<std::unique_ptr<Layer>> build_layers(const std::string& spec, Shape input) {
  constexpr std::size_t kMaxSpecLength = 4096;
  if (spec.size() > kMaxSpecLength)
    throw Error("model spec: longer than " + std::to_string(kMaxSpecLength) + " characters");
  std::vector<std::string> texts;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = spec.find(',', start);
    std::string text = spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    while (!text.empty() && text.front() == ' ') text.erase(text.begin());
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (text.empty()) throw Error("model spec: empty layer in '" + spec + "'");
    texts.push_back(text);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  std::vector<Token> tokens;
  for (const std::string& text : texts) tokens.push_back(split_token(text));
  std::vector<std::unique_ptr<Layer>> layers;
  Shape shape = input;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const Token& token = tokens[i];
    Place place;
    place.last = i + 1 == texts.size();
    place.before = i > 0 ? tokens[i - 1].name : "";
    place.after = i + 1 < texts.size() ? tokens[i + 1].name : "";
    const Entry* entry = nullptr;
    for (const auto& e : entries())
      if (token.name == e.kind.name) entry = &e;
    if (!entry) fail(token, "unknown layer kind '" + token.name + "'");
    try {
      layers.push_back(entry->make(token, shape, place));
    } catch (const Error& e) {
      const std::string what = e.what();
      if (what.rfind("model spec:", 0) == 0) throw;
      fail(token, what);
    }
    shape = layers.back()->output_shape();
    // Bound every activation so a hostile spec (e.g. in a model file) cannot
    // make the network plan an absurd amount of memory.
    constexpr std::size_t kMaxActivation = std::size_t(1) << 26;
    if (shape.size() > kMaxActivation) fail(token, "output " + shape.str() + " is too large");
  }
  return layers;
}

std::vector<std::string> spec_tokens(const std::string& spec) {
  std::vector<std::string> tokens;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = spec.find(',', start);
    tokens.push_back(spec.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return tokens;
    start = comma + 1;
  }
}

std::string canonical_spec(const std::vector<std::unique_ptr<Layer>>& layers) {
  std::string spec;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    std::string token = layers[i]->spec();
    // A conv before a bn is linear unless told: its ReLU must then be said.
    const auto* conv = dynamic_cast<const Conv2D*>(layers[i].get());
    if (conv && conv->config().relu && i + 1 < layers.size() &&
        dynamic_cast<const BatchNorm*>(layers[i + 1].get()))
      token += ":act=relu";
    spec += (spec.empty() ? "" : ",") + token;
  }
  return spec;
}

}  // namespace blnk
