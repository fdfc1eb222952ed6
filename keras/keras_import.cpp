// A Keras HDF5 file -> a blnk model file (keras_import.h).
#include "keras/keras_import.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "base/error.h"
#include "keras/hdf5_file.h"
#include "keras/keras_layout.h"

namespace blnk::keras {
namespace {

constexpr const char* kWeightsGroup = "/model_weights";

// The weights of one layer as the file lists them, with their shapes checked
// against the plan: for each slot the dataset that supplies it ("" for a slot the
// config fills).
std::vector<std::string> weight_datasets(const Hdf5File& file, const WeightedLayer& layer) {
  std::vector<std::string> datasets(layer.slots.size());
  if (!layer.reads_file()) return datasets;  // a Rescaling: nothing stored
  const std::string group = std::string(kWeightsGroup) + "/" + layer.keras_name;
  const std::string at = file.path() + ": layer '" + layer.keras_name + "' (" + layer.keras_class + ")";
  if (!file.exists(group)) throw Error(at + ": its weights group " + group + " is missing");
  const auto names = file.string_list_attribute(group, "weight_names");
  if (!names) throw Error(at + ": " + group + " has no weight_names attribute");
  std::vector<FoundWeight> found;
  for (const std::string& name : *names) {
    const std::string dataset = group + "/" + name;
    if (!file.exists(dataset)) throw Error(at + ": dataset " + dataset + " is missing");
    found.push_back({name, file.float_dataset_dims(dataset)});
  }
  const std::vector<int> supplier = match_weights(layer, found, file.path());
  for (std::size_t i = 0; i < supplier.size(); ++i)
    if (supplier[i] >= 0) datasets[i] = group + "/" + found[std::size_t(supplier[i])].stored_name;
  return datasets;
}

ModelFile import_here(const std::string& path) {
  const Hdf5File file(path);
  const auto config = file.string_attribute("/", "model_config");
  if (!config)
    throw Error(path + ": no model_config attribute: a weights-only file (save_weights) or not a Keras model; "
                       "blnk needs the whole model, saved with model.save(\"model.h5\")");
  const KerasPlan plan = plan_keras_model(*config, path);
  if (!file.exists(kWeightsGroup)) throw Error(path + ": the group " + std::string(kWeightsGroup) + " is missing");

  // Every shape is checked before the network allocates its parameters.
  std::vector<std::vector<std::string>> datasets;
  for (const WeightedLayer& layer : plan.weighted) datasets.push_back(weight_datasets(file, layer));

  Network net = [&] {
    try {
      return Network(plan.spec, plan.input);
    } catch (const Error& e) {
      throw Error(path + ": " + e.what());
    }
  }();
  std::span<float> params = net.mutable_params();
  std::span<float> state = net.mutable_state();
  for (std::size_t i = 0; i < plan.weighted.size(); ++i) {
    const WeightedLayer& layer = plan.weighted[i];
    float* layer_params = params.data() + net.layer_param_offset(layer.blnk_layer);
    float* layer_state = state.data() + net.layer_state_offset(layer.blnk_layer);
    for (std::size_t p = 0; p < layer.slots.size(); ++p) {
      const WeightSlot& slot = layer.slots[p];
      float* dst = (slot.state ? layer_state : layer_params) + slot.offset;
      if (datasets[i][p].empty()) {  // not in the file: Keras has none (use_bias false: zeros; a Rescaling)
        std::fill(dst, dst + slot.size(), slot.fill);
        continue;
      }
      const std::vector<float> values = file.read_floats(datasets[i][p], slot.size());
      for (float v : values) {
        if (!std::isfinite(v))
          throw Error(path + ": dataset " + datasets[i][p] + " holds a value that is not finite (NaN or infinity)");
        if (slot.keras_weight == "moving_variance" && v < 0.0f)
          throw Error(path + ": dataset " + datasets[i][p] + " holds a negative variance");
      }
      std::copy(values.begin(), values.end(), dst);
    }
    match_epsilon(layer, layer_params, layer_state);
  }

  ModelFile out = model_file_of(net);
  out.set_metadata(kImportedFrom, path);
  out.set_metadata(kImportedFormat, "keras-h5");
  out.set_metadata(kImportedModelClass, plan.model_class);
  for (const auto& [key, attribute] : {std::pair{kImportedKerasVersion, "keras_version"},
                                       std::pair{kImportedKerasBackend, "backend"}}) {
    const auto value = file.string_attribute("/", attribute);
    out.set_metadata(key, value ? *value : "unknown");
  }
  return out;
}

// What the child writes on its pipe: a status byte, then the encoded model file or the message.
constexpr char kChildModel = 'M', kChildError = 'E';
constexpr std::size_t kMaxChildBytes = (std::size_t(1) << 30) + (std::size_t(1) << 20);
constexpr rlim_t kChildCpuSeconds = 300;  // a file that makes HDF5 loop is stopped

void write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    size -= std::size_t(n);
  }
}

[[noreturn]] void child_main(int fd, const std::string& path) {
  const rlimit cpu{kChildCpuSeconds, kChildCpuSeconds};
  setrlimit(RLIMIT_CPU, &cpu);
  std::string reply;
  try {
    const std::vector<std::uint8_t> bytes = encode_model_file(import_here(path));
    reply.reserve(bytes.size() + 1);
    reply += kChildModel;
    reply.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  } catch (const Error& e) {
    reply = std::string(1, kChildError) + e.what();
  } catch (const std::bad_alloc&) {
    reply = std::string(1, kChildError) + path + ": out of memory while reading the file";
  }
  write_all(fd, reply.data(), reply.size());
  ::_exit(0);
}

}  // namespace

// libhdf5 trusts much of what a file says: a corrupted object header can crash it
// (found by tests/keras/test_import_errors.py: a segmentation fault inside
// H5Aexists_by_name). So the file is read in a child process, and a crash there
// becomes an error naming the file instead of taking blnk down.
ModelFile import_keras_h5(const std::string& path) {
  int fds[2];
  if (::pipe(fds) != 0) throw Error(path + ": cannot create a pipe: " + std::strerror(errno));
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw Error(path + ": cannot start the reading process: " + std::strerror(errno));
  }
  if (child == 0) {
    ::close(fds[0]);
    child_main(fds[1], path);
  }
  ::close(fds[1]);
  std::vector<std::uint8_t> reply;
  std::uint8_t chunk[1 << 16];
  while (true) {
    const ssize_t n = ::read(fds[0], chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (reply.size() + std::size_t(n) <= kMaxChildBytes) reply.insert(reply.end(), chunk, chunk + n);
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status))
    throw Error(path + ": the HDF5 library crashed reading it (signal " + std::to_string(WTERMSIG(status)) +
                "): the file is corrupted");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || reply.empty())
    throw Error(path + ": reading the file failed (the HDF5 library stopped with status " +
                std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + "): the file is corrupted");
  if (reply[0] == std::uint8_t(kChildError)) throw Error(std::string(reply.begin() + 1, reply.end()));
  return decode_model_file(std::span<const std::uint8_t>(reply).subspan(1), path);
}

}  // namespace blnk::keras
