// The server's life over real sockets: timeouts (slowloris, stalled body, idle
// keep-alive), the connection limit, stop() and SIGTERM draining in-flight
// requests, clients that vanish mid-response, and no leaked descriptors.
#include <doctest/doctest.h>

#include <csignal>
#include <random>

#include "base/error.h"
#include "serve_test_util.h"

using namespace serve_test;

namespace {

blnk::serve::ServerConfig short_timeouts() {
  auto c = test_config();
  c.header_timeout = 300ms;
  c.body_timeout = 300ms;
  c.idle_timeout = 300ms;
  c.write_timeout = 300ms;
  return c;
}

std::string metrics_of(int port) {
  Client c(port);
  return c.request(get("/metrics")).body;
}

}  // namespace

TEST_CASE("lifecycle: slowloris (a byte at a time) is cut off by the header timeout") {
  TestServer server(short_timeouts());
  Client c(server.port());
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Slow: " + std::string(1000, 'a');
  bool closed = false;
  for (char ch : head) {
    if (!c.send(std::string_view(&ch, 1))) {
      closed = true;
      break;
    }
    pollfd p{c.fd(), POLLIN, 0};
    if (poll(&p, 1, 50) > 0) {
      closed = true;
      break;
    }
  }
  REQUIRE(closed);
  CHECK(c.wait_closed());
  CHECK(c.leftover().find("408") != std::string::npos);
  CHECK(metrics_of(server.port()).find("blnk_timeouts_total{phase=\"header\"} 1") != std::string::npos);
}

TEST_CASE("lifecycle: a connection that never sends is closed by the header timeout") {
  TestServer server(short_timeouts());
  Client c(server.port());
  CHECK(c.wait_closed());
  CHECK(c.leftover().empty());
}

TEST_CASE("lifecycle: a stalled upload gets 408 after the body timeout") {
  TestServer server(short_timeouts());
  Client c(server.port());
  c.send("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\nContent-Length: 100\r\n\r\n0123456789");
  HttpResponse r;
  REQUIRE(c.read_response(r));
  CHECK(r.status == 408);
  CHECK(c.wait_closed());
  CHECK(metrics_of(server.port()).find("blnk_timeouts_total{phase=\"body\"} 1") != std::string::npos);
}

TEST_CASE("lifecycle: an idle keep-alive connection is closed quietly") {
  TestServer server(short_timeouts());
  Client c(server.port());
  CHECK(c.request(get("/healthz")).status == 200);
  CHECK(c.wait_closed());
  CHECK(c.leftover().empty());
}

TEST_CASE("lifecycle: over max_connections a client is refused with 503, never a crash") {
  auto config = test_config();
  config.max_connections = 2;
  TestServer server(config);
  auto a = std::make_unique<Client>(server.port());
  auto b = std::make_unique<Client>(server.port());
  CHECK(a->request(get("/healthz")).status == 200);
  CHECK(b->request(get("/healthz")).status == 200);
  {
    Client c(server.port());
    c.send(get("/healthz"));
    HttpResponse r;
    if (c.read_response(r)) CHECK(r.status == 503);  // or closed before it could be read
    CHECK(c.wait_closed());
  }
  a.reset();
  // The slot is freed once the server notices the close; retry a few times.
  CHECK(eventually([&] {
    Client d(server.port());
    d.send(get("/healthz"));
    HttpResponse r;
    return d.read_response(r) && r.status == 200;
  }));
  CHECK(b->request(get("/healthz")).status == 200);
  CHECK(metrics_of(server.port()).find("blnk_rejected_connections_total 0") == std::string::npos);
}

TEST_CASE("lifecycle: stop() lets an in-flight request finish, then run() returns") {
  const FakeClassifier classifier;
  TestServer server(test_config(), classifier);
  Client busy(server.port());
  Client idle(server.port());
  CHECK(idle.request(get("/healthz")).status == 200);
  Client uploading(server.port());
  uploading.send("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Type: image/png\r\nContent-Length: 20\r\n"
                 "Expect: 100-continue\r\n\r\n");
  HttpResponse r;
  REQUIRE(uploading.read_response(r));  // the head was read: the request is in flight
  REQUIRE(r.status == 100);
  busy.send(post("/predict", "image/png", "BLOCK"));
  REQUIRE(classifier.wait_blocked(1));

  server.server().stop();
  uploading.send("0123456789abcdefghij");
  // The upload may share the blocked worker: release it before reading anything.
  classifier.release();
  REQUIRE(uploading.read_response(r));  // a request being received is finished
  CHECK(r.status == 200);
  CHECK(r.header("connection") == "close");
  CHECK(idle.wait_closed());  // idle keep-alive connections are closed
  REQUIRE(busy.read_response(r));
  CHECK(r.status == 200);
  CHECK(r.header("connection") == "close");
  CHECK(server.join_within(kEventually));
  Client late(server.port());
  CHECK_FALSE(late.connected());
}

