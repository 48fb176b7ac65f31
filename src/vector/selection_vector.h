#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace floe::vector {

/// Row indices (uint32) picking rows of a batch: the output of a filter, the probe side of a
/// join, the order of a sort. Storage is either owned or borrowed from the caller, who then
/// keeps it alive and unchanged for as long as the selection is used. Copying an owned
/// selection copies its indices; copying a borrowed one copies the view.
class SelectionVector {
 public:
  /// An index that stands for a NULL row: gathering it yields NULL. Lets outer joins emit the
  /// padding rows of the side without a match.
  static constexpr uint32_t kNullRow = UINT32_MAX;

  /// Makes an empty, owned selection.
  SelectionVector() = default;
  /// Takes ownership of `indices`.
  explicit SelectionVector(std::vector<uint32_t> indices) : storage_(std::move(indices)) {}

  /// Returns the owned selection 0, 1, ..., count - 1.
  static SelectionVector Identity(int64_t count);
  /// Returns a selection viewing `indices` without copying them.
  static SelectionVector Borrow(std::span<const uint32_t> indices);

  int64_t size() const {
    return borrowed_ != nullptr ? borrowed_size_ : static_cast<int64_t>(storage_.size());
  }
  bool empty() const { return size() == 0; }
  bool is_owned() const { return borrowed_ == nullptr; }
  const uint32_t* data() const { return borrowed_ != nullptr ? borrowed_ : storage_.data(); }
  uint32_t operator[](int64_t position) const { return data()[position]; }

  /// Ensures room for `capacity` indices without reallocating. Owned selections only.
  void Reserve(int64_t capacity);
  /// Appends one index. Owned selections only.
  void Append(uint32_t row) { storage_.push_back(row); }
  /// Sets the number of indices, new ones zero; lets a kernel write through mutable_data().
  /// Owned selections only.
  void Resize(int64_t size);
  /// Returns writable indices. Owned selections only.
  uint32_t* mutable_data() { return storage_.data(); }

 private:
  std::vector<uint32_t> storage_;
  const uint32_t* borrowed_ = nullptr;
  int64_t borrowed_size_ = 0;
};

}  // namespace floe::vector
