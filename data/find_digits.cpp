// Find the digits in a whole picture (see find_digits.h for the steps; the lines and
// bars that are no digits' ink are erased by find_lines.cpp).
#include "data/find_digits.h"

#include <algorithm>
#include <cmath>

namespace blnk::data {

namespace {

constexpr int kTophatDivisor = 10;       // the square's half side: 1/10 of the shorter side (strokes of a 40%-high digit fit)
constexpr int kStrongestRank = 48;       // the strokes' level: the 48th strongest top-hat value...
constexpr float kStrokeShare = 0.35f;    // ... and pixels above this share of it are strokes
constexpr float kMinTophat = 0.06f;
constexpr float kPaperShare = 0.1f;       // step 0: paper's level, passed by this share of the pixels      // never below this contrast (gray levels)
constexpr float kMinDigitShare = 0.03f;  // a digit is at least 3% of the shorter side high (5% promised)
constexpr int kRuleAspect = 8;           // ... at least 8 times longer than thick is a rule or an edge
constexpr float kEdgeOverDigit = 1.5f;   // ... at a slant, when also 1.5 times longer than any other mark is tall
constexpr float kFrameHolds = 0.3f;      // a frame holds a mark at least 30% of its height...
constexpr float kFrameFill = 0.45f;      // ... and its pixels cover under this share of its box
constexpr float kFrameHoldsRow = 0.1f;   // ... or two marks at least 10% of its height
constexpr float kSameDigitOverlap = 0.5f;  // marks overlapping along x by half the narrower are one digit...
constexpr float kSameDigitGap = 0.3f;      // ... when the rows between them are under this share of the taller
// ... and, apart by some rows, together no wider than this times their height (a
// digit's shape: a price tag's band above its number is not a part of each digit).
constexpr float kStackedMaxAspect = 1.2f;
// Sharing rows, no wider than this times their height together: a race bib's band
// under its number, reaching into the digits' last rows, is no part of each digit.
constexpr float kOverlappingMaxAspect = 1.5f;
constexpr float kJoinedMaxAspect = 1.0f;  // marks within a stroke's width join when no wider than tall together
constexpr float kBarAspect = 2.0f;         // a group twice as long as wide is a bar (line_pieces)
constexpr float kPiecesBandGrowth = 5.0f;  // a line's pieces lie in rows at most this many times its tallest group's (a display's bar is a fifth of its digit)
constexpr int kJoinReachShare = 30;        // ... strokes at most a 30th of the shorter side wide
constexpr float kWallSpan = 0.6f;          // a mark over this share of both sides is texture (a wall, a grid)
constexpr float kOverTexture = 1.25f;      // a grid's strokes are under this times the median of its mark...
constexpr float kBoxSideCover = 0.8f;      // a box's side covers this share of its row or column...
constexpr float kBoxMinAspect = 0.8f;      // ... of a box at least this wide for its height
constexpr int kTextureRuns = 5;            // ... a mark of this many runs a row at least (a letter has 1 to 4)
constexpr float kOtherInk = 0.5f;         // a group under half the strongest digit-sized group's mean is other ink
constexpr float kFaintInk = 1.2f;         // a group whose mean top-hat is under this many thresholds is faint
constexpr float kSpeckHeight = 0.4f;     // groups under 40% of the tallest's height are specks...
constexpr float kSameLineOverlap = 0.5f;   // groups sharing half the shorter's rows are on one line
constexpr float kDigitSized = 0.6f;      // a group this high (of the tallest) off the line is a second line
constexpr float kSameOneHeight = 1.25f;  // a row of 1s: each at least 1/1.25 of the tallest's height

int find_root(std::vector<int>& parent, int i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

bool holds(const PixelBox& outer, const PixelBox& inner) {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
         inner.y + inner.h <= outer.y + outer.h;
}

}  // namespace

PixelBox united(const PixelBox& a, const PixelBox& b) {
  const int x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  const int x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

int overlap(int a0, int a1, int b0, int b1) { return std::max(0, std::min(a1, b1) - std::max(a0, b0)); }

void pad_with_paper(const GrayImage& page, bool ink_dark, int margin, GrayImage& out, std::vector<float>& scratch) {
  const int W = page.width, H = page.height;
  scratch.assign(page.pixels.begin(), page.pixels.end());
  // Paper is most of a picture's pixels even when cropped close: the level a tenth
  // of them pass (dark ink on it) or stay under (light ink).
  const std::size_t rank = std::size_t(float(scratch.size() - 1) * (ink_dark ? 1.0f - kPaperShare : kPaperShare));
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<long>(rank), scratch.end());
  const float paper = scratch[rank];
  out.width = W + 2 * margin, out.height = H + 2 * margin;
  out.scale = page.scale;
  out.had_alpha = page.had_alpha;
  out.pixels.assign(static_cast<std::size_t>(out.width) * out.height, paper);
  for (int y = 0; y < H; ++y)
    std::copy_n(page.pixels.data() + static_cast<std::size_t>(y) * W, W,
                out.pixels.data() + static_cast<std::size_t>(y + margin) * out.width + margin);
}

void thin_ink(const GrayImage& page, bool ink_dark, FindWorkspace& ws) {
  const int W = page.width, H = page.height;
  const int r = std::max(1, std::min(W, H) / kTophatDivisor);
  ws.closed.resize(W, H);
  ws.tophat.resize(W, H);
  if (ink_dark) {
    grey_closing(page.pixels.data(), W, H, r, ws.closed.pixels.data(), ws.morphology);
    for (std::size_t i = 0; i < page.pixels.size(); ++i) ws.tophat.pixels[i] = ws.closed.pixels[i] - page.pixels[i];
  } else {
    grey_opening(page.pixels.data(), W, H, r, ws.closed.pixels.data(), ws.morphology);
    for (std::size_t i = 0; i < page.pixels.size(); ++i) ws.tophat.pixels[i] = page.pixels[i] - ws.closed.pixels[i];
  }
}

float ink_threshold(const Plane& tophat, std::vector<float>& scratch) {
  scratch.assign(tophat.pixels.begin(), tophat.pixels.end());
  const std::size_t n = scratch.size();
  if (n == 0) return kMinTophat;
  // Not a noise estimate of the whole picture: a striped desk or a brick wall
  // beside the paper is thin structure too and would lift it over the strokes.
  const std::size_t rank = n > kStrongestRank ? n - kStrongestRank : n - 1;
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<long>(rank), scratch.end());
  return std::max(kMinTophat, kStrokeShare * scratch[rank]);
}

void label_marks(const Plane& tophat, float threshold, FindWorkspace& ws) {
  const int W = tophat.width, H = tophat.height;
  // Runs of pixels over the threshold, row by row; a run joins the runs of the row
  // above that touch it, diagonally too (8-connected); union-find over runs.
  std::vector<InkRun>& runs = ws.ink_runs;
  runs.clear();
  ws.parents.clear();
  std::size_t above = 0, above_end = 0;  // the previous row's runs
  for (int y = 0; y < H; ++y) {
    const float* row = tophat.pixels.data() + static_cast<std::size_t>(y) * W;
    const std::size_t first = runs.size();
    for (int x = 0; x < W;) {
      if (row[x] < threshold) {
        ++x;
        continue;
      }
      int end = x;
      while (end < W && row[end] >= threshold) ++end;
      const int id = static_cast<int>(runs.size());
      runs.push_back({y, x, end});
      ws.parents.push_back(id);
      while (above < above_end && runs[above].x1 < x) ++above;  // ends left of this run's reach
      for (std::size_t k = above; k < above_end && runs[k].x0 <= end; ++k) {
        const int a = find_root(ws.parents, id), b = find_root(ws.parents, static_cast<int>(k));
        if (a != b) ws.parents[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
      }
      x = end;
    }
    above = first;
    above_end = runs.size();
  }
  ws.marks.clear();
  ws.order.assign(runs.size(), -1);  // root -> mark index
  ws.labels.assign(static_cast<std::size_t>(W) * H, -1);
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const InkRun& r = runs[k];
    const int root = find_root(ws.parents, static_cast<int>(k));
    if (ws.order[static_cast<std::size_t>(root)] < 0) {
      ws.order[static_cast<std::size_t>(root)] = static_cast<int>(ws.marks.size());
      ws.marks.push_back({{r.x0, r.y, r.x1 - r.x0, 1}});
      ws.marks.back().label = static_cast<int>(ws.marks.size()) - 1;
    }
    const int mark = ws.order[static_cast<std::size_t>(root)];
    Mark& m = ws.marks[static_cast<std::size_t>(mark)];
    m.box = united(m.box, {r.x0, r.y, r.x1 - r.x0, 1});
    const std::size_t i = static_cast<std::size_t>(r.y) * W;
    for (int x = r.x0; x < r.x1; ++x) {
      m.mass += tophat.pixels[i + static_cast<std::size_t>(x)];
      ws.labels[i + static_cast<std::size_t>(x)] = mark;
    }
    m.pixels += r.x1 - r.x0;
    // The run's sums in closed form: x from x0 to x1 - 1 on row y.
    const double n = r.x1 - r.x0, first = r.x0, last = r.x1 - 1, y = r.y;
    const double sum_x = n * (first + last) / 2;
    const double sum_xx = (last * (last + 1) * (2 * last + 1) - (first - 1) * first * (2 * first - 1)) / 6;
    m.sx += sum_x, m.sy += n * y, m.sxx += sum_xx, m.syy += n * y * y, m.sxy += y * sum_x;
    m.touches_border = m.touches_border || r.x0 == 0 || r.x1 == W || r.y == 0 || r.y == H - 1;
  }
}

bool look_over_texture(Plane& tophat, int wall, FindWorkspace& ws) {
  // Texture, not a glyph filling a close crop: its rows cross many lines.
  const int W = tophat.width;
  std::size_t runs = 0;
  int top = tophat.height, bottom = -1;
  for (const InkRun& r : ws.ink_runs)
    if (ws.labels[static_cast<std::size_t>(r.y) * W + r.x0] == wall) ++runs, top = std::min(top, r.y), bottom = std::max(bottom, r.y);
  if (bottom < top || runs < std::size_t(kTextureRuns) * std::size_t(bottom - top + 1)) return false;
  std::vector<float>& values = ws.scratch;
  values.clear();
  for (std::size_t i = 0; i < ws.labels.size(); ++i)
    if (ws.labels[i] == wall) values.push_back(tophat.pixels[i]);
  if (values.empty()) return false;
  // Most of a grid's mark is its lines; the strokes that crossed them are a few of its pixels.
  const auto middle = values.begin() + static_cast<long>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  const float level = kOverTexture * *middle;
  for (float& v : tophat.pixels)
    if (v < level) v = 0;
  return true;
}

void erase_frames(FindWorkspace& ws) {
  if (ws.frames.empty()) return;
  int most = -1;
  for (const int label : ws.frames) most = std::max(most, label);
  ws.is_frame.assign(static_cast<std::size_t>(most) + 1, 0);
  for (const int label : ws.frames) ws.is_frame[static_cast<std::size_t>(label)] = 1;
  for (std::size_t i = 0; i < ws.labels.size(); ++i) {
    const int label = ws.labels[i];
    if (label >= 0 && label <= most && ws.is_frame[static_cast<std::size_t>(label)]) ws.tophat.pixels[i] = 0;
  }
}

bool erase_box_sides(const Plane& tophat, const PixelBox& box, float threshold, Plane& out) {
  const PixelBox b = {std::max(0, box.x), std::max(0, box.y), 0, 0};
  const int x1 = std::min(tophat.width, box.x + box.w), y1 = std::min(tophat.height, box.y + box.h);
  const int w = x1 - b.x, h = y1 - b.y;
  // A box, not a digit with straight sides (a seven-segment 0 is far narrower than tall).
  if (w < 8 || h < 8 || static_cast<float>(w) < kBoxMinAspect * static_cast<float>(h)) return false;
  const auto row_covered = [&](int y) {
    int n = 0;
    for (int x = b.x; x < x1; ++x) n += tophat.at(x, y) >= threshold;
    return static_cast<float>(n) >= kBoxSideCover * static_cast<float>(w);
  };
  const auto column_covered = [&](int x) {
    int n = 0;
    for (int y = b.y; y < y1; ++y) n += tophat.at(x, y) >= threshold;
    return static_cast<float>(n) >= kBoxSideCover * static_cast<float>(h);
  };
  // Each side: covered rows (columns) starting within a fifth of the box from its edge
  // (a digit's stroke may reach past the box), no thicker than a tenth of it; the band
  // [from, to) counted from the edge, empty when there is no such side.
  struct Band {
    int from = 0, to = 0;
  };
  const auto side = [](int extent, const auto& covered) {
    Band band;
    while (band.from <= extent / 5 && !covered(band.from)) ++band.from;
    if (band.from > extent / 5) return Band{};
    band.to = band.from;
    while (band.to - band.from <= extent / 10 && covered(band.to)) ++band.to;
    return band.to - band.from > extent / 10 ? Band{} : band;
  };
  const Band top = side(h, [&](int t) { return row_covered(b.y + t); });
  const Band bottom = side(h, [&](int t) { return row_covered(y1 - 1 - t); });
  const Band left = side(w, [&](int t) { return column_covered(b.x + t); });
  const Band right = side(w, [&](int t) { return column_covered(x1 - 1 - t); });
  if (top.to == 0 || bottom.to == 0 || left.to == 0 || right.to == 0) return false;
  out.resize(tophat.width, tophat.height);  // (no allocation once `out` has held a picture this size)
  std::copy(tophat.pixels.begin(), tophat.pixels.end(), out.pixels.begin());
  // Each band and the pixel on either side of it (the side's anti-aliased fringe).
  const auto in_band = [](int t, const Band& band) { return t >= band.from - 1 && t <= band.to; };
  for (int y = b.y; y < y1; ++y)
    for (int x = b.x; x < x1; ++x)
      if (in_band(y - b.y, top) || in_band(y1 - 1 - y, bottom) || in_band(x - b.x, left) || in_band(x1 - 1 - x, right))
        out.at(x, y) = 0;
  return true;
}

float Mark::elongation() const {
  if (pixels < 2) return 1;
  const double n = pixels, mx = sx / n, my = sy / n;
  // A pixel is a unit square: its own variance (1/12 each way) keeps a one-pixel line finite.
  const double vxx = sxx / n - mx * mx + 1.0 / 12, vyy = syy / n - my * my + 1.0 / 12, vxy = sxy / n - mx * my;
  const double mid = (vxx + vyy) / 2, spread = std::sqrt((vxx - vyy) * (vxx - vyy) / 4 + vxy * vxy);
  const double major = mid + spread, minor = std::max(mid - spread, 1.0 / 12);
  return static_cast<float>(std::sqrt(major / minor));
}

namespace {

// The height of the tallest of `marks` when they are a row of 1s, else 0: three or
// more upright marks alike (each within kSameOneHeight of the tallest's height, sharing
// kSameLineOverlap of its rows), side by side no farther apart than they are tall. A
// sheet's two sides or a door's edge are no such row.
int row_of_ones_height(const std::vector<Mark>& marks) {
  if (marks.size() < 3) return 0;
  std::vector<PixelBox> row;
  for (const Mark& m : marks) row.push_back(m.box);
  std::sort(row.begin(), row.end(), [](const PixelBox& a, const PixelBox& b) { return a.x < b.x; });
  const PixelBox& tallest = *std::max_element(row.begin(), row.end(), [](const PixelBox& a, const PixelBox& b) { return a.h < b.h; });
  for (std::size_t i = 0; i < row.size(); ++i) {
    const PixelBox& b = row[i];
    const int shared = std::min(b.y + b.h, tallest.y + tallest.h) - std::max(b.y, tallest.y);
    if (b.w >= b.h || static_cast<float>(b.h) * kSameOneHeight < static_cast<float>(tallest.h) ||
        static_cast<float>(shared) < kSameLineOverlap * static_cast<float>(b.h))
      return 0;
    if (i > 0 && (b.x < row[i - 1].x + row[i - 1].w || b.x - (row[i - 1].x + row[i - 1].w) > tallest.h)) return 0;
  }
  return tallest.h;
}

}  // namespace

int keep_digit_marks(std::vector<Mark>& marks, int width, int height, std::string& dropped, int* wall,
                     std::vector<PixelBox>* border_boxes, std::vector<int>* frames_out) {
  const int min_side = std::max(kMinDigitPixels, static_cast<int>(kMinDigitShare * std::min(width, height)));
  int specks = 0, rules = 0, border = 0, frames = 0, widest = 0;
  if (wall) *wall = -1;
  if (border_boxes) border_boxes->clear();
  if (frames_out) frames_out->clear();
  std::vector<Mark> kept, thin_long;  // thin_long: judged against the tallest kept (below)
  for (const Mark& m : marks) {
    const PixelBox& b = m.box;
    const bool upright_rule = b.h >= kEdgeSpan * height && b.w * kRuleAspect <= b.h;
    if (std::max(b.w, b.h) < min_side) {
      ++specks;
    } else if ((b.w >= kEdgeSpan * width && b.h * kRuleAspect <= b.w) || (upright_rule && m.touches_border)) {
      ++rules;
    } else if (upright_rule) {
      thin_long.push_back(m);  // a 1 as tall as the picture's other digits, or an edge (below)
    } else if (m.touches_border || (b.w >= kWallSpan * width && b.h >= kWallSpan * height)) {
      ++border;
      if (border_boxes && m.touches_border) border_boxes->push_back(b);
      if (wall && b.w >= kWallSpan * width && b.h >= kWallSpan * height && m.pixels > widest) *wall = m.label, widest = m.pixels;
    } else if ((b.w >= kEdgeSpan * width || b.h >= kEdgeSpan * height) &&
               m.elongation() >= kRuleAspect) {
      thin_long.push_back(m);
    } else {
      kept.push_back(m);
    }
  }
  // A thin mark, upright or at a slant, is an edge when it is far longer than every
  // other mark is tall: a close-cropped number's 1 is as thin and as long as its
  // neighbours are tall, and a plain 1 drawn as one stroke in a number on a pad is
  // (a mark touching the border was set aside above: it says the picture may be cropped).
  int tallest = 0;
  for (const Mark& m : kept) tallest = std::max(tallest, m.box.h);
  // With no other mark, they are judged against each other: a number of plain 1s
  // (eleven of them read as one sure 1: the search set every one aside).
  if (tallest == 0) tallest = row_of_ones_height(thin_long);
  for (const Mark& m : thin_long) {
    if (static_cast<float>(std::max(m.box.w, m.box.h)) >= kEdgeOverDigit * static_cast<float>(tallest)) ++rules;
    else kept.push_back(m);
  }
  // A frame: a mostly empty mark around a digit-sized one, or around a row of
  // smaller ones (a jar's outline around its label's number).
  std::vector<Mark> digits;
  for (const Mark& outer : kept) {
    int held = 0, held_small = 0;
    for (const Mark& inner : kept) {
      if (&inner == &outer || !holds(outer.box, inner.box)) continue;
      const float share = static_cast<float>(inner.box.h) / static_cast<float>(outer.box.h);
      held += share >= kFrameHolds;
      held_small += share >= kFrameHoldsRow;
    }
    const bool frame = static_cast<float>(outer.pixels) < kFrameFill * static_cast<float>(outer.box.w) * outer.box.h &&
                       (held > 0 || held_small >= 2);
    if (frame) ++frames;
    else digits.push_back(outer);
    if (frame && frames_out) frames_out->push_back(outer.label);
  }
  marks = std::move(digits);
  dropped.clear();
  const auto say = [&](int n, const char* what) {
    if (n == 0) return;
    if (!dropped.empty()) dropped += ", ";
    dropped += std::to_string(n) + " " + what;
  };
  say(specks, "specks");
  say(rules, "rules or edges");
  say(border, "marks on the border or across the picture");
  say(frames, "frames");
  return border;
}

float line_angle(const std::vector<PixelBox>& digits) {
  if (digits.size() < 3) return 0;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const PixelBox& b : digits) {
    const double x = b.x + b.w / 2.0, y = b.y + b.h / 2.0;
    sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  const double n = static_cast<double>(digits.size());
  const double vxx = sxx - sx * sx / n;
  if (vxx <= 0) return 0;
  return static_cast<float>(std::atan((sxy - sx * sy / n) / vxx));
}

void turn_page(const GrayImage& page, float radians, GrayImage& turned) {
  turned.width = page.width, turned.height = page.height, turned.scale = page.scale, turned.had_alpha = page.had_alpha;
  turned.pixels.resize(page.pixels.size());
  const float c = std::cos(radians), s = std::sin(radians);
  const float cx = 0.5f * static_cast<float>(page.width - 1), cy = 0.5f * static_cast<float>(page.height - 1);
  for (int y = 0; y < page.height; ++y) {
    for (int x = 0; x < page.width; ++x) {
      // The page's point that lands on (x, y) once turned by `radians`.
      const float dx = static_cast<float>(x) - cx, dy = static_cast<float>(y) - cy;
      const float u = std::clamp(cx + c * dx + s * dy, 0.0f, static_cast<float>(page.width - 1));
      const float v = std::clamp(cy - s * dx + c * dy, 0.0f, static_cast<float>(page.height - 1));
      const int x0 = std::min(static_cast<int>(u), page.width - 2 < 0 ? 0 : page.width - 2);
      const int y0 = std::min(static_cast<int>(v), page.height - 2 < 0 ? 0 : page.height - 2);
      const int x1 = std::min(x0 + 1, page.width - 1), y1 = std::min(y0 + 1, page.height - 1);
      const float fx = u - static_cast<float>(x0), fy = v - static_cast<float>(y0);
      const float top = page.at(x0, y0) + fx * (page.at(x1, y0) - page.at(x0, y0));
      const float bottom = page.at(x0, y1) + fx * (page.at(x1, y1) - page.at(x0, y1));
      turned.pixels[static_cast<std::size_t>(y) * page.width + x] = top + fy * (bottom - top);
    }
  }
}

PixelBox turned_back(const PixelBox& box, float radians, int width, int height) {
  const float c = std::cos(radians), s = std::sin(radians);
  const float cx = 0.5f * static_cast<float>(width - 1), cy = 0.5f * static_cast<float>(height - 1);
  float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
  for (const float x : {static_cast<float>(box.x), static_cast<float>(box.x + box.w)}) {
    for (const float y : {static_cast<float>(box.y), static_cast<float>(box.y + box.h)}) {
      const float dx = x - cx, dy = y - cy;
      const float u = cx + c * dx + s * dy, v = cy - s * dx + c * dy;
      x0 = std::min(x0, u), x1 = std::max(x1, u), y0 = std::min(y0, v), y1 = std::max(y1, v);
    }
  }
  const int left = std::clamp(static_cast<int>(std::floor(x0)), 0, width), top = std::clamp(static_cast<int>(std::floor(y0)), 0, height);
  const int right = std::clamp(static_cast<int>(std::ceil(x1)), 0, width), bottom = std::clamp(static_cast<int>(std::ceil(y1)), 0, height);
  return {left, top, right - left, bottom - top};
}

std::vector<Mark> join_close_marks(const std::vector<Mark>& marks, const FindWorkspace& ws, int width, int height) {
  // (A page of marks is text or texture, not a line's broken digits.)
  if (marks.size() < 2 || marks.size() > std::size_t(4 * kMaxDigitsInLine)) return marks;
  // The strokes' width: the median run across the kept marks' rows.
  int labels = 0;
  for (const Mark& m : marks) labels = std::max(labels, m.label + 1);
  std::vector<int> kept_index(static_cast<std::size_t>(labels), -1);
  for (std::size_t i = 0; i < marks.size(); ++i)
    if (marks[i].label >= 0) kept_index[static_cast<std::size_t>(marks[i].label)] = static_cast<int>(i);
  std::vector<int> widths;
  for (const InkRun& r : ws.ink_runs) {
    const int label = ws.labels[static_cast<std::size_t>(r.y) * width + r.x0];
    if (label >= 0 && label < labels && kept_index[static_cast<std::size_t>(label)] >= 0) widths.push_back(r.x1 - r.x0);
  }
  if (widths.empty()) return marks;
  std::nth_element(widths.begin(), widths.begin() + static_cast<long>(widths.size() / 2), widths.end());
  const int reach = widths[widths.size() / 2];
  // Broad runs are no pen's strokes (paper taken for light ink).
  if (reach > std::min(width, height) / kJoinReachShare) return marks;
  // Pairs of marks whose pixels come within reach of each other.
  std::vector<std::pair<int, int>> close;
  const auto kept_at = [&](int x, int y) {
    const int label = ws.labels[static_cast<std::size_t>(y) * width + x];
    return label >= 0 && label < labels ? kept_index[static_cast<std::size_t>(label)] : -1;
  };
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const int a = kept_at(x, y);
      // Only a mark's outline can come closest to another mark.
      if (a < 0 || (x > 0 && x + 1 < width && y > 0 && y + 1 < height && kept_at(x - 1, y) == a &&
                    kept_at(x + 1, y) == a && kept_at(x, y - 1) == a && kept_at(x, y + 1) == a))
        continue;
      for (int v = y; v <= std::min(height - 1, y + reach); ++v) {
        for (int u = std::max(0, x - reach); u <= std::min(width - 1, x + reach); ++u) {
          const int b = kept_at(u, v);
          if (b >= 0 && b != a) close.emplace_back(std::min(a, b), std::max(a, b));
        }
      }
    }
  }
  std::sort(close.begin(), close.end());
  close.erase(std::unique(close.begin(), close.end()), close.end());
  std::vector<Mark> joined = marks;
  std::vector<int> parent(marks.size());
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<int>(i);
  const auto root = [&](int i) {
    while (parent[static_cast<std::size_t>(i)] != i) i = parent[static_cast<std::size_t>(i)];
    return i;
  };
  // Until nothing joins: two pieces too wide together (a segment display's bar and
  // one side) may fit once a third (the other side) has joined one of them.
  for (bool again = true; again;) {
    again = false;
    for (const auto& [i, j] : close) {
      const int a = root(i), b = root(j);
      if (a == b) continue;
      const PixelBox both = united(joined[static_cast<std::size_t>(a)].box, joined[static_cast<std::size_t>(b)].box);
      if (static_cast<float>(both.w) > kJoinedMaxAspect * static_cast<float>(both.h)) continue;
      Mark& into = joined[static_cast<std::size_t>(std::min(a, b))];
      const Mark& from = joined[static_cast<std::size_t>(std::max(a, b))];
      into.box = both;
      into.mass += from.mass, into.pixels += from.pixels;
      into.touches_border = into.touches_border || from.touches_border;
      parent[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
      again = true;
    }
  }
  std::vector<Mark> out;
  for (std::size_t i = 0; i < joined.size(); ++i)
    if (parent[i] == static_cast<int>(i)) out.push_back(joined[i]);
  return out;
}

