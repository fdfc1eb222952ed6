// The Google Benchmark suite: where the time of the default model goes.
//
//   layer/<fwd|fwd_infer|bwd>/b<batch>/<index>_<name>   one layer of kDefaultSpec
//   net/forward/b<batch>                               Workspace::forward, inference (1 thread)
//   layer/fwd_int8/b1/<index>_<name>, net/forward_int8/b1   the same model quantized (blnk quantize,
//                                                      calibrated on 64 of the inputs below): its int8 layers
//   net/train_step/b64/threads:<t>                     one step of train::Trainer itself (Trainer::step)
//   net/train_step_resnet/b64/threads:<t>              the same for issue 22's residual network (kResnetSpec)
//
// Counters: FLOPS (multiply-adds counted as two; a layer's backward is counted as
// twice its forward when it computes an input gradient, once when it does not,
// as for the first layer) and images/s; memory-bound layers also report bytes/s
// (input read + output written). Every buffer is planned before the timed loop,
// and the layer inputs are the real activations of the chain below them.
//
//   ./build/bench/blnk_bench_layers --benchmark_filter=layer/ --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/buffer.h"
#include "engine/network.h"
#include "engine/quantize.h"
#include "base/rng.h"
#include "layers/registry.h"
#include "train/trainer.h"

namespace {

using blnk::AlignedBuffer;
using blnk::LayerContext;
using blnk::Mode;
using blnk::Network;
using blnk::Workspace;

constexpr std::uint64_t kSeed = 1;
constexpr int kTrainBatch = 64;
constexpr int kMaxThreads = 2;
// The residual network of issue 22's speed floor (bench/resnet_compare.sh).
constexpr const char* kResnetSpec = "conv32,bn,res32,res64:s=2,res128:s=2,gap,dense10";

const Network& model() {
  static const Network net = [] {
    Network n(blnk::kDefaultSpec);
    n.init(kSeed);
    return n;
  }();
  return net;
}

float* floats(AlignedBuffer& b) { return reinterpret_cast<float*>(b.data()); }

// MNIST-like input: mostly background, some strokes, values in [0, 1].
void fill_input(float* x, std::size_t count, std::uint64_t key) {
  blnk::Rng rng(key);
  for (std::size_t i = 0; i < count; ++i) {
    const float u = rng.uniform(0.0f, 1.0f);
    x[i] = u < 0.8f ? 0.0f : rng.uniform(0.0f, 1.0f);
  }
}

// The default model's activations, caches and gradient buffers for one batch size,
// computed once by a training-mode forward pass layer by layer.
struct Chain {
  int n = 0;
  std::vector<AlignedBuffer> acts;    // acts[i]: layer i's input (n, in_i); acts[L]: the logits
  std::vector<AlignedBuffer> caches;  // caches[i]: cache_bytes(n)
  std::vector<AlignedBuffer> prepared;  // prepared[i]: prepared_bytes(), from the fixed parameters
  std::vector<AlignedBuffer> dys;     // dys[i]: a gradient of layer i's output (n, out_i)
  std::vector<AlignedBuffer> dxs;     // dxs[i]: layer i's input gradient (n, in_i)
  AlignedBuffer grads;                // (param_count)

  explicit Chain(int batch) : n(batch) {
    const Network& net = model();
    const auto& layers = net.layers();
    acts.emplace_back(sizeof(float) * n * net.input_shape().size());
    fill_input(floats(acts[0]), std::size_t(n) * net.input_shape().size(), 0x1a9e);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const std::size_t out = std::size_t(n) * layers[i]->output_shape().size();
      acts.emplace_back(sizeof(float) * out);
      caches.emplace_back(layers[i]->cache_bytes(n));
      prepared.emplace_back(layers[i]->prepared_bytes());
      layers[i]->prepare(model().params().data() + model().layer_param_offset(i), prepared[i].data());
      dys.emplace_back(sizeof(float) * out);
      dxs.emplace_back(sizeof(float) * n * layers[i]->input_shape().size());
      blnk::Rng rng(0xd7 + i);
      for (std::size_t k = 0; k < out; ++k) floats(dys[i])[k] = rng.uniform(-1e-3f, 1e-3f);
      layers[i]->forward(floats(acts[i]), floats(acts[i + 1]), n, context(i, Mode::training));
    }
    grads = AlignedBuffer(sizeof(float) * net.param_count());
  }

