#include "server/http/arrow_ipc_writer.h"

#include <cstring>
#include <deque>
#include <utility>
#include <vector>

#include "server/http/flatbuffer_builder.h"
#include "types/interval.h"
#include "vector/bitmap.h"

namespace floe::server::http {
namespace {

using Offset = FlatBufferBuilder::Offset;
using types::LogicalType;
using types::TypeId;

// Schema.fbs: the members of union Type and of the enums used here.
enum ArrowType : int8_t {
  kArrowNull = 1,
  kArrowInt = 2,
  kArrowFloatingPoint = 3,
  kArrowBinary = 4,
  kArrowUtf8 = 5,
  kArrowBool = 6,
  kArrowDecimal = 7,
  kArrowDate = 8,
  kArrowTime = 9,
  kArrowTimestamp = 10,
  kArrowInterval = 11,
  kArrowList = 12,
  kArrowStruct = 13,
  kArrowFixedSizeBinary = 15,
  kArrowMap = 17,
};
constexpr int16_t kPrecisionSingle = 1;
constexpr int16_t kPrecisionDouble = 2;
constexpr int16_t kDateUnitDay = 0;
constexpr int16_t kDateUnitDefault = 1;  // MILLISECOND.
constexpr int16_t kTimeUnitMicrosecond = 2;
constexpr int16_t kIntervalMonthDayNano = 2;
// Message.fbs: MessageHeader members and MetadataVersion V5.
constexpr int8_t kHeaderSchema = 1;
constexpr int8_t kHeaderRecordBatch = 3;
constexpr int16_t kMetadataV5 = 4;
constexpr uint32_t kContinuation = 0xFFFFFFFF;

struct TypeTable {
  int8_t type_id;
  Offset table;
};

Offset EmptyTable(FlatBufferBuilder& builder) {
  builder.StartTable(0);
  return builder.EndTable();
}

Offset IntTable(FlatBufferBuilder& builder, int32_t bit_width) {
  builder.StartTable(2);
  builder.AddInt32(0, bit_width, 0);
  builder.AddBool(1, true, false);
  return builder.EndTable();
}

Offset OneInt16Table(FlatBufferBuilder& builder, int16_t value, int16_t default_value) {
  builder.StartTable(1);
  builder.AddInt16(0, value, default_value);
  return builder.EndTable();
}

// Fields are added in the order Arrow's reference writers add them, so that the metadata comes
// out byte for byte the same.
TypeTable EncodeType(FlatBufferBuilder& builder, const LogicalType& type) {
  switch (type.id()) {
    case TypeId::kNull:
      return {kArrowNull, EmptyTable(builder)};
    case TypeId::kBoolean:
      return {kArrowBool, EmptyTable(builder)};
    case TypeId::kSmallInt:
      return {kArrowInt, IntTable(builder, 16)};
    case TypeId::kInteger:
      return {kArrowInt, IntTable(builder, 32)};
    case TypeId::kBigInt:
      return {kArrowInt, IntTable(builder, 64)};
    case TypeId::kReal:
      return {kArrowFloatingPoint, OneInt16Table(builder, kPrecisionSingle, 0)};
    case TypeId::kDouble:
      return {kArrowFloatingPoint, OneInt16Table(builder, kPrecisionDouble, 0)};
    case TypeId::kDecimal:
      builder.StartTable(3);
      builder.AddInt32(1, type.scale(), 0);
      builder.AddInt32(0, type.precision(), 0);
      builder.AddInt32(2, 128, 128);
      return {kArrowDecimal, builder.EndTable()};
    case TypeId::kDate:
      return {kArrowDate, OneInt16Table(builder, kDateUnitDay, kDateUnitDefault)};
    case TypeId::kTime:
      builder.StartTable(2);
      builder.AddInt16(0, kTimeUnitMicrosecond, 1);
      builder.AddInt32(1, 64, 32);
      return {kArrowTime, builder.EndTable()};
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      bool has_zone = type.id() == TypeId::kTimestampTz;
      Offset zone = has_zone ? builder.CreateString("UTC") : 0;
      builder.StartTable(2);
      builder.AddInt16(0, kTimeUnitMicrosecond, 0);
      if (has_zone) {
        builder.AddOffset(1, zone);
      }
      return {kArrowTimestamp, builder.EndTable()};
    }
    case TypeId::kInterval:
      return {kArrowInterval, OneInt16Table(builder, kIntervalMonthDayNano, 0)};
    case TypeId::kVarchar:
      return {kArrowUtf8, EmptyTable(builder)};
    case TypeId::kBytea:
      return {kArrowBinary, EmptyTable(builder)};
    case TypeId::kUuid:
      builder.StartTable(1);
      builder.AddInt32(0, 16, 0);
      return {kArrowFixedSizeBinary, builder.EndTable()};
    case TypeId::kList:
      return {kArrowList, EmptyTable(builder)};
    case TypeId::kStruct:
      return {kArrowStruct, EmptyTable(builder)};
    case TypeId::kMap:
      builder.StartTable(1);
      builder.AddBool(0, false, false);
      return {kArrowMap, builder.EndTable()};
  }
  return {kArrowNull, EmptyTable(builder)};
}

Offset EncodeField(FlatBufferBuilder& builder, const std::string& name, const LogicalType& type,
                   bool is_nullable) {
  TypeTable encoded = EncodeType(builder, type);
  std::vector<Offset> children;
  switch (type.id()) {
    case TypeId::kList:
      children.push_back(EncodeField(builder, "item", type.element_type(), true));
      break;
    case TypeId::kStruct:
      for (const types::StructField& field : type.fields()) {
        children.push_back(EncodeField(builder, field.name, *field.type, true));
      }
      break;
    case TypeId::kMap: {
      // Arrow's Map: a non-nullable "entries" struct of a non-nullable key and a value.
      Offset struct_table = EmptyTable(builder);
      std::vector<Offset> members = {EncodeField(builder, "key", type.key_type(), false),
                                     EncodeField(builder, "value", type.value_type(), true)};
      Offset members_vector = builder.CreateOffsetVector(members);
      Offset entries_name = builder.CreateString("entries");
      builder.StartTable(7);
      builder.AddOffset(3, struct_table);
      builder.AddInt8(2, kArrowStruct, 0);
      builder.AddOffset(5, members_vector);
      builder.AddOffset(0, entries_name);
      children.push_back(builder.EndTable());
      break;
    }
    default:
      break;
  }
  Offset children_vector = builder.CreateOffsetVector(children);
  Offset metadata = 0;
  if (type.id() == TypeId::kUuid) {
    // The canonical extension type, so that readers that know it see UUIDs.
    std::vector<Offset> pairs;
    for (auto [key, value] :
         {std::pair<std::string_view, std::string_view>{"ARROW:extension:name", "arrow.uuid"},
          {"ARROW:extension:metadata", ""}}) {
      Offset key_offset = builder.CreateString(key);
      Offset value_offset = builder.CreateString(value);
      builder.StartTable(2);
      builder.AddOffset(0, key_offset);
      builder.AddOffset(1, value_offset);
      pairs.push_back(builder.EndTable());
    }
    metadata = builder.CreateOffsetVector(pairs);
  }
  Offset name_offset = name.empty() ? 0 : builder.CreateString(name);
  builder.StartTable(7);
  builder.AddOffset(3, encoded.table);
  builder.AddInt8(2, encoded.type_id, 0);
  builder.AddOffset(5, children_vector);
  builder.AddBool(1, is_nullable, false);
  if (name_offset != 0) {
    builder.AddOffset(0, name_offset);
  }
  if (metadata != 0) {
    builder.AddOffset(6, metadata);
  }
  return builder.EndTable();
}

// Wraps FlatBuffers metadata as an encapsulated message: continuation marker, length, metadata
// and padding, so that the body that follows starts at a multiple of 8.
std::string Encapsulate(const std::string& metadata) {
  size_t padded = (metadata.size() + 7) & ~size_t{7};
  auto length = static_cast<int32_t>(padded);
  std::string message(8 + padded, '\0');
  std::memcpy(message.data(), &kContinuation, 4);
  std::memcpy(message.data() + 4, &length, 4);
  std::memcpy(message.data() + 8, metadata.data(), metadata.size());
  return message;
}

std::string EncodeMessage(FlatBufferBuilder& builder, int8_t header_type, Offset header,
                          int64_t body_length) {
  builder.StartTable(5);
  builder.AddInt16(0, kMetadataV5, 0);
  builder.AddOffset(2, header);
  builder.AddInt8(1, header_type, 0);
  builder.AddInt64(3, body_length, 0);
  return Encapsulate(builder.Finish(builder.EndTable()));
}

// Collects the field nodes and buffers of one record batch, pointing into the vectors where
// their layout is Arrow's and into converted copies where it is not.
class BodyBuilder {
 public:
  Status AddColumn(const vector::Vector& column) {
    const vector::Vector* flat = &column;
    if (!column.is_flat()) {
      FLOE_ASSIGN_OR_RETURN(vector::Vector flattened, column.Flatten());
      flat = &kept_.emplace_back(std::move(flattened));
    }
    return AddFlat(*flat);
  }

