#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/runtime_filter.h"
#include "vector/batch.h"
#include "vector/schema.h"

namespace floe::sql::execution {

/// Where a scan's rows come from: Parquet files, in-memory batches (VALUES), generate_series,
/// and later Iceberg tables. A source splits its rows into morsels (a Parquet row group, a
/// range of a series) that threads read independently, each with its own state.
///
/// Prepare runs once per query before any Read; Read is then called concurrently for
/// different morsels, each thread with its own state from MakeState. Implementations are
/// thread-safe in that sense.
class DataSource {
 public:
  DataSource() = default;
  DataSource(const DataSource&) = delete;
  DataSource& operator=(const DataSource&) = delete;
  virtual ~DataSource() = default;

  /// Returns the EXPLAIN name of the scan: "PARQUET_SCAN", "VALUES", "GENERATE_SERIES".
  virtual std::string Name() const = 0;
  /// Returns EXPLAIN's detail lines: files, projected columns, pushed predicates.
  virtual std::vector<std::string> Details() const { return {}; }
  /// Returns the schema of the batches Read produces.
  virtual std::shared_ptr<const vector::Schema> schema() const = 0;

  /// Receives, before Prepare, ranges that columns must lie in for a row to be of use (the
  /// runtime filters of joins above the scan). A source may skip what its statistics show to
  /// be outside them; the scan filters the rows themselves.
  virtual void SetRuntimeBounds(std::vector<RuntimeColumnBounds> bounds) {}
  /// Returns the number of morsels.
  virtual Result<int64_t> Prepare(QueryContext& context) = 0;
  virtual Result<std::unique_ptr<OperatorState>> MakeState(QueryContext& context) {
    return std::unique_ptr<OperatorState>();
  }
  /// Appends the batches of morsel `morsel` to `output`.
  virtual Status Read(QueryContext& context, OperatorState* state, int64_t morsel,
                      std::vector<vector::Batch>& output) = 0;
};

/// The leaf operator that reads a DataSource: a pipeline source with no children. Runtime
/// filters added by the planner drop the rows of each batch read that no join above can use.
class TableScan final : public PhysicalOperator {
 public:
  explicit TableScan(std::unique_ptr<DataSource> source)
      : PhysicalOperator(source->schema(), {}), source_(std::move(source)) {}

  std::string Name() const override { return source_->Name(); }
  std::vector<std::string> Details() const override;
  OperatorRoles Roles() const override { return {.is_source = true}; }
  const DataSource& source() const { return *source_; }

  /// Applies `filter` to the rows read, with `key` (over the scan's columns) as the key.
  void AddRuntimeFilter(std::shared_ptr<const RuntimeFilter> filter, ExpressionPtr key) {
    runtime_filters_.Add(std::move(filter), std::move(key));
  }

  Result<int64_t> PrepareSource(QueryContext& context) override;
  Result<std::unique_ptr<OperatorState>> MakeSourceState(QueryContext& context) override;
  Status ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                    std::vector<vector::Batch>& output) override;

 private:
  std::unique_ptr<DataSource> source_;
  ScanRuntimeFilters runtime_filters_;
};

}  // namespace floe::sql::execution
