// The verdict on a reading: the gate's "one digit" probability and the
// reader's hesitation decide digit / uncertain / not_a_digit.
#include <doctest/doctest.h>

#include "serve/verdict.h"

using namespace blnk::serve;

namespace {

Classification reading(std::vector<float> probabilities, float single_digit) {
  Classification c;
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
  Classification c = reading({0.01f, 0.97f, 0.02f}, 0.99f);
  judge(c);
  CHECK(c.verdict == Verdict::digit);
  CHECK(c.reason.empty());
  CHECK(std::string(verdict_name(c.verdict)) == "digit");
}

TEST_CASE("verdict: the gate's 'not one digit' wins over any confidence") {
  Classification c = reading({0.001f, 0.999f, 0.0f}, 0.05f);  // a letter A read as "4, 99.9%"
  judge(c);
  CHECK(c.verdict == Verdict::not_a_digit);
  CHECK(c.reason.find("does not look like one digit") != std::string::npos);
  CHECK(c.digit == 1);  // the best guess stays
  CHECK(std::string(verdict_name(c.verdict)) == "not_a_digit");
}

TEST_CASE("verdict: a reading split between digits is uncertain and names them") {
  Classification c = reading({0.05f, 0.48f, 0.02f, 0.45f}, 0.95f);
  judge(c);
  CHECK(c.verdict == Verdict::uncertain);
  CHECK(c.reason == "the model hesitates between 1 and 3");
  // Without a gate, only the hesitation counts.
  Classification sure = reading({0.0f, 1.0f}, -1.0f), unsure = reading({0.4f, 0.6f}, -1.0f);
  judge(sure);
  judge(unsure);
  CHECK(sure.verdict == Verdict::digit);
  CHECK(unsure.verdict == Verdict::uncertain);
  // The rules' edges: 70% sure is sure; the gate's "one digit" counts from 20%
  // (chosen on the gate's held-out tenth: 0.16% of digits refused there against
  // 0.44% at 50%, for 98.0% of non-digits caught against 98.8%).
  VerdictRules rules;
  Classification edge = reading({0.3f, 0.7f}, 0.2f);
  judge(edge, rules);
  CHECK(edge.verdict == Verdict::digit);
  Classification below = reading({0.3f, 0.7f}, 0.19f);
  judge(below, rules);
  CHECK(below.verdict == Verdict::not_a_digit);
}
