// Reads the tables of ../shared/iceberg-interop (written by Spark, PyIceberg, DuckDB and others,
// at other locations than where they lie) through TableScan and TableReader, and compares the
// rows with contents derived without Floe's table logic: the Parquet data files read directly with
// the plain Parquet reader (columns matched by name, partition values taken from Hive-style
// folder names), with delete files applied by hand in the test.

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "format/parquet/reader/parquet_reader.h"
#include "io/local/local_file_system.h"
#include "table/table.h"
#include "table/table_reader.h"
#include "table/table_scan.h"

namespace floe::table {
namespace {

namespace fs = std::filesystem;

fs::path InteropRoot() {
  return fs::path(FLOE_SOURCE_DIR) / ".." / "shared" / "iceberg-interop";
}

std::shared_ptr<io::FileSystem> LocalFiles() {
  return std::make_shared<io::LocalFileSystem>();
}

std::string RowText(const std::vector<std::string>& values) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) {
    text += (i > 0 ? "|" : "") + values[i];
  }
  return text;
}

// Rows of a table read by Floe, as sorted text.
Result<std::vector<std::string>> FloeRows(const fs::path& folder, ScanOptions options = {},
                                          std::string_view metadata_file = {}) {
  FLOE_ASSIGN_OR_RETURN(Table table, OpenTableFolder(LocalFiles(), folder.string(), metadata_file));
  FLOE_ASSIGN_OR_RETURN(TableScan scan, TableScan::Make(std::move(table), std::move(options)));
  TableReadOptions read_options;
  read_options.apply_residual = true;
  FLOE_ASSIGN_OR_RETURN(std::vector<vector::Batch> batches, ReadAll(scan, read_options));
  std::vector<std::string> rows;
  for (const vector::Batch& batch : batches) {
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      std::vector<std::string> values;
      for (int64_t column = 0; column < batch.num_columns(); ++column) {
        FLOE_ASSIGN_OR_RETURN(types::Value value, batch.column(column).GetValue(row));
        values.push_back(value.ToString());
      }
      rows.push_back(RowText(values));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// The rows of one Parquet file read with the plain reader, by column name.
using RawRow = std::map<std::string, std::string>;

std::vector<RawRow> ReadParquet(const fs::path& path) {
  std::vector<RawRow> rows;
  io::LocalFileSystem local;
  auto file = local.OpenInputFile(path.string());
  EXPECT_TRUE(file.ok()) << path << ": " << file.status().ToString();
  if (!file.ok()) {
    return rows;
  }
  auto reader = format::parquet::ParquetReader::Open(std::move(*file));
  EXPECT_TRUE(reader.ok()) << path << ": " << reader.status().ToString();
  if (!reader.ok()) {
    return rows;
  }
  while (true) {
    auto batch = (*reader)->Next();
    EXPECT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch.ok() || !batch->has_value()) {
      break;
    }
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      RawRow raw;
      for (int64_t column = 0; column < (*batch)->num_columns(); ++column) {
        auto value = (*batch)->column(column).GetValue(row);
        raw[(*batch)->schema().field(column).name] = value.ok() ? value->ToString() : "?";
      }
      rows.push_back(std::move(raw));
    }
  }
  return rows;
}

// Partition values of a data file from its Hive-style folders ("part=0/x.parquet").
std::map<std::string, std::string> FolderPartition(const fs::path& path) {
  std::map<std::string, std::string> values;
  for (fs::path folder = path.parent_path(); folder.has_filename(); folder = folder.parent_path()) {
    std::string name = folder.filename().string();
    size_t equals = name.find('=');
    if (equals == std::string::npos) {
      break;
    }
    values[name.substr(0, equals)] = name.substr(equals + 1);
  }
  return values;
}

std::vector<fs::path> ParquetFiles(const fs::path& folder) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".parquet") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool IsDeleteFileName(const fs::path& path) {
  std::string name = path.filename().string();
  return name.starts_with("delete-") || name.starts_with("eq-delete") ||
         name.find("-deletes") != std::string::npos;
}

