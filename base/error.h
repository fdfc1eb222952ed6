// The one error type the blnk library throws. Its message names the file, request
// or value at fault and the problem, so the CLI can print it as it is.
#pragma once

#include <stdexcept>
#include <string>

namespace blnk {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace blnk
