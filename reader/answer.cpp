// The reading's answer: top digits and JSON (see answer.h).
#include "reader/answer.h"

#include <algorithm>
#include <numeric>

#include "base/text_encode.h"

namespace blnk::reader {

std::vector<int> top_digits(const std::vector<float>& probabilities, int k) {
  std::vector<int> order(probabilities.size());
  std::iota(order.begin(), order.end(), 0);
  const std::size_t top = std::min<std::size_t>(std::size_t(std::max(k, 0)), order.size());
  std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(top), order.end(), [&](int a, int b) {
    const float pa = probabilities[std::size_t(a)], pb = probabilities[std::size_t(b)];
    return pa > pb || (pa == pb && a < b);
  });
  order.resize(top);
  return order;
}

void append_name_field(std::string& out, const AnswerFields& fields) {
  if (fields.name_key.empty()) return;
  out.push_back('"');
  out.append(fields.name_key);
  out.append("\":");
  append_json_string(out, fields.name);
  out.push_back(',');
}

void append_probabilities_json(std::string& out, const std::vector<float>& probabilities) {
  out.push_back('[');
  for (std::size_t i = 0; i < probabilities.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_number(out, probabilities[i]);
  }
  out.push_back(']');
}

namespace {

// [{"digit":..,"probability":..}..] of the k likeliest digits.
void append_top(std::string& out, const std::vector<float>& probabilities, int k) {
  out.push_back('[');
  const std::vector<int> top = top_digits(probabilities, k);
  for (std::size_t i = 0; i < top.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.append("{\"digit\":");
    append_int(out, top[i]);
    out.append(",\"probability\":");
    append_number(out, probabilities[std::size_t(top[i])]);
    out.push_back('}');
  }
  out.push_back(']');
}

}  // namespace

void append_answer_tail(std::string& out, const Classification& c, const AnswerFields& fields) {
  out.append(",\"elapsed_ms\":");
  append_fixed(out, c.elapsed_ms, 3);
  if (!fields.model.empty()) {
    out.append(",\"model\":");
    append_json_string(out, fields.model);
  }
  if (fields.seen_png) {
    out.append(",\"seen_png\":\"");
    append_base64(out, c.seen_png);
    out.push_back('"');
  }
  out.append("}\n");
}

void append_answer_json(std::string& out, const Classification& c, const AnswerFields& fields) {
  out.reserve(out.size() + 384 + (fields.seen_png ? c.seen_png.size() * 4 / 3 + 16 : 0));
  out.push_back('{');
  append_name_field(out, fields);
  out.append("\"digit\":");
  if (c.digit >= 0) append_int(out, c.digit);
  else out.append("null");  // a number: no one digit is the answer
  out.append(",\"probability\":");
  append_number(out, c.probability);
  out.append(",\"probabilities\":");
  append_probabilities_json(out, c.probabilities);
  out.append(",\"top\":");
  append_top(out, c.probabilities, fields.top_k);
  out.append(",\"verdict\":");
  append_json_string(out, verdict_name(c.verdict));
  out.append(",\"reason\":");
  append_json_string(out, c.reason);
  if (c.single_digit >= 0) {
    out.append(",\"single_digit\":");
    append_number(out, c.single_digit);
  }
  out.append(",\"number\":");
  if (c.number.empty()) out.append("null");  // not_a_digit: no number is the answer
  else append_json_string(out, c.number);
  out.append(",\"digits\":[");
  for (std::size_t i = 0; i < c.digits.size(); ++i) {
    const DigitReading& d = c.digits[i];
    if (i > 0) out.push_back(',');
    out.append("{\"digit\":");
    append_int(out, d.digit);
    out.append(",\"probability\":");
    append_number(out, d.probability);
    out.append(",\"top\":");
    append_top(out, d.probabilities, fields.top_k);
    out.append(",\"box\":[");
    for (const int v : {d.box_x, d.box_y, d.box_w, d.box_h}) {
      append_int(out, v);
      out.push_back(',');
    }
    out.back() = ']';
    out.append(",\"verdict\":");
    append_json_string(out, verdict_name(d.verdict));
    out.push_back('}');
  }
  out.push_back(']');
  append_answer_tail(out, c, fields);
}

void append_failure_json(std::string& out, const ClassifyFailure& failure, const AnswerFields& fields) {
  out.push_back('{');
  append_name_field(out, fields);
  out.append("\"error\":");
  append_json_string(out, failure.message);
  if (failure.no_digit) out.append(",\"verdict\":\"not_a_digit\"");
  out.append("}\n");
}

}  // namespace blnk::reader
