// Preprocessing of a photographed or drawn digit into an MNIST-like 28x28
// image (see preprocess.h for the pipeline and the reasons behind each step).
#include "data/preprocess.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/error.h"

namespace blnk::data {

namespace {

constexpr int kLevelBins = 256;           // gray-level histograms (8-bit precision)
constexpr float kMadToSigma = 1.4826f;    // Gaussian: sigma = 1.4826 * median absolute deviation
constexpr float kMinPolarityMargin = 0.02f;  // residuals smaller than this never vote on polarity
constexpr float kFloorFractionOfThreshold = 0.5f;  // the noise floor stays below half Otsu's threshold
// ... and at least this (3/255): 8-bit noise of a level or two sits below it
// even when the median deviation of the paper is 0.
constexpr float kMinFloor = 3.0f / 255.0f;
constexpr int kMaxSide = 1 << 15;         // larger images are refused (decode limits stop them earlier)
constexpr int kMaxLineWidth = 2;          // components this thin touching the border (and not the largest) are streaks
constexpr float kStrongInk = 0.3f;        // components are made of ink at least this strong...
constexpr int kFringe = 2;                // ... and keep the fainter ink up to this many pixels around them
constexpr float kNearFraction = 0.2f;     // components this near the digit's box (times its longer side) are part of it...
constexpr float kApartFraction = 0.25f;   // ... and farther ones only when at least this fraction of the largest's mass
constexpr float kMinPaperLevel = 0.05f;   // paper darker than this is not divided by
constexpr int kBorderRingDivisor = 20;    // border ring width = shorter side / 20 (at least 1)
constexpr float kBandingMaskFraction = 0.5f;  // pixels above half Otsu's threshold are strokes
constexpr float kBandingPercentile = 0.25f;  // row/column offset = this percentile of its signal
constexpr int kBandingSamples = 48;       // ... over at most this many samples of it
constexpr int kNoiseBins = 1024;          // histogram of |paper signal| for its median...
constexpr float kNoiseRange = 0.25f;      // ... over [0, 0.25] (larger values count as 0.25)
// The paper surface (ink_polarity): a robust fit of a quadratic to about
// kSurfaceSamples pixels of the border ring, then of the whole image.
constexpr int kSurfaceSamples = 256;
constexpr int kSurfaceIterations = 4;     // reweightings per stage, at most
constexpr float kTukeyCut = 4.685f;       // biweight cut-off, in robust scales (95% efficiency)
constexpr float kMinSurfaceSigma = 1.0f / 255.0f;  // the paper's scale never goes below one gray level
constexpr double kSurfaceRidge = 1e-6;
constexpr int kPolaritySide = 48;        // ink_polarity works on the image shrunk to about this
constexpr int kThinDivisor = 8;          // ink strokes are at most 2/8 of the shorter side wide
constexpr float kSurfaceSettled = 0.5f / 255.0f;  // stop reweighting once the surface moves less than this    // ridge on the non-constant terms, relative to the total weight

int to_bin(float v, int bins) {
  const int b = static_cast<int>(v * static_cast<float>(bins - 1) + 0.5f);
  return std::clamp(b, 0, bins - 1);
}

// The value below which `fraction` of the histogram's mass lies, as a bin centre.
float histogram_percentile(const int* hist, int bins, long total, float fraction, float bin_width) {
  const long target = static_cast<long>(std::ceil(fraction * static_cast<double>(total)));
  long seen = 0;
  for (int b = 0; b < bins; ++b) {
    seen += hist[b];
    if (seen >= std::max(target, 1L)) return static_cast<float>(b) * bin_width;
  }
  return static_cast<float>(bins - 1) * bin_width;
}

// Tile geometry shared by the background steps.
struct Tiles {
  int size = 0, nx = 0, ny = 0;
};
Tiles make_tiles(int width, int height, const PreprocessOptions& opt) {
  Tiles t;
  const int longer = std::max(width, height);
  t.size = std::max(opt.min_tile, (longer + opt.tiles_across - 1) / std::max(opt.tiles_across, 1));
  t.nx = (width + t.size - 1) / t.size;
  t.ny = (height + t.size - 1) / t.size;
  return t;
}

// Interpolation weights along one axis between tile centres.
struct Lerp {
  int i0, i1;
  float w;
};
Lerp tile_lerp(int pixel, int tile_size, int tiles) {
  const float f = (static_cast<float>(pixel) + 0.5f) / static_cast<float>(tile_size) - 0.5f;
  const int i0 = std::clamp(static_cast<int>(std::floor(f)), 0, tiles - 1);
  const int i1 = std::min(i0 + 1, tiles - 1);
  const float w = std::clamp(f - static_cast<float>(i0), 0.0f, 1.0f);
  return {i0, i1, w};
}

// One axis of a separable resampling: dst_len samples from src_len. Shrinking
// averages the exact source area of each output sample; enlarging is linear
// interpolation between sample centres. Equal lengths copy.
void resample_1d(const float* src, int src_len, int src_stride, float* dst, int dst_len, int dst_stride) {
  const double scale = static_cast<double>(src_len) / dst_len;  // source pixels per output pixel
  if (src_len == dst_len) {
    for (int i = 0; i < dst_len; ++i) dst[i * dst_stride] = src[i * src_stride];
  } else if (scale > 1.0) {
    for (int i = 0; i < dst_len; ++i) {
      const double a = i * scale, b = (i + 1) * scale;
      double sum = 0;
      for (int k = static_cast<int>(a); k < src_len && k < b; ++k) {
        const double overlap = std::min<double>(k + 1, b) - std::max<double>(k, a);
        sum += overlap * src[k * src_stride];
      }
      dst[i * dst_stride] = static_cast<float>(sum / scale);
    }
  } else {
    for (int i = 0; i < dst_len; ++i) {
      const double u = (i + 0.5) * scale - 0.5;
      const int k0 = std::clamp(static_cast<int>(std::floor(u)), 0, src_len - 1);
      const int k1 = std::min(k0 + 1, src_len - 1);
      const float w = static_cast<float>(std::clamp(u - k0, 0.0, 1.0));
      dst[i * dst_stride] = (1.0f - w) * src[k0 * src_stride] + w * src[k1 * src_stride];
    }
  }
}

// Otsu's threshold of the values in [0, top] (negative values count as 0).
float otsu_threshold(const std::vector<float>& values, float top, int* hist_out = nullptr) {
  int local[kLevelBins] = {};
  int* hist = hist_out ? hist_out : local;
  std::fill(hist, hist + kLevelBins, 0);
  const float inv_top = 1.0f / top;
  for (float v : values) ++hist[to_bin(std::max(0.0f, v) * inv_top, kLevelBins)];
  const double total = static_cast<double>(values.size());
  double sum_all = 0;
  for (int k = 0; k < kLevelBins; ++k) sum_all += static_cast<double>(k) * hist[k];
  double w0 = 0, sum0 = 0, best = -1;
  int best_k = 0;
  for (int k = 0; k < kLevelBins - 1; ++k) {
    w0 += hist[k];
    sum0 += static_cast<double>(k) * hist[k];
    const double w1 = total - w0;
    if (w0 == 0 || w1 == 0) continue;
    const double m0 = sum0 / w0, m1 = (sum_all - sum0) / w1;
    const double between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > best) {
      best = between;
      best_k = k;
    }
  }
  return (static_cast<float>(best_k) + 0.5f) * top / (kLevelBins - 1);
}

// dst[i] = 1 when src has a non-zero within `radius` of i (two sweeps, O(len)).
template <typename S, typename D>
void dilate_1d(const S* src, int src_step, D* dst, int dst_step, int len, int radius) {
  int last = -radius - 1;  // position of the last non-zero seen
  for (int i = 0; i < len; ++i) {
    if (src[i * src_step]) last = i;
    dst[i * dst_step] = static_cast<D>(i - last <= radius);
  }
  int next = len + radius + 1;
  for (int i = len - 1; i >= 0; --i) {
    if (src[i * src_step]) next = i;
    if (next - i <= radius) dst[i * dst_step] = 1;
  }
}

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
void close_or_open(const float* image, int W, int H, int r, float* out, std::vector<float>& a, std::vector<float>& b,
                   std::vector<float>& buf) {
  a.resize(static_cast<std::size_t>(W) * H);
  b.resize(static_cast<std::size_t>(W) * H);
  extreme_columns<kDarkInk>(image, W, H, r, a.data(), buf);     // first filter: columns,
  transpose(a.data(), W, H, b.data());                            // (W, H)
  extreme_columns<kDarkInk>(b.data(), H, W, r, a.data(), buf);  // ... rows
  extreme_columns<!kDarkInk>(a.data(), H, W, r, b.data(), buf); // second filter: rows,
  transpose(b.data(), H, W, a.data());                            // (H, W)
  extreme_columns<!kDarkInk>(a.data(), W, H, r, out, buf);      // ... columns
}

int find_root(std::vector<int>& parent, int i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

Preprocessed no_digit(Preprocessed out, std::string why) {
  out.found = false;
  out.reason = "no digit found: " + why;
  out.pixels.fill(0.0f);
  return out;
}

}  // namespace

namespace {
Preprocessed preprocess_at_working_size(const GrayImage& image, PreprocessWorkspace& ws, const PreprocessOptions& opt);
}  // namespace

std::array<std::uint8_t, kDigitPixels> Preprocessed::to_u8() const {
  std::array<std::uint8_t, kDigitPixels> out{};
  for (int i = 0; i < kDigitPixels; ++i) {
    out[i] = static_cast<std::uint8_t>(std::lround(std::clamp(pixels[i], 0.0f, 1.0f) * 255.0f));
  }
  return out;
}

void estimate_background(const GrayImage& image, bool paper_light, const PreprocessOptions& opt,
                         PreprocessWorkspace& ws, Plane& background) {
  const int W = image.width, H = image.height;
  const Tiles t = make_tiles(W, H, opt);
  const float fraction = paper_light ? opt.background_percentile : 1.0f - opt.background_percentile;
  std::vector<float>& levels = ws.tile_levels;
  levels.resize(static_cast<std::size_t>(t.nx) * t.ny);
  int hist[kLevelBins];
  for (int ty = 0; ty < t.ny; ++ty) {
    for (int tx = 0; tx < t.nx; ++tx) {
      std::fill(hist, hist + kLevelBins, 0);
      const int x0 = tx * t.size, x1 = std::min(W, x0 + t.size);
      const int y0 = ty * t.size, y1 = std::min(H, y0 + t.size);
      for (int y = y0; y < y1; ++y) {
        const float* row = image.pixels.data() + static_cast<std::size_t>(y) * W;
        for (int x = x0; x < x1; ++x) ++hist[to_bin(row[x], kLevelBins)];
      }
      levels[ty * t.nx + tx] = histogram_percentile(hist, kLevelBins, static_cast<long>(x1 - x0) * (y1 - y0),
                                                    fraction, 1.0f / (kLevelBins - 1));
    }
  }
  // Paper-side extreme over each tile's 3x3 neighbourhood.
  std::vector<float>& spread = ws.tile_spread;
  spread.assign(levels.begin(), levels.end());
  for (int ty = 0; ty < t.ny; ++ty) {
    for (int tx = 0; tx < t.nx; ++tx) {
      float v = levels[ty * t.nx + tx];
      for (int ny = std::max(0, ty - 1); ny <= std::min(t.ny - 1, ty + 1); ++ny) {
        for (int nx = std::max(0, tx - 1); nx <= std::min(t.nx - 1, tx + 1); ++nx) {
          const float n = levels[ny * t.nx + nx];
          v = paper_light ? std::max(v, n) : std::min(v, n);
        }
      }
      spread[ty * t.nx + tx] = v;
    }
  }
  levels.swap(spread);
  // Bilinear: first along x for each tile row (ws.tile_rows: (ny, W)), then along y.
  std::vector<float>& rows = ws.scratch;
  rows.resize(static_cast<std::size_t>(t.ny) * W);
  for (int x = 0; x < W; ++x) {
    const Lerp lx = tile_lerp(x, t.size, t.nx);
    for (int ty = 0; ty < t.ny; ++ty) {
      const float* r = levels.data() + ty * t.nx;
      rows[static_cast<std::size_t>(ty) * W + x] = r[lx.i0] + lx.w * (r[lx.i1] - r[lx.i0]);
    }
  }
  background.resize(W, H);
  for (int y = 0; y < H; ++y) {
    const Lerp ly = tile_lerp(y, t.size, t.ny);
    const float* r0 = rows.data() + static_cast<std::size_t>(ly.i0) * W;
    const float* r1 = rows.data() + static_cast<std::size_t>(ly.i1) * W;
    float* out = background.pixels.data() + static_cast<std::size_t>(y) * W;
    for (int x = 0; x < W; ++x) out[x] = r0[x] + ly.w * (r1[x] - r0[x]);
  }
}

namespace {

// Normalized coordinate of pixel `i` of `n`: -1 at the first pixel's outer
// edge, +1 at the last's.
float unit_coord(int i, int n) { return (2.0f * static_cast<float>(i) + 1.0f) / static_cast<float>(n) - 1.0f; }

// Solves the 6x6 system a x = b (a symmetric, row-major) by Gaussian
// elimination with partial pivoting; false when it is singular.
bool solve6(std::array<double, 36>& a, std::array<double, 6>& b) {
  constexpr int n = PaperSurface::kTerms;
  for (int col = 0; col < n; ++col) {
    int pivot = col;
    for (int r = col + 1; r < n; ++r) {
      if (std::fabs(a[r * n + col]) > std::fabs(a[pivot * n + col])) pivot = r;
    }
    if (std::fabs(a[pivot * n + col]) < 1e-12) return false;
    if (pivot != col) {
      for (int k = 0; k < n; ++k) std::swap(a[col * n + k], a[pivot * n + k]);
      std::swap(b[col], b[pivot]);
    }
    for (int r = col + 1; r < n; ++r) {
      const double f = a[r * n + col] / a[col * n + col];
      for (int k = col; k < n; ++k) a[r * n + k] -= f * a[col * n + k];
      b[r] -= f * b[col];
    }
  }
  for (int r = n - 1; r >= 0; --r) {
    double v = b[r];
    for (int k = r + 1; k < n; ++k) v -= a[r * n + k] * b[k];
    b[r] = v / a[r * n + r];
  }
  return true;
}

// Robust scale of the residuals of `samples` ((count, 3): u, v, gray) from
// `surface`: 1.4826 * their median absolute value, over the samples within
// `cut` of it (the previous inliers; ink far from the paper never widens the
// paper's scale), at least kMinSurfaceSigma.
float surface_sigma(const std::vector<float>& samples, const PaperSurface& surface, float cut, std::vector<float>& scratch) {
  scratch.clear();
  for (std::size_t i = 0; i + 2 < samples.size(); i += 3) {
    const float r = std::fabs(samples[i + 2] - surface.at(samples[i], samples[i + 1]));
    if (r < cut) scratch.push_back(r);
  }
  if (scratch.empty()) return kMinSurfaceSigma;
  auto mid = scratch.begin() + static_cast<std::ptrdiff_t>(scratch.size() / 2);
  std::nth_element(scratch.begin(), mid, scratch.end());
  return std::max(kMinSurfaceSigma, kMadToSigma * *mid);
}

// Iteratively reweighted least squares with Tukey's biweight: the surface
// follows the samples within kTukeyCut scales of it (the paper) and ignores
// the rest (ink, specks). Starts from `surface` and `sigma`, which it updates.
void refine_surface(const std::vector<float>& samples, int iterations, PaperSurface& surface, float& sigma,
                    std::vector<float>& scratch) {
  constexpr int n = PaperSurface::kTerms;
  for (int it = 0; it < iterations; ++it) {
    const float cut = kTukeyCut * sigma;
    const float inv_cut = 1.0f / cut;
    // Weighted sums of the basis' products (upper triangle) and of basis * gray.
    std::array<float, n * n> a{};
    std::array<float, n> b{};
    float total = 0;
    for (std::size_t i = 0; i + 2 < samples.size(); i += 3) {
      const float u = samples[i], v = samples[i + 1], g = samples[i + 2];
      const float t = (g - surface.at(u, v)) * inv_cut;
      if (t * t >= 1.0f) continue;
      const float w = (1.0f - t * t) * (1.0f - t * t);
      const float basis[n] = {1.0f, u, v, u * u, u * v, v * v};
      for (int r = 0; r < n; ++r) {
        const float wr = w * basis[r];
        for (int k = r; k < n; ++k) a[r * n + k] += wr * basis[k];
        b[r] += wr * g;
      }
      total += w;
    }
    if (total <= 0) break;
    std::array<double, n * n> ad{};
    std::array<double, n> bd{};
    for (int r = 0; r < n; ++r) {
      for (int k = r; k < n; ++k) ad[r * n + k] = ad[k * n + r] = a[r * n + k];
      if (r > 0) ad[r * n + r] += kSurfaceRidge * total;  // keeps degenerate layouts (one row) solvable
      bd[r] = b[r];
    }
    if (!solve6(ad, bd)) break;
    float change = 0;  // largest change of the surface, bounded by the coefficients' changes
    for (int k = 0; k < n; ++k) {
      change += std::fabs(static_cast<float>(bd[k]) - surface.c[k]);
      surface.c[k] = static_cast<float>(bd[k]);
    }
    sigma = surface_sigma(samples, surface, cut, scratch);
    if (change < kSurfaceSettled) break;
  }
}
}  // namespace

PaperSurface fit_paper_surface(const GrayImage& image, float start_level, float start_sigma, PreprocessWorkspace& ws,
                               float* sigma_out) {
  const int W = image.width, H = image.height;
  PaperSurface surface;
  surface.c[0] = start_level;
  float sigma = std::max(kMinSurfaceSigma, start_sigma);
  std::vector<float>& samples = ws.samples;  // (count, 3): u, v, gray
  // 1. The border ring (the paper, as far as the image shows it): a start
  // that ink cannot take over unless it covers most of the border.
  const int ring = std::max(1, std::min(W, H) / kBorderRingDivisor);
  const long ring_pixels = 2L * ring * W + 2L * ring * std::max(0, H - 2 * ring);
  const int ring_step = std::max(1, static_cast<int>(std::lround(std::sqrt(static_cast<double>(ring_pixels) / kSurfaceSamples))));
  samples.clear();
  for (int y = 0; y < H; y += ring_step) {
    const bool full_row = y < ring || y >= H - ring;
    for (int x = 0; x < W; x += ring_step) {
      if (!full_row && x >= ring && x < W - ring) continue;
      samples.insert(samples.end(), {unit_coord(x, W), unit_coord(y, H), image.at(x, y)});
    }
  }
  refine_surface(samples, kSurfaceIterations, surface, sigma, ws.scratch);
  // 2. The whole image on a grid: the paper is the majority, and the ring's
  // surface, extrapolated inwards, tells it from the ink.
  const int step = std::max(1, static_cast<int>(std::lround(std::sqrt(static_cast<double>(W) * H / kSurfaceSamples))));
  samples.clear();
  for (int y = step / 2; y < H; y += step) {
    for (int x = step / 2; x < W; x += step) samples.insert(samples.end(), {unit_coord(x, W), unit_coord(y, H), image.at(x, y)});
  }
  refine_surface(samples, kSurfaceIterations, surface, sigma, ws.scratch);
  if (sigma_out) *sigma_out = sigma;
  return surface;
}

Polarity ink_polarity(const GrayImage& full, PreprocessWorkspace& ws, const PreprocessOptions& opt) {
  // A global decision: about kPolaritySide pixels across are enough, and
  // the top-hats below cost 4x less at half the size.
  const int factor = working_factor(full.width, full.height, kPolaritySide);
  if (factor > 1) shrink_by(full, factor, ws.polarity_image);
  const GrayImage& image = factor > 1 ? ws.polarity_image : full;
  const int W = image.width, H = image.height;
  const int ring = std::max(1, std::min(W, H) / kBorderRingDivisor);
  int hist[kLevelBins] = {};
  long count = 0;
  for (int y = 0; y < H; ++y) {
    const bool full_row = y < ring || y >= H - ring;
    for (int x = 0; x < W; ++x) {
      if (!full_row && x == ring) x = std::max(ring, W - ring);  // skip the interior
      ++hist[to_bin(image.at(x, y), kLevelBins)];
      ++count;
    }
  }
  const float bin = 1.0f / (kLevelBins - 1);
  Polarity p;
  p.background = histogram_percentile(hist, kLevelBins, count, 0.5f, bin);
  // Robust spread of the ring around its median.
  int dev[kLevelBins] = {};
  for (int b = 0; b < kLevelBins; ++b) dev[std::abs(b - to_bin(p.background, kLevelBins))] += hist[b];
  const float ring_sigma = kMadToSigma * histogram_percentile(dev, kLevelBins, count, 0.5f, bin);
  // The paper as a smooth surface (gradients, vignetting, a broad flash), so
  // that paper lit brighter than the border does not vote as light ink.
  float sigma = ring_sigma;
  p.paper = fit_paper_surface(image, p.background, ring_sigma, ws, &sigma);
  // Ink is also thin: below its closing (dark) or above its opening (light)
  // by a square of side 2 * thin + 1 (the top-hats). A broad bright or dark
  // patch the surface does not follow (a flash, a shadow) is neither.
  const int thin = std::max(1, std::min(W, H) / kThinDivisor);
  ws.closing.resize(W, H);
  ws.opening.resize(W, H);
  close_or_open<true>(image.pixels.data(), W, H, thin, ws.closing.pixels.data(), ws.filter_a, ws.filter_b, ws.line);
  close_or_open<false>(image.pixels.data(), W, H, thin, ws.opening.pixels.data(), ws.filter_a, ws.filter_b, ws.line);
  const float margin = std::max(kMinPolarityMargin, opt.noise_sigmas * sigma);
  double darker = 0, lighter = 0;
  const PaperSurface& s = p.paper;
  const float du = 2.0f / static_cast<float>(W), u0 = unit_coord(0, W);
  for (int y = 0; y < H; ++y) {
    // Along a row the surface is a + b u + c u^2.
    const float v = unit_coord(y, H);
    const float a = s.c[0] + s.c[2] * v + s.c[5] * v * v, b = s.c[1] + s.c[4] * v, c = s.c[3];
    const std::size_t at = static_cast<std::size_t>(y) * W;
    const float* row = image.pixels.data() + at;
    const float* close = ws.closing.pixels.data() + at;
    const float* open = ws.opening.pixels.data() + at;
    float dark_row = 0, light_row = 0;
    for (int x = 0; x < W; ++x) {
      const float u = u0 + du * static_cast<float>(x);
      const float r = row[x] - (a + (b + c * u) * u);
      dark_row += std::max(0.0f, std::min(-r - margin, close[x] - row[x]));
      light_row += std::max(0.0f, std::min(r - margin, row[x] - open[x]));
    }
    darker += dark_row;
    lighter += light_row;
  }
  p.ink_dark = darker > lighter;
  return p;
}

void ink_signal(const GrayImage& image, const Plane& background, bool ink_dark, Plane& ink) {
  ink.resize(image.width, image.height);
  const std::size_t n = image.pixels.size();
  const float* g = image.pixels.data();
  const float* b = background.pixels.data();
  float* s = ink.pixels.data();
  if (ink_dark) {
    // Reflectance: light falls on paper and ink alike, so dark ink is the
    // fraction of the paper's brightness it absorbs, whatever the lighting.
    for (std::size_t i = 0; i < n; ++i) s[i] = (b[i] - g[i]) / std::max(b[i], kMinPaperLevel);
  } else {
    for (std::size_t i = 0; i < n; ++i) s[i] = g[i] - b[i];
  }
}

float remove_banding(Plane& ink, PreprocessWorkspace& ws) {
  const int W = ink.width, H = ink.height;
  const std::size_t n = ink.pixels.size();
  // Offset of a row or column: a low percentile of its signal, so that a
  // stroke covering most of it (a 7's bar) is not taken for a streak, while a
  // streak covering all of it is.
  std::vector<float>& vals = ws.scratch;
  auto offset = [&](int start, int step, int len) {
    // Evenly spaced samples (at most kBandingSamples) are enough for a streak.
    const int every = (len + kBandingSamples - 1) / kBandingSamples;
    vals.clear();
    for (int k = every / 2; k < len; k += every) {
      vals.push_back(ink.pixels[static_cast<std::size_t>(start) + static_cast<std::size_t>(k) * step]);
    }
    auto at = vals.begin() + static_cast<std::ptrdiff_t>(kBandingPercentile * static_cast<float>(vals.size() - 1));
    std::nth_element(vals.begin(), at, vals.end());
    return *at;
  };
  for (int y = 0; y < H; ++y) {
    const float off = offset(y * W, 1, W);
    for (int x = 0; x < W; ++x) ink.at(x, y) -= off;
  }
  for (int x = 0; x < W; ++x) {
    const float off = offset(x, W, H);
    for (int y = 0; y < H; ++y) ink.at(x, y) -= off;
  }
  // Stroke mask: above half Otsu's threshold of the positive signal, dilated.
  float top = 0;
  for (float v : ink.pixels) top = std::max(top, v);
  std::vector<std::uint8_t>& mask = ws.mask;
  mask.assign(n, 0);
  if (top > 0) {
    const float cut = kBandingMaskFraction * otsu_threshold(ink.pixels, top);
    for (int y = 0; y < H; ++y) {
      for (int x = 0; x < W; ++x) {
        if (ink.at(x, y) <= cut) continue;
        for (int yy = std::max(0, y - 1); yy <= std::min(H - 1, y + 1); ++yy) {
          for (int xx = std::max(0, x - 1); xx <= std::min(W - 1, x + 1); ++xx) {
            mask[static_cast<std::size_t>(yy) * W + xx] = 1;
          }
        }
      }
    }
  }
  // Noise: median absolute signal of the paper, then clamp at 0.
  int hist[kNoiseBins] = {};
  long paper = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (mask[i]) continue;
    ++hist[to_bin(std::fabs(ink.pixels[i]) / kNoiseRange, kNoiseBins)];
    ++paper;
  }
  const float mad = paper > 0 ? histogram_percentile(hist, kNoiseBins, paper, 0.5f, kNoiseRange / (kNoiseBins - 1)) : 0.0f;
  for (float& v : ink.pixels) v = std::max(0.0f, v);
  return kMadToSigma * mad;
}

