#include "catalog/connection_pool.h"

#include <utility>

namespace floe::catalog {

PooledConnection::~PooledConnection() {
  if (connection_ != nullptr) {
    pool_->Release(std::move(connection_));
  }
}

ConnectionPool::ConnectionPool(SqlConnectionFactory factory, int max_connections,
                               std::chrono::milliseconds acquire_timeout)
    : factory_(std::move(factory)),
      max_connections_(max_connections < 1 ? 1 : max_connections),
      acquire_timeout_(acquire_timeout) {}

Result<PooledConnection> ConnectionPool::Acquire() {
  {
    std::unique_lock lock(mutex_);
    bool is_ready = returned_.wait_for(
        lock, acquire_timeout_, [this] { return !idle_.empty() || num_open_ < max_connections_; });
    if (!is_ready) {
      return Status::Unavailable("no metastore connection became free within {} ms",
                                 acquire_timeout_.count());
    }
    if (!idle_.empty()) {
      std::unique_ptr<SqlConnection> connection = std::move(idle_.back());
      idle_.pop_back();
      return PooledConnection(this, std::move(connection));
    }
    ++num_open_;
  }
  // Opening a connection takes a network round trip or a file open: done outside the lock.
  Result<std::unique_ptr<SqlConnection>> opened = factory_();
  if (!opened.ok()) {
    std::lock_guard lock(mutex_);
    --num_open_;
    returned_.notify_one();
    return opened.status();
  }
  return PooledConnection(this, std::move(opened).value());
}

void ConnectionPool::Release(std::unique_ptr<SqlConnection> connection) {
  bool is_broken = connection->IsBroken();
  if (is_broken) {
    connection.reset();
  }
  std::lock_guard lock(mutex_);
  if (is_broken) {
    --num_open_;
  } else {
    idle_.push_back(std::move(connection));
  }
  returned_.notify_one();
}

}  // namespace floe::catalog
