#pragma once

#include <memory>
#include <string>

#include "catalog/sql_connection.h"
#include "common/result.h"

namespace floe::catalog {

/// Opens a SQLite database file, creating it and its parent folders when missing, in WAL mode
/// with a busy timeout, so that several processes can share one file: writers wait for each
/// other instead of failing. `path` ":memory:" opens a private in-memory database.
/// Returns Unavailable when the file cannot be opened.
Result<std::unique_ptr<SqlConnection>> OpenSqliteConnection(const std::string& path);

}  // namespace floe::catalog
