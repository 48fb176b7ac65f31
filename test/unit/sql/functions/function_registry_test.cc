#include "sql/functions/function_registry.h"

#include <gtest/gtest.h>

#include "function_test_harness.h"
#include "sql/functions/type_coercion.h"

namespace floe::sql {
namespace {

using types::LogicalType;

LogicalType Numeric(int precision, int scale) {
  return LogicalType::Decimal(precision, scale).value();
}

Result<ScalarFunction> Resolve(std::string_view name, std::vector<LogicalType> types) {
  return FunctionRegistry::Default().ResolveScalar(name, types);
}

std::string ReturnOf(std::string_view name, std::vector<LogicalType> types) {
  Result<ScalarFunction> function = Resolve(name, std::move(types));
  return function.ok() ? function->return_type.ToString()
                       : std::string(function.status().message());
}

TEST(FunctionRegistryTest, ExactMatchesKeepTheirTypes) {
  EXPECT_EQ(ReturnOf("+", {LogicalType::Integer(), LogicalType::Integer()}), "integer");
  EXPECT_EQ(ReturnOf("+", {LogicalType::SmallInt(), LogicalType::SmallInt()}), "smallint");
  EXPECT_EQ(ReturnOf("=", {LogicalType::Varchar(), LogicalType::Varchar()}), "boolean");
}

TEST(FunctionRegistryTest, ImplicitCastsPickTheWiderType) {
  // As PostgreSQL 15: pg_typeof(1::int8 + 1::int2) is bigint, 1 + 1.5 is numeric,
  // 1.5 + 2::float8 is double precision, 1 + 1.5::float4 is double precision.
  EXPECT_EQ(ReturnOf("+", {LogicalType::BigInt(), LogicalType::SmallInt()}), "bigint");
  EXPECT_EQ(ReturnOf("+", {LogicalType::SmallInt(), LogicalType::Integer()}), "integer");
  Result<ScalarFunction> mixed = Resolve("+", {LogicalType::Integer(), Numeric(2, 1)});
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(mixed->argument_types[0], Numeric(10, 0));
  EXPECT_EQ(mixed->return_type, Numeric(12, 1));
  EXPECT_EQ(ReturnOf("+", {Numeric(2, 1), LogicalType::Double()}), "double precision");
  EXPECT_EQ(ReturnOf("+", {LogicalType::Integer(), LogicalType::Real()}), "double precision");
  EXPECT_EQ(ReturnOf("+", {LogicalType::Real(), LogicalType::Real()}), "real");
  EXPECT_EQ(ReturnOf("=", {LogicalType::Integer(), LogicalType::BigInt()}), "boolean");
  Result<ScalarFunction> compare = Resolve("<", {LogicalType::Date(), LogicalType::Timestamp()});
  ASSERT_TRUE(compare.ok());
  EXPECT_EQ(compare->argument_types[0], LogicalType::Timestamp());
}

TEST(FunctionRegistryTest, UnknownArgumentsAdaptToTheOtherOperand) {
  Result<ScalarFunction> plus = Resolve("+", {LogicalType::Null(), LogicalType::Integer()});
  ASSERT_TRUE(plus.ok());
  EXPECT_EQ(plus->argument_types[0], LogicalType::Integer());
  EXPECT_EQ(plus->return_type, LogicalType::Integer());
  Result<ScalarFunction> decimal = Resolve("+", {LogicalType::Null(), Numeric(3, 1)});
  ASSERT_TRUE(decimal.ok());
  EXPECT_EQ(decimal->argument_types[0], Numeric(3, 1));
  // PostgreSQL: pg_typeof(round(NULL)) and pg_typeof(sqrt(NULL)) are double precision, and
  // length(NULL) is integer (text wins for unknown arguments).
  EXPECT_EQ(ReturnOf("round", {LogicalType::Null()}), "double precision");
  EXPECT_EQ(ReturnOf("sqrt", {LogicalType::Null()}), "double precision");
  EXPECT_EQ(ReturnOf("length", {LogicalType::Null()}), "integer");
  EXPECT_EQ(ReturnOf("||", {LogicalType::Null(), LogicalType::Integer()}), "text");
}

TEST(FunctionRegistryTest, MissingFunctionsAndOperatorsReportPostgresErrors) {
  Result<ScalarFunction> op = Resolve("+", {LogicalType::Integer(), LogicalType::Varchar()});
  ASSERT_FALSE(op.ok());
  EXPECT_EQ(op.status().message(), "operator does not exist: integer + text");
  EXPECT_EQ(op.status().sql_state(), "42883");
  EXPECT_EQ(op.status().hint(),
            "No operator matches the given name and argument types. You might need to add "
            "explicit type casts.");
  Result<ScalarFunction> function = Resolve("foo", {LogicalType::Integer()});
  ASSERT_FALSE(function.ok());
  EXPECT_EQ(function.status().message(), "function foo(integer) does not exist");
  EXPECT_EQ(function.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(function.status().hint(),
            "No function matches the given name and argument types. You might need to add "
            "explicit type casts.");
  Result<ScalarFunction> typed = Resolve("lower", {LogicalType::Integer()});
  ASSERT_FALSE(typed.ok());
  EXPECT_EQ(typed.status().message(), "function lower(integer) does not exist");
  EXPECT_EQ(Resolve("abs", {Numeric(5, 2), LogicalType::Integer()}).status().message(),
            "function abs(numeric, integer) does not exist");
  EXPECT_EQ(Resolve("-", {LogicalType::Varchar()}).status().message(),
            "operator does not exist: - text");
}

TEST(FunctionRegistryTest, AmbiguousCallsAreNotUnique) {
  // PostgreSQL 15: "operator is not unique: unknown + unknown", "operator is not unique: -
  // unknown" and "function date_part(unknown, unknown) is not unique".
  Result<ScalarFunction> both = Resolve("+", {LogicalType::Null(), LogicalType::Null()});
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().message(), "operator is not unique: unknown + unknown");
  EXPECT_EQ(both.status().sql_state(), "42725");
  EXPECT_EQ(both.status().hint(),
            "Could not choose a best candidate operator. You might need to add explicit type "
            "casts.");
  EXPECT_EQ(Resolve("-", {LogicalType::Null()}).status().message(),
            "operator is not unique: - unknown");
  Result<ScalarFunction> part = Resolve("date_part", {LogicalType::Null(), LogicalType::Null()});
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.status().message(), "function date_part(unknown, unknown) is not unique");
  EXPECT_EQ(part.status().hint(),
            "Could not choose a best candidate function. You might need to add explicit type "
            "casts.");
}

TEST(FunctionRegistryTest, AggregatesResolveLikeFunctions) {
  const FunctionRegistry& registry = FunctionRegistry::Default();
  EXPECT_TRUE(registry.IsAggregate("sum"));
  EXPECT_FALSE(registry.IsAggregate("lower"));
  std::vector<LogicalType> none;
  Result<AggregateFunction> count = registry.ResolveAggregate("count", none);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(count->return_type, LogicalType::BigInt());
  std::vector<LogicalType> integer = {LogicalType::Integer()};
  EXPECT_EQ(registry.ResolveAggregate("sum", integer)->return_type, LogicalType::BigInt());
  EXPECT_EQ(registry.ResolveAggregate("avg", integer)->return_type, Numeric(38, 6));
  std::vector<LogicalType> bigint = {LogicalType::BigInt()};
  EXPECT_EQ(registry.ResolveAggregate("sum", bigint)->return_type, Numeric(38, 0));
  std::vector<LogicalType> money = {Numeric(15, 2)};
  EXPECT_EQ(registry.ResolveAggregate("sum", money)->return_type, Numeric(38, 2));
  std::vector<LogicalType> text = {LogicalType::Varchar()};
  EXPECT_EQ(registry.ResolveAggregate("sum", text).status().message(),
            "function sum(text) does not exist");
  EXPECT_EQ(registry.ResolveAggregate("max", text)->return_type, LogicalType::Varchar());
}

TEST(FunctionRegistryTest, CommonTypeFollowsUnionRules) {
  auto common = [](std::vector<LogicalType> types, std::string_view context) {
    Result<LogicalType> result = CommonType(types, context);
    return result.ok() ? result->ToString() : std::string(result.status().message());
  };
  // PostgreSQL 15: "UNION types integer and text cannot be matched", "CASE types text and
  // integer cannot be matched"; select 1 union select 1.5 is numeric; 1.5 union 1::float4 is
  // real; NULL union NULL is text.
  EXPECT_EQ(common({LogicalType::Integer(), LogicalType::Varchar()}, "UNION"),
            "UNION types integer and text cannot be matched");
  EXPECT_EQ(common({LogicalType::Varchar(), LogicalType::Integer()}, "CASE"),
            "CASE types text and integer cannot be matched");
  EXPECT_EQ(common({LogicalType::Integer(), Numeric(2, 1)}, "UNION"), "numeric(11,1)");
  EXPECT_EQ(common({Numeric(2, 1), LogicalType::Real()}, "UNION"), "real");
  EXPECT_EQ(common({LogicalType::Null(), LogicalType::Null()}, "UNION"), "text");
  EXPECT_EQ(common({LogicalType::Null(), LogicalType::BigInt(), LogicalType::Integer()}, "VALUES"),
            "bigint");
  EXPECT_EQ(common({LogicalType::Date(), LogicalType::Timestamp()}, "COALESCE"),
            "timestamp without time zone");
  EXPECT_EQ(common({LogicalType::Date(), LogicalType::Time()}, "UNION"),
            "UNION could not convert type time without time zone to date");
  Result<LogicalType> error = CommonType(
      std::vector<LogicalType>{LogicalType::Integer(), LogicalType::Varchar()}, "COALESCE");
  EXPECT_EQ(error.status().sql_state(), "42804");
}

TEST(FunctionRegistryTest, ImplicitCastsFollowPostgres) {
  EXPECT_TRUE(CanImplicitlyCast(LogicalType::Integer(), LogicalType::BigInt()));
  EXPECT_TRUE(CanImplicitlyCast(LogicalType::BigInt(), Numeric(19, 0)));
  EXPECT_TRUE(CanImplicitlyCast(Numeric(10, 2), LogicalType::Double()));
  EXPECT_FALSE(CanImplicitlyCast(LogicalType::Double(), Numeric(10, 2)));
  EXPECT_FALSE(CanImplicitlyCast(LogicalType::BigInt(), LogicalType::Integer()));
  EXPECT_TRUE(CanImplicitlyCast(LogicalType::Date(), LogicalType::TimestampTz()));
  EXPECT_FALSE(CanImplicitlyCast(LogicalType::Integer(), LogicalType::Varchar()));
  EXPECT_TRUE(CanImplicitlyCast(LogicalType::Null(), LogicalType::Varchar()));
}

TEST(FunctionRegistryTest, CoalesceReportsItsTypeConflicts) {
  std::vector<LogicalType> types = {LogicalType::Integer(), LogicalType::Varchar()};
  Result<ScalarFunction> coalesce = FunctionRegistry::Default().ResolveScalar("coalesce", types);
  ASSERT_FALSE(coalesce.ok());
  EXPECT_EQ(coalesce.status().message(), "COALESCE types integer and text cannot be matched");
}

}  // namespace
}  // namespace floe::sql
