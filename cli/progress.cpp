// Progress bar and epoch lines.
#include "cli/progress.h"

#include <unistd.h>

#include <string>

namespace blnk::cli {

Progress::Progress(std::FILE* out, bool quiet) : out_(out), live_(isatty(fileno(out)) != 0), quiet_(quiet) {}

void Progress::batch(const train::BatchProgress& p) {
  if (!live_ || quiet_) return;
  // Redraw at most ten times a second, and always on the last batch.
  if (p.batch != p.batches && p.seconds - last_draw_ < 0.1) return;
  last_draw_ = p.seconds;
  constexpr int kBarWidth = 28;
  const int filled = int(double(kBarWidth) * p.batch / p.batches);
  const std::string bar = std::string(filled, '=') + (filled < kBarWidth ? ">" : "") +
                          std::string(kBarWidth - filled - (filled < kBarWidth ? 1 : 0), ' ');
  const double eta = p.images_per_second > 0 ? (p.batches - p.batch) * (p.seconds / std::max(1, p.batch)) : 0;
  std::fprintf(out_, "\r\033[Kepoch %d/%d [%s] %d/%d  loss %.4f  acc %.2f%%  %.0f img/s  ETA %.0fs", p.epoch,
               p.epochs, bar.c_str(), p.batch, p.batches, p.loss, 100 * p.accuracy, p.images_per_second, eta);
  std::fflush(out_);
}

void Progress::epoch(const train::EpochStats& e) {
  if (quiet_) return;
  if (live_) std::fprintf(out_, "\r\033[K");
  std::fprintf(out_, "epoch %d: train loss %.4f acc %.2f%%", e.epoch, e.train_loss, 100 * e.train_accuracy);
  if (e.val_accuracy >= 0) std::fprintf(out_, " | val loss %.4f acc %.2f%%", e.val_loss, 100 * e.val_accuracy);
  if (e.test_accuracy >= 0) std::fprintf(out_, " | test loss %.4f acc %.2f%%", e.test_loss, 100 * e.test_accuracy);
  std::fprintf(out_, " | %.1fs, %.0f img/s\n", e.seconds, e.images_per_second);
  std::fflush(out_);
  last_draw_ = -1;
}

}  // namespace blnk::cli
