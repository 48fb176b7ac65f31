#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "types/logical_type.h"
#include "types/value.h"
#include "vector/batch.h"

namespace floe::sql::engine {
class CopyInput;
}  // namespace floe::sql::engine

namespace floe::server {

/// One column of a statement's result, as the protocols describe it.
struct ColumnInfo {
  std::string name{};
  types::LogicalType type{};
};

/// The rows of one statement, pulled batch by batch. Not thread-safe.
class StatementResult {
 public:
  StatementResult() = default;
  StatementResult(const StatementResult&) = delete;
  StatementResult& operator=(const StatementResult&) = delete;
  virtual ~StatementResult() = default;

  /// True when the statement returns rows (even none); false for a command.
  virtual bool has_rows() const = 0;
  virtual const std::vector<ColumnInfo>& columns() const = 0;
  /// Returns the next batch, nullopt at the end; errors end the result.
  virtual Result<std::optional<vector::Batch>> Next() = 0;
  /// NOTICE messages the statement raised, to send before its result.
  virtual const std::vector<std::string>& notices() const = 0;
  /// The PostgreSQL command tag ("SELECT 3", "CREATE TABLE"); final once Next() returned nullopt.
  virtual std::string command_tag() const = 0;
  /// For COPY ... TO STDOUT, the number of columns of the data, whose rows then come as one
  /// VARCHAR column of ready-made COPY lines; -1 for every other statement.
  virtual int64_t copy_out_columns() const { return -1; }
};

/// What the extended query protocol learns about a statement before running it.
struct PreparedInfo {
  std::vector<types::LogicalType> parameter_types{};
  std::vector<ColumnInfo> columns{};
  bool has_rows = false;
};

/// One client's SQL session. Not thread-safe, except Cancel(), which any thread may call.
/// Errors carry a SQLSTATE and, where known, a position in the statement text.
class SqlSession {
 public:
  SqlSession() = default;
  SqlSession(const SqlSession&) = delete;
  SqlSession& operator=(const SqlSession&) = delete;
  virtual ~SqlSession() = default;

  /// Runs the statements of `sql` one after the other, handing each result to `consume`
  /// before the next starts; stops at the first error.
  virtual Status ExecuteEach(std::string_view sql,
                             const std::function<Status(StatementResult& result)>& consume) = 0;
  /// Runs one statement with `$n` parameters.
  virtual Result<std::unique_ptr<StatementResult>> Execute(
      std::string_view sql, std::span<const types::Value> parameters) = 0;
  virtual Result<PreparedInfo> Prepare(const std::string& name, std::string_view sql,
                                       std::span<const types::LogicalType> parameter_types) = 0;
  virtual Result<PreparedInfo> Describe(const std::string& name) = 0;
  virtual Result<std::unique_ptr<StatementResult>> ExecutePrepared(
      const std::string& name, std::span<const types::Value> parameters) = 0;
  virtual void Deallocate(const std::string& name) = 0;
  /// Tells the session that the client may have seen its progress (output was sent): a
  /// prepared statement executed later binds its names again instead of reusing what Prepare
  /// bound, so that it sees what was committed meanwhile.
  virtual void ExpireBindings() {}
  virtual void Cancel() = 0;
  /// True inside BEGIN ... COMMIT.
  virtual bool in_transaction_block() const = 0;
  /// Lets COPY ... FROM STDIN read the client's data from `input` (null: it cannot).
  virtual void SetCopyInput(sql::engine::CopyInput* input) = 0;
  /// Sets a run-time parameter (application_name, statement_timeout...) as SET would.
  virtual Status SetParameter(std::string_view name, std::string_view value) = 0;
  virtual Result<std::string> GetParameter(std::string_view name) const = 0;
};

/// The SQL engine as the servers see it. Thread-safe.
class SqlService {
 public:
  SqlService() = default;
  SqlService(const SqlService&) = delete;
  SqlService& operator=(const SqlService&) = delete;
  virtual ~SqlService() = default;

  /// Opens a session for an authenticated user on `database`; NotFound (3D000) for a database
  /// that does not exist.
  virtual Result<std::unique_ptr<SqlSession>> Connect(const std::string& user,
                                                      const std::string& database) = 0;
  /// Returns OK when the metastore and the warehouse answer; for /health/ready.
  virtual Status CheckReady() = 0;
};

}  // namespace floe::server
