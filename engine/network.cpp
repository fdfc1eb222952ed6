// Network construction, initialisation, summary; Workspace planning, forward and backward.
#include "engine/network.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "base/error.h"
#include "base/softmax.h"
#include "engine/fold.h"
#include "layers/registry.h"

namespace blnk {
namespace {

constexpr std::size_t kMaxParams = std::size_t(1) << 28;  // 1 GiB of float32
constexpr int kMaxInputSide = 1 << 12;
constexpr int kMaxInputChannels = 1 << 10;
constexpr int kMaxBatch = 1 << 16;

// Keras names layers by kind in snake case, numbering repeats: conv2d, conv2d_1, ...
std::string keras_base_name(const std::string& kind) {
  if (kind == "Conv2D") return "conv2d";
  if (kind == "MaxPooling2D") return "max_pooling2d";
  if (kind == "ReLU") return "re_lu";
  if (kind == "BatchNormalization") return "batch_normalization";
  if (kind == "AveragePooling2D") return "average_pooling2d";
  if (kind == "GlobalAveragePooling2D") return "global_average_pooling2d";
  if (kind == "ResidualBlock") return "residual_block";
  std::string s;
  for (char c : kind) s += char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string with_thousands(std::size_t v) {
  std::string digits = std::to_string(v), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace

Network::Network(const std::string& spec, Shape input) : input_(input) {
  if (input.h < 1 || input.w < 1 || input.c < 1 || input.h > kMaxInputSide ||
      input.w > kMaxInputSide || input.c > kMaxInputChannels)
    throw Error("network: unsupported input shape " + input.str());
  layers_ = build_layers(spec, input);
  std::map<std::string, int> seen;
  std::size_t offset = 0, state_offset = 0;
  for (const auto& layer : layers_) {
    const std::string base = keras_base_name(layer->kind());
    const int k = seen[base]++;
    const std::string name = k == 0 ? base : base + "_" + std::to_string(k);
    layer_names_.push_back(name);
    layer_offsets_.push_back(offset);
    for (const ParamInfo& p : layer->param_info()) {
      const std::size_t size = p.size();
      if (size > kMaxParams || offset + size > kMaxParams)
        throw Error("network: more than " + with_thousands(kMaxParams) + " parameters");
      tensors_.push_back({name + "/" + p.name, p.shape, offset + p.offset, size, p.int8});
    }
    offset += layer->param_count();
    layer_state_offsets_.push_back(state_offset);
    for (const ParamInfo& p : layer->state_info())
      state_tensors_.push_back({name + "/" + p.name, p.shape, state_offset + p.offset, p.size()});
    state_offset += layer->state_count();  // bounded by the parameters (bn: two of each)
  }
  spec_ = canonical_spec(layers_);
  params_.assign(offset, 0.0f);
  state_.assign(state_offset, 0.0f);
  for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->init_state(state_.data() + layer_state_offsets_[i]);
}

void Network::update_state(std::span<const float> stats, int batch, std::int64_t updates) {
  if (stats.size() != state_.size() || batch < 1) throw Error("network: update_state needs state_count() statistics");
  for (std::size_t i = 0; i < layers_.size(); ++i)
    layers_[i]->update_state(state_.data() + layer_state_offsets_[i], stats.data() + layer_state_offsets_[i], batch, updates);
  ++params_version_;
}

void Network::init(std::uint64_t seed) {
  Rng rng(seed);
  for (std::size_t i = 0; i < layers_.size(); ++i)
    layers_[i]->init_params(params_.data() + layer_offsets_[i], rng);
}

double Network::forward_flops() const {
  double flops = 0;
  for (const auto& layer : layers_) flops += layer->forward_flops();
  return flops;
}

std::string Network::summary() const {
  // Columns as wide as Keras's, wider where a name or shape needs it (a name of 28
  // characters or more, e.g. "max_pooling2d_1 (MaxPooling2D)", ran into its shape).
  std::vector<std::string> names, shapes;
  bool flat = false;
  std::size_t name_width = 28, shape_width = 26;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const Layer& layer = *layers_[i];
    flat = flat || layer.kind() == "Flatten" || layer.kind() == "Dense" || layer.kind() == "GlobalAveragePooling2D";
    const Shape s = layer.output_shape();
    shapes.push_back(flat ? "(None, " + std::to_string(s.size()) + ")"
                          : "(None, " + std::to_string(s.h) + ", " + std::to_string(s.w) + ", " +
                                std::to_string(s.c) + ")");
    const auto params = layer.param_info();
    const bool int8 = std::any_of(params.begin(), params.end(), [](const ParamInfo& p) { return p.int8; });
    names.push_back(layer_names_[i] + " (" + layer.kind() + (int8 ? ", int8" : "") + ")");
    name_width = std::max(name_width, names.back().size() + 2);
    shape_width = std::max(shape_width, shapes.back().size() + 2);
  }
  const std::size_t width = 1 + name_width + shape_width + 10;
  const std::string rule(width, '_'), double_rule(width, '=');
  auto row = [&](const std::string& name, const std::string& shape, const std::string& count) {
    return " " + name + std::string(name_width - name.size(), ' ') + shape +
           std::string(shape_width - shape.size(), ' ') + count + "\n";
  };
  std::string out = "Model: \"blnk\"\n" + rule + "\n";
  out += row("Layer (type)", "Output Shape", "Param #") + double_rule + "\n";
  for (std::size_t i = 0; i < layers_.size(); ++i)
    out += row(names[i], shapes[i], with_thousands(layers_[i]->param_count() + layers_[i]->state_count()));
  out += double_rule + "\n";
  out += "Total params: " + with_thousands(param_count() + state_count()) + "\n";
  out += "Trainable params: " + with_thousands(param_count()) + "\n";
  out += "Non-trainable params: " + with_thousands(state_count()) + "\n" + rule + "\n";
  return out;
}

std::size_t Workspace::planned_bytes(const Network& net, int max_batch, Mode purpose, Precision precision) {
  if (purpose == Mode::inference && has_foldable_batch_norm(net))
    return plan_bytes(Network(folded_spec(net), net.input_shape()), max_batch, purpose, precision);
  return plan_bytes(net, max_batch, purpose, precision);
}

std::size_t Workspace::bf16_scratch_bytes(const Network& run, int planned, Precision precision) {
  std::size_t bytes = 0;
  if (precision == Precision::bf16)
    for (const auto& layer : run.layers()) bytes = std::max(bytes, align_up(layer->bf16_scratch_bytes(planned)));
  return bytes;
}

std::size_t Workspace::plan_bytes(const Network& net, int max_batch, Mode purpose, Precision precision) {
  const int planned = purpose == Mode::inference ? std::min(max_batch, kInferenceChunk) : max_batch;
  const bool shared_cache = purpose == Mode::inference;
  std::size_t largest = net.input_shape().size();
  std::size_t largest_cache = 0;
  std::size_t bytes = 0;
  for (const auto& layer : net.layers()) {
    largest = std::max(largest, layer->output_shape().size());
    bytes += align_up(sizeof(float) * planned * layer->output_shape().size());
    const std::size_t cache = align_up(layer->cache_bytes(planned));
    largest_cache = std::max(largest_cache, cache);
    if (!shared_cache) bytes += cache;
    bytes += align_up(layer->prepared_bytes());
  }
  if (shared_cache) bytes += largest_cache;
  else bytes += 2 * align_up(sizeof(float) * planned * largest);  // gradient ping-pong
  return bytes + bf16_scratch_bytes(net, planned, precision);
}

Workspace::Workspace(const Network& net, int max_batch, Mode purpose, Precision precision)
    : net_(net), max_batch_(max_batch), purpose_(purpose), precision_(precision) {
  if (max_batch < 1 || max_batch > kMaxBatch)
    throw Error("workspace: batch size must be from 1 to " + std::to_string(kMaxBatch) +
                ", got " + std::to_string(max_batch));
  if (purpose == Mode::training)
    for (const auto& layer : net.layers())
      if (layer->inference_only())
        throw Error("layer '" + layer->spec() + "' runs inference only (a quantized model): train the float model");
  planned_ = purpose == Mode::inference ? std::min(max_batch, kInferenceChunk) : max_batch;
  max_batch = planned_;  // every buffer below holds planned_ samples
  if (purpose == Mode::inference && has_foldable_batch_norm(net))
    folded_ = std::make_unique<Network>(folded_spec(net), net.input_shape());
  const auto& layers = runner().layers();
  const bool shared_cache = purpose == Mode::inference;
  std::size_t largest = net.input_shape().size();
  for (const auto& layer : layers) largest = std::max(largest, layer->output_shape().size());
  memory_ = AlignedBuffer(plan_bytes(runner(), max_batch, purpose, precision));
  std::byte* p = memory_.data();
  for (const auto& layer : layers) {
    outputs_.push_back(reinterpret_cast<float*>(p));
    p += align_up(sizeof(float) * max_batch * layer->output_shape().size());
  }
  std::byte* shared = p;
  for (const auto& layer : layers) {
    const std::size_t cache = align_up(layer->cache_bytes(max_batch));
    caches_.push_back(cache ? (shared_cache ? shared : p) : nullptr);
    if (!shared_cache) p += cache;
  }
  if (shared_cache) {
    std::size_t largest_cache = 0;
    for (const auto& layer : layers) largest_cache = std::max(largest_cache, align_up(layer->cache_bytes(max_batch)));
    p += largest_cache;
  }
  for (const auto& layer : layers) {
    const std::size_t prepared = align_up(layer->prepared_bytes());
    prepared_.push_back(prepared ? p : nullptr);
    p += prepared;
  }
  if (!shared_cache) {
    grad_a_ = reinterpret_cast<float*>(p);
    grad_b_ = reinterpret_cast<float*>(p + align_up(sizeof(float) * max_batch * largest));
    p += 2 * align_up(sizeof(float) * max_batch * largest);
  }
  if (bf16_scratch_bytes(runner(), max_batch, precision) > 0) bf16_scratch_ = p;
  acts_.assign(layers.size(), nullptr);
}

const float* Workspace::forward(const float* x, int n, Mode mode, std::uint64_t step_key,
                                int first_sample, float* stats) {
  if (n < 1 || n > planned_)
    throw Error("workspace: batch of " + std::to_string(n) + " samples, planned for at most " +
                std::to_string(planned_));
  if (mode == Mode::training && purpose_ != Mode::training)
    throw Error("workspace: planned for inference, cannot run in training mode");
  input_ = x;
  n_ = n;
  mode_ = mode;
  step_key_ = step_key;
  first_sample_ = first_sample;
  // Training changes the parameters every step; an inference workspace prepares
  // again only when they changed.
  if (mode == Mode::training || !prepared_once_ || prepared_version_ != net_.params_version())
    prepare_layers();
  const Network& run = runner();
  const auto& layers = run.layers();
  const float* params = run.params().data();
  const float* state = run.state().data();
  const float* in = x;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    if (layers[i]->is_identity(mode)) {
      acts_[i] = in;
      continue;
    }
    LayerContext ctx;
    ctx.mode = mode;
    ctx.params = params + run.layer_param_offset(i);
    ctx.state = state + run.layer_state_offset(i);
    ctx.stats = stats && mode == Mode::training ? stats + run.layer_state_offset(i) : nullptr;
    ctx.cache = caches_[i];
    ctx.prepared = prepared_[i];
    ctx.rng_key = key_of(step_key, i);
    ctx.first_sample = first_sample;
    ctx.precision = precision_;
    ctx.bf16_scratch = bf16_scratch_;
    layers[i]->forward(in, outputs_[i], n, ctx);
    in = acts_[i] = outputs_[i];
  }
  return in;
}

void Workspace::backward(float* grads) {
  if (purpose_ != Mode::training || mode_ != Mode::training || !input_)
    throw Error("workspace: backward() needs a training workspace and a forward() in training mode first");
  const auto& layers = net_.layers();
  const float* params = net_.params().data();
  float* dy = grad_a_;
  float* dx = grad_b_;
  for (std::size_t i = layers.size(); i-- > 0;) {
    if (layers[i]->is_identity(mode_)) continue;  // the gradient passes through unchanged
    LayerContext ctx;
    ctx.mode = mode_;
    ctx.params = params + net_.layer_param_offset(i);
    ctx.grads = grads + net_.layer_param_offset(i);
    ctx.state = net_.state().data() + net_.layer_state_offset(i);
    ctx.cache = caches_[i];
    ctx.prepared = prepared_[i];
    ctx.rng_key = key_of(step_key_, i);
    ctx.first_sample = first_sample_;
    ctx.precision = precision_;
    ctx.bf16_scratch = bf16_scratch_;
    const float* x = i == 0 ? input_ : acts_[i - 1];
    layers[i]->backward(x, acts_[i], dy, i == 0 ? nullptr : dx, n_, ctx);
    std::swap(dy, dx);
  }
}

void Workspace::prepare_layers() {
  if (folded_) fold_params(net_, *folded_);
  const Network& run = runner();
  const auto& layers = run.layers();
  const float* params = run.params().data();
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (prepared_[i]) layers[i]->prepare(params + run.layer_param_offset(i), prepared_[i]);
  prepared_version_ = net_.params_version();
  prepared_once_ = true;
}

void Workspace::predict(const float* x, int n, float* probs) {
  if (n < 1 || n > max_batch_)
    throw Error("workspace: batch of " + std::to_string(n) + " samples, planned for at most " +
                std::to_string(max_batch_));
  const int k = net_.num_classes();
  const std::size_t in_size = net_.input_shape().size();
  for (int first = 0; first < n; first += planned_) {
    const int chunk = std::min(planned_, n - first);
    const float* logits = forward(x + std::size_t(first) * in_size, chunk, Mode::inference);
    for (int s = 0; s < chunk; ++s)
      softmax_row(logits + std::size_t(s) * k, probs + std::size_t(first + s) * k, k);
  }
}

}  // namespace blnk
