#include "sql/engine/user_statements.h"

#include <optional>

#include <fmt/format.h>

namespace floe::sql::engine {
namespace {

Status CheckMayManageRoles(catalog::UserStore& users, const std::string& session_user,
                           std::string_view action) {
  FLOE_ASSIGN_OR_RETURN(int64_t count, users.CountUsers());
  if (count == 0) {
    return Status::OK();  // No users yet: the trusted set-up, where the first one is made.
  }
  FLOE_ASSIGN_OR_RETURN(std::optional<catalog::UserRecord> user, users.FindUser(session_user));
  if (user.has_value() && user->is_superuser) {
    return Status::OK();
  }
  return Status::PermissionDenied("permission denied to {} role", action).WithSqlState("42501");
}

// The settings a statement's options give; NotSupported for those Floe does not keep.
struct RoleChanges {
  std::optional<std::string> password;
  std::optional<bool> is_superuser;
  std::optional<bool> can_login;
};

Result<RoleChanges> ReadOptions(const std::vector<parser::RoleOption>& options) {
  RoleChanges changes;
  for (const parser::RoleOption& option : options) {
    switch (option.kind) {
      case parser::RoleOptionKind::kPassword:
        if (option.is_null) {
          return Status::NotSupported("PASSWORD NULL: every Floe user has a password");
        }
        changes.password = option.value;
        break;
      case parser::RoleOptionKind::kSuperuser:
        changes.is_superuser = option.enabled;
        break;
      case parser::RoleOptionKind::kLogin:
        changes.can_login = option.enabled;
        break;
      case parser::RoleOptionKind::kCreateDb:
        return Status::NotSupported("role option CREATEDB");
      case parser::RoleOptionKind::kCreateRole:
        return Status::NotSupported("role option CREATEROLE (only superusers manage users)");
      case parser::RoleOptionKind::kInherit:
        return Status::NotSupported("role option INHERIT");
      case parser::RoleOptionKind::kReplication:
        return Status::NotSupported("role option REPLICATION");
      case parser::RoleOptionKind::kBypassRls:
        return Status::NotSupported("role option BYPASSRLS");
      case parser::RoleOptionKind::kConnectionLimit:
        return Status::NotSupported("role option CONNECTION LIMIT");
      case parser::RoleOptionKind::kValidUntil:
        return Status::NotSupported("role option VALID UNTIL");
    }
  }
  return changes;
}

Status RoleError(const Status& status, const std::string& name) {
  if (status.code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("role \"{}\" already exists", name).WithSqlState("42710");
  }
  if (status.code() == StatusCode::kNotFound) {
    return Status::NotFound("role \"{}\" does not exist", name).WithSqlState("42704");
  }
  return status;
}

}  // namespace

Result<QueryResult> RunCreateRole(catalog::UserStore& users, const std::string& session_user,
                                  const parser::CreateRoleStatement& statement) {
  FLOE_RETURN_NOT_OK(CheckMayManageRoles(users, session_user, "create"));
  FLOE_ASSIGN_OR_RETURN(RoleChanges changes, ReadOptions(statement.options));
  if (!changes.password.has_value() || changes.password->empty()) {
    return Status::NotSupported(
        "a user without a password; give PASSWORD '...' (Floe users log in with one)");
  }
  catalog::UserOptions options;
  options.is_superuser = changes.is_superuser.value_or(false);
  // As in PostgreSQL, CREATE USER may log in by default and CREATE ROLE may not.
  options.can_login = changes.can_login.value_or(statement.is_user);
  FLOE_RETURN_NOT_OK(
      RoleError(users.CreateUser(statement.name, *changes.password, options), statement.name));
  return QueryResult::Command("CREATE ROLE");
}

Result<QueryResult> RunAlterRole(catalog::UserStore& users, const std::string& session_user,
                                 const parser::AlterRoleStatement& statement) {
  if (!statement.new_name.empty()) {
    return Status::NotSupported("ALTER ROLE ... RENAME TO");
  }
  FLOE_ASSIGN_OR_RETURN(RoleChanges changes, ReadOptions(statement.options));
  // As in PostgreSQL, users may change their own password; everything else needs a superuser.
  bool is_own_password = statement.name == session_user && changes.password.has_value() &&
                         !changes.is_superuser.has_value() && !changes.can_login.has_value();
  if (!is_own_password) {
    FLOE_RETURN_NOT_OK(CheckMayManageRoles(users, session_user, "alter"));
  }
  FLOE_ASSIGN_OR_RETURN(std::optional<catalog::UserRecord> user, users.FindUser(statement.name));
  if (!user.has_value()) {
    return RoleError(Status::NotFound(""), statement.name);
  }
  if (changes.password.has_value()) {
    FLOE_RETURN_NOT_OK(
        RoleError(users.SetPassword(statement.name, *changes.password), statement.name));
  }
  if (changes.is_superuser.has_value()) {
    FLOE_RETURN_NOT_OK(
        RoleError(users.SetSuperuser(statement.name, *changes.is_superuser), statement.name));
  }
  if (changes.can_login.has_value()) {
    FLOE_RETURN_NOT_OK(
        RoleError(users.SetCanLogin(statement.name, *changes.can_login), statement.name));
  }
  return QueryResult::Command("ALTER ROLE");
}

Result<QueryResult> RunDropRoles(catalog::UserStore& users, const std::string& session_user,
                                 const parser::DropStatement& statement) {
  FLOE_RETURN_NOT_OK(CheckMayManageRoles(users, session_user, "drop"));
  QueryResult result = QueryResult::Command("DROP ROLE");
  for (const parser::QualifiedName& name : statement.names) {
    const std::string& role = name.back();
    if (role == session_user) {
      return Status::InvalidArgument("current user cannot be dropped").WithSqlState("55006");
    }
    Status dropped = users.DropUser(role);
    if (dropped.code() == StatusCode::kNotFound && statement.if_exists) {
      result.AddNotice(fmt::format("role \"{}\" does not exist, skipping", role));
      continue;
    }
    FLOE_RETURN_NOT_OK(RoleError(dropped, role));
  }
  return result;
}

}  // namespace floe::sql::engine
