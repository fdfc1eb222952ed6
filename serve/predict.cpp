// POST /predict: take the image out of the request (multipart field 'upload', the
// form's one file, or the raw body), classify it under the concurrency limit, and answer JSON or, for a
// browser form, the page with the result. Failures keep the classifier's status.
#include <algorithm>
#include <vector>

#include "reader/answer.h"
#include "reader/class_answer.h"
#include "serve/limits.h"
#include "serve/multipart.h"
#include "serve/page.h"
#include "serve/routes.h"
#include "serve/server.h"
#include "serve/text.h"

namespace blnk::serve {

namespace {

constexpr std::string_view kFieldName = "upload";
constexpr std::string_view kUnnamedUpload = "the uploaded image";

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

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// "'a', 'b'" (at most a few, each cut short) for messages.
std::string field_names(const std::vector<MultipartPart>& parts) {
  constexpr std::size_t kMaxNamed = 5, kMaxNameBytes = 40;
  std::string names;
  for (std::size_t i = 0; i < parts.size() && i < kMaxNamed; ++i) {
    if (i) names += ", ";
    names += "'" + parts[i].name.substr(0, kMaxNameBytes) + "'";
  }
  if (parts.size() > kMaxNamed) names += " and " + std::to_string(parts.size() - kMaxNamed) + " more";
  return names;
}

// The part holding the image: the field 'upload', or the form's one file when it
// has exactly one under another name (curl -F file=@x.jpg).
const MultipartPart* image_part(const std::vector<MultipartPart>& parts) {
  if (const MultipartPart* upload = find_part(parts, kFieldName)) return upload;
  const MultipartPart* file = nullptr;
  for (const MultipartPart& p : parts) {
    if (p.filename.empty() && sniff_image(bytes_of(p.data)).empty()) continue;
    if (file) return nullptr;  // two files and neither is 'upload': which one is meant?
    file = &p;
  }
  return file;
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
    const MultipartPart* part = image_part(parts);
    if (part == nullptr) {
      u.status = 400;
      u.error = parts.empty() ? "the form has no fields: send the image as the field 'upload' (curl -F upload=@photo.png)"
                              : "the form has no field named 'upload' and not exactly one file (it sent " +
                                    field_names(parts) + "): send the image as the field 'upload' (curl -F upload=@photo.png)";
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
      u.error = "no file was uploaded: the field '" + part->name.substr(0, 40) + "' is empty";
      return u;
    }
    u.bytes = part->data;
    return u;
  }
  // A raw body may name itself as a form part does: Content-Disposition: inline; filename="x.png".
  std::string filename;
  if (header_param(request.header("content-disposition"), "filename", filename)) u.filename = filename;
  // curl --data-binary @x.png sends application/x-www-form-urlencoded: image bytes
  // are known by their magic whatever the type says.
  if (!type.empty() && !is_raw_image_type(type) && sniff_image(bytes_of(request.body)).empty()) {
    u.status = 415;
    u.error = "unsupported Content-Type '" + std::string(type.substr(0, 64)) +
              "' and the body is no image blnk knows: send multipart/form-data with a field 'upload' "
              "(curl -F upload=@photo.png), or the image itself with its type (curl --data-binary @photo.png "
              "-H 'Content-Type: image/png')";
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

// One digit with its scores, or a number: digits without one digit's scores.
bool valid_result(const reader::Classification& c) {
  if (c.digit < 0) return c.probabilities.empty() && !c.digits.empty() && c.number.size() == c.digits.size();
  return !c.probabilities.empty() && static_cast<std::size_t>(c.digit) < c.probabilities.size();
}

Response error_response(bool html, int status, std::string_view message, std::string_view filename,
                        Context& context) {
  return html ? html_error(status, message, filename, context) : json_error(status, message);
}

Response json_result(const reader::Classification& c, std::string_view filename, bool with_seen, Context& context) {
  Response r;
  r.content_type = "application/json";
  const reader::AnswerFields fields{kTopPredictions, filename.empty() ? "" : "filename", filename, context.model_name,
                                    with_seen};
  if (context.classes.empty())
    reader::append_answer_json(r.body, c, fields);
  else
    reader::append_class_answer_json(r.body, c, context.classes, fields);
  r.add_header("Cache-Control", "no-store");
  return r;
}

}  // namespace

Response handle_predict(const Request& request, Context& context) {
  const std::string_view format = request.query_param("format");
  if (request.has_query_param("format") && format != "json" && format != "html")
    return json_error(400, "unknown format '" + std::string(format.substr(0, 32)) + "': ?format= takes json or html");
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
  // What the image is called in messages: the file's name, or what the page calls a drawing.
  const std::string name = upload.filename.empty() ? std::string(kUnnamedUpload) : upload.filename;
  // The page without its script shows where the digits were found as a picture (found_png).
  const bool ok = context.classifier->classify(bytes, reader::ClassifyOptions{html || with_seen, name, html}, result, failure);
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
                                          render_result_html(result, upload.filename, bytes, context.classes),
                                          context.classes));
  }
  return json_result(result, upload.filename, with_seen, context);
}

}  // namespace blnk::serve
