// Training curves as a self-contained SVG: loss (left) and accuracy (right) per
// epoch, for train, validation and test where present.
#pragma once

#include <string>
#include <vector>

#include "train/trainer.h"

namespace blnk::train {

std::string plot_history_svg(const std::vector<EpochStats>& history, const std::string& title);

// The per-epoch CSV log `blnk train --log` writes, and its reader for `blnk plot`.
std::string history_log_header();
std::string history_log_row(const EpochStats& e);
std::vector<EpochStats> read_history_log(const std::string& path);

}  // namespace blnk::train
