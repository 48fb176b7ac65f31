#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/status.h"
#include "common/thread_annotations.h"

namespace floe {

/// A pool of worker threads, one per core by default, shared by every query in the process.
///
/// Work reaches it in two shapes: single tasks (`Submit`) and morsel-driven loops
/// (`ParallelFor`), where workers repeatedly claim the next morsel of a range until none is left,
/// so that fast and slow workers balance themselves. The calling thread always takes part in its
/// own loop, so a loop started from inside a worker cannot deadlock waiting for busy workers.
/// Thread-safe.
class TaskScheduler {
 public:
  /// Starts `num_workers` threads; 0 means one per core.
  explicit TaskScheduler(int num_workers = 0);
  TaskScheduler(const TaskScheduler&) = delete;
  TaskScheduler& operator=(const TaskScheduler&) = delete;
  /// Shuts down: see Shutdown().
  ~TaskScheduler();

  int num_workers() const { return static_cast<int>(workers_.size()); }

  /// Queues a task; returns Cancelled once shutdown has begun.
  Status Submit(std::function<void()> task);

  /// Runs `body(i)` for every i in [0, count) across the workers and the calling thread and
  /// returns when all have finished. After the first error no new morsel starts, and that error
  /// is returned. `max_parallelism` caps the threads taking part (0: all workers plus caller).
  Status ParallelFor(int64_t count, const std::function<Status(int64_t)>& body,
                     int max_parallelism = 0);

  /// Stops accepting work, runs every task already queued, and joins the workers. Idempotent.
  void Shutdown();

  /// Returns the process-wide scheduler, created on first use with one worker per core.
  static TaskScheduler& Default();

 private:
  void WorkerLoop();

  std::mutex mutex_;
  std::condition_variable has_work_;
  std::deque<std::function<void()>> queue_ FLOE_GUARDED_BY(mutex_);
  bool is_shutting_down_ FLOE_GUARDED_BY(mutex_) = false;
  std::vector<std::thread> workers_;
  std::once_flag shutdown_once_;
};

}  // namespace floe
