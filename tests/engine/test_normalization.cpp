// Batch normalization, average pooling and residual blocks beyond their gradient
// checks: what they compute, their state, the spec grammar around them, the fold of
// bn for inference, and no allocation in a step.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "alloc_counter.h"
#include "test_data.h"
#include "base/buffer.h"
#include "base/error.h"
#include "base/rng.h"
#include "base/softmax.h"
#include "engine/builder.h"
#include "engine/fold.h"
#include "engine/network.h"
#include "layers/registry.h"

using namespace blnk;

namespace {

// A network with every new kind and each fold: conv+bn, res with and without a
// shortcut conv, a bn that does not fold (after pooling), dense+bn.
constexpr const char* kMixedSpec = "conv8,bn,res8,res12:s=2,avgpool,bn,gap,dense16,bn,dense10";
constexpr Shape kMixedInput{8, 8, 3};

// Random gamma, beta and running statistics, so that the fold has something to fold.
void randomize(Network& net, std::uint64_t seed) {
  net.init(seed);
  Rng rng(seed + 1);
  for (const TensorInfo& t : net.tensors())
    if (t.name.find("gamma") != std::string::npos || t.name.find("beta") != std::string::npos)
      for (std::size_t i = 0; i < t.size; ++i) net.mutable_params()[t.offset + i] = rng.uniform(-1.5f, 1.5f);
  for (const TensorInfo& t : net.state_tensors())
    for (std::size_t i = 0; i < t.size; ++i)
      net.mutable_state()[t.offset + i] =
          t.name.find("variance") != std::string::npos ? rng.uniform(0.2f, 3.0f) : rng.uniform(-1.0f, 1.0f);
}

// A training-mode context over a layer's parameters and cache.
LayerContext training_context(const float* params, AlignedBuffer& cache) {
  LayerContext ctx;
  ctx.mode = Mode::training;
  ctx.params = params;
  ctx.cache = cache.data();
  return ctx;
}

std::vector<float> random_images(int n, Shape shape, std::uint64_t seed) {
  std::vector<float> x(std::size_t(n) * shape.size());
  Rng rng(seed);
  for (float& v : x) v = rng.uniform();
  return x;
}

}  // namespace

TEST_CASE("bn in training normalizes each channel by the batch and adds n * mean and n * variance") {
  auto layers = build_layers("bn:act=linear", {2, 3, 4});
  const Layer& bn = *layers[0];
  const int n = 5;
  std::vector<float> x(std::size_t(n) * 24), y(x.size());
  Rng rng(7);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = rng.uniform(-2.0f, 2.0f) + float(i % 4) * 3.0f;
  std::vector<float> params(bn.param_count()), stats(bn.state_count(), 0.0f);
  bn.init_params(params.data(), rng);
  AlignedBuffer cache(bn.cache_bytes(n));
  LayerContext ctx = training_context(params.data(), cache);
  ctx.stats = stats.data();
  bn.forward(x.data(), y.data(), n, ctx);
  for (int c = 0; c < 4; ++c) {
    double mean = 0, var = 0, x_mean = 0, x_var = 0;
    for (std::size_t p = c; p < y.size(); p += 4) mean += y[p], x_mean += x[p];
    mean /= n * 6.0, x_mean /= n * 6.0;
    for (std::size_t p = c; p < y.size(); p += 4) var += (y[p] - mean) * (y[p] - mean), x_var += (x[p] - x_mean) * (x[p] - x_mean);
    var /= n * 6.0, x_var /= n * 6.0;
    CHECK(mean == doctest::Approx(0.0).epsilon(0).scale(1).epsilon(1e-5));
    CHECK(var == doctest::Approx(x_var / (x_var + 1e-3)).epsilon(1e-4));  // epsilon 1e-3, as Keras
    CHECK(stats[c] == doctest::Approx(n * x_mean).epsilon(1e-5));
    CHECK(stats[4 + c] == doctest::Approx(n * x_var).epsilon(1e-5));
  }
  // The running statistics move by 1 - momentum towards the batch's.
  std::vector<float> state(bn.state_count());
  bn.init_state(state.data());
  CHECK(state[0] == 0.0f);
  CHECK(state[4] == 1.0f);
  bn.update_state(state.data(), stats.data(), n, 1000);  // warmed up: the momentum itself
  CHECK(state[1] == doctest::Approx(0.01 * stats[1] / n));
  CHECK(state[5] == doctest::Approx(0.99 + 0.01 * stats[5] / n));
  // The first update (none before it) moves by 0.9, as the weights' moving average does.
  bn.init_state(state.data());
  bn.update_state(state.data(), stats.data(), n, 0);
  CHECK(state[1] == doctest::Approx(0.9 * stats[1] / n));
}

