// Which run of a picture's stable regions is its number: the last step of reading the
// regions (docs/predict.md, "Digits as regions"), on what the model said of each one.
// The reader finds the regions (data/find_regions.h), reads each alone from its own
// pixels, and gives the readings here; what comes back is the line of regions that is
// the answer, or none.
#pragma once

#include <utility>
#include <vector>

#include "data/find_regions.h"

namespace blnk::reader {

// A region is a digit when it reads decisively (its digit's probability times the gate's
// "one digit" at least this)...
inline constexpr float kRegionDecisive = 0.999f;
// ... or, on a line that holds a decisive one, at the search's bar (hysteresis, as an
// edge detector's: a line starts where a digit is sure and goes on where one is likely).
inline constexpr float kRegionJoining = 0.9f;

// What the model said of one region, read alone.
struct RegionRead {
  int digit = -1;
  float score = 0;  // probability x the gate's "one digit"; 0 when it did not read
};

// The regions (indices into `regions`, left to right) that are the number, or none:
// of the regions that read as digits, one a place (the best read); chained into lines
// (data::region_lines); the longest line that holds a decisive region and is not weak
// (more of its row that does not read; 1s and 0s alone; a gap a digit wide; a 1 off the
// line's height or baseline; pieces of a mark in `found_groups`, the search's marks and
// whether each is dark), unless another line as long, another number, or a digit on its
// row near its end lies apart from it (which is meant is not known).
std::vector<int> choose_region_line(const std::vector<data::Region>& regions, const std::vector<RegionRead>& reads,
                                    const std::vector<std::pair<data::PixelBox, bool>>& found_groups);

}  // namespace blnk::reader
