// Contact sheet of the preprocessing pipeline, for looking at its output:
// each input image (scaled to 56x56, gray) next to its 28x28 result (x2),
// eight pairs to a row. Usage: blnk_preprocess_sheet <dir> <out.png>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/image_write.h"
#include "data/preprocess.h"

namespace {
constexpr int kCell = 56, kPairsPerRow = 8, kGap = 4;
}

int main(int argc, char** argv) {
  using namespace blnk::data;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <dir> <out.png>\n", argv[0]);
    return 2;
  }
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(argv[1])) files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  const int n = static_cast<int>(files.size());
  const int pair_w = 2 * kCell + kGap * 2;
  const int W = kPairsPerRow * pair_w, rows = (n + kPairsPerRow - 1) / kPairsPerRow, H = rows * (kCell + kGap);
  std::vector<std::uint8_t> sheet(static_cast<std::size_t>(W) * H * 3, 64);
  PreprocessWorkspace ws;
  int missing = 0;
  for (int i = 0; i < n; ++i) {
    const int ox = (i % kPairsPerRow) * pair_w, oy = (i / kPairsPerRow) * (kCell + kGap);
    try {
      const GrayImage g = read_image_gray(files[i]);
      const Preprocessed p = preprocess_digit(g, ws);
      for (int y = 0; y < kCell; ++y) {
        for (int x = 0; x < kCell; ++x) {
          const float src = g.at(std::min(g.width - 1, x * g.width / kCell), std::min(g.height - 1, y * g.height / kCell));
          const float dst = p.pixels[(y / 2) * kDigitSide + x / 2];
          std::uint8_t* a = &sheet[((oy + y) * W + ox + x) * 3];
          std::uint8_t* b = &sheet[((oy + y) * W + ox + kCell + kGap / 2 + x) * 3];
          a[0] = a[1] = a[2] = static_cast<std::uint8_t>(std::clamp(src, 0.0f, 1.0f) * 255);
          b[0] = b[1] = b[2] = static_cast<std::uint8_t>(std::clamp(dst, 0.0f, 1.0f) * 255);
          if (!p.found) b[0] = 255;  // red tint: no digit found
        }
      }
      if (!p.found) {
        ++missing;
        std::printf("%s: %s\n", files[i].c_str(), p.reason.c_str());
      }
    } catch (const std::exception& e) {
      std::printf("%s\n", e.what());
    }
  }
  write_png(argv[2], sheet, W, H, 3);
  std::printf("%d images, %d without a digit, sheet %dx%d in %s\n", n, missing, W, H, argv[2]);
  return 0;
}
