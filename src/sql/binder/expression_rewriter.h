#pragma once

#include <cstdint>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sql/execution/expression.h"

namespace floe::sql::binder {

/// Returns `expr` rebuilt bottom-up: each node's children are rewritten first, then `rewrite`
/// is called on the node (with the new children) and may return a replacement, or null to keep
/// it. Unchanged subtrees are shared.
execution::ExpressionPtr RewriteExpression(
    const execution::ExpressionPtr& expr,
    const std::function<execution::ExpressionPtr(const execution::ExpressionPtr&)>& rewrite);

/// Returns `expr` with the node's children replaced by `children` (same number and types).
execution::ExpressionPtr WithChildren(const execution::Expression& expr,
                                      std::vector<execution::ExpressionPtr> children);

/// Returns `expr` with each column reference whose id is a key of `replacements` replaced by
/// the mapped expression.
execution::ExpressionPtr ReplaceColumns(
    const execution::ExpressionPtr& expr,
    const std::unordered_map<int64_t, execution::ExpressionPtr>& replacements);

/// Adds the column ids `expr` references to `ids`.
void CollectColumnIds(const execution::Expression& expr, std::unordered_set<int64_t>& ids);

/// True when every column `expr` references is in `ids`.
bool ReferencesOnly(const execution::Expression& expr, const std::unordered_set<int64_t>& ids);

/// True when `expr` references at least one column of `ids`.
bool ReferencesAny(const execution::Expression& expr, const std::unordered_set<int64_t>& ids);

/// Joins conditions with AND; null for none, the condition itself for one.
execution::ExpressionPtr MakeConjunction(std::vector<execution::ExpressionPtr> conditions);

}  // namespace floe::sql::binder
