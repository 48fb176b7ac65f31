#include "sql/engine/system_catalog.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <tuple>
#include <utility>

#include "catalog/user_store.h"
#include "sql/binder/binder.h"
#include "sql/functions/function_registry.h"
#include "sql/functions/pg_types.h"
#include "sql/parser/deparser.h"
#include "sql/parser/parser.h"
#include "table/table_metadata.h"

namespace floe::sql::engine {
namespace {

using types::LogicalType;
using types::TypeId;
using types::Value;
using Row = std::vector<Value>;
using Rows = std::vector<Row>;

constexpr std::string_view kPgCatalog = "pg_catalog";
constexpr std::string_view kInformationSchema = "information_schema";
constexpr std::string_view kDatabaseName = "floe";

// OIDs (docs/sql.md, "Catalog views"): types keep PostgreSQL's; pg_catalog, public and the
// owning role keep theirs (11, 2200, 10); every other object gets 16385 plus a hash of its
// kind and qualified name, so an OID is the same in every process and stays put while the
// object keeps its name, without the metastore storing one.
constexpr int32_t kPgCatalogOid = 11;
constexpr int32_t kPublicOid = 2200;
constexpr int32_t kInformationSchemaOid = 13000;
constexpr int32_t kOwnerOid = 10;
constexpr std::string_view kOwnerName = "floe";
constexpr int32_t kFirstObjectOid = 16384;
constexpr int32_t kDatabaseOid = 16384;
constexpr int32_t kHeapAccessMethodOid = 2;
constexpr int32_t kBtreeAccessMethodOid = 403;
constexpr int32_t kUtf8Encoding = 6;

int32_t HashOid(std::string_view kind, std::string_view name) {
  // 32-bit FNV-1a: simple, stable across builds and platforms.
  uint32_t hash = 2166136261u;
  auto mix = [&hash](std::string_view text) {
    for (char c : text) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 16777619u;
    }
  };
  mix(kind);
  mix(":");
  mix(name);
  return kFirstObjectOid + 1 + static_cast<int32_t>(hash % (2147483647u - kFirstObjectOid - 1));
}

int32_t NamespaceOid(std::string_view schema) {
  if (schema == kPgCatalog) {
    return kPgCatalogOid;
  }
  if (schema == "public") {
    return kPublicOid;
  }
  if (schema == kInformationSchema) {
    return kInformationSchemaOid;
  }
  return HashOid("namespace", schema);
}

int32_t RelationOid(std::string_view schema, std::string_view name) {
  return HashOid("relation", std::string(schema) + "." + std::string(name));
}

Value Text(std::string_view text) {
  return Value::Varchar(std::string(text));
}
Value Int(int32_t value) {
  return Value::Integer(value);
}
Value Bool(bool value) {
  return Value::Boolean(value);
}
Value NullText() {
  return Value::Null(LogicalType::Varchar());
}
Value NullInt() {
  return Value::Null(LogicalType::Integer());
}
Value NullTextArray() {
  return Value::Null(LogicalType::List(LogicalType::Varchar()));
}
Value YesNo(bool value) {
  return Text(value ? "YES" : "NO");
}

// As PostgreSQL's quote_ident: a name that is not all lower-case letters, digits and
// underscores (not starting with a digit) is double-quoted.
std::string QuoteIdentifier(std::string_view name) {
  bool is_plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    is_plain = is_plain && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  }
  if (is_plain) {
    return std::string(name);
  }
  std::string quoted = "\"";
  for (char c : name) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

// Column type codes of the relations below: 'o' oid and 'i' integer (both integer), 's'
// smallint, 't' text and 'c' "char" (both text), 'b' boolean, 'r' real, 'a' text[], 'O' oid[]
// (and oidvector), 'S' smallint[] (and int2vector).
LogicalType ColumnType(char code) {
  switch (code) {
    case 'O':
      return LogicalType::List(LogicalType::Integer());
    case 'S':
      return LogicalType::List(LogicalType::SmallInt());
    case 'o':
    case 'i':
      return LogicalType::Integer();
    case 's':
      return LogicalType::SmallInt();
    case 'b':
      return LogicalType::Boolean();
    case 'r':
      return LogicalType::Real();
    case 'a':
      return LogicalType::List(LogicalType::Varchar());
    default:
      return LogicalType::Varchar();
  }
}

// A table or view of the metastore, or a relation of this file.
struct CatalogRelation {
  std::string schema;
  std::string name;
  bool is_view = false;
  std::string view_sql;
  std::vector<binder::SourceColumn> columns;
  /// Iceberg's required columns, which hold no NULLs (views know of none).
  std::vector<std::string> required_columns;

  bool IsRequired(const std::string& column) const {
    return std::find(required_columns.begin(), required_columns.end(), column) !=
           required_columns.end();
  }
};

class RowBuilder;

struct RelationSpec {
  std::string_view schema;
  std::string_view name;
  bool is_view;  // As in PostgreSQL: information_schema's relations and some of pg_catalog's.
  std::vector<std::pair<std::string_view, char>> columns;
  Result<Rows> (RowBuilder::*rows)();
};

const std::vector<RelationSpec>& Specs();

std::vector<binder::SourceColumn> SpecColumns(const RelationSpec& spec) {
  std::vector<binder::SourceColumn> columns;
  for (const auto& [name, code] : spec.columns) {
    columns.push_back({std::string(name), ColumnType(code)});
  }
  return columns;
}

// True while the columns of a user view are being derived: a view over these relations must
// not derive itself again.
thread_local bool describing_relations = false;

// Lists the metastore's namespaces, tables and views once per statement, and computes each
// system relation's rows from them.
class RowBuilder {
 public:
  RowBuilder(Database& database, const SessionContext& session, binder::CatalogAccessor& resolver)
      : database_(database), session_(session), resolver_(resolver) {}

