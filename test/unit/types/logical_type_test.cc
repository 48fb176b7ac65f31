#include "types/logical_type.h"

#include <gtest/gtest.h>

namespace floe::types {
namespace {

LogicalType Numeric(int precision, int scale) {
  return LogicalType::Decimal(precision, scale).value();
}

TEST(LogicalTypeTest, DecimalValidatesPrecisionAndScale) {
  EXPECT_TRUE(LogicalType::Decimal(1, 0).ok());
  EXPECT_TRUE(LogicalType::Decimal(38, 38).ok());
  EXPECT_EQ(LogicalType::Decimal(0, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LogicalType::Decimal(39, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LogicalType::Decimal(10, -1).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(LogicalType::Decimal(10, 11).status().code(), StatusCode::kInvalidArgument);
  LogicalType type = Numeric(15, 2);
  EXPECT_EQ(type.id(), TypeId::kDecimal);
  EXPECT_EQ(type.precision(), 15);
  EXPECT_EQ(type.scale(), 2);
}

TEST(LogicalTypeTest, ScalarNamesArePostgresNames) {
  EXPECT_EQ(LogicalType::Null().ToString(), "unknown");
  EXPECT_EQ(LogicalType::Boolean().ToString(), "boolean");
  EXPECT_EQ(LogicalType::SmallInt().ToString(), "smallint");
  EXPECT_EQ(LogicalType::Integer().ToString(), "integer");
  EXPECT_EQ(LogicalType::BigInt().ToString(), "bigint");
  EXPECT_EQ(LogicalType::Real().ToString(), "real");
  EXPECT_EQ(LogicalType::Double().ToString(), "double precision");
  EXPECT_EQ(Numeric(15, 2).ToString(), "numeric(15,2)");
  EXPECT_EQ(LogicalType::Date().ToString(), "date");
  EXPECT_EQ(LogicalType::Time().ToString(), "time without time zone");
  EXPECT_EQ(LogicalType::Timestamp().ToString(), "timestamp without time zone");
  EXPECT_EQ(LogicalType::TimestampTz().ToString(), "timestamp with time zone");
  EXPECT_EQ(LogicalType::Interval().ToString(), "interval");
  EXPECT_EQ(LogicalType::Varchar().ToString(), "text");
  EXPECT_EQ(LogicalType::Bytea().ToString(), "bytea");
  EXPECT_EQ(LogicalType::Uuid().ToString(), "uuid");
}

TEST(LogicalTypeTest, NestedTypesExposeChildrenAndPrint) {
  LogicalType list = LogicalType::List(LogicalType::Integer());
  EXPECT_EQ(list.id(), TypeId::kList);
  EXPECT_EQ(list.element_type(), LogicalType::Integer());
  EXPECT_EQ(list.ToString(), "integer[]");
  EXPECT_EQ(LogicalType::List(list).ToString(), "integer[][]");

  LogicalType record =
      LogicalType::Struct({{"a", std::make_shared<const LogicalType>(LogicalType::Integer())},
                           {"b", std::make_shared<const LogicalType>(LogicalType::Varchar())}});
  ASSERT_EQ(record.fields().size(), 2u);
  EXPECT_EQ(record.fields()[1].name, "b");
  EXPECT_EQ(record.ToString(), "struct(a integer, b text)");

  LogicalType map = LogicalType::Map(LogicalType::Varchar(), LogicalType::Integer());
  EXPECT_EQ(map.key_type(), LogicalType::Varchar());
  EXPECT_EQ(map.value_type(), LogicalType::Integer());
  EXPECT_EQ(map.ToString(), "map(text, integer)");
}

TEST(LogicalTypeTest, EqualityIsDeep) {
  EXPECT_EQ(LogicalType::List(LogicalType::Integer()), LogicalType::List(LogicalType::Integer()));
  EXPECT_NE(LogicalType::List(LogicalType::Integer()), LogicalType::List(LogicalType::BigInt()));
  EXPECT_EQ(Numeric(10, 2), Numeric(10, 2));
  EXPECT_NE(Numeric(10, 2), Numeric(10, 3));
  auto field = [](std::string name, LogicalType type) {
    return StructField{std::move(name), std::make_shared<const LogicalType>(std::move(type))};
  };
  EXPECT_EQ(LogicalType::Struct({field("a", LogicalType::Integer())}),
            LogicalType::Struct({field("a", LogicalType::Integer())}));
  EXPECT_NE(LogicalType::Struct({field("a", LogicalType::Integer())}),
            LogicalType::Struct({field("b", LogicalType::Integer())}));
  EXPECT_NE(LogicalType::Integer(), LogicalType::BigInt());
  EXPECT_NE(LogicalType::Map(LogicalType::Varchar(), LogicalType::Integer()),
            LogicalType::Map(LogicalType::Integer(), LogicalType::Integer()));
}

TEST(LogicalTypeTest, Classification) {
  EXPECT_TRUE(LogicalType::SmallInt().IsInteger());
  EXPECT_FALSE(LogicalType::Real().IsInteger());
  EXPECT_TRUE(Numeric(5, 1).IsNumeric());
  EXPECT_TRUE(LogicalType::Double().IsNumeric());
  EXPECT_FALSE(LogicalType::Boolean().IsNumeric());
  EXPECT_TRUE(LogicalType::Interval().IsTemporal());
  EXPECT_TRUE(LogicalType::Date().IsTemporal());
  EXPECT_FALSE(LogicalType::Varchar().IsTemporal());
  EXPECT_TRUE(LogicalType::Map(LogicalType::Varchar(), LogicalType::Integer()).IsNested());
  EXPECT_FALSE(LogicalType::Uuid().IsNested());
  EXPECT_TRUE(LogicalType::Bytea().IsString());
}

TEST(LogicalTypeTest, PhysicalWidths) {
  EXPECT_EQ(LogicalType::Boolean().PhysicalWidth(), 0);
  EXPECT_EQ(LogicalType::SmallInt().PhysicalWidth(), 2);
  EXPECT_EQ(LogicalType::Integer().PhysicalWidth(), 4);
  EXPECT_EQ(LogicalType::BigInt().PhysicalWidth(), 8);
  EXPECT_EQ(LogicalType::Real().PhysicalWidth(), 4);
  EXPECT_EQ(LogicalType::Double().PhysicalWidth(), 8);
  EXPECT_EQ(Numeric(18, 2).PhysicalWidth(), 8);
  EXPECT_EQ(Numeric(19, 2).PhysicalWidth(), 16);
  EXPECT_EQ(LogicalType::Date().PhysicalWidth(), 4);
  EXPECT_EQ(LogicalType::Time().PhysicalWidth(), 8);
  EXPECT_EQ(LogicalType::Timestamp().PhysicalWidth(), 8);
  EXPECT_EQ(LogicalType::TimestampTz().PhysicalWidth(), 8);
  EXPECT_EQ(LogicalType::Interval().PhysicalWidth(), 16);
  EXPECT_EQ(LogicalType::Uuid().PhysicalWidth(), 16);
  EXPECT_EQ(LogicalType::Varchar().PhysicalWidth(), 0);
  EXPECT_EQ(LogicalType::Bytea().PhysicalWidth(), 0);
  EXPECT_EQ(LogicalType::List(LogicalType::Integer()).PhysicalWidth(), 0);
  EXPECT_EQ(LogicalType::Null().PhysicalWidth(), 0);
}

}  // namespace
}  // namespace floe::types
