#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "io/file_system_registry.h"
#include "sql/engine/copy_decoder.h"
#include "sql/engine/query_result.h"
#include "sql/parser/ast.h"

namespace floe::sql::engine {

/// Reads COPY's options. Without FORMAT, a file name ending in .parquet, .csv, .json, .jsonl or
/// .ndjson picks the format (as DuckDB does); otherwise it is PostgreSQL's text format. Errors
/// follow PostgreSQL: an unknown option is 42601, a bad value 22023, BINARY is 0A000.
Result<CopyFormat> ParseCopyFormat(const std::vector<parser::Option>& options,
                                   std::string_view file);

/// Renders rows in COPY's text or CSV format, one line each with its newline.
class CopyTextEncoder {
 public:
  explicit CopyTextEncoder(const CopyFormat& format) : format_(format) {}

  /// Appends the header line (the column names) to `out`.
  void AppendHeader(const std::vector<ResultColumn>& columns, std::string& out) const;
  /// Appends one row to `out`.
  void AppendRow(const TextRow& row, std::string& out) const;

 private:
  void AppendField(std::string_view value, std::string& out) const;

  const CopyFormat& format_;
};

/// Where COPY ... FROM STDIN reads: the client's data, pulled while the statement runs.
class CopyInput {
 public:
  CopyInput() = default;
  CopyInput(const CopyInput&) = delete;
  CopyInput& operator=(const CopyInput&) = delete;
  virtual ~CopyInput() = default;
  /// Asks the client to start sending data of `columns` columns in the text formats.
  virtual Status Begin(int64_t columns) = 0;
  /// Returns the next chunk, or nullopt once the client says the data is complete. A client
  /// that gives up ends the copy with an error.
  virtual Result<std::optional<std::string>> Read() = 0;
};

/// Writes every row of `rows` to `path` (any location the registry serves) in `format` and
/// returns the number of rows. The file appears only when every row was written: after an
/// error nothing is left at `path`.
Result<int64_t> CopyToFile(QueryResult& rows, const CopyFormat& format,
                           io::FileSystemRegistry& file_systems, const std::string& path,
                           MemoryTracker* tracker);

/// Turns `rows` into the result of COPY ... TO STDOUT (QueryResult::CopyOut): its rows rendered
/// as lines in `format`, which must be text, CSV or JSON (Parquet is 0A000 on a stream).
Result<QueryResult> CopyToStdout(QueryResult rows, const CopyFormat& format);

}  // namespace floe::sql::engine
