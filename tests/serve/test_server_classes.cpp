// A class model served (reader::Classifier::class_names not empty): the page lists its
// names and is in its mode for classes (the drawing pad is for digits), the JSON answer
// and the page's result name the class, and names are escaped where they are shown.
#include <doctest/doctest.h>

#include "serve_test_util.h"

using namespace serve_test;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Three classes, one with characters that must be escaped; answers "a <b>" for any image.
class FakeClassModel : public blnk::reader::Classifier {
 public:
  bool classify(std::span<const std::uint8_t>, const blnk::reader::ClassifyOptions&,
                blnk::reader::Classification& result, blnk::reader::ClassifyFailure&) const override {
    result.digit = 1;
    result.probabilities = {0.2f, 0.7f, 0.1f};
    result.probability = 0.7f;
    result.verdict = blnk::reader::Verdict::unjudged;
    result.seen_png = {0x89, 'P', 'N', 'G', 9};
    result.elapsed_ms = 0.5;
    return true;
  }
  std::string model_name() const override { return "shapes.blnk"; }
  double model_accuracy() const override { return 0.9; }
  std::vector<std::string> class_names() const override { return {"circle", "a <b>", "defect \"x\""}; }
};

}  // namespace

TEST_CASE("classes: the page lists a class model's names and the answers name the class") {
  const FakeClassModel model;
  TestServer server(test_config(), model);
  Client c(server.port());
  const HttpResponse page = c.request(get("/"));
  REQUIRE(page.status == 200);
  CHECK(contains(page.body, "<p id=\"classes\" class=\"classes\" data-names=\"[&quot;circle&quot;,&quot;a \\u003cb&gt;&quot;,"
                            "&quot;defect \\&quot;x\\&quot;&quot;]\">3 classes: <b>circle</b>, <b>a &lt;b&gt;</b>, "
                            "<b>defect &quot;x&quot;</b></p>"));
  CHECK(!contains(page.body, "{{classes}}"));

  const HttpResponse json = c.request(post("/predict?seen=1", "image/png", kPngMagic + "data"));
  REQUIRE(json.status == 200);
  CHECK(json.body.starts_with("{\"class\":\"a \\u003cb>\",\"index\":1,\"probability\":0.7,\"probabilities\":[0.2,0.7,0.1],"
                              "\"top\":[{\"class\":\"a \\u003cb>\",\"probability\":0.7},{\"class\":\"circle\","));
  CHECK(!contains(json.body, "\"digit\""));
  CHECK(!contains(json.body, "\"verdict\""));

  const HttpResponse html = c.request(post("/predict", "image/png", kPngMagic + "data",
                                           "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"));
  REQUIRE(html.status == 200);
  CHECK(contains(html.body, "class=\"result ok verdict-class\""));
  CHECK(contains(html.body, "<div class=\"digit name\">a &lt;b&gt;</div><div class=\"meta\"><div class=\"prob\">70.0% sure"));
  CHECK(contains(html.body, "<span class=\"label\" title=\"defect &quot;x&quot;\">defect &quot;x&quot;</span>"));
  CHECK(contains(html.body, "<p id=\"classes\""));  // the page stays in its mode for classes

  const HttpResponse api = c.request(get("/api"));  // the names for API clients too
  REQUIRE(api.status == 200);
  CHECK(contains(api.body, "\"classes\": [\"circle\", \"a \\u003cb>\", "));
}

TEST_CASE("classes: a digit reader's page has no class list") {
  TestServer server;
  Client c(server.port());
  const HttpResponse page = c.request(get("/"));
  REQUIRE(page.status == 200);
  CHECK(!contains(page.body, "<p id=\"classes\""));
  CHECK(!contains(page.body, "{{classes}}"));
  CHECK(!contains(c.request(get("/api")).body, "\"classes\""));
}
