#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "table/schema.h"
#include "types/value.h"

namespace floe::table {

/// Evolves a schema by the rules of the spec ("Schema Evolution"): columns are added, dropped,
/// renamed, reordered, made optional or widened, and field ids are never reused (new ids
/// follow `last_column_id`). Columns are named by dotted paths through structs ("a.b").
///
/// Each change is checked when it is made; the first refused change is remembered and returned
/// by Apply(), so a chain of changes reads as one statement. Not thread-safe.
class SchemaUpdate {
 public:
  SchemaUpdate(const Schema& base, int32_t last_column_id, int format_version);

  /// Adds `name` under the struct `parent` (empty: top level) with fresh ids for `type` and
  /// its nested fields. A required column needs `default_value`, which sets initial-default
  /// and write-default, a format version 3 feature. Refused: name collision, missing parent,
  /// a required column without default, defaults before format version 3.
  SchemaUpdate& AddColumn(std::string_view parent, std::string name, const Type& type,
                          bool is_required = false,
                          std::optional<types::Value> default_value = std::nullopt,
                          std::string doc = {});
  /// Drops a column. Refused: a missing column, an identifier field or a struct holding one.
  SchemaUpdate& DropColumn(std::string_view name);
  /// Renames a column in place. Refused: a name that exists in the same struct.
  SchemaUpdate& RenameColumn(std::string_view name, std::string new_name);
  /// Makes a required column optional (the reverse is refused: old files may hold NULLs).
  SchemaUpdate& MakeOptional(std::string_view name);
  /// Widens a primitive column: int -> long, float -> double, decimal(P,S) -> decimal(P2,S)
  /// with P2 >= P. Every other change, narrowing included, is refused.
  SchemaUpdate& WidenColumn(std::string_view name, const Type& type);
  /// Moves a column within its struct: first, or before / after a sibling.
  SchemaUpdate& MoveFirst(std::string_view name);
  SchemaUpdate& MoveBefore(std::string_view name, std::string_view sibling);
  SchemaUpdate& MoveAfter(std::string_view name, std::string_view sibling);

  /// Returns the evolved schema with id `schema_id`, or the first refused change's error
  /// (InvalidArgument naming the column).
  Result<Schema> Apply(int32_t schema_id) const;
  /// The largest id assigned so far, to store as the table's last-column-id.
  int32_t last_column_id() const { return last_column_id_; }

 private:
  Status EditColumn(std::string_view name,
                    const std::function<Status(std::vector<NestedField>&, size_t)>& edit);
  Status Move(std::string_view name, std::optional<std::string_view> sibling, bool is_after);
  SchemaUpdate& Record(Status status);

  std::vector<NestedField> fields_;
  std::vector<int32_t> identifier_field_ids_;
  int32_t last_column_id_;
  int format_version_;
  Status error_;
};

}  // namespace floe::table
