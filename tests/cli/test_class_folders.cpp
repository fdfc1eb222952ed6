// blnk train --images on a folder of image classes (any names, colour, any size:
// data/class_folder.h), and what reads the class model it makes: blnk eval and
// blnk predict answer with the class names. The folders are drawn here: red or blue
// squares and circles on a noisy light background, of several sizes and shapes (so
// that --fit has work), a held-out folder drawn with other variants.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>

#include "cli_test_util.h"
#include "data/idx.h"
#include "data/image_write.h"

using namespace blnk::cli_test;

namespace {

const std::vector<std::string> kClasses = {"blue circle", "blue-square", "red circle", "red-square"};

// One image of class `k` (kClasses), its size and placement from `variant`;
// channels 3, or 1 for a grey copy (luma of the same drawing).
std::vector<std::uint8_t> draw_shape(int k, int variant, int& w, int& h, int channels = 3) {
  const bool red = k >= 2, square = k % 2 == 1;
  w = 32 + variant % 3 * 12;  // 32, 44, 56 wide
  h = 32 + variant % 2 * 8;   // 32, 40 high
  const float side = std::min(w, h) * (0.5f + float(variant % 5) * 0.05f);
  const float cx = w / 2.0f + float(variant % 7 - 3), cy = h / 2.0f + float(variant % 5 - 2);
  std::vector<std::uint8_t> px(std::size_t(w) * h * channels);
  std::uint32_t noise = 2654435761u * std::uint32_t(variant + 1) + std::uint32_t(k);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      noise = noise * 1664525u + 1013904223u;
      const float dx = float(x) - cx, dy = float(y) - cy;
      const bool inside = square ? std::fabs(dx) < side / 2 && std::fabs(dy) < side / 2
                                 : std::hypot(dx, dy) < side / 2;
      const int grain = int(noise >> 28);  // 0..15
      std::uint8_t rgb[3] = {std::uint8_t(220 + grain), std::uint8_t(220 + grain), std::uint8_t(215 + grain)};
      if (inside) {
        rgb[0] = red ? std::uint8_t(200 + grain) : std::uint8_t(30 + grain);
        rgb[1] = std::uint8_t(40 + grain);
        rgb[2] = red ? std::uint8_t(30 + grain) : std::uint8_t(190 + grain);
      }
      std::uint8_t* d = px.data() + (std::size_t(y) * w + x) * channels;
      if (channels == 1) d[0] = std::uint8_t(0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2]);
      else std::copy(rgb, rgb + 3, d);
    }
  return px;
}

void write_shape(const std::string& path, int k, int variant, int channels = 3) {
  int w = 0, h = 0;
  const std::vector<std::uint8_t> px = draw_shape(k, variant, w, h, channels);
  blnk::data::write_png(path, px, w, h, channels);
}

// DIR/<class>/<n>.png for `per_class` variants from `first`.
std::string write_classes(const TempDir& tmp, const std::string& name, int per_class, int first) {
  const std::string dir = tmp.dir(name);
  for (std::size_t k = 0; k < kClasses.size(); ++k) {
    std::filesystem::create_directories(dir + "/" + kClasses[k]);
    for (int i = 0; i < per_class; ++i)
      write_shape(dir + "/" + kClasses[k] + "/" + std::to_string(first + i) + ".png", int(k), first + i);
  }
  return dir;
}

const char* kClassSpec = "conv8,pool,conv16,pool,flatten,dense32,dense4";

double accuracy_of(const std::string& json) {
  const std::size_t at = json.find("\"accuracy\":");
  REQUIRE(at != std::string::npos);
  return std::stod(json.substr(at + 11));
}

}  // namespace

