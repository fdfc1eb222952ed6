// Heap allocations of this process, counted at malloc itself (tests/alloc_counter.cpp
// interposes malloc, calloc, realloc and the aligned allocators), so that operator new,
// Eigen's temporaries and anything else that takes memory from the heap are all seen.
#pragma once

namespace blnk::testing {

// False under the address sanitizer, which interposes malloc itself: nothing is counted.
bool counting_allocations();
long heap_allocations();

}  // namespace blnk::testing
