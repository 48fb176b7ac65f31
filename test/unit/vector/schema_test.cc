#include "vector/schema.h"

#include <vector>

#include <gtest/gtest.h>

namespace floe::vector {
namespace {

using types::LogicalType;

Schema Example() {
  return Schema({{"id", LogicalType::BigInt(), false},
                 {"name", LogicalType::Varchar(), true},
                 {"tags", LogicalType::List(LogicalType::Varchar()), true}});
}

TEST(SchemaTest, FindsFieldsByName) {
  Schema schema = Example();
  EXPECT_EQ(schema.num_fields(), 3);
  EXPECT_EQ(schema.IndexOf("name"), 1);
  EXPECT_EQ(schema.IndexOf("missing"), std::nullopt);
  EXPECT_EQ(schema.field(2).type, LogicalType::List(LogicalType::Varchar()));
}

TEST(SchemaTest, ProjectsInTheGivenOrder) {
  std::vector<int64_t> indices = {2, 0};
  Result<Schema> projected = Example().Project(indices);
  ASSERT_TRUE(projected.ok());
  EXPECT_EQ(projected->ToString(), "tags text[], id bigint NOT NULL");
  std::vector<int64_t> bad = {3};
  EXPECT_EQ(Example().Project(bad).status().message(),
            "column 3 does not exist in a schema of 3 columns");
}

TEST(SchemaTest, ComparesFieldByField) {
  EXPECT_EQ(Example(), Example());
  Schema other({{"id", LogicalType::BigInt(), true}});
  EXPECT_FALSE(other == Example());
}

}  // namespace
}  // namespace floe::vector
