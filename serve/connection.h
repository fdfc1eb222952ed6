// One client connection and the protocol that runs on it: read the head, parse
// it, read the body (Content-Length or chunked, with 100-continue), route, run the
// handler, write the response; again for pipelined requests, in order. No socket
// calls here: the worker (worker.cpp) moves bytes in and out of the buffers.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "serve/byte_buffer.h"
#include "serve/chunked_decoder.h"
#include "serve/counting_limit.h"
#include "serve/http.h"
#include "serve/http_parser.h"
#include "serve/metrics.h"
#include "serve/routes.h"

namespace blnk::serve {

struct ServerConfig;

enum class Phase : std::uint8_t {
  Head,     // waiting for or reading a request head
  Body,     // reading a request body
  Ready,    // a complete request waits for its handler
  Closing,  // no more requests: send what is queued, then close
  Linger,   // after an error: write side shut, discarding input until EOF or a timeout
};

struct Connection {
  int fd = -1;
  std::string peer;  // "127.0.0.1"
  int index = -1;    // in the worker's connection list

  ByteBuffer in;   // received, not yet parsed
  ByteBuffer out;  // serialized, not yet sent

  Phase phase = Phase::Head;
  std::string head;           // the current head; `request` views point into it
  std::size_t head_scan = 0;  // find_head_end() resume point
  Request request;
  const Route* route = nullptr;
  std::string body;  // the current body, de-chunked
  ChunkedDecoder chunked;
  std::uint64_t body_reserved = 0;  // bytes held in the body memory budget

  bool request_begun = false;  // a byte of the current request arrived
  bool in_flight = false;      // counted in the in-flight gauge
  bool close_after_write = false;
  bool linger = false;         // shut down writing and drain input before closing
  bool reading = false;        // EPOLLIN is registered
  bool writing = false;        // EPOLLOUT is registered
  int served = 0;              // responses on this connection

  std::int64_t wait_start_ms = 0;   // accept, or the end of the last response
  std::int64_t head_start_ms = 0;   // deadline base of the current head
  std::int64_t body_start_ms = 0;
  std::int64_t write_progress_ms = 0;
  std::int64_t linger_start_ms = 0;
  std::size_t lingered_bytes = 0;
  std::chrono::steady_clock::time_point request_start{};
  std::size_t counted_buffer_bytes = 0;  // buffer_bytes() as last added to the metrics

  // Back to the state of a new connection (buffers keep their storage).
  void reset(int new_fd, std::string new_peer, std::int64_t now_ms);
  // Bytes of storage held by the buffers.
  std::size_t buffer_bytes() const { return in.capacity() + out.capacity() + head.capacity() + body.capacity(); }
  // Between requests (nothing received, queued or being parsed): gives back buffers over `keep` bytes.
  void trim_idle_buffers(std::size_t keep);
};

// What the protocol needs from the worker that runs it.
struct Protocol {
  const ServerConfig* config = nullptr;
  Context* context = nullptr;
  Metrics* metrics = nullptr;
  CountingLimit* body_memory = nullptr;
  const std::atomic<bool>* stopping = nullptr;
  HeadLimits limits{};
};

// Parses and answers every complete request in `c.in`, appending responses to
// `c.out`, until the input runs out, a request is incomplete, output backs up, or the
// connection is closing.
void process_input(Connection& c, Protocol& p, std::int64_t now_ms);

// Queues an error response that ends the connection (parser errors, limits,
// timeouts). With `linger`, unread input is drained before closing so the client
// sees the response instead of a reset.
void reject(Connection& c, Protocol& p, int status, std::string_view message, bool linger);

// Gives back what the current request holds (body memory, in-flight count).
void abandon_request(Connection& c, Protocol& p);

}  // namespace blnk::serve
