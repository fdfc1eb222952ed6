// blnk's side of the ONNX comparisons: runs a model file on IDX images and writes
// what it answered and, optionally, what the network saw, as raw little-endian float32:
//   PROBS.f32  (N, classes) blnk's probabilities
//   INPUT.f32  (N, H, W) pixels / 255, the `image` tensor the runtimes are given
// usage: blnk_onnx_probe MODEL.blnk IMAGES.idx[.gz] PROBS.f32 [INPUT.f32]
//        blnk_onnx_probe --init SPEC SEED OUT.blnk   (a model with random weights, for
//                                                    exports checked without MNIST)
#include <cstdio>
#include <fstream>
#include <vector>

#include "data/idx.h"
#include "base/error.h"
#include "engine/model_file.h"

namespace {

constexpr int kBatch = 256;

void write_floats(const std::string& path, const std::vector<float>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(float)));
  if (!out) throw blnk::Error(path + ": cannot write");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::string(argv[1]) == "--init") {
    try {
      blnk::Network net(argv[2]);
      net.init(std::stoull(argv[3]));
      blnk::write_model_file(argv[4], blnk::model_file_of(net));
      return 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
      return 1;
    }
  }
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: %s MODEL.blnk IMAGES.idx PROBS.f32 [INPUT.f32]\n", argv[0]);
    return 2;
  }
  try {
    const blnk::Network net = blnk::network_from(blnk::read_model_file(argv[1]), argv[1]);
    const blnk::data::IdxImages images = blnk::data::read_idx_images(argv[2]);
    const std::size_t image_size = std::size_t(images.image_size());
    std::vector<float> x(images.pixels.size());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(images.pixels[i]) * (1.0f / 255.0f);
    const int classes = net.num_classes();
    std::vector<float> probs(std::size_t(images.count) * classes);
    blnk::Workspace ws(net, kBatch, blnk::Mode::inference);
    for (int first = 0; first < images.count; first += kBatch) {
      const int n = std::min(kBatch, images.count - first);
      ws.predict(x.data() + first * image_size, n, probs.data() + std::size_t(first) * classes);
    }
    write_floats(argv[3], probs);
    if (argc == 5) write_floats(argv[4], x);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
    return 1;
  }
  return 0;
}
