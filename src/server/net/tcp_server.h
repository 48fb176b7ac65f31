#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.h"
#include "server/net/connection.h"

namespace floe::server::net {

/// What a connection's handler shares with the server that runs it, so that a shutdown can
/// reach the connection from another thread. Thread-safe.
class ConnectionControl {
 public:
  ConnectionControl() = default;
  ConnectionControl(const ConnectionControl&) = delete;
  ConnectionControl& operator=(const ConnectionControl&) = delete;
  ~ConnectionControl() = default;

  /// Called by the handler before it waits for the client's next request. Returns false when
  /// the server is shutting down: the handler should then say goodbye and return.
  bool BecomeIdle();
  /// Called by the handler once a request arrived and starts running.
  void BecomeBusy() { is_busy_ = true; }
  /// Sets what a shutdown calls, once its grace period is over, to stop a running request
  /// (a session's Cancel()).
  void SetCanceller(std::function<void()> canceller);
  bool is_draining() const { return is_draining_; }

 private:
  friend class TcpServer;
  /// Starts draining: closes the connection at once when idle. Returns true when it did.
  bool Drain(Connection& connection);
  void Cancel(Connection& connection);

  std::atomic<bool> is_busy_{false};
  std::atomic<bool> is_draining_{false};
  std::mutex mutex_;
  std::function<void()> canceller_;  // Guarded by mutex_.
};

struct TcpServerOptions {
  std::string name = "server";  // For logs: "pgwire", "http".
  std::string address = "127.0.0.1";
  int port = 0;  // 0 picks a free port.
  int max_connections = 256;
};

/// Accepts TCP connections and serves each on a thread of its own with `handler`; connections
/// over `max_connections` get `reject` instead (on the accepting thread: it must be quick).
///
/// Shutdown() stops accepting, closes idle connections, lets busy ones finish their request
/// within a grace period, then cancels what still runs and waits for every thread to end.
class TcpServer {
 public:
  using Handler = std::function<void(Connection& connection, ConnectionControl& control)>;
  using Rejecter = std::function<void(Connection& connection)>;

  /// Binds and listens; InvalidArgument for a bad address, IOError when binding fails (the port
  /// is taken, say). Starts the accepting thread.
  static Result<std::unique_ptr<TcpServer>> Start(TcpServerOptions options, Handler handler,
                                                  Rejecter reject);
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;
  /// Shuts down with no grace period when still running.
  ~TcpServer();

  /// The port actually bound.
  int port() const { return port_; }
  int active_connections() const { return active_.load(); }
  int64_t accepted_connections() const { return accepted_.load(); }
  int64_t rejected_connections() const { return rejected_.load(); }

  void Shutdown(std::chrono::milliseconds grace);

 private:
  struct Slot {
    std::unique_ptr<Connection> connection;
    ConnectionControl control;
    std::thread thread;
    bool is_done = false;  // Guarded by TcpServer::mutex_.
  };

  TcpServer(TcpServerOptions options, Handler handler, Rejecter reject)
      : options_(std::move(options)), handler_(std::move(handler)), reject_(std::move(reject)) {}
  void AcceptLoop();
  void Serve(Slot* slot);
  void ReapFinished();

  TcpServerOptions options_;
  Handler handler_;
  Rejecter reject_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // An eventfd that wakes the accepting thread for shutdown.
  int port_ = 0;
  std::thread accept_thread_;
  std::atomic<bool> is_stopping_{false};
  std::atomic<int> active_{0};
  std::atomic<int64_t> accepted_{0};
  std::atomic<int64_t> rejected_{0};
  std::mutex mutex_;
  std::condition_variable finished_;
  std::list<Slot> slots_;  // Guarded by mutex_.
  bool is_shut_down_ = false;
};

}  // namespace floe::server::net
