// The blnk model file: a versioned, self-describing, checksummed binary format
// (docs/model-format.md). A model file holds the spec, the input shape, metadata
// (key/value text) and named float32 tensors; a checkpoint is the same format
// with the optimizer's state as extra tensors ("optimizer/m", ...) and the
// training position in the metadata.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/network.h"

namespace blnk {

inline constexpr char kModelMagic[8] = {'B', 'L', 'N', 'K', 'M', 'O', 'D', 'L'};
// Version 2 adds int8 tensors (a quantized model, layers/int8_conv.h); a file without
// one is written as version 1, byte for byte as before, so older blnk reads it, and
// refuses a quantized model by its version.
inline constexpr std::uint32_t kModelFormatVersion = 2;
inline constexpr std::uint32_t kModelFormatVersionFloat = 1;

struct StoredTensor {
  std::string name;
  std::vector<int> shape;
  std::vector<float> data;  // an int8 tensor's whole numbers in [-127, 127], as floats
  bool int8 = false;
};

struct ModelFile {
  std::string spec;
  Shape input = kMnistShape;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<StoredTensor> tensors;

  const std::string* find_metadata(const std::string& key) const;
  void set_metadata(const std::string& key, const std::string& value);
  const StoredTensor* find_tensor(const std::string& name) const;
};

std::vector<std::uint8_t> encode_model_file(const ModelFile& file);
// `name` (usually the path) starts every error message.
ModelFile decode_model_file(std::span<const std::uint8_t> bytes, const std::string& name);

void write_model_file(const std::string& path, const ModelFile& file);  // atomic
ModelFile read_model_file(const std::string& path);

// True when a tensor is stored as int8 (a quantized model: format version 2).
bool has_int8_tensors(const ModelFile& file);

// A network's spec, input shape and every parameter tensor.
ModelFile model_file_of(const Network& net);
// Builds the network the file describes and loads its parameters; every tensor
// the network needs must be present with the right shape. `name` is for errors.
Network network_from(const ModelFile& file, const std::string& name);
// Loads the file's parameter tensors into `net`, whose spec must be the file's.
void load_params(const ModelFile& file, Network& net, const std::string& name);

}  // namespace blnk