// The column names of the table's current schema, read from its metadata.
std::vector<std::string> ColumnNames(const fs::path& folder) {
  auto table = OpenTableFolder(LocalFiles(), folder.string());
  EXPECT_TRUE(table.ok()) << table.status().ToString();
  std::vector<std::string> names;
  if (table.ok()) {
    for (const NestedField& field : table->metadata->CurrentSchema()->fields()) {
      names.push_back(field.name);
    }
  }
  return names;
}

struct ExpectOptions {
  // Columns left out of the comparison (partition values whose folder text is not Floe's).
  std::set<std::string> skipped = {};
  // Folder text -> Floe text of partition values.
  std::map<std::string, std::string> folder_text = {};
};

// Every data file of the folder (all live: the table was only appended to), by name.
std::vector<std::string> ExpectedRows(const fs::path& folder, const ExpectOptions& options = {}) {
  std::vector<std::string> names = ColumnNames(folder);
  std::vector<std::string> rows;
  for (const fs::path& file : ParquetFiles(folder)) {
    if (IsDeleteFileName(file)) {
      continue;
    }
    std::map<std::string, std::string> partition = FolderPartition(file);
    for (const RawRow& raw : ReadParquet(file)) {
      std::vector<std::string> values;
      for (const std::string& name : names) {
        if (options.skipped.count(name) > 0) {
          continue;
        }
        if (auto found = raw.find(name); found != raw.end()) {
          values.push_back(found->second);
        } else if (auto folder_value = partition.find(name); folder_value != partition.end()) {
          auto mapped = options.folder_text.find(folder_value->second);
          values.push_back(mapped != options.folder_text.end() ? mapped->second
                                                               : folder_value->second);
        } else {
          values.push_back("NULL");
        }
      }
      rows.push_back(RowText(values));
    }
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

// Floe's rows without the columns at `skipped` positions.
std::vector<std::string> DropColumns(const std::vector<std::string>& rows,
                                     const std::vector<std::string>& names,
                                     const std::set<std::string>& skipped) {
  std::vector<std::string> result;
  for (const std::string& row : rows) {
    std::vector<std::string> values;
    size_t start = 0;
    for (size_t i = 0; i < names.size(); ++i) {
      size_t end = row.find('|', start);
      std::string value = row.substr(start, end == std::string::npos ? end : end - start);
      start = end == std::string::npos ? row.size() : end + 1;
      if (skipped.count(names[i]) == 0) {
        values.push_back(value);
      }
    }
    result.push_back(RowText(values));
  }
  std::sort(result.begin(), result.end());
  return result;
}

void ExpectTableMatchesFiles(const std::string& relative, const ExpectOptions& options = {}) {
  fs::path folder = InteropRoot() / relative;
  ASSERT_TRUE(fs::exists(folder)) << folder;
  Result<std::vector<std::string>> floe = FloeRows(folder);
  ASSERT_TRUE(floe.ok()) << relative << ": " << floe.status().ToString();
  std::vector<std::string> expected = ExpectedRows(folder, options);
  ASSERT_FALSE(expected.empty()) << relative;
  EXPECT_EQ(DropColumns(*floe, ColumnNames(folder), options.skipped), expected) << relative;
}

TEST(TableInteropTest, IdentityPartitionsOfEveryType) {
  // DuckDB wrote these without the partition column in the data files: its values come from
  // the manifests, and the test takes them from the folder names.
  ExpectTableMatchesFiles("partition_integer");
  ExpectTableMatchesFiles("partition_bigint");
  ExpectTableMatchesFiles("partition_bool", {.folder_text = {{"true", "t"}, {"false", "f"}}});
  // Folder texts of these types are not Floe's text form (Java BigDecimal, base64, float
  // printing): the partition column is compared through the filters below instead.
  for (const char* table :
       {"partition_float", "partition_double", "partition_binary", "partition_decimal_smallint",
        "partition_decimal_integer", "partition_decimal_bigint", "partition_decimal_hugeint"}) {
    ExpectTableMatchesFiles(table, {.skipped = {"partition_col"}});
  }
}

TEST(TableInteropTest, PartitionedTablesWrittenByPyIceberg) {
  for (const char* table :
       {"partition_time/default.db/partition_time",
        "partition_timestamp/default.db/partition_timestamp",
        "partition_timestamptz/default.db/partition_timestamptz",
        "partition_fixed_length_binary/default.db/partition_fixed_length_binary"}) {
    ExpectTableMatchesFiles(table, {.skipped = {"partition_col"}});
  }
}

TEST(TableInteropTest, AppendOnlyTables) {
  for (const char* table :
       {"is_null_is_not_null", "null_stats/default/test_nulls", "uuid", "hive_partitioned_table",
        "case_sensitive_names/default.db/case_sensitive_names", "expression_filter",
        "map_stats/default.db/map_stats"}) {
    ExpectTableMatchesFiles(table);
  }
}

TEST(TableInteropTest, V1Table) {
  ExpectTableMatchesFiles("iceberg_v1_deprecated/default/legacy_v1");
}

// Equality deletes, applied by hand: rows equal to a delete row on the columns the delete file
// sets (its equality fields), in the partitions and sequence order the manifests give.
TEST(TableInteropTest, EqualityDeletes) {
  struct Case {
    const char* table;
    std::vector<std::string> expected;
    // These tables have no version hint; their writer named the last metadata file so.
    const char* metadata_file = "";
  };
  // mytable: data 1..4 (seq 1); deletes id=1, (3,c), val=b (seq 2-4); data 5,6 (seq 5); val=f.
  // cross_partition: key=100 deleted in partition part=0 only.
  // extra_column: equality on id only (the delete file also holds val).
  std::vector<Case> cases = {
      {"equality_deletes/warehouse/mydb/mytable", {"4|d|2025-01-04", "5|e|2025-01-05"}},
      {"equality_deletes/warehouse/mydb/mytable_partitioned",
       {"1|a|2025-01-01", "4|d|2025-01-04", "5|e|2025-01-05"}},
      {"equality_delete_cross_partition/warehouse/ns/t",
       {"0|999|p0-k999", "1|100|p1-k100", "1|888|p1-k888"},
       "vfinal.metadata.json"},
      {"equality_delete_extra_column/warehouse/ns/t", {"1|a", "3|c"}, "vfinal.metadata.json"},
  };
  for (const Case& test : cases) {
    fs::path folder = InteropRoot() / test.table;
    Result<std::vector<std::string>> floe = FloeRows(folder, {}, test.metadata_file);
    ASSERT_TRUE(floe.ok()) << test.table << ": " << floe.status().ToString();
    EXPECT_EQ(*floe, test.expected) << test.table;
  }
}

// The expected rows above, checked against the files: every data row minus the delete rows.
TEST(TableInteropTest, EqualityDeleteExpectationsFollowTheFiles) {
  fs::path folder = InteropRoot() / "equality_deletes/warehouse/mydb/mytable";
  std::vector<RawRow> data;
  std::vector<RawRow> deletes;
  for (const fs::path& file : ParquetFiles(folder)) {
    for (RawRow& row : ReadParquet(file)) {
      (IsDeleteFileName(file) ? deletes : data).push_back(std::move(row));
    }
  }
  std::vector<std::string> names = ColumnNames(folder);
  ASSERT_EQ(names.size(), 3u);
  std::vector<std::string> kept;
  for (const RawRow& row : data) {
    bool is_deleted = std::any_of(deletes.begin(), deletes.end(), [&](const RawRow& deleted) {
      for (const auto& [name, value] : deleted) {
        if (value != "NULL" && row.at(name) != value) {
          return false;
        }
      }
      return true;
    });
    if (!is_deleted) {
      kept.push_back(RowText({row.at(names[0]), row.at(names[1]), row.at(names[2])}));
    }
  }
  std::sort(kept.begin(), kept.end());
  EXPECT_EQ(kept, (std::vector<std::string>{"4|d|2025-01-04", "5|e|2025-01-05"}));
}

TEST(TableInteropTest, FiltersPruneAndKeepMatchingRows) {
  fs::path folder = InteropRoot() / "partition_integer";
  auto table = OpenTableFolder(LocalFiles(), folder.string());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  const NestedField* field = table->metadata->CurrentSchema()->FindField("partition_col");
  ASSERT_NE(field, nullptr);
  ScanOptions options;
  options.filter = Predicate::Equal(field->id, types::Value::Integer(42));
  auto scan = TableScan::Make(*table, options);
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  ScanCounters counters;
  auto tasks = scan->PlanFiles(&counters);
  ASSERT_TRUE(tasks.ok()) << tasks.status().ToString();
  EXPECT_EQ(tasks->size(), 1u);
  EXPECT_EQ(counters.data_files_total, 2);
  EXPECT_EQ(counters.data_files_pruned_by_partition, 1);
  // A literal of a wider type casts exactly; one that does not prunes nothing.
  options.filter = Predicate::Equal(field->id, types::Value::BigInt(1337));
  auto rows = FloeRows(folder, options);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), ExpectedRows(folder).size() / 2);
  options.filter = Predicate::Not(
      Predicate::In(field->id, {types::Value::Integer(42), types::Value::Integer(1337)}));
  rows = FloeRows(folder, options);
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
}

