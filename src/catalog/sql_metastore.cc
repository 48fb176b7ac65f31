#include "catalog/sql_metastore.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace floe::catalog {
namespace {

// Separates namespace levels in stored keys, as in the Iceberg REST protocol's encoding.
constexpr char kLevelSeparator = '\x1f';
// How many names a "namespace is not empty" message shows per kind of object.
constexpr int kNamesInMessage = 5;

std::string EncodeNamespace(const Namespace& namespace_name) {
  return fmt::format("{}", fmt::join(namespace_name, std::string_view(&kLevelSeparator, 1)));
}

Namespace ParentOf(const Namespace& namespace_name) {
  return Namespace(namespace_name.begin(), namespace_name.end() - 1);
}

// Page tokens are the last name of the previous page in hex: opaque, and safe in a URL.
std::string EncodePageToken(std::string_view name) {
  std::string token;
  token.reserve(name.size() * 2);
  for (unsigned char byte : name) {
    token += fmt::format("{:02x}", byte);
  }
  return token;
}

Result<std::string> DecodePageToken(std::string_view token) {
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  };
  std::string name;
  for (size_t index = 0; index + 1 < token.size(); index += 2) {
    int high = digit(token[index]);
    int low = digit(token[index + 1]);
    if (high < 0 || low < 0) {
      break;
    }
    name.push_back(static_cast<char>(high * 16 + low));
  }
  if (name.size() * 2 != token.size()) {
    return Status::InvalidArgument("invalid page token: {}", token);
  }
  return name;
}

Status ValidateText(std::string_view kind, std::string_view text, bool is_required) {
  if (is_required && text.empty()) {
    return Status::InvalidArgument("{} must not be empty", kind);
  }
  if (text.find('\0') != std::string_view::npos) {
    return Status::InvalidArgument("{} must not contain a NUL character", kind);
  }
  return Status::OK();
}

Status ValidateDefinition(const ViewDefinition& definition) {
  if (definition.metadata_location.empty() && definition.sql.empty()) {
    return Status::InvalidArgument("a view needs a metadata location or SQL text");
  }
  FLOE_RETURN_NOT_OK(ValidateText("view metadata location", definition.metadata_location, false));
  FLOE_RETURN_NOT_OK(ValidateText("view SQL", definition.sql, false));
  return ValidateText("view schema", definition.schema_json, false);
}

SqlValue NullIfEmpty(const std::string& text) {
  return text.empty() ? SqlValue() : SqlValue(text);
}

// Replaces a unique-key violation reported by the database with the caller's message: it
// happens when a concurrent transaction inserted the same key after this one checked.
Status OnDuplicate(Status status, Status replacement) {
  return status.code() == StatusCode::kAlreadyExists ? replacement : status;
}

// Row locks PostgreSQL needs so that a check and the write it guards see the same state; a
// SQLite write transaction already holds the whole database.
enum class RowLock : unsigned char { kNone, kShare, kUpdate };

std::string WithLock(SqlConnection& connection, std::string_view sql, RowLock lock) {
  if (connection.dialect() != SqlDialect::kPostgres || lock == RowLock::kNone) {
    return std::string(sql);
  }
  return fmt::format("{}{}", sql, lock == RowLock::kShare ? " FOR SHARE" : " FOR UPDATE");
}

// Tables and views are stored alike; these describe where. Only these constants are ever
// formatted into statements: every user value is a parameter.
struct ObjectKind {
  std::string_view noun;
  std::string_view table;
  std::string_view name_column;
};
constexpr ObjectKind kTable{"table", "catalog_tables", "table_name"};
constexpr ObjectKind kView{"view", "catalog_views", "view_name"};

Result<bool> NamespaceExistsIn(SqlConnection& connection, const Namespace& namespace_name,
                               RowLock lock) {
  SqlValue parameters[] = {EncodeNamespace(namespace_name)};
  FLOE_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      connection.Query(
          WithLock(connection, "SELECT 1 FROM catalog_namespaces WHERE namespace_name = $1", lock),
          parameters));
  return !rows.empty();
}

