// Every option with a value, of every command but serve (test_serve_options.cpp),
// given a wrong value: a usage error (exit 2) that names the option and the value
// ("--NAME VALUE: problem; expected range"), before anything is written.
#include <doctest/doctest.h>

#include <optional>

#include "cli_test_util.h"

using namespace blnk::cli_test;

namespace {

// A stand-in in a value: {dir} an existing directory, {file} an existing file.
struct BadValue {
  std::string command;
  std::string option;                // without --
  std::optional<std::string> value;  // nullopt: the option ends argv without its value
  std::string message;               // what stderr must contain
};

const std::vector<BadValue>& bad_values() {
  static const std::vector<BadValue> cases = {
      // train: numbers
      {"train", "epochs", "0", "--epochs 0: out of range; expected an integer from 1 to 1048576"},
      {"train", "epochs", "-1", "--epochs -1: out of range; expected an integer from 1 to 1048576"},
      {"train", "epochs", "1048577", "--epochs 1048577: out of range"},
      {"train", "epochs", "abc", "--epochs 'abc': not an integer; expected an integer from 1 to 1048576"},
      {"train", "epochs", "", "--epochs '': not an integer"},
      {"train", "epochs", "2.5", "--epochs '2.5': not an integer"},
      {"train", "epochs", std::nullopt, "--epochs: no value given"},
      {"train", "batch-size", "0", "--batch-size 0: out of range; expected an integer from 1 to 65536"},
      {"train", "batch-size", "65537", "--batch-size 65537: out of range; expected an integer from 1 to 65536"},
      {"train", "batch-size", "99999999999999999999", "--batch-size 99999999999999999999: out of range"},
      {"train", "batch-size", "NaN", "--batch-size 'NaN': not an integer"},
      {"train", "batch-size", std::nullopt, "--batch-size: no value given"},
      {"train", "lr", "0", "--lr 0: out of range; expected a number above 0, at most 10"},
      {"train", "lr", "-0.001", "--lr -0.001: out of range"},
      {"train", "lr", "1e9", "--lr 1e9: out of range"},
      {"train", "lr", "nan", "--lr 'nan': not a number; expected a number above 0, at most 10"},
      {"train", "lr", "inf", "--lr inf: out of range"},
      {"train", "lr", "fast", "--lr 'fast': not a number"},
      {"train", "lr", "", "--lr '': not a number"},
      {"train", "lr", std::nullopt, "--lr: no value given"},
      {"train", "ema", "1", "--ema 1: out of range; expected 0 (off) or a momentum below 1, e.g. 0.999"},
      {"train", "ema", "-0.5", "--ema -0.5: out of range"},
      {"train", "ema", "NaN", "--ema 'NaN': not a number"},
      {"train", "ema", std::nullopt, "--ema: no value given"},
      {"train", "momentum", "1", "--momentum 1: out of range; expected a number from 0 to below 1"},
      {"train", "momentum", "-1", "--momentum -1: out of range"},
      {"train", "momentum", "abc", "--momentum 'abc': not a number"},
      {"train", "val-split", "1", "--val-split 1: out of range; expected a fraction from 0 to below 1"},
      {"train", "val-split", "-0.1", "--val-split -0.1: out of range"},
      {"train", "val-split", "nan", "--val-split 'nan': not a number"},
      {"train", "seed", "-1", "--seed -1: out of range; expected an integer from 0 to 18446744073709551615"},
      {"train", "seed", "18446744073709551616", "--seed 18446744073709551616: out of range"},
      {"train", "seed", "one", "--seed 'one': not an integer"},
      {"train", "seed", std::nullopt, "--seed: no value given"},
      {"train", "threads", "0", "--threads 0: out of range; expected an integer from 1 to 256"},
      {"train", "threads", "257", "--threads 257: out of range"},
      {"train", "threads", "two", "--threads 'two': not an integer"},
      {"train", "limit", "0", "--limit 0: out of range"},
      {"train", "limit", "-3", "--limit -3: out of range"},
      {"train", "limit", "lots", "--limit 'lots': not an integer"},
      {"train", "limit", "101", "--limit 101: out of range; expected an integer from 1 to 100 (the training images)"},
      // train: words and specs
      {"train", "optimizer", "rmsprop", "--optimizer 'rmsprop': unknown; expected adam or sgd"},
      {"train", "optimizer", "", "--optimizer '': unknown"},
      {"train", "lr-schedule", "linear", "--lr-schedule 'linear': unknown; expected constant or cosine"},
      {"train", "precision", "fp16", "--precision 'fp16': unknown; expected fp32 or bf16"},
      {"train", "arch", "", "--arch '': empty; expected a model spec"},
      {"train", "arch", "conv0,flatten,dense10", "--arch 'conv0,flatten,dense10': model spec: layer 'conv0'"},
      {"train", "arch", "bogus", "--arch 'bogus': model spec: layer 'bogus': unknown layer kind"},
      {"train", "arch", std::nullopt, "--arch: no value given"},
      // train: paths
      {"train", "out", "{dir}", "--out {dir}: a directory; expected a file path"},
      {"train", "out", "", "--out '': empty; expected a file path"},
      {"train", "out", std::nullopt, "--out: no value given"},
      {"train", "checkpoint-dir", "{file}", "--checkpoint-dir {file}: not a folder; expected a folder"},
      {"train", "checkpoint-dir", "", "--checkpoint-dir '': empty"},
      {"train", "log", "{dir}", "--log {dir}: a directory; expected a file path"},
      {"train", "log", "", "--log '': empty"},
      {"train", "log", std::nullopt, "--log: no value given"},
      {"train", "plot", "{dir}", "--plot {dir}: a directory; expected a file path"},
      {"train", "plot", "{file}/chart.svg", "--plot {file}/chart.svg: {file} is not a folder"},
      {"train", "init", "", "--init '': empty; expected a path"},
      {"train", "data", "", "--data '': empty; expected a path"},
      {"train", "data", std::nullopt, "--data: no value given"},
      {"train", "images-test", "", "--images-test '': empty"},
      {"train", "test-images", "", "--test-images '': empty"},
      // eval
      {"eval", "threads", "0", "--threads 0: out of range; expected an integer from 1 to 256"},
      {"eval", "threads", "-1", "--threads -1: out of range"},
      {"eval", "threads", "many", "--threads 'many': not an integer"},
      {"eval", "threads", std::nullopt, "--threads: no value given"},
      {"eval", "model", "", "--model '': empty"},
      {"eval", "images", "", "--images '': empty"},
      {"eval", "data", "", "--data '': empty"},
      // predict
      {"predict", "top-k", "0", "--top-k 0: out of range; expected an integer from 1 to 10"},
      {"predict", "top-k", "11", "--top-k 11: out of range"},
      {"predict", "top-k", "three", "--top-k 'three': not an integer"},
      {"predict", "preprocess", "keras", "--preprocess 'keras': unknown; expected blnk or seed"},
      {"predict", "find", "no", "--find 'no': unknown; expected on or off"},
      {"predict", "model", "", "--model '': empty"},
      {"predict", "gate", "", "--gate '': empty"},
      {"predict", "gate", "{dir}", "--gate {dir}: a folder; expected a file"},
      {"predict", "model", "{dir}", "--model {dir}: a folder; expected a file"},
      {"predict", "save-preprocessed", "{file}", "--save-preprocessed {file}: not a folder; expected a folder"},
      {"predict", "save-preprocessed", "", "--save-preprocessed '': empty"},
      {"predict", "save-preprocessed", std::nullopt, "--save-preprocessed: no value given"},
      // summary and model
      {"summary", "arch", "", "--arch '': model spec: empty layer"},
      {"summary", "arch", "dense0", "--arch 'dense0': model spec: layer 'dense0'"},
      {"model", "arch", "pool:k=0", "--arch 'pool:k=0': model spec"},
      {"summary", "model", "", "--model '': empty"},
      {"summary", "model", std::nullopt, "--model: no value given"},
      // plot
      {"plot", "out", "{dir}", "--out {dir}: a directory; expected a file path"},
      {"plot", "out", "", "--out '': empty"},
      {"plot", "log", "", "--log '': empty"},
      {"plot", "out", std::nullopt, "--out: no value given"},
      // import-keras and export-onnx
      {"import-keras", "out", "{dir}", "--out {dir}: a directory; expected a file path"},
      {"import-keras", "out", "", "--out '': empty"},
      {"import-keras", "model", "", "--model '': empty"},
      {"export-onnx", "out", "{dir}", "--out {dir}: a directory; expected a file path"},
      {"export-onnx", "out", "", "--out '': empty"},
      {"export-onnx", "model", "", "--model '': empty"},
      {"export-onnx", "out", std::nullopt, "--out: no value given"},
      // quantize
      {"quantize", "out", "{dir}", "--out {dir}: a directory; expected a file path"},
      {"quantize", "out", "", "--out '': empty"},
      {"quantize", "model", "", "--model '': empty"},
      {"quantize", "calibration", "0", "--calibration 0: out of range; expected an integer from 1 to 1048576"},
      {"quantize", "calibration", "many", "--calibration 'many': not an integer"},
      {"quantize", "threads", "257", "--threads 257: out of range; expected an integer from 1 to 256"},
  };
  return cases;
}

std::string substituted(std::string text, const std::string& dir, const std::string& file) {
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"{dir}", dir}, {"{file}", file}})
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
  return text;
}

