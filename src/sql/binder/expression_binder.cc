// Binding of scalar expressions: names, literals, operators, functions, CASE and friends.
#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

#include <fmt/ranges.h>

#include "sql/binder/binder_internal.h"
#include "sql/binder/expression_rewriter.h"
#include "sql/functions/type_coercion.h"
#include "types/cast.h"
#include "types/decimal.h"

namespace floe::sql::binder {
namespace {

using parser::ExpressionKind;
using types::LogicalType;
using types::TypeId;
using types::Value;

std::string_view LikeOperator(parser::LikeKind kind, bool negated) {
  switch (kind) {
    case parser::LikeKind::kLike:
      return negated ? "!~~" : "~~";
    case parser::LikeKind::kILike:
      return negated ? "!~~*" : "~~*";
    case parser::LikeKind::kSimilarTo:
      return negated ? "!similar" : "similar";
  }
  return "~~";
}

}  // namespace

Result<LogicalType> ResolveTypeName(const parser::TypeName& type) {
  if (type.array_dimensions > 0) {
    // Arrays are LISTs; int[][] a LIST of LISTs.
    parser::TypeName element = type;
    element.array_dimensions = 0;
    FLOE_ASSIGN_OR_RETURN(LogicalType result, ResolveTypeName(element));
    for (int i = 0; i < type.array_dimensions; ++i) {
      result = LogicalType::List(result);
    }
    return result;
  }
  const std::string& name = type.Name();
  if (name == "int2vector" || name == "oidvector") {
    return LogicalType::List(name == "oidvector" ? LogicalType::Integer()
                                                 : LogicalType::SmallInt());
  }
  // Floe's catalog OIDs all fit in an integer (docs/sql.md, "Catalog views").
  if (name == "integer" || name == "int4" || name == "oid" || name == "regclass" ||
      name == "regnamespace" || name == "regrole" || name == "regtype" || name == "regproc" ||
      name == "regprocedure") {
    return LogicalType::Integer();
  }
  if (name == "bigint" || name == "int8") {
    return LogicalType::BigInt();
  }
  if (name == "smallint" || name == "int2") {
    return LogicalType::SmallInt();
  }
  if (name == "real" || name == "float4") {
    return LogicalType::Real();
  }
  if (name == "double precision" || name == "float8") {
    return LogicalType::Double();
  }
  if (name == "numeric" || name == "decimal") {
    if (type.modifiers.empty()) {
      // PostgreSQL's unconstrained numeric keeps every digit; the widest DECIMAL with room for
      // fractions is the closest fixed type.
      return LogicalType::Decimal(38, 10);
    }
    int precision = type.modifiers[0];
    int scale = type.modifiers.size() > 1 ? type.modifiers[1] : 0;
    Result<LogicalType> decimal = LogicalType::Decimal(precision, scale);
    if (!decimal.ok()) {
      return Status::InvalidArgument("NUMERIC precision {} must be between 1 and 38", precision)
          .WithSqlState("22023");
    }
    return decimal;
  }
  if (name == "text" || name == "character varying" || name == "varchar" || name == "character" ||
      name == "bpchar" || name == "name") {
    return LogicalType::Varchar();
  }
  if (name == "boolean" || name == "bool") {
    return LogicalType::Boolean();
  }
  if (name == "date") {
    return LogicalType::Date();
  }
  if (name == "time without time zone" || name == "time") {
    return LogicalType::Time();
  }
  if (name == "timestamp without time zone" || name == "timestamp") {
    return LogicalType::Timestamp();
  }
  if (name == "timestamp with time zone" || name == "timestamptz") {
    return LogicalType::TimestampTz();
  }
  if (name == "interval") {
    return LogicalType::Interval();
  }
  if (name == "bytea") {
    return LogicalType::Bytea();
  }
  if (name == "uuid") {
    return LogicalType::Uuid();
  }
  if (name == "json" || name == "jsonb" || name == "time with time zone" || name == "money") {
    return Status::NotSupported("type {} is not supported yet", name);
  }
  return Status::NotFound("type \"{}\" does not exist", name).WithSqlState("42704");
}

Result<ExpressionPtr> Binder::Impl::Coerce(const Bound& bound, const LogicalType& type) {
  switch (bound.unknown) {
    case Bound::Unknown::kNull:
      return Expression::Constant(Value::Null(type));
    case Bound::Unknown::kLiteral: {
      Result<Value> value = types::CastValue(Value::Varchar(bound.text), type, *time_zone);
      if (!value.ok()) {
        return Error(value.status(), bound.location);
      }
      return Expression::Constant(std::move(*value));
    }
    case Bound::Unknown::kParameter: {
      size_t index = static_cast<size_t>(bound.parameter - 1);
      if (parameter_types.size() <= index) {
        parameter_types.resize(index + 1);
      }
      if (parameter_types[index].id() == TypeId::kNull) {
        parameter_types[index] = type;
      }
      ExpressionPtr parameter = Expression::Parameter(bound.parameter, parameter_types[index]);
      if (parameter_types[index] == type) {
        return parameter;
      }
      return Expression::Cast(parameter, type);
    }
    case Bound::Unknown::kNone:
      break;
  }
  const ExpressionPtr& expr = bound.expr;
  if (expr->type() == type) {
    return expr;
  }
  if (!types::CanCast(expr->type(), type)) {
    return Error(
        Status::InvalidCast("cannot cast type {} to {}", expr->type().ToString(), type.ToString())
            .WithSqlState("42846"),
        bound.location);
  }
  if (expr->kind() == execution::ExpressionKind::kConstant) {
    Result<Value> value = types::CastValue(expr->value(), type, *time_zone);
    if (!value.ok()) {
      return Error(value.status(), bound.location);
    }
    return Expression::Constant(std::move(*value));
  }
  return Expression::Cast(expr, type);
}

Result<ExpressionPtr> Binder::Impl::Finalize(const Bound& bound) {
  if (bound.is_unknown()) {
    return Coerce(bound, LogicalType::Varchar());
  }
  return bound.expr;
}

Result<ExpressionPtr> Binder::Impl::BindValue(const parser::Expression& expr, QueryBlock& block) {
  FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(expr, block));
  return Finalize(bound);
}

Result<ExpressionPtr> Binder::Impl::BindCondition(const parser::Expression& expr, QueryBlock& block,
                                                  std::string_view clause) {
  FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(expr, block));
  if (!bound.is_unknown() && bound.expr->type().id() != TypeId::kBoolean) {
    return Error(Status::InvalidArgument("argument of {} must be type boolean, not type {}", clause,
                                         bound.expr->type().ToString())
                     .WithSqlState("42804"),
                 expr.location);
  }
  return Coerce(bound, LogicalType::Boolean());
}

