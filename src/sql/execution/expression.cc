#include "sql/execution/expression.h"

#include <algorithm>
#include <cctype>
#include <functional>

#include <fmt/format.h>

namespace floe::sql::execution {

using types::LogicalType;
using types::TypeId;
using types::Value;

std::string_view ExpressionKindName(ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::kColumnRef:
      return "COLUMN";
    case ExpressionKind::kConstant:
      return "CONSTANT";
    case ExpressionKind::kParameter:
      return "PARAMETER";
    case ExpressionKind::kFunction:
      return "FUNCTION";
    case ExpressionKind::kCast:
      return "CAST";
    case ExpressionKind::kCase:
      return "CASE";
    case ExpressionKind::kAnd:
      return "AND";
    case ExpressionKind::kOr:
      return "OR";
    case ExpressionKind::kNot:
      return "NOT";
    case ExpressionKind::kIsNull:
      return "IS NULL";
    case ExpressionKind::kIsNotNull:
      return "IS NOT NULL";
    case ExpressionKind::kIsTrue:
      return "IS TRUE";
    case ExpressionKind::kIsNotTrue:
      return "IS NOT TRUE";
    case ExpressionKind::kIsFalse:
      return "IS FALSE";
    case ExpressionKind::kIsNotFalse:
      return "IS NOT FALSE";
    case ExpressionKind::kIsDistinctFrom:
      return "IS DISTINCT FROM";
    case ExpressionKind::kIsNotDistinctFrom:
      return "IS NOT DISTINCT FROM";
    case ExpressionKind::kInList:
      return "IN";
    case ExpressionKind::kCoalesce:
      return "COALESCE";
  }
  return "?";
}

std::shared_ptr<Expression> Expression::MakeNode(ExpressionKind kind, LogicalType type) {
  return std::shared_ptr<Expression>(new Expression(kind, std::move(type)));
}

ExpressionPtr Expression::ColumnRef(int64_t column_index, LogicalType type, std::string name) {
  auto node = MakeNode(ExpressionKind::kColumnRef, std::move(type));
  node->column_index_ = column_index;
  node->name_ = std::move(name);
  return node;
}

ExpressionPtr Expression::Constant(Value value) {
  auto node = MakeNode(ExpressionKind::kConstant, value.type());
  node->value_ = std::move(value);
  return node;
}

ExpressionPtr Expression::Parameter(int index, LogicalType type) {
  auto node = MakeNode(ExpressionKind::kParameter, std::move(type));
  node->column_index_ = index;
  return node;
}

ExpressionPtr Expression::Function(std::shared_ptr<const ScalarFunction> function,
                                   std::vector<ExpressionPtr> arguments) {
  auto node = MakeNode(ExpressionKind::kFunction, function->return_type);
  node->function_ = std::move(function);
  node->children_ = std::move(arguments);
  return node;
}

ExpressionPtr Expression::Cast(ExpressionPtr child, LogicalType type) {
  auto node = MakeNode(ExpressionKind::kCast, std::move(type));
  node->children_.push_back(std::move(child));
  return node;
}

ExpressionPtr Expression::Case(std::vector<ExpressionPtr> whens, std::vector<ExpressionPtr> thens,
                               ExpressionPtr otherwise, LogicalType type) {
  auto node = MakeNode(ExpressionKind::kCase, type);
  for (size_t i = 0; i < whens.size() && i < thens.size(); ++i) {
    node->children_.push_back(std::move(whens[i]));
    node->children_.push_back(std::move(thens[i]));
  }
  if (otherwise == nullptr) {
    otherwise = Constant(Value::Null(type));
  }
  node->children_.push_back(std::move(otherwise));
  return node;
}

namespace {
void Flatten(ExpressionKind kind, std::vector<ExpressionPtr>& children,
             std::vector<ExpressionPtr>& out) {
  for (auto& child : children) {
    if (child->kind() == kind) {
      std::vector<ExpressionPtr> nested = child->children();
      Flatten(kind, nested, out);
    } else {
      out.push_back(std::move(child));
    }
  }
}
}  // namespace

ExpressionPtr Expression::And(std::vector<ExpressionPtr> children) {
  if (children.size() == 1) {
    return children[0];
  }
  auto node = MakeNode(ExpressionKind::kAnd, LogicalType::Boolean());
  Flatten(ExpressionKind::kAnd, children, node->children_);
  return node;
}

