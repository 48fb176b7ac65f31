#include "server/pgwire/type_codec.h"

#include <gtest/gtest.h>

namespace floe::server::pgwire {
namespace {

using types::LogicalType;
using types::Value;

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) {
    out += fmt::format("{:02x}", c);
  }
  return out;
}

TEST(TypeCodecTest, NamesPostgresTypeOids) {
  EXPECT_EQ(TypeOidOf(LogicalType::Boolean()), 16);
  EXPECT_EQ(TypeOidOf(LogicalType::BigInt()), 20);
  EXPECT_EQ(TypeOidOf(LogicalType::Integer()), 23);
  EXPECT_EQ(TypeOidOf(LogicalType::Varchar()), 1043);
  EXPECT_EQ(TypeOidOf(*LogicalType::Decimal(10, 2)), 1700);
  EXPECT_EQ(TypeOidOf(LogicalType::TimestampTz()), 1184);
  EXPECT_EQ(TypeOidOf(LogicalType::Uuid()), 2950);
  EXPECT_EQ(TypeOidOf(LogicalType::List(LogicalType::Integer())), 1007);
  EXPECT_EQ(TypeModifierOf(*LogicalType::Decimal(10, 2)), (10 << 16 | 2) + 4);
  EXPECT_EQ(TypeSizeOf(LogicalType::BigInt()), 8);
  EXPECT_EQ(TypeSizeOf(LogicalType::Varchar()), -1);
}

TEST(TypeCodecTest, EncodesScalarsInBinary) {
  EXPECT_EQ(Hex(*EncodeBinary(Value::Boolean(true))), "01");
  EXPECT_EQ(Hex(*EncodeBinary(Value::SmallInt(-2))), "fffe");
  EXPECT_EQ(Hex(*EncodeBinary(Value::Integer(258))), "00000102");
  EXPECT_EQ(Hex(*EncodeBinary(Value::BigInt(1))), "0000000000000001");
  EXPECT_EQ(Hex(*EncodeBinary(Value::Double(1.5))), "3ff8000000000000");
  // 2000-01-01 is day 0 in PostgreSQL's binary dates.
  EXPECT_EQ(Hex(*EncodeBinary(Value::Date(10957))), "00000000");
  EXPECT_EQ(Hex(*EncodeBinary(Value::Timestamp(946684800000001))), "0000000000000001");
  EXPECT_EQ(*EncodeBinary(Value::Varchar("abc")), "abc");
}

TEST(TypeCodecTest, EncodesNumericInBaseTenThousand) {
  // 12.34: two digits (12, 3400), weight 0, positive, scale 2.
  EXPECT_EQ(Hex(*EncodeBinary(Value::Decimal(1234, 10, 2))), "0002000000000002000c0d48");
  // -1234.5: digits (1234, 5000), weight 0, negative, scale 1.
  EXPECT_EQ(Hex(*EncodeBinary(Value::Decimal(-12345, 10, 1))),
            "0002000040000001"
            "04d21388");
  // 0.00: no digits.
  EXPECT_EQ(Hex(*EncodeBinary(Value::Decimal(0, 10, 2))), "0000000000000002");
  // 100000000 (1 0000 0000): one digit 1 with weight 2.
  EXPECT_EQ(Hex(*EncodeBinary(Value::Decimal(100000000, 18, 0))),
            "0001000200000000"
            "0001");
}

TEST(TypeCodecTest, DecodesWhatItEncodes) {
  std::vector<Value> values = {Value::Boolean(false),
                               Value::SmallInt(7),
                               Value::Integer(-42),
                               Value::BigInt(int64_t{1} << 40),
                               Value::Real(2.5f),
                               Value::Double(-0.125),
                               Value::Decimal(-12345, 10, 3),
                               Value::Decimal(5, 10, 4),
                               Value::Date(19000),
                               Value::Time(3600000000),
                               Value::Timestamp(1700000000123456),
                               Value::TimestampTz(-5),
                               Value::Interval({.months = 1, .days = 2, .micros = 3}),
                               Value::Varchar("héllo"),
                               Value::Bytea(std::string("\0\1\2", 3))};
  for (const Value& value : values) {
    Result<std::string> bytes = EncodeBinary(value);
    ASSERT_TRUE(bytes.ok()) << value.ToString();
    Result<Value> decoded = DecodeBinary(value.type(), *bytes);
    ASSERT_TRUE(decoded.ok()) << value.ToString() << ": " << decoded.status().ToString();
    EXPECT_EQ(decoded->ToString(), value.ToString());
  }
}

TEST(TypeCodecTest, RejectsBinaryOfTheWrongSize) {
  Result<Value> decoded = DecodeBinary(LogicalType::Integer(), "abc");
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().sql_state(), "22P03");
  EXPECT_FALSE(DecodeBinary(LogicalType::BigInt(), "").ok());
  EXPECT_FALSE(DecodeBinary(*LogicalType::Decimal(10, 2), "\x00\x01").ok());
}

