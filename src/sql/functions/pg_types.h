#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "types/logical_type.h"

namespace floe::sql {

/// A row of pg_catalog.pg_type: a PostgreSQL type with its real OID, as the wire protocol
/// announces it (docs/sql.md, "Catalog views").
struct PgType {
  int32_t oid;
  const char* name;      // typname: "int4", "_int4".
  const char* sql_name;  // As format_type prints it: "integer", "integer[]".
  int16_t length;        // typlen; -1 for variable length.
  bool by_value;
  char category;        // typcategory: 'N' numeric, 'S' string, 'A' array...
  int32_t element_oid;  // typelem: the element of an array type, else 0.
  int32_t array_oid;    // typarray: the array type of this type, else 0.
};

/// Returns every type pg_type lists, scalar types first, then their array types.
std::span<const PgType> PgTypes();

/// Returns the type with `oid`, or null when pg_type has no such type.
const PgType* FindPgType(int32_t oid);

/// Returns the OID of the PostgreSQL type a Floe type is sent as; the same choice the wire
/// protocol's type codec makes (strings are varchar, maps and nested arrays text).
int32_t PgTypeOid(const types::LogicalType& type);

/// Returns the type modifier (atttypmod) of a Floe type: numeric's precision and scale, else -1.
int32_t PgTypeModifier(const types::LogicalType& type);

/// Returns the type's name as PostgreSQL's format_type(oid, typmod) prints it
/// ("numeric(12,2)", "character varying", "integer[]"), or "???" for an unknown OID.
std::string FormatPgType(int32_t oid, int32_t type_modifier);

}  // namespace floe::sql