Result<std::vector<ExpressionPtr>> Binder::Impl::CoerceToCommon(std::vector<Bound> args,
                                                                std::string_view context,
                                                                int location, LogicalType* common) {
  std::vector<LogicalType> types;
  for (const Bound& arg : args) {
    types.push_back(arg.type());
  }
  Result<LogicalType> type = CommonType(types, context);
  if (!type.ok()) {
    return Error(type.status(), location);
  }
  std::vector<ExpressionPtr> coerced;
  for (const Bound& arg : args) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr expr, Coerce(arg, *type));
    coerced.push_back(std::move(expr));
  }
  if (common != nullptr) {
    *common = *type;
  }
  return coerced;
}

Result<Bound> Binder::Impl::CallScalar(std::string_view name, std::vector<Bound> args,
                                       int location) {
  std::vector<LogicalType> types;
  for (const Bound& arg : args) {
    types.push_back(arg.type());
  }
  // Constant arguments are passed along because a few result types depend on them: extract's
  // numeric scale comes from its field ('year' has scale 0, 'second' scale 6).
  std::vector<types::Value> constants;
  for (const Bound& arg : args) {
    if (arg.unknown == Bound::Unknown::kLiteral) {
      constants.push_back(types::Value::Varchar(arg.text));
    } else if (!arg.is_unknown() && arg.expr->kind() == execution::ExpressionKind::kConstant) {
      constants.push_back(arg.expr->value());
    } else {
      constants.push_back(types::Value::Null(LogicalType::Null()));
    }
  }
  Result<ScalarFunction> function = functions.ResolveScalar(name, types, constants);
  if (!function.ok()) {
    return Error(function.status(), location);
  }
  std::vector<ExpressionPtr> arguments;
  for (size_t i = 0; i < args.size(); ++i) {
    const LogicalType& target =
        i < function->argument_types.size() ? function->argument_types[i] : args[i].type();
    if (target.id() == TypeId::kNull) {
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, Finalize(args[i]));
      arguments.push_back(std::move(value));
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, Coerce(args[i], target));
    arguments.push_back(std::move(value));
  }
  Bound bound;
  bound.expr = Expression::Function(std::make_shared<const ScalarFunction>(std::move(*function)),
                                    std::move(arguments));
  bound.location = location;
  return bound;
}

Result<Bound> Binder::Impl::BindOperator(std::string_view op, std::vector<Bound> args,
                                         int location) {
  bool all_literals = std::all_of(args.begin(), args.end(), [](const Bound& arg) {
    return arg.unknown == Bound::Unknown::kLiteral;
  });
  if (args.size() == 2) {
    // An untyped literal against an array is read as an array of that type: a = '{1,2}'.
    for (size_t side = 0; side < 2; ++side) {
      const Bound& other = args[1 - side];
      if (args[side].unknown == Bound::Unknown::kLiteral && !other.is_unknown() &&
          other.expr->type().id() == TypeId::kList) {
        Bound typed;
        typed.location = args[side].location;
        FLOE_ASSIGN_OR_RETURN(typed.expr, Coerce(args[side], other.expr->type()));
        args[side] = std::move(typed);
      }
    }
    // || with an array is PostgreSQL's array_cat, array_append or array_prepend.
    auto is_list = [](const Bound& arg) {
      return !arg.is_unknown() && arg.expr->type().id() == TypeId::kList;
    };
    if (op == "||" && (is_list(args[0]) || is_list(args[1]))) {
      std::string_view function = !is_list(args[1])   ? "array_append"
                                  : !is_list(args[0]) ? "array_prepend"
                                                      : "array_cat";
      return CallScalar(function, std::move(args), location);
    }
  }
  Result<Bound> bound = CallScalar(op, args, location);
  // Untyped string literals on every side prefer the string category (PostgreSQL's operator
  // resolution, step 3c): 'a' || 'b' is text || text.
  if (!bound.ok() && all_literals && bound.status().sql_state() == "42725") {
    std::vector<Bound> typed;
    for (const Bound& arg : args) {
      Bound text;
      text.location = arg.location;
      FLOE_ASSIGN_OR_RETURN(text.expr, Coerce(arg, LogicalType::Varchar()));
      typed.push_back(std::move(text));
    }
    return CallScalar(op, std::move(typed), location);
  }
  return bound;
}

Result<Bound> Binder::Impl::BindColumnRef(const parser::ColumnRefExpression& ref,
                                          QueryBlock& block) {
  const parser::QualifiedName& names = ref.names;
  if (names.size() > 3) {
    return Error(Status::NotSupported("improper qualified name (too many dotted names): {}",
                                      fmt::join(names, "."))
                     .WithSqlState("42601"),
                 ref.location);
  }
  const std::string& column = names.back();
  std::string table = names.size() >= 2 ? names[names.size() - 2] : "";
  bool table_seen = table.empty();
  for (const Scope* scope = &block.scope; scope != nullptr; scope = scope->parent) {
    const ScopeEntry* found = nullptr;
    bool scope_has_table = !table.empty() && std::find(scope->tables.begin(), scope->tables.end(),
                                                       table) != scope->tables.end();
    table_seen = table_seen || scope_has_table;
    for (const ScopeEntry& entry : scope->entries) {
      bool matches = table.empty() ? (!entry.hidden_unqualified && entry.name == column)
                                   : (entry.table == table && entry.name == column);
      if (!matches) {
        continue;
      }
      if (found != nullptr && found->id != entry.id) {
        std::string shown = table.empty() ? column : table + "." + column;
        return Error(Status::InvalidArgument("column reference \"{}\" is ambiguous", shown)
                         .WithSqlState("42702"),
                     ref.location);
      }
      found = &entry;
    }
    if (found != nullptr) {
      column_locations[found->id] = ref.location;
      Bound bound;
      bound.expr = Expression::ColumnRef(found->id, found->type, found->name);
      bound.location = ref.location;
      return bound;
    }
    if (scope_has_table) {
      return Error(
          Status::NotFound("column {}.{} does not exist", table, column).WithSqlState("42703"),
          ref.location);
    }
  }
  if (!table_seen) {
    return Error(
        Status::NotFound("missing FROM-clause entry for table \"{}\"", table).WithSqlState("42P01"),
        ref.location);
  }
  return Error(Status::NotFound("column \"{}\" does not exist", column).WithSqlState("42703"),
               ref.location);
}

