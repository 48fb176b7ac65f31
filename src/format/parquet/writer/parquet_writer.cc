#include "format/parquet/writer/parquet_writer.h"

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "common/version.h"

namespace floe::format::parquet {
namespace {

constexpr std::string_view kMagic = "PAR1";
// Rows given to the column writers at a time: bounds how far a row group can overshoot its
// byte limit before the check after each slice.
constexpr int64_t kRowsPerSlice = 8192;

using Writers = std::vector<std::unique_ptr<ColumnWriter>>;

Status WriteAbsent(const SchemaNode& node, int16_t repetition_level, int16_t definition_level,
                   Writers& writers) {
  if (node.kind == NodeKind::kLeaf) {
    return writers[static_cast<size_t>(node.leaf_index)]->WriteAbsent(repetition_level,
                                                                      definition_level);
  }
  for (const SchemaNode& child : node.children) {
    FLOE_RETURN_NOT_OK(WriteAbsent(child, repetition_level, definition_level, writers));
  }
  return Status::OK();
}

Status Shred(const SchemaNode& node, const vector::Vector& vector, int64_t row,
             int16_t repetition_level, Writers& writers);

// Writes the entries [begin, end) of a LIST's elements or a MAP's keys and values. The first
// entry continues the enclosing record; the others repeat at the list's repetition level.
Status ShredEntries(const SchemaNode& node, const vector::Vector& entries, int64_t begin,
                    int64_t end, int16_t repetition_level, Writers& writers) {
  for (int64_t entry = begin; entry < end; ++entry) {
    int16_t level = entry == begin ? repetition_level : node.repetition_level;
    if (node.kind == NodeKind::kList) {
      FLOE_RETURN_NOT_OK(Shred(node.children[0], entries, entry, level, writers));
      continue;
    }
    const vector::Vector& pairs = entries.ValueSource();
    int64_t pair = entries.ValueIndex(entry);
    FLOE_RETURN_NOT_OK(Shred(node.children[0], pairs.child(0), pair, level, writers));
    FLOE_RETURN_NOT_OK(Shred(node.children[1], pairs.child(1), pair, level, writers));
  }
  return Status::OK();
}

// Dremel's record shredding (the spec's "Nested Encoding"): every leaf under `node` receives
// one entry per value, NULL and empty list, with its repetition and definition levels.
Status Shred(const SchemaNode& node, const vector::Vector& vector, int64_t row,
             int16_t repetition_level, Writers& writers) {
  if (vector.IsNull(row)) {
    if (!node.is_nullable) {
      return Status::InvalidArgument("NULL in the non-nullable field {}", node.name);
    }
    return WriteAbsent(node, repetition_level, static_cast<int16_t>(node.definition_level - 1),
                       writers);
  }
  const vector::Vector& source = vector.ValueSource();
  int64_t index = vector.ValueIndex(row);
  switch (node.kind) {
    case NodeKind::kLeaf:
      return writers[static_cast<size_t>(node.leaf_index)]->WriteValue(repetition_level, source,
                                                                       index);
    case NodeKind::kStruct:
      for (size_t i = 0; i < node.children.size(); ++i) {
        FLOE_RETURN_NOT_OK(Shred(node.children[i], source.child(static_cast<int64_t>(i)), index,
                                 repetition_level, writers));
      }
      return Status::OK();
    case NodeKind::kList:
    case NodeKind::kMap: {
      const int32_t* offsets = source.offsets() + index;
      if (offsets[0] == offsets[1]) {
        return WriteAbsent(node, repetition_level, node.definition_level, writers);
      }
      return ShredEntries(node, source.child(0), offsets[0], offsets[1], repetition_level, writers);
    }
  }
  return Status::OK();
}

ColumnWriterSettings SettingsFor(const ParquetWriterOptions& options,
                                 const ColumnWriteOptions* column) {
  ColumnWriterSettings settings{
      .codec = options.codec,
      .compression_level = options.compression_level,
      .data_page_bytes = options.data_page_bytes,
      .data_page_rows = options.data_page_rows,
      .is_dictionary_enabled = options.is_dictionary_enabled,
      .dictionary_bytes_limit = options.dictionary_bytes_limit,
      .value_encoding = options.value_encoding,
      .data_page_version = options.data_page_version,
      .has_page_checksums = options.has_page_checksums,
      .has_page_index = options.has_page_index,
      .has_bloom_filter = false,
      .bloom_filter_false_positive_rate = options.bloom_filter_false_positive_rate,
      .bloom_filter_max_bytes = options.bloom_filter_max_bytes};
  if (column != nullptr) {
    settings.is_dictionary_enabled =
        column->is_dictionary_enabled.value_or(settings.is_dictionary_enabled);
    settings.value_encoding = column->value_encoding.value_or(settings.value_encoding);
    settings.has_bloom_filter = column->has_bloom_filter;
  }
  return settings;
}

Status CheckOptions(const ParquetWriterOptions& options) {
  if (options.row_group_rows <= 0 || options.row_group_bytes <= 0 || options.data_page_bytes <= 0 ||
      options.data_page_rows <= 0) {
    return Status::InvalidArgument("row group and page limits must be positive");
  }
  if (!(options.bloom_filter_false_positive_rate > 0 &&
        options.bloom_filter_false_positive_rate < 1)) {
    return Status::InvalidArgument("Bloom filter false positive rate must be in (0, 1): {}",
                                   options.bloom_filter_false_positive_rate);
  }
  return Status::OK();
}

Status WriteText(io::OutputStream& stream, std::string_view text) {
  return stream.Write(io::AsBytes(text));
}

Status WriteBytes(io::OutputStream& stream, std::span<const uint8_t> bytes) {
  return stream.Write(std::as_bytes(bytes));
}

}  // namespace

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Open(io::FileSystem& file_system,
                                                           std::string_view path,
                                                           const vector::Schema& schema,
                                                           ParquetWriterOptions options,
                                                           MemoryTracker* tracker) {
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<io::OutputStream> stream,
                        file_system.OpenOutputStream(path));
  return Make(std::move(stream), schema, std::move(options), tracker);
}

