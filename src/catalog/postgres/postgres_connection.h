#pragma once

#include <memory>
#include <string>

#include "catalog/sql_connection.h"
#include "common/result.h"

namespace floe::catalog {

/// Opens a connection to PostgreSQL from a libpq URI ("postgresql://user:password@host:port/db").
/// Returns Unavailable when the server cannot be reached and InvalidArgument for a malformed
/// URI; no message ever holds the URI's password.
Result<std::unique_ptr<SqlConnection>> OpenPostgresConnection(const std::string& uri);

}  // namespace floe::catalog
