#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "sql/binder/binder.h"
#include "sql/engine/database.h"
#include "sql/engine/engine_catalog.h"
#include "sql/engine/query_result.h"
#include "sql/parser/ast.h"
#include "types/value.h"
#include "vector/batch.h"

namespace floe::sql::engine {

/// What DDL and DML statements on Iceberg tables need from the session running them.
struct TableStatementContext {
  Database& database;
  EngineCatalog& catalog;
  /// Binds a query of the statement (INSERT ... SELECT, CREATE TABLE ... AS).
  std::function<Result<binder::BoundQuery>(const parser::Query&)> bind;
  /// Runs a bound query and hands each result batch, in order, to `consume`.
  std::function<Status(binder::BoundQuery, const std::function<Status(const vector::Batch&)>&)> run;
  int64_t statement_time_micros = 0;
  /// The session's time zone (null: UTC).
  const types::TimeZone* time_zone = nullptr;
  /// The values of `$n` placeholders, as the client sent them.
  std::span<const types::Value> parameters = {};
  /// The types PREPARE or the client declared for the placeholders; may be shorter or empty.
  std::vector<types::LogicalType> parameter_types = {};
};

/// CREATE TABLE [IF NOT EXISTS] t (...) [PARTITIONED BY (...)] [WITH (...)] [AS query]: one
/// new Iceberg table, then for AS one append commit. Types map as docs/sql.md describes.
Result<QueryResult> RunCreateTable(TableStatementContext& context,
                                   const parser::CreateTableStatement& statement);
/// ALTER TABLE t ADD/DROP/RENAME COLUMN, ALTER COLUMN TYPE, SET (...), RESET (...), RENAME TO.
Result<QueryResult> RunAlterTable(TableStatementContext& context,
                                  const parser::AlterTableStatement& statement);
/// INSERT INTO t [(columns)] query: one append commit; tag "INSERT 0 n".
Result<QueryResult> RunInsert(TableStatementContext& context,
                              const parser::InsertStatement& statement);
/// Hands the rows of COPY ... FROM to `consume` as batches of VARCHAR columns, one per column
/// of `columns` (the target columns' names), in PostgreSQL's text form.
using CopyRowsSource =
    std::function<Status(const std::vector<std::string>& columns,
                         const std::function<Status(const vector::Batch&)>& consume)>;
/// COPY t [(columns)] FROM: converts the text values `produce` gives with the columns' input
/// rules and appends them in one commit; the other columns get NULL. Returns the rows written.
Result<int64_t> CopyIntoTable(TableStatementContext& context, const parser::QualifiedName& table,
                              const std::vector<std::string>& columns,
                              const CopyRowsSource& produce);
/// DELETE FROM t [USING ...] [WHERE ...]: one commit; tag "DELETE n".
Result<QueryResult> RunDelete(TableStatementContext& context,
                              const parser::DeleteStatement& statement);
/// UPDATE t SET ... [FROM ...] [WHERE ...]: one commit; tag "UPDATE n".
Result<QueryResult> RunUpdate(TableStatementContext& context,
                              const parser::UpdateStatement& statement);
/// MERGE INTO t USING source ON ... WHEN ...: PostgreSQL's semantics (the first WHEN clause of
/// a row's kind whose condition holds acts; a target row changed twice is 21000), one commit
/// whose mode `write.merge.mode` chooses; tag "MERGE n" (rows inserted, updated and deleted).
Result<QueryResult> RunMerge(TableStatementContext& context,
                             const parser::MergeStatement& statement);

}  // namespace floe::sql::engine
