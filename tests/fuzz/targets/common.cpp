// What the fuzz targets share: the failure hook and the model path.
#include <cstdio>
#include <cstdlib>

#include "fuzz_targets.h"

#ifndef BLNK_SOURCE_DIR
#error "BLNK_SOURCE_DIR must be defined (tests/fuzz/CMakeLists.txt)"
#endif

namespace blnk::fuzz {

void fuzz_fail(const char* what) {
  std::fprintf(stderr, "blnk fuzz: %s\n", what);
  std::abort();
}

std::string fuzz_model_path() {
  if (const char* env = std::getenv("BLNK_FUZZ_MODEL"); env && *env) return env;
  return std::string(BLNK_SOURCE_DIR) + "/models/mnist.blnk";
}

}  // namespace blnk::fuzz
