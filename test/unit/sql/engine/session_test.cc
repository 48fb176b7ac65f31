#include "sql/engine/session.h"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "sql/engine/database.h"
#include "sql/engine/result_text.h"
#include "unit/sql/engine/engine_test_base.h"

namespace floe::sql::engine {
namespace {

class SessionTest : public EngineTestBase {};

TEST_F(SessionTest, ReturnsColumnsRowsAndTag) {
  Result<QueryResult> result = session_->Execute(
      "SELECT x, x * 2 AS y FROM generate_series(1, 3) "
      "AS g(x) ORDER BY x");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->columns().size(), 2u);
  EXPECT_EQ(result->columns()[1].name, "y");
  std::vector<TextRow> rows = Rows(*result);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(*rows[2][1], "6");
  EXPECT_EQ(result->command_tag(), "SELECT 3");
}

TEST_F(SessionTest, RunsSeveralStatementsInOrder) {
  Result<QueryResult> result =
      session_->Execute("SET application_name = 'a'; SHOW application_name");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<TextRow> rows = Rows(*result);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*rows[0][0], "a");
  EXPECT_EQ(result->command_tag(), "SHOW");
}

// What IF [NOT] EXISTS skips is said in a notice, with PostgreSQL's wording.
TEST_F(SessionTest, SkippedStatementsRaiseNotices) {
  auto notices_of = [&](const std::string& sql) {
    Result<QueryResult> result = session_->Execute(sql);
    EXPECT_TRUE(result.ok()) << sql << ": " << result.status().ToString();
    return result.ok() ? result->notices() : std::vector<std::string>{"failed"};
  };
  using Notices = std::vector<std::string>;
  EXPECT_EQ(notices_of("DROP TABLE IF EXISTS t1, t2"),
            (Notices{"table \"t1\" does not exist, skipping",
                     "table \"t2\" does not exist, skipping"}));
  EXPECT_EQ(notices_of("DROP VIEW IF EXISTS v"), Notices{"view \"v\" does not exist, skipping"});
  EXPECT_EQ(notices_of("DROP SCHEMA IF EXISTS s"),
            Notices{"schema \"s\" does not exist, skipping"});
  EXPECT_EQ(notices_of("CREATE SCHEMA IF NOT EXISTS public"),
            Notices{"schema \"public\" already exists, skipping"});
  EXPECT_EQ(notices_of("CREATE TABLE t (a integer)"), Notices{});
  EXPECT_EQ(notices_of("CREATE TABLE IF NOT EXISTS t (a integer)"),
            Notices{"relation \"t\" already exists, skipping"});
  EXPECT_EQ(notices_of("ALTER TABLE t ADD COLUMN IF NOT EXISTS a integer, "
                       "DROP COLUMN IF EXISTS b, ADD COLUMN c text"),
            (Notices{"column \"a\" of relation \"t\" already exists, skipping",
                     "column \"b\" of relation \"t\" does not exist, skipping"}));
  EXPECT_EQ(notices_of("ALTER TABLE IF EXISTS u ADD COLUMN a integer"),
            Notices{"relation \"u\" does not exist, skipping"});
  EXPECT_EQ(notices_of("DROP USER IF EXISTS nobody"),
            Notices{"role \"nobody\" does not exist, skipping"});
}

TEST_F(SessionTest, CarriesTheUser) {
  EXPECT_EQ(session_->context().user, "alice");
  Result<QueryResult> result = session_->Execute("SELECT current_user");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(*Rows(*result)[0][0], "alice");
}

TEST_F(SessionTest, DescribesAndRunsPreparedStatements) {
  Result<StatementDescription> description =
      session_->Prepare("q",
                        "SELECT x + $1 AS total FROM generate_series(1, 2) AS g(x) "
                        "WHERE x > $2");
  ASSERT_TRUE(description.ok()) << description.status().ToString();
  ASSERT_EQ(description->parameter_types.size(), 2u);
  EXPECT_EQ(description->parameter_types[0], types::LogicalType::Integer());
  ASSERT_EQ(description->columns.size(), 1u);
  EXPECT_EQ(description->columns[0].name, "total");
  std::vector<types::Value> parameters = {types::Value::Integer(10), types::Value::Integer(1)};
  Result<QueryResult> result = session_->ExecutePrepared("q", parameters);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<TextRow> rows = Rows(*result);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*rows[0][0], "12");
}

