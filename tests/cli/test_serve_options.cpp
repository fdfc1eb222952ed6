// blnk serve's options: every bad value is a usage error (exit 2) that names the
// option, the value and what is allowed, before anything is loaded or bound.
#include <doctest/doctest.h>

#include "cli_test_util.h"

using namespace blnk::cli_test;

namespace {

struct BadOption {
  std::vector<std::string> args;
  std::string message;  // what stderr must contain
};

}  // namespace

TEST_CASE("serve options: each bad value exits 2 naming the option, the value and the allowed range") {
  const TempDir scratch("serve-options");
  const std::vector<BadOption> cases = {
      {{"--max-body", "0"}, "--max-body 0: out of range; expected a size from 1 KiB to 64 MiB"},
      {{"--max-body", "1023"}, "--max-body 1023: out of range; expected a size from 1 KiB to 64 MiB"},
      {{"--max-body", "65M"}, "--max-body 65M: out of range; expected a size from 1 KiB to 64 MiB"},
      {{"--max-body", "-5"}, "--max-body -5: out of range; expected a size from 1 KiB to 64 MiB"},
      {{"--max-body", "ten"}, "--max-body 'ten': not a size; expected a size from 1 KiB to 64 MiB"},
      {{"--max-body", "10G"}, "--max-body '10G': not a size; expected a size from 1 KiB to 64 MiB"},
      {{"--max-body", "99999999999999999999"}, "--max-body 99999999999999999999: out of range"},
      {{"--port", "65536"}, "--port 65536: out of range; expected an integer from 0 to 65535"},
      {{"--port", "-1"}, "--port -1: out of range; expected an integer from 0 to 65535"},
      {{"--port", "80x"}, "--port '80x': not an integer; expected an integer from 0 to 65535"},
      {{"--port", ""}, "--port '': not an integer; expected an integer from 0 to 65535"},
      {{"--threads", "0"}, "--threads 0: out of range; expected an integer from 1 to 256"},
      {{"--threads", "257"}, "--threads 257: out of range; expected an integer from 1 to 256"},
      {{"--threads", "two"}, "--threads 'two': not an integer; expected an integer from 1 to 256"},
      {{"--max-connections", "0"}, "--max-connections 0: out of range; expected an integer from 1 to 1048576"},
      {{"--max-connections", "1.5"}, "--max-connections '1.5': not an integer; expected an integer from 1 to 1048576"},
      {{"--max-pixels", "0"}, "--max-pixels 0: out of range; expected an integer from 1 to 400000000"},
      {{"--max-pixels", "400000001"}, "--max-pixels 400000001: out of range; expected an integer from 1 to 400000000"},
      {{"--preprocess", "keras"}, "--preprocess 'keras': unknown; expected blnk or seed"},
      {{"--host", ""}, "--host '': empty; expected an IP address or a host name"},
      {{"--trusted-proxy", "proxy.local"}, "--trusted-proxy 'proxy.local': not an address; expected an IPv4 or IPv6 address"},
      {{"--trusted-proxy", "10.0.0.0/33"}, "--trusted-proxy '10.0.0.0/33': not an address"},
      {{"--trusted-proxy", "127.0.0.1,,::1"}, "--trusted-proxy '': not an address"},
      {{"--trusted-proxy", "127.0.0.1", "--trusted-proxy", "::1/200"}, "--trusted-proxy '::1/200': not an address"},
      {{"--cors", "example.org"}, "--cors 'example.org': not an origin; expected scheme://host[:port] with no path"},
      {{"--cors", "*", "--cors", "https://a.example/path"}, "--cors 'https://a.example/path': not an origin"},
  };
  for (const BadOption& c : cases) {
    std::vector<std::string> args = {"serve"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const RunResult r = run_blnk(args, scratch);
    std::string shown;
    for (const std::string& a : c.args) shown += a + " ";
    CAPTURE(shown);
    CAPTURE(r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, c.message));
    CHECK_FALSE(contains(r.err, "max_body_bytes"));  // no internal field names
    CHECK_FALSE(contains(r.err, " on http://"));     // refused before the server started
  }
}

TEST_CASE("serve options: a missing value and an unknown option are usage errors that name the option") {
  const TempDir scratch("serve-options");
  RunResult r = run_blnk({"serve", "--port"}, scratch);
  CHECK(r.status == 2);
  CHECK(contains(r.err, "port"));
  r = run_blnk({"serve", "--max-bodies", "5"}, scratch);
  CHECK(r.status == 2);
  CHECK(contains(r.err, "max-bodies"));
}

TEST_CASE("serve options: --help states each option's range and the reload signal") {
  const TempDir scratch("serve-options");
  const RunResult r = run_blnk({"serve", "--help"}, scratch);
  CHECK(r.status == 0);
  CHECK(contains(r.out, "1 KiB to 64 MiB"));
  CHECK(contains(r.out, "0 to 65535"));
  CHECK(contains(r.out, "trusted-proxy"));
  CHECK(contains(r.out, "SIGHUP"));
}
