// Stable regions: digits found as regions darker or lighter than around them (see
// find_regions.h for the steps).
#include "data/find_regions.h"

#include <algorithm>
#include <cmath>

#include "data/find_digits.h"

namespace blnk::data {

namespace {

constexpr float kStretchLow = 0.01f, kStretchHigh = 0.99f;  // the levels' 1st and 99th percentiles go to 0 and 255
constexpr int kStableLevels = 8;        // a region's growth: over the next 8 levels (of 255), as a share of its area
constexpr int kMinRange = 16;           // a region is stable when over the next 16 levels...
constexpr float kMinContrast = 0.03f;   // ... (and 0.03 of grey, in a picture of little contrast)...
constexpr float kRangeGrowth = 1.5f;    // ... it stays under 1.5 times its area (a print's edge, not a shade's)
constexpr float kMinHeight = 0.04f;     // a digit is at least 4% of the shorter side high (5% promised)...
constexpr float kMaxHeight = 0.9f;      // ... at most 90% of the picture's height...
constexpr float kMaxAspect = 1.3f;      // ... at most 1.3 times as wide as tall...
constexpr float kMaxFill = 0.8f;        // ... its pixels under 80% of its box (a card, a window is no digit)...
constexpr float kBarWidth = 0.35f;      // ... unless narrower than this for its height (a 1)
constexpr float kMinFill = 0.08f;       // ... and over 8% of it (an outline)
constexpr float kRecordGrowth = 1.05f;  // a component is a candidate again once 5% larger
constexpr float kSamePlace = 0.5f;      // candidates whose boxes overlap by half (of the union) are one
constexpr int kMaxRegions = 256;        // the most stable kept, at most (per polarity)
constexpr float kLineRows = 0.6f;       // a line's next region shares 60% of the shorter one's rows...
constexpr float kLineHeights = 1.4f;    // ... is as tall within this factor...
constexpr float kLineGap = 1.0f;        // ... and no farther than its height
constexpr float kLineOverlap = 0.3f;    // ... nor overlapping more than 30% of the narrower's columns
constexpr float kOnePlace = 0.5f;       // regions sharing half the narrower's columns and the shorter's rows are one place
constexpr float kHolderMinSide = 0.12f;  // a holder is at least 12% of the shorter side each way (a digit's 5% and more around it)...
constexpr float kHolderMaxArea = 0.8f;   // ... its box under 80% of the picture (not the picture itself)...
constexpr float kHolderMinFill = 0.08f;  // ... and its pixels over 8% of its box (a frame; as a digit's outline)
constexpr int kHolderCandidates = 8;     // the most stable holders given to the reader, which reads kMaxHolders that hold something
constexpr float kHolderMargin = 0.1f;    // holder_picture's margin, of the holder's larger side

using Node = RegionWorkspace::Node;

int find_root(std::vector<int>& parent, int p) {
  while (parent[std::size_t(p)] != p) {
    parent[std::size_t(p)] = parent[std::size_t(parent[std::size_t(p)])];
    p = parent[std::size_t(p)];
  }
  return p;
}

int area_of(RegionWorkspace& ws, int seed) { return ws.nodes[std::size_t(find_root(ws.parent, seed))].area; }

float box_iou(const PixelBox& a, const PixelBox& b) {
  const float inter = float(overlap(a.x, a.x + a.w, b.x, b.x + b.w)) * float(overlap(a.y, a.y + a.h, b.y, b.y + b.h));
  return inter / (float(a.w) * float(a.h) + float(b.w) * float(b.h) - inter);
}

// The levels 0-255 of `page`, its 1st to 99th percentile stretched over them; returns
// the grey levels (of 0-1) that one of them spans.
float stretch_levels(const GrayImage& page, RegionWorkspace& ws) {
  const std::size_t n = page.pixels.size();
  ws.scratch.assign(page.pixels.begin(), page.pixels.end());
  const auto low_at = ws.scratch.begin() + long(float(n - 1) * kStretchLow);
  std::nth_element(ws.scratch.begin(), low_at, ws.scratch.end());
  const float low = *low_at;
  const auto high_at = ws.scratch.begin() + long(float(n - 1) * kStretchHigh);
  std::nth_element(ws.scratch.begin(), high_at, ws.scratch.end());
  const float high = std::max(*high_at, low + 1e-3f);
  ws.levels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const float v = std::clamp((page.pixels[i] - low) / (high - low), 0.0f, 1.0f);
    // (floor(x + 0.5) is lround for x >= 0, exact in double, and inline.)
    ws.levels[i] = std::uint8_t(int(double(v * 255.0f) + 0.5));
  }
  return (high - low) / 255.0f;
}

bool digit_shaped(const PixelBox& b, int pixels, int width, int height) {
  const int side = std::min(width, height);
  if (float(b.h) < std::max(float(kMinDigitPixels), kMinHeight * float(side)) || float(b.h) > kMaxHeight * float(height))
    return false;
  if (float(b.w) > kMaxAspect * float(b.h)) return false;
  if (b.x == 0 || b.y == 0 || b.x + b.w == width || b.y + b.h == height) return false;
  const float fill = float(pixels) / (float(b.w) * float(b.h));
  return fill >= kMinFill && (fill <= kMaxFill || float(b.w) < kBarWidth * float(b.h));
}

bool holder_shaped(const PixelBox& b, int pixels, int width, int height) {
  const float side = kHolderMinSide * float(std::min(width, height));
  if (float(b.w) < side || float(b.h) < side) return false;
  if (float(b.w) * float(b.h) > kHolderMaxArea * float(width) * float(height)) return false;
  if (b.x == 0 || b.y == 0 || b.x + b.w == width || b.y + b.h == height) return false;
  return float(pixels) >= kHolderMinFill * float(b.w) * float(b.h);
}

// Step 1 for one polarity, over the levels and order stable_regions computed: the
// candidates of `dark` (or light) components, their growth and stability.
void grow_components(int W, int H, bool dark, int range, RegionWorkspace& ws) {
  const int n = W * H;
  ws.nodes.resize(std::size_t(n));
  ws.parent.assign(std::size_t(n), -1);
  ws.holder_area.assign(std::size_t(n), 0);
  ws.touched.clear();
  ws.candidates.clear();
  std::size_t evaluated = 0;  // candidates before this one have their growth
  for (std::vector<int>& d : ws.due) d.clear();
  ws.due.resize(256);
  const int neighbours[8] = {-W - 1, -W, -W + 1, -1, 1, W - 1, W, W + 1};
  const int holder_side = int(kHolderMinSide * float(std::min(W, H)));  // (holder_shaped's first test, in integers)
  for (int level = 0; level < 256; ++level) {
    ws.touched.clear();
    // Light regions' pixels are added lightest first: the levels turned over.
    const int stored = dark ? level : 255 - level;
    for (int k = ws.level_start[std::size_t(stored)]; k < ws.level_start[std::size_t(stored) + 1]; ++k) {
      const int p = ws.order[std::size_t(k)];
      const int x = p % W, y = p / W;
      ws.nodes[std::size_t(p)] = {1, 0, -1, x, y, x + 1, y + 1};
      ws.parent[std::size_t(p)] = p;
      const bool inside = x > 0 && y > 0 && x < W - 1 && y < H - 1;
      int root = p;
      // Joins the component of neighbour q to the root's (union by area; the larger
      // keeps its record of when it was last a candidate).
      const auto join = [&](int q) {
        const int other = find_root(ws.parent, q);
        if (other == root) return;
        Node& a = ws.nodes[std::size_t(root)];
        Node& b = ws.nodes[std::size_t(other)];
        const bool root_bigger = a.area >= b.area;
        Node& big = root_bigger ? a : b;  // (its records are kept)
        Node& small = root_bigger ? b : a;
        const int big_root = root_bigger ? root : other;
        ws.parent[std::size_t(root_bigger ? other : root)] = big_root;
        big.area += small.area;
        big.x0 = std::min(big.x0, small.x0), big.y0 = std::min(big.y0, small.y0);
        big.x1 = std::max(big.x1, small.x1), big.y1 = std::max(big.y1, small.y1);
        root = big_root;
      };
      for (int j = 0; j < 8; ++j) {
        if (!inside) {
          const int nx = x + (j == 0 || j == 3 || j == 5 ? -1 : j == 1 || j == 6 ? 0 : 1);
          const int ny = y + (j < 3 ? -1 : j < 5 ? 0 : 1);
          if (nx < 0 || ny < 0 || nx >= W || ny >= H) continue;
        }
        // (A neighbour whose parent is the root already is joined: most of them.)
        const int up = ws.parent[std::size_t(p + neighbours[j])];
        if (up >= 0 && up != root) join(p + neighbours[j]);
      }
      ws.touched.push_back(root);
    }
    // Each component changed at this level, once: a candidate when digit-shaped.
    for (int r : ws.touched) {
      r = find_root(ws.parent, r);
      Node& node = ws.nodes[std::size_t(r)];
      if (node.stamp == level) continue;
      node.stamp = level;
      const PixelBox b{node.x0, node.y0, node.x1 - node.x0, node.y1 - node.y0};
      const bool digit = float(node.area) >= kRecordGrowth * float(node.last_area) && digit_shaped(b, node.area, W, H);
      if (digit) node.last_area = node.area;
      // (A holder's record apart from a digit's, looked up only for a holder's shape: few are.)
      bool holder = false;
      if (b.w >= holder_side && b.h >= holder_side && holder_shaped(b, node.area, W, H)) {
        int& holder_area = ws.holder_area[std::size_t(r)];
        holder = float(node.area) >= kRecordGrowth * float(holder_area);
        if (holder) holder_area = node.area;
      }
      if (!digit && !holder) continue;
      for (const bool as_holder : {false, true}) {
        if (!(as_holder ? holder : digit)) continue;
        if (level + range < 256) ws.due[std::size_t(level + range)].push_back(int(ws.candidates.size()));
        ws.candidates.push_back({b, dark, level, r, node.area, 0.0f, false, as_holder});
      }
    }
    // The candidates kStableLevels below: how much they have grown since.
    for (; evaluated < ws.candidates.size() && ws.candidates[evaluated].level <= level - kStableLevels; ++evaluated) {
      Region& c = ws.candidates[evaluated];
      c.growth = float(area_of(ws, c.seed) - c.pixels) / float(c.pixels);
    }
    // ... and whether it keeps its shape over its range (its area grows with the level,
    // so under kRangeGrowth times at the range's end is under it at every level between).
    for (const int i : ws.due[std::size_t(level)]) {
      Region& c = ws.candidates[std::size_t(i)];
      c.stable = float(area_of(ws, c.seed)) <= kRangeGrowth * float(c.pixels);
    }
  }
  for (; evaluated < ws.candidates.size(); ++evaluated) {  // (the top levels: as grown as can be)
    Region& c = ws.candidates[evaluated];
    c.growth = float(area_of(ws, c.seed) - c.pixels) / float(c.pixels);
  }
}

bool more_stable(const Region& a, const Region& b) { return a.growth < b.growth || (a.growth == b.growth && a.seed < b.seed); }

// The most stable of `candidates` first into `chosen` (after its first `first`); of
// candidates over one place, that one; at most `most`.
void choose_places(const std::vector<Region>& candidates, std::vector<Region>& chosen, std::size_t first, std::size_t most) {
  for (const Region& c : candidates) {
    if (chosen.size() - first >= most) break;
    bool same_place = false;
    for (std::size_t i = first; i < chosen.size() && !same_place; ++i) same_place = box_iou(c.box, chosen[i].box) > kSamePlace;
    if (!same_place) chosen.push_back(c);
  }
}

// The digit-sized candidates of one polarity into `regions`; its holders into `holders`.
void choose_regions(RegionWorkspace& ws, std::vector<Region>& regions, std::vector<Region>* holders) {
  std::erase_if(ws.candidates, [](const Region& c) { return !c.stable; });
  if (holders)
    for (const Region& c : ws.candidates)
      if (c.holder) holders->push_back(c);
  std::erase_if(ws.candidates, [](const Region& c) { return c.holder; });
  std::sort(ws.candidates.begin(), ws.candidates.end(), more_stable);
  choose_places(ws.candidates, regions, regions.size(), std::size_t(kMaxRegions));
}

}  // namespace