// Prepare's binding serves the execution that follows it with nothing in between (the client
// sent Parse, Bind and Execute together); after another statement, after ExpireBindings (the
// client was answered) or at the next execution, the query binds again and sees later commits.
TEST_F(SessionTest, ReusesThePreparedBindingOnlyUntilItExpires) {
  ASSERT_TRUE(session_->Execute("CREATE TABLE t (a integer)").ok());
  ASSERT_TRUE(session_->Execute("INSERT INTO t VALUES (1)").ok());
  std::unique_ptr<Session> other = database_->Connect("alice");
  auto count = [&](const std::string& name) -> std::string {
    Result<QueryResult> result = session_->ExecutePrepared(name, {});
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? Rows(*result).at(0).at(0).value_or("NULL") : "failed";
  };
  ASSERT_TRUE(session_->Prepare("q", "SELECT count(*) FROM t").ok());
  ASSERT_TRUE(other->Execute("INSERT INTO t VALUES (2)").ok());
  EXPECT_EQ(count("q"), "1");  // At the snapshot Prepare saw.
  EXPECT_EQ(count("q"), "2");  // Bound again.

  ASSERT_TRUE(session_->Prepare("r", "SELECT count(*) FROM t").ok());
  ASSERT_TRUE(other->Execute("INSERT INTO t VALUES (3)").ok());
  session_->ExpireBindings();
  EXPECT_EQ(count("r"), "3");

  ASSERT_TRUE(session_->Prepare("s", "SELECT count(*) FROM t").ok());
  ASSERT_TRUE(other->Execute("INSERT INTO t VALUES (4)").ok());
  ASSERT_TRUE(session_->Execute("SELECT 1").ok());
  EXPECT_EQ(count("s"), "4");
}

TEST_F(SessionTest, ReportsErrorsWithPositionAndSqlState) {
  Result<QueryResult> result = session_->Execute("SELECT 1;\nSELECT nope");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().sql_state(), "42703");
  EXPECT_EQ(result.status().position(), 18);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST_F(SessionTest, CopiesAQueryToCsvWithPostgresQuoting) {
  std::filesystem::path file = directory_ / "out.csv";
  Result<QueryResult> result = session_->Execute(
      "COPY (SELECT * FROM (VALUES (1, 'plain'), (2, 'a,b'), (3, 'say \"hi\"'), (4, ''), "
      "(5, NULL), (6, 'two\nlines')) AS t(id, note) ORDER BY id) TO '" +
      file.string() + "' (FORMAT csv, HEADER)");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->command_tag(), "COPY 6");
  EXPECT_EQ(ReadFile(file),
            "id,note\n1,plain\n2,\"a,b\"\n3,\"say \"\"hi\"\"\"\n4,\"\"\n5,\n6,\"two\nlines\"\n");
}

TEST_F(SessionTest, CopiesInTextFormatWithEscapes) {
  std::filesystem::path file = directory_ / "out.txt";
  Result<QueryResult> result = session_->Execute(
      "COPY (SELECT 'tab\there' AS a, NULL::int AS b, 'back\\slash' AS c, true AS d) TO '" +
      file.string() + "'");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(ReadFile(file), "tab\\there\t\\N\tback\\\\slash\tt\n");
  result = session_->Execute("COPY (SELECT 1 AS a, 'x|y' AS b) TO '" + file.string() +
                             "' WITH (DELIMITER '|', NULL 'none')");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(ReadFile(file), "1|x\\|y\n");
}

