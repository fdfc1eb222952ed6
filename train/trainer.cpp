// The training loop (see trainer.h).
#include "train/trainer.h"

#include <omp.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numeric>
#include <sstream>

#include "data/augment.h"
#include "base/error.h"
#include "train/loss.h"

namespace blnk::train {
namespace {

constexpr int kMaxBatchSize = 1 << 16;
constexpr int kMaxThreads = 256;
// Stream tags, so that the streams derived from one seed never coincide.
constexpr std::uint64_t kSplitStream = 0x5b117;
constexpr std::uint64_t kShuffleStream = 0x5f0ff1e;
constexpr std::uint64_t kDropoutStream = 0xd60b;
constexpr std::uint64_t kAugmentStream = 0xa06;

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Exact text form of a double (hex float), so checkpoints restore bits, not approximations.
std::string exact(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

void shuffle(std::vector<int>& v, Rng& rng) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
}

std::string history_csv(const std::vector<EpochStats>& history) {
  std::string s;
  for (const EpochStats& e : history) {
    s += std::to_string(e.epoch);
    for (double v : {e.train_loss, e.train_accuracy, e.val_loss, e.val_accuracy, e.test_loss,
                     e.test_accuracy, e.seconds, e.images_per_second}) {
      s += ',';
      s += exact(v);
    }
    s += "\n";
  }
  return s;
}

std::vector<EpochStats> parse_history(const std::string& csv, const std::string& name) {
  std::vector<EpochStats> history;
  std::istringstream lines(csv);
  std::string line;
  while (std::getline(lines, line)) {
    EpochStats e;
    if (std::sscanf(line.c_str(), "%d,%la,%la,%la,%la,%la,%la,%la,%la", &e.epoch, &e.train_loss,
                    &e.train_accuracy, &e.val_loss, &e.val_accuracy, &e.test_loss, &e.test_accuracy,
                    &e.seconds, &e.images_per_second) != 9)
      throw Error(name + ": checkpoint history line '" + line + "' is malformed");
    history.push_back(e);
  }
  return history;
}

const std::string& need(const ModelFile& file, const std::string& key, const std::string& name) {
  const std::string* v = file.find_metadata(key);
  if (!v) throw Error(name + ": not a training checkpoint (no '" + key + "')");
  return *v;
}

double need_number(const ModelFile& file, const std::string& key, const std::string& name) {
  const std::string& text = need(file, key, name);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(v))
    throw Error(name + ": checkpoint value '" + key + "' is not a number");
  return v;
}

}  // namespace

Trainer::Trainer(Network& net, const TrainConfig& config, const LabelledImages& train,
                 const LabelledImages* test)
    : net_(net), cfg_(config), data_(train), test_(test) {
  if (cfg_.batch_size < 1 || cfg_.batch_size > kMaxBatchSize)
    throw Error("train: the batch size must be from 1 to " + std::to_string(kMaxBatchSize));
  if (cfg_.threads < 1 || cfg_.threads > kMaxThreads)
    throw Error("train: the thread count must be from 1 to " + std::to_string(kMaxThreads));
  if (cfg_.epochs < 0) throw Error("train: the epoch count must not be negative");
  if (!(cfg_.val_split >= 0.0 && cfg_.val_split < 1.0))
    throw Error("train: the validation split must be in [0, 1)");
  if (!(cfg_.ema_momentum >= 0.0f && cfg_.ema_momentum < 1.0f))
    throw Error("train: the moving-average momentum must be in [0, 1)");
  if (cfg_.augment && net.input_shape().c != 1)
    throw Error("train: --augment needs single-channel images");
  const int classes = net.num_classes();
  for (const LabelledImages* set : {&train, test})
    if (set)
      for (int i = 0; i < set->count; ++i)
        if (set->labels[i] >= classes)
          throw Error("train: label " + std::to_string(set->labels[i]) + " is outside the model's " +
                      std::to_string(classes) + " classes");

  std::vector<int> all(train.count);
  std::iota(all.begin(), all.end(), 0);
  Rng split_rng(key_of(cfg_.seed, kSplitStream));
  shuffle(all, split_rng);
  const int val_count = int(std::lround(cfg_.val_split * train.count));
  val_indices_.assign(all.begin(), all.begin() + val_count);
  train_indices_.assign(all.begin() + val_count, all.end());
  std::sort(val_indices_.begin(), val_indices_.end());
  std::sort(train_indices_.begin(), train_indices_.end());
  if (train_indices_.empty()) throw Error("train: no training samples");
  const std::size_t image_size = net.input_shape().size();
  for (int i : val_indices_) {
    val_pixels_.insert(val_pixels_.end(), train.pixels + std::size_t(i) * image_size,
                       train.pixels + std::size_t(i + 1) * image_size);
    val_labels_.push_back(train.labels[i]);
  }

  optimizer_ = make_optimizer(cfg_.optimizer, net.param_count());
  if (cfg_.ema_momentum > 0.0f) average_.assign(net.params().begin(), net.params().end());
  const int threads = std::min(cfg_.threads, cfg_.batch_size);
  const int slice = (cfg_.batch_size + threads - 1) / threads;
  for (int t = 0; t < threads; ++t) {
    workspaces_.push_back(std::make_unique<Workspace>(net, slice));
    thread_grads_.emplace_back(net.param_count(), 0.0f);
  }
  batch_x_.assign(std::size_t(cfg_.batch_size) * image_size, 0.0f);
  batch_labels_.assign(cfg_.batch_size, 0);
  order_.reserve(train_indices_.size());
  const std::int64_t batches = (std::int64_t(train_indices_.size()) + cfg_.batch_size - 1) / cfg_.batch_size;
  total_steps_ = batches * cfg_.epochs;
}

