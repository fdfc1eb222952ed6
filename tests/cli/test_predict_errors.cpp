// `blnk predict` on files it cannot read: each gives one clear line naming the
// file and the reason, the other images are still predicted, and the exit
// status is 1. Usage errors exit 2.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "cli/cli_test_util.h"
#include "data/image_write.h"
#include "png_test_util.h"

using namespace blnk;
using namespace blnk::cli_test;

namespace {

// An 8-bit gray digit: a dark ring on light paper (no MNIST needed).
std::vector<std::uint8_t> ring_png(int side) {
  std::vector<std::uint8_t> px(static_cast<std::size_t>(side) * side, 230);
  const float c = side / 2.0f, r = side * 0.3f;
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      const float d = std::hypot(x + 0.5f - c, (y + 0.5f - c) * 0.8f);
      if (std::abs(d - r) < side * 0.05f) px[static_cast<std::size_t>(y) * side + x] = 20;
    }
  return data::encode_png(px, side, side, 1);
}

struct BadFile {
  std::string name;
  std::vector<std::uint8_t> bytes;
  std::vector<std::string> reason;  // words the error line must contain
  bool create = true;
};

}  // namespace

TEST_CASE("predict: each unreadable file gets one clear error line, the others are still predicted, exit 1") {
  TempDir tmp("errors");
  const std::vector<std::uint8_t> good = ring_png(80);
  std::vector<std::uint8_t> truncated = good;
  truncated.resize(truncated.size() / 2);
  const std::string tiff("II*\0\x08\0\0\0\0\0", 10);  // a TIFF header: a format blnk does not read
  const std::string text = "7\nthis is a text file that happens to mention a digit\n";
  const std::vector<std::uint8_t> blank = data::encode_png(std::vector<std::uint8_t>(64 * 48, 200), 64, 48, 1);
  const std::vector<BadFile> bad = {
      {"empty.png", {}, {"empty"}},
      {"truncated.png", truncated, {"truncated"}},
      {"notes.txt", {text.begin(), text.end()}, {"not an image"}},
      {"scan.tif", {tiff.begin(), tiff.end()}, {"unsupported format", "TIFF"}},
      {"bomb.png", blnk::testing::png_header_only(100000, 100000),
       {"too many pixels", "100000x100000", "scale it down, or save it as a baseline JPEG"}},
      {"blank.png", blank, {"no digit found"}},
      {"missing.png", {}, {"no such file"}, false},
  };
  std::vector<std::string> args = {"predict"};
  args.push_back(tmp.file("good1.png"));
  write_bytes(args.back(), good);
  for (const BadFile& b : bad) {
    args.push_back(tmp.file(b.name));
    if (b.create) write_bytes(args.back(), b.bytes);
  }
  args.push_back(tmp.file("good2.png"));
  write_bytes(args.back(), good);

  for (const bool json : {false, true}) {
    CAPTURE(json);
    std::vector<std::string> a = args;
    if (json) a.insert(a.begin() + 1, "--json");
    const auto start = std::chrono::steady_clock::now();
    const RunResult r = run_blnk(a, tmp);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    INFO("stdout:\n" << r.out << "stderr:\n" << r.err);
    CHECK(r.status == 1);
    CHECK(seconds < 10.0);  // not a timing assertion: a decoded bomb would take minutes or die
    const std::vector<std::string> errors = lines_of(r.err);
    REQUIRE(errors.size() == bad.size());
    for (std::size_t i = 0; i < bad.size(); ++i) {
      const std::string& line = errors[i];
      CAPTURE(line);
      CHECK(line.rfind("blnk predict: " + tmp.file(bad[i].name) + ": ", 0) == 0);
      for (const std::string& word : bad[i].reason) CHECK(contains(line, word));
    }
    const std::vector<std::string> out = lines_of(r.out);
    if (!json) {
      REQUIRE(out.size() == 2);
      CHECK(out[0].rfind(tmp.file("good1.png") + ": 0 (", 0) == 0);
      CHECK(out[1].rfind(tmp.file("good2.png") + ": 0 (", 0) == 0);
    } else {
      REQUIRE(out.size() == bad.size() + 2);  // one object per input, in order
      CHECK(int(parse_json(out.front())["digit"].number) == 0);
      CHECK(int(parse_json(out.back())["digit"].number) == 0);
      for (std::size_t i = 0; i < bad.size(); ++i) {
        const Json j = parse_json(out[i + 1]);
        CHECK(j["file"].text == tmp.file(bad[i].name));
        CHECK_FALSE(j.has("digit"));
        CHECK(contains(j["error"].text, bad[i].reason[0]));
      }
    }
  }
}

