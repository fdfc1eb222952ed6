// Unit tests of the multipart/form-data parser.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "serve/multipart.h"

using namespace blnk::serve;

namespace {

std::string form(const std::string& boundary, const std::string& eol, const std::string& data) {
  return "--" + boundary + eol + "Content-Disposition: form-data; name=\"upload\"; filename=\"a.png\"" + eol +
         "Content-Type: image/png" + eol + eol + data + eol + "--" + boundary + "--" + eol;
}

}  // namespace

TEST_CASE("multipart_boundary reads bare and quoted boundaries") {
  std::string b, err;
  CHECK(multipart_boundary("multipart/form-data; boundary=abc123", b, err));
  CHECK(b == "abc123");
  CHECK(multipart_boundary("multipart/form-data; charset=utf-8; BOUNDARY=\"a b;c\"", b, err));
  CHECK(b == "a b;c");
  CHECK_FALSE(multipart_boundary("multipart/form-data", b, err));
  CHECK(err.find("boundary") != std::string::npos);
  CHECK_FALSE(multipart_boundary("multipart/form-data; boundary=", b, err));
  CHECK_FALSE(multipart_boundary("multipart/form-data; boundary=\"abc", b, err));
  CHECK_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'x'), b, err));
}

TEST_CASE("multipart: CRLF and bare LF, preamble and epilogue, binary data") {
  const std::string data = std::string("\x89PNG\r\n\x1a\n\0\r\n--notboundary\r\n", 27);
  for (const std::string eol : {"\r\n", "\n"}) {
    std::vector<MultipartPart> parts;
    std::string err;
    const std::string body = "preamble" + eol + form("XyZ", eol, data) + "epilogue";
    REQUIRE_MESSAGE(parse_multipart(body, "XyZ", parts, err), err);
    REQUIRE(parts.size() == 1);
    CHECK(parts[0].name == "upload");
    CHECK(parts[0].filename == "a.png");
    CHECK(parts[0].content_type == "image/png");
    CHECK(parts[0].data == data);
  }
}

TEST_CASE("multipart: several fields, empty data, escaped and RFC 5987 file names") {
  const std::string body =
      "--B\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n\r\n\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"q\\\"uote.png\"\r\n\r\nDATA\r\n"
      "--B\r\nContent-Disposition: form-data; name=\"u2\"; filename=\"x\"; filename*=UTF-8''%E2%82%AC.png\r\n\r\nD2\r\n"
      "--B--";
  std::vector<MultipartPart> parts;
  std::string err;
  REQUIRE_MESSAGE(parse_multipart(body, "B", parts, err), err);
  REQUIRE(parts.size() == 4);
  CHECK(parts[0].data == "hi");
  CHECK(parts[1].data.empty());
  CHECK(parts[2].filename == "q\"uote.png");
  CHECK(parts[3].filename == "\xE2\x82\xAC.png");
  REQUIRE(find_part(parts, "upload") != nullptr);
  CHECK(find_part(parts, "upload")->data == "DATA");
  CHECK(find_part(parts, "missing") == nullptr);
}

TEST_CASE("multipart: truncated and malformed bodies name their problem") {
  const std::string full = form("B", "\r\n", "DATA");
  struct Case {
    std::string body;
    const char* expect;
  };
  const Case cases[] = {
      {"", "does not contain"},
      {"no boundary here", "does not contain"},
      {"--B", "truncated"},
      {"--B\r\nContent-Disposition: form-data; name=\"upload\"\r\n", "truncated"},
      {"--B\r\nContent-Disposition: form-data; name=\"upload\"\r\n\r\nDATA", "truncated"},
      {"--B\r\nContent-Disposition: form-data; name=\"upload\"\r\n\r\nDATA\r\n--B", "truncated"},
      {"--B\r\nContent-Disposition: form-data; name=\"upload\"\r\n\r\nDATA\r\n--Bx--", "truncated"},
      {"--B\r\nContent-Type: image/png\r\n\r\nDATA\r\n--B--", "Content-Disposition"},
      {"--B\r\nContent-Disposition: attachment; name=\"x\"\r\n\r\nDATA\r\n--B--", "form-data"},
      {"--B\r\nContent-Disposition: form-data\r\n\r\nDATA\r\n--B--", "field name"},
      {"--B\r\nbroken header\r\n\r\nDATA\r\n--B--", "colon"},
      {full.substr(0, full.size() - 5), "truncated"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    std::vector<MultipartPart> parts;
    std::string err;
    CHECK_FALSE(parse_multipart(c.body, "B", parts, err));
    CHECK(err.find(c.expect) != std::string::npos);
  }
}

TEST_CASE("multipart: too many parts and oversized part headers") {
  std::string body;
  for (int i = 0; i < 40; ++i) body += "--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
  body += "--B--\r\n";
  std::vector<MultipartPart> parts;
  std::string err;
  CHECK_FALSE(parse_multipart(body, "B", parts, err));
  CHECK(err.find("too many") != std::string::npos);
  body = "--B\r\nX-Long: " + std::string(10000, 'h') + "\r\n\r\nx\r\n--B--";
  CHECK_FALSE(parse_multipart(body, "B", parts, err));
  CHECK(err.find("too large") != std::string::npos);
}

TEST_CASE("multipart: linear on adversarial bodies and robust to random bytes") {
  // Many near-delimiters: each line almost matches a 70-byte boundary.
  const std::string boundary(70, '-');
  std::string body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"upload\"\r\n\r\n";
  while (body.size() < 4'000'000) body += "\n--" + std::string(69, '-') + "x";
  std::vector<MultipartPart> parts;
  std::string err;
  CHECK_FALSE(parse_multipart(body, boundary, parts, err));  // truncated, but quickly

  std::mt19937 rng(7);
  const std::string seed = form("B", "\r\n", "0123456789");
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = seed;
    for (int e = 0; e < 3; ++e) {
      const std::size_t pos = rng() % s.size();
      s[pos] = static_cast<char>(rng() % 2 ? rng() & 0xff : "-B\r\n\";="[rng() % 8]);
    }
    if (parse_multipart(s, "B", parts, err)) {
      for (const MultipartPart& p : parts) {
        REQUIRE(p.data.data() >= s.data());
        REQUIRE(p.data.data() + p.data.size() <= s.data() + s.size());
      }
    }
  }
}