void stable_regions(const GrayImage& page, RegionWorkspace& ws, std::vector<Region>& regions, std::vector<Region>* holders) {
  if (holders) holders->clear();
  const int W = page.width, H = page.height;
  const int n = W * H;
  if (W < 3 || H < 3) return;
  // (Over kMinContrast of grey at least: a blank sheet's noise, stretched over 256
  // levels, makes specks of every shape, none an edge.)
  const int range = std::max(kMinRange, int(std::ceil(kMinContrast / stretch_levels(page, ws))));
  // (A picture whose levels span less than kMinContrast has no region stable over it:
  // a blank sheet is done here.)
  if (range > 255) return;
  // The pixels by level, in raster order within one (a counting sort), for both
  // polarities: light ink takes the levels from the top.
  ws.level_start.assign(257, 0);
  for (int i = 0; i < n; ++i) ++ws.level_start[std::size_t(ws.levels[std::size_t(i)]) + 1];
  for (int l = 0; l < 256; ++l) ws.level_start[std::size_t(l) + 1] += ws.level_start[std::size_t(l)];
  ws.order.resize(std::size_t(n));
  ws.touched.assign(ws.level_start.begin(), ws.level_start.end() - 1);  // (each level's fill position, for now)
  for (int i = 0; i < n; ++i) ws.order[std::size_t(ws.touched[std::size_t(ws.levels[std::size_t(i)])]++)] = i;
  // (The holders of both polarities compete: a light sign's plate and the dark wall around it.)
  ws.holder_candidates.clear();
  for (const bool dark : {true, false}) {
    grow_components(W, H, dark, range, ws);
    choose_regions(ws, regions, holders ? &ws.holder_candidates : nullptr);
  }
  if (!holders) return;
  // (A total order: candidates of the two polarities may share a seed and a growth. And
  // std::sort, which needs no buffer of its own, where stable_sort would allocate one.)
  std::sort(ws.holder_candidates.begin(), ws.holder_candidates.end(), [](const Region& a, const Region& b) {
    return more_stable(a, b) || (!more_stable(b, a) && (a.dark > b.dark || (a.dark == b.dark && a.level < b.level)));
  });
  choose_places(ws.holder_candidates, *holders, 0, std::size_t(kHolderCandidates));
  ws.holder_candidates.clear();
}