ExpressionPtr Expression::Or(std::vector<ExpressionPtr> children) {
  if (children.size() == 1) {
    return children[0];
  }
  auto node = MakeNode(ExpressionKind::kOr, LogicalType::Boolean());
  Flatten(ExpressionKind::kOr, children, node->children_);
  return node;
}

ExpressionPtr Expression::Not(ExpressionPtr child) {
  auto node = MakeNode(ExpressionKind::kNot, LogicalType::Boolean());
  node->children_.push_back(std::move(child));
  return node;
}

ExpressionPtr Expression::Test(ExpressionKind kind, ExpressionPtr child) {
  auto node = MakeNode(kind, LogicalType::Boolean());
  node->children_.push_back(std::move(child));
  return node;
}

ExpressionPtr Expression::IsDistinctFrom(ExpressionPtr left, ExpressionPtr right, bool negated) {
  auto node =
      MakeNode(negated ? ExpressionKind::kIsNotDistinctFrom : ExpressionKind::kIsDistinctFrom,
               LogicalType::Boolean());
  node->negated_ = negated;
  node->children_.push_back(std::move(left));
  node->children_.push_back(std::move(right));
  return node;
}

ExpressionPtr Expression::InList(ExpressionPtr child, std::vector<ExpressionPtr> items,
                                 bool negated) {
  auto node = MakeNode(ExpressionKind::kInList, LogicalType::Boolean());
  node->negated_ = negated;
  node->children_.push_back(std::move(child));
  for (auto& item : items) {
    node->children_.push_back(std::move(item));
  }
  return node;
}

ExpressionPtr Expression::Coalesce(std::vector<ExpressionPtr> children, LogicalType type) {
  auto node = MakeNode(ExpressionKind::kCoalesce, std::move(type));
  node->children_ = std::move(children);
  return node;
}

bool Expression::IsVolatileNode() const {
  return kind_ == ExpressionKind::kFunction && !function_->deterministic;
}

bool Expression::IsColumnFree() const {
  if (kind_ == ExpressionKind::kColumnRef) {
    return false;
  }
  return std::all_of(children_.begin(), children_.end(),
                     [](const ExpressionPtr& child) { return child->IsColumnFree(); });
}

bool Expression::HasVolatile() const {
  if (IsVolatileNode()) {
    return true;
  }
  return std::any_of(children_.begin(), children_.end(),
                     [](const ExpressionPtr& child) { return child->HasVolatile(); });
}

bool Expression::IsConstant() const {
  if (kind_ == ExpressionKind::kColumnRef || kind_ == ExpressionKind::kParameter ||
      IsVolatileNode()) {
    return false;
  }
  return std::all_of(children_.begin(), children_.end(),
                     [](const ExpressionPtr& child) { return child->IsConstant(); });
}

namespace {
std::string ConstantText(const Value& value) {
  if (value.is_null()) {
    return "NULL";
  }
  switch (value.type().id()) {
    case TypeId::kBoolean:
      return value.boolean_value() ? "true" : "false";
    case TypeId::kVarchar:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kInterval:
    case TypeId::kUuid:
    case TypeId::kBytea: {
      std::string text = value.ToString();
      std::string quoted = "'";
      for (char c : text) {
        quoted += c;
        if (c == '\'') {
          quoted += '\'';
        }
      }
      return quoted + "'";
    }
    default:
      return value.ToString();
  }
}

bool IsOperatorName(const std::string& name) {
  return !name.empty() && !std::isalpha(static_cast<unsigned char>(name[0])) && name[0] != '_';
}

std::string JoinChildren(const std::vector<ExpressionPtr>& children, size_t first,
                         std::string_view separator) {
  std::string out;
  for (size_t i = first; i < children.size(); ++i) {
    if (i > first) {
      out += separator;
    }
    out += children[i]->ToString();
  }
  return out;
}
}  // namespace

