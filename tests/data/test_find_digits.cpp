// The find stage (data/find_digits.h): where the digits are in a whole picture.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "data/find_digits.h"
#include "data_test_util.h"
#include "segment_display.h"

using namespace blnk::data;
using namespace blnk::data::test;

namespace {

// A ring (a "0") of height h centred at (cx, cy) into `cov`.
void add_ring(std::vector<float>& cov, int w, int ht, float cx, float cy, float h) {
  const std::vector<float> ring = draw_ring(w, ht, cx, cy, 0.35f * h, 0.5f * h, 0.12f * h);
  for (std::size_t i = 0; i < cov.size(); ++i) cov[i] = std::max(cov[i], ring[i]);
}

bool near(int a, int b, int slack) { return std::abs(a - b) <= slack; }

// The box holds the ring drawn at (cx, cy) of height h, give or take a few pixels.
void check_ring_box(const PixelBox& b, float cx, float cy, float h) {
  CHECK(near(b.x, int(cx - 0.35f * h), 3));
  CHECK(near(b.x + b.w, int(cx + 0.35f * h), 3));
  CHECK(near(b.y, int(cy - 0.5f * h), 3));
  CHECK(near(b.y + b.h, int(cy + 0.5f * h), 3));
}

// Dark ink `cov` on paper: the one digit found is the ring drawn at (cx, cy) of height
// size, on one line, and the search says it set aside what `dropped_as` says.
void check_ring_alone(const std::vector<float>& cov, int w, int h, float cx, float cy, float size, const char* dropped_as) {
  FindWorkspace ws;
  const FoundDigits found = find_digits(paint(cov, w, h, 0.9f, 0.15f), true, ws);
  REQUIRE(found.digits.size() == 1);
  check_ring_box(found.digits[0], cx, cy, size);
  CHECK(found.lines == 1);
  INFO(found.dropped);
  CHECK(found.dropped.find(dropped_as) != std::string::npos);
}

}  // namespace

TEST_CASE("find_digits: digits in a row are found left to right, each box around its digit") {
  const int w = 640, h = 400;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 420, 200, 60);
  add_ring(cov, w, h, 200, 205, 64);
  draw_bar(cov, w, 300, 170, 308, 236);  // a "1" between them
  const GrayImage page = paint(cov, w, h, 0.9f, 0.15f);
  FindWorkspace ws;
  const FoundDigits found = find_digits(page, true, ws);
  CHECK(found.lines == 1);
  REQUIRE(found.digits.size() == 3);
  check_ring_box(found.digits[0], 200, 205, 64);
  CHECK(near(found.digits[1].x, 300, 2));
  CHECK(near(found.digits[1].h, 66, 3));
  check_ring_box(found.digits[2], 420, 200, 60);
  // The same page read as light ink finds no digits of its own but the loops' insides.
  const FoundDigits light = find_digits(page, false, ws);
  for (const PixelBox& b : light.digits) CHECK(b.h < 64);
}

TEST_CASE("find_digits: a sheet of paper on a dark desk: its edges are not ink, the small digit is") {
  const int w = 600, h = 450;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 300, 220, 40);  // 9% of the picture's height
  GrayImage page = paint(cov, w, h, 0.85f, 0.1f);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const bool on_paper = x >= 120 && x < 480 && y >= 40 && y < 420;
      // The desk: darker, with a grain of thin dark stripes.
      if (!on_paper) page.pixels[std::size_t(y) * w + x] = 0.35f - ((y / 6) % 2 ? 0.05f : 0.0f);
    }
  }
  FindWorkspace ws;
  const FoundDigits found = find_digits(page, true, ws);
  REQUIRE(found.digits.size() == 1);
  check_ring_box(found.digits[0], 300, 220, 40);
  CHECK(found.lines == 1);
}

TEST_CASE("find_digits: ruled lines across the page are rules, not digits") {
  const int w = 600, h = 400;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  for (int y = 20; y < h; y += 60) draw_bar(cov, w, 0, float(y), float(w), float(y) + 2);  // through the border too
  for (int y = 50; y < h; y += 60) draw_bar(cov, w, 10, float(y), float(w) - 10, float(y) + 2);  // inside it
  add_ring(cov, w, h, 250, 200, 44);  // across the line at y = 200
  const GrayImage page = paint(cov, w, h, 0.9f, 0.2f);
  FindWorkspace ws;
  const FoundDigits found = find_digits(page, true, ws);
  REQUIRE(found.digits.size() == 1);
  check_ring_box(found.digits[0], 250, 200, 44);
  CHECK(found.lines == 1);
}