// A command line that would run if the option were right: the wrong value alone is at fault.
std::vector<std::string> good_command(const std::string& command, const TempDir& work, const SyntheticFiles& set) {
  const std::string image = work.file("digit.png");
  if (command == "train")
    return {"train", "--train-images", set.images_path, "--train-labels", set.labels_path, "--arch", kSmallSpec,
            "--epochs", "1", "--quiet", "--out", work.file("m.blnk")};
  if (command == "eval") return {"eval", "--test-images", set.images_path, "--test-labels", set.labels_path};
  if (command == "predict") return {"predict", set.images_path};
  if (command == "plot") return {"plot", work.file("log.csv"), "--out", work.file("chart.svg")};
  if (command == "import-keras") return {"import-keras", work.file("model.h5"), "--out", work.file("m.blnk")};
  if (command == "export-onnx") return {"export-onnx", bundled_model(), "--out", work.file("m.onnx")};
  if (command == "quantize")
    return {"quantize", bundled_model(), "--train-images", set.images_path, "--train-labels", set.labels_path, "--out",
            work.file("q.blnk")};
  return {command};
}

// A command line that is a usage error, and what its stderr must hold.
struct UsageCase {
  std::vector<std::string> args;
  std::string message;
};

// Each command line exits 2 with its message.
void check_usage_errors(const std::vector<UsageCase>& cases, const TempDir& scratch) {
  for (const UsageCase& c : cases) {
    CAPTURE(c.message);
    const RunResult r = run_blnk(c.args, scratch);
    CAPTURE(r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, c.message));
  }
}

}  // namespace