Status RequireNamespace(SqlConnection& connection, const Namespace& namespace_name, RowLock lock) {
  FLOE_ASSIGN_OR_RETURN(bool exists, NamespaceExistsIn(connection, namespace_name, lock));
  if (!exists) {
    return Status::NotFound("namespace {} does not exist", NamespaceToString(namespace_name));
  }
  return Status::OK();
}

// Locks the namespace that is to hold a new table or view name. Tables and views live in two
// tables, so no unique key stops a concurrent table and view of one name on PostgreSQL; taking
// the namespace row exclusively makes such creates and renames take turns.
Status ClaimNameIn(SqlConnection& connection, const Namespace& namespace_name) {
  return RequireNamespace(connection, namespace_name, RowLock::kUpdate);
}

Result<bool> ObjectExists(SqlConnection& connection, const ObjectKind& kind,
                          const TableIdentifier& identifier, RowLock lock) {
  SqlValue parameters[] = {EncodeNamespace(identifier.namespace_name), identifier.name};
  std::string sql = fmt::format("SELECT 1 FROM {} WHERE namespace_name = $1 AND {} = $2",
                                kind.table, kind.name_column);
  FLOE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                        connection.Query(WithLock(connection, sql, lock), parameters));
  return !rows.empty();
}

Status RequireObject(SqlConnection& connection, const ObjectKind& kind,
                     const TableIdentifier& identifier, RowLock lock) {
  FLOE_ASSIGN_OR_RETURN(bool exists, ObjectExists(connection, kind, identifier, lock));
  if (!exists) {
    return Status::NotFound("{} {} does not exist", kind.noun, IdentifierToString(identifier));
  }
  return Status::OK();
}

Status AlreadyExists(const ObjectKind& kind, const TableIdentifier& identifier) {
  return Status::AlreadyExists("{} {} already exists", kind.noun, IdentifierToString(identifier));
}

// Tables and views share one name space: a name is free only when neither holds it.
Status RequireNameFree(SqlConnection& connection, const TableIdentifier& identifier) {
  for (const ObjectKind* kind : {&kTable, &kView}) {
    FLOE_ASSIGN_OR_RETURN(bool exists, ObjectExists(connection, *kind, identifier, RowLock::kNone));
    if (exists) {
      return AlreadyExists(*kind, identifier);
    }
  }
  return Status::OK();
}

Result<std::optional<TableEntry>> FindTable(SqlConnection& connection,
                                            const TableIdentifier& identifier, RowLock lock) {
  SqlValue parameters[] = {EncodeNamespace(identifier.namespace_name), identifier.name};
  FLOE_ASSIGN_OR_RETURN(
      std::vector<SqlRow> rows,
      connection.Query(
          WithLock(connection,
                   "SELECT metadata_location, previous_metadata_location"
                   " FROM catalog_tables WHERE namespace_name = $1 AND table_name = $2",
                   lock),
          parameters));
  if (rows.empty()) {
    return std::optional<TableEntry>();
  }
  return std::optional<TableEntry>(
      TableEntry{identifier, rows[0][0].value_or(""), rows[0][1].value_or("")});
}

// Returns up to page.page_size names of `sql`'s first column after the token, in order. `sql`
// selects with $1 as its filter and compares its name column with $2.
Result<Page<std::string>> ListNames(SqlConnection& connection, std::string_view sql,
                                    const std::string& filter, const PageRequest& page) {
  if (page.page_size < 0) {
    return Status::InvalidArgument("page size must not be negative: {}", page.page_size);
  }
  FLOE_ASSIGN_OR_RETURN(std::string after, DecodePageToken(page.page_token));
  std::string statement(sql);
  std::vector<SqlValue> parameters = {filter, after};
  if (page.page_size > 0) {
    // One row more than asked tells whether another page follows.
    statement += " LIMIT $3";
    parameters.emplace_back(std::to_string(page.page_size + 1));
  }
  FLOE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows, connection.Query(statement, parameters));
  Page<std::string> names;
  for (SqlRow& row : rows) {
    names.items.push_back(row[0].value_or(""));
  }
  if (page.page_size > 0 && names.items.size() > static_cast<size_t>(page.page_size)) {
    names.items.pop_back();
    names.next_page_token = EncodePageToken(names.items.back());
  }
  return names;
}

