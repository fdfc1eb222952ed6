// TrainConfig::precision and TrainConfig::resume (issue 26) through the public header:
// a bf16 run gives the parameters `blnk train --precision bf16` gives (every tensor
// byte of the model file; only the provenance differs), not float32's, and records
// its precision; a resumed run (of a finished or a cancelled run) continues in the
// checkpoint's precision and refuses another one with the command line's rules; bad
// values are named.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "blnk/blnk.h"
#include "train_test_util.h"

namespace {

using blnk_library_test::contains;
using blnk_library_test::IdxPair;
using blnk_library_test::message_of;

constexpr int kImages = 300;
// Its second convolution runs in bfloat16 (the first, direct one never does) and so does dense10.
constexpr const char* kArch = "conv4,pool,conv8,pool,flatten,dense10";

// The blnk binary: the path CMake passed (tests/library/CMakeLists.txt), else build/blnk.
std::string blnk_binary() {
#ifdef BLNK_BINARY_PATH
  return BLNK_BINARY_PATH;
#else
  return std::string(BLNK_SOURCE_DIR) + "/build/blnk";
#endif
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::uint32_t le32(const std::string& bytes, std::size_t at) {
  REQUIRE(at + 4 <= bytes.size());
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | std::uint8_t(bytes[at + std::size_t(i)]);
  return v;
}

// The bytes of a model file's tensors (docs/model-format.md: after the magic, version,
// spec, input shape and metadata; before the CRC): its parameters, without its provenance.
std::string tensor_bytes(const std::string& path) {
  const std::string bytes = read_bytes(path);
  std::size_t at = 8 + 4;             // magic, version
  at += 4 + le32(bytes, at);          // spec
  at += 3 * 4;                        // input h, w, c
  const std::uint32_t entries = le32(bytes, at);
  at += 4;
  for (std::uint32_t e = 0; e < 2 * entries; ++e) at += 4 + le32(bytes, at);  // key, value
  REQUIRE(at + 4 < bytes.size());
  return bytes.substr(at, bytes.size() - 4 - at);
}

blnk::TrainConfig config(const IdxPair& data, const std::string& out, const std::string& precision) {
  blnk::TrainConfig c = data.config(out);
  c.test_images.clear();
  c.test_labels.clear();
  c.arch = kArch;
  c.epochs = 1;
  c.seed = 3;
  c.precision = precision;
  return c;
}

// blnk train on the same files and settings as config(data, ...); its exit status.
int train_cli(const IdxPair& data, const std::string& out, const std::string& extra) {
  const std::string command = blnk_binary() + " train --train-images " + data.images + " --train-labels " +
                              data.labels + " --arch " + kArch + " --batch-size 16 --threads 2 --seed 3 --quiet --out " +
                              (data.dir / out).string() + " " + extra + " 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST_CASE("train_model with precision bf16 gives the parameters blnk train --precision bf16 gives, not float32's") {
  const IdxPair data(kImages);
  const blnk::TrainResult bf16 = blnk::train_model(config(data, "api-bf16.blnk", "bf16"));
  const blnk::TrainResult fp32 = blnk::train_model(config(data, "api-fp32.blnk", "fp32"));
  REQUIRE(train_cli(data, "cli-bf16.blnk", "--epochs 1 --precision bf16") == 0);
  REQUIRE(train_cli(data, "cli-fp32.blnk", "--epochs 1") == 0);

  const std::string cli_bf16 = (data.dir / "cli-bf16.blnk").string();
  CHECK(tensor_bytes(bf16.model_path) == tensor_bytes(cli_bf16));
  CHECK(tensor_bytes(fp32.model_path) == tensor_bytes((data.dir / "cli-fp32.blnk").string()));
  CHECK(tensor_bytes(bf16.model_path) != tensor_bytes(fp32.model_path));
  // Recorded as the command line records it; a float32 model records none.
  CHECK(blnk::Model::load(bf16.model_path).metadata("trained.precision") == "bf16");
  CHECK(blnk::Model::load(cli_bf16).metadata("trained.precision") == "bf16");
  CHECK(blnk::Model::load(fp32.model_path).metadata("trained.precision").empty());
}

TEST_CASE("a resumed run continues in its checkpoint's precision and refuses another one, as blnk train --resume does") {
  const IdxPair data(kImages);
  // Two bf16 epochs in one run; one epoch whose checkpoint is resumed to two, by the API and by blnk train.
  blnk::TrainConfig whole = config(data, "whole.blnk", "bf16");
  whole.epochs = 2;
  const std::string whole_tensors = tensor_bytes(blnk::train_model(whole).model_path);
  blnk::TrainConfig first = config(data, "first.blnk", "bf16");
  first.checkpoint = (data.dir / "first.blnk.ckpt").string();
  blnk::train_model(first);
  std::filesystem::copy_file(first.checkpoint, data.dir / "cli.blnk.ckpt");

  blnk::TrainConfig resumed = config(data, "resumed.blnk", "fp32");  // precision left at its default
  resumed.checkpoint = first.checkpoint;
  resumed.resume = true;
  resumed.epochs = 2;
  const blnk::TrainResult result = blnk::train_model(resumed);
  CHECK(result.epochs.size() == 2);
  CHECK(tensor_bytes(result.model_path) == whole_tensors);
  CHECK(blnk::Model::load(result.model_path).metadata("trained.precision") == "bf16");
  REQUIRE(train_cli(data, "cli.blnk", "--resume --epochs 2") == 0);
  CHECK(tensor_bytes((data.dir / "cli.blnk").string()) == whole_tensors);

  // Stopped by `cancel` inside its first epoch, and the same config resumed: the uninterrupted model.
  blnk::TrainConfig stopped = config(data, "stopped.blnk", "bf16");
  stopped.epochs = 2;
  stopped.checkpoint = (data.dir / "stopped.blnk.ckpt").string();
  std::atomic<bool> cancel{false};
  blnk::TrainCallbacks callbacks;
  callbacks.cancel = &cancel;
  callbacks.on_progress = [&](const blnk::TrainProgress& p) { cancel = cancel || p.batch == 5; };
  REQUIRE(blnk::train_model(stopped, callbacks).cancelled);
  stopped.resume = true;
  CHECK(tensor_bytes(blnk::train_model(stopped).model_path) == whole_tensors);

  // A float32 checkpoint asked to go on in bf16: refused, naming the field and both values, as the CLI does.
  blnk::TrainConfig fp32 = config(data, "fp32.blnk", "fp32");
  fp32.checkpoint = (data.dir / "fp32.blnk.ckpt").string();
  blnk::train_model(fp32);
  std::filesystem::copy_file(fp32.checkpoint, data.dir / "cli-fp32.blnk.ckpt");
  const std::string checkpoint_before = read_bytes(fp32.checkpoint);
  blnk::TrainConfig other = fp32;
  other.resume = true;
  other.epochs = 2;
  other.precision = "bf16";
  const std::string refused = message_of(other);
  CHECK(contains(refused, "TrainConfig::resume: " + fp32.checkpoint + " cannot continue with other settings"));
  CHECK(contains(refused, "TrainConfig::precision: the checkpoint was made with fp32, this TrainConfig asks for bf16"));
  CHECK(read_bytes(fp32.checkpoint) == checkpoint_before);
  CHECK(train_cli(data, "cli-fp32.blnk", "--resume --epochs 2 --precision bf16") == 2);
  // Other settings a resume cannot change are refused the same way.
  other.precision = "fp32";
  other.batch_size = 32;
  other.seed = 4;
  const std::string two = message_of(other);
  CHECK(contains(two, "TrainConfig::batch_size: the checkpoint was made with 16, this TrainConfig asks for 32"));
  CHECK(contains(two, "TrainConfig::seed: the checkpoint was made with 3, this TrainConfig asks for 4"));
}

TEST_CASE("train_model names a precision it does not know and a resume it cannot do") {
  const IdxPair data;
  blnk::TrainConfig c = data.config("x.blnk");
  c.precision = "fp16";
  CHECK(contains(message_of(c), "TrainConfig::precision: 'fp16' is not a precision (fp32 or bf16)"));
  c.precision = "BF16";
  CHECK(contains(message_of(c), "'BF16' is not a precision"));
  c = data.config("x.blnk");
  c.resume = true;
  CHECK(contains(message_of(c), "TrainConfig::resume: give the checkpoint to continue in TrainConfig::checkpoint"));
  c.checkpoint = (data.dir / "missing.ckpt").string();
  CHECK(contains(message_of(c), c.checkpoint));
  c.init = c.checkpoint;
  CHECK(contains(message_of(c), "TrainConfig::init starts a new run"));
  CHECK(!std::filesystem::exists(c.out));
}
