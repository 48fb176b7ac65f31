#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "catalog/table_catalog.h"
#include "sql/engine/table_statements.h"
#include "sql/engine/table_write_internal.h"
#include "table/new_table.h"
#include "table/partition_spec.h"
#include "table/schema_update.h"
#include "table/table_change.h"
#include "table/transform.h"

namespace floe::sql::engine {
namespace {

using types::LogicalType;

// Iceberg has no interval or unconstrained numeric; see docs/sql.md for the mapping.
Result<table::Type> IcebergTypeOf(const LogicalType& type, std::string_view column) {
  Result<table::Type> iceberg = table::FromLogicalType(type);
  if (!iceberg.ok()) {
    return Status::NotSupported("column \"{}\" of type {}: Iceberg tables cannot hold this type",
                                column, type.ToString());
  }
  return iceberg;
}

Result<table::Type> IcebergTypeOf(const parser::TypeName& type, std::string_view column) {
  const std::string& name = type.Name();
  if (type.array_dimensions > 0) {
    return Status::NotSupported("column \"{}\": array columns in Iceberg tables", column);
  }
  if ((name == "numeric" || name == "decimal") && type.modifiers.empty()) {
    return Status::NotSupported(
        "column \"{}\": numeric without precision (Iceberg decimals need numeric(p,s))", column);
  }
  FLOE_ASSIGN_OR_RETURN(LogicalType logical, binder::ResolveTypeName(type));
  return IcebergTypeOf(logical, column);
}

Status CheckColumnDefinition(const parser::ColumnDefinition& column) {
  if (column.default_value != nullptr) {
    return Status::NotSupported("DEFAULT for column \"{}\" of an Iceberg table", column.name);
  }
  if (!column.constraints.empty()) {
    return Status::NotSupported(
        "constraints on column \"{}\": Iceberg tables do not enforce PRIMARY KEY, UNIQUE, "
        "REFERENCES or CHECK",
        column.name);
  }
  if (!column.collation.empty()) {
    return Status::NotSupported("COLLATE for column \"{}\" of an Iceberg table", column.name);
  }
  return Status::OK();
}

Result<table::PartitionField> PartitionFieldOf(const parser::PartitionField& field,
                                               const table::Schema& schema) {
  const table::NestedField* source = schema.FindField(field.column);
  if (source == nullptr) {
    return Status::InvalidArgument("column \"{}\" named in PARTITIONED BY does not exist",
                                   field.column)
        .WithSqlState("42703");
  }
  table::PartitionField result;
  result.source_ids = {source->id};
  const std::string& name = field.transform;
  auto width = [&]() -> Result<int32_t> {
    if (!field.parameter.has_value() || *field.parameter <= 0 || *field.parameter > INT32_MAX) {
      return Status::InvalidArgument("{}() in PARTITIONED BY needs a positive width", name)
          .WithSqlState("22023");
    }
    return static_cast<int32_t>(*field.parameter);
  };
  if (name == "identity") {
    result.transform = table::Transform::Identity();
    result.name = field.column;
  } else if (name == "bucket") {
    FLOE_ASSIGN_OR_RETURN(int32_t count, width());
    FLOE_ASSIGN_OR_RETURN(result.transform, table::Transform::Bucket(count));
    result.name = field.column + "_bucket";
  } else if (name == "truncate") {
    FLOE_ASSIGN_OR_RETURN(int32_t count, width());
    FLOE_ASSIGN_OR_RETURN(result.transform, table::Transform::Truncate(count));
    result.name = field.column + "_trunc";
  } else if (name == "year" || name == "years") {
    result.transform = table::Transform::Year();
    result.name = field.column + "_year";
  } else if (name == "month" || name == "months") {
    result.transform = table::Transform::Month();
    result.name = field.column + "_month";
  } else if (name == "day" || name == "days") {
    result.transform = table::Transform::Day();
    result.name = field.column + "_day";
  } else if (name == "hour" || name == "hours") {
    result.transform = table::Transform::Hour();
    result.name = field.column + "_hour";
  } else {
    return Status::NotSupported("partition transform {}() in PARTITIONED BY", name);
  }
  return result;
}

// The write modes are checked when set, so a typo cannot silently select copy-on-write later.
Status CheckProperty(const std::string& key, const std::string& value) {
  if (key == "write.delete.mode" || key == "write.update.mode" || key == "write.merge.mode") {
    if (value != "copy-on-write" && value != "merge-on-read") {
      return Status::InvalidArgument(
                 "invalid value for table property \"{}\": \"{}\" (expected copy-on-write or "
                 "merge-on-read)",
                 key, value)
          .WithSqlState("22023");
    }
  }
  return Status::OK();
}

Result<std::map<std::string, std::string>> PropertiesOf(
    const std::vector<parser::Option>& options) {
  std::map<std::string, std::string> properties;
  for (const parser::Option& option : options) {
    if (option.value.kind == parser::OptionValueKind::kNone) {
      return Status::InvalidArgument("table property \"{}\" needs a value", option.name)
          .WithSqlState("42601");
    }
    FLOE_RETURN_NOT_OK(CheckProperty(option.name, option.value.text));
    properties[option.name] = option.value.text;
  }
  return properties;
}

Result<table::NewTableOptions> NewTableOf(const parser::CreateTableStatement& statement,
                                          std::vector<table::NestedField> fields) {
  table::NewTableOptions options;
  FLOE_ASSIGN_OR_RETURN(options.schema, table::Schema::Make(0, std::move(fields)));
  std::vector<table::PartitionField> partition_fields;
  int32_t next_partition_id = 1000;
  for (const parser::PartitionField& field : statement.partition_by) {
    FLOE_ASSIGN_OR_RETURN(table::PartitionField partition, PartitionFieldOf(field, options.schema));
    partition.field_id = next_partition_id++;
    partition_fields.push_back(std::move(partition));
  }
  options.spec = table::PartitionSpec(0, std::move(partition_fields));
  FLOE_RETURN_NOT_OK(options.spec.Validate(options.schema));
  FLOE_ASSIGN_OR_RETURN(options.properties, PropertiesOf(statement.properties));
  auto version = options.properties.find("format-version");
  if (version != options.properties.end()) {
    if (version->second != "1" && version->second != "2") {
      return Status::NotSupported("Iceberg format version {} for new tables", version->second);
    }
    options.format_version = version->second == "1" ? 1 : 2;
    options.properties.erase(version);
  }
  return options;
}

Result<std::vector<table::NestedField>> FieldsOfDefinitions(
    const std::vector<parser::ColumnDefinition>& columns) {
  std::vector<table::NestedField> fields;
  std::set<std::string> names;
  for (const parser::ColumnDefinition& column : columns) {
    FLOE_RETURN_NOT_OK(CheckColumnDefinition(column));
    if (!names.insert(column.name).second) {
      return Status::InvalidArgument("column \"{}\" specified more than once", column.name)
          .WithSqlState("42701");
    }
    table::NestedField field;
    field.id = static_cast<int32_t>(fields.size()) + 1;
    field.name = column.name;
    FLOE_ASSIGN_OR_RETURN(field.type, IcebergTypeOf(column.type, column.name));
    field.is_required = column.nullability == parser::Nullability::kNotNull;
    fields.push_back(std::move(field));
  }
  return fields;
}

Result<std::vector<table::NestedField>> FieldsOfQuery(const binder::BoundQuery& bound,
                                                      const std::vector<std::string>& renames) {
  const auto& columns = bound.plan->columns;
  if (renames.size() > columns.size()) {
    return Status::InvalidArgument("CREATE TABLE AS specifies too many column names")
        .WithSqlState("42601");
  }
  std::vector<table::NestedField> fields;
  std::set<std::string> names;
  for (size_t i = 0; i < columns.size(); ++i) {
    table::NestedField field;
    field.id = static_cast<int32_t>(i) + 1;
    field.name = i < renames.size() ? renames[i] : columns[i].name;
    if (!names.insert(field.name).second) {
      return Status::InvalidArgument("column \"{}\" specified more than once", field.name)
          .WithSqlState("42701");
    }
    FLOE_ASSIGN_OR_RETURN(field.type, IcebergTypeOf(columns[i].type, field.name));
    fields.push_back(std::move(field));
  }
  return fields;
}

/// Applies changes one after another as one commit: ALTER TABLE's actions are one statement.
class ChainedChange final : public table::TableChange {
 public:
  explicit ChainedChange(std::vector<std::unique_ptr<table::TableChange>> changes)
      : changes_(std::move(changes)) {}

