#include "common/memory_tracker.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace floe {
namespace {

TEST(MemoryTrackerTest, ReservationOverBudgetFailsWithClearErrorAndChangesNothing) {
  MemoryTracker query("query 17", 1024);
  ASSERT_TRUE(query.Reserve(1000).ok());
  Status status = query.Reserve(100);
  ASSERT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(status.sql_state(), "53200");
  EXPECT_EQ(status.message(),
            "memory budget of 1.0 KiB for query 17 exceeded: 100 B requested with 1000 B in use");
  EXPECT_EQ(query.used(), 1000);
  query.Release(1000);
  EXPECT_EQ(query.used(), 0);
  EXPECT_EQ(query.peak(), 1000);
}

TEST(MemoryTrackerTest, ChildReservationsMustFitInEveryAncestor) {
  MemoryTracker process("process", 4096);
  MemoryTracker first("query 1", 3000, &process);
  MemoryTracker second("query 2", 3000, &process);
  ASSERT_TRUE(first.Reserve(2500).ok());
  Status status = second.Reserve(2000);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("process"), std::string_view::npos);
  EXPECT_EQ(second.used(), 0);
  EXPECT_EQ(process.used(), 2500);
  ASSERT_TRUE(second.Reserve(1500).ok());
  EXPECT_EQ(process.used(), 4000);
}

TEST(MemoryTrackerTest, DestroyedChildReturnsItsBytesToTheParent) {
  MemoryTracker process("process", MemoryTracker::kUnlimited);
  {
    MemoryTracker query("query", 1 << 20, &process);
    ASSERT_TRUE(query.Reserve(4096).ok());
    EXPECT_EQ(process.used(), 4096);
  }
  EXPECT_EQ(process.used(), 0);
}

TEST(MemoryTrackerTest, NegativeReservationIsRejected) {
  MemoryTracker tracker("t", 100);
  EXPECT_EQ(tracker.Reserve(-1).code(), StatusCode::kInvalidArgument);
}

TEST(MemoryReservationTest, GrowsResizesAndReleasesOnDestruction) {
  MemoryTracker tracker("t", 1000);
  {
    MemoryReservation reservation(&tracker);
    ASSERT_TRUE(reservation.Grow(300).ok());
    ASSERT_TRUE(reservation.Resize(800).ok());
    EXPECT_EQ(tracker.used(), 800);
    EXPECT_FALSE(reservation.Grow(300).ok());
    EXPECT_EQ(reservation.bytes(), 800);
    ASSERT_TRUE(reservation.Resize(100).ok());
    EXPECT_EQ(tracker.used(), 100);
    MemoryReservation moved = std::move(reservation);
    EXPECT_EQ(moved.bytes(), 100);
    EXPECT_EQ(reservation.bytes(), 0);  // NOLINT(bugprone-use-after-move): moved-from is empty.
  }
  EXPECT_EQ(tracker.used(), 0);
}

TEST(MemoryTrackerTest, ConcurrentReservationsNeverPassTheLimit) {
  MemoryTracker tracker("shared", 64 * 1000);
  std::vector<std::thread> threads;
  std::atomic<int> granted{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        if (tracker.Reserve(64).ok()) {
          granted.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(granted.load(), 1000);
  EXPECT_EQ(tracker.used(), 64 * 1000);
  EXPECT_EQ(tracker.peak(), 64 * 1000);
}

TEST(FormatBytesTest, UsesBinaryUnits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1023), "1023 B");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatBytes(int64_t{2} << 30), "2.0 GiB");
}

}  // namespace
}  // namespace floe