TEST_CASE("class folders: a colour model learns red and blue squares and circles, and every command names its classes") {
  TempDir tmp("classes");
  const std::string train = write_classes(tmp, "train", 40, 0), test = write_classes(tmp, "test", 8, 100);
  write_text(train + "/README.txt", "beside the class folders");
  const std::string model = tmp.file("shapes.blnk");
  const RunResult trained = run_blnk({"train", "--images", train, "--images-test", test, "--image-size", "32x32",
                                      "--channels", "3", "--arch", kClassSpec, "--epochs", "30", "--batch-size", "16",
                                      "--lr", "0.003", "--threads", "1", "--seed", "3", "--quiet", "--out", model}, tmp);
  INFO(trained.err);
  REQUIRE(trained.status == 0);
  CHECK(contains(trained.err, train + ": 160 images (4 classes, 32x32x3, fit pad), 0 skipped, 1 passed over"));

  // The names went into the model file, in label order.
  const RunResult summary = run_blnk({"summary", model}, tmp);
  CHECK(contains(summary.out, "classes: blue circle, blue-square, red circle, red-square (images fitted to 32x32x3 by pad)"));
  const std::string bytes = read_text(model);
  CHECK(contains(bytes, "blue circle\nblue-square\nred circle\nred-square"));

  // Held-out images, drawn with other variants: well above the 25% of chance.
  const RunResult eval = run_blnk({"eval", "--model", model, "--images", test, "--json"}, tmp);
  INFO(eval.err);
  REQUIRE(eval.status == 0);
  CHECK(accuracy_of(eval.out) >= 0.85);
  CHECK(contains(eval.out, "\"classes\":[\"blue circle\",\"blue-square\",\"red circle\",\"red-square\"]"));
  const RunResult table = run_blnk({"eval", "--model", model, "--images", test}, tmp);
  REQUIRE(table.status == 0);
  CHECK(contains(table.out, "  blue circle blue-square  red circle  red-square\n"));  // the matrix's columns
  CHECK(contains(table.out, "\n red-square "));  // and a row

  // quantize reads the folders as the model was trained, without repeating its size;
  // another size is a usage error, and a folder of other classes is named.
  const std::string int8 = tmp.file("shapes-int8.blnk");
  const RunResult quantized = run_blnk({"quantize", model, "--images", train, "--images-test", test, "--out", int8}, tmp);
  INFO(quantized.err);
  REQUIRE(quantized.status == 0);
  CHECK(contains(quantized.out, "test accuracy on " + test + " (32 images): float "));
  const RunResult resized =
      run_blnk({"quantize", model, "--images", train, "--image-size", "16x16", "--out", tmp.file("q2.blnk")}, tmp);
  CHECK(resized.status == 2);
  CHECK(contains(resized.err, "was trained on images of 32x32, 3 channels, fit pad"));
  const std::string other = tmp.dir("other");
  std::filesystem::create_directories(other + "/green");
  std::filesystem::create_directories(other + "/red circle");
  write_shape(other + "/green/0.png", 0, 1);
  write_shape(other + "/red circle/0.png", 2, 1);
  const RunResult foreign = run_blnk({"quantize", model, "--images", other, "--out", tmp.file("q3.blnk")}, tmp);
  CHECK(foreign.status == 1);
  CHECK(contains(foreign.err, "the model has no class 'green'"));
  CHECK(!std::filesystem::exists(tmp.file("q3.blnk")));
  // --init on a folder of other classes: the model's outputs named (it blamed an --arch not given).
  const RunResult onto = run_blnk({"train", "--images", other, "--image-size", "32x32", "--init", model, "--epochs", "1",
                                   "--out", tmp.file("onto.blnk")}, tmp);
  CHECK(onto.status == 2);
  CHECK(contains(onto.err, "--init " + model + " has 4 outputs, but " + other + " has 2 classes"));
  CHECK(!contains(onto.err, "--arch"));
  // A class of one image trains, with a note.
  const RunResult few = run_blnk({"train", "--images", other, "--image-size", "16x16", "--arch", "conv4,pool,flatten,dense2",
                                  "--epochs", "1", "--quiet", "--out", tmp.file("few.blnk")}, tmp);
  INFO(few.err);
  CHECK(few.status == 0);
  CHECK(contains(few.err, "note: class 'green' has 1 image; a model learns little of a class from so few"));

  // predict names the class of each image (JSON and text), top-k with names.
  const RunResult json = run_blnk({"predict", "--model", model, "--json", "--top-k", "2",
                                   test + "/red-square/100.png", test + "/blue circle/101.png"}, tmp);
  INFO(json.err);
  REQUIRE(json.status == 0);
  const std::vector<std::string> lines = lines_of(json.out);
  REQUIRE(lines.size() == 2);
  INFO(json.out);
  CHECK(contains(lines[0], "\"class\":\"red-square\""));
  CHECK(contains(lines[1], "\"class\":\"blue circle\""));
  CHECK(contains(lines[0], "\"top\":[{\"class\":\"red-square\",\"probability\":"));
  CHECK(!contains(lines[0], "\"digit\""));
  const RunResult text = run_blnk({"predict", "--model", model, test + "/red circle/102.png"}, tmp);
  REQUIRE(text.status == 0);
  CHECK(text.out.rfind(test + "/red circle/102.png: red circle (", 0) == 0);
  CHECK(contains(text.out, "  then "));
  // Every class folder has a 100.png: each input's fitted image is kept, none overwritten.
  const std::string seen = tmp.file("seen");
  const RunResult saved = run_blnk({"predict", "--model", model, "--save-preprocessed", seen, test + "/red-square/100.png",
                                    test + "/blue circle/100.png", test + "/blue circle/100.png"}, tmp);
  REQUIRE(saved.status == 0);
  CHECK(std::filesystem::exists(seen + "/100.png.32x32.png"));
  CHECK(std::filesystem::exists(seen + "/blue circle-100.png.32x32.png"));
  CHECK(std::filesystem::exists(seen + "/100.png-2.32x32.png"));
  // The digit reader's options do not apply to it.
  const RunResult gate = run_blnk({"predict", "--model", model, "--gate", "none", test + "/red circle/102.png"}, tmp);
  CHECK(gate.status == 2);
  CHECK(contains(gate.err, "a class model (4 classes: blue circle, blue-square, red circle, red-square; 32x32x3 images)"));
}

