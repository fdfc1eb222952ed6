// Learning-rate schedules: the rate of each optimizer step, from the base rate (--lr),
// the step's index and the run's total number of steps.
#pragma once

#include <cstdint>
#include <string>

namespace blnk::train {

enum class LrSchedule {
  constant,  // the base rate throughout (Keras's default, the seed's recipe)
  cosine,    // from the base rate down to zero along half a cosine over the whole run
};

// "constant" or "cosine"; throws Error for anything else.
LrSchedule parse_lr_schedule(const std::string& name);
const char* lr_schedule_name(LrSchedule schedule);

// The rate of step `step` (0-based) of a run of `total_steps`; computed in double so the
// value is the same on every machine and at every thread count.
float scheduled_learning_rate(LrSchedule schedule, float base, std::int64_t step, std::int64_t total_steps);

}  // namespace blnk::train
