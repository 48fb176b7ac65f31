// Tables in the metastore: creation, loading, commits with optimistic concurrency (several
// threads appending at once on SQLite and on a real PostgreSQL), conflict detection, and crash
// safety (a storage or metastore failure at each step leaves the table at its previous or its
// new snapshot, readable).

#include "catalog/table_catalog.h"

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "io/local/local_file_system.h"
#include "postgres_environment.h"
#include "table/data_file_writer.h"
#include "table/snapshot_producer.h"
#include "table/table_reader.h"
#include "table/table_scan.h"
#include "vector/vector_builder.h"

namespace floe::catalog {
namespace {

namespace fs = std::filesystem;
using table::NestedField;
using table::Type;
using table::TypeKind;
using types::Value;

table::NewTableOptions TableOptions() {
  table::NewTableOptions options;
  options.schema =
      *table::Schema::Make(0, {NestedField{1, "id", Type::Primitive(TypeKind::kLong), true},
                               NestedField{2, "writer", Type::Primitive(TypeKind::kInt), false}});
  options.spec = table::PartitionSpec(
      0, {table::PartitionField{{2}, 0, "writer", table::Transform::Identity()}});
  // Many writers race in these tests: retry often and briefly.
  options.properties = {{"commit.retry.num-retries", "1000"},
                        {"commit.retry.min-wait-ms", "1"},
                        {"commit.retry.max-wait-ms", "20"}};
  return options;
}

vector::Batch Rows(int64_t first, int64_t count, int32_t writer) {
  vector::VectorBuilder ids(types::LogicalType::BigInt());
  vector::VectorBuilder writers(types::LogicalType::Integer());
  for (int64_t i = first; i < first + count; ++i) {
    EXPECT_TRUE(ids.Append<int64_t>(i).ok());
    EXPECT_TRUE(writers.Append<int32_t>(writer).ok());
  }
  auto schema = std::make_shared<const vector::Schema>(
      std::vector<vector::Field>{{"id", types::LogicalType::BigInt(), false},
                                 {"writer", types::LogicalType::Integer(), true}});
  return *vector::Batch::Make(schema, {*ids.Finish(), *writers.Finish()}, count);
}

// Counts the rows of each id in the table's current snapshot.
std::map<int64_t, int> ReadIds(const table::Table& table) {
  std::map<int64_t, int> ids;
  auto scan = table::TableScan::Make(table);
  EXPECT_TRUE(scan.ok()) << scan.status().ToString();
  if (!scan.ok()) {
    return ids;
  }
  auto batches = table::ReadAll(*scan);
  EXPECT_TRUE(batches.ok()) << batches.status().ToString();
  if (!batches.ok()) {
    return ids;
  }
  for (const vector::Batch& batch : *batches) {
    for (int64_t row = 0; row < batch.num_rows(); ++row) {
      ++ids[batch.column(0).Get<int64_t>(row)];
    }
  }
  return ids;
}

class TableCatalogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("floe-table-catalog-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    file_system_ = std::make_shared<io::LocalFileSystem>();
  }
  void TearDown() override { fs::remove_all(directory_); }

  std::unique_ptr<Metastore> OpenSqlite() {
    auto metastore = OpenMetastore("sqlite:" + (directory_ / "floe.db").string());
    EXPECT_TRUE(metastore.ok()) << metastore.status().ToString();
    EXPECT_TRUE((*metastore)->CreateNamespace({"db"}, {}).ok());
    return std::move(*metastore);
  }

  // Appends `count` rows from `first` as one commit.
  static Result<table::Table> Append(TableCatalog& catalog, const TableIdentifier& identifier,
                                     int64_t first, int64_t count, int32_t writer) {
    FLOE_ASSIGN_OR_RETURN(table::Table table, catalog.LoadTable(identifier));
    FLOE_ASSIGN_OR_RETURN(auto data,
                          table::DataFileWriter::Open(table.file_system, *table.metadata));
    FLOE_RETURN_NOT_OK(data->Write(Rows(first, count, writer)));
    FLOE_ASSIGN_OR_RETURN(std::vector<table::DataFile> files, data->Close());
    auto append = table::SnapshotProducer::Append();
    for (table::DataFile& file : files) {
      append->AddDataFile(std::move(file));
    }
    return catalog.Commit(identifier, table, *append);
  }

