// Graceful reload over real sockets: a swapped model answers new requests while a
// request begun on the old one ends on it; the old one is freed after its last
// request; a model that fails to load leaves the current one serving, says why and
// counts the failure in /metrics; SIGHUP asks for the reload.
#include <doctest/doctest.h>

#include <csignal>

#include "base/error.h"
#include "serve_test_util.h"

using namespace serve_test;

namespace {

// A FakeClassifier with a name of its own, so a test sees which model answered.
class NamedFake : public FakeClassifier {
 public:
  explicit NamedFake(std::string name) : name_(std::move(name)) {}
  std::string model_name() const override { return name_; }

 private:
  std::string name_;
};

std::string predict_body(int port) {
  Client c(port);
  const HttpResponse r = c.request(post("/predict", "image/png", kPngMagic + "digit"));
  return r.status == 200 ? r.body : "status " + std::to_string(r.status);
}

std::string metrics_of(int port) {
  Client c(port);
  return c.request(get("/metrics")).body;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("reload: a new model answers new requests, a request begun on the old one ends on it, then the old is freed") {
  auto old_model = std::make_shared<NamedFake>("old.blnk");
  const NamedFake& old_ref = *old_model;
  const std::weak_ptr<const NamedFake> old_alive = old_model;
  TestServer server(test_config(), std::shared_ptr<const blnk::reader::Classifier>(std::move(old_model)));
  CHECK(contains(predict_body(server.port()), "\"model\":\"old.blnk\""));

  Client busy(server.port());
  busy.send(post("/predict", "image/png", "BLOCK"));
  REQUIRE(old_ref.wait_blocked(1));  // a request is inside the old model
  server.server().replace_model(std::make_shared<NamedFake>("new.blnk"));

  // The other worker answers with the new model at once, on every route that names it.
  CHECK(contains(predict_body(server.port()), "\"model\":\"new.blnk\""));
  CHECK(contains(metrics_of(server.port()), "blnk_model_info{model=\"new.blnk\"} 1"));
  Client page(server.port());
  CHECK(contains(page.request(get("/")).body, "new.blnk"));
  CHECK_FALSE(old_alive.expired());  // still in use by the blocked request

  old_ref.release();
  HttpResponse r;
  REQUIRE(busy.read_response(r));
  CHECK(r.status == 200);
  CHECK(contains(r.body, "\"model\":\"old.blnk\""));  // begun on the old model, ended on it
  CHECK(eventually([&] { return old_alive.expired(); }));
}

TEST_CASE("reload: a model that fails to load leaves the current one serving, says why and counts it") {
  std::atomic<bool> broken{false};
  auto config = test_config();
  config.load_model = [&broken]() -> std::shared_ptr<const blnk::reader::Classifier> {
    if (broken.load()) throw blnk::Error("next.blnk: not a blnk model file (wrong magic)");
    return std::make_shared<NamedFake>("next.blnk");
  };
  TestServer server(config, std::make_shared<NamedFake>("first.blnk"));
  server.server().reload();
  CHECK(eventually([&] { return contains(predict_body(server.port()), "\"model\":\"next.blnk\""); }));
  CHECK(eventually([&] { return contains(metrics_of(server.port()), "blnk_model_reloads_total{result=\"ok\"} 1"); }));

  broken.store(true);
  server.server().reload();
  CHECK(eventually(
      [&] { return contains(metrics_of(server.port()), "blnk_model_reloads_total{result=\"failed\"} 1"); }));
  CHECK(contains(predict_body(server.port()), "\"model\":\"next.blnk\""));
  // The server counts the failure, then logs it: wait for the line (ASan's pace showed the gap).
  CHECK(eventually([&] {
    for (const std::string& line : server.error_log())
      if (contains(line, "still serving next.blnk") && contains(line, "wrong magic")) return true;
    return false;
  }));
}

TEST_CASE("reload: SIGHUP reloads while run() serves, and the previous SIGHUP handler comes back after") {
  static std::atomic<int> outside_hups{0};
  struct sigaction mine {};
  mine.sa_handler = [](int) { outside_hups.fetch_add(1); };
  sigemptyset(&mine.sa_mask);
  struct sigaction previous {};
  REQUIRE(sigaction(SIGHUP, &mine, &previous) == 0);
  {
    std::atomic<int> loads{0};
    auto config = test_config();
    config.handle_signals = true;
    config.load_model = [&loads]() -> std::shared_ptr<const blnk::reader::Classifier> {
      return std::make_shared<NamedFake>("hup-" + std::to_string(loads.fetch_add(1) + 1) + ".blnk");
    };
    TestServer server(config, std::make_shared<NamedFake>("start.blnk"));
    // run() installs its handlers from its own thread: until then, SIGHUPs reach
    // ours. Wait for the handler to change, then send exactly one.
    REQUIRE(eventually([&] {
      struct sigaction now {};
      sigaction(SIGHUP, nullptr, &now);
      return now.sa_handler != mine.sa_handler;
    }));
    raise(SIGHUP);
    CHECK(eventually([&] { return loads.load() == 1; }));
    CHECK(outside_hups.load() == 0);
    CHECK(eventually([&] { return contains(predict_body(server.port()), "\"model\":\"hup-1.blnk\""); }));
    server.stop();
    raise(SIGHUP);  // run() has returned: ours again
    CHECK(outside_hups.load() == 1);
    CHECK(loads.load() == 1);
  }
  sigaction(SIGHUP, &previous, nullptr);
}
