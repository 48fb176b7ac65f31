#pragma once

#include <string>

#include "common/result.h"
#include "testing/postgres/postgres_server.h"

namespace floe::catalog {

/// Returns the PostgreSQL server this test binary started once, before its first test; an
/// error when none could be started (NotFound when PostgreSQL is not installed).
Result<test::PostgresServer*> SharedPostgresServer();

/// Returns the URI of a new, empty database on the shared server.
Result<std::string> CreateTestDatabase();

}  // namespace floe::catalog
