#include "format/parquet/reader/parquet_reader.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "format/parquet/footer.h"
#include "format/parquet/reader/bloom_filter_reader.h"
#include "format/parquet/reader/column_reader.h"
#include "format/parquet/reader/nested_assembler.h"
#include "format/parquet/reader/page_reader.h"
#include "format/parquet/writer/bloom_filter_builder.h"
#include "io/read_ranges.h"

namespace floe::format::parquet {

// The page indexes of one row group that pruning needs, by leaf column.
struct PageIndexes {
  std::map<int32_t, ColumnIndex> column_indexes;
  std::map<int32_t, OffsetIndex> offset_indexes;
};

namespace {

// One ranged read of this many tail bytes holds the footer of almost every file.
constexpr int64_t kFooterReadSize = int64_t{64} << 10;
// Bloom filters larger than this (header included) are not read; writers cap theirs near
// 1 MiB by default, and a larger one would cost more to fetch than the row group it may skip.
constexpr int64_t kMaxBloomFilterReadSize = int64_t{16} << 20;
// A parsed footer takes a few times the bytes of its Thrift encoding (vectors of structs,
// strings and optionals where the encoding has varints); what a cached footer is charged.
constexpr int64_t kFooterMemoryFactor = 4;

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

// Returns the ColumnIndex or OffsetIndex range of a chunk when it lies inside the file.
std::optional<io::ReadRange> IndexRange(const std::optional<int64_t>& offset,
                                        const std::optional<int32_t>& length, int64_t file_size) {
  if (!offset.has_value() || !length.has_value() || *offset < 0 || *length <= 0 ||
      *offset > file_size - *length) {
    return std::nullopt;
  }
  return io::ReadRange{*offset, *length};
}

// Where a fetched page index goes.
struct IndexTarget {
  size_t position = 0;  // Into the row groups being planned.
  int32_t leaf = 0;
  bool is_column_index = false;
};

// Decodes a fetched index into its place; a malformed index is left out, so that it prunes
// nothing rather than failing a read the index is not needed for.
void StoreIndex(const IndexTarget& target, std::string_view bytes,
                std::vector<PageIndexes>& indexes) {
  if (target.is_column_index) {
    auto index = ReadColumnIndex(AsSpan(bytes));
    if (index.ok()) {
      indexes[target.position].column_indexes[target.leaf] = std::move(index).value();
    }
    return;
  }
  auto index = ReadOffsetIndex(AsSpan(bytes));
  if (index.ok()) {
    indexes[target.position].offset_indexes[target.leaf] = std::move(index).value();
  }
}

// The page index reads of all row groups: ranges and where each decoded index goes.
struct IndexReads {
  std::vector<io::ReadRange> ranges;
  std::vector<IndexTarget> targets;
};

// Plans reading the ColumnIndex and OffsetIndex of predicate columns and the OffsetIndex of
// the projected flat columns, for every row group in `row_groups`.
IndexReads PlanIndexReads(const FileMetaData& metadata, const std::vector<int>& row_groups,
                          const std::vector<int32_t>& flat_leaves,
                          const std::vector<const ColumnDescriptor*>& predicate_columns,
                          int64_t file_size) {
  std::set<int32_t> offset_leaves(flat_leaves.begin(), flat_leaves.end());
  std::set<int32_t> column_leaves;
  for (const ColumnDescriptor* column : predicate_columns) {
    if (column != nullptr) {
      offset_leaves.insert(column->column_index);
      column_leaves.insert(column->column_index);
    }
  }
  IndexReads reads;
  for (size_t position = 0; position < row_groups.size(); ++position) {
    const RowGroup& row_group = metadata.row_groups[static_cast<size_t>(row_groups[position])];
    for (int32_t leaf : column_leaves) {
      const ColumnChunk& chunk = row_group.columns[static_cast<size_t>(leaf)];
      auto range = IndexRange(chunk.column_index_offset, chunk.column_index_length, file_size);
      if (range.has_value()) {
        reads.ranges.push_back(*range);
        reads.targets.push_back({position, leaf, true});
      }
    }
    for (int32_t leaf : offset_leaves) {
      const ColumnChunk& chunk = row_group.columns[static_cast<size_t>(leaf)];
      auto range = IndexRange(chunk.offset_index_offset, chunk.offset_index_length, file_size);
      if (range.has_value()) {
        reads.ranges.push_back(*range);
        reads.targets.push_back({position, leaf, false});
      }
    }
  }
  return reads;
}

// Returns the rows of a row group that every predicate with a usable page index may match.
RowRanges RowGroupRanges(const std::vector<ColumnPredicate>& predicates,
                         const std::vector<const ColumnDescriptor*>& predicate_columns,
                         const PageIndexes& found, int64_t num_rows) {
  RowRanges rows = {{0, num_rows}};
  for (size_t i = 0; i < predicates.size(); ++i) {
    const ColumnDescriptor* column = predicate_columns[i];
    if (column == nullptr) {
      continue;
    }
    auto column_index = found.column_indexes.find(column->column_index);
    auto offset_index = found.offset_indexes.find(column->column_index);
    if (column_index == found.column_indexes.end() || offset_index == found.offset_indexes.end() ||
        !IsUsableOffsetIndex(offset_index->second, num_rows)) {
      continue;
    }
    auto matching =
        MatchingRows(predicates[i], *column, column_index->second, offset_index->second, num_rows);
    if (matching.has_value()) {
      rows = IntersectRowRanges(rows, *matching);
    }
  }
  return rows;
}

ColumnReadOptions LeafReadOptions(const SchemaNode& field, int32_t leaf,
                                  const ColumnMetaData& meta) {
  bool is_nested = field.kind != NodeKind::kLeaf;
  ColumnReadOptions options;
  options.expected_values = meta.num_values;
  options.keep_levels = is_nested;
  options.allow_dictionary = !is_nested;
  options.slot_definition_level = is_nested ? SlotDefinitionLevel(field, leaf) : 0;
  return options;
}

// Names the file in a ResourceExhausted that comes from a tracker, which knows only itself.
Status WithFileContext(const Status& status, std::string_view context) {
  if (status.code() == StatusCode::kResourceExhausted &&
      status.message().find(context) == std::string::npos) {
    return status.WithContext(context);
  }
  return status;
}
}  // namespace

// One projected top-level field of the row group being read: a flat field is decoded a piece
// (a few pages) at a time, a nested one whole.
struct FieldScan {
  const SchemaNode* field = nullptr;
  std::unique_ptr<ColumnReader> reader;
  ColumnReadOptions read_options;
  bool is_started = false;
  std::optional<vector::Vector> piece;
  int64_t first_row = 0;
  // The piece is the whole chunk, shared with the column chunk cache.
  bool is_cached = false;
  // The chunk is decoded whole (on first use) and put in the column chunk cache.
  bool fills_cache = false;

