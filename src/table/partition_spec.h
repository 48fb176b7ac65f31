#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "table/schema.h"
#include "table/transform.h"
#include "types/value.h"

namespace floe::table {

/// Partition field ids start here in every spec (spec: "Partition Specs").
inline constexpr int32_t kFirstPartitionFieldId = 1000;
/// The last-partition-id of a table without partition fields.
inline constexpr int32_t kNoPartitionFieldId = kFirstPartitionFieldId - 1;

/// One field of a partition spec: a transform of one source column (v3 allows several
/// source columns; `source_ids` then holds them all, in order).
struct PartitionField {
  std::vector<int32_t> source_ids;  // At least one.
  int32_t field_id = 0;
  std::string name;
  Transform transform;

  int32_t source_id() const { return source_ids.front(); }
  friend bool operator==(const PartitionField& a, const PartitionField& b) = default;
};

/// A partition spec: how a table's rows map to partition tuples. Plain data; Validate() checks
/// it against a schema.
class PartitionSpec {
 public:
  PartitionSpec() = default;
  PartitionSpec(int32_t spec_id, std::vector<PartitionField> fields)
      : spec_id_(spec_id), fields_(std::move(fields)) {}

  /// The unpartitioned spec with id 0.
  static PartitionSpec Unpartitioned() { return PartitionSpec(0, {}); }

  int32_t spec_id() const { return spec_id_; }
  const std::vector<PartitionField>& fields() const { return fields_; }
  bool IsUnpartitioned() const;
  /// Returns the largest partition field id, kNoPartitionFieldId when there are none.
  int32_t HighestFieldId() const;

  /// Checks that every source column exists in `schema` and is a primitive the transform
  /// accepts, that field ids and names are unique, and that names do not collide with
  /// schema columns other than the identity source. Errors: InvalidArgument naming the field.
  Status Validate(const Schema& schema) const;

  /// Returns the partition struct type: one optional field per partition field, with the
  /// partition field id, name and the transform's result type.
  Result<Type> PartitionType(const Schema& schema) const;

  /// Returns a row's partition tuple, one value per partition field. `row` is a STRUCT value
  /// laid out as `schema` (ToFloeSchema). Sources under lists or maps are InvalidArgument.
  Result<std::vector<types::Value>> PartitionTuple(const Schema& schema,
                                                   const types::Value& row) const;

  /// Returns the partition path "ts_day=2024-01-02/bucket=3": names and human-readable values
  /// URL-encoded as form data (space -> '+', reserved characters -> %XX), NULL as "null".
  /// Errors: InvalidArgument when the tuple does not match the spec.
  Result<std::string> PartitionPath(const Schema& schema,
                                    const std::vector<types::Value>& tuple) const;

  friend bool operator==(const PartitionSpec& a, const PartitionSpec& b) = default;

 private:
  int32_t spec_id_ = 0;
  std::vector<PartitionField> fields_;
};

/// Returns `text` escaped as a partition path segment (URL form encoding, UTF-8).
std::string EscapePartitionPathSegment(std::string_view text);

/// Parses a partition spec object (spec Appendix C). v1 specs without field ids get ids from
/// 1000 in order. Errors: Corruption naming the key.
Result<PartitionSpec> PartitionSpecFromJson(std::string_view json);
/// Writes a partition spec object as Appendix C describes.
std::string PartitionSpecToJson(const PartitionSpec& spec);

/// Parses / writes a bare list of partition fields, the form of v1's `partition-spec`.
Result<std::vector<PartitionField>> PartitionFieldsFromJsonArray(std::string_view json);
std::string PartitionFieldsToJsonArray(const std::vector<PartitionField>& fields);

/// Returns a spec that evolves `previous_specs` to `fields` (fields given without ids): a
/// field with the same source ids and transform as in any earlier spec keeps its field id,
/// new fields take ids after `last_partition_id` (ids are never reused), and the spec id is one
/// more than the largest existing one. `last_partition_id` is updated. Errors: as Validate().
Result<PartitionSpec> EvolvePartitionSpec(const Schema& schema,
                                          const std::vector<PartitionSpec>& previous_specs,
                                          std::vector<PartitionField> fields,
                                          int32_t& last_partition_id);

}  // namespace floe::table
