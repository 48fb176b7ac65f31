#pragma once

#include <memory>

#include "catalog/connection_pool.h"
#include "catalog/metastore.h"

namespace floe::catalog {

/// Returns the metastore that keeps its state in the database behind `pool`, whose schema
/// must already be migrated. One implementation serves both dialects: statements are written
/// once, with dialect-specific row locks only where PostgreSQL needs them.
std::unique_ptr<Metastore> MakeSqlMetastore(std::unique_ptr<ConnectionPool> pool);

}  // namespace floe::catalog
