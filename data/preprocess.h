// Preprocessing: turn a decoded photo or drawing of one digit into a 28x28
// image that looks like an MNIST digit, made the way MNIST was made.
//
// Pipeline (each step is a function below, with its own test):
//  1. ink_polarity (data/polarity.h): a smooth paper surface fitted
//     robustly (border ring first, then the whole image) is the background;
//     ink departs from it and is thin (top-hats), darker or lighter;
//  2. estimate_background: a smooth background from per-tile levels (bilinear
//     between tile centres), so gradients and vignetting go away;
//  3. ink_signal + remove_banding: ink = how far each pixel departs from the
//     background towards the ink side (relative to the paper's brightness for
//     dark ink), minus the offset of its row and column (streaks; with
//     streaks_only, only of bands as narrow as a streak), clamped at 0; gives
//     the noise level of the paper;
//  4. ink_levels / apply_levels: Otsu's threshold on the ink signal finds the
//     strokes; the noise floor maps to 0 and the stroke core (a high percentile
//     of the stroke pixels) to 1, with a linear ramp between, so anti-aliased
//     edges stay soft (no hard binarization);
//  5. find_digit_box: 8-connected components of the strong ink (>= 0.3);
//     the digit grows from the largest: components with at least
//     speck_fraction of its mass whose box is near the digit's so far (a
//     broken stroke), or far but with a quarter of its mass; the rest are
//     dropped: specks, dust, a speck beside a small thin digit, and lines at
//     most 2 pixels thick touching the image border (streaks, paper edges);
//     ink further than 2 pixels from every kept component (noise, faint
//     trails) is erased, the anti-aliased fringe within 2 pixels is kept; the
//     bounding box of what remains is the digit;
//  6. thicken_thin_strokes: a fine pen's strokes, thinner than MNIST's at
//     the digit's final size, are thickened (grey dilation);
//     fit_to_box: scale the box to fit 20x20 keeping its aspect ratio, area
//     averaging (exact box filter) when shrinking, bilinear when enlarging;
//  7. place_by_center_of_mass: put the 20x20 into the 28x28 field shifted by a
//     whole number of pixels so its centre of mass lands at (14, 14) in pixel
//     index coordinates, as in MNIST (whose test images all have their centre
//     of mass in [13.5, 14.5) on both axes).
// Output: white (1) digit on black (0), pixels in [0,1] like MNIST/255.
// An image with no ink (blank, uniform, noise only) gives found == false.
//
// Re-entrant: no globals; a PreprocessWorkspace holds every buffer and can be
// reused across calls (one per thread) so steady-state calls do not allocate.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/morphology.h"
#include "data/polarity.h"

namespace blnk::data {

inline constexpr int kDigitSide = 28;                      // MNIST field
inline constexpr int kDigitPixels = kDigitSide * kDigitSide;
inline constexpr int kDigitBox = 20;                       // the digit's box inside it
inline constexpr float kDigitCenter = 14.0f;               // centre of mass target (pixel index)

enum class InkPolarity { automatic, dark, light };

struct PreprocessOptions {
  // Dark ink on light paper or light on dark: decided by ink_polarity, or given.
  InkPolarity polarity = InkPolarity::automatic;
  // Larger images are first shrunk (area average) by the whole factor that
  // brings their longer side nearest to this: speed, and a digit filling a
  // good part of the photo keeps more than the 20 pixels it ends at (was 96
  // until the digit gate joined the reading: 64 reads the stress suite as
  // well and pays for the gate). A digit under 1/4 of a large photo gets
  // softer; 0 disables shrinking.
  int working_side = 64;
  // Tiles for the background estimate: about this many across the longer side,
  // each at least kMinTile pixels.
  int tiles_across = 8;
  int min_tile = 6;
  // Paper-side percentile of each tile taken as its background level (0.75:
  // the 75th percentile of brightness for dark ink, the 25th for light ink).
  float background_percentile = 0.75f;
  // Noise floor = this many robust standard deviations of the residual.
  float noise_sigmas = 3.0f;
  // Stroke core level = this percentile of the stroke pixels' ink signal.
  float core_percentile = 0.9f;
  // Components lighter than this fraction of the largest are specks.
  float speck_fraction = 0.05f;
  // No digit when the contrast of the strokes over the background is below
  // this (in [0,1] gray levels), or when they cover fewer than min_ink_pixels.
  float min_contrast = 0.08f;
  float min_contrast_sigmas = 6.0f;  // ... or below this many noise deviations
  int min_ink_pixels = 4;
  // Streak removal (step 3) takes off only the offsets of bands of rows or columns
  // at most kMaxStreakRows wide: the reader's second look at a picture whose first
  // reading is not decisive, where a soft, thick digit cropped close covers whole
  // rows with its strokes and the first look hollowed them out.
  bool streaks_only = false;
};

struct Preprocessed {
  bool found = false;
  std::string reason;                     // when !found: why not
  std::array<float, kDigitPixels> pixels{};  // (28, 28), 0 = background, ~1 = stroke core
  bool inverted = false;                  // the input was dark ink on a light background
  bool polarity_sure = true;              // false: the other polarity is as plausible (see Polarity::sure)
  int box_x = 0, box_y = 0, box_w = 0, box_h = 0;  // the digit's box in the input
  float contrast = 0;                     // stroke core minus background, gray levels
  float border_ink = 0;                   // share of the working picture's outermost pixels that are strong ink

