#include <gtest/gtest.h>

#include "function_test_harness.h"

namespace floe::sql {
namespace {

using namespace floe::sql::testing;  // NOLINT(google-build-using-namespace)

std::string Like(std::string text, std::string pattern, const char* op = "~~") {
  return Text(op, {Str(std::move(text)), Str(std::move(pattern))});
}

TEST(PatternMatchingTest, LikeMatchesAsPostgres) {
  // Answers from PostgreSQL 15.
  EXPECT_EQ(Like("abc", "abc"), "t");
  EXPECT_EQ(Like("abc", "a%"), "t");
  EXPECT_EQ(Like("abc", "%c"), "t");
  EXPECT_EQ(Like("abc", "%b%"), "t");
  EXPECT_EQ(Like("abc", "a_c"), "t");
  EXPECT_EQ(Like("abc", "_"), "f");
  EXPECT_EQ(Like("", "%"), "t");
  EXPECT_EQ(Like("a%c", "a\\%c"), "t");
  EXPECT_EQ(Like("abc", "a\\%c"), "f");
  EXPECT_EQ(Like("aXbXc", "%X%X%"), "t");
  EXPECT_EQ(Like("abcbc", "%bc"), "t");
  EXPECT_EQ(Like("ab", "a%%"), "t");
  EXPECT_EQ(Like("abc", "ab\\c"), "t");
  EXPECT_EQ(Like("abc", "a%", "!~~"), "f");
  EXPECT_EQ(Like("ABC", "a%c", "~~*"), "t");
  EXPECT_EQ(Like("ABC", "a%c", "!~~*"), "f");
}

TEST(PatternMatchingTest, UnderscoreMatchesOneCharacterOfUtf8) {
  EXPECT_EQ(Like("héllo", "h_llo"), "t");
  EXPECT_EQ(Like("héllo", "h__llo"), "f");
  EXPECT_EQ(Like("HÉLLO", "hé%", "~~*"), "t");
  EXPECT_EQ(Like("日本語", "_本_"), "t");
}

TEST(PatternMatchingTest, EscapesAndErrors) {
  Result<Value> result = Call("~~", {Str("abc"), Str("a\\")});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(), "LIKE pattern must not end with escape character");
  EXPECT_EQ(result.status().sql_state(), "22025");
  // LIKE 'a#%' ESCAPE '#' is lowered to like_escape('a#%', '#').
  EXPECT_EQ(Text("like_escape", {Str("a#%b\\"), Str("#")}), "a\\%b\\\\");
  EXPECT_EQ(Like("a%b\\", "a\\%b\\\\"), "t");
  EXPECT_EQ(Text("similar_to_escape", {Str("a%b_c.d")}), "^(?:a.*b.c\\.d)$");
  EXPECT_EQ(Text("similar_to_escape", {Str("f(o|x)+")}), "^(?:f(o|x)+)$");
  EXPECT_EQ(Text("~", {Str("foo"), Str("^(?:f(o|x)+)$")}), "t");
  EXPECT_EQ(Text("~", {Str("abc"), Str(Text("similar_to_escape", {Str("%b_")}))}), "t");
}

TEST(PatternMatchingTest, SimilarTo) {
  // PostgreSQL 15: 'foo' SIMILAR TO 'f(o|x)+' and 'abc' SIMILAR TO '%b_' are true.
  EXPECT_EQ(Text("similar", {Str("foo"), Str("f(o|x)+")}), "t");
  EXPECT_EQ(Text("similar", {Str("abc"), Str("%b_")}), "t");
  EXPECT_EQ(Text("similar", {Str("abc"), Str("b")}), "f");
  EXPECT_EQ(Text("!similar", {Str("abc"), Str("a.c")}), "t");
  EXPECT_EQ(Text("similar", {Str("a%"), Str("a#%"), Str("#")}), "t");
}

TEST(PatternMatchingTest, ConstantPatternOverVectorsAndDictionaries) {
  Vector names = MakeVector(LogicalType::Varchar(),
                            {Str("PROMO BRUSHED TIN"), Str("STANDARD TIN"),
                             Value::Null(LogicalType::Varchar()), Str("PROMO PLATED")});
  Result<Vector> promo = CallVectors("~~", {names, MakeConstant(Str("PROMO%"), 4)});
  ASSERT_TRUE(promo.ok());
  std::vector<Value> values = ReadAll(*promo);
  EXPECT_EQ(values[0], Value::Boolean(true));
  EXPECT_EQ(values[1], Value::Boolean(false));
  EXPECT_TRUE(values[2].is_null());
  EXPECT_EQ(values[3], Value::Boolean(true));
  Vector dictionary =
      MakeDictionary(LogicalType::Varchar(), {Str("green forest"), Str("red sky")}, {0, 1, 1, 0});
  Result<Vector> green = CallVectors("!~~", {dictionary, MakeConstant(Str("%green%"), 4)});
  ASSERT_TRUE(green.ok());
  values = ReadAll(*green);
  EXPECT_EQ(values[0], Value::Boolean(false));
  EXPECT_EQ(values[1], Value::Boolean(true));
  EXPECT_EQ(values[3], Value::Boolean(false));
  // A pattern per row.
  Vector patterns =
      MakeVector(LogicalType::Varchar(), {Str("%TIN"), Str("%TIN"), Str("x"), Str("_ROMO%")});
  Result<Vector> per_row = CallVectors("~~", {names, patterns});
  ASSERT_TRUE(per_row.ok());
  values = ReadAll(*per_row);
  EXPECT_EQ(values[0], Value::Boolean(true));
  EXPECT_EQ(values[1], Value::Boolean(true));
  EXPECT_TRUE(values[2].is_null());
  EXPECT_EQ(values[3], Value::Boolean(true));
}

TEST(PatternMatchingTest, RegularExpressions) {
  EXPECT_EQ(Text("~", {Str("Hello"), Str("^H")}), "t");
  EXPECT_EQ(Text("~*", {Str("Hello"), Str("^h")}), "t");
  EXPECT_EQ(Text("!~", {Str("Hello"), Str("x")}), "t");
  EXPECT_EQ(Text("!~*", {Str("Hello"), Str("E")}), "f");
  EXPECT_EQ(Text("regexp_like", {Str("Hello"), Str("L+"), Str("i")}), "t");
  EXPECT_EQ(Text("regexp_replace", {Str("foo bar foo"), Str("foo"), Str("X")}), "X bar foo");
  EXPECT_EQ(Text("regexp_replace", {Str("Foo"), Str("f"), Str("x"), Str("gi")}), "xoo");
  EXPECT_EQ(Text("regexp_replace", {Str("abc"), Str("(b)"), Str("[\\1\\&]")}), "a[bb]c");
  EXPECT_EQ(Text("regexp_match", {Str("a1b2"), Str("([a-z])([0-9])")}), "{a,1}");
  EXPECT_EQ(Text("regexp_match", {Str("abc"), Str("b")}), "{b}");
  EXPECT_EQ(Text("regexp_match", {Str("abc"), Str("x")}), "NULL");
  EXPECT_EQ(Text("~", {Str("a b"), Str("a\\yb")}), "f");
  Result<Value> invalid = Call("~", {Str("abc"), Str("(")});
  ASSERT_FALSE(invalid.ok());
  EXPECT_TRUE(invalid.status().message().starts_with("invalid regular expression"));
  EXPECT_EQ(invalid.status().sql_state(), "2201B");
  Result<Value> backreference = Call("~", {Str("aa"), Str("(a)\\1")});
  ASSERT_FALSE(backreference.ok());
  EXPECT_EQ(backreference.status().code(), StatusCode::kNotSupported);
}

}  // namespace
}  // namespace floe::sql