TEST_CASE("find_digits: squared paper at a slant: the grid joins the digit into one mark over the page, looked for again over the grid's level") {
  // The grid's lines (fainter than the pen) at 10 degrees cross the ring: at the stroke
  // threshold they and the ring are one mark over the whole page, set aside as texture.
  const int w = 640, h = 480;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  const float angle = 0.17f, spacing = 32.0f, thickness = 2.0f;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const float u = float(x) * std::cos(angle) + float(y) * std::sin(angle) + 1000.0f;
      const float v = -float(x) * std::sin(angle) + float(y) * std::cos(angle) + 1000.0f;
      if (std::fmod(u, spacing) < thickness || std::fmod(v, spacing) < thickness) cov[std::size_t(y) * w + x] = 0.45f;
    }
  add_ring(cov, w, h, 330, 250, 90);
  FindWorkspace ws;
  const FoundDigits found = find_digits(paint(cov, w, h, 0.9f, 0.15f), true, ws);
  INFO(found.dropped);
  REQUIRE(found.digits.size() == 1);
  check_ring_box(found.digits[0], 330, 250, 90);
  CHECK(found.dropped.find("over a grid's level") != std::string::npos);
  // A page with no texture never takes the step.
  std::vector<float> plain(std::size_t(w) * h, 0.0f);
  add_ring(plain, w, h, 330, 250, 90);
  CHECK(find_digits(paint(plain, w, h, 0.9f, 0.15f), true, ws).dropped.find("grid") == std::string::npos);
}

TEST_CASE("erase_box_sides: a digit touching its box keeps its strokes, the box's sides go, and a narrow digit with straight sides is no box") {
  // A form's box 80x80 (sides 3 pixels), a bar touching its top and bottom sides inside.
  const int w = 120, h = 120;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  draw_bar(cov, w, 20, 20, 100, 23), draw_bar(cov, w, 20, 97, 100, 100);  // top, bottom
  draw_bar(cov, w, 20, 20, 23, 100), draw_bar(cov, w, 97, 20, 100, 100);  // left, right
  draw_bar(cov, w, 55, 22, 61, 98);  // the digit's stroke, touching top and bottom
  Plane ink;
  ink.resize(w, h);
  for (std::size_t i = 0; i < cov.size(); ++i) ink.pixels[i] = cov[i];
  Plane unboxed;
  REQUIRE(erase_box_sides(ink, PixelBox{20, 20, 80, 80}, 0.5f, unboxed));
  CHECK(unboxed.at(21, 60) == 0.0f);   // left side
  CHECK(unboxed.at(60, 21) == 0.0f);   // top side
  CHECK(unboxed.at(98, 40) == 0.0f);   // right side
  CHECK(unboxed.at(58, 60) == 1.0f);   // the stroke inside
  CHECK(unboxed.at(58, 30) == 1.0f);
  // A seven-segment 0 (four straight sides, far narrower than tall): not a box, untouched.
  Plane zero;
  CHECK_FALSE(erase_box_sides(ink, PixelBox{20, 20, 40, 80}, 0.5f, zero));
  CHECK(zero.pixels.empty());
  // Three sides only (an open bracket): not a box.
  std::vector<float> open(std::size_t(w) * h, 0.0f);
  draw_bar(open, w, 20, 20, 100, 23), draw_bar(open, w, 20, 97, 100, 100), draw_bar(open, w, 20, 20, 23, 100);
  Plane bracket;
  bracket.resize(w, h);
  for (std::size_t i = 0; i < open.size(); ++i) bracket.pixels[i] = open[i];
  Plane out;
  CHECK_FALSE(erase_box_sides(bracket, PixelBox{20, 20, 80, 80}, 0.5f, out));
}

TEST_CASE("find_digits: a plaque's frame around a light digit is set aside, the digit found") {
  const int w = 500, h = 400;
  std::vector<float> frame(std::size_t(w) * h, 0.0f), digit(std::size_t(w) * h, 0.0f);
  draw_bar(frame, w, 150, 80, 350, 90);
  draw_bar(frame, w, 150, 310, 350, 320);
  draw_bar(frame, w, 150, 80, 160, 320);
  draw_bar(frame, w, 340, 80, 350, 320);
  add_ring(digit, w, h, 250, 200, 120);
  GrayImage page = paint(frame, w, h, 0.25f, 0.95f);
  for (std::size_t i = 0; i < digit.size(); ++i) page.pixels[i] = std::max(page.pixels[i], 0.25f + 0.7f * digit[i]);
  FindWorkspace ws;
  const FoundDigits found = find_digits(page, false, ws);
  REQUIRE(found.digits.size() == 1);
  check_ring_box(found.digits[0], 250, 200, 120);
  CHECK(found.dropped.find("frames") != std::string::npos);
}

