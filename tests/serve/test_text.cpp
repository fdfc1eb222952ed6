// Unit tests of the escapers, base64, number formatting, parameters, content
// negotiation and the page renderer.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "serve/page.h"
#include "serve/routes.h"
#include "serve/text.h"

using namespace blnk;
using namespace blnk::serve;

TEST_CASE("html_escape escapes markup and replaces invalid UTF-8 and controls") {
  CHECK(html_escape("<script>alert('x')</script>&\"") ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
  CHECK(html_escape("caf\xC3\xA9") == "caf\xC3\xA9");
  CHECK(html_escape("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(html_escape("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong
  CHECK(html_escape("\xED\xA0\x80").find("\xED") == std::string::npos);  // surrogate
  CHECK(html_escape(std::string("a\0b\x1b", 4)) == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
}

TEST_CASE("append_json_string produces valid JSON for any bytes") {
  std::string out;
  append_json_string(out, std::string("q\"b\\n\n\x01<\xFF", 9));
  CHECK(out == "\"q\\\"b\\\\n\\n\\u0001\\u003c\xEF\xBF\xBD\"");
}

TEST_CASE("base64 matches RFC 4648 test vectors") {
  auto b64 = [](std::string s) {
    std::string out;
    append_base64(out, {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
    return out;
  };
  CHECK(b64("") == "");
  CHECK(b64("f") == "Zg==");
  CHECK(b64("fo") == "Zm8=");
  CHECK(b64("foo") == "Zm9v");
  CHECK(b64("foob") == "Zm9vYg==");
  CHECK(b64("fooba") == "Zm9vYmE=");
  CHECK(b64("foobar") == "Zm9vYmFy");
}

TEST_CASE("numbers are formatted without locale and NaN becomes null") {
  std::string out;
  append_number(out, 0.5);
  out += ' ';
  append_number(out, NAN);
  out += ' ';
  append_fixed(out, 1.23456, 2);
  out += ' ';
  append_int(out, -42);
  CHECK(out == "0.5 null 1.23 -42");
}

TEST_CASE("header_param and media_type") {
  std::string v;
  CHECK(media_type(" Image/PNG ; q=1") == "Image/PNG");
  CHECK(header_param("form-data; name=\"a;b\"; filename=x.png", "filename", v));
  CHECK(v == "x.png");
  CHECK(header_param("form-data; name=\"a;b\"; filename=x.png", "name", v));
  CHECK(v == "a;b");
  CHECK_FALSE(header_param("form-data; name=\"a", "filename", v));
  bool malformed = false;
  CHECK_FALSE(header_param("form-data; name=\"a", "name", v, &malformed));
  CHECK(malformed);
  CHECK(percent_decode("%41%zz%4") == "A%zz%4");
}

TEST_CASE("wants_html follows Accept quality and ?format") {
  Request r;
  Header accept{"Accept", ""};
  auto with_accept = [&](std::string_view value, std::string_view query = "") {
    r.clear();
    accept.value = value;
    if (!value.empty()) r.headers.push_back(accept);
    r.query = query;
    return wants_html(r);
  };
  CHECK(with_accept("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
  CHECK_FALSE(with_accept("application/json"));
  CHECK_FALSE(with_accept("*/*"));
  CHECK_FALSE(with_accept(""));
  CHECK_FALSE(with_accept("text/html;q=0.5, application/json"));
  CHECK(with_accept("text/*, application/json;q=0.5"));
  CHECK(with_accept("application/json", "format=html"));
  CHECK_FALSE(with_accept("text/html", "format=json"));
}

TEST_CASE("the page template has its markers, a plain form and no external resources") {
  const std::string_view page = page_template();
  CHECK(page.find("<!--result-->") != std::string_view::npos);
  CHECK(page.find("{{model}}") != std::string_view::npos);
  CHECK(page.find("enctype=\"multipart/form-data\"") != std::string_view::npos);
  CHECK(page.find("name=\"upload\"") != std::string_view::npos);
  CHECK(page.find("action=\"/predict\"") != std::string_view::npos);
  CHECK(page.find("http://") == std::string_view::npos);
  CHECK(page.find("https://") == std::string_view::npos);
  const std::string rendered = render_page("<m>", 0.98, "<p>R</p>");
  CHECK(rendered.find("&lt;m&gt;") != std::string::npos);
  CHECK(rendered.find("<p>R</p>") != std::string::npos);
  CHECK(rendered.find("{{") == std::string::npos);
  CHECK(rendered.find("model &lt;m&gt; &middot; test accuracy 98.0%") != std::string::npos);
  // A model file that records no accuracy: its name alone, no dangling separator.
  const std::string unmeasured = render_page("seed.blnk", std::nan(""), "");
  CHECK(unmeasured.find("model seed.blnk</div>") != std::string::npos);
  // The model's kind is in the page itself, not only in its script's changes.
  CHECK(rendered.find("<title>blnk · digit recognizer</title>") != std::string::npos);
  CHECK(rendered.find("<h1>blnk <span>digits</span></h1>") != std::string::npos);
  CHECK(rendered.find("a photo of a digit, or of a number in one line") != std::string::npos);
  const std::vector<std::string> names = {"cat", "dog"};
  const std::string classes = render_page("pets.blnk", 0.9, "", names);
  CHECK(classes.find("{{") == std::string::npos);
  CHECK(classes.find("<title>blnk · image classifier</title>") != std::string::npos);
  CHECK(classes.find("<h1>blnk <span>classes</span></h1>") != std::string::npos);
  CHECK(classes.find("&middot; any image</p>") != std::string::npos);
  CHECK(classes.find("a photo of a digit") == std::string::npos);
  CHECK(classes.find("<html lang=\"en\" class=\"class-model\">") != std::string::npos);  // its layout: no pad, wide labels
  CHECK(rendered.find("<html lang=\"en\" class=\"digit-model\">") != std::string::npos);
}

TEST_CASE("the result box escapes the file name and shows only displayable uploads") {
  reader::Classification c;
  c.digit = 2;
  c.probability = 0.8f;
  c.probabilities.assign(10, 0.02f);
  c.probabilities[2] = 0.8f;
  c.seen_png = {1, 2, 3};
  const std::string png = "\x89PNG\r\n\x1a\nrest";
  const std::string html = render_result_html(
      c, "<img src=x onerror=alert(1)>.png",
      {reinterpret_cast<const std::uint8_t*>(png.data()), png.size()});
  CHECK(html.find("<img src=x") == std::string::npos);
  CHECK(html.find("&lt;img src=x onerror=alert(1)&gt;.png") != std::string::npos);
  CHECK(html.find("data:image/png;base64,iVBORw0KGgpyZXN0") != std::string::npos);
  CHECK(html.find("data:image/png;base64,AQID") != std::string::npos);
  const std::string svg = "<svg onload=alert(1)>";
  const std::string html2 =
      render_result_html(c, "x.svg", {reinterpret_cast<const std::uint8_t*>(svg.data()), svg.size()});
  CHECK(html2.find("<svg") == std::string::npos);
  CHECK(html2.find("no preview") != std::string::npos);
  const std::string err = render_error_html(415, "bad <b>", "<x>");
  CHECK(err.find("bad &lt;b&gt;") != std::string::npos);
  CHECK(err.find("&lt;x&gt;") != std::string::npos);
  CHECK(err.find("415") != std::string::npos);
}

TEST_CASE("the result box of a number says how sure its least sure digit is, and shows where the digits were found") {
  // The page without its script said "100.0% sure" for a number and drew no boxes (a first-time user's trial).
  reader::Classification c;
  c.verdict = reader::Verdict::number;
  c.number = "472";
  c.digits.resize(3);
  c.probability = 0.971f;
  c.seen_png = {1, 2, 3};
  c.found_png = {4, 5, 6};
  const std::string html = render_result_html(c, "desk.jpg", {});
  INFO(html);
  CHECK(html.find("<div class=\"digit\">472</div>") != std::string::npos);
  CHECK(html.find("3 digits &middot; the least sure at 97.1%") != std::string::npos);
  CHECK(html.find("what the network saw (28&times;28 each)") != std::string::npos);
  CHECK(html.find("class=\"found-picture\"") != std::string::npos);
  CHECK(html.find("data:image/png;base64,BAUG") != std::string::npos);
  CHECK(html.find("the digits found") != std::string::npos);
  // No found picture asked for (the JSON API's page draws its own boxes): no empty figure.
  c.found_png.clear();
  CHECK(render_result_html(c, "desk.jpg", {}).find("the digits found") == std::string::npos);
}
