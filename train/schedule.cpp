// Learning-rate schedules (see schedule.h).
#include "train/schedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "base/error.h"

namespace blnk::train {

LrSchedule parse_lr_schedule(const std::string& name) {
  if (name == "constant") return LrSchedule::constant;
  if (name == "cosine") return LrSchedule::cosine;
  throw Error("unknown learning-rate schedule '" + name + "' (use constant or cosine)");
}

const char* lr_schedule_name(LrSchedule schedule) {
  return schedule == LrSchedule::cosine ? "cosine" : "constant";
}

float scheduled_learning_rate(LrSchedule schedule, float base, std::int64_t step, std::int64_t total_steps) {
  if (schedule == LrSchedule::constant || total_steps <= 0) return base;
  const double progress = double(std::clamp<std::int64_t>(step, 0, total_steps)) / double(total_steps);
  return float(double(base) * 0.5 * (1.0 + std::cos(std::numbers::pi * progress)));
}

}  // namespace blnk::train
