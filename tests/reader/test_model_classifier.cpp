// The reader backed by real models: it refuses a model of the wrong kind, naming the
// file and what it holds, and with the seed's preprocessing gives no verdict the
// evidence does not support (the gate judges blnk's own view; a letter A is no digit).
#include <doctest/doctest.h>

#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_STATIC
#include <stb/stb_truetype.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/file_io.h"
#include "data/image_write.h"
#include "engine/model_file.h"
#include "engine/model_metadata.h"
#include "engine/network.h"
#include "layers/int8_gemm.h"
#include "reader/model_classifier.h"
#include "test_data.h"

using namespace blnk;

namespace {

const std::string kModel = std::string(BLNK_SOURCE_DIR) + "/models/mnist.blnk";
const std::string kGate = std::string(BLNK_SOURCE_DIR) + "/models/digit-gate.blnk";
const std::string kGateInt8 = std::string(BLNK_SOURCE_DIR) + "/models/digit-gate-int8.blnk";
const std::string kFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";  // Debian's fonts-dejavu-core

std::string error_of(const std::function<void()>& load) {
  try {
    load();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// A character of DejaVu Sans, 150 px high, black on a white 200x200 PNG; empty without the font.
std::vector<std::uint8_t> glyph_png(char c) {
  if (!std::filesystem::exists(kFont)) return {};
  const std::vector<std::uint8_t> font = read_file_bytes(kFont, 64u << 20);
  stbtt_fontinfo info;
  REQUIRE(stbtt_InitFont(&info, font.data(), stbtt_GetFontOffsetForIndex(font.data(), 0)));
  constexpr int kSide = 200;
  const float scale = stbtt_ScaleForPixelHeight(&info, 150);
  int w = 0, h = 0, x0 = 0, y0 = 0;
  unsigned char* ink = stbtt_GetCodepointBitmap(&info, scale, scale, c, &w, &h, &x0, &y0);
  REQUIRE(ink != nullptr);
  REQUIRE((w < kSide && h < kSide));
  std::vector<std::uint8_t> page(kSide * kSide, 255);
  const int left = (kSide - w) / 2, top = (kSide - h) / 2;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) page[(top + y) * kSide + left + x] = std::uint8_t(255 - ink[y * w + x]);
  stbtt_FreeBitmap(ink, nullptr);
  return data::encode_png(page, kSide, kSide, 1);
}

reader::Classification read(const reader::ModelClassifier& reader, const std::vector<std::uint8_t>& png) {
  reader::Classification result;
  reader::ClassifyFailure failure;
  INFO(failure.message);
  REQUIRE(reader.classify_named(png, "glyph.png", {}, result, failure));
  return result;
}

}  // namespace

TEST_CASE("model classifier: a gate given as the model, or a model as the gate, is refused naming the file and what it has") {
  const std::string as_model = error_of([] { reader::ModelClassifier m(kGate); });
  CHECK(as_model.find("digit-gate.blnk") != std::string::npos);
  CHECK(as_model.find("has 2") != std::string::npos);
  CHECK(as_model.find("10 outputs") != std::string::npos);
  const std::string as_gate = error_of([] { reader::ModelClassifier m(kModel, {}, kModel); });
  CHECK(as_gate.find("mnist.blnk") != std::string::npos);
  CHECK(as_gate.find("10 outputs") != std::string::npos);
  CHECK(error_of([] { reader::ModelClassifier m(kModel, {}, kGate); }).empty());
}

// Issue 21: the float gate's inference made a small photo 1.3x slower than before the
// gate; its int8 copy reads the gate 2.5x faster with AVX-512 VNNI (and slower without).
TEST_CASE("the bundled gates: an int8 copy of the float gate, the one the CPU runs faster picked, the same verdicts") {
  const ModelFile float_file = read_model_file(kGate), int8_file = read_model_file(kGateInt8);
  const Network float_gate = network_from(float_file, kGate), int8_gate = network_from(int8_file, kGateInt8);
  const auto int8_layers = [](const Network& net) {
    int layers = 0, int8 = 0;
    for (const auto& layer : net.layers()) {
      if (layer->kind() != "Conv2D" && layer->kind() != "Dense") continue;
      ++layers;
      int8 += layer->spec().find(":q=int8") != std::string::npos;
    }
    return std::pair{layers, int8};
  };
  CHECK(int8_layers(float_gate) == std::pair{4, 0});
  CHECK(int8_layers(int8_gate) == std::pair{4, 4});
  const std::string* from = int8_file.find_metadata(metadata::kQuantizedFrom);
  REQUIRE(from != nullptr);
  CHECK(from->find(reader::kGateFile) != std::string::npos);
  CHECK(std::string(reader::bundled_gate_file()) == (int8_vnni_available() ? reader::kGateInt8File : reader::kGateFile));

  const std::vector<std::uint8_t> letter = glyph_png('A'), seven = glyph_png('7');
  if (letter.empty()) {
    testing::skip_test("no font at " + kFont + " (apt-get install fonts-dejavu-core)");
    return;
  }
  const reader::ModelClassifier with_float(kModel, {}, kGate), with_int8(kModel, {}, kGateInt8);
  CHECK(read(with_int8, letter).verdict == reader::Verdict::not_a_digit);
  CHECK(read(with_int8, seven).verdict == reader::Verdict::digit);
  CHECK(read(with_float, letter).verdict == reader::Verdict::not_a_digit);
  CHECK(read(with_float, seven).verdict == reader::Verdict::digit);
  // The same view judged: only the gate's probability differs, by little.
  CHECK(read(with_int8, seven).single_digit == doctest::Approx(read(with_float, seven).single_digit).epsilon(0.05));
}

TEST_CASE("model classifier: with the seed's preprocessing a letter A is not a digit and a digit gets no verdict") {
  const std::vector<std::uint8_t> letter = glyph_png('A'), seven = glyph_png('7');
  if (letter.empty()) {
    testing::skip_test("no font at " + kFont + " (apt-get install fonts-dejavu-core)");
    return;
  }
  const reader::ModelClassifier blnk_reader(kModel, {}, kGate);
  const reader::ModelClassifier seed_reader(kModel, {}, kGate, true);
  CHECK(read(blnk_reader, letter).verdict == reader::Verdict::not_a_digit);
  CHECK(read(blnk_reader, seven).verdict == reader::Verdict::digit);
  // The seed's view of an A fooled the gate ("4, digit"): it judges blnk's view now.
  const reader::Classification a = read(seed_reader, letter);
  CHECK(a.verdict == reader::Verdict::not_a_digit);
  CHECK(a.single_digit < 0.2f);
  // Its confidence is no evidence (64 photo-digits judged "digit", 12 of them right): no verdict, said so.
  const reader::Classification seven_seed = read(seed_reader, seven);
  CHECK(seven_seed.verdict == reader::Verdict::unjudged);
  CHECK(seven_seed.reason.find("seed's preprocessing") != std::string::npos);
  CHECK(std::string(reader::verdict_name(seven_seed.verdict)) == "unjudged");
}

TEST_CASE("model classifier: a failure names the image as the caller calls it and says what to do in plain words") {
  const reader::ModelClassifier reader(kModel, {}, kGate);
  std::vector<std::uint8_t> tap(200 * 200, 0);  // a 2x2 tap on a black pad
  for (int y = 99; y < 101; ++y)
    for (int x = 99; x < 101; ++x) tap[y * 200 + x] = 255;
  const std::vector<std::uint8_t> png = data::encode_png(tap, 200, 200, 1);
  reader::Classification result;
  reader::ClassifyFailure failure;
  reader::ClassifyOptions options;
  options.name = "drawing";
  REQUIRE_FALSE(reader.classify(png, options, result, failure));
  CHECK(failure.no_digit);
  CHECK(failure.message.starts_with("drawing: no digit found: "));
  CHECK(failure.message.find("draw or photograph one digit, bigger") != std::string::npos);
  REQUIRE_FALSE(reader.classify(png, {}, result, failure));  // unnamed: "the image", never "upload"
  CHECK(failure.message.starts_with("the image: no digit found: "));
}
