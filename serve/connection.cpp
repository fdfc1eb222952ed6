// The per-connection request pipeline: head -> body -> dispatch -> response,
// plus the access log line and the request metrics.
#include "serve/connection.h"

#include <algorithm>
#include <cstdio>

#include "serve/cors.h"
#include "serve/forwarded.h"
#include "serve/http_writer.h"
#include "serve/limits.h"
#include "serve/server.h"
#include "serve/text.h"

namespace blnk::serve {

namespace {

enum class Step { Progress, Wait };

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr std::size_t kMaxLoggedTarget = 256;

// "the upload is larger than the limit of 10 MiB (10485760 bytes)"
std::string body_limit_message(std::size_t limit) {
  std::string m = "the upload is larger than the limit of ";
  if (limit % kMiB == 0) {
    append_int(m, static_cast<long long>(limit / kMiB));
    m.append(" MiB (");
  } else if (limit % kKiB == 0) {
    append_int(m, static_cast<long long>(limit / kKiB));
    m.append(" KiB (");
  } else {
    m.push_back('(');
  }
  append_int(m, static_cast<long long>(limit));
  m.append(" bytes)");
  return m;
}

void log_access(Connection& c, Protocol& p, int status, std::size_t bytes, double ms) {
  const ServerConfig& config = *p.config;
  if (!config.access_log && config.access_log_file == nullptr) return;
  std::string line;
  line.reserve(128);
  line.append(iso_time());
  line.push_back(' ');
  const Request& r = c.request;
  line.append(forwarded_client(c.peer, r, config.trusted_proxies));
  line.push_back(' ');
  line.append(r.method_name.empty() ? std::string_view("-") : r.method_name);
  line.push_back(' ');
  if (r.target.empty()) {
    line.push_back('-');
  } else {
    line.append(r.target.substr(0, kMaxLoggedTarget));  // the parser allows no spaces or controls in it
  }
  line.push_back(' ');
  append_int(line, status);
  line.push_back(' ');
  append_int(line, static_cast<long long>(bytes));
  line.push_back(' ');
  append_fixed(line, ms, 3);
  line.append("ms");
  if (config.access_log) config.access_log(line);
  if (config.access_log_file != nullptr) {
    line.push_back('\n');
    std::fwrite(line.data(), 1, line.size(), config.access_log_file);
  }
}

void release_body(Connection& c, Protocol& p) {
  if (c.body_reserved > 0) {
    p.body_memory->release(c.body_reserved);
    c.body_reserved = 0;
  }
  c.body.clear();
  if (c.body.capacity() > kRetainedBufferBytes) c.body = std::string();
}

// Serializes `response`, logs it, counts it and ends the current request.
void send_response(Connection& c, Protocol& p, Response response, bool close, std::int64_t now_ms) {
  const Request& r = c.request;
  // Every answer, errors included: a cross-origin page must be able to read why it failed.
  if (!p.config->cors_origins.empty()) add_cors_headers(r, c.route, p.config->cors_origins, response);
  const bool head_only = r.method == Method::Head;
  const bool keep_alive_header = !close && r.minor_version == 0;
  write_response(c.out, response, close, head_only, keep_alive_header);
  const auto elapsed = std::chrono::steady_clock::now() - c.request_start;
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const RouteId route = c.route != nullptr ? c.route->id : RouteId::Other;
  p.metrics->record_request(p.context->shard, route, response.status, seconds);
  log_access(c, p, response.status, head_only ? 0 : response.body.size(), seconds * 1e3);
  abandon_request(c, p);
  // The request's views point into `head`, which may be given back between requests
  // (and a later rejection must not log this request's method and target).
  c.request.clear();
  ++c.served;
  c.wait_start_ms = now_ms;
  c.route = nullptr;
  c.request_begun = false;
  if (close) {
    c.phase = Phase::Closing;
    c.close_after_write = true;
  } else {
    c.phase = Phase::Head;
  }
}

void begin_request(Connection& c, Protocol& p, std::int64_t now_ms) {
  c.request_begun = true;
  c.head_start_ms = c.served == 0 ? c.wait_start_ms : now_ms;
  c.request_start = std::chrono::steady_clock::now();
  if (!c.in_flight) {
    c.in_flight = true;
    p.metrics->in_flight.fetch_add(1, std::memory_order_relaxed);
  }
}

// After the head: decide how to read the body, or refuse it unread.
Step start_body(Connection& c, Protocol& p, std::int64_t now_ms) {
  Request& r = c.request;
  const ServerConfig& config = *p.config;
  if (r.body_kind == BodyKind::None) {
    c.phase = Phase::Ready;
    return Step::Progress;
  }
  if (r.body_kind == BodyKind::Length && r.content_length > config.max_body_bytes) {
    reject(c, p, 413, body_limit_message(config.max_body_bytes), true);
    return Step::Wait;
  }
  if (precheck_route(r, c.route) != 0) {
    // A body for a route that will refuse it anyway: answer now, do not read it.
    Response response = dispatch(r, c.route, *p.context);
    c.linger = true;
    send_response(c, p, std::move(response), true, now_ms);
    return Step::Wait;
  }
  // The body memory budget is taken as bytes arrive, a step at a time, not for the
  // whole declared length: a few requests promising 10 MiB and sending 3 bytes must
  // not hold every other upload off until their timeout (found by the hostile soak).
  const std::uint64_t first_step =
      std::min<std::uint64_t>(kBodyReservationStep, r.body_kind == BodyKind::Length ? r.content_length
                                                                                     : config.max_body_bytes);
  if (!p.body_memory->try_acquire(first_step)) {
    p.metrics->busy_rejections.fetch_add(1, std::memory_order_relaxed);
    reject(c, p, 503, "the server is receiving too many uploads at once; retry shortly", true);
    return Step::Wait;
  }
  c.body_reserved = first_step;
  c.body.clear();
  c.body.reserve(static_cast<std::size_t>(first_step));
  c.chunked.reset();
  c.body_start_ms = now_ms;
  if (r.expect_continue && c.in.empty()) c.out.append(kContinue);
  c.phase = Phase::Body;
  return Step::Progress;
}

Step step_head(Connection& c, Protocol& p, std::int64_t now_ms) {
  if (!c.request_begun) {
    c.in.consume(count_leading_newlines(c.in.view()));
    if (c.in.empty()) return Step::Wait;
    begin_request(c, p, now_ms);
  }
  const std::size_t end = find_head_end(c.in.view(), c.head_scan);
  if (end == std::string_view::npos) {
    const ParseStatus s = check_partial_head(c.in.view(), p.limits);
    if (!s.ok()) reject(c, p, s.status, s.message, true);
    return Step::Wait;
  }
  c.head.assign(c.in.view().substr(0, end));
  c.in.consume(end);
  c.head_scan = 0;
  c.request.clear();
  c.request.peer = c.peer;
  const ParseStatus s = parse_head(c.head, p.limits, c.request);
  if (!s.ok()) {
    reject(c, p, s.status, s.message, true);
    return Step::Wait;
  }
  c.route = find_route(c.request.path);
  return start_body(c, p, now_ms);
}

// Grows the body's reservation in the memory budget so it covers `needed` bytes.
bool reserve_body(Connection& c, Protocol& p, std::uint64_t needed) {
  if (needed <= c.body_reserved) return true;
  const std::uint64_t cap = p.config->max_body_bytes;
  std::uint64_t target = (needed + kBodyReservationStep - 1) / kBodyReservationStep * kBodyReservationStep;
  target = std::min(std::max(target, needed), std::max<std::uint64_t>(cap, c.body_reserved));
  if (target <= c.body_reserved) return true;
  if (!p.body_memory->try_acquire(target - c.body_reserved)) return false;
  c.body_reserved = target;
  return true;
}

Step step_body(Connection& c, Protocol& p) {
  if (c.in.empty()) return Step::Wait;
  const Request& r = c.request;
  if (r.body_kind == BodyKind::Length) {
    const std::size_t missing = static_cast<std::size_t>(r.content_length) - c.body.size();
    const std::size_t n = std::min(missing, c.in.size());
    if (!reserve_body(c, p, c.body.size() + n)) {
      p.metrics->busy_rejections.fetch_add(1, std::memory_order_relaxed);
      reject(c, p, 503, "the server is receiving too many uploads at once; retry shortly", true);
      return Step::Wait;
    }
    c.body.append(c.in.view().substr(0, n));
    c.in.consume(n);
    if (c.body.size() < r.content_length) return Step::Wait;
    c.phase = Phase::Ready;
    return Step::Progress;
  }
  const std::uint64_t needed = std::min<std::uint64_t>(c.body.size() + c.in.size(), p.config->max_body_bytes);
  if (!reserve_body(c, p, needed)) {
    p.metrics->busy_rejections.fetch_add(1, std::memory_order_relaxed);
    reject(c, p, 503, "the server is receiving too many uploads at once; retry shortly", true);
    return Step::Wait;
  }
  std::size_t consumed = 0;
  const ChunkedDecoder::Result result = c.chunked.feed(c.in.view(), consumed, c.body, p.config->max_body_bytes);
  c.in.consume(consumed);
  switch (result) {
    case ChunkedDecoder::Result::NeedMore: return Step::Wait;
    case ChunkedDecoder::Result::Malformed:
      reject(c, p, 400, std::string("malformed chunked body: ") + c.chunked.error(), true);
      return Step::Wait;
    case ChunkedDecoder::Result::TooLarge:
      reject(c, p, 413, body_limit_message(p.config->max_body_bytes), true);
      return Step::Wait;
    case ChunkedDecoder::Result::Done: break;
  }
  c.phase = Phase::Ready;
  return Step::Progress;
}

void answer(Connection& c, Protocol& p, std::int64_t now_ms) {
  Request& r = c.request;
  r.body = c.body;
  Response response = dispatch(r, c.route, *p.context);
  const bool close = response.close || !r.keep_alive || p.stopping->load(std::memory_order_relaxed) ||
                     c.served + 1 >= p.config->max_keep_alive_requests;
  send_response(c, p, std::move(response), close, now_ms);
}

}  // namespace

void Connection::reset(int new_fd, std::string new_peer, std::int64_t now_ms) {
  fd = new_fd;
  peer = std::move(new_peer);
  index = -1;
  in.clear();
  out.clear();
  phase = Phase::Head;
  head.clear();
  head_scan = 0;
  request.clear();
  route = nullptr;
  body.clear();
  chunked.reset();
  body_reserved = 0;
  request_begun = false;
  in_flight = false;
  close_after_write = false;
  linger = false;
  reading = false;
  writing = false;
  served = 0;
  wait_start_ms = head_start_ms = body_start_ms = write_progress_ms = linger_start_ms = now_ms;
  lingered_bytes = 0;
}

void Connection::trim_idle_buffers(std::size_t keep) {
  in.shrink_if_idle(keep);
  out.shrink_if_idle(keep);
  if (head.capacity() > keep) std::string().swap(head);
  if (body.empty() && body.capacity() > keep) std::string().swap(body);
}

void abandon_request(Connection& c, Protocol& p) {
  release_body(c, p);
  if (c.in_flight) {
    c.in_flight = false;
    p.metrics->in_flight.fetch_sub(1, std::memory_order_relaxed);
  }
}

void reject(Connection& c, Protocol& p, int status, std::string_view message, bool linger) {
  if (!c.request_begun) c.request_start = std::chrono::steady_clock::now();
  // A browser form whose upload is refused before it is read (413, 503) gets the page
  // with the error, as for any other refused upload, not raw JSON.
  const bool page = !c.request.method_name.empty() && c.route != nullptr && c.route->id == RouteId::Predict &&
                    wants_html(c.request);
  Response response = page ? html_error(status, message, "", *p.context) : json_error(status, message);
  if (status == 503) response.add_header("Retry-After", "1");
  c.linger = c.linger || linger;
  c.head_scan = 0;
  send_response(c, p, std::move(response), true, 0);
}

void process_input(Connection& c, Protocol& p, std::int64_t now_ms) {
  while (c.out.size() < kMaxPendingOutputBytes) {
    Step step = Step::Wait;
    switch (c.phase) {
      case Phase::Head: step = step_head(c, p, now_ms); break;
      case Phase::Body: step = step_body(c, p); break;
      default: return;
    }
    if (c.phase == Phase::Ready) {
      answer(c, p, now_ms);
      continue;
    }
    if (step == Step::Wait) return;
  }
}

}  // namespace blnk::serve
