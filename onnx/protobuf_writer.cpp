// Protobuf encoding: a key (field number << 3 | wire type) before every value,
// varints in 7-bit groups least significant first.
#include "onnx/protobuf_writer.h"

namespace blnk::onnx {
namespace {

// Wire types (protobuf encoding spec).
constexpr int kWireVarint = 0;
constexpr int kWireLengthDelimited = 2;

}  // namespace

void ProtoWriter::key(int field, int wire_type) { varint((std::uint64_t(field) << 3) | unsigned(wire_type)); }

void ProtoWriter::varint(std::uint64_t value) {
  while (value >= 0x80) {
    bytes_.push_back(std::uint8_t(value | 0x80));
    value >>= 7;
  }
  bytes_.push_back(std::uint8_t(value));
}

void ProtoWriter::varint_field(int field, std::uint64_t value) {
  key(field, kWireVarint);
  varint(value);
}

void ProtoWriter::string_field(int field, std::string_view text) {
  bytes_field(field, {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

void ProtoWriter::bytes_field(int field, std::span<const std::uint8_t> bytes) {
  key(field, kWireLengthDelimited);
  varint(bytes.size());
  bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
}

void ProtoWriter::message(int field, const ProtoWriter& nested) { bytes_field(field, nested.bytes_); }

void ProtoWriter::packed_int64s(int field, std::span<const std::int64_t> values) {
  ProtoWriter packed;
  for (std::int64_t v : values) packed.varint(std::uint64_t(v));
  message(field, packed);
}

}  // namespace blnk::onnx
