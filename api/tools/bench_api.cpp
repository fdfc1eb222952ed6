// blnk_bench_api: inference through the public API (blnk::Model), measured as
// bench/e2e.cpp measures the engine, with the same JSON lines, so the two print side
// by side (docs/benchmarks.md):
//
//   blnk_bench_api latency MODEL T10K_IMAGES [RUNS]     single-image predict_proba, median and p99
//   blnk_bench_api batch MODEL T10K_IMAGES THREADS      batches of 256 over the test images, images/s
//
// T10K_IMAGES: MNIST's test images, an IDX file (plain or gzip). It uses nothing but
// the installed API and zlib, as a program of a user would.
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "blnk/blnk.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kWarmup = 200;  // as blnk_bench_e2e
constexpr int kBatch = 256;
constexpr int kPasses = 3;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// The pixels of an IDX images file scaled to [0, 1], and their count.
std::vector<float> read_idx_units(const std::string& path, int& count) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) throw blnk::Exception(path + ": cannot open");
  unsigned char header[16];
  if (gzread(f, header, sizeof header) != int(sizeof header) || header[2] != 8 || header[3] != 3) {
    gzclose(f);
    throw blnk::Exception(path + ": not an IDX images file");
  }
  auto be32 = [&](int at) { return int(header[at] << 24 | header[at + 1] << 16 | header[at + 2] << 8 | header[at + 3]); };
  count = be32(4);
  const std::size_t size = std::size_t(count) * std::size_t(be32(8)) * std::size_t(be32(12));
  std::vector<unsigned char> bytes(size);
  const bool whole = gzread(f, bytes.data(), unsigned(size)) == int(size);
  gzclose(f);
  if (!whole) throw blnk::Exception(path + ": shorter than its header says");
  std::vector<float> units(size);
  for (std::size_t i = 0; i < size; ++i) units[i] = bytes[i] / 255.0f;
  return units;
}

void latency(const blnk::Model& model, const std::vector<float>& x, int count, int runs) {
  const std::size_t image = std::size_t(model.input_height()) * model.input_width() * model.input_channels();
  std::vector<float> probs(std::size_t(model.classes()));
  const blnk::BatchShape one{1, model.input_height(), model.input_width(), model.input_channels()};
  for (int i = 0; i < kWarmup; ++i) model.predict_proba(x.data() + (i % count) * image, one, probs.data());
  std::vector<double> us(static_cast<std::size_t>(runs));
  for (int i = 0; i < runs; ++i) {
    const float* xi = x.data() + ((kWarmup + i) % count) * image;
    const auto t0 = Clock::now();
    model.predict_proba(xi, one, probs.data());
    us[std::size_t(i)] = seconds_since(t0) * 1e6;
  }
  std::sort(us.begin(), us.end());
  std::printf("{\"engine\":\"blnk-api\",\"mode\":\"latency\",\"threads\":1,\"runs\":%d,\"median_us\":%.1f,\"p99_us\":%.1f}\n",
              runs, us[std::size_t(runs / 2)], us[std::size_t(std::min(runs - 1, int(runs * 0.99)))]);
}

void batch(const blnk::Model& model, const std::vector<float>& x, int count, int threads) {
  const std::size_t image = std::size_t(model.input_height()) * model.input_width() * model.input_channels();
  std::vector<float> probs(std::size_t(count) * std::size_t(model.classes()));
  auto pass = [&](int images) {
    for (int b = 0; b < images; b += kBatch) {
      const blnk::BatchShape shape{std::size_t(std::min(kBatch, images - b)), model.input_height(), model.input_width(),
                                   model.input_channels()};
      model.predict_proba(x.data() + std::size_t(b) * image, shape, probs.data() + std::size_t(b) * model.classes(),
                          threads);
    }
  };
  pass(kBatch);  // warm-up: lanes planned, threads started
  std::vector<double> rates;
  for (int p = 0; p < kPasses; ++p) {
    const auto t0 = Clock::now();
    pass(count);
    rates.push_back(count / seconds_since(t0));
  }
  std::sort(rates.begin(), rates.end());
  std::printf("{\"engine\":\"blnk-api\",\"mode\":\"batch\",\"threads\":%d,\"batch\":%d,\"images\":%d,\"passes\":%d,"
              "\"images_per_s\":%.1f}\n",
              threads, kBatch, count, kPasses, rates[rates.size() / 2]);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (argc < 4 || (mode != "latency" && mode != "batch")) {
    std::fprintf(stderr, "usage: blnk_bench_api latency MODEL T10K_IMAGES [RUNS] | batch MODEL T10K_IMAGES THREADS\n");
    return 2;
  }
  try {
    const blnk::Model model = blnk::Model::load(argv[2]);
    int count = 0;
    const std::vector<float> x = read_idx_units(argv[3], count);
    if (mode == "latency")
      latency(model, x, count, argc > 4 ? std::max(1, std::atoi(argv[4])) : 2000);
    else
      batch(model, x, count, argc > 4 ? std::atoi(argv[4]) : 2);
  } catch (const blnk::Exception& e) {
    std::fprintf(stderr, "blnk_bench_api: %s\n", e.what());
    return 1;
  }
  return 0;
}
