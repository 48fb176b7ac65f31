#include "catalog/postgres/postgres_connection.h"

#include <charconv>
#include <string_view>

#include <libpq-fe.h>

namespace floe::catalog {
namespace {

// Bounds how long opening a connection waits on an unresponsive host; a URI may override it.
constexpr const char* kConnectTimeoutSeconds = "10";

// Owns one PGresult and clears it on every path.
class QueryResult {
 public:
  explicit QueryResult(PGresult* result) : result_(result) {}
  QueryResult(const QueryResult&) = delete;
  QueryResult& operator=(const QueryResult&) = delete;
  ~QueryResult() { PQclear(result_); }
  PGresult* get() const { return result_; }

 private:
  PGresult* result_;
};

// Replaces every occurrence of the password in a message from the server or from libpq.
std::string Scrub(std::string message, const std::string& password) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) {
    message.pop_back();
  }
  if (password.empty()) {
    return message;
  }
  for (size_t at = message.find(password); at != std::string::npos;
       at = message.find(password, at)) {
    message.replace(at, password.size(), "***");
  }
  return message;
}

Result<std::string> PasswordOf(const std::string& uri) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return Status::InvalidArgument("malformed PostgreSQL connection URI");
  }
  std::string password;
  for (PQconninfoOption* option = options; option->keyword != nullptr; ++option) {
    if (std::string_view(option->keyword) == "password" && option->val != nullptr) {
      password = option->val;
    }
  }
  PQconninfoFree(options);
  return password;
}

void IgnoreNotice(void*, const char*) {}

class PostgresConnection final : public SqlConnection {
 public:
  PostgresConnection(PGconn* connection, std::string password)
      : connection_(connection), password_(std::move(password)) {}
  ~PostgresConnection() override { PQfinish(connection_); }

  SqlDialect dialect() const override { return SqlDialect::kPostgres; }

  Result<int64_t> Execute(std::string_view sql, std::span<const SqlValue> parameters) override {
    FLOE_ASSIGN_OR_RETURN(auto result, Run(sql, parameters));
    std::string_view count = PQcmdTuples(result->get());
    int64_t changed = 0;
    std::from_chars(count.data(), count.data() + count.size(), changed);
    return changed;
  }

  Result<std::vector<SqlRow>> Query(std::string_view sql,
                                    std::span<const SqlValue> parameters) override {
    FLOE_ASSIGN_OR_RETURN(auto result, Run(sql, parameters));
    std::vector<SqlRow> rows;
    int num_rows = PQntuples(result->get());
    int num_columns = PQnfields(result->get());
    rows.reserve(num_rows);
    for (int row = 0; row < num_rows; ++row) {
      SqlRow values;
      values.reserve(num_columns);
      for (int column = 0; column < num_columns; ++column) {
        if (PQgetisnull(result->get(), row, column)) {
          values.emplace_back(std::nullopt);
        } else {
          values.emplace_back(std::string(PQgetvalue(result->get(), row, column),
                                          PQgetlength(result->get(), row, column)));
        }
      }
      rows.push_back(std::move(values));
    }
    return rows;
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string text(sql);
    QueryResult result(PQexec(connection_, text.c_str()));
    return Check(result.get(), "script");
  }

  Status Begin(TransactionMode mode) override {
    // A read sees one snapshot throughout, so that a namespace and its properties agree.
    return ExecuteScript(mode == TransactionMode::kWrite
                             ? "BEGIN"
                             : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  }
  Status Commit() override { return ExecuteScript("COMMIT"); }
  Status Rollback() override {
    if (PQtransactionStatus(connection_) == PQTRANS_IDLE || IsBroken()) {
      return Status::OK();
    }
    Status status = ExecuteScript("ROLLBACK");
    // A connection left inside a transaction must not serve another caller.
    is_broken_ = is_broken_ || !status.ok();
    return status;
  }

  bool IsBroken() const override { return is_broken_ || PQstatus(connection_) != CONNECTION_OK; }

 private:
  Result<std::unique_ptr<QueryResult>> Run(std::string_view sql,
                                           std::span<const SqlValue> parameters) {
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const SqlValue& parameter : parameters) {
      values.push_back(parameter ? parameter->c_str() : nullptr);
    }
    std::string text(sql);
    auto result = std::make_unique<QueryResult>(
        PQexecParams(connection_, text.c_str(), static_cast<int>(values.size()), nullptr,
                     values.data(), nullptr, nullptr, 0));
    FLOE_RETURN_NOT_OK(Check(result->get(), "statement"));
    return result;
  }

  Status Check(PGresult* result, std::string_view action) {
    ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      return Status::OK();
    }
    const char* field = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    std::string_view sql_state = field ? field : "";
    std::string message = Scrub(PQerrorMessage(connection_), password_);
    if (sql_state == "23505") {
      return Status::AlreadyExists("metastore {}: {}", action, message);
    }
    if (sql_state == "40001" || sql_state == "40P01") {
      return Status::Conflict("metastore {}: {}", action, message);
    }
    if (sql_state.empty() || sql_state.starts_with("08") || sql_state.starts_with("57P")) {
      // No SQLSTATE means libpq itself failed; 08 and 57P mean the server closed the connection.
      is_broken_ = true;
      return Status::Unavailable("metastore {}: {}", action, message);
    }
    return Status::Internal("metastore {}: {}", action, message);
  }

  PGconn* connection_;
  std::string password_;
  bool is_broken_ = false;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> OpenPostgresConnection(const std::string& uri) {
  FLOE_ASSIGN_OR_RETURN(std::string password, PasswordOf(uri));
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {kConnectTimeoutSeconds, "floe", uri.c_str(), nullptr};
  PGconn* raw = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  auto connection = std::make_unique<PostgresConnection>(raw, password);
  if (raw == nullptr) {
    return Status::ResourceExhausted("cannot allocate a PostgreSQL connection");
  }
  if (PQstatus(raw) != CONNECTION_OK) {
    return Status::Unavailable("cannot connect to the PostgreSQL metastore: {}",
                               Scrub(PQerrorMessage(raw), password));
  }
  PQsetNoticeProcessor(raw, IgnoreNotice, nullptr);
  return std::unique_ptr<SqlConnection>(std::move(connection));
}

}  // namespace floe::catalog
