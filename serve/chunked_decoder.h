// Incremental decoder of a chunked request body (RFC 9112, section 7.1). Fed the
// bytes as they arrive, it appends the chunk data to the body and stops at the end
// of the trailer, leaving any pipelined bytes unconsumed. Strict CRLF framing,
// bounded line lengths and chunk sizes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace blnk::serve {

class ChunkedDecoder {
 public:
  enum class Result { NeedMore, Done, Malformed, TooLarge };

  void reset();
  // Consumes a prefix of `in` (its length goes to `consumed`) and appends the chunk
  // data to `body`, which may never grow beyond `max_body` bytes.
  Result feed(std::string_view in, std::size_t& consumed, std::string& body, std::size_t max_body);
  // Why the last feed returned Malformed.
  const char* error() const { return error_; }

 private:
  enum class State { Size, Extension, SizeLf, Data, DataCr, DataLf, TrailerStart, TrailerLine, TrailerLf, EndLf, Done };

  Result fail(const char* why);

  State state_ = State::Size;
  std::uint64_t chunk_size_ = 0;  // of the chunk being read; then what remains of it
  int size_digits_ = 0;
  std::size_t line_bytes_ = 0;     // of the size line, then of the trailer
  const char* error_ = "";
};

}  // namespace blnk::serve
