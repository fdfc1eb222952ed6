// blnk serve: the upload page and JSON API over the bundled (or given) model.
// Every option is read as text and checked as every command checks them
// (cli/options.h), so a usage error names the option, the value and the allowed
// range ("--max-body 0: out of range; expected a size from 1 KiB to 64 MiB"), and
// exits 2.
#include <cxxopts.hpp>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "cli/cli.h"
#include "cli/options.h"
#include "engine/model_file.h"
#include "reader/class_model.h"
#include "reader/model_classifier.h"
#include "serve/cors.h"
#include "serve/server.h"

namespace blnk::cli {

namespace {

// The ranges of the options: a body the memory budget could never hold is refused, and
// so is a body too small for any real image.
constexpr long long kMinPort = 0, kMaxPort = 65535;
constexpr long long kMaxThreads = 256;
constexpr long long kMaxConnections = 1 << 20;
constexpr long long kMinBodyBytes = 1024;
constexpr long long kMaxBodyBytes = static_cast<long long>(serve::kDefaultMaxBodyMemory);
constexpr long long kMaxPixels = 400'000'000;

std::string size_text(long long bytes) {
  if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + " bytes";
}

// Bytes, with an optional unit: "4096", "512K", "512KiB", "10M", "10MiB" (powers of 1024).
long long size_option(const cxxopts::ParseResult& args, const std::string& option, long long min, long long max) {
  const std::string expected = "a size from " + size_text(min) + " to " + size_text(max) + " (bytes, or with K or M)";
  const std::string text = args[option].as<std::string>();
  long long value = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || r.ptr == text.data()) bad_value(option, shown_value(text), "not a size", expected);
  const std::string unit(r.ptr, text.data() + text.size());
  long long scale = 1;
  if (unit == "K" || unit == "k" || unit == "KiB") {
    scale = 1024;
  } else if (unit == "M" || unit == "MiB") {
    scale = 1024 * 1024;
  } else if (!unit.empty()) {
    bad_value(option, shown_value(text), "not a size", expected);
  }
  if (r.ec != std::errc{} || value < 0 || value > max / scale || value * scale < min)
    bad_value(option, text, "out of range", expected);
  return value * scale;
}

// --trusted-proxy, repeatable, each a comma list of addresses or CIDR ranges.
std::vector<serve::AddressRange> trusted_proxies(const cxxopts::ParseResult& args) {
  std::vector<serve::AddressRange> ranges;
  if (!args.count("trusted-proxy")) return ranges;
  for (const std::string& list : args["trusted-proxy"].as<std::vector<std::string>>()) {
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      const std::string item = list.substr(start, comma - start);
      serve::AddressRange range;
      if (!serve::parse_address_range(item, range))
        bad_value("trusted-proxy", shown_value(item), "not an address",
                  "an IPv4 or IPv6 address, optionally with /BITS (127.0.0.1, 10.0.0.0/8, ::1)");
      ranges.push_back(range);
      start = comma + 1;
    }
  }
  return ranges;
}

// --cors, repeatable: origins whose pages may call the API, or *.
std::vector<std::string> cors_origins(const cxxopts::ParseResult& args) {
  if (!args.count("cors")) return {};
  std::vector<std::string> origins = args["cors"].as<std::vector<std::string>>();
  for (const std::string& origin : origins)
    if (!serve::valid_cors_origin(origin))
      bad_value("cors", shown_value(origin), "not an origin",
                "scheme://host[:port] with no path (https://example.org, http://localhost:3000), or * for any");
  return origins;
}

