#include "server/metrics.h"

#include <fmt/format.h>

#include "io/cache/block_cache.h"

namespace floe::server {
namespace {

constexpr std::string_view kProtocolNames[] = {"pgwire", "http"};
constexpr std::string_view kOutcomeNames[] = {"ok", "error", "cancelled"};

size_t IndexOf(Protocol protocol) {
  return static_cast<size_t>(protocol);
}

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

void RenderObjectCacheMetrics(const io::CacheStatistics& statistics, int64_t capacity_bytes,
                              std::string& out) {
  auto add = std::back_inserter(out);
  auto metric = [&](std::string_view name, std::string_view type, std::string_view help,
                    int64_t value) {
    Header(out, name, type, help);
    fmt::format_to(add, "{} {}\n", name, value);
  };
  metric("floe_object_cache_hits_total", "counter",
         "Blocks of object storage reads served from the local read cache.", statistics.hits);
  metric("floe_object_cache_misses_total", "counter",
         "Blocks of object storage reads the local read cache had to fetch.", statistics.misses);
  metric("floe_object_cache_bytes_fetched_total", "counter",
         "Bytes fetched from object storage to fill the local read cache.",
         statistics.fetched_bytes);
  metric("floe_object_cache_corruptions_total", "counter",
         "Cached blocks found damaged on local disk and fetched again.", statistics.corruptions);
  metric("floe_object_cache_evictions_total", "counter",
         "Blocks the local read cache dropped to stay within its capacity.", statistics.evictions);
  metric("floe_object_cache_bytes_cached", "gauge", "Bytes the local read cache holds.",
         statistics.cached_bytes);
  metric("floe_object_cache_blocks", "gauge", "Blocks the local read cache holds.",
         statistics.cached_blocks);
  metric("floe_object_cache_reloaded_blocks", "gauge",
         "Blocks the local read cache kept from before the process started.",
         statistics.reloaded_blocks);
  metric("floe_object_cache_capacity_bytes", "gauge", "The local read cache's capacity.",
         capacity_bytes);
}

Outcome OutcomeOf(const Status& status) {
  if (status.ok()) {
    return Outcome::kOk;
  }
  return status.code() == StatusCode::kCancelled ? Outcome::kCancelled : Outcome::kError;
}

void ServerMetrics::RecordStatement(Protocol protocol, Outcome outcome,
                                    std::chrono::nanoseconds duration, int64_t rows) {
  size_t index = IndexOf(protocol);
  statements_[index][static_cast<size_t>(outcome)]++;
  rows_[index] += rows;
  latency_sum_nanos_[index] += duration.count();
  double seconds = std::chrono::duration<double>(duration).count();
  size_t bucket = 0;
  while (bucket < kLatencyBuckets.size() && seconds > kLatencyBuckets[bucket]) {
    ++bucket;
  }
  latency_buckets_[index][bucket]++;
}

void ServerMetrics::AddSession(Protocol protocol, int delta) {
  sessions_[IndexOf(protocol)] += delta;
}

void ServerMetrics::RecordConnection(Protocol protocol) {
  connections_[IndexOf(protocol)]++;
}

void ServerMetrics::RecordAuthenticationFailure(Protocol protocol) {
  authentication_failures_[IndexOf(protocol)]++;
}

void ServerMetrics::AddBytes(int64_t received, int64_t sent) {
  bytes_received_ += received;
  bytes_sent_ += sent;
}

void ServerMetrics::AddCollector(std::function<void(std::string& out)> collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string ServerMetrics::Render() const {
  std::string out;
  auto line = [&out](std::string_view name, std::string_view labels, auto value) {
    fmt::format_to(std::back_inserter(out), "{}{{{}}} {}\n", name, labels, value);
  };
  Header(out, "floe_statements_total", "counter", "Statements run, by protocol and outcome.");
  for (size_t protocol = 0; protocol < kProtocols; ++protocol) {
    for (size_t outcome = 0; outcome < kOutcomes; ++outcome) {
      line("floe_statements_total",
           fmt::format("protocol=\"{}\",outcome=\"{}\"", kProtocolNames[protocol],
                       kOutcomeNames[outcome]),
           statements_[protocol][outcome].load());
    }
  }
  Header(out, "floe_statement_duration_seconds", "histogram",
         "Time from receiving a statement to its last row.");
  for (size_t protocol = 0; protocol < kProtocols; ++protocol) {
    int64_t cumulative = 0;
    int64_t count = 0;
    for (size_t bucket = 0; bucket <= kLatencyBuckets.size(); ++bucket) {
      count += latency_buckets_[protocol][bucket].load();
    }
    for (size_t bucket = 0; bucket <= kLatencyBuckets.size(); ++bucket) {
      cumulative += latency_buckets_[protocol][bucket].load();
      std::string bound =
          bucket < kLatencyBuckets.size() ? fmt::format("{}", kLatencyBuckets[bucket]) : "+Inf";
      line("floe_statement_duration_seconds_bucket",
           fmt::format("protocol=\"{}\",le=\"{}\"", kProtocolNames[protocol], bound),
           bucket < kLatencyBuckets.size() ? cumulative : count);
    }
    std::string labels = fmt::format("protocol=\"{}\"", kProtocolNames[protocol]);
    line("floe_statement_duration_seconds_sum", labels,
         static_cast<double>(latency_sum_nanos_[protocol].load()) / 1e9);
    line("floe_statement_duration_seconds_count", labels, count);
  }
  Header(out, "floe_rows_returned_total", "counter", "Rows sent to clients.");
  for (size_t protocol = 0; protocol < kProtocols; ++protocol) {
    line("floe_rows_returned_total", fmt::format("protocol=\"{}\"", kProtocolNames[protocol]),
         rows_[protocol].load());
  }
  Header(out, "floe_sessions_active", "gauge", "Open SQL sessions.");
  for (size_t protocol = 0; protocol < kProtocols; ++protocol) {
    line("floe_sessions_active", fmt::format("protocol=\"{}\"", kProtocolNames[protocol]),
         sessions_[protocol].load());
  }
  Header(out, "floe_connections_total", "counter", "Connections accepted.");
  for (size_t protocol = 0; protocol < kProtocols; ++protocol) {
    line("floe_connections_total", fmt::format("protocol=\"{}\"", kProtocolNames[protocol]),
         connections_[protocol].load());
  }
  Header(out, "floe_authentication_failures_total", "counter", "Rejected logins.");
  for (size_t protocol = 0; protocol < kProtocols; ++protocol) {
    line("floe_authentication_failures_total",
         fmt::format("protocol=\"{}\"", kProtocolNames[protocol]),
         authentication_failures_[protocol].load());
  }
  Header(out, "floe_network_received_bytes_total", "counter", "Bytes received from clients.");
  fmt::format_to(std::back_inserter(out), "floe_network_received_bytes_total {}\n",
                 bytes_received_.load());
  Header(out, "floe_network_sent_bytes_total", "counter", "Bytes sent to clients.");
  fmt::format_to(std::back_inserter(out), "floe_network_sent_bytes_total {}\n", bytes_sent_.load());
  std::lock_guard lock(mutex_);
  for (const auto& collector : collectors_) {
    collector(out);
  }
  return out;
}

}  // namespace floe::server