  Result<Rows> Schemata() {
    FLOE_RETURN_NOT_OK(LoadNames());
    Rows rows;
    for (const std::string& schema : schemas_) {
      rows.push_back({Text(kDatabaseName), Text(schema), Text(kOwnerName), NullText(), NullText(),
                      NullText(), NullText()});
    }
    return rows;
  }

  Result<Rows> Tables() {
    FLOE_RETURN_NOT_OK(LoadNames());
    Rows rows;
    for (const CatalogRelation& relation : relations_) {
      rows.push_back({Text(kDatabaseName), Text(relation.schema), Text(relation.name),
                      Text(relation.is_view ? "VIEW" : "BASE TABLE"), NullText(), NullText(),
                      NullText(), NullText(), NullText(), YesNo(false), YesNo(false), NullText()});
    }
    return rows;
  }

  Result<Rows> Columns() {
    FLOE_RETURN_NOT_OK(LoadColumns());
    Rows rows;
    for (const CatalogRelation& relation : relations_) {
      for (size_t i = 0; i < relation.columns.size(); ++i) {
        const LogicalType& type = relation.columns[i].type;
        int32_t oid = PgTypeOid(type);
        const PgType* pg_type = FindPgType(oid);
        bool is_array = pg_type != nullptr && pg_type->category == 'A';
        rows.push_back({Text(kDatabaseName),
                        Text(relation.schema),
                        Text(relation.name),
                        Text(relation.columns[i].name),
                        Int(static_cast<int32_t>(i + 1)),
                        NullText(),
                        YesNo(!relation.IsRequired(relation.columns[i].name)),
                        Text(is_array ? "ARRAY" : FormatPgType(oid, -1)),
                        NullInt(),
                        OctetLength(type),
                        NumericPrecision(type),
                        NumericRadix(type),
                        NumericScale(type),
                        DatetimePrecision(type),
                        Text(kDatabaseName),
                        Text(kPgCatalog),
                        Text(pg_type == nullptr ? "text" : pg_type->name),
                        Text(std::to_string(i + 1)),
                        YesNo(false),
                        Text("NEVER"),
                        YesNo(!relation.is_view)});
      }
    }
    return rows;
  }

  Result<Rows> Views() {
    FLOE_RETURN_NOT_OK(LoadNames());
    Rows rows;
    for (const CatalogRelation& relation : relations_) {
      if (!relation.is_view || relation.schema == kPgCatalog ||
          relation.schema == kInformationSchema) {
        continue;
      }
      rows.push_back({Text(kDatabaseName), Text(relation.schema), Text(relation.name),
                      Text(relation.view_sql), Text("NONE"), YesNo(false), YesNo(false),
                      YesNo(false), YesNo(false), YesNo(false)});
    }
    return rows;
  }

  Result<Rows> Namespaces() {
    FLOE_RETURN_NOT_OK(LoadNames());
    Rows rows;
    for (const std::string& schema : schemas_) {
      rows.push_back({Int(NamespaceOid(schema)), Text(schema), Int(kOwnerOid), NullTextArray()});
    }
    return rows;
  }

  Result<Rows> Classes() {
    FLOE_RETURN_NOT_OK(LoadColumns());
    Rows rows;
    for (const CatalogRelation& relation : relations_) {
      rows.push_back({Int(RelationOid(relation.schema, relation.name)),
                      Text(relation.name),
                      Int(NamespaceOid(relation.schema)),
                      Int(0),
                      Int(0),
                      Int(kOwnerOid),
                      Int(relation.is_view ? 0 : kHeapAccessMethodOid),
                      Int(0),
                      Int(0),
                      Int(0),
                      Value::Real(-1),
                      Int(0),
                      Int(0),
                      Bool(false),
                      Bool(false),
                      Text("p"),
                      Text(relation.is_view ? "v" : "r"),
                      Value::SmallInt(static_cast<int16_t>(relation.columns.size())),
                      Value::SmallInt(0),
                      Bool(relation.is_view),
                      Bool(false),
                      Bool(false),
                      Bool(false),
                      Bool(false),
                      Bool(true),
                      Text(relation.is_view ? "n" : "d"),
                      Bool(false),
                      Int(0),
                      NullTextArray(),
                      NullTextArray(),
                      NullText()});
    }
    return rows;
  }

  Result<Rows> Attributes() {
    FLOE_RETURN_NOT_OK(LoadColumns());
    Rows rows;
    for (const CatalogRelation& relation : relations_) {
      for (size_t i = 0; i < relation.columns.size(); ++i) {
        const LogicalType& type = relation.columns[i].type;
        int32_t oid = PgTypeOid(type);
        const PgType* pg_type = FindPgType(oid);
        bool is_string = type.id() == TypeId::kVarchar;
        rows.push_back({Int(RelationOid(relation.schema, relation.name)),
                        Text(relation.columns[i].name),
                        Int(oid),
                        Int(-1),
                        Value::SmallInt(pg_type == nullptr ? -1 : pg_type->length),
                        Value::SmallInt(static_cast<int16_t>(i + 1)),
                        Int(type.id() == TypeId::kList ? 1 : 0),
                        Int(PgTypeModifier(type)),
                        Bool(pg_type != nullptr && pg_type->by_value),
                        Text(Alignment(pg_type)),
                        Text(Storage(type, pg_type)),
                        Text(""),
                        Bool(relation.IsRequired(relation.columns[i].name)),
                        Bool(false),
                        Bool(false),
                        Text(""),
                        Text(""),
                        Bool(false),
                        Bool(true),
                        Int(0),
                        Int(is_string ? 100 : 0),
                        NullTextArray(),
                        NullTextArray()});
      }
    }
    return rows;
  }