Result<Bound> Binder::Impl::BindConstant(const parser::ConstantExpression& expr) {
  Bound bound;
  bound.location = expr.location;
  switch (expr.constant_kind) {
    case parser::ConstantKind::kNull:
      bound.unknown = Bound::Unknown::kNull;
      bound.expr = Expression::Constant(Value::Null(LogicalType::Varchar()));
      return bound;
    case parser::ConstantKind::kBoolean:
      bound.expr = Expression::Constant(Value::Boolean(expr.bool_value));
      return bound;
    case parser::ConstantKind::kString:
      bound.unknown = Bound::Unknown::kLiteral;
      bound.text = expr.text;
      bound.expr = Expression::Constant(Value::Varchar(expr.text));
      return bound;
    case parser::ConstantKind::kInteger: {
      int64_t value = 0;
      const std::string& text = expr.text;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (error == std::errc() && end == text.data() + text.size()) {
        bound.expr = value >= INT32_MIN && value <= INT32_MAX
                         ? Expression::Constant(Value::Integer(static_cast<int32_t>(value)))
                         : Expression::Constant(Value::BigInt(value));
        return bound;
      }
      int digits = static_cast<int>(text.size()) - (text[0] == '-' ? 1 : 0);
      if (digits > types::LogicalType::kMaxDecimalPrecision) {
        return Error(Status::NotSupported("numeric literal {} has more than 38 digits", text),
                     expr.location);
      }
      FLOE_ASSIGN_OR_RETURN(types::Int128 unscaled, types::ParseDecimal(text, digits, 0));
      bound.expr = Expression::Constant(Value::Decimal(unscaled, digits, 0));
      return bound;
    }
    case parser::ConstantKind::kNumeric: {
      const std::string& text = expr.text;
      if (text.find_first_of("eE") != std::string::npos) {
        double value = std::strtod(text.c_str(), nullptr);
        bound.expr = Expression::Constant(Value::Double(value));
        return bound;
      }
      size_t point = text.find('.');
      int integer_digits = 0;
      int scale = 0;
      bool leading = true;
      for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c < '0' || c > '9') {
          continue;
        }
        if (point != std::string::npos && i > point) {
          ++scale;
        } else if (!(leading && c == '0')) {
          leading = false;
          ++integer_digits;
        }
      }
      int precision = std::max(1, integer_digits + scale);
      if (precision > types::LogicalType::kMaxDecimalPrecision) {
        double value = std::strtod(text.c_str(), nullptr);
        bound.expr = Expression::Constant(Value::Double(value));
        return bound;
      }
      Result<types::Int128> unscaled = types::ParseDecimal(text, precision, scale);
      if (!unscaled.ok()) {
        return Error(unscaled.status(), expr.location);
      }
      bound.expr = Expression::Constant(Value::Decimal(*unscaled, precision, scale));
      return bound;
    }
  }
  return Status::Internal("unknown constant");
}

Result<Bound> Binder::Impl::BindCast(const parser::Expression& operand,
                                     const parser::TypeName& type_name, QueryBlock& block,
                                     int location) {
  static constexpr std::string_view kRegTypes[] = {"regclass", "regnamespace", "regrole",
                                                   "regtype",  "regproc",      "regprocedure"};
  if (std::find(std::begin(kRegTypes), std::end(kRegTypes), type_name.Name()) !=
      std::end(kRegTypes)) {
    return BindRegCast(operand, type_name, block, location);
  }
  Result<LogicalType> type = ResolveTypeName(type_name);
  if (!type.ok()) {
    return Error(type.status(), type_name.location);
  }
  Bound bound;
  if (operand.kind == ExpressionKind::kArray) {
    FLOE_ASSIGN_OR_RETURN(bound, BindArray(operand.As<parser::ArrayExpression>(), block, &*type));
  } else if (operand.kind == ExpressionKind::kCast && type->id() == TypeId::kVarchar &&
             std::find(std::begin(kRegTypes), std::end(kRegTypes),
                       operand.As<parser::CastExpression>().type.Name()) != std::end(kRegTypes)) {
    // 'orders'::regclass::text prints the name again.
    const auto& inner = operand.As<parser::CastExpression>();
    FLOE_ASSIGN_OR_RETURN(Bound oid, BindRegCast(*inner.operand, inner.type, block, location));
    if (oid.expr->type().id() != TypeId::kInteger) {
      return oid;
    }
    return RegName(oid.expr, inner.type.Name(), location);
  } else {
    FLOE_ASSIGN_OR_RETURN(bound, Bind(operand, block));
  }
  Bound result;
  result.location = location;
  FLOE_ASSIGN_OR_RETURN(result.expr, Coerce(bound, *type));
  return result;
}

// As PostgreSQL: the first schema of the search path that exists, NULL when none does.
Result<Bound> Binder::Impl::BindCurrentSchema(int location) {
  Result<std::vector<std::string>> path = catalog.ExistingSearchPath();
  if (!path.ok()) {
    return Error(path.status(), location);
  }
  Bound bound;
  bound.location = location;
  bound.expr = Expression::Constant(path->empty() ? Value::Null(LogicalType::Varchar())
                                                  : Value::Varchar(path->front()));
  return bound;
}

Result<Bound> Binder::Impl::BindSqlValueFunction(const parser::SqlValueFunctionExpression& expr) {
  Bound bound;
  bound.location = expr.location;
  switch (expr.function) {
    case parser::SqlValueFunction::kCurrentRole:
    case parser::SqlValueFunction::kCurrentUser:
    case parser::SqlValueFunction::kSessionUser:
    case parser::SqlValueFunction::kUser:
      bound.expr = Expression::Constant(Value::Varchar(catalog.CurrentUser()));
      return bound;
    case parser::SqlValueFunction::kCurrentCatalog:
      bound.expr = Expression::Constant(Value::Varchar("floe"));
      return bound;
    case parser::SqlValueFunction::kCurrentSchema:
      return BindCurrentSchema(expr.location);
    case parser::SqlValueFunction::kCurrentDate:
      return CallScalar("current_date", {}, expr.location);
    case parser::SqlValueFunction::kCurrentTimestamp:
      return CallScalar("now", {}, expr.location);
    case parser::SqlValueFunction::kLocalTimestamp:
      return CallScalar("localtimestamp", {}, expr.location);
    case parser::SqlValueFunction::kCurrentTime:
    case parser::SqlValueFunction::kLocalTime:
      return Error(Status::NotSupported("CURRENT_TIME and LOCALTIME are not supported yet"),
                   expr.location);
  }
  return Status::Internal("unknown SQL value function");
}

