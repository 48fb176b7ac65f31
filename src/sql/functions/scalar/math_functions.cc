// Mathematical functions: abs, sign, ceil, floor, round, trunc, sqrt, cbrt, exp, ln, log,
// log10, the trigonometric functions, degrees, radians, pi, random, width_bucket.

#include <cmath>
#include <numbers>
#include <random>

#include "sql/functions/decimal_rules.h"
#include "sql/functions/registration_internal.h"
#include "types/decimal.h"

namespace floe::sql::internal {
namespace {

using types::Int128;
using types::LogicalType;
using types::TypeId;
using vector::Vector;

constexpr unsigned kOk = 0;
constexpr unsigned kOverflow = 1;
constexpr unsigned kUnderflow = 2;
constexpr unsigned kNegativeSqrt = 4;
constexpr unsigned kLogZero = 8;
constexpr unsigned kLogNegative = 16;
constexpr unsigned kDomain = 32;

Status MathError(unsigned code) {
  if ((code & kNegativeSqrt) != 0) {
    return Status::InvalidArgument("cannot take square root of a negative number")
        .WithSqlState("2201F");
  }
  if ((code & kLogZero) != 0) {
    return Status::InvalidArgument("cannot take logarithm of zero").WithSqlState("2201E");
  }
  if ((code & kLogNegative) != 0) {
    return Status::InvalidArgument("cannot take logarithm of a negative number")
        .WithSqlState("2201E");
  }
  if ((code & kDomain) != 0) {
    return Status::OutOfRange("input is out of range");
  }
  if ((code & kUnderflow) != 0) {
    return Status::OutOfRange("value out of range: underflow");
  }
  return Status::OutOfRange("value out of range: overflow");
}

// A double -> double function with PostgreSQL's result checks: an infinite result from a finite
// input overflows, except where the function defines it.
template <typename Op>
ScalarKernel DoubleUnary(Op op) {
  return [op](FunctionContext& context, std::span<const Vector> args,
              int64_t rows) -> Result<Vector> {
    return UnaryFixed<double, double>(context, args[0], rows, LogicalType::Double(), op, MathError);
  };
}

unsigned Checked(double input, double result, double* out) {
  *out = result;
  return (std::isinf(result) && !std::isinf(input)) ? kOverflow : kOk;
}

void RegisterDoubleFunctions(FunctionRegistry& registry) {
  auto add = [&](const char* name, ScalarKernel kernel) {
    registry.AddScalar(FixedOverload(name, {TypeId::kDouble}, LogicalType::Double(), kernel));
  };
  add("sqrt", DoubleUnary([](double x, double* out) -> unsigned {
        *out = 0;
        return x < 0 ? kNegativeSqrt : Checked(x, std::sqrt(x), out);
      }));
  add("cbrt", DoubleUnary([](double x, double* out) { return Checked(x, std::cbrt(x), out); }));
  add("exp", DoubleUnary([](double x, double* out) -> unsigned {
        *out = std::exp(x);
        if (std::isinf(*out) && !std::isinf(x)) {
          return kOverflow;
        }
        return (*out == 0 && !std::isinf(x)) ? kUnderflow : kOk;
      }));
  auto logarithm = [](double (*log)(double)) {
    return DoubleUnary([log](double x, double* out) -> unsigned {
      *out = 0;
      if (x == 0) {
        return kLogZero;
      }
      if (x < 0) {
        return kLogNegative;
      }
      *out = log(x);
      return kOk;
    });
  };
  add("ln", logarithm(static_cast<double (*)(double)>(std::log)));
  add("log", logarithm(static_cast<double (*)(double)>(std::log10)));
  add("log10", logarithm(static_cast<double (*)(double)>(std::log10)));
  struct Trigonometric {
    const char* name;
    double (*function)(double);
    bool bounded;        // Input must lie in [-1, 1].
    bool finite_inputs;  // Infinite input is out of range.
  };
  for (Trigonometric trig :
       {Trigonometric{"sin", std::sin, false, true}, Trigonometric{"cos", std::cos, false, true},
        Trigonometric{"tan", std::tan, false, true}, Trigonometric{"asin", std::asin, true, false},
        Trigonometric{"acos", std::acos, true, false},
        Trigonometric{"atan", std::atan, false, false}}) {
    add(trig.name, DoubleUnary([trig](double x, double* out) -> unsigned {
          *out = 0;
          if ((trig.bounded && (x < -1 || x > 1)) || (trig.finite_inputs && std::isinf(x))) {
            return kDomain;
          }
          *out = trig.function(x);
          return kOk;
        }));
  }
  add("degrees", DoubleUnary([](double x, double* out) {
        return Checked(x, x * (180.0 / std::numbers::pi), out);
      }));
  add("radians", DoubleUnary([](double x, double* out) {
        return Checked(x, x * (std::numbers::pi / 180.0), out);
      }));
  add("abs", DoubleUnary([](double x, double* out) -> unsigned {
        *out = std::fabs(x);
        return kOk;
      }));
  add("sign", DoubleUnary([](double x, double* out) -> unsigned {
        *out = x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
        return kOk;
      }));
  for (const char* name : {"ceil", "ceiling"}) {
    add(name, DoubleUnary([](double x, double* out) -> unsigned {
          *out = std::ceil(x);
          return kOk;
        }));
  }
  add("floor", DoubleUnary([](double x, double* out) -> unsigned {
        *out = std::floor(x);
        return kOk;
      }));
  // round(double precision) rounds half to even (rint), unlike round(numeric).
  add("round", DoubleUnary([](double x, double* out) -> unsigned {
        *out = std::nearbyint(x);
        return kOk;
      }));
  add("trunc", DoubleUnary([](double x, double* out) -> unsigned {
        *out = std::trunc(x);
        return kOk;
      }));
  registry.AddScalar(FixedOverload(
      "atan2", {TypeId::kDouble, TypeId::kDouble}, LogicalType::Double(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BinaryFixed<double, double, double>(
            context, args[0], args[1], rows, LogicalType::Double(),
            [](double y, double x, double* out) -> unsigned {
              *out = std::atan2(y, x);
              return kOk;
            },
            MathError);
      }));
  registry.AddScalar(FixedOverload(
      "log", {TypeId::kDouble, TypeId::kDouble}, LogicalType::Double(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BinaryFixed<double, double, double>(
            context, args[0], args[1], rows, LogicalType::Double(),
            [](double base, double x, double* out) -> unsigned {
              *out = 0;
              if (base == 0 || x == 0) {
                return kLogZero;
              }
              if (base < 0 || x < 0) {
                return kLogNegative;
              }
              if (base == 1) {
                return kOverflow;
              }
              *out = std::log(x) / std::log(base);
              return kOk;
            },
            [](unsigned code) {
              return code == kOverflow ? DivisionByZeroError() : MathError(code);
            });
      }));
}

void RegisterConstants(FunctionRegistry& registry) {
  ScalarOverload pi;
  pi.name = "pi";
  pi.bind = [](std::span<const LogicalType>) -> Result<BoundScalar> {
    ScalarKernel kernel = [](FunctionContext& context, std::span<const Vector>,
                             int64_t rows) -> Result<Vector> {
      vector::VectorBuilder builder(LogicalType::Double(), context.tracker);
      FLOE_RETURN_NOT_OK(builder.Append<double>(std::numbers::pi));
      FLOE_ASSIGN_OR_RETURN(Vector one, builder.Finish());
      return Vector::MakeConstant(one, 0, rows, context.tracker);
    };
    return BoundScalar{LogicalType::Double(), kernel};
  };
  registry.AddScalar(pi);
  ScalarOverload random;
  random.name = "random";
  random.deterministic = false;
  random.bind = [](std::span<const LogicalType>) -> Result<BoundScalar> {
    ScalarKernel kernel = [](FunctionContext& context, std::span<const Vector>,
                             int64_t rows) -> Result<Vector> {
      thread_local std::mt19937_64 engine{std::random_device{}()};
      std::uniform_real_distribution<double> distribution(0.0, 1.0);
      vector::VectorBuilder builder(LogicalType::Double(), context.tracker);
      FLOE_ASSIGN_OR_RETURN(double* out, builder.AppendUninitialized<double>(rows));
      for (int64_t row = 0; row < rows; ++row) {
        out[row] = distribution(engine);
      }
      return builder.Finish();
    };
    return BoundScalar{LogicalType::Double(), kernel};
  };
  registry.AddScalar(random);
}

// abs of the integer types keeps the type and fails on the most negative value.
template <typename T>
ScalarKernel IntegerAbs(TypeId id) {
  return
      [id](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return UnaryFixed<T, T>(
            context, args[0], rows, args[0].type(),
            [](T x, T* out) -> unsigned {
              if (x == std::numeric_limits<T>::min()) {
                *out = x;  // Unused: the row fails. Negating it would overflow.
                return kOverflow;
              }
              *out = x < 0 ? static_cast<T>(-x) : x;
              return kOk;
            },
            [id](unsigned) { return IntegerOutOfRange(id); });
      };
}

void RegisterIntegerFunctions(FunctionRegistry& registry) {
  registry.AddScalar(FixedOverload("abs", {TypeId::kSmallInt}, LogicalType::SmallInt(),
                                   IntegerAbs<int16_t>(TypeId::kSmallInt)));
  registry.AddScalar(FixedOverload("abs", {TypeId::kInteger}, LogicalType::Integer(),
                                   IntegerAbs<int32_t>(TypeId::kInteger)));
  registry.AddScalar(FixedOverload("abs", {TypeId::kBigInt}, LogicalType::BigInt(),
                                   IntegerAbs<int64_t>(TypeId::kBigInt)));
}

// How a DECIMAL function rounds its value: to `digits` fraction digits, half away from zero,
// toward zero, toward +infinity or toward -infinity.
enum class Rounding : uint8_t { kHalfAway, kTruncate, kCeiling, kFloor };

Int128 RoundUnscaled(Int128 value, int drop, Rounding rounding) {
  if (drop <= 0) {
    return value;
  }
  if (drop > 38) {
    return 0;
  }
  Int128 factor = types::PowerOfTen(drop);
  Int128 quotient = value / factor;
  Int128 remainder = value % factor;
  switch (rounding) {
    case Rounding::kHalfAway:
      return types::DivideRoundingHalfAway(value, factor) * factor;
    case Rounding::kTruncate:
      return quotient * factor;
    case Rounding::kCeiling:
      return (quotient + (remainder > 0 ? 1 : 0)) * factor;
    case Rounding::kFloor:
      return (quotient - (remainder < 0 ? 1 : 0)) * factor;
  }
  return value;
}

// ceil, floor, round and trunc of DECIMAL(p,s) without a digits argument give DECIMAL(p-s+1,0).
ScalarOverload DecimalRounding(const char* name, Rounding rounding) {
  return BoundOverload(
      name, Specs({TypeId::kDecimal}),
      [rounding](std::span<const LogicalType> types) -> Result<BoundScalar> {
        LogicalType input = types[0];
        LogicalType result = BoundedDecimal(input.precision() - input.scale() + 1, 0);
        ScalarKernel kernel = [input, result, rounding](FunctionContext& context,
                                                        std::span<const Vector> args,
                                                        int64_t rows) -> Result<Vector> {
          Int128 factor = types::PowerOfTen(input.scale());
          return VisitDecimalStorage(input, [&](auto in_storage) {
            using A = decltype(in_storage);
            return VisitDecimalStorage(result, [&](auto out_storage) {
              using R = decltype(out_storage);
              return UnaryFixed<A, R>(
                  context, args[0], rows, result,
                  [&](A x, R* out) -> unsigned {
                    *out = static_cast<R>(RoundUnscaled(x, input.scale(), rounding) / factor);
                    return kOk;
                  },
                  MathError);
            });
          });
        };
        return BoundScalar{result, kernel};
      });
}

// round(numeric, n) and trunc(numeric, n): with n a known constant the result has scale
// max(n, 0), as PostgreSQL prints it; otherwise the input's scale, digits past n being zero.
// Either way one more integer digit holds a carry.
ScalarOverload DecimalRoundingTo(const char* name, Rounding rounding) {
  ScalarOverload overload;
  overload.name = name;
  overload.arguments = Specs({TypeId::kDecimal, TypeId::kInteger});
  overload.bind_with_constants =
      [rounding](std::span<const LogicalType> types,
                 std::span<const types::Value> constants) -> Result<BoundScalar> {
    LogicalType input = types[0];
    int integer_digits = input.precision() - input.scale() + 1;
    LogicalType result = BoundedDecimal(integer_digits, input.scale());
    if (constants.size() > 1 && !constants[1].is_null() &&
        constants[1].type().id() == TypeId::kInteger) {
      result = BoundedDecimal(integer_digits, std::clamp(constants[1].integer_value(), 0, 38));
    }
    ScalarKernel kernel = [input, result, rounding](FunctionContext& context,
                                                    std::span<const Vector> args,
                                                    int64_t rows) -> Result<Vector> {
      Int128 up = types::PowerOfTen(std::max(0, result.scale() - input.scale()));
      return VisitDecimalStorage(input, [&](auto in_storage) {
        using A = decltype(in_storage);
        return VisitDecimalStorage(result, [&](auto out_storage) {
          using R = decltype(out_storage);
          return BinaryFixed<A, int32_t, R>(
              context, args[0], args[1], rows, result,
              [&](A x, int32_t digits, R* out) -> unsigned {
                int drop = input.scale() - std::clamp(digits, -40, 40);
                Int128 rounded = RoundUnscaled(x, drop, rounding);
                // Rounded to `digits`, then expressed at the result's scale.
                int shrink = input.scale() - result.scale();
                Int128 value = 0;
                if (shrink > 0) {
                  value = rounded / types::PowerOfTen(shrink);
                } else if (__builtin_mul_overflow(rounded, up, &value)) {
                  *out = 0;
                  return kOverflow;
                }
                *out = static_cast<R>(value);
                return types::FitsPrecision(value, result.precision()) ? kOk : kOverflow;
              },
              [result](unsigned) {
                return types::NumericFieldOverflow(result.precision(), result.scale());
              });
        });
      });
    };
    return BoundScalar{result, StrictKernel(result, kernel)};
  };
  return overload;
}

ScalarOverload DecimalSameType(const char* name, Int128 (*op)(Int128)) {
  return BoundOverload(name, Specs({TypeId::kDecimal}),
                       [op](std::span<const LogicalType> types) -> Result<BoundScalar> {
                         ScalarKernel kernel = [op](FunctionContext& context,
                                                    std::span<const Vector> args,
                                                    int64_t rows) -> Result<Vector> {
                           return VisitDecimalStorage(args[0].type(), [&](auto storage) {
                             using T = decltype(storage);
                             return UnaryFixed<T, T>(
                                 context, args[0], rows, args[0].type(),
                                 [op](T x, T* out) -> unsigned {
                                   *out = static_cast<T>(op(x));
                                   return kOk;
                                 },
                                 MathError);
                           });
                         };
                         return BoundScalar{types[0], kernel};
                       });
}

void RegisterDecimalFunctions(FunctionRegistry& registry) {
  registry.AddScalar(DecimalRounding("round", Rounding::kHalfAway));
  registry.AddScalar(DecimalRounding("trunc", Rounding::kTruncate));
  registry.AddScalar(DecimalRounding("ceil", Rounding::kCeiling));
  registry.AddScalar(DecimalRounding("ceiling", Rounding::kCeiling));
  registry.AddScalar(DecimalRounding("floor", Rounding::kFloor));
  registry.AddScalar(DecimalRoundingTo("round", Rounding::kHalfAway));
  registry.AddScalar(DecimalRoundingTo("trunc", Rounding::kTruncate));
  registry.AddScalar(DecimalSameType("abs", [](Int128 x) { return x < 0 ? -x : x; }));
  registry.AddScalar(BoundOverload(
      "sign", Specs({TypeId::kDecimal}), [](std::span<const LogicalType>) -> Result<BoundScalar> {
        LogicalType result = LogicalType::Decimal(1, 0).value();
        ScalarKernel kernel = [result](FunctionContext& context, std::span<const Vector> args,
                                       int64_t rows) -> Result<Vector> {
          return VisitDecimalStorage(args[0].type(), [&](auto storage) {
            using T = decltype(storage);
            return UnaryFixed<T, int64_t>(
                context, args[0], rows, result,
                [](T x, int64_t* out) -> unsigned {
                  *out = (x > 0) - (x < 0);
                  return kOk;
                },
                MathError);
          });
        };
        return BoundScalar{result, kernel};
      }));
}

void RegisterWidthBucket(FunctionRegistry& registry) {
  registry.AddScalar(FixedOverload(
      "width_bucket", {TypeId::kDouble, TypeId::kDouble, TypeId::kDouble, TypeId::kInteger},
      LogicalType::Integer(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(
            context, args, rows, LogicalType::Integer(),
            [&](int64_t row, vector::VectorBuilder& out) -> Status {
              double operand = args[0].Get<double>(row);
              double low = args[1].Get<double>(row);
              double high = args[2].Get<double>(row);
              int32_t count = args[3].Get<int32_t>(row);
              if (count <= 0) {
                return Status::InvalidArgument("count must be greater than zero")
                    .WithSqlState("2201G");
              }
              if (low == high || std::isnan(operand) || std::isnan(low) || std::isnan(high)) {
                return Status::InvalidArgument("lower bound cannot equal upper bound")
                    .WithSqlState("2201G");
              }
              int32_t bucket = 0;
              if (low < high) {
                bucket = operand < low ? 0
                         : operand >= high
                             ? count + 1
                             : static_cast<int32_t>(count * (operand - low) / (high - low)) + 1;
              } else {
                bucket = operand > low ? 0
                         : operand <= high
                             ? count + 1
                             : static_cast<int32_t>(count * (low - operand) / (low - high)) + 1;
              }
              return out.Append<int32_t>(bucket);
            });
      }));
}

}  // namespace

void RegisterMathFunctions(FunctionRegistry& registry) {
  RegisterDoubleFunctions(registry);
  RegisterConstants(registry);
  RegisterIntegerFunctions(registry);
  RegisterDecimalFunctions(registry);
  RegisterWidthBucket(registry);
}

}  // namespace floe::sql::internal
