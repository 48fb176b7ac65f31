// Binding of arrays (Floe's LIST type) in expressions: ARRAY[...], ARRAY(SELECT ...),
// subscripts and slices, x op ANY|ALL (array), and the reg* casts between OIDs and names that
// psql's catalog queries use (docs/sql.md, "Arrays").
#include <algorithm>
#include <climits>
#include <utility>

#include "sql/binder/binder_internal.h"
#include "sql/binder/expression_rewriter.h"
#include "sql/functions/pg_types.h"
#include "sql/functions/type_coercion.h"
#include "types/cast.h"

namespace floe::sql::binder {
namespace {

using types::LogicalType;
using types::TypeId;
using types::Value;

// The number of nested LIST levels of `type`: 1 for int[], 2 for LIST of LIST.
int Dimensions(const LogicalType& type) {
  int dimensions = 0;
  const LogicalType* current = &type;
  while (current->id() == TypeId::kList) {
    ++dimensions;
    current = &current->element_type();
  }
  return dimensions;
}

// The innermost element type of a (nested) LIST.
LogicalType ScalarElement(const LogicalType& type) {
  const LogicalType* current = &type;
  while (current->id() == TypeId::kList) {
    current = &current->element_type();
  }
  return *current;
}

// `type` with its innermost element replaced by `element`.
LogicalType WithScalarElement(const LogicalType& type, const LogicalType& element) {
  if (type.id() != TypeId::kList) {
    return element;
  }
  return LogicalType::List(WithScalarElement(type.element_type(), element));
}

bool IsComparison(std::string_view op) {
  return op == "=" || op == "<>" || op == "!=" || op == "<" || op == "<=" || op == ">" ||
         op == ">=";
}

// Splits a regclass name ('public.orders', '"Mixed".t') into its parts, folding unquoted
// parts to lower case as PostgreSQL does; empty when the text is no valid name.
std::vector<std::string> SplitQualifiedName(std::string_view text) {
  std::vector<std::string> parts(1);
  bool in_quotes = false;
  bool part_started = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        parts.back() += c;
      }
    } else if (c == '"') {
      in_quotes = true;
      part_started = true;
    } else if (c == '.') {
      if (!part_started) {
        return {};
      }
      parts.emplace_back();
      part_started = false;
    } else {
      parts.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      part_started = true;
    }
  }
  if (in_quotes || !part_started) {
    return {};
  }
  return parts;
}

}  // namespace

Result<Bound> Binder::Impl::BindArray(const parser::ArrayExpression& expr, QueryBlock& block,
                                      const LogicalType* target) {
  std::vector<Bound> elements;
  std::vector<LogicalType> types;
  for (const auto& element : expr.elements) {
    const LogicalType* element_target = nullptr;
    if (target != nullptr && target->id() == TypeId::kList) {
      element_target = &target->element_type();
    }
    Result<Bound> bound =
        element->kind == parser::ExpressionKind::kArray
            ? BindArray(element->As<parser::ArrayExpression>(), block, element_target)
            : Bind(*element, block);
    if (!bound.ok()) {
      return bound.status();
    }
    types.push_back(bound->type());
    elements.push_back(std::move(*bound));
  }
  Bound result;
  result.location = expr.location;
  if (elements.empty()) {
    if (target == nullptr || target->id() != TypeId::kList) {
      return Error(
          Status::InvalidArgument("cannot determine type of empty array").WithSqlState("42P18"),
          expr.location);
    }
    result.expr = Expression::Constant(Value::List(target->element_type(), {}));
    return result;
  }
  LogicalType element_type;
  bool all_unknown = std::all_of(elements.begin(), elements.end(),
                                 [](const Bound& element) { return element.is_unknown(); });
  if (all_unknown && target != nullptr && target->id() == TypeId::kList) {
    // ARRAY['1', '2']::int[] reads the literals as integers, as PostgreSQL does.
    element_type = target->element_type();
  } else {
    Result<LogicalType> common = CommonType(types, "ARRAY");
    if (!common.ok()) {
      return Error(common.status(), expr.location);
    }
    element_type = *common;
  }
  bool all_constant = true;
  std::vector<Bound> coerced;
  for (const Bound& element : elements) {
    Bound typed;
    typed.location = element.location;
    FLOE_ASSIGN_OR_RETURN(typed.expr, Coerce(element, element_type));
    all_constant = all_constant && typed.expr->kind() == execution::ExpressionKind::kConstant;
    coerced.push_back(std::move(typed));
  }
  if (all_constant && element_type.id() != TypeId::kList) {
    std::vector<Value> values;
    for (const Bound& element : coerced) {
      values.push_back(element.expr->value());
    }
    result.expr = Expression::Constant(Value::List(element_type, std::move(values)));
    return result;
  }
  return CallScalar("floe_array_build", std::move(coerced), expr.location);
}