TEST(TableInteropTest, FilterOnEveryPartitionType) {
  // Each table has partitions with distinct values: filtering on one value's partition column
  // keeps exactly the rows whose value it is, whatever the transform's input type.
  for (const char* relative : {"partition_float", "partition_double", "partition_decimal_integer",
                               "partition_decimal_hugeint", "partition_binary", "partition_bool",
                               "partition_timestamp/default.db/partition_timestamp",
                               "partition_timestamptz/default.db/partition_timestamptz",
                               "partition_time/default.db/partition_time"}) {
    fs::path folder = InteropRoot() / relative;
    auto table = OpenTableFolder(LocalFiles(), folder.string());
    ASSERT_TRUE(table.ok()) << relative << ": " << table.status().ToString();
    const PartitionSpec* spec = table->metadata->DefaultSpec();
    ASSERT_FALSE(spec->fields().empty()) << relative;
    const int32_t source_id = spec->fields().front().source_id();
    auto scan = TableScan::Make(*table);
    ASSERT_TRUE(scan.ok());
    auto batches = ReadAll(*scan);
    ASSERT_TRUE(batches.ok()) << relative << ": " << batches.status().ToString();
    int64_t column = -1;
    for (size_t i = 0; i < scan->projection().size(); ++i) {
      column = scan->projection()[i] == source_id ? static_cast<int64_t>(i) : column;
    }
    ASSERT_GE(column, 0);
    std::map<std::string, std::pair<types::Value, int64_t>> counts;
    int64_t nulls = 0;
    for (const vector::Batch& batch : *batches) {
      for (int64_t row = 0; row < batch.num_rows(); ++row) {
        auto value = batch.column(column).GetValue(row);
        ASSERT_TRUE(value.ok());
        if (value->is_null()) {
          ++nulls;
          continue;
        }
        auto& entry = counts[value->ToString()];
        entry.first = *value;
        ++entry.second;
      }
    }
    for (const auto& [text, entry] : counts) {
      ScanOptions options;
      options.filter = Predicate::Equal(source_id, entry.first);
      auto rows = FloeRows(folder, options);
      ASSERT_TRUE(rows.ok()) << relative << ": " << rows.status().ToString();
      EXPECT_EQ(static_cast<int64_t>(rows->size()), entry.second) << relative << " = " << text;
    }
    ScanOptions options;
    options.filter = Predicate::IsNull(source_id);
    auto rows = FloeRows(folder, options);
    ASSERT_TRUE(rows.ok());
    EXPECT_EQ(static_cast<int64_t>(rows->size()), nulls) << relative;
  }
}

