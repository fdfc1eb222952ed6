// blnk::Model through the public header only, as a program that links libblnk sees
// it: the kind checks on load, batch probabilities from floats and bytes over
// threads, the errors' messages, many threads on one model, and reading images.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "alloc_counter.h"
#include "blnk/blnk.h"
#include "test_data.h"

namespace {

const std::string kModels = std::string(BLNK_SOURCE_DIR) + "/models/";
const std::string kReader = kModels + "mnist.blnk";
const std::string kGate = kModels + "digit-gate.blnk";

// n images of 28x28 bytes, each a different pattern of strokes.
std::vector<std::uint8_t> pattern_images(int n) {
  std::vector<std::uint8_t> x(std::size_t(n) * 784);
  for (int s = 0; s < n; ++s)
    for (int i = 0; i < 784; ++i) {
      const int r = i / 28, c = i % 28;
      const bool ink = (r > 4 && r < 24) && ((c + s) % 9 < 3 || (r * (s % 5 + 1)) % 11 == 0);
      x[std::size_t(s) * 784 + std::size_t(i)] = ink ? std::uint8_t(255 - (s * 7) % 60) : 0;
    }
  return x;
}

std::vector<float> units_of(const std::vector<std::uint8_t>& bytes) {
  std::vector<float> units(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) units[i] = bytes[i] * (1.0f / 255.0f);  // "scaled by 1/255", as model.h says
  return units;
}

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const blnk::Exception& e) {
    return e.what();
  }
  return "(no exception)";
}

std::vector<std::uint8_t> file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The first photo of a digit in the folder (names <digit>_<any>, PNG or JPEG).
std::string first_photo_of(const std::string& folder, int digit) {
  std::string first;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(std::to_string(digit) + "_", 0) == 0 && (first.empty() || entry.path().string() < first))
      first = entry.path().string();
  }
  return first;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a digit reader loads with 28x28x1 inputs and 10 classes, and says what it is") {
  const blnk::Model model = blnk::Model::load(kReader);
  CHECK(model.kind() == blnk::ModelKind::digit_reader);
  CHECK(model.input_height() == 28);
  CHECK(model.input_width() == 28);
  CHECK(model.input_channels() == 1);
  CHECK(model.classes() == 10);
  CHECK(model.path() == kReader);
  CHECK(contains(model.spec(), "dense10"));
  CHECK(contains(model.summary(), "Conv2D"));
  CHECK(model.metadata("blnk.version") != "");
  CHECK(model.metadata("no such key") == "");
  CHECK(std::string(blnk::version()) == BLNK_VERSION_STRING);
}

TEST_CASE("load refuses a model of the wrong kind, naming the file and what it has") {
  const std::string gate_as_reader = message_of([] { blnk::Model::load(kGate); });
  CHECK(contains(gate_as_reader, kGate));
  CHECK(contains(gate_as_reader, "has 2 outputs"));
  CHECK(contains(gate_as_reader, "digit gate?"));
  const std::string reader_as_gate = message_of([] { blnk::Model::load(kReader, {blnk::ModelKind::digit_gate, ""}); });
  CHECK(contains(reader_as_gate, kReader));
  CHECK(contains(reader_as_gate, "has 10 outputs"));
  const std::string reader_as_its_gate = message_of([] { blnk::Model::load(kReader, {blnk::ModelKind::digit_reader, kReader}); });
  CHECK(contains(reader_as_its_gate, kReader));
  CHECK(contains(reader_as_its_gate, "digit gate"));
  const std::string missing = message_of([] { blnk::Model::load("/nonexistent/m.blnk"); });
  CHECK(contains(missing, "/nonexistent/m.blnk"));
  const blnk::Model gate = blnk::Model::load(kGate, {blnk::ModelKind::digit_gate, ""});
  CHECK(gate.classes() == 2);
  CHECK(contains(message_of([&] { gate.read_file(kReader); }), "needs a digit reader"));
  const blnk::Model any = blnk::Model::load(kGate, {blnk::ModelKind::any, ""});
  CHECK(any.classes() == 2);
  CHECK(contains(message_of([] { blnk::Model::load(kReader, {blnk::ModelKind::any, kGate}); }), "a gate is for reading"));
}

