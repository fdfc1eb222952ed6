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

// The eventfds SIGTERM/SIGINT and SIGHUP write to while a server runs with handle_signals.
std::atomic<int> g_signal_fd{-1};
std::atomic<int> g_reload_fd{-1};

void signal_eventfd(const std::atomic<int>& target) {
  const int saved = errno;
  const int fd = target.load();
  if (fd >= 0) {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(fd, &one, sizeof one);
  }
  errno = saved;
}

extern "C" void on_stop_signal(int) { signal_eventfd(g_signal_fd); }
extern "C" void on_reload_signal(int) { signal_eventfd(g_reload_fd); }

void drain_eventfd(int fd) {
  std::uint64_t count = 0;
  [[maybe_unused]] const ssize_t n = ::read(fd, &count, sizeof count);
}

// A classifier the caller owns: shared_ptr's bookkeeping without the ownership.
std::shared_ptr<const reader::Classifier> borrowed(const reader::Classifier& classifier) {
  return std::shared_ptr<const reader::Classifier>(&classifier, [](const reader::Classifier*) {});
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

std::shared_ptr<const ServedModel> make_served_model(std::shared_ptr<const reader::Classifier> classifier) {
  auto m = std::make_shared<ServedModel>();
  m->name = classifier->model_name();
  m->accuracy = classifier->model_accuracy();
  m->classes = classifier->class_names();
  m->index_page = render_page(m->name, m->accuracy, "", m->classes);
  m->classifier = std::move(classifier);
  return m;
}

struct Server::Impl {
  ServerConfig config;
  ModelSlot model;
  Metrics metrics;
  CountingLimit classify_slots;
  CountingLimit body_memory;
  WorkerShared shared;
  std::vector<std::unique_ptr<Worker>> workers;
  int stop_fd = -1;
  int reload_fd = -1;
  int port = 0;
  std::atomic<bool> ran{false};

  Impl(ServerConfig c, std::shared_ptr<const ServedModel> m)
      : config(std::move(c)),
        model(std::move(m)),
        metrics(config.threads),
        classify_slots(static_cast<std::uint64_t>(config.max_concurrent_classifications)),
        body_memory(config.max_body_memory) {}

  void log_error(const std::string& message) const {
    if (config.error_log) config.error_log(message);
  }
  void swap_model(std::shared_ptr<const reader::Classifier> classifier) {
    model.set(make_served_model(std::move(classifier)));
    shared.model_generation.fetch_add(1, std::memory_order_acq_rel);
    for (auto& w : workers) w->wake();  // an idle worker would otherwise pin the old model
  }
  // On SIGHUP or reload(): a model that fails to load leaves the current one serving.
  void reload_model() {
    const std::string current = model.get()->name;
    if (!config.load_model) {
      log_error("reload asked, but this server has no model loader; still serving " + current);
      return;
    }
    try {
      std::shared_ptr<const reader::Classifier> next = config.load_model();
      if (!next) throw Error("the loader returned no model");
      swap_model(std::move(next));
      metrics.model_reloads.fetch_add(1, std::memory_order_relaxed);
      log_error("reloaded the model: " + current + " -> " + model.get()->name);
    } catch (const std::exception& e) {
      metrics.model_reload_failures.fetch_add(1, std::memory_order_relaxed);
      log_error(std::string("model reload failed, still serving ") + current + ": " + e.what());
    }
  }
};

Server::Server(ServerConfig config, const reader::Classifier& classifier)
    : Server(std::move(config), borrowed(classifier)) {}

Server::Server(ServerConfig config, std::shared_ptr<const reader::Classifier> classifier) {
  validate(config);
  if (!classifier) throw Error("invalid server configuration: no classifier");
  impl_ = std::make_unique<Impl>(std::move(config), make_served_model(std::move(classifier)));
  Impl& s = *impl_;
  s.stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  s.reload_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (s.stop_fd < 0 || s.reload_fd < 0) {
    const std::string why = std::strerror(errno);
    if (s.stop_fd >= 0) ::close(s.stop_fd);
    if (s.reload_fd >= 0) ::close(s.reload_fd);
    throw Error("cannot create an eventfd: " + why);
  }
  try {
    s.shared.listen_fd = open_listener(s.config.host, s.config.port);
  } catch (...) {
    ::close(s.stop_fd);
    ::close(s.reload_fd);
    throw;
  }
  s.port = local_port(s.shared.listen_fd);
  s.shared.config = &s.config;
  s.shared.metrics = &s.metrics;
  s.shared.body_memory = &s.body_memory;
  s.shared.model = &s.model;
  Context context;  // the model's fields are filled in by each worker (Worker::take_current_model)
  context.config = &s.config;
  context.metrics = &s.metrics;
  context.classify_slots = &s.classify_slots;
  context.body_memory = &s.body_memory;
  try {
    for (int i = 0; i < s.config.threads; ++i) {
      s.workers.push_back(std::make_unique<Worker>(i, s.shared, context));
      s.shared.workers.push_back(s.workers.back().get());
    }
  } catch (...) {
    s.workers.clear();
    ::close(s.shared.listen_fd);
    ::close(s.stop_fd);
    ::close(s.reload_fd);
    throw;
  }
}

Server::~Server() {
  if (!impl_) return;
  impl_->workers.clear();
  ::close(impl_->shared.listen_fd);
  ::close(impl_->stop_fd);
  ::close(impl_->reload_fd);
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

void Server::reload() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(impl_->reload_fd, &one, sizeof one);
}

void Server::replace_model(std::shared_ptr<const reader::Classifier> classifier) {
  if (!classifier) throw Error("replace_model: no classifier");
  impl_->swap_model(std::move(classifier));
}

void Server::run() {
  Impl& s = *impl_;
  if (s.ran.exchange(true)) throw Error("Server::run() may only be called once");

  struct sigaction old_term {};
  struct sigaction old_int {};
  struct sigaction old_hup {};
  const bool signals = s.config.handle_signals;
  const bool hup = signals && s.config.load_model;
  if (signals) {
    g_signal_fd.store(s.stop_fd);
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGINT, &sa, &old_int);
    if (hup) {
      g_reload_fd.store(s.reload_fd);
      sa.sa_handler = on_reload_signal;
      sigaction(SIGHUP, &sa, &old_hup);
    }
  }

  std::vector<std::thread> threads;
  threads.reserve(s.workers.size());
  for (auto& w : s.workers) threads.emplace_back([&w] { w->run(); });

  pollfd p[2]{};
  p[0].fd = s.stop_fd;
  p[1].fd = s.reload_fd;
  p[0].events = p[1].events = POLLIN;
  // Stop only when the stop eventfd is readable: an interrupted poll (EINTR, or a
  // debugger's call into the process, seen to return a stale count) is no request.
  // Reloads run here, on run()'s thread: loading a model never stalls a worker.
  const int timeout_ms = s.config.housekeeping ? int(s.config.housekeeping_interval.count()) : -1;
  for (;;) {
    p[0].revents = p[1].revents = 0;
    const int ready = poll(p, 2, timeout_ms);
    if (ready == 0) {
      s.config.housekeeping();
      continue;
    }
    if (ready < 0 && errno != EINTR) break;  // cannot wait any more: stop rather than spin
    if (ready > 0 && (p[0].revents & (POLLIN | POLLERR | POLLHUP | POLLNVAL))) break;
    if (ready > 0 && (p[1].revents & POLLIN)) {
      drain_eventfd(s.reload_fd);  // several SIGHUPs before we got here: one reload
      s.reload_model();
    }
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
    if (hup) {
      sigaction(SIGHUP, &old_hup, nullptr);
      g_reload_fd.store(-1);
    }
  }
}

}  // namespace blnk::serve
