#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/identifier.h"
#include "catalog/table_catalog.h"
#include "common/result.h"
#include "sql/binder/binder.h"
#include "sql/engine/table_statements.h"
#include "sql/execution/expression.h"
#include "table/table.h"

namespace floe::sql::engine {

/// A table a statement writes: where the metastore holds it and its version when read.
struct TargetTable {
  catalog::TableIdentifier identifier;
  table::Table table;
};

/// Returns the catalog of the database's Iceberg tables, under its warehouse.
Result<std::unique_ptr<catalog::TableCatalog>> OpenTableCatalog(Database& database);

/// Resolves the name of a relation about to be made (`purpose`: "create in", "register in")
/// along the search path: 3F000 when no schema is selected or the schema does not exist. Does
/// not check whether the name is free.
Result<catalog::TableIdentifier> NewRelationIdentifier(TableStatementContext& context,
                                                       const parser::QualifiedName& name,
                                                       std::string_view purpose);

/// Finds the Iceberg table `name` names along the search path. NotFound (42P01) otherwise.
Result<TargetTable> LoadTargetTable(TableStatementContext& context,
                                    const parser::QualifiedName& name);

/// Runs `bound` and converts its columns to the table's columns `target_columns` (indices into
/// the current schema's top-level fields, one per query column; the others get NULL) with
/// assignment casts, checking NOT NULL columns, then appends the rows in one commit. Returns
/// the rows written.
Result<int64_t> InsertBoundRows(TableStatementContext& context, const TargetTable& target,
                                binder::BoundQuery bound, const std::vector<int>& target_columns);

/// Binds `expressions` (WHERE conditions, SET values) over the top-level columns of `schema`,
/// visible under `alias`: column references of the results are positions in a batch of those
/// columns. NotSupported for expressions that need a plan of their own (subqueries).
Result<std::vector<execution::ExpressionPtr>> BindRowExpressions(
    TableStatementContext& context, const table::Schema& schema, const std::string& alias,
    const std::vector<const parser::Expression*>& expressions);

}  // namespace floe::sql::engine
