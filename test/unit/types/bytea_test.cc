#include "types/bytea.h"

#include <gtest/gtest.h>

namespace floe::types {
namespace {

using std::string_literals::operator""s;

TEST(ByteaTest, FormatsAsHex) {
  EXPECT_EQ(FormatBytea("\x0a\x0b"), "\\x0a0b");
  EXPECT_EQ(FormatBytea(""), "\\x");
  EXPECT_EQ(FormatBytea("abc"), "\\x616263");
  EXPECT_EQ(FormatBytea("\xff\x00"s), "\\xff00");
}

TEST(ByteaTest, ParsesHexFormat) {
  EXPECT_EQ(ParseBytea("\\x0a0B").value(), "\x0a\x0b");
  EXPECT_EQ(ParseBytea("\\x 0a 0b").value(), "\x0a\x0b");
  EXPECT_EQ(ParseBytea("\\x").value(), "");
  Result<std::string> odd = ParseBytea("\\x0a0");
  EXPECT_EQ(odd.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(odd.status().sql_state(), "22023");
  EXPECT_EQ(odd.status().message(), "invalid hexadecimal data: odd number of digits");
  EXPECT_EQ(ParseBytea("\\x0g").status().message(), "invalid hexadecimal digit: \"g\"");
}

TEST(ByteaTest, ParsesEscapeFormat) {
  EXPECT_EQ(ParseBytea("abc").value(), "abc");
  EXPECT_EQ(ParseBytea("abc\\\\\\001").value(), "abc\\\x01");
  EXPECT_EQ(ParseBytea("\\000").value(), "\x00"s);
  EXPECT_EQ(ParseBytea("\\377").value(), "\xff");
  Result<std::string> bad = ParseBytea("a\\q");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidCast);
  EXPECT_EQ(bad.status().sql_state(), "22P02");
  EXPECT_EQ(bad.status().message(), "invalid input syntax for type bytea");
  EXPECT_EQ(ParseBytea("\\400").status().code(), StatusCode::kInvalidCast);
  EXPECT_EQ(ParseBytea("\\").status().code(), StatusCode::kInvalidCast);
}

}  // namespace
}  // namespace floe::types
