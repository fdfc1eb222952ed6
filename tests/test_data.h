// The real data sets the tests may read, and how a test that needs an absent one
// says it skipped: skip_test() prints a line starting "SKIPPED:", which ctest's
// SKIP_REGULAR_EXPRESSION (tests/CMakeLists.txt) reports as Skipped, not Passed.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace blnk::testing {

// ../shared/data beside the source tree (BLNK_SHARED_DATA_DIR, set by CMake).
inline std::string shared_data_dir(const std::string& sub) { return std::string(BLNK_SHARED_DATA_DIR) + "/" + sub; }

// MNIST's IDX files: $BLNK_DATA_DIR, else shared/data/mnist.
inline std::string mnist_dir() {
  const char* env = std::getenv("BLNK_DATA_DIR");
  return env && *env ? env : shared_data_dir("mnist");
}

inline void skip_test(const std::string& why) {
  std::printf("SKIPPED: %s\n", why.c_str());
  std::fflush(stdout);
}

// True when `path` exists; else reports the skip, naming what is missing.
inline bool have_data(const std::string& path, const std::string& hint = "") {
  if (std::filesystem::exists(path)) return true;
  skip_test("no " + path + (hint.empty() ? "" : " (" + hint + ")"));
  return false;
}

}  // namespace blnk::testing
