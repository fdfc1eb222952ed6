// The verdict on a reading: does the answer mean anything? Two signals decide:
// the digit gate (a small second network trained on digits against letters,
// symbols, scribbles and numbers of several digits: models/digit-gate.blnk)
// says whether the picture holds one digit; the reader's own probabilities
// say whether it hesitates between digits.
#pragma once

#include "reader/classifier.h"

namespace blnk::reader {

// The gate's outputs: label 0 "one digit", label 1 "not one digit"
// (scripts/make-training-set.py writes its training set so).
inline constexpr int kGateClasses = 2;
inline constexpr int kGateSingleDigit = 0;

struct VerdictRules {
  // not_a_digit when the gate's probability of "one digit" is below this.
  // Chosen on the gate's held-out tenth of its training set: at 0.2 it refuses
  // 0.16% of digits and catches 98.0% of non-digits (0.5: 0.44%, 98.8%); a
  // digit refused is the worse mistake for a person drawing one.
  float min_single_digit = 0.2f;
  // uncertain when the best guess's probability is below this.
  float min_sure = 0.7f;
};

// Sets result.verdict and result.reason from result.probabilities (and
// result.single_digit, when a gate ran: 0..1; negative: no gate).
void judge(Classification& result, const VerdictRules& rules = {});

// The "one digit" a number's digits vouch for: for three digits or more, the
// lower median of their gate's probabilities; -1 for fewer digits or no gate.
// The search weighs each digit's gate as at least this, so that one digit of an
// odd shape (a square-cornered 0 of tape) does not sink a reading its neighbours
// vouch for; judge_digits still refuses a digit the gate calls no digit.
float vouched_single_digit(const std::vector<DigitReading>& digits);

// The same for a reading of result.digits (one or more, left to right): each
// digit is judged as one, then the whole: not_a_digit when a mark is not a
// digit, uncertain when a digit is (naming its position and the two digits in
// doubt), else number (two or more digits) or digit (one). Fills number,
// probability (the lowest) and, for one digit, digit and probabilities.
void judge_digits(Classification& result, const VerdictRules& rules = {});

}  // namespace blnk::reader
