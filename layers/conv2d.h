// Conv2D: a 2-D convolution over NHWC batches with Keras semantics (kernel stored
// as (kh, kw, in, out), `same` padding split with the extra row/column at the
// bottom/right), bias and an optional fused ReLU. The layer chooses one of three
// algorithms, each in its own file: Winograd F(2x2,3x3) for 3x3 stride-1 kernels
// (layers/winograd.h); for one input channel a direct convolution
// (layers/conv2d_direct.h); im2col + GEMM for the rest (layers/conv2d_im2col.h).
// The naive direct convolution below is the tests' oracle.
#pragma once

#include "layers/conv2d_direct.h"
#include "layers/conv2d_im2col.h"
#include "layers/layer.h"
#include "layers/window.h"
#include "layers/winograd.h"

namespace blnk {

struct Conv2DConfig {
  int filters = 32;
  int kernel_h = 3, kernel_w = 3;
  int stride_h = 1, stride_w = 1;
  Padding padding = Padding::same;
  bool relu = true;
};

// The window of a convolution over `in`; throws when the configuration is not
// positive or a valid-padded kernel does not fit.
Window conv2d_window(Shape in, const Conv2DConfig& cfg);
// The spec token of a convolution (without options at their defaults).
std::string conv2d_spec(const Conv2DConfig& cfg);

class Conv2D : public Layer {
 public:
  Conv2D(Shape input, const Conv2DConfig& config);

  std::string kind() const override { return "Conv2D"; }
  std::string spec() const override;
  std::vector<ParamInfo> param_info() const override;
  void init_params(float* params, Rng& rng) const override;
  std::size_t cache_bytes(int n) const override;
  std::size_t bf16_scratch_bytes(int n) const override;
  std::size_t prepared_bytes() const override;
  void prepare(const float* params, std::byte* prepared) const override;
  double forward_flops() const override;

  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;
  // backward, but ADDS the input gradient to dx (not null): how the residual block
  // sums its two branches' input gradients, with no buffer or pass of its own.
  void backward_adding_dx(const float* x, const float* y, float* dy, float* dx, int n,
                          const LayerContext& ctx) const;

  // backward where a BatchNorm follows (the convolution has no ReLU of its own): dy is
  // the gradient at the bn's output, bn its map to the gradient at y (the bn's input),
  // which Winograd and im2col take as they read it rather than after a pass that
  // writes it. scratch: room for the gradient at y (n samples); dy is not written.
  // ASSIGNS dx, or ADDS to it when add_dx; dx null: no input gradient.
  void backward_through_bn(const float* x, const float* y, const float* dy, const BatchNormGradient& bn, float* dx,
                           int n, const LayerContext& ctx, bool add_dx, float* scratch) const;

  const Conv2DConfig& config() const { return cfg_; }

 private:
  enum class Algorithm { winograd, direct, im2col };
  int patch_size() const { return cfg_.kernel_h * cfg_.kernel_w * in_.c; }
  void backward_to(const float* x, const float* y, float* dy, float* dx, int n, const LayerContext& ctx,
                   bool add_dx) const;

  Conv2DConfig cfg_;
  Window window_;
  Algorithm algorithm_ = Algorithm::im2col;
  Winograd3x3 wino_;
  DirectConv direct_;
  Im2colConv im2col_;
};

// The oracle: a direct convolution, no im2col, no GEMM, accumulated in double.
void conv2d_forward_reference(const Shape& in, const Conv2DConfig& cfg, const float* kernel,
                              const float* bias, const float* x, float* y, int n);

}  // namespace blnk