void Trainer::train_batch(const int* indices, int n, double& loss_sum, int& correct) {
  const int threads = int(workspaces_.size());
  const int slice = workspaces_[0]->max_batch();
  const int classes = net_.num_classes();
  const Shape shape = net_.input_shape();
  const std::size_t image_size = shape.size();
  const std::uint64_t step_key = key_of(cfg_.seed, kDropoutStream, std::uint64_t(optimizer_->steps()));
  const std::size_t param_count = net_.param_count();
  double thread_loss[kMaxThreads] = {};
  int thread_correct[kMaxThreads] = {};
  data::AugmentOptions augment_options;

#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    const int lo = std::min(n, t * slice), hi = std::min(n, lo + slice);
    for (int s = lo; s < hi; ++s) {
      const int index = indices[s];
      const std::uint8_t* src = data_.pixels + std::size_t(index) * image_size;
      float* dst = batch_x_.data() + std::size_t(s) * image_size;
      if (cfg_.augment)
        data::augment_digit(src, shape.h, shape.w, dst,
                            key_of(cfg_.seed, kAugmentStream, (std::uint64_t(epoch_) << 32) | std::uint32_t(index)),
                            augment_options);
      else
        for (std::size_t i = 0; i < image_size; ++i) dst[i] = float(src[i]) * (1.0f / 255.0f);
      batch_labels_[s] = data_.labels[index];
    }
    float* grads = thread_grads_[t].data();
    std::memset(grads, 0, sizeof(float) * param_count);
    if (lo < hi) {
      Workspace& ws = *workspaces_[t];
      const float* logits = ws.forward(batch_x_.data() + std::size_t(lo) * image_size, hi - lo,
                                       Mode::training, step_key, lo);
      const LossResult r = softmax_cross_entropy(logits, batch_labels_.data() + lo, hi - lo, classes, n,
                                                 ws.logits_grad());
      ws.backward(grads);
      thread_loss[t] = r.loss_sum;
      thread_correct[t] = r.correct;
    }
#pragma omp barrier
    // Sum the threads' gradients into thread 0's, each element in thread order.
#pragma omp for schedule(static)
    for (std::ptrdiff_t i = 0; i < std::ptrdiff_t(param_count); ++i) {
      float g = thread_grads_[0][i];
      for (int u = 1; u < threads; ++u) g += thread_grads_[u][i];
      thread_grads_[0][i] = g;
    }
  }
  for (int t = 0; t < threads; ++t) {
    loss_sum += thread_loss[t];
    correct += thread_correct[t];
  }
  optimizer_->set_learning_rate(scheduled_learning_rate(cfg_.lr_schedule, cfg_.optimizer.learning_rate,
                                                        optimizer_->steps(), total_steps_));
  optimizer_->step(net_.params(), thread_grads_[0], threads);
  update_average();
}

void Trainer::update_average() {
  if (average_.empty()) return;
  const float m = cfg_.ema_momentum, one_minus_m = 1.0f - cfg_.ema_momentum;
  const std::span<const float> p = net_.params();
  float* a = average_.data();
  const std::ptrdiff_t n = std::ptrdiff_t(average_.size());
#pragma omp parallel for num_threads(int(workspaces_.size())) schedule(static)
  for (std::ptrdiff_t i = 0; i < n; ++i) a[i] = m * a[i] + one_minus_m * p[i];
}

void Trainer::swap_average() {
  if (average_.empty()) return;
  const std::span<float> p = net_.params();
  std::swap_ranges(p.begin(), p.end(), average_.begin());
}

