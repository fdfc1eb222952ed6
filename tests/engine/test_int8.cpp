// int8 inference (layers/int8_gemm.h, layers/int8_conv.h, engine/quantize.h): the
// VNNI and plain kernels against one scalar oracle written here from the scheme's
// definition (no packing, no padding), the layers against it, quantization of a
// network, and the model file's int8 tensors and versions.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "alloc_counter.h"
#include "test_data.h"
#include "base/error.h"
#include "base/rng.h"
#include "engine/model_file.h"
#include "engine/quantize.h"
#include "layers/int8_conv.h"
#include "layers/int8_gemm.h"

using namespace blnk;

namespace {

// The scheme's epilogue, as int8_gemm.h defines it.
float epilogue(std::int64_t sum, float scale, float bias, bool relu) {
  const float v = std::fma(float(sum), scale, bias);
  return relu ? (v > 0.0f ? v : 0.0f) : v;
}

// The scheme's quantization of one value: round half to even, clamp to a byte.
std::uint8_t quantize_oracle(float x, float inverse_scale, int zero_point) {
  if (std::isnan(x)) return 0;
  const double v = std::nearbyint(std::clamp(double(x * inverse_scale), -512.0, 512.0)) + zero_point;
  return std::uint8_t(std::clamp(v, 0.0, 255.0));
}

struct ProductCase {
  int rows, segments, run, outputs, zero_point;
  bool relu;
  bool mostly_zero = false;  // 4 of 5 groups of four input bytes zero, as after ReLU and pooling
};

}  // namespace

TEST_CASE("int8 product: VNNI and plain loops give the oracle's bits, for row and output tails and runs of any length") {
  const ProductCase cases[] = {
      {196, 3, 96, 64, 0, true},   // conv2 of the seed's model: 32 blocks of 6 rows + 4
      {49, 3, 192, 64, 0, true},   // conv3: 8 blocks + 1 row
      {784, 3, 3, 32, 0, true},    // conv1: runs of 3 bytes read as 4, against zero weights
      {1, 1, 576, 128, 0, true},   // dense at batch 1: 8 output blocks, 2 passes of 4
      {1, 1, 128, 10, 0, false},   // the logits: one masked block
      {7, 2, 6, 37, 128, false},   // signed input (zero point 128), 3 blocks (one masked)
      {5, 1, 1, 17, 128, true},    // a run of one byte, 2 blocks
      {13, 4, 8, 48, 0, false},    // 3 blocks in one pass
      {1, 1, 3136, 128, 0, true, true},   // the digit gate's dense at batch 1: zero groups skipped
      {1, 1, 64, 37, 128, false, true},   // skipped zero bytes with a zero point of 128
      {6, 1, 64, 16, 0, true, true},      // a block of 6 rows reads every group
  };
  Rng rng(7);
  for (const ProductCase& c : cases) {
    CAPTURE(c.rows);
    CAPTURE(c.run);
    CAPTURE(c.outputs);
    const int segment = int8_round_up(c.run, kInt8Group);
    const int stride = segment + 5;  // rows of the image: each segment at its own place
    // The image: every row's segments, each followed by bytes that zero weights must cancel.
    std::vector<std::uint8_t> image(std::size_t(c.rows + c.segments) * stride + kInt8Group);
    for (auto& b : image) b = std::uint8_t(rng.below(256));
    if (c.mostly_zero)
      for (std::size_t g = 0; g + kInt8Group <= image.size(); g += kInt8Group)
        if (rng.below(5) != 0) std::fill_n(image.begin() + std::ptrdiff_t(g), kInt8Group, std::uint8_t(0));
    std::vector<std::int32_t> offsets(c.rows);
    for (int r = 0; r < c.rows; ++r) offsets[r] = r * stride;
    const std::size_t depth_used = std::size_t(c.segments) * c.run;
    std::vector<float> kernel(depth_used * c.outputs);
    for (auto& k : kernel) k = float(int(rng.below(255)) - 127);
    const int padded = int8_round_up(c.outputs, kInt8Block);
    std::vector<float> scale(padded, 0.0f), bias(padded, 0.0f);
    for (int o = 0; o < c.outputs; ++o) scale[o] = rng.uniform(1e-5f, 1e-3f), bias[o] = rng.uniform(-2.0f, 2.0f);

    alignas(64) static std::int8_t packed[1 << 20];
    alignas(64) static std::int32_t correction[1024];
    REQUIRE(int8_packed_bytes(c.segments * segment, c.outputs) <= sizeof packed);
    int8_pack_weights(kernel.data(), c.segments, c.run, segment, c.outputs, c.zero_point, packed, correction);
    Int8Rows a{image.data(), offsets.data(), c.rows, c.segments, stride, segment};
    Int8Weights w{packed, correction, scale.data(), bias.data(), c.segments * segment, c.outputs, c.relu};

    std::vector<float> expected(std::size_t(c.rows) * c.outputs);
    for (int r = 0; r < c.rows; ++r)
      for (int o = 0; o < c.outputs; ++o) {
        std::int64_t sum = 0;
        for (int s = 0; s < c.segments; ++s)
          for (int j = 0; j < c.run; ++j)
            sum += (std::int64_t(image[r * stride + s * stride + j]) - c.zero_point) *
                   std::int64_t(kernel[(std::size_t(s) * c.run + j) * c.outputs + o]);
        expected[std::size_t(r) * c.outputs + o] = epilogue(sum, scale[o], bias[o], c.relu);
      }
    // y rows wider than the outputs: the columns past them must stay untouched.
    const int y_stride = c.outputs + 3;
    auto run = [&](void (*product)(const Int8Rows&, const Int8Weights&, float*, std::ptrdiff_t)) {
      std::vector<float> y(std::size_t(c.rows) * y_stride, std::numeric_limits<float>::quiet_NaN());
      product(a, w, y.data(), y_stride);
      int wrong = 0, touched = 0;
      for (int r = 0; r < c.rows; ++r) {
        for (int o = 0; o < c.outputs; ++o)
          wrong += std::memcmp(&y[std::size_t(r) * y_stride + o], &expected[std::size_t(r) * c.outputs + o], 4) != 0;
        for (int o = c.outputs; o < y_stride; ++o) touched += !std::isnan(y[std::size_t(r) * y_stride + o]);
      }
      CHECK(wrong == 0);
      CHECK(touched == 0);
    };
    run(int8_product_plain);
    if (int8_vnni_available()) run(int8_product_vnni);
  }
  if (!int8_vnni_available()) MESSAGE("this CPU has no AVX-512 VNNI: only the plain loops were checked");
}

