#include "catalog/sqlite/sqlite_connection.h"

#include <filesystem>
#include <string_view>
#include <system_error>

#include <sqlite3.h>

namespace floe::catalog {
namespace {

// Long enough to ride out other processes' commits (milliseconds each), short enough that a
// stuck writer is reported instead of hanging a request.
constexpr int kBusyTimeoutMilliseconds = 30000;

Status ErrorOf(sqlite3* database, int code, std::string_view action) {
  std::string_view detail = database ? sqlite3_errmsg(database) : sqlite3_errstr(code);
  switch (code & 0xff) {
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status::AlreadyExists("metastore {}: {}", action, detail);
      }
      return Status::InvalidArgument("metastore {}: {}", action, detail);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable("metastore {}: database stayed locked: {}", action, detail);
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
      return Status::Unavailable("metastore {}: {}", action, detail);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::Corruption("metastore {}: {}", action, detail);
    default:
      return Status::Internal("metastore {}: {}", action, detail);
  }
}

// Owns one prepared statement and finalizes it on every path.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* statement) : statement_(statement) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(statement_); }
  sqlite3_stmt* get() const { return statement_; }

 private:
  sqlite3_stmt* statement_;
};

class SqliteConnection final : public SqlConnection {
 public:
  explicit SqliteConnection(sqlite3* database) : database_(database) {}
  ~SqliteConnection() override { sqlite3_close_v2(database_); }

  SqlDialect dialect() const override { return SqlDialect::kSqlite; }

  Result<int64_t> Execute(std::string_view sql, std::span<const SqlValue> parameters) override {
    FLOE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows, Run(sql, parameters));
    return static_cast<int64_t>(sqlite3_changes64(database_));
  }

  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    std::span<const SqlValue> parameters) override {
    return Run(sql, parameters);
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string text(sql);
    int code = sqlite3_exec(database_, text.c_str(), nullptr, nullptr, nullptr);
    return code == SQLITE_OK ? Status::OK() : ErrorOf(database_, code, "script");
  }

  Status Begin(TransactionMode mode) override {
    return ExecuteScript(mode == TransactionMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  Status Rollback() override {
    if (sqlite3_get_autocommit(database_)) {
      return Status::OK();
    }
    Status status = ExecuteScript("ROLLBACK");
    // A connection left inside a transaction must not serve another caller.
    is_broken_ = !status.ok();
    return status;
  }

  // A SQLite connection is a file handle: it breaks only when it cannot leave a transaction.
  bool IsBroken() const override { return is_broken_; }

 private:
  Result<std::vector<SqlRow>> Run(std::string_view sql, std::span<const SqlValue> parameters) {
    sqlite3_stmt* raw = nullptr;
    int code =
        sqlite3_prepare_v2(database_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    Statement statement(raw);
    if (code != SQLITE_OK) {
      return ErrorOf(database_, code, "prepare");
    }
    FLOE_RETURN_NOT_OK(Bind(statement.get(), parameters));
    std::vector<SqlRow> rows;
    while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
      rows.push_back(ReadRow(statement.get()));
    }
    if (code != SQLITE_DONE) {
      return ErrorOf(database_, code, "statement");
    }
    return rows;
  }

  // Parameters are written $1, $2... in both dialects; SQLite treats each as a named parameter.
  Status Bind(sqlite3_stmt* statement, std::span<const SqlValue> parameters) {
    for (size_t index = 0; index < parameters.size(); ++index) {
      std::string name = "$" + std::to_string(index + 1);
      int position = sqlite3_bind_parameter_index(statement, name.c_str());
      if (position == 0) {
        continue;
      }
      const SqlValue& value = parameters[index];
      int code = value ? sqlite3_bind_text64(statement, position, value->data(), value->size(),
                                             SQLITE_TRANSIENT, SQLITE_UTF8)
                       : sqlite3_bind_null(statement, position);
      if (code != SQLITE_OK) {
        return ErrorOf(database_, code, "bind");
      }
    }
    return Status::OK();
  }

  static SqlRow ReadRow(sqlite3_stmt* statement) {
    int count = sqlite3_column_count(statement);
    SqlRow row;
    row.reserve(count);
    for (int column = 0; column < count; ++column) {
      const unsigned char* text = sqlite3_column_text(statement, column);
      if (text == nullptr) {
        row.emplace_back(std::nullopt);
        continue;
      }
      int size = sqlite3_column_bytes(statement, column);
      row.emplace_back(std::string(reinterpret_cast<const char*>(text), size));
    }
    return row;
  }

  sqlite3* database_;
  bool is_broken_ = false;
};

Status PrepareFolder(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) {
    return Status::OK();
  }
  std::error_code error;
  std::filesystem::create_directories(parent, error);
  if (error) {
    return Status::Unavailable("cannot create metastore folder {}: {}", parent.string(),
                               error.message());
  }
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<SqlConnection>> OpenSqliteConnection(const std::string& path) {
  bool is_memory = path == ":memory:";
  if (!is_memory) {
    FLOE_RETURN_NOT_OK(PrepareFolder(path));
  }
  sqlite3* database = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int code = sqlite3_open_v2(path.c_str(), &database, flags, nullptr);
  auto connection = std::make_unique<SqliteConnection>(database);
  if (code != SQLITE_OK) {
    return ErrorOf(database, code, "open " + path);
  }
  sqlite3_extended_result_codes(database, 1);
  sqlite3_busy_timeout(database, kBusyTimeoutMilliseconds);
  if (!is_memory) {
    FLOE_RETURN_NOT_OK(connection->ExecuteScript("PRAGMA journal_mode=WAL"));
  }
  // FULL keeps every acknowledged commit across a power loss, which WAL's NORMAL does not.
  FLOE_RETURN_NOT_OK(connection->ExecuteScript("PRAGMA synchronous=FULL"));
  return std::unique_ptr<SqlConnection>(std::move(connection));
}

}  // namespace floe::catalog
