#include "table/view_metadata.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "io/memory/memory_file_system.h"

namespace floe::table {
namespace {

using Json = nlohmann::ordered_json;

// A view with two versions, the second in two dialects.
constexpr std::string_view kView = R"json({
  "view-uuid": "2d7e5a10-51c3-4f0b-9a64-0c1d2e3f4a5b", "format-version": 1,
  "location": "s3://lake/warehouse/sales/big_orders", "current-version-id": 2,
  "properties": {"comment": "orders above 100"},
  "versions": [
    {"version-id": 1, "timestamp-ms": 1700000000000, "schema-id": 0,
     "summary": {"engine-name": "spark"},
     "representations": [{"type": "sql", "sql": "SELECT id FROM orders", "dialect": "spark"}],
     "default-namespace": ["sales"]},
    {"version-id": 2, "timestamp-ms": 1700000500000, "schema-id": 1,
     "summary": {"engine-name": "floe"},
     "representations": [
       {"type": "sql", "sql": "SELECT id, amount FROM orders WHERE amount > 100", "dialect": "spark"},
       {"type": "sql", "sql": "SELECT id, amount FROM orders WHERE amount > 100", "dialect": "floe"}],
     "default-catalog": "lake", "default-namespace": ["sales"]}],
  "version-log": [{"timestamp-ms": 1700000000000, "version-id": 1},
                  {"timestamp-ms": 1700000500000, "version-id": 2}],
  "schemas": [
    {"schema-id": 0, "type": "struct", "fields": [
      {"id": 1, "name": "id", "required": false, "type": "long"}]},
    {"schema-id": 1, "type": "struct", "fields": [
      {"id": 1, "name": "id", "required": false, "type": "long"},
      {"id": 2, "name": "amount", "required": false, "type": "decimal(10,2)"}]}]
})json";

// Returns kView with `edit` applied to its JSON.
template <typename Edit>
std::string Edited(Edit edit) {
  Json node = Json::parse(kView);
  edit(node);
  return node.dump();
}

TEST(ViewMetadataTest, ParsesEveryField) {
  Result<ViewMetadata> parsed = ViewMetadataFromJson(kView);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const ViewMetadata& metadata = *parsed;
  EXPECT_EQ(metadata.format_version, 1);
  EXPECT_EQ(metadata.view_uuid, "2d7e5a10-51c3-4f0b-9a64-0c1d2e3f4a5b");
  EXPECT_EQ(metadata.location, "s3://lake/warehouse/sales/big_orders");
  EXPECT_EQ(metadata.properties.at("comment"), "orders above 100");
  ASSERT_EQ(metadata.versions.size(), 2u);
  const ViewVersion* current = metadata.CurrentVersion();
  ASSERT_NE(current, nullptr);
  EXPECT_EQ(current->version_id, 2);
  EXPECT_EQ(current->timestamp_ms, 1700000500000);
  EXPECT_EQ(current->summary.at("engine-name"), "floe");
  EXPECT_EQ(current->default_catalog, std::optional<std::string>("lake"));
  EXPECT_EQ(current->default_namespace, std::vector<std::string>{"sales"});
  ASSERT_EQ(current->representations.size(), 2u);
  ASSERT_NE(current->FindDialect("FLOE"), nullptr);
  EXPECT_EQ(current->FindDialect("floe")->sql, "SELECT id, amount FROM orders WHERE amount > 100");
  EXPECT_EQ(current->FindDialect("trino"), nullptr);
  EXPECT_FALSE(metadata.versions[0].default_catalog.has_value());
  ASSERT_EQ(metadata.version_log.size(), 2u);
  EXPECT_EQ(metadata.version_log[1].version_id, 2);
  ASSERT_NE(metadata.CurrentSchema(), nullptr);
  EXPECT_EQ(metadata.CurrentSchema()->schema_id(), 1);
  EXPECT_EQ(metadata.CurrentSchema()->fields().size(), 2u);
  EXPECT_EQ(metadata.CurrentSchema()->fields()[1].type.ToString(), "decimal(10,2)");
}