TEST_CASE("int8 quantization: AVX-512 and plain give the oracle's bytes, ties to even, NaN and infinities clamped") {
  std::vector<float> x = {0.0f, -0.0f, 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 127.4f, 127.6f, 254.5f, 255.5f, 1e30f, -1e30f,
                          std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(),
                          std::numeric_limits<float>::quiet_NaN(), 3.0f, -3.0f};
  Rng rng(3);
  for (int i = 0; i < 1000; ++i) x.push_back(rng.uniform(-300.0f, 300.0f));
  for (const auto& [inverse_scale, zero_point] : {std::pair{1.0f, 0}, std::pair{1.0f, 128}, std::pair{0.37f, 128}}) {
    for (std::size_t n : {x.size(), std::size_t(17), std::size_t(28), std::size_t(5)}) {
      std::vector<std::uint8_t> plain(n), fast(n);
      int8_quantize_plain(x.data(), n, inverse_scale, zero_point, plain.data());
      int wrong = 0;
      for (std::size_t i = 0; i < n; ++i) wrong += plain[i] != quantize_oracle(x[i], inverse_scale, zero_point);
      CHECK(wrong == 0);
      if (!int8_vnni_available()) continue;
      int8_quantize_avx512(x.data(), n, inverse_scale, zero_point, fast.data());
      CHECK(fast == plain);
    }
  }
  std::uint8_t q[4];
  const float ties[4] = {0.5f, 1.5f, 2.5f, -0.5f};
  int8_quantize(ties, 4, 1.0f, 128, q);
  CHECK(q[0] == 128);  // 0.5 -> 0
  CHECK(q[1] == 130);  // 1.5 -> 2
  CHECK(q[2] == 130);  // 2.5 -> 2
  CHECK(q[3] == 128);  // -0.5 -> -0
}

namespace {

// Inputs as a model sees them: pixels in [0, 1], or signed values for a layer after a linear one.
std::vector<float> random_inputs(const Network& net, int count, float low, float high, std::uint64_t seed) {
  std::vector<float> x(std::size_t(count) * net.input_shape().size());
  Rng rng(seed);
  for (auto& v : x) v = rng.uniform(low, high);
  return x;
}

// The quantized layer's output by the scheme's definition, from its float parameters:
// direct loops over the taps inside the input (padding contributes nothing).
std::vector<float> int8_layer_oracle(const Int8Conv& layer, const float* params, const float* x) {
  const Conv2DConfig& cfg = layer.config();
  const Shape in = layer.input_shape(), out = layer.output_shape();
  const std::size_t K = std::size_t(cfg.kernel_h) * cfg.kernel_w * in.c, F = std::size_t(cfg.filters);
  const float* kernel = params;
  const float* bias = params + K * F;
  const float* kernel_scale = bias + F;
  const float input_scale = params[K * F + 2 * F];
  const int zero_point = int(params[K * F + 2 * F + 1]);
  const Window window(in, cfg.kernel_h, cfg.kernel_w, cfg.stride_h, cfg.stride_w, cfg.padding);
  std::vector<float> y(out.size());
  for (int oy = 0; oy < out.h; ++oy)
    for (int ox = 0; ox < out.w; ++ox)
      for (std::size_t f = 0; f < F; ++f) {
        std::int64_t sum = 0;
        window.for_each_tap(oy, ox, [&](int tap, std::size_t pixel) {
          for (int c = 0; c < in.c; ++c) {
            const int q = quantize_oracle(x[pixel * in.c + c], 1.0f / input_scale, zero_point);
            sum += std::int64_t(q - zero_point) * std::int64_t(kernel[(std::size_t(tap) * in.c + c) * F + f]);
          }
        });
        y[(std::size_t(oy) * out.w + ox) * F + f] = epilogue(sum, input_scale * kernel_scale[f], bias[f], cfg.relu);
      }
  return y;
}

}  // namespace

