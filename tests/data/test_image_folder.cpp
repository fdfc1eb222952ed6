// data::load_image_folder: both layouts, what is skipped and why, strictness, and
// that each image is exactly what blnk predict would see (preprocess_digit of the decoded file).
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "data/class_folder.h"
#include "data/image_folder.h"
#include "data/image_write.h"
#include "data/preprocess.h"
#include "data_test_util.h"

using namespace blnk;
using namespace blnk::data;

namespace {

// A dark ring ("0", kind 0) or bar ("1", kind 1) on light paper, w x h, as 8-bit gray.
std::vector<std::uint8_t> drawn_digit(int kind, int w, int h) {
  std::vector<std::uint8_t> px(std::size_t(w) * h, 235);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const float dx = (x - w / 2.0f) / (w * 0.3f), dy = (y - h / 2.0f) / (h * 0.38f);
      const bool ink = kind == 0 ? std::fabs(std::hypot(dx, dy) - 1.0f) < 0.2f
                                 : std::fabs(x - w / 2.0f) < w * 0.06f && std::fabs(dy) < 1.0f;
      if (ink) px[std::size_t(y) * w + x] = 25;
    }
  return px;
}

void write_digit(const std::string& path, int kind, int w = 40, int h = 48) {
  write_png(path, drawn_digit(kind, w, h), w, h, 1);
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string skipped_reason(const ImageFolder& folder, const std::string& name) {
  for (const SkippedImage& s : folder.skipped)
    if (std::filesystem::path(s.path).filename() == name) return s.reason;
  return "";
}

// The passed-over entries by their last name ("x/" for a folder), in order.
std::vector<std::string> passed_over_names(const ImageFolder& folder) {
  std::vector<std::string> names;
  for (const std::string& path : folder.passed_over) {
    const bool is_folder = !path.empty() && path.back() == '/';
    const std::filesystem::path p(is_folder ? path.substr(0, path.size() - 1) : path);
    names.push_back(p.filename().string() + (is_folder ? "/" : ""));
  }
  return names;
}

}  // namespace

TEST_CASE("image folder: flat <label>_<any> files, with unlabelled, unreadable and blank images skipped with a reason") {
  test::TempDir dir("folder-flat");
  write_digit(dir.file("1_b.png"), 1);
  write_digit(dir.file("0_a.png"), 0, 60, 50);
  write_digit(dir.file("x_nolabel.png"), 0);
  write_digit(dir.file("12_two-digits.png"), 1);
  write_digit(dir.file(".hidden.png"), 0);
  write_text(dir.file("2_corrupt.png"), "not a png");
  write_text(dir.file("README.txt"), "labels are in the names");
  write_png(dir.file("3_blank.png"), std::vector<std::uint8_t>(30 * 30, 200), 30, 30, 1);
  std::filesystem::create_directories(dir.file("x"));  // a folder: the flat layout does not read it
  write_digit(dir.file("x/4_inside.png"), 1);

  const ImageFolder folder = load_image_folder(dir.file(""));
  CHECK_FALSE(folder.subfolders);
  REQUIRE(folder.dataset.size() == 2);
  CHECK(folder.dataset.labels.labels == std::vector<Label>{0, 1});  // name order: 0_a, 1_b
  CHECK(folder.dataset.images.rows == kDigitSide);
  CHECK(passed_over_names(folder) == std::vector<std::string>{"README.txt", "x/"});
  REQUIRE(folder.skipped.size() == 4);
  CHECK(skipped_reason(folder, "x_nolabel.png").find("no label in its name") == 0);
  CHECK(skipped_reason(folder, "12_two-digits.png").find("no label in its name") == 0);
  CHECK(skipped_reason(folder, "2_corrupt.png").find("not an image") == 0);
  CHECK(skipped_reason(folder, "3_blank.png").find("no digit found") == 0);

  // Each image is what blnk predict sees: preprocess_digit of the decoded file, as 8 bits.
  const auto expected = preprocess_digit(read_image_gray(dir.file("0_a.png"))).to_u8();
  CHECK(std::equal(expected.begin(), expected.end(), folder.dataset.images.image(0)));
}

TEST_CASE("image folder: subfolders 0 to 9 give the labels, and files beside them and other folders are passed over, by name") {
  test::TempDir dir("folder-sub");
  std::filesystem::create_directories(dir.file("0"));
  std::filesystem::create_directories(dir.file("7"));
  write_digit(dir.file("0/first.png"), 0);
  write_digit(dir.file("0/second.png"), 0, 52, 44);
  write_digit(dir.file("7/any-name.png"), 1);
  write_digit(dir.file("5_top-level.png"), 1);  // flat-style name beside the subfolders
  std::filesystem::create_directories(dir.file("notes"));     // not a label
  std::filesystem::create_directories(dir.file("7/deeper"));  // not read: one level only
  write_digit(dir.file("7/deeper/nested.png"), 1);
  const ImageFolder folder = load_image_folder(dir.file(""));
  CHECK(folder.subfolders);
  // The labels in turn (0/first.png, 7/any-name.png, 0/second.png): a --limit takes each label's share.
  CHECK(folder.dataset.labels.labels == std::vector<Label>{0, 7, 0});
  CHECK(folder.skipped.empty());
  // Files beside the label folders first, then the folders in name order (7/deeper before notes).
  CHECK(passed_over_names(folder) == std::vector<std::string>{"5_top-level.png", "deeper/", "notes/"});
}

TEST_CASE("image folder: strictness, empty and missing folders are errors naming the file or folder") {
  test::TempDir dir("folder-errors");
  write_digit(dir.file("4_good.png"), 1);
  write_text(dir.file("4_bad.png"), "garbage");
  ImageFolderOptions strict;
  strict.stop_on_unreadable = true;
  CHECK_THROWS_WITH_AS(load_image_folder(dir.file(""), strict), doctest::Contains("4_bad.png: not an image"), Error);
  CHECK(load_image_folder(dir.file("")).dataset.size() == 1);

  test::TempDir empty("folder-empty");
  write_text(empty.file("notes.txt"), "no images");
  CHECK_THROWS_WITH_AS(load_image_folder(empty.file("")), doctest::Contains("no usable image"), Error);
  CHECK_THROWS_WITH_AS(load_image_folder(empty.file("missing")), doctest::Contains("not a folder"), Error);
}

// train --limit N takes a folder's first N images: read with the classes in turn, the
// first N hold every class (read in name order, they held the first classes only).
TEST_CASE("image folder: a folder of classes is read with the classes in turn, so a prefix holds every class") {
  test::TempDir dir("folder-classes-in-turn");
  const char* classes[] = {"apple", "kiwi", "pear"};
  const int per_class[] = {4, 2, 3};
  for (int k = 0; k < 3; ++k) {
    std::filesystem::create_directories(dir.file(classes[k]));
    for (int i = 0; i < per_class[k]; ++i) write_digit(dir.file(std::string(classes[k]) + "/" + std::to_string(i) + ".png"), k);
  }
  ClassFolderOptions options;
  options.height = options.width = 16;
  const ClassFolder folder = load_class_folder(dir.file(""), options);
  CHECK(folder.classes == std::vector<std::string>{"apple", "kiwi", "pear"});
  CHECK(folder.dataset.labels.labels == std::vector<Label>{0, 1, 2, 0, 1, 2, 0, 2, 0});
}
