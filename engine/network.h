// The network: a stack of layers built from a spec, with every parameter in one
// flat array (so optimizers are one loop over flat parameters and gradients), and
// the Workspace: the activations, caches and gradient buffers one thread needs
// to run the network on up to max_batch samples, planned once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/buffer.h"
#include "layers/layer.h"

namespace blnk {

inline constexpr Shape kMnistShape{28, 28, 1};

// A named parameter tensor, e.g. "conv2d_1/kernel" with shape (3, 3, 32, 64).
struct TensorInfo {
  std::string name;
  std::vector<int> shape;
  std::size_t offset = 0;  // in floats, into Network::params()
  std::size_t size = 0;
  bool int8 = false;  // a quantized kernel: stored as int8 (ParamInfo::int8)
};

class Network {
 public:
  explicit Network(const std::string& spec, Shape input = kMnistShape);
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;
  Network(Network&&) = default;

  const std::string& spec() const { return spec_; }  // canonical: every layer's own token
  Shape input_shape() const { return input_; }
  Shape output_shape() const { return layers_.back()->output_shape(); }
  int num_classes() const { return int(output_shape().size()); }
  const std::vector<std::unique_ptr<Layer>>& layers() const { return layers_; }
  const std::vector<std::string>& layer_names() const { return layer_names_; }
  std::size_t layer_param_offset(std::size_t layer) const { return layer_offsets_[layer]; }
  std::size_t layer_state_offset(std::size_t layer) const { return layer_state_offsets_[layer]; }
  // Layer::param_count() and state_count() build a list; these read the offsets (no allocation).
  std::size_t layer_param_count(std::size_t layer) const {
    return (layer + 1 < layers_.size() ? layer_offsets_[layer + 1] : params_.size()) - layer_offsets_[layer];
  }
  std::size_t layer_state_count(std::size_t layer) const {
    return (layer + 1 < layers_.size() ? layer_state_offsets_[layer + 1] : state_.size()) - layer_state_offsets_[layer];
  }

  std::size_t param_count() const { return params_.size(); }
  // Writable parameters. Taking them counts as a change: workspaces redo the layers'
  // prepared data (layers/layer.h) at their next forward. Take them anew for each change.
  std::span<float> mutable_params() {
    ++params_version_;
    return params_;
  }
  std::span<const float> params() const { return params_; }
  std::uint64_t params_version() const { return params_version_; }
  const std::vector<TensorInfo>& tensors() const { return tensors_; }

  // State: what layers keep that the optimizer does not train (BatchNorm's moving mean
  // and variance, layers/layer.h), in one flat array of its own. Taking it writable
  // counts as a change of the parameters (workspaces prepare again).
  std::size_t state_count() const { return state_.size(); }
  std::span<const float> state() const { return state_; }
  std::span<float> mutable_state() {
    ++params_version_;
    return state_;
  }
  const std::vector<TensorInfo>& state_tensors() const { return state_tensors_; }
  // Moves every layer's state towards a batch's statistics: `stats` (state_count()
  // floats) are the sums a training forward added over the batch's `batch` samples;
  // `updates`: how many updates came before (the training step: the warm-up).
  void update_state(std::span<const float> stats, int batch, std::int64_t updates);

  // Glorot-uniform kernels and zero biases from one seeded stream, layer by layer.
  void init(std::uint64_t seed);
  double forward_flops() const;  // per sample
  // A table like Keras's model.summary().
  std::string summary() const;

