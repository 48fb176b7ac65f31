#include "sql/binder/binder.h"

#include <algorithm>
#include <utility>

#include "sql/binder/binder_internal.h"
#include "sql/binder/expression_rewriter.h"
#include "sql/binder/time_travel.h"
#include "sql/functions/type_coercion.h"
#include "sql/parser/parser.h"
#include "types/cast.h"
#include "types/interval.h"

namespace floe::sql::binder {
namespace {

// Views are expanded at bind time; a view that (indirectly) names itself would never end.
constexpr int kMaxViewDepth = 32;

std::string JoinName(const parser::QualifiedName& name) {
  std::string text;
  for (const std::string& part : name) {
    text += (text.empty() ? "" : ".") + part;
  }
  return text;
}

LogicalOperatorPtr MakeOperator(LogicalKind kind) {
  auto op = std::make_unique<LogicalOperator>();
  op->kind = kind;
  return op;
}

// Keeps the distinct counts a Parquet source's statistics give (0 = unknown) for join ordering.
void RecordDistinctCounts(LogicalOperator& op, const std::vector<double>& counts) {
  for (size_t i = 0; i < op.columns.size() && i < counts.size(); ++i) {
    if (counts[i] > 0) {
      op.estimate.distinct[op.columns[i].id] = counts[i];
    }
  }
}

// Output name of a select item without alias, as PostgreSQL derives it (FigureColname).
std::string DeriveName(const parser::Expression& expr) {
  switch (expr.kind) {
    case parser::ExpressionKind::kColumnRef:
      return expr.As<parser::ColumnRefExpression>().names.back();
    case parser::ExpressionKind::kFunctionCall:
      return expr.As<parser::FunctionCallExpression>().names.back();
    case parser::ExpressionKind::kCast: {
      const auto& cast = expr.As<parser::CastExpression>();
      std::string inner = DeriveName(*cast.operand);
      if (inner != "?column?") {
        return inner;
      }
      const std::string& type = cast.type.Name();
      if (type == "integer") {
        return "int4";
      }
      if (type == "bigint") {
        return "int8";
      }
      if (type == "smallint") {
        return "int2";
      }
      if (type == "double precision") {
        return "float8";
      }
      if (type == "real") {
        return "float4";
      }
      if (type == "boolean") {
        return "bool";
      }
      if (type == "character varying") {
        return "varchar";
      }
      return type;
    }
    case parser::ExpressionKind::kTypedLiteral: {
      const std::string& type = expr.As<parser::TypedLiteralExpression>().type.Name();
      if (type == "timestamp without time zone") {
        return "timestamp";
      }
      if (type == "timestamp with time zone") {
        return "timestamptz";
      }
      return type;
    }
    case parser::ExpressionKind::kCase:
      return "case";
    case parser::ExpressionKind::kAtTimeZone:
      return "timezone";
    case parser::ExpressionKind::kExists:
      return "exists";
    case parser::ExpressionKind::kConditional:
      switch (expr.As<parser::ConditionalExpression>().conditional_kind) {
        case parser::ConditionalKind::kCoalesce:
          return "coalesce";
        case parser::ConditionalKind::kNullIf:
          return "nullif";
        case parser::ConditionalKind::kGreatest:
          return "greatest";
        case parser::ConditionalKind::kLeast:
          return "least";
      }
      return "?column?";
    case parser::ExpressionKind::kSqlValueFunction:
      switch (expr.As<parser::SqlValueFunctionExpression>().function) {
        case parser::SqlValueFunction::kCurrentDate:
          return "current_date";
        case parser::SqlValueFunction::kCurrentTime:
          return "current_time";
        case parser::SqlValueFunction::kCurrentTimestamp:
          return "current_timestamp";
        case parser::SqlValueFunction::kLocalTime:
          return "localtime";
        case parser::SqlValueFunction::kLocalTimestamp:
          return "localtimestamp";
        case parser::SqlValueFunction::kCurrentRole:
          return "current_role";
        case parser::SqlValueFunction::kCurrentUser:
          return "current_user";
        case parser::SqlValueFunction::kSessionUser:
          return "session_user";
        case parser::SqlValueFunction::kUser:
          return "current_user";
        case parser::SqlValueFunction::kCurrentCatalog:
          return "current_catalog";
        case parser::SqlValueFunction::kCurrentSchema:
          return "current_schema";
      }
      return "?column?";
    case parser::ExpressionKind::kSubquery: {
      const auto& query = *expr.As<parser::SubqueryExpression>().subquery;
      if (query.body->kind == parser::QueryBodyKind::kSelect) {
        const auto& select = query.body->As<parser::SelectBody>();
        if (select.targets.size() == 1) {
          if (!select.targets[0].alias.empty()) {
            return select.targets[0].alias;
          }
          if (select.targets[0].expression->kind != parser::ExpressionKind::kStar) {
            return DeriveName(*select.targets[0].expression);
          }
        }
      }
      return "?column?";
    }
    case parser::ExpressionKind::kArray:
    case parser::ExpressionKind::kArraySubquery:
      return "array";
    case parser::ExpressionKind::kRow:
      return "row";
    default:
      return "?column?";
  }
}

std::vector<const parser::Expression*> SplitAstConjuncts(const parser::Expression& expr) {
  std::vector<const parser::Expression*> conjuncts;
  if (expr.kind == parser::ExpressionKind::kBool &&
      expr.As<parser::BoolExpression>().op == parser::BoolOperator::kAnd) {
    for (const auto& argument : expr.As<parser::BoolExpression>().arguments) {
      auto nested = SplitAstConjuncts(*argument);
      conjuncts.insert(conjuncts.end(), nested.begin(), nested.end());
    }
  } else {
    conjuncts.push_back(&expr);
  }
  return conjuncts;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Plan helpers shared with the other binder files.

void CollectProducedIds(const LogicalOperator& plan, std::unordered_set<int64_t>& ids) {
  for (const LogicalColumn& column : plan.columns) {
    ids.insert(column.id);
  }
  for (const LogicalOperatorPtr& child : plan.children) {
    CollectProducedIds(*child, ids);
  }
}

void CollectReferencedIds(const LogicalOperator& plan, std::unordered_set<int64_t>& ids) {
  auto add = [&](const ExpressionPtr& expr) {
    if (expr != nullptr) {
      CollectColumnIds(*expr, ids);
    }
  };
  add(plan.condition);
  for (const auto& expr : plan.expressions) {
    add(expr);
  }
  for (const auto& expr : plan.groups) {
    add(expr);
  }
  for (const AggregateCall& call : plan.aggregates) {
    for (const auto& expr : call.arguments) {
      add(expr);
    }
    add(call.filter);
  }
  for (const SortKey& key : plan.sort_keys) {
    add(key.expression);
  }
  for (const auto& expr : plan.distinct_on) {
    add(expr);
  }
  for (const auto& expr : plan.partition_by) {
    add(expr);
  }
  for (const WindowCall& call : plan.window_calls) {
    for (const auto& expr : call.arguments) {
      add(expr);
    }
    add(call.default_value);
    add(call.range_key);
    add(call.range_start);
    add(call.range_end);
  }
  for (const auto& row : plan.values_rows) {
    for (const auto& expr : row) {
      add(expr);
    }
  }
  for (const LogicalOperatorPtr& child : plan.children) {
    CollectReferencedIds(*child, ids);
  }
}

// ---------------------------------------------------------------------------------------------
// Binder

Binder::Binder(CatalogAccessor& catalog, const FunctionRegistry& functions, std::string_view sql)
    : impl_(std::make_unique<Impl>(catalog, functions, sql)) {}

Binder::~Binder() = default;

void Binder::SetParameterTypes(std::vector<types::LogicalType> types) {
  impl_->parameter_types = std::move(types);
}

void Binder::SetTimeZone(const types::TimeZone& zone) {
  impl_->time_zone = &zone;
}

Result<BoundQuery> Binder::BindQuery(const parser::Query& query) {
  FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan, impl_->BindQuery(query, nullptr));
  BoundQuery bound;
  bound.plan = std::move(plan);
  bound.parameter_types = impl_->parameter_types;
  for (types::LogicalType& type : bound.parameter_types) {
    if (type.id() == types::TypeId::kNull) {
      type = types::LogicalType::Varchar();
    }
  }
  return bound;
}

Result<ExpressionPtr> Binder::BindConstantExpression(const parser::Expression& expr) {
  QueryBlock block;
  block.allows_subqueries = false;
  block.clause = "this context";
  return impl_->BindValue(expr, block);
}

Status Binder::Impl::Error(Status status, int location) const {
  if (view_depth > 0 || status.position() > 0) {
    return status;
  }
  return status.WithPosition(parser::CharacterPosition(sql, location));
}

LogicalColumn Binder::Impl::NewColumn(std::string name, types::LogicalType type) {
  LogicalColumn column{NewId(), std::move(name), std::move(type)};
  column_names[column.id] = column.name;
  return column;
}

// ---- Queries ----

Result<LogicalOperatorPtr> Binder::Impl::BindQuery(const parser::Query& query, const Scope* outer) {
  bool has_with = query.with != nullptr;
  if (has_with) {
    CteFrame frame;
    frame.is_recursive = query.with->recursive;
    for (const auto& cte : query.with->ctes) {
      frame.ctes.push_back(&cte);
    }
    frame.visible = frame.ctes.size();
    cte_frames.push_back(std::move(frame));
  }
  Result<LogicalOperatorPtr> plan = BindBody(*query.body, outer, &query);
  if (has_with) {
    cte_frames.pop_back();
  }
  return plan;
}

Result<LogicalOperatorPtr> Binder::Impl::BindBody(const parser::QueryBody& body, const Scope* outer,
                                                  const parser::Query* query) {
  switch (body.kind) {
    case parser::QueryBodyKind::kSelect:
      return BindSelect(body.As<parser::SelectBody>(), outer, query);
    case parser::QueryBodyKind::kValues: {
      FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan, BindValues(body.As<parser::ValuesBody>()));
      if (query == nullptr) {
        return plan;
      }
      return ApplyOrderLimit(std::move(plan), *query, outer);
    }
    case parser::QueryBodyKind::kSetOperation: {
      FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan,
                            BindSetOperation(body.As<parser::SetOperationBody>(), outer));
      if (query == nullptr) {
        return plan;
      }
      return ApplyOrderLimit(std::move(plan), *query, outer);
    }
    case parser::QueryBodyKind::kNested: {
      FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan,
                            BindQuery(*body.As<parser::NestedQueryBody>().query, outer));
      if (query == nullptr) {
        return plan;
      }
      return ApplyOrderLimit(std::move(plan), *query, outer);
    }
  }
  return Status::Internal("unknown query body");
}

