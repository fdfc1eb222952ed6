// Optimizers: one loop over the flat parameter and gradient arrays.
// State (moments, step count) is exposed so checkpoints can carry it and
// --resume continues exactly.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace blnk::train {

struct OptimizerConfig {
  std::string name = "adam";  // adam | sgd
  float learning_rate = 1e-3f;
  float beta1 = 0.9f, beta2 = 0.999f, epsilon = 1e-7f;  // Adam, Keras defaults
  float momentum = 0.9f;                                // SGD
};

// A named state array of the optimizer, e.g. Adam's first moments.
struct OptimizerSlot {
  std::string name;
  std::vector<float>* values;
};

class Optimizer {
 public:
  virtual ~Optimizer() = default;
  virtual std::string name() const = 0;
  // Applies one update from grads to params; threads split the array, each element
  // is updated by exactly one thread, so the result does not depend on their count.
  virtual void step(std::span<float> params, std::span<const float> grads, int threads) = 0;
  virtual std::vector<OptimizerSlot> slots() = 0;
  std::int64_t steps() const { return steps_; }
  void set_steps(std::int64_t steps) { steps_ = steps; }
  // The rate of the next steps (a schedule changes it before each step).
  float learning_rate() const { return learning_rate_; }
  void set_learning_rate(float rate) { learning_rate_ = rate; }

 protected:
  explicit Optimizer(float learning_rate) : learning_rate_(learning_rate) {}
  std::int64_t steps_ = 0;
  float learning_rate_;
};

// Adam exactly as Keras 2.12 computes it:
//   alpha = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
//   m += (g - m) * (1 - beta1);  v += (g^2 - v) * (1 - beta2)
//   p -= alpha * m / (sqrt(v) + epsilon)
class Adam : public Optimizer {
 public:
  Adam(const OptimizerConfig& config, std::size_t param_count);
  std::string name() const override { return "adam"; }
  void step(std::span<float> params, std::span<const float> grads, int threads) override;
  std::vector<OptimizerSlot> slots() override { return {{"m", &m_}, {"v", &v_}}; }

 private:
  OptimizerConfig cfg_;
  std::vector<float> m_, v_;
};

// SGD with momentum, as Keras: v = momentum * v - lr * g;  p += v.
class Sgd : public Optimizer {
 public:
  Sgd(const OptimizerConfig& config, std::size_t param_count);
  std::string name() const override { return "sgd"; }
  void step(std::span<float> params, std::span<const float> grads, int threads) override;
  std::vector<OptimizerSlot> slots() override { return {{"velocity", &velocity_}}; }

 private:
  OptimizerConfig cfg_;
  std::vector<float> velocity_;
};

std::unique_ptr<Optimizer> make_optimizer(const OptimizerConfig& config, std::size_t param_count);

}  // namespace blnk::train
