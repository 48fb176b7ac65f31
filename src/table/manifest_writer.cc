#include "table/manifest_writer.h"

#include <cmath>

#include "io/file_system.h"
#include "table/manifest_schema.h"
#include "table/value_serialization.h"

namespace floe::table {
namespace {

using format::avro::AvroEncoder;
using format::avro::AvroFileWriter;
using format::avro::AvroSchema;
using types::Value;

// Block size v1 writers must still record; the value Iceberg writers use.
constexpr int64_t kDefaultBlockSize = int64_t{64} << 20;

void WriteCounts(AvroEncoder& encoder, const ColumnCounts& counts) {
  if (counts.empty()) {
    encoder.WriteUnionIndex(0);
    return;
  }
  encoder.WriteUnionIndex(1);
  encoder.WriteLong(static_cast<int64_t>(counts.size()));
  for (const auto& [id, count] : counts) {
    encoder.WriteInt(id);
    encoder.WriteLong(count);
  }
  encoder.WriteLong(0);
}

void WriteBounds(AvroEncoder& encoder, const ColumnBounds& bounds) {
  if (bounds.empty()) {
    encoder.WriteUnionIndex(0);
    return;
  }
  encoder.WriteUnionIndex(1);
  encoder.WriteLong(static_cast<int64_t>(bounds.size()));
  for (const auto& [id, bytes] : bounds) {
    encoder.WriteInt(id);
    encoder.WriteBytes(bytes);
  }
  encoder.WriteLong(0);
}

template <typename T>
void WriteList(AvroEncoder& encoder, const std::vector<T>& values) {
  if (values.empty()) {
    encoder.WriteUnionIndex(0);
    return;
  }
  encoder.WriteUnionIndex(1);
  encoder.WriteLong(static_cast<int64_t>(values.size()));
  for (T value : values) {
    encoder.WriteLong(value);
  }
  encoder.WriteLong(0);
}

template <typename T>
void WriteOptional(AvroEncoder& encoder, const std::optional<T>& value) {
  encoder.WriteUnionIndex(value ? 1 : 0);
  if (!value) {
    return;
  }
  if constexpr (std::is_same_v<T, std::string>) {
    encoder.WriteBytes(*value);
  } else {
    encoder.WriteLong(*value);
  }
}

// Encodes a non-NULL partition value in the Avro form PartitionAvroSchema gives its type.
Status WritePartitionValue(const Type& type, const AvroSchema& avro, const Value& value,
                           AvroEncoder& encoder) {
  switch (type.kind()) {
    case TypeKind::kBoolean:
      encoder.WriteBoolean(value.boolean_value());
      return Status::OK();
    case TypeKind::kInt:
      encoder.WriteInt(value.integer_value());
      return Status::OK();
    case TypeKind::kDate:
      encoder.WriteInt(value.date_value());
      return Status::OK();
    case TypeKind::kLong:
      encoder.WriteLong(value.bigint_value());
      return Status::OK();
    case TypeKind::kTime:
    case TypeKind::kTimestamp:
    case TypeKind::kTimestampTz:
      encoder.WriteLong(value.time_value());
      return Status::OK();
    case TypeKind::kFloat:
      encoder.WriteFloat(value.real_value());
      return Status::OK();
    case TypeKind::kDouble:
      encoder.WriteDouble(value.double_value());
      return Status::OK();
    case TypeKind::kString:
    case TypeKind::kBinary:
      encoder.WriteBytes(value.string_value());
      return Status::OK();
    default:
      break;
  }
  // Fixed, UUID and decimal: Appendix D gives the same big-endian bytes as Avro's fixed, except
  // that decimals are minimal there and sign-extended to the fixed size here.
  FLOE_ASSIGN_OR_RETURN(std::string bytes, SerializeValue(type, value));
  size_t size = static_cast<size_t>(avro.fixed_size);
  bool is_decimal = type.kind() == TypeKind::kDecimal;
  if (bytes.size() > size || (!is_decimal && bytes.size() != size)) {
    return Status::InvalidArgument("partition value does not fit {}", type.ToString());
  }
  char fill = !bytes.empty() && (bytes[0] & 0x80) ? '\xff' : '\0';
  encoder.WriteFixed(std::string(size - bytes.size(), fill));
  encoder.WriteFixed(bytes);
  return Status::OK();
}

bool IsNaN(const Value& value) {
  if (value.type().id() == types::TypeId::kReal) {
    return std::isnan(value.real_value());
  }
  return value.type().id() == types::TypeId::kDouble && std::isnan(value.double_value());
}

/// Tracks one partition field's summary over the entries written.
struct SummaryBuilder {
  bool contains_null = false;
  bool contains_nan = false;
  std::optional<Value> lower;
  std::optional<Value> upper;

