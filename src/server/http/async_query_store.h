#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/connection_pool.h"
#include "catalog/migration.h"
#include "common/result.h"

namespace floe::server::http {

/// The durable record of one asynchronous query: a row of the metastore's `async_queries`
/// table. Times are milliseconds since the Unix epoch; 0 means "not yet". The error members are
/// empty unless the query failed or was cancelled.
struct AsyncQueryRecord {
  std::string id{};
  std::string user{};
  std::string sql{};
  std::string state{};  // queued, running, succeeded, failed, cancelled.
  /// The server whose local disk holds the result (its result folder's id), and its host name
  /// for messages.
  std::string server_id{};
  std::string server_host{};
  std::string error_code{};
  std::string error_sqlstate{};
  std::string error_message{};
  std::string command_tag{};
  std::string columns_json{};  // [{"name":...,"type":...}, ...] once succeeded.
  int64_t row_count = 0;
  int64_t result_bytes = 0;
  int64_t submitted_at_ms = 0;
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;
  int64_t expires_at_ms = 0;
};

/// Keeps the records of asynchronous queries in the metastore (SQLite or PostgreSQL), so that
/// they outlive the server and are seen by every server sharing the metastore. The table
/// belongs to the component "async_queries" of the migration registry (docs/metastore.md).
/// Thread-safe. Errors: Unavailable when the metastore cannot be reached, Internal otherwise.
class AsyncQueryStore {
 public:
  /// Opens the metastore at `metastore_uri` (see catalog::OpenMetastore) and brings the
  /// component to its latest migration.
  static Result<std::unique_ptr<AsyncQueryStore>> Open(std::string_view metastore_uri);
  explicit AsyncQueryStore(std::unique_ptr<catalog::ConnectionPool> pool)
      : pool_(std::move(pool)) {}
  AsyncQueryStore(const AsyncQueryStore&) = delete;
  AsyncQueryStore& operator=(const AsyncQueryStore&) = delete;
  ~AsyncQueryStore() = default;

  /// Returns the component's migrations.
  static catalog::ComponentMigrations Migrations();

  Status Insert(const AsyncQueryRecord& record);
  /// Replaces every member but the id, user, statement and submission time. Returns false
  /// when the record is gone (deleted meanwhile).
  Result<bool> Update(const AsyncQueryRecord& record);
  Result<std::optional<AsyncQueryRecord>> Find(std::string_view id);
  Status Delete(std::string_view id);
  /// Marks the queued and running queries of `server_id` failed with the given error, as
  /// finished at `now_ms` and expiring at `expires_at_ms`; returns how many.
  Result<int64_t> FailUnfinished(std::string_view server_id, std::string_view error_code,
                                 std::string_view sqlstate, std::string_view message,
                                 int64_t now_ms, int64_t expires_at_ms);
  /// Returns the ids of `server_id`'s queries not expired at `now_ms`, unfinished ones included:
  /// the results the server must keep.
  Result<std::vector<std::string>> ListLive(std::string_view server_id, int64_t now_ms);
  /// Deletes every server's records expired at `now_ms`; returns how many.
  Result<int64_t> DeleteExpired(int64_t now_ms);

 private:
  std::unique_ptr<catalog::ConnectionPool> pool_;
};

}  // namespace floe::server::http
