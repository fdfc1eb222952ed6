// The polarity decision (step 1 of the pipeline in preprocess.h): is the ink
// darker or lighter than the paper? The paper is a smooth quadratic surface
// fitted robustly (fit_paper_surface: border ring first, then the whole
// image); ink departs from it and is thin, which the grey-level closing and
// opening (the top-hats, van Herk / Gil-Werman running extremes) measure.
#include "data/polarity.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "data/morphology.h"
#include "data/preprocess.h"
#include "data/preprocess_internal.h"

namespace blnk::data {

using namespace detail;

namespace {

constexpr float kMinPolarityMargin = 0.02f;  // residuals smaller than this never vote on polarity
constexpr int kBorderRingDivisor = 20;    // border ring width = shorter side / 20 (at least 1)
// The paper surface (ink_polarity): a robust fit of a quadratic to about
// kSurfaceSamples pixels of the border ring, then of the whole image.
constexpr int kSurfaceSamples = 256;
constexpr int kSurfaceIterations = 4;     // reweightings per stage, at most
constexpr float kTukeyCut = 4.685f;       // biweight cut-off, in robust scales (95% efficiency)
constexpr float kMinSurfaceSigma = 1.0f / 255.0f;  // the paper's scale never goes below one gray level
constexpr double kSurfaceRidge = 1e-6;    // ridge on the non-constant terms, relative to the total weight
constexpr float kSurfaceSettled = 0.5f / 255.0f;  // stop reweighting once the surface moves less than this
constexpr int kPolaritySide = 48;        // ink_polarity works on the image shrunk to about this
constexpr double kTouchingShare = 0.1;     // ink meets the border when a second tone has 10% of the ring...
constexpr float kTouchingContrast = 0.1f;  // ... at this contrast, meeting it in steep edges:
constexpr int kEdgeSpanDivisor = 4;       // ... rising within 1/4 of the shorter side (blurred strokes too)
constexpr float kInkyBorderShare = 0.3f;   // the ring is largely ink with this much of the second tone...
constexpr float kInkyBorderContrast = 0.25f;  // ... when the two tones are this far apart
constexpr double kSureVoteRatio = 2.0;     // by votes, sure when one side outweighs the other twice
constexpr int kThinDivisor = 8;          // ink strokes are at most 2/8 of the shorter side wide

// --- The paper surface: robust quadratic fit ----------------------------------

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

// Eight floats as one vector (GCC and Clang's vector extension): the six
// terms of the surface's basis and two unused.
using Lanes = float __attribute__((vector_size(32)));

// Iteratively reweighted least squares with Tukey's biweight: the surface
// follows the samples within kTukeyCut scales of it (the paper) and ignores
// the rest (ink, specks). Starts from `surface` and `sigma`, which it updates.
void refine_surface(const std::vector<float>& samples, int iterations, PaperSurface& surface, float& sigma,
                    std::vector<float>& scratch) {
  constexpr int n = PaperSurface::kTerms;
  for (int it = 0; it < iterations; ++it) {
    const float cut = kTukeyCut * sigma;
    const float inv_cut = 1.0f / cut;
    // Weighted sums of the basis' products (upper triangle used) and of
    // basis * gray, each row of sums one vector: the sums stay in registers
    // (as arrays they went through memory on every sample), each entry added
    // to in the same order with the same products as before.
    Lanes rows[n] = {};
    Lanes sums_g = {};
    float total = 0;
    for (std::size_t i = 0; i + 2 < samples.size(); i += 3) {
      const float u = samples[i], v = samples[i + 1], g = samples[i + 2];
      const float t = (g - surface.at(u, v)) * inv_cut;
      if (t * t >= 1.0f) continue;
      const float w = (1.0f - t * t) * (1.0f - t * t);
      const Lanes basis = {1.0f, u, v, u * u, u * v, v * v, 0.0f, 0.0f};
      const Lanes weighted = w * basis;
      for (int r = 0; r < n; ++r) rows[r] += weighted[r] * basis;
      sums_g += weighted * g;
      total += w;
    }
    std::array<float, n * n> a{};
    std::array<float, n> b{};
    for (int r = 0; r < n; ++r) {
      for (int k = r; k < n; ++k) a[r * n + k] = rows[r][k];
      b[r] = sums_g[r];
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

namespace {

// How often the image's outermost pixels, walked around, cross `level` with a
// step of at least `step` over a quarter of the shorter side (at least 2
// pixels): where strokes, even blurred ones, meet the border; a lighting
// gradient changes far more slowly.
int steep_border_crossings(const GrayImage& image, float level, float step, std::vector<float>& walk) {
  const int W = image.width, H = image.height;
  walk.clear();
  for (int x = 0; x < W; ++x) walk.push_back(image.at(x, 0));
  for (int y = 1; y < H; ++y) walk.push_back(image.at(W - 1, y));
  for (int x = W - 2; x >= 0 && H > 1; --x) walk.push_back(image.at(x, H - 1));
  for (int y = H - 2; y >= 1 && W > 1; --y) walk.push_back(image.at(0, y));
  const std::size_t n = walk.size();
  if (n < 3) return 0;
  const std::size_t half = static_cast<std::size_t>(std::max(1, std::min(W, H) / kEdgeSpanDivisor / 2));
  int crossings = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float a = walk[i], b = walk[(i + 1) % n];
    if ((a < level) == (b < level)) continue;
    const float before = walk[(i + n - half % n) % n], after = walk[(i + 1 + half) % n];
    if (std::fabs(after - before) >= step) ++crossings;
  }
  return crossings;
}

}  // namespace

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
  // A border that is largely ink (a digit cropped close, a thick stroke that
  // fills the frame) cannot stand for the paper: the surface would be fitted
  // to the ink. Ink is then guessed by its share (a digit usually covers less
  // of the picture than the paper around and inside it), and the reader
  // tries the other polarity too. (A border two-toned by a lighting gradient
  // is not ink: its tones do not meet in steep edges.)
  const OtsuSplit ring_split = otsu_split(hist, kLevelBins);
  const float two_tones = static_cast<float>(ring_split.high_mean - ring_split.low_mean) * bin;
  const double ring_minority = std::min(ring_split.low_share, 1.0 - ring_split.low_share);
  const bool ink_meets_border =
      ring_minority >= kTouchingShare && two_tones >= kTouchingContrast &&
      steep_border_crossings(image, (static_cast<float>(ring_split.bin) + 0.5f) * bin, 0.5f * two_tones, ws.scratch) >= 2;
  p.paper_scarce = ink_meets_border && ring_minority >= kInkyBorderShare && two_tones >= kInkyBorderContrast;
  if (p.paper_scarce) {
    int all[kLevelBins] = {};
    for (float v : image.pixels) ++all[to_bin(v, kLevelBins)];
    p.ink_dark = otsu_split(all, kLevelBins).low_share < 0.5;
    p.sure = false;  // a bold digit cropped close can cover more than the paper does
    return p;
  }
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
  grey_closing(image.pixels.data(), W, H, thin, ws.closing.pixels.data(), ws.morphology);
  grey_opening(image.pixels.data(), W, H, thin, ws.opening.pixels.data(), ws.morphology);
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
  // Where ink meets the border the paper's surface is a guess (a thick blurred
  // digit cropped close can hide it): the reader tries the other polarity too.
  p.sure = !ink_meets_border && std::max(darker, lighter) >= kSureVoteRatio * std::min(darker, lighter);
  return p;
}

}  // namespace blnk::data
