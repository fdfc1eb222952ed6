// blnk train --resume: what may change (more epochs, the learning rate, the
// thread count) is applied and printed; what may not (architecture, batch size,
// seed, optimizer, data, ...) is refused before any work, naming the option and
// both values. And --ema's warm-up on a short run.
#include "cli_test_util.h"
#include "engine/model_file.h"

using namespace blnk;
using namespace blnk::cli_test;

namespace {

struct Run {
  TempDir& tmp;
  SyntheticFiles set;
  std::string out;
  std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> a = {"train", "--train-images", set.images_path, "--train-labels", set.labels_path,
                                  "--arch", kSmallSpec, "--threads", "1", "--quiet", "--out", out};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

}  // namespace

TEST_CASE("train --resume refuses options it cannot honour, naming each with both values, and changes nothing") {
  TempDir tmp("resume-refuse");
  Run run{tmp, write_synthetic(tmp, 200, 3), tmp.file("m.blnk")};
  REQUIRE(run_blnk(run.args({"--epochs", "2", "--batch-size", "32", "--seed", "4"}), tmp).status == 0);
  const std::string checkpoint_before = read_text(run.out + ".ckpt"), model_before = read_text(run.out);
  struct Case {
    std::vector<std::string> extra;
    std::vector<std::string> messages;
  };
  const std::vector<Case> cases = {
      {{"--batch-size", "64"}, {"--batch-size: the checkpoint was made with 32, this command asks for 64"}},
      {{"--seed", "9", "--optimizer", "sgd"},
       {"--seed: the checkpoint was made with 4, this command asks for 9",
        "--optimizer: the checkpoint was made with adam, this command asks for sgd"}},
      {{"--arch", "conv4,pool,flatten,dense10"},
       {"--arch: the checkpoint holds conv8,pool,flatten,dense32:act=relu,dense10:act=linear, this command asks for "
        "conv4,pool,flatten,dense10"}},
      {{"--augment"}, {"--augment: the checkpoint was made with no --augment, this command asks for --augment digits"}},
      {{"--augment=crop"}, {"--augment: the checkpoint was made with no --augment, this command asks for --augment crop"}},
      {{"--ema", "0.9"}, {"--ema: the checkpoint was made with 0, this command asks for 0.9"}},
      {{"--precision", "bf16"}, {"--precision: the checkpoint was made with fp32, this command asks for bf16"}},
      {{"--epochs", "1"}, {"--epochs 1: ", "has already trained 2 epochs"}},
  };
  for (const Case& c : cases) {
    // The first run's own values, then the case's (cxxopts keeps the last value given).
    std::vector<std::string> extra = {"--resume", "--batch-size", "32", "--seed", "4"};
    extra.insert(extra.end(), c.extra.begin(), c.extra.end());
    const RunResult r = run_blnk(run.args(extra), tmp);
    INFO("stderr:\n" << r.err);
    CHECK(r.status == 2);
    for (const std::string& m : c.messages) CHECK(contains(r.err, m));
  }
  CHECK(read_text(run.out + ".ckpt") == checkpoint_before);
  CHECK(read_text(run.out) == model_before);
}

TEST_CASE("train --resume --epochs N with N epochs done writes their model, for a finished and an interrupted run alike") {
  TempDir tmp("resume-equal");
  Run run{tmp, write_synthetic(tmp, 200, 3), tmp.file("m.blnk")};
  REQUIRE(run_blnk(run.args({"--epochs", "2", "--batch-size", "32"}), tmp).status == 0);
  const std::string finished_model = read_text(run.out);
  const std::string checkpoint = run.out + ".ckpt";

  // Finished: the checkpoint of a 2-epoch run, resumed with --epochs 2.
  std::filesystem::remove(run.out);
  const RunResult finished = run_blnk(run.args({"--epochs", "2", "--resume"}), tmp);
  INFO("stderr:\n" << finished.err);
  CHECK(finished.status == 0);
  REQUIRE(std::filesystem::exists(run.out));
  CHECK(read_text(run.out) == finished_model);

  // Interrupted: the same position in a run that was to train 20 epochs (what a
  // kill after epoch 2 leaves), resumed with --epochs 2: the same model.
  ModelFile file = read_model_file(checkpoint);
  file.set_metadata("train.epochs", "20");
  write_model_file(checkpoint, file);
  std::filesystem::remove(run.out);
  const RunResult interrupted = run_blnk(run.args({"--epochs", "2", "--resume"}), tmp);
  INFO("stderr:\n" << interrupted.err);
  CHECK(interrupted.status == 0);
  CHECK(contains(interrupted.err, "resume: 2 epochs in all instead of 20"));
  REQUIRE(std::filesystem::exists(run.out));
  CHECK(read_text(run.out) == finished_model);

  // Fewer than are done: refused either way, the model left as it was.
  const RunResult fewer = run_blnk(run.args({"--epochs", "1", "--resume"}), tmp);
  CHECK(fewer.status == 2);
  CHECK(contains(fewer.err, "--epochs 1: the checkpoint has already trained 2 epochs; give --epochs 2 to write their "
                            "model, or more to train further"));
  CHECK(read_text(run.out) == finished_model);

  // Saved inside epoch 3 (Ctrl-C mid-epoch): epoch 2's end is behind it, so --epochs 2 is refused.
  file.set_metadata("train.batch", "3");
  write_model_file(checkpoint, file);
  CHECK(contains(run_blnk({"summary", checkpoint}, tmp).out,
                 "checkpoint: 2 of 20 epochs trained, and 3 batches of epoch 3\n"));
  const RunResult inside = run_blnk(run.args({"--epochs", "2", "--resume"}), tmp);
  INFO("stderr:\n" << inside.err);
  CHECK(inside.status == 2);
  CHECK(contains(inside.err, "--epochs 2: the checkpoint has already trained 2 epochs and 3 batches of epoch 3; "
                             "give --epochs 3 or more"));
}

TEST_CASE("train --resume on other data is refused, naming the checkpoint and the difference") {
  TempDir tmp("resume-data");
  Run run{tmp, write_synthetic(tmp, 200, 3), tmp.file("m.blnk")};
  REQUIRE(run_blnk(run.args({"--epochs", "1"}), tmp).status == 0);
  const RunResult fewer = run_blnk(run.args({"--epochs", "2", "--resume", "--limit", "150"}), tmp);
  INFO("stderr:\n" << fewer.err);
  CHECK(fewer.status == 1);
  CHECK(contains(fewer.err, "m.blnk.ckpt: the checkpoint was made on 200 training images, this run has 150"));
  const SyntheticFiles other = write_synthetic(tmp, 200, 77);  // same count, other images (overwrites the files)
  const RunResult changed = run_blnk(run.args({"--epochs", "2", "--resume"}), tmp);
  INFO("stderr:\n" << changed.err);
  CHECK(changed.status == 1);
  CHECK(contains(changed.err, "other training images or labels"));
}

TEST_CASE("train --resume applies more epochs and a new learning rate, and says so") {
  TempDir tmp("resume-apply");
  Run run{tmp, write_synthetic(tmp, 200, 3), tmp.file("m.blnk")};
  REQUIRE(run_blnk(run.args({"--epochs", "1", "--log", tmp.file("log.csv")}), tmp).status == 0);
  const RunResult r = run_blnk(run.args({"--epochs", "3", "--lr", "0.0005", "--resume", "--log", tmp.file("log.csv")}), tmp);
  INFO("stderr:\n" << r.err);
  REQUIRE(r.status == 0);
  CHECK(contains(r.err, "resume: 3 epochs in all instead of 1"));
  CHECK(contains(r.err, "resume: learning rate 0.0005 instead of 0.001"));
  CHECK(contains(r.err, "after 1 of 3 epochs"));
  const RunResult summary = run_blnk({"summary", run.out}, tmp);
  CHECK(contains(summary.out, "trained.epochs: 3"));
  // One run in the log: epochs 1, 2, 3 under one header.
  const std::vector<std::string> rows = lines_of(read_text(tmp.file("log.csv")));
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].rfind("epoch,", 0) == 0);
  CHECK(rows[3].rfind("3,", 0) == 0);
}