  Result<Rows> Types() {
    Rows rows;
    for (const PgType& type : PgTypes()) {
      rows.push_back({Int(type.oid),
                      Text(type.name),
                      Int(kPgCatalogOid),
                      Int(kOwnerOid),
                      Value::SmallInt(type.length),
                      Bool(type.by_value),
                      Text(type.category == 'P' ? "p" : "b"),
                      Text(std::string(1, type.category)),
                      Bool(false),
                      Bool(true),
                      Text(","),
                      Int(0),
                      Int(type.element_oid),
                      Int(type.array_oid),
                      Bool(false),
                      Int(0),
                      Int(-1),
                      Int(0),
                      Int(type.category == 'S' ? 100 : 0),
                      NullText()});
    }
    return rows;
  }

  Result<Rows> Databases() {
    return Rows{{Int(kDatabaseOid), Text(kDatabaseName), Int(kOwnerOid), Int(kUtf8Encoding),
                 Text("c"), Bool(false), Bool(true), Int(-1), Text("C"), Text("C"), NullText(),
                 NullText(), NullTextArray()}};
  }

  Result<Rows> Settings() {
    SessionSettings defaults;
    Rows rows;
    for (const auto& [name, value] : session_.settings.All()) {
      Result<std::string> boot = defaults.Get(name);
      Value boot_value = boot.ok() ? Text(*boot) : NullText();
      rows.push_back({Text(name), Text(value), NullText(), Text("Floe"), Text(""), Text("user"),
                      Text("string"), Text(boot.ok() && *boot == value ? "default" : "session"),
                      boot_value, boot_value, Bool(false)});
    }
    return rows;
  }

  Result<Rows> Empty() { return Rows{}; }

  Result<std::vector<std::pair<int32_t, bool>>> RelationVisibility() {
    FLOE_RETURN_NOT_OK(LoadNames());
    std::vector<std::string> path = {std::string(kPgCatalog)};
    for (const std::string& schema : session_.settings.SearchPath()) {
      path.push_back(schema);
    }
    // The first schema of the path holding each name.
    std::map<std::string, size_t, std::less<>> first;
    for (const CatalogRelation& relation : relations_) {
      auto position = std::find(path.begin(), path.end(), relation.schema);
      if (position == path.end()) {
        continue;
      }
      size_t index = static_cast<size_t>(position - path.begin());
      auto [entry, is_new] = first.emplace(relation.name, index);
      if (!is_new) {
        entry->second = std::min(entry->second, index);
      }
    }
    std::vector<std::pair<int32_t, bool>> relations;
    for (const CatalogRelation& relation : relations_) {
      auto entry = first.find(relation.name);
      bool is_visible = entry != first.end() && path[entry->second] == relation.schema;
      relations.emplace_back(RelationOid(relation.schema, relation.name), is_visible);
    }
    return relations;
  }

  Result<std::vector<binder::RegObject>> RegObjects(std::string_view type) {
    std::vector<binder::RegObject> objects;
    if (type == "regclass") {
      FLOE_ASSIGN_OR_RETURN(auto visibility, RelationVisibility());
      for (size_t i = 0; i < relations_.size(); ++i) {
        const CatalogRelation& relation = relations_[i];
        std::string printed = QuoteIdentifier(relation.name);
        if (!visibility[i].second) {
          printed = QuoteIdentifier(relation.schema) + "." + printed;
        }
        objects.push_back({visibility[i].first, relation.schema, relation.name, printed});
      }
    } else if (type == "regnamespace") {
      FLOE_RETURN_NOT_OK(LoadNames());
      for (const std::string& schema : schemas_) {
        objects.push_back({NamespaceOid(schema), "", schema, QuoteIdentifier(schema)});
      }
    } else if (type == "regrole") {
      FLOE_ASSIGN_OR_RETURN(std::vector<Role> roles, RoleList());
      for (const Role& role : roles) {
        objects.push_back({role.oid, "", role.name, QuoteIdentifier(role.name)});
      }
    }
    return objects;
  }

  Result<std::vector<std::pair<int32_t, int64_t>>> RelationSizes() {
    FLOE_RETURN_NOT_OK(LoadNames());
    std::vector<std::pair<int32_t, int64_t>> sizes;
    for (const CatalogRelation& relation : relations_) {
      if (relation.is_view || SystemCatalog::IsSystemSchema(relation.schema)) {
        continue;
      }
      FLOE_ASSIGN_OR_RETURN(std::optional<binder::RelationInfo> info,
                            resolver_.FindRelation({relation.schema, relation.name}));
      int64_t size = 0;
      if (info.has_value() && info->iceberg_table != nullptr &&
          info->iceberg_table->metadata != nullptr) {
        const table::Snapshot* snapshot = info->iceberg_table->metadata->CurrentSnapshot();
        if (snapshot != nullptr) {
          auto found = snapshot->summary.find("total-files-size");
          if (found != snapshot->summary.end()) {
            size = std::strtoll(found->second.c_str(), nullptr, 10);
          }
        }
      }
      sizes.emplace_back(RelationOid(relation.schema, relation.name), size);
    }
    return sizes;
  }