Result<Page<TableIdentifier>> ListObjects(SqlConnection& connection, const ObjectKind& kind,
                                          const Namespace& namespace_name,
                                          const PageRequest& page) {
  FLOE_RETURN_NOT_OK(RequireNamespace(connection, namespace_name, RowLock::kNone));
  std::string sql =
      fmt::format("SELECT {0} FROM {1} WHERE namespace_name = $1 AND {0} > $2 ORDER BY {0}",
                  kind.name_column, kind.table);
  FLOE_ASSIGN_OR_RETURN(Page<std::string> names,
                        ListNames(connection, sql, EncodeNamespace(namespace_name), page));
  Page<TableIdentifier> identifiers{.items = {}, .next_page_token = names.next_page_token};
  for (std::string& name : names.items) {
    identifiers.items.push_back({namespace_name, std::move(name)});
  }
  return identifiers;
}

// Describes one kind of object a namespace still holds: "2 tables (sales.a, sales.b)".
Result<std::string> DescribeContents(SqlConnection& connection, std::string_view noun,
                                     std::string_view sql, const Namespace& namespace_name) {
  SqlValue parameters[] = {EncodeNamespace(namespace_name)};
  FLOE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows, connection.Query(sql, parameters));
  if (rows.empty()) {
    return std::string();
  }
  std::vector<std::string> names;
  for (size_t index = 0; index < rows.size() && index < kNamesInMessage; ++index) {
    Namespace path = namespace_name;
    path.push_back(rows[index][0].value_or(""));
    names.push_back(NamespaceToString(path));
  }
  if (rows.size() > kNamesInMessage) {
    names.push_back("...");
  }
  return fmt::format("{} {}{} ({})", rows.size(), noun, rows.size() == 1 ? "" : "s",
                     fmt::join(names, ", "));
}

Status RequireEmpty(SqlConnection& connection, const Namespace& namespace_name) {
  const std::pair<std::string_view, std::string_view> queries[] = {
      {"namespace",
       "SELECT level_name FROM catalog_namespaces WHERE parent_name = $1 ORDER BY level_name"},
      {"table",
       "SELECT table_name FROM catalog_tables WHERE namespace_name = $1 ORDER BY table_name"},
      {"view", "SELECT view_name FROM catalog_views WHERE namespace_name = $1 ORDER BY view_name"},
  };
  std::vector<std::string> contents;
  for (const auto& [noun, sql] : queries) {
    FLOE_ASSIGN_OR_RETURN(std::string described,
                          DescribeContents(connection, noun, sql, namespace_name));
    if (!described.empty()) {
      contents.push_back(std::move(described));
    }
  }
  if (contents.empty()) {
    return Status::OK();
  }
  // 2BP01 is PostgreSQL's dependent_objects_still_exist, as for DROP SCHEMA without CASCADE.
  return Status::InvalidArgument("namespace {} is not empty: it still holds {}",
                                 NamespaceToString(namespace_name), fmt::join(contents, ", "))
      .WithSqlState("2BP01");
}

Status InsertProperty(SqlConnection& connection, const std::string& encoded, const std::string& key,
                      const std::string& value) {
  SqlValue parameters[] = {encoded, key, value};
  return connection
      .Execute(
          "INSERT INTO catalog_namespace_properties"
          " (namespace_name, property_key, property_value) VALUES ($1, $2, $3)"
          " ON CONFLICT (namespace_name, property_key)"
          " DO UPDATE SET property_value = excluded.property_value",
          parameters)
      .status();
}

Status ValidateProperties(const std::vector<std::string>& removals, const Properties& updates) {
  for (const std::string& key : removals) {
    FLOE_RETURN_NOT_OK(ValidateName("property key", key));
    if (updates.contains(key)) {
      return Status::InvalidArgument("property {} is both set and removed", key);
    }
  }
  for (const auto& [key, value] : updates) {
    FLOE_RETURN_NOT_OK(ValidateName("property key", key));
    FLOE_RETURN_NOT_OK(ValidateText("property value", value, false));
  }
  return Status::OK();
}

