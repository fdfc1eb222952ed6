// Training curves as a self-contained SVG: loss (left) and accuracy (right) per
// epoch, for train, validation and test where present.
#pragma once

#include <string>
#include <vector>

#include "train/trainer.h"

namespace blnk::train {

std::string plot_history_svg(const std::vector<EpochStats>& history, const std::string& title);

// The runs in a `blnk train --log` file (train/history_csv.h), for `blnk plot`.
std::vector<std::vector<EpochStats>> read_history_log(const std::string& path);

}  // namespace blnk::train
