// The chunked body decoder: a byte-driven state machine, data copied in runs.
#include "serve/chunked_decoder.h"

#include <algorithm>

#include "serve/limits.h"

namespace blnk::serve {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void ChunkedDecoder::reset() {
  state_ = State::Size;
  chunk_size_ = 0;
  size_digits_ = 0;
  line_bytes_ = 0;
  error_ = "";
}

ChunkedDecoder::Result ChunkedDecoder::fail(const char* why) {
  error_ = why;
  return Result::Malformed;
}

ChunkedDecoder::Result ChunkedDecoder::feed(std::string_view in, std::size_t& consumed, std::string& body,
                                            std::size_t max_body) {
  std::size_t i = 0;
  consumed = 0;
  while (i < in.size() && state_ != State::Done) {
    const char c = in[i];
    switch (state_) {
      case State::Size: {
        const int h = hex_value(c);
        if (h >= 0) {
          if (++size_digits_ > kMaxChunkSizeDigits) return fail("chunk size too large");
          chunk_size_ = chunk_size_ * 16 + static_cast<std::uint64_t>(h);
        } else if (size_digits_ == 0) {
          return fail("malformed chunk size");
        } else if (c == ';' || c == ' ' || c == '\t') {
          state_ = State::Extension;
        } else if (c == '\r') {
          state_ = State::SizeLf;
        } else {
          return fail("malformed chunk size");
        }
        ++i;
        if (++line_bytes_ > kMaxChunkLineBytes) return fail("chunk size line too long");
        break;
      }
      case State::Extension: {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\r') {
          state_ = State::SizeLf;
        } else if ((u < 0x20 && c != '\t') || u == 0x7f) {
          return fail("control character in a chunk extension");
        }
        ++i;
        if (++line_bytes_ > kMaxChunkLineBytes) return fail("chunk size line too long");
        break;
      }
      case State::SizeLf: {
        if (c != '\n') return fail("chunk size line not ended by CRLF");
        ++i;
        line_bytes_ = 0;
        if (chunk_size_ == 0) {
          state_ = State::TrailerStart;
        } else {
          if (chunk_size_ > max_body || body.size() > max_body - chunk_size_) return Result::TooLarge;
          state_ = State::Data;
        }
        break;
      }
      case State::Data: {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_size_, in.size() - i));
        body.append(in.data() + i, n);
        i += n;
        chunk_size_ -= n;
        if (chunk_size_ == 0) state_ = State::DataCr;
        break;
      }
      case State::DataCr:
        if (c != '\r') return fail("chunk data not followed by CRLF");
        ++i;
        state_ = State::DataLf;
        break;
      case State::DataLf:
        if (c != '\n') return fail("chunk data not followed by CRLF");
        ++i;
        state_ = State::Size;
        size_digits_ = 0;
        chunk_size_ = 0;
        break;
      case State::TrailerStart:
        ++i;
        state_ = c == '\r' ? State::EndLf : State::TrailerLine;
        if (c == '\n') return fail("bare LF in the chunked trailer");
        if (++line_bytes_ > kMaxChunkTrailerBytes) return fail("chunked trailer too large");
        break;
      case State::TrailerLine:
        ++i;
        if (c == '\r') state_ = State::TrailerLf;
        if (c == '\n') return fail("bare LF in the chunked trailer");
        if (++line_bytes_ > kMaxChunkTrailerBytes) return fail("chunked trailer too large");
        break;
      case State::TrailerLf:
        if (c != '\n') return fail("bare CR in the chunked trailer");
        ++i;
        state_ = State::TrailerStart;
        break;
      case State::EndLf:
        if (c != '\n') return fail("chunked body not ended by CRLF");
        ++i;
        state_ = State::Done;
        break;
      case State::Done:
        break;
    }
  }
  consumed = i;
  return state_ == State::Done ? Result::Done : Result::NeedMore;
}

}  // namespace blnk::serve
