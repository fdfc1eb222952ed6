// blnk serve: the upload page and JSON API over the bundled (or given) model.
#include <cxxopts.hpp>

#include <cstdio>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli/cli.h"
#include "reader/model_classifier.h"
#include "serve/server.h"

namespace blnk::cli {

namespace {

// glibc raises its mmap threshold to the size of each large block freed, up to 32 MiB:
// after one 10 MiB upload, later buffers of that size come from the threads' heaps
// and stay resident when freed, and the server's memory creeps up under a mix of
// large uploads (the hostile soak saw +17 MB in ten minutes). A fixed threshold keeps
// blocks over 256 KiB in their own mappings, returned to the system when freed.
void return_large_blocks_to_the_system() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
}

// Freed memory inside the threads' heaps stays resident until the heap's top is free;
// malloc_trim gives whole free pages anywhere back. Every 10 s: a few hundred
// microseconds here, against RSS creeping up ~0.3 MB a minute under the hostile soak.
void give_back_free_pages() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

}  // namespace

int cmd_serve(int argc, char** argv) {
  return_large_blocks_to_the_system();
  serve::ServerConfig cfg;
  cxxopts::Options options(argv[0], "Serve the digit upload page (GET /) and the JSON API (POST /predict).");
  options.add_options()("host", "address to listen on", cxxopts::value<std::string>()->default_value(cfg.host))(
      "port", "port to listen on", cxxopts::value<int>()->default_value(std::to_string(cfg.port)))(
      "model", "model file (default: the bundled model)", cxxopts::value<std::string>())(
      "gate", "digit gate model that tells digits from letters, symbols and scribbles (default: the bundled one; none: no gate)",
      cxxopts::value<std::string>())(
      "preprocess", "blnk (default), or seed: the seed's own pipeline, for a model from blnk import-keras",
      cxxopts::value<std::string>()->default_value("blnk"))(
      "threads", "worker threads", cxxopts::value<int>()->default_value(std::to_string(cfg.threads)))(
      "max-body", "largest upload in bytes (413 above)", cxxopts::value<std::size_t>()->default_value(std::to_string(cfg.max_body_bytes)))(
      "max-connections", "open connections at once", cxxopts::value<int>()->default_value(std::to_string(cfg.max_connections)))(
      "max-pixels", "largest image in pixels, checked before decoding", cxxopts::value<std::uint64_t>()->default_value(std::to_string(data::kDefaultMaxImagePixels)))(
      "quiet", "no access log")("h,help", "this help");
  const auto args = options.parse(argc, argv);
  if (args.count("help")) {
    std::printf("%s\n", options.help().c_str());
    return 0;
  }
  if (!args.unmatched().empty()) throw UsageError("unexpected argument '" + args.unmatched()[0] + "'");
  cfg.host = args["host"].as<std::string>();
  cfg.port = args["port"].as<int>();
  if (cfg.port < 0 || cfg.port > 65535) throw UsageError("--port must be from 0 to 65535");
  cfg.threads = checked_count(args["threads"].as<int>(), 256, "threads");
  cfg.max_body_bytes = args["max-body"].as<std::size_t>();
  cfg.max_connections = checked_count(args["max-connections"].as<int>(), 1 << 20, "max-connections");
  if (!args.count("quiet")) cfg.access_log_file = stderr;
  cfg.error_log = [](const std::string& line) { std::fprintf(stderr, "blnk serve: %s\n", line.c_str()); };
  cfg.housekeeping = give_back_free_pages;
  data::ImageLimits limits;
  limits.max_pixels = args["max-pixels"].as<std::uint64_t>();
  limits.max_file_bytes = cfg.max_body_bytes;
  const std::string model_path = args.count("model") ? args["model"].as<std::string>() : default_model_path();
  const reader::ModelClassifier classifier(model_path, limits,
                                         gate_path_from(args.count("gate") ? args["gate"].as<std::string>() : "",
                                                        args.count("gate") > 0),
                                         seed_preprocessing(args["preprocess"].as<std::string>()));
  serve::Server server(cfg, classifier);
  std::fprintf(stderr, "blnk serve: %s on %s (Ctrl-C to stop)\n", model_path.c_str(), server.url().c_str());
  server.run();
  std::fprintf(stderr, "blnk serve: stopped\n");
  return 0;
}

}  // namespace blnk::cli
