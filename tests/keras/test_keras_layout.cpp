// The Keras model_config -> blnk spec mapping and the weight shape checks
// (keras/keras_layout.h): what maps, what is refused and how the refusal reads.
// The files themselves are tested from Python (test_import_*.py, h5py-written).
#include <doctest/doctest.h>

#include <cmath>
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
  CHECK(plan.weighted[3].slots[0].keras_weight == "kernel");
  CHECK(plan.weighted[3].slots[0].shape == std::vector<int>{576, 128});
  CHECK(plan.weighted[4].slots[1].shape == std::vector<int>{10});
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
  CHECK_FALSE(plan.weighted[0].slots[1].in_file);
  CHECK(plan.weighted[0].slots[1].fill == 0.0f);
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
  CHECK(contains(refusal(seed_with("{\"class_name\": \"Flatten\"", "{\"class_name\": \"LayerNormalization\"")),
                 "layer 'flatten' (LayerNormalization): layer kind 'LayerNormalization' is not supported"));
  CHECK(contains(refusal(seed_with("\"units\": 128, \"activation\": \"relu\"", "\"units\": 128, \"activation\": \"softmax\"")),
                 "last layer only"));
  CHECK(contains(refusal(seed_with("[null, 28, 28, 1]", "[null, null, null, 1]")), "variable size"));
  CHECK(contains(refusal(seed_with("\"name\": \"dropout\", \"rate\": 0.25", "\"name\": \"dropout\", \"rate\": 1.5")),
                 "layer 'dropout' (Dropout): the dropout rate"));
  CHECK(contains(refusal(seed_with("\"Sequential\"", "\"Subclassed\"")), "model class 'Subclassed'"));
  CHECK(contains(refusal(R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"name": "d", "units": 3}}]}})"),
                 "layer 'd' (Dense): no input shape"));
}

TEST_CASE("layout: a Functional model with branches that are not a residual block is refused naming the layer") {
  const std::string branch = R"({"class_name": "Functional", "config": {"layers": [
    {"class_name": "InputLayer", "name": "in", "config": {"batch_input_shape": [null, 4], "name": "in"}, "inbound_nodes": []},
    {"class_name": "Dense", "name": "a", "config": {"name": "a", "units": 4}, "inbound_nodes": [[["in", 0, 0, {}]]]},
    {"class_name": "Dense", "name": "b", "config": {"name": "b", "units": 4}, "inbound_nodes": [[["in", 0, 0, {}]]]}],
    "input_layers": [["in", 0, 0]], "output_layers": [["b", 0, 0]]}})";
  CHECK(contains(refusal(branch), "layer 'a' (Dense): inside a branch from 'in', its output feeds 0 layers: blnk imports two branches only as a residual block"));
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
                 "weight 'conv2d/gamma:0' is not one blnk takes from it (kernel, bias)"));
  CHECK(contains(refused({{"a/kernel:0", {3, 3, 1, 32}}, {"b/kernel:0", {3, 3, 1, 32}}}), "appears twice"));
}

