#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "sql/engine/database.h"
#include "sql/engine/result_text.h"
#include "sql/engine/session.h"
#include "unit/sql/engine/engine_test_base.h"

namespace floe::sql::engine {
namespace {

// Snapshot ids are random, so reading by id is tested here, where a query's result can be fed
// into the next statement; the rest of time travel is in test/sql/iceberg/.
class TimeTravelTest : public EngineTestBase {};

TEST_F(TimeTravelTest, ReadsEachSnapshotWithItsSchema) {
  Run("CREATE TABLE t (id integer, kind text) PARTITIONED BY (kind)");
  Run("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  Run("ALTER TABLE t ADD COLUMN note text");
  Run("INSERT INTO t VALUES (3, 'a', 'new')");
  Run("DELETE FROM t WHERE id = 1");

  // t$snapshots lists snapshots oldest first.
  std::vector<std::string> ids = Query("SELECT snapshot_id FROM t$snapshots");
  ASSERT_EQ(ids.size(), 3u);
  std::vector<std::string> parents = Query("SELECT coalesce(parent_id, 0) FROM t$snapshots");
  EXPECT_EQ(parents, (std::vector<std::string>{"0", ids[0], ids[1]}));

  // The first snapshot was written before `note` existed: it reads without that column.
  EXPECT_EQ(Query("SELECT * FROM t FOR VERSION AS OF " + ids[0] + " ORDER BY id"),
            (std::vector<std::string>{"1|a", "2|b"}));
  EXPECT_EQ(Query("SELECT * FROM t FOR VERSION AS OF " + ids[1] + " ORDER BY id"),
            (std::vector<std::string>{"1|a|NULL", "2|b|NULL", "3|a|new"}));
  EXPECT_EQ(Query("SELECT id FROM t FOR VERSION AS OF " + ids[2] + " ORDER BY id"),
            (std::vector<std::string>{"2", "3"}));
  // Filters prune within the snapshot read, and still apply to its rows.
  EXPECT_EQ(Query("SELECT id FROM t FOR VERSION AS OF " + ids[1] + " WHERE kind = 'a' ORDER BY id"),
            (std::vector<std::string>{"1", "3"}));
  std::vector<std::string> plan =
      Query("EXPLAIN SELECT id FROM t FOR VERSION AS OF " + ids[0] + " WHERE kind = 'b'");
  std::string plan_text;
  for (const std::string& line : plan) {
    plan_text += line + "\n";
  }
  EXPECT_NE(plan_text.find("as of snapshot " + ids[0] + "\n"), std::string::npos) << plan_text;
  EXPECT_NE(plan_text.find("files: 1 of 2\n"), std::string::npos) << plan_text;
  // Two snapshots of one table in one query.
  EXPECT_EQ(Query("SELECT o.id FROM t FOR VERSION AS OF " + ids[0] +
                  " AS o LEFT JOIN t AS n ON o.id = n.id WHERE n.id IS NULL"),
            (std::vector<std::string>{"1"}));
  std::vector<std::string> times = Query("SELECT committed_at FROM t$snapshots");
  ASSERT_EQ(times.size(), 3u);
  // Commits in the same millisecond cannot be told apart by time.
  if (times[0] != times[1]) {
    EXPECT_EQ(Query("SELECT count(*) FROM t FOR TIMESTAMP AS OF '" + times[0] + "'"),
              (std::vector<std::string>{"2"}));
  }
  EXPECT_EQ(Query("SELECT count(*) FROM t FOR TIMESTAMP AS OF '" + times[2] + "'"),
            (std::vector<std::string>{"2"}));
}

TEST_F(TimeTravelTest, RefusesUnknownSnapshotsNamingTheTable) {
  Run("CREATE TABLE t (id integer)");
  Run("INSERT INTO t VALUES (1)");
  Result<QueryResult> result = session_->Execute("SELECT * FROM t FOR VERSION AS OF 12345");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("public.t"), std::string_view::npos)
      << result.status().ToString();
  EXPECT_NE(result.status().message().find("12345"), std::string_view::npos)
      << result.status().ToString();
}

}  // namespace
}  // namespace floe::sql::engine
