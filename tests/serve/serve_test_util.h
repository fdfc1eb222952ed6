// Helpers of the server tests: a fake reader::Classifier, a server running in a thread on
// an ephemeral port, and a raw-socket HTTP client that reads responses byte-exact.
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "reader/classifier.h"
#include "serve/server.h"

namespace serve_test {

using namespace std::chrono_literals;

// How long a test waits for something the server does in its own time (a slot
// freed, a handler installed, a reload, a timeout noticed). Polls end as soon as
// the condition holds, so a generous limit costs nothing on a quiet machine and
// keeps a loaded one (ctest -j2 beside busy loops) from failing a correct server.
inline constexpr std::chrono::seconds kEventually{60};

// Polls `condition` every 10 ms until it holds (true) or kEventually passes (false).
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds poll = 10ms) {
  const auto end = std::chrono::steady_clock::now() + kEventually;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(poll);
  }
  return condition();
}

inline const std::string kPngMagic = "\x89PNG\r\n\x1a\n";

// Answers by the first bytes of the image:
//   PNG magic  -> digit 7 (probability 0.9)     "BAD" -> 415     "NODIGIT" -> 422 naming the image
//   "THROW"    -> throws                          "WEIRD" -> failure with status 42
//   "BLOCK"    -> waits until release()           "LETTER" -> digit 3, verdict not_a_digit
//   anything else -> digit 3
class FakeClassifier : public blnk::reader::Classifier {
 public:
  bool classify(std::span<const std::uint8_t> bytes, const blnk::reader::ClassifyOptions& options,
                blnk::reader::Classification& result, blnk::reader::ClassifyFailure& failure) const override {
    calls.fetch_add(1);
    const std::string_view s(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (s.starts_with("BAD")) {
      failure = {415, "unsupported image format (fake)"};
      return false;
    }
    if (s.starts_with("NODIGIT")) {
      failure = {422, options.name + ": no digit found in the image (fake)", true};
      return false;
    }
    if (s.starts_with("WEIRD")) {
      failure = {42, "weird"};
      return false;
    }
    if (s.starts_with("THROW")) throw std::runtime_error("fake classifier exploded");
    if (s.starts_with("BLOCK")) {
      std::unique_lock lock(mutex_);
      ++blocked_;
      cv_.notify_all();
      cv_.wait_for(lock, 10s, [&] { return released_; });  // bounded: a failed test must not hang
    }
    const int digit = s.starts_with(kPngMagic) ? 7 : 3;
    result.digit = digit;
    result.probabilities.assign(10, 0.01f);
    result.probabilities[static_cast<std::size_t>(digit)] = 0.91f;
    result.probabilities[1] = 0.0f;
    result.probability = 0.91f;
    if (s.starts_with("LETTER")) {  // what the digit gate calls no digit
      result.verdict = blnk::reader::Verdict::not_a_digit;
      result.reason = "this does not look like one digit (fake)";
      result.single_digit = 0.01f;
    }
    result.seen_png = {0x89, 'P', 'N', 'G', 1, 2, 3};
    result.elapsed_ms = 0.25;
    return true;
  }
  std::string model_name() const override { return "fake-net <v1>"; }
  double model_accuracy() const override { return 0.9912; }

  // Waits until `n` calls are blocked in "BLOCK" (bounded wait, then gives up).
  bool wait_blocked(int n) const {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, 5s, [&] { return blocked_ >= n; });
  }
  void release() const {
    std::lock_guard lock(mutex_);
    released_ = true;
    cv_.notify_all();
  }

  mutable std::atomic<int> calls{0};

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable cv_;
  mutable int blocked_ = 0;
  mutable bool released_ = false;
};

// Short timeouts and no signal handling: what most tests want.
inline blnk::serve::ServerConfig test_config() {
  blnk::serve::ServerConfig c;
  c.port = 0;
  c.threads = 2;
  c.handle_signals = false;
  c.drain_timeout = 3s;
  return c;
}

