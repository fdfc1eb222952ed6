// The protobuf writer against the encoding spec's own examples.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "onnx/protobuf_writer.h"

using blnk::onnx::ProtoWriter;
using Bytes = std::vector<std::uint8_t>;

TEST_CASE("a varint field is its key then 7-bit groups, least significant first") {
  ProtoWriter w;
  w.varint_field(1, 150);  // the encoding guide's example: 08 96 01
  CHECK(w.bytes() == Bytes{0x08, 0x96, 0x01});
}

TEST_CASE("a negative int64 takes ten bytes, as two's complement") {
  ProtoWriter w;
  w.varint_field(2, std::uint64_t(std::int64_t(-1)));
  Bytes want{0x10};
  for (int i = 0; i < 9; ++i) want.push_back(0xff);
  want.push_back(0x01);
  CHECK(w.bytes() == want);
}

TEST_CASE("a string is length-delimited and a field number above 15 takes a two-byte key") {
  ProtoWriter w;
  w.string_field(2, "testing");  // the guide's example: 12 07 74 65 73 74 69 6e 67
  CHECK(w.bytes() == Bytes{0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'});
  ProtoWriter k;
  k.varint_field(20, 7);  // key 20 << 3 = 160: a0 01
  CHECK(k.bytes() == Bytes{0xa0, 0x01, 0x07});
}

TEST_CASE("an embedded message is its bytes, length-delimited") {
  ProtoWriter inner;
  inner.varint_field(1, 150);
  ProtoWriter outer;
  outer.message(3, inner);  // the guide's example: 1a 03 08 96 01
  CHECK(outer.bytes() == Bytes{0x1a, 0x03, 0x08, 0x96, 0x01});
}

TEST_CASE("packed int64s are one length-delimited field of varints") {
  ProtoWriter w;
  const std::int64_t values[] = {3, 270, 86942};  // the guide's example: 22 06 03 8e 02 9e a7 05
  w.packed_int64s(4, values);
  CHECK(w.bytes() == Bytes{0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05});
}
