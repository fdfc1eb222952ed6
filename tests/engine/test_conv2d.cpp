// Conv2D against the naive direct convolution, and Keras padding arithmetic.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "base/buffer.h"
#include "base/rng.h"
#include "layers/conv2d.h"

using namespace blnk;

namespace {

// A convolution with random parameters in [-1, 1), prepared, n random input samples
// and a context over them (no gradients).
struct ConvRun {
  Conv2D conv;
  std::vector<float> params, x;
  AlignedBuffer cache, prepared;
  LayerContext ctx;
  ConvRun(Shape in, const Conv2DConfig& cfg, int n, Rng& rng)
      : conv(in, cfg), params(conv.param_count()), x(std::size_t(n) * in.size()),
        cache(conv.cache_bytes(n)), prepared(conv.prepared_bytes()) {
    for (float& v : params) v = rng.uniform(-1, 1);
    for (float& v : x) v = rng.uniform(-1, 1);
    conv.prepare(params.data(), prepared.data());
    ctx.params = params.data();
    ctx.cache = cache.data();
    ctx.prepared = prepared.data();
  }
};

}  // namespace

TEST_CASE("Keras same/valid padding arithmetic") {
  CHECK(padded_dim(28, 3, 1, Padding::same).out == 28);
  CHECK(padded_dim(28, 3, 1, Padding::same).pad_before == 1);
  // Even kernel: total padding 1, all of it after.
  CHECK(padded_dim(6, 2, 1, Padding::same).pad_before == 0);
  // Stride 2, same: out = ceil(7/2) = 4, total pad = (4-1)*2+3-7 = 2 -> 1 before.
  CHECK(padded_dim(7, 3, 2, Padding::same).out == 4);
  CHECK(padded_dim(7, 3, 2, Padding::same).pad_before == 1);
  // Stride 2, same, even input: out 4, total pad (4-1)*2+3-8 = 1 -> 0 before, 1 after.
  CHECK(padded_dim(8, 3, 2, Padding::same).pad_before == 0);
  CHECK(padded_dim(7, 2, 2, Padding::valid).out == 3);
  CHECK(padded_dim(9, 3, 2, Padding::valid).out == 4);
}

TEST_CASE("Conv2D forward matches the direct convolution") {
  struct Case {
    Shape in;
    Conv2DConfig cfg;
    int n = 3;
  };
  const Case cases[] = {
      {{7, 9, 1}, {5, 3, 3, 1, 1, Padding::same, true}},
      {{28, 28, 1}, {32, 3, 3, 1, 1, Padding::same, true}},   // direct path, 32 filters (in registers)
      {{9, 8, 1}, {48, 3, 3, 1, 1, Padding::valid, false}},   // in registers: 32 + 16 filters, valid
      {{11, 6, 1}, {64, 3, 3, 2, 2, Padding::valid, false}},  // direct path, 64 filters, stride 2
      {{5, 5, 1}, {16, 2, 2, 1, 1, Padding::same, false}},    // direct path, even kernel
      {{11, 5, 3}, {4, 3, 3, 2, 2, Padding::same, false}},
      {{9, 7, 4}, {6, 3, 3, 2, 2, Padding::valid, false}},
      {{13, 11, 2}, {3, 5, 3, 1, 2, Padding::valid, true}},
      {{6, 6, 5}, {7, 2, 2, 2, 2, Padding::same, false}},
      {{5, 8, 8}, {16, 4, 4, 1, 1, Padding::same, false}},
      {{1, 1, 3}, {2, 3, 3, 1, 1, Padding::same, false}},     // Winograd: one tile, mostly padding
      // Winograd F(2x2,3x3): 3x3, stride 1, several input channels.
      {{14, 14, 32}, {64, 3, 3, 1, 1, Padding::same, true}},  // the seed's second layer
      {{7, 7, 64}, {64, 3, 3, 1, 1, Padding::same, true}, 11},  // third: odd size, several chunks
      {{7, 7, 64}, {48, 3, 3, 1, 1, Padding::same, false}},   // 48 filters: a 3-vector panel
      {{9, 6, 5}, {7, 3, 3, 1, 1, Padding::same, false}},     // counts not multiples of 16
      {{8, 9, 3}, {20, 3, 3, 1, 1, Padding::valid, true}},    // valid: odd output width
      {{3, 3, 2}, {16, 3, 3, 1, 1, Padding::valid, false}, 40},  // 1x1 output, 40 samples in chunks
      {{5, 4, 17}, {33, 3, 3, 1, 1, Padding::same, false}, 5},
  };
  Rng rng(7);
  for (const Case& c : cases) {
    CAPTURE(c.in.str());
    CAPTURE(c.cfg.stride_h);
    const int n = c.n;
    ConvRun run(c.in, c.cfg, n, rng);
    const Conv2D& conv = run.conv;
    const std::vector<float>& params = run.params;
    const std::vector<float>& x = run.x;
    std::vector<float> y(n * conv.output_shape().size(), NAN), expected(y.size());
    conv.forward(x.data(), y.data(), n, run.ctx);
    const std::size_t kernel = params.size() - c.cfg.filters;
    conv2d_forward_reference(c.in, c.cfg, params.data(), params.data() + kernel, x.data(),
                             expected.data(), n);
    // Relative to the largest output: Winograd F(4x4,3x3) rounds to ~1e-5 of it, the
    // other paths to ~1e-7; a wrong index or term is off by O(1).
    double worst = 0, scale = 1;
    for (std::size_t i = 0; i < y.size(); ++i) {
      worst = std::max(worst, double(std::abs(y[i] - expected[i])));
      scale = std::max(scale, double(std::abs(expected[i])));
    }
    CHECK(worst < 3e-5 * scale);
  }
}

