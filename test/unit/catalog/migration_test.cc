#include "catalog/migration.h"

#include <gtest/gtest.h>

namespace floe::catalog {
namespace {

TEST(MigrationRegistryTest, DefaultsHoldTheCatalogComponent) {
  MigrationRegistry registry = DefaultMigrations();
  ASSERT_EQ(registry.components().size(), 1u);
  EXPECT_EQ(registry.components()[0].component, "catalog");
  EXPECT_EQ(registry.components()[0].migrations.size(), 2u);
}

TEST(MigrationRegistryTest, AppendsComponentsInOrder) {
  MigrationRegistry registry = DefaultMigrations();
  ASSERT_TRUE(registry.Add({"security", {{.version = 1, .sql = "SELECT 1"}}}).ok());
  ASSERT_TRUE(registry.Add({"jobs", {}}).ok());
  ASSERT_EQ(registry.components().size(), 3u);
  EXPECT_EQ(registry.components()[1].component, "security");
  EXPECT_EQ(registry.components()[2].component, "jobs");
}

TEST(MigrationRegistryTest, RejectsDuplicatesAndGaps) {
  MigrationRegistry registry = DefaultMigrations();
  EXPECT_EQ(registry.Add({"catalog", {}}).message(),
            "migration component catalog is already registered");
  EXPECT_EQ(registry.Add({"", {}}).code(), StatusCode::kInvalidArgument);
  Status gap = registry.Add({"jobs", {{.version = 1}, {.version = 3}}});
  EXPECT_EQ(gap.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(gap.message(),
            "migration component jobs must number its versions 1, 2, 3...: found 3 where 2 "
            "belongs");
  EXPECT_EQ(registry.components().size(), 1u);
}

}  // namespace
}  // namespace floe::catalog
