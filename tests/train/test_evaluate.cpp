// evaluate(): what would throw inside its OpenMP region (and so terminate the
// program) is refused before it, as an Error naming the problem.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/text_encode.h"
#include "engine/network.h"
#include "train/evaluate.h"

using namespace blnk;
using namespace blnk::train;

TEST_CASE("evaluate: a model that does not end in class scores is an error, not a terminate") {
  // conv8,pool ends in 13x13x8 = 1352 values: more than the loss takes as classes.
  Network net("conv8,pool", Shape{28, 28, 1});
  net.init(1);
  const std::vector<std::uint8_t> pixels(4 * 28 * 28, 100);
  const std::vector<blnk::data::Label> labels = {0, 1, 2, 3};
  try {
    evaluate(net, {pixels.data(), labels.data(), 4}, 2);
    FAIL("evaluated a model without class scores");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("not in class scores") != std::string::npos);
  }
}

TEST_CASE("evaluate: a label outside the model's classes and a thread count below 1 are errors") {
  Network net("flatten,dense4", Shape{28, 28, 1});
  net.init(1);
  const std::vector<std::uint8_t> pixels(2 * 28 * 28, 10);
  const std::vector<blnk::data::Label> labels = {1, 7};
  CHECK_THROWS_AS(evaluate(net, {pixels.data(), labels.data(), 2}, 2), Error);
  const std::vector<blnk::data::Label> good = {1, 3};
  CHECK_THROWS_AS(evaluate(net, {pixels.data(), good.data(), 2}, 0), Error);
  const Evaluation ev = evaluate(net, {pixels.data(), good.data(), 2}, 2);
  CHECK(ev.count == 2);
  CHECK(ev.classes == 4);
}

TEST_CASE("evaluate: a class with no images, or nothing predicted as it, has no precision or recall: n/a, null") {
  // A first-time user's folder held only 3s: the table said 0.00% for every other class.
  Evaluation ev;
  ev.classes = 3;
  ev.count = ev.correct = 2;
  ev.confusion = {2, 0, 0,   // class 0: both right
                  0, 0, 0,   // class 1: no images
                  0, 0, 0};  // class 2: no images
  CHECK(ev.precision(0) == 1.0);
  CHECK(ev.recall(0) == 1.0);
  CHECK(std::isnan(ev.recall(1)));
  CHECK(std::isnan(ev.precision(2)));
  const std::string text = ev.to_text();
  INFO(text);
  CHECK(text.find("    1        n/a     n/a\n") != std::string::npos);
  CHECK(text.find("    0    100.00%  100.00%\n") != std::string::npos);
  const std::string json = ev.to_json();
  INFO(json);
  CHECK(json.find("\"precision\":[1.000000,null,null]") != std::string::npos);
  CHECK(json.find("\"recall\":[1.000000,null,null]") != std::string::npos);
}

TEST_CASE("evaluate: the table's columns count a class name's characters, not its bytes") {
  // "étoile★" is 7 characters in 10 bytes: padded by bytes, its rows were 3 columns short.
  Evaluation ev;
  ev.classes = 2;
  ev.count = ev.correct = 2;
  ev.confusion = {1, 0,
                  0, 1};
  const std::string text = ev.to_text({"étoile★", "circle"});
  INFO(text);
  CHECK(text.find("\n  class  precision") != std::string::npos);    // the column as wide as 7 characters
  CHECK(text.find("\nétoile★    100.00%") != std::string::npos);  // no padding before a 7-character name
  CHECK(text.find("\n circle    100.00%") != std::string::npos);
  CHECK(text_columns("étoile★") == 7);
  CHECK(text_columns("") == 0);
}
