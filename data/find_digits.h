// Find, then read: where are the digits in a whole picture? The first stage of
// the reader (reader/model_classifier.cpp); each digit found is then cut out of
// the picture and made into a 28x28 MNIST digit by preprocess_digit
// (data/preprocess.h), which sees only its digit and the paper around it.
//
// Pipeline, for dark ink and for light ink alike (each step below):
//  0. with a margin (the reader's second look at a picture cropped close to its
//     ink): the picture framed in that much paper (pad_with_paper), so that
//     digits touching its border are not taken for the desk beyond a paper's
//     edge, nor a stroke as long as the picture for a rule;
//  1. thin_ink: ink is thin, so the top-hat (closing minus the picture for
//     dark ink, the picture minus its opening for light ink, by a square of a
//     fifth of the shorter side) keeps strokes and drops what is broad: the
//     paper's shading, the desk beyond the paper's edge, a shadow, a wall;
//  2. ink_threshold: the strokes are the strongest thin structures: a share
//     of the strongest top-hat values, never under a minimum contrast;
//  3. erase_rules: runs of stroke pixels across most of a row, or of a column
//     on ruled or squared paper (else across nearly all of it: a number's 1
//     cropped close spans most of a column) are erased, so a digit written across a line
//     stands on its own; erase_form_lines: a form's printed lines too (thin,
//     longer than a digit is tall) and the thin walls and ticks down from
//     them; then label_marks: 8-connected components of what passes (the marks), each
//     with its box, mass and whether it touches the picture's border; and
//     drop_form_remnants: thin marks left touching the printing are its too;
//     erase_crossing_lines: a long thin straight line at any angle that runs
//     through a mark set aside below (touching the border, or across the
//     picture) and past the rest of it at both ends (a photocopier's streak, a
//     road's line, a rule at a slant across a digit) is erased, and the marks
//     labelled again: the digit it crossed stands on its own;
//  4. keep_digit_marks: drops marks that are not parts of a digit: specks
//     (under kMinDigitShare of the shorter side), rules and edges (a line
//     across 60% of the picture, 8 times longer than thick: ruled or squared
//     paper, a paper's edge, a board's frame; upright and off the border, or at
//     a slant measured along its own axis, only when also far longer than any
//     other mark is tall: a plain 1 is as long as its number's digits), marks touching
//     the border or spreading over most of the picture (a desk, a brick wall),
//     and frames (a mark whose box holds a digit-sized mark, or two smaller
//     ones, and is largely empty: a plaque's border, a jar's outline); then
//     drop_barcodes: ten or more upright bars side by side are a barcode;
//  5. group_digits: marks stacked along x with little between them, in the same
//     ink (faint or strong), are one digit (a broken stroke, a 5's flag) when together they keep a digit's
//     shape (a tag's band above its number does not), as is a mark inside another's box;
//     faint groups, whose mean is barely over the threshold (a board's frame,
//     an envelope's edge: no ink's stroke), or under half the strongest digit's
//     (other ink: a streak beside a digit), are set aside; groups much smaller
//     than the tallest are specks; and once more with join_close_marks first
//     (marks within a stroke's width joined when no wider than tall together: a
//     print's or a stencil's broken strokes), the line so found (`joined`) the
//     reader's other candidate;
//  6. the line: the digits sharing rows with the tallest, or with a digit-sized
//     group already in the line (a number written at a slant), are the line,
//     left to right; a digit-sized group on other rows makes a second line. When
//     another row holds more digit-sized groups (a number beside a stamp as
//     tall as its digits), it is given too, for the reader to judge.
//  7. the line's pieces: the marks on its rows, each as found (and, for a row of
//     bars, on the rows of bars above and below: a segment display), for the reader
//     to group into digits as the reading agrees (line_pieces).
//  When no digit is found and a mark over most of the picture was set aside
//  (squared paper's grid, which joins the strokes crossing it into itself), the
//  top-hat under its lines' level is taken away (look_over_texture) and steps
//  3-6 run again.
// Output: the digits' boxes in the searched picture's pixels. The reader reads
// each and lets the model judge where a step had to guess (which polarity).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/image.h"
#include "data/morphology.h"
#include "data/preprocess.h"

