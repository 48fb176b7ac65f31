#include "sql/functions/aggregate/hyperloglog.h"

#include <cstdint>
#include <cstdlib>

#include <gtest/gtest.h>

namespace floe::sql {
namespace {

HyperLogLog SketchOf(uint64_t first, uint64_t end) {
  HyperLogLog sketch;
  for (uint64_t value = first; value < end; ++value) {
    sketch.Add(MixHash(value));
  }
  return sketch;
}

TEST(HyperLogLogTest, EmptySketchCountsZero) {
  EXPECT_EQ(HyperLogLog().Estimate(), 0);
}

TEST(HyperLogLogTest, ExactUpToItsLimit) {
  HyperLogLog sketch;
  for (int round = 0; round < 3; ++round) {
    for (uint64_t value = 0; value < HyperLogLog::kExactLimit; ++value) {
      sketch.Add(MixHash(value));
    }
  }
  EXPECT_FALSE(sketch.is_dense());
  EXPECT_EQ(sketch.Estimate(), static_cast<int64_t>(HyperLogLog::kExactLimit));
  sketch.Add(MixHash(HyperLogLog::kExactLimit));
  EXPECT_TRUE(sketch.is_dense());
  EXPECT_NEAR(sketch.Estimate(), HyperLogLog::kExactLimit + 1, 10);
}

TEST(HyperLogLogTest, EstimatesWithinFivePercent) {
  for (uint64_t count : {1000u, 20000u, 100000u, 1000000u}) {
    HyperLogLog sketch = SketchOf(0, count);
    // Adding every value again changes nothing.
    for (uint64_t value = 0; value < count; value += 7) {
      sketch.Add(MixHash(value));
    }
    const double error = std::abs(static_cast<double>(sketch.Estimate()) - count) / count;
    EXPECT_LT(error, 0.05) << count << " distinct values estimated as " << sketch.Estimate();
  }
}

TEST(HyperLogLogTest, MergeEqualsSketchOfAllValues) {
  HyperLogLog whole = SketchOf(0, 50000);
  // Overlapping halves, one still exact, merged both ways.
  HyperLogLog left = SketchOf(0, 30000);
  HyperLogLog right = SketchOf(20000, 50000);
  HyperLogLog small = SketchOf(10, 100);
  left.Merge(right);
  left.Merge(small);
  EXPECT_EQ(left.Estimate(), whole.Estimate());
  HyperLogLog exact = SketchOf(0, 100);
  exact.Merge(whole);
  EXPECT_EQ(exact.Estimate(), whole.Estimate());
  HyperLogLog a = SketchOf(0, 100);
  a.Merge(SketchOf(50, 200));
  EXPECT_EQ(a.Estimate(), 200);
  EXPECT_FALSE(a.is_dense());
}

TEST(HyperLogLogTest, MemoryStaysBounded) {
  HyperLogLog sketch = SketchOf(0, 1000000);
  EXPECT_LE(sketch.MemoryBytes(), 8192);
  EXPECT_LE(HyperLogLog().MemoryBytes(), 0);
}

}  // namespace
}  // namespace floe::sql
