#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace floe::io {
struct CacheStatistics;
}  // namespace floe::io

namespace floe::server {

/// Appends the object storage read cache's counters and gauges (floe_object_cache_*, see
/// io::CachingFileSystem) to a /metrics text in the Prometheus format.
void RenderObjectCacheMetrics(const io::CacheStatistics& statistics, int64_t capacity_bytes,
                              std::string& out);

/// Which front door a statement came through.
enum class Protocol : uint8_t { kPgwire, kHttp };
/// How a statement ended.
enum class Outcome : uint8_t { kOk, kError, kCancelled };
/// The outcome of a statement that ended with `status`.
Outcome OutcomeOf(const Status& status);

/// The server's counters, rendered in the Prometheus text exposition format by /metrics.
/// Thread-safe; recording is lock-free.
class ServerMetrics {
 public:
  /// Upper bounds of the latency histogram's buckets, in seconds.
  static constexpr std::array<double, 12> kLatencyBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                             0.25,  0.5,   1,    2.5,   10,   60};

  ServerMetrics() = default;
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;
  ~ServerMetrics() = default;

  void RecordStatement(Protocol protocol, Outcome outcome, std::chrono::nanoseconds duration,
                       int64_t rows);
  void AddSession(Protocol protocol, int delta);
  void RecordConnection(Protocol protocol);
  void RecordAuthenticationFailure(Protocol protocol);
  void AddBytes(int64_t received, int64_t sent);
  /// Adds gauges computed when scraped (active connections per listener, say): each callback
  /// appends complete lines to the text.
  void AddCollector(std::function<void(std::string& out)> collector);

  /// Returns every metric in the Prometheus text format, version 0.0.4.
  std::string Render() const;

 private:
  static constexpr size_t kProtocols = 2;
  static constexpr size_t kOutcomes = 3;
  std::atomic<int64_t> statements_[kProtocols][kOutcomes] = {};
  std::atomic<int64_t> latency_buckets_[kProtocols][kLatencyBuckets.size() + 1] = {};
  std::atomic<int64_t> latency_sum_nanos_[kProtocols] = {};
  std::atomic<int64_t> rows_[kProtocols] = {};
  std::atomic<int64_t> sessions_[kProtocols] = {};
  std::atomic<int64_t> connections_[kProtocols] = {};
  std::atomic<int64_t> authentication_failures_[kProtocols] = {};
  std::atomic<int64_t> bytes_received_{0};
  std::atomic<int64_t> bytes_sent_{0};
  mutable std::mutex mutex_;
  std::vector<std::function<void(std::string& out)>> collectors_;  // Guarded by mutex_.
};

}  // namespace floe::server
