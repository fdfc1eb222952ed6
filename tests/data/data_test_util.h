// Helpers shared by the data tests: a per-test temporary directory, synthetic
// digit images, a minimal 16-bit PNG encoder (stb_image_write writes 8-bit only).
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "data/image.h"
#include "png_test_util.h"

namespace blnk::data::test {

using blnk::testing::encode_png16;

// A fresh directory under the system temp dir, removed at scope exit.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    path_ = std::filesystem::temp_directory_path() /
            ("blnk-data-" + tag + "-" + std::to_string(std::rand()) + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A ring ("0") of thickness `thick` centred at (cx, cy) with radii rx, ry,
// anti-aliased by 4x4 supersampling: ink coverage in [0,1].
inline std::vector<float> draw_ring(int w, int h, float cx, float cy, float rx, float ry, float thick) {
  std::vector<float> cov(static_cast<std::size_t>(w) * h, 0.0f);
  constexpr int kSub = 4;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      int hits = 0;
      for (int sy = 0; sy < kSub; ++sy) {
        for (int sx = 0; sx < kSub; ++sx) {
          const float px = x + (sx + 0.5f) / kSub, py = y + (sy + 0.5f) / kSub;
          const float dx = (px - cx) / rx, dy = (py - cy) / ry;
          const float r = std::sqrt(dx * dx + dy * dy);
          const float rin = 1.0f - thick / std::min(rx, ry);
          hits += (r <= 1.0f && r >= rin);
        }
      }
      cov[static_cast<std::size_t>(y) * w + x] = static_cast<float>(hits) / (kSub * kSub);
    }
  }
  return cov;
}

// A filled axis-aligned bar, anti-aliased: coverage in [0,1].
inline void draw_bar(std::vector<float>& cov, int w, float x0, float y0, float x1, float y1) {
  const int h = static_cast<int>(cov.size()) / w;
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const float ox = std::max(0.0f, std::min<float>(x + 1, x1) - std::max<float>(x, x0));
      const float oy = std::max(0.0f, std::min<float>(y + 1, y1) - std::max<float>(y, y0));
      cov[static_cast<std::size_t>(y) * w + x] = std::min(1.0f, cov[static_cast<std::size_t>(y) * w + x] + ox * oy);
    }
  }
}

// Paper and ink levels applied to a coverage map: gray = paper + (ink - paper) * coverage.
inline GrayImage paint(const std::vector<float>& cov, int w, int h, float paper, float ink) {
  GrayImage g;
  g.width = w;
  g.height = h;
  g.pixels.resize(cov.size());
  for (std::size_t i = 0; i < cov.size(); ++i) g.pixels[i] = paper + (ink - paper) * cov[i];
  return g;
}

inline std::vector<std::uint8_t> to_u8(const GrayImage& g) {
  std::vector<std::uint8_t> out(g.pixels.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(std::lround(std::clamp(g.pixels[i], 0.0f, 1.0f) * 255.0f));
  }
  return out;
}

}  // namespace blnk::data::test