Result<Bound> Binder::Impl::BindSubscript(const parser::SubscriptExpression& expr,
                                          QueryBlock& block) {
  // x[1][2] nests two nodes: collect them innermost first.
  std::vector<const parser::SubscriptExpression*> chain;
  const parser::Expression* base = &expr;
  while (base->kind == parser::ExpressionKind::kSubscript) {
    const auto& subscript = base->As<parser::SubscriptExpression>();
    chain.push_back(&subscript);
    base = subscript.operand.get();
  }
  std::reverse(chain.begin(), chain.end());
  FLOE_ASSIGN_OR_RETURN(Bound array, Bind(*base, block));
  if (array.is_unknown() || array.expr->type().id() != TypeId::kList) {
    std::string type = array.is_unknown() ? "unknown" : array.expr->type().ToString();
    return Error(Status::InvalidArgument(
                     "cannot subscript type {} because it does not support subscripting", type)
                     .WithSqlState("42804"),
                 expr.location);
  }
  int dimensions = Dimensions(array.expr->type());
  bool has_slice = std::any_of(chain.begin(), chain.end(),
                               [](const parser::SubscriptExpression* s) { return s->is_slice; });
  if (dimensions > 1 &&
      (has_slice ? chain.size() > 1 : chain.size() < static_cast<size_t>(dimensions))) {
    // PostgreSQL reads a multidimensional array's subscripts all at once (a[1] alone is NULL,
    // a[1:2][1:1] slices both dimensions); nested LISTs would answer differently.
    return Error(
        Status::NotSupported("subscripts of multidimensional arrays other than one per dimension"),
        expr.location);
  }
  Bound current = std::move(array);
  for (const parser::SubscriptExpression* subscript : chain) {
    if (current.expr->type().id() != TypeId::kList) {
      return Error(Status::InvalidArgument("cannot subscript type {} because it does not support "
                                           "subscripting",
                                           current.expr->type().ToString())
                       .WithSqlState("42804"),
                   subscript->location);
    }
    std::vector<Bound> args = {current};
    auto add_index = [&](const parser::ExpressionPtr& index, int32_t omitted) -> Status {
      Bound bound;
      if (index == nullptr) {
        bound.expr = Expression::Constant(Value::Integer(omitted));
      } else {
        FLOE_ASSIGN_OR_RETURN(Bound value, Bind(*index, block));
        if (!value.is_unknown() && value.expr->type().id() != TypeId::kInteger &&
            value.expr->type().id() != TypeId::kSmallInt &&
            value.expr->type().id() != TypeId::kBigInt) {
          return Error(Status::InvalidArgument("array subscript must have type integer")
                           .WithSqlState("42804"),
                       index->location);
        }
        bound.location = value.location;
        FLOE_ASSIGN_OR_RETURN(bound.expr, Coerce(value, LogicalType::Integer()));
      }
      args.push_back(std::move(bound));
      return Status::OK();
    };
    if (subscript->is_slice) {
      FLOE_RETURN_NOT_OK(add_index(subscript->index, 1));
      FLOE_RETURN_NOT_OK(add_index(subscript->upper, INT32_MAX));
      FLOE_ASSIGN_OR_RETURN(current,
                            CallScalar("floe_array_slice", std::move(args), subscript->location));
    } else {
      FLOE_RETURN_NOT_OK(add_index(subscript->index, 1));
      FLOE_ASSIGN_OR_RETURN(current,
                            CallScalar("floe_array_element", std::move(args), subscript->location));
    }
  }
  return current;
}

