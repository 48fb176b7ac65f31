// The comparison operators = <> < <= > >= for every comparable type. Mixed numeric types meet
// at a common type through resolution (integer = bigint compares as bigint, integer = numeric
// as numeric, numeric = double precision as double precision, as PostgreSQL does); DECIMALs of
// different scales compare exactly.

#include <cmath>
#include <compare>
#include <string_view>

#include "sql/functions/registration_internal.h"
#include "types/decimal.h"
#include "types/interval.h"
#include "types/uuid.h"
#include "types/value.h"

namespace floe::sql::internal {
namespace {

using types::Int128;
using types::LogicalType;
using types::TypeId;
using vector::Vector;

enum class CompareOp : uint8_t { kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual };

constexpr std::pair<const char*, CompareOp> kOperators[] = {
    {"=", CompareOp::kEqual},        {"<>", CompareOp::kNotEqual},  {"!=", CompareOp::kNotEqual},
    {"<", CompareOp::kLess},         {"<=", CompareOp::kLessEqual}, {">", CompareOp::kGreater},
    {">=", CompareOp::kGreaterEqual}};

template <CompareOp op>
bool FromOrder(int order) {
  if constexpr (op == CompareOp::kEqual) {
    return order == 0;
  } else if constexpr (op == CompareOp::kNotEqual) {
    return order != 0;
  } else if constexpr (op == CompareOp::kLess) {
    return order < 0;
  } else if constexpr (op == CompareOp::kLessEqual) {
    return order <= 0;
  } else if constexpr (op == CompareOp::kGreater) {
    return order > 0;
  } else {
    return order >= 0;
  }
}

template <CompareOp op, typename T>
bool Direct(T a, T b) {
  if constexpr (op == CompareOp::kEqual) {
    return a == b;
  } else if constexpr (op == CompareOp::kNotEqual) {
    return a != b;
  } else if constexpr (op == CompareOp::kLess) {
    return a < b;
  } else if constexpr (op == CompareOp::kLessEqual) {
    return a <= b;
  } else if constexpr (op == CompareOp::kGreater) {
    return a > b;
  } else {
    return a >= b;
  }
}

// PostgreSQL orders NaN above every other float and equal to itself.
template <typename T>
int CompareFloat(T a, T b) {
  if (std::isnan(a)) {
    return std::isnan(b) ? 0 : 1;
  }
  if (std::isnan(b)) {
    return -1;
  }
  return (a > b) - (a < b);
}

// Compares a * fa with b * fb exactly; a product beyond 128 bits is larger in magnitude than
// any DECIMAL, so its sign decides.
int CompareScaled(Int128 a, Int128 fa, Int128 b, Int128 fb) {
  Int128 x = 0;
  Int128 y = 0;
  if (__builtin_mul_overflow(a, fa, &x)) {
    return a > 0 ? 1 : -1;
  }
  if (__builtin_mul_overflow(b, fb, &y)) {
    return b > 0 ? -1 : 1;
  }
  return (x > y) - (x < y);
}

template <CompareOp op>
ScalarKernel FixedCompareKernel(TypeId id) {
  return [id](FunctionContext& context, std::span<const Vector> args,
              int64_t rows) -> Result<Vector> {
    auto direct = [&](auto storage) {
      using T = decltype(storage);
      return BinaryPredicate<T, T>(context, args[0], args[1], rows,
                                   [](T a, T b) { return Direct<op>(a, b); });
    };
    switch (id) {
      case TypeId::kSmallInt:
        return direct(int16_t{});
      case TypeId::kInteger:
      case TypeId::kDate:
        return direct(int32_t{});
      case TypeId::kReal:
        return BinaryPredicate<float, float>(context, args[0], args[1], rows, [](float a, float b) {
          return FromOrder<op>(CompareFloat(a, b));
        });
      case TypeId::kDouble:
        return BinaryPredicate<double, double>(
            context, args[0], args[1], rows,
            [](double a, double b) { return FromOrder<op>(CompareFloat(a, b)); });
      case TypeId::kInterval:
        return BinaryPredicate<types::Interval, types::Interval>(
            context, args[0], args[1], rows,
            [](const types::Interval& a, const types::Interval& b) {
              return FromOrder<op>(types::CompareIntervals(a, b));
            });
      case TypeId::kUuid:
        return BinaryPredicate<types::Uuid, types::Uuid>(
            context, args[0], args[1], rows, [](const types::Uuid& a, const types::Uuid& b) {
              auto order = a <=> b;
              return FromOrder<op>(order < 0 ? -1 : (order > 0 ? 1 : 0));
            });
      default:
        return direct(int64_t{});
    }
  };
}

template <CompareOp op>
ScalarKernel DecimalCompareKernel(const LogicalType& left, const LogicalType& right) {
  int scale = std::max(left.scale(), right.scale());
  Int128 fa = types::PowerOfTen(scale - left.scale());
  Int128 fb = types::PowerOfTen(scale - right.scale());
  return [fa, fb](FunctionContext& context, std::span<const Vector> args,
                  int64_t rows) -> Result<Vector> {
    return VisitDecimalStorage(args[0].type(), [&](auto a_storage) {
      using A = decltype(a_storage);
      return VisitDecimalStorage(args[1].type(), [&](auto b_storage) {
        using B = decltype(b_storage);
        if (fa == 1 && fb == 1) {
          return BinaryPredicate<A, B>(context, args[0], args[1], rows,
                                       [](A a, B b) { return Direct<op>(Int128{a}, Int128{b}); });
        }
        return BinaryPredicate<A, B>(context, args[0], args[1], rows, [fa, fb](A a, B b) {
          return FromOrder<op>(CompareScaled(a, fa, b, fb));
        });
      });
    });
  };
}

template <CompareOp op>
ScalarKernel StringCompareKernel() {
  return
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        FLOE_ASSIGN_OR_RETURN(Vector a, FlatOrConstant(context, args[0]));
        FLOE_ASSIGN_OR_RETURN(Vector b, FlatOrConstant(context, args[1]));
        const Vector* inputs[] = {&a, &b};
        FLOE_ASSIGN_OR_RETURN(OutputValidity validity, CombineValidity(context, inputs, rows));
        StringReader x(a);
        StringReader y(b);
        if (y.is_constant()) {
          std::string_view constant = y[0];
          return PredicateRows(context, rows, std::move(validity), [&](int64_t row) {
            if constexpr (op == CompareOp::kEqual || op == CompareOp::kNotEqual) {
              return (x[row] == constant) == (op == CompareOp::kEqual);
            } else {
              return FromOrder<op>(x[row].compare(constant));
            }
          });
        }
        return PredicateRows(context, rows, std::move(validity),
                             [&](int64_t row) { return FromOrder<op>(x[row].compare(y[row])); });
      };
}

template <CompareOp op>
ScalarKernel BooleanCompareKernel() {
  return
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        const Vector* inputs[] = {&args[0], &args[1]};
        FLOE_ASSIGN_OR_RETURN(Vector a, FlatOrConstant(context, args[0]));
        FLOE_ASSIGN_OR_RETURN(Vector b, FlatOrConstant(context, args[1]));
        inputs[0] = &a;
        inputs[1] = &b;
        FLOE_ASSIGN_OR_RETURN(OutputValidity validity, CombineValidity(context, inputs, rows));
        return PredicateRows(context, rows, std::move(validity), [&](int64_t row) {
          return Direct<op>(static_cast<int>(a.GetBool(row)), static_cast<int>(b.GetBool(row)));
        });
      };
}