std::vector<PixelBox> group_digits(const std::vector<Mark>& marks, float threshold, int& faint) {
  std::vector<PixelBox> groups;
  std::vector<float> masses;
  std::vector<int> pixels;
  for (const Mark& m : marks) {
    groups.push_back(m.box);
    masses.push_back(m.mass);
    pixels.push_back(m.pixels);
  }
  const auto faint_ink = [&](std::size_t k) { return masses[k] < kFaintInk * threshold * static_cast<float>(pixels[k]); };
  // Merge until nothing overlaps: few marks, so the quadratic loop is cheap.
  for (bool merged = true; merged;) {
    merged = false;
    for (std::size_t i = 0; i < groups.size() && !merged; ++i) {
      for (std::size_t j = i + 1; j < groups.size() && !merged; ++j) {
        const PixelBox& a = groups[i];
        const PixelBox& b = groups[j];
        const int along_x = overlap(a.x, a.x + a.w, b.x, b.x + b.w);
        const int gap_y = std::max(a.y, b.y) - std::min(a.y + a.h, b.y + b.h);
        const bool stacked = along_x >= kSameDigitOverlap * static_cast<float>(std::min(a.w, b.w)) &&
                             gap_y <= kSameDigitGap * static_cast<float>(std::max(a.h, b.h)) &&
                             static_cast<float>(united(a, b).w) <=
                                 (gap_y <= 0 ? kOverlappingMaxAspect : kStackedMaxAspect) * static_cast<float>(united(a, b).h);
        // (Faint ink is no part of a digit in strong ink: a bib's printed band above its number.)
        const bool same_ink = faint_ink(i) == faint_ink(j);
        if (same_ink && (stacked || holds(a, b) || holds(b, a))) {
          groups[i] = united(a, b);
          masses[i] += masses[j];
          pixels[i] += pixels[j];
          groups.erase(groups.begin() + static_cast<long>(j));
          masses.erase(masses.begin() + static_cast<long>(j));
          pixels.erase(pixels.begin() + static_cast<long>(j));
          merged = true;
        }
      }
    }
  }
  // Faint groups: what the threshold barely lets through (a board's frame, an
  // envelope's edge) is not the ink digits are written in, whose strokes have a
  // core far above it. They go before the tallest is taken, so that they cannot
  // make the digits look like specks.
  faint = 0;
  std::vector<PixelBox> strong;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (faint_ink(i)) ++faint;
    else strong.push_back(groups[i]);
  }
  int tallest = 0;
  for (const PixelBox& g : strong) tallest = std::max(tallest, g.h);
  // The strongest ink among the digit-sized groups; a group under half its mean is
  // not the same ink (an edge's strip beside a number reads as a 1).
  std::vector<float> mean(groups.size());
  float strongest = 0;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    mean[i] = masses[i] / static_cast<float>(std::max(1, pixels[i]));
    if (!faint_ink(i) && static_cast<float>(groups[i].h) >= kSpeckHeight * static_cast<float>(tallest))
      strongest = std::max(strongest, mean[i]);
  }
  std::vector<PixelBox> digits;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    if (faint_ink(i) || static_cast<float>(groups[i].h) < kSpeckHeight * static_cast<float>(tallest)) continue;
    if (mean[i] < kOtherInk * strongest) {
      ++faint;
      continue;
    }
    digits.push_back(groups[i]);
  }
  return digits;
}

