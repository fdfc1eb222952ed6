// Parser of multipart/form-data bodies (RFC 7578, RFC 2046 section 5.1). Works on
// the whole body in memory, linear in its size, bounded in parts and header bytes.
// Accepts CRLF or bare LF line breaks and quoted or bare boundaries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace blnk::serve {

struct MultipartPart {
  std::string name;          // form field name
  std::string filename;      // as sent by the browser; may be empty
  std::string content_type;  // of the part; may be empty
  std::string_view data;     // points into the body
};

// Reads the boundary parameter of a multipart Content-Type value. Returns false with
// `error` set when it is missing or not a valid boundary.
bool multipart_boundary(std::string_view content_type, std::string& boundary, std::string& error);

// Splits `body` into its parts. Returns false with `error` naming the problem
// (no opening boundary, truncated part, malformed part headers, too many parts).
bool parse_multipart(std::string_view body, std::string_view boundary, std::vector<MultipartPart>& parts,
                     std::string& error);

// The first part named `name`, or nullptr.
const MultipartPart* find_part(const std::vector<MultipartPart>& parts, std::string_view name);

}  // namespace blnk::serve
