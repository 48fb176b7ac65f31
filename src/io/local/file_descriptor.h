#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include <sys/stat.h>

#include "common/result.h"
#include "common/status.h"

namespace floe::io {

/// Returns NotFound for a missing file or directory (ENOENT, ENOTDIR), AlreadyExists for EEXIST
/// and IOError otherwise, as "<action> <path>: <system error text>".
Status ErrnoStatus(int error, std::string_view action, std::string_view path);

/// Owns one POSIX file descriptor and closes it on destruction. Every call retries on EINTR and
/// loops over short transfers; errors name the path the descriptor was opened on. Reads at an
/// offset (pread) are thread-safe; the other calls need one caller at a time. Movable only.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  FileDescriptor(FileDescriptor&& other) noexcept;
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor();

  /// Opens `path` with `flags` (O_CLOEXEC is always added) and `mode` for created files.
  static Result<FileDescriptor> Open(std::string path, int flags, mode_t mode = 0644);

  const std::string& path() const { return path_; }
  bool is_open() const { return fd_ >= 0; }

  /// Fills `buffer` from `offset`; IOError when the file ends first.
  Status ReadAt(int64_t offset, std::span<std::byte> buffer) const;
  /// Writes all of `bytes` at the current position.
  Status WriteAll(std::span<const std::byte> bytes);
  /// Returns the file's status (size, type, modification time).
  Result<struct stat> Stat() const;
  /// Flushes data and metadata to stable storage.
  Status Sync() const;
  /// Closes now, reporting the error some file systems (NFS) only give at close.
  Status Close();

 private:
  FileDescriptor(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}

  int fd_ = -1;
  std::string path_;
};

}  // namespace floe::io
