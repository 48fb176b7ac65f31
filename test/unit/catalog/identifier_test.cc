#include "catalog/identifier.h"

#include <gtest/gtest.h>

namespace floe::catalog {
namespace {

TEST(IdentifierTest, JoinsLevelsWithDots) {
  EXPECT_EQ(NamespaceToString({"sales", "eu"}), "sales.eu");
  EXPECT_EQ(IdentifierToString({{"sales", "eu"}, "orders"}), "sales.eu.orders");
  EXPECT_EQ(IdentifierToString({{}, "orders"}), "orders");
}

TEST(IdentifierTest, RejectsEmptyAndReservedCharacters) {
  EXPECT_TRUE(ValidateIdentifier({{"a b", "Ünï"}, "x.y"}).ok());
  EXPECT_EQ(ValidateNamespace({}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateNamespace({"a", ""}).message(), "namespace level must not be empty");
  EXPECT_EQ(ValidateName("table name",
                         "a\x1f"
                         "b")
                .message(),
            "table name must not contain the unit separator (0x1f)");
  EXPECT_EQ(ValidateIdentifier({{"a"}, std::string("\0", 1)}).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace floe::catalog
