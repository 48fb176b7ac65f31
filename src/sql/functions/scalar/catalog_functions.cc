// The system information functions SQL tools call on connect and in psql's backslash commands:
// version, current_database, format_type, pg_get_userbyid, the has_*_privilege family,
// obj_description and col_description, pg_encoding_to_char, pg_get_expr,
// pg_get_indexdef. Facts about relations live in the pg_catalog views (docs/sql.md).
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/version.h"
#include "sql/functions/pg_types.h"
#include "sql/functions/registration_internal.h"
#include "vector/vector_builder.h"

namespace floe::sql::internal {
namespace {

using types::LogicalType;
using types::TypeId;
using vector::Vector;
using vector::VectorBuilder;

// Every catalog object is owned by this role (pg_catalog.pg_roles lists it with this OID, the
// one PostgreSQL gives its bootstrap superuser).
constexpr int32_t kOwnerOid = 10;
constexpr const char* kOwnerName = "floe";

// PostgreSQL's encoding number for UTF8, the only encoding Floe speaks.
constexpr int32_t kUtf8Encoding = 6;

// One value for every row; NULL when `value` is empty.
ScalarOverload ConstantOverload(std::string name, std::vector<ArgumentSpec> specs, LogicalType type,
                                std::optional<types::Value> value) {
  ScalarOverload overload;
  overload.name = std::move(name);
  overload.arguments = std::move(specs);
  overload.strict = false;
  overload.bind = [type, value](std::span<const LogicalType>) -> Result<BoundScalar> {
    ScalarKernel kernel = [type, value](FunctionContext& context, std::span<const Vector>,
                                        int64_t rows) -> Result<Vector> {
      if (!value.has_value()) {
        return Vector::MakeConstantNull(type, rows, context.tracker);
      }
      VectorBuilder builder(type, context.tracker);
      FLOE_RETURN_NOT_OK(builder.AppendValue(*value));
      FLOE_ASSIGN_OR_RETURN(Vector one, builder.Finish());
      return Vector::MakeConstant(one, 0, rows, context.tracker);
    };
    return BoundScalar{type, kernel};
  };
  return overload;
}

// A strict overload that is true for every non-NULL argument list.
ScalarOverload AlwaysTrue(std::string name, std::initializer_list<TypeId> ids) {
  return FixedOverload(
      std::move(name), ids, LogicalType::Boolean(),
      [](FunctionContext& context, std::span<const Vector>, int64_t rows) -> Result<Vector> {
        VectorBuilder builder(LogicalType::Boolean(), context.tracker);
        FLOE_RETURN_NOT_OK(builder.AppendValue(types::Value::Boolean(true)));
        FLOE_ASSIGN_OR_RETURN(Vector one, builder.Finish());
        return Vector::MakeConstant(one, 0, rows, context.tracker);
      });
}

void RegisterFormatType(FunctionRegistry& registry) {
  // Not strict, as in PostgreSQL: a NULL type modifier means "none".
  ScalarOverload overload;
  overload.name = "format_type";
  overload.arguments = Specs({TypeId::kInteger, TypeId::kInteger});
  overload.strict = false;
  overload.bind = [](std::span<const LogicalType>) -> Result<BoundScalar> {
    ScalarKernel kernel = [](FunctionContext& context, std::span<const Vector> args,
                             int64_t rows) -> Result<Vector> {
      return BuildAllRows(
          context, rows, LogicalType::Varchar(), [&](int64_t row, VectorBuilder& out) -> Status {
            if (args[0].IsNull(row)) {
              return out.AppendNull();
            }
            int32_t modifier = args[1].IsNull(row) ? -1 : args[1].Get<int32_t>(row);
            return out.AppendString(FormatPgType(args[0].Get<int32_t>(row), modifier));
          });
    };
    return BoundScalar{LogicalType::Varchar(), kernel};
  };
  registry.AddScalar(std::move(overload));
}

void RegisterRoleFunctions(FunctionRegistry& registry) {
  registry.AddScalar(FixedOverload(
      "pg_get_userbyid", {TypeId::kInteger}, LogicalType::Varchar(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(context, args, rows, LogicalType::Varchar(),
                         [&](int64_t row, VectorBuilder& out) -> Status {
                           int32_t oid = args[0].Get<int32_t>(row);
                           // PostgreSQL's answer for an OID that names no role.
                           return out.AppendString(oid == kOwnerOid
                                                       ? std::string(kOwnerName)
                                                       : fmt::format("unknown (OID={})", oid));
                         });
      }));
  // Access control is not enforced by the SQL engine yet: every user may read everything, so
  // every privilege question is answered yes.
  for (const char* name : {"has_table_privilege", "has_schema_privilege", "has_database_privilege",
                           "has_column_privilege"}) {
    registry.AddScalar(AlwaysTrue(name, {TypeId::kVarchar, TypeId::kVarchar}));
    registry.AddScalar(AlwaysTrue(name, {TypeId::kInteger, TypeId::kVarchar}));
    registry.AddScalar(AlwaysTrue(name, {TypeId::kVarchar, TypeId::kVarchar, TypeId::kVarchar}));
    registry.AddScalar(AlwaysTrue(name, {TypeId::kVarchar, TypeId::kInteger, TypeId::kVarchar}));
  }
  registry.AddScalar(
      AlwaysTrue("has_column_privilege", {TypeId::kInteger, TypeId::kSmallInt, TypeId::kVarchar}));
}

void RegisterDescriptions(FunctionRegistry& registry) {
  // Floe keeps no comments on objects (pg_description is empty), so every description is NULL.
  LogicalType text = LogicalType::Varchar();
  registry.AddScalar(ConstantOverload("obj_description", Specs({TypeId::kInteger}), text, {}));
  registry.AddScalar(
      ConstantOverload("obj_description", Specs({TypeId::kInteger, TypeId::kVarchar}), text, {}));
  registry.AddScalar(
      ConstantOverload("col_description", Specs({TypeId::kInteger, TypeId::kInteger}), text, {}));
  registry.AddScalar(
      ConstantOverload("shobj_description", Specs({TypeId::kInteger, TypeId::kVarchar}), text, {}));
  // There are no indexes: pg_index is empty, and PostgreSQL answers NULL for an OID that names
  // no index.
  registry.AddScalar(ConstantOverload("pg_get_indexdef", Specs({TypeId::kInteger}), text, {}));
  registry.AddScalar(ConstantOverload(
      "pg_get_indexdef", Specs({TypeId::kInteger, TypeId::kInteger, TypeId::kBoolean}), text, {}));
  // Expressions in Floe's catalog views are SQL text already, not parse trees.
  for (std::vector<ArgumentSpec> specs :
       {Specs({TypeId::kVarchar, TypeId::kInteger}),
        Specs({TypeId::kVarchar, TypeId::kInteger, TypeId::kBoolean})}) {
    ScalarOverload overload = FixedOverload("pg_get_expr", {}, text,
                                            [](FunctionContext&, std::span<const Vector> args,
                                               int64_t) -> Result<Vector> { return args[0]; });
    overload.arguments = std::move(specs);
    registry.AddScalar(std::move(overload));
  }
}

// As PostgreSQL 15's pg_size_pretty(bigint): bytes below 10 kB, then kB, MB, GB, TB and PB,
// each below 20480 of its unit, rounded half away from zero.
std::string SizePretty(int64_t size) {
  static constexpr const char* kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  auto half_rounded = [](int64_t value) { return (value + (value < 0 ? -1 : 1)) / 2; };
  constexpr size_t kLast = std::size(kUnits) - 1;
  for (size_t unit = 0;; ++unit) {
    int64_t limit = unit == 0 ? 10 * 1024 : 20 * 1024 - 1;
    int64_t magnitude = size < 0 ? -size : size;
    if (unit == kLast || magnitude < limit) {
      return fmt::format("{} {}", unit == 0 ? size : half_rounded(size), kUnits[unit]);
    }
    // One extra bit is kept for the rounding of every unit after bytes.
    size /= int64_t{1} << (unit == 0 ? 9 : 10);
  }
}

void RegisterObjectDefinitions(FunctionRegistry& registry) {
  registry.AddScalar(FixedOverload(
      "pg_size_pretty", {TypeId::kBigInt}, LogicalType::Varchar(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(context, args, rows, LogicalType::Varchar(),
                         [&](int64_t row, VectorBuilder& out) -> Status {
                           return out.AppendString(SizePretty(args[0].Get<int64_t>(row)));
                         });
      }));
  // Floe has no constraints, rules, triggers, extended statistics or publications (their
  // pg_catalog relations are empty) and lists no functions in pg_proc: PostgreSQL answers NULL
  // for an OID naming no such object, and no relation is publishable.
  LogicalType text = LogicalType::Varchar();
  for (const char* name : {"pg_get_constraintdef", "pg_get_ruledef", "pg_get_triggerdef"}) {
    registry.AddScalar(ConstantOverload(name, Specs({TypeId::kInteger}), text, {}));
    registry.AddScalar(
        ConstantOverload(name, Specs({TypeId::kInteger, TypeId::kBoolean}), text, {}));
  }
  for (const char* name : {"pg_get_statisticsobjdef_columns", "pg_get_function_result",
                           "pg_get_function_arguments", "pg_get_function_identity_arguments"}) {
    registry.AddScalar(ConstantOverload(name, Specs({TypeId::kInteger}), text, {}));
  }
  registry.AddScalar(ConstantOverload("pg_relation_is_publishable", Specs({TypeId::kInteger}),
                                      LogicalType::Boolean(), types::Value::Boolean(false)));
  // Every function Floe has is in pg_catalog, which is always on the search path.
  registry.AddScalar(AlwaysTrue("pg_function_is_visible", {TypeId::kInteger}));
}

}  // namespace

void RegisterCatalogFunctions(FunctionRegistry& registry) {
  // The same version the wire protocol announces as server_version, so that tools reading
  // either see one PostgreSQL release.
  registry.AddScalar(
      ConstantOverload("version", {}, LogicalType::Varchar(),
                       types::Value::Varchar(fmt::format("PostgreSQL 15.0 (Floe {})", kVersion))));
  registry.AddScalar(ConstantOverload("current_database", {}, LogicalType::Varchar(),
                                      types::Value::Varchar("floe")));
  registry.AddScalar(FixedOverload(
      "pg_encoding_to_char", {TypeId::kInteger}, LogicalType::Varchar(),
      [](FunctionContext& context, std::span<const Vector> args, int64_t rows) -> Result<Vector> {
        return BuildRows(context, args, rows, LogicalType::Varchar(),
                         [&](int64_t row, VectorBuilder& out) -> Status {
                           int32_t encoding = args[0].Get<int32_t>(row);
                           return out.AppendString(encoding == kUtf8Encoding ? "UTF8"
                                                   : encoding == 0           ? "SQL_ASCII"
                                                                             : "");
                         });
      }));
  RegisterFormatType(registry);
  RegisterRoleFunctions(registry);
  RegisterDescriptions(registry);
  RegisterObjectDefinitions(registry);
}

}  // namespace floe::sql::internal
