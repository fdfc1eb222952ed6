// POST /predict over real sockets: raw and multipart uploads, JSON and HTML answers,
// classifier failures, multipart errors, hostile file names, and the limits that
// keep many uploads from exhausting memory.
#include <doctest/doctest.h>

#include "serve_test_util.h"

using namespace serve_test;

namespace {

const std::string kBrowserAccept = "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n";

std::string form_post(const std::string& body, const std::string& content_type, const std::string& extra = "") {
  return post("/predict", content_type, body, extra);
}

}  // namespace

TEST_CASE("predict: raw image body gives JSON with probabilities and top 3") {
  TestServer server;
  Client c(server.port());
  HttpResponse r = c.request(post("/predict", "image/png", kPngMagic + "data"));
  CHECK(r.status == 200);
  CHECK(r.header("content-type") == "application/json");
  const std::string& b = r.body;
  CHECK(b.starts_with("{\"digit\":7,\"probability\":0.91,\"probabilities\":[0.01,0,0.01,"));
  CHECK(b.find("\"top\":[{\"digit\":7,\"probability\":0.91},{\"digit\":0,") != std::string::npos);
  CHECK(b.find("\"elapsed_ms\":0.250") != std::string::npos);
  CHECK(b.find("\"model\":\"fake-net \\u003cv1>\"") != std::string::npos);
  CHECK(b.find("seen_png") == std::string::npos);

  r = c.request(post("/predict?seen=1", "application/octet-stream", "raw bytes"));
  CHECK(r.status == 200);
  CHECK(r.body.find("\"digit\":3") != std::string::npos);
  CHECK(r.body.find("\"seen_png\":\"iVBORwECAw==\"") != std::string::npos);

  r = c.request("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nanon");  // no Content-Type
  CHECK(r.status == 200);
}