  Result<std::vector<std::pair<int32_t, std::string>>> ViewDefinitions() {
    FLOE_RETURN_NOT_OK(LoadNames());
    std::vector<std::pair<int32_t, std::string>> views;
    for (const CatalogRelation& relation : relations_) {
      if (relation.is_view && !relation.view_sql.empty()) {
        views.emplace_back(RelationOid(relation.schema, relation.name), relation.view_sql);
      }
    }
    return views;
  }

  Result<Rows> Collations() {
    // Strings compare bytewise whatever the collation says, which is what C and POSIX mean.
    Rows rows;
    for (const auto& [oid, name, provider] :
         {std::tuple{100, "default", "d"}, {950, "C", "c"}, {951, "POSIX", "c"}}) {
      rows.push_back({Int(oid), Text(name), Int(kPgCatalogOid), Int(kOwnerOid), Text(provider),
                      Bool(true), Int(-1), oid == 100 ? NullText() : Text(name),
                      oid == 100 ? NullText() : Text(name)});
    }
    return rows;
  }

  Result<Rows> Roles() {
    FLOE_ASSIGN_OR_RETURN(std::vector<Role> roles, RoleList());
    Rows rows;
    for (const Role& role : roles) {
      rows.push_back({Text(role.name), Bool(role.is_superuser), Bool(true), Bool(role.is_superuser),
                      Bool(role.is_superuser), Bool(role.can_login), Bool(false), Int(-1),
                      Text("********"), NullText(), Bool(role.is_superuser), NullTextArray(),
                      Int(role.oid)});
    }
    return rows;
  }

  Result<Rows> Users() {
    FLOE_ASSIGN_OR_RETURN(std::vector<Role> roles, RoleList());
    Rows rows;
    for (const Role& role : roles) {
      if (!role.can_login) {
        continue;
      }
      rows.push_back({Text(role.name), Int(role.oid), Bool(role.is_superuser),
                      Bool(role.is_superuser), Bool(false), Bool(role.is_superuser),
                      Text("********"), NullText(), NullTextArray()});
    }
    return rows;
  }

  // PostgreSQL shows password hashes here to superusers; Floe keeps its verifiers to itself.
  Result<Rows> Authids() {
    FLOE_ASSIGN_OR_RETURN(std::vector<Role> roles, RoleList());
    Rows rows;
    for (const Role& role : roles) {
      rows.push_back({Int(role.oid), Text(role.name), Bool(role.is_superuser), Bool(true),
                      Bool(role.is_superuser), Bool(role.is_superuser), Bool(role.can_login),
                      Bool(false), Bool(role.is_superuser), Int(-1), NullText(), NullText()});
    }
    return rows;
  }

  Result<Rows> AccessMethods() {
    return Rows{{Int(kHeapAccessMethodOid), Text("heap"), Text("heap_tableam_handler"), Text("t")},
                {Int(kBtreeAccessMethodOid), Text("btree"), Text("bthandler"), Text("i")}};
  }

 private:
  struct Role {
    int32_t oid = 0;
    std::string name;
    bool is_superuser = false;
    bool can_login = true;
  };

  // The owning role, the users of the user store and the session's user (who may come from
  // trusted loopback logins without being stored), sorted by name. Only names and attributes
  // leave the user store.
  Result<std::vector<Role>> RoleList() const {
    std::vector<Role> roles = {{kOwnerOid, std::string(kOwnerName), true, true}};
    FLOE_ASSIGN_OR_RETURN(catalog::UserStore * store, database_.users());
    FLOE_ASSIGN_OR_RETURN(std::vector<catalog::UserRecord> users, store->ListUsers());
    for (const catalog::UserRecord& user : users) {
      if (user.name == kOwnerName) {
        roles[0].can_login = user.can_login;
        continue;
      }
      roles.push_back({HashOid("role", user.name), user.name, user.is_superuser, user.can_login});
    }
    bool has_session_user = std::any_of(
        roles.begin(), roles.end(), [&](const Role& role) { return role.name == session_.user; });
    if (!has_session_user && !session_.user.empty()) {
      roles.push_back({HashOid("role", session_.user), session_.user, false, true});
    }
    std::sort(roles.begin(), roles.end(),
              [](const Role& a, const Role& b) { return a.name < b.name; });
    return roles;
  }

  // PostgreSQL's typalign: 'c' char, 's' short, 'i' int, 'd' double.
  static std::string_view Alignment(const PgType* pg_type) {
    if (pg_type == nullptr || pg_type->length < 0) {
      return "i";
    }
    switch (pg_type->length) {
      case 1:
        return "c";
      case 2:
        return "s";
      case 8:
        return "d";
      default:
        return "i";
    }
  }

  // PostgreSQL's attstorage: 'p' for fixed-length types, 'm' for numeric, 'x' for the other
  // variable-length ones (\d+ shows these as plain, main and extended).
  static std::string_view Storage(const LogicalType& type, const PgType* pg_type) {
    if (type.id() == TypeId::kDecimal) {
      return "m";
    }
    return pg_type != nullptr && pg_type->length > 0 ? "p" : "x";
  }

