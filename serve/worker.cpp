// The worker event loop: epoll (level-triggered) over the listening socket, a
// wake-up eventfd and the worker's connections; one recv and one send per turn in
// the common case; a timer sweep for the header, body, idle, write and linger deadlines.
#include "serve/worker.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>

#include "base/error.h"
#include "serve/http_writer.h"
#include "serve/limits.h"
#include "serve/server.h"

namespace blnk::serve {

namespace {

// epoll user data of the two non-connection descriptors.
char kListenTag;
char kWakeTag;

constexpr std::string_view kTooManyConnections =
    "HTTP/1.1 503 Service Unavailable\r\nServer: blnk\r\nContent-Type: application/json\r\n"
    "Content-Length: 47\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
    "{\"error\":\"too many connections\",\"status\":503}\n";

std::int64_t monotonic_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string peer_name(const sockaddr_storage& addr) {
  char buf[INET6_ADDRSTRLEN] = "?";
  if (addr.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(addr).sin_addr, buf, sizeof buf);
  } else if (addr.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(addr).sin6_addr, buf, sizeof buf);
  }
  return buf;
}

int timer_tick_ms(const ServerConfig& c) {
  const auto shortest = std::min({c.header_timeout, c.body_timeout, c.idle_timeout, c.write_timeout});
  const auto tick = std::clamp<std::chrono::milliseconds>(shortest / 8, kMinTimerTick, kMaxTimerTick);
  return static_cast<int>(tick.count());
}

}  // namespace

Worker::Worker(int id, WorkerShared& shared, Context context)
    : id_(id), shared_(shared), context_(std::move(context)), read_buffer_(new char[kReadChunkBytes]) {
  context_.shard = id;
  protocol_.config = shared.config;
  protocol_.context = &context_;
  protocol_.metrics = shared.metrics;
  protocol_.body_memory = shared.body_memory;
  protocol_.stopping = &shared.stopping;
  protocol_.limits = {shared.config->max_uri_bytes, shared.config->max_header_bytes, shared.config->max_headers};
  tick_ms_ = timer_tick_ms(*shared.config);
  take_current_model();
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) {
    const std::string why = std::strerror(errno);
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    if (spare_fd_ >= 0) ::close(spare_fd_);
    throw Error("cannot create the server's event loop: " + why);
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &kWakeTag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  ev.events = EPOLLIN | EPOLLEXCLUSIVE;
  ev.data.ptr = &kListenTag;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, shared.listen_fd, &ev) == 0) listening_ = true;
}

Worker::~Worker() {
  for (auto& c : connections_) {
    abandon_request(*c, protocol_);
    ::close(c->fd);
  }
  std::lock_guard lock(inbox_mutex_);
  for (const Pending& p : inbox_) ::close(p.fd);
  ::close(epoll_fd_);
  ::close(wake_fd_);
  if (spare_fd_ >= 0) ::close(spare_fd_);
}

void Worker::log_error(const std::string& message) const {
  if (shared_.config->error_log) shared_.config->error_log(message);
}

void Worker::take_current_model() {
  model_generation_ = shared_.model_generation.load(std::memory_order_acquire);
  model_ = shared_.model->get();
  context_.classifier = model_->classifier.get();
  context_.model_name = model_->name;
  context_.model_accuracy = model_->accuracy;
  context_.classes = model_->classes;
  context_.index_page = &model_->index_page;
}

void Worker::wake() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
}

void Worker::hand_over(int fd, std::string peer) {
  {
    std::lock_guard lock(inbox_mutex_);
    inbox_.push_back({fd, std::move(peer)});
  }
  load_.fetch_add(1, std::memory_order_relaxed);
  wake();
}

void Worker::run() {
  try {
    loop();
  } catch (const std::exception& e) {
    log_error(std::string("server worker stopped: ") + e.what());
  } catch (...) {
    log_error("server worker stopped by an unknown exception");
  }
}

