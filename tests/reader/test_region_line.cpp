// Which run of the stable regions is the number (reader/region_line.h).
#include <doctest/doctest.h>

#include <vector>

#include "reader/region_line.h"

using namespace blnk;
using blnk::reader::choose_region_line;
using blnk::reader::RegionRead;

namespace {

// A region of a digit's size at (x, y), `w` x 40, dark.
data::Region region(int x, int y, int w = 24, int h = 40) {
  data::Region r;
  r.box = {x, y, w, h};
  r.pixels = w * h / 3;
  r.stable = true;
  return r;
}

const std::vector<std::pair<data::PixelBox, bool>> kNoMarks;

}  // namespace

TEST_CASE("choose_region_line: a line of decisive regions is the number, left to right") {
  const std::vector<data::Region> regions = {region(160, 50), region(100, 50), region(130, 52)};
  const std::vector<RegionRead> reads = {{5, 0.9995f}, {4, 1.0f}, {0, 0.9999f}};
  CHECK(choose_region_line(regions, reads, kNoMarks) == std::vector<int>{1, 2, 0});
}

TEST_CASE("choose_region_line: a likely region on a decisive line joins it (hysteresis), a line of likely ones alone is none") {
  // A ransom note's 4 0 1: the 1 reads at 0.986, under the decisive 0.999.
  const std::vector<data::Region> regions = {region(100, 50), region(130, 50), region(160, 50, 8)};
  CHECK(choose_region_line(regions, {{4, 0.9992f}, {0, 1.0f}, {1, 0.986f}}, kNoMarks) == std::vector<int>{0, 1, 2});
  // Under the search's 0.9 the 1 does not read: it continues the row unread (a word's
  // letter, as often as a digit), and the line is no number.
  CHECK(choose_region_line(regions, {{4, 0.9992f}, {0, 1.0f}, {1, 0.85f}}, kNoMarks).empty());
  // No region of the line is decisive: no line.
  CHECK(choose_region_line(regions, {{4, 0.99f}, {0, 0.95f}, {7, 0.97f}}, kNoMarks).empty());
}

TEST_CASE("choose_region_line: 1s and 0s alone, a gap a digit wide, another line as long: no number") {
  const std::vector<data::Region> pair = {region(100, 50), region(130, 50)};
  CHECK(choose_region_line(pair, {{1, 1.0f}, {0, 1.0f}}, kNoMarks).empty());  // bars and rings as often
  CHECK(choose_region_line(pair, {{7, 1.0f}, {2, 1.0f}}, kNoMarks) == std::vector<int>{0, 1});
  // A gap of 30 (three quarters of the height) in a line of four whose other gaps are 6;
  // the same line evenly spaced is the number.
  const std::vector<data::Region> gapped = {region(100, 50), region(130, 50), region(160, 50), region(214, 50)};
  const std::vector<RegionRead> four = {{7, 1.0f}, {2, 1.0f}, {5, 1.0f}, {3, 1.0f}};
  CHECK(choose_region_line(gapped, four, kNoMarks).empty());
  const std::vector<data::Region> even = {region(100, 50), region(130, 50), region(160, 50), region(190, 50)};
  CHECK(choose_region_line(even, four, kNoMarks) == std::vector<int>{0, 1, 2, 3});
  // Two lines of two, on rows apart: which is meant is not known; one of them likely
  // only (no decisive region) is no rival.
  const std::vector<data::Region> two_lines = {region(100, 50), region(130, 50), region(100, 200), region(130, 200)};
  CHECK(choose_region_line(two_lines, {{7, 1.0f}, {2, 1.0f}, {3, 1.0f}, {8, 1.0f}}, kNoMarks).empty());
  CHECK(choose_region_line(two_lines, {{7, 1.0f}, {2, 1.0f}, {3, 0.95f}, {8, 0.95f}}, kNoMarks) == std::vector<int>{0, 1});
}

TEST_CASE("choose_region_line: regions that are pieces of a mark the search found are no number") {
  // A question mark's hook read as a 7, inside the mark the search found with its dot
  // (taller than the hook by a quarter); the same 7 in a sign twice its height stays.
  const std::vector<data::Region> hook = {region(100, 50)};
  const std::vector<RegionRead> seven = {{7, 1.0f}};
  CHECK(choose_region_line(hook, seven, {{data::PixelBox{98, 48, 28, 54}, true}}).empty());
  CHECK(choose_region_line(hook, seven, {{data::PixelBox{60, 20, 120, 100}, true}}) == std::vector<int>{0});
  CHECK(choose_region_line(hook, seven, {{data::PixelBox{98, 48, 28, 54}, false}}) == std::vector<int>{0});  // (of the other ink)
}