Result<LogicalOperatorPtr> Binder::Impl::BindValues(const parser::ValuesBody& values) {
  QueryBlock block;
  block.clause = "VALUES";
  size_t width = values.rows.empty() ? 0 : values.rows[0].size();
  std::vector<std::vector<Bound>> rows;
  for (const auto& row : values.rows) {
    if (row.size() != width) {
      return Error(
          Status::SyntaxError("VALUES lists must all be the same length").WithSqlState("42601"),
          row.empty() ? values.location : row[0]->location);
    }
    std::vector<Bound> bound_row;
    for (const auto& expr : row) {
      FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(*expr, block));
      bound_row.push_back(std::move(bound));
    }
    rows.push_back(std::move(bound_row));
  }
  auto op = MakeOperator(LogicalKind::kGet);
  op->source = SourceKind::kValues;
  op->source_name = "VALUES";
  op->values_rows.resize(rows.size());
  for (size_t column = 0; column < width; ++column) {
    std::vector<Bound> items;
    for (const auto& row : rows) {
      items.push_back(row[column]);
    }
    types::LogicalType common;
    FLOE_ASSIGN_OR_RETURN(std::vector<ExpressionPtr> coerced,
                          CoerceToCommon(std::move(items), "VALUES", values.location, &common));
    for (size_t r = 0; r < rows.size(); ++r) {
      op->values_rows[r].push_back(coerced[r]);
    }
    op->columns.push_back(NewColumn("column" + std::to_string(column + 1), common));
  }
  op->estimate.rows = static_cast<double>(rows.size());
  op->estimate.is_exact = true;
  if (block.plan != nullptr) {
    return Error(Status::NotSupported("subqueries in VALUES are not supported yet"),
                 values.location);
  }
  return op;
}

Result<LogicalOperatorPtr> Binder::Impl::BindSetOperation(const parser::SetOperationBody& body,
                                                          const Scope* outer) {
  FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr left, BindBody(*body.left, outer, nullptr));
  FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr right, BindBody(*body.right, outer, nullptr));
  std::string_view name = body.op == parser::SetOperator::kUnion       ? "UNION"
                          : body.op == parser::SetOperator::kIntersect ? "INTERSECT"
                                                                       : "EXCEPT";
  if (left->columns.size() != right->columns.size()) {
    return Error(Status::SyntaxError("each {} query must have the same number of columns", name)
                     .WithSqlState("42601"),
                 body.right->location);
  }
  // Cast both sides to the common type of each column, projecting where a type changes.
  std::vector<types::LogicalType> targets;
  for (size_t i = 0; i < left->columns.size(); ++i) {
    std::vector<types::LogicalType> pair = {left->columns[i].type, right->columns[i].type};
    Result<types::LogicalType> common = CommonType(pair, name);
    if (!common.ok()) {
      return Error(common.status(), body.location);
    }
    targets.push_back(*common);
  }
  auto cast_side = [&](LogicalOperatorPtr side) -> LogicalOperatorPtr {
    bool needs_cast = false;
    for (size_t i = 0; i < targets.size(); ++i) {
      needs_cast = needs_cast || !(side->columns[i].type == targets[i]);
    }
    if (!needs_cast) {
      return side;
    }
    auto project = MakeOperator(LogicalKind::kProject);
    for (size_t i = 0; i < targets.size(); ++i) {
      const LogicalColumn& column = side->columns[i];
      ExpressionPtr ref = Expression::ColumnRef(column.id, column.type, column.name);
      project->expressions.push_back(column.type == targets[i] ? ref
                                                               : Expression::Cast(ref, targets[i]));
      project->columns.push_back(NewColumn(column.name, targets[i]));
    }
    project->children.push_back(std::move(side));
    return project;
  };
  auto op = MakeOperator(LogicalKind::kSetOperation);
  op->set_operation = body.op == parser::SetOperator::kUnion       ? SetOperationKind::kUnion
                      : body.op == parser::SetOperator::kIntersect ? SetOperationKind::kIntersect
                                                                   : SetOperationKind::kExcept;
  op->is_all = body.all;
  for (size_t i = 0; i < targets.size(); ++i) {
    op->columns.push_back(NewColumn(left->columns[i].name, targets[i]));
  }
  op->children.push_back(cast_side(std::move(left)));
  op->children.push_back(cast_side(std::move(right)));
  return op;
}

Result<int64_t> Binder::Impl::BindLimitValue(const parser::Expression& expr,
                                             std::string_view clause) {
  QueryBlock block;
  block.allows_subqueries = false;
  block.clause = std::string(clause);
  FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(expr, block));
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, Coerce(bound, types::LogicalType::BigInt()));
  if (value->kind() != execution::ExpressionKind::kConstant) {
    return Error(Status::NotSupported("{} must be a constant", clause), expr.location);
  }
  if (value->value().is_null()) {
    return int64_t{-1};
  }
  int64_t number = value->value().bigint_value();
  if (number < 0) {
    return Error(Status::InvalidArgument("{} must not be negative", clause).WithSqlState("2201W"),
                 expr.location);
  }
  return number;
}

// ORDER BY and LIMIT over a query whose output columns are all that can be named (VALUES and
// set operations): output names, ordinals, and expressions over the output columns.
Result<LogicalOperatorPtr> Binder::Impl::ApplyOrderLimit(LogicalOperatorPtr plan,
                                                         const parser::Query& query,
                                                         const Scope* outer) {
  if (!query.order_by.empty()) {
    QueryBlock block;
    block.scope.parent = outer;
    block.allows_subqueries = false;
    block.clause = "ORDER BY";
    for (const LogicalColumn& column : plan->columns) {
      block.scope.entries.push_back({"", column.name, column.id, column.type});
    }
    auto sort = MakeOperator(LogicalKind::kSort);
    for (const auto& item : query.order_by) {
      SortKey key;
      const parser::Expression& expr = *item.expression;
      if (expr.kind == parser::ExpressionKind::kConstant &&
          expr.As<parser::ConstantExpression>().constant_kind == parser::ConstantKind::kInteger) {
        int64_t ordinal = std::stoll(expr.As<parser::ConstantExpression>().text);
        if (ordinal < 1 || ordinal > static_cast<int64_t>(plan->columns.size())) {
          return Error(
              Status::InvalidArgument("ORDER BY position {} is not in select list", ordinal)
                  .WithSqlState("42P10"),
              expr.location);
        }
        const LogicalColumn& column = plan->columns[static_cast<size_t>(ordinal - 1)];
        key.expression = Expression::ColumnRef(column.id, column.type, column.name);
      } else {
        FLOE_ASSIGN_OR_RETURN(key.expression, BindValue(expr, block));
      }
      key.is_descending = item.direction == parser::SortDirection::kDescending;
      key.is_nulls_first = item.nulls == parser::NullsOrder::kDefault
                               ? key.is_descending
                               : item.nulls == parser::NullsOrder::kFirst;
      sort->sort_keys.push_back(std::move(key));
    }
    sort->columns = plan->columns;
    sort->children.push_back(std::move(plan));
    plan = std::move(sort);
  }
  if (query.limit != nullptr || query.offset != nullptr) {
    if (query.with_ties) {
      return Error(Status::NotSupported("FETCH FIRST ... WITH TIES is not supported yet"),
                   query.limit->location);
    }
    auto limit = MakeOperator(LogicalKind::kLimit);
    if (query.limit != nullptr) {
      FLOE_ASSIGN_OR_RETURN(limit->limit, BindLimitValue(*query.limit, "LIMIT"));
    }
    if (query.offset != nullptr) {
      FLOE_ASSIGN_OR_RETURN(int64_t offset, BindLimitValue(*query.offset, "OFFSET"));
      limit->offset = std::max<int64_t>(offset, 0);
    }
    limit->columns = plan->columns;
    limit->children.push_back(std::move(plan));
    plan = std::move(limit);
  }
  return plan;
}