Result<std::unique_ptr<ParquetWriter>> ParquetWriter::Make(std::unique_ptr<io::OutputStream> stream,
                                                           const vector::Schema& schema,
                                                           ParquetWriterOptions options,
                                                           MemoryTracker* tracker) {
  std::unique_ptr<ParquetWriter> writer(
      new ParquetWriter(std::move(stream), std::move(options), tracker));
  Status status = writer->Initialize(schema);
  if (!status.ok()) {
    return writer->Fail(status);
  }
  return writer;
}

ParquetWriter::~ParquetWriter() {
  if (state_ == State::kOpen) {
    (void)stream_->Abort();
  }
}

Status ParquetWriter::Initialize(const vector::Schema& schema) {
  FLOE_RETURN_NOT_OK(CheckOptions(options_));
  schema_ = schema;
  FLOE_ASSIGN_OR_RETURN(metadata_.schema, ToParquetSchema(schema, options_.field_ids));
  FLOE_ASSIGN_OR_RETURN(file_schema_, FileSchema::Make(metadata_, path()));
  std::set<std::string> known_paths;
  for (const ColumnDescriptor& column : file_schema_.columns()) {
    std::string dotted = column.PathString();
    auto found = options_.columns.find(dotted);
    const ColumnWriteOptions* column_options =
        found == options_.columns.end() ? nullptr : &found->second;
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<ColumnWriter> writer,
                          ColumnWriter::Make(column, SettingsFor(options_, column_options)));
    writers_.push_back(std::move(writer));
    known_paths.insert(std::move(dotted));
  }
  for (const auto& [column_path, ignored] : options_.columns) {
    if (known_paths.count(column_path) == 0) {
      return Status::InvalidArgument("options name the column {}, which the schema does not have",
                                     column_path);
    }
  }
  return WriteText(*stream_, kMagic);
}