Result<Bound> Binder::Impl::BindCase(const parser::CaseExpression& expr, QueryBlock& block) {
  std::optional<Bound> operand;
  if (expr.operand != nullptr) {
    FLOE_ASSIGN_OR_RETURN(operand, Bind(*expr.operand, block));
  }
  std::vector<ExpressionPtr> whens;
  std::vector<Bound> results;
  for (const auto& clause : expr.when_clauses) {
    if (operand.has_value()) {
      FLOE_ASSIGN_OR_RETURN(Bound value, Bind(*clause.condition, block));
      FLOE_ASSIGN_OR_RETURN(Bound equal,
                            BindOperator("=", {*operand, value}, clause.condition->location));
      whens.push_back(equal.expr);
    } else {
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition,
                            BindCondition(*clause.condition, block, "CASE/WHEN"));
      whens.push_back(condition);
    }
    FLOE_ASSIGN_OR_RETURN(Bound result, Bind(*clause.result, block));
    results.push_back(std::move(result));
  }
  if (expr.else_result != nullptr) {
    FLOE_ASSIGN_OR_RETURN(Bound otherwise, Bind(*expr.else_result, block));
    results.push_back(std::move(otherwise));
  } else {
    Bound null;
    null.unknown = Bound::Unknown::kNull;
    null.expr = Expression::Constant(Value::Null(LogicalType::Varchar()));
    results.push_back(null);
  }
  LogicalType type;
  FLOE_ASSIGN_OR_RETURN(std::vector<ExpressionPtr> values,
                        CoerceToCommon(std::move(results), "CASE", expr.location, &type));
  ExpressionPtr otherwise = values.back();
  values.pop_back();
  Bound bound;
  bound.location = expr.location;
  bound.expr = Expression::Case(std::move(whens), std::move(values), otherwise, type);
  return bound;
}

Result<Bound> Binder::Impl::BindConditional(const parser::ConditionalExpression& expr,
                                            QueryBlock& block) {
  std::vector<Bound> args;
  for (const auto& argument : expr.arguments) {
    FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(*argument, block));
    args.push_back(std::move(bound));
  }
  Bound bound;
  bound.location = expr.location;
  switch (expr.conditional_kind) {
    case parser::ConditionalKind::kCoalesce: {
      LogicalType type;
      FLOE_ASSIGN_OR_RETURN(std::vector<ExpressionPtr> values,
                            CoerceToCommon(std::move(args), "COALESCE", expr.location, &type));
      bound.expr = Expression::Coalesce(std::move(values), type);
      return bound;
    }
    case parser::ConditionalKind::kNullIf: {
      // NULLIF(a, b) is CASE WHEN a = b THEN NULL ELSE a END, typed as a.
      FLOE_ASSIGN_OR_RETURN(Bound equal, BindOperator("=", args, expr.location));
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, Finalize(args[0]));
      if (!args[0].is_unknown() || args[0].unknown == Bound::Unknown::kNull) {
        FLOE_ASSIGN_OR_RETURN(value, Coerce(args[0], args[0].is_unknown() ? LogicalType::Varchar()
                                                                          : args[0].expr->type()));
      }
      bound.expr = Expression::Case(
          {equal.expr}, {Expression::Constant(Value::Null(value->type()))}, value, value->type());
      return bound;
    }
    case parser::ConditionalKind::kGreatest:
    case parser::ConditionalKind::kLeast: {
      std::string_view name =
          expr.conditional_kind == parser::ConditionalKind::kGreatest ? "greatest" : "least";
      LogicalType type;
      FLOE_ASSIGN_OR_RETURN(
          std::vector<ExpressionPtr> values,
          CoerceToCommon(std::move(args), name == "greatest" ? "GREATEST" : "LEAST", expr.location,
                         &type));
      std::vector<Bound> typed;
      for (ExpressionPtr& value : values) {
        Bound item;
        item.expr = std::move(value);
        typed.push_back(std::move(item));
      }
      return CallScalar(name, std::move(typed), expr.location);
    }
  }
  return Status::Internal("unknown conditional expression");
}

namespace {

// agg(x) FILTER (WHERE c) is agg(CASE WHEN c THEN x END) for aggregates that skip NULLs (and
// without DISTINCT, where the NULL would meet the distinct values of other rows).
bool FilterRewritesToNull(std::string_view name, bool is_distinct) {
  static constexpr std::string_view kSkipNulls[] = {
      "count",       "sum",        "avg",      "min",        "max",
      "bool_and",    "bool_or",    "every",    "string_agg", "stddev",
      "stddev_samp", "stddev_pop", "variance", "var_samp",   "var_pop"};
  return !is_distinct &&
         std::find(std::begin(kSkipNulls), std::end(kSkipNulls), name) != std::end(kSkipNulls);
}

AggregateOrderKey OrderKey(const parser::OrderByItem& item, size_t column) {
  AggregateOrderKey key;
  key.column = column;
  key.is_descending = item.direction == parser::SortDirection::kDescending;
  key.is_nulls_first = item.nulls == parser::NullsOrder::kDefault
                           ? key.is_descending
                           : item.nulls == parser::NullsOrder::kFirst;
  return key;
}

}  // namespace

Status Binder::Impl::BindWithinGroupKeys(const parser::FunctionCallExpression& call,
                                         size_t num_direct, AggregateCall& aggregate) {
  // PostgreSQL evaluates direct arguments once per group, so they may read only grouped
  // columns; here they may read none (constants and parameters), which every row agrees on.
  for (size_t i = 0; i < num_direct; ++i) {
    if (!aggregate.arguments[i]->IsColumnFree()) {
      return Error(Status::NotSupported(
                       "direct arguments of ordered-set aggregate {} that read columns are not "
                       "supported",
                       call.names.back()),
                   call.arguments[i].value->location);
    }
  }
  for (size_t k = 0; k < call.order_by.size(); ++k) {
    aggregate.order_by.push_back(OrderKey(call.order_by[k], num_direct + k));
  }
  return Status::OK();
}

Status Binder::Impl::BindAggregateOrderBy(const parser::FunctionCallExpression& call,
                                          const std::vector<Bound>& args,
                                          const std::vector<Bound>& keys,
                                          AggregateCall& aggregate) {
  // Order-insensitive aggregates ignore their ORDER BY, once it has been checked.
  const bool is_sorted = IsOrderSensitiveAggregate(call.names.back());
  for (size_t k = 0; k < keys.size(); ++k) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr key, Finalize(keys[k]));
    std::optional<size_t> column;
    for (size_t i = 0; i < args.size() && !column.has_value(); ++i) {
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr argument, Finalize(args[i]));
      if (key->Equals(*argument) || key->Equals(*aggregate.arguments[i])) {
        column = i;
      }
    }
    if (call.is_distinct && !column.has_value()) {
      return Error(Status::InvalidArgument("in an aggregate with DISTINCT, ORDER BY expressions "
                                           "must appear in argument list")
                       .WithSqlState("42P10"),
                   call.order_by[k].expression->location);
    }
    if (!is_sorted) {
      continue;
    }
    if (!column.has_value()) {
      column = aggregate.arguments.size();
      aggregate.arguments.push_back(std::move(key));
      ++aggregate.num_sort_only_arguments;
    }
    aggregate.order_by.push_back(OrderKey(call.order_by[k], *column));
  }
  return Status::OK();
}