TEST_CASE("class folders: --fit crop, grey --channels 1 and --augment=crop-flip train too, and resume bit for bit") {
  TempDir tmp("classes-fit");
  const std::string train = write_classes(tmp, "train", 16, 0);
  const std::string model = tmp.file("grey.blnk");
  const RunResult r = run_blnk({"train", "--images", train, "--image-size", "24x32", "--channels", "1", "--fit", "crop",
                                "--val-split", "0.25", "--arch", "conv8,pool,flatten,dense4", "--epochs", "2",
                                "--augment=crop-flip", "--threads", "1", "--quiet", "--out", model}, tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(contains(r.err, "(4 classes, 24x32x1, fit crop)"));
  CHECK(contains(read_text(model), "crop-flip"));  // trained.augment
  const RunResult summary = run_blnk({"summary", model}, tmp);
  CHECK(contains(summary.out, "(images fitted to 24x32x1 by crop)"));
  // Interrupted after an epoch and resumed: the model of the uninterrupted run, names and fit included.
  const std::vector<std::string> common = {"train", "--images", train, "--image-size", "24x32", "--channels", "1",
                                           "--fit", "crop", "--val-split", "0.25", "--arch", "conv8,pool,flatten,dense4",
                                           "--augment=crop-flip", "--threads", "1", "--quiet", "--out"};
  auto with = [&](std::vector<std::string> args, std::initializer_list<std::string> more) {
    args.insert(args.end(), more);
    return args;
  };
  REQUIRE(run_blnk(with(common, {tmp.file("part.blnk"), "--epochs", "1"}), tmp).status == 0);
  // Its checkpoint is a class model too (summary, predict and export-onnx read the names there).
  REQUIRE(std::filesystem::exists(tmp.file("part.blnk.ckpt")));
  CHECK(contains(run_blnk({"summary", tmp.file("part.blnk.ckpt")}, tmp).out,
                 "classes: blue circle, blue-square, red circle, red-square (images fitted to 24x32x1 by crop)"));
  const RunResult resumed = run_blnk(with(common, {tmp.file("part.blnk"), "--epochs", "2", "--resume"}), tmp);
  INFO(resumed.err);
  REQUIRE(resumed.status == 0);
  CHECK(read_text(tmp.file("part.blnk")) == read_text(model));

  // The default model ends in one output per class.
  const RunResult by_default = run_blnk({"train", "--images", train, "--image-size", "28x28", "--epochs", "1",
                                         "--limit", "8", "--threads", "1", "--quiet", "--out", tmp.file("d.blnk")}, tmp);
  INFO(by_default.err);
  REQUIRE(by_default.status == 0);
  CHECK(contains(run_blnk({"summary", tmp.file("d.blnk")}, tmp).out, "dense4"));
}

TEST_CASE("class folders: bad folders and options are refused with the reason") {
  TempDir tmp("classes-bad");
  const std::string train = write_classes(tmp, "train", 4, 0);
  auto train_on = [&](const std::string& dir, std::vector<std::string> more) {
    std::vector<std::string> args = {"train", "--images", dir, "--epochs", "1", "--threads", "1", "--quiet",
                                     "--arch", "flatten,dense4", "--out", tmp.file("bad.blnk")};
    args.insert(args.end(), more.begin(), more.end());
    return run_blnk(args, tmp);
  };
  const RunResult no_size = train_on(train, {});
  CHECK(no_size.status == 2);
  CHECK(contains(no_size.err, "needs --image-size HxW"));
  for (const char* size : {"32", "32x", "x32", "0x32", "32x2000", "axb"}) {
    const RunResult bad = train_on(train, {"--image-size", size});
    CHECK(bad.status == 2);
    CHECK(contains(bad.err, "--image-size"));
  }
  CHECK(train_on(train, {"--image-size", "16x16", "--channels", "2"}).status == 2);
  const RunResult four = train_on(train, {"--image-size", "16x16", "--channels", "4"});
  CHECK(four.status == 2);
  CHECK(contains(four.err, "1 (grey) or 3 (RGB)"));  // was "an integer from 1 to 3", which 2 is not
  CHECK(train_on(train, {"--image-size", "16x16", "--fit", "stretch"}).status == 2);
  const RunResult augment = train_on(train, {"--image-size", "16x16", "--augment"});
  CHECK(augment.status == 2);
  CHECK(contains(augment.err, "use --augment=crop or --augment=crop-flip"));
  const RunResult arch = train_on(train, {"--image-size", "16x16", "--arch", "flatten,dense10"});
  CHECK(arch.status == 2);
  CHECK(contains(arch.err, "has 4 classes"));

  const std::string one = tmp.dir("one/only");
  write_shape(one + "/a.png", 0, 0);
  const RunResult single = train_on(tmp.file("one"), {"--image-size", "16x16"});
  CHECK(single.status == 1);
  CHECK(contains(single.err, "1 class folder (only/)"));

  // Grey and colour images mixed, with no --channels to say which to make of them.
  const std::string mixed = tmp.dir("mixed");
  for (const char* c : {"a", "b"}) std::filesystem::create_directories(mixed + "/" + c);
  write_shape(mixed + "/a/1.png", 0, 1);
  write_shape(mixed + "/b/1.png", 2, 1, 1);
  const RunResult channels = train_on(mixed, {"--image-size", "16x16", "--arch", "flatten,dense2"});
  CHECK(channels.status == 1);
  CHECK(contains(channels.err, "images of mixed channels"));
  CHECK(contains(channels.err, "give --channels 1"));
  CHECK(train_on(mixed, {"--image-size", "16x16", "--arch", "flatten,dense2", "--channels", "3"}).status == 0);

  // An unreadable file is named and skipped, or stops the run with --strict-images.
  write_text(train + "/red circle/broken.png", "not an image");
  const RunResult skipped = train_on(train, {"--image-size", "16x16"});
  CHECK(skipped.status == 0);
  CHECK(contains(skipped.err, "skipped " + train + "/red circle/broken.png: not an image"));
  const RunResult strict = train_on(train, {"--image-size", "16x16", "--strict-images"});
  CHECK(strict.status == 1);
  CHECK(contains(strict.err, train + "/red circle/broken.png: not an image"));

  // A test folder with a class the training folder does not have.
  const std::string other = tmp.dir("other/green");
  write_shape(other + "/g.png", 0, 5);
  const RunResult unknown = train_on(train, {"--image-size", "16x16", "--images-test", tmp.file("other")});
  CHECK(unknown.status == 1);
  CHECK(contains(unknown.err, "the model has no class 'green'"));
  // eval of a digit reader (--model forgotten: the bundled one) on a folder of classes
  // asked for --image-size, an option eval does not have; it asks for the class model.
  const RunResult digit_eval = run_blnk({"eval", "--images", train}, tmp);
  CHECK(digit_eval.status == 1);
  CHECK(contains(digit_eval.err, train + ": a folder of classes"));
  CHECK(contains(digit_eval.err, "is a digit reader: give --model the class model"));
  CHECK(!contains(digit_eval.err, "--image-size"));
  // The class options are for folders.
  const RunResult idx = run_blnk({"train", "--train-images", "a", "--train-labels", "b", "--image-size", "8x8"}, tmp);
  CHECK(idx.status == 2);
  CHECK(contains(idx.err, "--image-size is for a folder of classes"));
}

TEST_CASE("class folders: IDX images of shape (N, H, W, 3) train a colour model") {
  TempDir tmp("classes-idx");
  constexpr int kCount = 64, kSide = 12;
  std::vector<std::uint8_t> images = {0, 0, 8, 4}, labels = {0, 0, 8, 1};
  auto be32 = [](std::vector<std::uint8_t>& v, std::uint32_t x) {
    for (int s = 24; s >= 0; s -= 8) v.push_back(std::uint8_t(x >> s));
  };
  for (std::uint32_t dim : {std::uint32_t(kCount), std::uint32_t(kSide), std::uint32_t(kSide), 3u}) be32(images, dim);
  be32(labels, kCount);
  for (int i = 0; i < kCount; ++i) {  // red or blue, the label
    const int label = i % 2;
    for (int p = 0; p < kSide * kSide; ++p) {
      images.push_back(label ? 30 : 220);
      images.push_back(std::uint8_t(60 + (p * 7 + i) % 50));
      images.push_back(label ? 220 : 30);
    }
    labels.push_back(std::uint8_t(label));
  }
  write_bytes(tmp.file("images"), images);
  write_bytes(tmp.file("labels"), labels);
  const RunResult r = run_blnk({"train", "--train-images", tmp.file("images"), "--train-labels", tmp.file("labels"),
                                "--test-images", tmp.file("images"), "--test-labels", tmp.file("labels"), "--arch",
                                "flatten,dense2", "--epochs", "3", "--threads", "1", "--quiet", "--out",
                                tmp.file("idx.blnk")}, tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(contains(run_blnk({"summary", tmp.file("idx.blnk")}, tmp).out, "(None, 432)"));  // 12 x 12 x 3, flattened
  const RunResult eval = run_blnk({"eval", "--model", tmp.file("idx.blnk"), "--test-images", tmp.file("images"),
                                   "--test-labels", tmp.file("labels"), "--json"}, tmp);
  REQUIRE(eval.status == 0);
  CHECK(accuracy_of(eval.out) == 1.0);
}

TEST_CASE("class folders: up to 1,000 classes (labels above 255 train and answer by name), and not more") {
  TempDir tmp("classes-many");
  const std::string dir = tmp.dir("many");
  constexpr int kClassCount = 300;
  for (int k = 0; k < kClassCount; ++k) {  // class k: a flat 4x4 colour of its own
    const std::string name = "c" + std::to_string(1000 + k);  // sorted as numbered
    std::filesystem::create_directories(dir + "/" + name);
    std::vector<std::uint8_t> px(4 * 4 * 3);
    for (std::size_t i = 0; i < px.size(); i += 3)
      px[i] = std::uint8_t(k % 7 * 40), px[i + 1] = std::uint8_t(k / 7 % 7 * 40), px[i + 2] = std::uint8_t(k / 49 * 40);
    blnk::data::write_png(dir + "/" + name + "/a.png", px, 4, 4, 3);
  }
  const std::string model = tmp.file("many.blnk");
  const RunResult r = run_blnk({"train", "--images", dir, "--image-size", "4x4", "--arch", "flatten,dense300",
                                "--epochs", "1", "--threads", "1", "--quiet", "--out", model}, tmp);
  INFO(r.err);
  REQUIRE(r.status == 0);
  CHECK(contains(r.err, "300 images (300 classes, 4x4x3, fit pad)"));
  const RunResult last = run_blnk({"predict", "--model", model, "--json", dir + "/c1299/a.png"}, tmp);
  REQUIRE(last.status == 0);
  CHECK(contains(last.out, "\"class\":\"c1"));
  const RunResult eval = run_blnk({"eval", "--model", model, "--images", dir, "--json"}, tmp);
  REQUIRE(eval.status == 0);
  CHECK(contains(eval.out, "\"c1299\"]"));

  const std::string too_many = tmp.dir("too-many");
  for (int k = 0; k < 1001; ++k) std::filesystem::create_directories(too_many + "/k" + std::to_string(k));
  const RunResult refused = run_blnk({"train", "--images", too_many, "--image-size", "4x4", "--quiet",
                                      "--out", tmp.file("x.blnk")}, tmp);
  CHECK(refused.status == 1);
  CHECK(contains(refused.err, "1001 classes; blnk trains 2 to 1000"));
}

// IDX files of (N, H, W, C) colour images (or any shape but the digits' 28x28x1) train
// a class model whose classes are named by their labels: predict, eval and summary read
// it as one (it was a digit reader of 10 outputs that nothing could use).
TEST_CASE("class models: colour IDX files train a class model named by its labels") {
  TempDir tmp("idx-colour");
  constexpr int kCount = 90, kSide = 12;
  std::vector<std::uint8_t> images = {0, 0, 8, 4};  // IDX: unsigned bytes, 4 dimensions
  for (const int dim : {kCount, kSide, kSide, 3})
    for (int shift = 24; shift >= 0; shift -= 8) images.push_back(std::uint8_t(dim >> shift));
  std::vector<std::uint8_t> labels = {0, 0, 8, 1};
  for (int shift = 24; shift >= 0; shift -= 8) labels.push_back(std::uint8_t(kCount >> shift));
  std::uint32_t noise = 7;
  for (int i = 0; i < kCount; ++i) {
    const int k = i % 3;  // red, green or blue
    labels.push_back(std::uint8_t(k));
    for (int p = 0; p < kSide * kSide; ++p)
      for (int c = 0; c < 3; ++c) {
        noise = noise * 1664525u + 1013904223u;
        images.push_back(std::uint8_t((c == k ? 180 : 40) + int(noise >> 27)));
      }
  }
  const std::string image_file = tmp.file("images.idx"), label_file = tmp.file("labels.idx");
  write_text(image_file, std::string(images.begin(), images.end()));
  write_text(label_file, std::string(labels.begin(), labels.end()));
  const std::string model = tmp.file("colours.blnk");
  const RunResult trained = run_blnk({"train", "--train-images", image_file, "--train-labels", label_file, "--arch",
                                      "conv4,pool,flatten,dense3", "--epochs", "3", "--threads", "1", "--quiet", "--out",
                                      model}, tmp);
  INFO(trained.err);
  REQUIRE(trained.status == 0);
  const RunResult summary = run_blnk({"summary", model}, tmp);
  CHECK(contains(summary.out, "classes: 0, 1, 2"));
  std::vector<std::uint8_t> blue(std::size_t(kSide) * kSide * 3);
  for (std::size_t p = 0; p < blue.size(); ++p) blue[p] = p % 3 == 2 ? 190 : 45;
  blnk::data::write_png(tmp.file("blue.png"), blue, kSide, kSide, 3);
  const RunResult predicted = run_blnk({"predict", "--model", model, "--json", tmp.file("blue.png")}, tmp);
  INFO(predicted.err);
  REQUIRE(predicted.status == 0);
  CHECK(contains(predicted.out, "\"class\":\"2\""));
  // Digits against it: data of another kind, named as such (was "label 7 of item 0 is outside [0, 3)").
  std::vector<std::uint8_t> digit_px(5 * 28 * 28, 0), digit_lb = {0, 7, 2, 9, 4};
  blnk::data::write_idx_images(tmp.file("d-images"), 5, 28, 28, digit_px);
  blnk::data::write_idx_labels(tmp.file("d-labels"), digit_lb);
  const RunResult digits = run_blnk({"eval", "--model", model, "--test-images", tmp.file("d-images"), "--test-labels",
                                     tmp.file("d-labels")}, tmp);
  CHECK(digits.status == 1);
  CHECK(contains(digits.err, "its images are 28x28x1, and " + model + " takes 12x12x3 (a class model of 3 classes)"));
  // The default model ends in one output per label.
  const RunResult plain = run_blnk({"train", "--train-images", image_file, "--train-labels", label_file, "--epochs", "1",
                                    "--threads", "1", "--quiet", "--out", tmp.file("default.blnk")}, tmp);
  INFO(plain.err);
  REQUIRE(plain.status == 0);
  CHECK(contains(run_blnk({"summary", tmp.file("default.blnk")}, tmp).out, "classes: 0, 1, 2"));
}