  LayerContext context(std::size_t i, Mode mode) {
    LayerContext ctx;
    ctx.mode = mode;
    ctx.params = model().params().data() + model().layer_param_offset(i);
    ctx.grads = floats(grads) + model().layer_param_offset(i);
    ctx.cache = caches[i].data();
    ctx.prepared = prepared[i].data();
    ctx.rng_key = blnk::key_of(kSeed, i);
    return ctx;
  }
};

Chain& chain(int n) {
  static std::map<int, std::unique_ptr<Chain>> chains;
  auto& c = chains[n];
  if (!c) c = std::make_unique<Chain>(n);
  return *c;
}

bool is_gemm_layer(const blnk::Layer& layer) { return layer.forward_flops() > 0; }

void set_counters(benchmark::State& state, const blnk::Layer& layer, int n, double flops_factor) {
  const double iterations = double(state.iterations());
  state.counters["images/s"] = benchmark::Counter(iterations * n, benchmark::Counter::kIsRate);
  if (is_gemm_layer(layer))
    state.counters["FLOPS"] = benchmark::Counter(iterations * n * layer.forward_flops() * flops_factor,
                                                 benchmark::Counter::kIsRate);
  else
    state.SetBytesProcessed(std::int64_t(iterations * n * sizeof(float) *
                                         (layer.input_shape().size() + layer.output_shape().size())));
}

void layer_forward(benchmark::State& state, std::size_t i, int n, Mode mode) {
  Chain& c = chain(n);
  const blnk::Layer& layer = *model().layers()[i];
  const LayerContext ctx = c.context(i, mode);
  const float* x = floats(c.acts[i]);
  float* y = floats(c.acts[i + 1]);
  for (auto _ : state) {
    layer.forward(x, y, n, ctx);
    benchmark::DoNotOptimize(y);
    benchmark::ClobberMemory();
  }
  set_counters(state, layer, n, 1.0);
}

// Backward may overwrite dy and the cache (a convolution's im2col matrix becomes its
// column gradient): later iterations compute on other, equally sized values, which
// changes nothing in the work done.
void layer_backward(benchmark::State& state, std::size_t i, int n) {
  Chain& c = chain(n);
  const blnk::Layer& layer = *model().layers()[i];
  // Restore the forward's cache, which another benchmark's backward may have reused.
  layer.forward(floats(c.acts[i]), floats(c.acts[i + 1]), n, c.context(i, Mode::training));
  const LayerContext ctx = c.context(i, Mode::training);
  const float* x = floats(c.acts[i]);
  const float* y = floats(c.acts[i + 1]);
  float* dy = floats(c.dys[i]);
  float* dx = i == 0 ? nullptr : floats(c.dxs[i]);  // the network gives the first layer none
  for (auto _ : state) {
    layer.backward(x, y, dy, dx, n, ctx);
    benchmark::DoNotOptimize(dx);
    benchmark::ClobberMemory();
  }
  set_counters(state, layer, n, i == 0 ? 1.0 : 2.0);
}

void net_forward(benchmark::State& state, int n) {
  const Network& net = model();
  Workspace ws(net, n);
  AlignedBuffer x(sizeof(float) * n * net.input_shape().size());
  fill_input(floats(x), std::size_t(n) * net.input_shape().size(), 0x5eed);
  for (auto _ : state) benchmark::DoNotOptimize(ws.forward(floats(x), n, Mode::inference));
  state.counters["images/s"] = benchmark::Counter(double(state.iterations()) * n, benchmark::Counter::kIsRate);
  state.counters["FLOPS"] =
      benchmark::Counter(double(state.iterations()) * n * net.forward_flops(), benchmark::Counter::kIsRate);
}

// One training step of train::Trainer itself: the batch split into one slice per
// thread, gradients summed in slice order, one Adam update. The network's
// parameters change every step, as in training.
void net_train_step(benchmark::State& state, const char* spec, int threads) {
  Network net(spec);
  net.init(kSeed);
  const int n = kTrainBatch;
  std::vector<std::uint8_t> pixels(std::size_t(n) * net.input_shape().size());
  std::vector<blnk::data::Label> labels(n);
  blnk::Rng rng(0xba7c);
  for (auto& p : pixels) p = std::uint8_t(rng.below(256));
  for (int i = 0; i < n; ++i) labels[i] = blnk::data::Label(i % 10);
  blnk::train::TrainConfig cfg;
  cfg.batch_size = n;
  cfg.threads = threads;
  blnk::train::Trainer trainer(net, cfg, {pixels.data(), labels.data(), n, net.input_shape()}, nullptr);
  std::vector<int> indices(n);
  for (int i = 0; i < n; ++i) indices[i] = i;
  for (auto _ : state) trainer.step(indices.data(), n);
  state.counters["images/s"] = benchmark::Counter(double(state.iterations()) * n, benchmark::Counter::kIsRate);
  // Forward, plus backward at twice the forward except the first layer's input gradient.
  const double backward = 2.0 * net.forward_flops() - net.layers()[0]->forward_flops();
  state.counters["FLOPS"] = benchmark::Counter(double(state.iterations()) * n * (net.forward_flops() + backward),
                                               benchmark::Counter::kIsRate);
}

