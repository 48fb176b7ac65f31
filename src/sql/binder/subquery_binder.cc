// Subqueries in expressions become joins: EXISTS and IN in WHERE become semi and anti joins,
// other EXISTS, IN and ANY/ALL become mark joins, scalar subqueries become left joins.
// Correlated subqueries are decorrelated by pulling the predicates that reference the outer
// query out of the subquery into the join condition; under an aggregate, the inner side of an
// equality becomes a grouping key (one group per outer key instead of one aggregate per outer
// row). A correlated scalar subquery that is not one such aggregate is grouped by its
// correlation keys with a row count and some value, and the count is checked on the joined
// rows (see BindCorrelatedScalarSubquery).
#include <algorithm>
#include <functional>
#include <unordered_map>
#include <utility>

#include "sql/binder/binder_internal.h"
#include "sql/binder/expression_rewriter.h"

namespace floe::sql::binder {
namespace {

using parser::ExpressionKind;

std::unordered_set<int64_t> OutputIds(const LogicalOperator& op) {
  std::unordered_set<int64_t> ids;
  for (const LogicalColumn& column : op.columns) {
    ids.insert(column.id);
  }
  return ids;
}

void RefreshColumns(LogicalOperator& op) {
  switch (op.kind) {
    case LogicalKind::kFilter:
    case LogicalKind::kSort:
    case LogicalKind::kLimit:
    case LogicalKind::kDistinct:
      op.columns = op.children[0]->columns;
      return;
    case LogicalKind::kJoin: {
      std::vector<LogicalColumn> columns = op.children[0]->columns;
      if (op.join_type == JoinType::kMark) {
        columns.push_back(op.columns.back());
      } else if (op.join_type != JoinType::kSemi && op.join_type != JoinType::kAnti) {
        columns.insert(columns.end(), op.children[1]->columns.begin(),
                       op.children[1]->columns.end());
      }
      op.columns = std::move(columns);
      return;
    }
    case LogicalKind::kTableFunction: {
      std::vector<LogicalColumn> columns = op.children[0]->columns;
      const long produced = op.with_ordinality ? 2 : 1;
      columns.insert(columns.end(), op.columns.end() - produced, op.columns.end());
      op.columns = std::move(columns);
      return;
    }
    default:
      return;
  }
}

std::string_view NegatedComparison(std::string_view op) {
  if (op == "=") {
    return "<>";
  }
  if (op == "<>") {
    return "=";
  }
  if (op == "<") {
    return ">=";
  }
  if (op == "<=") {
    return ">";
  }
  if (op == ">") {
    return "<=";
  }
  if (op == ">=") {
    return "<";
  }
  return "";
}

// The ids `plan` references without producing them: the outer query's columns it reads.
std::unordered_set<int64_t> CorrelatedIds(const LogicalOperator& plan) {
  std::unordered_set<int64_t> produced;
  CollectProducedIds(plan, produced);
  std::unordered_set<int64_t> referenced;
  CollectReferencedIds(plan, referenced);
  std::unordered_set<int64_t> correlated;
  for (int64_t id : referenced) {
    if (!produced.contains(id)) {
      correlated.insert(id);
    }
  }
  return correlated;
}

// True for one aggregate without GROUP BY (under projections and HAVING): exactly one row.
bool IsScalarAggregate(const LogicalOperator& plan) {
  const LogicalOperator* top = &plan;
  while (top->kind == LogicalKind::kProject || top->kind == LogicalKind::kFilter) {
    top = top->children[0].get();
  }
  return top->kind == LogicalKind::kAggregate && top->groups.empty() &&
         top->empty_input_groups.empty();
}

// Returns the side (0 or 1) of `predicate`, an equality, that reads only `inner_ids` while the
// other reads only `correlated`; -1 when it is not such an equality.
int InnerSideOfEquality(const Expression& predicate, const std::unordered_set<int64_t>& inner_ids,
                        const std::unordered_set<int64_t>& correlated) {
  bool is_equality = predicate.kind() == execution::ExpressionKind::kFunction &&
                     predicate.function().name == "=" && predicate.children().size() == 2;
  if (!is_equality) {
    return -1;
  }
  for (int side = 0; side < 2; ++side) {
    const Expression& inner = predicate.child(static_cast<size_t>(side));
    const Expression& outer = predicate.child(static_cast<size_t>(1 - side));
    if (ReferencesOnly(inner, inner_ids) && !ReferencesAny(inner, correlated) &&
        ReferencesOnly(outer, correlated)) {
      return side;
    }
  }
  return -1;
}

// True for a function in FROM whose input is still the one row BindTableFunction gave it.
bool IsTableFunctionOverOneRow(const LogicalOperator& op) {
  return op.kind == LogicalKind::kTableFunction && op.children[0]->kind == LogicalKind::kGet &&
         op.children[0]->source == SourceKind::kSingleRow;
}

// True when `expr` is NULL whenever column `id` is: the column itself, or a cast or a strict
// function of such an expression. A set-returning function with such an argument produces no
// rows for a NULL value of the column.
bool IsNullWhenNull(const Expression& expr, int64_t id) {
  switch (expr.kind()) {
    case execution::ExpressionKind::kColumnRef:
      return expr.column_index() == id;
    case execution::ExpressionKind::kCast:
      return IsNullWhenNull(expr.child(0), id);
    case execution::ExpressionKind::kFunction:
      return expr.function().strict &&
             std::any_of(expr.children().begin(), expr.children().end(),
                         [&](const ExpressionPtr& child) { return IsNullWhenNull(*child, id); });
    default:
      return false;
  }
}

// Puts a filter of `conditions` (if any) above `slot`.
void AddFilter(LogicalOperatorPtr& slot, const std::vector<ExpressionPtr>& conditions) {
  if (conditions.empty()) {
    return;
  }
  auto filter = std::make_unique<LogicalOperator>();
  filter->kind = LogicalKind::kFilter;
  filter->condition = MakeConjunction(conditions);
  filter->columns = slot->columns;
  filter->children.push_back(std::move(slot));
  slot = std::move(filter);
}

// Makes `plan` keep the first row of each value of `keys` in the order of `order` (the sort a
// removed LIMIT 1 was over, or null), filtered by `filters` first. The keys' columns pass
// through the projections above the sort with the same ids, so they can be sorted on and
// compared there.
void KeepFirstRowPerKey(LogicalOperatorPtr& plan, const LogicalOperator* order,
                        const std::vector<ExpressionPtr>& keys,
                        const std::vector<ExpressionPtr>& filters) {
  LogicalOperatorPtr* slot = &plan;
  while (order != nullptr && slot->get() != order && !(*slot)->children.empty()) {
    slot = &(*slot)->children[0];
  }
  auto sort = std::make_unique<LogicalOperator>();
  sort->kind = LogicalKind::kSort;
  for (const ExpressionPtr& key : keys) {
    sort->sort_keys.push_back({key, false, false});
  }
  if (slot->get() == order) {
    sort->sort_keys.insert(sort->sort_keys.end(), order->sort_keys.begin(), order->sort_keys.end());
    LogicalOperatorPtr below = std::move((*slot)->children[0]);
    *slot = std::move(below);
  }
  AddFilter(*slot, filters);
  sort->columns = (*slot)->columns;
  sort->children.push_back(std::move(*slot));
  auto first = std::make_unique<LogicalOperator>();
  first->kind = LogicalKind::kDistinct;
  first->distinct_on = keys;
  first->columns = sort->columns;
  first->children.push_back(std::move(sort));
  *slot = std::move(first);
}

// Decorrelation joins a subquery to the query right around it, so every outer column it reads
// must come from there.
Status CheckCorrelatedFromOneLevelUp(const LogicalOperator& outer_plan,
                                     const std::unordered_set<int64_t>& correlated) {
  std::unordered_set<int64_t> outer_ids = OutputIds(outer_plan);
  for (int64_t id : correlated) {
    if (!outer_ids.contains(id)) {
      return Status::NotSupported(
          "a subquery referencing a column of a query more than one level up is not supported "
          "yet");
    }
  }
  return Status::OK();
}

// Once the correlated predicates are pulled up, an outer column still read inside the
// subquery is read outside its WHERE clause, which decorrelation does not handle.
Status CheckNoOuterColumnsLeft(const LogicalOperator& plan,
                               const std::unordered_set<int64_t>& correlated) {
  std::unordered_set<int64_t> remaining;
  CollectReferencedIds(plan, remaining);
  // A correlation domain's copy of the outer plan produces the ids it reads.
  std::unordered_set<int64_t> produced;
  CollectProducedIds(plan, produced);
  for (int64_t id : remaining) {
    if (correlated.contains(id) && !produced.contains(id)) {
      return Status::NotSupported(
          "correlated subquery of this shape is not supported yet (outer columns used outside "
          "its WHERE clause)");
    }
  }
  return Status::OK();
}

}  // namespace

Status Binder::Impl::PullUpCorrelated(LogicalOperatorPtr& op,
                                      const std::unordered_set<int64_t>& correlated,
                                      std::vector<ExpressionPtr>& pulled,
                                      std::unordered_set<int64_t>& count_ids, int location) {
  auto not_supported = [&](std::string_view what) {
    return Error(Status::NotSupported("correlated subquery {} is not supported yet", what),
                 location);
  };
  switch (op->kind) {
    case LogicalKind::kFilter: {
      FLOE_RETURN_NOT_OK(
          PullUpCorrelated(op->children[0], correlated, pulled, count_ids, location));
      std::vector<ExpressionPtr> kept;
      for (const ExpressionPtr& conjunct : execution::SplitConjuncts(op->condition)) {
        if (ReferencesAny(*conjunct, correlated)) {
          pulled.push_back(conjunct);
        } else {
          kept.push_back(conjunct);
        }
      }
      if (kept.empty()) {
        LogicalOperatorPtr child = std::move(op->children[0]);
        op = std::move(child);
        return Status::OK();
      }
      op->condition = MakeConjunction(std::move(kept));
      RefreshColumns(*op);
      return Status::OK();
    }
    case LogicalKind::kProject: {
      FLOE_RETURN_NOT_OK(
          PullUpCorrelated(op->children[0], correlated, pulled, count_ids, location));
      // The pulled predicates read inner columns: pass them through this projection.
      std::unordered_set<int64_t> needed;
      for (const ExpressionPtr& predicate : pulled) {
        CollectColumnIds(*predicate, needed);
      }
      std::unordered_set<int64_t> present = OutputIds(*op);
      for (const LogicalColumn& column : op->children[0]->columns) {
        if (needed.contains(column.id) && !present.contains(column.id)) {
          op->expressions.push_back(Expression::ColumnRef(column.id, column.type, column.name));
          op->columns.push_back(column);
          present.insert(column.id);
        }
      }
      return Status::OK();
    }
    case LogicalKind::kAggregate: {
      std::vector<ExpressionPtr> local;
      FLOE_RETURN_NOT_OK(PullUpCorrelated(op->children[0], correlated, local, count_ids, location));
      if (local.empty()) {
        return Status::OK();
      }
      if (!op->empty_input_groups.empty()) {
        return not_supported("with grouping sets including () below the correlation");
      }
      bool was_scalar = op->groups.empty();
      std::unordered_set<int64_t> child_ids = OutputIds(*op->children[0]);
      std::vector<ExpressionPtr> below;
      for (const ExpressionPtr& predicate : local) {
        if (ExpressionPtr inner = ReadDomainColumns(predicate, correlated, child_ids);
            inner != nullptr && InnerSideOfEquality(*predicate, child_ids, correlated) < 0) {
          // Equal to the outer columns on every joined row (the domain's own equality is
          // pulled up as a key), so it can be evaluated before aggregating.
          below.push_back(std::move(inner));
          continue;
        }
        bool is_equality = predicate->kind() == execution::ExpressionKind::kFunction &&
                           predicate->function().name == "=" && predicate->children().size() == 2;
        if (!is_equality) {
          return not_supported("with a correlation other than equality below an aggregate");
        }
        int inner_side = -1;
        for (int side = 0; side < 2; ++side) {
          const Expression& inner = predicate->child(static_cast<size_t>(side));
          const Expression& outer = predicate->child(static_cast<size_t>(1 - side));
          if (ReferencesOnly(inner, child_ids) && !ReferencesAny(inner, correlated) &&
              ReferencesOnly(outer, correlated)) {
            inner_side = side;
            break;
          }
        }
        if (inner_side < 0) {
          return not_supported("with a correlation mixing inner and outer columns");
        }
        const ExpressionPtr& inner = predicate->children()[static_cast<size_t>(inner_side)];
        int64_t group_id = -1;
        for (size_t g = 0; g < op->groups.size(); ++g) {
          if (op->groups[g]->Equals(*inner)) {
            group_id = op->columns[g].id;
          }
        }
        if (group_id < 0) {
          std::string name = inner->kind() == execution::ExpressionKind::kColumnRef
                                 ? inner->column_name()
                                 : inner->ToString();
          LogicalColumn column = NewColumn(name, inner->type());
          op->columns.insert(op->columns.begin() + static_cast<long>(op->groups.size()), column);
          op->groups.push_back(inner);
          group_id = column.id;
        }
        std::vector<ExpressionPtr> children = predicate->children();
        children[static_cast<size_t>(inner_side)] =
            Expression::ColumnRef(group_id, inner->type(), column_names[group_id]);
        pulled.push_back(WithChildren(*predicate, std::move(children)));
      }
      AddFilter(op->children[0], below);
      if (was_scalar) {
        for (size_t a = 0; a < op->aggregates.size(); ++a) {
          if (op->aggregates[a].function->name == "count") {
            count_ids.insert(op->columns[op->groups.size() + a].id);
          }
        }
      }
      return Status::OK();
    }
    case LogicalKind::kJoin: {
      FLOE_RETURN_NOT_OK(
          PullUpCorrelated(op->children[0], correlated, pulled, count_ids, location));
      if (op->join_type == JoinType::kInner || op->join_type == JoinType::kCross) {
        FLOE_RETURN_NOT_OK(
            PullUpCorrelated(op->children[1], correlated, pulled, count_ids, location));
        if (op->condition != nullptr) {
          std::vector<ExpressionPtr> kept;
          for (const ExpressionPtr& conjunct : execution::SplitConjuncts(op->condition)) {
            if (ReferencesAny(*conjunct, correlated)) {
              pulled.push_back(conjunct);
            } else {
              kept.push_back(conjunct);
            }
          }
          op->condition = MakeConjunction(std::move(kept));
        }
      }
      RefreshColumns(*op);
      return Status::OK();
    }
    case LogicalKind::kEnforceSingleRow: {
      // Once decorrelated, the subquery gives one row per outer key, not one row in all.
      size_t before = pulled.size();
      FLOE_RETURN_NOT_OK(
          PullUpCorrelated(op->children[0], correlated, pulled, count_ids, location));
      if (pulled.size() > before) {
        // Only a grouped aggregate guarantees one row per key.
        const LogicalOperator* top = op->children[0].get();
        while (top->kind == LogicalKind::kProject || top->kind == LogicalKind::kFilter) {
          top = top->children[0].get();
        }
        if (top->kind != LogicalKind::kAggregate) {
          return not_supported("returning a value without an aggregate");
        }
        LogicalOperatorPtr child = std::move(op->children[0]);
        op = std::move(child);
      } else {
        op->columns = op->children[0]->columns;
      }
      return Status::OK();
    }
    case LogicalKind::kSort:
    case LogicalKind::kTableFunction:
      FLOE_RETURN_NOT_OK(
          PullUpCorrelated(op->children[0], correlated, pulled, count_ids, location));
      RefreshColumns(*op);
      return Status::OK();
    case LogicalKind::kDistinct:
      if (!op->distinct_on.empty()) {
        return Status::OK();
      }
      FLOE_RETURN_NOT_OK(
          PullUpCorrelated(op->children[0], correlated, pulled, count_ids, location));
      RefreshColumns(*op);
      return Status::OK();
    default:
      return Status::OK();
  }
}

ExpressionPtr Binder::Impl::ReadDomainColumns(const ExpressionPtr& predicate,
                                              const std::unordered_set<int64_t>& correlated,
                                              const std::unordered_set<int64_t>& available) {
  std::unordered_set<int64_t> ids;
  CollectColumnIds(*predicate, ids);
  std::unordered_map<int64_t, ExpressionPtr> replacements;
  for (int64_t id : ids) {
    if (!correlated.contains(id)) {
      continue;
    }
    auto found = domain_ids.find(id);
    if (found == domain_ids.end()) {
      return nullptr;
    }
    for (const LogicalColumn& column : found->second) {
      if (available.contains(column.id)) {
        replacements[id] = Expression::ColumnRef(column.id, column.type, column.name);
      }
    }
    if (!replacements.contains(id)) {
      return nullptr;
    }
  }
  return ReplaceColumns(predicate, replacements);
}

Status Binder::Impl::AttachCorrelationDomains(LogicalOperatorPtr& plan,
                                              const LogicalOperator& outer,
                                              const std::unordered_set<int64_t>& correlated,
                                              int location) {
  for (LogicalOperatorPtr& child : plan->children) {
    FLOE_RETURN_NOT_OK(AttachCorrelationDomains(child, outer, correlated, location));
  }
  if (plan->kind != LogicalKind::kTableFunction) {
    return Status::OK();
  }
  std::unordered_set<int64_t> read;
  for (const ExpressionPtr& expr : plan->expressions) {
    CollectColumnIds(*expr, read);
  }
  std::vector<LogicalColumn> outer_columns;
  for (const LogicalColumn& column : outer.columns) {
    if (read.contains(column.id) && correlated.contains(column.id)) {
      outer_columns.push_back(column);
    }
  }
  if (outer_columns.empty()) {
    return Status::OK();
  }
  // An outer row whose value is NULL matches no domain row, which is right only when the
  // function produces no rows for it.
  for (const LogicalColumn& column : outer_columns) {
    if (std::none_of(plan->expressions.begin(), plan->expressions.end(),
                     [&](const ExpressionPtr& expr) { return IsNullWhenNull(*expr, column.id); })) {
      return Error(Status::NotSupported("arguments of {} in FROM that read a column of an "
                                        "enclosing query other than through strict functions "
                                        "are not supported yet",
                                        plan->source_name),
                   location);
    }
  }
  auto project = std::make_unique<LogicalOperator>();
  project->kind = LogicalKind::kProject;
  project->estimate = outer.estimate;
  project->children.push_back(CloneLogicalPlan(outer));
  std::unordered_map<int64_t, ExpressionPtr> replacements;
  std::vector<ExpressionPtr> keys;
  std::vector<ExpressionPtr> equalities;
  for (const LogicalColumn& column : outer_columns) {
    ExpressionPtr outer_ref = Expression::ColumnRef(column.id, column.type, column.name);
    LogicalColumn domain_column = NewColumn(column.name, column.type);
    ExpressionPtr domain_ref =
        Expression::ColumnRef(domain_column.id, domain_column.type, domain_column.name);
    project->expressions.push_back(outer_ref);
    project->columns.push_back(domain_column);
    replacements[column.id] = domain_ref;
    domain_ids[column.id].push_back(domain_column);
    // Arrays cannot be hashed or compared as keys yet: their text tells them apart.
    auto key = [&](const ExpressionPtr& ref) {
      return column.type.IsNested() ? Expression::Cast(ref, types::LogicalType::Varchar()) : ref;
    };
    keys.push_back(key(domain_ref));
    Bound left;
    left.expr = key(domain_ref);
    left.location = location;
    Bound right;
    right.expr = key(outer_ref);
    right.location = location;
    FLOE_ASSIGN_OR_RETURN(Bound equality, BindOperator("=", {left, right}, location));
    equalities.push_back(equality.expr);
  }
  auto domain = std::make_unique<LogicalOperator>();
  domain->kind = LogicalKind::kDistinct;
  domain->distinct_on = std::move(keys);
  domain->columns = project->columns;
  domain->estimate = project->estimate;
  domain->children.push_back(std::move(project));
  if (IsTableFunctionOverOneRow(*plan)) {
    plan->children[0] = std::move(domain);
  } else {
    auto join = std::make_unique<LogicalOperator>();
    join->kind = LogicalKind::kJoin;
    join->join_type = JoinType::kCross;
    join->columns = plan->children[0]->columns;
    join->columns.insert(join->columns.end(), domain->columns.begin(), domain->columns.end());
    join->estimate = plan->children[0]->estimate;
    join->children.push_back(std::move(plan->children[0]));
    join->children.push_back(std::move(domain));
    plan->children[0] = std::move(join);
  }
  for (ExpressionPtr& expr : plan->expressions) {
    expr = ReplaceColumns(expr, replacements);
  }
  RefreshColumns(*plan);
  AddFilter(plan, equalities);
  return Status::OK();
}

Result<int64_t> Binder::Impl::JoinSubquery(QueryBlock& block, LogicalOperatorPtr subquery,
                                           JoinType join_type, ExpressionPtr condition,
                                           int location, std::unordered_set<int64_t>* count_ids) {
  if (block.plan == nullptr || !block.allows_subqueries) {
    return Error(Status::NotSupported("subqueries in {} are not supported yet", block.clause),
                 location);
  }
  std::unordered_set<int64_t> produced;
  CollectProducedIds(*subquery, produced);
  std::unordered_set<int64_t> referenced;
  CollectReferencedIds(*subquery, referenced);
  std::unordered_set<int64_t> correlated;
  for (int64_t id : referenced) {
    if (!produced.contains(id)) {
      correlated.insert(id);
    }
  }
  std::vector<ExpressionPtr> conditions;
  if (condition != nullptr) {
    conditions.push_back(condition);
  }
  if (!correlated.empty()) {
    if (Status reach = CheckCorrelatedFromOneLevelUp(*block.plan, correlated); !reach.ok()) {
      return Error(std::move(reach), location);
    }
    std::unordered_set<int64_t> counts;
    std::vector<ExpressionPtr> pulled;
    FLOE_RETURN_NOT_OK(AttachCorrelationDomains(subquery, *block.plan, correlated, location));
    FLOE_RETURN_NOT_OK(PullUpCorrelated(subquery, correlated, pulled, counts, location));
    if (Status left = CheckNoOuterColumnsLeft(*subquery, correlated); !left.ok()) {
      return Error(std::move(left), location);
    }
    conditions.insert(conditions.end(), pulled.begin(), pulled.end());
    if (count_ids != nullptr) {
      *count_ids = std::move(counts);
    }
  }
  auto join = std::make_unique<LogicalOperator>();
  join->kind = LogicalKind::kJoin;
  join->join_type = join_type;
  join->condition = MakeConjunction(std::move(conditions));
  if (join->condition == nullptr &&
      (join_type == JoinType::kLeft || join_type == JoinType::kMark)) {
    join->condition = Expression::Constant(types::Value::Boolean(true));
  }
  join->columns = block.plan->columns;
  int64_t mark_id = -1;
  if (join_type == JoinType::kMark) {
    LogicalColumn mark = NewColumn("mark", types::LogicalType::Boolean());
    mark_id = mark.id;
    join->columns.push_back(mark);
  } else if (join_type != JoinType::kSemi && join_type != JoinType::kAnti) {
    join->columns.insert(join->columns.end(), subquery->columns.begin(), subquery->columns.end());
  }
  join->estimate = block.plan->estimate;
  join->children.push_back(std::move(block.plan));
  join->children.push_back(std::move(subquery));
  block.plan = std::move(join);
  return mark_id;
}

namespace {

LogicalOperatorPtr MakeJoin(LogicalOperatorPtr left, LogicalOperatorPtr right, JoinType type,
                            std::vector<ExpressionPtr> conditions) {
  auto join = std::make_unique<LogicalOperator>();
  join->kind = LogicalKind::kJoin;
  join->join_type = type;
  join->condition = MakeConjunction(std::move(conditions));
  if (join->condition == nullptr && type != JoinType::kInner) {
    join->condition = Expression::Constant(types::Value::Boolean(true));
  }
  join->columns = left->columns;
  join->columns.insert(join->columns.end(), right->columns.begin(), right->columns.end());
  join->children.push_back(std::move(left));
  join->children.push_back(std::move(right));
  return join;
}

// Makes the projections at the top of `op` also output the columns of `needed` their inputs
// have (the inner sides of predicates pulled above them).
void PassThroughProjects(LogicalOperator& op, const std::unordered_set<int64_t>& needed) {
  if (op.kind != LogicalKind::kProject) {
    return;
  }
  PassThroughProjects(*op.children[0], needed);
  std::unordered_set<int64_t> present = OutputIds(op);
  for (const LogicalColumn& column : op.children[0]->columns) {
    if (needed.contains(column.id) && !present.contains(column.id)) {
      op.expressions.push_back(Expression::ColumnRef(column.id, column.type, column.name));
      op.columns.push_back(column);
      present.insert(column.id);
    }
  }
}

// Puts `peeled` (operators taken off a subquery's top, top first, without children) back above
// `plan`, the lowest first. Projections also pass `left_columns` through; `rewrite` maps each
// of their expressions and each filter condition.
LogicalOperatorPtr Restack(LogicalOperatorPtr plan, std::vector<LogicalOperatorPtr> peeled,
                           const std::vector<LogicalColumn>& left_columns,
                           const std::function<ExpressionPtr(const ExpressionPtr&)>& rewrite) {
  for (auto it = peeled.rbegin(); it != peeled.rend(); ++it) {
    LogicalOperatorPtr op = std::move(*it);
    if (op->kind == LogicalKind::kFilter) {
      op->condition = rewrite(op->condition);
      op->columns = plan->columns;
    } else {
      std::vector<ExpressionPtr> expressions;
      std::vector<LogicalColumn> columns;
      for (const LogicalColumn& column : left_columns) {
        expressions.push_back(Expression::ColumnRef(column.id, column.type, column.name));
        columns.push_back(column);
      }
      for (size_t i = 0; i < op->expressions.size(); ++i) {
        expressions.push_back(rewrite(op->expressions[i]));
        columns.push_back(op->columns[i]);
      }
      op->expressions = std::move(expressions);
      op->columns = std::move(columns);
    }
    op->children.clear();
    op->children.push_back(std::move(plan));
    plan = std::move(op);
  }
  return plan;
}

}  // namespace

Result<LogicalOperatorPtr> Binder::Impl::JoinLateral(LogicalOperatorPtr left,
                                                     LogicalOperatorPtr right, JoinType type,
                                                     std::vector<ExpressionPtr> conditions,
                                                     int location) {
  std::unordered_set<int64_t> left_ids = OutputIds(*left);
  std::unordered_set<int64_t> lateral;
  for (int64_t id : CorrelatedIds(*right)) {
    if (left_ids.contains(id)) {
      lateral.insert(id);
    }
  }
  if (lateral.empty()) {
    return MakeJoin(std::move(left), std::move(right), type, std::move(conditions));
  }
  if (type != JoinType::kInner && type != JoinType::kLeft) {
    // PostgreSQL's check_lateral_ref_ok: the left side of a RIGHT or FULL join may be all
    // NULLs, so nothing on the right may depend on it.
    int64_t first = *std::min_element(lateral.begin(), lateral.end(), [&](int64_t a, int64_t b) {
      return column_locations[a] < column_locations[b];
    });
    const std::string& name = column_names[first];
    std::string table = name.substr(0, name.find('.') == std::string::npos ? 0 : name.find('.'));
    return Error(
        Status::InvalidArgument("invalid reference to FROM-clause entry for table \"{}\"", table)
            .WithSqlState("42P10")
            .WithDetail("The combining JOIN type must be INNER or LEFT for a LATERAL "
                        "reference."),
        column_locations[first]);
  }
  auto not_supported = [&](std::string_view what) {
    return Error(Status::NotSupported("LATERAL subquery {} is not supported yet", what), location);
  };
  // `ON true` adds nothing.
  std::erase_if(conditions, [](const ExpressionPtr& condition) {
    return condition->kind() == execution::ExpressionKind::kConstant &&
           !condition->value().is_null() && condition->type().id() == types::TypeId::kBoolean &&
           condition->value().boolean_value();
  });
  if (IsTableFunctionOverOneRow(*right)) {
    // A function in FROM reading the items before it runs once per row of theirs.
    if (type == JoinType::kLeft && !conditions.empty()) {
      return Error(Status::NotSupported("LEFT JOIN LATERAL {} with a join condition other than "
                                        "ON true is not supported yet",
                                        right->source_name),
                   location);
    }
    right->join_type = type;
    std::vector<LogicalColumn> columns = left->columns;
    columns.insert(columns.end(), right->columns.begin(), right->columns.end());
    right->columns = std::move(columns);
    right->estimate.rows = left->estimate.rows * 10;
    right->children[0] = std::move(left);
    AddFilter(right, conditions);
    return right;
  }
  // An aggregate without GROUP BY under projections and HAVING: one row per outer row.
  LogicalOperatorPtr* below = &right;
  while ((*below)->kind == LogicalKind::kProject || (*below)->kind == LogicalKind::kFilter) {
    below = &(*below)->children[0];
  }
  const bool is_aggregate = (*below)->kind == LogicalKind::kAggregate && (*below)->groups.empty() &&
                            (*below)->empty_input_groups.empty();
  // Peel the top projections (and for an aggregate, HAVING) off, to compute them above the
  // join where the outer columns they may read are. Above a left join a peeled expression reads
  // NULL-extended rows, so there it is peeled only when it reads outer columns, and guarded.
  bool peels_top = is_aggregate || type == JoinType::kInner;
  if (!peels_top) {
    for (const LogicalOperator* op = right.get(); op->kind == LogicalKind::kProject;
         op = op->children[0].get()) {
      for (const ExpressionPtr& expr : op->expressions) {
        peels_top = peels_top || ReferencesAny(*expr, lateral);
      }
    }
  }
  std::vector<LogicalOperatorPtr> peeled;
  while (peels_top && (right->kind == LogicalKind::kProject ||
                       (is_aggregate && right->kind == LogicalKind::kFilter))) {
    LogicalOperatorPtr child = std::move(right->children[0]);
    peeled.push_back(std::move(right));
    right = std::move(child);
  }
  const bool has_peeled_filter =
      std::any_of(peeled.begin(), peeled.end(),
                  [](const LogicalOperatorPtr& op) { return op->kind == LogicalKind::kFilter; });
  if (is_aggregate && type == JoinType::kLeft && (has_peeled_filter || !conditions.empty()) &&
      (peeled.empty() || peeled[0]->kind != LogicalKind::kProject)) {
    return not_supported(
        "aggregating rows that depend on the outer query in LEFT JOIN with a "
        "join condition or HAVING");
  }

  std::vector<ExpressionPtr> pulled;
  std::unordered_set<int64_t> counts;
  FLOE_RETURN_NOT_OK(AttachCorrelationDomains(right, *left, lateral, location));
  LogicalOperatorPtr* limit = &right;
  while ((*limit)->kind == LogicalKind::kProject) {
    limit = &(*limit)->children[0];
  }
  if ((*limit)->kind == LogicalKind::kLimit) {
    FLOE_RETURN_NOT_OK(LimitPerKey(*limit, lateral, pulled, location));
    std::unordered_set<int64_t> needed;
    for (const ExpressionPtr& predicate : pulled) {
      CollectColumnIds(*predicate, needed);
    }
    PassThroughProjects(*right, needed);
  } else {
    FLOE_RETURN_NOT_OK(PullUpCorrelated(right, lateral, pulled, counts, location));
    if (!counts.empty() && !is_aggregate) {
      return not_supported(
          "aggregating rows that depend on the outer query below other "
          "operators");
    }
  }
  if (Status left_over = CheckNoOuterColumnsLeft(*right, lateral); !left_over.ok()) {
    return Error(std::move(left_over), location);
  }
  std::vector<LogicalColumn> left_columns = left->columns;

  if (is_aggregate) {
    // Left-joined: an outer row that matches no key reads NULL aggregates, which are the
    // aggregates of no rows except count, 0.
    std::unordered_map<int64_t, ExpressionPtr> zero_counts;
    for (const LogicalColumn& column : right->columns) {
      if (counts.contains(column.id)) {
        zero_counts[column.id] =
            Expression::Coalesce({Expression::ColumnRef(column.id, column.type, column.name),
                                  Expression::Constant(types::Value::BigInt(0))},
                                 column.type);
      }
    }
    auto with_zero_counts = [&](const ExpressionPtr& expr) {
      return ReplaceColumns(expr, zero_counts);
    };
    if (type == JoinType::kInner) {
      LogicalOperatorPtr plan =
          MakeJoin(std::move(left), std::move(right), JoinType::kLeft, std::move(pulled));
      plan = Restack(std::move(plan), std::move(peeled), left_columns, with_zero_counts);
      AddFilter(plan, conditions);
      return plan;
    }
    // LEFT JOIN: the aggregate's row always exists, and HAVING and the ON condition only
    // decide whether the outer row sees it or NULLs. Both are evaluated by the top projection
    // (HAVING over its input, ON through the projection's definitions), which then gives
    // NULL for every column where they do not hold.
    std::vector<ExpressionPtr> guards;
    std::vector<LogicalOperatorPtr> projections;
    for (LogicalOperatorPtr& op : peeled) {
      if (op->kind == LogicalKind::kFilter) {
        guards.push_back(with_zero_counts(op->condition));
      } else {
        projections.push_back(std::move(op));
      }
    }
    if (projections.size() > 1 && has_peeled_filter) {
      return not_supported("with HAVING under several projections in LEFT JOIN");
    }
    std::unordered_map<int64_t, ExpressionPtr> definitions;
    for (size_t i = 0; i < projections[0]->expressions.size(); ++i) {
      definitions[projections[0]->columns[i].id] = with_zero_counts(projections[0]->expressions[i]);
    }
    for (const ExpressionPtr& condition : conditions) {
      guards.push_back(ReplaceColumns(condition, definitions));
    }
    LogicalOperatorPtr plan =
        MakeJoin(std::move(left), std::move(right), JoinType::kLeft, std::move(pulled));
    plan = Restack(std::move(plan), std::move(projections), left_columns, with_zero_counts);
    if (!guards.empty()) {
      ExpressionPtr guard = MakeConjunction(std::move(guards));
      for (size_t i = left_columns.size(); i < plan->expressions.size(); ++i) {
        plan->expressions[i] = Expression::Case({guard}, {plan->expressions[i]}, nullptr,
                                                plan->expressions[i]->type());
      }
    }
    return plan;
  }
  if (type == JoinType::kInner) {
    LogicalOperatorPtr plan =
        MakeJoin(std::move(left), std::move(right), JoinType::kInner, std::move(pulled));
    plan = Restack(std::move(plan), std::move(peeled), left_columns,
                   [](const ExpressionPtr& expr) { return expr; });
    AddFilter(plan, conditions);
    return plan;
  }
  // LEFT: the join condition reads the peeled columns through their definitions, and the
  // peeled expressions are NULL for outer rows that matched nothing (no marker).
  for (const LogicalOperatorPtr& op : peeled) {
    std::unordered_map<int64_t, ExpressionPtr> definitions;
    for (size_t i = 0; i < op->expressions.size(); ++i) {
      definitions[op->columns[i].id] = op->expressions[i];
    }
    for (ExpressionPtr& condition : conditions) {
      condition = ReplaceColumns(condition, definitions);
    }
  }
  pulled.insert(pulled.end(), conditions.begin(), conditions.end());
  ExpressionPtr matched;
  if (!peeled.empty()) {
    auto marker = std::make_unique<LogicalOperator>();
    marker->kind = LogicalKind::kProject;
    for (const LogicalColumn& column : right->columns) {
      marker->expressions.push_back(Expression::ColumnRef(column.id, column.type, column.name));
      marker->columns.push_back(column);
    }
    LogicalColumn column = NewColumn("matched", types::LogicalType::Boolean());
    marker->expressions.push_back(Expression::Constant(types::Value::Boolean(true)));
    marker->columns.push_back(column);
    marker->children.push_back(std::move(right));
    right = std::move(marker);
    matched = Expression::ColumnRef(column.id, column.type, column.name);
  }
  LogicalOperatorPtr plan =
      MakeJoin(std::move(left), std::move(right), JoinType::kLeft, std::move(pulled));
  return Restack(std::move(plan), std::move(peeled), left_columns, [&](const ExpressionPtr& expr) {
    return Expression::Case({matched}, {expr}, nullptr, expr->type());
  });
}

Status Binder::Impl::LimitPerKey(LogicalOperatorPtr& limit,
                                 const std::unordered_set<int64_t>& correlated,
                                 std::vector<ExpressionPtr>& pulled, int location) {
  auto not_supported = [&](std::string_view what) {
    return Error(Status::NotSupported("LATERAL subquery {} is not supported yet", what), location);
  };
  std::vector<ExpressionPtr> local;
  std::unordered_set<int64_t> counts;
  FLOE_RETURN_NOT_OK(PullUpCorrelated(limit->children[0], correlated, local, counts, location));
  if (local.empty()) {
    return Status::OK();  // The rows below the limit do not depend on the outer row.
  }
  if (!counts.empty()) {
    return not_supported("with LIMIT over an aggregate of rows that depend on the outer query");
  }
  // LIMIT applies per outer row: number the rows of each correlation key in the subquery's
  // order and keep those the limit and offset select.
  std::unordered_set<int64_t> inner_ids = OutputIds(*limit->children[0]);
  std::vector<ExpressionPtr> keys;
  for (const ExpressionPtr& predicate : local) {
    int side = InnerSideOfEquality(*predicate, inner_ids, correlated);
    if (side < 0) {
      return not_supported("with LIMIT correlated other than by equality");
    }
    keys.push_back(predicate->children()[static_cast<size_t>(side)]);
  }
  LogicalOperatorPtr input = std::move(limit->children[0]);
  auto window = std::make_unique<LogicalOperator>();
  window->kind = LogicalKind::kWindow;
  if (input->kind == LogicalKind::kSort) {
    window->sort_keys = input->sort_keys;
    LogicalOperatorPtr unsorted = std::move(input->children[0]);
    input = std::move(unsorted);
  }
  window->partition_by = std::move(keys);
  WindowCall row_number;
  row_number.kind = execution::WindowFunctionKind::kRowNumber;
  row_number.name = "row_number";
  row_number.type = types::LogicalType::BigInt();
  window->window_calls.push_back(std::move(row_number));
  LogicalColumn number = NewColumn("row_number", types::LogicalType::BigInt());
  window->columns = input->columns;
  window->columns.push_back(number);
  window->children.push_back(std::move(input));
  Bound number_ref;
  number_ref.expr = Expression::ColumnRef(number.id, number.type, number.name);
  std::vector<ExpressionPtr> selected;
  if (limit->offset > 0) {
    Bound offset;
    offset.expr = Expression::Constant(types::Value::BigInt(limit->offset));
    FLOE_ASSIGN_OR_RETURN(Bound after, BindOperator(">", {number_ref, offset}, location));
    selected.push_back(after.expr);
  }
  if (limit->limit >= 0) {
    Bound last;
    last.expr = Expression::Constant(types::Value::BigInt(limit->offset + limit->limit));
    FLOE_ASSIGN_OR_RETURN(Bound within, BindOperator("<=", {number_ref, last}, location));
    selected.push_back(within.expr);
  }
  LogicalOperatorPtr plan = std::move(window);
  AddFilter(plan, selected);
  limit = std::move(plan);
  pulled.insert(pulled.end(), local.begin(), local.end());
  return Status::OK();
}

Result<LogicalOperatorPtr> Binder::Impl::BindSubqueryPlan(const parser::Query& query,
                                                          QueryBlock& block) {
  ++subquery_depth;
  Result<LogicalOperatorPtr> plan = BindQuery(query, &block.scope);
  --subquery_depth;
  return plan;
}

Result<bool> Binder::Impl::TryBindSemiJoin(const parser::Expression& expr, QueryBlock& block) {
  const parser::Expression* inner = &expr;
  bool negated = false;
  if (expr.kind == ExpressionKind::kBool) {
    const auto& bool_expr = expr.As<parser::BoolExpression>();
    if (bool_expr.op == parser::BoolOperator::kNot && bool_expr.arguments.size() == 1) {
      inner = bool_expr.arguments[0].get();
      negated = true;
    }
  }
  if (inner->kind == ExpressionKind::kExists) {
    FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan,
                          BindSubqueryPlan(*inner->As<parser::ExistsExpression>().subquery, block));
    FLOE_RETURN_NOT_OK(JoinSubquery(block, std::move(plan),
                                    negated ? JoinType::kAnti : JoinType::kSemi, nullptr,
                                    inner->location)
                           .status());
    return true;
  }
  if (inner->kind == ExpressionKind::kInSubquery && !negated &&
      !inner->As<parser::InSubqueryExpression>().negated) {
    const auto& in = inner->As<parser::InSubqueryExpression>();
    if (in.operand->kind == ExpressionKind::kRow) {
      return Error(Status::NotSupported("row values IN (subquery) are not supported yet"),
                   in.location);
    }
    FLOE_ASSIGN_OR_RETURN(Bound operand, Bind(*in.operand, block));
    FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan, BindSubqueryPlan(*in.subquery, block));
    if (plan->columns.size() != 1) {
      return Error(Status::SyntaxError("subquery has too many columns").WithSqlState("42601"),
                   in.location);
    }
    Bound column;
    column.expr =
        Expression::ColumnRef(plan->columns[0].id, plan->columns[0].type, plan->columns[0].name);
    FLOE_ASSIGN_OR_RETURN(Bound equal, BindOperator("=", {operand, column}, in.location));
    FLOE_RETURN_NOT_OK(
        JoinSubquery(block, std::move(plan), JoinType::kSemi, equal.expr, in.location).status());
    return true;
  }
  return false;
}

