// A blnk server with a fake classifier, for load tests of the HTTP layer alone:
//   blnk_serve_fake [port] [threads]      then e.g. wrk -c64 -d5s http://127.0.0.1:8000/healthz
// Stops on SIGINT/SIGTERM.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "serve/server.h"

namespace {

class FakeClassifier : public blnk::reader::Classifier {
 public:
  bool classify(std::span<const std::uint8_t> bytes, const blnk::reader::ClassifyOptions&,
                blnk::reader::Classification& result, blnk::reader::ClassifyFailure& failure) const override {
    if (bytes.size() < 8) {
      failure = {415, "too small to be an image"};
      return false;
    }
    result.digit = 7;
    result.probabilities.assign(10, 0.01f);
    result.probabilities[7] = 0.91f;
    result.probability = 0.91f;
    result.seen_png.assign(300, 0x42);
    result.elapsed_ms = 0.2;
    return true;
  }
  std::string model_name() const override { return "fake"; }
  double model_accuracy() const override { return 0.99; }
};

}  // namespace

int main(int argc, char** argv) {
  try {
    blnk::serve::ServerConfig config;
    config.port = argc > 1 ? std::atoi(argv[1]) : 8000;
    config.threads = argc > 2 ? std::atoi(argv[2]) : 2;
    config.error_log = [](const std::string& line) { std::fprintf(stderr, "error: %s\n", line.c_str()); };
    FakeClassifier classifier;
    blnk::serve::Server server(config, classifier);
    std::fprintf(stderr, "listening on %s\n", server.url().c_str());
    server.run();
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "blnk_serve_fake: %s\n", e.what());
    return 1;
  }
}