void Worker::loop() {
  epoll_event events[kEpollEvents];
  now_ms_ = last_sweep_ms_ = monotonic_ms();
  while (true) {
    const bool idle = connections_.empty() && !draining_;
    const int n = epoll_wait(epoll_fd_, events, kEpollEvents, idle ? -1 : tick_ms_);
    if (n < 0 && errno != EINTR) throw Error(std::string("epoll_wait failed: ") + std::strerror(errno));
    now_ms_ = monotonic_ms();
    if (shared_.model_generation.load(std::memory_order_acquire) != model_generation_) take_current_model();
    // While the batch is handled, only the connection of the current event may be
    // closed: others may still have events in the batch. Draining waits until after it.
    bool woken = false;
    for (int i = 0; i < n; ++i) {
      void* tag = events[i].data.ptr;
      if (tag == &kListenTag) {
        accept_batch();
      } else if (tag == &kWakeTag) {
        std::uint64_t count = 0;
        [[maybe_unused]] const ssize_t r = ::read(wake_fd_, &count, sizeof count);
        woken = true;
      } else {
        on_event(*static_cast<Connection*>(tag), events[i].events);
      }
    }
    if (woken) {
      take_inbox();
      if (shared_.stopping.load() && !draining_) begin_drain();
    }
    if (now_ms_ - last_sweep_ms_ >= tick_ms_ || n == 0) sweep();
    if (draining_ && (connections_.empty() || now_ms_ >= drain_deadline_ms_)) break;
  }
  while (!connections_.empty()) close_connection(*connections_.back());
}

// --- Accepting ---------------------------------------------------------------------

void Worker::accept_batch() {
  for (int i = 0; i < kAcceptBatch; ++i) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    const int fd = accept4(shared_.listen_fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE) {
        // Out of descriptors: free the spare one to accept and close the client, so
        // it is not left hanging in the backlog and the loop does not spin.
        shared_.metrics->rejected_connections.fetch_add(1, std::memory_order_relaxed);
        if (spare_fd_ >= 0) {
          ::close(spare_fd_);
          const int victim = accept4(shared_.listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
          if (victim >= 0) ::close(victim);
          spare_fd_ = open("/dev/null", O_RDONLY | O_CLOEXEC);
        }
        log_error("out of file descriptors: a connection was refused");
        return;
      }
      if (errno == EINVAL && listening_) {  // the listening socket was shut down by stop()
        epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, shared_.listen_fd, nullptr);
        listening_ = false;
      } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINVAL) {
        log_error(std::string("accept failed: ") + std::strerror(errno));
      }
      return;
    }
    const auto open = shared_.metrics->open_connections.fetch_add(1, std::memory_order_relaxed);
    if (open >= shared_.config->max_connections || shared_.stopping.load(std::memory_order_relaxed)) {
      shared_.metrics->open_connections.fetch_sub(1, std::memory_order_relaxed);
      shared_.metrics->rejected_connections.fetch_add(1, std::memory_order_relaxed);
      refuse(fd);
      continue;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    Worker* target = this;
    for (Worker* w : shared_.workers) {
      if (w->load() < target->load()) target = w;
    }
    if (target == this) {
      load_.fetch_add(1, std::memory_order_relaxed);
      adopt(fd, peer_name(addr));
    } else {
      target->hand_over(fd, peer_name(addr));
    }
  }
}

// Over the connection limit: a canned 503, then close.
void Worker::refuse(int fd) {
  // Read what the client already sent, so closing does not reset the connection
  // before it sees the answer.
  char discard[4096];
  for (int i = 0; i < 4 && recv(fd, discard, sizeof discard, MSG_DONTWAIT) > 0; ++i) {
  }
  [[maybe_unused]] const ssize_t n = send(fd, kTooManyConnections.data(), kTooManyConnections.size(),
                                          MSG_NOSIGNAL | MSG_DONTWAIT);
  ::close(fd);
}

void Worker::take_inbox() {
  std::vector<Pending> pending;
  {
    std::lock_guard lock(inbox_mutex_);
    pending.swap(inbox_);
  }
  for (Pending& p : pending) adopt(p.fd, std::move(p.peer));
}