  // Several threads append at once; every acknowledged append must be in the table.
  void AppendConcurrently(Metastore& metastore) {
    TableCatalog catalog(metastore, file_system_, (directory_ / "warehouse").string());
    const TableIdentifier identifier{{"db"}, "events"};
    auto created = catalog.CreateTable(identifier, TableOptions());
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    EXPECT_EQ(created->metadata->location, (directory_ / "warehouse/db/events").string());
    constexpr int kThreads = 6;
    constexpr int kCommits = 5;
    constexpr int kRowsPerCommit = 10;
    std::atomic<int> acknowledged{0};
    std::vector<std::thread> threads;
    for (int thread = 0; thread < kThreads; ++thread) {
      threads.emplace_back([&, thread] {
        for (int commit = 0; commit < kCommits; ++commit) {
          int64_t first = (thread * kCommits + commit) * kRowsPerCommit;
          auto result = Append(catalog, identifier, first, kRowsPerCommit, thread);
          EXPECT_TRUE(result.ok()) << result.status().ToString();
          acknowledged += result.ok() ? 1 : 0;
        }
      });
    }
    for (std::thread& thread : threads) {
      thread.join();
    }
    ASSERT_EQ(acknowledged.load(), kThreads * kCommits);
    auto table = catalog.LoadTable(identifier);
    ASSERT_TRUE(table.ok());
    EXPECT_EQ(table->metadata->snapshots.size(), static_cast<size_t>(kThreads * kCommits));
    EXPECT_EQ(table->metadata->last_sequence_number, kThreads * kCommits);
    EXPECT_EQ(table->metadata->CurrentSnapshot()->summary.at("total-records"),
              std::to_string(kThreads * kCommits * kRowsPerCommit));
    std::map<int64_t, int> ids = ReadIds(*table);
    ASSERT_EQ(ids.size(), static_cast<size_t>(kThreads * kCommits * kRowsPerCommit));
    for (const auto& [id, count] : ids) {
      EXPECT_EQ(count, 1) << id;
    }
    // Losing attempts left no manifest lists behind: one per snapshot.
    size_t lists = 0;
    for (const auto& entry : fs::directory_iterator(directory_ / "warehouse/db/events/metadata")) {
      lists += entry.path().filename().string().starts_with("snap-") ? 1 : 0;
    }
    EXPECT_EQ(lists, static_cast<size_t>(kThreads * kCommits));
  }

  fs::path directory_;
  std::shared_ptr<io::FileSystem> file_system_;
};

TEST_F(TableCatalogTest, CreateLoadCommitAndReload) {
  std::unique_ptr<Metastore> metastore = OpenSqlite();
  TableCatalog catalog(*metastore, file_system_, (directory_ / "warehouse").string());
  const TableIdentifier identifier{{"db"}, "t"};
  auto created = catalog.CreateTable(identifier, TableOptions());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(catalog.CreateTable(identifier, TableOptions()).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(catalog.LoadTable({{"db"}, "missing"}).status().code(), StatusCode::kNotFound);
  auto appended = Append(catalog, identifier, 0, 100, 7);
  ASSERT_TRUE(appended.ok()) << appended.status().ToString();
  auto loaded = catalog.LoadTable(identifier);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded->metadata, *appended->metadata);
  EXPECT_EQ(ReadIds(*loaded).size(), 100u);
  auto entry = metastore->LoadTable(identifier);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->previous_metadata_location, created->metadata_location);
  // A property change is a metadata-only commit.
  auto properties = table::UpdateProperties({{"comment", "events"}});
  auto updated = catalog.Commit(identifier, *properties);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ(updated->metadata->properties.at("comment"), "events");
  EXPECT_EQ(updated->metadata->current_snapshot_id, appended->metadata->current_snapshot_id);
}

TEST_F(TableCatalogTest, ConcurrentAppendsOnSqlite) {
  std::unique_ptr<Metastore> metastore = OpenSqlite();
  AppendConcurrently(*metastore);
}