  static Value OctetLength(const LogicalType& type) {
    // PostgreSQL's maximum for an unbounded string: 1 GB.
    return type.id() == TypeId::kVarchar ? Int(1073741824) : NullInt();
  }

  static Value NumericPrecision(const LogicalType& type) {
    switch (type.id()) {
      case TypeId::kSmallInt:
        return Int(16);
      case TypeId::kInteger:
        return Int(32);
      case TypeId::kBigInt:
        return Int(64);
      case TypeId::kReal:
        return Int(24);
      case TypeId::kDouble:
        return Int(53);
      case TypeId::kDecimal:
        return Int(type.precision());
      default:
        return NullInt();
    }
  }

  static Value NumericRadix(const LogicalType& type) {
    if (type.id() == TypeId::kDecimal) {
      return Int(10);
    }
    return NumericPrecision(type).is_null() ? NullInt() : Int(2);
  }

  static Value NumericScale(const LogicalType& type) {
    switch (type.id()) {
      case TypeId::kSmallInt:
      case TypeId::kInteger:
      case TypeId::kBigInt:
        return Int(0);
      case TypeId::kDecimal:
        return Int(type.scale());
      default:
        return NullInt();
    }
  }

  static Value DatetimePrecision(const LogicalType& type) {
    switch (type.id()) {
      case TypeId::kDate:
        return Int(0);
      case TypeId::kTime:
      case TypeId::kTimestamp:
      case TypeId::kTimestampTz:
      case TypeId::kInterval:
        return Int(6);
      default:
        return NullInt();
    }
  }

  Status ListNamespaces(const catalog::Namespace& parent) {
    FLOE_ASSIGN_OR_RETURN(catalog::Page<catalog::Namespace> page,
                          database_.metastore().ListNamespaces(parent, {}));
    for (const catalog::Namespace& child : page.items) {
      namespaces_.push_back(child);
      FLOE_RETURN_NOT_OK(ListNamespaces(child));
    }
    return Status::OK();
  }

  static std::string JoinNamespace(const catalog::Namespace& namespace_name) {
    std::string joined;
    for (const std::string& level : namespace_name) {
      joined += (joined.empty() ? "" : ".") + level;
    }
    return joined;
  }

  Status LoadNames() {
    if (is_loaded_) {
      return Status::OK();
    }
    catalog::Metastore& metastore = database_.metastore();
    FLOE_RETURN_NOT_OK(ListNamespaces({}));
    schemas_ = {std::string(kInformationSchema), std::string(kPgCatalog)};
    for (const RelationSpec& spec : Specs()) {
      relations_.push_back({std::string(spec.schema),
                            std::string(spec.name),
                            spec.is_view,
                            "",
                            SpecColumns(spec),
                            {}});
    }
    for (const catalog::Namespace& namespace_name : namespaces_) {
      std::string schema = JoinNamespace(namespace_name);
      schemas_.push_back(schema);
      FLOE_ASSIGN_OR_RETURN(catalog::Page<catalog::TableIdentifier> tables,
                            metastore.ListTables(namespace_name, {}));
      for (const catalog::TableIdentifier& table : tables.items) {
        relations_.push_back({schema, table.name, false, "", {}, {}});
      }
      FLOE_ASSIGN_OR_RETURN(catalog::Page<catalog::TableIdentifier> views,
                            metastore.ListViews(namespace_name, {}));
      for (const catalog::TableIdentifier& view : views.items) {
        Result<catalog::ViewEntry> entry = metastore.LoadView(view);
        if (!entry.ok()) {
          // Dropped since it was listed.
          continue;
        }
        relations_.push_back({schema, view.name, true, entry->definition.sql, {}, {}});
      }
    }
    std::sort(schemas_.begin(), schemas_.end());
    std::sort(relations_.begin(), relations_.end(),
              [](const CatalogRelation& a, const CatalogRelation& b) {
                return std::tie(a.schema, a.name) < std::tie(b.schema, b.name);
              });
    is_loaded_ = true;
    return Status::OK();
  }

  // Derives the columns of the metastore's tables and views as a query over them would see
  // them. A relation that cannot be read now (a view over a file that is gone) is listed
  // without columns rather than failing every catalog query.
  Status LoadColumns() {
    FLOE_RETURN_NOT_OK(LoadNames());
    if (has_columns_ || describing_relations) {
      return Status::OK();
    }
    describing_relations = true;
    for (CatalogRelation& relation : relations_) {
      if (relation.schema == kPgCatalog || relation.schema == kInformationSchema) {
        continue;
      }
      std::string sql = "SELECT * FROM " + parser::QuoteIdentifier(relation.schema) + "." +
                        parser::QuoteIdentifier(relation.name);
      if (relation.schema.find('.') != std::string::npos) {
        continue;  // A nested namespace has no SQL name to select from.
      }
      if (!relation.is_view) {
        LoadTableColumns(relation);
        continue;
      }
      Result<parser::StatementPtr> statement = parser::ParseStatement(sql);
      if (!statement.ok()) {
        continue;
      }
      binder::Binder binder(resolver_, FunctionRegistry::Default(), sql);
      Result<binder::BoundQuery> bound =
          binder.BindQuery(*(*statement)->As<parser::QueryStatement>().query);
      if (!bound.ok()) {
        continue;
      }
      for (const binder::LogicalColumn& column : bound->plan->columns) {
        relation.columns.push_back({column.name, column.type});
      }
    }
    describing_relations = false;
    has_columns_ = true;
    return Status::OK();
  }

