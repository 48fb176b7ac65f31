#include "table/value_serialization.h"

#include <gtest/gtest.h>

#include "types/decimal.h"
#include "types/temporal.h"

namespace floe::table {
namespace {

using types::Value;

Type Primitive(TypeKind kind) {
  return Type::Primitive(kind);
}

void ExpectBinaryRoundTrip(const Type& type, const Value& value, std::string_view bytes) {
  Result<std::string> encoded = SerializeValue(type, value);
  ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
  EXPECT_EQ(*encoded, bytes) << type.ToString();
  Result<Value> decoded = DeserializeValue(type, bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, value) << type.ToString();
}

TEST(ValueSerializationTest, BinaryKnownBytes) {
  using std::string_literals::operator""s;
  ExpectBinaryRoundTrip(Primitive(TypeKind::kBoolean), Value::Boolean(true), "\x01"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kBoolean), Value::Boolean(false), "\x00"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kInt), Value::Integer(34), "\x22\0\0\0"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kInt), Value::Integer(-1), "\xff\xff\xff\xff"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kLong), Value::BigInt(34), "\x22\0\0\0\0\0\0\0"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kFloat), Value::Real(1.0F), "\0\0\x80\x3f"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kDouble), Value::Double(1.0), "\0\0\0\0\0\0\xf0\x3f"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kDate), Value::Date(17486), "\x4e\x44\0\0"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kTime), Value::Time(1), "\x01\0\0\0\0\0\0\0"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kTimestamp), Value::Timestamp(-1),
                        "\xff\xff\xff\xff\xff\xff\xff\xff"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kTimestampTz), Value::TimestampTz(256),
                        "\0\x01\0\0\0\0\0\0"s);
  ExpectBinaryRoundTrip(Primitive(TypeKind::kString), Value::Varchar("iceberg"), "iceberg");
  ExpectBinaryRoundTrip(Primitive(TypeKind::kBinary), Value::Bytea("\0\x01"s), "\0\x01"s);
  ExpectBinaryRoundTrip(*Type::Fixed(2), Value::Bytea("\0\x01"s), "\0\x01"s);
  // Appendix B note 3: the UUID's 16 big-endian bytes.
  ExpectBinaryRoundTrip(Primitive(TypeKind::kUuid),
                        Value::Uuid(*types::ParseUuid("f79c3e09-677c-4bbd-a479-3f349cb785e7")),
                        "\xF7\x9C\x3E\x09\x67\x7C\x4B\xBD\xA4\x79\x3F\x34\x9C\xB7\x85\xE7"s);
}

TEST(ValueSerializationTest, DecimalsUseMinimalTwosComplement) {
  using std::string_literals::operator""s;
  Type decimal = *Type::Decimal(38, 2);
  ExpectBinaryRoundTrip(decimal, Value::Decimal(1420, 38, 2), "\x05\x8c"s);
  ExpectBinaryRoundTrip(decimal, Value::Decimal(0, 38, 2), "\0"s);
  ExpectBinaryRoundTrip(decimal, Value::Decimal(-1, 38, 2), "\xff"s);
  ExpectBinaryRoundTrip(decimal, Value::Decimal(127, 38, 2), "\x7f"s);
  ExpectBinaryRoundTrip(decimal, Value::Decimal(128, 38, 2), "\0\x80"s);
  ExpectBinaryRoundTrip(decimal, Value::Decimal(-128, 38, 2), "\x80"s);
  ExpectBinaryRoundTrip(decimal, Value::Decimal(-129, 38, 2), "\xff\x7f"s);
  types::Int128 big = types::PowerOfTen(38) - 1;
  Result<std::string> bytes = SerializeValue(decimal, Value::Decimal(big, 38, 2));
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->size(), 16U);
  EXPECT_EQ(*DeserializeValue(decimal, *bytes), Value::Decimal(big, 38, 2));
}