// With a ReLU, backward takes the ReLU's mask from x and forward's map, not from y: a
// y of NaN changes nothing, and the input and parameter gradients are those of the
// masked formula in double, where about half the outputs were cut to zero.
TEST_CASE("bn with a ReLU: backward masks where forward's output was zero, without reading y") {
  auto layers = build_layers("bn:act=relu", {3, 5, 20});
  const Layer& bn = *layers[0];
  const int n = 4, C = 20;
  const std::size_t pixels = std::size_t(n) * 15;
  std::vector<float> x(pixels * C), y(x.size()), dy(x.size()), dx(x.size(), NAN);
  Rng rng(31);
  for (float& v : x) v = rng.uniform(-2.0f, 2.0f);
  for (float& v : dy) v = rng.uniform(-1.0f, 1.0f);
  std::vector<float> params(bn.param_count()), grads(params.size(), 0.0f);
  for (int c = 0; c < C; ++c) params[c] = rng.uniform(0.5f, 1.5f), params[C + c] = rng.uniform(-0.3f, 0.3f);
  AlignedBuffer cache(bn.cache_bytes(n));
  LayerContext ctx = training_context(params.data(), cache);
  ctx.grads = grads.data();
  bn.forward(x.data(), y.data(), n, ctx);
  std::size_t zeros = 0;
  for (float v : y) zeros += v == 0.0f;
  REQUIRE(zeros > x.size() / 4);
  REQUIRE(zeros < x.size() * 3 / 4);
  const std::vector<float> nan_y(y.size(), NAN);
  bn.backward(x.data(), nan_y.data(), dy.data(), dx.data(), n, ctx);
  for (int c = 0; c < C; ++c) {
    double mean = 0, var = 0;
    for (std::size_t p = 0; p < pixels; ++p) mean += x[p * C + c];
    mean /= double(pixels);
    for (std::size_t p = 0; p < pixels; ++p) var += (x[p * C + c] - mean) * (x[p * C + c] - mean);
    const double inv_std = 1.0 / std::sqrt(var / double(pixels) + 1e-3);
    auto dz = [&](std::size_t p) { return y[p * C + c] > 0.0f ? double(dy[p * C + c]) : 0.0; };
    double dz_sum = 0, dz_xhat_sum = 0;
    for (std::size_t p = 0; p < pixels; ++p) {
      dz_sum += dz(p);
      dz_xhat_sum += dz(p) * (x[p * C + c] - mean) * inv_std;
    }
    CHECK(grads[c] == doctest::Approx(dz_xhat_sum).epsilon(1e-4).scale(1));
    CHECK(grads[C + c] == doctest::Approx(dz_sum).epsilon(1e-4).scale(1));
    for (std::size_t p = 0; p < pixels; ++p) {
      const double xhat = (x[p * C + c] - mean) * inv_std;
      const double want = params[c] * inv_std * (dz(p) - dz_sum / pixels - xhat * dz_xhat_sum / pixels);
      CHECK(dx[p * C + c] == doctest::Approx(want).epsilon(1e-4).scale(1));
    }
  }
}

TEST_CASE("avgpool and gap average their windows") {
  auto pool = build_layers("avgpool", {3, 3, 1});  // floors to 1x1: the top-left 2x2
  const std::vector<float> x = {1, 2, 30, 3, 4, 40, 50, 60, 70};
  std::vector<float> y(1);
  pool[0]->forward(x.data(), y.data(), 1, LayerContext{});
  CHECK(y[0] == 2.5f);
  auto gap = build_layers("gap", {1, 2, 2});
  const std::vector<float> g = {1, 10, 3, 30};  // two pixels of two channels
  std::vector<float> means(2);
  gap[0]->forward(g.data(), means.data(), 1, LayerContext{});
  CHECK(means == std::vector<float>{2, 20});
  CHECK(gap[0]->output_shape() == Shape{1, 1, 2});
}

TEST_CASE("model specs: bn takes the ReLU of the conv or dense before it, and the canonical spec says so") {
  Network net("conv8,bn,conv8:act=relu,bn:act=linear,pool,bn,flatten,dense6,bn,dense3", {8, 8, 1});
  CHECK(net.spec() ==
        "conv8:act=linear,bn:act=relu,conv8:act=relu,bn:act=linear,pool,bn:act=linear,flatten,dense6:act=linear,"
        "bn:act=relu,dense3:act=linear");
  CHECK(Network(net.spec(), {8, 8, 1}).spec() == net.spec());
  CHECK(net.state_count() == 2 * (8 + 8 + 8 + 6));
  CHECK(net.state_tensors().at(0).name == "batch_normalization/moving_mean");
  CHECK(net.tensors().at(2).name == "batch_normalization/gamma");
  Network res("res8,res16:s=2,res16:norm=none,gap,dense10", {8, 8, 3});
  CHECK(res.spec() == "res8,res16:s=2,res16:norm=none,gap,dense10:act=linear");
  CHECK(res.layers()[1]->output_shape() == Shape{4, 4, 16});
  CHECK(res.tensors().at(0).name == "residual_block/conv1/kernel");
  CHECK(res.state_tensors().back().name == "residual_block_1/shortcut_bn/moving_variance");
  CHECK_THROWS_WITH_AS(Network("bn:act=tanh"), doctest::Contains("act"), Error);
  CHECK_THROWS_WITH_AS(Network("bn:eps=0"), doctest::Contains("eps"), Error);
  CHECK_THROWS_WITH_AS(Network("bn:m=1"), doctest::Contains("momentum"), Error);
  CHECK_THROWS_WITH_AS(Network("res8:s=3"), doctest::Contains("'res8:s=3'"), Error);
  CHECK_THROWS_WITH_AS(Network("res0"), doctest::Contains("filter count"), Error);
  CHECK_THROWS_WITH_AS(Network("avgpool:k=29"), doctest::Contains("does not fit"), Error);
  CHECK_THROWS_WITH_AS(Network("gap:k=2"), doctest::Contains("no options"), Error);
}

