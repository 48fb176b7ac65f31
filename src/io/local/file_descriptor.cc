#include "io/local/file_descriptor.h"

#include <cerrno>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace floe::io {

Status ErrnoStatus(int error, std::string_view action, std::string_view path) {
  std::string text = std::generic_category().message(error);
  if (error == ENOENT || error == ENOTDIR) {
    return Status::NotFound("{} {}: {}", action, path, text);
  }
  if (error == EEXIST) {
    return Status::AlreadyExists("{} {}: {}", action, path, text);
  }
  return Status::IOError("{} {}: {}", action, path, text);
}

FileDescriptor::FileDescriptor(FileDescriptor&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)) {}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    (void)Close();
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
  }
  return *this;
}

FileDescriptor::~FileDescriptor() {
  (void)Close();
}

Result<FileDescriptor> FileDescriptor::Open(std::string path, int flags, mode_t mode) {
  int fd = -1;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    return ErrnoStatus(errno, "cannot open", path);
  }
  return FileDescriptor(fd, std::move(path));
}

Status FileDescriptor::ReadAt(int64_t offset, std::span<std::byte> buffer) const {
  size_t done = 0;
  while (done < buffer.size()) {
    ssize_t count = ::pread(fd_, buffer.data() + done, buffer.size() - done,
                            static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      return ErrnoStatus(errno, "cannot read", path_);
    }
    if (count == 0) {
      // The file shrank after it was opened: say so rather than return fewer bytes.
      return Status::IOError("unexpected end of {} at offset {}, wanted {} more bytes", path_,
                             offset + static_cast<int64_t>(done), buffer.size() - done);
    }
    done += static_cast<size_t>(count);
  }
  return Status::OK();
}

Status FileDescriptor::WriteAll(std::span<const std::byte> bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t count = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (count < 0 && errno == EINTR) {
      continue;
    }
    if (count < 0) {
      return ErrnoStatus(errno, "cannot write", path_);
    }
    done += static_cast<size_t>(count);
  }
  return Status::OK();
}

Result<struct stat> FileDescriptor::Stat() const {
  struct stat status {};
  if (::fstat(fd_, &status) != 0) {
    return ErrnoStatus(errno, "cannot stat", path_);
  }
  return status;
}

Status FileDescriptor::Sync() const {
  int result = 0;
  do {
    result = ::fsync(fd_);
  } while (result != 0 && errno == EINTR);
  if (result != 0) {
    return ErrnoStatus(errno, "cannot sync", path_);
  }
  return Status::OK();
}

Status FileDescriptor::Close() {
  if (fd_ < 0) {
    return Status::OK();
  }
  // Linux releases the descriptor even when close fails, EINTR included, so never retry.
  int result = ::close(std::exchange(fd_, -1));
  if (result != 0 && errno != EINTR) {
    return ErrnoStatus(errno, "cannot close", path_);
  }
  return Status::OK();
}

}  // namespace floe::io
