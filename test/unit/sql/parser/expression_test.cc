#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "sql/parser/deparser.h"
#include "sql/parser/parser.h"

namespace floe::sql::parser {
namespace {

ExpressionPtr Parse(std::string_view text) {
  Result<ExpressionPtr> expression = ParseExpression(text);
  EXPECT_TRUE(expression.ok()) << text << ": " << expression.status().ToString();
  return expression.ok() ? std::move(expression).value() : nullptr;
}

// The canonical (fully parenthesised) text of an expression.
std::string Canonical(std::string_view text) {
  ExpressionPtr expression = Parse(text);
  return expression ? ToSql(*expression) : "<error>";
}

Status ErrorOf(std::string_view text) {
  Result<ExpressionPtr> expression = ParseExpression(text);
  return expression.ok() ? Status::OK() : expression.status();
}

TEST(ParserExpressionTest, PrecedenceFollowsPostgres) {
  // Unary minus binds tighter than ^ (and the sign folds into the constant).
  EXPECT_EQ(Canonical("-2 ^ 2"), "((-2) ^ 2)");
  EXPECT_EQ(Canonical("-x ^ 2"), "((- x) ^ 2)");
  EXPECT_EQ(Canonical("a OR b AND c"), "(a OR (b AND c))");
  EXPECT_EQ(Canonical("NOT a = b"), "(NOT (a = b))");
  EXPECT_EQ(Canonical("NOT a AND b"), "((NOT a) AND b)");
  EXPECT_EQ(Canonical("a::int + 1"), "((a)::integer + 1)");
  EXPECT_EQ(Canonical("-a::int"), "(- (a)::integer)");
  EXPECT_EQ(Canonical("x BETWEEN 1 AND 2 AND y"), "((x BETWEEN 1 AND 2) AND y)");
  EXPECT_EQ(Canonical("1 + 2 * 3 - 4 / 5 % 6"), "((1 + (2 * 3)) - ((4 / 5) % 6))");
  EXPECT_EQ(Canonical("2 ^ 3 ^ 2"), "((2 ^ 3) ^ 2)");
  EXPECT_EQ(Canonical("a || b || c"), "((a || b) || c)");
  EXPECT_EQ(Canonical("a + b || c"), "((a + b) || c)");
  EXPECT_EQ(Canonical("a || b = c"), "((a || b) = c)");
  EXPECT_EQ(Canonical("a = b IS NULL"), "((a = b) IS NULL)");
  EXPECT_EQ(Canonical("a IS NULL IS FALSE"), "((a IS NULL) IS FALSE)");
  EXPECT_EQ(Canonical("a < b LIKE c"), "(a < (b LIKE c))");
  EXPECT_EQ(Canonical("a LIKE b || c"), "(a LIKE (b || c))");
  EXPECT_EQ(Canonical("a = NOT b"), "(a = (NOT b))");
  EXPECT_EQ(Canonical("@ a + b"), "(@ (a + b))");
  EXPECT_EQ(Canonical("a AT TIME ZONE 'UTC' + b"), "((a AT TIME ZONE 'UTC') + b)");
  EXPECT_EQ(Canonical("- a COLLATE \"C\""), "((- a) COLLATE \"C\")");
  EXPECT_EQ(Canonical("a OR b OR c AND d OR e"), "(a OR b OR (c AND d) OR e)");
}

TEST(ParserExpressionTest, QualifiedOperatorIsTheOperatorWithOtherOperatorPrecedence) {
  EXPECT_EQ(Canonical("relname OPERATOR(pg_catalog.~) '^(t)$' COLLATE pg_catalog.default"),
            "(relname ~ ('^(t)$' COLLATE pg_catalog.\"default\"))");
  EXPECT_EQ(Canonical("a OPERATOR(+) b * c"), "(a + (b * c))");
  EXPECT_EQ(Canonical("a OPERATOR(pg_catalog.+) b + c"), "(a + (b + c))");
  EXPECT_EQ(Canonical("a OPERATOR(pg_catalog.=) b AND c"), "((a = b) AND c)");
  Status other = ErrorOf("a OPERATOR(myschema.~) b");
  EXPECT_EQ(other.code(), StatusCode::kNotSupported) << other.ToString();
  EXPECT_EQ(ErrorOf("a OPERATOR(pg_catalog.x) b").code(), StatusCode::kSyntaxError);
}

TEST(ParserExpressionTest, ChainsFlattenIntoOneNode) {
  ExpressionPtr expression = Parse("a AND b AND c AND d");
  ASSERT_EQ(expression->kind, ExpressionKind::kBool);
  EXPECT_EQ(expression->As<BoolExpression>().arguments.size(), 4u);
}

TEST(ParserExpressionTest, NonAssociativeOperatorsAreErrors) {
  Status status = ErrorOf("a < b < c");
  EXPECT_EQ(status.code(), StatusCode::kSyntaxError);
  EXPECT_EQ(status.message(), "syntax error at or near \"<\"");
  EXPECT_EQ(status.position(), 7);
  EXPECT_EQ(ErrorOf("a LIKE b LIKE c").code(), StatusCode::kSyntaxError);
}

TEST(ParserExpressionTest, Constants) {
  ExpressionPtr integer = Parse("-2147483648");
  ASSERT_EQ(integer->kind, ExpressionKind::kConstant);
  EXPECT_EQ(integer->As<ConstantExpression>().constant_kind, ConstantKind::kInteger);
  EXPECT_EQ(integer->As<ConstantExpression>().text, "-2147483648");
  EXPECT_EQ(integer->location, 0);
  EXPECT_EQ(Parse("1.5e3")->As<ConstantExpression>().constant_kind, ConstantKind::kNumeric);
  EXPECT_EQ(Parse("'x'")->As<ConstantExpression>().constant_kind, ConstantKind::kString);
  EXPECT_EQ(Parse("NULL")->As<ConstantExpression>().constant_kind, ConstantKind::kNull);
  EXPECT_TRUE(Parse("TRUE")->As<ConstantExpression>().bool_value);
  EXPECT_EQ(Parse("- -5")->As<ConstantExpression>().text, "5");
  EXPECT_EQ(Parse("$3")->As<ParameterExpression>().index, 3);
  EXPECT_EQ(ErrorOf("$0").message(), "there is no parameter $0");
}

TEST(ParserExpressionTest, TypedLiteralsAndCasts) {
  EXPECT_EQ(Canonical("DATE '2020-01-01'"), "date '2020-01-01'");
  EXPECT_EQ(Canonical("TIMESTAMP '2020-01-01 10:00'"),
            "timestamp without time zone '2020-01-01 10:00'");
  EXPECT_EQ(Canonical("timestamptz '2020-01-01'"), "timestamp with time zone '2020-01-01'");
  EXPECT_EQ(Canonical("INTERVAL '1 day'"), "interval '1 day'");
  EXPECT_EQ(Canonical("INTERVAL '3' MONTH"), "interval '3' month");
  EXPECT_EQ(Canonical("INTERVAL '1:30' HOUR TO MINUTE"), "interval '1:30' hour to minute");
  EXPECT_EQ(Canonical("INTERVAL '1.5' SECOND(3)"), "interval '1.5' second(3)");
  EXPECT_EQ(Canonical("INTERVAL(2) '1.5 s'"), "interval(2) '1.5 s'");
  ExpressionPtr literal_holder = Parse("interval '3' month");
  ASSERT_NE(literal_holder, nullptr);
  const auto& literal = literal_holder->As<TypedLiteralExpression>();
  EXPECT_EQ(literal.type.interval_fields, IntervalFields::kMonth);
  EXPECT_EQ(literal.value, "3");
  EXPECT_EQ(Canonical("CAST(x AS decimal(15, 2))"), "CAST(x AS numeric(15, 2))");
  EXPECT_EQ(Canonical("x::varchar(10)[]"), "(x)::character varying(10)[]");
  EXPECT_EQ(Canonical("x::int4"), "(x)::integer");
  EXPECT_EQ(Canonical("x::pg_catalog.int8"), "(x)::bigint");
  EXPECT_EQ(Canonical("x::double precision"), "(x)::double precision");
  EXPECT_EQ(Canonical("x::float"), "(x)::double precision");
  EXPECT_EQ(Canonical("x::float(10)"), "(x)::real");
  EXPECT_EQ(Canonical("x::char"), "(x)::character(1)");
  EXPECT_EQ(Canonical("x::character varying"), "(x)::character varying");
  EXPECT_EQ(Canonical("x::bool"), "(x)::boolean");
  EXPECT_EQ(Canonical("x::timestamp(3) with time zone"), "(x)::timestamp(3) with time zone");
  EXPECT_EQ(Canonical("x::time without time zone"), "(x)::time without time zone");
  EXPECT_EQ(Canonical("x::int array"), "(x)::integer[]");
  EXPECT_EQ(Canonical("x::text::jsonb"), "((x)::text)::jsonb");
  EXPECT_EQ(Canonical("x::uuid"), "(x)::uuid");
  EXPECT_EQ(Canonical("x::bytea"), "(x)::bytea");
}

TEST(ParserExpressionTest, Predicates) {
  EXPECT_EQ(Canonical("a IS NOT DISTINCT FROM b"), "(a IS NOT DISTINCT FROM b)");
  EXPECT_EQ(Canonical("a ISNULL"), "(a IS NULL)");
  EXPECT_EQ(Canonical("a NOTNULL"), "(a IS NOT NULL)");
  EXPECT_EQ(Canonical("a IS NOT UNKNOWN"), "(a IS NOT UNKNOWN)");
  EXPECT_EQ(Canonical("a NOT BETWEEN SYMMETRIC 1 AND 2"), "(a NOT BETWEEN SYMMETRIC 1 AND 2)");
  EXPECT_EQ(Canonical("a NOT IN (1, 2)"), "(a NOT IN (1, 2))");
  EXPECT_EQ(Canonical("a IN (SELECT b FROM t)"), "(a IN (SELECT b FROM t))");
  EXPECT_EQ(Canonical("(a, b) IN (SELECT 1, 2)"), "((a, b) IN (SELECT 1, 2))");
  EXPECT_EQ(Canonical("EXISTS (SELECT 1)"), "EXISTS (SELECT 1)");
  EXPECT_EQ(Canonical("a = ANY (SELECT b FROM t)"), "(a = ANY (SELECT b FROM t))");
  EXPECT_EQ(Canonical("a <> ALL (ARRAY[1, 2])"), "(a <> ALL (ARRAY[1, 2]))");
  EXPECT_EQ(Canonical("a = SOME ('{1,2}')"), "(a = ANY ('{1,2}'))");
  EXPECT_EQ(Canonical("a NOT ILIKE 'x%' ESCAPE '!'"), "(a NOT ILIKE 'x%' ESCAPE '!')");
  EXPECT_EQ(Canonical("a SIMILAR TO 'x'"), "(a SIMILAR TO 'x')");
  EXPECT_EQ(Canonical("a ~* 'x' AND b !~ 'y'"), "((a ~* 'x') AND (b !~ 'y'))");
  EXPECT_EQ(Canonical("(SELECT 1) + 1"), "((SELECT 1) + 1)");
  EXPECT_EQ(Canonical("((SELECT 1) + 1) * 2"), "(((SELECT 1) + 1) * 2)");
  EXPECT_EQ(Canonical("((SELECT 1))"), "(SELECT 1)");
  ExpressionPtr in_holder = Parse("a IN ((SELECT 1) UNION (SELECT 2))");
  ASSERT_NE(in_holder, nullptr);
  const auto& in = in_holder->As<InSubqueryExpression>();
  EXPECT_EQ(in.subquery->body->kind, QueryBodyKind::kSetOperation);
}

TEST(ParserExpressionTest, CaseAndConditionals) {
  EXPECT_EQ(Canonical("CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END"),
            "CASE WHEN a THEN 1 WHEN b THEN 2 ELSE 3 END");
  EXPECT_EQ(Canonical("case x when 1 then 'a' end"), "CASE x WHEN 1 THEN 'a' END");
  EXPECT_EQ(Canonical("coalesce(a, b, 1)"), "COALESCE(a, b, 1)");
  EXPECT_EQ(Canonical("nullif(a, b)"), "NULLIF(a, b)");
  EXPECT_EQ(Canonical("greatest(a, b)"), "GREATEST(a, b)");
  EXPECT_EQ(Canonical("least(a, b)"), "LEAST(a, b)");
  EXPECT_EQ(ErrorOf("nullif(a)").code(), StatusCode::kSyntaxError);
}

TEST(ParserExpressionTest, FunctionCalls) {
  EXPECT_EQ(Canonical("count(*)"), "count(*)");
  EXPECT_EQ(Canonical("count(DISTINCT a)"), "count(DISTINCT a)");
  EXPECT_EQ(Canonical("pg_catalog.lower(a)"), "pg_catalog.lower(a)");
  EXPECT_EQ(Canonical("string_agg(a, ',' ORDER BY b DESC NULLS FIRST)"),
            "string_agg(a, ',' ORDER BY b DESC NULLS FIRST)");
  EXPECT_EQ(Canonical("percentile_cont(0.5) WITHIN GROUP (ORDER BY x)"),
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY x)");
  EXPECT_EQ(Canonical("sum(x) FILTER (WHERE x > 0)"), "sum(x) FILTER (WHERE (x > 0))");
  EXPECT_EQ(Canonical("f(a => 1, b := 2)"), "f(a => 1, b => 2)");
  EXPECT_EQ(Canonical("f(VARIADIC arr)"), "f(VARIADIC arr)");
  EXPECT_EQ(Canonical("row_number() OVER w"), "row_number() OVER w");
  EXPECT_EQ(Canonical("sum(x) OVER (w ORDER BY y RANGE BETWEEN 1 PRECEDING AND UNBOUNDED "
                      "FOLLOWING EXCLUDE CURRENT ROW)"),
            "sum(x) OVER (w ORDER BY y RANGE BETWEEN 1 PRECEDING AND UNBOUNDED FOLLOWING "
            "EXCLUDE CURRENT ROW)");
  EXPECT_EQ(Canonical("avg(x) OVER (PARTITION BY a, b GROUPS 2 PRECEDING)"),
            "avg(x) OVER (PARTITION BY a, b GROUPS 2 PRECEDING)");
  ExpressionPtr call_holder =
      Parse("sum(x) OVER (ROWS BETWEEN 2 PRECEDING AND 3 FOLLOWING EXCLUDE GROUP)");
  ASSERT_NE(call_holder, nullptr);
  const auto& call = call_holder->As<FunctionCallExpression>();
  ASSERT_TRUE(call.over && call.over->frame);
  EXPECT_EQ(call.over->frame->unit, FrameUnit::kRows);
  EXPECT_EQ(call.over->frame->start.kind, FrameBoundKind::kPreceding);
  EXPECT_EQ(call.over->frame->end.kind, FrameBoundKind::kFollowing);
  EXPECT_EQ(call.over->frame->exclusion, FrameExclusion::kGroup);
  EXPECT_EQ(ErrorOf("count(DISTINCT *)").message(), "syntax error at or near \"*\"");
}

TEST(ParserExpressionTest, StandardSyntaxFunctions) {
  EXPECT_EQ(Canonical("extract(year from d)"), "EXTRACT(year FROM d)");
  ExpressionPtr extract_holder = Parse("EXTRACT(YEAR FROM d)");
  ASSERT_NE(extract_holder, nullptr);
  const auto& extract = extract_holder->As<FunctionCallExpression>();
  EXPECT_EQ(extract.names, QualifiedName{"extract"});
  EXPECT_EQ(extract.arguments[0].value->As<ConstantExpression>().text, "year");
  EXPECT_EQ(Canonical("substring(s from 1 for 2)"), "SUBSTRING(s FROM 1 FOR 2)");
  EXPECT_EQ(Canonical("substring(s for 2)"), "SUBSTRING(s FROM 1 FOR 2)");
  EXPECT_EQ(Canonical("substring(s, 1, 2)"), "\"substring\"(s, 1, 2)");
  ExpressionPtr position_holder = Parse("position('b' in s)");
  ASSERT_NE(position_holder, nullptr);
  const auto& position = position_holder->As<FunctionCallExpression>();
  EXPECT_EQ(position.arguments[0].value->kind, ExpressionKind::kColumnRef);
  EXPECT_EQ(Canonical("position('b' in s)"), "POSITION('b' IN s)");
  EXPECT_EQ(Canonical("trim(leading 'x' from s)"), "TRIM(LEADING 'x' FROM s)");
  EXPECT_EQ(Parse("trim(trailing from s)")->As<FunctionCallExpression>().names,
            QualifiedName{"rtrim"});
  EXPECT_EQ(Canonical("trim(s)"), "TRIM(BOTH FROM s)");
  EXPECT_EQ(Canonical("overlay(s placing 'x' from 2 for 3)"),
            "OVERLAY(s PLACING 'x' FROM 2 FOR 3)");
}

TEST(ParserExpressionTest, ValueFunctionsArraysRowsAndSubscripts) {
  EXPECT_EQ(Canonical("current_timestamp(3)"), "CURRENT_TIMESTAMP(3)");
  EXPECT_EQ(Parse("current_user")->As<SqlValueFunctionExpression>().function,
            SqlValueFunction::kCurrentUser);
  EXPECT_EQ(Canonical("localtimestamp"), "LOCALTIMESTAMP");
  EXPECT_EQ(Canonical("ARRAY[[1, 2], [3]]"), "ARRAY[ARRAY[1, 2], ARRAY[3]]");
  EXPECT_EQ(Canonical("ARRAY(SELECT 1)"), "ARRAY(SELECT 1)");
  EXPECT_EQ(Canonical("ROW(1)"), "ROW(1)");
  EXPECT_EQ(Canonical("(1, 'a')"), "(1, 'a')");
  EXPECT_EQ(Canonical("a[1][2:3]"), "((a)[1])[2:3]");
  EXPECT_EQ(Canonical("a[:3]"), "(a)[:3]");
  EXPECT_EQ(Canonical("(a).b"), "(a).b");
  EXPECT_EQ(Canonical("(f(x)).y.z"), "((f(x)).y).z");
  EXPECT_EQ(Canonical("s.t.c"), "s.t.c");
  EXPECT_EQ(Canonical("t.*"), "t.*");
}

TEST(ParserExpressionTest, KeywordsAsNames) {
  // Unreserved and column-name keywords are column names where PostgreSQL allows them.
  ExpressionPtr expression = Parse("year + month + value + key + type + text + data + version");
  EXPECT_NE(expression, nullptr);
  EXPECT_EQ(Parse("timestamp")->kind, ExpressionKind::kColumnRef);
  EXPECT_EQ(Parse("position")->kind, ExpressionKind::kColumnRef);
  EXPECT_EQ(Parse("left(s, 2)")->kind, ExpressionKind::kFunctionCall);
  EXPECT_EQ(ErrorOf("left").message(), "syntax error at end of input");
  EXPECT_EQ(ErrorOf("select").message(), "syntax error at or near \"select\"");
  EXPECT_EQ(Parse("\"select\"")->As<ColumnRefExpression>().names, QualifiedName{"select"});
}

TEST(ParserExpressionTest, NestingLimit) {
  std::string deep(5000, '(');
  deep += "1";
  deep += std::string(5000, ')');
  Status status = ErrorOf(deep);
  EXPECT_EQ(status.code(), StatusCode::kSyntaxError);
  EXPECT_EQ(status.message(), "statement is nested too deeply");
  std::string chain = "1";
  for (int i = 0; i < 3000; ++i) {
    chain += " + 1";
  }
  EXPECT_EQ(ErrorOf(chain).message(), "statement is nested too deeply");
  std::string ands = "a";
  for (int i = 0; i < 3000; ++i) {
    ands += " AND a";
  }
  EXPECT_TRUE(ParseExpression(ands).ok());
  std::string fine(200, '(');
  fine += "1";
  fine += std::string(200, ')');
  EXPECT_TRUE(ParseExpression(fine).ok());
}

TEST(ParserExpressionTest, DeepNestingOfEveryKindFailsCleanly) {
  // Each of these nests through different parser paths; none may exhaust the stack.
  const std::pair<std::string, std::string> shapes[] = {
      {"CASE WHEN a THEN ", " END"},
      {"CAST(", " AS int)"},
      {"extract(year from ", ")"},
      {"f(", ")"},
      {"coalesce(", ")"},
      {"ARRAY[", "]"},
      {"(SELECT ", ")"},
      {"EXISTS (SELECT ", ")"},
      {"- ", ""},
      {"NOT ", ""},
      {"ROW(", ")"},
      {"x IN (", ")"},
  };
  for (const auto& [open, close] : shapes) {
    std::string text;
    for (int i = 0; i < 20000; ++i) {
      text += open;
    }
    text += "1";
    for (int i = 0; i < 20000; ++i) {
      text += close;
    }
    Status status = ErrorOf(text);
    EXPECT_EQ(status.code(), StatusCode::kSyntaxError) << open;
    EXPECT_EQ(status.message(), "statement is nested too deeply") << open;
  }
}

TEST(ParserExpressionTest, CharacterPositions) {
  EXPECT_EQ(CharacterPosition("abc", 0), 1);
  EXPECT_EQ(CharacterPosition("abc", 3), 4);
  EXPECT_EQ(CharacterPosition("\xc3\xa9t\xc3\xa9", 3), 3);
  EXPECT_EQ(CharacterPosition("abc", 99), 4);
}

TEST(ParserExpressionTest, Locations) {
  ExpressionPtr expression = Parse("a + f(b)");
  const auto& op = expression->As<OperatorExpression>();
  EXPECT_EQ(op.location, 2);
  EXPECT_EQ(op.left->location, 0);
  EXPECT_EQ(op.right->location, 4);
  EXPECT_EQ(op.right->As<FunctionCallExpression>().arguments[0].value->location, 6);
}

}  // namespace
}  // namespace floe::sql::parser
