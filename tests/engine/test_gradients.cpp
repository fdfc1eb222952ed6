// Numerical gradient checks for every registered layer kind.
#include <doctest/doctest.h>

#include <set>

#include "gradcheck.h"
#include "base/buffer.h"
#include "layers/registry.h"

using blnk::Shape;
using blnk::testing::check_layer_gradients;

namespace {

struct Case {
  const char* token;
  Shape input;
  int batch;
  float step = blnk::testing::kDefaultStep;
};

// Winograd F(4x4,3x3) rounds more than a direct sum; its linear cases take a large step
// (exact for a linear layer), so that rounding noise / step stays small.
constexpr float kWinogradStep = 0.25f;

// Each registered kind appears here at least once; the sweep test below fails if a
// new kind is registered without a gradient check.
const Case kCases[] = {
    // 3x3 stride 1: the Winograd path, 4x4 output tiles unless said otherwise
    {"conv4:act=linear", {5, 7, 3}, 2, kWinogradStep},
    {"conv4", {5, 7, 3}, 2},
    {"conv16:act=linear", {7, 7, 16}, 3, kWinogradStep},   // odd size, as the seed's third layer
    {"conv64:act=linear", {14, 14, 32}, 1, kWinogradStep}, // the seed's second layer
    {"conv16:act=linear", {30, 30, 2}, 2, kWinogradStep},  // 64 tiles: one sample per chunk
    {"conv5:pad=valid:act=linear", {9, 8, 4}, 2, kWinogradStep},  // valid padding
    {"conv8:pad=valid:act=linear", {4, 8, 3}, 2},  // 2x6 outputs: 2x2 tiles
    {"conv16", {2, 6, 5}, 2},                      // 2x2 tiles with the ReLU
    {"conv3:k=2:s=2", {7, 6, 2}, 2},           // even kernel, asymmetric same padding
    {"conv5:k=3:s=2:pad=valid", {9, 8, 2}, 2},  // stride 2, valid
    {"conv4:k=3:s=2:act=linear", {18, 18, 2}, 2},  // 162 im2col rows: the kernel gradient in two calls
    {"conv2:k=4x2:pad=same", {6, 5, 3}, 1},
    {"conv32:act=linear", {28, 28, 1}, 1},  // the seed's first layer (ReLU kinks are too dense here)
    {"conv6", {9, 7, 1}, 2},                     // one input channel: the direct path
    {"conv5:k=2:s=2:act=linear", {7, 8, 1}, 2},  // direct path, stride 2, asymmetric padding
    {"conv16:k=3:s=2:pad=valid", {9, 9, 1}, 2},  // direct path, a fixed filter count
    {"pool", {7, 7, 3}, 2},  // 7 -> 3, floor
    {"pool:k=3:s=2:pad=same", {6, 5, 2}, 2},
    {"drop0.25", {4, 4, 3}, 3},
    {"drop0.5", {1, 1, 40}, 2},
    {"flatten", {3, 4, 2}, 2},
    {"dense6", {1, 1, 11}, 3},
    {"dense6:act=linear", {1, 1, 11}, 3},
    {"relu", {3, 3, 4}, 2},
    {"bn:act=linear", {3, 4, 5}, 3},
    {"bn:act=relu", {3, 3, 4}, 2},
    {"bn:act=linear:eps=0.00001", {1, 1, 12}, 8},  // after a dense layer: statistics over samples only
    {"avgpool", {7, 7, 3}, 2},                      // 7 -> 3, floor
    {"avgpool:k=3:s=2", {7, 6, 2}, 2},
    {"avgpool:k=2x3:s=1", {4, 5, 2}, 2},             // overlapping windows
    {"gap", {4, 5, 3}, 2},
    // Residual blocks: every parameter reaches every output through two ReLUs, so the
    // shapes are small enough for few kinks.
    {"res4", {2, 2, 4}, 1},                // identity shortcut
    {"res3", {2, 3, 3}, 1},
    {"res3:s=2", {4, 4, 2}, 1},            // 1x1 conv and bn on the shortcut, stride 2
    {"res2:s=2", {3, 3, 2}, 1},            // stride 2 on an odd size
    {"res2", {3, 3, 1}, 1},                // one input channel: conv1 direct, shortcut conv
    {"res2:norm=none", {3, 3, 2}, 2},      // the folded form: no bn
};

}  // namespace

// The network's first layer gets no dx; Conv2D with one input channel then takes its
// own path (mask, bias and kernel gradients in one pass) where the CPU has AVX-512.
TEST_CASE("first-layer convolutions (no input gradient) pass a numerical gradient check") {
  const Case cases[] = {
      {"conv32:act=linear", {28, 28, 1}, 2},      // the seed's first layer
      {"conv32", {5, 4, 1}, 1},                   // with the ReLU's mask (few outputs: few kinks)
      {"conv48:act=linear", {9, 7, 1}, 3},        // 32 + 16 filters
      {"conv16:pad=valid", {5, 6, 1}, 1},         // valid padding, ReLU
      {"conv6", {6, 6, 1}, 2},                    // a filter count the fast path does not take
      {"conv8:k=3:s=2", {7, 7, 1}, 2},            // stride 2: the general path
  };
  for (const Case& c : cases) {
    const std::string token = c.token;
    CAPTURE(token);
    const auto result = check_layer_gradients(c.token, c.input, c.batch, 400, false);
    INFO(result.first_failure);
    CHECK(result.failed == 0);
    CHECK(result.checked > 0);
    CHECK(result.skipped * 10 <= result.checked + result.skipped);
  }
}

TEST_CASE("every layer kind passes a numerical gradient check") {
  std::set<std::string> covered;
  for (const Case& c : kCases) {
    const std::string token = c.token;
    CAPTURE(token);
    const auto result = check_layer_gradients(c.token, c.input, c.batch, 400, true, c.step);
    INFO(result.first_failure);
    CHECK(result.failed == 0);
    CHECK(result.checked > 0);
    CHECK(result.skipped * 10 <= result.checked + result.skipped);
    // The kind a token built: its spec's leading letters (conv32:act=linear -> conv).
    const std::string spec = blnk::build_layers(c.token, c.input).at(0)->spec();
    covered.insert(spec.substr(0, spec.find_first_not_of("abcdefghijklmnopqrstuvwxyz")));
  }
  for (const auto& kind : blnk::layer_kinds()) {
    CAPTURE(kind.name);
    CHECK(covered.count(kind.name) == 1);
  }
}

TEST_CASE("Dense backward against values computed by hand") {
  auto layers = blnk::build_layers("dense3:act=linear", {1, 1, 4});
  std::vector<float> params(layers[0]->param_count(), 0.5f), grads(params.size(), 0.0f);
  std::vector<float> x = {1, 2, 3, 4}, y(3), dy = {1, -1, 2}, dx(4);
  blnk::AlignedBuffer cache(layers[0]->cache_bytes(1));
  blnk::LayerContext ctx;
  ctx.mode = blnk::Mode::training;
  ctx.params = params.data();
  ctx.grads = grads.data();
  ctx.cache = cache.data();
  layers[0]->forward(x.data(), y.data(), 1, ctx);
  layers[0]->backward(x.data(), y.data(), dy.data(), dx.data(), 1, ctx);
  // dx = dy W^T with every weight 0.5: 0.5 * (1 - 1 + 2) = 1 for each input.
  for (float v : dx) CHECK(v == doctest::Approx(1.0));
  // dW[i][j] = x[i] * dy[j]
  CHECK(grads[0 * 3 + 2] == doctest::Approx(2.0));
  CHECK(grads[3 * 3 + 1] == doctest::Approx(-4.0));
}
