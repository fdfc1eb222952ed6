// The libFuzzer entry point of one target: BLNK_FUZZ_TARGET names the function
// of fuzz_targets.h it calls (set per executable in tests/fuzz/CMakeLists.txt).
#include <cstdlib>

#include "fuzz_targets.h"

#ifndef BLNK_FUZZ_TARGET
#error "define BLNK_FUZZ_TARGET to one of the functions of fuzz_targets.h"
#endif

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // Warm up what a target loads once (the model of fuzz_image), so that the cost
  // and the allocations of loading it are not charged to the first input.
  blnk::fuzz::BLNK_FUZZ_TARGET(nullptr, 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return blnk::fuzz::BLNK_FUZZ_TARGET(data, size);
}
