// Serialization of a Response onto a connection's output buffer: status line,
// the standard headers (Server, Date, Content-Type, Content-Length, Connection),
// the handler's extra headers and the body, in one contiguous run for one send().
#pragma once

#include <string>
#include <string_view>

#include "serve/byte_buffer.h"
#include "serve/http.h"

namespace blnk::serve {

// `head_only` leaves out the body (HEAD); `keep_alive_header` adds
// "Connection: keep-alive" (an HTTP/1.0 client that asked for it).
void write_response(ByteBuffer& out, const Response& response, bool close, bool head_only, bool keep_alive_header);

// "Tue, 24 Nov 2026 05:48:17 GMT", cached per second and per thread.
std::string_view http_date();
// "2026-11-24T05:48:17Z", for the access log, cached the same way.
std::string_view iso_time();

}  // namespace blnk::serve