TEST_CASE("find_digits: two rows of digits are two lines, and specks are no digits") {
  const int w = 600, h = 500;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 200, 120, 80);
  add_ring(cov, w, h, 350, 120, 80);
  add_ring(cov, w, h, 270, 360, 80);
  draw_bar(cov, w, 500, 400, 503, 403);  // a speck
  const GrayImage page = paint(cov, w, h, 0.9f, 0.1f);
  FindWorkspace ws;
  const FoundDigits found = find_digits(page, true, ws);
  CHECK(found.lines == 2);
  CHECK(found.digits.size() == 2);  // the tallest's line (all three are of a height: the first found)
  for (const PixelBox& b : found.digits) CHECK(b.h > 70);
}

TEST_CASE("find_digits: a blank page, a flat one and a tiny one have no digits") {
  FindWorkspace ws;
  GrayImage blank;
  blank.width = 300, blank.height = 200;
  blank.pixels.assign(300 * 200, 0.8f);
  for (std::size_t i = 0; i < blank.pixels.size(); ++i) blank.pixels[i] += 0.01f * float((i * 7919) % 13) / 13.0f;  // faint noise
  CHECK(find_digits(blank, true, ws).digits.empty());
  CHECK(find_digits(blank, false, ws).digits.empty());
  GrayImage tiny;
  tiny.width = 1, tiny.height = 1;
  tiny.pixels = {0.5f};
  CHECK(find_digits(tiny, true, ws).digits.empty());
  tiny.width = 3, tiny.height = 2;
  tiny.pixels.assign(6, 0.0f);
  CHECK(find_digits(tiny, false, ws).lines == 0);
}

TEST_CASE("split_column: touching digits part where the ink is thinnest, and a single stroke has no such column") {
  const int w = 200, h = 100;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 70, 50, 60);
  add_ring(cov, w, h, 117, 50, 60);  // touching the first at about x = 91-96
  const GrayImage page = paint(cov, w, h, 0.9f, 0.1f);
  FindWorkspace ws;
  thin_ink(page, true, ws);
  const float threshold = ink_threshold(ws.tophat, ws.scratch);
  const PixelBox both{49, 20, 89, 61};
  const int column = split_column(ws.tophat, threshold, both);
  CHECK(column >= 88);
  CHECK(column <= 98);
  // A filled bar has ink in every column alike: nothing to split.
  std::vector<float> bar(std::size_t(w) * h, 0.0f);
  draw_bar(bar, w, 40, 30, 160, 70);
  const GrayImage solid = paint(bar, w, h, 0.9f, 0.1f);
  thin_ink(solid, true, ws);
  CHECK(split_column(ws.tophat, ink_threshold(ws.tophat, ws.scratch), PixelBox{40, 30, 120, 40}) == -1);
  CHECK(split_column(ws.tophat, 0.1f, PixelBox{190, 90, 20, 20}) == -1);  // outside the plane
}

TEST_CASE("find_digits: a number cropped close to its ink is found with a frame of paper (step 0), boxes in the page's pixels") {
  // Three digits touching the top and bottom of a picture cut to them, the last one
  // touching the right edge too: without a frame they are marks on the border.
  const int w = 150, h = 60;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 22, 30, 60);
  draw_bar(cov, w, 70, 0, 78, 60);
  add_ring(cov, w, h, 129, 30, 60);
  const GrayImage page = paint(cov, w, h, 0.95f, 0.1f);
  FindWorkspace ws;
  const FoundDigits plain = find_digits(page, true, ws);
  CHECK(plain.digits.size() < 3);
  CHECK(plain.border_marks >= 2);
  const FoundDigits framed = find_digits(page, true, ws, 15);
  CHECK(framed.lines == 1);
  REQUIRE(framed.digits.size() == 3);
  check_ring_box(framed.digits[0], 22, 30, 60);
  CHECK(near(framed.digits[1].x, 70, 2));
  for (const PixelBox& b : framed.digits) {
    CHECK(b.x >= 0);
    CHECK(b.y >= 0);
    CHECK(b.x + b.w <= w);
    CHECK(b.y + b.h <= h);
  }
  // The ink plane is given back at the page's size, strokes where they are in it.
  CHECK(ws.tophat.width == w);
  CHECK(ws.tophat.height == h);
  CHECK(ws.tophat.at(74, 30) > 0.5f);
  CHECK(ws.tophat.at(45, 30) < 0.1f);
}

