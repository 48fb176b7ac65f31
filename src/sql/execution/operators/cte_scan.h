#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/thread_annotations.h"
#include "sql/execution/physical_operator.h"
#include "sql/execution/retained_buffers.h"

namespace floe::sql::execution {

/// The result of a WITH query that several references read (a materialized CTE): its plan runs
/// once, when the first reference starts, and its rows stay in memory, charged to the query's
/// budget, until the query ends. Shared by the references' CteScan operators.
class MaterializedCte {
 public:
  MaterializedCte(std::string name, PhysicalOperatorPtr plan)
      : name_(std::move(name)), plan_(std::move(plan)) {}

  const std::string& name() const { return name_; }
  const PhysicalOperator& plan() const { return *plan_; }

  /// Runs the plan unless it ran already, and returns its batches (or the error it failed
  /// with, again for every reference).
  Result<const std::vector<vector::Batch>*> Materialize(QueryContext& context);

 private:
  const std::string name_;
  const PhysicalOperatorPtr plan_;
  std::mutex mutex_;
  bool is_done_ FLOE_GUARDED_BY(mutex_) = false;
  Status status_ FLOE_GUARDED_BY(mutex_);
  // Unchanged once is_done_, when the references read it without the lock.
  std::vector<vector::Batch> batches_;
  RetainedBuffers retained_ FLOE_GUARDED_BY(mutex_);
};

/// A reference to a materialized WITH query: one morsel per batch of its result, in the
/// schema of the reference (names may differ from the query's).
class CteScanOperator final : public PhysicalOperator {
 public:
  /// `shows_plan`: EXPLAIN prints the query's plan under this reference (the first one).
  CteScanOperator(std::shared_ptr<const vector::Schema> schema,
                  std::shared_ptr<MaterializedCte> cte, int references, bool shows_plan)
      : PhysicalOperator(std::move(schema), {}),
        cte_(std::move(cte)),
        references_(references),
        shows_plan_(shows_plan) {}

  std::string Name() const override { return "CTE_SCAN"; }
  std::vector<std::string> Details() const override;
  std::vector<const PhysicalOperator*> ExplainedSubplans() const override;
  OperatorRoles Roles() const override { return {.is_source = true}; }

  Result<int64_t> PrepareSource(QueryContext& context) override;
  Status ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                    std::vector<vector::Batch>& output) override;

 private:
  const std::shared_ptr<MaterializedCte> cte_;
  const int references_;
  const bool shows_plan_;
  const std::vector<vector::Batch>* batches_ = nullptr;  // Set by PrepareSource.
};

}  // namespace floe::sql::execution