int follows_on_line(const PixelBox& a, const PixelBox& b) {
  if (b.x + b.w <= a.x + a.w) return -1;
  const int shorter = std::min(a.h, b.h), taller = std::max(a.h, b.h);
  if (float(taller) > kLineHeights * float(shorter)) return -1;
  if (float(overlap(a.y, a.y + a.h, b.y, b.y + b.h)) < kLineRows * float(shorter)) return -1;
  if (float(overlap(a.x, a.x + a.w, b.x, b.x + b.w)) > kLineOverlap * float(std::min(a.w, b.w))) return -1;
  const int gap = std::max(0, b.x - (a.x + a.w));
  return float(gap) > kLineGap * float(taller) ? -1 : gap;
}

bool one_place(const PixelBox& a, const PixelBox& b) {
  return float(overlap(a.x, a.x + a.w, b.x, b.x + b.w)) >= kOnePlace * float(std::min(a.w, b.w)) &&
         float(overlap(a.y, a.y + a.h, b.y, b.y + b.h)) >= kOnePlace * float(std::min(a.h, b.h));
}

std::vector<std::vector<int>> region_lines(const std::vector<Region>& regions, const std::vector<int>& members) {
  std::vector<int> by_x = members;
  std::sort(by_x.begin(), by_x.end(), [&](int a, int b) {
    return regions[std::size_t(a)].box.x < regions[std::size_t(b)].box.x || (regions[std::size_t(a)].box.x == regions[std::size_t(b)].box.x && a < b);
  });
  std::vector<int> next(regions.size(), -1), has_previous(regions.size(), 0);
  for (int from : by_x) {
    int best = -1, best_gap = 0;
    for (int j : by_x) {
      const int gap = j == from ? -1 : follows_on_line(regions[std::size_t(from)].box, regions[std::size_t(j)].box);
      if (gap >= 0 && (best < 0 || gap < best_gap)) best = j, best_gap = gap;
    }
    next[std::size_t(from)] = best;
    if (best >= 0) has_previous[std::size_t(best)] = 1;
  }
  std::vector<std::vector<int>> lines;
  for (int start : by_x) {
    if (has_previous[std::size_t(start)]) continue;
    std::vector<int> line;
    for (int i = start; i >= 0 && line.size() < std::size_t(kMaxDigitsInLine) + 1; i = next[std::size_t(i)]) line.push_back(i);
    lines.push_back(std::move(line));
  }
  return lines;
}