namespace {

// A Functional model with two residual blocks (one adds its input, one a 1x1 conv + bn),
// Keras 2's node format, then global average pooling and a softmax Dense.
const char* kResidual = R"({"class_name": "Functional", "config": {"name": "resnet", "layers": [
  {"class_name": "InputLayer", "name": "in", "config": {"batch_input_shape": [null, 8, 8, 4], "name": "in"}, "inbound_nodes": []},
  {"class_name": "Conv2D", "name": "c1", "config": {"name": "c1", "filters": 4, "kernel_size": [3, 3], "strides": [1, 1], "padding": "same", "activation": "linear", "use_bias": false}, "inbound_nodes": [[["in", 0, 0, {}]]]},
  {"class_name": "BatchNormalization", "name": "b1", "config": {"name": "b1", "axis": -1, "epsilon": 0.001, "momentum": 0.99}, "inbound_nodes": [[["c1", 0, 0, {}]]]},
  {"class_name": "ReLU", "name": "r1", "config": {"name": "r1"}, "inbound_nodes": [[["b1", 0, 0, {}]]]},
  {"class_name": "Conv2D", "name": "c2", "config": {"name": "c2", "filters": 4, "kernel_size": 3, "padding": "same", "use_bias": false}, "inbound_nodes": [[["r1", 0, 0, {}]]]},
  {"class_name": "BatchNormalization", "name": "b2", "config": {"name": "b2", "axis": [3], "epsilon": 1.001e-05}, "inbound_nodes": [[["c2", 0, 0, {}]]]},
  {"class_name": "Add", "name": "add", "config": {"name": "add"}, "inbound_nodes": [[["b2", 0, 0, {}], ["in", 0, 0, {}]]]},
  {"class_name": "Activation", "name": "r2", "config": {"name": "r2", "activation": "relu"}, "inbound_nodes": [[["add", 0, 0, {}]]]},
  {"class_name": "Conv2D", "name": "sc", "config": {"name": "sc", "filters": 8, "kernel_size": [1, 1], "strides": [2, 2], "padding": "valid"}, "inbound_nodes": [[["r2", 0, 0, {}]]]},
  {"class_name": "Conv2D", "name": "c3", "config": {"name": "c3", "filters": 8, "kernel_size": [3, 3], "strides": [2, 2], "padding": "same"}, "inbound_nodes": [[["r2", 0, 0, {}]]]},
  {"class_name": "BatchNormalization", "name": "b3", "config": {"name": "b3", "center": false}, "inbound_nodes": [[["c3", 0, 0, {}]]]},
  {"class_name": "ReLU", "name": "r3", "config": {"name": "r3"}, "inbound_nodes": [[["b3", 0, 0, {}]]]},
  {"class_name": "Conv2D", "name": "c4", "config": {"name": "c4", "filters": 8, "kernel_size": [3, 3], "padding": "same"}, "inbound_nodes": [[["r3", 0, 0, {}]]]},
  {"class_name": "BatchNormalization", "name": "b4", "config": {"name": "b4"}, "inbound_nodes": [[["c4", 0, 0, {}]]]},
  {"class_name": "BatchNormalization", "name": "bs", "config": {"name": "bs", "scale": false}, "inbound_nodes": [[["sc", 0, 0, {}]]]},
  {"class_name": "Add", "name": "add_1", "config": {"name": "add_1"}, "inbound_nodes": [[["bs", 0, 0, {}], ["b4", 0, 0, {}]]]},
  {"class_name": "ReLU", "name": "r4", "config": {"name": "r4"}, "inbound_nodes": [[["add_1", 0, 0, {}]]]},
  {"class_name": "GlobalAveragePooling2D", "name": "gap", "config": {"name": "gap", "data_format": "channels_last"}, "inbound_nodes": [[["r4", 0, 0, {}]]]},
  {"class_name": "Dense", "name": "out", "config": {"name": "out", "units": 10, "activation": "softmax"}, "inbound_nodes": [[["gap", 0, 0, {}]]]}],
  "input_layers": [["in", 0, 0]], "output_layers": [["out", 0, 0]]}})";

std::string residual_with(const std::string& from, const std::string& to) {
  std::string s = kResidual;
  const std::size_t at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

const WeightedLayer& weighted(const KerasPlan& plan, const std::string& name) {
  for (const WeightedLayer& w : plan.weighted)
    if (w.keras_name == name) return w;
  FAIL("no weighted layer " << name);
  return plan.weighted.front();
}

}  // namespace