Status ParquetWriter::Fail(const Status& status) {
  if (state_ == State::kOpen) {
    (void)stream_->Abort();
    state_ = State::kAborted;
  }
  return status.WithContext(fmt::format("writing Parquet file {}", path()));
}

Status ParquetWriter::CheckBatch(const vector::Batch& batch) const {
  if (state_ != State::kOpen) {
    return Status::InvalidArgument("the writer is already closed or aborted");
  }
  if (batch.num_columns() != schema_.num_fields()) {
    return Status::InvalidArgument("batch has {} columns, the file {}", batch.num_columns(),
                                   schema_.num_fields());
  }
  for (int64_t i = 0; i < batch.num_columns(); ++i) {
    if (!(batch.column(i).type() == schema_.field(i).type)) {
      return Status::InvalidArgument("column {} is {} in the batch and {} in the file",
                                     schema_.field(i).name, batch.column(i).type().ToString(),
                                     schema_.field(i).type.ToString());
    }
  }
  return Status::OK();
}

Status ParquetWriter::Write(const vector::Batch& batch) {
  if (state_ != State::kOpen) {
    return Status::InvalidArgument("writing Parquet file {}: the writer is closed or aborted",
                                   path());
  }
  Status status = CheckBatch(batch);
  if (status.ok()) {
    status = WriteRows(batch);
  }
  return status.ok() ? status : Fail(status);
}

Status ParquetWriter::WriteRows(const vector::Batch& batch) {
  int64_t offset = 0;
  while (offset < batch.num_rows()) {
    int64_t count = std::min(
        {batch.num_rows() - offset, kRowsPerSlice, options_.row_group_rows - rows_in_group_});
    vector::Batch slice =
        offset == 0 && count == batch.num_rows() ? batch : batch.Slice(offset, count);
    for (int64_t i = 0; i < slice.num_columns(); ++i) {
      FLOE_RETURN_NOT_OK(WriteColumn(i, slice.column(i)));
    }
    FLOE_RETURN_NOT_OK(AfterRows(count));
    offset += count;
  }
  return Status::OK();
}

Status ParquetWriter::WriteColumn(int64_t index, const vector::Vector& column) {
  const SchemaNode& node = file_schema_.fields()[static_cast<size_t>(index)];
  Status status;
  if (node.kind == NodeKind::kLeaf) {
    status = writers_[static_cast<size_t>(node.leaf_index)]->WriteColumn(column);
  } else {
    for (int64_t row = 0; row < column.length() && status.ok(); ++row) {
      status = Shred(node, column, row, 0, writers_);
    }
  }
  return status.ok() ? status : status.WithContext(fmt::format("column {}", node.name));
}

int64_t ParquetWriter::BufferedBytes() const {
  int64_t total = 0;
  for (const auto& writer : writers_) {
    total += writer->BufferedBytes();
  }
  return total;
}

Status ParquetWriter::AfterRows(int64_t num_rows) {
  rows_in_group_ += num_rows;
  int64_t buffered = BufferedBytes();
  if (rows_in_group_ >= options_.row_group_rows || buffered >= options_.row_group_bytes) {
    FLOE_RETURN_NOT_OK(FlushRowGroup());
    buffered = BufferedBytes();
  }
  return reservation_.Resize(buffered);
}

Status ParquetWriter::FlushRowGroup() {
  if (rows_in_group_ == 0) {
    return Status::OK();
  }
  RowGroup group;
  group.num_rows = rows_in_group_;
  group.file_offset = stream_->Tell();
  group.ordinal = static_cast<int16_t>(metadata_.row_groups.size());
  std::vector<PageIndexes> indexes;
  int64_t compressed = 0;
  for (const auto& writer : writers_) {
    Result<FlushedColumnChunk> flushed = writer->FlushChunk(*stream_);
    if (!flushed.ok()) {
      return flushed.status().WithContext(fmt::format("column {}", writer->column().PathString()));
    }
    const ColumnMetaData& column = *flushed->chunk.meta_data;
    group.total_byte_size += column.total_uncompressed_size;
    compressed += column.total_compressed_size;
    group.columns.push_back(std::move(flushed->chunk));
    indexes.push_back({std::move(flushed->column_index), std::move(flushed->offset_index)});
  }
  group.total_compressed_size = compressed;
  metadata_.num_rows += rows_in_group_;
  metadata_.row_groups.push_back(std::move(group));
  page_indexes_.push_back(std::move(indexes));
  rows_in_group_ = 0;
  return Status::OK();
}

