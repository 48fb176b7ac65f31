#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/result.h"
#include "sql/binder/catalog_accessor.h"
#include "sql/binder/logical_plan.h"
#include "sql/functions/function_registry.h"
#include "sql/parser/ast.h"

namespace floe::sql::binder {

/// A query bound to a logical plan: the plan's output columns, in order, are the result.
struct BoundQuery {
  LogicalOperatorPtr plan;
  /// The type of each `$n` (index n - 1), inferred from where it is used.
  std::vector<types::LogicalType> parameter_types;
};

/// Turns a query's syntax tree into a logical plan with bound expressions: resolves names in
/// scopes (aliases, USING/NATURAL columns, CTEs, views, correlated references), types literals
/// and resolves operators and functions with PostgreSQL's rules, checks grouping, and turns
/// subqueries into joins (correlated ones decorrelated when their correlation is in WHERE).
///
/// Errors carry PostgreSQL's SQLSTATE and message, and the 1-based character position in the
/// statement text: 42703 undefined column, 42702 ambiguous column, 42P01 undefined table,
/// 42883 undefined function, 42803 grouping error, 42804 datatype mismatch; constructs not
/// supported yet fail with NotSupported (0A000) naming them. One binder binds one statement.
class Binder {
 public:
  /// `sql` is the statement text the syntax tree's locations point into.
  Binder(CatalogAccessor& catalog, const FunctionRegistry& functions, std::string_view sql);
  ~Binder();
  Binder(const Binder&) = delete;
  Binder& operator=(const Binder&) = delete;

  /// Fixes the types of the first parameters (from a Prepare with declared types).
  void SetParameterTypes(std::vector<types::LogicalType> types);
  /// Sets the session's time zone, in which TIMESTAMPTZ literals are read (default UTC).
  void SetTimeZone(const types::TimeZone& zone);

  Result<BoundQuery> BindQuery(const parser::Query& query);
  /// Binds a constant expression (no columns), as in EXECUTE's arguments or LIMIT.
  Result<execution::ExpressionPtr> BindConstantExpression(const parser::Expression& expr);

 private:
  struct Impl;
  friend class WindowBinder;  // Binds window functions for Impl (window_binder.cc).
  std::unique_ptr<Impl> impl_;
};

/// Returns the PostgreSQL type a syntax tree type names, or an error naming it (42704 for an
/// unknown type, 0A000 for one Floe does not support).
Result<types::LogicalType> ResolveTypeName(const parser::TypeName& type);

}  // namespace floe::sql::binder