TEST_CASE("find_digits: a form's comb of boxes is printing, not digits: walls and edges erased, each digit found in its box") {
  const int w = 420, h = 200, cell = 70, x0 = 70, y0 = 60;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  draw_bar(cov, w, x0, y0, x0 + 4 * cell, y0 + 2);                     // the comb's top edge...
  draw_bar(cov, w, x0, y0 + cell - 2, x0 + 4 * cell, y0 + cell);       // ... its bottom edge
  for (int k = 0; k <= 4; ++k) draw_bar(cov, w, float(x0 + k * cell - 1), y0, float(x0 + k * cell + 1), y0 + cell);
  add_ring(cov, w, h, x0 + 0.5f * cell, y0 + 0.5f * cell, 56);
  draw_bar(cov, w, x0 + 1.5f * cell - 4, y0 + 8, x0 + 1.5f * cell + 4, y0 + cell);  // a 1 down to the bottom edge
  add_ring(cov, w, h, x0 + 2.5f * cell, y0 + 0.5f * cell, 66);          // a 0 touching the edges
  add_ring(cov, w, h, x0 + 3.5f * cell, y0 + 0.5f * cell, 56);
  const GrayImage page = paint(cov, w, h, 0.9f, 0.15f);
  FindWorkspace ws;
  const FoundDigits found = find_digits(page, true, ws);
  REQUIRE(found.digits.size() == 4);
  for (int k = 0; k < 4; ++k) {
    const PixelBox& b = found.digits[std::size_t(k)];
    CAPTURE(k);
    CHECK(b.x > x0 + k * cell + 1);  // inside its cell: no wall in it
    CHECK(b.x + b.w < x0 + (k + 1) * cell);
    CHECK(b.h >= 50);
  }
  CHECK(found.dropped.find("printed lines") != std::string::npos);
}

TEST_CASE("find_digits: a thin pen's 7 keeps its bar, and an underline under a number is erased") {
  const int w = 400, h = 240;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  draw_bar(cov, w, 100, 60, 142, 63);    // the 7's bar: 14 times longer than thick
  draw_bar(cov, w, 138, 60, 142, 130);   // its stem
  const GrayImage seven = paint(cov, w, h, 0.9f, 0.15f);
  FindWorkspace ws;
  FoundDigits found = find_digits(seven, true, ws);
  REQUIRE(found.digits.size() == 1);
  CHECK(near(found.digits[0].x, 100, 2));
  CHECK(near(found.digits[0].w, 42, 3));
  CHECK(found.dropped.find("printed lines") == std::string::npos);
  // The same 7 and a 0 beside it, on an underline they touch.
  add_ring(cov, w, h, 200, 95, 70);
  draw_bar(cov, w, 80, 130, 260, 132);
  const GrayImage underlined = paint(cov, w, h, 0.9f, 0.15f);
  found = find_digits(underlined, true, ws);
  REQUIRE(found.digits.size() == 2);
  CHECK(near(found.digits[0].x, 100, 2));
  CHECK(near(found.digits[0].w, 42, 3));  // not stretched along the line it stands on
  CHECK(found.digits[1].x + found.digits[1].w < 250);
  CHECK(found.dropped.find("printed lines") != std::string::npos);
}

TEST_CASE("digits_in_line: the tallest group's row is the line, and the fullest row is the other candidate") {
  // A stamp in the corner a little taller than the digits of the number below it.
  const std::vector<PixelBox> groups = {{400, 20, 60, 48}, {100, 150, 30, 44}, {140, 150, 28, 44}, {180, 152, 30, 42}, {220, 150, 29, 44}};
  int lines = 0;
  std::vector<PixelBox> off_line;
  const std::vector<PixelBox> stamp = digits_in_line(groups, lines, off_line);
  REQUIRE(stamp.size() == 1);
  CHECK(stamp[0].x == 400);
  CHECK(lines == 2);
  CHECK(off_line.size() == 4);
  const std::vector<PixelBox> line = digits_in_line(groups, lines, off_line, true);
  REQUIRE(line.size() == 4);
  CHECK(line[0].x == 100);
  CHECK(line[3].x == 220);
  CHECK(lines == 2);  // the stamp is still said: the reader judges whether it reads as a digit
  REQUIRE(off_line.size() == 1);
  CHECK(off_line[0].x == 400);
  // Rows as full: the tallest group's row is the line either way.
  const std::vector<PixelBox> two_rows = {{100, 20, 30, 40}, {100, 150, 30, 48}};
  for (const bool fullest : {false, true}) {
    const std::vector<PixelBox> second = digits_in_line(two_rows, lines, off_line, fullest);
    REQUIRE(second.size() == 1);
    CHECK(second[0].y == 150);
    CHECK(lines == 2);
  }
}