TEST(ValueSerializationTest, PromotedBoundsAndBadLengths) {
  using std::string_literals::operator""s;
  EXPECT_EQ(*DeserializeValue(Primitive(TypeKind::kLong), "\xff\xff\xff\xff"s), Value::BigInt(-1));
  EXPECT_EQ(*DeserializeValue(Primitive(TypeKind::kDouble), "\0\0\x80\x3f"s), Value::Double(1.0));
  EXPECT_EQ(DeserializeValue(Primitive(TypeKind::kInt), "\0\0"s).status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(DeserializeValue(*Type::Fixed(4), "\0\0"s).status().code(), StatusCode::kCorruption);
  EXPECT_EQ(DeserializeValue(Primitive(TypeKind::kUuid), "abc").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(
      DeserializeValue(Primitive(TypeKind::kTimestampNs), "\0\0\0\0\0\0\0\0"s).status().code(),
      StatusCode::kNotSupported);
  EXPECT_EQ(DeserializeValue(Type::Struct({}), "").status().code(), StatusCode::kNotSupported);
  EXPECT_FALSE(SerializeValue(Primitive(TypeKind::kInt), Value::Varchar("x")).ok());
  EXPECT_FALSE(
      SerializeValue(Primitive(TypeKind::kInt), Value::Null(types::LogicalType::Integer())).ok());
}

void ExpectJsonRoundTrip(const Type& type, const Value& value, std::string_view json) {
  Result<std::string> text = ValueToJson(type, value);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, json);
  Result<Value> parsed = ValueFromJson(type, json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, value) << json;
}

// The examples of the spec's JSON single-value serialization table.
TEST(ValueSerializationTest, JsonSpecExamples) {
  ExpectJsonRoundTrip(Primitive(TypeKind::kBoolean), Value::Boolean(true), "true");
  ExpectJsonRoundTrip(Primitive(TypeKind::kInt), Value::Integer(34), "34");
  ExpectJsonRoundTrip(Primitive(TypeKind::kLong), Value::BigInt(34), "34");
  ExpectJsonRoundTrip(Primitive(TypeKind::kDouble), Value::Double(1.0), "1.0");
  ExpectJsonRoundTrip(*Type::Decimal(4, 2), Value::Decimal(1420, 4, 2), "\"14.20\"");
  ExpectJsonRoundTrip(Primitive(TypeKind::kDate), Value::Date(*types::ParseDate("2017-11-16")),
                      "\"2017-11-16\"");
  ExpectJsonRoundTrip(Primitive(TypeKind::kTime), Value::Time(*types::ParseTime("22:31:08.123456")),
                      "\"22:31:08.123456\"");
  ExpectJsonRoundTrip(Primitive(TypeKind::kTimestamp),
                      Value::Timestamp(*types::ParseTimestamp("2017-11-16 22:31:08.123456")),
                      "\"2017-11-16T22:31:08.123456\"");
  ExpectJsonRoundTrip(Primitive(TypeKind::kTimestampTz),
                      Value::TimestampTz(*types::ParseTimestampTz("2017-11-16 22:31:08.123456Z")),
                      "\"2017-11-16T22:31:08.123456+00:00\"");
  ExpectJsonRoundTrip(Primitive(TypeKind::kString), Value::Varchar("iceberg"), "\"iceberg\"");
  ExpectJsonRoundTrip(Primitive(TypeKind::kUuid),
                      Value::Uuid(*types::ParseUuid("f79c3e09-677c-4bbd-a479-3f349cb785e7")),
                      "\"f79c3e09-677c-4bbd-a479-3f349cb785e7\"");
  ExpectJsonRoundTrip(Primitive(TypeKind::kBinary),
                      Value::Bytea(std::string("\x00\x01\x02\xff", 4)), "\"000102ff\"");
  ExpectJsonRoundTrip(*Type::Fixed(4), Value::Bytea(std::string("\x00\x01\x02\xff", 4)),
                      "\"000102ff\"");
}

TEST(ValueSerializationTest, JsonNestedValues) {
  Type list = Type::List(3, Type::Primitive(TypeKind::kInt), true);
  ExpectJsonRoundTrip(list,
                      Value::List(types::LogicalType::Integer(),
                                  {Value::Integer(1), Value::Integer(2), Value::Integer(3)}),
                      "[1,2,3]");
  Type map = Type::Map(4, Primitive(TypeKind::kString), 5, Primitive(TypeKind::kInt), false);
  ExpectJsonRoundTrip(map,
                      Value::Map(*ToLogicalType(map), {{Value::Varchar("a"), Value::Integer(1)},
                                                       {Value::Varchar("b"), Value::Integer(2)}}),
                      "{\"keys\":[\"a\",\"b\"],\"values\":[1,2]}");
  Type record =
      Type::Struct({NestedField{.id = 1, .name = "a", .type = Primitive(TypeKind::kInt)},
                    NestedField{.id = 2, .name = "b", .type = Primitive(TypeKind::kString)}});
  ExpectJsonRoundTrip(
      record, Value::Struct(*ToLogicalType(record), {Value::Integer(1), Value::Varchar("bar")}),
      "{\"1\":1,\"2\":\"bar\"}");
}

TEST(ValueSerializationTest, JsonMismatchesAreCorruption) {
  EXPECT_EQ(ValueFromJson(Primitive(TypeKind::kInt), "\"x\"").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(ValueFromJson(Primitive(TypeKind::kInt), "4294967296").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(ValueFromJson(Primitive(TypeKind::kDate), "\"nope\"").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(ValueFromJson(*Type::Fixed(2), "\"00\"").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(ValueFromJson(Primitive(TypeKind::kString), "{").status().code(),
            StatusCode::kCorruption);
  EXPECT_TRUE(ValueFromJson(Primitive(TypeKind::kString), "null")->is_null());
}

}  // namespace
}  // namespace floe::table
