// One way to give a reading back, shared by `blnk predict --json` and the HTTP
// API: the likeliest digits in one order (ties go to the smaller digit) and one
// JSON object.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reader/classifier.h"

namespace blnk::reader {

// The k likeliest digits, most probable first; equal probabilities keep digit order.
std::vector<int> top_digits(const std::vector<float>& probabilities, int k);

// What a caller adds to the reading's own fields.
struct AnswerFields {
  int top_k = 3;                // entries of "top"
  std::string_view name_key;    // "file" (predict) or "filename" (HTTP); empty: no name
  std::string_view name;
  std::string_view model;       // "model"; empty: left out
  bool seen_png = false;        // "seen_png": the 28x28 image, base64
};

// Appends {<name_key>:..,"digit":.. (null for a number),"probability":..,
// "probabilities":[..],"top":[..],"verdict":..,"reason":..,"single_digit":.. (with a gate),
// "number":..,"digits":[{"digit","probability","top","box":[x,y,w,h] (in the image's
// pixels),"verdict"}..],"elapsed_ms":..,"model":..,
// "seen_png":..} and a newline.
void append_answer_json(std::string& out, const Classification& reading, const AnswerFields& fields);

// Pieces every answer object shares (the class answer too, reader/class_answer.h):
// `"<name_key>":<name>,` when the fields name one; the probabilities as [p0,p1,..].
void append_name_field(std::string& out, const AnswerFields& fields);
void append_probabilities_json(std::string& out, const std::vector<float>& probabilities);
// Appends ,"elapsed_ms":..[,"model":..][,"seen_png":..]} and a newline: how every answer ends.
void append_answer_tail(std::string& out, const Classification& c, const AnswerFields& fields);

// Appends {<name_key>:..,"error":..[,"verdict":"not_a_digit"]} and a newline.
void append_failure_json(std::string& out, const ClassifyFailure& failure, const AnswerFields& fields);

}  // namespace blnk::reader