void ForEachAstChild(const parser::Expression& expr,
                     const std::function<void(const parser::Expression&)>& visit) {
  using parser::ExpressionKind;
  auto child = [&](const parser::ExpressionPtr& operand) {
    if (operand != nullptr) {
      visit(*operand);
    }
  };
  switch (expr.kind) {
    case ExpressionKind::kFunctionCall: {
      const auto& call = expr.As<parser::FunctionCallExpression>();
      for (const auto& argument : call.arguments) {
        child(argument.value);
      }
      child(call.filter);
      if (call.over != nullptr) {
        for (const auto& key : call.over->partition_by) {
          child(key);
        }
        for (const auto& item : call.over->order_by) {
          child(item.expression);
        }
      }
      return;
    }
    case ExpressionKind::kCast:
      child(expr.As<parser::CastExpression>().operand);
      return;
    case ExpressionKind::kOperator:
      child(expr.As<parser::OperatorExpression>().left);
      child(expr.As<parser::OperatorExpression>().right);
      return;
    case ExpressionKind::kBool:
      for (const auto& argument : expr.As<parser::BoolExpression>().arguments) {
        child(argument);
      }
      return;
    case ExpressionKind::kIsTest:
      child(expr.As<parser::IsTestExpression>().operand);
      return;
    case ExpressionKind::kDistinctFrom:
      child(expr.As<parser::DistinctFromExpression>().left);
      child(expr.As<parser::DistinctFromExpression>().right);
      return;
    case ExpressionKind::kBetween: {
      const auto& between = expr.As<parser::BetweenExpression>();
      child(between.operand);
      child(between.lower);
      child(between.upper);
      return;
    }
    case ExpressionKind::kInList: {
      const auto& in = expr.As<parser::InListExpression>();
      child(in.operand);
      for (const auto& item : in.list) {
        child(item);
      }
      return;
    }
    case ExpressionKind::kInSubquery:
      child(expr.As<parser::InSubqueryExpression>().operand);
      return;
    case ExpressionKind::kQuantified:
      child(expr.As<parser::QuantifiedExpression>().left);
      return;
    case ExpressionKind::kLike: {
      const auto& like = expr.As<parser::LikeExpression>();
      child(like.operand);
      child(like.pattern);
      child(like.escape);
      return;
    }
    case ExpressionKind::kCase: {
      const auto& case_expr = expr.As<parser::CaseExpression>();
      child(case_expr.operand);
      for (const auto& when : case_expr.when_clauses) {
        child(when.condition);
        child(when.result);
      }
      child(case_expr.else_result);
      return;
    }
    case ExpressionKind::kConditional:
      for (const auto& argument : expr.As<parser::ConditionalExpression>().arguments) {
        child(argument);
      }
      return;
    default:
      return;
  }
}

bool Binder::Impl::IsAggregateCall(const parser::FunctionCallExpression& call) const {
  return call.over == nullptr && call.names.size() <= 2 && functions.IsAggregate(call.names.back());
}

void Binder::Impl::CollectAggregates(const parser::Expression& expr,
                                     std::vector<const parser::FunctionCallExpression*>& calls) {
  if (expr.kind == parser::ExpressionKind::kFunctionCall &&
      IsAggregateCall(expr.As<parser::FunctionCallExpression>())) {
    calls.push_back(&expr.As<parser::FunctionCallExpression>());
    return;
  }
  ForEachAstChild(expr, [&](const parser::Expression& child) { CollectAggregates(child, calls); });
}

