// blnk_bench_e2e: blnk's end-to-end figures for the side-by-side with PyTorch
// (bench/compare.sh runs it beside bench/pytorch_reference.py, which prints the
// same JSON). One JSON line per measurement on stdout, with the process's peak
// resident memory so far:
//
//   --mode train     one epoch of MNIST through train::Trainer (batch 64, Adam), images/s;
//                    --precision bf16 (or bf16-emulated) trains in bfloat16 (issue 26)
//   --mode latency   single-image Workspace::predict, median and p99 over --runs runs
//   --mode batch     batch-256 inference over the 10k test images, images/s
//   (latency and batch run the seed's model freshly initialised, or --model FILE,
//   e.g. an int8 model of blnk quantize: bench/int8.sh runs both side by side)
//   --mode sgemm     the machine's ceiling: a --size^3 SGEMM by Eigen and by OpenBLAS
//
// Training GFLOP/s count an image's forward and backward as three forwards (the
// accounting of issue 6: 11.4 MFLOP forward, about 34 MFLOP per trained image).
#include <sys/resource.h>

#include <cxxopts.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <omp.h>
#include <string>
#include <vector>

#include "data/pixels.h"
#include "data/idx.h"
#include "base/error.h"
#include "engine/model_file.h"
#include "engine/network.h"
#include "layers/bf16_gemm.h"
#include "layers/registry.h"
#include "sgemm.h"
#include "train/trainer.h"

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kDefaultData = "/work/shared/data/mnist";
constexpr const char* kDefaultOpenBlas = "/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0";

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;  // Linux reports KiB
}

// CPU seconds (user + system) of the whole process so far: on a shared machine the
// images per CPU second of a one-thread run are the figure the competition moves least.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// Pixels v -> v/255, as the trainer and evaluate() feed them.
std::vector<float> to_floats(const blnk::data::IdxImages& images, int count) {
  std::vector<float> x(std::size_t(count) * images.image_size());
  blnk::data::bytes_to_units(images.pixels.data(), x.size(), x.data());
  return x;
}

int limited(int count, int limit) { return limit > 0 ? std::min(count, limit) : count; }

// The network measured: the model file, else the seed's model initialised from `seed`.
blnk::Network measured_network(const std::string& model, std::uint64_t seed) {
  if (!model.empty()) return blnk::network_from(blnk::read_model_file(model), model);
  blnk::Network net(blnk::kDefaultSpec);
  net.init(seed);
  return net;
}

// The "model" field of a JSON line: the file, or "seed" for the initialised seed model.
std::string model_label(const std::string& model) { return model.empty() ? "seed" : model; }

void run_train(const blnk::data::MnistFiles& files, int threads, int batch, int limit, std::uint64_t seed,
               blnk::Precision precision) {
  blnk::data::Dataset set = blnk::data::load_dataset(files.train_images, files.train_labels);
  const int count = limited(set.size(), limit);
  blnk::Network net(blnk::kDefaultSpec);
  net.init(seed);
  blnk::train::TrainConfig cfg;
  cfg.epochs = 1;
  cfg.batch_size = batch;
  cfg.threads = threads;
  cfg.seed = seed;  // Adam with Keras's settings (lr 1e-3, eps 1e-7) is the default
  cfg.precision = precision;
  blnk::train::LabelledImages view = blnk::train::view_of(set);
  view.count = count;
  blnk::train::Trainer trainer(net, cfg, view, nullptr);  // no test set: the epoch is training only
  const double cpu_before = cpu_seconds();
  trainer.run({});
  const double cpu = cpu_seconds() - cpu_before;
  const blnk::train::EpochStats& e = trainer.history().back();
  std::printf(
      "{\"engine\":\"blnk\",\"mode\":\"train\",\"precision\":\"%s\",\"threads\":%d,\"batch\":%d,\"images\":%d,\"seconds\":%.3f,"
      "\"images_per_s\":%.1f,\"images_per_cpu_s\":%.1f,\"gflops\":%.1f,\"loss\":%.4f,\"accuracy\":%.4f,\"peak_rss_mb\":%.1f}\n",
      blnk::precision_name(precision), threads, batch, count, count / e.images_per_second, e.images_per_second, count / cpu,
      e.images_per_second * 3.0 * net.forward_flops() * 1e-9, e.train_loss, e.train_accuracy, peak_rss_mb());
}

