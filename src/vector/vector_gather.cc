#include <algorithm>
#include <cstring>
#include <vector>

#include "vector/selection_vector.h"
#include "vector/vector.h"
#include "vector/vector_internal.h"

namespace floe::vector {
namespace {

using internal::PhysicalKind;

constexpr uint32_t kNullRow = SelectionVector::kNullRow;

struct Bytes16 {
  uint64_t low;
  uint64_t high;
};

bool IsSourceValid(const uint8_t* validity, int64_t offset, uint32_t row) {
  return row != kNullRow && (validity == nullptr || GetBit(validity, offset + row));
}

template <typename T>
Result<std::shared_ptr<Buffer>> GatherFixed(const uint8_t* source, const uint32_t* rows,
                                            int64_t count, MemoryTracker* tracker) {
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer,
                        Buffer::Allocate(count * static_cast<int64_t>(sizeof(T)), tracker));
  const T* input = reinterpret_cast<const T*>(source);
  T* output = buffer->mutable_data_as<T>();
  for (int64_t index = 0; index < count; ++index) {
    output[index] = rows[index] == kNullRow ? T{} : input[rows[index]];
  }
  return buffer;
}

Result<std::shared_ptr<Buffer>> GatherFixedWidth(int width, const uint8_t* source,
                                                 const uint32_t* rows, int64_t count,
                                                 MemoryTracker* tracker) {
  switch (width) {
    case 2:
      return GatherFixed<uint16_t>(source, rows, count, tracker);
    case 4:
      return GatherFixed<uint32_t>(source, rows, count, tracker);
    case 8:
      return GatherFixed<uint64_t>(source, rows, count, tracker);
    case 16:
      return GatherFixed<Bytes16>(source, rows, count, tracker);
    default:
      return Status::Internal("no gather for values of {} bytes", width);
  }
}

Result<std::shared_ptr<Buffer>> GatherBits(const uint8_t* source, int64_t offset,
                                           const uint32_t* rows, int64_t count,
                                           MemoryTracker* tracker) {
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer,
                        Buffer::Allocate(BitmapBytes(count), tracker));
  uint8_t* output = buffer->mutable_data();
  for (int64_t index = 0; index < count; ++index) {
    uint32_t row = rows[index];
    SetBitTo(output, index, row != kNullRow && GetBit(source, offset + row));
  }
  return buffer;
}

// Fills `offsets` for the rows kept, with NULL rows empty, and returns the total span.
int64_t GatherOffsets(const int32_t* source, const uint32_t* rows, int64_t count,
                      const uint8_t* output_validity, int32_t* offsets) {
  int64_t total = 0;
  offsets[0] = 0;
  for (int64_t index = 0; index < count; ++index) {
    if (output_validity == nullptr || GetBit(output_validity, index)) {
      uint32_t row = rows[index];
      total += source[row + 1] - source[row];
    }
    // Saturate so a too-large total is reported by the caller rather than wrapping.
    offsets[index + 1] = static_cast<int32_t>(std::min<int64_t>(total, internal::kMaxOffset));
  }
  return total;
}

// Returns the validity of the gathered rows, or nullptr when none is NULL.
Result<std::shared_ptr<Buffer>> GatherValidity(const Vector& source, const uint32_t* rows,
                                               int64_t count, MemoryTracker* tracker) {
  bool has_nulls = source.MayHaveNulls();
  for (int64_t index = 0; index < count && !has_nulls; ++index) {
    has_nulls = rows[index] == kNullRow;
  }
  if (!has_nulls) {
    return std::shared_ptr<Buffer>();
  }
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<Buffer> buffer,
                        Buffer::Allocate(BitmapBytes(count), tracker));
  uint8_t* bits = buffer->mutable_data();
  for (int64_t index = 0; index < count; ++index) {
    SetBitTo(bits, index, IsSourceValid(source.validity_bits(), source.offset(), rows[index]));
  }
  return buffer;
}

struct StringParts {
  std::shared_ptr<Buffer> offsets;
  std::shared_ptr<Buffer> data;
};

Result<StringParts> GatherStrings(const Vector& source, const uint32_t* rows, int64_t count,
                                  const uint8_t* output_validity, MemoryTracker* tracker) {
  StringParts parts;
  FLOE_ASSIGN_OR_RETURN(parts.offsets, Buffer::Allocate((count + 1) * 4, tracker));
  int32_t* offsets = parts.offsets->mutable_data_as<int32_t>();
  int64_t total = GatherOffsets(source.offsets(), rows, count, output_validity, offsets);
  if (total > internal::kMaxOffset) {
    return Status::ResourceExhausted("gathered strings take {}, more than a vector holds",
                                     FormatBytes(total));
  }
  FLOE_ASSIGN_OR_RETURN(parts.data, Buffer::Allocate(total, tracker));
  uint8_t* output = parts.data->mutable_data();
  for (int64_t index = 0; index < count; ++index) {
    int64_t size = offsets[index + 1] - offsets[index];
    if (size > 0) {
      std::memcpy(output + offsets[index], source.string_data() + source.offsets()[rows[index]],
                  static_cast<size_t>(size));
    }
  }
  return parts;
}