TEST_CASE("layout: residual blocks of a Functional model become res layers, their weights the blocks' parts") {
  const KerasPlan plan = plan_keras_model(kResidual, "m.h5");
  CHECK(plan.model_class == "Functional");
  CHECK(plan.spec == "res4,res8:s=2,gap,dense10:act=linear");
  CHECK(plan.input == Shape{8, 8, 4});
  // blnk's parameters: convs (4*9*4+4 twice: Keras has no bias there, blnk a zero one; 4*9*8+8, 8*9*8+8,
  // 4*8+8), gamma and beta per channel of each bn, dense 8*10+10 (the moving statistics are state).
  CHECK(plan.param_count == 148 * 2 + 296 + 584 + 40 + 2 * 4 * 2 + 2 * 8 * 3 + 90);
  const WeightedLayer& c1 = weighted(plan, "c1");
  CHECK(c1.blnk_layer == 0);
  REQUIRE(c1.slots.size() == 2);
  CHECK(c1.slots[0].keras_weight == "kernel");
  CHECK(c1.slots[0].shape == std::vector<int>{3, 3, 4, 4});
  CHECK_FALSE(c1.slots[1].in_file);  // use_bias false: zeros
  const WeightedLayer& b2 = weighted(plan, "b2");
  REQUIRE(b2.slots.size() == 4);
  CHECK(b2.slots[2].keras_weight == "moving_mean");
  CHECK(b2.slots[2].state);
  CHECK(b2.keras_epsilon == 1.001e-05f);  // blnk's res keeps 0.001: gamma is rescaled
  CHECK(b2.blnk_epsilon == 0.001f);
  CHECK(weighted(plan, "b1").keras_epsilon == weighted(plan, "b1").blnk_epsilon);
  CHECK(weighted(plan, "sc").blnk_layer == 1);
  CHECK(weighted(plan, "bs").slots[0].keras_weight == "gamma");
  CHECK_FALSE(weighted(plan, "bs").slots[0].in_file);  // scale false: gamma 1
  CHECK(weighted(plan, "bs").slots[0].fill == 1.0f);
  CHECK_FALSE(weighted(plan, "b3").slots[1].in_file);  // center false: beta 0
  CHECK(weighted(plan, "out").blnk_layer == 3);
}

TEST_CASE("layout: Keras 3's node format reads the same residual block") {
  std::string keras3 = kResidual;
  // ["name", 0, 0, {}] -> {"class_name": "__keras_tensor__", "config": {"keras_history": ["name", 0, 0]}}
  for (std::size_t at = keras3.find("[\""); at != std::string::npos; at = keras3.find("[\"", at)) {
    const std::size_t end = keras3.find(", 0, 0, {}]", at);
    if (end == std::string::npos) break;
    const std::string name = keras3.substr(at + 1, end - at - 1);
    const std::string tensor = "{\"class_name\": \"__keras_tensor__\", \"config\": {\"keras_history\": [" + name + ", 0, 0]}}";
    keras3.replace(at, end + 11 - at, tensor);
    at += tensor.size();
  }
  REQUIRE(keras3.find("0, 0, {}") == std::string::npos);
  CHECK(plan_keras_model(keras3, "m.h5").spec == "res4,res8:s=2,gap,dense10:act=linear");
}

