// The lines and bars in a picture that are no digits' ink, erased before the marks are
// grouped into digits (data/find_digits.h, steps 3 and 4): ruled and squared paper's
// rules, a form's printed lines and walls, a long thin line through a digit at any
// angle, a barcode's bars.
#include <algorithm>
#include <cmath>

#include "data/find_digits.h"

namespace blnk::data {

namespace {

constexpr float kRuleSpan = 0.8f;        // a run of strokes across 80% of a row or a column is a rule...
constexpr float kFullSpan = 0.95f;       // ... down a column, on paper without ruled rows, 95%
constexpr int kMinLineRun = 12;          // a form's printed line: a run of at least 12 pixels...
constexpr int kLineLength = 10;          // ... 10 times longer than the stroke is thick...
constexpr float kLineOverDigit = 1.2f;   // ... and longer than the tallest mark without it (a digit's bar is not)
constexpr float kLineContrast = 0.5f;    // looked for at this share of the stroke threshold (printing is faint)
constexpr float kBarElongation = 4.0f;    // a barcode's bar: 4 times longer than thick (at least) and upright...
constexpr int kBarcodeBars = 10;          // ... 10 of them at least side by side...
constexpr float kBarRows = 0.7f;          // ... each sharing 70% of the shorter one's rows with the last...
constexpr float kBarGap = 0.5f;           // ... no farther from it than half their height...
constexpr float kBarHeights = 1.6f;       // ... and as tall, give or take this factor
constexpr int kCrossingThinShare = 100;   // a crossing line: at most a 100th of the shorter side thick...
constexpr float kCrossingLength = 0.5f;   // ... at least half the shorter side long...
constexpr float kCrossingPast = 0.25f;    // ... past the rest of its mark at both ends by a quarter of that rest...
constexpr float kCrossedShare = 0.05f;    // ... which is as long as the smallest digit promised (5% of the shorter side)
constexpr int kCrossingLines = 4;         // lines looked for in one mark, at most
constexpr int kCrossingPointsPerSide = 4; // a mark of more thin pixels than 4 times W + H is texture, not lines
constexpr int kCoarseAngles = 90;         // the first vote: every 2 degrees, in bins of 8 pixels...
constexpr int kCoarseBin = 8;
constexpr int kFineSteps = 20;            // ... then 0.1 degree steps 2 degrees either way, in 1-pixel bins

}  // namespace

void erase_rules(Plane& tophat, float threshold) {
  const int W = tophat.width, H = tophat.height;
  // Along rows, then along columns: a run of stroke pixels over kRuleSpan of
  // the picture (a column's: see below) is a rule; its pixels are set to 0 (a
  // digit it crosses loses those rows, which grouping bridges; the digit is read
  // from the picture).
  const auto erase_runs = [&](int lines, int length, std::size_t line_step, std::size_t pixel_step, float span) {
    const int longest = static_cast<int>(span * static_cast<float>(length));
    int erased = 0;
    for (int line = 0; line < lines; ++line) {
      float* p = tophat.pixels.data() + static_cast<std::size_t>(line) * line_step;
      int run = 0;
      for (int i = 0; i <= length; ++i) {
        if (i < length && p[static_cast<std::size_t>(i) * pixel_step] >= threshold) {
          ++run;
          continue;
        }
        if (run >= longest) {
          for (int j = i - run; j < i; ++j) p[static_cast<std::size_t>(j) * pixel_step] = 0;
          ++erased;
        }
        run = 0;
      }
    }
    return erased;
  };
  const int rows = erase_runs(H, W, static_cast<std::size_t>(W), 1, kRuleSpan);
  // Down a column, 80% of the height is also a 1 in a picture cropped to its number
  // (a pad's drawing): a run is a rule there only on ruled or squared paper (rows were
  // erased), or when it spans the picture nearly whole (a margin's line, an edge).
  erase_runs(W, H, 1, static_cast<std::size_t>(W), rows > 0 ? kRuleSpan : kFullSpan);
}

namespace {

// For every pixel at or over `level`, the length of the run of such pixels through
// it along its column (`down`) or its row; 0 elsewhere. Row by row either way: the
// runs so far, then each run's length carried back from its last pixel. Within `box`
// only (elsewhere `out` is left as it was): a mark's runs lie within its box.
void run_lengths(const Plane& tophat, float level, bool down, std::vector<int>& out, PixelBox box) {
  const int W = tophat.width;
  out.resize(static_cast<std::size_t>(W) * tophat.height);
  const std::size_t back = down ? static_cast<std::size_t>(W) : 1;
  const int x0 = box.x, y0 = box.y, x1 = box.x + box.w, y1 = box.y + box.h;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const std::size_t i = static_cast<std::size_t>(y) * W + x;
      const bool first = down ? y == y0 : x == x0;
      out[i] = tophat.pixels[i] < level ? 0 : (first ? 0 : out[i - back]) + 1;
    }
  }
  for (int y = y1 - 1; y >= y0; --y) {
    for (int x = x1 - 1; x >= x0; --x) {
      const std::size_t i = static_cast<std::size_t>(y) * W + x;
      const bool last = down ? y == y1 - 1 : x == x1 - 1;
      if (out[i] > 0 && !last && out[i + back] > 0) out[i] = out[i + back];
    }
  }
}

