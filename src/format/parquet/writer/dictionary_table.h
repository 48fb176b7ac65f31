#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "format/parquet/writer/value_traits.h"

namespace floe::format::parquet::internal {

/// The dictionary of one column chunk: distinct values in insertion order (their index is
/// what data pages store) and an open-addressing hash table to find them. Values compare by
/// bit pattern. BYTE_ARRAY values are copied into blocks the table owns, so views stay valid
/// until Clear. Not thread-safe.
template <typename T>
class DictionaryTable {
 public:
  explicit DictionaryTable(bool is_fixed_length) : is_fixed_length_(is_fixed_length) {}

  /// Returns the index of `value`, inserting it first when absent (then sets `is_new`).
  uint32_t FindOrInsert(const T& value, bool& is_new) {
    if ((values_.size() + 1) * 2 > slots_.size()) {
      Grow();
    }
    size_t mask = slots_.size() - 1;
    for (size_t slot = DictionaryHash(value) & mask;; slot = (slot + 1) & mask) {
      int32_t index = slots_[slot];
      if (index < 0) {
        slots_[slot] = static_cast<int32_t>(values_.size());
        values_.push_back(Own(value));
        plain_bytes_ += PlainSize(value, is_fixed_length_);
        is_new = true;
        return static_cast<uint32_t>(values_.size() - 1);
      }
      if (SameBits(values_[static_cast<size_t>(index)], value)) {
        return static_cast<uint32_t>(index);
      }
    }
  }

  int64_t size() const { return static_cast<int64_t>(values_.size()); }
  std::span<const T> values() const { return values_; }
  /// Returns the size of the dictionary page before compression.
  int64_t plain_bytes() const { return plain_bytes_; }
  int64_t BufferedBytes() const {
    return static_cast<int64_t>(slots_.capacity() * sizeof(int32_t) +
                                values_.capacity() * sizeof(T)) +
           arena_bytes_;
  }

  void Clear() {
    slots_ = {};
    values_ = {};
    blocks_.clear();
    block_used_ = 0;
    block_size_ = 0;
    plain_bytes_ = 0;
    arena_bytes_ = 0;
  }

 private:
  static constexpr size_t kBlockBytes = 64 * 1024;

  void Grow() {
    size_t capacity = slots_.empty() ? 1024 : slots_.size() * 2;
    slots_.assign(capacity, -1);
    size_t mask = capacity - 1;
    for (size_t i = 0; i < values_.size(); ++i) {
      size_t slot = DictionaryHash(values_[i]) & mask;
      while (slots_[slot] >= 0) {
        slot = (slot + 1) & mask;
      }
      slots_[slot] = static_cast<int32_t>(i);
    }
  }

  T Own(const T& value) {
    if constexpr (std::is_same_v<T, std::string_view>) {
      if (blocks_.empty() || block_used_ + value.size() > block_size_) {
        block_size_ = std::max(kBlockBytes, value.size());
        blocks_.push_back(std::make_unique<char[]>(block_size_));
        arena_bytes_ += static_cast<int64_t>(block_size_);
        block_used_ = 0;
      }
      char* target = blocks_.back().get() + block_used_;
      if (!value.empty()) {
        std::memcpy(target, value.data(), value.size());
      }
      block_used_ += value.size();
      return std::string_view(target, value.size());
    } else {
      return value;
    }
  }

  bool is_fixed_length_;
  std::vector<int32_t> slots_;
  std::vector<T> values_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = 0;
  size_t block_size_ = 0;
  int64_t plain_bytes_ = 0;
  int64_t arena_bytes_ = 0;
};

}  // namespace floe::format::parquet::internal
