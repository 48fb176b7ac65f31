#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "common/status.h"

namespace floe::io {

/// Describes one stored object.
struct FileInfo {
  /// The location in the same form as the request that produced it ("s3://b/k", "file:/d/f").
  std::string path;
  int64_t size = 0;
  std::chrono::system_clock::time_point modification_time;

  friend bool operator==(const FileInfo&, const FileInfo&) = default;
};

/// Returns the bytes of `text` as raw bytes, for OutputStream::Write.
inline std::span<const std::byte> AsBytes(std::string_view text) {
  return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

/// Returns InvalidArgument when `path` cannot name an object: it is empty or ends in '/'.
Status CheckObjectPath(std::string_view path);

/// Returns IOError naming the path, offset, length and size when [offset, offset + length) does
/// not lie within an object of `size` bytes (or offset or length is negative), else OK.
Status CheckReadRange(std::string_view path, int64_t offset, int64_t length, int64_t size);

/// Returns Corruption naming `path` and both sizes: the size recorded in table metadata for an
/// object is not the size storage has. Reading on would give wrong bytes or a misparsed file.
Status SizeMismatch(std::string_view path, int64_t recorded_size, int64_t actual_size);

/// Reads one object at arbitrary offsets, as a Parquet reader does.
///
/// The size is fixed when the file is opened; a backend reads the version that existed then
/// (object storage) or the file as it is (local disk, where objects are never rewritten in place
/// because writers replace them by rename). Every read is checked against the size: reading past
/// the end is an IOError naming path, offset and size, never a short read. Thread-safe: any
/// number of threads may read one file concurrently. Not copyable.
class RandomAccessFile {
 public:
  RandomAccessFile(const RandomAccessFile&) = delete;
  RandomAccessFile& operator=(const RandomAccessFile&) = delete;
  virtual ~RandomAccessFile() = default;

  const std::string& path() const { return path_; }
  /// Returns the size in bytes, as known when the file was opened (or as the opener said).
  int64_t Size() const { return size_; }
  /// Returns what identifies this version of the object at its path (an S3 ETag), or "" when
  /// the backend has none or was not asked (an open with a known size makes no request).
  const std::string& version() const { return version_; }

  /// Fills `buffer` with the bytes at [offset, offset + buffer.size()).
  Status ReadAt(int64_t offset, std::span<std::byte> buffer) const;
  /// Returns the `length` bytes at `offset` in a new string.
  Result<std::string> ReadAt(int64_t offset, int64_t length) const;

 protected:
  RandomAccessFile(std::string path, int64_t size, std::string version = {})
      : path_(std::move(path)), size_(size), version_(std::move(version)) {}

  /// Fills `buffer` from `offset`; the range has already been checked to lie within the file.
  /// Backends return IOError (naming the path) when storage fails or the object shrank.
  virtual Status ReadWithinBounds(int64_t offset, std::span<std::byte> buffer) const = 0;

 private:
  const std::string path_;
  const int64_t size_;
  const std::string version_;
};

/// Writes one object sequentially; the object appears at its path only when Close succeeds.
///
/// Until then readers see the previous object at the path, if any. A stream destroyed or
/// aborted before Close leaves nothing at the path (local disk: a temporary file is removed;
/// S3: the multipart upload is aborted). Close replaces an existing object, as an S3 PUT does.
/// Not thread-safe: one writer per stream. Not copyable.
class OutputStream {
 public:
  OutputStream(const OutputStream&) = delete;
  OutputStream& operator=(const OutputStream&) = delete;
  /// Backends abort a stream that was neither closed nor aborted.
  virtual ~OutputStream() = default;

  const std::string& path() const { return path_; }

  /// Appends `bytes`. InvalidArgument after Close or Abort; IOError when storage fails.
  virtual Status Write(std::span<const std::byte> bytes) = 0;
  /// Returns the number of bytes written so far.
  virtual int64_t Tell() const = 0;
  /// Makes the written bytes visible at the path, durably when the backend promises it. A
  /// second Close is a no-op; Close after Abort is InvalidArgument. When Close fails nothing
  /// appears at the path and the stream is aborted.
  virtual Status Close() = 0;
  /// Discards everything written. A no-op after Close or a previous Abort.
  virtual Status Abort() = 0;

 protected:
  explicit OutputStream(std::string path) : path_(std::move(path)) {}

 private:
  const std::string path_;
};

/// Stores objects under string keys, with the semantics of object storage: flat keys, whole
/// objects written at once, listing by key prefix, deletes that ignore missing objects.
///
/// Paths are locations as Iceberg records them: a backend accepts its own forms ("s3://bucket/key",
/// "file:///dir/file", "/dir/file", "memory://key") and rejects others with InvalidArgument.
/// Errors: NotFound for a missing object, AlreadyExists from CreateExclusive, IOError when
/// storage fails, each message naming the path. Thread-safe; files and streams it opens may be
/// used from other threads than the one that opened them.
class FileSystem {
 public:
  FileSystem() = default;
  FileSystem(const FileSystem&) = delete;
  FileSystem& operator=(const FileSystem&) = delete;
  virtual ~FileSystem() = default;

  /// Opens an object for ranged reads; NotFound when it does not exist.
  virtual Result<std::unique_ptr<RandomAccessFile>> OpenInputFile(std::string_view path) = 0;
  /// Opens an object whose size the caller knows from metadata it trusts (Iceberg records the
  /// size of every data file, delete file and manifest), so that object storage need not be
  /// asked for it: no request is made until the first read. A `size` that is not the object's
  /// is a Corruption error (SizeMismatch) as soon as it shows: at open where knowing the size
  /// is free (this default opens the file and compares), else at the first read whose answer
  /// reveals the real size (S3: every ranged GET does). NotFound may likewise come at the
  /// first read. InvalidArgument for a negative size.
  virtual Result<std::unique_ptr<RandomAccessFile>> OpenInputFileOfSize(std::string_view path,
                                                                        int64_t size);
  /// Starts writing an object (see OutputStream for when it becomes visible).
  virtual Result<std::unique_ptr<OutputStream>> OpenOutputStream(std::string_view path) = 0;
  /// Writes a small object atomically if and only if nothing exists at `path`; AlreadyExists
  /// otherwise, leaving the existing object untouched. Of many concurrent calls on one path
  /// exactly one succeeds. Iceberg metadata commits rely on this (S3: PUT with If-None-Match).
  virtual Status CreateExclusive(std::string_view path, std::string_view bytes) = 0;
  /// Returns the whole object.
  virtual Result<std::string> ReadAll(std::string_view path);
  /// Returns the whole object, whose size the caller knows (see OpenInputFileOfSize).
  virtual Result<std::string> ReadAllOfSize(std::string_view path, int64_t size);
  /// Returns the size and modification time of an object; NotFound when it does not exist.
  virtual Result<FileInfo> Stat(std::string_view path) = 0;
  /// Returns every object whose path starts with `prefix` (a string prefix, not a directory:
  /// "data/fi" matches "data/file"), at any depth, sorted by path bytewise. A prefix that
  /// matches nothing gives an empty list. Paths come back in the form `prefix` was given.
  virtual Result<std::vector<FileInfo>> List(std::string_view prefix) = 0;
  /// Deletes an object; deleting a missing object succeeds, as in S3.
  virtual Status Delete(std::string_view path) = 0;
  /// Deletes many objects (S3 batches them); missing objects are not an error. Tries every path
  /// and returns the first error, with the number of failures, when any delete failed.
  virtual Status DeleteFiles(std::span<const std::string> paths);
  /// Returns whether an object exists at `path`.
  virtual Result<bool> Exists(std::string_view path);
};

/// Returns whether `status` is the Corruption of SizeMismatch (or of a read that found one).
bool IsSizeMismatch(const Status& status);

/// Opens an object with the size that table metadata records for it (OpenInputFileOfSize) and
/// reads its last bytes, which a Parquet or Puffin reader reads first anyway (with a read cache
/// in front, the block it fetches is the one the reader wants), so that a wrong size shows now.
/// Some writers record wrong sizes: tables written by other engines have them. Then the object
/// is opened again without the size and a warning is logged: a wrong size costs a request,
/// never wrong bytes. A recorded size below 1 means none was recorded.
Result<std::unique_ptr<RandomAccessFile>> OpenRecordedFile(FileSystem& file_system,
                                                           std::string_view path,
                                                           int64_t recorded_size);
/// Returns the whole object as OpenRecordedFile would read it (ReadAllOfSize, then ReadAll
/// with a warning when the recorded size is wrong).
Result<std::string> ReadRecordedFile(FileSystem& file_system, std::string_view path,
                                     int64_t recorded_size);

}  // namespace floe::io
