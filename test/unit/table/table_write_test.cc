// Writing tables: new table metadata, data files with statistics, snapshot producers (append,
// overwrite, delete, row delta), metadata files; read back through TableScan and checked
// independently (python3-avro for manifests, DuckDB for data files, the JSON reloaded).

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "common/task_scheduler.h"
#include "format/parquet/reader/parquet_reader.h"
#include "format/parquet/writer/parquet_writer.h"
#include "io/local/local_file_system.h"
#include "table/data_file_writer.h"
#include "table/delete_file_writer.h"
#include "table/manifest_list.h"
#include "table/manifest_reader.h"
#include "table/new_table.h"
#include "table/schema_update.h"
#include "table/snapshot_producer.h"
#include "table/table_reader.h"
#include "table/table_scan.h"
#include "table/value_serialization.h"
#include "unit/format/puffin/roaring_test_util.h"
#include "vector/vector_builder.h"

namespace floe::table {
namespace {

namespace fs = std::filesystem;
using types::LogicalType;
using types::Value;

constexpr int64_t kHour = int64_t{3600} * 1000000;
// Rows are ten minutes apart: 1,000 rows span seven days, 28 partitions of (day, bucket).
constexpr int64_t kStep = kHour / 6;
constexpr int64_t kRows = 1000;

Schema TestSchema() {
  // Ids as given are replaced by fresh ones (1..5 in this order) when the table is made.
  return *Schema::Make(0, {NestedField{10, "id", Type::Primitive(TypeKind::kLong), true},
                           NestedField{20, "name", Type::Primitive(TypeKind::kString), false},
                           NestedField{30, "ts", Type::Primitive(TypeKind::kTimestamp), false},
                           NestedField{40, "score", Type::Primitive(TypeKind::kDouble), false},
                           NestedField{50, "amount", *Type::Decimal(10, 2), false}});
}

// Row i of the test data.
std::vector<Value> TestRow(int64_t i) {
  return {Value::BigInt(i),
          i % 10 == 0 ? Value::Null(LogicalType::Varchar())
                      : Value::Varchar("name-" + std::to_string(i % 7) + "-abcdefghijklmnopq"),
          Value::Timestamp(1700000000000000 + i * kStep),
          i == 5 ? Value::Double(std::nan("")) : Value::Double(static_cast<double>(i) * 0.5),
          Value::Decimal(types::Int128(i * 101), 10, 2)};
}

vector::Batch MakeBatch(const Schema& schema, int64_t first, int64_t count) {
  vector::Schema batch_schema = *schema.ToFloeSchema();
  std::vector<vector::VectorBuilder> builders;
  for (const vector::Field& field : batch_schema.fields()) {
    builders.emplace_back(field.type);
  }
  for (int64_t i = first; i < first + count; ++i) {
    std::vector<Value> row = TestRow(i);
    for (size_t c = 0; c < row.size(); ++c) {
      EXPECT_TRUE(builders[c].AppendValue(row[c]).ok());
    }
  }
  std::vector<vector::Vector> columns;
  for (vector::VectorBuilder& builder : builders) {
    columns.push_back(*builder.Finish());
  }
  return *vector::Batch::Make(std::make_shared<const vector::Schema>(batch_schema),
                              std::move(columns), count);
}

std::string RowText(const std::vector<Value>& row) {
  std::string text;
  for (size_t i = 0; i < row.size(); ++i) {
    text += (i > 0 ? "|" : "") + row[i].ToString();
  }
  return text;
}

class TableWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("floe-table-write-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    file_system_ = std::make_shared<io::LocalFileSystem>();
  }
  void TearDown() override { fs::remove_all(directory_); }

  Table CreateTable(std::map<std::string, std::string> properties = {}) {
    NewTableOptions options;
    options.schema = TestSchema();
    options.spec = PartitionSpec(0, {PartitionField{{30}, 0, "ts_day", Transform::Day()},
                                     PartitionField{{10}, 0, "id_bucket", *Transform::Bucket(4)}});
    options.location = (directory_ / "t").string();
    options.properties = std::move(properties);
    auto metadata = MakeNewTableMetadata(options);
    EXPECT_TRUE(metadata.ok()) << metadata.status().ToString();
    auto location = WriteMetadataFile(*file_system_, *metadata, "");
    EXPECT_TRUE(location.ok()) << location.status().ToString();
    return Table{std::make_shared<const TableMetadata>(*metadata), *location, file_system_};
  }

  // Commits a change to a file-system table (no metastore): apply, write the next metadata.
  Table Commit(const Table& base, TableChange& change) {
    std::vector<std::string> written;
    auto metadata = change.Apply(base, 1, written);
    EXPECT_TRUE(metadata.ok()) << metadata.status().ToString();
    auto location =
        WriteMetadataFile(*file_system_, *metadata, base.metadata_location, base.metadata.get());
    EXPECT_TRUE(location.ok()) << location.status().ToString();
    auto reloaded = LoadTable(file_system_, *location);
    EXPECT_TRUE(reloaded.ok()) << reloaded.status().ToString();
    EXPECT_EQ(*reloaded->metadata, *metadata);
    return *reloaded;
  }

  std::vector<DataFile> WriteRows(const Table& table, int64_t first, int64_t count,
                                  DataFileWriterOptions options = {}) {
    auto writer = DataFileWriter::Open(file_system_, *table.metadata, options);
    EXPECT_TRUE(writer.ok()) << writer.status().ToString();
    for (int64_t start = first; start < first + count; start += 250) {
      Status status = (*writer)->Write(MakeBatch(*table.metadata->CurrentSchema(), start,
                                                 std::min<int64_t>(250, first + count - start)));
      EXPECT_TRUE(status.ok()) << status.ToString();
    }
    auto files = (*writer)->Close();
    EXPECT_TRUE(files.ok()) << files.status().ToString();
    return *files;
  }

  Table AppendRows(const Table& table, int64_t first, int64_t count) {
    auto append = SnapshotProducer::Append();
    for (DataFile& file : WriteRows(table, first, count)) {
      append->AddDataFile(std::move(file));
    }
    return Commit(table, *append);
  }

