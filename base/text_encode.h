// Text encoders: HTML and JSON escaping (both make any byte sequence safe,
// replacing invalid UTF-8 with U+FFFD), base64 and locale-independent number
// formatting. Used by the server's pages and by every JSON answer; and the
// counts and numbers of messages.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace blnk {

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

// Messages: "1 image", "3 images" (the plural is noun + "s" unless given).
std::string count_of(long long n, std::string_view noun, std::string_view plural = {});
// A number as a person writes it, up to 6 significant digits: "0.9", "1e-05", "nan"
// (std::to_string gives "0.900000").
std::string number_text(double value);
// The columns a UTF-8 text takes in a table: its code points (a class named
// "étoile★" is 7 wide, not its 10 bytes).
int text_columns(std::string_view text);

}  // namespace blnk