Result<Bound> Binder::Impl::BindQuantifiedArray(const parser::QuantifiedExpression& expr,
                                                QueryBlock& block) {
  bool is_all = expr.quantifier == parser::Quantifier::kAll;
  if (!IsComparison(expr.op)) {
    return Error(Status::NotSupported("operator {} with {} (array) is not supported", expr.op,
                                      is_all ? "ALL" : "ANY"),
                 expr.location);
  }
  FLOE_ASSIGN_OR_RETURN(Bound left, Bind(*expr.left, block));
  FLOE_ASSIGN_OR_RETURN(Bound array, Bind(*expr.array, block));
  if (array.is_unknown()) {
    // '{1,2}' is read as an array of the left side's type.
    LogicalType element = left.is_unknown() ? LogicalType::Varchar() : left.expr->type();
    Bound typed;
    typed.location = array.location;
    FLOE_ASSIGN_OR_RETURN(typed.expr, Coerce(array, LogicalType::List(element)));
    array = std::move(typed);
  }
  if (array.expr->type().id() != TypeId::kList) {
    return Error(Status::InvalidArgument("op ANY/ALL (array) requires array on right side")
                     .WithSqlState("42809"),
                 expr.location);
  }
  LogicalType element = ScalarElement(array.expr->type());
  std::vector<LogicalType> types = {left.type(), element};
  Result<LogicalType> common = CommonType(types, is_all ? "ALL" : "ANY");
  if (!common.ok()) {
    return Error(Status::NotFound("operator does not exist: {} {} {}",
                                  left.is_unknown() ? "unknown" : left.expr->type().ToString(),
                                  expr.op, element.ToString())
                     .WithSqlState("42883"),
                 expr.location);
  }
  std::vector<Bound> args(2);
  args[0].location = left.location;
  FLOE_ASSIGN_OR_RETURN(args[0].expr, Coerce(left, *common));
  args[1].location = array.location;
  FLOE_ASSIGN_OR_RETURN(args[1].expr,
                        Coerce(array, WithScalarElement(array.expr->type(), *common)));
  std::string name = std::string(is_all ? "floe_all " : "floe_any ") + expr.op;
  return CallScalar(name, std::move(args), expr.location);
}

Result<Bound> Binder::Impl::BindArraySubquery(const parser::ArraySubqueryExpression& expr,
                                              QueryBlock& block) {
  if (!block.allows_subqueries || block.plan == nullptr) {
    return Error(Status::NotSupported("subqueries in {} are not supported yet", block.clause),
                 expr.location);
  }
  FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr plan, BindSubqueryPlan(*expr.subquery, block));
  if (plan->columns.size() != 1) {
    return Error(Status::SyntaxError("subquery must return only one column").WithSqlState("42601"),
                 expr.location);
  }
  // array_agg over the subquery keeps its rows' order; decorrelation turns the aggregate of all
  // rows into one per correlation key, and an outer row meeting no key gets '{}' below.
  LogicalOperatorPtr copy = CloneLogicalPlan(*plan);
  LogicalColumn value = plan->columns[0];
  std::vector<LogicalType> value_types = {value.type};
  Result<AggregateFunction> array_agg = functions.ResolveAggregate("array_agg", value_types);
  if (!array_agg.ok()) {
    return Error(array_agg.status(), expr.location);
  }
  AggregateCall call;
  call.function = std::make_shared<const AggregateFunction>(std::move(*array_agg));
  call.arguments.push_back(Expression::ColumnRef(value.id, value.type, value.name));
  LogicalType list = call.function->return_type;
  LogicalColumn column = NewColumn("array", list);
  auto aggregate = std::make_unique<LogicalOperator>();
  aggregate->kind = LogicalKind::kAggregate;
  aggregate->aggregates.push_back(std::move(call));
  aggregate->columns.push_back(column);
  aggregate->estimate = plan->estimate;
  aggregate->children.push_back(std::move(plan));
  Result<int64_t> joined =
      JoinSubquery(block, std::move(aggregate), JoinType::kLeft, nullptr, expr.location);
  if (!joined.ok()) {
    if (joined.status().sql_state() != "0A000") {
      return joined.status();
    }
    // Not decorrelated by equalities: one array per distinct value of the outer columns read.
    std::vector<std::pair<ExpressionPtr, LogicalColumn>> keys;
    FLOE_ASSIGN_OR_RETURN(LogicalOperatorPtr per_value,
                          BindArraySubqueryPerValue(std::move(copy), block, expr.location, keys));
    column = per_value->columns.back();
    std::vector<ExpressionPtr> conditions;
    for (const auto& [outer, key] : keys) {
      conditions.push_back(Expression::IsDistinctFrom(
          outer, Expression::ColumnRef(key.id, key.type, key.name), true));
    }
    FLOE_RETURN_NOT_OK(JoinSubquery(block, std::move(per_value), JoinType::kLeft,
                                    MakeConjunction(std::move(conditions)), expr.location)
                           .status());
  }
  Bound bound;
  bound.location = expr.location;
  bound.expr = Expression::Coalesce({Expression::ColumnRef(column.id, list, column.name),
                                     Expression::Constant(Value::List(list.element_type(), {}))},
                                    list);
  return bound;
}

