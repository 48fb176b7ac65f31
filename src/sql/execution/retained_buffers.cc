#include "sql/execution/retained_buffers.h"

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
