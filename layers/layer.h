// The layer contract. Every layer of blnk implements this interface; the network
// (engine/network.h) plans every buffer once and calls layers on whole batches.
//
// Contract:
// - A layer is built for one input shape; output_shape() is fixed from then on.
// - A layer holds its configuration only. Parameters live in the network's flat
//   parameter array, activations and caches in a Workspace, so one network can
//   run in many threads at once, each with its own Workspace.
// - forward(x, y): writes every element of y (n samples). In training mode it may
//   write its cache (cache_bytes(n) bytes) for backward to read.
// - backward(x, y, dy, dx): reads what forward wrote (x, y, cache) and
//     * ADDS the parameter gradients to ctx.grads (whoever owns the gradient array zeroes
//       it before a step: the trainer, once per thread per batch);
//     * ASSIGNS the input gradient dx (every element written), unless dx is null
//       (the first layer: nobody needs it);
//     * may overwrite dy and the cache (they are scratch once backward has run).
// - prepare(params, prepared) computes what depends on the parameters alone (e.g. a
//   transformed kernel) into prepared_bytes() bytes; the workspace calls it after every
//   change of the parameters, before forward, and passes it on in ctx.prepared.
// - State (state_info(): e.g. BatchNorm's running mean and variance) is what a layer
//   keeps that is not trained by the optimizer. It lives in the network's flat state
//   array. In training mode forward ADDS the slice's statistics to ctx.stats (when it
//   is not null; one float per state float, weighted by the slice's n samples); the
//   trainer sums them over the batch's slices in slice order and calls update_state.
//   In inference mode forward reads ctx.state.
// - Precision (ctx.precision, layers/bf16_gemm.h): with bf16 a layer may run its matrix
//   products in bfloat16 with float32 sums; everything else stays float32. Its
//   bf16_scratch_bytes(n) bytes at ctx.bf16_scratch are shared by all layers (scratch
//   during one call only).
// - Nothing is allocated in forward, backward or prepare.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/rng.h"
#include "base/shape.h"
#include "layers/bf16_gemm.h"

namespace blnk {

enum class Mode { inference, training };

// One parameter tensor of a layer, e.g. a Conv2D kernel of shape (kh, kw, in, out).
struct ParamInfo {
  std::string name;        // "kernel" or "bias"
  std::vector<int> shape;  // row-major
  std::size_t offset = 0;  // in floats, from the start of the layer's parameter block
  bool int8 = false;       // whole numbers in [-127, 127], stored as int8 in model files
  std::size_t size() const {
    std::size_t s = 1;
    for (int d : shape) s *= std::size_t(d);
    return s;
  }
};

struct LayerContext {
  Mode mode = Mode::inference;
  const float* params = nullptr;  // this layer's parameter block
  float* grads = nullptr;         // this layer's gradient block (backward adds to it)
  std::byte* cache = nullptr;     // cache_bytes(n) bytes, 64-byte aligned
  const std::byte* prepared = nullptr;  // what prepare() wrote, 64-byte aligned
  const float* state = nullptr;   // this layer's state block (read in inference mode)
  float* stats = nullptr;         // training: forward adds its slice's statistics here (or null)
  std::uint64_t rng_key = 0;      // differs per step and per layer
  int first_sample = 0;           // index in the whole batch of this slice's sample 0
  Precision precision = Precision::fp32;  // of the matrix products
  std::byte* bf16_scratch = nullptr;      // bf16: the layers' shared scratch, 64-byte aligned
};

class Layer {
 public:
  explicit Layer(Shape input) : in_(input), out_(input) {}
  virtual ~Layer() = default;

  virtual std::string kind() const = 0;  // Keras class name, e.g. "Conv2D"
  virtual std::string spec() const = 0;  // the spec token that rebuilds this layer
  Shape input_shape() const { return in_; }
  Shape output_shape() const { return out_; }

  virtual std::vector<ParamInfo> param_info() const { return {}; }
  std::size_t param_count() const {
    std::size_t s = 0;
    for (const auto& p : param_info()) s += p.size();
    return s;
  }
  // Glorot-uniform kernels, zero biases (as Keras).
  virtual void init_params(float* params, Rng& rng) const {}
  // State tensors (not trained: no gradient), e.g. BatchNorm's moving mean and variance.
  virtual std::vector<ParamInfo> state_info() const { return {}; }
  std::size_t state_count() const {
    std::size_t s = 0;
    for (const auto& p : state_info()) s += p.size();
    return s;
  }
  virtual void init_state(float* state) const {}
  // Why a loaded state cannot be right (e.g. a negative variance), or "" when it can.
  virtual std::string invalid_state(const float* state) const { return ""; }
  // Moves the state towards a batch's statistics: `stats` holds the sums forward added
  // over the batch's slices (state_count() floats), `batch` the samples they cover,
  // `updates` how many updates came before this one (for a warm-up).
  virtual void update_state(float* state, const float* stats, int batch, std::int64_t updates) const {}
  virtual std::size_t cache_bytes(int n) const { return 0; }
  // Scratch for the products in bfloat16 (ctx.bf16_scratch): 0 where it runs none.
  virtual std::size_t bf16_scratch_bytes(int n) const { return 0; }
  virtual std::size_t prepared_bytes() const { return 0; }
  virtual void prepare(const float* params, std::byte* prepared) const {}
  // Multiply-adds counted as two operations, per sample.
  virtual double forward_flops() const { return 0; }

  // True for a layer that cannot train (a quantized one): a training workspace refuses it.
  virtual bool inference_only() const { return false; }

  // True when forward would copy x to y unchanged (Flatten; Dropout in inference):
  // the workspace then passes x on instead of calling forward and backward.
  virtual bool is_identity(Mode mode) const { return false; }

  virtual void forward(const float* x, float* y, int n, const LayerContext& ctx) const = 0;
  virtual void backward(const float* x, const float* y, float* dy, float* dx, int n,
                        const LayerContext& ctx) const = 0;

 protected:
  Shape in_, out_;
};

}  // namespace blnk
