// What people send to POST /predict beyond the page's own requests: curl's other
// field names and content types, named raw bodies, unknown ?format= values.
#include <doctest/doctest.h>

#include "serve_test_util.h"

using namespace serve_test;

namespace {

// A form of several text fields and, optionally, one file under `file_field`.
std::string form(const std::vector<std::string>& text_fields, const std::string& file_field = "",
                 const std::string& file_data = "") {
  std::string b;
  for (const std::string& name : text_fields)
    b += "--XX\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\nvalue\r\n";
  if (!file_field.empty())
    b += "--XX\r\nContent-Disposition: form-data; name=\"" + file_field +
         "\"; filename=\"x.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" + file_data + "\r\n";
  return b + "--XX--\r\n";
}

HttpResponse send(const TestServer& server, const std::string& request) {
  Client c(server.port());
  return c.request(request);
}

}  // namespace

TEST_CASE("predict: a form whose one file is not in the field 'upload' is read (curl -F file=@x.jpg)") {
  TestServer server;
  HttpResponse r = send(server, post("/predict", "multipart/form-data; boundary=XX", form({"note"}, "file", kPngMagic)));
  CHECK(r.status == 200);
  CHECK(r.body.find("\"digit\":7") != std::string::npos);
  CHECK(r.body.find("\"filename\":\"x.jpg\"") != std::string::npos);
}

TEST_CASE("predict: a form with no image field names the fields it sent") {
  TestServer server;
  HttpResponse r = send(server, post("/predict", "multipart/form-data; boundary=XX", form({"note", "size"})));
  CHECK(r.status == 400);
  CHECK(r.body.find("no field named 'upload'") != std::string::npos);
  CHECK(r.body.find("'note', 'size'") != std::string::npos);
  CHECK(r.body.find("curl -F upload=@photo.png") != std::string::npos);
  // Two files under other names: which one is meant is not guessed.
  std::string two = form({}, "a", kPngMagic);
  two.resize(two.size() - std::string("--XX--\r\n").size());
  two += "--XX\r\nContent-Disposition: form-data; name=\"b\"; filename=\"y.png\"\r\n\r\n" + kPngMagic + "\r\n--XX--\r\n";
  r = send(server, post("/predict", "multipart/form-data; boundary=XX", two));
  CHECK(r.status == 400);
  CHECK(r.body.find("'a', 'b'") != std::string::npos);
}

TEST_CASE("predict: raw image bytes under curl's default form type are known by their magic") {
  TestServer server;
  HttpResponse r = send(server, post("/predict", "application/x-www-form-urlencoded", kPngMagic + "data"));
  CHECK(r.status == 200);
  CHECK(r.body.find("\"digit\":7") != std::string::npos);
  for (const std::string& magic : {std::string("\xFF\xD8\xFF\xE0"), std::string("GIF89a"), std::string("P5\n28 28\n255\n"),
                                  std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)}) {
    CAPTURE(magic);
    CHECK(send(server, post("/predict", "application/x-www-form-urlencoded", magic + "data")).status == 200);
  }
  // Bytes that are no image keep the 415, and its message says how to send one.
  r = send(server, post("/predict", "application/x-www-form-urlencoded", "a=1&b=2"));
  CHECK(r.status == 415);
  CHECK(r.body.find("-H 'Content-Type: image/png'") != std::string::npos);
  CHECK(r.body.find("application/x-www-form-urlencoded") != std::string::npos);
}

TEST_CASE("predict: messages name the image: its file, a named raw body (the pad's drawing), or 'the uploaded image'") {
  TestServer server;
  HttpResponse r = send(server, post("/predict", "multipart/form-data; boundary=XX",
                                     multipart_body("XX", "upload", "scan.png", "NODIGIT")));
  CHECK(r.status == 422);
  CHECK(r.body.find("\"error\":\"scan.png: no digit found") != std::string::npos);
  r = send(server, post("/predict", "image/png", "NODIGIT", "Content-Disposition: inline; filename=\"drawing\"\r\n"));
  CHECK(r.status == 422);
  CHECK(r.body.find("\"error\":\"drawing: no digit found") != std::string::npos);
  CHECK(r.body.find("upload:") == std::string::npos);
  r = send(server, post("/predict", "image/png", "NODIGIT"));
  CHECK(r.body.find("\"error\":\"the uploaded image: no digit found") != std::string::npos);
  // A named raw body's answer carries its name, as a form's does.
  r = send(server, post("/predict", "image/png", kPngMagic, "Content-Disposition: inline; filename=\"drawing\"\r\n"));
  CHECK(r.status == 200);
  CHECK(r.body.find("\"filename\":\"drawing\"") != std::string::npos);
}

TEST_CASE("predict: ?format= other than json or html is a 400 naming the formats there are") {
  TestServer server;
  HttpResponse r = send(server, post("/predict?format=xml", "image/png", kPngMagic));
  CHECK(r.status == 400);
  CHECK(r.header("content-type") == "application/json");
  CHECK(r.body.find("unknown format 'xml'") != std::string::npos);
  CHECK(r.body.find("json or html") != std::string::npos);
  CHECK(send(server, post("/predict?format=json", "image/png", kPngMagic)).status == 200);
  r = send(server, post("/predict?format=html", "image/png", kPngMagic));
  CHECK(r.status == 200);
  CHECK(r.header("content-type").starts_with("text/html"));
}