TrainOutcome Trainer::run(const TrainCallbacks& callbacks) {
  const int count = int(train_indices_.size());
  const int batches = (count + cfg_.batch_size - 1) / cfg_.batch_size;
  auto stop = [&] { return callbacks.stop_requested && callbacks.stop_requested->load(); };
  while (epoch_ < cfg_.epochs) {
    order_ = train_indices_;
    Rng shuffle_rng(key_of(cfg_.seed, kShuffleStream, std::uint64_t(epoch_)));
    shuffle(order_, shuffle_rng);
    double loss_sum = partial_loss_;
    int correct = partial_correct_;
    const auto start = Clock::now();
    const int first_batch = batch_in_epoch_;
    for (int b = first_batch; b < batches; ++b) {
      const int n = std::min(cfg_.batch_size, count - b * cfg_.batch_size);
      const double before = loss_sum;
      train_batch(order_.data() + std::size_t(b) * cfg_.batch_size, n, loss_sum, correct);
      if (!std::isfinite(loss_sum - before))
        throw Error("training diverged: the loss is " + std::to_string(loss_sum - before) + " at epoch " +
                    std::to_string(epoch_ + 1) + ", batch " + std::to_string(b + 1) +
                    "; no model was written (try a lower --lr)");
      batch_in_epoch_ = b + 1;
      const int seen = std::min(count, batch_in_epoch_ * cfg_.batch_size);
      if (callbacks.on_batch) {
        BatchProgress p;
        p.epoch = epoch_ + 1;
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
        partial_loss_ = loss_sum;
        partial_correct_ = correct;
        save_checkpoint();
        return TrainOutcome::interrupted;
      }
    }
    const double train_seconds = seconds_since(start);
    EpochStats e;
    e.epoch = epoch_ + 1;
    e.train_loss = loss_sum / count;
    e.train_accuracy = double(correct) / count;
    e.images_per_second = (count - first_batch * cfg_.batch_size) / std::max(train_seconds, 1e-9);
    swap_average();
    if (!val_indices_.empty()) {
      const Evaluation v = evaluate(net_, {val_pixels_.data(), val_labels_.data(), int(val_labels_.size())},
                                    cfg_.threads);
      e.val_loss = v.mean_loss;
      e.val_accuracy = v.accuracy();
    }
    if (test_ && test_->count > 0) {
      const Evaluation t = evaluate(net_, *test_, cfg_.threads);
      e.test_loss = t.mean_loss;
      e.test_accuracy = t.accuracy();
    }
    swap_average();
    e.seconds = seconds_since(start);
    ++epoch_;
    batch_in_epoch_ = 0;
    partial_loss_ = 0;
    partial_correct_ = 0;
    history_.push_back(e);
    save_checkpoint();
    if (callbacks.on_epoch) callbacks.on_epoch(e);
    if (stop() && epoch_ < cfg_.epochs) return TrainOutcome::interrupted;
  }
  // The run's model is the average (the checkpoint keeps both, for a longer --resume).
  if (!average_.empty()) std::copy(average_.begin(), average_.end(), net_.params().begin());
  return TrainOutcome::finished;
}

ModelFile Trainer::checkpoint() const {
  ModelFile file = model_file_of(net_);
  for (const OptimizerSlot& slot : const_cast<Optimizer&>(*optimizer_).slots())
    file.tensors.push_back({"optimizer/" + slot.name, {int(slot.values->size())}, *slot.values});
  if (!average_.empty()) file.tensors.push_back({"train/average", {int(average_.size())}, average_});
  const OptimizerConfig& o = cfg_.optimizer;
  const std::pair<const char*, std::string> entries[] = {
      {"train.epoch", std::to_string(epoch_)},
      {"train.batch", std::to_string(batch_in_epoch_)},
      {"train.partial_loss", exact(partial_loss_)},
      {"train.partial_correct", std::to_string(partial_correct_)},
      {"train.step", std::to_string(optimizer_->steps())},
      {"train.epochs", std::to_string(cfg_.epochs)},
      {"train.batch_size", std::to_string(cfg_.batch_size)},
      {"train.seed", std::to_string(cfg_.seed)},
      {"train.threads", std::to_string(cfg_.threads)},
      {"train.val_split", exact(cfg_.val_split)},
      {"train.augment", cfg_.augment ? "1" : "0"},
      {"train.ema_momentum", exact(cfg_.ema_momentum)},
      {"train.samples", std::to_string(data_.count)},
      {"optimizer.name", o.name},
      {"optimizer.lr_schedule", lr_schedule_name(cfg_.lr_schedule)},
      {"optimizer.learning_rate", exact(o.learning_rate)},
      {"optimizer.beta1", exact(o.beta1)},
      {"optimizer.beta2", exact(o.beta2)},
      {"optimizer.epsilon", exact(o.epsilon)},
      {"optimizer.momentum", exact(o.momentum)},
      {"train.history", history_csv(history_)},
  };
  for (const auto& [k, v] : entries) file.set_metadata(k, v);
  return file;
}