void run_latency(const blnk::data::MnistFiles& files, int runs, int warmup, std::uint64_t seed, const std::string& model) {
  const blnk::data::Dataset set = blnk::data::load_dataset(files.test_images, files.test_labels);
  const std::vector<float> x = to_floats(set.images, set.size());
  const std::size_t image = set.images.image_size();
  const blnk::Network net = measured_network(model, seed);
  blnk::Workspace ws(net, 1, blnk::Mode::inference);  // as the server plans it
  std::vector<float> probs(net.num_classes());
  std::vector<double> us(runs);
  for (int i = 0; i < warmup; ++i) ws.predict(x.data() + (i % set.size()) * image, 1, probs.data());
  for (int i = 0; i < runs; ++i) {
    const float* xi = x.data() + ((warmup + i) % set.size()) * image;
    const auto t0 = Clock::now();
    ws.predict(xi, 1, probs.data());
    us[i] = seconds_since(t0) * 1e6;
  }
  std::vector<double> sorted = us;
  std::sort(sorted.begin(), sorted.end());
  double sum = 0;
  for (double v : us) sum += v;
  std::printf(
      "{\"engine\":\"blnk\",\"model\":\"%s\",\"mode\":\"latency\",\"threads\":1,\"runs\":%d,\"median_us\":%.1f,"
      "\"p99_us\":%.1f,\"mean_us\":%.1f,\"min_us\":%.1f,\"gflops\":%.1f,\"peak_rss_mb\":%.1f}\n",
      model_label(model).c_str(), runs, sorted[runs / 2], sorted[std::min(runs - 1, int(runs * 0.99))], sum / runs, sorted[0],
      net.forward_flops() / (sorted[runs / 2] * 1e-6) * 1e-9, peak_rss_mb());
}

// Each batch is split into one contiguous slice per thread, each with its own
// Workspace (planned before timing), as the trainer splits its batches.
void run_batch(const blnk::data::MnistFiles& files, int threads, int batch, int passes, std::uint64_t seed,
               const std::string& model) {
  const blnk::data::Dataset set = blnk::data::load_dataset(files.test_images, files.test_labels);
  const int count = set.size();
  const std::vector<float> x = to_floats(set.images, count);
  const std::size_t image = set.images.image_size();
  const blnk::Network net = measured_network(model, seed);
  const int slice = (batch + threads - 1) / threads;
  const int classes = net.num_classes();
  std::vector<std::unique_ptr<blnk::Workspace>> ws;
  for (int t = 0; t < threads; ++t) ws.push_back(std::make_unique<blnk::Workspace>(net, slice, blnk::Mode::inference));
  std::vector<float> probs(std::size_t(count) * classes);
  auto pass = [&](int images) {
    for (int b = 0; b < images; b += batch) {
      const int n = std::min(batch, images - b);
#pragma omp parallel num_threads(threads)
      {
        const int t = omp_get_thread_num();
        const int lo = std::min(n, t * slice), hi = std::min(n, lo + slice);
        if (lo < hi)
          ws[t]->predict(x.data() + (b + lo) * image, hi - lo, probs.data() + std::size_t(b + lo) * classes);
      }
    }
  };
  pass(batch);  // warm-up: threads started, caches warm
  std::vector<double> rates;
  for (int p = 0; p < passes; ++p) {
    const auto t0 = Clock::now();
    pass(count);
    rates.push_back(count / seconds_since(t0));
  }
  std::sort(rates.begin(), rates.end());
  const double rate = rates[rates.size() / 2];
  std::printf(
      "{\"engine\":\"blnk\",\"model\":\"%s\",\"mode\":\"batch\",\"threads\":%d,\"batch\":%d,\"images\":%d,"
      "\"passes\":%d,\"images_per_s\":%.1f,\"gflops\":%.1f,\"peak_rss_mb\":%.1f}\n",
      model_label(model).c_str(), threads, batch, count, passes, rate, rate * net.forward_flops() * 1e-9, peak_rss_mb());
}

