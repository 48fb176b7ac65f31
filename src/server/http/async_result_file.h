#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "server/sql_service.h"
#include "vector/batch.h"

namespace floe::server::http {

/// Writes the result of an asynchronous query to local disk in Floe's result file format
/// (docs/formats/async-results.md): checksummed blocks of column buffers, then a footer with the
/// schema and a block index, so that a page is read without reading the rest. Writes to
/// `<path>.part` and renames it to `path` in Finish(), so that a file under its final name is
/// always complete; destroying an unfinished writer removes the partial file. Not thread-safe.
class AsyncResultWriter {
 public:
  /// Creates `<path>.part`; IOError naming it when that fails.
  static Result<std::unique_ptr<AsyncResultWriter>> Create(std::string path);
  AsyncResultWriter(const AsyncResultWriter&) = delete;
  AsyncResultWriter& operator=(const AsyncResultWriter&) = delete;
  ~AsyncResultWriter();

  /// Returns `batch` encoded as a block, ready for Append(); ResourceExhausted when flattening a
  /// dictionary or constant vector runs out of memory.
  static Result<std::string> EncodeBlock(const vector::Batch& batch);
  /// Appends a block from EncodeBlock() holding `num_rows` rows.
  Status Append(std::string_view block, int64_t num_rows);
  /// Writes the footer, syncs the file to disk and moves it to its final name.
  Status Finish(const std::vector<ColumnInfo>& columns, std::string_view command_tag);

  /// Bytes written so far.
  int64_t bytes() const { return bytes_; }

 private:
  AsyncResultWriter(std::string path, std::FILE* file) : path_(std::move(path)), file_(file) {}
  Status Write(std::string_view bytes);

  std::string path_;
  std::FILE* file_;
  bool is_finished_ = false;
  int64_t bytes_ = 0;
  int64_t num_rows_ = 0;
  std::vector<std::pair<int64_t, int64_t>> blocks_;  // File offset and rows of each block.
};

/// Reads a file written by AsyncResultWriter, one block at a time. Every block's checksum and
/// layout is checked before its rows are used: a damaged file gives Corruption naming it, never
/// wrong rows. Not thread-safe; the file may be deleted while a reader has it open.
class AsyncResultReader {
 public:
  /// Opens `path` and reads its footer. NotFound when the file is missing, Corruption when it
  /// is not a complete result file.
  static Result<std::unique_ptr<AsyncResultReader>> Open(const std::string& path);
  AsyncResultReader(const AsyncResultReader&) = delete;
  AsyncResultReader& operator=(const AsyncResultReader&) = delete;
  ~AsyncResultReader();

  const std::vector<ColumnInfo>& columns() const { return columns_; }
  const std::string& command_tag() const { return command_tag_; }
  int64_t num_rows() const { return num_rows_; }

  /// Starts reading rows [offset, offset + limit), clamped to the result.
  void Seek(int64_t offset, int64_t limit);
  /// Returns the next part of the rows asked for by Seek(), or nullopt after the last.
  Result<std::optional<vector::Batch>> Next();

 private:
  struct Block {
    int64_t offset = 0;
    int64_t first_row = 0;
    int64_t num_rows = 0;
  };

  AsyncResultReader(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  Status ReadFooter();
  Result<std::string> ReadFramed(int64_t offset, int64_t max_size);
  Result<vector::Batch> ReadBlock(const Block& block);

  std::string path_;
  int fd_;
  int64_t file_size_ = 0;
  std::vector<ColumnInfo> columns_;
  std::shared_ptr<const vector::Schema> schema_;
  std::string command_tag_;
  int64_t num_rows_ = 0;
  std::vector<Block> blocks_;
  // What Next() still has to return.
  int64_t next_row_ = 0;
  int64_t end_row_ = 0;
};

}  // namespace floe::server::http
