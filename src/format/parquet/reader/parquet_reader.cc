#include "format/parquet/reader/parquet_reader.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "format/parquet/footer.h"
#include "format/parquet/reader/column_reader.h"
#include "format/parquet/reader/nested_assembler.h"
#include "format/parquet/reader/page_reader.h"
#include "io/read_ranges.h"

namespace floe::format::parquet {
namespace {

// One ranged read of this many tail bytes holds the footer of almost every file.
constexpr int64_t kFooterReadSize = int64_t{64} << 10;

void CollectLeaves(const SchemaNode& node, std::vector<int32_t>& leaves) {
  if (node.kind == NodeKind::kLeaf) {
    leaves.push_back(node.leaf_index);
    return;
  }
  for (const SchemaNode& child : node.children) {
    CollectLeaves(child, leaves);
  }
}

std::span<const uint8_t> AsSpan(std::string_view bytes) {
  return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
}

}  // namespace

ParquetReader::~ParquetReader() = default;

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(
    std::shared_ptr<io::RandomAccessFile> file, ParquetReadOptions options) {
  std::unique_ptr<ParquetReader> reader(new ParquetReader(std::move(file), std::move(options)));
  FLOE_RETURN_NOT_OK(reader->ReadFooter());
  FLOE_ASSIGN_OR_RETURN(reader->file_schema_,
                        FileSchema::Make(reader->metadata_, reader->file_->path()));
  FLOE_RETURN_NOT_OK(reader->ResolveProjection());
  FLOE_RETURN_NOT_OK(reader->SelectRowGroups());
  return reader;
}

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(const io::FileSystemRegistry& registry,
                                                           std::string_view location,
                                                           ParquetReadOptions options) {
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system, registry.Resolve(location));
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<io::RandomAccessFile> file,
                        file_system->OpenInputFile(location));
  return Open(std::shared_ptr<io::RandomAccessFile>(std::move(file)), std::move(options));
}

std::string ParquetReader::Context() const {
  return fmt::format("Parquet file {}", file_->path());
}

Status ParquetReader::ReadFooter() {
  int64_t size = file_->Size();
  if (size < static_cast<int64_t>(kFooterTrailerSize) + 4) {
    return Status::Corruption("{}: {} bytes is too small for a Parquet file", Context(), size);
  }
  int64_t tail_size = std::min(size, kFooterReadSize);
  FLOE_ASSIGN_OR_RETURN(std::string tail, file_->ReadAt(size - tail_size, tail_size));
  std::span<const uint8_t> bytes = AsSpan(tail);
  auto length = ReadFooterLength(bytes.subspan(bytes.size() - kFooterTrailerSize),
                                 static_cast<uint64_t>(size));
  if (!length.ok()) {
    return length.status().WithContext(Context());
  }
  int64_t needed = int64_t{*length} + static_cast<int64_t>(kFooterTrailerSize);
  if (needed > tail_size) {
    FLOE_ASSIGN_OR_RETURN(tail, file_->ReadAt(size - needed, needed));
    bytes = AsSpan(tail);
  }
  auto metadata =
      ReadFileMetaData(bytes.subspan(bytes.size() - static_cast<size_t>(needed), *length));
  if (!metadata.ok()) {
    return Status::Corruption("{}: footer: {}", Context(), metadata.status().message());
  }
  metadata_ = std::move(metadata).value();
  return Status::OK();
}

Status ParquetReader::ResolveProjection() {
  const vector::Schema& schema = file_schema_.schema();
  for (int64_t index : options_.column_indices) {
    if (index < 0 || index >= schema.num_fields()) {
      return Status::InvalidArgument("{}: column index {} out of range (the file has {} columns)",
                                     Context(), index, schema.num_fields());
    }
    projection_.push_back(index);
  }
  for (const std::string& name : options_.column_names) {
    std::optional<int64_t> index = file_schema_.FieldIndexByName(name);
    if (!index.has_value()) {
      return Status::NotFound("{}: no column named \"{}\"", Context(), name);
    }
    projection_.push_back(*index);
  }
  for (int32_t field_id : options_.field_ids) {
    std::optional<int64_t> index = file_schema_.FieldIndexById(field_id);
    if (!index.has_value()) {
      return Status::NotFound("{}: no column with field id {}", Context(), field_id);
    }
    projection_.push_back(*index);
  }
  if (options_.column_indices.empty() && options_.column_names.empty() &&
      options_.field_ids.empty()) {
    for (int64_t i = 0; i < schema.num_fields(); ++i) {
      projection_.push_back(i);
    }
  }
  FLOE_ASSIGN_OR_RETURN(vector::Schema projected, schema.Project(projection_));
  schema_ = std::make_shared<const vector::Schema>(std::move(projected));
  if (options_.batch_size <= 0) {
    return Status::InvalidArgument("batch size must be positive: {}", options_.batch_size);
  }
  return Status::OK();
}

