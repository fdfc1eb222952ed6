// MaxPool2D forward and backward.
#include "layers/maxpool2d.h"

#include <cstring>
#include <limits>

#include "engine/error.h"

namespace blnk {

MaxPool2D::MaxPool2D(Shape input, const MaxPool2DConfig& config) : Layer(input), cfg_(config) {
  if (cfg_.pool_h < 1 || cfg_.pool_w < 1 || cfg_.stride_h < 1 || cfg_.stride_w < 1)
    throw Error("MaxPool2D: pool size and stride must be positive");
  rows_ = padded_dim(in_.h, cfg_.pool_h, cfg_.stride_h, cfg_.padding);
  cols_ = padded_dim(in_.w, cfg_.pool_w, cfg_.stride_w, cfg_.padding);
  if (rows_.out < 1 || cols_.out < 1)
    throw Error("MaxPool2D: a " + std::to_string(cfg_.pool_h) + "x" + std::to_string(cfg_.pool_w) +
                " pool does not fit input " + in_.str());
  out_ = Shape{rows_.out, cols_.out, in_.c};
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

void MaxPool2D::forward(const float* x, float* y, int n, const LayerContext&) const {
  const int C = in_.c;
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * in_.size();
    float* ys = y + std::size_t(s) * out_.size();
    for (int oy = 0; oy < out_.h; ++oy)
      for (int ox = 0; ox < out_.w; ++ox) {
        float* out = ys + (std::size_t(oy) * out_.w + ox) * C;
        for (int c = 0; c < C; ++c) out[c] = -std::numeric_limits<float>::infinity();
        for (int ky = 0; ky < cfg_.pool_h; ++ky) {
          const int iy = oy * cfg_.stride_h - rows_.pad_before + ky;
          if (iy < 0 || iy >= in_.h) continue;
          for (int kx = 0; kx < cfg_.pool_w; ++kx) {
            const int ix = ox * cfg_.stride_w - cols_.pad_before + kx;
            if (ix < 0 || ix >= in_.w) continue;
            const float* in = xs + (std::size_t(iy) * in_.w + ix) * C;
            for (int c = 0; c < C; ++c) out[c] = in[c] > out[c] ? in[c] : out[c];
          }
        }
      }
  }
}

void MaxPool2D::backward(const float* x, const float* y, float* dy, float* dx, int n,
                         const LayerContext&) const {
  if (!dx) return;
  const int C = in_.c;
  std::memset(dx, 0, sizeof(float) * std::size_t(n) * in_.size());
  for (int s = 0; s < n; ++s) {
    const float* xs = x + std::size_t(s) * in_.size();
    float* dxs = dx + std::size_t(s) * in_.size();
    const std::size_t base = std::size_t(s) * out_.size();
    for (int oy = 0; oy < out_.h; ++oy)
      for (int ox = 0; ox < out_.w; ++ox)
        for (int c = 0; c < C; ++c) {
          const std::size_t o = base + (std::size_t(oy) * out_.w + ox) * C + c;
          // The first window position holding the maximum takes the gradient.
          bool done = false;
          for (int ky = 0; ky < cfg_.pool_h && !done; ++ky) {
            const int iy = oy * cfg_.stride_h - rows_.pad_before + ky;
            if (iy < 0 || iy >= in_.h) continue;
            for (int kx = 0; kx < cfg_.pool_w; ++kx) {
              const int ix = ox * cfg_.stride_w - cols_.pad_before + kx;
              if (ix < 0 || ix >= in_.w) continue;
              const std::size_t i = (std::size_t(iy) * in_.w + ix) * C + c;
              if (xs[i] == y[o]) {
                dxs[i] += dy[o];
                done = true;
                break;
              }
            }
          }
        }
  }
}

}  // namespace blnk
