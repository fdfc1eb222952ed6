// Parsing of an HTTP/1.x request head: finding its end in a byte stream, the
// request line, the header fields, and the framing rules (Content-Length,
// Transfer-Encoding, Connection, Expect, Host). Robust to any byte sequence:
// linear, bounded by the limits, no recursion, no allocation besides the header list.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "serve/http.h"

namespace blnk::serve {

struct HeadLimits {
  std::size_t max_uri_bytes;
  std::size_t max_header_bytes;  // header section, without the request line
  int max_headers;
};

// The outcome of a parse step: status 0 means fine, else the HTTP status to answer
// (400, 414, 417, 431, 501, 505) with a message naming the problem.
struct ParseStatus {
  int status = 0;
  const char* message = "";
  bool ok() const { return status == 0; }
};

// Number of CR and LF bytes at the start of `data` (ignored before a request line).
std::size_t count_leading_newlines(std::string_view data);

// Offset just past the empty line that ends the head, or npos. `scan_from` keeps
// the scan position between calls on a growing buffer (start it at 0).
// Lines may end with CRLF or a bare LF.
std::size_t find_head_end(std::string_view data, std::size_t& scan_from);

// Checks a head that is not complete yet: refuses it early when it is already
// over a limit (414, 431) or cannot be HTTP (400).
ParseStatus check_partial_head(std::string_view partial, const HeadLimits& limits);

// Parses a complete head (up to and including its empty line) into `request`,
// whose string views point into `head`.
ParseStatus parse_head(std::string_view head, const HeadLimits& limits, Request& request);

// Parses a Content-Length value ("42", or "42, 42" from merged fields). Values too
// large to represent come back as UINT64_MAX. Returns false if malformed.
bool parse_content_length(std::string_view value, std::uint64_t& length);

bool is_token(std::string_view s);

}  // namespace blnk::serve