void print_sgemm(const char* impl, int size, int threads, const blnk::bench::SgemmResult& r) {
  if (!r.ok) {
    std::printf("{\"engine\":\"sgemm\",\"mode\":\"sgemm\",\"impl\":\"%s\",\"threads\":%d,\"error\":\"%s\"}\n", impl,
                threads, r.error.c_str());
    return;
  }
  std::printf(
      "{\"engine\":\"sgemm\",\"mode\":\"sgemm\",\"impl\":\"%s\",\"threads\":%d,\"size\":%d,\"gflops\":%.1f,"
      "\"gflops_median\":%.1f,\"peak_rss_mb\":%.1f}\n",
      impl, threads, size, r.best_gflops, r.median_gflops, peak_rss_mb());
}

int run(int argc, char** argv) {
  cxxopts::Options options(argv[0], "blnk's end-to-end benchmark figures, one JSON line each");
  options.add_options()
      ("mode", "train | latency | batch | sgemm", cxxopts::value<std::string>())
      ("data", "directory with the four MNIST files", cxxopts::value<std::string>()->default_value(kDefaultData))
      ("threads", "threads (latency always uses 1)", cxxopts::value<int>()->default_value("2"))
      ("batch", "batch size (train: 64, batch: 256)", cxxopts::value<int>())
      ("limit", "train: use only the first N training images (0: all)", cxxopts::value<int>()->default_value("0"))
      ("precision", "train: fp32, bf16, or bf16-emulated (bf16 without the AVX512_BF16 instructions)",
       cxxopts::value<std::string>()->default_value("fp32"))
      ("runs", "latency: timed runs", cxxopts::value<int>()->default_value("2000"))
      ("warmup", "latency: untimed runs first", cxxopts::value<int>()->default_value("200"))
      ("passes", "batch: timed passes over the test set (the median is reported)", cxxopts::value<int>()->default_value("3"))
      ("size", "sgemm: matrix side", cxxopts::value<int>()->default_value("2048"))
      ("reps", "sgemm: timed repetitions", cxxopts::value<int>()->default_value("10"))
      ("openblas", "sgemm: OpenBLAS library to load", cxxopts::value<std::string>()->default_value(kDefaultOpenBlas))
      ("model", "latency, batch: this model file instead of the freshly initialised seed model",
       cxxopts::value<std::string>()->default_value(""))
      ("seed", "initialisation and shuffling seed", cxxopts::value<std::uint64_t>()->default_value("1"))
      ("h,help", "this help");
  const auto args = options.parse(argc, argv);
  if (args.count("help") || !args.count("mode")) {
    std::printf("%s\n", options.help().c_str());
    return args.count("help") ? 0 : 2;
  }
  const std::string mode = args["mode"].as<std::string>();
  const int threads = args["threads"].as<int>();
  const std::uint64_t seed = args["seed"].as<std::uint64_t>();
  if (threads < 1 || threads > 256) throw blnk::Error("--threads must be from 1 to 256");
  if (mode == "sgemm") {
    const int size = args["size"].as<int>(), reps = args["reps"].as<int>();
    print_sgemm("eigen", size, threads, blnk::bench::sgemm_eigen(size, threads, reps));
    print_sgemm("openblas", size, threads,
                blnk::bench::sgemm_openblas(size, threads, reps, args["openblas"].as<std::string>()));
    return 0;
  }
  const blnk::data::MnistFiles files = blnk::data::find_mnist_files(args["data"].as<std::string>());
  if (mode == "train") {
    std::string precision = args["precision"].as<std::string>();
    if (precision == "bf16-emulated") {
      blnk::bf16_set_hardware_allowed(false);
      precision = "bf16";
    }
    run_train(files, threads, args.count("batch") ? args["batch"].as<int>() : 64, args["limit"].as<int>(), seed,
              blnk::parse_precision(precision, "--precision"));
  } else if (mode == "latency")
    run_latency(files, std::max(1, args["runs"].as<int>()), std::max(0, args["warmup"].as<int>()), seed,
                args["model"].as<std::string>());
  else if (mode == "batch")
    run_batch(files, threads, args.count("batch") ? args["batch"].as<int>() : 256,
              std::max(1, args["passes"].as<int>()), seed, args["model"].as<std::string>());
  else {
    std::fprintf(stderr, "unknown --mode '%s'\n", mode.c_str());
    return 2;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "blnk_bench_e2e: %s\n", e.what());
    return 1;
  }
}