TEST_CASE("predict: a folder with no image exits 1 naming it and what it passed over, and so does an empty one") {
  TempDir tmp("dirs");
  const std::string bad_dir = tmp.dir("bad");
  write_text(bad_dir + "/a.txt", "hello");
  const RunResult r = run_blnk({"predict", bad_dir}, tmp);
  INFO("stderr:\n" << r.err);
  CHECK(r.status == 1);
  CHECK(contains(r.err, bad_dir + ": passed over 1 file not named as an image (a.txt;"));
  CHECK(contains(r.err, bad_dir + ": a folder with no images to read"));
  const std::string empty_dir = tmp.dir("empty");
  const RunResult e = run_blnk({"predict", empty_dir}, tmp);
  CHECK(e.status == 1);
  CHECK(e.out.empty());
  CHECK(contains(e.err, empty_dir + ": a folder with no images to read"));
  // Subfolders are not read: a folder of folders has no images either, and says so.
  tmp.dir("nested/0");
  const RunResult n = run_blnk({"predict", tmp.file("nested")}, tmp);
  CHECK(n.status == 1);
  CHECK(contains(n.err, tmp.file("nested") + ": passed over 1 folder (0;"));
  CHECK(contains(n.err, tmp.file("nested") + ": a folder with no images to read"));
}

TEST_CASE("predict: a folder's images are read and the rest passed over in a note: dot files, other files, subfolders") {
  // A first-time user's folder from a Mac: `blnk predict scans/` exited 1 on .DS_Store.
  TempDir tmp("mixed-dir");
  const std::string dir = tmp.dir("scans");
  write_bytes(dir + "/ring.png", ring_png(64));
  write_text(dir + "/.DS_Store", "Bud1 not an image");
  write_text(dir + "/notes.txt", "what these are");
  tmp.dir("scans/old");
  const RunResult r = run_blnk({"predict", "--json", dir}, tmp);
  INFO("stdout:\n" << r.out << "stderr:\n" << r.err);
  CHECK(r.status == 0);
  REQUIRE(lines_of(r.out).size() == 1);
  CHECK(parse_json(lines_of(r.out)[0])["file"].text == dir + "/ring.png");
  CHECK(contains(r.err, "note: " + dir + ": passed over 1 file not named as an image (notes.txt;"));
  CHECK(contains(r.err, "note: " + dir + ": passed over 1 folder (old;"));
  CHECK_FALSE(contains(r.err, "DS_Store"));  // dot files are left out, as every folder reader of blnk does
  // A file named as an image that is not one is still a failure: it was meant to be read.
  write_text(dir + "/broken.png", "not a png");
  const RunResult b = run_blnk({"predict", dir}, tmp);
  CHECK(b.status == 1);
  CHECK(contains(b.err, dir + "/broken.png"));
}

TEST_CASE("predict: a photo file over 20 MiB within the pixel limit is read, not refused for its size") {
  TempDir tmp("big-file");
  // 2700 x 2700 RGB BMP: 21.9 MB (a 12 MP phone photo as PNG is 20-36 MB), 7.3 megapixels.
  const int side = 2700;
  std::vector<std::uint8_t> px(static_cast<std::size_t>(side) * side * 3, 225);
  for (int y = 900; y < 1800; ++y)  // a thick dark ring in the middle: a 0
    for (int x = 900; x < 1800; ++x) {
      const float d = std::hypot(float(x) - 1350.0f, (float(y) - 1350.0f) * 0.75f);
      if (std::abs(d - 300.0f) < 45.0f) std::fill_n(px.begin() + (std::ptrdiff_t(y) * side + x) * 3, 3, std::uint8_t(25));
    }
  const std::string path = tmp.file("big.bmp");
  write_bytes(path, data::encode_bmp(px, side, side, 3));
  REQUIRE(std::filesystem::file_size(path) > (std::uintmax_t(20) << 20));
  const RunResult r = run_blnk({"predict", path}, tmp);
  INFO("stdout:\n" << r.out << "stderr:\n" << r.err);
  CHECK(r.status == 0);
  CHECK(r.err.find("too large") == std::string::npos);
}

