#include "types/nested_text.h"

#include <gtest/gtest.h>

#include "types/logical_type.h"
#include "types/value.h"

namespace floe::types {
namespace {

std::shared_ptr<const LogicalType> Shared(LogicalType type) {
  return std::make_shared<const LogicalType>(std::move(type));
}

LogicalType PairType() {
  return LogicalType::Struct(
      {{"a", Shared(LogicalType::Integer())}, {"b", Shared(LogicalType::Varchar())}});
}

std::string List(std::string_view text, const LogicalType& element_type) {
  Result<Value> result = ParseListLiteral(text, LogicalType::List(element_type));
  EXPECT_TRUE(result.ok()) << text << ": " << result.status().ToString();
  return result.ok() ? result->ToString() : "";
}

std::string Record(std::string_view text) {
  Result<Value> result = ParseStructLiteral(text, PairType());
  EXPECT_TRUE(result.ok()) << text << ": " << result.status().ToString();
  return result.ok() ? result->ToString() : "";
}

TEST(NestedTextTest, ArrayLiterals) {
  EXPECT_EQ(List("{1,2,NULL}", LogicalType::Integer()), "{1,2,NULL}");
  EXPECT_EQ(List(" { 1 , 2 } ", LogicalType::Integer()), "{1,2}");
  EXPECT_EQ(List("{}", LogicalType::Integer()), "{}");
  EXPECT_EQ(List(R"({"a b","x\"y",NULL,"NULL", a\\,b ,  c d  })", LogicalType::Varchar()),
            R"({"a b","x\"y",NULL,"NULL","a\\",b,"c d"})");
  EXPECT_EQ(List("{{1,2},{3,4}}", LogicalType::List(LogicalType::Integer())), "{{1,2},{3,4}}");
  Result<Value> list = ParseListLiteral("{1,NULL}", LogicalType::List(LogicalType::BigInt()));
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->children()[0], Value::BigInt(1));
  EXPECT_TRUE(list->children()[1].is_null());
}

TEST(NestedTextTest, MalformedArrays) {
  LogicalType integers = LogicalType::List(LogicalType::Integer());
  for (std::string_view text : {"{1,2", "{1,,2}", "1,2", "{1,2}x", "{{1},2}", "{\"a}", ""}) {
    Result<Value> result = ParseListLiteral(text, integers);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidCast);
    EXPECT_EQ(result.status().message(), fmt::format("malformed array literal: \"{}\"", text));
  }
  EXPECT_EQ(ParseListLiteral("{1,abc}", integers).status().message(),
            "invalid input syntax for type integer: \"abc\"");
}

TEST(NestedTextTest, RecordLiterals) {
  EXPECT_EQ(Record(R"((1,"a b"))"), R"((1,"a b"))");
  EXPECT_EQ(Record("(1,)"), "(1,)");
  EXPECT_EQ(Record("(,abc)"), "(,abc)");
  EXPECT_EQ(Record(R"((1,"say ""hi"""))"), R"((1,"say ""hi"""))");
  EXPECT_EQ(Record("(1, x )"), R"((1," x "))");
  EXPECT_EQ(Record(R"x((1,""))x"), R"x((1,""))x");
}

TEST(NestedTextTest, MalformedRecords) {
  for (std::string_view text : {"(1)", "(1,a,b)", "1,a", "(1,a", "(1,a)x"}) {
    Result<Value> result = ParseStructLiteral(text, PairType());
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidCast);
    EXPECT_EQ(result.status().message(), fmt::format("malformed record literal: \"{}\"", text));
  }
  EXPECT_EQ(ParseStructLiteral("(x,1)", PairType()).status().message(),
            "invalid input syntax for type integer: \"x\"");
}

}  // namespace
}  // namespace floe::types
