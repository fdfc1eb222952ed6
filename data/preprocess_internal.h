// Private to data/: the small numeric helpers the preprocessing steps share
// (gray-level histograms and their percentiles, Otsu's threshold, 1-D
// dilation and resampling), used by preprocess.cpp and polarity.cpp. Not
// part of the public API (that is preprocess.h and polarity.h).
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace blnk::data::detail {

inline constexpr int kLevelBins = 256;           // gray-level histograms (8-bit precision)
inline constexpr float kMadToSigma = 1.4826f;    // Gaussian: sigma = 1.4826 * median absolute deviation

// The nearest of `bins` bins spread evenly over [0, 1] (clamped).
inline int to_bin(float v, int bins) {
  const int b = static_cast<int>(v * static_cast<float>(bins - 1) + 0.5f);
  return std::clamp(b, 0, bins - 1);
}

// The value below which `fraction` of the histogram's mass lies, as a bin centre.
inline float histogram_percentile(const int* hist, int bins, long total, float fraction, float bin_width) {
  const long target = static_cast<long>(std::ceil(fraction * static_cast<double>(total)));
  long seen = 0;
  for (int b = 0; b < bins; ++b) {
    seen += hist[b];
    if (seen >= std::max(target, 1L)) return static_cast<float>(b) * bin_width;
  }
  return static_cast<float>(bins - 1) * bin_width;
}

// Otsu's split of a histogram: the bin that best separates two classes, with
// the lower class's share of the count and both classes' means (in bins).
struct OtsuSplit {
  int bin = 0;           // the lower class is bins 0..bin
  double low_share = 0;  // of the total count
  double low_mean = 0, high_mean = 0;
};
inline OtsuSplit otsu_split(const int* hist, int bins) {
  double total = 0, sum_all = 0;
  for (int k = 0; k < bins; ++k) {
    total += hist[k];
    sum_all += static_cast<double>(k) * hist[k];
  }
  OtsuSplit split;
  double w0 = 0, sum0 = 0, best = -1;
  for (int k = 0; k < bins - 1; ++k) {
    w0 += hist[k];
    sum0 += static_cast<double>(k) * hist[k];
    const double w1 = total - w0;
    if (w0 == 0 || w1 == 0) continue;
    const double m0 = sum0 / w0, m1 = (sum_all - sum0) / w1;
    const double between = w0 * w1 * (m0 - m1) * (m0 - m1);
    if (between > best) {
      best = between;
      split = {k, w0 / total, m0, m1};
    }
  }
  return split;
}

// The largest of `start` and the values, over eight running maxima (one
// running maximum waits on its previous comparison at every value). For
// values without NaN any order gives the same maximum, but for the sign of a
// zero: callers only ask whether it is above 0.
inline float largest_value(const std::vector<float>& values, float start) {
  constexpr std::size_t kLanes = 8;
  float lane[kLanes];
  std::fill(lane, lane + kLanes, start);
  const std::size_t n = values.size(), whole = n / kLanes * kLanes;
  for (std::size_t i = 0; i < whole; i += kLanes) {
    for (std::size_t l = 0; l < kLanes; ++l) lane[l] = std::max(lane[l], values[i + l]);
  }
  for (std::size_t i = whole; i < n; ++i) lane[0] = std::max(lane[0], values[i]);
  return *std::max_element(lane, lane + kLanes);
}

// Otsu's threshold of the values in [0, top] (negative values count as 0).
// The counts go to four histograms in turn, summed at the end: the paper's
// pixels fall in a few bins, and counting them into one waited on the
// previous increment of the same counter.
inline float otsu_threshold(const std::vector<float>& values, float top, int* hist_out = nullptr) {
  int local[kLevelBins];
  int* hist = hist_out ? hist_out : local;
  constexpr int kWays = 4;
  int ways[kWays][kLevelBins] = {};
  const float inv_top = 1.0f / top;
  const std::size_t n = values.size(), whole = n / kWays * kWays;
  for (std::size_t i = 0; i < whole; i += kWays) {
    for (int w = 0; w < kWays; ++w) ++ways[w][to_bin(std::max(0.0f, values[i + w]) * inv_top, kLevelBins)];
  }
  for (std::size_t i = whole; i < n; ++i) ++ways[0][to_bin(std::max(0.0f, values[i]) * inv_top, kLevelBins)];
  for (int b = 0; b < kLevelBins; ++b) hist[b] = ways[0][b] + ways[1][b] + ways[2][b] + ways[3][b];
  return (static_cast<float>(otsu_split(hist, kLevelBins).bin) + 0.5f) * top / (kLevelBins - 1);
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

// One axis of a separable resampling: dst_len samples from src_len. Shrinking
// averages the exact source area of each output sample; enlarging is linear
// interpolation between sample centres. Equal lengths copy.
inline void resample_1d(const float* src, int src_len, int src_stride, float* dst, int dst_len, int dst_stride) {
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

}  // namespace blnk::data::detail
