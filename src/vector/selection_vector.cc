#include "vector/selection_vector.h"

#include <numeric>

#include "common/check.h"

namespace floe::vector {

SelectionVector SelectionVector::Identity(int64_t count) {
  std::vector<uint32_t> indices(static_cast<size_t>(count));
  std::iota(indices.begin(), indices.end(), uint32_t{0});
  return SelectionVector(std::move(indices));
}

SelectionVector SelectionVector::Borrow(std::span<const uint32_t> indices) {
  SelectionVector selection;
  selection.borrowed_ = indices.data();
  selection.borrowed_size_ = static_cast<int64_t>(indices.size());
  if (selection.borrowed_ == nullptr) {
    // An empty span may have no storage; an empty owned selection means the same.
    selection.borrowed_size_ = 0;
  }
  return selection;
}

void SelectionVector::Reserve(int64_t capacity) {
  FLOE_DCHECK(is_owned());
  storage_.reserve(static_cast<size_t>(capacity));
}

void SelectionVector::Resize(int64_t size) {
  FLOE_DCHECK(is_owned());
  storage_.resize(static_cast<size_t>(size));
}

}  // namespace floe::vector
