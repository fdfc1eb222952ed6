// Counters and gauges of the server, rendered in the Prometheus text format.
// Request counters are sharded by worker (each worker writes only its own shard,
// relaxed atomics), summed when /metrics is scraped.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace blnk::serve {

enum class RouteId : std::uint8_t { Index, Predict, Healthz, Metrics, Api, Other };
inline constexpr int kRouteCount = 6;
const char* route_label(RouteId route);

enum class TimeoutKind : std::uint8_t { Header, Body, Idle, Write };
inline constexpr int kTimeoutKinds = 4;

// Upper bounds of the latency histogram, in seconds.
inline constexpr std::array<double, 14> kLatencyBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                           0.025,  0.05,    0.1,    0.25,  0.5,    1.0,  5.0};

class Metrics {
 public:
  explicit Metrics(int shards);
  ~Metrics();

  void record_request(int shard, RouteId route, int status, double seconds);
  void record_prediction(int shard, bool ok, int failure_status);
  // Storage of the connections' buffers (open and pooled) grew or shrank by `delta` bytes.
  void add_connection_buffer_bytes(int shard, std::int64_t delta);

  // Gauges and totals shared by all workers.
  std::atomic<std::int64_t> open_connections{0};
  std::atomic<std::int64_t> in_flight{0};
  std::atomic<std::uint64_t> rejected_connections{0};  // over max_connections or out of file descriptors
  std::atomic<std::uint64_t> busy_rejections{0};       // 503: classification slots or body memory exhausted
  std::array<std::atomic<std::uint64_t>, kTimeoutKinds> timeouts{};
  std::atomic<std::uint64_t> model_reloads{0};          // SIGHUP or Server::reload(): a new model serves
  std::atomic<std::uint64_t> model_reload_failures{0};  // ... or it did not load and the old one serves on

  std::string render(std::string_view model_name, double model_accuracy, std::uint64_t body_memory_in_use) const;

 private:
  struct Shard;
  int shard_count_;
  std::unique_ptr<Shard[]> shards_;
  double start_time_seconds_;
};

}  // namespace blnk::serve
