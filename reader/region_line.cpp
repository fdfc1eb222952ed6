// Which run of a picture's stable regions is its number (see region_line.h).
#include "reader/region_line.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "data/find_digits.h"

namespace blnk::reader {

namespace {

// A gap in a line wider than this share of its digits' height, and than kGapOverOthers
// times its other gaps, is a digit that did not read...
constexpr float kMissingDigitGap = 0.5f;
constexpr float kGapOverOthers = 2.0f;
// ... a 1 whose top or bottom is this share of the height off the line's, or whose
// height is kOneHeight off, is a bar (a frame's side, a window's edge)...
constexpr float kOneOffLine = 0.2f;
constexpr float kOneHeight = 0.1f;
// ... regions in a mark the search found that is this much taller or wider than all of
// them are pieces of that mark (up to kFrameOfMarks times their height: over it, the
// mark is what they are in, a meter's face, a sign)...
constexpr float kPieceOfMark = 1.15f;
constexpr float kFrameOfMarks = 2.0f;
// ... and a digit sharing this share of the line's rows within kNearLine times its
// height of its end is one of its digits, read apart.
constexpr float kSameRow = 0.5f;
constexpr float kNearLine = 3.0f;

bool apart(const data::PixelBox& a, const data::PixelBox& b) {
  return a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
}

}  // namespace

std::vector<int> choose_region_line(const std::vector<data::Region>& regions, const std::vector<RegionRead>& reads,
                                    const std::vector<std::pair<data::PixelBox, bool>>& found_groups) {
  const auto read = [&](std::size_t i) { return reads[i].score >= kRegionJoining; };
  // One region a place: the one that reads best (the larger of those as good).
  std::vector<int> reading;
  for (std::size_t i = 0; i < regions.size(); ++i)
    if (read(i)) reading.push_back(int(i));
  std::sort(reading.begin(), reading.end(), [&](int a, int b) {
    const float sa = reads[std::size_t(a)].score, sb = reads[std::size_t(b)].score;
    if (sa != sb) return sa > sb;
    const int pa = regions[std::size_t(a)].pixels, pb = regions[std::size_t(b)].pixels;
    return pa > pb || (pa == pb && a < b);
  });
  std::vector<int> kept;
  for (int i : reading) {
    bool taken = false;
    for (int k : kept) taken = taken || data::one_place(regions[std::size_t(i)].box, regions[std::size_t(k)].box);
    if (!taken) kept.push_back(i);
  }
  const std::vector<std::vector<int>> lines = data::region_lines(regions, kept);
  // A line that more of its row continues without reading (a word's letters, digits
  // the model cannot read) is not the number; one of 1s and 0s alone is as often bars
  // and rings (a frame's sides, a letter O) as digits.
  const auto weak = [&](const std::vector<int>& line) {
    const data::PixelBox& first = regions[std::size_t(line.front())].box;
    const data::PixelBox& last = regions[std::size_t(line.back())].box;
    for (std::size_t j = 0; j < regions.size(); ++j) {
      if (read(j)) continue;
      const data::PixelBox& b = regions[j].box;
      if (data::follows_on_line(last, b) < 0 && data::follows_on_line(b, first) < 0) continue;
      bool of_a_digit = false;  // (the same place as one of the line's digits: another level of it)
      for (int k : line) of_a_digit = of_a_digit || data::one_place(b, regions[std::size_t(k)].box);
      if (!of_a_digit) return true;
    }
    // The line's regions inside a mark of their ink that the search found must fill it:
    // a question mark's hook is a piece of the mark with its dot, a stroke of a star
    // of the star (the digits of a number found as one mark fill it together).
    for (const auto& [g, dark] : found_groups) {
      data::PixelBox inside;
      for (int k : line) {
        const data::PixelBox& b = regions[std::size_t(k)].box;
        if (regions[std::size_t(k)].dark != dark || b.x < g.x - 1 || b.y < g.y - 1 || b.x + b.w > g.x + g.w + 1 ||
            b.y + b.h > g.y + g.h + 1)
          continue;
        inside = inside.empty() ? b : data::united(inside, b);
      }
      if (!inside.empty() && float(g.h) <= kFrameOfMarks * float(inside.h) &&
          (float(g.h) > kPieceOfMark * float(inside.h) || float(g.w) > kPieceOfMark * float(inside.w)))
        return true;
    }
    if (line.size() > 1) {
      // Its heights, tops, bottoms and gaps: the median of each.
      std::array<float, data::kMaxDigitsInLine> heights{}, tops{}, bottoms{}, gaps{};
      const std::size_t n = line.size(), n_gaps = n - 1;
      for (std::size_t k = 0; k < n; ++k) {
        const data::PixelBox& b = regions[std::size_t(line[k])].box;
        heights[k] = float(b.h), tops[k] = float(b.y), bottoms[k] = float(b.y + b.h);
        if (k > 0) {
          const data::PixelBox& a = regions[std::size_t(line[k - 1])].box;
          gaps[k - 1] = float(std::max(0, b.x - (a.x + a.w)));
        }
      }
      const auto median = [](std::array<float, data::kMaxDigitsInLine>& v, std::size_t count) {
        std::nth_element(v.begin(), v.begin() + long(count / 2), v.begin() + long(count));
        return v[count / 2];
      };
      const float widest_gap = *std::max_element(gaps.begin(), gaps.begin() + long(n_gaps));
      const float height = median(heights, n), top = median(tops, n), bottom = median(bottoms, n);
      const float gap = median(gaps, n_gaps);
      // A gap a digit wide, wider than the line's others: a digit there did not read.
      if (widest_gap > kMissingDigitGap * height && (n_gaps == 1 || widest_gap > kGapOverOthers * gap)) return true;
      // A 1 that does not stand on the line's baseline and reach its top is a bar beside it.
      for (int k : line) {
        const data::PixelBox& b = regions[std::size_t(k)].box;
        if (reads[std::size_t(k)].digit == 1 &&
            (std::abs(float(b.y) - top) > kOneOffLine * height || std::abs(float(b.y + b.h) - bottom) > kOneOffLine * height ||
             std::abs(float(b.h) - height) > kOneHeight * height))
          return true;
      }
    }
    for (int k : line) {
      const int digit = reads[std::size_t(k)].digit;
      if (digit != 0 && digit != 1) return false;
    }
    return true;
  };
  // Each line's box, whether it holds a decisive region (a line of regions that read
  // only likely is no line, nor another line beside one), and whether it may be the
  // number (not too long, not weak).
  struct Run { std::size_t line; data::PixelBox box; bool decisive, candidate; };
  std::vector<Run> runs;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    data::PixelBox box = regions[std::size_t(lines[l][0])].box;
    for (int k : lines[l]) box = data::united(box, regions[std::size_t(k)].box);
    bool decisive = false;
    for (int k : lines[l]) decisive = decisive || reads[std::size_t(k)].score >= kRegionDecisive;
    runs.push_back({l, box, decisive, decisive && lines[l].size() <= std::size_t(data::kMaxDigitsInLine) && !weak(lines[l])});
  }
  std::size_t best = runs.size();
  for (std::size_t i = 0; i < runs.size(); ++i)
    if (runs[i].candidate && (best == runs.size() || lines[runs[i].line].size() > lines[runs[best].line].size())) best = i;
  if (best == runs.size()) return {};
  // Another line as long, or another number, elsewhere: which is meant is not known;
  // a digit on the line's row a little beyond its end (read, if not judged a digit) is
  // one of it read apart.
  const std::size_t best_count = lines[runs[best].line].size();
  const data::PixelBox& line_box = runs[best].box;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const std::size_t count = lines[runs[i].line].size();
    const data::PixelBox& b = runs[i].box;
    if (i == best || !runs[i].decisive || !apart(b, line_box)) continue;
    if (runs[i].candidate && (count == best_count || count > 1)) return {};
    const int rows = std::min(b.y + b.h, line_box.y + line_box.h) - std::max(b.y, line_box.y);
    const int gap = std::max(b.x - (line_box.x + line_box.w), line_box.x - (b.x + b.w));
    if (float(rows) > kSameRow * float(std::min(b.h, line_box.h)) && float(gap) < kNearLine * float(line_box.h)) return {};
  }
  return lines[runs[best].line];
}

}  // namespace blnk::reader
