// The answer of a class model (reader/class_model.h), shared by `blnk predict --json`
// and the HTTP API as the digit answer is (reader/answer.h): the class by name, its
// probability, every probability in class order and the top k with names.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "reader/answer.h"

namespace blnk::reader {

// Appends {<name_key>:..,"class":..,"index":..,"probability":..,"probabilities":[..],
// "top":[{"class":..,"probability":..},..],"elapsed_ms":..,"model":..,"seen_png":..} and a newline.
void append_class_answer_json(std::string& out, const Classification& reading, std::span<const std::string> classes,
                              const AnswerFields& fields);

// "defect (93.1%)  then ok 5.0%, scratch 1.9%": the line `blnk predict` prints.
std::string class_answer_text(const Classification& reading, std::span<const std::string> classes, int top_k);

}  // namespace blnk::reader
