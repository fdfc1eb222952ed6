// Random numbers. Two kinds, both seeded, neither global:
// - Rng: a sequential stream (xoshiro256**) for weight initialisation and shuffling.
// - hash_u64: a counter-based generator, so that a dropout mask or an augmentation
//   depends only on (seed, step, sample), never on how a batch was split over threads.
#pragma once

#include <cstdint>

namespace blnk {

inline constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ull;  // splitmix64's increment

// splitmix64: one step (add the golden gamma) and its finaliser, a bijective mix of 64 bits.
inline std::uint64_t mix64(std::uint64_t z) {
  z += kGoldenGamma;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// A well-mixed value for a (key, counter) pair.
inline std::uint64_t hash_u64(std::uint64_t key, std::uint64_t counter) {
  return mix64(key ^ mix64(counter));
}

// The k-th uniform double in [0, 1) of a key's stream (53 random bits).
inline double uniform_of(std::uint64_t key, int k) {
  return double(mix64(key + std::uint64_t(k) * kGoldenGamma) >> 11) / 9007199254740992.0;
}

// Combines keys, e.g. key_of(seed, step, layer).
inline std::uint64_t key_of(std::uint64_t a, std::uint64_t b) { return hash_u64(a, b); }
inline std::uint64_t key_of(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return hash_u64(hash_u64(a, b), c);
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    for (auto& s : state_) {
      seed = mix64(seed);
      s = seed;
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 24 bits, exactly representable as float.
  float uniform() { return float(next() >> 40) * 0x1.0p-24f; }
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n), without modulo bias worth noticing for n << 2^64.
  std::uint64_t below(std::uint64_t n) {
    return std::uint64_t((static_cast<unsigned __int128>(next()) * n) >> 64);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

}  // namespace blnk