// Compares values of nested types (LIST, STRUCT) by value, as PostgreSQL compares arrays and
// records element by element.
template <CompareOp op>
ScalarKernel ValueCompareKernel() {
  return
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(context, args, rows, LogicalType::Boolean(),
                         [&](int64_t row, vector::VectorBuilder& out) -> Status {
                           FLOE_ASSIGN_OR_RETURN(types::Value a, args[0].GetValue(row));
                           FLOE_ASSIGN_OR_RETURN(types::Value b, args[1].GetValue(row));
                           return out.AppendBool(FromOrder<op>(a.Compare(b)));
                         });
      };
}

template <CompareOp op>
void RegisterOperator(FunctionRegistry& registry, const char* name) {
  for (TypeId id : {TypeId::kSmallInt, TypeId::kInteger, TypeId::kBigInt, TypeId::kReal,
                    TypeId::kDouble, TypeId::kDate, TypeId::kTime, TypeId::kTimestamp,
                    TypeId::kTimestampTz, TypeId::kInterval, TypeId::kUuid}) {
    registry.AddScalar(
        FixedOverload(name, {id, id}, LogicalType::Boolean(), FixedCompareKernel<op>(id)));
  }
  registry.AddScalar(FixedOverload(name, {TypeId::kBoolean, TypeId::kBoolean},
                                   LogicalType::Boolean(), BooleanCompareKernel<op>()));
  for (TypeId id : {TypeId::kVarchar, TypeId::kBytea}) {
    registry.AddScalar(
        FixedOverload(name, {id, id}, LogicalType::Boolean(), StringCompareKernel<op>()));
  }
  registry.AddScalar(BoundOverload(
      name, Specs({TypeId::kDecimal, TypeId::kDecimal}),
      [](std::span<const LogicalType> types) -> Result<BoundScalar> {
        return BoundScalar{LogicalType::Boolean(), DecimalCompareKernel<op>(types[0], types[1])};
      }));
  for (TypeId id : {TypeId::kList, TypeId::kStruct}) {
    registry.AddScalar(BoundOverload(
        name, Specs({id, id}), [name](std::span<const LogicalType> types) -> Result<BoundScalar> {
          if (!(types[0] == types[1])) {
            return Status::NotFound("operator does not exist: {} {} {}", types[0].ToString(), name,
                                    types[1].ToString())
                .WithSqlState("42883");
          }
          return BoundScalar{LogicalType::Boolean(), ValueCompareKernel<op>()};
        }));
  }
  // real against double precision compares in double, as PostgreSQL's float48 operators.
  for (auto ids :
       {std::pair{TypeId::kReal, TypeId::kDouble}, std::pair{TypeId::kDouble, TypeId::kReal}}) {
    registry.AddScalar(FixedOverload(
        name, {ids.first, ids.second}, LogicalType::Boolean(),
        [first = ids.first](FunctionContext& context, std::span<const Vector> args,
                            int64_t rows) -> Result<Vector> {
          auto widen = [](float value) { return static_cast<double>(value); };
          if (first == TypeId::kReal) {
            return BinaryPredicate<float, double>(
                context, args[0], args[1], rows,
                [&](float a, double b) { return FromOrder<op>(CompareFloat(widen(a), b)); });
          }
          return BinaryPredicate<double, float>(
              context, args[0], args[1], rows,
              [&](double a, float b) { return FromOrder<op>(CompareFloat(a, widen(b))); });
        }));
  }
}

}  // namespace

void RegisterComparison(FunctionRegistry& registry) {
  for (const auto& [name, op] : kOperators) {
    switch (op) {
      case CompareOp::kEqual:
        RegisterOperator<CompareOp::kEqual>(registry, name);
        break;
      case CompareOp::kNotEqual:
        RegisterOperator<CompareOp::kNotEqual>(registry, name);
        break;
      case CompareOp::kLess:
        RegisterOperator<CompareOp::kLess>(registry, name);
        break;
      case CompareOp::kLessEqual:
        RegisterOperator<CompareOp::kLessEqual>(registry, name);
        break;
      case CompareOp::kGreater:
        RegisterOperator<CompareOp::kGreater>(registry, name);
        break;
      case CompareOp::kGreaterEqual:
        RegisterOperator<CompareOp::kGreaterEqual>(registry, name);
        break;
    }
  }
}

}  // namespace floe::sql::internal
