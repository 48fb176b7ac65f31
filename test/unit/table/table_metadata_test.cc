#include "table/table_metadata.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace floe::table {
namespace {

std::filesystem::path InteropRoot() {
  return std::filesystem::path(FLOE_SOURCE_DIR) / ".." / "shared" / "iceberg-interop";
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::stringstream buffer;
  buffer << stream.rdbuf();
  return buffer.str();
}

std::vector<std::filesystem::path> InteropMetadataFiles() {
  std::vector<std::filesystem::path> files;
  if (!std::filesystem::exists(InteropRoot())) {
    return files;
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(InteropRoot())) {
    std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with("metadata.json")) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

constexpr std::string_view kV2 = R"({
  "format-version": 2, "table-uuid": "9c12d441-03fe-4693-9a96-a0705ddf69c1",
  "location": "s3://bucket/test/location", "last-sequence-number": 34,
  "last-updated-ms": 1602638573590, "last-column-id": 3, "current-schema-id": 1,
  "schemas": [
    {"type": "struct", "schema-id": 0, "fields": [
      {"id": 1, "name": "x", "required": true, "type": "long"}]},
    {"type": "struct", "schema-id": 1, "identifier-field-ids": [1, 2], "fields": [
      {"id": 1, "name": "x", "required": true, "type": "long"},
      {"id": 2, "name": "y", "required": true, "type": "long", "doc": "comment"},
      {"id": 3, "name": "z", "required": true, "type": "long"}]}],
  "default-spec-id": 0,
  "partition-specs": [{"spec-id": 0, "fields": [
    {"name": "x", "transform": "identity", "source-id": 1, "field-id": 1000}]}],
  "last-partition-id": 1000, "default-sort-order-id": 3,
  "sort-orders": [{"order-id": 3, "fields": [
    {"transform": "identity", "source-id": 2, "direction": "asc", "null-order": "nulls-first"},
    {"transform": "bucket[4]", "source-id": 3, "direction": "desc", "null-order": "nulls-last"}]}],
  "properties": {"write.format.default": "parquet"},
  "current-snapshot-id": 3055729675574597004,
  "refs": {"main": {"snapshot-id": 3055729675574597004, "type": "branch"},
           "audit": {"snapshot-id": 3051729675574597004, "type": "tag", "max-ref-age-ms": 10000000}},
  "snapshots": [
    {"snapshot-id": 3051729675574597004, "timestamp-ms": 1515100955770, "sequence-number": 0,
     "summary": {"operation": "append"}, "manifest-list": "s3://a/b/1.avro"},
    {"snapshot-id": 3055729675574597004, "parent-snapshot-id": 3051729675574597004,
     "timestamp-ms": 1555100955770, "sequence-number": 1,
     "summary": {"operation": "append", "added-data-files": "4"},
     "manifest-list": "s3://a/b/2.avro", "schema-id": 1}],
  "statistics": [{"snapshot-id": 3055729675574597004, "statistics-path": "s3://a/b/stats.puffin",
    "file-size-in-bytes": 413, "file-footer-size-in-bytes": 42, "blob-metadata": [
      {"type": "apache-datasketches-theta-v1", "snapshot-id": 3055729675574597004,
       "sequence-number": 1, "fields": [1], "properties": {"ndv": "3"}}]}],
  "partition-statistics": [],
  "snapshot-log": [{"snapshot-id": 3051729675574597004, "timestamp-ms": 1515100955770}],
  "metadata-log": [{"metadata-file": "s3://a/metadata/00000.metadata.json",
                    "timestamp-ms": 1515100955770}]
})";

