#include "sql/execution/operators/cte_scan.h"

#include <fmt/format.h>

#include <utility>

#include "sql/execution/pipeline.h"

namespace floe::sql::execution {

Result<const std::vector<vector::Batch>*> MaterializedCte::Materialize(QueryContext& context) {
  std::lock_guard lock(mutex_);
  if (!is_done_) {
    Result<std::vector<vector::Batch>> batches = RunToBatches(context, *plan_);
    if (batches.ok()) {
      retained_ = RetainedBuffers(context.tracker());
      for (const vector::Batch& batch : *batches) {
        status_ = retained_.Add(batch);
        if (!status_.ok()) {
          status_ = status_.WithContext(fmt::format("WITH query \"{}\"", name_));
          break;
        }
      }
      batches_ = std::move(batches).value();
    } else {
      status_ = batches.status();
    }
    if (!status_.ok()) {
      batches_.clear();
      retained_.Reset();
    }
    is_done_ = true;
  }
  if (!status_.ok()) {
    return status_;
  }
  return &batches_;
}

std::vector<std::string> CteScanOperator::Details() const {
  return {fmt::format("query: {} (materialized, {} reference{})", cte_->name(), references_,
                      references_ == 1 ? "" : "s")};
}

std::vector<const PhysicalOperator*> CteScanOperator::ExplainedSubplans() const {
  if (!shows_plan_) {
    return {};
  }
  return {&cte_->plan()};
}

Result<int64_t> CteScanOperator::PrepareSource(QueryContext& context) {
  FLOE_ASSIGN_OR_RETURN(batches_, cte_->Materialize(context));
  return static_cast<int64_t>(batches_->size());
}

Status CteScanOperator::ReadMorsel(QueryContext& context, OperatorState* state, int64_t morsel,
                                   std::vector<vector::Batch>& output) {
  const vector::Batch& batch = (*batches_)[static_cast<size_t>(morsel)];
  FLOE_ASSIGN_OR_RETURN(vector::Batch renamed,
                        vector::Batch::Make(output_schema(), batch.columns(), batch.num_rows()));
  output.push_back(std::move(renamed));
  return Status::OK();
}

}  // namespace floe::sql::execution
