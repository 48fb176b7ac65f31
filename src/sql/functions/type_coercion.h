#pragma once

#include <span>
#include <string_view>

#include "common/result.h"
#include "types/logical_type.h"

namespace floe::sql {

/// PostgreSQL's type categories (pg_type.typcategory), which steer implicit casts and the
/// resolution of overloaded functions and operators.
enum class TypeCategory : uint8_t {
  kUnknown,    // The type of a bare NULL (PostgreSQL's "unknown" literal type).
  kBoolean,    // B
  kNumeric,    // N: smallint, integer, bigint, numeric, real, double precision (preferred)
  kString,     // S: text (preferred)
  kDateTime,   // D: date, time, timestamp, timestamp with time zone (preferred)
  kTimespan,   // T: interval (preferred)
  kUser,       // U: bytea, uuid
  kArray,      // A
  kComposite,  // C: STRUCT
  kMap,        // Floe's MAP, which PostgreSQL lacks
};

/// Returns the category of a type.
TypeCategory CategoryOf(const types::LogicalType& type);
/// True for the preferred type of its category (double precision, text, timestamptz, interval,
/// boolean).
bool IsPreferredType(const types::LogicalType& type);

/// True when PostgreSQL casts `from` to `to` implicitly (pg_cast castcontext 'i'): along
/// smallint < integer < bigint < numeric < real < double precision, date to timestamp and
/// timestamptz, timestamp to timestamptz, time to interval, between DECIMALs of any precision,
/// arrays and structs whose elements cast implicitly; the unknown type casts to anything.
bool CanImplicitlyCast(const types::LogicalType& from, const types::LogicalType& to);

/// Returns the concrete type an implicit cast of `from` to the type `to` produces: `to` itself,
/// except that a DECIMAL target keeps a DECIMAL source's precision and takes 5, 10 or 19 digits
/// for smallint, integer and bigint sources.
types::LogicalType ImplicitCastTarget(const types::LogicalType& from, types::TypeId to);

/// Resolves the type of UNION, CASE, COALESCE, IN, VALUES, GREATEST and LEAST inputs as
/// PostgreSQL does (its "UNION, CASE and related constructs" rules): all unknown gives text;
/// otherwise the first known type is the candidate, replaced by a later input's type when the
/// candidate casts implicitly to it but not back, until a preferred type is reached. DECIMALs
/// merge to hold every input's integer digits and scale (at most 38 digits, the scale giving
/// way). `context` names the construct in errors ("UNION", "CASE", "COALESCE"). Errors:
/// InvalidArgument (42804) "UNION types integer and text cannot be matched" when the categories
/// differ; InvalidCast (42846) "UNION could not convert type time without time zone to date"
/// when an input cannot cast implicitly to the result.
Result<types::LogicalType> CommonType(std::span<const types::LogicalType> types,
                                      std::string_view context);

/// Names a type as PostgreSQL's resolution errors do: DECIMALs as "numeric" without precision.
std::string TypeNameForError(const types::LogicalType& type);

}  // namespace floe::sql
