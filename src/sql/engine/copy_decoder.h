#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "format/compression/codec.h"
#include "sql/engine/result_text.h"

namespace floe::sql::engine {

/// How COPY reads and writes rows: PostgreSQL's text and CSV formats, newline-delimited JSON, or Parquet,
/// with the options of `COPY ... WITH (...)` (docs/sql.md, "COPY").
struct CopyFormat {
  enum class Kind : uint8_t { kText, kCsv, kJson, kParquet };

  Kind kind = Kind::kText;
  char delimiter = '\t';
  std::string null_text = "\\N";
  bool header = false;
  char quote = '"';
  char escape = '"';
  format::CompressionCodec codec = format::CompressionCodec::kZstd;
  std::optional<int> compression_level;
};

/// Splits COPY ... FROM data in the text or CSV format into rows of `columns` fields, as
/// PostgreSQL reads them: text-format escapes and `\.`, CSV quoting across lines, NULL spelled
/// as the format's null string, and the header line skipped. Data arrives in chunks of any size.
/// Errors are PostgreSQL's 22P04 (bad copy file format) with the line number in the detail.
class CopyRowDecoder {
 public:
  CopyRowDecoder(const CopyFormat& format, std::vector<std::string> column_names);

  /// Takes the next chunk of data and appends the rows it completes to `rows`.
  Status Feed(std::string_view chunk, std::vector<TextRow>& rows);
  /// Ends the data: a last line without a line break is a row too.
  Status Finish(std::vector<TextRow>& rows);

 private:
  Status DecodeRecord(std::string_view record, std::vector<TextRow>& rows);
  Status SplitText(std::string_view record, TextRow& row) const;
  Status SplitCsv(std::string_view record, TextRow& row) const;
  Status Fail(std::string message) const;

  CopyFormat format_;
  std::vector<std::string> column_names_;
  std::string pending_;     // Data of records not yet complete.
  size_t scanned_ = 0;      // How far pending_ has been searched for a record's end.
  bool in_quotes_ = false;  // CSV: the scan stopped inside a quoted field.
  int64_t line_ = 0;        // Lines consumed, for error messages.
  bool header_skipped_ = false;
  bool is_finished_ = false;  // The text format's end marker `\.` was seen.
};

}  // namespace floe::sql::engine
