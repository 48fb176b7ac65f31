#include "server/metrics.h"

#include <string>

#include <gtest/gtest.h>

#include "io/cache/block_cache.h"

namespace floe::server {
namespace {

TEST(ServerMetricsTest, ObjectCacheMetricsAreRenderedInThePrometheusFormat) {
  io::CacheStatistics statistics;
  statistics.hits = 7;
  statistics.misses = 3;
  statistics.fetched_bytes = 3 << 20;
  statistics.corruptions = 1;
  statistics.evictions = 2;
  statistics.cached_bytes = 5 << 20;
  statistics.cached_blocks = 5;
  statistics.reloaded_blocks = 4;
  std::string out;
  RenderObjectCacheMetrics(statistics, int64_t{10} << 30, out);
  for (const char* line :
       {"# TYPE floe_object_cache_hits_total counter\n", "\nfloe_object_cache_hits_total 7\n",
        "\nfloe_object_cache_misses_total 3\n", "\nfloe_object_cache_bytes_fetched_total 3145728\n",
        "\nfloe_object_cache_corruptions_total 1\n", "\nfloe_object_cache_evictions_total 2\n",
        "# TYPE floe_object_cache_bytes_cached gauge\n",
        "\nfloe_object_cache_bytes_cached 5242880\n", "\nfloe_object_cache_blocks 5\n",
        "\nfloe_object_cache_reloaded_blocks 4\n",
        "\nfloe_object_cache_capacity_bytes 10737418240\n"}) {
    EXPECT_NE(out.find(line), std::string::npos) << line << " missing from:\n" << out;
  }
  // Every metric has its HELP and TYPE lines.
  size_t num_samples = 0;
  size_t num_types = 0;
  for (size_t start = 0; start < out.size();) {
    size_t end = out.find('\n', start);
    std::string line = out.substr(start, end - start);
    num_types += line.starts_with("# TYPE ") ? 1 : 0;
    num_samples += line.starts_with("floe_object_cache_") ? 1 : 0;
    start = end + 1;
  }
  EXPECT_EQ(num_samples, 9u);
  EXPECT_EQ(num_types, 9u);
}

}  // namespace
}  // namespace floe::server
