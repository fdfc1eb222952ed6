// The model file: round trip, and every corruption gets a clear error.
#include <doctest/doctest.h>

#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "base/error.h"
#include "base/file_io.h"
#include "engine/model_file.h"
#include "layers/registry.h"

using namespace blnk;

namespace {

std::vector<std::uint8_t> default_model_bytes() {
  Network net(kDefaultSpec);
  net.init(5);
  ModelFile file = model_file_of(net);
  file.set_metadata("test.accuracy", "0.99");
  return encode_model_file(file);
}

// Rewrites the trailing CRC so a deliberately edited body passes the checksum
// and reaches the structural checks.
void fix_crc(std::vector<std::uint8_t>& bytes) {
  const std::uint32_t crc = std::uint32_t(crc32(0L, bytes.data(), uInt(bytes.size() - 4)));
  std::memcpy(bytes.data() + bytes.size() - 4, &crc, 4);
}

}  // namespace

TEST_CASE("a model file round-trips bit for bit") {
  Network net(kDefaultSpec);
  net.init(5);
  ModelFile file = model_file_of(net);
  file.set_metadata("test.accuracy", "0.99");
  const std::string path = (std::filesystem::temp_directory_path() / "blnk_roundtrip.blnk").string();
  write_model_file(path, file);
  const ModelFile back = read_model_file(path);
  CHECK(*back.find_metadata("test.accuracy") == "0.99");
  Network loaded = network_from(back, path);
  CHECK(loaded.spec() == net.spec());
  CHECK(std::equal(loaded.params().begin(), loaded.params().end(), net.params().begin()));
  std::filesystem::remove(path);
}

TEST_CASE("corrupt model files are refused with a clear error") {
  const auto good = default_model_bytes();
  SUBCASE("wrong magic") {
    auto b = good;
    b[0] = 'X';
    CHECK_THROWS_WITH_AS(decode_model_file(b, "m.blnk"), doctest::Contains("m.blnk: not a blnk model file"), Error);
  }
  SUBCASE("wrong version") {
    auto b = good;
    b[8] = 9;
    CHECK_THROWS_WITH_AS(decode_model_file(b, "m.blnk"), doctest::Contains("version 9 is not supported"), Error);
  }
  SUBCASE("a flipped bit") {
    auto b = good;
    b[b.size() / 2] ^= 0x10;
    CHECK_THROWS_WITH_AS(decode_model_file(b, "m.blnk"), doctest::Contains("checksum mismatch"), Error);
  }
  SUBCASE("truncated anywhere") {
    for (std::size_t cut : {std::size_t(0), std::size_t(5), std::size_t(13), good.size() / 3, good.size() - 1}) {
      std::vector<std::uint8_t> b(good.begin(), good.begin() + std::ptrdiff_t(cut));
      CHECK_THROWS_AS(decode_model_file(b, "m.blnk"), Error);
    }
  }
  SUBCASE("a tensor that promises more data than the file holds, checksum intact") {
    auto b = good;
    // The first tensor's first dimension: find the name "conv2d/kernel" and the dims after it.
    const std::string name = "conv2d/kernel";
    auto it = std::search(b.begin(), b.end(), name.begin(), name.end());
    REQUIRE(it != b.end());
    const std::size_t dims = std::size_t(it - b.begin()) + name.size() + 2;  // after type and rank
    const std::uint32_t huge = 1u << 30;
    std::memcpy(b.data() + dims, &huge, 4);
    fix_crc(b);
    CHECK_THROWS_WITH_AS(decode_model_file(b, "m.blnk"), doctest::Contains("promises more data"), Error);
  }
  SUBCASE("a spec that does not parse") {
    ModelFile f = decode_model_file(good, "m.blnk");
    f.spec = "conv32,nonsense";
    CHECK_THROWS_WITH_AS(network_from(f, "m.blnk"), doctest::Contains("m.blnk: model spec"), Error);
  }
  SUBCASE("a missing tensor and a wrong shape") {
    ModelFile f = decode_model_file(good, "m.blnk");
    f.tensors.pop_back();
    CHECK_THROWS_WITH_AS(network_from(f, "m.blnk"), doctest::Contains("'dense_1/bias' is missing"), Error);
    ModelFile g = decode_model_file(good, "m.blnk");
    g.tensors[0].shape = {3, 3, 1, 31};
    CHECK_THROWS_WITH_AS(network_from(g, "m.blnk"), doctest::Contains("has shape (3, 3, 1, 31)"), Error);
  }
}

