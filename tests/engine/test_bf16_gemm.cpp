// The bfloat16 product (layers/bf16_gemm.h): the rounding to bfloat16 on values worked
// out by hand; the AVX512_BF16 kernel and its emulation bit for bit against each other
// and against a scalar oracle written here from the instruction's definition, over the
// shapes the blocking splits differently and over values that underflow, overflow and
// cancel; and the product close to a double-precision one.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "base/error.h"
#include "base/rng.h"
#include "layers/bf16_gemm.h"

using namespace blnk;

namespace {

std::uint32_t bits_of(float x) { return std::bit_cast<std::uint32_t>(x); }

// The oracle's own rounding: float32 to bfloat16 as vcvtne2ps2bf16 defines it, done
// through double arithmetic rather than bit tricks.
float oracle_round(float x) {
  if (std::isnan(x)) return x;
  if (x == 0 || std::fabs(x) < std::numeric_limits<float>::min()) return std::copysign(0.0f, x);
  if (std::isinf(x)) return x;
  int exponent = 0;
  const double mantissa = std::frexp(double(x), &exponent);  // in [0.5, 1): 8 significant bits kept
  const double scaled = mantissa * 256.0;
  double whole = std::floor(scaled);
  const double rest = scaled - whole;
  if (rest > 0.5 || (rest == 0.5 && std::fmod(whole, 2.0) != 0)) whole += 1;
  const double r = std::ldexp(whole / 256.0, exponent);
  return r > std::numeric_limits<float>::max() ? std::copysign(std::numeric_limits<float>::infinity(), x) : float(r);
}

float oracle_flush(float x) { return std::fabs(x) < std::numeric_limits<float>::min() ? std::copysign(0.0f, x) : x; }

// C = A B (+ C) from the unpacked float32 matrices, pair by pair, the odd element first.
std::vector<float> oracle_product(int m, int n, int k, const std::vector<float>& a, const std::vector<float>& b,
                                  std::vector<float> c, bool accumulate) {
  auto at = [&](const std::vector<float>& v, int row, int col, int cols, int rows) {
    return row < rows ? oracle_round(v[std::size_t(row) * cols + col]) : 0.0f;
  };
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      float acc = accumulate ? c[std::size_t(i) * n + j] : 0.0f;
      for (int p = 0; p < k; p += 2) {
        const float a_even = oracle_round(a[std::size_t(i) * k + p]), b_even = at(b, p, j, n, k);
        const float a_odd = p + 1 < k ? oracle_round(a[std::size_t(i) * k + p + 1]) : 0.0f;
        const float b_odd = at(b, p + 1, j, n, k);
        acc = oracle_flush(std::fma(a_odd, b_odd, oracle_flush(acc)));
        acc = oracle_flush(std::fma(a_even, b_even, acc));
      }
      c[std::size_t(i) * n + j] = acc;
    }
  return c;
}

// A (m x k) packed by rows; B (k x n) packed into rows of pairs; then the product.
std::vector<float> packed_product(int m, int n, int k, const std::vector<float>& a, const std::vector<float>& b,
                                  std::vector<float> c, bool accumulate, bool hardware) {
  const int pairs = bf16_pairs(k);
  std::vector<std::uint32_t> ap(std::size_t(m) * pairs + 1), bp(std::size_t(pairs) * n + 1);
  const auto pack = hardware ? bf16_pack_hardware : bf16_pack_emulated;
  pack(m, k, a.data(), k, 1, ap.data(), pairs, 1);
  pack(n, k, b.data(), 1, n, bp.data(), 1, n);
  (hardware ? bf16_gemm_hardware : bf16_gemm_emulated)(m, n, pairs, {ap.data(), pairs, 1}, bp.data(), n, c.data(), n,
                                                       accumulate);
  return c;
}

void require_same_bits(const std::vector<float>& x, const std::vector<float>& y) {
  REQUIRE(x.size() == y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    CAPTURE(i);
    CAPTURE(x[i]);
    CAPTURE(y[i]);
    REQUIRE(bits_of(x[i]) == bits_of(y[i]));
  }
}