  const std::vector<std::pair<int64_t, int64_t>>& nodes() const { return nodes_; }
  const std::vector<std::pair<int64_t, int64_t>>& buffers() const { return buffers_; }
  int64_t body_length() const { return body_length_; }

  Status WriteBody(const ArrowIpcWriter::Sink& sink) const {
    static constexpr char kZeros[8] = {};
    for (const std::string_view& part : parts_) {
      FLOE_RETURN_NOT_OK(sink(part));
      size_t padding = (8 - part.size() % 8) % 8;
      if (padding != 0) {
        FLOE_RETURN_NOT_OK(sink(std::string_view(kZeros, padding)));
      }
    }
    return Status::OK();
  }

 private:
  void AddBuffer(const void* data, int64_t size) {
    buffers_.emplace_back(body_length_, size);
    parts_.emplace_back(static_cast<const char*>(data), static_cast<size_t>(size));
    body_length_ += (size + 7) & ~int64_t{7};
  }
  void AddOwned(std::string bytes) {
    const std::string& stored = owned_.emplace_back(std::move(bytes));
    AddBuffer(stored.data(), static_cast<int64_t>(stored.size()));
  }
  // Arrow bitmaps start at bit 0 of their buffer; Floe's may start anywhere.
  void AddBits(const uint8_t* bits, int64_t offset, int64_t length) {
    int64_t bytes = vector::BitmapBytes(length);
    if (offset % 8 == 0) {
      AddBuffer(bits + offset / 8, bytes);
      return;
    }
    std::string copy(static_cast<size_t>(bytes), '\0');
    vector::CopyBits(bits, offset, length, reinterpret_cast<uint8_t*>(copy.data()), 0);
    AddOwned(std::move(copy));
  }
  // Arrow readers expect offsets from 0 in a slice of its own, so a slice of a larger vector
  // gets rebased offsets; returns the first offset, where the data or child starts.
  int32_t AddOffsets(const vector::Vector& column) {
    int64_t length = column.length();
    if (length == 0) {
      AddOwned(std::string(4, '\0'));
      return 0;
    }
    const int32_t* offsets = column.offsets();
    int32_t first = offsets[0];
    if (first == 0) {
      AddBuffer(offsets, (length + 1) * 4);
      return 0;
    }
    std::string rebased(static_cast<size_t>(length + 1) * 4, '\0');
    auto* out = reinterpret_cast<int32_t*>(rebased.data());
    for (int64_t row = 0; row <= length; ++row) {
      out[row] = offsets[row] - first;
    }
    AddOwned(std::move(rebased));
    return first;
  }
  void AddFixedWidth(const vector::Vector& column) {
    int64_t width = column.type().PhysicalWidth();
    const uint8_t* values =
        column.length() == 0 ? nullptr : column.values_buffer()->data() + column.offset() * width;
    AddBuffer(values, column.length() * width);
  }