Status Binder::Impl::ApplyAggregateFilter(const parser::FunctionCallExpression& call,
                                          const ExpressionPtr& filter, AggregateFunction& function,
                                          std::vector<ExpressionPtr>& arguments) {
  const std::string& name = call.names.back();
  // agg(x) FILTER (WHERE c) is agg(CASE WHEN c THEN x END) for aggregates that skip NULLs;
  // count(*) FILTER (WHERE c) is count(CASE WHEN c THEN 1 END).
  if (!FilterRewritesToNull(name, call.is_distinct)) {
    return Error(Status::NotSupported("FILTER on {} is not supported yet", name),
                 call.filter->location);
  }
  if (arguments.empty()) {
    std::vector<LogicalType> one = {LogicalType::Integer()};
    Result<AggregateFunction> counted = functions.ResolveAggregate(name, one);
    if (!counted.ok()) {
      return Error(counted.status(), call.location);
    }
    function = std::move(*counted);
    arguments.push_back(Expression::Constant(types::Value::Integer(1)));
  }
  ExpressionPtr first = arguments[0];
  arguments[0] = Expression::Case({filter}, {first},
                                  Expression::Constant(Value::Null(first->type())), first->type());
  return Status::OK();
}

Result<Bound> Binder::Impl::BindAggregateReference(const parser::FunctionCallExpression& call,
                                                   QueryBlock& block) {
  AggregateState& state = block.aggregates;
  auto found = state.calls.find(&call);
  if (found != state.calls.end()) {
    Bound bound;
    bound.expr = found->second;
    bound.location = call.location;
    return bound;
  }
  if (state.active || block.clause != "aggregate function calls") {
    std::string_view clause = block.clause;
    if (clause == "aggregate arguments") {
      return Error(Status::InvalidArgument("aggregate function calls cannot be nested")
                       .WithSqlState("42803"),
                   call.location);
    }
    return Error(Status::InvalidArgument("aggregate functions are not allowed in {}", clause)
                     .WithSqlState("42803"),
                 call.location);
  }
  if (call.is_variadic) {
    return Error(Status::NotSupported("VARIADIC in aggregate calls is not supported"),
                 call.location);
  }
  const std::string& name = call.names.back();
  AggregateCall aggregate;
  std::vector<LogicalType> types;
  std::vector<Bound> args;
  std::vector<Bound> keys;  // ORDER BY or WITHIN GROUP expressions.
  bool saved_subqueries = block.allows_subqueries;
  block.allows_subqueries = false;
  block.clause = "aggregate arguments";
  auto bind_inputs = [&]() -> Status {
    for (const auto& argument : call.arguments) {
      FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(*argument.value, block));
      types.push_back(bound.type());
      args.push_back(std::move(bound));
    }
    for (const auto& item : call.order_by) {
      FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(*item.expression, block));
      keys.push_back(std::move(bound));
    }
    return Status::OK();
  };
  Status bound_inputs = bind_inputs();
  block.allows_subqueries = saved_subqueries;
  block.clause = "aggregate function calls";
  FLOE_RETURN_NOT_OK(bound_inputs);
  const bool is_ordered_set = IsOrderedSetAggregate(name);
  if (call.is_within_group) {
    // An ordered-set aggregate's signature lists its direct arguments, then its sorted ones.
    for (const Bound& key : keys) {
      types.push_back(key.type());
    }
  }
  Result<AggregateFunction> function = functions.ResolveAggregate(name, types);
  if (!function.ok()) {
    return Error(function.status(), call.location);
  }
  if (call.is_within_group && !is_ordered_set) {
    return Error(Status::InvalidArgument(
                     "{} is not an ordered-set aggregate, so it cannot have WITHIN GROUP", name)
                     .WithSqlState("42809"),
                 call.location);
  }
  if (!call.is_within_group && is_ordered_set) {
    return Error(
        Status::InvalidArgument("WITHIN GROUP is required for ordered-set aggregate {}", name)
            .WithSqlState("42809"),
        call.location);
  }
  const size_t num_direct = args.size();
  if (call.is_within_group) {
    for (Bound& key : keys) {
      args.push_back(std::move(key));
    }
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const LogicalType& target =
        i < function->argument_types.size() ? function->argument_types[i] : args[i].type();
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr value, target.id() == TypeId::kNull
                                                   ? Finalize(args[i])
                                                   : Coerce(args[i], target));
    aggregate.arguments.push_back(std::move(value));
  }
  aggregate.is_distinct = call.is_distinct;
  aggregate.is_within_group = call.is_within_group;
  if (call.is_within_group) {
    FLOE_RETURN_NOT_OK(BindWithinGroupKeys(call, num_direct, aggregate));
  } else {
    FLOE_RETURN_NOT_OK(BindAggregateOrderBy(call, args, keys, aggregate));
  }
  if (call.filter != nullptr) {
    block.clause = "aggregate arguments";
    Result<ExpressionPtr> filter = BindCondition(*call.filter, block, "FILTER");
    block.clause = "aggregate function calls";
    if (!filter.ok()) {
      return filter.status();
    }
    // Sorted calls, DISTINCT ones and aggregates that keep NULLs leave their rows out with
    // the filter itself; the others read a NULL for a filtered row.
    if (!aggregate.order_by.empty() || !FilterRewritesToNull(name, call.is_distinct)) {
      aggregate.filter = *filter;
    } else {
      FLOE_RETURN_NOT_OK(ApplyAggregateFilter(call, *filter, *function, aggregate.arguments));
    }
  }
  LogicalType return_type = function->return_type;
  aggregate.function = std::make_shared<const AggregateFunction>(std::move(*function));
  // Identical calls (sum(x) twice) share one column.
  for (size_t i = 0; i < state.pending_calls.size(); ++i) {
    const AggregateCall& other = state.pending_calls[i];
    bool same = other.function->name == aggregate.function->name &&
                other.is_distinct == aggregate.is_distinct &&
                other.order_by == aggregate.order_by &&
                other.num_sort_only_arguments == aggregate.num_sort_only_arguments &&
                other.arguments.size() == aggregate.arguments.size() &&
                execution::ExpressionsEqual(other.filter, aggregate.filter);
    for (size_t a = 0; same && a < other.arguments.size(); ++a) {
      same = other.arguments[a]->Equals(*aggregate.arguments[a]);
    }
    if (same) {
      const LogicalColumn& column = state.pending_columns[i];
      state.calls[&call] = Expression::ColumnRef(column.id, column.type, column.name);
      return BindAggregateReference(call, block);
    }
  }
  LogicalColumn column = NewColumn(name, return_type);
  state.pending_calls.push_back(std::move(aggregate));
  state.pending_columns.push_back(column);
  state.calls[&call] = Expression::ColumnRef(column.id, column.type, column.name);
  return BindAggregateReference(call, block);
}

