// One event-loop worker: an epoll instance, the connections it owns, their
// timeouts, and its share of accepting. All workers watch the listening socket
// (EPOLLEXCLUSIVE); whoever accepts hands the connection to the least loaded one.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "serve/connection.h"
#include "serve/served_model.h"

namespace blnk::serve {

class Worker;

// What all workers share; owned by the Server.
struct WorkerShared {
  const ServerConfig* config = nullptr;
  Metrics* metrics = nullptr;
  CountingLimit* body_memory = nullptr;
  const ModelSlot* model = nullptr;
  // Bumped after each model swap; a worker takes the new model between events, when
  // no handler of its own is running, so a request never sees two models.
  std::atomic<std::uint64_t> model_generation{0};
  std::atomic<bool> stopping{false};
  int listen_fd = -1;
  std::vector<Worker*> workers;
};

class Worker {
 public:
  // Throws blnk::Error if the epoll instance or the wake-up eventfd cannot be made.
  Worker(int id, WorkerShared& shared, Context context);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // The event loop; returns when draining is over. Never throws.
  void run();
  // Wakes the loop (to see `stopping` or its inbox). Thread-safe.
  void wake();
  // Gives this worker an accepted socket. Thread-safe.
  void hand_over(int fd, std::string peer);
  int load() const { return load_.load(std::memory_order_relaxed); }

 private:
  struct Pending {
    int fd;
    std::string peer;
  };

  void loop();
  void accept_batch();
  void refuse(int fd);
  void adopt(int fd, std::string peer);
  void take_inbox();
  void on_event(Connection& c, std::uint32_t events);
  bool read_input(Connection& c);
  bool flush(Connection& c);
  void pump(Connection& c);
  void settle(Connection& c);
  void count_buffers(Connection& c);
  void close_connection(Connection& c);
  void sweep();
  void timeout(Connection& c, TimeoutKind kind, bool send_408);
  bool is_idle(const Connection& c) const;
  void begin_drain();
  void log_error(const std::string& message) const;
  void take_current_model();

  int id_;
  WorkerShared& shared_;
  Context context_;
  std::shared_ptr<const ServedModel> model_;  // what context_ points into; kept alive while used
  std::uint64_t model_generation_ = 0;
  Protocol protocol_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  int spare_fd_ = -1;  // given up to accept-and-close when out of file descriptors
  bool listening_ = false;
  bool draining_ = false;
  std::int64_t now_ms_ = 0;
  std::int64_t last_sweep_ms_ = 0;
  std::int64_t drain_deadline_ms_ = 0;
  int tick_ms_ = 100;
  std::vector<std::unique_ptr<Connection>> connections_;  // Connection::index is the position here
  std::vector<std::unique_ptr<Connection>> pool_;         // closed connections kept for reuse
  // Every recv() lands here first, so a connection's input buffer grows only by what
  // arrived: a slow or idle connection holds a few bytes, not a whole read's room.
  std::unique_ptr<char[]> read_buffer_;
  std::atomic<int> load_{0};
  std::mutex inbox_mutex_;
  std::vector<Pending> inbox_;
};

}  // namespace blnk::serve
