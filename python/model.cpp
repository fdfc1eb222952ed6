// blnk.Model's inference: the batch is cut into chunks that the threads take in
// order (OpenMP static schedule), each thread with its own inference Workspace,
// planned once per Model. Float32 arrays are read where they lie; uint8 arrays are
// scaled chunk by chunk into a per-thread buffer.
#include "python/model.h"

#include <omp.h>

#include <algorithm>
#include <type_traits>

#include "data/pixels.h"
#include "base/error.h"

namespace blnk::python {
namespace {

constexpr int kChunk = 256;  // images per task: large enough to amortise, small enough to balance

}  // namespace

Model::Model(const std::string& path, int threads, const std::string& gate_path)
    : path_(path), file_(read_model_file(path)), threads_(threads) {
  if (threads < 1) throw Error("threads must be at least 1");
  if (reader::class_model_of(file_, path))
    classes_ = std::make_unique<reader::ClassModelClassifier>(path);
  else
    digits_ = std::make_unique<reader::ModelClassifier>(path, data::ImageLimits{}, gate_path);
}

const std::vector<std::string>& Model::classes() const {
  static const std::vector<std::string> none;
  return classes_ ? classes_->info().classes : none;
}

void Model::predict_proba(const float* x, int n, float* probs) const { run(x, n, probs); }
void Model::predict_proba(const std::uint8_t* x, int n, float* probs) const { run(x, n, probs); }

template <typename Pixel>
void Model::run(const Pixel* x, int n, float* probs) const {
  const Network& net = network();
  const std::size_t image = net.input_shape().size();
  const int classes = net.num_classes();
  const int chunks = (n + kChunk - 1) / kChunk;
  const int threads = std::max(1, std::min(threads_, chunks));
  std::lock_guard lock(mutex_);
  // Everything that may throw (allocation) happens here, outside the parallel region.
  while (int(workspaces_.size()) < threads) {
    workspaces_.push_back(std::make_unique<Workspace>(net, kChunk, Mode::inference));
    scaled_.emplace_back();
  }
  // uint8 pixels need their scaling buffers, even when float pixels came first (a
  // uint8 call after a float one wrote into an empty buffer).
  if constexpr (!std::is_same_v<Pixel, float>) {
    for (int t = 0; t < threads; ++t) scaled_[t].resize(kChunk * image);
  }
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int c = 0; c < chunks; ++c) {
    const int t = omp_get_thread_num();
    const int first = c * kChunk;
    const int m = std::min(kChunk, n - first);
    const Pixel* src = x + std::size_t(first) * image;
    const float* input;
    if constexpr (std::is_same_v<Pixel, float>) {
      input = src;
    } else {
      float* dst = scaled_[t].data();
      data::bytes_to_units(src, std::size_t(m) * image, dst);
      input = dst;
    }
    workspaces_[t]->predict(input, m, probs + std::size_t(first) * classes);
  }
}

reader::Classification Model::read(std::span<const std::uint8_t> image_bytes, const std::string& name) const {
  reader::Classification result;
  reader::ClassifyFailure failure;
  const bool read = digits_ ? digits_->classify_named(image_bytes, name, reader::ClassifyOptions{}, result, failure)
                            : classes_->classify(image_bytes, reader::ClassifyOptions{false, name}, result, failure);
  if (!read)
    throw Error(failure.message);
  return result;
}

}  // namespace blnk::python
