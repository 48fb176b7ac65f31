#include "table/manifest_schema.h"

#include <string>

namespace floe::table {
namespace {

using format::avro::AvroSchema;
using format::avro::AvroType;
using format::avro::SetIntAttribute;

AvroSchema Primitive(AvroType type) {
  return AvroSchema::Primitive(type);
}

void AddRequired(AvroSchema& record, const char* name, AvroSchema type, int32_t id) {
  SetIntAttribute(record.AddField(name, std::move(type)).attributes, "field-id", id);
}

// Optional fields are unions with null first and default null, as Iceberg writers emit them.
void AddOptional(AvroSchema& record, const char* name, AvroSchema type, int32_t id) {
  auto& field = record.AddField(name, AvroSchema::Optional(std::move(type)));
  field.default_json = "null";
  SetIntAttribute(field.attributes, "field-id", id);
}

// Appendix A: a map whose keys are not strings is an array of key/value records named
// "k<key id>_v<value id>", marked with logicalType "map".
AvroSchema IntKeyedMap(int32_t key_id, int32_t value_id, AvroType value_type) {
  AvroSchema entry =
      AvroSchema::Record("k" + std::to_string(key_id) + "_v" + std::to_string(value_id));
  AddRequired(entry, "key", Primitive(AvroType::kInt), key_id);
  AddRequired(entry, "value", Primitive(value_type), value_id);
  AvroSchema map = AvroSchema::Array(std::move(entry));
  map.logical_type = "map";
  return map;
}

AvroSchema List(int32_t element_id, AvroType element_type) {
  AvroSchema list = AvroSchema::Array(Primitive(element_type));
  SetIntAttribute(list.attributes, "element-id", element_id);
  return list;
}

AvroSchema WithLogicalType(AvroType type, const char* logical_type) {
  AvroSchema schema = Primitive(type);
  schema.logical_type = logical_type;
  return schema;
}

// Bytes needed to hold any unscaled value of `precision` digits as two's complement.
int32_t DecimalFixedSize(int precision) {
  int32_t size = 1;
  long double limit = 128;  // 2^(8 * size - 1)
  long double largest = 1;
  for (int i = 0; i < precision; ++i) {
    largest *= 10;
  }
  while (limit < largest) {
    ++size;
    limit *= 256;
  }
  return size;
}

Result<AvroSchema> PartitionValueSchema(const Type& type) {
  switch (type.kind()) {
    case TypeKind::kBoolean:
      return Primitive(AvroType::kBoolean);
    case TypeKind::kInt:
      return Primitive(AvroType::kInt);
    case TypeKind::kLong:
      return Primitive(AvroType::kLong);
    case TypeKind::kFloat:
      return Primitive(AvroType::kFloat);
    case TypeKind::kDouble:
      return Primitive(AvroType::kDouble);
    case TypeKind::kDate:
      return WithLogicalType(AvroType::kInt, "date");
    case TypeKind::kTime:
      return WithLogicalType(AvroType::kLong, "time-micros");
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz: {
      AvroSchema schema = WithLogicalType(AvroType::kLong, "timestamp-micros");
      schema.attributes.emplace_back("adjust-to-utc",
                                     type.kind() == TypeKind::kTimestampTz ? "true" : "false");
      return schema;
    }
    case TypeKind::kString:
      return Primitive(AvroType::kString);
    case TypeKind::kBinary:
      return Primitive(AvroType::kBytes);
    case TypeKind::kUuid: {
      AvroSchema schema = AvroSchema::Fixed("uuid_fixed", 16);
      schema.logical_type = "uuid";
      return schema;
    }
    case TypeKind::kFixed:
      return AvroSchema::Fixed("fixed_" + std::to_string(type.length()), type.length());
    case TypeKind::kDecimal: {
      AvroSchema schema = AvroSchema::Fixed(
          "decimal_" + std::to_string(type.precision()) + "_" + std::to_string(type.scale()),
          DecimalFixedSize(type.precision()));
      schema.logical_type = "decimal";
      SetIntAttribute(schema.attributes, "precision", type.precision());
      SetIntAttribute(schema.attributes, "scale", type.scale());
      return schema;
    }
    default:
      return Status::NotSupported("partition values of type {} cannot be written to manifests",
                                  type.ToString());
  }
}

}  // namespace

Result<AvroSchema> PartitionAvroSchema(const Type& partition_type) {
  AvroSchema record = AvroSchema::Record("r102");
  for (const NestedField& field : partition_type.fields()) {
    FLOE_ASSIGN_OR_RETURN(AvroSchema value, PartitionValueSchema(field.type));
    // Avro names must be unique in a schema: decimals of the same precision and scale share
    // one name, so a second use would redefine it; give each partition field its own.
    if (!value.name.empty()) {
      value.name += "_" + std::to_string(field.id);
    }
    AddOptional(record, field.name.c_str(), std::move(value), field.id);
  }
  return record;
}

AvroSchema ManifestEntryAvroSchema(int format_version, const AvroSchema& partition) {
  bool is_v1 = format_version == 1;
  AvroSchema file = AvroSchema::Record("r2");
  if (!is_v1) {
    AddRequired(file, "content", Primitive(AvroType::kInt), 134);
  }
  AddRequired(file, "file_path", Primitive(AvroType::kString), 100);
  AddRequired(file, "file_format", Primitive(AvroType::kString), 101);
  AddRequired(file, "partition", partition, 102);
  AddRequired(file, "record_count", Primitive(AvroType::kLong), 103);
  AddRequired(file, "file_size_in_bytes", Primitive(AvroType::kLong), 104);
  if (is_v1) {
    // Deprecated, but required in v1: "Always write a default in v1".
    AddRequired(file, "block_size_in_bytes", Primitive(AvroType::kLong), 105);
  }
  AddOptional(file, "column_sizes", IntKeyedMap(117, 118, AvroType::kLong), 108);
  AddOptional(file, "value_counts", IntKeyedMap(119, 120, AvroType::kLong), 109);
  AddOptional(file, "null_value_counts", IntKeyedMap(121, 122, AvroType::kLong), 110);
  AddOptional(file, "nan_value_counts", IntKeyedMap(138, 139, AvroType::kLong), 137);
  AddOptional(file, "lower_bounds", IntKeyedMap(126, 127, AvroType::kBytes), 125);
  AddOptional(file, "upper_bounds", IntKeyedMap(129, 130, AvroType::kBytes), 128);
  AddOptional(file, "key_metadata", Primitive(AvroType::kBytes), 131);
  AddOptional(file, "split_offsets", List(133, AvroType::kLong), 132);
  if (!is_v1) {
    AddOptional(file, "equality_ids", List(136, AvroType::kInt), 135);
  }
  AddOptional(file, "sort_order_id", Primitive(AvroType::kInt), 140);
  if (!is_v1) {
    AddOptional(file, "referenced_data_file", Primitive(AvroType::kString), 143);
  }

  AvroSchema entry = AvroSchema::Record("manifest_entry");
  AddRequired(entry, "status", Primitive(AvroType::kInt), 0);
  if (is_v1) {
    AddRequired(entry, "snapshot_id", Primitive(AvroType::kLong), 1);
  } else {
    AddOptional(entry, "snapshot_id", Primitive(AvroType::kLong), 1);
    AddOptional(entry, "sequence_number", Primitive(AvroType::kLong), 3);
    AddOptional(entry, "file_sequence_number", Primitive(AvroType::kLong), 4);
  }
  AddRequired(entry, "data_file", std::move(file), 2);
  return entry;
}

AvroSchema ManifestFileAvroSchema(int format_version) {
  bool is_v1 = format_version == 1;
  AvroSchema summary = AvroSchema::Record("r508");
  AddRequired(summary, "contains_null", Primitive(AvroType::kBoolean), 509);
  AddOptional(summary, "contains_nan", Primitive(AvroType::kBoolean), 518);
  AddOptional(summary, "lower_bound", Primitive(AvroType::kBytes), 510);
  AddOptional(summary, "upper_bound", Primitive(AvroType::kBytes), 511);
  AvroSchema partitions = AvroSchema::Array(std::move(summary));
  SetIntAttribute(partitions.attributes, "element-id", 508);

  AvroSchema file = AvroSchema::Record("manifest_file");
  AddRequired(file, "manifest_path", Primitive(AvroType::kString), 500);
  AddRequired(file, "manifest_length", Primitive(AvroType::kLong), 501);
  AddRequired(file, "partition_spec_id", Primitive(AvroType::kInt), 502);
  if (!is_v1) {
    AddRequired(file, "content", Primitive(AvroType::kInt), 517);
    AddRequired(file, "sequence_number", Primitive(AvroType::kLong), 515);
    AddRequired(file, "min_sequence_number", Primitive(AvroType::kLong), 516);
  }
  AddRequired(file, "added_snapshot_id", Primitive(AvroType::kLong), 503);
  auto add_count = [&](const char* name, AvroType type, int32_t id) {
    if (is_v1) {
      AddOptional(file, name, Primitive(type), id);
    } else {
      AddRequired(file, name, Primitive(type), id);
    }
  };
  add_count("added_files_count", AvroType::kInt, 504);
  add_count("existing_files_count", AvroType::kInt, 505);
  add_count("deleted_files_count", AvroType::kInt, 506);
  add_count("added_rows_count", AvroType::kLong, 512);
  add_count("existing_rows_count", AvroType::kLong, 513);
  add_count("deleted_rows_count", AvroType::kLong, 514);
  AddOptional(file, "partitions", std::move(partitions), 507);
  AddOptional(file, "key_metadata", Primitive(AvroType::kBytes), 519);
  return file;
}

}  // namespace floe::table
