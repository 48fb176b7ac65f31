#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "catalog/table_catalog.h"
#include "io/file_system_registry.h"
#include "sql/engine/database.h"
#include "sql/engine/session.h"
#include "unit/sql/engine/engine_test_base.h"

namespace floe::sql::engine {
namespace {

// Checks what DDL and DML statements commit: command tags, and the snapshots' operations and
// file counts, which SQL results alone cannot show.
class TableDmlTest : public EngineTestBase {
 protected:
  std::string Tag(const std::string& sql) {
    Result<QueryResult> result = session_->Execute(sql);
    EXPECT_TRUE(result.ok()) << sql << ": " << result.status().ToString();
    return result.ok() ? result->command_tag() : "";
  }

  /// The summary of the table's current snapshot.
  std::map<std::string, std::string> Summary(const std::string& name) {
    auto file_system = database_->file_systems().Resolve(database_->settings().warehouse);
    EXPECT_TRUE(file_system.ok());
    catalog::TableCatalog tables(database_->metastore(), *file_system,
                                 database_->settings().warehouse);
    Result<table::Table> loaded = tables.LoadTable({{"public"}, name});
    EXPECT_TRUE(loaded.ok()) << loaded.status().ToString();
    if (!loaded.ok() || loaded->metadata->CurrentSnapshot() == nullptr) {
      return {};
    }
    return loaded->metadata->CurrentSnapshot()->summary;
  }
};

TEST_F(TableDmlTest, ReturnsPostgresCommandTags) {
  EXPECT_EQ(Tag("CREATE TABLE t (a integer, b text)"), "CREATE TABLE");
  EXPECT_EQ(Tag("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')"), "INSERT 0 3");
  EXPECT_EQ(Tag("INSERT INTO t SELECT * FROM t WHERE false"), "INSERT 0 0");
  EXPECT_EQ(Tag("UPDATE t SET b = 'w' WHERE a >= 2"), "UPDATE 2");
  EXPECT_EQ(Tag("DELETE FROM t WHERE a = 1"), "DELETE 1");
  EXPECT_EQ(Tag("DELETE FROM t WHERE a = 1"), "DELETE 0");
  EXPECT_EQ(Tag("CREATE TABLE u AS SELECT * FROM t"), "SELECT 2");
  EXPECT_EQ(Tag("ALTER TABLE u ADD COLUMN c date"), "ALTER TABLE");
  EXPECT_EQ(Tag("DROP TABLE u"), "DROP TABLE");
}

TEST_F(TableDmlTest, WritesOneFilePerPartitionInOneAppend) {
  Tag("CREATE TABLE t (id integer, kind text) PARTITIONED BY (kind)");
  Tag("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, 'c')");
  std::map<std::string, std::string> summary = Summary("t");
  EXPECT_EQ(summary["operation"], "append");
  EXPECT_EQ(summary["added-data-files"], "3");
  EXPECT_EQ(summary["added-records"], "4");
}

TEST_F(TableDmlTest, DeleteOfWholeFilesOnlyDropsThem) {
  Tag("CREATE TABLE t (id integer, kind text) PARTITIONED BY (kind)");
  Tag("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'a')");
  EXPECT_EQ(Tag("DELETE FROM t WHERE kind = 'a'"), "DELETE 2");
  std::map<std::string, std::string> summary = Summary("t");
  EXPECT_EQ(summary["operation"], "delete");
  EXPECT_EQ(summary["deleted-data-files"], "1");
  EXPECT_EQ(summary.count("added-data-files"), 0u);
  EXPECT_EQ(summary["total-records"], "1");
}

TEST_F(TableDmlTest, CopyOnWriteRewritesTheAffectedFile) {
  Tag("CREATE TABLE t (id integer)");
  Tag("INSERT INTO t VALUES (1), (2), (3)");
  Tag("INSERT INTO t VALUES (4)");
  EXPECT_EQ(Tag("DELETE FROM t WHERE id = 2"), "DELETE 1");
  std::map<std::string, std::string> summary = Summary("t");
  EXPECT_EQ(summary["operation"], "overwrite");
  EXPECT_EQ(summary["deleted-data-files"], "1");
  EXPECT_EQ(summary["added-data-files"], "1");
  EXPECT_EQ(summary["added-records"], "2");
  EXPECT_EQ(summary.count("added-delete-files"), 0u);
}

TEST_F(TableDmlTest, MergeOnReadWritesPositionDeletes) {
  Tag("CREATE TABLE t (id integer) WITH ('write.delete.mode' = 'merge-on-read', "
      "'write.update.mode' = 'merge-on-read')");
  Tag("INSERT INTO t VALUES (1), (2), (3)");
  EXPECT_EQ(Tag("DELETE FROM t WHERE id = 2"), "DELETE 1");
  std::map<std::string, std::string> summary = Summary("t");
  EXPECT_EQ(summary["operation"], "delete");
  EXPECT_EQ(summary["added-position-delete-files"], "1");
  EXPECT_EQ(summary["added-position-deletes"], "1");
  EXPECT_EQ(summary.count("deleted-data-files"), 0u);

  EXPECT_EQ(Tag("UPDATE t SET id = 30 WHERE id = 3"), "UPDATE 1");
  summary = Summary("t");
  EXPECT_EQ(summary["operation"], "overwrite");
  EXPECT_EQ(summary["added-position-deletes"], "1");
  EXPECT_EQ(summary["added-data-files"], "1");
  EXPECT_EQ(summary["total-records"], "4");
}

TEST_F(TableDmlTest, DeleteAndUpdateReadOnlyFilesThatMayMatch) {
  Tag("CREATE TABLE t (id integer, kind text) PARTITIONED BY (kind)");
  Tag("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'a'), (4, 'c')");
  // Remove partition b's data file from storage: a statement that reads it fails.
  std::filesystem::path folder = directory_ / "warehouse" / "public" / "t" / "data" / "kind=b";
  ASSERT_TRUE(std::filesystem::exists(folder));
  std::filesystem::remove_all(folder);
  EXPECT_EQ(Tag("DELETE FROM t WHERE kind = 'a' AND id = 1"), "DELETE 1");
  EXPECT_EQ(Tag("UPDATE t SET id = 40 WHERE kind IN ('c') AND 4 <= id"), "UPDATE 1");
  EXPECT_EQ(Tag("DELETE FROM t WHERE kind IS NULL"), "DELETE 0");
  EXPECT_FALSE(session_->Execute("DELETE FROM t WHERE id = 2").ok());
}

TEST_F(TableDmlTest, MergeCountsInsertedUpdatedAndDeletedRows) {
  Tag("CREATE TABLE t (id integer, v text)");
  Tag("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  Tag("CREATE TABLE s (id integer, v text)");
  Tag("INSERT INTO s VALUES (1, 'x'), (2, 'y'), (4, 'z'), (5, 'w')");
  EXPECT_EQ(Tag("MERGE INTO t USING s ON t.id = s.id "
                "WHEN MATCHED AND s.id = 1 THEN DELETE "
                "WHEN MATCHED THEN UPDATE SET v = s.v "
                "WHEN NOT MATCHED AND s.id = 4 THEN INSERT VALUES (s.id, s.v) "
                "WHEN NOT MATCHED THEN DO NOTHING"),
            "MERGE 3");
  // One commit: the data file rewritten without row 1, with row 2 updated and row 4 added.
  std::map<std::string, std::string> summary = Summary("t");
  EXPECT_EQ(summary["operation"], "overwrite");
  EXPECT_EQ(summary["deleted-data-files"], "1");
  EXPECT_EQ(summary["deleted-records"], "3");
  EXPECT_EQ(summary["total-records"], "3");
  EXPECT_EQ(Tag("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DO NOTHING"), "MERGE 0");
  EXPECT_EQ(Summary("t"), summary);
  EXPECT_EQ(Tag("MERGE INTO t USING s ON t.id = s.id WHEN NOT MATCHED THEN INSERT VALUES (s.id)"),
            "MERGE 2");
  EXPECT_EQ(Summary("t")["operation"], "append");
}

TEST_F(TableDmlTest, MergeOnReadMergeWritesPositionDeletes) {
  Tag("CREATE TABLE t (id integer, v text) WITH ('write.merge.mode' = 'merge-on-read')");
  Tag("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  EXPECT_EQ(Tag("MERGE INTO t USING (VALUES (2, 'B'), (9, 'I')) AS s(id, v) ON t.id = s.id "
                "WHEN MATCHED THEN UPDATE SET v = s.v "
                "WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.v)"),
            "MERGE 2");
  std::map<std::string, std::string> summary = Summary("t");
  EXPECT_EQ(summary["added-position-delete-files"], "1");
  EXPECT_EQ(summary["added-position-deletes"], "1");
  EXPECT_EQ(summary["added-records"], "2");
  EXPECT_EQ(summary.count("deleted-data-files"), 0u);
  EXPECT_EQ(summary["total-records"], "5");
}

TEST_F(TableDmlTest, JoinedUpdateAndDeleteChangeEachRowOnce) {
  Tag("CREATE TABLE t (id integer, v text)");
  Tag("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  Tag("CREATE TABLE s (id integer)");
  Tag("INSERT INTO s VALUES (1), (1), (2), (2), (7)");
  EXPECT_EQ(Tag("UPDATE t SET v = 'u' FROM s WHERE t.id = s.id"), "UPDATE 2");
  EXPECT_EQ(Summary("t")["total-records"], "3");
  EXPECT_EQ(Tag("UPDATE t SET v = 'w' WHERE id IN (SELECT id FROM s)"), "UPDATE 2");
  EXPECT_EQ(Tag("DELETE FROM t USING s WHERE t.id = s.id"), "DELETE 2");
  EXPECT_EQ(Tag("DELETE FROM t WHERE EXISTS (SELECT 1 FROM s WHERE s.id = t.id)"), "DELETE 0");
  std::map<std::string, std::string> summary = Summary("t");
  EXPECT_EQ(summary["total-records"], "1");
}

}  // namespace
}  // namespace floe::sql::engine
