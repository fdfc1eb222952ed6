// blnk's side of the ONNX comparisons: runs a model file on images and writes what
// it answered and, optionally, what the network saw, as raw little-endian float32:
//   PROBS.f32  (N, classes) blnk's probabilities
//   INPUT.f32  (N, C, H, W) pixels / 255, the `image` tensor the runtimes are given
// usage: blnk_onnx_probe MODEL.blnk IMAGES.idx[.gz] PROBS.f32 [INPUT.f32]
//        blnk_onnx_probe --images MODEL.blnk PROBS.f32 INPUT.f32 IMAGE...
//            (image files in colour: RGB, gray repeated, alpha over white; resized to the
//            model's input as Pillow's bicubic does, data/seed_preprocess.h)
//        blnk_onnx_probe --init SPEC SEED OUT.blnk [HxWxC [IMAGE...]]
//            (a model with random weights, for exports checked without training data;
//            its bn get random gammas and betas and random moving statistics, or with
//            images the statistics of those images, so that the bn normalize and the
//            answers differ from image to image; either way folding them is no identity)
#include <cstdio>
#include <fstream>
#include <random>
#include <vector>

#include "base/error.h"
#include "data/idx.h"
#include "data/image_color.h"
#include "data/seed_preprocess.h"
#include "engine/model_file.h"

namespace {

constexpr int kBatch = 256;

void write_floats(const std::string& path, const std::vector<float>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), std::streamsize(v.size() * sizeof(float)));
  if (!out) throw blnk::Error(path + ": cannot write");
}

blnk::Shape parse_shape(const std::string& text) {
  blnk::Shape s;
  if (std::sscanf(text.c_str(), "%dx%dx%d", &s.h, &s.w, &s.c) != 3) throw blnk::Error("shape '" + text + "': want HxWxC");
  return s;
}

void randomize_batch_norm(blnk::Network& net, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> gamma(0.5f, 1.5f), variance(0.2f, 2.0f);
  std::normal_distribution<float> shift(0.0f, 0.3f);
  std::span<float> params = net.mutable_params();
  for (const blnk::TensorInfo& t : net.tensors()) {
    const bool is_gamma = t.name.ends_with("/gamma"), is_beta = t.name.ends_with("/beta");
    for (std::size_t i = 0; i < t.size && (is_gamma || is_beta); ++i)
      params[t.offset + i] = is_gamma ? gamma(rng) : shift(rng);
  }
  std::span<float> state = net.mutable_state();
  for (const blnk::TensorInfo& t : net.state_tensors())
    for (std::size_t i = 0; i < t.size; ++i)
      state[t.offset + i] = t.name.ends_with("/moving_variance") ? variance(rng) : shift(rng);
}

// Pixels / 255 of `count` samples in blnk's (N, H, W, C), and the same in ONNX's (N, C, H, W).
std::vector<float> to_nchw(const std::vector<float>& nhwc, blnk::Shape s) {
  std::vector<float> out(nhwc.size());
  const std::size_t image = s.size(), n = nhwc.size() / image;
  for (std::size_t i = 0; i < n; ++i)
    for (int y = 0; y < s.h; ++y)
      for (int x = 0; x < s.w; ++x)
        for (int c = 0; c < s.c; ++c)
          out[i * image + (std::size_t(c) * s.h + y) * s.w + x] = nhwc[i * image + (std::size_t(y) * s.w + x) * s.c + c];
  return out;
}

// An image file as the model's input: `c` channels (1: its first; 3: RGB), resized, / 255.
std::vector<float> colour_input(const std::string& path, blnk::Shape s) {
  const blnk::data::ColorImage image = blnk::data::resize_like_pillow(blnk::data::read_image_color(path), s.w, s.h);
  std::vector<float> x(s.size());
  const bool alpha = image.channels == 2 || image.channels == 4;
  for (int y = 0; y < s.h; ++y)
    for (int px = 0; px < s.w; ++px) {
      const float a = alpha ? image.at(px, y, image.channels - 1) / 255.0f : 1.0f;
      for (int c = 0; c < s.c; ++c) {
        const int from = image.channels >= 3 ? c : 0;  // gray: the one channel for each
        x[(std::size_t(y) * s.w + px) * s.c + c] = (image.at(px, y, from) / 255.0f) * a + (1.0f - a);  // over white
      }
    }
  return x;
}

// The bn's moving statistics become those of the images x: training-mode passes (batch
// statistics) until the moving averages have converged to them.
void calibrate_batch_norm(blnk::Network& net, const std::vector<float>& x) {
  constexpr int kUpdates = 200;  // the warm-up momentum (t + 1) / (t + 10) leaves ~1e-17 of the start
  const int n = int(x.size() / net.input_shape().size());
  blnk::Workspace ws(net, n, blnk::Mode::training);
  std::vector<float> stats(net.state_count());
  for (int t = 0; t < kUpdates; ++t) {
    std::fill(stats.begin(), stats.end(), 0.0f);
    ws.forward(x.data(), n, blnk::Mode::training, 0, 0, stats.data());
    net.update_state(stats, n, t);
  }
}

std::vector<float> colour_inputs(char** paths, int count, blnk::Shape shape) {
  std::vector<float> x;
  for (int i = 0; i < count; ++i) {
    const std::vector<float> one = colour_input(paths[i], shape);
    x.insert(x.end(), one.begin(), one.end());
  }
  return x;
}

void predict_all(const blnk::Network& net, const std::vector<float>& x, const std::string& probs_path) {
  const std::size_t image_size = net.input_shape().size();
  const int count = int(x.size() / image_size), classes = net.num_classes();
  std::vector<float> probs(std::size_t(count) * classes);
  blnk::Workspace ws(net, kBatch, blnk::Mode::inference);
  for (int first = 0; first < count; first += kBatch) {
    const int n = std::min(kBatch, count - first);
    ws.predict(x.data() + first * image_size, n, probs.data() + std::size_t(first) * classes);
  }
  write_floats(probs_path, probs);
}

int run(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "--init" && argc >= 5) {
    blnk::Network net(argv[2], argc >= 6 ? parse_shape(argv[5]) : blnk::kMnistShape);
    net.init(std::stoull(argv[3]));
    randomize_batch_norm(net, std::stoull(argv[3]));
    if (argc > 6) calibrate_batch_norm(net, colour_inputs(argv + 6, argc - 6, net.input_shape()));
    blnk::write_model_file(argv[4], blnk::model_file_of(net));
    return 0;
  }
  if (mode == "--images" && argc >= 6) {
    const blnk::Network net = blnk::network_from(blnk::read_model_file(argv[2]), argv[2]);
    const std::vector<float> x = colour_inputs(argv + 5, argc - 5, net.input_shape());
    predict_all(net, x, argv[3]);
    write_floats(argv[4], to_nchw(x, net.input_shape()));
    return 0;
  }
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: %s MODEL.blnk IMAGES.idx PROBS.f32 [INPUT.f32]\n", argv[0]);
    return 2;
  }
  const blnk::Network net = blnk::network_from(blnk::read_model_file(argv[1]), argv[1]);
  const blnk::data::IdxImages images = blnk::data::read_idx_images(argv[2]);
  std::vector<float> x(images.pixels.size());
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(images.pixels[i]) * (1.0f / 255.0f);
  predict_all(net, x, argv[3]);
  if (argc == 5) write_floats(argv[4], x);  // (N, H, W): one channel, so NCHW already
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", argv[0], e.what());
    return 1;
  }
}
