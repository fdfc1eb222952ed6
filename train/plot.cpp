// SVG training curves and the CSV epoch log.
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

constexpr double kWidth = 900, kHeight = 360, kPanel = 400, kMargin = 50;
constexpr std::uint64_t kMaxLogBytes = 64 << 20;

struct Series {
  const char* name;
  const char* colour;
  std::vector<double> values;
};

std::string escape_xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

std::string panel(double x0, const char* label, const std::vector<Series>& series, int epochs, bool percent) {
  double lo = 1e300, hi = -1e300;
  for (const Series& s : series)
    for (double v : s.values)
      if (v >= 0) lo = std::min(lo, v), hi = std::max(hi, v);
  if (lo > hi) lo = 0, hi = 1;
  if (hi - lo < 1e-9) hi = lo + 1e-3;
  const double pad = (hi - lo) * 0.08;
  lo -= pad, hi += pad;
  const double y0 = 40, h = kHeight - 90;
  auto px = [&](int i) { return x0 + (epochs > 1 ? kPanel * i / (epochs - 1) : kPanel / 2); };
  auto py = [&](double v) { return y0 + h - h * (v - lo) / (hi - lo); };
  std::ostringstream o;
  char buf[256];
  std::snprintf(buf, sizeof buf, "<text x='%.1f' y='25' font-weight='bold'>%s</text>\n", x0, label);
  o << buf;
  std::snprintf(buf, sizeof buf, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='none' stroke='#bbb'/>\n", x0,
                y0, kPanel, h);
  o << buf;
  for (int t = 0; t <= 4; ++t) {
    const double v = lo + (hi - lo) * t / 4;
    std::snprintf(buf, sizeof buf, "<text x='%.1f' y='%.1f' font-size='11' text-anchor='end'>%.*f%s</text>\n", x0 - 4,
                  py(v) + 4, percent ? 2 : 3, percent ? 100 * v : v, percent ? "%" : "");
    o << buf;
  }
  for (int i = 0; i < epochs; ++i) {
    std::snprintf(buf, sizeof buf, "<text x='%.1f' y='%.1f' font-size='11' text-anchor='middle'>%d</text>\n", px(i),
                  y0 + h + 16, i + 1);
    o << buf;
  }
  std::snprintf(buf, sizeof buf, "<text x='%.1f' y='%.1f' font-size='12' text-anchor='middle'>epoch</text>\n",
                x0 + kPanel / 2, y0 + h + 34);
  o << buf;
  for (const Series& s : series) {
    std::string points;
    for (int i = 0; i < int(s.values.size()); ++i) {
      if (s.values[i] < 0) continue;
      std::snprintf(buf, sizeof buf, "%.1f,%.1f ", px(i), py(s.values[i]));
      points += buf;
    }
    if (points.empty()) continue;
    o << "<polyline fill='none' stroke='" << s.colour << "' stroke-width='2' points='" << points << "'/>\n";
  }
  return o.str();
}

}  // namespace

std::string plot_history_svg(const std::vector<EpochStats>& history, const std::string& title) {
  std::vector<Series> loss = {{"train", "#1f77b4", {}}, {"validation", "#ff7f0e", {}}, {"test", "#2ca02c", {}}};
  std::vector<Series> acc = loss;
  for (const EpochStats& e : history) {
    loss[0].values.push_back(e.train_loss);
    loss[1].values.push_back(e.val_loss);
    loss[2].values.push_back(e.test_loss);
    acc[0].values.push_back(e.train_accuracy);
    acc[1].values.push_back(e.val_accuracy);
    acc[2].values.push_back(e.test_accuracy);
  }
  std::ostringstream o;
  o << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kWidth << "' height='" << kHeight
    << "' font-family='sans-serif' font-size='13'>\n<rect width='100%' height='100%' fill='white'/>\n";
  o << "<title>" << escape_xml(title) << "</title>\n";
  o << panel(kMargin, "loss", loss, int(history.size()), false);
  o << panel(kMargin + kPanel + 50, "accuracy", acc, int(history.size()), true);
  double x = kMargin;
  for (const Series& s : loss) {
    o << "<rect x='" << x << "' y='" << kHeight - 22 << "' width='14' height='4' fill='" << s.colour << "'/>"
      << "<text x='" << x + 18 << "' y='" << kHeight - 16 << "' font-size='12'>" << s.name << "</text>\n";
    x += 110;
  }
  o << "</svg>\n";
  return o.str();
}

std::vector<std::vector<EpochStats>> read_history_log(const std::string& path) {
  const auto bytes = read_file_bytes(path, kMaxLogBytes);
  auto runs = parse_history_csv(std::string(bytes.begin(), bytes.end()), path);
  if (runs.empty()) throw Error(path + ": no epochs in this log");
  return runs;
}

}  // namespace blnk::train
