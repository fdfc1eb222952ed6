// Reading a Keras model_config (nlohmann-json): the lookups every part of the
// mapping shares, each failing with a message that names the source file and the
// Keras layer. Internal to blnk_keras_layout (keras_layout.cpp, keras_graph.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "keras/keras_layout.h"

namespace blnk::keras {

using nlohmann::json;

// Keras sizes beyond this are refused before they reach the registry (which has
// its own, larger bounds): they keep every number an int.
inline constexpr std::int64_t kMaxKerasSize = 1 << 16;

// Where a message points: the source file and, once known, the Keras layer.
struct Where {
  const std::string& source;
  std::string layer;  // "layer 'conv2d' (Conv2D)"
  [[noreturn]] void fail(const std::string& why) const;
};

// "layer 'conv2d' (Conv2D)"
std::string layer_label(const std::string& name, const std::string& cls);

// The member `key` of an object, or null when absent or JSON null.
const json* member(const json& object, const char* key);
std::string string_of(const Where& at, const json& object, const char* key, const char* fallback = nullptr);
int size_of(const Where& at, const json& v, const char* key);
int int_of(const Where& at, const json& object, const char* key);
// Keras writes sizes as [h, w] and accepts a single number for both.
std::pair<int, int> pair_of(const Where& at, const json& v, const char* key);
// A number setting (`fallback` when absent).
double number_of(const Where& at, const json& object, const char* key, double fallback);

// The names of the layers a Functional layer's inbound nodes read from: Keras 2
// writes [[["name", 0, 0, {}]]], Keras 3 {"args": [{"config": {"keras_history": ["name", 0, 0]}}]}.
void collect_inbound(const json& node, std::vector<std::string>& names, int depth = 0);

}  // namespace blnk::keras
