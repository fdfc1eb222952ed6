// Smoke tests of the other commands through the real binary: `blnk summary`,
// `blnk eval --json`, and `blnk train` on a tiny IDX set made here (synthetic,
// so it needs no data set) writing a model that `eval`, `summary` and `predict`
// then read; a bad IDX file gives an error naming it and exit status 1; SIGINT
// during training saves a checkpoint and --resume ends with the uninterrupted model.
#include <doctest/doctest.h>

#include <signal.h>

#include <filesystem>

#include "cli/cli_test_util.h"
#include "data/idx.h"
#include "data/image_write.h"

using namespace blnk;
using namespace blnk::cli_test;

namespace {

constexpr int kTrainCount = 400, kTestCount = 100;

}  // namespace

TEST_CASE("summary: the bundled model's layer table and parameter count") {
  TempDir tmp("summary");
  const RunResult r = run_blnk({"summary"}, tmp);
  INFO("stdout:\n" << r.out << "stderr:\n" << r.err);
  CHECK(r.status == 0);
  CHECK(contains(r.out, "mnist.blnk"));
  CHECK(contains(r.out, "conv2d (Conv2D)"));
  CHECK(contains(r.out, "dense_1 (Dense)"));
  CHECK(contains(r.out, "Total params: 131,530"));  // the seed's layers and three BatchNorms
  const RunResult arch = run_blnk({"summary", "--arch", kSmallSpec}, tmp);
  CHECK(arch.status == 0);
  CHECK(contains(arch.out, "Total params:"));
  const RunResult bad = run_blnk({"summary", "--model", tmp.file("missing.blnk")}, tmp);
  CHECK(bad.status == 1);
  CHECK(contains(bad.err, tmp.file("missing.blnk")));
}

TEST_CASE("train on a tiny IDX set writes a model that eval --json, summary and predict read") {
  TempDir tmp("train");
  std::vector<std::uint8_t> train_px, train_lb, test_px, test_lb;
  make_synthetic(kTrainCount, 1, train_px, train_lb);
  make_synthetic(kTestCount, 2, test_px, test_lb);
  const std::string ti = tmp.file("train-images-idx3-ubyte"), tl = tmp.file("train-labels-idx1-ubyte.gz");
  const std::string vi = tmp.file("t10k-images-idx3-ubyte.gz"), vl = tmp.file("t10k-labels-idx1-ubyte");
  data::write_idx_images(ti, kTrainCount, kSide, kSide, train_px);
  data::write_idx_labels(tl, train_lb, data::IdxCompression::gzip);
  data::write_idx_images(vi, kTestCount, kSide, kSide, test_px, data::IdxCompression::gzip);
  data::write_idx_labels(vl, test_lb);
  const std::string model = tmp.file("tiny.blnk");

  const RunResult t = run_blnk({"train", "--data", tmp.path().string(), "--arch", kSmallSpec, "--epochs", "2",
                                "--batch-size", "32", "--lr", "0.003", "--threads", "2", "--quiet", "--out", model},
                               tmp);
  INFO("train stdout:\n" << t.out << "stderr:\n" << t.err);
  REQUIRE(t.status == 0);
  REQUIRE(std::filesystem::exists(model));

  const RunResult e = run_blnk({"eval", "--json", "--model", model, "--test-images", vi, "--test-labels", vl}, tmp);
  INFO("eval stdout:\n" << e.out << "stderr:\n" << e.err);
  REQUIRE(e.status == 0);
  const Json j = parse_json(e.out);
  CHECK(int(j["count"].number) == kTestCount);
  const double accuracy = j["accuracy"].number;
  CHECK(int(j["correct"].number) == int(std::lround(accuracy * kTestCount)));
  CHECK(accuracy > 0.5);  // the classes are trivially separable
  REQUIRE(j["confusion"].items.size() == 10);
  int total = 0;
  for (const Json& row : j["confusion"].items) {
    REQUIRE(row.items.size() == 10);
    for (const Json& cell : row.items) total += int(cell.number);
  }
  CHECK(total == kTestCount);
  CHECK(j["precision"].items.size() == 10);
  CHECK(j["recall"].items.size() == 10);

  const RunResult s = run_blnk({"summary", model}, tmp);
  CHECK(s.status == 0);
  CHECK(contains(s.out, "spec: conv8"));
  CHECK(contains(s.out, "test.accuracy"));

  // The new model also drives predict (on one of its own training images).
  const std::string png = tmp.file("square.png");
  data::write_png(png, std::span(train_px.data(), kSide * kSide), kSide, kSide, 1);
  const RunResult p = run_blnk({"predict", "--json", "--model", model, png}, tmp);
  INFO("predict stdout:\n" << p.out << "stderr:\n" << p.err);
  CHECK(p.status == 0);
  CHECK(parse_json(p.out)["file"].text == png);
}

