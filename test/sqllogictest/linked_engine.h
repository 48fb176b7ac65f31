#pragma once

#include <memory>

#include "sqllogictest/sql_connection.h"

namespace floe::sqllogictest {

/// Returns the connection factory of the SQL engine linked into the `floe_sqllogictest`
/// executable, or nullptr when none is. The SQL engine defines this function in a library
/// target named `floe_sqllogictest_engine`, which the executable links when it exists;
/// otherwise no_engine.cc defines it.
std::unique_ptr<SqlConnectionFactory> MakeLinkedEngineFactory();

}  // namespace floe::sqllogictest