TEST_CASE("lifecycle: SIGTERM stops run() and the previous handler comes back") {
  struct sigaction before {};
  sigaction(SIGTERM, nullptr, &before);
  auto config = test_config();
  config.handle_signals = true;
  TestServer server(config);
  Client c(server.port());
  CHECK(c.request(get("/healthz")).status == 200);
  // The handler is installed by run() in its thread: retry until it took effect.
  REQUIRE(eventually([&] {
    struct sigaction now {};
    sigaction(SIGTERM, nullptr, &now);
    return now.sa_handler != before.sa_handler;
  }));
  kill(getpid(), SIGTERM);
  CHECK(server.join_within(kEventually));
  struct sigaction after {};
  sigaction(SIGTERM, nullptr, &after);
  CHECK((after.sa_handler == before.sa_handler));
}

TEST_CASE("lifecycle: clients that reset mid-response do not hurt the server (no SIGPIPE)") {
  TestServer server;
  for (int round = 0; round < 20; ++round) {
    Client c(server.port());
    std::string burst;
    for (int i = 0; i < 40; ++i) burst += get("/");
    c.send(burst);
    linger hard{1, 0};
    setsockopt(c.fd(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);  // close sends a reset
  }
  Client c(server.port());
  CHECK(c.request(get("/healthz")).status == 200);
}

TEST_CASE("lifecycle: no descriptor is leaked across a server's life") {
  const int before = count_open_fds();
  {
    auto config = short_timeouts();
    TestServer server(config);
    for (int i = 0; i < 30; ++i) {
      Client c(server.port());
      switch (i % 5) {
        case 0: c.request(get("/healthz")); break;
        case 1: c.request("GARBAGE\r\n\r\n"); break;
        case 2: c.send("POST /predict HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\n\r\n"); break;
        case 3: c.send("GET /heal"); break;  // left unfinished
        default: c.request(post("/predict", "image/png", kPngMagic)); break;
      }
    }
  }
  CHECK(count_open_fds() == before);
}

TEST_CASE("lifecycle: bad configurations and busy ports throw blnk::Error") {
  const FakeClassifier classifier;
  auto config = test_config();
  config.threads = 0;
  CHECK_THROWS_AS(blnk::serve::Server(config, classifier), blnk::Error);
  config = test_config();
  config.host = "not a host name";
  CHECK_THROWS_AS(blnk::serve::Server(config, classifier), blnk::Error);
  blnk::serve::Server first(test_config(), classifier);
  config = test_config();
  config.port = first.bound_port();
  CHECK_THROWS_WITH_AS(blnk::serve::Server(config, classifier), doctest::Contains("in use"), blnk::Error);
  CHECK(first.url() == "http://127.0.0.1:" + std::to_string(first.bound_port()));
}

TEST_CASE("lifecycle: random and mutated requests over sockets never break the server") {
  auto config = short_timeouts();
  config.max_body_bytes = 4096;
  TestServer server(config);
  std::mt19937 rng(2024);
  const std::string seeds[] = {
      get("/healthz"),
      post("/predict", "image/png", kPngMagic + "abc"),
      post("/predict", "multipart/form-data; boundary=B", multipart_body("B", "upload", "a.png", kPngMagic)),
      "POST /predict HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
  };
  for (int i = 0; i < 150; ++i) {
    std::string s = seeds[rng() % 4];
    const int edits = 1 + static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; ++e) {
      const std::size_t pos = rng() % s.size();
      switch (rng() % 3) {
        case 0: s[pos] = static_cast<char>(rng() & 0xff); break;
        case 1: s.insert(pos, std::string(1 + rng() % 4, "\r\n: -0\x00"[rng() % 7])); break;
        default: s.erase(pos, 1 + rng() % 3); break;
      }
    }
    Client c(server.port(), 2000ms);
    c.send(s);
    shutdown(c.fd(), SHUT_WR);  // incomplete requests end here, not at a timeout
    HttpResponse r;
    if (c.read_response(r)) CHECK((r.status >= 100 && r.status < 600));
  }
  Client c(server.port());
  CHECK(c.request(get("/healthz")).status == 200);
}

TEST_CASE("lifecycle: a client that does not read its responses is cut off by the write timeout") {
  TestServer server(short_timeouts());
  Client reader(server.port());
  int rcvbuf = 4096;
  setsockopt(reader.fd(), SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  std::string burst;
  for (int i = 0; i < 300; ++i) burst += get("/");  // megabytes of pages, never read
  reader.send(burst);
  CHECK(eventually(
      [&] { return metrics_of(server.port()).find("blnk_timeouts_total{phase=\"write\"} 1") != std::string::npos; },
      20ms));
}

TEST_CASE("lifecycle: the housekeeping hook runs while serving, and a bad interval is refused") {
  std::atomic<int> calls{0};
  auto config = test_config();
  config.housekeeping = [&calls] { ++calls; };
  config.housekeeping_interval = std::chrono::milliseconds(20);
  {
    TestServer server(config);
    Client client(server.port());
    CHECK(client.request("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n").status == 200);
    CHECK(eventually([&] { return calls.load() >= 3; }));
  }
  config.housekeeping_interval = std::chrono::milliseconds(0);
  CHECK_THROWS_AS(TestServer{config}, blnk::Error);
}
