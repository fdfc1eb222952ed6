// blnk::Model (include/blnk/model.h): a loaded network behind the public API.
// Inference takes "lanes" (an inference Workspace and a buffer for scaled bytes)
// from a pool under a mutex held only to take and give back, so concurrent calls
// run side by side; the batch is cut into chunks the threads take in order. The
// reading of images is reader::ModelClassifier's, which is re-entrant the same way.
#include "blnk/model.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <mutex>
#include <optional>
#include <type_traits>

#include "api/guard.h"
#include "base/file_io.h"
#include "data/image.h"
#include "data/pixels.h"
#include "engine/model_file.h"
#include "engine/network.h"
#include "reader/model_classifier.h"
#include "reader/verdict.h"

namespace blnk {
namespace {

constexpr int kMaxThreads = 256;  // as blnk's --threads
constexpr int kChunk = 256;       // images per task: large enough to amortise, small enough to balance
constexpr int kDigitClasses = 10;

const char* kind_name(ModelKind kind) {
  switch (kind) {
    case ModelKind::digit_reader: return "a digit reader";
    case ModelKind::digit_gate: return "a digit gate";
    case ModelKind::any: return "a model";
  }
  return "a model";
}

// The kind checks of the command line: a digit reader scores ten digits, a gate two
// answers (reader/verdict.h), both on 28x28x1 images.
void check_kind(const Network& net, ModelKind kind, const std::string& path) {
  if (kind == ModelKind::any) return;
  const int wanted = kind == ModelKind::digit_reader ? kDigitClasses : reader::kGateClasses;
  if (net.input_shape() == kMnistShape && net.num_classes() == wanted) return;
  const char* what = kind == ModelKind::digit_reader ? "10 outputs (one score per digit)"
                                                     : "2 outputs (one digit, not one digit)";
  std::string message = path + ": " + kind_name(kind) + " takes 28x28x1 images and has " + what + "; this model takes " +
                        net.input_shape().str() + " images and has " + std::to_string(net.num_classes()) + " outputs";
  if (kind == ModelKind::digit_reader && net.num_classes() == reader::kGateClasses)
    message += " (a digit gate? load it with ModelKind::digit_gate, or give it as LoadOptions::gate)";
  throw Exception(message);
}

std::string shape_text(const BatchShape& s) {
  return std::to_string(s.count) + "x" + std::to_string(s.height) + "x" + std::to_string(s.width) + "x" +
         std::to_string(s.channels);
}

Verdict public_verdict(reader::Verdict v) {
  switch (v) {
    case reader::Verdict::digit: return Verdict::digit;
    case reader::Verdict::uncertain: return Verdict::uncertain;
    case reader::Verdict::not_a_digit: return Verdict::not_a_digit;
    case reader::Verdict::unjudged: return Verdict::unjudged;
    case reader::Verdict::number: return Verdict::number;
  }
  return Verdict::not_a_digit;
}

Reading reading_of(reader::Classification&& c) {
  Reading r;
  r.digit = c.digit;
  r.probability = c.probability;
  r.probabilities = std::move(c.probabilities);
  r.number = std::move(c.number);
  for (reader::DigitReading& d : c.digits)
    r.digits.push_back({d.digit, d.probability, std::move(d.probabilities), public_verdict(d.verdict), d.box_x, d.box_y,
                        d.box_w, d.box_h});
  r.verdict = public_verdict(c.verdict);
  r.reason = std::move(c.reason);
  r.single_digit = c.single_digit;
  r.seen_png = std::move(c.seen_png);
  r.elapsed_ms = c.elapsed_ms;
  return r;
}

// Floats must be numbers in [0, 1]: anything else is a caller's mistake (0..255 in
// floats, say) that would give confident nonsense.
void check_units(const float* pixels, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const float v = pixels[i];
    if (!(v >= 0.0f && v <= 1.0f))
      throw Exception("pixels[" + std::to_string(i) + "] = " + std::to_string(v) +
                      ": float pixels must be from 0 (background) to 1 (ink); give bytes for 0..255");
  }
}

}  // namespace

struct Model::Impl {
  struct Lane {
    Lane(const Network& net, std::size_t image) : workspace(net, kChunk, Mode::inference), scaled(kChunk * image) {}
    Workspace workspace;
    std::vector<float> scaled;  // (kChunk, image): a chunk of byte pixels as floats
  };

