#include "table/partition_spec.h"

#include <gtest/gtest.h>

#include "types/temporal.h"

namespace floe::table {
namespace {

using types::Value;

Schema TestSchema() {
  return *Schema::Make(
      0, {NestedField{
              .id = 1, .name = "id", .type = Type::Primitive(TypeKind::kLong), .is_required = true},
          NestedField{.id = 2, .name = "ts", .type = Type::Primitive(TypeKind::kTimestamp)},
          NestedField{.id = 3, .name = "name", .type = Type::Primitive(TypeKind::kString)}});
}

constexpr std::string_view kSpecJson = R"({"spec-id": 2, "fields": [
  {"source-id": 2, "field-id": 1000, "name": "ts_day", "transform": "day"},
  {"source-id": 1, "field-id": 1001, "name": "bucket", "transform": "bucket[16]"},
  {"source-id": 3, "field-id": 1002, "name": "name", "transform": "identity"}]})";

TEST(PartitionSpecTest, JsonRoundTrips) {
  Result<PartitionSpec> spec = PartitionSpecFromJson(kSpecJson);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->spec_id(), 2);
  EXPECT_EQ(spec->fields().size(), 3U);
  EXPECT_EQ(spec->fields()[1].transform, *Transform::Bucket(16));
  EXPECT_EQ(spec->HighestFieldId(), 1002);
  EXPECT_TRUE(spec->Validate(TestSchema()).ok());
  EXPECT_EQ(*PartitionSpecFromJson(PartitionSpecToJson(*spec)), *spec);
}

TEST(PartitionSpecTest, V1FieldsGetIdsFrom1000) {
  Result<std::vector<PartitionField>> fields = PartitionFieldsFromJsonArray(
      R"([{"source-id": 1, "name": "a", "transform": "identity"},
          {"source-id": 2, "name": "b", "transform": "year"}])");
  ASSERT_TRUE(fields.ok());
  EXPECT_EQ((*fields)[0].field_id, 1000);
  EXPECT_EQ((*fields)[1].field_id, 1001);
}

TEST(PartitionSpecTest, PartitionTypeTupleAndPath) {
  Schema schema = TestSchema();
  PartitionSpec spec = *PartitionSpecFromJson(kSpecJson);
  Type type = *spec.PartitionType(schema);
  ASSERT_EQ(type.fields().size(), 3U);
  EXPECT_EQ(type.fields()[0].id, 1000);
  EXPECT_EQ(type.fields()[0].type, Type::Primitive(TypeKind::kInt));
  EXPECT_FALSE(type.fields()[0].is_required);
  EXPECT_EQ(type.fields()[2].type, Type::Primitive(TypeKind::kString));
  Value row = Value::Struct(
      *ToLogicalType(schema.AsStruct()),
      {Value::BigInt(34), Value::Timestamp(*types::ParseTimestamp("2024-01-02 10:00:00")),
       Value::Varchar("a b/c=d%")});
  Result<std::vector<Value>> tuple = spec.PartitionTuple(schema, row);
  ASSERT_TRUE(tuple.ok()) << tuple.status().ToString();
  EXPECT_EQ((*tuple)[1], Value::Integer(3));
  EXPECT_EQ(*spec.PartitionPath(schema, *tuple), "ts_day=2024-01-02/bucket=3/name=a+b%2Fc%3Dd%25");
  std::vector<Value> nulls = {Value::Null(types::LogicalType::Integer()),
                              Value::Null(types::LogicalType::Integer()),
                              Value::Null(types::LogicalType::Varchar())};
  EXPECT_EQ(*spec.PartitionPath(schema, nulls), "ts_day=null/bucket=null/name=null");
  EXPECT_FALSE(spec.PartitionPath(schema, {}).ok());
}

TEST(PartitionSpecTest, EscapesUtf8) {
  EXPECT_EQ(EscapePartitionPathSegment("\xc3\xa9t\xc3\xa9"), "%C3%A9t%C3%A9");
  EXPECT_EQ(EscapePartitionPathSegment("a.b-c*d_e"), "a.b-c*d_e");
}

TEST(PartitionSpecTest, ValidationRefusals) {
  Schema schema = TestSchema();
  auto spec_of = [](PartitionField field) { return PartitionSpec(0, {std::move(field)}); };
  EXPECT_FALSE(
      spec_of(
          {.source_ids = {9}, .field_id = 1000, .name = "x", .transform = Transform::Identity()})
          .Validate(schema)
          .ok());
  EXPECT_FALSE(
      spec_of({.source_ids = {3}, .field_id = 1000, .name = "x", .transform = Transform::Day()})
          .Validate(schema)
          .ok());
  EXPECT_FALSE(
      spec_of(
          {.source_ids = {1}, .field_id = 1000, .name = "name", .transform = *Transform::Bucket(2)})
          .Validate(schema)
          .ok());
}

TEST(PartitionSpecTest, EvolutionKeepsAndNeverReusesIds) {
  Schema schema = TestSchema();
  PartitionSpec first = *PartitionSpecFromJson(kSpecJson);
  int32_t last_partition_id = 1002;
  std::vector<PartitionField> fields = {
      {.source_ids = {1}, .field_id = 0, .name = "bucket", .transform = *Transform::Bucket(16)},
      {.source_ids = {2}, .field_id = 0, .name = "ts_hour", .transform = Transform::Hour()}};
  Result<PartitionSpec> next = EvolvePartitionSpec(schema, {first}, fields, last_partition_id);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->spec_id(), 3);
  EXPECT_EQ(next->fields()[0].field_id, 1001);
  EXPECT_EQ(next->fields()[1].field_id, 1003);
  EXPECT_EQ(last_partition_id, 1003);
}

}  // namespace
}  // namespace floe::table