InkLevels ink_levels(const Plane& ink, float noise_sigma, const PreprocessOptions& opt, PreprocessWorkspace& ws) {
  InkLevels lv;
  const float top = *std::max_element(ink.pixels.begin(), ink.pixels.end());
  if (top <= 0) return lv;
  int hist[kLevelBins];
  lv.threshold = otsu_threshold(ink.pixels, top, hist);
  // Stroke core: a high percentile of the pixels above the threshold.
  const float bin = top / (kLevelBins - 1);
  const int first = std::min(kLevelBins - 1, to_bin(lv.threshold / top, kLevelBins) + 1);
  long above = 0;
  for (int k = first; k < kLevelBins; ++k) above += hist[k];
  lv.core = above > 0 ? histogram_percentile(hist + first, kLevelBins - first, above, opt.core_percentile, bin) +
                            static_cast<float>(first) * bin
                      : top;
  lv.floor = std::min(std::max(opt.noise_sigmas * noise_sigma, kMinFloor), kFloorFractionOfThreshold * lv.threshold);
  (void)ws;
  return lv;
}

void apply_levels(Plane& ink, const InkLevels& lv) {
  const float span = lv.core - lv.floor;
  if (span <= 0) {
    std::fill(ink.pixels.begin(), ink.pixels.end(), 0.0f);
    return;
  }
  const float inv = 1.0f / span;
  for (float& v : ink.pixels) v = std::clamp((v - lv.floor) * inv, 0.0f, 1.0f);
}

