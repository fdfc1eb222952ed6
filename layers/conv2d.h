// Conv2D: a 2-D convolution over NHWC batches with Keras semantics (kernel stored
// as (kh, kw, in, out), `same` padding split with the extra row/column at the
// bottom/right), bias and an optional fused ReLU. Three paths: Winograd F(2x2,3x3)
// for 3x3 stride-1 kernels (layers/winograd.h); for one input channel (the first
// layer, where a K=9 GEMM is memory-bound) a direct convolution vectorised over the
// filters; im2col + one GEMM per batch slice for the rest. The naive direct
// convolution beside them is the tests' oracle.
#pragma once

#include "layers/layer.h"
#include "layers/winograd.h"

namespace blnk {

enum class Padding { same, valid };

struct Conv2DConfig {
  int filters = 32;
  int kernel_h = 3, kernel_w = 3;
  int stride_h = 1, stride_w = 1;
  Padding padding = Padding::same;
  bool relu = true;
};

// Output size and leading padding of one spatial dimension, as Keras computes them.
struct PaddedDim {
  int out = 0;
  int pad_before = 0;
};
PaddedDim padded_dim(int in, int kernel, int stride, Padding padding);

class Conv2D : public Layer {
 public:
  Conv2D(Shape input, const Conv2DConfig& config);

  std::string kind() const override { return "Conv2D"; }
  std::string spec() const override;
  std::vector<ParamInfo> param_info() const override;
  void init_params(float* params, Rng& rng) const override;
  std::size_t cache_bytes(int n) const override;
  std::size_t prepared_bytes() const override;
  void prepare(const float* params, std::byte* prepared) const override;
  double forward_flops() const override;

  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;

  const Conv2DConfig& config() const { return cfg_; }

 private:
  int patch_size() const { return cfg_.kernel_h * cfg_.kernel_w * in_.c; }
  // One input channel: no im2col, no cache.
  bool direct() const { return in_.c == 1; }
  bool winograd() const { return winograd_; }
  void im2col(const float* x, float* col, int n) const;
  void col2im(const float* col, float* dx, int n) const;
  void forward_direct(const float* x, float* y, int n, const float* kernel, const float* bias) const;
  template <int FIXED>
  void forward_direct_rows(const float* x, float* y, int n, const float* kernel, const float* bias) const;
  void backward_direct(const float* x, const float* dz, float* dx, int n, const float* kernel,
                       float* dkernel) const;
  // One input channel, 3x3, stride 1, filters in whole AVX-512 vectors (the seed's first
  // layer): forward with the kernel held in registers; backward without an input
  // gradient, the kernel gradient held in registers and the ReLU mask and bias sums in
  // the same pass. Each returns false when the CPU or the layer does not fit.
  bool first_layer_in_registers() const;
  bool forward_first_layer(const float* x, float* y, int n, const float* kernel, const float* bias) const;
  bool backward_first_layer(const float* x, const float* y, const float* dy, int n, float* dkernel,
                            float* dbias) const;

  Conv2DConfig cfg_;
  PaddedDim rows_, cols_;
  bool winograd_ = false;  // 3x3, stride 1, more than one input channel
  Winograd3x3 wino_;
};

// The oracle: a direct convolution, no im2col, no GEMM, accumulated in double.
void conv2d_forward_reference(const Shape& in, const Conv2DConfig& cfg, const float* kernel,
                              const float* bias, const float* x, float* y, int n);

}  // namespace blnk
