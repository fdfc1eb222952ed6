// ResidualBlock forward and backward (see residual.h), over its sub-layers.
//
// Cache, for n samples of output size O and input size I (floats):
//   a1 (n, O)  conv1's output            (with bn only; without, conv1 writes b1)
//   b1 (n, O)  bn1's output, after ReLU
//   a2 (n, O)  conv2's output            (with bn only; without, conv2 writes y)
//   sa (n, O)  the shortcut conv's output (with bn only)
//   sb (n, O)  the shortcut conv's output (without bn only; with bn, the forward
//              pass that sums the branches normalizes sa itself)
//   g (n, O)   a copy of the sum's gradient (without bn only: with bn, dy serves)
//   g1, g2 (n, O): backward's gradients
//   then each sub-layer's own cache.
#include "layers/residual.h"

#include <algorithm>
#include <cstring>

#include "base/buffer.h"
#include "base/error.h"
#include "layers/activation.h"

namespace blnk {

ResidualBlock::ResidualBlock(Shape input, int filters, int stride, bool batch_norm)
    : Layer(input), filters_(filters), stride_(stride), batch_norm_(batch_norm) {
  if (filters < 1) throw Error("ResidualBlock: the filter count must be positive");
  if (stride != 1 && stride != 2) throw Error("ResidualBlock: the stride must be 1 or 2");
  Conv2DConfig c1;
  c1.filters = filters;
  c1.stride_h = c1.stride_w = stride;
  c1.relu = !batch_norm;  // with bn, the ReLU comes after it
  conv1_ = std::make_unique<Conv2D>(input, c1);
  const Shape out = conv1_->output_shape();
  BatchNormConfig relu_bn, linear_bn;
  relu_bn.relu = true;
  if (batch_norm) bn1_ = std::make_unique<BatchNorm>(out, relu_bn);
  Conv2DConfig c2;
  c2.filters = filters;
  c2.relu = false;
  conv2_ = std::make_unique<Conv2D>(out, c2);
  if (batch_norm) bn2_ = std::make_unique<BatchNorm>(out, linear_bn);
  if (stride != 1 || input.c != filters) {
    Conv2DConfig cs;
    cs.filters = filters;
    cs.kernel_h = cs.kernel_w = 1;
    cs.stride_h = cs.stride_w = stride;
    cs.relu = false;
    shortcut_ = std::make_unique<Conv2D>(input, cs);
    if (batch_norm) bn_s_ = std::make_unique<BatchNorm>(out, linear_bn);
  }
  out_ = out;
  std::size_t param = 0, state = 0, prepared = 0;
  auto add = [&](const char* name, const Layer* layer) {
    if (!layer) return;
    parts_.push_back({name, layer, param, state, prepared});
    param += layer->param_count();
    state += layer->state_count();
    prepared += align_up(layer->prepared_bytes());
  };
  add("conv1", conv1_.get());
  add("bn1", bn1_.get());
  add("conv2", conv2_.get());
  add("bn2", bn2_.get());
  add("shortcut", shortcut_.get());
  add("shortcut_bn", bn_s_.get());
}

std::string ResidualBlock::spec() const {
  std::string s = "res" + std::to_string(filters_);
  if (stride_ != 1) s += ":s=" + std::to_string(stride_);
  if (!batch_norm_) s += ":norm=none";
  return s;
}

namespace {

// The parts' tensors (parameters or state) under the part's name, at the part's offset.
template <typename InfoOf, typename OffsetOf>
std::vector<ParamInfo> named_tensors(const std::vector<ResidualBlock::Part>& parts, InfoOf info_of, OffsetOf offset_of) {
  std::vector<ParamInfo> all;
  for (const ResidualBlock::Part& p : parts)
    for (ParamInfo info : info_of(*p.layer)) {
      info.name = std::string(p.name) + "/" + info.name;
      info.offset += offset_of(p);
      all.push_back(info);
    }
  return all;
}

}  // namespace

std::vector<ParamInfo> ResidualBlock::param_info() const {
  return named_tensors(parts_, [](const Layer& l) { return l.param_info(); },
                       [](const Part& p) { return p.param_offset; });
}

std::vector<ParamInfo> ResidualBlock::state_info() const {
  return named_tensors(parts_, [](const Layer& l) { return l.state_info(); },
                       [](const Part& p) { return p.state_offset; });
}

void ResidualBlock::init_params(float* params, Rng& rng) const {
  for (const Part& p : parts_) p.layer->init_params(params + p.param_offset, rng);
}

void ResidualBlock::init_state(float* state) const {
  for (const Part& p : parts_) p.layer->init_state(state + p.state_offset);
}

std::string ResidualBlock::invalid_state(const float* state) const {
  for (const Part& p : parts_) {
    const std::string why = p.layer->invalid_state(state + p.state_offset);
    if (!why.empty()) return std::string(p.name) + "/" + why;
  }
  return "";
}

void ResidualBlock::update_state(float* state, const float* stats, int batch, std::int64_t updates) const {
  for (const Part& p : parts_) p.layer->update_state(state + p.state_offset, stats + p.state_offset, batch, updates);
}

ResidualBlock::CacheLayout ResidualBlock::cache_layout(int n) const {
  CacheLayout l{};
  const std::size_t O = align_up(sizeof(float) * std::size_t(n) * out_.size());
  std::size_t at = 0;
  auto take = [&](std::size_t bytes) {
    const std::size_t here = at;
    at += align_up(bytes);
    return here;
  };
  l.a1 = take(batch_norm_ ? O : 0);
  l.b1 = take(O);
  l.a2 = take(batch_norm_ ? O : 0);
  l.sa = take(batch_norm_ && shortcut_ ? O : 0);
  l.sb = take(shortcut_ && !batch_norm_ ? O : 0);
  l.g = take(batch_norm_ ? 0 : O);
  l.g1 = take(O);
  l.g2 = take(O);
  l.conv1 = take(conv1_->cache_bytes(n));
  l.bn1 = take(bn1_ ? bn1_->cache_bytes(n) : 0);
  l.conv2 = take(conv2_->cache_bytes(n));
  l.bn2 = take(bn2_ ? bn2_->cache_bytes(n) : 0);
  l.conv_s = take(shortcut_ ? shortcut_->cache_bytes(n) : 0);
  l.bn_s = take(bn_s_ ? bn_s_->cache_bytes(n) : 0);
  l.total = at;
  return l;
}

std::size_t ResidualBlock::cache_bytes(int n) const { return cache_layout(n).total; }

// The parts run one at a time: the largest part's scratch serves them all.
std::size_t ResidualBlock::bf16_scratch_bytes(int n) const {
  std::size_t bytes = 0;
  for (const Part& p : parts_) bytes = std::max(bytes, p.layer->bf16_scratch_bytes(n));
  return bytes;
}

std::size_t ResidualBlock::prepared_bytes() const {
  std::size_t bytes = 0;
  for (const Part& p : parts_) bytes += align_up(p.layer->prepared_bytes());
  return bytes;
}

void ResidualBlock::prepare(const float* params, std::byte* prepared) const {
  for (const Part& p : parts_)
    if (p.layer->prepared_bytes()) p.layer->prepare(params + p.param_offset, prepared + p.prepared_offset);
}

double ResidualBlock::forward_flops() const {
  double flops = double(out_.size());  // the sum
  for (const Part& p : parts_) flops += p.layer->forward_flops();
  return flops;
}

LayerContext ResidualBlock::part_context(const LayerContext& ctx, const Part& part, std::byte* cache) const {
  LayerContext c = ctx;
  c.params = ctx.params + part.param_offset;
  c.grads = ctx.grads ? ctx.grads + part.param_offset : nullptr;
  c.state = ctx.state ? ctx.state + part.state_offset : nullptr;
  c.stats = ctx.stats ? ctx.stats + part.state_offset : nullptr;
  c.prepared = ctx.prepared ? ctx.prepared + part.prepared_offset : nullptr;
  c.cache = cache;
  return c;
}

void ResidualBlock::forward(const float* x, float* y, int n, const LayerContext& ctx) const {
  const CacheLayout l = cache_layout(n);
  std::byte* cache = ctx.cache;
  auto buffer = [&](std::size_t offset) { return reinterpret_cast<float*>(cache + offset); };
  auto run = [&](const Layer& layer, const float* in, float* out, std::size_t cache_offset) {
    for (const Part& p : parts_)
      if (p.layer == &layer) layer.forward(in, out, n, part_context(ctx, p, cache + cache_offset));
  };
  auto map_of = [&](const BatchNorm& bn, const float* in, std::size_t cache_offset) {
    for (const Part& p : parts_)
      if (p.layer == &bn) return bn.channel_map(in, n, part_context(ctx, p, cache + cache_offset));
    throw Error("ResidualBlock: a bn that is not one of its parts");  // unreachable
  };
  float* b1 = buffer(l.b1);
  const std::size_t pixels = std::size_t(n) * out_.h * out_.w;
  const int C = out_.c;
  if (batch_norm_) {
    run(*conv1_, x, buffer(l.a1), l.conv1);
    run(*bn1_, buffer(l.a1), b1, l.bn1);
    const float* a2 = buffer(l.a2);
    run(*conv2_, b1, buffer(l.a2), l.conv2);
    // bn2, the shortcut's bn, the sum and the ReLU in one pass over the outputs.
    const BatchNorm::ChannelMap main = map_of(*bn2_, a2, l.bn2);
    if (shortcut_) {
      const float* sa = buffer(l.sa);
      run(*shortcut_, x, buffer(l.sa), l.conv_s);
      const BatchNorm::ChannelMap side = map_of(*bn_s_, sa, l.bn_s);
      for (std::size_t p = 0; p < pixels; ++p)
        for (int c = 0; c < C; ++c) {
          const std::size_t i = p * C + c;
          const float m = (a2[i] - main.center[c]) * main.scale[c] + main.offset[c];
          const float s = (sa[i] - side.center[c]) * side.scale[c] + side.offset[c];
          y[i] = std::max(m + s, 0.0f);
        }
    } else {
      for (std::size_t p = 0; p < pixels; ++p)
        for (int c = 0; c < C; ++c) {
          const std::size_t i = p * C + c;
          const float m = (a2[i] - main.center[c]) * main.scale[c] + main.offset[c];
          y[i] = std::max(m + x[i], 0.0f);
        }
    }
    return;
  }
  run(*conv1_, x, b1, l.conv1);
  run(*conv2_, b1, y, l.conv2);
  const float* shortcut = x;
  if (shortcut_) {
    run(*shortcut_, x, buffer(l.sb), l.conv_s);
    shortcut = buffer(l.sb);
  }
  const std::size_t count = pixels * C;
  for (std::size_t i = 0; i < count; ++i) y[i] = std::max(y[i] + shortcut[i], 0.0f);
}

void ResidualBlock::backward(const float* x, const float* y, float* dy, float* dx, int n,
                             const LayerContext& ctx) const {
  const CacheLayout l = cache_layout(n);
  std::byte* cache = ctx.cache;
  auto buffer = [&](std::size_t offset) { return reinterpret_cast<float*>(cache + offset); };
  auto run = [&](const Layer& layer, const float* in, const float* out, float* d_out, float* d_in,
                 std::size_t cache_offset) {
    for (const Part& p : parts_)
      if (p.layer == &layer) layer.backward(in, out, d_out, d_in, n, part_context(ctx, p, cache + cache_offset));
  };
  // A convolution's backward that adds its input gradient to d_in (then not null).
  auto run_adding = [&](const Conv2D& conv, const float* in, const float* out, float* d_out, float* d_in,
                        std::size_t cache_offset) {
    for (const Part& p : parts_)
      if (p.layer == &conv)
        conv.backward_adding_dx(in, out, d_out, d_in, n, part_context(ctx, p, cache + cache_offset));
  };
  const std::size_t count = std::size_t(n) * out_.size();
  const bool identity = !shortcut_;
  // dy becomes the gradient of the sum; an identity block's input gradient starts
  // from it (in_ = out_), written in the same pass.
  if (identity && dx)
    for (std::size_t i = 0; i < count; ++i) dx[i] = dy[i] = y[i] > 0.0f ? dy[i] : 0.0f;
  else
    relu_mask(dy, y, count);
  // The sum's gradient for the shortcut: dy itself where bn2 comes first on the main
  // path (BatchNorm's backward leaves dy as it was), else a copy (a convolution's
  // backward may overwrite its dy).
  float* g = dy;
  if (!batch_norm_) {
    std::memcpy(buffer(l.g), dy, sizeof(float) * count);
    g = buffer(l.g);
  }
  float* g1 = buffer(l.g1);
  float* g2 = buffer(l.g2);
  const float* b1 = buffer(l.b1);
  // The input gradient: the identity shortcut's (g, in dx already) first, then conv1's
  // added to it; or conv1's, then the shortcut conv's added to it.
  auto conv1_backward = [&](const float* out, float* d_out) {
    if (identity && dx)
      run_adding(*conv1_, x, out, d_out, dx, l.conv1);
    else
      run(*conv1_, x, out, d_out, dx, l.conv1);
  };
  // A bn's backward without its output pass, and the convolution before it, which
  // takes the bn's map where it reads the gradient at its output (g1: scratch).
  auto bn_gradient = [&](const BatchNorm& bn, const float* in, const float* d_out, std::size_t cache_offset) {
    for (const Part& p : parts_)
      if (p.layer == &bn) return bn.input_gradient(in, d_out, n, part_context(ctx, p, cache + cache_offset));
    throw Error("ResidualBlock: a bn that is not one of its parts");  // unreachable
  };
  auto conv_through_bn = [&](const Conv2D& conv, const float* in, const float* out, const float* d_bn,
                             const BatchNormGradient& bn, float* d_in, bool add, std::size_t cache_offset) {
    for (const Part& p : parts_)
      if (p.layer == &conv)
        conv.backward_through_bn(in, out, d_bn, bn, d_in, n, part_context(ctx, p, cache + cache_offset), add, g1);
  };
  if (batch_norm_) {
    const BatchNormGradient main2 = bn_gradient(*bn2_, buffer(l.a2), dy, l.bn2);
    conv_through_bn(*conv2_, b1, buffer(l.a2), dy, main2, g2, false, l.conv2);
    const BatchNormGradient main1 = bn_gradient(*bn1_, buffer(l.a1), g2, l.bn1);
    const bool add = identity && dx;  // onto the identity's gradient, already in dx
    conv_through_bn(*conv1_, x, buffer(l.a1), g2, main1, dx, add, l.conv1);
  } else {
    run(*conv2_, b1, y, dy, g2, l.conv2);
    conv1_backward(b1, g2);
  }
  if (identity) return;
  if (batch_norm_) {
    const BatchNormGradient side = bn_gradient(*bn_s_, buffer(l.sa), g, l.bn_s);
    conv_through_bn(*shortcut_, x, buffer(l.sa), g, side, dx, dx != nullptr, l.conv_s);
    return;
  }
  float* ds = g;  // the gradient at the shortcut conv's output
  const float* s_out = buffer(l.sb);
  if (dx)
    run_adding(*shortcut_, x, s_out, ds, dx, l.conv_s);
  else
    run(*shortcut_, x, s_out, ds, nullptr, l.conv_s);
}

}  // namespace blnk
