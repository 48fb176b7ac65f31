#include "vector/buffer.h"

#include <cstdlib>
#include <cstring>

namespace floe::vector {
namespace {

int64_t RoundUpToAlignment(int64_t bytes) {
  return (bytes + Buffer::kAlignment - 1) / Buffer::kAlignment * Buffer::kAlignment;
}

}  // namespace

Buffer::~Buffer() {
  std::free(data_);
}

Result<std::shared_ptr<Buffer>> Buffer::Allocate(int64_t size, MemoryTracker* tracker) {
  auto buffer = std::make_shared<Buffer>(tracker);
  FLOE_RETURN_NOT_OK(buffer->Resize(size));
  return buffer;
}

Result<std::shared_ptr<Buffer>> Buffer::AllocateZeroed(int64_t size, MemoryTracker* tracker) {
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer, Allocate(size, tracker));
  if (size > 0) {
    std::memset(buffer->mutable_data(), 0, static_cast<size_t>(size));
  }
  return buffer;
}

Status Buffer::Reserve(int64_t capacity) {
  if (capacity <= capacity_) {
    return Status::OK();
  }
  int64_t new_capacity = RoundUpToAlignment(capacity);
  int64_t old_reservation = reservation_.bytes();
  FLOE_RETURN_NOT_OK(reservation_.Resize(new_capacity));
  void* new_data = std::aligned_alloc(kAlignment, static_cast<size_t>(new_capacity));
  if (new_data == nullptr) {
    (void)reservation_.Resize(old_reservation);
    return Status::ResourceExhausted("cannot allocate a buffer of {}", FormatBytes(new_capacity));
  }
  if (size_ > 0) {
    std::memcpy(new_data, data_, static_cast<size_t>(size_));
  }
  std::free(data_);
  data_ = static_cast<uint8_t*>(new_data);
  capacity_ = new_capacity;
  return Status::OK();
}

Status Buffer::Resize(int64_t size) {
  if (size < 0) {
    return Status::InvalidArgument("buffer size must not be negative: {}", size);
  }
  FLOE_RETURN_NOT_OK(Reserve(size));
  size_ = size;
  return Status::OK();
}

}  // namespace floe::vector