  int64_t end() const { return piece.has_value() ? first_row + piece->length() : first_row; }
};

// The row group Next is reading: its fetched chunks, the rows left to return, the fields.
struct RowGroupScan {
  int row_group = 0;
  int64_t num_rows = 0;
  RowRanges ranges;
  size_t range_index = 0;
  int64_t position = 0;
  MemoryReservation reservation;
  io::RangeBuffers buffers;
  std::vector<io::ReadRange> chunk_ranges;
  // Per leaf, its ranges in chunk_ranges: first and count.
  std::map<int32_t, std::pair<size_t, size_t>> leaf_ranges;
  std::vector<FieldScan> fields;

  std::vector<ChunkSegment> SegmentsOf(int32_t leaf) const {
    auto [first, count] = leaf_ranges.at(leaf);
    std::vector<ChunkSegment> segments;
    for (size_t i = first; i < first + count; ++i) {
      std::string_view bytes = buffers[i];
      segments.push_back(
          {chunk_ranges[i].offset, {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()}});
    }
    return segments;
  }
};

ParquetReader::ParquetReader(std::shared_ptr<io::RandomAccessFile> file, ParquetReadOptions options)
    : file_(std::move(file)), options_(std::move(options)) {}

ParquetReader::~ParquetReader() = default;

Result<std::unique_ptr<ParquetReader>> ParquetReader::Open(
    std::shared_ptr<io::RandomAccessFile> file, ParquetReadOptions options) {
  std::unique_ptr<ParquetReader> reader(new ParquetReader(std::move(file), std::move(options)));
  FLOE_RETURN_NOT_OK(reader->ReadFooter());
  FLOE_ASSIGN_OR_RETURN(reader->file_schema_,
                        FileSchema::Make(*reader->metadata_, reader->file_->path()));
  FLOE_RETURN_NOT_OK(reader->ResolveProjection());
  FLOE_RETURN_NOT_OK(reader->SelectRowGroups());
  FLOE_RETURN_NOT_OK(reader->PruneByBloomFilters());
  FLOE_RETURN_NOT_OK(reader->PlanPages());
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
  if (options_.footer != nullptr) {
    metadata_ = options_.footer;
    return Status::OK();
  }
  if (UsesCache()) {
    metadata_ = options_.cache->FindFooter(options_.cache_identity);
    if (metadata_ != nullptr) {
      return Status::OK();
    }
  }
  auto start = std::chrono::steady_clock::now();
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
  metadata_ = std::make_shared<const FileMetaData>(std::move(metadata).value());
  if (UsesCache()) {
    auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count();
    options_.cache->InsertFooter(options_.cache_identity, metadata_, needed * kFooterMemoryFactor,
                                 nanos);
  }
  return Status::OK();
}

bool ParquetReader::UsesCache() const {
  return options_.cache != nullptr && !options_.cache_identity.empty();
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
  std::vector<int> candidates = options_.row_groups;
  if (candidates.empty()) {
    candidates.resize(metadata_->row_groups.size());
    std::iota(candidates.begin(), candidates.end(), 0);
  }
  for (int i : candidates) {
    if (i < 0 || static_cast<size_t>(i) >= metadata_->row_groups.size()) {
      return Status::InvalidArgument("{}: row group {} out of range (the file has {})", Context(),
                                     i, metadata_->row_groups.size());
    }
    const RowGroup& row_group = metadata_->row_groups[static_cast<size_t>(i)];
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
      row_groups_.push_back(i);
    } else if (row_group.num_rows > 0) {
      ++counters_.row_groups_pruned_by_statistics;
    }
  }
  return Status::OK();
}

