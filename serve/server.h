// The blnk HTTP server: a fixed pool of epoll workers answering the upload page,
// /predict, /healthz, /metrics and /api. This is the one header the CLI needs.
//
//   blnk::serve::ServerConfig config;            // defaults from serve/limits.h
//   config.port = 8000;
//   config.access_log_file = stderr;
//   blnk::serve::Server server(config, classifier);  // binds now; throws blnk::Error
//   server.run();    // blocks until stop() or SIGTERM/SIGINT, drains, returns
//
// Tests bind port 0, read bound_port(), run() in a thread and stop() it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "reader/classifier.h"
#include "serve/forwarded.h"
#include "serve/limits.h"

namespace blnk::serve {

struct ServerConfig {
  std::string host = "127.0.0.1";  // IPv4 or IPv6 literal, or "localhost"; "0.0.0.0" for all interfaces
  int port = kDefaultPort;         // 0: the kernel picks a free port (see Server::bound_port)
  int threads = kDefaultThreads;   // event-loop workers; handlers run on them

  std::size_t max_body_bytes = kDefaultMaxBodyBytes;      // one upload; over it: 413
  std::size_t max_header_bytes = kDefaultMaxHeaderBytes;  // header fields; over it: 431
  int max_headers = kDefaultMaxHeaders;                   // header fields; over it: 431
  std::size_t max_uri_bytes = kDefaultMaxUriBytes;        // request target; over it: 414
  int max_connections = kDefaultMaxConnections;           // over it: 503 and close
  int max_keep_alive_requests = kDefaultMaxKeepAliveRequests;
  int max_concurrent_classifications = kDefaultMaxConcurrentClassifications;  // over it: 503
  std::size_t max_body_memory = kDefaultMaxBodyMemory;    // bodies buffered at once; over it: 503

  std::chrono::milliseconds header_timeout = kDefaultHeaderTimeout;  // slowloris: 408 and close
  std::chrono::milliseconds body_timeout = kDefaultBodyTimeout;      // stalled upload: 408 and close
  std::chrono::milliseconds idle_timeout = kDefaultIdleTimeout;      // idle keep-alive: close
  std::chrono::milliseconds write_timeout = kDefaultWriteTimeout;    // client not reading: close
  std::chrono::milliseconds drain_timeout = kDefaultDrainTimeout;    // after stop(): then force-close

  bool handle_signals = true;  // SIGTERM and SIGINT stop run(), SIGHUP reloads (handlers restored when it returns)

  // Graceful reload: on SIGHUP (with handle_signals and load_model set) or reload(),
  // run()'s thread calls load_model and serves what it returns from then on. Requests
  // already begun end on the model they began with; the old model is freed after the
  // last of them. If load_model throws, the current model serves on and error_log says
  // why. Empty: SIGHUP keeps its default action and reload() only logs.
  std::function<std::shared_ptr<const reader::Classifier>()> load_model;

  // Proxies whose X-Forwarded-For the access log believes (serve/forwarded.h); empty:
  // the log always names the TCP peer.
  std::vector<AddressRange> trusted_proxies;

  // Origins whose pages may call the API from a browser (serve/cors.h): each
  // "scheme://host[:port]", or "*" for any; empty: no CORS headers at all.
  std::vector<std::string> cors_origins;

  // One line per request: "2026-01-02T03:04:05Z 127.0.0.1 POST /predict 200 412 0.53ms".
  // Either sink or both; neither means no access log. Called from worker threads.
  std::function<void(const std::string&)> access_log;
  std::FILE* access_log_file = nullptr;
  // Problems the server survives (accept failures, a handler that threw, ...).
  std::function<void(const std::string&)> error_log;
  // Called by run()'s thread every housekeeping_interval while serving (e.g. to give
  // freed memory back to the system); empty: nothing.
  std::function<void()> housekeeping;
  std::chrono::milliseconds housekeeping_interval = std::chrono::seconds(10);
};

class Server {
 public:
  // Validates the config, binds and listens. Throws blnk::Error (port in use, bad host, ...).
  Server(ServerConfig config, std::shared_ptr<const reader::Classifier> classifier);
  // The same with a classifier the caller keeps alive for the server's whole life.
  Server(ServerConfig config, const reader::Classifier& classifier);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until stop() or, with handle_signals, SIGTERM/SIGINT. Then stops accepting,
  // lets in-flight requests finish (up to drain_timeout) and returns. Call once.
  void run();
  // Asks run() to return. Thread-safe; may be called before run() or many times.
  void stop();
  // Asks run() to load the model again (config.load_model), as SIGHUP does. Thread-safe.
  void reload();
  // Serves `classifier` from now on (requests already begun finish on the old one). Thread-safe.
  void replace_model(std::shared_ptr<const reader::Classifier> classifier);
  // The port actually bound (useful with port 0).
  int bound_port() const;
  // "http://127.0.0.1:8000"
  std::string url() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace blnk::serve