TEST_CASE("bad options: every wrong value exits 2 naming the option and the value, and writes nothing") {
  TempDir work("bad-options");
  const TempDir scratch("bad-options-runs");
  const SyntheticFiles set = write_synthetic(work, 100, 5);
  const std::string a_dir = work.dir("a-folder"), a_file = set.labels_path;
  write_text(work.file("log.csv"), "epoch,train_loss,train_accuracy\n1,0.5,0.9\n");
  const auto files_before = [&] {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(work.path()))
      names.push_back(entry.path().string());
    std::sort(names.begin(), names.end());
    return names;
  };
  const std::vector<std::string> before = files_before();
  for (const BadValue& c : bad_values()) {
    std::vector<std::string> args = good_command(c.command, work, set);
    args.push_back("--" + c.option);
    if (c.value) args.push_back(substituted(*c.value, a_dir, a_file));
    const std::string shown = c.command + " --" + c.option + " " + (c.value ? "'" + *c.value + "'" : "(no value)");
    CAPTURE(shown);
    const RunResult r = run_blnk(args, scratch);
    CAPTURE(r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, substituted(c.message, a_dir, a_file)));
    CHECK_FALSE(contains(r.err, "terminate"));
    CHECK(files_before() == before);  // no model, checkpoint, log, chart or folder written
  }
}

TEST_CASE("bad options: each command's --help shows the ranges the checks enforce") {
  const TempDir scratch("bad-options-help");
  // `blnk help predict` is predict's help, not the list of commands.
  const RunResult help = run_blnk({"help", "predict"}, scratch), own = run_blnk({"predict", "--help"}, scratch);
  CHECK(help.status == 0);
  CHECK(help.out == own.out);
  CHECK(contains(help.out, "--top-k"));
  const RunResult train = run_blnk({"train", "--help"}, scratch);
  CHECK(train.status == 0);
  CHECK(contains(train.out, "1 to 65536"));
  CHECK(contains(train.out, "1 to 1048576"));
  const RunResult predict = run_blnk({"predict", "--help"}, scratch);
  CHECK(contains(predict.out, "1 to 10"));
}