TEST_CASE("train --ema warms up: a one-epoch run with --ema 0.999 is about as good as one without") {
  TempDir tmp("ema-short");
  Run run{tmp, write_synthetic(tmp, 400, 3), tmp.file("plain.blnk")};
  const SyntheticFiles test = [&] {
    TempDir& t = tmp;
    SyntheticFiles f;
    make_synthetic(200, 99, f.pixels, f.labels);
    f.images_path = t.file("test-images.idx");
    f.labels_path = t.file("test-labels.idx");
    data::write_idx_images(f.images_path, 200, kSide, kSide, f.pixels);
    data::write_idx_labels(f.labels_path, f.labels);
    return f;
  }();
  auto accuracy = [&](const std::string& model) {
    const RunResult e = run_blnk({"eval", "--model", model, "--test-images", test.images_path, "--test-labels",
                                  test.labels_path}, tmp);
    INFO("eval:\n" << e.out << e.err);
    REQUIRE(e.status == 0);
    const std::size_t at = e.out.find("accuracy");
    REQUIRE(at != std::string::npos);
    return std::atof(e.out.c_str() + e.out.find_first_of("0123456789", at));
  };
  REQUIRE(run_blnk(run.args({"--epochs", "1", "--batch-size", "16"}), tmp).status == 0);
  run.out = tmp.file("ema.blnk");
  REQUIRE(run_blnk(run.args({"--epochs", "1", "--batch-size", "16", "--ema", "0.999"}), tmp).status == 0);
  const double plain = accuracy(tmp.file("plain.blnk")), averaged = accuracy(tmp.file("ema.blnk"));
  CAPTURE(plain);
  CAPTURE(averaged);
  CHECK(plain > 50);
  CHECK(averaged > plain - 15);  // without the warm-up: the initial weights' ~10%
}

TEST_CASE("train --epochs 0 is a usage error and writes nothing") {
  TempDir tmp("epochs0");
  Run run{tmp, write_synthetic(tmp, 100, 3), tmp.file("e0.blnk")};
  const RunResult r = run_blnk(run.args({"--epochs", "0"}), tmp);
  INFO("stderr:\n" << r.err);
  CHECK(r.status == 2);
  CHECK(contains(r.err, "--epochs"));
  CHECK_FALSE(std::filesystem::exists(run.out));
}
