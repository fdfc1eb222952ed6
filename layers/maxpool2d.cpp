// MaxPool2D forward and backward. Windows run over contiguous channels (NHWC), so
// the inner loops vectorise; in training the forward records, per output, which
// window position won (one byte), and backward routes the gradient there.
#include "layers/maxpool2d.h"

#include <cstdint>
#include <cstring>
#include <limits>

#include "base/error.h"

namespace blnk {

MaxPool2D::MaxPool2D(Shape input, const MaxPool2DConfig& config) : Layer(input), cfg_(config) {
  if (cfg_.pool_h < 1 || cfg_.pool_w < 1 || cfg_.stride_h < 1 || cfg_.stride_w < 1)
    throw Error("MaxPool2D: pool size and stride must be positive");
  if (cfg_.pool_h * cfg_.pool_w > kMaxWindowPositions)
    throw Error("MaxPool2D: a pool window may have at most " + std::to_string(kMaxWindowPositions) + " positions");
  window_ = Window(in_, cfg_.pool_h, cfg_.pool_w, cfg_.stride_h, cfg_.stride_w, cfg_.padding);
  if (window_.rows.out < 1 || window_.cols.out < 1)
    throw Error("MaxPool2D: a " + std::to_string(cfg_.pool_h) + "x" + std::to_string(cfg_.pool_w) +
                " pool does not fit input " + in_.str());
  out_ = Shape{window_.rows.out, window_.cols.out, in_.c};
}

std::string MaxPool2D::spec() const {
  std::string s = "pool";
  if (cfg_.pool_h != 2 || cfg_.pool_w != 2)
    s += ":k=" + (cfg_.pool_h == cfg_.pool_w
                      ? std::to_string(cfg_.pool_h)
                      : std::to_string(cfg_.pool_h) + "x" + std::to_string(cfg_.pool_w));
  if (cfg_.stride_h != cfg_.pool_h || cfg_.stride_w != cfg_.pool_w)
    s += ":s=" + (cfg_.stride_h == cfg_.stride_w
                      ? std::to_string(cfg_.stride_h)
                      : std::to_string(cfg_.stride_h) + "x" + std::to_string(cfg_.stride_w));
  if (cfg_.padding == Padding::same) s += ":pad=same";
  return s;
}

// One byte per output: the index (ky * pool_w + kx) of its window's first maximum.
std::size_t MaxPool2D::cache_bytes(int n) const { return std::size_t(n) * out_.size(); }

namespace {

// One output vector from its window's taps (input vectors) in window order: strictly
// greater wins, so the first maximum does, and a window of NaNs gives -inf as the
// reference does. With `win`, records the winning position. TAPS > 0 fixes the count
// (the 2x2 windows of the seed's model): one pass with every running maximum in a register.
template <int TAPS>
void pool_vector(const float* const* taps, const std::uint8_t* positions, int count, int C,
                 float* out, std::uint8_t* win) {
  const int n = TAPS > 0 ? TAPS : count;
  if (win) {
    for (int c = 0; c < C; ++c) {
      float m = -std::numeric_limits<float>::infinity();
      std::uint8_t w = 0;
      for (int t = 0; t < n; ++t) {
        const float v = taps[t][c];
        w = v > m ? positions[t] : w;
        m = v > m ? v : m;
      }
      out[c] = m;
      win[c] = w;
    }
  } else {
    for (int c = 0; c < C; ++c) {
      float m = -std::numeric_limits<float>::infinity();
      for (int t = 0; t < n; ++t) m = taps[t][c] > m ? taps[t][c] : m;
      out[c] = m;
    }
  }
}

}  // namespace

template <typename T>
int MaxPool2D::window_taps(T* image, int oy, int ox, T** taps, std::uint8_t* positions) const {
  int count = 0;
  window_.for_each_tap(oy, ox, [&](int tap, std::size_t pixel) {
    taps[count] = image + pixel * in_.c;
    positions[count++] = std::uint8_t(tap);
  });
  return count;
}

void MaxPool2D::forward(const float* x, float* y, int n, const LayerContext& ctx) const {
  const int C = in_.c;
  auto* winner = reinterpret_cast<std::uint8_t*>(ctx.cache);
  const bool record = ctx.mode == Mode::training && winner;
  const float* taps[kMaxWindowPositions];
  std::uint8_t positions[kMaxWindowPositions];
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * in_.size();
    float* ys = y + std::size_t(s) * out_.size();
    std::uint8_t* ws = record ? winner + std::size_t(s) * out_.size() : nullptr;
    for (int oy = 0; oy < out_.h; ++oy)
      for (int ox = 0; ox < out_.w; ++ox) {
        float* out = ys + (std::size_t(oy) * out_.w + ox) * C;
        std::uint8_t* win = ws ? ws + (std::size_t(oy) * out_.w + ox) * C : nullptr;
        const int count = window_taps(xs, oy, ox, taps, positions);
        if (count == 4)
          pool_vector<4>(taps, positions, count, C, out, win);
        else
          pool_vector<0>(taps, positions, count, C, out, win);
      }
  }
}

void MaxPool2D::backward(const float* x, const float* y, float* dy, float* dx, int n,
                         const LayerContext& ctx) const {
  if (!dx) return;
  const int C = in_.c;
  const auto* winner = reinterpret_cast<const std::uint8_t*>(ctx.cache);
  float* taps[kMaxWindowPositions];
  std::uint8_t positions[kMaxWindowPositions];
  std::memset(dx, 0, sizeof(float) * std::size_t(n) * in_.size());
  for (int s = 0; s < n; ++s) {
    float* dxs = dx + std::size_t(s) * in_.size();
    const float* dys = dy + std::size_t(s) * out_.size();
    const std::uint8_t* ws = winner + std::size_t(s) * out_.size();
    for (int oy = 0; oy < out_.h; ++oy)
      for (int ox = 0; ox < out_.w; ++ox) {
        const std::size_t o = (std::size_t(oy) * out_.w + ox) * C;
        const int count = window_taps(dxs, oy, ox, taps, positions);
        for (int t = 0; t < count; ++t) {
          float* d = taps[t];
          const std::uint8_t position = positions[t];
          // += keeps overlapping windows right; the branch-free select vectorises.
          for (int c = 0; c < C; ++c) d[c] += ws[o + c] == position ? dys[o + c] : 0.0f;
        }
      }
  }
}

}  // namespace blnk
