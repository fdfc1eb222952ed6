// small_gemm against a double-precision product, over the shapes its blocking
// splits differently (row tails, 1-4 vector panels, masked last columns, one row),
// with transposed and interleaved operands.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "base/rng.h"
#include "layers/small_gemm.h"

using namespace blnk;

namespace {

constexpr float kSentinel = 12345.0f;

struct Product {
  int m, n, k;
  bool transposed_a;  // A stored as (k x m): a_row = 1, a_col = m
  bool accumulate;
};

// Runs small_gemm (or the plain loops) on C with a guard column band past n and a
// guard row after m, and returns C (m x ldc).
std::vector<float> run(const Product& p, const std::vector<float>& a, const std::vector<float>& b,
                       const std::vector<float>& c0, int ldc, bool plain) {
  std::vector<float> c = c0;
  const GemmOperand op = p.transposed_a ? GemmOperand{a.data(), 1, p.m} : GemmOperand{a.data(), p.k, 1};
  (plain ? small_gemm_plain : small_gemm)(p.m, p.n, p.k, op, b.data(), p.n, c.data(), ldc, p.accumulate);
  return c;
}

}  // namespace

TEST_CASE("small_gemm matches a double-precision product and writes only its m x n block") {
  const Product products[] = {
      {1, 128, 576, false, false},  // one row: the 8-vector path (Dense at batch 1)
      {1, 10, 128, false, false},   // one row, one masked vector (the logits layer)
      {49, 64, 32, false, false},   // Winograd forward, conv2 at batch 1: 8 blocks of 6 + 1 row
      {98, 32, 64, false, false},   // two-vector panels (dV of conv2)
      {64, 64, 98, true, true},     // the kernel gradient: A transposed, accumulated
      {7, 48, 5, false, true},      // a 3-vector panel
      {13, 100, 9, true, false},    // 4 + 2 vectors and a masked one
      {30, 7, 11, false, true},     // fewer columns than a vector
      {5, 16, 1, false, false},     // k = 1
      {3, 200, 0, false, false},    // k = 0: C = 0
  };
  Rng rng(11);
  for (const Product& p : products) {
    CAPTURE(p.m);
    CAPTURE(p.n);
    CAPTURE(p.k);
    CAPTURE(p.transposed_a);
    const int ldc = p.n + 5;
    // At least one element: with k = 0 an empty vector's data() is null, and null + j inside
    // small_gemm is undefined (clang's UBSan reports it); every caller passes a real buffer.
    std::vector<float> a(std::max<std::size_t>(1, std::size_t(p.m) * p.k)),
        b(std::max<std::size_t>(1, std::size_t(p.k) * p.n)), c0(std::size_t(p.m + 1) * ldc);
    for (float& v : a) v = rng.uniform(-1, 1);
    for (float& v : b) v = rng.uniform(-1, 1);
    for (int i = 0; i <= p.m; ++i)
      for (int j = 0; j < ldc; ++j) c0[std::size_t(i) * ldc + j] = i < p.m && j < p.n ? rng.uniform(-1, 1) : kSentinel;
    for (bool plain : {false, true}) {
      CAPTURE(plain);
      const std::vector<float> c = run(p, a, b, c0, ldc, plain);
      int wrong = 0, guard_written = 0;
      for (int i = 0; i <= p.m; ++i)
        for (int j = 0; j < ldc; ++j) {
          const float got = c[std::size_t(i) * ldc + j];
          if (i == p.m || j >= p.n) {
            guard_written += got != kSentinel;
            continue;
          }
          double expected = p.accumulate ? c0[std::size_t(i) * ldc + j] : 0.0;
          for (int q = 0; q < p.k; ++q) {
            const float aiq = p.transposed_a ? a[std::size_t(q) * p.m + i] : a[std::size_t(i) * p.k + q];
            expected += double(aiq) * b[std::size_t(q) * p.n + j];
          }
          wrong += std::abs(got - expected) > 1e-4 * (1.0 + std::sqrt(double(p.k)));
        }
      CHECK(wrong == 0);
      CHECK(guard_written == 0);
    }
  }
}

