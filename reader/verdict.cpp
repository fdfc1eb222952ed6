// The verdict on a reading (see verdict.h).
#include "reader/verdict.h"

#include <algorithm>
#include <cstdio>

namespace blnk::reader {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::digit: return "digit";
    case Verdict::uncertain: return "uncertain";
    case Verdict::not_a_digit: return "not_a_digit";
    case Verdict::unjudged: return "unjudged";
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
    int second = -1;
    for (int d = 0; d < static_cast<int>(result.probabilities.size()); ++d) {
      if (d != result.digit && (second < 0 || result.probabilities[d] > result.probabilities[second])) second = d;
    }
    result.verdict = Verdict::uncertain;
    char buf[96];
    std::snprintf(buf, sizeof buf, "the model hesitates between %d and %d", result.digit, second);
    result.reason = buf;
  }
}

}  // namespace blnk::reader