Status ParquetReader::PruneByBloomFilters() {
  struct Probe {
    int32_t leaf = 0;
    uint64_t hash = 0;
  };
  std::vector<Probe> probes;
  for (const ColumnPredicate& predicate : options_.predicates) {
    const ColumnDescriptor* column = FindPredicateColumn(file_schema_, predicate.column);
    if (predicate.op != ColumnPredicate::Op::kEqual || column == nullptr) {
      continue;
    }
    std::optional<std::string> key = BloomFilterKey(*column, predicate.value);
    if (key.has_value()) {
      probes.push_back({column->column_index, XxHash64(*key)});
    }
  }
  if (probes.empty()) {
    return Status::OK();
  }
  std::vector<io::ReadRange> ranges;
  std::vector<std::pair<size_t, size_t>> targets;  // Row group position, probe.
  for (size_t position = 0; position < row_groups_.size(); ++position) {
    for (size_t probe = 0; probe < probes.size(); ++probe) {
      std::optional<io::ReadRange> range =
          BloomFilterRange(row_groups_[position], probes[probe].leaf);
      if (range.has_value()) {
        ranges.push_back(*range);
        targets.emplace_back(position, probe);
      }
    }
  }
  MemoryReservation reservation(options_.tracker);
  int64_t total = 0;
  for (const io::ReadRange& range : ranges) {
    total += range.length;
  }
  FLOE_RETURN_NOT_OK(WithFileContext(reservation.Grow(total), Context()));
  FLOE_ASSIGN_OR_RETURN(io::RangeBuffers buffers, io::ReadRanges(*file_, ranges));
  std::vector<bool> is_excluded(row_groups_.size(), false);
  for (size_t i = 0; i < targets.size(); ++i) {
    if (!BloomFilterMayContain(AsSpan(buffers[i]), probes[targets[i].second].hash)) {
      is_excluded[targets[i].first] = true;
    }
  }
  std::vector<int> kept;
  for (size_t position = 0; position < row_groups_.size(); ++position) {
    if (is_excluded[position]) {
      ++counters_.row_groups_pruned_by_bloom_filter;
    } else {
      kept.push_back(row_groups_[position]);
    }
  }
  row_groups_ = std::move(kept);
  return Status::OK();
}