TEST_CASE("eval --json on the bundled model and MNIST test images") {
  if (!have_mnist()) return;
  TempDir tmp("eval");
  // The first 500 test images as a plain IDX pair, so the run takes a fraction of a second.
  constexpr int kCount = 500;
  const auto& m = *mnist_test();
  const std::string images = tmp.file("images.idx"), labels = tmp.file("labels.idx");
  data::write_idx_images(images, kCount, 28, 28, std::span(m.images.pixels.data(), kCount * 784));
  data::write_idx_labels(labels, std::span(m.labels.labels.data(), kCount));
  const RunResult r = run_blnk({"eval", "--json", "--threads", "2", "--test-images", images, "--test-labels", labels}, tmp);
  INFO("stdout:\n" << r.out << "stderr:\n" << r.err);
  REQUIRE(r.status == 0);
  const Json j = parse_json(r.out);
  CHECK(int(j["count"].number) == kCount);
  CHECK(j["accuracy"].number >= 0.98);
  CHECK(j["mean_loss"].number > 0.0);
  // The plain form says the same.
  const RunResult plain = run_blnk({"eval", "--threads", "2", "--test-images", images, "--test-labels", labels}, tmp);
  CHECK(plain.status == 0);
  CHECK(contains(plain.out, "accuracy"));
}

TEST_CASE("train and eval: a bad IDX file gives an error naming it, exit 1") {
  TempDir tmp("badidx");
  const SyntheticFiles set = write_synthetic(tmp, 50, 3);
  const std::vector<std::uint8_t>& px = set.pixels;
  const std::vector<std::uint8_t>& lb = set.labels;
  const std::string& images = set.images_path;
  const std::string& labels = set.labels_path;
  const std::string text = tmp.file("not-idx.txt");
  write_text(text, "this is not an IDX file\n");
  std::vector<std::uint8_t> cut = data::encode_idx_images(50, kSide, kSide, px);
  cut.resize(cut.size() - 100);
  const std::string truncated = tmp.file("truncated.idx");
  write_bytes(truncated, cut);
  std::vector<std::uint8_t> bad_labels = data::encode_idx_labels(lb);
  bad_labels.back() = 42;  // a label out of range
  const std::string label_42 = tmp.file("label42.idx");
  write_bytes(label_42, bad_labels);
  const std::string short_labels = tmp.file("short-labels.idx");
  data::write_idx_labels(short_labels, std::span(lb.data(), 40));

  struct Case {
    std::vector<std::string> args;
    std::string named;
  };
  const std::string out = tmp.file("never.blnk");
  const std::vector<Case> cases = {
      {{"train", "--train-images", text, "--train-labels", labels, "--epochs", "1", "--quiet", "--out", out}, text},
      {{"train", "--train-images", truncated, "--train-labels", labels, "--epochs", "1", "--quiet", "--out", out}, truncated},
      {{"train", "--train-images", images, "--train-labels", label_42, "--epochs", "1", "--quiet", "--out", out}, label_42},
      {{"train", "--train-images", tmp.file("missing.idx"), "--train-labels", labels, "--quiet", "--out", out},
       tmp.file("missing.idx")},
      {{"eval", "--test-images", images, "--test-labels", short_labels}, short_labels},
      {{"eval", "--test-images", text, "--test-labels", labels}, text},
      {{"train", "--data", tmp.dir("empty"), "--quiet", "--out", out}, tmp.file("empty")},
  };
  for (const Case& c : cases) {
    std::string joined;
    for (const std::string& s : c.args) joined += s + " ";
    CAPTURE(joined);
    const RunResult r = run_blnk(c.args, tmp);
    INFO("stderr:\n" << r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, c.named));
    CHECK(contains(r.err, "error"));
  }
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("train: a bad --lr-schedule or --ema is refused before training, naming the value") {
  TempDir tmp("badtrainopts");
  const SyntheticFiles set = write_synthetic(tmp, 50, 3);
  const std::string out = tmp.file("never.blnk");
  struct Case {
    std::vector<std::string> extra;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--lr-schedule", "linear"}, "--lr-schedule 'linear': unknown; expected constant or cosine"},
      {{"--ema", "1"}, "--ema 1: out of range; expected 0 (off) or a momentum below 1"},
      {{"--ema", "-0.5"}, "--ema -0.5: out of range"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"train", "--train-images", set.images_path, "--train-labels", set.labels_path,
                                      "--arch", kSmallSpec, "--quiet", "--out", out};
    args.insert(args.end(), c.extra.begin(), c.extra.end());
    CAPTURE(c.message);
    const RunResult r = run_blnk(args, tmp);
    INFO("stderr:\n" << r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, c.message));
  }
  CHECK_FALSE(std::filesystem::exists(out));
}