// The model file itself when `path` is a symbolic link: a deploy that points
// current.blnk at a new release and sends SIGHUP sees the release's name in /metrics.
std::string resolved_model_path(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path real = std::filesystem::canonical(path, ec);
  return ec ? path : real.string();
}

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
  cxxopts::Options options(argv[0], "Serve the digit upload page (GET /) and the JSON API (POST /predict).\n"
                                    "SIGHUP loads the model and gate files again; SIGTERM stops.");
  options.add_options()("host", "address to listen on", text(cfg.host.c_str()))(
      "port", "port to listen on, 0 to 65535 (0: any free port)", text(std::to_string(cfg.port).c_str()))(
      "model", "model file (default: the bundled model); SIGHUP loads it again", cxxopts::value<std::string>())(
      "gate", "digit gate model that tells digits from letters, symbols and scribbles (default: the bundled one; none: no gate)",
      cxxopts::value<std::string>())(
      "preprocess", "blnk (default), or seed: the seed's own pipeline, for a model from blnk import-keras", text("blnk"))(
      "threads", "worker threads, 1 to 256", text(std::to_string(cfg.threads).c_str()))(
      "max-body", "largest upload, 1 KiB to 64 MiB (413 above); bytes, or with K or M", text(std::to_string(cfg.max_body_bytes).c_str()))(
      "max-connections", "open connections at once, 1 to 1048576", text(std::to_string(cfg.max_connections).c_str()))(
      "max-pixels", "largest image in pixels, checked before decoding, 1 to 400000000",
      text(std::to_string(data::kDefaultMaxImagePixels).c_str()))(
      "trusted-proxy", "address or CIDR range of a reverse proxy whose X-Forwarded-For the access log believes "
      "(repeatable or a comma list; default: none)", cxxopts::value<std::vector<std::string>>())(
      "cors", "origin whose pages may call the API from a browser (repeatable; * for any; default: none)",
      cxxopts::value<std::vector<std::string>>())(
      "quiet", "no access log")("h,help", "this help");
  const auto parsed = parse_command(options, argc, argv);
  if (!parsed) return 0;
  const cxxopts::ParseResult& args = *parsed;
  cfg.host = args["host"].as<std::string>();
  if (cfg.host.empty()) bad_value("host", "''", "empty", "an IP address or a host name (0.0.0.0 for every interface)");
  cfg.port = static_cast<int>(integer_option(args, "port", kMinPort, kMaxPort));
  cfg.threads = static_cast<int>(integer_option(args, "threads", 1, kMaxThreads));
  cfg.max_body_bytes = static_cast<std::size_t>(size_option(args, "max-body", kMinBodyBytes, kMaxBodyBytes));
  cfg.max_connections = static_cast<int>(integer_option(args, "max-connections", 1, kMaxConnections));
  data::ImageLimits limits;
  limits.max_pixels = static_cast<std::uint64_t>(integer_option(args, "max-pixels", 1, kMaxPixels));
  limits.max_file_bytes = cfg.max_body_bytes;
  const std::string preprocess = choice_option(args, "preprocess", {"blnk", "seed"});
  cfg.trusted_proxies = trusted_proxies(args);
  cfg.cors_origins = cors_origins(args);
  if (!args.count("quiet")) cfg.access_log_file = stderr;
  cfg.error_log = [](const std::string& line) { std::fprintf(stderr, "blnk serve: %s\n", line.c_str()); };
  cfg.housekeeping = give_back_free_pages;

  const std::string model_path = args.count("model") ? input_file_option(args, "model") : default_model_path();
  const std::string gate_path =
      gate_path_from(args.count("gate") ? args["gate"].as<std::string>() : "", args.count("gate") > 0);
  const bool seed = seed_preprocessing(preprocess);
  // Called at start and on every SIGHUP: the same files, read again. A class model
  // (reader/class_model.h) is served by its class names, without the digit pipeline.
  const bool digit_options = args.count("gate") || args.count("preprocess");
  cfg.load_model = [model_path, gate_path, limits, seed, digit_options]() -> std::shared_ptr<const reader::Classifier> {
    const std::string path = resolved_model_path(model_path);
    if (const std::optional<reader::ClassModelInfo> info = reader::class_model_of(read_model_file(path), path)) {
      if (digit_options)
        throw UsageError("--gate and --preprocess are for digit readers; " + reader::not_a_digit_model_message(path, *info));
      return std::make_shared<const reader::ClassModelClassifier>(path, limits);
    }
    return std::make_shared<const reader::ModelClassifier>(path, limits, gate_path, seed);
  };
  serve::Server server(cfg, cfg.load_model());
  std::fprintf(stderr, "blnk serve: %s on %s (Ctrl-C to stop, SIGHUP to reload the model)\n", model_path.c_str(),
               server.url().c_str());
  server.run();
  std::fprintf(stderr, "blnk serve: stopped\n");
  return 0;
}

}  // namespace blnk::cli
