// The Keras model_config -> blnk spec mapping and the weight shape checks
// (keras/keras_layout.h): what maps, what is refused and how the refusal reads.
// The files themselves are tested from Python (test_import_*.py, h5py-written).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "base/error.h"
#include "keras/keras_layout.h"

using namespace blnk;
using namespace blnk::keras;

namespace {

const char* kSeedLike = R"({"class_name": "Sequential", "config": {"name": "sequential", "layers": [
  {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 28, 28, 1], "name": "conv2d_input"}},
  {"class_name": "Conv2D", "config": {"name": "conv2d", "filters": 32, "kernel_size": [3, 3], "strides": [1, 1],
   "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1, "activation": "relu", "use_bias": true}},
  {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "pool_size": [2, 2], "padding": "valid", "strides": [2, 2]}},
  {"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.25}},
  {"class_name": "Conv2D", "config": {"name": "conv2d_1", "filters": 64, "kernel_size": [3, 3], "padding": "same", "activation": "relu"}},
  {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d_1", "pool_size": [2, 2], "padding": "valid", "strides": null}},
  {"class_name": "Dropout", "config": {"name": "dropout_1", "rate": 0.25}},
  {"class_name": "Conv2D", "config": {"name": "conv2d_2", "filters": 64, "kernel_size": 3, "padding": "same", "activation": "relu"}},
  {"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d_2", "pool_size": [2, 2], "padding": "valid"}},
  {"class_name": "Dropout", "config": {"name": "dropout_2", "rate": 0.25}},
  {"class_name": "Flatten", "config": {"name": "flatten", "data_format": "channels_last"}},
  {"class_name": "Dense", "config": {"name": "dense", "units": 128, "activation": "relu", "use_bias": true}},
  {"class_name": "Dropout", "config": {"name": "dropout_3", "rate": 0.25}},
  {"class_name": "Dense", "config": {"name": "dense_1", "units": 10, "activation": "softmax", "use_bias": true}}]}})";

// The message plan_keras_model throws for `config` ("" when it does not throw).
std::string refusal(const std::string& config) {
  try {
    plan_keras_model(config, "m.h5");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// The seed-like config with one piece of text replaced.
std::string seed_with(const std::string& from, const std::string& to) {
  std::string s = kSeedLike;
  const std::size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("layout: the seed's Sequential model maps to the seed's spec and 130,890 parameters") {
  const KerasPlan plan = plan_keras_model(kSeedLike, "m.h5");
  CHECK(plan.model_class == "Sequential");
  CHECK(plan.input == Shape{28, 28, 1});
  CHECK(plan.param_count == 130890);
  CHECK(plan.spec ==
        "conv32:k=3:s=1:pad=same:act=relu,pool:k=2:s=2:pad=valid,drop0.25,conv64:k=3:pad=same:act=relu,"
        "pool:k=2:s=2:pad=valid,drop0.25,conv64:k=3:pad=same:act=relu,pool:k=2:s=2:pad=valid,drop0.25,flatten,"
        "dense128:act=relu,drop0.25,dense10:act=linear");
  REQUIRE(plan.weighted.size() == 5);
  CHECK(plan.weighted[0].keras_name == "conv2d");
  CHECK(plan.weighted[0].blnk_layer == 0);
  CHECK(plan.weighted[3].keras_name == "dense");
  CHECK(plan.weighted[3].blnk_layer == 10);
  CHECK(plan.weighted[3].params[0].shape == std::vector<int>{576, 128});
  CHECK(plan.weighted[4].params[1].shape == std::vector<int>{10});
}

TEST_CASE("layout: Keras 3 input shapes, Functional chains in both node formats, use_bias false") {
  const std::string keras3 = R"({"class_name": "Functional", "config": {"layers": [
    {"class_name": "InputLayer", "name": "in", "config": {"batch_shape": [null, 8], "name": "in"}, "inbound_nodes": []},
    {"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 4, "activation": "linear", "use_bias": false},
     "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["in", 0, 0]}}], "kwargs": {}}]}],
    "input_layers": [["in", 0, 0]], "output_layers": [["d", 0, 0]]}})";
  const KerasPlan plan = plan_keras_model(keras3, "m.h5");
  CHECK(plan.input == Shape{1, 1, 8});
  CHECK(plan.spec == "dense4:act=linear");
  REQUIRE(plan.weighted.size() == 1);
  CHECK_FALSE(plan.weighted[0].use_bias);
  // The bias is imported as zeros: the match says -1 for it.
  const std::vector<int> match = match_weights(plan.weighted[0], {{"d/kernel", {8, 4}}}, "m.h5");
  CHECK(match == std::vector<int>{0, -1});
}

TEST_CASE("layout: every unsupported setting is refused naming the layer and the setting") {
  CHECK(contains(refusal(seed_with("\"units\": 128, \"activation\": \"relu\"", "\"units\": 128, \"activation\": \"tanh\"")),
                 "m.h5: layer 'dense' (Dense): activation 'tanh' is not supported"));
  CHECK(contains(refusal(seed_with("\"data_format\": \"channels_last\"", "\"data_format\": \"channels_first\"")),
                 "layer 'conv2d' (Conv2D): data_format 'channels_first'"));
  CHECK(contains(refusal(seed_with("\"dilation_rate\": [1, 1]", "\"dilation_rate\": [1, 2]")), "dilation_rate"));
  CHECK(contains(refusal(seed_with("\"groups\": 1", "\"groups\": 2")), "groups 2"));
  CHECK(contains(refusal(seed_with("\"padding\": \"same\"", "\"padding\": \"causal\"")), "padding 'causal'"));
  CHECK(contains(refusal(seed_with("{\"class_name\": \"Flatten\"", "{\"class_name\": \"GlobalAveragePooling2D\"")),
                 "layer 'flatten' (GlobalAveragePooling2D): layer kind 'GlobalAveragePooling2D' is not supported"));
  CHECK(contains(refusal(seed_with("\"units\": 128, \"activation\": \"relu\"", "\"units\": 128, \"activation\": \"softmax\"")),
                 "last layer only"));
  CHECK(contains(refusal(seed_with("[null, 28, 28, 1]", "[null, null, null, 1]")), "variable size"));
  CHECK(contains(refusal(seed_with("\"name\": \"dropout\", \"rate\": 0.25", "\"name\": \"dropout\", \"rate\": 1.5")),
                 "layer 'dropout' (Dropout): the dropout rate"));
  CHECK(contains(refusal(seed_with("\"Sequential\"", "\"Subclassed\"")), "model class 'Subclassed'"));
  CHECK(contains(refusal(R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"name": "d", "units": 3}}]}})"),
                 "layer 'd' (Dense): no input shape"));
}

