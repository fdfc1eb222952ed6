// Training progress on the terminal: a live bar on a TTY, a plain line per epoch otherwise.
#pragma once

#include <cstdio>

#include "train/trainer.h"

namespace blnk::cli {

class Progress {
 public:
  explicit Progress(std::FILE* out, bool quiet);
  void batch(const train::BatchProgress& p);
  void epoch(const train::EpochStats& e);

 private:
  std::FILE* out_;
  bool live_;
  bool quiet_;
  double last_draw_ = -1;
};

}  // namespace blnk::cli
