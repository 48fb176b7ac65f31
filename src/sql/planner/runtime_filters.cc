#include "sql/planner/runtime_filters.h"

#include <unordered_map>

#include "sql/binder/expression_rewriter.h"
#include "sql/execution/data_source.h"
#include "sql/execution/operators/filter.h"
#include "sql/execution/operators/hash_aggregate.h"
#include "sql/execution/operators/projection.h"

namespace floe::sql::planner {
namespace {

using execution::ExpressionPtr;
using execution::HashJoinOperator;
using execution::JoinType;
using execution::PhysicalOperator;

struct FilterTarget {
  execution::TableScan* scan = nullptr;
  ExpressionPtr key;  // Over the scan's columns.
  bool through_aggregate = false;
};

bool ReadsOnlyBelow(const execution::Expression& key, int64_t limit) {
  std::vector<int64_t> columns;
  execution::CollectColumns(key, columns);
  return !columns.empty() && columns.back() < limit;
}

bool ReadsOnlyFrom(const execution::Expression& key, int64_t first) {
  std::vector<int64_t> columns;
  execution::CollectColumns(key, columns);
  return !columns.empty() && columns.front() >= first;
}

ExpressionPtr Substitute(const ExpressionPtr& key, const std::vector<ExpressionPtr>& inputs) {
  std::unordered_map<int64_t, ExpressionPtr> replacements;
  for (size_t i = 0; i < inputs.size(); ++i) {
    replacements.emplace(static_cast<int64_t>(i), inputs[i]);
  }
  return binder::ReplaceColumns(key, replacements);
}

void FindTargets(PhysicalOperator& op, const ExpressionPtr& key, bool through_aggregate,
                 std::vector<FilterTarget>& targets);

// A join below the filtering one: the key may go to the side it reads when every output row
// carries that side's columns from one of its input rows (never NULL padding, which a key
// that is not strict could turn into a match).
void FindTargetsInJoin(HashJoinOperator& join, const ExpressionPtr& key, bool through_aggregate,
                       std::vector<FilterTarget>& targets) {
  const int64_t probe_columns = join.child(0).output_schema()->num_fields();
  const JoinType type = join.join_type();
  if (type == JoinType::kRightSemi || type == JoinType::kRightAnti) {
    // Their rows are build rows, columns unchanged.
    FindTargets(join.child(1), key, through_aggregate, targets);
    return;
  }
  if (ReadsOnlyBelow(*key, probe_columns)) {
    if (type != JoinType::kRight && type != JoinType::kFull) {
      FindTargets(join.child(0), key, through_aggregate, targets);
    }
    return;
  }
  const bool outputs_build_columns = type == JoinType::kInner || type == JoinType::kRight;
  if (outputs_build_columns && ReadsOnlyFrom(*key, probe_columns)) {
    FindTargets(join.child(1), execution::ShiftColumns(key, -probe_columns), through_aggregate,
                targets);
  }
}

void FindTargets(PhysicalOperator& op, const ExpressionPtr& key, bool through_aggregate,
                 std::vector<FilterTarget>& targets) {
  if (key->IsColumnFree() || key->HasVolatile()) {
    return;
  }
  if (auto* scan = dynamic_cast<execution::TableScan*>(&op)) {
    targets.push_back({scan, key, through_aggregate});
    return;
  }
  if (auto* projection = dynamic_cast<execution::ProjectionOperator*>(&op)) {
    FindTargets(op.child(0), Substitute(key, projection->expressions()), through_aggregate,
                targets);
    return;
  }
  if (dynamic_cast<execution::FilterOperator*>(&op) != nullptr) {
    FindTargets(op.child(0), key, through_aggregate, targets);
    return;
  }
  if (op.IsUnionAll()) {
    for (const auto& child : op.children()) {
      FindTargets(*child, key, through_aggregate, targets);
    }
    return;
  }
  if (auto* aggregate = dynamic_cast<execution::HashAggregateOperator*>(&op)) {
    // Rows of one group share its key, so the filter drops whole groups. Not with grouping
    // sets that include (): that group's row exists whatever the input.
    const auto& groups = aggregate->groups();
    if (!groups.empty() && !aggregate->has_empty_input_groups() &&
        ReadsOnlyBelow(*key, static_cast<int64_t>(groups.size()))) {
      FindTargets(op.child(0), Substitute(key, groups), true, targets);
    }
    return;
  }
  if (auto* join = dynamic_cast<HashJoinOperator*>(&op)) {
    FindTargetsInJoin(*join, key, through_aggregate, targets);
  }
}

}  // namespace

int PlaceRuntimeFilters(HashJoinOperator& join, int& next_id) {
  int through_aggregates = 0;
  for (size_t key = 0; key < join.probe_keys().size(); ++key) {
    if (!join.CanFilterProbeSide(key)) {
      continue;
    }
    std::vector<FilterTarget> targets;
    FindTargets(join.child(0), join.probe_keys()[key], false, targets);
    if (targets.empty()) {
      continue;
    }
    const ExpressionPtr& build_key = join.build_keys()[key];
    auto filter = std::make_shared<execution::RuntimeFilter>(next_id++, build_key->type(),
                                                             build_key->ToString());
    for (FilterTarget& target : targets) {
      target.scan->AddRuntimeFilter(filter, std::move(target.key));
      through_aggregates += target.through_aggregate ? 1 : 0;
    }
    join.AddRuntimeFilter(key, std::move(filter));
  }
  return through_aggregates;
}

int CountFilteredAggregates(PhysicalOperator& probe, const std::vector<ExpressionPtr>& keys) {
  int through_aggregates = 0;
  for (const ExpressionPtr& key : keys) {
    std::vector<FilterTarget> targets;
    FindTargets(probe, key, false, targets);
    for (const FilterTarget& target : targets) {
      through_aggregates += target.through_aggregate ? 1 : 0;
    }
  }
  return through_aggregates;
}

}  // namespace floe::sql::planner
