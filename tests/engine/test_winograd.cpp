// Winograd F(2x2,3x3) and F(4x4,3x3), each forced on the same shapes, against a
// direct convolution and its gradients computed in double.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "base/buffer.h"
#include "base/rng.h"
#include "layers/conv2d.h"
#include "layers/winograd.h"
#include "tensor_error.h"

using namespace blnk;
using testing::relative_error;

namespace {

struct Geometry {
  Shape in;
  bool same;  // padding
  int filters;
  int n;
  Shape out() const { return same ? Shape{in.h, in.w, filters} : Shape{in.h - 2, in.w - 2, filters}; }
  int pad() const { return same ? 1 : 0; }
};

// Kernel, bias and input gradients of sum(dy * conv(x)) for a 3x3 stride-1 kernel (no
// ReLU), in double.
void reference_gradients(const Geometry& g, const std::vector<float>& x, const std::vector<float>& kernel,
                         const std::vector<float>& dy, std::vector<double>& dkernel,
                         std::vector<double>& dbias, std::vector<double>& dx) {
  const Shape in = g.in, out = g.out();
  const int C = in.c, F = out.c;
  dkernel.assign(9 * std::size_t(C) * F, 0.0);
  dbias.assign(F, 0.0);
  dx.assign(x.size(), 0.0);
  for (int s = 0; s < g.n; ++s)
    for (int oy = 0; oy < out.h; ++oy)
      for (int ox = 0; ox < out.w; ++ox)
        for (int f = 0; f < F; ++f) {
          const double d = dy[((std::size_t(s) * out.h + oy) * out.w + ox) * F + f];
          dbias[f] += d;
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              const int iy = oy - g.pad() + ky, ix = ox - g.pad() + kx;
              if (iy < 0 || iy >= in.h || ix < 0 || ix >= in.w) continue;
              for (int c = 0; c < C; ++c) {
                const std::size_t xi = ((std::size_t(s) * in.h + iy) * in.w + ix) * C + c;
                const std::size_t ki = ((std::size_t(ky) * 3 + kx) * C + c) * F + f;
                dkernel[ki] += double(x[xi]) * d;
                dx[xi] += double(kernel[ki]) * d;
              }
            }
        }
}

}  // namespace

TEST_CASE("Winograd F(2x2) and F(4x4) match the direct convolution and its gradients") {
  const Geometry shapes[] = {
      {{14, 14, 32}, true, 64, 2},  // the seed's second layer
      {{7, 7, 64}, true, 64, 3},    // the third: 7 is no multiple of 2 or 4
      {{9, 6, 5}, true, 7, 2},      // counts not multiples of 16
      {{8, 11, 3}, false, 20, 2},   // valid padding
      {{3, 3, 2}, false, 16, 9},    // one output pixel per sample
      {{6, 5, 17}, true, 33, 30},   // several chunks
  };
  Rng rng(21);
  for (const Geometry& g : shapes) {
    for (int tile : {2, 4}) {
      CAPTURE(g.in.str());
      CAPTURE(tile);
      const Shape out = g.out();
      const Winograd3x3 wino(g.in, out, g.pad(), g.pad(), tile);
      REQUIRE(wino.tile() == tile);
      const std::size_t kernel_size = 9 * std::size_t(g.in.c) * out.c;
      std::vector<float> kernel(kernel_size), bias(out.c), x(std::size_t(g.n) * g.in.size());
      for (float& v : kernel) v = rng.uniform(-1, 1);
      for (float& v : bias) v = rng.uniform(-1, 1);
      for (float& v : x) v = rng.uniform(-1, 1);
      AlignedBuffer prepared(wino.prepared_floats() * sizeof(float)),
          cache(wino.cache_floats(g.n) * sizeof(float));
      wino.prepare(kernel.data(), reinterpret_cast<float*>(prepared.data()));

      std::vector<float> y(std::size_t(g.n) * out.size(), NAN), expected(y.size());
      wino.forward(x.data(), y.data(), g.n, reinterpret_cast<const float*>(prepared.data()), bias.data(),
                   false, reinterpret_cast<float*>(cache.data()));
      Conv2DConfig cfg{out.c, 3, 3, 1, 1, g.same ? Padding::same : Padding::valid, false};
      conv2d_forward_reference(g.in, cfg, kernel.data(), bias.data(), x.data(), expected.data(), g.n);
      CHECK(relative_error(y, expected) < 2e-6 * tile * tile);

      std::vector<float> dy(y.size()), dkernel(kernel_size, 0.0f), dbias(out.c, 0.0f),
          dx(x.size(), NAN);
      for (float& v : dy) v = rng.uniform(-1, 1);
      wino.backward(x.data(), y.data(), dy.data(), dx.data(), g.n, reinterpret_cast<const float*>(prepared.data()),
                    false, dkernel.data(), dbias.data(), reinterpret_cast<float*>(cache.data()));
      std::vector<double> want_dkernel, want_dbias, want_dx;
      reference_gradients(g, x, kernel, dy, want_dkernel, want_dbias, want_dx);
      CHECK(relative_error(dkernel, want_dkernel) < 2e-6 * tile * tile);
      CHECK(relative_error(dbias, want_dbias) < 1e-6);
      CHECK(relative_error(dx, want_dx) < 2e-6 * tile * tile);
    }
  }
}

TEST_CASE("Winograd picks the tile with fewer multiplications") {
  auto tile_for = [](int h, int w) { return Winograd3x3({h, w, 8}, {h, w, 8}, 1, 1).tile(); };
  CHECK(tile_for(14, 14) == 4);  // 16 tiles x 36 = 576 against 49 x 16 = 784
  CHECK(tile_for(7, 7) == 4);    // 4 x 36 = 144 against 16 x 16 = 256
  CHECK(tile_for(2, 2) == 2);    // 16 against 36
  CHECK(tile_for(1, 6) == 2);    // 3 x 16 = 48 against 2 x 36 = 72
  CHECK_THROWS(Winograd3x3({4, 4, 2}, {4, 4, 2}, 1, 1, 3));
}