Result<LogicalOperatorPtr> Binder::Impl::BindSelect(const parser::SelectBody& select,
                                                    const Scope* outer,
                                                    const parser::Query* query) {
  QueryBlock block;
  block.scope.parent = outer;
  if (select.from.empty()) {
    block.plan = MakeOperator(LogicalKind::kGet);
    block.plan->source = SourceKind::kSingleRow;
    block.plan->estimate.rows = 1;
    block.plan->estimate.is_exact = true;
  } else {
    FLOE_RETURN_NOT_OK(BindFrom(select.from, block));
  }

  // WHERE: [NOT] EXISTS and IN (subquery) conjuncts become semi and anti joins; the other
  // conjuncts form one filter above them.
  if (select.where != nullptr) {
    block.clause = "WHERE";
    std::vector<ExpressionPtr> conditions;
    for (const parser::Expression* conjunct : SplitAstConjuncts(*select.where)) {
      FLOE_ASSIGN_OR_RETURN(bool is_semi_join, TryBindSemiJoin(*conjunct, block));
      if (is_semi_join) {
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition, BindCondition(*conjunct, block, "WHERE"));
      conditions.push_back(std::move(condition));
    }
    if (!conditions.empty()) {
      auto filter = MakeOperator(LogicalKind::kFilter);
      filter->condition = MakeConjunction(std::move(conditions));
      filter->columns = block.plan->columns;
      filter->children.push_back(std::move(block.plan));
      block.plan = std::move(filter);
    }
  }

  // Aggregates in the select list, HAVING and ORDER BY, and GROUP BY, make this a grouped
  // query.
  std::vector<const parser::FunctionCallExpression*> calls;
  for (const auto& target : select.targets) {
    CollectAggregates(*target.expression, calls);
  }
  if (select.having != nullptr) {
    CollectAggregates(*select.having, calls);
  }
  if (query != nullptr) {
    for (const auto& item : query->order_by) {
      CollectAggregates(*item.expression, calls);
    }
  }
  for (const auto& window : select.windows) {
    for (const auto& key : window.spec.partition_by) {
      CollectAggregates(*key, calls);
    }
    for (const auto& item : window.spec.order_by) {
      CollectAggregates(*item.expression, calls);
    }
  }
  bool is_grouped = !calls.empty() || !select.group_by.empty() || select.having != nullptr;
  if (is_grouped) {
    AggregateState& state = block.aggregates;
    for (const LogicalColumn& column : block.plan->columns) {
      state.input_ids.insert(column.id);
    }
    auto aggregate = MakeOperator(LogicalKind::kAggregate);
    // GROUP BY items: input expressions, select-list ordinals, or output column names.
    block.clause = "GROUP BY";
    auto expanded = ExpandGroupingSets(select.group_by);
    if (!expanded.ok()) {
      return Error(expanded.status(), select.location);
    }
    std::vector<std::vector<const parser::Expression*>> grouping_sets = std::move(*expanded);
    std::vector<std::vector<size_t>> set_keys(grouping_sets.size());
    std::vector<std::pair<size_t, const parser::Expression*>> set_items;
    for (size_t s = 0; s < grouping_sets.size(); ++s) {
      for (const parser::Expression* item : grouping_sets[s]) {
        set_items.emplace_back(s, item);
      }
    }
    // A key in several sets (ROLLUP's first) is bound once: a subquery in it adds a join.
    std::unordered_map<const parser::Expression*, size_t> bound_items;
    for (auto [s, expr] : set_items) {
      auto known = bound_items.find(expr);
      if (known != bound_items.end()) {
        if (std::find(set_keys[s].begin(), set_keys[s].end(), known->second) == set_keys[s].end()) {
          set_keys[s].push_back(known->second);
        }
        continue;
      }
      const parser::Expression* item = expr;
      if (expr->kind == parser::ExpressionKind::kConstant &&
          expr->As<parser::ConstantExpression>().constant_kind == parser::ConstantKind::kInteger) {
        int64_t ordinal = std::stoll(expr->As<parser::ConstantExpression>().text);
        if (ordinal < 1 || ordinal > static_cast<int64_t>(select.targets.size())) {
          return Error(
              Status::InvalidArgument("GROUP BY position {} is not in select list", ordinal)
                  .WithSqlState("42P10"),
              expr->location);
        }
        expr = select.targets[static_cast<size_t>(ordinal - 1)].expression.get();
      } else if (expr->kind == parser::ExpressionKind::kColumnRef &&
                 expr->As<parser::ColumnRefExpression>().names.size() == 1) {
        // An input column wins; an output column name is the fallback.
        const std::string& name = expr->As<parser::ColumnRefExpression>().names[0];
        bool is_input = std::any_of(block.scope.entries.begin(), block.scope.entries.end(),
                                    [&](const ScopeEntry& entry) {
                                      return entry.name == name && !entry.hidden_unqualified;
                                    });
        if (!is_input) {
          for (const auto& target : select.targets) {
            if (target.alias == name) {
              expr = target.expression.get();
              break;
            }
          }
        }
      }
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr group, BindValue(*expr, block));
      auto same = std::find_if(state.groups.begin(), state.groups.end(),
                               [&](const auto& g) { return g.first->Equals(*group); });
      size_t key = static_cast<size_t>(same - state.groups.begin());
      bound_items[item] = key;
      if (std::find(set_keys[s].begin(), set_keys[s].end(), key) == set_keys[s].end()) {
        set_keys[s].push_back(key);
      }
      if (same != state.groups.end()) {
        continue;
      }
      std::string name = group->kind() == execution::ExpressionKind::kColumnRef
                             ? group->column_name()
                             : group->ToString();
      LogicalColumn column = NewColumn(name, group->type());
      state.groups.emplace_back(group, column.id);
      aggregate->groups.push_back(group);
      aggregate->columns.push_back(column);
    }
    if (select.group_by_quantifier == parser::SetQuantifier::kDistinct) {
      RemoveDuplicateGroupingSets(set_keys);
    }
    if (set_keys.size() > 1) {
      AddGroupingSets(set_keys, *aggregate, block);
    }
    state.set_keys = std::move(set_keys);
    // Aggregate calls, bound over the input; identical calls share one column.
    block.clause = "aggregate function calls";
    for (const parser::FunctionCallExpression* call : calls) {
      FLOE_ASSIGN_OR_RETURN(Bound bound, BindAggregateReference(*call, block));
      (void)bound;
    }
    aggregate->aggregates = std::move(state.pending_calls);
    aggregate->columns.insert(aggregate->columns.end(), state.pending_columns.begin(),
                              state.pending_columns.end());
    if (aggregate->children.empty()) {
      aggregate->children.push_back(std::move(block.plan));
    }
    block.plan = std::move(aggregate);
    state.active = true;
    if (select.having != nullptr) {
      block.clause = "HAVING";
      block.allows_aggregates = true;
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition,
                            BindCondition(*select.having, block, "HAVING"));
      FLOE_ASSIGN_OR_RETURN(condition, CheckGrouping(condition, state));
      auto filter = MakeOperator(LogicalKind::kFilter);
      filter->condition = condition;
      filter->columns = block.plan->columns;
      filter->children.push_back(std::move(block.plan));
      block.plan = std::move(filter);
    }
  }

  // Window functions, over the grouped rows, in the select list, ORDER BY and DISTINCT ON.
  std::vector<const parser::FunctionCallExpression*> window_calls;
  for (const auto& target : select.targets) {
    CollectWindowCalls(*target.expression, window_calls);
  }
  if (query != nullptr) {
    for (const auto& item : query->order_by) {
      CollectWindowCalls(*item.expression, window_calls);
    }
  }
  for (const auto& expr : select.distinct_on) {
    CollectWindowCalls(*expr, window_calls);
  }
  block.allows_aggregates = is_grouped;
  if (!window_calls.empty() || !select.windows.empty()) {
    FLOE_RETURN_NOT_OK(BindWindows(select, window_calls, block));
  }

  // The select list.
  block.clause = "SELECT";
  block.allows_aggregates = is_grouped;
  std::vector<ExpressionPtr> outputs;
  std::vector<std::string> names;
  for (const auto& target : select.targets) {
    const parser::Expression& expr = *target.expression;
    if (expr.kind == parser::ExpressionKind::kStar) {
      const auto& star = expr.As<parser::StarExpression>();
      std::string table = star.qualifier.empty() ? "" : star.qualifier.back();
      bool found_table = table.empty();
      for (const ScopeEntry& entry : block.scope.entries) {
        if (table.empty() ? entry.hidden_star : entry.table != table) {
          continue;
        }
        found_table = true;
        ExpressionPtr ref = Expression::ColumnRef(entry.id, entry.type, entry.name);
        column_locations[entry.id] = expr.location;
        if (block.aggregates.active) {
          FLOE_ASSIGN_OR_RETURN(ref, CheckGrouping(ref, block.aggregates));
        }
        outputs.push_back(ref);
        names.push_back(entry.name);
      }
      if (!found_table) {
        return Error(Status::NotFound("missing FROM-clause entry for table \"{}\"", table)
                         .WithSqlState("42P01"),
                     expr.location);
      }
      if (table.empty() && select.from.empty()) {
        return Error(Status::InvalidArgument("SELECT * with no tables specified is not valid")
                         .WithSqlState("42601"),
                     expr.location);
      }
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, BindValue(expr, block));
    if (block.aggregates.active) {
      FLOE_ASSIGN_OR_RETURN(value, CheckGrouping(value, block.aggregates));
    }
    outputs.push_back(value);
    names.push_back(target.alias.empty() ? DeriveName(expr) : target.alias);
  }
  size_t visible = outputs.size();

  // ORDER BY keys: output ordinals and names, else expressions (added as hidden columns).
  bool is_distinct = select.distinct == parser::SetQuantifier::kDistinct;
  std::vector<std::pair<size_t, const parser::OrderByItem*>> order_keys;
  if (query != nullptr) {
    block.clause = "ORDER BY";
    for (const auto& item : query->order_by) {
      const parser::Expression& expr = *item.expression;
      std::optional<size_t> column;
      if (expr.kind == parser::ExpressionKind::kConstant &&
          expr.As<parser::ConstantExpression>().constant_kind == parser::ConstantKind::kInteger) {
        int64_t ordinal = std::stoll(expr.As<parser::ConstantExpression>().text);
        if (ordinal < 1 || ordinal > static_cast<int64_t>(visible)) {
          return Error(
              Status::InvalidArgument("ORDER BY position {} is not in select list", ordinal)
                  .WithSqlState("42P10"),
              expr.location);
        }
        column = static_cast<size_t>(ordinal - 1);
      } else if (expr.kind == parser::ExpressionKind::kColumnRef &&
                 expr.As<parser::ColumnRefExpression>().names.size() == 1) {
        const std::string& name = expr.As<parser::ColumnRefExpression>().names[0];
        for (size_t i = 0; i < visible; ++i) {
          if (names[i] == name) {
            column = i;
            break;
          }
        }
      }
      if (!column.has_value()) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, BindValue(expr, block));
        if (block.aggregates.active) {
          FLOE_ASSIGN_OR_RETURN(value, CheckGrouping(value, block.aggregates));
        }
        for (size_t i = 0; i < outputs.size(); ++i) {
          if (outputs[i]->Equals(*value)) {
            column = i;
            break;
          }
        }
        if (!column.has_value()) {
          if (is_distinct) {
            return Error(Status::InvalidArgument(
                             "for SELECT DISTINCT, ORDER BY expressions must appear in select "
                             "list")
                             .WithSqlState("42P10"),
                         expr.location);
          }
          column = outputs.size();
          outputs.push_back(value);
          names.push_back("?order?");
        }
      }
      order_keys.emplace_back(*column, &item);
    }
  }

  // DISTINCT ON keys.
  std::vector<size_t> distinct_on_columns;
  if (is_distinct && !select.distinct_on.empty()) {
    block.clause = "DISTINCT ON";
    for (const auto& expr : select.distinct_on) {
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, BindValue(*expr, block));
      if (block.aggregates.active) {
        FLOE_ASSIGN_OR_RETURN(value, CheckGrouping(value, block.aggregates));
      }
      std::optional<size_t> column;
      for (size_t i = 0; i < outputs.size(); ++i) {
        if (outputs[i]->Equals(*value)) {
          column = i;
          break;
        }
      }
      if (!column.has_value()) {
        column = outputs.size();
        outputs.push_back(value);
        names.push_back("?distinct?");
      }
      distinct_on_columns.push_back(*column);
    }
  }

  auto project = MakeOperator(LogicalKind::kProject);
  for (size_t i = 0; i < outputs.size(); ++i) {
    project->expressions.push_back(outputs[i]);
    project->columns.push_back(NewColumn(names[i], outputs[i]->type()));
  }
  project->children.push_back(std::move(block.plan));
  LogicalOperatorPtr plan = std::move(project);
  auto column_ref = [&](size_t index) {
    const LogicalColumn& column = plan->columns[index];
    return Expression::ColumnRef(column.id, column.type, column.name);
  };
  std::vector<SortKey> sort_keys;
  for (const auto& [column, item] : order_keys) {
    SortKey key;
    key.expression = column_ref(column);
    key.is_descending = item->direction == parser::SortDirection::kDescending;
    key.is_nulls_first = item->nulls == parser::NullsOrder::kDefault
                             ? key.is_descending
                             : item->nulls == parser::NullsOrder::kFirst;
    sort_keys.push_back(std::move(key));
  }
  auto add_sort = [&]() {
    if (sort_keys.empty()) {
      return;
    }
    auto sort = MakeOperator(LogicalKind::kSort);
    sort->sort_keys = sort_keys;
    sort->columns = plan->columns;
    sort->children.push_back(std::move(plan));
    plan = std::move(sort);
  };
  if (is_distinct && select.distinct_on.empty()) {
    auto distinct = MakeOperator(LogicalKind::kDistinct);
    distinct->columns = plan->columns;
    distinct->children.push_back(std::move(plan));
    plan = std::move(distinct);
    add_sort();
  } else if (is_distinct) {
    // DISTINCT ON keeps the first row of each key in ORDER BY order: sort by the DISTINCT ON
    // keys (then the ORDER BY keys) and keep the first row per key.
    std::vector<SortKey> keys;
    for (size_t column : distinct_on_columns) {
      bool found = false;
      for (const SortKey& key : sort_keys) {
        found = found || key.expression->column_index() == plan->columns[column].id;
      }
      if (!found) {
        keys.push_back({column_ref(column), false, false});
      }
    }
    for (const SortKey& key : sort_keys) {
      keys.push_back(key);
    }
    auto sort = MakeOperator(LogicalKind::kSort);
    sort->sort_keys = keys;
    sort->columns = plan->columns;
    sort->children.push_back(std::move(plan));
    plan = std::move(sort);
    auto distinct = MakeOperator(LogicalKind::kDistinct);
    for (size_t column : distinct_on_columns) {
      distinct->distinct_on.push_back(column_ref(column));
    }
    distinct->columns = plan->columns;
    distinct->children.push_back(std::move(plan));
    plan = std::move(distinct);
    if (!sort_keys.empty()) {
      add_sort();
    }
  } else {
    add_sort();
  }
  if (query != nullptr && (query->limit != nullptr || query->offset != nullptr)) {
    if (query->with_ties) {
      return Error(Status::NotSupported("FETCH FIRST ... WITH TIES is not supported yet"),
                   query->limit->location);
    }
    auto limit = MakeOperator(LogicalKind::kLimit);
    if (query->limit != nullptr) {
      FLOE_ASSIGN_OR_RETURN(limit->limit, BindLimitValue(*query->limit, "LIMIT"));
    }
    if (query->offset != nullptr) {
      FLOE_ASSIGN_OR_RETURN(limit->offset, BindLimitValue(*query->offset, "OFFSET"));
      limit->offset = std::max<int64_t>(limit->offset, 0);
    }
    limit->columns = plan->columns;
    limit->children.push_back(std::move(plan));
    plan = std::move(limit);
  }
  if (plan->columns.size() > visible) {
    auto trim = MakeOperator(LogicalKind::kProject);
    for (size_t i = 0; i < visible; ++i) {
      const LogicalColumn& column = plan->columns[i];
      trim->expressions.push_back(Expression::ColumnRef(column.id, column.type, column.name));
      trim->columns.push_back(NewColumn(column.name, column.type));
    }
    trim->children.push_back(std::move(plan));
    plan = std::move(trim);
  }
  return plan;
}

