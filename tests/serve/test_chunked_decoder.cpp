// Unit tests of the chunked body decoder.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "serve/chunked_decoder.h"

using blnk::serve::ChunkedDecoder;
using Result = ChunkedDecoder::Result;

namespace {

Result decode_all(const std::string& in, std::string& body, std::size_t& consumed, std::size_t max_body = 1 << 20) {
  ChunkedDecoder d;
  body.clear();
  return d.feed(in, consumed, body, max_body);
}

}  // namespace

TEST_CASE("chunked: whole body, extensions, trailer, pipelined bytes left alone") {
  const std::string in = "5;name=\"v\"\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: 1\r\n\r\nGET / HTTP/1.1";
  std::string body;
  std::size_t consumed = 0;
  CHECK(decode_all(in, body, consumed) == Result::Done);
  CHECK(body == "hello world");
  CHECK(in.substr(consumed) == "GET / HTTP/1.1");
}

TEST_CASE("chunked: byte by byte gives the same result") {
  const std::string in = "A\r\n0123456789\r\n1f\r\n" + std::string(31, 'x') + "\r\n0\r\n\r\n";
  ChunkedDecoder d;
  std::string body;
  Result r = Result::NeedMore;
  for (std::size_t i = 0; i < in.size(); ++i) {
    std::size_t consumed = 0;
    r = d.feed(std::string_view(in).substr(i, 1), consumed, body, 1 << 20);
    REQUIRE(consumed == 1);
    if (i + 1 < in.size()) REQUIRE(r == Result::NeedMore);
  }
  CHECK(r == Result::Done);
  CHECK(body == "0123456789" + std::string(31, 'x'));
}

TEST_CASE("chunked: malformed framing is refused") {
  const char* bad[] = {
      "g\r\n",                      // not hex
      "\r\n",                       // empty size
      "5\nhello\r\n0\r\n\r\n",      // bare LF after size
      "5\r\nhelloX\r\n",            // data not followed by CRLF
      "5\r\nhello\n0\r\n\r\n",      // bare LF after data
      "0\r\nX: 1\n\r\n",            // bare LF in trailer
      "0\r\n\rX",                   // CR not followed by LF at the end
      "1234567890123456\r\n",       // too many digits
      "5;\x01\r\n",                 // control in extension
  };
  for (const char* in : bad) {
    CAPTURE(in);
    std::string body;
    std::size_t consumed = 0;
    CHECK(decode_all(in, body, consumed) == Result::Malformed);
  }
  std::string body;
  std::size_t consumed = 0;
  CHECK(decode_all("1;" + std::string(2000, 'e') + "\r\n", body, consumed) == Result::Malformed);
  CHECK(decode_all("0\r\n" + std::string(9000, 't'), body, consumed) == Result::Malformed);
}

TEST_CASE("chunked: a body over the limit is TooLarge before its data is read") {
  std::string body;
  std::size_t consumed = 0;
  CHECK(decode_all("10\r\n", body, consumed, 15) == Result::TooLarge);
  CHECK(decode_all("8\r\n12345678\r\n8\r\n", body, consumed, 15) == Result::TooLarge);
  CHECK(decode_all("FFFFFFFFFFFFFFF\r\n", body, consumed, 100) == Result::TooLarge);
  CHECK(decode_all("8\r\n12345678\r\n7\r\n1234567\r\n0\r\n\r\n", body, consumed, 15) == Result::Done);
}

TEST_CASE("chunked: survives random input without growing past the limit") {
  std::mt19937 rng(99);
  const std::string seed = "5;a=b\r\nhello\r\n0\r\nT: x\r\n\r\n";
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = seed;
    for (int e = 0; e < 4; ++e) {
      const std::size_t pos = rng() % s.size();
      s[pos] = static_cast<char>(rng() % 3 == 0 ? rng() & 0xff : "0123456789abcdef\r\n;"[rng() % 20]);
    }
    ChunkedDecoder d;
    std::string body;
    std::size_t consumed = 0;
    d.feed(s, consumed, body, 64);
    REQUIRE(consumed <= s.size());
    REQUIRE(body.size() <= 64);
  }
}
