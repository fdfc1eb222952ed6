// Fuzz target: the Keras layout checks (keras/keras_layout.h). The input is a
// model_config; when it maps to a spec, the plan must agree with the layers the
// registry builds from that spec (every weight slot one of its tensors), the weights of exactly the planned shapes must
// match, and any weight one element off in any dimension must be refused.
#include <string_view>

#include "base/error.h"
#include "keras/keras_layout.h"
#include "layers/registry.h"
#include "fuzz_targets.h"

namespace blnk::fuzz {

int fuzz_keras(const std::uint8_t* data, std::size_t size) {
  if (!data) return 0;
  keras::KerasPlan plan;
  try {
    plan = keras::plan_keras_model(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.h5");
  } catch (const Error&) {
    return 0;
  }
  const auto layers = build_layers(plan.spec, plan.input);  // a plan's spec always builds
  std::size_t params = 0;
  for (const auto& layer : layers) params += layer->param_count();
  BLNK_FUZZ_CHECK(params == plan.param_count);
  for (const keras::WeightedLayer& w : plan.weighted) {
    BLNK_FUZZ_CHECK(w.blnk_layer < layers.size());
    std::vector<keras::FoundWeight> found;
    for (const keras::WeightSlot& slot : w.slots) {
      // Every slot is one of the blnk layer's tensors, at its offset, of its shape.
      const auto tensors = slot.state ? layers[w.blnk_layer]->state_info() : layers[w.blnk_layer]->param_info();
      bool is_tensor = false;
      for (const ParamInfo& t : tensors) is_tensor = is_tensor || (t.offset == slot.offset && t.shape == slot.shape);
      BLNK_FUZZ_CHECK(is_tensor);
      if (!slot.in_file) continue;
      found.push_back({w.keras_name + "/" + slot.keras_weight + ":0",
                       std::vector<std::uint64_t>(slot.shape.begin(), slot.shape.end())});
    }
    keras::match_weights(w, found, "fuzz.h5");  // must not throw
    for (std::size_t f = 0; f < found.size(); ++f)
      for (std::size_t d = 0; d < found[f].dims.size(); ++d) {
        auto wrong = found;
        ++wrong[f].dims[d];
        bool refused = false;
        try {
          keras::match_weights(w, wrong, "fuzz.h5");
        } catch (const Error&) {
          refused = true;
        }
        BLNK_FUZZ_CHECK(refused);
      }
  }
  return 0;
}

}  // namespace blnk::fuzz
