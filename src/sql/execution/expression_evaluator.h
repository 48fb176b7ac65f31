#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "sql/execution/expression.h"
#include "sql/functions/function.h"
#include "vector/batch.h"
#include "vector/selection_vector.h"
#include "vector/vector.h"

namespace floe::sql::execution {

/// Evaluates bound expressions over batches, a column at a time.
///
/// Each node runs once per batch over whole vectors: function kernels get all their rows in one
/// call, constants stay constant vectors, and a deterministic function whose only non-constant
/// argument is dictionary-encoded runs over the dictionary instead of every row. AND, OR, CASE
/// and COALESCE evaluate a later branch only on the rows still undecided, by viewing the input
/// columns through the surviving row indices rather than copying them. Errors of kernels
/// (OutOfRange on overflow, DivisionByZero, InvalidCast) are returned as they are.
///
/// One evaluator per thread: it caches the constant vectors and IN-list hash sets of the
/// expressions it has seen (keeping those nodes alive), so it is not thread-safe. Expressions
/// must be held by ExpressionPtr (they always are: the factories make them so).
class ExpressionEvaluator {
 public:
  explicit ExpressionEvaluator(FunctionContext* context);
  ~ExpressionEvaluator();
  ExpressionEvaluator(const ExpressionEvaluator&) = delete;
  ExpressionEvaluator& operator=(const ExpressionEvaluator&) = delete;

  /// Returns `expr` over every row of `batch`: a vector of batch.num_rows() rows.
  Result<vector::Vector> Evaluate(const Expression& expr, const vector::Batch& batch);

  /// Returns `expr` over the rows `rows` of `batch` (ascending indices): a vector with one row
  /// per selected row.
  Result<vector::Vector> Evaluate(const Expression& expr, const vector::Batch& batch,
                                  const vector::SelectionVector& rows);

  /// Sets `results` to each of `exprs` over every row of `batch`, computing the function calls
  /// and casts they share (structurally equal and deterministic: `price * (1 - discount)` in
  /// two aggregates' arguments) once per batch.
  Status EvaluateAll(std::span<const ExpressionPtr> exprs, const vector::Batch& batch,
                     std::vector<vector::Vector>& results);

  /// Sets `selection` to the rows of `batch` where the BOOLEAN `predicate` is true (not false,
  /// not NULL), ascending. The conjuncts of an AND run one after another, each only on the rows
  /// the previous ones kept.
  Status Filter(const Expression& predicate, const vector::Batch& batch,
                vector::SelectionVector& selection);

  struct InListSet;

 private:
  struct Input;

  Result<vector::Vector> Eval(const Expression& expr, const Input& input);
  Result<vector::Vector> EvalNode(const Expression& expr, const Input& input);
  void FindSharedNodes(std::span<const ExpressionPtr> exprs);
  Result<vector::Vector> EvalConstant(const Expression& expr, int64_t rows);
  Result<vector::Vector> EvalFunction(const Expression& expr, const Input& input);
  Result<vector::Vector> EvalCast(const Expression& expr, const Input& input);
  Result<vector::Vector> EvalLogic(const Expression& expr, const Input& input);
  Result<vector::Vector> EvalTest(const Expression& expr, const Input& input);
  Result<vector::Vector> EvalDistinct(const Expression& expr, const Input& input);
  Result<vector::Vector> EvalInList(const Expression& expr, const Input& input);
  Result<vector::Vector> EvalCase(const Expression& expr, const Input& input);
  Result<vector::Vector> EvalCoalesce(const Expression& expr, const Input& input);
  Status FilterInto(const Expression& predicate, const Input& input,
                    std::vector<uint32_t>& selected);

  // Caches keyed by node; each entry holds its node so the address cannot be reused by
  // another expression while the entry lives.
  struct CachedConstant {
    std::shared_ptr<const Expression> node;
    vector::Vector value;
  };
  struct CachedSet {
    std::shared_ptr<const Expression> node;
    std::unique_ptr<InListSet> set;
  };

  FunctionContext* context_;
  std::unordered_map<const Expression*, CachedConstant> constants_;
  std::unordered_map<const Expression*, CachedSet> in_sets_;
  // EvaluateAll: the expressions the sharing was worked out for, and each node occurring more
  // than once among them mapped to the first of its equals.
  std::vector<ExpressionPtr> shared_for_;
  std::unordered_map<const Expression*, const Expression*> shared_nodes_;
};

}  // namespace floe::sql::execution
