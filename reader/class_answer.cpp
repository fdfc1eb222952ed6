// The answer of a class model (class_answer.h).
#include "reader/class_answer.h"

#include <cstdio>

#include "base/text_encode.h"

namespace blnk::reader {

void append_class_answer_json(std::string& out, const Classification& c, std::span<const std::string> classes,
                              const AnswerFields& fields) {
  out.push_back('{');
  append_name_field(out, fields);
  out.append("\"class\":");
  append_json_string(out, classes[std::size_t(c.digit)]);
  out.append(",\"index\":");
  append_int(out, c.digit);
  out.append(",\"probability\":");
  append_number(out, c.probability);
  out.append(",\"probabilities\":");
  append_probabilities_json(out, c.probabilities);
  out.append(",\"top\":[");
  const std::vector<int> top = top_digits(c.probabilities, fields.top_k);
  for (std::size_t i = 0; i < top.size(); ++i) {
    out.append(i > 0 ? ",{\"class\":" : "{\"class\":");
    append_json_string(out, classes[std::size_t(top[i])]);
    out.append(",\"probability\":");
    append_number(out, c.probabilities[std::size_t(top[i])]);
    out.push_back('}');
  }
  out.push_back(']');
  append_answer_tail(out, c, fields);
}

std::string class_answer_text(const Classification& c, std::span<const std::string> classes, int top_k) {
  char percent[32];
  std::snprintf(percent, sizeof percent, " (%.1f%%)", 100.0 * c.probability);
  std::string text = classes[std::size_t(c.digit)] + percent;
  const std::vector<int> top = top_digits(c.probabilities, top_k);
  for (std::size_t i = 1; i < top.size(); ++i) {
    std::snprintf(percent, sizeof percent, " %.1f%%", 100.0 * c.probabilities[std::size_t(top[i])]);
    text += (i == 1 ? "  then " : ", ") + classes[std::size_t(top[i])] + percent;
  }
  return text;
}

}  // namespace blnk::reader
