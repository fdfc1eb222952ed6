// The quantized convolution and dense layers (spec option q=int8: `conv32:q=int8`,
// `dense10:act=linear:q=int8`), made by `blnk quantize` (engine/quantize.h) from
// trained float layers, for inference only. The scheme:
// - weights: symmetric int8 per output channel, w ~ kernel[..., o] * weight_scale[o],
//   kernel in [-127, 127];
// - input: 8-bit with one scale from calibration, x ~ (q - zero_point) * input_scale,
//   zero_point 0 for inputs that are never negative (after a ReLU, pixels), else 128;
// - int32 sums (layers/int8_gemm.h), then one fused epilogue per output: the sum minus
//   the zero point's share, times input_scale * weight_scale[o], plus the float32 bias,
//   then the ReLU; the output is float32, which the next quantized layer quantizes again.
// Parameters, all float32 in the network's flat array (the model file stores the
// kernel as int8): kernel (kh, kw, in, out) or (in, out), bias (out), kernel_scale
// (out), input_scale (1), input_zero_point (1). A dense layer is the 1x1 convolution
// of its (1, 1, in) input.
#pragma once

#include "layers/conv2d.h"
#include "layers/layer.h"
#include "layers/window.h"

namespace blnk {

class Int8Conv : public Layer {
 public:
  // A convolution, or (dense = true) a dense layer of cfg.filters units over a flat input.
  Int8Conv(Shape input, const Conv2DConfig& cfg, bool dense);

  std::string kind() const override { return dense_ ? "Dense" : "Conv2D"; }
  std::string spec() const override;
  std::vector<ParamInfo> param_info() const override;
  std::size_t cache_bytes(int n) const override;  // one sample's quantized input, padded
  std::size_t prepared_bytes() const override;
  void prepare(const float* params, std::byte* prepared) const override;
  double forward_flops() const override;

  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  bool inference_only() const override { return true; }
  // Throws: quantized layers are for inference.
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;

  const Conv2DConfig& config() const { return cfg_; }
  bool dense() const { return dense_; }

 private:
  struct Plan;  // byte offsets inside the prepared block
  Plan plan() const;
  int patch_size() const { return cfg_.kernel_h * cfg_.kernel_w * in_.c; }

  Conv2DConfig cfg_;
  bool dense_;
  Window window_;
  int padded_h_ = 0, padded_w_ = 0;  // the quantized input with its padding
  int run_ = 0;                      // one window row: kernel_w * channels bytes
  int segment_ = 0;                  // run_ rounded up to whole 4-byte groups (read with zero weights)
};

}  // namespace blnk