  std::vector<std::string> ReadRows(const Table& table, ScanOptions options = {}) {
    auto scan = TableScan::Make(table, std::move(options));
    EXPECT_TRUE(scan.ok()) << scan.status().ToString();
    auto batches = ReadAll(*scan, {.apply_residual = true});
    EXPECT_TRUE(batches.ok()) << batches.status().ToString();
    std::vector<std::string> rows;
    for (const vector::Batch& batch : *batches) {
      for (int64_t row = 0; row < batch.num_rows(); ++row) {
        std::vector<Value> values;
        for (int64_t column = 0; column < batch.num_columns(); ++column) {
          values.push_back(*batch.column(column).GetValue(row));
        }
        rows.push_back(RowText(values));
      }
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  static std::vector<std::string> ExpectedRows(int64_t first, int64_t count,
                                               const std::set<int64_t>& removed = {}) {
    std::vector<std::string> rows;
    for (int64_t i = first; i < first + count; ++i) {
      if (removed.count(i) == 0) {
        rows.push_back(RowText(TestRow(i)));
      }
    }
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  std::vector<FileScanTask> Plan(const Table& table, ScanOptions options = {}) {
    auto scan = TableScan::Make(table, std::move(options));
    EXPECT_TRUE(scan.ok());
    auto tasks = scan->PlanFiles();
    EXPECT_TRUE(tasks.ok()) << tasks.status().ToString();
    return *tasks;
  }

  fs::path directory_;
  std::shared_ptr<io::FileSystem> file_system_;
};

TEST_F(TableWriteTest, NewTableMetadataHasFreshIds) {
  Table table = CreateTable();
  const TableMetadata& metadata = *table.metadata;
  EXPECT_EQ(metadata.format_version, 2);
  EXPECT_EQ(metadata.table_uuid.size(), 36u);
  EXPECT_EQ(metadata.last_column_id, 5);
  EXPECT_EQ(metadata.CurrentSchema()->fields()[0].id, 1);
  EXPECT_EQ(metadata.DefaultSpec()->fields()[0].source_id(), 3);
  EXPECT_EQ(metadata.DefaultSpec()->fields()[1].source_id(), 1);
  EXPECT_EQ(metadata.DefaultSpec()->fields()[1].field_id, 1001);
  EXPECT_EQ(metadata.last_partition_id, 1001);
  EXPECT_EQ(metadata.CurrentSnapshot(), nullptr);
  EXPECT_TRUE(fs::path(table.metadata_location).filename().string().starts_with("00000-"));
  EXPECT_TRUE(ReadRows(table).empty());
  NewTableOptions bad;
  bad.schema = TestSchema();
  bad.spec = PartitionSpec(0, {PartitionField{{99}, 0, "x", Transform::Identity()}});
  EXPECT_EQ(MakeNewTableMetadata(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(TableWriteTest, AppendWritesPartitionedFilesAndReadsBack) {
  Table table = AppendRows(CreateTable(), 0, kRows);
  EXPECT_EQ(ReadRows(table), ExpectedRows(0, kRows));
  const Snapshot& snapshot = *table.metadata->CurrentSnapshot();
  EXPECT_EQ(snapshot.operation(), "append");
  EXPECT_EQ(snapshot.sequence_number, 1);
  EXPECT_EQ(snapshot.summary.at("added-records"), "1000");
  EXPECT_EQ(snapshot.summary.at("total-records"), "1000");
  std::vector<FileScanTask> tasks = Plan(table);
  EXPECT_EQ(snapshot.summary.at("added-data-files"), std::to_string(tasks.size()));
  EXPECT_EQ(snapshot.summary.at("changed-partition-count"), std::to_string(tasks.size()));
  EXPECT_GT(tasks.size(), 20u);  // 7 days, 4 buckets each.
  EXPECT_EQ(table.metadata->refs.at("main").snapshot_id, snapshot.snapshot_id);
  EXPECT_EQ(table.metadata->snapshot_log.size(), 1u);
  EXPECT_EQ(table.metadata->metadata_log.size(), 1u);
  EXPECT_TRUE(fs::path(table.metadata_location).filename().string().starts_with("00001-"));
  EXPECT_TRUE(fs::path(snapshot.manifest_list)
                  .filename()
                  .string()
                  .starts_with("snap-" + std::to_string(snapshot.snapshot_id) + "-1-"));
  // Each file holds one partition, named by its path.
  for (const FileScanTask& task : tasks) {
    EXPECT_NE(task.data_file.file_path.find("/data/ts_day="), std::string::npos);
    EXPECT_NE(task.data_file.file_path.find("/id_bucket="), std::string::npos);
    EXPECT_EQ(task.data_file.partition.size(), 2u);
  }
  // Planning on a scheduler gives the same tasks in the same order.
  TaskScheduler scheduler(2);
  ScanOptions parallel;
  parallel.scheduler = &scheduler;
  std::vector<FileScanTask> parallel_tasks = Plan(table, parallel);
  ASSERT_EQ(parallel_tasks.size(), tasks.size());
  for (size_t i = 0; i < tasks.size(); ++i) {
    EXPECT_EQ(parallel_tasks[i].data_file, tasks[i].data_file);
  }
  // A second append keeps the first one's files; sequence numbers grow.
  Table second = AppendRows(table, kRows, 10);
  EXPECT_EQ(ReadRows(second), ExpectedRows(0, kRows + 10));
  EXPECT_EQ(second.metadata->CurrentSnapshot()->sequence_number, 2);
  EXPECT_EQ(second.metadata->CurrentSnapshot()->summary.at("total-records"), "1010");
  ScanOptions old;
  old.snapshot_id = snapshot.snapshot_id;
  EXPECT_EQ(ReadRows(second, old), ExpectedRows(0, kRows));
}

TEST_F(TableWriteTest, StatisticsPruneAndBoundTheRows) {
  Table table = AppendRows(CreateTable(), 0, kRows);
  ScanCounters counters;
  ScanOptions options;
  options.filter = Predicate::Equal(1, Value::BigInt(500));
  auto scan = TableScan::Make(table, options);
  ASSERT_TRUE(scan.ok());
  auto tasks = scan->PlanFiles(&counters);
  ASSERT_TRUE(tasks.ok());
  EXPECT_EQ(tasks->size(), 1u);
  EXPECT_GT(counters.data_files_pruned_by_partition + counters.data_files_pruned_by_statistics, 20);
  EXPECT_EQ(ReadRows(table, options), ExpectedRows(500, 1));
  options.filter =
      Predicate::And(Predicate::GreaterEqual(3, Value::Timestamp(1700000000000000)),
                     Predicate::Less(3, Value::Timestamp(1700000000000000 + 24 * kHour)));
  EXPECT_EQ(ReadRows(table, options), ExpectedRows(0, 144));
  options.filter = Predicate::IsNan(4);
  EXPECT_EQ(ReadRows(table, options), ExpectedRows(5, 1));
  // Bounds of every file contain its rows; strings are truncated to 16 characters.
  std::vector<FileScanTask> all = Plan(table);
  all.resize(std::min<size_t>(all.size(), 12));
  for (const FileScanTask& task : all) {
    const DataFile& file = task.data_file;
    // Every column has bounds, but for names in files holding only NULL names.
    ASSERT_GE(file.lower_bounds.size(), 4u) << file.file_path;
    int64_t low = 0;
    int64_t high = 0;
    for (const auto& [id, bytes] : file.lower_bounds) {
      if (id == 1) {
        low = DeserializeValue(Type::Primitive(TypeKind::kLong), bytes)->bigint_value();
      }
      if (id == 2) {
        EXPECT_LE(bytes.size(), 16u);
      }
    }
    for (const auto& [id, bytes] : file.upper_bounds) {
      if (id == 1) {
        high = DeserializeValue(Type::Primitive(TypeKind::kLong), bytes)->bigint_value();
      }
    }
    ScanOptions in_file;
    in_file.filter = Predicate::And(Predicate::GreaterEqual(1, Value::BigInt(low)),
                                    Predicate::LessEqual(1, Value::BigInt(high)));
    EXPECT_GE(static_cast<int64_t>(ReadRows(table, in_file).size()), file.record_count);
    int64_t values = 0;
    for (const auto& [id, count] : file.value_counts) {
      values = id == 1 ? count : values;
    }
    EXPECT_EQ(values, file.record_count);
  }
}

TEST_F(TableWriteTest, TruncatedBounds) {
  EXPECT_EQ(TruncateBound("abc", true, false, 2), "ab");
  EXPECT_EQ(TruncateBound("abc", true, true, 2), "ac");
  EXPECT_EQ(TruncateBound("ab", true, true, 2), "ab");
  EXPECT_EQ(TruncateBound("\xc3\xa9\xc3\xa9z", true, false, 2), "\xc3\xa9\xc3\xa9");
  EXPECT_EQ(TruncateBound("\xc3\xa9\xc3\xa9z", true, true, 2), "\xc3\xa9\xc3\xaa");
  EXPECT_EQ(TruncateBound(std::string("\xff\xff\x01", 3), false, true, 2), std::nullopt);
  EXPECT_EQ(TruncateBound(std::string("\x01\xff\x01", 3), false, true, 2), "\x02");
}

TEST_F(TableWriteTest, OverwriteAndDeleteRemoveFiles) {
  Table table = AppendRows(CreateTable(), 0, kRows);
  std::vector<FileScanTask> tasks = Plan(table);
  // Delete the first file; overwrite the second with rows of its own.
  auto remove = SnapshotProducer::Delete();
  remove->RemoveDataFile(tasks[0].data_file.file_path);
  Table deleted = Commit(table, *remove);
  const Snapshot& snapshot = *deleted.metadata->CurrentSnapshot();
  EXPECT_EQ(snapshot.operation(), "delete");
  EXPECT_EQ(snapshot.summary.at("deleted-data-files"), "1");
  EXPECT_EQ(snapshot.summary.at("deleted-records"),
            std::to_string(tasks[0].data_file.record_count));
  EXPECT_EQ(snapshot.summary.at("total-records"),
            std::to_string(kRows - tasks[0].data_file.record_count));
  EXPECT_EQ(ReadRows(deleted).size(), static_cast<size_t>(kRows - tasks[0].data_file.record_count));
  // The rewritten manifest records the file as DELETED in this snapshot.
  auto manifests = ReadManifestList(*file_system_, snapshot.manifest_list);
  ASSERT_TRUE(manifests.ok());
  int deleted_entries = 0;
  for (const ManifestFile& manifest : *manifests) {
    auto reader = ManifestReader::Open(*file_system_, manifest);
    ASSERT_TRUE(reader.ok());
    auto entries = (*reader)->ReadAll();
    ASSERT_TRUE(entries.ok());
    for (const ManifestEntry& entry : *entries) {
      if (entry.status == ManifestEntryStatus::kDeleted) {
        ++deleted_entries;
        EXPECT_EQ(entry.snapshot_id, snapshot.snapshot_id);
        EXPECT_EQ(entry.data_file.file_path, tasks[0].data_file.file_path);
      }
    }
  }
  EXPECT_EQ(deleted_entries, 1);
  // Removing a file that is no longer live fails.
  auto again = SnapshotProducer::Delete();
  again->RemoveDataFile(tasks[0].data_file.file_path);
  std::vector<std::string> written;
  EXPECT_EQ(again->Apply(deleted, 1, written).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(again->Validate(table, deleted).code(), StatusCode::kConflict);

  auto overwrite = SnapshotProducer::Overwrite();
  overwrite->RemoveDataFile(tasks[1].data_file.file_path);
  for (DataFile& file : WriteRows(deleted, 5000, 3)) {
    overwrite->AddDataFile(std::move(file));
  }
  Table overwritten = Commit(deleted, *overwrite);
  EXPECT_EQ(overwritten.metadata->CurrentSnapshot()->operation(), "overwrite");
  EXPECT_EQ(ReadRows(overwritten).size(),
            static_cast<size_t>(kRows - tasks[0].data_file.record_count -
                                tasks[1].data_file.record_count + 3));
}

// Writes a position or equality delete file by hand, with the spec's field ids.
DataFile WriteDeleteFile(io::FileSystem& file_system, const std::string& path,
                         const FileScanTask& target, bool is_equality,
                         const std::vector<int64_t>& values) {
  vector::Schema schema = is_equality
                              ? vector::Schema({{"id", LogicalType::BigInt(), false}})
                              : vector::Schema({{"file_path", LogicalType::Varchar(), false},
                                                {"pos", LogicalType::BigInt(), false}});
  format::parquet::ParquetWriterOptions options;
  if (is_equality) {
    options.field_ids = {{1, {}}};
  } else {
    options.field_ids = {{2147483546, {}}, {2147483545, {}}};
  }
  auto writer = format::parquet::ParquetWriter::Open(file_system, path, schema, options);
  EXPECT_TRUE(writer.ok()) << writer.status().ToString();
  vector::VectorBuilder paths(LogicalType::Varchar());
  vector::VectorBuilder numbers(LogicalType::BigInt());
  for (int64_t value : values) {
    EXPECT_TRUE(paths.AppendString(target.data_file.file_path).ok());
    EXPECT_TRUE(numbers.Append<int64_t>(value).ok());
  }
  std::vector<vector::Vector> columns;
  if (!is_equality) {
    columns.push_back(*paths.Finish());
  }
  columns.push_back(*numbers.Finish());
  auto batch = vector::Batch::Make(std::make_shared<const vector::Schema>(schema),
                                   std::move(columns), static_cast<int64_t>(values.size()));
  EXPECT_TRUE((*writer)->Write(*batch).ok());
  EXPECT_TRUE((*writer)->Close().ok());
  DataFile file;
  file.content = is_equality ? FileContent::kEqualityDeletes : FileContent::kPositionDeletes;
  file.file_path = path;
  file.partition = target.data_file.partition;
  file.record_count = static_cast<int64_t>(values.size());
  file.file_size_in_bytes = file_system.Stat(path)->size;
  if (is_equality) {
    file.equality_ids = {1};
  }
  return file;
}

TEST_F(TableWriteTest, RowDeltaAppliesPositionAndEqualityDeletes) {
  Table table = AppendRows(CreateTable(), 0, kRows);
  std::vector<FileScanTask> tasks = Plan(table);
  const FileScanTask& target = tasks[0];
  // Which ids sit at positions 0 and 1 of the file: read it directly.
  std::vector<int64_t> ids;
  {
    auto file = file_system_->OpenInputFile(target.data_file.file_path);
    ASSERT_TRUE(file.ok());
    auto reader = format::parquet::ParquetReader::Open(std::move(*file));
    ASSERT_TRUE(reader.ok());
    while (auto batch = *(*reader)->Next()) {
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        ids.push_back(batch->column(0).Get<int64_t>(row));
      }
    }
  }
  ASSERT_GE(ids.size(), 3u);
  auto delta = SnapshotProducer::RowDelta();
  delta->AddDeleteFile(WriteDeleteFile(
      *file_system_, (directory_ / "t/data/pos-1.parquet").string(), target, false, {0, 1}));
  delta->AddDeleteFile(WriteDeleteFile(*file_system_, (directory_ / "t/data/eq-1.parquet").string(),
                                       target, true, {ids[2]}));
  Table deleted = Commit(table, *delta);
  const Snapshot& snapshot = *deleted.metadata->CurrentSnapshot();
  EXPECT_EQ(snapshot.operation(), "delete");
  EXPECT_EQ(snapshot.summary.at("added-delete-files"), "2");
  EXPECT_EQ(snapshot.summary.at("total-position-deletes"), "2");
  EXPECT_EQ(snapshot.summary.at("total-equality-deletes"), "1");
  EXPECT_EQ(ReadRows(deleted), ExpectedRows(0, kRows, {ids[0], ids[1], ids[2]}));
  // The deletes attach only to the file of their partition.
  for (const FileScanTask& task : Plan(deleted)) {
    EXPECT_EQ(task.delete_files.size(),
              task.data_file.file_path == target.data_file.file_path ? 2u : 0u);
  }
  // Rows appended afterwards with the same id are not deleted (sequence numbers).
  auto append = SnapshotProducer::Append();
  for (DataFile& file : WriteRows(deleted, ids[2], 1)) {
    append->AddDataFile(std::move(file));
  }
  Table appended = Commit(deleted, *append);
  std::vector<std::string> expected = ExpectedRows(0, kRows, {ids[0], ids[1]});
  std::vector<std::string> rows = ReadRows(appended);
  EXPECT_EQ(rows, expected);
}

TEST_F(TableWriteTest, DeletionVectorReplacesPositionDeletes) {
  using format::puffin::testing::ContainerKind;
  Table table = AppendRows(CreateTable(), 0, kRows);
  const FileScanTask target = Plan(table)[0];
  std::vector<int64_t> ids;
  {
    auto file = file_system_->OpenInputFile(target.data_file.file_path);
    ASSERT_TRUE(file.ok());
    auto reader = format::parquet::ParquetReader::Open(std::move(*file));
    ASSERT_TRUE(reader.ok());
    while (auto batch = *(*reader)->Next()) {
      for (int64_t row = 0; row < batch->num_rows(); ++row) {
        ids.push_back(batch->column(0).Get<int64_t>(row));
      }
    }
  }
  ASSERT_GE(ids.size(), 4u);
  auto first = SnapshotProducer::RowDelta();
  first->AddDeleteFile(WriteDeleteFile(
      *file_system_, (directory_ / "t/data/pos-1.parquet").string(), target, false, {0}));
  Table positions = Commit(table, *first);
  EXPECT_EQ(ReadRows(positions), ExpectedRows(0, kRows, {ids[0]}));
  // A Puffin file with the vector of the data file (positions 2 and 3) after another file's.
  // Without content_offset (v2 manifests do not store it) the footer locates the blob.
  auto [bytes, offsets] = format::puffin::testing::PuffinFile(
      {{"elsewhere.parquet",
        format::puffin::testing::DeletionVectorBlob(
            format::puffin::testing::Roaring64({{0, {{0, {0, 1}, ContainerKind::kArray}}}}))},
       {target.data_file.file_path,
        format::puffin::testing::DeletionVectorBlob(
            format::puffin::testing::Roaring64({{0, {{0, {2, 3}, ContainerKind::kRun}}}}))}});
  const std::string puffin_path = (directory_ / "t/data/dv-1.puffin").string();
  ASSERT_TRUE(file_system_->CreateExclusive(puffin_path, bytes).ok());
  DataFile vector;
  vector.content = FileContent::kPositionDeletes;
  vector.file_format = "PUFFIN";
  vector.file_path = puffin_path;
  vector.partition = target.data_file.partition;
  vector.record_count = 2;
  vector.file_size_in_bytes = static_cast<int64_t>(bytes.size());
  vector.referenced_data_file = target.data_file.file_path;
  auto second = SnapshotProducer::RowDelta();
  second->AddDeleteFile(vector);
  Table vectors = Commit(positions, *second);
  // The vector applies instead of the position delete file: a writer folds the older positions
  // into the vector, and this one, not having done so, brings row 0 back.
  for (const FileScanTask& task : Plan(vectors)) {
    if (task.data_file.file_path == target.data_file.file_path) {
      ASSERT_EQ(task.delete_files.size(), 1u);
      EXPECT_EQ(task.delete_files[0].file.file_path, puffin_path);
    } else {
      EXPECT_TRUE(task.delete_files.empty());
    }
  }
  EXPECT_EQ(ReadRows(vectors), ExpectedRows(0, kRows, {ids[2], ids[3]}));
  // A Puffin delete file that is not a deletion vector is refused when planning.
  DataFile equality = vector;
  equality.content = FileContent::kEqualityDeletes;
  equality.equality_ids = {10};
  auto third = SnapshotProducer::RowDelta();
  third->AddDeleteFile(equality);
  Table refused = Commit(vectors, *third);
  auto scan = TableScan::Make(refused);
  ASSERT_TRUE(scan.ok());
  EXPECT_EQ(scan->PlanFiles().status().code(), StatusCode::kCorruption);
}

TEST_F(TableWriteTest, DeleteByRowPositionsAndEqualityWithWriters) {
  Table table = AppendRows(CreateTable(), 0, kRows);
  // DELETE WHERE id < 50: read the matching rows with their positions, write position deletes
  // per data file (one file per partition), commit them as a row delta.
  ScanOptions options;
  options.projection = {1};
  options.filter = Predicate::Less(1, Value::BigInt(50));
  auto scan = TableScan::Make(table, options);
  ASSERT_TRUE(scan.ok());
  auto tasks = scan->PlanFiles();
  ASSERT_TRUE(tasks.ok());
  auto delta = SnapshotProducer::RowDelta();
  for (const FileScanTask& task : *tasks) {
    auto reader =
        TableReader::Open(*scan, task, {.apply_residual = true, .with_row_position = true});
    ASSERT_TRUE(reader.ok()) << reader.status().ToString();
    EXPECT_EQ((*reader)->schema()->field(1).name, "_pos");
    std::vector<int64_t> positions;
    while (true) {
      auto batch = (*reader)->Next();
      ASSERT_TRUE(batch.ok());
      if (!batch->has_value()) {
        break;
      }
      for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
        positions.push_back((*batch)->column(1).Get<int64_t>(row));
      }
    }
    if (positions.empty()) {
      continue;
    }
    auto writer = DeleteFileWriter::OpenPositionDeletes(file_system_, *table.metadata, task.spec_id,
                                                        task.data_file.partition);
    ASSERT_TRUE(writer.ok()) << writer.status().ToString();
    ASSERT_TRUE((*writer)->WritePositions(task.data_file.file_path, positions).ok());
    auto file = (*writer)->Close();
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    EXPECT_EQ(file->referenced_data_file, task.data_file.file_path);
    delta->AddDeleteFile(std::move(*file));
  }
  Table deleted = Commit(table, *delta);
  std::set<int64_t> removed;
  for (int64_t i = 0; i < 50; ++i) {
    removed.insert(i);
  }
  EXPECT_EQ(ReadRows(deleted), ExpectedRows(0, kRows, removed));
  // An unpartitioned (global) equality delete file would need spec 0 to be unpartitioned: here
  // the delete goes into the partition of the row it removes.
  std::vector<FileScanTask> rest = Plan(deleted);
  ScanOptions find;
  find.filter = Predicate::Equal(1, Value::BigInt(777));
  std::vector<FileScanTask> target = Plan(deleted, find);
  ASSERT_EQ(target.size(), 1u);
  auto equality = DeleteFileWriter::OpenEqualityDeletes(
      file_system_, *deleted.metadata, target[0].spec_id, target[0].data_file.partition, {1});
  ASSERT_TRUE(equality.ok()) << equality.status().ToString();
  vector::VectorBuilder ids(LogicalType::BigInt());
  ASSERT_TRUE(ids.Append<int64_t>(777).ok());
  auto schema = std::make_shared<const vector::Schema>(
      std::vector<vector::Field>{{"id", LogicalType::BigInt(), false}});
  ASSERT_TRUE(
      (*equality)->WriteEqualityRows(*vector::Batch::Make(schema, {*ids.Finish()}, 1)).ok());
  auto equality_file = (*equality)->Close();
  ASSERT_TRUE(equality_file.ok());
  auto second = SnapshotProducer::RowDelta();
  second->AddDeleteFile(std::move(*equality_file));
  Table again = Commit(deleted, *second);
  removed.insert(777);
  EXPECT_EQ(ReadRows(again), ExpectedRows(0, kRows, removed));
}

// A reader given some row groups of a file (a split) reads just those rows, and positions still
// count from the start of the file: position deletes apply, and `_pos` names the file's rows.
TEST_F(TableWriteTest, SplitsByRowGroupKeepFilePositions) {
  Table table = CreateTable();
  DataFileWriterOptions small_row_groups;
  small_row_groups.parquet.row_group_rows = 7;
  auto append = SnapshotProducer::Append();
  for (DataFile& file : WriteRows(table, 0, kRows, small_row_groups)) {
    append->AddDataFile(std::move(file));
  }
  table = Commit(table, *append);
  const FileScanTask target = Plan(table)[0];
  auto delta = SnapshotProducer::RowDelta();
  delta->AddDeleteFile(WriteDeleteFile(*file_system_, (directory_ / "t/data/pos.parquet").string(),
                                       target, false, {0, 8, 13, 14, 20}));
  table = Commit(table, *delta);

  auto scan = TableScan::Make(table, {});
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  auto tasks = scan->PlanFiles();
  ASSERT_TRUE(tasks.ok()) << tasks.status().ToString();
  for (const FileScanTask& task : *tasks) {
    // Each row as "_pos:id", read whole and then split by split.
    auto read = [&](std::vector<int> row_groups,
                    std::shared_ptr<const format::parquet::FileMetaData> footer) {
      std::vector<std::string> rows;
      auto reader = TableReader::Open(
          *scan, task,
          {.with_row_position = true, .row_groups = std::move(row_groups), .footer = footer});
      EXPECT_TRUE(reader.ok()) << reader.status().ToString();
      while (true) {
        auto batch = (*reader)->Next();
        EXPECT_TRUE(batch.ok()) << batch.status().ToString();
        if (!batch.ok() || !batch->has_value()) {
          break;
        }
        const int64_t pos_column = (*batch)->num_columns() - 1;
        for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
          rows.push_back(std::to_string((*batch)->column(pos_column).Get<int64_t>(row)) + ":" +
                         std::to_string((*batch)->column(0).Get<int64_t>(row)));
        }
      }
      return rows;
    };
    std::vector<std::string> whole = read({}, nullptr);
    auto footer = DataFileFooter(table, task);
    ASSERT_TRUE(footer.ok()) << footer.status().ToString();
    const int row_groups = static_cast<int>((*footer)->row_groups.size());
    std::vector<std::string> split;
    for (int first = 0; first < row_groups; first += 2) {
      std::vector<int> pair = {first};
      if (first + 1 < row_groups) {
        pair.push_back(first + 1);
      }
      for (std::string& row : read(pair, *footer)) {
        split.push_back(std::move(row));
      }
    }
    EXPECT_EQ(split, whole) << task.data_file.file_path;
    if (task.data_file.file_path == target.data_file.file_path) {
      ASSERT_GT(row_groups, 3);
      EXPECT_EQ(whole.size(), static_cast<size_t>(task.data_file.record_count) - 5);
      EXPECT_EQ(whole[0].substr(0, 2), "1:");
    }
  }
  // A split is contiguous: positions could not be told otherwise.
  auto gap = TableReader::Open(*scan, target, {.row_groups = {0, 2}});
  EXPECT_EQ(gap.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(TableWriteTest, ConflictDetectionFilter) {
  Table start = AppendRows(CreateTable(), 0, 100);
  Table concurrent = AppendRows(start, 200, 1);  // id 200 committed meanwhile.
  auto matching = SnapshotProducer::Overwrite();
  matching->SetConflictDetectionFilter(Predicate::Equal(1, Value::BigInt(200)));
  Status status = matching->Validate(start, concurrent);
  EXPECT_EQ(status.code(), StatusCode::kConflict) << status.ToString();
  auto other = SnapshotProducer::Overwrite();
  other->SetConflictDetectionFilter(Predicate::Equal(1, Value::BigInt(5000)));
  EXPECT_TRUE(other->Validate(start, concurrent).ok());
  auto append = SnapshotProducer::Append();
  EXPECT_TRUE(append->Validate(start, concurrent).ok());
}

TEST_F(TableWriteTest, MetadataLogIsBoundedAndPropertiesUpdate) {
  Table table = CreateTable({{"write.metadata.previous-versions-max", "2"}});
  for (int i = 0; i < 4; ++i) {
    table = AppendRows(table, i * 10, 10);
  }
  EXPECT_EQ(table.metadata->metadata_log.size(), 2u);
  EXPECT_EQ(table.metadata->snapshot_log.size(), 4u);
  EXPECT_TRUE(fs::path(table.metadata_location).filename().string().starts_with("00004-"));
  auto change = UpdateProperties({{"owner", "floe"}}, {"write.metadata.previous-versions-max"});
  Table updated = Commit(table, *change);
  EXPECT_EQ(updated.metadata->properties.at("owner"), "floe");
  EXPECT_EQ(updated.metadata->properties.count("write.metadata.previous-versions-max"), 0u);
  EXPECT_EQ(ReadRows(updated), ExpectedRows(0, 40));
}

TEST_F(TableWriteTest, TargetFileSizeSplitsFiles) {
  Table table = CreateTable();
  DataFileWriterOptions options;
  options.target_file_size_bytes = 1;  // Every row group closes its file.
  options.parquet.row_group_rows = 1;
  auto writer = DataFileWriter::Open(file_system_, *table.metadata, options);
  ASSERT_TRUE(writer.ok());
  // All rows in one partition: ids 0, 4, 8, ... of one hour.
  ASSERT_TRUE((*writer)->Write(MakeBatch(*table.metadata->CurrentSchema(), 0, 1)).ok());
  ASSERT_TRUE((*writer)->Write(MakeBatch(*table.metadata->CurrentSchema(), 0, 1)).ok());
  auto files = (*writer)->Close();
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 2u);
  auto aborted = DataFileWriter::Open(file_system_, *table.metadata, options);
  ASSERT_TRUE((*aborted)->Write(MakeBatch(*table.metadata->CurrentSchema(), 0, 50)).ok());
  ASSERT_TRUE((*aborted)->Abort().ok());
  size_t parquet_files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(directory_)) {
    parquet_files += entry.path().extension() == ".parquet" ? 1 : 0;
  }
  EXPECT_EQ(parquet_files, 2u);
}

TEST_F(TableWriteTest, PartitionSpecEvolution) {
  Table table = AppendRows(CreateTable(), 0, 100);
  auto evolve = UpdatePartitionSpec({PartitionField{{1}, 0, "id_bucket8", *Transform::Bucket(8)}});
  Table evolved = Commit(table, *evolve);
  EXPECT_EQ(evolved.metadata->default_spec_id, 1);
  EXPECT_EQ(evolved.metadata->DefaultSpec()->fields().front().field_id, 1002);
  evolved = AppendRows(evolved, 2000, 100);
  EXPECT_EQ(ReadRows(evolved).size(), 200u);
  for (int64_t id : {50, 2050}) {
    ScanOptions options;
    options.filter = Predicate::Equal(1, Value::BigInt(id));
    std::vector<FileScanTask> tasks = Plan(evolved, options);
    ASSERT_EQ(tasks.size(), 1u) << id;
    EXPECT_EQ(tasks.front().spec_id, id < 1000 ? 0 : 1);
    EXPECT_EQ(ReadRows(evolved, options), ExpectedRows(id, 1));
  }
  // A filter on ts prunes the old spec's files by partition and the new one's by statistics.
  ScanOptions by_time;
  by_time.filter = Predicate::Less(3, Value::Timestamp(1700000000000000 + 2 * kHour));
  EXPECT_EQ(ReadRows(evolved, by_time), ExpectedRows(0, 12));
}

TEST_F(TableWriteTest, SchemaEvolutionReadsOldFiles) {
  NewTableOptions options;
  options.schema =
      *Schema::Make(0, {NestedField{1, "a", Type::Primitive(TypeKind::kInt), false},
                        NestedField{2, "b", Type::Primitive(TypeKind::kFloat), false},
                        NestedField{3, "c", *Type::Decimal(5, 2), false},
                        NestedField{4, "d", Type::Primitive(TypeKind::kString), false}});
  options.location = (directory_ / "evolving").string();
  auto metadata = MakeNewTableMetadata(options);
  ASSERT_TRUE(metadata.ok());
  auto location = WriteMetadataFile(*file_system_, *metadata, "");
  ASSERT_TRUE(location.ok());
  Table table{std::make_shared<const TableMetadata>(*metadata), *location, file_system_};
  auto write = [&](const Table& target, const std::vector<std::vector<Value>>& rows) {
    vector::Schema schema = *target.metadata->CurrentSchema()->ToFloeSchema();
    std::vector<vector::VectorBuilder> builders;
    for (const vector::Field& field : schema.fields()) {
      builders.emplace_back(field.type);
    }
    for (const auto& row : rows) {
      for (size_t c = 0; c < row.size(); ++c) {
        EXPECT_TRUE(builders[c].AppendValue(row[c]).ok());
      }
    }
    std::vector<vector::Vector> columns;
    for (auto& builder : builders) {
      columns.push_back(*builder.Finish());
    }
    auto writer = DataFileWriter::Open(file_system_, *target.metadata);
    EXPECT_TRUE(writer.ok());
    EXPECT_TRUE(
        (*writer)
            ->Write(*vector::Batch::Make(std::make_shared<const vector::Schema>(schema),
                                         std::move(columns), static_cast<int64_t>(rows.size())))
            .ok());
    auto append = SnapshotProducer::Append();
    auto files = (*writer)->Close();
    EXPECT_TRUE(files.ok());
    for (DataFile& file : *files) {
      append->AddDataFile(std::move(file));
    }
    return Commit(target, *append);
  };
  table = write(table, {{Value::Integer(1), Value::Real(1.5f),
                         Value::Decimal(types::Int128(123), 5, 2), Value::Varchar("x")}});
  auto evolve = UpdateSchema([](SchemaUpdate& update) {
    update.WidenColumn("a", Type::Primitive(TypeKind::kLong))
        .WidenColumn("b", Type::Primitive(TypeKind::kDouble))
        .WidenColumn("c", *Type::Decimal(20, 2))
        .RenameColumn("d", "e")
        .AddColumn("", "f", Type::Primitive(TypeKind::kString))
        .MoveFirst("e");
  });
  Table evolved = Commit(table, *evolve);
  EXPECT_EQ(evolved.metadata->current_schema_id, 1);
  evolved = write(
      evolved,
      {{Value::Varchar("y"), Value::BigInt(int64_t{1} << 40), Value::Double(2.25),
        Value::Decimal(types::Int128(int64_t{10000000000000}), 20, 2), Value::Varchar("new")}});
  EXPECT_EQ(
      ReadRows(evolved),
      (std::vector<std::string>{"x|1|1.5|1.23|NULL", "y|1099511627776|2.25|100000000000.00|new"}));
  // Time travel reads the old snapshot with its own schema.
  ScanOptions old;
  old.snapshot_id = table.metadata->current_snapshot_id;
  EXPECT_EQ(ReadRows(evolved, old), (std::vector<std::string>{"1|1.5|1.23|x"}));
}

TEST_F(TableWriteTest, NestedColumnsAndTagsRoundTrip) {
  NewTableOptions options;
  Type point = Type::Struct({NestedField{11, "x", Type::Primitive(TypeKind::kDouble), false},
                             NestedField{12, "label", Type::Primitive(TypeKind::kString), false}});
  options.schema = *Schema::Make(
      0,
      {NestedField{1, "id", Type::Primitive(TypeKind::kLong), true},
       NestedField{2, "point", point, false},
       NestedField{3, "tags", Type::List(13, Type::Primitive(TypeKind::kString), false), false}});
  options.location = (directory_ / "nested").string();
  auto metadata = MakeNewTableMetadata(options);
  ASSERT_TRUE(metadata.ok()) << metadata.status().ToString();
  auto location = WriteMetadataFile(*file_system_, *metadata, "");
  ASSERT_TRUE(location.ok());
  Table table{std::make_shared<const TableMetadata>(*metadata), *location, file_system_};
  vector::Schema schema = *table.metadata->CurrentSchema()->ToFloeSchema();
  std::vector<vector::VectorBuilder> builders;
  for (const vector::Field& field : schema.fields()) {
    builders.emplace_back(field.type);
  }
  std::vector<std::string> expected;
  for (int64_t i = 0; i < 20; ++i) {
    std::vector<Value> row = {
        Value::BigInt(i),
        i % 5 == 0 ? Value::Null(schema.field(1).type)
                   : Value::Struct(schema.field(1).type, {Value::Double(static_cast<double>(i)),
                                                          Value::Varchar("p" + std::to_string(i))}),
        Value::List(LogicalType::Varchar(), {Value::Varchar("t" + std::to_string(i))})};
    for (size_t c = 0; c < row.size(); ++c) {
      ASSERT_TRUE(builders[c].AppendValue(row[c]).ok());
    }
    expected.push_back(RowText(row));
  }
  std::sort(expected.begin(), expected.end());
  std::vector<vector::Vector> columns;
  for (auto& builder : builders) {
    columns.push_back(*builder.Finish());
  }
  auto writer = DataFileWriter::Open(file_system_, *table.metadata);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)
                  ->Write(*vector::Batch::Make(std::make_shared<const vector::Schema>(schema),
                                               std::move(columns), 20))
                  .ok());
  auto files = (*writer)->Close();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 1u);
  // Leaves inside the struct have statistics and bounds; list elements counts only.
  std::set<int32_t> counted;
  for (const auto& [id, count] : files->front().value_counts) {
    counted.insert(id);
  }
  EXPECT_EQ(counted, (std::set<int32_t>{1, 4, 5, 6}));
  std::set<int32_t> bounded;
  for (const auto& [id, bytes] : files->front().lower_bounds) {
    bounded.insert(id);
  }
  EXPECT_EQ(bounded, (std::set<int32_t>{1, 4, 5}));
  auto append = SnapshotProducer::Append();
  append->AddDataFile(files->front());
  Table appended = Commit(table, *append);
  EXPECT_EQ(ReadRows(appended), expected);
  ScanOptions point_x;
  point_x.filter = Predicate::Less(4, Value::Double(-1.0));
  EXPECT_TRUE(Plan(appended, point_x).empty());
  // A tag keeps the snapshot readable by name after later commits.
  const int64_t tagged = *appended.metadata->current_snapshot_id;
  auto tag = std::make_unique<MetadataChange>([tagged](TableMetadata& metadata) {
    SnapshotRef ref;
    ref.snapshot_id = tagged;
    ref.type = SnapshotRefType::kTag;
    metadata.refs["v1"] = ref;
    return Status::OK();
  });
  Table with_tag = Commit(appended, *tag);
  auto remove = SnapshotProducer::Delete();
  remove->RemoveDataFile(files->front().file_path);
  Table emptied = Commit(with_tag, *remove);
  EXPECT_TRUE(ReadRows(emptied).empty());
  ScanOptions by_tag;
  by_tag.ref = "v1";
  EXPECT_EQ(ReadRows(emptied, by_tag), expected);
}

std::string RunCommand(const std::string& command, int& exit_code) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    exit_code = -1;
    return output;
  }
  char buffer[65536];
  size_t read = 0;
  while ((read = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    output.append(buffer, read);
  }
  exit_code = ::pclose(pipe);
  return output;
}

TEST_F(TableWriteTest, OtherReadersReadWhatFloeWrites) {
  Table table = AppendRows(CreateTable(), 0, kRows);
  auto remove = SnapshotProducer::Delete();
  std::vector<FileScanTask> tasks = Plan(table);
  remove->RemoveDataFile(tasks[0].data_file.file_path);
  table = Commit(table, *remove);
  const Snapshot& snapshot = *table.metadata->CurrentSnapshot();
  // python3-avro reads the manifest list and every manifest.
  // Debian's python3 with python3-avro (scripts/install-deps), as manifest_test.cc uses it.
  auto manifests = ReadManifestList(*file_system_, snapshot.manifest_list);
  ASSERT_TRUE(manifests.ok());
  std::string command = "/usr/bin/python3 " FLOE_SOURCE_DIR
                        "/test/interop/avro/check_manifest.py '" +
                        snapshot.manifest_list + "'";
  for (const ManifestFile& manifest : *manifests) {
    command += " '" + manifest.manifest_path + "'";
  }
  int exit_code = 0;
  std::string output = RunCommand(command, exit_code);
  ASSERT_EQ(exit_code, 0) << output;
  int64_t live_records = 0;
  int64_t deleted = 0;
  size_t documents = 0;
  for (size_t start = 0; start < output.size();) {
    size_t end = output.find('\n', start);
    nlohmann::json document = nlohmann::json::parse(output.substr(start, end - start));
    start = end == std::string::npos ? output.size() : end + 1;
    ++documents;
    if (documents == 1) {
      EXPECT_EQ(document["records"].size(), manifests->size());
      continue;
    }
    for (const nlohmann::json& record : document["records"]) {
      if (record["status"].get<int>() == 2) {
        ++deleted;
      } else {
        live_records += record["data_file"]["record_count"].get<int64_t>();
      }
    }
  }
  EXPECT_EQ(documents, manifests->size() + 1);
  EXPECT_EQ(deleted, 1);
  EXPECT_EQ(live_records, kRows - tasks[0].data_file.record_count);
  // DuckDB reads the live data files: same count, same sum of ids, Iceberg field ids present.
  std::string files = "[";
  for (const FileScanTask& task : Plan(table)) {
    files += (files.size() > 1 ? ",'" : "'") + task.data_file.file_path + "'";
  }
  files += "]";
  std::string node =
      "cd " FLOE_SOURCE_DIR " && node " FLOE_SOURCE_DIR
      "/test/unit/table/duckdb_query.mjs \"SELECT count(*)::INTEGER, sum(id)::INTEGER, "
      "count(DISTINCT name)::INTEGER FROM read_parquet(" +
      files + ")\" \"SELECT name, field_id FROM parquet_schema(" + files +
      ") WHERE name = 'score' LIMIT 1\"";
  output = RunCommand(node + " 2>&1", exit_code);
  ASSERT_EQ(exit_code, 0) << output;
  int64_t expected_sum = 0;
  std::set<std::string> names;
  std::vector<std::string> rows = ReadRows(table);
  for (const std::string& row : rows) {
    expected_sum += std::stoll(row.substr(0, row.find('|')));
    std::string rest = row.substr(row.find('|') + 1);
    std::string name = rest.substr(0, rest.find('|'));
    if (name != "NULL") {
      names.insert(name);
    }
  }
  EXPECT_EQ(output, "[" + std::to_string(rows.size()) + "," + std::to_string(expected_sum) + "," +
                        std::to_string(names.size()) + "]\n[\"score\",\"4\"]\n")
      << output;
}

}  // namespace
}  // namespace floe::table
