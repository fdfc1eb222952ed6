// The metrics registry and its Prometheus text rendering (format 0.0.4).
#include "serve/metrics.h"

#include <chrono>
#include <cmath>

#include "serve/text.h"

namespace blnk::serve {

namespace {

constexpr int kMinStatus = 100;
constexpr int kStatusSlots = 500;  // 100..599
constexpr int kBucketSlots = static_cast<int>(kLatencyBuckets.size()) + 1;  // + the +Inf bucket

void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\') {
      out.append("\\\\");
    } else if (c == '"') {
      out.append("\\\"");
    } else if (c == '\n') {
      out.append("\\n");
    } else {
      out.push_back(c);
    }
  }
}

void append_help(std::string& out, const char* name, const char* type, const char* help) {
  out.append("# HELP ").append(name).append(" ").append(help).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

}  // namespace

struct alignas(64) Metrics::Shard {
  std::atomic<std::uint64_t> requests[kRouteCount][kStatusSlots];
  std::atomic<std::uint64_t> buckets[kRouteCount][kBucketSlots];
  std::atomic<std::uint64_t> latency_ns[kRouteCount];
  std::atomic<std::uint64_t> predictions_ok;
  std::atomic<std::uint64_t> prediction_failures[kStatusSlots];
  std::atomic<std::int64_t> connection_buffer_bytes;
};

const char* route_label(RouteId route) {
  switch (route) {
    case RouteId::Index: return "/";
    case RouteId::Predict: return "/predict";
    case RouteId::Healthz: return "/healthz";
    case RouteId::Metrics: return "/metrics";
    case RouteId::Api: return "/api";
    case RouteId::Other: return "other";
  }
  return "other";
}

Metrics::Metrics(int shards) : shard_count_(shards < 1 ? 1 : shards), shards_(new Shard[shard_count_]) {
  for (int s = 0; s < shard_count_; ++s) {
    Shard& sh = shards_[s];
    for (auto& route : sh.requests) {
      for (auto& c : route) c.store(0, std::memory_order_relaxed);
    }
    for (auto& route : sh.buckets) {
      for (auto& c : route) c.store(0, std::memory_order_relaxed);
    }
    for (auto& c : sh.latency_ns) c.store(0, std::memory_order_relaxed);
    sh.predictions_ok.store(0, std::memory_order_relaxed);
    for (auto& c : sh.prediction_failures) c.store(0, std::memory_order_relaxed);
    sh.connection_buffer_bytes.store(0, std::memory_order_relaxed);
  }
  for (auto& t : timeouts) t.store(0);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  start_time_seconds_ = std::chrono::duration<double>(now).count();
}

Metrics::~Metrics() = default;

