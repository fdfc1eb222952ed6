// Conv2D against the naive direct convolution, its backward through a bn against
// the bn's and its own, and Keras padding arithmetic.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "base/buffer.h"
#include "base/rng.h"
#include "layers/batchnorm.h"
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

// The residual block hands a bn's backward map to the convolution before it
// (backward_through_bn), which applies it where it reads the gradient: on every
// algorithm, with and without the bn's ReLU, assigning and adding, the bits must be
// those of the bn's own backward (which writes dx) followed by the convolution's.
TEST_CASE("Conv2D backward_through_bn gives the bits of bn's backward followed by the convolution's") {
  struct Case {
    const char* path;
    Shape in;
    Conv2DConfig cfg;
    int n;
  };
  const Case cases[] = {
      {"winograd F(4x4), edge tiles", {9, 7, 5}, {6, 3, 3, 1, 1, Padding::same, false}, 3},
      {"winograd F(2x2)", {4, 4, 8}, {16, 3, 3, 1, 1, Padding::same, false}, 2},
      {"im2col, 3x3 stride 2, several chunks", {28, 28, 32}, {64, 3, 3, 2, 2, Padding::same, false}, 3},
      {"im2col, 1x1 stride 2", {8, 8, 4}, {6, 1, 1, 2, 2, Padding::same, false}, 3},
      {"direct (one input channel)", {7, 6, 1}, {4, 3, 3, 1, 1, Padding::same, false}, 3},
  };
  Rng rng(23);
  for (const Case& c : cases)
    for (const bool relu : {false, true})
      for (const bool add : {false, true}) {
        CAPTURE(c.path);
        CAPTURE(relu);
        CAPTURE(add);
        const int n = c.n;
        ConvRun fixture(c.in, c.cfg, n, rng);
        const Conv2D& conv = fixture.conv;
        const Shape out = conv.output_shape();
        BatchNormConfig bn_cfg;
        bn_cfg.relu = relu;
        const BatchNorm bn(out, bn_cfg);
        std::vector<float> bn_params(bn.param_count());
        for (int k = 0; k < out.c; ++k)
          bn_params[k] = rng.uniform(0.5f, 1.5f), bn_params[out.c + k] = rng.uniform(-0.3f, 0.3f);
        AlignedBuffer bn_cache(bn.cache_bytes(n));
        LayerContext bn_ctx;
        bn_ctx.mode = Mode::training;
        bn_ctx.params = bn_params.data();
        bn_ctx.cache = bn_cache.data();
        const std::size_t count = std::size_t(n) * out.size();
        std::vector<float> y(count), z(count), dy(count);
        for (float& v : dy) v = rng.uniform(-1, 1);
        std::vector<float> start(fixture.x.size());
        for (float& v : start) v = rng.uniform(-1, 1);
        LayerContext& ctx = fixture.ctx;
        ctx.mode = Mode::training;
        conv.forward(fixture.x.data(), y.data(), n, ctx);
        bn.forward(y.data(), z.data(), n, bn_ctx);
        // The bn's backward into a tensor, then the convolution's.
        std::vector<float> conv_grads(fixture.params.size(), 0.0f), bn_grads(bn_params.size(), 0.0f);
        std::vector<float> d_bn(count, NAN), dx = start;
        bn_ctx.grads = bn_grads.data();
        bn.backward(y.data(), nullptr, dy.data(), d_bn.data(), n, bn_ctx);
        ctx.grads = conv_grads.data();
        if (add)
          conv.backward_adding_dx(fixture.x.data(), y.data(), d_bn.data(), dx.data(), n, ctx);
        else
          conv.backward(fixture.x.data(), y.data(), d_bn.data(), dx.data(), n, ctx);
        // The map, taken where the convolution reads it.
        std::vector<float> conv_grads2(conv_grads.size(), 0.0f), bn_grads2(bn_grads.size(), 0.0f);
        std::vector<float> dx2 = start, scratch(count, NAN);
        const std::vector<float> dy_before = dy;
        bn_ctx.grads = bn_grads2.data();
        const BatchNormGradient map = bn.input_gradient(y.data(), dy.data(), n, bn_ctx);
        ctx.grads = conv_grads2.data();
        conv.backward_through_bn(fixture.x.data(), y.data(), dy.data(), map, dx2.data(), n, ctx, add, scratch.data());
        CHECK(dy == dy_before);
        CHECK(bn_grads2 == bn_grads);
        CHECK(conv_grads2 == conv_grads);
        CHECK(dx2 == dx);
        bool finite = true;
        for (float v : dx2) finite = finite && std::isfinite(v);
        CHECK(finite);
      }
}