TEST_CASE("digits_in_line: a number written at a slant is one line, from neighbour to neighbour") {
  // Each digit 12 pixels lower than the one before: the first and the last share no rows,
  // neighbours share most of theirs. The tallest is in the middle.
  std::vector<PixelBox> groups;
  for (int i = 0; i < 5; ++i) groups.push_back({100 + 36 * i, 100 + 12 * i, 30, i == 2 ? 42 : 40});
  groups.push_back({100, 300, 30, 40});  // and a digit-sized mark well below: a second line
  int lines = 0;
  std::vector<PixelBox> off_line;
  for (const bool fullest : {false, true}) {
    const std::vector<PixelBox> line = digits_in_line(groups, lines, off_line, fullest);
    REQUIRE(line.size() == 5);
    for (int i = 0; i < 5; ++i) CHECK(line[std::size_t(i)].x == 100 + 36 * i);
    CHECK(lines == 2);
    REQUIRE(off_line.size() == 1);
    CHECK(off_line[0].y == 300);
  }
}

TEST_CASE("find_digits: with a frame of paper (step 0), the fullest row's boxes are in the page's pixels too") {
  const int w = 480, h = 240;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 400, 40, 52);  // a stamp, taller than the digits
  for (int i = 0; i < 4; ++i) add_ring(cov, w, h, 80.0f + 50.0f * float(i), 170, 44);
  FindWorkspace ws;
  const FoundDigits found = find_digits(paint(cov, w, h, 0.9f, 0.15f), true, ws, 30);
  CHECK(found.lines == 2);
  REQUIRE(found.fullest_row.size() == 4);
  for (int i = 0; i < 4; ++i) check_ring_box(found.fullest_row[std::size_t(i)], 80.0f + 50.0f * float(i), 170, 44);
  REQUIRE(found.fullest_row_off_line.size() == 1);
  check_ring_box(found.fullest_row_off_line[0], 400, 40, 52);
}

TEST_CASE("find_digits: a board's frame side down 70% of the picture is an edge, not a 1 that makes the digit a speck") {
  const int w = 600, h = 450;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 250, 200, 60);
  draw_bar(cov, w, 540, 60, 552, 375);  // 12 x 315: as dark as the ink, 26 times longer than thick
  check_ring_alone(cov, w, h, 250, 200, 60, "1 rules or edges");
}

TEST_CASE("find_digits: a board's faint frame edge taller than the digit is not ink, and alone it is") {
  const int w = 600, h = 450;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 250, 150, 50);
  // The frame's edge: a soft grey band down half the right side (under kEdgeSpan), under half the ink's contrast.
  std::vector<float> edge(std::size_t(w) * h, 0.0f);
  for (int y = 100; y < 350; ++y) {
    for (int x = 548; x < 564; ++x) edge[std::size_t(y) * w + x] = 0.42f * (1.0f - std::abs(x - 555.5f) / 8.0f);
  }
  for (std::size_t i = 0; i < cov.size(); ++i) cov[i] = std::max(cov[i], edge[i]);
  check_ring_alone(cov, w, h, 250, 150, 50, "1 faint groups");
  // Faint is against the picture's own ink: the same edge alone is what there is to see.
  FindWorkspace ws;
  const FoundDigits alone = find_digits(paint(edge, w, h, 0.9f, 0.15f), true, ws);
  REQUIRE(alone.digits.size() == 1);
  CHECK(alone.digits[0].h > 200);
}

TEST_CASE("find_digits: a price tag's band above its number is not a part of each digit, and a 5's flag is") {
  const int w = 600, h = 450;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  draw_bar(cov, w, 190, 120, 410, 150);  // the tag's band, 220 x 30 (too thick for a printed line), 30 rows above
  add_ring(cov, w, h, 250, 230, 100);
  add_ring(cov, w, h, 350, 230, 100);
  FindWorkspace ws;
  const FoundDigits found = find_digits(paint(cov, w, h, 0.9f, 0.15f), true, ws);
  REQUIRE(found.digits.size() == 2);
  check_ring_box(found.digits[0], 250, 230, 100);
  check_ring_box(found.digits[1], 350, 230, 100);
  // A flag apart from its digit's body by as many rows, no wider than the digit, still joins it.
  std::vector<float> five(std::size_t(w) * h, 0.0f);
  draw_bar(five, w, 215, 150, 290, 162);
  add_ring(five, w, h, 250, 230, 100);
  const FoundDigits one = find_digits(paint(five, w, h, 0.9f, 0.15f), true, ws);
  REQUIRE(one.digits.size() == 1);
  CHECK(near(one.digits[0].y, 150, 3));
  CHECK(near(one.digits[0].y + one.digits[0].h, 280, 3));
}

