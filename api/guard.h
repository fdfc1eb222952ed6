// The boundary between the library's inside and its public API: the inside throws
// blnk::Error (base/error.h), the API blnk::Exception (include/blnk/error.h), with
// the same message.
#pragma once

#include <filesystem>

#include "base/error.h"
#include "blnk/error.h"

namespace blnk::api {

// fn(), with an internal Error (or a file system error, which names its path) turned
// into the public Exception.
template <typename Fn>
auto guarded(Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    throw Exception(e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    throw Exception(e.what());
  }
}

// "name must be from lo to hi, got value": how the API names a value out of range.
[[noreturn]] void throw_out_of_range(const char* name, const std::string& range, const std::string& value);

}  // namespace blnk::api
