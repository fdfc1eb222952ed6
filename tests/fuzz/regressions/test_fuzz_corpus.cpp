// Replays every file of every fuzz corpus (tests/fuzz/corpus/<target>/) through
// its target. The seeds and every input a fuzzer found crashing live there, so a
// fixed crash cannot come back unnoticed; under the ASan build they are checked
// by the sanitizers too.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "fuzz_targets.h"

namespace {

namespace fs = std::filesystem;
using Target = int (*)(const std::uint8_t*, std::size_t);

std::vector<std::uint8_t> read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs every file of corpus/<name>/ through `target`; returns how many.
int replay(const char* name, Target target) {
  const fs::path dir = fs::path(BLNK_FUZZ_CORPUS_DIR) / name;
  REQUIRE(fs::is_directory(dir));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    INFO("corpus file: " << file.string());
    const std::vector<std::uint8_t> bytes = read_all(file);
    CHECK(target(bytes.data(), bytes.size()) == 0);
  }
  return int(files.size());
}

}  // namespace

TEST_CASE("fuzz corpus: idx") { CHECK(replay("idx", blnk::fuzz::fuzz_idx) >= 4); }
TEST_CASE("fuzz corpus: model") { CHECK(replay("model", blnk::fuzz::fuzz_model) >= 3); }
TEST_CASE("fuzz corpus: http") { CHECK(replay("http", blnk::fuzz::fuzz_http) >= 5); }
TEST_CASE("fuzz corpus: image") { CHECK(replay("image", blnk::fuzz::fuzz_image) >= 5); }
TEST_CASE("fuzz corpus: keras") { CHECK(replay("keras", blnk::fuzz::fuzz_keras) >= 3); }
TEST_CASE("fuzz corpus: exif") { CHECK(replay("exif", blnk::fuzz::fuzz_exif) >= 3); }
TEST_CASE("fuzz corpus: decode") { CHECK(replay("decode", blnk::fuzz::fuzz_decode) >= 8); }
