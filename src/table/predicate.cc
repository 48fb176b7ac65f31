#include "table/predicate.h"

#include <utility>

namespace floe::table {

Predicate Predicate::And(std::vector<Predicate> children) {
  Predicate result(Kind::kAnd);
  for (Predicate& child : children) {
    if (child.kind_ == Kind::kFalse) {
      return False();
    }
    if (child.kind_ != Kind::kTrue) {
      result.children_.push_back(std::move(child));
    }
  }
  if (result.children_.empty()) {
    return True();
  }
  if (result.children_.size() == 1) {
    return std::move(result.children_.front());
  }
  return result;
}

Predicate Predicate::And(Predicate left, Predicate right) {
  std::vector<Predicate> children;
  children.push_back(std::move(left));
  children.push_back(std::move(right));
  return And(std::move(children));
}

Predicate Predicate::Or(std::vector<Predicate> children) {
  Predicate result(Kind::kOr);
  for (Predicate& child : children) {
    if (child.kind_ == Kind::kTrue) {
      return True();
    }
    if (child.kind_ != Kind::kFalse) {
      result.children_.push_back(std::move(child));
    }
  }
  if (result.children_.empty()) {
    return False();
  }
  if (result.children_.size() == 1) {
    return std::move(result.children_.front());
  }
  return result;
}

Predicate Predicate::Or(Predicate left, Predicate right) {
  std::vector<Predicate> children;
  children.push_back(std::move(left));
  children.push_back(std::move(right));
  return Or(std::move(children));
}

Predicate Predicate::Not(Predicate child) {
  Predicate result(Kind::kNot);
  result.children_.push_back(std::move(child));
  return result;
}

Predicate Predicate::Compare(Kind kind, int32_t field_id, types::Value literal) {
  Predicate result(kind);
  result.field_id_ = field_id;
  result.literals_.push_back(std::move(literal));
  return result;
}

Predicate Predicate::Equal(int32_t field_id, types::Value literal) {
  return Compare(Kind::kEqual, field_id, std::move(literal));
}
Predicate Predicate::NotEqual(int32_t field_id, types::Value literal) {
  return Compare(Kind::kNotEqual, field_id, std::move(literal));
}
Predicate Predicate::Less(int32_t field_id, types::Value literal) {
  return Compare(Kind::kLess, field_id, std::move(literal));
}
Predicate Predicate::LessEqual(int32_t field_id, types::Value literal) {
  return Compare(Kind::kLessEqual, field_id, std::move(literal));
}
Predicate Predicate::Greater(int32_t field_id, types::Value literal) {
  return Compare(Kind::kGreater, field_id, std::move(literal));
}
Predicate Predicate::GreaterEqual(int32_t field_id, types::Value literal) {
  return Compare(Kind::kGreaterEqual, field_id, std::move(literal));
}

Predicate Predicate::IsNull(int32_t field_id) {
  Predicate result(Kind::kIsNull);
  result.field_id_ = field_id;
  return result;
}
Predicate Predicate::IsNotNull(int32_t field_id) {
  Predicate result(Kind::kIsNotNull);
  result.field_id_ = field_id;
  return result;
}
Predicate Predicate::IsNan(int32_t field_id) {
  Predicate result(Kind::kIsNan);
  result.field_id_ = field_id;
  return result;
}
Predicate Predicate::NotNan(int32_t field_id) {
  Predicate result(Kind::kNotNan);
  result.field_id_ = field_id;
  return result;
}

Predicate Predicate::In(int32_t field_id, std::vector<types::Value> literals) {
  if (literals.empty()) {
    return False();
  }
  Predicate result(Kind::kIn);
  result.field_id_ = field_id;
  result.literals_ = std::move(literals);
  return result;
}

Predicate Predicate::NotIn(int32_t field_id, std::vector<types::Value> literals) {
  if (literals.empty()) {
    return IsNotNull(field_id);
  }
  Predicate result(Kind::kNotIn);
  result.field_id_ = field_id;
  result.literals_ = std::move(literals);
  return result;
}

bool Predicate::IsLeaf() const {
  switch (kind_) {
    case Kind::kTrue:
    case Kind::kFalse:
    case Kind::kAnd:
    case Kind::kOr:
    case Kind::kNot:
      return false;
    default:
      return true;
  }
}

Predicate::Kind NegateLeafKind(Predicate::Kind kind) {
  using Kind = Predicate::Kind;
  switch (kind) {
    case Kind::kEqual:
      return Kind::kNotEqual;
    case Kind::kNotEqual:
      return Kind::kEqual;
    case Kind::kLess:
      return Kind::kGreaterEqual;
    case Kind::kLessEqual:
      return Kind::kGreater;
    case Kind::kGreater:
      return Kind::kLessEqual;
    case Kind::kGreaterEqual:
      return Kind::kLess;
    case Kind::kIsNull:
      return Kind::kIsNotNull;
    case Kind::kIsNotNull:
      return Kind::kIsNull;
    case Kind::kIsNan:
      return Kind::kNotNan;
    case Kind::kNotNan:
      return Kind::kIsNan;
    case Kind::kIn:
      return Kind::kNotIn;
    case Kind::kNotIn:
      return Kind::kIn;
    case Kind::kTrue:
      return Kind::kFalse;
    case Kind::kFalse:
      return Kind::kTrue;
    default:
      return kind;
  }
}

namespace {

Predicate Negate(const Predicate& predicate) {
  using Kind = Predicate::Kind;
  switch (predicate.kind()) {
    case Kind::kTrue:
      return Predicate::False();
    case Kind::kFalse:
      return Predicate::True();
    case Kind::kNot:
      return predicate.children().front().PushDownNot();
    case Kind::kAnd:
    case Kind::kOr: {
      std::vector<Predicate> children;
      for (const Predicate& child : predicate.children()) {
        children.push_back(Negate(child));
      }
      return predicate.kind() == Kind::kAnd ? Predicate::Or(std::move(children))
                                            : Predicate::And(std::move(children));
    }
    case Kind::kIsNull:
      return Predicate::IsNotNull(predicate.field_id());
    case Kind::kIsNotNull:
      return Predicate::IsNull(predicate.field_id());
    case Kind::kIsNan:
      return Predicate::NotNan(predicate.field_id());
    case Kind::kNotNan:
      return Predicate::IsNan(predicate.field_id());
    case Kind::kIn:
      return Predicate::NotIn(predicate.field_id(), predicate.literals());
    case Kind::kNotIn:
      return Predicate::In(predicate.field_id(), predicate.literals());
    default:
      return Predicate::Compare(NegateLeafKind(predicate.kind()), predicate.field_id(),
                                predicate.literal());
  }
}

const char* OperatorText(Predicate::Kind kind) {
  using Kind = Predicate::Kind;
  switch (kind) {
    case Kind::kEqual:
      return "=";
    case Kind::kNotEqual:
      return "!=";
    case Kind::kLess:
      return "<";
    case Kind::kLessEqual:
      return "<=";
    case Kind::kGreater:
      return ">";
    case Kind::kGreaterEqual:
      return ">=";
    default:
      return "?";
  }
}

}  // namespace

Predicate Predicate::PushDownNot() const {
  switch (kind_) {
    case Kind::kNot:
      return Negate(children_.front());
    case Kind::kAnd:
    case Kind::kOr: {
      std::vector<Predicate> children;
      for (const Predicate& child : children_) {
        children.push_back(child.PushDownNot());
      }
      return kind_ == Kind::kAnd ? And(std::move(children)) : Or(std::move(children));
    }
    default:
      return *this;
  }
}

void Predicate::CollectFieldIds(std::vector<int32_t>& field_ids) const {
  if (IsLeaf()) {
    field_ids.push_back(field_id_);
    return;
  }
  for (const Predicate& child : children_) {
    child.CollectFieldIds(field_ids);
  }
}

std::string Predicate::ToString() const {
  const std::string field = "$" + std::to_string(field_id_);
  switch (kind_) {
    case Kind::kTrue:
      return "TRUE";
    case Kind::kFalse:
      return "FALSE";
    case Kind::kNot:
      return "NOT " + children_.front().ToString();
    case Kind::kAnd:
    case Kind::kOr: {
      std::string text = "(";
      for (size_t i = 0; i < children_.size(); ++i) {
        if (i > 0) {
          text += kind_ == Kind::kAnd ? " AND " : " OR ";
        }
        text += children_[i].ToString();
      }
      return text + ")";
    }
    case Kind::kIsNull:
      return field + " IS NULL";
    case Kind::kIsNotNull:
      return field + " IS NOT NULL";
    case Kind::kIsNan:
      return field + " IS NAN";
    case Kind::kNotNan:
      return field + " IS NOT NAN";
    case Kind::kIn:
    case Kind::kNotIn: {
      std::string text = field + (kind_ == Kind::kIn ? " IN (" : " NOT IN (");
      for (size_t i = 0; i < literals_.size(); ++i) {
        text += (i > 0 ? ", " : "") + literals_[i].ToString();
      }
      return text + ")";
    }
    default:
      return field + " " + OperatorText(kind_) + " " + literal().ToString();
  }
}

}  // namespace floe::table