TEST_F(TableCatalogTest, ConcurrentAppendsOnPostgres) {
  Result<std::string> database = CreateTestDatabase();
  ASSERT_TRUE(database.ok()) << database.status().ToString();
  auto metastore = OpenMetastore(*database, {.max_connections = 4});
  ASSERT_TRUE(metastore.ok()) << metastore.status().ToString();
  ASSERT_TRUE((*metastore)->CreateNamespace({"db"}, {}).ok());
  AppendConcurrently(**metastore);
}

TEST_F(TableCatalogTest, OverwritesConflictWithWhatTheyRead) {
  std::unique_ptr<Metastore> metastore = OpenSqlite();
  TableCatalog catalog(*metastore, file_system_, (directory_ / "warehouse").string());
  const TableIdentifier identifier{{"db"}, "t"};
  ASSERT_TRUE(catalog.CreateTable(identifier, TableOptions()).ok());
  ASSERT_TRUE(Append(catalog, identifier, 0, 10, 1).ok());
  auto start = catalog.LoadTable(identifier);
  ASSERT_TRUE(start.ok());
  auto tasks = table::TableScan::Make(*start)->PlanFiles();
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(tasks->size(), 1u);
  const std::string path = tasks->front().data_file.file_path;
  // Another writer deletes the file first; an overwrite that read it then fails.
  auto remove = table::SnapshotProducer::Delete();
  remove->RemoveDataFile(path);
  ASSERT_TRUE(catalog.Commit(identifier, *remove).ok());
  auto overwrite = table::SnapshotProducer::Overwrite();
  overwrite->RemoveDataFile(path);
  Status conflict = catalog.Commit(identifier, *start, *overwrite).status();
  EXPECT_EQ(conflict.code(), StatusCode::kConflict) << conflict.ToString();
  // A concurrent append matching an overwrite's conflict filter also fails it; one that does
  // not match lets it through.
  auto before = catalog.LoadTable(identifier);
  ASSERT_TRUE(before.ok());
  ASSERT_TRUE(Append(catalog, identifier, 100, 1, 2).ok());
  auto guarded = table::SnapshotProducer::Overwrite();
  guarded->SetConflictDetectionFilter(table::Predicate::Equal(2, Value::Integer(2)));
  EXPECT_EQ(catalog.Commit(identifier, *before, *guarded).status().code(), StatusCode::kConflict);
  auto unrelated = table::SnapshotProducer::Overwrite();
  unrelated->SetConflictDetectionFilter(table::Predicate::Equal(2, Value::Integer(3)));
  EXPECT_TRUE(catalog.Commit(identifier, *before, *unrelated).ok());
}

// Fails the n-th write (stream opened or exclusive create) and every one after it.
class FailingFileSystem final : public io::FileSystem {
 public:
  FailingFileSystem(std::shared_ptr<io::FileSystem> base, int fail_at)
      : base_(std::move(base)), fail_at_(fail_at) {}

  Result<std::unique_ptr<io::RandomAccessFile>> OpenInputFile(std::string_view path) override {
    return base_->OpenInputFile(path);
  }
  Result<std::unique_ptr<io::OutputStream>> OpenOutputStream(std::string_view path) override {
    FLOE_RETURN_NOT_OK(Count(path));
    return base_->OpenOutputStream(path);
  }
  Status CreateExclusive(std::string_view path, std::string_view bytes) override {
    FLOE_RETURN_NOT_OK(Count(path));
    return base_->CreateExclusive(path, bytes);
  }
  Result<io::FileInfo> Stat(std::string_view path) override { return base_->Stat(path); }
  Result<std::vector<io::FileInfo>> List(std::string_view prefix) override {
    return base_->List(prefix);
  }
  Status Delete(std::string_view path) override { return base_->Delete(path); }

 private:
  Status Count(std::string_view path) {
    if (++writes_ >= fail_at_) {
      return Status::IOError("injected failure writing {}", path);
    }
    return Status::OK();
  }

  std::shared_ptr<io::FileSystem> base_;
  int fail_at_;
  std::atomic<int> writes_{0};
};

// Delegates to a metastore; CommitTable fails before or after doing its work.
class FailingMetastore final : public Metastore {
 public:
  enum class Mode { kNone, kFailBefore, kFailAfter };
  explicit FailingMetastore(Metastore& base) : base_(base) {}
  Mode mode = Mode::kNone;

