// Every limit of the HTTP server as a named constant. The defaults of ServerConfig
// come from here; the rest are fixed sizes of the protocol machinery.
#pragma once

#include <chrono>
#include <cstddef>

namespace blnk::serve {

using namespace std::chrono_literals;

inline constexpr std::size_t kKiB = 1024;
inline constexpr std::size_t kMiB = 1024 * kKiB;

// --- Defaults of ServerConfig ------------------------------------------------
inline constexpr int kDefaultPort = 8000;
inline constexpr int kDefaultThreads = 2;                   // event-loop workers
inline constexpr std::size_t kDefaultMaxBodyBytes = 10 * kMiB;   // one upload
inline constexpr std::size_t kDefaultMaxHeaderBytes = 8 * kKiB;  // header fields, without the request line
inline constexpr int kDefaultMaxHeaders = 100;                   // header fields per request
inline constexpr std::size_t kDefaultMaxUriBytes = 8 * kKiB;     // request target
inline constexpr int kDefaultMaxConnections = 1024;              // open at once, all workers together
inline constexpr int kDefaultMaxKeepAliveRequests = 10000;       // then the connection is closed
inline constexpr int kDefaultMaxConcurrentClassifications = 4;   // decodes running at once
inline constexpr std::size_t kDefaultMaxBodyMemory = 64 * kMiB;  // request bodies buffered at once
inline constexpr std::chrono::milliseconds kDefaultHeaderTimeout = 10s;  // whole head, from its first byte
inline constexpr std::chrono::milliseconds kDefaultBodyTimeout = 60s;    // whole body, from the end of the head
inline constexpr std::chrono::milliseconds kDefaultIdleTimeout = 5s;     // keep-alive wait for the next request
inline constexpr std::chrono::milliseconds kDefaultWriteTimeout = 10s;   // without write progress
inline constexpr std::chrono::milliseconds kDefaultDrainTimeout = 10s;   // in-flight requests after stop()

// --- Fixed sizes of the machinery ---------------------------------------------
inline constexpr int kListenBacklog = 1024;
inline constexpr std::size_t kMaxMethodBytes = 24;          // longer method tokens are refused (501)
inline constexpr std::size_t kRequestLineOverhead = kMaxMethodBytes + 16;  // method, spaces, version
inline constexpr std::size_t kReadChunkBytes = 16 * kKiB;   // one recv() at most
inline constexpr std::size_t kMaxPendingOutputBytes = 1 * kMiB;  // stop answering pipelined requests until sent
inline constexpr std::size_t kMaxBufferedInputBytes = 64 * kKiB; // stop reading pipelined requests beyond this
// Between requests and in the pool, a connection keeps each buffer up to this size and gives
// larger ones back: otherwise every connection ends up holding the largest request it ever
// carried, and a server with a steady number of connections creeps up (the hostile soak:
// +4 MB in ten minutes at ~60 connections with 16 KiB kept per buffer).
inline constexpr std::size_t kRetainedBufferBytes = 4 * kKiB;
inline constexpr std::size_t kMaxChunkLineBytes = 1 * kKiB;      // chunk size line with extensions
inline constexpr std::size_t kMaxChunkTrailerBytes = 8 * kKiB;   // trailer fields after the last chunk
inline constexpr int kMaxChunkSizeDigits = 15;                   // hex digits: below 2^60
inline constexpr std::size_t kBodyReservationStep = 64 * kKiB;   // chunked bodies reserve memory by steps
inline constexpr int kAcceptBatch = 64;                          // accept() calls per wake-up
inline constexpr int kEpollEvents = 256;                         // events per epoll_wait()
inline constexpr std::chrono::milliseconds kLingerTimeout = 2s;  // reading and discarding after an error
inline constexpr std::size_t kMaxLingerBytes = 4 * kMiB;         // discarded at most before closing
inline constexpr std::chrono::milliseconds kMinTimerTick = 5ms;
inline constexpr std::chrono::milliseconds kMaxTimerTick = 100ms;
inline constexpr int kMaxPooledConnections = 16;                 // per worker, reused with their buffers

// --- Multipart and the predict route ----------------------------------------------
inline constexpr std::size_t kMaxBoundaryBytes = 70;        // RFC 2046
inline constexpr int kMaxMultipartParts = 32;
inline constexpr std::size_t kMaxPartHeaderBytes = 8 * kKiB;
inline constexpr std::size_t kMaxInlinePreviewBytes = 4 * kMiB;  // uploads shown back in the page up to this
inline constexpr int kTopPredictions = 3;

}  // namespace blnk::serve