std::vector<float> uniform(std::size_t count, Rng& rng, float scale) {
  std::vector<float> v(count);
  for (float& x : v) x = scale * (2.0f * rng.uniform() - 1.0f);
  return v;
}

}  // namespace

TEST_CASE("bf16_from_float rounds to nearest even, flushes denormals and keeps infinities and NaN") {
  const float one = 1.0f;
  CHECK(bf16_from_float(one) == 0x3F80);
  CHECK(bf16_from_float(1.0f + 0x1p-8f) == 0x3F80);         // halfway, down to the even 1.0
  CHECK(bf16_from_float(1.0f + 3 * 0x1p-8f) == 0x3F82);     // halfway, up to the even 1 + 2^-6
  CHECK(bf16_from_float(1.0f + 0x1p-8f + 0x1p-20f) == 0x3F81);  // past halfway: up
  CHECK(bf16_from_float(-2.0f) == 0xC000);
  CHECK(bf16_from_float(0x1p-130f) == 0x0000);   // a denormal: zero
  CHECK(bf16_from_float(-0x1p-130f) == 0x8000);  // of its sign
  CHECK(bf16_from_float(std::numeric_limits<float>::max()) == 0x7F80);  // rounds up past the largest: infinity
  CHECK(bf16_from_float(-std::numeric_limits<float>::infinity()) == 0xFF80);
  const std::uint16_t nan = bf16_from_float(std::bit_cast<float>(0x7F800001u));  // a signalling NaN
  CHECK((nan & 0x7F80) == 0x7F80);
  CHECK((nan & 0x0040) != 0);  // made quiet
  CHECK(float_from_bf16(0x3F82) == 1.0f + 0x1p-6f);
  Rng rng(5);
  for (int i = 0; i < 10000; ++i) {
    const float x = std::ldexp(2.0f * rng.uniform() - 1.0f, int(rng.uniform() * 60) - 30);
    CAPTURE(x);
    REQUIRE(float_from_bf16(bf16_from_float(x)) == oracle_round(x));
  }
}

