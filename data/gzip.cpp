// Gzip through zlib with bounded output (see gzip.h).
#include "data/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

#include "base/error.h"

namespace blnk::data {

namespace {

constexpr std::uint8_t kGzipMagic0 = 0x1f;
constexpr std::uint8_t kGzipMagic1 = 0x8b;
// windowBits 15 (32 KiB window, the deflate maximum) + 16: gzip wrapper only.
constexpr int kGzipWindowBits = 15 + 16;
// windowBits 15 + 32: detect the gzip (or zlib) wrapper from the header.
constexpr int kInflateWindowBits = 15 + 32;
constexpr int kDeflateMemLevel = 8;  // zlib's default
// zlib counts in uInt; feed it at most this much at a time.
constexpr std::size_t kMaxZlibChunk = UINT_MAX;

}  // namespace

bool is_gzip(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 2 && bytes[0] == kGzipMagic0 && bytes[1] == kGzipMagic1;
}

struct GzipReader::State {
  z_stream z{};
  std::size_t consumed = 0;  // input bytes handed to zlib and used
};

GzipReader::GzipReader(std::span<const std::uint8_t> compressed, std::string name)
    : state_(std::make_unique<State>()), input_(compressed), name_(std::move(name)) {
  if (!is_gzip(input_)) throw Error(name_ + ": not a gzip stream (no 1f 8b magic)");
  if (inflateInit2(&state_->z, kInflateWindowBits) != Z_OK) {
    throw Error(name_ + ": cannot start gzip decompression (zlib: out of memory)");
  }
}

GzipReader::~GzipReader() { inflateEnd(&state_->z); }

std::size_t GzipReader::read(std::span<std::uint8_t> out) {
  z_stream& z = state_->z;
  std::size_t produced = 0;
  while (produced < out.size() && !finished_) {
    if (z.avail_in == 0) {
      const std::size_t left = input_.size() - state_->consumed;
      if (left == 0) throw Error(name_ + ": truncated: the gzip stream ends before its trailer");
      z.next_in = const_cast<Bytef*>(input_.data() + state_->consumed);
      z.avail_in = static_cast<uInt>(std::min(left, kMaxZlibChunk));
    }
    const std::size_t want = std::min(out.size() - produced, kMaxZlibChunk);
    z.next_out = out.data() + produced;
    z.avail_out = static_cast<uInt>(want);
    const uInt in_before = z.avail_in;
    const int ret = inflate(&z, Z_NO_FLUSH);
    state_->consumed += in_before - z.avail_in;
    produced += want - z.avail_out;
    if (ret == Z_STREAM_END) {
      const std::size_t left = input_.size() - state_->consumed;
      if (left == 0) {
        finished_ = true;
      } else if (is_gzip(input_.subspan(state_->consumed))) {
        inflateReset(&z);  // another gzip member follows: keep reading
        z.avail_in = 0;
      } else {
        throw Error(name_ + ": " + std::to_string(left) +
                    " trailing bytes after the end of the gzip stream");
      }
    } else if (ret == Z_BUF_ERROR) {
      // No progress possible: only happens when the input ran out mid-stream.
      if (state_->consumed >= input_.size()) {
        throw Error(name_ + ": truncated: the gzip stream ends before its trailer");
      }
    } else if (ret != Z_OK) {
      const std::string why = z.msg ? z.msg : "error " + std::to_string(ret);
      throw Error(name_ + ": corrupt gzip data (zlib: " + why + ")");
    }
  }
  return produced;
}

std::vector<std::uint8_t> gzip_compress(std::span<const std::uint8_t> bytes) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, kDeflateMemLevel,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error("gzip: cannot start compression (zlib: out of memory)");
  }
  std::vector<std::uint8_t> out(deflateBound(&z, static_cast<uLong>(bytes.size())) + 64);
  std::size_t fed = 0;
  int ret = Z_OK;
  while (ret != Z_STREAM_END) {
    if (z.avail_in == 0 && fed < bytes.size()) {
      const std::size_t chunk = std::min(bytes.size() - fed, kMaxZlibChunk);
      z.next_in = const_cast<Bytef*>(bytes.data() + fed);
      z.avail_in = static_cast<uInt>(chunk);
      fed += chunk;
    }
    if (z.total_out >= out.size()) out.resize(out.size() * 2);
    const std::size_t room = std::min(out.size() - z.total_out, kMaxZlibChunk);
    z.next_out = out.data() + z.total_out;
    z.avail_out = static_cast<uInt>(room);
    ret = deflate(&z, fed == bytes.size() ? Z_FINISH : Z_NO_FLUSH);
    if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR) {
      deflateEnd(&z);
      throw Error("gzip: compression failed (zlib error " + std::to_string(ret) + ")");
    }
  }
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace blnk::data
