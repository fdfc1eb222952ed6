// Forward values computed by hand: MaxPool2D, Dense, Dropout, Flatten; the spec
// parser; the default network's summary.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "base/buffer.h"
#include "engine/builder.h"
#include "base/error.h"
#include "engine/network.h"
#include "layers/registry.h"

using namespace blnk;

namespace {

std::vector<float> run_forward(const std::string& token, Shape in, const std::vector<float>& x,
                               const std::vector<float>& params, int n, Mode mode = Mode::inference) {
  auto layers = build_layers(token, in);
  const Layer& layer = *layers[0];
  std::vector<float> y(std::size_t(n) * layer.output_shape().size(), NAN);
  AlignedBuffer cache(layer.cache_bytes(n)), prepared(layer.prepared_bytes());
  layer.prepare(params.data(), prepared.data());
  LayerContext ctx;
  ctx.mode = mode;
  ctx.params = params.data();
  ctx.cache = cache.data();
  ctx.prepared = prepared.data();
  ctx.rng_key = 99;
  layer.forward(x.data(), y.data(), n, ctx);
  return y;
}

}  // namespace

TEST_CASE("MaxPool2D 2x2 on a 3x3 image floors to 1x1 and picks the maximum") {
  // One channel: rows (1 5 2) (3 4 9) (8 0 7); the 2x2 window is the top-left.
  const auto y = run_forward("pool", {3, 3, 1}, {1, 5, 2, 3, 4, 9, 8, 0, 7}, {}, 1);
  REQUIRE(y.size() == 1);
  CHECK(y[0] == 5);
}

TEST_CASE("MaxPool2D keeps channels apart and 7 -> 3") {
  std::vector<float> x(7 * 7 * 2);
  for (int i = 0; i < 49; ++i) {
    x[i * 2] = float(i);        // channel 0 increases
    x[i * 2 + 1] = float(-i);   // channel 1 decreases
  }
  const auto y = run_forward("pool", {7, 7, 2}, x, {}, 1);
  REQUIRE(y.size() == 3 * 3 * 2);
  // Output (1, 2): rows 2-3, columns 4-5; channel 0 max at (3,5) = 26, channel 1 max at (2,4) = -18.
  CHECK(y[(1 * 3 + 2) * 2] == 26);
  CHECK(y[(1 * 3 + 2) * 2 + 1] == -18);
}

TEST_CASE("Dense computes x W + b with ReLU") {
  // x = (1, 2), W = ((1, -1, 0.5), (2, 1, -3)), b = (0.5, 0, 1)
  const std::vector<float> params = {1, -1, 0.5f, 2, 1, -3, 0.5f, 0, 1};
  const auto y = run_forward("dense3:act=relu", {1, 1, 2}, {1, 2}, params, 1);
  CHECK(y[0] == doctest::Approx(5.5));
  CHECK(y[1] == doctest::Approx(1.0));
  CHECK(y[2] == doctest::Approx(0.0));  // 0.5 - 6 + 1 < 0
  const auto linear = run_forward("dense3:act=linear", {1, 1, 2}, {1, 2}, params, 1);
  CHECK(linear[2] == doctest::Approx(-4.5));
}

TEST_CASE("Dropout is the identity in inference and inverted dropout in training") {
  std::vector<float> x(1000, 1.0f);
  CHECK(run_forward("drop0.25", {1, 1, 1000}, x, {}, 1) == x);
  const auto y = run_forward("drop0.25", {1, 1, 1000}, x, {}, 1, Mode::training);
  int kept = 0;
  for (float v : y) {
    CHECK((v == 0.0f || v == doctest::Approx(1.0f / 0.75f)));
    kept += v != 0.0f;
  }
  CHECK(kept > 700);
  CHECK(kept < 800);
  // Seeded: the same key gives the same mask.
  CHECK(run_forward("drop0.25", {1, 1, 1000}, x, {}, 1, Mode::training) == y);
}