void run_lengths(const Plane& tophat, float level, bool down, std::vector<int>& out) {
  run_lengths(tophat, level, down, out, {0, 0, tophat.width, tophat.height});
}

int median(std::vector<int>& values) {
  std::nth_element(values.begin(), values.begin() + static_cast<long>(values.size() / 2), values.end());
  return values[values.size() / 2];
}

}  // namespace

int erase_form_lines(Plane& tophat, float threshold, FindWorkspace& ws) {
  const int W = tophat.width, H = tophat.height;
  ws.line_thickest = 0;
  const auto at = [W](int x, int y) { return static_cast<std::size_t>(y) * W + x; };
  // Printing is often fainter than the pen: the form is looked for at a lower level,
  // and all of it erased (what stayed under the threshold would still show in a
  // digit's crop, which keeps grey levels).
  const float faint = kLineContrast * threshold;
  run_lengths(tophat, faint, true, ws.tall);
  run_lengths(tophat, faint, false, ws.wide);  // row by row it also finds the runs of step 1
  std::vector<int>& extents = ws.extents;
  std::vector<LineRun>& runs = ws.line_runs;
  runs.clear();
  // 1. Thin horizontal runs: kLineLength times longer than the stroke is thick.
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W;) {
      const int length = ws.wide[at(x, y)];
      if (length == 0) {
        ++x;
        continue;
      }
      if (length >= kMinLineRun) {
        extents.assign(ws.tall.begin() + static_cast<long>(at(x, y)), ws.tall.begin() + static_cast<long>(at(x, y) + length));
        const int thick = median(extents);
        if (length >= kLineLength * thick) runs.push_back({y, x, x + length, thick});
      }
      x += length;
    }
  }
  if (runs.empty()) return 0;
  // 2. How tall the digits are: the tallest mark once the thin runs are gone.
  ws.unlined = tophat;
  for (const LineRun& r : runs)
    for (int x = r.x0; x < r.x1; ++x)
      if (ws.tall[at(x, r.y)] <= r.thick + 1) ws.unlined.pixels[at(x, r.y)] = 0;
  label_marks(ws.unlined, threshold, ws);
  int tallest = 0;
  for (const Mark& m : ws.marks) tallest = std::max(tallest, m.box.h);
  // 3. A printed line runs past more than one digit's height; a digit's own bar does not.
  std::erase_if(runs, [&](const LineRun& r) { return static_cast<float>(r.x1 - r.x0) < kLineOverDigit * static_cast<float>(tallest); });
  if (runs.empty()) return 0;
  std::vector<std::uint8_t>& on_line = ws.on_line;
  on_line.assign(static_cast<std::size_t>(W) * H, 0);
  int thickest = 0, lines = 0;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const LineRun& r = runs[k];
    thickest = std::max(thickest, r.thick);
    for (int x = r.x0; x < r.x1; ++x)
      if (ws.tall[at(x, r.y)] <= r.thick + 1) on_line[at(x, r.y)] = 1;
    const bool continues = k > 0 && runs[k - 1].y == r.y - 1 && overlap(runs[k - 1].x0, runs[k - 1].x1, r.x0, r.x1) > 0;
    lines += !continues;
  }
  // 4. The form's vertical strokes (a comb's walls, ticks, a box's sides): thin runs
  // down a column that start or end on a line and are no thicker than the lines
  // (a pen's stroke that meets a line is thicker than the printing). Where a wall
  // meets a line the line's pixels are thick (the wall runs through them): a run's
  // end meets a line when line pixels lie beside it.
  const int reach = thickest + 1;
  // Within `reach` of a line's pixel: the square's maximum, along rows then columns.
  std::vector<std::uint8_t>& near = ws.near_line;
  std::vector<std::uint8_t>& along_rows = ws.remnant;  // scratch until drop_form_remnants
  along_rows.assign(on_line.size(), 0);
  for (int y = 0; y < H; ++y)
    for (int x = 0, last = -1 - reach; x < W + reach; ++x) {  // last: the latest line pixel seen
      if (x < W && on_line[at(x, y)] == 1) last = x;
      if (x - reach >= 0 && x - reach < W && last >= x - 2 * reach) along_rows[at(x - reach, y)] = 1;
    }
  near.assign(on_line.size(), 0);
  for (int x = 0; x < W; ++x)
    for (int y = 0, last = -1 - reach; y < H + reach; ++y) {
      if (y < H && along_rows[at(x, y)] != 0) last = y;
      if (y - reach >= 0 && y - reach < H && last >= y - 2 * reach) near[at(x, y - reach)] = 1;
    }
  const auto near_line = [&](int x, int y) { return near[at(x, y)] != 0; };
  for (int x = 0; x < W; ++x) {
    for (int y = 0; y < H;) {
      if (tophat.pixels[at(x, y)] < faint || on_line[at(x, y)] != 0) {
        ++y;
        continue;
      }
      int end = y;
      while (end < H && tophat.pixels[at(x, end)] >= faint && on_line[at(x, end)] == 0) ++end;
      if (near_line(x, y) || near_line(x, end - 1)) {
        extents.clear();
        for (int i = y; i < end; ++i) extents.push_back(ws.wide[at(x, i)]);
        const int thick = median(extents);
        if (thick <= thickest + 1 && end - y >= 2 * thick) {
          for (int i = y; i < end; ++i)
            if (ws.wide[at(x, i)] <= thick + 1) on_line[at(x, i)] = 2;
        }
      }
      y = end;
    }
  }
  // 5. Erased, with the soft edge the threshold left beside each stroke of the form.
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      const std::uint8_t kind = on_line[at(x, y)];
      if (kind == 0) continue;
      tophat.pixels[at(x, y)] = 0;
      const int dx = kind == 2, dy = kind == 1;
      for (int side : {-1, 1}) {
        const int nx = x + side * dx, ny = y + side * dy;
        if (nx >= 0 && ny >= 0 && nx < W && ny < H && tophat.pixels[at(nx, ny)] < threshold) tophat.pixels[at(nx, ny)] = 0;
      }
    }
  }
  ws.line_thickest = thickest;
  return lines;
}

