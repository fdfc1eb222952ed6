// The layers in bfloat16 (LayerContext::precision): the Winograd convolution's
// products, the im2col convolution's and Dense's, forward and backward, give the same bits with the AVX512_BF16
// instructions as with their emulation, stay within bfloat16's rounding of the
// double-precision oracles, and are not the float32 results (the bfloat16 path ran).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "base/buffer.h"
#include "base/rng.h"
#include "layers/bf16_gemm.h"
#include "layers/conv2d.h"
#include "layers/dense.h"
#include "layers/winograd.h"
#include "tensor_error.h"

using namespace blnk;
using testing::relative_error;
using testing::rms_error;

namespace {

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Runs `body` with the instructions (where the CPU has them) and with the emulation.
template <typename Body>
void with_each_kernel(Body body) {
  for (const bool hardware : {true, false}) {
    if (hardware && !bf16_hardware_available()) continue;
    bf16_set_hardware_allowed(hardware);
    body(hardware);
  }
  bf16_set_hardware_allowed(true);
  if (!bf16_hardware_available()) MESSAGE("this CPU has no AVX512_BF16: only the emulation was checked");
}

struct ConvResult {
  std::vector<float> y, dkernel, dbias, dx;
};

ConvResult run_winograd(const Winograd3x3& wino, int n, const std::vector<float>& kernel,
                        const std::vector<float>& bias, const std::vector<float>& x, const std::vector<float>& dy0,
                        bool bf16) {
  AlignedBuffer prepared(wino.prepared_floats() * sizeof(float)), cache(wino.cache_floats(n) * sizeof(float)),
      scratch(std::max<std::size_t>(64, wino.bf16_scratch_bytes(n)));
  wino.prepare(kernel.data(), reinterpret_cast<float*>(prepared.data()));
  std::byte* bf16_scratch = bf16 ? scratch.data() : nullptr;
  ConvResult r;
  r.y.assign(dy0.size(), NAN);
  wino.forward(x.data(), r.y.data(), n, reinterpret_cast<const float*>(prepared.data()), bias.data(), false,
               reinterpret_cast<float*>(cache.data()), bf16_scratch);
  std::vector<float> dy = dy0;
  r.dkernel.assign(kernel.size(), 0.0f);
  r.dbias.assign(bias.size(), 0.0f);
  r.dx.assign(x.size(), NAN);
  wino.backward(x.data(), r.y.data(), dy.data(), r.dx.data(), n, reinterpret_cast<const float*>(prepared.data()), false,
                r.dkernel.data(), r.dbias.data(), reinterpret_cast<float*>(cache.data()), false, bf16_scratch);
  return r;
}

}  // namespace

TEST_CASE("Winograd in bfloat16: the same bits with the instructions and the emulation, near the direct convolution") {
  struct Geometry {
    Shape in;
    int filters, n;
  };
  const Geometry shapes[] = {
      {{14, 14, 32}, 64, 3},  // the seed's second layer
      {{7, 7, 64}, 64, 5},    // the third
      {{9, 6, 5}, 7, 2},      // odd channel and filter counts: a zero in the last pair
      {{6, 5, 17}, 33, 30},   // several chunks, an odd number of tiles per chunk
  };
  Rng rng(31);
  for (const Geometry& g : shapes) {
    for (const int tile : {2, 4}) {
      CAPTURE(g.in.str());
      CAPTURE(tile);
      const Shape out{g.in.h, g.in.w, g.filters};
      const Winograd3x3 wino(g.in, out, 1, 1, tile);
      std::vector<float> kernel(9 * std::size_t(g.in.c) * g.filters), bias(g.filters), x(std::size_t(g.n) * g.in.size()),
          dy(std::size_t(g.n) * out.size());
      for (float& v : kernel) v = rng.uniform(-1, 1);
      for (float& v : bias) v = rng.uniform(-1, 1);
      for (float& v : x) v = rng.uniform(-1, 1);
      for (float& v : dy) v = rng.uniform(-1, 1);
      const ConvResult fp32 = run_winograd(wino, g.n, kernel, bias, x, dy, false);
      std::vector<ConvResult> results;
      with_each_kernel([&](bool) { results.push_back(run_winograd(wino, g.n, kernel, bias, x, dy, true)); });
      const ConvResult& bf16 = results.front();
      for (const ConvResult& other : results) {
        CHECK(same_bits(other.y, bf16.y));
        CHECK(same_bits(other.dkernel, bf16.dkernel));
        CHECK(same_bits(other.dbias, bf16.dbias));
        CHECK(same_bits(other.dx, bf16.dx));
      }
      // bfloat16 keeps 8 bits of each operand: a typical element off by about 2^-8 (0.4%) with
      // F(2x2); F(4x4)'s transforms (coefficients up to 5 in, 8 out) amplify the rounding of
      // the transformed operands about fivefold (measured: 2-2.4% rms, 8% at the worst element).
      std::vector<float> expected(bf16.y.size());
      Conv2DConfig cfg{g.filters, 3, 3, 1, 1, Padding::same, false};
      conv2d_forward_reference(g.in, cfg, kernel.data(), bias.data(), x.data(), expected.data(), g.n);
      const double rms_bound = tile == 2 ? 0.006 : 0.03, max_bound = tile == 2 ? 0.01 : 0.1;
      CHECK(rms_error(bf16.y, expected) < rms_bound);
      CHECK(rms_error(bf16.dkernel, fp32.dkernel) < rms_bound);
      CHECK(rms_error(bf16.dx, fp32.dx) < rms_bound);
      CHECK(relative_error(bf16.y, expected) < max_bound);
      CHECK(relative_error(bf16.dkernel, fp32.dkernel) < max_bound);
      CHECK(relative_error(bf16.dx, fp32.dx) < max_bound);
      CHECK(same_bits(bf16.dbias, fp32.dbias));  // summed in float32, no product
      CHECK_FALSE(same_bits(bf16.y, fp32.y));
      CHECK_FALSE(same_bits(bf16.dkernel, fp32.dkernel));
      CHECK_FALSE(same_bits(bf16.dx, fp32.dx));
    }
  }
}

