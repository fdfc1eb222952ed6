// AlignedBuffer (see buffer.h): small blocks from the heap, large ones mapped in
// huge pages.
#include "base/buffer.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace blnk {
namespace {

// x86-64's transparent huge page; a block smaller than one stays on the heap.
constexpr std::size_t kHugePage = std::size_t(2) << 20;

std::size_t round_up(std::size_t bytes, std::size_t unit) { return (bytes + unit - 1) / unit * unit; }

// `bytes` (a multiple of kHugePage) mapped at a kHugePage boundary, so that every
// 2 MiB of it can be one huge page; null when the kernel refuses the mapping.
std::byte* map_huge_aligned(std::size_t bytes) {
  const std::size_t over = bytes + kHugePage;
  void* p = mmap(nullptr, over, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  auto* raw = static_cast<std::byte*>(p);
  const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(raw);
  std::byte* start = raw + (round_up(address, kHugePage) - address);
  if (start > raw) munmap(raw, std::size_t(start - raw));
  const std::size_t tail = std::size_t(raw + over - (start + bytes));
  if (tail > 0) munmap(start + bytes, tail);
#ifdef MADV_HUGEPAGE
  madvise(start, bytes, MADV_HUGEPAGE);  // advice: without it the pages are 4 KiB, as before
#endif
  return start;
}

// Faults every page in now (they read as zero, as mapped).
void touch_pages(std::byte* p, std::size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  if (madvise(p, bytes, MADV_POPULATE_WRITE) == 0) return;
#endif
  const long page = sysconf(_SC_PAGESIZE);
  const std::size_t step = page > 0 ? std::size_t(page) : 4096;
  for (std::size_t i = 0; i < bytes; i += step) *reinterpret_cast<volatile std::byte*>(p + i) = std::byte{0};
}

}  // namespace

void advise_huge_pages(void* p, std::size_t bytes) {
#ifdef MADV_HUGEPAGE
  const std::uintptr_t begin = round_up(reinterpret_cast<std::uintptr_t>(p), kHugePage);
  const std::uintptr_t end = (reinterpret_cast<std::uintptr_t>(p) + bytes) / kHugePage * kHugePage;
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)p, (void)bytes;
#endif
}

AlignedBuffer::AlignedBuffer(std::size_t bytes) : size_(align_up(bytes)) {
  if (size_ == 0) return;
  if (size_ >= kHugePage) {
    const std::size_t mapped = round_up(size_, kHugePage);
    if (std::byte* p = map_huge_aligned(mapped)) {
      touch_pages(p, mapped);
      data_ = std::unique_ptr<std::byte, Free>(p, Free{mapped});
      return;
    }
  }
  void* p = std::aligned_alloc(kAlignment, size_);
  if (!p) throw std::bad_alloc();
  std::memset(p, 0, size_);
  data_.reset(static_cast<std::byte*>(p));
}

void AlignedBuffer::Free::operator()(std::byte* p) const {
  if (mapped > 0)
    munmap(p, mapped);
  else
    std::free(p);
}

}  // namespace blnk
