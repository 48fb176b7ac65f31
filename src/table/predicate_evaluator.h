#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "table/data_file.h"
#include "table/manifest_list.h"
#include "table/partition_spec.h"
#include "table/predicate.h"
#include "table/schema.h"
#include "types/value.h"

namespace floe::table {

/// Returns `literal` as a value of the Floe type of Iceberg type `type` when the cast is exact,
/// else nullopt (such a literal prunes nothing).
std::optional<types::Value> CoerceLiteral(const Type& type, const types::Value& literal);

/// Decides, without reading data, whether rows of a file, a partition or a manifest may satisfy
/// a predicate (spec: "Scan Planning"). Every answer is inclusive: false means no row can match,
/// true means some row may. Fields the schema lacks, nested fields, unknown transforms and
/// literals that do not cast exactly never prune. Immutable; thread-safe.
class PredicateEvaluator {
 public:
  /// `predicate` is over field ids of `schema`.
  PredicateEvaluator(const Schema& schema, const Predicate& predicate);

  const Predicate& predicate() const { return predicate_; }
  bool IsAlwaysTrue() const { return predicate_.kind() == Predicate::Kind::kTrue; }

  /// Uses the file's value, null and NaN counts and its lower and upper bounds (Appendix D).
  bool FileMayMatch(const DataFile& file) const;
  /// Uses a partition tuple of `spec` (one value per partition field), projecting each leaf
  /// through the transforms of the spec's fields on its source column: identity, truncate and
  /// the time transforms for comparisons and IN, bucket for = and IN only.
  bool PartitionMayMatch(const PartitionSpec& spec, const std::vector<types::Value>& tuple) const;
  /// Uses a manifest's partition field summaries (lower and upper bounds of each field of the
  /// manifest's spec, whether it contains NULL).
  bool ManifestMayMatch(const PartitionSpec& spec,
                        const std::vector<PartitionFieldSummary>& summaries) const;

  /// Returns the part of the predicate a file of partition `tuple` (of `spec`) leaves open: leaves
  /// on a column with an identity partition field are decided by the partition value and fold
  /// away (a NULL value satisfies only IS NULL). The result has no NOT node.
  Predicate Residual(const PartitionSpec& spec, const std::vector<types::Value>& tuple) const;

  /// Evaluates the predicate on one row in SQL's three-valued logic: true, false, or nullopt for
  /// unknown (a row is kept only when true). `value_of` returns the row's value of a field id.
  std::optional<bool> EvaluateRow(
      const std::function<types::Value(int32_t field_id)>& value_of) const;

 private:
  Schema schema_;
  Predicate predicate_;  // NOT pushed down to the leaves.
};

}  // namespace floe::table
