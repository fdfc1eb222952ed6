// Progress bar, plain progress lines and epoch lines.
#include "cli/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace blnk::cli {
namespace {

constexpr int kDefaultWidth = 80;
constexpr int kMaxBarWidth = 30, kMinBarWidth = 6;

std::string formatted(const char* format, auto... values) {
  char buf[256];
  std::snprintf(buf, sizeof buf, format, values...);
  return buf;
}

// $BLNK_PROGRESS_SECONDS when it is a positive number, else the default (said once).
double plain_interval_from_environment(std::FILE* out) {
  const char* env = std::getenv("BLNK_PROGRESS_SECONDS");
  if (!env || !*env) return kDefaultPlainProgressSeconds;
  char* end = nullptr;
  const double seconds = std::strtod(env, &end);
  if (*end == '\0' && std::isfinite(seconds) && seconds > 0) return seconds;
  std::fprintf(out, "blnk: BLNK_PROGRESS_SECONDS='%s' is not a positive number of seconds; using %g\n", env,
               kDefaultPlainProgressSeconds);
  return kDefaultPlainProgressSeconds;
}

}  // namespace

std::string progress_bar_line(const train::BatchProgress& p, int width) {
  const double eta = p.images_per_second > 0 ? (p.batches - p.batch) * (p.seconds / std::max(1, p.batch)) : 0;
  const std::string head = formatted("epoch %d/%d ", p.epoch, p.epochs);
  const std::string counts = formatted(" %d/%d  loss %.4f  acc %.2f%%", p.batch, p.batches, p.loss, 100 * p.accuracy);
  std::string rate = formatted("  %.0f img/s  ETA %.0fs", p.images_per_second, eta);
  const int room = width - 1;
  int bar = room - int(head.size() + counts.size() + rate.size()) - 2;
  if (bar < kMinBarWidth) {  // the rate goes before the bar does
    rate.clear();
    bar = room - int(head.size() + counts.size()) - 2;
  }
  std::string line = head;
  if (bar >= kMinBarWidth) {
    bar = std::min(bar, kMaxBarWidth);
    const int filled = int(double(bar) * p.batch / std::max(1, p.batches));
    const bool tip = filled < bar;
    line += "[" + std::string(filled, '=') + (tip ? ">" : "") + std::string(bar - filled - tip, ' ') + "]";
  }
  line += counts + rate;
  if (int(line.size()) > room) line.resize(std::max(0, room));
  return line;
}

std::string progress_plain_line(const train::BatchProgress& p) {
  return formatted("epoch %d/%d, batch %d/%d: loss %.4f, accuracy %.2f%%, %.0f img/s", p.epoch, p.epochs, p.batch,
                   p.batches, p.loss, 100 * p.accuracy, p.images_per_second);
}

Progress::Progress(std::FILE* out, bool quiet)
    : out_(out),
      live_(isatty(fileno(out)) != 0),
      quiet_(quiet),
      plain_interval_(quiet ? kDefaultPlainProgressSeconds : plain_interval_from_environment(out)) {}

int Progress::terminal_width() const {
  winsize size{};
  if (ioctl(fileno(out_), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const int n = std::atoi(columns);
    if (n > 0) return n;
  }
  return kDefaultWidth;
}

void Progress::batch(const train::BatchProgress& p) {
  if (quiet_) return;
  if (!live_) {
    // The epoch line follows the last batch: no plain line for it.
    const auto now = std::chrono::steady_clock::now();
    if (p.batch == p.batches || std::chrono::duration<double>(now - last_plain_).count() < plain_interval_) return;
    last_plain_ = now;
    std::fprintf(out_, "%s\n", progress_plain_line(p).c_str());
    std::fflush(out_);
    return;
  }
  // Redraw at most ten times a second, and always on the last batch.
  if (p.batch != p.batches && p.seconds - last_draw_ < 0.1) return;
  last_draw_ = p.seconds;
  std::fprintf(out_, "\r\033[K%s", progress_bar_line(p, terminal_width()).c_str());
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