Result<Bound> Binder::Impl::BindFunction(const parser::FunctionCallExpression& call,
                                         QueryBlock& block) {
  if (call.over != nullptr) {
    return BindWindowReference(call, block);
  }
  if (call.names.size() > 2 || (call.names.size() == 2 && call.names[0] != "pg_catalog")) {
    return Error(Status::NotFound("function {} does not exist", fmt::join(call.names, "."))
                     .WithSqlState("42883"),
                 call.location);
  }
  if (IsAggregateCall(call)) {
    return BindAggregateReference(call, block);
  }
  if (IsWindowOnlyFunction(call.names.back())) {
    return Error(
        Status::InvalidArgument("window function {} requires an OVER clause", call.names.back())
            .WithSqlState("42809"),
        call.location);
  }
  if (call.names.back() == "grouping") {
    return BindGroupingFunction(call, block);
  }
  if (call.is_distinct || call.filter != nullptr || !call.order_by.empty() || call.is_star) {
    return Error(Status::InvalidArgument("{} is not an aggregate function", call.names.back())
                     .WithSqlState("42809"),
                 call.location);
  }
  std::vector<Bound> args;
  for (const auto& argument : call.arguments) {
    if (!argument.name.empty()) {
      return Error(Status::NotSupported("named arguments are not supported yet"),
                   argument.value->location);
    }
    FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(*argument.value, block));
    args.push_back(std::move(bound));
  }
  if (call.names.back() == "unnest") {
    return Error(Status::NotSupported("unnest outside FROM (set-returning functions in "
                                      "expressions) is not supported yet"),
                 call.location);
  }
  if (call.names.back() == "current_schema" && args.empty()) {
    return BindCurrentSchema(call.location);
  }
  if (call.names.back() == "current_schemas" && args.size() == 1) {
    // The search path's existing schemas, after pg_catalog when the argument is true, as
    // PostgreSQL lists them; known when the statement is bound.
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr include_implicit, Coerce(args[0], LogicalType::Boolean()));
    Result<std::vector<std::string>> path = catalog.ExistingSearchPath();
    if (!path.ok()) {
      return Error(path.status(), call.location);
    }
    std::vector<Value> explicit_schemas;
    for (const std::string& schema : *path) {
      explicit_schemas.push_back(Value::Varchar(schema));
    }
    std::vector<Value> all_schemas = {Value::Varchar("pg_catalog")};
    all_schemas.insert(all_schemas.end(), explicit_schemas.begin(), explicit_schemas.end());
    LogicalType list = LogicalType::List(LogicalType::Varchar());
    Bound result;
    result.location = call.location;
    result.expr = Expression::Case(
        {include_implicit},
        {Expression::Constant(Value::List(LogicalType::Varchar(), std::move(all_schemas)))},
        Expression::Constant(Value::List(LogicalType::Varchar(), std::move(explicit_schemas))),
        list);
    // NULL in, NULL out.
    result.expr =
        Expression::Case({Expression::Test(execution::ExpressionKind::kIsNull, include_implicit)},
                         {Expression::Constant(Value::Null(list))}, result.expr, list);
    return result;
  }
  if (call.names.back() == "pg_table_is_visible" && args.size() == 1) {
    // True for relations the search path reaches by their bare name, false for the others, NULL
    // for an OID that names no relation, as in PostgreSQL; known when the statement is bound.
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr oid, Coerce(args[0], LogicalType::Integer()));
    Result<std::vector<std::pair<int32_t, bool>>> relations = catalog.RelationVisibility();
    if (!relations.ok()) {
      return Error(relations.status(), call.location);
    }
    std::vector<ExpressionPtr> lists[2];
    for (const auto& [relation_oid, is_visible] : *relations) {
      lists[is_visible ? 1 : 0].push_back(Expression::Constant(Value::Integer(relation_oid)));
    }
    std::vector<ExpressionPtr> whens;
    std::vector<ExpressionPtr> thens;
    for (int is_visible : {1, 0}) {
      if (!lists[is_visible].empty()) {
        whens.push_back(Expression::InList(oid, std::move(lists[is_visible]), false));
        thens.push_back(Expression::Constant(Value::Boolean(is_visible == 1)));
      }
    }
    Bound result;
    result.location = call.location;
    result.expr = whens.empty() ? Expression::Constant(Value::Null(LogicalType::Boolean()))
                                : Expression::Case(std::move(whens), std::move(thens), nullptr,
                                                   LogicalType::Boolean());
    return result;
  }
  if ((call.names.back() == "pg_table_size" || call.names.back() == "pg_relation_size" ||
       call.names.back() == "pg_total_relation_size") &&
      args.size() == 1) {
    // A table's size is that of its data files; views take no space. Known when the statement
    // is bound; NULL for an OID that names no relation, as in PostgreSQL.
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr oid, Coerce(args[0], LogicalType::Integer()));
    Result<std::vector<std::pair<int32_t, int64_t>>> sizes = catalog.RelationSizes();
    Result<std::vector<std::pair<int32_t, bool>>> relations = catalog.RelationVisibility();
    if (!sizes.ok() || !relations.ok()) {
      return Error(sizes.ok() ? relations.status() : sizes.status(), call.location);
    }
    std::vector<ExpressionPtr> whens;
    std::vector<ExpressionPtr> thens;
    for (const auto& [relation_oid, size] : *sizes) {
      whens.push_back(
          Expression::InList(oid, {Expression::Constant(Value::Integer(relation_oid))}, false));
      thens.push_back(Expression::Constant(Value::BigInt(size)));
    }
    std::vector<ExpressionPtr> all;
    for (const auto& [relation_oid, is_visible] : *relations) {
      all.push_back(Expression::Constant(Value::Integer(relation_oid)));
    }
    if (!all.empty()) {
      whens.push_back(Expression::InList(oid, std::move(all), false));
      thens.push_back(Expression::Constant(Value::BigInt(0)));
    }
    Bound result;
    result.location = call.location;
    result.expr = whens.empty() ? Expression::Constant(Value::Null(LogicalType::BigInt()))
                                : Expression::Case(std::move(whens), std::move(thens), nullptr,
                                                   LogicalType::BigInt());
    return result;
  }
  if (call.names.back() == "pg_get_viewdef" && (args.size() == 1 || args.size() == 2)) {
    // The view texts are known when the statement is bound: a CASE over the views' OIDs. The
    // second argument (pretty-printing) changes nothing, as views keep the text they were
    // created with.
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr oid, Coerce(args[0], LogicalType::Integer()));
    Result<std::vector<std::pair<int32_t, std::string>>> views = catalog.ViewDefinitions();
    if (!views.ok()) {
      return Error(views.status(), call.location);
    }
    std::vector<ExpressionPtr> whens;
    std::vector<ExpressionPtr> thens;
    for (const auto& [view_oid, sql] : *views) {
      std::vector<Bound> pair(2);
      pair[0].expr = oid;
      pair[1].expr = Expression::Constant(Value::Integer(view_oid));
      FLOE_ASSIGN_OR_RETURN(Bound equal, CallScalar("=", std::move(pair), call.location));
      whens.push_back(equal.expr);
      thens.push_back(Expression::Constant(Value::Varchar(sql)));
    }
    Bound result;
    result.location = call.location;
    result.expr = whens.empty() ? Expression::Constant(Value::Null(LogicalType::Varchar()))
                                : Expression::Case(std::move(whens), std::move(thens), nullptr,
                                                   LogicalType::Varchar());
    return result;
  }
  return CallScalar(call.names.back(), std::move(args), call.location);
}

