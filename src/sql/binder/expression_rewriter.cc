#include "sql/binder/expression_rewriter.h"

#include <utility>

namespace floe::sql::binder {

using execution::Expression;
using execution::ExpressionKind;
using execution::ExpressionPtr;

ExpressionPtr WithChildren(const Expression& expr, std::vector<ExpressionPtr> children) {
  switch (expr.kind()) {
    case ExpressionKind::kColumnRef:
      return Expression::ColumnRef(expr.column_index(), expr.type(), expr.column_name());
    case ExpressionKind::kConstant:
      return Expression::Constant(expr.value());
    case ExpressionKind::kParameter:
      return Expression::Parameter(expr.parameter_index(), expr.type());
    case ExpressionKind::kFunction:
      return Expression::Function(expr.shared_function(), std::move(children));
    case ExpressionKind::kCast:
      return Expression::Cast(std::move(children[0]), expr.type());
    case ExpressionKind::kCase: {
      std::vector<ExpressionPtr> whens;
      std::vector<ExpressionPtr> thens;
      for (size_t i = 0; i + 1 < children.size(); i += 2) {
        whens.push_back(children[i]);
        thens.push_back(children[i + 1]);
      }
      return Expression::Case(std::move(whens), std::move(thens), children.back(), expr.type());
    }
    case ExpressionKind::kAnd:
      return Expression::And(std::move(children));
    case ExpressionKind::kOr:
      return Expression::Or(std::move(children));
    case ExpressionKind::kNot:
      return Expression::Not(std::move(children[0]));
    case ExpressionKind::kIsNull:
    case ExpressionKind::kIsNotNull:
    case ExpressionKind::kIsTrue:
    case ExpressionKind::kIsNotTrue:
    case ExpressionKind::kIsFalse:
    case ExpressionKind::kIsNotFalse:
      return Expression::Test(expr.kind(), std::move(children[0]));
    case ExpressionKind::kIsDistinctFrom:
      return Expression::IsDistinctFrom(children[0], children[1], false);
    case ExpressionKind::kIsNotDistinctFrom:
      return Expression::IsDistinctFrom(children[0], children[1], true);
    case ExpressionKind::kInList: {
      ExpressionPtr value = children[0];
      children.erase(children.begin());
      return Expression::InList(std::move(value), std::move(children), expr.negated());
    }
    case ExpressionKind::kCoalesce:
      return Expression::Coalesce(std::move(children), expr.type());
  }
  return nullptr;
}

ExpressionPtr RewriteExpression(const ExpressionPtr& expr,
                                const std::function<ExpressionPtr(const ExpressionPtr&)>& rewrite) {
  if (expr == nullptr) {
    return nullptr;
  }
  ExpressionPtr node = expr;
  if (!expr->children().empty()) {
    std::vector<ExpressionPtr> children;
    bool changed = false;
    for (const ExpressionPtr& child : expr->children()) {
      children.push_back(RewriteExpression(child, rewrite));
      changed = changed || children.back() != child;
    }
    if (changed) {
      node = WithChildren(*expr, std::move(children));
    }
  }
  ExpressionPtr replacement = rewrite(node);
  return replacement != nullptr ? replacement : node;
}

ExpressionPtr ReplaceColumns(const ExpressionPtr& expr,
                             const std::unordered_map<int64_t, ExpressionPtr>& replacements) {
  return RewriteExpression(expr, [&](const ExpressionPtr& node) -> ExpressionPtr {
    if (node->kind() != ExpressionKind::kColumnRef) {
      return nullptr;
    }
    auto found = replacements.find(node->column_index());
    return found == replacements.end() ? nullptr : found->second;
  });
}

void CollectColumnIds(const Expression& expr, std::unordered_set<int64_t>& ids) {
  if (expr.kind() == ExpressionKind::kColumnRef) {
    ids.insert(expr.column_index());
    return;
  }
  for (const ExpressionPtr& child : expr.children()) {
    CollectColumnIds(*child, ids);
  }
}

bool ReferencesOnly(const Expression& expr, const std::unordered_set<int64_t>& ids) {
  if (expr.kind() == ExpressionKind::kColumnRef) {
    return ids.contains(expr.column_index());
  }
  for (const ExpressionPtr& child : expr.children()) {
    if (!ReferencesOnly(*child, ids)) {
      return false;
    }
  }
  return true;
}

bool ReferencesAny(const Expression& expr, const std::unordered_set<int64_t>& ids) {
  if (expr.kind() == ExpressionKind::kColumnRef) {
    return ids.contains(expr.column_index());
  }
  for (const ExpressionPtr& child : expr.children()) {
    if (ReferencesAny(*child, ids)) {
      return true;
    }
  }
  return false;
}

ExpressionPtr MakeConjunction(std::vector<ExpressionPtr> conditions) {
  if (conditions.empty()) {
    return nullptr;
  }
  if (conditions.size() == 1) {
    return conditions[0];
  }
  return Expression::And(std::move(conditions));
}

}  // namespace floe::sql::binder
