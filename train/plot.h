// Training curves as a self-contained SVG: loss (left, from 0) and accuracy
// (right, up to 100%) per epoch, for train, validation and test where present;
// one row of the two panels per run. Throws Error for a run without epochs.
#pragma once

#include <string>
#include <vector>

#include "train/trainer.h"

namespace blnk::train {

std::string plot_history_svg(const std::vector<EpochStats>& history, const std::string& title);
// Several runs (one `blnk train --log` may hold several): one row of panels per run.
std::string plot_runs_svg(const std::vector<std::vector<EpochStats>>& runs, const std::string& title);

// The runs in a `blnk train --log` file (train/history_csv.h), for `blnk plot`.
std::vector<std::vector<EpochStats>> read_history_log(const std::string& path);

}  // namespace blnk::train
