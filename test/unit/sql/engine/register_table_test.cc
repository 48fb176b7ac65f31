#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/sql/engine/engine_test_base.h"

namespace floe::sql::engine {
namespace {

// Metadata locations hold random uuids and lie in the scratch warehouse, so registering tables
// and reading them with iceberg_scan() by location are tested here, where one statement's
// answer can be put into the next; the rest is in test/sql/iceberg/.
class RegisterTableTest : public EngineTestBase {
 protected:
  /// The SQLSTATE and message of a statement that must fail.
  Status Fails(const std::string& sql) {
    Result<QueryResult> result = session_->Execute(sql);
    EXPECT_FALSE(result.ok()) << sql;
    return result.ok() ? Status::OK() : result.status();
  }

  /// The metadata file the table's current version was written to.
  std::string CurrentMetadata(const std::string& table) {
    // Floe names metadata files NNNNN-<uuid>: the highest name is the newest.
    std::vector<std::string> files =
        Query("SELECT file FROM " + table + "$metadata_log_entries ORDER BY file DESC LIMIT 1");
    EXPECT_EQ(files.size(), 1u);
    return files.empty() ? "" : files[0];
  }

  std::string Warehouse() const { return (directory_ / "warehouse").string(); }

  static void Write(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
};

TEST_F(RegisterTableTest, RegistersReadsAndWritesThroughTheCatalog) {
  Run("CREATE TABLE a (id integer, kind text) PARTITIONED BY (kind)");
  Run("INSERT INTO a VALUES (1, 'x'), (2, 'y')");
  Run("INSERT INTO a VALUES (3, 'x')");
  std::string location = CurrentMetadata("a");
  ASSERT_FALSE(location.empty());
  std::vector<std::string> snapshot = Query(
      "SELECT max(snapshot_id) FILTER (WHERE parent_id IS "
      "NOT NULL) FROM a$snapshots");

  // Spark's named-argument form; the row gives the snapshot and its totals.
  std::vector<std::string> registered =
      Query("CALL system.register_table(table => 'public.b', metadata_file => '" + location + "')");
  ASSERT_EQ(registered.size(), 1u);
  // Partitioned by kind: the first insert wrote two files, the second one.
  EXPECT_EQ(Query("SELECT count(*) FROM a$data_files"), (std::vector<std::string>{"3"}));
  EXPECT_EQ(registered[0], snapshot[0] + "|3|3");
  EXPECT_EQ(Query("SELECT id, kind FROM b ORDER BY id"),
            (std::vector<std::string>{"1|x", "2|y", "3|x"}));

  // The name is taken now, by a table or a view, whatever the location.
  Status twice = Fails("CALL system.register_table('b', '" + location + "')");
  EXPECT_EQ(twice.sql_state(), "42P07") << twice.ToString();
  EXPECT_NE(twice.message().find("relation \"b\" already exists"), std::string::npos);
  Run("CREATE VIEW v AS SELECT 1");
  EXPECT_EQ(Fails("CALL system.register_table('v', '" + location + "')").sql_state(), "42P07");

  // Writes through the catalog commit new metadata beside the registered file, which
  // iceberg_scan() reads without the catalog; `a` does not see them.
  Run("INSERT INTO b VALUES (4, 'z')");
  std::string after = CurrentMetadata("b");
  EXPECT_NE(after, location);
  EXPECT_EQ(Query("SELECT id FROM iceberg_scan('" + after + "') ORDER BY id"),
            (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(Query("SELECT id FROM iceberg_scan('" + location + "') ORDER BY id"),
            (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(Query("SELECT count(*) FROM a"), (std::vector<std::string>{"3"}));
  // The folder reads its newest metadata file (no version-hint.text: the highest version).
  std::string folder = Warehouse() + "/public/a";
  EXPECT_EQ(Query("SELECT id, kind FROM iceberg_scan('" + folder + "/') WHERE kind = 'z'"),
            (std::vector<std::string>{"4|z"}));
}

TEST_F(RegisterTableTest, RefusesWhatItCannotRegister) {
  Run("CREATE TABLE a (id integer)");
  std::string location = CurrentMetadata("a");
  Status missing_schema = Fails("CALL system.register_table('nowhere.b', '" + location + "')");
  EXPECT_EQ(missing_schema.sql_state(), "3F000") << missing_schema.ToString();
  Status missing_file = Fails("CALL system.register_table('b', '" + Warehouse() +
                              "/public/a/metadata/none.metadata.json')");
  EXPECT_EQ(missing_file.sql_state(), "22023") << missing_file.ToString();
  EXPECT_NE(missing_file.message().find("cannot read metadata at"), std::string::npos);
  Write(directory_ / "warehouse/public/broken/metadata/v1.metadata.json", "{\"format-version\": 2");
  Status corrupt = Fails("CALL system.register_table('b', '" + Warehouse() +
                         "/public/broken/metadata/v1.metadata.json')");
  EXPECT_EQ(corrupt.sql_state(), "22023") << corrupt.ToString();
  // Commits write beside the metadata through the warehouse's storage: tables elsewhere are
  // read with iceberg_scan() instead.
  Status outside = Fails("CALL system.register_table('b', '" + directory_.string() +
                         "/elsewhere/metadata/v1.metadata.json')");
  EXPECT_EQ(outside.sql_state(), "42501") << outside.ToString();
  EXPECT_EQ(Fails("SELECT * FROM b").sql_state(), "42P01");
}

TEST_F(RegisterTableTest, DescribesTheRowOfCall) {
  Result<StatementDescription> description =
      session_->Prepare("", "CALL system.register_table('b', 'x')");
  ASSERT_TRUE(description.ok()) << description.status().ToString();
  ASSERT_EQ(description->columns.size(), 3u);
  EXPECT_EQ(description->columns[0].name, "current_snapshot_id");
  Result<StatementDescription> unknown = session_->Prepare("", "CALL system.nothing()");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().sql_state(), "42883");
}

// Tables lying in a folder without a catalog: version-hint.text and metadata files that do
// not lead to a table are errors, not guesses.
TEST_F(RegisterTableTest, IcebergScanRefusesBrokenFolders) {
  Run("CREATE TABLE a (id integer)");
  Run("INSERT INTO a VALUES (7)");
  std::filesystem::path folder = directory_ / "warehouse/public/a";
  std::string sql = "SELECT id FROM iceberg_scan('" + folder.string() + "')";
  EXPECT_EQ(Query(sql), (std::vector<std::string>{"7"}));
  // Floe's metadata files are NNNNN-<uuid>; a hint may name the number or the file.
  std::string current = std::filesystem::path(CurrentMetadata("a")).filename().string();
  Write(folder / "metadata/version-hint.text", "1\n");
  EXPECT_EQ(Query(sql), (std::vector<std::string>{"7"}));
  Write(folder / "metadata/version-hint.text", current.substr(0, current.size() - 14));
  EXPECT_EQ(Query(sql), (std::vector<std::string>{"7"}));
  Write(folder / "metadata/version-hint.text", "0");
  EXPECT_EQ(Query(sql), (std::vector<std::string>{}));
  Write(folder / "metadata/version-hint.text", "9");
  Status nowhere = Fails(sql);
  EXPECT_EQ(nowhere.sql_state(), "58P01") << nowhere.ToString();
  EXPECT_NE(nowhere.message().find("names version 9"), std::string::npos) << nowhere.ToString();
  Write(folder / "metadata/version-hint.text", "00009-missing.metadata.json");
  EXPECT_EQ(Fails(sql).sql_state(), "58P01");
  Write(folder / "metadata/version-hint.text", "");
  EXPECT_EQ(Fails(sql).sql_state(), "XX001");

  std::filesystem::path broken = directory_ / "broken";
  Write(broken / "metadata/v1.metadata.json", "{\"format-version\": 2, ");
  Status corrupt = Fails("SELECT * FROM iceberg_scan('" + broken.string() + "')");
  EXPECT_EQ(corrupt.sql_state(), "XX001") << corrupt.ToString();
  Status empty = Fails("SELECT * FROM iceberg_scan('" + (directory_ / "warehouse").string() + "')");
  EXPECT_EQ(empty.sql_state(), "58P01") << empty.ToString();
  EXPECT_NE(empty.message().find("no table metadata file"), std::string::npos);
}

}  // namespace
}  // namespace floe::sql::engine
