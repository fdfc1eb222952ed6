// Cross-origin requests (see cors.h).
#include "serve/cors.h"

#include <algorithm>

#include "serve/routes.h"

namespace blnk::serve {

bool cors_allows(const std::vector<std::string>& allowed, std::string_view origin) {
  if (origin.empty()) return false;
  return std::any_of(allowed.begin(), allowed.end(), [&](const std::string& a) { return a == "*" || a == origin; });
}

bool valid_cors_origin(std::string_view origin) {
  if (origin == "*") return true;
  const std::size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return false;
  const std::string_view scheme = origin.substr(0, scheme_end), host = origin.substr(scheme_end + 3);
  if (scheme != "http" && scheme != "https") return false;
  if (host.empty() || host.size() > 253) return false;
  // A host and an optional port: no path, query, user or spaces (a browser's Origin has none).
  return std::all_of(host.begin(), host.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
           ch == '-' || ch == ':' || ch == '[' || ch == ']';
  });
}

void add_cors_headers(const Request& request, const Route* route, const std::vector<std::string>& allowed,
                      Response& response) {
  const std::string_view origin = request.header("origin");
  if (!cors_allows(allowed, origin)) return;
  const bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
  response.add_header("Access-Control-Allow-Origin", any ? std::string_view("*") : origin);
  if (!any) response.add_header("Vary", "Origin");
  if (request.method == Method::Options && request.has_header("access-control-request-method") && route != nullptr) {
    response.add_header("Access-Control-Allow-Methods", route->allow);
    response.add_header("Access-Control-Allow-Headers", kCorsAllowedHeaders);
    response.add_header("Access-Control-Max-Age", kCorsMaxAgeSeconds);
  }
}

}  // namespace blnk::serve
