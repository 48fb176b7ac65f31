#pragma once

#include <cstdint>
#include <unordered_set>

#include "common/memory_tracker.h"
#include "common/status.h"
#include "vector/batch.h"

namespace floe::sql::execution {

/// Charges a query's memory budget for the buffers that the batches an operator keeps (a join's
/// build side, a sort's or a window's input) hold alive.
///
/// Batches share buffers: the Parquet source decodes a row group once and passes it on in
/// slices of about 2048 rows, and dictionary vectors share their dictionary. A buffer allocated
/// with a tracker is charged to it from allocation until it is freed, so keeping it costs
/// nothing more; any other buffer is charged here, once however many kept batches point into
/// it. Charging each batch for the buffers it points into instead counts a row group once per
/// slice. The buffers must stay alive (the batches kept) until Reset() or destruction, which
/// release the charge. Not thread-safe: keep one per thread-local sink state (a buffer reaching
/// two threads is then charged twice, which errs on the safe side).
/// Returns an estimate of the bytes `batch` holds as flat columns, whether a tracker charged its
/// buffers or not: what operators that spill (sort, hash join) weigh against their share of the
/// budget, since most of their input is charged already and the reservation alone does not
/// tell when to spill.
int64_t EstimateBatchBytes(const vector::Batch& batch);

class RetainedBuffers {
 public:
  RetainedBuffers() = default;
  explicit RetainedBuffers(MemoryTracker* tracker) : reservation_(tracker) {}
  RetainedBuffers(RetainedBuffers&&) = default;
  RetainedBuffers& operator=(RetainedBuffers&&) = default;
  RetainedBuffers(const RetainedBuffers&) = delete;
  RetainedBuffers& operator=(const RetainedBuffers&) = delete;
  ~RetainedBuffers() = default;

  /// Charges the buffers of `batch` that no tracker holds and that were not charged before.
  /// On ResourceExhausted nothing is charged or remembered.
  Status Add(const vector::Batch& batch);
  /// Forgets every buffer and releases the charge.
  void Reset();

  /// Returns the bytes charged.
  int64_t bytes() const { return reservation_.bytes(); }

 private:
  std::unordered_set<const vector::Buffer*> charged_;
  MemoryReservation reservation_;
};

}  // namespace floe::sql::execution
