// POST /predict: take the image out of the request (multipart field 'upload' or
// the raw body), classify it under the concurrency limit, and answer JSON or, for a
// browser form, the page with the result. Failures keep the classifier's status.
#include <algorithm>
#include <vector>

#include "reader/answer.h"
#include "serve/limits.h"
#include "serve/multipart.h"
#include "serve/page.h"
#include "serve/routes.h"
#include "serve/server.h"
#include "serve/text.h"

namespace blnk::serve {

namespace {

constexpr std::string_view kFieldName = "upload";

// The image bytes of a request, or the status and message that refuse it.
struct Upload {
  std::string_view bytes;
  std::string filename;
  int status = 0;
  std::string error;
};

bool is_raw_image_type(std::string_view type) {
  return (type.size() > 6 && iequals(type.substr(0, 6), "image/")) || iequals(type, "application/octet-stream");
}

Upload extract_upload(const Request& request) {
  Upload u;
  const std::string_view content_type = request.header("content-type");
  const std::string_view type = media_type(content_type);
  if (iequals(type, "multipart/form-data")) {
    std::string boundary;
    std::vector<MultipartPart> parts;
    if (!multipart_boundary(content_type, boundary, u.error) || !parse_multipart(request.body, boundary, parts, u.error)) {
      u.status = 400;
      return u;
    }
    const MultipartPart* part = find_part(parts, kFieldName);
    if (part == nullptr) {
      u.status = 400;
      u.error = "the form has no field named 'upload'";
      return u;
    }
    u.filename = part->filename;
    // Several files in one form: refuse clearly rather than read the first in silence
    // (the page sends each file on its own request and shows each answer).
    const auto files = std::count_if(parts.begin(), parts.end(), [](const MultipartPart& p) { return p.name == kFieldName; });
    if (files > 1) {
      u.status = 400;
      u.error = "the form has " + std::to_string(files) +
                " files in the field 'upload': send one image per request (the page sends each file on its own)";
      return u;
    }
    if (part->data.empty()) {
      u.status = 400;
      u.error = "no file was uploaded: the field 'upload' is empty";
      return u;
    }
    u.bytes = part->data;
    return u;
  }
  if (!type.empty() && !is_raw_image_type(type)) {
    u.status = 415;
    u.error = "unsupported Content-Type '" + std::string(type.substr(0, 64)) +
              "': send multipart/form-data with a field 'upload', or the image itself (image/png, image/jpeg, ...)";
    return u;
  }
  if (request.body.empty()) {
    u.status = 400;
    u.error = "empty body: send an image, raw or as the multipart field 'upload'";
    return u;
  }
  u.bytes = request.body;
  return u;
}

// A status the classifier may choose; anything else becomes 500.
int failure_status(int status) { return (status >= 400 && status <= 599) ? status : 500; }

bool valid_result(const reader::Classification& c) {
  return !c.probabilities.empty() && c.digit >= 0 && static_cast<std::size_t>(c.digit) < c.probabilities.size();
}

Response error_response(bool html, int status, std::string_view message, std::string_view filename,
                        Context& context) {
  return html ? html_error(status, message, filename, context) : json_error(status, message);
}

Response json_result(const reader::Classification& c, std::string_view filename, bool with_seen, Context& context) {
  Response r;
  r.content_type = "application/json";
  reader::append_answer_json(r.body, c,
                             {kTopPredictions, filename.empty() ? "" : "filename", filename, context.model_name, with_seen});
  r.add_header("Cache-Control", "no-store");
  return r;
}

}  // namespace

Response handle_predict(const Request& request, Context& context) {
  const bool html = wants_html(request);
  const Upload upload = extract_upload(request);
  if (upload.status != 0) return error_response(html, upload.status, upload.error, upload.filename, context);

  LimitSlot slot(*context.classify_slots);
  if (!slot) {
    context.metrics->busy_rejections.fetch_add(1, std::memory_order_relaxed);
    Response r = error_response(html, 503, "too many images being classified at once; retry shortly",
                                upload.filename, context);
    r.add_header("Retry-After", "1");
    return r;
  }
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(upload.bytes.data()),
                                            upload.bytes.size());
  const std::string_view seen = request.query_param("seen");
  const bool with_seen = request.has_query_param("seen") && seen != "0" && seen != "false";
  reader::Classification result;
  reader::ClassifyFailure failure;
  const bool ok = context.classifier->classify(bytes, reader::ClassifyOptions{html || with_seen}, result, failure);
  if (!ok) {
    const int status = failure_status(failure.http_status);
    context.metrics->record_prediction(context.shard, false, status);
    const std::string message = failure.message.empty() ? "the image could not be classified" : failure.message;
    Response r = error_response(html, status, message, upload.filename, context);
    // Nothing drawn is an answer too: the page says "draw a digit".
    if (failure.no_digit && !html && r.body.size() > 2 && r.body.compare(r.body.size() - 2, 2, "}\n") == 0) {
      r.body.resize(r.body.size() - 2);
      r.body.append(",\"verdict\":\"not_a_digit\"}\n");
    }
    return r;
  }
  if (!valid_result(result)) {
    context.metrics->record_prediction(context.shard, false, 500);
    return error_response(html, 500, "the classifier returned an invalid result", upload.filename, context);
  }
  context.metrics->record_prediction(context.shard, true, 0);
  if (html) {
    return html_response(200, render_page(context.model_name, context.model_accuracy,
                                          render_result_html(result, upload.filename, bytes)));
  }
  return json_result(result, upload.filename, with_seen, context);
}

}  // namespace blnk::serve
