// Fuzz target: the model file (engine/model_file.h). decode_model_file, then
// network_from and one inference when the file loads.
// The CRC32 at the end of a file stops a fuzzer at the first check, so when the
// first byte is odd the target rewrites the last four bytes of the rest with
// their correct CRC32 before decoding: the body's parser is then fuzzed too.
// A file that decodes must encode back to exactly the same bytes (the format
// is canonical).
#include <cmath>
#include <span>
#include <vector>

#include <zlib.h>

#include "base/error.h"
#include "engine/model_file.h"
#include "engine/network.h"
#include "layers/registry.h"
#include "fuzz_targets.h"

namespace blnk::fuzz {

int fuzz_model(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::vector<std::uint8_t> bytes(data + 1, data + size);
  if ((data[0] & 1) && bytes.size() >= 4) {
    const std::size_t body = bytes.size() - 4;
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), bytes.data(), uInt(body));
    for (int i = 0; i < 4; ++i) bytes[body + i] = std::uint8_t(crc >> (8 * i));
  }
  ModelFile file;
  try {
    file = decode_model_file(bytes, "fuzz.blnk");
  } catch (const Error&) {
    return 0;
  }
  BLNK_FUZZ_CHECK(encode_model_file(file) == bytes);
  try {
    Network net = network_from(file, "fuzz.blnk");
    const Shape in = net.input_shape();
    BLNK_FUZZ_CHECK(in == file.input);
    // One inference on a blank input, when the network is small enough to be quick.
    if (in.size() <= 4096 && net.param_count() <= (1u << 20) && net.forward_flops() <= 5e7) {
      Workspace ws(net, 1, Mode::inference);
      std::vector<float> x(in.size(), 0.5f), y(net.num_classes());
      ws.predict(x.data(), 1, y.data());
      for (float p : y) BLNK_FUZZ_CHECK(!(p < 0.0f) && !(p > 1.0f + 1e-5f));
    }
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace blnk::fuzz
