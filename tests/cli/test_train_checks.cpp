// blnk train checks the model against the data before any work: a spec that
// does not end in class scores is an error naming it, never a crash.
#include "cli_test_util.h"

using namespace blnk;
using namespace blnk::cli_test;

TEST_CASE("train: a spec without a dense layer of class scores is refused before training, not a crash") {
  TempDir tmp("nodense");
  const SyntheticFiles set = write_synthetic(tmp, 100, 3);
  for (const char* spec : {"conv8,pool,flatten", "conv8,pool", "flatten,dense10,relu"}) {
    CAPTURE(spec);
    const RunResult r = run_blnk({"train", "--train-images", set.images_path, "--train-labels", set.labels_path,
                                  "--arch", spec, "--quiet", "--out", tmp.file("m.blnk")}, tmp);
    INFO("stderr:\n" << r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, "not in class scores"));
    CHECK_FALSE(contains(r.err, "terminate"));
    CHECK_FALSE(std::filesystem::exists(tmp.file("m.blnk")));
  }
}

TEST_CASE("train: with fewer OpenMP threads than --threads, every slice is still trained: the same model") {
  TempDir tmp("fewthreads");
  const SyntheticFiles set = write_synthetic(tmp, 300, 3);
  auto args = [&](const std::string& out) {
    return std::vector<std::string>{"train", "--train-images", set.images_path, "--train-labels", set.labels_path,
                                    "--arch", kSmallSpec, "--threads", "2", "--epochs", "1", "--quiet",
                                    "--out", tmp.file(out)};
  };
  REQUIRE(run_blnk(args("two.blnk"), tmp).status == 0);
  std::vector<std::string> limited = {"/usr/bin/env", "OMP_THREAD_LIMIT=1", blnk_binary()};
  for (const std::string& a : args("limited.blnk")) limited.push_back(a);
  const RunResult r = run_program(limited, tmp);
  INFO("stderr:\n" << r.err);
  REQUIRE(r.status == 0);
  CHECK(read_text(tmp.file("limited.blnk")) == read_text(tmp.file("two.blnk")));
}

TEST_CASE("train: buffers beyond the machine's memory are refused before they are allocated, naming the options") {
  TempDir tmp("hugebatch");
  const SyntheticFiles set = write_synthetic(tmp, 100, 3);
  const RunResult r = run_blnk({"train", "--train-images", set.images_path, "--train-labels", set.labels_path,
                                "--batch-size", "65536", "--threads", "256", "--quiet", "--out", tmp.file("m.blnk")},
                               tmp);
  INFO("stderr:\n" << r.err);
  CHECK(r.status == 1);
  CHECK(contains(r.err, "use a smaller --batch-size or fewer --threads"));
  CHECK_FALSE(std::filesystem::exists(tmp.file("m.blnk")));
}

TEST_CASE("train: a validation split that leaves no training images says so, naming the options") {
  TempDir tmp("valsplit");
  const SyntheticFiles set = write_synthetic(tmp, 100, 3);
  const RunResult r = run_blnk({"train", "--train-images", set.images_path, "--train-labels", set.labels_path,
                                "--arch", kSmallSpec, "--val-split", "0.99", "--limit", "10", "--quiet",
                                "--out", tmp.file("m.blnk")}, tmp);
  INFO("stderr:\n" << r.err);
  CHECK(r.status == 1);
  CHECK(contains(r.err, "leaves no training images (--val-split, --limit)"));
  CHECK(contains(r.err, "the validation split 0.99 of 10 images"));  // as given, not 0.990000
}

TEST_CASE("train: trained.date is SOURCE_DATE_EPOCH's day when set, and a value that is no count of seconds is said") {
  TempDir tmp("date");
  const SyntheticFiles set = write_synthetic(tmp, 100, 3);
  auto train_with = [&](const std::string& epoch, const std::string& out) {
    std::vector<std::string> cmd = {"/usr/bin/env", "SOURCE_DATE_EPOCH=" + epoch, blnk_binary(), "train",
                                    "--train-images", set.images_path, "--train-labels", set.labels_path,
                                    "--arch", kSmallSpec, "--epochs", "1", "--quiet", "--out", tmp.file(out)};
    return run_program(cmd, tmp);
  };
  const RunResult fixed = train_with("86400", "fixed.blnk");  // 1970-01-02
  INFO("stderr:\n" << fixed.err);
  REQUIRE(fixed.status == 0);
  const RunResult summary = run_blnk({"summary", tmp.file("fixed.blnk")}, tmp);
  CHECK(contains(summary.out, "trained.date: 1970-01-02"));
  const RunResult bad = train_with("yesterday", "bad.blnk");
  REQUIRE(bad.status == 0);
  CHECK(contains(bad.err, "SOURCE_DATE_EPOCH 'yesterday' is not a count of seconds"));
  CHECK_FALSE(contains(run_blnk({"summary", tmp.file("bad.blnk")}, tmp).out, "trained.date: 1970"));
}
