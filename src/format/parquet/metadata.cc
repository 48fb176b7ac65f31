#include "format/parquet/metadata.h"

#include <bit>
#include <initializer_list>
#include <string_view>
#include <type_traits>

#include "format/parquet/thrift_compact.h"

namespace floe::format::parquet {
namespace {

// --- Wire types: which compact type carries a C++ field type. ---

constexpr CompactType WireType(const bool*) {
  return CompactType::kBooleanTrue;
}
constexpr CompactType WireType(const int8_t*) {
  return CompactType::kByte;
}
constexpr CompactType WireType(const int16_t*) {
  return CompactType::kI16;
}
constexpr CompactType WireType(const int32_t*) {
  return CompactType::kI32;
}
constexpr CompactType WireType(const int64_t*) {
  return CompactType::kI64;
}
constexpr CompactType WireType(const std::string*) {
  return CompactType::kBinary;
}
// ColumnOrder is a union of empty structs, flattened into an enum here.
constexpr CompactType WireType(const ColumnOrder*) {
  return CompactType::kStruct;
}
template <typename E>
requires std::is_enum_v<E>
constexpr CompactType WireType(const E*) {
  return CompactType::kI32;
}
template <typename T>
constexpr CompactType WireType(const std::vector<T>*) {
  return CompactType::kList;
}
template <typename T>
requires std::is_class_v<T>
constexpr CompactType WireType(const T*) {
  return CompactType::kStruct;
}

template <typename T>
constexpr CompactType WireTypeOf() {
  return WireType(static_cast<const T*>(nullptr));
}

bool IsBoolean(CompactType type) {
  return type == CompactType::kBooleanTrue || type == CompactType::kBooleanFalse;
}

bool Matches(CompactType actual, CompactType expected) {
  if (expected == CompactType::kBooleanTrue) {
    return IsBoolean(actual);
  }
  if (expected == CompactType::kList) {
    return actual == CompactType::kList || actual == CompactType::kSet;
  }
  return actual == expected;
}

constexpr uint64_t FieldMask(std::initializer_list<int> ids) {
  uint64_t mask = 0;
  for (int id : ids) {
    mask |= uint64_t{1} << id;
  }
  return mask;
}

// --- Reading. ---

/// One field of a struct being decoded, with the set of field ids seen so far.
struct Field {
  CompactReader& reader;
  FieldHeader header;
  uint64_t& seen;
};

Status Decode(CompactReader& reader, Statistics& out);
Status Decode(CompactReader& reader, LogicalType& out);
Status Decode(CompactReader& reader, SchemaElement& out);
Status Decode(CompactReader& reader, KeyValue& out);
Status Decode(CompactReader& reader, SortingColumn& out);
Status Decode(CompactReader& reader, PageEncodingStats& out);
Status Decode(CompactReader& reader, ColumnMetaData& out);
Status Decode(CompactReader& reader, ColumnChunk& out);
Status Decode(CompactReader& reader, RowGroup& out);
Status Decode(CompactReader& reader, ColumnOrder& out);
Status Decode(CompactReader& reader, FileMetaData& out);
Status Decode(CompactReader& reader, DataPageHeader& out);
Status Decode(CompactReader& reader, IndexPageHeader& out);
Status Decode(CompactReader& reader, DictionaryPageHeader& out);
Status Decode(CompactReader& reader, DataPageHeaderV2& out);
Status Decode(CompactReader& reader, PageHeader& out);
Status Decode(CompactReader& reader, PageLocation& out);
Status Decode(CompactReader& reader, OffsetIndex& out);
Status Decode(CompactReader& reader, ColumnIndex& out);
Status Decode(CompactReader& reader, BloomFilterHeader& out);

Status ReadValue(CompactReader& reader, bool& out) {
  FLOE_ASSIGN_OR_RETURN(out, reader.ReadBool());
  return Status::OK();
}
Status ReadValue(CompactReader& reader, int8_t& out) {
  FLOE_ASSIGN_OR_RETURN(out, reader.ReadI8());
  return Status::OK();
}
Status ReadValue(CompactReader& reader, int16_t& out) {
  FLOE_ASSIGN_OR_RETURN(out, reader.ReadI16());
  return Status::OK();
}
Status ReadValue(CompactReader& reader, int32_t& out) {
  FLOE_ASSIGN_OR_RETURN(out, reader.ReadI32());
  return Status::OK();
}
Status ReadValue(CompactReader& reader, int64_t& out) {
  FLOE_ASSIGN_OR_RETURN(out, reader.ReadI64());
  return Status::OK();
}
Status ReadValue(CompactReader& reader, std::string& out) {
  FLOE_ASSIGN_OR_RETURN(std::string_view value, reader.ReadBinary());
  out.assign(value);
  return Status::OK();
}
template <typename E>
requires std::is_enum_v<E> Status ReadValue(CompactReader& reader, E& out) {
  FLOE_ASSIGN_OR_RETURN(int32_t value, reader.ReadI32());
  out = static_cast<E>(value);
  return Status::OK();
}
template <typename T>
requires std::is_class_v<T> Status ReadValue(CompactReader& reader, T& out) {
  return Decode(reader, out);
}
Status ReadValue(CompactReader& reader, ColumnOrder& out) {
  return Decode(reader, out);
}

template <typename T>
Status ReadValue(CompactReader& reader, std::vector<T>& out) {
  size_t start = reader.position();
  FLOE_ASSIGN_OR_RETURN(ListHeader header, reader.ReadListHeader());
  out.clear();
  if (header.size == 0) {
    return Status::OK();
  }
  if (!Matches(header.element_type, WireTypeOf<T>())) {
    return Status::Corruption("Parquet metadata list at byte {} holds elements of type {}", start,
                              static_cast<int>(header.element_type));
  }
  FLOE_RETURN_NOT_OK(reader.BeginContainer());
  // Growing element by element keeps memory proportional to the bytes actually read.
  for (int64_t i = 0; i < header.size; ++i) {
    T element{};
    FLOE_RETURN_NOT_OK(ReadValue(reader, element));
    out.push_back(std::move(element));
  }
  reader.EndContainer();
  return Status::OK();
}

template <typename T>
Status ReadField(Field& field, T& out) {
  if (!Matches(field.header.type, WireTypeOf<T>())) {
    return field.reader.Skip(field.header.type);
  }
  if (field.header.id > 0 && field.header.id < 64) {
    field.seen |= uint64_t{1} << field.header.id;
  }
  if constexpr (std::is_same_v<T, bool>) {
    out = field.header.type == CompactType::kBooleanTrue;
    return Status::OK();
  } else {
    return ReadValue(field.reader, out);
  }
}

template <typename T>
Status ReadField(Field& field, std::optional<T>& out) {
  if (!Matches(field.header.type, WireTypeOf<T>())) {
    return field.reader.Skip(field.header.type);
  }
  out.emplace();
  return ReadField(field, *out);
}

/// Decodes one struct, calling `on_field` for each field, and checks its required fields.
template <typename OnField>
Status DecodeStruct(CompactReader& reader, std::string_view name, uint64_t required,
                    OnField&& on_field) {
  FLOE_RETURN_NOT_OK(reader.BeginStruct());
  uint64_t seen = 0;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(FieldHeader header, reader.ReadFieldHeader());
    if (header.type == CompactType::kStop) {
      break;
    }
    Field field{reader, header, seen};
    FLOE_RETURN_NOT_OK(on_field(field));
  }
  reader.EndStruct();
  if ((seen & required) != required) {
    return Status::Corruption("Parquet {} ending at byte {} lacks required field {}", name,
                              reader.position(), std::countr_zero(required & ~seen));
  }
  return Status::OK();
}

/// Decodes a union whose members are all structs: `on_member` reads the member's struct.
template <typename OnMember>
Status DecodeUnion(CompactReader& reader, std::string_view name, OnMember&& on_member) {
  bool has_member = false;
  FLOE_RETURN_NOT_OK(DecodeStruct(reader, name, 0, [&](Field& field) -> Status {
    if (field.header.type != CompactType::kStruct) {
      return reader.Skip(field.header.type);
    }
    has_member = true;
    return on_member(field.header.id);
  }));
  if (!has_member) {
    return Status::Corruption("Parquet {} ending at byte {} has no member", name,
                              reader.position());
  }
  return Status::OK();
}

Status Decode(CompactReader& reader, Statistics& out) {
  return DecodeStruct(reader, "Statistics", 0, [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.max);
      case 2:
        return ReadField(field, out.min);
      case 3:
        return ReadField(field, out.null_count);
      case 4:
        return ReadField(field, out.distinct_count);
      case 5:
        return ReadField(field, out.max_value);
      case 6:
        return ReadField(field, out.min_value);
      case 7:
        return ReadField(field, out.is_max_value_exact);
      case 8:
        return ReadField(field, out.is_min_value_exact);
      case 9:
        return ReadField(field, out.nan_count);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

template <typename E>
Status DecodeEmptyMemberUnion(CompactReader& reader, std::string_view name, E& out) {
  return DecodeUnion(reader, name, [&](int16_t id) -> Status {
    out = static_cast<E>(id);
    return reader.Skip(CompactType::kStruct);
  });
}

Status DecodeDecimal(CompactReader& reader, LogicalType& out) {
  return DecodeStruct(reader, "DecimalType", FieldMask({1, 2}), [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.scale);
      case 2:
        return ReadField(field, out.precision);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

// TimeType and TimestampType share their fields.
Status DecodeTimeLike(CompactReader& reader, LogicalType& out) {
  return DecodeStruct(reader, "TimestampType", FieldMask({1, 2}), [&](Field& field) -> Status {
    if (field.header.id == 1) {
      return ReadField(field, out.is_adjusted_to_utc);
    }
    if (field.header.id == 2 && field.header.type == CompactType::kStruct) {
      field.seen |= FieldMask({2});
      return DecodeEmptyMemberUnion(reader, "TimeUnit", out.unit);
    }
    return reader.Skip(field.header.type);
  });
}

Status DecodeInteger(CompactReader& reader, LogicalType& out) {
  return DecodeStruct(reader, "IntType", FieldMask({1, 2}), [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.bit_width);
      case 2:
        return ReadField(field, out.is_signed);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, LogicalType& out) {
  return DecodeUnion(reader, "LogicalType", [&](int16_t id) -> Status {
    // A union holds one member; when a hostile footer sets several, the last one wins whole,
    // without parameters left over from an earlier member.
    out = LogicalType{};
    out.kind = static_cast<LogicalTypeKind>(id);
    switch (out.kind) {
      case LogicalTypeKind::kDecimal:
        return DecodeDecimal(reader, out);
      case LogicalTypeKind::kTime:
      case LogicalTypeKind::kTimestamp:
        return DecodeTimeLike(reader, out);
      case LogicalTypeKind::kInteger:
        return DecodeInteger(reader, out);
      default:
        return reader.Skip(CompactType::kStruct);
    }
  });
}

Status Decode(CompactReader& reader, SchemaElement& out) {
  return DecodeStruct(reader, "SchemaElement", FieldMask({4}), [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.type);
      case 2:
        return ReadField(field, out.type_length);
      case 3:
        return ReadField(field, out.repetition_type);
      case 4:
        return ReadField(field, out.name);
      case 5:
        return ReadField(field, out.num_children);
      case 6:
        return ReadField(field, out.converted_type);
      case 7:
        return ReadField(field, out.scale);
      case 8:
        return ReadField(field, out.precision);
      case 9:
        return ReadField(field, out.field_id);
      case 10:
        return ReadField(field, out.logical_type);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, KeyValue& out) {
  return DecodeStruct(reader, "KeyValue", FieldMask({1}), [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.key);
      case 2:
        return ReadField(field, out.value);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, SortingColumn& out) {
  return DecodeStruct(reader, "SortingColumn", FieldMask({1, 2, 3}), [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.column_index);
      case 2:
        return ReadField(field, out.descending);
      case 3:
        return ReadField(field, out.nulls_first);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, PageEncodingStats& out) {
  return DecodeStruct(reader, "PageEncodingStats", FieldMask({1, 2, 3}),
                      [&](Field& field) -> Status {
                        switch (field.header.id) {
                          case 1:
                            return ReadField(field, out.page_type);
                          case 2:
                            return ReadField(field, out.encoding);
                          case 3:
                            return ReadField(field, out.count);
                          default:
                            return reader.Skip(field.header.type);
                        }
                      });
}

Status Decode(CompactReader& reader, ColumnMetaData& out) {
  constexpr uint64_t kRequired = FieldMask({1, 2, 3, 4, 5, 6, 7, 9});
  return DecodeStruct(reader, "ColumnMetaData", kRequired, [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.type);
      case 2:
        return ReadField(field, out.encodings);
      case 3:
        return ReadField(field, out.path_in_schema);
      case 4:
        return ReadField(field, out.codec);
      case 5:
        return ReadField(field, out.num_values);
      case 6:
        return ReadField(field, out.total_uncompressed_size);
      case 7:
        return ReadField(field, out.total_compressed_size);
      case 8:
        return ReadField(field, out.key_value_metadata);
      case 9:
        return ReadField(field, out.data_page_offset);
      case 10:
        return ReadField(field, out.index_page_offset);
      case 11:
        return ReadField(field, out.dictionary_page_offset);
      case 12:
        return ReadField(field, out.statistics);
      case 13:
        return ReadField(field, out.encoding_stats);
      case 14:
        return ReadField(field, out.bloom_filter_offset);
      case 15:
        return ReadField(field, out.bloom_filter_length);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, ColumnChunk& out) {
  // file_offset is required by the specification, yet some writers leave it out.
  return DecodeStruct(reader, "ColumnChunk", 0, [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.file_path);
      case 2:
        return ReadField(field, out.file_offset);
      case 3:
        return ReadField(field, out.meta_data);
      case 4:
        return ReadField(field, out.offset_index_offset);
      case 5:
        return ReadField(field, out.offset_index_length);
      case 6:
        return ReadField(field, out.column_index_offset);
      case 7:
        return ReadField(field, out.column_index_length);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, RowGroup& out) {
  return DecodeStruct(reader, "RowGroup", FieldMask({1, 2, 3}), [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.columns);
      case 2:
        return ReadField(field, out.total_byte_size);
      case 3:
        return ReadField(field, out.num_rows);
      case 4:
        return ReadField(field, out.sorting_columns);
      case 5:
        return ReadField(field, out.file_offset);
      case 6:
        return ReadField(field, out.total_compressed_size);
      case 7:
        return ReadField(field, out.ordinal);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, ColumnOrder& out) {
  return DecodeEmptyMemberUnion(reader, "ColumnOrder", out);
}

Status Decode(CompactReader& reader, FileMetaData& out) {
  constexpr uint64_t kRequired = FieldMask({1, 2, 3, 4});
  return DecodeStruct(reader, "FileMetaData", kRequired, [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.version);
      case 2:
        return ReadField(field, out.schema);
      case 3:
        return ReadField(field, out.num_rows);
      case 4:
        return ReadField(field, out.row_groups);
      case 5:
        return ReadField(field, out.key_value_metadata);
      case 6:
        return ReadField(field, out.created_by);
      case 7:
        return ReadField(field, out.column_orders);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, DataPageHeader& out) {
  return DecodeStruct(reader, "DataPageHeader", FieldMask({1, 2, 3, 4}),
                      [&](Field& field) -> Status {
                        switch (field.header.id) {
                          case 1:
                            return ReadField(field, out.num_values);
                          case 2:
                            return ReadField(field, out.encoding);
                          case 3:
                            return ReadField(field, out.definition_level_encoding);
                          case 4:
                            return ReadField(field, out.repetition_level_encoding);
                          case 5:
                            return ReadField(field, out.statistics);
                          default:
                            return reader.Skip(field.header.type);
                        }
                      });
}

Status Decode(CompactReader& reader, IndexPageHeader&) {
  return reader.Skip(CompactType::kStruct);
}

Status Decode(CompactReader& reader, DictionaryPageHeader& out) {
  return DecodeStruct(reader, "DictionaryPageHeader", FieldMask({1, 2}),
                      [&](Field& field) -> Status {
                        switch (field.header.id) {
                          case 1:
                            return ReadField(field, out.num_values);
                          case 2:
                            return ReadField(field, out.encoding);
                          case 3:
                            return ReadField(field, out.is_sorted);
                          default:
                            return reader.Skip(field.header.type);
                        }
                      });
}

Status Decode(CompactReader& reader, DataPageHeaderV2& out) {
  constexpr uint64_t kRequired = FieldMask({1, 2, 3, 4, 5, 6});
  return DecodeStruct(reader, "DataPageHeaderV2", kRequired, [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.num_values);
      case 2:
        return ReadField(field, out.num_nulls);
      case 3:
        return ReadField(field, out.num_rows);
      case 4:
        return ReadField(field, out.encoding);
      case 5:
        return ReadField(field, out.definition_levels_byte_length);
      case 6:
        return ReadField(field, out.repetition_levels_byte_length);
      case 7:
        return ReadField(field, out.is_compressed);
      case 8:
        return ReadField(field, out.statistics);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, PageHeader& out) {
  return DecodeStruct(reader, "PageHeader", FieldMask({1, 2, 3}), [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.type);
      case 2:
        return ReadField(field, out.uncompressed_page_size);
      case 3:
        return ReadField(field, out.compressed_page_size);
      case 4:
        return ReadField(field, out.crc);
      case 5:
        return ReadField(field, out.data_page_header);
      case 6:
        return ReadField(field, out.index_page_header);
      case 7:
        return ReadField(field, out.dictionary_page_header);
      case 8:
        return ReadField(field, out.data_page_header_v2);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, PageLocation& out) {
  return DecodeStruct(reader, "PageLocation", FieldMask({1, 2, 3}), [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.offset);
      case 2:
        return ReadField(field, out.compressed_page_size);
      case 3:
        return ReadField(field, out.first_row_index);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, OffsetIndex& out) {
  return DecodeStruct(reader, "OffsetIndex", FieldMask({1}), [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.page_locations);
      case 2:
        return ReadField(field, out.unencoded_byte_array_data_bytes);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, ColumnIndex& out) {
  return DecodeStruct(reader, "ColumnIndex", FieldMask({1, 2, 3, 4}), [&](Field& field) -> Status {
    switch (field.header.id) {
      case 1:
        return ReadField(field, out.null_pages);
      case 2:
        return ReadField(field, out.min_values);
      case 3:
        return ReadField(field, out.max_values);
      case 4:
        return ReadField(field, out.boundary_order);
      case 5:
        return ReadField(field, out.null_counts);
      case 6:
        return ReadField(field, out.repetition_level_histograms);
      case 7:
        return ReadField(field, out.definition_level_histograms);
      default:
        return reader.Skip(field.header.type);
    }
  });
}

Status Decode(CompactReader& reader, BloomFilterHeader& out) {
  constexpr uint64_t kRequired = FieldMask({1, 2, 3, 4});
  return DecodeStruct(reader, "BloomFilterHeader", kRequired, [&](Field& field) -> Status {
    if (field.header.id == 1) {
      return ReadField(field, out.num_bytes);
    }
    if (field.header.id < 2 || field.header.id > 4 || field.header.type != CompactType::kStruct) {
      return reader.Skip(field.header.type);
    }
    field.seen |= uint64_t{1} << field.header.id;
    switch (field.header.id) {
      case 2:
        return DecodeEmptyMemberUnion(reader, "BloomFilterAlgorithm", out.algorithm);
      case 3:
        return DecodeEmptyMemberUnion(reader, "BloomFilterHash", out.hash);
      default:
        return DecodeEmptyMemberUnion(reader, "BloomFilterCompression", out.compression);
    }
  });
}

template <typename T>
Result<T> ReadStruct(std::span<const uint8_t> bytes, size_t* consumed) {
  CompactReader reader(bytes);
  T value{};
  FLOE_RETURN_NOT_OK(Decode(reader, value));
  if (consumed != nullptr) {
    *consumed = reader.position();
  }
  return value;
}

// --- Writing. ---

void Encode(CompactWriter& writer, const Statistics& value);
void Encode(CompactWriter& writer, const LogicalType& value);
void Encode(CompactWriter& writer, const SchemaElement& value);
void Encode(CompactWriter& writer, const KeyValue& value);
void Encode(CompactWriter& writer, const SortingColumn& value);
void Encode(CompactWriter& writer, const PageEncodingStats& value);
void Encode(CompactWriter& writer, const ColumnMetaData& value);
void Encode(CompactWriter& writer, const ColumnChunk& value);
void Encode(CompactWriter& writer, const RowGroup& value);
void Encode(CompactWriter& writer, const FileMetaData& value);
void Encode(CompactWriter& writer, const DataPageHeader& value);
void Encode(CompactWriter& writer, const IndexPageHeader& value);
void Encode(CompactWriter& writer, const DictionaryPageHeader& value);
void Encode(CompactWriter& writer, const DataPageHeaderV2& value);
void Encode(CompactWriter& writer, const PageHeader& value);
void Encode(CompactWriter& writer, const PageLocation& value);
void Encode(CompactWriter& writer, const OffsetIndex& value);
void Encode(CompactWriter& writer, const ColumnIndex& value);
void Encode(CompactWriter& writer, const BloomFilterHeader& value);

/// Writes a union member that is an empty struct.
void EncodeEmptyMember(CompactWriter& writer, int16_t id) {
  writer.BeginStruct();
  writer.WriteFieldHeader(id, CompactType::kStruct);
  writer.BeginStruct();
  writer.EndStruct();
  writer.EndStruct();
}

void Encode(CompactWriter& writer, ColumnOrder value) {
  EncodeEmptyMember(writer, static_cast<int16_t>(value));
}

void WriteValue(CompactWriter& writer, bool value) {
  writer.WriteBool(value);
}
void WriteValue(CompactWriter& writer, int8_t value) {
  writer.WriteI8(value);
}
void WriteValue(CompactWriter& writer, int16_t value) {
  writer.WriteI16(value);
}
void WriteValue(CompactWriter& writer, int32_t value) {
  writer.WriteI32(value);
}
void WriteValue(CompactWriter& writer, int64_t value) {
  writer.WriteI64(value);
}
void WriteValue(CompactWriter& writer, const std::string& value) {
  writer.WriteBinary(value);
}
void WriteValue(CompactWriter& writer, ColumnOrder value) {
  Encode(writer, value);
}
template <typename E>
requires std::is_enum_v<E>
void WriteValue(CompactWriter& writer, E value) {
  writer.WriteI32(static_cast<int32_t>(value));
}
template <typename T>
requires std::is_class_v<T>
void WriteValue(CompactWriter& writer, const T& value) {
  Encode(writer, value);
}
template <typename T>
void WriteValue(CompactWriter& writer, const std::vector<T>& values) {
  writer.WriteListHeader(WireTypeOf<T>(), static_cast<int64_t>(values.size()));
  for (const auto& value : values) {
    WriteValue(writer, static_cast<const T&>(value));
  }
}

template <typename T>
void WriteField(CompactWriter& writer, int16_t id, const T& value) {
  if constexpr (std::is_same_v<T, bool>) {
    writer.WriteFieldHeader(id, value ? CompactType::kBooleanTrue : CompactType::kBooleanFalse);
  } else {
    writer.WriteFieldHeader(id, WireTypeOf<T>());
    WriteValue(writer, value);
  }
}

template <typename T>
void WriteField(CompactWriter& writer, int16_t id, const std::optional<T>& value) {
  if (value.has_value()) {
    WriteField(writer, id, *value);
  }
}

void Encode(CompactWriter& writer, const Statistics& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.max);
  WriteField(writer, 2, value.min);
  WriteField(writer, 3, value.null_count);
  WriteField(writer, 4, value.distinct_count);
  WriteField(writer, 5, value.max_value);
  WriteField(writer, 6, value.min_value);
  WriteField(writer, 7, value.is_max_value_exact);
  WriteField(writer, 8, value.is_min_value_exact);
  WriteField(writer, 9, value.nan_count);
  writer.EndStruct();
}

void EncodeLogicalTypeMember(CompactWriter& writer, const LogicalType& value) {
  switch (value.kind) {
    case LogicalTypeKind::kDecimal:
      WriteField(writer, 1, value.scale);
      WriteField(writer, 2, value.precision);
      break;
    case LogicalTypeKind::kTime:
    case LogicalTypeKind::kTimestamp:
      WriteField(writer, 1, value.is_adjusted_to_utc);
      writer.WriteFieldHeader(2, CompactType::kStruct);
      EncodeEmptyMember(writer, static_cast<int16_t>(value.unit));
      break;
    case LogicalTypeKind::kInteger:
      WriteField(writer, 1, value.bit_width);
      WriteField(writer, 2, value.is_signed);
      break;
    default:
      break;
  }
}

void Encode(CompactWriter& writer, const LogicalType& value) {
  writer.BeginStruct();
  writer.WriteFieldHeader(static_cast<int16_t>(value.kind), CompactType::kStruct);
  writer.BeginStruct();
  EncodeLogicalTypeMember(writer, value);
  writer.EndStruct();
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const SchemaElement& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.type);
  WriteField(writer, 2, value.type_length);
  WriteField(writer, 3, value.repetition_type);
  WriteField(writer, 4, value.name);
  WriteField(writer, 5, value.num_children);
  WriteField(writer, 6, value.converted_type);
  WriteField(writer, 7, value.scale);
  WriteField(writer, 8, value.precision);
  WriteField(writer, 9, value.field_id);
  WriteField(writer, 10, value.logical_type);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const KeyValue& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.key);
  WriteField(writer, 2, value.value);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const SortingColumn& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.column_index);
  WriteField(writer, 2, value.descending);
  WriteField(writer, 3, value.nulls_first);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const PageEncodingStats& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.page_type);
  WriteField(writer, 2, value.encoding);
  WriteField(writer, 3, value.count);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const ColumnMetaData& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.type);
  WriteField(writer, 2, value.encodings);
  WriteField(writer, 3, value.path_in_schema);
  WriteField(writer, 4, value.codec);
  WriteField(writer, 5, value.num_values);
  WriteField(writer, 6, value.total_uncompressed_size);
  WriteField(writer, 7, value.total_compressed_size);
  WriteField(writer, 8, value.key_value_metadata);
  WriteField(writer, 9, value.data_page_offset);
  WriteField(writer, 10, value.index_page_offset);
  WriteField(writer, 11, value.dictionary_page_offset);
  WriteField(writer, 12, value.statistics);
  WriteField(writer, 13, value.encoding_stats);
  WriteField(writer, 14, value.bloom_filter_offset);
  WriteField(writer, 15, value.bloom_filter_length);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const ColumnChunk& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.file_path);
  WriteField(writer, 2, value.file_offset);
  WriteField(writer, 3, value.meta_data);
  WriteField(writer, 4, value.offset_index_offset);
  WriteField(writer, 5, value.offset_index_length);
  WriteField(writer, 6, value.column_index_offset);
  WriteField(writer, 7, value.column_index_length);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const RowGroup& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.columns);
  WriteField(writer, 2, value.total_byte_size);
  WriteField(writer, 3, value.num_rows);
  WriteField(writer, 4, value.sorting_columns);
  WriteField(writer, 5, value.file_offset);
  WriteField(writer, 6, value.total_compressed_size);
  WriteField(writer, 7, value.ordinal);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const FileMetaData& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.version);
  WriteField(writer, 2, value.schema);
  WriteField(writer, 3, value.num_rows);
  WriteField(writer, 4, value.row_groups);
  WriteField(writer, 5, value.key_value_metadata);
  WriteField(writer, 6, value.created_by);
  WriteField(writer, 7, value.column_orders);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const DataPageHeader& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.num_values);
  WriteField(writer, 2, value.encoding);
  WriteField(writer, 3, value.definition_level_encoding);
  WriteField(writer, 4, value.repetition_level_encoding);
  WriteField(writer, 5, value.statistics);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const IndexPageHeader&) {
  writer.BeginStruct();
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const DictionaryPageHeader& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.num_values);
  WriteField(writer, 2, value.encoding);
  WriteField(writer, 3, value.is_sorted);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const DataPageHeaderV2& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.num_values);
  WriteField(writer, 2, value.num_nulls);
  WriteField(writer, 3, value.num_rows);
  WriteField(writer, 4, value.encoding);
  WriteField(writer, 5, value.definition_levels_byte_length);
  WriteField(writer, 6, value.repetition_levels_byte_length);
  WriteField(writer, 7, value.is_compressed);
  WriteField(writer, 8, value.statistics);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const PageHeader& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.type);
  WriteField(writer, 2, value.uncompressed_page_size);
  WriteField(writer, 3, value.compressed_page_size);
  WriteField(writer, 4, value.crc);
  WriteField(writer, 5, value.data_page_header);
  WriteField(writer, 6, value.index_page_header);
  WriteField(writer, 7, value.dictionary_page_header);
  WriteField(writer, 8, value.data_page_header_v2);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const PageLocation& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.offset);
  WriteField(writer, 2, value.compressed_page_size);
  WriteField(writer, 3, value.first_row_index);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const OffsetIndex& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.page_locations);
  WriteField(writer, 2, value.unencoded_byte_array_data_bytes);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const ColumnIndex& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.null_pages);
  WriteField(writer, 2, value.min_values);
  WriteField(writer, 3, value.max_values);
  WriteField(writer, 4, value.boundary_order);
  WriteField(writer, 5, value.null_counts);
  WriteField(writer, 6, value.repetition_level_histograms);
  WriteField(writer, 7, value.definition_level_histograms);
  writer.EndStruct();
}

void Encode(CompactWriter& writer, const BloomFilterHeader& value) {
  writer.BeginStruct();
  WriteField(writer, 1, value.num_bytes);
  writer.WriteFieldHeader(2, CompactType::kStruct);
  EncodeEmptyMember(writer, static_cast<int16_t>(value.algorithm));
  writer.WriteFieldHeader(3, CompactType::kStruct);
  EncodeEmptyMember(writer, static_cast<int16_t>(value.hash));
  writer.WriteFieldHeader(4, CompactType::kStruct);
  EncodeEmptyMember(writer, static_cast<int16_t>(value.compression));
  writer.EndStruct();
}

template <typename T>
void WriteStruct(const T& value, std::vector<uint8_t>& output) {
  CompactWriter writer(output);
  Encode(writer, value);
}

}  // namespace

