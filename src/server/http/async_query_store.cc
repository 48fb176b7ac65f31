#include "server/http/async_query_store.h"

#include <charconv>
#include <chrono>

#include "catalog/metastore.h"
#include "common/logging.h"

namespace floe::server::http {
namespace {

using catalog::PooledConnection;
using catalog::SqlRow;
using catalog::SqlValue;

// Portable types (TEXT, BIGINT milliseconds since the epoch), so that one code path reads both
// backends; the expiry index serves the periodic sweep, the server index the restart.
constexpr std::string_view kAsyncQueriesTable = R"sql(
CREATE TABLE async_queries (
  query_id TEXT NOT NULL PRIMARY KEY,
  user_name TEXT NOT NULL,
  sql_text TEXT NOT NULL,
  state TEXT NOT NULL
    CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  server_id TEXT NOT NULL,
  server_host TEXT NOT NULL,
  error_code TEXT,
  error_sqlstate TEXT,
  error_message TEXT,
  command_tag TEXT,
  columns_json TEXT,
  row_count BIGINT NOT NULL DEFAULT 0,
  result_bytes BIGINT NOT NULL DEFAULT 0,
  submitted_at_ms BIGINT NOT NULL,
  started_at_ms BIGINT NOT NULL DEFAULT 0,
  finished_at_ms BIGINT NOT NULL DEFAULT 0,
  expires_at_ms BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX async_queries_by_server ON async_queries (server_id, state);
CREATE INDEX async_queries_by_expiry ON async_queries (expires_at_ms);
)sql";

constexpr std::string_view kSelectRecord =
    "SELECT query_id, user_name, sql_text, state, server_id, server_host, error_code, "
    "error_sqlstate, error_message, command_tag, columns_json, row_count, result_bytes, "
    "submitted_at_ms, started_at_ms, finished_at_ms, expires_at_ms FROM async_queries";

int64_t NumberOf(const SqlValue& value) {
  int64_t number = 0;
  if (value.has_value()) {
    std::from_chars(value->data(), value->data() + value->size(), number);
  }
  return number;
}

SqlValue TextOrNull(const std::string& text) {
  return text.empty() ? SqlValue() : SqlValue(text);
}

AsyncQueryRecord RecordOf(const SqlRow& row) {
  AsyncQueryRecord record;
  record.id = row[0].value_or("");
  record.user = row[1].value_or("");
  record.sql = row[2].value_or("");
  record.state = row[3].value_or("");
  record.server_id = row[4].value_or("");
  record.server_host = row[5].value_or("");
  record.error_code = row[6].value_or("");
  record.error_sqlstate = row[7].value_or("");
  record.error_message = row[8].value_or("");
  record.command_tag = row[9].value_or("");
  record.columns_json = row[10].value_or("");
  record.row_count = NumberOf(row[11]);
  record.result_bytes = NumberOf(row[12]);
  record.submitted_at_ms = NumberOf(row[13]);
  record.started_at_ms = NumberOf(row[14]);
  record.finished_at_ms = NumberOf(row[15]);
  record.expires_at_ms = NumberOf(row[16]);
  return record;
}

}  // namespace

catalog::ComponentMigrations AsyncQueryStore::Migrations() {
  return {.component = "async_queries",
          .migrations = {{.version = 1,
                          .description = "records of asynchronous HTTP queries",
                          .sql = std::string(kAsyncQueriesTable)}}};
}

Result<std::unique_ptr<AsyncQueryStore>> AsyncQueryStore::Open(std::string_view metastore_uri) {
  catalog::MetastoreOptions options{.migrations = catalog::MigrationRegistry()};
  FLOE_RETURN_NOT_OK(options.migrations.Add(Migrations()));
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<catalog::ConnectionPool> pool,
                        catalog::OpenMigratedPool(metastore_uri, options));
  return std::make_unique<AsyncQueryStore>(std::move(pool));
}