Result<Bound> Binder::Impl::BindSubqueryExpression(const parser::Expression& expr,
                                                   QueryBlock& block) {
  if (!block.allows_subqueries || block.plan == nullptr) {
    return Error(Status::NotSupported("subqueries in {} are not supported yet", block.clause),
                 expr.location);
  }
  Bound bound;
  bound.location = expr.location;
  switch (expr.kind) {
    case ExpressionKind::kExists: {
      FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan,
                            BindSubqueryPlan(*expr.As<parser::ExistsExpression>().subquery, block));
      FLOE_ASSIGN_OR_RETURN(int64_t mark, JoinSubquery(block, std::move(plan), JoinType::kMark,
                                                       nullptr, expr.location));
      // EXISTS is never NULL, even when a correlation condition was NULL for some row.
      bound.expr =
          Expression::Test(execution::ExpressionKind::kIsTrue,
                           Expression::ColumnRef(mark, types::LogicalType::Boolean(), "exists"));
      return bound;
    }
    case ExpressionKind::kInSubquery: {
      const auto& in = expr.As<parser::InSubqueryExpression>();
      if (in.operand->kind == ExpressionKind::kRow) {
        return Error(Status::NotSupported("row values IN (subquery) are not supported yet"),
                     in.location);
      }
      FLOE_ASSIGN_OR_RETURN(Bound operand, Bind(*in.operand, block));
      FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan, BindSubqueryPlan(*in.subquery, block));
      if (plan->columns.size() != 1) {
        return Error(Status::SyntaxError("subquery has too many columns").WithSqlState("42601"),
                     in.location);
      }
      Bound column;
      column.expr =
          Expression::ColumnRef(plan->columns[0].id, plan->columns[0].type, plan->columns[0].name);
      FLOE_ASSIGN_OR_RETURN(Bound equal, BindOperator("=", {operand, column}, in.location));
      FLOE_ASSIGN_OR_RETURN(int64_t mark, JoinSubquery(block, std::move(plan), JoinType::kMark,
                                                       equal.expr, in.location));
      ExpressionPtr ref = Expression::ColumnRef(mark, types::LogicalType::Boolean(), "in");
      bound.expr = in.negated ? Expression::Not(ref) : ref;
      return bound;
    }
    case ExpressionKind::kQuantified: {
      const auto& quantified = expr.As<parser::QuantifiedExpression>();
      if (quantified.subquery == nullptr) {
        return Error(Status::NotSupported("ANY/ALL over arrays is not supported yet"),
                     expr.location);
      }
      std::string_view op = quantified.op;
      bool is_all = quantified.quantifier == parser::Quantifier::kAll;
      if (is_all) {
        // x op ALL (s) is NOT (x negated-op ANY (s)), NULLs included.
        op = NegatedComparison(op);
        if (op.empty()) {
          return Error(
              Status::NotSupported("operator {} with ALL is not supported yet", quantified.op),
              expr.location);
        }
      }
      FLOE_ASSIGN_OR_RETURN(Bound left, Bind(*quantified.left, block));
      FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan, BindSubqueryPlan(*quantified.subquery, block));
      if (plan->columns.size() != 1) {
        return Error(Status::SyntaxError("subquery has too many columns").WithSqlState("42601"),
                     expr.location);
      }
      Bound column;
      column.expr =
          Expression::ColumnRef(plan->columns[0].id, plan->columns[0].type, plan->columns[0].name);
      FLOE_ASSIGN_OR_RETURN(Bound comparison, BindOperator(op, {left, column}, expr.location));
      FLOE_ASSIGN_OR_RETURN(int64_t mark, JoinSubquery(block, std::move(plan), JoinType::kMark,
                                                       comparison.expr, expr.location));
      ExpressionPtr ref = Expression::ColumnRef(mark, types::LogicalType::Boolean(), "any");
      bound.expr = is_all ? Expression::Not(ref) : ref;
      return bound;
    }
    case ExpressionKind::kSubquery: {
      FLOE_ASSIGN_OR_RETURN(
          LogicalOperatorPtr plan,
          BindSubqueryPlan(*expr.As<parser::SubqueryExpression>().subquery, block));
      if (plan->columns.size() != 1) {
        return Error(
            Status::SyntaxError("subquery must return only one column").WithSqlState("42601"),
            expr.location);
      }
      std::unordered_set<int64_t> correlated = CorrelatedIds(*plan);
      if (!correlated.empty() && !IsScalarAggregate(*plan)) {
        return BindCorrelatedScalarSubquery(std::move(plan), correlated, block, expr.location);
      }
      LogicalColumn value = plan->columns[0];
      int64_t source_id = -1;
      if (plan->kind == LogicalKind::kProject &&
          plan->expressions[0]->kind() == execution::ExpressionKind::kColumnRef) {
        source_id = plan->expressions[0]->column_index();
      }
      // An uncorrelated scalar subquery must give at most one row; one that is a single
      // aggregate without GROUP BY always does. Others are checked while running.
      auto single = std::make_unique<LogicalOperator>();
      single->kind = LogicalKind::kEnforceSingleRow;
      single->columns = plan->columns;
      single->children.push_back(std::move(plan));
      std::unordered_set<int64_t> counts;
      FLOE_RETURN_NOT_OK(
          JoinSubquery(block, std::move(single), JoinType::kLeft, nullptr, expr.location, &counts)
              .status());
      ExpressionPtr ref = Expression::ColumnRef(value.id, value.type, value.name);
      if (source_id >= 0 && counts.contains(source_id)) {
        ref =
            Expression::Coalesce({ref, Expression::Constant(types::Value::BigInt(0))}, value.type);
      }
      bound.expr = ref;
      return bound;
    }
    default:
      return Status::Internal("not a subquery expression");
  }
}

