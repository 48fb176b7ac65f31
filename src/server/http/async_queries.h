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

#include "common/config.h"
#include "common/result.h"
#include "server/http/async_query_store.h"
#include "server/http/async_result_file.h"
#include "server/sql_service.h"
#include "types/value.h"
#include "vector/batch.h"

namespace floe::server {
class ServerMetrics;
}  // namespace floe::server

namespace floe::server::http {

struct AsyncQueryOptions {
  /// Most bytes the result files of all asynchronous queries may take together; a query whose
  /// result would go beyond fails with 54000.
  int64_t result_bytes = int64_t{256} << 20;
  /// How long a finished query and its result are kept.
  std::chrono::seconds result_ttl{3600};
  /// Queries running at once; the others wait, queued.
  int workers = 4;
  /// Most queries this server holds in memory at once: queued, running, and finished ones
  /// without a stored record (all of them when `metastore` is empty).
  size_t max_queries = 1000;
  /// The local folder of result files. Empty: a private temporary folder removed with this
  /// object, so that results do not outlive it.
  std::string result_directory{};
  /// The metastore keeping the queries' records (docs/metastore.md). Empty: records are kept in
  /// memory only and do not outlive this object.
  std::string metastore{};
};

/// Returns the folder of asynchronous results a server with `settings` uses:
/// http_async_result_directory when set, else `<warehouse>/.floe/async` for a local warehouse,
/// else `floe-async` in the system's temporary folder (results stay on local disk even when
/// the warehouse is in object storage).
std::string AsyncResultDirectoryOf(const Settings& settings);

enum class AsyncQueryState : uint8_t { kQueued, kRunning, kSucceeded, kFailed, kCancelled };

/// What Cancel() did.
enum class CancelOutcome : uint8_t { kCancelled, kCancelling, kFreed };

/// Runs SQL statements in the background for the HTTP API's asynchronous queries
/// (docs/protocols/http.md): a queue and a few worker threads. Results are written to files in
/// this server's own subfolder of `result_directory` (docs/formats/async-results.md), under a
/// byte budget, and the queries' records to the metastore, so that finished queries and their
/// results outlive a restart until they expire; queries a restart interrupted read `failed`
/// with 57P01. A result lives on one server's disk: other servers sharing the metastore
/// describe the query but answer Conflict for its rows. Every lookup takes the user asking:
/// another user's query is NotFound, as an unknown one is. Thread-safe. `metrics` must outlive
/// it; the destructor cancels running queries, records them and the queued ones as failed, and
/// waits for the workers.
class AsyncQueries {
 public:
  AsyncQueries(AsyncQueryOptions options, ServerMetrics& metrics);
  AsyncQueries(const AsyncQueries&) = delete;
  AsyncQueries& operator=(const AsyncQueries&) = delete;
  ~AsyncQueries();

  /// Takes this server's result folder (the free subfolder an earlier run left, else a new
  /// one), opens the metastore's table, marks the queries an earlier run left unfinished as
  /// failed, and deletes expired and orphaned result files. Runs once; the other methods call
  /// it when the owner did not. IOError when the folder cannot be made, Unavailable when the
  /// metastore cannot be reached.
  Status Open();

  /// Queues `sql` to run on `session` (opened for `user`) and returns the query's id, or
  /// ResourceExhausted when max_queries are held already.
  Result<std::string> Submit(const std::string& user, std::unique_ptr<SqlSession> session,
                             std::string sql, std::vector<types::Value> parameters);
  /// Returns the query's state as a JSON object; `base_path` prefixes the URLs in it.
  Result<std::string> DescribeJson(const std::string& id, const std::string& user,
                                   std::string_view base_path);
  /// Opens the result of a query that succeeded. Conflict (naming the state) for other
  /// queries, or naming the server that holds the result when it is another one; NotFound,
  /// IOError or Corruption naming the file when the file is missing, unreadable or damaged.
  Result<std::unique_ptr<AsyncResultReader>> OpenResult(const std::string& id,
                                                        const std::string& user);
  /// Cancels a queued or running query (running ones stop at the engine's next check), or
  /// forgets a finished one and deletes its result. Conflict for a query running on another
  /// server.
  Result<CancelOutcome> Cancel(const std::string& id, const std::string& user);

  /// Bytes held by result files (and by results being written).
  int64_t used_bytes() const;
  /// This server's id among those sharing the metastore: the name of its result subfolder.
  std::string server_id() const;

 private:
  struct Query;

  Status OpenOnce();
  Status TakeResultFolder();
  void Work();
  void Run(Query& query);
  void SweepPeriodically();
  /// Deletes expired records and the files no live record refers to, at start-up also the
  /// partial files an interrupted run left.
  void SweepDisk(bool is_startup);
  /// Forgets in-memory finished queries past their expiry and deletes their files. Requires
  /// mutex_.
  void SweepExpired();
  /// Stores the query's record; logs a failure. Returns whether the metastore holds it now.
  bool Persist(const AsyncQueryRecord& record);
  /// Deletes a result file and gives back its bytes.
  void RemoveResult(const std::string& id);
  /// Returns the record of query `id` as `user` sees it, from memory or else the metastore:
  /// NotFound when there is none, it is another user's, or it expired.
  Result<AsyncQueryRecord> Lookup(const std::string& id, const std::string& user);
  Result<AsyncQueryRecord> FindStored(const std::string& id, const std::string& user);
  /// Requires mutex_.
  AsyncQueryRecord RecordOf(const Query& query) const;
  std::string ResultPath(const std::string& id) const;

  AsyncQueryOptions options_;
  ServerMetrics& metrics_;
  std::mutex open_mutex_;
  bool is_opened_ = false;                  // Guarded by open_mutex_.
  Status open_status_;                      // Guarded by open_mutex_.
  std::unique_ptr<AsyncQueryStore> store_;  // Set once by Open().
  std::string folder_;                      // This server's result folder, set once by Open().
  std::string server_id_;                   // Set once by Open().
  std::string server_host_;
  int lock_fd_ = -1;  // Holds the folder's lock for this process's life.
  bool is_private_folder_ = false;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable sweep_wake_;
  bool is_stopping_ = false;                               // Guarded by mutex_.
  std::map<std::string, std::unique_ptr<Query>> queries_;  // Guarded by mutex_.
  std::deque<Query*> queue_;                               // Guarded by mutex_.
  int64_t used_bytes_ = 0;                                 // Guarded by mutex_.
  std::vector<std::thread> workers_;
  std::thread sweeper_;
};

}  // namespace floe::server::http
