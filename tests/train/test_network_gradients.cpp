// The whole default network, with dropout active and the loss on top, against
// central differences of the loss.
//
// Float tolerance, documented: the loss is computed in float32, so one evaluation
// carries ~3e-7 of rounding noise, and the network is full of ReLU and pooling
// kinks. Element-by-element differences of a deep parameter drown in that; so
// for every parameter tensor we check directional derivatives instead: along a
// random +-1 direction u (every element of the tensor moves by h = 3e-4), the
// central difference must match g.u within 3% (+1e-2). g.u sums the whole tensor's
// gradient, so it stands well above the noise, and a wrong index, a missing
// term or a gradient routed to the wrong buffer changes it by O(|g.u|). The last
// layer (Dense + softmax, smooth) is also checked element by element.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "engine/network.h"
#include "layers/registry.h"
#include "train/loss.h"

using namespace blnk;

namespace {

struct Fixture {
  Network net{kDefaultSpec};
  static constexpr int n = 32;
  std::vector<float> x;
  blnk::data::Label labels[n];
  Workspace ws{net, n};
  std::vector<float> grads;

  Fixture() {
    net.init(3);
    for (float& p : net.mutable_params()) p += 0.01f;  // non-zero biases
    Rng rng(5);
    x.resize(n * net.input_shape().size());
    for (float& v : x) v = rng.uniform();
    for (int i = 0; i < n; ++i) labels[i] = blnk::data::Label(rng.below(10));
    const float* logits = ws.forward(x.data(), n, Mode::training, 77, 0);
    train::softmax_cross_entropy(logits, labels, n, 10, n, ws.logits_grad());
    grads.assign(net.param_count(), 0.0f);
    ws.backward(grads.data());
  }
  double loss() {
    const float* logits = ws.forward(x.data(), n, Mode::training, 77, 0);
    return train::softmax_cross_entropy(logits, labels, n, 10, n, nullptr).loss_sum / n;
  }
};

}  // namespace

TEST_CASE("the default network's gradients match directional central differences") {
  Fixture f;
  Rng rng(11);
  const float h = 3e-4f;
  for (const TensorInfo& t : f.net.tensors()) {
    for (int trial = 0; trial < 3; ++trial) {
      std::vector<float> u(t.size);
      double analytic = 0;
      for (std::size_t i = 0; i < t.size; ++i) {
        u[i] = (rng.next() & 1) ? 1.0f : -1.0f;
        analytic += double(u[i]) * f.grads[t.offset + i];
      }
      std::vector<float> saved(f.net.params().begin() + t.offset, f.net.params().begin() + t.offset + t.size);
      for (std::size_t i = 0; i < t.size; ++i) f.net.mutable_params()[t.offset + i] = saved[i] + h * u[i];
      const double plus = f.loss();
      for (std::size_t i = 0; i < t.size; ++i) f.net.mutable_params()[t.offset + i] = saved[i] - h * u[i];
      const double minus = f.loss();
      std::copy(saved.begin(), saved.end(), f.net.mutable_params().begin() + t.offset);
      const double numeric = (plus - minus) / (2 * h);
      INFO(t.name << " direction " << trial << ": numeric " << numeric << ", analytic " << analytic);
      CHECK(std::abs(numeric - analytic) <= 1e-2 + 3e-2 * std::abs(analytic));
    }
  }
}

TEST_CASE("the default network's last layer gradients match element by element") {
  Fixture f;
  const float h = 1e-2f;  // the logits are linear in these, the loss smooth
  int checked = 0;
  for (const TensorInfo& t : f.net.tensors()) {
    if (t.name.rfind("dense_1/", 0) != 0) continue;
    for (std::size_t i = 0; i < t.size; i += 7) {
      float& p = f.net.mutable_params()[t.offset + i];
      const float saved = p;
      p = saved + h;
      const double plus = f.loss();
      p = saved - h;
      const double minus = f.loss();
      p = saved;
      const double numeric = (plus - minus) / (2 * h);
      const double analytic = f.grads[t.offset + i];
      INFO(t.name << "[" << i << "]: numeric " << numeric << ", analytic " << analytic);
      CHECK(std::abs(numeric - analytic) <= 2e-4 + 2e-2 * std::abs(analytic));
      ++checked;
    }
  }
  CHECK(checked > 150);
}