TEST_CASE("find_digits: a board's frame side at a slant across 80% of the picture is an edge, though its box is wide") {
  const int w = 600, h = 450;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 200, 200, 60);
  // A line 7 pixels thick from (400, 30) to (560, 400): its box 167 x 377, not 8 times taller than wide.
  for (int y = 30; y < 400; ++y) {
    const float centre = 400.0f + 160.0f * float(y - 30) / 370.0f;
    for (int x = int(centre) - 3; x <= int(centre) + 3; ++x) cov[std::size_t(y) * w + x] = 1.0f;
  }
  check_ring_alone(cov, w, h, 200, 200, 60, "1 rules or edges");
}

TEST_CASE("find_digits: a photocopier's streak at a slant through a digit and on to the border is erased, the digit found") {
  const int w = 480, h = 450;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 240, 230, 150);  // strokes 18 pixels wide
  // A line 2 pixels thick from (205, 0) to (265, 449), across the ring's left and bottom:
  // one mark with the ring, touching the border (set aside whole without this step).
  for (int y = 0; y < h; ++y) {
    const float centre = 205.0f + 60.0f * float(y) / float(h - 1);
    for (int x = int(centre); x < int(centre) + 2; ++x) cov[std::size_t(y) * w + x] = 1.0f;
  }
  FindWorkspace ws;
  const FoundDigits found = find_digits(paint(cov, w, h, 0.9f, 0.15f), true, ws);
  INFO(found.dropped);
  REQUIRE(found.digits.size() == 1);
  check_ring_box(found.digits[0], 240, 230, 150);
  CHECK(found.dropped.find("1 lines through marks") != std::string::npos);
}

TEST_CASE("find_digits: a thin 7 cropped close keeps its long stem: the stem ends at the bar, it runs past nothing") {
  const int w = 200, h = 300;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  draw_bar(cov, w, 40, 0, 150, 2);  // the bar on the top border, 2 pixels thick
  for (int y = 0; y < h; ++y) {     // the stem from the bar's end down to the bottom border
    const float centre = 148.0f - 50.0f * float(y) / float(h - 1);
    for (int x = int(centre); x < int(centre) + 2; ++x) cov[std::size_t(y) * w + x] = 1.0f;
  }
  FindWorkspace ws;
  const FoundDigits found = find_digits(paint(cov, w, h, 0.9f, 0.15f), true, ws);
  INFO(found.dropped);
  CHECK(found.dropped.find("lines through marks") == std::string::npos);
  for (const PixelBox& b : found.digits) CHECK(b.w > 60);  // never the bar alone
}

TEST_CASE("find_digits: a slanted 1 as tall as its neighbour across most of a close crop is a digit, not an edge") {
  const int w = 200, h = 100;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 60, 50, 70);
  for (int y = 15; y < 85; ++y) {  // 70 rows, 4 pixels thick: 17 times longer than thick
    const float centre = 140.0f + 25.0f * float(y - 15) / 70.0f;
    for (int x = int(centre) - 2; x < int(centre) + 2; ++x) cov[std::size_t(y) * w + x] = 1.0f;
  }
  FindWorkspace ws;
  const FoundDigits found = find_digits(paint(cov, w, h, 0.9f, 0.15f), true, ws);
  REQUIRE(found.digits.size() == 2);
  check_ring_box(found.digits[0], 60, 50, 70);
  CHECK(near(found.digits[1].x, 138, 2));
  CHECK(near(found.digits[1].h, 70, 2));
}

TEST_CASE("find_digits: a digit printed in pieces side by side is one digit in the joined line, and two digits stay two") {
  const int w = 600, h = 450;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  add_ring(cov, w, h, 200, 200, 100);
  add_ring(cov, w, h, 320, 200, 100);
  // The first ring cut down its middle by a gap of 4 pixels (its stroke is 12): a "(" and a ")".
  for (int y = 0; y < h; ++y)
    for (int x = 198; x < 202; ++x) cov[std::size_t(y) * w + x] = 0.0f;
  FindWorkspace ws;
  const FoundDigits found = find_digits(paint(cov, w, h, 0.9f, 0.15f), true, ws);
  CHECK(found.digits.size() == 3);  // side by side, the halves are not stacked: two marks
  REQUIRE(found.joined.size() == 2);
  check_ring_box(found.joined[0], 200, 200, 100);
  check_ring_box(found.joined[1], 320, 200, 100);
}