PixelBox find_digit_box(Plane& ink, float speck_fraction, PreprocessWorkspace& ws) {
  const int W = ink.width, H = ink.height;
  const std::size_t n = ink.pixels.size();
  std::vector<int>& label = ws.labels;
  std::vector<int>& parent = ws.parents;
  label.assign(n, -1);
  parent.clear();
  // Components of the strong ink (faint noise must not link specks to the
  // digit). First pass: provisional labels, unions with the 4 already-visited
  // neighbours.
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * W + x;
      if (ink.pixels[i] < kStrongInk) continue;
      int mine = -1;
      const int nbr[4][2] = {{-1, 0}, {-1, -1}, {0, -1}, {1, -1}};
      for (const auto& d : nbr) {
        const int nx = x + d[0], ny = y + d[1];
        if (nx < 0 || ny < 0 || nx >= W) continue;
        const int l = label[static_cast<std::size_t>(ny) * W + nx];
        if (l < 0) continue;
        if (mine < 0) {
          mine = find_root(parent, l);
        } else {
          const int a = find_root(parent, l);
          if (a != mine) parent[std::max(a, mine)] = std::min(a, mine), mine = std::min(a, mine);
        }
      }
      if (mine < 0) {
        mine = static_cast<int>(parent.size());
        parent.push_back(mine);
      }
      label[i] = mine;
    }
  }
  // Mass per component root.
  std::vector<float>& mass = ws.masses;
  mass.assign(parent.size(), 0.0f);
  for (std::size_t i = 0; i < n; ++i) {
    if (label[i] >= 0) {
      label[i] = find_root(parent, label[i]);
      mass[label[i]] += ink.pixels[i];
    }
  }
  // Per-component box, to recognise thin lines (scanner streaks, paper edges).
  std::vector<int>& bounds = ws.bounds;  // (components, 4): x0, y0, x1, y1
  bounds.assign(parent.size() * 4, 0);
  for (std::size_t c = 0; c < parent.size(); ++c) {
    bounds[c * 4 + 0] = W, bounds[c * 4 + 1] = H, bounds[c * 4 + 2] = -1, bounds[c * 4 + 3] = -1;
  }
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      const int l = label[static_cast<std::size_t>(y) * W + x];
      if (l < 0) continue;
      int* b = &bounds[static_cast<std::size_t>(l) * 4];
      b[0] = std::min(b[0], x), b[1] = std::min(b[1], y), b[2] = std::max(b[2], x), b[3] = std::max(b[3], y);
    }
  }
  int biggest = -1;
  for (std::size_t c = 0; c < mass.size(); ++c) {
    if (biggest < 0 || mass[c] > mass[biggest]) biggest = static_cast<int>(c);
  }
  const float largest = biggest < 0 ? 0.0f : mass[biggest];
  // Which components are the digit: the largest, then, growing from it, every
  // component heavier than speck_fraction of it that is near the digit so far
  // (its box meets the digit's box grown by kNearFraction of its longer side:
  // a broken stroke, a detached bar), or far but heavier than kApartFraction
  // of the largest (a digit in two pieces). Specks are light and apart; thin
  // lines touching the border are streaks or paper edges.
  std::vector<std::uint8_t>& kept = ws.kept;
  kept.assign(mass.size(), 0);
  int dx0 = 0, dy0 = 0, dx1 = -1, dy1 = -1;  // the digit's box so far
  const auto keep = [&](int c) {
    const int* b = &bounds[static_cast<std::size_t>(c) * 4];
    if (dx1 < 0) dx0 = b[0], dy0 = b[1], dx1 = b[2], dy1 = b[3];
    dx0 = std::min(dx0, b[0]), dy0 = std::min(dy0, b[1]), dx1 = std::max(dx1, b[2]), dy1 = std::max(dy1, b[3]);
    kept[c] = 1;
  };
  if (biggest >= 0 && largest > 0) keep(biggest);
  for (bool grew = biggest >= 0; grew;) {
    grew = false;
    const int near = static_cast<int>(std::lround(kNearFraction * static_cast<float>(std::max(dx1 - dx0, dy1 - dy0) + 1)));
    for (std::size_t c = 0; c < mass.size(); ++c) {
      if (kept[c] || mass[c] < speck_fraction * largest) continue;
      const int* b = &bounds[c * 4];
      const int thin = std::min(b[2] - b[0], b[3] - b[1]) + 1;
      const bool at_border = b[0] == 0 || b[1] == 0 || b[2] == W - 1 || b[3] == H - 1;
      if (thin <= kMaxLineWidth && at_border) continue;
      const bool is_near = b[0] <= dx1 + near && b[2] >= dx0 - near && b[1] <= dy1 + near && b[3] >= dy0 - near;
      if (is_near || mass[c] >= kApartFraction * largest) keep(static_cast<int>(c)), grew = true;
    }
  }
  const auto dropped = [&](int c) { return !kept[c]; };
  // Keep the ink within kFringe pixels of a kept component (the anti-aliased
  // fringe and blur around the strokes); erase the rest: specks, streaks and
  // faint trails. Mask of kept strong pixels, dilated by a square of radius
  // kFringe (rows into `label`, then columns back into `mask`).
  std::vector<std::uint8_t>& mask = ws.mask;
  mask.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) mask[i] = label[i] >= 0 && !dropped(label[i]);
  for (int y = 0; y < H; ++y) {
    dilate_1d(mask.data() + static_cast<std::size_t>(y) * W, 1, label.data() + static_cast<std::size_t>(y) * W, 1, W, kFringe);
  }
  for (int x = 0; x < W; ++x) dilate_1d(label.data() + x, W, mask.data() + x, W, H, kFringe);
  int x0 = W, y0 = H, x1 = -1, y1 = -1;
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * W + x;
      if (!mask[i]) ink.pixels[i] = 0;
      if (ink.pixels[i] <= 0) continue;
      x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
  }
  if (x1 < 0) return {};
  return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

