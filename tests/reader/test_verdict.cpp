// The verdict on a reading: the gate's "one digit" probability and the
// reader's hesitation decide digit / uncertain / not_a_digit.
#include <doctest/doctest.h>

#include "reader/verdict.h"

using namespace blnk;

namespace {

reader::Classification reading(std::vector<float> probabilities, float single_digit) {
  reader::Classification c;
  c.probabilities = std::move(probabilities);
  c.digit = 0;
  for (int d = 1; d < static_cast<int>(c.probabilities.size()); ++d)
    if (c.probabilities[d] > c.probabilities[c.digit]) c.digit = d;
  c.probability = c.probabilities[c.digit];
  c.single_digit = single_digit;
  return c;
}

}  // namespace

TEST_CASE("verdict: a confident reading the gate calls one digit is a digit") {
  reader::Classification c = reading({0.01f, 0.97f, 0.02f}, 0.99f);
  reader::judge(c);
  CHECK(c.verdict == reader::Verdict::digit);
  CHECK(c.reason.empty());
  CHECK(std::string(reader::verdict_name(c.verdict)) == "digit");
}

TEST_CASE("verdict: the gate's 'not one digit' wins over any confidence") {
  reader::Classification c = reading({0.001f, 0.999f, 0.0f}, 0.05f);  // a letter A read as "4, 99.9%"
  reader::judge(c);
  CHECK(c.verdict == reader::Verdict::not_a_digit);
  CHECK(c.reason.find("does not look like one digit") != std::string::npos);
  CHECK(c.digit == 1);  // the best guess stays
  CHECK(std::string(reader::verdict_name(c.verdict)) == "not_a_digit");
}

TEST_CASE("verdict: a reading split between digits is uncertain and names them") {
  reader::Classification c = reading({0.05f, 0.48f, 0.02f, 0.45f}, 0.95f);
  reader::judge(c);
  CHECK(c.verdict == reader::Verdict::uncertain);
  CHECK(c.reason == "the model hesitates between 1 and 3");
  // Three close digits are all named (a first-time user saw "between 2 and 5" for
  // 2 34.4%, 5 30.4%, 7 30.0%); one under half the best is not.
  reader::Classification three = reading({0.0f, 0.0f, 0.344f, 0.0f, 0.0f, 0.304f, 0.0f, 0.30f, 0.052f}, 0.95f);
  reader::judge(three);
  CHECK(three.reason == "the model hesitates between 2, 5 and 7");
  // Without a gate, only the hesitation counts.
  reader::Classification sure = reading({0.0f, 1.0f}, -1.0f), unsure = reading({0.4f, 0.6f}, -1.0f);
  reader::judge(sure);
  reader::judge(unsure);
  CHECK(sure.verdict == reader::Verdict::digit);
  CHECK(unsure.verdict == reader::Verdict::uncertain);
  // The rules' edges: 70% sure is sure; the gate's "one digit" counts from 20%
  // (chosen on the gate's held-out tenth: 0.16% of digits refused there against
  // 0.44% at 50%, for 98.0% of non-digits caught against 98.8%).
  reader::VerdictRules rules;
  reader::Classification edge = reading({0.3f, 0.7f}, 0.2f);
  reader::judge(edge, rules);
  CHECK(edge.verdict == reader::Verdict::digit);
  reader::Classification below = reading({0.3f, 0.7f}, 0.19f);
  reader::judge(below, rules);
  CHECK(below.verdict == reader::Verdict::not_a_digit);
}

namespace {

reader::Classification number_of(const std::vector<float>& gates) {
  reader::Classification c;
  for (std::size_t i = 0; i < gates.size(); ++i) {
    reader::DigitReading d;
    d.digit = static_cast<int>(i % 10);
    d.probabilities.assign(10, 0.0f);
    d.probabilities[d.digit] = 0.99f;
    d.probability = 0.99f;
    d.single_digit = gates[i];
    c.digits.push_back(d);
  }
  return c;
}

}  // namespace

TEST_CASE("verdict: a number's digits vouch for one odd digit among three or more, not for two") {
  // A square-cornered 0 of tape the gate doubts, between two digits it is sure of.
  CHECK(reader::vouched_single_digit(number_of({0.98f, 0.01f, 0.97f}).digits) == doctest::Approx(0.97f));
  // Two odd ones of three are vouched for by neither, and two digits vouch for nothing.
  CHECK(reader::vouched_single_digit(number_of({0.98f, 0.01f, 0.05f}).digits) == doctest::Approx(0.05f));
  CHECK(reader::vouched_single_digit(number_of({0.98f, 0.01f}).digits) < 0);
  // Of four, the lower median: one odd digit is vouched for, two are not.
  CHECK(reader::vouched_single_digit(number_of({0.9f, 0.01f, 0.8f, 0.95f}).digits) == doctest::Approx(0.8f));
  CHECK(reader::vouched_single_digit(number_of({0.9f, 0.01f, 0.02f, 0.95f}).digits) == doctest::Approx(0.02f));
  // Without a gate on every digit there is nothing to vouch with.
  CHECK(reader::vouched_single_digit(number_of({0.9f, -1.0f, 0.95f}).digits) < 0);
  // The verdict is still each digit's own: a digit the gate calls no digit is refused.
  reader::Classification three = number_of({0.98f, 0.01f, 0.97f});
  reader::judge_digits(three);
  CHECK(three.verdict == reader::Verdict::not_a_digit);
  CHECK(three.reason.rfind("mark 2 of 3", 0) == 0);
  reader::Classification sure = number_of({0.98f, 0.5f, 0.97f});
  reader::judge_digits(sure);
  CHECK(sure.verdict == reader::Verdict::number);
  CHECK(sure.number == "012");
}
