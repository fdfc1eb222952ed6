// NetworkBuilder: typed calls to spec tokens.
#include "engine/builder.h"

#include <sstream>

namespace blnk {
namespace {

std::string activation_option(Activation a) {
  switch (a) {
    case Activation::relu: return ":act=relu";
    case Activation::linear: return ":act=linear";
    case Activation::automatic: return "";
  }
  return "";
}

}  // namespace

NetworkBuilder& NetworkBuilder::add(const std::string& token) {
  spec_ += (spec_.empty() ? "" : ",") + token;
  return *this;
}

NetworkBuilder& NetworkBuilder::conv(int filters, int kernel, int stride, Padding padding, Activation activation) {
  return add("conv" + std::to_string(filters) + ":k=" + std::to_string(kernel) + ":s=" + std::to_string(stride) +
             (padding == Padding::same ? ":pad=same" : ":pad=valid") + activation_option(activation));
}

NetworkBuilder& NetworkBuilder::pool(int size, int stride, Padding padding) {
  return add("pool:k=" + std::to_string(size) + ":s=" + std::to_string(stride > 0 ? stride : size) +
             (padding == Padding::same ? ":pad=same" : ":pad=valid"));
}

NetworkBuilder& NetworkBuilder::dropout(float rate) {
  std::ostringstream s;
  s << "drop" << rate;
  return add(s.str());
}

NetworkBuilder& NetworkBuilder::flatten() { return add("flatten"); }

NetworkBuilder& NetworkBuilder::dense(int units, Activation activation) {
  return add("dense" + std::to_string(units) + activation_option(activation));
}

NetworkBuilder& NetworkBuilder::relu() { return add("relu"); }

NetworkBuilder& NetworkBuilder::batch_norm(Activation activation) { return add("bn" + activation_option(activation)); }

NetworkBuilder& NetworkBuilder::avgpool(int size, int stride) {
  return add("avgpool:k=" + std::to_string(size) + ":s=" + std::to_string(stride > 0 ? stride : size));
}

NetworkBuilder& NetworkBuilder::global_avgpool() { return add("gap"); }

NetworkBuilder& NetworkBuilder::residual(int filters, int stride) {
  return add("res" + std::to_string(filters) + ":s=" + std::to_string(stride));
}

}  // namespace blnk
