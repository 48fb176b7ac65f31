#include "common/task_scheduler.h"

#include <algorithm>
#include <atomic>
#include <memory>

namespace floe {
namespace {

// Shared by the caller and the helper tasks of one ParallelFor. Helpers hold it by shared_ptr:
// a helper that starts after the loop has ended finds it closed and leaves without touching
// anything the caller still owns.
struct LoopState {
  explicit LoopState(int64_t count, const std::function<Status(int64_t)>& body)
      : count(count), body(body) {}

  // Claims morsels until none is left or one failed.
  void Run() {
    while (true) {
      int64_t index = next.fetch_add(1, std::memory_order_relaxed);
      if (index >= count) {
        return;
      }
      Status status = body(index);
      if (!status.ok()) {
        next.store(count, std::memory_order_relaxed);
        std::lock_guard lock(mutex);
        if (first_error.ok()) {
          first_error = std::move(status);
        }
        return;
      }
    }
  }

  const int64_t count;
  const std::function<Status(int64_t)>& body;  // Valid while the loop is open.
  std::atomic<int64_t> next{0};
  std::mutex mutex;
  std::condition_variable helpers_done;
  int active_helpers = 0;  // Guarded by mutex.
  bool is_closed = false;  // Guarded by mutex.
  Status first_error;      // Guarded by mutex.
};

}  // namespace

TaskScheduler::TaskScheduler(int num_workers) {
  if (num_workers <= 0) {
    num_workers = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  workers_.reserve(num_workers);
  for (int i = 0; i < num_workers; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

TaskScheduler::~TaskScheduler() { Shutdown(); }

Status TaskScheduler::Submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (is_shutting_down_) {
      return Status::Cancelled("the task scheduler is shutting down");
    }
    queue_.push_back(std::move(task));
  }
  has_work_.notify_one();
  return Status::OK();
}

void TaskScheduler::WorkerLoop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      has_work_.wait(lock, [this] { return is_shutting_down_ || !queue_.empty(); });
      if (queue_.empty()) {
        return;  // Shutting down and drained.
      }
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

Status TaskScheduler::ParallelFor(int64_t count, const std::function<Status(int64_t)>& body,
                                  int max_parallelism) {
  if (count <= 0) {
    return Status::OK();
  }
  int participants = max_parallelism > 0 ? max_parallelism : num_workers() + 1;
  int64_t helpers = std::min<int64_t>(participants - 1, count - 1);
  auto state = std::make_shared<LoopState>(count, body);
  for (int64_t i = 0; i < helpers; ++i) {
    Status submitted = Submit([state] {
      {
        std::lock_guard lock(state->mutex);
        if (state->is_closed) {
          return;
        }
        ++state->active_helpers;
      }
      state->Run();
      std::lock_guard lock(state->mutex);
      if (--state->active_helpers == 0) {
        state->helpers_done.notify_all();
      }
    });
    if (!submitted.ok()) {
      break;  // Shutting down: the caller still runs every morsel itself.
    }
  }
  state->Run();
  std::unique_lock lock(state->mutex);
  state->is_closed = true;
  state->helpers_done.wait(lock, [&] { return state->active_helpers == 0; });
  return state->first_error;
}

void TaskScheduler::Shutdown() {
  std::call_once(shutdown_once_, [this] {
    {
      std::lock_guard lock(mutex_);
      is_shutting_down_ = true;
    }
    has_work_.notify_all();
    for (std::thread& worker : workers_) {
      worker.join();
    }
  });
}

TaskScheduler& TaskScheduler::Default() {
  static TaskScheduler scheduler;
  return scheduler;
}

}  // namespace floe