TEST_CASE("layout: BatchNormalization, pooling and Rescaling in a chain") {
  const std::string chain = R"({"class_name": "Sequential", "config": {"layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 12, 10, 3], "name": "in"}},
    {"class_name": "Rescaling", "config": {"name": "rescale", "scale": 0.00784313725490196, "offset": -1.0}},
    {"class_name": "Conv2D", "config": {"name": "conv", "filters": 6, "kernel_size": [3, 3], "padding": "valid", "activation": "linear"}},
    {"class_name": "BatchNormalization", "config": {"name": "bn", "epsilon": 1e-05, "momentum": 0.9}},
    {"class_name": "Activation", "config": {"name": "act", "activation": "relu"}},
    {"class_name": "AveragePooling2D", "config": {"name": "avg", "pool_size": [2, 2], "strides": null, "padding": "valid"}},
    {"class_name": "Rescaling", "config": {"name": "times2", "scale": 2.0}},
    {"class_name": "GlobalAveragePooling2D", "config": {"name": "gap", "keepdims": false}},
    {"class_name": "BatchNormalization", "config": {"name": "bn_flat", "axis": 1}},
    {"class_name": "Dense", "config": {"name": "out", "units": 3, "activation": "softmax"}}]}})";
  const KerasPlan plan = plan_keras_model(chain, "m.h5");
  CHECK(plan.spec ==
        "bn:act=linear,conv6:k=3:pad=valid:act=linear,bn:act=relu:eps=9.99999975e-06:m=0.899999976,"
        "avgpool:k=2:s=2,bn:act=linear,gap,bn:act=linear,dense3:act=linear");
  // The first Rescaling reads Keras's [0, 255] pixels: on blnk's [0, 1] it is x * 2 - 1, a bn with fixed statistics.
  const WeightedLayer& rescale = weighted(plan, "rescale");
  CHECK_FALSE(rescale.reads_file());
  REQUIRE(rescale.slots.size() == 4);
  CHECK(rescale.slots[0].fill == doctest::Approx(2.0));
  CHECK(rescale.slots[1].fill == -1.0f);
  CHECK(rescale.slots[2].fill == 0.0f);
  CHECK(rescale.slots[3].fill == 1.0f - 0.001f);
  CHECK(weighted(plan, "times2").slots[0].fill == 2.0f);  // later ones are taken as they are
  // Rescaling(1/255) first is what blnk's input already is: nothing.
  const std::string plain = R"({"class_name": "Sequential", "config": {"layers": [
    {"class_name": "Rescaling", "config": {"name": "r", "scale": 0.00392156862745098, "batch_input_shape": [null, 4, 4, 1]}},
    {"class_name": "Flatten", "config": {"name": "f"}}, {"class_name": "Dense", "config": {"name": "d", "units": 2}}]}})";
  CHECK(plan_keras_model(plain, "m.h5").spec == "flatten,dense2:act=linear");
}

