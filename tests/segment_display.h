// A seven-segment display's characters drawn for tests: each bar a hexagon with
// pointed ends, apart from its neighbours by a small gap, as on a clock's or a
// meter's display (the bars of one digit are separate marks to the search).
#pragma once

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace blnk::test {

// The bars of each character, as the display names them: a top, b upper right,
// c lower right, d bottom, e lower left, f upper left, g middle.
inline const char* segment_bars(char c) {
  switch (c) {
    case '0': return "abcdef";
    case '1': return "bc";
    case '2': return "abged";
    case '3': return "abgcd";
    case '4': return "fgbc";
    case '5': return "afgcd";
    case '6': return "afgedc";
    case '7': return "abc";
    case '8': return "abcdefg";
    case '9': return "abcdfg";
    case 'E': return "adefg";
    case 'H': return "bcefg";
    case 'L': return "def";
    case 'P': return "abefg";
    default: return "";
  }
}

struct SegmentDisplay {
  int width = 0, height = 0;
  std::vector<float> coverage;  // 1 on a bar, 0 off
};

// `text` drawn left to right, each character `w` x `h` pixels, bars `thick` wide and
// `gap` apart at their ends, characters `space` apart, 40 pixels of margin round them.
inline SegmentDisplay draw_segment_display(const std::string& text, int w = 60, int h = 110, float thick = 12,
                                           float gap = 2, int space = 10) {
  SegmentDisplay d;
  d.width = 80 + int(text.size()) * w + (int(text.size()) - 1) * space;
  d.height = h + 80;
  d.coverage.assign(std::size_t(d.width) * std::size_t(d.height), 0.0f);
  const float r = thick / 2;
  // A bar from (x0, y0) to (x1, y1), level or upright: the pixels within r of its axis,
  // and nearer its ends no further from the axis than from the end (the pointed ends).
  const auto bar = [&](float x0, float y0, float x1, float y1) {
    const bool level = y0 == y1;
    const float a0 = level ? std::min(x0, x1) : std::min(y0, y1), a1 = level ? std::max(x0, x1) : std::max(y0, y1);
    const float across = level ? y0 : x0;
    for (int y = 0; y < d.height; ++y)
      for (int x = 0; x < d.width; ++x) {
        const float along = level ? float(x) + 0.5f : float(y) + 0.5f;
        const float off = std::abs((level ? float(y) + 0.5f : float(x) + 0.5f) - across);
        if (along < a0 || along > a1 || off > r) continue;
        if (off <= std::min(along - a0, a1 - along)) d.coverage[std::size_t(y) * std::size_t(d.width) + std::size_t(x)] = 1.0f;
      }
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const float left = 40 + float(i) * float(w + space) + r, right = left + float(w) - thick;
    const float top = 40 + r, bottom = top + float(h) - thick, middle = (top + bottom) / 2;
    for (const char* s = segment_bars(text[i]); *s; ++s) {
      switch (*s) {
        case 'a': bar(left + gap, top, right - gap, top); break;
        case 'g': bar(left + gap, middle, right - gap, middle); break;
        case 'd': bar(left + gap, bottom, right - gap, bottom); break;
        case 'f': bar(left, top + gap, left, middle - gap); break;
        case 'b': bar(right, top + gap, right, middle - gap); break;
        case 'e': bar(left, middle + gap, left, bottom - gap); break;
        case 'c': bar(right, middle + gap, right, bottom - gap); break;
      }
    }
  }
  return d;
}

}  // namespace blnk::test
