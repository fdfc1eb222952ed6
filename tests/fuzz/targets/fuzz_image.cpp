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
    BLNK_FUZZ_CHECK(result.digit >= 0 && result.digit < 10);
    BLNK_FUZZ_CHECK(result.probabilities.size() == 10);
    float sum = 0;
    for (float p : result.probabilities) {
      BLNK_FUZZ_CHECK(std::isfinite(p) && p >= 0.0f && p <= 1.0f);
      sum += p;
    }
    BLNK_FUZZ_CHECK(std::fabs(sum - 1.0f) < 1e-3f);
    BLNK_FUZZ_CHECK(!result.seen_png.empty());
  } else {
    BLNK_FUZZ_CHECK(failure.http_status == 413 || failure.http_status == 415 || failure.http_status == 422);
    BLNK_FUZZ_CHECK(!failure.message.empty());
  }
  return 0;
}

}  // namespace blnk::fuzz
