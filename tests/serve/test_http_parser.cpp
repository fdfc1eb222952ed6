// Unit tests of the request head parser and Content-Length parsing.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "serve/http_parser.h"

using namespace blnk::serve;

namespace {

const HeadLimits kLimits{8192, 8192, 100};

// Parses a copy that outlives the call: the request's views point into it.
ParseStatus parse(const std::string& head, Request& r) {
  static std::string held;
  held = head;
  r.clear();
  return parse_head(held, kLimits, r);
}

}  // namespace

TEST_CASE("parse_head reads the request line, headers, path and query") {
  Request r;
  const std::string head = "POST /predict?seen=1&x HTTP/1.1\r\nHost: a\r\nContent-Type:  image/png \r\n"
                           "Content-Length: 12\r\nX-Empty:\r\n\r\n";
  REQUIRE(parse(head, r).ok());
  CHECK(r.method == Method::Post);
  CHECK(r.method_name == "POST");
  CHECK(r.target == "/predict?seen=1&x");
  CHECK(r.path == "/predict");
  CHECK(r.query == "seen=1&x");
  CHECK(r.query_param("seen") == "1");
  CHECK(r.has_query_param("x"));
  CHECK_FALSE(r.has_query_param("y"));
  CHECK(r.minor_version == 1);
  CHECK(r.header("content-type") == "image/png");
  CHECK(r.header("CONTENT-TYPE") == "image/png");
  CHECK(r.has_header("x-empty"));
  CHECK(r.header("x-empty").empty());
  CHECK(r.body_kind == BodyKind::Length);
  CHECK(r.content_length == 12);
  CHECK(r.keep_alive);
}

TEST_CASE("parse_head accepts bare LF line ends, absolute-form and OPTIONS *") {
  Request r;
  REQUIRE(parse("GET /healthz HTTP/1.1\nHost: a\n\n", r).ok());
  CHECK(r.path == "/healthz");
  REQUIRE(parse("GET http://example.com/api?q=1 HTTP/1.1\r\nHost: a\r\n\r\n", r).ok());
  CHECK(r.path == "/api");
  CHECK(r.query == "q=1");
  REQUIRE(parse("GET http://example.com HTTP/1.1\r\nHost: a\r\n\r\n", r).ok());
  CHECK(r.path == "/");
  REQUIRE(parse("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", r).ok());
  CHECK(r.path == "*");
  CHECK(parse("GET * HTTP/1.1\r\nHost: a\r\n\r\n", r).status == 400);
}

