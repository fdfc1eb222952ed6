// The SGEMM ceiling (see sgemm.h). This file is compiled without blnk_engine's
// EIGEN_DONT_PARALLELIZE, so Eigen may thread its GEMM with OpenMP.
#include "sgemm.h"

#include <dlfcn.h>
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <vector>

namespace blnk::bench {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

template <class F>
SgemmResult time_runs(int size, int reps, F&& run) {
  run();  // warm-up: page faults, packing buffers, thread start
  std::vector<double> gflops;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    run();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    gflops.push_back(2.0 * double(size) * size * size / s * 1e-9);
  }
  std::sort(gflops.begin(), gflops.end());
  SgemmResult r;
  r.ok = true;
  r.best_gflops = gflops.back();
  r.median_gflops = gflops[gflops.size() / 2];
  return r;
}

}  // namespace

SgemmResult sgemm_eigen(int size, int threads, int reps) {
  omp_set_num_threads(threads);
  Eigen::setNbThreads(threads);
  RowMatrix a = RowMatrix::Random(size, size), b = RowMatrix::Random(size, size), c(size, size);
  return time_runs(size, reps, [&] { c.noalias() = a * b; });
}

SgemmResult sgemm_openblas(int size, int threads, int reps, const std::string& library) {
  // The CBLAS enumerations' values, fixed by the CBLAS interface.
  constexpr int kRowMajor = 101, kNoTrans = 111;
  using Sgemm = void (*)(int, int, int, int, int, int, float, const float*, int, const float*, int, float,
                         float*, int);
  using SetThreads = void (*)(int);
  void* lib = dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  SgemmResult r;
  if (!lib) {
    r.error = dlerror();
    return r;
  }
  auto sgemm = reinterpret_cast<Sgemm>(dlsym(lib, "cblas_sgemm"));
  auto set_threads = reinterpret_cast<SetThreads>(dlsym(lib, "openblas_set_num_threads"));
  if (!sgemm || !set_threads) {
    r.error = library + ": no cblas_sgemm or openblas_set_num_threads";
    return r;
  }
  set_threads(threads);
  RowMatrix a = RowMatrix::Random(size, size), b = RowMatrix::Random(size, size), c(size, size);
  return time_runs(size, reps, [&] {
    sgemm(kRowMajor, kNoTrans, kNoTrans, size, size, size, 1.0f, a.data(), size, b.data(), size, 0.0f, c.data(),
          size);
  });
}

}  // namespace blnk::bench