TEST_F(SessionTest, CopiesToJsonLinesKeepingJsonTypes) {
  std::filesystem::path file = directory_ / "out.json";
  Result<QueryResult> result = session_->Execute(
      "COPY (SELECT 1 AS id, 2.50 AS price, 'q\"t' AS name, false AS ok, NULL::text AS gone, "
      "'NaN'::double precision AS nan, DATE '2024-02-29' AS day) TO '" +
      file.string() + "'");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(ReadFile(file),
            "{\"id\":1,\"price\":2.50,\"name\":\"q\\\"t\",\"ok\":false,\"gone\":null,"
            "\"nan\":\"NaN\",\"day\":\"2024-02-29\"}\n");
}

TEST_F(SessionTest, CopiesToParquetThatReadsBack) {
  std::string file = (directory_ / "out.parquet").string();
  Result<QueryResult> result = session_->Execute(
      "COPY (SELECT x AS id, 'row ' || x AS label, x * 1.25 AS amount FROM "
      "generate_series(1, 5000) AS g(x)) TO '" +
      file + "' (FORMAT parquet, COMPRESSION snappy)");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->command_tag(), "COPY 5000");
  result = session_->Execute(
      "SELECT count(*), sum(id), max(label), sum(amount) FROM read_parquet('" + file + "')");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<TextRow> rows = Rows(*result);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(*rows[0][0], "5000");
  EXPECT_EQ(*rows[0][1], "12502500");
  EXPECT_EQ(*rows[0][2], "row 999");
  EXPECT_EQ(*rows[0][3], "15628125.00");
}

TEST_F(SessionTest, CopiesToStdoutAsLinesOfCopyData) {
  ASSERT_TRUE(session_
                  ->Execute("CREATE VIEW v AS SELECT x AS n, 'a\tb' AS s FROM "
                            "generate_series(1, 2) AS g(x)")
                  .ok());
  Result<QueryResult> result = session_->Execute("COPY v TO STDOUT");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->copy_out_columns(), 2);
  std::vector<TextRow> rows = Rows(*result);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(*rows[0][0], "1\ta\\tb\n");
  EXPECT_EQ(*rows[1][0], "2\ta\\tb\n");
  EXPECT_EQ(result->command_tag(), "COPY 2");

  result = session_->Execute("COPY v (s) TO STDOUT (FORMAT csv, HEADER)");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->copy_out_columns(), 1);
  rows = Rows(*result);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(*rows[0][0], "s\n");
  EXPECT_EQ(*rows[1][0], "a\tb\n");
  EXPECT_EQ(result->command_tag(), "COPY 2");

  result = session_->Execute("SELECT 1");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->copy_out_columns(), -1);
}

TEST_F(SessionTest, CopyRejectsBadOptionsAndLeavesNoFileWhenTheQueryFails) {
  std::string file = (directory_ / "bad.csv").string();
  struct Case {
    std::string sql;
    std::string sql_state;
  };
  std::vector<Case> cases = {
      {"COPY (SELECT 1) TO '" + file + "' (FORMAT xml)", "22023"},
      {"COPY (SELECT 1) TO '" + file + "' (COLOUR 'red')", "42601"},
      {"COPY (SELECT 1) TO '" + file + "' (FORMAT csv, DELIMITER ',,')", "0A000"},
      {"COPY (SELECT 1) TO '" + file + "' (FORMAT text, QUOTE '\"')", "0A000"},
      {"COPY (SELECT 1) TO '" + file + "' (FORMAT csv, HEADER, HEADER)", "42601"},
      {"COPY (SELECT 1) TO STDOUT (FORMAT parquet)", "0A000"},
      {"COPY nowhere TO '" + file + "'", "42P01"},
      {"COPY (SELECT 1 / (x - 3) FROM generate_series(1, 5000) AS g(x)) TO '" + file + "'",
       "22012"},
  };
  for (const Case& c : cases) {
    Result<QueryResult> result = session_->Execute(c.sql);
    ASSERT_FALSE(result.ok()) << c.sql;
    EXPECT_EQ(result.status().sql_state(), c.sql_state)
        << c.sql << ": " << result.status().ToString();
  }
  EXPECT_FALSE(std::filesystem::exists(file));
}

