#include "table/transform.h"

#include <gtest/gtest.h>

#include "types/temporal.h"

namespace floe::table {
namespace {

using types::Value;

Type Primitive(TypeKind kind) {
  return Type::Primitive(kind);
}

int32_t HashOf(const Type& type, const Value& value) {
  Result<int32_t> hash = HashValue(type, value);
  EXPECT_TRUE(hash.ok()) << hash.status().ToString();
  return hash.ValueOr(0);
}

int64_t Micros(std::string_view text) {
  return *types::ParseTimestamp(text);
}

// Every test value of the spec's Appendix B.
TEST(TransformTest, HashesMatchSpecAppendixB) {
  EXPECT_EQ(HashOf(Primitive(TypeKind::kInt), Value::Integer(34)), 2017239379);
  EXPECT_EQ(HashOf(Primitive(TypeKind::kLong), Value::BigInt(34)), 2017239379);
  EXPECT_EQ(HashOf(*Type::Decimal(4, 2), Value::Decimal(1420, 4, 2)), -500754589);
  EXPECT_EQ(HashOf(Primitive(TypeKind::kDate), Value::Date(*types::ParseDate("2017-11-16"))),
            -653330422);
  EXPECT_EQ(HashOf(Primitive(TypeKind::kTime), Value::Time(*types::ParseTime("22:31:08"))),
            -662762989);
  EXPECT_EQ(
      HashOf(Primitive(TypeKind::kTimestamp), Value::Timestamp(Micros("2017-11-16 22:31:08"))),
      -2047944441);
  EXPECT_EQ(HashOf(Primitive(TypeKind::kTimestamp),
                   Value::Timestamp(Micros("2017-11-16 22:31:08.000001"))),
            -1207196810);
  EXPECT_EQ(HashOf(Primitive(TypeKind::kTimestampTz),
                   Value::TimestampTz(*types::ParseTimestampTz("2017-11-16 14:31:08-08:00"))),
            -2047944441);
  EXPECT_EQ(
      HashOf(Primitive(TypeKind::kTimestampTz),
             Value::TimestampTz(*types::ParseTimestampTz("2017-11-16 14:31:08.000001-08:00"))),
      -1207196810);
  EXPECT_EQ(HashOf(Primitive(TypeKind::kString), Value::Varchar("iceberg")), 1210000089);
  EXPECT_EQ(HashOf(Primitive(TypeKind::kUuid),
                   Value::Uuid(*types::ParseUuid("f79c3e09-677c-4bbd-a479-3f349cb785e7"))),
            1488055340);
  std::string bytes("\x00\x01\x02\x03", 4);
  EXPECT_EQ(HashOf(*Type::Fixed(4), Value::Bytea(bytes)), -188683207);
  EXPECT_EQ(HashOf(Primitive(TypeKind::kBinary), Value::Bytea(bytes)), -188683207);
}

TEST(TransformTest, HashesOfNonBucketTypesFromTheAppendix) {
  // Appendix B also fixes hashes for types that are not bucketed: boolean as hashInt, floats
  // as the double's bits. They are checked through Murmur3Hash32 directly.
  std::string one("\x01\0\0\0\0\0\0\0", 8);
  EXPECT_EQ(Murmur3Hash32(one), 1392991556);
  std::string double_one("\0\0\0\0\0\0\xf0\x3f", 8);
  EXPECT_EQ(Murmur3Hash32(double_one), -142385009);
  EXPECT_EQ(Murmur3Hash32(std::string(8, '\0')), 1669671676);
  EXPECT_FALSE(HashValue(Primitive(TypeKind::kBoolean), Value::Boolean(true)).ok());
}

TEST(TransformTest, DecimalHashIgnoresScaleAndUsesMinimalBytes) {
  EXPECT_EQ(HashOf(*Type::Decimal(10, 0), Value::Decimal(1420, 10, 0)),
            HashOf(*Type::Decimal(10, 3), Value::Decimal(1420, 10, 3)));
  // -1 is the single byte 0xff; 128 needs 0x00 0x80.
  EXPECT_EQ(HashOf(*Type::Decimal(5, 0), Value::Decimal(-1, 5, 0)), Murmur3Hash32("\xff"));
  EXPECT_EQ(HashOf(*Type::Decimal(5, 0), Value::Decimal(128, 5, 0)),
            Murmur3Hash32(std::string("\x00\x80", 2)));
}

TEST(TransformTest, ParsesAndPrints) {
  for (std::string_view text :
       {"identity", "bucket[16]", "truncate[4]", "year", "month", "day", "hour", "void"}) {
    Result<Transform> transform = Transform::Parse(text);
    ASSERT_TRUE(transform.ok()) << text;
    EXPECT_EQ(transform->ToString(), text);
  }
  Result<Transform> unknown = Transform::Parse("zorder");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->kind(), TransformKind::kUnknown);
  EXPECT_EQ(unknown->ToString(), "zorder");
  EXPECT_FALSE(Transform::Parse("bucket[0]").ok());
  EXPECT_FALSE(Transform::Parse("bucket[x]").ok());
  EXPECT_FALSE(Transform::Parse("truncate[-1]").ok());
  EXPECT_FALSE(Transform::Bucket(0).ok());
}

TEST(TransformTest, BucketAppliesSpecFormula) {
  Transform bucket = *Transform::Bucket(16);
  // hash(34) = 2017239379; 2017239379 % 16 = 3.
  EXPECT_EQ(*bucket.Apply(Primitive(TypeKind::kInt), Value::Integer(34)), Value::Integer(3));
  EXPECT_EQ(*bucket.Apply(Primitive(TypeKind::kLong), Value::BigInt(34)), Value::Integer(3));
  EXPECT_TRUE(bucket.Apply(Primitive(TypeKind::kInt), Value::Null(types::LogicalType::Integer()))
                  ->is_null());
  EXPECT_FALSE(bucket.PreservesOrder());
  EXPECT_FALSE(bucket.CanTransform(Primitive(TypeKind::kDouble)));
}

TEST(TransformTest, TruncateFloorsNegativeValues) {
  Transform truncate = *Transform::Truncate(10);
  EXPECT_EQ(*truncate.Apply(Primitive(TypeKind::kInt), Value::Integer(1)), Value::Integer(0));
  EXPECT_EQ(*truncate.Apply(Primitive(TypeKind::kInt), Value::Integer(-1)), Value::Integer(-10));
  EXPECT_EQ(*truncate.Apply(Primitive(TypeKind::kInt), Value::Integer(-10)), Value::Integer(-10));
  EXPECT_EQ(*truncate.Apply(Primitive(TypeKind::kLong), Value::BigInt(-11)), Value::BigInt(-20));
  // Spec example: 10.65 truncated with W=50 is 10.50; -0.05 gives -0.50.
  Type decimal = *Type::Decimal(9, 2);
  EXPECT_EQ(*(*Transform::Truncate(50)).Apply(decimal, Value::Decimal(1065, 9, 2)),
            Value::Decimal(1050, 9, 2));
  EXPECT_EQ(*(*Transform::Truncate(50)).Apply(decimal, Value::Decimal(-5, 9, 2)),
            Value::Decimal(-50, 9, 2));
  EXPECT_TRUE(truncate.PreservesOrder());
}

TEST(TransformTest, TruncateStringsByCodePoints) {
  Transform truncate = *Transform::Truncate(3);
  EXPECT_EQ(*truncate.Apply(Primitive(TypeKind::kString), Value::Varchar("iceberg")),
            Value::Varchar("ice"));
  EXPECT_EQ(*truncate.Apply(Primitive(TypeKind::kString), Value::Varchar("\xc3\xa9t\xc3\xa9s")),
            Value::Varchar("\xc3\xa9t\xc3\xa9"));
  EXPECT_EQ(*truncate.Apply(Primitive(TypeKind::kString), Value::Varchar("ab")),
            Value::Varchar("ab"));
  EXPECT_EQ(*truncate.Apply(Primitive(TypeKind::kBinary), Value::Bytea("abcdef")),
            Value::Bytea("abc"));
}

TEST(TransformTest, TemporalTransformsCountFromEpochAndFloor) {
  Type timestamp = Primitive(TypeKind::kTimestamp);
  auto apply = [&](const Transform& transform, std::string_view text) {
    return transform.Apply(timestamp, Value::Timestamp(Micros(text)))->integer_value();
  };
  EXPECT_EQ(apply(Transform::Year(), "1970-01-01 00:00:00"), 0);
  EXPECT_EQ(apply(Transform::Year(), "1969-12-31 23:59:59.999999"), -1);
  EXPECT_EQ(apply(Transform::Month(), "1969-12-31 23:59:59"), -1);
  EXPECT_EQ(apply(Transform::Month(), "2024-02-29 12:00:00"), 54 * 12 + 1);
  EXPECT_EQ(apply(Transform::Day(), "1969-12-31 23:59:59.999999"), -1);
  EXPECT_EQ(apply(Transform::Day(), "2024-03-01 00:00:00"), 19783);
  EXPECT_EQ(apply(Transform::Hour(), "1969-12-31 23:00:00"), -1);
  EXPECT_EQ(apply(Transform::Hour(), "1970-01-01 01:00:00"), 1);
  Type date = Primitive(TypeKind::kDate);
  EXPECT_EQ(Transform::Day().Apply(date, Value::Date(-1))->integer_value(), -1);
  EXPECT_EQ(Transform::Year().Apply(date, Value::Date(-1))->integer_value(), -1);
  EXPECT_EQ(
      Transform::Month().Apply(date, Value::Date(*types::ParseDate("2000-02-29")))->integer_value(),
      30 * 12 + 1);
  EXPECT_FALSE(Transform::Hour().CanTransform(date));
}

TEST(TransformTest, ResultTypes) {
  Type string = Primitive(TypeKind::kString);
  EXPECT_EQ(*(*Transform::Bucket(4)).ResultType(string), Primitive(TypeKind::kInt));
  EXPECT_EQ(*(*Transform::Truncate(4)).ResultType(string), string);
  EXPECT_EQ(*Transform::Day().ResultType(Primitive(TypeKind::kTimestampTz)),
            Primitive(TypeKind::kInt));
  EXPECT_FALSE(Transform::Day().ResultType(string).ok());
  EXPECT_EQ(Transform::Void().Apply(string, Value::Varchar("x"))->is_null(), true);
}

TEST(TransformTest, HumanStrings) {
  Type timestamp = Primitive(TypeKind::kTimestamp);
  EXPECT_EQ(Transform::Year().ToHumanString(timestamp, Value::Integer(54)), "2024");
  EXPECT_EQ(Transform::Month().ToHumanString(timestamp, Value::Integer(-1)), "1969-12");
  EXPECT_EQ(Transform::Day().ToHumanString(timestamp, Value::Integer(19724)), "2024-01-02");
  EXPECT_EQ(Transform::Hour().ToHumanString(timestamp, Value::Integer(-1)), "1969-12-31-23");
  EXPECT_EQ(
      Transform::Identity().ToHumanString(timestamp, Value::Null(types::LogicalType::Timestamp())),
      "null");
}

}  // namespace
}  // namespace floe::table
