// Folding batch normalization into the layer before it (see fold.h).
#include "engine/fold.h"

#include <algorithm>
#include <cmath>

#include "base/error.h"
#include "layers/batchnorm.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/registry.h"
#include "layers/residual.h"

namespace blnk {
namespace {

// A conv or dense layer without ReLU, whose output a bn can be folded into.
bool is_linear_product(const Layer& layer) {
  if (const auto* conv = dynamic_cast<const Conv2D*>(&layer)) return !conv->config().relu;
  if (const auto* dense = dynamic_cast<const Dense*>(&layer)) return !dense->relu();
  return false;
}

const BatchNorm* batch_norm_after(const Network& net, std::size_t i) {
  if (i + 1 >= net.layers().size() || !is_linear_product(*net.layers()[i])) return nullptr;
  return dynamic_cast<const BatchNorm*>(net.layers()[i + 1].get());
}

const ResidualBlock* residual_with_bn(const Layer& layer) {
  const auto* res = dynamic_cast<const ResidualBlock*>(&layer);
  return res && res->batch_norm() ? res : nullptr;
}

// A product's `count` parameters (a kernel whose last dimension is the output channel,
// then one bias per channel) with the bn folded in, written to `out`.
void fold_product(const float* params, std::size_t count, const BatchNorm& bn, const float* bn_params,
                  const float* bn_state, float* out) {
  const std::size_t C = std::size_t(bn.input_shape().c);
  const std::size_t kernel = count - C;
  for (std::size_t i = 0; i < kernel; ++i) {
    const std::size_t c = i % C;
    float scale, shift;
    bn.channel_affine(bn_params, bn_state, int(c), scale, shift);
    out[i] = params[i] * scale;
  }
  for (std::size_t c = 0; c < C; ++c) {
    float scale, shift;
    bn.channel_affine(bn_params, bn_state, int(c), scale, shift);
    out[kernel + c] = params[kernel + c] * scale + shift;
  }
}


}  // namespace

bool has_foldable_batch_norm(const Network& net) {
  for (std::size_t i = 0; i < net.layers().size(); ++i)
    if (batch_norm_after(net, i) || residual_with_bn(*net.layers()[i])) return true;
  return false;
}

std::string folded_spec(const Network& net) {
  const std::vector<std::string> tokens = spec_tokens(net.spec());  // one canonical token per layer
  std::string spec;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::string token = tokens[i];
    if (const BatchNorm* bn = batch_norm_after(net, i)) {
      token = token.substr(0, token.rfind(":act=linear")) + (bn->config().relu ? ":act=relu" : ":act=linear");
      ++i;  // the bn is gone
    } else if (residual_with_bn(*net.layers()[i])) {
      token += ":norm=none";
    }
    spec += (spec.empty() ? "" : ",") + token;
  }
  return spec;
}

void fold_params(const Network& trained, Network& folded) {
  const auto& from = trained.layers();
  const float* params = trained.params().data();
  const float* state = trained.state().data();
  float* out = folded.mutable_params().data();
  float* out_state = folded.mutable_state().data();
  std::size_t j = 0;  // the folded layer
  for (std::size_t i = 0; i < from.size(); ++i, ++j) {
    if (j >= folded.layers().size()) throw Error("fold: the folded network does not match the trained one");
    const float* p = params + trained.layer_param_offset(i);
    const float* s = state + trained.layer_state_offset(i);
    float* q = out + folded.layer_param_offset(j);
    if (const BatchNorm* bn = batch_norm_after(trained, i)) {
      fold_product(p, trained.layer_param_count(i), *bn, params + trained.layer_param_offset(i + 1),
                   state + trained.layer_state_offset(i + 1), q);
      ++i;
    } else if (const ResidualBlock* res = residual_with_bn(*from[i])) {
      // Parts in order: conv1, bn1, conv2, bn2[, shortcut, shortcut_bn]; folded: conv1, conv2[, shortcut].
      const auto& parts = res->parts();
      const auto& folded_parts = static_cast<const ResidualBlock&>(*folded.layers()[j]).parts();
      for (std::size_t k = 0; k + 1 < parts.size(); k += 2)
        fold_product(p + parts[k].param_offset, parts[k + 1].param_offset - parts[k].param_offset, static_cast<const BatchNorm&>(*parts[k + 1].layer),
                     p + parts[k + 1].param_offset, s + parts[k + 1].state_offset,
                     q + folded_parts[k / 2].param_offset);
    } else {
      std::copy(p, p + trained.layer_param_count(i), q);
      std::copy(s, s + trained.layer_state_count(i), out_state + folded.layer_state_offset(j));
    }
  }
}

}  // namespace blnk
