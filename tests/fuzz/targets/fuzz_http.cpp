// Fuzz target: one HTTP request through the server's pure functions, in the order
// a connection runs them (serve/connection.cpp): leading newlines, the end of the
// head (found whole and byte by byte, which must agree), the partial-head check
// on every prefix length class, parse_head, then the body: Content-Length, or the
// chunked decoder (fed whole and in two pieces, which must agree), then the route
// with a fake classifier (so multipart bodies reach the multipart parser, the
// Accept negotiation and the page), and finally the serialized response.
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_targets.h"
#include "serve/byte_buffer.h"
#include "serve/chunked_decoder.h"
#include "serve/counting_limit.h"
#include "serve/http_parser.h"
#include "serve/http_writer.h"
#include "serve/metrics.h"
#include "serve/multipart.h"
#include "serve/routes.h"
#include "serve/server.h"

namespace blnk::fuzz {

namespace {

using namespace blnk::serve;
using namespace blnk::reader;

constexpr std::size_t kFuzzMaxBody = 64 * 1024;  // small, so the 413 paths are reachable

// Answers from the first byte of the image: 'F' fails with 415, 'U' with 422,
// anything else is a confident digit.
class FakeClassifier : public Classifier {
 public:
  bool classify(std::span<const std::uint8_t> bytes, const ClassifyOptions& options, Classification& result,
                ClassifyFailure& failure) const override {
    if (!bytes.empty() && (bytes[0] == 'F' || bytes[0] == 'U')) {
      failure = {bytes[0] == 'F' ? 415 : 422, "fake: cannot read <this> & \"that\""};
      return false;
    }
    result.probabilities.assign(10, 0.01f);
    result.digit = bytes.empty() ? 0 : bytes[0] % 10;
    result.probabilities[result.digit] = 0.91f;
    result.probability = 0.91f;
    if (options.seen_png)
      result.seen_png.assign(bytes.begin(), bytes.begin() + std::ptrdiff_t(std::min<std::size_t>(bytes.size(), 64)));
    return true;
  }
  std::string model_name() const override { return "fuzz<model>"; }
  double model_accuracy() const override { return 0.99; }
};

struct Fixture {
  ServerConfig config;
  FakeClassifier classifier;
  Metrics metrics{1};
  CountingLimit slots{4};
  CountingLimit body_memory{64 * 1024 * 1024};
  std::string index_page = "<html>index</html>";
  Context context;
  Fixture() {
    config.max_body_bytes = kFuzzMaxBody;
    context.config = &config;
    context.classifier = &classifier;
    context.metrics = &metrics;
    context.classify_slots = &slots;
    context.body_memory = &body_memory;
    context.index_page = &index_page;
    context.model_name = classifier.model_name();
    context.model_accuracy = classifier.model_accuracy();
  }
};

// The chunked body decoded in one feed, or in two split at `split`.
ChunkedDecoder::Result decode_chunked(std::string_view in, std::size_t split, std::string& body, std::size_t& used) {
  ChunkedDecoder decoder;
  decoder.reset();
  body.clear();
  used = 0;
  if (split > in.size()) split = in.size();
  std::size_t consumed = 0;
  auto r = decoder.feed(in.substr(0, split), consumed, body, kFuzzMaxBody);
  used = consumed;
  if (r != ChunkedDecoder::Result::NeedMore) return r;
  BLNK_FUZZ_CHECK(consumed == split);  // NeedMore means it took everything
  consumed = 0;
  r = decoder.feed(in.substr(split), consumed, body, kFuzzMaxBody);
  used += consumed;
  return r;
}

}  // namespace

int fuzz_http(const std::uint8_t* data, std::size_t size) {
  static Fixture fx;
  if (size < 1) return 0;
  const std::size_t split = data[0];  // where the chunked body is cut in two
  std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
  const HeadLimits limits{fx.config.max_uri_bytes, fx.config.max_header_bytes, fx.config.max_headers};

  in.remove_prefix(count_leading_newlines(in));
  std::size_t scan = 0;
  const std::size_t end = find_head_end(in, scan);
  // Scanning a growing buffer must find the same end as one scan of all of it.
  std::size_t scan_inc = 0, end_inc = std::string_view::npos;
  for (std::size_t n = 1; n <= in.size() && n <= 4096; n += 1 + n / 8) {
    end_inc = find_head_end(in.substr(0, n), scan_inc);
    if (end_inc != std::string_view::npos) break;
  }
  if (end_inc == std::string_view::npos && in.size() <= 4096) end_inc = find_head_end(in, scan_inc);
  if (in.size() <= 4096) BLNK_FUZZ_CHECK(end_inc == end);
  if (end == std::string_view::npos) {
    (void)check_partial_head(in, limits);
    return 0;
  }
  BLNK_FUZZ_CHECK(end <= in.size());
  (void)check_partial_head(in.substr(0, end > 0 ? end - 1 : 0), limits);

  const std::string head(in.substr(0, end));
  std::string_view rest = in.substr(end);
  Request request;
  const ParseStatus status = parse_head(head, limits, request);
  ByteBuffer out;
  if (!status.ok()) {
    BLNK_FUZZ_CHECK(status.status >= 400 && status.status <= 599);
    Response r = json_error(status.status, status.message);
    write_response(out, r, true, false, false);
    return 0;
  }
  for (const Header& h : request.headers) {
    BLNK_FUZZ_CHECK(h.name.data() >= head.data() && h.name.data() + h.name.size() <= head.data() + head.size());
    BLNK_FUZZ_CHECK(h.value.data() >= head.data() && h.value.data() + h.value.size() <= head.data() + head.size());
  }

  const Route* route = find_route(request.path);
  if (precheck_route(request, route) != 0) return 0;

  std::string body;
  if (request.body_kind == BodyKind::Length) {
    if (request.content_length > kFuzzMaxBody) return 0;  // 413 before the body
    body.assign(rest.substr(0, std::min<std::size_t>(rest.size(), request.content_length)));
  } else if (request.body_kind == BodyKind::Chunked) {
    std::string whole, pieces;
    std::size_t used_whole = 0, used_pieces = 0;
    const auto r1 = decode_chunked(rest, rest.size(), whole, used_whole);
    const auto r2 = decode_chunked(rest, split, pieces, used_pieces);
    BLNK_FUZZ_CHECK(whole.size() <= kFuzzMaxBody);
    BLNK_FUZZ_CHECK(r1 == r2);
    if (r1 == ChunkedDecoder::Result::Done) {
      BLNK_FUZZ_CHECK(whole == pieces && used_whole == used_pieces && used_whole <= rest.size());
    }
    if (r1 != ChunkedDecoder::Result::Done) return 0;
    body = std::move(whole);
  }
  request.body = body;

  // The multipart parser directly, whatever the route (the route only reaches it
  // for POST /predict with a multipart Content-Type).
  std::string boundary, error;
  if (multipart_boundary(request.header("content-type"), boundary, error)) {
    std::vector<MultipartPart> parts;
    if (parse_multipart(body, boundary, parts, error)) {
      for (const MultipartPart& p : parts)
        BLNK_FUZZ_CHECK(p.data.data() >= body.data() && p.data.data() + p.data.size() <= body.data() + body.size());
    }
  }

  const Response response = dispatch(request, route, fx.context);
  BLNK_FUZZ_CHECK(response.status >= 100 && response.status <= 599);
  write_response(out, response, !request.keep_alive, request.method == Method::Head, true);
  return 0;
}

}  // namespace blnk::fuzz