TEST(TableInteropTest, NameMappingReadsFilesWithoutFieldIds) {
  // The data files have no field ids; the table maps "a" to id 1 and "b" to id 3 (a column
  // added after the first "b", id 2, was dropped). The manifests (read with python3-avro) say
  // that the first snapshot holds data-6c65..., which a rewrite replaced by data-6af1....
  fs::path folder = InteropRoot() / "name_mapping/warehouse_1/mydb/t1";
  auto table = OpenTableFolder(LocalFiles(), folder.string());
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  auto expected_of = [&](const std::string& prefix) {
    std::vector<std::string> expected;
    for (const fs::path& file : ParquetFiles(folder)) {
      if (!file.filename().string().starts_with(prefix)) {
        continue;
      }
      for (const RawRow& raw : ReadParquet(file)) {
        expected.push_back(RowText({raw.at("a"), raw.at("b")}));
      }
    }
    std::sort(expected.begin(), expected.end());
    return expected;
  };
  Result<std::vector<std::string>> current = FloeRows(folder);
  ASSERT_TRUE(current.ok()) << current.status().ToString();
  EXPECT_EQ(*current, expected_of("data-6af1"));
  ScanOptions first;
  first.snapshot_id = table->metadata->snapshots.front().snapshot_id;
  Result<std::vector<std::string>> old_rows = FloeRows(folder, first);
  ASSERT_TRUE(old_rows.ok()) << old_rows.status().ToString();
  // Time travel reads with the snapshot's schema, where "b" is field 2: the mapping names no
  // column for field 2, so b reads as NULL while a still maps by name.
  std::vector<std::string> old_expected;
  for (const std::string& row : expected_of("data-6c65")) {
    old_expected.push_back(row.substr(0, row.find('|')) + "|NULL");
  }
  std::sort(old_expected.begin(), old_expected.end());
  ASSERT_EQ(old_expected.size(), 10000u);
  EXPECT_EQ(*old_rows, old_expected);
}