TEST_CASE("Conv2D rejects a kernel that does not fit with valid padding") {
  Conv2DConfig cfg;
  cfg.kernel_h = cfg.kernel_w = 5;
  cfg.padding = Padding::valid;
  CHECK_THROWS_WITH_AS(Conv2D({3, 3, 1}, cfg), doctest::Contains("does not fit"), std::exception);
}

// The residual block sums its branches' input gradients through backward_adding_dx:
// on every algorithm it must add what backward assigns, and leave the parameter
// gradients as backward gives them.
TEST_CASE("Conv2D backward_adding_dx adds to dx the input gradient backward assigns") {
  struct Case {
    const char* path;
    Shape in;
    Conv2DConfig cfg;
  };
  const Case cases[] = {
      {"winograd", {9, 7, 5}, {6, 3, 3, 1, 1, Padding::same, true}},
      {"im2col, 3x3 stride 2", {9, 8, 3}, {5, 3, 3, 2, 2, Padding::same, false}},
      {"im2col, 1x1 stride 2 (pixels no window covers)", {8, 8, 4}, {6, 1, 1, 2, 2, Padding::same, false}},
      {"direct (one input channel)", {7, 6, 1}, {4, 1, 1, 2, 2, Padding::same, false}},
  };
  Rng rng(11);
  for (const Case& c : cases) {
    CAPTURE(c.path);
    const int n = 3;
    ConvRun fixture(c.in, c.cfg, n, rng);
    const Conv2D& conv = fixture.conv;
    const std::vector<float>& params = fixture.params;
    const std::vector<float>& x = fixture.x;
    LayerContext& ctx = fixture.ctx;
    std::vector<float> y(n * conv.output_shape().size()), dy(y.size());
    for (float& v : dy) v = rng.uniform(-1, 1);
    // backward may change dy (the ReLU's mask, in place): each run gets its own copy.
    auto run = [&](bool adding, std::vector<float>& dx, std::vector<float>& grads) {
      conv.forward(x.data(), y.data(), n, ctx);
      std::vector<float> d = dy;
      ctx.grads = grads.data();
      if (adding)
        conv.backward_adding_dx(x.data(), y.data(), d.data(), dx.data(), n, ctx);
      else
        conv.backward(x.data(), y.data(), d.data(), dx.data(), n, ctx);
    };
    std::vector<float> assigned(x.size(), NAN), grads_assigned(params.size(), 0.0f);
    run(false, assigned, grads_assigned);
    std::vector<float> before(x.size());
    for (float& v : before) v = rng.uniform(-1, 1);
    std::vector<float> added = before, grads_added(params.size(), 0.0f);
    run(true, added, grads_added);
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      REQUIRE(std::isfinite(assigned[i]));
      worst = std::max(worst, double(std::abs(added[i] - (before[i] + assigned[i]))));
    }
    CHECK(worst < 1e-5);
    CHECK(grads_added == grads_assigned);
  }
  Conv2D conv({4, 4, 2}, Conv2DConfig{});
  std::vector<float> x(32), y(4 * 4 * 32), dy(y.size());
  CHECK_THROWS_WITH_AS(conv.backward_adding_dx(x.data(), y.data(), dy.data(), nullptr, 1, LayerContext{}),
                       doctest::Contains("needs an input gradient"), std::exception);
}