// Returns the bytes of a chunk's Bloom filter: bloom_filter_length when the writer gave it,
// else as much as a header and the largest bitset this reader accepts take.
std::optional<io::ReadRange> ParquetReader::BloomFilterRange(int row_group, int32_t leaf) const {
  const ColumnChunk& chunk =
      metadata_->row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(leaf)];
  if (!chunk.meta_data.has_value() || !chunk.meta_data->bloom_filter_offset.has_value()) {
    return std::nullopt;
  }
  int64_t offset = *chunk.meta_data->bloom_filter_offset;
  int64_t length = chunk.meta_data->bloom_filter_length.value_or(kMaxBloomFilterReadSize);
  if (offset < 0 || offset >= file_->Size() || length <= 0 || length > kMaxBloomFilterReadSize) {
    return std::nullopt;
  }
  return io::ReadRange{offset, std::min(length, file_->Size() - offset)};
}

Status ParquetReader::PlanPages() {
  std::vector<int32_t> flat_leaves;
  for (int64_t field : projection_) {
    const SchemaNode& node = file_schema_.fields()[static_cast<size_t>(field)];
    if (node.kind == NodeKind::kLeaf) {
      flat_leaves.push_back(node.leaf_index);
    }
  }
  std::vector<const ColumnDescriptor*> predicate_columns;
  for (const ColumnPredicate& predicate : options_.predicates) {
    predicate_columns.push_back(FindPredicateColumn(file_schema_, predicate.column));
  }
  IndexReads reads;
  if (!options_.predicates.empty()) {
    reads = PlanIndexReads(*metadata_, row_groups_, flat_leaves, predicate_columns, file_->Size());
  }
  std::vector<PageIndexes> indexes(row_groups_.size());
  if (!reads.ranges.empty()) {
    MemoryReservation reservation(options_.tracker);
    int64_t total = 0;
    for (const io::ReadRange& range : reads.ranges) {
      total += range.length;
    }
    FLOE_RETURN_NOT_OK(WithFileContext(reservation.Grow(total), Context()));
    FLOE_ASSIGN_OR_RETURN(io::RangeBuffers buffers, io::ReadRanges(*file_, reads.ranges));
    for (size_t i = 0; i < reads.targets.size(); ++i) {
      StoreIndex(reads.targets[i], buffers[i], indexes);
    }
  }
  for (size_t position = 0; position < row_groups_.size(); ++position) {
    int row_group = row_groups_[position];
    int64_t num_rows = metadata_->row_groups[static_cast<size_t>(row_group)].num_rows;
    RowRanges rows =
        RowGroupRanges(options_.predicates, predicate_columns, indexes[position], num_rows);
    if (rows.empty()) {
      ++counters_.row_groups_pruned_by_page_index;
      continue;
    }
    counters_.rows_skipped += num_rows - CountRows(rows);
    offset_indexes_.push_back(PlannedOffsetIndexes(indexes[position], flat_leaves, rows, num_rows));
    row_ranges_.emplace_back(row_group, std::move(rows));
  }
  return Status::OK();
}

// Keeps the OffsetIndex of each projected flat leaf whose pages the ranges thin out.
std::vector<std::optional<OffsetIndex>> ParquetReader::PlannedOffsetIndexes(
    const PageIndexes& found, const std::vector<int32_t>& flat_leaves, const RowRanges& rows,
    int64_t num_rows) {
  std::vector<std::optional<OffsetIndex>> offset_indexes(file_schema_.columns().size());
  if (CountRows(rows) == num_rows) {
    return offset_indexes;
  }
  for (int32_t leaf : flat_leaves) {
    auto it = found.offset_indexes.find(leaf);
    if (it == found.offset_indexes.end() || !IsUsableOffsetIndex(it->second, num_rows)) {
      continue;
    }
    counters_.pages_skipped +=
        static_cast<int64_t>(it->second.page_locations.size()) -
        static_cast<int64_t>(PagesOverlapping(it->second, num_rows, rows).size());
    offset_indexes[static_cast<size_t>(leaf)] = it->second;
  }
  return offset_indexes;
}