TEST(TableInteropTest, ColumnsAddedWithDefaults) {
  // The first file predates the columns with initial-defaults: it reads them as the defaults.
  fs::path folder =
      InteropRoot() / "add_columns_with_defaults/default.db/add_columns_with_defaults";
  Result<std::vector<std::string>> floe = FloeRows(folder);
  ASSERT_TRUE(floe.ok()) << floe.status().ToString();
  auto table = OpenTableFolder(LocalFiles(), folder.string());
  ASSERT_TRUE(table.ok());
  std::vector<std::string> expected;
  for (const fs::path& file : ParquetFiles(folder)) {
    for (const RawRow& raw : ReadParquet(file)) {
      std::vector<std::string> values;
      for (const NestedField& field : table->metadata->CurrentSchema()->fields()) {
        auto found = raw.find(field.name);
        if (found != raw.end() && field.type.kind() == TypeKind::kUuid &&
            found->second.size() == 34) {
          // The file stores the uuid as a plain fixed[16]; print it as a uuid.
          std::string hex = found->second.substr(2);
          values.push_back(hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
                           "-" + hex.substr(16, 4) + "-" + hex.substr(20));
        } else if (found != raw.end()) {
          values.push_back(found->second);
        } else {
          values.push_back(field.initial_default.has_value() ? field.initial_default->ToString()
                                                             : "NULL");
        }
      }
      expected.push_back(RowText(values));
    }
  }
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(*floe, expected);
}

TEST(TableInteropTest, UnsupportedFeaturesAreNamed) {
  // Nanosecond timestamps.
  auto rows = FloeRows(InteropRoot() / "timestamptz_ns");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kNotSupported);
}