  void Update(const Value& value) {
    if (value.is_null()) {
      contains_null = true;
    } else if (IsNaN(value)) {
      contains_nan = true;
    } else {
      if (!lower || value.Compare(*lower) < 0) {
        lower = value;
      }
      if (!upper || value.Compare(*upper) > 0) {
        upper = value;
      }
    }
  }
};

}  // namespace

struct ManifestWriter::State {
  ManifestWriterOptions options;
  Type partition_type;
  std::vector<types::LogicalType> partition_value_types;
  AvroSchema partition_schema;
  std::unique_ptr<AvroFileWriter> writer;
  std::string path;
  ManifestFile summary;
  std::vector<SummaryBuilder> partitions;
  std::optional<int64_t> min_sequence_number;

  Status CheckEntry(const ManifestEntry& entry) const;
  Status Encode(const ManifestEntry& entry);
  Status EncodeDataFile(const DataFile& file, AvroEncoder& encoder);
  void Count(const ManifestEntry& entry);
};

ManifestWriter::ManifestWriter(std::unique_ptr<State> state) : state_(std::move(state)) {}
ManifestWriter::~ManifestWriter() = default;

Result<std::unique_ptr<ManifestWriter>> ManifestWriter::Open(io::FileSystem& file_system,
                                                             std::string_view path,
                                                             ManifestWriterOptions options) {
  int version = options.format_version;
  if (version != 1 && version != 2) {
    return Status::InvalidArgument("cannot write a manifest of format version {}", version);
  }
  if (version == 1 && options.content != ManifestContent::kData) {
    return Status::InvalidArgument("v1 manifests cannot hold delete files: {}", path);
  }
  auto state = std::make_unique<State>();
  FLOE_RETURN_NOT_OK(options.spec.Validate(options.schema));
  FLOE_ASSIGN_OR_RETURN(state->partition_type, options.spec.PartitionType(options.schema));
  for (const NestedField& field : state->partition_type.fields()) {
    FLOE_ASSIGN_OR_RETURN(types::LogicalType logical, ToLogicalType(field.type));
    state->partition_value_types.push_back(std::move(logical));
  }
  FLOE_ASSIGN_OR_RETURN(state->partition_schema, PartitionAvroSchema(state->partition_type));
  // Spec "Manifests": the header keys each version requires.
  format::avro::AvroMetadata metadata = {
      {"schema", SchemaToJson(options.schema)},
      {"schema-id", std::to_string(options.schema.schema_id())},
      {"partition-spec", PartitionFieldsToJsonArray(options.spec.fields())},
      {"partition-spec-id", std::to_string(options.spec.spec_id())},
      {"format-version", std::to_string(version)}};
  if (version >= 2) {
    metadata.emplace_back("content",
                          options.content == ManifestContent::kData ? "data" : "deletes");
  }
  FLOE_ASSIGN_OR_RETURN(auto stream, file_system.OpenOutputStream(path));
  FLOE_ASSIGN_OR_RETURN(
      state->writer, AvroFileWriter::Open(std::move(stream),
                                          ManifestEntryAvroSchema(version, state->partition_schema),
                                          metadata, options.avro));
  state->path = std::string(path);
  state->partitions.resize(state->partition_value_types.size());
  state->summary.added_files_count = 0;
  state->summary.existing_files_count = 0;
  state->summary.deleted_files_count = 0;
  state->summary.added_rows_count = 0;
  state->summary.existing_rows_count = 0;
  state->summary.deleted_rows_count = 0;
  state->options = std::move(options);
  return std::unique_ptr<ManifestWriter>(new ManifestWriter(std::move(state)));
}

Status ManifestWriter::State::CheckEntry(const ManifestEntry& entry) const {
  const DataFile& file = entry.data_file;
  if (file.partition.size() != partition_value_types.size()) {
    return Status::InvalidArgument("data file {} has {} partition values, the spec has {} fields",
                                   file.file_path, file.partition.size(),
                                   partition_value_types.size());
  }
  for (size_t i = 0; i < file.partition.size(); ++i) {
    const Value& value = file.partition[i];
    if (!value.is_null() && value.type().id() != partition_value_types[i].id()) {
      return Status::InvalidArgument("data file {} has partition value {} of the wrong type",
                                     file.file_path, value.ToString());
    }
  }
  bool is_data = file.content == FileContent::kData;
  if (is_data != (options.content == ManifestContent::kData)) {
    return Status::InvalidArgument("data file {} holds {} in a manifest of other content",
                                   file.file_path, FileContentName(file.content));
  }
  return Status::OK();
}

Status ManifestWriter::State::EncodeDataFile(const DataFile& file, AvroEncoder& encoder) {
  bool is_v1 = options.format_version == 1;
  if (!is_v1) {
    encoder.WriteInt(static_cast<int32_t>(file.content));
  }
  encoder.WriteBytes(file.file_path);
  encoder.WriteBytes(file.file_format);
  for (size_t i = 0; i < file.partition.size(); ++i) {
    const Value& value = file.partition[i];
    encoder.WriteUnionIndex(value.is_null() ? 0 : 1);
    if (!value.is_null()) {
      FLOE_RETURN_NOT_OK(WritePartitionValue(partition_type.fields()[i].type,
                                             partition_schema.children[i].children[1], value,
                                             encoder));
    }
  }
  encoder.WriteLong(file.record_count);
  encoder.WriteLong(file.file_size_in_bytes);
  if (is_v1) {
    encoder.WriteLong(kDefaultBlockSize);
  }
  WriteCounts(encoder, file.column_sizes);
  WriteCounts(encoder, file.value_counts);
  WriteCounts(encoder, file.null_value_counts);
  WriteCounts(encoder, file.nan_value_counts);
  WriteBounds(encoder, file.lower_bounds);
  WriteBounds(encoder, file.upper_bounds);
  WriteOptional(encoder, file.key_metadata);
  WriteList(encoder, file.split_offsets);
  if (!is_v1) {
    WriteList(encoder, file.equality_ids);
  }
  WriteOptional(encoder, file.sort_order_id);
  if (!is_v1) {
    WriteOptional(encoder, file.referenced_data_file);
  }
  return Status::OK();
}

Status ManifestWriter::State::Encode(const ManifestEntry& entry) {
  AvroEncoder& encoder = writer->encoder();
  size_t mark = encoder.size();
  encoder.WriteInt(static_cast<int32_t>(entry.status));
  if (options.format_version == 1) {
    encoder.WriteLong(entry.snapshot_id.value_or(options.snapshot_id));
  } else {
    WriteOptional(encoder, entry.snapshot_id);
    WriteOptional(encoder, entry.sequence_number);
    WriteOptional(encoder, entry.file_sequence_number);
  }
  Status status = EncodeDataFile(entry.data_file, encoder);
  if (!status.ok()) {
    // Drop the partly encoded entry so the block holds whole entries only.
    encoder.buffer().resize(mark);
    return status;
  }
  return writer->FinishObject();
}

void ManifestWriter::State::Count(const ManifestEntry& entry) {
  int64_t rows = entry.data_file.record_count;
  switch (entry.status) {
    case ManifestEntryStatus::kAdded:
      ++*summary.added_files_count;
      *summary.added_rows_count += rows;
      break;
    case ManifestEntryStatus::kExisting:
      ++*summary.existing_files_count;
      *summary.existing_rows_count += rows;
      break;
    case ManifestEntryStatus::kDeleted:
      ++*summary.deleted_files_count;
      *summary.deleted_rows_count += rows;
      return;
  }
  // Spec "Manifest Lists": the minimum data sequence number of live files; new files without
  // one will get the snapshot's, which no earlier number exceeds.
  if (entry.sequence_number) {
    min_sequence_number = std::min(min_sequence_number.value_or(INT64_MAX), *entry.sequence_number);
  }
  for (size_t i = 0; i < partitions.size(); ++i) {
    partitions[i].Update(entry.data_file.partition[i]);
  }
}

Status ManifestWriter::Add(const ManifestEntry& entry) {
  FLOE_RETURN_NOT_OK(state_->CheckEntry(entry));
  FLOE_RETURN_NOT_OK(state_->Encode(entry));
  state_->Count(entry);
  return Status::OK();
}

Result<ManifestFile> ManifestWriter::Close() {
  State& state = *state_;
  FLOE_RETURN_NOT_OK(state.writer->Close());
  ManifestFile file = state.summary;
  file.manifest_path = state.path;
  file.manifest_length = state.writer->BytesWritten();
  file.partition_spec_id = state.options.spec.spec_id();
  file.content = state.options.content;
  file.sequence_number = kUnassignedSequenceNumber;
  file.min_sequence_number = state.min_sequence_number.value_or(kUnassignedSequenceNumber);
  file.added_snapshot_id = state.options.snapshot_id;
  for (size_t i = 0; i < state.partitions.size(); ++i) {
    const SummaryBuilder& builder = state.partitions[i];
    const Type& type = state.partition_type.fields()[i].type;
    PartitionFieldSummary& summary = file.partitions.emplace_back();
    summary.contains_null = builder.contains_null;
    summary.contains_nan = builder.contains_nan;
    if (builder.lower) {
      FLOE_ASSIGN_OR_RETURN(summary.lower_bound, SerializeValue(type, *builder.lower));
      FLOE_ASSIGN_OR_RETURN(summary.upper_bound, SerializeValue(type, *builder.upper));
    }
  }
  return file;
}

}  // namespace floe::table
