#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "types/value.h"

namespace floe::table {

/// A filter over a table's columns, named by field id: the form a scan takes its filter in.
///
/// Leaves compare one field with literals (`field op literal`, IS [NOT] NULL, IS [NOT] NAN,
/// [NOT] IN); inner nodes are AND, OR and NOT. Literals are Floe values; a literal of another
/// type than the field's (an INTEGER for a long column) is cast exactly to the field's type when
/// the predicate is used, and a literal that does not cast exactly prunes nothing. Comparisons
/// follow SQL as PostgreSQL has it: a NULL field value satisfies no comparison, and NaN is equal
/// to itself and greater than every other number. Plain data; cheap enough to copy.
class Predicate {
 public:
  enum class Kind : uint8_t {
    kTrue,
    kFalse,
    kAnd,
    kOr,
    kNot,
    kEqual,
    kNotEqual,
    kLess,
    kLessEqual,
    kGreater,
    kGreaterEqual,
    kIsNull,
    kIsNotNull,
    kIsNan,
    kNotNan,
    kIn,
    kNotIn,
  };

  /// The predicate that every row satisfies.
  Predicate() = default;

  static Predicate True() { return Predicate(Kind::kTrue); }
  static Predicate False() { return Predicate(Kind::kFalse); }
  static Predicate And(std::vector<Predicate> children);
  static Predicate And(Predicate left, Predicate right);
  static Predicate Or(std::vector<Predicate> children);
  static Predicate Or(Predicate left, Predicate right);
  static Predicate Not(Predicate child);
  /// Returns `field op literal` for one of the six comparison kinds.
  static Predicate Compare(Kind kind, int32_t field_id, types::Value literal);
  static Predicate Equal(int32_t field_id, types::Value literal);
  static Predicate NotEqual(int32_t field_id, types::Value literal);
  static Predicate Less(int32_t field_id, types::Value literal);
  static Predicate LessEqual(int32_t field_id, types::Value literal);
  static Predicate Greater(int32_t field_id, types::Value literal);
  static Predicate GreaterEqual(int32_t field_id, types::Value literal);
  static Predicate IsNull(int32_t field_id);
  static Predicate IsNotNull(int32_t field_id);
  static Predicate IsNan(int32_t field_id);
  static Predicate NotNan(int32_t field_id);
  static Predicate In(int32_t field_id, std::vector<types::Value> literals);
  static Predicate NotIn(int32_t field_id, std::vector<types::Value> literals);

  Kind kind() const { return kind_; }
  /// True for the leaf kinds (comparisons, null and NaN tests, IN lists).
  bool IsLeaf() const;
  int32_t field_id() const { return field_id_; }
  /// The literal of a comparison; the list of IN and NOT IN.
  const types::Value& literal() const { return literals_.front(); }
  const std::vector<types::Value>& literals() const { return literals_; }
  const std::vector<Predicate>& children() const { return children_; }

  /// Returns the predicate with NOT pushed down to the leaves (De Morgan; NOT of a leaf becomes
  /// its opposite leaf: < becomes >=, IS NULL becomes IS NOT NULL, IN becomes NOT IN). The
  /// result has no kNot node. Exact for pruning: both forms reject rows whose field is NULL.
  Predicate PushDownNot() const;

  /// Appends the field ids the predicate reads to `field_ids` (repeats possible).
  void CollectFieldIds(std::vector<int32_t>& field_ids) const;

  /// Returns a readable form for messages and plans: "(1 = 5 AND 2 IS NULL)".
  std::string ToString() const;

  friend bool operator==(const Predicate& a, const Predicate& b) = default;

 private:
  explicit Predicate(Kind kind) : kind_(kind) {}

  Kind kind_ = Kind::kTrue;
  int32_t field_id_ = 0;
  std::vector<types::Value> literals_;
  std::vector<Predicate> children_;
};

/// Returns the leaf kind that holds exactly where `kind` is false for a non-NULL value
/// (= and !=, < and >=, IS NULL and IS NOT NULL, IN and NOT IN, ...).
Predicate::Kind NegateLeafKind(Predicate::Kind kind);

}  // namespace floe::table