// Binary dates and timestamps count from 2000-01-01: a client's value near the type's limit
// is out of range once shifted to Floe's epoch, an error rather than an overflow.
TEST(TypeCodecTest, RejectsBinaryDatesAndTimestampsOutOfRange) {
  const std::string max_int64("\x7f\xff\xff\xff\xff\xff\xff\xff", 8);
  for (const LogicalType& type : {LogicalType::Timestamp(), LogicalType::TimestampTz()}) {
    Result<Value> decoded = DecodeBinary(type, max_int64);
    ASSERT_FALSE(decoded.ok()) << type.ToString();
    EXPECT_EQ(decoded.status().sql_state(), "22008");
  }
  Result<Value> date = DecodeBinary(LogicalType::Date(), std::string("\x7f\xff\xff\xff", 4));
  ASSERT_FALSE(date.ok());
  EXPECT_EQ(date.status().sql_state(), "22008");
  Result<Value> epoch =
      DecodeBinary(LogicalType::Timestamp(), std::string(8, '\0'));  // 2000-01-01 00:00:00
  ASSERT_TRUE(epoch.ok()) << epoch.status().ToString();
  EXPECT_EQ(epoch->ToString(), "2000-01-01 00:00:00");
}

TEST(TypeCodecTest, EncodesOneDimensionalArraysInBinary) {
  Value list =
      Value::List(LogicalType::Integer(), {Value::Integer(1), Value::Null(LogicalType::Integer())});
  EXPECT_EQ(Hex(*EncodeBinary(list)),
            "00000001"
            "00000001"
            "00000017"
            "00000002"
            "00000001"
            "00000004"
            "00000001"
            "ffffffff");
}

TEST(TypeCodecTest, EncodesMultidimensionalAndEmptyArraysInBinary) {
  LogicalType row = LogicalType::List(LogicalType::SmallInt());
  Value matrix = Value::List(row, {Value::List(LogicalType::SmallInt(), {Value::SmallInt(1)}),
                                   Value::List(LogicalType::SmallInt(), {Value::SmallInt(2)})});
  EXPECT_EQ(TypeOidOf(matrix.type()), 1005);
  EXPECT_EQ(Hex(*EncodeBinary(matrix)),
            "00000002"   // dimensions
            "00000000"   // no NULLs
            "00000015"   // int2
            "0000000200000001"
            "0000000100000001"
            "000000020001"
            "000000020002");
  // PostgreSQL sends '{}' with no dimensions.
  EXPECT_EQ(Hex(*EncodeBinary(Value::List(LogicalType::Integer(), {}))),
            "000000000000000000000017");
  Value ragged = Value::List(row, {Value::List(LogicalType::SmallInt(), {Value::SmallInt(1)}),
                                   Value::List(LogicalType::SmallInt(), {})});
  EXPECT_EQ(EncodeBinary(ragged).status().sql_state(), "0A000");
}

TEST(TypeCodecTest, DecodesArrayParameters) {
  LogicalType list = *LogicalTypeOfOid(1007);
  ASSERT_EQ(list, LogicalType::List(LogicalType::Integer()));
  Value value =
      Value::List(LogicalType::Integer(), {Value::Integer(7), Value::Null(LogicalType::Integer())});
  Result<Value> decoded = DecodeBinary(list, *EncodeBinary(value));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->ToString(), "{7,NULL}");
  LogicalType matrix_type = LogicalType::List(LogicalType::List(LogicalType::Varchar()));
  Value matrix = Value::List(
      matrix_type.element_type(),
      {Value::List(LogicalType::Varchar(), {Value::Varchar("a b"), Value::Varchar("c")})});
  Result<Value> decoded_matrix = DecodeBinary(matrix_type, *EncodeBinary(matrix));
  ASSERT_TRUE(decoded_matrix.ok()) << decoded_matrix.status().ToString();
  EXPECT_EQ(decoded_matrix->ToString(), "{{\"a b\",c}}");
  EXPECT_EQ(DecodeBinary(list, *EncodeBinary(Value::List(LogicalType::Integer(), {})))->ToString(),
            "{}");
  // Truncated element bytes and a wrong number of dimensions are errors, not crashes.
  std::string bytes = *EncodeBinary(value);
  EXPECT_FALSE(DecodeBinary(list, bytes.substr(0, bytes.size() - 5)).ok());
  EXPECT_EQ(DecodeBinary(list, *EncodeBinary(matrix)).status().sql_state(), "22P03");
}

TEST(TypeCodecTest, MapsParameterOidsToTypes) {
  EXPECT_EQ(LogicalTypeOfOid(0)->id(), types::TypeId::kNull);
  EXPECT_EQ(LogicalTypeOfOid(23)->id(), types::TypeId::kInteger);
  EXPECT_EQ(LogicalTypeOfOid(25)->id(), types::TypeId::kVarchar);
  EXPECT_FALSE(LogicalTypeOfOid(600).ok());  // point
}

}  // namespace
}  // namespace floe::server::pgwire
