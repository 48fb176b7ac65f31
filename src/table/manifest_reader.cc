#include "table/manifest_reader.h"

#include <charconv>

#include "io/file_system.h"
#include "table/manifest_avro_internal.h"
#include "table/value_serialization.h"

namespace floe::table {
namespace {

using format::avro::AvroBlock;
using format::avro::AvroDecoder;
using format::avro::AvroFileReader;
using format::avro::AvroSchema;
using format::avro::AvroType;
using internal::ReadPresent;
using types::Value;

std::optional<int32_t> ParseInt(const std::string* text) {
  int32_t value = 0;
  if (text == nullptr) {
    return std::nullopt;
  }
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size()) {
    return std::nullopt;
  }
  return value;
}

const AvroSchema& NonNull(const AvroSchema& schema) {
  int branch = schema.OptionalBranch();
  return branch >= 0 ? schema.children[branch] : schema;
}

// Appendix A in reverse: the Iceberg type an Avro partition field was written from.
Result<Type> PartitionFieldType(const AvroSchema& avro) {
  std::string_view logical = avro.logical_type;
  switch (avro.type) {
    case AvroType::kBoolean:
      return Type::Primitive(TypeKind::kBoolean);
    case AvroType::kInt:
      return Type::Primitive(logical == "date" ? TypeKind::kDate : TypeKind::kInt);
    case AvroType::kLong:
      if (logical == "time-micros") {
        return Type::Primitive(TypeKind::kTime);
      }
      if (logical == "timestamp-micros") {
        bool is_utc = false;
        for (const auto& [key, value] : avro.attributes) {
          is_utc = is_utc || (key == "adjust-to-utc" && value == "true");
        }
        return Type::Primitive(is_utc ? TypeKind::kTimestampTz : TypeKind::kTimestamp);
      }
      return Type::Primitive(TypeKind::kLong);
    case AvroType::kFloat:
      return Type::Primitive(TypeKind::kFloat);
    case AvroType::kDouble:
      return Type::Primitive(TypeKind::kDouble);
    case AvroType::kString:
      return Type::Primitive(TypeKind::kString);
    case AvroType::kBytes:
      return Type::Primitive(TypeKind::kBinary);
    case AvroType::kFixed:
      if (logical == "uuid" && avro.fixed_size == 16) {
        return Type::Primitive(TypeKind::kUuid);
      }
      if (logical == "decimal") {
        auto precision = format::avro::IntAttribute(avro.attributes, "precision");
        auto scale = format::avro::IntAttribute(avro.attributes, "scale");
        return Type::Decimal(precision.value_or(0), scale.value_or(0));
      }
      return avro.fixed_size > 0 ? Type::Fixed(avro.fixed_size)
                                 : Type::Primitive(TypeKind::kBinary);
    default:
      return Status::Corruption("manifest partition field of Avro type {}",
                                format::avro::AvroTypeName(avro.type));
  }
}

Result<Value> ReadPartitionValue(const Type& type, const AvroSchema& avro, AvroDecoder& decoder) {
  switch (type.kind()) {
    case TypeKind::kBoolean: {
      FLOE_ASSIGN_OR_RETURN(bool value, decoder.ReadBoolean());
      return Value::Boolean(value);
    }
    case TypeKind::kInt:
    case TypeKind::kDate: {
      FLOE_ASSIGN_OR_RETURN(int32_t value, decoder.ReadInt());
      return type.kind() == TypeKind::kInt ? Value::Integer(value) : Value::Date(value);
    }
    case TypeKind::kLong:
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz: {
      FLOE_ASSIGN_OR_RETURN(int64_t value, decoder.ReadLong());
      switch (type.kind()) {
        case TypeKind::kTime:
          return Value::Time(value);
        case TypeKind::kTimestamp:
          return Value::Timestamp(value);
        case TypeKind::kTimestampTz:
          return Value::TimestampTz(value);
        default:
          return Value::BigInt(value);
      }
    }
    case TypeKind::kFloat: {
      FLOE_ASSIGN_OR_RETURN(float value, decoder.ReadFloat());
      return Value::Real(value);
    }
    case TypeKind::kDouble: {
      FLOE_ASSIGN_OR_RETURN(double value, decoder.ReadDouble());
      return Value::Double(value);
    }
    default:
      break;
  }
  FLOE_ASSIGN_OR_RETURN(std::string_view bytes, internal::ReadBinary(avro, decoder));
  return DeserializeValue(type, bytes);
}

/// One partition field as this file wrote it.
struct PartitionColumn {
  Type type;
  types::LogicalType null_type;
};

}  // namespace