TEST_CASE("an atomic write into an unwritable place fails clearly and keeps the old file") {
  const std::string dir = (std::filesystem::temp_directory_path() / "blnk_atomic").string();
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/model.blnk";
  const std::vector<std::uint8_t> old = {1, 2, 3};
  write_file_atomically(path, old);
  CHECK_THROWS_WITH_AS(write_file_atomically("/nonexistent-dir/model.blnk", old),
                       doctest::Contains("/nonexistent-dir/model.blnk"), Error);
  if (std::FILE* full = std::fopen("/dev/full", "wb")) {
    std::fclose(full);
    // /dev/full's directory cannot hold our temporary as root either way: the old file stays.
  }
  CHECK(read_file_bytes(path, 100) == old);
  std::filesystem::remove_all(dir);
}

TEST_CASE("a quantized model file is format version 2 with int8 kernels, a float one stays version 1, byte for byte") {
  Network trained("conv4,pool,flatten,dense3");
  trained.init(2);
  Network quantized("conv4:q=int8,pool,flatten,dense3:q=int8");
  const auto params = quantized.mutable_params();
  for (std::size_t i = 0; i < params.size(); ++i) params[i] = float(int(i % 255) - 127);  // whole numbers for the kernels
  const ModelFile file = model_file_of(quantized);
  CHECK(has_int8_tensors(file));
  CHECK(file.find_tensor("conv2d/kernel")->int8);
  CHECK_FALSE(file.find_tensor("conv2d/kernel_scale")->int8);
  const std::vector<std::uint8_t> bytes = encode_model_file(file);
  std::uint32_t version;
  std::memcpy(&version, bytes.data() + 8, 4);
  CHECK(version == 2);
  const std::vector<std::uint8_t> float_bytes = encode_model_file(model_file_of(trained));
  std::memcpy(&version, float_bytes.data() + 8, 4);
  CHECK(version == 1);
  CHECK(encode_model_file(decode_model_file(float_bytes, "f.blnk")) == float_bytes);

  // Read back: the same network, the same outputs bit for bit; a quarter of the float file's kernel bytes.
  const Network loaded = network_from(decode_model_file(bytes, "q.blnk"), "q.blnk");
  CHECK(loaded.spec() == quantized.spec());
  CHECK(std::vector<float>(loaded.params().begin(), loaded.params().end()) ==
        std::vector<float>(quantized.params().begin(), quantized.params().end()));
  CHECK(bytes.size() < float_bytes.size());

  SUBCASE("an int8 tensor in a version-1 file is an unknown element type") {
    std::vector<std::uint8_t> old = bytes;
    old[8] = 1;
    fix_crc(old);
    CHECK_THROWS_WITH_AS(decode_model_file(old, "q.blnk"), doctest::Contains("unknown element type"), Error);
  }
  SUBCASE("a kernel stored as float32 where the spec needs int8 is refused, naming it") {
    ModelFile as_float = file;
    for (auto& t : as_float.tensors) t.int8 = false;
    CHECK_THROWS_WITH_AS(network_from(as_float, "q.blnk"),
                         doctest::Contains("'conv2d/kernel' is stored as float32, the spec needs int8"), Error);
  }
  SUBCASE("an int8 tensor must hold whole numbers in [-127, 127]") {
    ModelFile bad = file;
    for (auto& t : bad.tensors)
      if (t.int8) t.data[0] = 0.5f;
    CHECK_THROWS_WITH_AS(encode_model_file(bad), doctest::Contains("not a whole number in [-127, 127]"), Error);
  }
  SUBCASE("a version-2 file without int8 tensors, or an int8 -128, is refused: one encoding per model") {
    ModelFile plain = model_file_of(trained);
    std::vector<std::uint8_t> v2 = encode_model_file(plain);
    v2[8] = 2;
    fix_crc(v2);
    CHECK_THROWS_WITH_AS(decode_model_file(v2, "q.blnk"), doctest::Contains("version 2 file without an int8 tensor"),
                         Error);
    const std::vector<std::uint8_t> first = encode_model_file(file);
    std::vector<std::uint8_t> minus128 = first;
    // The first int8 byte: conv2d/kernel's data, after its name, type, rank and 4 dims.
    const std::string name = "conv2d/kernel";
    const auto at = std::search(minus128.begin(), minus128.end(), name.begin(), name.end()) - minus128.begin();
    minus128[std::size_t(at) + name.size() + 2 + 16] = 0x80;
    fix_crc(minus128);
    CHECK_THROWS_WITH_AS(decode_model_file(minus128, "q.blnk"), doctest::Contains("holds -128"), Error);
  }
  SUBCASE("a later version is refused, naming both this blnk reads") {
    std::vector<std::uint8_t> later = bytes;
    later[8] = 3;
    CHECK_THROWS_WITH_AS(decode_model_file(later, "q.blnk"),
                         doctest::Contains("version 3 is not supported (this blnk reads versions 1 and 2)"), Error);
  }
}
