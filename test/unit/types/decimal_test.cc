#include "types/decimal.h"

#include <gtest/gtest.h>

namespace floe::types {
namespace {

Int128 Parse(std::string_view text, int precision, int scale) {
  Result<Int128> result = ParseDecimal(text, precision, scale);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ValueOr(0);
}

std::string ParseAndFormat(std::string_view text, int precision, int scale) {
  return FormatDecimal(Parse(text, precision, scale), scale);
}

TEST(DecimalTest, PowersOfTen) {
  EXPECT_EQ(PowerOfTen(0), 1);
  EXPECT_EQ(PowerOfTen(18), 1000000000000000000LL);
  EXPECT_EQ(Int128ToString(PowerOfTen(38)), "100000000000000000000000000000000000000");
}

TEST(DecimalTest, Int128TextRoundTrips) {
  EXPECT_EQ(Int128ToString(0), "0");
  EXPECT_EQ(Int128ToString(-42), "-42");
  EXPECT_EQ(Int128ToString(kInt128Max), "170141183460469231731687303715884105727");
  EXPECT_EQ(Int128ToString(kInt128Min), "-170141183460469231731687303715884105728");
  EXPECT_EQ(ParseInt128("-170141183460469231731687303715884105728"), kInt128Min);
  EXPECT_EQ(ParseInt128("170141183460469231731687303715884105727"), kInt128Max);
  EXPECT_EQ(ParseInt128("170141183460469231731687303715884105728"), std::nullopt);
  EXPECT_EQ(ParseInt128("12a"), std::nullopt);
  EXPECT_EQ(ParseInt128("-"), std::nullopt);
  EXPECT_EQ(CheckedMultiply(kInt128Max, 2), std::nullopt);
  EXPECT_EQ(CheckedAdd(kInt128Max, 1), std::nullopt);
  EXPECT_EQ(CheckedAdd(kInt128Max, -1), kInt128Max - 1);
}

TEST(DecimalTest, ParsesAndFormatsWithExactScale) {
  EXPECT_EQ(Parse("123.45", 5, 2), 12345);
  EXPECT_EQ(ParseAndFormat("1", 5, 2), "1.00");
  EXPECT_EQ(ParseAndFormat("  -12.5  ", 4, 1), "-12.5");
  EXPECT_EQ(ParseAndFormat(".5", 2, 1), "0.5");
  EXPECT_EQ(ParseAndFormat("1e3", 6, 2), "1000.00");
  EXPECT_EQ(ParseAndFormat("1.5E-1", 3, 2), "0.15");
  EXPECT_EQ(ParseAndFormat("0.5", 3, 3), "0.500");
  EXPECT_EQ(ParseAndFormat("+7", 1, 0), "7");
  EXPECT_EQ(FormatDecimal(5, 3), "0.005");
  EXPECT_EQ(FormatDecimal(-5, 3), "-0.005");
  EXPECT_EQ(FormatDecimal(-1234, 0), "-1234");
}

TEST(DecimalTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(ParseAndFormat("123.456", 5, 2), "123.46");
  EXPECT_EQ(ParseAndFormat("2.675", 5, 2), "2.68");
  EXPECT_EQ(ParseAndFormat("0.5", 1, 0), "1");
  EXPECT_EQ(ParseAndFormat("-0.5", 1, 0), "-1");
  EXPECT_EQ(ParseAndFormat("0.49999", 1, 0), "0");
  EXPECT_EQ(ParseAndFormat("12.5", 4, 0), "13");
  EXPECT_EQ(ParseAndFormat("-0.0001", 5, 2), "0.00");
  EXPECT_EQ(ParseAndFormat("0.05", 2, 1), "0.1");
}

TEST(DecimalTest, ThirtyEightDigits) {
  EXPECT_EQ(ParseAndFormat("99999999999999999999999999999999999999", 38, 0),
            "99999999999999999999999999999999999999");
  EXPECT_EQ(ParseAndFormat("-99999999999999999999999999999999999999", 38, 0),
            "-99999999999999999999999999999999999999");
  EXPECT_EQ(ParseAndFormat("0.00000000000000000000000000000000000001", 38, 38),
            "0.00000000000000000000000000000000000001");
  EXPECT_EQ(ParseAndFormat("1234567890123456789.0123456789012345678", 38, 19),
            "1234567890123456789.0123456789012345678");
}

TEST(DecimalTest, OverflowReportsPostgresDetail) {
  Result<Int128> result = ParseDecimal("1234.5", 5, 2);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(result.status().sql_state(), "22003");
  EXPECT_EQ(result.status().message(),
            "numeric field overflow: A field with precision 5, scale 2 must round to an absolute "
            "value less than 10^3.");
  EXPECT_EQ(ParseDecimal("1", 3, 3).status().message(),
            "numeric field overflow: A field with precision 3, scale 3 must round to an absolute "
            "value less than 1.");
  EXPECT_EQ(ParseDecimal("999999999999999999999999999999999999999", 38, 0).status().code(),
            StatusCode::kOutOfRange);
  // Rounding up can carry into one more digit.
  EXPECT_EQ(ParseDecimal("999.5", 3, 0).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(ParseDecimal("0.9995", 3, 3).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(ParseDecimal("1e100000000", 38, 0).status().message(),
            "value overflows numeric format");
  EXPECT_EQ(ParseDecimal("1e-100000000", 38, 0).status().message(),
            "value overflows numeric format");
  EXPECT_EQ(Parse("1e-1000", 38, 0), 0);
  EXPECT_EQ(ParseDecimal("1e1000", 38, 0).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(Parse("0e100", 1, 0), 0);
}

TEST(DecimalTest, RejectsBadText) {
  for (std::string_view text : {"", "abc", "1.2.3", "--1", "1e", "1e+", ".", "1 2", "0x10"}) {
    Result<Int128> result = ParseDecimal(text, 10, 2);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidCast) << text;
    EXPECT_EQ(result.status().message(),
              fmt::format("invalid input syntax for type numeric: \"{}\"", text));
  }
  EXPECT_EQ(ParseDecimal("NaN", 10, 2).status().code(), StatusCode::kNotSupported);
  EXPECT_EQ(ParseDecimal("-Infinity", 10, 2).status().message(),
            "numeric field overflow: A field with precision 10, scale 2 cannot hold an infinite "
            "value.");
}

TEST(DecimalTest, Rescales) {
  EXPECT_EQ(RescaleDecimal(12345, 2, 10, 4).value(), 1234500);
  EXPECT_EQ(RescaleDecimal(12345, 2, 10, 1).value(), 1235);
  EXPECT_EQ(RescaleDecimal(-12345, 2, 10, 1).value(), -1235);
  EXPECT_EQ(RescaleDecimal(12344, 2, 10, 1).value(), 1234);
  EXPECT_EQ(RescaleDecimal(5, 1, 1, 0).value(), 1);
  EXPECT_EQ(RescaleDecimal(-5, 1, 1, 0).value(), -1);
  EXPECT_EQ(RescaleDecimal(99999, 0, 5, 0).value(), 99999);
  EXPECT_EQ(RescaleDecimal(99999, 0, 5, 1).status().message(),
            "numeric field overflow: A field with precision 5, scale 1 must round to an absolute "
            "value less than 10^4.");
  EXPECT_EQ(RescaleDecimal(PowerOfTen(37), 0, 38, 38).status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(RescaleDecimal(PowerOfTen(38) - 1, 38, 1, 0).value(), 1);
}

TEST(DecimalTest, FitsPrecisionAndDivision) {
  EXPECT_TRUE(FitsPrecision(999, 3));
  EXPECT_FALSE(FitsPrecision(1000, 3));
  EXPECT_FALSE(FitsPrecision(-1000, 3));
  EXPECT_TRUE(FitsPrecision(PowerOfTen(38) - 1, 38));
  EXPECT_FALSE(FitsPrecision(PowerOfTen(38), 38));
  EXPECT_EQ(DivideRoundingHalfAway(25, 10), 3);
  EXPECT_EQ(DivideRoundingHalfAway(-25, 10), -3);
  EXPECT_EQ(DivideRoundingHalfAway(24, 10), 2);
  EXPECT_EQ(DivideRoundingHalfAway(-24, 10), -2);
  EXPECT_EQ(DivideRoundingHalfAway(kInt128Max, PowerOfTen(38)), 2);
}

}  // namespace
}  // namespace floe::types
