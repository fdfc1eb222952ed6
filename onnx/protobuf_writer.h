// The protobuf wire format, write side only, for the few field types an ONNX model
// uses: varints (int32/int64/enums), length-delimited fields (strings, bytes,
// nested messages, packed int64). A message is built into its
// own byte vector and then embedded in its parent with message().
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace blnk::onnx {

class ProtoWriter {
 public:
  void varint_field(int field, std::uint64_t value);      // int32, int64 (two's complement), enum
  void string_field(int field, std::string_view text);   // string or bytes
  void bytes_field(int field, std::span<const std::uint8_t> bytes);
  void message(int field, const ProtoWriter& nested);    // an embedded message
  void packed_int64s(int field, std::span<const std::int64_t> values);

  const std::vector<std::uint8_t>& bytes() const { return bytes_; }
  std::vector<std::uint8_t> take() { return std::move(bytes_); }

 private:
  void key(int field, int wire_type);
  void varint(std::uint64_t value);

  std::vector<std::uint8_t> bytes_;
};

}  // namespace blnk::onnx