// ---- FROM ----

Status Binder::Impl::BindFrom(const std::vector<parser::TableRefPtr>& from, QueryBlock& block) {
  // A LATERAL item sees the items before it: those already in the block's scope.
  const Scope* saved_lateral_scope = lateral_scope;
  lateral_scope = &block.scope;
  Status status = Status::OK();
  for (const auto& ref : from) {
    Result<LogicalOperatorPtr> plan = BindTableRef(*ref, block, block.scope);
    if (!plan.ok()) {
      status = plan.status();
      break;
    }
    if (block.plan == nullptr) {
      block.plan = std::move(*plan);
      continue;
    }
    Result<LogicalOperatorPtr> joined =
        JoinLateral(std::move(block.plan), std::move(*plan), JoinType::kInner, {}, ref->location);
    if (!joined.ok()) {
      status = joined.status();
      break;
    }
    block.plan = std::move(*joined);
  }
  lateral_scope = saved_lateral_scope;
  return status;
}

Status Binder::Impl::AddRelationToScope(const LogicalOperator& plan, const std::string& alias,
                                        const parser::Alias& renames, Scope& scope, int location) {
  if (renames.columns.size() > plan.columns.size()) {
    return Error(Status::InvalidArgument("table \"{}\" has {} columns available but {} columns "
                                         "specified",
                                         alias, plan.columns.size(), renames.columns.size())
                     .WithSqlState("42P10"),
                 location);
  }
  if (std::find(scope.tables.begin(), scope.tables.end(), alias) != scope.tables.end()) {
    return Error(Status::AlreadyExists("table name \"{}\" specified more than once", alias)
                     .WithSqlState("42712"),
                 location);
  }
  scope.tables.push_back(alias);
  for (size_t i = 0; i < plan.columns.size(); ++i) {
    const LogicalColumn& column = plan.columns[i];
    std::string name = i < renames.columns.size() ? renames.columns[i] : column.name;
    column_names[column.id] = alias.empty() ? name : alias + "." + name;
    scope.entries.push_back({alias, name, column.id, column.type});
  }
  return Status::OK();
}

Result<LogicalOperatorPtr> Binder::Impl::BindTableRef(const parser::TableRef& ref,
                                                      QueryBlock& block, Scope& scope) {
  switch (ref.kind) {
    case parser::TableRefKind::kTable:
      return BindTableName(ref.As<parser::TableNameRef>(), scope);
    case parser::TableRefKind::kSubquery: {
      const auto& subquery = ref.As<parser::SubqueryRef>();
      const Scope* visible =
          subquery.lateral && lateral_scope != nullptr ? lateral_scope : scope.parent;
      FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan, BindQuery(*subquery.query, visible));
      std::string alias = subquery.alias.name;
      if (alias.empty()) {
        alias = "subquery" + std::to_string(NewId());
      }
      FLOE_RETURN_NOT_OK(AddRelationToScope(*plan, alias, subquery.alias, scope, ref.location));
      return plan;
    }
    case parser::TableRefKind::kFunction:
      return BindFunctionRef(ref.As<parser::FunctionRef>(), scope);
    case parser::TableRefKind::kJoin:
      return BindJoin(ref.As<parser::JoinRef>(), block, scope);
  }
  return Status::Internal("unknown table reference");
}

Result<LogicalOperatorPtr> Binder::Impl::BindCteReference(size_t frame_index, size_t index) {
  const parser::CommonTableExpression& cte = *cte_frames[frame_index].ctes[index];
  // Recursive queries re-plan their terms on every iteration, so a CTE in or beside one is
  // bound at each reference, as is one declared NOT MATERIALIZED.
  const bool is_shareable = !cte_frames[frame_index].is_recursive && recursive_ctes.empty() &&
                            cte.materialization != parser::CteMaterialization::kNotMaterialized;
  if (is_shareable) {
    std::vector<std::shared_ptr<CteDefinition>>& definitions =
        cte_frames[frame_index].definitions;
    definitions.resize(cte_frames[frame_index].ctes.size());
    if (const std::shared_ptr<CteDefinition>& definition = definitions[index]) {
      auto reference = std::make_unique<LogicalOperator>();
      reference->kind = LogicalKind::kGet;
      reference->source = SourceKind::kCte;
      reference->source_name = definition->name;
      for (const LogicalColumn& column : definition->plan->columns) {
        reference->columns.push_back(NewColumn(column.name, column.type));
      }
      ++definition->references;
      reference->cte = definition;
      return LogicalOperatorPtr(std::move(reference));
    }
  }
  // The CTE sees the CTEs before it and the enclosing frames, not later ones, and itself only
  // in WITH RECURSIVE.
  std::vector<CteFrame> saved(cte_frames.begin() + static_cast<long>(frame_index) + 1,
                              cte_frames.end());
  cte_frames.resize(frame_index + 1);
  size_t saved_visible = cte_frames[frame_index].visible;
  cte_frames[frame_index].visible = cte_frames[frame_index].is_recursive ? index + 1 : index;
  Result<LogicalOperatorPtr> plan = BindCteQuery(cte, cte_frames[frame_index].is_recursive);
  cte_frames[frame_index].visible = saved_visible;
  cte_frames.insert(cte_frames.end(), saved.begin(), saved.end());
  if (!plan.ok() || !is_shareable) {
    return plan;
  }
  auto definition = std::make_shared<CteDefinition>();
  definition->name = cte.name;
  definition->plan = std::move(*plan);
  definition->is_declared_materialized =
      cte.materialization == parser::CteMaterialization::kMaterialized;
  cte_frames[frame_index].definitions.resize(cte_frames[frame_index].ctes.size());
  cte_frames[frame_index].definitions[index] = std::move(definition);
  return BindCteReference(frame_index, index);
}

