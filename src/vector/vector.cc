#include "vector/vector.h"

#include <limits>
#include <utility>

#include "vector/vector_builder.h"
#include "vector/vector_internal.h"

namespace floe::vector {
namespace internal {

PhysicalKind PhysicalKindOf(const types::LogicalType& type) {
  switch (type.id()) {
    case types::TypeId::kNull:
      return PhysicalKind::kNull;
    case types::TypeId::kBoolean:
      return PhysicalKind::kBits;
    case types::TypeId::kVarchar:
    case types::TypeId::kBytea:
      return PhysicalKind::kString;
    case types::TypeId::kList:
    case types::TypeId::kMap:
      return PhysicalKind::kList;
    case types::TypeId::kStruct:
      return PhysicalKind::kStruct;
    default:
      return PhysicalKind::kFixed;
  }
}

std::vector<types::LogicalType> ChildTypesOf(const types::LogicalType& type) {
  std::vector<types::LogicalType> children;
  switch (type.id()) {
    case types::TypeId::kList:
      children.push_back(type.element_type());
      break;
    case types::TypeId::kMap:
      // Arrow lays a map out as a list of key-value structs; keeping that shape lets maps leave
      // as Arrow without a copy.
      children.push_back(types::LogicalType::Struct(
          {{"key", std::make_shared<const types::LogicalType>(type.key_type())},
           {"value", std::make_shared<const types::LogicalType>(type.value_type())}}));
      break;
    case types::TypeId::kStruct:
      for (const types::StructField& field : type.fields()) {
        children.push_back(*field.type);
      }
      break;
    default:
      break;
  }
  return children;
}

}  // namespace internal

namespace {

using internal::PhysicalKind;

Status CheckBufferSize(const std::shared_ptr<Buffer>& buffer, int64_t bytes, const char* role) {
  if (buffer == nullptr) {
    return bytes > 0 ? Status::InvalidArgument("vector has no {} buffer", role) : Status::OK();
  }
  if (buffer->size() < bytes) {
    return Status::InvalidArgument("vector {} buffer holds {} bytes, needs {}", role,
                                   buffer->size(), bytes);
  }
  return Status::OK();
}

// Offsets come from files and the wire, so they are checked before anything reads through them.
Status CheckOffsets(const int32_t* offsets, int64_t length, int64_t target_length) {
  if (offsets[0] < 0) {
    return Status::InvalidArgument("vector offset {} is negative", offsets[0]);
  }
  for (int64_t row = 0; row < length; ++row) {
    if (offsets[row + 1] < offsets[row]) {
      return Status::InvalidArgument("vector offsets decrease at row {}: {} then {}", row,
                                     offsets[row], offsets[row + 1]);
    }
  }
  if (offsets[length] > target_length) {
    return Status::InvalidArgument("vector offset {} points past the end of its {} values",
                                   offsets[length], target_length);
  }
  return Status::OK();
}

Status CheckChildren(const types::LogicalType& type, int64_t length, int64_t offset,
                     const std::shared_ptr<Buffer>& values, const std::vector<Vector>& children) {
  std::vector<types::LogicalType> child_types = internal::ChildTypesOf(type);
  if (children.size() != child_types.size()) {
    return Status::InvalidArgument("vector of type {} needs {} children, got {}", type.ToString(),
                                   child_types.size(), children.size());
  }
  for (size_t index = 0; index < children.size(); ++index) {
    if (!(children[index].type() == child_types[index])) {
      return Status::InvalidArgument("child {} of a vector of type {} has type {}", index,
                                     type.ToString(), children[index].type().ToString());
    }
    if (type.id() == types::TypeId::kStruct && children[index].length() != length) {
      return Status::InvalidArgument("struct field {} has {} rows, the struct {}", index,
                                     children[index].length(), length);
    }
  }
  if (type.id() == types::TypeId::kStruct) {
    return Status::OK();
  }
  return CheckOffsets(values->data_as<int32_t>() + offset, length, children[0].length());
}

// Checks that the values, data and children of a flat vector can hold rows
// [offset, offset + length) of `type`.
Status CheckLayout(const types::LogicalType& type, int64_t length, int64_t offset,
                   const std::shared_ptr<Buffer>& values, const std::shared_ptr<Buffer>& data,
                   const std::vector<Vector>& children) {
  // Lengths and offsets come from files too: bound them so the byte counts below (at most 16
  // bytes a value) cannot overflow.
  constexpr int64_t kMaxRows = std::numeric_limits<int64_t>::max() / 32;
  if (length < 0 || offset < 0 || length > kMaxRows || offset > kMaxRows - length) {
    return Status::InvalidArgument("vector of {} rows at offset {} is out of range", length,
                                   offset);
  }
  int64_t end = offset + length;
  switch (internal::PhysicalKindOf(type)) {
    case PhysicalKind::kNull:
      return Status::OK();
    case PhysicalKind::kStruct:
      return CheckChildren(type, length, offset, values, children);
    case PhysicalKind::kBits:
      return CheckBufferSize(values, BitmapBytes(end), "values");
    case PhysicalKind::kFixed:
      return CheckBufferSize(values, end * type.PhysicalWidth(), "values");
    case PhysicalKind::kString:
      FLOE_RETURN_NOT_OK(CheckBufferSize(values, (end + 1) * 4, "offsets"));
      return CheckOffsets(values->data_as<int32_t>() + offset, length, data ? data->size() : 0);
    case PhysicalKind::kList:
      FLOE_RETURN_NOT_OK(CheckBufferSize(values, (end + 1) * 4, "offsets"));
      return CheckChildren(type, length, offset, values, children);
  }
  return Status::OK();
}

}  // namespace

Result<Vector> Vector::MakeFlat(types::LogicalType type, int64_t length, int64_t offset,
                                std::shared_ptr<Buffer> validity, std::shared_ptr<Buffer> values,
                                std::shared_ptr<Buffer> data, std::vector<Vector> children,
                                int64_t null_count) {
  if (length < 0 || offset < 0) {
    return Status::InvalidArgument("vector length {} and offset {} must not be negative", length,
                                   offset);
  }
  int64_t end = offset + length;
  FLOE_RETURN_NOT_OK(CheckBufferSize(validity, validity ? BitmapBytes(end) : 0, "validity"));
  PhysicalKind kind = internal::PhysicalKindOf(type);
  FLOE_RETURN_NOT_OK(CheckLayout(type, length, offset, values, data, children));
  if (kind == PhysicalKind::kNull && validity == nullptr) {
    FLOE_ASSIGN_OR_RETURN(validity, Buffer::AllocateZeroed(BitmapBytes(end)));
  }
  if (null_count > length || (null_count > 0 && validity == nullptr)) {
    return Status::InvalidArgument("vector of {} rows cannot hold {} NULLs with {} bitmap", length,
                                   null_count, validity ? "a" : "no");
  }
  if (values == nullptr && kind != PhysicalKind::kNull && kind != PhysicalKind::kStruct) {
    // An empty buffer, so that accessors of an empty vector need no null check.
    values = std::make_shared<Buffer>();
  }
  Vector vector;
  vector.type_ = std::move(type);
  vector.length_ = length;
  vector.offset_ = offset;
  vector.validity_ = std::move(validity);
  vector.values_ = std::move(values);
  vector.data_ = std::move(data);
  vector.children_ = std::move(children);
  vector.null_count_ =
      null_count >= 0 && kind != PhysicalKind::kNull ? null_count : vector.CountNulls();
  return vector;
}

Result<Vector> Vector::MakeConstant(const Vector& source, int64_t row, int64_t length,
                                    MemoryTracker* tracker) {
  FLOE_DCHECK(row >= 0 && row < source.length());
  Vector value = source.Slice(row, 1);
  if (!value.is_flat()) {
    FLOE_ASSIGN_OR_RETURN(value, value.Flatten(tracker));
  }
  Vector vector;
  vector.type_ = source.type_;
  vector.encoding_ = Encoding::kConstant;
  vector.length_ = length;
  vector.null_count_ = value.IsNull(0) ? length : 0;
  vector.dictionary_ = std::make_shared<const Vector>(std::move(value));
  return vector;
}

Result<Vector> Vector::MakeConstantNull(const types::LogicalType& type, int64_t length,
                                        MemoryTracker* tracker) {
  VectorBuilder builder(type, tracker);
  FLOE_RETURN_NOT_OK(builder.AppendNull());
  FLOE_ASSIGN_OR_RETURN(Vector value, builder.Finish());
  return MakeConstant(value, 0, length, tracker);
}

Result<Vector> Vector::MakeDictionary(std::shared_ptr<const Vector> dictionary, int64_t length,
                                      int64_t offset, std::shared_ptr<Buffer> indices,
                                      std::shared_ptr<Buffer> validity) {
  if (dictionary == nullptr || !dictionary->is_flat()) {
    return Status::InvalidArgument("a dictionary vector needs a flat dictionary");
  }
  if (length < 0 || offset < 0) {
    return Status::InvalidArgument("vector length {} and offset {} must not be negative", length,
                                   offset);
  }
  FLOE_RETURN_NOT_OK(CheckBufferSize(indices, (offset + length) * 4, "indices"));
  FLOE_RETURN_NOT_OK(
      CheckBufferSize(validity, validity ? BitmapBytes(offset + length) : 0, "validity"));
  Vector vector;
  vector.type_ = dictionary->type();
  vector.encoding_ = Encoding::kDictionary;
  vector.length_ = length;
  vector.offset_ = offset;
  vector.values_ = std::move(indices);
  vector.validity_ = std::move(validity);
  vector.dictionary_ = std::move(dictionary);
  const int32_t* row_indices = vector.indices();
  int64_t dictionary_length = vector.dictionary_->length();
  for (int64_t row = 0; row < length; ++row) {
    bool is_valid = vector.validity_ == nullptr || GetBit(vector.validity_->data(), offset + row);
    if (is_valid && (row_indices[row] < 0 || row_indices[row] >= dictionary_length)) {
      return Status::InvalidArgument("dictionary index {} at row {} is outside a dictionary of {}",
                                     row_indices[row], row, dictionary_length);
    }
  }
  vector.null_count_ = vector.CountNulls();
  return vector;
}

int64_t Vector::CountNulls() const {
  if (encoding_ == Encoding::kConstant) {
    return dictionary_->IsNull(0) ? length_ : 0;
  }
  if (encoding_ == Encoding::kFlat && type_.id() == types::TypeId::kNull) {
    return length_;
  }
  int64_t own_nulls = validity_ ? length_ - CountSetBits(validity_->data(), offset_, length_) : 0;
  if (encoding_ == Encoding::kFlat || !dictionary_->MayHaveNulls()) {
    return own_nulls;
  }
  int64_t nulls = own_nulls;
  const int32_t* row_indices = indices();
  for (int64_t row = 0; row < length_; ++row) {
    bool is_valid = validity_ == nullptr || GetBit(validity_->data(), offset_ + row);
    if (is_valid && dictionary_->IsNull(row_indices[row])) {
      ++nulls;
    }
  }
  return nulls;
}

Vector Vector::Slice(int64_t offset, int64_t length) const {
  FLOE_DCHECK(offset >= 0 && length >= 0 && offset + length <= length_);
  Vector slice = *this;
  slice.length_ = length;
  if (encoding_ == Encoding::kConstant) {
    slice.null_count_ = null_count_ == 0 ? 0 : length;
    return slice;
  }
  slice.offset_ = offset_ + offset;
  if (type_.id() == types::TypeId::kStruct && is_flat()) {
    for (Vector& child : slice.children_) {
      child = child.Slice(offset, length);
    }
  }
  if (null_count_ == 0) {
    slice.null_count_ = 0;
  } else if (null_count_ == length_ && is_flat()) {
    slice.null_count_ = length;
  } else {
    slice.null_count_ = slice.CountNulls();
  }
  return slice;
}

}  // namespace floe::vector
