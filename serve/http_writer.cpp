// The response writer and the cached date strings.
#include "serve/http_writer.h"

#include <charconv>
#include <cstring>
#include <ctime>

namespace blnk::serve {

namespace {

struct DateCache {
  std::time_t second = -1;
  char http[40] = {};
  std::size_t http_len = 0;
  char iso[32] = {};
  std::size_t iso_len = 0;
};

const DateCache& date_cache() {
  thread_local DateCache cache;
  const std::time_t now = std::time(nullptr);
  if (now != cache.second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int n = std::snprintf(cache.http, sizeof cache.http, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday % 7],
                          tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cache.http_len = n > 0 ? static_cast<std::size_t>(n) : 0;
    n = std::snprintf(cache.iso, sizeof cache.iso, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                      tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cache.iso_len = n > 0 ? static_cast<std::size_t>(n) : 0;
    cache.second = now;
  }
  return cache;
}

}  // namespace

std::string_view http_date() {
  const DateCache& c = date_cache();
  return {c.http, c.http_len};
}

std::string_view iso_time() {
  const DateCache& c = date_cache();
  return {c.iso, c.iso_len};
}

void write_response(ByteBuffer& out, const Response& response, bool close, bool head_only, bool keep_alive_header) {
  const bool no_body = response.status == 204 || response.status == 304 || (response.status >= 100 && response.status < 200);
  char status_line[64];
  const int status_len = std::snprintf(status_line, sizeof status_line, "HTTP/1.1 %d %s\r\n", response.status,
                                       status_reason(response.status));
  char length[24];
  const auto length_end = std::to_chars(length, length + sizeof length, response.body.size()).ptr;

  const std::string_view date = http_date();
  std::size_t total = static_cast<std::size_t>(status_len) + 256 + date.size() + response.content_type.size() +
                      response.headers.size() + response.body.size();
  char* begin = out.prepare(total);
  char* p = begin;
  auto put = [&p](std::string_view s) {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
  };
  put({status_line, static_cast<std::size_t>(status_len)});
  put("Server: blnk\r\nDate: ");
  put(date);
  put("\r\n");
  if (!no_body) {
    put("Content-Type: ");
    put(response.content_type);
    put("\r\nContent-Length: ");
    put({length, static_cast<std::size_t>(length_end - length)});
    put("\r\n");
  }
  put(response.headers);
  if (close) {
    put("Connection: close\r\n");
  } else if (keep_alive_header) {
    put("Connection: keep-alive\r\n");
  }
  put("\r\n");
  if (!head_only && !no_body) put(response.body);
  out.commit(static_cast<std::size_t>(p - begin));
}

}  // namespace blnk::serve