TEST_CASE("parse_precision names the option and the value it refuses") {
  CHECK(parse_precision("bf16", "--precision") == Precision::bf16);
  CHECK(parse_precision("fp32", "--precision") == Precision::fp32);
  CHECK(std::string(precision_name(Precision::bf16)) == "bf16");
  try {
    parse_precision("fp16", "--precision");
    FAIL("fp16 was accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("--precision: 'fp16'") != std::string::npos);
  }
}

TEST_CASE("bf16_pack: the instructions and the emulation give the same pairs in every layout") {
  Rng rng(7);
  for (const int k : {1, 2, 7, 31, 32, 33, 70}) {
    for (const int outer : {1, 5, 16, 17, 40}) {
      CAPTURE(k);
      CAPTURE(outer);
      std::vector<float> src = uniform(std::size_t(outer) * k, rng, 3.0f);
      // Values the rounding treats specially.
      const float specials[] = {0x1p-130f, -0x1p-140f, -0.0f, std::numeric_limits<float>::infinity(),
                                std::numeric_limits<float>::max(), 1.0f + 0x1p-8f, 1.0f + 3 * 0x1p-8f};
      for (std::size_t i = 0; i < src.size(); i += 3) src[i] = specials[(i / 3) % 7];
      const int pairs = bf16_pairs(k);
      // (o, p) at o * k + p (rows along p), and at p * outer + o (columns along p).
      for (const bool rows : {true, false}) {
        const std::ptrdiff_t so = rows ? k : 1, sk = rows ? 1 : outer;
        // Into rows of pairs (o, q) and into columns (q, o).
        for (const bool out_rows : {true, false}) {
          const std::ptrdiff_t d_outer = out_rows ? pairs : 1, d_pair = out_rows ? 1 : outer;
          std::vector<std::uint32_t> hw(std::size_t(outer) * pairs, 0xDEADBEEF), emu(hw);
          bf16_pack_emulated(outer, k, src.data(), so, sk, emu.data(), d_outer, d_pair);
          for (int o = 0; o < outer; ++o)
            for (int q = 0; q < pairs; ++q) {
              const std::uint32_t pair = emu[o * d_outer + q * d_pair];
              REQUIRE((pair & 0xFFFF) == bf16_from_float(src[o * so + 2 * q * sk]));
              REQUIRE((pair >> 16) == (2 * q + 1 < k ? bf16_from_float(src[o * so + (2 * q + 1) * sk]) : 0u));
            }
          if (!bf16_hardware_available()) continue;
          bf16_pack_hardware(outer, k, src.data(), so, sk, hw.data(), d_outer, d_pair);
          REQUIRE(hw == emu);
        }
      }
    }
  }
  if (!bf16_hardware_available()) MESSAGE("this CPU has no AVX512_BF16: only the emulation was checked");
}

TEST_CASE("bf16_gemm: the instructions, the emulation and the oracle agree bit for bit") {
  struct Shape {
    int m, n, k;
    bool accumulate;
  };
  const Shape shapes[] = {
      {56, 64, 32, false},  // Winograd forward, conv2 (C = 32, F = 64): blocks of 6 rows
      {56, 32, 64, true},   // the input gradient's shape, accumulated
      {64, 64, 57, true},   // the kernel gradient: an odd reduction (a zero pair element)
      {13, 100, 9, false},  // 4 + 2 vectors and a masked one
      {30, 7, 11, true},    // fewer columns than a vector
      {12, 48, 1, false},   // one element: one pair
      {3, 20, 0, false},    // no pairs: C = 0
      {32, 128, 576, false},  // the seed's dense layer
  };
  Rng rng(13);
  for (const Shape& s : shapes) {
    for (const int values : {0, 1}) {
      CAPTURE(s.m);
      CAPTURE(s.n);
      CAPTURE(s.k);
      CAPTURE(values);
      std::vector<float> a = uniform(std::size_t(s.m) * s.k + 1, rng, 1.0f), b = uniform(std::size_t(s.k) * s.n + 1, rng, 1.0f);
      std::vector<float> c = uniform(std::size_t(s.m) * s.n, rng, 4.0f);
      if (values == 1) {
        // Products that underflow past float32's normals, overflow, and sums that cancel.
        for (std::size_t i = 0; i < a.size(); i += 2) a[i] = std::ldexp(a[i], i % 4 ? -70 : 60);
        for (std::size_t i = 0; i < b.size(); i += 3) b[i] = std::ldexp(b[i], i % 2 ? -64 : 70);
        for (std::size_t i = 0; i < c.size(); i += 5) c[i] = i % 2 ? 0x1p-126f : -0.0f;
      }
      const std::vector<float> oracle = oracle_product(s.m, s.n, s.k, a, b, c, s.accumulate);
      require_same_bits(packed_product(s.m, s.n, s.k, a, b, c, s.accumulate, false), oracle);
      if (bf16_hardware_available()) require_same_bits(packed_product(s.m, s.n, s.k, a, b, c, s.accumulate, true), oracle);
    }
  }
  if (!bf16_hardware_available()) MESSAGE("this CPU has no AVX512_BF16: only the emulation was checked");
}

TEST_CASE("bf16_gemm is within bfloat16's rounding of a double-precision product") {
  const int m = 20, n = 70, k = 64;
  Rng rng(17);
  const std::vector<float> a = uniform(std::size_t(m) * k, rng, 1.0f), b = uniform(std::size_t(k) * n, rng, 1.0f);
  const std::vector<float> c = packed_product(m, n, k, a, b, std::vector<float>(std::size_t(m) * n), false,
                                              bf16_uses_hardware());
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double exact = 0, magnitude = 0;
      for (int p = 0; p < k; ++p) {
        exact += double(a[i * k + p]) * b[p * n + j];
        magnitude += std::fabs(double(a[i * k + p]) * b[p * n + j]);
      }
      // Each operand is off by at most 2^-9 of itself, so a product by about 2^-8.
      CHECK(std::fabs(c[i * n + j] - exact) <= 0x1p-8 * magnitude + 1e-6);
    }
}
