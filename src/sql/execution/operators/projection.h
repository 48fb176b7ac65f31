#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/execution/expression.h"
#include "sql/execution/physical_operator.h"

namespace floe::sql::execution {

/// Computes one output column per expression. Column references pass their vectors through
/// without copying.
class ProjectionOperator final : public PhysicalOperator {
 public:
  /// `names` gives the output column names (empty: each expression's text).
  ProjectionOperator(PhysicalOperatorPtr child, std::vector<ExpressionPtr> expressions,
                     std::vector<std::string> names = {});

  std::string Name() const override { return "PROJECTION"; }
  std::vector<std::string> Details() const override;
  OperatorRoles Roles() const override { return {.is_streaming = true}; }
  const std::vector<ExpressionPtr>& expressions() const { return expressions_; }

  Result<std::unique_ptr<OperatorState>> MakeLocalState(QueryContext& context) override;
  Status Execute(QueryContext& context, OperatorState* state, const vector::Batch& input,
                 std::vector<vector::Batch>& output) override;

 private:
  std::vector<ExpressionPtr> expressions_;
};

}  // namespace floe::sql::execution