void fit_to_box(const Plane& ink, const PixelBox& box, Plane& out, std::vector<float>& rows) {
  const int longer = std::max(box.w, box.h);
  const double scale = static_cast<double>(kDigitBox) / longer;
  const int ow = std::clamp(static_cast<int>(std::lround(box.w * scale)), 1, kDigitBox);
  const int oh = std::clamp(static_cast<int>(std::lround(box.h * scale)), 1, kDigitBox);
  // Horizontal pass into a (box.h, ow) buffer, then vertical into (oh, ow).
  rows.resize(static_cast<std::size_t>(box.h) * ow);
  for (int y = 0; y < box.h; ++y) {
    resample_1d(ink.pixels.data() + static_cast<std::size_t>(box.y + y) * ink.width + box.x, box.w, 1,
                rows.data() + static_cast<std::size_t>(y) * ow, ow, 1);
  }
  out.resize(ow, oh);
  for (int x = 0; x < ow; ++x) resample_1d(rows.data() + x, box.h, ow, out.pixels.data() + x, oh, ow);
}

void place_by_center_of_mass(const Plane& digit, std::array<float, kDigitPixels>& field) {
  field.fill(0.0f);
  double mass = 0, mx = 0, my = 0;
  for (int y = 0; y < digit.height; ++y) {
    for (int x = 0; x < digit.width; ++x) {
      const double v = digit.at(x, y);
      mass += v;
      mx += v * x;
      my += v * y;
    }
  }
  const double cx = mass > 0 ? mx / mass : (digit.width - 1) / 2.0;
  const double cy = mass > 0 ? my / mass : (digit.height - 1) / 2.0;
  const int ox = std::clamp(static_cast<int>(std::lround(kDigitCenter - cx)), 0, kDigitSide - digit.width);
  const int oy = std::clamp(static_cast<int>(std::lround(kDigitCenter - cy)), 0, kDigitSide - digit.height);
  for (int y = 0; y < digit.height; ++y) {
    for (int x = 0; x < digit.width; ++x) field[(oy + y) * kDigitSide + ox + x] = digit.at(x, y);
  }
}

