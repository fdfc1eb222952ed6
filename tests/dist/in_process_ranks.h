// N ranks as N threads of one process, exchanging through shared memory: the
// trainer's slicing over ranks tested without MPI (test_exchange.cpp, test_exchange_bn.cpp).
#pragma once

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <span>
#include <vector>

#include "train/exchange.h"

namespace blnk::testing {

// N ranks that are threads of this process: an all-gather copies the other ranks'
// blocks out of their buffers between two barriers.
class InProcessRanks {
 public:
  explicit InProcessRanks(int ranks) : ranks_(ranks), buffers_(ranks) {}
  int ranks() const { return ranks_; }

  template <typename T>
  void all_gather(int rank, std::span<T> all) {
    buffers_[rank] = all.data();
    barrier();
    const std::size_t block = all.size() / std::size_t(ranks_);
    for (int r = 0; r < ranks_; ++r)
      if (r != rank)
        std::memcpy(all.data() + r * block, static_cast<const T*>(buffers_[r]) + r * block, block * sizeof(T));
    barrier();
  }

 private:
  void barrier() {
    std::unique_lock lock(mutex_);
    const long generation = generation_;
    if (++arrived_ == ranks_) {
      arrived_ = 0;
      ++generation_;
      cv_.notify_all();
    } else {
      cv_.wait(lock, [&] { return generation_ != generation; });
    }
  }

  int ranks_;
  std::vector<const void*> buffers_;
  std::mutex mutex_;
  std::condition_variable cv_;
  int arrived_ = 0;
  long generation_ = 0;
};

class InProcessExchange final : public train::GradientExchange {
 public:
  InProcessExchange(InProcessRanks& ranks, int rank) : ranks_(ranks), rank_(rank) {}
  int rank() const override { return rank_; }
  int ranks() const override { return ranks_.ranks(); }
  void all_gather(std::span<float> all) override { ranks_.all_gather(rank_, all); }
  void all_gather(std::span<double> all) override { ranks_.all_gather(rank_, all); }

 private:
  InProcessRanks& ranks_;
  int rank_;
};

}  // namespace blnk::testing