TEST_CASE("layout: graphs other than residual blocks, and blocks blnk's res cannot be, are refused naming the layer") {
  // An Add whose branch is not conv, bn, relu, conv, bn.
  CHECK(contains(refusal(residual_with(R"("class_name": "ReLU", "name": "r1")", R"("class_name": "Dropout", "name": "r1")")),
                 "m.h5: layer 'add' (Add): adds c1 (Conv2D), b1 (BatchNormalization), r1 (Dropout), c2 (Conv2D), "
                 "b2 (BatchNormalization) and the input itself: blnk imports two branches only as a residual block"));
  // A Concatenate joining the branches.
  CHECK(contains(refusal(residual_with(R"("class_name": "Add", "name": "add")", R"("class_name": "Concatenate", "name": "add")")),
                 "layer 'add' (Concatenate): joins the branches from 'in'"));
  // No ReLU after the Add.
  CHECK(contains(refusal(residual_with(R"("class_name": "Activation", "name": "r2", "config": {"name": "r2", "activation": "relu"})",
                                       R"("class_name": "Activation", "name": "r2", "config": {"name": "r2", "activation": "tanh"})")),
                 "layer 'r2' (Activation): activation 'tanh' is not supported"));
  // A 5x5 first convolution; a stride-2 block whose shortcut is the input (the shapes differ).
  CHECK(contains(refusal(residual_with(R"("name": "c1", "filters": 4, "kernel_size": [3, 3])", R"("name": "c1", "filters": 4, "kernel_size": [5, 5])")),
                 "layer 'c1' (Conv2D): kernel 5, strides 1, padding same, activation linear: blnk's res block is 3x3"));
  CHECK(contains(refusal(residual_with(R"("name": "c1", "filters": 4, "kernel_size": [3, 3], "strides": [1, 1])",
                                       R"("name": "c1", "filters": 4, "kernel_size": [3, 3], "strides": [2, 2])")),
                 "layer 'add' (Add): adds the block's input 'in' (8x8x4) to 'b2' (4 channels, stride 2): the shapes differ"));
  // A shortcut convolution where the block keeps its shape.
  CHECK(contains(refusal(residual_with(R"("name": "c3", "filters": 8, "kernel_size": [3, 3], "strides": [2, 2])",
                                       R"("name": "c3", "filters": 8, "kernel_size": [3, 3], "strides": [1, 1])")),
                 "layer 'sc' (Conv2D): a shortcut of kernel 1, strides 2"));
  // A layer read by three others; a shared layer; a layer off the path; a name read that is not a layer.
  CHECK(contains(refusal(residual_with(R"("inbound_nodes": [[["r4", 0, 0, {}]]]},)",
                                       R"("inbound_nodes": [[["r4", 0, 0, {}]]]}, {"class_name": "Dense", "name": "x", "config": {"name": "x", "units": 2}, "inbound_nodes": [[["r2", 0, 0, {}]]]},)")),
                 "layer 'r2' (Activation): its output feeds 3 layers"));
  CHECK(contains(refusal(residual_with(R"("inbound_nodes": [[["gap", 0, 0, {}]]]})", R"("inbound_nodes": [[["gap", 0, 0, {}]], [["gap", 0, 0, {}]]]})")),
                 "layer 'out' (Dense): is called 2 times (a shared layer)"));
  CHECK(contains(refusal(residual_with(R"("output_layers": [["out", 0, 0]])", R"("output_layers": [["gap", 0, 0]])")),
                 "layer 'out' (Dense): is not on the path from the model's input to its output"));
  CHECK(contains(refusal(residual_with(R"([[["r4", 0, 0, {}]]])", R"([[["r9", 0, 0, {}]]])")),
                 "layer 'gap' (GlobalAveragePooling2D): reads 'r9', which is not a layer of the model"));
  // Settings blnk does not have.
  CHECK(contains(refusal(residual_with(R"("name": "b1", "axis": -1)", R"("name": "b1", "axis": 1)")),
                 "layer 'b1' (BatchNormalization): axis 1 is not supported"));
  CHECK(contains(refusal(residual_with(R"("name": "gap", "data_format": "channels_last")", R"("name": "gap", "data_format": "channels_first")")),
                 "layer 'gap' (GlobalAveragePooling2D): data_format 'channels_first'"));
  CHECK(contains(refusal(seed_with(R"({"class_name": "MaxPooling2D", "config": {"name": "max_pooling2d", "pool_size": [2, 2], "padding": "valid")",
                                   R"({"class_name": "AveragePooling2D", "config": {"name": "max_pooling2d", "pool_size": [2, 2], "padding": "same")")),
                 "layer 'max_pooling2d' (AveragePooling2D): padding 'same' is not supported here"));
  CHECK(contains(refusal(seed_with(R"({"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.25}})",
                                   R"({"class_name": "Rescaling", "config": {"name": "dropout", "scale": [1, 2, 3]}})")),
                 "layer 'dropout' (Rescaling): a scale per channel is not supported"));
  CHECK(contains(refusal(seed_with(R"({"class_name": "Dropout", "config": {"name": "dropout", "rate": 0.25}})",
                                   R"({"class_name": "Add", "config": {"name": "dropout"}})")),
                 "layer 'dropout' (Add): layer kind 'Add' is not supported here"));
}

TEST_CASE("layout: a block's bn with another epsilon gets a gamma that makes blnk's inference Keras's") {
  const KerasPlan plan = plan_keras_model(kResidual, "m.h5");
  const WeightedLayer& b2 = weighted(plan, "b2");
  const float gamma = 1.5f, var = 0.002f;
  // The slots' offsets are into the whole res layer's blocks.
  std::vector<float> block_params(1024, 0.0f), block_state(1024, 0.0f);
  for (const WeightSlot& s : b2.slots)
    for (std::size_t c = 0; c < s.size(); ++c) {
      if (s.keras_weight == "gamma") block_params[s.offset + c] = gamma;
      if (s.keras_weight == "moving_variance") block_state[s.offset + c] = var;
    }
  match_epsilon(b2, block_params.data(), block_state.data());
  for (const WeightSlot& s : b2.slots)
    if (s.keras_weight == "gamma")
      CHECK(block_params[s.offset] / std::sqrt(var + 0.001f) == doctest::Approx(gamma / std::sqrt(var + 1.001e-05f)).epsilon(1e-6));
}