Status RenameObject(SqlConnection& connection, const ObjectKind& kind, const TableIdentifier& from,
                    const TableIdentifier& to) {
  FLOE_RETURN_NOT_OK(RequireObject(connection, kind, from, RowLock::kUpdate));
  FLOE_RETURN_NOT_OK(ClaimNameIn(connection, to.namespace_name));
  FLOE_RETURN_NOT_OK(RequireNameFree(connection, to));
  SqlValue parameters[] = {EncodeNamespace(from.namespace_name), from.name,
                           EncodeNamespace(to.namespace_name), to.name};
  std::string sql = fmt::format(
      "UPDATE {0} SET namespace_name = $3, {1} = $4 WHERE namespace_name = $1 AND {1} = $2",
      kind.table, kind.name_column);
  return OnDuplicate(connection.Execute(sql, parameters).status(), AlreadyExists(kind, to));
}

Status UpsertView(SqlConnection& connection, const TableIdentifier& identifier,
                  const ViewDefinition& definition) {
  SqlValue parameters[] = {EncodeNamespace(identifier.namespace_name), identifier.name,
                           NullIfEmpty(definition.metadata_location), NullIfEmpty(definition.sql),
                           NullIfEmpty(definition.schema_json)};
  return connection
      .Execute(
          "INSERT INTO catalog_views"
          " (namespace_name, view_name, metadata_location, sql_text, schema_json)"
          " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (namespace_name, view_name) DO UPDATE"
          " SET metadata_location = excluded.metadata_location,"
          " sql_text = excluded.sql_text, schema_json = excluded.schema_json",
          parameters)
      .status();
}

class SqlMetastore final : public Metastore {
 public:
  explicit SqlMetastore(std::unique_ptr<ConnectionPool> pool) : pool_(std::move(pool)) {}

