// The model_config lookups the Keras mapping shares (keras_config.h).
#include "keras/keras_config.h"

#include "base/error.h"

namespace blnk::keras {

void Where::fail(const std::string& why) const {
  throw Error(source + ": " + (layer.empty() ? "" : layer + ": ") + why);
}

std::string layer_label(const std::string& name, const std::string& cls) {
  return "layer '" + name + "' (" + cls + ")";
}

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::string string_of(const Where& at, const json& object, const char* key, const char* fallback) {
  const json* v = member(object, key);
  if (!v) {
    if (fallback) return fallback;
    at.fail(std::string("'") + key + "' is missing");
  }
  if (!v->is_string()) at.fail(std::string("'") + key + "' is not a string");
  return v->get<std::string>();
}

int size_of(const Where& at, const json& v, const char* key) {
  if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > kMaxKerasSize)
    at.fail(std::string("'") + key + "' must be a whole number from 1 to " + std::to_string(kMaxKerasSize) +
            ", got " + v.dump());
  return int(v.get<std::int64_t>());
}

int int_of(const Where& at, const json& object, const char* key) {
  const json* v = member(object, key);
  if (!v) at.fail(std::string("'") + key + "' is missing");
  return size_of(at, *v, key);
}

std::pair<int, int> pair_of(const Where& at, const json& v, const char* key) {
  if (v.is_number()) return {size_of(at, v, key), size_of(at, v, key)};
  if (!v.is_array() || v.size() != 2) at.fail(std::string("'") + key + "' must be [h, w], got " + v.dump());
  return {size_of(at, v[0], key), size_of(at, v[1], key)};
}

double number_of(const Where& at, const json& object, const char* key, double fallback) {
  const json* v = member(object, key);
  if (!v) return fallback;
  if (!v->is_number()) at.fail(std::string("'") + key + "' must be a number, got " + v->dump());
  return v->get<double>();
}

void collect_inbound(const json& node, std::vector<std::string>& names, int depth) {
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

}  // namespace blnk::keras
