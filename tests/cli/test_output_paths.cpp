// Where commands write, checked before any work (exit 1 for what the machine
// refuses, naming the option and the path; exit 2 for a path of the wrong kind is
// in test_bad_options.cpp); a --log that fails mid-run keeps the model; predict's
// empty directories; which data files are missing; the no-terminal progress lines.
#include <doctest/doctest.h>

#include <cstdlib>

#include "cli_test_util.h"

using namespace blnk::cli_test;

namespace {

std::vector<std::string> train_args(const SyntheticFiles& set, const std::string& out) {
  return {"train", "--train-images", set.images_path, "--train-labels", set.labels_path, "--arch", kSmallSpec,
          "--epochs", "1", "--quiet", "--out", out};
}

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

std::size_t files_in(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) n += entry.is_regular_file();
  return n;
}

}  // namespace

TEST_CASE("output paths: a missing or unwritable folder is refused before training, naming the option and path") {
  TempDir tmp("outpaths");
  const TempDir scratch("outpaths-runs");
  const SyntheticFiles set = write_synthetic(tmp, 100, 2);
  const std::string missing = tmp.file("no-such-folder/m.blnk");
  const std::size_t inputs = files_in(tmp.path());
  struct Case {
    std::vector<std::string> extra;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--out", missing}, "--out " + missing + ": the folder " + tmp.file("no-such-folder") + " does not exist"},
      {{"--log", missing}, "--log " + missing + ": the folder"},
      {{"--plot", missing}, "--plot " + missing + ": the folder"},
      {{"--checkpoint-dir", tmp.file("no-such-folder")}, "--checkpoint-dir " + tmp.file("no-such-folder") +
                                                             ": the folder does not exist"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.message);
    const RunResult r = run_blnk(with(train_args(set, tmp.file("m.blnk")), c.extra), scratch);
    CAPTURE(r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, c.message));
    CHECK(files_in(tmp.path()) == inputs);  // no model, no checkpoint, no log anywhere
  }
  const std::string locked = unwritable_folder(tmp);
  if (locked.empty()) {
    MESSAGE("not checked: no folder this user cannot write (root)");  // the cases above ran
    return;
  }
  for (const char* option : {"--out", "--log", "--plot"}) {
    CAPTURE(option);
    const std::string target = locked + "/m.out";
    const std::vector<std::string> args =
        std::string(option) == "--out" ? train_args(set, target) : with(train_args(set, tmp.file("m.blnk")), {option, target});
    const RunResult r = run_blnk(args, scratch);
    CAPTURE(r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, std::string(option) + " " + target + ": cannot write in " + locked));
    CHECK(files_in(tmp.path()) == inputs);
  }
  const RunResult p = run_blnk({"predict", "--save-preprocessed", locked + "/seen", set.images_path}, scratch);
  CHECK(p.status == 1);
  CHECK(contains(p.err, "--save-preprocessed " + locked + "/seen: cannot create the folder"));
  CHECK(p.out.empty());  // refused before any image was read
  const RunResult e = run_blnk({"export-onnx", bundled_model(), "--out", locked + "/m.onnx"}, scratch);
  CHECK(e.status == 1);
  CHECK(contains(e.err, "--out " + locked + "/m.onnx: cannot write in"));
}

TEST_CASE("output paths: --out a directory leaves no checkpoint beside it, and --checkpoint-dir holds the checkpoint") {
  TempDir tmp("ckptdir");
  const TempDir scratch("ckptdir-runs");
  const SyntheticFiles set = write_synthetic(tmp, 100, 2);
  const std::string dir = tmp.dir("models");
  const RunResult bad = run_blnk(train_args(set, dir), scratch);
  CHECK(bad.status == 2);
  CHECK_FALSE(std::filesystem::exists(tmp.file("models.ckpt")));
  const std::string checkpoints = tmp.dir("checkpoints");
  const RunResult good =
      run_blnk(with(train_args(set, tmp.file("models/m.blnk")), {"--checkpoint-dir", checkpoints}), scratch);
  CAPTURE(good.err);
  CHECK(good.status == 0);
  CHECK(std::filesystem::exists(checkpoints + "/m.blnk.ckpt"));
  CHECK_FALSE(std::filesystem::exists(dir + "/m.blnk.ckpt"));
}

TEST_CASE("output paths: a --log that stops taking rows mid-run is reported, and the model is still written") {
  TempDir tmp("logfail");
  const TempDir scratch("logfail-runs");
  const SyntheticFiles set = write_synthetic(tmp, 2000, 4);
  const std::string log = tmp.file("log.csv"), out = tmp.file("m.blnk");
  // The log is replaced by a directory once its header is written: every epoch's row then fails.
  // Ten epochs: the shell swaps the log long before the run could end, however loaded the machine.
  std::string command = blnk_binary();
  for (const std::string& a : with(train_args(set, out), {"--epochs", "10", "--log", log})) command += " '" + a + "'";
  const std::string script = command + " & pid=$!; while [ ! -s '" + log + "' ]; do sleep 0.005; done; rm '" + log +
                             "'; mkdir '" + log + "'; wait $pid";
  const RunResult r = run_program({"/bin/sh", "-c", script}, scratch);
  CAPTURE(r.err);
  CHECK(r.status == 1);
  CHECK(contains(r.err, "--log " + log + ": cannot append epoch"));
  CHECK(contains(r.err, "the model was written to " + out));
  REQUIRE(std::filesystem::exists(out));
  CHECK(run_blnk({"summary", out}, scratch).status == 0);
}

