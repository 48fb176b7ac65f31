#include "table/schema_update.h"

#include <gtest/gtest.h>

namespace floe::table {
namespace {

Schema Base() {
  Type location = Type::Struct(
      {NestedField{.id = 4, .name = "lat", .type = Type::Primitive(TypeKind::kFloat)},
       NestedField{.id = 5, .name = "long", .type = Type::Primitive(TypeKind::kFloat)}});
  return *Schema::Make(
      1,
      {NestedField{
           .id = 1, .name = "id", .type = Type::Primitive(TypeKind::kInt), .is_required = true},
       NestedField{.id = 2, .name = "price", .type = *Type::Decimal(9, 2), .is_required = true},
       NestedField{.id = 3, .name = "location", .type = location}},
      {1});
}

std::vector<std::string> Names(const std::vector<NestedField>& fields) {
  std::vector<std::string> names;
  for (const NestedField& field : fields) {
    names.push_back(field.name);
  }
  return names;
}

TEST(SchemaUpdateTest, AddsColumnsWithFreshIds) {
  SchemaUpdate update(Base(), 5, 2);
  update.AddColumn("", "tags", Type::List(1, Type::Primitive(TypeKind::kString), false))
      .AddColumn("location", "alt", Type::Primitive(TypeKind::kDouble));
  Result<Schema> schema = update.Apply(2);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema_id(), 2);
  EXPECT_EQ(schema->FindField("tags")->id, 6);
  EXPECT_EQ(schema->FindField("tags.element")->id, 7);
  EXPECT_EQ(schema->FindField("location.alt")->id, 8);
  EXPECT_EQ(update.last_column_id(), 8);
}

TEST(SchemaUpdateTest, IdsAreNeverReused) {
  // Column 6 existed once and was dropped: last-column-id 6 keeps it retired.
  SchemaUpdate update(Base(), 6, 2);
  update.AddColumn("", "note", Type::Primitive(TypeKind::kString));
  EXPECT_EQ(update.Apply(2)->FindField("note")->id, 7);
}

TEST(SchemaUpdateTest, RequiredColumnsNeedDefaultsAndVersion3) {
  Type long_type = Type::Primitive(TypeKind::kLong);
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2).AddColumn("", "n", long_type, true).Apply(2).ok());
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2)
                   .AddColumn("", "n", long_type, true, types::Value::BigInt(0))
                   .Apply(2)
                   .ok());
  Result<Schema> v3 = SchemaUpdate(Base(), 5, 3)
                          .AddColumn("", "n", long_type, true, types::Value::BigInt(7))
                          .Apply(2);
  ASSERT_TRUE(v3.ok()) << v3.status().ToString();
  EXPECT_EQ(v3->FindField("n")->initial_default, types::Value::BigInt(7));
  EXPECT_TRUE(v3->HasInitialDefaults());
}

TEST(SchemaUpdateTest, RefusesCollisionsAndMissingColumns) {
  Type type = Type::Primitive(TypeKind::kString);
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2).AddColumn("", "price", type).Apply(2).ok());
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2).AddColumn("location", "lat", type).Apply(2).ok());
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2).AddColumn("nowhere", "x", type).Apply(2).ok());
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2).AddColumn("id", "x", type).Apply(2).ok());
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2).RenameColumn("price", "id").Apply(2).ok());
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2).DropColumn("missing").Apply(2).ok());
}

TEST(SchemaUpdateTest, DropsAndRenames) {
  Result<Schema> schema = SchemaUpdate(Base(), 5, 2)
                              .DropColumn("location.long")
                              .RenameColumn("location.lat", "latitude")
                              .RenameColumn("price", "cost")
                              .Apply(2);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->FindField("location.latitude")->id, 4);
  EXPECT_EQ(schema->FindField("cost")->id, 2);
  EXPECT_EQ(schema->FindField(5), nullptr);
}

TEST(SchemaUpdateTest, RefusesDroppingIdentifierFields) {
  Status status = SchemaUpdate(Base(), 5, 2).DropColumn("id").Apply(2).status();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("identifier"), std::string::npos);
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2).MakeOptional("id").Apply(2).ok());
}

TEST(SchemaUpdateTest, WidensOnlyAllowedPromotions) {
  Result<Schema> schema = SchemaUpdate(Base(), 5, 2)
                              .WidenColumn("id", Type::Primitive(TypeKind::kLong))
                              .WidenColumn("location.lat", Type::Primitive(TypeKind::kDouble))
                              .WidenColumn("price", *Type::Decimal(18, 2))
                              .Apply(2);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->FindField(1)->type, Type::Primitive(TypeKind::kLong));
  EXPECT_EQ(schema->FindField(2)->type, *Type::Decimal(18, 2));
  auto refused = [](std::string_view name, const Type& type) {
    return !SchemaUpdate(Base(), 5, 2).WidenColumn(name, type).Apply(2).ok();
  };
  EXPECT_TRUE(refused("price", *Type::Decimal(8, 2)));   // Narrowing.
  EXPECT_TRUE(refused("price", *Type::Decimal(12, 3)));  // Scale change.
  EXPECT_TRUE(refused("id", Type::Primitive(TypeKind::kString)));
  EXPECT_TRUE(refused("location", Type::Primitive(TypeKind::kString)));
}

TEST(SchemaUpdateTest, MakesOptional) {
  Result<Schema> schema = SchemaUpdate(Base(), 5, 2).MakeOptional("price").Apply(2);
  ASSERT_TRUE(schema.ok());
  EXPECT_FALSE(schema->FindField(2)->is_required);
}

TEST(SchemaUpdateTest, Reorders) {
  Result<Schema> schema = SchemaUpdate(Base(), 5, 2).MoveFirst("location").Apply(2);
  EXPECT_EQ(Names(schema->fields()), (std::vector<std::string>{"location", "id", "price"}));
  schema = SchemaUpdate(Base(), 5, 2).MoveAfter("id", "price").Apply(2);
  EXPECT_EQ(Names(schema->fields()), (std::vector<std::string>{"price", "id", "location"}));
  schema = SchemaUpdate(Base(), 5, 2).MoveBefore("location.long", "location.lat").Apply(2);
  EXPECT_EQ(Names(schema->FindField(3)->type.fields()), (std::vector<std::string>{"long", "lat"}));
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2).MoveAfter("id", "id").Apply(2).ok());
  EXPECT_FALSE(SchemaUpdate(Base(), 5, 2).MoveAfter("id", "lat").Apply(2).ok());
}

}  // namespace
}  // namespace floe::table
