// SVG training curves: one row per run, loss (left) and accuracy (right) per epoch.
#include "train/plot.h"

#include "train/history_csv.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "base/error.h"
#include "base/file_io.h"

namespace blnk::train {
namespace {

// Layout (pixels). Each row: a header line (run name, legend), the panel titles,
// the panels, their epoch ticks and axis label. The right margin leaves room for
// the accuracy panel's frame; the gap between panels for its tick labels.
constexpr double kWidth = 900, kTitleHeight = 34, kRowHeight = 300;
constexpr double kPanelWidth = 350, kLossLeft = 70, kAccuracyLeft = 520;
constexpr double kHeaderHeight = 22, kPanelTop = 52, kPanelHeight = 190;
constexpr int kMaxEpochLabels = 12;     // more epochs get every k-th label
constexpr int kMaxEpochsWithDots = 25;  // beyond this the dots would merge into the line
constexpr std::uint64_t kMaxLogBytes = 64 << 20;

struct Series {
  const char* name;
  const char* colour;
  std::vector<double> values;  // per epoch; negative or NaN: none (no such set)
  bool empty() const {
    return std::none_of(values.begin(), values.end(), [](double v) { return v >= 0; });
  }
};

// The axis: [lo, hi] in steps of `step`, tick labels with `decimals`.
struct Axis {
  double lo, hi, step;
  int decimals;
};

// A step of 1, 2, 2.5 or 5 times a power of ten, close to range / 4.
double nice_step(double range) {
  const double raw = std::max(range, 1e-9) / 4;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0})
    if (raw <= m * power * 1.0001) return m * power;
  return 10 * power;
}

int decimals_for(double step) {
  int d = 0;
  while (d < 6 && std::fabs(step * std::pow(10.0, d) - std::round(step * std::pow(10.0, d))) > 1e-6) ++d;
  return d;
}

// Loss: from 0 up to a tick at or above the largest value.
Axis loss_axis(double largest) {
  const double step = nice_step(largest > 0 ? largest : 1);
  const double hi = std::max(step, std::ceil(largest / step - 1e-9) * step);
  return {0, hi, step, decimals_for(step)};
}

// Accuracy in percent: up to 100, down to a tick at or below the smallest value.
Axis accuracy_axis(double smallest_percent) {
  const double step = nice_step(std::max(100 - smallest_percent, 0.5));
  const double lo = std::max(0.0, std::floor(smallest_percent / step + 1e-9) * step);
  return {lo, 100, step, decimals_for(step)};
}

std::string escape_xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else if (c == '\'') out += "&apos;";
    else out += c;
  }
  return out;
}

std::string panel(double x0, double top, const char* label, const std::vector<Series>& series,
                  const std::vector<int>& epochs, const Axis& axis, double scale) {
  const double y0 = top + kPanelTop, h = kPanelHeight;
  const int n = int(epochs.size());
  auto px = [&](int i) { return x0 + (n > 1 ? kPanelWidth * i / (n - 1) : kPanelWidth / 2); };
  auto py = [&](double v) { return y0 + h - h * (std::clamp(v * scale, axis.lo, axis.hi) - axis.lo) / (axis.hi - axis.lo); };
  std::ostringstream o;
  char buf[256];
  std::snprintf(buf, sizeof buf, "<text x='%.1f' y='%.1f' font-weight='bold'>%s</text>\n", x0, y0 - 8, label);
  o << buf;
  for (double v = axis.lo; v <= axis.hi + axis.step * 1e-6; v += axis.step) {
    const double y = y0 + h - h * (v - axis.lo) / (axis.hi - axis.lo);
    std::snprintf(buf, sizeof buf,
                  "<line x1='%.1f' y1='%.1f' x2='%.1f' y2='%.1f' stroke='#eee'/>"
                  "<text x='%.1f' y='%.1f' font-size='11' text-anchor='end'>%.*f%s</text>\n",
                  x0, y, x0 + kPanelWidth, y, x0 - 5, y + 4, axis.decimals, v, scale == 100 ? "%" : "");
    o << buf;
  }
  std::snprintf(buf, sizeof buf, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='none' stroke='#bbb'/>\n",
                x0, y0, kPanelWidth, h);
  o << buf;
  const int every = (n + kMaxEpochLabels - 1) / kMaxEpochLabels;
  for (int i = 0; i < n; ++i) {
    if (i % every != 0 && i != n - 1) continue;
    std::snprintf(buf, sizeof buf, "<text x='%.1f' y='%.1f' font-size='11' text-anchor='middle'>%d</text>\n", px(i),
                  y0 + h + 15, epochs[i]);
    o << buf;
  }
  std::snprintf(buf, sizeof buf, "<text x='%.1f' y='%.1f' font-size='12' text-anchor='middle'>epoch</text>\n",
                x0 + kPanelWidth / 2, y0 + h + 32);
  o << buf;
  for (const Series& s : series) {
    std::string points, dots;
    for (int i = 0; i < int(s.values.size()); ++i) {
      if (!(s.values[i] >= 0)) continue;
      std::snprintf(buf, sizeof buf, "%.1f,%.1f ", px(i), py(s.values[i]));
      points += buf;
      std::snprintf(buf, sizeof buf, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>", px(i), py(s.values[i]),
                    s.colour);
      dots += buf;
    }
    if (points.empty()) continue;
    o << "<polyline fill='none' stroke='" << s.colour << "' stroke-width='2' points='" << points << "'/>\n";
    // A single epoch is a point, not a line: always mark the epochs of short runs.
    if (n <= kMaxEpochsWithDots) o << dots << "\n";
  }
  return o.str();
}

