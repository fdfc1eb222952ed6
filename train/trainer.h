// The training loop: data-parallel minibatch training of a Network with
// per-epoch shuffling, optional validation split and augmentation, evaluation,
// checkpoints after every epoch (and on interrupt), exact resume.
//
// Reproducibility: the shuffle order is a function of (seed, epoch), dropout of
// (seed, step, sample), augmentation of (seed, epoch, sample); each thread runs
// a fixed slice of the batch and gradients are summed in a fixed order. So the
// same data, seed and thread count give a bit-identical model, and a resumed run
// ends exactly where an uninterrupted one does. Over several processes (ranks,
// train/exchange.h) the slices are shared out and the order kept: N ranks of T
// threads give the model of one process with N*T threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "data/augment.h"
#include "engine/model_file.h"
#include "engine/network.h"
#include "train/evaluate.h"
#include "train/exchange.h"
#include "train/optimizer.h"
#include "train/schedule.h"

namespace blnk::train {

struct Checkpoint;

// The default model (layers/registry.h's kDefaultSpec) ending in one output per class.
std::string default_spec_for_classes(int classes);

struct TrainConfig {
  int epochs = 3;
  int batch_size = 64;
  OptimizerConfig optimizer;
  LrSchedule lr_schedule = LrSchedule::constant;  // over all epochs * batches steps
  // Exponential moving average of the parameters (Keras's use_ema / ema_momentum): after
  // each step average = m * average + (1 - m) * params; evaluations use the average and a
  // finished run ends with it. 0: off.
  float ema_momentum = 0;
  std::uint64_t seed = 1;
  // Threads of the whole run, one slice of every batch each: with an exchange over N
  // ranks, each rank runs threads / N of them (a multiple of N, at most the batch size).
  int threads = 1;
  double val_split = 0;  // fraction of the training set held out for validation
  data::Augment augment = data::Augment::none;
  // Of the training steps' matrix products (layers/bf16_gemm.h); the parameters, the
  // optimizer, the loss and every evaluation stay float32.
  Precision precision = Precision::fp32;
  std::string checkpoint_path;  // written after every epoch and on interrupt; empty: none
  // What the model file says of the model beside its training (a class model's names
  // and fit): written into the trained model and each checkpoint (summary, predict and
  // export read it in either).
  std::vector<std::pair<std::string, std::string>> model_metadata;
};

struct EpochStats {
  int epoch = 0;  // 1-based
  double train_loss = 0, train_accuracy = 0;
  double val_loss = -1, val_accuracy = -1;    // -1: no validation set
  double test_loss = -1, test_accuracy = -1;  // -1: no test set
  double seconds = 0;
  double images_per_second = 0;
};

// Where a run stands: after `epoch` whole epochs and `batch` batches of the next.
struct TrainPosition {
  int epoch = 0;
  int batch = 0;
  double partial_loss = 0;  // sums over the batches done in the unfinished epoch
  int partial_correct = 0;
  std::int64_t step = 0;    // optimizer steps of the whole run
};

struct BatchProgress {
  int epoch = 0, epochs = 0;
  int batch = 0, batches = 0;  // batch is 1-based: batches done in this epoch
  double loss = 0, accuracy = 0;  // running means over the epoch so far
  double images_per_second = 0;
  double seconds = 0;  // since the epoch started
};

struct TrainCallbacks {
  std::function<void(const BatchProgress&)> on_batch;
  std::function<void(const EpochStats&)> on_epoch;
  const std::atomic<bool>* stop_requested = nullptr;  // checked after every batch
};

enum class TrainOutcome { finished, interrupted };

class Trainer {
 public:
  // `train` is the whole training set; the validation split is taken from it.
  // `exchange`: the ranks this run is shared with (every rank makes its own Trainer
  // with the same arguments); null: this process alone. Only rank 0 writes checkpoints.
  Trainer(Network& net, const TrainConfig& config, const LabelledImages& train,
          const LabelledImages* test, GradientExchange* exchange = nullptr);

  // Continues from a checkpoint written by this trainer (same spec, data and
  // settings: train/checkpoint.h); throws Error when the checkpoint does not fit.
  void resume_from(const Checkpoint& checkpoint);

  // A finished run leaves the network holding the moving average when one is kept
  // (ema_momentum > 0); the last checkpoint, written before that, keeps the raw parameters.
  TrainOutcome run(const TrainCallbacks& callbacks);
  // One step of run() on the samples `indices` (n at most the batch size): the
  // benchmarks time the trainer's own step through it.
  void step(const int* indices, int n);

  const std::vector<EpochStats>& history() const { return history_; }
  // The checkpoint's content: parameters, optimizer state, position, settings, history.
  ModelFile checkpoint() const;
  int completed_epochs() const { return position_.epoch; }

 private:
  // `stop_requested`: this rank's; with several ranks, stop_agreed_ says whether any asked.
  void train_batch(const int* indices, int n, double& loss_sum, int& correct, bool stop_requested);
  // With several ranks: throws Error unless every rank has the same data, settings,
  // position and parameters as rank 0.
  void check_ranks_agree();
  // Sums the slices' gradients into slice 0's, each element in slice order.
  void sum_slice_gradients();
  void update_average();
  // Throws Error naming --batch-size and --threads when the buffers would not fit in memory.
  void check_memory(const Network& net, int threads, int slice) const;
  // Exchanges the network's parameters and their average (evaluation uses the average).
  void swap_average();
  void save_checkpoint() const;

  Network& net_;
  TrainConfig cfg_;
  LabelledImages data_;
  const LabelledImages* test_;
  std::vector<int> train_indices_, val_indices_;
  std::vector<std::uint8_t> val_pixels_;  // the held-out set, gathered once
  std::vector<data::Label> val_labels_;
  std::unique_ptr<Optimizer> optimizer_;
  SingleProcess single_process_;
  GradientExchange* exchange_;  // single_process_ when none is given
  int slices_ = 1;              // of every batch, over all ranks (threads of the whole run)
  int first_slice_ = 0;         // this rank's: first_slice_ .. first_slice_ + workspaces_.size() - 1
  std::size_t grads_stride_ = 0;  // floats from one slice's gradients and statistics to the next (rounded up to 16)
  std::vector<std::unique_ptr<Workspace>> workspaces_;  // one per thread of this rank
  std::vector<float> slice_grads_;   // (slices_, grads_stride_): (gradients, statistics) of each slice;
                                     // rank r's threads write its block
  std::vector<double> slice_stats_;  // (ranks, 2 * threads + 1): each thread's loss, correct; stop
  bool stop_agreed_ = false;  // some rank asked to stop at the last batch
  std::vector<float> batch_x_;               // (batch, input)
  std::vector<data::Label> batch_labels_;    // (batch)
  std::vector<int> order_;                   // this epoch's shuffled indices
  std::vector<float> average_;  // the parameters' moving average (empty: off)
  std::vector<EpochStats> history_;
  TrainPosition position_;  // its step is the optimizer's
  std::int64_t total_steps_ = 0;  // of the whole run, for the learning-rate schedule
  std::uint32_t data_crc_ = 0;    // recorded in checkpoints: a resume on other data is refused
};

}  // namespace blnk::train
