#include "sql/functions/pg_types.h"

#include <array>

#include <fmt/format.h>

namespace floe::sql {
namespace {

using types::LogicalType;
using types::TypeId;

// OIDs, names, lengths and categories are PostgreSQL's (its pg_type.dat), so that clients that
// map OIDs to types keep working.
constexpr std::array kTypes = {
    PgType{16, "bool", "boolean", 1, true, 'B', 0, 1000},
    PgType{17, "bytea", "bytea", -1, false, 'U', 0, 1001},
    PgType{18, "char", "\"char\"", 1, true, 'Z', 0, 1002},
    PgType{19, "name", "name", 64, false, 'S', 0, 1003},
    PgType{20, "int8", "bigint", 8, true, 'N', 0, 1016},
    PgType{21, "int2", "smallint", 2, true, 'N', 0, 1005},
    PgType{23, "int4", "integer", 4, true, 'N', 0, 1007},
    PgType{25, "text", "text", -1, false, 'S', 0, 1009},
    PgType{26, "oid", "oid", 4, true, 'N', 0, 1028},
    PgType{700, "float4", "real", 4, true, 'N', 0, 1021},
    PgType{701, "float8", "double precision", 8, true, 'N', 0, 1022},
    PgType{1043, "varchar", "character varying", -1, false, 'S', 0, 1015},
    PgType{1082, "date", "date", 4, true, 'D', 0, 1182},
    PgType{1083, "time", "time without time zone", 8, true, 'D', 0, 1183},
    PgType{1114, "timestamp", "timestamp without time zone", 8, true, 'D', 0, 1115},
    PgType{1184, "timestamptz", "timestamp with time zone", 8, true, 'D', 0, 1185},
    PgType{1186, "interval", "interval", 16, false, 'T', 0, 1187},
    PgType{1700, "numeric", "numeric", -1, false, 'N', 0, 1231},
    PgType{2249, "record", "record", -1, false, 'P', 0, 2287},
    PgType{2950, "uuid", "uuid", 16, false, 'U', 0, 2951},
    PgType{1000, "_bool", "boolean[]", -1, false, 'A', 16, 0},
    PgType{1001, "_bytea", "bytea[]", -1, false, 'A', 17, 0},
    PgType{1002, "_char", "\"char\"[]", -1, false, 'A', 18, 0},
    PgType{1003, "_name", "name[]", -1, false, 'A', 19, 0},
    PgType{1016, "_int8", "bigint[]", -1, false, 'A', 20, 0},
    PgType{1005, "_int2", "smallint[]", -1, false, 'A', 21, 0},
    PgType{1007, "_int4", "integer[]", -1, false, 'A', 23, 0},
    PgType{1009, "_text", "text[]", -1, false, 'A', 25, 0},
    PgType{1028, "_oid", "oid[]", -1, false, 'A', 26, 0},
    PgType{1021, "_float4", "real[]", -1, false, 'A', 700, 0},
    PgType{1022, "_float8", "double precision[]", -1, false, 'A', 701, 0},
    PgType{1015, "_varchar", "character varying[]", -1, false, 'A', 1043, 0},
    PgType{1182, "_date", "date[]", -1, false, 'A', 1082, 0},
    PgType{1183, "_time", "time without time zone[]", -1, false, 'A', 1083, 0},
    PgType{1115, "_timestamp", "timestamp without time zone[]", -1, false, 'A', 1114, 0},
    PgType{1185, "_timestamptz", "timestamp with time zone[]", -1, false, 'A', 1184, 0},
    PgType{1187, "_interval", "interval[]", -1, false, 'A', 1186, 0},
    PgType{1231, "_numeric", "numeric[]", -1, false, 'A', 1700, 0},
    PgType{2287, "_record", "record[]", -1, false, 'A', 2249, 0},
    PgType{2951, "_uuid", "uuid[]", -1, false, 'A', 2950, 0},
};

int32_t ScalarOid(TypeId id) {
  switch (id) {
    case TypeId::kBoolean:
      return 16;
    case TypeId::kSmallInt:
      return 21;
    case TypeId::kInteger:
      return 23;
    case TypeId::kBigInt:
      return 20;
    case TypeId::kReal:
      return 700;
    case TypeId::kDouble:
      return 701;
    case TypeId::kDecimal:
      return 1700;
    case TypeId::kDate:
      return 1082;
    case TypeId::kTime:
      return 1083;
    case TypeId::kTimestamp:
      return 1114;
    case TypeId::kTimestampTz:
      return 1184;
    case TypeId::kInterval:
      return 1186;
    case TypeId::kVarchar:
      return 1043;
    case TypeId::kBytea:
      return 17;
    case TypeId::kUuid:
      return 2950;
    case TypeId::kStruct:
      return 2249;
    default:
      return 25;
  }
}

}  // namespace

std::span<const PgType> PgTypes() {
  return kTypes;
}

const PgType* FindPgType(int32_t oid) {
  for (const PgType& type : kTypes) {
    if (type.oid == oid) {
      return &type;
    }
  }
  return nullptr;
}

int32_t PgTypeOid(const LogicalType& type) {
  if (type.id() == TypeId::kList) {
    const LogicalType& element = type.element_type();
    const PgType* scalar = element.IsNested() ? nullptr : FindPgType(ScalarOid(element.id()));
    return scalar == nullptr ? 25 : scalar->array_oid;
  }
  return ScalarOid(type.id());
}

int32_t PgTypeModifier(const LogicalType& type) {
  if (type.id() == TypeId::kDecimal) {
    return ((type.precision() << 16) | type.scale()) + 4;
  }
  return -1;
}

std::string FormatPgType(int32_t oid, int32_t type_modifier) {
  const PgType* type = FindPgType(oid);
  if (type == nullptr) {
    return "???";
  }
  // PostgreSQL stores numeric's modifier as ((precision << 16) | scale) + 4 and varchar's as
  // length + 4; -1 means none.
  if (oid == 1700 && type_modifier >= 4) {
    int32_t packed = type_modifier - 4;
    return fmt::format("numeric({},{})", (packed >> 16) & 0xffff, packed & 0xffff);
  }
  if (oid == 1043 && type_modifier >= 4) {
    return fmt::format("character varying({})", type_modifier - 4);
  }
  return type->sql_name;
}

}  // namespace floe::sql