namespace {

// A layer's forward and backward (parameter gradients started at 0.5: backward adds).
struct LayerResult {
  std::vector<float> y, grads, dx;
};

LayerResult run_layer(const Layer& layer, const std::vector<float>& params, const std::vector<float>& x,
                      const std::vector<float>& dy0, int n, Precision precision) {
  AlignedBuffer cache(std::max<std::size_t>(64, layer.cache_bytes(n))),
      prepared(std::max<std::size_t>(64, layer.prepared_bytes())),
      scratch(std::max<std::size_t>(64, layer.bf16_scratch_bytes(n)));
  layer.prepare(params.data(), prepared.data());
  LayerContext ctx;
  ctx.mode = Mode::training;
  ctx.params = params.data();
  ctx.cache = cache.data();
  ctx.prepared = prepared.data();
  ctx.precision = precision;
  ctx.bf16_scratch = scratch.data();
  LayerResult r;
  r.y.assign(dy0.size(), NAN);
  layer.forward(x.data(), r.y.data(), n, ctx);
  r.grads.assign(params.size(), 0.5f);
  ctx.grads = r.grads.data();
  std::vector<float> dy = dy0;
  r.dx.assign(x.size(), NAN);
  layer.backward(x.data(), r.y.data(), dy.data(), r.dx.data(), n, ctx);
  return r;
}

// Random parameters, input and output gradient for n samples; then the layer in float32
// and in bfloat16 by each kernel: the kernels must agree bit for bit, and bfloat16 stay
// within `bound` (rms) of float32 without being it.
void check_layer_in_bf16(const Layer& layer, int n, double bound, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<float> params(layer.param_count()), x(std::size_t(n) * layer.input_shape().size()),
      dy(std::size_t(n) * layer.output_shape().size());
  for (float& v : params) v = rng.uniform(-1, 1);
  for (float& v : x) v = rng.uniform(-1, 1);
  for (float& v : dy) v = rng.uniform(-1, 1);
  const LayerResult fp32 = run_layer(layer, params, x, dy, n, Precision::fp32);
  std::vector<LayerResult> results;
  with_each_kernel([&](bool) { results.push_back(run_layer(layer, params, x, dy, n, Precision::bf16)); });
  const LayerResult& bf16 = results.front();
  for (const LayerResult& other : results) {
    CHECK(same_bits(other.y, bf16.y));
    CHECK(same_bits(other.grads, bf16.grads));
    CHECK(same_bits(other.dx, bf16.dx));
  }
  CHECK(rms_error(bf16.y, fp32.y) < bound);
  CHECK(rms_error(bf16.grads, fp32.grads) < bound);
  CHECK(rms_error(bf16.dx, fp32.dx) < bound);
  CHECK_FALSE(same_bits(bf16.y, fp32.y));
  CHECK_FALSE(same_bits(bf16.dx, fp32.dx));
}

}  // namespace

TEST_CASE("Dense in bfloat16: the same bits with the instructions and the emulation, near float32") {
  // Odd sizes: a zero in the last pair of every sum. Linear: a ReLU's mask would differ
  // wherever bfloat16 moves an output across 0, by more than rounding.
  check_layer_in_bf16(Dense(Shape{1, 1, 37}, 21, false), 9, 0.006, 41);
  check_layer_in_bf16(Dense(Shape{1, 1, 576}, 128, false), 32, 0.006, 42);  // the seed's
}

TEST_CASE("im2col convolutions in bfloat16: the same bits with the instructions and the emulation, near float32") {
  // A stride-2 3x3 and a 1x1 stride-2 shortcut, as the residual network's: over 256 rows
  // of the im2col matrix (several blocks, the last odd), odd channel counts.
  Conv2DConfig stride2{33, 3, 3, 2, 2, Padding::same, false};
  check_layer_in_bf16(Conv2D(Shape{13, 11, 7}, stride2), 9, 0.006, 43);
  Conv2DConfig shortcut{16, 1, 1, 2, 2, Padding::valid, false};
  check_layer_in_bf16(Conv2D(Shape{14, 14, 32}, shortcut), 5, 0.006, 44);
}
