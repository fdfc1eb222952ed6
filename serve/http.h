// The request and response structs every handler sees, and small helpers on them.
// A Request holds views into buffers owned by its connection: valid while the
// handler runs, never after.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace blnk::serve {

enum class Method : std::uint8_t { Get, Head, Post, Put, Delete, Options, Patch, Other };

// How the body of a request is framed on the wire.
enum class BodyKind : std::uint8_t { None, Length, Chunked };

struct Header {
  std::string_view name;
  std::string_view value;  // without surrounding whitespace
};

struct Request {
  Method method = Method::Other;
  std::string_view method_name;  // as sent, e.g. "GET"
  std::string_view target;       // as sent, e.g. "/predict?seen=1"
  std::string_view path;         // target without the query, e.g. "/predict"
  std::string_view query;        // after '?', without it
  int minor_version = 1;         // HTTP/1.<minor_version>
  std::vector<Header> headers;
  BodyKind body_kind = BodyKind::None;
  std::uint64_t content_length = 0;  // BodyKind::Length only
  bool keep_alive = true;            // from the version and the Connection header
  bool expect_continue = false;      // Expect: 100-continue
  std::string_view body;             // the whole body, de-chunked
  std::string_view peer;             // remote address, for logs

  // First header of that name (case-insensitive), or "" when absent.
  std::string_view header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // Raw (not percent-decoded) value of a query parameter, or "" when absent.
  std::string_view query_param(std::string_view key) const;
  bool has_query_param(std::string_view key) const;
  void clear();
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::string headers;  // extra header lines, each "Name: value\r\n"
  bool close = false;   // close the connection once this response is sent

  void add_header(std::string_view name, std::string_view value);
};

// "OK", "Not Found", ...; "Unknown" for codes without a reason phrase here.
const char* status_reason(int status);

// ASCII case-insensitive comparison of header names and tokens.
bool iequals(std::string_view a, std::string_view b);
// Whether `list` (comma-separated tokens, as in Connection) contains `token`.
bool list_contains_token(std::string_view list, std::string_view token);
std::string_view trim_ows(std::string_view s);

}  // namespace blnk::serve
