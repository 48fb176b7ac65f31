#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/result.h"
#include "sql/functions/function.h"
#include "types/logical_type.h"
#include "types/value.h"

namespace floe::sql::execution {

/// What a bound expression node computes. The children of each kind are listed beside it.
enum class ExpressionKind : uint8_t {
  kColumnRef,          // No children; reads column `column_index()` of the input batch.
  kConstant,           // No children; `value()`, possibly a typed NULL.
  kParameter,          // No children; `$n` (`parameter_index()` n, 1-based). Never evaluated:
                       // BindParameters() replaces it by a constant before execution.
  kFunction,           // The arguments, already of the function's argument types.
  kCast,               // One child, converted to the node's type.
  kCase,               // when0, then0, when1, then1, ..., else (always present; a NULL
                       // constant when the SQL has no ELSE).
  kAnd,                // Two or more BOOLEAN children, SQL three-valued logic.
  kOr,                 // Two or more BOOLEAN children, SQL three-valued logic.
  kNot,                // One BOOLEAN child; NOT NULL is NULL.
  kIsNull,             // One child of any type; never NULL.
  kIsNotNull,          // One child of any type; never NULL.
  kIsTrue,             // One BOOLEAN child; never NULL (NULL IS TRUE is false).
  kIsNotTrue,          // One BOOLEAN child; never NULL.
  kIsFalse,            // One BOOLEAN child; never NULL.
  kIsNotFalse,         // One BOOLEAN child; never NULL.
  kIsDistinctFrom,     // Two children of the same type; NULLs compare equal; never NULL.
  kIsNotDistinctFrom,  // Two children of the same type; NULLs compare equal; never NULL.
  kInList,             // The tested value, then the list items (all of the tested value's
                       // type). `negated()` gives NOT IN. PostgreSQL's NULL semantics: true
                       // on a match, else NULL when the value or any item is NULL, else false.
  kCoalesce,           // One or more children of the node's type; the first non-NULL.
};

/// Returns the name of a kind for messages: "CASE", "IS NOT NULL", ...
std::string_view ExpressionKindName(ExpressionKind kind);

class Expression;
/// Expressions are immutable once built and shared: the binder, the optimizer and several
/// operators may point to the same subtree, from several threads.
using ExpressionPtr = std::shared_ptr<const Expression>;

/// A bound (typed, resolved) scalar expression: what the binder produces for a SELECT list item,
/// a WHERE or ON condition, a GROUP BY or ORDER BY key, and what ExpressionEvaluator computes
/// over a batch. Every node has its result type; column references are indices into the input
/// batch of the operator that evaluates the expression (RemapColumns() rewrites them when a plan
/// changes the input's layout).
///
/// Build nodes with the static factories; they trust their arguments (the binder has checked
/// types), except that Make* factories returning Result validate what a caller could get wrong.
/// Immutable and thread-safe to read.
class Expression : public std::enable_shared_from_this<Expression> {
 public:
  /// Reads column `column_index` of the input; `name` is only for ToString().
  static ExpressionPtr ColumnRef(int64_t column_index, types::LogicalType type,
                                 std::string name = {});
  static ExpressionPtr Constant(types::Value value);
  /// `$index` (1-based) of the given type (what the statement's parameter was inferred as).
  static ExpressionPtr Parameter(int index, types::LogicalType type);
  /// A call of a resolved scalar function; the arguments already have its argument types.
  static ExpressionPtr Function(std::shared_ptr<const ScalarFunction> function,
                                std::vector<ExpressionPtr> arguments);
  /// CAST(child AS type); evaluated with the function library's casts.
  static ExpressionPtr Cast(ExpressionPtr child, types::LogicalType type);
  /// CASE WHEN whens[0] THEN thens[0] ... ELSE otherwise END. `otherwise` may be null for no
  /// ELSE (a NULL of `type` is used). The simple form `CASE x WHEN v ...` is bound as
  /// `x = v` conditions (or `x IS NOT DISTINCT FROM v` when the binder prefers).
  static ExpressionPtr Case(std::vector<ExpressionPtr> whens, std::vector<ExpressionPtr> thens,
                            ExpressionPtr otherwise, types::LogicalType type);
  /// AND / OR of two or more conditions; nested ANDs (ORs) are flattened into one node.
  static ExpressionPtr And(std::vector<ExpressionPtr> children);
  static ExpressionPtr Or(std::vector<ExpressionPtr> children);
  static ExpressionPtr Not(ExpressionPtr child);
  /// One of the one-child tests: kIsNull, kIsNotNull, kIsTrue, kIsNotTrue, kIsFalse,
  /// kIsNotFalse. The result is BOOLEAN and never NULL.
  static ExpressionPtr Test(ExpressionKind kind, ExpressionPtr child);
  /// `left IS [NOT] DISTINCT FROM right`; both of the same type.
  static ExpressionPtr IsDistinctFrom(ExpressionPtr left, ExpressionPtr right, bool negated);
  /// `child [NOT] IN (items...)`; items have the child's type.
  static ExpressionPtr InList(ExpressionPtr child, std::vector<ExpressionPtr> items, bool negated);
  /// COALESCE(children...), all of `type`.
  static ExpressionPtr Coalesce(std::vector<ExpressionPtr> children, types::LogicalType type);

