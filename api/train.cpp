// blnk::train_model (include/blnk/train.h): the public TrainConfig checked and turned
// into train::TrainConfig (or a checkpoint resumed under blnk train --resume's rules),
// the data read, train::Trainer run with the caller's progress callback and cancel
// flag, and the model file written with its provenance, as blnk train does (the same
// data, seed and threads give its bit-identical model).
#include "blnk/train.h"

#include <filesystem>
#include <iterator>
#include <optional>

#include "api/guard.h"
#include "base/file_io.h"
#include "blnk/version.h"
#include "data/idx.h"
#include "data/image_folder.h"
#include "engine/model_file.h"
#include "layers/bf16_gemm.h"
#include "layers/registry.h"
#include "train/checkpoint.h"
#include "train/trainer.h"

namespace blnk {
namespace {

// The ranges of blnk train's options (cli/cmd_train.cpp), for the same field here.
void check_range(const char* field, double value, double lo, double hi, bool lo_open, bool hi_open,
                 const std::string& range) {
  const bool ok = (lo_open ? value > lo : value >= lo) && (hi_open ? value < hi : value <= hi);
  if (!ok) api::throw_out_of_range(field, range, std::to_string(value));
}

void check_int(const char* field, long long value, long long lo, long long hi) {
  if (value < lo || value > hi)
    api::throw_out_of_range(field, std::to_string(lo) + " to " + std::to_string(hi), std::to_string(value));
}

train::TrainConfig internal_config(const TrainConfig& c) {
  check_int("TrainConfig::epochs", c.epochs, 1, 1 << 20);
  check_int("TrainConfig::batch_size", c.batch_size, 1, 1 << 16);
  check_int("TrainConfig::threads", c.threads, 1, 256);
  check_int("TrainConfig::limit", c.limit, 0, INT32_MAX);
  check_range("TrainConfig::learning_rate", c.learning_rate, 0, 10, true, false, "above 0 to 10");
  check_range("TrainConfig::ema", c.ema, 0, 1, false, true, "0 (off) to below 1");
  check_range("TrainConfig::momentum", c.momentum, 0, 1, false, true, "0 to below 1");
  check_range("TrainConfig::val_split", c.val_split, 0, 1, false, true, "0 to below 1");
  if (c.optimizer != "adam" && c.optimizer != "sgd")
    throw Exception("TrainConfig::optimizer must be adam or sgd, got '" + c.optimizer + "'");
  if (c.lr_schedule != "constant" && c.lr_schedule != "cosine")
    throw Exception("TrainConfig::lr_schedule must be constant or cosine, got '" + c.lr_schedule + "'");
  train::TrainConfig t;
  t.epochs = c.epochs;
  t.batch_size = c.batch_size;
  t.optimizer.name = c.optimizer;
  t.optimizer.learning_rate = c.learning_rate;
  t.optimizer.momentum = c.momentum;
  t.lr_schedule = train::parse_lr_schedule(c.lr_schedule);
  t.ema_momentum = c.ema;
  t.seed = c.seed;
  t.threads = c.threads;
  t.val_split = c.val_split;
  t.precision = parse_precision(c.precision, "TrainConfig::precision");
  try {
    t.augment = data::parse_augment(c.augment);
  } catch (const blnk::Error& e) {
    throw Exception(std::string("TrainConfig::augment: ") + e.what());
  }
  t.checkpoint_path = c.checkpoint;
  return t;
}

// The fields of TrainConfig that blnk train --resume's options are (train::kResumeSettings):
// a field set to other than its default is given, as an option on the command line.
struct ResumeField {
  const char* option;  // blnk train's
  const char* field;   // TrainConfig's
  bool (*given)(const TrainConfig&);
};
// Whether a field of TrainConfig is set to other than its default.
template <auto Field>
bool set_otherwise(const TrainConfig& c) {
  static const TrainConfig defaults;
  return c.*Field != defaults.*Field;
}
const ResumeField kResumeFields[] = {
    {"batch-size", "batch_size", set_otherwise<&TrainConfig::batch_size>},
    {"seed", "seed", set_otherwise<&TrainConfig::seed>},
    {"optimizer", "optimizer", set_otherwise<&TrainConfig::optimizer>},
    {"momentum", "momentum", set_otherwise<&TrainConfig::momentum>},
    {"lr-schedule", "lr_schedule", set_otherwise<&TrainConfig::lr_schedule>},
    {"val-split", "val_split", set_otherwise<&TrainConfig::val_split>},
    {"augment", "augment", set_otherwise<&TrainConfig::augment>},
    {"ema", "ema", set_otherwise<&TrainConfig::ema>},
    {"precision", "precision", set_otherwise<&TrainConfig::precision>},
    {"epochs", "epochs", set_otherwise<&TrainConfig::epochs>},
    {"lr", "learning_rate", set_otherwise<&TrainConfig::learning_rate>},
    {"threads", "threads", set_otherwise<&TrainConfig::threads>},
};
static_assert(std::size(kResumeFields) == train::kResumeSettingCount, "a resume setting without its TrainConfig field");

// How plan_resume's lines name a setting here: "TrainConfig::batch_size" for --batch-size.
std::string field_name(const std::string& option) {
  for (const ResumeField& f : kResumeFields)
    if (option == f.option) return std::string("TrainConfig::") + f.field;
  return "TrainConfig::" + option;  // "arch"
}

// The checkpoint of config.checkpoint, checked against config as blnk train --resume
// checks its options; `cfg` and `spec` become the run's.
train::Checkpoint resume_run(const TrainConfig& config, train::TrainConfig& cfg, std::string& spec) {
  if (config.checkpoint.empty())
    throw Exception("TrainConfig::resume: give the checkpoint to continue in TrainConfig::checkpoint");
  if (!config.init.empty())
    throw Exception("TrainConfig::init starts a new run; TrainConfig::resume continues one: give one of them");
  train::Checkpoint checkpoint = train::read_checkpoint(config.checkpoint);
  train::ResumeRequest request{config.arch, !config.arch.empty(), cfg, {}, field_name, "this TrainConfig"};
  for (const ResumeField& f : kResumeFields)
    if (f.given(config)) request.given.push_back(f.option);
  const train::ResumePlan plan = train::plan_resume(checkpoint, request);
  if (!plan.conflicts.empty()) {
    std::string message = "TrainConfig::resume: " + config.checkpoint + " cannot continue with other settings:";
    for (const std::string& c : plan.conflicts) message += "\n  " + c;
    throw Exception(message + "\nleave these fields at their defaults, or start a new run without resume");
  }
  cfg = plan.config;
  cfg.checkpoint_path = config.checkpoint;
  spec = checkpoint.file.spec;
  return checkpoint;
}

// A folder of labelled images (labels empty), else an IDX pair.
data::Dataset load_set(const std::string& images, const std::string& labels, const char* what) {
  if (labels.empty() && std::filesystem::is_directory(images)) {
    data::Dataset set = data::load_image_folder(images).dataset;
    if (std::string(what) == "train") data::check_trainable_labels(set, images);
    return set;
  }
  if (images.empty() || labels.empty())
    throw Exception(std::string("TrainConfig::") + what + "_images and " + what +
                    "_labels: give both IDX files, or a folder of labelled images with no labels file");
  return data::load_dataset(images, labels);
}

TrainProgress progress_of(const train::BatchProgress& p) {
  TrainProgress out;
  out.epoch = p.epoch;
  out.epochs = p.epochs;
  out.batch = p.batch;
  out.batches = p.batches;
  out.loss = p.loss;
  out.accuracy = p.accuracy;
  out.images_per_second = p.images_per_second;
  return out;
}

EpochResult epoch_of(const train::EpochStats& e) {
  return {e.epoch, e.train_loss, e.train_accuracy, e.val_accuracy, e.test_accuracy, e.seconds};
}

}  // namespace

TrainResult train_model(const TrainConfig& config, const TrainCallbacks& callbacks) {
  return api::guarded([&] {
    train::TrainConfig cfg = internal_config(config);
    if (config.out.empty()) throw Exception("TrainConfig::out: give the model file to write");
    if (const std::optional<OutputFileProblem> p = output_file_problem(config.out))
      throw Exception("TrainConfig::out " + config.out + ": " + p->problem +
                      (p->wrong_kind ? "; expected " + p->expected : std::string()));

    std::string spec = config.arch.empty() && config.init.empty() ? kDefaultSpec : config.arch;
    std::optional<train::Checkpoint> resume;
    if (config.resume) resume = resume_run(config, cfg, spec);
    std::optional<Network> init_from;
    if (!config.init.empty()) init_from.emplace(train::read_init_model(config.init, spec, "TrainConfig::arch"));
    data::Dataset train_set = load_set(config.train_images, config.train_labels, "train");
    if (config.limit > train_set.size())
      api::throw_out_of_range("TrainConfig::limit", "0 to " + std::to_string(train_set.size()) + " (the training images)",
                              std::to_string(config.limit));
    if (config.limit) train_set.images.count = train_set.labels.count = config.limit;
    std::optional<data::Dataset> test_set;
    if (!config.test_images.empty()) test_set = load_set(config.test_images, config.test_labels, "test");

    Network net(spec, Shape{train_set.images.rows, train_set.images.cols, 1});
    net.init(cfg.seed);
    if (init_from) train::start_from(net, *init_from, config.init);
    const train::LabelledImages train_view = train::view_of(train_set);
    const train::LabelledImages test_view = test_set ? train::view_of(*test_set) : train::LabelledImages{};
    train::Trainer trainer(net, cfg, train_view, test_set ? &test_view : nullptr);
    if (resume) {
      trainer.resume_from(*resume);
      resume.reset();  // its tensors are in the trainer now
    }

    train::TrainCallbacks inner;
    inner.stop_requested = callbacks.cancel;
    if (callbacks.on_progress) {
      inner.on_batch = [&](const train::BatchProgress& p) { callbacks.on_progress(progress_of(p)); };
      inner.on_epoch = [&](const train::EpochStats& e) {
        TrainProgress p;
        p.epoch = e.epoch;
        p.epochs = cfg.epochs;
        p.loss = e.train_loss;
        p.accuracy = e.train_accuracy;
        p.images_per_second = e.images_per_second;
        p.epoch_done = true;
        p.test_accuracy = e.test_accuracy;
        p.val_accuracy = e.val_accuracy;
        callbacks.on_progress(p);
      };
    }
    TrainResult result;
    result.cancelled = trainer.run(inner) == train::TrainOutcome::interrupted;
    for (const train::EpochStats& e : trainer.history()) result.epochs.push_back(epoch_of(e));
    if (result.cancelled) return result;

    train::Provenance provenance;
    provenance.version = BLNK_VERSION_STRING;
    provenance.by = "blnk::train_model (C++)";
    provenance.images = config.train_images;
    provenance.test_images = config.test_images;
    provenance.init = config.init;
    write_model_file(config.out, train::trained_model_file(net, cfg, provenance, trainer.history()));
    result.model_path = config.out;
    return result;
  });
}

}  // namespace blnk
