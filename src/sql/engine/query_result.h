#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "types/logical_type.h"
#include "vector/batch.h"

namespace floe::sql::engine {

/// One column of a statement's result.
struct ResultColumn {
  std::string name;
  types::LogicalType type;
};

/// Produces a statement's result batches one at a time. Not thread-safe.
class BatchStream {
 public:
  BatchStream() = default;
  BatchStream(const BatchStream&) = delete;
  BatchStream& operator=(const BatchStream&) = delete;
  virtual ~BatchStream() = default;
  /// Returns the next batch, or nullopt at the end; errors end the stream.
  virtual Result<std::optional<vector::Batch>> Next() = 0;
};

/// The outcome of one statement: its result columns (none for a command), a pull-style stream of
/// batches, and the command tag PostgreSQL would send in CommandComplete ("SELECT 3",
/// "INSERT 0 5", "CREATE TABLE", "SET").
///
/// For a statement returning rows, the tag counts the rows pulled so far: it is final once
/// Next() has returned nullopt. Movable, not copyable; not thread-safe.
class QueryResult {
 public:
  QueryResult() = default;
  /// A result without rows: `tag` is final.
  static QueryResult Command(std::string tag);
  /// A result with rows. `tag_prefix` is "SELECT" (the tag becomes "SELECT <rows>") or empty
  /// for statements whose tag is just the prefix ("SHOW" sends "SHOW").
  static QueryResult Rows(std::vector<ResultColumn> columns, std::unique_ptr<BatchStream> stream,
                          std::string tag_prefix = "SELECT");
  /// A result with rows already computed.
  static QueryResult Materialized(std::vector<ResultColumn> columns,
                                  std::vector<vector::Batch> batches,
                                  std::string tag_prefix = "SELECT");
  /// The result of COPY ... TO STDOUT: each row of `lines` is one line of COPY data (with its
  /// newline) in a single VARCHAR column, for data of `data_columns` columns. When
  /// `has_header`, the first line is the header, which the tag "COPY <rows>" does not count.
  static QueryResult CopyOut(int64_t data_columns, bool has_header,
                             std::unique_ptr<BatchStream> lines);

  const std::vector<ResultColumn>& columns() const { return columns_; }
  /// True when the statement returns rows (SELECT, VALUES, SHOW, EXPLAIN), even zero of them.
  bool has_rows() const { return stream_ != nullptr; }
  /// Returns the command tag; see the class comment.
  std::string command_tag() const;
  int64_t rows_returned() const { return rows_returned_; }
  /// For COPY ... TO STDOUT, the number of columns of the data (see CopyOut); -1 otherwise.
  int64_t copy_out_columns() const { return copy_out_columns_; }

  /// What the statement told the client on the side, as PostgreSQL's NOTICE messages do
  /// ("table \"t\" does not exist, skipping"); the protocols send them before the result.
  const std::vector<std::string>& notices() const { return notices_; }
  void AddNotice(std::string message) { notices_.push_back(std::move(message)); }

  /// Returns the next batch, or nullopt at the end (at once for a command).
  Result<std::optional<vector::Batch>> Next();
  /// Pulls every remaining batch.
  Result<std::vector<vector::Batch>> FetchAll();

 private:
  std::vector<ResultColumn> columns_;
  std::unique_ptr<BatchStream> stream_;
  std::string tag_prefix_;
  bool counts_rows_ = false;
  int64_t rows_returned_ = 0;
  int64_t copy_out_columns_ = -1;
  bool has_copy_header_ = false;
  std::vector<std::string> notices_;
};

/// A stream over batches computed beforehand.
class MaterializedStream final : public BatchStream {
 public:
  explicit MaterializedStream(std::vector<vector::Batch> batches) : batches_(std::move(batches)) {}
  Result<std::optional<vector::Batch>> Next() override;

 private:
  std::vector<vector::Batch> batches_;
  size_t next_ = 0;
};

}  // namespace floe::sql::engine