  Expression(const Expression&) = delete;
  Expression& operator=(const Expression&) = delete;

  ExpressionKind kind() const { return kind_; }
  const types::LogicalType& type() const { return type_; }
  const std::vector<ExpressionPtr>& children() const { return children_; }
  const Expression& child(size_t index) const { return *children_[index]; }

  /// kColumnRef: the input column read.
  int64_t column_index() const { return column_index_; }
  /// kColumnRef: the name shown by ToString() (may be empty: "#3" is shown).
  const std::string& column_name() const { return name_; }
  /// kConstant: the value.
  const types::Value& value() const { return value_; }
  /// kParameter: n of `$n`.
  int parameter_index() const { return static_cast<int>(column_index_); }
  /// kFunction: the resolved function.
  const ScalarFunction& function() const { return *function_; }
  const std::shared_ptr<const ScalarFunction>& shared_function() const { return function_; }
  /// kInList, kIsDistinctFrom: NOT IN, IS NOT DISTINCT FROM.
  bool negated() const { return negated_; }
  /// kCase: the number of WHEN branches.
  size_t num_whens() const { return (children_.size() - 1) / 2; }

  /// True when the node (not its children) may give different results for the same inputs:
  /// a non-deterministic function.
  bool IsVolatileNode() const;
  /// True when the expression reads no column and no parameter and calls only deterministic
  /// functions, so it can be folded to one value before execution.
  bool IsConstant() const;
  /// True when the expression reads no column (it may still be volatile or hold parameters).
  bool IsColumnFree() const;
  /// True when some node is a non-deterministic function call.
  bool HasVolatile() const;

  /// Returns the SQL-like text EXPLAIN shows: "(l_quantity < 24)", "sum_input(#2)",
  /// "CASE WHEN ... END", "x IN (1, 2)", "CAST(a AS bigint)".
  std::string ToString() const;

  /// Structural equality: same kinds, types, payloads and children (functions compare by name
  /// and signature). Used to match GROUP BY keys and common subexpressions.
  bool Equals(const Expression& other) const;
  /// A hash consistent with Equals().
  size_t Hash() const;

 private:
  Expression(ExpressionKind kind, types::LogicalType type) : kind_(kind), type_(std::move(type)) {}
  static std::shared_ptr<Expression> MakeNode(ExpressionKind kind, types::LogicalType type);

  ExpressionKind kind_;
  types::LogicalType type_;
  std::vector<ExpressionPtr> children_;
  int64_t column_index_ = -1;  // Column index, or the parameter number.
  std::string name_;
  types::Value value_;
  std::shared_ptr<const ScalarFunction> function_;
  bool negated_ = false;
};

/// Returns true when both are null or both are structurally equal.
bool ExpressionsEqual(const ExpressionPtr& a, const ExpressionPtr& b);

/// Hash and equality functors so expressions can key unordered containers structurally.
struct ExpressionHash {
  size_t operator()(const ExpressionPtr& expr) const { return expr ? expr->Hash() : 0; }
};
struct ExpressionEqual {
  bool operator()(const ExpressionPtr& a, const ExpressionPtr& b) const {
    return ExpressionsEqual(a, b);
  }
};

/// Returns `expr` with every column reference i replaced by mapping[i], or InvalidArgument when
/// a column is outside the mapping or maps to a negative index. Unchanged subtrees are shared.
Result<ExpressionPtr> RemapColumns(const ExpressionPtr& expr, std::span<const int64_t> mapping);

/// Returns `expr` with every column reference shifted by `delta` (for example the right side of
/// a join whose input puts the left columns first).
ExpressionPtr ShiftColumns(const ExpressionPtr& expr, int64_t delta);

/// Appends the distinct column indices `expr` reads to `columns` (ascending, no duplicates).
void CollectColumns(const Expression& expr, std::vector<int64_t>& columns);

/// Returns `expr` with each `$n` replaced by the constant parameters[n - 1] (cast to the
/// placeholder's type by the caller). Fails with InvalidArgument when a parameter is missing
/// or has another type than its placeholder (a NULL of any type is accepted and retyped).
Result<ExpressionPtr> BindParameters(const ExpressionPtr& expr,
                                     std::span<const types::Value> parameters);

/// Splits a condition into its top-level AND conjuncts (the expression itself when it is not
/// an AND).
std::vector<ExpressionPtr> SplitConjuncts(const ExpressionPtr& expr);

}  // namespace floe::sql::execution