TEST_F(SessionTest, CopiesFilesIntoIcebergTablesAndBackOut) {
  ASSERT_TRUE(session_->Execute("CREATE TABLE t (id integer NOT NULL, note text, day date)").ok());
  std::filesystem::path csv = directory_ / "in.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << "id,note,day\n1,plain,2024-01-31\n2,\"a,b\",\n3,\"two\nlines\",2024-02-29\n";
  }
  Result<QueryResult> result =
      session_->Execute("COPY t FROM '" + csv.string() + "' WITH (FORMAT csv, HEADER)");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->command_tag(), "COPY 3");

  std::filesystem::path text = directory_ / "in.txt";
  {
    std::ofstream out(text, std::ios::binary);
    out << "4\t\\N\n5\ttab\\tin\n";
  }
  result = session_->Execute("COPY t (id, note) FROM '" + text.string() + "'");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->command_tag(), "COPY 2");

  // What COPY TO writes, COPY FROM reads back to the same rows.
  std::filesystem::path round = directory_ / "round.csv";
  ASSERT_TRUE(session_->Execute("COPY t TO '" + round.string() + "' (FORMAT csv)").ok());
  ASSERT_TRUE(session_->Execute("CREATE TABLE u (id integer NOT NULL, note text, day date)").ok());
  ASSERT_TRUE(session_->Execute("COPY u FROM '" + round.string() + "' (FORMAT csv)").ok());
  std::filesystem::path parquet = directory_ / "t.parquet";
  ASSERT_TRUE(session_->Execute("COPY t TO '" + parquet.string() + "'").ok());
  result = session_->Execute("COPY u FROM '" + parquet.string() + "'");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->command_tag(), "COPY 5");

  result =
      session_->Execute("SELECT id, note, day, count(*) FROM u GROUP BY id, note, day ORDER BY id");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  std::vector<TextRow> rows = Rows(*result);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(*rows[1][1], "a,b");
  EXPECT_FALSE(rows[1][2].has_value());
  EXPECT_EQ(*rows[2][1], "two\nlines");
  EXPECT_FALSE(rows[3][1].has_value());
  EXPECT_EQ(*rows[4][1], "tab\tin");
  for (const TextRow& row : rows) {
    EXPECT_EQ(*row[3], "2") << *row[0];
  }
}

TEST_F(SessionTest, CopyFromRejectsBadDataAndCommitsNothing) {
  ASSERT_TRUE(session_->Execute("CREATE TABLE t (id integer NOT NULL, note text)").ok());
  struct Case {
    std::string data;
    std::string sql_state;
  };
  std::vector<Case> cases = {
      {"1,a\n2\n", "22P04"},         // Missing a column.
      {"1,a,extra\n", "22P04"},      // One column too many.
      {"x,a\n", "22P02"},            // Not an integer.
      {"99999999999,a\n", "22003"},  // Out of range.
      {",a\n", "23502"},             // NULL into NOT NULL.
  };
  std::filesystem::path file = directory_ / "bad.csv";
  for (const Case& c : cases) {
    {
      std::ofstream out(file, std::ios::binary);
      out << "1,fine\n" << c.data;
    }
    Result<QueryResult> result =
        session_->Execute("COPY t FROM '" + file.string() + "' (FORMAT csv)");
    ASSERT_FALSE(result.ok()) << c.data;
    EXPECT_EQ(result.status().sql_state(), c.sql_state) << c.data << result.status().ToString();
  }
  Result<QueryResult> result = session_->Execute("SELECT count(*) FROM t");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(*Rows(*result)[0][0], "0");
  std::vector<std::pair<std::string, std::string>> errors = {
      {"COPY t FROM STDIN", "0A000"},
      {"COPY t FROM '" + (directory_ / "missing.csv").string() + "'", "58P01"},
      {"COPY t FROM '" + file.string() + "' (FORMAT json)", "0A000"},
      {"COPY nowhere FROM '" + file.string() + "'", "42P01"},
      {"COPY t (nope) FROM '" + file.string() + "'", "42703"},
  };
  for (const auto& [sql, state] : errors) {
    result = session_->Execute(sql);
    ASSERT_FALSE(result.ok()) << sql;
    EXPECT_EQ(result.status().sql_state(), state) << sql << ": " << result.status().ToString();
  }
}

