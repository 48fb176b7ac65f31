#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "table/schema.h"
#include "types/value.h"
#include "vector/vector.h"

namespace floe::table {

/// The partition transforms of the spec ("Partition Transforms"). kUnknown keeps a transform
/// this version does not know, so metadata that uses it still round-trips (the spec asks
/// readers to ignore such fields when pruning).
enum class TransformKind : uint8_t {
  kIdentity,
  kBucket,
  kTruncate,
  kYear,
  kMonth,
  kDay,
  kHour,
  kVoid,
  kUnknown,
};

/// A partition or sort transform with its parameter (the N of bucket[N], the W of truncate[W]).
class Transform {
 public:
  Transform() = default;

  static Transform Identity() { return Transform(TransformKind::kIdentity, 0); }
  /// Returns bucket[num_buckets], or InvalidArgument unless num_buckets > 0.
  static Result<Transform> Bucket(int32_t num_buckets);
  /// Returns truncate[width], or InvalidArgument unless width > 0.
  static Result<Transform> Truncate(int32_t width);
  static Transform Year() { return Transform(TransformKind::kYear, 0); }
  static Transform Month() { return Transform(TransformKind::kMonth, 0); }
  static Transform Day() { return Transform(TransformKind::kDay, 0); }
  static Transform Hour() { return Transform(TransformKind::kHour, 0); }
  static Transform Void() { return Transform(TransformKind::kVoid, 0); }

  /// Parses "identity", "bucket[16]", "truncate[4]", "year", ..., "void". Any other name
  /// gives a kUnknown transform that prints back as given; malformed parameters
  /// ("bucket[0]", "bucket[x]") give InvalidArgument.
  static Result<Transform> Parse(std::string_view text);

  TransformKind kind() const { return kind_; }
  /// The N of bucket[N] or W of truncate[W]; 0 otherwise.
  int32_t parameter() const { return parameter_; }
  /// Returns the spec's text form, as Parse() accepts it.
  std::string ToString() const;

  /// True when the transform accepts a source column of `source` type.
  bool CanTransform(const Type& source) const;
  /// Returns the type of the transform's result for a `source` column (spec table of
  /// transforms): bucket, year, month, day and hour give int; identity, truncate and void keep
  /// the source type. Errors: InvalidArgument when CanTransform() is false.
  Result<Type> ResultType(const Type& source) const;

  /// Returns the transformed value of `value`, a value of the Floe type that `source` maps to
  /// (ToLogicalType); NULL gives NULL, void gives NULL. Results are Floe values of the result
  /// type: int -> integer. Errors: InvalidArgument when the transform does not apply to the
  /// value's type, NotSupported for an unknown transform.
  Result<types::Value> Apply(const Type& source, const types::Value& value) const;
  /// Applies the transform to each row of `input`; same contract as the scalar form.
  Result<vector::Vector> Apply(const Type& source, const vector::Vector& input) const;

  /// True when a <= b implies T(a) <= T(b) (identity, truncate, year, month, day, hour, void),
  /// so bounds on the source column bound the partition values (for pruning).
  bool PreservesOrder() const;

  /// Returns the human-readable text of a transformed value as used in partition paths:
  /// year "2024", month "2024-01", day "2024-01-02", hour "2024-01-02-10", others as the
  /// value's text, "null" for NULL (before escaping).
  std::string ToHumanString(const Type& source, const types::Value& result) const;

  friend bool operator==(const Transform& a, const Transform& b) = default;

 private:
  Transform(TransformKind kind, int32_t parameter) : kind_(kind), parameter_(parameter) {}

  TransformKind kind_ = TransformKind::kIdentity;
  int32_t parameter_ = 0;
  std::string unknown_text_;  // The name of a kUnknown transform.
};

/// Returns the 32-bit Murmur3 hash (x86 variant, seed 0) of `bytes`, as the spec's
/// "32-bit Hash Requirements" appendix defines it.
int32_t Murmur3Hash32(std::string_view bytes);

/// Returns the spec's hash of a non-NULL value of Iceberg type `type` (int and long as an
/// 8-byte little-endian long, decimals as minimal big-endian unscaled bytes, ...).
/// Errors: InvalidArgument for types the spec does not hash (boolean, float, double, nested).
Result<int32_t> HashValue(const Type& type, const types::Value& value);

}  // namespace floe::table
