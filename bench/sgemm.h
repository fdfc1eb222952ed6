// The machine's float32 ceiling: a large square SGEMM, by Eigen (with its own
// OpenMP threading on) and, when the library can be loaded, by OpenBLAS.
#pragma once

#include <string>

namespace blnk::bench {

struct SgemmResult {
  bool ok = false;
  std::string error;       // why it did not run (e.g. OpenBLAS not found)
  double best_gflops = 0;  // best of the repetitions
  double median_gflops = 0;
};

// C = A * B with (size x size) row-major matrices, `reps` timed runs after one warm-up.
SgemmResult sgemm_eigen(int size, int threads, int reps);
// OpenBLAS's cblas_sgemm, loaded with dlopen from `library` (no link-time dependency).
SgemmResult sgemm_openblas(int size, int threads, int reps, const std::string& library);

}  // namespace blnk::bench