TEST_CASE("predict_proba gives rows that sum to 1, the same from bytes as from floats, on any number of threads") {
  const blnk::Model model = blnk::Model::load(kReader);
  const int n = 600;  // several chunks per thread
  const std::vector<std::uint8_t> bytes = pattern_images(n);
  const std::vector<float> units = units_of(bytes);
  const blnk::BatchShape shape{std::size_t(n), 28, 28, 1};
  const std::vector<float> one = model.predict_proba(units.data(), shape, 1);
  REQUIRE(one.size() == std::size_t(n) * 10);
  for (int s = 0; s < n; ++s) {
    double sum = 0;
    for (int k = 0; k < 10; ++k) sum += one[std::size_t(s) * 10 + std::size_t(k)];
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-5));
  }
  CHECK(model.predict_proba(bytes.data(), shape, 1) == one);
  CHECK(model.predict_proba(units.data(), shape, 3) == one);
  CHECK(model.predict_proba(bytes.data(), shape, 2) == one);
  const std::vector<int> digits = model.predict(bytes.data(), shape, 2);
  REQUIRE(digits.size() == std::size_t(n));
  for (int s = 0; s < n; ++s) {
    const float* row = one.data() + std::size_t(s) * 10;
    CHECK(row[digits[std::size_t(s)]] == *std::max_element(row, row + 10));
  }
  CHECK(model.predict_proba(units.data(), blnk::BatchShape{0, 28, 28, 1}).empty());
}

TEST_CASE("predict_proba into the caller's buffer allocates nothing once the model has run with as many threads") {
  if (!blnk::testing::counting_allocations()) {
    blnk::testing::skip_test("allocations are not counted under the address sanitizer");
    return;
  }
  const blnk::Model model = blnk::Model::load(kReader);
  const std::vector<std::uint8_t> bytes = pattern_images(64);
  const std::vector<float> units = units_of(bytes);
  std::vector<float> probs(64 * 10);
  const blnk::BatchShape shape{64, 28, 28, 1};
  for (int threads : {1, 2}) {
    model.predict_proba(units.data(), shape, probs.data(), threads);  // plans the lanes
    model.predict_proba(bytes.data(), shape, probs.data(), threads);
    const long before = blnk::testing::heap_allocations();
    model.predict_proba(units.data(), shape, probs.data(), threads);
    model.predict_proba(bytes.data(), shape, probs.data(), threads);
    CHECK(blnk::testing::heap_allocations() == before);
  }
}

TEST_CASE("predict_proba refuses a batch of another shape, pixels out of [0, 1] and a bad thread count") {
  const blnk::Model model = blnk::Model::load(kReader);
  std::vector<float> x(32 * 32 * 2, 0.5f);
  const std::string shape = message_of([&] { model.predict_proba(x.data(), blnk::BatchShape{2, 32, 32, 1}); });
  CHECK(contains(shape, "2x32x32x1"));
  CHECK(contains(shape, kReader));
  CHECK(contains(shape, "28x28x1"));
  x[5] = 255.0f;
  CHECK(contains(message_of([&] { model.predict_proba(x.data(), blnk::BatchShape{1, 28, 28, 1}); }), "pixels[5] = 255"));
  x[5] = std::nanf("");
  CHECK(contains(message_of([&] { model.predict_proba(x.data(), blnk::BatchShape{1, 28, 28, 1}); }), "pixels[5]"));
  x[5] = 0;
  const std::string threads = message_of([&] { model.predict_proba(x.data(), blnk::BatchShape{1, 28, 28, 1}, 0); });
  CHECK(contains(threads, "threads must be from 1 to 256, got 0"));
}

