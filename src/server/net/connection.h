#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

typedef struct ssl_st SSL;

namespace floe::server::net {

class TlsContext;

using Clock = std::chrono::steady_clock;
/// When a read or write gives up with Timeout; Clock::time_point::max() waits forever.
using Deadline = Clock::time_point;

inline Deadline DeadlineAfter(std::chrono::milliseconds timeout) {
  return timeout.count() <= 0 ? Deadline::max() : Clock::now() + timeout;
}

/// One accepted TCP connection, in plain text or, after StartTls(), over TLS. Reads and writes
/// block the calling thread until done, the deadline passes (Timeout), the peer goes away
/// (IOError) or Shutdown() is called from another thread (IOError). Reads are buffered.
///
/// One thread reads and writes; Shutdown() may be called from any thread.
class Connection {
 public:
  /// Takes ownership of the connected socket `fd`; `peer` is "address:port" for logs.
  Connection(int fd, std::string peer, bool is_loopback);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// Reads at least one byte and at most `buffer.size()`; returns 0 when the peer closed the
  /// connection in order.
  Result<size_t> Read(std::span<char> buffer, Deadline deadline);
  /// Reads exactly `buffer.size()` bytes; IOError when the connection ends first.
  Status ReadExact(std::span<char> buffer, Deadline deadline);
  Status WriteAll(std::string_view data, Deadline deadline);

  /// Bytes already received and buffered but not yet read.
  size_t buffered() const { return buffer_end_ - buffer_begin_; }

  /// Performs the server side of a TLS handshake; every later read and write is encrypted.
  /// Fails with InvalidArgument when plain-text bytes are already buffered (a client must not
  /// send anything between a TLS request and the handshake).
  Status StartTls(const TlsContext& context, Deadline deadline);
  bool is_tls() const { return ssl_ != nullptr; }

  /// Ends both directions at once, waking a thread blocked in Read or Write. Thread-safe.
  void Shutdown();

  const std::string& peer() const { return peer_; }
  bool is_loopback() const { return is_loopback_; }
  int64_t bytes_read() const { return bytes_read_; }
  int64_t bytes_written() const { return bytes_written_; }

 private:
  Result<size_t> ReadRaw(char* data, size_t size, Deadline deadline);
  Result<size_t> WriteRaw(const char* data, size_t size, Deadline deadline);
  Status Wait(bool for_write, Deadline deadline);

  int fd_;
  std::string peer_;
  bool is_loopback_;
  SSL* ssl_ = nullptr;
  std::atomic<bool> is_shut_down_{false};
  std::unique_ptr<char[]> buffer_;
  size_t buffer_begin_ = 0;
  size_t buffer_end_ = 0;
  int64_t bytes_read_ = 0;
  int64_t bytes_written_ = 0;
};

}  // namespace floe::server::net
