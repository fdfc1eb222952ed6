// A C++ builder for networks, the typed twin of the text spec:
//
//   Network net = NetworkBuilder({28, 28, 1})
//                     .conv(32).pool().dropout(0.25)
//                     .conv(64).pool().dropout(0.25)
//                     .conv(64).pool().dropout(0.25)
//                     .flatten().dense(128).dropout(0.25).dense(10)
//                     .build();
//
// It writes the spec tokens of layers/registry.h, so a built network and one made
// from the same spec are the same network (and save the same model file).
#pragma once

#include <string>

#include "engine/network.h"
#include "layers/conv2d.h"

namespace blnk {

// automatic: ReLU, linear for the last layer; a conv or dense before a bn is linear and
// the bn takes the ReLU (layers/registry.h).
enum class Activation { relu, linear, automatic };

class NetworkBuilder {
 public:
  explicit NetworkBuilder(Shape input = kMnistShape) : input_(input) {}

  NetworkBuilder& conv(int filters, int kernel = 3, int stride = 1, Padding padding = Padding::same,
                       Activation activation = Activation::automatic);
  NetworkBuilder& pool(int size = 2, int stride = 0 /* 0: the pool size */, Padding padding = Padding::valid);
  NetworkBuilder& dropout(float rate);
  NetworkBuilder& flatten();
  NetworkBuilder& dense(int units, Activation activation = Activation::automatic);
  NetworkBuilder& relu();
  NetworkBuilder& batch_norm(Activation activation = Activation::automatic);
  NetworkBuilder& avgpool(int size = 2, int stride = 0 /* 0: the pool size */);
  NetworkBuilder& global_avgpool();
  NetworkBuilder& residual(int filters, int stride = 1);

  const std::string& spec() const { return spec_; }
  // Throws Error, as Network(spec) does, when the layers do not fit together.
  Network build() const { return Network(spec_, input_); }

 private:
  NetworkBuilder& add(const std::string& token);

  Shape input_;
  std::string spec_;
};

}  // namespace blnk
