// Training checkpoints and the provenance of a trained model.
//
// A checkpoint is a model file (engine/model_file.h) holding the parameters, the
// optimizer's state ("optimizer/<slot>"), the parameters' moving average
// ("train/average"), and in its metadata the run's settings, its position and
// its history (keys "train.*" and "optimizer.*"). A finished model carries its
// provenance instead (keys "trained.*", "test.*": engine/model_metadata.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <vector>

#include "engine/model_file.h"
#include "train/trainer.h"

namespace blnk::train {

// A checkpoint read back, parsed once.
struct Checkpoint {
  std::string name;  // its path, for messages
  ModelFile file;    // the parameters and the optimizer's tensors
  TrainConfig config;
  TrainPosition position;
  int samples = 0;   // size of the training set it was made on
  std::uint32_t data_crc = 0;  // data_fingerprint() of that set; 0: not recorded (older checkpoints)
  std::vector<EpochStats> history;
};

ModelFile checkpoint_file(const Network& net, Optimizer& optimizer, const std::vector<float>& average,
                          const TrainConfig& config, const TrainPosition& position, int samples,
                          std::uint32_t data_crc, const std::vector<EpochStats>& history);
// Throws Error naming `name` when the file is not a consistent checkpoint.
Checkpoint parse_checkpoint(ModelFile file, const std::string& name);
Checkpoint read_checkpoint(const std::string& path);
// Whether a model file is a training checkpoint (it holds a training position).
bool is_checkpoint(const ModelFile& file);
// Where a checkpoint stands, for people: "3 of 20 epochs trained" and, when it was
// saved inside an epoch, ", and 5 batches of epoch 4".
std::string describe_position(const Checkpoint& checkpoint);

// The settings a resume compares with the checkpoint's or applies, by the names of
// `blnk train`'s options: one list for every caller (the command line's options
// given, the C++ API's fields set). The architecture is ResumeRequest::spec.
inline constexpr const char* kResumeSettings[] = {"batch-size", "seed", "optimizer", "momentum", "lr-schedule",
                                                   "val-split", "augment", "ema", "precision", "epochs", "lr",
                                                   "threads"};
inline constexpr std::size_t kResumeSettingCount = 12;  // a new setting is added to every caller's table
static_assert(std::size(kResumeSettings) == kResumeSettingCount);

// What a resumed run was asked for. `asked` holds the settings as the caller gave
// them; `given` names the settings given explicitly (of kResumeSettings), and only
// those are compared.
struct ResumeRequest {
  std::string spec;  // the architecture the command asks for
  bool spec_given = false;
  TrainConfig asked;
  std::vector<std::string> given;
  // How the plan's lines name a setting (of kResumeSettings, or "arch") and the
  // request: blnk train's "--batch-size" and "this command" when empty.
  std::string (*setting_name)(const std::string& option) = nullptr;
  std::string requester = "this command";
};
// What a resume will run with, decided once for every caller.
struct ResumePlan {
  // One line per setting a resume cannot change (architecture, batch size, seed,
  // optimizer and its momentum, schedule, validation split, augmentation, moving
  // average, precision) that the request would change, naming the option and both values, and
  // fewer --epochs than are done; empty when the run can continue. (The data is
  // checked by Trainer::resume_from, once it is loaded.)
  std::vector<std::string> conflicts;
  // The checkpoint's settings with what may change taken from the request where it
  // was given: more epochs, another learning rate, another thread count.
  TrainConfig config;
  std::vector<std::string> notes;  // one line per change made, for people
};
ResumePlan plan_resume(const Checkpoint& checkpoint, const ResumeRequest& request);

// A checksum of a training set's labels and pixels, recorded in checkpoints so
// that a resume on other data is refused.
std::uint32_t data_fingerprint(const LabelledImages& data);

// --init: the trained model a run starts from (fine-tuning). `spec` in: the
// architecture asked for (empty: the model's own); out: the run's. Throws Error
// naming the file when it cannot be read or is another model than `spec`.
// `spec_option` names where the spec came from, for the message ("--arch").
Network read_init_model(const std::string& path, std::string& spec, const std::string& spec_option);
// Copies the init model's parameters into `net` (built with the run's spec).
void start_from(Network& net, const Network& init, const std::string& path);

// Who made a model and from what: the metadata `blnk train` and `blnk.train`
// (Python) write into a finished model.
struct Provenance {
  std::string version;      // blnk's
  std::string by;           // e.g. "blnk train"
  std::string date;         // YYYY-MM-DD
  std::string images;       // the training set's source
  std::string test_images;  // the test set's source; empty: none
  std::string init;         // the model fine-tuned from; empty: none
};
// The model file of a finished run: parameters and provenance, the last test accuracy.
ModelFile trained_model_file(const Network& net, const TrainConfig& config, const Provenance& provenance,
                             const std::vector<EpochStats>& history);

}  // namespace blnk::train
