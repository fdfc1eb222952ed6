// A helper the Python tests in tests/keras drive (not installed):
//   blnk_keras_tool forward MODEL.blnk IN.f32 OUT.f32
//       IN: n samples of the model's input, float32 NHWC; OUT: the n x classes
//       logits, then the n x classes probabilities (Workspace::predict).
// Exit 1 with the error on stderr when anything fails.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "engine/error.h"
#include "engine/file_io.h"
#include "engine/model_file.h"
#include "engine/network.h"

namespace {

constexpr std::uint64_t kMaxInputBytes = std::uint64_t(1) << 30;

void write_floats(const std::string& path, const std::vector<float>& values) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values.data()), std::streamsize(values.size() * sizeof(float)));
  if (!out) throw blnk::Error(path + ": cannot write");
}

int forward(const std::string& model, const std::string& in_path, const std::string& out_path) {
  const blnk::Network net = blnk::network_from(blnk::read_model_file(model), model);
  const std::vector<std::uint8_t> bytes = blnk::read_file_bytes(in_path, kMaxInputBytes);
  const std::size_t sample = net.input_shape().size(), classes = std::size_t(net.num_classes());
  if (bytes.size() % (sample * sizeof(float)) != 0) throw blnk::Error(in_path + ": not a whole number of samples");
  const std::size_t n = bytes.size() / (sample * sizeof(float));
  std::vector<float> x(n * sample), logits(n * classes), probs(n * classes);
  std::memcpy(x.data(), bytes.data(), bytes.size());
  blnk::Workspace ws(net, 1, blnk::Purpose::inference);
  for (std::size_t i = 0; i < n; ++i) {
    const float* y = ws.forward(x.data() + i * sample, 1, blnk::Mode::inference);
    std::copy(y, y + classes, logits.begin() + std::ptrdiff_t(i * classes));
    ws.predict(x.data() + i * sample, 1, probs.data() + i * classes);
  }
  logits.insert(logits.end(), probs.begin(), probs.end());
  write_floats(out_path, logits);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 5 && !std::strcmp(argv[1], "forward")) return forward(argv[2], argv[3], argv[4]);
  } catch (const blnk::Error& e) {
    std::fprintf(stderr, "blnk_keras_tool: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: blnk_keras_tool forward MODEL IN.f32 OUT.f32\n");
  return 2;
}
