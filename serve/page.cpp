// Rendering of the page and of its result and error boxes. Everything that came
// from the client (file name, image bytes) is escaped or base64-encoded here.
#include "serve/page.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "serve/limits.h"
#include "serve/text.h"

namespace blnk::serve {

extern const char kPageHtml[];
extern const std::size_t kPageHtmlSize;

namespace {

constexpr std::string_view kModelMarker = "{{model}}";
constexpr std::string_view kAccuracyMarker = "{{accuracy}}";
constexpr std::string_view kClassesMarker = "{{classes}}";
// What the model is and takes, in the title, the heading and the upload's hint.
struct KindMarker {
  std::string_view marker, digits, classes;
};
constexpr KindMarker kKindMarkers[] = {
    {"{{model_kind}}", "digit-model", "class-model"},  // the <html> element's class, for the page's style
    {"{{title}}", "digit recognizer", "image classifier"},
    {"{{kind}}", "digits", "classes"},
    {"{{takes}}", "a photo of a digit, or of a number in one line", "any image"},
};
constexpr std::string_view kResultMarker = "<!--result-->";
constexpr std::string_view kPortableAnymap = "image/x-portable-anymap";

void append_percent(std::string& out, double p) {
  append_fixed(out, std::clamp(p, 0.0, 1.0) * 100.0, 1);
  out.push_back('%');
}

// A class model's names: shown, and given to the page's script (data-names, a JSON
// list), which hides the drawing pad and labels the answers with them.
void append_classes_html(std::string& out, std::span<const std::string> classes) {
  if (classes.empty()) return;
  std::string names_json = "[";
  for (std::size_t k = 0; k < classes.size(); ++k) {
    if (k) names_json.push_back(',');
    append_json_string(names_json, classes[k]);
  }
  names_json.push_back(']');
  out.append("<p id=\"classes\" class=\"classes\" data-names=\"");
  append_html_escaped(out, names_json);
  out.append("\">");
  append_int(out, static_cast<long long>(classes.size()));
  out.append(" classes: ");
  for (std::size_t k = 0; k < classes.size(); ++k) {
    if (k) out.append(", ");
    out.append("<b>");
    append_html_escaped(out, classes[k]);
    out.append("</b>");
  }
  out.append("</p>");
}

}  // namespace

std::string_view page_template() { return {kPageHtml, kPageHtmlSize}; }

std::string render_page(std::string_view model_name, double model_accuracy, std::string_view result_html,
                        std::span<const std::string> classes) {
  const std::string_view tpl = page_template();
  std::string out;
  out.reserve(tpl.size() + result_html.size() + 64);
  std::size_t pos = 0;
  while (pos < tpl.size()) {
    const std::size_t m = tpl.find("{{", pos);
    const std::size_t r = tpl.find(kResultMarker, pos);
    const std::size_t next = std::min(m, r);
    if (next == std::string_view::npos) {
      out.append(tpl.substr(pos));
      break;
    }
    out.append(tpl.substr(pos, next - pos));
    if (next == r) {
      out.append(result_html);
      pos = r + kResultMarker.size();
    } else if (tpl.compare(m, kModelMarker.size(), kModelMarker) == 0) {
      append_html_escaped(out, model_name);
      pos = m + kModelMarker.size();
    } else if (tpl.compare(m, kAccuracyMarker.size(), kAccuracyMarker) == 0) {
      if (std::isfinite(model_accuracy)) {  // nothing, not a dangling separator, for a model without one
        out.append(" &middot; test accuracy ");
        append_percent(out, model_accuracy);
      }
      pos = m + kAccuracyMarker.size();
    } else if (tpl.compare(m, kClassesMarker.size(), kClassesMarker) == 0) {
      append_classes_html(out, classes);
      pos = m + kClassesMarker.size();
    } else {
      const KindMarker* kind = nullptr;
      for (const KindMarker& k : kKindMarkers)
        if (tpl.compare(m, k.marker.size(), k.marker) == 0) kind = &k;
      if (kind) {
        out.append(classes.empty() ? kind->digits : kind->classes);
        pos = m + kind->marker.size();
      } else {
        out.append("{{");
        pos = m + 2;
      }
    }
  }
  return out;
}

std::string_view sniff_displayable_image(std::span<const std::uint8_t> b) {
  const std::string_view type = sniff_image(b);
  return type == kPortableAnymap ? std::string_view() : type;
}

std::string_view sniff_image(std::span<const std::uint8_t> b) {
  auto starts = [&](std::string_view magic, std::size_t at = 0) {
    return b.size() >= at + magic.size() && std::memcmp(b.data() + at, magic.data(), magic.size()) == 0;
  };
  if (starts("\x89PNG\r\n\x1a\n")) return "image/png";
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (starts("RIFF") && starts("WEBP", 8)) return "image/webp";
  if (starts("BM") && b.size() > 26) return "image/bmp";
  // Netpbm: P1..P6 and a whitespace.
  if (b.size() > 2 && b[0] == 'P' && b[1] >= '1' && b[1] <= '6' && std::strchr(" \t\r\n", b[2]) && b[2] != 0)
    return kPortableAnymap;
  return {};
}

namespace {

// The answer as shown: the digit, or the number's digits.
void append_answer(std::string& out, const reader::Classification& result) {
  if (result.digit >= 0) append_int(out, result.digit);
  else append_html_escaped(out, result.number);
}

}  // namespace

std::string render_result_html(const reader::Classification& result, std::string_view filename,
                               std::span<const std::uint8_t> upload, std::span<const std::string> classes) {
  const bool by_class = !classes.empty();  // a class model: its names, no digit verdict
  std::string out;
  out.reserve(2048 + (upload.size() + result.seen_png.size() + result.found_png.size()) * 4 / 3);
  out.append("<section id=\"result\" class=\"result ok verdict-");
  out.append(by_class ? "class" : reader::verdict_name(result.verdict));
  out.append("\" aria-live=\"polite\">\n<div class=\"verdict\">");
  out.append(by_class ? "<div class=\"digit name\">" : "<div class=\"digit\">");
  // Never "100% sure" under a letter: a non-digit shows no digit and no percentage.
  if (by_class) {
    append_html_escaped(out, classes[static_cast<std::size_t>(result.digit)]);
    out.append("</div><div class=\"meta\"><div class=\"prob\">");
    append_percent(out, result.probability);
    out.append(" sure</div>");
  } else switch (result.verdict) {
    case reader::Verdict::not_a_digit:
      out.append("?</div><div class=\"meta\"><div class=\"prob\">Not a digit</div><div class=\"reason\">");
      append_html_escaped(out, result.reason);
      out.append("</div>");
      break;
    case reader::Verdict::unjudged:
      append_int(out, result.digit);
      out.append("</div><div class=\"meta\"><div class=\"prob\">No verdict</div><div class=\"reason\">");
      append_html_escaped(out, result.reason);
      out.append("</div>");
      break;
    case reader::Verdict::uncertain:
      append_answer(out, result);
      out.append("?</div><div class=\"meta\"><div class=\"prob\">Not sure: ");
      append_answer(out, result);
      out.append(" (");
      append_percent(out, result.probability);
      out.append(")</div><div class=\"reason\">");
      append_html_escaped(out, result.reason);
      out.append("</div>");
      break;
    case reader::Verdict::digit:
      append_answer(out, result);
      out.append("</div><div class=\"meta\"><div class=\"prob\">");
      append_percent(out, result.probability);
      out.append(" sure</div>");
      break;
    case reader::Verdict::number:  // its probability is the least sure digit's, not the number's
      append_answer(out, result);
      out.append("</div><div class=\"meta\"><div class=\"prob\">");
      append_int(out, static_cast<long long>(result.digits.size()));
      out.append(" digits &middot; the least sure at ");  // as the page's script says it
      append_percent(out, result.probability);
      out.append("</div>");
      break;
  }
  out.append("<div class=\"file\">");
  append_html_escaped(out, filename.empty() ? std::string_view("(unnamed upload)") : filename);
  out.append("</div><div class=\"time\">");
  append_fixed(out, result.elapsed_ms, 2);
  out.append(" ms</div></div></div>\n<div class=\"images\">");

  const std::string_view type = sniff_displayable_image(upload);
  out.append("<figure><div class=\"frame\">");
  if (!type.empty() && upload.size() <= kMaxInlinePreviewBytes) {
    out.append("<img class=\"upload\" alt=\"your upload\" src=\"data:").append(type).append(";base64,");
    append_base64(out, upload);
    out.append("\">");
  } else {
    out.append("<span class=\"nopreview\">no preview for this format</span>");
  }
  out.append("</div><figcaption>your image</figcaption></figure>");
  // Where each digit was found (the page's script draws the boxes on "your image"; without it, this picture does).
  if (!result.found_png.empty()) {
    out.append("<figure><div class=\"frame\"><img class=\"found-picture\" alt=\"your image with a box around each digit read\" "
               "src=\"data:image/png;base64,");
    append_base64(out, result.found_png);
    out.append("\"></div><figcaption>the digits found</figcaption></figure>");
  }
  out.append("<figure><div class=\"frame\">");
  if (!result.seen_png.empty()) {
    out.append("<img class=\"seen\" alt=\"the 28x28 image the network saw\" src=\"data:image/png;base64,");
    append_base64(out, result.seen_png);
    out.append("\">");
  } else {
    out.append("<span class=\"nopreview\">not available</span>");
  }
  out.append("</div><figcaption>what the network saw");
  if (!by_class) out.append(result.digits.size() > 1 ? " (28&times;28 each)" : " (28&times;28)");
  out.append("</figcaption></figure></div>\n");

  // A non-digit's scores per digit mean nothing: no bars, no percentages; a
  // number has no one digit's scores.
  if ((!by_class && result.verdict == reader::Verdict::not_a_digit) || result.probabilities.empty()) {
    out.append("</section>");
    return out;
  }
  out.append("<ol class=\"bars\">");
  for (std::size_t d = 0; d < result.probabilities.size(); ++d) {
    const double p = std::clamp(static_cast<double>(result.probabilities[d]), 0.0, 1.0);
    const bool best = static_cast<int>(d) == result.digit;
    out.append(best ? "<li class=\"best\">" : "<li>");
    if (by_class && d < classes.size()) {  // the whole name on hover: a long one is cut in its column
      out.append("<span class=\"label\" title=\"");
      append_html_escaped(out, classes[d]);
      out.append("\">");
      append_html_escaped(out, classes[d]);
    } else {
      out.append("<span class=\"label\">");
      append_int(out, static_cast<long long>(d));
    }
    out.append("</span><span class=\"track\"><span class=\"fill\" style=\"width:");
    append_fixed(out, p * 100.0, 1);
    out.append("%\"></span></span><span class=\"value\">");
    append_percent(out, p);
    out.append("</span></li>");
  }
  out.append("</ol>\n</section>");
  return out;
}

std::string render_error_html(int status, std::string_view message, std::string_view filename) {
  std::string out;
  out.append("<section id=\"result\" class=\"result error\" role=\"alert\">\n<h2>");
  if (filename.empty()) {
    out.append("Could not classify the upload");
  } else {
    out.append("Could not classify ");
    append_html_escaped(out, filename);
  }
  out.append("</h2>\n<p>");
  append_html_escaped(out, message);
  out.append("</p>\n<p class=\"status\">HTTP ");
  append_int(out, status);
  out.append("</p>\n</section>");
  return out;
}

}  // namespace blnk::serve