 private:
  std::string spec_;
  Shape input_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<std::string> layer_names_;
  std::vector<std::size_t> layer_offsets_;
  std::vector<std::size_t> layer_state_offsets_;
  std::vector<TensorInfo> tensors_;
  std::vector<TensorInfo> state_tensors_;
  std::vector<float> params_;
  std::vector<float> state_;
  std::uint64_t params_version_ = 0;
};

// What a workspace is planned for (the layers' Mode, layers/layer.h). An inference
// workspace shares one cache region among all layers (no cache has to survive until
// a backward pass) and is planned for at most kInferenceChunk samples: predict() runs
// larger batches chunk by chunk, which keeps each layer's working set in cache.
// backward() refuses to run on it. An inference workspace of a network with batch
// normalization runs the network with each bn folded into the layer before it
// (engine/fold.h), folded again whenever the parameters or the state changed.
inline constexpr int kInferenceChunk = 1;

class Workspace {
 public:
  // precision: of the layers' matrix products (bf16: `blnk train --precision bf16`).
  Workspace(const Network& net, int max_batch, Mode purpose = Mode::training, Precision precision = Precision::fp32);
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  int max_batch() const { return max_batch_; }
  const Network& network() const { return net_; }

  // Runs n <= planned_batch() samples x (n, input) through the network and returns
  // the logits (n, classes). In training mode, step_key seeds dropout, first_sample
  // is the index of x's first sample in the whole batch, and the layers add their
  // statistics to `stats` (Network::state_count() floats) unless it is null.
  const float* forward(const float* x, int n, Mode mode, std::uint64_t step_key = 0,
                       int first_sample = 0, float* stats = nullptr);
  // The (n, classes) buffer the loss writes d(loss)/d(logits) into before backward().
  float* logits_grad() { return grad_a_; }  // null in an inference workspace
  // Backpropagates logits_grad() through the last forward (which must have been in
  // training mode) and ADDS the parameter gradients to grads (param_count floats).
  void backward(float* grads);

  // Inference: class probabilities (n, classes) for n <= max_batch samples.
  void predict(const float* x, int n, float* probs);
  // Layer i's input in the last forward (the network's input for layer 0), as the
  // layers of the network it runs see it (the folded one in an inference workspace
  // with bn): what calibration measures (engine/quantize.h).
  const float* layer_input(std::size_t i) const { return i == 0 ? input_ : acts_[i - 1]; }
  // The samples one forward() takes: max_batch, or kInferenceChunk for inference.
  int planned_batch() const { return planned_; }

  std::size_t bytes() const { return memory_.size(); }
  // What a workspace for this network and batch would allocate, without allocating it.
  static std::size_t planned_bytes(const Network& net, int max_batch, Mode purpose = Mode::training,
                                   Precision precision = Precision::fp32);

 private:
  static std::size_t plan_bytes(const Network& run, int max_batch, Mode purpose, Precision precision);
  // The layers' shared bf16 scratch; 0 in float32.
  static std::size_t bf16_scratch_bytes(const Network& run, int planned, Precision precision);
  void prepare_layers();
  // The network the layers run: the folded one in an inference workspace with bn.
  const Network& runner() const { return folded_ ? *folded_ : net_; }

  const Network& net_;
  std::unique_ptr<Network> folded_;  // net_ with its bn folded (engine/fold.h); null: none to fold
  int max_batch_;
  int planned_;  // rows of every buffer
  Mode purpose_;
  Precision precision_;
  AlignedBuffer memory_;
  std::vector<float*> outputs_;       // outputs_[i]: layer i's output buffer (planned, out_i)
  std::vector<const float*> acts_;    // acts_[i]: layer i's output in the last forward (its
                                      // input, when the layer was an identity)
  std::vector<std::byte*> caches_;    // caches_[i]: layer i's cache
  std::vector<std::byte*> prepared_;  // prepared_[i]: layer i's prepared data
  std::uint64_t prepared_version_ = 0;  // the params_version() prepared_ was made from
  bool prepared_once_ = false;
  float* grad_a_ = nullptr;           // ping-pong gradient buffers (max_batch, largest layer)
  float* grad_b_ = nullptr;
  std::byte* bf16_scratch_ = nullptr;  // bf16 only
  const float* input_ = nullptr;      // the last forward's
  int n_ = 0;
  Mode mode_ = Mode::inference;
  std::uint64_t step_key_ = 0;
  int first_sample_ = 0;
};

}  // namespace blnk