Result<io::ReadRange> ParquetReader::ChunkRange(int row_group, int32_t leaf) const {
  const ColumnDescriptor& column = file_schema_.columns()[static_cast<size_t>(leaf)];
  const ColumnChunk& chunk =
      metadata_->row_groups[static_cast<size_t>(row_group)].columns[static_cast<size_t>(leaf)];
  if (!chunk.meta_data.has_value()) {
    return Status::NotSupported(
        "{}: row group {}: column {}: column chunk without metadata (encrypted or external)",
        Context(), row_group, column.PathString());
  }
  const ColumnMetaData& meta = *chunk.meta_data;
  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset.has_value() && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  if (start < 0 || meta.total_compressed_size < 0 || meta.total_compressed_size > file_->Size() ||
      start > file_->Size() - meta.total_compressed_size) {
    return Status::Corruption(
        "{}: row group {}: column {}: chunk [{}, +{}) lies outside the file of {} bytes", Context(),
        row_group, column.PathString(), start, meta.total_compressed_size, file_->Size());
  }
  return io::ReadRange{start, meta.total_compressed_size};
}

Result<std::unique_ptr<ColumnReader>> ParquetReader::MakeColumnReader(
    int row_group, int32_t leaf, std::vector<ChunkSegment> segments, MemoryTracker* tracker) const {
  const ColumnDescriptor& column = file_schema_.columns()[static_cast<size_t>(leaf)];
  const ColumnMetaData& meta = *metadata_->row_groups[static_cast<size_t>(row_group)]
                                    .columns[static_cast<size_t>(leaf)]
                                    .meta_data;
  std::string context =
      fmt::format("{}: row group {}: column {}", Context(), row_group, column.PathString());
  FLOE_ASSIGN_OR_RETURN(
      PageReader pages,
      PageReader::Make(std::move(segments), meta.codec, column.max_repetition_level,
                       column.max_definition_level, std::move(context)));
  return std::make_unique<ColumnReader>(column, std::move(pages), tracker);
}

Result<std::optional<vector::Batch>> ParquetReader::Next() {
  while (true) {
    if (scan_ == nullptr) {
      if (next_row_group_ >= row_ranges_.size()) {
        return std::optional<vector::Batch>();
      }
      FLOE_RETURN_NOT_OK(StartRowGroup());
    }
    FLOE_ASSIGN_OR_RETURN(std::optional<vector::Batch> batch, NextSlice());
    if (batch.has_value()) {
      return batch;
    }
    FLOE_RETURN_NOT_OK(FinishRowGroup());
    scan_.reset();
  }
}

Status ParquetReader::StartRowGroup() {
  size_t entry = next_row_group_++;
  auto scan = std::make_unique<RowGroupScan>();
  scan->row_group = row_ranges_[entry].first;
  scan->ranges = row_ranges_[entry].second;
  scan->num_rows = metadata_->row_groups[static_cast<size_t>(scan->row_group)].num_rows;
  scan->reservation = MemoryReservation(options_.tracker);
  for (int64_t field : projection_) {
    FieldScan field_scan;
    field_scan.field = &file_schema_.fields()[static_cast<size_t>(field)];
    std::vector<int32_t> leaves;
    CollectLeaves(*field_scan.field, leaves);
    for (int32_t leaf : leaves) {
      const std::optional<OffsetIndex>& offset_index =
          offset_indexes_[entry][static_cast<size_t>(leaf)];
      const std::optional<ColumnMetaData>& meta =
          metadata_->row_groups[static_cast<size_t>(scan->row_group)]
              .columns[static_cast<size_t>(leaf)]
              .meta_data;
      if (field_scan.field->kind == NodeKind::kLeaf && meta.has_value()) {
        field_scan.read_options = LeafReadOptions(*field_scan.field, leaf, *meta);
        if (offset_index.has_value()) {
          field_scan.read_options.pages =
              PagesOverlapping(*offset_index, scan->num_rows, scan->ranges);
          field_scan.read_options.first_data_page_offset = offset_index->page_locations[0].offset;
          field_scan.read_options.expected_values = -1;
        }
        if (UsesCache()) {
          UseCachedChunk(field_scan, scan->row_group, leaf, *meta);
        }
      }
      if (!field_scan.is_cached && !scan->leaf_ranges.contains(leaf)) {
        FLOE_RETURN_NOT_OK(AddLeafRanges(*scan, leaf, field_scan.read_options));
      }
    }
    scan->fields.push_back(std::move(field_scan));
  }
  int64_t total = 0;
  for (const io::ReadRange& range : scan->chunk_ranges) {
    total += range.length;
  }
  FLOE_RETURN_NOT_OK(WithFileContext(scan->reservation.Grow(total), Context()));
  FLOE_ASSIGN_OR_RETURN(scan->buffers, io::ReadRanges(*file_, scan->chunk_ranges));
  for (FieldScan& field_scan : scan->fields) {
    if (field_scan.field->kind == NodeKind::kLeaf && !field_scan.is_cached) {
      int32_t leaf = field_scan.field->leaf_index;
      FLOE_ASSIGN_OR_RETURN(field_scan.reader,
                            MakeColumnReader(scan->row_group, leaf, scan->SegmentsOf(leaf),
                                             field_scan.fills_cache ? nullptr : options_.tracker));
    }
  }
  scan_ = std::move(scan);
  return Status::OK();
}

