// Encoding and decoding of the model file (docs/model-format.md). The decoder
// checks the length and the CRC32 before it trusts anything, and checks every
// size against the bytes that remain before it allocates.
#include "engine/model_file.h"

#include <zlib.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

#include "base/error.h"
#include "base/file_io.h"
#include "layers/registry.h"

namespace blnk {
namespace {

static_assert(std::endian::native == std::endian::little, "blnk writes little-endian files");

constexpr std::uint64_t kMaxFileBytes = std::uint64_t(1) << 30;
constexpr std::uint32_t kMaxSpecBytes = 4096;
constexpr std::uint32_t kMaxNameBytes = 256;
constexpr std::uint32_t kMaxValueBytes = 1 << 16;
constexpr std::uint32_t kMaxEntries = 4096;
constexpr std::uint32_t kMaxRank = 8;
constexpr std::uint8_t kFloat32 = 1;
constexpr std::uint8_t kInt8 = 2;  // format version 2
constexpr std::size_t kTrailerBytes = 4;  // CRC32

class Writer {
 public:
  void bytes(const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    out_.insert(out_.end(), b, b + n);
  }
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u32(std::uint32_t v) { bytes(&v, 4); }
  void str(const std::string& s) {
    u32(std::uint32_t(s.size()));
    bytes(s.data(), s.size());
  }
  std::vector<std::uint8_t>& out() { return out_; }

