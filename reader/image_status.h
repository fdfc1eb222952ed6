// The HTTP status an image that cannot be read gets, by why (data/image.h): the
// one mapping of the digit reader and the class reader.
#pragma once

#include "data/image.h"

namespace blnk::reader {

inline int status_for(data::ImageErrorKind kind) {
  switch (kind) {
    case data::ImageErrorKind::not_an_image:
    case data::ImageErrorKind::unsupported_format: return 415;
    case data::ImageErrorKind::too_large: return 413;
    case data::ImageErrorKind::empty:
    case data::ImageErrorKind::undecodable: return 422;
  }
  return 422;
}

}  // namespace blnk::reader
