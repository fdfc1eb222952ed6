// The media-type parameter parser and percent-decoding (the encoders are base/text_encode.h).
#include "serve/text.h"

#include <charconv>
#include <cmath>

#include "serve/http.h"

namespace blnk::serve {

std::string_view media_type(std::string_view content_type) {
  return trim_ows(content_type.substr(0, content_type.find(';')));
}

bool header_param(std::string_view value, std::string_view key, std::string& out, bool* malformed) {
  std::size_t i = value.find(';');
  while (i != std::string_view::npos && i < value.size()) {
    // At a ';': skip it and whitespace, read the name.
    ++i;
    while (i < value.size() && (value[i] == ' ' || value[i] == '\t' || value[i] == ';')) ++i;
    const std::size_t name_start = i;
    while (i < value.size() && value[i] != '=' && value[i] != ';') ++i;
    const std::string_view name = trim_ows(value.substr(name_start, i - name_start));
    std::string param;
    if (i < value.size() && value[i] == '=') {
      ++i;
      while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
      if (i < value.size() && value[i] == '"') {
        ++i;
        bool closed = false;
        while (i < value.size()) {
          const char c = value[i++];
          if (c == '"') {
            closed = true;
            break;
          }
          if (c == '\\' && i < value.size()) {
            param.push_back(value[i++]);
          } else {
            param.push_back(c);
          }
        }
        if (!closed) {
          if (malformed != nullptr) *malformed = true;
          return false;
        }
        // Skip anything up to the next ';'.
        while (i < value.size() && value[i] != ';') ++i;
      } else {
        const std::size_t start = i;
        while (i < value.size() && value[i] != ';') ++i;
        param = std::string(trim_ows(value.substr(start, i - start)));
      }
    }
    if (!name.empty() && iequals(name, key)) {
      out = std::move(param);
      return true;
    }
    if (i >= value.size()) break;
  }
  return false;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex(s[i + 1]);
      const int lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace blnk::serve
