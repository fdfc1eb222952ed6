// Conv2D against the naive direct convolution, and Keras padding arithmetic.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "base/buffer.h"
#include "base/rng.h"
#include "layers/conv2d.h"

using namespace blnk;

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
    Conv2D conv(c.in, c.cfg);
    std::vector<float> params(conv.param_count());
    for (float& v : params) v = rng.uniform(-1, 1);
    std::vector<float> x(n * c.in.size());
    for (float& v : x) v = rng.uniform(-1, 1);
    std::vector<float> y(n * conv.output_shape().size(), NAN), expected(y.size());
    AlignedBuffer cache(conv.cache_bytes(n)), prepared(conv.prepared_bytes());
    conv.prepare(params.data(), prepared.data());
    LayerContext ctx;
    ctx.params = params.data();
    ctx.cache = cache.data();
    ctx.prepared = prepared.data();
    conv.forward(x.data(), y.data(), n, ctx);
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
