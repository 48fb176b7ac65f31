#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/execution/data_source.h"
#include "table/predicate.h"
#include "table/table.h"
#include "table/table_reader.h"
#include "table/table_scan.h"

namespace floe::sql::planner {

/// Reads one snapshot of an Iceberg table: plans the scan's files when the query is planned
/// (pruning them by partition and column statistics with `filter`) and reads them with
/// table::TableReader (columns by field id, delete files applied). A morsel is a row group of
/// a large data file, or a whole small one, so that threads share a table of few large files;
/// delete files are decoded once per query, whatever the number of morsels they apply to.
/// Rows that fail `filter` may still come out: the filter above the scan removes them.
/// `field_ids` may name the metadata columns table::kFilePathFieldId and kRowPositionFieldId,
/// which give each row's data file and position (the row identity DML statements need). With a
/// column chunk cache, footers and decoded column chunks of the data files are taken from it
/// and put in it (docs/formats/parquet.md, "Column chunk cache"); delete files still apply.
class IcebergScanSource final : public execution::DataSource {
 public:
  /// Errors: as table::TableScan::Make and PlanFiles.
  static Result<std::unique_ptr<IcebergScanSource>> Make(
      std::shared_ptr<const table::Table> table, std::string name, std::vector<int32_t> field_ids,
      std::shared_ptr<const vector::Schema> schema, table::Predicate filter,
      std::optional<int64_t> snapshot_id,
      format::parquet::ColumnChunkCache* column_cache = nullptr);
  /// Use Make; `scan` is planned by it.
  IcebergScanSource(std::string name, std::shared_ptr<const vector::Schema> schema,
                    std::unique_ptr<table::TableScan> scan);
  ~IcebergScanSource() override;

  std::string Name() const override { return "ICEBERG_SCAN"; }
  /// The table, the snapshot when time travel chose one, the pushed filter (by column name) and
  /// "files: <planned> of <total>".
  std::vector<std::string> Details() const override;
  std::shared_ptr<const vector::Schema> schema() const override { return schema_; }
  Result<int64_t> Prepare(execution::QueryContext& context) override;
  Status Read(execution::QueryContext& context, execution::OperatorState* state, int64_t morsel,
              std::vector<vector::Batch>& output) override;

 private:
  std::string name_;
  std::shared_ptr<const vector::Schema> schema_;
  std::unique_ptr<table::TableScan> scan_;
  struct Morsel {
    size_t task;
    int row_group;  // -1: the whole file.
  };

  std::vector<table::FileScanTask> tasks_;
  table::ScanCounters counters_;
  /// Per task: its file's footer, read by the first Prepare for files worth splitting.
  std::vector<std::shared_ptr<const format::parquet::FileMetaData>> footers_;
  std::vector<Morsel> morsels_;
  /// Per column of `schema_`: the reader's column it is, or kFileColumn / kPositionColumn.
  static constexpr int kFileColumn = -1;
  static constexpr int kPositionColumn = -2;
  std::vector<int> layout_;
  bool with_row_position_ = false;
  std::unique_ptr<table::DeleteFileCache> delete_cache_;
  format::parquet::ColumnChunkCache* column_cache_ = nullptr;  // Not owned; may be null.
};

}  // namespace floe::sql::planner
