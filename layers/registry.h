// The layer registry: spec tokens <-> layers. A model spec is a comma-separated
// list of tokens, each a kind name with an optional number and `:key=value`
// options, e.g. the seed's model:
//   conv32,pool,drop0.25,conv64,pool,drop0.25,conv64,pool,drop0.25,flatten,dense128,drop0.25,dense10
//
//   conv<F>[:k=3|3x5][:s=1|2x1][:pad=same|valid][:act=relu|linear]   Conv2D (ReLU by default;
//          [:q=int8]                                                 q=int8: quantized, layers/int8_conv.h)
//   pool[:k=2][:s=<k>][:pad=valid|same]                              MaxPooling2D
//   drop<rate>                                                       Dropout
//   flatten                                                          Flatten
//   dense<U>[:act=relu|linear][:q=int8]                              Dense (ReLU by default,
//                                                                    linear if it is the last layer)
//   relu                                                             ReLU
//   bn[:act=relu|linear][:eps=0.001][:m=0.99]                        BatchNormalization (ReLU by
//                                                                    default after a conv or dense,
//                                                                    which are then linear by default)
//   avgpool[:k=2][:s=<k>]                                            AveragePooling2D (valid)
//   gap                                                              GlobalAveragePooling2D
//   res<F>[:s=1|2][:norm=bn|none]                                    residual basic block
//                                                                    (layers/residual.h)
// The last layer's outputs are logits: softmax is applied by the loss and by prediction.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "layers/layer.h"

namespace blnk {

// The seed's model (shared/seed/MODEL.md).
inline constexpr const char* kDefaultSpec =
    "conv32,pool,drop0.25,conv64,pool,drop0.25,conv64,pool,drop0.25,flatten,dense128,drop0.25,"
    "dense10";

struct LayerKind {
  const char* name;    // the token's leading word
  const char* syntax;  // for help texts
  const char* doc;
};
const std::vector<LayerKind>& layer_kinds();

// Builds the layers of a spec for the given input shape; throws Error naming the
// offending token and what is wrong with it.
std::vector<std::unique_ptr<Layer>> build_layers(const std::string& spec, Shape input);

// A canonical spec's tokens, one per layer (no trimming: canonical_spec() writes none).
std::vector<std::string> spec_tokens(const std::string& spec);

// The spec that rebuilds exactly these layers: every layer's own token, with what its
// place would otherwise change said outright (a conv with ReLU before a bn).
std::string canonical_spec(const std::vector<std::unique_ptr<Layer>>& layers);

}  // namespace blnk
