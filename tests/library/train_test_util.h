// What the library's training tests share: an IDX pair written into a temporary
// folder (image s a bar at a place given by its label, s % 10) with a TrainConfig for
// it, and the message train_model throws.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "blnk/blnk.h"

namespace blnk_library_test {

constexpr const char* kSmallArch = "conv4,pool,flatten,dense10";

inline void put_be32(std::ofstream& out, std::uint32_t v) {
  const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  out.write(b, 4);
}

struct IdxPair {
  int count;
  std::filesystem::path dir;
  std::string images, labels;
  explicit IdxPair(int images_count = 96) : count(images_count) {
    dir = std::filesystem::temp_directory_path() / ("blnk-library-train-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    images = (dir / "images.idx").string();
    labels = (dir / "labels.idx").string();
    std::ofstream img(images, std::ios::binary), lab(labels, std::ios::binary);
    put_be32(img, 0x803);
    put_be32(img, std::uint32_t(count));
    put_be32(img, 28);
    put_be32(img, 28);
    put_be32(lab, 0x801);
    put_be32(lab, std::uint32_t(count));
    for (int s = 0; s < count; ++s) {
      const int label = s % 10;
      for (int i = 0; i < 784; ++i) img.put(char((i % 28) / 2 == label + 2 ? 230 : 0));
      lab.put(char(label));
    }
  }
  ~IdxPair() { std::filesystem::remove_all(dir); }
  IdxPair(const IdxPair&) = delete;
  IdxPair& operator=(const IdxPair&) = delete;
  // Two epochs of batch 16 on two threads, tested on the training set, written to dir/out.
  blnk::TrainConfig config(const std::string& out) const {
    blnk::TrainConfig c;
    c.train_images = images;
    c.train_labels = labels;
    c.test_images = images;
    c.test_labels = labels;
    c.arch = kSmallArch;
    c.epochs = 2;
    c.batch_size = 16;
    c.threads = 2;
    c.out = (dir / out).string();
    return c;
  }
};

inline std::string message_of(const blnk::TrainConfig& c) {
  try {
    blnk::train_model(c);
  } catch (const blnk::Exception& e) {
    return e.what();
  }
  return "(no exception)";
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace blnk_library_test