void drop_form_remnants(Plane& tophat, FindWorkspace& ws) {
  if (ws.line_thickest == 0) return;
  const int W = tophat.width, H = tophat.height;
  const auto at = [W](int x, int y) { return static_cast<std::size_t>(y) * W + x; };
  std::vector<std::uint8_t>& remnant = ws.remnant;
  remnant.assign(ws.marks.size(), 0);
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x)
      if (ws.on_line[at(x, y)] != 0)
        for (int v = std::max(0, y - 1); v <= std::min(H - 1, y + 1); ++v)
          for (int u = std::max(0, x - 1); u <= std::min(W - 1, x + 1); ++u)
            if (const int mark = ws.labels[at(u, v)]; mark >= 0) remnant[static_cast<std::size_t>(mark)] = 1;
  bool any = false;
  for (std::size_t k = 0; k < ws.marks.size(); ++k) {
    const Mark& m = ws.marks[k];
    const float length = std::hypot(static_cast<float>(m.box.w), static_cast<float>(m.box.h));
    remnant[k] = remnant[k] && static_cast<float>(m.pixels) <= static_cast<float>(ws.line_thickest + 1) * length;
    any = any || remnant[k];
  }
  if (!any) return;
  for (std::size_t i = 0; i < ws.labels.size(); ++i)
    if (ws.labels[i] >= 0 && remnant[static_cast<std::size_t>(ws.labels[i])]) tophat.pixels[i] = 0;
  std::size_t kept = 0;
  for (std::size_t k = 0; k < ws.marks.size(); ++k)
    if (!remnant[k]) ws.marks[kept++] = ws.marks[k];
  ws.marks.resize(kept);
}

