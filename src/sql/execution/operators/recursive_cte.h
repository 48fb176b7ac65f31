#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sql/execution/data_source.h"
#include "sql/execution/physical_operator.h"

namespace floe::sql::execution {

/// The rows the previous iteration of a recursive query produced. The RecursiveCteOperator
/// fills it between iterations, when no scan of it is running; WorkTableScan reads it.
class WorkTable {
 public:
  const std::vector<vector::Batch>& batches() const { return batches_; }
  void Set(std::vector<vector::Batch> batches) { batches_ = std::move(batches); }

 private:
  std::vector<vector::Batch> batches_;
};

/// The recursive term's reference to its own query: one morsel per batch of the work table.
class WorkTableScan final : public DataSource {
 public:
  WorkTableScan(std::shared_ptr<const vector::Schema> schema, std::shared_ptr<WorkTable> table)
      : schema_(std::move(schema)), table_(std::move(table)) {}

  std::string Name() const override { return "WORK_TABLE_SCAN"; }
  std::shared_ptr<const vector::Schema> schema() const override { return schema_; }
  Result<int64_t> Prepare(QueryContext& context) override;
  Status Read(QueryContext& context, OperatorState* state, int64_t morsel,
              std::vector<vector::Batch>& output) override;

 private:
  std::shared_ptr<const vector::Schema> schema_;
  std::shared_ptr<WorkTable> table_;
};

/// WITH RECURSIVE: runs the non-recursive term, then the recursive term again and again over
/// the rows the previous run added (the work table) until a run adds none, as PostgreSQL does.
/// UNION ALL keeps every row; UNION drops rows equal to one already produced (NULLs equal), so
/// a cycle ends. The whole result is computed in PrepareSource and then read in morsels.
///
/// Each run of the recursive term needs fresh operators (they keep per-query state), so the
/// planner passes a factory for them. More than `max_iterations` runs that add rows fail with
/// ResourceExhausted (54001) instead of looping forever.
class RecursiveCteOperator final : public PhysicalOperator {
 public:
  using PlanFactory = std::function<Result<PhysicalOperatorPtr>()>;

  RecursiveCteOperator(std::shared_ptr<const vector::Schema> schema, std::string name,
                       PhysicalOperatorPtr anchor, PlanFactory make_recursive_term,
                       std::shared_ptr<WorkTable> work_table, bool is_all, int64_t max_iterations);
  ~RecursiveCteOperator() override;

  std::string Name() const override { return is_all_ ? "RECURSIVE_UNION_ALL" : "RECURSIVE_UNION"; }
  std::vector<std::string> Details() const override;
  OperatorRoles Roles() const override { return {.is_source = true}; }

  Result<int64_t> PrepareSource(QueryContext& context) override;
  Status ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                    std::vector<vector::Batch>& output) override;

 private:
  // Returns the rows of `batches` not seen before, recording them as seen.
  Result<std::vector<vector::Batch>> KeepNew(QueryContext& context,
                                             std::vector<vector::Batch> batches);
  // Returns `batch` with this operator's schema (the terms may differ in nullability).
  Result<vector::Batch> Conform(const vector::Batch& batch) const;

  std::string name_;
  PhysicalOperatorPtr anchor_;
  PlanFactory make_recursive_term_;
  std::shared_ptr<WorkTable> work_table_;
  bool is_all_;
  int64_t max_iterations_;
  struct SeenRows;
  std::unique_ptr<SeenRows> seen_;
  std::vector<vector::Batch> result_;
};

}  // namespace floe::sql::execution
