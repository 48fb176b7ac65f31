#include "sql/engine/procedures.h"

#include <cstdlib>
#include <memory>
#include <optional>
#include <utility>

#include "catalog/identifier.h"
#include "catalog/table_catalog.h"
#include "sql/engine/table_write_internal.h"
#include "vector/vector_builder.h"

namespace floe::sql::engine {
namespace {

using types::LogicalType;
using types::Value;

bool IsRegisterTable(const parser::QualifiedName& name) {
  return name.size() == 2 && name[0] == "system" && name[1] == "register_table";
}

std::string NameText(const parser::QualifiedName& name) {
  std::string text;
  for (const std::string& part : name) {
    text += (text.empty() ? "" : ".") + part;
  }
  return text;
}

Status UnknownProcedure(const parser::QualifiedName& name) {
  return Status::NotFound("procedure {} does not exist", NameText(name)).WithSqlState("42883");
}

// Splits a table name given as text ('sales.orders', '"Sales".orders') into its parts with
// PostgreSQL's rules for identifiers: unquoted parts fold to lower case, quoted ones are kept
// ("" is a quote).
Result<std::vector<std::string>> ParseTableName(const std::string& text) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (true) {
    std::string part;
    if (i < text.size() && text[i] == '"') {
      for (++i; i < text.size(); ++i) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            part += '"';
            ++i;
            continue;
          }
          break;
        }
        part += text[i];
      }
      if (i >= text.size()) {
        return Status::InvalidArgument("table name \"{}\" has an unterminated quote", text)
            .WithSqlState("22023");
      }
      ++i;
    } else {
      for (; i < text.size() && text[i] != '.'; ++i) {
        char c = text[i];
        part += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
      }
    }
    if (part.empty()) {
      return Status::InvalidArgument("\"{}\" is not a valid table name", text)
          .WithSqlState("22023");
    }
    parts.push_back(std::move(part));
    if (i == text.size()) {
      return parts;
    }
    if (text[i] != '.') {
      return Status::InvalidArgument("\"{}\" is not a valid table name", text)
          .WithSqlState("22023");
    }
    ++i;
  }
}

// Matches positional and named arguments to the parameters, in order; every parameter is
// required and must be a non-NULL string.
Result<std::vector<std::string>> TextArguments(const parser::QualifiedName& procedure,
                                               const std::vector<std::string>& parameters,
                                               const std::vector<ProcedureArgument>& arguments) {
  std::vector<std::optional<std::string>> values(parameters.size());
  size_t positional = 0;
  for (const ProcedureArgument& argument : arguments) {
    size_t index = positional;
    if (argument.name.empty()) {
      ++positional;
    } else {
      index = 0;
      while (index < parameters.size() && parameters[index] != argument.name) {
        ++index;
      }
    }
    if (index >= parameters.size()) {
      return argument.name.empty() ? Status::NotFound("procedure {} takes {} arguments",
                                                      NameText(procedure), parameters.size())
                                         .WithSqlState("42883")
                                   : Status::NotFound("procedure {} has no argument named \"{}\"",
                                                      NameText(procedure), argument.name)
                                         .WithSqlState("42883");
    }
    if (values[index].has_value()) {
      // PostgreSQL's answer to a named argument given twice.
      return Status::InvalidArgument("argument \"{}\" of procedure {} is given more than once",
                                     parameters[index], NameText(procedure))
          .WithSqlState("42601");
    }
    if (argument.value.is_null()) {
      return Status::InvalidArgument("argument \"{}\" of procedure {} must not be NULL",
                                     parameters[index], NameText(procedure))
          .WithSqlState("22004");
    }
    if (argument.value.type().id() != types::TypeId::kVarchar) {
      return Status::InvalidArgument("argument \"{}\" of procedure {} must be text, not {}",
                                     parameters[index], NameText(procedure),
                                     argument.value.type().ToString())
          .WithSqlState("42804");
    }
    values[index] = argument.value.string_value();
  }
  std::vector<std::string> result;
  for (size_t i = 0; i < parameters.size(); ++i) {
    if (!values[i].has_value()) {
      return Status::NotFound("procedure {} needs the argument \"{}\"", NameText(procedure),
                              parameters[i])
          .WithSqlState("42883");
    }
    result.push_back(std::move(*values[i]));
  }
  return result;
}

