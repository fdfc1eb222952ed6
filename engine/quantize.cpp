// Post-training int8 quantization (quantize.h): fold, calibrate, then write each
// conv and dense layer's parameters in the int8 layer's layout.
#include "engine/quantize.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "engine/fold.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/int8_conv.h"
#include "layers/registry.h"

namespace blnk {
namespace {

bool quantizable(const Layer& layer) {
  return dynamic_cast<const Conv2D*>(&layer) || dynamic_cast<const Dense*>(&layer);
}

// The network quantization starts from: `trained` with its bn folded, else a copy.
std::unique_ptr<Network> float_source(const Network& trained) {
  if (has_foldable_batch_norm(trained)) {
    auto folded = std::make_unique<Network>(folded_spec(trained), trained.input_shape());
    fold_params(trained, *folded);
    return folded;
  }
  auto copy = std::make_unique<Network>(trained.spec(), trained.input_shape());
  std::copy(trained.params().begin(), trained.params().end(), copy->mutable_params().begin());
  std::copy(trained.state().begin(), trained.state().end(), copy->mutable_state().begin());
  return copy;
}

// The low and high input value of every layer over the calibration images.
std::vector<InputRange> calibrate(const Network& net, const float* images, int count) {
  const auto& layers = net.layers();
  std::vector<InputRange> ranges(layers.size());
  Workspace ws(net, 1, Mode::inference);
  const std::size_t image_size = net.input_shape().size();
  for (int s = 0; s < count; ++s) {
    ws.forward(images + std::size_t(s) * image_size, 1, Mode::inference);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      if (!quantizable(*layers[i])) continue;
      const float* x = ws.layer_input(i);
      const std::size_t n = layers[i]->input_shape().size();
      const auto [low, high] = std::minmax_element(x, x + n);
      if (s == 0) ranges[i] = {*low, *high};
      ranges[i].low = std::min(ranges[i].low, *low);
      ranges[i].high = std::max(ranges[i].high, *high);
    }
  }
  return ranges;
}

// One conv or dense layer's float parameters (kernel (.., out), bias (out)) as the int8
// layer's: kernel, bias, kernel_scale, input_scale, input_zero_point.
void quantize_layer(const float* params, std::size_t kernel_size, int outputs, InputRange range, float* out) {
  const std::size_t rows = kernel_size / std::size_t(outputs);
  float* kernel = out;
  float* bias = out + kernel_size;
  float* kernel_scale = bias + outputs;
  for (int o = 0; o < outputs; ++o) {
    float largest = 0.0f;
    for (std::size_t k = 0; k < rows; ++k) largest = std::max(largest, std::fabs(params[k * outputs + o]));
    const float scale = largest > 0.0f ? largest / 127.0f : 1.0f;
    kernel_scale[o] = scale;
    for (std::size_t k = 0; k < rows; ++k)
      kernel[k * outputs + o] = std::clamp(std::nearbyint(params[k * outputs + o] / scale), -127.0f, 127.0f);
    bias[o] = params[kernel_size + o];
  }
  const bool signed_input = range.low < 0.0f;
  const float largest = signed_input ? std::max(-range.low, range.high) : range.high;
  const float levels = signed_input ? 127.0f : 255.0f;
  out[kernel_size + 2 * outputs] = std::isfinite(largest) && largest > 0.0f ? largest / levels : 1.0f;
  out[kernel_size + 2 * outputs + 1] = signed_input ? 128.0f : 0.0f;
}


}  // namespace

bool is_quantized(const Network& net) {
  for (const auto& layer : net.layers())
    if (dynamic_cast<const Int8Conv*>(layer.get())) return true;
  return false;
}

Network quantize_network(const Network& trained, const float* images, int count) {
  if (count < 1) throw Error("quantize: calibration needs at least one image");
  if (is_quantized(trained)) throw Error("quantize: the model is quantized already");
  const std::unique_ptr<Network> source = float_source(trained);
  const auto& layers = source->layers();
  if (std::none_of(layers.begin(), layers.end(), [](const auto& l) { return quantizable(*l); }))
    throw Error("quantize: the model has no convolution or dense layer to quantize");
  const std::vector<InputRange> ranges = calibrate(*source, images, count);

  // The canonical spec has one token per layer; a quantized layer's says q=int8.
  const std::vector<std::string> tokens = spec_tokens(source->spec());
  std::string spec;
  for (std::size_t i = 0; i < tokens.size(); ++i)
    spec += (i ? "," : "") + tokens[i] + (quantizable(*layers[i]) ? ":q=int8" : "");
  Network quantized(spec, source->input_shape());

  const float* params = source->params().data();
  const float* state = source->state().data();
  float* out = quantized.mutable_params().data();
  float* out_state = quantized.mutable_state().data();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const float* p = params + source->layer_param_offset(i);
    float* q = out + quantized.layer_param_offset(i);
    if (quantizable(*layers[i])) {
      const int outputs = layers[i]->output_shape().c;
      quantize_layer(p, source->layer_param_count(i) - std::size_t(outputs), outputs, ranges[i], q);
    } else {
      std::copy(p, p + source->layer_param_count(i), q);
      std::copy(state + source->layer_state_offset(i), state + source->layer_state_offset(i) + source->layer_state_count(i),
                out_state + quantized.layer_state_offset(i));
    }
  }
  return quantized;
}

}  // namespace blnk
