// Whole-file reading with a size cap checked before anything is allocated, and
// atomic replacement of a file (write a temporary, flush, fsync, rename), so a
// crash or a full disk at any moment leaves either the old file or the new one.
// Errors name the file and the reason.
#pragma once

#include <cstdint>
#include <optional>
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

// What stands in the way of writing a file at `path`, found before any work (so a long
// run does not end in a failed write); nullopt when nothing does. `wrong_kind`: the
// caller's mistake (a directory, not a regular file, a parent that is not a folder),
// with what would do; otherwise the machine's answer (a folder that does not exist,
// one that may not be written). `path` is not empty.
struct OutputFileProblem {
  bool wrong_kind = false;
  std::string problem;   // "a directory", "the folder x does not exist"
  std::string expected;  // with wrong_kind: "a file path (e.g. x/name)"
};
std::optional<OutputFileProblem> output_file_problem(const std::string& path);

// Empty when a new file can be made in `folder`, else why not ("cannot write in
// /ro (Permission denied)"). The only honest test (permissions, read-only mounts,
// root's privileges, ACLs all take part) is to make one: a probe file, removed.
std::string folder_write_problem(const std::string& folder);

}  // namespace blnk