Result<Bound> Binder::Impl::BindRegCast(const parser::Expression& operand,
                                        const parser::TypeName& type_name, QueryBlock& block,
                                        int location) {
  const std::string& type = type_name.Name();
  if (type_name.array_dimensions > 0) {
    return Error(Status::NotSupported("arrays of type {} are not supported", type), location);
  }
  // 'name'::regclass::text names the object again, as PostgreSQL prints a regclass value.
  FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(operand, block));
  if (bound.unknown == Bound::Unknown::kLiteral) {
    const std::string& text = bound.text;
    Bound oid;
    oid.location = location;
    if (!text.empty() &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      // A number is taken as the OID itself.
      FLOE_ASSIGN_OR_RETURN(oid.expr, Coerce(bound, LogicalType::Integer()));
      return oid;
    }
    if (text == "-") {
      oid.expr = Expression::Constant(Value::Integer(0));
      return oid;
    }
    if (type == "regtype") {
      for (const PgType& pg_type : PgTypes()) {
        if (text == pg_type.name || text == pg_type.sql_name) {
          oid.expr = Expression::Constant(Value::Integer(pg_type.oid));
          return oid;
        }
      }
      return Error(Status::NotFound("type \"{}\" does not exist", text).WithSqlState("42704"),
                   location);
    }
    if (type == "regproc" || type == "regprocedure") {
      return Error(Status::NotFound("function \"{}\" does not exist", text).WithSqlState("42883"),
                   location);
    }
    std::vector<std::string> parts = SplitQualifiedName(text);
    Result<std::vector<RegObject>> objects = catalog.RegObjects(type);
    if (!objects.ok()) {
      return Error(objects.status(), location);
    }
    for (const RegObject& object : *objects) {
      bool matches = false;
      if (type == "regclass") {
        matches = parts.size() == 2 ? object.schema == parts[0] && object.name == parts[1]
                  : parts.size() == 1
                      ? object.name == parts[0] && object.printed.find('.') == std::string::npos
                      : false;
      } else {
        matches = parts.size() == 1 && object.name == parts[0];
      }
      if (matches) {
        oid.expr = Expression::Constant(Value::Integer(object.oid));
        return oid;
      }
    }
    if (type == "regclass") {
      return Error(Status::NotFound("relation \"{}\" does not exist", text).WithSqlState("42P01"),
                   location);
    }
    if (type == "regnamespace") {
      return Error(Status::NotFound("schema \"{}\" does not exist", text).WithSqlState("3F000"),
                   location);
    }
    return Error(Status::NotFound("role \"{}\" does not exist", text).WithSqlState("42704"),
                 location);
  }
  TypeId from = bound.type().id();
  if (from != TypeId::kInteger && from != TypeId::kSmallInt && from != TypeId::kBigInt &&
      from != TypeId::kNull) {
    return Error(Status::NotSupported("casts to {} from {} are not supported", type,
                                      bound.type().ToString()),
                 location);
  }
  FLOE_ASSIGN_OR_RETURN(ExpressionPtr oid, Coerce(bound, LogicalType::Integer()));
  return RegName(oid, type, location);
}

Result<Bound> Binder::Impl::RegName(const ExpressionPtr& oid, std::string_view type, int location) {
  Bound result;
  result.location = location;
  if (type == "regtype") {
    // A type OID prints as format_type() names it.
    std::vector<Bound> args(2);
    args[0].expr = oid;
    args[1].expr = Expression::Constant(Value::Null(LogicalType::Integer()));
    return CallScalar("format_type", std::move(args), location);
  }
  // The names are known when the statement is bound: a CASE over the OIDs. An OID naming
  // nothing prints as its number, and 0 as '-', as in PostgreSQL.
  std::vector<RegObject> objects;
  if (type != "regproc" && type != "regprocedure") {
    Result<std::vector<RegObject>> found = catalog.RegObjects(type);
    if (!found.ok()) {
      return Error(found.status(), location);
    }
    objects = std::move(*found);
  }
  std::vector<ExpressionPtr> whens;
  std::vector<ExpressionPtr> thens;
  auto add = [&](int32_t value, std::string text) -> Status {
    std::vector<Bound> pair(2);
    pair[0].expr = oid;
    pair[1].expr = Expression::Constant(Value::Integer(value));
    FLOE_ASSIGN_OR_RETURN(Bound equal, CallScalar("=", std::move(pair), location));
    whens.push_back(equal.expr);
    thens.push_back(Expression::Constant(Value::Varchar(std::move(text))));
    return Status::OK();
  };
  FLOE_RETURN_NOT_OK(add(0, "-"));
  for (const RegObject& object : objects) {
    FLOE_RETURN_NOT_OK(add(object.oid, object.printed));
  }
  result.expr =
      Expression::Case(std::move(whens), std::move(thens),
                       Expression::Cast(oid, LogicalType::Varchar()), LogicalType::Varchar());
  return result;
}

}  // namespace floe::sql::binder