TEST_CASE("find_digits: a segment display's bars are the line's pieces, left to right, rows of bars and all, and a mark on another row is not") {
  // "543": 5 + 4 + 5 bars, each a mark of its own; a dash far below is no piece.
  blnk::test::SegmentDisplay d = blnk::test::draw_segment_display("543");
  const int w = d.width, h = d.height + 120;
  d.coverage.resize(std::size_t(w) * h, 0.0f);
  draw_bar(d.coverage, w, 60, float(h - 40), 200, float(h - 30));
  FindWorkspace ws;
  const FoundDigits found = find_digits(paint(d.coverage, w, h, 0.9f, 0.15f), true, ws);
  REQUIRE(found.pieces.size() == 14);
  for (std::size_t i = 0; i < found.pieces.size(); ++i) {
    const PixelBox& b = found.pieces[i].box;
    CHECK(b.y + b.h <= 40 + 110 + 2);  // none from the dash's row
    if (i > 0) CHECK(2 * b.x + b.w >= 2 * found.pieces[i - 1].box.x + found.pieces[i - 1].box.w);
  }
  // The first five are the 5's bars, the last five the 3's.
  for (std::size_t i = 0; i < 5; ++i) CHECK(found.pieces[i].box.x + found.pieces[i].box.w <= 40 + 60 + 2);
  for (std::size_t i = 9; i < 14; ++i) CHECK(found.pieces[i].box.x >= 40 + 2 * 70 - 2);
  // With a frame of paper (the reader's second look) there are none.
  CHECK(find_digits(paint(d.coverage, w, h, 0.9f, 0.15f), true, ws, 20).pieces.empty());
}

TEST_CASE("find_digits: a jar's outline around its label's small number is a frame, and the number is found") {
  const int w = 600, h = 450;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  // An outline 300 x 330, open at the bottom, 45 pixels thick (too thick for a form's
  // printed lines and their walls, and short of a rule down 80% of the picture: those
  // are erased before).
  draw_bar(cov, w, 150, 30, 450, 75);
  draw_bar(cov, w, 150, 30, 195, 360);
  draw_bar(cov, w, 405, 30, 450, 360);
  // Three digits 50 tall inside it (15% of its height: no one of them makes it a frame alone).
  for (int k = 0; k < 3; ++k) add_ring(cov, w, h, 240.0f + 50.0f * float(k), 220, 50);
  FindWorkspace ws;
  const FoundDigits found = find_digits(paint(cov, w, h, 0.9f, 0.15f), true, ws);
  INFO(found.dropped);
  REQUIRE(found.digits.size() == 3);
  for (int k = 0; k < 3; ++k) check_ring_box(found.digits[std::size_t(k)], 240.0f + 50.0f * float(k), 220, 50);
  CHECK(found.dropped.find("1 frames") != std::string::npos);
}

TEST_CASE("Mark::elongation: a bar's length over its thickness at any angle, 1 for a square") {
  auto bar = [](int length, int thick, bool slanted) {
    Mark m;
    for (int i = 0; i < length; ++i) {
      for (int j = 0; j < thick; ++j) {
        const double x = slanted ? i + j : i, y = slanted ? i - j : j;
        m.sx += x, m.sy += y, m.sxx += x * x, m.syy += y * y, m.sxy += x * y, ++m.pixels;
      }
    }
    return m;
  };
  CHECK(bar(80, 4, false).elongation() == doctest::Approx(20.0).epsilon(0.02));
  CHECK(bar(80, 4, true).elongation() == doctest::Approx(20.0).epsilon(0.05));
  CHECK(bar(20, 20, false).elongation() == doctest::Approx(1.0).epsilon(0.01));
}

TEST_CASE("line_angle, turn_page, turned_back: a line at a slant is turned level, and its boxes found there go back") {
  // Centres on y = 0.5 x + 40: the angle is atan(0.5); two digits have none.
  const std::vector<PixelBox> line = {{10, 35, 20, 30}, {60, 60, 20, 30}, {110, 85, 20, 30}, {160, 110, 20, 30}};
  CHECK(line_angle(line) == doctest::Approx(std::atan(0.5f)).epsilon(1e-4));
  CHECK(line_angle({line[0], line[1]}) == 0.0f);
  // A dark square on paper, the page turned by 0.4 radians: the square's ink turned
  // back gives a box around where it was.
  const int w = 300, h = 200;
  GrayImage page;
  page.width = w, page.height = h;
  page.pixels.assign(std::size_t(w) * h, 0.9f);
  for (int y = 40; y < 60; ++y)
    for (int x = 200; x < 220; ++x) page.pixels[std::size_t(y) * w + x] = 0.1f;
  GrayImage turned;
  turn_page(page, 0.4f, turned);
  REQUIRE(turned.width == w);
  int x0 = w, y0 = h, x1 = 0, y1 = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x)
      if (turned.at(x, y) < 0.5f) x0 = std::min(x0, x), y0 = std::min(y0, y), x1 = std::max(x1, x + 1), y1 = std::max(y1, y + 1);
  REQUIRE(x1 > x0);
  CHECK_FALSE((x0 >= 198 && x0 <= 202 && y0 >= 38 && y0 <= 42));  // it did move
  const PixelBox back = turned_back({x0, y0, x1 - x0, y1 - y0}, 0.4f, w, h);
  // The box around the turned square's box is larger than the square, and holds it.
  CHECK(back.x <= 201);
  CHECK(back.y <= 41);
  CHECK(back.x + back.w >= 219);
  CHECK(back.y + back.h >= 59);
  CHECK(back.w < 40);
  CHECK(back.h < 40);
}

