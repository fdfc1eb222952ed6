// The route table, dispatch with its exception wrapper, and the small handlers
// (page, health, metrics, API description). /predict lives in predict.cpp.
#include "serve/routes.h"

#include <array>
#include <charconv>
#include <exception>

#include "serve/page.h"
#include "serve/server.h"
#include "serve/text.h"

namespace blnk::serve {

namespace {

constexpr std::array<Route, 5> kRoutes = {{
    {"/", RouteId::Index, handle_index, nullptr, "GET, HEAD, OPTIONS"},
    {"/predict", RouteId::Predict, nullptr, handle_predict, "POST, OPTIONS"},
    {"/healthz", RouteId::Healthz, handle_healthz, nullptr, "GET, HEAD, OPTIONS"},
    {"/metrics", RouteId::Metrics, handle_metrics, nullptr, "GET, HEAD, OPTIONS"},
    {"/api", RouteId::Api, handle_api, nullptr, "GET, HEAD, OPTIONS"},
}};

Handler handler_for(const Route& route, Method method) {
  switch (method) {
    case Method::Get:
    case Method::Head: return route.get;
    case Method::Post: return route.post;
    default: return nullptr;
  }
}

// The q value the Accept header gives `type` ("text/html"), by its most specific match.
double accept_quality(std::string_view accept, std::string_view type) {
  const std::string_view major = type.substr(0, type.find('/'));
  double best_q = 0;
  int best_rank = 0;
  while (!accept.empty()) {
    const std::size_t comma = accept.find(',');
    const std::string_view item = accept.substr(0, comma);
    const std::string_view range = media_type(item);
    int rank = 0;
    if (iequals(range, type)) {
      rank = 3;
    } else if (range.size() == major.size() + 2 && iequals(range.substr(0, major.size()), major) &&
               range.substr(major.size()) == "/*") {
      rank = 2;
    } else if (range == "*/*") {
      rank = 1;
    }
    if (rank > best_rank) {
      double q = 1;
      std::string q_text;
      if (header_param(item, "q", q_text)) {
        const auto r = std::from_chars(q_text.data(), q_text.data() + q_text.size(), q);
        if (r.ec != std::errc{}) q = 0;
      }
      best_rank = rank;
      best_q = q;
    }
    if (comma == std::string_view::npos) break;
    accept.remove_prefix(comma + 1);
  }
  return best_q;
}

}  // namespace

const Route* find_route(std::string_view path) {
  for (const Route& r : kRoutes) {
    if (r.path == path) return &r;
  }
  return nullptr;
}

int precheck_route(const Request& request, const Route* route) {
  if (route == nullptr) return 404;
  if (request.method == Method::Options) return 0;
  return handler_for(*route, request.method) == nullptr ? 405 : 0;
}

Response json_error(int status, std::string_view message) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body.reserve(message.size() + 32);
  r.body.append("{\"error\":");
  append_json_string(r.body, message);
  r.body.append(",\"status\":");
  append_int(r.body, status);
  r.body.append("}\n");
  return r;
}

Response dispatch(const Request& request, const Route* route, Context& context) {
  if (route == nullptr) return json_error(404, "no such path; GET /api lists the routes");
  if (request.method == Method::Options) {
    Response r;
    r.status = 204;
    r.add_header("Allow", route->allow);
    return r;
  }
  const Handler handler = handler_for(*route, request.method);
  if (handler == nullptr) {
    Response r = json_error(405, "method not allowed on this path");
    r.add_header("Allow", route->allow);
    return r;
  }
  try {
    return handler(request, context);
  } catch (const std::exception& e) {
    if (context.config->error_log) context.config->error_log(std::string("handler failed: ") + e.what());
  } catch (...) {
    if (context.config->error_log) context.config->error_log("handler failed with an unknown exception");
  }
  return json_error(500, "internal server error");
}

bool wants_html(const Request& request) {
  const std::string_view format = request.query_param("format");
  if (format == "json") return false;
  if (format == "html") return true;
  const std::string_view accept = request.header("accept");
  if (accept.empty()) return false;
  return accept_quality(accept, "text/html") > accept_quality(accept, "application/json");
}

Response html_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "text/html; charset=utf-8";
  r.body = std::move(body);
  r.add_header("Content-Security-Policy",
               "default-src 'none'; img-src data: blob:; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
               "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  r.add_header("X-Content-Type-Options", "nosniff");
  r.add_header("Referrer-Policy", "no-referrer");
  r.add_header("Cache-Control", "no-store");
  return r;
}

Response html_error(int status, std::string_view message, std::string_view filename, const Context& context) {
  return html_response(status, render_page(context.model_name, context.model_accuracy,
                                           render_error_html(status, message, filename), context.classes));
}

Response handle_index(const Request&, Context& context) { return html_response(200, *context.index_page); }

Response handle_healthz(const Request&, Context&) {
  Response r;
  r.body = "ok\n";
  r.add_header("Cache-Control", "no-store");
  return r;
}

Response handle_metrics(const Request&, Context& context) {
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = context.metrics->render(context.model_name, context.model_accuracy, context.body_memory->in_use());
  r.add_header("Cache-Control", "no-store");
  return r;
}

Response handle_api(const Request&, Context& context) {
  const ServerConfig& c = *context.config;
  Response r;
  r.content_type = "application/json";
  std::string& b = r.body;
  b.append("{\n  \"name\": \"blnk\",\n  \"model\": ");
  append_json_string(b, context.model_name);
  b.append(",\n  \"model_accuracy\": ");
  append_number(b, context.model_accuracy);
  if (!context.classes.empty()) {  // a class model: /predict answers with these names
    b.append(",\n  \"classes\": [");
    for (std::size_t k = 0; k < context.classes.size(); ++k) {
      if (k) b.append(", ");
      append_json_string(b, context.classes[k]);
    }
    b.append("]");
  }
  b.append(",\n  \"routes\": [\n");
  b.append("    {\"method\": \"GET\", \"path\": \"/\", \"description\": \"the upload page (HTML)\"},\n");
  b.append("    {\"method\": \"POST\", \"path\": \"/predict\", \"description\": \"classify an image: multipart/form-data "
           "with a field 'upload' (or the form's one file), or the raw image as the body; JSON, or HTML for a "
           "browser form (?format=json|html); ?seen=1 adds the image the network saw (a digit's 28x28) as base64 PNG\"},\n");
  b.append("    {\"method\": \"GET\", \"path\": \"/healthz\", \"description\": \"liveness: 200 ok\"},\n");
  b.append("    {\"method\": \"GET\", \"path\": \"/metrics\", \"description\": \"Prometheus metrics\"},\n");
  b.append("    {\"method\": \"GET\", \"path\": \"/api\", \"description\": \"this description\"}\n  ],\n");
  b.append("  \"limits\": {\"max_body_bytes\": ");
  append_int(b, static_cast<long long>(c.max_body_bytes));
  b.append(", \"max_uri_bytes\": ");
  append_int(b, static_cast<long long>(c.max_uri_bytes));
  b.append(", \"max_header_bytes\": ");
  append_int(b, static_cast<long long>(c.max_header_bytes));
  b.append(", \"max_headers\": ");
  append_int(b, c.max_headers);
  b.append("}\n}\n");
  return r;
}

}  // namespace blnk::serve
