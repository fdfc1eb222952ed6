// Checkpoints and provenance (see checkpoint.h).
#include "train/checkpoint.h"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "base/error.h"
#include "engine/model_metadata.h"
#include "train/history_csv.h"

namespace blnk::train {
namespace {

// The state of a run in progress (checkpoints only).
constexpr const char* kEpoch = "train.epoch";
constexpr const char* kBatch = "train.batch";
constexpr const char* kPartialLoss = "train.partial_loss";
constexpr const char* kPartialCorrect = "train.partial_correct";
constexpr const char* kStep = "train.step";
constexpr const char* kEpochs = "train.epochs";
constexpr const char* kBatchSize = "train.batch_size";
constexpr const char* kSeed = "train.seed";
constexpr const char* kThreads = "train.threads";
constexpr const char* kValSplit = "train.val_split";
constexpr const char* kAugment = "train.augment";
constexpr const char* kEmaMomentum = "train.ema_momentum";
constexpr const char* kPrecision = "train.precision";  // written for bf16 only: absent is fp32
constexpr const char* kSamples = "train.samples";
constexpr const char* kDataCrc = "train.data_crc";
constexpr const char* kHistory = "train.history";
constexpr const char* kOptimizerName = "optimizer.name";
constexpr const char* kLrSchedule = "optimizer.lr_schedule";
constexpr const char* kLearningRate = "optimizer.learning_rate";
constexpr const char* kBeta1 = "optimizer.beta1";
constexpr const char* kBeta2 = "optimizer.beta2";
constexpr const char* kEpsilon = "optimizer.epsilon";
constexpr const char* kMomentum = "optimizer.momentum";
constexpr const char* kAverageTensor = "train/average";
constexpr const char* kOptimizerTensorPrefix = "optimizer/";

// Exact text form of a double (hex float), so checkpoints restore bits, not approximations.
std::string exact(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

std::string readable(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

const std::string& need(const ModelFile& file, const char* key, const std::string& name) {
  const std::string* v = file.find_metadata(key);
  if (!v) throw Error(name + ": not a training checkpoint (no '" + key + "')");
  return *v;
}

double need_number(const ModelFile& file, const char* key, const std::string& name) {
  const std::string& text = need(file, key, name);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v))
    throw Error(name + ": checkpoint value '" + key + "' is not a number");
  return v;
}

// Checkpoints written before a setting existed do not have it: its default then.
double number_or(const ModelFile& file, const char* key, double fallback, const std::string& name) {
  return file.find_metadata(key) ? need_number(file, key, name) : fallback;
}

}  // namespace

std::uint32_t data_fingerprint(const LabelledImages& data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  const std::size_t pixels = std::size_t(data.count) * data.image_size();
  // zlib takes 32-bit lengths: feed the pixels in pieces.
  constexpr std::size_t kPiece = std::size_t(1) << 30;
  for (std::size_t at = 0; at < pixels; at += kPiece)
    crc = crc32(crc, data.pixels + at, uInt(std::min(kPiece, pixels - at)));
  // The labels as the bytes they were before labels grew to 16 bits (so a checkpoint of a
  // run of at most 256 classes still resumes), the high byte after a label above 255.
  unsigned char piece[4096];
  std::size_t held = 0;
  for (int i = 0; i < data.count; ++i) {
    const data::Label label = data.labels[i];
    piece[held++] = static_cast<unsigned char>(label & 0xff);
    if (label > 0xff) piece[held++] = static_cast<unsigned char>(label >> 8);
    if (held + 2 > sizeof piece || i + 1 == data.count) {
      crc = crc32(crc, piece, uInt(held));
      held = 0;
    }
  }
  return std::uint32_t(crc);
}

ModelFile checkpoint_file(const Network& net, Optimizer& optimizer, const std::vector<float>& average,
                          const TrainConfig& config, const TrainPosition& position, int samples,
                          std::uint32_t data_crc, const std::vector<EpochStats>& history) {
  ModelFile file = model_file_of(net);
  for (const OptimizerSlot& slot : optimizer.slots())
    file.tensors.push_back({kOptimizerTensorPrefix + slot.name, {int(slot.values->size())}, *slot.values});
  if (!average.empty()) file.tensors.push_back({kAverageTensor, {int(average.size())}, average});
  std::string history_text;
  for (const EpochStats& e : history) history_text += history_csv_row(e, CsvPrecision::exact);
  const OptimizerConfig& o = config.optimizer;
  const std::pair<const char*, std::string> entries[] = {
      {kEpoch, std::to_string(position.epoch)},
      {kBatch, std::to_string(position.batch)},
      {kPartialLoss, exact(position.partial_loss)},
      {kPartialCorrect, std::to_string(position.partial_correct)},
      {kStep, std::to_string(position.step)},
      {kEpochs, std::to_string(config.epochs)},
      {kBatchSize, std::to_string(config.batch_size)},
      {kSeed, std::to_string(config.seed)},
      {kThreads, std::to_string(config.threads)},
      {kValSplit, exact(config.val_split)},
      {kAugment, data::augment_name(config.augment)},
      {kEmaMomentum, exact(config.ema_momentum)},
      {kSamples, std::to_string(samples)},
      {kDataCrc, std::to_string(data_crc)},
      {kOptimizerName, o.name},
      {kLrSchedule, lr_schedule_name(config.lr_schedule)},
      {kLearningRate, exact(o.learning_rate)},
      {kBeta1, exact(o.beta1)},
      {kBeta2, exact(o.beta2)},
      {kEpsilon, exact(o.epsilon)},
      {kMomentum, exact(o.momentum)},
      {kHistory, history_text},
  };
  for (const auto& [k, v] : entries) file.set_metadata(k, v);
  for (const auto& [k, v] : config.model_metadata) file.set_metadata(k, v);
  // Only when not the default, so that a float32 run's files stay as they were.
  if (config.precision != Precision::fp32) file.set_metadata(kPrecision, precision_name(config.precision));
  return file;
}

Checkpoint parse_checkpoint(ModelFile file, const std::string& name) {
  Checkpoint c;
  c.name = name;
  TrainConfig& t = c.config;
  t.epochs = int(need_number(file, kEpochs, name));
  t.batch_size = int(need_number(file, kBatchSize, name));
  const std::string& seed = need(file, kSeed, name);
  const auto [end, ec] = std::from_chars(seed.data(), seed.data() + seed.size(), t.seed);
  if (ec != std::errc() || end != seed.data() + seed.size())
    throw Error(name + ": checkpoint value '" + kSeed + "' is not a number");
  t.threads = int(need_number(file, kThreads, name));
  t.val_split = need_number(file, kValSplit, name);
  // Checkpoints before the crop kinds wrote 1 (digits) or 0.
  const std::string& augment = need(file, kAugment, name);
  try {
    t.augment = augment == "1" ? data::Augment::digits : augment == "0" ? data::Augment::none : data::parse_augment(augment);
  } catch (const Error& e) {
    throw Error(name + ": checkpoint value '" + kAugment + "': " + e.what());
  }
  t.ema_momentum = float(number_or(file, kEmaMomentum, 0.0, name));
  if (!(t.ema_momentum >= 0.0f && t.ema_momentum < 1.0f))
    throw Error(name + ": checkpoint value '" + kEmaMomentum + "' is outside [0, 1)");
  if (const std::string* precision = file.find_metadata(kPrecision))
    t.precision = parse_precision(*precision, name + ": checkpoint value '" + kPrecision + "'");
  t.optimizer.name = need(file, kOptimizerName, name);
  const std::string* stored_schedule = file.find_metadata(kLrSchedule);
  const std::string schedule = stored_schedule ? *stored_schedule : "constant";
  if (schedule != "constant" && schedule != "cosine")
    throw Error(name + ": checkpoint value '" + kLrSchedule + "' is '" + schedule + "' (constant or cosine)");
  t.lr_schedule = parse_lr_schedule(schedule);
  t.optimizer.learning_rate = float(need_number(file, kLearningRate, name));
  t.optimizer.beta1 = float(need_number(file, kBeta1, name));
  t.optimizer.beta2 = float(need_number(file, kBeta2, name));
  t.optimizer.epsilon = float(need_number(file, kEpsilon, name));
  t.optimizer.momentum = float(need_number(file, kMomentum, name));

  TrainPosition& p = c.position;
  p.epoch = int(need_number(file, kEpoch, name));
  p.batch = int(need_number(file, kBatch, name));
  p.partial_loss = need_number(file, kPartialLoss, name);
  p.partial_correct = int(need_number(file, kPartialCorrect, name));
  p.step = std::int64_t(need_number(file, kStep, name));
  c.samples = int(need_number(file, kSamples, name));
  if (const std::string* crc = file.find_metadata(kDataCrc)) c.data_crc = std::uint32_t(std::strtoul(crc->c_str(), nullptr, 10));
  const auto runs = parse_history_csv(need(file, kHistory, name), name + " (its history)");
  if (runs.size() > 1) throw Error(name + ": the checkpoint's history holds more than one run");
  if (!runs.empty()) c.history = runs[0];
  if (p.epoch < 0 || p.batch < 0 || p.step < 0 || int(c.history.size()) != p.epoch || c.samples < 1)
    throw Error(name + ": the checkpoint's training position is inconsistent");
  c.file = std::move(file);
  return c;
}

Checkpoint read_checkpoint(const std::string& path) { return parse_checkpoint(read_model_file(path), path); }

bool is_checkpoint(const ModelFile& file) { return file.find_metadata(kEpoch) != nullptr; }

std::string describe_position(const Checkpoint& checkpoint) {
  const TrainPosition& p = checkpoint.position;
  std::string text = std::to_string(p.epoch) + " of " + std::to_string(checkpoint.config.epochs) + " epochs trained";
  if (p.batch > 0) text += ", and " + std::to_string(p.batch) + " batches of epoch " + std::to_string(p.epoch + 1);
  return text;
}

ResumePlan plan_resume(const Checkpoint& checkpoint, const ResumeRequest& request) {
  ResumePlan plan;
  std::vector<std::string>& conflicts = plan.conflicts;
  const TrainConfig& saved = checkpoint.config;
  const TrainConfig& asked = request.asked;
  auto given = [&](const char* option) {
    return std::find(request.given.begin(), request.given.end(), option) != request.given.end();
  };
  auto name = [&](const std::string& option) {
    return request.setting_name ? request.setting_name(option) : "--" + option;
  };
  const std::string& requester = request.requester;
  auto differs = [&](const char* option, const std::string& was, const std::string& now) {
    if (given(option) && was != now)
      conflicts.push_back(name(option) + ": the checkpoint was made with " + was + ", " + requester + " asks for " +
                          now);
  };
  if (request.spec_given) {
    std::string asked_spec;  // in the canonical form the checkpoint stores
    try {
      asked_spec = Network(request.spec, checkpoint.file.input).spec();
    } catch (const Error&) {
      asked_spec = request.spec;
    }
    if (asked_spec != checkpoint.file.spec)
      conflicts.push_back(name("arch") + ": the checkpoint holds " + checkpoint.file.spec + ", " + requester +
                          " asks for " + request.spec);
  }
  differs("batch-size", std::to_string(saved.batch_size), std::to_string(asked.batch_size));
  differs("seed", std::to_string(saved.seed), std::to_string(asked.seed));
  differs("optimizer", saved.optimizer.name, asked.optimizer.name);
  differs("momentum", readable(saved.optimizer.momentum), readable(asked.optimizer.momentum));
  differs("lr-schedule", lr_schedule_name(saved.lr_schedule), lr_schedule_name(asked.lr_schedule));
  differs("val-split", readable(saved.val_split), readable(asked.val_split));
  const auto augment_option = [&](data::Augment kind) {
    const std::string kind_name = data::augment_name(kind);  // "none", "digits", ...
    if (request.setting_name) return kind_name;
    return kind == data::Augment::none ? std::string("no --augment") : "--augment " + kind_name;
  };
  differs("augment", augment_option(saved.augment), augment_option(asked.augment));
  differs("ema", readable(saved.ema_momentum), readable(asked.ema_momentum));
  differs("precision", precision_name(saved.precision), precision_name(asked.precision));

  // What may change, applied and said.
  TrainConfig& run = plan.config;
  run = saved;
  const int done = checkpoint.position.epoch;
  if (given("epochs")) {
    // One rule for finished and interrupted runs alike: --epochs N with N epochs
    // done writes the model of those epochs; fewer cannot be undone. A checkpoint
    // saved inside epoch done+1 has gone past the end of epoch done.
    const bool inside_next = checkpoint.position.batch > 0;
    if (asked.epochs < done || (asked.epochs == done && inside_next)) {
      const std::string epochs = name("epochs") + " ";
      const std::string head = epochs + std::to_string(asked.epochs) + ": the checkpoint has already trained " +
                               std::to_string(done) + " epochs";
      conflicts.push_back(inside_next ? head + " and " + std::to_string(checkpoint.position.batch) +
                                            " batches of epoch " + std::to_string(done + 1) + "; give " + epochs +
                                            std::to_string(done + 1) + " or more"
                                      : head + "; give " + epochs + std::to_string(done) +
                                            " to write their model, or more to train further");
    }
    if (asked.epochs != saved.epochs) {
      plan.notes.push_back("resume: " + std::to_string(asked.epochs) + " epochs in all instead of " +
                           std::to_string(saved.epochs));
      if (saved.lr_schedule != LrSchedule::constant)
        plan.notes.push_back(std::string("note: the ") + lr_schedule_name(saved.lr_schedule) +
                             " schedule spans all epochs; the remaining steps get other learning rates than either "
                             "uninterrupted run");
    }
    run.epochs = asked.epochs;
  }
  if (given("lr") && asked.optimizer.learning_rate != saved.optimizer.learning_rate) {
    plan.notes.push_back("resume: learning rate " + readable(asked.optimizer.learning_rate) + " instead of " +
                         readable(saved.optimizer.learning_rate) + " (not bit-identical to an uninterrupted run)");
    run.optimizer.learning_rate = asked.optimizer.learning_rate;
  }
  if (given("threads") && asked.threads != saved.threads) {
    plan.notes.push_back("resume: " + std::to_string(asked.threads) + " threads instead of " +
                         std::to_string(saved.threads) + " (not bit-identical to an uninterrupted run)");
    run.threads = asked.threads;
  }
  return plan;
}

Network read_init_model(const std::string& path, std::string& spec, const std::string& spec_option) {
  Network init = network_from(read_model_file(path), path);
  if (spec.empty()) spec = init.spec();
  if (Network(spec, init.input_shape()).spec() != init.spec())
    throw Error(path + ": its model (" + init.spec() + ") is not the one " + spec_option + " asks for (" + spec +
                "): leave out " + spec_option + ", or give the model's own spec");
  return init;
}

void start_from(Network& net, const Network& init, const std::string& path) {
  if (init.input_shape() != net.input_shape())
    throw Error(path + ": the model takes " + init.input_shape().str() + " inputs, the training images are " +
                net.input_shape().str());
  const auto from = init.params();
  std::copy(from.begin(), from.end(), net.mutable_params().begin());
  const auto state = init.state();
  std::copy(state.begin(), state.end(), net.mutable_state().begin());
}

ModelFile trained_model_file(const Network& net, const TrainConfig& config, const Provenance& provenance,
                             const std::vector<EpochStats>& history) {
  using namespace metadata;
  ModelFile model = model_file_of(net);
  model.set_metadata(kBlnkVersion, provenance.version);
  if (!provenance.by.empty()) model.set_metadata(kTrainedBy, provenance.by);
  if (!provenance.date.empty()) model.set_metadata(kTrainedDate, provenance.date);
  if (!provenance.images.empty()) model.set_metadata(kTrainedImages, provenance.images);
  model.set_metadata(kTrainedEpochs, std::to_string(config.epochs));
  model.set_metadata(kTrainedSeed, std::to_string(config.seed));
  if (!provenance.init.empty()) model.set_metadata(kTrainedInit, provenance.init);
  model.set_metadata(kTrainedAugment, data::augment_name(config.augment));
  model.set_metadata(kTrainedLrSchedule, lr_schedule_name(config.lr_schedule));
  if (config.ema_momentum > 0) model.set_metadata(kTrainedEmaMomentum, readable(config.ema_momentum));
  if (config.precision != Precision::fp32) model.set_metadata(kTrainedPrecision, precision_name(config.precision));
  if (!history.empty() && history.back().test_accuracy >= 0) {
    char accuracy[32];
    std::snprintf(accuracy, sizeof accuracy, "%.4f", history.back().test_accuracy);
    model.set_metadata(kTestAccuracy, accuracy);
    if (!provenance.test_images.empty()) model.set_metadata(kTestImages, provenance.test_images);
  }
  for (const auto& [k, v] : config.model_metadata) model.set_metadata(k, v);
  return model;
}

}  // namespace blnk::train