TEST_CASE("data files: half a test pair in --data names the missing file, and no test set says evaluation is skipped") {
  TempDir tmp("datafiles");
  const TempDir scratch("datafiles-runs");
  const SyntheticFiles set = write_synthetic(tmp, 100, 6);
  const std::string data = tmp.dir("mnist");
  std::filesystem::copy_file(set.images_path, data + "/train-images-idx3-ubyte");
  std::filesystem::copy_file(set.labels_path, data + "/train-labels-idx1-ubyte");
  const std::vector<std::string> args = {"train", "--data", data, "--arch", kSmallSpec, "--epochs", "1", "--out",
                                         tmp.file("m.blnk")};
  RunResult r = run_blnk(args, scratch);
  CAPTURE(r.err);
  CHECK(r.status == 0);
  CHECK(contains(r.err, "test evaluation is skipped"));
  CHECK(r.err.find("test evaluation is skipped") == r.err.rfind("test evaluation is skipped"));  // once

  std::filesystem::copy_file(set.labels_path, data + "/t10k-labels-idx1-ubyte");
  r = run_blnk(args, scratch);
  CHECK(r.status == 1);
  CHECK(contains(r.err, "--data " + data + ": has t10k-labels-idx1-ubyte but no t10k-images-idx3-ubyte"));
  CHECK_FALSE(contains(r.err, "give both"));

  std::filesystem::copy_file(set.images_path, data + "/t10k-images-idx3-ubyte");
  r = run_blnk(args, scratch);
  CHECK(r.status == 0);
  CHECK_FALSE(contains(r.err, "skipped"));
  CHECK(contains(r.err, "| test loss"));
}

TEST_CASE("progress: without a terminal a plain line comes every BLNK_PROGRESS_SECONDS, and a bad value is said") {
  TempDir tmp("progress");
  const TempDir scratch("progress-runs");
  const SyntheticFiles set = write_synthetic(tmp, 3000, 7);
  std::vector<std::string> args = train_args(set, tmp.file("m.blnk"));
  args.erase(std::find(args.begin(), args.end(), "--quiet"));
  args.insert(args.end(), {"--batch-size", "8", "--threads", "1"});
  ::setenv("BLNK_PROGRESS_SECONDS", "0.001", 1);
  const RunResult r = run_blnk(args, scratch);
  ::setenv("BLNK_PROGRESS_SECONDS", "soon", 1);
  const RunResult bad = run_blnk(args, scratch);
  ::unsetenv("BLNK_PROGRESS_SECONDS");
  CAPTURE(r.err);
  CHECK(r.status == 0);
  int plain = 0;
  for (const std::string& line : lines_of(r.err))
    if (line.rfind("epoch 1/1, batch ", 0) == 0) {
      ++plain;
      CHECK(contains(line, ": loss "));
      CHECK(contains(line, ", accuracy "));
      CHECK(contains(line, " img/s"));
    }
  CHECK(plain >= 2);
  CHECK_FALSE(contains(r.err, "\r"));  // no bar without a terminal
  CHECK(bad.status == 0);
  CHECK(contains(bad.err, "BLNK_PROGRESS_SECONDS='soon' is not a positive number of seconds; using 10"));
}

TEST_CASE("progress: on a terminal the bar fits its width") {
  TempDir tmp("progress-tty");
  const TempDir scratch("progress-tty-runs");
  if (!std::filesystem::exists("/usr/bin/script")) {
    blnk::testing::skip_test("no /usr/bin/script to run blnk on a pseudo-terminal");
    return;
  }
  const SyntheticFiles set = write_synthetic(tmp, 2000, 8);
  std::string command = "stty cols 56; " + blnk_binary();
  for (const std::string& a : train_args(set, tmp.file("m.blnk")))
    if (a != "--quiet") command += " '" + a + "'";
  const RunResult r = run_program({"/usr/bin/script", "-qfec", command, "/dev/null"}, scratch);
  CHECK(r.status == 0);
  int bars = 0;
  std::string shown;
  for (char c : r.out) {  // each redraw starts with \r and the erase-line sequence
    if (c != '\r' && c != '\n') {
      shown += c;
      continue;
    }
    if (shown.rfind("\033[Kepoch 1/1 [", 0) == 0) {
      ++bars;
      CAPTURE(shown);
      CHECK(shown.size() - 3 <= 55);  // less the erase-line sequence
    }
    shown.clear();
  }
  CHECK(bars >= 1);
}

TEST_CASE("plot: blnk plot draws each run of a log apart, and a one-epoch run as points") {
  TempDir tmp("plotcli");
  const TempDir scratch("plotcli-runs");
  const SyntheticFiles set = write_synthetic(tmp, 200, 9);
  const std::string log = tmp.file("log.csv");
  CHECK(run_blnk(with(train_args(set, tmp.file("a.blnk")), {"--epochs", "2", "--log", log}), scratch).status == 0);
  CHECK(run_blnk(with(train_args(set, tmp.file("b.blnk")), {"--log", log}), scratch).status == 0);
  const RunResult r = run_blnk({"plot", log, "--out", tmp.file("chart.svg")}, scratch);
  CAPTURE(r.err);
  CHECK(r.status == 0);
  CHECK(contains(r.err, "(2 runs, 3 epochs)"));
  const std::string svg = read_text(tmp.file("chart.svg"));
  CHECK(contains(svg, "run 1 of 2: epochs 1-2"));
  CHECK(contains(svg, "run 2 of 2: epoch 1<"));
  CHECK(contains(svg, "<circle"));
  const RunResult missing = run_blnk({"plot", tmp.file("none.csv"), "--out", tmp.file("x.svg")}, scratch);
  CHECK(missing.status == 1);
  CHECK(contains(missing.err, tmp.file("none.csv")));
  CHECK_FALSE(std::filesystem::exists(tmp.file("x.svg")));
}
