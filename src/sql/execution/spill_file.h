#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/result.h"
#include "common/thread_annotations.h"
#include "types/logical_type.h"
#include "vector/vector.h"

namespace floe::sql::execution {

/// The type a column of spilled rows is written as: REAL and DOUBLE travel as integers of their
/// width, because the row-key encoding spilled rows use folds -0 into 0 and every NaN into one,
/// which would change the values a sort or a join returns.
types::LogicalType SpillColumnType(const types::LogicalType& type);

/// Returns flat `column` read as `type` of the same width, sharing its buffers: to its
/// SpillColumnType before writing, and back after reading.
Result<vector::Vector> RetypeFlat(const vector::Vector& column, const types::LogicalType& type);

/// Bytes and files a query wrote to its spill folder (EXPLAIN ANALYZE, /metrics).
struct SpillCounters {
  std::atomic<int64_t> bytes{0};
  std::atomic<int64_t> files{0};
};

/// Returns the process-wide spill totals since start (what /metrics reports).
SpillCounters& ProcessSpillCounters();

/// A finished spill file, deleted from disk when this object is destroyed. Movable.
class SpillFile {
 public:
  SpillFile() = default;
  SpillFile(std::string path, int64_t size) : path_(std::move(path)), size_(size) {}
  SpillFile(SpillFile&& other) noexcept;
  SpillFile& operator=(SpillFile&& other) noexcept;
  SpillFile(const SpillFile&) = delete;
  SpillFile& operator=(const SpillFile&) = delete;
  ~SpillFile();

  const std::string& path() const { return path_; }
  int64_t size() const { return size_; }

 private:
  void Remove();

  std::string path_;
  int64_t size_ = 0;
};

/// Appends bytes to a new spill file through a buffer (kBufferSize bytes, not charged to the
/// query's budget: it is what lets the operators give their budget back). Not thread-safe.
class SpillWriter {
 public:
  static constexpr size_t kBufferSize = 64 * 1024;

  SpillWriter(int fd, std::string path, SpillCounters* query_counters);
  SpillWriter(const SpillWriter&) = delete;
  SpillWriter& operator=(const SpillWriter&) = delete;
  /// Closes and deletes the file unless Finish() handed it over.
  ~SpillWriter();

  Status Append(const void* data, size_t size) {
    if (size <= kBufferSize - buffer_.size()) [[likely]] {
      const auto* bytes = static_cast<const uint8_t*>(data);
      buffer_.insert(buffer_.end(), bytes, bytes + size);
      return Status::OK();
    }
    return AppendSlow(data, size);
  }
  template <typename T>
  Status AppendValue(const T& value) {
    return Append(&value, sizeof(T));
  }
  /// Bytes appended so far.
  int64_t size() const { return written_ + static_cast<int64_t>(buffer_.size()); }
  /// Flushes and closes the file; IOError when the disk refuses the bytes.
  Result<SpillFile> Finish();

 private:
  Status AppendSlow(const void* data, size_t size);
  Status Flush();

  int fd_;
  std::string path_;
  SpillCounters* query_counters_;
  std::vector<uint8_t> buffer_;
  int64_t written_ = 0;
};

/// Reads a spill file back from its start through a buffer. Not thread-safe.
class SpillReader {
 public:
  /// Opens `file`; IOError when it cannot be read.
  static Result<std::unique_ptr<SpillReader>> Open(const SpillFile& file);
  SpillReader(const SpillReader&) = delete;
  SpillReader& operator=(const SpillReader&) = delete;
  ~SpillReader();

  /// True once every byte was read.
  bool AtEnd() const { return position_ == buffer_.size() && remaining_ == 0; }
  /// Reads exactly `size` bytes; Corruption when the file ends first.
  Status Read(void* data, size_t size) {
    if (size <= buffer_.size() - position_) [[likely]] {
      std::memcpy(data, buffer_.data() + position_, size);
      position_ += size;
      return Status::OK();
    }
    return ReadSlow(data, size);
  }
  template <typename T>
  Status ReadValue(T& value) {
    return Read(&value, sizeof(T));
  }

 private:
  SpillReader(int fd, std::string path, int64_t size);
  Status ReadSlow(void* data, size_t size);
  Status Fill();

  int fd_;
  std::string path_;
  int64_t remaining_;
  std::vector<uint8_t> buffer_;
  size_t position_ = 0;
};

/// The spill folder of one query: `<temp directory>/floe-spill-<pid>-<n>`, made when the first
/// file is created and removed with everything in it when this object is destroyed (the query
/// ended or failed). Thread-safe.
class SpillDirectory {
 public:
  /// `temp_directory` is the configured engine.temp_directory (made when missing).
  explicit SpillDirectory(std::string temp_directory);
  SpillDirectory(const SpillDirectory&) = delete;
  SpillDirectory& operator=(const SpillDirectory&) = delete;
  ~SpillDirectory();

  /// Starts a new spill file; IOError naming the folder when it cannot be made or written.
  Result<std::unique_ptr<SpillWriter>> CreateFile();

  const SpillCounters& counters() const { return counters_; }

 private:
  Status EnsureFolder();

  const std::string temp_directory_;
  std::mutex mutex_;
  std::string folder_ FLOE_GUARDED_BY(mutex_);
  std::atomic<int64_t> next_file_{0};
  SpillCounters counters_;
};

}  // namespace floe::sql::execution
