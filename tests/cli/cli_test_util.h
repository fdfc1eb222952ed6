// Helpers for the end-to-end tests of the blnk binary: running it as a child
// process (posix_spawn, standard streams through files), a temporary directory,
// a small JSON reader for --json output, MNIST test digits (skipping when the
// data set is absent), "photos" made from them, and encoders stb_image_write
// lacks (16-bit PNG, PGM/PPM).
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include "png_test_util.h"
#include "test_data.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "data/idx.h"

extern char** environ;

namespace blnk::cli_test {

using blnk::testing::encode_png16;

// The blnk binary: $BLNK_BINARY, else the path CMake passed (tests/cli/CMakeLists.txt),
// else build/blnk in the source tree.
inline std::string blnk_binary() {
  if (const char* env = std::getenv("BLNK_BINARY"); env && *env) return env;
#ifdef BLNK_BINARY_PATH
  return BLNK_BINARY_PATH;
#else
  return std::string(BLNK_SOURCE_DIR) + "/build/blnk";
#endif
}

inline std::string bundled_model() { return std::string(BLNK_SOURCE_DIR) + "/models/mnist.blnk"; }

using blnk::testing::mnist_dir;

// A fresh directory under the system temp dir, removed at scope exit.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("blnk-cli-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::string dir(const std::string& name) const {
    std::filesystem::create_directories(path_ / name);
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

inline void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE_MESSAGE(f.good(), "cannot write " << path);
}

