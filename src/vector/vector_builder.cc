#include "vector/vector_builder.h"

#include <algorithm>
#include <utility>

#include "vector/vector_internal.h"

namespace floe::vector {
namespace {

using internal::PhysicalKind;

// Small enough not to waste memory on tiny vectors, large enough to skip the first doublings.
constexpr int64_t kMinimumRows = 16;

std::shared_ptr<Buffer>& EnsureBuffer(std::shared_ptr<Buffer>& buffer, MemoryTracker* tracker) {
  if (buffer == nullptr) {
    buffer = std::make_shared<Buffer>(tracker);
  }
  return buffer;
}

}  // namespace

VectorBuilder::VectorBuilder(types::LogicalType type, MemoryTracker* tracker)
    : type_(std::move(type)), tracker_(tracker), width_(type_.PhysicalWidth()) {
  for (types::LogicalType& child_type : internal::ChildTypesOf(type_)) {
    children_.emplace_back(std::move(child_type), tracker);
  }
}

Status VectorBuilder::Reserve(int64_t additional_rows) {
  if (length_ + additional_rows > capacity_) {
    FLOE_RETURN_NOT_OK(GrowTo(length_ + additional_rows));
  }
  if (type_.id() == types::TypeId::kStruct) {
    for (VectorBuilder& field : children_) {
      FLOE_RETURN_NOT_OK(field.Reserve(length_ + additional_rows - field.length_));
    }
  }
  return Status::OK();
}

Status VectorBuilder::ReserveData(int64_t additional_bytes) {
  FLOE_DCHECK(internal::PhysicalKindOf(type_) == PhysicalKind::kString);
  Buffer& data = *EnsureBuffer(data_, tracker_);
  return data.Reserve(data.size() + additional_bytes);
}

Status VectorBuilder::GrowFor(int64_t additional_rows) {
  int64_t needed = length_ + additional_rows;
  if (needed <= capacity_) {
    return Status::OK();
  }
  return GrowTo(std::max({needed, 2 * capacity_, kMinimumRows}));
}

Status VectorBuilder::GrowTo(int64_t rows) {
  switch (internal::PhysicalKindOf(type_)) {
    case PhysicalKind::kNull:
    case PhysicalKind::kStruct:
      break;
    case PhysicalKind::kBits:
      FLOE_RETURN_NOT_OK(EnsureBuffer(values_, tracker_)->Resize(BitmapBytes(rows)));
      break;
    case PhysicalKind::kFixed:
      FLOE_RETURN_NOT_OK(EnsureBuffer(values_, tracker_)->Resize(rows * width_));
      break;
    case PhysicalKind::kString:
    case PhysicalKind::kList: {
      Buffer& offsets = *EnsureBuffer(values_, tracker_);
      bool is_new = offsets.size() == 0;
      FLOE_RETURN_NOT_OK(offsets.Resize((rows + 1) * 4));
      if (is_new) {
        mutable_offsets()[0] = 0;
      }
      break;
    }
  }
  if (validity_ != nullptr) {
    FLOE_RETURN_NOT_OK(validity_->Resize(BitmapBytes(rows)));
  }
  capacity_ = std::max(capacity_, rows);
  return Status::OK();
}

Status VectorBuilder::EnsureValidity() {
  if (validity_ != nullptr) {
    return Status::OK();
  }
  auto validity = std::make_shared<Buffer>(tracker_);
  FLOE_RETURN_NOT_OK(validity->Resize(BitmapBytes(capacity_)));
  SetBitsTo(validity->mutable_data(), 0, length_, true);
  validity_ = std::move(validity);
  return Status::OK();
}

Status VectorBuilder::AppendNulls(int64_t count) {
  if (count <= 0) {
    return Status::OK();
  }
  FLOE_RETURN_NOT_OK(GrowFor(count));
  FLOE_RETURN_NOT_OK(EnsureValidity());
  switch (internal::PhysicalKindOf(type_)) {
    case PhysicalKind::kNull:
      break;
    case PhysicalKind::kBits:
      SetBitsTo(values_->mutable_data(), length_, count, false);
      break;
    case PhysicalKind::kFixed:
      // Zeroed rather than left as garbage so that hashing and comparing whole buffers is
      // deterministic.
      std::memset(values_->mutable_data() + length_ * width_, 0,
                  static_cast<size_t>(count * width_));
      break;
    case PhysicalKind::kString:
    case PhysicalKind::kList: {
      if (type_.id() == types::TypeId::kMap) {
        FLOE_RETURN_NOT_OK(CloseMapEntries());
      }
      int64_t end = type_.id() == types::TypeId::kVarchar || type_.id() == types::TypeId::kBytea
                        ? (data_ ? data_->size() : 0)
                        : children_[0].length_;
      std::fill_n(mutable_offsets() + length_ + 1, count, static_cast<int32_t>(end));
      break;
    }
    case PhysicalKind::kStruct:
      for (VectorBuilder& field : children_) {
        FLOE_RETURN_NOT_OK(field.AppendNulls(count));
      }
      break;
  }
  SetBitsTo(validity_->mutable_data(), length_, count, false);
  length_ += count;
  null_count_ += count;
  return Status::OK();
}

Result<uint8_t*> VectorBuilder::AppendUninitializedBytes(int64_t count) {
  FLOE_RETURN_NOT_OK(GrowFor(count));
  uint8_t* output = values_->mutable_data() + length_ * width_;
  MarkValid(length_, count);
  length_ += count;
  return output;
}

Status VectorBuilder::AppendBool(bool value) {
  FLOE_DCHECK(type_.id() == types::TypeId::kBoolean);
  if (length_ == capacity_) [[unlikely]] {
    FLOE_RETURN_NOT_OK(GrowFor(1));
  }
  SetBitTo(values_->mutable_data(), length_, value);
  MarkValid(length_, 1);
  ++length_;
  return Status::OK();
}

Status VectorBuilder::AppendString(std::string_view value) {
  FLOE_DCHECK(internal::PhysicalKindOf(type_) == PhysicalKind::kString);
  if (length_ == capacity_) [[unlikely]] {
    FLOE_RETURN_NOT_OK(GrowFor(1));
  }
  Buffer& data = *EnsureBuffer(data_, tracker_);
  int64_t start = data.size();
  int64_t end = start + static_cast<int64_t>(value.size());
  if (end > internal::kMaxOffset) {
    return Status::ResourceExhausted("string data of one vector would take {}, more than {}",
                                     FormatBytes(end), FormatBytes(internal::kMaxOffset));
  }
  if (end > data.capacity()) {
    FLOE_RETURN_NOT_OK(data.Reserve(std::max(end, 2 * data.capacity())));
  }
  FLOE_RETURN_NOT_OK(data.Resize(end));
  if (!value.empty()) {
    std::memcpy(data.mutable_data() + start, value.data(), value.size());
  }
  mutable_offsets()[length_ + 1] = static_cast<int32_t>(end);
  MarkValid(length_, 1);
  ++length_;
  return Status::OK();
}

Status VectorBuilder::CloseMapEntries() {
  VectorBuilder& entries = children_[0];
  int64_t keys = entries.children_[0].length_;
  int64_t values = entries.children_[1].length_;
  if (keys != values) {
    return Status::InvalidArgument("map has {} keys but {} values", keys, values);
  }
  if (entries.children_[0].null_count_ > 0) {
    return Status::InvalidArgument("map keys must not be NULL");
  }
  int64_t pending = keys - entries.length_;
  if (pending > 0) {
    FLOE_RETURN_NOT_OK(entries.GrowFor(pending));
    entries.MarkValid(entries.length_, pending);
    entries.length_ += pending;
  }
  return Status::OK();
}

Status VectorBuilder::AppendList() {
  FLOE_DCHECK(internal::PhysicalKindOf(type_) == PhysicalKind::kList);
  if (type_.id() == types::TypeId::kMap) {
    FLOE_RETURN_NOT_OK(CloseMapEntries());
  }
  int64_t end = children_[0].length_;
  if (end > internal::kMaxOffset) {
    return Status::ResourceExhausted("lists of one vector would hold {} elements, more than {}",
                                     end, internal::kMaxOffset);
  }
  FLOE_RETURN_NOT_OK(GrowFor(1));
  mutable_offsets()[length_ + 1] = static_cast<int32_t>(end);
  MarkValid(length_, 1);
  ++length_;
  return Status::OK();
}

Status VectorBuilder::AppendStruct() {
  FLOE_DCHECK(type_.id() == types::TypeId::kStruct);
  for (size_t index = 0; index < children_.size(); ++index) {
    if (children_[index].length_ != length_ + 1) {
      return Status::InvalidArgument("struct field {} holds {} rows, expected {}",
                                     type_.fields()[index].name, children_[index].length_,
                                     length_ + 1);
    }
  }
  FLOE_RETURN_NOT_OK(GrowFor(1));
  MarkValid(length_, 1);
  ++length_;
  return Status::OK();
}

Status VectorBuilder::SetNull(int64_t row) {
  FLOE_DCHECK(row >= 0 && row < length_);
  FLOE_RETURN_NOT_OK(EnsureValidity());
  if (GetBit(validity_->data(), row)) {
    ClearBit(validity_->mutable_data(), row);
    ++null_count_;
  }
  return Status::OK();
}

Result<Vector> VectorBuilder::Finish() {
  PhysicalKind kind = internal::PhysicalKindOf(type_);
  if (type_.id() == types::TypeId::kMap) {
    FLOE_RETURN_NOT_OK(CloseMapEntries());
  }
  if ((kind == PhysicalKind::kString || kind == PhysicalKind::kList) &&
      (values_ == nullptr || values_->size() == 0)) {
    FLOE_RETURN_NOT_OK(GrowTo(capacity_));
  }
  Vector vector;
  for (size_t index = 0; index < children_.size(); ++index) {
    FLOE_ASSIGN_OR_RETURN(Vector child, children_[index].Finish());
    if (kind == PhysicalKind::kStruct && child.length() != length_) {
      return Status::InvalidArgument("struct field {} holds {} rows, the struct {}",
                                     type_.fields()[index].name, child.length(), length_);
    }
    vector.children_.push_back(std::move(child));
  }
  if (values_ == nullptr && (kind == PhysicalKind::kBits || kind == PhysicalKind::kFixed)) {
    // An empty buffer, so that accessors of an empty vector need no null check.
    values_ = std::make_shared<Buffer>(tracker_);
  }
  if (values_ != nullptr) {
    int64_t bytes = kind == PhysicalKind::kBits    ? BitmapBytes(length_)
                    : kind == PhysicalKind::kFixed ? length_ * width_
                                                   : (length_ + 1) * 4;
    FLOE_RETURN_NOT_OK(values_->Resize(bytes));
  }
  if (validity_ != nullptr) {
    FLOE_RETURN_NOT_OK(validity_->Resize(BitmapBytes(length_)));
  }
  vector.type_ = type_;
  vector.length_ = length_;
  vector.null_count_ = kind == PhysicalKind::kNull ? length_ : null_count_;
  vector.validity_ = std::move(validity_);
  vector.values_ = std::move(values_);
  vector.data_ = std::move(data_);
  length_ = 0;
  capacity_ = 0;
  null_count_ = 0;
  return vector;
}

}  // namespace floe::vector