std::string Expression::ToString() const {
  switch (kind_) {
    case ExpressionKind::kColumnRef:
      return name_.empty() ? fmt::format("#{}", column_index_) : name_;
    case ExpressionKind::kConstant:
      return ConstantText(value_);
    case ExpressionKind::kParameter:
      return fmt::format("${}", column_index_);
    case ExpressionKind::kFunction:
      if (IsOperatorName(function_->name) && children_.size() == 2) {
        return fmt::format("({} {} {})", children_[0]->ToString(), function_->name,
                           children_[1]->ToString());
      }
      if (IsOperatorName(function_->name) && children_.size() == 1) {
        return fmt::format("({}{})", function_->name, children_[0]->ToString());
      }
      return fmt::format("{}({})", function_->name, JoinChildren(children_, 0, ", "));
    case ExpressionKind::kCast:
      return fmt::format("CAST({} AS {})", children_[0]->ToString(), type_.ToString());
    case ExpressionKind::kCase: {
      std::string out = "CASE";
      for (size_t i = 0; i + 1 < children_.size(); i += 2) {
        out +=
            fmt::format(" WHEN {} THEN {}", children_[i]->ToString(), children_[i + 1]->ToString());
      }
      return out + fmt::format(" ELSE {} END", children_.back()->ToString());
    }
    case ExpressionKind::kAnd:
      return "(" + JoinChildren(children_, 0, " AND ") + ")";
    case ExpressionKind::kOr:
      return "(" + JoinChildren(children_, 0, " OR ") + ")";
    case ExpressionKind::kNot:
      return fmt::format("(NOT {})", children_[0]->ToString());
    case ExpressionKind::kIsNull:
    case ExpressionKind::kIsNotNull:
    case ExpressionKind::kIsTrue:
    case ExpressionKind::kIsNotTrue:
    case ExpressionKind::kIsFalse:
    case ExpressionKind::kIsNotFalse:
      return fmt::format("({} {})", children_[0]->ToString(), ExpressionKindName(kind_));
    case ExpressionKind::kIsDistinctFrom:
    case ExpressionKind::kIsNotDistinctFrom:
      return fmt::format("({} {} {})", children_[0]->ToString(), ExpressionKindName(kind_),
                         children_[1]->ToString());
    case ExpressionKind::kInList:
      return fmt::format("({} {}IN ({}))", children_[0]->ToString(), negated_ ? "NOT " : "",
                         JoinChildren(children_, 1, ", "));
    case ExpressionKind::kCoalesce:
      return fmt::format("COALESCE({})", JoinChildren(children_, 0, ", "));
  }
  return "?";
}

