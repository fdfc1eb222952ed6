// The one codec for per-epoch history rows, used by the checkpoint (exact hex
// floats, so a resume restores bits) and by the `blnk train --log` file that
// `blnk plot` reads (decimals, for people and spreadsheets). A value that does
// not exist (no validation or test set) is an empty field.
#pragma once

#include <string>
#include <vector>

#include "train/trainer.h"

namespace blnk::train {

enum class CsvPrecision { exact, readable };

std::string history_csv_header();  // with its newline
std::string history_csv_row(const EpochStats& e, CsvPrecision precision);  // with its newline

// Rows of one or more runs. A header line, or an epoch number that does not
// follow the previous row's, starts a new run (two runs appended to one log);
// a resumed run continues its epochs and stays one run. Accepts the -1 that
// older files wrote for a missing value. Throws Error naming `name` and the line.
std::vector<std::vector<EpochStats>> parse_history_csv(const std::string& text, const std::string& name);

}  // namespace blnk::train
