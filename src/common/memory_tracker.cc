#include "common/memory_tracker.h"

#include <fmt/format.h>

#include <utility>

namespace floe {

MemoryTracker::MemoryTracker(std::string name, int64_t limit, MemoryTracker* parent)
    : name_(std::move(name)), limit_(limit), parent_(parent) {}

MemoryTracker::~MemoryTracker() {
  if (parent_ != nullptr) {
    parent_->Release(used());
  }
}

Status MemoryTracker::ReserveLocal(int64_t bytes) {
  int64_t current = used_.load(std::memory_order_relaxed);
  int64_t next = 0;
  do {
    if (bytes > limit_ - current) {
      return Status::ResourceExhausted(
          "memory budget of {} for {} exceeded: {} requested with {} in use", FormatBytes(limit_),
          name_, FormatBytes(bytes), FormatBytes(current));
    }
    next = current + bytes;
  } while (!used_.compare_exchange_weak(current, next, std::memory_order_relaxed));
  int64_t peak = peak_.load(std::memory_order_relaxed);
  while (next > peak && !peak_.compare_exchange_weak(peak, next, std::memory_order_relaxed)) {
  }
  return Status::OK();
}

Status MemoryTracker::Reserve(int64_t bytes) {
  if (bytes < 0) {
    return Status::InvalidArgument("cannot reserve a negative number of bytes: {}", bytes);
  }
  FLOE_RETURN_NOT_OK(ReserveLocal(bytes));
  if (parent_ != nullptr) {
    Status status = parent_->Reserve(bytes);
    if (!status.ok()) {
      used_.fetch_sub(bytes, std::memory_order_relaxed);
      return status;
    }
  }
  return Status::OK();
}

void MemoryTracker::Release(int64_t bytes) {
  used_.fetch_sub(bytes, std::memory_order_relaxed);
  if (parent_ != nullptr) {
    parent_->Release(bytes);
  }
}

MemoryReservation::MemoryReservation(MemoryReservation&& other) noexcept
    : tracker_(std::exchange(other.tracker_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}

MemoryReservation& MemoryReservation::operator=(MemoryReservation&& other) noexcept {
  if (this != &other) {
    Reset();
    tracker_ = std::exchange(other.tracker_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

Status MemoryReservation::Grow(int64_t bytes) {
  if (tracker_ != nullptr) {
    FLOE_RETURN_NOT_OK(tracker_->Reserve(bytes));
  }
  bytes_ += bytes;
  return Status::OK();
}

Status MemoryReservation::Resize(int64_t bytes) {
  if (bytes >= bytes_) {
    return Grow(bytes - bytes_);
  }
  if (tracker_ != nullptr) {
    tracker_->Release(bytes_ - bytes);
  }
  bytes_ = bytes;
  return Status::OK();
}

void MemoryReservation::Reset() {
  if (tracker_ != nullptr && bytes_ > 0) {
    tracker_->Release(bytes_);
  }
  bytes_ = 0;
}

std::string FormatBytes(int64_t bytes) {
  constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) {
    return fmt::format("{} B", bytes);
  }
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

}  // namespace floe