namespace {

struct Line {
  float angle = 0, rho = 0;  // the points with x cos(angle) + y sin(angle) = rho
  int votes = 0;
};

// The straight line through most of `points` (x, y pairs), over all angles: a coarse
// vote, then a fine one near its winner. `votes` is scratch.
Line strongest_line(const std::vector<int>& points, int diagonal, std::vector<int>& votes) {
  const float pi = 3.14159265f;
  const int bins = 2 * diagonal / kCoarseBin + 2;
  votes.assign(static_cast<std::size_t>(kCoarseAngles) * bins, 0);
  for (int a = 0; a < kCoarseAngles; ++a) {
    const float angle = pi * static_cast<float>(a) / kCoarseAngles;
    const float c = std::cos(angle), s = std::sin(angle);
    int* row = votes.data() + static_cast<std::size_t>(a) * bins;
    for (std::size_t i = 0; i < points.size(); i += 2) {
      const float rho = static_cast<float>(points[i]) * c + static_cast<float>(points[i + 1]) * s;
      ++row[static_cast<int>((rho + static_cast<float>(diagonal)) / kCoarseBin)];
    }
  }
  int best_a = 0, best_bin = 0, best = -1;
  for (int a = 0; a < kCoarseAngles; ++a)
    for (int b = 0; b + 1 < bins; ++b) {
      const int v = votes[static_cast<std::size_t>(a) * bins + b] + votes[static_cast<std::size_t>(a) * bins + b + 1];
      if (v > best) best = v, best_a = a, best_bin = b;
    }
  const float coarse_angle = pi * static_cast<float>(best_a) / kCoarseAngles;
  const float coarse_rho = static_cast<float>((best_bin + 1) * kCoarseBin - diagonal);
  // Fine: 1-pixel bins within 2 coarse bins of the winner, the best 3-pixel band.
  const int reach = 2 * kCoarseBin;
  Line line;
  const float step = pi / kCoarseAngles / kFineSteps;
  for (int k = -kFineSteps; k <= kFineSteps; ++k) {
    const float angle = coarse_angle + step * static_cast<float>(k);
    const float c = std::cos(angle), s = std::sin(angle);
    votes.assign(static_cast<std::size_t>(2 * reach + 1), 0);
    for (std::size_t i = 0; i < points.size(); i += 2) {
      const float rho = static_cast<float>(points[i]) * c + static_cast<float>(points[i + 1]) * s - coarse_rho;
      if (std::abs(rho) < static_cast<float>(reach)) ++votes[static_cast<std::size_t>(std::lround(rho) + reach)];
    }
    for (int b = 1; b + 1 < 2 * reach + 1; ++b) {
      const int v = votes[static_cast<std::size_t>(b - 1)] + votes[static_cast<std::size_t>(b)] + votes[static_cast<std::size_t>(b + 1)];
      if (v > line.votes) line = {angle, coarse_rho + static_cast<float>(b - reach), v};
    }
  }
  return line;
}

}  // namespace

