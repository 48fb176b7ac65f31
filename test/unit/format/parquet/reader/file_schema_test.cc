#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "format/parquet/schema.h"
#include "parquet_test_file.h"

namespace floe::format::parquet {
namespace {

using testing::Group;
using testing::Leaf;

constexpr auto kRequired = FieldRepetitionType::kRequired;
constexpr auto kOptional = FieldRepetitionType::kOptional;
constexpr auto kRepeated = FieldRepetitionType::kRepeated;

Result<FileSchema> Map(std::vector<SchemaElement> elements) {
  FileMetaData metadata;
  metadata.schema = std::move(elements);
  return FileSchema::Make(metadata, "f.parquet");
}

SchemaElement Annotated(SchemaElement element, LogicalTypeKind kind) {
  parquet::LogicalType logical;
  logical.kind = kind;
  element.logical_type = logical;
  return element;
}

SchemaElement Integer(std::string name, PhysicalType type, int bits, bool is_signed) {
  SchemaElement element =
      Annotated(Leaf(std::move(name), type, kRequired), LogicalTypeKind::kInteger);
  element.logical_type->bit_width = static_cast<int8_t>(bits);
  element.logical_type->is_signed = is_signed;
  return element;
}

TEST(FileSchemaTest, MapsScalarTypes) {
  SchemaElement timestamp =
      Annotated(Leaf("ts", PhysicalType::kInt64, kOptional), LogicalTypeKind::kTimestamp);
  timestamp.logical_type->is_adjusted_to_utc = true;
  timestamp.logical_type->unit = TimeUnit::kNanos;
  SchemaElement decimal =
      Annotated(Leaf("d", PhysicalType::kFixedLenByteArray, kOptional), LogicalTypeKind::kDecimal);
  decimal.type_length = 16;
  decimal.logical_type->precision = 38;
  decimal.logical_type->scale = 4;
  SchemaElement uuid =
      Annotated(Leaf("u", PhysicalType::kFixedLenByteArray, kOptional), LogicalTypeKind::kUuid);
  uuid.type_length = 16;
  SchemaElement text = Leaf("s", PhysicalType::kByteArray, kOptional);
  text.converted_type = ConvertedType::kUtf8;
  auto schema =
      Map({Group("schema", 10, std::nullopt), Integer("i8", PhysicalType::kInt32, 8, true),
           Integer("u8", PhysicalType::kInt32, 8, false),
           Integer("u32", PhysicalType::kInt32, 32, false),
           Integer("u64", PhysicalType::kInt64, 64, false), timestamp, decimal, uuid, text,
           Leaf("b", PhysicalType::kByteArray, kOptional),
           Leaf("t96", PhysicalType::kInt96, kOptional)});
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema().ToString(),
            "i8 smallint NOT NULL, u8 smallint NOT NULL, u32 bigint NOT NULL, u64 numeric(20,0) "
            "NOT NULL, ts timestamp with time zone, d numeric(38,4), u uuid, s text, b bytea, "
            "t96 timestamp without time zone");
  EXPECT_EQ(schema->columns()[4].conversion, ValueConversion::kNanosToMicros);
}

TEST(FileSchemaTest, KeepsFieldIdsOfNestedFields) {
  SchemaElement list = Annotated(Group("l", 1, kOptional), LogicalTypeKind::kList);
  list.field_id = 1;
  SchemaElement element = Leaf("element", PhysicalType::kInt32, kOptional);
  element.field_id = 2;
  SchemaElement map = Group("m", 1, kOptional);
  map.converted_type = ConvertedType::kMapKeyValue;
  map.field_id = 3;
  SchemaElement key = Leaf("key", PhysicalType::kInt32, kRequired);
  key.field_id = 4;
  SchemaElement value = Leaf("value", PhysicalType::kInt64, kOptional);
  value.field_id = 5;
  auto schema = Map({Group("schema", 2, std::nullopt), list, Group("list", 1, kRepeated), element,
                     map, Group("key_value", 2, kRepeated), key, value});
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema().ToString(), "l integer[], m map(integer, bigint)");
  std::vector<FieldIds> ids = schema->field_ids();
  EXPECT_EQ(ids[0].id, 1);
  EXPECT_EQ(ids[0].children[0].id, 2);
  EXPECT_EQ(ids[1].children[1].id, 5);
  EXPECT_EQ(schema->FieldIndexById(3), 1);
  const SchemaNode& list_node = schema->fields()[0];
  EXPECT_EQ(list_node.definition_level, 1);
  EXPECT_EQ(list_node.element_definition_level, 2);
  EXPECT_EQ(schema->columns()[0].max_definition_level, 3);
  EXPECT_EQ(schema->columns()[0].max_repetition_level, 1);
}

// LogicalTypes.md rule 3: a repeated group named "array" or "<list>_tuple" is the element.
TEST(FileSchemaTest, ReadsLegacyTupleListAsStructElements) {
  SchemaElement list = Group("l", 1, kOptional);
  list.converted_type = ConvertedType::kList;
  auto schema = Map({Group("schema", 1, std::nullopt), list, Group("l_tuple", 1, kRepeated),
                     Leaf("x", PhysicalType::kInt32, kRequired)});
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(schema->schema().ToString(), "l struct(x integer)[]");
}

TEST(FileSchemaTest, RejectsMalformedTrees) {
  EXPECT_EQ(Map({Group("schema", 3, std::nullopt), Leaf("a", PhysicalType::kInt32, kRequired)})
                .status()
                .ToString(),
            "Corruption: Parquet file f.parquet: column schema: num_children 3 runs past the end "
            "of the schema");
  SchemaElement wide = Leaf("d", PhysicalType::kByteArray, kOptional);
  wide.converted_type = ConvertedType::kDecimal;
  wide.precision = 40;
  EXPECT_EQ(Map({Group("schema", 1, std::nullopt), wide}).status().ToString(),
            "NotSupported: Parquet file f.parquet: column d: DECIMAL(40,0) is wider than 38 "
            "digits");
}

TEST(FileSchemaTest, WritesSchemaThatReadsBack) {
  auto decimal = types::LogicalType::Decimal(30, 2);
  ASSERT_TRUE(decimal.ok());
  vector::Schema schema(
      {{"a", types::LogicalType::SmallInt(), false},
       {"b", types::LogicalType::List(*decimal), true},
       {"c",
        types::LogicalType::Map(types::LogicalType::Varchar(), types::LogicalType::TimestampTz()),
        true}});
  std::vector<FieldIds> ids = {{1, {}}, {2, {{3, {}}}}, {4, {{5, {}}, {6, {}}}}};
  auto elements = ToParquetSchema(schema, ids);
  ASSERT_TRUE(elements.ok()) << elements.status().ToString();
  auto read = Map(*elements);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->schema(), schema);
  EXPECT_EQ(read->field_ids(), ids);
  EXPECT_EQ(DecimalByteWidth(30), 13);
}

}  // namespace
}  // namespace floe::format::parquet
