// The multipart/form-data parser. Delimiters are found with memchr on LF and a
// compare: a candidate can only extend to the next LF (boundaries hold no LF), so
// the scan stays linear whatever the body holds.
#include "serve/multipart.h"

#include <cstring>

#include "serve/http.h"
#include "serve/limits.h"
#include "serve/text.h"

namespace blnk::serve {

namespace {

bool is_boundary_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x7f;
}

// Whether `body` at `pos` holds a delimiter line "--boundary" followed by "--" (the
// last one) or optional whitespace and a line break. Sets `last` and `next` (the
// offset after the delimiter line).
bool is_delimiter_at(std::string_view body, std::size_t pos, std::string_view boundary, bool& last,
                     std::size_t& next, bool& truncated) {
  truncated = false;
  const std::size_t need = pos + 2 + boundary.size();
  if (need > body.size()) {
    // A prefix of a delimiter at the end of the body: truncated.
    const std::size_t have = body.size() - pos;
    std::string delimiter = "--";
    delimiter.append(boundary);
    truncated = have > 0 && body.substr(pos) == std::string_view(delimiter).substr(0, have);
    return false;
  }
  if (body.compare(pos, 2, "--") != 0 || body.compare(pos + 2, boundary.size(), boundary) != 0) return false;
  std::size_t i = need;
  if (body.compare(i, 2, "--") == 0) {
    last = true;
    next = i + 2;
    return true;
  }
  while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) ++i;
  if (i == body.size()) {
    truncated = true;
    return false;
  }
  if (body[i] == '\n') {
    next = i + 1;
  } else if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') {
    next = i + 2;
  } else if (body[i] == '\r' && i + 1 == body.size()) {
    truncated = true;
    return false;
  } else {
    return false;  // "--boundaryX": not a delimiter
  }
  last = false;
  return true;
}

// Finds the next delimiter line at or after `from` that starts a line. Returns its
// offset (of the "--") or npos; `truncated` is set when the body ends in the middle of one.
std::size_t find_delimiter(std::string_view body, std::size_t from, std::string_view boundary, bool at_line_start,
                           bool& last, std::size_t& next, bool& truncated) {
  truncated = false;
  if (at_line_start && is_delimiter_at(body, from, boundary, last, next, truncated)) return from;
  std::size_t i = from;
  while (i < body.size()) {
    const void* hit = std::memchr(body.data() + i, '\n', body.size() - i);
    if (hit == nullptr) break;
    const std::size_t lf = static_cast<std::size_t>(static_cast<const char*>(hit) - body.data());
    if (is_delimiter_at(body, lf + 1, boundary, last, next, truncated)) return lf + 1;
    if (truncated) return std::string_view::npos;
    i = lf + 1;
  }
  return std::string_view::npos;
}

// Parses the header lines of one part starting at `pos`; leaves `pos` after the empty line.
bool parse_part_headers(std::string_view body, std::size_t& pos, MultipartPart& part, std::string& error) {
  const std::size_t start = pos;
  bool has_disposition = false;
  while (true) {
    const std::size_t lf = body.find('\n', pos);
    if (lf == std::string_view::npos) {
      error = "truncated multipart body: a part's headers are not complete";
      return false;
    }
    if (lf - start > kMaxPartHeaderBytes) {
      error = "multipart part headers too large";
      return false;
    }
    std::string_view line = body.substr(pos, lf - pos);
    pos = lf + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      error = "malformed multipart part header (no colon)";
      return false;
    }
    const std::string_view name = trim_ows(line.substr(0, colon));
    const std::string_view value = trim_ows(line.substr(colon + 1));
    if (iequals(name, "content-disposition")) {
      if (!iequals(media_type(value), "form-data")) {
        error = "multipart part is not form-data (Content-Disposition)";
        return false;
      }
      bool malformed = false;
      if (!header_param(value, "name", part.name, &malformed) || malformed) {
        error = "multipart part without a field name (Content-Disposition name=...)";
        return false;
      }
      std::string extended;
      if (header_param(value, "filename*", extended) && extended.size() > 7 &&
          iequals(std::string_view(extended).substr(0, 7), "utf-8''")) {
        part.filename = percent_decode(std::string_view(extended).substr(7));
      } else {
        header_param(value, "filename", part.filename);
      }
      has_disposition = true;
    } else if (iequals(name, "content-type")) {
      part.content_type = std::string(value);
    }
  }
  if (!has_disposition) {
    error = "multipart part without a Content-Disposition header";
    return false;
  }
  return true;
}

}  // namespace

bool multipart_boundary(std::string_view content_type, std::string& boundary, std::string& error) {
  bool malformed = false;
  if (!header_param(content_type, "boundary", boundary, &malformed)) {
    error = malformed ? "malformed boundary parameter in Content-Type (unterminated quote)"
                      : "multipart Content-Type without a boundary parameter";
    return false;
  }
  if (boundary.empty() || boundary.size() > kMaxBoundaryBytes) {
    error = "multipart boundary must be 1 to 70 characters";
    return false;
  }
  for (char c : boundary) {
    if (!is_boundary_char(c)) {
      error = "multipart boundary holds a character that is not allowed";
      return false;
    }
  }
  return true;
}

bool parse_multipart(std::string_view body, std::string_view boundary, std::vector<MultipartPart>& parts,
                     std::string& error) {
  parts.clear();
  bool last = false;
  bool truncated = false;
  std::size_t next = 0;
  std::size_t at = find_delimiter(body, 0, boundary, true, last, next, truncated);
  if (at == std::string_view::npos) {
    error = truncated ? "truncated multipart body: it ends inside the first boundary"
                      : "multipart body does not contain its boundary";
    return false;
  }
  while (!last) {
    if (static_cast<int>(parts.size()) >= kMaxMultipartParts) {
      error = "too many parts in the multipart body";
      return false;
    }
    MultipartPart part;
    std::size_t pos = next;
    if (!parse_part_headers(body, pos, part, error)) return false;
    // The part data runs up to the line break before the next delimiter.
    at = find_delimiter(body, pos, boundary, true, last, next, truncated);
    if (at == std::string_view::npos) {
      error = "truncated multipart body: part '" + part.name.substr(0, 64) + "' has no closing boundary";
      return false;
    }
    std::size_t end = at;
    if (end > pos && body[end - 1] == '\n') --end;
    if (end > pos && body[end - 1] == '\r') --end;
    if (at == pos) end = pos;  // empty data right before the delimiter
    part.data = body.substr(pos, end - pos);
    parts.push_back(std::move(part));
  }
  return true;
}

const MultipartPart* find_part(const std::vector<MultipartPart>& parts, std::string_view name) {
  for (const MultipartPart& p : parts) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

}  // namespace blnk::serve