Status AsyncQueryStore::Insert(const AsyncQueryRecord& record) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  std::vector<SqlValue> parameters = {record.id,
                                      record.user,
                                      record.sql,
                                      record.state,
                                      record.server_id,
                                      record.server_host,
                                      std::to_string(record.submitted_at_ms)};
  return connection
      ->Execute(
          "INSERT INTO async_queries (query_id, user_name, sql_text, state, server_id, "
          "server_host, submitted_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          parameters)
      .status();
}

Result<bool> AsyncQueryStore::Update(const AsyncQueryRecord& record) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  std::vector<SqlValue> parameters = {record.id,
                                      record.state,
                                      record.server_id,
                                      record.server_host,
                                      TextOrNull(record.error_code),
                                      TextOrNull(record.error_sqlstate),
                                      TextOrNull(record.error_message),
                                      TextOrNull(record.command_tag),
                                      TextOrNull(record.columns_json),
                                      std::to_string(record.row_count),
                                      std::to_string(record.result_bytes),
                                      std::to_string(record.started_at_ms),
                                      std::to_string(record.finished_at_ms),
                                      std::to_string(record.expires_at_ms)};
  FLOE_ASSIGN_OR_RETURN(
      int64_t updated,
      connection->Execute(
          "UPDATE async_queries SET state = $2, server_id = $3, server_host = $4, "
          "error_code = $5, error_sqlstate = $6, error_message = $7, command_tag = $8, "
          "columns_json = $9, row_count = $10, result_bytes = $11, started_at_ms = $12, "
          "finished_at_ms = $13, expires_at_ms = $14 WHERE query_id = $1",
          parameters));
  return updated > 0;
}

Result<std::optional<AsyncQueryRecord>> AsyncQueryStore::Find(std::string_view id) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  std::vector<SqlValue> parameters = {std::string(id)};
  FLOE_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      connection->Query(fmt::format("{} WHERE query_id = $1", kSelectRecord), parameters));
  if (rows.empty()) {
    return std::optional<AsyncQueryRecord>();
  }
  return std::optional<AsyncQueryRecord>(RecordOf(rows[0]));
}

Status AsyncQueryStore::Delete(std::string_view id) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  std::vector<SqlValue> parameters = {std::string(id)};
  return connection->Execute("DELETE FROM async_queries WHERE query_id = $1", parameters).status();
}

Result<int64_t> AsyncQueryStore::FailUnfinished(std::string_view server_id,
                                                std::string_view error_code,
                                                std::string_view sqlstate, std::string_view message,
                                                int64_t now_ms, int64_t expires_at_ms) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  std::vector<SqlValue> parameters = {std::string(server_id), std::string(error_code),
                                      std::string(sqlstate),  std::string(message),
                                      std::to_string(now_ms), std::to_string(expires_at_ms)};
  // A query that never started gets its start time too, as a cancelled queued query does.
  return connection->Execute(
      "UPDATE async_queries SET state = 'failed', error_code = $2, error_sqlstate = $3, "
      "error_message = $4, started_at_ms = CASE WHEN started_at_ms = 0 THEN $5 ELSE "
      "started_at_ms END, finished_at_ms = $5, expires_at_ms = $6, row_count = 0 "
      "WHERE server_id = $1 AND state IN ('queued', 'running')",
      parameters);
}

Result<std::vector<std::string>> AsyncQueryStore::ListLive(std::string_view server_id,
                                                           int64_t now_ms) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  std::vector<SqlValue> parameters = {std::string(server_id), std::to_string(now_ms)};
  FLOE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        connection->Query("SELECT query_id FROM async_queries WHERE server_id = "
                                          "$1 AND (expires_at_ms = 0 OR expires_at_ms > $2)",
                                          parameters));
  std::vector<std::string> ids;
  for (const SqlRow& row : rows) {
    ids.push_back(row[0].value_or(""));
  }
  return ids;
}

Result<int64_t> AsyncQueryStore::DeleteExpired(int64_t now_ms) {
  FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
  std::vector<SqlValue> parameters = {std::to_string(now_ms)};
  return connection->Execute(
      "DELETE FROM async_queries WHERE expires_at_ms > 0 AND expires_at_ms <= $1", parameters);
}

}  // namespace floe::server::http