  std::string path;
  ModelKind kind = ModelKind::digit_reader;
  std::optional<reader::ModelClassifier> classifier;  // digit readers: reads images, owns the network
  std::optional<Network> own_network;                 // other kinds
  std::vector<std::pair<std::string, std::string>> metadata;
  mutable std::mutex lanes_mutex;                        // guards the two below
  mutable std::vector<std::unique_ptr<Lane>> idle_lanes;  // capacity: every lane there is
  mutable std::size_t lanes_made = 0;

  const Network& network() const { return classifier ? classifier->network() : *own_network; }

  template <typename Pixel>
  void predict(const Pixel* pixels, const BatchShape& shape, float* probs, int threads) const;
};

// The lanes one call holds, given back to the pool on every path.
template <typename Lane>
struct HeldLanes {
  std::array<std::unique_ptr<Lane>, kMaxThreads> lanes;
  int count = 0;
  std::mutex& mutex;
  std::vector<std::unique_ptr<Lane>>& pool;
  HeldLanes(std::mutex& m, std::vector<std::unique_ptr<Lane>>& p) : mutex(m), pool(p) {}
  ~HeldLanes() {
    std::lock_guard lock(mutex);
    for (int i = 0; i < count; ++i) pool.push_back(std::move(lanes[i]));
  }
};

template <typename Pixel>
void Model::Impl::predict(const Pixel* pixels, const BatchShape& shape, float* probs, int threads) const {
  const Network& net = network();
  const Shape in = net.input_shape();
  if (threads < 1 || threads > kMaxThreads)
    api::throw_out_of_range("threads", "1 to " + std::to_string(kMaxThreads), std::to_string(threads));
  if (shape.height != in.h || shape.width != in.w || shape.channels != in.c)
    throw Exception("a batch of " + shape_text(shape) + " images (N x H x W x C): " + path + " takes " + in.str() +
                    " images");
  if (shape.count == 0) return;
  if (!pixels || !probs) throw Exception("predict_proba: null pixels or probabilities for a batch of " + shape_text(shape));
  const std::size_t image = in.size();
  if constexpr (std::is_same_v<Pixel, float>) check_units(pixels, shape.count * image);
  const std::size_t classes = std::size_t(net.num_classes());
  // Every thread gets work: a batch of 256 on 2 threads is 2 chunks of 128.
  const std::size_t chunk = std::clamp<std::size_t>((shape.count + std::size_t(threads) - 1) / std::size_t(threads), 1, kChunk);
  const std::size_t chunks = (shape.count + chunk - 1) / chunk;
  const int lanes_wanted = int(std::min<std::size_t>(std::size_t(threads), chunks));

  HeldLanes<Lane> held(lanes_mutex, idle_lanes);
  {
    std::lock_guard lock(lanes_mutex);
    while (held.count < lanes_wanted && !idle_lanes.empty()) {
      held.lanes[held.count++] = std::move(idle_lanes.back());
      idle_lanes.pop_back();
    }
  }
  // Everything that may throw (allocation) happens here, outside the parallel region;
  // the pool has room for every lane made, so giving lanes back never allocates.
  while (held.count < lanes_wanted) {
    auto lane = std::make_unique<Lane>(net, image);
    std::lock_guard lock(lanes_mutex);
    idle_lanes.reserve(lanes_made + 1);
    ++lanes_made;
    held.lanes[held.count++] = std::move(lane);
  }

  auto run_chunk = [&](Lane& lane, std::size_t c) {
    const std::size_t first = c * chunk;
    const int m = int(std::min(chunk, shape.count - first));
    const Pixel* src = pixels + first * image;
    const float* input;
    if constexpr (std::is_same_v<Pixel, float>) {
      input = src;
    } else {
      data::bytes_to_units(src, std::size_t(m) * image, lane.scaled.data());
      input = lane.scaled.data();
    }
    lane.workspace.predict(input, m, probs + first * classes);
  };
  if (lanes_wanted == 1) {  // one thread: no parallel region (latency)
    for (std::size_t c = 0; c < chunks; ++c) run_chunk(*held.lanes[0], c);
    return;
  }
#pragma omp parallel for num_threads(lanes_wanted) schedule(static)
  for (std::size_t c = 0; c < chunks; ++c) run_chunk(*held.lanes[omp_get_thread_num()], c);
}

