// Who the client is when blnk runs behind a reverse proxy: the address in
// X-Forwarded-For, believed only when the TCP peer is a proxy the operator trusts
// (ServerConfig::trusted_proxies; none by default). Used for the access log only.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "serve/http.h"

namespace blnk::serve {

// An IPv4 or IPv6 address with a prefix length: "10.0.0.0/8", "::1", "fd00::/8".
// IPv4 is kept as IPv4-mapped IPv6 (::ffff:a.b.c.d), so a dual-stack peer matches it.
struct AddressRange {
  std::array<std::uint8_t, 16> bytes{};
  int prefix_bits = 128;
};

// Parses "ADDR" or "ADDR/BITS" (BITS 0..32 for IPv4, 0..128 for IPv6); false for
// anything else (names, ports, brackets, zone ids, stray spaces).
bool parse_address_range(std::string_view text, AddressRange& range);

// Whether `address` (an IP literal) falls in one of the ranges; false if it is no literal.
bool address_trusted(std::string_view address, const std::vector<AddressRange>& trusted);

// The address the access log names for a request from `peer`: the peer itself, unless
// the peer is trusted and the request has exactly one X-Forwarded-For header whose
// every element is an IP literal; then the right-most element that is not a trusted
// proxy (the last hop a trusted proxy saw), or the left-most when all are trusted.
// A malformed or repeated header is ignored: a client cannot forge its way past a
// proxy that appends to what it was sent, and cannot get garbage into the log.
std::string_view forwarded_client(std::string_view peer, const Request& request,
                                  const std::vector<AddressRange>& trusted);

}  // namespace blnk::serve
