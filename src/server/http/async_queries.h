#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "server/sql_service.h"
#include "types/value.h"
#include "vector/batch.h"

namespace floe::server {
class ServerMetrics;
}  // namespace floe::server

namespace floe::server::http {

struct AsyncQueryOptions {
  /// Most bytes the results of all asynchronous queries may hold together; a query whose result
  /// would go beyond fails with 54000.
  int64_t result_bytes = int64_t{256} << 20;
  /// How long a finished query and its result are kept.
  std::chrono::seconds result_ttl{3600};
  /// Queries running at once; the others wait, queued.
  int workers = 4;
  /// Most queries known at once (queued, running and finished but not yet expired).
  size_t max_queries = 1000;
};

enum class AsyncQueryState : uint8_t { kQueued, kRunning, kSucceeded, kFailed, kCancelled };

/// The rows of a finished query, copied out of the engine's memory. Immutable once published,
/// so readers share it without locks.
struct StoredResult {
  std::vector<ColumnInfo> columns{};
  std::vector<vector::Batch> batches{};
  std::string command_tag{};
  int64_t num_rows = 0;

  /// Returns rows [offset, offset + limit) (clamped to the result) as slices of the batches.
  std::vector<vector::Batch> Page(int64_t offset, int64_t limit) const;
};

/// What Cancel() did.
enum class CancelOutcome : uint8_t { kCancelled, kCancelling, kFreed };

/// Runs SQL statements in the background for the HTTP API's asynchronous queries
/// (docs/protocols/http.md): a queue, a few worker threads, the results kept in memory under a
/// byte budget until they expire or are deleted. Every lookup takes the user asking: another
/// user's query is NotFound, as an unknown one is. Thread-safe. `metrics` must outlive it; the
/// destructor cancels running queries and waits for them.
class AsyncQueries {
 public:
  AsyncQueries(AsyncQueryOptions options, ServerMetrics& metrics);
  AsyncQueries(const AsyncQueries&) = delete;
  AsyncQueries& operator=(const AsyncQueries&) = delete;
  ~AsyncQueries();

  /// Queues `sql` to run on `session` (opened for `user`) and returns the query's id, or
  /// ResourceExhausted when max_queries are known already.
  Result<std::string> Submit(const std::string& user, std::unique_ptr<SqlSession> session,
                             std::string sql, std::vector<types::Value> parameters);
  /// Returns the query's state as a JSON object; `base_path` prefixes the URLs in it.
  Result<std::string> DescribeJson(const std::string& id, const std::string& user,
                                   std::string_view base_path);
  /// Returns the result of a query that succeeded; Conflict (naming the state) for others.
  Result<std::shared_ptr<const StoredResult>> GetResult(const std::string& id,
                                                        const std::string& user);
  /// Cancels a queued or running query (running ones stop at the engine's next check), or
  /// forgets a finished one and frees its result.
  Result<CancelOutcome> Cancel(const std::string& id, const std::string& user);

  /// Bytes held by stored results.
  int64_t used_bytes() const;

 private:
  struct Query;

  void Work();
  void Run(Query& query);
  /// Forgets finished queries past their expiry. Requires mutex_.
  void SweepExpired();
  Result<Query*> Find(const std::string& id, const std::string& user);

  AsyncQueryOptions options_;
  ServerMetrics& metrics_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool is_stopping_ = false;                               // Guarded by mutex_.
  std::map<std::string, std::unique_ptr<Query>> queries_;  // Guarded by mutex_.
  std::deque<Query*> queue_;                               // Guarded by mutex_.
  int64_t used_bytes_ = 0;                                 // Guarded by mutex_.
  std::vector<std::thread> workers_;
};

}  // namespace floe::server::http
