// Overhead of the shared scheduler's morsel loop: what one ParallelFor costs beyond its work.
#include <benchmark/benchmark.h>

#include <atomic>

#include "common/task_scheduler.h"

namespace floe {
namespace {

void BM_ParallelForEmptyMorsels(benchmark::State& state) {
  TaskScheduler scheduler(2);
  const int64_t morsels = state.range(0);
  for (auto _ : state) {
    Status status = scheduler.ParallelFor(morsels, [](int64_t) { return Status::OK(); });
    benchmark::DoNotOptimize(status);
  }
  state.SetItemsProcessed(state.iterations() * morsels);
}
BENCHMARK(BM_ParallelForEmptyMorsels)->Arg(1)->Arg(64)->Arg(4096)->UseRealTime();

void BM_ParallelForSummingMorsels(benchmark::State& state) {
  TaskScheduler scheduler(2);
  constexpr int64_t kMorsels = 256;
  constexpr int64_t kRowsPerMorsel = 2048 * 8;
  for (auto _ : state) {
    std::atomic<int64_t> total{0};
    Status status = scheduler.ParallelFor(kMorsels, [&](int64_t morsel) {
      int64_t sum = 0;
      for (int64_t row = 0; row < kRowsPerMorsel; ++row) {
        sum += (morsel * kRowsPerMorsel + row) & 0xff;
      }
      total.fetch_add(sum, std::memory_order_relaxed);
      return Status::OK();
    });
    benchmark::DoNotOptimize(status);
    benchmark::DoNotOptimize(total.load());
  }
  state.SetItemsProcessed(state.iterations() * kMorsels * kRowsPerMorsel);
}
BENCHMARK(BM_ParallelForSummingMorsels)->UseRealTime();

}  // namespace
}  // namespace floe

BENCHMARK_MAIN();
