// The arithmetic operators + - * / % ^ and unary - + on the integer, float and DECIMAL types,
// with PostgreSQL's overflow and division-by-zero errors.

#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>

#include "sql/functions/cast_vector.h"
#include "sql/functions/decimal_rules.h"
#include "sql/functions/registration_internal.h"
#include "types/decimal.h"

namespace floe::sql::internal {
namespace {

using types::Int128;
using types::LogicalType;
using types::TypeId;
using vector::Vector;

// Error codes the loops report; ArithmeticError turns them into statuses.
constexpr unsigned kOk = 0;
constexpr unsigned kOverflow = 1;
constexpr unsigned kDivisionByZero = 2;
constexpr unsigned kUnderflow = 4;

template <typename T>
TypeId IntegerTypeId() {
  if constexpr (sizeof(T) == 2) {
    return TypeId::kSmallInt;
  } else if constexpr (sizeof(T) == 4) {
    return TypeId::kInteger;
  } else {
    return TypeId::kBigInt;
  }
}

// The error of the first failing row: the loops OR the codes of all rows, so a recheck of the
// row decides which one it was.
auto IntegerErrors(TypeId id) {
  return [id](unsigned code) {
    return (code & kDivisionByZero) != 0 ? DivisionByZeroError() : IntegerOutOfRange(id);
  };
}

auto FloatErrors() {
  return [](unsigned code) {
    if ((code & kDivisionByZero) != 0) {
      return DivisionByZeroError();
    }
    return (code & kOverflow) != 0 ? Status::OutOfRange("value out of range: overflow")
                                   : Status::OutOfRange("value out of range: underflow");
  };
}

template <typename T, typename Op>
ScalarKernel IntegerBinary(Op op) {
  return
      [op](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BinaryFixed<T, T, T>(context, args[0], args[1], rows, args[0].type(), op,
                                    IntegerErrors(IntegerTypeId<T>()));
      };
}

template <typename T>
void RegisterIntegerOperators(FunctionRegistry& registry, TypeId id) {
  LogicalType type = TypeOf(id);
  auto add = IntegerBinary<T>([](T a, T b, T* out) -> unsigned {
    return __builtin_add_overflow(a, b, out) ? kOverflow : kOk;
  });
  auto subtract = IntegerBinary<T>([](T a, T b, T* out) -> unsigned {
    return __builtin_sub_overflow(a, b, out) ? kOverflow : kOk;
  });
  auto multiply = IntegerBinary<T>([](T a, T b, T* out) -> unsigned {
    return __builtin_mul_overflow(a, b, out) ? kOverflow : kOk;
  });
  // C++ division truncates toward zero, as PostgreSQL's does; the guards keep the CPU from
  // trapping on x / 0 and MIN / -1, including in NULL rows whose values are garbage.
  auto divide = IntegerBinary<T>([](T a, T b, T* out) -> unsigned {
    if (b == 0) {
      *out = 0;
      return kDivisionByZero;
    }
    if (b == -1) {
      return __builtin_sub_overflow(T{0}, a, out) ? kOverflow : kOk;
    }
    *out = static_cast<T>(a / b);
    return kOk;
  });
  auto modulo = IntegerBinary<T>([](T a, T b, T* out) -> unsigned {
    if (b == 0) {
      *out = 0;
      return kDivisionByZero;
    }
    *out = b == -1 ? T{0} : static_cast<T>(a % b);
    return kOk;
  });
  registry.AddScalar(FixedOverload("+", {id, id}, type, add));
  registry.AddScalar(FixedOverload("-", {id, id}, type, subtract));
  registry.AddScalar(FixedOverload("*", {id, id}, type, multiply));
  registry.AddScalar(FixedOverload("/", {id, id}, type, divide));
  registry.AddScalar(FixedOverload("%", {id, id}, type, modulo));
  registry.AddScalar(FixedOverload("mod", {id, id}, type, modulo));
  ScalarKernel negate = [](FunctionContext& context, std::span<const Vector> args,
                           int64_t rows) -> Result<Vector> {
    return UnaryFixed<T, T>(
        context, args[0], rows, args[0].type(),
        [](T a, T* out) -> unsigned {
          return __builtin_sub_overflow(T{0}, a, out) ? kOverflow : kOk;
        },
        IntegerErrors(IntegerTypeId<T>()));
  };
  registry.AddScalar(FixedOverload("-", {id}, type, negate));
  ScalarKernel identity = [](FunctionContext&, std::span<const Vector> args,
                             int64_t) -> Result<Vector> { return args[0]; };
  registry.AddScalar(FixedOverload("+", {id}, type, identity));
}

template <typename T, typename Op>
ScalarKernel FloatBinary(Op op) {
  return [op](FunctionContext& context, std::span<const Vector> args,
              int64_t rows) -> Result<Vector> {
    return BinaryFixed<T, T, T>(context, args[0], args[1], rows, args[0].type(), op, FloatErrors());
  };
}

// PostgreSQL's float checks: an infinite result from finite inputs overflows, a zero result
// from nonzero inputs (of * and /) underflows.
template <typename T>
unsigned CheckFloat(T result, bool inputs_infinite) {
  return (std::isinf(result) && !inputs_infinite) ? kOverflow : kOk;
}

template <typename T>
void RegisterFloatOperators(FunctionRegistry& registry, TypeId id) {
  LogicalType type = TypeOf(id);
  auto add = FloatBinary<T>([](T a, T b, T* out) -> unsigned {
    *out = a + b;
    return CheckFloat(*out, std::isinf(a) || std::isinf(b));
  });
  auto subtract = FloatBinary<T>([](T a, T b, T* out) -> unsigned {
    *out = a - b;
    return CheckFloat(*out, std::isinf(a) || std::isinf(b));
  });
  auto multiply = FloatBinary<T>([](T a, T b, T* out) -> unsigned {
    *out = a * b;
    unsigned code = CheckFloat(*out, std::isinf(a) || std::isinf(b));
    return code | ((*out == 0 && a != 0 && b != 0) ? kUnderflow : kOk);
  });
  auto divide = FloatBinary<T>([](T a, T b, T* out) -> unsigned {
    if (b == 0) {
      *out = 0;
      return kDivisionByZero;
    }
    *out = a / b;
    unsigned code = CheckFloat(*out, std::isinf(a));
    return code | ((*out == 0 && a != 0 && !std::isinf(b)) ? kUnderflow : kOk);
  });
  registry.AddScalar(FixedOverload("+", {id, id}, type, add));
  registry.AddScalar(FixedOverload("-", {id, id}, type, subtract));
  registry.AddScalar(FixedOverload("*", {id, id}, type, multiply));
  registry.AddScalar(FixedOverload("/", {id, id}, type, divide));
  ScalarKernel negate = [](FunctionContext& context, std::span<const Vector> args,
                           int64_t rows) -> Result<Vector> {
    return UnaryFixed<T, T>(
        context, args[0], rows, args[0].type(),
        [](T a, T* out) -> unsigned {
          *out = -a;
          return kOk;
        },
        FloatErrors());
  };
  registry.AddScalar(FixedOverload("-", {id}, type, negate));
  ScalarKernel identity = [](FunctionContext&, std::span<const Vector> args,
                             int64_t) -> Result<Vector> { return args[0]; };
  registry.AddScalar(FixedOverload("+", {id}, type, identity));
}

// real op double and double op real compute in double, as PostgreSQL's float48 operators do.
void RegisterMixedFloatOperators(FunctionRegistry& registry) {
  for (const char* name : {"+", "-", "*", "/"}) {
    for (auto ids :
         {std::pair{TypeId::kReal, TypeId::kDouble}, std::pair{TypeId::kDouble, TypeId::kReal}}) {
      registry.AddScalar(BoundOverload(
          name, Specs({ids.first, ids.second}),
          [name](std::span<const LogicalType>) -> Result<BoundScalar> {
            FLOE_ASSIGN_OR_RETURN(
                ScalarFunction inner,
                FunctionRegistry::Default().ResolveScalar(
                    name, std::vector<LogicalType>{LogicalType::Double(), LogicalType::Double()}));
            ScalarKernel kernel = [inner](FunctionContext& context, std::span<const Vector> args,
                                          int64_t rows) -> Result<Vector> {
              std::vector<Vector> cast;
              for (const Vector& arg : args) {
                FLOE_ASSIGN_OR_RETURN(Vector one,
                                      CastVector(context, arg, rows, LogicalType::Double()));
                cast.push_back(std::move(one));
              }
              return inner.kernel(context, cast, rows);
            };
            return BoundScalar{LogicalType::Double(), kernel};
          }));
    }
  }
}

// ---- DECIMAL ----------------------------------------------------------------------------------

Status NumericOverflow(const LogicalType& type) {
  return types::NumericFieldOverflow(type.precision(), type.scale());
}

// Runs `op(Int128 a, Int128 b, Int128* out)` over two DECIMAL vectors of any storage, storing
// the result in the result type's storage.
template <typename Op>
Result<Vector> DecimalBinary(FunctionContext& context, std::span<const Vector> args, int64_t rows,
                             const LogicalType& result, Op op) {
  Int128 limit = types::PowerOfTen(result.precision());
  auto error = [&](unsigned code) {
    return (code & kDivisionByZero) != 0 ? DivisionByZeroError() : NumericOverflow(result);
  };
  return VisitDecimalStorage(args[0].type(), [&](auto a_storage) {
    using A = decltype(a_storage);
    return VisitDecimalStorage(args[1].type(), [&](auto b_storage) {
      using B = decltype(b_storage);
      return VisitDecimalStorage(result, [&](auto r_storage) {
        using R = decltype(r_storage);
        return BinaryFixed<A, B, R>(
            context, args[0], args[1], rows, result,
            [&](A a, B b, R* out) -> unsigned {
              Int128 value = 0;
              unsigned code = op(Int128{a}, Int128{b}, &value);
              if (code == kOk && (value >= limit || value <= -limit)) {
                code = kOverflow;
              }
              *out = static_cast<R>(value);
              return code;
            },
            error);
      });
    });
  });
}

unsigned ScaleUp(Int128 value, Int128 factor, Int128* out) {
  return __builtin_mul_overflow(value, factor, out) ? kOverflow : kOk;
}

// Runs `op64(int64_t a, int64_t b, R* out)` over two DECIMAL vectors of 64-bit storage when
// the result's storage is R; returns nullopt when the storages differ or some row failed, so
// that the caller runs the exact 128-bit loop, which decides between a value and an error.
// Decimals of up to 18 digits (DECIMAL(15,2) prices, their sums and products) then compute
// in one machine operation per row instead of 128-bit arithmetic with a checked multiply.
template <typename R, typename Op64>
std::optional<Result<Vector>> TryDecimalBinary64(FunctionContext& context,
                                                 std::span<const Vector> args, int64_t rows,
                                                 const LogicalType& result, Op64 op64) {
  if (!IsDecimal64(args[0].type()) || !IsDecimal64(args[1].type()) ||
      IsDecimal64(result) != std::is_same_v<R, int64_t>) {
    return std::nullopt;
  }
  bool row_failed = false;
  Result<Vector> fast = BinaryFixed<int64_t, int64_t, R>(
      context, args[0], args[1], rows, result, op64, [&](unsigned) {
        row_failed = true;
        return Status::OutOfRange("decimal row needs the exact path");
      });
  if (!fast.ok() && row_failed) {
    return std::nullopt;
  }
  return fast;
}

ScalarOverload DecimalOverload(const char* name,
                               LogicalType (*result_type)(const LogicalType&, const LogicalType&)) {
  std::string op_name = name;
  return BoundOverload(
      name, Specs({TypeId::kDecimal, TypeId::kDecimal}),
      [op_name, result_type](std::span<const LogicalType> types) -> Result<BoundScalar> {
        LogicalType result = result_type(types[0], types[1]);
        int s1 = types[0].scale();
        int s2 = types[1].scale();
        int s = result.scale();
        ScalarKernel kernel;
        if (op_name == "+" || op_name == "-" || op_name == "%" || op_name == "mod") {
          // Align both operands to the larger scale; the result scale may be smaller only when
          // the bounds shrank it, and then the aligned value is rounded.
          int common = std::max(s1, s2);
          Int128 fa = types::PowerOfTen(common - s1);
          Int128 fb = types::PowerOfTen(common - s2);
          Int128 down = types::PowerOfTen(common - std::min(common, s));
          char op = op_name[0] == 'm' ? '%' : op_name[0];
          // Factors below 10^18 and no rounding: the 64-bit loop applies (IsDecimal64 inputs).
          const bool may_use_64 = op != '%' && down == 1 && common - std::min(s1, s2) <= 18;
          const int64_t fa64 = static_cast<int64_t>(fa);
          const int64_t fb64 = static_cast<int64_t>(fb);
          const int64_t limit64 = result.precision() <= 18
                                      ? static_cast<int64_t>(types::PowerOfTen(result.precision()))
                                      : 0;
          kernel = [=](FunctionContext& context, std::span<const Vector> args,
                       int64_t rows) -> Result<Vector> {
            if (may_use_64 && limit64 > 0) {
              auto fast = TryDecimalBinary64<int64_t>(
                  context, args, rows, result, [=](int64_t a, int64_t b, int64_t* out) -> unsigned {
                    int64_t x = 0;
                    int64_t y = 0;
                    int64_t value = 0;
                    bool overflow = __builtin_mul_overflow(a, fa64, &x);
                    overflow |= __builtin_mul_overflow(b, fb64, &y);
                    overflow |= op == '+' ? __builtin_add_overflow(x, y, &value)
                                          : __builtin_sub_overflow(x, y, &value);
                    *out = value;
                    return (overflow || value >= limit64 || value <= -limit64) ? kOverflow : kOk;
                  });
              if (fast.has_value()) {
                return std::move(*fast);
              }
            }
            return DecimalBinary(
                context, args, rows, result, [=](Int128 a, Int128 b, Int128* out) -> unsigned {
                  Int128 x = 0;
                  Int128 y = 0;
                  if ((ScaleUp(a, fa, &x) | ScaleUp(b, fb, &y)) != kOk) {
                    return kOverflow;
                  }
                  Int128 value = 0;
                  if (op == '%') {
                    if (y == 0) {
                      return kDivisionByZero;
                    }
                    value = x % y;
                  } else if (op == '+' ? __builtin_add_overflow(x, y, &value)
                                       : __builtin_sub_overflow(x, y, &value)) {
                    return kOverflow;
                  }
                  *out = down == 1 ? value : types::DivideRoundingHalfAway(value, down);
                  return kOk;
                });
          };
        } else if (op_name == "*") {
          Int128 down = types::PowerOfTen(s1 + s2 - std::min(s1 + s2, s));
          const Int128 limit = types::PowerOfTen(result.precision());
          const int64_t limit64 = result.precision() <= 18 ? static_cast<int64_t>(limit) : 0;
          kernel = [=](FunctionContext& context, std::span<const Vector> args,
                       int64_t rows) -> Result<Vector> {
            if (down == 1 && limit64 > 0) {
              auto fast = TryDecimalBinary64<int64_t>(
                  context, args, rows, result, [=](int64_t a, int64_t b, int64_t* out) -> unsigned {
                    int64_t value = 0;
                    bool overflow = __builtin_mul_overflow(a, b, &value);
                    *out = value;
                    return (overflow || value >= limit64 || value <= -limit64) ? kOverflow : kOk;
                  });
              if (fast.has_value()) {
                return std::move(*fast);
              }
            } else if (down == 1) {
              // Two 64-bit factors multiply exactly in 128 bits; only the precision can fail.
              auto fast = TryDecimalBinary64<Int128>(
                  context, args, rows, result, [=](int64_t a, int64_t b, Int128* out) -> unsigned {
                    Int128 value = Int128{a} * b;
                    *out = value;
                    return (value >= limit || value <= -limit) ? kOverflow : kOk;
                  });
              if (fast.has_value()) {
                return std::move(*fast);
              }
            }
            return DecimalBinary(
                context, args, rows, result, [=](Int128 a, Int128 b, Int128* out) -> unsigned {
                  Int128 value = 0;
                  // Two 64-bit factors cannot overflow 128 bits; the checked
                  // multiply is a slow library call.
                  constexpr Int128 kLimit = Int128{1} << 62;
                  if (a < kLimit && a > -kLimit && b < kLimit && b > -kLimit) {
                    value = a * b;
                  } else if (__builtin_mul_overflow(a, b, &value)) {
                    return kOverflow;
                  }
                  *out = down == 1 ? value : types::DivideRoundingHalfAway(value, down);
                  return kOk;
                });
          };
        } else {
          kernel = [=](FunctionContext& context, std::span<const Vector> args,
                       int64_t rows) -> Result<Vector> {
            return DecimalBinary(context, args, rows, result,
                                 [=](Int128 a, Int128 b, Int128* out) -> unsigned {
                                   return DivideDecimal(a, s1, b, s2, s, out);
                                 });
          };
        }
        return BoundScalar{result, kernel};
      });
}

}  // namespace

unsigned DivideDecimal(Int128 a, int a_scale, Int128 b, int b_scale, int scale, Int128* out) {
  if (b == 0) {
    *out = 0;
    return kDivisionByZero;
  }
  // a / b at `scale` is (a * 10^(scale - a_scale + b_scale)) / b, rounded half away from zero.
  int shift = scale - a_scale + b_scale;
  bool negative = (a < 0) != (b < 0);
  using U = types::UInt128;
  U x = a < 0 ? U(0) - U(a) : U(a);
  U y = b < 0 ? U(0) - U(b) : U(b);
  if (shift < 0) {
    U divisor = 0;
    if (__builtin_mul_overflow(y, U(types::PowerOfTen(-shift)), &divisor)) {
      *out = 0;
      return kOk;
    }
    y = divisor;
    shift = 0;
  }
  // Long division, one decimal digit at a time past the integer quotient, so that no
  // intermediate product needs more than 128 bits while the remainder stays below 2^124.
  U quotient = x / y;
  U remainder = x % y;
  constexpr U kRemainderLimit = U(1) << 124;
  for (int digit = 0; digit < shift; ++digit) {
    if (remainder >= kRemainderLimit || quotient > (~U(0)) / 20) {
      return kOverflow;
    }
    remainder *= 10;
    quotient = quotient * 10 + remainder / y;
    remainder %= y;
  }
  if (remainder >= kRemainderLimit) {
    return kOverflow;
  }
  if (remainder * 2 >= y) {
    ++quotient;
  }
  if (quotient > U(types::kInt128Max)) {
    return kOverflow;
  }
  *out = negative ? -Int128(quotient) : Int128(quotient);
  return kOk;
}

namespace {

void RegisterDecimalOperators(FunctionRegistry& registry) {
  registry.AddScalar(DecimalOverload("+", DecimalAddType));
  registry.AddScalar(DecimalOverload("-", DecimalAddType));
  registry.AddScalar(DecimalOverload("*", DecimalMultiplyType));
  registry.AddScalar(DecimalOverload("/", DecimalDivideType));
  registry.AddScalar(DecimalOverload("%", DecimalModuloType));
  registry.AddScalar(DecimalOverload("mod", DecimalModuloType));
  registry.AddScalar(BoundOverload(
      "-", Specs({TypeId::kDecimal}),
      [](std::span<const LogicalType> types) -> Result<BoundScalar> {
        ScalarKernel kernel = [](FunctionContext& context, std::span<const Vector> args,
                                 int64_t rows) -> Result<Vector> {
          return VisitDecimalStorage(args[0].type(), [&](auto storage) {
            using T = decltype(storage);
            return UnaryFixed<T, T>(
                context, args[0], rows, args[0].type(),
                [](T a, T* out) -> unsigned {
                  *out = -a;
                  return kOk;
                },
                [](unsigned) { return Status::OK(); });
          });
        };
        return BoundScalar{types[0], kernel};
      }));
  registry.AddScalar(BoundOverload("+", Specs({TypeId::kDecimal}),
                                   [](std::span<const LogicalType> types) -> Result<BoundScalar> {
                                     ScalarKernel identity =
                                         [](FunctionContext&, std::span<const Vector> args,
                                            int64_t) -> Result<Vector> { return args[0]; };
                                     return BoundScalar{types[0], identity};
                                   }));
}

void RegisterPower(FunctionRegistry& registry) {
  ScalarKernel power = [](FunctionContext& context, std::span<const Vector> args,
                          int64_t rows) -> Result<Vector> {
    return BinaryFixed<double, double, double>(
        context, args[0], args[1], rows, LogicalType::Double(),
        [](double a, double b, double* out) -> unsigned {
          // PostgreSQL's dpow: a negative base needs an integral exponent, and zero cannot be
          // raised to a negative power.
          if (a == 0 && b < 0) {
            *out = 0;
            return 8;
          }
          if (a < 0 && std::floor(b) != b) {
            *out = 0;
            return 16;
          }
          *out = std::pow(a, b);
          unsigned code = (std::isinf(*out) && !std::isinf(a) && !std::isinf(b)) ? kOverflow : kOk;
          return code | ((*out == 0 && a != 0 && !std::isinf(b) && b > 0) ? kUnderflow : kOk);
        },
        [](unsigned code) {
          if ((code & 8) != 0) {
            return Status::InvalidArgument("zero raised to a negative power is undefined")
                .WithSqlState("2201F");
          }
          if ((code & 16) != 0) {
            return Status::InvalidArgument(
                       "a negative number raised to a non-integer power yields a complex result")
                .WithSqlState("2201F");
          }
          return FloatErrors()(code);
        });
  };
  for (const char* name : {"^", "power", "pow"}) {
    registry.AddScalar(
        FixedOverload(name, {TypeId::kDouble, TypeId::kDouble}, LogicalType::Double(), power));
  }
}

}  // namespace

void RegisterArithmetic(FunctionRegistry& registry) {
  RegisterIntegerOperators<int16_t>(registry, TypeId::kSmallInt);
  RegisterIntegerOperators<int32_t>(registry, TypeId::kInteger);
  RegisterIntegerOperators<int64_t>(registry, TypeId::kBigInt);
  RegisterFloatOperators<float>(registry, TypeId::kReal);
  RegisterFloatOperators<double>(registry, TypeId::kDouble);
  RegisterMixedFloatOperators(registry);
  RegisterDecimalOperators(registry);
  RegisterPower(registry);
}

}  // namespace floe::sql::internal
