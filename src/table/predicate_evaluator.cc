#include "table/predicate_evaluator.h"

#include <climits>
#include <cmath>
#include <string>
#include <utility>

#include "format/parquet/reader/column_predicate.h"
#include "table/value_serialization.h"

namespace floe::table {

using types::TypeId;
using types::Value;
using Kind = Predicate::Kind;

std::optional<Value> CoerceLiteral(const Type& type, const Value& literal) {
  if (literal.is_null()) {
    return std::nullopt;
  }
  Result<types::LogicalType> logical = ToLogicalType(type);
  if (!logical.ok()) {
    return std::nullopt;
  }
  return format::parquet::CastExactly(literal, *logical);
}

namespace {

bool IsNanValue(const Value& value) {
  if (value.is_null()) {
    return false;
  }
  if (value.type().id() == TypeId::kReal) {
    return std::isnan(value.real_value());
  }
  if (value.type().id() == TypeId::kDouble) {
    return std::isnan(value.double_value());
  }
  return false;
}

// Partition values are typed from a manifest's Avro schema (a day as DATE, an hour as INTEGER),
// transformed literals from the transform's result type: compare integral values as longs.
Value Normalize(const Value& value) {
  if (value.is_null()) {
    return value;
  }
  switch (value.type().id()) {
    case TypeId::kSmallInt:
      return Value::BigInt(value.smallint_value());
    case TypeId::kInteger:
      return Value::BigInt(value.integer_value());
    case TypeId::kDate:
      return Value::BigInt(value.date_value());
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return Value::BigInt(value.time_value());
    default:
      return value;
  }
}

int CompareNormalized(const Value& a, const Value& b) {
  return Normalize(a).Compare(Normalize(b));
}

// Returns whether a value in [lower, upper] may satisfy `kind` against `literal`.
bool RangeMayMatch(Kind kind, const Value& lower, const Value& upper, const Value& literal) {
  switch (kind) {
    case Kind::kEqual:
      return CompareNormalized(lower, literal) <= 0 && CompareNormalized(literal, upper) <= 0;
    case Kind::kNotEqual:
      return !(CompareNormalized(lower, literal) == 0 && CompareNormalized(upper, literal) == 0);
    case Kind::kLess:
      return CompareNormalized(lower, literal) < 0;
    case Kind::kLessEqual:
      return CompareNormalized(lower, literal) <= 0;
    case Kind::kGreater:
      return CompareNormalized(upper, literal) > 0;
    case Kind::kGreaterEqual:
      return CompareNormalized(upper, literal) >= 0;
    default:
      return true;
  }
}

template <typename Leaf>
bool Evaluate(const Predicate& predicate, const Leaf& leaf) {
  switch (predicate.kind()) {
    case Kind::kTrue:
      return true;
    case Kind::kFalse:
      return false;
    case Kind::kAnd:
      for (const Predicate& child : predicate.children()) {
        if (!Evaluate(child, leaf)) {
          return false;
        }
      }
      return true;
    case Kind::kOr:
      for (const Predicate& child : predicate.children()) {
        if (Evaluate(child, leaf)) {
          return true;
        }
      }
      return false;
    case Kind::kNot:
      return true;  // Not reached: NOT is pushed down first.
    default:
      return leaf(predicate);
  }
}

std::optional<int64_t> FindCount(const ColumnCounts& counts, int32_t field_id) {
  for (const auto& [id, count] : counts) {
    if (id == field_id) {
      return count;
    }
  }
  return std::nullopt;
}

const std::string* FindBound(const ColumnBounds& bounds, int32_t field_id) {
  for (const auto& [id, bytes] : bounds) {
    if (id == field_id) {
      return &bytes;
    }
  }
  return nullptr;
}

std::optional<Value> DecodeBound(const Type& type, const std::string* bytes) {
  if (bytes == nullptr) {
    return std::nullopt;
  }
  Result<Value> value = DeserializeValue(type, *bytes);
  if (!value.ok() || IsNanValue(*value)) {
    return std::nullopt;
  }
  return std::move(*value);
}

// Coerces every literal of a leaf to the field's type; false when one does not cast exactly.
bool CoerceLiterals(const Type& type, const Predicate& leaf, std::vector<Value>& out) {
  for (const Value& literal : leaf.literals()) {
    std::optional<Value> coerced = CoerceLiteral(type, literal);
    if (!coerced.has_value()) {
      return false;
    }
    out.push_back(std::move(*coerced));
  }
  return true;
}

// Returns the next integral value up or down (ints, longs, dates, times, timestamps, decimals'
// unscaled values); other values, and values at the edge of their range, unchanged.
Value StepIntegral(const Value& value, int step) {
  switch (value.type().id()) {
    case TypeId::kInteger: {
      int64_t next = int64_t{value.integer_value()} + step;
      return next < INT32_MIN || next > INT32_MAX ? value
                                                  : Value::Integer(static_cast<int32_t>(next));
    }
    case TypeId::kBigInt: {
      const int64_t v = value.bigint_value();
      return (step < 0 && v == INT64_MIN) || (step > 0 && v == INT64_MAX) ? value
                                                                          : Value::BigInt(v + step);
    }
    case TypeId::kDate:
      return Value::Date(value.date_value() + step);
    case TypeId::kTime:
      return Value::Time(value.time_value() + step);
    case TypeId::kTimestamp:
      return Value::Timestamp(value.timestamp_value() + step);
    case TypeId::kTimestampTz:
      return Value::TimestampTz(value.timestamp_value() + step);
    default:
      return value;
  }
}

bool IsFloating(const Type& type) {
  return type.kind() == TypeKind::kFloat || type.kind() == TypeKind::kDouble;
}

bool IsComparison(Kind kind) {
  return kind == Kind::kEqual || kind == Kind::kNotEqual || kind == Kind::kLess ||
         kind == Kind::kLessEqual || kind == Kind::kGreater || kind == Kind::kGreaterEqual;
}

// Projects a leaf on a source column through `transform` and decides it on a transformed
// value range [lower, upper] (equal for one partition tuple). `contains_null` says whether the
// range's rows may have a NULL source, `has_values` whether some may not.
bool TransformedMayMatch(const Predicate& leaf, const Type& source, const Transform& transform,
                         const std::optional<Value>& lower, const std::optional<Value>& upper,
                         bool contains_null, bool has_values) {
  if (transform.kind() == TransformKind::kVoid || transform.kind() == TransformKind::kUnknown) {
    return true;
  }
  switch (leaf.kind()) {
    case Kind::kIsNull:
      return contains_null;
    case Kind::kIsNotNull:
      return has_values;
    case Kind::kIsNan:
    case Kind::kNotNan:
      return has_values || transform.kind() != TransformKind::kIdentity;
    default:
      break;
  }
  if (!has_values) {
    return false;  // Every source value is NULL: no comparison holds.
  }
  if (!lower.has_value() || !upper.has_value()) {
    return true;
  }
  std::vector<Value> literals;
  if (!CoerceLiterals(source, leaf, literals)) {
    return true;
  }
  const bool is_identity = transform.kind() == TransformKind::kIdentity;
  const bool is_bucket = transform.kind() == TransformKind::kBucket;
  if (leaf.kind() == Kind::kNotEqual || leaf.kind() == Kind::kNotIn) {
    if (!is_identity) {
      return true;
    }
    for (const Value& literal : literals) {
      if (!RangeMayMatch(Kind::kNotEqual, *lower, *upper, literal)) {
        return false;
      }
    }
    return true;
  }
  if (leaf.kind() == Kind::kIn || leaf.kind() == Kind::kEqual) {
    for (const Value& literal : literals) {
      if (IsNanValue(literal)) {
        return true;
      }
      Result<Value> transformed = transform.Apply(source, literal);
      if (!transformed.ok()) {
        return true;
      }
      if (RangeMayMatch(Kind::kEqual, *lower, *upper, *transformed)) {
        return true;
      }
    }
    return false;
  }
  if (is_bucket || !IsComparison(leaf.kind()) || IsNanValue(literals.front())) {
    return true;
  }
  Kind kind = leaf.kind();
  Value literal = literals.front();
  if (!is_identity && (kind == Kind::kLess || kind == Kind::kGreater)) {
    // T preserves order but not strictness: x < v only implies T(x) <= T(v), and for
    // integral sources x < v is x <= v - 1, which projects tighter (spec: "Scan Planning").
    literal = StepIntegral(literal, kind == Kind::kLess ? -1 : 1);
    kind = kind == Kind::kLess ? Kind::kLessEqual : Kind::kGreaterEqual;
  }
  Result<Value> transformed = transform.Apply(source, literal);
  if (!transformed.ok()) {
    return true;
  }
  return RangeMayMatch(kind, *lower, *upper, *transformed);
}

}  // namespace

PredicateEvaluator::PredicateEvaluator(const Schema& schema, const Predicate& predicate)
    : schema_(schema), predicate_(predicate.PushDownNot()) {}

bool PredicateEvaluator::FileMayMatch(const DataFile& file) const {
  return Evaluate(predicate_, [&](const Predicate& leaf) {
    const NestedField* field = schema_.FindField(leaf.field_id());
    if (field == nullptr || !field->type.IsPrimitive()) {
      return true;
    }
    const int32_t id = leaf.field_id();
    std::optional<int64_t> value_count = FindCount(file.value_counts, id);
    std::optional<int64_t> null_count = FindCount(file.null_value_counts, id);
    std::optional<int64_t> nan_count = FindCount(file.nan_value_counts, id);
    const bool is_all_null = value_count.has_value() && null_count.has_value() &&
                             *value_count == *null_count && file.record_count > 0;
    switch (leaf.kind()) {
      case Kind::kIsNull:
        return !null_count.has_value() || *null_count > 0;
      case Kind::kIsNotNull:
        return !is_all_null;
      case Kind::kIsNan:
        return !is_all_null && (!nan_count.has_value() || *nan_count > 0);
      case Kind::kNotNan:
        return !is_all_null;
      default:
        break;
    }
    if (is_all_null) {
      return false;
    }
    if (leaf.kind() == Kind::kNotEqual || leaf.kind() == Kind::kNotIn) {
      return true;
    }
    std::optional<Value> lower = DecodeBound(field->type, FindBound(file.lower_bounds, id));
    std::optional<Value> upper = DecodeBound(field->type, FindBound(file.upper_bounds, id));
    std::vector<Value> literals;
    if (!CoerceLiterals(field->type, leaf, literals)) {
      return true;
    }
    for (const Value& literal : literals) {
      if (IsNanValue(literal)) {
        return true;
      }
      const Kind kind = leaf.kind() == Kind::kIn ? Kind::kEqual : leaf.kind();
      const Value& low = lower.has_value() ? *lower : Value();
      const Value& high = upper.has_value() ? *upper : Value();
      bool may_match = true;
      if (lower.has_value() &&
          (kind == Kind::kEqual || kind == Kind::kLess || kind == Kind::kLessEqual)) {
        may_match =
            RangeMayMatch(kind == Kind::kEqual ? Kind::kLessEqual : kind, low, low, literal);
      }
      // NaN sorts above every number (as in PostgreSQL) but bounds leave NaN out: a file that
      // may hold NaN may match > and >= whatever its upper bound.
      const bool may_hold_nan = IsFloating(field->type) && nan_count != 0;
      const bool upper_bounds_all = !(may_hold_nan && kind != Kind::kEqual);
      if (may_match && upper.has_value() && upper_bounds_all &&
          (kind == Kind::kEqual || kind == Kind::kGreater || kind == Kind::kGreaterEqual)) {
        may_match =
            RangeMayMatch(kind == Kind::kEqual ? Kind::kGreaterEqual : kind, high, high, literal);
      }
      if (may_match) {
        return true;
      }
    }
    return false;
  });
}

bool PredicateEvaluator::PartitionMayMatch(const PartitionSpec& spec,
                                           const std::vector<Value>& tuple) const {
  return Evaluate(predicate_, [&](const Predicate& leaf) {
    const NestedField* source = schema_.FindField(leaf.field_id());
    if (source == nullptr || !source->type.IsPrimitive()) {
      return true;
    }
    for (size_t i = 0; i < spec.fields().size() && i < tuple.size(); ++i) {
      const PartitionField& field = spec.fields()[i];
      if (field.source_ids.size() != 1 || field.source_id() != leaf.field_id()) {
        continue;
      }
      const Value& value = tuple[i];
      const bool is_null = value.is_null();
      std::optional<Value> bound = is_null ? std::nullopt : std::optional<Value>(value);
      if (!TransformedMayMatch(leaf, source->type, field.transform, bound, bound, is_null,
                               !is_null)) {
        return false;
      }
    }
    return true;
  });
}

bool PredicateEvaluator::ManifestMayMatch(
    const PartitionSpec& spec, const std::vector<PartitionFieldSummary>& summaries) const {
  if (summaries.size() != spec.fields().size()) {
    return true;
  }
  return Evaluate(predicate_, [&](const Predicate& leaf) {
    const NestedField* source = schema_.FindField(leaf.field_id());
    if (source == nullptr || !source->type.IsPrimitive()) {
      return true;
    }
    for (size_t i = 0; i < spec.fields().size(); ++i) {
      const PartitionField& field = spec.fields()[i];
      if (field.source_ids.size() != 1 || field.source_id() != leaf.field_id()) {
        continue;
      }
      Result<Type> result_type = field.transform.ResultType(source->type);
      if (!result_type.ok()) {
        continue;
      }
      const PartitionFieldSummary& summary = summaries[i];
      auto decode = [&](const std::optional<std::string>& bytes) -> std::optional<Value> {
        return bytes.has_value() ? DecodeBound(*result_type, &*bytes) : std::nullopt;
      };
      std::optional<Value> lower = decode(summary.lower_bound);
      std::optional<Value> upper = decode(summary.upper_bound);
      // Bounds are absent only when every value is NULL (or NaN).
      const bool has_values = summary.lower_bound.has_value() || summary.contains_nan != false;
      if (IsFloating(source->type) && summary.contains_nan != false &&
          (leaf.kind() == Kind::kGreater || leaf.kind() == Kind::kGreaterEqual)) {
        continue;  // NaN sorts above the upper bound, which leaves it out.
      }
      if (!TransformedMayMatch(leaf, source->type, field.transform, lower, upper,
                               summary.contains_null, has_values)) {
        return false;
      }
    }
    return true;
  });
}

namespace {

std::optional<bool> EvaluateRowLeaf(const Predicate& leaf, const Schema& schema,
                                    const Value& value) {
  switch (leaf.kind()) {
    case Kind::kIsNull:
      return value.is_null();
    case Kind::kIsNotNull:
      return !value.is_null();
    case Kind::kIsNan:
      return value.is_null() ? std::nullopt : std::optional<bool>(IsNanValue(value));
    case Kind::kNotNan:
      return value.is_null() ? std::nullopt : std::optional<bool>(!IsNanValue(value));
    default:
      break;
  }
  if (value.is_null()) {
    return std::nullopt;
  }
  const NestedField* field = schema.FindField(leaf.field_id());
  std::vector<Value> literals;
  for (const Value& literal : leaf.literals()) {
    std::optional<Value> coerced =
        field != nullptr ? CoerceLiteral(field->type, literal) : std::nullopt;
    literals.push_back(coerced.has_value() ? std::move(*coerced) : literal);
  }
  if (leaf.kind() == Kind::kIn || leaf.kind() == Kind::kNotIn) {
    bool found = false;
    for (const Value& literal : literals) {
      found = found || value.Compare(literal) == 0;
    }
    return leaf.kind() == Kind::kIn ? found : !found;
  }
  const Value& literal = literals.front();
  // Value::Compare orders NaN above every number and equal to itself, as PostgreSQL does.
  const int order = value.Compare(literal);
  switch (leaf.kind()) {
    case Kind::kEqual:
      return order == 0;
    case Kind::kNotEqual:
      return order != 0;
    case Kind::kLess:
      return order < 0;
    case Kind::kLessEqual:
      return order <= 0;
    case Kind::kGreater:
      return order > 0;
    case Kind::kGreaterEqual:
      return order >= 0;
    default:
      return std::nullopt;
  }
}

std::optional<bool> EvaluateRowTree(const Predicate& predicate, const Schema& schema,
                                    const std::function<Value(int32_t)>& value_of) {
  switch (predicate.kind()) {
    case Kind::kTrue:
      return true;
    case Kind::kFalse:
      return false;
    case Kind::kAnd: {
      std::optional<bool> result = true;
      for (const Predicate& child : predicate.children()) {
        std::optional<bool> value = EvaluateRowTree(child, schema, value_of);
        if (value == false) {
          return false;
        }
        if (!value.has_value()) {
          result = std::nullopt;
        }
      }
      return result;
    }
    case Kind::kOr: {
      std::optional<bool> result = false;
      for (const Predicate& child : predicate.children()) {
        std::optional<bool> value = EvaluateRowTree(child, schema, value_of);
        if (value == true) {
          return true;
        }
        if (!value.has_value()) {
          result = std::nullopt;
        }
      }
      return result;
    }
    case Kind::kNot: {
      std::optional<bool> value = EvaluateRowTree(predicate.children().front(), schema, value_of);
      return value.has_value() ? std::optional<bool>(!*value) : std::nullopt;
    }
    default:
      return EvaluateRowLeaf(predicate, schema, value_of(predicate.field_id()));
  }
}

}  // namespace

namespace {

Predicate ResidualOf(const Predicate& predicate, const Schema& schema, const PartitionSpec& spec,
                     const std::vector<Value>& tuple) {
  switch (predicate.kind()) {
    case Kind::kAnd:
    case Kind::kOr: {
      std::vector<Predicate> children;
      for (const Predicate& child : predicate.children()) {
        children.push_back(ResidualOf(child, schema, spec, tuple));
      }
      return predicate.kind() == Kind::kAnd ? Predicate::And(std::move(children))
                                            : Predicate::Or(std::move(children));
    }
    case Kind::kTrue:
    case Kind::kFalse:
    case Kind::kNot:
      return predicate;
    default:
      break;
  }
  const NestedField* field = schema.FindField(predicate.field_id());
  if (field == nullptr || !field->type.IsPrimitive()) {
    return predicate;
  }
  Result<types::LogicalType> type = ToLogicalType(field->type);
  for (size_t i = 0; i < spec.fields().size() && i < tuple.size(); ++i) {
    const PartitionField& partition_field = spec.fields()[i];
    if (partition_field.transform.kind() != TransformKind::kIdentity ||
        partition_field.source_ids.size() != 1 ||
        partition_field.source_id() != predicate.field_id()) {
      continue;
    }
    const Value& value = tuple[i];
    // Decide only when the manifest typed the value as the column's type.
    if (!type.ok() || (!value.is_null() && value.type().id() != type->id())) {
      return predicate;
    }
    std::optional<bool> decided = EvaluateRowLeaf(predicate, schema, value);
    return decided == true ? Predicate::True() : Predicate::False();
  }
  return predicate;
}

}  // namespace

Predicate PredicateEvaluator::Residual(const PartitionSpec& spec,
                                       const std::vector<Value>& tuple) const {
  return ResidualOf(predicate_, schema_, spec, tuple);
}

std::optional<bool> PredicateEvaluator::EvaluateRow(
    const std::function<Value(int32_t field_id)>& value_of) const {
  return EvaluateRowTree(predicate_, schema_, value_of);
}

}  // namespace floe::table