// The default model in int8, calibrated on 64 inputs of fill_input.
const Network& quantized_model() {
  static const Network net = [] {
    constexpr int kCalibration = 64;
    std::vector<float> x(kCalibration * model().input_shape().size());
    fill_input(x.data(), x.size(), 0xca1b);
    return blnk::quantize_network(model(), x.data(), kCalibration);
  }();
  return net;
}

// One int8 layer's inference forward on one sample, its input the real activation
// of the quantized network below it.
void int8_layer_forward(benchmark::State& state, std::size_t i) {
  const Network& net = quantized_model();
  const blnk::Layer& layer = *net.layers()[i];
  Workspace ws(net, 1, Mode::inference);
  AlignedBuffer x(sizeof(float) * net.input_shape().size());
  fill_input(floats(x), net.input_shape().size(), 0x5eed);
  ws.forward(floats(x), 1, Mode::inference);
  AlignedBuffer in(sizeof(float) * layer.input_shape().size()), out(sizeof(float) * layer.output_shape().size());
  std::memcpy(in.data(), ws.layer_input(i), in.size());
  AlignedBuffer cache(layer.cache_bytes(1)), prepared(layer.prepared_bytes());
  layer.prepare(net.params().data() + net.layer_param_offset(i), prepared.data());
  LayerContext ctx;
  ctx.params = net.params().data() + net.layer_param_offset(i);
  ctx.cache = cache.data();
  ctx.prepared = prepared.data();
  for (auto _ : state) {
    layer.forward(floats(in), floats(out), 1, ctx);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_counters(state, layer, 1, 1.0);
}

void int8_net_forward(benchmark::State& state) {
  const Network& net = quantized_model();
  Workspace ws(net, 1, Mode::inference);
  AlignedBuffer x(sizeof(float) * net.input_shape().size());
  fill_input(floats(x), net.input_shape().size(), 0x5eed);
  for (auto _ : state) benchmark::DoNotOptimize(ws.forward(floats(x), 1, Mode::inference));
  state.counters["images/s"] = benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["FLOPS"] = benchmark::Counter(double(state.iterations()) * net.forward_flops(), benchmark::Counter::kIsRate);
}

std::string two_digits(std::size_t i) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%02zu", i);
  return buf;
}

void register_all() {
  const Network& net = model();
  for (int n : {kTrainBatch, 1}) {
    const std::string b = "/b" + std::to_string(n) + "/";
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
      const std::string name = two_digits(i) + "_" + net.layer_names()[i];
      benchmark::RegisterBenchmark(("layer/fwd" + b + name).c_str(), layer_forward, i, n, Mode::training);
      benchmark::RegisterBenchmark(("layer/fwd_infer" + b + name).c_str(), layer_forward, i, n,
                                   Mode::inference);
      benchmark::RegisterBenchmark(("layer/bwd" + b + name).c_str(), layer_backward, i, n);
    }
  }
  for (int n : {1, 4, 16, 64, 256})
    benchmark::RegisterBenchmark(("net/forward/b" + std::to_string(n)).c_str(), net_forward, n);
  const Network& int8 = quantized_model();
  for (std::size_t i = 0; i < int8.layers().size(); ++i)
    if (int8.layers()[i]->prepared_bytes() > 0 && !int8.layers()[i]->is_identity(Mode::inference))
      benchmark::RegisterBenchmark(("layer/fwd_int8/b1/" + two_digits(i) + "_" + int8.layer_names()[i]).c_str(),
                                   int8_layer_forward, i);
  benchmark::RegisterBenchmark("net/forward_int8/b1", int8_net_forward);
  for (int t = 1; t <= kMaxThreads; ++t) {
    const std::string threads = "/b64/threads:" + std::to_string(t);
    benchmark::RegisterBenchmark(("net/train_step" + threads).c_str(), net_train_step, blnk::kDefaultSpec, t)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("net/train_step_resnet" + threads).c_str(), net_train_step, kResnetSpec, t)
        ->UseRealTime();
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