std::vector<ResultColumn> RegisterTableColumns() {
  return {{"current_snapshot_id", LogicalType::BigInt()},
          {"total_records_count", LogicalType::BigInt()},
          {"total_data_files_count", LogicalType::BigInt()}};
}

// Spark's result: the current snapshot and the totals its summary records.
Result<QueryResult> RegisterResult(const table::TableMetadata& metadata) {
  std::vector<ResultColumn> columns = RegisterTableColumns();
  const table::Snapshot* snapshot = metadata.CurrentSnapshot();
  auto total = [&](const std::string& key) {
    if (snapshot == nullptr) {
      return Value::BigInt(0);
    }
    auto found = snapshot->summary.find(key);
    char* end = nullptr;
    if (found == snapshot->summary.end()) {
      return Value::Null(LogicalType::BigInt());
    }
    long long count = std::strtoll(found->second.c_str(), &end, 10);
    return *end == '\0' && !found->second.empty() ? Value::BigInt(count)
                                                  : Value::Null(LogicalType::BigInt());
  };
  std::vector<Value> row = {snapshot != nullptr ? Value::BigInt(snapshot->snapshot_id)
                                                : Value::Null(LogicalType::BigInt()),
                            total("total-records"), total("total-data-files")};
  std::vector<vector::Field> fields;
  std::vector<vector::Vector> vectors;
  for (size_t c = 0; c < columns.size(); ++c) {
    fields.push_back({columns[c].name, columns[c].type, true});
    vector::VectorBuilder builder(columns[c].type);
    FLOE_RETURN_NOT_OK(builder.AppendValue(row[c]));
    FLOE_ASSIGN_OR_RETURN(vector::Vector column, builder.Finish());
    vectors.push_back(std::move(column));
  }
  FLOE_ASSIGN_OR_RETURN(
      vector::Batch batch,
      vector::Batch::Make(std::make_shared<const vector::Schema>(std::move(fields)),
                          std::move(vectors), 1));
  return QueryResult::Materialized(std::move(columns), {std::move(batch)}, "CALL");
}

Result<QueryResult> RegisterTable(TableStatementContext& context,
                                  const parser::QualifiedName& procedure,
                                  const std::vector<ProcedureArgument>& arguments) {
  FLOE_ASSIGN_OR_RETURN(std::vector<std::string> values,
                        TextArguments(procedure, {"table", "metadata_file"}, arguments));
  FLOE_ASSIGN_OR_RETURN(std::vector<std::string> name, ParseTableName(values[0]));
  FLOE_ASSIGN_OR_RETURN(catalog::TableIdentifier identifier,
                        NewRelationIdentifier(context, name, "register in"));
  const std::string& object = identifier.name;
  catalog::Metastore& metastore = context.database.metastore();
  FLOE_ASSIGN_OR_RETURN(bool table_exists, metastore.TableExists(identifier));
  if (table_exists || metastore.LoadView(identifier).ok()) {
    return Status::AlreadyExists("relation \"{}\" already exists", object).WithSqlState("42P07");
  }
  FLOE_ASSIGN_OR_RETURN(std::unique_ptr<catalog::TableCatalog> tables,
                        OpenTableCatalog(context.database));
  Result<table::Table> registered = tables->RegisterTable(identifier, values[1]);
  if (!registered.ok()) {
    if (registered.status().code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists("relation \"{}\" already exists", object).WithSqlState("42P07");
    }
    return registered.status();
  }
  return RegisterResult(*registered->metadata);
}

}  // namespace

Result<std::vector<ResultColumn>> ProcedureColumns(const parser::QualifiedName& name) {
  if (!IsRegisterTable(name)) {
    return UnknownProcedure(name);
  }
  return RegisterTableColumns();
}

Result<QueryResult> RunProcedure(TableStatementContext& context, const parser::QualifiedName& name,
                                 std::vector<ProcedureArgument> arguments) {
  if (IsRegisterTable(name)) {
    return RegisterTable(context, name, arguments);
  }
  return UnknownProcedure(name);
}

}  // namespace floe::sql::engine