inline void write_text(const std::string& path, const std::string& text) {
  write_bytes(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

inline std::string read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

// --- Running the binary --------------------------------------------------------

struct RunResult {
  int status = -1;  // exit status; 128 + signal if killed
  std::string out, err;
};

// Runs the program argv_strings[0] (a path) with standard input from `stdin_path`
// (empty: /dev/null), standard output and error captured through files in `scratch`.
inline RunResult run_program(std::vector<std::string> argv_strings, const TempDir& scratch,
                             const std::string& stdin_path = "") {
  static std::atomic<int> counter{0};
  const int id = counter++;
  const std::string out_path = scratch.file("run" + std::to_string(id) + ".out");
  const std::string err_path = scratch.file("run" + std::to_string(id) + ".err");
  std::vector<char*> argv;
  for (std::string& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, stdin_path.empty() ? "/dev/null" : stdin_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE_MESSAGE(rc == 0, "cannot run " << argv[0] << " (build the blnk target first, or set BLNK_BINARY)");
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0) {
  }
  RunResult r;
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  r.out = read_text(out_path);
  r.err = read_text(err_path);
  return r;
}

// Runs `blnk args...` as run_program does.
inline RunResult run_blnk(const std::vector<std::string>& args, const TempDir& scratch,
                          const std::string& stdin_path = "") {
  std::vector<std::string> argv = {blnk_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_program(argv, scratch, stdin_path);
}

// A folder this process may not create files in: a read-only temporary folder, or
// for root (whom permissions do not stop) /sys/fs, which no one may write; "" if none.
inline std::string unwritable_folder(const TempDir& tmp) {
  if (::geteuid() != 0) {
    const std::string dir = tmp.dir("read-only");
    std::filesystem::permissions(dir, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    return dir;
  }
  std::error_code ec;
  return std::filesystem::is_directory("/sys/fs", ec) && ::access("/sys/fs", W_OK) == 0 ? "/sys/fs" : "";
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// --- A small JSON reader (enough for our own output; throws on malformed text) --

struct Json {
  enum class Kind { null, boolean, number, string, array, object } kind = Kind::null;
  bool boolean = false;
  double number = 0;
  std::string text;
  std::vector<Json> items;
  std::map<std::string, Json> members;

  bool has(const std::string& key) const { return kind == Kind::object && members.count(key) > 0; }
  const Json& operator[](const std::string& key) const {
    const auto it = members.find(key);
    if (kind != Kind::object || it == members.end()) throw std::runtime_error("no member '" + key + "'");
    return it->second;
  }
  const Json& operator[](std::size_t i) const { return items.at(i); }
};

class JsonReader {
 public:
  explicit JsonReader(const std::string& s) : s_(s) {}
  Json document() {
    Json v = value();
    skip_space();
    if (pos_ != s_.size()) fail("text after the value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("JSON: " + why + " at offset " + std::to_string(pos_) + " in: " + s_);
  }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  char peek() {
    skip_space();
    if (pos_ >= s_.size()) fail("unexpected end");
    return s_[pos_];
  }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  bool literal(const char* word) {
    const std::string w(word);
    if (s_.compare(pos_, w.size(), w) != 0) return false;
    pos_ += w.size();
    return true;
  }
  std::string string_value() {
    expect('"');
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) fail("unterminated string");
      const char c = s_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in a string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= s_.size()) fail("unterminated escape");
      const char e = s_[pos_++];
      switch (e) {
        case '"': case '\\': case '/': out += e; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          if (pos_ + 4 > s_.size()) fail("short \\u escape");
          const unsigned code = static_cast<unsigned>(std::stoul(s_.substr(pos_, 4), nullptr, 16));
          pos_ += 4;
          if (code < 0x80) out += static_cast<char>(code);
          else out += '?';  // our output only escapes control characters
          break;
        }
        default: fail("bad escape");
      }
    }
  }
  Json value() {
    Json v;
    const char c = peek();
    if (c == '{') {
      v.kind = Json::Kind::object;
      ++pos_;
      if (peek() == '}') return ++pos_, v;
      while (true) {
        std::string key = string_value();
        expect(':');
        v.members[key] = value();
        if (peek() == ',') { ++pos_; continue; }
        expect('}');
        return v;
      }
    }
    if (c == '[') {
      v.kind = Json::Kind::array;
      ++pos_;
      if (peek() == ']') return ++pos_, v;
      while (true) {
        v.items.push_back(value());
        if (peek() == ',') { ++pos_; continue; }
        expect(']');
        return v;
      }
    }
    if (c == '"') {
      v.kind = Json::Kind::string;
      v.text = string_value();
      return v;
    }
    if (literal("true")) { v.kind = Json::Kind::boolean; v.boolean = true; return v; }
    if (literal("false")) { v.kind = Json::Kind::boolean; return v; }
    if (literal("null")) return v;
    const std::size_t start = pos_;
    while (pos_ < s_.size() && std::string("+-0123456789.eE").find(s_[pos_]) != std::string::npos) ++pos_;
    if (pos_ == start) fail("unexpected character");
    v.kind = Json::Kind::number;
    std::size_t used = 0;
    v.number = std::stod(s_.substr(start, pos_ - start), &used);
    if (used != pos_ - start) fail("bad number");
    return v;
  }

  const std::string& s_;
  std::size_t pos_ = 0;
};

inline Json parse_json(const std::string& text) { return JsonReader(text).document(); }

// --- MNIST test digits ---------------------------------------------------------

struct MnistTest {
  data::IdxImages images;
  data::IdxLabels labels;
};

// The 10,000 MNIST test images, read once; nullopt (after a SKIPPED message) when absent.
inline const std::optional<MnistTest>& mnist_test() {
  static const std::optional<MnistTest> cached = []() -> std::optional<MnistTest> {
    const std::string dir = mnist_dir();
    for (const char* suffix : {".gz", ""}) {
      const std::string images = dir + "/t10k-images-idx3-ubyte" + suffix;
      const std::string labels = dir + "/t10k-labels-idx1-ubyte" + suffix;
      if (std::filesystem::exists(images) && std::filesystem::exists(labels))
        return MnistTest{data::read_idx_images(images), data::read_idx_labels(labels)};
    }
    return std::nullopt;
  }();
  return cached;
}

inline bool have_mnist() {
  if (mnist_test()) return true;
  blnk::testing::skip_test("no MNIST test files in " + mnist_dir() + " (set BLNK_DATA_DIR)");
  return false;
}

// MNIST digit `index` (0 = background) enlarged `scale` times (bilinear), placed
// at (left, top) in a width x height canvas, as coverage in [0,1].
inline std::vector<float> enlarged_digit(int index, int scale, int width, int height, int left, int top) {
  const std::uint8_t* src = mnist_test()->images.image(index);
  auto at = [&](int x, int y) {
    if (x < 0 || y < 0 || x >= 28 || y >= 28) return 0.0f;
    return src[y * 28 + x] / 255.0f;
  };
  std::vector<float> cov(static_cast<std::size_t>(width) * height, 0.0f);
  for (int y = 0; y < 28 * scale; ++y) {
    for (int x = 0; x < 28 * scale; ++x) {
      const int cx = left + x, cy = top + y;
      if (cx < 0 || cy < 0 || cx >= width || cy >= height) continue;
      const float sx = (x + 0.5f) / scale - 0.5f, sy = (y + 0.5f) / scale - 0.5f;
      const int x0 = static_cast<int>(std::floor(sx)), y0 = static_cast<int>(std::floor(sy));
      const float fx = sx - x0, fy = sy - y0;
      cov[static_cast<std::size_t>(cy) * width + cx] =
          (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
    }
  }
  return cov;
}

// Paints coverage as `channels`-channel 8-bit pixels: paper + (ink - paper) * coverage
// per colour (RGB); gray is the luma of the colour; alpha (if any) is 255.
struct Rgb {
  float r, g, b;
};
inline std::vector<std::uint8_t> paint_u8(const std::vector<float>& cov, int channels, Rgb paper, Rgb ink) {
  std::vector<std::uint8_t> out(cov.size() * channels);
  auto u8 = [](float v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0f, 255.0f))); };
  for (std::size_t i = 0; i < cov.size(); ++i) {
    const float c = cov[i];
    const float r = paper.r + (ink.r - paper.r) * c, g = paper.g + (ink.g - paper.g) * c, b = paper.b + (ink.b - paper.b) * c;
    std::uint8_t* p = out.data() + i * channels;
    if (channels <= 2) p[0] = u8(0.299f * r + 0.587f * g + 0.114f * b);
    else p[0] = u8(r), p[1] = u8(g), p[2] = u8(b);
    if (channels == 2 || channels == 4) p[channels - 1] = 255;
  }
  return out;
}

