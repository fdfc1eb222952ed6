// blnk train --images / --images-test and blnk eval --images end to end, on
// folders of drawn digits written here (no shared data needed): unreadable files
// are reported, named and skipped with a summary, --strict-images makes them
// fatal, and a model trained on one folder reads a held-out folder.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>

#include "cli_test_util.h"
#include "data/image_write.h"

using namespace blnk::cli_test;

namespace {

// A dark "0" (ring) or "1" (bar) on light paper, placed and sized by `variant`.
void write_digit(const std::string& path, int label, int variant) {
  const int w = 36 + variant % 7 * 3, h = 40 + variant % 5 * 4;
  const float cx = w / 2.0f + variant % 3 - 1, cy = h / 2.0f + variant % 4 - 1.5f;
  std::vector<std::uint8_t> px(std::size_t(w) * h, std::uint8_t(220 + variant % 20));
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const float dx = (x - cx) / (w * 0.3f), dy = (y - cy) / (h * 0.36f);
      const bool ink = label == 0 ? std::fabs(std::hypot(dx, dy) - 1.0f) < 0.22f
                                  : std::fabs(x - cx - dy * float(variant % 3 - 1) * 2.0f) < w * 0.07f && std::fabs(dy) < 1.0f;
      if (ink) px[std::size_t(y) * w + x] = std::uint8_t(20 + variant % 30);
    }
  blnk::data::write_png(path, px, w, h, 1);
}

}  // namespace

TEST_CASE("image folders: train on a folder, test on another, evaluate, with bad files named and skipped") {
  TempDir tmp("folders");
  const std::string train = tmp.dir("train"), test = tmp.dir("test");
  for (int i = 0; i < 24; ++i)
    for (int label : {0, 1}) {
      std::filesystem::create_directories(train + "/" + std::to_string(label));
      write_digit(train + "/" + std::to_string(label) + "/img" + std::to_string(i) + ".png", label, i);
    }
  write_text(train + "/1/broken.png", "not an image");
  write_text(train + "/notes.txt", "beside the label folders");
  std::filesystem::create_directories(train + "/old");
  for (int i = 0; i < 8; ++i)
    for (int label : {0, 1}) write_digit(test + "/" + std::to_string(label) + "_t" + std::to_string(i) + ".png", label, 50 + i);
  const std::string model = tmp.file("folder.blnk");

  const RunResult trained = run_blnk({"train", "--images", train, "--images-test", test, "--arch", "flatten,dense16,dense10",
                                      "--epochs", "12", "--batch-size", "8", "--threads", "1", "--quiet", "--out", model},
                                     tmp);
  INFO(trained.err);
  REQUIRE(trained.status == 0);
  CHECK(trained.err.find("skipped " + train + "/1/broken.png: not an image") != std::string::npos);
  CHECK(trained.err.find(train + ": 48 images (subfolders 0-9), 1 skipped, 2 passed over (not images, or folders not "
                         "read): " + train + "/notes.txt, " + train + "/old/") != std::string::npos);
  CHECK(trained.err.find(test + ": 16 images (files <label>_*), 0 skipped") != std::string::npos);

  const RunResult eval = run_blnk({"eval", "--model", model, "--images", test, "--json"}, tmp);
  INFO(eval.err);
  REQUIRE(eval.status == 0);
  const std::size_t at = eval.out.find("\"accuracy\":");
  REQUIRE(at != std::string::npos);
  CHECK(std::stod(eval.out.substr(at + 11)) >= 0.9);  // 0 and 1 drawn apart: the held-out folder is read

  const RunResult strict = run_blnk({"train", "--images", train, "--strict-images", "--epochs", "1", "--quiet",
                                     "--out", tmp.file("strict.blnk")}, tmp);
  CHECK(strict.status == 1);
  CHECK(strict.err.find(train + "/1/broken.png: not an image") != std::string::npos);
}

