// The find stage's view of pictures (data/find_digits.h), for looking at it:
// for each image, prints the digits found for dark and for light ink, and
// writes <out-dir>/<name>.png: the searched picture with the dark-ink boxes in
// red and the light-ink boxes in blue. Usage: blnk_find_view <out-dir> <image>...
// FIND_MARGIN=0.25 searches with step 0's frame of paper of that share of the
// shorter side (the reader's second look); FIND_MARKS=1 lists the marks;
// FIND_INK=1 also writes <name>.ink.png, the dark ink the marks were found in.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "data/find_digits.h"
#include "data/image.h"
#include "data/image_write.h"

int main(int argc, char** argv) {
  using namespace blnk::data;
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <out-dir> <image>...\n", argv[0]);
    return 2;
  }
  FindWorkspace ws;
  GrayImage decoded, page;
  for (int a = 2; a < argc; ++a) {
    const std::string path = argv[a];
    try {
      DecodeTarget target;
      target.min_short_side = kFindSide;
      const auto t0 = std::chrono::steady_clock::now();
      const auto bytes = read_image_file(path);
      decode_image_gray(bytes, path, decoded, {}, target);
      const int factor = std::max(1, std::min(decoded.width, decoded.height) / kFindSide);
      if (factor > 1) shrink_by(decoded, factor, page);
      else page = decoded;
      const auto t1 = std::chrono::steady_clock::now();
      const char* margin_share = std::getenv("FIND_MARGIN");
      const int margin = margin_share ? int(std::atof(margin_share) * std::min(page.width, page.height)) : 0;
      const FoundDigits dark = find_digits(page, true, ws, margin);
      if (std::getenv("FIND_INK")) {  // the dark ink the marks were labelled in (rules and printed lines erased)
        std::vector<std::uint8_t> ink(ws.tophat.pixels.size());
        for (std::size_t i = 0; i < ink.size(); ++i)
          ink[i] = static_cast<std::uint8_t>(std::clamp(ws.tophat.pixels[i] / (2 * dark.contrast), 0.0f, 1.0f) * 255);
        write_png((std::filesystem::path(argv[1]) / std::filesystem::path(path).filename()).string() + ".ink.png", ink,
                  ws.tophat.width, ws.tophat.height, 1);
      }
      const FoundDigits light = find_digits(page, false, ws, margin);
      const auto t2 = std::chrono::steady_clock::now();
      std::vector<std::uint8_t> rgb(static_cast<std::size_t>(page.width) * page.height * 3);
      for (std::size_t i = 0; i < page.pixels.size(); ++i)
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = static_cast<std::uint8_t>(std::clamp(page.pixels[i], 0.0f, 1.0f) * 255);
      auto draw = [&](const PixelBox& b, int channel) {
        auto dot = [&](int x, int y) {
          if (x < 0 || y < 0 || x >= page.width || y >= page.height) return;
          std::uint8_t* p = &rgb[3 * (static_cast<std::size_t>(y) * page.width + x)];
          p[0] = p[1] = p[2] = 0;
          p[channel] = 255;
        };
        for (int x = b.x; x < b.x + b.w; ++x) dot(x, b.y), dot(x, b.y + b.h - 1);
        for (int y = b.y; y < b.y + b.h; ++y) dot(b.x, y), dot(b.x + b.w - 1, y);
      };
      auto say = [&](const char* what, const FoundDigits& f, int channel) {
        std::printf("  %s: %zu digits, %d lines, threshold %.3f; dropped %s;", what, f.digits.size(), f.lines, f.contrast,
                    f.dropped.c_str());
        for (const PixelBox& b : f.digits) std::printf(" [%d,%d %dx%d]", b.x, b.y, b.w, b.h), draw(b, channel);
        if (!f.joined.empty()) std::printf("; joined:");
        for (const PixelBox& b : f.joined) std::printf(" [%d,%d %dx%d]", b.x, b.y, b.w, b.h);
        if (!f.off_line.empty()) std::printf("; off the line:");
        for (const PixelBox& b : f.off_line) std::printf(" [%d,%d %dx%d]", b.x, b.y, b.w, b.h);
        std::printf("\n");
      };
      std::printf("%s: %dx%d decoded %dx%d, searched %dx%d; decode %.1f ms, find (both) %.1f ms\n", path.c_str(),
                  decoded.width * decoded.scale, decoded.height * decoded.scale, decoded.width, decoded.height,
                  page.width, page.height, std::chrono::duration<double, std::milli>(t1 - t0).count(),
                  std::chrono::duration<double, std::milli>(t2 - t1).count());
      say("dark", dark, 0);
      say("light", light, 2);
      if (std::getenv("FIND_MARKS")) {
        for (const bool ink_dark : {true, false}) {
          thin_ink(page, ink_dark, ws);
          label_marks(ws.tophat, ink_threshold(ws.tophat, ws.scratch), ws);
          for (const Mark& m : ws.marks)
            if (m.pixels > 20)
              std::printf("    %s mark [%d,%d %dx%d] pixels %d mass %.0f%s\n", ink_dark ? "dark" : "light", m.box.x, m.box.y,
                          m.box.w, m.box.h, m.pixels, m.mass, m.touches_border ? " border" : "");
        }
      }
      write_png((std::filesystem::path(argv[1]) / std::filesystem::path(path).filename()).string() + ".png", rgb,
                page.width, page.height, 3);
    } catch (const std::exception& e) {
      std::printf("%s: %s\n", path.c_str(), e.what());
    }
  }
  return 0;
}