int erase_crossing_lines(Plane& tophat, float threshold, FindWorkspace& ws) {
  const int W = tophat.width, H = tophat.height;
  const int shorter = std::min(W, H);
  const float shortest_line = kCrossingLength * static_cast<float>(shorter);
  const auto may_hold_a_line = [&](const Mark& m) {
    const bool set_aside = m.touches_border || m.box.w >= kEdgeSpan * W || m.box.h >= kEdgeSpan * H;
    // (A digit beside the line makes the box at least a small digit wide both ways: a
    // lone line's, a brick's mortar's, is thin, and is not looked at.)
    return set_aside && static_cast<float>(std::hypot(m.box.w, m.box.h)) >= shortest_line &&
           static_cast<float>(std::min(m.box.w, m.box.h)) >= kCrossedShare * static_cast<float>(shorter);
  };
  // (In a small picture a pen's stroke is as thin as such a line.)
  if (shorter < 2 * kCrossingThinShare || std::none_of(ws.marks.begin(), ws.marks.end(), may_hold_a_line)) return 0;
  const int thin = shorter / kCrossingThinShare;
  const int diagonal = static_cast<int>(std::ceil(std::hypot(W, H)));
  const auto at = [W](int x, int y) { return static_cast<std::size_t>(y) * W + x; };
  int erased = 0;
  for (const Mark& m : ws.marks) {
    if (!may_hold_a_line(m)) continue;
    run_lengths(tophat, threshold, true, ws.tall, m.box);
    run_lengths(tophat, threshold, false, ws.wide, m.box);
    const auto in_mark = [&](int x, int y) { return ws.labels[at(x, y)] == m.label && tophat.pixels[at(x, y)] >= threshold; };
    for (int round = 0; round < kCrossingLines; ++round) {
      // A line's pixels are thin across it: a short run along the row or the column.
      std::vector<int>& points = ws.line_points;
      points.clear();
      for (int y = m.box.y; y < m.box.y + m.box.h; ++y)
        for (int x = m.box.x; x < m.box.x + m.box.w; ++x)
          if (in_mark(x, y) && std::min(ws.tall[at(x, y)], ws.wide[at(x, y)]) <= thin) points.push_back(x), points.push_back(y);
      const std::size_t n = points.size() / 2;
      if (static_cast<float>(n) < shortest_line || n > static_cast<std::size_t>(kCrossingPointsPerSide) * (W + H)) break;
      const Line line = strongest_line(points, diagonal, ws.votes);
      const float c = std::cos(line.angle), s = std::sin(line.angle);
      // Along the line (t), where its pixels lie and where the rest of the mark does
      // (beyond the line's soft edge): the rest's fullest stretch along t, gaps under
      // a stroke's reach bridged (what the line runs into further on, a paper's edge,
      // is not what it crosses).
      float line_from = 1e30f, line_to = -1e30f;
      const float half = 1.5f + 0.5f * static_cast<float>(thin);
      std::vector<int>& along = ws.votes;
      along.assign(static_cast<std::size_t>(2 * diagonal + 1), 0);
      int rest = 0;
      for (int y = m.box.y; y < m.box.y + m.box.h; ++y)
        for (int x = m.box.x; x < m.box.x + m.box.w; ++x) {
          if (!in_mark(x, y)) continue;
          const float fx = static_cast<float>(x), fy = static_cast<float>(y);
          const float t = -fx * s + fy * c, off = std::abs(fx * c + fy * s - line.rho);
          if (off <= half) line_from = std::min(line_from, t), line_to = std::max(line_to, t);
          else if (off > 2 * half) ++along[static_cast<std::size_t>(std::lround(t) + diagonal)], ++rest;
        }
      if (rest < kMinDigitPixels) break;
      int best_from = 0, best_to = -1, best_mass = 0;
      for (int i = 0, from = -1, to = -1, mass = 0; i <= 2 * diagonal + 1; ++i) {
        const bool filled = i <= 2 * diagonal && along[static_cast<std::size_t>(i)] > 0;
        if (filled && from >= 0 && i - to <= 2 * thin) {
          to = i, mass += along[static_cast<std::size_t>(i)];
          continue;
        }
        if (from >= 0 && mass > best_mass) best_from = from, best_to = to, best_mass = mass;
        from = filled ? i : -1, to = i, mass = filled ? along[static_cast<std::size_t>(i)] : 0;
      }
      const float rest_from = static_cast<float>(best_from - diagonal), rest_to = static_cast<float>(best_to - diagonal);
      const float length = line_to - line_from, rest_length = rest_to - rest_from;
      // Long, mostly ink along its length, and past the rest at both ends, by a quarter
      // of the rest's length together (a 7's stem ends at its bar; a streak goes on
      // through the digit and beyond, if only as far as the paper's edge at one end).
      const float before = rest_from - line_from, after = line_to - rest_to, least = 2 * half + static_cast<float>(thin);
      if (length < shortest_line || rest_length < kCrossedShare * static_cast<float>(shorter) || static_cast<float>(line.votes) < 0.5f * length || before < least || after < least ||
          before + after < kCrossingPast * rest_length)
        break;
      for (int y = m.box.y; y < m.box.y + m.box.h; ++y)
        for (int x = m.box.x; x < m.box.x + m.box.w; ++x)
          if (in_mark(x, y) && std::abs(static_cast<float>(x) * c + static_cast<float>(y) * s - line.rho) <= half &&
              std::min(ws.tall[at(x, y)], ws.wide[at(x, y)]) <= thin)  // (a stroke crossing it keeps its pixels)
            tophat.pixels[at(x, y)] = 0;
      ++erased;
    }
  }
  return erased;
}

