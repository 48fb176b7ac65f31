#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "catalog/sql_connection.h"
#include "common/result.h"

namespace floe::catalog {

class ConnectionPool;

/// Lends one connection for as long as it lives, then gives it back to its pool (or lets the
/// pool discard it when it broke). Movable, not copyable.
class PooledConnection {
 public:
  PooledConnection(ConnectionPool* pool, std::unique_ptr<SqlConnection> connection)
      : pool_(pool), connection_(std::move(connection)) {}
  PooledConnection(PooledConnection&& other) noexcept = default;
  PooledConnection& operator=(PooledConnection&& other) = delete;
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  ~PooledConnection();

  SqlConnection& operator*() const { return *connection_; }
  SqlConnection* operator->() const { return connection_.get(); }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<SqlConnection> connection_;
};

/// Hands out up to `max_connections` connections to threads, opening them on demand and
/// replacing broken ones. Thread-safe. Must outlive every connection it lends.
class ConnectionPool {
 public:
  ConnectionPool(SqlConnectionFactory factory, int max_connections,
                 std::chrono::milliseconds acquire_timeout);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool() = default;

  /// Returns an idle connection, a new one while under the limit, or waits for one to come
  /// back. Returns Unavailable when no connection came back in time or a new one failed to open.
  Result<PooledConnection> Acquire();

  int max_connections() const { return max_connections_; }

 private:
  friend class PooledConnection;
  void Release(std::unique_ptr<SqlConnection> connection);

  SqlConnectionFactory factory_;
  const int max_connections_;
  const std::chrono::milliseconds acquire_timeout_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<SqlConnection>> idle_;  // Guarded by mutex_.
  int num_open_ = 0;                                  // Guarded by mutex_; idle and lent.
};

}  // namespace floe::catalog
