#pragma once

#include <string>
#include <vector>

#include "sql/execution/physical_operator.h"

namespace floe::sql::execution {

/// UNION ALL: the rows of every child, which must have the same column types (the planner
/// casts them first). The Executor runs each child's pipeline on into the operators above, so
/// the union itself copies nothing and is only a pass-through counting rows.
class UnionAllOperator final : public PhysicalOperator {
 public:
  explicit UnionAllOperator(std::vector<PhysicalOperatorPtr> children);

  std::string Name() const override { return "UNION_ALL"; }
  OperatorRoles Roles() const override { return {.is_streaming = true}; }
  bool IsUnionAll() const override { return true; }

  Status Execute(QueryContext& context, OperatorState* state, const vector::Batch& input,
                 std::vector<vector::Batch>& output) override;
};

}  // namespace floe::sql::execution
