// Batch normalization folded into the layer before it, for inference: a BatchNorm
// after a linear convolution or dense layer is an affine map per output channel, so
//   kernel'[..., c] = kernel[..., c] * scale[c]
//   bias'[c]        = bias[c] * scale[c] + shift[c]
// with scale = gamma / sqrt(moving_variance + epsilon), shift = beta - moving_mean * scale,
// and the pair becomes one layer with the bn's activation; a residual block's bn fold into
// its convolutions (res<F>:norm=none). An inference workspace runs the folded network
// (engine/network.h): what it computes is the trained network's inference, up to rounding.
#pragma once

#include <string>

#include "engine/network.h"

namespace blnk {

// True when `net` has a BatchNorm that folds (after a linear conv or dense, or in a
// residual block).
bool has_foldable_batch_norm(const Network& net);
// The spec of the folded network: the same layers without the folded bn.
std::string folded_spec(const Network& net);
// Writes the folded parameters (and the state of any bn left unfolded) of `trained`
// into `folded`, built from folded_spec(trained). Allocates nothing.
void fold_params(const Network& trained, Network& folded);

}  // namespace blnk