// Adds the byte ranges of one leaf to fetch: the whole chunk, or with planned pages only the
// bytes before the first data page (the dictionary) and those pages.
Status ParquetReader::AddLeafRanges(RowGroupScan& scan, int32_t leaf,
                                    const ColumnReadOptions& read_options) const {
  FLOE_ASSIGN_OR_RETURN(io::ReadRange chunk, ChunkRange(scan.row_group, leaf));
  size_t first = scan.chunk_ranges.size();
  if (!read_options.pages.has_value()) {
    scan.chunk_ranges.push_back(chunk);
  } else {
    if (read_options.first_data_page_offset > chunk.offset) {
      scan.chunk_ranges.push_back(
          {chunk.offset,
           std::min(read_options.first_data_page_offset, chunk.end()) - chunk.offset});
    }
    for (const PlannedPage& page : *read_options.pages) {
      if (page.offset < chunk.offset || page.size > chunk.end() - page.offset) {
        return Status::Corruption(
            "{}: row group {}: column {}: offset index page [{}, +{}) lies outside the chunk",
            Context(), scan.row_group,
            file_schema_.columns()[static_cast<size_t>(leaf)].PathString(), page.offset, page.size);
      }
      scan.chunk_ranges.push_back({page.offset, page.size});
    }
  }
  scan.leaf_ranges[leaf] = {first, scan.chunk_ranges.size() - first};
  return Status::OK();
}

Result<std::optional<vector::Batch>> ParquetReader::NextSlice() {
  RowGroupScan& scan = *scan_;
  while (scan.range_index < scan.ranges.size() &&
         scan.position >= scan.ranges[scan.range_index].end) {
    ++scan.range_index;
  }
  if (scan.range_index >= scan.ranges.size()) {
    return std::optional<vector::Batch>();
  }
  const RowRange& range = scan.ranges[scan.range_index];
  scan.position = std::max(scan.position, range.begin);
  FLOE_RETURN_NOT_OK(Refill(scan.position));
  int64_t length = std::min(options_.batch_size, range.end - scan.position);
  for (const FieldScan& field : scan.fields) {
    length = std::min(length, field.end() - scan.position);
  }
  std::vector<vector::Vector> slices;
  slices.reserve(scan.fields.size());
  for (const FieldScan& field : scan.fields) {
    int64_t offset = scan.position - field.first_row;
    slices.push_back(offset == 0 && length == field.piece->length()
                         ? *field.piece
                         : field.piece->Slice(offset, length));
  }
  scan.position += length;
  FLOE_ASSIGN_OR_RETURN(vector::Batch batch,
                        vector::Batch::Make(schema_, std::move(slices), length));
  return std::optional<vector::Batch>(std::move(batch));
}