// Decorrelation as for aggregates would leave several rows per outer row, and the left join
// would silently repeat the outer row. Instead the subquery's rows are grouped by the inner
// sides of its equality correlations, giving count(*) and any_value(value) per key, and the
// value is read through floe_subquery_row_check(count) above the join. The check runs only on
// joined rows, and lazily inside CASE branches, so like PostgreSQL it fails only for an outer
// row that the subquery would have been evaluated for and that meets two or more rows. The
// grouping needs equality correlations: other predicates (a.x < b.x) have no key to group by
// and are rejected rather than evaluated per outer row.
Result<Bound> Binder::Impl::BindCorrelatedScalarSubquery(
    LogicalOperatorPtr plan, const std::unordered_set<int64_t>& correlated, QueryBlock& block,
    int location) {
  auto not_supported = [&](std::string_view what) {
    return Error(Status::NotSupported("correlated scalar subquery {} is not supported yet", what),
                 location);
  };
  if (!block.allows_subqueries || block.plan == nullptr) {
    return Error(Status::NotSupported("subqueries in {} are not supported yet", block.clause),
                 location);
  }
  if (Status reach = CheckCorrelatedFromOneLevelUp(*block.plan, correlated); !reach.ok()) {
    return Error(std::move(reach), location);
  }
  // LIMIT applies per outer row, so per key once decorrelated. LIMIT 1 keeps the first row of
  // each key in the subquery's ORDER BY; LIMIT 0 keeps none; with LIMIT 2 or more the value is
  // the same as without it (one row gives it, two or more fail whichever they are).
  LogicalOperatorPtr* limit_slot = &plan;
  if (plan->kind == LogicalKind::kProject && plan->children[0]->kind == LogicalKind::kLimit) {
    limit_slot = &plan->children[0];
  }
  bool is_first_only = false;
  bool is_empty = false;
  const LogicalOperator* order = nullptr;
  if ((*limit_slot)->kind == LogicalKind::kLimit) {
    if ((*limit_slot)->offset > 0) {
      return not_supported("with OFFSET");
    }
    is_first_only = (*limit_slot)->limit == 1;
    is_empty = (*limit_slot)->limit == 0;
    LogicalOperatorPtr child = std::move((*limit_slot)->children[0]);
    *limit_slot = std::move(child);
    if ((*limit_slot)->kind == LogicalKind::kSort) {
      order = limit_slot->get();
    }
  }
  std::vector<ExpressionPtr> pulled;
  std::unordered_set<int64_t> counts;
  FLOE_RETURN_NOT_OK(AttachCorrelationDomains(plan, *block.plan, correlated, location));
  FLOE_RETURN_NOT_OK(PullUpCorrelated(plan, correlated, pulled, counts, location));
  if (Status left = CheckNoOuterColumnsLeft(*plan, correlated); !left.ok()) {
    return Error(std::move(left), location);
  }
  // Equalities between an inner and an outer expression become grouping keys; predicates on
  // outer columns alone stay in the join condition, where false means no row; the others
  // must read the outer query only through columns an equality fixes, which are then
  // replaced by that equality's inner side and filter the subquery's rows.
  std::unordered_set<int64_t> inner_ids = OutputIds(*plan);
  std::vector<ExpressionPtr> keys;
  std::vector<ExpressionPtr> conditions;
  std::vector<std::pair<size_t, ExpressionPtr>> keyed;  // Key index, predicate.
  std::vector<ExpressionPtr> mixed;
  std::unordered_map<int64_t, ExpressionPtr> outer_to_inner;
  for (const ExpressionPtr& predicate : pulled) {
    int side = InnerSideOfEquality(*predicate, inner_ids, correlated);
    if (side < 0) {
      if (ReferencesOnly(*predicate, correlated)) {
        conditions.push_back(predicate);
      } else {
        mixed.push_back(predicate);
      }
      continue;
    }
    const ExpressionPtr& inner = predicate->children()[static_cast<size_t>(side)];
    const ExpressionPtr& outer = predicate->children()[static_cast<size_t>(1 - side)];
    if (outer->kind() == execution::ExpressionKind::kColumnRef && outer->type() == inner->type()) {
      outer_to_inner.emplace(outer->column_index(), inner);
    }
    size_t key = 0;
    while (key < keys.size() && !keys[key]->Equals(*inner)) {
      ++key;
    }
    if (key == keys.size()) {
      keys.push_back(inner);
    }
    keyed.emplace_back(key, predicate);
  }
  std::vector<ExpressionPtr> inner_filters;
  for (const ExpressionPtr& predicate : mixed) {
    std::unordered_set<int64_t> used;
    CollectColumnIds(*predicate, used);
    for (int64_t id : used) {
      if (correlated.contains(id) && !outer_to_inner.contains(id)) {
        return not_supported("without an aggregate and correlated by other than equality");
      }
    }
    inner_filters.push_back(ReplaceColumns(predicate, outer_to_inner));
  }
  if (is_first_only) {
    KeepFirstRowPerKey(plan, order, keys, inner_filters);
  } else {
    AddFilter(plan, inner_filters);
  }
  if (is_empty) {
    auto limit = std::make_unique<LogicalOperator>();
    limit->kind = LogicalKind::kLimit;
    limit->limit = 0;
    limit->columns = plan->columns;
    limit->children.push_back(std::move(plan));
    plan = std::move(limit);
  }
  LogicalColumn value = plan->columns[0];
  auto aggregate = std::make_unique<LogicalOperator>();
  aggregate->kind = LogicalKind::kAggregate;
  std::vector<ExpressionPtr> key_refs;
  for (const ExpressionPtr& key : keys) {
    std::string name =
        key->kind() == execution::ExpressionKind::kColumnRef ? key->column_name() : key->ToString();
    LogicalColumn column = NewColumn(name, key->type());
    aggregate->groups.push_back(key);
    aggregate->columns.push_back(column);
    key_refs.push_back(Expression::ColumnRef(column.id, column.type, column.name));
  }
  std::vector<types::LogicalType> value_types = {value.type};
  Result<AggregateFunction> count = functions.ResolveAggregate("count", {});
  Result<AggregateFunction> any_value = functions.ResolveAggregate("any_value", value_types);
  if (!count.ok() || !any_value.ok()) {
    return Error(count.ok() ? any_value.status() : count.status(), location);
  }
  AggregateCall count_call;
  count_call.function = std::make_shared<const AggregateFunction>(std::move(*count));
  AggregateCall value_call;
  value_call.function = std::make_shared<const AggregateFunction>(std::move(*any_value));
  value_call.arguments.push_back(Expression::ColumnRef(value.id, value.type, value.name));
  LogicalColumn count_column = NewColumn("count", count_call.function->return_type);
  LogicalColumn value_column = NewColumn(value.name, value_call.function->return_type);
  aggregate->aggregates.push_back(std::move(count_call));
  aggregate->aggregates.push_back(std::move(value_call));
  aggregate->columns.push_back(count_column);
  aggregate->columns.push_back(value_column);
  aggregate->children.push_back(std::move(plan));

  for (const auto& [key, predicate] : keyed) {
    int side = InnerSideOfEquality(*predicate, inner_ids, correlated);
    std::vector<ExpressionPtr> children = predicate->children();
    children[static_cast<size_t>(side)] = key_refs[key];
    conditions.push_back(WithChildren(*predicate, std::move(children)));
  }
  FLOE_RETURN_NOT_OK(JoinSubquery(block, std::move(aggregate), JoinType::kLeft,
                                  MakeConjunction(std::move(conditions)), location)
                         .status());
  Bound rows;
  rows.location = location;
  rows.expr = Expression::ColumnRef(count_column.id, count_column.type, count_column.name);
  FLOE_ASSIGN_OR_RETURN(Bound check, CallScalar("floe_subquery_row_check", {rows}, location));
  Bound bound;
  bound.location = location;
  bound.expr = Expression::Case(
      {check.expr}, {Expression::ColumnRef(value_column.id, value_column.type, value_column.name)},
      nullptr, value_column.type);
  return bound;
}

}  // namespace floe::sql::binder

