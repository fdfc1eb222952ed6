// Header text the routes need: the media-type parameter parser shared by
// Content-Type and Content-Disposition, and percent-decoding. The encoders
// (HTML, JSON, base64, numbers) are in base/text_encode.h.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/text_encode.h"

namespace blnk::serve {

// The media type of a Content-Type value, without parameters, e.g. "image/png".
std::string_view media_type(std::string_view content_type);

// Looks up parameter `key` (case-insensitive) in "type; a=1; b=\"q\\\"s\"", unquoting
// quoted strings. Returns false when absent; sets `malformed` for an unterminated quote.
bool header_param(std::string_view value, std::string_view key, std::string& out, bool* malformed = nullptr);

// Decodes %XX escapes (RFC 5987 filename*); leaves malformed escapes as they are.
std::string percent_decode(std::string_view s);

}  // namespace blnk::serve
