#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "catalog/metastore.h"
#include "catalog/user_store.h"
#include "common/config.h"
#include "common/memory_tracker.h"
#include "common/result.h"
#include "common/task_scheduler.h"
#include "format/parquet/reader/column_chunk_cache.h"
#include "io/file_system_registry.h"

namespace floe::sql::engine {

class Session;

/// One SQL engine over a warehouse: owns the metastore connection, the file system registry,
/// the task scheduler and the process memory budget, and opens sessions on them.
///
/// Open() creates the namespace `public` when the metastore has none of that name: it is where
/// unqualified names go with the default search_path. Thread-safe; sessions keep the database
/// alive through a shared pointer.
class Database : public std::enable_shared_from_this<Database> {
 public:
  /// Opens the warehouse and metastore named by `settings` (warehouse, metastore, threads,
  /// memory_limit, query_memory_limit). Errors come from the metastore (Unavailable,
  /// InvalidArgument for a bad URI) or from creating the warehouse directory (IOError).
  static Result<std::shared_ptr<Database>> Open(const Settings& settings);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  /// Starts a session for the authenticated `user`.
  std::unique_ptr<Session> Connect(std::string user);

  const Settings& settings() const { return settings_; }
  catalog::Metastore& metastore() const { return *metastore_; }
  io::FileSystemRegistry& file_systems() const { return *file_systems_; }
  TaskScheduler& scheduler() const { return *scheduler_; }
  MemoryTracker& memory() const { return *memory_; }
  /// The budget of one query unless the session sets memory_limit.
  int64_t query_memory_limit() const;
  /// Where queries spill: engine.temp_directory, else `<warehouse>/.tmp` for a local
  /// warehouse, else the system's temp folder.
  std::string temp_directory() const;
  /// The analytics cache: decoded column chunks of Iceberg data files shared by every session,
  /// within the cache_memory budget (not the process budget); null when cache_memory is 0.
  format::parquet::ColumnChunkCache* column_cache() const { return column_cache_.get(); }
  /// The users the server authenticates (CREATE USER and friends), opened on first use.
  Result<catalog::UserStore*> users();

 private:
  explicit Database(Settings settings) : settings_(std::move(settings)) {}

  Settings settings_;
  std::unique_ptr<catalog::Metastore> metastore_;
  std::unique_ptr<io::FileSystemRegistry> file_systems_;
  std::unique_ptr<TaskScheduler> scheduler_;
  std::unique_ptr<MemoryTracker> memory_;
  std::unique_ptr<format::parquet::ColumnChunkCache> column_cache_;
  std::mutex users_mutex_;
  std::unique_ptr<catalog::UserStore> users_;  // Guarded by users_mutex_.
};

}  // namespace floe::sql::engine