TEST(TableInteropTest, DeletionVectorRemovesRows) {
  // A v3 table whose second snapshot adds a deletion vector for its one data file: a Puffin
  // "file" that is the bare deletion-vector-v1 blob (content_offset 0, no Puffin magic or footer)
  // setting position 1 of the data file's three rows (ids 1, 2 and 3).
  fs::path folder =
      InteropRoot() / "legacy_bare_deletion_vector/warehouse/default/legacy_bare_deletion_vector";
  std::vector<fs::path> files = ParquetFiles(folder);
  ASSERT_EQ(files.size(), 1u);
  std::vector<RawRow> raw = ReadParquet(files[0]);
  ASSERT_EQ(raw.size(), 3u);
  std::vector<std::string> expected;
  for (size_t position : {size_t{0}, size_t{2}}) {
    expected.push_back(RowText({raw[position]["id"], raw[position]["source"]}));
  }
  auto rows = FloeRows(folder);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, expected);
  EXPECT_EQ(*rows, (std::vector<std::string>{"1|legacy", "3|legacy"}));

  auto table = OpenTableFolder(LocalFiles(), folder.string());
  ASSERT_TRUE(table.ok());
  auto scan = TableScan::Make(*table);
  ASSERT_TRUE(scan.ok());
  auto tasks = scan->PlanFiles();
  ASSERT_TRUE(tasks.ok()) << tasks.status().ToString();
  ASSERT_EQ(tasks->size(), 1u);
  ASSERT_EQ((*tasks)[0].delete_files.size(), 1u);
  EXPECT_EQ((*tasks)[0].delete_files[0].file.file_format, "PUFFIN");
  // Row positions of the rows kept are those of the data file.
  auto reader = TableReader::Open(*scan, (*tasks)[0], {.with_row_position = true});
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  std::vector<int64_t> positions;
  while (true) {
    auto batch = (*reader)->Next();
    ASSERT_TRUE(batch.ok()) << batch.status().ToString();
    if (!batch->has_value()) {
      break;
    }
    const vector::Vector& column = (*batch)->column((*batch)->num_columns() - 1);
    for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
      positions.push_back(column.Get<int64_t>(row));
    }
  }
  EXPECT_EQ(positions, (std::vector<int64_t>{0, 2}));
  // The first snapshot predates the vector and reads every row.
  ScanOptions before;
  before.snapshot_id = table->metadata->snapshots.front().snapshot_id;
  auto all = FloeRows(folder, before);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->size(), 3u);
}

