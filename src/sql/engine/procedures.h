#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "sql/engine/query_result.h"
#include "sql/engine/table_statements.h"
#include "sql/parser/ast.h"
#include "types/value.h"

namespace floe::sql::engine {

/// One argument of CALL, evaluated: `name` is empty for a positional argument.
struct ProcedureArgument {
  std::string name;
  types::Value value;
};

/// Returns the result columns of the procedure `name` (for describing a CALL before running
/// it). NotFound (42883) naming it for an unknown procedure.
Result<std::vector<ResultColumn>> ProcedureColumns(const parser::QualifiedName& name);

/// Runs `CALL name(arguments)`. The procedures are Iceberg's, as Spark names them:
/// `system.register_table(table, metadata_file)` adds an existing table to the catalog by its
/// metadata file (catalog::TableCatalog::RegisterTable) and returns one row: the current
/// snapshot id and the snapshot summary's total records and data files (NULL when absent).
/// The command tag is "CALL", as PostgreSQL's. Errors: 42883 for an unknown procedure or
/// arguments it does not take; 3F000 for a missing schema; 42P07 when the name is taken; those
/// of RegisterTable.
Result<QueryResult> RunProcedure(TableStatementContext& context, const parser::QualifiedName& name,
                                 std::vector<ProcedureArgument> arguments);

}  // namespace floe::sql::engine