Result<LogicalOperatorPtr> Binder::Impl::BindTableName(const parser::TableNameRef& ref,
                                                       Scope& scope) {
  // Only Iceberg tables keep snapshots, and a CTE of the same name hides the table.
  if (ref.time_travel.has_value() && ref.name.size() == 1) {
    for (const CteFrame& frame : cte_frames) {
      for (size_t i = 0; i < frame.visible; ++i) {
        if (frame.ctes[i]->name == ref.name[0]) {
          return Error(
              Status::NotSupported("FOR VERSION/TIMESTAMP AS OF on WITH query \"{}\"", ref.name[0]),
              ref.time_travel->location);
        }
      }
    }
  }
  std::string alias = ref.alias.name.empty() ? ref.name.back() : ref.alias.name;
  // A CTE of an enclosing WITH, innermost first.
  if (ref.name.size() == 1) {
    for (size_t f = cte_frames.size(); f-- > 0;) {
      CteFrame& frame = cte_frames[f];
      for (size_t i = 0; i < frame.visible; ++i) {
        const parser::CommonTableExpression& cte = *frame.ctes[i];
        if (cte.name != ref.name[0]) {
          continue;
        }
        Result<LogicalOperatorPtr> plan = BindCteReference(f, i);
        if (!plan.ok()) {
          return plan.status();
        }
        parser::Alias renames;
        renames.columns = cte.columns;
        if (renames.columns.size() > (*plan)->columns.size()) {
          return Error(
              Status::InvalidArgument("WITH query \"{}\" has {} columns available but "
                                      "{} columns specified",
                                      cte.name, (*plan)->columns.size(), renames.columns.size())
                  .WithSqlState("42P10"),
              cte.location);
        }
        for (size_t c = 0; c < ref.alias.columns.size() && c < (*plan)->columns.size(); ++c) {
          if (c < renames.columns.size()) {
            renames.columns[c] = ref.alias.columns[c];
          } else {
            renames.columns.push_back(ref.alias.columns[c]);
          }
        }
        FLOE_RETURN_NOT_OK(AddRelationToScope(**plan, alias, renames, scope, ref.location));
        return std::move(*plan);
      }
    }
  }
  FLOE_ASSIGN_OR_RETURN(std::optional<RelationInfo> relation, catalog.FindRelation(ref.name));
  if (!relation.has_value()) {
    return Error(Status::NotFound("relation \"{}\" does not exist", JoinName(ref.name))
                     .WithSqlState("42P01"),
                 ref.location);
  }
  FLOE_ASSIGN_OR_RETURN(std::optional<int64_t> snapshot_id,
                        BindTimeTravel(ref.time_travel, *relation));
  if (relation->kind == RelationInfo::Kind::kView) {
    if (view_depth >= kMaxViewDepth) {
      return Error(Status::InvalidArgument("infinite recursion detected in view \"{}\"",
                                           relation->display_name)
                       .WithSqlState("42P17"),
                   ref.location);
    }
    Result<parser::StatementPtr> statement = parser::ParseStatement(relation->view_sql);
    if (!statement.ok()) {
      return Error(statement.status().WithContext("view " + relation->display_name), ref.location);
    }
    if ((*statement)->kind != parser::StatementKind::kQuery) {
      return Error(Status::Corruption("view {} does not hold a query", relation->display_name),
                   ref.location);
    }
    std::vector<CteFrame> saved_frames = std::move(cte_frames);
    cte_frames.clear();
    ++view_depth;
    Result<LogicalOperatorPtr> plan =
        BindQuery(*(*statement)->As<parser::QueryStatement>().query, nullptr);
    --view_depth;
    cte_frames = std::move(saved_frames);
    if (!plan.ok()) {
      return Error(plan.status(), ref.location);
    }
    parser::Alias renames;
    renames.columns = relation->view_column_names;
    for (size_t c = 0; c < ref.alias.columns.size(); ++c) {
      if (c < renames.columns.size()) {
        renames.columns[c] = ref.alias.columns[c];
      } else {
        renames.columns.push_back(ref.alias.columns[c]);
      }
    }
    FLOE_RETURN_NOT_OK(AddRelationToScope(**plan, alias, renames, scope, ref.location));
    return std::move(*plan);
  }
  auto op = MakeOperator(LogicalKind::kGet);
  op->source_name = relation->display_name;
  if (relation->iceberg_table != nullptr) {
    op->source = SourceKind::kIceberg;
    op->iceberg_table = relation->iceberg_table;
    op->field_ids = relation->field_ids;
    op->iceberg_snapshot_id = snapshot_id;
    op->estimate.rows = static_cast<double>(relation->row_count);
    op->estimate.is_exact = true;
  } else if (relation->rows.has_value() && !relation->rows->empty()) {
    op->source = SourceKind::kValues;
    for (const std::vector<types::Value>& row : *relation->rows) {
      std::vector<ExpressionPtr>& values = op->values_rows.emplace_back();
      for (const types::Value& value : row) {
        values.push_back(Expression::Constant(value));
      }
    }
    op->estimate.rows = static_cast<double>(relation->rows->size());
    op->estimate.is_exact = true;
  } else if (relation->parquet.has_value() && !relation->parquet->files.empty()) {
    op->source = SourceKind::kParquet;
    op->files = relation->parquet->files;
    op->estimate.rows = static_cast<double>(relation->parquet->row_count);
    op->estimate.is_exact = true;
  } else {
    op->source = SourceKind::kEmpty;
    op->estimate.rows = 0;
    op->estimate.is_exact = true;
  }
  for (size_t i = 0; i < relation->columns.size(); ++i) {
    op->columns.push_back(NewColumn(relation->columns[i].name, relation->columns[i].type));
    op->parquet_columns.push_back(static_cast<int64_t>(i));
  }
  if (op->source == SourceKind::kParquet) {
    RecordDistinctCounts(*op, relation->parquet->distinct_counts);
  }
  FLOE_RETURN_NOT_OK(AddRelationToScope(*op, alias, ref.alias, scope, ref.location));
  return op;
}

Result<std::optional<int64_t>> Binder::Impl::BindTimeTravel(
    const std::optional<parser::TimeTravel>& clause, RelationInfo& relation) {
  if (!clause.has_value()) {
    return std::optional<int64_t>();
  }
  QueryBlock constants;
  constants.allows_subqueries = false;
  constants.clause = "FOR ... AS OF";
  FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(*clause->value, constants));
  if (bound.unknown == Bound::Unknown::kLiteral) {
    bound.expr = Expression::Constant(types::Value::Varchar(bound.text));
  }
  if (bound.expr->kind() != execution::ExpressionKind::kConstant) {
    return Error(Status::NotSupported("FOR VERSION/TIMESTAMP AS OF takes a constant"),
                 clause->location);
  }
  Result<int64_t> selected = ApplyTimeTravel(clause->kind, bound.expr->value(), relation);
  if (!selected.ok()) {
    return Error(selected.status(), clause->location);
  }
  return std::optional<int64_t>(*selected);
}