namespace blnk::data {

// The shorter side a picture is searched at, at least: the smallest digit
// promised (5% of the height) keeps about 18 pixels there, and a 4000x3000
// JPEG is decoded at 1/8 for it (375 pixels).
inline constexpr int kFindSide = 360;
inline constexpr int kMaxDigitsInLine = 12;
inline constexpr int kMaxPieces = 4 * kMaxDigitsInLine;  // FoundDigits::pieces: more is text or texture
// Shared by the steps of find_digits.cpp and find_lines.cpp:
inline constexpr float kEdgeSpan = 0.6f;  // a mark across 60% of the picture's width or height is set aside (an edge, a rule)
inline constexpr int kMinDigitPixels = 4;  // no digit is smaller, whatever the picture's size
// The box around both; how far [a0, a1) and [b0, b1) overlap (0 when apart).
PixelBox united(const PixelBox& a, const PixelBox& b);
int overlap(int a0, int a1, int b0, int b1);

struct Mark {
  PixelBox box;
  float mass = 0;      // sum of the top-hat over its pixels
  int pixels = 0;
  bool touches_border = false;
  // Sums of x, y, x*x, y*y and x*y over its pixels: its second moments, for how
  // much longer than thick it is along its own axis (a slanted edge's box is not thin).
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  // Its length over its thickness along its principal axes (1 for a dot or a ring).
  float elongation() const;
  int label = -1;  // its pixels' value in FindWorkspace::labels
};

struct FoundDigits {
  bool ink_dark = true;
  std::vector<PixelBox> digits;  // left to right, in the searched picture's pixels
  int lines = 0;                 // rows of digit-sized groups (0: none found)
  std::vector<PixelBox> off_line;  // the digit-sized groups of the other rows (words, more digits)
  // With several rows, when another row holds more digit-sized groups than the
  // tallest's: that row, and the groups off it (else both empty).
  std::vector<PixelBox> fullest_row, fullest_row_off_line;
  float contrast = 0;            // the stroke threshold's top-hat level
  // The line again with marks within a stroke's width of each other joined when
  // together they keep a digit's shape (a print's or a stencil's broken strokes, a
  // digit in dots): the reader's other candidate (empty when the same as digits).
  std::vector<PixelBox> joined;
  // The marks on the line's rows, each as it was found (a segment display's bars, a
  // stencil's pieces, tape strips), left to right by their centres, for the reader to
  // group as the reading agrees (empty with a frame of paper, or with fewer than two
  // or over kMaxPieces).
  std::vector<Mark> pieces;
  std::string dropped;           // what was set aside, in a few words (for the debug view)
  int border_marks = 0;          // marks set aside for touching the border: was the picture cropped close?
  std::vector<PixelBox> border_boxes;  // their boxes (a desk's edge, or a close crop's digit)
};

struct LineRun {  // one row of a printed line (erase_form_lines)
  int y = 0, x0 = 0, x1 = 0, thick = 0;
};

struct InkRun {  // a row's run of stroke pixels (label_marks)
  int y = 0, x0 = 0, x1 = 0;
};

struct FindWorkspace {
  GrayImage padded;  // step 0's framed picture
  Plane tophat, closed;
  MorphologyScratch morphology;
  std::vector<float> scratch;
  std::vector<InkRun> ink_runs;
  std::vector<int> labels, parents;  // labels: each pixel's mark (-1: none); parents: over ink_runs
  std::vector<Mark> marks;
  std::vector<int> order;
  // erase_form_lines: the ink's runs down and across each pixel, the picture without
  // its thin runs, the lines' rows, what is on a line (1: a line's row, 2: a wall or
  // a tick down from it), what lies near a line, which marks are what is left of
  // the printing.
  std::vector<int> tall, wide, extents;
  Plane unlined;
  std::vector<LineRun> line_runs;
  std::vector<std::uint8_t> on_line, near_line, remnant;
  int line_thickest = 0;  // the thickest line erased (0: none)
  // erase_crossing_lines: a mark's thin pixels (x, y pairs), the line votes.
  std::vector<int> line_points;
  std::vector<int> votes;
  std::vector<std::size_t> bars;  // drop_barcodes: the marks that may be bars, those in a barcode, by label
  std::vector<std::uint8_t> in_code, bar_labels;
  std::vector<int> frames;              // keep_digit_marks: the frames' labels...
  std::vector<std::uint8_t> is_frame;   // ... and by label (erase_frames)
};

// Steps 1-6 for ink of one polarity in `page` (any size; kFindSide is what
// the reader shrinks photos to). With a margin, step 0 first; the digits' boxes,
// the marks and ws.tophat are given back in `page`'s pixels all the same.
FoundDigits find_digits(const GrayImage& page, bool ink_dark, FindWorkspace& ws, int margin = 0);

// --- The steps ---------------------------------------------------------------
// `page` framed in `margin` pixels of its paper's level (a high percentile of its
// pixels for dark ink, a low one for light ink) into `out`.
void pad_with_paper(const GrayImage& page, bool ink_dark, int margin, GrayImage& out, std::vector<float>& scratch);
void thin_ink(const GrayImage& page, bool ink_dark, FindWorkspace& ws);  // into ws.tophat
float ink_threshold(const Plane& tophat, std::vector<float>& scratch);
void erase_rules(Plane& tophat, float threshold);
// A form's printed lines: thin horizontal runs longer than the tallest mark without
// them (a field's underline, a box's or comb's edges) and the thin strokes down from
// them no thicker than they (a comb's walls, ticks); a digit crossing a line keeps
// its stroke there. Returns how many lines were erased.
int erase_form_lines(Plane& tophat, float threshold, FindWorkspace& ws);
// After label_marks: the marks left touching an erased line and no thicker than the
// lines (a frame's slanted side, a wall's stub) are the printing's too: erased and
// dropped from ws.marks.
void drop_form_remnants(Plane& tophat, FindWorkspace& ws);
void label_marks(const Plane& tophat, float threshold, FindWorkspace& ws);  // into ws.marks
// After label_marks: in each mark that touches the border or spans 60% of the
// picture, the long thin straight lines (found by their thin pixels' votes over
// angles) that run past the rest of the mark at both ends are erased from `tophat`.
// Returns how many; the caller labels the marks again when any was.
int erase_crossing_lines(Plane& tophat, float threshold, FindWorkspace& ws);
// Returns how many marks were set aside for touching the border (their boxes into
// `border_boxes` when given); `wall` (when given) gets the label of the largest mark
// spread over most of the picture, or -1; `frames` (when given) the frames' labels.
int keep_digit_marks(std::vector<Mark>& marks, int width, int height, std::string& dropped, int* wall = nullptr,
                     std::vector<PixelBox>* border_boxes = nullptr, std::vector<int>* frames = nullptr);
// The frames keep_digit_marks set aside (ws.frames, labels of ws.labels) taken out of
// ws.tophat: a digit cut out near its box must not take a piece of the box with it.
void erase_frames(FindWorkspace& ws);
// After keep_digit_marks: 10 or more bars side by side (marks 4 times longer than
// thick, upright, each close to the last, sharing its rows, as tall) are a barcode:
// erased from `tophat` and dropped from ws.marks. Returns how many barcodes.
int drop_barcodes(Plane& tophat, FindWorkspace& ws);
// Squared paper or a tiled wall: its lines join every stroke that crosses them into
// one mark over the picture (`wall`, a label of ws.labels). Sets to 0 every top-hat
// value under kOverTexture times the median of that mark's (a pen's strokes are
// stronger than the printed lines), so that the marks can be looked for again.
// False, changing nothing, when the mark is no texture (under kTextureRuns runs a
// row: a glyph filling a close crop spreads over the picture too).
bool look_over_texture(Plane& tophat, int wall, FindWorkspace& ws);
// Groups under kFaintInk thresholds of mean top-hat are dropped (counted in `faint`).
// A line of digits at a slant (a ticket lying askew): the angle of the line through
// the digits' centres, least squares, in radians (0 for fewer than 3 digits); the
// page turned by an angle about its centre (bilinear, the edges' pixels carried on);
// and a box of the turned page back in the page's pixels (the box around it).
float line_angle(const std::vector<PixelBox>& digits);
void turn_page(const GrayImage& page, float radians, GrayImage& turned);
PixelBox turned_back(const PixelBox& box, float radians, int width, int height);

// Marks whose pixels come within a stroke's width of each other (the median run of
// their rows), joined when together no wider than tall: after keep_digit_marks, whose
// marks keep their labels in ws.labels.
std::vector<Mark> join_close_marks(const std::vector<Mark>& marks, const FindWorkspace& ws, int width, int height);
std::vector<PixelBox> group_digits(const std::vector<Mark>& marks, float threshold, int& faint);
// The marks whose centres lie on the rows of `line` (the digits found), in strong ink
// and no taller nor wider than those rows are high, left to right by their centres
// (FoundDigits::pieces). When every group of the line is a bar, the rows grow by the
// marks within two strokes' width above or below (a display's rows of bars), up to
// five times the line's tallest group.
std::vector<Mark> line_pieces(const std::vector<Mark>& marks, const std::vector<PixelBox>& line, float threshold);
// A digit written touching its box (a form's row of separate boxes, a tile's border):
// when `box` is at least kBoxMinAspect as wide as tall (a digit is narrower) and the ink
// over `threshold` in it has four straight sides near its edges (rows and columns at
// least kBoxSideCover covered, starting within a fifth of the box from its edge, no
// thicker than a tenth of it), `out` gets `tophat` with those sides and a pixel around
// them set to 0 (what the digit has beyond them stays). False, `out` untouched, when
// there are no such four sides. The reader's other reading of a digit that reads badly.
bool erase_box_sides(const Plane& tophat, const PixelBox& box, float threshold, Plane& out);
// Touching digits: the column of `box` (in its middle half) with the fewest
// stroke pixels of `tophat`, when it has under half the box's median column;
// -1 when no column stands out so. The reader splits there when both sides
// read better than the whole (reader/model_classifier.cpp).
int split_column(const Plane& tophat, float threshold, const PixelBox& box);
// The groups on the tallest one's row, grown from neighbour to neighbour (fullest_row: on the row with the most
// digit-sized groups, the tallest's among rows as full), left to right; `lines`
// counts rows of digit-sized groups, and `off_line` gets those of the other rows.
std::vector<PixelBox> digits_in_line(const std::vector<PixelBox>& groups, int& lines, std::vector<PixelBox>& off_line,
                                     bool fullest_row = false);

}  // namespace blnk::data