// Registers an accepted socket (already counted in load_ and open_connections).
void Worker::adopt(int fd, std::string peer) {
  std::unique_ptr<Connection> c;
  if (!pool_.empty()) {
    c = std::move(pool_.back());
    pool_.pop_back();
  } else {
    c = std::make_unique<Connection>();
  }
  c->reset(fd, std::move(peer), now_ms_);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP;
  ev.data.ptr = c.get();
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    log_error(std::string("epoll_ctl failed: ") + std::strerror(errno));
    ::close(fd);
    shared_.metrics->open_connections.fetch_sub(1, std::memory_order_relaxed);
    load_.fetch_sub(1, std::memory_order_relaxed);
    return;
  }
  c->reading = true;
  c->index = static_cast<int>(connections_.size());
  connections_.push_back(std::move(c));
  if (draining_) connections_.back()->close_after_write = true;
}

// --- Connection I/O ------------------------------------------------------------------

void Worker::on_event(Connection& c, std::uint32_t events) {
  if (events & EPOLLERR) {
    close_connection(c);
    return;
  }
  if ((events & EPOLLOUT) && !flush(c)) {
    close_connection(c);
    return;
  }
  if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP)) {
    if (!read_input(c)) {
      close_connection(c);
      return;
    }
  }
  pump(c);
}