TEST(TableMetadataTest, ParsesEveryV2Field) {
  Result<TableMetadata> metadata = TableMetadataFromJson(kV2);
  ASSERT_TRUE(metadata.ok()) << metadata.status().ToString();
  EXPECT_EQ(metadata->format_version, 2);
  EXPECT_EQ(metadata->last_sequence_number, 34);
  EXPECT_EQ(metadata->CurrentSchema()->fields().size(), 3U);
  EXPECT_EQ(metadata->CurrentSchema()->identifier_field_ids(), (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(metadata->DefaultSpec()->fields()[0].field_id, 1000);
  EXPECT_EQ(metadata->DefaultSortOrder()->fields.size(), 2U);
  EXPECT_EQ(metadata->CurrentSnapshot()->operation(), "append");
  EXPECT_EQ(metadata->CurrentSnapshot()->schema_id, 1);
  EXPECT_EQ(metadata->refs.at("audit").type, SnapshotRefType::kTag);
  EXPECT_EQ(metadata->refs.at("audit").max_ref_age_ms, 10000000);
  EXPECT_EQ(metadata->statistics[0].blob_metadata[0].properties.at("ndv"), "3");
  EXPECT_EQ(metadata->metadata_log.size(), 1U);
  EXPECT_TRUE(metadata->CheckReadable().ok());
  Result<TableMetadata> again = TableMetadataFromJson(TableMetadataToJson(*metadata));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *metadata);
}

std::string Replace(std::string_view text, std::string_view from, std::string_view to) {
  std::string result(text);
  size_t at = result.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return result.replace(at, from.size(), to);
}

void ExpectCorruptionNaming(const std::string& json, std::string_view field) {
  SCOPED_TRACE(field);
  Result<TableMetadata> metadata = TableMetadataFromJson(json);
  ASSERT_FALSE(metadata.ok());
  EXPECT_EQ(metadata.status().code(), StatusCode::kCorruption) << metadata.status().ToString();
  EXPECT_NE(metadata.status().message().find(field), std::string::npos)
      << metadata.status().ToString();
}

TEST(TableMetadataTest, RefusesBrokenInvariants) {
  ExpectCorruptionNaming(Replace(kV2, "\"current-schema-id\": 1", "\"current-schema-id\": 7"),
                         "current-schema-id");
  ExpectCorruptionNaming(Replace(kV2, "\"default-spec-id\": 0", "\"default-spec-id\": 4"),
                         "default-spec-id");
  ExpectCorruptionNaming(
      Replace(kV2, "\"default-sort-order-id\": 3", "\"default-sort-order-id\": 2"),
      "default-sort-order-id");
  ExpectCorruptionNaming(
      Replace(kV2, "\"last-sequence-number\": 34", "\"last-sequence-number\": 0"), "snapshots");
  ExpectCorruptionNaming(Replace(kV2, "\"last-column-id\": 3", "\"last-column-id\": 2"),
                         "last-column-id");
  ExpectCorruptionNaming(Replace(kV2, "\"last-partition-id\": 1000", "\"last-partition-id\": 999"),
                         "last-partition-id");
  ExpectCorruptionNaming(
      Replace(kV2, "\"current-snapshot-id\": 3055729675574597004", "\"current-snapshot-id\": 5"),
      "current-snapshot-id");
  ExpectCorruptionNaming(Replace(kV2, "\"sequence-number\": 0,", "\"sequence-number\": 5,"),
                         "snapshots");
  ExpectCorruptionNaming(Replace(kV2, "\"location\": \"s3://bucket/test/location\",", ""),
                         "location");
  ExpectCorruptionNaming(Replace(kV2, "\"type\": \"tag\"", "\"type\": \"label\""), "refs");
  ExpectCorruptionNaming("[1]", "JSON object");
  EXPECT_EQ(TableMetadataFromJson(Replace(kV2, "\"format-version\": 2", "\"format-version\": 9"))
                .status()
                .code(),
            StatusCode::kNotSupported);
}

TEST(TableMetadataTest, ReadsV1WithDefaults) {
  constexpr std::string_view kV1 = R"({
    "format-version": 1, "location": "s3://bucket/t", "last-updated-ms": 1, "last-column-id": 2,
    "schema": {"type": "struct", "fields": [
      {"id": 1, "name": "a", "required": false, "type": "int"},
      {"id": 2, "name": "b", "required": false, "type": "string"}]},
    "partition-spec": [{"name": "a", "transform": "identity", "source-id": 1}],
    "properties": {}, "current-snapshot-id": -1, "snapshots": []})";
  Result<TableMetadata> metadata = TableMetadataFromJson(kV1);
  ASSERT_TRUE(metadata.ok()) << metadata.status().ToString();
  EXPECT_EQ(metadata->last_sequence_number, 0);
  EXPECT_EQ(metadata->schemas.size(), 1U);
  EXPECT_EQ(metadata->DefaultSpec()->fields()[0].field_id, 1000);
  EXPECT_EQ(metadata->last_partition_id, 1000);
  EXPECT_TRUE(metadata->DefaultSortOrder()->IsUnsorted());
  EXPECT_FALSE(metadata->current_snapshot_id.has_value());
  Result<TableMetadata> again = TableMetadataFromJson(TableMetadataToJson(*metadata));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *metadata);
}