TEST_CASE("predict: a browser form gets the page with the result and the file name is escaped") {
  TestServer server;
  Client c(server.port());
  const std::string hostile = "<script>alert(1)</script>\\\"'&.png";  // the quote escaped as in a quoted-string
  const std::string body = multipart_body("----WebKitFormBoundaryX", "upload", hostile, kPngMagic + "img");
  const HttpResponse r =
      c.request(form_post(body, "multipart/form-data; boundary=----WebKitFormBoundaryX", kBrowserAccept));
  CHECK(r.status == 200);
  CHECK(r.header("content-type").starts_with("text/html"));
  CHECK_FALSE(r.header("content-security-policy").empty());
  CHECK(r.body.find("<script>alert(1)") == std::string::npos);
  CHECK(r.body.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;.png") != std::string::npos);
  CHECK(r.body.find("class=\"digit\">7<") != std::string::npos);
  CHECK(r.body.find("91.0%") != std::string::npos);
  CHECK(r.body.find("src=\"data:image/png;base64,iVBORw0KGgppbWc=\"") != std::string::npos);  // the upload
  CHECK(r.body.find("class=\"seen\"") != std::string::npos);
  CHECK(r.body.find("<!--result-->") == std::string::npos);
}

TEST_CASE("predict: the page never shows a percentage or a favourite digit under a non-digit") {
  TestServer server;
  Client c(server.port());
  const std::string body = multipart_body("----WebKitFormBoundaryX", "upload", "a.png", "LETTER A");
  const HttpResponse r =
      c.request(form_post(body, "multipart/form-data; boundary=----WebKitFormBoundaryX", kBrowserAccept));
  CHECK(r.status == 200);
  const std::size_t from = r.body.find("<section id=\"result\"");
  REQUIRE(from != std::string::npos);
  const std::string result = r.body.substr(from, r.body.find("</section>", from) - from);
  CHECK(result.find("verdict-not_a_digit") != std::string::npos);
  CHECK(result.find("Not a digit") != std::string::npos);
  CHECK(result.find("this does not look like one digit (fake)") != std::string::npos);
  CHECK(result.find("class=\"digit\">?<") != std::string::npos);
  CHECK(result.find("sure") == std::string::npos);
  CHECK(result.find("<li class=\"best\">") == std::string::npos);
  CHECK(result.find("%") == std::string::npos);  // no bars with their percentages either
  CHECK(result.find("class=\"bars\"") == std::string::npos);
}

TEST_CASE("predict: the same form with fetch (Accept: application/json) gets JSON with the file name") {
  TestServer server;
  Client c(server.port());
  const std::string body = multipart_body("b0undary", "upload", "seven.png", kPngMagic);
  const HttpResponse r = c.request(
      form_post(body, "multipart/form-data; boundary=\"b0undary\"", "Accept: application/json\r\n"));
  CHECK(r.status == 200);
  CHECK(r.body.find("\"filename\":\"seven.png\"") != std::string::npos);
}

TEST_CASE("predict: multipart with LF-only line breaks and a quoted boundary works") {
  TestServer server;
  Client c(server.port());
  const std::string body = multipart_body("a b", "upload", "lf.png", kPngMagic, "\n");
  const HttpResponse r = c.request(form_post(body, "multipart/form-data; boundary=\"a b\""));
  CHECK(r.status == 200);
  CHECK(r.body.find("\"digit\":7") != std::string::npos);
}

TEST_CASE("predict: bad multipart bodies get 400 with a JSON error saying what is wrong") {
  TestServer server;
  struct Case {
    std::string content_type;
    std::string body;
    std::string expect;
  };
  const std::string good = multipart_body("XX", "upload", "a.png", kPngMagic);
  const Case cases[] = {
      {"multipart/form-data", good, "boundary"},
      {"multipart/form-data; boundary=XX", multipart_body("XX", "name", "", "text"), "no field named 'upload'"},
      {"multipart/form-data; boundary=XX", good.substr(0, good.size() - 8), "truncated"},
      {"multipart/form-data; boundary=XX", good.substr(0, 40), "truncated"},
      {"multipart/form-data; boundary=YY", good, "does not contain"},
      {"multipart/form-data; boundary=XX", multipart_body("XX", "upload", "", ""), "no file was uploaded"},
  };
  for (const Case& k : cases) {
    CAPTURE(k.expect);
    Client c(server.port());
    const HttpResponse r = c.request(form_post(k.body, k.content_type));
    CHECK(r.status == 400);
    CHECK(r.header("content-type") == "application/json");
    CHECK(r.body.find(k.expect) != std::string::npos);
    CHECK(r.body.find("\"status\":400") != std::string::npos);
    CHECK(c.request(get("/healthz")).status == 200);  // the connection is still usable
  }
}

TEST_CASE("predict: other content types, empty bodies and classifier failures") {
  TestServer server;
  Client c(server.port());
  HttpResponse r = c.request(post("/predict", "text/plain", "hello"));
  CHECK(r.status == 415);
  CHECK(r.body.find("text/plain") != std::string::npos);
  r = c.request("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\nContent-Length: 0\r\n\r\n");
  CHECK(r.status == 400);
  CHECK(r.body.find("empty body") != std::string::npos);
  r = c.request(post("/predict", "image/png", "BAD image"));
  CHECK(r.status == 415);
  CHECK(r.body == "{\"error\":\"unsupported image format (fake)\",\"status\":415}\n");
  r = c.request(post("/predict", "image/png", "NODIGIT"));
  CHECK(r.status == 422);
  CHECK(r.body.find("no digit found") != std::string::npos);
  CHECK(r.body.find("\"verdict\":\"not_a_digit\"}") != std::string::npos);  // nothing drawn is an answer too
  r = c.request(post("/predict", "image/png", "some digit"));
  CHECK(r.status == 200);
  CHECK(r.body.find("\"verdict\":\"digit\",\"reason\":\"\"") != std::string::npos);
  CHECK(r.body.find("single_digit") == std::string::npos);  // the fake has no gate
  r = c.request(post("/predict", "image/png", "LETTER A"));
  CHECK(r.status == 200);
  CHECK(r.body.find("\"verdict\":\"not_a_digit\",\"reason\":\"this does not look like one digit (fake)\"") !=
        std::string::npos);
  CHECK(r.body.find("\"single_digit\":0.01") != std::string::npos);
  r = c.request(post("/predict", "image/png", "WEIRD"));
  CHECK(r.status == 500);
  r = c.request(post("/predict", "image/png", "THROW"));
  CHECK(r.status == 500);
  CHECK(r.body.find("internal server error") != std::string::npos);
  CHECK(r.body.find("exploded") == std::string::npos);  // no internals leak
  r = c.request(get("/healthz"));
  CHECK(r.status == 200);
}

TEST_CASE("predict: a failed form upload gets the page with an error box and the failure status") {
  TestServer server;
  Client c(server.port());
  const std::string body = multipart_body("XX", "upload", "<b>bad</b>.gif", "BAD");
  const HttpResponse r = c.request(form_post(body, "multipart/form-data; boundary=XX", kBrowserAccept));
  CHECK(r.status == 415);
  CHECK(r.header("content-type").starts_with("text/html"));
  CHECK(r.body.find("class=\"result error\"") != std::string::npos);
  CHECK(r.body.find("unsupported image format (fake)") != std::string::npos);
  CHECK(r.body.find("&lt;b&gt;bad&lt;/b&gt;.gif") != std::string::npos);
}

TEST_CASE("predict: concurrent classifications are bounded and the overflow gets 503") {
  auto config = test_config();
  config.max_concurrent_classifications = 1;
  const FakeClassifier classifier;
  TestServer server(config, classifier);
  Client first(server.port());
  first.send(post("/predict", "image/png", "BLOCK"));
  REQUIRE(classifier.wait_blocked(1));
  Client second(server.port());  // handed to the other worker: it is the less loaded one
  const HttpResponse busy = second.request(post("/predict", "image/png", kPngMagic));
  CHECK(busy.status == 503);
  CHECK(busy.header("retry-after") == "1");
  classifier.release();
  HttpResponse r;
  REQUIRE(first.read_response(r));
  CHECK(r.status == 200);
  CHECK(second.request(post("/predict", "image/png", kPngMagic)).status == 200);
}

// Found by the hostile soak: the whole declared length used to be reserved when the
// body began, so seven requests promising 10 MiB and sending 3 bytes held every other
// upload off (503) until their body timeout, 60 s later.
TEST_CASE("predict: uploads that promise much and send little hold only a step of the body memory") {
  auto config = test_config();
  config.max_body_memory = 4 * blnk::serve::kBodyReservationStep;
  TestServer server(config);
  std::vector<std::unique_ptr<Client>> stalled;
  for (int i = 0; i < 3; ++i) {
    stalled.push_back(std::make_unique<Client>(server.port()));
    stalled.back()->send("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\n"
                         "Expect: 100-continue\r\nContent-Length: 5000000\r\n\r\n");
    HttpResponse r;
    REQUIRE(stalled.back()->read_response(r));
    CHECK(r.status == 100);  // reading its body (a 503 here was the old behaviour)
    stalled.back()->send("abc");
  }
  Client honest(server.port());
  CHECK(honest.request(post("/predict", "image/png", std::string(800, 'z'))).status == 200);
}

TEST_CASE("predict: bodies being received are bounded in memory and the overflow gets 503") {
  auto config = test_config();
  config.max_body_memory = 1000;
  TestServer server(config);
  Client first(server.port());
  first.send("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\nExpect: 100-continue\r\n"
             "Content-Length: 800\r\n\r\n");
  HttpResponse r;
  REQUIRE(first.read_response(r));
  REQUIRE(r.status == 100);  // its 800 bytes are reserved now
  Client second(server.port());
  r = second.request(post("/predict", "image/png", std::string(800, 'x')));
  CHECK(r.status == 503);
  first.send(std::string(800, 'y'));
  REQUIRE(first.read_response(r));
  CHECK(r.status == 200);
  Client third(server.port());
  CHECK(third.request(post("/predict", "image/png", std::string(800, 'z'))).status == 200);  // released
}