void paint_region(const GrayImage& page, const Region& region, RegionWorkspace& ws, Plane& ink, float value) {
  const int W = page.width, H = page.height;
  if (ink.width != W || ink.height != H) {
    ink.resize(W, H);
    std::fill(ink.pixels.begin(), ink.pixels.end(), 0.0f);
  }
  // The region's pixels: those joined to its seed at its level or under (ws.levels
  // as stable_regions left them: the same page's).
  const PixelBox& b = region.box;
  const auto in_region = [&](int q) {
    const int level = region.dark ? int(ws.levels[std::size_t(q)]) : 255 - int(ws.levels[std::size_t(q)]);
    return level <= region.level && ink.pixels[std::size_t(q)] != value;  // (painted already: seen)
  };
  ws.stack.clear();
  if (!in_region(region.seed)) return;
  ws.stack.push_back(region.seed);
  ink.pixels[std::size_t(region.seed)] = value;
  while (!ws.stack.empty()) {
    const int p = ws.stack.back();
    ws.stack.pop_back();
    const int x = p % W, y = p / W;
    for (int dy = -1; dy <= 1; ++dy) {
      for (int dx = -1; dx <= 1; ++dx) {
        const int nx = x + dx, ny = y + dy;
        if (nx < b.x || ny < b.y || nx >= b.x + b.w || ny >= b.y + b.h) continue;
        const int q = ny * W + nx;
        if (!in_region(q)) continue;
        ink.pixels[std::size_t(q)] = value;
        ws.stack.push_back(q);
      }
    }
  }
}