TEST_CASE("bad options: a flag given a value and an unknown option are usage errors naming them") {
  const TempDir scratch("bad-options-flags");
  check_usage_errors({
      {{"train", "--quiet=yes"}, "--quiet=yes: --quiet is a flag and takes no value"},
      {{"train", "--augment=often"}, "--augment 'often': unknown; expected digits, crop or crop-flip"},
      {{"train", "--augment", "crop-flip"}, "--augment crop-flip: --augment takes its value after '=': --augment=crop-flip"},
      {{"predict", "--json=please", "x.png"}, "--json=please: --json is a flag"},
      {{"eval", "--strict-images=no way"}, "--strict-images=no way: --strict-images is a flag"},
      {{"train", "--epoch", "3"}, "--epoch: unknown option"},
      {{"predict", "-x", "x.png"}, "-x: unknown option"},
      {{"summary", "a.blnk", "b.blnk"}, "unexpected argument 'b.blnk'"},
  }, scratch);
}

// A mistyped option names the nearest option of its own command, worded as
// blnk.train's keywords are ("did you mean"); one far from every option is named alone.
TEST_CASE("bad options: an unknown option suggests the nearest option of its command") {
  const TempDir scratch("bad-options-suggest");
  check_usage_errors({
      {{"predict", "--topk", "3", "x.png"},
       "blnk predict: --topk: unknown option; did you mean --top-k? (see blnk predict --help)"},
      {{"train", "--epoch", "3"}, "--epoch: unknown option; did you mean --epochs?"},
      {{"train", "--batch_size", "8"}, "--batch_size: unknown option; did you mean --batch-size?"},
      {{"train", "--checkpiont-dir", "d"}, "--checkpiont-dir: unknown option; did you mean --checkpoint-dir?"},
      {{"eval", "--thread", "2"}, "--thread: unknown option; did you mean --threads?"},
      {{"summary", "--mdoel", "m.blnk"}, "--mdoel: unknown option; did you mean --model?"},
      {{"model", "--Arch", "dense10"}, "--Arch: unknown option; did you mean --arch?"},
      {{"plot", "--logg", "log.csv"}, "--logg: unknown option; did you mean --log?"},
      {{"import-keras", "--outt", "m.blnk"}, "--outt: unknown option; did you mean --out?"},
      {{"export-onnx", "--modle", "m.blnk"}, "--modle: unknown option; did you mean --model?"},
      {{"quantize", "--calibraton", "10"}, "--calibraton: unknown option; did you mean --calibration?"},
      {{"serve", "--max-bdoy", "5"}, "--max-bdoy: unknown option; did you mean --max-body?"},
      // Nothing near (or only another command's option: eval has no --top-k): the
      // message goes on to the help pointer with no suggestion.
      {{"predict", "--zzzzqq", "x.png"}, "blnk predict: --zzzzqq: unknown option (see blnk predict --help)"},
      {{"train", "--zzzzqq=1"}, "blnk train: --zzzzqq: unknown option (see blnk train --help)"},
      {{"eval", "--topk", "3"}, "blnk eval: --topk: unknown option (see blnk eval --help)"},
      {{"predict", "-x", "x.png"}, "blnk predict: -x: unknown option (see blnk predict --help)"},
  }, scratch);
}

// A model or gate that is not there (a typo of `none`, a wrong path): exit 1, the
// option named with the path, before any image is read.
TEST_CASE("bad options: a missing model or gate file names its option") {
  const TempDir scratch("bad-options-missing");
  const std::string image = scratch.file("x.png");
  write_text(image, "not read");
  for (const auto& given : std::vector<std::pair<std::string, std::string>>{{"gate", "nonsense"},
                                                                            {"model", "missing.blnk"}}) {
    // (Copies: clang 14 lets doctest's CAPTURE name no structured binding.)
    const std::string option = given.first, value = given.second;
    CAPTURE(option);
    const RunResult r = run_blnk({"predict", "--" + option, value, image}, scratch);
    CHECK(r.status == 1);
    CHECK(contains(r.err, "--" + option + " " + value + ": no such file"));
  }
  const RunResult none = run_blnk({"summary", "--model", "missing.blnk"}, scratch);
  CHECK(none.status == 1);
  CHECK(contains(none.err, "--model missing.blnk: no such file"));
}
