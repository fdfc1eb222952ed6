// Text encoders the routes need: HTML and JSON escaping (both make any byte
// sequence safe, replacing invalid UTF-8 with U+FFFD), base64, number formatting,
// and the media-type parameter parser shared by Content-Type and Content-Disposition.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace blnk::serve {

// Appends `text` escaped for HTML text and attribute values.
void append_html_escaped(std::string& out, std::string_view text);
std::string html_escape(std::string_view text);

// Appends `text` as a JSON string, with its quotes.
void append_json_string(std::string& out, std::string_view text);

void append_base64(std::string& out, std::span<const std::uint8_t> bytes);

// Appends a number the shortest way that reads back exactly for `digits` significant
// digits; "null" for NaN and infinities (JSON has no such numbers).
void append_number(std::string& out, double value, int digits = 6);
void append_fixed(std::string& out, double value, int decimals);
void append_int(std::string& out, long long value);

// The media type of a Content-Type value, without parameters, e.g. "image/png".
std::string_view media_type(std::string_view content_type);

// Looks up parameter `key` (case-insensitive) in "type; a=1; b=\"q\\\"s\"", unquoting
// quoted strings. Returns false when absent; sets `malformed` for an unterminated quote.
bool header_param(std::string_view value, std::string_view key, std::string& out, bool* malformed = nullptr);

// Decodes %XX escapes (RFC 5987 filename*); leaves malformed escapes as they are.
std::string percent_decode(std::string_view s);

}  // namespace blnk::serve