namespace floe::sql::binder {

// ARRAY(subquery) correlated by predicates that are not equalities (x = ANY (outer.a),
// x < outer.y) has no key to group by: the subquery is evaluated once per distinct value of
// the outer columns it reads instead. Those values (the "domain", from a copy of the outer
// plan) are joined to the subquery's rows on the pulled predicates, the rows sorted by the
// subquery's ORDER BY, aggregated per value, and joined back to the outer rows with IS NOT
// DISTINCT FROM, so that a NULL outer value finds its own array. The array keeps the order of
// the sorted rows as the aggregate is fed them, as for uncorrelated ARRAY(subquery).
Result<LogicalOperatorPtr> Binder::Impl::BindArraySubqueryPerValue(
    LogicalOperatorPtr plan, QueryBlock& block, int location,
    std::vector<std::pair<ExpressionPtr, LogicalColumn>>& keys) {
  std::unordered_set<int64_t> correlated = CorrelatedIds(*plan);
  if (Status reach = CheckCorrelatedFromOneLevelUp(*block.plan, correlated); !reach.ok()) {
    return Error(std::move(reach), location);
  }
  // The ORDER BY of the subquery, read again above the join: its key columns pass through the
  // projection on top.
  std::vector<SortKey> sort_keys;
  if (plan->kind == LogicalKind::kProject && plan->children[0]->kind == LogicalKind::kSort) {
    sort_keys = plan->children[0]->sort_keys;
    std::unordered_set<int64_t> needed;
    for (const SortKey& key : sort_keys) {
      CollectColumnIds(*key.expression, needed);
    }
    std::unordered_set<int64_t> present = OutputIds(*plan);
    for (const LogicalColumn& column : plan->children[0]->columns) {
      if (needed.contains(column.id) && !present.contains(column.id)) {
        plan->expressions.push_back(Expression::ColumnRef(column.id, column.type, column.name));
        plan->columns.push_back(column);
      }
    }
  }
  LogicalColumn value = plan->columns[0];
  std::vector<ExpressionPtr> pulled;
  std::unordered_set<int64_t> counts;
  FLOE_RETURN_NOT_OK(AttachCorrelationDomains(plan, *block.plan, correlated, location));
  FLOE_RETURN_NOT_OK(PullUpCorrelated(plan, correlated, pulled, counts, location));
  if (Status left = CheckNoOuterColumnsLeft(*plan, correlated); !left.ok()) {
    return Error(std::move(left), location);
  }
  // The domain keeps the outer columns' ids, so the pulled predicates read it unchanged.
  auto project = std::make_unique<LogicalOperator>();
  project->kind = LogicalKind::kProject;
  const LogicalOperator& outer = *block.plan;
  for (const LogicalColumn& column : outer.columns) {
    if (correlated.contains(column.id)) {
      project->expressions.push_back(Expression::ColumnRef(column.id, column.type, column.name));
      project->columns.push_back(column);
    }
  }
  project->estimate = outer.estimate;
  project->children.push_back(CloneLogicalPlan(outer));
  // Arrays cannot be hashed as keys yet: they are told apart by their text, which is
  // injective for one element type.
  std::vector<ExpressionPtr> key_expressions;
  for (const LogicalColumn& column : project->columns) {
    ExpressionPtr ref = Expression::ColumnRef(column.id, column.type, column.name);
    key_expressions.push_back(
        column.type.IsNested() ? Expression::Cast(ref, types::LogicalType::Varchar()) : ref);
  }
  auto domain = std::make_unique<LogicalOperator>();
  domain->kind = LogicalKind::kDistinct;
  domain->distinct_on = key_expressions;
  domain->columns = project->columns;
  domain->estimate = project->estimate;
  domain->children.push_back(std::move(project));
  std::vector<LogicalColumn> domain_columns = domain->columns;

  auto join = std::make_unique<LogicalOperator>();
  join->kind = LogicalKind::kJoin;
  join->join_type = JoinType::kInner;
  join->condition = MakeConjunction(std::move(pulled));
  if (join->condition == nullptr) {
    join->join_type = JoinType::kCross;
  }
  join->columns = domain_columns;
  join->columns.insert(join->columns.end(), plan->columns.begin(), plan->columns.end());
  join->estimate = plan->estimate;
  join->children.push_back(std::move(domain));
  join->children.push_back(std::move(plan));
  LogicalOperatorPtr input = std::move(join);
  if (!sort_keys.empty()) {
    auto sort = std::make_unique<LogicalOperator>();
    sort->kind = LogicalKind::kSort;
    sort->sort_keys = std::move(sort_keys);
    sort->columns = input->columns;
    sort->estimate = input->estimate;
    sort->children.push_back(std::move(input));
    input = std::move(sort);
  }

  std::vector<types::LogicalType> value_types = {value.type};
  Result<AggregateFunction> array_agg = functions.ResolveAggregate("array_agg", value_types);
  if (!array_agg.ok()) {
    return Error(array_agg.status(), location);
  }
  auto aggregate = std::make_unique<LogicalOperator>();
  aggregate->kind = LogicalKind::kAggregate;
  for (size_t i = 0; i < domain_columns.size(); ++i) {
    aggregate->groups.push_back(key_expressions[i]);
    LogicalColumn key = NewColumn(domain_columns[i].name, key_expressions[i]->type());
    aggregate->columns.push_back(key);
    keys.emplace_back(key_expressions[i], key);
  }
  AggregateCall call;
  call.function = std::make_shared<const AggregateFunction>(std::move(*array_agg));
  call.arguments.push_back(Expression::ColumnRef(value.id, value.type, value.name));
  aggregate->columns.push_back(NewColumn("array", call.function->return_type));
  aggregate->aggregates.push_back(std::move(call));
  aggregate->estimate = input->estimate;
  aggregate->children.push_back(std::move(input));
  return aggregate;
}

}  // namespace floe::sql::binder