std::vector<Mark> line_pieces(const std::vector<Mark>& marks, const std::vector<PixelBox>& line, float threshold) {
  std::vector<Mark> pieces;
  if (line.empty()) return pieces;
  int top = line.front().y, bottom = line.front().y + line.front().h, tallest = 0;
  for (const PixelBox& b : line) top = std::min(top, b.y), bottom = std::max(bottom, b.y + b.h), tallest = std::max(tallest, b.h);
  // Faint ink is no digit's (group_digits); a mark wider than a digit may be tall, no part of one.
  const int most = static_cast<int>(kPiecesBandGrowth * static_cast<float>(tallest));
  const auto strong = [&](const Mark& m) {
    return m.label >= 0 && m.mass >= kFaintInk * threshold * static_cast<float>(m.pixels) && m.box.h <= most &&
           static_cast<float>(m.box.w) <= kJoinedMaxAspect * static_cast<float>(most);
  };
  // When the line found is a row of bars (each group twice as long as wide), its rows are
  // grown by the marks within two strokes' width above or below them: a segment
  // display's digits are rows of bars, and the line found may be one of them.
  const bool bars = std::all_of(line.begin(), line.end(), [](const PixelBox& b) {
    return std::max(b.w, b.h) >= kBarAspect * std::min(b.w, b.h);
  });
  std::vector<int> thickness;
  for (const Mark& m : marks)
    if (strong(m) && overlap(m.box.y, m.box.y + m.box.h, top, bottom) > 0) thickness.push_back(std::min(m.box.w, m.box.h));
  if (thickness.empty()) return pieces;
  std::nth_element(thickness.begin(), thickness.begin() + static_cast<long>(thickness.size() / 2), thickness.end());
  const int reach = 2 * thickness[thickness.size() / 2];
  for (bool grown = bars; grown;) {
    grown = false;
    for (const Mark& m : marks) {
      if (!strong(m) || m.box.y + m.box.h < top - reach || m.box.y > bottom + reach) continue;
      const int t = std::min(top, m.box.y), b = std::max(bottom, m.box.y + m.box.h);
      if ((t < top || b > bottom) && b - t <= most) top = t, bottom = b, grown = true;
    }
  }
  for (const Mark& m : marks) {
    const int centre = m.box.y + m.box.h / 2;
    if (strong(m) && centre >= top && centre < bottom && m.box.h <= bottom - top &&
        static_cast<float>(m.box.w) <= kJoinedMaxAspect * static_cast<float>(bottom - top))
      pieces.push_back(m);
  }
  if (pieces.size() < 2 || pieces.size() > std::size_t(kMaxPieces)) return {};
  std::sort(pieces.begin(), pieces.end(),
            [](const Mark& a, const Mark& b) { return 2 * a.box.x + a.box.w < 2 * b.box.x + b.box.w; });
  return pieces;
}

