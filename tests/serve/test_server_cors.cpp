// Cross-origin requests: nothing by default; with cors_origins (blnk serve --cors)
// the preflight is answered and the answers carry Access-Control-Allow-Origin.
#include <doctest/doctest.h>

#include "serve/cors.h"
#include "serve_test_util.h"

using namespace serve_test;

namespace {

const std::string kOrigin = "Origin: https://app.example\r\n";
const std::string kPreflight =
    "OPTIONS /predict HTTP/1.1\r\nHost: test\r\nOrigin: https://app.example\r\n"
    "Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n\r\n";

blnk::serve::ServerConfig with_cors(std::vector<std::string> origins) {
  blnk::serve::ServerConfig c = test_config();
  c.cors_origins = std::move(origins);
  return c;
}

}  // namespace

TEST_CASE("cors: without --cors no answer carries Access-Control headers") {
  TestServer server;
  Client c(server.port());
  HttpResponse r = c.request(kPreflight);
  CHECK(r.status == 204);
  CHECK(r.header("access-control-allow-origin").empty());
  CHECK(r.header("access-control-allow-methods").empty());
  r = c.request(post("/predict", "image/png", kPngMagic, kOrigin));
  CHECK(r.status == 200);
  CHECK(r.header("access-control-allow-origin").empty());
}

TEST_CASE("cors: a listed origin gets its preflight answered and the headers on answers and errors") {
  TestServer server(with_cors({"https://other.example", "https://app.example"}));
  Client c(server.port());
  HttpResponse r = c.request(kPreflight);
  CHECK(r.status == 204);
  CHECK(r.header("access-control-allow-origin") == "https://app.example");
  CHECK(r.header("access-control-allow-methods") == "POST, OPTIONS");
  CHECK(r.header("access-control-allow-headers").find("Content-Type") != std::string::npos);
  CHECK(r.header("access-control-max-age") == "600");
  CHECK(r.header("vary") == "Origin");
  r = c.request(post("/predict", "image/png", kPngMagic, kOrigin));
  CHECK(r.status == 200);
  CHECK(r.header("access-control-allow-origin") == "https://app.example");
  CHECK(r.header("access-control-allow-methods").empty());  // only on a preflight
  r = c.request(post("/predict", "text/plain", "hello", kOrigin));  // an error the page must be able to read
  CHECK(r.status == 415);
  CHECK(r.header("access-control-allow-origin") == "https://app.example");
  // Another origin, and a request with no Origin, get nothing.
  r = c.request(post("/predict", "image/png", kPngMagic, "Origin: https://evil.example\r\n"));
  CHECK(r.status == 200);
  CHECK(r.header("access-control-allow-origin").empty());
  r = c.request(post("/predict", "image/png", kPngMagic));
  CHECK(r.header("access-control-allow-origin").empty());
}

TEST_CASE("cors: * lets any origin call, without Vary") {
  TestServer server(with_cors({"*"}));
  Client c(server.port());
  HttpResponse r = c.request(get("/api", kOrigin));
  CHECK(r.status == 200);
  CHECK(r.header("access-control-allow-origin") == "*");
  CHECK(r.header("vary").empty());
  r = c.request(kPreflight);
  CHECK(r.header("access-control-allow-origin") == "*");
  CHECK(r.header("access-control-allow-methods") == "POST, OPTIONS");
}

TEST_CASE("cors: what --cors takes as an origin") {
  using blnk::serve::valid_cors_origin;
  CHECK(valid_cors_origin("*"));
  CHECK(valid_cors_origin("https://example.org"));
  CHECK(valid_cors_origin("http://localhost:3000"));
  CHECK(valid_cors_origin("http://[::1]:8080"));
  CHECK_FALSE(valid_cors_origin("example.org"));
  CHECK_FALSE(valid_cors_origin("https://example.org/"));
  CHECK_FALSE(valid_cors_origin("ftp://example.org"));
  CHECK_FALSE(valid_cors_origin("https://"));
  CHECK_FALSE(valid_cors_origin("https://a b"));
}