Result<ExpressionPtr> Binder::Impl::CheckGrouping(const ExpressionPtr& expr,
                                                  const AggregateState& state) {
  for (const auto& [group, id] : state.groups) {
    if (expr->Equals(*group)) {
      return Expression::ColumnRef(id, expr->type(), column_names[id]);
    }
  }
  if (expr->kind() == execution::ExpressionKind::kColumnRef) {
    if (state.input_ids.contains(expr->column_index())) {
      int64_t id = expr->column_index();
      auto location = column_locations.find(id);
      return Error(Status::InvalidArgument("column \"{}\" must appear in the GROUP BY clause or be "
                                           "used in an aggregate function",
                                           column_names[id])
                       .WithSqlState("42803"),
                   location == column_locations.end() ? 0 : location->second);
    }
    return expr;
  }
  if (expr->children().empty()) {
    return expr;
  }
  std::vector<ExpressionPtr> children;
  bool changed = false;
  for (const ExpressionPtr& child : expr->children()) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr checked, CheckGrouping(child, state));
    changed = changed || checked != child;
    children.push_back(std::move(checked));
  }
  return changed ? WithChildren(*expr, std::move(children)) : expr;
}

Result<Bound> Binder::Impl::Bind(const parser::Expression& expr, QueryBlock& block) {
  switch (expr.kind) {
    case ExpressionKind::kColumnRef:
      return BindColumnRef(expr.As<parser::ColumnRefExpression>(), block);
    case ExpressionKind::kStar:
      return Error(Status::SyntaxError("\"*\" is not allowed here").WithSqlState("42601"),
                   expr.location);
    case ExpressionKind::kConstant:
      return BindConstant(expr.As<parser::ConstantExpression>());
    case ExpressionKind::kTypedLiteral: {
      const auto& literal = expr.As<parser::TypedLiteralExpression>();
      Result<LogicalType> type = ResolveTypeName(literal.type);
      if (!type.ok()) {
        return Error(type.status(), expr.location);
      }
      std::string text = literal.value;
      if (type->id() == TypeId::kInterval &&
          literal.type.interval_fields != parser::IntervalFields::kNone &&
          text.find_first_not_of("0123456789.+- ") == std::string::npos) {
        static constexpr std::string_view kUnits[] = {"",       "year",   "month", "day",   "hour",
                                                      "minute", "second", "year",  "day",   "day",
                                                      "day",    "hour",   "hour",  "minute"};
        text += " " + std::string(kUnits[static_cast<size_t>(literal.type.interval_fields)]);
      }
      Bound text_bound;
      text_bound.unknown = Bound::Unknown::kLiteral;
      text_bound.text = text;
      text_bound.location = expr.location;
      Bound bound;
      bound.location = expr.location;
      FLOE_ASSIGN_OR_RETURN(bound.expr, Coerce(text_bound, *type));
      return bound;
    }
    case ExpressionKind::kParameter: {
      const auto& parameter = expr.As<parser::ParameterExpression>();
      Bound bound;
      bound.location = expr.location;
      size_t index = static_cast<size_t>(parameter.index - 1);
      if (index < parameter_types.size() && parameter_types[index].id() != TypeId::kNull) {
        bound.expr = Expression::Parameter(parameter.index, parameter_types[index]);
        return bound;
      }
      if (parameter_types.size() <= index) {
        parameter_types.resize(index + 1);
      }
      bound.unknown = Bound::Unknown::kParameter;
      bound.parameter = parameter.index;
      bound.expr = Expression::Parameter(parameter.index, LogicalType::Varchar());
      return bound;
    }
    case ExpressionKind::kCast: {
      const auto& cast = expr.As<parser::CastExpression>();
      return BindCast(*cast.operand, cast.type, block, expr.location);
    }
    case ExpressionKind::kOperator: {
      const auto& op = expr.As<parser::OperatorExpression>();
      std::vector<Bound> args;
      if (op.left != nullptr) {
        FLOE_ASSIGN_OR_RETURN(Bound left, Bind(*op.left, block));
        args.push_back(std::move(left));
      }
      FLOE_ASSIGN_OR_RETURN(Bound right, Bind(*op.right, block));
      args.push_back(std::move(right));
      return BindOperator(op.op, std::move(args), expr.location);
    }
    case ExpressionKind::kBool: {
      const auto& bool_expr = expr.As<parser::BoolExpression>();
      std::string_view name = bool_expr.op == parser::BoolOperator::kAnd  ? "AND"
                              : bool_expr.op == parser::BoolOperator::kOr ? "OR"
                                                                          : "NOT";
      std::vector<ExpressionPtr> args;
      for (const auto& argument : bool_expr.arguments) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition, BindCondition(*argument, block, name));
        args.push_back(std::move(condition));
      }
      Bound bound;
      bound.location = expr.location;
      bound.expr = bool_expr.op == parser::BoolOperator::kAnd  ? Expression::And(std::move(args))
                   : bool_expr.op == parser::BoolOperator::kOr ? Expression::Or(std::move(args))
                                                               : Expression::Not(args[0]);
      return bound;
    }
    case ExpressionKind::kIsTest: {
      const auto& test = expr.As<parser::IsTestExpression>();
      Bound bound;
      bound.location = expr.location;
      if (test.test == parser::IsTest::kNull) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr operand, BindValue(*test.operand, block));
        bound.expr = Expression::Test(test.negated ? execution::ExpressionKind::kIsNotNull
                                                   : execution::ExpressionKind::kIsNull,
                                      operand);
        return bound;
      }
      std::string_view clause = test.test == parser::IsTest::kTrue    ? "IS TRUE"
                                : test.test == parser::IsTest::kFalse ? "IS FALSE"
                                                                      : "IS UNKNOWN";
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr operand, BindCondition(*test.operand, block, clause));
      execution::ExpressionKind kind = execution::ExpressionKind::kIsNull;
      switch (test.test) {
        case parser::IsTest::kTrue:
          kind = test.negated ? execution::ExpressionKind::kIsNotTrue
                              : execution::ExpressionKind::kIsTrue;
          break;
        case parser::IsTest::kFalse:
          kind = test.negated ? execution::ExpressionKind::kIsNotFalse
                              : execution::ExpressionKind::kIsFalse;
          break;
        default:
          kind = test.negated ? execution::ExpressionKind::kIsNotNull
                              : execution::ExpressionKind::kIsNull;
          break;
      }
      bound.expr = Expression::Test(kind, operand);
      return bound;
    }
    case ExpressionKind::kDistinctFrom: {
      const auto& distinct = expr.As<parser::DistinctFromExpression>();
      FLOE_ASSIGN_OR_RETURN(Bound left, Bind(*distinct.left, block));
      FLOE_ASSIGN_OR_RETURN(Bound right, Bind(*distinct.right, block));
      FLOE_ASSIGN_OR_RETURN(
          std::vector<ExpressionPtr> both,
          CoerceToCommon({left, right}, "IS DISTINCT FROM", expr.location, nullptr));
      Bound bound;
      bound.location = expr.location;
      bound.expr = Expression::IsDistinctFrom(both[0], both[1], distinct.negated);
      return bound;
    }
    case ExpressionKind::kBetween: {
      const auto& between = expr.As<parser::BetweenExpression>();
      FLOE_ASSIGN_OR_RETURN(Bound operand, Bind(*between.operand, block));
      FLOE_ASSIGN_OR_RETURN(Bound lower, Bind(*between.lower, block));
      FLOE_ASSIGN_OR_RETURN(Bound upper, Bind(*between.upper, block));
      auto range = [&](const Bound& low, const Bound& high) -> Result<ExpressionPtr> {
        FLOE_ASSIGN_OR_RETURN(Bound ge, BindOperator(">=", {operand, low}, expr.location));
        FLOE_ASSIGN_OR_RETURN(Bound le, BindOperator("<=", {operand, high}, expr.location));
        return Expression::And({ge.expr, le.expr});
      };
      FLOE_ASSIGN_OR_RETURN(ExpressionPtr condition, range(lower, upper));
      if (between.symmetric) {
        FLOE_ASSIGN_OR_RETURN(ExpressionPtr swapped, range(upper, lower));
        condition = Expression::Or({condition, swapped});
      }
      Bound bound;
      bound.location = expr.location;
      bound.expr = between.negated ? Expression::Not(condition) : condition;
      return bound;
    }
    case ExpressionKind::kInList: {
      const auto& in = expr.As<parser::InListExpression>();
      std::vector<Bound> args;
      FLOE_ASSIGN_OR_RETURN(Bound operand, Bind(*in.operand, block));
      args.push_back(std::move(operand));
      for (const auto& item : in.list) {
        FLOE_ASSIGN_OR_RETURN(Bound bound, Bind(*item, block));
        args.push_back(std::move(bound));
      }
      FLOE_ASSIGN_OR_RETURN(std::vector<ExpressionPtr> values,
                            CoerceToCommon(std::move(args), "IN", expr.location, nullptr));
      ExpressionPtr value = values[0];
      values.erase(values.begin());
      Bound bound;
      bound.location = expr.location;
      bound.expr = Expression::InList(value, std::move(values), in.negated);
      return bound;
    }
    case ExpressionKind::kQuantified:
      if (expr.As<parser::QuantifiedExpression>().array != nullptr) {
        return BindQuantifiedArray(expr.As<parser::QuantifiedExpression>(), block);
      }
      return BindSubqueryExpression(expr, block);
    case ExpressionKind::kInSubquery:
    case ExpressionKind::kExists:
    case ExpressionKind::kSubquery:
      return BindSubqueryExpression(expr, block);
    case ExpressionKind::kLike: {
      const auto& like = expr.As<parser::LikeExpression>();
      if (like.like_kind == parser::LikeKind::kSimilarTo) {
        return Error(Status::NotSupported("SIMILAR TO is not supported yet"), expr.location);
      }
      FLOE_ASSIGN_OR_RETURN(Bound operand, Bind(*like.operand, block));
      FLOE_ASSIGN_OR_RETURN(Bound pattern, Bind(*like.pattern, block));
      std::vector<Bound> args = {operand, pattern};
      if (like.escape != nullptr) {
        FLOE_ASSIGN_OR_RETURN(Bound escape, Bind(*like.escape, block));
        if (escape.unknown != Bound::Unknown::kLiteral || escape.text != "\\") {
          return Error(Status::NotSupported("LIKE ... ESCAPE other than '\\' is not supported yet"),
                       like.escape->location);
        }
      }
      return BindOperator(LikeOperator(like.like_kind, like.negated), std::move(args),
                          expr.location);
    }
    case ExpressionKind::kCase:
      return BindCase(expr.As<parser::CaseExpression>(), block);
    case ExpressionKind::kFunctionCall:
      return BindFunction(expr.As<parser::FunctionCallExpression>(), block);
    case ExpressionKind::kConditional:
      return BindConditional(expr.As<parser::ConditionalExpression>(), block);
    case ExpressionKind::kSqlValueFunction:
      return BindSqlValueFunction(expr.As<parser::SqlValueFunctionExpression>());
    case ExpressionKind::kCollate: {
      const auto& collate = expr.As<parser::CollateExpression>();
      const std::string& name = collate.collation.back();
      if (name != "C" && name != "POSIX" && name != "default" && name != "ucs_basic") {
        return Error(Status::NotSupported("collation \"{}\" is not supported: strings compare "
                                          "bytewise (\"C\")",
                                          name),
                     expr.location);
      }
      return Bind(*collate.operand, block);
    }
    case ExpressionKind::kAtTimeZone: {
      // PostgreSQL's grammar turns `x AT TIME ZONE z` into timezone(z, x).
      const auto& node = expr.As<parser::AtTimeZoneExpression>();
      std::vector<Bound> args;
      FLOE_ASSIGN_OR_RETURN(Bound zone, Bind(*node.zone, block));
      args.push_back(std::move(zone));
      FLOE_ASSIGN_OR_RETURN(Bound operand, Bind(*node.operand, block));
      args.push_back(std::move(operand));
      return CallScalar("timezone", std::move(args), expr.location);
    }
    case ExpressionKind::kArray:
      return BindArray(expr.As<parser::ArrayExpression>(), block, nullptr);
    case ExpressionKind::kArraySubquery:
      return BindArraySubquery(expr.As<parser::ArraySubqueryExpression>(), block);
    case ExpressionKind::kSubscript:
      return BindSubscript(expr.As<parser::SubscriptExpression>(), block);
    case ExpressionKind::kRow:
    case ExpressionKind::kFieldSelection:
      return Error(Status::NotSupported("row values are not supported yet"), expr.location);
    case ExpressionKind::kDefault:
      return Error(Status::NotSupported("DEFAULT is not supported here"), expr.location);
  }
  return Status::Internal("unknown expression kind");
}

}  // namespace floe::sql::binder