TEST_CASE("the C++ builder makes the network of the spec with bn, pooling and residual blocks") {
  const Network built = NetworkBuilder(kMixedInput)
                            .conv(8).batch_norm().residual(8).residual(12, 2).avgpool().batch_norm()
                            .global_avgpool().dense(16).batch_norm().dense(10)
                            .build();
  CHECK(built.spec() == Network(kMixedSpec, kMixedInput).spec());
}

TEST_CASE("the summary lists bn, pooling and residual blocks, with the running statistics as non-trainable") {
  Network net(kMixedSpec, kMixedInput);
  const std::string summary = net.summary();
  CAPTURE(summary);
  CHECK(summary.find("batch_normalization (BatchNormalization)") != std::string::npos);
  CHECK(summary.find("residual_block_1 (ResidualBlock)") != std::string::npos);
  CHECK(summary.find("global_average_pooling2d (GlobalAveragePooling2D)  (None, 12)") != std::string::npos);
  CHECK(summary.find("Non-trainable params: " + std::to_string(net.state_count())) != std::string::npos);
  CHECK(net.state_count() > 0);
}

TEST_CASE("the seed's summary keeps its columns: each row's shape starts where the header's does") {
  const std::string summary = Network(kDefaultSpec).summary();
  const std::size_t header = summary.find("Output Shape");
  const std::size_t line_start = summary.rfind('\n', header) + 1;
  const std::size_t column = header - line_start;
  int rows = 0;
  for (std::size_t at = summary.find(" max_pooling2d"); at != std::string::npos;
       at = summary.find(" max_pooling2d", at + 1)) {
    const std::size_t start = summary.rfind('\n', at) + 1;
    CHECK(summary.compare(start + column, 6, "(None,") == 0);
    CHECK(summary[start + column - 1] == ' ');
    ++rows;
  }
  CHECK(rows == 3);
}

TEST_CASE("the fold of bn into the layer before it gives the trained network's inference within 1e-5") {
  Network net(kMixedSpec, kMixedInput);
  randomize(net, 5);
  CHECK(has_foldable_batch_norm(net));
  CHECK(folded_spec(net) ==
        "conv8:act=relu,res8:norm=none,res12:s=2:norm=none,avgpool,bn:act=linear,gap,dense16:act=relu,dense10:act=linear");
  const int n = 6;
  const auto x = random_images(n, kMixedInput, 9);
  Workspace unfolded(net, n), folded(net, n, Mode::inference);
  std::vector<float> a(n * 10), b(n * 10);
  unfolded.predict(x.data(), n, a.data());  // bn in inference mode, layer by layer
  folded.predict(x.data(), n, b.data());
  float largest = 0;
  for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, std::abs(a[i] - b[i]));
  CHECK(largest <= 1e-5f);
  // The predictions are not trivially equal (e.g. all one class).
  CHECK(*std::max_element(a.begin(), a.end()) < 0.99f);
  // A change of the state is folded again at the next forward.
  net.mutable_state()[0] += 0.5f;
  unfolded.predict(x.data(), n, a.data());
  folded.predict(x.data(), n, b.data());
  largest = 0;
  for (std::size_t i = 0; i < a.size(); ++i) largest = std::max(largest, std::abs(a[i] - b[i]));
  CHECK(largest <= 1e-5f);
  // A network without bn to fold runs as it is.
  CHECK_FALSE(has_foldable_batch_norm(Network(kDefaultSpec)));
  CHECK(Workspace::planned_bytes(Network(kDefaultSpec), 1, Mode::inference) > 0);
}

TEST_CASE("a training step of a network with bn and residual blocks allocates nothing once planned") {
  if (!testing::counting_allocations()) return testing::skip_test("heap allocations are not counted under the sanitizers");
  Network net(kMixedSpec, kMixedInput);
  randomize(net, 3);
  const int n = 8;
  Workspace ws(net, n), infer(net, n, Mode::inference);
  const auto x = random_images(n, kMixedInput, 4);
  std::vector<float> grads(net.param_count(), 0.0f), stats(net.state_count(), 0.0f), probs(n * 10);
  long before = 0;
  for (int step = 0; step < 4; ++step) {
    if (step == 1) before = testing::heap_allocations();
    const float* logits = ws.forward(x.data(), n, Mode::training, std::uint64_t(step), 0, stats.data());
    float* d = ws.logits_grad();
    for (int i = 0; i < n * 10; ++i) d[i] = logits[i] * 0.01f;
    ws.backward(grads.data());
    net.update_state(stats, n, step);
    infer.predict(x.data(), n, probs.data());  // folds again: the state changed
  }
  CHECK(testing::heap_allocations() == before);
}