  Status CommitTable(const TableIdentifier& identifier, std::string_view expected,
                     std::string_view location) override {
    if (mode == Mode::kFailBefore) {
      return Status::Unavailable("injected failure before the swap");
    }
    FLOE_RETURN_NOT_OK(base_.CommitTable(identifier, expected, location));
    if (mode == Mode::kFailAfter) {
      return Status::Unavailable("injected failure after the swap");
    }
    return Status::OK();
  }
  Status CreateNamespace(const Namespace& name, const Properties& properties) override {
    return base_.CreateNamespace(name, properties);
  }
  Result<Properties> LoadNamespace(const Namespace& name) override {
    return base_.LoadNamespace(name);
  }
  Result<bool> NamespaceExists(const Namespace& name) override {
    return base_.NamespaceExists(name);
  }
  Result<Page<Namespace>> ListNamespaces(const Namespace& parent,
                                         const PageRequest& page) override {
    return base_.ListNamespaces(parent, page);
  }
  Status DropNamespace(const Namespace& name) override { return base_.DropNamespace(name); }
  Result<PropertiesUpdate> UpdateNamespaceProperties(const Namespace& name,
                                                     const std::vector<std::string>& removals,
                                                     const Properties& updates) override {
    return base_.UpdateNamespaceProperties(name, removals, updates);
  }
  Status CreateTable(const TableIdentifier& identifier, std::string_view location) override {
    return base_.CreateTable(identifier, location);
  }
  Status RegisterTable(const TableIdentifier& identifier, std::string_view location) override {
    return base_.RegisterTable(identifier, location);
  }
  Result<TableEntry> LoadTable(const TableIdentifier& identifier) override {
    return base_.LoadTable(identifier);
  }
  Result<bool> TableExists(const TableIdentifier& identifier) override {
    return base_.TableExists(identifier);
  }
  Result<Page<TableIdentifier>> ListTables(const Namespace& name,
                                           const PageRequest& page) override {
    return base_.ListTables(name, page);
  }
  Status RenameTable(const TableIdentifier& from, const TableIdentifier& to) override {
    return base_.RenameTable(from, to);
  }
  Result<TableEntry> DropTable(const TableIdentifier& identifier) override {
    return base_.DropTable(identifier);
  }
  Status CreateView(const TableIdentifier& identifier, const ViewDefinition& view) override {
    return base_.CreateView(identifier, view);
  }
  Status ReplaceView(const TableIdentifier& identifier, const ViewDefinition& view) override {
    return base_.ReplaceView(identifier, view);
  }
  Result<ViewEntry> LoadView(const TableIdentifier& identifier) override {
    return base_.LoadView(identifier);
  }
  Result<Page<TableIdentifier>> ListViews(const Namespace& name, const PageRequest& page) override {
    return base_.ListViews(name, page);
  }
  Status RenameView(const TableIdentifier& from, const TableIdentifier& to) override {
    return base_.RenameView(from, to);
  }
  Status DropView(const TableIdentifier& identifier) override { return base_.DropView(identifier); }
  Status CommitView(const TableIdentifier& identifier, std::string_view expected_location,
                    std::string_view new_location) override {
    return base_.CommitView(identifier, expected_location, new_location);
  }
  Status CheckHealth() override { return base_.CheckHealth(); }
  Result<std::vector<AppliedMigration>> AppliedMigrations() override {
    return base_.AppliedMigrations();
  }

 private:
  Metastore& base_;
};

std::set<std::string> FilesUnder(const fs::path& folder) {
  std::set<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(folder)) {
    if (entry.is_regular_file()) {
      files.insert(entry.path().string());
    }
  }
  return files;
}