TEST_CASE("predict: usage errors exit 2 with a message") {
  TempDir tmp("usage");
  const std::string png = tmp.file("ring.png");
  write_bytes(png, ring_png(60));
  const std::vector<std::vector<std::string>> cases = {
      {"predict"},
      {"predict", "--top-k", "0", png},
      {"predict", "--top-k", "11", png},
      {"predict", "--top-k", "many", png},
      {"predict", "--no-such-option", png},
      {"no-such-command"},
      {"eval"},
      {"predict", "--preprocess", "opencv", png},
      {"serve", "--preprocess", "opencv"},
  };
  for (const auto& c : cases) {
    std::string joined;
    for (const std::string& s : c) joined += s + " ";
    CAPTURE(joined);
    const RunResult r = run_blnk(c, tmp);
    CHECK(r.status == 2);
    CHECK_FALSE(r.err.empty());
    CHECK(r.out.empty());
  }
  const RunResult bad = run_blnk({"predict", "--preprocess", "opencv", png}, tmp);
  CHECK(contains(bad.err, "--preprocess 'opencv': unknown; expected blnk or seed"));
  // A gate file that cannot be loaded is a runtime error (1) naming the file.
  const RunResult g = run_blnk({"predict", "--gate", tmp.file("nogate.blnk"), png}, tmp);
  CHECK(g.status == 1);
  CHECK(contains(g.err, tmp.file("nogate.blnk")));
  // A model file that cannot be loaded is a runtime error (1) naming the file.
  const RunResult m = run_blnk({"predict", "--model", tmp.file("nope.blnk"), png}, tmp);
  CHECK(m.status == 1);
  CHECK(contains(m.err, tmp.file("nope.blnk")));
  // --help is not an error.
  const RunResult h = run_blnk({"predict", "--help"}, tmp);
  CHECK(h.status == 0);
  CHECK(contains(h.out, "--save-preprocessed"));
}

TEST_CASE("predict, eval and serve refuse a model of the other kind, naming the file and what it has") {
  TempDir tmp("kind");
  const std::string png = tmp.file("ring.png");
  write_bytes(png, ring_png(60));
  const std::string gate = std::string(BLNK_SOURCE_DIR) + "/models/digit-gate.blnk";
  // The gate as the digit reader answered "0 (100.0%)", exit 0.
  RunResult r = run_blnk({"predict", "--model", gate, png}, tmp);
  CHECK(r.status == 1);
  CHECK(contains(r.err, gate + ": a digit reader has 10 outputs (one score per digit); this model has 2"));
  CHECK(r.out.empty());
  r = run_blnk({"predict", "--gate", bundled_model(), png}, tmp);
  CHECK(r.status == 1);
  CHECK(contains(r.err, bundled_model() + ": a digit gate"));
  r = run_blnk({"serve", "--port", "0", "--model", gate}, tmp);
  CHECK(r.status == 1);
  CHECK(contains(r.err, gate + ": a digit reader has 10 outputs"));
  if (!have_mnist()) return;
  r = run_blnk({"eval", "--model", gate, "--data", mnist_dir()}, tmp);
  CHECK(r.status == 1);
  CHECK(contains(r.err, gate + ": the model has 2 outputs (a digit gate?)"));
  CHECK(contains(r.err, "labels up to 9"));
}

TEST_CASE("predict: a model file BLNK_MODEL names that is not a model says the variable chose it") {
  // A first-time user's BLNK_MODEL=x.png: the error named x.png, not where it came from.
  TempDir tmp("env-model");
  const std::string image = tmp.file("ring.png");
  write_bytes(image, ring_png(64));
  ::setenv("BLNK_MODEL", image.c_str(), 1);
  const RunResult r = run_blnk({"predict", image}, tmp);
  const RunResult given = run_blnk({"predict", "--model", image, image}, tmp);
  ::unsetenv("BLNK_MODEL");
  INFO("stderr:\n" << r.err << "\n--model:\n" << given.err);
  CHECK(r.status == 1);
  CHECK(contains(r.err, image + ": "));
  CHECK(contains(r.err, "(the model BLNK_MODEL names)"));
  CHECK(given.status == 1);
  CHECK_FALSE(contains(given.err, "BLNK_MODEL"));  // --model wins over the variable and is what the user typed
}
