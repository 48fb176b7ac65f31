#include "sql/parser/lexer.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace floe::sql::parser {
namespace {

std::vector<Token> Lex(std::string_view text) {
  Result<std::vector<Token>> tokens = Tokenize(text);
  EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
  return tokens.ok() ? std::move(tokens).value() : std::vector<Token>{};
}

// Returns "kind:text" for every token but the end marker.
std::vector<std::string> Describe(std::string_view text) {
  static constexpr const char* kKinds[] = {"id", "str", "int", "num", "param", "op", "sym", "end"};
  std::vector<std::string> out;
  for (const Token& token : Lex(text)) {
    if (token.kind != TokenKind::kEnd) {
      out.push_back(std::string(kKinds[static_cast<int>(token.kind)]) + ":" + token.text);
    }
  }
  return out;
}

using Strings = std::vector<std::string>;

TEST(LexerTest, FoldsIdentifiersUnlessQuoted) {
  EXPECT_EQ(
      Describe("SELECT Foo, \"Bar\", \"a\"\"b\", _x$1"),
      (Strings{"id:select", "id:foo", "sym:,", "id:Bar", "sym:,", "id:a\"b", "sym:,", "id:_x$1"}));
  std::vector<Token> tokens = Lex("select \"select\"");
  EXPECT_EQ(tokens[0].category, KeywordCategory::kReserved);
  EXPECT_TRUE(tokens[1].is_quoted);
}

TEST(LexerTest, KeywordCategories) {
  EXPECT_EQ(CategoryOf("from"), KeywordCategory::kReserved);
  EXPECT_EQ(CategoryOf("year"), KeywordCategory::kUnreserved);
  EXPECT_EQ(CategoryOf("timestamp"), KeywordCategory::kColumnName);
  EXPECT_EQ(CategoryOf("left"), KeywordCategory::kTypeFunction);
  EXPECT_EQ(CategoryOf("date"), KeywordCategory::kNone);
}

TEST(LexerTest, StringConstants) {
  EXPECT_EQ(Describe("'it''s'"), (Strings{"str:it's"}));
  // Constants separated by white space containing a newline are one constant.
  EXPECT_EQ(Describe("'foo'\n  'bar'"), (Strings{"str:foobar"}));
  EXPECT_EQ(Describe("'foo' 'bar'"), (Strings{"str:foo", "str:bar"}));
  EXPECT_EQ(Describe("E'a\\nb\\t\\\\\\'c\\x41\\101\\u00e9'"),
            (Strings{"str:a\nb\t\\'cAA\xc3\xa9"}));
  EXPECT_EQ(Describe("'a\\nb'"), (Strings{"str:a\\nb"}));
  EXPECT_EQ(Describe("$$it's$$ $tag$a$$b$tag$"), (Strings{"str:it's", "str:a$$b"}));
  EXPECT_EQ(Describe("N'x'"), (Strings{"str:x"}));
}

TEST(LexerTest, Numbers) {
  EXPECT_EQ(
      Describe("123 1.5 .5 1e10 2.5E-3 1. 1_000_000"),
      (Strings{"int:123", "num:1.5", "num:.5", "num:1e10", "num:2.5E-3", "num:1.", "int:1000000"}));
  EXPECT_EQ(Describe("0x1F 0o17 0b101 0X_FF"), (Strings{"int:31", "int:15", "int:5", "int:255"}));
  EXPECT_EQ(Describe("0xFFFFFFFFFFFFFFFFFFFF"), (Strings{"int:1208925819614629174706175"}));
  EXPECT_EQ(Describe("1..2"), (Strings{"int:1", "sym:..", "int:2"}));
}

TEST(LexerTest, ParametersAndOperators) {
  EXPECT_EQ(Describe("$1+$22"), (Strings{"param:1", "op:+", "param:22"}));
  // A multi-character operator ends in + or - only when it holds one of ~ ! @ # % ^ & | ` ?.
  EXPECT_EQ(Describe("a+-1"), (Strings{"id:a", "op:+", "op:-", "int:1"}));
  EXPECT_EQ(Describe("a*-1"), (Strings{"id:a", "op:*", "op:-", "int:1"}));
  EXPECT_EQ(Describe("a@-b"), (Strings{"id:a", "op:@-", "id:b"}));
  EXPECT_EQ(Describe("a != b <> c <= d ->> e"),
            (Strings{"id:a", "op:<>", "id:b", "op:<>", "id:c", "op:<=", "id:d", "op:->>", "id:e"}));
  EXPECT_EQ(Describe("x::int[1:2]"),
            (Strings{"id:x", "sym:::", "id:int", "sym:[", "int:1", "sym::", "int:2", "sym:]"}));
  EXPECT_EQ(Describe("f(a => 1)"), (Strings{"id:f", "sym:(", "id:a", "op:=>", "int:1", "sym:)"}));
}

TEST(LexerTest, Comments) {
  EXPECT_EQ(Describe("a -- comment\n/* outer /* inner */ still */ b"), (Strings{"id:a", "id:b"}));
  // A comment start ends an operator.
  EXPECT_EQ(Describe("a+--x\nb"), (Strings{"id:a", "op:+", "id:b"}));
  EXPECT_EQ(Describe("a*/*x*/b"), (Strings{"id:a", "op:*", "id:b"}));
}

TEST(LexerTest, TokenLocations) {
  std::vector<Token> tokens = Lex("  ab 'c'");
  EXPECT_EQ(tokens[0].location, 2);
  EXPECT_EQ(tokens[0].end, 4);
  EXPECT_EQ(tokens[1].location, 5);
  EXPECT_EQ(tokens[2].kind, TokenKind::kEnd);
  EXPECT_EQ(tokens[2].location, 8);
}

void ExpectError(std::string_view text, StatusCode code, std::string_view message, int position) {
  Result<std::vector<Token>> tokens = Tokenize(text);
  ASSERT_FALSE(tokens.ok()) << text;
  EXPECT_EQ(tokens.status().code(), code) << text;
  EXPECT_EQ(tokens.status().message(), message) << text;
  EXPECT_EQ(tokens.status().position(), position) << text;
}

TEST(LexerTest, ErrorsMatchPostgres) {
  ExpectError("SELECT 'abc", StatusCode::kSyntaxError,
              "unterminated quoted string at or near \"'abc\"", 8);
  ExpectError("SELECT \"abc", StatusCode::kSyntaxError,
              "unterminated quoted identifier at or near \"\"abc\"", 8);
  ExpectError("SELECT /* x /* y */", StatusCode::kSyntaxError,
              "unterminated /* comment at or near \"/* x /* y */\"", 8);
  ExpectError("SELECT $$abc", StatusCode::kSyntaxError,
              "unterminated dollar-quoted string at or near \"$$abc\"", 8);
  ExpectError("SELECT 123abc", StatusCode::kSyntaxError,
              "trailing junk after numeric literal at or near \"123abc\"", 8);
  ExpectError("SELECT 1e", StatusCode::kSyntaxError,
              "trailing junk after numeric literal at or near \"1e\"", 8);
  ExpectError("select \"\"", StatusCode::kSyntaxError,
              "zero-length delimited identifier at or near \"\"\"\"", 8);
  ExpectError("SELECT E'abc\\'", StatusCode::kSyntaxError,
              "unterminated quoted string at or near \"E'abc\\'\"", 8);
  ExpectError("SELECT X'1F'", StatusCode::kNotSupported, "bit string constants are not supported",
              8);
  // Positions count characters, not bytes: é is two bytes in UTF-8.
  ExpectError("SELECT 'é', 'x", StatusCode::kSyntaxError,
              "unterminated quoted string at or near \"'x\"", 13);
}

}  // namespace
}  // namespace floe::sql::parser
