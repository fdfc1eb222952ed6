// The verdict on a reading (see verdict.h).
#include "reader/verdict.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "data/find_digits.h"

namespace blnk::reader {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::digit: return "digit";
    case Verdict::uncertain: return "uncertain";
    case Verdict::not_a_digit: return "not_a_digit";
    case Verdict::unjudged: return "unjudged";
    case Verdict::number: return "number";
  }
  return "digit";
}

void judge(Classification& result, const VerdictRules& rules) {
  result.verdict = Verdict::digit;
  result.reason.clear();
  if (result.single_digit >= 0 && result.single_digit < rules.min_single_digit) {
    result.verdict = Verdict::not_a_digit;
    result.reason = "this does not look like one digit (a letter, a symbol, several digits or a scribble?)";
    return;
  }
  if (result.probability < rules.min_sure && result.probabilities.size() > 1) {
    // The digits in doubt: the runner-up, and any other at least half as likely as the
    // best (2 34.4%, 5 30.4%, 7 30.0% is "2, 5 and 7", not "2 and 5").
    std::vector<int> others;
    for (int d = 0; d < static_cast<int>(result.probabilities.size()); ++d)
      if (d != result.digit) others.push_back(d);
    // (std::sort with the index as tie-break: std::stable_sort's temporary buffer is an
    // alloc-dealloc mismatch under clang's ASan with libstdc++ 12, found by the fuzz corpus.)
    std::sort(others.begin(), others.end(), [&](int a, int b) {
      const float pa = result.probabilities[a], pb = result.probabilities[b];
      return pa > pb || (pa == pb && a < b);
    });
    std::string doubt = std::to_string(result.digit);
    for (std::size_t i = 0; i < others.size(); ++i) {
      const bool last = i + 1 == others.size() || result.probabilities[others[i + 1]] < 0.5f * result.probability;
      doubt += (last ? " and " : ", ") + std::to_string(others[i]);
      if (last) break;
    }
    result.verdict = Verdict::uncertain;
    result.reason = "the model hesitates between " + doubt;
  }
}

float vouched_single_digit(const std::vector<DigitReading>& digits) {
  std::array<float, 2 * data::kMaxDigitsInLine> gates;  // (no allocation per reading; longer lines are no numbers)
  const std::size_t n = digits.size();
  if (n < 3 || n > gates.size()) return -1;
  for (std::size_t i = 0; i < n; ++i) {
    if (digits[i].single_digit < 0) return -1;
    gates[i] = digits[i].single_digit;
  }
  const auto median = gates.begin() + (n - 1) / 2;
  std::nth_element(gates.begin(), median, gates.begin() + n);
  return *median;
}

void judge_digits(Classification& result, const VerdictRules& rules) {
  const std::size_t n = result.digits.size();
  result.number.clear();
  result.probability = 1;
  std::size_t refused = n, doubtful = n;
  for (std::size_t i = 0; i < n; ++i) {
    DigitReading& d = result.digits[i];
    Classification one;
    one.digit = d.digit;
    one.probability = d.probability;
    one.probabilities = d.probabilities;
    one.single_digit = d.single_digit;
    judge(one, rules);
    d.verdict = one.verdict;
    d.reason = one.reason;
    result.number += static_cast<char>('0' + d.digit);
    result.probability = std::min(result.probability, d.probability);
    if (d.verdict == Verdict::not_a_digit && refused == n) refused = i;
    if (d.verdict == Verdict::uncertain && doubtful == n) doubtful = i;
  }
  if (n == 1) {
    const DigitReading& d = result.digits[0];
    result.digit = d.digit;
    result.probabilities = d.probabilities;
    result.single_digit = d.single_digit;
    result.verdict = d.verdict;
    result.reason = d.reason;
    return;
  }
  result.digit = -1;
  result.probabilities.clear();
  result.single_digit = -1;
  const auto position = [n](std::size_t i) { return "mark " + std::to_string(i + 1) + " of " + std::to_string(n); };
  if (refused < n) {
    result.verdict = Verdict::not_a_digit;
    result.reason = position(refused) + ": " + result.digits[refused].reason;
  } else if (doubtful < n) {
    result.verdict = Verdict::uncertain;
    result.reason = "digit " + std::to_string(doubtful + 1) + " of " + std::to_string(n) + ": " +
                    result.digits[doubtful].reason;
  } else {
    result.verdict = Verdict::number;
    result.reason.clear();
  }
}

}  // namespace blnk::reader