Status ParquetReader::SelectRowGroups() {
  size_t num_columns = file_schema_.columns().size();
  for (size_t i = 0; i < metadata_.row_groups.size(); ++i) {
    const RowGroup& row_group = metadata_.row_groups[i];
    if (row_group.columns.size() != num_columns) {
      return Status::Corruption("{}: row group {} has {} column chunks, the schema {} columns",
                                Context(), i, row_group.columns.size(), num_columns);
    }
    bool may_match = row_group.num_rows > 0;
    for (const ColumnPredicate& predicate : options_.predicates) {
      const ColumnDescriptor* column = FindPredicateColumn(file_schema_, predicate.column);
      const auto& chunk =
          row_group.columns[static_cast<size_t>(column != nullptr ? column->column_index : 0)];
      if (column == nullptr || !chunk.meta_data.has_value()) {
        continue;
      }
      ColumnStatistics statistics = ChunkStatistics(*column, *chunk.meta_data, row_group.num_rows);
      may_match = may_match && MayMatch(predicate, column->type, statistics);
    }
    if (may_match) {
      row_groups_.push_back(static_cast<int>(i));
    }
  }
  return Status::OK();
}

Result<std::optional<vector::Batch>> ParquetReader::Next() {
  while (pending_index_ >= pending_.size()) {
    if (next_row_group_ >= row_groups_.size()) {
      return std::optional<vector::Batch>();
    }
    FLOE_RETURN_NOT_OK(DecodeNextRowGroups());
  }
  const std::vector<vector::Vector>& columns = pending_[pending_index_];
  int64_t rows = pending_rows_[pending_index_];
  int64_t length = std::min(options_.batch_size, rows - pending_offset_);
  std::vector<vector::Vector> slices;
  slices.reserve(columns.size());
  for (const vector::Vector& column : columns) {
    slices.push_back(length == rows ? column : column.Slice(pending_offset_, length));
  }
  pending_offset_ += length;
  if (pending_offset_ >= rows) {
    ++pending_index_;
    pending_offset_ = 0;
  }
  FLOE_ASSIGN_OR_RETURN(vector::Batch batch,
                        vector::Batch::Make(schema_, std::move(slices), length));
  return std::optional<vector::Batch>(std::move(batch));
}

Status ParquetReader::DecodeNextRowGroups() {
  int parallelism = 1;
  if (options_.scheduler != nullptr) {
    parallelism = options_.max_parallelism > 0 ? options_.max_parallelism
                                               : options_.scheduler->num_workers() + 1;
  }
  std::vector<int> batch;
  while (next_row_group_ < row_groups_.size() && static_cast<int>(batch.size()) < parallelism) {
    batch.push_back(row_groups_[next_row_group_++]);
  }
  pending_.clear();
  pending_rows_.clear();
  pending_index_ = 0;
  pending_offset_ = 0;
  FLOE_RETURN_NOT_OK(DecodeRowGroups(batch, pending_));
  for (int row_group : batch) {
    pending_rows_.push_back(metadata_.row_groups[static_cast<size_t>(row_group)].num_rows);
  }
  return Status::OK();
}

Result<std::vector<vector::Vector>> ParquetReader::ReadRowGroup(int row_group) {
  if (row_group < 0 || static_cast<size_t>(row_group) >= metadata_.row_groups.size()) {
    return Status::InvalidArgument("{}: row group {} out of range (the file has {})", Context(),
                                   row_group, metadata_.row_groups.size());
  }
  std::vector<std::vector<vector::Vector>> output;
  FLOE_RETURN_NOT_OK(DecodeRowGroups({row_group}, output));
  return std::move(output[0]);
}