TEST_CASE("a quantized network: each int8 layer gives the oracle's bits, and the answers follow the float network's") {
  // One input channel with same padding (runs of 3 bytes), stride 2 with valid padding,
  // a linear conv (signed input to the next), a dense layer of odd width, linear logits.
  const char* spec = "conv8:k=3,conv16:k=3:s=2:pad=valid:act=linear,conv12:k=1,pool,flatten,dense21,dense10";
  Network trained(spec);
  trained.init(5);
  const int count = 64;
  const std::vector<float> images = random_inputs(trained, count, 0.0f, 1.0f, 11);
  const Network quantized = quantize_network(trained, images.data(), count);
  CHECK(is_quantized(quantized));
  CHECK_FALSE(is_quantized(trained));
  CHECK(quantized.spec() ==
        "conv8:act=relu:q=int8,conv16:s=2:pad=valid:act=linear:q=int8,conv12:k=1:act=relu:q=int8,pool,flatten,"
        "dense21:act=relu:q=int8,dense10:act=linear:q=int8");
  // The linear conv's output is signed: the next layer's input has zero point 128.
  const auto& layers = quantized.layers();
  const float* p2 = quantized.params().data() + quantized.layer_param_offset(2);
  CHECK(p2[quantized.layer_param_count(2) - 1] == 128.0f);

  Workspace ws(quantized, 1, Mode::inference);
  Workspace float_ws(trained, 1, Mode::inference);
  int agree = 0;
  for (int s = 0; s < count; ++s) {
    const float* x = images.data() + std::size_t(s) * trained.input_shape().size();
    const float* logits = ws.forward(x, 1, Mode::inference);
    std::vector<float> got(logits, logits + 10);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const auto* layer = dynamic_cast<const Int8Conv*>(layers[i].get());
      if (!layer) continue;
      CAPTURE(i);
      const std::vector<float> expected =
          int8_layer_oracle(*layer, quantized.params().data() + quantized.layer_param_offset(i), ws.layer_input(i));
      const float* y = ws.layer_input(i + 1);
      CHECK(std::memcmp(y, expected.data(), expected.size() * sizeof(float)) == 0);
    }
    const float* expected = float_ws.forward(x, 1, Mode::inference);
    agree += std::max_element(got.begin(), got.end()) - got.begin() == std::max_element(expected, expected + 10) - expected;
  }
  CHECK(agree >= count * 9 / 10);  // random weights leave close calls: most, not all, answers agree
}

TEST_CASE("quantization folds batch normalization first, refuses what it cannot do, and int8 layers do not train") {
  Network with_bn("conv4,bn,pool,flatten,dense3");
  with_bn.init(3);
  const std::vector<float> images = random_inputs(with_bn, 4, 0.0f, 1.0f, 9);
  const Network quantized = quantize_network(with_bn, images.data(), 4);
  CHECK(quantized.spec() == "conv4:act=relu:q=int8,pool,flatten,dense3:act=linear:q=int8");

  CHECK_THROWS_WITH_AS(quantize_network(quantized, images.data(), 4), doctest::Contains("quantized already"), Error);
  CHECK_THROWS_WITH_AS(quantize_network(with_bn, images.data(), 0), doctest::Contains("at least one image"), Error);
  Network no_products("pool,flatten");
  CHECK_THROWS_WITH_AS(quantize_network(no_products, images.data(), 1), doctest::Contains("no convolution or dense"),
                       Error);
  CHECK_THROWS_WITH_AS(Network("conv4:q=int4"), doctest::Contains("q must be 'int8'"), Error);

  CHECK_THROWS_WITH_AS(Workspace(quantized, 1, Mode::training),
                       doctest::Contains("layer 'conv4:act=relu:q=int8' runs inference only"), Error);
}

TEST_CASE("int8 inference allocates nothing once planned") {
  if (!testing::counting_allocations()) return testing::skip_test("heap allocations are not counted under the sanitizers");
  Network trained("conv8,pool,conv16,pool,flatten,dense12,dense10");
  trained.init(6);
  const int n = 8;
  const std::vector<float> images = random_inputs(trained, n, 0.0f, 1.0f, 12);
  const Network quantized = quantize_network(trained, images.data(), n);
  Workspace ws(quantized, n, Mode::inference);
  std::vector<float> probs(std::size_t(n) * 10);
  ws.predict(images.data(), n, probs.data());  // prepares (packs the weights) once
  const long before = testing::heap_allocations();
  for (int pass = 0; pass < 3; ++pass) ws.predict(images.data(), n, probs.data());
  CHECK(testing::heap_allocations() == before);
}
