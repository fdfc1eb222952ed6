// Training progress on the terminal. On a TTY: a live bar fitted to the terminal's
// width (ioctl TIOCGWINSZ, else $COLUMNS, else 80), redrawn up to ten times a
// second. Without one (a log file, a pipe, CI): a plain line every few seconds
// ($BLNK_PROGRESS_SECONDS, default 10) so a long epoch is not silent. Either way a
// line per epoch.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

#include "train/trainer.h"

namespace blnk::cli {

inline constexpr double kDefaultPlainProgressSeconds = 10;

// The bar's line for a terminal `width` columns wide: the bar shrinks first, then
// the rate and ETA go; never longer than width - 1 (so the terminal does not wrap).
std::string progress_bar_line(const train::BatchProgress& p, int width);
// The line printed every few seconds without a terminal.
std::string progress_plain_line(const train::BatchProgress& p);

class Progress {
 public:
  explicit Progress(std::FILE* out, bool quiet);
  void batch(const train::BatchProgress& p);
  void epoch(const train::EpochStats& e);

 private:
  int terminal_width() const;

  std::FILE* out_;
  bool live_;
  bool quiet_;
  double plain_interval_;  // seconds between plain lines
  double last_draw_ = -1;
  std::chrono::steady_clock::time_point last_plain_ = std::chrono::steady_clock::now();
};

}  // namespace blnk::cli
