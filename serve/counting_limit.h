// A non-blocking counting semaphore over a named limit: classifications running at
// once, bytes of request bodies buffered at once. Workers never wait on it (that
// would stall their event loop): when it is full the request gets a 503.
#pragma once

#include <atomic>
#include <cstdint>

namespace blnk::serve {

class CountingLimit {
 public:
  explicit CountingLimit(std::uint64_t limit) : limit_(limit) {}

  bool try_acquire(std::uint64_t n = 1) {
    std::uint64_t used = used_.load(std::memory_order_relaxed);
    do {
      if (n > limit_ || used > limit_ - n) return false;
    } while (!used_.compare_exchange_weak(used, used + n, std::memory_order_acquire, std::memory_order_relaxed));
    return true;
  }
  void release(std::uint64_t n = 1) { used_.fetch_sub(n, std::memory_order_release); }
  std::uint64_t in_use() const { return used_.load(std::memory_order_relaxed); }
  std::uint64_t limit() const { return limit_; }

 private:
  const std::uint64_t limit_;
  std::atomic<std::uint64_t> used_{0};
};

// Holds one unit of a CountingLimit for a scope.
class LimitSlot {
 public:
  explicit LimitSlot(CountingLimit& limit) : limit_(limit), held_(limit.try_acquire()) {}
  ~LimitSlot() {
    if (held_) limit_.release();
  }
  LimitSlot(const LimitSlot&) = delete;
  LimitSlot& operator=(const LimitSlot&) = delete;
  explicit operator bool() const { return held_; }

 private:
  CountingLimit& limit_;
  bool held_;
};

}  // namespace blnk::serve
