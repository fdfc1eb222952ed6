// The training loop (see trainer.h).
#include "train/trainer.h"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <numeric>
#include <span>
#include <sstream>

#include "data/augment.h"
#include "layers/registry.h"
#include "data/pixels.h"
#include "base/error.h"
#include "base/text_encode.h"
#include "base/moving_average.h"
#include "train/checkpoint.h"
#include "train/loss.h"

namespace blnk::train {

std::string default_spec_for_classes(int classes) {
  const std::string spec = kDefaultSpec;
  return spec.substr(0, spec.rfind("dense")) + "dense" + std::to_string(classes);
}
namespace {

constexpr int kMaxBatchSize = 1 << 16;
constexpr int kMaxThreads = 256;
// Buffers planned beyond this share of physical memory are refused before they are
// allocated (the kernel would kill the process part-way instead).
constexpr double kMaxMemoryFraction = 0.8;
// Stream tags, so that the streams derived from one seed never coincide.
constexpr std::uint64_t kSplitStream = 0x5b117;
constexpr std::uint64_t kShuffleStream = 0x5f0ff1e;
constexpr std::uint64_t kDropoutStream = 0xd60b;
constexpr std::uint64_t kAugmentStream = 0xa06;

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

void shuffle(std::vector<int>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

// FNV-1a over the bits of the floats, folded to 32 bits (exact as a double).
std::uint32_t bits_hash(std::span<const float> values, std::uint64_t h = 0xcbf29ce484222325ull) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(values.data());
  for (std::size_t i = 0; i < values.size_bytes(); ++i) h = (h ^ bytes[i]) * 0x100000001b3ull;
  return std::uint32_t(h ^ (h >> 32));
}

}  // namespace

Trainer::Trainer(Network& net, const TrainConfig& config, const LabelledImages& train,
                 const LabelledImages* test, GradientExchange* exchange)
    : net_(net), cfg_(config), data_(train), test_(test), exchange_(exchange ? exchange : &single_process_) {
  if (cfg_.batch_size < 1 || cfg_.batch_size > kMaxBatchSize)
    throw Error("train: the batch size must be from 1 to " + std::to_string(kMaxBatchSize));
  if (cfg_.threads < 1 || cfg_.threads > kMaxThreads)
    throw Error("train: the thread count must be from 1 to " + std::to_string(kMaxThreads));
  const int ranks = exchange_->ranks();
  if (ranks > 1 && (cfg_.threads % ranks != 0 || cfg_.threads > cfg_.batch_size))
    throw Error("train: " + std::to_string(ranks) + " ranks need a thread count of the whole run (" +
                std::to_string(cfg_.threads) + ") that is a multiple of the ranks and at most the batch size (" +
                std::to_string(cfg_.batch_size) + ")");
  if (cfg_.epochs < 0) throw Error("train: the epoch count must not be negative");
  if (!(cfg_.val_split >= 0.0 && cfg_.val_split < 1.0))
    throw Error("train: the validation split must be in [0, 1)");
  if (!(cfg_.ema_momentum >= 0.0f && cfg_.ema_momentum < 1.0f))
    throw Error("train: the moving-average momentum must be in [0, 1)");
  if (cfg_.augment == data::Augment::digits && net.input_shape().c != 1)
    throw Error("train: --augment digits needs single-channel images (crop or crop-flip take any)");
  // Checked here, not in the loss inside the threads' parallel region (an exception
  // may not leave one: it would terminate the program).
  check_fits(train, net, "train: the training set");
  if (test) check_fits(*test, net, "train: the test set");

  std::vector<int> all(train.count);
  std::iota(all.begin(), all.end(), 0);
  Rng split_rng(key_of(cfg_.seed, kSplitStream));
  shuffle(all, split_rng);
  const int val_count = int(std::lround(cfg_.val_split * train.count));
  val_indices_.assign(all.begin(), all.begin() + val_count);
  train_indices_.assign(all.begin() + val_count, all.end());
  std::sort(val_indices_.begin(), val_indices_.end());
  std::sort(train_indices_.begin(), train_indices_.end());
  if (train_indices_.empty())
    throw Error("train: the validation split " + number_text(cfg_.val_split) + " of " + count_of(train.count, "image") +
                " leaves no training images (--val-split, --limit)");
  const std::size_t image_size = net.input_shape().size();
  for (int i : val_indices_) {
    val_pixels_.insert(val_pixels_.end(), train.pixels + std::size_t(i) * image_size,
                       train.pixels + std::size_t(i + 1) * image_size);
    val_labels_.push_back(train.labels[i]);
  }

  optimizer_ = make_optimizer(cfg_.optimizer, net.param_count());
  if (cfg_.ema_momentum > 0.0f) average_.assign(net.params().begin(), net.params().end());
  slices_ = std::min(cfg_.threads, cfg_.batch_size);
  const int threads = slices_ / ranks;
  first_slice_ = exchange_->rank() * threads;
  const int slice = (cfg_.batch_size + slices_ - 1) / slices_;
  // Each slice's block: its gradients, then its layers' statistics (BatchNorm's: the
  // state's update), exchanged and summed in slice order alike.
  grads_stride_ = (net.param_count() + net.state_count() + 15) / 16 * 16;
  check_memory(net, threads, slice);
  for (int t = 0; t < threads; ++t) workspaces_.push_back(std::make_unique<Workspace>(net, slice, Mode::training, cfg_.precision));
  slice_grads_.assign(std::size_t(slices_) * grads_stride_, 0.0f);
  slice_stats_.assign(std::size_t(ranks) * (2 * threads + 1), 0.0);
  batch_x_.assign(std::size_t(cfg_.batch_size) * image_size, 0.0f);
  batch_labels_.assign(cfg_.batch_size, 0);
  order_.reserve(train_indices_.size());
  const std::int64_t batches = (std::int64_t(train_indices_.size()) + cfg_.batch_size - 1) / cfg_.batch_size;
  total_steps_ = batches * cfg_.epochs;
  data_crc_ = data_fingerprint(data_);
}

void Trainer::check_memory(const Network& net, int threads, int slice) const {
  const double planned = double(threads) * double(Workspace::planned_bytes(net, slice, Mode::training, cfg_.precision)) +
                         double(slices_) * double(grads_stride_) * sizeof(float) +
                         double(cfg_.batch_size) * double(net.input_shape().size()) * sizeof(float);
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  const double physical = pages > 0 && page > 0 ? double(pages) * double(page) : 0;
  if (physical > 0 && planned > physical * kMaxMemoryFraction) {
    char text[256];
    std::snprintf(text, sizeof text,
                  "train: a batch of %d over %d threads plans %.1f GB of buffers; this machine has %.1f GB: "
                  "use a smaller --batch-size or fewer --threads",
                  cfg_.batch_size, slices_, planned / 1e9, physical / 1e9);
    throw Error(text);
  }
}

void Trainer::train_batch(const int* indices, int n, double& loss_sum, int& correct, bool stop_requested) {
  const int threads = int(workspaces_.size());
  const int slice = workspaces_[0]->max_batch();
  const int classes = net_.num_classes();
  const Shape shape = net_.input_shape();
  const std::size_t image_size = shape.size();
  const std::uint64_t step_key = key_of(cfg_.seed, kDropoutStream, std::uint64_t(optimizer_->steps()));
  const std::size_t param_count = net_.param_count();
  const std::size_t state_count = net_.state_count();
  // This rank's block of slice_stats_: (loss[threads], correct[threads], stop).
  double* stats = slice_stats_.data() + std::size_t(exchange_->rank()) * (2 * threads + 1);
  data::AugmentOptions augment_options;

  // Each slice is one thread's when OpenMP gives them all; should it give fewer
  // (OMP_THREAD_LIMIT, a nested region), a thread takes several slices in turn, each
  // with its own workspace and gradient block, and the result is the same.
#pragma omp parallel num_threads(threads)
  for (int t = omp_get_thread_num(); t < threads; t += omp_get_num_threads()) {
    const int g = first_slice_ + t;  // the slice of the whole batch, over all ranks
    const int lo = std::min(n, g * slice), hi = std::min(n, lo + slice);
    for (int s = lo; s < hi; ++s) {
      const int index = indices[s];
      const std::uint8_t* src = data_.pixels + std::size_t(index) * image_size;
      float* dst = batch_x_.data() + std::size_t(s) * image_size;
      const std::uint64_t augment_key =
          key_of(cfg_.seed, kAugmentStream, (std::uint64_t(position_.epoch) << 32) | std::uint32_t(index));
      switch (cfg_.augment) {
        case data::Augment::digits:
          data::augment_digit(src, shape.h, shape.w, dst, augment_key, augment_options);
          break;
        case data::Augment::crop:
        case data::Augment::crop_flip:
          data::augment_crop(src, shape.h, shape.w, shape.c, dst, augment_key, cfg_.augment == data::Augment::crop_flip);
          break;
        case data::Augment::none:
          data::bytes_to_units(src, image_size, dst);
          break;
      }
      batch_labels_[s] = data_.labels[index];
    }
    float* grads = slice_grads_.data() + std::size_t(g) * grads_stride_;
    std::memset(grads, 0, sizeof(float) * (param_count + state_count));
    stats[t] = 0;
    stats[threads + t] = 0;
    if (lo < hi) {
      Workspace& ws = *workspaces_[t];
      const float* logits = ws.forward(batch_x_.data() + std::size_t(lo) * image_size, hi - lo,
                                       Mode::training, step_key, lo, grads + param_count);
      const LossResult r = softmax_cross_entropy(logits, batch_labels_.data() + lo, hi - lo, classes, n,
                                                 ws.logits_grad());
      ws.backward(grads);
      stats[t] = r.loss_sum;
      stats[threads + t] = r.correct;
    }
  }
  stats[2 * threads] = stop_requested ? 1.0 : 0.0;
  if (exchange_->ranks() > 1) {
    exchange_->all_gather(std::span<float>(slice_grads_));
    exchange_->all_gather(std::span<double>(slice_stats_));
  }
  sum_slice_gradients();
  // Losses and counts in slice order too (they feed the epoch's figures and the divergence check).
  stop_agreed_ = false;
  for (int r = 0; r < exchange_->ranks(); ++r) {
    const double* block = slice_stats_.data() + std::size_t(r) * (2 * threads + 1);
    for (int t = 0; t < threads; ++t) {
      loss_sum += block[t];
      correct += int(block[threads + t]);
    }
    stop_agreed_ = stop_agreed_ || block[2 * threads] != 0.0;
  }
  optimizer_->set_learning_rate(scheduled_learning_rate(cfg_.lr_schedule, cfg_.optimizer.learning_rate,
                                                        optimizer_->steps(), total_steps_));
  optimizer_->step(net_.mutable_params(), std::span<const float>(slice_grads_.data(), param_count), threads);
  if (state_count > 0)
    net_.update_state(std::span<const float>(slice_grads_.data() + param_count, state_count), n, optimizer_->steps());
  update_average();
}

void Trainer::step(const int* indices, int n) {
  if (n < 1 || n > cfg_.batch_size) throw Error("train: a step takes 1 to " + std::to_string(cfg_.batch_size) + " samples");
  double loss_sum = 0;
  int correct = 0;
  train_batch(indices, n, loss_sum, correct, false);
}

void Trainer::sum_slice_gradients() {
  float* sum = slice_grads_.data();
  const std::size_t stride = grads_stride_;
  const int slices = slices_;
  const std::ptrdiff_t n = std::ptrdiff_t(net_.param_count() + net_.state_count());
#pragma omp parallel for num_threads(int(workspaces_.size())) schedule(static)
  for (std::ptrdiff_t i = 0; i < n; ++i) {
    float g = sum[i];
    for (int u = 1; u < slices; ++u) g += sum[std::size_t(u) * stride + i];
    sum[i] = g;
  }
}

void Trainer::update_average() {
  if (average_.empty()) return;
  // Warm-up, as TensorFlow's ExponentialMovingAverage with num_updates: early on the
  // average follows the parameters closely, else a short run would end on an average
  // still dominated by the random initial weights.
  const float m = warmed_up_momentum(cfg_.ema_momentum, optimizer_->steps());
  const float one_minus_m = 1.0f - m;
  const std::span<const float> p = net_.params();
  float* a = average_.data();
  const std::ptrdiff_t n = std::ptrdiff_t(average_.size());
#pragma omp parallel for num_threads(int(workspaces_.size())) schedule(static)
  for (std::ptrdiff_t i = 0; i < n; ++i) a[i] = m * a[i] + one_minus_m * p[i];
}

void Trainer::swap_average() {
  if (average_.empty()) return;
  const std::span<float> p = net_.mutable_params();
  std::swap_ranges(p.begin(), p.end(), average_.begin());
}

void Trainer::check_ranks_agree() {
  // What every rank must start from alike: its data, settings and state (a resumed
  // rank reads the checkpoint from its own disk).
  std::uint32_t state = bits_hash(net_.params());
  if (net_.state_count() > 0) state ^= bits_hash(net_.state(), state);
  for (const OptimizerSlot& slot : optimizer_->slots()) state ^= bits_hash(*slot.values, state);
  if (!average_.empty()) state ^= bits_hash(average_, state);
  const double mine[] = {double(data_crc_), double(data_.count), double(cfg_.batch_size), double(cfg_.threads),
                         double(cfg_.epochs), double(optimizer_->steps()), double(position_.epoch),
                         double(position_.batch), double(state)};
  constexpr std::size_t n = std::size(mine);
  std::vector<double> all(n * std::size_t(exchange_->ranks()));
  std::copy(mine, mine + n, all.begin() + std::ptrdiff_t(n * std::size_t(exchange_->rank())));
  exchange_->all_gather(std::span<double>(all));
  for (int r = 1; r < exchange_->ranks(); ++r)
    if (!std::equal(all.begin(), all.begin() + n, all.begin() + std::ptrdiff_t(n * std::size_t(r))))
      throw Error("train: rank " + std::to_string(r) + " would start from other training data, settings or " +
                  "parameters than rank 0 (other files or --limit on its machine, or another checkpoint: every "
                  "rank must see the same ones)");
}

TrainOutcome Trainer::run(const TrainCallbacks& callbacks) {
  if (exchange_->ranks() > 1) check_ranks_agree();
  const int count = int(train_indices_.size());
  const int batches = (count + cfg_.batch_size - 1) / cfg_.batch_size;
  auto stop_requested = [&] { return callbacks.stop_requested && callbacks.stop_requested->load(); };
  // Every rank must stop at the same batch: with several, they agree at each batch's exchange.
  auto stop = [&] { return exchange_->ranks() > 1 ? stop_agreed_ : stop_requested(); };
  while (position_.epoch < cfg_.epochs) {
    order_ = train_indices_;
    Rng shuffle_rng(key_of(cfg_.seed, kShuffleStream, std::uint64_t(position_.epoch)));
    shuffle(order_, shuffle_rng);
    double loss_sum = position_.partial_loss;
    int correct = position_.partial_correct;
    const auto start = Clock::now();
    const int first_batch = position_.batch;
    for (int b = first_batch; b < batches; ++b) {
      const int n = std::min(cfg_.batch_size, count - b * cfg_.batch_size);
      const double before = loss_sum;
      train_batch(order_.data() + std::size_t(b) * cfg_.batch_size, n, loss_sum, correct, stop_requested());
      if (!std::isfinite(loss_sum - before))
        throw Error("training diverged: the loss is " + std::to_string(loss_sum - before) + " at epoch " +
                    std::to_string(position_.epoch + 1) + ", batch " + std::to_string(b + 1) +
                    "; no model was written (try a lower --lr)");
      position_.batch = b + 1;
      const int seen = std::min(count, position_.batch * cfg_.batch_size);
      if (callbacks.on_batch) {
        BatchProgress p;
        p.epoch = position_.epoch + 1;
        p.epochs = cfg_.epochs;
        p.batch = b + 1;
        p.batches = batches;
        p.loss = loss_sum / seen;
        p.accuracy = double(correct) / seen;
        p.seconds = seconds_since(start);
        p.images_per_second = (seen - first_batch * cfg_.batch_size) / std::max(p.seconds, 1e-9);
        callbacks.on_batch(p);
      }
      if (stop() && b + 1 < batches) {
        position_.partial_loss = loss_sum;
        position_.partial_correct = correct;
        save_checkpoint();
        return TrainOutcome::interrupted;
      }
    }
    const double train_seconds = seconds_since(start);
    EpochStats e;
    e.epoch = position_.epoch + 1;
    e.train_loss = loss_sum / count;
    e.train_accuracy = double(correct) / count;
    e.images_per_second = (count - first_batch * cfg_.batch_size) / std::max(train_seconds, 1e-9);
    // Every rank evaluates the whole sets (the results do not depend on the thread count),
    // so that the ranks stay in step and hold the same history.
    const int eval_threads = std::max(1, cfg_.threads / exchange_->ranks());
    swap_average();
    if (!val_indices_.empty()) {
      const Evaluation v = evaluate(net_, {val_pixels_.data(), val_labels_.data(), int(val_labels_.size()), data_.shape},
                                    eval_threads);
      e.val_loss = v.mean_loss;
      e.val_accuracy = v.accuracy();
    }
    if (test_ && test_->count > 0) {
      const Evaluation t = evaluate(net_, *test_, eval_threads);
      e.test_loss = t.mean_loss;
      e.test_accuracy = t.accuracy();
    }
    swap_average();
    e.seconds = seconds_since(start);
    ++position_.epoch;
    position_.batch = 0;
    position_.partial_loss = 0;
    position_.partial_correct = 0;
    history_.push_back(e);
    save_checkpoint();
    if (callbacks.on_epoch) callbacks.on_epoch(e);
    if (stop() && position_.epoch < cfg_.epochs) return TrainOutcome::interrupted;
  }
  // The run's model is the average (the checkpoint keeps both, for a longer --resume).
  if (!average_.empty()) std::copy(average_.begin(), average_.end(), net_.mutable_params().begin());
  return TrainOutcome::finished;
}

ModelFile Trainer::checkpoint() const {
  TrainPosition position = position_;
  position.step = optimizer_->steps();
  return checkpoint_file(net_, *optimizer_, average_, cfg_, position, data_.count, data_crc_, history_);
}

void Trainer::save_checkpoint() const {
  if (exchange_->rank() == 0 && !cfg_.checkpoint_path.empty()) write_model_file(cfg_.checkpoint_path, checkpoint());
}

void Trainer::resume_from(const Checkpoint& c) {
  const TrainConfig& saved = c.config;
  if (saved.batch_size != cfg_.batch_size || saved.seed != cfg_.seed || saved.val_split != cfg_.val_split ||
      saved.augment != cfg_.augment || saved.optimizer.name != cfg_.optimizer.name ||
      saved.lr_schedule != cfg_.lr_schedule || saved.ema_momentum != cfg_.ema_momentum ||
      saved.precision != cfg_.precision)
    throw Error(c.name + ": the checkpoint was made with other training settings");
  if (c.samples != data_.count)
    throw Error(c.name + ": the checkpoint was made on " + std::to_string(c.samples) + " training images, this run has " +
                std::to_string(data_.count) + " (other files, folder or --limit)");
  if (c.data_crc != 0 && c.data_crc != data_crc_)
    throw Error(c.name + ": the checkpoint was made on other training images or labels (as many, but not the same)");
  if (c.file.spec != net_.spec()) throw Error(c.name + ": the checkpoint holds another model (" + c.file.spec + ")");
  const int batches = (int(train_indices_.size()) + cfg_.batch_size - 1) / cfg_.batch_size;
  if (c.position.batch >= batches) throw Error(c.name + ": the checkpoint's training position is inconsistent");
  load_params(c.file, net_, c.name);
  for (const OptimizerSlot& slot : optimizer_->slots()) {
    const StoredTensor* t = c.file.find_tensor("optimizer/" + slot.name);
    if (!t || t->data.size() != slot.values->size())
      throw Error(c.name + ": optimizer state '" + slot.name + "' is missing or has the wrong size");
    *slot.values = t->data;
  }
  if (!average_.empty()) {
    const StoredTensor* t = c.file.find_tensor("train/average");
    if (!t || t->data.size() != average_.size())
      throw Error(c.name + ": the parameters' moving average is missing or has the wrong size");
    average_ = t->data;
  }
  optimizer_->set_steps(c.position.step);
  position_ = c.position;
  history_ = c.history;
}

}  // namespace blnk::train
