// The one exception type the blnk library throws. Its message names the file,
// option or value at fault and what is wrong with it, so a program can print it as
// it is (blnk's own command line does).
#ifndef BLNK_ERROR_H
#define BLNK_ERROR_H

#include <stdexcept>
#include <string>

#include "blnk/export.h"

namespace blnk {

class BLNK_API Exception : public std::runtime_error {
 public:
  explicit Exception(const std::string& message);
};

}  // namespace blnk

#endif  // BLNK_ERROR_H
