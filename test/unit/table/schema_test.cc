#include "table/schema.h"

#include <gtest/gtest.h>

namespace floe::table {
namespace {

constexpr std::string_view kSchemaJson = R"json({
  "type": "struct", "schema-id": 3, "identifier-field-ids": [1],
  "fields": [
    {"id": 1, "name": "id", "required": true, "type": "long", "doc": "key"},
    {"id": 2, "name": "price", "required": false, "type": "decimal(9, 2)"},
    {"id": 3, "name": "location", "required": false, "type": {"type": "struct", "fields": [
      {"id": 4, "name": "lat", "required": true, "type": "double"},
      {"id": 5, "name": "tags", "required": false, "type": {"type": "list", "element-id": 6,
        "element-required": true, "element": "string"}}]}},
    {"id": 7, "name": "attrs", "required": false, "type": {"type": "map", "key-id": 8,
      "key": "string", "value-id": 9, "value-required": false, "value": "fixed[16]"}},
    {"id": 10, "name": "level", "required": false, "type": "int",
     "initial-default": 5, "write-default": 7}
  ]})json";

TEST(SchemaTest, ParsesAppendixCJson) {
  Result<Schema> schema = SchemaFromJson(kSchemaJson);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema_id(), 3);
  EXPECT_EQ(schema->HighestFieldId(), 10);
  EXPECT_EQ(schema->identifier_field_ids(), std::vector<int32_t>{1});
  EXPECT_EQ(schema->FindField("location.lat")->id, 4);
  EXPECT_EQ(schema->FindField("location.tags.element")->id, 6);
  EXPECT_EQ(schema->FindField("attrs.value")->type, *Type::Fixed(16));
  EXPECT_EQ(schema->FindField(2)->type, *Type::Decimal(9, 2));
  EXPECT_EQ(*schema->FindColumnName(8), "attrs.key");
  EXPECT_EQ(schema->FindField(1)->doc, "key");
  EXPECT_EQ(*schema->FindStructPath(4), (std::vector<int>{2, 0}));
  EXPECT_FALSE(schema->FindStructPath(6).has_value());
  EXPECT_EQ(schema->FindField(99), nullptr);
  EXPECT_EQ(schema->FindField(10)->initial_default, types::Value::Integer(5));
  EXPECT_EQ(schema->FindField(10)->write_default, types::Value::Integer(7));
  EXPECT_TRUE(schema->HasInitialDefaults());
}

TEST(SchemaTest, JsonRoundTrips) {
  Schema schema = *SchemaFromJson(kSchemaJson);
  Result<Schema> again = SchemaFromJson(SchemaToJson(schema));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, schema);
  EXPECT_EQ(SchemaToJson(*again), SchemaToJson(schema));
}

TEST(SchemaTest, MapsToFloeTypes) {
  Schema schema = *SchemaFromJson(kSchemaJson);
  Result<vector::Schema> floe = schema.ToFloeSchema();
  ASSERT_TRUE(floe.ok());
  EXPECT_EQ(floe->field(0).type, types::LogicalType::BigInt());
  EXPECT_FALSE(floe->field(0).is_nullable);
  EXPECT_EQ(floe->field(3).type.value_type(), types::LogicalType::Bytea());
  EXPECT_EQ(ToLogicalType(Type::Primitive(TypeKind::kTimestampNs)).status().code(),
            StatusCode::kNotSupported);
  EXPECT_EQ(ToLogicalType(Type::Primitive(TypeKind::kVariant)).status().code(),
            StatusCode::kNotSupported);
}

TEST(SchemaTest, RefusesInvalidSchemas) {
  auto field = [](int32_t id, std::string name, bool is_required = false) {
    return NestedField{.id = id,
                       .name = std::move(name),
                       .type = Type::Primitive(TypeKind::kInt),
                       .is_required = is_required};
  };
  EXPECT_FALSE(Schema::Make(0, {field(1, "a"), field(1, "b")}).ok());
  EXPECT_FALSE(Schema::Make(0, {field(1, "a"), field(2, "a")}).ok());
  EXPECT_FALSE(Schema::Make(0, {field(0, "a")}).ok());
  EXPECT_FALSE(Schema::Make(0, {field(1, "a")}, {1}).ok());  // Identifier must be required.
  EXPECT_FALSE(Schema::Make(0, {field(1, "a", true)}, {2}).ok());
  EXPECT_TRUE(Schema::Make(0, {field(1, "a", true)}, {1}).ok());
}

TEST(SchemaTest, ParsesPrimitiveNames) {
  EXPECT_EQ(*Type::ParsePrimitive("decimal(38,0)"), *Type::Decimal(38, 0));
  EXPECT_FALSE(Type::ParsePrimitive("decimal(39,0)").ok());
  EXPECT_FALSE(Type::ParsePrimitive("fixed[0]").ok());
  EXPECT_FALSE(Type::ParsePrimitive("integer").ok());
  EXPECT_EQ(Type::ParsePrimitive("timestamptz_ns")->kind(), TypeKind::kTimestampTzNs);
  EXPECT_EQ(Type::ParsePrimitive("geometry(srid:4326)").status().code(), StatusCode::kNotSupported);
  EXPECT_EQ(SchemaFromJson("{").status().code(), StatusCode::kCorruption);
  EXPECT_EQ(SchemaFromJson(R"({"type":"struct","fields":[{"id":1}]})").status().code(),
            StatusCode::kCorruption);
}

}  // namespace
}  // namespace floe::table
