// The training chart (train/plot.h): runs drawn apart, a one-epoch run drawn as
// points, axes that end at 100% and start at 0, everything inside the picture;
// and the --log reader that feeds blnk plot.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "base/error.h"
#include "train/history_csv.h"
#include "train/plot.h"

using namespace blnk;
using namespace blnk::train;

namespace {

EpochStats epoch_of(int epoch, double loss, double accuracy, double test_accuracy = -1) {
  EpochStats e;
  e.epoch = epoch;
  e.train_loss = loss;
  e.train_accuracy = accuracy;
  if (test_accuracy >= 0) e.test_loss = loss * 1.1, e.test_accuracy = test_accuracy;
  return e;
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The tick labels of the panels: numbers at the end of a right-anchored text.
std::vector<std::string> tick_labels(const std::string& svg) {
  std::vector<std::string> labels;
  const std::regex tick("text-anchor='end'>([-0-9.]+%?)</text>");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), tick); it != std::sregex_iterator(); ++it)
    labels.push_back((*it)[1]);
  return labels;
}

// Every value of a numeric attribute (x, cx, height, ...), in document order.
std::vector<double> attribute_values(const std::string& svg, const std::string& name) {
  std::vector<double> values;
  const std::regex attr(" " + name + "='([-0-9.]+)'");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), attr); it != std::sregex_iterator(); ++it)
    values.push_back(std::stod((*it)[1]));
  REQUIRE(!values.empty());
  return values;
}
double attribute_max(const std::string& svg, const std::string& name) {
  const auto v = attribute_values(svg, name);
  return *std::max_element(v.begin(), v.end());
}
double attribute_min(const std::string& svg, const std::string& name) {
  const auto v = attribute_values(svg, name);
  return *std::min_element(v.begin(), v.end());
}

}  // namespace

TEST_CASE("plot: three runs are drawn as three rows, each named, not as one line over all epochs") {
  const std::vector<std::vector<EpochStats>> runs = {
      {epoch_of(1, 0.9, 0.80), epoch_of(2, 0.5, 0.90)},
      {epoch_of(1, 0.8, 0.82), epoch_of(2, 0.4, 0.91), epoch_of(3, 0.3, 0.93)},
      {epoch_of(1, 0.7, 0.85)}};
  const std::string svg = plot_runs_svg(runs, "log.csv");
  CHECK(count_of(svg, "<g class='run'>") == 3);
  CHECK(count_of(svg, "<polyline") == 6);  // train loss and accuracy per run
  CHECK(svg.find("run 1 of 3: epochs 1-2") != std::string::npos);
  CHECK(svg.find("run 2 of 3: epochs 1-3") != std::string::npos);
  CHECK(svg.find("run 3 of 3: epoch 1<") != std::string::npos);
  // The rows lie below one another: the picture is as tall as three rows.
  CHECK(attribute_max(svg, "height") > 3 * 250);
}

TEST_CASE("plot: a one-epoch run is drawn as points, not an empty chart") {
  const std::string svg = plot_history_svg({epoch_of(1, 0.7, 0.85, 0.88)}, "one epoch");
  CHECK(count_of(svg, "<circle") == 4);  // train and test, loss and accuracy
  CHECK(svg.find(">1</text>") != std::string::npos);  // the epoch's tick
}

TEST_CASE("plot: the accuracy axis ends at 100% and the loss axis starts at 0") {
  const std::string svg =
      plot_history_svg({epoch_of(1, 0.045, 0.9914, 0.9901), epoch_of(2, 0.031, 0.9957, 0.9942)}, "close to the top");
  const std::vector<std::string> labels = tick_labels(svg);
  REQUIRE(!labels.empty());
  double highest_percent = 0, lowest_loss = 1e9;
  for (const std::string& l : labels) {
    CAPTURE(l);
    CHECK(l[0] != '-');
    if (l.back() == '%') highest_percent = std::max(highest_percent, std::stod(l));
    else lowest_loss = std::min(lowest_loss, std::stod(l));
  }
  CHECK(highest_percent == 100);
  CHECK(lowest_loss == 0);
}

TEST_CASE("plot: everything lies inside the picture, and the legend is not on the axis labels") {
  const std::string svg = plot_history_svg({epoch_of(1, 2.1, 0.31, 0.35), epoch_of(2, 1.2, 0.65, 0.7)}, "inside");
  std::smatch size;
  REQUIRE(std::regex_search(svg, size, std::regex("<svg[^>]* width='([0-9.]+)'")));
  const double width = std::stod(size[1]);
  CHECK(attribute_min(svg, "x") >= 0);
  CHECK(attribute_min(svg, "cx") >= 0);
  // The right panel's frame: its right edge is inside the picture.
  const std::regex frame("<rect x='([0-9.]+)' y='[0-9.]+' width='([0-9.]+)' height='[0-9.]+' fill='none'");
  int frames = 0;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), frame); it != std::sregex_iterator(); ++it, ++frames)
    CHECK(std::stod((*it)[1]) + std::stod((*it)[2]) < width - 5);
  CHECK(frames == 2);
  // The legend's labels sit on another line than the epoch axis labels.
  const std::smatch legend = [&] {
    std::smatch m;
    std::regex_search(svg, m, std::regex("<text x='[0-9.]+' y='([0-9.]+)' font-size='12'>train</text>"));
    return m;
  }();
  std::smatch axis;
  REQUIRE(std::regex_search(svg, axis, std::regex("y='([0-9.]+)' font-size='12' text-anchor='middle'>epoch<")));
  REQUIRE(!legend.empty());
  CHECK(std::abs(std::stod(legend[1]) - std::stod(axis[1])) > 20);
}

TEST_CASE("plot: a run without epochs is an error, not an empty chart") {
  CHECK_THROWS_AS(plot_runs_svg({}, "nothing"), Error);
  CHECK_THROWS_AS(plot_runs_svg({{epoch_of(1, 1, 0.5)}, {}}, "half"), Error);
}

TEST_CASE("plot: read_history_log returns the runs of a log, and names a missing file") {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("blnk-plot-" + std::to_string(::getpid()) + ".csv")).string();
  {
    std::ofstream f(path);
    f << history_csv_header() << history_csv_row(epoch_of(1, 1, 0.5), CsvPrecision::readable)
      << history_csv_header() << history_csv_row(epoch_of(1, 0.9, 0.6), CsvPrecision::readable)
      << history_csv_row(epoch_of(2, 0.8, 0.7), CsvPrecision::readable);
  }
  const auto runs = read_history_log(path);
  std::filesystem::remove(path);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].size() == 1);
  CHECK(runs[1].size() == 2);
  try {
    read_history_log(path);
    FAIL("a missing log was read");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find(path) != std::string::npos);
  }
}