  Status Validate(const table::Table& start, const table::Table& current) override {
    for (auto& change : changes_) {
      FLOE_RETURN_NOT_OK(change->Validate(start, current));
    }
    return Status::OK();
  }

  Result<table::TableMetadata> Apply(const table::Table& base, int attempt,
                                     std::vector<std::string>& written) override {
    table::Table step = base;
    for (auto& change : changes_) {
      FLOE_ASSIGN_OR_RETURN(table::TableMetadata next, change->Apply(step, attempt, written));
      step.metadata = std::make_shared<const table::TableMetadata>(std::move(next));
    }
    return *step.metadata;
  }

 private:
  std::vector<std::unique_ptr<table::TableChange>> changes_;
};

Result<std::unique_ptr<table::TableChange>> ColumnChangeOf(const parser::AlterTableAction& action,
                                                           const table::TableMetadata& metadata) {
  const table::Schema& schema = *metadata.CurrentSchema();
  using Kind = parser::AlterTableActionKind;
  auto missing = [&](const std::string& name) {
    return Status::NotFound("column \"{}\" does not exist", name).WithSqlState("42703");
  };
  switch (action.kind) {
    case Kind::kAddColumn: {
      const parser::ColumnDefinition& column = *action.column;
      FLOE_RETURN_NOT_OK(CheckColumnDefinition(column));
      if (schema.FindField(column.name) != nullptr) {
        if (action.if_not_exists) {
          return std::unique_ptr<table::TableChange>();
        }
        return Status::AlreadyExists("column \"{}\" already exists", column.name)
            .WithSqlState("42701");
      }
      if (column.nullability == parser::Nullability::kNotNull) {
        return Status::NotSupported("ADD COLUMN \"{}\" NOT NULL: existing rows would have no value",
                                    column.name);
      }
      FLOE_ASSIGN_OR_RETURN(table::Type type, IcebergTypeOf(column.type, column.name));
      std::string name = column.name;
      return table::UpdateSchema(
          [name, type](table::SchemaUpdate& update) { update.AddColumn("", name, type); });
    }
    case Kind::kDropColumn: {
      const table::NestedField* field = schema.FindField(action.column_name);
      if (field == nullptr) {
        if (action.if_exists) {
          return std::unique_ptr<table::TableChange>();
        }
        return missing(action.column_name);
      }
      // Files written under any spec are pruned by their partition values: the source
      // column must stay (the spec's "Partition Evolution" keeps source ids valid).
      for (const table::PartitionSpec& spec : metadata.partition_specs) {
        for (const table::PartitionField& partition : spec.fields()) {
          if (partition.source_id() == field->id) {
            return Status::NotSupported("dropping column \"{}\": it is a partition source",
                                        action.column_name);
          }
        }
      }
      if (schema.fields().size() == 1) {
        return Status::NotSupported("dropping the only column of a table");
      }
      std::string name = action.column_name;
      return table::UpdateSchema([name](table::SchemaUpdate& update) { update.DropColumn(name); });
    }
    case Kind::kRenameColumn: {
      if (schema.FindField(action.column_name) == nullptr) {
        return missing(action.column_name);
      }
      if (schema.FindField(action.new_name) != nullptr) {
        return Status::AlreadyExists("column \"{}\" already exists", action.new_name)
            .WithSqlState("42701");
      }
      std::string name = action.column_name;
      std::string new_name = action.new_name;
      return table::UpdateSchema(
          [name, new_name](table::SchemaUpdate& update) { update.RenameColumn(name, new_name); });
    }
    case Kind::kAlterColumnType: {
      const table::NestedField* field = schema.FindField(action.column_name);
      if (field == nullptr) {
        return missing(action.column_name);
      }
      if (action.expression != nullptr) {
        return Status::NotSupported("ALTER COLUMN TYPE ... USING on an Iceberg table");
      }
      FLOE_ASSIGN_OR_RETURN(table::Type type, IcebergTypeOf(*action.type, action.column_name));
      if (type == field->type) {
        return std::unique_ptr<table::TableChange>();
      }
      bool is_widening =
          (field->type.kind() == table::TypeKind::kInt && type.kind() == table::TypeKind::kLong) ||
          (field->type.kind() == table::TypeKind::kFloat &&
           type.kind() == table::TypeKind::kDouble) ||
          (field->type.kind() == table::TypeKind::kDecimal &&
           type.kind() == table::TypeKind::kDecimal && type.scale() == field->type.scale() &&
           type.precision() >= field->type.precision());
      if (!is_widening) {
        return Status::NotSupported(
            "ALTER COLUMN \"{}\" TYPE from {} to {}: Iceberg only widens int to bigint, real to "
            "double and decimal(P,S) to a larger precision",
            action.column_name, field->type.ToString(), type.ToString());
      }
      std::string name = action.column_name;
      return table::UpdateSchema(
          [name, type](table::SchemaUpdate& update) { update.WidenColumn(name, type); });
    }
    case Kind::kDropNotNull: {
      if (schema.FindField(action.column_name) == nullptr) {
        return missing(action.column_name);
      }
      std::string name = action.column_name;
      return table::UpdateSchema(
          [name](table::SchemaUpdate& update) { update.MakeOptional(name); });
    }
    default:
      return Status::NotSupported("this ALTER TABLE action on an Iceberg table");
  }
}

}  // namespace

Result<std::unique_ptr<catalog::TableCatalog>> OpenTableCatalog(Database& database) {
  const std::string& warehouse = database.settings().warehouse;
  FLOE_ASSIGN_OR_RETURN(std::shared_ptr<io::FileSystem> file_system,
                        database.file_systems().Resolve(warehouse));
  return std::make_unique<catalog::TableCatalog>(database.metastore(), std::move(file_system),
                                                 warehouse);
}

Result<catalog::TableIdentifier> NewRelationIdentifier(TableStatementContext& context,
                                                       const parser::QualifiedName& name,
                                                       std::string_view purpose) {
  auto [namespaces, object] = context.catalog.Candidates(name);
  if (namespaces.empty()) {
    return Status::InvalidArgument("no schema has been selected to {}", purpose)
        .WithSqlState("3F000");
  }
  catalog::TableIdentifier identifier{namespaces.front(), object};
  FLOE_ASSIGN_OR_RETURN(bool schema_exists,
                        context.database.metastore().NamespaceExists(identifier.namespace_name));
  if (!schema_exists) {
    return Status::NotFound("schema \"{}\" does not exist",
                            catalog::NamespaceToString(identifier.namespace_name))
        .WithSqlState("3F000");
  }
  return identifier;
}

Result<TargetTable> LoadTargetTable(TableStatementContext& context,
                                    const parser::QualifiedName& name) {
  auto [namespaces, object] = context.catalog.Candidates(name);
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<catalog::TableCatalog> tables,
                        OpenTableCatalog(context.database));
  for (const catalog::Namespace& schema : namespaces) {
    catalog::TableIdentifier identifier{schema, object};
    Result<table::Table> loaded = tables->LoadTable(identifier);
    if (loaded.ok()) {
      return TargetTable{std::move(identifier), std::move(*loaded)};
    }
    if (loaded.status().code() != StatusCode::kNotFound) {
      return loaded.status();
    }
  }
  return Status::NotFound("relation \"{}\" does not exist", object).WithSqlState("42P01");
}

