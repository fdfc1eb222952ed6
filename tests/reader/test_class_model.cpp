// A class model (reader/class_model.h): its names and fit round-trip through the model
// file, the digit reader refuses it naming what it is, its classifier reads any image,
// and its answer (reader/class_answer.h) names the class.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "base/error.h"
#include "data/image_write.h"
#include "engine/model_file.h"
#include "engine/model_metadata.h"
#include "reader/class_answer.h"
#include "reader/class_model.h"
#include "reader/model_classifier.h"

using namespace blnk;

namespace {

// A 12x16x3 model of three classes, written to a temporary file.
std::string write_class_model(const std::string& name, const std::vector<std::string>& classes) {
  Network net("conv4,pool,flatten,dense3", Shape{12, 16, 3});
  net.init(7);
  ModelFile file = model_file_of(net);
  reader::set_class_model(file, classes, data::ImageFit::crop);
  const std::string path = (std::filesystem::temp_directory_path() / name).string();
  write_model_file(path, file);
  return path;
}

}  // namespace

TEST_CASE("class model: names and fit round-trip, and the digit reader refuses it with a clear message") {
  const std::string path = write_class_model("blnk-class-model.blnk", {"ok", "scratch", "dent"});
  const std::optional<reader::ClassModelInfo> info = reader::class_model_of(read_model_file(path), path);
  REQUIRE(info);
  CHECK(info->classes == std::vector<std::string>{"ok", "scratch", "dent"});
  CHECK(info->input.fit == data::ImageFit::crop);
  CHECK(info->input.height == 12);
  CHECK(info->input.width == 16);
  CHECK(info->input.channels == 3);
  const std::string refusal = path + ": a class model (3 classes: ok, scratch, dent; 12x16x3 images), not a digit reader";
  CHECK_THROWS_WITH_AS(reader::ModelClassifier{path}, doctest::Contains(refusal.c_str()), Error);

  // Any image, of any size: decoded, fitted, classified; the answer names the class.
  const reader::ClassModelClassifier classifier(path);
  const std::vector<std::uint8_t> png = data::encode_png(std::vector<std::uint8_t>(50 * 30 * 3, 128), 50, 30, 3);
  reader::Classification reading;
  reader::ClassifyFailure failure;
  REQUIRE(classifier.classify(png, {true, "grey.png"}, reading, failure));
  REQUIRE(reading.probabilities.size() == 3);
  CHECK(reading.digit >= 0);
  std::string json;
  reader::append_class_answer_json(json, reading, classifier.info().classes, {2, "file", "grey.png", {}});
  CHECK(json.find("{\"file\":\"grey.png\",\"class\":\"" + classifier.info().classes[std::size_t(reading.digit)] + "\"") == 0);
  CHECK(!classifier.classify(std::vector<std::uint8_t>{'x', 'y'}, {false, "junk"}, reading, failure));
  CHECK(failure.http_status == 415);
  std::filesystem::remove(path);
}

TEST_CASE("class model: malformed names in a model file are refused naming the file") {
  Network net("flatten,dense2", Shape{4, 4, 1});
  ModelFile file = model_file_of(net);
  file.set_metadata(metadata::kClasses, "same\nsame");
  CHECK_THROWS_WITH_AS(reader::class_model_of(file, "m.blnk"), doctest::Contains("m.blnk: metadata classes: class 'same' is named twice"), Error);
  file.set_metadata(metadata::kClasses, "only");
  CHECK_THROWS_WITH_AS(reader::class_model_of(file, "m.blnk"), doctest::Contains("1 classes"), Error);
  file.set_metadata(metadata::kClasses, "a\nb");
  file.set_metadata(metadata::kInputFit, "stretch");
  CHECK_THROWS_WITH_AS(reader::class_model_of(file, "m.blnk"), doctest::Contains("input.fit is 'stretch'"), Error);
  CHECK(!reader::class_model_of(model_file_of(net), "plain.blnk"));
}
