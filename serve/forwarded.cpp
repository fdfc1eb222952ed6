// X-Forwarded-For for the access log: trusted proxy ranges and the right-most
// untrusted address of the chain (serve/forwarded.h).
#include "serve/forwarded.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "serve/text.h"

namespace blnk::serve {

namespace {

constexpr std::size_t kMaxAddressChars = 45;  // the longest IPv6 literal (INET6_ADDRSTRLEN - 1)
constexpr std::string_view kForwardedFor = "x-forwarded-for";

// An IPv4 or IPv6 literal as 16 bytes (IPv4 mapped); false for anything else.
bool parse_address(std::string_view text, std::array<std::uint8_t, 16>& bytes, bool& is_v4) {
  if (text.empty() || text.size() > kMaxAddressChars) return false;
  char buf[kMaxAddressChars + 1];  // inet_pton wants a terminated string; no allocation
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  in_addr v4{};
  if (inet_pton(AF_INET, buf, &v4) == 1) {
    bytes.fill(0);
    bytes[10] = bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, &v4, 4);
    is_v4 = true;
    return true;
  }
  is_v4 = false;
  return inet_pton(AF_INET6, buf, bytes.data()) == 1;
}

bool in_range(const std::array<std::uint8_t, 16>& a, const AddressRange& r) {
  const int full = r.prefix_bits / 8;
  if (std::memcmp(a.data(), r.bytes.data(), static_cast<std::size_t>(full)) != 0) return false;
  const int rest = r.prefix_bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xff << (8 - rest));
  return (a[static_cast<std::size_t>(full)] & mask) == (r.bytes[static_cast<std::size_t>(full)] & mask);
}

bool trusted_address(const std::array<std::uint8_t, 16>& a, const std::vector<AddressRange>& trusted) {
  for (const AddressRange& r : trusted) {
    if (in_range(a, r)) return true;
  }
  return false;
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool parse_address_range(std::string_view text, AddressRange& range) {
  const std::size_t slash = text.find('/');
  bool is_v4 = false;
  if (!parse_address(text.substr(0, slash), range.bytes, is_v4)) return false;
  const int max_bits = is_v4 ? 32 : 128;
  int bits = max_bits;
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return false;
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
    if (r.ec != std::errc{} || r.ptr != digits.data() + digits.size() || bits < 0 || bits > max_bits) return false;
  }
  range.prefix_bits = is_v4 ? 96 + bits : bits;
  return true;
}

bool address_trusted(std::string_view address, const std::vector<AddressRange>& trusted) {
  std::array<std::uint8_t, 16> bytes{};
  bool is_v4 = false;
  return parse_address(address, bytes, is_v4) && trusted_address(bytes, trusted);
}

std::string_view forwarded_client(std::string_view peer, const Request& request,
                                  const std::vector<AddressRange>& trusted) {
  if (trusted.empty() || !address_trusted(peer, trusted)) return peer;
  std::string_view chain;
  int seen = 0;
  for (const Header& h : request.headers) {
    if (!iequals(h.name, kForwardedFor)) continue;
    chain = h.value;
    ++seen;
  }
  if (seen != 1) return peer;  // absent, or repeated (which copy would be the proxy's?)
  // Validate the whole chain first: one bad element and none of it is believed.
  std::string_view rest = chain;
  while (true) {
    const std::size_t comma = rest.find(',');
    std::array<std::uint8_t, 16> bytes{};
    bool is_v4 = false;
    if (!parse_address(trim_spaces(rest.substr(0, comma)), bytes, is_v4)) return peer;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // From the right: the first address no trusted proxy owns is the client.
  std::string_view element;
  rest = chain;
  while (true) {
    const std::size_t comma = rest.rfind(',');
    element = trim_spaces(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    if (!address_trusted(element, trusted) || comma == std::string_view::npos) return element;
    rest = rest.substr(0, comma);
  }
}

}  // namespace blnk::serve
