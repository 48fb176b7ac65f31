#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/memory_tracker.h"
#include "common/result.h"
#include "common/task_scheduler.h"
#include "format/parquet/metadata.h"
#include "format/parquet/reader/column_chunk_cache.h"
#include "format/parquet/reader/column_predicate.h"
#include "format/parquet/reader/column_reader.h"
#include "format/parquet/reader/page_index_filter.h"
#include "format/parquet/schema.h"
#include "io/file_system.h"
#include "io/file_system_registry.h"
#include "io/read_ranges.h"
#include "vector/batch.h"

namespace floe::format::parquet {

struct FieldScan;
struct PageIndexes;
struct RowGroupScan;

/// What a ParquetReader reads and how.
struct ParquetReadOptions {
  /// Top-level fields to read, by index, name or field id (at most one list non-empty); all
  /// fields when every list is empty. Output columns follow the order given.
  std::vector<int64_t> column_indices{};
  std::vector<std::string> column_names{};
  std::vector<int32_t> field_ids{};
  /// A conjunction; row groups whose statistics or Bloom filters exclude a match are skipped,
  /// and so are the rows of pages whose page index entries exclude one. The rows returned are
  /// all the rows of the row ranges that survive, in file order, not filtered further.
  std::vector<ColumnPredicate> predicates{};
  /// Row groups to consider, by index, in this order; every row group when empty. Pruning still
  /// applies to them. A parallel scan gives each reader a share of the row groups (a morsel),
  /// so several threads read one file without coordinating.
  std::vector<int> row_groups{};
  /// The file's footer, already read by another reader of the same file (`shared_metadata()`),
  /// so that the readers of a parallel scan fetch and parse it once; nullptr reads it.
  std::shared_ptr<const FileMetaData> footer{};
  /// Most rows per batch. Batches end early where a row range or a decoded piece of a column
  /// ends, so they may be shorter.
  int64_t batch_size = vector::Batch::kDefaultBatchSize;
  /// Decodes columns and row groups in parallel on this scheduler (the caller takes part);
  /// nullptr decodes on the calling thread.
  TaskScheduler* scheduler = nullptr;
  /// Threads taking part in decoding, 0 for all of the scheduler's.
  int max_parallelism = 0;
  /// Charged with the bytes of fetched column chunks, decoding scratch and decoded vectors;
  /// may be null. Chunks decoded for `cache` are charged to no tracker: they may outlive it.
  MemoryTracker* tracker = nullptr;
  /// Keeps the footer and decoded flat column chunks across readers of the same file; used
  /// only with `cache_identity`, and never for files whose bytes may change under one identity.
  /// Flat columns are then decoded whole per row group rather than a few pages at a time.
  ColumnChunkCache* cache = nullptr;
  /// What names the file's bytes in `cache` (an Iceberg data file's path and size).
  std::string cache_identity{};
};

/// What pruning saved, for EXPLAIN ANALYZE.
struct ParquetReadCounters {
  int64_t row_groups_pruned_by_statistics = 0;
  int64_t row_groups_pruned_by_bloom_filter = 0;
  /// Row groups none of whose pages may match.
  int64_t row_groups_pruned_by_page_index = 0;
  /// Data pages of projected columns not decoded in row groups not pruned as a whole.
  int64_t pages_skipped = 0;
  /// Rows of row groups not pruned as a whole that were left out by the page index.
  int64_t rows_skipped = 0;
};

/// Reads a Parquet file as a stream of batches of the projected columns.
///
/// Open reads the footer with one ranged read of the file's tail (a second when the footer is
/// larger), maps the schema and prunes: row groups by statistics and Bloom filters, then rows by
/// the page index (one coalesced read of the indexes of all row groups left). Next fetches the
/// projected column chunks of one row group with coalesced ranged reads and decodes its flat
/// columns a few pages at a time (columns in parallel when a scheduler is given), so memory
/// stays bounded by the batch size rather than the row group size; nested columns are decoded
/// whole. Batches slice the decoded pieces. Errors name the file and, when it
/// applies, the row group, the column and what was wrong: Corruption for data that violates the
/// format, NotSupported for valid features Floe does not read, IOError from storage,
/// ResourceExhausted from the tracker. Not thread-safe; batches may be used from any thread.
class ParquetReader {
 public:
  /// Opens `file`, which must stay readable while the reader lives.
  static Result<std::unique_ptr<ParquetReader>> Open(std::shared_ptr<io::RandomAccessFile> file,
                                                     ParquetReadOptions options = {});
  /// Opens the file at `location` through the registry's file system for its scheme.
  static Result<std::unique_ptr<ParquetReader>> Open(const io::FileSystemRegistry& registry,
                                                     std::string_view location,
                                                     ParquetReadOptions options = {});