void Trainer::save_checkpoint() const {
  if (!cfg_.checkpoint_path.empty()) write_model_file(cfg_.checkpoint_path, checkpoint());
}

TrainConfig config_from_checkpoint(const ModelFile& file, const std::string& name) {
  TrainConfig c;
  c.epochs = int(need_number(file, "train.epochs", name));
  c.batch_size = int(need_number(file, "train.batch_size", name));
  const std::string& seed = need(file, "train.seed", name);
  const auto [end, ec] = std::from_chars(seed.data(), seed.data() + seed.size(), c.seed);
  if (ec != std::errc() || end != seed.data() + seed.size())
    throw Error(name + ": checkpoint value 'train.seed' is not a number");
  c.threads = int(need_number(file, "train.threads", name));
  c.val_split = need_number(file, "train.val_split", name);
  c.augment = need(file, "train.augment", name) == "1";
  // Checkpoints written before the moving average and the schedules existed have neither.
  c.ema_momentum = file.find_metadata("train.ema_momentum") ? float(need_number(file, "train.ema_momentum", name)) : 0.0f;
  if (!(c.ema_momentum >= 0.0f && c.ema_momentum < 1.0f))
    throw Error(name + ": checkpoint value 'train.ema_momentum' is outside [0, 1)");
  c.optimizer.name = need(file, "optimizer.name", name);
  const std::string* stored_schedule = file.find_metadata("optimizer.lr_schedule");
  const std::string schedule = stored_schedule ? *stored_schedule : "constant";
  if (schedule != "constant" && schedule != "cosine")
    throw Error(name + ": checkpoint value 'optimizer.lr_schedule' is '" + schedule + "' (constant or cosine)");
  c.lr_schedule = parse_lr_schedule(schedule);
  c.optimizer.learning_rate = float(need_number(file, "optimizer.learning_rate", name));
  c.optimizer.beta1 = float(need_number(file, "optimizer.beta1", name));
  c.optimizer.beta2 = float(need_number(file, "optimizer.beta2", name));
  c.optimizer.epsilon = float(need_number(file, "optimizer.epsilon", name));
  c.optimizer.momentum = float(need_number(file, "optimizer.momentum", name));
  return c;
}

void Trainer::resume_from(const ModelFile& file, const std::string& name) {
  const TrainConfig saved = config_from_checkpoint(file, name);
  if (saved.batch_size != cfg_.batch_size || saved.seed != cfg_.seed || saved.val_split != cfg_.val_split ||
      saved.augment != cfg_.augment || saved.optimizer.name != cfg_.optimizer.name ||
      saved.lr_schedule != cfg_.lr_schedule || saved.ema_momentum != cfg_.ema_momentum)
    throw Error(name + ": the checkpoint was made with other training settings");
  if (int(need_number(file, "train.samples", name)) != data_.count)
    throw Error(name + ": the checkpoint was made on a training set of another size");
  if (file.spec != net_.spec()) throw Error(name + ": the checkpoint holds another model (" + file.spec + ")");
  Network loaded = network_from(file, name);
  std::copy(loaded.params().begin(), loaded.params().end(), net_.params().begin());
  for (const OptimizerSlot& slot : optimizer_->slots()) {
    const StoredTensor* t = file.find_tensor("optimizer/" + slot.name);
    if (!t || t->data.size() != slot.values->size())
      throw Error(name + ": optimizer state '" + slot.name + "' is missing or has the wrong size");
    *slot.values = t->data;
  }
  if (!average_.empty()) {
    const StoredTensor* t = file.find_tensor("train/average");
    if (!t || t->data.size() != average_.size())
      throw Error(name + ": the parameters' moving average is missing or has the wrong size");
    average_ = t->data;
  }
  optimizer_->set_steps(std::int64_t(need_number(file, "train.step", name)));
  epoch_ = int(need_number(file, "train.epoch", name));
  batch_in_epoch_ = int(need_number(file, "train.batch", name));
  partial_loss_ = need_number(file, "train.partial_loss", name);
  partial_correct_ = int(need_number(file, "train.partial_correct", name));
  history_ = parse_history(need(file, "train.history", name), name);
  const int batches = (int(train_indices_.size()) + cfg_.batch_size - 1) / cfg_.batch_size;
  if (epoch_ < 0 || batch_in_epoch_ < 0 || batch_in_epoch_ >= batches || int(history_.size()) != epoch_)
    throw Error(name + ": the checkpoint's training position is inconsistent");
}

}  // namespace blnk::train