TEST_CASE("model specs: the default spec builds the seed's model") {
  Network net(kDefaultSpec);
  CHECK(net.param_count() == 130890);
  CHECK(net.num_classes() == 10);
  CHECK(net.layers().size() == 13);
  CHECK(net.layers()[8]->output_shape() == Shape{3, 3, 64});  // 7 -> 3
  CHECK(net.layers()[9]->output_shape() == Shape{1, 1, 576});
  const std::string summary = net.summary();
  CHECK(summary.find("Total params: 130,890") != std::string::npos);
  CHECK(summary.find("conv2d_1 (Conv2D)") != std::string::npos);
  CHECK(summary.find("(None, 3, 3, 64)") != std::string::npos);
  CHECK(summary.find("(None, 576)") != std::string::npos);
  // The canonical spec rebuilds the same network.
  Network again(net.spec());
  CHECK(again.spec() == net.spec());
  CHECK(net.tensors().at(0).name == "conv2d/kernel");
  CHECK(net.tensors().at(0).shape == std::vector<int>{3, 3, 1, 32});
  CHECK(net.tensors().back().name == "dense_1/bias");
}

TEST_CASE("model specs: bad specs are refused with the token named") {
  CHECK_THROWS_WITH_AS(Network("conv32,blah"), doctest::Contains("'blah'"), Error);
  CHECK_THROWS_WITH_AS(Network("conv0"), doctest::Contains("filter count"), Error);
  CHECK_THROWS_WITH_AS(Network("conv8:k=99:pad=valid"), doctest::Contains("does not fit"), Error);
  CHECK_THROWS_WITH_AS(Network("dense10"), doctest::Contains("flatten"), Error);
  CHECK_THROWS_WITH_AS(Network("drop1.5"), doctest::Contains("rate"), Error);
  CHECK_THROWS_WITH_AS(Network("conv8,,dense3"), doctest::Contains("empty"), Error);
  CHECK_THROWS_WITH_AS(Network("conv8:x=1"), doctest::Contains("unknown option"), Error);
  CHECK_THROWS_WITH_AS(Network("flatten,dense65536,dense65536,dense65536,dense65536,dense65536"),
                       doctest::Contains("parameters"), Error);
}

TEST_CASE("Glorot initialisation is seeded and bounded") {
  Network a(kDefaultSpec), b(kDefaultSpec), c(kDefaultSpec);
  a.init(1);
  b.init(1);
  c.init(2);
  CHECK(std::equal(a.params().begin(), a.params().end(), b.params().begin()));
  CHECK(!std::equal(a.params().begin(), a.params().end(), c.params().begin()));
  // conv2d kernel: limit sqrt(6 / (9 + 288)); bias zero.
  const float limit = std::sqrt(6.0f / (9 + 288));
  float max_abs = 0;
  for (int i = 0; i < 288; ++i) max_abs = std::max(max_abs, std::abs(a.params()[i]));
  CHECK(max_abs <= limit);
  CHECK(max_abs > 0.9f * limit);
  for (int i = 288; i < 320; ++i) CHECK(a.params()[i] == 0.0f);
}

TEST_CASE("the C++ builder makes the same network as the spec") {
  const Network built = NetworkBuilder({28, 28, 1})
                            .conv(32).pool().dropout(0.25f)
                            .conv(64).pool().dropout(0.25f)
                            .conv(64).pool().dropout(0.25f)
                            .flatten().dense(128).dropout(0.25f).dense(10)
                            .build();
  const Network from_spec(kDefaultSpec);
  CHECK(built.spec() == from_spec.spec());
  CHECK(built.param_count() == 130890);
  const Network other = NetworkBuilder({9, 9, 3}).conv(4, 2, 2, Padding::valid, Activation::linear).flatten().dense(3).build();
  CHECK(other.spec() == "conv4:k=2:s=2:pad=valid:act=linear,flatten,dense3:act=linear");
  CHECK_THROWS_AS(NetworkBuilder({4, 4, 1}).dense(3).build(), Error);  // no flatten
}
