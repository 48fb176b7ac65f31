#include "common/task_scheduler.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>

namespace floe {
namespace {

TEST(TaskSchedulerTest, ParallelForRunsEveryMorselExactlyOnce) {
  TaskScheduler scheduler(2);
  constexpr int64_t kMorsels = 10'000;
  std::vector<std::atomic<int>> runs(kMorsels);
  std::atomic<int64_t> sum{0};
  Status status = scheduler.ParallelFor(kMorsels, [&](int64_t i) {
    runs[i].fetch_add(1);
    sum.fetch_add(i);
    return Status::OK();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  for (int64_t i = 0; i < kMorsels; ++i) {
    ASSERT_EQ(runs[i].load(), 1) << "morsel " << i;
  }
  EXPECT_EQ(sum.load(), kMorsels * (kMorsels - 1) / 2);
}

TEST(TaskSchedulerTest, ParallelForUsesSeveralThreads) {
  TaskScheduler scheduler(2);
  std::mutex mutex;
  std::set<std::thread::id> threads;
  ASSERT_TRUE(scheduler
                  .ParallelFor(64,
                               [&](int64_t) {
                                 std::this_thread::sleep_for(std::chrono::milliseconds(2));
                                 std::lock_guard lock(mutex);
                                 threads.insert(std::this_thread::get_id());
                                 return Status::OK();
                               })
                  .ok());
  EXPECT_GE(threads.size(), 2u);
  EXPECT_LE(threads.size(), 3u);  // Two workers and the caller.
}

TEST(TaskSchedulerTest, FirstErrorStopsNewMorselsAndIsReturned) {
  TaskScheduler scheduler(2);
  std::atomic<int> started{0};
  Status status = scheduler.ParallelFor(100'000, [&](int64_t i) {
    started.fetch_add(1);
    if (i == 10) {
      return Status::Cancelled("morsel {} failed", i);
    }
    return Status::OK();
  });
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_EQ(status.message(), "morsel 10 failed");
  EXPECT_LT(started.load(), 100'000);
}

TEST(TaskSchedulerTest, NestedParallelForFromWorkersDoesNotDeadlock) {
  TaskScheduler scheduler(2);
  std::atomic<int64_t> inner_runs{0};
  Status status = scheduler.ParallelFor(8, [&](int64_t) {
    return scheduler.ParallelFor(100, [&](int64_t) {
      inner_runs.fetch_add(1);
      return Status::OK();
    });
  });
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(inner_runs.load(), 800);
}

TEST(TaskSchedulerTest, MaxParallelismOfOneRunsOnTheCaller) {
  TaskScheduler scheduler(2);
  std::thread::id caller = std::this_thread::get_id();
  std::atomic<bool> elsewhere{false};
  ASSERT_TRUE(scheduler
                  .ParallelFor(
                      50,
                      [&](int64_t) {
                        if (std::this_thread::get_id() != caller) {
                          elsewhere = true;
                        }
                        return Status::OK();
                      },
                      1)
                  .ok());
  EXPECT_FALSE(elsewhere.load());
}

TEST(TaskSchedulerTest, ShutdownRunsQueuedTasksThenRefusesNewOnes) {
  std::atomic<int> ran{0};
  TaskScheduler scheduler(2);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(scheduler
                    .Submit([&] {
                      std::this_thread::sleep_for(std::chrono::microseconds(100));
                      ran.fetch_add(1);
                    })
                    .ok());
  }
  scheduler.Shutdown();
  EXPECT_EQ(ran.load(), 100);
  Status late = scheduler.Submit([] {});
  EXPECT_EQ(late.code(), StatusCode::kCancelled);
  scheduler.Shutdown();  // Idempotent.
  // A loop after shutdown still completes on the calling thread.
  std::atomic<int> runs{0};
  ASSERT_TRUE(scheduler.ParallelFor(10, [&](int64_t) {
                          runs.fetch_add(1);
                          return Status::OK();
                        }).ok());
  EXPECT_EQ(runs.load(), 10);
}

TEST(TaskSchedulerTest, DefaultHasOneWorkerPerCore) {
  EXPECT_EQ(TaskScheduler::Default().num_workers(),
            static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

TEST(TaskSchedulerTest, EmptyRangeReturnsAtOnce) {
  TaskScheduler scheduler(1);
  EXPECT_TRUE(scheduler.ParallelFor(0, [](int64_t) { return Status::Internal("ran"); }).ok());
}

}  // namespace
}  // namespace floe