TEST_F(TableCatalogTest, StorageFailureAtEachStepLeavesThePreviousSnapshot) {
  std::unique_ptr<Metastore> metastore = OpenSqlite();
  TableCatalog setup(*metastore, file_system_, (directory_ / "warehouse").string());
  const TableIdentifier identifier{{"db"}, "t"};
  ASSERT_TRUE(setup.CreateTable(identifier, TableOptions()).ok());
  ASSERT_TRUE(Append(setup, identifier, 0, 10, 1).ok());
  // An append writes: the data file, a manifest, the manifest list, the metadata file.
  bool committed = false;
  for (int fail_at = 1; !committed && fail_at < 10; ++fail_at) {
    auto before = setup.LoadTable(identifier);
    ASSERT_TRUE(before.ok());
    std::set<std::string> files = FilesUnder(directory_ / "warehouse");
    auto failing = std::make_shared<FailingFileSystem>(file_system_, fail_at);
    TableCatalog catalog(*metastore, failing, (directory_ / "warehouse").string());
    auto result = Append(catalog, identifier, 100, 5, 2);
    auto after = setup.LoadTable(identifier);
    ASSERT_TRUE(after.ok()) << after.status().ToString();
    std::map<int64_t, int> ids = ReadIds(*after);
    if (result.ok()) {
      committed = true;
      EXPECT_EQ(ids.size(), 15u);
      EXPECT_NE(after->metadata_location, before->metadata_location);
    } else {
      EXPECT_EQ(result.status().code(), StatusCode::kIOError) << result.status().ToString();
      EXPECT_EQ(after->metadata_location, before->metadata_location) << fail_at;
      EXPECT_EQ(ids.size(), 10u);
      // The commit's metadata files are gone (the data file belongs to the caller's writer,
      // which failed before handing it over or is left for orphan cleanup).
      std::set<std::string> now = FilesUnder(directory_ / "warehouse");
      for (const std::string& file : now) {
        if (files.count(file) == 0) {
          EXPECT_EQ(file.find("/metadata/"), std::string::npos) << fail_at << ": " << file;
        }
      }
    }
  }
  EXPECT_TRUE(committed);
}

TEST_F(TableCatalogTest, MetastoreFailureBeforeOrAfterTheSwap) {
  std::unique_ptr<Metastore> base = OpenSqlite();
  FailingMetastore metastore(*base);
  TableCatalog catalog(metastore, file_system_, (directory_ / "warehouse").string());
  const TableIdentifier identifier{{"db"}, "t"};
  ASSERT_TRUE(catalog.CreateTable(identifier, TableOptions()).ok());
  ASSERT_TRUE(Append(catalog, identifier, 0, 10, 1).ok());

  metastore.mode = FailingMetastore::Mode::kFailBefore;
  auto failed = Append(catalog, identifier, 100, 5, 2);
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  metastore.mode = FailingMetastore::Mode::kNone;
  auto table = catalog.LoadTable(identifier);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(ReadIds(*table).size(), 10u);

  // The swap happened but its answer was lost: the commit learns the outcome by reloading.
  metastore.mode = FailingMetastore::Mode::kFailAfter;
  auto committed = Append(catalog, identifier, 100, 5, 2);
  ASSERT_TRUE(committed.ok()) << committed.status().ToString();
  metastore.mode = FailingMetastore::Mode::kNone;
  table = catalog.LoadTable(identifier);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->metadata_location, committed->metadata_location);
  EXPECT_EQ(ReadIds(*table).size(), 15u);
}

TEST(CheckLocationInWarehouseTest, ComparesLocalPathsAsAbsolutePaths) {
  const std::string cwd = fs::current_path().generic_string();
  EXPECT_TRUE(
      CheckLocationInWarehouse("./warehouse/t/metadata/v1.metadata.json", "./warehouse").ok());
  EXPECT_TRUE(CheckLocationInWarehouse("warehouse/t", "./warehouse").ok());
  EXPECT_TRUE(CheckLocationInWarehouse(cwd + "/warehouse/t", "./warehouse/").ok());
  EXPECT_TRUE(CheckLocationInWarehouse("s3://bucket/wh/t", "s3://bucket/wh").ok());

  for (const std::string& outside :
       {std::string("./warehouse"), std::string("./warehouse2/t"), std::string("./other/t"),
        cwd + "/warehouse/../t", std::string("./warehouse/./t"), std::string("s3://bucket/wh2/t"),
        std::string("s3://bucket/wh/../t")}) {
    Status status = CheckLocationInWarehouse(
        outside, outside.starts_with("s3://") ? "s3://bucket/wh" : "./warehouse");
    EXPECT_EQ(status.code(), StatusCode::kPermissionDenied) << outside;
  }
}

}  // namespace
}  // namespace floe::catalog