// Decodes, in parallel, the next pieces of the fields whose piece ends at or before `row`.
Status ParquetReader::Refill(int64_t row) {
  RowGroupScan& scan = *scan_;
  std::vector<size_t> stale;
  for (size_t i = 0; i < scan.fields.size(); ++i) {
    if (!scan.fields[i].piece.has_value() || scan.fields[i].end() <= row) {
      stale.push_back(i);
    }
  }
  auto refill = [&](int64_t task) -> Status {
    FieldScan& field = scan.fields[stale[static_cast<size_t>(task)]];
    std::string context = fmt::format("{}: row group {}", Context(), scan.row_group);
    Status status = field.fills_cache         ? FillFromCache(field)
                    : field.reader != nullptr ? AdvanceFlat(field, row)
                                              : DecodeNested(field);
    return WithFileContext(status, context);
  };
  auto count = static_cast<int64_t>(stale.size());
  if (options_.scheduler != nullptr && count > 1) {
    return options_.scheduler->ParallelFor(count, refill, options_.max_parallelism);
  }
  for (int64_t task = 0; task < count; ++task) {
    FLOE_RETURN_NOT_OK(refill(task));
  }
  return Status::OK();
}

// Reads pieces of a flat field until one holds `row`; the pages planned from the page index
// cover every surviving row, so a piece starting after `row` means the index lied.
Status ParquetReader::AdvanceFlat(FieldScan& field, int64_t row) const {
  const RowGroupScan& scan = *scan_;
  if (!field.is_started) {
    FLOE_RETURN_NOT_OK(field.reader->Begin(field.read_options));
    field.is_started = true;
  }
  while (!field.piece.has_value() || field.end() <= row) {
    field.piece.reset();
    FLOE_ASSIGN_OR_RETURN(std::optional<ColumnPiece> piece,
                          field.reader->ReadPiece(options_.batch_size));
    if (!piece.has_value()) {
      FLOE_RETURN_NOT_OK(field.reader->CheckValueCount());
      return Status::Corruption("{}: row group {}: column {}: pages end before row {}", Context(),
                                scan.row_group, field.field->name, row);
    }
    field.first_row = piece->first_row;
    field.piece = std::move(piece->values);
    if (field.first_row > row) {
      return Status::Corruption("{}: row group {}: column {}: no page holds row {}", Context(),
                                scan.row_group, field.field->name, row);
    }
  }
  return Status::OK();
}

// A hit serves every row of the row group, whatever the page index left out: the rows returned
// are still those of the row ranges, so answers do not depend on what the cache holds. A miss
// decodes the whole chunk for the cache unless only some pages are planned (those are decoded
// as without a cache) or the chunk is too large to keep.
void ParquetReader::UseCachedChunk(FieldScan& field, int row_group, int32_t leaf,
                                   const ColumnMetaData& meta) const {
  ColumnChunkCache::Chunk chunk = options_.cache->Find(options_.cache_identity, row_group, leaf);
  if (chunk != nullptr) {
    field.piece = *chunk;
    field.first_row = 0;
    field.is_cached = true;
    return;
  }
  field.fills_cache = !field.read_options.pages.has_value() &&
                      meta.total_uncompressed_size <= options_.cache->capacity_bytes() / 4;
}

Status ParquetReader::FillFromCache(FieldScan& field) const {
  const RowGroupScan& scan = *scan_;
  auto decode = [&]() -> Result<vector::Vector> {
    FLOE_ASSIGN_OR_RETURN(LeafColumn column, field.reader->ReadAll(field.read_options));
    if (column.values.length() != scan.num_rows) {
      return Status::Corruption("{}: row group {}: column {} holds {} rows, the row group {}",
                                Context(), scan.row_group, field.field->name,
                                column.values.length(), scan.num_rows);
    }
    return std::move(column.values);
  };
  FLOE_ASSIGN_OR_RETURN(ColumnChunkCache::Chunk chunk,
                        options_.cache->FindOrDecode(options_.cache_identity, scan.row_group,
                                                     field.field->leaf_index, decode));
  field.piece = *chunk;
  field.first_row = 0;
  field.is_cached = true;
  field.fills_cache = false;
  return Status::OK();
}

