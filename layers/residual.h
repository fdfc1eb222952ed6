// ResidualBlock: the basic block of ResNet (He et al. 2016), one layer of blnk:
//   main:     3x3 conv (stride s), bn, ReLU, 3x3 conv, bn
//   shortcut: the input, or where the shape changes (stride 2 or another channel
//             count) a 1x1 conv (stride s) and bn
//   output:   ReLU(main + shortcut)
// Built of Conv2D and BatchNorm sub-layers, whose parameters, state, caches and
// prepared data it lays out one after the other in its own blocks. With
// batch_norm false the block has no bn (its convolutions keep their biases): what an
// inference workspace runs once the bn are folded into the convolutions (engine/fold.h).
#pragma once

#include <memory>

#include "layers/batchnorm.h"
#include "layers/conv2d.h"
#include "layers/layer.h"

namespace blnk {

class ResidualBlock : public Layer {
 public:
  ResidualBlock(Shape input, int filters, int stride, bool batch_norm);

  std::string kind() const override { return "ResidualBlock"; }
  std::string spec() const override;
  std::vector<ParamInfo> param_info() const override;
  void init_params(float* params, Rng& rng) const override;
  std::vector<ParamInfo> state_info() const override;
  void init_state(float* state) const override;
  std::string invalid_state(const float* state) const override;
  void update_state(float* state, const float* stats, int batch, std::int64_t updates) const override;
  std::size_t cache_bytes(int n) const override;
  std::size_t bf16_scratch_bytes(int n) const override;
  std::size_t prepared_bytes() const override;
  void prepare(const float* params, std::byte* prepared) const override;
  double forward_flops() const override;

  void forward(const float* x, float* y, int n, const LayerContext& ctx) const override;
  void backward(const float* x, const float* y, float* dy, float* dx, int n,
                const LayerContext& ctx) const override;

  int filters() const { return filters_; }
  int stride() const { return stride_; }
  bool batch_norm() const { return batch_norm_; }
  bool has_shortcut_conv() const { return shortcut_ != nullptr; }

  // The sub-layers in parameter order: conv1, bn1, conv2, bn2, shortcut conv, its bn
  // (the bn and the shortcut only where the block has them).
  struct Part {
    const char* name;
    const Layer* layer;
    std::size_t param_offset, state_offset, prepared_offset;
  };
  const std::vector<Part>& parts() const { return parts_; }

 private:
  // Part i's context: ctx's blocks advanced to the part's own; its cache starts at `cache`.
  LayerContext part_context(const LayerContext& ctx, const Part& part, std::byte* cache) const;
  // Where each buffer lies in the cache for n samples (byte offsets).
  struct CacheLayout {
    std::size_t a1, b1, a2, sa, sb, g, g1, g2;  // activations and gradients (see residual.cpp)
    std::size_t conv1, bn1, conv2, bn2, conv_s, bn_s;  // the sub-layers' caches
    std::size_t total;
  };
  CacheLayout cache_layout(int n) const;

  int filters_, stride_;
  bool batch_norm_;
  std::unique_ptr<Conv2D> conv1_, conv2_, shortcut_;
  std::unique_ptr<BatchNorm> bn1_, bn2_, bn_s_;
  std::vector<Part> parts_;
};

}  // namespace blnk
