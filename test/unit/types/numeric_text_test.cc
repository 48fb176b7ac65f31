#include "types/numeric_text.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

namespace floe::types {
namespace {

TEST(NumericTextTest, Booleans) {
  for (std::string_view text : {"t", "true", "TRUE", " yes ", "y", "on", "1", "tr"}) {
    EXPECT_TRUE(ParseBoolean(text).value()) << text;
  }
  for (std::string_view text : {"f", "false", "False", "no", "n", "off", "of", "0"}) {
    EXPECT_FALSE(ParseBoolean(text).value()) << text;
  }
  for (std::string_view text : {"o", "", "2", "truex", "yess"}) {
    Result<bool> result = ParseBoolean(text);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.status().message(),
              fmt::format("invalid input syntax for type boolean: \"{}\"", text));
  }
  EXPECT_EQ(FormatBoolean(true), "t");
  EXPECT_EQ(FormatBoolean(false), "f");
}

TEST(NumericTextTest, IntegerLimits) {
  EXPECT_EQ(ParseSmallInt("-32768").value(), -32768);
  EXPECT_EQ(ParseSmallInt("32767").value(), 32767);
  EXPECT_EQ(ParseInteger(" 12 ").value(), 12);
  EXPECT_EQ(ParseInteger("+7").value(), 7);
  EXPECT_EQ(ParseInteger("-2147483648").value(), std::numeric_limits<int32_t>::min());
  EXPECT_EQ(ParseBigInt("9223372036854775807").value(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseBigInt("-9223372036854775808").value(), std::numeric_limits<int64_t>::min());

  Result<int16_t> smallint = ParseSmallInt("32768");
  EXPECT_EQ(smallint.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(smallint.status().message(), "value \"32768\" is out of range for type smallint");
  EXPECT_EQ(ParseSmallInt("-32769").status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(ParseInteger("2147483648").status().message(),
            "value \"2147483648\" is out of range for type integer");
  EXPECT_EQ(ParseBigInt("9223372036854775808").status().message(),
            "value \"9223372036854775808\" is out of range for type bigint");
  EXPECT_EQ(ParseBigInt("-9223372036854775809").status().code(), StatusCode::kOutOfRange);
}

TEST(NumericTextTest, IntegerSyntaxErrors) {
  for (std::string_view text : {"x", "", " ", "12.5", "1e3", "--1", "+", "1 2", "0x10"}) {
    Result<int32_t> result = ParseInteger(text);
    ASSERT_FALSE(result.ok()) << text;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidCast);
    EXPECT_EQ(result.status().sql_state(), "22P02");
    EXPECT_EQ(result.status().message(),
              fmt::format("invalid input syntax for type integer: \"{}\"", text));
  }
}

TEST(NumericTextTest, ParsesFloats) {
  EXPECT_EQ(ParseDouble(" 1.5 ").value(), 1.5);
  EXPECT_EQ(ParseDouble("+2e3").value(), 2000.0);
  EXPECT_TRUE(std::isnan(ParseDouble("NaN").value()));
  EXPECT_EQ(ParseDouble("Infinity").value(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(ParseDouble("-inf").value(), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(ParseReal("0.1").value(), 0.1f);
  EXPECT_EQ(ParseDouble("1e400").status().message(),
            "\"1e400\" is out of range for type double precision");
  EXPECT_EQ(ParseDouble("1e400").status().sql_state(), "22003");
  EXPECT_EQ(ParseReal("1e40").status().message(), "\"1e40\" is out of range for type real");
  EXPECT_EQ(ParseDouble("abc").status().message(),
            "invalid input syntax for type double precision: \"abc\"");
  EXPECT_EQ(ParseReal("").status().message(), "invalid input syntax for type real: \"\"");
}

TEST(NumericTextTest, FormatsFloatsAsPostgres) {
  EXPECT_EQ(FormatDouble(1e15), "1e+15");
  EXPECT_EQ(FormatDouble(1e14), "100000000000000");
  EXPECT_EQ(FormatDouble(0.0001), "0.0001");
  EXPECT_EQ(FormatDouble(0.00001), "1e-05");
  EXPECT_EQ(FormatDouble(1.5e-5), "1.5e-05");
  EXPECT_EQ(FormatDouble(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatDouble(static_cast<double>(0.1f)), "0.10000000149011612");
  EXPECT_EQ(FormatDouble(-0.0), "-0");
  EXPECT_EQ(FormatDouble(1.5), "1.5");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatDouble(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(FormatDouble(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(FormatDouble(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(FormatReal(1e6f), "1e+06");
  EXPECT_EQ(FormatReal(100000.0f), "100000");
  EXPECT_EQ(FormatReal(1.1f), "1.1");
  EXPECT_EQ(FormatReal(123456.7f), "123456.7");
  EXPECT_EQ(FormatReal(1234567.0f), "1.234567e+06");
}

}  // namespace
}  // namespace floe::types
