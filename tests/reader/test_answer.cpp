// The one answer format of `blnk predict --json` and POST /predict.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "reader/answer.h"

using namespace blnk;

namespace {

reader::Classification reading() {
  reader::Classification c;
  c.probabilities = {0.1f, 0.3f, 0.0f, 0.3f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.3f};
  c.digit = 1;
  c.probability = 0.3f;
  c.verdict = reader::Verdict::uncertain;
  c.reason = "1 or 3 \"?\"";
  c.elapsed_ms = 1.25;
  c.number = "1";
  reader::DigitReading d;
  d.digit = 1;
  d.probability = 0.3f;
  d.probabilities = c.probabilities;
  d.verdict = reader::Verdict::uncertain;
  d.box_x = 4, d.box_y = 5, d.box_w = 20, d.box_h = 22;
  c.digits = {d};
  return c;
}

}  // namespace

TEST_CASE("top digits put equal probabilities in digit order, whatever the sort") {
  const reader::Classification c = reading();
  CHECK(reader::top_digits(c.probabilities, 3) == std::vector<int>{1, 3, 9});
  CHECK(reader::top_digits(c.probabilities, 4) == std::vector<int>{1, 3, 9, 0});
  CHECK(reader::top_digits(c.probabilities, 20).size() == 10);
  CHECK(reader::top_digits(c.probabilities, 0).empty());
}

TEST_CASE("an answer carries the reading, the model and the name under the caller's key, escaped") {
  std::string out;
  reader::append_answer_json(out, reading(), {2, "file", "a\"b\\c.png", "mnist.blnk"});
  CHECK(out ==
        "{\"file\":\"a\\\"b\\\\c.png\",\"digit\":1,\"probability\":0.3,\"probabilities\":[0.1,0.3,0,0.3,0,0,0,0,0,0.3],"
        "\"top\":[{\"digit\":1,\"probability\":0.3},{\"digit\":3,\"probability\":0.3}],"
        "\"verdict\":\"uncertain\",\"reason\":\"1 or 3 \\\"?\\\"\",\"number\":\"1\","
        "\"digits\":[{\"digit\":1,\"probability\":0.3,\"top\":[{\"digit\":1,\"probability\":0.3},{\"digit\":3,\"probability\":0.3}],"
        "\"box\":[4,5,20,22],\"verdict\":\"uncertain\"}],\"elapsed_ms\":1.250,"
        "\"model\":\"mnist.blnk\"}\n");
}

TEST_CASE("a number's answer has no one digit: digit is null, each digit has its box and verdict") {
  reader::Classification c = reading();
  c.digits.push_back(c.digits[0]);
  c.digits[1].digit = 7;
  c.digits[1].box_x = 30;
  c.digits[0].verdict = c.digits[1].verdict = reader::Verdict::digit;
  c.digit = -1;
  c.probabilities.clear();
  c.number = "17";
  c.verdict = reader::Verdict::number;
  std::string out;
  reader::append_answer_json(out, c, {1, "", "", ""});
  CHECK(out.starts_with("{\"digit\":null,"));
  CHECK(out.find("\"top\":[]") != std::string::npos);
  CHECK(out.find("\"verdict\":\"number\"") != std::string::npos);
  CHECK(out.find("\"number\":\"17\"") != std::string::npos);
  CHECK(out.find("\"box\":[4,5,20,22],\"verdict\":\"digit\"},{\"digit\":7,") != std::string::npos);
  CHECK(out.find("\"box\":[30,5,20,22]") != std::string::npos);
}

TEST_CASE("a reading without a number (a refused picture's) writes number as null, its digit the best guess") {
  reader::Classification c = reading();
  c.verdict = reader::Verdict::not_a_digit;
  c.number.clear();
  std::string out;
  reader::append_answer_json(out, c, {1, "", "", ""});
  CHECK(out.starts_with("{\"digit\":1,"));
  CHECK(out.find("\"number\":null,") != std::string::npos);
}

TEST_CASE("a failure names the file and says not_a_digit only for an image with nothing on it") {
  std::string out;
  reader::append_failure_json(out, {422, "x.png: no digit found", true}, {3, "file", "x.png"});
  CHECK(out == "{\"file\":\"x.png\",\"error\":\"x.png: no digit found\",\"verdict\":\"not_a_digit\"}\n");
  out.clear();
  reader::append_failure_json(out, {415, "y: not an image", false}, {3, "file", "y"});
  CHECK(out == "{\"file\":\"y\",\"error\":\"y: not an image\"}\n");
}
