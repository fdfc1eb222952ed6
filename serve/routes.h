// The route table and the handlers: plain functions from a Request to a Response
// that never throw (dispatch() turns an escaped exception into a JSON 500).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "reader/classifier.h"
#include "serve/counting_limit.h"
#include "serve/http.h"
#include "serve/metrics.h"

namespace blnk::serve {

struct ServerConfig;

// What a handler may use: shared server state plus the worker's metrics shard.
struct Context {
  const ServerConfig* config = nullptr;
  const reader::Classifier* classifier = nullptr;
  Metrics* metrics = nullptr;
  int shard = 0;                          // the worker's metrics shard
  CountingLimit* classify_slots = nullptr;
  const CountingLimit* body_memory = nullptr;
  const std::string* index_page = nullptr;  // GET /, rendered once
  std::string model_name;
  double model_accuracy = 0;
  std::span<const std::string> classes;  // a class model's names (reader::Classifier::class_names); empty: digits
};

using Handler = Response (*)(const Request&, Context&);

struct Route {
  std::string_view path;
  RouteId id;
  Handler get;   // also answers HEAD
  Handler post;
  const char* allow;  // the Allow header value
};

// The route of an exact path, or nullptr.
const Route* find_route(std::string_view path);

// The status a request gets before its body is read (404, 405), or 0 if the route
// takes it. Lets a request with an unwanted body be refused without reading it.
int precheck_route(const Request& request, const Route* route);

// Answers a complete request: 404/405/OPTIONS, or the handler under a catch-all.
Response dispatch(const Request& request, const Route* route, Context& context);

// {"error": message, "status": status}
Response json_error(int status, std::string_view message);
// An HTML page with the security headers every page carries (CSP, nosniff, no framing).
Response html_response(int status, std::string body);
// The upload page with an error box: what a browser form gets instead of a JSON error.
Response html_error(int status, std::string_view message, std::string_view filename, const Context& context);

// The handlers.
Response handle_index(const Request& request, Context& context);
Response handle_predict(const Request& request, Context& context);
Response handle_healthz(const Request& request, Context& context);
Response handle_metrics(const Request& request, Context& context);
Response handle_api(const Request& request, Context& context);

// Whether the client prefers HTML over JSON (Accept header, or ?format=html|json).
bool wants_html(const Request& request);

}  // namespace blnk::serve
