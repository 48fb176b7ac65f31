// Manifests and manifest lists: round trips in v1 and v2 with every field, sequence number
// inheritance, every manifest under the shared interop tables, an independent reader
// (python3-avro) over files Floe wrote, and the time to read 100,000 entries.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "io/local/local_file_system.h"
#include "io/memory/memory_file_system.h"
#include "table/manifest_reader.h"
#include "table/manifest_writer.h"
#include "table/value_serialization.h"

namespace floe::table {
namespace {

using types::Value;

Schema TestSchema() {
  auto decimal = Type::Decimal(10, 2);
  auto schema = Schema::Make(
      1, {{.id = 1, .name = "id", .type = Type::Primitive(TypeKind::kInt), .is_required = true},
          {.id = 2, .name = "ts", .type = Type::Primitive(TypeKind::kTimestampTz)},
          {.id = 3, .name = "name", .type = Type::Primitive(TypeKind::kString)},
          {.id = 4, .name = "price", .type = *decimal},
          {.id = 5, .name = "score", .type = Type::Primitive(TypeKind::kDouble)}});
  EXPECT_TRUE(schema.ok());
  return *schema;
}

PartitionSpec TestSpec() {
  return PartitionSpec(
      3,
      {{.source_ids = {1}, .field_id = 1000, .name = "id", .transform = Transform::Identity()},
       {.source_ids = {2}, .field_id = 1001, .name = "ts_day", .transform = Transform::Day()},
       {.source_ids = {3}, .field_id = 1002, .name = "name", .transform = Transform::Identity()},
       {.source_ids = {4}, .field_id = 1003, .name = "price", .transform = Transform::Identity()},
       {.source_ids = {5}, .field_id = 1004, .name = "score", .transform = Transform::Identity()}});
}

std::string Long(int64_t value) {
  return *SerializeValue(Type::Primitive(TypeKind::kLong), Value::BigInt(value));
}

ManifestEntry TestEntry(int format_version, int index) {
  ManifestEntry entry;
  entry.status = static_cast<ManifestEntryStatus>(index % 3);
  if (entry.status != ManifestEntryStatus::kAdded || format_version == 1) {
    entry.snapshot_id = 100 + index;
  }
  if (entry.status != ManifestEntryStatus::kAdded && format_version >= 2) {
    entry.sequence_number = index;
    entry.file_sequence_number = index + 1;
  }
  DataFile& file = entry.data_file;
  file.file_path = "s3://bucket/table/data/file-" + std::to_string(index) + ".parquet";
  file.partition = {
      Value::Integer(index),
      index % 4 == 0 ? Value::Null(types::LogicalType::Integer()) : Value::Integer(19000),
      Value::Varchar("name " + std::to_string(index % 7)), Value::Decimal(-12345 + index, 10, 2),
      Value::Double(index % 5 == 0 ? std::nan("") : index * 0.5)};
  file.record_count = 1000 + index;
  file.file_size_in_bytes = 4096 + index;
  file.column_sizes = {{1, 10}, {2, 20}};
  file.value_counts = {{1, 100}, {2, 200}};
  file.null_value_counts = {{1, 0}, {2, 3}};
  file.nan_value_counts = {{5, 1}};
  file.lower_bounds = {{1, Long(-index)}, {3, "a"}};
  file.upper_bounds = {{1, Long(index)}, {3, "z\xff"}};
  file.key_metadata = std::string("\x01\x02", 2);
  file.split_offsets = {4, 1024 + index};
  file.sort_order_id = index % 2;
  return entry;
}

struct WrittenManifest {
  ManifestFile file;
  std::vector<ManifestEntry> entries;
};

WrittenManifest WriteManifest(io::FileSystem& file_system, const std::string& path,
                              int format_version, int count,
                              format::avro::AvroCodec codec = format::avro::AvroCodec::kDeflate) {
  ManifestWriterOptions options{.format_version = format_version,
                                .schema = TestSchema(),
                                .spec = TestSpec(),
                                .snapshot_id = 77};
  options.avro.codec = codec;
  auto writer = ManifestWriter::Open(file_system, path, options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  WrittenManifest written;
  for (int i = 0; i < count; ++i) {
    written.entries.push_back(TestEntry(format_version, i));
    Status status = (*writer)->Add(written.entries.back());
    EXPECT_TRUE(status.ok()) << status.ToString();
  }
  auto file = (*writer)->Close();
  EXPECT_TRUE(file.ok()) << file.status().ToString();
  written.file = *file;
  return written;
}

TEST(ManifestTest, RoundTripsEveryFieldInV1AndV2) {
  io::MemoryFileSystem file_system;
  for (int version : {1, 2}) {
    std::string path = "memory://m-v" + std::to_string(version) + ".avro";
    WrittenManifest written = WriteManifest(file_system, path, version, 30);
    EXPECT_EQ(written.file.added_files_count, 10);
    EXPECT_EQ(written.file.existing_files_count, 10);
    EXPECT_EQ(written.file.deleted_files_count, 10);
    EXPECT_EQ(written.file.sequence_number, kUnassignedSequenceNumber);
    ASSERT_EQ(written.file.partitions.size(), 5u);
    EXPECT_TRUE(written.file.partitions[1].contains_null);
    EXPECT_EQ(written.file.partitions[4].contains_nan, true);
    auto reader = ManifestReader::Open(file_system, path);
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_EQ((*reader)->format_version(), version);
    EXPECT_EQ((*reader)->partition_spec_id(), 3);
    auto entries = (*reader)->ReadAll();
    ASSERT_TRUE(entries.ok()) << entries.status().ToString();
    ASSERT_EQ(entries->size(), written.entries.size());
    for (size_t i = 0; i < entries->size(); ++i) {
      ManifestEntry expected = written.entries[i];
      if (version == 1) {
        expected.sequence_number = 0;  // v1 has no sequence numbers: they read as 0.
        expected.file_sequence_number = 0;
      }
      // NaN never equals itself; compare its bits through the text form instead.
      EXPECT_EQ((*entries)[i].data_file.partition[4].ToString(),
                expected.data_file.partition[4].ToString());
      (*entries)[i].data_file.partition[4] = expected.data_file.partition[4];
      EXPECT_EQ((*entries)[i], expected) << "version " << version << " entry " << i;
    }
  }
}

TEST(ManifestTest, InheritsSequenceNumbersAndSnapshotIds) {
  io::MemoryFileSystem file_system;
  WrittenManifest written = WriteManifest(file_system, "memory://m.avro", 2, 6);
  written.file.sequence_number = 42;
  auto reader = ManifestReader::Open(file_system, written.file);
  ASSERT_TRUE(reader.ok());
  auto entries = (*reader)->ReadAll();
  ASSERT_TRUE(entries.ok());
  for (const ManifestEntry& entry : *entries) {
    if (entry.status == ManifestEntryStatus::kAdded) {
      EXPECT_EQ(entry.sequence_number, 42);
      EXPECT_EQ(entry.file_sequence_number, 42);
      EXPECT_EQ(entry.snapshot_id, 77);
    } else {
      EXPECT_NE(entry.sequence_number, 42);
    }
  }
}

TEST(ManifestTest, RejectsEntriesThatDoNotFitTheSpec) {
  io::MemoryFileSystem file_system;
  auto writer = ManifestWriter::Open(file_system, "memory://bad.avro",
                                     {.schema = TestSchema(), .spec = TestSpec()});
  ASSERT_TRUE(writer.ok());
  ManifestEntry entry = TestEntry(2, 1);
  entry.data_file.partition.pop_back();
  EXPECT_EQ((*writer)->Add(entry).code(), StatusCode::kInvalidArgument);
  entry = TestEntry(2, 1);
  entry.data_file.partition[0] = Value::Varchar("not an int");
  EXPECT_EQ((*writer)->Add(entry).code(), StatusCode::kInvalidArgument);
  entry = TestEntry(2, 1);
  entry.data_file.content = FileContent::kEqualityDeletes;
  EXPECT_EQ((*writer)->Add(entry).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ManifestWriter::Open(file_system, "memory://v3.avro", {.format_version = 3}).status().code(),
      StatusCode::kInvalidArgument);
}

TEST(ManifestTest, RoundTripsManifestListsInV1AndV2) {
  io::MemoryFileSystem file_system;
  for (int version : {1, 2}) {
    WrittenManifest written = WriteManifest(file_system, "memory://m.avro", version, 9);
    ManifestFile existing = written.file;
    existing.sequence_number = 3;
    existing.min_sequence_number = 2;
    existing.key_metadata = "key";
    std::string path = "memory://snap-" + std::to_string(version) + ".avro";
    auto writer = ManifestListWriter::Open(file_system, path,
                                           {.format_version = version,
                                            .snapshot_id = 77,
                                            .parent_snapshot_id = 76,
                                            .sequence_number = 5});
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE((*writer)->Add(written.file).ok());
    ASSERT_TRUE((*writer)->Add(existing).ok());
    auto length = (*writer)->Close();
    ASSERT_TRUE(length.ok());
    EXPECT_EQ(*length, file_system.Stat(path)->size);
    auto files = ReadManifestList(file_system, path);
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    ASSERT_EQ(files->size(), 2u);
    ManifestFile added = written.file;
    added.sequence_number = version == 1 ? 0 : 5;  // Assigned by the list; v1 has none.
    added.min_sequence_number = version == 1 ? 0 : written.file.min_sequence_number;
    if (version == 1) {
      existing.sequence_number = 0;
      existing.min_sequence_number = 0;
    }
    EXPECT_EQ((*files)[0], added) << version;
    EXPECT_EQ((*files)[1], existing) << version;
  }
}

// --- Files written by other engines ---

std::filesystem::path InteropDirectory() {
  return std::filesystem::path(FLOE_SOURCE_DIR).parent_path() / "shared" / "iceberg-interop";
}

std::string ReadWholeFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

bool IsManifestList(const std::string& bytes) {
  auto reader = format::avro::AvroFileReader::Open(bytes);
  return reader.ok() && (*reader)->schema().FieldIndex("manifest_path") >= 0;
}

TEST(ManifestTest, ReadsEveryManifestOfTheSharedTables) {
  ASSERT_TRUE(std::filesystem::exists(InteropDirectory()))
      << "the shared interop tables must sit beside the repository";
  // Manifest lists first, keyed by manifest file name, to check entry counts against them.
  std::map<std::string, ManifestFile> listed;
  std::vector<std::filesystem::path> manifests;
  int lists = 0;
  for (const auto& item : std::filesystem::recursive_directory_iterator(InteropDirectory())) {
    std::string name = item.path().filename().string();
    bool is_candidate = item.path().extension() == ".avro" &&
                        (name.starts_with("snap-") || name.find("-m") != std::string::npos);
    if (!item.is_regular_file() || !is_candidate) {
      continue;
    }
    std::string bytes = ReadWholeFile(item.path());
    if (!IsManifestList(bytes)) {
      manifests.push_back(item.path());
      continue;
    }
    ++lists;
    auto files = ReadManifestListBytes(bytes);
    ASSERT_TRUE(files.ok()) << item.path() << ": " << files.status().ToString();
    for (const ManifestFile& file : *files) {
      EXPECT_FALSE(file.manifest_path.empty());
      listed[std::filesystem::path(file.manifest_path).filename().string()] = file;
    }
  }
  int checked = 0;
  for (const auto& path : manifests) {
    auto it = listed.find(path.filename().string());
    auto reader =
        ManifestReader::OpenBytes(ReadWholeFile(path), it == listed.end() ? nullptr : &it->second);
    ASSERT_TRUE(reader.ok()) << path << ": " << reader.status().ToString();
    auto entries = (*reader)->ReadAll();
    ASSERT_TRUE(entries.ok()) << path << ": " << entries.status().ToString();
    int32_t counts[3] = {0, 0, 0};
    for (const ManifestEntry& entry : *entries) {
      EXPECT_FALSE(entry.data_file.file_path.empty()) << path;
      EXPECT_GT(entry.data_file.record_count, 0) << path;
      ++counts[static_cast<int>(entry.status)];
      if (it != listed.end()) {
        EXPECT_TRUE(entry.sequence_number.has_value()) << path;
      }
    }
    if (it != listed.end()) {
      ++checked;
      const ManifestFile& file = it->second;
      EXPECT_EQ(file.existing_files_count.value_or(counts[0]), counts[0]) << path;
      EXPECT_EQ(file.added_files_count.value_or(counts[1]), counts[1]) << path;
      EXPECT_EQ(file.deleted_files_count.value_or(counts[2]), counts[2]) << path;
    }
  }
  EXPECT_GT(lists, 30);
  EXPECT_GT(manifests.size(), 30u);
  EXPECT_GT(checked, 30);
}

// --- An independent reader over files Floe writes ---

class ManifestInteropTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() / ("floe-manifest-" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  // Runs the Python checker and parses its output: one JSON document per file.
  std::vector<nlohmann::json> Check(const std::vector<std::string>& paths) {
    std::string command =
        "/usr/bin/python3 " FLOE_SOURCE_DIR "/test/interop/avro/check_manifest.py";
    for (const std::string& path : paths) {
      command += " '" + path + "'";
    }
    std::vector<nlohmann::json> documents;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
      return documents;
    }
    std::string output;
    char buffer[65536];
    size_t read = 0;
    while ((read = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
      output.append(buffer, read);
    }
    int exit_code = ::pclose(pipe);
    EXPECT_EQ(exit_code, 0) << command;
    size_t start = 0;
    while (start < output.size()) {
      size_t end = output.find('\n', start);
      documents.push_back(nlohmann::json::parse(output.substr(start, end - start)));
      start = end == std::string::npos ? output.size() : end + 1;
    }
    return documents;
  }

  std::filesystem::path directory_;
};

TEST_F(ManifestInteropTest, PythonAvroReadsWhatFloeWrites) {
  // scripts/install-deps installs Debian's python3-avro; without it this check cannot run.
  ASSERT_TRUE(std::filesystem::exists("/usr/lib/python3/dist-packages/avro"))
      << "python3-avro is not installed";
  io::LocalFileSystem file_system;
  std::vector<std::string> paths;
  for (int version : {1, 2}) {
    for (auto codec : {format::avro::AvroCodec::kNull, format::avro::AvroCodec::kDeflate,
                       format::avro::AvroCodec::kSnappy}) {
      std::string suffix = "v" + std::to_string(version) + "-" +
                           std::string(format::avro::AvroCodecName(codec)) + ".avro";
      std::string manifest = (directory_ / ("manifest-m" + suffix)).string();
      WrittenManifest written = WriteManifest(file_system, manifest, version, 12, codec);
      std::string list = (directory_ / ("snap-" + suffix)).string();
      auto writer = ManifestListWriter::Open(
          file_system, list, {.format_version = version, .snapshot_id = 77, .sequence_number = 9});
      ASSERT_TRUE(writer.ok());
      ASSERT_TRUE((*writer)->Add(written.file).ok());
      ASSERT_TRUE((*writer)->Close().ok());
      paths.push_back(manifest);
      paths.push_back(list);
    }
  }
  std::vector<nlohmann::json> documents = Check(paths);
  ASSERT_EQ(documents.size(), paths.size());
  for (const nlohmann::json& document : documents) {
    const auto& ids = document["field_ids"];
    bool is_v1 = document["path"].get<std::string>().find("v1-") != std::string::npos;
    const auto& records = document["records"];
    if (document["kind"] == "manifest") {
      EXPECT_EQ(ids["status"], 0);
      EXPECT_EQ(ids["snapshot_id"], 1);
      EXPECT_EQ(ids["data_file"], 2);
      EXPECT_EQ(ids["data_file.file_path"], 100);
      EXPECT_EQ(ids["data_file.partition"], 102);
      EXPECT_EQ(ids["data_file.partition.ts_day"], 1001);
      EXPECT_EQ(ids["data_file.record_count"], 103);
      EXPECT_EQ(ids["data_file.lower_bounds"], 125);
      EXPECT_EQ(ids["data_file.lower_bounds.key"], 126);
      EXPECT_EQ(ids["data_file.upper_bounds.value"], 130);
      EXPECT_EQ(ids["data_file.split_offsets.element"], 133);
      EXPECT_EQ(ids.contains("data_file.content"), !is_v1);
      EXPECT_EQ(ids.contains("sequence_number"), !is_v1);
      EXPECT_EQ(document["metadata"]["format-version"], is_v1 ? "1" : "2");
      EXPECT_EQ(document["metadata"]["partition-spec-id"], "3");
      ASSERT_EQ(records.size(), 12u);
      for (int i = 0; i < 12; ++i) {
        ManifestEntry expected = TestEntry(is_v1 ? 1 : 2, i);
        const auto& file = records[i]["data_file"];
        EXPECT_EQ(records[i]["status"], static_cast<int>(expected.status));
        EXPECT_EQ(file["file_path"], expected.data_file.file_path);
        EXPECT_EQ(file["record_count"], expected.data_file.record_count);
        EXPECT_EQ(file["partition"]["id"], i);
        EXPECT_EQ(file["partition"]["ts_day"].is_null(), i % 4 == 0);
        EXPECT_EQ(file["value_counts"][1]["value"], 200);
        EXPECT_EQ(file["split_offsets"][1], 1024 + i);
        EXPECT_EQ(file["sort_order_id"], i % 2);
      }
    } else {
      EXPECT_EQ(ids["manifest_path"], 500);
      EXPECT_EQ(ids["partitions"], 507);
      EXPECT_EQ(ids["partitions.element"], 508);
      EXPECT_EQ(ids["partitions.contains_null"], 509);
      EXPECT_EQ(ids.contains("sequence_number"), !is_v1);
      ASSERT_EQ(records.size(), 1u);
      EXPECT_EQ(records[0]["added_files_count"], 4);
      EXPECT_EQ(records[0]["added_snapshot_id"], 77);
      if (!is_v1) {
        EXPECT_EQ(records[0]["sequence_number"], 9);
      }
      EXPECT_EQ(records[0]["partitions"].size(), 5u);
    }
  }
}

// Writes 100 manifests of 1,000 entries and a manifest list, then plans: reads the list and
// every manifest. Prints the time; scan planning over 100,000 files must stay well under a
// second (the bound asserted here is loose so that slow debug and sanitizer builds pass).
TEST(ManifestTest, ReadsOneHundredThousandEntriesQuickly) {
  io::MemoryFileSystem file_system;
  auto list =
      ManifestListWriter::Open(file_system, "memory://snap.avro",
                               {.format_version = 2, .snapshot_id = 77, .sequence_number = 1});
  ASSERT_TRUE(list.ok());
  for (int m = 0; m < 100; ++m) {
    WrittenManifest written =
        WriteManifest(file_system, "memory://m" + std::to_string(m) + ".avro", 2, 1000);
    ASSERT_TRUE((*list)->Add(written.file).ok());
  }
  ASSERT_TRUE((*list)->Close().ok());
  auto start = std::chrono::steady_clock::now();
  auto files = ReadManifestList(file_system, "memory://snap.avro");
  ASSERT_TRUE(files.ok());
  size_t total = 0;
  std::vector<ManifestEntry> chunk;
  for (const ManifestFile& file : *files) {
    auto reader = ManifestReader::Open(file_system, file);
    ASSERT_TRUE(reader.ok());
    while (*(*reader)->Next(chunk)) {
      total += chunk.size();
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(total, 100000u);
  std::printf("read 100 manifests x 1000 entries in %.3f s\n", seconds);
  EXPECT_LT(seconds, 10.0);
}

}  // namespace
}  // namespace floe::table
