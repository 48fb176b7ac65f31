#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace floe::catalog {

/// The SQL dialects a metastore speaks; statements differ by dialect only where they must.
enum class SqlDialect : unsigned char { kSqlite, kPostgres };

/// One parameter or column value, in its text form; std::nullopt is SQL NULL.
using SqlValue = std::optional<std::string>;
using SqlRow = std::vector<SqlValue>;

/// What a transaction may do. A write transaction takes the database's write lock at once
/// (SQLite: BEGIN IMMEDIATE), so that a read followed by a write in it never deadlocks.
enum class TransactionMode : unsigned char { kRead, kWrite };

/// One connection to a metastore database: the only seam between the metastore and a database
/// client library. Statements take parameters $1, $2, ... bound by value, never spliced into
/// the text. Not thread-safe: one thread uses a connection at a time (ConnectionPool ensures it).
///
/// Errors: AlreadyExists for a unique-key violation, Conflict for a serialization failure,
/// Unavailable when the database cannot be reached or stays locked, Internal otherwise.
class SqlConnection {
 public:
  SqlConnection() = default;
  SqlConnection(const SqlConnection&) = delete;
  SqlConnection& operator=(const SqlConnection&) = delete;
  virtual ~SqlConnection() = default;

  virtual SqlDialect dialect() const = 0;

  /// Runs one statement and returns how many rows it inserted, updated or deleted.
  virtual Result<int64_t> Execute(std::string_view sql, std::span<const SqlValue> parameters) = 0;
  /// Runs one query and returns its rows, every column as text.
  virtual Result<std::vector<SqlRow>> Query(std::string_view sql,
                                            std::span<const SqlValue> parameters) = 0;
  /// Runs several statements separated by semicolons, without parameters (migrations).
  virtual Status ExecuteScript(std::string_view sql) = 0;

  virtual Status Begin(TransactionMode mode) = 0;
  virtual Status Commit() = 0;
  /// Ends the open transaction without its changes; harmless when none is open.
  virtual Status Rollback() = 0;

  /// Returns true once the connection is known to be unusable, so that its owner replaces it.
  virtual bool IsBroken() const = 0;
};

/// Opens a new connection; called by a ConnectionPool whenever it needs one more.
using SqlConnectionFactory = std::function<Result<std::unique_ptr<SqlConnection>>()>;

}  // namespace floe::catalog

namespace floe::catalog {

/// Runs `body` in a transaction on `connection`: commits when it returns OK, rolls back and
/// returns its error otherwise.
Status RunInTransaction(SqlConnection& connection, TransactionMode mode,
                        const std::function<Status()>& body);

}  // namespace floe::catalog
