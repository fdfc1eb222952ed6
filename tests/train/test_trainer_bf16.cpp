// Training in bfloat16 (TrainConfig::precision, issue 26): bit-reproducible for a seed
// and thread count, the same model with the AVX512_BF16 instructions as with their
// emulation, not float32's model, and resumed from a checkpoint bit for bit; the
// checkpoint records the precision and a resume asking for another one is refused.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "interrupted_run.h"
#include "random_set.h"
#include "base/error.h"
#include "engine/network.h"
#include "layers/bf16_gemm.h"
#include "train/checkpoint.h"
#include "train/trainer.h"

using namespace blnk;
using namespace blnk::train;

namespace {

// A Winograd convolution (the second conv) and two dense layers; and a residual block
// whose stride-2 convolution and shortcut run by im2col: every bfloat16 path.
constexpr const char* kSpec = "conv8,conv8,pool,drop0.1,flatten,dense32,dense10";
constexpr const char* kResidualSpec = "conv8,bn,res8:s=2,gap,dense10";

TrainConfig config(Precision precision) {
  TrainConfig cfg;
  cfg.epochs = 2;
  cfg.batch_size = 32;
  cfg.threads = 2;
  cfg.seed = 5;
  cfg.precision = precision;
  return cfg;
}

struct Trained {
  std::vector<float> params;
  std::vector<EpochStats> history;
};

Trained train_once(const testing::RandomSet& set, const TrainConfig& cfg, const char* spec = kSpec) {
  Network net(spec);
  net.init(cfg.seed);
  Trainer trainer(net, cfg, set.view(), nullptr);
  trainer.run({});
  return {std::vector<float>(net.params().begin(), net.params().end()), trainer.history()};
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("blnk_test_" + name)).string();
}

}  // namespace

TEST_CASE("bf16 training is bit-reproducible, the same with the instructions as emulated, and not float32's") {
  const testing::RandomSet set(160, 7);
  for (const char* spec : {kSpec, kResidualSpec}) {
    CAPTURE(spec);
    const Trained a = train_once(set, config(Precision::bf16), spec), b = train_once(set, config(Precision::bf16), spec);
    CHECK(a.params == b.params);
    CHECK(a.history.back().train_loss < a.history.front().train_loss);  // it learns
    const Trained fp32 = train_once(set, config(Precision::fp32), spec);
    CHECK(a.params != fp32.params);
    if (bf16_hardware_available()) {
      bf16_set_hardware_allowed(false);
      const Trained emulated = train_once(set, config(Precision::bf16), spec);
      bf16_set_hardware_allowed(true);
      CHECK(emulated.params == a.params);
    } else {
      MESSAGE("this CPU has no AVX512_BF16: the emulation alone was run");
    }
  }
}

TEST_CASE("an interrupted bf16 run resumes bit for bit, and its checkpoint records the precision") {
  const testing::RandomSet set(200, 8);
  const std::string ckpt = temp_path("resume_bf16.blnk");
  const TrainConfig cfg = config(Precision::bf16);
  const Trained straight = train_once(set, cfg);

  Network first(kSpec);
  first.init(cfg.seed);
  REQUIRE(testing::train_until(first, cfg, set.view(), ckpt, 2, 2) == TrainOutcome::interrupted);
  const Checkpoint saved = read_checkpoint(ckpt);
  CHECK(saved.config.precision == Precision::bf16);

  // A resume that does not name the precision continues in the recorded one.
  ResumeRequest request{kSpec, false, config(Precision::fp32), {}};
  const ResumePlan quiet = plan_resume(saved, request);
  CHECK(quiet.conflicts.empty());
  CHECK(quiet.config.precision == Precision::bf16);
  // One that asks for another is refused, naming both.
  request.given = {"precision"};
  const ResumePlan refused = plan_resume(saved, request);
  REQUIRE(refused.conflicts.size() == 1);
  CHECK(refused.conflicts[0] == "--precision: the checkpoint was made with bf16, this command asks for fp32");

  Network resumed = network_from(saved.file, ckpt);
  TrainConfig restored = quiet.config;
  restored.checkpoint_path = ckpt;
  Trainer rest(resumed, restored, set.view(), nullptr);
  rest.resume_from(saved);
  CHECK(rest.run({}) == TrainOutcome::finished);
  CHECK(std::vector<float>(resumed.params().begin(), resumed.params().end()) == straight.params);

  // The trainer itself refuses a checkpoint of the other precision.
  Network other = network_from(saved.file, ckpt);
  Trainer fp32(other, config(Precision::fp32), set.view(), nullptr);
  CHECK_THROWS_AS(fp32.resume_from(saved), Error);
  std::filesystem::remove(ckpt);
}

TEST_CASE("a float32 checkpoint holds no precision entry and reads back as fp32") {
  const testing::RandomSet set(64, 9);
  const std::string ckpt = temp_path("fp32_precision.blnk");
  TrainConfig cfg = config(Precision::fp32);
  cfg.epochs = 1;
  cfg.checkpoint_path = ckpt;
  Network net(kSpec);
  net.init(cfg.seed);
  Trainer trainer(net, cfg, set.view(), nullptr);
  trainer.run({});
  const Checkpoint saved = read_checkpoint(ckpt);
  CHECK(saved.file.find_metadata("train.precision") == nullptr);  // float32 files are as before
  CHECK(saved.config.precision == Precision::fp32);
  std::filesystem::remove(ckpt);
}