TEST(TableMetadataTest, FileNames) {
  EXPECT_EQ(MetadataFileName(1, "abc"), "00001-abc.metadata.json");
  EXPECT_EQ(*ParseMetadataFileVersion("s3://b/t/metadata/00012-abc.metadata.json"), 12);
  EXPECT_EQ(*ParseMetadataFileVersion("v3.metadata.json"), 3);
  EXPECT_EQ(*ParseMetadataFileVersion("v2.gz.metadata.json"), 2);
  EXPECT_FALSE(ParseMetadataFileVersion("version-hint.text").ok());
  EXPECT_FALSE(ParseMetadataFileVersion("abc.metadata.json").ok());
  EXPECT_EQ(ParseMetadataFile("v1.gz.metadata.json", "not gzip").status().code(),
            StatusCode::kCorruption);
}

// Every metadata file of tables written by other engines parses, or fails with NotSupported
// naming the feature; a parse -> write -> parse round trip gives the same metadata.
TEST(TableMetadataTest, ParsesEveryInteropMetadataFile) {
  std::vector<std::filesystem::path> files = InteropMetadataFiles();
  ASSERT_FALSE(files.empty()) << "no interop fixtures under " << InteropRoot();
  int parsed = 0;
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    Result<TableMetadata> metadata = ParseMetadataFile(path.filename().string(), ReadFile(path));
    // Two fixtures are broken on purpose: a file of JSON lines, and a BigQuery stub without
    // format-version or schemas.
    if (path.parent_path().filename() == "bad_data" ||
        path.string().find("big_query_error/metadata/v0.") != std::string::npos) {
      EXPECT_EQ(metadata.status().code(), StatusCode::kCorruption);
      continue;
    }
    if (!metadata.ok()) {
      EXPECT_EQ(metadata.status().code(), StatusCode::kNotSupported)
          << metadata.status().ToString();
      continue;
    }
    ++parsed;
    std::string written = TableMetadataToJson(*metadata);
    Result<TableMetadata> again = TableMetadataFromJson(written);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    EXPECT_EQ(*again, *metadata);
    EXPECT_EQ(TableMetadataToJson(*again), written);
  }
  RecordProperty("files", static_cast<int>(files.size()));
  RecordProperty("parsed", parsed);
  EXPECT_GT(parsed, 100);
}

TEST(TableMetadataTest, V3FeaturesAreFlagged) {
  std::filesystem::path path = InteropRoot() / "timestamptz_ns" / "metadata" / "v1.metadata.json";
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  Result<TableMetadata> metadata = ParseMetadataFile(path.filename().string(), ReadFile(path));
  ASSERT_TRUE(metadata.ok()) << metadata.status().ToString();
  EXPECT_EQ(metadata->format_version, 3);
  Status readable = metadata->CheckReadable();
  EXPECT_EQ(readable.code(), StatusCode::kNotSupported);
  EXPECT_NE(readable.message().find("timestamptz_ns"), std::string::npos);
}

}  // namespace
}  // namespace floe::table