float holder_picture(const GrayImage& page, const Region& holder, RegionWorkspace& ws, const GrayImage& image,
                     int factor, GrayImage& out, int& origin_x, int& origin_y) {
  const int W = page.width;
  const PixelBox& b = holder.box;
  // Each pixel of the holder's box: the holder's (its seed's component at its level,
  // 8-connected as in step 1), outside it (reached from the box's edge without crossing
  // it, 4-connected), or held (enclosed by it).
  constexpr std::uint8_t kHeld = 0, kHolder = 1, kOutside = 2;
  ws.hull.assign(std::size_t(b.w) * std::size_t(b.h), kHeld);
  const auto part = [&](int x, int y) -> std::uint8_t& {
    return ws.hull[std::size_t(y - b.y) * std::size_t(b.w) + std::size_t(x - b.x)];
  };
  const auto in_box = [&](int x, int y) { return x >= b.x && y >= b.y && x < b.x + b.w && y < b.y + b.h; };
  const auto holder_level = [&](int x, int y) {
    const int v = ws.levels[std::size_t(y) * std::size_t(W) + std::size_t(x)];
    return (holder.dark ? v : 255 - v) <= holder.level;
  };
  ws.stack.clear();
  const int sx = holder.seed % W, sy = holder.seed / W;
  if (in_box(sx, sy) && holder_level(sx, sy)) part(sx, sy) = kHolder, ws.stack.push_back(holder.seed);
  while (!ws.stack.empty()) {
    const int p = ws.stack.back();
    ws.stack.pop_back();
    const int x = p % W, y = p / W;
    for (int dy = -1; dy <= 1; ++dy)
      for (int dx = -1; dx <= 1; ++dx) {
        const int nx = x + dx, ny = y + dy;
        if (!in_box(nx, ny) || part(nx, ny) != kHeld || !holder_level(nx, ny)) continue;
        part(nx, ny) = kHolder;
        ws.stack.push_back(ny * W + nx);
      }
  }
  const auto reach = [&](int x, int y) {
    if (!in_box(x, y) || part(x, y) != kHeld) return;
    part(x, y) = kOutside;
    ws.stack.push_back(y * W + x);
  };
  for (int x = b.x; x < b.x + b.w; ++x) reach(x, b.y), reach(x, b.y + b.h - 1);
  for (int y = b.y; y < b.y + b.h; ++y) reach(b.x, y), reach(b.x + b.w - 1, y);
  while (!ws.stack.empty()) {
    const int p = ws.stack.back();
    ws.stack.pop_back();
    const int x = p % W, y = p / W;
    reach(x - 1, y), reach(x + 1, y), reach(x, y - 1), reach(x, y + 1);
  }
  // A holder that is most of what it encloses is the ground of what it holds (a plate, a
  // disc, a shirt): it stays, and the scene around it takes its level. A thinner one
  // is a frame (a box drawn around an answer, a sign's ring): only what it holds stays,
  // on the level of most of that (the paper inside the box).
  int holder_pixels = 0, held_pixels = 0;
  for (const std::uint8_t p : ws.hull) holder_pixels += p == kHolder, held_pixels += p == kHeld;
  const bool frame = holder_pixels < held_pixels;
  const std::uint8_t kept_from = frame ? kHeld : kHolder;  // the parts kept are those up to this one
  ws.scratch.clear();
  for (int y = b.y; y < b.y + b.h; ++y)
    for (int x = b.x; x < b.x + b.w; ++x)
      if (part(x, y) == (frame ? kHeld : kHolder)) ws.scratch.push_back(page.pixels[std::size_t(y) * std::size_t(W) + std::size_t(x)]);
  float ground = 0.5f;
  if (!ws.scratch.empty()) {
    const auto mid = ws.scratch.begin() + long(ws.scratch.size() / 2);
    std::nth_element(ws.scratch.begin(), mid, ws.scratch.end());
    ground = *mid;
  }
  const int margin = std::max(2, int(kHolderMargin * float(std::max(b.w, b.h) * factor)));
  origin_x = b.x * factor - margin, origin_y = b.y * factor - margin;
  out.width = b.w * factor + 2 * margin, out.height = b.h * factor + 2 * margin;
  out.scale = image.scale;
  out.had_alpha = false;
  out.pixels.resize(std::size_t(out.width) * std::size_t(out.height));
  for (int y = 0; y < out.height; ++y) {
    const int iy = origin_y + y;
    float* row = &out.pixels[std::size_t(y) * std::size_t(out.width)];
    for (int x = 0; x < out.width; ++x) {
      const int ix = origin_x + x;
      const bool on_image = ix >= 0 && iy >= 0 && ix < image.width && iy < image.height;
      const bool kept = on_image && in_box(ix / factor, iy / factor) && part(ix / factor, iy / factor) <= kept_from;
      row[x] = kept ? image.at(ix, iy) : ground;
    }
  }
  return holder_pixels + held_pixels > 0 ? float(held_pixels) / float(holder_pixels + held_pixels) : 0.0f;
}

}  // namespace blnk::data