Model::Model(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Model::Model(Model&&) noexcept = default;
Model& Model::operator=(Model&&) noexcept = default;
Model::~Model() = default;

Model Model::load(const std::string& path, const LoadOptions& options) {
  return api::guarded([&] {
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    impl->kind = options.kind;
    ModelFile file = read_model_file(path);
    impl->metadata = std::move(file.metadata);
    if (options.kind == ModelKind::digit_reader) {
      // The file is read once more by the classifier: a check first, so that a gate
      // given as a reader is named as one rather than for its input shape.
      check_kind(network_from(file, path), options.kind, path);
      impl->classifier.emplace(path, data::ImageLimits{}, options.gate);
    } else {
      if (!options.gate.empty())
        throw Exception(path + ": a gate is for reading images, which only a digit reader does (ModelKind::digit_reader)");
      impl->own_network.emplace(network_from(file, path));
      check_kind(*impl->own_network, options.kind, path);
    }
    return Model(std::move(impl));
  });
}

const Model::Impl& Model::impl() const {
  if (!impl_) throw Exception("this blnk::Model was moved from; load a model into it first");
  return *impl_;
}

const std::string& Model::path() const { return impl().path; }
ModelKind Model::kind() const { return impl().kind; }
int Model::input_height() const { return impl().network().input_shape().h; }
int Model::input_width() const { return impl().network().input_shape().w; }
int Model::input_channels() const { return impl().network().input_shape().c; }
int Model::classes() const { return impl().network().num_classes(); }
std::string Model::spec() const { return impl().network().spec(); }
std::string Model::summary() const { return impl().network().summary(); }

std::string Model::metadata(const std::string& key) const {
  for (const auto& [k, v] : impl().metadata)
    if (k == key) return v;
  return "";
}

void Model::predict_proba(const float* pixels, const BatchShape& shape, float* probs, int threads) const {
  api::guarded([&] { impl().predict(pixels, shape, probs, threads); });
}

void Model::predict_proba(const std::uint8_t* pixels, const BatchShape& shape, float* probs, int threads) const {
  api::guarded([&] { impl().predict(pixels, shape, probs, threads); });
}

std::vector<float> Model::predict_proba(const float* pixels, const BatchShape& shape, int threads) const {
  std::vector<float> probs(shape.count * std::size_t(classes()));
  predict_proba(pixels, shape, probs.data(), threads);
  return probs;
}

std::vector<float> Model::predict_proba(const std::uint8_t* pixels, const BatchShape& shape, int threads) const {
  std::vector<float> probs(shape.count * std::size_t(classes()));
  predict_proba(pixels, shape, probs.data(), threads);
  return probs;
}

namespace {

std::vector<int> argmax_rows(const std::vector<float>& probs, int classes) {
  std::vector<int> best(probs.size() / std::size_t(classes));
  for (std::size_t i = 0; i < best.size(); ++i) {
    const float* row = probs.data() + i * std::size_t(classes);
    best[i] = int(std::max_element(row, row + classes) - row);
  }
  return best;
}

}  // namespace

std::vector<int> Model::predict(const float* pixels, const BatchShape& shape, int threads) const {
  return argmax_rows(predict_proba(pixels, shape, threads), classes());
}

std::vector<int> Model::predict(const std::uint8_t* pixels, const BatchShape& shape, int threads) const {
  return argmax_rows(predict_proba(pixels, shape, threads), classes());
}

Reading Model::read_bytes(const std::uint8_t* bytes, std::size_t size, const std::string& name,
                          const ReadOptions& options) const {
  const Impl& self = impl();
  if (!self.classifier)
    throw Exception(self.path + ": reading images needs a digit reader; this model was loaded as " + kind_name(self.kind));
  return api::guarded([&] {
    reader::Classification result;
    reader::ClassifyFailure failure;
    if (self.classifier->classify_named({bytes, size}, name, reader::ClassifyOptions{options.seen_png, name}, result, failure))
      return reading_of(std::move(result));
    if (!failure.no_digit) throw Exception(failure.message);
    Reading nothing;  // a readable image with nothing drawn on it
    nothing.verdict = Verdict::not_a_digit;
    nothing.reason = failure.message;
    return nothing;
  });
}

Reading Model::read_file(const std::string& path, const ReadOptions& options) const {
  impl();
  const std::vector<std::uint8_t> bytes =
      api::guarded([&] { return read_file_bytes(path, data::kDefaultMaxImageFileBytes); });
  return read_bytes(bytes.data(), bytes.size(), path, options);
}

}  // namespace blnk
