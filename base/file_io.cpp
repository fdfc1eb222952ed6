// Whole-file reading and atomic writing (see file_io.h).
#include "base/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "base/buffer.h"
#include "base/error.h"

namespace blnk {
namespace {

std::string errno_text() { return std::strerror(errno); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

}  // namespace

std::uint64_t file_size(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw Error(path + ": no such file");
  if (std::filesystem::is_directory(status)) throw Error(path + ": is a directory, not a file");
  if (!std::filesystem::is_regular_file(status)) throw Error(path + ": not a regular file");
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path + ": cannot read its size (" + ec.message() + ")");
  return size;
}

std::vector<std::uint8_t> read_file_bytes(const std::string& path, std::uint64_t max_bytes) {
  const std::uint64_t size = file_size(path);
  if (size > max_bytes)
    throw Error(path + ": file is too large (" + std::to_string(size) + " bytes, limit " +
                std::to_string(max_bytes) + ")");
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) throw Error(path + ": cannot open (" + errno_text() + ")");
  std::vector<std::uint8_t> bytes;
  bytes.reserve(size);
  advise_huge_pages(bytes.data(), size);  // a data set of tens of MB: 4 KiB page faults cost more than its read
  bytes.resize(size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd.get(), bytes.data() + done, size - done);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw Error(path + ": read failed (" + errno_text() + ")");
    if (got == 0) break;
    done += std::size_t(got);
  }
  if (done != size)
    throw Error(path + ": read " + std::to_string(done) + " of " + std::to_string(size) +
                " bytes (file changed while reading?)");
  return bytes;
}

void write_file_atomically(const std::string& path, std::span<const std::uint8_t> bytes) {
  const std::filesystem::path target(path);
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  std::string tmp = (dir / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  Fd fd(::mkstemp(tmp.data()));
  if (fd.get() < 0) throw Error(path + ": cannot create a temporary file in " + dir.string() + " (" + errno_text() + ")");
  auto fail = [&](const std::string& what) {
    const std::string reason = errno_text();
    ::unlink(tmp.c_str());
    throw Error(path + ": " + what + " (" + reason + "); the previous file, if any, is unchanged");
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t put = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) fail("write failed");
    done += std::size_t(put);
  }
  if (::fchmod(fd.get(), 0644) != 0) fail("cannot set permissions");
  if (::fsync(fd.get()) != 0) fail("fsync failed");
  if (::close(fd.release()) != 0) fail("close failed");
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("cannot rename the temporary file into place");
  // Make the rename itself durable.
  Fd dir_fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir_fd.get() >= 0) ::fsync(dir_fd.get());
}

std::optional<OutputFileProblem> output_file_problem(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (fs::is_directory(status)) return OutputFileProblem{true, "a directory", "a file path (e.g. " + (fs::path(path) / "name").string() + ")"};
  if (fs::exists(status) && !fs::is_regular_file(status)) return OutputFileProblem{true, "not a regular file", "a file path"};
  const fs::path folder = fs::path(path).has_parent_path() ? fs::path(path).parent_path() : fs::path(".");
  const fs::file_status folder_status = fs::status(folder, ec);
  if (!fs::exists(folder_status)) return OutputFileProblem{false, "the folder " + folder.string() + " does not exist", ""};
  if (!fs::is_directory(folder_status))
    return OutputFileProblem{true, folder.string() + " is not a folder", "a file in a folder"};
  std::string unwritable = folder_write_problem(folder.string());
  if (!unwritable.empty()) return OutputFileProblem{false, std::move(unwritable), ""};
  return std::nullopt;
}

std::string folder_write_problem(const std::string& folder) {
  const std::filesystem::path probe = std::filesystem::path(folder) / (".blnk-write-check-" + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return {};  // a leftover probe: the folder took a file before
    return "cannot write in " + folder + " (" + errno_text() + ")";
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return {};
}

}  // namespace blnk