TEST_CASE("train: SIGINT finishes the batch, saves a checkpoint and exits 130, and --resume ends with the uninterrupted model") {
  TempDir tmp("sigint");
  // A small network: the test is about the signal and the checkpoint, and under
  // ASan+UBSan the default network's three runs took two minutes.
  constexpr int kCount = 1000;
  std::vector<std::uint8_t> px, lb;
  make_synthetic(kCount, 3, px, lb);
  data::write_idx_images(tmp.file("train-images-idx3-ubyte"), kCount, kSide, kSide, px);
  data::write_idx_labels(tmp.file("train-labels-idx1-ubyte"), lb);
  auto train_args = [&](const std::string& out, int epochs) {
    return std::vector<std::string>{"train", "--train-images", tmp.file("train-images-idx3-ubyte"),
                                    "--train-labels", tmp.file("train-labels-idx1-ubyte"), "--arch", kSmallSpec, "--epochs",
                                    std::to_string(epochs), "--threads", "2", "--seed", "5", "--quiet", "--out", out};
  };
  const std::string model = tmp.file("model.blnk");

  // Start a run far longer than the test, wait for its first checkpoint (after
  // epoch 1), then interrupt it wherever it is by then.
  std::vector<std::string> argv_strings = train_args(model, 100000);
  argv_strings.insert(argv_strings.begin(), blnk_binary());
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 2, tmp.file("interrupted.err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  REQUIRE(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  const std::string checkpoint = model + ".ckpt";
  for (int waited = 0; waited < 600000 && !std::filesystem::exists(checkpoint); waited += 10) ::usleep(10000);
  ::kill(pid, SIGINT);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0) {
  }
  REQUIRE(WIFEXITED(wstatus));
  const std::string err = read_text(tmp.file("interrupted.err"));
  INFO("stderr:\n" << err);
  REQUIRE(WEXITSTATUS(wstatus) == 130);
  CHECK(contains(err, "interrupted: checkpoint saved to " + checkpoint));
  CHECK_FALSE(std::filesystem::exists(model));

  // Where it stopped: "checkpoint: N of 100000 epochs trained[, and B batches of epoch N+1]".
  const RunResult summary = run_blnk({"summary", checkpoint}, tmp);
  REQUIRE(summary.status == 0);
  const std::size_t at = summary.out.find("checkpoint: ");
  REQUIRE(at != std::string::npos);
  const int done = std::atoi(summary.out.c_str() + at + 12);
  REQUIRE(done >= 1);

  // Resumed to one epoch more, it ends on the model of an uninterrupted run of that length.
  std::vector<std::string> resume = train_args(model, done + 1);
  resume.push_back("--resume");
  const RunResult r = run_blnk(resume, tmp);
  INFO("resume stderr:\n" << r.err);
  REQUIRE(r.status == 0);
  const std::string reference = tmp.file("reference.blnk");
  REQUIRE(run_blnk(train_args(reference, done + 1), tmp).status == 0);
  CHECK(read_text(model) == read_text(reference));
}