Preprocessed preprocess_digit(const GrayImage& image, PreprocessWorkspace& ws, const PreprocessOptions& opt) {
  if (image.width < 1 || image.height < 1 || image.width > kMaxSide || image.height > kMaxSide ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height) {
    throw Error("preprocess_digit: bad image of " + std::to_string(image.width) + "x" +
                std::to_string(image.height) + " with " + std::to_string(image.pixels.size()) + " pixels");
  }
  Preprocessed out;
  const int factor = working_factor(image.width, image.height, opt.working_side);
  if (factor > 1) {
    shrink_by(image, factor, ws.small);
    out = preprocess_at_working_size(ws.small, ws, opt);
    out.box_x *= factor, out.box_y *= factor, out.box_w *= factor, out.box_h *= factor;
    return out;
  }
  return preprocess_at_working_size(image, ws, opt);
}

int working_factor(int width, int height, int working_side) {
  if (working_side <= 0) return 1;
  return std::max(1, (std::max(width, height) + working_side / 2) / working_side);
}

void shrink_by(const GrayImage& image, int factor, GrayImage& out) {
  out.width = image.width / factor;
  out.height = image.height / factor;
  out.had_alpha = image.had_alpha;
  out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, 0.0f);
  const float inv = 1.0f / static_cast<float>(factor * factor);
  for (int y = 0; y < out.height * factor; ++y) {
    const float* src = image.pixels.data() + static_cast<std::size_t>(y) * image.width;
    float* dst = out.pixels.data() + static_cast<std::size_t>(y / factor) * out.width;
    for (int x = 0; x < out.width; ++x) {
      float sum = 0;
      for (int k = 0; k < factor; ++k) sum += src[x * factor + k];
      dst[x] += sum;
    }
  }
  for (float& v : out.pixels) v *= inv;
}