Result<QueryResult> RunCreateTable(TableStatementContext& context,
                                   const parser::CreateTableStatement& statement) {
  if (statement.or_replace) {
    return Status::NotSupported("CREATE OR REPLACE TABLE");
  }
  if (!statement.constraints.empty()) {
    return Status::NotSupported(
        "table constraints: Iceberg tables do not enforce PRIMARY KEY, UNIQUE, REFERENCES or "
        "CHECK");
  }
  FLOE_ASSIGN_OR_RETURN(catalog::TableIdentifier identifier,
                        NewRelationIdentifier(context, statement.name, "create in"));
  const std::string& object = identifier.name;
  catalog::Metastore& metastore = context.database.metastore();
  FLOE_ASSIGN_OR_RETURN(bool table_exists, metastore.TableExists(identifier));
  Result<catalog::ViewEntry> view = metastore.LoadView(identifier);
  if (table_exists || view.ok()) {
    if (statement.if_not_exists) {
      QueryResult result =
          QueryResult::Command(statement.as_query != nullptr ? "SELECT 0" : "CREATE TABLE");
      result.AddNotice(fmt::format("relation \"{}\" already exists, skipping", object));
      return result;
    }
    return Status::AlreadyExists("relation \"{}\" already exists", object).WithSqlState("42P07");
  }

  std::optional<binder::BoundQuery> bound;
  std::vector<table::NestedField> fields;
  if (statement.as_query != nullptr) {
    FLOE_ASSIGN_OR_RETURN(bound, context.bind(*statement.as_query));
    FLOE_ASSIGN_OR_RETURN(fields, FieldsOfQuery(*bound, statement.as_column_names));
  } else {
    FLOE_ASSIGN_OR_RETURN(fields, FieldsOfDefinitions(statement.columns));
  }
  if (fields.empty()) {
    return Status::NotSupported("Iceberg tables without columns");
  }
  FLOE_ASSIGN_OR_RETURN(table::NewTableOptions options, NewTableOf(statement, std::move(fields)));
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<catalog::TableCatalog> tables,
                        OpenTableCatalog(context.database));
  Result<table::Table> created = tables->CreateTable(identifier, std::move(options));
  if (created.status().code() == StatusCode::kAlreadyExists) {
    return Status::AlreadyExists("relation \"{}\" already exists", object).WithSqlState("42P07");
  }
  FLOE_RETURN_NOT_OK(created.status());
  if (!bound.has_value()) {
    return QueryResult::Command("CREATE TABLE");
  }
  int64_t rows = 0;
  if (statement.with_data) {
    TargetTable target{identifier, std::move(*created)};
    std::vector<int> all_columns;
    for (size_t i = 0; i < target.table.metadata->CurrentSchema()->fields().size(); ++i) {
      all_columns.push_back(static_cast<int>(i));
    }
    Result<int64_t> written = InsertBoundRows(context, target, std::move(*bound), all_columns);
    if (!written.ok()) {
      // The table and its rows are one statement: a failed load leaves no empty table behind.
      (void)metastore.DropTable(identifier);
      return written.status();
    }
    rows = *written;
  }
  return QueryResult::Command("SELECT " + std::to_string(rows));
}

