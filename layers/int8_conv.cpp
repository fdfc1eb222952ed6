// Quantized convolution and dense layers (int8_conv.h): each sample's input is
// quantized once into a zero-point-padded byte image, whose windows the int8 product
// (layers/int8_gemm.h) reads in place: kernel_h runs of kernel_w * channels bytes, each
// read in whole 4-byte groups. Where a run is not (one input channel: 3 bytes), the
// bytes read past it meet zero weights, so no im2col copy is ever made.
#include "layers/int8_conv.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "base/buffer.h"
#include "base/error.h"
#include "layers/int8_gemm.h"

namespace blnk {

// The prepared block, in order: packed weights, the zero point's correction, the
// epilogue's scales and biases (each over the outputs rounded up to 16), each output
// pixel's byte offset into the padded image, and the input's quantization.
struct Int8Conv::Plan {
  std::size_t packed = 0, correction = 0, scale = 0, bias = 0, offsets = 0, input = 0, total = 0;
};

namespace {

struct InputQuantization {
  float inverse_scale;
  std::int32_t zero_point;
};

template <typename T>
T* at(std::byte* block, std::size_t offset) {
  return reinterpret_cast<T*>(block + offset);
}
template <typename T>
const T* at(const std::byte* block, std::size_t offset) {
  return reinterpret_cast<const T*>(block + offset);
}

}  // namespace

Int8Conv::Int8Conv(Shape input, const Conv2DConfig& cfg, bool dense) : Layer(input), cfg_(cfg), dense_(dense) {
  if (dense_ && (in_.h != 1 || in_.w != 1 || cfg_.kernel_h != 1 || cfg_.kernel_w != 1))
    throw Error("Dense: needs a flat input, got " + in_.str());
  window_ = conv2d_window(in_, cfg_);
  out_ = Shape{window_.rows.out, window_.cols.out, cfg_.filters};
  padded_h_ = std::max(window_.rows.pad_before + in_.h, (out_.h - 1) * cfg_.stride_h + cfg_.kernel_h);
  padded_w_ = std::max(window_.cols.pad_before + in_.w, (out_.w - 1) * cfg_.stride_w + cfg_.kernel_w);
  run_ = cfg_.kernel_w * in_.c;
  segment_ = int8_round_up(run_, kInt8Group);
}

std::string Int8Conv::spec() const {
  if (dense_) return "dense" + std::to_string(cfg_.filters) + (cfg_.relu ? ":act=relu" : ":act=linear") + ":q=int8";
  return conv2d_spec(cfg_) + (cfg_.relu ? ":act=relu" : "") + ":q=int8";
}

std::vector<ParamInfo> Int8Conv::param_info() const {
  const std::size_t kernel = std::size_t(patch_size()) * cfg_.filters, F = std::size_t(cfg_.filters);
  ParamInfo k = dense_ ? ParamInfo{"kernel", {in_.c, cfg_.filters}, 0}
                       : ParamInfo{"kernel", {cfg_.kernel_h, cfg_.kernel_w, in_.c, cfg_.filters}, 0};
  k.int8 = true;
  return {k,
          {"bias", {cfg_.filters}, kernel},
          {"kernel_scale", {cfg_.filters}, kernel + F},
          {"input_scale", {1}, kernel + 2 * F},
          {"input_zero_point", {1}, kernel + 2 * F + 1}};
}

Int8Conv::Plan Int8Conv::plan() const {
  const std::size_t outputs = std::size_t(int8_round_up(cfg_.filters, kInt8Block));
  Plan p;
  p.packed = 0;
  p.correction = align_up(int8_packed_bytes(cfg_.kernel_h * segment_, cfg_.filters));
  p.scale = p.correction + align_up(outputs * sizeof(std::int32_t));
  p.bias = p.scale + align_up(outputs * sizeof(float));
  p.offsets = p.bias + align_up(outputs * sizeof(float));
  p.input = p.offsets + align_up(std::size_t(out_.h) * out_.w * sizeof(std::int32_t));
  p.total = p.input + align_up(sizeof(InputQuantization));
  return p;
}

std::size_t Int8Conv::prepared_bytes() const { return plan().total; }

// The image, and room for the last window's read past its run.
std::size_t Int8Conv::cache_bytes(int) const {
  return std::size_t(padded_h_) * padded_w_ * in_.c + kInt8Group;
}

void Int8Conv::prepare(const float* params, std::byte* prepared) const {
  const Plan p = plan();
  const std::size_t F = std::size_t(cfg_.filters), kernel = std::size_t(patch_size()) * F;
  const float* bias = params + kernel;
  const float* kernel_scale = bias + F;
  const float input_scale = params[kernel + 2 * F];
  const float zero_point = params[kernel + 2 * F + 1];
  // A hostile file's scale or zero point gives wrong numbers, never undefined behaviour.
  InputQuantization q;
  q.inverse_scale = std::isfinite(input_scale) && input_scale > 0.0f ? 1.0f / input_scale : 0.0f;
  q.zero_point = std::isfinite(zero_point) ? std::int32_t(std::clamp(std::nearbyint(zero_point), 0.0f, 255.0f)) : 0;
  std::memcpy(prepared + p.input, &q, sizeof q);
  int8_pack_weights(params, cfg_.kernel_h, run_, segment_, cfg_.filters, q.zero_point,
                    at<std::int8_t>(prepared, p.packed), at<std::int32_t>(prepared, p.correction));
  const int outputs = int8_round_up(cfg_.filters, kInt8Block);
  for (int o = 0; o < outputs; ++o) {
    const bool real = o < cfg_.filters;
    at<float>(prepared, p.scale)[o] = real ? input_scale * kernel_scale[o] : 0.0f;
    at<float>(prepared, p.bias)[o] = real ? bias[o] : 0.0f;
  }
  std::int32_t* offsets = at<std::int32_t>(prepared, p.offsets);
  for (int oy = 0; oy < out_.h; ++oy)
    for (int ox = 0; ox < out_.w; ++ox) {
      const int pixel = oy * out_.w + ox;
      offsets[pixel] = (oy * cfg_.stride_h * padded_w_ + ox * cfg_.stride_w) * in_.c;
    }
}

double Int8Conv::forward_flops() const { return 2.0 * double(out_.h) * out_.w * cfg_.filters * patch_size(); }

void Int8Conv::forward(const float* x, float* y, int n, const LayerContext& ctx) const {
  const Plan p = plan();
  InputQuantization q;
  std::memcpy(&q, ctx.prepared + p.input, sizeof q);
  const std::size_t C = std::size_t(in_.c), row_bytes = std::size_t(padded_w_) * C;
  const std::size_t top = std::size_t(window_.rows.pad_before), left = std::size_t(window_.cols.pad_before) * C;
  const std::size_t right = row_bytes - left - std::size_t(in_.w) * C;
  std::uint8_t* image = reinterpret_cast<std::uint8_t*>(ctx.cache);  // (padded_h, padded_w, c)
  Int8Rows a;
  a.base = image;
  a.offsets = at<std::int32_t>(ctx.prepared, p.offsets);
  a.rows = out_.h * out_.w;
  a.segments = cfg_.kernel_h;
  a.segment_stride = std::ptrdiff_t(row_bytes);
  a.segment_length = segment_;
  Int8Weights w;
  w.packed = at<std::int8_t>(ctx.prepared, p.packed);
  w.correction = at<std::int32_t>(ctx.prepared, p.correction);
  w.scale = at<float>(ctx.prepared, p.scale);
  w.bias = at<float>(ctx.prepared, p.bias);
  w.depth = cfg_.kernel_h * segment_;
  w.outputs = cfg_.filters;
  w.relu = cfg_.relu;
  // The cache is shared with the other layers: the padding (the zero point, the
  // quantized 0.0) is written again for every sample, the border only.
  const auto zero = std::uint8_t(q.zero_point);
  std::memset(image, zero, top * row_bytes);
  const std::size_t bottom = top + std::size_t(in_.h);
  std::memset(image + bottom * row_bytes, zero, (std::size_t(padded_h_) - bottom) * row_bytes + kInt8Group);
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * in_.size();
    for (std::size_t iy = 0; iy < std::size_t(in_.h); ++iy) {
      std::uint8_t* row = image + (top + iy) * row_bytes;
      for (std::size_t b = 0; b < left; ++b) row[b] = zero;
      int8_quantize(xs + iy * in_.w * C, std::size_t(in_.w) * C, q.inverse_scale, q.zero_point, row + left);
      for (std::size_t b = row_bytes - right; b < row_bytes; ++b) row[b] = zero;
    }
    int8_product(a, w, y + std::size_t(s) * out_.size(), cfg_.filters);
  }
}

void Int8Conv::backward(const float*, const float*, float*, float*, int, const LayerContext&) const {
  throw Error(kind() + " '" + spec() + "': a quantized layer runs inference only (train the float model)");
}

}  // namespace blnk