void Metrics::record_request(int shard, RouteId route, int status, double seconds) {
  Shard& sh = shards_[static_cast<std::size_t>(shard % shard_count_)];
  const int r = static_cast<int>(route);
  const int s = (status >= kMinStatus && status < kMinStatus + kStatusSlots) ? status - kMinStatus : 500 - kMinStatus;
  sh.requests[r][s].fetch_add(1, std::memory_order_relaxed);
  int b = 0;
  while (b < static_cast<int>(kLatencyBuckets.size()) && seconds > kLatencyBuckets[static_cast<std::size_t>(b)]) ++b;
  sh.buckets[r][b].fetch_add(1, std::memory_order_relaxed);
  const double ns = seconds > 0 ? seconds * 1e9 : 0.0;
  sh.latency_ns[r].fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

void Metrics::record_prediction(int shard, bool ok, int failure_status) {
  Shard& sh = shards_[static_cast<std::size_t>(shard % shard_count_)];
  if (ok) {
    sh.predictions_ok.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const int s = (failure_status >= kMinStatus && failure_status < kMinStatus + kStatusSlots)
                    ? failure_status - kMinStatus
                    : 500 - kMinStatus;
  sh.prediction_failures[s].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::add_connection_buffer_bytes(int shard, std::int64_t delta) {
  shards_[static_cast<std::size_t>(shard % shard_count_)].connection_buffer_bytes.fetch_add(
      delta, std::memory_order_relaxed);
}

std::string Metrics::render(std::string_view model_name, double model_accuracy,
                            std::uint64_t body_memory_in_use) const {
  auto sum = [&](auto getter) {
    std::uint64_t total = 0;
    for (int s = 0; s < shard_count_; ++s) total += getter(shards_[s]).load(std::memory_order_relaxed);
    return total;
  };
  std::string out;
  out.reserve(4096);

  append_help(out, "blnk_http_requests_total", "counter", "HTTP requests answered, by route and status.");
  for (int r = 0; r < kRouteCount; ++r) {
    for (int s = 0; s < kStatusSlots; ++s) {
      const std::uint64_t n = sum([&](const Shard& sh) -> const auto& { return sh.requests[r][s]; });
      if (n == 0) continue;
      out.append("blnk_http_requests_total{route=\"").append(route_label(static_cast<RouteId>(r)));
      out.append("\",status=\"");
      append_int(out, s + kMinStatus);
      out.append("\"} ");
      append_int(out, static_cast<long long>(n));
      out.push_back('\n');
    }
  }

  append_help(out, "blnk_http_request_duration_seconds", "histogram",
              "Time from a complete request head to a serialized response.");
  for (int r = 0; r < kRouteCount; ++r) {
    std::uint64_t cumulative = 0;
    std::uint64_t counts[kBucketSlots];
    for (int b = 0; b < kBucketSlots; ++b) {
      counts[b] = sum([&](const Shard& sh) -> const auto& { return sh.buckets[r][b]; });
      cumulative += counts[b];
    }
    if (cumulative == 0) continue;
    const char* label = route_label(static_cast<RouteId>(r));
    std::uint64_t running = 0;
    for (int b = 0; b < kBucketSlots; ++b) {
      running += counts[b];
      out.append("blnk_http_request_duration_seconds_bucket{route=\"").append(label).append("\",le=\"");
      if (b < static_cast<int>(kLatencyBuckets.size())) {
        append_number(out, kLatencyBuckets[static_cast<std::size_t>(b)]);
      } else {
        out.append("+Inf");
      }
      out.append("\"} ");
      append_int(out, static_cast<long long>(running));
      out.push_back('\n');
    }
    const std::uint64_t ns = sum([&](const Shard& sh) -> const auto& { return sh.latency_ns[r]; });
    out.append("blnk_http_request_duration_seconds_sum{route=\"").append(label).append("\"} ");
    append_number(out, static_cast<double>(ns) * 1e-9, 9);
    out.append("\nblnk_http_request_duration_seconds_count{route=\"").append(label).append("\"} ");
    append_int(out, static_cast<long long>(cumulative));
    out.push_back('\n');
  }

  append_help(out, "blnk_predictions_total", "counter", "Images classified successfully.");
  out.append("blnk_predictions_total ");
  append_int(out, static_cast<long long>(sum([](const Shard& sh) -> const auto& { return sh.predictions_ok; })));
  out.push_back('\n');
  append_help(out, "blnk_prediction_failures_total", "counter", "Images the classifier refused, by status.");
  for (int s = 0; s < kStatusSlots; ++s) {
    const std::uint64_t n = sum([&](const Shard& sh) -> const auto& { return sh.prediction_failures[s]; });
    if (n == 0) continue;
    out.append("blnk_prediction_failures_total{status=\"");
    append_int(out, s + kMinStatus);
    out.append("\"} ");
    append_int(out, static_cast<long long>(n));
    out.push_back('\n');
  }

  auto gauge = [&](const char* name, const char* type, const char* help, long long value) {
    append_help(out, name, type, help);
    out.append(name).append(" ");
    append_int(out, value);
    out.push_back('\n');
  };
  gauge("blnk_http_requests_in_flight", "gauge", "Requests being read, handled or written.", in_flight.load());
  gauge("blnk_open_connections", "gauge", "Client connections open.", open_connections.load());
  gauge("blnk_rejected_connections_total", "counter", "Connections refused: too many open.",
        static_cast<long long>(rejected_connections.load()));
  gauge("blnk_busy_rejections_total", "counter", "Requests answered 503: classifier slots or body memory exhausted.",
        static_cast<long long>(busy_rejections.load()));
  gauge("blnk_body_memory_bytes", "gauge", "Bytes reserved for request bodies being received.",
        static_cast<long long>(body_memory_in_use));
  std::int64_t buffer_bytes = 0;
  for (int s = 0; s < shard_count_; ++s) buffer_bytes += shards_[s].connection_buffer_bytes.load(std::memory_order_relaxed);
  gauge("blnk_connection_buffer_bytes", "gauge",
        "Bytes of storage held by connection buffers (open and pooled connections, request bodies included).",
        static_cast<long long>(buffer_bytes));
  append_help(out, "blnk_timeouts_total", "counter", "Connections closed by a timeout, by phase.");
  static constexpr const char* kTimeoutNames[kTimeoutKinds] = {"header", "body", "idle", "write"};
  for (int t = 0; t < kTimeoutKinds; ++t) {
    out.append("blnk_timeouts_total{phase=\"").append(kTimeoutNames[t]).append("\"} ");
    append_int(out, static_cast<long long>(timeouts[static_cast<std::size_t>(t)].load()));
    out.push_back('\n');
  }

  append_help(out, "blnk_model_info", "gauge", "The model being served.");
  out.append("blnk_model_info{model=\"");
  append_label_value(out, model_name);
  out.append("\"} 1\n");
  append_help(out, "blnk_model_accuracy", "gauge", "Test accuracy recorded in the model file (NaN if unknown).");
  out.append("blnk_model_accuracy ");
  if (std::isfinite(model_accuracy)) {
    append_number(out, model_accuracy, 6);
  } else {
    out.append("NaN");
  }
  out.push_back('\n');
  append_help(out, "blnk_model_reloads_total", "counter",
              "Model reloads (SIGHUP) by result; after a failed one the previous model serves on.");
  out.append("blnk_model_reloads_total{result=\"ok\"} ");
  append_int(out, static_cast<long long>(model_reloads.load()));
  out.append("\nblnk_model_reloads_total{result=\"failed\"} ");
  append_int(out, static_cast<long long>(model_reload_failures.load()));
  out.push_back('\n');
  append_help(out, "blnk_start_time_seconds", "gauge", "Start time of the server since the Unix epoch.");
  out.append("blnk_start_time_seconds ");
  append_fixed(out, start_time_seconds_, 3);
  out.push_back('\n');
  return out;
}

}  // namespace blnk::serve