// The im2col path runs a few samples at a time (a chunk whose im2col matrix stays
// in L2) and builds the matrix again in backward: with samples larger than a chunk,
// every chunk's output, kernel gradient and input gradient must land where a
// direct computation in double puts them.
TEST_CASE("Conv2D im2col over several chunks: forward and backward match a direct computation") {
  struct Case {
    const char* what;
    Shape in;
    Conv2DConfig cfg;
    int n;
  };
  const Case cases[] = {
      // res64's stride-2 conv: one 221 KB sample a chunk
      {"3x3 stride 2, 28x28x32 -> 64", {28, 28, 32}, {64, 3, 3, 2, 2, Padding::same, false}, 3},
      {"5x5 stride 1, ReLU, padding both sides", {20, 22, 24}, {16, 5, 5, 1, 1, Padding::same, true}, 3},
  };
  Rng rng(23);
  for (const Case& c : cases) {
    CAPTURE(c.what);
    const int n = c.n;
    ConvRun run(c.in, c.cfg, n, rng);
    const Conv2D& conv = run.conv;
    REQUIRE(conv.cache_bytes(n) < conv.cache_bytes(1) * std::size_t(n));  // more than one chunk
    const Shape out = conv.output_shape();
    const int C = c.in.c, F = c.cfg.filters;
    const std::size_t kernel_size = run.params.size() - F;
    const float* kernel = run.params.data();
    std::vector<float> y(n * out.size()), expected(y.size());
    conv.forward(run.x.data(), y.data(), n, run.ctx);
    conv2d_forward_reference(c.in, c.cfg, kernel, kernel + kernel_size, run.x.data(), expected.data(), n);
    double worst = 0, scale = 1;
    for (std::size_t i = 0; i < y.size(); ++i) {
      worst = std::max(worst, double(std::abs(y[i] - expected[i])));
      scale = std::max(scale, double(std::abs(expected[i])));
    }
    CHECK(worst < 1e-5 * scale);

    // Backward, adding to a dx that starts non-zero; the reference applies the ReLU's
    // mask (from y) and sums over every output and tap in double.
    std::vector<float> dy(y.size()), grads(run.params.size(), 0.0f), dx(run.x.size());
    for (float& v : dy) v = rng.uniform(-1, 1);
    for (float& v : dx) v = rng.uniform(-1, 1);
    std::vector<double> dx_ref(dx.begin(), dx.end()), dkernel_ref(kernel_size, 0.0), dbias_ref(F, 0.0);
    const Window window(c.in, c.cfg.kernel_h, c.cfg.kernel_w, c.cfg.stride_h, c.cfg.stride_w, c.cfg.padding);
    for (int s = 0; s < n; ++s)
      for (int oy = 0; oy < out.h; ++oy)
        for (int ox = 0; ox < out.w; ++ox)
          for (int f = 0; f < F; ++f) {
            const std::size_t o = ((std::size_t(s) * out.h + oy) * out.w + ox) * F + f;
            const double dz = c.cfg.relu && !(y[o] > 0.0f) ? 0.0 : double(dy[o]);
            dbias_ref[f] += dz;
            window.for_each_tap(oy, ox, [&](int tap, std::size_t pixel) {
              for (int ch = 0; ch < C; ++ch) {
                const std::size_t xi = (std::size_t(s) * c.in.h * c.in.w + pixel) * C + ch;
                const std::size_t ki = (std::size_t(tap) * C + ch) * F + f;
                dkernel_ref[ki] += double(run.x[xi]) * dz;
                dx_ref[xi] += double(kernel[ki]) * dz;
              }
            });
          }
    LayerContext ctx = run.ctx;
    ctx.grads = grads.data();
    conv.backward_adding_dx(run.x.data(), y.data(), dy.data(), dx.data(), n, ctx);
    auto worst_of = [](const float* got, const std::vector<double>& want) {
      double w = 0, s = 1;
      for (std::size_t i = 0; i < want.size(); ++i) {
        w = std::max(w, std::abs(double(got[i]) - want[i]));
        s = std::max(s, std::abs(want[i]));
      }
      return w / s;
    };
    CHECK(worst_of(dx.data(), dx_ref) < 1e-5);
    CHECK(worst_of(grads.data(), dkernel_ref) < 1e-5);
    CHECK(worst_of(grads.data() + kernel_size, dbias_ref) < 1e-5);
  }
}
