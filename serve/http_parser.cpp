// The request head parser (RFC 9112, section 2 to 7), strict where leniency leads
// to request smuggling: no whitespace before a colon, no obs-fold, no bare CR, no
// Content-Length together with Transfer-Encoding, only "chunked" as a transfer coding.
#include "serve/http_parser.h"

#include <array>
#include <cstring>

#include "serve/limits.h"

namespace blnk::serve {

namespace {

constexpr std::array<bool, 256> make_token_table() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) t[static_cast<unsigned char>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kTokenChar = make_token_table();

bool is_token_char(char c) { return kTokenChar[static_cast<unsigned char>(c)]; }

// Field values may hold visible characters, spaces, tabs and obs-text; no other controls.
bool is_field_value(std::string_view v) {
  for (char ch : v) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7f) return false;
  }
  return true;
}

bool is_target(std::string_view t) {
  for (char ch : t) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

Method method_from_name(std::string_view m) {
  if (m == "GET") return Method::Get;
  if (m == "HEAD") return Method::Head;
  if (m == "POST") return Method::Post;
  if (m == "PUT") return Method::Put;
  if (m == "DELETE") return Method::Delete;
  if (m == "OPTIONS") return Method::Options;
  if (m == "PATCH") return Method::Patch;
  return Method::Other;
}

bool starts_with_icase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Splits the target into path and query. Accepts origin-form ("/a?b"), absolute-form
// ("http://host/a?b") and "*" (OPTIONS only).
ParseStatus split_target(Request& r) {
  std::string_view t = r.target;
  if (t == "*") {
    if (r.method != Method::Options) return {400, "'*' is only a target for OPTIONS"};
    r.path = t;
    return {};
  }
  if (t.front() != '/') {
    std::size_t skip = 0;
    if (starts_with_icase(t, "http://")) {
      skip = 7;
    } else if (starts_with_icase(t, "https://")) {
      skip = 8;
    } else {
      return {400, "the request target must start with '/'"};
    }
    const std::size_t slash = t.find('/', skip);
    t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
  }
  const std::size_t hash = t.find('#');
  if (hash != std::string_view::npos) t = t.substr(0, hash);
  const std::size_t q = t.find('?');
  r.path = t.substr(0, q);
  r.query = q == std::string_view::npos ? std::string_view{} : t.substr(q + 1);
  return {};
}

ParseStatus parse_version(std::string_view v, Request& r) {
  if (v.size() != 8 || v.substr(0, 5) != "HTTP/" || v[6] != '.' || v[5] < '0' || v[5] > '9' ||
      v[7] < '0' || v[7] > '9') {
    return {400, "malformed HTTP version in the request line"};
  }
  if (v[5] != '1') return {505, "only HTTP/1.0 and HTTP/1.1 are supported"};
  r.minor_version = v[7] == '0' ? 0 : 1;
  return {};
}

ParseStatus parse_request_line(std::string_view line, const HeadLimits& limits, Request& r) {
  const std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return {400, "malformed request line"};
  r.method_name = line.substr(0, sp1);
  if (!is_token(r.method_name)) return {400, "malformed method in the request line"};
  if (r.method_name.size() > kMaxMethodBytes) return {501, "method not implemented"};
  r.method = method_from_name(r.method_name);
  const std::string_view rest = line.substr(sp1 + 1);
  const std::size_t sp2 = rest.find(' ');
  if (sp2 == std::string_view::npos) return {400, "malformed request line (HTTP/0.9 is not supported)"};
  r.target = rest.substr(0, sp2);
  if (r.target.size() > limits.max_uri_bytes) return {414, "request target too long"};
  if (r.target.empty() || !is_target(r.target)) return {400, "malformed request target"};
  if (ParseStatus s = parse_version(rest.substr(sp2 + 1), r); !s.ok()) return s;
  return split_target(r);
}

ParseStatus parse_header_line(std::string_view line, Request& r) {
  if (line.front() == ' ' || line.front() == '\t') return {400, "obsolete line folding in headers"};
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return {400, "header line without a colon"};
  const std::string_view name = line.substr(0, colon);
  if (!is_token(name)) return {400, "malformed header name"};
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (!is_field_value(value)) return {400, "control character in a header value"};
  r.headers.push_back({name, value});
  return {};
}

// Applies Content-Length, Transfer-Encoding, Connection, Expect and Host.
ParseStatus apply_framing(Request& r) {
  bool has_length = false;
  bool has_transfer_encoding = false;
  std::string_view transfer_encoding;
  int hosts = 0;
  bool close = false;
  bool keep_alive = false;
  for (const Header& h : r.headers) {
    if (iequals(h.name, "content-length")) {
      std::uint64_t n = 0;
      if (!parse_content_length(h.value, n)) return {400, "malformed Content-Length"};
      if (has_length && n != r.content_length) return {400, "conflicting Content-Length headers"};
      has_length = true;
      r.content_length = n;
    } else if (iequals(h.name, "transfer-encoding")) {
      if (has_transfer_encoding) return {501, "several Transfer-Encoding headers are not supported"};
      has_transfer_encoding = true;
      transfer_encoding = h.value;
    } else if (iequals(h.name, "host")) {
      ++hosts;
    } else if (iequals(h.name, "connection")) {
      close = close || list_contains_token(h.value, "close");
      keep_alive = keep_alive || list_contains_token(h.value, "keep-alive");
    } else if (iequals(h.name, "expect")) {
      if (!iequals(h.value, "100-continue")) return {417, "only 'Expect: 100-continue' is supported"};
      r.expect_continue = r.minor_version >= 1;
    }
  }
  if (hosts > 1) return {400, "more than one Host header"};
  if (hosts == 0 && r.minor_version >= 1) return {400, "HTTP/1.1 request without a Host header"};
  if (has_transfer_encoding) {
    if (r.minor_version == 0) return {400, "Transfer-Encoding in an HTTP/1.0 request"};
    if (has_length) return {400, "both Content-Length and Transfer-Encoding"};
    if (!iequals(transfer_encoding, "chunked")) return {501, "only the 'chunked' transfer coding is supported"};
    r.body_kind = BodyKind::Chunked;
  } else if (has_length && r.content_length > 0) {
    r.body_kind = BodyKind::Length;
  }
  r.keep_alive = r.minor_version >= 1 ? !close : (keep_alive && !close);
  if (r.body_kind == BodyKind::None) r.expect_continue = false;
  return {};
}

// Next line of `head` from `pos` (without its CRLF or LF); false on a bare CR.
bool next_line(std::string_view head, std::size_t& pos, std::string_view& line) {
  const std::size_t lf = head.find('\n', pos);
  std::size_t end = lf == std::string_view::npos ? head.size() : lf;
  line = head.substr(pos, end - pos);
  pos = lf == std::string_view::npos ? head.size() : lf + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line.find('\r') == std::string_view::npos;
}

}  // namespace

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

