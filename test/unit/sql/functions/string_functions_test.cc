#include <gtest/gtest.h>

#include "function_test_harness.h"

namespace floe::sql {
namespace {

using namespace floe::sql::testing;  // NOLINT(google-build-using-namespace)

Value Int(int32_t value) {
  return Value::Integer(value);
}

// Answers below come from PostgreSQL 15 in a UTF-8 database.
TEST(StringFunctionsTest, LengthsCountCharacters) {
  EXPECT_EQ(Text("length", {Str("héllo")}), "5");
  EXPECT_EQ(Text("char_length", {Str("héllo")}), "5");
  EXPECT_EQ(Text("octet_length", {Str("héllo")}), "6");
  EXPECT_EQ(Text("bit_length", {Str("é")}), "16");
  EXPECT_EQ(Text("length", {Value::Null(LogicalType::Varchar())}), "NULL");
}

TEST(StringFunctionsTest, SubstringHasPostgresNegativeStarts) {
  EXPECT_EQ(Text("substring", {Str("hello"), Int(-1), Int(3)}), "h");
  EXPECT_EQ(Text("substring", {Str("hello"), Int(0)}), "hello");
  EXPECT_EQ(Text("substring", {Str("hello"), Int(2)}), "ello");
  EXPECT_EQ(Text("substring", {Str("hello"), Int(2), Int(2)}), "el");
  EXPECT_EQ(Text("substr", {Str("hello"), Int(10)}), "");
  EXPECT_EQ(Text("substr", {Str("héllo"), Int(2), Int(2)}), "él");
  Result<Value> negative = Call("substring", {Str("hello"), Int(1), Int(-1)});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.status().message(), "negative substring length not allowed");
  EXPECT_EQ(negative.status().sql_state(), "22011");
}

TEST(StringFunctionsTest, CaseAndTrim) {
  EXPECT_EQ(Text("upper", {Str("héllo")}), "HÉLLO");
  EXPECT_EQ(Text("lower", {Str("ÉCOLE")}), "école");
  EXPECT_EQ(Text("initcap", {Str("hello wORLD foo-bar 1st")}), "Hello World Foo-Bar 1st");
  EXPECT_EQ(Text("btrim", {Str("xxhixx"), Str("x")}), "hi");
  EXPECT_EQ(Text("ltrim", {Str("  hi  ")}), "hi  ");
  EXPECT_EQ(Text("rtrim", {Str("hi  ")}), "hi");
  EXPECT_EQ(Text("btrim", {Str("abcba"), Str("ab")}), "c");
}

TEST(StringFunctionsTest, PiecesAndPadding) {
  EXPECT_EQ(Text("left", {Str("hello"), Int(-2)}), "hel");
  EXPECT_EQ(Text("right", {Str("hello"), Int(-2)}), "llo");
  EXPECT_EQ(Text("left", {Str("héllo"), Int(2)}), "hé");
  EXPECT_EQ(Text("right", {Str("hello"), Int(2)}), "lo");
  EXPECT_EQ(Text("lpad", {Str("hi"), Int(5)}), "   hi");
  EXPECT_EQ(Text("lpad", {Str("hi"), Int(5), Str("xy")}), "xyxhi");
  EXPECT_EQ(Text("lpad", {Str("hello"), Int(2)}), "he");
  EXPECT_EQ(Text("rpad", {Str("hi"), Int(5), Str("xy")}), "hixyx");
  EXPECT_EQ(Text("lpad", {Str("hi"), Int(5), Str("")}), "hi");
  EXPECT_EQ(Text("split_part", {Str("a,b,c"), Str(","), Int(-1)}), "c");
  EXPECT_EQ(Text("split_part", {Str("a,b,c"), Str(","), Int(4)}), "");
  EXPECT_EQ(Text("split_part", {Str("abc"), Str(""), Int(1)}), "abc");
  EXPECT_EQ(ErrorOf("split_part", {Str("a,b"), Str(","), Int(0)}),
            "field position must not be zero");
  EXPECT_EQ(Text("repeat", {Str("ab"), Int(3)}), "ababab");
  EXPECT_EQ(Text("repeat", {Str("ab"), Int(-1)}), "");
  EXPECT_EQ(Text("reverse", {Str("héllo")}), "olléh");
  EXPECT_EQ(Text("replace", {Str("abcabc"), Str("b"), Str("XY")}), "aXYcaXYc");
  EXPECT_EQ(Text("translate", {Str("12345"), Str("143"), Str("ax")}), "a2x5");
}

TEST(StringFunctionsTest, SearchAndCodes) {
  EXPECT_EQ(Text("strpos", {Str("hello"), Str("l")}), "3");
  EXPECT_EQ(Text("strpos", {Str("héllo"), Str("l")}), "3");
  EXPECT_EQ(Text("position", {Str("abc"), Str("")}), "1");
  EXPECT_EQ(Text("position", {Str("hello"), Str("lo")}), "4");
  EXPECT_EQ(Text("starts_with", {Str("hello"), Str("he")}), "t");
  EXPECT_EQ(Text("ascii", {Str("é")}), "233");
  EXPECT_EQ(Text("ascii", {Str("")}), "0");
  EXPECT_EQ(Text("chr", {Int(233)}), "é");
  EXPECT_EQ(ErrorOf("chr", {Int(0)}), "null character not permitted");
  EXPECT_EQ(ErrorOf("chr", {Int(-1)}), "character number must be positive");
  EXPECT_EQ(ErrorOf("chr", {Int(1114112)}), "requested character too large for encoding: 1114112");
  EXPECT_EQ(Text("md5", {Str("abc")}), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Text("md5", {Str("")}), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Text("md5", {Str(std::string(100, 'a'))}), "36a92cc94a9e0fa21f625f8bfb007adf");
  EXPECT_EQ(Text("to_hex", {Int(255)}), "ff");
  EXPECT_EQ(Text("to_hex", {Int(-1)}), "ffffffff");
  EXPECT_EQ(Text("to_hex", {Value::BigInt(-1)}), "ffffffffffffffff");
}

TEST(StringFunctionsTest, ConcatenationAndFormat) {
  Value null_text = Value::Null(LogicalType::Varchar());
  EXPECT_EQ(Text("concat", {Str("a"), null_text, Int(1), Value::Boolean(true)}), "a1t");
  EXPECT_EQ(Text("concat_ws", {Str(","), Str("a"), null_text, Str("b")}), "a,b");
  EXPECT_EQ(Text("concat_ws", {null_text, Str("a")}), "NULL");
  EXPECT_EQ(Text("||", {Str("a"), Value::Boolean(true)}), "atrue");
  EXPECT_EQ(Text("||", {Str("a"), Int(1)}), "a1");
  EXPECT_EQ(Text("||", {Int(1), Str("a")}), "1a");
  EXPECT_EQ(Text("||", {Str("a"), null_text}), "NULL");
  EXPECT_EQ(Text("format", {Str("%s|%I|%L|%%|%L"), Str("x"), Str("Y z"), Str("it's"), null_text}),
            "x|\"Y z\"|'it''s'|%|NULL");
  EXPECT_EQ(ErrorOf("format", {Str("%I"), null_text}),
            "null values cannot be formatted as an SQL identifier");
  EXPECT_EQ(Text("quote_ident", {Str("abc")}), "abc");
  EXPECT_EQ(Text("quote_ident", {Str("Abc")}), "\"Abc\"");
  EXPECT_EQ(Text("quote_ident", {Str("select")}), "\"select\"");
  EXPECT_EQ(Text("quote_literal", {Str("it's")}), "'it''s'");
  EXPECT_EQ(Text("quote_literal", {Str("a\\b")}), "E'a\\\\b'");
}

TEST(StringFunctionsTest, WrongArgumentTypesAreReported) {
  EXPECT_EQ(ErrorOf("lower", {Int(1)}), "function lower(integer) does not exist");
  EXPECT_EQ(ErrorOf("substring", {Str("a"), Str("b")}),
            "function substring(text, text) does not exist");
}

}  // namespace
}  // namespace floe::sql