  std::array<std::uint8_t, kDigitPixels> to_u8() const;  // 0..255, as MNIST
};

// A plane of floats; the steps pass these between them.
struct Plane {
  int width = 0, height = 0;
  std::vector<float> pixels;  // (height, width)
  void resize(int w, int h) {
    width = w;
    height = h;
    pixels.resize(static_cast<std::size_t>(w) * h);
  }
  float& at(int x, int y) { return pixels[static_cast<std::size_t>(y) * width + x]; }
  float at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

struct PixelBox {
  int x = 0, y = 0, w = 0, h = 0;
  bool empty() const { return w <= 0 || h <= 0; }
};

struct InkLevels {
  float threshold = 0;  // Otsu threshold of the ink signal
  float floor = 0;      // maps to 0
  float core = 0;       // maps to 1
};

// Buffers reused across calls. Not shared between threads.
struct PreprocessWorkspace {
  GrayImage small;  // the input shrunk to the working size
  Plane background, ink, box;
  GrayImage polarity_image;  // ink_polarity's input, shrunk
  Plane closing, opening;    // ink_polarity's closing and opening (the top-hats)
  MorphologyScratch morphology;  // their intermediate planes and running extremes
  std::vector<float> line;
  std::vector<float> tile_levels, tile_spread;
  std::vector<float> scratch;
  std::vector<float> samples;  // (count, 3): u, v, gray of the paper surface fit
  std::vector<int> labels;
  std::vector<int> parents;
  std::vector<float> masses;
  std::vector<int> bounds;
  std::vector<std::uint8_t> kept;
  std::vector<std::uint8_t> mask;
  std::vector<float> offsets;  // remove_banding's streaks_only: (2, rows or columns) offsets opened and closed
};

// How small the decoder may make the image (a JPEG is decoded in the DCT at
// 1/2, 1/4 or 1/8) without changing what this pipeline sees: the shorter side
// stays at least kDecodeSidePerWorkingSide working sides, so the working image
// is still an area average of many decoded pixels, as from the full decode.
inline constexpr int kDecodeSidePerWorkingSide = 4;
DecodeTarget preprocess_decode_target(const PreprocessOptions& opt = {});

Preprocessed preprocess_digit(const GrayImage& image, PreprocessWorkspace& ws, const PreprocessOptions& opt = {});
Preprocessed preprocess_digit(const GrayImage& image, const PreprocessOptions& opt = {});

// --- The steps ---------------------------------------------------------------
// The whole factor the image is shrunk by first: round(longer side /
// working_side), at least 1 (1: not shrunk; working_side 0: always 1).
int working_factor(int width, int height, int working_side);
// Area average over factor x factor blocks (a partial last row/column is dropped).
void shrink_by(const GrayImage& image, int factor, GrayImage& out);
// ink_polarity (step 1) and fit_paper_surface, its paper surface: data/polarity.h.
// Background level per pixel from per-tile levels on the paper side
// (background_percentile of each tile's brightness when the paper is light,
// 1 - that when it is dark), then the paper-side extreme over each tile's 3x3
// neighbourhood, so a tile covered by a thick stroke is not taken for paper;
// bilinear between tile centres.
void estimate_background(const GrayImage& image, bool paper_light, const PreprocessOptions& opt,
                         PreprocessWorkspace& ws, Plane& background);
// One background level for the whole image, when ink meets the border and
// little paper shows: the mean of the paper's tone (Otsu's split of the
// histogram: the light class for dark ink, the dark class for light ink).
void estimate_flat_background(const GrayImage& image, bool ink_dark, Plane& background);
// Signed ink signal (positive = ink, near 0 or negative = paper): for dark ink
// (background - gray) / background, the share of the paper's light the ink
// absorbs, so dim and bright parts of an unevenly lit page give the same
// stroke; for light ink (emitted or chalk-like) gray - background.
void ink_signal(const GrayImage& image, const Plane& background, bool ink_dark, Plane& ink);
// Removes row and column banding (scanner streaks, uneven rows of light): the
// 25th percentile of each row's signal, then of each column's, is its offset,
// subtracted when faint (under half the ink's level, or under 0.2: a streak
// covers its whole row); a strong offset is a stroke across the row (a digit
// filling the frame) and stays. With `streaks_only`, only what stands above (or
// below) the offsets of the rows within kMaxStreakRows / 2 on either side comes
// off (a 1-D top-hat of the offsets): a streak, not a broad band (a thick stroke
// across the rows, or a band of light). Then returns the robust standard deviation of the paper (1.4826 * the
// median absolute signal over pixels away from the strokes: below half Otsu's
// threshold, dilated by one pixel) and clamps the signal at 0.
inline constexpr int kMaxStreakRows = 5;
float remove_banding(Plane& ink, PreprocessWorkspace& ws, bool streaks_only = false);
// Threshold, floor and core of an ink signal; `noise_sigma` is the robust
// standard deviation of the background. Uses ws.scratch.
InkLevels ink_levels(const Plane& ink, float noise_sigma, const PreprocessOptions& opt, PreprocessWorkspace& ws);
// ink = clamp((ink - floor) / (core - floor), 0, 1)
void apply_levels(Plane& ink, const InkLevels& levels);
// Erases specks, streaks and stray faint ink from `ink` and returns the box of
// what remains (empty if none). Uses ws.labels, parents, masses, bounds, mask.
PixelBox find_digit_box(Plane& ink, float speck_fraction, PreprocessWorkspace& ws);
// The strokes' mean width in pixels inside the box: area over half the outline
// of the ink at 0.5 or more.
float stroke_width(const Plane& ink, const PixelBox& box);
// A digit drawn with a fine pen (strokes under 1 pixel once the box is
// scaled to 20x20, as MNIST's never are) is thickened by a grey dilation until
// they are; returns the box grown by the dilation. Others are left alone.
PixelBox thicken_thin_strokes(Plane& ink, const PixelBox& box, std::vector<float>& scratch);
// The box of `ink` scaled to fit kDigitBox x kDigitBox keeping the aspect
// ratio; `scratch` holds the intermediate rows.
void fit_to_box(const Plane& ink, const PixelBox& box, Plane& out, std::vector<float>& scratch);
// `digit` (at most kDigitBox on each side) into the 28x28 field by its centre of mass.
void place_by_center_of_mass(const Plane& digit, std::array<float, kDigitPixels>& field);

// A mark inside the hole of the main stroke in `box` of the working ink plane (a
// saucer's rim round a digit poured in a cup, a ring drawn round an answer): a part of
// the strong ink other than the largest that cannot reach the box's edge without
// crossing the largest, at least kMinInnerMark pixels and kInnerMarkShare of the
// enclosed rows tall (a dotted zero's dot is smaller). No digit holds ink in its own
// loops. Uses ws.labels, ws.parents, ws.bounds, ws.kept and ws.mask as scratch.
inline constexpr float kInnerMarkShare = 0.4f;
inline constexpr int kMinInnerMark = 4;
bool mark_inside_hole(const Plane& ink, const PixelBox& box, PreprocessWorkspace& ws);

}  // namespace blnk::data