struct ManifestReader::State {
  std::unique_ptr<AvroFileReader> reader;
  std::optional<ManifestFile> manifest;
  int format_version = 1;
  bool has_sequence_numbers = false;
  // Field ids of the entry, data_file and partition records, by position in the writer schema.
  std::vector<int32_t> entry_ids;
  const AvroSchema* data_file_schema = nullptr;
  std::vector<int32_t> data_file_ids;
  const AvroSchema* partition_schema = nullptr;
  std::vector<PartitionColumn> partition_columns;

  Status Prepare();
  Status ReadEntry(AvroDecoder& decoder, ManifestEntry& entry) const;
  Status ReadDataFile(AvroDecoder& decoder, DataFile& file) const;
  Status ReadDataFileField(int32_t id, const AvroSchema& type, AvroDecoder& decoder,
                           DataFile& file) const;
  Status ReadPartition(const AvroSchema& type, AvroDecoder& decoder, DataFile& file) const;
  void Inherit(ManifestEntry& entry) const;
};

Status ManifestReader::State::Prepare() {
  const AvroSchema& entry = reader->schema();
  if (entry.type != AvroType::kRecord) {
    return Status::Corruption("manifest schema is not a record");
  }
  entry_ids = internal::FieldIds(entry, {{"status", 0},
                                         {"snapshot_id", 1},
                                         {"data_file", 2},
                                         {"sequence_number", 3},
                                         {"file_sequence_number", 4}});
  for (size_t i = 0; i < entry_ids.size(); ++i) {
    if (entry_ids[i] == 2) {
      data_file_schema = &NonNull(entry.children[i]);
    }
    has_sequence_numbers = has_sequence_numbers || entry_ids[i] == 3;
  }
  if (data_file_schema == nullptr || data_file_schema->type != AvroType::kRecord) {
    return Status::Corruption("manifest schema has no data_file record");
  }
  data_file_ids = internal::FieldIds(*data_file_schema,
                                     {{"content", 134},           {"file_path", 100},
                                      {"file_format", 101},       {"partition", 102},
                                      {"record_count", 103},      {"file_size_in_bytes", 104},
                                      {"column_sizes", 108},      {"value_counts", 109},
                                      {"null_value_counts", 110}, {"nan_value_counts", 137},
                                      {"lower_bounds", 125},      {"upper_bounds", 128},
                                      {"key_metadata", 131},      {"split_offsets", 132},
                                      {"equality_ids", 135},      {"sort_order_id", 140},
                                      {"first_row_id", 142},      {"referenced_data_file", 143},
                                      {"content_offset", 144},    {"content_size_in_bytes", 145}});
  for (size_t i = 0; i < data_file_ids.size(); ++i) {
    if (data_file_ids[i] == 102) {
      partition_schema = &NonNull(data_file_schema->children[i]);
    }
  }
  if (partition_schema != nullptr) {
    if (partition_schema->type != AvroType::kRecord) {
      return Status::Corruption("manifest partition field is not a record");
    }
    for (const AvroSchema& field : partition_schema->children) {
      FLOE_ASSIGN_OR_RETURN(Type type, PartitionFieldType(NonNull(field)));
      // Types Floe cannot hold as values (v3 nanosecond timestamps) read as their integers.
      auto logical = ToLogicalType(type);
      partition_columns.push_back({type, logical.ok() ? *logical : types::LogicalType::BigInt()});
    }
  }
  int default_version = has_sequence_numbers ? 2 : 1;
  format_version = ParseInt(reader->FindMetadata("format-version")).value_or(default_version);
  return Status::OK();
}