TEST(TableInteropTest, TimeTravel) {
  // is_null_is_not_null has three appends: each earlier snapshot reads fewer rows.
  fs::path folder = InteropRoot() / "is_null_is_not_null";
  auto table = OpenTableFolder(LocalFiles(), folder.string());
  ASSERT_TRUE(table.ok());
  std::vector<int64_t> counts;
  for (const Snapshot& snapshot : table->metadata->snapshots) {
    ScanOptions by_id;
    by_id.snapshot_id = snapshot.snapshot_id;
    auto rows = FloeRows(folder, by_id);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    ScanOptions by_time;
    by_time.as_of_timestamp_ms = snapshot.timestamp_ms;
    auto at_time = FloeRows(folder, by_time);
    ASSERT_TRUE(at_time.ok()) << at_time.status().ToString();
    EXPECT_EQ(*rows, *at_time);
    counts.push_back(static_cast<int64_t>(rows->size()));
  }
  ASSERT_EQ(counts.size(), 3u);
  EXPECT_LT(counts[0], counts[1]);
  EXPECT_LT(counts[1], counts[2]);
  EXPECT_EQ(static_cast<size_t>(counts[2]), ExpectedRows(folder).size());
  ScanOptions main;
  main.ref = "main";
  auto rows = FloeRows(folder, main);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), ExpectedRows(folder).size());
  ScanOptions missing;
  missing.snapshot_id = 12345;
  EXPECT_EQ(FloeRows(folder, missing).status().code(), StatusCode::kNotFound);
  ScanOptions too_early;
  too_early.as_of_timestamp_ms = 1;
  EXPECT_EQ(FloeRows(folder, too_early).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace floe::table

namespace floe::table {
namespace {

// Every table of the folder reads, or fails with NotSupported naming what; where the writing
// engine recorded total-records and no delete files, the row count matches it.
TEST(TableInteropTest, EveryTableReadsOrIsNotSupported) {
  std::vector<fs::path> folders;
  for (const auto& entry : fs::recursive_directory_iterator(InteropRoot())) {
    if (entry.is_directory() && entry.path().filename() == "metadata") {
      folders.push_back(entry.path().parent_path());
    }
  }
  std::sort(folders.begin(), folders.end());
  ASSERT_GT(folders.size(), 30u);
  int read = 0;
  int checked = 0;
  for (const fs::path& folder : folders) {
    std::string name = fs::relative(folder, InteropRoot()).string();
    auto table = OpenTableFolder(LocalFiles(), folder.string());
    if (!table.ok()) {
      // Broken on purpose (bad_data, big_query_error), or without metadata files we can order.
      EXPECT_NE(table.status().code(), StatusCode::kInternal) << name;
      continue;
    }
    auto rows = FloeRows(folder);
    if (name == "generated_bounds") {
      continue;  // Manifests only: its data files (on s3://fake-bucket) were never kept.
    }
    if (!rows.ok()) {
      // NotFound: fixtures that kept the metadata but not every data file.
      EXPECT_TRUE(rows.status().code() == StatusCode::kNotSupported ||
                  rows.status().code() == StatusCode::kNotFound)
          << name << ": " << rows.status().ToString();
      continue;
    }
    ++read;
    const Snapshot* snapshot = table->metadata->CurrentSnapshot();
    if (snapshot == nullptr) {
      EXPECT_TRUE(rows->empty()) << name;
      continue;
    }
    auto total = snapshot->summary.find("total-records");
    auto deletes = snapshot->summary.find("total-delete-files");
    if (total != snapshot->summary.end() && deletes != snapshot->summary.end() &&
        deletes->second == "0") {
      EXPECT_EQ(std::to_string(rows->size()), total->second) << name;
      ++checked;
    }
  }
  RecordProperty("tables_read", read);
  RecordProperty("row_counts_checked", checked);
  EXPECT_GT(read, 25);
  EXPECT_GT(checked, 20);
}

}  // namespace
}  // namespace floe::table

namespace floe::table {
namespace {

// Tasks read on several threads share one DeleteFileCache and give the same rows.
TEST(TableInteropTest, TasksReadInParallelShareDecodedDeletes) {
  fs::path folder = InteropRoot() / "equality_deletes/warehouse/mydb/mytable";
  auto table = OpenTableFolder(LocalFiles(), folder.string());
  ASSERT_TRUE(table.ok());
  auto scan = TableScan::Make(*table);
  ASSERT_TRUE(scan.ok());
  auto tasks = scan->PlanFiles();
  ASSERT_TRUE(tasks.ok());
  DeleteFileCache cache;
  std::vector<std::vector<std::string>> rows(tasks->size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < tasks->size(); ++i) {
    threads.emplace_back([&, i] {
      auto reader = TableReader::Open(*scan, (*tasks)[i], {.delete_cache = &cache});
      ASSERT_TRUE(reader.ok()) << reader.status().ToString();
      while (true) {
        auto batch = (*reader)->Next();
        ASSERT_TRUE(batch.ok());
        if (!batch->has_value()) {
          break;
        }
        for (int64_t row = 0; row < (*batch)->num_rows(); ++row) {
          std::vector<std::string> values;
          for (int64_t column = 0; column < (*batch)->num_columns(); ++column) {
            values.push_back((*batch)->column(column).GetValue(row)->ToString());
          }
          rows[i].push_back(RowText(values));
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  std::vector<std::string> all;
  for (const auto& part : rows) {
    all.insert(all.end(), part.begin(), part.end());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::string>{"4|d|2025-01-04", "5|e|2025-01-05"}));
}

}  // namespace
}  // namespace floe::table