TEST(ViewMetadataTest, WritesWhatItReadsBack) {
  Result<ViewMetadata> parsed = ViewMetadataFromJson(kView);
  ASSERT_TRUE(parsed.ok());
  std::string written = ViewMetadataToJson(*parsed);
  Result<ViewMetadata> again = ViewMetadataFromJson(written);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *parsed);
  // The spec's field names, not Floe's.
  Json node = Json::parse(written);
  EXPECT_EQ(node["current-version-id"], 2);
  EXPECT_EQ(node["versions"][1]["representations"][1]["type"], "sql");
  EXPECT_EQ(node["versions"][1]["default-catalog"], "lake");
  EXPECT_FALSE(node["versions"][0].contains("default-catalog"));
  EXPECT_EQ(node["version-log"][0]["timestamp-ms"], 1700000000000);
}

TEST(ViewMetadataTest, ReadsAVersionAlone) {
  Result<ViewVersion> version = ViewVersionFromJson(
      R"({"version-id": 3, "timestamp-ms": 5, "schema-id": -1, "summary": {},
          "representations": [{"type": "sql", "sql": "SELECT 1", "dialect": "postgresql"}],
          "default-namespace": []})");
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(version->schema_id, -1);
  EXPECT_EQ(version->representations[0].dialect, "postgresql");
  Result<ViewVersion> again = ViewVersionFromJson(ViewVersionToJson(*version));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *version);
}

TEST(ViewMetadataTest, SameDefinitionIgnoresIdAndTime) {
  Result<ViewMetadata> parsed = ViewMetadataFromJson(kView);
  ASSERT_TRUE(parsed.ok());
  ViewVersion copy = parsed->versions[1];
  copy.version_id = 9;
  copy.timestamp_ms = 1;
  EXPECT_TRUE(copy.SameDefinition(parsed->versions[1]));
  EXPECT_FALSE(copy.SameDefinition(parsed->versions[0]));
}

void ExpectRejected(const std::string& json, StatusCode code, std::string_view words) {
  Result<ViewMetadata> parsed = ViewMetadataFromJson(json);
  ASSERT_FALSE(parsed.ok()) << json;
  EXPECT_EQ(parsed.status().code(), code) << parsed.status().ToString();
  EXPECT_NE(parsed.status().message().find(words), std::string_view::npos)
      << parsed.status().ToString();
}

TEST(ViewMetadataTest, RejectsMalformedJson) {
  ExpectRejected("", StatusCode::kCorruption, "not valid JSON");
  ExpectRejected("{\"format-version\": 1,", StatusCode::kCorruption, "not valid JSON");
  ExpectRejected("[1, 2]", StatusCode::kCorruption, "not a JSON object");
  ExpectRejected("null", StatusCode::kCorruption, "not a JSON object");
  ExpectRejected(std::string(kView.substr(0, kView.size() / 2)), StatusCode::kCorruption,
                 "not valid JSON");
}

