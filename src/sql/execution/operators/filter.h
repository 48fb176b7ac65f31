#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/execution/expression.h"
#include "sql/execution/physical_operator.h"

namespace floe::sql::execution {

/// Keeps the rows where a BOOLEAN condition is true. Batches whose rows all pass go through
/// unchanged; others are compacted with one gather per column.
class FilterOperator final : public PhysicalOperator {
 public:
  FilterOperator(PhysicalOperatorPtr child, ExpressionPtr condition);

  std::string Name() const override { return "FILTER"; }
  std::vector<std::string> Details() const override { return {condition_->ToString()}; }
  OperatorRoles Roles() const override { return {.is_streaming = true}; }
  const ExpressionPtr& condition() const { return condition_; }

  Result<std::unique_ptr<OperatorState>> MakeLocalState(QueryContext& context) override;
  Status Execute(QueryContext& context, OperatorState* state, const vector::Batch& input,
                 std::vector<vector::Batch>& output) override;

 private:
  ExpressionPtr condition_;
};

}  // namespace floe::sql::execution
