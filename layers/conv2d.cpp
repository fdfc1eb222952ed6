// Conv2D: configuration, parameters and the choice of algorithm (see conv2d.h).
#include "layers/conv2d.h"

#include <algorithm>

#include "base/error.h"
#include "layers/activation.h"
#include "layers/eigen_maps.h"

namespace blnk {

Window conv2d_window(Shape in, const Conv2DConfig& cfg) {
  if (cfg.filters < 1 || cfg.kernel_h < 1 || cfg.kernel_w < 1 || cfg.stride_h < 1 || cfg.stride_w < 1)
    throw Error("Conv2D: filters, kernel size and stride must be positive");
  const Window window(in, cfg.kernel_h, cfg.kernel_w, cfg.stride_h, cfg.stride_w, cfg.padding);
  if (window.rows.out < 1 || window.cols.out < 1)
    throw Error("Conv2D: a " + std::to_string(cfg.kernel_h) + "x" + std::to_string(cfg.kernel_w) +
                " kernel with valid padding does not fit input " + in.str());
  return window;
}

std::string conv2d_spec(const Conv2DConfig& cfg) {
  std::string s = "conv" + std::to_string(cfg.filters);
  if (cfg.kernel_h != 3 || cfg.kernel_w != 3)
    s += ":k=" + (cfg.kernel_h == cfg.kernel_w ? std::to_string(cfg.kernel_h)
                                               : std::to_string(cfg.kernel_h) + "x" + std::to_string(cfg.kernel_w));
  if (cfg.stride_h != 1 || cfg.stride_w != 1)
    s += ":s=" + (cfg.stride_h == cfg.stride_w ? std::to_string(cfg.stride_h)
                                               : std::to_string(cfg.stride_h) + "x" + std::to_string(cfg.stride_w));
  if (cfg.padding == Padding::valid) s += ":pad=valid";
  if (!cfg.relu) s += ":act=linear";
  return s;
}

Conv2D::Conv2D(Shape input, const Conv2DConfig& config) : Layer(input), cfg_(config) {
  window_ = conv2d_window(in_, cfg_);
  out_ = Shape{window_.rows.out, window_.cols.out, cfg_.filters};
  if (in_.c == 1) {  // the first layer: an im2col GEMM with K = 9 would be memory-bound
    algorithm_ = Algorithm::direct;
    direct_ = DirectConv(window_, out_, cfg_.relu);
  } else if (cfg_.kernel_h == 3 && cfg_.kernel_w == 3 && cfg_.stride_h == 1 && cfg_.stride_w == 1) {
    algorithm_ = Algorithm::winograd;
    wino_ = Winograd3x3(in_, out_, window_.rows.pad_before, window_.cols.pad_before);
  } else {
    algorithm_ = Algorithm::im2col;
    im2col_ = Im2colConv(window_, out_);
  }
}

std::string Conv2D::spec() const { return conv2d_spec(cfg_); }

std::vector<ParamInfo> Conv2D::param_info() const {
  const std::size_t kernel = std::size_t(patch_size()) * cfg_.filters;
  return {{"kernel", {cfg_.kernel_h, cfg_.kernel_w, in_.c, cfg_.filters}, 0},
          {"bias", {cfg_.filters}, kernel}};
}

void Conv2D::init_params(float* params, Rng& rng) const {
  glorot_uniform_init(params, std::size_t(patch_size()) * cfg_.filters, std::size_t(cfg_.filters), patch_size(),
                      cfg_.kernel_h * cfg_.kernel_w * cfg_.filters, rng);
}

std::size_t Conv2D::cache_bytes(int n) const {
  switch (algorithm_) {
    case Algorithm::winograd: return wino_.cache_floats(n) * sizeof(float);
    case Algorithm::direct: return 0;
    case Algorithm::im2col: return im2col_.cache_floats(n) * sizeof(float);
  }
  return 0;
}

// In bfloat16: the Winograd and im2col products; the direct first layer stays float32.
std::size_t Conv2D::bf16_scratch_bytes(int n) const {
  switch (algorithm_) {
    case Algorithm::winograd: return wino_.bf16_scratch_bytes(n);
    case Algorithm::direct: return 0;
    case Algorithm::im2col: return im2col_.bf16_scratch_bytes();
  }
  return 0;
}

namespace {

// The products' scratch in bfloat16, null in float32.
std::byte* bf16_scratch_of(const LayerContext& ctx) {
  if (ctx.precision != Precision::bf16) return nullptr;
  if (!ctx.bf16_scratch) throw Error("Conv2D: bfloat16 products asked for without the scratch they need");
  return ctx.bf16_scratch;
}

}  // namespace

std::size_t Conv2D::prepared_bytes() const {
  switch (algorithm_) {
    case Algorithm::winograd: return wino_.prepared_floats() * sizeof(float);
    case Algorithm::direct: return 0;
    case Algorithm::im2col: return im2col_.prepared_floats() * sizeof(float);
  }
  return 0;
}

void Conv2D::prepare(const float* params, std::byte* prepared) const {
  if (algorithm_ == Algorithm::winograd) wino_.prepare(params, reinterpret_cast<float*>(prepared));
  if (algorithm_ == Algorithm::im2col) im2col_.prepare(params, reinterpret_cast<float*>(prepared));
}

double Conv2D::forward_flops() const {
  return 2.0 * double(out_.h) * out_.w * cfg_.filters * patch_size();
}

void Conv2D::forward(const float* x, float* y, int n, const LayerContext& ctx) const {
  const float* bias = ctx.params + std::size_t(patch_size()) * cfg_.filters;
  float* cache = reinterpret_cast<float*>(ctx.cache);
  switch (algorithm_) {
    case Algorithm::winograd:
      return wino_.forward(x, y, n, reinterpret_cast<const float*>(ctx.prepared), bias, cfg_.relu, cache,
                           bf16_scratch_of(ctx));
    case Algorithm::direct: return direct_.forward(x, y, n, ctx.params, bias);
    case Algorithm::im2col:
      return im2col_.forward(x, y, n, ctx.params, bias, cfg_.relu, cache, bf16_scratch_of(ctx));
  }
}

void Conv2D::backward(const float* x, const float* y, float* dy, float* dx, int n,
                      const LayerContext& ctx) const {
  backward_to(x, y, dy, dx, n, ctx, false);
}

void Conv2D::backward_adding_dx(const float* x, const float* y, float* dy, float* dx, int n,
                                const LayerContext& ctx) const {
  if (!dx) throw Error("Conv2D: backward_adding_dx needs an input gradient to add to");
  backward_to(x, y, dy, dx, n, ctx, true);
}

void Conv2D::backward_to(const float* x, const float* y, float* dy, float* dx, int n, const LayerContext& ctx,
                         bool add_dx) const {
  float* dbias = ctx.grads + std::size_t(patch_size()) * cfg_.filters;
  float* cache = reinterpret_cast<float*>(ctx.cache);
  if (algorithm_ == Algorithm::winograd)  // applies the ReLU's mask and sums the bias gradient itself
    return wino_.backward(x, y, dy, dx, n, reinterpret_cast<const float*>(ctx.prepared), cfg_.relu, ctx.grads,
                          dbias, cache, add_dx, bf16_scratch_of(ctx));
  if (algorithm_ == Algorithm::direct && !dx && direct_.backward_in_registers(x, y, dy, n, ctx.grads, dbias)) return;
  // dy becomes the gradient before the ReLU, dz (M, F), in place.
  const Eigen::Index M = Eigen::Index(n) * out_.h * out_.w;
  if (cfg_.relu) relu_mask(dy, y, std::size_t(M) * cfg_.filters);
  add_column_sums(dy, M, cfg_.filters, dbias);
  if (algorithm_ == Algorithm::direct) return direct_.backward(x, dy, dx, n, ctx.params, ctx.grads, add_dx);
  im2col_.backward(x, dy, dx, n, ctx.params, reinterpret_cast<const float*>(ctx.prepared), ctx.grads, cache, add_dx,
                   bf16_scratch_of(ctx));
}

void Conv2D::backward_through_bn(const float* x, const float* y, const float* dy, const BatchNormGradient& bn,
                                 float* dx, int n, const LayerContext& ctx, bool add_dx, float* scratch) const {
  if (cfg_.relu) throw Error("Conv2D: a bn after a convolution with a ReLU of its own");
  float* dbias = ctx.grads + std::size_t(patch_size()) * cfg_.filters;
  float* cache = reinterpret_cast<float*>(ctx.cache);
  const float* prepared = reinterpret_cast<const float*>(ctx.prepared);
  if (algorithm_ == Algorithm::winograd)
    return wino_.backward(x, y, dy, dx, n, prepared, false, ctx.grads, dbias, cache, add_dx, bf16_scratch_of(ctx),
                          &bn);
  if (algorithm_ == Algorithm::im2col)
    return im2col_.backward_through_bn(x, bn, dy, dx, n, ctx.params, prepared, ctx.grads, dbias, cache, scratch,
                                       add_dx, bf16_scratch_of(ctx));
  // The direct convolution reads the gradient whole: the bn's pass, then backward.
  const std::size_t count = std::size_t(n) * out_.size();
  const std::size_t C = std::size_t(out_.c);
  for (std::size_t i = 0; i < count; ++i)
    scratch[i] = bn.relu ? bn.at<true>(dy, i, int(i % C)) : bn.at<false>(dy, i, int(i % C));
  backward_to(x, y, scratch, dx, n, ctx, add_dx);
}

void conv2d_forward_reference(const Shape& in, const Conv2DConfig& cfg, const float* kernel,
                              const float* bias, const float* x, float* y, int n) {
  const Window window(in, cfg.kernel_h, cfg.kernel_w, cfg.stride_h, cfg.stride_w, cfg.padding);
  const int F = cfg.filters;
  for (int s = 0; s < n; ++s)
    for (int oy = 0; oy < window.rows.out; ++oy)
      for (int ox = 0; ox < window.cols.out; ++ox)
        for (int f = 0; f < F; ++f) {
          double acc = bias[f];
          window.for_each_tap(oy, ox, [&](int tap, std::size_t pixel) {
            for (int c = 0; c < in.c; ++c)
              acc += double(x[(std::size_t(s) * in.h * in.w + pixel) * in.c + c]) *
                     kernel[(std::size_t(tap) * in.c + c) * F + f];
          });
          if (cfg.relu) acc = std::max(acc, 0.0);
          y[((std::size_t(s) * window.rows.out + oy) * window.cols.out + ox) * F + f] = float(acc);
        }
}

}  // namespace blnk