Result<QueryResult> RunAlterTable(TableStatementContext& context,
                                  const parser::AlterTableStatement& statement) {
  Result<TargetTable> target = LoadTargetTable(context, statement.name);
  if (!target.ok()) {
    if (target.status().code() == StatusCode::kNotFound && statement.if_exists) {
      QueryResult result = QueryResult::Command("ALTER TABLE");
      result.AddNotice(
          fmt::format("relation \"{}\" does not exist, skipping", statement.name.back()));
      return result;
    }
    return target.status();
  }
  using Kind = parser::AlterTableActionKind;
  catalog::Metastore& metastore = context.database.metastore();
  if (statement.actions.size() == 1 && statement.actions[0].kind == Kind::kRenameTable) {
    catalog::TableIdentifier to{target->identifier.namespace_name, statement.actions[0].new_name};
    FLOE_ASSIGN_OR_RETURN(bool exists, metastore.TableExists(to));
    if (exists || metastore.LoadView(to).ok()) {
      return Status::AlreadyExists("relation \"{}\" already exists", to.name).WithSqlState("42P07");
    }
    FLOE_RETURN_NOT_OK(metastore.RenameTable(target->identifier, to));
    return QueryResult::Command("ALTER TABLE");
  }
  std::vector<std::unique_ptr<table::TableChange>> changes;
  std::vector<std::string> notices;  // Actions skipped by IF [NOT] EXISTS.
  for (const parser::AlterTableAction& action : statement.actions) {
    if (action.kind == Kind::kRenameTable) {
      return Status::NotSupported("RENAME TO combined with other ALTER TABLE actions");
    }
    if (action.kind == Kind::kSetOptions || action.kind == Kind::kResetOptions) {
      std::map<std::string, std::string> updates;
      std::vector<std::string> removals;
      if (action.kind == Kind::kSetOptions) {
        FLOE_ASSIGN_OR_RETURN(updates, PropertiesOf(action.options));
      } else {
        for (const parser::Option& option : action.options) {
          removals.push_back(option.name);
        }
      }
      if (updates.contains("format-version")) {
        return Status::NotSupported("changing the Iceberg format version with ALTER TABLE");
      }
      changes.push_back(table::UpdateProperties(std::move(updates), std::move(removals)));
      continue;
    }
    FLOE_ASSIGN_OR_RETURN(std::unique_ptr<table::TableChange> change,
                          ColumnChangeOf(action, *target->table.metadata));
    if (change != nullptr) {
      changes.push_back(std::move(change));
    } else if (action.kind == Kind::kAlterColumnType) {
      // Already of that type: nothing to do, and nothing to say.
    } else if (action.kind == Kind::kAddColumn) {
      notices.push_back(fmt::format("column \"{}\" of relation \"{}\" already exists, skipping",
                                    action.column->name, target->identifier.name));
    } else {
      notices.push_back(fmt::format("column \"{}\" of relation \"{}\" does not exist, skipping",
                                    action.column_name, target->identifier.name));
    }
  }
  QueryResult result = QueryResult::Command("ALTER TABLE");
  for (std::string& notice : notices) {
    result.AddNotice(std::move(notice));
  }
  if (changes.empty()) {
    return result;
  }
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<catalog::TableCatalog> tables,
                        OpenTableCatalog(context.database));
  ChainedChange change(std::move(changes));
  Result<table::Table> committed = tables->Commit(target->identifier, change);
  if (!committed.ok() && committed.status().code() == StatusCode::kInvalidArgument) {
    // SchemaUpdate refuses what the spec forbids (dropping a partition source, ...).
    return Status::NotSupported("{}", committed.status().message());
  }
  FLOE_RETURN_NOT_OK(committed.status());
  return result;
}

}  // namespace floe::sql::engine
