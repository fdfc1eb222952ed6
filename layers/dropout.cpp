// Dropout forward and backward.
#include "layers/dropout.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>

#include "base/error.h"

namespace blnk {

Dropout::Dropout(Shape input, float rate) : Layer(input), rate_(rate) {
  if (!(rate >= 0.0f && rate < 1.0f))
    throw Error("Dropout: the rate must be in [0, 1), got " + std::to_string(rate));
  drop_below_ = std::uint32_t(std::lround(double(rate) * 65536.0));
}

std::string Dropout::spec() const {
  std::ostringstream s;
  s << "drop" << rate_;
  return s.str();
}

void Dropout::forward(const float* x, float* y, int n, const LayerContext& ctx) const {
  const std::size_t size = in_.size();
  if (ctx.mode == Mode::inference || drop_below_ == 0) {
    std::memcpy(y, x, sizeof(float) * n * size);
    return;
  }
  const float scale = 1.0f / (1.0f - rate_);
  auto* keep = reinterpret_cast<std::uint8_t*>(ctx.cache);
  constexpr std::size_t kBlock = 64;  // units per block: 16 draws of 64 bits
  for (int s = 0; s < n; ++s) {
    const std::uint64_t sample_key = hash_u64(ctx.rng_key, std::uint64_t(ctx.first_sample + s));
    const std::size_t base = std::size_t(s) * size;
    for (std::size_t block = 0; block < size; block += kBlock) {
      // One 64-bit draw gives four 16-bit uniforms; drawing a block at a time lets
      // the compiler vectorise the hash.
      std::uint64_t draws[kBlock / 4];
      for (std::size_t d = 0; d < kBlock / 4; ++d) draws[d] = hash_u64(sample_key, block / 4 + d);
      const std::size_t end = std::min(size - block, kBlock);
      for (std::size_t j = 0; j < end; ++j) {
        const std::uint32_t u = std::uint32_t(draws[j / 4] >> (16 * (j % 4))) & 0xffff;
        const bool kept = u >= drop_below_;
        keep[base + block + j] = kept;
        y[base + block + j] = kept ? x[base + block + j] * scale : 0.0f;
      }
    }
  }
}

void Dropout::backward(const float*, const float*, float* dy, float* dx, int n,
                       const LayerContext& ctx) const {
  if (!dx) return;
  const std::size_t total = std::size_t(n) * in_.size();
  const float scale = drop_below_ == 0 ? 1.0f : 1.0f / (1.0f - rate_);
  const auto* keep = reinterpret_cast<const std::uint8_t*>(ctx.cache);
  for (std::size_t i = 0; i < total; ++i) dx[i] = keep[i] ? dy[i] * scale : 0.0f;
}

}  // namespace blnk