// The header of a row: the run's name on the left, the legend of its sets on the right.
std::string row_header(double top, const std::string& name, const std::vector<Series>& series) {
  std::ostringstream o;
  char buf[320];
  const double y = top + kHeaderHeight - 6;
  if (!name.empty()) {
    std::snprintf(buf, sizeof buf, "<text x='%.1f' y='%.1f' font-size='13' fill='#333'>%s</text>\n", kLossLeft - 50,
                  y, escape_xml(name).c_str());
    o << buf;
  }
  constexpr double kEntryWidth = 100;
  int shown = 0;
  for (const Series& s : series) shown += !s.empty();
  double x = kAccuracyLeft + kPanelWidth - shown * kEntryWidth;
  for (const Series& s : series) {
    if (s.empty()) continue;
    std::snprintf(buf, sizeof buf,
                  "<rect x='%.1f' y='%.1f' width='16' height='4' fill='%s'/>"
                  "<text x='%.1f' y='%.1f' font-size='12'>%s</text>\n",
                  x, y - 5, s.colour, x + 21, y, s.name);
    o << buf;
    x += kEntryWidth;
  }
  return o.str();
}

}  // namespace

std::string plot_runs_svg(const std::vector<std::vector<EpochStats>>& runs, const std::string& title) {
  if (runs.empty() || std::any_of(runs.begin(), runs.end(), [](const auto& r) { return r.empty(); }))
    throw Error("plot: " + title + ": a run without epochs");
  const double height = kTitleHeight + kRowHeight * double(runs.size());
  std::ostringstream o;
  o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kWidth << "' height='" << height << "' viewBox='0 0 "
    << kWidth << " " << height << "' font-family='sans-serif' font-size='13'>\n"
    << "<rect width='100%' height='100%' fill='white'/>\n<title>" << escape_xml(title) << "</title>\n"
    << "<text x='20' y='22' font-size='14' font-weight='bold'>" << escape_xml(title) << "</text>\n";
  for (std::size_t r = 0; r < runs.size(); ++r) {
    const std::vector<EpochStats>& history = runs[r];
    std::vector<Series> loss = {{"train", "#1f77b4", {}}, {"validation", "#ff7f0e", {}}, {"test", "#2ca02c", {}}};
    std::vector<Series> accuracy = loss;
    std::vector<int> epochs;
    double largest_loss = 0, smallest_accuracy = 1;
    for (const EpochStats& e : history) {
      epochs.push_back(e.epoch);
      const double losses[] = {e.train_loss, e.val_loss, e.test_loss};
      const double accuracies[] = {e.train_accuracy, e.val_accuracy, e.test_accuracy};
      for (int k = 0; k < 3; ++k) {
        loss[k].values.push_back(losses[k]);
        accuracy[k].values.push_back(accuracies[k]);
        if (losses[k] >= 0 && std::isfinite(losses[k])) largest_loss = std::max(largest_loss, losses[k]);
        if (accuracies[k] >= 0) smallest_accuracy = std::min(smallest_accuracy, accuracies[k]);
      }
    }
    const double top = kTitleHeight + kRowHeight * double(r);
    const std::string span = epochs.size() == 1 ? "epoch " + std::to_string(epochs.front())
                                                : "epochs " + std::to_string(epochs.front()) + "-" +
                                                      std::to_string(epochs.back());
    const std::string name =
        runs.size() == 1 ? "" : "run " + std::to_string(r + 1) + " of " + std::to_string(runs.size()) + ": " + span;
    o << "<g class='run'>\n" << row_header(top, name, loss);
    o << panel(kLossLeft, top, "loss", loss, epochs, loss_axis(largest_loss), 1);
    o << panel(kAccuracyLeft, top, "accuracy", accuracy, epochs, accuracy_axis(100 * smallest_accuracy), 100);
    o << "</g>\n";
  }
  o << "</svg>\n";
  return o.str();
}

std::string plot_history_svg(const std::vector<EpochStats>& history, const std::string& title) {
  return plot_runs_svg({history}, title);
}

std::vector<std::vector<EpochStats>> read_history_log(const std::string& path) {
  const auto bytes = read_file_bytes(path, kMaxLogBytes);
  auto runs = parse_history_csv(std::string(bytes.begin(), bytes.end()), path);
  if (runs.empty()) throw Error(path + ": no epochs in this log");
  return runs;
}

}  // namespace blnk::train
