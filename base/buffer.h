// A 64-byte aligned, zero-filled block of memory, allocated once, with every page
// touched at allocation, so the first batch pays no page faults (on this VM a first
// touch costs ~12 us per 4 KiB page). Blocks of 2 MiB and more are mapped on their
// own in transparent huge pages where the kernel allows them (one fault per 2 MiB
// instead of 512, and fewer TLB misses in the kernels that stream through them):
// a training workspace of the residual network is 100-130 MB, whose 4 KiB faults took
// ~0.6 s of every run. Fresh pages from the kernel are already zero.
#pragma once

#include <cstddef>
#include <memory>

namespace blnk {

inline constexpr std::size_t kAlignment = 64;

inline std::size_t align_up(std::size_t bytes) {
  return (bytes + kAlignment - 1) / kAlignment * kAlignment;
}

// Asks the kernel to back the whole 2 MiB pages inside [p, p + bytes) with huge
// pages when they are first touched: for large buffers owned elsewhere (a vector the
// data is read into, reserved first). A hint: where it is not supported, nothing changes.
void advise_huge_pages(void* p, std::size_t bytes);

class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(std::size_t bytes);
  std::byte* data() const { return data_.get(); }
  std::size_t size() const { return size_; }

 private:
  struct Free {
    std::size_t mapped;  // bytes of an own mapping; 0 (value-initialized): from the heap
    void operator()(std::byte* p) const;
  };
  std::unique_ptr<std::byte, Free> data_;
  std::size_t size_ = 0;
};

}  // namespace blnk