Result<LogicalOperatorPtr> Binder::Impl::BindFunctionRef(const parser::FunctionRef& ref,
                                                         Scope& scope) {
  const parser::FunctionCallExpression& call = *ref.call;
  const std::string& name = call.names.back();
  QueryBlock constants;
  constants.allows_subqueries = false;
  constants.clause = "FROM";
  // Functions in FROM are implicitly LATERAL: their arguments see the items before them.
  constants.scope.parent = lateral_scope != nullptr ? lateral_scope : scope.parent;
  std::vector<ExpressionPtr> arguments;
  std::vector<Bound> bound_arguments;
  const bool is_set_returning = name == "generate_series" || name == "unnest";
  bool reads_columns = false;
  if (ref.time_travel.has_value() && name != "iceberg_scan") {
    return Error(Status::NotSupported("FOR VERSION/TIMESTAMP AS OF on {}: only tables and "
                                      "iceberg_scan have snapshots",
                                      name),
                 ref.time_travel->location);
  }
  for (const auto& argument : call.arguments) {
    if (!argument.name.empty() && name != "iceberg_scan") {
      return Error(Status::NotSupported("named arguments are not supported yet"),
                   argument.value->location);
    }
    FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(*argument.value, constants));
    if (!bound.is_unknown()) {
      std::unordered_set<int64_t> ids;
      CollectColumnIds(*bound.expr, ids);
      if (!ids.empty() && !is_set_returning) {
        return Error(Status::NotSupported("arguments of {} in FROM that read columns of other "
                                          "FROM items or of an enclosing query are not "
                                          "supported yet",
                                          name),
                     argument.value->location);
      }
      reads_columns = reads_columns || !ids.empty();
    }
    bound_arguments.push_back(std::move(bound));
  }
  const bool is_zipped_unnest = name == "unnest" && call.arguments.size() > 1;
  if (is_set_returning && (reads_columns || ref.with_ordinality || is_zipped_unnest)) {
    // Evaluated per row of its input, which JoinLateral makes the items before it.
    return BindTableFunction(ref, std::move(bound_arguments), scope);
  }
  if (ref.with_ordinality) {
    return Error(Status::NotSupported("WITH ORDINALITY on {} is not supported yet", name),
                 ref.location);
  }
  auto op = MakeOperator(LogicalKind::kGet);
  op->source_name = name;
  auto is_temporal = [](const Bound& bound) {
    types::TypeId id = bound.type().id();
    return id == types::TypeId::kTimestamp || id == types::TypeId::kTimestampTz ||
           id == types::TypeId::kDate;
  };
  if (name == "generate_series" && call.arguments.size() == 3 &&
      (is_temporal(bound_arguments[0]) || is_temporal(bound_arguments[1]))) {
    // generate_series(timestamp[tz], timestamp[tz], interval); dates resolve to timestamptz,
    // PostgreSQL's preferred type of the category. A TIMESTAMPTZ series steps days and months
    // in the session's time zone.
    std::vector<Bound> bounds(std::make_move_iterator(bound_arguments.begin()),
                              std::make_move_iterator(bound_arguments.begin() + 2));
    types::LogicalType common;
    FLOE_ASSIGN_OR_RETURN(
        arguments, CoerceToCommon(std::move(bounds), "generate_series", call.location, &common));
    if (common.id() == types::TypeId::kDate) {
      common = types::LogicalType::TimestampTz();
    }
    if (common.id() != types::TypeId::kTimestamp && common.id() != types::TypeId::kTimestampTz) {
      return Error(
          Status::NotSupported("generate_series over {} is not supported yet", common.ToString()),
          call.location);
    }
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr step,
                          Coerce(bound_arguments[2], types::LogicalType::Interval()));
    arguments.push_back(std::move(step));
    for (size_t index = 0; index < arguments.size(); ++index) {
      if (arguments[index]->kind() != execution::ExpressionKind::kConstant) {
        return Error(Status::NotSupported("generate_series arguments must be constants"),
                     call.location);
      }
      const types::LogicalType& type = index < 2 ? common : types::LogicalType::Interval();
      FLOE_ASSIGN_OR_RETURN(types::Value value,
                            types::CastValue(arguments[index]->value(), type, *time_zone));
      op->series_arguments.push_back(std::move(value));
    }
    const types::Value& step_value = op->series_arguments[2];
    if (!step_value.is_null() && step_value.interval_value() == types::Interval{}) {
      return Error(Status::InvalidArgument("step size cannot equal zero").WithSqlState("22023"),
                   call.location);
    }
    op->source = SourceKind::kGenerateSeries;
    std::string column = ref.alias.name.empty() ? "generate_series" : ref.alias.name;
    op->columns.push_back(NewColumn(column, common));
    op->estimate.rows = 1000;
  } else if (name == "generate_series" &&
             (call.arguments.size() == 2 || call.arguments.size() == 3)) {
    types::LogicalType common;
    FLOE_ASSIGN_OR_RETURN(
        arguments, CoerceToCommon(bound_arguments, "generate_series", call.location, &common));
    if (common.id() == types::TypeId::kSmallInt) {
      common = types::LogicalType::Integer();
    }
    if (common.id() != types::TypeId::kInteger && common.id() != types::TypeId::kBigInt) {
      return Error(
          Status::NotSupported("generate_series over {} is not supported yet", common.ToString()),
          call.location);
    }
    for (const ExpressionPtr& argument : arguments) {
      if (argument->kind() != execution::ExpressionKind::kConstant) {
        return Error(Status::NotSupported("generate_series arguments must be constants"),
                     call.location);
      }
      FLOE_ASSIGN_OR_RETURN(types::Value value,
                            types::CastValue(argument->value(), common, *time_zone));
      op->series_arguments.push_back(std::move(value));
    }
    op->source = SourceKind::kGenerateSeries;
    std::string column = ref.alias.name.empty() ? "generate_series" : ref.alias.name;
    op->columns.push_back(NewColumn(column, common));
    // Estimate the row count from the constant bounds.
    const auto& args = op->series_arguments;
    if (!args[0].is_null() && !args[1].is_null()) {
      auto as_int = [&](const types::Value& v) {
        return common.id() == types::TypeId::kInteger ? int64_t{v.integer_value()}
                                                      : v.bigint_value();
      };
      int64_t step = args.size() == 3 && !args[2].is_null() ? as_int(args[2]) : 1;
      if (step == 0) {
        return Error(Status::InvalidArgument("step size cannot equal zero").WithSqlState("22023"),
                     call.location);
      }
      double rows = (static_cast<double>(as_int(args[1])) - static_cast<double>(as_int(args[0]))) /
                        static_cast<double>(step) +
                    1;
      op->estimate.rows = std::max(0.0, rows);
    }
  } else if (name == "read_parquet" && call.arguments.size() == 1) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr path,
                          Coerce(bound_arguments[0], types::LogicalType::Varchar()));
    if (path->kind() != execution::ExpressionKind::kConstant || path->value().is_null()) {
      return Error(Status::InvalidArgument("read_parquet needs a constant path"), call.location);
    }
    Result<ParquetSource> source = catalog.OpenParquet(path->value().string_value());
    if (!source.ok()) {
      return Error(source.status(), call.arguments[0].value->location);
    }
    op->source = SourceKind::kParquet;
    op->source_name = path->value().string_value();
    op->files = source->files;
    op->estimate.rows = static_cast<double>(source->row_count);
    op->estimate.is_exact = true;
    for (size_t i = 0; i < source->columns.size(); ++i) {
      op->columns.push_back(NewColumn(source->columns[i].name, source->columns[i].type));
      op->parquet_columns.push_back(static_cast<int64_t>(i));
    }
    RecordDistinctCounts(*op, source->distinct_counts);
  } else if (name == "iceberg_scan") {
    FLOE_RETURN_NOT_OK(BindIcebergScan(ref, bound_arguments, *op));
  } else if (name == "unnest" && call.arguments.size() == 1) {
    // A constant array's elements become the rows; NULL and '{}' give none.
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr array, Finalize(bound_arguments[0]));
    if (array->type().id() != types::TypeId::kList) {
      return Error(Status::NotFound("function unnest({}) does not exist", array->type().ToString())
                       .WithSqlState("42883"),
                   call.location);
    }
    if (array->kind() != execution::ExpressionKind::kConstant) {
      return Error(Status::NotSupported("unnest in FROM of an array that is not a constant"),
                   call.location);
    }
    const types::LogicalType& element = array->type().element_type();
    if (element.id() == types::TypeId::kList) {
      return Error(Status::NotSupported("unnest of multidimensional arrays"), call.location);
    }
    const types::Value& value = array->value();
    op->source = value.is_null() || value.children().empty() ? SourceKind::kEmpty
                                                               : SourceKind::kValues;
    if (!value.is_null()) {
      for (const types::Value& child : value.children()) {
        op->values_rows.push_back({Expression::Constant(child)});
      }
    }
    op->estimate.rows = static_cast<double>(op->values_rows.size());
    op->estimate.is_exact = true;
    op->columns.push_back(NewColumn(ref.alias.name.empty() ? "unnest" : ref.alias.name, element));
  } else if (name == "generate_series" || name == "read_parquet") {
    return Error(Status::NotFound("function {} with {} arguments does not exist", name,
                                  call.arguments.size())
                     .WithSqlState("42883"),
                 call.location);
  } else {
    return Error(
        Status::NotSupported("table function {} is not supported", name).WithSqlState("42883"),
        call.location);
  }
  std::string alias = ref.alias.name.empty() ? name : ref.alias.name;
  FLOE_RETURN_NOT_OK(AddRelationToScope(*op, alias, ref.alias, scope, ref.location));
  return op;
}

Result<LogicalOperatorPtr> Binder::Impl::BindTableFunction(const parser::FunctionRef& ref,
                                                           std::vector<Bound> arguments,
                                                           Scope& scope) {
  const parser::FunctionCallExpression& call = *ref.call;
  const std::string& name = call.names.back();
  auto op = MakeOperator(LogicalKind::kTableFunction);
  op->source_name = name;
  op->with_ordinality = ref.with_ordinality;
  auto is_temporal = [](const Bound& bound) {
    types::TypeId id = bound.type().id();
    return id == types::TypeId::kTimestamp || id == types::TypeId::kTimestampTz ||
           id == types::TypeId::kDate;
  };
  types::LogicalType type;
  if (name == "generate_series" && arguments.size() == 3 &&
      (is_temporal(arguments[0]) || is_temporal(arguments[1]))) {
    // As for constant arguments: dates resolve to TIMESTAMPTZ, the step to INTERVAL.
    std::vector<Bound> bounds(std::make_move_iterator(arguments.begin()),
                              std::make_move_iterator(arguments.begin() + 2));
    FLOE_ASSIGN_OR_RETURN(op->expressions, CoerceToCommon(std::move(bounds), "generate_series",
                                                          call.location, &type));
    if (type.id() == types::TypeId::kDate) {
      type = types::LogicalType::TimestampTz();
      for (ExpressionPtr& expr : op->expressions) {
        expr = Expression::Cast(expr, type);
      }
    }
    if (type.id() != types::TypeId::kTimestamp && type.id() != types::TypeId::kTimestampTz) {
      return Error(
          Status::NotSupported("generate_series over {} is not supported yet", type.ToString()),
          call.location);
    }
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr step, Coerce(arguments[2], types::LogicalType::Interval()));
    op->expressions.push_back(std::move(step));
  } else if (name == "generate_series" && (arguments.size() == 2 || arguments.size() == 3)) {
    FLOE_ASSIGN_OR_RETURN(op->expressions, CoerceToCommon(std::move(arguments), "generate_series",
                                                          call.location, &type));
    if (type.id() == types::TypeId::kSmallInt) {
      type = types::LogicalType::Integer();
      for (ExpressionPtr& expr : op->expressions) {
        expr = Expression::Cast(expr, type);
      }
    }
    if (type.id() != types::TypeId::kInteger && type.id() != types::TypeId::kBigInt) {
      return Error(
          Status::NotSupported("generate_series over {} is not supported yet", type.ToString()),
          call.location);
    }
  } else if (name == "unnest" && arguments.size() == 1) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr array, Finalize(arguments[0]));
    if (array->type().id() != types::TypeId::kList) {
      return Error(Status::NotFound("function unnest({}) does not exist", array->type().ToString())
                       .WithSqlState("42883"),
                   call.location);
    }
    type = array->type().element_type();
    if (type.id() == types::TypeId::kList) {
      return Error(Status::NotSupported("unnest of multidimensional arrays"), call.location);
    }
    op->expressions.push_back(std::move(array));
  } else if (name == "unnest" && arguments.size() > 1) {
    return Error(Status::NotSupported("unnest of several arrays is not supported yet"),
                 call.location);
  } else {
    return Error(
        Status::NotFound("function {} with {} arguments does not exist", name, arguments.size())
            .WithSqlState("42883"),
        call.location);
  }
  // The input is one row until JoinLateral puts the items before the function there.
  auto input = MakeOperator(LogicalKind::kGet);
  input->source = SourceKind::kSingleRow;
  input->estimate.rows = 1;
  input->estimate.is_exact = true;
  op->children.push_back(std::move(input));
  op->columns.push_back(NewColumn(ref.alias.name.empty() ? name : ref.alias.name, type));
  if (ref.with_ordinality) {
    op->columns.push_back(NewColumn("ordinality", types::LogicalType::BigInt()));
  }
  std::string alias = ref.alias.name.empty() ? name : ref.alias.name;
  FLOE_RETURN_NOT_OK(AddRelationToScope(*op, alias, ref.alias, scope, ref.location));
  return op;
}

