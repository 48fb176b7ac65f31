#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "sql/parser/deparser.h"
#include "sql/parser/parser.h"

namespace floe::sql::parser {
namespace {

StatementPtr Parse(std::string_view text) {
  Result<StatementPtr> statement = ParseStatement(text);
  EXPECT_TRUE(statement.ok()) << text << ": " << statement.status().ToString();
  return statement.ok() ? std::move(statement).value() : nullptr;
}

template <typename T>
const T& ParseAs(std::string_view text, StatementPtr& holder) {
  holder = Parse(text);
  EXPECT_TRUE(holder != nullptr);
  EXPECT_EQ(holder->kind, T::kKind) << text;
  return holder->As<T>();
}

std::string Canonical(std::string_view text) {
  StatementPtr statement = Parse(text);
  return statement ? ToSql(*statement) : "<error>";
}

Status ErrorOf(std::string_view text) {
  Result<std::vector<ParsedStatement>> statements = ParseStatements(text);
  return statements.ok() ? Status::OK() : statements.status();
}

const SelectBody& SelectOf(const Statement& statement) {
  return statement.As<QueryStatement>().query->body->As<SelectBody>();
}

TEST(ParserStatementTest, SeveralStatementsWithSpans) {
  std::string_view text = " SELECT 1;;\n  select 2 ;  ;";
  Result<std::vector<ParsedStatement>> statements = ParseStatements(text);
  ASSERT_TRUE(statements.ok()) << statements.status().ToString();
  ASSERT_EQ(statements->size(), 2u);
  const ParsedStatement& second = (*statements)[1];
  EXPECT_EQ(text.substr(second.begin, second.end - second.begin), "select 2");
  EXPECT_EQ(text.substr((*statements)[0].begin, (*statements)[0].end - (*statements)[0].begin),
            "SELECT 1");
  EXPECT_TRUE(ParseStatements("").ok());
  EXPECT_TRUE(ParseStatements(" ; -- nothing\n").value().empty());
}

TEST(ParserStatementTest, SyntaxErrorsMatchPostgres) {
  Status status = ErrorOf("SELECT FROM FROM");
  EXPECT_EQ(status.code(), StatusCode::kSyntaxError);
  EXPECT_EQ(status.message(), "syntax error at or near \"FROM\"");
  EXPECT_EQ(status.position(), 13);
  status = ErrorOf("SELECT 1 +");
  EXPECT_EQ(status.message(), "syntax error at end of input");
  EXPECT_EQ(status.position(), 11);
  status = ErrorOf("SELECT 1 +   ");
  EXPECT_EQ(status.position(), 14);
  status = ErrorOf("SELECT é, 1 FROM");
  EXPECT_EQ(status.message(), "syntax error at end of input");
  EXPECT_EQ(status.position(), 17);
  status = ErrorOf("select 1 union");
  EXPECT_EQ(status.position(), 15);
  status = ErrorOf("select 1 as");
  EXPECT_EQ(status.message(), "syntax error at end of input");
  status = ErrorOf("SELECT 1; SELEC 2");
  EXPECT_EQ(status.message(), "syntax error at or near \"SELEC\"");
  EXPECT_EQ(status.position(), 11);
  EXPECT_EQ(ErrorOf("SELECT 1 2").message(), "syntax error at or near \"2\"");
  // Positions PostgreSQL 15 reports for the same statements.
  const std::pair<const char*, int> positions[] = {
      {"SELECT a FROM t GROUP a", 23},
      {"CREATE TABLE t (a int,)", 23},
      {"SELECT CASE WHEN 1 END", 20},
      {"DELETE t", 8},
      {"SELECT f(1,)", 12},
      {"INSERT INTO t VALUES (1", 24},
      {"SELECT a, FROM t", 11},
      {"SELECT interval 'x' day to", 27},
  };
  for (const auto& [sql, position] : positions) {
    EXPECT_EQ(ErrorOf(sql).position(), position) << sql;
  }
  status = ErrorOf("SELECT * FROM t LIMIT 1, 2");
  EXPECT_EQ(status.message(), "LIMIT #,# syntax is not supported");
  EXPECT_EQ(status.hint(), "Use separate LIMIT and OFFSET clauses.");
  EXPECT_EQ(status.position(), 17);
  EXPECT_EQ(ParseStatement("SELECT 1; SELECT 2").status().code(), StatusCode::kSyntaxError);
  EXPECT_TRUE(ParseStatement("SELECT 1;").ok());
  EXPECT_EQ(ErrorOf("SELECT 'it''s' 'x'").message(), "syntax error at or near \"'x'\"");
}

TEST(ParserStatementTest, UnsupportedConstructsAreNamed) {
  struct Case {
    const char* sql;
    const char* message;
    int position;
  };
  const Case cases[] = {
      {"SELECT * FROM t FOR UPDATE", "SELECT ... FOR UPDATE/SHARE (row locking) is not supported",
       17},
      {"SELECT a INTO b FROM t", "SELECT ... INTO (use CREATE TABLE ... AS) is not supported", 10},
      {"SELECT * FROM t ORDER BY a USING <", "ORDER BY ... USING is not supported", 28},
      {"INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING", "INSERT ... ON CONFLICT is not supported",
       26},
      {"VACUUM t",
       "VACUUM (Iceberg table maintenance runs through CALL procedures) is not supported", 1},
      {"CREATE INDEX i ON t (a)", "CREATE INDEX is not supported", 8},
      {"CREATE TEMP TABLE t (a int)", "CREATE temp TABLE is not supported", 8},
      {"SELECT * FROM t TABLESAMPLE SYSTEM (1)", "TABLESAMPLE is not supported", 17},
      {"TRUNCATE t", "TRUNCATE is not supported", 1},
      {"WITH x AS (DELETE FROM t) SELECT 1", "a data-modifying statement in WITH is not supported",
       12},
  };
  for (const Case& c : cases) {
    Status status = ErrorOf(c.sql);
    EXPECT_EQ(status.code(), StatusCode::kNotSupported) << c.sql;
    EXPECT_EQ(status.message(), c.message) << c.sql;
    EXPECT_EQ(status.position(), c.position) << c.sql;
  }
}

TEST(ParserStatementTest, Select) {
  StatementPtr holder;
  const auto& statement = ParseAs<QueryStatement>(
      "SELECT DISTINCT ON (a) a AS x, b y, c \"Z\", t.* FROM s.t AS t (a, b) WHERE a > 1 GROUP BY "
      "a HAVING count(*) > 1 WINDOW w AS (PARTITION BY a) ORDER BY a DESC NULLS LAST LIMIT 10 "
      "OFFSET 5",
      holder);
  const SelectBody& select = statement.query->body->As<SelectBody>();
  EXPECT_EQ(select.distinct, SetQuantifier::kDistinct);
  EXPECT_EQ(select.distinct_on.size(), 1u);
  ASSERT_EQ(select.targets.size(), 4u);
  EXPECT_EQ(select.targets[0].alias, "x");
  EXPECT_EQ(select.targets[1].alias, "y");
  EXPECT_EQ(select.targets[2].alias, "Z");
  EXPECT_EQ(select.targets[3].expression->kind, ExpressionKind::kStar);
  const auto& table = select.from[0]->As<TableNameRef>();
  EXPECT_EQ(table.name, (QualifiedName{"s", "t"}));
  EXPECT_EQ(table.alias.name, "t");
  EXPECT_EQ(table.alias.columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_NE(select.where, nullptr);
  EXPECT_EQ(select.group_by.size(), 1u);
  EXPECT_NE(select.having, nullptr);
  EXPECT_EQ(select.windows[0].name, "w");
  EXPECT_EQ(statement.query->order_by[0].direction, SortDirection::kDescending);
  EXPECT_EQ(statement.query->order_by[0].nulls, NullsOrder::kLast);
  EXPECT_EQ(statement.query->limit->As<ConstantExpression>().text, "10");
  EXPECT_EQ(statement.query->offset->As<ConstantExpression>().text, "5");

  EXPECT_EQ(Canonical("SELECT FROM t"), "SELECT FROM t");
  EXPECT_EQ(Canonical("TABLE s.t"), "SELECT * FROM s.t");
  EXPECT_EQ(Canonical("SELECT 1 LIMIT ALL"), "SELECT 1");
  EXPECT_EQ(Canonical("SELECT 1 OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY"),
            "SELECT 1 LIMIT 3 OFFSET 2");
  EXPECT_EQ(Canonical("SELECT 1 ORDER BY 1 FETCH FIRST ROW WITH TIES"),
            "SELECT 1 ORDER BY 1 FETCH FIRST (1) ROWS WITH TIES");
  EXPECT_EQ(Canonical("select year, month value, name from t"),
            "SELECT year, month AS value, name FROM t");
  // Interval field names cannot be bare labels, as in PostgreSQL.
  EXPECT_EQ(ErrorOf("select 1 day").message(), "syntax error at or near \"day\"");
}

TEST(ParserStatementTest, SetOperationsFollowPrecedence) {
  StatementPtr holder;
  const auto& statement = ParseAs<QueryStatement>(
      "SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4", holder);
  const auto& except = statement.query->body->As<SetOperationBody>();
  EXPECT_EQ(except.op, SetOperator::kExcept);
  EXPECT_TRUE(except.all);
  const auto& union_body = except.left->As<SetOperationBody>();
  EXPECT_EQ(union_body.op, SetOperator::kUnion);
  EXPECT_EQ(union_body.right->As<SetOperationBody>().op, SetOperator::kIntersect);
  EXPECT_EQ(Canonical("(SELECT 1 ORDER BY 1 LIMIT 1) UNION SELECT 2 ORDER BY 1"),
            "((SELECT 1 ORDER BY 1 LIMIT 1)) UNION (SELECT 2) ORDER BY 1");
  EXPECT_EQ(Canonical("((SELECT 1))"), "SELECT 1");
  EXPECT_EQ(Canonical("VALUES (1, 'a'), (2, DEFAULT)"), "VALUES (1, 'a'), (2, DEFAULT)");
}

TEST(ParserStatementTest, With) {
  StatementPtr holder;
  const auto& statement = ParseAs<QueryStatement>(
      "WITH RECURSIVE r (n) AS MATERIALIZED (SELECT 1), s AS NOT MATERIALIZED (SELECT 2) "
      "SELECT * FROM r",
      holder);
  const WithClause& with = *statement.query->with;
  EXPECT_TRUE(with.recursive);
  ASSERT_EQ(with.ctes.size(), 2u);
  EXPECT_EQ(with.ctes[0].columns, (std::vector<std::string>{"n"}));
  EXPECT_EQ(with.ctes[0].materialization, CteMaterialization::kMaterialized);
  EXPECT_EQ(with.ctes[1].materialization, CteMaterialization::kNotMaterialized);
}

TEST(ParserStatementTest, FromClause) {
  StatementPtr holder = Parse(
      "SELECT * FROM a JOIN b USING (id) AS j LEFT OUTER JOIN c ON c.x = j.id "
      "CROSS JOIN d NATURAL RIGHT JOIN e, LATERAL (SELECT 1) s (x), "
      "generate_series(1, 10) WITH ORDINALITY AS g (x, n), read_parquet('s3://b/*.parquet') p, "
      "ONLY f FOR VERSION AS OF 42 v, g FOR TIMESTAMP AS OF TIMESTAMP '2024-01-01', "
      "h FOR SYSTEM_TIME AS OF now(), i FOR SYSTEM_VERSION AS OF 'tag'");
  ASSERT_NE(holder, nullptr);
  const SelectBody& select = SelectOf(*holder);
  ASSERT_EQ(select.from.size(), 8u);
  const auto& natural = select.from[0]->As<JoinRef>();
  EXPECT_TRUE(natural.natural);
  EXPECT_EQ(natural.join_type, JoinType::kRight);
  const auto& cross = natural.left->As<JoinRef>();
  EXPECT_EQ(cross.join_type, JoinType::kCross);
  const auto& left = cross.left->As<JoinRef>();
  EXPECT_EQ(left.join_type, JoinType::kLeft);
  EXPECT_NE(left.condition, nullptr);
  const auto& using_join = left.left->As<JoinRef>();
  EXPECT_EQ(using_join.using_columns, (std::vector<std::string>{"id"}));
  EXPECT_EQ(using_join.using_alias, "j");
  const auto& lateral = select.from[1]->As<SubqueryRef>();
  EXPECT_TRUE(lateral.lateral);
  EXPECT_EQ(lateral.alias.columns, (std::vector<std::string>{"x"}));
  const auto& series = select.from[2]->As<FunctionRef>();
  EXPECT_TRUE(series.with_ordinality);
  EXPECT_EQ(series.call->names, QualifiedName{"generate_series"});
  EXPECT_EQ(series.alias.columns.size(), 2u);
  EXPECT_EQ(select.from[3]->As<FunctionRef>().alias.name, "p");
  const auto& version = select.from[4]->As<TableNameRef>();
  EXPECT_TRUE(version.only);
  EXPECT_EQ(version.time_travel->kind, TimeTravelKind::kVersion);
  EXPECT_EQ(version.alias.name, "v");
  EXPECT_EQ(select.from[5]->As<TableNameRef>().time_travel->kind, TimeTravelKind::kTimestamp);
  EXPECT_EQ(select.from[6]->As<TableNameRef>().time_travel->kind, TimeTravelKind::kTimestamp);
  EXPECT_EQ(select.from[7]->As<TableNameRef>().time_travel->kind, TimeTravelKind::kVersion);
  EXPECT_EQ(Canonical("SELECT * FROM (a JOIN b ON TRUE) AS j"),
            "SELECT * FROM (a JOIN b ON TRUE) AS j");
  EXPECT_EQ(Canonical("SELECT * FROM a JOIN (b JOIN c ON TRUE) ON TRUE"),
            "SELECT * FROM a JOIN (b JOIN c ON TRUE) ON TRUE");
  EXPECT_EQ(Canonical("SELECT * FROM (VALUES (1)) v (x)"), "SELECT * FROM (VALUES (1)) AS v(x)");
  EXPECT_EQ(ErrorOf("SELECT * FROM a JOIN b").message(), "syntax error at end of input");
}

TEST(ParserStatementTest, GroupBy) {
  StatementPtr holder = Parse(
      "SELECT 1 FROM t GROUP BY DISTINCT a, ROLLUP (a, (b, c)), CUBE (d), GROUPING SETS ((a), (), "
      "ROLLUP (e)), ()");
  ASSERT_NE(holder, nullptr);
  const SelectBody& select = SelectOf(*holder);
  EXPECT_EQ(select.group_by_quantifier, SetQuantifier::kDistinct);
  ASSERT_EQ(select.group_by.size(), 5u);
  EXPECT_EQ(select.group_by[1].kind, GroupingKind::kRollup);
  EXPECT_EQ(select.group_by[1].expressions[1]->kind, ExpressionKind::kRow);
  EXPECT_EQ(select.group_by[2].kind, GroupingKind::kCube);
  EXPECT_EQ(select.group_by[3].kind, GroupingKind::kGroupingSets);
  EXPECT_EQ(select.group_by[3].sets[1].kind, GroupingKind::kEmpty);
  EXPECT_EQ(select.group_by[3].sets[2].kind, GroupingKind::kRollup);
  EXPECT_EQ(select.group_by[4].kind, GroupingKind::kEmpty);
}

TEST(ParserStatementTest, Explain) {
  StatementPtr holder;
  const auto& explain = ParseAs<ExplainStatement>("EXPLAIN ANALYZE VERBOSE SELECT 1", holder);
  ASSERT_EQ(explain.options.size(), 2u);
  EXPECT_EQ(explain.options[0].name, "analyze");
  EXPECT_EQ(explain.statement->kind, StatementKind::kQuery);
  EXPECT_EQ(Canonical("EXPLAIN (FORMAT JSON, ANALYZE) DELETE FROM t"),
            "EXPLAIN (format json, analyze) DELETE FROM t");
  EXPECT_EQ(Canonical("EXPLAIN (SELECT 1)"), "EXPLAIN SELECT 1");
  EXPECT_EQ(ErrorOf("EXPLAIN DROP TABLE t").message(), "syntax error at or near \"DROP\"");
}

TEST(ParserStatementTest, Insert) {
  StatementPtr holder;
  const auto& insert = ParseAs<InsertStatement>(
      "WITH x AS (SELECT 1) INSERT INTO s.t AS z (a, b) VALUES (1, DEFAULT), (2, 3) RETURNING a, "
      "*",
      holder);
  EXPECT_NE(insert.with, nullptr);
  EXPECT_EQ(insert.table, (QualifiedName{"s", "t"}));
  EXPECT_EQ(insert.alias, "z");
  EXPECT_EQ(insert.columns, (std::vector<std::string>{"a", "b"}));
  const auto& values = insert.query->body->As<ValuesBody>();
  EXPECT_EQ(values.rows[0][1]->kind, ExpressionKind::kDefault);
  EXPECT_EQ(insert.returning.size(), 2u);
  EXPECT_TRUE(ParseAs<InsertStatement>("INSERT INTO t DEFAULT VALUES", holder).default_values);
  EXPECT_EQ(Canonical("INSERT INTO t (SELECT * FROM u)"), "INSERT INTO t SELECT * FROM u");
  EXPECT_EQ(Canonical("INSERT INTO t (a) SELECT 1 UNION SELECT 2"),
            "INSERT INTO t (a) (SELECT 1) UNION (SELECT 2)");
  EXPECT_EQ(ErrorOf("SELECT DEFAULT").code(), StatusCode::kSyntaxError);
}

TEST(ParserStatementTest, UpdateAndDelete) {
  StatementPtr holder;
  const auto& update = ParseAs<UpdateStatement>(
      "UPDATE t x SET a = DEFAULT, (b, c) = (1, 2), (d, e) = (SELECT 1, 2) FROM u WHERE x.id = "
      "u.id RETURNING a",
      holder);
  EXPECT_EQ(update.alias, "x");
  ASSERT_EQ(update.set.size(), 3u);
  EXPECT_EQ(update.set[0].value->kind, ExpressionKind::kDefault);
  EXPECT_TRUE(update.set[1].is_multi_column);
  EXPECT_EQ(update.set[1].value->kind, ExpressionKind::kRow);
  EXPECT_EQ(update.set[2].value->kind, ExpressionKind::kSubquery);
  EXPECT_EQ(update.from.size(), 1u);
  EXPECT_EQ(update.returning.size(), 1u);
  EXPECT_EQ(ParseAs<UpdateStatement>("UPDATE t SET a = 1", holder).alias, "");
  const auto& del =
      ParseAs<DeleteStatement>("DELETE FROM t AS x USING u, v WHERE x.a = u.a RETURNING *", holder);
  EXPECT_EQ(del.alias, "x");
  EXPECT_EQ(del.using_tables.size(), 2u);
  EXPECT_NE(del.where, nullptr);
}

TEST(ParserStatementTest, Merge) {
  StatementPtr holder;
  const auto& merge = ParseAs<MergeStatement>(
      "MERGE INTO t AS tg USING (SELECT * FROM s) AS src ON tg.id = src.id "
      "WHEN MATCHED AND src.deleted THEN DELETE "
      "WHEN MATCHED THEN UPDATE SET v = src.v, w = DEFAULT "
      "WHEN NOT MATCHED THEN INSERT (id, v) VALUES (src.id, src.v) "
      "WHEN NOT MATCHED BY TARGET AND src.v IS NULL THEN INSERT DEFAULT VALUES "
      "WHEN NOT MATCHED BY SOURCE THEN DO NOTHING",
      holder);
  EXPECT_EQ(merge.alias, "tg");
  EXPECT_EQ(merge.source->kind, TableRefKind::kSubquery);
  ASSERT_EQ(merge.when_clauses.size(), 5u);
  EXPECT_EQ(merge.when_clauses[0].action, MergeAction::kDelete);
  EXPECT_NE(merge.when_clauses[0].condition, nullptr);
  EXPECT_EQ(merge.when_clauses[1].set.size(), 2u);
  EXPECT_EQ(merge.when_clauses[2].match, MergeMatch::kNotMatchedByTarget);
  EXPECT_EQ(merge.when_clauses[2].insert_columns.size(), 2u);
  EXPECT_TRUE(merge.when_clauses[3].insert_default_values);
  EXPECT_EQ(merge.when_clauses[4].match, MergeMatch::kNotMatchedBySource);
  EXPECT_EQ(merge.when_clauses[4].action, MergeAction::kDoNothing);
  EXPECT_EQ(ErrorOf("MERGE INTO t USING s ON true WHEN MATCHED THEN INSERT VALUES (1)").code(),
            StatusCode::kSyntaxError);
}

TEST(ParserStatementTest, CreateTable) {
  StatementPtr holder;
  const auto& create = ParseAs<CreateTableStatement>(
      "CREATE OR REPLACE TABLE IF NOT EXISTS s.t (id bigint NOT NULL PRIMARY KEY, name "
      "varchar(20) DEFAULT 'x' NULL, price decimal(15,2) CHECK (price > 0), ts timestamptz, "
      "CONSTRAINT u UNIQUE (name), FOREIGN KEY (id) REFERENCES o (id)) "
      "PARTITIONED BY (bucket(16, id), day(ts), name, truncate(4, name), void(ts)) "
      "WITH ('format-version' = '2', write.format.default = 'parquet', flag)",
      holder);
  EXPECT_TRUE(create.or_replace);
  EXPECT_TRUE(create.if_not_exists);
  ASSERT_EQ(create.columns.size(), 4u);
  EXPECT_EQ(create.columns[0].nullability, Nullability::kNotNull);
  EXPECT_EQ(create.columns[0].constraints[0].kind, ConstraintKind::kPrimaryKey);
  EXPECT_EQ(create.columns[1].type.names, QualifiedName{"character varying"});
  EXPECT_EQ(create.columns[1].type.modifiers, (std::vector<int32_t>{20}));
  EXPECT_EQ(create.columns[1].nullability, Nullability::kNull);
  EXPECT_NE(create.columns[1].default_value, nullptr);
  EXPECT_EQ(create.columns[2].constraints[0].kind, ConstraintKind::kCheck);
  EXPECT_EQ(create.columns[3].type.names, QualifiedName{"timestamp with time zone"});
  ASSERT_EQ(create.constraints.size(), 2u);
  EXPECT_EQ(create.constraints[0].name, "u");
  EXPECT_EQ(create.constraints[1].kind, ConstraintKind::kForeignKey);
  ASSERT_EQ(create.partition_by.size(), 5u);
  EXPECT_EQ(create.partition_by[0].transform, "bucket");
  EXPECT_EQ(create.partition_by[0].parameter, 16);
  EXPECT_EQ(create.partition_by[1].transform, "day");
  EXPECT_EQ(create.partition_by[2].transform, "identity");
  EXPECT_EQ(create.partition_by[3].parameter, 4);
  ASSERT_EQ(create.properties.size(), 3u);
  EXPECT_EQ(create.properties[0].name, "format-version");
  EXPECT_EQ(create.properties[0].value.text, "2");
  EXPECT_EQ(create.properties[1].name, "write.format.default");
  EXPECT_EQ(create.properties[2].value.kind, OptionValueKind::kNone);

  const auto& as =
      ParseAs<CreateTableStatement>("CREATE TABLE t (a, b) AS SELECT 1, 2 WITH NO DATA", holder);
  EXPECT_EQ(as.as_column_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_NE(as.as_query, nullptr);
  EXPECT_FALSE(as.with_data);
  EXPECT_EQ(ErrorOf("CREATE TABLE t").message(), "syntax error at end of input");
  EXPECT_EQ(ErrorOf("CREATE TABLE t (a int) AS SELECT 1").code(), StatusCode::kSyntaxError);
  EXPECT_EQ(ErrorOf("CREATE TABLE t (a int) PARTITION BY RANGE (a)").code(),
            StatusCode::kNotSupported);
}

TEST(ParserStatementTest, AlterTable) {
  StatementPtr holder;
  const auto& alter = ParseAs<AlterTableStatement>(
      "ALTER TABLE IF EXISTS t ADD COLUMN IF NOT EXISTS c int NOT NULL DEFAULT 0, ADD d text, "
      "DROP COLUMN IF EXISTS e CASCADE, DROP f, ALTER COLUMN g SET DATA TYPE bigint, ALTER h TYPE "
      "text USING h::text, ALTER COLUMN i SET NOT NULL, ALTER COLUMN i DROP NOT NULL, ALTER "
      "COLUMN j SET DEFAULT 1, ALTER COLUMN j DROP DEFAULT, SET (k = 'v'), RESET (k), ADD "
      "PRIMARY KEY (c)",
      holder);
  EXPECT_TRUE(alter.if_exists);
  ASSERT_EQ(alter.actions.size(), 13u);
  const AlterTableActionKind kinds[] = {
      AlterTableActionKind::kAddColumn,       AlterTableActionKind::kAddColumn,
      AlterTableActionKind::kDropColumn,      AlterTableActionKind::kDropColumn,
      AlterTableActionKind::kAlterColumnType, AlterTableActionKind::kAlterColumnType,
      AlterTableActionKind::kSetNotNull,      AlterTableActionKind::kDropNotNull,
      AlterTableActionKind::kSetDefault,      AlterTableActionKind::kDropDefault,
      AlterTableActionKind::kSetOptions,      AlterTableActionKind::kResetOptions,
      AlterTableActionKind::kAddConstraint};
  for (size_t i = 0; i < alter.actions.size(); ++i) {
    EXPECT_EQ(alter.actions[i].kind, kinds[i]) << i;
  }
  EXPECT_TRUE(alter.actions[0].if_not_exists);
  EXPECT_EQ(alter.actions[0].column->name, "c");
  EXPECT_EQ(alter.actions[2].behavior, DropBehavior::kCascade);
  EXPECT_NE(alter.actions[5].expression, nullptr);
  const auto& rename = ParseAs<AlterTableStatement>("ALTER TABLE t RENAME COLUMN a TO b", holder);
  EXPECT_EQ(rename.actions[0].column_name, "a");
  EXPECT_EQ(rename.actions[0].new_name, "b");
  EXPECT_EQ(ParseAs<AlterTableStatement>("ALTER TABLE t RENAME TO u", holder).actions[0].kind,
            AlterTableActionKind::kRenameTable);
  EXPECT_EQ(ErrorOf("ALTER TABLE t RENAME TO u, ADD a int").code(), StatusCode::kSyntaxError);
}

TEST(ParserStatementTest, ViewsSchemasAndDrops) {
  StatementPtr holder;
  std::string_view text = "CREATE OR REPLACE VIEW v (a) AS SELECT x FROM t -- trailing";
  const auto& view = ParseAs<CreateViewStatement>(text, holder);
  EXPECT_TRUE(view.or_replace);
  EXPECT_EQ(view.columns, (std::vector<std::string>{"a"}));
  EXPECT_EQ(view.query_text, "SELECT x FROM t");
  EXPECT_EQ(text.substr(view.query_begin, view.query_end - view.query_begin), "SELECT x FROM t");
  EXPECT_TRUE(
      ParseAs<CreateSchemaStatement>("CREATE SCHEMA IF NOT EXISTS s", holder).if_not_exists);
  const auto& drop = ParseAs<DropStatement>("DROP SCHEMA IF EXISTS a, b CASCADE", holder);
  EXPECT_EQ(drop.object_kind, ObjectKind::kSchema);
  EXPECT_EQ(drop.names.size(), 2u);
  EXPECT_EQ(drop.behavior, DropBehavior::kCascade);
  EXPECT_EQ(ParseAs<DropStatement>("DROP TABLE t RESTRICT", holder).behavior,
            DropBehavior::kRestrict);
  EXPECT_EQ(ParseAs<DropStatement>("DROP VIEW IF EXISTS v", holder).object_kind, ObjectKind::kView);
}

TEST(ParserStatementTest, ShowSetReset) {
  StatementPtr holder;
  EXPECT_EQ(ParseAs<ShowStatement>("SHOW search_path", holder).name, "search_path");
  EXPECT_EQ(ParseAs<ShowStatement>("SHOW ALL", holder).show_kind, ShowKind::kAll);
  EXPECT_EQ(ParseAs<ShowStatement>("SHOW TIME ZONE", holder).name, "timezone");
  EXPECT_EQ(ParseAs<ShowStatement>("SHOW TABLES FROM s", holder).object, QualifiedName{"s"});
  EXPECT_EQ(ParseAs<ShowStatement>("SHOW SCHEMAS", holder).show_kind, ShowKind::kSchemas);
  EXPECT_EQ(ParseAs<ShowStatement>("SHOW COLUMNS FROM s.t", holder).object,
            (QualifiedName{"s", "t"}));
  const auto& set = ParseAs<SetStatement>("SET SESSION search_path = a, 'b'", holder);
  EXPECT_EQ(set.scope, SetScope::kSession);
  ASSERT_EQ(set.values.size(), 2u);
  EXPECT_EQ(set.values[0].kind, OptionValueKind::kIdentifier);
  EXPECT_EQ(set.values[1].kind, OptionValueKind::kString);
  EXPECT_TRUE(ParseAs<SetStatement>("SET LOCAL work_mem TO DEFAULT", holder).is_default);
  const auto& zone = ParseAs<SetStatement>("SET TIME ZONE 'UTC'", holder);
  EXPECT_EQ(zone.name, "timezone");
  EXPECT_EQ(zone.values[0].text, "UTC");
  EXPECT_EQ(ParseAs<SetStatement>("SET statement_timeout = -1", holder).values[0].text, "-1");
  EXPECT_TRUE(ParseAs<ResetStatement>("RESET ALL", holder).all);
  EXPECT_EQ(ParseAs<ResetStatement>("RESET TIME ZONE", holder).name, "timezone");
}

TEST(ParserStatementTest, Transactions) {
  StatementPtr holder;
  const auto& begin = ParseAs<TransactionStatement>(
      "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", holder);
  EXPECT_EQ(begin.transaction_kind, TransactionKind::kBegin);
  EXPECT_EQ(begin.isolation, IsolationLevel::kRepeatableRead);
  EXPECT_EQ(begin.access_mode, AccessMode::kReadOnly);
  EXPECT_EQ(ParseAs<TransactionStatement>("BEGIN WORK", holder).transaction_kind,
            TransactionKind::kBegin);
  EXPECT_EQ(ParseAs<TransactionStatement>("END", holder).transaction_kind,
            TransactionKind::kCommit);
  EXPECT_EQ(ParseAs<TransactionStatement>("ABORT", holder).transaction_kind,
            TransactionKind::kRollback);
  EXPECT_EQ(ErrorOf("ROLLBACK TO SAVEPOINT a").code(), StatusCode::kNotSupported);
}

TEST(ParserStatementTest, PreparedStatements) {
  StatementPtr holder;
  const auto& prepare = ParseAs<PrepareStatement>("PREPARE p (int, text) AS SELECT $1, $2", holder);
  EXPECT_EQ(prepare.name, "p");
  EXPECT_EQ(prepare.parameter_types.size(), 2u);
  EXPECT_EQ(prepare.statement->kind, StatementKind::kQuery);
  EXPECT_EQ(ParseAs<ExecuteStatement>("EXECUTE p (1, 'a')", holder).arguments.size(), 2u);
  EXPECT_EQ(ParseAs<DeallocateStatement>("DEALLOCATE PREPARE p", holder).name, "p");
  EXPECT_TRUE(ParseAs<DeallocateStatement>("DEALLOCATE ALL", holder).all);
}

TEST(ParserStatementTest, Copy) {
  StatementPtr holder;
  const auto& to = ParseAs<CopyStatement>(
      "COPY t (a, b) TO 's3://b/out.parquet' WITH (FORMAT parquet, COMPRESSION 'zstd')", holder);
  EXPECT_EQ(to.direction, CopyDirection::kTo);
  EXPECT_EQ(to.columns.size(), 2u);
  EXPECT_EQ(to.file, "s3://b/out.parquet");
  ASSERT_EQ(to.options.size(), 2u);
  EXPECT_EQ(to.options[0].name, "format");
  EXPECT_EQ(to.options[0].value.text, "parquet");
  const auto& query =
      ParseAs<CopyStatement>("COPY (SELECT 1) TO STDOUT (FORMAT csv, HEADER)", holder);
  EXPECT_NE(query.query, nullptr);
  EXPECT_TRUE(query.is_stdio);
  const auto& legacy =
      ParseAs<CopyStatement>("COPY t FROM STDIN WITH CSV HEADER DELIMITER ';' NULL ''", holder);
  EXPECT_EQ(legacy.direction, CopyDirection::kFrom);
  EXPECT_EQ(ToSql(legacy), "COPY t FROM STDIN WITH (format csv, header, delimiter ';', null '')");
  EXPECT_EQ(ErrorOf("COPY t FROM STDOUT").code(), StatusCode::kSyntaxError);
  EXPECT_EQ(ErrorOf("COPY (SELECT 1) FROM 'x'").code(), StatusCode::kSyntaxError);
}

TEST(ParserStatementTest, CallRolesGrantsComments) {
  StatementPtr holder;
  const auto& call = ParseAs<CallStatement>(
      "CALL system.rewrite_data_files(table => 'db.t', options => 'x')", holder);
  EXPECT_EQ(call.call->names, (QualifiedName{"system", "rewrite_data_files"}));
  EXPECT_EQ(call.call->arguments[0].name, "table");
  const auto& user = ParseAs<CreateRoleStatement>(
      "CREATE USER alice WITH PASSWORD 'secret' NOSUPERUSER LOGIN CONNECTION LIMIT 3", holder);
  EXPECT_TRUE(user.is_user);
  ASSERT_EQ(user.options.size(), 4u);
  EXPECT_EQ(user.options[0].kind, RoleOptionKind::kPassword);
  EXPECT_EQ(user.options[0].value, "secret");
  EXPECT_FALSE(user.options[1].enabled);
  EXPECT_EQ(user.options[3].value, "3");
  EXPECT_EQ(ParseAs<AlterRoleStatement>("ALTER ROLE r RENAME TO s", holder).new_name, "s");
  EXPECT_EQ(ParseAs<AlterRoleStatement>("ALTER USER u PASSWORD 'x'", holder).options.size(), 1u);
  EXPECT_EQ(ParseAs<DropStatement>("DROP USER IF EXISTS a, b", holder).object_kind,
            ObjectKind::kRole);
  const auto& grant = ParseAs<GrantStatement>(
      "GRANT SELECT (a, b), INSERT ON TABLE s.t, u TO alice, PUBLIC WITH GRANT OPTION", holder);
  EXPECT_TRUE(grant.is_grant);
  ASSERT_EQ(grant.privileges.size(), 2u);
  EXPECT_EQ(grant.privileges[0].columns.size(), 2u);
  EXPECT_EQ(grant.objects.size(), 2u);
  EXPECT_EQ(grant.grantees, (std::vector<std::string>{"alice", "public"}));
  EXPECT_TRUE(grant.grant_option);
  EXPECT_EQ(ParseAs<GrantStatement>("GRANT ALL ON ALL TABLES IN SCHEMA s TO r", holder).object_kind,
            ObjectKind::kAllTablesInSchema);
  const auto& revoke =
      ParseAs<GrantStatement>("REVOKE GRANT OPTION FOR USAGE ON SCHEMA s FROM r CASCADE", holder);
  EXPECT_FALSE(revoke.is_grant);
  EXPECT_TRUE(revoke.grant_option);
  EXPECT_EQ(revoke.behavior, DropBehavior::kCascade);
  EXPECT_TRUE(ParseAs<GrantStatement>("GRANT admin TO alice", holder).is_role_membership);
  const auto& comment = ParseAs<CommentStatement>("COMMENT ON COLUMN s.t.c IS 'text'", holder);
  EXPECT_EQ(comment.object_kind, ObjectKind::kColumn);
  EXPECT_EQ(comment.name.size(), 3u);
  EXPECT_TRUE(ParseAs<CommentStatement>("COMMENT ON TABLE t IS NULL", holder).is_null);
  EXPECT_EQ(ParseAs<AnalyzeStatement>("ANALYZE t, s.u", holder).tables.size(), 2u);
  EXPECT_EQ(ParseAs<DiscardStatement>("DISCARD ALL", holder).discard_kind, DiscardKind::kAll);
}

}  // namespace
}  // namespace floe::sql::parser