struct ListParts {
  std::shared_ptr<Buffer> offsets;
  Vector elements;
};

Result<ListParts> GatherLists(const Vector& source, const uint32_t* rows, int64_t count,
                              const uint8_t* output_validity, MemoryTracker* tracker) {
  ListParts parts;
  FLOE_ASSIGN_OR_RETURN(parts.offsets, Buffer::Allocate((count + 1) * 4, tracker));
  int32_t* offsets = parts.offsets->mutable_data_as<int32_t>();
  int64_t total = GatherOffsets(source.offsets(), rows, count, output_validity, offsets);
  if (total > internal::kMaxOffset) {
    return Status::ResourceExhausted("gathered lists hold {} elements, more than a vector holds",
                                     total);
  }
  SelectionVector elements;
  elements.Reserve(total);
  for (int64_t index = 0; index < count; ++index) {
    int32_t first = offsets[index] == offsets[index + 1] ? 0 : source.offsets()[rows[index]];
    for (int32_t element = 0; element < offsets[index + 1] - offsets[index]; ++element) {
      elements.Append(static_cast<uint32_t>(first + element));
    }
  }
  FLOE_ASSIGN_OR_RETURN(parts.elements, source.child(0).Gather(elements, tracker));
  return parts;
}

}  // namespace

Result<Vector> Vector::Gather(const SelectionVector& selection, MemoryTracker* tracker) const {
  return GatherRows(selection.data(), selection.size(), tracker);
}

Result<Vector> Vector::Flatten(MemoryTracker* tracker) const {
  if (is_flat()) {
    return *this;
  }
  SelectionVector identity = SelectionVector::Identity(length_);
  return GatherRows(identity.data(), length_, tracker);
}

Result<Vector> Vector::GatherRows(const uint32_t* rows, int64_t count,
                                  MemoryTracker* tracker) const {
  if (is_flat()) {
    return GatherFlat(rows, count, tracker);
  }
  std::vector<uint32_t> mapped(static_cast<size_t>(count));
  const uint8_t* own_validity = validity_bits();
  for (int64_t index = 0; index < count; ++index) {
    uint32_t row = rows[index];
    if (!IsSourceValid(own_validity, offset_, row)) {
      mapped[index] = kNullRow;
    } else {
      mapped[index] = encoding_ == Encoding::kConstant ? 0 : static_cast<uint32_t>(indices()[row]);
    }
  }
  return dictionary_->GatherFlat(mapped.data(), count, tracker);
}

Result<Vector> Vector::GatherFlat(const uint32_t* rows, int64_t count,
                                  MemoryTracker* tracker) const {
  Vector result;
  result.type_ = type_;
  result.length_ = count;
  FLOE_ASSIGN_OR_RETURN(result.validity_, GatherValidity(*this, rows, count, tracker));
  const uint8_t* output_validity = result.validity_bits();
  if (output_validity != nullptr) {
    result.null_count_ = count - CountSetBits(output_validity, 0, count);
  }
  switch (internal::PhysicalKindOf(type_)) {
    case PhysicalKind::kNull:
      break;
    case PhysicalKind::kBits: {
      FLOE_ASSIGN_OR_RETURN(result.values_,
                            GatherBits(values_->data(), offset_, rows, count, tracker));
      break;
    }
    case PhysicalKind::kFixed: {
      int width = type_.PhysicalWidth();
      FLOE_ASSIGN_OR_RETURN(
          result.values_,
          GatherFixedWidth(width, values_->data() + offset_ * width, rows, count, tracker));
      break;
    }
    case PhysicalKind::kString: {
      FLOE_ASSIGN_OR_RETURN(StringParts parts,
                            GatherStrings(*this, rows, count, output_validity, tracker));
      result.values_ = std::move(parts.offsets);
      result.data_ = std::move(parts.data);
      break;
    }
    case PhysicalKind::kList: {
      FLOE_ASSIGN_OR_RETURN(ListParts parts,
                            GatherLists(*this, rows, count, output_validity, tracker));
      result.values_ = std::move(parts.offsets);
      result.children_.push_back(std::move(parts.elements));
      break;
    }
    case PhysicalKind::kStruct:
      for (const Vector& field : children_) {
        FLOE_ASSIGN_OR_RETURN(Vector child, field.GatherRows(rows, count, tracker));
        result.children_.push_back(std::move(child));
      }
      break;
  }
  return result;
}

}  // namespace floe::vector