namespace {

Preprocessed preprocess_at_working_size(const GrayImage& image, PreprocessWorkspace& ws, const PreprocessOptions& opt) {
  Preprocessed out;
  const Polarity polarity = ink_polarity(image, ws, opt);
  out.inverted = polarity.ink_dark;
  estimate_background(image, polarity.ink_dark, opt, ws, ws.background);
  ink_signal(image, ws.background, polarity.ink_dark, ws.ink);
  const float noise_sigma = remove_banding(ws.ink, ws);
  const InkLevels levels = ink_levels(ws.ink, noise_sigma, opt, ws);
  out.contrast = levels.core;
  const float needed = std::max(opt.min_contrast, opt.min_contrast_sigmas * noise_sigma);
  if (levels.core < needed) {
    return no_digit(std::move(out), "the image is blank or uniform (ink contrast " + std::to_string(levels.core) +
                                        ", needs " + std::to_string(needed) + ")");
  }
  apply_levels(ws.ink, levels);
  const PixelBox box = find_digit_box(ws.ink, opt.speck_fraction, ws);
  long ink_pixels = 0;
  for (float v : ws.ink.pixels) ink_pixels += v > 0;
  if (box.empty() || ink_pixels < opt.min_ink_pixels) {
    return no_digit(std::move(out), "too little ink (" + std::to_string(ink_pixels) + " pixels)");
  }
  out.box_x = box.x;
  out.box_y = box.y;
  out.box_w = box.w;
  out.box_h = box.h;
  fit_to_box(ws.ink, box, ws.box, ws.scratch);
  place_by_center_of_mass(ws.box, out.pixels);
  out.found = true;
  return out;
}

}  // namespace

Preprocessed preprocess_digit(const GrayImage& image, const PreprocessOptions& opt) {
  PreprocessWorkspace ws;
  return preprocess_digit(image, ws, opt);
}

}  // namespace blnk::data
