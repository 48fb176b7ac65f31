#include "sql/planner/cast_comparison.h"

#include <array>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sql/functions/function_registry.h"
#include "types/temporal.h"
#include "types/value.h"

namespace floe::sql::planner {
namespace {

using execution::Expression;
using execution::ExpressionKind;
using execution::ExpressionPtr;
using types::LogicalType;
using types::TypeId;
using types::Value;

enum class Op { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

std::optional<Op> ParseOp(const std::string& name) {
  static constexpr std::array<std::pair<const char*, Op>, 6> kOps = {{{"=", Op::kEqual},
                                                                      {"<>", Op::kNotEqual},
                                                                      {"<", Op::kLess},
                                                                      {"<=", Op::kLessEqual},
                                                                      {">", Op::kGreater},
                                                                      {">=", Op::kGreaterEqual}}};
  for (const auto& [text, op] : kOps) {
    if (name == text) {
      return op;
    }
  }
  return std::nullopt;
}

const char* OpName(Op op) {
  switch (op) {
    case Op::kEqual:
      return "=";
    case Op::kNotEqual:
      return "<>";
    case Op::kLess:
      return "<";
    case Op::kLessEqual:
      return "<=";
    case Op::kGreater:
      return ">";
    case Op::kGreaterEqual:
      return ">=";
  }
  return "=";
}

// `c op x` is `x flipped-op c`.
Op Flip(Op op) {
  switch (op) {
    case Op::kLess:
      return Op::kGreater;
    case Op::kLessEqual:
      return Op::kGreaterEqual;
    case Op::kGreater:
      return Op::kLess;
    case Op::kGreaterEqual:
      return Op::kLessEqual;
    default:
      return op;
  }
}

// What `x op c` becomes: a comparison with a constant of x's type, or a constant answer that
// stays NULL where x is NULL.
struct Rewrite {
  Op op = Op::kEqual;
  std::optional<Value> constant;  // Empty: the answer is `outcome` for every non-NULL x.
  bool outcome = false;
};

ExpressionPtr Build(const ExpressionPtr& operand, const Rewrite& rewrite) {
  if (!rewrite.constant.has_value()) {
    // x IS NOT NULL OR NULL is TRUE or NULL; x IS NULL AND NULL is FALSE or NULL: exactly the
    // strict comparison's answers.
    ExpressionPtr null = Expression::Constant(Value::Null(LogicalType::Boolean()));
    if (rewrite.outcome) {
      return Expression::Or({Expression::Test(ExpressionKind::kIsNotNull, operand), null});
    }
    return Expression::And({Expression::Test(ExpressionKind::kIsNull, operand), null});
  }
  std::array<LogicalType, 2> types = {operand->type(), operand->type()};
  Result<ScalarFunction> function =
      FunctionRegistry::Default().ResolveScalar(OpName(rewrite.op), types);
  if (!function.ok()) {
    return nullptr;
  }
  return Expression::Function(std::make_shared<const ScalarFunction>(std::move(*function)),
                              {operand, Expression::Constant(*rewrite.constant)});
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t quotient = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient;
}

// CAST(date AS timestamp) is days · 86400·10⁶ for finite dates and keeps the infinities, so it
// is strictly increasing: x < ts ⇔ x < ceil(ts), x ≤ ts ⇔ x ≤ floor(ts) (in days), and
// x = ts needs ts to be a midnight.
std::optional<Rewrite> DateRewrite(Op op, int64_t micros) {
  if (micros == types::kTimestampInfinity || micros == types::kTimestampNegativeInfinity) {
    return Rewrite{op, Value::Date(types::TimestampToDate(micros)), false};
  }
  int64_t floor = FloorDiv(micros, types::kMicrosPerDay);
  bool is_midnight = floor * types::kMicrosPerDay == micros;
  int64_t ceil = is_midnight ? floor : floor + 1;
  // Keep both bounds strictly between the date infinities so that they order as before.
  if (floor <= types::kDateNegativeInfinity || ceil >= types::kDateInfinity) {
    return std::nullopt;
  }
  auto date = [](int64_t days) { return Value::Date(static_cast<int32_t>(days)); };
  switch (op) {
    case Op::kLess:
    case Op::kGreaterEqual:
      return Rewrite{op, date(ceil), false};
    case Op::kLessEqual:
    case Op::kGreater:
      return Rewrite{op, date(floor), false};
    case Op::kEqual:
    case Op::kNotEqual:
      if (is_midnight) {
        return Rewrite{op, date(floor), false};
      }
      return Rewrite{op, std::nullopt, op == Op::kNotEqual};
  }
  return std::nullopt;
}

std::optional<int64_t> IntegerOf(const Value& value) {
  switch (value.type().id()) {
    case TypeId::kSmallInt:
      return value.smallint_value();
    case TypeId::kInteger:
      return value.integer_value();
    case TypeId::kBigInt:
      return value.bigint_value();
    default:
      return std::nullopt;
  }
}

Value IntegerValue(TypeId id, int64_t value) {
  switch (id) {
    case TypeId::kSmallInt:
      return Value::SmallInt(static_cast<int16_t>(value));
    case TypeId::kInteger:
      return Value::Integer(static_cast<int32_t>(value));
    default:
      return Value::BigInt(value);
  }
}

// A constant outside the narrow type's range is above (or below) every value it holds.
std::optional<Rewrite> IntegerRewrite(Op op, TypeId narrow, int64_t constant) {
  int64_t min = narrow == TypeId::kSmallInt  ? std::numeric_limits<int16_t>::min()
                : narrow == TypeId::kInteger ? std::numeric_limits<int32_t>::min()
                                             : std::numeric_limits<int64_t>::min();
  int64_t max = narrow == TypeId::kSmallInt  ? std::numeric_limits<int16_t>::max()
                : narrow == TypeId::kInteger ? std::numeric_limits<int32_t>::max()
                                             : std::numeric_limits<int64_t>::max();
  if (constant >= min && constant <= max) {
    return Rewrite{op, IntegerValue(narrow, constant), false};
  }
  bool above = constant > max;
  switch (op) {
    case Op::kEqual:
      return Rewrite{op, std::nullopt, false};
    case Op::kNotEqual:
      return Rewrite{op, std::nullopt, true};
    case Op::kLess:
    case Op::kLessEqual:
      return Rewrite{op, std::nullopt, above};
    case Op::kGreater:
    case Op::kGreaterEqual:
      return Rewrite{op, std::nullopt, !above};
  }
  return std::nullopt;
}

std::optional<Rewrite> RewriteFor(Op op, const LogicalType& narrow, const LogicalType& wide,
                                  const Value& constant) {
  // Only TIMESTAMP: a date cast to TIMESTAMPTZ is midnight in the session's zone, whose day
  // boundaries are not whole UTC days.
  if (narrow.id() == TypeId::kDate && wide.id() == TypeId::kTimestamp &&
      constant.type().id() == wide.id()) {
    return DateRewrite(op, constant.timestamp_value());
  }
  if (narrow.IsInteger() && wide.IsInteger() && narrow.PhysicalWidth() <= wide.PhysicalWidth()) {
    std::optional<int64_t> value = IntegerOf(constant);
    if (value.has_value()) {
      return IntegerRewrite(op, narrow.id(), *value);
    }
  }
  return std::nullopt;
}

}  // namespace

ExpressionPtr SimplifyCastComparison(const ExpressionPtr& node) {
  if (node->kind() != ExpressionKind::kFunction || node->children().size() != 2) {
    return nullptr;
  }
  std::optional<Op> op = ParseOp(node->function().name);
  if (!op.has_value()) {
    return nullptr;
  }
  const ExpressionPtr& left = node->children()[0];
  const ExpressionPtr& right = node->children()[1];
  bool cast_on_left = left->kind() == ExpressionKind::kCast;
  const ExpressionPtr& cast = cast_on_left ? left : right;
  const ExpressionPtr& constant = cast_on_left ? right : left;
  if (cast->kind() != ExpressionKind::kCast || constant->kind() != ExpressionKind::kConstant ||
      constant->value().is_null()) {
    return nullptr;
  }
  const ExpressionPtr& operand = cast->children()[0];
  std::optional<Rewrite> rewrite =
      RewriteFor(cast_on_left ? *op : Flip(*op), operand->type(), cast->type(), constant->value());
  if (!rewrite.has_value()) {
    return nullptr;
  }
  return Build(operand, *rewrite);
}

}  // namespace floe::sql::planner
