// Whole-file reading with a size cap checked before anything is allocated, and
// atomic replacement of a file (write a temporary, flush, fsync, rename), so a
// crash or a full disk at any moment leaves either the old file or the new one.
// Errors name the file and the reason.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace blnk {

// Size of a regular file in bytes; throws Error when missing, unreadable or not a regular file.
std::uint64_t file_size(const std::string& path);

// The whole file; throws Error when it is larger than max_bytes (before reading) or unreadable.
std::vector<std::uint8_t> read_file_bytes(const std::string& path, std::uint64_t max_bytes);

// Replaces path with bytes atomically. On any failure the previous file is intact,
// the temporary is removed, and Error says what failed (e.g. "No space left on device").
void write_file_atomically(const std::string& path, std::span<const std::uint8_t> bytes);

}  // namespace blnk
