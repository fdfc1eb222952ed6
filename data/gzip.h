// Gzip through zlib, with bounded output: GzipReader inflates a gzip stream
// held in memory a piece at a time into buffers the caller sized, so a small
// compressed file can never make us allocate more than the caller decided.
// gzip_compress writes a gzip stream (for tests and tools that write IDX files).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace blnk::data {

// True when the bytes start with the gzip magic 1f 8b.
bool is_gzip(std::span<const std::uint8_t> bytes);

class GzipReader {
 public:
  // `name` is only used in error messages. The bytes must outlive the reader.
  GzipReader(std::span<const std::uint8_t> compressed, std::string name);
  ~GzipReader();
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  // Fills up to out.size() bytes and returns how many it wrote: fewer only when
  // the gzip stream has ended. Concatenated gzip members are read as one stream.
  // Throws blnk::Error for corrupt data, a stream cut short, or bytes after
  // the last member that are not another gzip member.
  std::size_t read(std::span<std::uint8_t> out);

  // True once the last member has ended and all input is consumed.
  bool at_end() const { return finished_; }

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::span<const std::uint8_t> input_;
  std::string name_;
  bool finished_ = false;
};

// The gzip encoding (header, deflate, trailer) of `bytes` at zlib's default level.
std::vector<std::uint8_t> gzip_compress(std::span<const std::uint8_t> bytes);

}  // namespace blnk::data
