// Cross-origin requests (`blnk serve --cors ORIGIN`): a page served from another
// origin may call the API when its origin is listed (or "*" is). Nothing is added
// by default: without --cors a browser keeps other origins' pages from reading
// the answers, as the same-origin policy says.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "serve/http.h"

namespace blnk::serve {

struct Route;

// The request headers a cross-origin page may send (the page itself sends these).
inline constexpr std::string_view kCorsAllowedHeaders = "Content-Type, Accept, Content-Disposition";
// How long a browser may keep a preflight's answer.
inline constexpr std::string_view kCorsMaxAgeSeconds = "600";

// Whether `origin` (an Origin header's value) is one of `allowed` ("*": any).
bool cors_allows(const std::vector<std::string>& allowed, std::string_view origin);

// A valid --cors value: "*", or scheme://host[:port] with no path ("https://example.org").
bool valid_cors_origin(std::string_view origin);

// Adds Access-Control-* headers to the response of a request whose Origin is allowed:
// Allow-Origin (and Vary: Origin unless any origin is), and for a preflight (OPTIONS
// with Access-Control-Request-Method) the route's methods, the headers and a max age.
void add_cors_headers(const Request& request, const Route* route, const std::vector<std::string>& allowed,
                      Response& response);

}  // namespace blnk::serve