TEST_CASE("layout: a Functional model that is not a chain is refused naming the layer") {
  const std::string branch = R"({"class_name": "Functional", "config": {"layers": [
    {"class_name": "InputLayer", "name": "in", "config": {"batch_input_shape": [null, 4], "name": "in"}, "inbound_nodes": []},
    {"class_name": "Dense", "name": "a", "config": {"name": "a", "units": 4}, "inbound_nodes": [[["in", 0, 0, {}]]]},
    {"class_name": "Dense", "name": "b", "config": {"name": "b", "units": 4}, "inbound_nodes": [[["in", 0, 0, {}]]]}],
    "input_layers": [["in", 0, 0]], "output_layers": [["b", 0, 0]]}})";
  CHECK(contains(refusal(branch), "layer 'b': takes its input from 'in', not from the layer before it ('a')"));
}

TEST_CASE("layout: hostile config text is refused before it can exhaust anything") {
  CHECK(contains(refusal(std::string(kMaxConfigDepth + 10, '[')), "nested more than"));
  CHECK(contains(refusal(std::string(kMaxConfigBytes + 1, ' ')), "more than the"));
  CHECK(contains(refusal("{\"class_name\": 7}"), "'class_name' is not a string"));
  CHECK(contains(refusal("not json"), "not valid JSON"));
  CHECK(contains(refusal(seed_with("\"filters\": 32", "\"filters\": 1e12")), "'filters' must be a whole number"));
}

TEST_CASE("layout: weights are matched by their short name and their shape is checked") {
  CHECK(weight_short_name("conv2d/kernel:0") == "kernel");
  CHECK(weight_short_name("sequential/dense/bias") == "bias");
  CHECK(weight_short_name("bias:0") == "bias");
  const KerasPlan plan = plan_keras_model(kSeedLike, "m.h5");
  const WeightedLayer& conv = plan.weighted[0];
  CHECK(match_weights(conv, {{"conv2d/bias:0", {32}}, {"conv2d/kernel:0", {3, 3, 1, 32}}}, "m.h5") ==
        std::vector<int>{1, 0});
  auto refused = [&](std::vector<FoundWeight> found) {
    try {
      match_weights(conv, found, "m.h5");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(contains(refused({{"conv2d/kernel:0", {3, 3, 1, 32}}}), "layer 'conv2d' (Conv2D): weight 'bias' is missing"));
  CHECK(contains(refused({{"conv2d/kernel:0", {3, 3, 32}}, {"conv2d/bias:0", {32}}}),
                 "has shape (3, 3, 32), but the config makes it (3, 3, 1, 32)"));
  CHECK(contains(refused({{"conv2d/kernel:0", {3, 3, 1, 32}}, {"conv2d/bias:0", {32}}, {"conv2d/gamma:0", {32}}}),
                 "weight 'conv2d/gamma:0' is not a kernel or a bias"));
  CHECK(contains(refused({{"a/kernel:0", {3, 3, 1, 32}}, {"b/kernel:0", {3, 3, 1, 32}}}), "appears twice"));
}