int split_column(const Plane& tophat, float threshold, const PixelBox& box) {
  if (box.w < 4 || box.x < 0 || box.y < 0 || box.x + box.w > tophat.width || box.y + box.h > tophat.height) return -1;
  std::vector<int> ink(static_cast<std::size_t>(box.w), 0);
  for (int y = box.y; y < box.y + box.h; ++y) {
    for (int x = box.x; x < box.x + box.w; ++x) ink[static_cast<std::size_t>(x - box.x)] += tophat.at(x, y) >= threshold;
  }
  std::vector<int> sorted = ink;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2), sorted.end());
  const int median = sorted[sorted.size() / 2];
  int best = -1;
  for (int x = box.w / 4; x < box.w - box.w / 4; ++x) {
    if (best < 0 || ink[static_cast<std::size_t>(x)] < ink[static_cast<std::size_t>(best)]) best = x;
  }
  if (best < 0 || 2 * ink[static_cast<std::size_t>(best)] >= median) return -1;
  return box.x + best;
}

std::vector<PixelBox> digits_in_line(const std::vector<PixelBox>& groups, int& lines, std::vector<PixelBox>& off_line,
                                     bool fullest_row) {
  lines = 0;
  off_line.clear();
  if (groups.empty()) return {};
  const std::size_t n = groups.size();
  std::size_t tallest = 0;
  for (std::size_t i = 1; i < n; ++i)
    if (groups[i].h > groups[tallest].h) tallest = i;
  const auto digit_sized = [&](std::size_t i) {
    return static_cast<float>(groups[i].h) >= kDigitSized * static_cast<float>(groups[tallest].h);
  };
  const auto same_row = [](const PixelBox& a, const PixelBox& b) {
    return overlap(a.y, a.y + a.h, b.y, b.y + b.h) >= kSameLineOverlap * static_cast<float>(std::min(a.h, b.h));
  };
  // The row grown from `anchor`: the groups sharing rows with it or with a
  // digit-sized group already in the row. A line written at a slant shares rows
  // from neighbour to neighbour, not from end to end.
  std::vector<std::uint8_t> in_row(n);
  std::vector<std::size_t> reach;
  const auto grow_row = [&](std::size_t anchor) {
    std::fill(in_row.begin(), in_row.end(), std::uint8_t{0});
    in_row[anchor] = 1;
    reach.assign(1, anchor);
    while (!reach.empty()) {
      const PixelBox from = groups[reach.back()];
      reach.pop_back();
      for (std::size_t i = 0; i < n; ++i) {
        if (in_row[i] || !same_row(groups[i], from)) continue;
        in_row[i] = 1;
        if (digit_sized(i)) reach.push_back(i);
      }
    }
  };
  std::size_t anchor = tallest;
  if (fullest_row) {  // among rows as full, the one with the tallest group
    // A row grown from any of its digit-sized groups holds the same digit-sized
    // groups: each row is grown once.
    std::vector<std::uint8_t> seen(n);
    std::size_t most = 0;
    for (std::size_t g = 0; g < n; ++g) {
      if (!digit_sized(g) || seen[g]) continue;
      grow_row(g);
      std::size_t count = 0, row_tallest = g;
      for (std::size_t i = 0; i < n; ++i) {
        if (!in_row[i] || !digit_sized(i)) continue;
        seen[i] = 1;
        ++count;
        if (groups[i].h > groups[row_tallest].h) row_tallest = i;
      }
      if (count > most || (count == most && groups[row_tallest].h > groups[anchor].h)) most = count, anchor = row_tallest;
    }
  }
  grow_row(anchor);
  std::vector<PixelBox> line;
  for (std::size_t i = 0; i < n; ++i) {
    if (in_row[i]) line.push_back(groups[i]);
    else if (digit_sized(i)) off_line.push_back(groups[i]);
  }
  lines = 1 + (off_line.empty() ? 0 : 1);
  std::sort(line.begin(), line.end(), [](const PixelBox& a, const PixelBox& b) { return a.x < b.x; });
  return line;
}

