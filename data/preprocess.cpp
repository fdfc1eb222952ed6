// Preprocessing of a photographed or drawn digit into an MNIST-like 28x28
// image (see preprocess.h for the pipeline and the reasons behind each step):
// the steps in the order they run, then preprocess_digit, which chains them.
// Polarity (step 1) is in polarity.cpp; the shared numeric helpers (histogram
// percentile, Otsu, 1-D dilation and resampling) in preprocess_internal.h.
#include "data/preprocess.h"

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <limits>

#include "data/pixels.h"
#include "data/preprocess_internal.h"
#include "base/error.h"

namespace blnk::data {

using namespace detail;

namespace {

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
constexpr float kBandingMaskFraction = 0.5f;  // pixels above half Otsu's threshold are strokes
constexpr float kBandingPercentile = 0.25f;  // row/column offset = this percentile of its signal
constexpr int kBandingSamples = 48;       // ... over at most this many samples of it
constexpr int kMinDigitSide = 5;          // a digit's box is at least this long (pixels at the working size)
constexpr float kMinStrokeWidth = 1.0f;   // strokes thinner than this at the digit's 20x20 are thickened (a fine pen)
constexpr float kSureContrast = 0.35f;    // strokes this strong are a drawing, however noisy the paper seems
constexpr float kMaxStreakShare = 0.5f;   // a streak is fainter than this share of the ink's level
constexpr float kAlwaysFaint = 0.2f;      // ... and offsets under this are never strokes (a blank page's shading)
constexpr float kInkLevelPercentile = 0.98f;  // the ink's level: this percentile of the signal
constexpr std::size_t kLevelSamples = 1024;  // ... over about this many samples
constexpr int kNoiseBins = 1024;          // histogram of |paper signal| for its median...
constexpr float kNoiseRange = 0.25f;      // ... over [0, 0.25] (larger values count as 0.25)

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

int find_root(std::vector<int>& parent, int i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

// A high percentile of a plane's values (over at most ~kLevelSamples evenly spaced samples).
float high_level(const Plane& plane, std::vector<float>& samples) {
  const std::size_t n = plane.pixels.size();
  const std::size_t every = std::max<std::size_t>(1, n / kLevelSamples);
  samples.clear();
  for (std::size_t i = every / 2; i < n; i += every) samples.push_back(plane.pixels[i]);
  if (samples.empty()) return 0.0f;
  auto at = samples.begin() + static_cast<std::ptrdiff_t>(kInkLevelPercentile * static_cast<float>(samples.size() - 1));
  std::nth_element(samples.begin(), at, samples.end());
  return std::max(0.0f, *at);
}

Preprocessed no_digit(Preprocessed out, std::string why) {
  out.found = false;
  out.reason = "no digit found: " + why;
  out.pixels.fill(0.0f);
  return out;
}

}  // namespace

std::array<std::uint8_t, kDigitPixels> Preprocessed::to_u8() const {
  std::array<std::uint8_t, kDigitPixels> out{};
  for (int i = 0; i < kDigitPixels; ++i) {
    out[i] = byte_of_unit(pixels[i]);
  }
  return out;
}

DecodeTarget preprocess_decode_target(const PreprocessOptions& opt) {
  DecodeTarget target;  // working_side 0: no shrinking, so the full decode
  if (opt.working_side > 0) target.min_short_side = kDecodeSidePerWorkingSide * opt.working_side;
  return target;
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
  // Bilinear: first along x for each tile row (ws.scratch: (ny, W)), then along y.
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

void estimate_flat_background(const GrayImage& image, bool ink_dark, Plane& background) {
  int hist[kLevelBins] = {};
  for (float v : image.pixels) ++hist[to_bin(v, kLevelBins)];
  const OtsuSplit split = otsu_split(hist, kLevelBins);
  const double paper_bin = ink_dark ? split.high_mean : split.low_mean;
  background.resize(image.width, image.height);
  std::fill(background.pixels.begin(), background.pixels.end(), static_cast<float>(paper_bin / (kLevelBins - 1)));
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

float remove_banding(Plane& ink, PreprocessWorkspace& ws, bool streaks_only) {
  const int W = ink.width, H = ink.height;
  const std::size_t n = ink.pixels.size();
  // Offset of a row or column: a low percentile of its signal, so that a
  // stroke covering most of it is not taken for a streak, while a streak
  // covering all of it is.
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
  // A stroke can cover a whole row too, when the digit fills the frame (a 7's
  // bar, a 1 from edge to edge, most rows of a bold digit cropped close):
  // then the row's low percentile is ink, and it says nothing of a streak.
  // Only a faint offset (under kMaxStreakShare of the ink's level, or under
  // kAlwaysFaint) is a streak or a band of uneven light and comes off; a
  // strong one is a stroke and stays. (Taking off the part of a strong offset
  // that stood out of its neighbours' striped the inside of bold digits.)
  const float ink_level = high_level(ink, ws.line);
  const float faint = std::max(kMaxStreakShare * ink_level, kAlwaysFaint);
  std::vector<float>& amounts = ws.samples;  // what comes off each row or column
  auto offsets_to_remove = [&](int count, auto offset_of) {
    amounts.resize(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) amounts[i] = offset_of(i);
    if (streaks_only) {
      // The part of each offset over its neighbourhood's opening (under its closing),
      // the offsets taken as a picture one row high: a band of at most kMaxStreakRows
      // rows stands out, a broader one does not.
      std::vector<float>& o = ws.offsets;
      o.resize(2 * static_cast<std::size_t>(count));
      float *opened = o.data(), *closed = o.data() + count;
      grey_opening(amounts.data(), count, 1, kMaxStreakRows / 2, opened, ws.morphology);
      grey_closing(amounts.data(), count, 1, kMaxStreakRows / 2, closed, ws.morphology);
      for (int i = 0; i < count; ++i) {
        const float off = amounts[i];
        amounts[i] = std::fabs(off) < faint ? (off - opened[i]) + (off - closed[i]) : 0.0f;
      }
      return;
    }
    for (float& off : amounts) off = std::fabs(off) < faint ? off : 0.0f;
  };
  offsets_to_remove(H, [&](int y) { return offset(y * W, 1, W); });
  for (int y = 0; y < H; ++y) {
    float* row = ink.pixels.data() + static_cast<std::size_t>(y) * W;
    for (int x = 0; x < W; ++x) row[x] -= amounts[y];
  }
  offsets_to_remove(W, [&](int x) { return offset(x, W, H); });
  for (int y = 0; y < H; ++y) {  // row by row: the columns' amounts, in memory order
    float* row = ink.pixels.data() + static_cast<std::size_t>(y) * W;
    for (int x = 0; x < W; ++x) row[x] -= amounts[x];
  }
  // Stroke mask: above half Otsu's threshold of the positive signal, dilated.
  const float top = largest_value(ink.pixels, 0.0f);
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
  // Counted into two histograms in turn (as otsu_threshold does into four):
  // most of the paper falls in a few bins.
  int ways[2][kNoiseBins] = {};
  long paper = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (mask[i]) continue;
    ++ways[i & 1][to_bin(std::fabs(ink.pixels[i]) / kNoiseRange, kNoiseBins)];
    ++paper;
  }
  int hist[kNoiseBins];
  for (int b = 0; b < kNoiseBins; ++b) hist[b] = ways[0][b] + ways[1][b];
  const float mad = paper > 0 ? histogram_percentile(hist, kNoiseBins, paper, 0.5f, kNoiseRange / (kNoiseBins - 1)) : 0.0f;
  for (float& v : ink.pixels) v = std::max(0.0f, v);
  return kMadToSigma * mad;
}

InkLevels ink_levels(const Plane& ink, float noise_sigma, const PreprocessOptions& opt, PreprocessWorkspace& ws) {
  InkLevels lv;
  const float top = largest_value(ink.pixels, -std::numeric_limits<float>::infinity());
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

float stroke_width(const Plane& ink, const PixelBox& box) {
  // Area over half the outline: for a stroke of width w and length L the
  // area is w L and the outline 2 L (counted along rows and columns, a
  // diagonal's outline is up to 1.4x longer: thin enough for this purpose).
  long area = 0, edges = 0;
  for (int y = box.y; y < box.y + box.h; ++y) {
    for (int x = box.x; x < box.x + box.w; ++x) {
      const bool in = ink.at(x, y) >= 0.5f;
      area += in;
      // Transitions to the right and below, and ink against the image's own edges.
      edges += x + 1 < ink.width ? in != (ink.at(x + 1, y) >= 0.5f) : in;
      edges += y + 1 < ink.height ? in != (ink.at(x, y + 1) >= 0.5f) : in;
      if (x == 0) edges += in;
      if (y == 0) edges += in;
    }
  }
  return edges > 0 ? 2.0f * static_cast<float>(area) / static_cast<float>(edges) : 0.0f;
}

PixelBox thicken_thin_strokes(Plane& ink, const PixelBox& box, std::vector<float>& scratch) {
  const float scale = static_cast<float>(kDigitBox) / static_cast<float>(std::max(box.w, box.h));
  const float width = stroke_width(ink, box);
  if (width <= 0 || width * scale >= kMinStrokeWidth) return box;
  const int r = std::max(1, static_cast<int>(std::lround((kMinStrokeWidth / scale - width) / 2)));
  // Grey dilation by a (2r+1) square over the box grown by r, rows then columns.
  const int x0 = std::max(0, box.x - r), x1 = std::min(ink.width, box.x + box.w + r);
  const int y0 = std::max(0, box.y - r), y1 = std::min(ink.height, box.y + box.h + r);
  const int w = x1 - x0, h = y1 - y0;
  scratch.resize(static_cast<std::size_t>(w) * h);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      float m = 0;
      for (int k = std::max(x0, x - r); k <= std::min(x1 - 1, x + r); ++k) m = std::max(m, ink.at(k, y));
      scratch[static_cast<std::size_t>(y - y0) * w + (x - x0)] = m;
    }
  }
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      float m = 0;
      for (int k = std::max(y0, y - r); k <= std::min(y1 - 1, y + r); ++k)
        m = std::max(m, scratch[static_cast<std::size_t>(k - y0) * w + (x - x0)]);
      ink.at(x, y) = m;
    }
  }
  return {x0, y0, w, h};
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

namespace {

// The share of a plane's outermost pixels that are strong ink.
float border_ink_share(const Plane& ink) {
  const int W = ink.width, H = ink.height;
  long inked = 0, count = 0;
  const auto visit = [&](int x, int y) { inked += ink.at(x, y) >= kStrongInk, ++count; };
  for (int x = 0; x < W; ++x) {
    visit(x, 0);
    if (H > 1) visit(x, H - 1);
  }
  for (int y = 1; y + 1 < H; ++y) {
    visit(0, y);
    if (W > 1) visit(W - 1, y);
  }
  return count > 0 ? float(inked) / float(count) : 0.0f;
}

Preprocessed preprocess_at_working_size(const GrayImage& image, PreprocessWorkspace& ws, const PreprocessOptions& opt) {
  Preprocessed out;
  Polarity polarity = ink_polarity(image, ws, opt);
  if (opt.polarity != InkPolarity::automatic) polarity.ink_dark = opt.polarity == InkPolarity::dark;
  out.inverted = polarity.ink_dark;
  out.polarity_sure = polarity.sure;
  if (polarity.paper_scarce) {
    // A digit filling the frame covers whole tiles: one paper level, that of
    // the paper's tone in the whole picture.
    estimate_flat_background(image, polarity.ink_dark, ws.background);
  } else {
    estimate_background(image, polarity.ink_dark, opt, ws, ws.background);
  }
  ink_signal(image, ws.background, polarity.ink_dark, ws.ink);
  const float noise_sigma = remove_banding(ws.ink, ws, opt.streaks_only);
  const InkLevels levels = ink_levels(ws.ink, noise_sigma, opt, ws);
  out.contrast = levels.core;
  // A digit filling the frame leaves little paper, and its blurred edges
  // inflate the noise estimate: strokes of kSureContrast are never noise.
  const float needed = std::max(opt.min_contrast, std::min(opt.min_contrast_sigmas * noise_sigma, kSureContrast));
  if (levels.core < needed) {
    char detail[96];
    std::snprintf(detail, sizeof detail, " (ink contrast %.3f, at least %.3f needed)", levels.core, needed);
    return no_digit(std::move(out), std::string("the image is blank: nothing stands out from the background") + detail);
  }
  apply_levels(ws.ink, levels);
  const PixelBox box = find_digit_box(ws.ink, opt.speck_fraction, ws);
  long ink_pixels = 0;
  for (float v : ws.ink.pixels) ink_pixels += v > 0;
  if (box.empty() || ink_pixels < opt.min_ink_pixels) {
    return no_digit(std::move(out), "too little ink for a digit (" + std::to_string(ink_pixels) + " pixels)");
  }
  // A tap on the pad, a dot on the page: a few pixels at the working size
  // cannot hold a digit's shape, and enlarged to 20x20 they are a blob.
  if (std::max(box.w, box.h) < kMinDigitSide) {
    return no_digit(std::move(out), "too small to be a digit (a dot or a speck of " + std::to_string(box.w) + "x" +
                                        std::to_string(box.h) + " pixels)");
  }
  out.border_ink = border_ink_share(ws.ink);
  const PixelBox digit_box = thicken_thin_strokes(ws.ink, box, ws.scratch);
  out.box_x = digit_box.x;
  out.box_y = digit_box.y;
  out.box_w = digit_box.w;
  out.box_h = digit_box.h;
  fit_to_box(ws.ink, digit_box, ws.box, ws.scratch);
  place_by_center_of_mass(ws.box, out.pixels);
  out.found = true;
  return out;
}

}  // namespace

Preprocessed preprocess_digit(const GrayImage& image, PreprocessWorkspace& ws, const PreprocessOptions& opt) {
  if (image.width < 1 || image.height < 1 || image.width > kMaxSide || image.height > kMaxSide ||
      image.pixels.size() != static_cast<std::size_t>(image.width) * image.height) {
    throw Error("preprocess_digit: bad image of " + std::to_string(image.width) + "x" +
                std::to_string(image.height) + " with " + std::to_string(image.pixels.size()) + " pixels");
  }
  Preprocessed out;
  const int factor = working_factor(image.width, image.height, opt.working_side);
  // A side shorter than the shrink factor would vanish (1 x 212 shrank to 0 x 106),
  // and an empty plane crashed remove_banding (docs/hardening.md, F7).
  if (image.width < factor || image.height < factor) {
    out.reason = "the image (" + std::to_string(image.width) + "x" + std::to_string(image.height) +
                 ") is too thin to hold a digit";
    return out;
  }
  if (factor > 1) {
    shrink_by(image, factor, ws.small);
    out = preprocess_at_working_size(ws.small, ws, opt);
    out.box_x *= factor, out.box_y *= factor, out.box_w *= factor, out.box_h *= factor;
    return out;
  }
  return preprocess_at_working_size(image, ws, opt);
}

bool mark_inside_hole(const Plane& ink, const PixelBox& box, PreprocessWorkspace& ws) {
  if (box.empty() || box.x < 0 || box.y < 0 || box.x + box.w > ink.width || box.y + box.h > ink.height) return false;
  const int W = box.w, H = box.h, n = W * H;
  std::vector<std::uint8_t>& strong = ws.kept;  // the box's strong ink, row by row
  strong.resize(n);
  for (int y = 0; y < H; ++y) {
    const float* row = &ink.pixels[static_cast<std::size_t>(box.y + y) * ink.width + box.x];
    for (int x = 0; x < W; ++x) strong[y * W + x] = row[x] >= kStrongInk;
  }
  const auto inked = [&](int i) { return strong[i] != 0; };
  std::vector<int>& part = ws.labels;   // 8-connected parts of the strong ink: -1 none, else a part
  std::vector<int>& stack = ws.parents;
  part.assign(n, -1);
  stack.resize(n);
  std::vector<int>& extent = ws.bounds;  // per part: top, bottom, pixels
  extent.clear();
  int largest = -1;
  for (int start = 0; start < n; ++start) {
    if (part[start] >= 0 || !inked(start)) continue;
    const int label = int(extent.size() / 3);
    extent.insert(extent.end(), {H, -1, 0});
    int top = H, bottom = -1, pixels = 0, count = 0;
    stack[count++] = start;
    part[start] = label;
    while (count) {
      const int i = stack[--count], x = i % W, y = i / W;
      top = std::min(top, y), bottom = std::max(bottom, y), ++pixels;
      for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
          const int nx = x + dx, ny = y + dy, j = ny * W + nx;
          if (nx < 0 || ny < 0 || nx >= W || ny >= H || part[j] >= 0 || !inked(j)) continue;
          part[j] = label;
          stack[count++] = j;
        }
    }
    extent[3 * label] = top, extent[3 * label + 1] = bottom, extent[3 * label + 2] = pixels;
    if (largest < 0 || pixels > extent[3 * largest + 2]) largest = label;
  }
  if (largest < 0) return false;
  // From the box's edge, 4-connected, through everything but the largest part (its
  // diagonal steps close it).
  std::vector<std::uint8_t>& reached = ws.mask;
  reached.assign(n, 0);
  int count = 0;
  for (int i = 0; i < n; ++i) {
    const int x = i % W, y = i / W;
    if ((x == 0 || y == 0 || x == W - 1 || y == H - 1) && part[i] != largest) reached[i] = 1, stack[count++] = i;
  }
  while (count) {
    const int i = stack[--count], x = i % W, y = i / W;
    const int next[4] = {x > 0 ? i - 1 : -1, x < W - 1 ? i + 1 : -1, y > 0 ? i - W : -1, y < H - 1 ? i + W : -1};
    for (const int j : next)
      if (j >= 0 && !reached[j] && part[j] != largest) reached[j] = 1, stack[count++] = j;
  }
  // What the largest part encloses: its rows, then the marks in it (the other parts none
  // of whose pixels was reached).
  int hole_top = H, hole_bottom = -1;
  for (int i = 0; i < n; ++i) {
    if (part[i] >= 0 && reached[i]) extent[3 * part[i] + 2] = -1;
    if (!reached[i] && part[i] != largest) hole_top = std::min(hole_top, i / W), hole_bottom = std::max(hole_bottom, i / W);
  }
  const float hole_height = float(hole_bottom - hole_top + 1);
  for (int label = 0; label < int(extent.size() / 3); ++label) {
    const int height = extent[3 * label + 1] - extent[3 * label] + 1;
    if (label != largest && extent[3 * label + 2] >= 0 && height >= kMinInnerMark &&
        float(height) >= kInnerMarkShare * hole_height)
      return true;
  }
  return false;
}

Preprocessed preprocess_digit(const GrayImage& image, const PreprocessOptions& opt) {
  PreprocessWorkspace ws;
  return preprocess_digit(image, ws, opt);
}

}  // namespace blnk::data
