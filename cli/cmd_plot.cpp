// blnk plot: a training log (blnk train --log) as an SVG chart.
#include <cxxopts.hpp>

#include <cstdio>
#include <vector>

#include "base/file_io.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "train/plot.h"

namespace blnk::cli {

int cmd_plot(int argc, char** argv) {
  cxxopts::Options options(argv[0], "Draw a training log (blnk train --log) as an SVG chart: loss and accuracy per "
                                    "epoch, each run appended to the log in a row of its own.");
  options.add_options()("log", "the CSV log", text())("out", "the SVG file to write", text("training.svg"))(
      "h,help", "this help");
  options.parse_positional({"log"});
  options.positional_help("LOG.csv [--out CHART.svg]");
  const auto parsed = parse_command(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  if (!args.count("log")) throw UsageError("give the log file (blnk plot LOG.csv --out CHART.svg)");
  const std::string log_path = input_file_option(args, "log"), out = args["out"].as<std::string>();
  check_output_file("out", out);
  const auto runs = train::read_history_log(log_path);
  const std::string svg = train::plot_runs_svg(runs, log_path);
  write_file_atomically(out, std::vector<std::uint8_t>(svg.begin(), svg.end()));
  std::size_t epochs = 0;
  for (const auto& run : runs) epochs += run.size();
  std::fprintf(stderr, "wrote %s (%zu run%s, %zu epoch%s)\n", out.c_str(), runs.size(), runs.size() == 1 ? "" : "s",
               epochs, epochs == 1 ? "" : "s");
  return 0;
}

}  // namespace blnk::cli
