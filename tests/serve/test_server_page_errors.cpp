// What a browser form gets when its upload is refused: the page with the error box,
// even when the body limit cuts the request before it is read; and a form with
// several files is refused saying so, never read as its first file in silence.
#include <doctest/doctest.h>

#include "serve_test_util.h"

using namespace serve_test;

namespace {

constexpr std::string_view kBrowserAccept =
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r\n";

}  // namespace

TEST_CASE("page errors: an upload over the limit from a browser form gets the page with a 413 error box") {
  auto config = test_config();
  config.max_body_bytes = 64 * 1024;
  TestServer server(config);
  Client c(server.port());
  c.send("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: " +
         std::to_string(5 * 1024 * 1024) + "\r\n" + std::string(kBrowserAccept) + "\r\n");
  c.send(std::string(128 * 1024, 'x'));  // part of it: the answer comes before the body is read
  HttpResponse r;
  REQUIRE(c.read_response(r));
  CHECK(r.status == 413);
  CHECK(r.header("content-type").starts_with("text/html"));
  CHECK(r.body.find("<!doctype html>") != std::string::npos);
  CHECK(r.body.find("class=\"result error\"") != std::string::npos);
  CHECK(r.body.find("larger than the limit of 64 KiB") != std::string::npos);
  CHECK(r.header("connection") == "close");
}

TEST_CASE("page errors: an upload over the limit from curl or fetch still gets the JSON error") {
  auto config = test_config();
  config.max_body_bytes = 64 * 1024;
  TestServer server(config);
  for (const std::string accept : {"", "Accept: */*\r\n", "Accept: application/json\r\n"}) {
    Client c(server.port());
    c.send("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n" + accept +
           "\r\n");
    HttpResponse r;
    REQUIRE(c.read_response(r));
    CHECK(r.status == 413);
    CHECK(r.header("content-type") == "application/json");
    CHECK(r.body.find("\"status\":413") != std::string::npos);
  }
}

TEST_CASE("page errors: two files in one form are refused with 400 saying so, as JSON or as the page") {
  TestServer server;
  std::string body = multipart_body("b0undary", "upload", "one.png", kPngMagic + "1");
  body.resize(body.size() - std::string("--b0undary--\r\n").size());  // reopen the form for a second file
  body += "--b0undary\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"two.png\"\r\n\r\n" + kPngMagic + "2\r\n";
  body += "--b0undary--\r\n";
  const std::string type = "multipart/form-data; boundary=b0undary";
  Client json(server.port());
  HttpResponse r = json.request(post("/predict", type, body));
  CHECK(r.status == 400);
  CHECK(r.body.find("2 files in the field 'upload'") != std::string::npos);
  Client page(server.port());
  r = page.request(post("/predict", type, body, kBrowserAccept));
  CHECK(r.status == 400);
  CHECK(r.header("content-type").starts_with("text/html"));
  CHECK(r.body.find("2 files in the field") != std::string::npos);
}