TEST_CASE("one model serves many threads at once with the answers of one thread") {
  const blnk::Model model = blnk::Model::load(kReader, {blnk::ModelKind::digit_reader, kGate});
  const std::vector<std::uint8_t> bytes = pattern_images(300);
  const blnk::BatchShape shape{300, 28, 28, 1};
  const std::vector<float> expected = model.predict_proba(bytes.data(), shape, 1);
  const std::string blank = std::string(BLNK_SOURCE_DIR) + "/tests/fuzz/corpus/image/stroke-gray.png";
  const blnk::Reading expected_reading = model.read_file(blank);
  std::vector<int> wrong(6, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      for (int round = 0; round < 10; ++round) {
        if (model.predict_proba(bytes.data(), shape, 1 + t % 3) != expected) ++wrong[std::size_t(t)];
        if (model.read_file(blank).probabilities != expected_reading.probabilities) ++wrong[std::size_t(t)];
      }
    });
  for (std::thread& t : threads) t.join();
  for (int t = 0; t < 6; ++t) CHECK(wrong[std::size_t(t)] == 0);
}

TEST_CASE("read_file reads a photographed digit as blnk predict does, and read_bytes the same bytes alike") {
  const std::string photos = blnk::testing::shared_data_dir("photo-digits");
  if (!blnk::testing::have_data(photos, "the photographed digits")) return;
  const blnk::Model model = blnk::Model::load(kReader, {blnk::ModelKind::digit_reader, kGate});
  for (int digit = 0; digit < 10; ++digit) {
    const std::string path = first_photo_of(photos, digit);
    const blnk::Reading r = model.read_file(path, {true});
    CHECK(r.digit == digit);
    CHECK(r.verdict == blnk::Verdict::digit);
    CHECK(std::string(blnk::verdict_name(r.verdict)) == "digit");
    CHECK(r.single_digit >= 0);
    CHECK(r.probability == r.probabilities[std::size_t(digit)]);
    const std::vector<int> top = r.top(3);
    REQUIRE(top.size() == 3);
    CHECK(top[0] == digit);
    CHECK(r.probabilities[std::size_t(top[1])] >= r.probabilities[std::size_t(top[2])]);
    REQUIRE(r.seen_png.size() > 8);
    CHECK(r.seen_png[1] == 'P');
    const std::vector<std::uint8_t> bytes = file_bytes(path);
    const blnk::Reading again = model.read_bytes(bytes.data(), bytes.size(), "photo");
    CHECK(again.probabilities == r.probabilities);
    CHECK(again.seen_png.empty());  // not asked for
  }
}

TEST_CASE("read_file gives not_a_digit for a blank image and throws naming a file it cannot read") {
  const blnk::Model model = blnk::Model::load(kReader);
  const blnk::Reading blank = model.read_file(std::string(BLNK_SOURCE_DIR) + "/tests/fuzz/corpus/image/blank-white.png");
  CHECK(blank.verdict == blnk::Verdict::not_a_digit);
  CHECK(blank.digit == -1);
  CHECK(blank.probabilities.empty());
  CHECK(!blank.reason.empty());
  CHECK(contains(message_of([&] { model.read_file(kGate); }), kGate));
  CHECK(contains(message_of([&] { model.read_file("/nonexistent/photo.png"); }), "/nonexistent/photo.png"));
  const std::uint8_t junk[] = {1, 2, 3, 4};
  CHECK(contains(message_of([&] { model.read_bytes(junk, sizeof junk, "upload 7"); }), "upload 7"));
}

TEST_CASE("a moved-from model says so instead of crashing") {
  blnk::Model model = blnk::Model::load(kReader);
  const blnk::Model moved = std::move(model);
  CHECK(moved.classes() == 10);
  CHECK(contains(message_of([&] { (void)model.classes(); }), "moved from"));  // NOLINT(bugprone-use-after-move)
}
