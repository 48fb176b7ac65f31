// Subqueries in expressions become joins: EXISTS and IN in WHERE become semi and anti joins,
// other EXISTS, IN and ANY/ALL become mark joins, scalar subqueries become left joins.
// Correlated subqueries are decorrelated by pulling the predicates that reference the outer
// query out of the subquery into the join condition; under an aggregate, the inner side of an
// equality becomes a grouping key (one group per outer key instead of one aggregate per outer
// row). A correlated scalar subquery that is not one such aggregate is grouped by its
// correlation keys with a row count and some value, and the count is checked on the joined
// rows (see BindCorrelatedScalarSubquery).
#include <algorithm>
#include <unordered_map>
#include <utility>

#include "sql/binder/binder_internal.h"
#include "sql/binder/expression_rewriter.h"

namespace floe::sql::binder {
namespace {

bool HasUngroupedAggregate(const LogicalOperator& op) {
  if (op.kind == LogicalKind::kAggregate && op.groups.empty()) {
    return true;
  }
  return std::any_of(op.children.begin(), op.children.end(),
                     [](const LogicalOperatorPtr& child) { return HasUngroupedAggregate(*child); });
}

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
  for (int64_t id : remaining) {
    if (correlated.contains(id)) {
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
      for (const ExpressionPtr& predicate : local) {
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

Status Binder::Impl::BindLateralSubquery(const parser::SubqueryRef& ref, QueryBlock& block) {
  FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan, BindQuery(*ref.query, &block.scope));
  std::string alias = ref.alias.name;
  if (alias.empty()) {
    alias = "subquery" + std::to_string(NewId());
  }
  FLOE_RETURN_NOT_OK(AddRelationToScope(*plan, alias, ref.alias, block.scope, ref.location));
  if (block.plan == nullptr) {
    block.plan = std::move(plan);
    return Status::OK();
  }
  std::unordered_set<int64_t> produced;
  CollectProducedIds(*plan, produced);
  std::unordered_set<int64_t> referenced;
  CollectReferencedIds(*plan, referenced);
  bool is_correlated = std::any_of(referenced.begin(), referenced.end(),
                                   [&](int64_t id) { return !produced.contains(id); });
  // Decorrelating an aggregate without GROUP BY makes it one row per outer key, and an inner
  // join would then drop the outer rows that match nothing, where PostgreSQL keeps them with
  // the aggregate of no rows.
  if (is_correlated && HasUngroupedAggregate(*plan)) {
    return Error(Status::NotSupported("LATERAL subqueries aggregating rows that depend on the "
                                      "outer query are not supported yet"),
                 ref.location);
  }
  bool saved = block.allows_subqueries;
  block.allows_subqueries = true;
  Result<int64_t> joined =
      JoinSubquery(block, std::move(plan), JoinType::kInner, nullptr, ref.location);
  block.allows_subqueries = saved;
  return joined.status();
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