TEST(ViewMetadataTest, RejectsMissingOrMistypedFields) {
  for (const char* key : {"view-uuid", "format-version", "location", "current-version-id",
                          "versions", "version-log", "schemas"}) {
    ExpectRejected(Edited([&](Json& node) { node.erase(key); }), StatusCode::kCorruption, key);
  }
  ExpectRejected(Edited([](Json& node) { node["format-version"] = "1"; }), StatusCode::kCorruption,
                 "format-version");
  ExpectRejected(Edited([](Json& node) { node["current-version-id"] = 1.5; }),
                 StatusCode::kCorruption, "current-version-id");
  ExpectRejected(Edited([](Json& node) { node["current-version-id"] = 4294967296; }),
                 StatusCode::kCorruption, "out of range");
  ExpectRejected(Edited([](Json& node) { node["versions"] = Json::object(); }),
                 StatusCode::kCorruption, "versions");
  ExpectRejected(Edited([](Json& node) { node["versions"][0] = 7; }), StatusCode::kCorruption,
                 "not an object");
  ExpectRejected(Edited([](Json& node) { node["properties"]["n"] = 1; }), StatusCode::kCorruption,
                 "not a string");
  ExpectRejected(Edited([](Json& node) { node["versions"][0].erase("summary"); }),
                 StatusCode::kCorruption, "summary");
  ExpectRejected(Edited([](Json& node) { node["versions"][0].erase("default-namespace"); }),
                 StatusCode::kCorruption, "default-namespace");
  ExpectRejected(Edited([](Json& node) { node["versions"][0]["default-namespace"] = {1}; }),
                 StatusCode::kCorruption, "default-namespace");
  ExpectRejected(Edited([](Json& node) { node["versions"][0]["default-catalog"] = 3; }),
                 StatusCode::kCorruption, "default-catalog");
  ExpectRejected(
      Edited([](Json& node) { node["versions"][0]["representations"][0].erase("dialect"); }),
      StatusCode::kCorruption, "dialect");
  ExpectRejected(
      Edited([](Json& node) { node["versions"][0]["representations"][0]["type"] = "substrait"; }),
      StatusCode::kCorruption, "unknown representation type \"substrait\"");
  ExpectRejected(Edited([](Json& node) { node["version-log"][0].erase("version-id"); }),
                 StatusCode::kCorruption, "version-id");
  ExpectRejected(Edited([](Json& node) { node["schemas"][0]["fields"] = "none"; }),
                 StatusCode::kCorruption, "schemas");
}

TEST(ViewMetadataTest, RejectsInconsistentMetadata) {
  ExpectRejected(Edited([](Json& node) { node["current-version-id"] = 3; }),
                 StatusCode::kCorruption, "no version with id 3");
  ExpectRejected(Edited([](Json& node) { node["versions"][1]["version-id"] = 1; }),
                 StatusCode::kCorruption, "version id 1 appears twice");
  ExpectRejected(Edited([](Json& node) { node["schemas"][1]["schema-id"] = 0; }),
                 StatusCode::kCorruption, "schema id 0 appears twice");
  ExpectRejected(Edited([](Json& node) { node["versions"][0]["schema-id"] = 5; }),
                 StatusCode::kCorruption, "missing schema 5");
  ExpectRejected(
      Edited([](Json& node) { node["versions"][1]["representations"][1]["dialect"] = "Spark"; }),
      StatusCode::kCorruption, "two representations in dialect Spark");
  ExpectRejected(Edited([](Json& node) { node["view-uuid"] = ""; }), StatusCode::kCorruption,
                 "view-uuid");
  ExpectRejected(Edited([](Json& node) { node["format-version"] = 0; }), StatusCode::kCorruption,
                 "format-version");
  ExpectRejected(Edited([](Json& node) { node["format-version"] = 2; }), StatusCode::kNotSupported,
                 "view format version 2");
}

TEST(ViewMetadataTest, WritesNumberedFilesUnderTheLocation) {
  io::MemoryFileSystem file_system;
  Result<ViewMetadata> parsed = ViewMetadataFromJson(kView);
  ASSERT_TRUE(parsed.ok());
  ViewMetadata metadata = *parsed;
  metadata.location = "memory://warehouse/sales/big_orders/";
  Result<std::string> first = WriteViewMetadataFile(file_system, metadata, "");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->starts_with("memory://warehouse/sales/big_orders/metadata/00001-"));
  EXPECT_TRUE(first->ends_with(".metadata.json"));
  Result<std::string> second = WriteViewMetadataFile(file_system, metadata, *first);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->starts_with("memory://warehouse/sales/big_orders/metadata/00002-"));
  Result<ViewMetadata> read = ReadViewMetadataFile(file_system, *second);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, metadata);
  ASSERT_TRUE(
      file_system.CreateExclusive("memory://bad.metadata.json", "{\"format-version\"").ok());
  Result<ViewMetadata> bad = ReadViewMetadataFile(file_system, "memory://bad.metadata.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("memory://bad.metadata.json"), std::string_view::npos);
}

}  // namespace
}  // namespace floe::table
