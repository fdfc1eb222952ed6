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

namespace {

// A light page with a dark rectangle (x0, y0)-(x1, y1) of `level` on it: filled, or
// as an outline `frame` pixels thick; and a light bar (a plate's 1) or a dark one.
void rectangle(GrayImage& page, int x0, int y0, int x1, int y1, float level, int frame = 0) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) {
      const bool edge = x < x0 + frame || y < y0 + frame || x >= x1 - frame || y >= y1 - frame;
      if (frame == 0 || edge) page.pixels[std::size_t(y) * std::size_t(page.width) + std::size_t(x)] = level;
    }
}

GrayImage blank(int w, int h, float level) {
  GrayImage page;
  page.width = w, page.height = h;
  page.pixels.assign(std::size_t(w) * h, level);
  return page;
}

}  // namespace

TEST_CASE("holders: a sign's plate is a holder, its picture keeps the plate and what it holds, the wall takes the plate's level") {
  GrayImage page = blank(320, 240, 0.8f);
  rectangle(page, 100, 60, 220, 200, 0.2f);  // the plate
  rectangle(page, 150, 90, 166, 170, 0.9f);  // a light 1 on it
  RegionWorkspace ws;
  std::vector<Region> regions, holders;
  stable_regions(page, ws, regions, &holders);
  const auto plate = std::find_if(holders.begin(), holders.end(), [](const Region& r) {
    return r.dark && near(r.box.x, 100, 1) && near(r.box.y, 60, 1) && near(r.box.w, 120, 1) && near(r.box.h, 140, 1);
  });
  REQUIRE(plate != holders.end());
  CHECK(plate->holder);
  CHECK(holders.size() <= 8);
  GrayImage out;
  int ox = 0, oy = 0;
  const float held = holder_picture(page, *plate, ws, page, 1, out, ox, oy);
  CHECK(held == doctest::Approx(16.0 * 80 / (120.0 * 140)).epsilon(0.05));  // the 1's share of the plate
  // A margin of a tenth of its larger side around it, of the plate's level.
  CHECK(ox == 100 - 14);
  CHECK(oy == 60 - 14);
  CHECK(out.width == 120 + 28);
  CHECK(out.height == 140 + 28);
  CHECK(out.at(0, 0) == doctest::Approx(0.2f));
  CHECK(out.at(5, out.height / 2) == doctest::Approx(0.2f));  // the wall beside it
  CHECK(out.at(14 + 60, 14 + 20) == doctest::Approx(0.2f));   // the plate
  CHECK(out.at(14 + 55, 14 + 70) == doctest::Approx(0.9f));   // the 1
  // A plain card holds nothing.
  GrayImage card = blank(320, 240, 0.8f);
  rectangle(card, 100, 60, 220, 200, 0.2f);
  std::vector<Region> card_holders;
  stable_regions(card, ws, regions, &card_holders);
  REQUIRE_FALSE(card_holders.empty());
  for (const Region& h : card_holders) CHECK(holder_picture(card, h, ws, card, 1, out, ox, oy) == 0.0f);
}

TEST_CASE("holders: a box drawn around a mark: its picture is the mark on the paper, without the box, at the image's resolution") {
  // The page at half the image's resolution, as the reader searches it: the image's
  // pixels are read into the picture.
  GrayImage image = blank(640, 480, 0.85f);
  rectangle(image, 200, 120, 440, 360, 0.1f, 8);  // the box, 4 of the page's pixels thick
  rectangle(image, 300, 180, 316, 300, 0.1f);     // a dark bar in it
  GrayImage page = blank(320, 240, 0.0f);
  for (int y = 0; y < 240; ++y)
    for (int x = 0; x < 320; ++x) page.pixels[std::size_t(y) * 320 + std::size_t(x)] = image.at(2 * x, 2 * y);
  RegionWorkspace ws;
  std::vector<Region> regions, holders;
  stable_regions(page, ws, regions, &holders);
  REQUIRE_FALSE(holders.empty());
  int held_by = 0;
  for (const Region& h : holders) {
    GrayImage out;
    int ox = 0, oy = 0;
    if (holder_picture(page, h, ws, image, 2, out, ox, oy) == 0.0f) continue;
    ++held_by;
    // The bar is there, at the image's resolution; nothing else is dark (the box is gone).
    int dark = 0, bar = 0;
    for (int y = 0; y < out.height; ++y)
      for (int x = 0; x < out.width; ++x) {
        if (out.at(x, y) > 0.5f) continue;
        ++dark;
        const int ix = ox + x, iy = oy + y;
        bar += ix >= 300 && ix < 316 && iy >= 180 && iy < 300;
      }
    INFO("holder at " << h.box.x << "," << h.box.y << " " << h.box.w << "x" << h.box.h << (h.dark ? " dark" : " light"));
    CHECK(dark == 16 * 120);
    CHECK(bar == dark);
  }
  CHECK(held_by >= 1);
}