  ParquetReader(const ParquetReader&) = delete;
  ParquetReader& operator=(const ParquetReader&) = delete;
  ~ParquetReader();

  const FileMetaData& metadata() const { return *metadata_; }
  const std::shared_ptr<const FileMetaData>& shared_metadata() const { return metadata_; }
  const FileSchema& file_schema() const { return file_schema_; }
  /// Returns the schema of the batches (the projected fields).
  const std::shared_ptr<const vector::Schema>& schema() const { return schema_; }
  /// Returns the top-level field indices read, in output order.
  const std::vector<int64_t>& projection() const { return projection_; }
  /// Returns the row groups that survived pruning by statistics and Bloom filters, in file
  /// order (the page index may still leave some of them out).
  const std::vector<int>& row_groups() const { return row_groups_; }
  /// Returns the rows Next returns of each row group it reads, by row group index.
  const std::vector<std::pair<int, RowRanges>>& row_ranges() const { return row_ranges_; }
  const ParquetReadCounters& counters() const { return counters_; }

  /// Returns the next batch, or nullopt when every selected row group has been read.
  Result<std::optional<vector::Batch>> Next();

  /// Decodes one row group's projected columns as whole vectors (one per projected field).
  Result<std::vector<vector::Vector>> ReadRowGroup(int row_group);

 private:
  ParquetReader(std::shared_ptr<io::RandomAccessFile> file, ParquetReadOptions options);

  Status ReadFooter();
  Status ResolveProjection();
  Status SelectRowGroups();
  Status PruneByBloomFilters();
  std::optional<io::ReadRange> BloomFilterRange(int row_group, int32_t leaf) const;
  Status PlanPages();
  std::vector<std::optional<OffsetIndex>> PlannedOffsetIndexes(
      const PageIndexes& found, const std::vector<int32_t>& flat_leaves, const RowRanges& rows,
      int64_t num_rows);
  Result<io::ReadRange> ChunkRange(int row_group, int32_t leaf) const;
  Result<std::unique_ptr<ColumnReader>> MakeColumnReader(int row_group, int32_t leaf,
                                                         std::vector<ChunkSegment> segments,
                                                         MemoryTracker* tracker) const;
  bool UsesCache() const;
  void UseCachedChunk(FieldScan& field, int row_group, int32_t leaf,
                      const ColumnMetaData& meta) const;
  Status FillFromCache(FieldScan& field) const;
  Status StartRowGroup();
  Status AddLeafRanges(RowGroupScan& scan, int32_t leaf,
                       const ColumnReadOptions& read_options) const;
  Result<std::optional<vector::Batch>> NextSlice();
  Status Refill(int64_t row);
  Status AdvanceFlat(FieldScan& field, int64_t row) const;
  Status DecodeNested(FieldScan& field) const;
  Status FinishRowGroup();
  Status DecodeRowGroups(const std::vector<int>& row_groups,
                         std::vector<std::vector<vector::Vector>>& output);
  std::string Context() const;

  std::shared_ptr<io::RandomAccessFile> file_;
  ParquetReadOptions options_;
  std::shared_ptr<const FileMetaData> metadata_;
  FileSchema file_schema_;
  std::shared_ptr<const vector::Schema> schema_;
  std::vector<int64_t> projection_;
  std::vector<int> row_groups_;
  std::vector<std::pair<int, RowRanges>> row_ranges_;
  // Per entry of row_ranges_, per leaf column: the OffsetIndex of projected flat leaves, when
  // the page index prunes.
  std::vector<std::vector<std::optional<OffsetIndex>>> offset_indexes_;
  ParquetReadCounters counters_;
  size_t next_row_group_ = 0;
  // The row group being read.
  std::unique_ptr<RowGroupScan> scan_;
};

}  // namespace floe::format::parquet
