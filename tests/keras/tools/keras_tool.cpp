// A helper the Python tests in tests/keras drive (not installed):
//   blnk_keras_tool forward MODEL.blnk IN.f32 OUT.f32
//       IN: n samples of the model's input, float32 NHWC; OUT: the n x classes
//       logits, then the n x classes probabilities (Workspace::predict).
//   blnk_keras_tool seed-preprocess OUT.f32 IMAGE...
//       data::seed_preprocess_image of each image: 784 float32 each, in order.
//   blnk_keras_tool seed-gray OUT.u8 IMAGE...
//       its first two steps (Pillow's resize, OpenCV's gray): 784 bytes each.
// Exit 1 with the error on stderr when anything fails.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "data/image_color.h"
#include "data/seed_preprocess.h"
#include "base/error.h"
#include "base/file_io.h"
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
  blnk::Workspace ws(net, 1, blnk::Mode::inference);
  for (std::size_t i = 0; i < n; ++i) {
    const float* y = ws.forward(x.data() + i * sample, 1, blnk::Mode::inference);
    std::copy(y, y + classes, logits.begin() + std::ptrdiff_t(i * classes));
    ws.predict(x.data() + i * sample, 1, probs.data() + i * classes);
  }
  logits.insert(logits.end(), probs.begin(), probs.end());
  write_floats(out_path, logits);
  return 0;
}

int seed_preprocess(const std::string& out_path, char** images, int count, bool gray_only) {
  std::vector<float> out;
  std::string gray;
  for (int i = 0; i < count; ++i) {
    if (gray_only) {
      const auto g = blnk::data::seed_gray(blnk::data::resize_like_pillow(
          blnk::data::read_image_color(images[i]), blnk::data::kDigitSide, blnk::data::kDigitSide));
      gray.append(g.begin(), g.end());
      continue;
    }
    // What a --preprocess seed classifier calls (the bytes as an upload would bring them).
    const auto bytes = blnk::read_file_bytes(images[i], blnk::data::kDefaultMaxImageFileBytes);
    const blnk::data::Preprocessed digit = blnk::data::seed_preprocess_image(bytes, images[i]);
    out.insert(out.end(), digit.pixels.begin(), digit.pixels.end());
  }
  if (!gray_only) {
    write_floats(out_path, out);
    return 0;
  }
  std::ofstream file(out_path, std::ios::binary);
  file.write(gray.data(), std::streamsize(gray.size()));
  return file ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc == 5 && !std::strcmp(argv[1], "forward")) return forward(argv[2], argv[3], argv[4]);
    if (argc >= 3 && !std::strcmp(argv[1], "seed-preprocess")) return seed_preprocess(argv[2], argv + 3, argc - 3, false);
    if (argc >= 3 && !std::strcmp(argv[1], "seed-gray")) return seed_preprocess(argv[2], argv + 3, argc - 3, true);
  } catch (const blnk::Error& e) {
    std::fprintf(stderr, "blnk_keras_tool: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "usage: blnk_keras_tool forward MODEL IN.f32 OUT.f32 | seed-preprocess OUT.f32 IMAGE... | "
                       "seed-gray OUT.u8 IMAGE...\n");
  return 2;
}