// PageIndex.md: all column indexes, then all offset indexes, between the last row group and
// the footer, so a reader fetches them in one range.
Status ParquetWriter::WritePageIndexes() {
  std::vector<uint8_t> bytes;
  for (size_t group = 0; group < page_indexes_.size(); ++group) {
    for (size_t column = 0; column < page_indexes_[group].size(); ++column) {
      const auto& index = page_indexes_[group][column].column_index;
      if (!index.has_value()) {
        continue;
      }
      ColumnChunk& chunk = metadata_.row_groups[group].columns[column];
      bytes.clear();
      WriteColumnIndex(*index, bytes);
      chunk.column_index_offset = stream_->Tell();
      chunk.column_index_length = static_cast<int32_t>(bytes.size());
      FLOE_RETURN_NOT_OK(WriteBytes(*stream_, bytes));
    }
  }
  for (size_t group = 0; group < page_indexes_.size(); ++group) {
    for (size_t column = 0; column < page_indexes_[group].size(); ++column) {
      const auto& index = page_indexes_[group][column].offset_index;
      if (!index.has_value()) {
        continue;
      }
      ColumnChunk& chunk = metadata_.row_groups[group].columns[column];
      bytes.clear();
      WriteOffsetIndex(*index, bytes);
      chunk.offset_index_offset = stream_->Tell();
      chunk.offset_index_length = static_cast<int32_t>(bytes.size());
      FLOE_RETURN_NOT_OK(WriteBytes(*stream_, bytes));
    }
  }
  page_indexes_.clear();
  return Status::OK();
}

Status ParquetWriter::WriteFooter() {
  if (!options_.key_value_metadata.empty()) {
    metadata_.key_value_metadata = options_.key_value_metadata;
  }
  metadata_.created_by = fmt::format("floe version {} (build {})", kVersion, kGitRevision);
  // Every leaf's statistics follow the order its logical type defines (parquet.thrift,
  // ColumnOrder).
  metadata_.column_orders =
      std::vector<ColumnOrder>(writers_.size(), ColumnOrder::kTypeDefinedOrder);
  std::vector<uint8_t> footer;
  WriteFileMetaData(metadata_, footer);
  auto length = static_cast<uint32_t>(footer.size());
  uint8_t length_bytes[4];
  std::memcpy(length_bytes, &length, sizeof(length_bytes));
  footer.insert(footer.end(), length_bytes, length_bytes + sizeof(length_bytes));
  footer.insert(footer.end(), kMagic.begin(), kMagic.end());
  return WriteBytes(*stream_, footer);
}

Status ParquetWriter::Finish() {
  FLOE_RETURN_NOT_OK(FlushRowGroup());
  FLOE_RETURN_NOT_OK(WritePageIndexes());
  FLOE_RETURN_NOT_OK(WriteFooter());
  file_size_ = stream_->Tell();
  FLOE_RETURN_NOT_OK(stream_->Close());
  state_ = State::kClosed;
  writers_.clear();
  reservation_.Reset();
  return Status::OK();
}

Status ParquetWriter::Close() {
  if (state_ == State::kClosed) {
    return Status::OK();
  }
  if (state_ == State::kAborted) {
    return Status::InvalidArgument("writing Parquet file {}: Close after an error or Abort",
                                   path());
  }
  Status status = Finish();
  return status.ok() ? status : Fail(status);
}

Status ParquetWriter::Abort() {
  if (state_ != State::kOpen) {
    return Status::OK();
  }
  state_ = State::kAborted;
  writers_.clear();
  reservation_.Reset();
  return stream_->Abort();
}

}  // namespace floe::format::parquet
