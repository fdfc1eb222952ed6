// Post-training int8 quantization: a trained float network becomes one whose
// convolutions and dense layers are the int8 layers of layers/int8_conv.h (spec option
// q=int8), with batch normalization folded first (engine/fold.h). Weights: symmetric
// int8 per output channel (scale = the channel's largest |w| / 127). Inputs: one scale
// per layer from calibration, the largest input value the layer saw over the
// calibration images (/ 255 with zero point 0 when no input was negative, else the
// largest magnitude / 127 with zero point 128). Every other layer (pooling, dropout,
// a bn that did not fold, residual blocks) stays float32 as it was.
#pragma once

#include <string>

#include "engine/network.h"

namespace blnk {

// What calibration saw at the input of each quantized layer.
struct InputRange {
  float low = 0.0f, high = 0.0f;
};

// `images`: (count, trained.input_shape()) float32 inputs as the model is fed them.
// Throws when count < 1 or the network has no conv or dense layer to quantize.
Network quantize_network(const Network& trained, const float* images, int count);

// True when the network holds int8 layers (its spec says q=int8).
bool is_quantized(const Network& net);

}  // namespace blnk