  Status CreateNamespace(const Namespace& namespace_name, const Properties& properties) override {
    FLOE_RETURN_NOT_OK(ValidateNamespace(namespace_name));
    FLOE_RETURN_NOT_OK(ValidateProperties({}, properties));
    Status exists =
        Status::AlreadyExists("namespace {} already exists", NamespaceToString(namespace_name));
    return Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      Namespace parent = ParentOf(namespace_name);
      if (!parent.empty()) {
        FLOE_RETURN_NOT_OK(RequireNamespace(connection, parent, RowLock::kShare));
      }
      FLOE_ASSIGN_OR_RETURN(bool found,
                            NamespaceExistsIn(connection, namespace_name, RowLock::kNone));
      if (found) {
        return exists;
      }
      std::string encoded = EncodeNamespace(namespace_name);
      SqlValue parameters[] = {encoded, EncodeNamespace(parent), namespace_name.back()};
      FLOE_RETURN_NOT_OK(OnDuplicate(
          connection
              .Execute("INSERT INTO catalog_namespaces (namespace_name, parent_name, level_name)"
                       " VALUES ($1, $2, $3)",
                       parameters)
              .status(),
          exists));
      for (const auto& [key, value] : properties) {
        FLOE_RETURN_NOT_OK(InsertProperty(connection, encoded, key, value));
      }
      return Status::OK();
    });
  }

  Result<Properties> LoadNamespace(const Namespace& namespace_name) override {
    FLOE_RETURN_NOT_OK(ValidateNamespace(namespace_name));
    Properties properties;
    FLOE_RETURN_NOT_OK(Run(TransactionMode::kRead, [&](SqlConnection& connection) -> Status {
      FLOE_RETURN_NOT_OK(RequireNamespace(connection, namespace_name, RowLock::kNone));
      SqlValue parameters[] = {EncodeNamespace(namespace_name)};
      FLOE_ASSIGN_OR_RETURN(
          std::vector<SqlRow> rows,
          connection.Query("SELECT property_key, property_value FROM catalog_namespace_properties"
                           " WHERE namespace_name = $1",
                           parameters));
      for (SqlRow& row : rows) {
        properties.emplace(row[0].value_or(""), row[1].value_or(""));
      }
      return Status::OK();
    }));
    return properties;
  }

  Result<bool> NamespaceExists(const Namespace& namespace_name) override {
    FLOE_RETURN_NOT_OK(ValidateNamespace(namespace_name));
    bool exists = false;
    FLOE_RETURN_NOT_OK(Run(TransactionMode::kRead, [&](SqlConnection& connection) -> Status {
      FLOE_ASSIGN_OR_RETURN(exists, NamespaceExistsIn(connection, namespace_name, RowLock::kNone));
      return Status::OK();
    }));
    return exists;
  }

  Result<Page<Namespace>> ListNamespaces(const Namespace& parent,
                                         const PageRequest& page) override {
    if (!parent.empty()) {
      FLOE_RETURN_NOT_OK(ValidateNamespace(parent));
    }
    Page<std::string> names;
    FLOE_RETURN_NOT_OK(Run(TransactionMode::kRead, [&](SqlConnection& connection) -> Status {
      if (!parent.empty()) {
        FLOE_RETURN_NOT_OK(RequireNamespace(connection, parent, RowLock::kNone));
      }
      FLOE_ASSIGN_OR_RETURN(names, ListNames(connection,
                                             "SELECT level_name FROM catalog_namespaces"
                                             " WHERE parent_name = $1 AND level_name > $2"
                                             " ORDER BY level_name",
                                             EncodeNamespace(parent), page));
      return Status::OK();
    }));
    Page<Namespace> children{.items = {}, .next_page_token = names.next_page_token};
    for (std::string& name : names.items) {
      children.items.push_back(parent);
      children.items.back().push_back(std::move(name));
    }
    return children;
  }

  Status DropNamespace(const Namespace& namespace_name) override {
    FLOE_RETURN_NOT_OK(ValidateNamespace(namespace_name));
    return Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      FLOE_RETURN_NOT_OK(RequireNamespace(connection, namespace_name, RowLock::kUpdate));
      FLOE_RETURN_NOT_OK(RequireEmpty(connection, namespace_name));
      SqlValue parameters[] = {EncodeNamespace(namespace_name)};
      FLOE_RETURN_NOT_OK(
          connection
              .Execute("DELETE FROM catalog_namespace_properties WHERE namespace_name = $1",
                       parameters)
              .status());
      return connection
          .Execute("DELETE FROM catalog_namespaces WHERE namespace_name = $1", parameters)
          .status();
    });
  }

  Result<PropertiesUpdate> UpdateNamespaceProperties(const Namespace& namespace_name,
                                                     const std::vector<std::string>& removals,
                                                     const Properties& updates) override {
    FLOE_RETURN_NOT_OK(ValidateNamespace(namespace_name));
    FLOE_RETURN_NOT_OK(ValidateProperties(removals, updates));
    PropertiesUpdate outcome;
    FLOE_RETURN_NOT_OK(Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      outcome = {};
      FLOE_RETURN_NOT_OK(RequireNamespace(connection, namespace_name, RowLock::kUpdate));
      std::string encoded = EncodeNamespace(namespace_name);
      for (const std::string& key : removals) {
        SqlValue parameters[] = {encoded, key};
        FLOE_ASSIGN_OR_RETURN(int64_t removed,
                              connection.Execute("DELETE FROM catalog_namespace_properties"
                                                 " WHERE namespace_name = $1 AND property_key = $2",
                                                 parameters));
        (removed > 0 ? outcome.removed : outcome.missing).push_back(key);
      }
      for (const auto& [key, value] : updates) {
        FLOE_RETURN_NOT_OK(InsertProperty(connection, encoded, key, value));
        outcome.updated.push_back(key);
      }
      return Status::OK();
    }));
    std::sort(outcome.removed.begin(), outcome.removed.end());
    std::sort(outcome.missing.begin(), outcome.missing.end());
    return outcome;
  }

  Status CreateTable(const TableIdentifier& identifier,
                     std::string_view metadata_location) override {
    return InsertTable(identifier, metadata_location);
  }

  Status RegisterTable(const TableIdentifier& identifier,
                       std::string_view metadata_location) override {
    return InsertTable(identifier, metadata_location);
  }

  Result<TableEntry> LoadTable(const TableIdentifier& identifier) override {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
    std::optional<TableEntry> entry;
    FLOE_RETURN_NOT_OK(Run(TransactionMode::kRead, [&](SqlConnection& connection) -> Status {
      FLOE_ASSIGN_OR_RETURN(entry, FindTable(connection, identifier, RowLock::kNone));
      return Status::OK();
    }));
    if (!entry) {
      return Status::NotFound("table {} does not exist", IdentifierToString(identifier));
    }
    return std::move(*entry);
  }

  Result<bool> TableExists(const TableIdentifier& identifier) override {
    return Exists(kTable, identifier);
  }

  Result<Page<TableIdentifier>> ListTables(const Namespace& namespace_name,
                                           const PageRequest& page) override {
    return List(kTable, namespace_name, page);
  }

  Status RenameTable(const TableIdentifier& from, const TableIdentifier& to) override {
    return Rename(kTable, from, to);
  }

  Result<TableEntry> DropTable(const TableIdentifier& identifier) override {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
    std::optional<TableEntry> entry;
    FLOE_RETURN_NOT_OK(Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      FLOE_ASSIGN_OR_RETURN(entry, FindTable(connection, identifier, RowLock::kUpdate));
      if (!entry) {
        return Status::NotFound("table {} does not exist", IdentifierToString(identifier));
      }
      SqlValue parameters[] = {EncodeNamespace(identifier.namespace_name), identifier.name};
      return connection
          .Execute("DELETE FROM catalog_tables WHERE namespace_name = $1 AND table_name = $2",
                   parameters)
          .status();
    }));
    return std::move(*entry);
  }

  Status CommitTable(const TableIdentifier& identifier, std::string_view expected_location,
                     std::string_view new_location) override {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
    FLOE_RETURN_NOT_OK(ValidateText("metadata location", new_location, true));
    FLOE_RETURN_NOT_OK(ValidateText("expected metadata location", expected_location, true));
    return Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      // One conditional UPDATE is the compare-and-swap: PostgreSQL re-checks the condition on
      // the latest row version after waiting for a concurrent writer, and SQLite runs writers
      // one at a time, so exactly one of several racing commits changes the row.
      SqlValue parameters[] = {EncodeNamespace(identifier.namespace_name), identifier.name,
                               std::string(expected_location), std::string(new_location)};
      FLOE_ASSIGN_OR_RETURN(int64_t changed,
                            connection.Execute("UPDATE catalog_tables SET metadata_location = $4,"
                                               " previous_metadata_location = metadata_location"
                                               " WHERE namespace_name = $1 AND table_name = $2"
                                               " AND metadata_location = $3",
                                               parameters));
      if (changed == 1) {
        return Status::OK();
      }
      FLOE_ASSIGN_OR_RETURN(std::optional<TableEntry> entry,
                            FindTable(connection, identifier, RowLock::kNone));
      if (!entry) {
        return Status::NotFound("table {} does not exist", IdentifierToString(identifier));
      }
      return Status::Conflict(
          "table {} was changed concurrently: its metadata location is {}, not the expected {}",
          IdentifierToString(identifier), entry->metadata_location, expected_location);
    });
  }

  Status CreateView(const TableIdentifier& identifier, const ViewDefinition& definition) override {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
    FLOE_RETURN_NOT_OK(ValidateDefinition(definition));
    return Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      FLOE_RETURN_NOT_OK(ClaimNameIn(connection, identifier.namespace_name));
      FLOE_RETURN_NOT_OK(RequireNameFree(connection, identifier));
      SqlValue parameters[] = {EncodeNamespace(identifier.namespace_name), identifier.name,
                               NullIfEmpty(definition.metadata_location),
                               NullIfEmpty(definition.sql), NullIfEmpty(definition.schema_json)};
      return OnDuplicate(
          connection
              .Execute("INSERT INTO catalog_views"
                       " (namespace_name, view_name, metadata_location, sql_text, schema_json)"
                       " VALUES ($1, $2, $3, $4, $5)",
                       parameters)
              .status(),
          AlreadyExists(kView, identifier));
    });
  }

  Status ReplaceView(const TableIdentifier& identifier, const ViewDefinition& definition) override {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
    FLOE_RETURN_NOT_OK(ValidateDefinition(definition));
    return Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      FLOE_RETURN_NOT_OK(ClaimNameIn(connection, identifier.namespace_name));
      FLOE_ASSIGN_OR_RETURN(bool is_table,
                            ObjectExists(connection, kTable, identifier, RowLock::kNone));
      if (is_table) {
        return AlreadyExists(kTable, identifier);
      }
      return UpsertView(connection, identifier, definition);
    });
  }

  Status CommitView(const TableIdentifier& identifier, std::string_view expected_location,
                    std::string_view new_location) override {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
    FLOE_RETURN_NOT_OK(ValidateText("view metadata location", new_location, true));
    FLOE_RETURN_NOT_OK(ValidateText("expected view metadata location", expected_location, false));
    return Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      // As CommitTable: one conditional UPDATE is the compare-and-swap.
      SqlValue parameters[] = {EncodeNamespace(identifier.namespace_name), identifier.name,
                               std::string(new_location), std::string(expected_location)};
      FLOE_ASSIGN_OR_RETURN(
          int64_t changed,
          connection.Execute("UPDATE catalog_views SET metadata_location = $3, sql_text = NULL,"
                             " schema_json = NULL WHERE namespace_name = $1 AND view_name = $2"
                             " AND COALESCE(metadata_location, '') = $4",
                             parameters));
      if (changed == 1) {
        return Status::OK();
      }
      SqlValue key[] = {EncodeNamespace(identifier.namespace_name), identifier.name};
      FLOE_ASSIGN_OR_RETURN(std::vector<SqlRow> rows,
                            connection.Query("SELECT metadata_location FROM catalog_views"
                                             " WHERE namespace_name = $1 AND view_name = $2",
                                             key));
      if (rows.empty()) {
        return Status::NotFound("view {} does not exist", IdentifierToString(identifier));
      }
      return Status::Conflict(
          "view {} was changed concurrently: its metadata location is {}, not the expected {}",
          IdentifierToString(identifier), rows[0][0].value_or("(none)"),
          expected_location.empty() ? std::string_view("(none)") : expected_location);
    });
  }

  Result<ViewEntry> LoadView(const TableIdentifier& identifier) override {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
    std::vector<SqlRow> rows;
    FLOE_RETURN_NOT_OK(Run(TransactionMode::kRead, [&](SqlConnection& connection) -> Status {
      SqlValue parameters[] = {EncodeNamespace(identifier.namespace_name), identifier.name};
      FLOE_ASSIGN_OR_RETURN(
          rows, connection.Query("SELECT metadata_location, sql_text, schema_json FROM"
                                 " catalog_views WHERE namespace_name = $1 AND view_name = $2",
                                 parameters));
      return Status::OK();
    }));
    if (rows.empty()) {
      return Status::NotFound("view {} does not exist", IdentifierToString(identifier));
    }
    return ViewEntry{identifier,
                     {rows[0][0].value_or(""), rows[0][1].value_or(""), rows[0][2].value_or("")}};
  }

  Result<Page<TableIdentifier>> ListViews(const Namespace& namespace_name,
                                          const PageRequest& page) override {
    return List(kView, namespace_name, page);
  }

  Status RenameView(const TableIdentifier& from, const TableIdentifier& to) override {
    return Rename(kView, from, to);
  }

  Status DropView(const TableIdentifier& identifier) override {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
    return Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      SqlValue parameters[] = {EncodeNamespace(identifier.namespace_name), identifier.name};
      FLOE_ASSIGN_OR_RETURN(int64_t removed,
                            connection.Execute("DELETE FROM catalog_views WHERE namespace_name = $1"
                                               " AND view_name = $2",
                                               parameters));
      if (removed == 0) {
        return Status::NotFound("view {} does not exist", IdentifierToString(identifier));
      }
      return Status::OK();
    });
  }

  Status CheckHealth() override {
    return Run(TransactionMode::kRead, [](SqlConnection& connection) -> Status {
      return connection.Query("SELECT 1", {}).status();
    });
  }

  Result<std::vector<AppliedMigration>> AppliedMigrations() override {
    std::vector<AppliedMigration> migrations;
    FLOE_RETURN_NOT_OK(Run(TransactionMode::kRead, [&](SqlConnection& connection) -> Status {
      FLOE_ASSIGN_OR_RETURN(migrations, ListAppliedMigrations(connection));
      return Status::OK();
    }));
    return migrations;
  }

 private:
  using Body = std::function<Status(SqlConnection&)>;

  // Runs `body` in one transaction. A connection found broken when the transaction begins (the
  // server restarted since it was last used) is replaced and the transaction begun again;
  // nothing has been done at that point, so retrying is safe.
  Status Run(TransactionMode mode, const Body& body) {
    Status begun;
    for (int attempt = 0; attempt <= pool_->max_connections(); ++attempt) {
      FLOE_ASSIGN_OR_RETURN(PooledConnection connection, pool_->Acquire());
      begun = connection->Begin(mode);
      if (begun.ok()) {
        return Finish(*connection, body(*connection));
      }
      if (!connection->IsBroken()) {
        return begun;
      }
    }
    return begun;
  }

  static Status Finish(SqlConnection& connection, Status status) {
    if (status.ok()) {
      status = connection.Commit();
    }
    if (!status.ok()) {
      // The first error is the one worth reporting; a failed rollback also ends the transaction.
      (void)connection.Rollback();
    }
    return status;
  }

  Status InsertTable(const TableIdentifier& identifier, std::string_view metadata_location) {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
    FLOE_RETURN_NOT_OK(ValidateText("metadata location", metadata_location, true));
    return Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      FLOE_RETURN_NOT_OK(ClaimNameIn(connection, identifier.namespace_name));
      FLOE_RETURN_NOT_OK(RequireNameFree(connection, identifier));
      SqlValue parameters[] = {EncodeNamespace(identifier.namespace_name), identifier.name,
                               std::string(metadata_location)};
      return OnDuplicate(
          connection
              .Execute("INSERT INTO catalog_tables (namespace_name, table_name, metadata_location)"
                       " VALUES ($1, $2, $3)",
                       parameters)
              .status(),
          AlreadyExists(kTable, identifier));
    });
  }

  Result<bool> Exists(const ObjectKind& kind, const TableIdentifier& identifier) {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(identifier));
    bool exists = false;
    FLOE_RETURN_NOT_OK(Run(TransactionMode::kRead, [&](SqlConnection& connection) -> Status {
      FLOE_ASSIGN_OR_RETURN(exists, ObjectExists(connection, kind, identifier, RowLock::kNone));
      return Status::OK();
    }));
    return exists;
  }

  Result<Page<TableIdentifier>> List(const ObjectKind& kind, const Namespace& namespace_name,
                                     const PageRequest& page) {
    FLOE_RETURN_NOT_OK(ValidateNamespace(namespace_name));
    Page<TableIdentifier> identifiers;
    FLOE_RETURN_NOT_OK(Run(TransactionMode::kRead, [&](SqlConnection& connection) -> Status {
      FLOE_ASSIGN_OR_RETURN(identifiers, ListObjects(connection, kind, namespace_name, page));
      return Status::OK();
    }));
    return identifiers;
  }

  Status Rename(const ObjectKind& kind, const TableIdentifier& from, const TableIdentifier& to) {
    FLOE_RETURN_NOT_OK(ValidateIdentifier(from));
    FLOE_RETURN_NOT_OK(ValidateIdentifier(to));
    return Run(TransactionMode::kWrite, [&](SqlConnection& connection) -> Status {
      return RenameObject(connection, kind, from, to);
    });
  }

  std::unique_ptr<ConnectionPool> pool_;
};

}  // namespace

std::unique_ptr<Metastore> MakeSqlMetastore(std::unique_ptr<ConnectionPool> pool) {
  return std::make_unique<SqlMetastore>(std::move(pool));
}

}  // namespace floe::catalog
