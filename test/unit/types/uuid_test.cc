#include "types/uuid.h"

#include <gtest/gtest.h>

namespace floe::types {
namespace {

constexpr std::string_view kCanonical = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11";

TEST(UuidTest, AcceptsPostgresInputForms) {
  for (std::string_view text :
       {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11",
        "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11", "{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}"}) {
    Result<Uuid> uuid = ParseUuid(text);
    ASSERT_TRUE(uuid.ok()) << text;
    EXPECT_EQ(FormatUuid(*uuid), kCanonical) << text;
  }
}

TEST(UuidTest, StoresBytesInWrittenOrder) {
  Uuid uuid = ParseUuid(kCanonical).value();
  EXPECT_EQ(uuid.bytes[0], 0xa0);
  EXPECT_EQ(uuid.bytes[15], 0x11);
  EXPECT_LT(ParseUuid("00000000-0000-0000-0000-000000000001").value(), uuid);
}

TEST(UuidTest, RejectsMalformedText) {
  for (std::string_view text :
       {"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a111",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1g",
        "a0eeb-c999c0b4ef8bb6d6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11-", "",
        " a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"}) {
    Result<Uuid> uuid = ParseUuid(text);
    ASSERT_FALSE(uuid.ok()) << text;
    EXPECT_EQ(uuid.status().code(), StatusCode::kInvalidCast);
    EXPECT_EQ(uuid.status().sql_state(), "22P02");
    EXPECT_EQ(uuid.status().message(),
              fmt::format("invalid input syntax for type uuid: \"{}\"", text));
  }
}

}  // namespace
}  // namespace floe::types
