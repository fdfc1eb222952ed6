// blnk train --resume of a model with batch normalization and residual blocks: the
// resumed run's model file holds the parameters and the running statistics of the
// uninterrupted run, bit for bit.
#include "cli_test_util.h"
#include "engine/model_file.h"

using namespace blnk;
using namespace blnk::cli_test;

namespace {

constexpr const char* kBnSpec = "conv8:s=2,bn,res8,res12:s=2,avgpool,bn,gap,dense16,bn,dense10";

std::vector<std::string> train_args(const SyntheticFiles& set, const std::string& out, const std::string& epochs) {
  return {"train", "--train-images", set.images_path, "--train-labels", set.labels_path, "--arch", kBnSpec,
          "--threads", "2", "--batch-size", "32", "--seed", "6", "--epochs", epochs, "--quiet", "--out", out};
}

}  // namespace

TEST_CASE("train --resume of a model with bn and residual blocks ends with the uninterrupted run's model, state included") {
  TempDir tmp("resume-bn");
  const SyntheticFiles set = write_synthetic(tmp, 200, 5);
  const std::string straight = tmp.file("straight.blnk"), resumed = tmp.file("resumed.blnk");
  REQUIRE(run_blnk(train_args(set, straight, "3"), tmp).status == 0);
  REQUIRE(run_blnk(train_args(set, resumed, "1"), tmp).status == 0);
  std::vector<std::string> again = train_args(set, resumed, "3");
  again.push_back("--resume");
  const RunResult r = run_blnk(again, tmp);
  INFO("stderr:\n" << r.err);
  REQUIRE(r.status == 0);
  const ModelFile a = read_model_file(straight), b = read_model_file(resumed);
  CHECK(a.spec == b.spec);
  REQUIRE(a.tensors.size() == b.tensors.size());
  int state_tensors = 0;
  for (std::size_t i = 0; i < a.tensors.size(); ++i) {
    CAPTURE(a.tensors[i].name);
    CHECK(a.tensors[i].name == b.tensors[i].name);
    CHECK(a.tensors[i].data == b.tensors[i].data);
    state_tensors += a.tensors[i].name.find("/moving_") != std::string::npos;
  }
  CHECK(state_tensors == 2 * (3 + 2 + 3));  // three bn of their own, two in a block, three with a shortcut conv
  // The running statistics have moved from their start (mean 0, variance 1).
  const StoredTensor* variance = a.find_tensor("batch_normalization/moving_variance");
  REQUIRE(variance != nullptr);
  CHECK(variance->data != std::vector<float>(variance->data.size(), 1.0f));
  // The summary counts them as non-trainable.
  const RunResult summary = run_blnk({"summary", straight}, tmp);
  CHECK(contains(summary.out, "residual_block_1 (ResidualBlock)"));
  CHECK(contains(summary.out, "Non-trainable params: 176"));
}