TEST_F(SessionTest, ManagesUsersWithSuperuserPrivilege) {
  auto run = [&](Session& session, const std::string& sql) -> std::string {
    Result<QueryResult> result = session.Execute(sql);
    return result.ok() ? result->command_tag() : std::string(result.status().sql_state());
  };
  // With no user yet (the trusted set-up) the session may make the first one.
  EXPECT_EQ(run(*session_, "CREATE USER admin WITH PASSWORD 'adm1n' SUPERUSER"), "CREATE ROLE");
  EXPECT_EQ(run(*session_, "CREATE USER bob WITH PASSWORD 'b0b'"), "42501");
  std::unique_ptr<Session> admin = database_->Connect("admin");
  EXPECT_EQ(run(*admin, "CREATE USER bob WITH PASSWORD 'b0b'"), "CREATE ROLE");
  EXPECT_EQ(run(*admin, "CREATE USER bob WITH PASSWORD 'again'"), "42710");
  EXPECT_EQ(run(*admin, "CREATE ROLE readers WITH PASSWORD 'r'"), "CREATE ROLE");
  EXPECT_EQ(run(*admin, "CREATE USER eve"), "0A000");
  EXPECT_EQ(run(*admin, "CREATE USER eve WITH PASSWORD 'e' CREATEDB"), "0A000");
  EXPECT_EQ(run(*admin, "ALTER USER nobody WITH PASSWORD 'x'"), "42704");
  EXPECT_EQ(run(*admin, "ALTER USER bob RENAME TO robert"), "0A000");

  Result<catalog::UserStore*> users = database_->users();
  ASSERT_TRUE(users.ok()) << users.status().ToString();
  EXPECT_TRUE((*users)->CheckPassword("bob", "b0b").ok());
  Result<std::optional<catalog::UserRecord>> readers = (*users)->FindUser("readers");
  ASSERT_TRUE(readers.ok() && readers->has_value());
  EXPECT_FALSE((*readers)->can_login);  // CREATE ROLE, unlike CREATE USER, is NOLOGIN.

  std::unique_ptr<Session> bob = database_->Connect("bob");
  EXPECT_EQ(run(*bob, "ALTER USER bob WITH PASSWORD 'n3w'"), "ALTER ROLE");
  EXPECT_TRUE((*users)->CheckPassword("bob", "n3w").ok());
  EXPECT_EQ(run(*bob, "ALTER USER bob SUPERUSER"), "42501");
  EXPECT_EQ(run(*bob, "ALTER USER admin WITH PASSWORD 'mine'"), "42501");
  EXPECT_EQ(run(*bob, "DROP USER admin"), "42501");

  EXPECT_EQ(run(*admin, "DROP USER admin"), "55006");
  EXPECT_EQ(run(*admin, "DROP USER bob, readers"), "DROP ROLE");
  EXPECT_EQ(run(*admin, "DROP USER IF EXISTS bob"), "DROP ROLE");
  EXPECT_EQ(run(*admin, "DROP USER bob"), "42704");
  EXPECT_FALSE((*users)->CheckPassword("bob", "n3w").ok());
}

TEST_F(SessionTest, RejectsUnsupportedStatementsClearly) {
  Result<QueryResult> result = session_->Execute("WITH w AS (SELECT 1) INSERT INTO t VALUES (1)");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().sql_state(), "0A000");
  EXPECT_NE(result.status().message().find("WITH before INSERT"), std::string::npos);
}

}  // namespace
}  // namespace floe::sql::engine
