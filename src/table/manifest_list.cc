#include "table/manifest_list.h"

#include "io/file_system.h"
#include "table/manifest_avro_internal.h"
#include "table/manifest_schema.h"

namespace floe::table {
namespace {

using format::avro::AvroBlock;
using format::avro::AvroDecoder;
using format::avro::AvroEncoder;
using format::avro::AvroFileReader;
using format::avro::AvroFileWriter;
using format::avro::AvroSchema;
using internal::ReadPresent;

void WriteOptionalBytes(AvroEncoder& encoder, const std::optional<std::string>& bytes) {
  encoder.WriteUnionIndex(bytes ? 1 : 0);
  if (bytes) {
    encoder.WriteBytes(*bytes);
  }
}

void WriteSummaries(AvroEncoder& encoder, const std::vector<PartitionFieldSummary>& summaries) {
  encoder.WriteUnionIndex(1);
  if (!summaries.empty()) {
    encoder.WriteLong(static_cast<int64_t>(summaries.size()));
    for (const PartitionFieldSummary& summary : summaries) {
      encoder.WriteBoolean(summary.contains_null);
      encoder.WriteUnionIndex(summary.contains_nan ? 1 : 0);
      if (summary.contains_nan) {
        encoder.WriteBoolean(*summary.contains_nan);
      }
      WriteOptionalBytes(encoder, summary.lower_bound);
      WriteOptionalBytes(encoder, summary.upper_bound);
    }
  }
  encoder.WriteLong(0);
}

// Encodes in the field order of ManifestFileAvroSchema.
void EncodeManifestFile(int format_version, const ManifestFile& file, AvroEncoder& encoder) {
  encoder.WriteBytes(file.manifest_path);
  encoder.WriteLong(file.manifest_length);
  encoder.WriteInt(file.partition_spec_id);
  if (format_version >= 2) {
    encoder.WriteInt(static_cast<int32_t>(file.content));
    encoder.WriteLong(file.sequence_number);
    encoder.WriteLong(file.min_sequence_number);
  }
  encoder.WriteLong(file.added_snapshot_id);
  auto write_count = [&](std::optional<int64_t> count) {
    if (format_version == 1) {
      encoder.WriteUnionIndex(count ? 1 : 0);
      if (!count) {
        return;
      }
    }
    encoder.WriteLong(count.value_or(0));
  };
  write_count(file.added_files_count);
  write_count(file.existing_files_count);
  write_count(file.deleted_files_count);
  write_count(file.added_rows_count);
  write_count(file.existing_rows_count);
  write_count(file.deleted_rows_count);
  WriteSummaries(encoder, file.partitions);
  WriteOptionalBytes(encoder, file.key_metadata);
}

Status ReadSummary(const AvroSchema& record, AvroDecoder& decoder, PartitionFieldSummary& out) {
  std::vector<int32_t> ids = internal::FieldIds(
      record,
      {{"contains_null", 509}, {"contains_nan", 518}, {"lower_bound", 510}, {"upper_bound", 511}});
  for (size_t i = 0; i < ids.size(); ++i) {
    const AvroSchema& type = record.children[i];
    if (ids[i] != 509 && ids[i] != 518 && ids[i] != 510 && ids[i] != 511) {
      FLOE_RETURN_NOT_OK(decoder.Skip(type));
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(const AvroSchema* present, ReadPresent(type, decoder));
    if (present == nullptr) {
      continue;
    }
    if (ids[i] == 509 || ids[i] == 518) {
      FLOE_ASSIGN_OR_RETURN(bool value, internal::ReadBoolean(*present, decoder));
      (ids[i] == 509 ? out.contains_null : out.contains_nan.emplace()) = value;
    } else {
      FLOE_ASSIGN_OR_RETURN(std::string_view bytes, internal::ReadBinary(*present, decoder));
      (ids[i] == 510 ? out.lower_bound : out.upper_bound) = std::string(bytes);
    }
  }
  return Status::OK();
}

// Decodes one field of a manifest_file record by its id.
Status ReadManifestFileField(int32_t id, const AvroSchema& type, AvroDecoder& decoder,
                             ManifestFile& file) {
  FLOE_ASSIGN_OR_RETURN(const AvroSchema* present, ReadPresent(type, decoder));
  if (present == nullptr) {
    return Status::OK();
  }
  switch (id) {
    case 500: {
      FLOE_ASSIGN_OR_RETURN(std::string_view path, internal::ReadBinary(*present, decoder));
      file.manifest_path = std::string(path);
      return Status::OK();
    }
    case 507:
      return internal::ReadArray(*present, decoder, [&](const AvroSchema& item) {
        return ReadSummary(item, decoder, file.partitions.emplace_back());
      });
    case 519: {
      FLOE_ASSIGN_OR_RETURN(std::string_view bytes, internal::ReadBinary(*present, decoder));
      file.key_metadata = std::string(bytes);
      return Status::OK();
    }
    default:
      break;
  }
  FLOE_ASSIGN_OR_RETURN(int64_t value, internal::ReadInteger(*present, decoder));
  auto narrow = [](int64_t wide) { return static_cast<int32_t>(wide); };
  switch (id) {
    case 501:
      file.manifest_length = value;
      break;
    case 502:
      file.partition_spec_id = narrow(value);
      break;
    case 517:
      file.content = static_cast<ManifestContent>(value);
      break;
    case 515:
      file.sequence_number = value;
      break;
    case 516:
      file.min_sequence_number = value;
      break;
    case 503:
      file.added_snapshot_id = value;
      break;
    case 504:
      file.added_files_count = narrow(value);
      break;
    case 505:
      file.existing_files_count = narrow(value);
      break;
    case 506:
      file.deleted_files_count = narrow(value);
      break;
    case 512:
      file.added_rows_count = value;
      break;
    case 513:
      file.existing_rows_count = value;
      break;
    case 514:
      file.deleted_rows_count = value;
      break;
    case 520:
      file.first_row_id = value;
      break;
    default:
      break;
  }
  return Status::OK();
}

bool IsManifestFileField(int32_t id) {
  return (id >= 500 && id <= 507) || (id >= 512 && id <= 517) || id == 519 || id == 520;
}

}  // namespace

Result<std::unique_ptr<ManifestListWriter>> ManifestListWriter::Open(io::FileSystem& file_system,
                                                                     std::string_view path,
                                                                     ManifestListOptions options) {
  if (options.format_version != 1 && options.format_version != 2) {
    return Status::InvalidArgument("cannot write a manifest list of format version {}",
                                   options.format_version);
  }
  format::avro::AvroMetadata metadata = {
      {"snapshot-id", std::to_string(options.snapshot_id)},
      {"parent-snapshot-id", options.parent_snapshot_id
                                 ? std::to_string(*options.parent_snapshot_id)
                                 : std::string("null")},
      {"format-version", std::to_string(options.format_version)}};
  if (options.format_version >= 2) {
    metadata.emplace_back("sequence-number", std::to_string(options.sequence_number));
  }
  FLOE_ASSIGN_OR_RETURN(auto stream, file_system.OpenOutputStream(path));
  FLOE_ASSIGN_OR_RETURN(
      auto writer,
      AvroFileWriter::Open(std::move(stream), ManifestFileAvroSchema(options.format_version),
                           metadata, options.avro));
  return std::unique_ptr<ManifestListWriter>(new ManifestListWriter(std::move(writer), options));
}

Status ManifestListWriter::Add(const ManifestFile& manifest) {
  ManifestFile file = manifest;
  if (options_.format_version == 1 && file.content != ManifestContent::kData) {
    return Status::InvalidArgument("a v1 manifest list cannot hold delete manifest {}",
                                   file.manifest_path);
  }
  // Spec "Manifest Lists": the writer stores the snapshot's sequence number for new manifests.
  if (file.sequence_number == kUnassignedSequenceNumber) {
    file.sequence_number = options_.sequence_number;
  }
  if (file.min_sequence_number == kUnassignedSequenceNumber) {
    file.min_sequence_number = options_.sequence_number;
  }
  EncodeManifestFile(options_.format_version, file, writer_->encoder());
  return writer_->FinishObject();
}

Result<int64_t> ManifestListWriter::Close() {
  FLOE_RETURN_NOT_OK(writer_->Close());
  return writer_->BytesWritten();
}

Result<std::vector<ManifestFile>> ReadManifestListBytes(std::string bytes) {
  FLOE_ASSIGN_OR_RETURN(auto reader, AvroFileReader::Open(std::move(bytes)));
  const AvroSchema& record = reader->schema();
  if (record.type != format::avro::AvroType::kRecord) {
    return Status::Corruption("manifest list schema is not a record");
  }
  std::vector<int32_t> ids = internal::FieldIds(record, {});
  std::vector<ManifestFile> files;
  AvroBlock block;
  while (true) {
    FLOE_ASSIGN_OR_RETURN(bool has_block, reader->NextBlock(block));
    if (!has_block) {
      return files;
    }
    AvroDecoder decoder(block.data);
    for (int64_t i = 0; i < block.object_count; ++i) {
      ManifestFile& file = files.emplace_back();
      for (size_t f = 0; f < ids.size(); ++f) {
        if (IsManifestFileField(ids[f])) {
          FLOE_RETURN_NOT_OK(ReadManifestFileField(ids[f], record.children[f], decoder, file));
        } else {
          FLOE_RETURN_NOT_OK(decoder.Skip(record.children[f]));
        }
      }
      if (file.manifest_path.empty()) {
        return Status::Corruption("manifest list entry {} has no manifest_path", files.size());
      }
    }
    if (!decoder.at_end()) {
      return Status::Corruption("manifest list block has {} bytes after its last entry",
                                decoder.remaining());
    }
  }
}

Result<std::vector<ManifestFile>> ReadManifestList(io::FileSystem& file_system,
                                                   std::string_view path) {
  FLOE_ASSIGN_OR_RETURN(std::string bytes, file_system.ReadAll(path));
  auto files = ReadManifestListBytes(std::move(bytes));
  if (!files.ok()) {
    return files.status().WithContext(path);
  }
  return files;
}

}  // namespace floe::table
