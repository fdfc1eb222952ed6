// Fuzz target: the whole image path of `blnk serve` and `blnk predict`:
// reader::ModelClassifier::classify with the bundled model (limits checked from
// the header, stb decode, MNIST-style preprocessing, inference, the seen PNG).
// The model is loaded once, on the first call.
#include <cmath>
#include <memory>
#include <span>

#include "fuzz_targets.h"
#include "base/error.h"
#include "data/image.h"
#include "reader/model_classifier.h"

namespace blnk::fuzz {

int fuzz_image(const std::uint8_t* data, std::size_t size) {
  static const auto classifier = std::make_unique<reader::ModelClassifier>(fuzz_model_path());
  if (data == nullptr) return 0;
  reader::Classification result;
  reader::ClassifyFailure failure;
  const reader::ClassifyOptions options;  // with the seen PNG, as ?seen=1 and the page ask
  bool ok = false;
  try {
    ok = classifier->classify(std::span<const std::uint8_t>(data, size), options, result, failure);
  } catch (const Error&) {
    // classify returns false with a status; it never throws (finding F5, docs/hardening.md).
    fuzz_fail("classify threw");
  }
  if (ok) {
    // One digit, or a number: its digits left to right, each a reading of its own,
    // and no one digit (digit -1, no probabilities) that a client could take for it.
    const auto check_probabilities = [](const std::vector<float>& probabilities) {
      BLNK_FUZZ_CHECK(probabilities.size() == 10);
      float sum = 0;
      for (float p : probabilities) {
        BLNK_FUZZ_CHECK(std::isfinite(p) && p >= 0.0f && p <= 1.0f);
        sum += p;
      }
      BLNK_FUZZ_CHECK(std::fabs(sum - 1.0f) < 1e-3f);
    };
    BLNK_FUZZ_CHECK(!result.digits.empty() && result.digits.size() <= 12);
    BLNK_FUZZ_CHECK(result.number.size() == result.digits.size());
    for (std::size_t i = 0; i < result.digits.size(); ++i) {
      const reader::DigitReading& d = result.digits[i];
      BLNK_FUZZ_CHECK(d.digit >= 0 && d.digit < 10 && result.number[i] == char('0' + d.digit));
      check_probabilities(d.probabilities);
    }
    if (result.digits.size() == 1) {
      BLNK_FUZZ_CHECK(result.digit == result.digits[0].digit);
      check_probabilities(result.probabilities);
    } else {
      BLNK_FUZZ_CHECK(result.digit == -1 && result.probabilities.empty());
    }
    BLNK_FUZZ_CHECK(!result.seen_png.empty());
  } else {
    BLNK_FUZZ_CHECK(failure.http_status == 413 || failure.http_status == 415 || failure.http_status == 422);
    BLNK_FUZZ_CHECK(!failure.message.empty());
  }
  return 0;
}

}  // namespace blnk::fuzz
