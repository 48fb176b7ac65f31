#include "sql/parser/deparser.h"

#include <string>

#include <gtest/gtest.h>

#include "sql/parser/parser.h"

namespace floe::sql::parser {
namespace {

// Parses, prints, parses the print and prints again: both prints must agree, so the printed
// text means the same tree as the original.
void ExpectRoundTrip(std::string_view text) {
  Result<std::vector<ParsedStatement>> first = ParseStatements(text);
  ASSERT_TRUE(first.ok()) << text << ": " << first.status().ToString();
  for (const ParsedStatement& parsed : *first) {
    std::string printed = ToSql(*parsed.statement);
    Result<StatementPtr> second = ParseStatement(printed);
    ASSERT_TRUE(second.ok()) << printed << ": " << second.status().ToString();
    EXPECT_EQ(ToSql(**second), printed) << text;
  }
}

TEST(DeparserTest, QuotesIdentifiersOnlyWhenNeeded) {
  EXPECT_EQ(QuoteIdentifier("abc"), "abc");
  EXPECT_EQ(QuoteIdentifier("year"), "year");
  EXPECT_EQ(QuoteIdentifier("select"), "\"select\"");
  EXPECT_EQ(QuoteIdentifier("Abc"), "\"Abc\"");
  EXPECT_EQ(QuoteIdentifier("a b"), "\"a b\"");
  EXPECT_EQ(QuoteIdentifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(QuoteIdentifier("1a"), "\"1a\"");
  EXPECT_EQ(QuoteString("it's"), "'it''s'");
  EXPECT_EQ(QuoteString("a\\b"), "'a\\b'");
}

TEST(DeparserTest, PrintsCanonicalSql) {
  Result<StatementPtr> statement =
      ParseStatement("select A, \"B\" from T where x = 'it''s' and y::int > -1");
  ASSERT_TRUE(statement.ok());
  EXPECT_EQ(ToSql(**statement),
            "SELECT a, \"B\" FROM t WHERE ((x = 'it''s') AND ((y)::integer > (-1)))");
  Result<ExpressionPtr> expression = ParseExpression("E'line\\nbreak' || $$dollar's$$");
  ASSERT_TRUE(expression.ok());
  EXPECT_EQ(ToSql(**expression), "('line\nbreak' || 'dollar''s')");
}

TEST(DeparserTest, RoundTripsEveryStatementKind) {
  const char* statements[] = {
      "SELECT -2 ^ 2, a OR b AND c, NOT a = b, a::int + 1, x BETWEEN 1 AND 2 AND y, - -x",
      "SELECT 1 - -2, 3 + +4, a*-1, a @- b, |/ 16, a !~* 'x', b->>'k', c #> '{a}'",
      "SELECT t.*, count(*) FILTER (WHERE x > 1) OVER (PARTITION BY a ORDER BY b ROWS BETWEEN "
      "UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE TIES), string_agg(x, ',' ORDER BY y) FROM t "
      "WINDOW w AS (PARTITION BY a), w2 AS (w ORDER BY b)",
      "SELECT f(a => 1), extract(epoch from ts), substring(s from 2 for 3), substring(s for 2), "
      "substring(s, 1), position('a' in s), trim(leading 'x' from s), trim(s), "
      "trim(both from s, 'y'), overlay(s placing 'ab' from 2), coalesce(a, b), nullif(a, b)",
      "SELECT current_date, current_time(2), user, array[1, 2], array[[1], [2]], array(select 1), "
      "row(1, 2), row(), (1, 2), x[1], x[1:2], x[:3], x[2:], (x).f, ts at time zone 'UTC', "
      "s collate \"C\", (a).b[1]",
      "SELECT date '2020-01-01', interval '1' day, interval '1:2' minute to second(3), "
      "timestamp(3) '2020-01-01', double precision '1.5', int '1', char(3) 'abc', x::bit(3), "
      "x::bit varying(5), x::numeric, x::my_schema.my_type(1, 2), x::\"Weird Type\"[][]",
      "SELECT * FROM t1 JOIN t2 USING (id) AS j LEFT JOIN t3 ON t3.x = j.id CROSS JOIN t4 "
      "NATURAL FULL JOIN t5, LATERAL (SELECT 1) s (x), generate_series(1, 10) WITH ORDINALITY "
      "AS g (x, n), read_parquet('s3://b/*.parquet') p, ONLY t6 FOR VERSION AS OF 123 v, "
      "t7 FOR TIMESTAMP AS OF now() - interval '1 day', (t9 JOIN t10 ON true) AS jj, "
      "iceberg_scan('s3://b/t', allow_moved_paths => false) FOR VERSION AS OF 5 i, "
      "a JOIN (b JOIN c ON true) ON true",
      "SELECT a, sum(b) FROM t GROUP BY ALL rollup(a, (b, c)), cube(d), grouping sets ((a), (), "
      "a, cube (a)), () HAVING count(*) > 1 ORDER BY 1 DESC NULLS FIRST LIMIT 1 OFFSET 2",
      "WITH RECURSIVE r(n) AS NOT MATERIALIZED (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE "
      "n < 10) SELECT * FROM r",
      "(SELECT 1 ORDER BY 1 LIMIT 1) UNION ALL SELECT 2 INTERSECT DISTINCT SELECT 3 EXCEPT "
      "VALUES (4) ORDER BY 1 FETCH FIRST 2 ROWS WITH TIES",
      "SELECT DISTINCT ON (a) a FROM t; SELECT ALL a FROM t; SELECT DISTINCT a FROM t",
      "SELECT (SELECT 1) + 1, ((SELECT 1) + 1) * 2, a IN ((SELECT 1) UNION (SELECT 2)), "
      "a = ANY (SELECT 1), a < ALL (ARRAY[1]), EXISTS (SELECT 1), (a, b) NOT IN (SELECT 1, 2)",
      "SELECT CASE WHEN a THEN 1 ELSE 2 END, CASE a WHEN 1 THEN 2 END, a IS NOT NULL, a ISNULL, "
      "a IS DISTINCT FROM b, a IS TRUE, a NOT LIKE 'x' ESCAPE 'y', a SIMILAR TO 'z'",
      "SELECT 0x10, 1_000, 1.5e10, .5, 'a'\n'b', $1, \"select\", \"a\"\"b\", \"Ab\"",
      "EXPLAIN ANALYZE VERBOSE SELECT 1; EXPLAIN (FORMAT JSON, COSTS false) INSERT INTO t "
      "VALUES (1)",
      "INSERT INTO s.t AS x (a, b) VALUES (1, DEFAULT), (2, 3) RETURNING *, a AS y; INSERT INTO "
      "t DEFAULT VALUES; INSERT INTO t (SELECT 1) RETURNING 1",
      "UPDATE t AS x SET a = 1, (b, c) = (2, DEFAULT), (d) = (SELECT 1), (e, f) = ROW(1, 2) "
      "FROM u WHERE x.id = u.id RETURNING a",
      "DELETE FROM t AS x USING u WHERE x.id = u.id RETURNING *",
      "MERGE INTO t tg USING s ON tg.id = s.id WHEN MATCHED AND s.d THEN DELETE WHEN MATCHED "
      "THEN UPDATE SET v = s.v WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id) WHEN NOT "
      "MATCHED BY SOURCE THEN UPDATE SET v = 0 WHEN NOT MATCHED THEN INSERT DEFAULT VALUES",
      "CREATE SCHEMA IF NOT EXISTS s; DROP SCHEMA IF EXISTS a, b CASCADE",
      "CREATE OR REPLACE TABLE IF NOT EXISTS s.t (id bigint NOT NULL PRIMARY KEY, name "
      "varchar(20) DEFAULT 'x' COLLATE \"C\", p numeric(15, 2) CHECK (p > 0) REFERENCES u (x), "
      "CONSTRAINT pk PRIMARY KEY (id), UNIQUE (name), FOREIGN KEY (p) REFERENCES v, CHECK (id "
      "> 0)) PARTITIONED BY (bucket(16, id), day(ts), name) WITH ('format-version' = '2', "
      "write.format.default = parquet, x)",
      "CREATE TABLE t2 AS SELECT 1 WITH NO DATA; CREATE TABLE t3 (a, b) AS VALUES (1, 2); "
      "CREATE TABLE t4 ()",
      "ALTER TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c int DEFAULT 0, DROP COLUMN IF EXISTS "
      "d CASCADE, ALTER COLUMN e SET DATA TYPE bigint, ALTER f TYPE text USING f::text, ALTER "
      "COLUMN g SET NOT NULL, ALTER g DROP NOT NULL, ALTER h SET DEFAULT 1, ALTER h DROP "
      "DEFAULT, SET (k = 'v'), RESET (k, a.b), ADD CONSTRAINT c UNIQUE (a)",
      "ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE t RENAME TO u",
      "CREATE OR REPLACE VIEW v (a, b) AS SELECT 1, 2; DROP VIEW IF EXISTS v, w RESTRICT",
      "SHOW search_path; SHOW ALL; SHOW TABLES; SHOW TABLES IN s; SHOW SCHEMAS; SHOW COLUMNS "
      "FROM s.t; SHOW TIME ZONE; SHOW \"time\"",
      "SET search_path = a, b; SET SESSION work_mem TO '1MB'; SET LOCAL x = DEFAULT; SET TIME "
      "ZONE 'UTC'; SET TIME ZONE LOCAL; SET x = -1.5; SET \"transaction\" = on",
      "RESET ALL; RESET search_path; RESET TIME ZONE",
      "BEGIN; START TRANSACTION ISOLATION LEVEL READ COMMITTED READ WRITE DEFERRABLE; COMMIT; "
      "END; ROLLBACK; ABORT",
      "PREPARE p (int, text) AS SELECT $1, $2; EXECUTE p (1, 'a'); DEALLOCATE p; DEALLOCATE ALL",
      "COPY t (a, b) TO 'out.parquet' (FORMAT parquet); COPY (SELECT 1) TO STDOUT WITH CSV "
      "HEADER; COPY t FROM STDIN; COPY BINARY t FROM 'x'",
      "CALL system.expire_snapshots('t', older_than => timestamp '2020-01-01')",
      "CREATE USER alice WITH PASSWORD 'x' SUPERUSER NOLOGIN VALID UNTIL 'infinity'; CREATE ROLE "
      "r; ALTER USER alice PASSWORD NULL; ALTER ROLE r RENAME TO r2; DROP USER IF EXISTS a, b",
      "GRANT SELECT, INSERT (a) ON t, s.u TO alice, PUBLIC WITH GRANT OPTION; GRANT ALL ON "
      "SCHEMA s TO r; REVOKE GRANT OPTION FOR SELECT ON ALL TABLES IN SCHEMA s FROM a RESTRICT; "
      "GRANT r TO a WITH ADMIN OPTION; REVOKE ADMIN OPTION FOR r FROM a",
      "COMMENT ON TABLE t IS 'x'; COMMENT ON COLUMN s.t.c IS NULL; ANALYZE; ANALYZE VERBOSE t; "
      "DISCARD PLANS",
      "SELECT \"rollup\"(a), \"unbounded\", \"filter\" FROM \"recursive\" GROUP BY \"cube\"(b)",
      "WITH \"recursive\" AS (SELECT 1) SELECT sum(x) OVER (ROWS \"unbounded\" PRECEDING) FROM "
      "\"recursive\"",
  };
  for (const char* statement : statements) {
    ExpectRoundTrip(statement);
  }
}

}  // namespace
}  // namespace floe::sql::parser
