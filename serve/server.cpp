// The Server: validates the config, binds and listens, renders the page once,
// starts the workers, waits for stop() or a signal, then drains and joins them.
#include "serve/server.h"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <thread>
#include <vector>

#include "base/error.h"
#include "serve/page.h"
#include "serve/worker.h"

namespace blnk::serve {

namespace {

constexpr int kMaxThreads = 256;

// The eventfd SIGTERM/SIGINT write to while a server runs with handle_signals.
std::atomic<int> g_signal_fd{-1};

extern "C" void on_stop_signal(int) {
  const int saved = errno;
  const int fd = g_signal_fd.load();
  if (fd >= 0) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(fd, &one, sizeof one);
  }
  errno = saved;
}

void validate(const ServerConfig& c) {
  auto fail = [](const std::string& what) { throw Error("invalid server configuration: " + what); };
  if (c.port < 0 || c.port > 65535) fail("port must be 0 to 65535, not " + std::to_string(c.port));
  if (c.threads < 1 || c.threads > kMaxThreads) fail("threads must be 1 to 256");
  if (c.max_body_bytes < 1) fail("max_body_bytes must be positive");
  if (c.housekeeping && (c.housekeeping_interval.count() < 1 || c.housekeeping_interval.count() > 1 << 30))
    fail("housekeeping_interval must be from 1 ms to about 12 days");
  if (c.max_header_bytes < 256) fail("max_header_bytes must be at least 256");
  if (c.max_headers < 1) fail("max_headers must be positive");
  if (c.max_uri_bytes < 16) fail("max_uri_bytes must be at least 16");
  if (c.max_connections < 1) fail("max_connections must be positive");
  if (c.max_keep_alive_requests < 1) fail("max_keep_alive_requests must be positive");
  if (c.max_concurrent_classifications < 1) fail("max_concurrent_classifications must be positive");
  if (c.max_body_memory < 1) fail("max_body_memory must be positive");
  for (const auto t : {c.header_timeout, c.body_timeout, c.idle_timeout, c.write_timeout}) {
    if (t.count() <= 0) fail("timeouts must be positive");
  }
  if (c.drain_timeout.count() < 0) fail("drain_timeout must not be negative");
}

// Binds and listens on host:port; returns the socket. Throws blnk::Error.
int open_listener(const std::string& host, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int rc = getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) throw Error("cannot listen on '" + host + "': " + gai_strerror(rc));
  std::string why = "no address";
  int fd = -1;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      why = std::strerror(errno);
      continue;
    }
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, a->ai_addr, a->ai_addrlen) == 0 && listen(fd, kListenBacklog) == 0) break;
    why = std::strerror(errno);
    ::close(fd);
    fd = -1;
  }
  freeaddrinfo(found);
  if (fd < 0) throw Error("cannot listen on " + host + ":" + service + ": " + why);
  return fd;
}

int local_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in&>(addr).sin_port);
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6&>(addr).sin6_port);
  return -1;
}

}  // namespace

struct Server::Impl {
  ServerConfig config;
  const reader::Classifier& classifier;
  Metrics metrics;
  CountingLimit classify_slots;
  CountingLimit body_memory;
  std::string index_page;
  std::string model_name;
  double model_accuracy;
  WorkerShared shared;
  std::vector<std::unique_ptr<Worker>> workers;
  int stop_fd = -1;
  int port = 0;
  std::atomic<bool> ran{false};

  Impl(ServerConfig c, const reader::Classifier& k)
      : config(std::move(c)),
        classifier(k),
        metrics(config.threads),
        classify_slots(static_cast<std::uint64_t>(config.max_concurrent_classifications)),
        body_memory(config.max_body_memory) {}
};

Server::Server(ServerConfig config, const reader::Classifier& classifier) {
  validate(config);
  impl_ = std::make_unique<Impl>(std::move(config), classifier);
  Impl& s = *impl_;
  s.model_name = classifier.model_name();
  s.model_accuracy = classifier.model_accuracy();
  s.index_page = render_page(s.model_name, s.model_accuracy, "");
  s.stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (s.stop_fd < 0) throw Error(std::string("cannot create an eventfd: ") + std::strerror(errno));
  try {
    s.shared.listen_fd = open_listener(s.config.host, s.config.port);
  } catch (...) {
    ::close(s.stop_fd);
    throw;
  }
  s.port = local_port(s.shared.listen_fd);
  s.shared.config = &s.config;
  s.shared.metrics = &s.metrics;
  s.shared.body_memory = &s.body_memory;
  Context context;
  context.config = &s.config;
  context.classifier = &s.classifier;
  context.metrics = &s.metrics;
  context.classify_slots = &s.classify_slots;
  context.body_memory = &s.body_memory;
  context.index_page = &s.index_page;
  context.model_name = s.model_name;
  context.model_accuracy = s.model_accuracy;
  try {
    for (int i = 0; i < s.config.threads; ++i) {
      s.workers.push_back(std::make_unique<Worker>(i, s.shared, context));
      s.shared.workers.push_back(s.workers.back().get());
    }
  } catch (...) {
    s.workers.clear();
    ::close(s.shared.listen_fd);
    ::close(s.stop_fd);
    throw;
  }
}

Server::~Server() {
  if (!impl_) return;
  impl_->workers.clear();
  ::close(impl_->shared.listen_fd);
  ::close(impl_->stop_fd);
}

int Server::bound_port() const { return impl_->port; }

std::string Server::url() const {
  const std::string& host = impl_->config.host;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(impl_->port);
}

void Server::stop() {
  // Set at once, so every response from now on says Connection: close; the workers
  // start draining when run() wakes them.
  impl_->shared.stopping.store(true);
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(impl_->stop_fd, &one, sizeof one);
}

void Server::run() {
  Impl& s = *impl_;
  if (s.ran.exchange(true)) throw Error("Server::run() may only be called once");

  struct sigaction old_term {};
  struct sigaction old_int {};
  const bool signals = s.config.handle_signals;
  if (signals) {
    g_signal_fd.store(s.stop_fd);
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGINT, &sa, &old_int);
  }

  std::vector<std::thread> threads;
  threads.reserve(s.workers.size());
  for (auto& w : s.workers) threads.emplace_back([&w] { w->run(); });

  pollfd p{};
  p.fd = s.stop_fd;
  p.events = POLLIN;
  // Stop only when the stop eventfd is readable: an interrupted poll (EINTR, or a
  // debugger's call into the process, seen to return a stale count) is no request.
  const int timeout_ms = s.config.housekeeping ? int(s.config.housekeeping_interval.count()) : -1;
  for (;;) {
    p.revents = 0;
    const int ready = poll(&p, 1, timeout_ms);
    if (ready == 0) {
      s.config.housekeeping();
      continue;
    }
    if (ready < 0 && errno != EINTR) break;  // cannot wait any more: stop rather than spin
    if (ready > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL))) break;
  }

  // Stop accepting (new connections are refused at once), then let each worker drain.
  s.shared.stopping.store(true);
  shutdown(s.shared.listen_fd, SHUT_RD);
  for (auto& w : s.workers) w->wake();
  for (auto& t : threads) t.join();

  if (signals) {
    sigaction(SIGTERM, &old_term, nullptr);
    sigaction(SIGINT, &old_int, nullptr);
    g_signal_fd.store(-1);
  }
}

}  // namespace blnk::serve
