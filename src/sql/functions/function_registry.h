#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "sql/functions/function.h"
#include "types/logical_type.h"
#include "types/value.h"

namespace floe::sql {

/// What one argument position of a registered overload accepts.
struct ArgumentSpec {
  enum class Kind : uint8_t {
    kType,        // The type `id`; DECIMAL of any precision and scale, LIST of any element.
    kAny,         // Any type, passed through uncast (PostgreSQL's "any": pg_typeof, concat).
    kAnyElement,  // Any type; all such arguments are cast to their CommonType (coalesce).
  };
  Kind kind = Kind::kType;
  types::TypeId id = types::TypeId::kNull;

  static ArgumentSpec Of(types::TypeId id) { return {Kind::kType, id}; }
  static ArgumentSpec Any() { return {Kind::kAny, types::TypeId::kNull}; }
  static ArgumentSpec AnyElement() { return {Kind::kAnyElement, types::TypeId::kNull}; }
};

/// A scalar function resolved to concrete argument types: its result type and kernel.
struct BoundScalar {
  types::LogicalType return_type;
  ScalarKernel kernel;
};

/// One overload of a scalar function or operator. `bind` receives the argument types after the
/// implicit casts the resolver chose (so DECIMAL precision and scale are known) and builds the
/// kernel; it fails only for argument types the overload cannot handle after all.
struct ScalarOverload {
  std::string name;
  std::vector<ArgumentSpec> arguments;
  /// The last argument may repeat any number of times (at least once): greatest, concat.
  bool is_variadic = false;
  bool strict = true;
  bool deterministic = true;
  std::function<Result<BoundScalar>(std::span<const types::LogicalType> argument_types)> bind;
  /// Used instead of `bind` when set, for functions whose result type depends on the value of
  /// a constant argument (extract's field); entries of `constants` are NULL-typed Values when
  /// the argument is not a known constant.
  std::function<Result<BoundScalar>(std::span<const types::LogicalType> argument_types,
                                    std::span<const types::Value> constants)>
      bind_with_constants;
};

/// One overload of an aggregate function; `bind` builds the kernels for concrete types.
struct AggregateOverload {
  std::string name;
  std::vector<ArgumentSpec> arguments;
  std::function<Result<AggregateFunction>(std::span<const types::LogicalType> argument_types)> bind;
};

/// The functions and operators the SQL engine can call, found by name and argument types with
/// PostgreSQL's resolution rules (docs/sql/functions.md).
///
/// Built once and then read-only, so one registry serves every thread.
class FunctionRegistry {
 public:
  FunctionRegistry() = default;
  FunctionRegistry(const FunctionRegistry&) = delete;
  FunctionRegistry& operator=(const FunctionRegistry&) = delete;
  FunctionRegistry(FunctionRegistry&&) = default;
  FunctionRegistry& operator=(FunctionRegistry&&) = default;
  ~FunctionRegistry() = default;

  /// Returns the registry holding every built-in function and operator.
  static const FunctionRegistry& Default();

  void AddScalar(ScalarOverload overload);
  void AddAggregate(AggregateOverload overload);

  /// Picks the overload of `name` (lower case; an operator by its symbol, unary with one
  /// argument) for `argument_types` as PostgreSQL does: an exact match, else the candidates
  /// reachable by implicit casts, narrowed by most exact matches, then most preferred types
  /// where casts are needed, then by the categories of unknown (NULL) arguments; an unknown
  /// argument of a binary operator first assumes the other argument's type. Errors: NotFound
  /// (42883) "function foo(integer) does not exist" or "operator does not exist: integer +
  /// text", with PostgreSQL's hint; InvalidArgument (42725) "function foo(unknown) is not
  /// unique" or "operator is not unique: unknown + unknown". Unknown argument types resolve
  /// to the types listed in the returned ScalarFunction, to which the caller casts them.
  Result<ScalarFunction> ResolveScalar(std::string_view name,
                                       std::span<const types::LogicalType> argument_types) const;
  /// As above, also passing the values of arguments that are constants (a NULL Value of type
  /// NULL for the others; empty when none is known). Only the result type of a few functions
  /// depends on them: extract('year', d) is numeric with scale 0, extract('second', t) scale 6.
  Result<ScalarFunction> ResolveScalar(std::string_view name,
                                       std::span<const types::LogicalType> argument_types,
                                       std::span<const types::Value> constants) const;

  /// Picks the aggregate overload as ResolveScalar does. count(*) is "count" with no arguments.
  Result<AggregateFunction> ResolveAggregate(
      std::string_view name, std::span<const types::LogicalType> argument_types) const;

  /// True when `name` names an aggregate function (the binder's question for `f(x)`).
  bool IsAggregate(std::string_view name) const;
  /// True when `name` names a scalar function or operator.
  bool IsScalar(std::string_view name) const;

 private:
  std::unordered_map<std::string, std::vector<ScalarOverload>> scalars_;
  std::unordered_map<std::string, std::vector<AggregateOverload>> aggregates_;
};

}  // namespace floe::sql