int drop_barcodes(Plane& tophat, FindWorkspace& ws) {
  // Bars: marks much longer than thick, upright (a barcode's bars, or a few of them
  // touching, at a tilt).
  std::vector<std::size_t>& bars = ws.bars;
  bars.clear();
  for (std::size_t i = 0; i < ws.marks.size(); ++i) {
    const Mark& m = ws.marks[i];
    if (m.box.h >= 2 * m.box.w && m.elongation() >= kBarElongation) bars.push_back(i);
  }
  if (bars.size() < std::size_t(kBarcodeBars)) return 0;
  std::sort(bars.begin(), bars.end(), [&](std::size_t a, std::size_t b) { return ws.marks[a].box.x < ws.marks[b].box.x; });
  // Blocks: bars side by side, each close to the last, sharing most of its rows, as tall.
  const auto follows = [&](const PixelBox& a, const PixelBox& b) {
    const int shared = overlap(a.y, a.y + a.h, b.y, b.y + b.h);
    const int gap = b.x - (a.x + a.w);
    return static_cast<float>(shared) >= kBarRows * static_cast<float>(std::min(a.h, b.h)) &&
           static_cast<float>(gap) <= kBarGap * static_cast<float>(std::max(a.h, b.h)) &&
           static_cast<float>(std::max(a.h, b.h)) <= kBarHeights * static_cast<float>(std::min(a.h, b.h));
  };
  std::vector<std::uint8_t>& in_code = ws.in_code;
  in_code.assign(ws.marks.size(), 0);
  int codes = 0;
  for (std::size_t first = 0; first < bars.size();) {
    std::size_t end = first + 1;
    while (end < bars.size() && follows(ws.marks[bars[end - 1]].box, ws.marks[bars[end]].box)) ++end;
    if (end - first >= std::size_t(kBarcodeBars)) {
      ++codes;
      for (std::size_t k = first; k < end; ++k) in_code[bars[k]] = 1;
    }
    first = end;
  }
  if (codes == 0) return 0;
  int most = -1;
  for (const Mark& m : ws.marks) most = std::max(most, m.label);
  std::vector<std::uint8_t>& bar_label = ws.bar_labels;
  bar_label.assign(static_cast<std::size_t>(most) + 1, 0);
  for (std::size_t k = 0; k < ws.marks.size(); ++k)
    if (in_code[k] && ws.marks[k].label >= 0) bar_label[static_cast<std::size_t>(ws.marks[k].label)] = 1;
  for (std::size_t i = 0; i < ws.labels.size(); ++i) {
    const int label = ws.labels[i];
    if (label >= 0 && label <= most && bar_label[static_cast<std::size_t>(label)]) tophat.pixels[i] = 0;
  }
  std::size_t kept = 0;
  for (std::size_t k = 0; k < ws.marks.size(); ++k)
    if (!in_code[k]) ws.marks[kept++] = ws.marks[k];
  ws.marks.resize(kept);
  return codes;
}

}  // namespace blnk::data
