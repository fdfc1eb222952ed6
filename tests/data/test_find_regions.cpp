// Stable regions (data/find_regions.h): the reader's second way to find digits.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "data/find_regions.h"
#include "data_test_util.h"

using namespace blnk::data;
using namespace blnk::data::test;

namespace {

bool near(int a, int b, int slack) { return std::abs(a - b) <= slack; }

// A light panel with dark windows side by side, a light ring (a "0") in each: a
// meter's counter. The rings' centres are returned.
GrayImage counter(int windows, std::vector<float>& centres) {
  const int w = 120 + windows * 70, h = 200;
  GrayImage page;
  page.width = w, page.height = h;
  page.pixels.assign(std::size_t(w) * h, 0.8f);
  for (int k = 0; k < windows; ++k) {
    const int x0 = 60 + k * 70;
    for (int y = 50; y < 150; ++y)
      for (int x = x0; x < x0 + 56; ++x) page.pixels[std::size_t(y) * w + x] = 0.1f;
    const float cx = float(x0) + 28.0f;
    centres.push_back(cx);
    const std::vector<float> ring = draw_ring(w, h, cx, 100.0f, 16.0f, 30.0f, 6.0f);
    for (std::size_t i = 0; i < ring.size(); ++i) page.pixels[i] += ring[i] * (0.9f - page.pixels[i]);
  }
  return page;
}

}  // namespace

TEST_CASE("stable_regions: light digits in dark windows are light regions, the windows dark ones") {
  std::vector<float> centres;
  const GrayImage page = counter(3, centres);
  RegionWorkspace ws;
  std::vector<Region> found, light, dark;
  stable_regions(page, ws, found);
  for (const Region& r : found) (r.dark ? dark : light).push_back(r);
  // Each ring is a light region whose box is the ring's, give or take a pixel or two.
  for (const float cx : centres) {
    const auto ring = std::find_if(light.begin(), light.end(), [&](const Region& r) {
      return near(r.box.x, int(cx - 16), 2) && near(r.box.x + r.box.w, int(cx + 16), 2) && near(r.box.y, 70, 2) &&
             near(r.box.y + r.box.h, 130, 2);
    });
    REQUIRE(ring != light.end());
    CHECK_FALSE(ring->dark);
    CHECK(ring->stable);
  }
  // Each window (with its ring's hole in it) is a dark one; no region of either
  // polarity touches the border (the panel around the windows).
  for (const float cx : centres) {
    CHECK(std::any_of(dark.begin(), dark.end(), [&](const Region& r) {
      return near(r.box.x, int(cx) - 28, 1) && near(r.box.w, 56, 1) && near(r.box.y, 50, 1) && near(r.box.h, 100, 1);
    }));
  }
  for (const std::vector<Region>* found : {&light, &dark})
    for (const Region& r : *found)
      CHECK((r.box.x > 0 && r.box.y > 0 && r.box.x + r.box.w < page.width && r.box.y + r.box.h < page.height));
}

TEST_CASE("stable_regions: a soft shade that keeps growing level by level is no region, a print's sharp edge is") {
  // A dark spot fading out from its core as the logarithm of the distance (a soft
  // shadow's halo: its area grows by more than half over any 16 levels) beside a ring
  // of one level.
  const int w = 300, h = 160;
  GrayImage page;
  page.width = w, page.height = h;
  page.pixels.assign(std::size_t(w) * h, 0.85f);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < 150; ++x) {
      const float d = std::max(1.5f, std::hypot(float(x - 75), float(y - 80)));
      if (d < 60.0f) page.pixels[std::size_t(y) * w + x] = 0.15f + 0.7f * std::log(d / 1.5f) / std::log(40.0f);
    }
  const std::vector<float> ring = draw_ring(w, h, 225.0f, 80.0f, 18.0f, 30.0f, 6.0f);
  for (std::size_t i = 0; i < ring.size(); ++i) page.pixels[i] -= ring[i] * (page.pixels[i] - 0.15f);
  RegionWorkspace ws;
  std::vector<Region> regions;
  stable_regions(page, ws, regions);
  std::erase_if(regions, [](const Region& r) { return !r.dark; });
  // (Its core, a few pixels across, steps from one ring of pixels to the next: those
  // steps may be stable; the halo, over 100 pixels across, is not at any level.)
  CHECK(std::none_of(regions.begin(), regions.end(), [](const Region& r) { return r.box.x + r.box.w <= 150 && r.box.h > 20; }));
  CHECK(std::any_of(regions.begin(), regions.end(), [](const Region& r) { return near(r.box.x, 207, 2) && near(r.box.h, 60, 2); }));
}

TEST_CASE("region_lines: regions on a row chain left to right, of either polarity, another row is another line") {
  std::vector<Region> regions(5);
  regions[0].box = {200, 50, 30, 40};
  regions[1].box = {100, 52, 28, 40};
  regions[2].box = {150, 48, 30, 42};
  regions[2].dark = false;                // a meter's last window: light digit, the others dark
  regions[3].box = {120, 150, 30, 40};    // another row
  regions[4].box = {300, 50, 30, 40};     // on the row, but further than a digit's height
  const std::vector<std::vector<int>> lines = region_lines(regions, {0, 1, 2, 3, 4});
  REQUIRE(lines.size() == 3);
  CHECK(lines[0] == std::vector<int>{1, 2, 0});
  CHECK(lines[1] == std::vector<int>{3});
  CHECK(lines[2] == std::vector<int>{4});
  CHECK(follows_on_line(regions[1].box, regions[2].box) == 150 - 128);
  CHECK(follows_on_line(regions[2].box, regions[1].box) == -1);  // (to its left)
  CHECK(follows_on_line(regions[1].box, PixelBox{140, 50, 30, 80}) == -1);  // twice as tall
  CHECK(one_place(regions[1].box, PixelBox{105, 55, 15, 30}));  // a region inside it: another level of it
  CHECK_FALSE(one_place(regions[1].box, regions[2].box));
}

TEST_CASE("paint_region: the region's own pixels, all of them and nothing else, and painting 0 takes them away") {
  std::vector<float> centres;
  const GrayImage page = counter(2, centres);
  RegionWorkspace ws;
  std::vector<Region> light;
  stable_regions(page, ws, light);
  std::erase_if(light, [](const Region& r) { return r.dark; });
  REQUIRE_FALSE(light.empty());
  Plane ink;
  for (const Region& r : light) {
    paint_region(page, r, ws, ink, 1.0f);
    REQUIRE(ink.width == page.width);
    int painted = 0, outside = 0;
    for (int y = 0; y < ink.height; ++y)
      for (int x = 0; x < ink.width; ++x) {
        if (ink.at(x, y) == 0.0f) continue;
        ++painted;
        outside += x < r.box.x || y < r.box.y || x >= r.box.x + r.box.w || y >= r.box.y + r.box.h;
      }
    CHECK(painted == r.pixels);
    CHECK(outside == 0);
    paint_region(page, r, ws, ink, 0.0f);
    CHECK(std::all_of(ink.pixels.begin(), ink.pixels.end(), [](float v) { return v == 0.0f; }));
  }
}
