#pragma once

#include <memory>

#include "server/sql_service.h"

namespace floe::sql::engine {
class Database;
}  // namespace floe::sql::engine

namespace floe::server {

/// Returns the SqlService that runs statements on Floe's own SQL engine over `database`.
std::unique_ptr<SqlService> MakeEngineSqlService(std::shared_ptr<sql::engine::Database> database);

}  // namespace floe::server
