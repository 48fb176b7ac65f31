#pragma once

#include <cstdint>
#include <memory>

#include "common/memory_tracker.h"
#include "common/result.h"

namespace floe::vector {

/// A 64-byte aligned, growable block of bytes: the storage behind every vector buffer (validity
/// bitmaps, values, offsets, string bytes).
///
/// Buffers are held by std::shared_ptr so that slices and several vectors can point into one
/// allocation. A buffer is written only while one owner (a builder, a decoder) holds it; once
/// shared it is read-only, and reading is thread-safe. When a MemoryTracker is given, the
/// capacity is reserved from it before allocating and released when the buffer is freed; the
/// tracker must outlive the buffer. Not copyable.
class Buffer {
 public:
  /// Alignment of the first byte; capacities are rounded up to a multiple of it, as Arrow
  /// recommends, so SIMD loops may read whole 64-byte blocks.
  static constexpr int64_t kAlignment = 64;

  /// Makes an empty buffer that allocates nothing until it grows.
  explicit Buffer(MemoryTracker* tracker = nullptr) : reservation_(tracker) {}
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  Buffer(Buffer&&) = delete;
  Buffer& operator=(Buffer&&) = delete;
  ~Buffer();

  /// Returns a buffer of `size` uninitialised bytes, or ResourceExhausted when the tracker's
  /// budget or the allocator refuses.
  static Result<std::shared_ptr<Buffer>> Allocate(int64_t size, MemoryTracker* tracker = nullptr);
  /// Returns a buffer of `size` zero bytes, failing as Allocate does.
  static Result<std::shared_ptr<Buffer>> AllocateZeroed(int64_t size,
                                                        MemoryTracker* tracker = nullptr);

  /// Ensures room for `capacity` bytes, moving the contents to a new allocation when needed.
  /// Grows to exactly what is asked (rounded up to the alignment): callers that append choose
  /// geometric growth themselves. On failure (ResourceExhausted) nothing changes.
  Status Reserve(int64_t capacity);
  /// Sets the size, growing the capacity as Reserve does; new bytes are uninitialised.
  Status Resize(int64_t size);

  const uint8_t* data() const { return data_; }
  uint8_t* mutable_data() { return data_; }
  template <typename T>
  const T* data_as() const {
    return reinterpret_cast<const T*>(data_);
  }
  template <typename T>
  T* mutable_data_as() {
    return reinterpret_cast<T*>(data_);
  }
  int64_t size() const { return size_; }
  int64_t capacity() const { return capacity_; }
  MemoryTracker* tracker() const { return reservation_.tracker(); }

 private:
  uint8_t* data_ = nullptr;
  int64_t size_ = 0;
  int64_t capacity_ = 0;
  MemoryReservation reservation_;
};

}  // namespace floe::vector