// A server running in a thread; stopped and joined on destruction.
class TestServer {
 public:
  explicit TestServer(blnk::serve::ServerConfig config = test_config())
      : TestServer(std::move(config), default_classifier()) {}
  TestServer(blnk::serve::ServerConfig config, const blnk::reader::Classifier& classifier) {
    start(std::make_unique<blnk::serve::Server>(with_logs(std::move(config)), classifier));
  }
  // A server that owns its model (and may swap it: replace_model, reload).
  TestServer(blnk::serve::ServerConfig config, std::shared_ptr<const blnk::reader::Classifier> classifier) {
    start(std::make_unique<blnk::serve::Server>(with_logs(std::move(config)), std::move(classifier)));
  }
  ~TestServer() { stop(); }
  void stop() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }
  // Waits (bounded) for run() to return; true if it did.
  bool join_within(std::chrono::milliseconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (finished_.load()) break;
      std::this_thread::sleep_for(5ms);
    }
    return finished_.load();
  }
  int port() const { return server_->bound_port(); }
  blnk::serve::Server& server() { return *server_; }
  std::vector<std::string> log() {
    std::lock_guard lock(log_mutex_);
    return log_;
  }
  std::vector<std::string> error_log() {
    std::lock_guard lock(log_mutex_);
    return error_log_;
  }
  static const FakeClassifier& default_classifier() {
    static const FakeClassifier fake;
    return fake;
  }

 private:
  blnk::serve::ServerConfig with_logs(blnk::serve::ServerConfig config) {
    config.access_log = [this](const std::string& line) {
      std::lock_guard lock(log_mutex_);
      log_.push_back(line);
    };
    if (!config.error_log) {
      config.error_log = [this](const std::string& line) {
        std::lock_guard lock(log_mutex_);
        error_log_.push_back(line);
      };
    }
    return config;
  }
  void start(std::unique_ptr<blnk::serve::Server> server) {
    server_ = std::move(server);
    thread_ = std::thread([this] {
      server_->run();
      finished_.store(true);
    });
  }

  std::unique_ptr<blnk::serve::Server> server_;
  std::thread thread_;
  std::atomic<bool> finished_{false};
  std::mutex log_mutex_;
  std::vector<std::string> log_;
  std::vector<std::string> error_log_;
};

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// A blocking client over one TCP connection, with a receive timeout so a test
// never hangs.
class Client {
 public:
  explicit Client(int port, std::chrono::milliseconds recv_timeout = 5000ms) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket failed");
    timeval tv{};
    tv.tv_sec = recv_timeout.count() / 1000;
    tv.tv_usec = (recv_timeout.count() % 1000) * 1000;
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connected_; }
  int fd() const { return fd_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // Reads one response (a 1xx counts as one). False if the connection ended or
  // timed out before a whole response arrived.
  bool read_response(HttpResponse& r, bool head_request = false) {
    r = HttpResponse{};
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return false;
    }
    const std::string head = buffer_.substr(0, end + 2);
    buffer_.erase(0, end + 4);
    if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) return false;
    r.status = std::stoi(head.substr(9, 3));
    std::size_t pos = head.find("\r\n") + 2;
    while (pos < head.size()) {
      const std::size_t eol = head.find("\r\n", pos);
      const std::string line = head.substr(pos, eol - pos);
      pos = eol + 2;
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    if (r.status < 200 || r.status == 204 || head_request) return true;
    const std::string length = r.header("content-length");
    if (length.empty()) {
      while (fill()) {
      }
      r.body = std::move(buffer_);
      buffer_.clear();
      return true;
    }
    const std::size_t n = std::stoul(length);
    while (buffer_.size() < n) {
      if (!fill()) return false;
    }
    r.body = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return true;
  }

  // True if the server closes the connection (EOF or reset) within the receive
  // timeout; bytes received meanwhile are kept in `leftover()`.
  bool wait_closed() {
    while (true) {
      char buf[4096];
      const ssize_t n = recv(fd_, buf, sizeof buf, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET || errno == EPIPE;
      buffer_.append(buf, static_cast<std::size_t>(n));
    }
  }
  const std::string& leftover() const { return buffer_; }

  // Sends the request and reads the response in one go.
  HttpResponse request(std::string_view raw) {
    HttpResponse r;
    send(raw);
    read_response(r);
    return r;
  }

 private:
  bool fill() {
    char buf[16384];
    const ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

// "GET <path> HTTP/1.1" with a Host header and `extra` header lines.
inline std::string get(std::string_view path, std::string_view extra = "") {
  return "GET " + std::string(path) + " HTTP/1.1\r\nHost: test\r\n" + std::string(extra) + "\r\n";
}

inline std::string post(std::string_view path, std::string_view content_type, std::string_view body,
                        std::string_view extra = "") {
  return "POST " + std::string(path) + " HTTP/1.1\r\nHost: test\r\nContent-Type: " + std::string(content_type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + std::string(extra) + "\r\n" +
         std::string(body);
}

inline std::string multipart_body(std::string_view boundary, std::string_view field, std::string_view filename,
                                  std::string_view data, std::string_view eol = "\r\n") {
  std::string b;
  b += "--" + std::string(boundary) + std::string(eol);
  b += "Content-Disposition: form-data; name=\"" + std::string(field) + "\"; filename=\"" + std::string(filename) +
       "\"" + std::string(eol);
  b += "Content-Type: image/png" + std::string(eol) + std::string(eol);
  b += std::string(data) + std::string(eol);
  b += "--" + std::string(boundary) + "--" + std::string(eol);
  return b;
}

inline int count_open_fds() {
  int n = 0;
  for (int fd = 0; fd < 4096; ++fd) {
    if (fcntl(fd, F_GETFD) != -1) ++n;
  }
  return n;
}

}  // namespace serve_test