namespace {
bool SameFunction(const ScalarFunction& a, const ScalarFunction& b) {
  return &a == &b || (a.name == b.name && a.argument_types == b.argument_types &&
                      a.return_type == b.return_type && a.deterministic && b.deterministic);
}

size_t Mix(size_t seed, size_t value) {
  return seed ^ (value + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}
}  // namespace

bool Expression::Equals(const Expression& other) const {
  if (this == &other) {
    return !HasVolatile();
  }
  if (kind_ != other.kind_ || !(type_ == other.type_) || negated_ != other.negated_ ||
      children_.size() != other.children_.size()) {
    return false;
  }
  switch (kind_) {
    case ExpressionKind::kColumnRef:
    case ExpressionKind::kParameter:
      if (column_index_ != other.column_index_) {
        return false;
      }
      break;
    case ExpressionKind::kConstant:
      if (!(value_ == other.value_)) {
        return false;
      }
      break;
    case ExpressionKind::kFunction:
      if (!SameFunction(*function_, *other.function_)) {
        return false;
      }
      break;
    default:
      break;
  }
  for (size_t i = 0; i < children_.size(); ++i) {
    if (!children_[i]->Equals(*other.children_[i])) {
      return false;
    }
  }
  return true;
}

size_t Expression::Hash() const {
  size_t seed = static_cast<size_t>(kind_) * 31 + static_cast<size_t>(type_.id());
  seed = Mix(seed, negated_ ? 1 : 0);
  switch (kind_) {
    case ExpressionKind::kColumnRef:
    case ExpressionKind::kParameter:
      seed = Mix(seed, static_cast<size_t>(column_index_));
      break;
    case ExpressionKind::kConstant:
      seed = Mix(seed, value_.Hash());
      break;
    case ExpressionKind::kFunction:
      seed = Mix(seed, std::hash<std::string>()(function_->name));
      break;
    default:
      break;
  }
  for (const auto& child : children_) {
    seed = Mix(seed, child->Hash());
  }
  return seed;
}

bool ExpressionsEqual(const ExpressionPtr& a, const ExpressionPtr& b) {
  if (a == nullptr || b == nullptr) {
    return a == b;
  }
  return a->Equals(*b);
}

namespace {
// Rebuilds `expr` with `rewrite` applied to each leaf; shares unchanged subtrees.
template <typename LeafRewrite>
Result<ExpressionPtr> RewriteLeaves(const ExpressionPtr& expr, const LeafRewrite& rewrite) {
  if (expr->children().empty()) {
    return rewrite(expr);
  }
  std::vector<ExpressionPtr> children;
  children.reserve(expr->children().size());
  bool changed = false;
  for (const auto& child : expr->children()) {
    FLOE_ASSIGN_OR_RETURN(ExpressionPtr rewritten, RewriteLeaves(child, rewrite));
    changed = changed || rewritten != child;
    children.push_back(std::move(rewritten));
  }
  if (!changed) {
    return expr;
  }
  switch (expr->kind()) {
    case ExpressionKind::kFunction:
      return Expression::Function(expr->shared_function(), std::move(children));
    case ExpressionKind::kCast:
      return Expression::Cast(children[0], expr->type());
    case ExpressionKind::kCase: {
      std::vector<ExpressionPtr> whens;
      std::vector<ExpressionPtr> thens;
      for (size_t i = 0; i + 1 < children.size(); i += 2) {
        whens.push_back(children[i]);
        thens.push_back(children[i + 1]);
      }
      return Expression::Case(std::move(whens), std::move(thens), children.back(), expr->type());
    }
    case ExpressionKind::kAnd:
      return Expression::And(std::move(children));
    case ExpressionKind::kOr:
      return Expression::Or(std::move(children));
    case ExpressionKind::kNot:
      return Expression::Not(children[0]);
    case ExpressionKind::kIsDistinctFrom:
    case ExpressionKind::kIsNotDistinctFrom:
      return Expression::IsDistinctFrom(children[0], children[1], expr->negated());
    case ExpressionKind::kInList: {
      ExpressionPtr tested = children[0];
      children.erase(children.begin());
      return Expression::InList(std::move(tested), std::move(children), expr->negated());
    }
    case ExpressionKind::kCoalesce:
      return Expression::Coalesce(std::move(children), expr->type());
    default:
      return Expression::Test(expr->kind(), children[0]);
  }
}
}  // namespace

Result<ExpressionPtr> RemapColumns(const ExpressionPtr& expr, std::span<const int64_t> mapping) {
  return RewriteLeaves(expr, [&](const ExpressionPtr& leaf) -> Result<ExpressionPtr> {
    if (leaf->kind() != ExpressionKind::kColumnRef) {
      return leaf;
    }
    int64_t index = leaf->column_index();
    if (index < 0 || index >= static_cast<int64_t>(mapping.size()) ||
        mapping[static_cast<size_t>(index)] < 0) {
      return Status::InvalidArgument("column #{} ({}) is not available after remapping", index,
                                     leaf->column_name());
    }
    return Expression::ColumnRef(mapping[static_cast<size_t>(index)], leaf->type(),
                                 leaf->column_name());
  });
}

ExpressionPtr ShiftColumns(const ExpressionPtr& expr, int64_t delta) {
  auto result = RewriteLeaves(expr, [&](const ExpressionPtr& leaf) -> Result<ExpressionPtr> {
    if (leaf->kind() != ExpressionKind::kColumnRef || delta == 0) {
      return leaf;
    }
    return Expression::ColumnRef(leaf->column_index() + delta, leaf->type(), leaf->column_name());
  });
  return std::move(result).value();
}

void CollectColumns(const Expression& expr, std::vector<int64_t>& columns) {
  if (expr.kind() == ExpressionKind::kColumnRef) {
    auto it = std::lower_bound(columns.begin(), columns.end(), expr.column_index());
    if (it == columns.end() || *it != expr.column_index()) {
      columns.insert(it, expr.column_index());
    }
    return;
  }
  for (const auto& child : expr.children()) {
    CollectColumns(*child, columns);
  }
}

Result<ExpressionPtr> BindParameters(const ExpressionPtr& expr, std::span<const Value> parameters) {
  return RewriteLeaves(expr, [&](const ExpressionPtr& leaf) -> Result<ExpressionPtr> {
    if (leaf->kind() != ExpressionKind::kParameter) {
      return leaf;
    }
    int index = leaf->parameter_index();
    if (index < 1 || index > static_cast<int>(parameters.size())) {
      return Status::InvalidArgument("there is no parameter ${}", index);
    }
    const Value& value = parameters[static_cast<size_t>(index - 1)];
    if (value.is_null()) {
      return Expression::Constant(Value::Null(leaf->type()));
    }
    if (!(value.type() == leaf->type())) {
      return Status::InvalidArgument("parameter ${} has type {}, expected {}", index,
                                     value.type().ToString(), leaf->type().ToString());
    }
    return Expression::Constant(value);
  });
}

std::vector<ExpressionPtr> SplitConjuncts(const ExpressionPtr& expr) {
  if (expr->kind() == ExpressionKind::kAnd) {
    return expr->children();
  }
  return {expr};
}

}  // namespace floe::sql::execution
