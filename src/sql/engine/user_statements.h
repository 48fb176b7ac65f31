#pragma once

#include <string>

#include "catalog/user_store.h"
#include "common/result.h"
#include "sql/engine/query_result.h"
#include "sql/parser/ast.h"

namespace floe::sql::engine {

// CREATE, ALTER and DROP of users (and roles, which PostgreSQL treats as the same thing) over
// the metastore's users, which the server authenticates against (docs/sql.md, "Users").
// Only a superuser may run them once any user exists; before that, on the trusted embedded
// set-up, they are how the first user is made. Errors are PostgreSQL's: 42710 for a role that
// exists, 42704 for one that does not, 42501 without the privilege, 0A000 for role options Floe
// does not keep.

/// CREATE USER|ROLE name [WITH] PASSWORD 'p' [SUPERUSER|NOSUPERUSER] [LOGIN|NOLOGIN].
Result<QueryResult> RunCreateRole(catalog::UserStore& users, const std::string& session_user,
                                  const parser::CreateRoleStatement& statement);
/// ALTER USER|ROLE name [WITH] PASSWORD 'p' | SUPERUSER | NOSUPERUSER | LOGIN | NOLOGIN ...
Result<QueryResult> RunAlterRole(catalog::UserStore& users, const std::string& session_user,
                                 const parser::AlterRoleStatement& statement);
/// DROP USER|ROLE [IF EXISTS] name [, ...].
Result<QueryResult> RunDropRoles(catalog::UserStore& users, const std::string& session_user,
                                 const parser::DropStatement& statement);

}  // namespace floe::sql::engine
