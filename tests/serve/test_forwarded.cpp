// X-Forwarded-For in the access log: believed only from a trusted proxy (none by
// default), the right-most untrusted address of the chain, strict validation.
#include <doctest/doctest.h>

#include "serve/forwarded.h"
#include "serve_test_util.h"

using namespace serve_test;
using blnk::serve::AddressRange;
using blnk::serve::forwarded_client;
using blnk::serve::parse_address_range;

namespace {

std::vector<AddressRange> ranges(std::initializer_list<const char*> texts) {
  std::vector<AddressRange> out;
  for (const char* t : texts) {
    AddressRange r;
    REQUIRE_MESSAGE(parse_address_range(t, r), t);
    out.push_back(r);
  }
  return out;
}

std::string client_of(std::string_view peer, std::initializer_list<std::string_view> forwarded,
                      const std::vector<AddressRange>& trusted) {
  blnk::serve::Request request;
  request.headers.push_back({"host", "t"});
  for (std::string_view value : forwarded) request.headers.push_back({"x-forwarded-for", value});
  return std::string(forwarded_client(peer, request, trusted));
}

// The address field (the second) of the access log's last line.
std::string logged_address(TestServer& server) {
  const auto log = server.log();
  if (log.empty()) return "";
  const std::string& line = log.back();
  const std::size_t a = line.find(' ') + 1;
  return line.substr(a, line.find(' ', a) - a);
}

}  // namespace

TEST_CASE("forwarded: address ranges parse IPv4, IPv6 and CIDR, and refuse everything else") {
  AddressRange r;
  for (const char* good : {"127.0.0.1", "10.0.0.0/8", "0.0.0.0/0", "::1", "fd00::/8", "::ffff:10.1.2.3", "2001:db8::/128"})
    CHECK_MESSAGE(parse_address_range(good, r), good);
  for (const char* bad : {"", "localhost", "10.0.0.300", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/-1",
                          "10.0.0.0/8x", " 10.0.0.1", "[::1]", "10.0.0.1:80", "fe80::1%eth0", "1.2.3"})
    CHECK_FALSE_MESSAGE(parse_address_range(bad, r), bad);
}

TEST_CASE("forwarded: the right-most untrusted address of the chain, only from a trusted peer") {
  const auto trusted = ranges({"127.0.0.1", "10.0.0.0/8"});
  CHECK(client_of("127.0.0.1", {"203.0.113.7"}, trusted) == "203.0.113.7");
  // A client may send its own X-Forwarded-For: the proxy appends the real address, which wins.
  CHECK(client_of("127.0.0.1", {"1.1.1.1, 203.0.113.7"}, trusted) == "203.0.113.7");
  // Trusted hops on the right are skipped; all trusted: the left-most.
  CHECK(client_of("127.0.0.1", {"203.0.113.7 , 10.1.2.3,10.0.0.9"}, trusted) == "203.0.113.7");
  CHECK(client_of("127.0.0.1", {"10.1.2.3, 10.0.0.9"}, trusted) == "10.1.2.3");
  CHECK(client_of("127.0.0.1", {"2001:db8::5"}, trusted) == "2001:db8::5");
  // A dual-stack listener sees IPv4 peers as IPv4-mapped IPv6: still the trusted 127.0.0.1.
  CHECK(client_of("::ffff:127.0.0.1", {"203.0.113.7"}, trusted) == "203.0.113.7");
  // An untrusted peer, or none trusted (the default): the header is not believed.
  CHECK(client_of("192.0.2.1", {"203.0.113.7"}, trusted) == "192.0.2.1");
  CHECK(client_of("127.0.0.1", {"203.0.113.7"}, {}) == "127.0.0.1");
}

TEST_CASE("forwarded: a malformed, empty or repeated X-Forwarded-For is ignored: the peer is logged") {
  const auto trusted = ranges({"127.0.0.1"});
  for (std::string_view bad : {"", "unknown", "203.0.113.7, evil", "203.0.113.7,", ",203.0.113.7", "1.2.3.4:5678",
                               "203.0.113.7 x", "<script>", "[2001:db8::1]", "203.0.113.7;rm"})
    CHECK_MESSAGE(client_of("127.0.0.1", {bad}, trusted) == "127.0.0.1", bad);
  CHECK(client_of("127.0.0.1", {"203.0.113.7", "198.51.100.2"}, trusted) == "127.0.0.1");
  CHECK(client_of("127.0.0.1", {}, trusted) == "127.0.0.1");
}

TEST_CASE("forwarded: the access log names the forwarded client only when the proxy is trusted") {
  const std::string xff = "X-Forwarded-For: 198.51.100.23\r\n";
  {
    TestServer server;  // default: no trusted proxy
    Client c(server.port());
    CHECK(c.request(get("/healthz", xff)).status == 200);
    CHECK(logged_address(server) == "127.0.0.1");
  }
  auto config = test_config();
  config.trusted_proxies = ranges({"127.0.0.0/8"});
  TestServer server(config);
  Client c(server.port());
  CHECK(c.request(get("/healthz", xff)).status == 200);
  CHECK(logged_address(server) == "198.51.100.23");
  CHECK(c.request(get("/healthz", "X-Forwarded-For: 198.51.100.23, not-an-ip\r\n")).status == 200);
  CHECK(logged_address(server) == "127.0.0.1");
}
