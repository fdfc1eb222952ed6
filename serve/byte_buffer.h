// A growable byte queue for socket input and output: bytes are appended at the
// back and consumed from the front, storage is kept between requests (no zero-fill,
// no per-request allocation) and given back when it grew large.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace blnk::serve {

class ByteBuffer {
 public:
  std::string_view view() const { return {data_.get() + begin_, end_ - begin_}; }
  std::size_t size() const { return end_ - begin_; }
  bool empty() const { return begin_ == end_; }
  std::size_t capacity() const { return capacity_; }

  void consume(std::size_t n) {
    begin_ += n;
    if (begin_ >= end_) begin_ = end_ = 0;
  }
  // At least `n` writable bytes at the back; fill them, then commit() what was written.
  char* prepare(std::size_t n) {
    if (capacity_ - end_ < n) make_room(n);
    return data_.get() + end_;
  }
  void commit(std::size_t n) { end_ += n; }
  void append(std::string_view s) {
    std::memcpy(prepare(s.size()), s.data(), s.size());
    commit(s.size());
  }
  void clear() { begin_ = end_ = 0; }
  // Frees the storage if it is empty and larger than `keep` bytes.
  void shrink_if_idle(std::size_t keep) {
    if (empty() && capacity_ > keep) {
      data_.reset();
      capacity_ = 0;
      begin_ = end_ = 0;
    }
  }

 private:
  void make_room(std::size_t n) {
    const std::size_t used = end_ - begin_;
    if (begin_ > 0 && capacity_ - used >= n && used <= capacity_ / 2) {
      std::memmove(data_.get(), data_.get() + begin_, used);  // compact
    } else {
      std::size_t cap = capacity_ < 4096 ? 4096 : capacity_;
      while (cap - used < n) cap *= 2;
      std::unique_ptr<char[]> bigger(new char[cap]);
      if (used > 0) std::memcpy(bigger.get(), data_.get() + begin_, used);
      data_ = std::move(bigger);
      capacity_ = cap;
    }
    begin_ = 0;
    end_ = used;
  }

  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace blnk::serve