Result<LogicalOperatorPtr> Binder::Impl::BindJoin(const parser::JoinRef& ref, QueryBlock& block,
                                                  Scope& scope) {
  if (!ref.alias.name.empty() || !ref.using_alias.empty()) {
    return Error(Status::NotSupported("aliases of joins are not supported yet"), ref.location);
  }
  Scope left_scope;
  left_scope.parent = scope.parent;
  Scope right_scope;
  right_scope.parent = scope.parent;
  const bool is_left_nullable =
      ref.join_type == parser::JoinType::kRight || ref.join_type == parser::JoinType::kFull;
  const bool is_right_nullable =
      ref.join_type == parser::JoinType::kLeft || ref.join_type == parser::JoinType::kFull;
  nullable_side_depth += is_left_nullable ? 1 : 0;
  Result<LogicalOperatorPtr> bound_left = BindTableRef(*ref.left, block, left_scope);
  nullable_side_depth -= is_left_nullable ? 1 : 0;
  FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr left, std::move(bound_left));
  // A LATERAL right side also sees the left side (JoinLateral rejects references from the
  // right side of a RIGHT or FULL join, as PostgreSQL does).
  Scope left_visible;
  left_visible.entries = left_scope.entries;
  left_visible.tables = left_scope.tables;
  left_visible.parent = lateral_scope != nullptr ? lateral_scope : scope.parent;
  const Scope* saved_lateral_scope = lateral_scope;
  lateral_scope = &left_visible;
  nullable_side_depth += is_right_nullable ? 1 : 0;
  Result<LogicalOperatorPtr> bound_right = BindTableRef(*ref.right, block, right_scope);
  nullable_side_depth -= is_right_nullable ? 1 : 0;
  lateral_scope = saved_lateral_scope;
  FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr right, std::move(bound_right));
  JoinType type = JoinType::kInner;
  switch (ref.join_type) {
    case parser::JoinType::kInner:
      type = JoinType::kInner;
      break;
    case parser::JoinType::kLeft:
      type = JoinType::kLeft;
      break;
    case parser::JoinType::kRight:
      type = JoinType::kRight;
      break;
    case parser::JoinType::kFull:
      type = JoinType::kFull;
      break;
    case parser::JoinType::kCross:
      type = JoinType::kInner;
      break;
  }
  Scope merged;
  merged.parent = scope.parent;
  for (const std::string& table : left_scope.tables) {
    merged.tables.push_back(table);
  }
  for (const std::string& table : right_scope.tables) {
    if (std::find(merged.tables.begin(), merged.tables.end(), table) != merged.tables.end()) {
      return Error(Status::AlreadyExists("table name \"{}\" specified more than once", table)
                       .WithSqlState("42712"),
                   ref.right->location);
    }
    merged.tables.push_back(table);
  }
  std::vector<std::string> using_columns = ref.using_columns;
  if (ref.natural) {
    for (const ScopeEntry& entry : left_scope.entries) {
      if (entry.hidden_unqualified) {
        continue;
      }
      for (const ScopeEntry& other : right_scope.entries) {
        if (!other.hidden_unqualified && other.name == entry.name &&
            std::find(using_columns.begin(), using_columns.end(), entry.name) ==
                using_columns.end()) {
          using_columns.push_back(entry.name);
        }
      }
    }
  }
  std::vector<ExpressionPtr> conditions;
  std::vector<ScopeEntry> merged_entries;
  std::vector<std::pair<ExpressionPtr, LogicalColumn>> full_join_columns;
  auto find_one = [&](Scope& side, const std::string& name,
                      std::string_view which) -> Result<ScopeEntry*> {
    ScopeEntry* found = nullptr;
    for (ScopeEntry& entry : side.entries) {
      if (entry.hidden_unqualified || entry.name != name) {
        continue;
      }
      if (found != nullptr) {
        return Error(Status::InvalidArgument("common column name \"{}\" appears more than once "
                                             "in {} table",
                                             name, which)
                         .WithSqlState("42702"),
                     ref.location);
      }
      found = &entry;
    }
    if (found == nullptr) {
      return Error(Status::NotFound("column \"{}\" specified in USING clause does not exist in "
                                    "{} table",
                                    name, which)
                       .WithSqlState("42703"),
                   ref.location);
    }
    return found;
  };
  for (const std::string& name : using_columns) {
    FLOE_ASSIGN_OR_RETURN(ScopeEntry * left_entry, find_one(left_scope, name, "left"));
    FLOE_ASSIGN_OR_RETURN(ScopeEntry * right_entry, find_one(right_scope, name, "right"));
    Bound l;
    l.expr = Expression::ColumnRef(left_entry->id, left_entry->type, left_entry->name);
    Bound r;
    r.expr = Expression::ColumnRef(right_entry->id, right_entry->type, right_entry->name);
    FLOE_ASSIGN_OR_RETURN(Bound equal, BindOperator("=", {l, r}, ref.location));
    conditions.push_back(equal.expr);
    left_entry->hidden_unqualified = true;
    left_entry->hidden_star = true;
    right_entry->hidden_unqualified = true;
    right_entry->hidden_star = true;
    ScopeEntry merged_entry;
    merged_entry.name = name;
    if (type == JoinType::kFull) {
      types::LogicalType common;
      FLOE_ASSIGN_OR_RETURN(std::vector<ExpressionPtr> both,
                            CoerceToCommon({l, r}, "JOIN/USING", ref.location, &common));
      LogicalColumn column = NewColumn(name, common);
      full_join_columns.emplace_back(Expression::Coalesce(both, common), column);
      merged_entry.id = column.id;
      merged_entry.type = common;
    } else {
      const ScopeEntry& source = type == JoinType::kRight ? *right_entry : *left_entry;
      merged_entry.id = source.id;
      merged_entry.type = source.type;
    }
    merged_entries.push_back(merged_entry);
  }
  merged.entries = merged_entries;
  merged.entries.insert(merged.entries.end(), left_scope.entries.begin(), left_scope.entries.end());
  merged.entries.insert(merged.entries.end(), right_scope.entries.begin(),
                        right_scope.entries.end());
  if (ref.condition != nullptr) {
    QueryBlock on_block;
    on_block.scope = merged;
    on_block.allows_subqueries = false;
    on_block.clause = "JOIN conditions";
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition,
                          BindCondition(*ref.condition, on_block, "JOIN/ON"));
    conditions.push_back(condition);
  }
  FLOE_ASSIGN_OR_RETURN(
      LogicalOperatorPtr plan,
      JoinLateral(std::move(left), std::move(right), type, std::move(conditions), ref.location));
  if (!full_join_columns.empty()) {
    auto project = MakeOperator(LogicalKind::kProject);
    for (const auto& [expr, column] : full_join_columns) {
      project->expressions.push_back(expr);
      project->columns.push_back(column);
    }
    for (const LogicalColumn& column : plan->columns) {
      project->expressions.push_back(Expression::ColumnRef(column.id, column.type, column.name));
      project->columns.push_back(column);
    }
    project->children.push_back(std::move(plan));
    plan = std::move(project);
  }
  for (const std::string& table : merged.tables) {
    scope.tables.push_back(table);
  }
  scope.entries.insert(scope.entries.end(), merged.entries.begin(), merged.entries.end());
  return plan;
}

}  // namespace floe::sql::binder