TEST_CASE("parse_head applies HTTP/1.0, Connection and Expect") {
  Request r;
  REQUIRE(parse("GET / HTTP/1.0\r\n\r\n", r).ok());
  CHECK(r.minor_version == 0);
  CHECK_FALSE(r.keep_alive);
  REQUIRE(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", r).ok());
  CHECK(r.keep_alive);
  REQUIRE(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, close\r\n\r\n", r).ok());
  CHECK_FALSE(r.keep_alive);
  REQUIRE(parse("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n", r).ok());
  CHECK(r.expect_continue);
  REQUIRE(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n", r).ok());
  CHECK(r.body_kind == BodyKind::Chunked);
  REQUIRE(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", r).ok());
  CHECK(r.body_kind == BodyKind::None);
}

TEST_CASE("parse_head refuses malformed and dangerous heads with the right status") {
  Request r;
  struct Case {
    const char* head;
    int status;
  };
  const Case cases[] = {
      {"GET / HTTP/1.1\r\n\r\n", 400},                                               // no Host
      {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},                          // two Hosts
      {"GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505},
      {"GET / HTTX/1.1\r\nHost: a\r\n\r\n", 400},
      {"GET /\r\n\r\n", 400},                                                         // HTTP/0.9
      {"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", 400},                                    // double space
      {"G(T / HTTP/1.1\r\nHost: a\r\n\r\n", 400},
      {"GET noslash HTTP/1.1\r\nHost: a\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400},                                    // space before colon
      {"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", 400},                          // obs-fold
      {"GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n", 400},                                  // bare CR
      {"GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n", 400},                                 // control
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1x\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501},
      {"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\n", 417},
      {"ABCDEFGHIJKLMNOPQRSTUVWXYZ / HTTP/1.1\r\nHost: a\r\n\r\n", 501},
  };
  for (const Case& c : cases) {
    CAPTURE(c.head);
    CHECK(parse(c.head, r).status == c.status);
  }
}

TEST_CASE("parse_head enforces the URI, header size and header count limits") {
  Request r;
  const HeadLimits small{32, 64, 3};
  std::string head = "GET /" + std::string(40, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n";
  CHECK(parse_head(head, small, r).status == 414);
  r.clear();
  head = "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(80, 'b') + "\r\n\r\n";
  CHECK(parse_head(head, small, r).status == 431);
  r.clear();
  head = "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
  CHECK(parse_head(head, small, r).status == 431);
}

TEST_CASE("check_partial_head refuses early what cannot become a valid head") {
  const HeadLimits small{32, 64, 3};
  CHECK(check_partial_head("GET /abc", small).ok());
  CHECK(check_partial_head("GE", small).ok());
  CHECK(check_partial_head("GET /" + std::string(100, 'a'), small).status == 414);
  CHECK(check_partial_head("GET / HTTP/1.1\r\nX: " + std::string(100, 'a'), small).status == 431);
  CHECK(check_partial_head(std::string("\x16\x03\x01\x02\x00", 5), small).status == 400);  // TLS hello
  CHECK(check_partial_head(" GET", small).status == 400);
  CHECK(check_partial_head(std::string(40, 'A'), small).status == 501);
}

TEST_CASE("find_head_end finds the end incrementally, byte by byte") {
  const std::string heads[] = {"GET / HTTP/1.1\r\nHost: a\r\n\r\nNEXT", "GET / HTTP/1.1\nHost: a\n\nNEXT",
                               "GET / HTTP/1.1\r\nHost: a\n\r\nNEXT"};
  for (const std::string& full : heads) {
    const std::size_t expected = full.find("NEXT");
    std::size_t scan = 0;
    std::size_t found = std::string::npos;
    for (std::size_t n = 1; n <= full.size() && found == std::string::npos; ++n) {
      found = find_head_end(std::string_view(full).substr(0, n), scan);
    }
    CHECK(found == expected);
    std::size_t scan2 = 0;
    CHECK(find_head_end(full, scan2) == expected);
  }
  std::size_t scan = 0;
  CHECK(find_head_end("GET / HTTP/1.1\r\nHost: a\r\n", scan) == std::string::npos);
  CHECK(count_leading_newlines("\r\n\r\nGET") == 4);
}

TEST_CASE("parse_content_length") {
  std::uint64_t n = 0;
  CHECK(parse_content_length("0", n));
  CHECK(n == 0);
  CHECK(parse_content_length("42", n));
  CHECK(n == 42);
  CHECK(parse_content_length("42, 42", n));
  CHECK(n == 42);
  CHECK_FALSE(parse_content_length("42, 43", n));
  CHECK_FALSE(parse_content_length("", n));
  CHECK_FALSE(parse_content_length("+1", n));
  CHECK_FALSE(parse_content_length("1 2", n));
  CHECK(parse_content_length("99999999999999999999999999", n));
  CHECK(n == UINT64_MAX);
}

TEST_CASE("the head parser survives random and mutated input") {
  std::mt19937 rng(1234);
  const std::string seed = "POST /predict?seen=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                           "Transfer-Encoding: chunked\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
  static const char kAlphabet[] = "\r\n :;,/?-\t\"\\\x00\x7f\xff" "aAzZ019HTTP/1.";
  const std::string alphabet(kAlphabet, sizeof kAlphabet - 1);
  Request r;
  for (int iter = 0; iter < 20000; ++iter) {
    std::string s = seed;
    const int edits = 1 + static_cast<int>(rng() % 8);
    for (int e = 0; e < edits; ++e) {
      const std::size_t pos = rng() % (s.size() + 1);
      switch (rng() % 3) {
        case 0: s.insert(pos, 1, alphabet[rng() % alphabet.size()]); break;
        case 1: if (pos < s.size()) s.erase(pos, 1); break;
        default: if (pos < s.size()) s[pos] = static_cast<char>(rng() & 0xff); break;
      }
    }
    std::size_t scan = 0;
    const std::size_t end = find_head_end(s, scan);
    (void)check_partial_head(s, kLimits);
    r.clear();
    const ParseStatus st = parse_head(end == std::string::npos ? std::string_view(s) : std::string_view(s).substr(0, end),
                                      kLimits, r);
    CHECK((st.ok() || (st.status >= 400 && st.status < 600)));
  }
}