Status ParquetReader::DecodeRowGroups(const std::vector<int>& row_groups,
                                      std::vector<std::vector<vector::Vector>>& output) {
  const std::vector<ColumnDescriptor>& columns = file_schema_.columns();
  std::vector<int32_t> leaves;
  for (int64_t field : projection_) {
    CollectLeaves(file_schema_.fields()[static_cast<size_t>(field)], leaves);
  }
  std::vector<const SchemaNode*> leaf_fields(columns.size(), nullptr);
  for (const SchemaNode& field : file_schema_.fields()) {
    std::vector<int32_t> field_leaves;
    CollectLeaves(field, field_leaves);
    for (int32_t leaf : field_leaves) {
      leaf_fields[static_cast<size_t>(leaf)] = &field;
    }
  }
  std::sort(leaves.begin(), leaves.end());
  leaves.erase(std::unique(leaves.begin(), leaves.end()), leaves.end());
  std::vector<io::ReadRange> ranges;
  for (int row_group : row_groups) {
    const RowGroup& metadata = metadata_.row_groups[static_cast<size_t>(row_group)];
    for (int32_t leaf : leaves) {
      const ColumnChunk& chunk = metadata.columns[static_cast<size_t>(leaf)];
      if (!chunk.meta_data.has_value()) {
        return Status::NotSupported(
            "{}: row group {}: column {}: column chunk without metadata "
            "(encrypted or external)",
            Context(), row_group, columns[leaf].PathString());
      }
      const ColumnMetaData& meta = *chunk.meta_data;
      int64_t start = meta.data_page_offset;
      if (meta.dictionary_page_offset.has_value() && *meta.dictionary_page_offset > 0 &&
          *meta.dictionary_page_offset < start) {
        start = *meta.dictionary_page_offset;
      }
      if (start < 0 || meta.total_compressed_size < 0 ||
          meta.total_compressed_size > file_->Size() ||
          start > file_->Size() - meta.total_compressed_size) {
        return Status::Corruption(
            "{}: row group {}: column {}: chunk [{}, +{}) lies outside the "
            "file of {} bytes",
            Context(), row_group, columns[leaf].PathString(), start, meta.total_compressed_size,
            file_->Size());
      }
      ranges.push_back({start, meta.total_compressed_size});
    }
  }
  MemoryReservation reservation(options_.tracker);
  int64_t total = 0;
  for (const io::ReadRange& range : ranges) {
    total += range.length;
  }
  FLOE_RETURN_NOT_OK(reservation.Grow(total));
  FLOE_ASSIGN_OR_RETURN(io::RangeBuffers buffers, io::ReadRanges(*file_, ranges));

  size_t num_leaves = leaves.size();
  std::vector<std::vector<LeafColumn>> decoded(row_groups.size(),
                                               std::vector<LeafColumn>(columns.size()));
  auto decode = [&](int64_t task) -> Status {
    size_t group_position = static_cast<size_t>(task) / num_leaves;
    int32_t leaf = leaves[static_cast<size_t>(task) % num_leaves];
    int row_group = row_groups[group_position];
    const ColumnDescriptor& column = columns[static_cast<size_t>(leaf)];
    const ColumnMetaData& meta =
        *metadata_.row_groups[static_cast<size_t>(row_group)].columns[leaf].meta_data;
    std::string context =
        fmt::format("{}: row group {}: column {}", Context(), row_group, column.PathString());
    const io::ReadRange& range = ranges[static_cast<size_t>(task)];
    FLOE_ASSIGN_OR_RETURN(
        PageReader pages,
        PageReader::Make(AsSpan(buffers[static_cast<size_t>(task)]), range.offset, meta.codec,
                         column.max_repetition_level, column.max_definition_level, context));
    const SchemaNode& field = *leaf_fields[static_cast<size_t>(leaf)];
    bool is_nested = field.kind != NodeKind::kLeaf;
    ColumnReadOptions read_options;
    read_options.expected_values = meta.num_values;
    read_options.keep_levels = is_nested;
    read_options.allow_dictionary = !is_nested;
    read_options.slot_definition_level = is_nested ? SlotDefinitionLevel(field, leaf) : 0;
    ColumnReader reader(column, std::move(pages), options_.tracker);
    FLOE_ASSIGN_OR_RETURN(decoded[group_position][static_cast<size_t>(leaf)],
                          reader.ReadAll(read_options));
    return Status::OK();
  };
  auto count = static_cast<int64_t>(row_groups.size() * num_leaves);
  if (options_.scheduler != nullptr) {
    FLOE_RETURN_NOT_OK(options_.scheduler->ParallelFor(count, decode, options_.max_parallelism));
  } else {
    for (int64_t task = 0; task < count; ++task) {
      FLOE_RETURN_NOT_OK(decode(task));
    }
  }
  for (size_t position = 0; position < row_groups.size(); ++position) {
    int row_group = row_groups[position];
    int64_t num_rows = metadata_.row_groups[static_cast<size_t>(row_group)].num_rows;
    std::string context = fmt::format("{}: row group {}", Context(), row_group);
    std::vector<vector::Vector> fields;
    for (int64_t field_index : projection_) {
      const SchemaNode& field = file_schema_.fields()[static_cast<size_t>(field_index)];
      vector::Vector vector;
      if (field.kind == NodeKind::kLeaf) {
        vector = decoded[position][static_cast<size_t>(field.leaf_index)].values;
      } else {
        FLOE_ASSIGN_OR_RETURN(vector,
                              AssembleField(field, decoded[position], context, options_.tracker));
      }
      if (vector.length() != num_rows) {
        return Status::Corruption("{}: column {} holds {} rows, the row group {}", context,
                                  field.name, vector.length(), num_rows);
      }
      fields.push_back(std::move(vector));
    }
    output.push_back(std::move(fields));
  }
  return Status::OK();
}

}  // namespace floe::format::parquet
