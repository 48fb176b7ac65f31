#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "format/parquet/reader/column_predicate.h"
#include "format/parquet/reader/parquet_reader.h"
#include "io/file_system.h"
#include "sql/execution/data_source.h"

namespace floe::sql::execution {

/// What a ParquetSource reads.
struct ParquetSourceOptions {
  /// Top-level columns by name (empty: all), or by Iceberg field id; at most one list non-empty.
  std::vector<std::string> column_names;
  std::vector<int32_t> field_ids;
  /// Conjuncts pushed into the reader: row groups whose statistics or Bloom filters exclude a
  /// match are skipped. Rows of surviving row groups are not filtered, so the plan keeps its
  /// FILTER above the scan.
  std::vector<format::parquet::ColumnPredicate> predicates;
};

/// Scans a list of Parquet files with format/parquet's reader: one morsel per row group that
/// survives pruning, so threads read row groups in parallel. Prepare opens each file once to
/// read its footer and prune; every thread then opens its own reader per file it touches,
/// sharing the footer already read, and decodes whole row groups, sliced into batches.
/// All files must have the projected columns with the same types.
class ParquetSource final : public DataSource {
 public:
  /// Opens the first file to learn the schema of the projected columns. Fails with NotFound,
  /// IOError or Corruption from the reader, InvalidArgument with no files.
  static Result<std::unique_ptr<ParquetSource>> Make(std::shared_ptr<io::FileSystem> file_system,
                                                     std::vector<std::string> files,
                                                     ParquetSourceOptions options = {});

  std::string Name() const override { return "PARQUET_SCAN"; }
  std::vector<std::string> Details() const override;
  std::shared_ptr<const vector::Schema> schema() const override { return schema_; }
  /// Prunes row groups by the bounds too (as `>=` and `<=` predicates) in the next Prepare.
  void SetRuntimeBounds(std::vector<RuntimeColumnBounds> bounds) override;
  Result<int64_t> Prepare(QueryContext& context) override;
  Result<std::unique_ptr<OperatorState>> MakeState(QueryContext& context) override;
  Status Read(QueryContext& context, OperatorState* state, int64_t morsel,
              std::vector<vector::Batch>& output) override;

  /// Row groups skipped by statistics or Bloom filters in the last Prepare (EXPLAIN ANALYZE).
  int64_t row_groups_pruned() const { return row_groups_pruned_; }

 private:
  ParquetSource(std::shared_ptr<io::FileSystem> file_system, std::vector<std::string> files,
                ParquetSourceOptions options)
      : file_system_(std::move(file_system)),
        files_(std::move(files)),
        options_(std::move(options)) {}

  format::parquet::ParquetReadOptions ReadOptions(MemoryTracker* tracker) const;
  /// `extra_predicates` prune along with the options' predicates.
  Result<std::unique_ptr<format::parquet::ParquetReader>> OpenReader(
      size_t file, MemoryTracker* tracker,
      std::shared_ptr<const format::parquet::FileMetaData> footer,
      std::span<const format::parquet::ColumnPredicate> extra_predicates = {}) const;

  struct Morsel {
    size_t file;
    int row_group;
  };

  std::shared_ptr<io::FileSystem> file_system_;
  std::vector<std::string> files_;
  ParquetSourceOptions options_;
  std::shared_ptr<const vector::Schema> schema_;
  std::vector<std::shared_ptr<const format::parquet::FileMetaData>> footers_;
  std::vector<Morsel> morsels_;
  int64_t row_groups_pruned_ = 0;
  int64_t row_groups_total_ = 0;
  // From the runtime filters of joins above the scan; prune in Prepare only.
  std::vector<format::parquet::ColumnPredicate> runtime_predicates_;
};

}  // namespace floe::sql::execution