// Dense relies on this: a sample's row comes out the same in any batch.
TEST_CASE("small_gemm gives each row the same bits whatever the number of rows") {
  const int n = 128, k = 576;
  Rng rng(12);
  for (int m : {2, 6, 7, 13, 32}) {
    CAPTURE(m);
    std::vector<float> a(std::size_t(m) * k), b(std::size_t(k) * n);
    for (float& v : a) v = rng.uniform(-1, 1);
    for (float& v : b) v = rng.uniform(-1, 1);
    std::vector<float> together(std::size_t(m) * n), alone(n);
    small_gemm(m, n, k, {a.data(), k, 1}, b.data(), n, together.data(), n, false);
    int differing_rows = 0;
    for (int i = 0; i < m; ++i) {
      small_gemm(1, n, k, {a.data() + std::size_t(i) * k, k, 1}, b.data(), n, alone.data(), n, false);
      differing_rows += !std::equal(alone.begin(), alone.end(), together.begin() + std::ptrdiff_t(i) * n);
    }
    CHECK(differing_rows == 0);
  }
}

// Dense reads one sample through small_gemv_skipping_zeros: it must give small_gemm's
// bits, so a photo's answer does not depend on which of the two read it.
TEST_CASE("small_gemv_skipping_zeros gives small_gemm's bits for one row, reading only the rows that count") {
  struct Shape { int n, k; };
  const Shape shapes[] = {
      {128, 3136},  // the digit gate's first dense layer: many stretches of the row list
      {10, 128},    // the logits layer: one masked vector
      {200, 300},   // 8 vectors, 4 single ones and a masked one; a partial last stretch
      {16, 1},      // k = 1
      {33, 17},     // a masked tail of x within one stretch
      {7, 0},       // k = 0: C = 0
  };
  Rng rng(13);
  for (const Shape& s : shapes) {
    CAPTURE(s.n);
    CAPTURE(s.k);
    std::vector<float> x(std::size_t(s.k)), b(std::size_t(s.k) * s.n);
    for (float& v : b) v = rng.uniform(-1, 1);
    // 80% zeros (some -0.0, as a ReLU may leave them), in runs and alone.
    for (float& v : x) {
      const float u = rng.uniform(0, 1);
      v = u < 0.7f ? 0.0f : u < 0.8f ? -0.0f : rng.uniform(-1, 1);
    }
    // A weight row that only a zero input would reach: a NaN there must not be read.
    std::vector<float> b_poisoned = b;
    for (int p = 0; p < s.k; ++p)
      if (x[std::size_t(p)] == 0.0f) b_poisoned[std::size_t(p) * s.n] = NAN;
    std::vector<float> dense(std::size_t(s.n) + 1, kSentinel), sparse(std::size_t(s.n) + 1, kSentinel);
    for (bool plain : {false, true}) {
      CAPTURE(plain);
      (plain ? small_gemm_plain : small_gemm)(1, s.n, s.k, {x.data(), s.k, 1}, b.data(), s.n, dense.data(), s.n, false);
      (plain ? small_gemv_skipping_zeros_plain : small_gemv_skipping_zeros)(s.n, s.k, x.data(), b_poisoned.data(), s.n,
                                                                          sparse.data());
      int differing = 0;
      for (int j = 0; j < s.n; ++j)
        differing += std::memcmp(&dense[std::size_t(j)], &sparse[std::size_t(j)], sizeof(float)) != 0;
      CHECK(differing == 0);
      CHECK(sparse[std::size_t(s.n)] == kSentinel);  // nothing written past n
    }
  }
}

TEST_CASE("small_gemv_skipping_zeros adds a NaN input as small_gemm does") {
  const int n = 20, k = 40;
  std::vector<float> x(k, 0.0f), b(std::size_t(k) * n, 0.5f), c(n);
  x[3] = 1.0f;
  x[37] = NAN;
  small_gemv_skipping_zeros(n, k, x.data(), b.data(), n, c.data());
  int nan_outputs = 0;
  for (float v : c) nan_outputs += std::isnan(v);
  CHECK(nan_outputs == n);
}
