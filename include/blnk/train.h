// Training a model as `blnk train` does: the same options as one struct, the same
// recipe and the same bit-identical model for the same data, seed and threads.
// Progress comes to a callback after every batch; a flag the caller sets stops the run
// after the batch in progress (with its checkpoint written, when one is asked for), and
// the same config with `resume` continues it, as `blnk train --resume` does.
#ifndef BLNK_TRAIN_H
#define BLNK_TRAIN_H

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "blnk/export.h"

namespace blnk {

// blnk train's options (blnk train --help gives the same defaults and ranges); a value
// out of range throws Exception naming the field and the range.
struct TrainConfig {
  // The training set: IDX files (plain or gzip, as MNIST's), or a folder of labelled
  // images in train_images (0/ .. 9/, or <label>_<any>.png) with train_labels empty.
  std::string train_images, train_labels;
  // The test set, evaluated after every epoch the same ways; empty: none.
  std::string test_images, test_labels;
  std::string out;              // the model file to write (required)
  std::string checkpoint;       // written after every epoch and when stopped; empty: none
  // Continue the run saved in `checkpoint` (blnk train --resume). A field left at its
  // default takes the checkpoint's value; one set otherwise is applied (epochs: the
  // total to reach, learning_rate, threads) or, where a resume cannot change it (arch,
  // batch_size, seed, optimizer, momentum, lr_schedule, ema, val_split, augment,
  // precision), refused when it differs, as blnk train --resume refuses the option.
  bool resume = false;
  int epochs = 3;               // 1 to 1048576
  int batch_size = 64;          // 1 to 65536
  float learning_rate = 0.001f; // above 0, at most 10
  std::string lr_schedule = "constant";  // or "cosine": down to 0 over the run
  float ema = 0;                // moving average of the weights with this momentum, from 0 (off) to below 1
  std::string optimizer = "adam";        // or "sgd"
  float momentum = 0.9f;        // SGD's, from 0 to below 1
  std::uint64_t seed = 1;       // initialisation, shuffling, dropout and augmentation
  // Of the training's matrix products: "fp32", or "bf16" (bfloat16 multiplies summed in
  // float32, AVX512_BF16 where the CPU has it, an exact emulation elsewhere: the same
  // model either way); the weights, optimizer, loss and evaluation stay float32.
  std::string precision = "fp32";
  int threads = 1;              // 1 to 256
  std::string arch;             // the model spec; empty: the bundled model's (blnk summary --help lists tokens)
  std::string init;             // start from this trained model's weights (its spec is the run's)
  double val_split = 0;         // fraction held out for validation, from 0 to below 1
  // "none"; "digits" (random shifts, rotations, scaling and pen of the training digits);
  // "crop" (moved up to 1/8 of the side, black coming in); "crop-flip" (crop, and
  // mirrored left to right half of the time)
  std::string augment = "none";
  int limit = 0;                // train on the first limit images only; 0: all
};

// Where a run stands, after every batch.
struct TrainProgress {
  int epoch = 0, epochs = 0;     // epoch is 1-based
  int batch = 0, batches = 0;    // batches done in this epoch, of batches
  double loss = 0, accuracy = 0; // running means over the epoch so far
  double images_per_second = 0;
  bool epoch_done = false;       // the epoch's last call: the figures below are set
  double test_accuracy = -1;     // after the epoch; -1: no test set
  double val_accuracy = -1;      // after the epoch; -1: no validation split
};

struct TrainCallbacks {
  std::function<void(const TrainProgress&)> on_progress;  // after every batch, and once more per epoch
  const std::atomic<bool>* cancel = nullptr;              // true: stop after the batch in progress
};

// One line per finished epoch.
struct EpochResult {
  int epoch = 0;
  double train_loss = 0, train_accuracy = 0;
  double val_accuracy = -1, test_accuracy = -1;  // -1: none
  double seconds = 0;
};

struct TrainResult {
  bool cancelled = false;             // stopped by TrainCallbacks::cancel: no model was written
  std::vector<EpochResult> epochs;    // the epochs finished
  std::string model_path;             // the model file written (TrainConfig::out); empty when cancelled
};

// Trains, writes the model file (blnk::Model::load reads it) and returns what happened.
// Throws Exception naming the file or field at fault. Blocks until done or cancelled;
// run it on a thread of your own to keep a program responsive.
BLNK_API TrainResult train_model(const TrainConfig& config, const TrainCallbacks& callbacks = {});

}  // namespace blnk

#endif  // BLNK_TRAIN_H
