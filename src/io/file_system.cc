#include "io/file_system.h"

#include <algorithm>

#include "common/logging.h"

namespace floe::io {

Status CheckObjectPath(std::string_view path) {
  if (path.empty()) {
    return Status::InvalidArgument("object path is empty");
  }
  if (path.back() == '/') {
    return Status::InvalidArgument("object path ends in '/': {}", path);
  }
  return Status::OK();
}

Status CheckReadRange(std::string_view path, int64_t offset, int64_t length, int64_t size) {
  // Written as subtractions so that no sum can overflow on hostile offsets from file metadata.
  if (offset < 0 || length < 0 || offset > size || length > size - offset) {
    return Status::IOError("read past the end of {}: offset {}, length {}, size {}", path, offset,
                           length, size);
  }
  return Status::OK();
}

Status SizeMismatch(std::string_view path, int64_t recorded_size, int64_t actual_size) {
  return Status::Corruption(
      "file size mismatch: table metadata records {} bytes for {}, storage has {} bytes",
      recorded_size, path, actual_size);
}

Status RandomAccessFile::ReadAt(int64_t offset, std::span<std::byte> buffer) const {
  auto length = static_cast<int64_t>(buffer.size());
  FLOE_RETURN_NOT_OK(CheckReadRange(path_, offset, length, size_));
  if (length == 0) {
    return Status::OK();
  }
  return ReadWithinBounds(offset, buffer);
}

Result<std::string> RandomAccessFile::ReadAt(int64_t offset, int64_t length) const {
  FLOE_RETURN_NOT_OK(CheckReadRange(path_, offset, length, size_));
  std::string bytes(static_cast<size_t>(length), '\0');
  auto buffer = std::as_writable_bytes(std::span<char>(bytes.data(), bytes.size()));
  FLOE_RETURN_NOT_OK(ReadAt(offset, buffer));
  return bytes;
}

Result<std::string> FileSystem::ReadAll(std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, OpenInputFile(path));
  return file->ReadAt(0, file->Size());
}

Result<std::unique_ptr<RandomAccessFile>> FileSystem::OpenInputFileOfSize(std::string_view path,
                                                                          int64_t size) {
  if (size < 0) {
    return Status::InvalidArgument("negative size {} for {}", size, path);
  }
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, OpenInputFile(path));
  if (file->Size() != size) {
    return SizeMismatch(path, size, file->Size());
  }
  return file;
}

Result<std::string> FileSystem::ReadAllOfSize(std::string_view path, int64_t size) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<RandomAccessFile> file, OpenInputFileOfSize(path, size));
  return file->ReadAt(0, file->Size());
}

Status FileSystem::DeleteFiles(std::span<const std::string> paths) {
  Status first_error;
  size_t num_failures = 0;
  for (const std::string& path : paths) {
    Status status = Delete(path);
    if (!status.ok()) {
      ++num_failures;
      if (first_error.ok()) {
        first_error = std::move(status);
      }
    }
  }
  if (num_failures == 0) {
    return Status::OK();
  }
  return first_error.WithContext(
      fmt::format("{} of {} deletes failed, the first", num_failures, paths.size()));
}

bool IsSizeMismatch(const Status& status) {
  return status.code() == StatusCode::kCorruption &&
         status.message().find("file size mismatch") != std::string_view::npos;
}

namespace {

void WarnOfWrongSize(std::string_view path, int64_t recorded_size, const Status& status) {
  FLOE_LOG_WARN("recorded file size is wrong; reading with the size storage reports",
                {"path", path}, {"recorded_size", recorded_size}, {"error", status.ToString()});
}

}  // namespace

Result<std::unique_ptr<RandomAccessFile>> OpenRecordedFile(FileSystem& file_system,
                                                           std::string_view path,
                                                           int64_t recorded_size) {
  if (recorded_size < 1) {
    return file_system.OpenInputFile(path);
  }
  Result<std::unique_ptr<RandomAccessFile>> file =
      file_system.OpenInputFileOfSize(path, recorded_size);
  Status checked = file.status();
  if (file.ok()) {
    int64_t tail = std::min<int64_t>(recorded_size, 8);
    checked = (*file)->ReadAt(recorded_size - tail, tail).status();
  }
  if (!IsSizeMismatch(checked)) {
    return checked.ok() ? std::move(file) : Result<std::unique_ptr<RandomAccessFile>>(checked);
  }
  WarnOfWrongSize(path, recorded_size, checked);
  return file_system.OpenInputFile(path);
}

Result<std::string> ReadRecordedFile(FileSystem& file_system, std::string_view path,
                                     int64_t recorded_size) {
  if (recorded_size < 1) {
    return file_system.ReadAll(path);
  }
  Result<std::string> bytes = file_system.ReadAllOfSize(path, recorded_size);
  if (!IsSizeMismatch(bytes.status())) {
    return bytes;
  }
  WarnOfWrongSize(path, recorded_size, bytes.status());
  return file_system.ReadAll(path);
}

Result<bool> FileSystem::Exists(std::string_view path) {
  Result<FileInfo> info = Stat(path);
  if (info.ok()) {
    return true;
  }
  if (info.status().code() == StatusCode::kNotFound) {
    return false;
  }
  return std::move(info).status();
}

}  // namespace floe::io