  Status AddFlat(const vector::Vector& column) {
    int64_t length = column.length();
    TypeId id = column.type().id();
    if (id == TypeId::kNull) {
      // The Null layout has no buffers at all.
      nodes_.emplace_back(length, length);
      return Status::OK();
    }
    nodes_.emplace_back(length, column.null_count());
    if (column.null_count() == 0 || column.validity_bits() == nullptr) {
      AddBuffer(nullptr, 0);
    } else {
      AddBits(column.validity_bits(), column.offset(), length);
    }
    switch (id) {
      case TypeId::kBoolean:
        if (length == 0) {
          AddBuffer(nullptr, 0);
        } else {
          AddBits(column.value_bits(), column.offset(), length);
        }
        return Status::OK();
      case TypeId::kDecimal:
        return AddDecimal(column);
      case TypeId::kInterval:
        return AddInterval(column);
      case TypeId::kVarchar:
      case TypeId::kBytea: {
        int32_t first = AddOffsets(column);
        int32_t last = length == 0 ? 0 : column.offsets()[length];
        const uint8_t* data = column.string_data();
        AddBuffer(data == nullptr ? nullptr : data + first, last - first);
        return Status::OK();
      }
      case TypeId::kList:
      case TypeId::kMap: {
        int32_t first = AddOffsets(column);
        int32_t last = length == 0 ? 0 : column.offsets()[length];
        return AddColumn(column.child(0).Slice(first, last - first));
      }
      case TypeId::kStruct:
        for (int64_t index = 0; index < column.num_children(); ++index) {
          FLOE_RETURN_NOT_OK(AddColumn(column.child(index)));
        }
        return Status::OK();
      default:
        AddFixedWidth(column);
        return Status::OK();
    }
  }