Status ParquetReader::DecodeNested(FieldScan& field) const {
  const RowGroupScan& scan = *scan_;
  std::vector<int32_t> leaves;
  CollectLeaves(*field.field, leaves);
  std::vector<LeafColumn> decoded(file_schema_.columns().size());
  for (int32_t leaf : leaves) {
    FLOE_ASSIGN_OR_RETURN(
        std::unique_ptr<ColumnReader> reader,
        MakeColumnReader(scan.row_group, leaf, scan.SegmentsOf(leaf), options_.tracker));
    const ColumnMetaData& meta = *metadata_->row_groups[static_cast<size_t>(scan.row_group)]
                                      .columns[static_cast<size_t>(leaf)]
                                      .meta_data;
    FLOE_ASSIGN_OR_RETURN(decoded[static_cast<size_t>(leaf)],
                          reader->ReadAll(LeafReadOptions(*field.field, leaf, meta)));
  }
  std::string context = fmt::format("{}: row group {}", Context(), scan.row_group);
  FLOE_ASSIGN_OR_RETURN(vector::Vector vector,
                        AssembleField(*field.field, decoded, context, options_.tracker));
  if (vector.length() != scan.num_rows) {
    return Status::Corruption("{}: column {} holds {} rows, the row group {}", context,
                              field.field->name, vector.length(), scan.num_rows);
  }
  field.first_row = 0;
  field.piece = std::move(vector);
  return Status::OK();
}

// A read of every row must have consumed every page: more rows than the row group is corrupt.
Status ParquetReader::FinishRowGroup() {
  RowGroupScan& scan = *scan_;
  if (scan.ranges.empty() || scan.ranges.back().end != scan.num_rows) {
    return Status::OK();
  }
  for (FieldScan& field : scan.fields) {
    // A chunk taken from or put into the cache was checked whole when it was decoded.
    if (field.reader == nullptr || field.read_options.pages.has_value() || field.is_cached) {
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(std::optional<ColumnPiece> extra, field.reader->ReadPiece(1));
    if (field.end() != scan.num_rows || extra.has_value()) {
      return Status::Corruption(
          "{}: row group {}: column {}: pages hold more rows than the {} "
          "of the row group",
          Context(), scan.row_group, field.field->name, scan.num_rows);
    }
    FLOE_RETURN_NOT_OK(field.reader->CheckValueCount());
  }
  return Status::OK();
}

Result<std::vector<vector::Vector>> ParquetReader::ReadRowGroup(int row_group) {
  if (row_group < 0 || static_cast<size_t>(row_group) >= metadata_->row_groups.size()) {
    return Status::InvalidArgument("{}: row group {} out of range (the file has {})", Context(),
                                   row_group, metadata_->row_groups.size());
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
    for (int32_t leaf : leaves) {
      FLOE_ASSIGN_OR_RETURN(io::ReadRange range, ChunkRange(row_group, leaf));
      ranges.push_back(range);
    }
  }
  MemoryReservation reservation(options_.tracker);
  int64_t total = 0;
  for (const io::ReadRange& range : ranges) {
    total += range.length;
  }
  FLOE_RETURN_NOT_OK(WithFileContext(reservation.Grow(total), Context()));
  FLOE_ASSIGN_OR_RETURN(io::RangeBuffers buffers, io::ReadRanges(*file_, ranges));

  size_t num_leaves = leaves.size();
  std::vector<std::vector<LeafColumn>> decoded(row_groups.size(),
                                               std::vector<LeafColumn>(columns.size()));
  auto decode = [&](int64_t task) -> Status {
    size_t group_position = static_cast<size_t>(task) / num_leaves;
    int32_t leaf = leaves[static_cast<size_t>(task) % num_leaves];
    int row_group = row_groups[group_position];
    const ColumnMetaData& meta =
        *metadata_->row_groups[static_cast<size_t>(row_group)].columns[leaf].meta_data;
    const io::ReadRange& range = ranges[static_cast<size_t>(task)];
    FLOE_ASSIGN_OR_RETURN(
        std::unique_ptr<ColumnReader> reader,
        MakeColumnReader(row_group, leaf,
                         {{range.offset, AsSpan(buffers[static_cast<size_t>(task)])}},
                         options_.tracker));
    const SchemaNode& field = *leaf_fields[static_cast<size_t>(leaf)];
    FLOE_ASSIGN_OR_RETURN(decoded[group_position][static_cast<size_t>(leaf)],
                          reader->ReadAll(LeafReadOptions(field, leaf, meta)));
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
    int64_t num_rows = metadata_->row_groups[static_cast<size_t>(row_group)].num_rows;
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
