#include "sql/execution/retained_buffers.h"

#include <algorithm>
#include <vector>

namespace floe::sql::execution {
namespace {

// Collects the untracked buffers of `vector`, its children and its dictionary or constant value.
void CollectUntracked(const vector::Vector& vector, std::vector<const vector::Buffer*>& buffers) {
  for (const auto* buffer :
       {vector.validity_buffer().get(), vector.values_buffer().get(), vector.data_buffer().get()}) {
    if (buffer != nullptr && buffer->tracker() == nullptr) {
      buffers.push_back(buffer);
    }
  }
  for (int64_t i = 0; i < vector.num_children(); ++i) {
    CollectUntracked(vector.child(i), buffers);
  }
  if (!vector.is_flat()) {
    CollectUntracked(vector.dictionary(), buffers);
  }
}

}  // namespace

int64_t EstimateBatchBytes(const vector::Batch& batch) {
  int64_t bytes = 0;
  const int64_t rows = batch.num_rows();
  for (const vector::Vector& column : batch.columns()) {
    bytes += rows / 8 + 1;
    if (column.type().IsString()) {
      bytes += 4 * rows;
      for (int64_t row = 0; row < rows; ++row) {
        if (!column.IsNull(row)) {
          bytes += static_cast<int64_t>(column.GetString(row).size());
        }
      }
    } else {
      bytes += std::max(column.type().PhysicalWidth(), 1) * rows;
    }
  }
  return bytes;
}

Status RetainedBuffers::Add(const vector::Batch& batch) {
  std::vector<const vector::Buffer*> buffers;
  for (const vector::Vector& column : batch.columns()) {
    CollectUntracked(column, buffers);
  }
  std::vector<const vector::Buffer*> added;
  int64_t bytes = 0;
  for (const vector::Buffer* buffer : buffers) {
    if (charged_.insert(buffer).second) {
      added.push_back(buffer);
      bytes += buffer->capacity();
    }
  }
  Status status = reservation_.Grow(bytes);
  if (!status.ok()) {
    for (const vector::Buffer* buffer : added) {
      charged_.erase(buffer);
    }
  }
  return status;
}

void RetainedBuffers::Reset() {
  charged_.clear();
  reservation_.Reset();
}

}  // namespace floe::sql::execution