TEST_CASE("image folders: usage errors and a folder without usable images") {
  TempDir tmp("folders-errors");
  const std::string empty = tmp.dir("empty");
  write_text(empty + "/notes.txt", "nothing");
  const RunResult none = run_blnk({"eval", "--images", empty}, tmp);
  CHECK(none.status == 1);
  CHECK(none.err.find("no usable image") != std::string::npos);
  const RunResult both = run_blnk({"train", "--images", empty, "--train-images", "x", "--train-labels", "y"}, tmp);
  CHECK(both.status == 2);
  CHECK(both.err.find("not both") != std::string::npos);
}

TEST_CASE("image folders: --init starts from a trained model, and another spec or --resume with it is refused") {
  TempDir tmp("folders-init");
  const std::string photos = tmp.dir("photos");
  for (int i = 0; i < 8; ++i)
    for (int label : {0, 1}) write_digit(photos + "/" + std::to_string(label) + "_" + std::to_string(i) + ".png", label, i);
  auto accuracy = [&](const std::string& model) {
    const RunResult r = run_blnk({"eval", "--model", model, "--images", photos, "--json"}, tmp);
    REQUIRE(r.status == 0);
    return std::stod(r.out.substr(r.out.find("\"accuracy\":") + 11));
  };
  // A learning rate too small to move any weight: the result reads as the model it started from.
  const std::string tuned = tmp.file("tuned.blnk");
  const RunResult r = run_blnk({"train", "--images", photos, "--init", bundled_model(), "--lr", "1e-12", "--epochs", "1",
                                "--threads", "1", "--quiet", "--out", tuned}, tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);
  const double bundled = accuracy(bundled_model());
  CHECK(bundled >= 0.9);
  CHECK(accuracy(tuned) == bundled);

  const RunResult other = run_blnk({"train", "--images", photos, "--init", bundled_model(), "--arch", "flatten,dense10",
                                    "--out", tmp.file("x.blnk")}, tmp);
  CHECK(other.status == 1);
  CHECK(other.err.find("is not the one --arch asks for (flatten,dense10)") != std::string::npos);
  const RunResult both = run_blnk({"train", "--images", photos, "--init", bundled_model(), "--resume"}, tmp);
  CHECK(both.status == 2);
}

TEST_CASE("image folders: a digit folder of one label is refused for training, naming it, and read for evaluation") {
  // A first-time user's `mkdir -p d/3 && cp x.png d/3/`: training exited 0 with a model that answers 3 to everything.
  TempDir tmp("folders-one-label");
  const std::string threes = tmp.dir("threes");
  std::filesystem::create_directories(threes + "/1");
  for (int i = 0; i < 4; ++i) write_digit(threes + "/1/img" + std::to_string(i) + ".png", 1, i);
  const RunResult r = run_blnk({"train", "--images", threes, "--arch", "flatten,dense10", "--epochs", "1", "--quiet",
                                "--out", tmp.file("one.blnk")}, tmp);
  INFO(r.err);
  CHECK(r.status == 1);
  CHECK(r.err.find(threes + ": every image is labelled 1; training needs images of two digits at least") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(tmp.file("one.blnk")));
  // A subfolder beside it that is no digit: passed over, and the option that reads it as a class named.
  std::filesystem::create_directories(threes + "/cat");
  write_digit(threes + "/cat/whiskers.png", 4, 0);
  const RunResult cat = run_blnk({"train", "--images", threes, "--arch", "flatten,dense10", "--epochs", "1", "--quiet",
                                  "--out", tmp.file("one.blnk")}, tmp);
  CHECK(cat.status == 1);
  CHECK(contains(cat.err, "its subfolder cat/ was passed over: to read every subfolder as a class, give --image-size HxW"));
  std::filesystem::remove_all(threes + "/cat");
  // As a test set it is fine: a folder of 1s measures how well 1s are read.
  const RunResult eval = run_blnk({"eval", "--images", threes}, tmp);
  INFO(eval.err);
  CHECK(eval.status == 0);
  CHECK(eval.out.find("n/a") != std::string::npos);  // the classes with no images have no recall
}