Result<FileMetaData> ReadFileMetaData(std::span<const uint8_t> bytes) {
  return ReadStruct<FileMetaData>(bytes, nullptr);
}

Result<PageHeader> ReadPageHeader(std::span<const uint8_t> bytes, size_t& consumed) {
  return ReadStruct<PageHeader>(bytes, &consumed);
}

Result<ColumnIndex> ReadColumnIndex(std::span<const uint8_t> bytes) {
  return ReadStruct<ColumnIndex>(bytes, nullptr);
}

Result<OffsetIndex> ReadOffsetIndex(std::span<const uint8_t> bytes) {
  return ReadStruct<OffsetIndex>(bytes, nullptr);
}

Result<BloomFilterHeader> ReadBloomFilterHeader(std::span<const uint8_t> bytes, size_t& consumed) {
  return ReadStruct<BloomFilterHeader>(bytes, &consumed);
}

void WriteFileMetaData(const FileMetaData& metadata, std::vector<uint8_t>& output) {
  WriteStruct(metadata, output);
}

void WritePageHeader(const PageHeader& header, std::vector<uint8_t>& output) {
  WriteStruct(header, output);
}

void WriteColumnIndex(const ColumnIndex& index, std::vector<uint8_t>& output) {
  WriteStruct(index, output);
}

void WriteOffsetIndex(const OffsetIndex& index, std::vector<uint8_t>& output) {
  WriteStruct(index, output);
}

void WriteBloomFilterHeader(const BloomFilterHeader& header, std::vector<uint8_t>& output) {
  WriteStruct(header, output);
}

}  // namespace floe::format::parquet