 private:
  std::vector<std::uint8_t> out_;
};

class Reader {
 public:
  Reader(std::span<const std::uint8_t> bytes, const std::string& name) : b_(bytes), name_(name) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(name_ + ": corrupt model file: " + what + " (at byte " + std::to_string(pos_) + ")");
  }
  std::size_t remaining() const { return b_.size() - pos_; }
  void need(std::size_t n, const char* what) const {
    if (n > remaining()) fail(std::string("truncated ") + what);
  }
  std::uint8_t u8(const char* what) {
    need(1, what);
    return b_[pos_++];
  }
  std::uint32_t u32(const char* what) {
    need(4, what);
    std::uint32_t v;
    std::memcpy(&v, b_.data() + pos_, 4);
    pos_ += 4;
    return v;
  }
  std::string str(std::uint32_t max, const char* what) {
    const std::uint32_t n = u32(what);
    if (n > max) fail(std::string(what) + " of " + std::to_string(n) + " bytes (limit " + std::to_string(max) + ")");
    need(n, what);
    std::string s(reinterpret_cast<const char*>(b_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  void floats(float* out, std::size_t count) {
    std::memcpy(out, b_.data() + pos_, count * 4);
    pos_ += count * 4;
  }
  // -128 is refused: int8 kernels are symmetric, in [-127, 127] (so the format stays canonical).
  void int8s(float* out, std::size_t count, const std::string& tensor) {
    for (std::size_t i = 0; i < count; ++i) {
      const auto v = std::int8_t(b_[pos_ + i]);
      if (v == -128) fail("int8 tensor '" + tensor + "' holds -128 (int8 kernels are in [-127, 127])");
      out[i] = float(v);
    }
    pos_ += count;
  }

 private:
  std::span<const std::uint8_t> b_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

std::string shape_text(const std::vector<int>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + ")";
}

}  // namespace

const std::string* ModelFile::find_metadata(const std::string& key) const {
  for (const auto& [k, v] : metadata)
    if (k == key) return &v;
  return nullptr;
}

void ModelFile::set_metadata(const std::string& key, const std::string& value) {
  for (auto& [k, v] : metadata)
    if (k == key) {
      v = value;
      return;
    }
  metadata.emplace_back(key, value);
}

const StoredTensor* ModelFile::find_tensor(const std::string& name) const {
  for (const auto& t : tensors)
    if (t.name == name) return &t;
  return nullptr;
}

bool has_int8_tensors(const ModelFile& file) {
  return std::any_of(file.tensors.begin(), file.tensors.end(), [](const StoredTensor& t) { return t.int8; });
}

std::vector<std::uint8_t> encode_model_file(const ModelFile& file) {
  Writer w;
  w.bytes(kModelMagic, sizeof kModelMagic);
  w.u32(has_int8_tensors(file) ? kModelFormatVersion : kModelFormatVersionFloat);
  w.str(file.spec);
  w.u32(std::uint32_t(file.input.h));
  w.u32(std::uint32_t(file.input.w));
  w.u32(std::uint32_t(file.input.c));
  w.u32(std::uint32_t(file.metadata.size()));
  for (const auto& [k, v] : file.metadata) {
    w.str(k);
    w.str(v);
  }
  w.u32(std::uint32_t(file.tensors.size()));
  for (const auto& t : file.tensors) {
    w.str(t.name);
    w.u8(t.int8 ? kInt8 : kFloat32);
    w.u8(std::uint8_t(t.shape.size()));
    for (int d : t.shape) w.u32(std::uint32_t(d));
    if (!t.int8) {
      w.bytes(t.data.data(), t.data.size() * sizeof(float));
      continue;
    }
    for (float v : t.data) {
      if (!(v >= -127.0f && v <= 127.0f) || v != std::nearbyint(v))
        throw Error("model file: int8 tensor '" + t.name + "' holds " + std::to_string(v) +
                    ", not a whole number in [-127, 127]");
      w.u8(std::uint8_t(std::int8_t(v)));
    }
  }
  const std::uint32_t crc = std::uint32_t(crc32(0L, w.out().data(), uInt(w.out().size())));
  w.u32(crc);
  return std::move(w.out());
}

ModelFile decode_model_file(std::span<const std::uint8_t> bytes, const std::string& name) {
  if (bytes.size() < sizeof kModelMagic || std::memcmp(bytes.data(), kModelMagic, sizeof kModelMagic) != 0)
    throw Error(name + ": not a blnk model file (wrong magic; expected it to start with \"BLNKMODL\")");
  if (bytes.size() < sizeof kModelMagic + 4 + kTrailerBytes)
    throw Error(name + ": truncated model file (" + std::to_string(bytes.size()) + " bytes)");
  std::uint32_t version;
  std::memcpy(&version, bytes.data() + sizeof kModelMagic, 4);
  if (version != kModelFormatVersion && version != kModelFormatVersionFloat)
    throw Error(name + ": model file format version " + std::to_string(version) +
                " is not supported (this blnk reads versions " + std::to_string(kModelFormatVersionFloat) + " and " +
                std::to_string(kModelFormatVersion) + ")");
  const std::size_t body = bytes.size() - kTrailerBytes;
  std::uint32_t stored_crc;
  std::memcpy(&stored_crc, bytes.data() + body, 4);
  const std::uint32_t crc = std::uint32_t(crc32(0L, bytes.data(), uInt(body)));
  if (crc != stored_crc)
    throw Error(name + ": checksum mismatch: the model file is corrupted or truncated");

  Reader r(bytes.first(body), name);
  ModelFile file;
  r.need(sizeof kModelMagic + 4, "header");
  r.u32("magic");
  r.u32("magic");
  r.u32("version");
  file.spec = r.str(kMaxSpecBytes, "spec");
  file.input.h = int(r.u32("input shape"));
  file.input.w = int(r.u32("input shape"));
  file.input.c = int(r.u32("input shape"));
  const std::uint32_t meta_count = r.u32("metadata count");
  if (meta_count > kMaxEntries) r.fail("too many metadata entries");
  for (std::uint32_t i = 0; i < meta_count; ++i) {
    std::string k = r.str(kMaxNameBytes, "metadata key");
    std::string v = r.str(kMaxValueBytes, "metadata value");
    file.metadata.emplace_back(std::move(k), std::move(v));
  }
  const std::uint32_t tensor_count = r.u32("tensor count");
  if (tensor_count > kMaxEntries) r.fail("too many tensors");
  for (std::uint32_t i = 0; i < tensor_count; ++i) {
    StoredTensor t;
    t.name = r.str(kMaxNameBytes, "tensor name");
    const std::uint8_t type = r.u8("tensor type");
    t.int8 = type == kInt8 && version >= kModelFormatVersion;
    if (type != kFloat32 && !t.int8) r.fail("tensor '" + t.name + "' has an unknown element type");
    const std::size_t element_bytes = t.int8 ? 1 : 4;
    const std::uint8_t rank = r.u8("tensor rank");
    if (rank > kMaxRank) r.fail("tensor '" + t.name + "' has rank " + std::to_string(rank));
    std::uint64_t count = 1;
    for (std::uint8_t d = 0; d < rank; ++d) {
      const std::uint32_t dim = r.u32("tensor shape");
      if (dim == 0 || dim > (1u << 30)) r.fail("tensor '" + t.name + "' has dimension " + std::to_string(dim));
      t.shape.push_back(int(dim));
      count *= dim;
      if (count > r.remaining() / element_bytes + 1) break;  // caught just below, before any allocation
    }
    if (t.shape.size() != rank || count * element_bytes > r.remaining())
      r.fail("tensor '" + t.name + "' promises more data than the file holds");
    t.data.resize(count);
    if (t.int8) r.int8s(t.data.data(), count, t.name);
    else r.floats(t.data.data(), count);
    file.tensors.push_back(std::move(t));
  }
  if (r.remaining() != 0) r.fail(std::to_string(r.remaining()) + " unexpected bytes after the last tensor");
  // One file, one encoding: a file without int8 tensors is version 1.
  if (version == kModelFormatVersion && !has_int8_tensors(file))
    r.fail("a version 2 file without an int8 tensor (it would be version 1)");
  return file;
}

void write_model_file(const std::string& path, const ModelFile& file) {
  write_file_atomically(path, encode_model_file(file));
}

ModelFile read_model_file(const std::string& path) {
  return decode_model_file(read_file_bytes(path, kMaxFileBytes), path);
}

ModelFile model_file_of(const Network& net) {
  ModelFile file;
  file.spec = net.spec();
  file.input = net.input_shape();
  for (const TensorInfo& info : net.tensors()) {
    const auto first = net.params().begin() + std::ptrdiff_t(info.offset);
    file.tensors.push_back(
        {info.name, info.shape, std::vector<float>(first, first + std::ptrdiff_t(info.size)), info.int8});
  }
  for (const TensorInfo& info : net.state_tensors()) {  // after the parameters, by name as they are
    const auto first = net.state().begin() + std::ptrdiff_t(info.offset);
    file.tensors.push_back({info.name, info.shape, std::vector<float>(first, first + std::ptrdiff_t(info.size))});
  }
  return file;
}

namespace {

const StoredTensor& find_needed(const ModelFile& file, const TensorInfo& info, const std::string& name) {
  const StoredTensor* t = file.find_tensor(info.name);
  if (!t) throw Error(name + ": tensor '" + info.name + "' is missing");
  if (t->shape != info.shape)
    throw Error(name + ": tensor '" + info.name + "' has shape " + shape_text(t->shape) + ", the spec needs " +
                shape_text(info.shape));
  if (t->int8 != info.int8)
    throw Error(name + ": tensor '" + info.name + "' is stored as " + (t->int8 ? "int8" : "float32") +
                ", the spec needs " + (info.int8 ? "int8" : "float32"));
  return *t;
}

// The parameters, then the state (BatchNorm's moving statistics), each tensor by name.
void copy_params(const ModelFile& file, Network& net, const std::string& name) {
  for (const TensorInfo& info : net.tensors()) {
    const StoredTensor& t = find_needed(file, info, name);
    std::copy(t.data.begin(), t.data.end(), net.mutable_params().begin() + std::ptrdiff_t(info.offset));
  }
  for (const TensorInfo& info : net.state_tensors()) {
    const StoredTensor& t = find_needed(file, info, name);
    std::copy(t.data.begin(), t.data.end(), net.mutable_state().begin() + std::ptrdiff_t(info.offset));
  }
  for (std::size_t i = 0; i < net.layers().size(); ++i) {
    const std::string why = net.layers()[i]->invalid_state(net.state().data() + net.layer_state_offset(i));
    if (!why.empty()) throw Error(name + ": layer " + net.layer_names()[i] + ": " + why);
  }
}

}  // namespace

Network network_from(const ModelFile& file, const std::string& name) {
  // The spec alone could make the network allocate up to 2^28 parameters (1 GiB)
  // from a file of a few bytes (docs/hardening.md, F3): when it needs more than
  // kEagerParams, first check that the file holds that many floats. Layers hold
  // configuration only, so building them allocates nothing large; an input shape
  // out of range is left to Network's own check, and a small shortfall to the
  // per-tensor checks below, whose messages name the tensor.
  constexpr std::size_t kEagerParams = std::size_t(1) << 24;  // 64 MiB of float32
  std::size_t needed = 0, held = 0;
  for (const StoredTensor& t : file.tensors) held += t.data.size();
  const Shape in = file.input;
  if (in.h >= 1 && in.w >= 1 && in.c >= 1 && in.h <= (1 << 16) && in.w <= (1 << 16) && in.c <= (1 << 16)) {
    try {
      for (const auto& layer : build_layers(file.spec, in)) needed += layer->param_count() + layer->state_count();
    } catch (const Error& e) {
      throw Error(name + ": " + e.what());
    }
  }
  if (needed > kEagerParams && needed > held)
    throw Error(name + ": the spec needs " + std::to_string(needed) + " parameters, the file holds only " +
                std::to_string(held) + " floats");
  Network net = [&] {
    try {
      return Network(file.spec, file.input);
    } catch (const Error& e) {
      throw Error(name + ": " + e.what());
    }
  }();
  copy_params(file, net, name);  // built from the file's spec: no need to compare
  return net;
}

void load_params(const ModelFile& file, Network& net, const std::string& name) {
  if (file.spec != net.spec()) throw Error(name + ": the file holds " + file.spec + ", not " + net.spec());
  copy_params(file, net, name);
}

}  // namespace blnk
