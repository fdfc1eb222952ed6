// Stable regions: the reader's second way to find digits, for the pictures where
// find_digits.h finds none that reads (docs/predict.md, "Digits as regions"). There a
// digit is the strongest thin structure; here it is a region of the picture darker
// (or lighter) than everything around it whose outline barely moves when the
// threshold does: a light digit in a meter's dark window, a game's red score on its
// black screen, a digit on a card of its own colour, a candle lit from one side.
//
// Pipeline, for each polarity (each step below):
//  1. stable_regions: the picture's levels are stretched over 0-255 and its pixels
//     added darkest first (lightest first for light ink), joined to their added
//     neighbours (the component tree of its thresholds); each component of a digit's
//     size and shape, off the border, is a candidate at the levels it grows at, kept
//     when stable there: under 1.5 times its area 16 levels on, and 0.03 of grey
//     on (a print's edge is sharp; a soft shade keeps growing, a blank sheet's
//     stretched noise is no edge); of candidates covering the same place
//     (their boxes overlapping by half) the one that grows least over the next 8
//     levels is kept;
//  2. region_lines: the regions the reader kept (those that read as digits, one a
//     place), left to right, chained to the next one on their row (sharing most of
//     its rows, as tall, no farther than a digit's height): each chain is a line of
//     digits, from a single region to kMaxDigitsInLine;
//  3. paint_region: a region's own pixels as ink (1) on nothing (0), so that the
//     digit cut out of it holds no piece of its window, card or neighbours.
//  4. holders: where no line of regions reads, the regions big enough to hold a digit
//     (at least 12% of the shorter side each way, off the border, under 80% of the
//     picture: a sign's plate or disc, a shirt, a mug, a box drawn around an answer or
//     the paper inside it), stable as in step 1; holder_picture makes what one holds a
//     picture of its own, which the reader reads as it reads any picture: the frame,
//     the plate's edge, the scene are no longer in it.
// The reader reads each chain's regions and lets the model judge which run of them
// is the number (reader/model_classifier.cpp).
#pragma once

#include <cstdint>
#include <vector>

#include "data/image.h"
#include "data/preprocess.h"

namespace blnk::data {

struct Region {
  PixelBox box;
  bool dark = true;   // darker than around it (else lighter)
  int level = 0;      // its threshold, of the stretched levels 0-255 (inverted for light regions)
  int seed = 0;       // one of its pixels (y * width + x)
  int pixels = 0;
  float growth = 0;   // its area's growth over the next kStableLevels levels, as a share of it
  bool stable = false;  // it keeps its shape over its range (see step 1)
  bool holder = false;  // a holder's size and shape (step 4), not a digit's
};

struct RegionWorkspace {
  std::vector<std::uint8_t> levels;        // each pixel's stretched level
  std::vector<int> order, level_start;     // the pixels sorted by level, where each level starts
  // The union-find over pixels: each one's parent (-1 until added; looked at for
  // every neighbour of every pixel, so on its own, 4 bytes a pixel), and a root's record.
  std::vector<int> parent;
  struct Node {
    int area;       // a root's pixels...
    int last_area;  // ... when it was last a candidate
    int stamp;      // the level it last changed at
    int x0, y0, x1, y1;  // its box (x1, y1 past the end)
  };
  std::vector<Node> nodes;
  // A root's area when it was last a holder's candidate (step 4), by pixel: apart from
  // its record in nodes, which the joins read and a larger record slows.
  std::vector<int> holder_area;
  std::vector<int> touched;                // the roots changed at a level
  std::vector<std::vector<int>> due;       // by level: the candidates whose stability is known there
  std::vector<Region> candidates;          // step 1, before and after the choice
  std::vector<Region> holder_candidates;   // step 4's, of both polarities
  std::vector<float> scratch;
  std::vector<int> stack;                  // paint_region's flood
  std::vector<std::uint8_t> hull;          // holder_picture: the holder's box, each pixel's part
};

// Step 1: the stable regions of `page`, the dark ones (at most 256) then the
// light ones, appended to `regions`. (The levels and their order are the same for
// both polarities: computed once.)
// With `holders`, the most stable holders of both polarities (at most 8,
// one a place) are given there, most stable first.
void stable_regions(const GrayImage& page, RegionWorkspace& ws, std::vector<Region>& regions,
                    std::vector<Region>* holders = nullptr);
// Step 2: chains of `members` (indices into `regions`), each left to right, each
// region followed by the nearest that follows it on its line (follows_on_line), of
// either polarity (a meter's last digit is light in a red window, the others dark).
std::vector<std::vector<int>> region_lines(const std::vector<Region>& regions, const std::vector<int>& members);
// The gap from box a to box b when b follows a on a line of digits (b to the right,
// sharing most of its rows, as tall, overlapping few of its columns, no farther away
// than the taller's height); -1 when it does not.
int follows_on_line(const PixelBox& a, const PixelBox& b);
// Two boxes over one digit's place (a digit found at two levels, or in its window):
// sharing half the narrower's columns and half the shorter's rows.
bool one_place(const PixelBox& a, const PixelBox& b);
// Step 3, after stable_regions on the same page: `ink` (page-sized, all 0 outside
// what was painted; made so when of another size) gets `value` on the region's
// pixels; painting them 0 takes them away again.
void paint_region(const GrayImage& page, const Region& region, RegionWorkspace& ws, Plane& ink, float value = 1.0f);

inline constexpr int kMaxHolders = 3;  // the holders the reader reads at most (of the 8 it is given)
// Step 4, after stable_regions on the same page: what `holder` holds, cut out of
// `image` (the picture `page` was shrunk from, `factor` of its pixels a page pixel)
// with a margin of a tenth of its size into `out`. A holder that is most of what it
// encloses (a plate) is kept with what it holds, on its own median level all around;
// a thinner one (a frame) is taken away too, what it holds kept on that part's median
// level (the paper inside a drawn box). `origin_x`, `origin_y`: where out's first pixel
// is in image's pixels (negative in the margin). Returns the share of the enclosed
// area that is not the holder (what it holds; 0: a plain card).
float holder_picture(const GrayImage& page, const Region& holder, RegionWorkspace& ws, const GrayImage& image,
                     int factor, GrayImage& out, int& origin_x, int& origin_y);

}  // namespace blnk::data