// One recv(); false when the connection is finished (error, or EOF while lingering).
bool Worker::read_input(Connection& c) {
  if (c.phase == Phase::Linger) {
    const ssize_t n = recv(c.fd, read_buffer_.get(), kReadChunkBytes, 0);
    if (n > 0) {
      c.lingered_bytes += static_cast<std::size_t>(n);
      return c.lingered_bytes < kMaxLingerBytes;
    }
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
  }
  if (c.phase == Phase::Closing) {
    // Not reading any more, but a hang-up still tells us the peer is gone.
    return true;
  }
  const ssize_t n = recv(c.fd, read_buffer_.get(), kReadChunkBytes, 0);
  if (n > 0) {
    c.in.append({read_buffer_.get(), static_cast<std::size_t>(n)});
    process_input(c, protocol_, now_ms_);
    return true;
  }
  if (n == 0) {
    // The client is done sending: answer what is complete, then close.
    process_input(c, protocol_, now_ms_);
    if (c.phase == Phase::Head || c.phase == Phase::Body) {
      abandon_request(c, protocol_);
      c.phase = Phase::Closing;
      c.close_after_write = true;
    }
    c.linger = false;
    return true;
  }
  return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

// Sends what is queued; false on a broken connection.
bool Worker::flush(Connection& c) {
  while (!c.out.empty()) {
    const std::string_view data = c.out.view();
    const ssize_t n = send(c.fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      c.out.consume(static_cast<std::size_t>(n));
      c.write_progress_ms = now_ms_;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  return true;
}

// Answers buffered requests and sends, until blocked or out of input.
void Worker::pump(Connection& c) {
  while (true) {
    if (!flush(c)) {
      close_connection(c);
      return;
    }
    const bool can_continue = c.out.empty() && !c.in.empty() && (c.phase == Phase::Head || c.phase == Phase::Body);
    if (!can_continue) break;
    const std::size_t before = c.in.size();
    process_input(c, protocol_, now_ms_);
    if (c.in.size() == before && c.out.empty()) break;  // an incomplete request: wait for more
  }
  settle(c);
}

// Closes a finished connection, or sets the epoll interest the connection needs now.
void Worker::settle(Connection& c) {
  if (c.out.empty() && c.phase == Phase::Closing) {
    if (!c.linger) {
      close_connection(c);
      return;
    }
    shutdown(c.fd, SHUT_WR);
    c.phase = Phase::Linger;
    c.linger_start_ms = now_ms_;
  }
  if (c.phase == Phase::Head && !c.request_begun && c.in.empty() && c.out.empty())
    c.trim_idle_buffers(kRetainedBufferBytes);
  count_buffers(c);
  const bool want_write = !c.out.empty();
  if (want_write && !c.writing) c.write_progress_ms = now_ms_;  // the write timeout starts now
  const bool want_read =
      c.phase == Phase::Linger ||
      ((c.phase == Phase::Head || c.phase == Phase::Body) && c.out.size() < kMaxPendingOutputBytes &&
       c.in.size() < kMaxBufferedInputBytes);
  if (want_read == c.reading && want_write == c.writing) return;
  epoll_event ev{};
  ev.events = (want_read ? EPOLLIN | EPOLLRDHUP : 0u) | (want_write ? EPOLLOUT : 0u);
  ev.data.ptr = &c;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev) != 0) {
    close_connection(c);
    return;
  }
  c.reading = want_read;
  c.writing = want_write;
}

void Worker::close_connection(Connection& c) {
  if (c.fd < 0) return;
  abandon_request(c, protocol_);
  ::close(c.fd);
  c.fd = -1;
  shared_.metrics->open_connections.fetch_sub(1, std::memory_order_relaxed);
  load_.fetch_sub(1, std::memory_order_relaxed);
  const auto index = static_cast<std::size_t>(c.index);
  std::unique_ptr<Connection> owned = std::move(connections_[index]);
  if (index + 1 != connections_.size()) {
    connections_[index] = std::move(connections_.back());
    connections_[index]->index = static_cast<int>(index);
  }
  connections_.pop_back();
  if (static_cast<int>(pool_.size()) < kMaxPooledConnections) {
    owned->in.clear();
    owned->out.clear();
    owned->body.clear();
    owned->trim_idle_buffers(kRetainedBufferBytes);
    count_buffers(*owned);
    pool_.push_back(std::move(owned));
  } else {
    shared_.metrics->add_connection_buffer_bytes(id_, -static_cast<std::int64_t>(owned->counted_buffer_bytes));
  }
}

// Brings the connection-buffer gauge up to date with this connection's buffers.
void Worker::count_buffers(Connection& c) {
  const std::size_t bytes = c.buffer_bytes();
  if (bytes == c.counted_buffer_bytes) return;
  shared_.metrics->add_connection_buffer_bytes(
      id_, static_cast<std::int64_t>(bytes) - static_cast<std::int64_t>(c.counted_buffer_bytes));
  c.counted_buffer_bytes = bytes;
}

// --- Timers and draining ----------------------------------------------------------

void Worker::timeout(Connection& c, TimeoutKind kind, bool send_408) {
  shared_.metrics->timeouts[static_cast<std::size_t>(kind)].fetch_add(1, std::memory_order_relaxed);
  if (send_408 && c.out.empty()) {
    reject(c, protocol_, 408, kind == TimeoutKind::Header ? "timed out waiting for the request head"
                                                          : "timed out waiting for the request body",
           false);
    flush(c);
  }
  close_connection(c);
}

void Worker::sweep() {
  last_sweep_ms_ = now_ms_;
  const ServerConfig& config = *shared_.config;
  // Backwards: closing swaps the last connection into the closed one's slot.
  for (std::size_t i = connections_.size(); i-- > 0;) {
    Connection& c = *connections_[i];
    if (c.phase == Phase::Linger) {
      if (now_ms_ - c.linger_start_ms >= kLingerTimeout.count()) close_connection(c);
    } else if (!c.out.empty()) {
      if (now_ms_ - c.write_progress_ms >= config.write_timeout.count()) timeout(c, TimeoutKind::Write, false);
    } else if (c.phase == Phase::Body) {
      if (now_ms_ - c.body_start_ms >= config.body_timeout.count()) timeout(c, TimeoutKind::Body, true);
    } else if (c.phase == Phase::Head) {
      if (c.request_begun || c.served == 0) {
        if (now_ms_ - c.head_start_ms >= config.header_timeout.count()) {
          timeout(c, TimeoutKind::Header, c.request_begun);
        }
      } else if (now_ms_ - c.wait_start_ms >= config.idle_timeout.count()) {
        timeout(c, TimeoutKind::Idle, false);
      }
    }
  }
}

// Between requests with nothing received, queued or unread in the socket.
bool Worker::is_idle(const Connection& c) const {
  if (c.phase != Phase::Head || c.request_begun || !c.in.empty() || !c.out.empty()) return false;
  int unread = 0;
  return ioctl(c.fd, FIONREAD, &unread) == 0 && unread == 0;
}

void Worker::begin_drain() {
  draining_ = true;
  drain_deadline_ms_ = now_ms_ + shared_.config->drain_timeout.count();
  if (listening_) {
    epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, shared_.listen_fd, nullptr);
    listening_ = false;
  }
  for (std::size_t i = connections_.size(); i-- > 0;) {
    Connection& c = *connections_[i];
    if (c.phase == Phase::Linger || is_idle(c)) close_connection(c);
  }
}

}  // namespace blnk::serve