Status ManifestReader::State::ReadPartition(const AvroSchema& type, AvroDecoder& decoder,
                                            DataFile& file) const {
  FLOE_ASSIGN_OR_RETURN(const AvroSchema* record, ReadPresent(type, decoder));
  if (record == nullptr) {
    return Status::OK();
  }
  file.partition.reserve(partition_columns.size());
  for (size_t i = 0; i < partition_columns.size(); ++i) {
    FLOE_ASSIGN_OR_RETURN(const AvroSchema* present, ReadPresent(record->children[i], decoder));
    if (present == nullptr) {
      file.partition.push_back(Value::Null(partition_columns[i].null_type));
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(Value value,
                          ReadPartitionValue(partition_columns[i].type, *present, decoder));
    file.partition.push_back(std::move(value));
  }
  return Status::OK();
}

Status ManifestReader::State::ReadDataFileField(int32_t id, const AvroSchema& type,
                                                AvroDecoder& decoder, DataFile& file) const {
  switch (id) {
    case 102:
      return ReadPartition(type, decoder, file);
    case 108:
      return internal::ReadCounts(type, decoder, file.column_sizes);
    case 109:
      return internal::ReadCounts(type, decoder, file.value_counts);
    case 110:
      return internal::ReadCounts(type, decoder, file.null_value_counts);
    case 137:
      return internal::ReadCounts(type, decoder, file.nan_value_counts);
    case 125:
      return internal::ReadBounds(type, decoder, file.lower_bounds);
    case 128:
      return internal::ReadBounds(type, decoder, file.upper_bounds);
    case 132:
      return internal::ReadIntegers(type, decoder, file.split_offsets);
    case 135: {
      std::vector<int64_t> ids;
      FLOE_RETURN_NOT_OK(internal::ReadIntegers(type, decoder, ids));
      file.equality_ids.assign(ids.begin(), ids.end());
      return Status::OK();
    }
    default:
      break;
  }
  FLOE_ASSIGN_OR_RETURN(const AvroSchema* present, ReadPresent(type, decoder));
  if (present == nullptr) {
    return Status::OK();
  }
  if (id == 100 || id == 101 || id == 131 || id == 143) {
    FLOE_ASSIGN_OR_RETURN(std::string_view bytes, internal::ReadBinary(*present, decoder));
    switch (id) {
      case 100:
        file.file_path = std::string(bytes);
        break;
      case 101:
        file.file_format = std::string(bytes);
        break;
      case 131:
        file.key_metadata = std::string(bytes);
        break;
      default:
        file.referenced_data_file = std::string(bytes);
        break;
    }
    return Status::OK();
  }
  if (id != 134 && id != 103 && id != 104 && id != 140 && id != 142 && id != 144 && id != 145) {
    return decoder.Skip(*present);
  }
  FLOE_ASSIGN_OR_RETURN(int64_t value, internal::ReadInteger(*present, decoder));
  switch (id) {
    case 134:
      if (value < 0 || value > 2) {
        return Status::Corruption("manifest data file has unknown content {}", value);
      }
      file.content = static_cast<FileContent>(value);
      break;
    case 103:
      file.record_count = value;
      break;
    case 104:
      file.file_size_in_bytes = value;
      break;
    case 140:
      file.sort_order_id = static_cast<int32_t>(value);
      break;
    case 142:
      file.first_row_id = value;
      break;
    case 144:
      file.content_offset = value;
      break;
    default:
      file.content_size_in_bytes = value;
      break;
  }
  return Status::OK();
}

Status ManifestReader::State::ReadDataFile(AvroDecoder& decoder, DataFile& file) const {
  file.file_format.clear();
  for (size_t i = 0; i < data_file_ids.size(); ++i) {
    const AvroSchema& type = data_file_schema->children[i];
    if (data_file_ids[i] < 0) {
      FLOE_RETURN_NOT_OK(decoder.Skip(type));
      continue;
    }
    FLOE_RETURN_NOT_OK(ReadDataFileField(data_file_ids[i], type, decoder, file));
  }
  if (file.file_path.empty()) {
    return Status::Corruption("manifest entry has no file_path");
  }
  return Status::OK();
}

Status ManifestReader::State::ReadEntry(AvroDecoder& decoder, ManifestEntry& entry) const {
  const AvroSchema& record = reader->schema();
  for (size_t i = 0; i < entry_ids.size(); ++i) {
    const AvroSchema& type = record.children[i];
    int32_t id = entry_ids[i];
    if (id == 2) {
      FLOE_ASSIGN_OR_RETURN(const AvroSchema* present, ReadPresent(type, decoder));
      if (present == nullptr) {
        return Status::Corruption("manifest entry has a null data_file");
      }
      FLOE_RETURN_NOT_OK(ReadDataFile(decoder, entry.data_file));
      continue;
    }
    if (id < 0 || id > 4) {
      FLOE_RETURN_NOT_OK(decoder.Skip(type));
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(const AvroSchema* present, ReadPresent(type, decoder));
    if (present == nullptr) {
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(int64_t value, internal::ReadInteger(*present, decoder));
    switch (id) {
      case 0:
        if (value < 0 || value > 2) {
          return Status::Corruption("manifest entry has unknown status {}", value);
        }
        entry.status = static_cast<ManifestEntryStatus>(value);
        break;
      case 1:
        entry.snapshot_id = value;
        break;
      case 3:
        entry.sequence_number = value;
        break;
      default:
        entry.file_sequence_number = value;
        break;
    }
  }
  Inherit(entry);
  return Status::OK();
}

void ManifestReader::State::Inherit(ManifestEntry& entry) const {
  if (manifest) {
    if (!entry.snapshot_id) {
      entry.snapshot_id = manifest->added_snapshot_id;
    }
    // Spec "Sequence Number Inheritance": only ADDED entries inherit.
    if (entry.status == ManifestEntryStatus::kAdded) {
      if (!entry.sequence_number) {
        entry.sequence_number = manifest->sequence_number;
      }
      if (!entry.file_sequence_number) {
        entry.file_sequence_number = manifest->sequence_number;
      }
    }
  }
  // "When reading v1 manifests with no sequence number column, sequence numbers for all files
  // must default to 0."
  if (!has_sequence_numbers || format_version == 1) {
    entry.sequence_number = entry.sequence_number.value_or(0);
    entry.file_sequence_number = entry.file_sequence_number.value_or(0);
  }
}

ManifestReader::ManifestReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
ManifestReader::~ManifestReader() = default;

Result<std::unique_ptr<ManifestReader>> ManifestReader::OpenBytes(std::string bytes,
                                                                  const ManifestFile* manifest) {
  auto state = std::make_unique<State>();
  FLOE_ASSIGN_OR_RETURN(state->reader, AvroFileReader::Open(std::move(bytes)));
  if (manifest != nullptr) {
    state->manifest = *manifest;
  }
  FLOE_RETURN_NOT_OK(state->Prepare());
  return std::unique_ptr<ManifestReader>(new ManifestReader(std::move(state)));
}

Result<std::string> ReadManifestBytes(io::FileSystem& file_system, const ManifestFile& manifest) {
  return io::ReadRecordedFile(file_system, manifest.manifest_path, manifest.manifest_length);
}

Result<std::unique_ptr<ManifestReader>> ManifestReader::Open(io::FileSystem& file_system,
                                                             const ManifestFile& manifest) {
  FLOE_ASSIGN_OR_RETURN(std::string bytes, ReadManifestBytes(file_system, manifest));
  auto reader = OpenBytes(std::move(bytes), &manifest);
  if (!reader.ok()) {
    return reader.status().WithContext(manifest.manifest_path);
  }
  return reader;
}

Result<std::unique_ptr<ManifestReader>> ManifestReader::Open(io::FileSystem& file_system,
                                                             std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string bytes, file_system.ReadAll(path));
  auto reader = OpenBytes(std::move(bytes), nullptr);
  if (!reader.ok()) {
    return reader.status().WithContext(path);
  }
  return reader;
}

int ManifestReader::format_version() const {
  return state_->format_version;
}

ManifestContent ManifestReader::content() const {
  const std::string* content = state_->reader->FindMetadata("content");
  return content != nullptr && *content == "deletes" ? ManifestContent::kDeletes
                                                     : ManifestContent::kData;
}

std::optional<int32_t> ManifestReader::partition_spec_id() const {
  return ParseInt(state_->reader->FindMetadata("partition-spec-id"));
}

const std::string* ManifestReader::FindMetadata(std::string_view key) const {
  return state_->reader->FindMetadata(key);
}

Result<bool> ManifestReader::Next(std::vector<ManifestEntry>& entries) {
  entries.clear();
  AvroBlock block;
  FLOE_ASSIGN_OR_RETURN(bool has_block, state_->reader->NextBlock(block));
  if (!has_block) {
    return false;
  }
  AvroDecoder decoder(block.data);
  entries.resize(static_cast<size_t>(block.object_count));
  for (ManifestEntry& entry : entries) {
    FLOE_RETURN_NOT_OK(state_->ReadEntry(decoder, entry));
  }
  if (!decoder.at_end()) {
    return Status::Corruption("manifest block has {} bytes after its last entry",
                              decoder.remaining());
  }
  return true;
}

Result<std::vector<ManifestEntry>> ManifestReader::ReadAll() {
  std::vector<ManifestEntry> all;
  std::vector<ManifestEntry> chunk;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(bool has_more, Next(chunk));
    if (!has_more) {
      return all;
    }
    all.insert(all.end(), std::make_move_iterator(chunk.begin()),
               std::make_move_iterator(chunk.end()));
  }
}

}  // namespace floe::table
