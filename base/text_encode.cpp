// HTML and JSON escaping, base64 and number formatting, all locale-independent.
#include "base/text_encode.h"

#include <charconv>
#include <cmath>

namespace blnk {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not valid (overlong,
// surrogate, beyond U+10FFFF, truncated).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < 0x80 || b > 0xBF) return 0;
  }
  return n;
}

constexpr char kHex[] = "0123456789abcdef";

// Appends `text` with every invalid UTF-8 byte replaced by U+FFFD, valid multi-byte
// sequences copied as they are, and each single byte handed to escape(out, byte):
// the walk both escapers share.
template <typename EscapeByte>
void append_utf8_escaped(std::string& out, std::string_view text, EscapeByte escape) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      out.append(kReplacement);
      ++i;
    } else if (n > 1) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      escape(out, static_cast<unsigned char>(text[i]));
      ++i;
    }
  }
}

}  // namespace

void append_html_escaped(std::string& out, std::string_view text) {
  append_utf8_escaped(out, text, [](std::string& o, unsigned char c) {
    switch (c) {
      case '&': o.append("&amp;"); break;
      case '<': o.append("&lt;"); break;
      case '>': o.append("&gt;"); break;
      case '"': o.append("&quot;"); break;
      case '\'': o.append("&#39;"); break;
      default:
        if (c < 0x20 || c == 0x7f)
          o.append(kReplacement);
        else
          o.push_back(static_cast<char>(c));
    }
  });
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  append_html_escaped(out, text);
  return out;
}

void append_json_string(std::string& out, std::string_view text) {
  out.push_back('"');
  append_utf8_escaped(out, text, [](std::string& o, unsigned char c) {
    switch (c) {
      case '"': o.append("\\\""); break;
      case '\\': o.append("\\\\"); break;
      case '\n': o.append("\\n"); break;
      case '\r': o.append("\\r"); break;
      case '\t': o.append("\\t"); break;
      case '<': o.append("\\u003c"); break;  // safe even inside a <script> block
      default:
        if (c < 0x20 || c == 0x7f) {
          o.append("\\u00");
          o.push_back(kHex[c >> 4]);
          o.push_back(kHex[c & 15]);
        } else {
          o.push_back(static_cast<char>(c));
        }
    }
  });
  out.push_back('"');
}

void append_base64(std::string& out, std::span<const std::uint8_t> bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out.reserve(out.size() + (bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t v = std::uint32_t{bytes[i]} << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.append("==");
  } else if (rest == 2) {
    const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back('=');
  }
}

void append_number(std::string& out, double value, int digits) {
  if (!std::isfinite(value)) {
    out.append("null");
    return;
  }
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, digits);
  out.append(buf, r.ptr);
}

void append_fixed(std::string& out, double value, int decimals) {
  if (!std::isfinite(value)) {
    out.append("null");
    return;
  }
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  out.append(buf, r.ptr);
}

void append_int(std::string& out, long long value) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, r.ptr);
}

std::string count_of(long long n, std::string_view noun, std::string_view plural) {
  std::string out;
  append_int(out, n);
  out += ' ';
  if (n == 1) out += noun;
  else if (!plural.empty()) out += plural;
  else (out += noun) += 's';
  return out;
}

int text_columns(std::string_view text) {
  int columns = 0;
  for (const char c : text) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
  return columns;
}

std::string number_text(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::general, 6);
  return std::string(buf, r.ptr);
}

}  // namespace blnk