  // Arrow has 128-bit decimals only; Floe keeps up to 18 digits in 64 bits.
  Status AddDecimal(const vector::Vector& column) {
    if (column.type().precision() > LogicalType::kMaxInt64DecimalPrecision) {
      AddFixedWidth(column);
      return Status::OK();
    }
    std::string widened(static_cast<size_t>(column.length()) * 16, '\0');
    for (int64_t row = 0; row < column.length(); ++row) {
      auto value = static_cast<__int128>(column.values<int64_t>()[row]);
      std::memcpy(widened.data() + row * 16, &value, 16);
    }
    AddOwned(std::move(widened));
    return Status::OK();
  }

  // MONTH_DAY_NANO has Floe's months and days, and nanoseconds where Floe has microseconds.
  Status AddInterval(const vector::Vector& column) {
    struct MonthDayNano {
      int32_t months;
      int32_t days;
      int64_t nanoseconds;
    };
    std::string converted(static_cast<size_t>(column.length()) * 16, '\0');
    for (int64_t row = 0; row < column.length(); ++row) {
      types::Interval value = column.values<types::Interval>()[row];
      MonthDayNano out{value.months, value.days, 0};
      if (column.IsValid(row) &&
          __builtin_mul_overflow(value.micros, int64_t{1000}, &out.nanoseconds)) {
        return Status::OutOfRange(
            "interval of {} microseconds does not fit Arrow's 64-bit nanoseconds", value.micros);
      }
      std::memcpy(converted.data() + row * 16, &out, 16);
    }
    AddOwned(std::move(converted));
    return Status::OK();
  }

  std::vector<std::pair<int64_t, int64_t>> nodes_{};    // (length, null count)
  std::vector<std::pair<int64_t, int64_t>> buffers_{};  // (offset, length) in the body
  std::vector<std::string_view> parts_{};
  std::deque<std::string> owned_{};
  std::deque<vector::Vector> kept_{};
  int64_t body_length_ = 0;
};

}  // namespace

std::string EncodeArrowSchemaMessage(std::span<const ColumnInfo> columns) {
  FlatBufferBuilder builder;
  std::vector<Offset> fields;
  fields.reserve(columns.size());
  for (const ColumnInfo& column : columns) {
    fields.push_back(EncodeField(builder, column.name, column.type, true));
  }
  Offset fields_vector = builder.CreateOffsetVector(fields);
  builder.StartTable(4);
  builder.AddOffset(1, fields_vector);
  builder.AddInt16(0, 0, 0);  // Little-endian, the default.
  Offset schema = builder.EndTable();
  return EncodeMessage(builder, kHeaderSchema, schema, 0);
}

Status ArrowIpcWriter::WriteSchema(std::span<const ColumnInfo> columns) {
  return sink_(EncodeArrowSchemaMessage(columns));
}

Status ArrowIpcWriter::WriteBatch(const vector::Batch& batch) {
  BodyBuilder body;
  for (const vector::Vector& column : batch.columns()) {
    FLOE_RETURN_NOT_OK(body.AddColumn(column));
  }
  FlatBufferBuilder builder;
  Offset nodes = builder.CreateInt64PairVector(body.nodes());
  Offset buffers = builder.CreateInt64PairVector(body.buffers());
  builder.StartTable(5);
  builder.AddInt64(0, batch.num_rows(), 0);
  builder.AddOffset(1, nodes);
  builder.AddOffset(2, buffers);
  Offset record_batch = builder.EndTable();
  FLOE_RETURN_NOT_OK(
      sink_(EncodeMessage(builder, kHeaderRecordBatch, record_batch, body.body_length())));
  return body.WriteBody(sink_);
}

Status ArrowIpcWriter::WriteEnd() {
  static constexpr char kEndOfStream[8] = {'\xff', '\xff', '\xff', '\xff', 0, 0, 0, 0};
  return sink_(std::string_view(kEndOfStream, sizeof(kEndOfStream)));
}

}  // namespace floe::server::http