namespace {

Mark mark_of(PixelBox box, int pixels, float mean_ink) {
  Mark m;
  m.box = box;
  m.pixels = pixels;
  m.mass = mean_ink * static_cast<float>(pixels);
  return m;
}

bool same_box(const PixelBox& a, const PixelBox& b) { return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h; }

}  // namespace

TEST_CASE("group_digits: a race bib's bands, faint above the number or sharing its last rows, are no part of a digit") {
  const float threshold = 0.3f;  // faint: a mean under 1.2 thresholds
  const Mark digit = mark_of({100, 100, 50, 100}, 2000, 0.8f);
  int faint = 0;
  // A faint band 10 rows above, no wider than the digit's shape allows: set aside on its own.
  std::vector<PixelBox> groups = group_digits({digit, mark_of({90, 40, 120, 50}, 3000, 0.3f)}, threshold, faint);
  REQUIRE(groups.size() == 1);
  CHECK(same_box(groups[0], digit.box));
  CHECK(faint == 1);
  // A band in strong ink reaching into the digit's last rows, five times as wide: apart.
  groups = group_digits({digit, mark_of({60, 190, 250, 30}, 3000, 0.8f)}, threshold, faint);
  REQUIRE(groups.size() == 1);  // (the band, under 40% of the digit's height, a speck)
  CHECK(same_box(groups[0], digit.box));
  // A broken stroke in the same ink stacked on the digit is still one group with it.
  groups = group_digits({digit, mark_of({105, 60, 40, 35}, 600, 0.8f)}, threshold, faint);
  REQUIRE(groups.size() == 1);
  CHECK(same_box(groups[0], PixelBox{100, 60, 50, 140}));
}

TEST_CASE("group_digits: a group in ink under half the strongest digit's is other ink (an edge's strip beside a number), not a digit") {
  const float threshold = 0.25f;  // faint: a mean under 0.3
  const Mark digit = mark_of({100, 100, 50, 100}, 2000, 0.8f);
  const Mark strip = mark_of({200, 95, 8, 110}, 800, 0.35f);  // over the faint level, under half the digit's
  int faint = 0;
  std::vector<PixelBox> groups = group_digits({digit, strip}, threshold, faint);
  REQUIRE(groups.size() == 1);
  CHECK(same_box(groups[0], digit.box));
  CHECK(faint == 1);
  // In ink as strong as half the digit's, it is a digit (a 1 written lighter).
  groups = group_digits({digit, mark_of({200, 95, 8, 110}, 800, 0.45f)}, threshold, faint);
  CHECK(groups.size() == 2);
  CHECK(faint == 0);
}

TEST_CASE("find_digits: a barcode's bars over a number are no digits: the number under them is found, and twelve 1s apart are no barcode") {
  const int w = 600, h = 400;
  std::vector<float> cov(std::size_t(w) * h, 0.0f);
  for (int k = 0; k < 24; ++k) {  // bars 2 to 5 pixels wide, taller than the digit under them
    const float x = 150.0f + 12.0f * float(k);
    draw_bar(cov, w, x, 80, x + 2.0f + float(k % 4), 230);
  }
  add_ring(cov, w, h, 300, 290, 70);
  FindWorkspace ws;
  FoundDigits found = find_digits(paint(cov, w, h, 0.9f, 0.15f), true, ws);
  INFO(found.dropped);
  REQUIRE(found.digits.size() == 1);
  check_ring_box(found.digits[0], 300, 290, 70);
  CHECK(found.dropped.find("1 barcodes") != std::string::npos);
  // Twelve 1s in a row, apart by more than half their height: a number, not bars.
  const int wide = 800;
  std::vector<float> ones(std::size_t(wide) * h, 0.0f);
  for (int k = 0; k < 12; ++k) draw_bar(ones, wide, 40.0f + 60.0f * float(k), 150, 48.0f + 60.0f * float(k), 230);
  found = find_digits(paint(ones, wide, h, 0.9f, 0.15f), true, ws);
  CHECK(found.digits.size() == 12);
  CHECK(found.dropped.find("barcodes") == std::string::npos);
}