std::size_t count_leading_newlines(std::string_view data) {
  std::size_t n = 0;
  while (n < data.size() && (data[n] == '\r' || data[n] == '\n')) ++n;
  return n;
}

std::size_t find_head_end(std::string_view data, std::size_t& scan_from) {
  std::size_t i = scan_from;
  while (i < data.size()) {
    const void* hit = std::memchr(data.data() + i, '\n', data.size() - i);
    if (hit == nullptr) break;
    i = static_cast<std::size_t>(static_cast<const char*>(hit) - data.data());
    if (i + 1 >= data.size()) {
      scan_from = i;
      return std::string_view::npos;
    }
    if (data[i + 1] == '\n') return i + 2;
    if (data[i + 1] == '\r') {
      if (i + 2 >= data.size()) {
        scan_from = i;
        return std::string_view::npos;
      }
      if (data[i + 2] == '\n') return i + 3;
    }
    ++i;
  }
  scan_from = data.size();
  return std::string_view::npos;
}

ParseStatus check_partial_head(std::string_view partial, const HeadLimits& limits) {
  // The method must be a token followed by a space: refuse TLS handshakes and noise at once.
  const std::size_t method_end = std::min(partial.size(), kMaxMethodBytes + 1);
  for (std::size_t i = 0; i < method_end; ++i) {
    if (partial[i] == ' ') {
      if (i == 0) return {400, "malformed request line"};
      break;
    }
    if (!is_token_char(partial[i])) return {400, "malformed request line"};
    if (i == kMaxMethodBytes) return {501, "method not implemented"};
  }
  const std::size_t lf = partial.find('\n');
  const std::size_t line_limit = limits.max_uri_bytes + kRequestLineOverhead;
  if (lf == std::string_view::npos) {
    if (partial.size() > line_limit) return {414, "request target too long"};
    return {};
  }
  if (lf > line_limit) return {414, "request target too long"};
  if (partial.size() - (lf + 1) > limits.max_header_bytes) return {431, "request header fields too large"};
  return {};
}

ParseStatus parse_head(std::string_view head, const HeadLimits& limits, Request& r) {
  std::size_t pos = 0;
  std::string_view line;
  if (!next_line(head, pos, line)) return {400, "bare CR in the request line"};
  if (ParseStatus s = parse_request_line(line, limits, r); !s.ok()) return s;
  if (head.size() - pos > limits.max_header_bytes + 2) return {431, "request header fields too large"};
  while (pos < head.size()) {
    if (!next_line(head, pos, line)) return {400, "bare CR in a header line"};
    if (line.empty()) break;  // the end of the head
    if (static_cast<int>(r.headers.size()) >= limits.max_headers) return {431, "too many header fields"};
    if (ParseStatus s = parse_header_line(line, r); !s.ok()) return s;
  }
  return apply_framing(r);
}

bool parse_content_length(std::string_view value, std::uint64_t& length) {
  constexpr std::uint64_t kHuge = UINT64_MAX;
  bool first = true;
  std::uint64_t result = 0;
  while (true) {
    const std::size_t comma = value.find(',');
    const std::string_view item = trim_ows(value.substr(0, comma));
    if (item.empty()) return false;
    std::uint64_t n = 0;
    for (char c : item) {
      if (c < '0' || c > '9') return false;
      n = n > (kHuge - 9) / 10 ? kHuge : n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (!first && n != result) return false;
    result = n;
    first = false;
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  length = result;
  return true;
}

}  // namespace blnk::serve