FoundDigits find_digits(const GrayImage& page, bool ink_dark, FindWorkspace& ws, int margin) {
  FoundDigits found;
  found.ink_dark = ink_dark;
  if (page.width < 2 || page.height < 2) return found;
  margin = std::max(0, margin);
  if (margin > 0) pad_with_paper(page, ink_dark, margin, ws.padded, ws.scratch);
  const GrayImage& searched = margin > 0 ? ws.padded : page;
  thin_ink(searched, ink_dark, ws);
  found.contrast = ink_threshold(ws.tophat, ws.scratch);
  const int form_lines = erase_form_lines(ws.tophat, found.contrast, ws);
  erase_rules(ws.tophat, found.contrast);
  label_marks(ws.tophat, found.contrast, ws);
  drop_form_remnants(ws.tophat, ws);
  const int crossing_lines = erase_crossing_lines(ws.tophat, found.contrast, ws);
  if (crossing_lines > 0) label_marks(ws.tophat, found.contrast, ws);
  int wall = -1;
  found.border_marks =
      keep_digit_marks(ws.marks, searched.width, searched.height, found.dropped, &wall, &found.border_boxes, &ws.frames);
  erase_frames(ws);
  if (const int barcodes = drop_barcodes(ws.tophat, ws); barcodes > 0)
    found.dropped += (found.dropped.empty() ? "" : ", ") + std::to_string(barcodes) + " barcodes";
  if (form_lines > 0) found.dropped += (found.dropped.empty() ? "" : ", ") + std::to_string(form_lines) + " printed lines";
  if (crossing_lines > 0)
    found.dropped += (found.dropped.empty() ? "" : ", ") + std::to_string(crossing_lines) + " lines through marks";
  int faint = 0;
  std::vector<PixelBox> groups = group_digits(ws.marks, found.contrast, faint);
  if (faint > 0) found.dropped += (found.dropped.empty() ? "" : ", ") + std::to_string(faint) + " faint groups";
  found.digits = digits_in_line(groups, found.lines, found.off_line);
  if (found.digits.empty() && wall >= 0 && look_over_texture(ws.tophat, wall, ws)) {
    label_marks(ws.tophat, found.contrast, ws);
    std::string dropped;
    found.border_marks =
        keep_digit_marks(ws.marks, searched.width, searched.height, dropped, nullptr, &found.border_boxes, &ws.frames);
    erase_frames(ws);
    faint = 0;
    groups = group_digits(ws.marks, found.contrast, faint);
    if (faint > 0) dropped += (dropped.empty() ? "" : ", ") + std::to_string(faint) + " faint groups";
    found.dropped += "; over a grid's level: " + (dropped.empty() ? std::string("nothing") : dropped);
    found.digits = digits_in_line(groups, found.lines, found.off_line);
  }
  if (margin == 0) found.pieces = line_pieces(ws.marks, found.digits, found.contrast);
  {
    int joined_faint = 0, joined_lines = 0;
    std::vector<PixelBox> joined_off;
    const std::vector<Mark> joined = join_close_marks(ws.marks, ws, searched.width, searched.height);
    if (joined.size() < ws.marks.size()) {
      found.joined = digits_in_line(group_digits(joined, found.contrast, joined_faint), joined_lines, joined_off);
      const auto same = [](const PixelBox& a, const PixelBox& b) { return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h; };
      if (joined_lines != 1 || std::equal(found.joined.begin(), found.joined.end(), found.digits.begin(), found.digits.end(), same))
        found.joined.clear();
    }
  }
  if (found.lines > 1) {  // the other candidate line: the row with the most digit-sized groups
    int lines = 0;
    found.fullest_row = digits_in_line(groups, lines, found.fullest_row_off_line, true);
    if (found.fullest_row.size() <= found.digits.size()) found.fullest_row.clear(), found.fullest_row_off_line.clear();
  }
  if (margin == 0) return found;
  // Back into the page's pixels: boxes moved and clipped, the ink plane cut to the page
  // (row by row in place: each row moves to an earlier position).
  const auto unframe = [&](PixelBox& b) {
    const int x0 = std::clamp(b.x - margin, 0, page.width), y0 = std::clamp(b.y - margin, 0, page.height);
    const int x1 = std::clamp(b.x + b.w - margin, 0, page.width), y1 = std::clamp(b.y + b.h - margin, 0, page.height);
    b = {x0, y0, x1 - x0, y1 - y0};
  };
  for (PixelBox& b : found.digits) unframe(b);
  for (PixelBox& b : found.off_line) unframe(b);
  for (PixelBox& b : found.fullest_row) unframe(b);
  for (PixelBox& b : found.fullest_row_off_line) unframe(b);
  for (PixelBox& b : found.joined) unframe(b);
  for (PixelBox& b : found.border_boxes) unframe(b);
  for (Mark& m : ws.marks) unframe(m.box);
  for (int y = 0; y < page.height; ++y)
    std::copy_n(ws.tophat.pixels.data() + static_cast<std::size_t>(y + margin) * searched.width + margin, page.width,
                ws.tophat.pixels.data() + static_cast<std::size_t>(y) * page.width);
  ws.tophat.resize(page.width, page.height);
  return found;
}

}  // namespace blnk::data
