// Grey-level closing and opening (see morphology.h): a square filter is a
// column filter and a row filter; rows are filtered as the columns of the
// transposed image; each column filter keeps van Herk / Gil-Werman running
// extremes forward and backward within blocks of the window's length.
#include "data/morphology.h"

#include <algorithm>
#include <cstddef>
#include <limits>

namespace blnk::data {

namespace {

// dst (H, W) = the extreme (max when kMax, else min) of src (H, W) over
// the 2r+1 pixels of its column around each pixel, clipped to the image, in
// O(1) per pixel whatever r (van Herk / Gil-Werman: running extremes forward
// and backward within blocks of the window's length), whole rows at a time
// (vectorizes along x). `buf` holds the two running planes.
template <bool kMax>
void extreme_columns(const float* src, int W, int H, int r, float* dst, std::vector<float>& buf) {
  const int k = 2 * r + 1;
  const int padded = (H + 2 * r + k - 1) / k * k;  // rows, r of padding above
  buf.resize(2 * static_cast<std::size_t>(padded) * W);
  float* fwd = buf.data();
  float* bwd = fwd + static_cast<std::size_t>(padded) * W;
  const auto row = [&](float* plane, int py) { return plane + static_cast<std::size_t>(py) * W; };
  // Running extreme from `prev` (nullptr: start of a block) and padded row py
  // of src (padding rows take nothing).
  const auto step = [&](float* out, const float* prev, int py) {
    const int y = py - r;
    if (y < 0 || y >= H) {
      const float none = kMax ? -std::numeric_limits<float>::infinity() : std::numeric_limits<float>::infinity();
      if (prev) std::copy_n(prev, W, out);
      else std::fill_n(out, W, none);
      return;
    }
    const float* in = src + static_cast<std::size_t>(y) * W;
    if (!prev) {
      std::copy_n(in, W, out);
    } else if (kMax) {
      for (int x = 0; x < W; ++x) out[x] = std::max(prev[x], in[x]);
    } else {
      for (int x = 0; x < W; ++x) out[x] = std::min(prev[x], in[x]);
    }
  };
  for (int b = 0; b < padded; b += k) {
    step(row(fwd, b), nullptr, b);
    for (int j = 1; j < k; ++j) step(row(fwd, b + j), row(fwd, b + j - 1), b + j);
    step(row(bwd, b + k - 1), nullptr, b + k - 1);
    for (int j = k - 2; j >= 0; --j) step(row(bwd, b + j), row(bwd, b + j + 1), b + j);
  }
  // Window of output row y: padded rows [y, y + k - 1] = src rows [y - r, y + r].
  for (int y = 0; y < H; ++y) {
    const float* lo = row(bwd, y);
    const float* hi = row(fwd, y + k - 1);
    float* out = dst + static_cast<std::size_t>(y) * W;
    if (kMax) {
      for (int x = 0; x < W; ++x) out[x] = std::max(lo[x], hi[x]);
    } else {
      for (int x = 0; x < W; ++x) out[x] = std::min(lo[x], hi[x]);
    }
  }
}

// dst (W, H) = src (H, W) transposed, in 8x8 blocks (the compiler keeps a
// block in registers).
void transpose(const float* src, int W, int H, float* dst) {
  constexpr int kBlock = 8;
  const int full_w = W / kBlock * kBlock, full_h = H / kBlock * kBlock;
  for (int y0 = 0; y0 < full_h; y0 += kBlock) {
    for (int x0 = 0; x0 < full_w; x0 += kBlock) {
      float block[kBlock][kBlock];
      for (int y = 0; y < kBlock; ++y) {
        for (int x = 0; x < kBlock; ++x) block[x][y] = src[static_cast<std::size_t>(y0 + y) * W + x0 + x];
      }
      for (int x = 0; x < kBlock; ++x) {
        for (int y = 0; y < kBlock; ++y) dst[static_cast<std::size_t>(x0 + x) * H + y0 + y] = block[x][y];
      }
    }
  }
  // The partial blocks on the right and at the bottom.
  for (int y = 0; y < H; ++y) {
    for (int x = y < full_h ? full_w : 0; x < W; ++x) dst[static_cast<std::size_t>(x) * H + y] = src[static_cast<std::size_t>(y) * W + x];
  }
}

// Grey-level closing (kDarkInk: max then min filter, which fills in dark
// structures narrower than the square) or opening (min then max: removes
// light ones) of `image` by a (2r+1)x(2r+1) square, into `out` (H, W).
// A square filter is a column filter and a row filter; rows are filtered as
// the columns of the transposed image. `a`, `b`: scratch planes.
template <bool kDarkInk>
void close_or_open(const float* image, int W, int H, int r, float* out, MorphologyScratch& s) {
  s.a.resize(static_cast<std::size_t>(W) * H);
  s.b.resize(static_cast<std::size_t>(W) * H);
  extreme_columns<kDarkInk>(image, W, H, r, s.a.data(), s.line);      // first filter: columns,
  transpose(s.a.data(), W, H, s.b.data());                              // (W, H)
  extreme_columns<kDarkInk>(s.b.data(), H, W, r, s.a.data(), s.line);  // ... rows
  extreme_columns<!kDarkInk>(s.a.data(), H, W, r, s.b.data(), s.line); // second filter: rows,
  transpose(s.b.data(), H, W, s.a.data());                              // (H, W)
  extreme_columns<!kDarkInk>(s.a.data(), W, H, r, out, s.line);       // ... columns
}

}  // namespace

void grey_closing(const float* image, int W, int H, int r, float* out, MorphologyScratch& scratch) {
  close_or_open<true>(image, W, H, r, out, scratch);
}

void grey_opening(const float* image, int W, int H, int r, float* out, MorphologyScratch& scratch) {
  close_or_open<false>(image, W, H, r, out, scratch);
}

}  // namespace blnk::data