// --- Encoders stb_image_write lacks -------------------------------------------------

// Binary PGM (channels 1) or PPM (channels 3), maxval 255 or 65535 (samples big-endian).
inline std::vector<std::uint8_t> encode_pnm(const std::vector<std::uint16_t>& samples, int w, int h, int channels,
                                            int maxval) {
  const std::string header = std::string(channels == 1 ? "P5" : "P6") + "\n# blnk test\n" + std::to_string(w) + " " +
                             std::to_string(h) + "\n" + std::to_string(maxval) + "\n";
  std::vector<std::uint8_t> out(header.begin(), header.end());
  for (const std::uint16_t v : samples) {
    if (maxval > 255) out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
  }
  return out;
}

// --- Small training sets ------------------------------------------------------

inline constexpr int kSide = 28;
inline constexpr const char* kSmallSpec = "conv8,pool,flatten,dense32,dense10";

// A synthetic 10-class set: class c is a bright 8x8 square at cell (c % 5, c / 5)
// of a 5x2 grid, jittered by up to 2 pixels, over faint noise.
inline void make_synthetic(int count, std::uint64_t seed, std::vector<std::uint8_t>& pixels, std::vector<std::uint8_t>& labels) {
  pixels.assign(static_cast<std::size_t>(count) * kSide * kSide, 0);
  labels.resize(count);
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ull + 1;
  auto next = [&]() {  // xorshift64*
    state ^= state >> 12, state ^= state << 25, state ^= state >> 27;
    return (state * 0x2545F4914F6CDD1Dull) >> 33;
  };
  for (int i = 0; i < count; ++i) {
    const int c = i % 10;
    labels[i] = static_cast<std::uint8_t>(c);
    std::uint8_t* img = pixels.data() + static_cast<std::size_t>(i) * kSide * kSide;
    for (int p = 0; p < kSide * kSide; ++p) img[p] = static_cast<std::uint8_t>(next() % 30);
    const int x0 = 2 + (c % 5) * 5 + int(next() % 5) - 2, y0 = 4 + (c / 5) * 12 + int(next() % 5) - 2;
    for (int y = std::max(0, y0); y < std::min(kSide, y0 + 8); ++y)
      for (int x = std::max(0, x0); x < std::min(kSide, x0 + 8); ++x) img[y * kSide + x] = 255;
  }
}

// `count` synthetic images and labels written as IDX files in `tmp`.
struct SyntheticFiles {
  std::vector<std::uint8_t> pixels, labels;
  std::string images_path, labels_path;
};
inline SyntheticFiles write_synthetic(TempDir& tmp, int count, std::uint64_t seed) {
  SyntheticFiles f;
  make_synthetic(count, seed, f.pixels, f.labels);
  f.images_path = tmp.file("images.idx");
  f.labels_path = tmp.file("labels.idx");
  data::write_idx_images(f.images_path, count, kSide, kSide, f.pixels);
  data::write_idx_labels(f.labels_path, f.labels);
  return f;
}


}  // namespace blnk::cli_test