  // A table's columns as its current schema has them, with Iceberg's required flags.
  void LoadTableColumns(CatalogRelation& relation) {
    Result<std::optional<binder::RelationInfo>> info =
        resolver_.FindRelation({relation.schema, relation.name});
    if (!info.ok() || !info->has_value()) {
      return;
    }
    relation.columns = (*info)->columns;
    const std::shared_ptr<const table::Table>& iceberg = (*info)->iceberg_table;
    const table::Schema* schema = iceberg == nullptr ? nullptr : iceberg->metadata->CurrentSchema();
    if (schema == nullptr) {
      return;
    }
    for (const table::NestedField& field : schema->fields()) {
      if (field.is_required) {
        relation.required_columns.push_back(field.name);
      }
    }
  }

  Database& database_;
  const SessionContext& session_;
  binder::CatalogAccessor& resolver_;
  bool is_loaded_ = false;
  bool has_columns_ = false;
  std::vector<catalog::Namespace> namespaces_;
  std::vector<std::string> schemas_;
  std::vector<CatalogRelation> relations_;
};

// The relations and their columns, in PostgreSQL's column order; each is a prefix or subset of
// PostgreSQL 15's, which docs/sql.md lists.
const std::vector<RelationSpec>& Specs() {
  static const std::vector<RelationSpec> specs = {
      {kInformationSchema,
       "schemata",
       true,
       {{"catalog_name", 't'},
        {"schema_name", 't'},
        {"schema_owner", 't'},
        {"default_character_set_catalog", 't'},
        {"default_character_set_schema", 't'},
        {"default_character_set_name", 't'},
        {"sql_path", 't'}},
       &RowBuilder::Schemata},
      {kInformationSchema,
       "tables",
       true,
       {{"table_catalog", 't'},
        {"table_schema", 't'},
        {"table_name", 't'},
        {"table_type", 't'},
        {"self_referencing_column_name", 't'},
        {"reference_generation", 't'},
        {"user_defined_type_catalog", 't'},
        {"user_defined_type_schema", 't'},
        {"user_defined_type_name", 't'},
        {"is_insertable_into", 't'},
        {"is_typed", 't'},
        {"commit_action", 't'}},
       &RowBuilder::Tables},
      {kInformationSchema,
       "columns",
       true,
       {{"table_catalog", 't'},
        {"table_schema", 't'},
        {"table_name", 't'},
        {"column_name", 't'},
        {"ordinal_position", 'i'},
        {"column_default", 't'},
        {"is_nullable", 't'},
        {"data_type", 't'},
        {"character_maximum_length", 'i'},
        {"character_octet_length", 'i'},
        {"numeric_precision", 'i'},
        {"numeric_precision_radix", 'i'},
        {"numeric_scale", 'i'},
        {"datetime_precision", 'i'},
        {"udt_catalog", 't'},
        {"udt_schema", 't'},
        {"udt_name", 't'},
        {"dtd_identifier", 't'},
        {"is_identity", 't'},
        {"is_generated", 't'},
        {"is_updatable", 't'}},
       &RowBuilder::Columns},
      {kInformationSchema,
       "views",
       true,
       {{"table_catalog", 't'},
        {"table_schema", 't'},
        {"table_name", 't'},
        {"view_definition", 't'},
        {"check_option", 't'},
        {"is_updatable", 't'},
        {"is_insertable_into", 't'},
        {"is_trigger_updatable", 't'},
        {"is_trigger_deletable", 't'},
        {"is_trigger_insertable_into", 't'}},
       &RowBuilder::Views},
      {kPgCatalog,
       "pg_namespace",
       false,
       {{"oid", 'o'}, {"nspname", 't'}, {"nspowner", 'o'}, {"nspacl", 'a'}},
       &RowBuilder::Namespaces},
      {kPgCatalog,
       "pg_class",
       false,
       {{"oid", 'o'},
        {"relname", 't'},
        {"relnamespace", 'o'},
        {"reltype", 'o'},
        {"reloftype", 'o'},
        {"relowner", 'o'},
        {"relam", 'o'},
        {"relfilenode", 'o'},
        {"reltablespace", 'o'},
        {"relpages", 'i'},
        {"reltuples", 'r'},
        {"relallvisible", 'i'},
        {"reltoastrelid", 'o'},
        {"relhasindex", 'b'},
        {"relisshared", 'b'},
        {"relpersistence", 'c'},
        {"relkind", 'c'},
        {"relnatts", 's'},
        {"relchecks", 's'},
        {"relhasrules", 'b'},
        {"relhastriggers", 'b'},
        {"relhassubclass", 'b'},
        {"relrowsecurity", 'b'},
        {"relforcerowsecurity", 'b'},
        {"relispopulated", 'b'},
        {"relreplident", 'c'},
        {"relispartition", 'b'},
        {"relrewrite", 'o'},
        {"relacl", 'a'},
        {"reloptions", 'a'},
        {"relpartbound", 't'}},
       &RowBuilder::Classes},
      {kPgCatalog,
       "pg_attribute",
       false,
       {{"attrelid", 'o'},      {"attname", 't'},      {"atttypid", 'o'},
        {"attstattarget", 'i'}, {"attlen", 's'},       {"attnum", 's'},
        {"attndims", 'i'},      {"atttypmod", 'i'},    {"attbyval", 'b'},
        {"attalign", 'c'},      {"attstorage", 'c'},   {"attcompression", 'c'},
        {"attnotnull", 'b'},    {"atthasdef", 'b'},    {"atthasmissing", 'b'},
        {"attidentity", 'c'},   {"attgenerated", 'c'}, {"attisdropped", 'b'},
        {"attislocal", 'b'},    {"attinhcount", 'i'},  {"attcollation", 'o'},
        {"attacl", 'a'},        {"attoptions", 'a'}},
       &RowBuilder::Attributes},
      {kPgCatalog,
       "pg_type",
       false,
       {{"oid", 'o'},          {"typname", 't'},     {"typnamespace", 'o'},
        {"typowner", 'o'},     {"typlen", 's'},      {"typbyval", 'b'},
        {"typtype", 'c'},      {"typcategory", 'c'}, {"typispreferred", 'b'},
        {"typisdefined", 'b'}, {"typdelim", 'c'},    {"typrelid", 'o'},
        {"typelem", 'o'},      {"typarray", 'o'},    {"typnotnull", 'b'},
        {"typbasetype", 'o'},  {"typtypmod", 'i'},   {"typndims", 'i'},
        {"typcollation", 'o'}, {"typdefault", 't'}},
       &RowBuilder::Types},
      {kPgCatalog,
       "pg_database",
       false,
       {{"oid", 'o'},
        {"datname", 't'},
        {"datdba", 'o'},
        {"encoding", 'i'},
        {"datlocprovider", 'c'},
        {"datistemplate", 'b'},
        {"datallowconn", 'b'},
        {"datconnlimit", 'i'},
        {"datcollate", 't'},
        {"datctype", 't'},
        {"daticulocale", 't'},
        {"datcollversion", 't'},
        {"datacl", 'a'}},
       &RowBuilder::Databases},
      {kPgCatalog,
       "pg_settings",
       true,
       {{"name", 't'},
        {"setting", 't'},
        {"unit", 't'},
        {"category", 't'},
        {"short_desc", 't'},
        {"context", 't'},
        {"vartype", 't'},
        {"source", 't'},
        {"boot_val", 't'},
        {"reset_val", 't'},
        {"pending_restart", 'b'}},
       &RowBuilder::Settings},
      {kPgCatalog,
       "pg_index",
       false,
       {{"indexrelid", 'o'},
        {"indrelid", 'o'},
        {"indnatts", 's'},
        {"indnkeyatts", 's'},
        {"indisunique", 'b'},
        {"indisprimary", 'b'},
        {"indisexclusion", 'b'},
        {"indimmediate", 'b'},
        {"indisclustered", 'b'},
        {"indisvalid", 'b'},
        {"indcheckxmin", 'b'},
        {"indisready", 'b'},
        {"indislive", 'b'},
        {"indisreplident", 'b'},
        {"indexprs", 't'},
        {"indpred", 't'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_attrdef",
       false,
       {{"oid", 'o'}, {"adrelid", 'o'}, {"adnum", 's'}, {"adbin", 't'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_collation",
       false,
       {{"oid", 'o'},
        {"collname", 't'},
        {"collnamespace", 'o'},
        {"collowner", 'o'},
        {"collprovider", 'c'},
        {"collisdeterministic", 'b'},
        {"collencoding", 'i'},
        {"collcollate", 't'},
        {"collctype", 't'}},
       &RowBuilder::Collations},
      {kPgCatalog,
       "pg_description",
       false,
       {{"objoid", 'o'}, {"classoid", 'o'}, {"objsubid", 'i'}, {"description", 't'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_roles",
       true,
       {{"rolname", 't'},
        {"rolsuper", 'b'},
        {"rolinherit", 'b'},
        {"rolcreaterole", 'b'},
        {"rolcreatedb", 'b'},
        {"rolcanlogin", 'b'},
        {"rolreplication", 'b'},
        {"rolconnlimit", 'i'},
        {"rolpassword", 't'},
        {"rolvaliduntil", 't'},
        {"rolbypassrls", 'b'},
        {"rolconfig", 'a'},
        {"oid", 'o'}},
       &RowBuilder::Roles},
      {kPgCatalog,
       "pg_user",
       true,
       {{"usename", 't'},
        {"usesysid", 'o'},
        {"usecreatedb", 'b'},
        {"usesuper", 'b'},
        {"userepl", 'b'},
        {"usebypassrls", 'b'},
        {"passwd", 't'},
        {"valuntil", 't'},
        {"useconfig", 'a'}},
       &RowBuilder::Users},
      {kPgCatalog,
       "pg_authid",
       false,
       {{"oid", 'o'},
        {"rolname", 't'},
        {"rolsuper", 'b'},
        {"rolinherit", 'b'},
        {"rolcreaterole", 'b'},
        {"rolcreatedb", 'b'},
        {"rolcanlogin", 'b'},
        {"rolreplication", 'b'},
        {"rolbypassrls", 'b'},
        {"rolconnlimit", 'i'},
        {"rolpassword", 't'},
        {"rolvaliduntil", 't'}},
       &RowBuilder::Authids},
      // Kinds of object Floe does not have: empty, with the columns psql's \d and friends
      // read.
      {kPgCatalog,
       "pg_auth_members",
       false,
       {{"oid", 'o'}, {"roleid", 'o'}, {"member", 'o'}, {"grantor", 'o'}, {"admin_option", 'b'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_constraint",
       false,
       {{"oid", 'o'},           {"conname", 't'},      {"connamespace", 'o'},  {"contype", 'c'},
        {"condeferrable", 'b'}, {"condeferred", 'b'},  {"convalidated", 'b'},  {"conrelid", 'o'},
        {"contypid", 'o'},      {"conindid", 'o'},     {"conparentid", 'o'},   {"confrelid", 'o'},
        {"confupdtype", 'c'},   {"confdeltype", 'c'},  {"confmatchtype", 'c'}, {"conislocal", 'b'},
        {"coninhcount", 'i'},   {"connoinherit", 'b'}, {"conkey", 'S'},        {"confkey", 'S'},
        {"conbin", 't'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_inherits",
       false,
       {{"inhrelid", 'o'}, {"inhparent", 'o'}, {"inhseqno", 'i'}, {"inhdetachpending", 'b'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_policy",
       false,
       {{"oid", 'o'},
        {"polname", 't'},
        {"polrelid", 'o'},
        {"polcmd", 'c'},
        {"polpermissive", 'b'},
        {"polroles", 'O'},
        {"polqual", 't'},
        {"polwithcheck", 't'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_statistic_ext",
       false,
       {{"oid", 'o'},
        {"stxrelid", 'o'},
        {"stxname", 't'},
        {"stxnamespace", 'o'},
        {"stxowner", 'o'},
        {"stxstattarget", 'i'},
        {"stxkeys", 'S'},
        {"stxkind", 'a'},
        {"stxexprs", 't'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_publication",
       false,
       {{"oid", 'o'},
        {"pubname", 't'},
        {"pubowner", 'o'},
        {"puballtables", 'b'},
        {"pubinsert", 'b'},
        {"pubupdate", 'b'},
        {"pubdelete", 'b'},
        {"pubtruncate", 'b'},
        {"pubviaroot", 'b'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_publication_namespace",
       false,
       {{"oid", 'o'}, {"pnpubid", 'o'}, {"pnnspid", 'o'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_publication_rel",
       false,
       {{"oid", 'o'}, {"prpubid", 'o'}, {"prrelid", 'o'}, {"prqual", 't'}, {"prattrs", 'S'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_rewrite",
       false,
       {{"oid", 'o'},
        {"rulename", 't'},
        {"ev_class", 'o'},
        {"ev_type", 'c'},
        {"ev_enabled", 'c'},
        {"is_instead", 'b'},
        {"ev_qual", 't'},
        {"ev_action", 't'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_trigger",
       false,
       {{"oid", 'o'},
        {"tgrelid", 'o'},
        {"tgparentid", 'o'},
        {"tgname", 't'},
        {"tgfoid", 'o'},
        {"tgtype", 's'},
        {"tgenabled", 'c'},
        {"tgisinternal", 'b'}},
       &RowBuilder::Empty},
      // Floe's functions are built in and not listed here yet, so \df (which leaves out
      // pg_catalog's) finds none, as in a fresh PostgreSQL database.
      {kPgCatalog,
       "pg_proc",
       false,
       {{"oid", 'o'},
        {"proname", 't'},
        {"pronamespace", 'o'},
        {"proowner", 'o'},
        {"prolang", 'o'},
        {"prokind", 'c'},
        {"prosecdef", 'b'},
        {"proisstrict", 'b'},
        {"proretset", 'b'},
        {"provolatile", 'c'},
        {"pronargs", 's'},
        {"pronargdefaults", 's'},
        {"prorettype", 'o'},
        {"proargtypes", 'O'},
        {"prosrc", 't'}},
       &RowBuilder::Empty},
      {kPgCatalog,
       "pg_am",
       false,
       {{"oid", 'o'}, {"amname", 't'}, {"amhandler", 't'}, {"amtype", 'c'}},
       &RowBuilder::AccessMethods},
  };
  return specs;
}

}  // namespace

bool SystemCatalog::IsSystemSchema(std::string_view schema) {
  return schema == kPgCatalog || schema == kInformationSchema;
}

Result<std::optional<binder::RelationInfo>> SystemCatalog::Find(std::string_view schema,
                                                                std::string_view name) {
  for (const RelationSpec& spec : Specs()) {
    if (spec.schema != schema || spec.name != name) {
      continue;
    }
    RowBuilder builder(database_, session_, resolver_);
    binder::RelationInfo info;
    info.kind = binder::RelationInfo::Kind::kTable;
    info.display_name = std::string(schema) + "." + std::string(name);
    info.columns = SpecColumns(spec);
    FLOE_ASSIGN_OR_RETURN(Rows rows, (builder.*spec.rows)());
    info.row_count = static_cast<int64_t>(rows.size());
    info.rows = std::move(rows);
    return std::optional<binder::RelationInfo>(std::move(info));
  }
  return std::optional<binder::RelationInfo>();
}

Result<std::vector<std::pair<int32_t, bool>>> SystemCatalog::RelationVisibility() {
  RowBuilder builder(database_, session_, resolver_);
  return builder.RelationVisibility();
}

Result<std::vector<binder::RegObject>> SystemCatalog::RegObjects(std::string_view type) {
  RowBuilder builder(database_, session_, resolver_);
  return builder.RegObjects(type);
}

Result<std::vector<std::pair<int32_t, int64_t>>> SystemCatalog::RelationSizes() {
  RowBuilder builder(database_, session_, resolver_);
  return builder.RelationSizes();
}

Result<std::vector<std::pair<int32_t, std::string>>> SystemCatalog::ViewDefinitions() {
  RowBuilder builder(database_, session_, resolver_);
  return builder.ViewDefinitions();
}

}  // namespace floe::sql::engine
