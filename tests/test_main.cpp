// The doctest main shared by every test executable.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdlib>

namespace {
// Every blnk train a test runs writes the same trained.date (cli/cmd_train.cpp), so that
// two runs compared byte for byte agree on either side of midnight: 2026-01-01.
[[maybe_unused]] const int kFixedDate = setenv("SOURCE_DATE_EPOCH", "1767225600", 0);
}  // namespace
