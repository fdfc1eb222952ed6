// The small pieces of the public API: the exception, the version, verdict names and
// a reading's top digits.
#include "api/guard.h"
#include "blnk/model.h"
#include "blnk/version.h"
#include "reader/answer.h"

namespace blnk {

Exception::Exception(const std::string& message) : std::runtime_error(message) {}

const char* version() { return BLNK_VERSION_STRING; }

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::digit: return reader::verdict_name(reader::Verdict::digit);
    case Verdict::uncertain: return reader::verdict_name(reader::Verdict::uncertain);
    case Verdict::not_a_digit: return reader::verdict_name(reader::Verdict::not_a_digit);
    case Verdict::unjudged: return reader::verdict_name(reader::Verdict::unjudged);
    case Verdict::number: return reader::verdict_name(reader::Verdict::number);
  }
  throw Exception("verdict_name: no verdict numbered " + std::to_string(int(verdict)));
}

std::vector<int> Reading::top(int k) const { return reader::top_digits(probabilities, k); }

namespace api {

void throw_out_of_range(const char* name, const std::string& range, const std::string& value) {
  throw Exception(std::string(name) + " must be from " + range + ", got " + value);
}

}  // namespace api
}  // namespace blnk
