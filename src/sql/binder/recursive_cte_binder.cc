// WITH RECURSIVE (docs/sql.md): a CTE of the form `non-recursive term UNION [ALL] recursive
// term` that references itself becomes a kRecursiveCte whose recursive term reads the rows of
// the previous iteration from a work table, as PostgreSQL evaluates it.

#include <algorithm>
#include <memory>
#include <utility>

#include "sql/binder/binder_internal.h"
#include "sql/execution/operators/recursive_cte.h"

namespace floe::sql::binder {
namespace {

using execution::Expression;
using types::LogicalType;
using types::TypeId;

Status RecursionError(std::string message) {
  return Status::InvalidArgument("{}", message).WithSqlState("42P19");
}

// The column type of the whole recursive query. A decimal of the non-recursive term widens to
// 38 digits: PostgreSQL's numeric has no precision, and the recursive term usually grows the
// value (n + 1) past the precision its first literal had.
LogicalType CteColumnType(const LogicalType& anchor) {
  if (anchor.id() == TypeId::kDecimal) {
    return LogicalType::Decimal(38, anchor.scale()).value();
  }
  if (anchor.id() == TypeId::kNull) {
    return LogicalType::Varchar();
  }
  return anchor;
}

// Whether the recursive term's column may be cast to the query's type without changing what
// PostgreSQL would compute: both numeric, or both text.
bool IsSameCategory(const LogicalType& from, const LogicalType& to) {
  if (from.id() == TypeId::kNull) {
    return true;
  }
  return (from.id() == TypeId::kDecimal && to.id() == TypeId::kDecimal) ||
         (from.id() == TypeId::kVarchar && to.id() == TypeId::kVarchar);
}

bool HasAggregates(const parser::SelectBody& select) {
  return !select.group_by.empty() || select.having != nullptr;
}

}  // namespace

Result<LogicalOperatorPtr> Binder::Impl::BindCteQuery(const parser::CommonTableExpression& cte,
                                                      bool is_recursive_frame) {
  for (auto it = recursive_ctes.rbegin(); it != recursive_ctes.rend(); ++it) {
    if (it->cte == &cte) {
      return BindWorkTableReference(*it);
    }
  }
  if (!is_recursive_frame) {
    return BindQuery(*cte.query, nullptr);
  }
  return BindRecursiveCte(cte);
}

Result<LogicalOperatorPtr> Binder::Impl::BindWorkTableReference(RecursiveCteState& state) {
  const std::string& name = state.cte->name;
  if (!state.is_union_form) {
    return Error(RecursionError(fmt::format("recursive query \"{}\" does not have the form "
                                            "non-recursive-term UNION [ALL] recursive-term",
                                            name)),
                 state.cte->location);
  }
  if (state.in_non_recursive_term) {
    return Error(RecursionError(fmt::format("recursive reference to query \"{}\" must not "
                                            "appear within its non-recursive term",
                                            name)),
                 state.cte->location);
  }
  if (subquery_depth != state.subquery_depth) {
    return Error(RecursionError(fmt::format("recursive reference to query \"{}\" must not "
                                            "appear within a subquery",
                                            name)),
                 state.cte->location);
  }
  if (nullable_side_depth != state.nullable_side_depth) {
    return Error(RecursionError(fmt::format("recursive reference to query \"{}\" must not "
                                            "appear within an outer join",
                                            name)),
                 state.cte->location);
  }
  if (++state.references > 1) {
    return Error(RecursionError(fmt::format("recursive reference to query \"{}\" must not "
                                            "appear more than once",
                                            name)),
                 state.cte->location);
  }
  auto scan = std::make_unique<LogicalOperator>();
  scan->kind = LogicalKind::kGet;
  scan->source = SourceKind::kWorkTable;
  scan->source_name = name;
  scan->work_table = state.work_table;
  for (const LogicalColumn& column : state.columns) {
    scan->columns.push_back(NewColumn(column.name, column.type));
  }
  scan->estimate.rows = 100;
  return scan;
}

Result<LogicalOperatorPtr> Binder::Impl::BindRecursiveCte(
    const parser::CommonTableExpression& cte) {
  const parser::Query& query = *cte.query;
  const parser::QueryBody& body = *query.body;
  bool is_union_form = query.with == nullptr && body.kind == parser::QueryBodyKind::kSetOperation &&
                       body.As<parser::SetOperationBody>().op == parser::SetOperator::kUnion;
  RecursiveCteState pending;
  pending.cte = &cte;
  pending.is_union_form = is_union_form;
  if (!is_union_form) {
    recursive_ctes.push_back(pending);
    Result<LogicalOperatorPtr> plan = BindQuery(query, nullptr);
    recursive_ctes.pop_back();
    return plan;
  }
  const auto& set = body.As<parser::SetOperationBody>();
  recursive_ctes.push_back(pending);
  Result<LogicalOperatorPtr> anchor = BindBody(*set.left, nullptr, nullptr);
  if (!anchor.ok()) {
    recursive_ctes.pop_back();
    return anchor.status();
  }
  RecursiveCteState& state = recursive_ctes.back();
  for (size_t c = 0; c < (*anchor)->columns.size(); ++c) {
    const LogicalColumn& column = (*anchor)->columns[c];
    std::string name = c < cte.columns.size() ? cte.columns[c] : column.name;
    state.columns.push_back({.id = -1, .name = name, .type = CteColumnType(column.type)});
  }
  state.work_table = std::make_shared<execution::WorkTable>();
  state.in_non_recursive_term = false;
  state.subquery_depth = subquery_depth;
  state.nullable_side_depth = nullable_side_depth;
  Result<LogicalOperatorPtr> recursive = BindBody(*set.right, nullptr, nullptr);
  RecursiveCteState bound = std::move(recursive_ctes.back());
  recursive_ctes.pop_back();
  if (!recursive.ok()) {
    return recursive.status();
  }
  if (bound.references == 0) {
    // Not recursive after all: an ordinary UNION.
    return BindQuery(query, nullptr);
  }
  if (!query.order_by.empty() || query.limit != nullptr || query.offset != nullptr) {
    return Error(Status::NotSupported("ORDER BY, LIMIT and OFFSET in a recursive query are not "
                                      "supported"),
                 cte.location);
  }
  if (set.right->kind == parser::QueryBodyKind::kSelect) {
    const auto& select = set.right->As<parser::SelectBody>();
    std::vector<const parser::FunctionCallExpression*> calls;
    for (const auto& target : select.targets) {
      CollectAggregates(*target.expression, calls);
    }
    if (HasAggregates(select) || !calls.empty()) {
      return Error(RecursionError(fmt::format("aggregate functions are not allowed "
                                              "in a recursive query's recursive term")),
                   cte.location);
    }
  }
  if ((*recursive)->columns.size() != bound.columns.size()) {
    return Error(Status::SyntaxError("each UNION query must have the same number of columns")
                     .WithSqlState("42601"),
                 cte.location);
  }
  for (size_t c = 0; c < bound.columns.size(); ++c) {
    const LogicalType& from = (*recursive)->columns[c].type;
    const LogicalType& to = bound.columns[c].type;
    if (!(from == to) && !IsSameCategory(from, to)) {
      return Error(Status::InvalidArgument("recursive query \"{}\" column {} has type {} in "
                                           "non-recursive term but type {} overall",
                                           cte.name, c + 1, to.ToString(), from.ToString())
                       .WithSqlState("42804"),
                   cte.location);
    }
  }
  // Both terms produce the query's column types.
  auto conform = [&](LogicalOperatorPtr side) {
    auto project = std::make_unique<LogicalOperator>();
    project->kind = LogicalKind::kProject;
    for (size_t c = 0; c < bound.columns.size(); ++c) {
      const LogicalColumn& column = side->columns[c];
      const LogicalType& type = bound.columns[c].type;
      ExpressionPtr ref = Expression::ColumnRef(column.id, column.type, column.name);
      project->expressions.push_back(column.type == type ? ref : Expression::Cast(ref, type));
      project->columns.push_back(NewColumn(bound.columns[c].name, type));
    }
    project->children.push_back(std::move(side));
    return project;
  };
  auto union_op = std::make_unique<LogicalOperator>();
  union_op->kind = LogicalKind::kRecursiveCte;
  union_op->source_name = cte.name;
  union_op->is_all = set.all;
  union_op->work_table = bound.work_table;
  for (const LogicalColumn& column : bound.columns) {
    union_op->columns.push_back(NewColumn(column.name, column.type));
  }
  union_op->children.push_back(conform(std::move(*anchor)));
  union_op->children.push_back(conform(std::move(*recursive)));
  return union_op;
}

}  // namespace floe::sql::binder
