#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace floe {

/// Accounts the bytes a query (or job, or stream) holds against a budget.
///
/// Operators reserve before they allocate and release when they free; a reservation that would
/// pass the limit fails with ResourceExhausted and changes nothing, so the operator can spill or
/// give up cleanly. Trackers form a tree: a query's tracker has the process tracker as parent,
/// and a reservation must fit in every ancestor. Thread-safe; the parent must outlive the child.
class MemoryTracker {
 public:
  static constexpr int64_t kUnlimited = INT64_MAX;

  MemoryTracker(std::string name, int64_t limit, MemoryTracker* parent = nullptr);
  MemoryTracker(const MemoryTracker&) = delete;
  MemoryTracker& operator=(const MemoryTracker&) = delete;
  /// Returns what is still reserved to the parent.
  ~MemoryTracker();

  /// Adds `bytes` to the reserved total, or returns ResourceExhausted naming the tracker that
  /// would overflow, its limit and what is in use, leaving all totals unchanged.
  Status Reserve(int64_t bytes);
  /// Subtracts `bytes` reserved earlier.
  void Release(int64_t bytes);

  const std::string& name() const { return name_; }
  int64_t limit() const { return limit_; }
  int64_t used() const { return used_.load(std::memory_order_relaxed); }
  /// Returns the highest total ever reserved.
  int64_t peak() const { return peak_.load(std::memory_order_relaxed); }

 private:
  Status ReserveLocal(int64_t bytes);

  const std::string name_;
  const int64_t limit_;
  MemoryTracker* const parent_;
  std::atomic<int64_t> used_{0};
  std::atomic<int64_t> peak_{0};
};

/// Bytes held from a MemoryTracker for as long as this object lives. Movable, not copyable.
class MemoryReservation {
 public:
  MemoryReservation() = default;
  explicit MemoryReservation(MemoryTracker* tracker) : tracker_(tracker) {}
  MemoryReservation(MemoryReservation&& other) noexcept;
  MemoryReservation& operator=(MemoryReservation&& other) noexcept;
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;
  ~MemoryReservation() { Reset(); }

  /// Grows the reservation by `bytes`; on failure nothing changes.
  Status Grow(int64_t bytes);
  /// Sets the reservation to `bytes`, growing or shrinking.
  Status Resize(int64_t bytes);
  /// Releases everything held.
  void Reset();

  int64_t bytes() const { return bytes_; }
  MemoryTracker* tracker() const { return tracker_; }

 private:
  MemoryTracker* tracker_ = nullptr;
  int64_t bytes_ = 0;
};

/// Formats a byte count for messages: "512 B", "1.5 MiB", "2.0 GiB".
std::string FormatBytes(int64_t bytes);

}  // namespace floe
