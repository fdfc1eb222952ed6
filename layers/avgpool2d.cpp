// AvgPool2D and GlobalAvgPool forward and backward: channels innermost (NHWC), so the
// inner loops run over contiguous channel vectors.
#include "layers/avgpool2d.h"

#include <algorithm>
#include <cstring>

#include "base/error.h"

namespace blnk {

AvgPool2D::AvgPool2D(Shape input, int pool_h, int pool_w, int stride_h, int stride_w) : Layer(input) {
  if (pool_h < 1 || pool_w < 1 || stride_h < 1 || stride_w < 1)
    throw Error("AvgPool2D: pool size and stride must be positive");
  window_ = Window(in_, pool_h, pool_w, stride_h, stride_w, Padding::valid);
  if (window_.rows.out < 1 || window_.cols.out < 1)
    throw Error("AvgPool2D: a " + std::to_string(pool_h) + "x" + std::to_string(pool_w) +
                " pool does not fit input " + in_.str());
  out_ = Shape{window_.rows.out, window_.cols.out, in_.c};
}

std::string AvgPool2D::spec() const {
  const Window& w = window_;
  auto pair = [](int a, int b) { return a == b ? std::to_string(a) : std::to_string(a) + "x" + std::to_string(b); };
  std::string s = "avgpool";
  if (w.kernel_h != 2 || w.kernel_w != 2) s += ":k=" + pair(w.kernel_h, w.kernel_w);
  if (w.stride_h != w.kernel_h || w.stride_w != w.kernel_w) s += ":s=" + pair(w.stride_h, w.stride_w);
  return s;
}

void AvgPool2D::forward(const float* x, float* y, int n, const LayerContext&) const {
  const int C = in_.c;
  const float scale = 1.0f / float(window_.taps());
  for (int s = 0; s < n; ++s) {
    const float* image = x + std::size_t(s) * in_.size();
    float* out = y + std::size_t(s) * out_.size();
    for (int oy = 0; oy < out_.h; ++oy)
      for (int ox = 0; ox < out_.w; ++ox) {
        float* o = out + (std::size_t(oy) * out_.w + ox) * C;
        std::fill(o, o + C, 0.0f);
        window_.for_each_tap(oy, ox, [&](int, std::size_t pixel) {
          const float* v = image + pixel * C;
          for (int c = 0; c < C; ++c) o[c] += v[c];
        });
        for (int c = 0; c < C; ++c) o[c] *= scale;
      }
  }
}

void AvgPool2D::backward(const float*, const float*, float* dy, float* dx, int n, const LayerContext&) const {
  if (!dx) return;
  const int C = in_.c;
  const float scale = 1.0f / float(window_.taps());
  std::memset(dx, 0, sizeof(float) * std::size_t(n) * in_.size());
  for (int s = 0; s < n; ++s) {
    float* image = dx + std::size_t(s) * in_.size();
    const float* g = dy + std::size_t(s) * out_.size();
    for (int oy = 0; oy < out_.h; ++oy)
      for (int ox = 0; ox < out_.w; ++ox) {
        const float* d = g + (std::size_t(oy) * out_.w + ox) * C;
        window_.for_each_tap(oy, ox, [&](int, std::size_t pixel) {
          float* v = image + pixel * C;
          for (int c = 0; c < C; ++c) v[c] += d[c] * scale;
        });
      }
  }
}

void GlobalAvgPool::forward(const float* x, float* y, int n, const LayerContext&) const {
  const int C = in_.c;
  const std::size_t pixels = std::size_t(in_.h) * in_.w;
  const float scale = 1.0f / float(pixels);
  for (int s = 0; s < n; ++s) {
    const float* image = x + std::size_t(s) * in_.size();
    float* o = y + std::size_t(s) * C;
    std::fill(o, o + C, 0.0f);
    for (std::size_t p = 0; p < pixels; ++p)
      for (int c = 0; c < C; ++c) o[c] += image[p * C + c];
    for (int c = 0; c < C; ++c) o[c] *= scale;
  }
}

void GlobalAvgPool::backward(const float*, const float*, float* dy, float* dx, int n, const LayerContext&) const {
  if (!dx) return;
  const int C = in_.c;
  const std::size_t pixels = std::size_t(in_.h) * in_.w;
  const float scale = 1.0f / float(pixels);
  for (int s = 0; s < n; ++s) {
    float* image = dx + std::size_t(s) * in_.size();
    const float* d = dy + std::size_t(s) * C;
    for (std::size_t p = 0; p < pixels; ++p)
      for (int c = 0; c < C; ++c) image[p * C + c] = d[c] * scale;
  }
}

}  // namespace blnk
